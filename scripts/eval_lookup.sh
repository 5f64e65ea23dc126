#!/bin/sh
# Measures fuzzy lookup on a real UI translation memory: the Norwegian
# (Bokmål) message catalogues installed on this machine
# (/usr/share/locale/nb/LC_MESSAGES/*.mo, read with msgunfmt) become a TM
# of nb->en units; queries are stored sources with one edit of a known
# kind (a word inflected, a one-letter typo, a word dropped, a word
# replaced), two units joined, and word salads that match nothing.
# Prints, per kind, how often the right unit is the top match and how
# often it is offered at all (score >= 70).  When python3-translate is
# installed, translate-toolkit's matcher (scripts/eval_tt.py) answers the
# same queries and its top-1 is printed beside tolk's.
#   scripts/eval_lookup.sh BUILD_DIR [QUERIES_PER_KIND [SEED]]
# Another SEED draws another query set from the same TM: a check that a
# change does not only suit the default set.  EVAL_LOOKUP_OPTS adds
# lookup options (--exhaustive, --min-score 60).
set -eu
build=${1:-build}
per=${2:-150}
seed=${3:-20261129}
here=$(cd "$(dirname "$0")" && pwd)
TOLK=$(cd "$build" && pwd)/tolk
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] && echo "kept $tmp" >&2 || rm -rf "$tmp"' EXIT
if ! command -v msgunfmt >/dev/null 2>&1; then
	echo "eval_lookup: needs msgunfmt (Debian package gettext)" >&2
	exit 1
