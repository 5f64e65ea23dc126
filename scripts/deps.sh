#!/bin/sh
# Checks the build and test dependencies; installs the missing Debian
# packages when run as root with apt, else names them and fails.
set -u

missing=""
need() { # need PACKAGE TEST...
	pkg=$1
	shift
	if ! "$@" >/dev/null 2>&1; then
		case " $missing " in *" $pkg "*) ;; *) missing="$missing $pkg" ;; esac
	fi
}

need pkg-config command -v pkg-config
need gcc command -v cc
need make command -v make
need libsqlite3-dev pkg-config --exists sqlite3
need libpq-dev pkg-config --exists libpq
need libicu-dev pkg-config --exists icu-uc icu-i18n
need libxml2-dev pkg-config --exists libxml-2.0
need libxml2-utils command -v xmllint
need libcmocka-dev pkg-config --exists cmocka
need libstemmer-dev test -e /usr/include/libstemmer.h
need sqlite3 command -v sqlite3
need time test -x /usr/bin/time
need clang-format command -v clang-format
# tests: the man page renders, the completion scripts pass each shell's
# syntax check
need man-db command -v man
need groff-base command -v groff
need zsh command -v zsh
need fish command -v fish
# tests: the XLIFF round trip compares files as XML
need python3 command -v python3

# tests only: the PostgreSQL suite starts its own throwaway server.
# Installed with the rest as root; elsewhere those tests skip.
optional=""
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 &&
	! command -v initdb >/dev/null 2>&1; then
	optional=postgresql
fi
if [ -n "$optional" ] && [ "$(id -u)" = 0 ] &&
	command -v apt-get >/dev/null 2>&1; then
	missing="$missing $optional"
fi

[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
	echo "tolk: installing missing packages:$missing" >&2
	export DEBIAN_FRONTEND=noninteractive
	# shellcheck disable=SC2086
	if ! apt-get install -y -q $missing >&2; then
		apt-get update -q >&2 || true
		# shellcheck disable=SC2086
		apt-get install -y -q $missing >&2 || {
			echo "tolk: could not install:$missing" >&2
			exit 1
		}
	fi
	exit 0
fi
echo "tolk: missing Debian packages:$missing" >&2
echo "tolk: install them with: sudo apt-get install$missing" >&2
exit 1
