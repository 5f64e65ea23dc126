#!/bin/sh
# What a new user tripped over: data kept, files exchanged, errors that
# explain (issue 16).  Each case fails on the tolk before the fix.
. "$(dirname "$0")/lib.sh"

test_case "delete takes several ids; an unknown one is named, the others go, exit 1" '
	run add "En" "One"
	run add "To" "Two"
	run add "Tre" "Three"
	run delete 1 9 3
	expect_rc 1
	expect_out "^deleted unit 1$"
	expect_out "^deleted unit 3$"
	expect_no_out "unit 9"
	expect_err "^tolk delete: no unit with id 9$"
	run stats --json
	expect_out "\"units\":1,"
	run delete 2 x
	expect_rc 2
	expect_err "x. is not a unit id"
	run stats --json
	expect_out "\"units\":1,"
'

test_case "a missing or foreign database is a database error, exit 3" '
	run stats
	expect_rc 3
	expect_err "^tolk stats: no translation memory at"
	echo "not a database at all, just words" >junk.db
	run --db junk.db lookup Hei
	expect_rc 3
	expect_err "^tolk lookup: .junk.db. is not a tolk database"
	mkdir folder.db
	run --db folder.db export -
	expect_rc 3
	expect_err "is a folder"
'

test_case "counts say 1 unit, not 1 units" '
	run add "Hei" "Hello"
	run stats
	expect_out "1 unit$"
	expect_no_out "1 units"
	run export out.tmx
	expect_out "^exported 1 unit to out.tmx$"
	run glossary add hund dog
	run glossary export g.tsv
	expect_out "^exported 1 term to"
'

test_case "tolk help stats lists its options" '
	run help stats
	expect_rc 0
	expect_out "^Options:"
	expect_out "--json"
'

test_case "glossary export - writes TSV to standard output without --format" '
	run glossary add hund dog
	run glossary export -
	expect_rc 0
	expect_out "^hund	dog"
	[ ! -s err ] || fail "stderr: $(cat err)"
	run glossary export --format tbx -
	expect_rc 0
	expect_out "<tbx "
'

test_case "an import past ulimit -f is reported like a full disk, exit 3, TM unchanged" '
	awk "BEGIN { print \"<tmx version=\\\"1.4\\\"><header srclang=\\\"nb\\\"/><body>\";
		for (i = 1; i <= 20000; i++)
			printf \"<tu><tuv xml:lang=\\\"nb\\\"><seg>Melding %d om ting i kommune %d.</seg></tuv><tuv xml:lang=\\\"en\\\"><seg>Message %d.</seg></tuv></tu>\\n\", i, i % 53, i
		print \"</body></tmx>\" }" >big.tmx
	run add "Hei" "Hello"
	# no trap: SIGXFSZ keeps its default action (killing) unless tolk
	# ignores it
	st=0
	(ulimit -f 1024; exec "$TOLK" import big.tmx >out 2>err) || st=$?
	expect_eq "$st" 3
	expect_err "^tolk import: .*file-size limit"
	expect_err "nothing imported: the database is unchanged"
	run stats --json
	expect_out "\"units\":1,"
'

test_case "add of a stored pair merges into it whatever the notes, and keeps both notes" '
	run add "Statsministeren reiste." "The Prime Minister left." --note "NTB"
	expect_out "^added unit 1$"
	run add "Statsministeren reiste." "The Prime Minister left."
	expect_out "^merged into unit 1$"
	run add "Statsministeren reiste." "The Prime Minister left." --note "Reuters"
	expect_out "^merged into unit 1$"
	run add "Statsministeren reiste." "The Prime Minister left." --note "NTB"
	expect_out "^merged into unit 1$"
	run lookup --json "Statsministeren reiste."
	expect_out "\"matches\":\[\{\"id\":1,"
	expect_no_out "\"id\":2,"
	run stats --json
	expect_out "\"units\":1,"
	run export -
	expect_out "<note>NTB</note><note>Reuters</note><tuv"
	[ "$(grep -o "<note>" out | wc -l)" = 2 ] || fail "notes: $(grep "<note>" out)"
	# the other order: a note given second is kept too
	run add "Hei" "Hello"
	run add "Hei" "Hello" --note "greeting"
	expect_out "^merged into unit 2$"
	run export -
	expect_out "<note>greeting</note>"
