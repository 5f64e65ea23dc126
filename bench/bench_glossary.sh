#!/bin/sh
# Glossary benchmarks: `tolk check` of a generated TM (TSV of nb<TAB>en) of
# BENCH_UNITS units (default 100000) against a generated glossary of
# BENCH_TERMS terms (default 5000), glossary import, and the latency of
# `tolk glossary find` (one process per call: load, build, match).
# Prints figures only; never fails on time.
set -u
: "${TOLK:?}"
units=${BENCH_UNITS:-100000}
terms=${BENCH_TERMS:-5000}
finds=${BENCH_FINDS:-20}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export TOLK_DB="$dir/tm.db"

now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{ printf "%.3f", $2 - $1 }'; }

# Pseudo-words from syllables, deterministic.  Term i is a compound-looking
# Norwegian word (some are two-word terms), its rendering an English-looking
# one; sentences mix inflected terms (-en, -ene, -s) with filler words and
# a number, and about 5% of targets drop a rendering.
awk -v terms="$terms" -v units="$units" -v gl="$dir/glossary.tsv" \
    -v tm="$dir/units.tsv" '
function word(n, s,   w, k) {
	w = ""
	for (k = 0; k < s; k++) { w = w syl[n % nsyl]; n = int(n / nsyl) + k * 7 }
	return w
}
BEGIN {
	nsyl = split("ba be bi bo bu da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so ta te ti to va ve vi vo", syl, " ")
	srand(42)
	for (i = 0; i < terms; i++) {
		nb[i] = word(i * 7919 + 13, 3) "nsk"
		if (i % 10 == 0) nb[i] = nb[i] " " word(i * 31 + 5, 2) "rd"
		en[i] = word(i * 104729 + 7, 3) "ton"
		if (i % 10 == 0) en[i] = en[i] " " word(i * 17 + 3, 2) "ley"
		printf "%s\t%s\tgenerated\n", nb[i], en[i] > gl
	}
	nfill = 400
	for (i = 0; i < nfill; i++) { fnb[i] = word(i * 613 + 1, 2) "e"; fen[i] = word(i * 911 + 2, 2) "y" }
	split("en ene s et", infl, " ")
	for (u = 0; u < units; u++) {
		s = ""; t = ""
		for (k = 0; k < 12; k++) {
			if (k % 4 == 1) {
				i = int(rand() * terms)
				e = (rand() < 0.5) ? infl[1 + int(rand() * 4)] : ""
				s = s " " nb[i] e
				if (rand() >= 0.05) t = t " " en[i] (e == "ene" ? "s" : "")
			} else {
				f = int(rand() * nfill)
				s = s " " fnb[f]; t = t " " fen[f]
			}
		}
		n = int(rand() * 100000)
		printf "%s %d.\t%s %d.\n", substr(s, 2), n, substr(t, 2), n > tm
	}
}'

echo "glossary: $terms terms; TM: $units units ($(wc -c < "$dir/units.tsv") bytes)"

t0=$(now)
"$TOLK" glossary import "$dir/glossary.tsv" >/dev/null || exit 1
t1=$(now)
echo "glossary import ($terms terms): $(secs "$t0" "$t1") s"

t0=$(now)
"$TOLK" check --json "$dir/units.tsv" > "$dir/findings.jsonl"
rc=$?
t1=$(now)
[ "$rc" -le 1 ] || { echo "check failed (exit $rc)"; exit 1; }
el=$(secs "$t0" "$t1")
echo "check $units units x $terms terms: $el s ($(echo "$units $el" | awk '{ printf "%.0f", $1 / $2 }') units/s), $(wc -l < "$dir/findings.jsonl") findings"

t0=$(now)
"$TOLK" check --kinds missing,forbidden,untranslated "$dir/units.tsv" > /dev/null
t1=$(now)
echo "check, term kinds only: $(secs "$t0" "$t1") s"

# check --tm: the same units stored in the TM by tolk import (the TSV
# above: the store's own layout, whatever it is, and the match index).
t0=$(now)
if "$TOLK" import "$dir/units.tsv" >"$dir/import.out"; then
	t1=$(now)
	echo "TM import ($units units): $(secs "$t0" "$t1") s ($(sed "s/^[^:]*: //" "$dir/import.out"))"
	t0=$(now)
	"$TOLK" check --tm > /dev/null
	t1=$(now)
	echo "check --tm ($units units in the TM): $(secs "$t0" "$t1") s"
else
	echo "check --tm: skipped (tolk import of the units failed)"
fi

sentence=$(sed -n 2p "$dir/units.tsv" | cut -f1)
t0=$(now)
i=0
while [ "$i" -lt "$finds" ]; do
	"$TOLK" glossary find "$sentence" > /dev/null
	i=$((i + 1))
done
t1=$(now)
echo "glossary find latency ($terms terms, one sentence, process included): $(echo "$t0 $t1 $finds" | awk '{ printf "%.1f", ($2 - $1) * 1000 / $3 }') ms/call"

cut -f1 "$dir/units.tsv" | head -n 10000 > "$dir/text.txt"
t0=$(now)
"$TOLK" glossary find - < "$dir/text.txt" > /dev/null
t1=$(now)
echo "glossary find over 10000 sentences ($(wc -c < "$dir/text.txt") bytes): $(secs "$t0" "$t1") s"
