#include "tm/text/align.h"
#include "tm/text/lexicon_int.h"
#include "util/hash.h"
#include "util/number.h"
#include "util/vec.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

/* Bead types with their prior probabilities (Gale & Church's estimates,
 * the 2-1/1-2 mass split evenly).  3-1 and 1-3 get a little of the 1-1
 * mass: a translator who splits one long sentence into three (or joins
 * three) is rare but real, and without them such a place costs two
 * wrong beads.  1-0 and 0-1 have twice Gale & Church's 0.0099, from the
 * 1-1 mass: news translated for foreign readers adds and drops more
 * sentences than their parliamentary texts did, and once the lexicon
 * gives most translated pairs some shared evidence the larger prior no
 * longer splits them. */
static const struct {
	int a, b;
	double prior;
} types[] = {
    {1, 1, 0.865},  {1, 0, 0.02},  {0, 1, 0.02},   {2, 1, 0.0445},
    {1, 2, 0.0445}, {2, 2, 0.011}, {3, 1, 0.0025}, {1, 3, 0.0025},
};
#define MAX_RUN 3 /* most sentences on one side of a bead */
#define NROWS	(MAX_RUN + 1)
#define NTYPES	(sizeof(types) / sizeof(types[0]))

/* Model constants, in nats.  Length: variance per character of the
 * length difference (Gale & Church's s² = 6.8).  Anchors: what one
 * shared anchor is worth, what a number without counterpart costs. */
#define S2	   6.8
#define W_NUM	   2.5 /* a number found on both sides */
#define W_NAME	   1.5 /* an identical name, acronym or long word */
#define W_TERM	   1.5 /* a glossary term and its translation */
#define W_UNUM	   3.0 /* a pairing bead leaves numbers unmatched: below */
#define W_WORD	   1.0 /* a shared word stem (cognate) */
#define W_LEX	   1.5 /* a word and its translation in the lexicon */
#define W_UNAME	   0.5 /* a Norwegian name missing in the English */
#define W_UTERM	   1.0 /* a term whose translation is missing */
#define W_QUEST	   1.5 /* a question on one side only */
#define W_QUOTE	   0.5 /* quotation marks on one side only */
#define P_PARA_END 1.5 /* a bead ends a paragraph on one side only */
#define P_PARA_IN  3.0 /* a bead joins sentences of two paragraphs */

/* A word with a lexicon stem whose translation the other side of a
 * pairing bead lacks.  In the gold 1-1 beads of the news pairs about
 * 55% of such words find their counterpart, against 7% in pairs of
 * neighbouring sentences of similar length: each one left unmatched is
 * evidence against the pair (-log(0.45 / 0.93) = 0.73; taken lower, as
 * the words of a sentence are not independent and a translator's
 * synonym is no evidence of anything).  What this answers is a dropped
 * sentence beside an added one of similar length: without it, two
 * unrelated sentences pair 1-1 at the cost of little more than their
 * names.  Capped per sentence pair, for texts whose vocabulary the
 * lexicon knows badly. */
#define W_ULEX	 0.5
#define CAP_ULEX 3

/* Contradicting evidence: a pairing bead whose sides share no anchor at
 * all although both have lexicon words that could have met.  Of the
 * translated 1-1 pairs, none in the news pairs and 10 of 232 in the
 * shared corpus look like that, against a third of the pairs of
 * neighbouring sentences there and more than half in the news pairs:
 * -log(0.043 / 0.34) = 2.1 nats beyond what each unmatched word costs
 * alone.  Absent evidence (no lexicon word on one side) costs nothing
 * here: translated pairs in prose the lexicon does not cover often
 * share nothing. */
#define W_CONTRA 2.0
/* The more lexicon words a pair has between its sides, the less likely a
 * translation shares none of them.  With five or more, none of the 514
 * translated 1-1 pairs of the news pairs and the shared corpus shares
 * nothing, against 445 of 1177 pairs of neighbouring sentences (0.38):
 * with the Laplace estimate 1/516 for the translated side that is
 * log(0.38 * 516) = 5.3 nats, taken as 5 in all. */
#define W_CONTRA_MANY 5.0
#define CONTRA_MANY   5

/* A sentence only one side has, given away by its anchors: one whose
 * counterpart is in a neighbouring sentence (DISPL_WIN either side), and
 * a bead member sharing nothing beside one that does. */
#define W_DISPL 1.0
/* An English sentence that repeats a content word of the sentence before
 * it: what an added explanation does ("The tax takes a share ..." after
 * the sentence that names the tax).  In news pairs most added sentences
 * do and two thirds of translated ones do not; a 0-1 bead of such a
 * sentence costs this much less. */
#define W_REFER	  0.9
#define W_ORPHAN  2.5
#define DISPL_WIN 2

/* Cognates: words of COGN_MIN letters or more whose first COGN_PREFIX
 * letters agree once Norwegian letters are spelt the English way
 * (parlamentet/parliament, politiet/police, kommisjon/commission).  A
 * prefix is language-independent evidence that many translated words
 * keep; an accidental agreement costs nothing when it finds no partner. */
#define COGN_MIN    5
#define COGN_PREFIX 4

#define RATIO_PRIOR_CHARS 500.0 /* weight of the prior ratio 1 */

#define MAX_CELLS ((size_t)1 << 26) /* band cells: 5 bytes each */

#define MAX_ANCH 48 /* anchors kept per sentence */

enum { A_NUM = 0u, A_NAME = 1u, A_TERM = 2u, A_WORD = 3u, A_LEX = 4u };
#define ANCH(type, h) (((uint32_t)(type) << 29) | ((h)&0x1FFFFFFFu))
#define ANCH_TYPE(x)  ((x) >> 29)

/* Lexicon stems are found as prefixes of words of up to LEX_MAXLEN
 * letters, followed by at most LEX_ENDING letters of ending (kommune in
 * kommunene, injur in injuries); a stem under 3 letters only as the
 * whole word (by, sa). */
#define LEX_MAXLEN 24
#define LEX_ENDING 4

struct feat {
	size_t off; /* anchors in pool[off .. off + n) sorted, unique */
	uint32_t n;
	uint32_t chars;
	unsigned char quest, quote;
	unsigned char refers; /* shares a content word with the one before */
	unsigned char nlex;   /* words that have a lexicon stem */
};

struct side {
	const struct tm_align_sent *s;
	size_t n;
	struct feat *f;
	unsigned char *pb; /* pb[i]: a paragraph starts at i (n + 1) */
};

struct term_index {
	/* open addressing on the first word's hash -> term numbers */
	uint32_t *key;
	size_t *val; /* term index + 1; 0 empty */
	size_t cap;
};

struct ctx {
	struct side nb, en;
	uint32_t *pool;
	size_t npool, cappool;
	double ratio;		  /* en characters per nb character */
	double para_end, para_in; /* paragraph costs for this document */
	double prior_cost[NTYPES];
	/* terms, tokenised: word hashes per side */
	const struct tm_align_opts *opts;
	uint32_t **tw[2];
	size_t *tn[2];
	struct term_index ti[2];
};

/* ---- features ---------------------------------------------------- */

