#!/bin/sh
# tolk segment: sentences per line, paragraphs, JSON offsets, SRX files.
. "$(dirname "$0")/lib.sh"

test_case "segment prints one sentence per line and blank lines between paragraphs" '
	printf "Tittel uten punktum\nHan kom kl. 14.30. Hun gikk bl.a. til Oslo. Ferdig.\n" >in.txt
	run segment in.txt
	expect_rc 0
	expect_eq "$(cat out)" "$(printf "Tittel uten punktum\n\nHan kom kl. 14.30.\nHun gikk bl.a. til Oslo.\nFerdig.")"
'

test_case "segment reads standard input and --lang en" '
	printf "Mr. Smith met U.S. officials. They agreed.\n" | "$TOLK" segment --lang en - >out
	expect_eq "$(sed -n 2p out)" "They agreed."
	expect_eq "$(wc -l <out | tr -d " ")" 2
'

test_case "segment --json gives paragraph, ids and code point offsets into the input" '
	printf "Første.\n\nÅ ja. Nei.\n" >in.txt
	run segment --json in.txt
	expect_rc 0
	expect_eq "$(sed -n 3p out)" "{\"id\":3,\"paragraph\":2,\"start\":15,\"end\":19,\"text\":\"Nei.\"}"
	expect_out "\"id\":1,\"paragraph\":1,\"start\":0,\"end\":7"
'

test_case "segment reproduces the gold sentence splits of the shared corpus" '
	for f in "$TOLK_SHARED"/corpus/parallel/*.txt; do
		base=${f%.txt}
		lang=${base##*.}
		"$TOLK" segment --lang "$lang" "$f" | grep -v "^\$" >got
		cmp -s got "$base.sent" || fail "$(basename "$f") differs from its .sent"
	done
'

test_case "segment --srx applies a published SRX file" '
	printf "Vi så bl.a. Oslo. Fint.\n" >in.txt
	run segment --srx "$TOLK_SHARED/corpus/srx/okapi-defaultSegmentation.srx" in.txt
	expect_rc 0
	expect_eq "$(cat out)" "$(printf "Vi så bl.a.\nOslo.\nFint.")"
	run segment --lang sv --srx "$TOLK_SHARED/corpus/srx/omegat-defaultRules.srx" --srx-only in.txt
	expect_eq "$(cat out)" "$(printf "Vi så bl.a. Oslo.\nFint.")"
'

test_case "segment reports a broken SRX file with its location" '
	printf "<srx>\n<body>\n</srx>\n" >bad.srx
	echo "Hei." >in.txt
	run segment --srx bad.srx in.txt
	expect_rc 2
	expect_err "bad.srx:[0-9]+:[0-9]+: not well-formed"
'

test_case "segment refuses a bad language tag and a missing file" '
	echo "Hei." >in.txt
	run segment --lang "no way" in.txt
	expect_rc 2
	run segment --srx-only in.txt
	expect_rc 2
	expect_err "needs --srx"
	run segment missing.txt
	expect_rc 2
	expect_err "missing.txt"
'

test_case "segment reports invalid UTF-8 with file, line and column" '
	printf "Hei.\nab\377\n" >in.txt
	run segment in.txt
	expect_rc 2
	expect_err "in.txt:2:3"
'

test_case "help segment describes the options" '
	run help segment
	expect_rc 0
	expect_out "--srx FILE"
	expect_out "--json"
'

echo "1..$_n"
[ "$_failed" -eq 0 ]
