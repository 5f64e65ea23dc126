#!/bin/sh
# XLIFF import, tolk pretranslate and tolk analyze.
. "$(dirname "$0")/lib.sh"

C="$TOLK_SHARED/corpus/xliff"

if [ -f "$C/manifest.tsv" ]; then
test_case "every corpus XLIFF file imports one unit per segment with a target" '
	n=0
	tail -n +2 "$C/manifest.tsv" | cut -f1,8,9 >rows
	while IFS="	" read -r f segs with; do
		n=$((n + 1))
		run --db "$T/$n.db" import --json "$C/$f"
		expect_rc 0
		read=$(sed -n "s/.*\"read\":\([0-9]*\).*/\1/p" "$T/out")
		imp=$(sed -n "s/.*\"imported\":\([0-9]*\).*/\1/p" "$T/out")
		mer=$(sed -n "s/.*\"merged\":\([0-9]*\).*/\1/p" "$T/out")
		[ "$read" = "$segs" ] || fail "$f: $read segments read, manifest says $segs"
		[ $((imp + mer)) = "$with" ] || fail "$f: $imp imported + $mer merged, manifest says $with with a target"
	done <rows
	[ "$n" -ge 30 ] || fail "only $n corpus files"
'
else
test_skip "every corpus XLIFF file imports one unit per segment with a target" "no corpus at $C"
fi

write_xlf() {
	cat >"$1" <<'XLF'
<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="a.txt" source-language="nb" target-language="en" datatype="plaintext">
  <body>
   <trans-unit id="1">
    <source>Møtet starter klokken ni.</source>
    <target state="final">The meeting starts at nine.</target>
    <note>from the minutes</note>
   </trans-unit>
   <trans-unit id="2">
    <source>Dette er <g id="1">viktig</g>.</source>
    <target>This is <g id="1">important</g>.</target>
   </trans-unit>
   <trans-unit id="3">
    <source>Uten oversettelse.</source>
   </trans-unit>
  </body>
 </file>
</xliff>
XLF
}

test_case "import keeps state and notes as props and inline tags as TMX markup" '
	write_xlf a.xlf
	run import a.xlf
	expect_rc 0
	expect_out "^a\\.xlf: 3 read, 2 imported, 0 merged, 1 skipped \\(1 without target\\)$"
	run export out.tmx
	grep -q "<prop type=\"x-xliff-state\">final</prop>" out.tmx || fail "no state prop: $(cat out.tmx)"
	grep -q "<note>from the minutes</note>" out.tmx || fail "no note"
	grep -q "<bpt i=\"1\" type=\"x-xliff1\">&lt;g id=.1.&gt;</bpt>viktig<ept i=\"1\">&lt;/g&gt;</ept>" out.tmx || fail "markup: $(grep viktig out.tmx)"
	run lookup "Dette er viktig."
	expect_out "This is important\\."
'

test_case "a hostile XLIFF file is refused with its location and nothing imported" '
	write_xlf a.xlf
	{ echo "<?xml version=\"1.0\"?>"
	  echo "<!DOCTYPE xliff [ <!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
	  echo "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"> ]>"
	  echo "<xliff version=\"1.2\"><file source-language=\"nb\" target-language=\"en\"><body>"
	  echo "<trans-unit id=\"1\"><source>&b;</source><target>&b;</target></trans-unit>"
	  echo "</body></file></xliff>"; } >evil.xlf
	run import a.xlf evil.xlf
	expect_rc 2
	expect_err "evil\\.xlf.*entity declarations are not accepted"
	expect_err "nothing imported"
	printf "<xliff version=\"1.2\"><file><body><trans-unit id=\"1\"><source>x</source></body></file></xliff>\n" >broken.xlf
	run import broken.xlf
	expect_rc 2
	expect_err "broken\\.xlf:1:[0-9]+: not well-formed XML"
	printf "<tmx version=\"1.4\"/>\n" >nope.xlf
	run import nope.xlf
	expect_rc 2
	expect_err "not XLIFF"
	run stats --json
	expect_out "\"units\":0"
'

test_done
