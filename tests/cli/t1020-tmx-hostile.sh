#!/bin/sh
# Broken and hostile TMX: refused with a located error and the database
# exactly as before; --recover salvages and lists what it dropped.
. "$(dirname "$0")/lib.sh"

# A database with something in it, and its dump to compare against.
seed() {
	run add "Ja" "Yes"
	run add "Nei" "No"
	sqlite3 "$TOLK_DB" .dump >"$T/before.sql"
}

unchanged() {
	sqlite3 "$TOLK_DB" .dump >"$T/after.sql"
	cmp -s "$T/before.sql" "$T/after.sql" || fail "database changed: $(diff "$T/before.sql" "$T/after.sql" | head -5)"
}

tu() { # tu N: a nb-en unit
	printf '<tu tuid="%s"><tuv xml:lang="nb"><seg>Setning %s</seg></tuv><tuv xml:lang="en"><seg>Sentence %s</seg></tuv></tu>\n' "$1" "$1" "$1"
}

test_case "import_refuses_truncated_file with its location" '
	seed
	{ echo "<tmx version=\"1.4\"><header/><body>"; tu 1; tu 2; printf "<tu><tuv xml:lang=\"nb\"><seg>Halv"; } >t.tmx
	run import t.tmx
	expect_rc 2
	expect_err "^tolk import: t\\.tmx:4:[0-9]+: "
	unchanged
'

test_case "import --recover salvages a truncated file and lists the loss" '
	{ echo "<tmx version=\"1.4\"><header/><body>"; tu 1; tu 2; printf "<tu><tuv xml:lang=\"nb\"><seg>Halv"; } >t.tmx
	run import --recover t.tmx
	expect_rc 0
	expect_out "2 read, 2 imported"
	expect_err "warning: dropped an unreadable <tu> and the rest of the file"
'

test_case "import_refuses_bad_encoding (invalid UTF-8) with line and column" '
	seed
	{ echo "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"; echo "<tmx version=\"1.4\"><header/><body>"; tu 1
	  printf "<tu><tuv xml:lang=\"nb\"><seg>bl\\377\\376</seg></tuv></tu>\\n</body></tmx>\\n"; } >e.tmx
	run import e.tmx
	expect_rc 2
	expect_err "^tolk import: e\\.tmx:4:[0-9]+: .*UTF-8"
	unchanged
'

test_case "control characters are refused, and removed with --recover" '
	seed
	{ echo "<tmx version=\"1.4\"><header/><body>"; tu 1
	  printf "<tu><tuv xml:lang=\"nb\"><seg>a\\001b\\033c</seg></tuv><tuv xml:lang=\"en\"><seg>ab</seg></tuv></tu>\\n</body></tmx>\\n"; } >c.tmx
	run import c.tmx
	expect_rc 2
	expect_err "^tolk import: c\\.tmx:3:[0-9]+: .*[Cc]har"
	unchanged
	run import --recover c.tmx
	expect_rc 0
	expect_out "2 read, 2 imported"
	expect_err "removed 2 invalid control characters"
	run lookup "abc"
	expect_rc 0
'

test_case "XXE: an external entity naming a local file is never read" '
	seed
	echo "TOPSECRET-42" >secret.txt
	cat >x.tmx <<EOF
<?xml version="1.0"?>
<!DOCTYPE tmx [ <!ENTITY xxe SYSTEM "file://$T/secret.txt"> ]>
<tmx version="1.4"><header/><body>
<tu><tuv xml:lang="nb"><seg>A &xxe; B</seg></tuv><tuv xml:lang="en"><seg>A B</seg></tuv></tu>
</body></tmx>
EOF
	run import x.tmx
	expect_rc 2
	expect_err "^tolk import: x\\.tmx:4: entity reference .&xxe;. in <seg>"
	unchanged
	run import --recover x.tmx
	expect_rc 0
	if grep -q TOPSECRET "$T/out" "$T/err"; then fail "secret printed"; fi
	if sqlite3 "$TOLK_DB" .dump | grep -q TOPSECRET; then fail "secret stored"; fi
'

test_case "an external DTD is not loaded" '
	seed
	echo "<!ENTITY ext \"FROM-THE-DTD\">" >evil.dtd
	cat >d.tmx <<EOF
<?xml version="1.0"?>
<!DOCTYPE tmx SYSTEM "$T/evil.dtd">
<tmx version="1.4"><header/><body>
<tu><tuv xml:lang="nb"><seg>A &ext; B</seg></tuv><tuv xml:lang="en"><seg>A B</seg></tuv></tu>
</body></tmx>
EOF
	run import d.tmx
	expect_rc 2
	expect_err "^tolk import: d\\.tmx:4:[0-9]+: Entity .ext. not defined"
	unchanged
	run import --recover d.tmx
	if sqlite3 "$TOLK_DB" .dump | grep -q FROM-THE-DTD; then fail "DTD was loaded"; fi