struct word {
	uint32_t h;  /* hash of the case-folded word */
	uint32_t ph; /* hash of its first COGN_PREFIX letters, spelt alike */
	size_t len;  /* code points */
	int upper_first, all_upper, first_in_sentence;
	uint32_t pre[LEX_MAXLEN + 1]; /* pre[k]: hash of the first k */
	uint32_t tail; /* its last three letters if ASCII, a byte each */
};

static int pool_add(struct ctx *x, uint32_t v)
{
	if (TOLK_GROW(x->pool, x->cappool, x->npool + 1, 4096))
		return TOLK_ENOMEM;
	x->pool[x->npool++] = v;
	return 0;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* A case-folded letter as a cognate prefix compares it: Norwegian å, æ,
 * ø and English c (commission/kommisjon, critical/kritisk) meet. */
static UChar32 cogn_letter(UChar32 c)
{
	switch (c) {
	case 'c':
		return 'k';
	case 0xE5: /* å */
	case 0xE6: /* æ */
		return 'a';
	case 0xF8: /* ø */
		return 'o';
	default:
		return c;
	}
}

/* The anchor of a number from its digits (separators dropped, so that
 * 12 000 = 12.000 = 12,000 and 1,5 = 1.5).  A last group of one or two
 * digits after a separator cannot group thousands: it is a fraction (or
 * minutes), whose trailing zeros say nothing: 19.00 = 19:00 = 19 and
 * 1,50 = 1.5. */
static uint32_t number_anchor(const UChar32 *dig, size_t n, size_t last)
{
	uint32_t h = TOLK_FNV32_OFFSET;
	size_t k, end = n;

	if (last > 0 && n - last <= 2) {
		while (end > last && dig[end - 1] == '0')
			end--;
	}
	for (k = 0; k < end; k++)
		h = tolk_fnv32_u32(h, (uint32_t)dig[k]);
	return ANCH(A_NUM, h);
}

/* Numbers written as words, which news style uses up to twelve (sju år,
 * seven years; to barn, two children), are numbers like any other: they
 * anchor against the word or the digits on the other side.  One is left
 * out: en/ett and "one" are also articles and pronouns.  So are
 * ordinals, which a translation turns into or out of a cardinal (nummer
 * tre, third; 11. plass, eleventh).  Left out as well: "first", which
 * also renders the adverb først, and "andre" and "second", which are
 * also other and a unit of time. */
static const struct {
	int lang; /* 0 nb, 1 en */
	const char *word;
	unsigned value;
} num_words[] = {
    {0, "to", 2},	{0, "tre", 3},	    {0, "fire", 4},
    {0, "fem", 5},	{0, "seks", 6},	    {0, "sju", 7},
    {0, "syv", 7},	{0, "åtte", 8},	    {0, "ni", 9},
    {0, "ti", 10},	{0, "elleve", 11},  {0, "tolv", 12},
    {0, "tjue", 20},	{0, "tredje", 3},   {0, "fjerde", 4},
    {0, "femte", 5},	{0, "sjette", 6},   {0, "sjuende", 7},
    {0, "syvende", 7},	{0, "åttende", 8},  {0, "niende", 9},
    {0, "tiende", 10},	{0, "ellevte", 11}, {0, "tolvte", 12},
    {1, "third", 3},	{1, "fourth", 4},   {1, "fifth", 5},
    {1, "sixth", 6},	{1, "seventh", 7},  {1, "eighth", 8},
    {1, "ninth", 9},	{1, "tenth", 10},   {1, "eleventh", 11},
    {1, "twelfth", 12}, {1, "two", 2},	    {1, "three", 3},
    {1, "four", 4},	{1, "five", 5},	    {1, "six", 6},
    {1, "seven", 7},	{1, "eight", 8},    {1, "nine", 9},
    {1, "ten", 10},	{1, "eleven", 11},  {1, "twelve", 12},
    {1, "twenty", 20},
};
#define NUM_WORDS (sizeof(num_words) / sizeof(num_words[0]))
static uint32_t num_word_hash[NUM_WORDS];

/* Hashes the number words as scan hashes words (case-folded code
 * points), once. */
static void num_words_init(void)
{
	size_t k;

	if (num_word_hash[0])
		return;
	for (k = 0; k < NUM_WORDS; k++) {
		const char *w = num_words[k].word;
		int32_t i = 0, n = (int32_t)strlen(w);
		uint32_t h = TOLK_FNV32_OFFSET;

		while (i < n) {
			UChar32 c;

			U8_NEXT(w, i, n, c);
			h = tolk_fnv32_u32(h, (uint32_t)c);
		}
		num_word_hash[k] = h;
	}
}

/* The number anchor of a word of language lang, or 0 if it is none. */
static uint32_t num_word_anchor(int lang, uint32_t h)
{
	size_t k;

	for (k = 0; k < NUM_WORDS; k++) {
		if (num_words[k].lang == lang && num_word_hash[k] == h) {
			UChar32 dig[4];
			size_t nd = 0;
			unsigned v = num_words[k].value;

			if (v >= 10)
				dig[nd++] = '0' + (UChar32)(v / 10);
			dig[nd++] = '0' + (UChar32)(v % 10);
			return number_anchor(dig, nd, 0);
		}
	}
	return 0;
}

/* Walks text of language lang (0 nb, 1 en) calling back for every word
 * (letters) and recording numbers with their separators removed, so that
 * 12 000, 12,000 and 12.000 are one anchor, and 1,5 and 1.5 another. */
typedef int (*word_fn)(void *arg, const struct word *w);

/* The lexicon as two hash tables (Norwegian stems, English stems) of
 * stem hash and length -> the English stem's hash, which is the anchor
 * both sides give: a Norwegian stem with two translations is two
 * entries. */
#define LEX_CAP 2048
static struct lex_slot {
	uint32_t key, val;
	unsigned char len, used;
} lex_tab[2][LEX_CAP];

static uint32_t lex_hash(const char *s, size_t *len)
{
	int32_t i = 0, n = (int32_t)strlen(s);
	uint32_t h = TOLK_FNV32_OFFSET;
	UChar32 c;

	*len = 0;
	while (i < n) {
		U8_NEXT(s, i, n, c);
		h = tolk_fnv32_u32(
		    h, (uint32_t)u_foldCase(c, U_FOLD_CASE_DEFAULT));
		(*len)++;
	}
	return h;
}

static void lex_put(int lang, uint32_t key, size_t len, uint32_t val)
{
	static size_t used[2];
	size_t s = key & (LEX_CAP - 1);

	/* kept at most half full, so that a probe ends soon; the lexicon
	 * is far below that */
	if (used[lang] >= LEX_CAP / 2)
		return;
	while (lex_tab[lang][s].used) {
		if (lex_tab[lang][s].key == key && lex_tab[lang][s].val == val)
			return;
		s = (s + 1) & (LEX_CAP - 1);
	}
	lex_tab[lang][s].key = key;
	lex_tab[lang][s].val = val;
	lex_tab[lang][s].len = (unsigned char)len;
	lex_tab[lang][s].used = 1;
	used[lang]++;
}

static void lex_init(void)
{
	static int done;
	size_t i;

	if (done)
		return;
	for (i = 0; i < tm_lexicon_len; i++) {
		size_t ln, le;
		uint32_t hn = lex_hash(tm_lexicon[i].nb, &ln);
		uint32_t he = lex_hash(tm_lexicon[i].en, &le);

		if (ln <= LEX_MAXLEN)
			lex_put(0, hn, ln, he);
		if (le <= LEX_MAXLEN)
			lex_put(1, he, le, he);
	}
	done = 1;
}

/* Adds the anchors of the lexicon stems of language lang with this hash
 * and length. */
static void lex_probe(int lang, uint32_t key, size_t len, uint32_t *anch,
		      uint32_t *nanch)
{
	size_t s = key & (LEX_CAP - 1);

	for (; lex_tab[lang][s].used; s = (s + 1) & (LEX_CAP - 1)) {
		const struct lex_slot *e = &lex_tab[lang][s];

		if (e->key == key && e->len == len && *nanch < MAX_ANCH)
			anch[(*nanch)++] = ANCH(A_LEX, e->val);
	}
}

#define TAIL_IES (((uint32_t)'i' << 16) | ((uint32_t)'e' << 8) | 's')
#define TAIL_ING (((uint32_t)'i' << 16) | ((uint32_t)'n' << 8) | 'g')

/* Anchors of the lexicon stems that word w begins with. */
static void lex_anchors(int lang, const struct word *w, uint32_t *anch,
			uint32_t *nanch)
{
	size_t k, lo;

	if (w->len > LEX_MAXLEN)
		return;
	lo = w->len > LEX_ENDING ? w->len - LEX_ENDING : 1;
	for (k = w->len; k >= lo && k > 0; k--) {
		if (k < 3 && k != w->len)
			break;
		lex_probe(lang, w->pre[k], k, anch, nanch);
	}
	/* English drops a stem's final e before -ing (come, coming;
	 * close, closing) and turns its final y into -ies (country,
	 * countries), which no prefix finds */
	if (lang == 1 && w->len >= 5 && w->tail == TAIL_ING)
		lex_probe(lang, tolk_fnv32_u32(w->pre[w->len - 3], 'e'),
			  w->len - 2, anch, nanch);
	if (lang == 1 && w->len >= 5 && w->tail == TAIL_IES)
		lex_probe(lang, tolk_fnv32_u32(w->pre[w->len - 3], 'y'),
			  w->len - 2, anch, nanch);
}

static int scan(int lang, const char *t, size_t len, uint32_t *anch,
		uint32_t *nanch, struct feat *f, word_fn on_word, void *arg)
{
	int32_t i = 0, n = (int32_t)len;
	int first = 1;

	f->chars = 0;
	f->quest = f->quote = 0;
	f->nlex = 0;
	while (i < n) {
		int32_t start = i;
		UChar32 c;

		U8_NEXT(t, i, n, c);
		f->chars++;
		if (c == '?')
			f->quest = 1;
		else if (first && (c == 0x2013 || c == 0x2014))
			f->quote = 1; /* a dialogue dash opens direct speech */
		else if (c == '"' || c == 0xAB || c == 0xBB || c == 0x201C ||
			 c == 0x201D || c == 0x201E)
			f->quote = 1;
		if (c >= '0' && c <= '9') {
			UChar32 dig[64];
			size_t nd = 0, last = 0, g, k;
			struct tolk_num num;

			i = (int32_t)tolk_num_at(t, len, (size_t)start,
						 TOLK_NUM_NB, &num);
			for (k = (size_t)start + 1; k < (size_t)i; k++)
				f->chars +=
				    ((unsigned char)t[k] & 0xc0) != 0x80;
			for (g = 0; g < num.ng; g++) {
				if (g > 0)
					last = nd;
				for (k = 0; k < num.glen[g] &&
					    nd < sizeof(dig) / sizeof(*dig);
				     k++)
					dig[nd++] = t[num.goff[g] + k];
			}
			if (*nanch < MAX_ANCH)
				anch[(*nanch)++] = number_anchor(dig, nd, last);
			first = 0;
			continue;
		}
		if (u_isalpha(c)) {
			struct word w = {TOLK_FNV32_OFFSET,
					 TOLK_FNV32_OFFSET,
					 0,
					 0,
					 1,
					 first,
					 {0},
					 0};
			int32_t k = start;

			i = start;
			w.upper_first = u_isupper(c) || u_istitle(c);
			while (i < n) {
				k = i;
				U8_NEXT(t, k, n, c);
				if (!u_isalpha(c) &&
				    !(u_getIntPropertyValue(
					  c, UCHAR_GENERAL_CATEGORY) ==
				      U_NON_SPACING_MARK))
					break;
				if (!u_isupper(c))
					w.all_upper = 0;
				w.h = tolk_fnv32_u32(
				    w.h, (uint32_t)u_foldCase(
					     c, U_FOLD_CASE_DEFAULT));
				if (w.len < COGN_PREFIX)
					w.ph = tolk_fnv32_u32(
					    w.ph,
					    (uint32_t)cogn_letter(u_foldCase(
						c, U_FOLD_CASE_DEFAULT)));
				w.len++;
				if (w.len <= LEX_MAXLEN)
					w.pre[w.len] = w.h;
				{
					UChar32 fc =
					    u_foldCase(c, U_FOLD_CASE_DEFAULT);

					w.tail =
					    ((w.tail << 8) |
					     (fc < 128 ? (uint32_t)fc : 0)) &
					    0xFFFFFFu;
				}
				i = k;
			}
			f->chars += (uint32_t)w.len - 1;
			{
				uint32_t before = *nanch;

				lex_anchors(lang, &w, anch, nanch);
				if (*nanch > before && f->nlex < UCHAR_MAX)
					f->nlex++;
			}
			if (on_word && on_word(arg, &w))
				return TOLK_ENOMEM;
			/* Names and acronyms keep their spelling across the
			 * two languages; so do long loan words. */
			if (w.len >= 2 &&
			    ((w.upper_first &&
			      (!w.first_in_sentence || w.all_upper)) ||
			     w.len >= 6) &&
			    *nanch < MAX_ANCH)
				anch[(*nanch)++] = ANCH(A_NAME, w.h);
			if (w.len >= COGN_MIN && *nanch < MAX_ANCH)
				anch[(*nanch)++] = ANCH(A_WORD, w.ph);
			if (w.len <= 8 && *nanch < MAX_ANCH) {
				uint32_t v = num_word_anchor(lang, w.h);

				if (v)
					anch[(*nanch)++] = v;
			}
			first = 0;
		}
	}
	return 0;
}

struct words {
	uint32_t *h;
	size_t n, cap;
};

static int collect_word(void *arg, const struct word *w)
{
	struct words *ws = arg;

	if (TOLK_GROW(ws->h, ws->cap, ws->n + 1, 16))
		return TOLK_ENOMEM;
	ws->h[ws->n++] = w->h;
	return 0;
}

/* English words too common to tie a sentence to the one before. */
static const char *const stop_words[] = {
    "the",   "and",   "for",	 "was",	   "were",  "with",    "that",
    "this",  "from",  "have",	 "has",	   "had",   "are",     "its",
    "their", "they",  "them",	 "his",	   "her",   "she",     "him",
    "who",   "which", "what",	 "when",   "where", "than",    "then",
    "there", "into",  "about",	 "after",  "over",  "also",    "more",
    "most",  "other", "some",	 "such",   "only",  "been",    "being",
    "will",  "would", "could",	 "should", "said",  "says",    "say",
    "not",   "but",   "all",	 "one",	   "any",   "out",     "can",
    "may",   "our",   "your",	 "you",	   "per",   "new",     "last",
    "year",  "years", "how",	 "why",	   "too",   "very",    "each",
    "these", "those", "between", "under",  "while", "because", "before",
    "now",   "just",  "did",	 "does",   "told",  "two",
};
#define NSTOP (sizeof(stop_words) / sizeof(stop_words[0]))
static uint32_t stop_hash[NSTOP];

static void stop_words_init(void)
{
	size_t k;

	if (stop_hash[0])
		return;
	for (k = 0; k < NSTOP; k++) {
		const char *w = stop_words[k];
		uint32_t h = TOLK_FNV32_OFFSET;

		for (; *w; w++)
			h = tolk_fnv32_u32(h, (uint32_t)(unsigned char)*w);
		stop_hash[k] = h;
	}
}

/* Words of a sentence as build_side collects them: every word when
 * glossary terms are to be matched, and the content words (three letters
 * or more, no stop word) on the English side. */
struct sent_words {
	struct words all, content;
	int terms, lang;
};

static int collect_sent(void *arg, const struct word *w)
{
	struct sent_words *sw = arg;
	size_t k;

	if (sw->terms && collect_word(&sw->all, w))
		return TOLK_ENOMEM;
	if (sw->lang != 1 || w->len < 3)
		return 0;
	for (k = 0; k < NSTOP; k++)
		if (stop_hash[k] == w->h)
			return 0;
	return collect_word(&sw->content, w);
}

/* Whether two sorted hash arrays share a value. */
static int sorted_meet(const uint32_t *a, size_t na, const uint32_t *b,
		       size_t nb2)
{
	size_t p = 0, q = 0;

	while (p < na && q < nb2) {
		if (a[p] == b[q])
			return 1;
		if (a[p] < b[q])
			p++;
		else
			q++;
	}
	return 0;
}

static size_t ti_slot(const struct term_index *ti, uint32_t key)
{
	return (size_t)(key * 2654435761u) & (ti->cap - 1);
}

static int build_terms(struct ctx *x)
{
	const struct tm_align_opts *o = x->opts;
	size_t k, side;

	if (!o || !o->nterms)
		return 0;
	for (side = 0; side < 2; side++) {
		struct term_index *ti = &x->ti[side];

		x->tw[side] = calloc(o->nterms, sizeof(*x->tw[side]));
		x->tn[side] = calloc(o->nterms, sizeof(*x->tn[side]));
		for (ti->cap = 16; ti->cap < 4 * o->nterms; ti->cap *= 2)
			;
		ti->key = calloc(ti->cap, sizeof(*ti->key));
		ti->val = calloc(ti->cap, sizeof(*ti->val));
		if (!x->tw[side] || !x->tn[side] || !ti->key || !ti->val)
			return TOLK_ENOMEM;
		for (k = 0; k < o->nterms; k++) {
			const char *t = side ? o->terms[k].en : o->terms[k].nb;
			struct words ws = {NULL, 0, 0};
			uint32_t dummy[MAX_ANCH], nd = 0;
			struct feat f;
			size_t s;

			if (!t)
				continue;
			if (scan((int)side, t, strlen(t), dummy, &nd, &f,
				 collect_word, &ws)) {
				free(ws.h);
				return TOLK_ENOMEM;
			}
			x->tw[side][k] = ws.h;
			x->tn[side][k] = ws.n;
			if (!ws.n)
				continue;
			/* chain by probing: several terms may share a
			 * first word, each gets its own slot */
			for (s = ti_slot(ti, ws.h[0]); ti->val[s];
			     s = (s + 1) & (ti->cap - 1))
				;
			ti->key[s] = ws.h[0];
			ti->val[s] = k + 1;
		}
	}
	return 0;
}

/* Adds an anchor for every term whose words occur in order in ws. */
static void match_terms(const struct ctx *x, int side, const struct words *ws,
			uint32_t *anch, uint32_t *nanch)
{
	const struct term_index *ti = &x->ti[side];
	size_t p, s;

	if (!ti->cap)
		return;
	for (p = 0; p < ws->n; p++) {
		for (s = ti_slot(ti, ws->h[p]); ti->val[s];
		     s = (s + 1) & (ti->cap - 1)) {
			size_t k = ti->val[s] - 1, q, len = x->tn[side][k];

			if (ti->key[s] != ws->h[p] || p + len > ws->n ||
			    !x->tn[!side][k])
				continue;
			for (q = 1; q < len; q++)
				if (x->tw[side][k][q] != ws->h[p + q])
					break;
			if (q == len && *nanch < MAX_ANCH)
				anch[(*nanch)++] = ANCH(A_TERM, (uint32_t)k);
		}
	}
}

static int build_side(struct ctx *x, struct side *sd, int which)
{
	struct sent_words sw = {{NULL, 0, 0}, {NULL, 0, 0}, 0, which};
	uint32_t *prev = NULL;
	size_t i, nprev = 0, prevcap = 0;
	int rc = 0;

	sw.terms = x->ti[which].cap != 0;

	sd->f = calloc(sd->n + 1, sizeof(*sd->f));
	sd->pb = calloc(sd->n + 1, 1);
	if (!sd->f || !sd->pb)
		return TOLK_ENOMEM;
	for (i = 0; i <= sd->n; i++)
		sd->pb[i] =
		    i == 0 || i == sd->n || sd->s[i].para != sd->s[i - 1].para;
	for (i = 0; i < sd->n; i++) {
		uint32_t anch[MAX_ANCH], na = 0, k;
		struct feat *f = &sd->f[i];

		sw.all.n = sw.content.n = 0;
		if ((rc = scan(which, sd->s[i].text, sd->s[i].len, anch, &na, f,
			       collect_sent, &sw)))
			goto done;
		match_terms(x, which, &sw.all, anch, &na);
		if (sw.content.n) {
			qsort(sw.content.h, sw.content.n, sizeof(uint32_t),
			      cmp_u32);
			f->refers = sorted_meet(prev, nprev, sw.content.h,
						sw.content.n);
		}
		/* the sentence before is this one's words, swapped in */
		{
			uint32_t *t = prev;
			size_t cap = sw.content.cap;

			prev = sw.content.h;
			nprev = sw.content.n;
			sw.content.h = t;
			sw.content.cap = prevcap;
			prevcap = cap;
		}
		qsort(anch, na, sizeof(*anch), cmp_u32);
		f->off = x->npool;
		for (k = 0; k < na; k++) {
			if (k && anch[k] == anch[k - 1])
				continue;
			if ((rc = pool_add(x, anch[k])))
				goto done;
		}
		f->n = (uint32_t)(x->npool - f->off);
	}
done:
	free(sw.all.h);
	free(sw.content.h);
	free(prev);
	return rc;
}

/* ---- bead cost --------------------------------------------------- */

static size_t merge(const uint32_t *a, size_t na, const uint32_t *b, size_t nb2,
		    uint32_t *out)
{
	size_t p = 0, q = 0, n = 0;

	while (p < na || q < nb2) {
		uint32_t v;

		if (q >= nb2 || (p < na && a[p] < b[q]))
			v = a[p++];
		else if (p >= na || b[q] < a[p])
			v = b[q++];
		else {
			v = a[p++];
			q++;
		}
		out[n++] = v;
	}
	return n;
}

/* Sorted union of the anchors of cnt sentences from i. */
/* Sorted union of the anchors of cnt sentences from i: the pool's own
 * array for one sentence, else merged into buf. */
static const uint32_t *gather(const struct ctx *x, const struct side *sd,
			      size_t i, int cnt, uint32_t *buf, size_t *n)
{
	uint32_t tmp[MAX_RUN * MAX_ANCH];
	int k;

	*n = 0;
	if (cnt == 0)
		return buf;
	if (cnt == 1) {
		/* the pool is NULL when no sentence has anchors */
		*n = sd->f[i].n;
		return *n ? x->pool + sd->f[i].off : buf;
	}
	for (k = 0; k < cnt; k++) {
		const struct feat *f = &sd->f[i + (size_t)k];

		if (!f->n)
			continue;
		memcpy(tmp, buf, *n * sizeof(*buf));
		*n = merge(tmp, *n, x->pool + f->off, f->n, buf);
	}
	return buf;
}

/* -log of the two-sided tail 2(1 - Phi(d)) = erfc(d / sqrt 2), tabled:
 * it is asked for millions of times with d in a small range. */
#define LEN_STEP  0.01
#define LEN_STEPS 3800 /* steps of LEN_STEP: up to 38 */
static double len_table[LEN_STEPS + 2];

static void len_table_init(void)
{
	size_t k, n = sizeof(len_table) / sizeof(len_table[0]);

	if (len_table[n - 1] > 0)
		return;
	for (k = 0; k < n; k++) {
		double pr = erfc((double)k * LEN_STEP / M_SQRT2);

		len_table[k] = pr > 1e-300 ? -log(pr) : 690;
	}
}

static double len_cost(double d)
{
	double pos = fabs(d) / LEN_STEP, fr;
	size_t k;

	if (pos >= LEN_STEPS)
		return len_table[LEN_STEPS];
	k = (size_t)pos;
	fr = pos - (double)k;
	return len_table[k] + fr * (len_table[k + 1] - len_table[k]);
}

static int has_anchor(const uint32_t *v, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid] < key)
			lo = mid + 1;
		else if (v[mid] > key)
			hi = mid;
		else
			return 1;
	}
	return 0;
}

