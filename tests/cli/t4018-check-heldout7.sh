#!/bin/sh
# tolk check on the seventh held-out newsroom set (fixtures/check/heldout7,
# written before reading the check's rules), and the rules added after
# measuring it, shown with sentences of their own.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout7"
G="$fx/house-glossary.tsv"

test_case "the seventh held-out set: every planted violation found, clean text silent" '
	# "Investigators" for politiet right after "the police": the
	# members of a body named just before (heldout9)
	run check --json --glossary "$G" "$fx/clean.tsv"
	expect_rc 0
	expect_planted "$fx" "$G"
	run check --glossary "$G" --pair "$fx/articles/rate-decision.nb.txt" \
		"$fx/articles/rate-decision.en.txt"
	expect_rc 0
	# the headline names the municipality (Bærum) instead of kommunen
	run check --json --glossary "$G" --pair "$fx/planted-article.nb.txt" \
		"$fx/planted-article.en.txt"
	expect_rc 1
	findings "$T/out" > got.txt
	{ printf "1\tmissing\tkommune\n"; cat "$fx/planted-article.expected"; } |
		sort > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

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

test_case "a party abbreviation no common word is spelt like is the party at a sentence's start" '
	printf "Sp\tCentre Party\t\tcase=sensitive\n" > g.tsv
	printf "Frp\tProgress Party\t\tcase=sensitive\n" >> g.tsv
	printf "Venstre\tLiberal Party\t\tcase=sensitive\n" >> g.tsv
	printf "Sp vil ha flere lokalsykehus.\tThe government wants more local hospitals.\n" > a.tsv
	printf "Frp krever kutt i bistanden.\tThey are demanding cuts to foreign aid.\n" >> a.tsv
	printf "Venstre arm ble brukket.\tHis left arm was broken.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "1\tmissing\tSp\n2\tmissing\tFrp\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a source repeated right after itself is a second translation, not a later mention" '
	printf "Finansdepartementet\tMinistry of Finance\n" > g.tsv
	printf "Finansdepartementet svarte ikke.\tThe Ministry of Finance did not respond.\n" > a.tsv
	printf "Finansdepartementet svarte ikke.\tThe ministry did not respond.\n" >> a.tsv
	printf "Finansdepartementet svarte heller ikke i dag.\tThe ministry did not respond today either.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "2\tinconsistent\t-\n2\tmissing\tFinansdepartementet\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "another country office: its own title at a sentence start, a term followed by i and the country, no missing" '
	printf "forsvarsminister\tdefence minister\t\tforbid=defense secretary\n" > g.tsv
	printf "fylke\tcounty\t\tforbid=province\n" >> g.tsv
	printf "finansminister\tfinance minister\n" >> g.tsv
	printf "USAs forsvarsminister Lloyd Austin kom til Bodø mandag.\tUS Defense Secretary Lloyd Austin arrived in Bodø on Monday.\n" > a.tsv
	printf "Hvert fylke i Kina har sin egen guvernør.\tEach Chinese province has its own governor.\n" >> a.tsv
	printf "Den amerikanske finansministeren advarte mot tollsatsene.\tThe Treasury Secretary warned against the tariffs.\n" >> a.tsv
	printf "Hvert fylke i Norge har sin egen statsforvalter.\tEach province in Norway has its own governor.\n" >> a.tsv
	printf "Finansministeren advarte mot tollsatsene.\tThe Treasury Secretary warned against the tariffs.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "4\tforbidden\tfylke\n5\tmissing\tfinansminister\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a municipality named after i or på is said with its name alone, elsewhere it is missing" '
	printf "kommune\tmunicipality\n" > g.tsv
	printf "Brannen startet i et bolighus i Nord-Fron kommune.\tThe fire started in a house in Nord-Fron.\n" > a.tsv
	printf "Ulykken skjedde på E39 i Vindafjord kommune natt til søndag.\tThe accident happened on the E39 in Vindafjord early on Sunday.\n" >> a.tsv
	printf "Nord-Fron kommune må betale.\tNord-Fron must pay.\n" >> a.tsv
	printf "Brannen startet i Nord-Fron kommune.\tThe fire started in a neighbouring area.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "3\tmissing\tkommune\n4\tmissing\tkommune\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a past participle after ble, ha or a subject and har, and the past tense where the finite verb stands, are the verb; a definite noun is the term" '
	printf "lov\tlaw\nstyre\tboard\nstraff\tpunishment\n" > g.tsv
	printf "Regjeringen har ikke lovet flere lærere.\tThe government has not promised more teachers.\n" > a.tsv
	printf "Landet ble styrt av militæret i ti år.\tThe country was ruled by the military for ten years.\n" >> a.tsv
	printf "De som hadde straffet ham, angret.\tThose who had punished him regretted it.\n" >> a.tsv
	printf "Nå har styret bestemt seg.\tNow a decision has been made.\n" >> a.tsv
	printf "Han kan ha lovet for mye.\tHe may have promised too much.\n" >> a.tsv
	printf "I fjor lovet regjeringen mer penger.\tLast year the government promised more money.\n" >> a.tsv
	printf "Dommeren straffet spilleren.\tThe referee penalised the player.\n" >> a.tsv
	printf "Han ledet styret i ti år.\tHe chaired the committee for ten years.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "4\tmissing\tstyre\n8\tmissing\tstyre\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "the bare form of an entry with exceptions is ambiguous, an inflected form or a title before a name is not" '
	printf "rett\tcourt\t\texcept=rett og slett\n" > g.tsv
	printf "statsråd\tminister\t\texcept=i statsråd\n" >> g.tsv
	printf "Hun har rett i at dette er et problem.\tShe is right that this is a problem.\n" > a.tsv
	printf "Det skjedde rett før midnatt.\tIt happened just before midnight.\n" >> a.tsv
	printf "Retten frifant ham.\tThe tribunal acquitted him.\n" >> a.tsv
	printf "Statsråd Per Olsen går av.\tPer Olsen resigns.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "3\tmissing\trett\n4\tmissing\tstatsråd\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a title given earlier may be left out before the person's name, not at the first mention" '
	printf "utenriksminister\tforeign minister\nordfører\tmayor\n" > g.tsv
	printf "Utenriksminister Espen Barth Eide reiser til Kyiv.\tForeign Minister Espen Barth Eide is travelling to Kyiv.\n" > a.tsv
	printf "– Vi står sammen, sier utenriksminister Espen Barth Eide.\t\"We stand together,\" Barth Eide said.\n" >> a.tsv
	printf "Også ordfører Kari Dahl reiser.\tKari Dahl is also travelling.\n" >> a.tsv
	run check --json --glossary g.tsv a.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "3\tmissing\tordfører\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'