'

test_case "units imported from TSV get a creation date and creationid, so export --since has them" '
	printf "Hund\tDog\nKatt\tCat\n" >units.tsv
	USER=kari run import units.tsv
	expect_rc 0
	run export --since 2000-01-01 -
	expect_rc 0
	expect_out "<tu [^>]*creationdate=\"[0-9]{8}T[0-9]{6}Z\" creationid=\"kari\"><tuv xml:lang=\"nb\"><seg>Hund</seg>"
	expect_out "<seg>Katt</seg>"
	# importing the file again merges rather than duplicating
	USER=kari run import units.tsv
	expect_out "2 merged"
'

# a TMX file with one nb-en unit and one nb-de unit
pair_tmx() {
	cat >"$1" <<-EOF
	<?xml version="1.0" encoding="UTF-8"?>
	<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="nb" datatype="plaintext"/><body>
	<tu><tuv xml:lang="nb"><seg>Hund</seg></tuv><tuv xml:lang="en"><seg>Dog</seg></tuv></tu>
	<tu><tuv xml:lang="nb"><seg>Katt</seg></tuv><tuv xml:lang="de"><seg>Katze</seg></tuv></tu>
	</body></tmx>
	EOF
}

test_case "the language pair means the same before and after the command; defaults given change nothing" '
	pair_tmx p.tmx
	TOLK_DB=a.db run --source-lang en --target-lang cs import p.tmx
	expect_rc 0
	sed "s/^p.tmx: //" out >a.out
	TOLK_DB=b.db run import --source-lang en --target-lang cs p.tmx
	expect_rc 0
	sed "s/^p.tmx: //" out >b.out
	cmp -s a.out b.out || fail "before: $(cat a.out); after: $(cat b.out)"
	expect_out "2 read, 2 imported, 0 merged, 0 skipped; 2 stored without a en→cs pair"
	TOLK_DB=c.db run import p.tmx
	cp out c.out
	TOLK_DB=d.db run import --source-lang nb --target-lang en p.tmx
	cmp -s c.out out || fail "defaults given: $(cat out); not given: $(cat c.out)"
	expect_out "2 read, 2 imported, 0 merged, 0 skipped; 1 stored without a nb→en pair"
	TOLK_DB=e.db run --source-lang nb import --only-pair p.tmx
	expect_out "2 read, 1 imported, 0 merged, 1 skipped \\(1 without nb→en\\)"
'

test_case "import - reads standard input as TMX or TSV, told from the first bytes or by --format" '
	printf "Hund\tDog\n" >units.tsv
	run_stdin units.tsv import -
	expect_rc 0
	expect_out "^<stdin>: 1 read, 1 imported"
	pair_tmx p.tmx
	run_stdin p.tmx import -
	expect_rc 0
	expect_out "^<stdin>: 2 read, 1 imported, 1 merged"
	# a pipe, not a file: read twice all the same
	printf "Fugl\tBird\n" | "$TOLK" import - >out 2>err
	expect_out "^<stdin>: 1 read, 1 imported"
	printf "Fisk\tFish\n" | "$TOLK" import --format tsv - >out 2>err
	expect_out "^<stdin>: 1 read, 1 imported"
	iconv -f UTF-8 -t UTF-16 p.tmx | "$TOLK" import - >out 2>err
	expect_out "^<stdin>: 2 read, 0 imported, 2 merged"
	run_stdin units.tsv import --format tmx -
	expect_rc 2
	run_stdin units.tsv import --format xml -
	expect_rc 2
	expect_err "^tolk import: --format: .xml. is not a format"
	run lookup Fisk
	expect_out "Fish"
'

