#!/bin/sh
# Measures fuzzy lookup on real translation memories, with queries that
# are stored sources with one edit of a known kind (a word inflected, a
# one-letter typo, a word dropped, a word replaced), two units joined,
# and word salads that match nothing.  Prints, per kind, how often the
# right unit is the top match and how often it is offered at all (score
# >= 70).  When python3-translate is installed, translate-toolkit's
# matcher (scripts/eval_tt.py) answers the same queries and its top-1 is
# printed beside tolk's.
#   scripts/eval_lookup.sh BUILD_DIR [QUERIES_PER_KIND [SEED [SET]]]
# SET ui (the default): the TM is the Norwegian (Bokmal) message
# catalogues installed on this machine (/usr/share/locale/nb/LC_MESSAGES,
# read with msgunfmt), nb->en UI strings.
# SET sentences: the TM is every nb-en sentence pair on this machine,
# read at run time (the gold-aligned 1-1 sentences of ../shared/corpus/
# parallel and fixtures/news, the pairs of fixtures/check/*/clean.tsv),
# with the UI strings beside them as distractors; queries are made from
# the sentences only, with one more kind (a number or time changed, `kl.
# 15.30` -> `kl. 14.30`), and one sentence in five has a near-identical
# twin stored (one number or one word changed), so that the right one of
# two close units must come first.
# Another SEED draws another query set from the same TM: a check that a
# change does not only suit the default set.  EVAL_LOOKUP_OPTS adds
# lookup options (--exhaustive, --min-score 60).
set -eu
build=${1:-build}
per=${2:-150}
seed=${3:-20261129}
set_=${4:-ui}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
case $set_ in
ui | sentences) ;;
*)
	echo "eval_lookup: SET is ui or sentences, not '$set_'" >&2
	exit 2
	;;
esac
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
	awk -F'\t' 'NF == 2 && $1 ~ /[^ ]/ && $2 ~ /[^ ]/' >"$tmp/ui.tsv"

# The sources queries are made from (pool.tsv), and the TM (tm.tsv).
if [ "$set_" = ui ]; then
	cp "$tmp/ui.tsv" "$tmp/pool.tsv"
	cp "$tmp/ui.tsv" "$tmp/tm.tsv"
	: >"$tmp/twins.tsv"
	what="units from the installed nb message catalogues"
