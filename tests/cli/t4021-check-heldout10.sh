#!/bin/sh
# tolk check on the tenth held-out newsroom set (fixtures/check/heldout10,
# written before reading the check's rules), and the rules added after
# measuring it, shown with sentences of their own.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout10"
G="$fx/house-glossary.tsv"

test_case "the tenth held-out set: every planted violation found, the articles silent, its pronoun, kind and street lines too" '
	run check --json --glossary "$G" "$fx/clean.tsv"
	findings "$T/out" > got.txt
	for l in 44 56 130; do
		! grep -q "^$l	" got.txt || fail "clean.tsv:$l: $(grep "^$l	" got.txt)"
	done
	expect_planted "$fx" "$G"
	expect_articles "$fx" "$G" gp-shortage corruption-verdict
'

test_case "check: it says may follow a body a common noun names, not a person or many" '
	printf "sykehus\thospital\nordfører\tmayor\n" > g.tsv
	cat > p.tsv <<-EOF
	Sykehuset i Telemark har innført besøksforbud.	Telemark Hospital has banned visits.
	Sykehuset skriver at forbudet gjelder til mandag.	It writes that the ban applies until Monday.
	Sykehusene i Oslo har ventelister.	The hospitals in Oslo have waiting lists.
	Sykehuset sier at listen blir kortere.	It says the list is getting shorter.
	Ordføreren i Skien åpnet brua.	The mayor of Skien opened the bridge.
	Ordføreren sier at brua var nødvendig.	It says the bridge was needed.
	EOF
	run check --json --glossary g.tsv p.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "4\tmissing\tsykehus\n6\tmissing\tordfører\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "check: a name in small letters without its definite ending is the kind of body, the name is still the term" '
	printf "Sametinget\tSámi Parliament\n" > g.tsv
	cat > p.tsv <<-EOF
	Også Finland har et sameting.	Finland, too, has an elected Sámi assembly.
	Sametinget har vedtatt budsjettet.	The Sámi assembly has adopted the budget.
	Budsjettet ble vedtatt av sametinget.	The budget was adopted by the Sámi assembly.
	EOF
	run check --json --glossary g.tsv p.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "2\tmissing\tSametinget\n3\tmissing\tSametinget\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "check: a street name kept whole is no copied term, the term copied alone is" '
	printf "kongen\tKing\n" > g.tsv
	cat > p.tsv <<-EOF
	Politiet sperret av Kongens gate i Stavanger.	Police cordoned off Kongens gate in Stavanger.
	Kongens gave ble overrakt i går.	The Kongens gift was handed over yesterday.
	EOF
	run check --json --glossary g.tsv p.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "2\tuntranslated\tkongen\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "check --pair: a number finding points at the wrong English number" '
	printf "Tittel\n\nKommunen fikk 3,5 millioner kroner i fjor.\n" > a.nb.txt
	printf "Title\n\nBy Kari Nordmann\n\nThe municipality received NOK 3.8 million last year.\n" > a.en.txt
	run check --json --kinds number --pair a.nb.txt a.en.txt
	expect_rc 1
	grep -q "\"target_line\":5,\"target_column\":31" "$T/out" ||
		fail "$(cat "$T/out")"
'
