#!/bin/sh
# Precision and recall of `tolk check` on the house fixtures: each set
# (fixtures/check/ and the held-out fixtures/check/heldout2/ to heldout14/) has a
# glossary, clean.tsv of correct newsroom English (every finding there is a
# false alarm) and planted.tsv with violations listed in planted.expected
# (line, kind, term; "-" for no term).  A finding counts as found when its
# line, kind and term are listed.  A set is checked in every way an editor
# runs the check: the TSV, the same pairs as TMX (imported into a TM and
# exported), the TM itself (--tm) and, when the set lists articles, --pair
# on correct articles (clean-articles: NB/EN path stems) and on a planted
# one (planted-article.{nb,en}.txt, findings by Norwegian line in
# planted-article.expected).  Ends with the P/R of all modes together.
#   scripts/eval-check.sh BUILD_DIR [FIXTURE_DIR...]
set -eu
build=${1:-build}
top=$(cd "$(dirname "$0")/.." && pwd)
TOLK=$(cd "$build" && pwd)/tolk
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- "$top/fixtures/check" "$top/fixtures/check/heldout2" \
	"$top/fixtures/check/heldout3" "$top/fixtures/check/heldout4" \
	"$top/fixtures/check/heldout5" "$top/fixtures/check/heldout6" \
	"$top/fixtures/check/heldout7" "$top/fixtures/check/heldout8" \
	"$top/fixtures/check/heldout9" "$top/fixtures/check/heldout10" \
	"$top/fixtures/check/heldout11" "$top/fixtures/check/heldout12" \
	"$top/fixtures/check/heldout13" "$top/fixtures/check/heldout14"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
TOLK_DB="$tmp/none.db"
export TOLK_DB

# KEY TAB kind TAB term of each finding, from the JSON Lines; KEY is the
# JSON field "line", "unit" or "source_line"
findings() {
	awk -v key="$1" '
	function field(name,   v) {
		if (!match($0, "\"" name "\":(\"[^\"]*\"|[0-9]+|null)"))
			return ""
		v = substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 3)
		gsub(/"/, "", v)
		return v == "null" ? "-" : v
	}
	{ l = field(key) "\t" field("kind") "\t" field("term"); if (!seen[l]++) print l }'
}

run() { # run OUT ARGS...: tolk check --json, findings are exit 1
	out=$1
	shift
	rc=0
	"$TOLK" check --json "$@" >"$out" 2>"$tmp/err" || rc=$?
	[ "$rc" -le 1 ] || { cat "$tmp/err" >&2; exit 1; }
}

# score NAME EXPECTED PLANTED_GOT CLEAN_GOT: prints the P/R line and
# appends "tp fp want fc" to $tmp/totals
score() {
	awk -F '\t' -v name="$1" -v clean="$4" -v tot="$tmp/totals" '
	FILENAME == ARGV[1] { want[$0] = 1; nw++; next }
	{ if ($0 in want && !seen[$0]++) tp++; else { fp++; print "  " name ": false alarm (planted): " $0 } }
	END {
		while ((getline l < clean) > 0) { fc++; print "  " name ": false alarm (clean): " l }
		fp += fc
		for (k in want) if (!(k in seen)) print "  " name ": not found: " k
		p = tp + fp ? tp / (tp + fp) : 1; r = nw ? tp / nw : 1
		printf "check %-22s %3d planted, %3d found, %2d false alarms (%2d on clean text), precision %.3f recall %.3f\n", name, nw, tp, fp, fc, p, r
		print tp + 0, fp + 0, nw + 0, fc + 0 >> tot
	}' "$2" "$3"
}

for fx in "$@"; do
	set_name=$(basename "$fx")
	gl="$fx/house-glossary.tsv"
	: >"$tmp/totals"
	# the TSV files
	run "$tmp/clean.json" --glossary "$gl" "$fx/clean.tsv"
	run "$tmp/planted.json" --glossary "$gl" "$fx/planted.tsv"
	findings line <"$tmp/clean.json" >"$tmp/clean.got"
	findings line <"$tmp/planted.json" >"$tmp/planted.got"
	score "$set_name tsv" "$fx/planted.expected" "$tmp/planted.got" "$tmp/clean.got"
	# the same pairs as TMX and as a TM (unit N is line N: one unit a line)
	for which in clean planted; do
		db="$tmp/$which.db"
		rm -f "$db"
		TOLK_DB="$db" "$TOLK" import --on-duplicate keep "$fx/$which.tsv" >/dev/null
		TOLK_DB="$db" "$TOLK" glossary import "$gl" >/dev/null
		TOLK_DB="$db" "$TOLK" export "$tmp/$which.tmx" >/dev/null
		run "$tmp/$which.json" --glossary "$gl" "$tmp/$which.tmx"
		# a TMX finding's line is the <tu>'s; number the <tu>s instead
		awk '/<tu[ >]/ { n++; print NR "\t" n }' "$tmp/$which.tmx" >"$tmp/$which.tus"
		findings line <"$tmp/$which.json" |
			awk -F '\t' 'NR == FNR { tu[$1] = $2; next }
				{ l = $1; while (l > 0 && !(l in tu)) l--; print tu[l] "\t" $2 "\t" $3 }' \
				"$tmp/$which.tus" - >"$tmp/$which.got"
	done
	score "$set_name tmx" "$fx/planted.expected" "$tmp/planted.got" "$tmp/clean.got"
	for which in clean planted; do
		rc=0
		TOLK_DB="$tmp/$which.db" "$TOLK" check --json --tm >"$tmp/$which.json" 2>"$tmp/err" || rc=$?
		[ "$rc" -le 1 ] || { cat "$tmp/err" >&2; exit 1; }
		findings unit <"$tmp/$which.json" >"$tmp/$which.got"
	done
	score "$set_name --tm" "$fx/planted.expected" "$tmp/planted.got" "$tmp/clean.got"
	# articles with --pair
	if [ -f "$fx/clean-articles" ] && [ -f "$fx/planted-article.nb.txt" ]; then
		: >"$tmp/clean.got"
		grep -v '^#' "$fx/clean-articles" | while read -r stem; do
			run "$tmp/art.json" --glossary "$gl" --pair "$top/$stem.nb.txt" "$top/$stem.en.txt"
			findings source_line <"$tmp/art.json" | sed "s|^|$(basename "$stem"):|" >>"$tmp/clean.got"
		done
		run "$tmp/art.json" --glossary "$gl" --pair "$fx/planted-article.nb.txt" "$fx/planted-article.en.txt"
		findings source_line <"$tmp/art.json" >"$tmp/planted.got"
		score "$set_name --pair" "$fx/planted-article.expected" "$tmp/planted.got" "$tmp/clean.got"
	fi
	awk -v name="$set_name" '{ tp += $1; fp += $2; nw += $3; fc += $4 }
	END { p = tp + fp ? tp / (tp + fp) : 1; r = nw ? tp / nw : 1
	      printf "check %-22s %3d planted, %3d found, %2d false alarms (%2d on clean text), precision %.3f recall %.3f\n", name " all modes", nw, tp, fp, fc, p, r }' "$tmp/totals"
done
