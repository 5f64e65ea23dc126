#!/bin/sh
# Concurrency: lookups in several processes keep answering, with
# consistent results, while an import and glossary edits write.
. "$(dirname "$0")/lib.sh"

# gen_tmx FIRST LAST TAG: nb-en units numbered FIRST..LAST.
gen_tmx() {
	awk -v a="$1" -v b="$2" -v tag="$3" 'BEGIN {
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" adminlang=\"en\" srclang=\"nb\" datatype=\"plaintext\"/><body>"
		for (i = a; i <= b; i++)
			printf "<tu><tuv xml:lang=\"nb\"><seg>Rapport %d om %s fra kommune %d.</seg></tuv><tuv xml:lang=\"en\"><seg>Report %d on %s from municipality %d.</seg></tuv></tu>\n", i, tag, i % 89, i, tag, i % 89
		print "</body></tmx>"
	}'
}

# reader ID: rounds of lookups of a stored unit, of a unit the running
# import adds, the glossary and the unit count, each checked, until the
# import is over (and at least 3); problems go to reader-ID.bad, the
# number of rounds and of good answers to reader-ID.ok.
reader() {
	ok=0
	r=0
	while [ ! -f ../imp.done ] || [ $r -lt 3 ]; do
		r=$((r + 1))
		k=$(((r * 7 + $1 * 13) % 200 + 1))
		s=0
		"$TOLK" lookup "Rapport $k om gammel fra kommune $((k % 89))." >o 2>e || s=$?
		if [ $s -ne 0 ] || ! grep -q "Report $k on gammel from municipality $((k % 89))\\." o; then
			echo "lookup of stored unit $k: exit $s: $(cat e o)" >>"reader-$1.bad"
		else ok=$((ok + 1)); fi
		# a unit of the import: all of it is visible, or none
		s=0
		"$TOLK" lookup --min-score 100 "Rapport $((k + 5000)) om ny fra kommune $(((k + 5000) % 89))." >o 2>e || s=$?
		if [ $s -eq 0 ]; then
			grep -q "Report $((k + 5000)) on ny from" o ||
				echo "lookup of new unit: wrong answer: $(cat o)" >>"reader-$1.bad"
			ok=$((ok + 1))
		elif [ $s -eq 1 ] && grep -q "no match" e && ! grep -qv "no match" e; then
			ok=$((ok + 1))
		else echo "lookup of new unit: exit $s: $(cat e)" >>"reader-$1.bad"; fi
		s=0
		"$TOLK" glossary find "Kommunen svarte." >o 2>e || s=$?
		if [ $s -ne 0 ] || ! grep -Eq "municipality|local authority" o; then
			echo "glossary find: exit $s: $(cat e o)" >>"reader-$1.bad"
		else ok=$((ok + 1)); fi
		s=0
		"$TOLK" stats --json >o 2>e || s=$?
		if [ $s -ne 0 ]; then
			echo "stats: exit $s: $(cat e)" >>"reader-$1.bad"
		elif ! grep -Eq "\"units\": *(200|10200)[,}]" o; then
			echo "stats: a partial import is visible: $(cat o)" >>"reader-$1.bad"
		else ok=$((ok + 1)); fi
	done
	echo "$r $ok" >"reader-$1.ok"
}

test_case "lookups answer consistently while an import and glossary edits write" '
	gen_tmx 1 200 gammel >old.tmx
	gen_tmx 1 10000 ny >new.tmx
	run import old.tmx
	expect_rc 0
	run glossary add kommune municipality
	expect_rc 0
	{ "$TOLK" import new.tmx >imp.out 2>imp.err; echo $? >imp.done; } &
	imp=$!
	( for i in 1 2 3 4 5 6 7 8 9 10; do
		"$TOLK" glossary add kommune "local authority" --alt municipality >/dev/null 2>>gl.err || echo "edit $i failed" >>gl.err
		"$TOLK" glossary add "fylke $i" "county $i" >/dev/null 2>>gl.err || echo "add $i failed" >>gl.err
		"$TOLK" glossary add kommune municipality >/dev/null 2>>gl.err || echo "edit back $i failed" >>gl.err
	done ) &
	gl=$!
	mkdir r1 r2 r3 r4
	for i in 1 2 3 4; do (cd r$i && reader $i) & done
	wait
	expect_eq "$(cat imp.done)" 0
	[ ! -s imp.err ] || fail "import: $(cat imp.err)"
	[ ! -s gl.err ] || fail "glossary edits failed: $(head -c 600 gl.err)"
	total=0
	for i in 1 2 3 4; do
		[ ! -s r$i/reader-$i.bad ] || fail "reader $i: $(head -c 800 r$i/reader-$i.bad)"
		read rounds ok <r$i/reader-$i.ok
		expect_eq "$ok" $((4 * rounds))
		total=$((total + 4 * rounds))
	done
	echo "# $total reads by 4 processes during the import, all answered"
	run stats --json
	expect_out "\"units\": *10200"
	run glossary list
	expect_out "fylke 10"
'
test_case "a write waits for another writer; past the busy timeout it fails clearly" '
	gen_tmx 1 20 gammel >old.tmx
	run import old.tmx
	expect_rc 0
	# another process holds the write lock for 3 seconds
	{ echo "BEGIN IMMEDIATE; UPDATE unit SET origin = origin;"; sleep 3; echo "COMMIT;"; } |
		sqlite3 tm.db &
	holder=$!
	sleep 0.5
	# readers do not wait
	run lookup "Rapport 5 om gammel fra kommune 5."
	expect_rc 0
	expect_out "Report 5 on gammel"
	rc=0
	TOLK_BUSY_TIMEOUT=1 "$TOLK" glossary add kommune municipality >out 2>err || rc=$?
	expect_rc 3
	expect_err "tm\\.db. is busy: another process has been writing to it for 1 seconds"
	# with the default timeout the write waits for the lock and succeeds
	run glossary add kommune municipality
	expect_rc 0
	wait $holder
	run glossary list
	expect_out "^kommune"
'
test_done
