#!/bin/sh
# tolk check on the seventh held-out newsroom set (fixtures/check/heldout7,
# written before reading the check's rules), and the rules added after
# measuring it, shown with sentences of their own.
. "$(dirname "$0")/lib.sh"

pair_texts() { # the Norwegian article, and its English with an added sentence
	printf 'kommune\tmunicipality\ntingrett\tdistrict court\n' > g.tsv
	printf 'lagmannsrett\tcourt of appeal\n' >> g.tsv
	printf 'rett\tcourt\t\texcept=rett og slett\n' >> g.tsv
	cat > a.nb.txt <<-EON
	Lagmannsretten: Kommunen må rydde tomta
	Lagmannsretten har slått fast at Vefsn kommune må rydde en forurenset tomt ved sjøen.
	Saken har pågått i fire år. Både tingretten og lagmannsretten ga grunneieren medhold.
	– Dette er rett og slett en seier for naturen, sier grunneier Ola Dahl.
	Kommunen har seks måneder på seg.
	EON
	cat > a.en.txt <<-EON
	Court of appeal: municipality must clean up site
	The court of appeal has ruled that Vefsn municipality must clean up a polluted site by the sea.
	The case has gone on for four years. Both $1 and the court of appeal found for the landowner.
	Vefsn, in Nordland, is one of the region's larger municipalities.
	"This is simply a victory for nature," says landowner Ola Dahl.
	The municipality has six months.
	EON
}

test_case "check --pair: a rendering in an added sentence beside a bead counts, a rendering nowhere is still missing" '
	pair_texts "the district court"
	run check --glossary g.tsv --pair a.nb.txt a.en.txt
	expect_rc 0
	pair_texts "the lower court"
	run check --json --glossary g.tsv --pair a.nb.txt a.en.txt
	expect_rc 1
	expect_eq "$(grep -c "\"kind\":\"missing\",.*\"term\":\"tingrett\"" "$T/out")" 1
	expect_eq "$(grep -c . "$T/out")" 1
'
