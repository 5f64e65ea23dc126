#!/bin/sh
# tolk check on the third held-out newsroom set (fixtures/check/heldout3,
# written before reading the check's rules): every planted violation found,
# and the rules added after measuring it, each shown to stop where it
# should.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout3"
G="$fx/house-glossary.tsv"

test_case "every planted violation of the third held-out set is found, and nothing else" '
	expect_planted "$fx" "$G"
'

test_case "its correct articles are silent with --pair, its planted one is not" '
	expect_articles "$fx" "$G" mine-closure clinic
	expect_out "\"kind\":\"forbidden\".*\"term\":\"kommunestyre\".*\"source_line\":2,"
	expect_out "\"kind\":\"missing\".*\"term\":\"Arbeidstilsynet\".*\"source_line\":3,"
	expect_out "\"kind\":\"number\".*\"term\":\"85\".*\"source_line\":7,"
'

test_case "a verb made from the rendering renders the term; another word does not" '
	printf "fengsel\tprison\nfengsel\tjail\n" > g.tsv
	printf "Mann dømt til fengsel\tMan jailed for fraud\n" > a.tsv
	printf "Han ble dømt til fengsel.\tCommunity service was imposed.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "2\tmissing\tfengsel\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a noun spelt as an infinitive after a modal is the verb" '
	printf "styre\tboard\n" > g.tsv
	printf "Hun skal styre tjenesten.\tShe will run the service.\n" > b.tsv
	printf "Styret vil styre selskapet.\tThe owners will run the company.\n" >> b.tsv
	run check --json --glossary g.tsv b.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "2\tmissing\tstyre\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "initials, a closed compound and a reworded name are the rendering" '
	printf "statsminister\tprime minister\nKystvakten\tCoast Guard\nHelsedirektoratet\tDirectorate of Health\nKrF\tChristian Democrats\n" > g.tsv
	printf "Statsministeren kom.\tThe PM arrived.\n" > c.tsv
	printf "Kystvakten kom.\tThe coastguard arrived.\n" >> c.tsv
	printf "Helsedirektoratet svarte.\tThe health directorate replied.\n" >> c.tsv
	printf "KrF-lederen svarte.\tThe Christian Democrat leader replied.\n" >> c.tsv
	printf "Kystvakten svarte.\tThe coast replied.\n" >> c.tsv
	run check --json --glossary g.tsv c.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "5\tmissing\tKystvakten\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a later mention may keep the last words of the name" '
	printf "PST\tPolice Security Service\n" > g.tsv
	printf "PST mener trusselen har økt.\tThe Police Security Service believes the threat has grown.\n" > f.tsv
	printf "PST ber folk være på vakt.\tThe security service urges vigilance.\n" >> f.tsv
	printf "PST ber folk være på vakt.\tThe security service urges vigilance.\n" > f2.tsv
	run check --json --glossary g.tsv f.tsv f2.tsv
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 1
	expect_out "\"file\":\"f2.tsv\",\"line\":1,\"term\":\"PST\""
'

test_case "a term in the genitive may be an English adjective, elsewhere not" '
	printf "Stortinget\tparliament\nkommune\tmunicipality\n" > g.tsv
	printf "Stortingets flertall støtter forslaget.\tA parliamentary majority backs the proposal.\n" > h.tsv
	printf "Kommunens økonomi er dårlig.\tThe municipal finances are poor.\n" >> h.tsv
	printf "Stortinget vedtok loven.\tThe parliamentary session passed the law.\n" >> h.tsv
	run check --json --glossary g.tsv h.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "3\tmissing\tStortinget\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "two renderings may share their head in the plural" '
	printf "tingrett\tdistrict court\nlagmannsrett\tappeals court\nhelseminister\thealth minister\nfinansminister\tfinance minister\n" > g.tsv
	printf "Saken er behandlet i tingretten og lagmannsretten.\tThe case has been heard by the district and appeals courts.\n" > i.tsv
	printf "Helseministeren og finansministeren møttes.\tThe health and finance ministers met.\n" >> i.tsv
	printf "Saken gikk til tingretten.\tThe case went to the district, where a court ruled.\n" >> i.tsv
	run check --json --glossary g.tsv i.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "3\tmissing\ttingrett\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a body may be it in the next sentence, a person may not" '
	printf "Mattilsynet\tFood Safety Authority\nordfører\tmayor\n" > g.tsv
	printf "Mattilsynet har undersøkt fisken.\tThe Food Safety Authority has examined the fish.\n" > j.tsv
	printf "Mattilsynet sier at fisken er trygg.\tIt says the fish is safe.\n" >> j.tsv
	printf "Ordføreren kom.\tThe mayor arrived.\n" >> j.tsv
	printf "Ordføreren sier at det er trygt.\tIt says it is safe.\n" >> j.tsv
	run check --json --glossary g.tsv j.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "4\tmissing\tordfører\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "decades, shares and named days keep their numbers" '
	printf "Det skjedde på 80-tallet.\tIt happened in the 1980s.\n" > d.tsv
	printf "En kvinne i 30-årene.\tA woman in her thirties.\n" >> d.tsv
	printf "Prisene steg med 50 prosent.\tPrices rose by half.\n" >> d.tsv
	printf "Butikken er stengt 2. juledag.\tThe shop is closed on Boxing Day.\n" >> d.tsv
	printf "Butikken er stengt 2. juledag.\tThe shop is closed on Christmas Day.\n" >> d.tsv
	run check --json --kinds number d.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "5\tnumber\t2\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a translation that differs only in punctuation is not inconsistent" '
	printf "– Nei.\t\"No.\"\n– Nei.\tNo.\n– Ja.\tYes.\n– Ja.\tIndeed.\n" > e.tsv
	run check --json --kinds inconsistent e.tsv
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 1
	expect_out "\"kind\":\"inconsistent\",\"file\":\"e.tsv\",\"line\":4,"
'

test_done
