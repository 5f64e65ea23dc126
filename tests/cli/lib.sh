# Helpers for end-to-end tests of the tolk binary, in TAP.
# Source it, then call `test_case "name" 'commands'`; finish with test_done.
# Each case runs in a fresh temporary folder ($T) with TOLK_DB=$T/tm.db.
# A body runs under `set -e` and stops at its first failing command, so a
# command that is expected to fail must say so (`! cmd`, `cmd || ...`,
# or `run` and `expect_rc N`).
#
#   run ARGS...     runs tolk, keeping stdout in $T/out, stderr in $T/err
#                   and the exit status in $rc (never fails itself)
#   expect_rc N     fails unless the last run exited N
#   expect_out RE   fails unless stdout matches the extended regex RE
#   expect_err RE   the same for stderr
#   expect_eq A B   fails unless the two strings are equal
#   findings FILE   `tolk check --json` findings in FILE as sorted lines
#                   "LINE<TAB>KIND<TAB>TERM" (TERM "-" when null)
#   expect_planted DIR GLOSSARY   `check --json` of DIR/planted.tsv
#                   finds exactly the lines of DIR/planted.expected
#   expect_articles DIR GLOSSARY NAME...   `check --pair` is silent on
#                   each DIR/articles/NAME.{nb,en}.txt and reports 3
#                   findings (in $T/out) on DIR/planted-article.{nb,en}.txt
#   fail MSG        reports MSG and ends the case as failed
#   skip REASON     ends the case as skipped (TAP "ok N - name # skip
#                   REASON"): for a missing prerequisite, never for a
#                   failure; call it from the body itself, not from a
#                   pipeline or $(...)
#   test_skip NAME REASON   reports a whole case as skipped without
#                   running it (e.g. when the file cannot run it at all)
#   variants DB     the TM's variants, a line each in unit id and seq
#                   order: unit_id|seq|lang|lang_key|text|markup|attrs|norm_key
#                   (tests/tolk-vardump.c: escapes, \N for NULL); a test
#                   reads variants through it, never from the store's
#                   tables, whose layout may change
#   variant_count DB   how many variants the TM holds
#   variants_sql9 DB   SQL that recreates schema 9's variant table and
#                   lang_variant view with the TM's variants

: "${TOLK:?TOLK must name the tolk binary}"
: "${TOLK_TOP:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${TOLK_SHARED:=$TOLK_TOP/../shared}"
export NO_COLOR=1
unset TOLK_DB XDG_DATA_HOME

_n=0
_failed=0
_root=$(mktemp -d)
trap 'rm -rf "$_root"' EXIT

# The body runs in a subshell: fail reports on stderr (which the case
# collects) and leaves with a status, so the case stops here.
fail() {
	echo "#   $*" >&2
	exit 1
}

skip() {
	printf '%s\n' "$*" >"$_root/skip"
	exit 0
}

# A failing tolk is what run records, not a failure of the case: the
# status is taken in an || list, where set -e does not apply.
run() {
	rc=0
	"$TOLK" "$@" >"$T/out" 2>"$T/err" || rc=$?
	return 0
}

run_stdin() { # run_stdin FILE ARGS...
	_in=$1
	shift
	rc=0
	"$TOLK" "$@" <"$_in" >"$T/out" 2>"$T/err" || rc=$?
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

findings() {
	sed -n "s/^{\"kind\":\"\\([a-z]*\\)\",\"file\":\"[^\"]*\",\"line\":\\([0-9]*\\),\"term\":\\(null\\|\"\\([^\"]*\\)\"\\).*/\\2\\t\\1\\t\\4/p" "$1" |
		awk -F "\t" "{ print \$1 \"\t\" \$2 \"\t\" (\$3 == \"\" ? \"-\" : \$3) }" | sort
}

# LEFT, a grep pattern: expected findings the check is known to miss
expect_planted() { # expect_planted DIR GLOSSARY [LEFT]
	run check --json --glossary "$2" "$1/planted.tsv"
	expect_rc 1
	findings "$T/out" >"$T/planted.got"
	grep -v "${3:-^$}" "$1/planted.expected" | sort >"$T/planted.want"
	diff "$T/planted.want" "$T/planted.got" >"$T/planted.diff" ||
		fail "$(cat "$T/planted.diff")"
}

expect_articles() { # expect_articles DIR GLOSSARY NAME...
	_d=$1 _g=$2
	shift 2
	for _a in "$@"; do
		run check --glossary "$_g" --pair "$_d/articles/$_a.nb.txt" \
			"$_d/articles/$_a.en.txt"
		expect_rc 0
	done
	run check --json --glossary "$_g" --pair "$_d/planted-article.nb.txt" \
		"$_d/planted-article.en.txt"
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" "$(grep -c . "$_d/planted-article.expected")"
}

# The variants' reader is built beside tolk (make unit-tests, make check).
TOLK_VARDUMP=${TOLK_VARDUMP:-$(dirname "$TOLK")/tolk-vardump}

variants() {
	"$TOLK_VARDUMP" "$1"
}

variant_count() {
	"$TOLK_VARDUMP" --count "$1"
}

variants_sql9() {
	"$TOLK_VARDUMP" --sql9 "$1"
}

test_case() {
	_n=$((_n + 1))
	T="$_root/case$_n"
	mkdir -p "$T"
	TOLK_DB="$T/tm.db"
	export TOLK_DB
	rm -f "$_root/skip"
	# set -e is ignored in a subshell that is the left side of || or &&
	# (also inside it): run it as a plain command, then look at $?.
	(
		cd "$T" || exit 1
		set -e
		eval "$2"
	) 2>>"$_root/diag"
	_status=$?
	if [ -s "$_root/diag" ] || [ "$_status" -ne 0 ]; then
		echo "not ok $_n - $1"
		sed 's/^/# /' "$_root/diag"
		[ "$_status" -ne 0 ] && echo "# (exit status $_status)"
		_failed=$((_failed + 1))
	elif [ -f "$_root/skip" ]; then
		echo "ok $_n - $1 # skip $(cat "$_root/skip")"
	else
		echo "ok $_n - $1"
	fi
	: >"$_root/diag"
}

test_skip() { # test_skip NAME REASON
	_n=$((_n + 1))
	echo "ok $_n - $1 # skip $2"
}

test_done() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}
