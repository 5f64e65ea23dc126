#!/bin/sh
# tolk check reads TMX files with the TMX reader: the same segments give
# the same findings as in TSV, located at the <tu>'s line.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures"

test_case "a TMX made from the planted-violation TSV has the same findings" '
	run --db "$T/a.db" import "$fx/demo-check.tsv"
	expect_rc 0
	run --db "$T/a.db" export "$T/check.tmx"
	expect_rc 0
	run check --json --glossary "$fx/demo-glossary.tsv" "$fx/demo-check.tsv"
	expect_rc 1
	sed -n "s/.*\"kind\":\"\([a-z]*\)\".*\"term\":\"\([^\"]*\)\".*/\1 \2/p" "$T/out" | sort > "$T/tsv"
	run check --json --glossary "$fx/demo-glossary.tsv" "$T/check.tmx"
	expect_rc 1
	expect_out "\"file\":\"[^\"]*check.tmx\",\"line\":[0-9]+"
	sed -n "s/.*\"kind\":\"\([a-z]*\)\".*\"term\":\"\([^\"]*\)\".*/\1 \2/p" "$T/out" | sort > "$T/tmx"
	[ -s "$T/tsv" ] || fail "no findings from the TSV"
	cmp -s "$T/tsv" "$T/tmx" || fail "findings differ: $(diff "$T/tsv" "$T/tmx")"
'

test_case "a correct translation as TMX is clean (exit 0)" '
	run --db "$T/a.db" import "$fx/demo-units.tsv"
	run --db "$T/a.db" export "$T/ok.tmx"
	run check --glossary "$fx/demo-glossary.tsv" "$T/ok.tmx"
	expect_rc 0
'

test_case "a broken TMX is refused with its location" '
	printf "<tmx version=\"1.4\"><header srclang=\"nb\"/><body><tu><tuv xml:lang=\"nb\"><seg>x</seg></tuv>\n" > "$T/bad.tmx"
	run check --glossary "$fx/demo-glossary.tsv" "$T/bad.tmx"
	expect_rc 2
	expect_err "bad.tmx:[0-9]+:"
'
test_done