/* Whether key is an anchor of a sentence of sd within DISPL_WIN of the
 * run [i, i + cnt), outside it. */
static int near_run(const struct ctx *x, const struct side *sd, size_t i,
		    size_t cnt, uint32_t key)
{
	size_t k, lo = i > DISPL_WIN ? i - DISPL_WIN : 0;
	size_t hi = i + cnt + DISPL_WIN < sd->n ? i + cnt + DISPL_WIN : sd->n;

	for (k = lo; k < hi; k++) {
		if (k >= i && k < i + cnt)
			continue;
		if (sd->f[k].n &&
		    has_anchor(x->pool + sd->f[k].off, sd->f[k].n, key))
			return 1;
	}
	return 0;
}

/* Anchors a pairing bead leaves unmatched that the other side has in a
 * sentence just before or after the bead (at most 3): the counterpart
 * sits next door, so the bead cuts the texts in the wrong place.  This
 * is what gives away a sentence the translator added to explain a name
 * of the sentence before: paired with the next source sentence, its
 * name has its counterpart one sentence back. */
static int displaced(const struct ctx *x, size_t i, int a, size_t j, int b,
		     const uint32_t *an, size_t nn, const uint32_t *ae,
		     size_t ne)
{
	size_t p = 0, q = 0;
	int d = 0;

	while ((p < nn || q < ne) && d < 3) {
		if (q >= ne || (p < nn && an[p] < ae[q])) {
			if (ANCH_TYPE(an[p]) != A_WORD &&
			    ANCH_TYPE(an[p]) != A_LEX)
				d += near_run(x, &x->en, j, (size_t)b, an[p]);
			p++;
		} else if (p >= nn || ae[q] < an[p]) {
			if (ANCH_TYPE(ae[q]) != A_WORD &&
			    ANCH_TYPE(ae[q]) != A_LEX)
				d += near_run(x, &x->nb, i, (size_t)a, ae[q]);
			q++;
		} else {
			p++;
			q++;
		}
	}
	return d;
}

