#!/bin/sh
# tolk check: findings of each kind, the planted-violation fixture, no noise
# on the correct demo translation, XLIFF 1.2/2.0, --tm, --kinds, exit codes.
. "$(dirname "$0")/lib.sh"

G="$TOLK_TOP/fixtures/demo-glossary.tsv"
U="$TOLK_TOP/fixtures/demo-units.tsv"
P="$TOLK_TOP/fixtures/demo-check.tsv"

# glossary of the planted fixture: the demo one plus two forbidden variants
setup_glossary() {
	run glossary import "$G"
	run glossary add Stortinget Parliament --forbid "the Storting" --note "Not \"the Storting\""
	run glossary add utenriksminister "Minister of Foreign Affairs" --forbid "Foreign Minister"
}

# check --json FILE finds exactly one thing (exit 1, one line)
check_one_finding() {
	run check --json "$1"
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 1
}

test_case "the correct demo translation gives no findings" '
	run check --glossary "$G" "$U"
	expect_rc 0
	expect_eq "$(cat "$T/out")" ""
	setup_glossary
	run check "$U"
	expect_rc 0
	expect_eq "$(cat "$T/out")" ""
'

test_case "the planted-violation fixture yields exactly the planted findings" '
	setup_glossary
	cp "$P" demo-check.tsv
	run check demo-check.tsv
	expect_rc 1
	grep -v "^  " "$T/out" > got.txt
	cat > want.txt <<-EOT
	demo-check.tsv:6: missing: '"'"'statsminister'"'"' is not translated as "Prime Minister"
	demo-check.tsv:7: missing: '"'"'NTB'"'"' is not translated as "news bureau NTB"
	demo-check.tsv:8: missing: '"'"'Statsministerens kontor'"'"' is not translated as "Office of the Prime Minister"
	demo-check.tsv:9: number: 19 is not in the target (expected 19:00)
	demo-check.tsv:11: missing: '"'"'regjeringen'"'"' is not translated as "the Government"
	demo-check.tsv:12: number: 1,5 is not in the target (expected 1.5)
	demo-check.tsv:13: forbidden: '"'"'Stortinget'"'"' rendered as forbidden "The Storting"; use "Parliament"
	demo-check.tsv:14: untranslated: '"'"'Stortinget'"'"' left as "Stortinget"; use "Parliament"
	demo-check.tsv:18: forbidden: '"'"'utenriksminister'"'"' rendered as forbidden "Foreign Minister"; use "Minister of Foreign Affairs"
	demo-check.tsv:19: missing: '"'"'styringsrente'"'"' is not translated as "policy rate"
	demo-check.tsv:21: inconsistent: translated differently at demo-check.tsv:16: "Støre returns home on Friday."
	EOT
	diff want.txt got.txt >diff.txt || fail "$(cat diff.txt)"
'

test_case "human output shows both sides with the term marked" '
	setup_glossary
	cp "$P" demo-check.tsv
	run check --kinds forbidden demo-check.tsv
	expect_out "^  nb: \\[Stortinget\\] vedtok i fjor"
	expect_out "^  en: \\[The Storting\\] adopted"
	expect_out "^  note: Not \"the Storting\""
	expect_no_out "$(printf "\\033")"
'

test_case "colour only on a terminal and never with NO_COLOR" '
	command -v script >/dev/null || skip "script(1) missing: no terminal to test on"
	setup_glossary
	cp "$P" demo-check.tsv
	NO_COLOR= script -qc "\"$TOLK\" check --kinds forbidden demo-check.tsv" /dev/null > tty.txt
	grep -q "$(printf "\033")\\[" tty.txt || fail "no colour on a terminal: $(head -c 300 tty.txt)"
	NO_COLOR=1 script -qc "\"$TOLK\" check --kinds forbidden demo-check.tsv" /dev/null > tty2.txt
	if grep -q "$(printf "\033")" tty2.txt; then fail "colour with NO_COLOR"; fi
	grep -q "\\[Stortinget\\]" tty2.txt || fail "no marks without colour"
'

test_case "--json prints one finding per line with the documented keys" '
	setup_glossary
	cp "$P" demo-check.tsv
	run check --json demo-check.tsv
	expect_rc 1
	expect_eq "$(wc -l < "$T/out" | tr -d " ")" 11
	expect_out "^\\{\"kind\":\"untranslated\",\"file\":\"demo-check.tsv\",\"line\":14,\"term\":\"Stortinget\",\"expected\":\\[\"Parliament\"\\],\"found\":\"Stortinget\",\"source\":\"Programmet har bred støtte i Stortinget.\",\"target\":\"The programme has broad support in Stortinget.\",\"note\":\"Not \\\\\"the Storting\\\\\"\",\"source_file\":\"demo-check.tsv\",\"source_line\":14,\"target_file\":\"demo-check.tsv\",\"target_line\":14,\"target_column\":36\\}$"
	expect_out "^\\{\"kind\":\"missing\",\"file\":\"demo-check.tsv\",\"line\":6,\"term\":\"statsminister\",\"expected\":\\[\"Prime Minister\"\\],\"found\":null,"
	expect_out "^\\{\"kind\":\"number\",\"file\":\"demo-check.tsv\",\"line\":12,\"term\":\"1,5\",\"expected\":\\[\"1.5\"\\],\"found\":null,"
