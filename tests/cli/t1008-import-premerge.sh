#!/bin/sh
# The match index of a large import is merged while the rest of the
# import is written (tm_match_index_premerge): the postings it writes are
# those a rebuild of the index writes, also when a second file in the same
# import, or a failure, comes after the merge has begun.
. "$(dirname "$0")/lib.sh"

# gen N FROM: N units numbered from FROM, each with a few words of its
# own, so that most keys are rare and some common
gen() {
	awk -v n="$1" -v from="$2" 'BEGIN {
		print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		print "<tmx version=\"1.4\"><header creationtool=\"t\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"x\" adminlang=\"en\" srclang=\"nb\" datatype=\"plaintext\"/><body>"
		split("kommune fylke regjeringen budsjettet statsministeren møtet avtalen byrådet skolen veien", w, " ")
		for (i = from; i < from + n; i++)
			printf "<tu><tuv xml:lang=\"nb\"><seg>Setning ord%d om %s og ord%d i %s.</seg></tuv><tuv xml:lang=\"en\"><seg>Sentence w%d about %s.</seg></tuv></tu>\n", i, w[1 + i % 10], i % 97, w[1 + (i * 7) % 10], i % 31, w[1 + (i * 3) % 10]
		print "</body></tmx>"
	}'
}

# index DB: the match index's rows, in key order
index() {
	sqlite3 "$1" "SELECT tok, len, first, hex(ids) FROM match_blk
		ORDER BY 1, 2, 3; SELECT tok, n, hex(post) FROM match_tok
		ORDER BY tok; SELECT * FROM match_sim ORDER BY 1, 2"
}

# same_as_rebuilt DB: its index equals the one reindex writes
same_as_rebuilt() {
	index "$1" >"$1.before"
	[ -s "$1.before" ] || fail "no index in $1"
	cp "$1" "$1.re"
	"$TOLK" --db "$1.re" reindex >/dev/null
	index "$1.re" >"$1.after"
	cmp "$1.before" "$1.after" || fail "$1: the index differs from a rebuild"
}

test_case "one large file: the early merge writes the rebuilt index" '
	command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 CLI missing"
	# more texts than the indexing thread waits for (2,048)
	gen 6000 1 >a.tmx
	run --db one.db import a.tmx
	expect_rc 0
	same_as_rebuilt one.db
'

test_case "two files in one import: the second stops the first one early merge" '
	command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 CLI missing"
	gen 6000 1 >a.tmx
	gen 3000 6001 >b.tmx
	run --db two.db import a.tmx b.tmx
	expect_rc 0
	same_as_rebuilt two.db
	expect_eq "$(sqlite3 two.db "SELECT count(*) FROM unit")" 9000
	# a word of each file is found
	run --db two.db concordance ord5999
	expect_rc 0
	[ -s out ] || fail "no unit of the first file"
	run --db two.db concordance ord8999
	expect_rc 0
	[ -s out ] || fail "no unit of the second file"
'

test_case "a failure after the early merge began leaves the TM empty" '
	command -v sqlite3 >/dev/null 2>&1 || skip "sqlite3 CLI missing"
	gen 6000 1 >a.tmx
	gen 50 6001 | sed "20,\$d" >broken.tmx
	run --db f.db import a.tmx broken.tmx
	expect_rc 2
	expect_eq "$(sqlite3 f.db "SELECT (SELECT count(*) FROM unit) +
		(SELECT count(*) FROM match_tok) + (SELECT count(*) FROM
		match_blk) + (SELECT count(*) FROM match_sim)")" 0
	# and the next import into it writes a whole index
	run --db f.db import a.tmx
	expect_rc 0
	same_as_rebuilt f.db
'

test_done
