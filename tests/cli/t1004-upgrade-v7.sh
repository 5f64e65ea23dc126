#!/bin/sh
# A TM written by tolk at schema version 7 (the duplicate and exact-match
# keys indexed, no key tables) opens with this tolk, is migrated, and
# behaves as one this tolk wrote: the same export, key tables, lookups,
# and an import of the same file merges every unit.
#
# fixtures/tm-v7.sql is `sqlite3 .dump` (with its user_version) of a TM
# that tolk at the end of session 8 (the last build at version 7) filled
# with fill() (upgrade-lib.sh); tm-v7.tmx is its export, less the <header> line.
. "$(dirname "$0")/lib.sh"
fx=$TOLK_TOP/fixtures

command -v sqlite3 >/dev/null 2>&1 || {
	test_skip "upgrade from version 7" "sqlite3 CLI missing"
	test_done
	exit
}

. "$(dirname "$0")/upgrade-lib.sh"

keys() { # keys DB: the key tables' rows
	sqlite3 "$1" "SELECT 'd', b, hex(entries) FROM key_dup ORDER BY b;
		SELECT 'n', b, hex(entries) FROM key_norm ORDER BY b"
}

test_case "a version-7 TM is migrated to this schema, without its key indexes" '
	sqlite3 old.db <"$fx/tm-v7.sql"
	expect_eq "$(sqlite3 old.db "PRAGMA user_version")" 7
	units=$(sqlite3 old.db "SELECT count(*) FROM unit")
	TOLK_DB=$T/old.db run stats
	expect_rc 0
	expect_out "^units: *$units\$"
	"$TOLK" --db "$T/new.db" add "Ny." "New." >/dev/null
	expect_eq "$(sqlite3 old.db "PRAGMA user_version")" \
		"$(sqlite3 new.db "PRAGMA user_version")"
	expect_eq "$(sqlite3 old.db "PRAGMA integrity_check")" ok
	expect_eq "$(sqlite3 old.db "SELECT count(*) FROM sqlite_master
		WHERE name IN ('"'"'unit_dup'"'"', '"'"'variant_norm_key'"'"')")" 0
	TOLK_DB=$T/old.db "$TOLK" export - | grep -v "^<header " >after.tmx
	diff -u "$fx/tm-v7.tmx" after.tmx >&2 || fail "the export changed"
'

test_case "its key tables and exact lookups are those this tolk writes" '
	sqlite3 old.db <"$fx/tm-v7.sql"
	fill
	TOLK_DB=$T/old.db run stats
	expect_rc 0
	keys old.db >old.keys
	keys tm.db >new.keys
	[ -s new.keys ] || fail "no key tables"
	diff -u new.keys old.keys >&2 || fail "the key tables differ"
	for q in "Møte 45 om kommunen." "Møte 12 om regjeringen" "Møte 9 om avtalen." "Statsministeren reiste til Paris."; do
		# tolk add dated its unit when it ran
		TOLK_DB=$T/old.db "$TOLK" lookup --json "$q" |
			sed "s/\"created\":\"[^\"]*\"//g" >old.lookup
		"$TOLK" lookup --json "$q" |
			sed "s/\"created\":\"[^\"]*\"//g" >new.lookup
		diff -u new.lookup old.lookup >&2 || fail "lookup of $q changed"
	done
'

test_case "after the upgrade an import of the same file merges every unit" '
	sqlite3 tm.db <"$fx/tm-v7.sql"
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
	# one unit is deleted and comes back; a new one is added, and a
	# second copy of it merges
	run delete 3
	expect_rc 0
	run import units.tmx
	expect_out ": 70 read, 1 imported, 69 merged"
	printf "Et nytt møte.\tA new meeting.\n" >one.tsv
	run import one.tsv
	expect_out ", 1 imported, 0 merged"
	run import one.tsv
	expect_out ", 0 imported, 1 merged"
	"$TOLK" export - | grep -c "<tu " | grep -qx $((units + 1)) || fail "units lost"
'

test_done
