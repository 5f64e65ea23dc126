#!/bin/sh
# tolk concordance: phrase search in source or target, keyword in context.
. "$(dirname "$0")/lib.sh"

seed() {
	run add "Statsministeren møtte Ukrainas president i Kyiv." "The Prime Minister met Ukraine's President in Kyiv."
	run add "Det opplyser Statsministerens kontor." "The Office of the Prime Minister says so."
	run add "Møtet i Kyiv varte i to timer." "The meeting in Kyiv lasted two hours."
	run add "Vi må gå nå." "We must go now."
}

test_case "finds the phrase in order, ignoring case, and marks the hit" '
	seed
	run concordance "i kyiv"
	expect_rc 0
	expect_out "^#1 .*president \\[i Kyiv\\]\\.$"
	expect_out "^#3 .*Møtet \\[i Kyiv\\] varte"
	expect_out "The meeting in Kyiv lasted two hours\\."
	run concordance "kyiv i"
	expect_rc 1
	expect_err "not found"
'

test_case "diacritics and punctuation do not matter" '
	seed
	run concordance "ma ga"
	expect_rc 0
	expect_out "\\[må gå\\]"
	run concordance "kontor."
	expect_rc 0
	expect_out "#2"
'

test_case "--target searches the translations" '
	seed
	run concordance --target --json "prime minister"
	expect_rc 0
	expect_eq "$(wc -l < "$T/out" | tr -d " ")" 2
	expect_out "^\\{\"id\":2,.*\"side\":\"target\",\"hit\":\\[18,32\\],\"left\":\"The Office of the \",\"match\":\"Prime Minister\",\"right\":\" says so\\.\"\\}$"
	run concordance "prime minister"
	expect_rc 1
'

test_case "--limit stops after N units; --exhaustive agrees with the index" '
	seed
	run concordance --json --limit 1 "kyiv"
	expect_eq "$(wc -l < "$T/out" | tr -d " ")" 1
	for p in kyiv "i kyiv" "prime minister" "the office"; do
		for side in "" --target; do
			run concordance --json $side "$p"
			cp "$T/out" a.json
			run concordance --json --exhaustive $side "$p"
			cmp -s a.json "$T/out" || fail "index and exhaustive differ for $side $p"
		done
	done
'

test_case "a phrase without words is a usage error" '
	seed
	run concordance "..."
	expect_rc 2
	expect_err "no words"
	# placeholders are no phrase of their own, though scores count them
	run concordance "%s: {0}"
	expect_rc 2
	expect_err "no words"
	run add "Fant %s filer" "Found %s files"
	run concordance "filer"
	expect_rc 0
	expect_out "Found %s files"
'

test_done
