#!/bin/sh
# tolk lookup: fuzzy scores, diff, adaptation, partial matches, stdin batch
# mode, exit codes.
. "$(dirname "$0")/lib.sh"

seed() {
	run add "Møtet samler ledere fra rundt 30 land som støtter Ukraina." \
		"The meeting brings together leaders from around 30 countries that support Ukraine."
	run add "Støre til Paris for å støtte Ukraina" "Støre to Paris to support Ukraine"
	run add "Prisen er 12 000 kroner for 1,5 timer." "The price is 12,000 kroner for 1.5 hours."
	run add "Lagre" "Save"
}

test_case "a sentence with one word changed is found with its score and diff" '
	seed
	run lookup "Møtet samler sjefer fra rundt 30 land som støtter Ukraina."
	expect_rc 0
	expect_out "^90%  #1$"
	expect_out "Møtet samler \\[-sjefer-\\]\\{\\+ledere\\+\\} fra rundt"
	expect_out "The meeting brings together leaders"
'

test_case "a three-word string with a short word dropped or added is offered" '
	run add "Tid for markørblink" "Cursor blink time"
	run add "Navn arbeidsområder" "Workspace names"
	run lookup "Tid markørblink"
	expect_rc 0
	expect_out "^78%  #1$"
	expect_out "Cursor blink time"
	run lookup "Navn på arbeidsområder"
	expect_rc 0
	expect_out "^81%  #2$"
	run lookup "Verdi markørblink"
	expect_rc 1
'

test_case "placeholders count as words: a typo in a string of placeholders is offered" '
	run add "%s (%s) tilbyr %s." "%s (%s) offers %s."
	run add "Lagre %s som %s" "Save %s as %s"
	run add "<b>Lagre</b>" "<b>Save</b>"
	run lookup "%s (%s) tiebyr %s."
	expect_rc 0
	expect_out "^94%  #1$"
	run lookup --json "Lagre som %s"
	expect_out "\"score\":80,\"source\":\"Lagre %s som %s\""
	run lookup --json "Lagre"
	expect_out "\"score\":98,\"source\":\"<b>Lagre</b>\""
'

test_case "--json lists diff operations as insert, delete and replace" '
	seed
	run lookup --json --min-score 60 "Møtet samler sjefer fra 30 land som støtter Ukraina i dag."
	expect_rc 0
	expect_out "\"diff\":\\[\\{\"op\":\"replace\",\"at\":13,\"query\":\"sjefer\",\"source\":\"ledere\"\\},\\{\"op\":\"insert\",\"at\":24,\"source\":\"rundt\"\\},\\{\"op\":\"delete\",\"at\":52,\"query\":\"i dag\"\\}\\]"
'

test_case "an exact match has score 100 and no diff" '
	seed
	run lookup --json "Lagre"
	expect_rc 0
	expect_out "^\\{\"query\":\"Lagre\",\"matches\":\\[\\{\"id\":4,\"score\":100,\"source\":\"Lagre\",\"target\":\"Save\",\"note\":"
	expect_no_out "diff"
'

test_case "a match differing only in numbers offers the adapted target" '
	seed
	run lookup "Prisen er 15 500 kroner for 2,5 timer."
	expect_rc 0
	expect_out "^96%"
	expect_out "The price is 15,500 kroner for 2\\.5 hours\\.  \\(adapted"
	run lookup --json "Prisen er 15 500 kroner for 2,5 timer."
	expect_out "\"adapted\":\"The price is 15,500 kroner for 2\\.5 hours\\.\""
	run lookup --json "Prisen er 15 500 kroner for 2,5 dager."
	expect_no_out "adapted"
'

test_case "times and dates adapt in the notation the stored target uses" '
	run add "Møtet starter kl. 14.30 i dag." "The meeting starts at 14:30 today."
	run add "Kampen starter kl. 18 på lørdag." "The match starts at 6 pm on Saturday."
	run add "Valget holdes 27. november." "The election is held on November 27th."
	run lookup "Møtet starter kl. 15.30 i dag."
	expect_out "^  en    The meeting starts at 15:30 today\\.  \\(adapted"
	run lookup --json "Kampen starter kl. 19 på lørdag."
	expect_out "\"adapted\":\"The match starts at 7 pm on Saturday\\.\""
	run lookup --json "Valget holdes 28. november."
	expect_out "\"adapted\":\"The election is held on November 28th\\.\""
	run lookup --json --min-score 60 "Valget holdes 3. oktober."
	expect_out "\"adapted\":\"The election is held on October 3rd\\.\""
	run lookup --json --min-score 60 "Valget holdes 27. plass."
	expect_no_out "adapted"
'

test_case "placeholders that differ are in the diff and carried into the adapted target" '
	run add "Trykk {0} for å lagre %s." "Press {0} to save %s."
	run lookup --json "Trykk {1} for å lagre %d."
	expect_out "\\{\"op\":\"replace\",\"at\":6,\"query\":\"\\{1\\}\",\"source\":\"\\{0\\}\"\\}"
	expect_out "\"adapted\":\"Press \\{1\\} to save %d\\.\""
'

