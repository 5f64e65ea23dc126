#!/bin/sh
# tolk check on the twelfth held-out newsroom set (fixtures/check/heldout12,
# written before reading the check's rules and measured after every other
# round), and the rule added after measuring it.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout12"
G="$fx/house-glossary.tsv"

# still missed: Kripos opening a sentence is taken for a common word
# there (see t4022)
LEFT='^27	missing	Kripos$'

test_case "the twelfth held-out set: clean text silent, the planted violations found, the articles silent" '
	run check --json --glossary "$G" "$fx/clean.tsv"
	expect_rc 0
	expect_planted "$fx" "$G" "$LEFT"
	expect_articles "$fx" "$G" court-verdict rate-decision
'

test_case "check: a noun in -er is not another word of its stem (forsvar, Forsvaret for forsvarer)" '
	printf "forsvarer\tdefence lawyer\nkroner\tkroner\n" > g.tsv
	cat > p.tsv <<-EOF
	Alle har rett til et forsvar.	Everyone has the right to a defence.
	Forsvaret øver i nord.	The armed forces are training in the north.
	Forsvareren anker dommen.	The lawyer will appeal the verdict.
	Kronen styrket seg.	The currency strengthened.
	EOF
	run check --json --glossary g.tsv p.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "3\tmissing\tforsvarer\n4\tmissing\tkroner\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'
