# Helpers for end-to-end tests of the tolk binary, in TAP.
# Source it, then call `test_case "name" 'commands'`; finish with test_done.
# Each case runs in a fresh temporary folder ($T) with TOLK_DB=$T/tm.db.
#
#   run ARGS...     runs tolk, keeping stdout in $T/out, stderr in $T/err
#                   and the exit status in $rc (never fails itself)
#   expect_rc N     fails unless the last run exited N
#   expect_out RE   fails unless stdout matches the extended regex RE
#   expect_err RE   the same for stderr
#   expect_eq A B   fails unless the two strings are equal

: "${TOLK:?TOLK must name the tolk binary}"
: "${TOLK_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOLK_SHARED:=$TOLK_TOP/../shared}"
export NO_COLOR=1
unset TOLK_DB XDG_DATA_HOME

_n=0
_failed=0
_root=$(mktemp -d)
trap 'rm -rf "$_root"' EXIT

fail() {
	echo "#   $*" >&2
	_case_failed=1
}

run() {
	"$TOLK" "$@" >"$T/out" 2>"$T/err"
	rc=$?
	return 0
}

run_stdin() { # run_stdin FILE ARGS...
	_in=$1
	shift
	"$TOLK" "$@" <"$_in" >"$T/out" 2>"$T/err"
	rc=$?
	return 0
}

expect_rc() {
	[ "$rc" -eq "$1" ] || fail "exit status $rc, expected $1; stderr: $(head -c 400 "$T/err")"
}

expect_out() {
	grep -Eq -- "$1" "$T/out" || fail "stdout does not match /$1/: $(head -c 600 "$T/out")"
}

expect_no_out() {
	if grep -Eq -- "$1" "$T/out"; then fail "stdout matches /$1/"; fi
}

expect_err() {
	grep -Eq -- "$1" "$T/err" || fail "stderr does not match /$1/: $(head -c 600 "$T/err")"
}

expect_eq() {
	[ "$1" = "$2" ] || fail "got '$1', expected '$2'"
}

test_case() {
	_n=$((_n + 1))
	T="$_root/case$_n"
	mkdir -p "$T"
	TOLK_DB="$T/tm.db"
	export TOLK_DB
	_case_failed=0
	(cd "$T" && eval "$2") 2>>"$_root/diag" || _case_failed=1
	# The subshell cannot set our variables: failures are reported
	# through its stderr and its exit status.
	if [ -s "$_root/diag" ] || [ "$_case_failed" -ne 0 ]; then
		echo "not ok $_n - $1"
		sed 's/^/# /' "$_root/diag"
		_failed=$((_failed + 1))
	else
		echo "ok $_n - $1"
	fi
	: >"$_root/diag"
}

test_done() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}
