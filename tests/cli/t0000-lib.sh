#!/bin/sh
# The test harness itself: a case stops at its first failing command, a
# skip is reported as TAP "# skip" with its reason, and run never fails.
. "$(dirname "$0")/lib.sh"

# Scripts of test cases written with this lib.sh, run by the cases below.
S="$_root/scripts"
mkdir -p "$S"
script() { # script NAME <BODY: a test script in $S/NAME.sh
	{
		echo ". \"$TOLK_TOP/tests/cli/lib.sh\""
		cat
		echo "test_done"
	} >"$S/$1.sh"
}

script stop <<'INNER'
test_case "stops" 'false; touch "$REACHED"'
test_case "goes on" 'true'
INNER
script helper <<'INNER'
h() { false; touch "$REACHED"; }
test_case "in a helper" 'h'
INNER
script fail <<'INNER'
test_case "fails" 'fail "the reason"; touch "$REACHED"'
INNER
script skip <<'INNER'
test_case "skips" 'skip "no frobnicator"; fail "not skipped"'
test_skip "never run" "no tape drive"
INNER
script run <<'INNER'
test_case "expected failure" 'run --no-such-option; expect_rc 2'
test_case "unexpected failure" 'run --no-such-option; expect_rc 0'
INNER

# inner NAME: runs $S/NAME.sh; TAP in inner.out, exit status in inner.rc
inner() {
	st=0
	(cd "$T" && REACHED="$T/reached" sh "$S/$1.sh") >inner.out 2>&1 || st=$?
	echo $st >inner.rc
}

test_case "a body stops at its first failing command and the case fails" '
	inner stop
	expect_eq "$(cat inner.rc)" 1
	grep -q "^not ok 1 - stops" inner.out || fail "$(cat inner.out)"
	grep -q "^ok 2 - goes on" inner.out || fail "$(cat inner.out)"
	[ ! -e reached ] || fail "the body went on after false"
'

test_case "a failing command inside a helper function also stops the body" '
	inner helper
	expect_eq "$(cat inner.rc)" 1
	grep -q "^not ok 1 - in a helper" inner.out || fail "$(cat inner.out)"
	[ ! -e reached ] || fail "the helper went on after false"
'

test_case "fail ends the case with its message" '
	inner fail
	expect_eq "$(cat inner.rc)" 1
	grep -q "^not ok 1 - fails" inner.out || fail "$(cat inner.out)"
	grep -q "^#.*the reason" inner.out || fail "$(cat inner.out)"
	[ ! -e reached ] || fail "the body went on after fail"
'

test_case "skip and test_skip report ok with the TAP skip directive and the reason" '
	inner skip
	expect_eq "$(cat inner.rc)" 0
	expect_eq "$(cat inner.out)" "ok 1 - skips # skip no frobnicator
ok 2 - never run # skip no tape drive
1..2"
'

test_case "run records a failing tolk without failing the case" '
	inner run
	expect_eq "$(cat inner.rc)" 1
	grep -q "^ok 1 - expected failure" inner.out || fail "$(cat inner.out)"
	grep -q "^not ok 2 - unexpected failure" inner.out || fail "$(cat inner.out)"
	grep -q "exit status 2, expected 0" inner.out || fail "$(cat inner.out)"
'

test_case "the summary counts skips apart from passes and lists their reasons" '
	mkdir -p top/tests/cli b
	cp "$TOLK_TOP/tests/run.sh" top/tests/
	cp "$TOLK_TOP/tests/cli/lib.sh" top/tests/cli/
	cp "$S/skip.sh" top/tests/cli/t1-skip.sh
	cp "$S/run.sh" top/tests/cli/t2-run.sh
	ln -s "$TOLK" b/tolk
	st=0
	sh top/tests/run.sh b >sum.out 2>&1 || st=$?
	expect_eq "$st" 1
	expect_eq "$(tail -n 1 sum.out)" "1 passed, 1 failed, 2 skipped"
	grep -q "^    t1-skip: ok 1 - skips # skip no frobnicator$" sum.out || fail "$(cat sum.out)"
	grep -q "^    t1-skip: ok 2 - never run # skip no tape drive$" sum.out || fail "$(cat sum.out)"
'

test_done
