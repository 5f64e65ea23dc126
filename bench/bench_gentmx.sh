#!/bin/sh
# The headline figures: a TM of realistic text (../shared/bench/gentmx.py:
# a 30,000-word vocabulary with Zipf frequencies) imported with `tolk
# import`, then looked up.  Per size:
#   import seconds (wall and CPU) and their ratio to `xmllint --stream
#   --noout` on the same file, the import's peak RSS, the database's bytes
#   and their ratio to the TMX's, lookup p50/p95/p99/mean (one library call
#   each, batch mode, warm OS cache), units scored per query, recall
#   against --exhaustive, and export seconds.
# Queries (shared/bench/README.md): stored sentences with their second
# word dropped, 200 spread over the TM.
#   TOLK_BENCH_GENTMX_SIZES  sizes (default 100000; TOLK_BENCH_1M=1 adds
#                            1000000, which takes several minutes)
#   TOLK_BENCH_GENTMX_CACHE  folder to keep the generated TMX files in
#   TOLK_BENCH_ROUNDS        rounds of xmllint and import per size (3)
# Times are printed, never judged: the machines are shared and noisy.
set -u
: "${TOLK:?}" "${TOLK_BUILD:?}"
sizes=${TOLK_BENCH_GENTMX_SIZES:-100000}
rounds=${TOLK_BENCH_ROUNDS:-3}
case $rounds in
'' | *[!0-9]* | 0)
	echo "bench_gentmx: TOLK_BENCH_ROUNDS must be a positive number: $rounds"
	exit 1
	;;
esac
[ "${TOLK_BENCH_1M:-0}" = 1 ] && sizes="$sizes 1000000"
gen="${TOLK_SHARED:-}/bench/gentmx.py"
. "$(dirname "$0")/gentmx.sh"
bin="$TOLK_BUILD/lookup_bench"
[ -x "$bin" ] || { echo "bench_gentmx: $bin missing (make bench builds it)"; exit 1; }
if [ ! -f "$gen" ] || ! command -v python3 >/dev/null ||
	! command -v xmllint >/dev/null; then
	echo "bench_gentmx: needs $gen, python3 and xmllint: skipped"
	exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cache=${TOLK_BENCH_GENTMX_CACHE:-$dir}
mkdir -p "$cache"

# timed LABEL CMD...: sets $secs (wall), $cpu (user+sys), $mb (peak RSS)
timed() {
	label=$1
	shift
	if ! /usr/bin/time -f "%e %M %U %S" -o "$dir/time" "$@" \
		>"$dir/$label.out" 2>"$dir/$label.err"; then
		echo "bench_gentmx: $label failed: $(tail -3 "$dir/$label.err")"
		return 1
	fi
	read -r secs kb user sys <"$dir/time" || return 1
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
	mb=$((kb / 1024))
}

# ratio A B [DIGITS]
ratio() {
	awk -v a="$1" -v b="$2" -v d="${3:-1}" \
		'BEGIN { printf "%.*f", d, (b > 0 ? a / b : 0) }'
}
# median X...: the middle value (the mean of the two middle ones)
median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2];
		      else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# spread X...: least-greatest
spread() {
	printf '%s\n' "$@" | sort -g | awk 'NR == 1 { a = $1 } { b = $1 }
		END { printf "%.2f-%.2f", a, b }'
}

status=0
printf '%-8s %7s %8s %8s %7s %9s %7s %7s %6s %6s %6s %6s %6s %7s %8s %6s %6s\n' \
	units tmx_MB xmllint import_s ratio ratio_rng cpu_rat rss_MB db_MB db_rat \
	p50_ms p95_ms p99_ms mean_ms cand/q recall export_s
for n in $sizes; do
	tmx=$(gentmx_tmx "$n") || { status=1; continue; }
	gentmx_queries "$tmx" "$n" "$dir"
	tmx_bytes=$(wc -c <"$tmx")
	# The host's speed swings by a fifth from minute to minute: one
	# xmllint run beside one import measured the host as much as tolk.
	# Rounds alternate the two on a fresh database each; the ratio is the
	# median of the rounds' ratios, with the least and greatest beside.
	floors= imps= cpus= rats= rss=0 r=0 ok=1
	while [ "$r" -lt "$rounds" ]; do
		r=$((r + 1))
		timed xmllint xmllint --stream --noout "$tmx" || { ok=0; break; }
		floors="$floors $secs" fcpu=$cpu fsecs=$secs
		rm -f "$dir/tm.db"*
		timed import "$TOLK" --db "$dir/tm.db" import "$tmx" || { ok=0; break; }
		imps="$imps $secs" cpus="$cpus $(ratio "$cpu" "$fcpu" 2)"
		rats="$rats $(ratio "$secs" "$fsecs" 2)"
		[ "$mb" -gt "$rss" ] && rss=$mb
	done
	[ "$ok" = 1 ] || { status=1; continue; }
	floor=$(median $floors) imp=$(median $imps)
	db_bytes=$(cat "$dir/tm.db" "$dir/tm.db-wal" 2>/dev/null | wc -c)
	ex=20
	[ "$n" -ge 1000000 ] && ex=5
	cat "$dir/tm.db" >/dev/null
	out=$("$bin" "$dir/tm.db" "$dir/q.txt" "$ex") || status=1
	get() { echo "$out" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	timed export "$TOLK" --db "$dir/tm.db" export --all-languages "$dir/out.tmx" ||
		status=1
	exp=$secs
	printf '%-8s %7s %8s %8s %7s %9s %7s %7s %6s %6s %6s %6s %6s %7s %8s %6s %6s\n' \
		"$n" "$((tmx_bytes / 1048576))" "$floor" "$imp" \
		"$(ratio "$(median $rats)" 1 2)x" "$(spread $rats)" \
		"$(ratio "$(median $cpus)" 1 2)x" \
		"$rss" "$((db_bytes / 1048576))" "$(ratio "$db_bytes" "$tmx_bytes")x" \
		"$(get p50_ms)" "$(get p95_ms)" "$(get p99_ms)" "$(get mean_ms)" \
		"$(get candidates_mean)" "$(get recall)" "$exp"
	rm -f "$dir/tm.db"* "$dir/out.tmx"
done
echo "import_s: tolk import of the gentmx.py file (wall); ratio: to xmllint"
echo "--stream --noout on it (wall; cpu_rat: CPU time), the median of $rounds"
echo "rounds alternating the two (ratio_rng: their least and greatest; xmllint"
echo "and import_s: the medians; TOLK_BENCH_ROUNDS sets it); db_MB/db_rat: the"
echo "database after import against the TMX; lookups: min score 70, limit 5,"
echo "200 queries (a stored sentence, second word dropped); recall: matches"
echo "found by the index / by --exhaustive over the first 20 (5 at 1M)."
exit $status
