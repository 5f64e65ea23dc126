#!/bin/sh
# Every file of the shared TMX corpus imports with exactly the manifest's
# `units`, warns where the manifest's importer hint says so, exports as
# DTD-valid TMX 1.4b, and imports again to the same number of units.
. "$(dirname "$0")/lib.sh"

C="$TOLK_SHARED/corpus/tmx"
DTD="$TOLK_SHARED/spec/tmx/tmx14.dtd"

# db_units DB: units stored in DB
db_units() {
	sqlite3 "$1" "SELECT count(*) FROM unit"
}

test_case "the manifest lists the 56 corpus files" '
	[ -r "$C/manifest.tsv" ] || fail "no manifest at $C"
	expect_eq "$(tail -n +2 "$C/manifest.tsv" | wc -l | tr -d " ")" 56
'

test_case "each corpus file imports storing exactly the manifest units" '
	tail -n +2 "$C/manifest.tsv" | while IFS="	" read -r f tool ver enc tu units rest; do
		rm -f "$T/c.db"*
		"$TOLK" --db "$T/c.db" import "$C/$f" >"$T/out" 2>"$T/err" ||
			{ fail "$f: exit $?: $(head -c 300 "$T/err")"; continue; }
		n=$(db_units "$T/c.db")
		[ "$n" = "$units" ] || fail "$f: stored $n units, manifest says $units"
		grep -q "^$C/$f: $tu read, " "$T/out" || fail "$f: summary: $(cat "$T/out")"
	done
'

test_case "files whose importer hint says warn get a warning" '
	tail -n +2 "$C/manifest.tsv" | while IFS="	" read -r f tool ver enc tu units rest; do
		case "$rest" in *"importer: "*warn*) ;; *) continue ;; esac
		rm -f "$T/c.db"*
		"$TOLK" --db "$T/c.db" import "$C/$f" >"$T/out" 2>"$T/err"
		grep -q "^tolk import: $C/$f:[0-9]*: warning: " "$T/err" || fail "$f: no warning"
	done
'

test_case "the ttk and apertium duplicates merge (259 to 209, 20 to 19)" '
	run import "$C/ttk-3.10-escaped-html.tmx"
	expect_out "259 read, 209 imported, 50 merged"
	rm -f "$TOLK_DB"*
	run import "$C/apertium-nob-nno-iso639-3.tmx"
	expect_out "20 read, 19 imported, 1 merged"
'

test_case "every corpus export is valid TMX 1.4b and re-imports to the same units" '
	command -v xmllint >/dev/null || fail "xmllint missing"
	tail -n +2 "$C/manifest.tsv" | while IFS="	" read -r f tool ver enc tu units rest; do
		rm -f "$T/c.db"* "$T/d.db"* "$T/e.tmx"
		"$TOLK" --db "$T/c.db" import "$C/$f" >/dev/null 2>&1
		"$TOLK" --db "$T/c.db" export --all-languages "$T/e.tmx" >"$T/out" 2>"$T/err" ||
			{ fail "$f: export failed: $(cat "$T/err")"; continue; }
		grep -Eq "^exported $units units? to " "$T/out" || fail "$f: $(cat "$T/out")"
		xmllint --noout --nonet --dtdvalid "$DTD" "$T/e.tmx" 2>"$T/xerr" ||
			fail "$f: export not valid: $(head -c 400 "$T/xerr")"
		"$TOLK" --db "$T/d.db" import "$T/e.tmx" >/dev/null 2>"$T/err" ||
			fail "$f: re-import failed: $(cat "$T/err")"
		n=$(db_units "$T/d.db")
		[ "$n" = "$units" ] || fail "$f: re-import stored $n, expected $units"
	done
'

test_case "a round trip keeps texts, whitespace, markup, props and notes" '
	rm -f "$T"/*.db*
	for f in "$C"/*.tmx; do
		"$TOLK" --db "$T/a.db" import "$f" >/dev/null 2>&1 || fail "import $f"
	done
	"$TOLK" --db "$T/a.db" export --all-languages "$T/e.tmx" >/dev/null || fail export
	"$TOLK" --db "$T/b.db" import "$T/e.tmx" >/dev/null 2>&1 || fail reimport
	for q in "SELECT count(*) FROM unit" \
		"SELECT kind || \"/\" || hex(value) FROM extra ORDER BY id"; do
		a=$(sqlite3 "$T/a.db" "$q" | md5sum)
		b=$(sqlite3 "$T/b.db" "$q" | md5sum)
		[ "$a" = "$b" ] || fail "differs after round trip: $q"
	done
	# text and markup, their bytes escaped one for one
	for db in a b; do
		variants "$T/$db.db" | cut -d "|" -f 5,6 >"$T/$db.texts"
	done
	[ -s "$T/a.texts" ] || fail "no variants"
	cmp -s "$T/a.texts" "$T/b.texts" ||
		fail "texts differ after round trip: $(diff "$T/a.texts" "$T/b.texts" | head -4)"
	# the LISA whitespace test: tab and spaces from char refs survive
	# (a tab is \t once the escaped backslashes are taken out)
	cut -d "|" -f 1 "$T/b.texts" | sed "s/\\\\\\\\//g" | grep -qF "\\t" ||
		fail "tabs lost"
'

test_done
