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
	expect_planted "$fx" "$G" "$LEFT"
	expect_articles "$fx" "$G" gp-crisis toll-ruling
'