test_case "a binary or non-XML file to import is named for what it is" '
	printf "\177ELF\002\001\001\000\000\000\000\000\000\000\000\000\003\000>\000" >bin.tmx
	run import bin.tmx
	expect_rc 2
	expect_err "^tolk import: bin\.tmx: not a TMX file \\(binary data\\)$"
	expect_no_out .
	run_stdin bin.tmx import -
	expect_rc 2
	expect_err "^tolk import: <stdin>: not a TMX file \\(binary data\\)$"
	echo "just some words" >words.tmx
	run import words.tmx
	expect_rc 2
	expect_err "^tolk import: words\.tmx: not a TMX file \\(text, not XML"
	[ ! -e "$TOLK_DB" ] || [ "$(sqlite3 "$TOLK_DB" "SELECT count(*) FROM unit")" = 0 ] || fail "units stored"
'

test_case "align --import --review FILE writes the held-back beads with confidences and names it" '
	NB=$TOLK_TOP/fixtures/paris-summit.nb.txt
	EN=$TOLK_TOP/fixtures/paris-summit.en.txt
	run align --import --min-confidence 0.997 "$NB" "$EN"
	expect_rc 0
	expect_out "held back [1-9][0-9]* beads? below confidence 0\\.997 \\(--review FILE writes them out\\)"
	rm -f tm.db
	run align --import --min-confidence 0.997 --review held.tsv "$NB" "$EN"
	expect_rc 0
	expect_out "held back [1-9][0-9]* beads? below confidence 0\\.997, written to held\\.tsv for review"
	held=$(sed -E "s/.*held back ([0-9]+) bead.*/\\1/" out)
	below=$("$TOLK" align "$NB" "$EN" | awk -F "\t" "\$1 != \"\" && \$2 != \"\" && \$3 < 0.997" | sort)
	grep -v "^#" held.tsv | sort >got
	expect_eq "$(cat got)" "$below"
	expect_eq "$(wc -l <got)" "$held"
	awk -F "\t" "NF != 3 || \$3 >= 0.997 { exit 1 }" got || fail "bad line in held.tsv"
	run align --review x.tsv "$NB" "$EN"
	expect_rc 2
	expect_err "^tolk align: --review goes with --import"
'

# hdr_tmx FILE TOOL SEGTYPE: a TMX file with its own header, a header
# note and one unit
hdr_tmx() {
	cat >"$1" <<-EOF
	<?xml version="1.0" encoding="UTF-8"?>
	<tmx version="1.4"><header creationtool="$2" creationtoolversion="7" segtype="$3" o-tmf="x" adminlang="en" srclang="nb" datatype="html" x-vendor="v"><note>from $2</note></header><body>
	<tu><tuv xml:lang="nb"><seg>Tekst fra $2</seg></tuv><tuv xml:lang="en"><seg>Text from $2</seg></tuv></tu>
	</body></tmx>
	EOF
}

test_case "export writes tolk's own header; --origin F gives F's back; the round trip is stable" '
	hdr_tmx a.tmx Trados paragraph
	hdr_tmx b.tmx OmegaT sentence
	run import a.tmx b.tmx
	run export e1.tmx
	expect_rc 0
	grep -q "<header creationtool=\"tolk\" [^>]*/>" e1.tmx || fail "header: $(grep "<header" e1.tmx)"
	if grep -q "x-tolk-attr\|<note>from" e1.tmx; then fail "other files headers in the export: $(grep -c prop e1.tmx)"; fi
	TOLK_DB=b.db run import e1.tmx
	TOLK_DB=b.db run export e2.tmx
	sed "1,3s/creationdate=\"[^\"]*\"//" e1.tmx >e1.cmp
	sed "1,3s/creationdate=\"[^\"]*\"//" e2.tmx >e2.cmp
	cmp -s e1.cmp e2.cmp || fail "export, import, export changed the file: $(diff e1.cmp e2.cmp)"
	run export --origin a.tmx fa.tmx
	expect_rc 0
	grep -q "<header creationtool=\"Trados\" creationtoolversion=\"7\" segtype=\"paragraph\" [^>]*><prop type=\"x-tolk-attr:creationtool\">Trados</prop>" fa.tmx || fail "header: $(grep "<header" fa.tmx)"
	grep -q "<note>from Trados</note>" fa.tmx || fail "header note lost"
	if grep -q "OmegaT" fa.tmx; then fail "the other file header is in it"; fi
	TOLK_DB=c.db run import fa.tmx
	TOLK_DB=c.db run export --origin fa.tmx fa2.tmx
	cmp -s fa.tmx fa2.tmx || fail "origin round trip changed: $(diff fa.tmx fa2.tmx)"
