#!/bin/sh
# Inputs found by fuzzing, and the limits on inputs that could exhaust
# memory: each is refused with a message naming the limit and where.
. "$(dirname "$0")/lib.sh"

test_case "a glossary TSV field ending in a backslash keeps it" '
	printf "kommune\tmunicipality\tsee \\\\\nfylke\tcounty\\\\\n" >g.tsv
	run glossary import g.tsv
	expect_rc 0
	run glossary list --json
	expect_out "\"county\\\\\\\\\""
'
test_done
