#!/bin/sh
# Runs every unit test binary and CLI test script, each speaking TAP, lists
# the skipped tests with their reasons, and ends with one summary line
# "N passed, N failed, N skipped".
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
skips=$(mktemp)
trap 'rm -f "$log" "$skips"' EXIT

passed=0 failed=0 skipped=0
run() { # run NAME CMD...
	name=$1
	shift
	"$@" >"$log" 2>&1
	rc=$?
	# TAP: "ok N - name # skip REASON" is a skip, not a pass (cmocka
	# writes "# SKIP").
	s=$(grep -aEci '^ok [^#]*# skip' "$log")
	p=$(($(grep -ac '^ok ' "$log") - s))
	f=$(grep -ac '^not ok ' "$log")
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		f=1 # a test program that ran nothing has failed
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1 # crashed or exited non-zero after its last test
	fi
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name ($p passed, $f failed, exit $rc)"
		grep -av '^ok ' "$log" | sed 's/^/    /' | head -n 60
	else
		if [ "$s" -gt 0 ]; then
			echo "ok   $name ($p, $s skipped)"
		else
			echo "ok   $name ($p)"
		fi
	fi
	grep -aEi '^ok [^#]*# skip' "$log" | sed "s|^|$name: |" >>"$skips"
	passed=$((passed + p))
	failed=$((failed + f))
	skipped=$((skipped + s))
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

if [ -s "$skips" ]; then
	echo "skipped:"
	sed 's/^/    /' "$skips"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
