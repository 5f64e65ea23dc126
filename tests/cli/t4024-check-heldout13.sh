#!/bin/sh
# tolk check on the thirteenth held-out newsroom set (fixtures/check/heldout13,
# written before reading the check's rules and measured on the session's
# final rules): every planted violation found, correct English silent but
# for one word in another sense.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout13"
G="$fx/house-glossary.tsv"

test_case "the thirteenth held-out set: every planted violation found, clean text silent but for den tiltalte, the articles silent" '
	# "den tiltalte" is the accused, not the participle "tiltalt"
	# (charged) the entry means: only an exception phrase settles it
	run check --json --glossary "$G" "$fx/clean.tsv"
	expect_rc 1
	findings "$T/out" > got.txt
	printf "55\tmissing\ttiltalt\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
	expect_planted "$fx" "$G"
	expect_articles "$fx" "$G" appeal-verdict storm-warning
'
