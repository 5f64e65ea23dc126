#!/bin/sh
# tolk import: TMX and TSV in, summary, duplicates, stdin, language pairs.
. "$(dirname "$0")/lib.sh"

# A small nb-en TMX: two units, one with markup, props and a note.
write_tmx() {
	cat >"$1" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="nb" datatype="plaintext">
<prop type="x-project">demo</prop>
</header>
<body>
<tu tuid="1" creationdate="20240101T000000Z" usagecount="1">
<prop type="x-domain">politikk</prop>
<note>checked</note>
<tuv xml:lang="nb"><seg>Statsministeren reiste til <bpt i="1">&lt;b&gt;</bpt>Paris<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
<tuv xml:lang="en"><seg>The Prime Minister travelled to <bpt i="1">&lt;b&gt;</bpt>Paris<ept i="1">&lt;/b&gt;</ept>.</seg></tuv>
</tu>
<tu tuid="2">
<tuv xml:lang="nb"><seg>Møtet starter kl. 14.30.</seg></tuv>
<tuv xml:lang="en"><seg>The meeting starts at 14:30.</seg></tuv>
</tu>
</body>
</tmx>
EOF
}

test_case "import stores the units and prints read/imported/merged/skipped" '
	write_tmx a.tmx
	run import a.tmx
	expect_rc 0
	expect_out "^a\\.tmx: 2 read, 2 imported, 0 merged, 0 skipped$"
	run lookup "Statsministeren reiste til Paris."
	expect_rc 0
	expect_out "The Prime Minister travelled to Paris\\."
'

test_case "importing the same file twice merges and changes nothing" '
	write_tmx a.tmx
	run import a.tmx
	run stats --json
	before=$(cat "$T/out")
	run import a.tmx
	expect_rc 0
	expect_out "2 read, 0 imported, 2 merged"
	run stats --json
	expect_eq "$(sed "s/\"bytes\":[0-9]*//" "$T/out")" "$(echo "$before" | sed "s/\"bytes\":[0-9]*//")"
'

test_case "a merged duplicate keeps the newest date and the largest usage count" '
	write_tmx a.tmx
	sed -e "s/20240101T000000Z/20250505T050505Z/" -e "s/usagecount=\"1\"/usagecount=\"9\"/" a.tmx >b.tmx
	run import a.tmx b.tmx
	expect_out "^b\\.tmx: 2 read, 0 imported, 2 merged"
	expect_out "^total: 4 read, 2 imported, 2 merged"
	run export --all-languages out.tmx
	grep -q "creationdate=\"20250505T050505Z\" usagecount=\"9\"" out.tmx || fail "dates not merged: $(grep "tuid=\"1\"" out.tmx)"
'

test_case "--on-duplicate keep, skip and replace" '
	write_tmx a.tmx
	run import a.tmx
	run import --on-duplicate keep a.tmx
	expect_out "2 read, 2 imported"
	run stats --json
	expect_out "\"units\":4,"
	sed "s/The meeting starts at 14:30./The meeting begins at 14:30./" a.tmx >b.tmx
	run import --on-duplicate skip b.tmx
	expect_out "2 read, 0 imported, 0 merged, 2 skipped \\(2 duplicate\\)"
	run import --on-duplicate replace b.tmx
	expect_out "2 replaced"
	run stats --json
	expect_out "\"units\":2,"
	run lookup "Møtet starter kl. 14.30."
	expect_out "begins"
	run import --on-duplicate sometimes a.tmx
	expect_rc 2
	expect_err "sometimes"
'

test_case "- reads the TMX from standard input" '
	write_tmx a.tmx
	run_stdin a.tmx import -
	expect_rc 0
	expect_out "^<stdin>: 2 read, 2 imported"
'

test_case "a .tsv file imports source<TAB>target lines, skipping comments" '
	run import "$TOLK_TOP/fixtures/demo-units.tsv"
	expect_rc 0
	n=$(grep -vc "^#" "$TOLK_TOP/fixtures/demo-units.tsv")
	expect_out "demo-units\\.tsv: $n read, $n imported"
	run lookup "Også NATOs generalsekretær deltar."
	expect_out "NATO.s Secretary General is also taking part\\."
	printf "Ja\\tYes\\nbare en kolonne\\n" >bad.tsv
	run import bad.tsv
	expect_rc 2
	expect_err "^tolk import: bad\\.tsv:2:1: expected SOURCE<TAB>TARGET"
	printf "Ja\\tYes\\nN\\001ei\\tNo\\n" >ctl.tsv
	run import ctl.tsv
	expect_rc 2
	expect_err "^tolk import: ctl\\.tsv:2:2: control character U\\+0001"
'

test_case "a bad TSV line far into the file stops the import with its line, nothing imported" '
	# the lines are read on a thread ahead of the rows: thousands of good
	# ones are in flight when the reader meets the bad one
	awk "BEGIN { for (i = 1; i <= 5000; i++) printf \"Setning %d.\\tSentence %d.\\n\", i, i; print \"bare en kolonne\" }" >late.tsv
	run import late.tsv
	expect_rc 2
	expect_err "^tolk import: late\\.tsv:5001:1: expected SOURCE<TAB>TARGET"
	expect_err "nothing imported"
	run lookup "Setning 17."
	expect_rc 1
	head -n 4000 late.tsv >good.tsv
	run import good.tsv late.tsv
	expect_rc 2
	run import good.tsv
	expect_rc 0
	expect_out "good\\.tsv: 4000 read, 4000 imported"
'

