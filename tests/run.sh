#!/bin/sh
# Runs every unit test binary and CLI test script, each speaking TAP, and
# ends with one summary line "N passed, N failed".
#   tests/run.sh BUILD_DIR [PATTERN]
set -u
build=${1:-build}
pattern=${2:-}
top=$(cd "$(dirname "$0")/.." && pwd)
TOLK=$(cd "$build" && pwd)/tolk
export TOLK
export TOLK_TOP="$top"
export TOLK_SHARED="${TOLK_SHARED:-$top/../shared}"
export CMOCKA_MESSAGE_OUTPUT=TAP
export NO_COLOR=1
unset TOLK_DB
log=$(mktemp)
trap 'rm -f "$log"' EXIT

passed=0 failed=0
run() { # run NAME CMD...
	name=$1
	shift
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		f=1 # a test program that ran nothing has failed
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or exited non-zero after its last test
	fi
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name ($p passed, $f failed, exit $rc)"
		grep -v '^ok ' "$log" | sed 's/^/    /' | head -n 60
	else
		echo "ok   $name ($p)"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
}

for t in "$build"/tests/test_*; do
	[ -x "$t" ] || continue
	case "$t" in *.d) continue ;; esac
	name=$(basename "$t")
	[ -n "$pattern" ] && case "$name" in *$pattern*) ;; *) continue ;; esac
	run "$name" "$t"
done
for t in "$top"/tests/cli/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	[ -n "$pattern" ] && case "$name" in *$pattern*) ;; *) continue ;; esac
	run "$name" sh "$t"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
