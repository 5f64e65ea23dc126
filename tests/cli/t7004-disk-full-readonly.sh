#!/bin/sh
# A full disk and a read-only database: a clear error, exit 3, and nothing
# lost.  Uses a small tmpfs when mount is allowed (root), else a file-size
# limit for the full disk and a folder without write permission for the
# read-only case (which root ignores: skipped then).
. "$(dirname "$0")/lib.sh"

gen_tmx() { # gen_tmx N TAG
	awk -v n="$1" -v tag="$2" 'BEGIN {
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" adminlang=\"en\" srclang=\"nb\" datatype=\"plaintext\"/><body>"
		for (i = 1; i <= n; i++)
			printf "<tu><tuv xml:lang=\"nb\"><seg>Melding %d om %s i kommune %d.</seg></tuv><tuv xml:lang=\"en\"><seg>Message %d on %s in municipality %d.</seg></tuv></tu>\n", i, tag, i % 53, i, tag, i % 53
		print "</body></tmx>"
	}'
}

mnt=$_root/mnt
mkdir -p "$mnt"
if [ -z "${TOLK_TEST_NO_MOUNT:-}" ] &&
	mount -t tmpfs -o size=2m tmpfs "$mnt" 2>/dev/null; then
	have_mount=1
	trap 'umount "$mnt" 2>/dev/null; rm -rf "$_root"' EXIT
else
	have_mount=0
fi

# fill DIR: takes every free byte of the file system holding DIR (dd
# fails when it is full, which is the point)
fill() {
	dd if=/dev/zero of="$1/fill" bs=4096 2>/dev/null || :
	dd if=/dev/zero of="$1/fill2" bs=1 2>/dev/null || :
}

# sound DB N: integrity_check passes and the TM holds N units
sound() {
	ic=$(sqlite3 "$1" "PRAGMA integrity_check" 2>&1)
	[ "$ic" = ok ] || fail "integrity_check: $ic"
	expect_eq "$(sqlite3 "$1" "SELECT count(*) FROM unit")" "$2"
}

