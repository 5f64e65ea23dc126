#!/bin/sh
# tolk align: output formats, pre-split input, import into the TM.
. "$(dirname "$0")/lib.sh"

NB=$TOLK_TOP/fixtures/paris-summit.nb.txt
EN=$TOLK_TOP/fixtures/paris-summit.en.txt
P=$TOLK_SHARED/corpus/parallel

test_case "align prints nb, en and a confidence in [0,1] per bead" '
	run align "$NB" "$EN"
	expect_rc 0
	awk -F "\t" "NF != 3 || \$3 < 0 || \$3 > 1 { exit 1 }" out || fail "bad tsv line"
	expect_out "^Støre til Paris for å støtte Ukraina	Støre to Paris to support Ukraine	"
'

test_case "align --format json numbers sentences as tolk segment does" '
	run align --format json "$NB" "$EN"
	expect_rc 0
	first=$("$TOLK" segment "$NB" | grep -v "^\$" | sed -n 3p)
	grep -F "\"nb\":[3]" out | grep -qF "\"nb_text\":\"$first\"" || fail "sentence 3 is not segment line 3"
	expect_out "^\\{\"nb\":\\[1\\],\"en\":\\[1\\],\"confidence\":[0-9.]+,\"nb_text\":"
'

test_case "align reproduces the gold beads of two corpus texts from raw text" '
	for d in nav-privacy dah-preface; do
		"$TOLK" align --json "$P/$d.nb.txt" "$P/$d.en.txt" |
			sed -E "s/^\\{\"nb\":\\[([0-9,]*)\\],\"en\":\\[([0-9,]*)\\].*/\\1	\\2/" >got
		cmp -s got "$P/$d.gold.tsv" || fail "$d beads differ from gold"
	done
'

test_case "align keeps a dropped local detail and an added explanation beside it apart" '
	# news pairs whose translation drops a local detail where it adds
	# an explanation of about the same length (1-0 and 0-1, in either
	# order, not one 1-1)
	N=$TOLK_TOP/fixtures/news
	for d in final2/teacher-strike final4/storm-outage final4/museum-theft more/health-queues; do
		"$TOLK" align --json "$N/$d.nb.txt" "$N/$d.en.txt" |
			sed -E "s/^\\{\"nb\":\\[([0-9,]*)\\],\"en\":\\[([0-9,]*)\\].*/\\1	\\2/" |
			sort >got
		sort "$N/$d.gold.tsv" | cmp -s got - || fail "$d beads differ from gold"
	done
'

test_case "align --sentences takes lines as sentences and blank lines as paragraphs" '
	printf "Hei.\nHvordan går det?\n\nBra, takk.\n" >nb.txt
	printf "Hello.\nHow are you?\n\nFine, thanks.\n" >en.txt
	run align --sentences --json nb.txt en.txt
	expect_rc 0
	expect_eq "$(wc -l <out | tr -d " ")" 3
	expect_out "\"nb\":\\[3\\],\"en\":\\[3\\].*\"nb_text\":\"Bra, takk.\""
'

test_case "align --format tmx writes a well-formed TMX with one tu per paired bead" '
	run align --format tmx "$NB" "$EN"
	expect_rc 0
	xmllint --noout out || fail "not well-formed"
	paired=$("$TOLK" align "$NB" "$EN" | awk -F "\t" "\$1 != \"\" && \$2 != \"\"" | wc -l)
	expect_eq "$(grep -c "<tu>" out)" "$paired"
	expect_out "<tuv xml:lang=\"nb\">"
	expect_out "x-align-confidence"
'

test_case "align --format tmx is DTD-valid TMX 1.4b with canonical language tags, as export writes" '
	run --source-lang NB_no --target-lang EN-gb align --format tmx "$NB" "$EN"
	expect_rc 0
	xmllint --noout --nonet --dtdvalid "$TOLK_SHARED/spec/tmx/tmx14.dtd" out 2>xerr ||
		fail "invalid: $(cat xerr)"
	! grep -q "DOCTYPE" out || fail "a DOCTYPE points readers at a tmx14.dtd beside the file"
	expect_out "srclang=\"nb-NO\""
	expect_out "<tuv xml:lang=\"nb-NO\"><seg>Støre til Paris for å støtte Ukraina</seg></tuv><tuv xml:lang=\"en-GB\">"
	! grep -q "xml:lang=\"NB_no\"" out || fail "tag not canonical"
	# tolk reads back what it wrote
	cp out al.tmx
	run import al.tmx
	expect_rc 0
	expect_out "[1-9][0-9]* imported, 0 merged, 0 skipped"