'

test_case "a pair export writes exactly one variant per language, the best-matching tag" '
	cat >v.tmx <<-EOF
	<?xml version="1.0" encoding="UTF-8"?>
	<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="nb" datatype="plaintext"/><body>
	<tu><tuv xml:lang="nb"><seg>Ja</seg></tuv><tuv xml:lang="nb-NO"><seg>Ja da</seg></tuv><tuv xml:lang="en-GB"><seg>Yes</seg></tuv><tuv xml:lang="en"><seg>Yeah</seg></tuv></tu>
	</body></tmx>
	EOF
	run import v.tmx
	run export -
	expect_rc 0
	expect_eq "$(grep -o "<tuv" out | wc -l)" 2
	expect_out "<tuv xml:lang=\"nb\"><seg>Ja</seg></tuv><tuv xml:lang=\"en\"><seg>Yeah</seg>"
	run --source-lang nb-NO --target-lang en-GB export -
	expect_eq "$(grep -o "<tuv" out | wc -l)" 2
	expect_out "<tuv xml:lang=\"nb-NO\"><seg>Ja da</seg></tuv><tuv xml:lang=\"en-GB\"><seg>Yes</seg>"
	run export --all-languages -
	expect_eq "$(grep -o "<tuv" out | wc -l)" 4
'

test_case "export --origin that matches nothing names the origins, exits 1, writes nothing" '
	hdr_tmx a.tmx Trados paragraph
	run import a.tmx
	run add "Hei" "Hello"
	run export --origin nothing.tmx out.tmx
	expect_rc 1
	expect_err "^tolk export: no unit comes from .nothing\\.tmx.: nothing exported; the origins are .a\\.tmx. \\(1 unit\\), .add. \\(1 unit\\)$"
	[ ! -e out.tmx ] || fail "out.tmx written"
	run stats
	expect_out "^  a\\.tmx  1 unit$"
	expect_out "^  add  1 unit$"
	run stats --json
	expect_out "\"origins\":\\[\\{\"origin\":\"a\\.tmx\",\"units\":1\\},\\{\"origin\":\"add\",\"units\":1\\}\\]"
'

test_case "units stored by align --import are selected by either file name" '
	printf "Hunden sov.\n" >a.nb.txt
	printf "The dog slept.\n" >a.en.txt
	run align --import --min-confidence 0 a.nb.txt a.en.txt
	expect_rc 0
	run export --origin a.nb.txt -
	expect_rc 0
	expect_out "<seg>Hunden sov\\.</seg>"
	run export --origin a.en.txt -
	expect_rc 0
	expect_out "<seg>The dog slept\\.</seg>"
	run export --origin a.txt -
	expect_rc 1
'

test_case "export names the units whose control characters XML cannot hold" '
	run add "$(printf "Ett\001to")" "$(printf "One\002\003two")"
	run add "Hei" "Hello"
	run export out.tmx
	expect_rc 0
	expect_err "^tolk export: warning: unit 1: 3 control characters that XML 1.0 cannot hold left out$"
	expect_err "^tolk export: warning: 3 control characters that XML 1.0 cannot hold left out of 1 unit"
	expect_no_out "unit 2"
	grep -q "<seg>Etttwo</seg>\|<seg>Ettto</seg>" out.tmx || fail "$(grep seg out.tmx)"
'

test_case "every error, from the option parser or a command, reads tolk COMMAND: message" '
	run add "Hei" "Hello"
	for args in "lookup --bogus" "lookup --min-score" "lookup --limit x Hei" "-x" \
		"glossary --x" "glossary bogus" "help bogus" "bogus" "delete" "delete 0" \
		"import /nonexistent.tmx" "export /nonexistent/dir/x.tmx" "export --since x -" \
		"align --format x a b" "segment /nonexistent" "stats extra" "--db" \
		"concordance zzz" "glossary remove zzz" "--source-lang x! stats"; do
		run $args
		[ "$rc" -ne 0 ] || fail "$args: exit 0"
		head -1 err | grep -Eq "^tolk( [a-z]+)*: [^ ]" || fail "$args: $(head -1 err)"
	done
	run export /nonexistent/dir/x.tmx
	expect_rc 3
	expect_err "^tolk export: cannot create ./nonexistent/dir/x\\.tmx.: no such folder$"
