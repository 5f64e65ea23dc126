#!/bin/sh
# Precision and recall of `tolk check` on the house fixtures in
# fixtures/check/: clean.tsv is correct newsroom English (every finding
# there is a false alarm); planted.tsv has violations whose findings are
# listed in planted.expected (line, kind, term; "-" for no term).  A
# finding counts as found when its line, kind and term are listed.
#   scripts/eval-check.sh BUILD_DIR [FIXTURE_DIR]
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
TOLK=$(cd "$build" && pwd)/tolk
fx=${2:-$top/fixtures/check}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TOLK_DB="$tmp/none.db"
export TOLK_DB

# line TAB kind TAB term of each finding, from the JSON Lines
findings() {
	sed -n 's/^{"kind":"\([a-z]*\)","file":"[^"]*","line":\([0-9]*\),"term":\(null\|"\([^"]*\)"\).*/\2\t\1\t\4/p' |
		awk -F '\t' '{ print $1 "\t" $2 "\t" ($3 == "" ? "-" : $3) }'
}

rc=0
"$TOLK" check --json --glossary "$fx/house-glossary.tsv" "$fx/clean.tsv" \
	>"$tmp/clean.json" 2>"$tmp/err" || rc=$?
[ "$rc" -le 1 ] || { cat "$tmp/err" >&2; exit 1; }
rc=0
"$TOLK" check --json --glossary "$fx/house-glossary.tsv" "$fx/planted.tsv" \
	>"$tmp/planted.json" 2>"$tmp/err" || rc=$?
[ "$rc" -le 1 ] || { cat "$tmp/err" >&2; exit 1; }
findings <"$tmp/clean.json" >"$tmp/clean.got"
findings <"$tmp/planted.json" >"$tmp/planted.got"
awk -F '\t' -v clean="$tmp/clean.got" '
	FILENAME == ARGV[1] { want[$0] = 1; nw++; next }
	{ if ($0 in want && !seen[$0]++) tp++; else { fp++; print "  false alarm (planted): " $0 } }
	END {
		while ((getline l < clean) > 0) { fc++; print "  false alarm (clean): " l }
		fp += fc
		for (k in want) if (!(k in seen)) print "  not found: " k
		p = tp + fp ? tp / (tp + fp) : 1; r = nw ? tp / nw : 1
		printf "check: %d planted, %d found, %d false alarms (%d on clean text)\n", nw, tp, fp, fc
		printf "check: precision %.3f recall %.3f\n", p, r
	}' "$fx/planted.expected" "$tmp/planted.got"