else
	shared=$repo/../shared
	[ -d "$shared/corpus/parallel" ] || shared=/work/shared
	# nb<TAB>en of each 1-1 bead of a gold alignment: the sentences
	# are the lines of NAME.nb.sent / NAME.en.sent it numbers.
	for g in "$shared"/corpus/parallel/*.gold.tsv \
		$(find "$repo/fixtures/news" -name '*.gold.tsv' | sort); do
		b=${g%.gold.tsv}
		[ -f "$b.nb.sent" ] && [ -f "$b.en.sent" ] || continue
		awk -F'\t' '
			FILENAME == ARGV[1] { nb[FNR] = $0; next }
			FILENAME == ARGV[2] { en[FNR] = $0; next }
			$1 ~ /^[0-9]+$/ && $2 ~ /^[0-9]+$/ { print nb[$1] "\t" en[$2] }
		' "$b.nb.sent" "$b.en.sent" "$g"
	done >"$tmp/sent.tsv"
	find "$repo/fixtures/check" -name clean.tsv | sort | xargs cat >>"$tmp/sent.tsv"
	LC_ALL=C awk -F'\t' 'NF == 2 && $1 ~ /[^ ]/ && $2 ~ /[^ ]/ &&
		!/[\001-\010\013-\037\177]/ && !seen[$1]++' "$tmp/sent.tsv" |
		iconv -f UTF-8 -t UTF-8 -c >"$tmp/pool.tsv"
	# Twins: one sentence in five gets a stored near-copy with one
	# number changed (a digit) or, without a number, one word replaced
	# by another of the corpus; twins.tsv names the originals.
	awk -F'\t' -v seed="$seed" '
	function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
	function ri(n) { return int(rnd() * n) + 1 }
	{ src[NR] = $1; tgt[NR] = $2; seen[$1] = 1; n = split($1, w, " ")
	  for (i = 1; i <= n; i++) if (w[i] ~ /^[a-zæøå][a-zæøå][a-zæøå][a-zæøå]+$/) vocab[++nv] = w[i] }
	END {
		for (u = 1; u <= NR; u++) {
			if (ri(5) != 1) continue
			n = split(src[u], w, " "); nd = 0; nw = 0
			for (i = 1; i <= n; i++) {
				if (w[i] ~ /[0-9]/) d[++nd] = i
				else if (w[i] ~ /^[a-zæøå][a-zæøå][a-zæøå][a-zæøå]+$/) c[++nw] = i
			}
			if (nd > 0) {
				i = d[ri(nd)]; t = w[i]
				do p = ri(length(t)); while (substr(t, p, 1) !~ /[0-9]/)
				x = substr(t, p, 1); y = x
				while (y == x) y = ri(10) - 1
				w[i] = substr(t, 1, p - 1) y substr(t, p + 1)
			} else if (nw > 0) {
				i = c[ri(nw)]; w[i] = vocab[ri(nv)]
			} else continue
			q = w[1]
			for (i = 2; i <= n; i++) q = q " " w[i]
			if (q in seen) continue
			seen[q] = 1
			print q "\t" tgt[u] >"/dev/stderr"
			print src[u]
		}
	}' "$tmp/pool.tsv" >"$tmp/twins.tsv" 2>"$tmp/twinunits.tsv"
	cat "$tmp/pool.tsv" "$tmp/twinunits.tsv" "$tmp/ui.tsv" >"$tmp/tm.tsv"
	what="units: $(wc -l <"$tmp/pool.tsv") nb-en sentences, $(wc -l <"$tmp/twinunits.tsv") twins of them, the rest UI strings"
fi
TOLK_DB="$tmp/tm.db"
export TOLK_DB
"$TOLK" import "$tmp/tm.tsv" >/dev/null 2>"$tmp/imp.err" || {
	cat "$tmp/imp.err" >&2
	exit 1
}
units=$(wc -l <"$tmp/tm.tsv")
kinds="inflect typo drop replace"
maxw=20
sentences=0
if [ "$set_" = sentences ]; then
	sentences=1
	kinds="$kinds number"
	maxw=40
fi

# Queries: KIND<TAB>QUERY<TAB>EXPECTED SOURCE (for joins: the first part).
# A fixed linear congruential generator keeps the set the same with any awk.
awk -F'\t' -v per="$per" -v seed="$seed" -v kindlist="$kinds" -v maxw="$maxw" -v sentences="$sentences" '
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
# Sentences: a typo of any of the four kinds people make (a letter
# replaced, left out, doubled, or two swapped), on ASCII letters only.
function realtypo(w,    k, p, a, b) {
	k = ri(4)
	if (k == 1) return typo(w)
	for (tries2 = 0; tries2 < 20; tries2++) {
		p = ri(length(w) - 2) + 1
		a = substr(w, p, 1); b = substr(w, p + 1, 1)
		if (a !~ /[a-z]/ || b !~ /[a-z]/) continue
		if (k == 2) return substr(w, 1, p - 1) substr(w, p + 1)
		if (k == 3) return substr(w, 1, p) a substr(w, p + 1)
		if (a != b) return substr(w, 1, p - 1) b a substr(w, p + 2)
	}
	return typo(w)
}
# Sentences: another form of the word that the corpus has (the same
# base before one of the common endings), else a made-up one.
function base(w,    i, e) {
	for (i = 1; i <= nsuf; i++) {
		e = suf[i]
		if (length(w) - length(e) >= 4 && substr(w, length(w) - length(e) + 1) == e)
			return substr(w, 1, length(w) - length(e))
	}
	return w
}
function realinflect(w,    b, n, f, i, m, o) {
	b = base(w); n = split(forms[b], f, " "); m = 0
	for (i = 1; i <= n; i++) if (f[i] != w) o[++m] = f[i]
	if (m == 0) return inflect(w)
	return o[ri(m)]
}
BEGIN { nsuf = split("ene ens ets er en et es e s t", suf, " ") }
FILENAME == ARGV[2] { stored[$1] = 1; next }
{ src[++ns] = $1; stored[$1] = 1; nw = split($1, w, " "); words[ns] = nw
  for (i = 1; i <= nw; i++) if (isword(w[i])) {
	vocab[++nv] = w[i]
	if (sentences && !(w[i] in formseen)) {
		formseen[w[i]] = 1; forms[base(w[i])] = forms[base(w[i])] " " w[i]
	}
  } }
END {
	nk = split(kindlist, kinds, " ")
	for (k = 1; k <= nk; k++) {
		kind = kinds[k]; made = 0; tries = 0
		while (made < per && tries < per * 200) {
			tries++
			u = ri(ns); n = split(src[u], w, " ")
			if (n < 3 || n > maxw || used[u]) continue
			# a word that can take the edit
			cand = 0
			for (i = 1; i <= n; i++) {
				if (kind == "number") { if (w[i] ~ /[0-9]/) c[++cand] = i; continue }
				if (kind == "typo" && !(w[i] ~ /^[A-Za-z][a-z][a-z][a-z][a-z]+$/)) continue
				if (kind != "typo" && kind != "drop" && !isword(w[i])) continue
				if (kind != "typo" && length(w[i]) < 4 && kind != "drop") continue
				c[++cand] = i
			}
			if (cand == 0) continue
			i = c[ri(cand)]
			if (kind == "inflect") w[i] = sentences ? realinflect(w[i]) : inflect(w[i])
			else if (kind == "typo") w[i] = sentences ? realtypo(w[i]) : typo(w[i])
			else if (kind == "replace") w[i] = vocab[ri(nv)]
			else if (kind == "number") {
				# one digit changed: 15.30 -> 14.30, 2024 -> 2021
				t = w[i]
				do p = ri(length(t)); while (substr(t, p, 1) !~ /[0-9]/)
				x = substr(t, p, 1); y = x
				while (y == x) y = ri(10) - 1
				w[i] = substr(t, 1, p - 1) y substr(t, p + 1)
			}
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
		a = ri(ns); b = ri(ns)
		if (words[a] < 4 || words[b] < 4 || words[a] > 12 || words[b] > 12) continue
		if (src[a] !~ /[.!?]$/ || src[b] !~ /[.!?]$/) continue
		print "join\t" src[a] " " src[b] "\t" src[a] "\t" src[b]; made++
	}
	for (m = 0; m < per / 3; m++) {
		q = ""
		for (j = 0; j < 7; j++) q = q (q == "" ? "" : " ") vocab[ri(nv)]
		print "salad\t" q "\t"
	}
}' "$tmp/pool.tsv" "$tmp/tm.tsv" >"$tmp/queries.tsv"

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

# Unseen sources: QUERIES_PER_KIND sources of the pool taken out of the
# TM (a TM of its own) and looked up.  Their unit is not there, so any
# match >= 70 offered is another unit: how often a score rise also
# offers a wrong unit, which word salads are too far off to show.
awk -F'\t' -v seed="$seed" -v per="$per" '
function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
FILENAME == ARGV[1] { src[++n] = $1; next }
FNR == 1 {
	seed = (seed + 7919) % 2147483648
	for (k = 0; k < per * 50 && m < per; k++) {
		u = int(rnd() * n) + 1
		if (!(src[u] in out)) { out[src[u]] = 1; m++; print src[u] >"/dev/stderr" }
	}
}
!($1 in out)' "$tmp/pool.tsv" "$tmp/tm.tsv" >"$tmp/tm2.tsv" 2>"$tmp/unseen.txt"
TOLK_DB="$tmp/tm2.db" "$TOLK" import "$tmp/tm2.tsv" >/dev/null 2>"$tmp/imp.err" || {
	cat "$tmp/imp.err" >&2
	exit 1
}
TOLK_DB="$tmp/tm2.db" "$TOLK" lookup ${EVAL_LOOKUP_OPTS:-} --json --limit 1 - \
	<"$tmp/unseen.txt" >"$tmp/unseen.jsonl" || true
unseen=$(awk '{ sub(/"partial":.*/, "") } /"score":[0-9]/ { k++ } END { print k + 0 "/" NR }' "$tmp/unseen.jsonl")
ttunseen=
if [ -n "$tt" ]; then
	awk '{ print "salad\t" $0 "\t" }' "$tmp/unseen.txt" >"$tmp/unseenq.tsv"
	ttunseen=$("$tt" "$here/eval_tt.py" "$tmp/tm2.tsv" "$tmp/unseenq.tsv" |
		awk -F'\t' '$1 != "" { k++ } END { print k + 0 "/" NR }')
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
	awk -F'\t' -v units="$units" -v tt="$tt" -v kindlist="$kinds" -v what="$what" -v unseen="$unseen" -v ttunseen="$ttunseen" '
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
FILENAME == ARGV[1] { twin[$0] = 1; next }
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
	if ($3 in twin) {
		ntw++; if (nm > 0 && msrc[1] == $3) oktw++
		if (tthas && ttsrc == $3) tttw++
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
	printf "TM: %d %s\n", units, what
	printf "%-9s %7s %9s %9s %9s\n", "edit", "queries", "top-1", "offered", tt ? "tt top-1" : ""
	nk = split(kindlist, kinds, " ")
	for (k = 1; k <= nk; k++) {
		kk = kinds[k]
		printf "%-9s %7d %9.3f %9.3f", kk, n[kk], ok[kk] / n[kk], offered[kk] / n[kk]
		if (tt) printf " %9.3f", ttok[kk] / n[kk]
		printf "\n"
	}
	printf "%-9s %7d %9.3f %9s", "all", tot, oktot / tot, ""
	if (tt) printf " %9.3f", ttoktot / tot
	printf "\n"
	if (ntw) {
		printf "  of these, with a near-identical twin stored %7d %9.3f %9s", ntw, oktw / ntw, ""
		if (tt) printf " %9.3f", tttw / ntw
		printf "\n"
	}
	printf "  misses: the edited unit under 70: %d (nothing offered: %d); another ranked first: %d\n", below, none, ranked
	printf "top-1 where the best match scores >= 70: %.3f (%d queries)\n", n70 ? ok70 / n70 : 0, n70
	printf "  of these, another unit ties with the edited one: %d, scores higher: %d\n", tie, closer
	printf "  top-1 where the edited unit is the one best match: %.3f (%d queries)\n", u70 ? oku70 / u70 : 0, u70
	printf "joins with a part found: %d/%d; word salads with a match: %d/%d\n", ok["join"], n["join"], falsem, n["salad"]
	printf "unseen sources (their unit taken out of the TM) offered another unit >= 70: %s", unseen
	if (tt) printf " (translate-toolkit %s)", ttunseen
	printf "\n"
	if (tt) {
		printf "where the edited unit is >= 70 by translate-toolkit'"'"'s measure (a match exists): tolk top-1 %.3f, translate-toolkit %.3f (%d queries)\n", nex ? okex / nex : 0, nex ? ttokex / nex : 0, nex
		printf "translate-toolkit: top-1 where its best match scores >= 70: %.3f (%d queries)\n", ttn70 ? ttok70 / ttn70 : 0, ttn70
		printf "where both offer a match >= 70: tolk top-1 %.3f, translate-toolkit %.3f (%d queries)\n", both ? tboth / both : 0, both ? ttboth / both : 0, both
		printf "translate-toolkit: joins with a part as its top match: %d/%d; word salads with a match: %d/%d\n", ttok["join"], n["join"], ttfalse, n["salad"]
	}
}' "$tmp/twins.tsv" -
