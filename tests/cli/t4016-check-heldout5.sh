#!/bin/sh
# tolk check on the fifth held-out newsroom set (fixtures/check/heldout5,
# written before reading the check's rules): correct English silent, every
# planted violation found, and the rules added after measuring it shown
# through the command line with sentences of their own.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout5"
G="$fx/house-glossary.tsv"

test_case "the fifth held-out set: clean text silent, every planted violation found and nothing else" '
	run check --glossary "$G" "$fx/clean.tsv"
	expect_rc 0
	expect_planted "$fx" "$G"
	expect_articles "$fx" "$G" farm-deal school-strike
'

test_case "an agent noun after a clause subject or an opening adverb is the verb" '
	printf "leder\tleader\t\tforbid=boss\n" > g.tsv
	printf "Vi vet at sjefene leder godt.\tWe know the managers run things well.\n" > a.tsv
	printf "Derfor leder kvinnene arbeidet.\tThat is why the women head the work.\n" >> a.tsv
	printf "Vi vet at ny leder kommer.\tWe know a new boss is coming.\n" >> a.tsv
	printf "Nå har laget en leder.\tThe team now has a captain.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "3\tforbidden\tleder\n4\tmissing\tleder\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a sentence-initial party name is missing when the English calls it the party on first mention" '
	printf "Venstre\tLiberal Party\t\tcase=sensitive\n" > g.tsv
	printf "Venstre vil kutte skatten.\tThe party wants to cut taxes.\n" > a.tsv
	printf "Venstre hånd var brukket.\tHis left hand was broken.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "1\tmissing\tVenstre\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
	printf "Venstre fikk 4 prosent.\tThe Liberal Party got 4 percent.\n" > b.tsv
	printf "Venstre vil ha ny leder.\tThe party wants a new leader.\n" >> b.tsv
	run check --glossary g.tsv b.tsv
	expect_rc 0
'

test_case "a name of several words takes only the genitive: inflected it is a common noun" '
	printf "Den norske legeforening\tNorwegian Medical Association\t\tforbid=Doctors'"'"' Union\n" > g.tsv
	printf "Den norske legeforening krever flere fastleger.\tThe Doctors'"'"' Union wants more GPs.\n" > a.tsv
	printf "Den norske legeforenings leder er bekymret.\tThe Norwegian Medical Association'"'"'s leader is worried.\n" >> a.tsv
	printf "Den norske legeforeningen i Spania har 300 medlemmer.\tThe Norwegian doctors'"'"' union in Spain has 300 members.\n" >> a.tsv
	printf "Han møtte Den norske legeforenings leder.\tHe met the union leader.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "1\tforbidden\tDen norske legeforening\n4\tmissing\tDen norske legeforening\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "the office of a foreign country may keep its own name where both sides name the country" '
	printf "justisminister\tjustice minister\t\tforbid=attorney general\n" > g.tsv
	printf "USAs justisminister trekker seg.\tThe US attorney general is resigning.\n" > a.tsv
	printf "Den amerikanske justisministeren går av.\tThe American attorney general is stepping down.\n" >> a.tsv
	printf "Justisministeren trekker seg.\tThe attorney general is resigning.\n" >> a.tsv
	printf "Regjeringens justisminister går av.\tThe government\047s attorney general is stepping down.\n" >> a.tsv
	printf "Den norske justisministeren går av.\tThe Norwegian attorney general is stepping down.\n" >> a.tsv
	printf "Den amerikanske justisministeren er syk.\tThe attorney general is ill.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "3\tforbidden\tjustisminister\n4\tforbidden\tjustisminister\n5\tforbidden\tjustisminister\n6\tforbidden\tjustisminister\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a span of years or days named by a word keeps its number" '
	printf "Kirken er 100 år gammel.\tThe church is a century old.\n" > a.tsv
	printf "Forhandlingene tok 14 dager.\tThe talks took a fortnight.\n" >> a.tsv
	printf "Byen har ventet i 10 år.\tThe town has waited a decade.\n" >> a.tsv
	printf "Byen feirer 200 år.\tThe town marks its centenary.\n" >> a.tsv
	run check --json --kinds number a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "4\tnumber\t200\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "an acronym rendering in small letters is an English word, with a capital it is the name" '
	printf "Verdens helseorganisasjon\tWHO\nNato\tNATO\n" > g.tsv
	printf "Verdens helseorganisasjon advarer mot viruset.\tThose who know warn against the virus.\n" > a.tsv
	printf "Verdens helseorganisasjon ber om hjelp.\tThe WHO is asking for help.\n" >> a.tsv
	printf "Nato øker beredskapen.\tNato is raising its readiness.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "1\tmissing\tVerdens helseorganisasjon\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "an agent noun after a name, a plural quantifier or an opening phrase is the verb; after a genitive the noun" '
	printf "trener\tcoach\t\tforbid=trainer\n" > g.tsv
	printf "Vi vet at Ola trener hver dag.\tWe know Ola trains every day.\n" > a.tsv
	printf "Mange trener for lite.\tMany people train too little.\n" >> a.tsv
	printf "Om vinteren trener spillerne inne.\tIn winter the players train indoors.\n" >> a.tsv
	printf "Vi vet at Olas trener slutter.\tWe know Ola'"'"'s trainer is leaving.\n" >> a.tsv
	printf "Om vinteren fikk laget ny trener.\tIn winter the team got a new manager.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "4\tforbidden\ttrener\n5\tmissing\ttrener\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'