test_case "units without the language pair are counted, or skipped with --only-pair" '
	write_tmx a.tmx
	sed "s/xml:lang=\"en\"/xml:lang=\"de\"/" a.tmx >de.tmx
	run import de.tmx
	expect_out "2 read, 2 imported, 0 merged, 0 skipped; 2 stored without a nb→en pair"
	rm -f "$TOLK_DB"
	run import --only-pair de.tmx
	expect_out "2 read, 0 imported, 0 merged, 2 skipped \\(2 without nb→en\\)"
	run import --source-lang nb --target-lang de de.tmx
	expect_out "2 read, 2 imported"
'

test_case "import --json prints one object per file" '
	write_tmx a.tmx
	run import --json a.tmx
	expect_rc 0
	expect_eq "$(cat "$T/out")" "{\"file\":\"a.tmx\",\"read\":2,\"imported\":2,\"merged\":0,\"replaced\":0,\"skipped\":{\"empty\":0,\"duplicate\":0,\"no_pair\":0},\"lacking_pair\":0,\"warnings\":0}"
'

test_case "an empty <tu> is skipped with a located warning" '
	cat >e.tmx <<EOF
<tmx version="1.4"><header/><body>
<tu><tuv xml:lang="nb"><seg>Ja</seg></tuv><tuv xml:lang="en"><seg>Yes</seg></tuv></tu>
<tu></tu>
</body></tmx>
EOF
	run import e.tmx
	expect_rc 0
	expect_out "2 read, 1 imported, 0 merged, 1 skipped \\(1 without <tuv>\\)"
	expect_err "^tolk import: e\\.tmx:3: warning: <tu> without <tuv>: skipped"
'

test_case "a file that is not TMX is refused with its location and nothing is stored" '
	write_tmx a.tmx
	echo "<html><body/></html>" >x.xml
	run import a.tmx x.xml
	expect_rc 2
	expect_err "^tolk import: x\\.xml:1: not a TMX file: the root element is <html>"
	expect_err "database is unchanged"
	run stats --json
	expect_out "\"units\":0,"
	run import nosuch.tmx
	expect_rc 2
	expect_err "nosuch\\.tmx"
	: >empty.tmx
	run import empty.tmx
	expect_rc 2
	expect_err "^tolk import: empty\\.tmx: empty file: not TMX"
	mkdir folder.tmx
	run import folder.tmx
	expect_rc 2
	expect_err "folder\\.tmx. is a folder"
'

test_case "progress is drawn on a terminal only" '
	write_tmx a.tmx
	run import a.tmx
	if grep -q "MB/s" "$T/err"; then fail "progress on a pipe"; fi
	command -v script >/dev/null || skip "script(1) missing: no terminal to test on"
	{ echo "<tmx version=\"1.4\"><header/><body>"
	  awk "BEGIN { for (i = 1; i <= 60000; i++) printf \"<tu><tuv xml:lang=\\\"nb\\\"><seg>Setning %d</seg></tuv><tuv xml:lang=\\\"en\\\"><seg>Sentence %d</seg></tuv></tu>\\n\", i, i }"
	  echo "</body></tmx>"; } >big.tmx
	# the bar waits 0.2 s before it is drawn, and a fast machine reads
	# the whole file sooner: the input stalls half-way instead
	script -qec "{ head -n 30000 big.tmx; sleep 0.5; tail -n +30001 big.tmx; } | \"$TOLK\" import -" /dev/null >tty.out 2>&1
	grep -q "units, [0-9.]* MB/s" tty.out || fail "no progress on a terminal: $(head -c 300 tty.out)"
	grep -q "<stdin>: 60000 read, 60000 imported" tty.out || fail "no summary: $(head -c 300 tty.out)"
'

test_case "help import and help export describe every option" '
	run help import
	expect_rc 0
	for o in --on-duplicate --recover --json merge keep skip replace .tsv; do
		expect_out -- "$o"
	done
	run help export
	for o in --all-languages --since --origin --keep-no; do
		expect_out -- "$o"
	done
	run --help
	expect_out "^  import "
	expect_out "^  export "
'

test_case "a unit the TM refuses stops the import at its line, after the warnings before it and none after" '
	{
		echo "<?xml version=\"1.0\"?><tmx version=\"1.4\"><header srclang=\"nb\"/><body>"
		echo "<tu><tuv xml:lang=\"nb\"><seg>Først</seg></tuv><bar/></tu>"
		awk "BEGIN { for (i = 1; i <= 3000; i++) printf \"<tu><tuv xml:lang=\\\"nb\\\"><seg>Setning %d</seg></tuv><tuv xml:lang=\\\"en\\\"><seg>Sentence %d</seg></tuv></tu>\\n\", i, i }"
		echo "<tu><tuv xml:lang=\"nb\"><seg>Feil</seg></tuv><tuv xml:lang=\"12345\"><seg>Bad</seg></tuv></tu>"
		echo "<tu><tuv xml:lang=\"nb\"><seg>Etter</seg></tuv><foo/></tu>"
		echo "</body></tmx>"
	} >bad.tmx
	run import bad.tmx
	expect_rc 2
	expect_err "bad.tmx:3003: .12345. is not a language tag"
	expect_err "nothing imported"
	# read ahead or not, the messages are those of a reader that stopped
	# there, in order
	expect_eq "$(grep -n "unknown element <bar>" err | cut -d: -f1)" 1
	if grep -q "<foo>" err; then fail "a warning from after the error"; fi
	run stats --json
	expect_out "\"units\": ?0[,}]"
'

test_done