'

test_case "--kinds selects the checks" '
	setup_glossary
	cp "$P" demo-check.tsv
	run check --json --kinds number,inconsistent demo-check.tsv
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 3
	expect_no_out "\"kind\":\"missing\""
	run check --kinds forbidden,nonsense demo-check.tsv
	expect_rc 2
	expect_err "nonsense"
'

test_case "inflected terms and English plural/possessive forms are accepted" '
	run glossary import "$G"
	printf "Statsministerens tale ble godt mottatt.\\tThe Prime Minister'"'"'s speech was well received.\\n" > a.tsv
	printf "To tidligere statsministre deltok.\\tTwo former Prime Ministers took part.\\n" >> a.tsv
	printf "Stortingets leder talte.\\tParliament’s Speaker spoke.\\n" >> a.tsv
	printf "Statsministerens kontors pressesjef.\\tThe press officer of the Office of the Prime Minister.\\n" >> a.tsv
	printf "Kommunestyret møtes i dag.\\tThe municipal council meets today.\\n" >> a.tsv
	printf "NTBs reporter var der.\\tA news bureau NTB reporter was there.\\n" >> a.tsv
	printf "Regjeringens forslag.\\tThe Government'"'"'s proposal.\\n" >> a.tsv
	run check a.tsv
	expect_rc 0
	expect_eq "$(cat "$T/out")" ""
'

test_case "terms inside compounds are found only with --compounds" '
	run glossary import "$G"
	printf "Toppmøtedeltakerne kom.\tThe participants came.\n" > c.tsv
	run check c.tsv
	expect_rc 0
	run check --json --compounds c.tsv
	expect_rc 1
	expect_out "\"kind\":\"missing\",\"file\":\"c.tsv\",\"line\":1,\"term\":\"toppmøte\""
	run glossary find --compounds "Toppmøtedeltakerne"
	expect_rc 0
	run glossary find "Toppmøtedeltakerne"
	expect_rc 1
'

test_case "case rules: acronyms only in capitals, other renderings in any case" '
	run glossary import "$G"
	printf "Han ringte ntb i går.\\tHe called ntb yesterday.\\n" > a.tsv
	printf "Han ringte NTB i går.\\tHe called ntb yesterday.\\n" >> a.tsv
	printf "Regjeringen møtes.\\tThe government meets.\\n" >> a.tsv
	printf "Regjeringen møtes.\\tThe cabinet meets.\\n" >> a.tsv
	run check --json --kinds missing a.tsv
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 2
	expect_out "\"line\":2,\"term\":\"NTB\""
	expect_out "\"line\":4,\"term\":\"regjeringen\""
'

test_case "numbers match across notations and are flagged when missing" '
	printf "Det kostet 12 000 kroner.\\tIt cost NOK 12,000.\\n" > n.tsv
	printf "Renten er 4,5 prosent.\\tThe rate is 4.5 per cent.\\n" >> n.tsv
	printf "Møtet starter kl. 14.30.\\tThe meeting starts at 14:30.\\n" >> n.tsv
	printf "Det gjelder 3 land.\\tIt concerns three countries.\\n" >> n.tsv
	printf "Avtalen fra 17.05.2024 gjelder.\\tThe agreement of 17 May 2024 applies.\\n" >> n.tsv
	printf "Budsjettet er 1,2 milliarder.\\tThe budget is 1.2 billion.\\n" >> n.tsv
	printf "Hele 12 000 millioner.\\tAll of 12 billion.\\n" >> n.tsv
	run check --glossary "$G" n.tsv
	expect_rc 0
	printf "Det kostet 12 000 kroner.\\tIt cost NOK 1,200.\\n" > m.tsv
	printf "Renten er 4,5 prosent.\\tThe rate is 45 per cent.\\n" >> m.tsv
	run check --json --glossary "$G" m.tsv
	expect_rc 1
	expect_out "\"line\":1,\"term\":\"12 000\",\"expected\":\\[\"12,000\"\\]"
	expect_out "\"line\":2,\"term\":\"4,5\",\"expected\":\\[\"4.5\"\\]"
'

