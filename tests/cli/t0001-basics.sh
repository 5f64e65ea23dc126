#!/bin/sh
# The tolk command: add, lookup, delete, stats, help, exit codes, bad input.
. "$(dirname "$0")/lib.sh"

test_case "add then lookup finds the pair after whitespace normalisation" '
	run add "Statsministeren reiste til Paris." "The Prime Minister travelled to Paris."
	expect_rc 0
	run lookup "  Statsministeren   reiste til Paris. "
	expect_rc 0
	expect_out "The Prime Minister travelled to Paris\."
	expect_out "100%"
'

test_case "lookup with nothing stored exits 1" '
	run add "Ja" "Yes"
	run lookup "Nei"
	expect_rc 1
'

test_case "lookup --json prints query and matches with id, score, source, target" '
	run add "Hei på deg" "Hello to you"
	run lookup --json "Hei på deg"
	expect_rc 0
	expect_out "^\\{\"query\":\"Hei på deg\",\"matches\":\\[\\{\"id\":1,\"score\":100,\"source\":\"Hei på deg\",\"target\":\"Hello to you\",\"note\":\\[\\],\"created\":\"[0-9-]{10}T[0-9:]{8}Z\",\"changed\":null,"
	expect_out "\"origin\":\"add\",\"usage\":null\\}\\],\"partial\":\\[\\]\\}$"
'

test_case "JSON output escapes quotes, backslashes and control characters" '
	run add "Han sa \"hei\"\\\\" "He said \"hi\"	(tab)"
	run lookup --json "Han sa \"hei\"\\\\"
	expect_rc 0
	expect_out "\"source\":\"Han sa \\\\\"hei\\\\\"\\\\\\\\\\\\\\\\\""
	expect_out "\\\\t\\(tab\\)"
'

test_case "Norwegian and English language tags in any spelling match" '
	run --source-lang nb-NO --target-lang en-GB add "Takk" "Thanks"
	run --source-lang NB_NO lookup --target-lang en_US "Takk"
	expect_rc 0
	run lookup --source-lang no "Takk"
	expect_rc 0
	run lookup --source-lang no-NO --target-lang EN "Takk"
	expect_rc 0
	expect_out "Thanks"
	run lookup --source-lang nn "Takk"
	expect_rc 1
'

test_case "adding the same pair twice merges into one unit" '
	run add "Ja" "Yes"
	run add "Ja" "Yes"
	expect_out "merged into unit 1"
	run stats --json
	expect_out "\"units\":1,"
'

test_case "stats --json reports units, variants, pairs, schema and size" '
	run add "Ja" "Yes"
	run add "Nei" "No"
	run stats --json
	expect_rc 0
	expect_out "^\\{\"units\":2,\"variants\":4,\"pairs\":\\[\\{\"source\":\"nb\",\"target\":\"en\",\"units\":2\\}\\],\"origins\":\\[\\{\"origin\":\"add\",\"units\":2\\}\\],\"schema_version\":[0-9]+,\"bytes\":[0-9]+\\}$"
'

test_case "delete removes a unit; deleting it again exits 1" '
	run add "Ja" "Yes"
	run delete 1
	expect_rc 0
	run lookup "Ja"
	expect_rc 1
	run delete 1
	expect_rc 1
	expect_err "no unit with id 1"
	run delete abc
	expect_rc 2
	expect_err "abc"
'

test_case "read-only commands on a missing database say so and create nothing" '
	run lookup "Hei"
	expect_rc 3
	expect_err "no translation memory"
	[ ! -e "$TOLK_DB" ] || fail "database was created"
	run stats
	expect_rc 3
'

test_case "--db, TOLK_DB and XDG_DATA_HOME choose the database" '
	run --db "$T/a/b.db" add "Ja" "Yes"
	expect_rc 0
	[ -f "$T/a/b.db" ] || fail "--db file missing"
	XDG_DATA_HOME="$T/xdg" TOLK_DB= run add "Nei" "No"
	[ -f "$T/xdg/tolk/tolk.db" ] || fail "XDG database missing"
	HOME="$T/home" XDG_DATA_HOME= TOLK_DB= run add "Nei" "No"
	[ -f "$T/home/.local/share/tolk/tolk.db" ] || fail "HOME database missing"
'

test_case "unknown command and option, missing argument exit 2" '
	run frobnicate
	expect_rc 2
	expect_err "unknown command .frobnicate."
	run lookup --bogus x
	expect_rc 2
	expect_err "bogus"
	run lookup --limit
	expect_rc 2
	run lookup --limit zero x
	expect_rc 2
	expect_err "zero"
	run add "only one"
	expect_rc 2
	run --source-lang "x!" stats
	expect_rc 2
	expect_err "x!"
'

test_case "a file that is not SQLite is refused as a database error (exit 3)" '
	echo "hello there, not a database" > "$T/junk.db"
	run --db "$T/junk.db" stats
	expect_rc 3
	expect_err "not a tolk database"
'

test_case "a database from a newer tolk is refused" '
	run add "Ja" "Yes"
	sqlite3 "$TOLK_DB" "PRAGMA user_version = 999"
	run lookup "Ja"
	expect_rc 3
	expect_err "newer tolk"
'

test_case "an unreadable database is an error, not a crash" '
	run add "Ja" "Yes"
	chmod 000 "$TOLK_DB"
	run lookup "Ja"
	chmod 600 "$TOLK_DB"
	[ "$(id -u)" = 0 ] || { [ "$rc" -ge 2 ] || fail "exit $rc"; }
'

test_case "invalid UTF-8 in arguments exits 2" '
	run add "$(printf "\377")" "x"
	expect_rc 2
	expect_err "UTF-8"
	run lookup "$(printf "a\300b")"
	expect_rc 2
'

test_case "help, --help and --version" '
	run --help
	expect_rc 0
	for c in add lookup delete stats; do
		expect_out "^  $c "
	done
	run help lookup
	expect_rc 0
	expect_out "usage: tolk .*lookup"
	run lookup --help
	expect_rc 0
	expect_out "--limit"
	run --version
	expect_out "^tolk [0-9]"
	run help nosuch
	expect_rc 2
	run
	expect_rc 2
'

test_done
