#!/bin/sh
# PostgreSQL: the read-only and writer roles of the README, passwords
# never shown, connection errors, and a primary with a streaming replica:
# lookups go on with the primary down, writes fail cleanly.
. "$(dirname "$0")/lib.sh"
. "$TOLK_TOP/tests/pg.sh"

pg_require "PostgreSQL roles and replica tests"

# The role SQL of the README's "Team TM on PostgreSQL", for database $1
# (roles are the server's, not the database's: named after it here).
roles() {
	pg_sql "$1" "
CREATE ROLE $1_read NOLOGIN;
CREATE ROLE $1_write NOLOGIN;
GRANT CONNECT ON DATABASE $1 TO $1_read, $1_write;
GRANT USAGE ON SCHEMA public TO $1_read, $1_write;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO $1_read;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO $1_write;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO $1_write;
CREATE ROLE $1_anna LOGIN IN ROLE $1_read;
CREATE ROLE $1_bjorn LOGIN IN ROLE $1_write;"
}

test_case "a read-only role looks up, concords, exports and checks; its writes fail with permission denied" '
	pg_newdb roles
	run import "$TOLK_TOP/fixtures/demo-units.tsv"
	expect_rc 0
	run glossary import "$TOLK_TOP/fixtures/demo-glossary.tsv"
	expect_rc 0
	roles roles
	TOLK_DB="host=$PG_DIR port=$PG_PORT dbname=roles user=roles_anna"
	run lookup "Støre til Paris for å støtte Ukraina"
	expect_rc 0
	expect_out "^100%"
	run concordance Ukraina
	expect_rc 0
	run export -
	expect_rc 0
	expect_out "<tmx"
	run check --tm
	[ $rc -le 1 ] || fail "check --tm exited $rc: $(cat err)"
	run glossary list
	expect_rc 0
	run add "Hei" "Hello"
	expect_rc 3
	expect_err "^tolk add: .*permission denied"
	run import "$TOLK_TOP/fixtures/demo-units.tsv"
	expect_rc 3
	expect_err "^tolk import: .*permission denied"
	run glossary add sak case
	expect_rc 3
	expect_err "permission denied"
	run delete 1
	expect_rc 3
	expect_err "permission denied"
	expect_eq "$(pg_sql roles "SELECT count(*) FROM unit")" 35
'

test_case "a writer role adds, imports and deletes but cannot change the schema" '
	pg_newdb wroles
	run add "Hei" "Hello"
	roles wroles
	TOLK_DB="postgresql://wroles_bjorn@/wroles?host=$PG_DIR&port=$PG_PORT"
	run add "Kongen åpnet biblioteket." "The King opened the library."
	expect_rc 0
	expect_out "^added unit 2$"
	run import "$TOLK_TOP/fixtures/demo-units.tsv"
	expect_rc 0
	run delete 1
	expect_rc 0
	run glossary import "$TOLK_TOP/fixtures/demo-glossary.tsv"
	expect_rc 0
	run lookup "Kongen åpnet biblioteket."
	expect_rc 0
	# a role without CREATE cannot make the schema in a new database
	pg_sql postgres "CREATE DATABASE fresh; GRANT CONNECT ON DATABASE fresh TO wroles_bjorn" >/dev/null 2>&1 ||
		{ pg_sql postgres "CREATE DATABASE fresh" >/dev/null; pg_sql postgres "GRANT CONNECT ON DATABASE fresh TO wroles_bjorn" >/dev/null; }
	TOLK_DB="postgresql://wroles_bjorn@/fresh?host=$PG_DIR&port=$PG_PORT"
	run add "Hei" "Hello"
	expect_rc 3
	expect_err "permission denied"
'

test_case "passwords never appear in messages; a server that is not there is exit 3" '
	run --db "postgresql://anna:s3cret-pw@/nope?host=$T/nosuch&port=5999" lookup "Hei"
	expect_rc 3
	expect_err "cannot connect to the TM at .postgresql://anna@/nope"
	! grep -q s3cret-pw err || fail "the password was printed: $(cat err)"
	run --db "host=$T/nosuch port=5999 password=s3cret-pw dbname=nope user=anna" add "Hei" "Hello"
	expect_rc 3
	expect_err "host=.* dbname=nope user=anna"
	! grep -q s3cret-pw err || fail "the password was printed: $(cat err)"
	run --db "postgresql:///nope?host=$T/nosuch&password=s3cret-pw&port=5999" stats
	expect_rc 3
	! grep -q s3cret-pw err || fail "the password was printed: $(cat err)"
'

test_case "a TM of a newer schema is refused; an empty database is no TM for readers" '
	pg_newdb newer
	run lookup "Hei"
	expect_rc 3
	expect_err "no translation memory at"
	run add "Hei" "Hello"
	expect_rc 0
	pg_sql newer "UPDATE tolk_schema SET version = 99"
	run lookup "Hei"
	expect_rc 3
	expect_err "newer tolk \\(schema version 99"
'

test_case "with a streaming replica, lookups go on when the primary is down and writes fail cleanly" '
	pg_newdb repl
	run import "$TOLK_TOP/fixtures/demo-units.tsv"
	expect_rc 0
	pg_replica
	# the replica has caught up
	n=0
	until [ "$("$PG_BIN/psql" -X -A -t -h "$PG_RDIR" -p $PG_RPORT -U postgres -d repl -c "SELECT count(*) FROM unit" 2>/dev/null)" = 35 ]; do
		n=$((n + 1)); [ $n -lt 100 ] || fail "the replica never caught up"; sleep 0.1
	done
	TOLK_DB="postgresql://postgres@/repl?host=$PG_DIR,$PG_RDIR&port=$PG_PORT,$PG_RPORT"
	# both up: a lookup goes to the replica, a write to the primary
	run lookup "Støre til Paris for å støtte Ukraina"
	expect_rc 0
	expect_out "^100%"
	grep -q "database=repl application_name=tolk" "$PG_RDIR/log" ||
		fail "the lookup did not go to the replica"
	before=$(grep -c "database=repl application_name=tolk" "$PG_DIR/log")
	run add "Kongen åpnet biblioteket." "The King opened the library."
	expect_rc 0
	[ "$(grep -c "database=repl application_name=tolk" "$PG_DIR/log")" -gt "$before" ] ||
		fail "the write did not go to the primary"
	pg_stop "$PG_DIR"
	run lookup "Støre til Paris for å støtte Ukraina"
	expect_rc 0
	expect_out "^100%"
	run concordance Ukraina
	expect_rc 0
	run add "Hei" "Hello"
	expect_rc 3
	expect_err "^tolk add: .*the TM is read-only right now"
	run import "$TOLK_TOP/fixtures/demo-units.tsv"
	expect_rc 3
	expect_err "read-only right now"
	# a writer given the replica alone is told the same
	run --db "postgresql://postgres@/repl?host=$PG_RDIR&port=$PG_RPORT&target_session_attrs=any" add "Hei" "Hello"
	expect_rc 3
	expect_err "read-only right now"
'
