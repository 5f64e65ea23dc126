#!/bin/sh
# tolk check on the fourth held-out newsroom set (fixtures/check/heldout4,
# written before reading the check's rules): correct English silent, every
# planted violation found and nothing else, and the rules added after
# measuring it shown through the command line.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout4"
G="$fx/house-glossary.tsv"

test_case "the fourth held-out set: clean text silent, every planted violation found" '
	run check --glossary "$G" "$fx/clean.tsv"
	expect_rc 0
	expect_planted "$fx" "$G"
'

test_case "its correct articles are silent with --pair, its planted one is not" '
	expect_articles "$fx" "$G" ferry rent-tax
'

test_case "an agent noun in a verb position is the verb, elsewhere the term" '
	printf "leder\tleader\t\tforbid=boss\n" > g.tsv
	printf "Hun leder arbeidet.\tShe heads the work.\n" > a.tsv
	printf "Direktøren leder etaten.\tThe director runs the agency.\n" >> a.tsv
	printf "Partiet fikk ny leder.\tThe party got a new boss.\n" >> a.tsv
	printf "Hans leder svarte.\tHis manager replied.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "3\tforbidden\tleder\n4\tmissing\tleder\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a party nickname is not its adjective; an approved word of another source word excuses nothing" '
	printf "Rødt\tRed Party\t\tcase=sensitive\nstatsråd\tminister\t\tforbid=state councillor\n" > g.tsv
	printf "Både SV og Rødt sa nei.\tBoth SV and the Reds said no.\n" > b.tsv
	printf "Lederen i Rødt sa nei.\tThe Red leader said no.\n" >> b.tsv
	printf "Statsråden møtte statsministeren.\tThe state councillor met the prime minister.\n" >> b.tsv
	run check --json --glossary g.tsv b.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "1\tmissing\tRødt\n3\tforbidden\tstatsråd\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'