if [ $have_mount = 1 ]; then
	test_case "an import that fills the disk fails clearly and imports nothing" '
		gen_tmx 40 base >base.tmx
		gen_tmx 20000 big >big.tmx
		run --db "$mnt/tm.db" import base.tmx
		expect_rc 0
		run --db "$mnt/tm.db" import big.tmx
		expect_rc 3
		expect_err "disk full: no room to write .*tm\\.db"
		expect_err "nothing imported: the database is unchanged"
		# no per-file summary claims units that were rolled back
		[ ! -s out ] || fail "stdout: $(cat out)"
		sound "$mnt/tm.db" 40
		# and the TM still works, for lookups and small writes
		run --db "$mnt/tm.db" lookup "Melding 3 om base i kommune 3."
		expect_rc 0
		expect_out "Message 3 on base in municipality 3\\."
		run --db "$mnt/tm.db" add "Hei verden" "Hello world"
		expect_rc 0
		sound "$mnt/tm.db" 41
		rm -f "$mnt"/*
	'

	test_case "on a full disk, writes fail with disk full and nothing is lost" '
		gen_tmx 40 base >base.tmx
		run --db "$mnt/tm.db" import base.tmx
		expect_rc 0
		run --db "$mnt/tm.db" glossary add kommune municipality
		expect_rc 0
		run --db "$mnt/tm.db" export "$mnt/old.tmx"
		expect_rc 0
		cp "$mnt/old.tmx" old.tmx
		fill "$mnt"
		run --db "$mnt/tm.db" glossary add fylke county
		expect_rc 3
		expect_err "disk full"
		run --db "$mnt/tm.db" add "Hei" "Hello"
		expect_rc 3
		expect_err "disk full"
		# an export into the full file system keeps the earlier file
		cp "$mnt/tm.db" tm.db
		run --db tm.db export "$mnt/old.tmx"
		expect_rc 3
		expect_err "old\\.tmx"
		cmp -s old.tmx "$mnt/old.tmx" || fail "the earlier export changed"
		if ls "$mnt" | grep -v "^\\(tm\\.db.*\\|old\\.tmx\\|fill2\\?\\)\$" >stray; then
			fail "files left behind: $(cat stray)"
		fi
		rm -f "$mnt/fill" "$mnt/fill2"
		sound "$mnt/tm.db" 40
		run --db "$mnt/tm.db" glossary list
		expect_out "^kommune"
		expect_no_out "fylke"
		run --db "$mnt/tm.db" glossary add fylke county
		expect_rc 0
		rm -f "$mnt"/*
	'

	test_case "an upgrade to schema 10 that fills the disk leaves the TM as it was" '
		gen_tmx 1500 old >old.tmx
		run --db tm.db import old.tmx
		expect_rc 0
		variants tm.db >before
		# back to schema 9, its variants in their own table
		variants_sql9 tm.db >s9.sql
		{ cat s9.sql; echo "PRAGMA user_version = 9; VACUUM;"; } |
			sqlite3 -bail tm.db
		cp tm.db "$mnt/tm.db"
		fill "$mnt"
		run --db "$mnt/tm.db" stats
		expect_rc 3
		expect_err "disk full"
		rm -f "$mnt/fill" "$mnt/fill2"
		expect_eq "$(sqlite3 "$mnt/tm.db" "PRAGMA user_version")" 9
		expect_eq "$(sqlite3 "$mnt/tm.db" "SELECT count(*) FROM variant")" 3000
		sound "$mnt/tm.db" 1500
		run --db "$mnt/tm.db" stats
		expect_rc 0
		expect_out "schema version: 11"
		variants "$mnt/tm.db" >after
		cmp -s before after || fail "the variants changed in the upgrade"
		rm -f "$mnt"/*
	'

	test_case "a read-only database answers lookups and refuses writes clearly" '
		gen_tmx 40 base >base.tmx
		run --db "$mnt/tm.db" import base.tmx
		expect_rc 0
		run --db "$mnt/tm.db" glossary add kommune municipality
		expect_rc 0
		mount -o remount,ro "$mnt" || fail "remount ro"
		run --db "$mnt/tm.db" lookup "Melding 3 om base i kommune 3."
		expect_rc 0
		expect_out "Message 3 on base in municipality 3\\."
		run --db "$mnt/tm.db" glossary find "Kommunen svarte."
		expect_rc 0
		run --db "$mnt/tm.db" stats
		expect_rc 0
		expect_out "units: +40"
		run --db "$mnt/tm.db" import base.tmx
		expect_rc 3
		expect_err "tm\\.db. is read-only"
		expect_err "nothing imported"
		run --db "$mnt/tm.db" glossary add fylke county
		expect_rc 3
		expect_err "read-only"
		run --db "$mnt/tm.db" delete 1
		expect_rc 3
		expect_err "read-only"
		mount -o remount,rw "$mnt" || fail "remount rw"
		sound "$mnt/tm.db" 40
		rm -f "$mnt"/*
	'
else
	test_case "an import past the file-size limit fails clearly and imports nothing" '
		gen_tmx 40 base >base.tmx
		gen_tmx 20000 big >big.tmx
		run import base.tmx
		expect_rc 0
		(trap "" XFSZ; ulimit -f 1024; st=0; "$TOLK" import big.tmx >out 2>err || st=$?; echo $st >rc)
		expect_eq "$(cat rc)" 3
		expect_err "file-size limit|disk full"
		sound tm.db 40
	'
	if [ "$(id -u)" = 0 ]; then
		test_skip "a read-only database answers lookups and refuses writes clearly" \
			"mount not permitted and root ignores permissions"
	else
		test_case "a read-only database answers lookups and refuses writes clearly" '
			mkdir ro
			gen_tmx 40 base >base.tmx
			run --db ro/tm.db import base.tmx
			expect_rc 0
			chmod a-w ro ro/tm.db
			run --db ro/tm.db lookup "Melding 3 om base i kommune 3."
			expect_rc 0
			run --db ro/tm.db import base.tmx
			expect_rc 3
			expect_err "read-only"
			chmod u+w ro ro/tm.db
			sound ro/tm.db 40
		'
	fi
fi
test_done