/* Members of a multi-sentence run that have anchors but share none with
 * the other side of the bead, while another member does share: such a
 * member is more likely a sentence the other side does not have than
 * half of a split or join.  Names, numbers and terms decide that; lexicon
 * words too when lex is set (2-2 beads), where a member whose anchors of
 * every kind find nothing is also lone: a 2-2 stands for two pairs that
 * cross, and without this a dropped and an added sentence beside a
 * translated pair that shares only lexicon words join it as a 2-2 for
 * less than their 1-0 and 0-1 would cost.  Not in 2-1 and 1-2 beads:
 * there the shorter half of a join often shares no lexicon word with the
 * translation (the shared corpus's jonah loses true joins that way). */
static int orphans(const struct ctx *x, const struct side *sd, size_t i,
		   int cnt, const uint32_t *other, size_t nother, int lex)
{
	int k, lone = 0, shared = 0, met = 0;
	unsigned char lone_of[MAX_RUN] = {0}, bare_of[MAX_RUN] = {0};

	for (k = 0; k < cnt; k++) {
		const struct feat *f = &sd->f[i + (size_t)k];
		uint32_t m, hit = 0, own = 0, lhit = 0, lown = 0;

		for (m = 0; m < f->n; m++) {
			uint32_t v = x->pool[f->off + m];
			int found;

			if (ANCH_TYPE(v) == A_WORD)
				continue;
			found = has_anchor(other, nother, v);
			if (ANCH_TYPE(v) == A_LEX) {
				lown = 1;
				lhit |= (uint32_t)found;
				continue;
			}
			own = 1;
			hit |= (uint32_t)found;
		}
		if (hit)
			shared = 1;
		else if (own)
			lone_of[k] = 1;
		if (hit || lhit)
			met = 1;
		else if (own || lown)
			bare_of[k] = 1;
	}
	for (k = 0; k < cnt; k++)
		if ((shared && lone_of[k]) || (lex && met && bare_of[k]))
			lone++;
	return lone;
}

