#!/bin/sh
# Context matches (101): units that remember the segments around them.
. "$(dirname "$0")/lib.sh"

fx=$TOLK_TOP/fixtures

test_case "two exact matches with different targets: the one stored in the query's context scores 101 and ranks first" '
	run add Avbryt Cancel
	run add --prev "Vil du lagre endringene?" --next "Lagre" Avbryt Abort
	run add --prev "Åpne en fil" --next "OK" Avbryt "Cancel it"
	run lookup --json Avbryt
	expect_out "\"score\":100,\"source\":\"Avbryt\",\"target\":\"Cancel\""
	expect_no_out "\"score\":101"
	# white space and normalisation do not change a context
	run lookup --json --prev "Vil du  lagre endringene? " --next Lagre Avbryt
	expect_rc 0
	expect_out "^\\{\"query\":\"Avbryt\",\"matches\":\\[\\{\"id\":2,\"score\":101,\"source\":\"Avbryt\",\"target\":\"Abort\""
	expect_eq "$(grep -o "\"score\":10[01]" "$T/out" | tr "\n" " ")" "\"score\":101 \"score\":100 \"score\":100 "
	# one neighbour is not the context
	run lookup --json --prev "Vil du lagre endringene?" --next Avbryt Avbryt
	expect_no_out "\"score\":101"
	run lookup --prev "Åpne en fil" --next OK Avbryt
	expect_eq "$(head -n 3 "$T/out" | tr -s " " | tr "\n" "|")" "101% #3| nb Avbryt| en Cancel it|"
'

test_case "lookup - --context takes the lines around each query as its context" '
	run add --prev "Første linje." --next "Tredje linje." "Andre linje." "Second line, here."
	run add "Andre linje." "Second line."
	printf "Første linje.\nAndre linje.\n\nTredje linje.\n" >in
	run_stdin in lookup --json --context -
	expect_rc 0
	expect_eq "$(sed -n 2p "$T/out" | grep -o "\"score\":[0-9]*,\"source\":\"[^\"]*\",\"target\":\"[^\"]*\"" | head -1)" "\"score\":101,\"source\":\"Andre linje.\",\"target\":\"Second line, here.\""
	# without --context the same lines are plain queries
	run_stdin in lookup --json -
	expect_no_out "\"score\":101"
	run lookup --context Andre
	expect_rc 2
	expect_err "--context"
'

test_case "a deleted unit takes its context with it; the same pair in two contexts is two units, in one context one" '
	run add --json --prev "A." --next "C." "B." "Bee."
	expect_out "\"id\":1,\"result\":\"inserted\""
	run add --json --prev "A." --next "C." "B." "Bee."
	expect_out "\"result\":\"merged\""
	run add --json --prev "X." --next "C." "B." "Bee."
	expect_out "\"id\":2,\"result\":\"inserted\""
	run delete 2
	expect_rc 0
	run add --json --prev "Y." --next "Z." "B." "Bee."
	expect_rc 0
	run lookup --json --prev Y. --next Z. B.
	expect_out "\"id\":2,\"score\":101"
	run lookup --json --prev X. --next C. B.
	expect_no_out "\"score\":101"
'

test_case "context goes out to TMX as OmegaT prev/next props and comes back in" '
	run add --prev "Vil du lagre endringene?" --next "Lagre" Avbryt Abort
	run export x.tmx
	expect_rc 0
	grep -q "<prop type=\"prev\">Vil du lagre endringene?</prop><prop type=\"next\">Lagre</prop>" x.tmx || fail "no prev/next props: $(cat x.tmx)"
	run --db "$T/b.db" import x.tmx
	expect_rc 0
	run --db "$T/b.db" lookup --json --prev "Vil du lagre endringene?" --next Lagre Avbryt
	expect_out "\"score\":101,\"source\":\"Avbryt\",\"target\":\"Abort\""
'

O="$TOLK_SHARED/corpus/tmx/omegat-alt-translations-props.tmx"
if [ -f "$O" ]; then
test_case "an OmegaT TMX with alternative translations: the one in its context scores 101" '
	run import "$O"
	expect_rc 0
	run lookup --json --source-lang en-US --target-lang co --prev "For installation on Linux." --next "For installation on other operating systems (such as FreeBSD and Solaris).<br0/>" Other
	expect_out "\"matches\":\\[\\{\"id\":[0-9]+,\"score\":101,\"source\":\"Other\",\"target\":\"Altri\""
	run lookup --json --source-lang en-US --target-lang co Other
	expect_out "\"matches\":\\[\\{\"id\":[0-9]+,\"score\":100,\"source\":\"Other\",\"target\":\"Altre\""
