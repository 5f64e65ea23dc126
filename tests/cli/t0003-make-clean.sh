#!/bin/sh
# make clean removes the build folder it is given, and nothing outside the
# tree (on a copy of the Makefile, not the tree under test).
. "$(dirname "$0")/lib.sh"

# tree: a folder with the Makefile, two build folders, the binary and a
# file that must stay; `mk ARGS` runs make clean there
tree() {
	mkdir -p tree/build/tests tree/out/obj tree/src
	cp "$TOLK_TOP/Makefile" tree/
	touch tree/tolk tree/src/keep.c tree/build/tests/x tree/out/obj/y.o
}
mk() {
	env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS -u BUILD -u SAN \
		make --no-print-directory -C tree clean "$@" >mk.out 2>mk.err
}

test_case "make clean removes the default build folder and the binary" '
	tree
	mk
	[ ! -e tree/build ] || fail "build left"
	[ ! -e tree/tolk ] || fail "tolk left"
	[ -d tree/out/obj ] || fail "another folder removed"
	[ -f tree/src/keep.c ] || fail "sources removed"
'

test_case "make clean BUILD=DIR removes that folder" '
	tree
	mk BUILD=out
	[ ! -e tree/out ] || fail "BUILD=out left"
	[ -f tree/src/keep.c ] || fail "sources removed"
	mk BUILD=build/tests
	[ ! -e tree/build/tests ] || fail "BUILD=build/tests left"
	[ -d tree/build ] || fail "its parent removed"
'

test_case "make clean refuses a BUILD that is the tree or outside it" '
	tree
	mkdir outside && touch outside/precious
	for b in . .. build/../.. / "$T/outside" "$T"; do
		! mk BUILD="$b" || fail "BUILD=$b accepted"
		grep -q "refused" mk.err || fail "BUILD=$b: $(cat mk.err)"
	done
	[ -f outside/precious ] || fail "a file outside the tree removed"
	[ -f tree/src/keep.c ] || fail "sources removed"
	[ -f tree/Makefile ] || fail "the tree removed"
'

test_done
