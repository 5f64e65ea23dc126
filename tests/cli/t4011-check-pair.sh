#!/bin/sh
# tolk check --pair: an article and its translation are aligned, then
# checked; findings name the Norwegian file and line.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures"

test_case "the demo article and its correct translation are clean" '
	run glossary import "$fx/demo-glossary.tsv"
	run check --pair "$fx/paris-summit.nb.txt" "$fx/paris-summit.en.txt"
	expect_rc 0
	[ ! -s "$T/out" ] || fail "noise: $(cat "$T/out")"
'

test_case "three planted violations are found at their lines, and nothing else" '
	run glossary import "$fx/demo-glossary.tsv"
	sed "s/the news bureau NTB/NTB/; s/Office of the Prime Minister, the leaders/Prime Minister'"'"'s Office, the leaders/; s/NOK 12,000 million/NOK 13,000 million/" \
		"$fx/paris-summit.en.txt" > "$T/bad.en.txt"
	run check --json --pair "$fx/paris-summit.nb.txt" "$T/bad.en.txt"
	expect_rc 1
	expect_eq "$(wc -l < "$T/out" | tr -d " ")" 3
	expect_out "\"kind\":\"missing\",\"file\":\"[^\"]*paris-summit.nb.txt\",\"line\":3,.*\"term\":\"NTB\""
	expect_out "\"kind\":\"missing\",.*\"line\":4,.*\"term\":\"Statsministerens kontor\""
	expect_out "\"kind\":\"number\",.*\"line\":6,"
'

test_case "--pair needs exactly two files" '
	run glossary import "$fx/demo-glossary.tsv"
	run check --pair "$fx/paris-summit.nb.txt"
	expect_rc 2
	expect_err "NB_FILE and EN_FILE"
	run check --pair --tm a b
	expect_rc 2
'
test_done
