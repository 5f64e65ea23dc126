#!/bin/sh
# tolk check on the eleventh held-out newsroom set (fixtures/check/heldout11,
# written before reading the check's rules), and the rules added after
# measuring it, shown with sentences of their own.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout11"
G="$fx/house-glossary.tsv"

# planted findings still missed: Nav opening a sentence whose English
# drops it may be the common word "nav", a hub (the issue's own rule);
# Kripos opening a sentence is taken for such a word too
LEFT='^\(21	missing	Nav\|28	missing	Kripos\)$'

test_case "the eleventh held-out set: the planted violations found, the articles silent, the fixed lines silent" '
	run check --json --glossary "$G" "$fx/clean.tsv"
	findings "$T/out" > got.txt
	for l in 75 86 155; do
		! grep -q "^$l	" got.txt || fail "clean.tsv:$l: $(grep "^$l	" got.txt)"
	done
	expect_planted "$fx" "$G" "$LEFT"
	expect_articles "$fx" "$G" rate-hold tromso-stabbing
'

test_case "check: an office of another country in apposition keeps its title beside ours" '
	printf "utenriksminister\tforeign minister\t\tforbid=foreign secretary\n" > g.tsv
	cat > p.tsv <<-EOF
	Utenriksministeren ringte sin britiske kollega, utenriksminister David Lammy.	The foreign minister called her British counterpart, Foreign Secretary David Lammy.
	Utenriksministeren ringte sin gamle kollega, utenriksminister Espen Barth Eide.	The foreign minister called his old colleague, Foreign Secretary Espen Barth Eide.
	EOF
	run check --json --glossary g.tsv p.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "2\tforbidden\tutenriksminister\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "check: a title holder named earlier may be named by surname alone" '
	printf "ordfører\tmayor\n" > g.tsv
	cat > p.tsv <<-EOF
	Ordfører Kari Hansen åpnet den nye skolen.	Mayor Kari Hansen opened the new school.
	Ordføreren vil bygge flere skoler.	Hansen wants to build more schools.
	Ordføreren svarte ikke på kritikken.	Olsen did not answer the criticism.
	EOF
	run check --json --glossary g.tsv p.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "3\tmissing\tordfører\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "check: a term as a noun complement may take the modifier its glossary compounds give it" '
	printf "Forsvaret\tarmed forces\nforsvarssjef\tdefence chief\nforsvarsminister\tdefence minister\n" > g.tsv
	cat > p.tsv <<-EOF
	Regjeringen la fram planen for Forsvaret.	The government presented the defence plan.
	Forsvaret kjøper nye fly.	Defence is buying new aircraft.
	EOF
	run check --json --glossary g.tsv p.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "2\tmissing\tForsvaret\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'