'

test_case "billion laughs is refused at once" '
	seed
	{ echo "<?xml version=\"1.0\"?>"; echo "<!DOCTYPE tmx ["
	  echo "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
	  p=a; for e in b c d e f g h i j k; do
		echo "<!ENTITY $e \"&$p;&$p;&$p;&$p;&$p;&$p;&$p;&$p;&$p;&$p;\">"; p=$e; done
	  echo "]>"; echo "<tmx version=\"1.4\"><header/><body>"
	  echo "<tu><tuv xml:lang=\"nb\"><seg>&k;</seg></tuv><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>"
	  echo "</body></tmx>"; } >l.tmx
	start=$(date +%s)
	run import l.tmx
	expect_rc 2
	expect_err "^tolk import: l\\.tmx:[0-9]+:[0-9]+: .*entity"
	[ $(($(date +%s) - start)) -lt 5 ] || fail "took too long"
	unchanged
'

test_case "a <tuv> without <seg> is an error; --recover drops it and says so" '
	seed
	{ echo "<tmx version=\"1.4\"><header/><body>"; tu 1
	  echo "<tu tuid=\"2\"><tuv xml:lang=\"nb\"><seg>To</seg></tuv><tuv xml:lang=\"en\"></tuv></tu>"
	  echo "</body></tmx>"; } >s.tmx
	run import s.tmx
	expect_rc 2
	expect_err "^tolk import: s\\.tmx:3: <tuv> has no <seg>"
	unchanged
	run import --recover s.tmx
	expect_rc 0
	expect_out "2 read, 2 imported"
	expect_err "s\\.tmx:3: warning: dropped <tuv>: <tuv> has no <seg>"
'

test_case "inline depth and segment size are bounded with clear errors" '
	seed
	{ echo "<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"nb\"><seg>"
	  i=0; while [ $i -lt 40 ]; do printf "<hi>"; i=$((i+1)); done; printf x
	  i=0; while [ $i -lt 40 ]; do printf "</hi>"; i=$((i+1)); done
	  echo "</seg></tuv></tu></body></tmx>"; } >deep.tmx
	run import deep.tmx
	expect_rc 2
	expect_err "^tolk import: deep\\.tmx:[0-9]+: inline markup nested deeper than 32 levels"
	{ echo "<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"nb\"><seg>"
	  i=0; while [ $i -lt 300 ]; do printf "<hi>"; i=$((i+1)); done; printf x
	  i=0; while [ $i -lt 300 ]; do printf "</hi>"; i=$((i+1)); done
	  echo "</seg></tuv></tu></body></tmx>"; } >deeper.tmx
	run import deeper.tmx
	expect_rc 2
	expect_err "^tolk import: deeper\\.tmx:[0-9]+:[0-9]+: .*[Dd]epth"
	{ echo "<tmx version=\"1.4\"><header/><body><tu><tuv xml:lang=\"nb\"><seg>"
	  awk "BEGIN { for (i = 0; i < 120000; i++) printf \"abcdefghi \" }"
	  echo "</seg></tuv></tu></body></tmx>"; } >big.tmx
	run import big.tmx
	expect_rc 2
	expect_err "^tolk import: big\\.tmx:[0-9]+: segment longer than 1048576 bytes"
	unchanged
'

test_case "a failure half-way through a large file leaves the database as it was" '
	seed
	{ echo "<tmx version=\"1.4\"><header/><body>"
	  awk "BEGIN { for (i = 1; i <= 20000; i++) printf \"<tu tuid=\\\"%d\\\"><tuv xml:lang=\\\"nb\\\"><seg>Setning %d</seg></tuv><tuv xml:lang=\\\"en\\\"><seg>Sentence %d</seg></tuv></tu>\\n\", i, i, i }"
	  echo "<tu><tuv xml:lang=\"nb\"><seg>brutt</tuv></tu>"
	  echo "</body></tmx>"; } >large.tmx
	run import large.tmx
	expect_rc 2
	expect_err "^tolk import: large\\.tmx:20002:[0-9]+: "
	unchanged
	run stats --json
	expect_out "\"units\":2,"
'

test_case "a later bad file undoes the earlier good ones of the same command" '
	seed
	{ echo "<tmx version=\"1.4\"><header/><body>"; tu 1; echo "</body></tmx>"; } >good.tmx
	echo "<tmx version=\"1.4\"><header/><body><tu>" >bad.tmx
	run import good.tmx bad.tmx
	expect_rc 2
	expect_err "^tolk import: bad\\.tmx:"
	unchanged
'

test_done
