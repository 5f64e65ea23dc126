#!/bin/sh
# PostgreSQL: a populated TM written by an older tolk is migrated forward
# when the current one opens it, and its units, notes, glossary and match
# index come through whole.  The older TM is the current one taken back to
# schema version 6 by hand (the duplicate key as the 32 hex characters it
# was before the two integers) or 5 (also the exact-match key norm_key as
# the text column norm it replaced).
. "$(dirname "$0")/lib.sh"
. "$TOLK_TOP/tests/pg.sh"

pg_require "PostgreSQL upgrade tests"
fx=$TOLK_TOP/fixtures

# populate DB: a TM of units with and without notes, a glossary, and
# before.tmx, before.lookup and $units from it
populate() {
	"$TOLK" import "$fx/demo-units.tsv" >/dev/null
	"$TOLK" add "Statsministeren reiste til Paris." "The Prime Minister travelled to Paris." --note "NTB" >/dev/null
	"$TOLK" glossary import "$fx/demo-glossary.tsv" >/dev/null
	awk 'BEGIN { for (i = 1; i <= 300; i++) printf "Setning nummer %d om statsbudsjettet.\tSentence number %d about the budget.\n", i, i }' >many.tsv
	"$TOLK" import many.tsv >/dev/null
	"$TOLK" export - | grep -v "^<header " >before.tmx
	"$TOLK" lookup --json "Setning nummer 120 om statsbudsjettet." >before.lookup
	units=$(pg_sql $1 "SELECT count(*) FROM unit")
}

# back_to_6 DB: unit.dup_key, the hex of the two halves, in place of
# dup_hi and dup_lo, the indexes of version 6 and its match_df; $now the
# version it had
back_to_6() {
	now=$(pg_sql $1 "SELECT version FROM tolk_schema")
	pg_sql $1 "CREATE TABLE match_df (tok bigint PRIMARY KEY, n bigint NOT NULL);
		INSERT INTO match_df SELECT tok, n FROM match_tok;
		DROP TABLE match_tok; DROP TABLE match_one;" >/dev/null
	pg_sql $1 "DROP INDEX unit_dup_once;
		DROP INDEX unit_dup;
		DROP INDEX variant_norm_key;
		ALTER TABLE unit ADD COLUMN dup_key text COLLATE \"C\";
		UPDATE unit SET dup_key = lpad(to_hex(dup_hi), 16, '0') || lpad(to_hex(dup_lo), 16, '0');
		ALTER TABLE unit ALTER COLUMN dup_key SET NOT NULL, DROP COLUMN dup_hi, DROP COLUMN dup_lo;
		CREATE INDEX unit_dup ON unit(dup_key);
		CREATE UNIQUE INDEX unit_dup_once ON unit(dup_key) WHERE NOT kept;
		CREATE INDEX variant_norm_key ON variant(lang_key, norm_key);
		UPDATE tolk_schema SET version = 6" >/dev/null
}

test_case "a populated version-6 TM is migrated and its duplicates still merge" '
	db=old6; pg_newdb $db
	populate $db
	back_to_6 $db
	expect_eq "$(pg_sql $db "SELECT count(*) FROM unit WHERE length(dup_key) = 32")" $units
	run stats
	expect_rc 0
	expect_out "^units: *$units\$"
	expect_eq "$(pg_sql $db "SELECT version FROM tolk_schema")" $now
	"$TOLK" export - | grep -v "^<header " >after.tmx
	diff -u before.tmx after.tmx >&2 || fail "the units changed"
	"$TOLK" lookup --json "Setning nummer 120 om statsbudsjettet." >after.lookup
	diff -u before.lookup after.lookup >&2 || fail "a lookup changed"
	# the keys carried over are the ones this tolk computes
	run import many.tsv
	expect_rc 0
	expect_out ": 300 read, 0 imported, 300 merged, 0 skipped"
	run add "Statsministeren reiste til Paris." "The Prime Minister travelled to Paris." --note "NTB"
	expect_rc 0
	expect_eq "$(pg_sql $db "SELECT count(*) FROM unit")" $units
	run import --on-duplicate skip many.tsv
	expect_out ": 300 read, 0 imported, 0 merged, 300 skipped"
'

test_case "a populated version-5 TM is migrated and keeps every unit" '
	db=old; pg_newdb $db
	populate $db
	back_to_6 $db
	# back to version 5: variant.norm (the normalised text) in place of
	# norm_key, and its index
	pg_sql $db "DROP VIEW lang_variant;
		DROP INDEX variant_norm_key;
		ALTER TABLE variant DROP COLUMN norm_key;
		ALTER TABLE variant ADD COLUMN norm text COLLATE \"C\";
		UPDATE variant SET norm = lower(text);
		ALTER TABLE variant ALTER COLUMN norm SET NOT NULL;
		CREATE INDEX variant_norm ON variant(lang_key, norm);
		CREATE VIEW lang_variant AS SELECT v.*, (SELECT count(*) FROM variant x WHERE x.unit_id = v.unit_id AND x.lang_key = v.lang_key AND x.seq < v.seq) AS nth FROM variant v;
		UPDATE tolk_schema SET version = 5" >/dev/null
	expect_eq "$(pg_sql $db "SELECT version FROM tolk_schema")" 5
	# the first tolk to open it migrates; a reader (perhaps on a standby)
	# leaves the new keys to the first writer
	run stats
	expect_rc 0
	expect_out "^units: *$units\$"
	expect_eq "$(pg_sql $db "SELECT version FROM tolk_schema")" $now
	expect_eq "$(pg_sql $db "SELECT count(*) FROM tolk_meta WHERE name = '"'"'variant_norm_key'"'"'")" 1
	run add "Lagre" "Save"
	expect_rc 0
	expect_eq "$(pg_sql $db "SELECT count(*) FROM variant WHERE norm_key IS NULL")" 0
	expect_eq "$(pg_sql $db "SELECT count(*) FROM tolk_meta WHERE name = '"'"'variant_norm_key'"'"'")" 0
	expect_eq "$(pg_sql $db "SELECT count(*) FROM unit")" $((units + 1))
	run delete $((units + 1))
	expect_rc 0
	"$TOLK" export - | grep -v "^<header " >after.tmx
	expect_eq "$(grep -c "<tu " after.tmx)" $units
	diff -u before.tmx after.tmx >&2 || fail "the units changed"
	"$TOLK" lookup --json "Setning nummer 120 om statsbudsjettet." >after.lookup
	diff -u before.lookup after.lookup >&2 || fail "a lookup changed"
	# the exact-match key works: the stored sources are found again
	run import --on-duplicate skip many.tsv
	expect_rc 0
	expect_out ": 300 read, 0 imported, 0 merged, 300 skipped"
	run glossary find "Statsministerens kontor opplyser at Stortinget skal behandle saken."
	expect_rc 0
'

test_done