static double bead_cost(const struct ctx *x, size_t i, size_t j, size_t t)
{
	int a = types[t].a, b = types[t].b, k;
	double cost = x->prior_cost[t], l1 = 0, l2 = 0;
	uint32_t bn[MAX_RUN * MAX_ANCH], be[MAX_RUN * MAX_ANCH];
	const uint32_t *an, *ae;
	size_t nn, ne, p = 0, q = 0;
	int mnum = 0, mname = 0, mterm = 0, mword = 0, mlex = 0, unum = 0;
	int uname = 0;
	int uterm = 0;
	int qn = 0, qe = 0, on = 0, oe = 0, lwn = 0, lwe = 0;

	for (k = 0; k < a; k++) {
		lwn += x->nb.f[i + k].nlex;
		l1 += x->nb.f[i + k].chars;
		qn |= x->nb.f[i + k].quest;
		on |= x->nb.f[i + k].quote;
	}
	for (k = 0; k < b; k++) {
		lwe += x->en.f[j + k].nlex;
		l2 += x->en.f[j + k].chars;
		qe |= x->en.f[j + k].quest;
		oe |= x->en.f[j + k].quote;
	}
	if (a && b) {
		double mean = (l1 + l2 / x->ratio) / 2 + 1;
		double d = (l2 - l1 * x->ratio) / sqrt(S2 * mean);
		cost += len_cost(d);
		/* A paragraph that ends on one side only, checked half at
		 * the start and half at the end of each pairing bead: along
		 * 1-1 beads that is the full cost once, and a sentence left
		 * out beside a paragraph end costs the same half whether it
		 * opens the next paragraph or closes the one before, where
		 * an added explanation usually sits.  The text's own start
		 * and end are no evidence: both sides have them. */
		if (i > 0 && j > 0 && x->nb.pb[i] != x->en.pb[j])
			cost += x->para_end / 2;
		if (i + a < x->nb.n && j + b < x->en.n &&
		    x->nb.pb[i + a] != x->en.pb[j + b])
			cost += x->para_end / 2;
	}
	for (k = 1; k < a; k++)
		if (x->nb.pb[i + (size_t)k])
			cost += x->para_in;
	for (k = 1; k < b; k++)
		if (x->en.pb[j + (size_t)k])
			cost += x->para_in;
	an = gather(x, &x->nb, i, a, bn, &nn);
	ae = gather(x, &x->en, j, b, be, &ne);
	while (p < nn || q < ne) {
		if (q >= ne || (p < nn && an[p] < ae[q])) {
			unum += ANCH_TYPE(an[p]) == A_NUM;
			uname += ANCH_TYPE(an[p]) == A_NAME;
			uterm += ANCH_TYPE(an[p]) == A_TERM;
			p++;
		} else if (p >= nn || ae[q] < an[p]) {
			/* English capitalises more (days, nationalities):
			 * its unmatched names say little */
			unum += ANCH_TYPE(ae[q]) == A_NUM;
			uterm += ANCH_TYPE(ae[q]) == A_TERM;
			q++;
		} else {
			switch (ANCH_TYPE(an[p])) {
			case A_NUM:
				mnum++;
				break;
			case A_NAME:
				mname++;
				break;
			case A_TERM:
				mterm++;
				break;
			case A_LEX:
				mlex++;
				break;
			default:
				mword++;
			}
			p++;
			q++;
		}
	}
	cost -= W_NUM * mnum + W_NAME * mname + W_TERM * mterm +
		W_WORD * mword + W_LEX * mlex;
	if (!a && x->en.f[j].refers)
		cost -= W_REFER;
	/* What one side has and the other lacks speaks against a bead only
	 * when it pairs sentences: a sentence left out is expected to keep
	 * its numbers and questions to itself. */
	if (a && b) {
		/* Numbers rarely lose their counterpart in translation: in
		 * the gold beads of the news pairs and the shared corpus, 6
		 * of 378 translated 1-1 pairs leave one unmatched, against
		 * 312 of 686 pairs of neighbouring sentences, odds of about
		 * 28 to 1.  A second unmatched number changes the odds
		 * little, so a bead pays once. */
		cost += unum ? W_UNUM : 0;
		{
			/* up to 3 per sentence pair the bead holds: a 2-2
			 * must not pay less for its unmatched names than the
			 * two 1-1 beads it may stand for */
			int cap = 3 * (a < b ? a : b), ulex;

			cost += W_UNAME * (uname > cap ? cap : uname);
			cost += W_UTERM * (uterm > cap ? cap : uterm);
			/* words, not anchors: a Norwegian word with two
			 * translations gives two anchors, one of which is
			 * bound to stay unmatched */
			ulex = (lwn > mlex ? lwn - mlex : 0) +
			       (lwe > mlex ? lwe - mlex : 0);
			cap = CAP_ULEX * (a < b ? a : b);
			cost += W_ULEX * (ulex > cap ? cap : ulex);
			if (mnum + mname + mterm + mword + mlex == 0 &&
			    lwn > 0 && lwe > 0)
				cost += lwn + lwe >= CONTRA_MANY ? W_CONTRA_MANY
								 : W_CONTRA;
		}
		if (qn != qe)
			cost += W_QUEST;
		if (on != oe)
			cost += W_QUOTE;
		cost += W_DISPL * displaced(x, i, a, j, b, an, nn, ae, ne);
		if (a > 1 || b > 1)
			cost +=
			    W_ORPHAN *
			    (orphans(x, &x->nb, i, a, ae, ne, a > 1 && b > 1) +
			     orphans(x, &x->en, j, b, an, nn, a > 1 && b > 1));
	}
	return cost;
}

