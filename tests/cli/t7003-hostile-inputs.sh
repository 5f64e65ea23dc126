#!/bin/sh
# Inputs found by fuzzing, and the limits on inputs that could exhaust
# memory: each is refused with a message naming the limit and where.
. "$(dirname "$0")/lib.sh"

test_case "a glossary TSV field ending in a backslash keeps it" '
	printf "kommune\tmunicipality\tsee \\\\\nfylke\tcounty\\\\\n" >g.tsv
	run glossary import g.tsv
	expect_rc 0
	run glossary list --json
	expect_out "\"county\\\\\\\\\""
'
# rep N STRING: STRING repeated N times, without a newline (fast: doubling)
rep() {
	awk -v n="$1" -v s="$2" 'BEGIN {
		r = ""; p = s
		for (k = n; k > 0; k = int(k / 2)) { if (k % 2) r = r p; p = p p }
		printf "%s", r }'
}

# deep N OPEN CLOSE: OPEN N times then CLOSE N times
deep() {
	rep "$1" "$2"
	rep "$1" "$3"
}

test_case "glossary find: a NUL byte between the words of a term is no match and no crash" '
	run glossary add "Statsministerens kontor" "Office of the Prime Minister"
	expect_rc 0
	printf "Statsministerens\000kontor svarte.\n" >t.txt
	run_stdin t.txt glossary find -
	[ $rc -le 1 ] || fail "exit $rc: $(cat err)"
	expect_no_out "Office of the Prime Minister"
	printf "Statsministerens kontor svarte.\n" >t.txt
	run_stdin t.txt glossary find -
	expect_rc 0
	expect_out "Office of the Prime Minister"
'

tmx_head='<?xml version="1.0"?><tmx version="1.4"><header srclang="nb"/><body>'

test_case "a TSV import line past the line limit is refused with its line" '
	{ printf "hei\thello\n"; rep 4200000 a; printf "\tb\n"; } >t.tsv
	run import t.tsv
	expect_rc 2
	expect_err "t\.tsv:2: line longer than the limit of 4194304 bytes"
	expect_err "nothing imported"
	run stats --json
	expect_out "\"units\": *0"
'

test_case "a TSV import segment past the segment limit is refused with its column" '
	{ printf "hei\t"; rep 1100000 b; printf "\n"; } >t.tsv
	run import t.tsv
	expect_rc 2
	expect_err "t\.tsv:1:5: segment longer than the limit of 1048576 bytes"
'

test_case "a <tu> with more languages than the limit is refused, or cut with --recover" '
	{ echo "$tmx_head<tu>"
	  for a in a b c d e f g h i j k l; do for b in a b c d e f g h i j k l m n o p q r s t u v w x y z; do
		echo "<tuv xml:lang=\"$a$b\"><seg>x $a$b</seg></tuv>"; done; done
	  echo "</tu></body></tmx>"; } >many.tmx
	run import many.tmx
	expect_rc 2
	expect_err "many\.tmx:258: more than the limit of 256 <tuv> \(languages\) in one <tu>"
	run import --recover many.tmx
	expect_rc 0
	expect_err "many\.tmx:258: warning: more than 256 <tuv>"
	expect_eq "$(variant_count tm.db)" 256
'

test_case "a <tu> past the size limit is refused before it is held in memory" '
	{ echo "$tmx_head"; echo "<tu><tuv xml:lang=\"nb\"><seg>a</seg></tuv></tu>"; echo "<tu>"
	  rep 300000 "<prop type=\"x-a\">abcdefghijklmnopqrstuvwxyz0123456789</prop>"
	  echo "</tu></body></tmx>"; } >big.tmx
	run import big.tmx
	expect_rc 2
	expect_err "big\.tmx:3: <tu> longer than the limit of 16777216 bytes"
'

test_case "deep nesting in TBX, XLIFF and SRX gives a located error" '
	{ echo "<?xml version=\"1.0\"?><tbx><text><body>"; deep 300 "<x>" "</x>"; echo "</body></text></tbx>"; } >d.tbx
	run glossary import d.tbx
	expect_rc 2
	expect_err "d\.tbx:[0-9]+(:[0-9]+)?: .*[Dd]epth"
	{ echo "<?xml version=\"1.0\"?><xliff version=\"1.2\"><file source-language=\"nb\" target-language=\"en\"><body>"
	  deep 300 "<group>" "</group>"; echo "</body></file></xliff>"; } >d.xlf
	printf "kommune\tmunicipality\n" >gl.tsv
	run check --glossary gl.tsv d.xlf
	expect_rc 2
	expect_err "d\.xlf:[0-9]+(:[0-9]+)?: .*[Dd]epth"
	{ echo "<?xml version=\"1.0\"?><srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\"><header/><body>"
	  deep 300 "<a>" "</a>"; echo "</body></srx>"; } >d.srx
	echo "Hei. Hopp." >t.txt
	run segment --srx d.srx t.txt
	expect_rc 2
	expect_err "d\.srx:[0-9]+(:[0-9]+)?: .*[Dd]epth"
'