fi
set -- /usr/share/locale/nb/LC_MESSAGES/*.mo
[ -e "$1" ] || { echo "eval_lookup: no nb message catalogues" >&2; exit 1; }
for f in "$@"; do msgunfmt "$f" 2>/dev/null || true; done >"$tmp/all.po"

# PO entries -> nb<TAB>en, one line each; plural and multi-line entries
# are joined, entries with tabs, control characters or bad UTF-8 left out.
LC_ALL=C awk '
function unq(s) { sub(/^"/, "", s); sub(/"$/, "", s); return s }
function emit() {
	if (id != "" && str != "" && id !~ /\\t/ && str !~ /\\t/) {
		gsub(/\\n/, " ", id); gsub(/\\n/, " ", str)
		gsub(/\\"/, "\"", id); gsub(/\\"/, "\"", str)
		gsub(/\\\\/, "\\", id); gsub(/\\\\/, "\\", str)
		gsub(/  +/, " ", id); gsub(/  +/, " ", str)
		sub(/^ +/, "", id); sub(/^ +/, "", str)
		sub(/ +$/, "", id); sub(/ +$/, "", str)
		if (id != "" && str != "") print str "\t" id
	}
	id = ""; str = ""; st = ""
}
/^msgid / { emit(); id = unq(substr($0, 7)); st = "i"; next }
/^msgid_plural/ { st = "p"; next }
/^msgstr(\[0\])? / { s = $0; sub(/^msgstr(\[0\])? /, "", s); str = unq(s); st = "s"; next }
/^msgstr\[/ { st = "x"; next }
/^"/ { if (st == "i") id = id unq($0); else if (st == "s") str = str unq($0); next }
/^$/ { emit() }
END { emit() }' "$tmp/all.po" |
	LC_ALL=C awk -F"\t" 'NF == 2 && !/[\001-\010\013-\037\177]/ && !seen[$0]++' |
	iconv -f UTF-8 -t UTF-8 -c |
	awk -F'\t' 'NF == 2 && $1 ~ /[^ ]/ && $2 ~ /[^ ]/' >"$tmp/tm.tsv"
TOLK_DB="$tmp/tm.db"
export TOLK_DB
"$TOLK" import "$tmp/tm.tsv" >/dev/null 2>"$tmp/imp.err" || {
	cat "$tmp/imp.err" >&2
	exit 1
}
units=$(wc -l <"$tmp/tm.tsv")

# Queries: KIND<TAB>QUERY<TAB>EXPECTED SOURCE (for joins: the first part).
# A fixed linear congruential generator keeps the set the same with any awk.
awk -F'\t' -v per="$per" -v seed="$seed" '
function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
function ri(n) { return int(rnd() * n) + 1 }
function isword(w) { return w ~ /^[a-zæøå][a-zæøå]+$/ }
function inflect(w,    e) {
	if (w ~ /ene$/) return substr(w, 1, length(w) - 1) "s"
	if (w ~ /en$/) return w "e"
	if (w ~ /er$/) return substr(w, 1, length(w) - 2) "ene"
	if (w ~ /et$/) return substr(w, 1, length(w) - 2) "ene"
	if (w ~ /e$/) return w "n"
	return w "en"
}
function typo(w,    p, c, r) {
	p = ri(length(w) - 2) + 1
	c = substr(w, p, 1)
	r = (c == "a") ? "s" : (c == "e") ? "r" : (c == "o") ? "i" : (c == "n") ? "m" : (c == "r") ? "t" : (c == "s") ? "d" : (c == "t") ? "y" : (c == "i") ? "u" : "e"
	if (r == c) r = "a"
	return substr(w, 1, p - 1) r substr(w, p + 1)
}
{ src[NR] = $1; stored[$1] = 1; nw = split($1, w, " "); words[NR] = nw
  for (i = 1; i <= nw; i++) if (isword(w[i])) vocab[++nv] = w[i] }
END {
	split("inflect typo drop replace", kinds, " ")
	for (k = 1; k <= 4; k++) {
		kind = kinds[k]; made = 0; tries = 0
		while (made < per && tries < per * 200) {
			tries++
			u = ri(NR); n = split(src[u], w, " ")
			if (n < 3 || n > 20 || used[u]) continue
			# a word that can take the edit
			cand = 0
			for (i = 1; i <= n; i++) {
				if (kind == "typo" && !(w[i] ~ /^[A-Za-z][a-z][a-z][a-z][a-z]+$/)) continue
				if (kind != "typo" && kind != "drop" && !isword(w[i])) continue
				if (kind != "typo" && length(w[i]) < 4 && kind != "drop") continue
				c[++cand] = i
			}
			if (cand == 0) continue
			i = c[ri(cand)]
			if (kind == "inflect") w[i] = inflect(w[i])
			else if (kind == "typo") w[i] = typo(w[i])
			else if (kind == "replace") w[i] = vocab[ri(nv)]
			q = ""
			for (j = 1; j <= n; j++) {
				if (kind == "drop" && j == i) continue
				q = q (q == "" ? "" : " ") w[j]
			}
			# an edit that gives another stored source is an exact
			# match of that one, not a query for this one
			if (q in stored) continue
			used[u] = 1; made++
			print kind "\t" q "\t" src[u]
		}
	}
	made = 0
	while (made < per / 3) {
		a = ri(NR); b = ri(NR)
		if (words[a] < 4 || words[b] < 4 || words[a] > 12 || words[b] > 12) continue
		if (src[a] !~ /[.!?]$/ || src[b] !~ /[.!?]$/) continue
		print "join\t" src[a] " " src[b] "\t" src[a] "\t" src[b]; made++
	}
	for (m = 0; m < per / 3; m++) {
		q = ""
		for (j = 0; j < 7; j++) q = q (q == "" ? "" : " ") vocab[ri(nv)]
		print "salad\t" q "\t"
	}
}' "$tmp/tm.tsv" >"$tmp/queries.tsv"

cut -f2 "$tmp/queries.tsv" |
	"$TOLK" lookup ${EVAL_LOOKUP_OPTS:-} --json --limit 50 - >"$tmp/answers.jsonl" || true

# translate-toolkit's top match per query (score<TAB>source), or empty
# columns where it is not installed (Debian's python3-translate is for
# /usr/bin/python3, which need not be the python3 on PATH).
tt=
for py in python3 /usr/bin/python3; do
	if "$py" -c 'import translate.search.match' 2>/dev/null; then
		tt=$py
		break
	fi
done
if [ -n "$tt" ]; then
	"$tt" "$here/eval_tt.py" "$tmp/tm.tsv" "$tmp/queries.tsv" >"$tmp/tt.tsv"
else
	echo "eval_lookup: no translate-toolkit (python3-translate): tolk only" >&2
	awk '{ print "\t\t" }' "$tmp/queries.tsv" >"$tmp/tt.tsv"
fi

# The answers, line by line beside the queries.  JSON strings are
# compared after undoing the writer's escapes, all of them in one left to
# right pass (one gsub per escape can undo an escape twice).  Up to 50
# matches are read so that the edited unit's own score is known: when
# another unit scores as high (a tie, e.g. a word replaced by a random
# one) or higher (the edit made the query closer to another unit), no
# order can know which was meant; those queries are counted apart.
# Columns: the query's, then translate-toolkit's score and source and its
# similarity of the query to the edited unit, then tolk's JSON answer.
paste "$tmp/queries.tsv" "$tmp/tt.tsv" "$tmp/answers.jsonl" |
	awk -F'\t' -v units="$units" -v tt="$tt" '
function unesc(s,    out, i, c) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\") {
			c = substr(s, ++i, 1)
			if (c == "n") c = "\n"; else if (c == "t") c = "\t"; else if (c == "r") c = "\r"
		}
		out = out c
	}
	return out
}
{
	kind = $1; json = $NF; ttsrc = $(NF - 2); tthas = $(NF - 3) != ""
	exists = $(NF - 1) != "" && $(NF - 1) >= 70
	n[kind]++
	# matches: sources and scores in order
	rest = json; sub(/"partial":.*/, "", rest)
	nm = 0
	while (match(rest, /"score":[0-9]+,"source":"([^"\\]|\\.)*"/)) {
		m = substr(rest, RSTART, RLENGTH)
		rest = substr(rest, RSTART + RLENGTH)
		sc = m; sub(/^"score":/, "", sc); sub(/,.*/, "", sc)
		s = m; sub(/^"score":[0-9]+,"source":"/, "", s); sub(/"$/, "", s)
		nm++; msrc[nm] = unesc(s); msc[nm] = sc + 0
	}
	if (kind == "salad") { if (nm > 0) falsem++; if (tthas) ttfalse++; next }
	if (kind == "join") {
		if (tthas && (ttsrc == $3 || ttsrc == $4)) ttok["join"]++
		# a part as a whole match or a partial one; never the query
		# itself (an answer without "partial" once matched it there)
		p = json; sub(/^.*"matches":/, "", p)
		if (index(unesc(p), $3) || index(unesc(p), $4)) ok[kind]++
		next
	}
	if (nm > 0 && msrc[1] == $3) ok[kind]++
	found = 0; own = -1
	for (i = 1; i <= nm; i++) if (msrc[i] == $3) { if (own < 0) own = msc[i]; if (i <= 5 && msc[i] >= 70) found = 1 }
	if (found) offered[kind]++
	if (nm > 0 && msc[1] >= 70) {
		n70++; if (msrc[1] == $3) ok70++
		if (msrc[1] != $3 && own == msc[1]) tie++
		else if (msrc[1] != $3 && own < msc[1]) closer++
		else { u70++; if (msrc[1] == $3) oku70++ }
	}
	tot++; if (nm > 0 && msrc[1] == $3) oktot++
	else if (own < 70) { below++; if (nm == 0) none++ }
	else ranked++
	if (tthas && ttsrc == $3) { ttok[kind]++; ttoktot++ }
	if (exists) {
		nex++; if (nm > 0 && msrc[1] == $3) okex++
		if (ttsrc == $3) ttokex++
	}
	if (tthas) { ttn70++; if (ttsrc == $3) ttok70++ }
	if (tthas && nm > 0 && msc[1] >= 70) {
		both++; if (ttsrc == $3) ttboth++
		if (msrc[1] == $3) tboth++
	}
}
END {
	printf "TM: %d units from the installed nb message catalogues\n", units
	printf "%-9s %7s %9s %9s %9s\n", "edit", "queries", "top-1", "offered", tt ? "tt top-1" : ""
	split("inflect typo drop replace", kinds, " ")
	for (k = 1; k <= 4; k++) {
		kk = kinds[k]
		printf "%-9s %7d %9.3f %9.3f", kk, n[kk], ok[kk] / n[kk], offered[kk] / n[kk]
		if (tt) printf " %9.3f", ttok[kk] / n[kk]
		printf "\n"
	}
	printf "%-9s %7d %9.3f %9s", "all", tot, oktot / tot, ""
	if (tt) printf " %9.3f", ttoktot / tot
	printf "\n"
	printf "  misses: the edited unit under 70: %d (nothing offered: %d); another ranked first: %d\n", below, none, ranked
	printf "top-1 where the best match scores >= 70: %.3f (%d queries)\n", n70 ? ok70 / n70 : 0, n70
	printf "  of these, another unit ties with the edited one: %d, scores higher: %d\n", tie, closer
	printf "  top-1 where the edited unit is the one best match: %.3f (%d queries)\n", u70 ? oku70 / u70 : 0, u70
	printf "joins with a part found: %d/%d; word salads with a match: %d/%d\n", ok["join"], n["join"], falsem, n["salad"]
	if (tt) {
		printf "where the edited unit is >= 70 by translate-toolkit'"'"'s measure (a match exists): tolk top-1 %.3f, translate-toolkit %.3f (%d queries)\n", nex ? okex / nex : 0, nex ? ttokex / nex : 0, nex
		printf "translate-toolkit: top-1 where its best match scores >= 70: %.3f (%d queries)\n", ttn70 ? ttok70 / ttn70 : 0, ttn70
		printf "where both offer a match >= 70: tolk top-1 %.3f, translate-toolkit %.3f (%d queries)\n", both ? tboth / both : 0, both ? ttboth / both : 0, both
		printf "translate-toolkit: joins with a part as its top match: %d/%d; word salads with a match: %d/%d\n", ttok["join"], n["join"], ttfalse, n["salad"]
	}
}'
