#!/bin/sh
# PostgreSQL with many users at once: concurrent writers lose nothing and
# merge what is the same, a reader sees an import before or after, a
# client killed mid-import leaves nothing, a read-only role reads and is
# refused writes, passwords never shown.
. "$(dirname "$0")/lib.sh"
. "$TOLK_TOP/tests/pg.sh"

pg_require "PostgreSQL many-users tests"

# units FILE FROM TO: nb<TAB>en lines numbered FROM..TO
units() {
	awk -v a="$2" -v b="$3" 'BEGIN { for (i = a; i <= b; i++)
		printf "Setning nummer %d om statsbudsjettet for neste år.\tSentence number %d about the state budget for next year.\n", i, i }' >"$1"
}

count() { # count TABLE: rows in the TM's table
	pg_sql "$db" "SELECT count(*) FROM $1"
}

test_case "two translators adding the same pair at once end with one unit" '
	db=same; pg_newdb $db
	"$TOLK" add "Lagre" "Save" >/dev/null
	i=0
	while [ $i -lt 8 ]; do
		"$TOLK" add "Kongen åpnet biblioteket." "The King opened the library." >add$i.out 2>&1 &
		i=$((i + 1))
	done
	wait
	expect_eq "$(count unit)" 2
	expect_eq "$(cat add*.out | grep -c "^added unit")" 1
	expect_eq "$(cat add*.out | grep -c "^merged into unit")" 7
	run lookup "Kongen åpnet biblioteket."
	expect_rc 0
	expect_eq "$(grep -c "^100%" out)" 1
'

test_case "concurrent imports and adds lose no unit and merge the shared ones" '
	db=many; pg_newdb $db
	units a.tsv 1 150
	units b.tsv 151 300
	units c.tsv 301 450
	units shared.tsv 1000 1099
	for f in a b c shared shared; do
		"$TOLK" import $f.tsv >imp.$f.$$.$(date +%N).out 2>&1 &
	done
	i=0
	while [ $i -lt 10 ]; do
		"$TOLK" add "Ekstra setning $i." "Extra sentence $i." >/dev/null &
		i=$((i + 1))
	done
	wait
	expect_eq "$(count unit)" $((450 + 100 + 10))
	expect_eq "$(cat imp.*.out | grep -c " 0 merged, 0 skipped$")" 4
	expect_eq "$(cat imp.*.out | grep -c ": 100 read, 0 imported, 100 merged")" 1
	expect_eq "$(pg_sql $db "SELECT count(*) FROM (SELECT dup_hi, dup_lo FROM unit GROUP BY dup_hi, dup_lo HAVING count(*) > 1) d")" 0
	# the match index is complete: every unit has its ALL posting
	run reindex
	expect_rc 0
	run lookup "Setning nummer 1050 om statsbudsjettet for neste år."
	expect_rc 0
	expect_out "^100%"
'

# tagged FILE FROM TO TAG: as units, the English marked with TAG
tagged() {
	awk -v a="$2" -v b="$3" -v t="$4" 'BEGIN { for (i = a; i <= b; i++)
		printf "Setning nummer %d om statsbudsjettet for neste år.\tSentence number %d about the state budget (%s).\n", i, i, t }' >"$1"
}

# Imports with POLICY, at once, files overlapping each other and the TM,
# their sources 1..300 in the same order; prints nothing, fails unless
# every source is stored once.
overlap_once() { # overlap_once POLICY
	tagged old.tsv 250 350 old
	"$TOLK" import old.tsv >/dev/null
	tagged a.tsv 1 200 a
	tagged b.tsv 100 300 b
	tagged c.tsv 1 300 c
	tagged d.tsv 150 260 d
	for f in a b c d a c; do
		"$TOLK" import --on-duplicate "$1" $f.tsv >imp.$f.$(date +%N).out 2>&1 &
	done
	wait
	if grep -v " read, " imp.*.out >&2; then fail "an import failed"; fi
	expect_eq "$(count unit)" 350
	expect_eq "$(pg_sql $db "SELECT count(*) FROM (SELECT s.text FROM variant s JOIN unit u ON u.id = s.unit_id AND s.lang_key = u.src_key GROUP BY s.text HAVING count(*) > 1) d")" 0
	expect_eq "$(count variant)" 700
	# the index has each unit once: its length-only key counts them
	expect_eq "$(pg_sql $db "SELECT max(n) FROM match_tok")" 350
}

