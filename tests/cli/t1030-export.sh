#!/bin/sh
# tolk export: TMX 1.4b out, language selection, --since, --origin,
# Norwegian as nb, temporary file and rename.
. "$(dirname "$0")/lib.sh"

DTD="$TOLK_SHARED/spec/tmx/tmx14.dtd"

write_tmx() { # write_tmx FILE NBTAG
	cat >"$1" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="test" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="$2" datatype="plaintext"/>
<body>
<tu tuid="1" changedate="2023-06-01T10:00:00Z">
<tuv xml:lang="$2"><seg>Ja <ph x="1">&lt;br/&gt;</ph> takk</seg></tuv>
<tuv xml:lang="en"><seg>Yes <ph x="1">&lt;br/&gt;</ph> please</seg></tuv>
<tuv xml:lang="de"><seg>Ja bitte</seg></tuv>
</tu>
<tu tuid="2" creationdate="20250101T000000Z">
<tuv xml:lang="$2"><seg>Nei</seg></tuv>
<tuv xml:lang="en"><seg>No</seg></tuv>
</tu>
<tu tuid="3"><tuv xml:lang="de"><seg>Nur Deutsch</seg></tuv></tu>
</body>
</tmx>
EOF
}

test_case "export writes valid TMX 1.4b with tolk's header" '
	write_tmx a.tmx nb
	run import a.tmx
	run export out.tmx
	expect_rc 0
	expect_out "^exported 2 units to out\\.tmx$"
	xmllint --noout --nonet --dtdvalid "$DTD" out.tmx 2>xerr || fail "invalid: $(cat xerr)"
	head -1 out.tmx | grep -q "encoding=\"UTF-8\"" || fail "not UTF-8"
	grep -q "<header creationtool=\"tolk\" creationtoolversion=\"[0-9.]*\" segtype=\"sentence\" o-tmf=\"tolk\" adminlang=\"en\" srclang=\"nb\" datatype=\"plaintext\" creationdate=\"[0-9]\\{8\\}T[0-9]\\{6\\}Z\"/>" out.tmx || fail "header: $(grep "<header" out.tmx)"
'

test_case "units keep what they inherited from their file header under tolk's header" '
	write_tmx a.tmx nb
	sed -e "s/segtype=\"sentence\"/segtype=\"paragraph\"/" -e "s/datatype=\"plaintext\"/datatype=\"html\"/" a.tmx >p.tmx
	run import p.tmx
	run export one.tmx
	grep -q "<header [^>]*segtype=\"sentence\"[^>]*datatype=\"plaintext\"" one.tmx || fail "$(grep "<header" one.tmx)"
	grep -q "<tu tuid=\"1\" [^>]*segtype=\"paragraph\" datatype=\"html\">" one.tmx || fail "$(grep "<tu " one.tmx)"
	xmllint --noout --nonet --dtdvalid "$DTD" one.tmx 2>xerr || fail "invalid: $(cat xerr)"
	run export --origin p.tmx p2.tmx
	grep -q "<header creationtool=\"test\" [^>]*segtype=\"paragraph\"" p2.tmx || fail "$(grep "<header" p2.tmx)"
	grep -q "<tu tuid=\"1\" changedate=\"[0-9TZ]*\">" p2.tmx || fail "$(grep "<tu " p2.tmx)"
'


test_case "by default only the pair is written; --all-languages writes everything" '
	write_tmx a.tmx nb
	run import a.tmx
	run export out.tmx
	grep -q "Ja bitte" out.tmx && fail "German variant exported"
	grep -q "Nur Deutsch" out.tmx && fail "German-only unit exported"
	grep -q "<seg>Yes <ph x=\"1\">&lt;br/&gt;</ph> please</seg>" out.tmx || fail "markup lost"
	run export --all-languages all.tmx
	expect_out "exported 3 units"
	grep -q "Ja bitte" all.tmx || fail "German variant missing"
	grep -q "srclang=\"\\*all\\*\"" all.tmx || fail "srclang not *all*"
'

test_case "dates are written as YYYYMMDDThhmmssZ and --since filters on them" '
	write_tmx a.tmx nb
	run import a.tmx
	run export out.tmx
	grep -q "changedate=\"20230601T100000Z\"" out.tmx || fail "date not normalised"
	run export --since 2024-01-01 new.tmx
	expect_out "exported 1 unit"
	grep -q "tuid=\"2\"" new.tmx || fail "new unit missing"
	run export --since 20230101 both.tmx
	expect_out "exported 2 units"
	run export --since "last week" x.tmx
	expect_rc 2
	expect_err "last week"
'

test_case "Norwegian no is written as nb unless --keep-no" '
	write_tmx a.tmx no-NO
	run import a.tmx
	run export out.tmx
	grep -q "xml:lang=\"nb-NO\"" out.tmx || fail "no-NO not written as nb-NO"
	grep -q "xml:lang=\"no" out.tmx && fail "no still written"
	run export --keep-no keep.tmx
	grep -q "xml:lang=\"no-NO\"" keep.tmx || fail "--keep-no ignored"