'

test_case "align --import stores units with the file names as origin" '
	cp "$NB" a.nb.txt
	cp "$EN" a.en.txt
	run align --import a.nb.txt a.en.txt
	expect_rc 0
	expect_out "^imported [1-9][0-9]* units"
	run lookup "Støre til Paris for å støtte Ukraina"
	expect_rc 0
	expect_out "Støre to Paris to support Ukraine"
	sqlite3 tm.db "SELECT DISTINCT origin FROM unit" >origins
	expect_eq "$(cat origins)" "a.nb.txt | a.en.txt"
'

test_case "align --import holds back beads below --min-confidence" '
	run align --import --json --min-confidence 0.997 "$NB" "$EN"
	expect_rc 0
	held=$(sed -E "s/.*\"held_back\":([0-9]+).*/\\1/" out)
	added=$(sed -E "s/.*\"added\":([0-9]+).*/\\1/" out)
	below=$("$TOLK" align "$NB" "$EN" | awk -F "\t" "\$1 != \"\" && \$2 != \"\" && \$3 < 0.997" | wc -l)
	expect_eq "$held" "$below"
	[ "$held" -gt 0 ] || fail "nothing held back"
	expect_eq "$(sqlite3 tm.db "SELECT count(*) FROM unit")" "$added"
'

test_case "align --terms anchors beads on term pairs" '
	tail=" og så gikk vi en tur ut i den fine lia ved elva der vi satt lenge."
	etail=" and then we went for a walk in the fine hill by the river and sat."
	printf "Hunden sov da%s\nKatten sov da%s\nFuglen sang da%s\n" "$tail" "$tail" "$tail" >nb.txt
	printf "The cat slept%s\nThe bird sang%s\n" "$etail" "$etail" >en.txt
	printf "# nb\ten\nkatten\tthe cat\nfuglen\tthe bird\nhunden\tthe dog\n" >terms.tsv
	run align --sentences --json --terms terms.tsv nb.txt en.txt
	expect_rc 0
	expect_eq "$(head -c 17 out)" "{\"nb\":[1],\"en\":[]"
	printf "katten the cat\n" >bad.tsv
	run align --terms bad.tsv nb.txt en.txt
	expect_rc 2
	expect_err "bad.tsv:1:1"
'

test_case "align rejects bad options and missing files" '
	run align --format xml "$NB" "$EN"
	expect_rc 2
	expect_err "xml"
	run align --min-confidence 1.5 "$NB" "$EN"
	expect_rc 2
	run align "$NB"
	expect_rc 2
	run align "$NB" missing.txt
	expect_rc 2
	expect_err "missing.txt"
'

test_case "align --srx segments both texts with an SRX file" '
	printf "Vi så bl.a. Oslo. Fint.\n" >nb.txt
	printf "Among other places we saw Oslo. Fine.\n" >en.txt
	run align --json nb.txt en.txt
	expect_no_out "\"nb\":\[[0-9,]*3"
	run align --json --srx "$TOLK_SHARED/corpus/srx/okapi-defaultSegmentation.srx" nb.txt en.txt
	expect_rc 0
	expect_out "\"nb\":\[[0-9,]*3"
	run align --srx missing.srx nb.txt en.txt
	expect_rc 2
'

test_case "align reads one file from standard input" '
	run_stdin "$EN" align --json "$NB" -
	expect_rc 0
	expect_out "\"en_text\":\"Støre to Paris to support Ukraine\""
'

test_case "align reports invalid UTF-8 with the file and its line" '
	printf "Hei.\nNei \377.\n" >bad.txt
	run align bad.txt "$EN"
	expect_rc 2
	expect_err "bad.txt:2:5"
'

test_case "help align describes formats and import" '
	run help align
	expect_rc 0
	expect_out "--min-confidence"
	expect_out "tmx"
	expect_out "--sentences"
'

echo "1..$_n"
[ "$_failed" -eq 0 ]
