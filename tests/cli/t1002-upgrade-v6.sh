#!/bin/sh
# A TM written by tolk at schema version 6 (the duplicate key as 32 hex
# characters, the exact-match index on (lang_key, norm_key)) opens with
# this tolk, is migrated, and behaves as one this tolk wrote: the same
# export, the same lookups, and its units' duplicate keys the ones this
# tolk computes, so that importing the same file again merges every unit.
#
# fixtures/tm-v6.sql is `sqlite3 .dump` of a TM that tolk 13ac924 (the
# last build at version 6) filled with fill() (upgrade-lib.sh); tm-v6.tmx is its
# export, less the <header> line.
. "$(dirname "$0")/lib.sh"
fx=$TOLK_TOP/fixtures

. "$(dirname "$0")/upgrade-lib.sh"

test_case "a version-6 TM is migrated to this schema" '
	command -v sqlite3 >/dev/null || skip "no sqlite3 shell"
	sqlite3 old.db <"$fx/tm-v6.sql"
	expect_eq "$(sqlite3 old.db "PRAGMA user_version")" 6
	units=$(sqlite3 old.db "SELECT count(*) FROM unit")
	TOLK_DB=$T/old.db run stats
	expect_rc 0
	expect_out "^units: *$units\$"
	"$TOLK" --db "$T/new.db" add "Ny." "New." >/dev/null
	expect_eq "$(sqlite3 old.db "PRAGMA user_version")" \
		"$(sqlite3 new.db "PRAGMA user_version")"
	expect_eq "$(sqlite3 old.db "PRAGMA integrity_check")" ok
	TOLK_DB=$T/old.db "$TOLK" export - | grep -v "^<header " >after.tmx
	diff -u "$fx/tm-v6.tmx" after.tmx >&2 || fail "the export changed"
'

test_case "its duplicate and exact-match keys are the ones this tolk computes" '
	command -v sqlite3 >/dev/null || skip "no sqlite3 shell"
	sqlite3 old.db <"$fx/tm-v6.sql"
	fill
	keys="SELECT id, dup_hi, dup_lo FROM unit ORDER BY id"
	TOLK_DB=$T/old.db run stats
	expect_rc 0
	sqlite3 old.db "$keys" >old.keys
	sqlite3 tm.db "$keys" >new.keys
	expect_eq "$(wc -l <old.keys)" "$(sqlite3 tm.db "SELECT count(*) FROM unit")"
	diff -u new.keys old.keys >&2 || fail "the duplicate keys differ"
	variants old.db >old.vars
	variants tm.db >new.vars
	expect_eq "$(wc -l <old.vars)" "$(variant_count tm.db)"
	diff -u new.vars old.vars >&2 || fail "the variants or their exact-match keys differ"
	! grep -q "|\\\\N\$" old.vars || fail "a variant without its exact-match key"
	for q in "Møte 45 om kommunen." "Møte 12 om regjeringen" "Statsministeren reiste til Paris."; do
		# tolk add dated its unit when it ran
		TOLK_DB=$T/old.db "$TOLK" lookup --json "$q" |
			sed "s/\"created\":\"[^\"]*\"//g" >old.lookup
		"$TOLK" lookup --json "$q" |
			sed "s/\"created\":\"[^\"]*\"//g" >new.lookup
		diff -u new.lookup old.lookup >&2 || fail "lookup of $q changed"
	done
'

test_case "after the upgrade an import of the same file merges every unit" '
	command -v sqlite3 >/dev/null || skip "no sqlite3 shell"
	sqlite3 tm.db <"$fx/tm-v6.sql"
	gen 70 >units.tmx
	units=$(sqlite3 tm.db "SELECT count(*) FROM unit")
	run import units.tmx
	expect_rc 0
	expect_out ": 70 read, 0 imported, 70 merged, 0 skipped"
	cp "$fx/demo-units.tsv" demo.tsv
	run import demo.tsv
	expect_out ": 35 read, 0 imported, 35 merged, 0 skipped"
	run add "Statsministeren reiste til Paris." "The Prime Minister travelled to Paris." --note "NTB"
	expect_rc 0
	expect_eq "$(sqlite3 tm.db "SELECT count(*) FROM unit")" $units
	run import --on-duplicate skip units.tmx
	expect_out ": 70 read, 0 imported, 0 merged, 70 skipped"
	# one new unit is added, and a second copy of it merges
	printf "Et nytt møte.\tA new meeting.\n" >one.tsv
	run import one.tsv
	expect_out ", 1 imported, 0 merged"
	run import one.tsv
	expect_out ", 0 imported, 1 merged"
	"$TOLK" export - | grep -c "<tu " | grep -qx $((units + 1)) || fail "units lost"
'

test_done