'

test_case "--origin exports the units of one imported file" '
	write_tmx a.tmx nb
	run import a.tmx "$TOLK_TOP/fixtures/demo-units.tsv"
	run export --origin demo-units.tsv d.tmx
	n=$(grep -vc "^#" "$TOLK_TOP/fixtures/demo-units.tsv")
	expect_out "exported $n units"
	run export --origin a.tmx a2.tmx
	expect_out "exported 2 units"
'

test_case "export - writes to standard output" '
	write_tmx a.tmx nb
	run import a.tmx
	run export -
	expect_rc 0
	expect_out "^<tmx version=\"1\\.4\">"
	expect_out "<seg>Nei</seg>"
'

test_case "the file is replaced whole: no temporary left; a failed export names the file" '
	write_tmx a.tmx nb
	run import a.tmx
	echo old >out.tmx
	run export out.tmx
	expect_rc 0
	ls | grep -q "\\.tmp\\." && fail "temporary left: $(ls)"
	grep -q "<tmx" out.tmx || fail "not replaced"
	run export nodir/out.tmx
	expect_rc 3
	expect_err "nodir/out\\.tmx"
'

test_case "an export into a folder without write permission fails and keeps the old file" '
	write_tmx a.tmx nb
	run import a.tmx
	if [ "$(id -u)" != 0 ]; then
		mkdir ro && echo old >ro/out.tmx && chmod 555 ro
		run export ro/out.tmx
		chmod 755 ro
		expect_rc 3
		expect_eq "$(cat ro/out.tmx)" old
	else
		# root ignores permissions: the export runs as nobody, in a
		# folder of /tmp that nobody can read but not write
		command -v runuser >/dev/null || skip "needs runuser to export as nobody"
		S=$(mktemp -d /tmp/tolk-export.XXXXXX)
		chmod 755 "$S" && cp tm.db "$S/" && chmod 644 "$S/tm.db"
		mkdir "$S/ro" && echo old >"$S/ro/out.tmx" && chmod 555 "$S/ro"
		rc=0
		runuser -u nobody -- "$TOLK" --db "$S/tm.db" export "$S/ro/out.tmx" >out 2>err || rc=$?
		old=$(cat "$S/ro/out.tmx")
		left=$(ls "$S/ro")
		rm -rf "$S"
		[ "$rc" -eq 3 ] || fail "exit status $rc, expected 3: $(cat err)"
		expect_eq "$old" old
		expect_eq "$left" out.tmx
	fi
'

test_case "control characters from tolk add are left out, keeping the file valid" '
	run add "a$(printf "\\001")b" "c$(printf "\\033")d"
	run export out.tmx
	expect_rc 0
	xmllint --noout --nonet --dtdvalid "$DTD" out.tmx 2>xerr || fail "invalid: $(cat xerr)"
	grep -q "<seg>ab</seg>" out.tmx || fail "$(grep seg out.tmx)"
'

test_case "export of a missing database says so" '
	run export out.tmx
	expect_rc 3
	expect_err "no translation memory"
'

# A FIFO stands in for /dev/null and other special files: renaming a
# finished temporary over one would replace it (as root, /dev/null itself).
fifo_write() { # fifo_write CMD-ARGS... (writing into ./fifo)
	rm -f fifo got
	mkfifo fifo
	timeout 20 cat fifo >got &
	reader=$!
	run "$@"
	wait $reader || fail "nothing written into the FIFO: $(cat err)"
	[ -p fifo ] || fail "the FIFO was replaced by a file"
	ls fifo.tmp* >/dev/null 2>&1 && fail "temporary left: $(ls fifo.tmp*)"
	return 0
}

test_case "a FIFO or device given as output is written into, not replaced" '
	write_tmx a.tmx nb
	run import a.tmx
	fifo_write export fifo
	expect_rc 0
	grep -q "<seg>Nei</seg>" got || fail "export: $(cat got)"
	run glossary add statsminister "Prime Minister"
	fifo_write glossary export --format tsv fifo
	expect_rc 0
	grep -q "Prime Minister" got || fail "glossary: $(cat got)"
	printf "%s\n" "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" \
		"<xliff version=\"1.2\" xmlns=\"urn:oasis:names:tc:xliff:document:1.2\">" \
		"<file original=\"a\" source-language=\"nb\" target-language=\"en\" datatype=\"plaintext\"><body>" \
		"<trans-unit id=\"1\"><source>Nei</source></trans-unit>" \
		"</body></file></xliff>" >doc.xlf
	fifo_write pretranslate -o fifo doc.xlf
	expect_rc 0
	grep -q "<target[^>]*>No</target>" got || fail "pretranslate: $(cat got)"
'

test_done
