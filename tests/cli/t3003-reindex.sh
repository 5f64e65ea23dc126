#!/bin/sh
# tolk reindex: a TM whose match index another format wrote is refused,
# with a message naming reindex, until reindex rebuilds it.
. "$(dirname "$0")/lib.sh"

test_case "an index of another format is refused until tolk reindex" '
	run add "Statsministeren reiste til Paris i går." "The Prime Minister went to Paris yesterday."
	expect_rc 0
	sqlite3 "$TOLK_DB" "UPDATE tolk_meta SET value = '"'"'hash 0, tokenizer 1, ICU 1'"'"'" || return 1
	run lookup "Statsministeren reiste til Paris i går."
	expect_rc 2
	expect_err "tolk reindex"
	run reindex
	expect_rc 0
	expect_out "rebuilt the match index"
	run lookup "Statsministeren reiste til Paris i går."
	expect_rc 0
	expect_out "The Prime Minister went to Paris yesterday"
'

test_case "reindex needs an existing TM and takes no arguments" '
	run reindex
	expect_rc 3
	expect_err "no translation memory"
	run reindex extra
	expect_rc 2
'

test_done
