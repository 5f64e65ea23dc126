#!/bin/sh
# Crash safety: `tolk import` killed with SIGKILL at random points of a
# large import leaves a database that passes integrity_check and holds
# either all of that import or none of it.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || {
	test_skip "kill test" "sqlite3 CLI missing"
	test_done
	exit
}

# gen_tmx N TAG: N nb-en units whose texts carry TAG, on stdout.
gen_tmx() {
	awk -v n="$1" -v tag="$2" 'BEGIN {
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" adminlang=\"en\" srclang=\"nb\" datatype=\"plaintext\"/><body>"
		for (i = 1; i <= n; i++)
			printf "<tu tuid=\"%s%d\"><tuv xml:lang=\"nb\"><seg>Setning %d om %s, kommune %d og fylke %d.</seg></tuv><tuv xml:lang=\"en\"><seg>Sentence %d about %s, municipality %d and county %d.</seg></tuv></tu>\n", tag, i, i, tag, i % 97, i % 11, i, tag, i % 97, i % 11
		print "</body></tmx>"
	}'
}

now_ms() { date +%s%3N; }

# kill_once DELAY: one import of big.tmx into k.db killed after DELAY
# seconds, then the checks; counts the outcome in all/none.
kill_once() {
	delay=$1
	i=$((i + 1))
	# after a kill that left none of the import, the next run
	# goes on with the database that kill left, not a fresh copy
	if [ $last = all ]; then
		rm -f k.db k.db-wal k.db-shm
		cp base.db k.db
	fi
	"$TOLK" --db k.db import big.tmx >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	# the import may be over before the kill; wait gives 137 when not
	kill -9 $pid 2>/dev/null || :
	wait $pid 2>/dev/null || :
	# tolk opens the killed database first (it recovers the WAL)
	"$TOLK" --db k.db lookup "Setning 7 om base, kommune 7 og fylke 7." >out 2>err ||
		fail "run $i: lookup after the kill: $(cat err)"
	grep -q "Sentence 7 about base" out || fail "run $i: lookup lost the base units"
	ic=$(sqlite3 k.db "PRAGMA integrity_check" 2>&1)
	[ "$ic" = ok ] || fail "run $i (kill after ${delay}s, seed $seed): integrity_check: $ic"
	n=$(sqlite3 k.db "SELECT count(*) FROM unit")
	nv=$(variant_count k.db)
	# the length-only key of the match index (ALL) has every
	# unit: the largest count of a key
	nm=$(sqlite3 k.db "SELECT coalesce(max(n), 0) FROM match_tok")
	[ "$nm" = "$n" ] || fail "run $i: the match index has $nm units, the TM $n"
	if [ "$n" = "$base" ] && [ "$nv" = $((2 * base)) ]; then
		none=$((none + 1))
		last=none
	elif [ "$n" = "$full" ] && [ "$nv" = $((2 * full)) ]; then
		all=$((all + 1))
		last=all
	else
		fail "run $i (kill after ${delay}s, seed $seed): $n units, $nv variants; expected $base or $full units"
	fi
}

# kill_new DELAY: the first import of big.tmx into a new n.db killed
# after DELAY seconds, then the checks; counts an emptied TM in none.
kill_new() {
	delay=$1
	rm -f n.db n.db-wal n.db-shm n.db-journal
	"$TOLK" --db n.db import big.tmx >/dev/null 2>&1 &
	pid=$!
	sleep $delay
	kill -9 $pid 2>/dev/null || :
	wait $pid 2>/dev/null || :
	# the next open undoes the killed write from its journal
	rc=0
	"$TOLK" --db n.db lookup "Setning 7 om big, kommune 7 og fylke 7." >out 2>err || rc=$?
	n=$(sqlite3 n.db "SELECT count(*) FROM unit")
	ic=$(sqlite3 n.db "PRAGMA integrity_check" 2>&1)
	[ "$ic" = ok ] || fail "kill after ${delay}s (seed $seed): integrity_check: $ic"
	if [ "$n" = 0 ]; then
		none=$((none + 1))
		[ $rc -eq 1 ] || fail "lookup in the emptied TM: exit $rc: $(cat err)"
	elif [ "$n" = $N ]; then
		[ $rc -eq 0 ] || fail "lookup after a finished import: exit $rc: $(cat err)"
	else
		fail "kill after ${delay}s (seed $seed): $n units, expected 0 or $N"
	fi
}