'

# The shared TM: written by its owner (root here), read by a translator who
# cannot write its folder.  Tests run as root, who can write anything, so
# the reader is the unprivileged user nobody (runuser); the TM lives in a
# folder of /tmp that nobody can reach.
as_nobody() { # as_nobody ARGS...: runs tolk as nobody, like run
	rc=0
	runuser -u nobody -- "$TOLK" "$@" >"$T/out" 2>"$T/err" || rc=$?
	return 0
}

ro_case() { # ro_case NAME BODY: BODY runs with $S, a folder nobody can read
	if [ "$(id -u)" != 0 ] || ! command -v runuser >/dev/null ||
		! runuser -u nobody -- "$TOLK" --version >/dev/null 2>&1; then
		test_skip "$1" "needs root and runuser to run tolk as nobody"
		return
	fi
	S=$(mktemp -d /tmp/tolk-shared.XXXXXX)
	chmod 755 "$S"
	export S
	test_case "$1" "$2"
	rm -rf "$S"
}

ro_case "a TM in a folder the user cannot write answers reads, leaves no files, refuses writes with exit 3" '
	run --db "$S/tm.db" add "Statsministeren reiste." "The Prime Minister left."
	run --db "$S/tm.db" glossary add statsminister "prime minister"
	# the folder itself and its entries, not .. (/tmp changes under us)
	before=$(ls -ld "$S"; ls -lA "$S")
	as_nobody --db "$S/tm.db" lookup "Statsministeren reiste."
	expect_rc 0
	expect_out "The Prime Minister left"
	as_nobody --db "$S/tm.db" stats
	expect_rc 0
	expect_out "units: +1"
	as_nobody --db "$S/tm.db" concordance "reiste"
	expect_rc 0
	as_nobody --db "$S/tm.db" export -
	expect_rc 0
	expect_out "<seg>Statsministeren reiste\\.</seg>"
	as_nobody --db "$S/tm.db" check --tm
	expect_rc 0
	as_nobody --db "$S/tm.db" add "Hei" "Hello"
	expect_rc 3
	expect_err "^tolk add: .*tm\\.db. is read-only for this user"
	as_nobody --db "$S/tm.db" glossary add hund dog
	expect_rc 3
	expect_err "read-only for this user"
	expect_eq "$(ls -ld "$S"; ls -lA "$S")" "$before"
	# a folder anyone may write (like /tmp): the file is still the
	# owner'"'"'s, and reads leave no -wal or -shm of the reader behind
	chmod 1777 "$S"
	as_nobody --db "$S/tm.db" lookup "Statsministeren reiste."
	expect_rc 0
	as_nobody --db "$S/tm.db" stats
	expect_rc 0
	if ls -l "$S" | grep -q nobody; then fail "left behind: $(ls -l "$S")"; fi
	as_nobody --db "$S/tm.db" delete 1
	expect_rc 3
	expect_err "read-only for this user"
	run --db "$S/tm.db" stats --json
	expect_out "\"units\":1,"
'

ro_case "creating a TM where the folder cannot be written says why, in words" '
	as_nobody --db "$S/new.db" add "Hei" "Hello"
	expect_rc 3
	expect_err "^tolk add: cannot create .*/new\\.db.: Permission denied$"
	as_nobody --db "$S/sub/new.db" add "Hei" "Hello"
	expect_rc 3
	expect_err "^tolk add: cannot create .*/sub/new\\.db.: Permission denied"
	touch "$S/file"
	run --db "$S/file/new.db" add "Hei" "Hello"
	expect_rc 3
	expect_err "^tolk add: cannot create .*/file/new\\.db.: .*file. is not a folder$"
	if grep -q "unable to open" err; then fail "$(cat err)"; fi
'

test_done
