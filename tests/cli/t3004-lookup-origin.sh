#!/bin/sh
# tolk lookup: where a match came from (notes, dates, author, origin,
# usage count) in human and JSON output, and equal sources newest first.
. "$(dirname "$0")/lib.sh"

# Two units with the same source and different targets, the second
# changed later, from a file; a third with nothing but its texts.
write_tmx() {
	cat >"$1" <<'TMX'
<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="test" creationtoolversion="1" segtype="sentence"
 o-tmf="test" adminlang="en" srclang="nb" datatype="plaintext"/>
<body>
<tu creationdate="20240101T090000Z" creationid="kari" usagecount="3">
<note>Bruk britisk engelsk.</note>
<tuv xml:lang="nb"><seg>Regjeringen legger fram budsjettet.</seg></tuv>
<tuv xml:lang="en"><seg>The government presents the budget.</seg></tuv>
</tu>
<tu creationdate="20240101T090000Z" creationid="kari"
 changedate="20240601T120000Z" changeid="ola">
<tuv xml:lang="nb"><seg>Regjeringen legger fram budsjettet.</seg></tuv>
<tuv xml:lang="en"><seg>The Government is presenting the budget.</seg>
</tuv>
</tu>
<tu>
<tuv xml:lang="nb"><seg>Statsbudsjettet for neste år</seg></tuv>
<tuv xml:lang="en"><seg>Next year's state budget</seg></tuv>
</tu>
</body>
</tmx>
TMX
}

test_case "two matches with the same source and different targets are both shown, newest first" '
	write_tmx news.tmx
	run import news.tmx
	expect_rc 0
	run lookup --json "Regjeringen legger fram budsjettet."
	expect_rc 0
	expect_out "\"matches\":\\[\\{\"id\":2,\"score\":100,.*\\},\\{\"id\":1,\"score\":100,"
	run lookup "Regjeringen legger fram budsjettet."
	expect_eq "$(grep -c "^100%" "$T/out")" 2
	expect_eq "$(grep "^  en" "$T/out" | head -1)" "  en    The Government is presenting the budget."
'

test_case "human output shows date, author, origin, usage and notes under each match" '
	write_tmx news.tmx
	run import news.tmx
	run lookup "Regjeringen legger fram budsjettet."
	expect_out "^        changed 2024-06-01 by ola · from news\\.tmx$"
	expect_out "^        created 2024-01-01 by kari · from news\\.tmx · used 3 times$"
	expect_out "^        note: Bruk britisk engelsk\\.$"
	run lookup "Statsbudsjettet for neste år"
	expect_out "^        from news\\.tmx$"
	expect_no_out "note:|used|by "
'

test_case "--json has note, created, changed, author, origin and usage in every match" '
	write_tmx news.tmx
	run import news.tmx
	run lookup --json "Regjeringen legger fram budsjettet."
	expect_out "\"note\":\\[\\],\"created\":\"2024-01-01T09:00:00Z\",\"changed\":\"2024-06-01T12:00:00Z\",\"author\":\"ola\",\"origin\":\"news\\.tmx\",\"usage\":null"
	expect_out "\"note\":\\[\"Bruk britisk engelsk\\.\"\\],\"created\":\"2024-01-01T09:00:00Z\",\"changed\":null,\"author\":\"kari\",\"origin\":\"news\\.tmx\",\"usage\":3"
	run lookup --json "Statsbudsjettet for neste år"
	expect_out "\"note\":\\[\\],\"created\":null,\"changed\":null,\"author\":null,\"origin\":\"news\\.tmx\",\"usage\":null\\}"
'

test_case "a unit made by add has its creation date, the user as author and add as origin" '
	USER=tester run add --note "sjekket" "Statsministeren holder pressekonferanse" "The Prime Minister holds a press conference"
	run lookup --json "Statsministeren holder pressekonferanse"
	expect_out "\"note\":\\[\"sjekket\"\\],\"created\":\"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z\",\"changed\":null,\"author\":\"tester\",\"origin\":\"add\",\"usage\":null"
'

test_case "partial matches say where they came from too" '
	write_tmx news.tmx
	run import news.tmx
	run lookup --json "Statsbudsjettet for neste år blir stramt, og regjeringen varsler kutt i mange sektorer."
	expect_out "\"partial\":\\[\\{\"id\":3,.*\"origin\":\"news\\.tmx\",\"usage\":null"
'

test_done