test_case "concurrent imports with --on-duplicate skip store each source once" '
	db=skip; pg_newdb $db
	overlap_once skip
	# the units stored first stay: those of old.tsv all
	expect_eq "$(pg_sql $db "SELECT count(*) FROM variant WHERE text LIKE '"'"'%(old).'"'"'")" 101
	run lookup "Setning nummer 120 om statsbudsjettet for neste år."
	expect_rc 0
	expect_eq "$(grep -c "^100%" out)" 1
'

test_case "concurrent imports with --on-duplicate replace store each source once" '
	db=repl; pg_newdb $db
	overlap_once replace
	# every unit of old.tsv that a file has was replaced
	expect_eq "$(pg_sql $db "SELECT count(*) FROM variant WHERE text LIKE '"'"'%(old).'"'"'")" 50
	run lookup "Setning nummer 120 om statsbudsjettet for neste år."
	expect_rc 0
	expect_eq "$(grep -c "^100%" out)" 1
'

# The server's lock table holds max_locks_per_transaction (64) times
# max_connections (60 here) locks in all: an import must not take a
# lock per source.
test_case "an import of more sources than the lock table holds, with skip and replace" '
	db=locktab; pg_newdb $db
	tagged big.tsv 1 20000 big
	"$TOLK" import --on-duplicate skip big.tsv >big1.out 2>&1 ||
		{ cat big1.out >&2; fail "the skip import failed"; }
	expect_eq "$(count unit)" 20000
	tagged big2.tsv 1 20000 again
	"$TOLK" import --on-duplicate replace big2.tsv >big2.out 2>&1 ||
		{ cat big2.out >&2; fail "the replace import failed"; }
	expect_eq "$(count unit)" 20000
	expect_eq "$(pg_sql $db "SELECT count(*) FROM variant WHERE text LIKE '"'"'%(again).'"'"'")" 20000
'

test_case "a write that fails after going ahead unanswered fails the whole import" '
	db=late; pg_newdb $db
	units before.tsv 1 5
	"$TOLK" import before.tsv >/dev/null
	# the server refuses one unit deep in the file: its variant insert
	# was prepared at the first unit and sent without waiting since
	pg_sql $db "ALTER TABLE variant ADD CONSTRAINT no_nine_hundred CHECK (text NOT LIKE '"'"'%nummer 900 %'"'"')" >/dev/null
	units big.tsv 100 1500
	run import big.tsv
	expect_rc 3
	expect_err "insert variant: .*no_nine_hundred"
	expect_err "nothing imported: the database is unchanged"
	expect_eq "$(count unit)" 5
	expect_eq "$(count variant)" 10
	expect_eq "$(pg_sql $db "SELECT max(n) FROM match_tok")" 5
	# the connection and the TM are fine afterwards
	units after.tsv 2000 2100
	run import after.tsv
	expect_rc 0
	expect_eq "$(count unit)" 106
'

test_case "a reader during an import sees the TM before or after it, never half" '
	db=snap; pg_newdb $db
	units before.tsv 1 20
	units big.tsv 100 2099
	"$TOLK" import before.tsv >/dev/null
	"$TOLK" import big.tsv >imp.out 2>&1 &
	pid=$!
	seen=""
	while kill -0 $pid 2>/dev/null; do
		n=$("$TOLK" stats | sed -n "s/^units: *//p")
		seen="$seen $n"
	done
	wait $pid
	for n in $seen; do
		case $n in 20 | 2020) ;; *) fail "a reader saw $n units (before 20, after 2020): $seen" ;; esac
	done
	case "$seen" in *" 20"*) ;; *) skip "the import ended before a reader looked" ;; esac
	expect_eq "$(count unit)" 2020
'

test_case "a client killed mid-import leaves nothing of it" '
	db=kill; pg_newdb $db
	units before.tsv 1 5
	units big.tsv 100 20099
	"$TOLK" import before.tsv >/dev/null
	"$TOLK" import big.tsv >/dev/null 2>&1 &
	pid=$!
	# until the import has written some units in its transaction
	n=0
	while [ "$(pg_sql postgres "SELECT count(*) FROM pg_stat_activity WHERE datname = '"'"'kill'"'"' AND application_name = '"'"'tolk'"'"' AND xact_start < now() - interval '"'"'0.3 seconds'"'"'")" = 0 ]; do
		n=$((n + 1))
		[ $n -lt 200 ] || fail "the import never started"
		sleep 0.05
	done
	kill -9 $pid
	{ wait $pid; } 2>/dev/null || true
	expect_eq "$(count unit)" 5
	expect_eq "$(count variant)" 10
	# the length-only key of the match index (ALL) has every unit
	expect_eq "$(pg_sql $db "SELECT coalesce(max(n), 0) FROM match_tok")" 5
'
