#!/bin/sh
# Fuzzy-match lookups on generated TMs of 10,000 / 100,000 / 1,000,000
# units: latency percentiles, speed-up over --exhaustive, recall against
# it (every match >= 70 that brute force finds), index build time and
# database size.  Queries are stored units edited (a word dropped,
# replaced, two swapped, a number changed, two sentences joined) and new
# sentences (usually no match), in equal parts.
#   TOLK_BENCH_SIZES    sizes to run (default "10000 100000 1000000")
#   TOLK_BENCH_QUERIES  timed queries per size (default 600)
# Latency is of the library call in one process (as with `tolk lookup -`),
# without process start-up.
set -u
: "${TOLK_BUILD:?run through bench/run.sh or set TOLK_BUILD}"
sizes=${TOLK_BENCH_SIZES:-"10000 100000 1000000"}
queries=${TOLK_BENCH_QUERIES:-600}
bin="$TOLK_BUILD/match_bench"
[ -x "$bin" ] || { echo "bench_match: $bin missing (make bench builds it)"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
status=0
kinds=""

printf '%-8s %8s %8s %8s %8s %8s %8s %9s %10s %9s %8s %8s\n' \
	units add_s index_s db_MB p50_ms p95_ms p99_ms cand/q exh_ms speedup recall top1
for n in $sizes; do
	ex=$((2000000 / n))
	[ "$ex" -lt 20 ] && ex=20
	[ "$ex" -gt "$queries" ] && ex=$queries
	out=$("$bin" "$dir/tm-$n.db" "$n" "$queries" "$ex") || status=1
	line=$(echo "$out" | grep '^units=')
	kinds="$kinds
$n $(echo "$out" | grep '^per-kind' | sed 's/^per-kind //')"
	rm -f "$dir/tm-$n.db"*
	get() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	printf '%-8s %8s %8s %8s %8s %8s %8s %9s %10s %9s %8s %8s\n' \
		"$(get units)" "$(get add_s)" "$(get reindex_s)" "$(get db_mb)" \
		"$(get p50_ms)" "$(get p95_ms)" "$(get p99_ms)" \
		"$(get candidates_mean)" "$(get exhaustive_mean_ms)" \
		"$(get speedup)x" "$(get recall)" "$(get source_first)"
done
# A real TM: OmegaT's LibreOffice guides TMX (en -> cs, 4,501 units) from
# the shared corpus, read by tolk's own TMX import; its pairs (white space
# folded) feed the same measurements.
tmx="${TOLK_SHARED:-}/corpus/tmx/loguides-omegat-charrefs-1.4mb.tmx"
if [ -f "$tmx" ] && [ -x "$TOLK_BUILD/tolk-vardump" ] &&
	"$TOLK" --db "$dir/import.db" import "$tmx" >/dev/null; then
	# every en variant of a unit with each of its cs variants, read
	# through tolk-vardump (tests/tolk-vardump.c: fields split on '|',
	# escapes undone, a tab or newline of a text as a space)
	"$TOLK_BUILD/tolk-vardump" "$dir/import.db" | awk -F '|' '
	function hexval(h) {
		return (index(X, substr(h, 1, 1)) - 1) * 16 + index(X, substr(h, 2, 1)) - 1
	}
	function unesc(s,   out, i, c) {
		out = ""
		while ((i = index(s, "\\")) > 0) {
			out = out substr(s, 1, i - 1)
			c = substr(s, i + 1, 1)
			if (c == "x") {
				out = out sprintf("%c", hexval(substr(s, i + 2, 2)))
				s = substr(s, i + 4)
				continue
			}
			out = out (c == "t" || c == "n" ? " " : c == "r" ? "\r" : c)
			s = substr(s, i + 2)
		}
		return out s
	}
	function flush(   i, j) {
		for (i = 1; i <= ns; i++)
			for (j = 1; j <= nt; j++)
				print src[i] "\t" tgt[j]
		ns = nt = 0
	}
	BEGIN { X = "0123456789ABCDEF" }
	$1 != unit { flush(); unit = $1 }
	$4 == "en" { src[++ns] = unesc($5) }
	$4 == "cs" { tgt[++nt] = unesc($5) }
	END { flush() }' >"$dir/real.tsv"
	out=$(MATCH_BENCH_TSV="$dir/real.tsv" MATCH_BENCH_SRC=en MATCH_BENCH_TGT=cs \
		"$bin" "$dir/real.db" 0 "$queries" "$queries") || status=1
	line=$(echo "$out" | grep '^units=')
	get() { echo "$line" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
	printf '%-8s %8s %8s %8s %8s %8s %8s %9s %10s %9s %8s %8s  (real TMX, en-cs)\n' \
		"$(get units)" "$(get add_s)" "$(get reindex_s)" "$(get db_mb)" \
		"$(get p50_ms)" "$(get p95_ms)" "$(get p99_ms)" \
		"$(get candidates_mean)" "$(get exhaustive_mean_ms)" \
		"$(get speedup)x" "$(get recall)" "$(get source_first)"
fi
echo "latency (ms) by query kind:$kinds"
echo "add_s: adding the units with tm_store_add in one transaction, index kept"
echo "in step; index_s: rebuilding the whole index (tm_match_reindex);"
echo "cand/q: units scored exactly per query; exh_ms: one --exhaustive lookup;"
echo "recall: matches >= 70 found by the index / found by brute force, over"
echo "the queries also run exhaustively; top1: edited queries (kinds drop to"
echo "number) whose own unit scores >= 70 and is the first match (or ties it)."
exit $status
