#!/bin/sh
# tolk check on the sixth held-out newsroom set (fixtures/check/heldout6,
# written before reading the check's rules): every planted violation found,
# correct English silent but for one word in its other sense, and the rules
# added after measuring it shown with sentences of their own.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout6"
G="$fx/house-glossary.tsv"

test_case "the sixth held-out set: every planted violation found, clean text silent" '
	# "en ekte skatt" is a treasure: the bare form of an entry with
	# exceptions is ambiguous (see t4018)
	run check --json --glossary "$G" "$fx/clean.tsv"
	expect_rc 0
	expect_planted "$fx" "$G"
	expect_articles "$fx" "$G" wolf-cull er-queue
'

test_case "a word the Norwegian stemmer derives the term from is another word" '
	printf "sannhet\ttruth\n" > g.tsv
	printf "Historien er sann.\tThe story is true.\n" > a.tsv
	printf "Sannheten kom fram.\tThe facts came out.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "2\tmissing\tsannhet\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "the plural of a noun in -e is the term, and where word order wants a verb it is the verb" '
	printf "vare\tproduct\n" > g.tsv
	printf "Butikken mangler varer.\tThe shop is short of stock.\n" > a.tsv
	printf "Møtet varer i to timer.\tThe meeting lasts two hours.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "1\tmissing\tvare\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'
