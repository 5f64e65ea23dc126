#!/bin/sh
# Pre-translation throughput: an XLIFF 1.2 file of S segments against a
# generated nb-en TM of N units.  A third of the segments are stored
# sources (exact), a third stored sources with a word dropped (fuzzy),
# a third new sentences (no match).  The target: 10,000
# segments/s against 1,000,000 units (lookup speed itself is the match
# index's; this measures the whole command, process start included).
#   TOLK_BENCH_PRETR_UNITS=N (default 1000000), TOLK_BENCH_PRETR_SEGS=S
#   (default 10000)
set -u
: "${TOLK:?}" "${TOLK_BUILD:?}"
n=${TOLK_BENCH_PRETR_UNITS:-1000000}
s=${TOLK_BENCH_PRETR_SEGS:-10000}
gen="$TOLK_BUILD/bench/gen_tmx"
[ -x "$gen" ] || { echo "bench_pretranslate: $gen missing"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TOLK_DB="$dir/tm.db"
"$gen" "$n" >"$dir/tm.tmx"
t0=$(date +%s.%N)
"$TOLK" import "$dir/tm.tmx" >/dev/null || exit 1
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$n" 'BEGIN { printf "pretranslate: TM of %d units imported in %.1f s\n", n, b - a }'
step=$((n / s))
[ "$step" -lt 1 ] && step=1
{
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
	echo '<file original="bench" source-language="nb" target-language="en" datatype="plaintext"><body>'
	sed -n 's|^<tuv xml:lang="nb"><seg>\(.*\)</seg></tuv>$|\1|p' "$dir/tm.tmx" |
		awk -v step="$step" -v max="$s" '
		# units with inline markup are left out: their text here
		# would be the escaped tags, matching nothing
		NR % step == 3 % step && k < max && index($0, "&") == 0 {
			k++
			t = $0
			if (k % 3 == 1) sub(/ [^ ]+ /, " ", t)
			if (k % 3 == 2) t = "Ingen kjenner setning nummer " k " i dette dokumentet."
			gsub(/&/, "\\&amp;", t); gsub(/</, "\\&lt;", t)
			printf "<trans-unit id=\"%d\"><source>%s</source></trans-unit>\n", k, t
		}'
	echo '</body></file></xliff>'
} >"$dir/doc.xlf"
start=$(date +%s.%N)
"$TOLK" pretranslate --json "$dir/doc.xlf" -o "$dir/out.xlf" >"$dir/an.json" || exit 1
end=$(date +%s.%N)
segs=$(sed -n 's/.*"segments":\([0-9]*\),"words".*/\1/p' "$dir/an.json" | tail -1)
awk -v a="$start" -v b="$end" -v n="$n" -v s="$segs" 'BEGIN {
	printf "pretranslate: %d segments against %d units in %.2f s: %.0f segments/s (process included)\n", s, n, b - a, s / (b - a) }'
sed 's/^/  analysis: /' "$dir/an.json"
