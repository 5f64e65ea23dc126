#!/bin/sh
# tolk check on the held-out newsroom set (fixtures/check/heldout2, written
# before the rules below): every planted violation found in every mode,
# and the rules that keep it quiet on correct English each shown to stop
# where they should (a later mention is not a first one).
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check/heldout2"
G="$fx/house-glossary.tsv"

test_case "every held-out planted violation is found, and nothing else" '
	expect_planted "$fx" "$G"
'

test_case "the held-out planted article is checked with --pair" '
	expect_articles "$fx" "$G"
	expect_out "\"kind\":\"forbidden\".*\"term\":\"Venstre\".*\"source_line\":3,"
	expect_out "\"kind\":\"forbidden\".*\"term\":\"Statens vegvesen\".*\"source_line\":5,"
	expect_out "\"kind\":\"number\".*\"term\":\"20 000\".*\"source_line\":6,"
'

test_case "a later mention by the head noun or a pronoun is accepted" '
	printf "Finansdepartementet\\tMinistry of Finance\\nstatsminister\\tprime minister\\n" > g.tsv
	printf "Finansdepartementet la fram tallene.\\tThe Ministry of Finance presented the figures.\\n" > a.tsv
	printf "Finansdepartementet sier at veksten faller.\\tThe ministry says growth is slowing.\\n" >> a.tsv
	printf "Statsministeren kom.\\tThe prime minister arrived.\\n" >> a.tsv
	printf "Statsministeren var fornøyd.\\tShe was pleased.\\n" >> a.tsv
	run check --glossary g.tsv a.tsv
	expect_rc 0
'

test_case "a first mention, a pronoun two sentences on, or it, is still missing" '
	printf "Finansdepartementet\\tMinistry of Finance\\nstatsminister\\tprime minister\\n" > g.tsv
	printf "Finansdepartementet sier at veksten faller.\\tThe ministry says growth is slowing.\\n" > b.tsv
	printf "Statsministeren kom.\\tThe prime minister arrived.\\n" >> b.tsv
	printf "Møtet var kort.\\tThe meeting was short.\\n" >> b.tsv
	printf "Statsministeren var fornøyd.\\tShe was pleased.\\n" >> b.tsv
	printf "Statsministeren kom.\\tThe prime minister arrived.\\n" >> b.tsv
	printf "Statsministeren sa det.\\tThe chief said it.\\n" >> b.tsv
	run check --json --glossary g.tsv --kinds missing b.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "1\\tmissing\\tFinansdepartementet\\n4\\tmissing\\tstatsminister\\n6\\tmissing\\tstatsminister\\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a later mention does not reach into the next file" '
	printf "Finansdepartementet\\tMinistry of Finance\\n" > g.tsv
	printf "Finansdepartementet la fram tallene.\\tThe Ministry of Finance presented the figures.\\n" > c1.tsv
	printf "Finansdepartementet sier at veksten faller.\\tThe ministry says growth is slowing.\\n" > c2.tsv
	run check --glossary g.tsv c1.tsv c2.tsv
	expect_rc 1
	expect_out "^c2.tsv:1: missing"
'

test_case "acronyms of common nouns take the plural, names only the possessive" '
	printf "stortingsrepresentant\\tMP\\nNTB\\tNTB\\n" > g.tsv
	printf "Stortingsrepresentantene stemte.\\tMPs voted.\\n" > d.tsv
	printf "NTB melder dette.\\tNTBs report this.\\n" >> d.tsv
	run check --json --glossary g.tsv --kinds missing d.tsv
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 1
	expect_out "\"line\":2,\"term\":\"NTB\""
'

test_case "Norwegian may be left out of a full name; a loan word inflects" '
	printf "Statens vegvesen\\tNorwegian Public Roads Administration\\nkroner\\tkroner\\n" > g.tsv
	printf "Statens vegvesen stengte veien.\\tThe Public Roads Administration closed the road.\\n" > e.tsv
	printf "Kronen styrket seg.\\tThe krone strengthened.\\n" >> e.tsv
	printf "Statens vegvesen stengte veien.\\tThe Roads closed the road.\\n" >> e.tsv
	run check --json --glossary g.tsv --kinds missing e.tsv
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 1
	expect_out "\"line\":3,\"term\":\"Statens vegvesen\""
'

test_case "a party name is also its adjective, with its capitals" '
	printf "SV\tSocialist Left Party\nSenterpartiet\tCentre Party\n" > g.tsv
	printf "I dag møtes Senterpartiet.\tThe meeting is in the city centre today.\n" > f.tsv
	printf "SV-lederen krever handling.\tThe Socialist Left leader is demanding action.\n" >> f.tsv
	printf "I dag møtes Senterpartiet.\tThe Centre MPs meet today.\n" >> f.tsv
	run check --json --glossary g.tsv --kinds missing f.tsv
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 1
	expect_out "\"line\":1,\"term\":\"Senterpartiet\""
'

test_case "a title after a name stands for the full rendering" '
	printf "sentralbanksjef\tcentral bank governor\nNorges Bank\tNorges Bank\n" > g.tsv
	printf "Norges Banks sentralbanksjef talte.\tNorges Bank Governor Ida Wolden Bache spoke.\n" > h.tsv
	printf "Sentralbanksjefen talte.\tGovernor Ida Wolden Bache spoke.\n" >> h.tsv
	run check --json --glossary g.tsv --kinds missing h.tsv
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 1
	expect_out "\"line\":2,\"term\":\"sentralbanksjef\""
'

test_case "a forbidden word is excused only when every occurrence of the term is rendered" '
	printf "ordfører\tmayor\t\tforbid=chairman\nRødt\tRed Party\t\tcase=sensitive\tforbid=Red Ones\n" > g.tsv
	printf "Ordføreren og styrelederen møttes.\tThe mayor and the chairman met.\n" > k.tsv
	printf "Ordføreren sa at ordføreren ikke visste.\tThe mayor said the chairman did not know.\n" >> k.tsv
	printf "I dag sier Rødt nei.\tToday the Red Ones say no.\n" >> k.tsv
	run check --json --glossary g.tsv k.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "2\tforbidden\tordfører\n3\tforbidden\tRødt\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a headline may name a term by a word of its rendering; a sentence may not" '
	printf "NAV\tLabour and Welfare Administration\n" > g.tsv
	printf "Tidligere NAV-ansatt dømt\tFormer welfare agency employee convicted\n" > l.tsv
	printf "Tidligere NAV-ansatt dømt\tFormer civil servant convicted\n" >> l.tsv
	printf "En tidligere NAV-ansatt er dømt.\tA former welfare agency employee has been convicted.\n" >> l.tsv
	run check --json --glossary g.tsv --kinds missing l.tsv
	expect_rc 1
	findings "$T/out" > got.txt
	printf "2\tmissing\tNAV\n3\tmissing\tNAV\n" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "a public body is the agency on a later mention" '
	printf "Statens vegvesen\tNorwegian Public Roads Administration\n" > g.tsv
	printf "Statens vegvesen stengte veien.\tThe Norwegian Public Roads Administration closed the road.\n" > m.tsv
	printf "Statens vegvesen åpner den igjen i dag.\tThe agency will reopen it today.\n" >> m.tsv
	run check --glossary g.tsv m.tsv
	expect_rc 0
'

test_done
