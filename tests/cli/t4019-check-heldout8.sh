#!/bin/sh
# tolk check on the eighth held-out newsroom set (fixtures/check/heldout8,
# written before reading the check's rules), and the rules added after
# measuring it, shown with sentences of their own.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout8"
G="$fx/house-glossary.tsv"

test_case "the eighth held-out set: every planted violation found, clean text and articles silent" '
	run check --glossary "$G" "$fx/clean.tsv"
	expect_rc 0
	expect_planted "$fx" "$G"
	expect_articles "$fx" "$G" red-warning afghan-family
'

test_case "check: the verb and adjective rette are not the noun rett, its forms and a violation in them are" '
	printf "rett\tcourt\t\tforbid=tribunal\texcept=rett og slett\n" > g.tsv
	printf "lov\tlaw\n" >> g.tsv
	cat > p.tsv <<-EOF
	Teknikerne jobber natten gjennom for å rette opp skaden.	Technicians are working through the night to repair the damage.
	Hun mener han er den rette for jobben.	She thinks he is the right man for the job.
	Statsråden vil love bedre veier.	The minister wants to promise better roads.
	Skadene skal rettes før helgen.	The damage is to be repaired before the weekend.
	Retten kom til motsatt resultat.	The tribunal reached the opposite conclusion.
	Rettens leder uttalte seg ikke.	The head of the body did not comment.
	Lovene er for gamle.	The rules are too old.
	EOF
	run check --json --glossary g.tsv p.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "5\tforbidden\trett\n6\tmissing\trett\n7\tmissing\tlov\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "check: a name kept in the name of a station or stop is not untranslated, the name alone still is" '
	printf "Nationaltheatret\tNational Theatre\n" > g.tsv
	printf "Stortinget\tParliament\t\tforbid=Storting\n" >> g.tsv
	cat > p.tsv <<-EOF
	Toget stopper ikke på Nationaltheatret stasjon i helgen.	Trains will not stop at Nationaltheatret station this weekend.
	Bussen går fra Stortinget holdeplass.	The bus leaves from the Stortinget stop.
	Nationaltheatret spiller Peer Gynt i vinter.	Nationaltheatret is staging Peer Gynt this winter.
	Gå av på Nationaltheatret stasjon.	Get off at Nationaltheatret.
	Stortinget stasjon er stengt.	The Storting station is closed.
	EOF
	run check --json --glossary g.tsv p.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "3\tuntranslated\tNationaltheatret\n4\tuntranslated\tNationaltheatret\n5\tforbidden\tStortinget\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "check: a missing time is expected as the English writes times, a score once as a pair" '
	cat > p.tsv <<-EOF
	Butikken åpner kl. 08.	The shop opens at 9am.
	Butikken stenger kl. 17.30.	The shop closes at 6 p.m.
	Møtet er kl. 19.	The meeting is at 20:00.
	Kampen endte 1–1.	The match ended in a draw.
	Kampen endte 3–3.	The match ended 3-2.
	Kampen endte 2–1.	The home side won 2-1 after trailing.
	EOF
	run check --kinds number p.tsv
	expect_rc 1
	expect_out "p.tsv:1: number: 08 is not in the target \(expected 8am\)"
	expect_out "p.tsv:2: number: 17.30 is not in the target \(expected 5:30 p.m.\)"
	expect_out "p.tsv:3: number: 19 is not in the target \(expected 19:00\)"
	expect_out "p.tsv:4: number: 1–1 is not in the target \(expected 1–1\)"
	expect_out "p.tsv:5: number: 3–3 is not in the target \(expected 3–3\)"
	expect_eq "$(grep -c "number:" "$T/out")" 5
'

test_case "check --pair: a missing time takes the 12-hour notation of the article" '
	printf "Stengt fra kl. 22.\nÅpner igjen kl. 06.30.\n" > a.nb.txt
	printf "Closed from 10pm.\nReopens at 6.45am.\n" > a.en.txt
	run check --kinds number --pair a.nb.txt a.en.txt
	expect_rc 1
	expect_out "number: 06.30 is not in the target \(expected 6.30am\)"
'

test_case "check: thousands are expected with the English segment's own separator" '
	printf "Det koster 12 500 kroner.\tIt costs NOK 11 500.\n" > p.tsv
	run check --kinds number p.tsv
	expect_rc 1
	expect_out "expected 12 500\)"
'

test_case "check: a four-digit amount is expected grouped as the English groups it, a year never" '
	printf "Det kom 1 200 personer i 1990.\tSome 1,300 people came in 1991.\n" > a.tsv
	printf "Det kom 1 200 personer.\tSome 1300 people came.\n" > b.tsv
	printf "Det kom 1 200 personer.\tSome 1 300 people came.\n" > c.tsv
	run check --kinds number a.tsv b.tsv c.tsv
	expect_rc 1
	expect_out "a.tsv:1: number: 1 200 is not in the target \(expected 1,200\)"
	expect_out "a.tsv:1: number: 1990 is not in the target \(expected 1990\)"
	expect_out "b.tsv:1: number: 1 200 is not in the target \(expected 1200\)"
	expect_out "c.tsv:1: number: 1 200 is not in the target \(expected 1 200\)"
'

test_case "check: a body named in the last segment may decline, deny or confirm as it, a title may not" '
	printf "Finansdepartementet\tMinistry of Finance\nordfører\tmayor\n" > g.tsv
	cat > p.tsv <<-EOF
	Finansdepartementet la fram tallene i dag.	The Ministry of Finance presented the figures today.
	Finansdepartementet vil ikke kommentere saken.	It declined to comment on the case.
	Ordføreren la fram planen i dag.	The mayor presented the plan today.
	Ordføreren avviser kritikken.	It rejects the criticism.
	Finansdepartementet avviser kritikken.	It rejects the criticism.
	EOF
	run check --json --glossary g.tsv p.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "4\tmissing\tordfører\n5\tmissing\tFinansdepartementet\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'