test_case "XLIFF 1.2 and 2.0 are checked with unit ids and lines" '
	run glossary import "$G"
	cat > a.xlf <<-EOT
	<?xml version="1.0" encoding="UTF-8"?>
	<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
	 <file source-language="nb-NO" target-language="en-GB" datatype="plaintext" original="a">
	  <body>
	   <trans-unit id="u1"><source>Stortinget vedtok <g id="1">budsjettet</g>.</source>
	    <target>The Storting adopted <g id="1">the budget</g>.</target></trans-unit>
	   <trans-unit id="u2"><source>Statsministeren<x id="2"/> talte.</source><target>The Prime Minister spoke.</target></trans-unit>
	   <trans-unit id="u3"><source>Stortinget</source></trans-unit>
	  </body>
	 </file>
	</xliff>
	EOT
	check_one_finding a.xlf
	expect_out "^\\{\"kind\":\"untranslated\",\"file\":\"a.xlf\",\"line\":5,\"unit\":\"u1\",\"term\":\"Stortinget\",\"expected\":\\[\"Parliament\"\\],\"found\":\"Storting\",\"source\":\"Stortinget vedtok budsjettet.\",\"target\":\"The Storting adopted the budget.\""
	cat > b.xliff <<-EOT
	<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="nb" trgLang="en">
	 <file id="f1">
	  <unit id="x1">
	   <segment id="s1"><source>Regjeringen <pc id="1">lovet</pc> 12 000 kroner.</source><target>The cabinet <pc id="1">pledged</pc> NOK 12,000.</target></segment>
	   <segment id="s2"><source>NRK meldte det.</source><target>Norwegian Broadcasting (NRK) reported it.</target></segment>
	  </unit>
	 </file>
	</xliff>
	EOT
	check_one_finding b.xliff
	expect_out "\"kind\":\"missing\",\"file\":\"b.xliff\",\"line\":4,\"unit\":\"x1/s1\",\"term\":\"regjeringen\""
'

test_case "segmented XLIFF is checked per segment (the TM reader's segments), locked ones skipped" '
	run glossary import "$G"
	cat > s.sdlxliff <<-EOT
	<?xml version="1.0" encoding="UTF-8"?>
	<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2" xmlns:sdl="http://sdl.com/FileTypes/SdlXliff/1.0">
	 <file source-language="nb" target-language="en" datatype="plaintext" original="a">
	  <body>
	   <trans-unit id="u1"><source>Stortinget vedtok det. Stortinget vedtok budsjettet.</source>
	    <seg-source><mrk mtype="seg" mid="1">Stortinget vedtok det.</mrk>
	     <mrk mtype="seg" mid="2">Stortinget vedtok budsjettet.</mrk></seg-source>
	    <target><mrk mtype="seg" mid="1">Parliament adopted it.</mrk> <mrk mtype="seg" mid="2">The Storting adopted the budget.</mrk></target>
	    <sdl:seg-defs><sdl:seg id="1"/><sdl:seg id="2"/></sdl:seg-defs></trans-unit>
	   <trans-unit id="u2"><source>Stortinget vedtok det.</source><seg-source><mrk mtype="seg" mid="3">Stortinget vedtok det.</mrk></seg-source>
	    <target><mrk mtype="seg" mid="3">The Storting adopted it.</mrk></target>
	    <sdl:seg-defs><sdl:seg id="3" locked="true"/></sdl:seg-defs></trans-unit>
	  </body>
	 </file>
	</xliff>
	EOT
	check_one_finding s.sdlxliff
	expect_out "^\\{\"kind\":\"untranslated\",\"file\":\"s.sdlxliff\",\"line\":7,\"unit\":\"u1/2\",\"term\":\"Stortinget\""
'

test_case "XLIFF in the wrong direction or malformed is an input error" '
	run glossary import "$G"
	printf "<xliff version=\"2.0\" srcLang=\"en\" trgLang=\"nb\"><file id=\"f\"/></xliff>\\n" > r.xlf
	run check r.xlf
	expect_rc 2
	expect_err "en -> nb"
	printf "<xliff version=\"1.2\">\\n<file>\\n</xliff>\\n" > m.xlf
	run check m.xlf
	expect_rc 2
	expect_err "m.xlf:3:[0-9]+: not well-formed"
'

test_case "check --tm checks every unit of the TM by id" '
	run glossary import "$G"
	run add "Stortinget vedtok budsjettet." "Parliament adopted the budget."
	run add "Stortinget møttes." "The Storting met."
	run check --tm --json
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 1
	expect_out "^\\{\"kind\":\"untranslated\",\"file\":\"[^\"]*tm.db\",\"unit\":\"2\",\"term\":\"Stortinget\""
'

test_case "same source translated differently is inconsistent across files" '
	printf "Ja takk.\\tYes please.\\n" > a.tsv
	printf "Ja takk.\\tYes, thank you.\\nJa  takk.\\tYes please.\\n" > b.tsv
	run check --json --kinds inconsistent --glossary "$G" a.tsv b.tsv
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 1
	expect_out "\"file\":\"b.tsv\",\"line\":1,\"term\":null,\"expected\":\\[\"Yes please.\"\\],\"found\":\"Yes, thank you.\".*\"note\":\"a.tsv:1\""
'

test_case "bad input and usage exit 2" '
	printf "no tab on this line\\n" > bad.tsv
	run check --glossary "$G" bad.tsv
	expect_rc 2
	expect_err "bad.tsv:1:20: no tab"
	run check --glossary "$G" missing.tsv
	expect_rc 2
	run check
	expect_rc 2
	run check --tm a.tsv
	expect_rc 2
	run check --pair a b
	expect_rc 2
	run check a.tsv
	expect_rc 2
	expect_err "no translation memory"
'

test_done
