#!/bin/sh
# tolk check as an editor relies on it: silent on correct newsroom English
# (fixtures/check/clean.tsv), every planted violation found at its line
# (planted.tsv / planted.expected), exceptions, positions an editor can
# jump to, the summary, and the check without a TM.
. "$(dirname "$0")/lib.sh"
fx="$TOLK_TOP/fixtures/check"
G="$fx/house-glossary.tsv"

test_case "correct newsroom translations give no findings" '
	run check --glossary "$G" "$fx/clean.tsv"
	expect_rc 0
	[ ! -s "$T/out" ] || fail "false alarms: $(grep -v "^  " "$T/out")"
	expect_err "^checked 47 segments: no findings$"
'

test_case "every planted violation is found, and nothing else" '
	run check --json --glossary "$G" "$fx/planted.tsv"
	expect_rc 1
	sed -n "s/^{\"kind\":\"\\([a-z]*\\)\",\"file\":\"[^\"]*\",\"line\":\\([0-9]*\\),\"term\":\\(null\\|\"\\([^\"]*\\)\"\\).*/\\2\\t\\1\\t\\4/p" "$T/out" |
		awk -F "\t" "{ print \$1 \"\t\" \$2 \"\t\" (\$3 == \"\" ? \"-\" : \$3) }" | sort > got.txt
	sort "$fx/planted.expected" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "the summary counts findings by kind on stderr, never on stdout" '
	run check --glossary "$G" "$fx/planted.tsv"
	expect_rc 1
	expect_err "^checked 22 segments: 19 findings \\(9 missing, 5 forbidden, 2 untranslated, 1 inconsistent, 2 number\\)$"
	expect_no_out "^checked"
	run check --json --glossary "$G" "$fx/planted.tsv"
	[ ! -s "$T/err" ] || fail "stderr with --json: $(cat "$T/err")"
'

test_case "inconsistent points at the minority translation, not the later line" '
	printf "Regjeringen går av.\\tThe Government steps down.\\n" > i.tsv
	printf "Regjeringen går av.\\tThe Government resigns.\\n" >> i.tsv
	printf "Regjeringen går av.\\tThe government resigns.\\n" >> i.tsv
	run check --glossary "$G" --kinds inconsistent i.tsv
	expect_rc 1
	expect_eq "$(grep -c "inconsistent" "$T/out")" 1
	expect_out "^i.tsv:1: inconsistent: translated differently at i.tsv:2: \"The Government resigns.\""
'

test_case "inconsistent points at the translation that breaks the glossary" '
	printf "Stortinget møttes.\\tThe Storting met.\\n" > b.tsv
	printf "Stortinget møttes.\\tParliament met.\\n" >> b.tsv
	run check --glossary "$G" --kinds forbidden,inconsistent b.tsv
	expect_out "^b.tsv:1: inconsistent: translated differently at b.tsv:2: \"Parliament met.\""
'

test_case "exceptions are stored, listed, exported, imported and honoured" '
	run glossary add rett court --except "rett og slett" --except "har rett"
	expect_rc 0
	run glossary list
	expect_out "^rett	court  \\(except: \"rett og slett\", \"har rett\"\\)$"
	run glossary list --json
	expect_out "\"except\":\\[\"rett og slett\",\"har rett\"\\]"
	run glossary find "Det var rett og slett galt, men hun har rett. Saken gikk til retten."
	expect_rc 0
	expect_eq "$(wc -l < "$T/out" | tr -d " ")" 1
	expect_out "^1:[0-9]+	retten	rett	court"
	run glossary find "Det var rett og slett galt."
	expect_rc 1
	printf "Det var rett og slett galt.\\tIt was simply wrong.\\n" > r.tsv
	printf "Saken gikk til retten.\\tThe case went to trial.\\n" >> r.tsv
	run check r.tsv
	expect_rc 1
	expect_eq "$(grep -c "^r.tsv" "$T/out")" 1
	expect_out "^r.tsv:2: missing: .rett."
	for f in tbx tsv; do
		run glossary export "g.$f"
		expect_rc 0
		run --db "$f.db" glossary import "g.$f"
		expect_rc 0
		run --db "$f.db" glossary list
		expect_out "\\(except: \"rett og slett\", \"har rett\"\\)" 
	done
'

test_case "a term in capitals is not found inside a longer word" '
	printf "SVT sendte debatten.\\tSVT broadcast the debate.\\n" > s.tsv
	printf "NTBS er ikke NTB.\\tNTBS is not the news bureau NTB.\\n" >> s.tsv
	printf "SV vil ha svar.\\tSVT wants answers.\\n" >> s.tsv
	run check --json --glossary "$G" s.tsv
	expect_rc 1
	expect_eq "$(wc -l < "$T/out" | tr -d " ")" 1
	expect_out "\"kind\":\"missing\",\"file\":\"s.tsv\",\"line\":3,\"term\":\"SV\""
'

test_case "Høyre at the start of a sentence is not missing on that evidence alone" '
	printf "Høyre side var stengt.\\tThe right-hand side was closed.\\n" > h.tsv
	printf "Han sa: «Høyre vinner.»\\tHe said: \"The Tories will win.\"\\n" >> h.tsv
	printf "Høyre vinner.\\tHøyre will win.\\n" >> h.tsv
	printf "Velgerne valgte Høyre.\\tThe voters chose the Tories.\\n" >> h.tsv
	run check --glossary "$G" h.tsv
	expect_rc 1
	grep -v "^  " "$T/out" > got.txt
	printf "%s\\n" "h.tsv:3: untranslated: '"'"'Høyre'"'"' left as \"Høyre\"; use \"Conservative Party\" or \"the Conservatives\"" \
		"h.tsv:4: missing: '"'"'Høyre'"'"' is not translated as \"Conservative Party\" or \"the Conservatives\"" > want.txt
	diff want.txt got.txt > diff.txt || fail "$(cat diff.txt)"
'

test_case "--pair names the English file, line and column, and the Norwegian line" '
	printf "Statsministeren reiser til Paris.\\n\\nHan møter presidenten fredag.\\n" > a.nb.txt
	printf "By our correspondent\\n\\nThe Prime Minister travels to Paris.\\n\\nThere he meets the President on Friday.\\n" > good.en.txt
	run check --glossary "$G" --pair a.nb.txt good.en.txt
	expect_rc 0
	printf "By our correspondent\\n\\nThe premier travels to Paris.\\n\\nThere he meets the President on Friday.\\n" > a.en.txt
	run check --json --glossary "$G" --pair a.nb.txt a.en.txt
	expect_rc 1
	expect_out "\"kind\":\"forbidden\",\"file\":\"a.nb.txt\",\"line\":1,.*\"source_file\":\"a.nb.txt\",\"source_line\":1,\"target_file\":\"a.en.txt\",\"target_line\":3,\"target_column\":5\\}$"
	run check --glossary "$G" --pair a.nb.txt a.en.txt
	expect_out "^a.en.txt:3:5: a.nb.txt:1: forbidden: "
'

test_case "without a TM the check says --glossary FILE works; numbers need no glossary" '
	printf "Møtet starter kl. 19.\\tThe meeting starts at 18:00.\\n" > n.tsv
	run check n.tsv
	expect_rc 2
	expect_err "--glossary FILE"
	run check --kinds number n.tsv
	expect_rc 1
	expect_out "^n.tsv:1: number: 19 is not in the target \\(expected 19:00\\)$"
	[ ! -e "$TOLK_DB" ] || fail "the check created a TM"
'
test_done