# more_kills FN MAX: while no kill has left none of the import, up to
# MAX more runs of FN, killed at 40% of the calibrated time, then 20%,
# 10%...; counts them in extra.
more_kills() {
	extra=0 frac=400
	while [ $none -eq 0 ] && [ $extra -lt $2 ]; do
		$1 $(awk -v d=$dur -v f=$frac "BEGIN { printf \"%.3f\", d * f / 1000000 }")
		extra=$((extra + 1)) frac=$((frac / 2))
	done
}

# The whole test stays within about 30 seconds: at most KILLS runs of an
# import that takes a second or two.
KILLS=${TOLK_KILLS:-14}
N=${TOLK_KILL_UNITS:-20000}

test_case "SIGKILL during import leaves all of it or none, and a sound database" '
	gen_tmx 50 base >base.tmx
	gen_tmx $N big >big.tmx
	run --db base.db import base.tmx
	expect_rc 0
	sqlite3 base.db "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	base=$(sqlite3 base.db "SELECT count(*) FROM unit")
	expect_eq "$base" 50
	# one import to the end gives the time scale and the "all" count
	cp base.db full.db
	t0=$(now_ms)
	run --db full.db import big.tmx
	t1=$(now_ms)
	expect_rc 0
	full=$(sqlite3 full.db "SELECT count(*) FROM unit")
	expect_eq "$full" $((50 + N))
	dur=$((t1 - t0))
	# the machine is shared: the quicker of two runs is the time scale
	cp base.db full2.db
	t0=$(now_ms)
	"$TOLK" --db full2.db import big.tmx >/dev/null 2>&1
	t1=$(now_ms)
	[ $((t1 - t0)) -lt $dur ] && dur=$((t1 - t0))
	# a slow build (sanitizers) gets fewer runs, not a longer test
	if [ -z "${TOLK_KILLS:-}" ] && [ $((KILLS * dur)) -gt 20000 ]; then
		KILLS=$((20000 / dur))
		[ $KILLS -ge 5 ] || KILLS=5
	fi
	# random kill times: most spread over the whole run, some packed
	# around its end (commit, checkpoint, close)
	seed=$(od -An -N4 -tu4 /dev/urandom | tr -d " ")
	awk -v k=$KILLS -v d=$dur -v s=$seed "BEGIN { srand(s);
		for (i = 0; i < k; i++)
			printf \"%.3f\\n\", (i % 3 == 2 ? d * (0.8 + 0.3 * rand()) : d * rand()) / 1000 }" >delays
	all=0 none=0 i=0 last=all
	while read delay; do
		kill_once $delay
	done <delays
	[ $((all + none)) -eq $KILLS ] || fail "only $((all + none)) of $KILLS runs checked"
	# on a loaded machine the calibrating run can be slower than all the
	# killed ones, which then finish first: earlier kills until one lands
	more_kills kill_once 8
	echo "# kill test: $KILLS kills of a $N-unit import (${dur} ms): $all all, $none none, $extra more kills (seed $seed)"
	# a run that was killed too early or too late to matter would make
	# the test pointless: at least one kill must have landed mid-import
	[ $none -gt 0 ] || fail "no kill interrupted the import"
'
test_case "SIGKILL during the first import into a new database leaves an empty TM, then WAL" '
	gen_tmx $N big >big.tmx
	# a new file is written in rollback-journal mode until it is closed
	t0=$(now_ms)
	run --db once.db import big.tmx
	t1=$(now_ms)
	expect_rc 0
	expect_eq "$(sqlite3 once.db "PRAGMA journal_mode")" wal
	expect_eq "$(sqlite3 once.db "SELECT count(*) FROM unit")" $N
	dur=$((t1 - t0))
	seed=$(od -An -N4 -tu4 /dev/urandom | tr -d " ")
	awk -v d=$dur -v s=$seed "BEGIN { srand(s); for (i = 0; i < 3; i++)
		printf \"%.3f\\n\", d * (0.1 + 0.8 * rand()) / 1000 }" >delays
	none=0
	while read delay; do
		kill_new $delay
	done <delays
	# as above: earlier kills when every one came too late
	more_kills kill_new 4
	echo "# new-file kill test: 3 kills of a $N-unit import (${dur} ms): $none none, $extra more kills (seed $seed)"
	# what a kill left imports again, and the file ends in WAL
	run --db n.db import big.tmx
	expect_rc 0
	expect_eq "$(sqlite3 n.db "SELECT count(*) FROM unit")" $N
	expect_eq "$(sqlite3 n.db "PRAGMA journal_mode")" wal
	[ $none -gt 0 ] || fail "no kill interrupted the import"
'
test_done