/* ---- banded forward-backward ----------------------------------- */

/* The band: row i holds en positions lo[i]..hi[i], stored from off[i]
 * in the full tables.  Each row is centred where the best partial path
 * of the row before ended, one step on: the band follows the alignment
 * wherever omissions and joins take it, so its width, and with it time
 * and memory per sentence, stays constant however long the text. */
struct band {
	size_t n, m, w;
	size_t *lo, *hi, *off;
	/* forward sums are kept as floats relative to their row's largest
	 * (aoff[i]): absolute sums grow with the text beyond float's reach */
	double *aoff, *arow;
	size_t width; /* stride of the rolling rows: the widest row */
	size_t cap;   /* cells the full tables can hold */
	double step;  /* en sentences per nb sentence */
};

static size_t lo_of(const struct band *bd, size_t i)
{
	return bd->lo[i];
}

static size_t hi_of(const struct band *bd, size_t i)
{
	return bd->hi[i];
}

static void band_release(struct band *bd)
{
	free(bd->lo);
	free(bd->hi);
	free(bd->off);
	free(bd->aoff);
	free(bd->arow);
	bd->lo = bd->hi = bd->off = NULL;
	bd->aoff = bd->arow = NULL;
}

static int band_setup(struct band *bd)
{
	band_release(bd);
	bd->lo = malloc((bd->n + 1) * sizeof(*bd->lo));
	bd->hi = malloc((bd->n + 1) * sizeof(*bd->hi));
	bd->off = malloc((bd->n + 2) * sizeof(*bd->off));
	bd->aoff = malloc((bd->n + 1) * sizeof(*bd->aoff));
	bd->arow = malloc((bd->m + 1) * sizeof(*bd->arow));
	if (!bd->lo || !bd->hi || !bd->off || !bd->aoff || !bd->arow)
		return TOLK_ENOMEM;
	/* the last row may have to stretch to m */
	bd->width = bd->m + 1;
	/* rows are 2w+1 wide but for jumps (their widths add up to at most
	 * m + n + 1) and the last row (at most m + 1) */
	bd->cap = (bd->n + 1) * (2 * bd->w + 2) + 2 * (bd->m + 1);
	bd->step = bd->n ? (double)bd->m / (double)bd->n : 1;
	return 0;
}

