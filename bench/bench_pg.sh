#!/bin/sh
# PostgreSQL figures on a throwaway server this script starts (tests/pg.sh:
# initdb in a temporary folder, Unix socket only, removed at the end).
# Per size, a TM of realistic text (../shared/bench/gentmx.py) is imported
# with `tolk import` (seconds, units/s), then looked up by 1, 4 and 16
# concurrent clients (bench/pg_bench.c: one connection each, every query
# timed on its own): p50/p95/p99, queries/s and recall of the unit each
# query was made from.  Side by side, on the same server and data, the
# way Weblate searches its memory with pg_trgm: the sources in one table
# with a GIN gin_trgm_ops index, `source % q` under
# pg_trgm.similarity_threshold, ORDER BY similarity LIMIT 10, rescored.
# Queries (shared/bench/README.md): stored sentences with their second
# word dropped, 200 spread over the TM.
#   TOLK_BENCH_PG_SIZES      sizes (default 100000; TOLK_BENCH_1M=1 adds
#                            1000000)
#   TOLK_BENCH_PG_PER_CLIENT lookups per client (default 200 / clients,
#                            at least 50)
#   TOLK_BENCH_PG_THRESHOLD  pg_trgm.similarity_threshold (default 0.5)
#   TOLK_BENCH_GENTMX_CACHE  folder to keep the generated TMX files in
# Without PostgreSQL (initdb) it says so and is skipped; without pg_trgm
# (postgresql-contrib) only the pg_trgm lines are.  Times are printed,
# never judged: the machines are shared and noisy.
set -u
: "${TOLK:?}" "${TOLK_BUILD:?}" "${TOLK_TOP:?}"
sizes=${TOLK_BENCH_PG_SIZES:-100000}
[ "${TOLK_BENCH_1M:-0}" = 1 ] && sizes="$sizes 1000000"
threshold=${TOLK_BENCH_PG_THRESHOLD:-0.5}
gen="${TOLK_SHARED:-}/bench/gentmx.py"
. "$(dirname "$0")/gentmx.sh"
bin="$TOLK_BUILD/pg_bench"
[ -x "$bin" ] || { echo "bench_pg: $bin missing (make bench builds it)"; exit 1; }
if [ ! -f "$gen" ] || ! command -v python3 >/dev/null; then
	echo "bench_pg: needs $gen and python3: skipped"
	exit 0
fi
# a benchmark does not install a server (the tests do, as root)
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 &&
	! { command -v pg_config >/dev/null &&
		[ -x "$(pg_config --bindir)/initdb" ]; }; then
	echo "bench_pg: PostgreSQL is not installed (no initdb): skipped"
	exit 0
fi
_root=$(mktemp -d)
dir=$_root
# room for the TM's working set: the tests' 32 MB would measure the disk
PG_CONF_EXTRA="shared_buffers = 256MB
log_connections = off
max_connections = 40"
. "$TOLK_TOP/tests/pg.sh"
if ! pg_find; then
	echo "bench_pg: $pg_why_not: skipped"
	exit 0
fi
if ! pg_start 2>"$dir/start.err"; then
	echo "bench_pg: could not start a server: skipped"
	head -5 "$dir/start.err"
	exit 0
fi
cache=${TOLK_BENCH_GENTMX_CACHE:-$dir}
mkdir -p "$cache"
trgm=1
pg_sql postgres "CREATE DATABASE probe" >/dev/null &&
	pg_sql probe "CREATE EXTENSION pg_trgm" >/dev/null 2>"$dir/trgm.err" ||
	trgm=0
[ "$trgm" = 1 ] ||
	echo "bench_pg: pg_trgm is not available (postgresql-contrib): its lines are skipped"

status=0
for n in $sizes; do
	tmx=$(gentmx_tmx "$n") || { status=1; continue; }
	gentmx_queries "$tmx" "$n" "$dir"
	db=tm$n
	pg_newdb "$db"
	uri=$TOLK_DB
	unset TOLK_DB
	if ! /usr/bin/time -f "%e %U %S" -o "$dir/time" "$TOLK" --db "$uri" \
		import "$tmx" >"$dir/import.out" 2>"$dir/import.err"; then
		echo "bench_pg: import of $n units failed: $(tail -3 "$dir/import.err")"
		status=1
		continue
	fi
	read -r secs user sys <"$dir/time"
	bytes=$(pg_sql "$db" "SELECT pg_database_size('$db')")
	echo "units $n: import ${secs} s ($(awk -v n="$n" -v s="$secs" \
		'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }') units/s, client CPU $(awk \
		-v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", u + s }') s), database $((bytes / 1048576)) MB"
	if [ "$trgm" = 1 ]; then
		t0=$(date +%s.%N)
		pg_sql "$db" "CREATE EXTENSION IF NOT EXISTS pg_trgm;
			CREATE TABLE trgm_memory AS SELECT u.id, s.text AS source,
			  t.text AS target FROM unit u
			  JOIN variant s ON s.unit_id = u.id AND s.lang_key = 'nb'
			  JOIN variant t ON t.unit_id = u.id AND t.lang_key = 'en';
			CREATE INDEX trgm_memory_source ON trgm_memory
			  USING gin (source gin_trgm_ops);
			ANALYZE trgm_memory" >/dev/null || trgm=0
		t1=$(date +%s.%N)
	fi
	if [ "$trgm" = 1 ]; then
		tb=$(pg_sql "$db" "SELECT pg_total_relation_size('trgm_memory')")
		echo "units $n: pg_trgm table and GIN index built in $(awk \
			-v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s, $((tb / 1048576)) MB"
	fi
	printf '%-8s %-8s %7s %7s %7s %7s %7s %6s %9s\n' units engine clients \
		p50_ms p95_ms p99_ms mean_ms qps recall
	for c in 1 4 16; do
		per=$((200 / c))
		[ "$per" -ge 50 ] || per=50
		per=${TOLK_BENCH_PG_PER_CLIENT:-$per}
		for engine in tolk trgm; do
			[ "$engine" = trgm ] && [ "$trgm" = 0 ] && continue
			if ! out=$("$bin" "$engine" "$uri" "$dir/q.txt" \
				"$dir/expected.txt" "$c" "$per" "$threshold" \
				2>"$dir/err"); then
				echo "bench_pg: $engine with $c clients failed: $(tail -3 "$dir/err")"
				status=1
				continue
			fi
			get() { echo "$out" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
			printf '%-8s %-8s %7s %7s %7s %7s %7s %6s %9s\n' "$n" \
				"$engine" "$c" "$(get p50_ms)" "$(get p95_ms)" \
				"$(get p99_ms)" "$(get mean_ms)" "$(get qps)" \
				"$(get recall)"
		done
	done
	pg_sql postgres "DROP DATABASE $db" >/dev/null
done
echo "import: tolk import of the gentmx.py file into an empty database (wall);"
echo "lookups: each client its own connection, every query timed (tolk: min"
echo "score 70, limit 5; trgm: similarity_threshold $threshold, 10 candidates"
echo "rescored by word edit distance, >= 70, best 5); recall: queries whose"
echo "results hold the unit they were made from."
exit $status
