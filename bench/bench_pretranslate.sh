#!/bin/sh
# Pre-translation throughput: an XLIFF 1.2 file of S segments against a TM
# of N units of realistic text (../shared/bench/gentmx.py, as
# bench_gentmx.sh), and a second line against the small-vocabulary
# generated TM (bench/gen_tmx.c), whose thousands of near-identical
# sentences tie at the same scores.  A third of the segments are stored
# sources (exact), a third stored sources with a word dropped (fuzzy), a
# third new sentences (no match); every segment is distinct, so nothing
# is a repeat.  The issue's target: 10,000 segments/s against 1,000,000
# units (the whole command, process start included).  Each document is
# pre-translated with one thread and with two (--threads), the same
# output either way.
#   TOLK_BENCH_PRETR_SIZES  TM sizes (default 100000; TOLK_BENCH_1M=1 adds
#                           1000000, which imports for several minutes)
#   TOLK_BENCH_PRETR_SEGS   segments per document (default 10000)
#   TOLK_BENCH_PRETR_SMALL  units of the generated TM (default 20000, 0
#                           leaves that line out)
#   TOLK_BENCH_GENTMX_CACHE folder to keep the gentmx.py files in (and
#                           their imported TMs, as pretr-N.db)
# Times are printed, never judged: the machines are shared and noisy.
set -u
: "${TOLK:?}" "${TOLK_BUILD:?}"
sizes=${TOLK_BENCH_PRETR_SIZES:-100000}
[ "${TOLK_BENCH_1M:-0}" = 1 ] && sizes="$sizes 1000000"
s=${TOLK_BENCH_PRETR_SEGS:-10000}
small=${TOLK_BENCH_PRETR_SMALL:-20000}
gen="${TOLK_SHARED:-}/bench/gentmx.py"
. "$(dirname "$0")/gentmx.sh"
gen_small="$TOLK_BUILD/bench/gen_tmx"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cache=${TOLK_BENCH_GENTMX_CACHE:-$dir}
mkdir -p "$cache"
status=0

# doc TMX: the XLIFF of S segments taken from the TMX's sources (one <tu>
# a line, as both generators write them) into $dir/doc.xlf
doc() {
	n=$(grep -c '<tuv xml:lang="nb">' "$1")
	step=$((n / s))
	[ "$step" -lt 1 ] && step=1
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
		echo '<file original="bench" source-language="nb" target-language="en" datatype="plaintext"><body>'
		sed -n 's|.*<tuv xml:lang="nb"><seg>\([^<]*\)</seg></tuv>.*|\1|p' "$1" |
			awk -v step="$step" -v max="$s" '
			# units with inline markup are left out: their text
			# here would be the escaped tags, matching nothing
			NR % step == 3 % step && k < max && index($0, "&") == 0 {
				k++
				t = $0
				if (k % 3 == 1) sub(/ [^ ]+ /, " ", t)
				if (k % 3 == 2) t = "Ingen kjenner setning nummer " k " i dette dokumentet."
				printf "<trans-unit id=\"%d\"><source>%s</source></trans-unit>\n", k, t
			}'
		echo '</body></file></xliff>'
	} >"$dir/doc.xlf"
}

# run LABEL UNITS DB: pre-translates doc.xlf against DB with 1 and 2
# threads, prints a line each
run() {
	# warm the OS cache: the figure is the matcher's, not the disk's
	cat "$3" >/dev/null
	for t in 1 2; do
		start=$(date +%s.%N)
		if ! "$TOLK" --db "$3" pretranslate --threads $t --json \
			"$dir/doc.xlf" -o "$dir/out$t.xlf" >"$dir/an.json" \
			2>"$dir/err"; then
			echo "bench_pretranslate: $1 failed: $(tail -3 "$dir/err")"
			status=1
			return
		fi
		end=$(date +%s.%N)
		segs=$(sed -n 's/.*"segments":\([0-9]*\),"words".*/\1/p' "$dir/an.json" | tail -1)
		awk -v a="$start" -v b="$end" -v n="$2" -v s="$segs" -v l="$1" -v t=$t 'BEGIN {
			printf "%-8s %9d %7d %8d %8.2f %9.0f\n", l, n, t, s, b - a, s / (b - a) }'
	done
	sed 's/^/         analysis: /' "$dir/an.json"
	cmp -s "$dir/out1.xlf" "$dir/out2.xlf" || {
		echo "bench_pretranslate: $1: two threads wrote another file than one"
		status=1
	}
}

printf '%-8s %9s %7s %8s %8s %9s\n' tm units threads segments secs segs/s
if [ -f "$gen" ] && command -v python3 >/dev/null; then
	for n in $sizes; do
		db="$cache/pretr-$n.db"
		tmx=$(gentmx_tmx "$n") || {
			status=1
			continue
		}
		# an imported TM is reused only from a cache the caller named
		if [ ! -s "$db" ] || [ "$cache" = "$dir" ] ||
			! "$TOLK" --db "$db" stats >/dev/null 2>&1; then
			rm -f "$db" "$db-wal" "$db-shm"
			"$TOLK" --db "$db" import "$tmx" >/dev/null 2>"$dir/err" || {
				echo "bench_pretranslate: import failed: $(tail -3 "$dir/err")"
				status=1
				continue
			}
		fi
		doc "$tmx"
		run gentmx "$n" "$db"
	done
else
	echo "bench_pretranslate: needs $gen and python3: gentmx lines skipped"
fi
if [ "$small" -gt 0 ] && [ -x "$gen_small" ]; then
	"$gen_small" "$small" >"$dir/small.tmx"
	"$TOLK" --db "$dir/small.db" import "$dir/small.tmx" >/dev/null || status=1
	doc "$dir/small.tmx"
	run gen_tmx "$small" "$dir/small.db"
fi
echo "segs/s: segments of an XLIFF 1.2 file pre-translated per second by"
echo "\`tolk pretranslate --json --threads N\` (process start, reading and"
echo "writing the file included); a third exact, a third with a word dropped,"
echo "a third new; gentmx: realistic text (the headline), gen_tmx: few words,"
echo "many ties."
exit $status