/* Places row i of the band around centre c; TOLK_EINTERNAL if the
 * tables would overflow (which the bound in band_setup rules out). */
static int band_row(struct band *bd, size_t i, size_t c)
{
	size_t lo, hi;

	if (c > bd->m)
		c = bd->m;
	lo = c > bd->w ? c - bd->w : 0;
	if (i > 0 && lo < bd->lo[i - 1])
		lo = bd->lo[i - 1]; /* paths never go back */
	if (i > 0 && lo > bd->hi[i - 1])
		lo = bd->hi[i - 1]; /* nor jump: rows must touch */
	hi = c + bd->w < bd->m ? c + bd->w : bd->m;
	if (i == bd->n)
		hi = bd->m; /* the path ends at (n, m) */
	if (hi < lo)
		hi = lo;
	bd->lo[i] = lo;
	bd->hi[i] = hi;
	if (i == 0)
		bd->off[0] = 0;
	bd->off[i + 1] = bd->off[i] + (hi - lo + 1);
	return bd->off[i + 1] > bd->cap ? TOLK_EINTERNAL : 0;
}

static double logadd(double a, double b)
{
	if (a == -INFINITY)
		return b;
	if (b == -INFINITY)
		return a;
	/* beyond 40 nats the smaller term is below double precision */
	if (a - b > 40)
		return a;
	if (b - a > 40)
		return b;
	return a > b ? a + log1p(exp(b - a)) : b + log1p(exp(a - b));
}

struct path_bead {
	size_t i, j, t;
};

/* One banded pass: Viterbi (with back-pointers) and forward sums.  Returns
 * 1 when the best path touches an edge of the band that is not the edge
 * of the table. */
static void store_alpha_row(struct band *bd, size_t i, float *alpha)
{
	size_t k, w = bd->hi[i] - bd->lo[i] + 1;
	double top = -INFINITY;

	for (k = 0; k < w; k++)
		if (bd->arow[k] > top)
			top = bd->arow[k];
	if (top == -INFINITY)
		top = 0;
	bd->aoff[i] = top;
	for (k = 0; k < w; k++)
		alpha[bd->off[i] + k] = (float)(bd->arow[k] - top);
}

static int forward(const struct ctx *x, struct band *bd, unsigned char *bp,
		   float *alpha, double *vrows, struct path_bead **path,
		   size_t *npath, int *rc)
{
	size_t i, j, t, n = bd->n, m = bd->m, W = bd->width;
	size_t pi, pj, cnt = 0, argbest = 0;
	struct path_bead *pb = NULL;
	int touched = 0;

	*rc = 0;
	for (i = 0; i <= n; i++) {
		size_t lo, hi;
		double *vr = vrows + (i % NROWS) * W, rowbest = INFINITY;

		if (band_row(bd, i,
			     i ? argbest + (size_t)(bd->step + 0.5) : 0)) {
			*rc = TOLK_EINTERNAL;
			return 0;
		}
		lo = lo_of(bd, i);
		hi = hi_of(bd, i);

		for (j = lo; j <= hi; j++) {
			double best = INFINITY, acc = -INFINITY;
			unsigned char bt = 255;

			if (i == 0 && j == 0) {
				vr[0] = 0;
				bd->arow[0] = 0;
				bp[0] = 255;
				rowbest = 0;
				argbest = 0;
				continue;
			}
			for (t = 0; t < NTYPES; t++) {
				size_t a = (size_t)types[t].a;
				size_t b = (size_t)types[t].b;
				size_t plo, phi;
				double c, v, pa;

				if (a > i || b > j)
					continue;
				pi = i - a;
				pj = j - b;
				plo = lo_of(bd, pi);
				phi = hi_of(bd, pi);
				if (pj < plo || pj > phi)
					continue;
				v = vrows[(pi % NROWS) * W + (pj - plo)];
				/* this row's sums are not stored yet */
				pa = pi == i ? bd->arow[pj - plo]
					     : alpha[bd->off[pi] + (pj - plo)] +
						   bd->aoff[pi];
				if (v == INFINITY)
					continue;
				c = bead_cost(x, pi, pj, t);
				if (v + c < best) {
					best = v + c;
					bt = (unsigned char)t;
				}
				acc = logadd(acc, pa - c);
			}
			vr[j - lo] = best;
			if (best < rowbest) {
				rowbest = best;
				argbest = j;
			}
			bd->arow[j - lo] = acc;
			bp[bd->off[i] + (j - lo)] = bt;
		}
		store_alpha_row(bd, i, alpha);
	}
	/* back-trace from (n, m) */
	i = n;
	j = m;
	while (i > 0 || j > 0) {
		size_t lo = lo_of(bd, i), hi = hi_of(bd, i);
		unsigned char bt = bp[bd->off[i] + (j - lo)];

		if (bt == 255) {
			*rc = TOLK_EINTERNAL;
			break;
		}
		if ((j == lo && lo > 0) || (j == hi && hi < m))
			touched = 1;
		cnt++;
		i -= (size_t)types[bt].a;
		j -= (size_t)types[bt].b;
	}
	if (*rc)
		return 0;
	pb = malloc((cnt + 1) * sizeof(*pb));
	if (!pb) {
		*rc = TOLK_ENOMEM;
		return 0;
	}
	i = n;
	j = m;
	*npath = cnt;
	while (i > 0 || j > 0) {
		unsigned char bt = bp[bd->off[i] + (j - lo_of(bd, i))];

		i -= (size_t)types[bt].a;
		j -= (size_t)types[bt].b;
		cnt--;
		pb[cnt].i = i;
		pb[cnt].j = j;
		pb[cnt].t = bt;
	}
	*path = pb;
	return touched;
}

/* Backward sums, row by row from the end, with the posterior of every
 * path bead taken as soon as the rows it needs are there. */
static void backward(const struct ctx *x, const struct band *bd,
		     const float *alpha, double *brows,
		     const struct path_bead *path, size_t npath,
		     struct tm_bead *out)
{
	size_t i, t, n = bd->n, W = bd->width, k = npath;
	double z = alpha[bd->off[n] + (bd->m - lo_of(bd, n))] + bd->aoff[n];

	for (i = n + 1; i-- > 0;) {
		size_t lo = lo_of(bd, i), hi = hi_of(bd, i), j;
		double *br = brows + (i % NROWS) * W;

		for (j = hi + 1; j-- > lo;) {
			double acc = -INFINITY;

			if (i == n && j == bd->m) {
				br[j - lo] = 0;
				continue;
			}
			for (t = 0; t < NTYPES; t++) {
				size_t ni = i + (size_t)types[t].a;
				size_t nj = j + (size_t)types[t].b;
				size_t nlo, nhi;

				if (ni > n || nj > bd->m)
					continue;
				nlo = lo_of(bd, ni);
				nhi = hi_of(bd, ni);
				if (nj < nlo || nj > nhi)
					continue;
				acc = logadd(
				    acc, brows[(ni % NROWS) * W + (nj - nlo)] -
					     bead_cost(x, i, j, t));
			}
			br[j - lo] = acc;
		}
		while (k > 0 && path[k - 1].i == i) {
			const struct path_bead *p = &path[k - 1];
			size_t ni = i + (size_t)types[p->t].a;
			size_t nj = p->j + (size_t)types[p->t].b;
			double post =
			    alpha[bd->off[i] + (p->j - lo)] + bd->aoff[i] -
			    bead_cost(x, i, p->j, p->t) +
			    brows[(ni % NROWS) * W + (nj - lo_of(bd, ni))] - z;

			k--;
			post = exp(post);
			out[k].confidence = post > 1 ? 1 : post < 0 ? 0 : post;
		}
	}
}

