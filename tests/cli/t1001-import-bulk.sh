#!/bin/sh
# tolk import's bulk path (an empty or small TM: the key tables written
# after the rows, duplicates found in memory) gives the TM the ordinary
# path gives: the same units, ids, key tables, postings, export and
# lookups, under every --on-duplicate policy.
. "$(dirname "$0")/lib.sh"

# gen N: N units, with exact duplicates, copies differing only in dates
# and usage counts, one source with two targets, props, notes, a third
# language and markup.
gen() {
	awk -v n="$1" 'BEGIN {
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" adminlang=\"en\" srclang=\"nb\" datatype=\"plaintext\"/><body>"
		split("kommune fylke regjeringen budsjettet statsministeren møtet avtalen byrådet skolen veien", w, " ")
		for (i = 1; i <= n; i++) {
			k = i % 7 == 0 ? i - 3 : i
			d = sprintf("2024%02d%02dT120000Z", 1 + i % 12, 1 + i % 28)
			printf "<tu creationdate=\"%s\" usagecount=\"%d\">", d, i % 5
			if (k % 11 == 0)
				printf "<prop type=\"x-domain\">d%d</prop><note>n%d</note>", k % 3, k
			printf "<tuv xml:lang=\"nb\"><seg>Setning %d om %s og %s i %s.</seg></tuv>", k % 900, w[1 + k % 10], w[1 + (k * 7) % 10], w[1 + (k * 3) % 10]
			printf "<tuv xml:lang=\"en\"><seg>Sentence %d about <ph x=\"1\">{0}</ph> %s.</seg></tuv>", k, w[1 + k % 10]
			if (k % 13 == 0)
				printf "<tuv xml:lang=\"de\"><seg>Satz %d.</seg></tuv>", k
			print "</tu>"
		}
		print "</body></tmx>"
	}'
}

seed() {
	gen 40 >seed.tmx
}

# state DB: every row of the TM that an import writes, in order
state() {
	sqlite3 "$1" "SELECT id, dup_hi, dup_lo, src_key, origin, hex(attrs)
		FROM unit"
	variants "$1"
	for q in "* FROM extra ORDER BY id" \
		"* FROM unit_context ORDER BY unit_id" \
		"b, hex(entries) FROM key_dup ORDER BY b" \
		"b, hex(entries) FROM key_norm ORDER BY b" \
		"tok, len, first, hex(ids) FROM match_blk ORDER BY 1, 2, 3" \
		"tok, n, hex(post) FROM match_tok ORDER BY tok" "* FROM match_sim ORDER BY 1, 2" \
		"origin, body FROM tmx_header ORDER BY id"; do
		sqlite3 "$1" "SELECT $q"
	done
}

# bulk DB: whether most of key_norm's pages lie after the last of the
# units' and their variants' (wherever the store keeps them), 1 or 0.  The
# bulk path writes the key tables after every row; the ordinary path
# writes them with each unit.
bulk() {
	sqlite3 "$1" "SELECT 2 * count(*) FILTER (WHERE pageno > (SELECT
		max(pageno) FROM dbstat WHERE name IN ('unit', 'variant')))
		> count(*) FROM dbstat WHERE name = 'key_norm'"
}

compare_paths() { # compare_paths POLICY
	gen 3000 >big.tmx
	seed
	mkdir -p fifo
	mkfifo fifo/big.tmx
	for db in a.db b.db; do
		"$TOLK" --db "$T/$db" import --on-duplicate "$1" seed.tmx >/dev/null
	done
	# a.db: the file by name, next to a small TM: the bulk path
	run --db a.db import --on-duplicate "$1" big.tmx
	expect_rc 0
	cp out a.out
	# b.db: the same file through a pipe, whose size is unknown: the
	# ordinary path; with the same name, so the same origin
	cat big.tmx >fifo/big.tmx &
	(cd fifo && "$TOLK" --db "$T/b.db" import --format tmx \
		--on-duplicate "$1" big.tmx >"$T/b.out")
	wait
	expect_eq "$(cat a.out)" "$(cat b.out)"
	for db in a.db b.db; do
		"$TOLK" --db "$db" export --all-languages "$db.tmx"
		sed "/<header/d" "$db.tmx" >"$db.body"
		awk "NR % 97 == 5" big.tmx |
			sed -E "s/.*<tuv xml:lang=\"nb\"><seg>([^<]*)<.*/\\1/" |
			sed "s/ og / eller /" |
			"$TOLK" --db "$db" lookup --json --min-score 50 - >"$db.look"
	done
	cmp a.db.body b.db.body || fail "the exports differ"
	cmp a.db.look b.db.look || fail "the lookups differ"
	[ -s a.db.look ] || fail "no lookups"
	if command -v sqlite3 >/dev/null 2>&1; then
		# a.db wrote its keys after the rows (merge, keep), b.db
		# with each unit
		expect_eq "$(bulk b.db)" 0
		if [ "$1" = merge ] || [ "$1" = keep ]; then
			expect_eq "$(bulk a.db)" 1
		else
			expect_eq "$(bulk a.db)" 0
		fi
		state a.db >a.state
		state b.db >b.state
		cmp a.state b.state || fail "the TMs differ"
		expect_eq "$(sqlite3 a.db "PRAGMA integrity_check")" ok
	fi
}

