#!/bin/sh
# tolk check on the ninth held-out newsroom set (fixtures/check/heldout9,
# written before reading the check's rules), and the rules added after
# measuring it, shown with sentences of their own.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout9"
G="$fx/house-glossary.tsv"

test_case "the ninth held-out set: every planted violation found, clean text and articles silent" '
	run check --json --glossary "$G" "$fx/clean.tsv"
	expect_rc 0
	expect_planted "$fx" "$G"
	expect_articles "$fx" "$G" rate-cut alta-ruling
'

test_case "members name a body named just before, a place name stands alone, a copied bare name is untranslated" '
	printf "politi\tpolice\nkommune\tmunicipality\nStortinget\tStorting\n" > g.tsv
	printf "Frp\tProgress Party\nMDG\tGreen Party\nrente\trate\n" >> g.tsv
	printf "Politiet leter etter en mann.\tOfficers are looking for a man.\n" > i.tsv
	printf "Politiet fant mannen i natt.\tPolice found the man overnight.\n" >> i.tsv
	printf "Politiet avhørte mannen i dag.\tDetectives questioned the man today.\n" >> i.tsv
	printf "Skolen ligger i Vestby kommune.\tThe school is in Vestby.\n" >> i.tsv
	printf "Skolen ligger i Ås kommune.\tThe school is in the Ås district.\n" >> i.tsv
	printf "Stortinget tar ferie.\tThe Stortinget goes on holiday.\n" >> i.tsv
	printf "Frp og MDG stemte imot.\tThe Progress Party and the Greens voted no.\n" >> i.tsv
	printf "Renten ble hevet med 0,75 prosentpoeng.\tThe rate rose by 75 basis points.\n" >> i.tsv
	run check --json --glossary g.tsv i.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "1\tmissing\tpoliti\n5\tmissing\tkommune\n6\tuntranslated\tStortinget\n7\tmissing\tMDG\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_done
