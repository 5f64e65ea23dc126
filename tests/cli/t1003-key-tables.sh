#!/bin/sh
# The key tables (key_dup, key_norm: the units by their duplicate and
# exact-match keys) stay exact through every write.  A TM bulk-imported
# and then changed unit by unit (deletes, adds that merge, notes that
# change a unit's duplicate key, replacing and keeping imports) ends with
# the tables, exact lookups and duplicate merging of the same TM built
# unit by unit throughout.
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || {
	test_skip "key tables" "sqlite3 CLI missing"
	test_done
	exit
}

# gen N FROM: N units numbered from FROM, every fifth source also stored
# with a second translation, some with notes, some sharing a text.
gen() {
	awk -v n="$1" -v from="$2" 'BEGIN {
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" adminlang=\"en\" srclang=\"nb\" datatype=\"plaintext\"/><body>"
		split("kommunen fylket regjeringen budsjettet avtalen byrådet skolen", w, " ")
		for (i = from; i < from + n; i++) {
			k = i % 5 == 0 ? i - 1 : i
			printf "<tu>"
			if (i % 9 == 0)
				printf "<note>n%d</note>", i
			printf "<tuv xml:lang=\"nb\"><seg>Sak %d om %s.</seg></tuv>", k, w[1 + k % 7]
			printf "<tuv xml:lang=\"en\"><seg>Case %d on the %s%s.</seg></tuv></tu>\n", k, w[1 + k % 7], i % 5 == 0 ? " (b)" : ""
		}
		print "</body></tmx>"
	}'
}

# change DB: the same writes, one command at a time
change() {
	"$TOLK" --db "$1" delete 3 17 40 41 42 200 >/dev/null
	"$TOLK" --db "$1" add "Sak 7 om kommunen." "Case 7 on the kommunen." >/dev/null
	"$TOLK" --db "$1" add --note "sjekket" "Sak 8 om fylket." "Case 8 on the fylket." >/dev/null
	"$TOLK" --db "$1" add "Sak 3 om avtalen." "Case 3 on the avtalen." >/dev/null
	"$TOLK" --db "$1" add "Ny sak om skolen." "A new case on the school." >/dev/null
	gen 30 100 >"$T/some.tmx"
	"$TOLK" --db "$1" import --on-duplicate replace "$T/some.tmx" >/dev/null
	gen 30 290 >"$T/more.tmx"
	"$TOLK" --db "$1" import --on-duplicate skip "$T/more.tmx" >/dev/null
	"$TOLK" --db "$1" import --on-duplicate keep "$T/some.tmx" >/dev/null
	"$TOLK" --db "$1" delete 150 151 >/dev/null
}

# rebuilt DB OUT: a copy of DB taken back to schema 7 (the variants in
# schema 9's variant table, whatever this tolk keeps them in; the keys'
# indexes, no key tables, the match index's counts in match_df), which
# this tolk then upgrades: its key tables as the upgrade computes them
# from the rows
rebuilt() {
	cp "$1" "$2"
	# a file first: a failed dump must fail the case, not a pipe
	variants_sql9 "$1" >"$2.sql9"
	{
		echo "DROP VIEW IF EXISTS lang_variant;"
		echo "DROP TABLE IF EXISTS variant;"
		cat "$2.sql9"
		echo "DROP TABLE key_dup; DROP TABLE key_norm;
		CREATE INDEX unit_dup ON unit(dup_hi);
		CREATE INDEX variant_norm_key ON variant(norm_key);
		CREATE TABLE match_df (tok INTEGER PRIMARY KEY, n INTEGER NOT NULL);
		INSERT INTO match_df SELECT tok, n FROM match_tok;
		DROP TABLE match_tok;
		PRAGMA user_version = 7;"
	} | sqlite3 -bail "$2"
	"$TOLK" --db "$2" stats >/dev/null
}

keys() { # keys DB: the key tables' rows
	sqlite3 "$1" "SELECT 'd', b, hex(entries) FROM key_dup ORDER BY b;
		SELECT 'n', b, hex(entries) FROM key_norm ORDER BY b"
}