test_case "glossary terms and renderings past the term limit are refused with their place" '
	{ printf "kommune\tmunicipality\n"; rep 1100 x; printf "\tlong\n"; } >g.tsv
	run glossary import g.tsv
	expect_rc 2
	expect_err "g\.tsv:2:1: term longer than the limit of 1024 bytes"
	run glossary add "$(rep 1100 y)" long
	expect_rc 2
	expect_err "term longer than the limit of 1024 bytes"
	run glossary add fylke "$(rep 1100 z)"
	expect_rc 2
	expect_err "translation longer than the limit of 1024 bytes"
	{ printf "<?xml version=\"1.0\"?>\n<tbx><text><body>\n<conceptEntry id=\"c1\"><langSec xml:lang=\"nb\"><termSec><term>"
	  rep 1100 x; printf "</term></termSec></langSec><langSec xml:lang=\"en\"><termSec><term>y</term></termSec></langSec></conceptEntry></body></text></tbx>\n"; } >g.tbx
	run glossary import g.tbx
	expect_rc 2
	expect_err "g\\.tbx:3: term longer than the limit of 1024 bytes"
	run glossary list
	expect_no_out "kommune|fylke"
'

test_case "a glossary or check TSV line past the line limit is refused with its line" '
	{ printf "kommune\tmunicipality\n# c\n"; rep 4200000 a; printf "\tb\n"; } >g.tsv
	run glossary import g.tsv
	expect_rc 2
	expect_err "g\.tsv:3: line longer than the limit of 4194304 bytes"
	printf "kommune\tmunicipality\n" >gl.tsv
	run check --glossary gl.tsv g.tsv
	expect_rc 2
	expect_err "g\.tsv:3: line longer than the limit of 4194304 bytes"
'

test_case "segment refuses a paragraph past the line limit with its line" '
	{ printf "Hei.\n\n"; rep 4200000 a; printf ".\n"; } >t.txt
	run segment t.txt
	expect_rc 2
	expect_err "t\.txt:3: paragraph \(line\) longer than the limit of 4194304 bytes"
'

test_case "an SRX expression past its limit is refused with its line" '
	{ echo "<?xml version=\"1.0\"?><srx xmlns=\"http://www.lisa.org/srx20\" version=\"2.0\"><header cascade=\"no\"/><body><languagerules>"
	  echo "<languagerule languagerulename=\"nb\"><rule break=\"yes\">"
	  printf "<beforebreak>"; rep 70000 a; echo "</beforebreak><afterbreak>\\s</afterbreak></rule></languagerule>"
	  echo "</languagerules><maprules><languagemap languagepattern=\".*\" languagerulename=\"nb\"/></maprules></body></srx>"; } >r.srx
	echo "Hei. Hopp." >t.txt
	run segment --srx r.srx t.txt
	expect_rc 2
	expect_err "r\.srx:3: <beforebreak> longer than the limit of 65536 bytes"
'

test_case "lookup - refuses a query line past the segment limit with its line" '
	run add "Hei verden" "Hello world"
	{ printf "Hei verden\n"; rep 1100000 q; printf "\n"; } >q.txt
	run_stdin q.txt lookup -
	expect_rc 2
	expect_err "-:2: query longer than the limit of 1048576 bytes"
	expect_out "Hello world"
'

test_case "files past the file limit are refused before they are read" '
	truncate -s 300M big.tsv
	cp big.tsv big.txt
	run glossary import big.tsv
	expect_rc 2
	expect_err "big\.tsv. is larger than the limit of 256 MiB"
	run segment big.txt
	expect_rc 2
	expect_err "big\.txt. is larger than the limit of 256 MiB"
	printf "kommune\tmunicipality\n" >gl.tsv
	run check --glossary gl.tsv big.tsv
	expect_rc 2
	expect_err "big\.tsv. is larger than the limit of 256 MiB"
'
test_case "undecodable bytes in TMX and SRX give tolk's error only, no raw libxml2 output" '
	printf "<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n<tmx version=\"1.4\"><header srclang=\"nb\"/><body><tu><tuv xml:lang=\"nb\"><seg>\377\376\200\201</seg></tuv></tu></body></tmx>" >e.tmx
	run import e.tmx
	expect_rc 2
	if grep -v "^tolk [a-z]*: " err >raw; then fail "raw libxml2 output: $(cat raw)"; fi
	printf "<?xml version=\"1.0\" encoding=\"EUC-JP\"?>\n<srx>\377\376\200\201</srx>" >e.srx
	echo "Hei. Hopp." >t.txt
	run segment --srx e.srx t.txt
	expect_rc 2
	expect_err "^tolk segment: e\\.srx:[0-9]+"
	if grep -v "^tolk [a-z]*: " err >raw; then fail "raw libxml2 output: $(cat raw)"; fi
'
test_case "a TM file with variants cut short or garbled gives an error, not a crash" '
	run add "Hei verden." "Hello world."
	run add "God morgen." "Good morning."
	run add "God kveld." "Good evening."
	# the blob (tm/vars_int.h) cut in its last text; a count of variants
	# far past its end; a format this tolk does not know
	sqlite3 tm.db "UPDATE unit SET vars = substr(vars, 1, length(vars) - 4)
			WHERE id = 1;
		UPDATE unit SET vars = X'"'"'01FF7F'"'"' WHERE id = 2;
		UPDATE unit SET vars = X'"'"'0900'"'"' WHERE id = 3"
	for cmd in "export out.tmx" "lookup Hei verden" "lookup --exhaustive God" \
		"concordance verden" "stats" "reindex" "delete 2"; do
		run $cmd
		expect_rc 3
		expect_err "variants of unit [123] are (damaged|in format 9)"
	done
'
test_done