for p in merge keep skip replace; do
	test_case "--on-duplicate $p: the bulk path gives the ordinary path's TM" \
		"compare_paths $p"
done

test_case "an import into an empty TM merges the file's duplicates as one into a small TM does" '
	gen 2000 >big.tmx
	run --db e.db import big.tmx
	expect_rc 0
	expect_out "2000 read, 1715 imported, 285 merged, 0 skipped"
	# again: every unit merges into its stored copy
	run --db e.db import big.tmx
	expect_out "2000 read, 0 imported, 2000 merged, 0 skipped"
	"$TOLK" --db e.db export --all-languages once.tmx
	run --db e.db import --on-duplicate keep big.tmx
	expect_out "2000 read, 2000 imported, 0 merged, 0 skipped"
'

test_case "a failed bulk import leaves the TM and its indexes as they were" '
	command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 CLI missing"
	seed
	run import seed.tmx
	gen 2000 | sed "1990,\$d" >broken.tmx
	before=$(sqlite3 tm.db "SELECT name, sql FROM sqlite_master ORDER BY 1")
	run import broken.tmx
	expect_rc 2
	expect_eq "$(sqlite3 tm.db "SELECT name, sql FROM sqlite_master ORDER BY 1")" "$before"
	expect_eq "$(sqlite3 tm.db "SELECT count(*) FROM unit")" 35
'

test_case "an import whose temporary file cannot be written fails and changes nothing" '
	seed
	run import seed.tmx
	# enough postings to spill a run (half a million)
	gen 60000 >big.tmx
	TMPDIR="$T/missing" run import big.tmx
	expect_rc 3
	expect_err "cannot write its temporary file"
	expect_err "nothing imported"
	run stats --json
	expect_out "\"units\": ?35[,}]"
	TMPDIR="$T" run import big.tmx
	expect_rc 0
'

test_case "a .tsv file next to a small TM takes the bulk path and gives the ordinary path's TM" '
	command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 CLI missing"
	# duplicates every seventh line, for the in-memory duplicate map
	awk "BEGIN { for (i = 1; i <= 3000; i++) { k = i % 7 ? i : i - 3; printf \"Setning %d om kommunen.\\tSentence %d.\\n\", k % 900, k } }" >big.tsv
	head -n 40 big.tsv >seed.tsv
	for db in a.db b.db; do
		"$TOLK" --db "$T/$db" import seed.tsv >/dev/null
	done
	mkdir -p fifo
	mkfifo fifo/big.tsv
	run --db a.db import big.tsv
	expect_rc 0
	cp out a.out
	# through a pipe its size is unknown: the ordinary path
	cat big.tsv >fifo/big.tsv &
	(cd fifo && "$TOLK" --db "$T/b.db" import --format tsv big.tsv \
		>"$T/b.out")
	wait
	expect_eq "$(cat a.out)" "$(cat b.out)"
	expect_eq "$(bulk a.db)" 1
	expect_eq "$(bulk b.db)" 0
	# the creation dates are the clock'"'"'s: the same but for the second
	for db in a.db b.db; do
		state "$db" | sed -E "s/3230([0-9A-F]{2}){13}5A/DATE/g" >"$db.state"
	done
	cmp a.db.state b.db.state || fail "the TMs differ"
'

test_case "an import whose vocabulary passes the flush mark again and again keeps every word, in the same file each time" '
	command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 CLI missing"
	# three words of their own a unit: 90,000 words, past the mark
	# (65,536 rows) at which the indexing thread hands its rows over
	# several times while it indexes on
	awk "function l(i,  s) { s = \"\"; do { s = s sprintf(\"%c\", 97 + i % 26); i = int(i / 26) } while (i > 0); return s }
	BEGIN {
		print \"<?xml version=\\\"1.0\\\"?><tmx version=\\\"1.4\\\"><header creationtool=\\\"t\\\" creationtoolversion=\\\"1\\\" segtype=\\\"sentence\\\" o-tmf=\\\"x\\\" adminlang=\\\"en\\\" srclang=\\\"nb\\\" datatype=\\\"plaintext\\\"/><body>\"
		for (i = 1; i <= 30000; i++) {
			w = l(i)
			printf \"<tu><tuv xml:lang=\\\"nb\\\"><seg>Ordet q%sx og q%sy ved q%sz.</seg></tuv><tuv xml:lang=\\\"en\\\"><seg>Word %d.</seg></tuv></tu>\\n\", w, w, w, i
		}
		print \"</body></tmx>\"
	}" >voc.tmx
	for db in a.db b.db; do
		"$TOLK" --db "$T/$db" import voc.tmx >/dev/null
	done
	expect_eq "$(sqlite3 a.db "SELECT count(DISTINCT word) FROM match_sim WHERE word GLOB '"'"'q*'"'"'")" 90000
	cmp a.db b.db || fail "two imports of one file differ"
'

test_done