'
else
test_skip "an OmegaT TMX with alternative translations: the one in its context scores 101" "no corpus at $O"
fi

test_case "an article pre-translated against its own earlier translation (align --import) is 101 throughout" '
	run align --import "$fx/paris-summit.nb.txt" "$fx/paris-summit.en.txt"
	expect_rc 0
	n=$(sed -n "s/^imported \\([0-9]*\\) units.*/\\1/p" "$T/out")
	[ "$n" -ge 10 ] || fail "only $n units: $(cat "$T/out")"
	run pretranslate --json "$fx/paris-summit.nb.txt" -o out.tsv
	expect_rc 0
	segs=$(sed -n "s/.*\"total\":.*//; s/.*\"segments\":\\([0-9]*\\),\"words\":[0-9]*,\"filled_context\".*/\\1/p" "$T/out")
	expect_out "\"context\":\\{\"segments\":$segs,"
	expect_out "\"filled_context\":$segs,\"filled_exact\":0,\"filled_fuzzy\":0,"
	[ "$segs" -ge 10 ] || fail "only $segs segments"
	[ "$(cut -f2 out.tsv | grep -c .)" = "$segs" ] || fail "empty targets: $(cat out.tsv)"
	grep -q "^Møtet samler ledere fra rundt 30 land som støtter Ukraina.	The meeting brings together leaders" out.tsv || fail "$(cat out.tsv)"
	run analyze "$fx/paris-summit.nb.txt"
	expect_err "^context 101 +$segs "
	# the same sentences in another order are exact, not context
	tac "$fx/paris-summit.nb.txt" >rev.txt
	run analyze --json rev.txt
	expect_no_out "\"context\":\\{\"segments\":$segs,"
	expect_out "\"exact\":\\{\"segments\":[1-9]"
'

test_case "XLIFF: one source translated two ways in one file comes back both ways, marked exact with a context note" '
	cat >a.xlf <<XLF
<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="ui" source-language="nb" target-language="en" datatype="plaintext"><body>
  <trans-unit id="1"><source>Vil du lagre endringene?</source><target>Save the changes?</target></trans-unit>
  <trans-unit id="2"><source>Avbryt</source><target>Abort</target></trans-unit>
  <trans-unit id="3"><source>Lagre</source><target>Save</target></trans-unit>
  <trans-unit id="4"><source>Åpne en fil</source><target>Open a file</target></trans-unit>
  <trans-unit id="5"><source>Avbryt</source><target>Cancel</target></trans-unit>
  <trans-unit id="6"><source>OK</source><target>OK</target></trans-unit>
 </body></file>
</xliff>
XLF
	run import a.xlf
	expect_rc 0
	sed -e "s|<target>[^<]*</target>||" a.xlf >s.xlf
	run pretranslate --json s.xlf -o o.xlf
	expect_rc 0
	expect_out "\"context\":\\{\"segments\":6,"
	expect_out "\"repeats\":\\{\"segments\":0,"
	tr -d "\n" <o.xlf >flat
	grep -q "<trans-unit id=\"2\"><source>Avbryt</source><target state=\"translated\" state-qualifier=\"exact-match\">Abort</target><note from=\"tolk\">" flat || fail "$(cat o.xlf)"
	grep -q "<trans-unit id=\"5\"><source>Avbryt</source><target state=\"translated\" state-qualifier=\"exact-match\">Cancel</target><note" flat || fail "$(cat o.xlf)"
	! grep -q "alt-trans" flat || fail "alternatives beside a context match"
	expect_eq "$(grep -c "<note from=\"tolk\">tolk: context match (101)" o.xlf)" 6
	# a third place: no context agrees, the other target is a candidate
	sed -e "s|<trans-unit id=\"6\"><source>OK</source>|<trans-unit id=\"6\"><source>Avbryt</source>|" s.xlf >t.xlf
	run pretranslate --json t.xlf -o o2.xlf
	expect_out "\"context\":\\{\"segments\":4,"
	# segment 5 has lost its next neighbour too: both are repeats
	expect_out "\"repeats\":\\{\"segments\":2,"
	grep -q "<alt-trans match-quality=\"100\" origin=\"tolk\"><source>Avbryt</source>" o2.xlf || fail "no alternative: $(cat o2.xlf)"
'

test_done