test_case "a tag the query ties to a number or an edge moves there in the adapted target" '
	run add "<b>Pris:</b> 12 kroner." "<b>Price:</b> NOK 12."
	run add "Fant %s filer i mappen." "Found %s files in the folder."
	run lookup --json "Pris: <b>12</b> kroner."
	expect_out "\"adapted\":\"Price: NOK <b>12</b>\\.\""
	run lookup --json "Fant filer i mappen %s."
	expect_out "\"op\":\"delete\",\"at\":20,\"query\":\"%s\""
	expect_out "\"adapted\":\"Found files in the folder %s\\.\""
	run lookup --json "Fant filer %s i mappen."
	expect_no_out "adapted"
'

test_case "--min-score and --limit bound the matches" '
	seed
	run add "Møtet samler ledere fra rundt 40 land som støtter Ukraina." "x"
	run add "Møtet samler ledere fra mange land som støtter Ukraina." "y"
	run lookup --json --limit 2 "Møtet samler ledere fra rundt 30 land som støtter Ukraina."
	expect_rc 0
	expect_eq "$(grep -o "\"score\":[0-9]*" "$T/out" | tr "\n" " ")" "\"score\":100 \"score\":98 "
	run lookup --json --min-score 99 "Møtet samler ledere fra rundt 31 land som støtter Ukraina."
	expect_rc 1
	run lookup --min-score 101 "x"
	expect_rc 2
	expect_err "101"
'

test_case "a query joining a stored headline to another sentence gets a partial match with its span" '
	seed
	run lookup --json "Støre til Paris for å støtte Ukraina, og møtet varer i to dager med mange gjester."
	expect_rc 0
	expect_out "\"matches\":\\[\\],\"partial\":\\[\\{\"id\":2,\"score\":100,"
	expect_out "\"span\":\\[0,36\\],\"covered\":\"Støre til Paris for å støtte Ukraina\""
	run lookup "Støre til Paris for å støtte Ukraina, og møtet varer i to dager med mange gjester."
	expect_out "^partial 100%  #2  covers \"Støre til Paris for å støtte Ukraina\""
'

test_case "a one-word unit inside a sentence is not a partial match" '
	seed
	run lookup --json "Husk å Lagre filen før du lukker programmet i kveld."
	expect_rc 1
	expect_out "\"partial\":\\[\\]"
'

test_case "nothing similar exits 1 with a message" '
	seed
	run lookup "Helt andre ord her"
	expect_rc 1
	expect_err "no match"
'

test_case "- reads one query per line and answers each as JSON Lines" '
	seed
	printf "Lagre\nHelt andre ord\nMøtet samler ledere fra rundt 40 land som støtter Ukraina.\n" > in.txt
	run_stdin in.txt lookup --json -
	expect_rc 0
	expect_eq "$(wc -l < "$T/out" | tr -d " ")" 3
	expect_eq "$(sed -n 2p "$T/out")" "{\"query\":\"Helt andre ord\",\"matches\":[],\"partial\":[]}"
	expect_out "^\\{\"query\":\"Møtet samler ledere fra rundt 40 land som støtter Ukraina\\.\",\"matches\":\\[\\{\"id\":1,\"score\":98"
	printf "Helt andre ord\nIngen treff\n" > none.txt
	run_stdin none.txt lookup -
	expect_rc 1
	printf "Lagre\n\377\n" > bad.txt
	run_stdin bad.txt lookup -
	expect_rc 2
	expect_err "-:2:1: query is not valid UTF-8"
'

test_case "an empty line in batch mode matches nothing, not even a unit of punctuation" '
	seed
	run add "..." "..."
	printf "\nLagre\n" > in.txt
	run_stdin in.txt lookup --json -
	expect_rc 0
	expect_eq "$(sed -n 1p "$T/out")" "{\"query\":\"\",\"matches\":[],\"partial\":[]}"
	expect_out "^\\{\"query\":\"Lagre\",\"matches\":\\[\\{\"id\":4,"
'

test_case "--exhaustive gives the same answer as the index" '
	seed
	for q in "Møtet samler ledere" "Prisen er 15 kroner for 1,5 timer." "Støre til Paris for å støtte Ukraina og Norge"; do
		run lookup --json --min-score 40 "$q"
		cp "$T/out" a.json
		run lookup --json --min-score 40 --exhaustive "$q"
		cmp -s a.json "$T/out" || fail "differs for $q"
	done
'

test_case "deleted units are no longer found" '
	seed
	run lookup --json "Møtet samler sjefer fra rundt 30 land som støtter Ukraina."
	expect_out "\"id\":1"
	run delete 1
	run lookup "Møtet samler sjefer fra rundt 30 land som støtter Ukraina."
	expect_rc 1
'

test_case "colour highlights the diff only on request of a terminal" '
	seed
	run lookup "Møtet samler sjefer fra rundt 30 land som støtter Ukraina."
	if grep -q "$(printf "\033")" "$T/out"; then fail "escape codes without a terminal"; fi
'

test_case "a byte-order mark is not part of the first query" '
	seed
	printf "\357\273\277Lagre\n" | "$TOLK" lookup --json - >"$T/out"
	expect_out "\"score\":100"
'

test_case "an empty TEXT is a usage error; unquoted words are one sentence" '
	seed
	run lookup ""
	expect_rc 2
	run lookup --json Møtet samler ledere fra rundt 30 land som støtter Ukraina.
	expect_rc 0
	expect_out "\"score\":100"
'

test_case "a word the query adds before a full stop gets no stray space" '
	seed
	run lookup "Møtet samler ledere fra rundt 30 land som støtter Ukraina nå."
	expect_out "støtter Ukraina \\[-nå-\\]\\."
'

test_done