test_case "a bulk-imported TM changed unit by unit keeps its key tables exact" '
	gen 300 1 >big.tmx
	mkdir -p fifo
	mkfifo fifo/big.tmx
	run --db a.db import big.tmx
	expect_rc 0
	# b.db: through a pipe, whose size is unknown: unit by unit
	cat big.tmx >fifo/big.tmx &
	(cd fifo && "$TOLK" --db "$T/b.db" import --format tmx big.tmx >/dev/null)
	wait
	expect_eq "$(keys a.db | md5sum)" "$(keys b.db | md5sum)"
	for db in a.db b.db; do
		change "$db"
	done
	keys a.db >a.keys
	keys b.db >b.keys
	cmp a.keys b.keys || fail "the key tables differ"
	rebuilt a.db r.db
	keys r.db >r.keys
	cmp a.keys r.keys || fail "the key tables differ from their rows"
	variants a.db >a.vars
	variants r.db >r.vars
	cmp a.vars r.vars || fail "the variants changed on the way to schema 7"
	# the upgrade to schema 10 packs a unit'"'"'s variants into the bytes
	# the writer gives them
	sqlite3 a.db "SELECT id, hex(vars) FROM unit ORDER BY id" >a.blobs
	sqlite3 r.db "SELECT id, hex(vars) FROM unit ORDER BY id" >r.blobs
	cmp a.blobs r.blobs || fail "the upgrade packs variants otherwise"
	[ "$(grep -c "^d" a.keys)" -gt 100 ] || fail "too few duplicate keys"
	# every source of the file, stored or deleted, looked up exactly
	grep -o "<seg>Sak [^<]*" big.tmx | sed "s/<seg>//" | sort -u >q.txt
	echo "Ny sak om skolen." >>q.txt
	for db in a.db b.db; do
		# tolk add dated the units it merged into when it ran
		"$TOLK" --db "$db" lookup --json --min-score 100 - <q.txt |
			sed "s/\"created\":\"[^\"]*\"//g" >"$db.look"
	done
	cmp a.db.look b.db.look || fail "the exact lookups differ"
	grep -q "\"matches\":\[\]" a.db.look || fail "no deleted source"
	grep -q "Case 7 on the kommunen" a.db.look || fail "no stored source"
	# the file again: the same units merge, the deleted ones come back
	for db in a.db b.db; do
		"$TOLK" --db "$db" import big.tmx >"$db.again"
		sed -i "s/^[^:]*: //" "$db.again"
	done
	cmp a.db.again b.db.again || fail "merging differs"
	grep -q "300 read, 11 imported, 289 merged" a.db.again ||
		fail "merged $(cat a.db.again)"
'

test_case "the unit a note changed still merges by its new key" '
	gen 50 1 >big.tmx
	run import big.tmx
	expect_rc 0
	run add --note "sjekket" "Sak 8 om fylket." "Case 8 on the fylket."
	expect_rc 0
	printf "<?xml version=\"1.0\"?><tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" adminlang=\"en\" srclang=\"nb\" datatype=\"plaintext\"/><body><tu><note>sjekket</note><tuv xml:lang=\"nb\"><seg>Sak 8 om fylket.</seg></tuv><tuv xml:lang=\"en\"><seg>Case 8 on the fylket.</seg></tuv></tu></body></tmx>\n" >one.tmx
	run import one.tmx
	expect_out "1 read, 0 imported, 1 merged"
'

test_case "a bulk import of whole runs of buckets writes its key tables exact" '
	# 40,000 units: the exact-match keys fill runs of 64 buckets one by
	# one, which the import writes as new rows in a row (tm/store.c'"'"'s
	# keyset_write), the runs with a gap as before
	gen 40000 1 >big.tmx
	run --db a.db import big.tmx
	expect_rc 0
	runs=$(sqlite3 a.db "SELECT count(*) FROM key_norm k WHERE b % 64 = 0
		AND (SELECT count(*) FROM key_norm WHERE b BETWEEN k.b AND k.b + 63) = 64")
	[ "$runs" -gt 10 ] || fail "only $runs whole runs of buckets"
	rebuilt a.db r.db
	keys a.db >a.keys
	keys r.db >r.keys
	cmp a.keys r.keys || fail "the key tables differ from their rows"
'

test_done
