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

test_case "a damaged bucket of one-unit keys is reported, changes nothing, and reindex rebuilds it" '
	run add "Fergen til Kvitsøy gikk i dag." "The ferry to Kvitsøy sailed today."
	expect_rc 0
	run add "Bussen til Bergen kom sent i går." "The bus to Bergen came late yesterday."
	expect_rc 0
	[ "$(sqlite3 "$TOLK_DB" "SELECT count(*) FROM match_one")" -gt 0 ] ||
		fail "no bucket rows"
	# every bucket row a varint that never ends
	sqlite3 "$TOLK_DB" "UPDATE match_one SET post = X'"'"'FFFFFFFF'"'"'" || return 1
	run lookup "Fergen til Kvitsøy gikk i dag."
	expect_rc 3
	expect_err "corrupt"
	expect_err "tolk reindex"
	run add "Fergen til Kvitsøy gikk ikke i dag." "The ferry to Kvitsøy did not sail today."
	expect_rc 3
	expect_err "corrupt"
	run stats --json
	expect_out "\"units\": ?2[,}]"
	run reindex
	expect_rc 0
	run lookup "Fergen til Kvitsøy gikk i dag."
	expect_rc 0
	expect_out "The ferry to Kvitsøy sailed today"
	run lookup --min-score 50 "Bussen til Bergen kom sent."
	expect_rc 0
	expect_out "The bus to Bergen came late yesterday"
'

test_case "reindex needs an existing TM and takes no arguments" '
	run reindex
	expect_rc 3
	expect_err "no translation memory"
	run reindex extra
	expect_rc 2
'

test_done
