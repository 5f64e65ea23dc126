#!/bin/sh
# TMX import and export throughput on a generated nb-en memory.
#   TOLK_BENCH_TMX_UNITS=N (default 1000000) sets the size.
# Prints units/s for import and export, peak RSS of each, and the ratio
# of import time to `xmllint --stream --noout` (the parse-only floor).
set -u
: "${TOLK:?}" "${TOLK_BUILD:?}"
n=${TOLK_BENCH_TMX_UNITS:-1000000}
gen="$TOLK_BUILD/bench/gen_tmx"
[ -x "$gen" ] || { echo "bench_tmx: $gen missing (make bench builds it)"; exit 1; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# timed LABEL CMD...: runs CMD, sets $secs (wall), $cpu (user+sys) and
# $kb (peak RSS).  The CPU time matters on a shared machine, where the
# wall clock also counts other people's work.
timed() {
	label=$1
	shift
	if ! /usr/bin/time -f "%e %M %U %S" -o "$dir/time" "$@" >"$dir/$label.out" 2>"$dir/$label.err"; then
		echo "bench_tmx: $label failed: $(tail -3 "$dir/$label.err")"
		exit 1
	fi
	read -r secs kb user sys <"$dir/time"
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
}

ratio() { # ratio A B
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", (b > 0 ? a / b : 0) }'
}

rate() { # rate UNITS SECS
	awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'
}

"$gen" "$n" >"$dir/bench.tmx"
mb=$(du -m "$dir/bench.tmx" | cut -f1)
echo "tmx: $n units, $mb MB"

timed xmllint xmllint --stream --noout "$dir/bench.tmx"
floor=$secs
floor_cpu=$cpu
echo "tmx: xmllint --stream --noout: ${floor} s (cpu ${floor_cpu} s)"

timed import "$TOLK" --db "$dir/tm.db" import "$dir/bench.tmx"
echo "tmx: import: ${secs} s (cpu ${cpu} s), $(rate "$n" "$secs") units/s, peak RSS $((kb / 1024)) MB"
echo "tmx: import / xmllint --stream: $(ratio "$secs" "$floor")x wall, $(ratio "$cpu" "$floor_cpu")x cpu"
tail -1 "$dir/import.out" | sed 's/^/tmx:   /'

timed export "$TOLK" --db "$dir/tm.db" export --all-languages "$dir/out.tmx"
echo "tmx: export: ${secs} s (cpu ${cpu} s), $(rate "$n" "$secs") units/s, peak RSS $((kb / 1024)) MB"
echo "tmx: database $(du -m "$dir/tm.db" | cut -f1) MB"
