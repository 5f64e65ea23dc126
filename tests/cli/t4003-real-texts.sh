#!/bin/sh
# tolk check on real human translations (the gold-aligned parallel texts of
# the shared corpus): correct translations must give no findings.
. "$(dirname "$0")/lib.sh"

C="$TOLK_SHARED/corpus/parallel"

# pairs NAME: the 1-1 and n-m beads of NAME as an nb<TAB>en TSV
pairs() {
	awk -F'\t' -v nb="$C/$1.nb.sent" -v en="$C/$1.en.sent" '
	BEGIN {
		while ((getline l < nb) > 0) N[++n] = l
		while ((getline l < en) > 0) E[++m] = l
	}
	{
		s = ""; t = ""
		k = split($1, a, ",")
		for (i = 1; i <= k; i++) if (a[i] != "") s = s (s ? " " : "") N[a[i]]
		k = split($2, b, ",")
		for (i = 1; i <= k; i++) if (b[i] != "") t = t (t ? " " : "") E[b[i]]
		if (s != "" && t != "") print s "\t" t
	}' "$C/$1.gold.tsv" > "$1.tsv"
}

need_corpus() {
	[ -f "$C/udhr.gold.tsv" ] || skip "no corpus at $C"
}

test_case "numbers of five real translations all match (no noise)" '
	need_corpus
	printf "x\\ty\\n" > g.tsv
	for d in udhr jonah dah-preface nav-privacy msdos-readme; do
		pairs $d
	done
	[ "$(cat *.tsv | grep -c "[0-9]")" -gt 40 ] || fail "too few numbers to test"
	run check --glossary g.tsv --kinds number udhr.tsv jonah.tsv dah-preface.tsv nav-privacy.tsv msdos-readme.tsv
	expect_rc 0
	expect_eq "$(cat "$T/out")" ""
'

test_case "inflected glossary terms in real translations give no findings" '
	need_corpus
	pairs nav-privacy
	pairs dah-preface
	printf "personopplysning\\tpersonal data\\nNav\\tNav\\nbehandling\\tprocessing\\nfri programvare\\tFree Software\\noperativsystem\\toperating system\\nDebian\\tDebian\\nfrihet\\tfreedom\\n" > g.tsv
	run glossary import g.tsv
	cut -f1 nav-privacy.tsv dah-preface.tsv > nb.txt
	run_stdin nb.txt glossary find -
	expect_eq "$(grep -c "	personopplysning	" "$T/out")" 13
	expect_eq "$(grep -c "	operativsystem	" "$T/out")" 10
	expect_eq "$(grep -c "	fri programvare	" "$T/out")" 4
	run check nav-privacy.tsv dah-preface.tsv
	expect_rc 0
	expect_eq "$(cat "$T/out")" ""
'

test_case "a term changed in a real translation is caught" '
	need_corpus
	pairs nav-privacy
	sed "3s/personal data/personal information/" nav-privacy.tsv > changed.tsv
	printf "personopplysning\\tpersonal data\\n" > g.tsv
	run check --glossary g.tsv --json changed.tsv
	expect_rc 1
	expect_eq "$(grep -c . "$T/out")" 1
	expect_out "\"kind\":\"missing\",\"file\":\"changed.tsv\",\"line\":3,\"term\":\"personopplysning\""
'

test_done
