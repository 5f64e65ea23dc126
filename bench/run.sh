#!/bin/sh
# Runs every benchmark script bench/bench_*.sh in name order.  Each prints
# its own figures and ratios; none passes or fails on a wall-clock time.
#   bench/run.sh BUILD_DIR
set -u
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
TOLK=$(cd "$build" && pwd)/tolk
export TOLK TOLK_TOP="$top" TOLK_BUILD="$(cd "$build" && pwd)"
export TOLK_SHARED="${TOLK_SHARED:-$top/../shared}"
export NO_COLOR=1
status=0
# the realistic-text figures first: they are the headline
for b in "$top"/bench/bench_gentmx.sh "$top"/bench/bench_*.sh; do
	[ -f "$b" ] || continue
	case $b in */bench_gentmx.sh) [ -n "${seen_gentmx:-}" ] && continue
		seen_gentmx=1 ;;
	esac
	echo "== $(basename "$b" .sh)"
	sh "$b" || { echo "bench: $(basename "$b") failed"; status=1; }
done
exit $status
