#!/bin/sh
# tolk check on the fourteenth held-out newsroom set (fixtures/check/heldout14,
# written before reading the check's rules and measured on the session's
# final rules): correct English silent, the planted violations found but
# one inside a compound.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout14"
G="$fx/house-glossary.tsv"

# still missed: departement inside Forsvarsdepartementet ("The Defence
# Department"); terms inside compounds are found only with --compounds
LEFT='^3	forbidden	departement$'

test_case "the fourteenth held-out set: clean text silent, the planted violations found, the articles silent" '
	run check --json --glossary "$G" "$fx/clean.tsv"
	expect_rc 0
	run check --json --glossary "$G" "$fx/planted.tsv"
	expect_rc 1
	findings "$T/out" > got.txt
	grep -v "$LEFT" "$fx/planted.expected" | sort > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
	expect_articles "$fx" "$G" gp-crisis toll-ruling
'
