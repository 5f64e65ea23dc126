#!/bin/sh
# The dependency check names the missing Debian packages when it cannot
# install them.
. "$(dirname "$0")/lib.sh"

fake_path() { # a PATH where pkg-config knows nothing and we are not root
	mkdir -p "$T/bin"
	printf '#!/bin/sh\nexit 1\n' >"$T/bin/pkg-config"
	printf '#!/bin/sh\necho 1000\n' >"$T/bin/id"
	chmod +x "$T/bin/pkg-config" "$T/bin/id"
	echo "$T/bin:$PATH"
}

test_case "without root, missing libraries are named and the check fails" '
	rc=0
	PATH=$(fake_path) sh "$TOLK_TOP/scripts/deps.sh" >"$T/out" 2>"$T/err" || rc=$?
	expect_rc 1
	expect_err "missing Debian packages:.*libsqlite3-dev"
	expect_err "libicu-dev"
	expect_err "libxml2-dev"
	expect_err "libcmocka-dev"
	expect_err "apt-get install"
'

test_case "with everything present the check is silent and succeeds" '
	rc=0
	sh "$TOLK_TOP/scripts/deps.sh" >"$T/out" 2>"$T/err" || rc=$?
	expect_rc 0
	[ ! -s "$T/err" ] || fail "unexpected output: $(cat "$T/err")"
'

test_done