static void ctx_release(struct ctx *x)
{
	size_t s, k;

	free(x->nb.f);
	free(x->nb.pb);
	free(x->en.f);
	free(x->en.pb);
	free(x->pool);
	for (s = 0; s < 2; s++) {
		if (x->tw[s])
			for (k = 0; k < x->opts->nterms; k++)
				free(x->tw[s][k]);
		free(x->tw[s]);
		free(x->tn[s]);
		free(x->ti[s].key);
		free(x->ti[s].val);
	}
}

/* Paragraph ends are evidence, not walls.  A bead that ends a paragraph
 * on one side only costs -log of the odds that a paragraph end is lost,
 * estimated from the two paragraph counts: a translation that merges or
 * splits many paragraphs makes a paragraph end weak evidence of a bead
 * end.  Kept between P_PARA_END (every paragraph kept) and 0 (half of
 * them lost); joining two paragraphs in a bead scales alike. */
static void para_costs(struct ctx *x)
{
	double pn = 0, pe = 0, lost, c;
	size_t i;

	for (i = 1; i < x->nb.n; i++)
		pn += x->nb.pb[i];
	for (i = 1; i < x->en.n; i++)
		pe += x->en.pb[i];
	lost = pn + pe > 0 ? fabs(pn - pe) / (pn > pe ? pn : pe) : 0;
	c = lost > 0 ? log((1 - lost) / lost) : P_PARA_END;
	if (c > P_PARA_END || lost <= 0)
		c = P_PARA_END;
	if (c < 0)
		c = 0;
	x->para_end = c;
	x->para_in = P_PARA_IN * c / P_PARA_END;
}

int tm_align_run(const struct tm_align_sent *nb, size_t n_nb,
		 const struct tm_align_sent *en, size_t n_en,
		 const struct tm_align_opts *opts, struct tm_bead **out,
		 size_t *nbeads, struct tolk_err *err)
{
	struct ctx x;
	struct band bd = {0, 0, 0, NULL, NULL, NULL, NULL, NULL, 0, 0, 0};
	struct path_bead *path = NULL;
	struct tm_bead *beads = NULL;
	unsigned char *bp = NULL;
	float *alpha = NULL;
	double *rows = NULL, cn = 0, ce = 0;
	size_t i, npath = 0;
	int rc = 0, reestimated = 0;

	*out = NULL;
	*nbeads = 0;
	memset(&x, 0, sizeof(x));
	x.opts = opts;
	x.nb.s = nb;
	x.nb.n = n_nb;
	x.en.s = en;
	x.en.n = n_en;
	for (i = 0; i < NTYPES; i++)
		x.prior_cost[i] = -log(types[i].prior);
	len_table_init();
	num_words_init();
	stop_words_init();
	lex_init();
	if ((rc = build_terms(&x)) || (rc = build_side(&x, &x.nb, 0)) ||
	    (rc = build_side(&x, &x.en, 1)))
		goto nomem;
	for (i = 0; i < n_nb; i++)
		cn += x.nb.f[i].chars;
	for (i = 0; i < n_en; i++)
		ce += x.en.f[i].chars;
	/* The document's own length ratio (translations run longer or
	 * shorter by a steady factor), drawn towards 1 for short texts,
	 * where a left-out sentence would skew it. */
	x.ratio = (ce + RATIO_PRIOR_CHARS) / (cn + RATIO_PRIOR_CHARS);
	para_costs(&x);

	bd.n = n_nb;
	bd.m = n_en;
	bd.w = opts && opts->band ? opts->band : 24;
	if (n_nb == 0 || n_en == 0) {
		size_t k = n_nb + n_en;

		beads = calloc(k + 1, sizeof(*beads));
		if (!beads)
			goto nomem;
		for (i = 0; i < k; i++) {
			beads[i].nb_first = n_nb ? i : 0;
			beads[i].nb_count = n_nb ? 1 : 0;
			beads[i].en_first = n_en ? i : 0;
			beads[i].en_count = n_en ? 1 : 0;
			beads[i].confidence = 1.0;
		}
		*out = beads;
		*nbeads = k;
		goto done;
	}
	for (;;) {
		int touched;
		double pn = 0, pe = 0, r;

		if (bd.w > bd.m)
			bd.w = bd.m;
		if (band_setup(&bd))
			goto nomem;
		free(bp);
		free(alpha);
		free(rows);
		free(path);
		path = NULL;
		bp = malloc(bd.cap);
		alpha = malloc(bd.cap * sizeof(*alpha));
		rows = malloc(NROWS * bd.width * sizeof(*rows));
		if (!bp || !alpha || !rows)
			goto nomem;
		touched = forward(&x, &bd, bp, alpha, rows, &path, &npath, &rc);
		if (rc == TOLK_ENOMEM)
			goto nomem;
		if (rc) {
			rc = tolk_err_set(err, TOLK_EINTERNAL,
					  "aligner found no path");
			goto done;
		}
		/* widen while the path runs along the edge, within a memory
		 * budget: past it the path found in the band stands */
		if (touched && bd.w < bd.m &&
		    (n_nb + 1) * (4 * bd.w + 2) <= MAX_CELLS) {
			bd.w *= 2;
			continue;
		}
		if (reestimated)
			break;
		/* Once: measure the ratio again on the sentences that found
		 * a counterpart, which leaves out what only one side has,
		 * and search again if it moved. */
		reestimated = 1;
		for (i = 0; i < npath; i++) {
			size_t k, a = (size_t)types[path[i].t].a;
			size_t b = (size_t)types[path[i].t].b;

			if (!a || !b)
				continue;
			for (k = 0; k < a; k++)
				pn += x.nb.f[path[i].i + k].chars;
			for (k = 0; k < b; k++)
				pe += x.en.f[path[i].j + k].chars;
		}
		r = (pe + RATIO_PRIOR_CHARS) / (pn + RATIO_PRIOR_CHARS);
		if (fabs(r / x.ratio - 1) < 0.02)
			break;
		x.ratio = r;
	}
	beads = calloc(npath + 1, sizeof(*beads));
	if (!beads)
		goto nomem;
	for (i = 0; i < npath; i++) {
		beads[i].nb_first = path[i].i;
		beads[i].nb_count = (size_t)types[path[i].t].a;
		beads[i].en_first = path[i].j;
		beads[i].en_count = (size_t)types[path[i].t].b;
	}
	backward(&x, &bd, alpha, rows, path, npath, beads);
	*out = beads;
	*nbeads = npath;
	goto done;
nomem:
	free(beads);
	rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
done:
	free(bp);
	free(alpha);
	free(rows);
	free(path);
	band_release(&bd);
	ctx_release(&x);
	return rc;
}
