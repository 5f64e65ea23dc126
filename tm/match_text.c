/* Tokens, scores, word diffs and placeable adaptation of the matcher.
 *
 * THE SCORE (0-100) of a stored source S as a match for a query Q:
 *
 *   Tokens come from ICU's word break iterator over the text: words,
 *   numbers (Norwegian "12 000" and "1,5" are one number each), inline
 *   tags and placeholders ("<b>", "{0}", "%s") and punctuation.  Words
 *   and numbers are the content tokens, and so are placeholders (printf
 *   and brace ones: "%s", "{0}"), which stand for a word or number of the
 *   text; markup ("<b>") only formats it.
 *
 *   1. Same text (every token identical in its NFC form, white space in
 *      the same places, its amount and kind aside): 100.
 *   2. D = word-level Levenshtein distance between the content tokens of
 *      Q and S: inserting or deleting a token costs 1, replacing one 1
 *      less what the two words share (mt_word_cost, in tenths: 0.2 for
 *      diacritics, 0.3 for one stem, 0.5 for a one-letter typo); two
 *      words are the same token when they are equal after NFC and case
 *      folding, two numbers always are (a placeable).  Among alignments
 *      with the least D the one with the least minor penalty is taken:
 *          case  1 per aligned word pair that differs only in case
 *          num   2 per aligned number pair with different values
 *      Placeholders align with each other wherever they stand: each one
 *      of Q or S beyond the other's count adds 1 to D (their order and
 *      forms are step 3's).
 *   3. punct = Levenshtein distance between the punctuation tokens alone,
 *      tags = the same between the inline tags alone (1 per edit).
 *   4. C = max(content tokens of Q, content tokens of S), and
 *          base  = floor(100 * (C - D) / C)    (100 when C = 0)
 *          W     = min(99, max(0, base - case - num - punct - tags))
 *
 *   5. When the texts share a word (D < C), the character-level
 *      similarity Ch = floor(100 * (L - d) / L), d the Levenshtein
 *      distance in code points between the texts from their first token
 *      to their last and L the longer one's length, may raise the score
 *      by at most lift = min(MT_CHAR_LIFT = 15, floor(50 / C)), half a
 *      word's worth, for C <= MT_CHAR_MAX_TOKENS = 4 (0 beyond): score =
 * min(99, max(W, min(Ch, W + lift))) with W the score of step 4.  One word of
 * three is 33 points, however short; the characters tell how much of the text
 * it is.
 *
 *   So a match differing only in one number scores 98, only in case or one
 *   punctuation mark 99, never 100; the score is symmetric and does not
 *   rise when a word the texts share is replaced or dropped (D/C grows
 *   with each content edit since D <= C, and the penalties only add; so
 *   does d/L, since d <= L, and the cap follows W).  A word that already
 *   differs replaced by one closer in its letters may score higher: the
 *   characters are meant to see that.
 *
 *   The index bound (tm/match.c) follows from steps 4 and 5: a score >= M
 *   needs W >= M' = M - lift(C) (word_min), so base >= M', and
 *   since D >= C - sum over aligned pairs of (1 - their cost),
 *   100 * that sum >= M' * C, each pair earning 1 if equal, at most 0.8
 *   if similar (found through a stem or typo key); also D >= |Cq - Cs|,
 *   so 100 * min(Cq, Cs) >= M' * max(Cq, Cs).  Placeholders are counted
 *   with the numbers (nnums): the bound lets min(numbers and placeholders
 *   of Q, of S) match for free, at least what the score lets them earn.
 *   A similar pair lowers D by less than an equal one, and every cost is
 *   symmetric, so the score stays symmetric and never rises with another
 *   edit. */
#include "tm/match_int.h"
#include "tm/match_tok_int.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/number.h"
#include "util/vec.h"

#include <libstemmer.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

/* Longer segments are cut: the scorer's penalties must stay below BIG. */
#define MT_MAX_TOKENS 4000
#define BIG	      ((int64_t)1 << 20)
#define PEN_CASE      1
#define PEN_NUM	      2

struct span {
	int32_t start, end;
	uint64_t h;
};

/* word_keys' answers for words met before (WMEMO_SLOTS, direct-mapped):
 * texts draw their words from a vocabulary where a few are very common,
 * so most words of an import's texts were met a few texts ago, and their
 * folding, normalisation and Snowball stem (a third of the indexing
 * thread's time) are a copy.  The key is the word's UTF-8 (each UTF-16
 * unit encoded alone, so that any units have one) zero-padded to
 * WMEMO_KEY bytes, and its kind (marks get no stem): the fast segmenter
 * looks a word up straight from the text's bytes, with no UTF-16 and no
 * byte-by-byte hash.  The answer is the token's keys, its loose form and
 * stem bytes.  32,768 slots (4 MB, touched as used): an import's texts
 * bring tens of thousands of distinct words (56,000 in 20,000 units of a
 * 30,000-word Zipf vocabulary, both languages), and a miss costs twenty
 * hits.  Misses at 20,000 units: 27,500 with 16,384 slots, 23,400 with
 * 32,768, 20,500 with 65,536 (mostly words met for the first time); the
 * larger table's 4 MB more for each tokenizer (two in an import) were
 * not worth its 1.6% fewer instructions in the indexing thread. */
#define WMEMO_SLOTS 32768
#define WMEMO_KEY   32 /* longest word remembered, UTF-8 bytes */
#define WMEMO_BYTES 56 /* loose form and stem together */

/* Two cache lines a slot, aligned.  A hit reads the first (key, hashes
 * and lengths) and the second (the stem's key and the bytes), no third;
 * a bulk tokenizer's hit only the first (mt_word_fill). */
struct wmemo {
	uint64_t key[WMEMO_KEY / 8];
	uint64_t exact, fold, loose;
	unsigned char n, kind, wlen, slen; /* n 0: empty */
	uint64_t stem;			   /* the second line */
	char bytes[WMEMO_BYTES];
};

_Static_assert(sizeof(struct wmemo) == 128, "a memo slot is 128 bytes");
_Static_assert(offsetof(struct wmemo, stem) == 64,
	       "a slot's first line is all that a look-up compares");

/* A word's memo slot (NULL: none) and the key it was found by, kept
 * from the pass that finds the words to the one that makes their keys. */
struct wslot {
	struct wmemo *e;
	uint64_t k[WMEMO_KEY / 8];
};

struct mt_tokenizer {
	struct wmemo *memo; /* WMEMO_SLOTS, allocated at the first word */
	void *memo_mem;	    /* where memo lies, aligned */
	UBreakIterator *bi;
	const UNormalizer2 *nfc, *nfd;
	UChar *u;
	uint32_t *off;	    /* UTF-16 index -> byte offset */
	unsigned char *cls; /* UTF-16 index -> fast_class */
	int32_t ucap;
	UChar *a, *b, *c; /* per-token scratch */
	int32_t acap, bcap, ccap;
	struct span *spans;
	size_t nspans, spancap;
	struct wslot *slot; /* fast_bytes: each token's memo slot and key */
	size_t slotcap;
	struct sb_stemmer *stemmer;
	int32_t offcap;
	enum mt_path path;
	int nomemo; /* mt_tokenizer_set_memo(tk, 0) */
	int bulk;   /* mt_tokenizer_set_bulk */
	size_t ntexts, nfast;
	unsigned char bcls[256]; /* the fast segmenter's byte classes */
};

static void byte_classes(unsigned char *bc);

static uint64_t fmix(uint64_t h)
{
	return tolk_hash_fmix64(h);
}

static uint64_t h16(const UChar *p, int32_t n)
{
	uint64_t h = TOLK_FNV64_OFFSET;
	int32_t i;

	for (i = 0; i < n; i++)
		h = tolk_fnv64_step(h, p[i]);
	return fmix(h);
}

static uint64_t h8(const char *p, size_t n, uint64_t seed)
{
	return fmix(tolk_fnv64(p, n, TOLK_FNV64_OFFSET ^ seed));
}

int mt_tokenizer_new(struct mt_tokenizer **out, struct tolk_err *err)
{
	struct mt_tokenizer *tk = calloc(1, sizeof(*tk));
	UErrorCode st = U_ZERO_ERROR;

	*out = NULL;
	if (!tk)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	tk->nfc = unorm2_getNFCInstance(&st);
	if (U_SUCCESS(st))
		tk->nfd = unorm2_getNFDInstance(&st);
	if (U_SUCCESS(st))
		tk->bi = ubrk_open(UBRK_WORD, "nb", NULL, 0, &st);
	if (U_FAILURE(st)) {
		mt_tokenizer_free(tk);
		return tolk_err_set(err, TOLK_EINTERNAL, "ICU word breaks: %s",
				    u_errorName(st));
	}
	byte_classes(tk->bcls);
	if (!(tk->stemmer = sb_stemmer_new("norwegian", NULL))) {
		mt_tokenizer_free(tk);
		return tolk_err_set(err, TOLK_EINTERNAL,
				    "libstemmer has no norwegian stemmer");
	}
	*out = tk;
	return 0;
}

void mt_tokenizer_free(struct mt_tokenizer *tk)
{
	if (!tk)
		return;
	if (tk->bi)
		ubrk_close(tk->bi);
	if (tk->stemmer)
		sb_stemmer_delete(tk->stemmer);
	free(tk->memo_mem);
	free(tk->u);
	free(tk->off);
	free(tk->cls);
	free(tk->a);
	free(tk->b);
	free(tk->c);
	free(tk->spans);
	free(tk->slot);
	free(tk);
}

void mt_text_release(struct mt_text *mt)
{
	free(mt->t);
	free(mt->pool);
	memset(mt, 0, sizeof(*mt));
}

static int grow16(UChar **p, int32_t *cap, int32_t need)
{
	UChar *n;

	if (need <= *cap)
		return 0;
	n = realloc(*p, (size_t)need * sizeof(*n));
	if (!n)
		return -1;
	*p = n;
	*cap = need;
	return 0;
}

static int push_tok(struct mt_text *mt, const struct mt_tok *t)
{
	if (TOLK_GROW(mt->t, mt->cap, mt->n + 1, 32))
		return -1;
	mt->t[mt->n++] = *t;
	return 0;
}

/* End (exclusive) of an inline tag or placeholder at u[i], or -1:
 * <b>, </g>, <x id="1"/>, {0}, {{name}}, %s, %1$d. */
static int32_t tag_end(const UChar *u, int32_t n, int32_t i)
{
	int32_t j = i + 1;

	if (u[i] == '<') {
		if (j < n && u[j] == '/')
			j++;
		if (j >= n || !((u[j] | 0x20) >= 'a' && (u[j] | 0x20) <= 'z'))
			return -1;
		for (; j < n && j - i < 256; j++) {
			if (u[j] == '<')
				return -1;
			if (u[j] == '>')
				return j + 1;
		}
		return -1;
	}
	if (u[i] == '{') {
		int dbl = j < n && u[j] == '{';
		int32_t k;

		j += dbl;
		for (k = j; k < n && k - j < 64; k++)
			if (!(u_isalnum(u[k]) || u[k] == '_' || u[k] == '.'))
				break;
		if (k == j || k >= n || u[k] != '}')
			return -1;
		k++;
		if (dbl) {
			if (k >= n || u[k] != '}')
				return -1;
			k++;
		}
		return k;
	}
	if (u[i] == '%') {
		while (j < n && u[j] >= '0' && u[j] <= '9')
			j++;
		if (j < n && u[j] == '$' && j > i + 1)
			j++;
		if (j >= n || !u_strchr(u"sdifu@", u[j]))
			return -1;
		j++;
		if (j < n && u_isalpha(u[j]))
			return -1;
		return j;
	}
	return -1;
}

static int find_tags(struct mt_tokenizer *tk, int32_t n)
{
	int32_t i, e;

	tk->nspans = 0;
	for (i = 0; i < n; i++) {
		if (tk->u[i] != '<' && tk->u[i] != '{' && tk->u[i] != '%')
			continue;
		if ((e = tag_end(tk->u, n, i)) < 0)
			continue;
		if (TOLK_GROW(tk->spans, tk->spancap, tk->nspans + 1, 8))
			return -1;
		tk->spans[tk->nspans].start = i;
		tk->spans[tk->nspans].end = e;
		tk->spans[tk->nspans].h = h16(tk->u + i, e - i) ^ 0x7a67ULL;
		tk->nspans++;
		/* Word breaks must not see the tag's words: each U+FFFC is a
		 * segment of its own. */
		for (; i < e; i++)
			tk->u[i] = 0xfffc;
		i = e - 1;
	}
	return 0;
}

/* The loose form lf[0..n) of a word into mt's pool with its Snowball stem,
 * and the stem's key: what similar words are told apart by. */
static int word_stem(struct mt_tokenizer *tk, struct mt_text *mt,
		     const UChar *lf, int32_t n, struct mt_tok *t)
{
	char utf8[MT_WORD_MAX * 3 + 4];
	UErrorCode st = U_ZERO_ERROR;
	const sb_symbol *stem;
	int32_t len = 0;
	int slen;

	t->wlen = t->slen = 0;
	t->stem = 0;
	if (n > MT_WORD_MAX)
		return 0;
	u_strToUTF8(utf8, (int32_t)sizeof(utf8), &len, lf, n, &st);
	if (U_FAILURE(st) || len > MT_WORD_MAX || len == 0)
		return 0;
	if (!(stem =
		  sb_stemmer_stem(tk->stemmer, (const sb_symbol *)utf8, len)))
		return -1;
	slen = sb_stemmer_length(tk->stemmer);
	if (slen <= 0 || slen > MT_WORD_MAX)
		return 0;
	if (TOLK_GROW(mt->pool, mt->poolcap,
		      mt->npool + (size_t)len + (size_t)slen, 256))
		return -1;
	t->woff = (uint32_t)mt->npool;
	t->wlen = (unsigned char)len;
	t->slen = (unsigned char)slen;
	memcpy(mt->pool + mt->npool, utf8, (size_t)len);
	memcpy(mt->pool + mt->npool + len, stem, (size_t)slen);
	mt->npool += (size_t)len + (size_t)slen;
	t->stem = slen < MT_STEM_KEY
		      ? h8((const char *)stem, (size_t)slen, 0x73686fULL)
		      : h8((const char *)stem, MT_STEM_KEY, 0x707265ULL);
	return 0;
}

/* exact, fold and loose keys of the word or mark u[0..n); words get their
 * stem too. */
static int word_keys_of(struct mt_tokenizer *tk, struct mt_text *mt,
			const UChar *u, int32_t n, struct mt_tok *t)
{
	UErrorCode st = U_ZERO_ERROR;
	const UChar *nfc = u;
	int32_t i, len = n, flen, dlen, w;
	int ascii = 1;

	for (i = 0; i < n; i++)
		if (u[i] >= 0x80)
			ascii = 0;
	if (ascii) {
		if (grow16(&tk->b, &tk->bcap, n + 1))
			return -1;
		for (i = 0; i < n; i++)
			tk->b[i] =
			    (u[i] >= 'A' && u[i] <= 'Z') ? u[i] + 32 : u[i];
		t->exact = h16(u, n);
		t->fold = h16(tk->b, n);
		t->loose = t->fold;
		return t->kind == MT_WORD ? word_stem(tk, mt, tk->b, n, t) : 0;
	}
	if (unorm2_quickCheck(tk->nfc, u, n, &st) != UNORM_YES) {
		st = U_ZERO_ERROR;
		if (grow16(&tk->a, &tk->acap, 3 * n + 8))
			return -1;
		len = unorm2_normalize(tk->nfc, u, n, tk->a, tk->acap, &st);
		if (U_FAILURE(st))
			return -1;
		nfc = tk->a;
	}
	st = U_ZERO_ERROR;
	if (grow16(&tk->b, &tk->bcap, 3 * len + 8))
		return -1;
	flen =
	    u_strFoldCase(tk->b, tk->bcap, nfc, len, U_FOLD_CASE_DEFAULT, &st);
	if (U_FAILURE(st))
		return -1;
	st = U_ZERO_ERROR;
	if (grow16(&tk->c, &tk->ccap, 4 * flen + 8))
		return -1;
	dlen = unorm2_normalize(tk->nfd, tk->b, flen, tk->c, tk->ccap, &st);
	if (U_FAILURE(st))
		return -1;
	t->exact = h16(nfc, len);
	t->fold = h16(tk->b, flen);
	/* The fold buffer is free again: the loose key is built there. */
	if (grow16(&tk->b, &tk->bcap, 2 * dlen + 8))
		return -1;
	for (i = 0, w = 0; i < dlen; i++) {
		UChar c = tk->c[i];

		if (u_getCombiningClass(c) != 0 ||
		    u_charType(c) == U_NON_SPACING_MARK)
			continue;
		if (c == 0xf8) {
			tk->b[w++] = 'o';
		} else if (c == 0xe6) {
			tk->b[w++] = 'a';
			tk->b[w++] = 'e';
		} else {
			tk->b[w++] = c;
		}
	}
	t->loose = h16(tk->b, w);
	return t->kind == MT_WORD ? word_stem(tk, mt, tk->b, w, t) : 0;
}

/* The memo's slot for the key k of n bytes and kind: the key's words
 * that can be other than zero count, each in its own product. */
static inline struct wmemo *memo_slot(struct mt_tokenizer *tk,
				      const uint64_t *k, size_t n, int kind)
{
	uint64_t h = (k[0] ^ (n | (uint64_t)kind << 8)) * 0x9e3779b97f4a7c15ULL;

	if (n > 8) {
		h ^= k[1] * 0xc2b2ae3d27d4eb4fULL;
		if (n > 16)
			h ^= k[2] * 0x165667b19e3779f9ULL ^
			     k[3] * 0xd6e8feb86659fd93ULL;
	}
	return &tk->memo[(h ^ (h >> 31)) & (WMEMO_SLOTS - 1)];
}

/* Is e the slot of k (n bytes, zero-padded) and kind?  Words past the
 * n bytes are zero in both. */
static inline int memo_is(const struct wmemo *e, const uint64_t *k, size_t n,
			  int kind)
{
	if (e->n != n || e->kind != kind || e->key[0] != k[0])
		return 0;
	if (n <= 8)
		return 1;
	return e->key[1] == k[1] &&
	       (n <= 16 || (e->key[2] == k[2] && e->key[3] == k[3]));
}

/* The remembered answer e into t, its bytes into mt's pool; with lazy,
 * only what the slot's first line holds (the stem's key and the bytes
 * are left to mt_word_fill). */
static inline int memo_get(const struct wmemo *e, struct mt_text *mt,
			   struct mt_tok *t, int lazy)
{
	size_t nb;

	t->exact = e->exact;
	t->fold = e->fold;
	t->loose = e->loose;
	if (t->kind != MT_WORD || !e->wlen)
		return 0;
	t->wlen = e->wlen;
	t->slen = e->slen;
	if (lazy) {
		t->stem = 0;
		t->woff = MT_WOFF_LAZY;
		return 0;
	}
	t->stem = e->stem;
	nb = (size_t)e->wlen + e->slen;
	/* a copy of fixed size is a few moves, not a call */
	if (TOLK_GROW(mt->pool, mt->poolcap, mt->npool + WMEMO_BYTES, 256))
		return -1;
	t->woff = (uint32_t)mt->npool;
	memcpy(mt->pool + mt->npool, e->bytes, WMEMO_BYTES);
	mt->npool += nb;
	return 0;
}

/* Remembers t, just made by word_keys_of, in e under k (n bytes). */
static void memo_put(struct wmemo *e, const uint64_t *k, size_t n,
		     const struct mt_text *mt, const struct mt_tok *t)
{
	size_t nb = t->kind == MT_WORD ? (size_t)t->wlen + t->slen : 0;

	if (nb > WMEMO_BYTES)
		return;
	memcpy(e->key, k, sizeof(e->key));
	e->n = (unsigned char)n;
	e->kind = t->kind;
	e->exact = t->exact;
	e->fold = t->fold;
	e->loose = t->loose;
	e->stem = t->kind == MT_WORD ? t->stem : 0;
	e->wlen = t->kind == MT_WORD ? t->wlen : 0;
	e->slen = t->kind == MT_WORD ? t->slen : 0;
	if (nb)
		memcpy(e->bytes, mt->pool + t->woff, nb);
}

/* The memo of a bulk tokenizer: its 4 MB looked up at random, one
 * word after another, were a TLB miss a word on 4 kB pages; on 2 MB
 * pages they are two entries.  The pages are cleared here, all of them
 * (an import touches them all anyway). */
static void memo_alloc_bulk(struct mt_tokenizer *tk)
{
	size_t sz = WMEMO_SLOTS * sizeof(*tk->memo);
	void *p = NULL;

	if (posix_memalign(&p, 2u << 20, sz) != 0)
		return;
#ifdef MADV_HUGEPAGE
	/* advice: without it (or huge pages) the memo works as before */
	(void)madvise(p, sz, MADV_HUGEPAGE);
#endif
	memset(p, 0, sz);
	tk->memo_mem = p;
	tk->memo = p;
}

static int memo_alloc(struct mt_tokenizer *tk)
{
	if (tk->nomemo)
		return -1;
	if (!tk->memo && tk->bulk)
		memo_alloc_bulk(tk);
	/* calloc's pages are zero as they come, untouched until used; one
	 * slot more to start the table on a cache line */
	if (!tk->memo &&
	    (tk->memo_mem = calloc(WMEMO_SLOTS + 1, sizeof(*tk->memo))))
		tk->memo = (struct wmemo *)(((uintptr_t)tk->memo_mem + 63) &
					    ~(uintptr_t)63);
	return tk->memo ? 0 : -1;
}

/* word_keys_of through the memo: the same token either way. */
static int word_keys(struct mt_tokenizer *tk, struct mt_text *mt,
		     const UChar *u, int32_t n, struct mt_tok *t)
{
	uint64_t k[WMEMO_KEY / 8] = {0};
	unsigned char *kb = (unsigned char *)k;
	struct wmemo *e;
	size_t nb = 0;
	int32_t i;

	if (memo_alloc(tk))
		return word_keys_of(tk, mt, u, n, t);
	for (i = 0; i < n; i++) {
		UChar c = u[i];
		size_t w = c < 0x80 ? 1 : c < 0x800 ? 2 : 3;

		if (nb + w > WMEMO_KEY)
			return word_keys_of(tk, mt, u, n, t);
		if (w == 1) {
			kb[nb] = (unsigned char)c;
		} else if (w == 2) {
			kb[nb] = (unsigned char)(0xc0 | c >> 6);
			kb[nb + 1] = (unsigned char)(0x80 | (c & 0x3f));
		} else {
			kb[nb] = (unsigned char)(0xe0 | c >> 12);
			kb[nb + 1] = (unsigned char)(0x80 | ((c >> 6) & 0x3f));
			kb[nb + 2] = (unsigned char)(0x80 | (c & 0x3f));
		}
		nb += w;
	}
	e = memo_slot(tk, k, nb, t->kind);
	if (memo_is(e, k, nb, t->kind))
		return memo_get(e, mt, t, 0);
	if (word_keys_of(tk, mt, u, n, t))
		return -1;
	memo_put(e, k, nb, mt, t);
	return 0;
}

/* Joins "12" " " "000" into one number where the number scanner reads
 * one: ICU's word breaks split at the spaces that group thousands. */
static void merge_numbers(struct mt_text *mt)
{
	size_t i, w = 0, end, gap;
	struct tolk_num num;
	struct mt_tok t;
	int scanned;

	for (i = 0; i < mt->n; i++) {
		/* tokens before the first merge stay where they are */
		if (mt->t[i].kind != MT_NUM) {
			if (w != i)
				mt->t[w] = mt->t[i];
			w++;
			continue;
		}
		t = mt->t[i];
		end = 0;
		scanned = 0;
		for (; i + 1 < mt->n; i++) {
			const struct mt_tok *nx = &mt->t[i + 1];

			gap = nx->start - t.end;
			if (nx->kind != MT_NUM || gap == 0)
				break;
			/* the scan only where a number follows, as it seldom
			 * does */
			if (!scanned) {
				end = tolk_num_at(mt->text, mt->len, t.start,
						  TOLK_NUM_NB, &num);
				scanned = 1;
			}
			if (nx->end > end ||
			    tolk_num_space(mt->text + t.end, gap) != gap)
				break;
			t.end = nx->end;
		}
		mt->t[w++] = t;
	}
	mt->n = w;
}

static void number_keys(struct mt_text *mt, struct mt_tok *t)
{
	char canon[128], exact[128];
	const char *s = mt->text + t->start;
	size_t n = t->end - t->start, i, w = 0, sp;
	int grouped;

	/* digits alone (most numbers) are their own exact and canonical
	 * forms: the scans below would copy them as they are */
	for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++)
		;
	if (i == n && n < sizeof(exact)) {
		t->exact = h8(s, n, 0x6e756dULL);
		t->fold = h8(s, n, 0x76616cULL);
		t->loose = 0x23;
		return;
	}
	for (i = 0; i < n && w + 1 < sizeof(exact);) {
		if ((sp = tolk_num_space(s + i, n - i))) {
			exact[w++] = ' ';
			i += sp;
		} else {
			exact[w++] = s[i++];
		}
	}
	t->exact = h8(exact, w, 0x6e756dULL);
	n = tolk_num_canon(s, n, TOLK_NUM_NB, canon, sizeof(canon), &grouped);
	t->fold = h8(canon, n, 0x76616cULL);
	t->loose = 0x23; /* "#": every number is the same placeable */
}

/* Empties mt for the tokens of text[0..len). */
static void mt_start(struct mt_text *mt, const char *text, size_t len)
{
	mt->text = text;
	mt->len = len;
	mt->n = mt->nwords = mt->nnums = mt->nph = 0;
	mt->ident = 0;
	mt->npool = 0;
}

/* ---- the fast segmenter ------------------------------------------------
 *
 * ICU's word break iterator is most of the tokenizer's time, yet most
 * text is Latin letters, digits, spaces and punctuation, where UAX #29
 * comes down to: a run of letters and digits is one segment, a word if it
 * ends in a letter, a number if in a digit (the status of the last rule
 * ICU matched, WB9-10); a '.', ',', ';' or apostrophe between two letters
 * or two digits joins them or not by its class (WB6-7, WB11-12); white
 * space runs; anything else is a segment of one character.  '_' and
 * every character outside the table below send the whole text to ICU,
 * so that both paths give the same segments; tests/unit/test_tokenize.c
 * holds them to that. */
enum fclass {
	FC_OTHER = 0, /* not known here: the text goes to ICU */
	FC_LETTER,
	FC_DIGIT,
	FC_SPACE,
	FC_ALONE, /* a segment of its own whatever stands around it */
	FC_MID,	  /* joins letters, and digits, on both sides (MidNumLet) */
	FC_MIDL,  /* joins letters on both sides (MidLetter; ICU's rules
		   * take ':' out of it, and nothing here is in it) */
	FC_MIDN	  /* joins digits on both sides (MidNum) */
};

/* fclass of each ASCII character, as a digit; '@' is a letter to ICU's
 * rules, which this path does not follow, and '_' joins (ExtendNumLet) */
static const char fc_ascii[129] = "00000000033333000000000000000000"
				  "34444445444474542222222222474444"
				  "01111111111111111111111111144440"
				  "41111111111111111111111111144440";

static inline int fast_class(UChar c)
{
	if (c < 0x80)
		return fc_ascii[c] - '0';
	if (c >= 0xc0 && c <= 0xff)
		return c == 0xd7 || c == 0xf7 ? FC_ALONE : FC_LETTER;
	switch (c) {
	case 0xa0: /* no-break space (U+202F joins, as ExtendNumLet) */
		return FC_SPACE;
	case 0xa7: /* section sign */
	case 0xab: /* guillemets */
	case 0xbb:
	case 0xb0:   /* degree sign */
	case 0x2013: /* en and em dash */
	case 0x2014:
	case 0x201c: /* double quotation marks */
	case 0x201d:
	case 0x2026: /* ellipsis */
	case 0xfffc: /* an inline tag (find_tags) */
		return FC_ALONE;
	case 0x2018: /* single quotation marks, apostrophe */
	case 0x2019:
		return FC_MID;
	default:
		return FC_OTHER;
	}
}

static inline int fc_alnum(int c)
{
	return c == FC_LETTER || c == FC_DIGIT;
}

/* Can the fast segmenter give ICU's segments of u[0..n)?  The class of
 * each unit into cls[0..n). */
static int fast_ok(const UChar *u, int32_t n, unsigned char *cls)
{
	int prev = FC_SPACE, c;
	int32_t i;

	for (i = 0; i < n; i++, prev = c) {
		cls[i] = (unsigned char)(c = fast_class(u[i]));
		if (c == FC_OTHER)
			return 0;
		if (c >= FC_MID && fc_alnum(prev) && i + 1 < n) {
			int next = fast_class(u[i + 1]);

			/* a run of the three, or the mark alone */
			if (next == prev &&
			    (c == FC_MID ||
			     c == (prev == FC_LETTER ? FC_MIDL : FC_MIDN)))
				cls[i] = (unsigned char)prev;
		}
	}
	return 1;
}

/* End of the segment starting at a of the text of n units whose classes
 * fast_ok wrote to cls, and ICU's rule status for it. */
static int32_t fast_next(const unsigned char *cls, int32_t n, int32_t a,
			 int32_t *status)
{
	int c = cls[a];
	int32_t b = a + 1;

	*status = UBRK_WORD_NONE;
	if (fc_alnum(c)) {
		while (b < n && fc_alnum(cls[b]))
			b++;
		/* a mark joined in is never last */
		*status = cls[b - 1] == FC_LETTER ? UBRK_WORD_LETTER
						  : UBRK_WORD_NUMBER;
	} else if (c == FC_SPACE) {
		while (b < n && cls[b] == c)
			b++;
	}
	return b;
}

/* ---- the fast segmenter on bytes ----------------------------------------
 *
 * The same segments straight from the UTF-8, for text without tags: one
 * pass finds the segments, and a word's keys come from the memo by its
 * bytes; only a word not remembered is decoded to UTF-16 for
 * word_keys_of.  The classes are fast_class's; a byte of a character
 * outside them, of a tag ('<', '{', '%': find_tags' work) or of
 * malformed UTF-8 sends the text to the path on UTF-16 units above. */
enum {
	BC_C2 = 8,
	BC_C3,
	BC_E2
}; /* lead bytes of two- and three-byte
    * characters fast_class knows */

static void byte_classes(unsigned char *bc)
{
	int i;

	for (i = 0; i < 128; i++)
		bc[i] = (unsigned char)(fc_ascii[i] - '0');
	for (i = 128; i < 256; i++)
		bc[i] = FC_OTHER;
	bc['<'] = bc['{'] = bc['%'] = FC_OTHER;
	bc[0xc2] = BC_C2;
	bc[0xc3] = BC_C3;
	bc[0xe2] = BC_E2;
}

/* fast_class of the character at s[i] (of len bytes), its bytes in *w. */
static inline int byte_class(const unsigned char *bc, const unsigned char *s,
			     size_t i, size_t len, size_t *w)
{
	int c = bc[s[i]];

	*w = 1;
	if (c < BC_C2)
		return c;
	if (c != BC_E2) {
		unsigned t = i + 1 < len ? s[i + 1] : 0;

		if ((t & 0xc0) != 0x80)
			return FC_OTHER;
		*w = 2;
		return fast_class(
		    (UChar)((c == BC_C3 ? 0xc0 : 0x80) | (t & 0x3f)));
	}
	if (i + 2 >= len || s[i + 1] != 0x80 || (s[i + 2] & 0xc0) != 0x80)
		return FC_OTHER;
	*w = 3;
	return fast_class((UChar)(0x2000 | (s[i + 2] & 0x3f)));
}

/* k[] = s[0..n) zero-padded, n <= WMEMO_KEY: whole words loaded where
 * they overlap rather than byte by byte, none beyond s[n - 1]. */
static inline void load_key(uint64_t *k, const unsigned char *s, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t v = 0;
	uint32_t lo, hi;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8)
		memcpy(&k[i / 8], s + i, 8);
	if (i == n)
		return;
	if (n >= 8) {
		memcpy(&v, s + n - 8, 8);
		v >>= 8 * (8 - (n - i));
	} else if (n >= 4) {
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		v = lo | (uint64_t)hi << (8 * (n - 4));
	} else {
		v = s[0] | (uint64_t)s[n / 2] << (8 * (n / 2)) |
		    (uint64_t)s[n - 1] << (8 * (n - 1));
	}
	k[i / 8] = v;
#else
	memcpy(k, s, n);
#endif
}

/* byte_keys for a word the memo does not have: w[0..n) decoded to UTF-16
 * for word_keys_of, its answer remembered in e (NULL: none) under k.
 * Kept out of line, so that the lookup before it stays small. */
__attribute__((noinline)) static int
byte_keys_miss(struct mt_tokenizer *tk, struct mt_text *mt,
	       const unsigned char *w, size_t n, struct wmemo *e,
	       const uint64_t *k, struct mt_tok *t)
{
	size_t i;
	int32_t nu = 0;

	/* characters of one to three bytes, all in the BMP */
	if (grow16(&tk->u, &tk->ucap, (int32_t)n + 1))
		return -1;
	for (i = 0; i < n; nu++) {
		unsigned c = w[i];

		if (c < 0x80) {
			tk->u[nu] = (UChar)c;
			i++;
		} else if (c < 0xe0) {
			tk->u[nu] =
			    (UChar)((c & 0x1f) << 6 | (w[i + 1] & 0x3f));
			i += 2;
		} else {
			tk->u[nu] =
			    (UChar)((c & 0x0f) << 12 | (w[i + 1] & 0x3f) << 6 |
				    (w[i + 2] & 0x3f));
			i += 3;
		}
	}
	if (word_keys_of(tk, mt, tk->u, nu, t))
		return -1;
	if (e)
		memo_put(e, k, n, mt, t);
	return 0;
}

/* The memo's slot for the word or mark s[0..n) of kind into ws (e NULL
 * when it has none) with its key, asked of the memory now: a text's
 * words are looked up in a 4 MB table, most of them there but not in
 * the processor's cache, and the misses of all of a text's words then
 * overlap rather than follow one another. */
static inline void memo_ask(struct mt_tokenizer *tk, const unsigned char *s,
			    size_t n, int kind, struct wslot *ws)
{
	ws->e = NULL;
	if (n > WMEMO_KEY || !tk->memo)
		return;
	memset(ws->k, 0, sizeof(ws->k));
	load_key(ws->k, s, n);
	ws->e = memo_slot(tk, ws->k, n, kind);
	__builtin_prefetch(ws->e);
	if (!tk->bulk) /* its hits read the first line only */
		__builtin_prefetch((const char *)ws->e + 64);
}

/* The keys of the word or mark text[a..b) of kind t->kind, ws its slot
 * in the memo and key (memo_ask; e NULL: made afresh). */
static inline int byte_keys(struct mt_tokenizer *tk, struct mt_text *mt,
			    const unsigned char *s, size_t a, size_t b,
			    const struct wslot *ws, struct mt_tok *t)
{
	size_t n = b - a;

	if (ws->e && memo_is(ws->e, ws->k, n, t->kind))
		return memo_get(ws->e, mt, t, tk->bulk);
	return byte_keys_miss(tk, mt, s + a, n, ws->e, ws->k, t);
}

/* Only a bulk tokenizer's memo hits on bytes (fast_bytes) leave a word
 * lazy, so its bytes are its memo key, all of them characters
 * byte_keys_miss decodes. */
int mt_word_fill(struct mt_tokenizer *tk, struct mt_text *mt, struct mt_tok *t)
{
	uint64_t k[WMEMO_KEY / 8] = {0};
	const unsigned char *s;
	struct wmemo *e;
	size_t n;

	if (t->kind != MT_WORD || t->woff != MT_WOFF_LAZY)
		return 0;
	s = (const unsigned char *)mt->text + t->start;
	n = t->end - t->start;
	load_key(k, s, n);
	e = memo_slot(tk, k, n, MT_WORD);
	/* the slot may hold another word by now: then made afresh, with
	 * the same keys */
	if (memo_is(e, k, n, MT_WORD))
		return memo_get(e, mt, t, 0);
	return byte_keys_miss(tk, mt, s, n, e, k, t);
}

/* One token's step of mt->ident, the hash of the tokens and of where
 * white space stands between them. */
static inline uint64_t ident_step(uint64_t ident, const struct mt_tok *t,
				  size_t i)
{
	return fmix(ident ^ t->exact) +
	       (i > 0 && t->space_before ? 0x9e3779b97f4a7c15ULL : 1);
}

/* Tokenises mt's text on bytes: 1 done, 0 when the text must take the
 * UTF-16 path (mt then holds a part of its tokens), -1 out of memory. */
static int fast_bytes(struct mt_tokenizer *tk, struct mt_text *mt)
{
	const unsigned char *s = (const unsigned char *)mt->text,
			    *bc = tk->bcls;
	size_t len = mt->len, i = 0, a, w, w2, run;
	size_t numnum = 0; /* numbers right after a number: may be joined */
	size_t most = len < MT_MAX_TOKENS ? len : MT_MAX_TOKENS;
	int space = 0, c;

	if (TOLK_GROW(mt->t, mt->cap, most + 1, 32) ||
	    TOLK_GROW(tk->slot, tk->slotcap, most + 1, 32))
		return -1;
	memo_alloc(tk); /* without it, every word's keys are made afresh */
	while (i < len) {
		struct mt_tok *t;
		int last;

		a = i;
		c = byte_class(bc, s, i, len, &w);
		i += w;
		if (c == FC_OTHER)
			return 0;
		if (c == FC_SPACE) {
			space = 1;
			continue;
		}
		if (mt->n >= MT_MAX_TOKENS)
			continue; /* the rest is only checked */
		t = &mt->t[mt->n++];
		memset(t, 0, sizeof(*t));
		t->start = (uint32_t)a;
		t->space_before = (unsigned char)(space && mt->n > 1);
		space = 0;
		if (!fc_alnum(c)) {
			t->kind = MT_PUNCT;
			t->end = (uint32_t)i;
			/* an ASCII mark's keys are cheaper made than looked
			 * up (the keys pass below) */
			if (w > 1)
				memo_ask(tk, s + a, w, MT_PUNCT,
					 &tk->slot[mt->n - 1]);
			continue;
		}
		/* letters and digits, and the marks between two of a kind
		 * that join them (fast_ok's rule) */
		for (last = c; i < len;) {
			/* most of a word: ASCII letters or digits, one byte
			 * each */
			for (run = i; i < len && fc_alnum(bc[s[i]]); i++)
				;
			if (i > run)
				last = bc[s[i - 1]];
			if (i >= len)
				break;
			c = byte_class(bc, s, i, len, &w);
			if (fc_alnum(c)) {
				last = c;
				i += w;
				continue;
			}
			if (c < FC_MID || i + w >= len ||
			    !(c == FC_MID ||
			      c == (last == FC_LETTER ? FC_MIDL : FC_MIDN)) ||
			    byte_class(bc, s, i + w, len, &w2) != last)
				break;
			i += w + w2;
		}
		t->end = (uint32_t)i;
		if (last == FC_DIGIT) {
			t->kind = MT_NUM;
			numnum += mt->n > 1 && t[-1].kind == MT_NUM;
		} else {
			t->kind = MT_WORD;
			memo_ask(tk, s + a, i - a, MT_WORD,
				 &tk->slot[mt->n - 1]);
		}
	}
	/* the keys once the whole text's slots are on their way, in the
	 * tokens' order (the pool's); with no numbers to join (most texts)
	 * mt_recount's counts and the numbers' keys in the same pass */
	for (i = 0; i < mt->n; i++) {
		struct mt_tok *t = &mt->t[i];

		if (t->kind == MT_PUNCT && t->end - t->start == 1) {
			/* word_keys_of's: no case to fold, no stem */
			UChar u = s[t->start];

			t->exact = t->fold = t->loose = h16(&u, 1);
		} else if (t->kind != MT_NUM) {
			if (byte_keys(tk, mt, s, t->start, t->end, &tk->slot[i],
				      t))
				return -1;
			mt->nwords += t->kind == MT_WORD;
		} else if (!numnum) {
			number_keys(mt, t);
			mt->nnums++;
		}
		if (!numnum)
			mt->ident = ident_step(mt->ident, t, i);
	}
	if (!numnum)
		return 1;
	merge_numbers(mt);
	mt->nwords = 0; /* counted again with the joined numbers */
	/* mt_recount's counts with the numbers' keys: no tags here */
	for (i = 0; i < mt->n; i++) {
		struct mt_tok *t = &mt->t[i];

		if (t->kind == MT_NUM) {
			number_keys(mt, t);
			mt->nnums++;
		} else {
			mt->nwords += t->kind == MT_WORD;
		}
		mt->ident = ident_step(mt->ident, t, i);
	}
	return 1;
}

void mt_tokenizer_set_path(struct mt_tokenizer *tk, enum mt_path path)
{
	tk->path = path;
}

void mt_tokenizer_set_memo(struct mt_tokenizer *tk, int on)
{
	tk->nomemo = !on;
}

void mt_tokenizer_set_bulk(struct mt_tokenizer *tk)
{
	tk->bulk = 1;
}

void mt_tokenizer_counts(const struct mt_tokenizer *tk, size_t *texts,
			 size_t *fast)
{
	*texts = tk->ntexts;
	*fast = tk->nfast;
}

int mt_tokenize(struct mt_tokenizer *tk, const char *text, size_t len,
		struct mt_text *mt, struct tolk_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t ui = 0, bi = 0, a, b;
	size_t sp = 0, i;
	int space = 0, fast;

	mt_start(mt, text, len);
	if (len > INT32_MAX / 4)
		return tolk_err_set(err, TOLK_EINPUT, "segment too long");
	if (tk->path == MT_PATH_AUTO) {
		int rc = fast_bytes(tk, mt);

		if (rc < 0)
			goto nomem;
		if (rc > 0) {
			tk->ntexts++;
			tk->nfast++;
			return 0;
		}
		mt_start(mt, text, len);
	}
	if (grow16(&tk->u, &tk->ucap, (int32_t)len + 1))
		goto nomem;
	if (tk->offcap < (int32_t)len + 1) {
		uint32_t *o = realloc(tk->off, (len + 1) * sizeof(*o));
		unsigned char *c;

		if (o)
			tk->off = o;
		if (!o || !(c = realloc(tk->cls, len + 1)))
			goto nomem;
		tk->cls = c;
		tk->offcap = (int32_t)len + 1;
	}
	while (bi < (int32_t)len) {
		int32_t start = bi;
		UChar32 c;

		U8_NEXT(text, bi, (int32_t)len, c);
		if (c < 0)
			c = 0xfffd;
		if (c <= 0xffff) {
			tk->off[ui] = (uint32_t)start;
			tk->u[ui++] = (UChar)c;
		} else {
			tk->off[ui] = (uint32_t)start;
			tk->u[ui++] = U16_LEAD(c);
			tk->off[ui] = (uint32_t)start;
			tk->u[ui++] = U16_TRAIL(c);
		}
	}
	tk->off[ui] = (uint32_t)len;
	/* most texts have no tag: their bytes are searched the fastest way */
	tk->nspans = 0;
	if ((memchr(text, '<', len) || memchr(text, '{', len) ||
	     memchr(text, '%', len)) &&
	    find_tags(tk, ui))
		goto nomem;
	fast = tk->path == MT_PATH_AUTO && fast_ok(tk->u, ui, tk->cls);
	tk->ntexts++;
	tk->nfast += (size_t)fast;
	if (!fast) {
		ubrk_setText(tk->bi, tk->u, ui, &st);
		if (U_FAILURE(st))
			return tolk_err_set(err, TOLK_EINTERNAL,
					    "ICU word breaks: %s",
					    u_errorName(st));
		ubrk_first(tk->bi);
	}
	for (a = 0; a < ui && mt->n < MT_MAX_TOKENS; a = b) {
		struct mt_tok t = {0};
		int32_t status, k;

		if (fast) {
			b = fast_next(tk->cls, ui, a, &status);
		} else {
			if ((b = ubrk_next(tk->bi)) == UBRK_DONE)
				break;
			status = ubrk_getRuleStatus(tk->bi);
		}
		while (sp < tk->nspans && tk->spans[sp].end <= a)
			sp++;
		t.space_before = (unsigned char)(space && mt->n > 0);
		if (sp < tk->nspans && a >= tk->spans[sp].start) {
			if (a != tk->spans[sp].start)
				continue;
			t.kind = MT_TAG;
			/* printf and brace placeholders are filled with a
			 * word or number; markup only formats the text */
			t.start = tk->off[a];
			t.ph = text[t.start] == '%' || text[t.start] == '{';
			t.end = tk->off[tk->spans[sp].end];
			t.exact = t.fold = t.loose = tk->spans[sp].h;
			if (push_tok(mt, &t))
				goto nomem;
			space = 0;
			continue;
		}
		if (status >= UBRK_WORD_NUMBER &&
		    status < UBRK_WORD_NUMBER_LIMIT) {
			t.kind = MT_NUM;
		} else if (status >= UBRK_WORD_LETTER) {
			t.kind = MT_WORD;
		} else if (fast) {
			/* every FC_SPACE unit is white space, no other is */
			if (tk->cls[a] == FC_SPACE) {
				space = 1;
				continue;
			}
			t.kind = MT_PUNCT;
		} else {
			for (k = a; k < b && u_isUWhiteSpace(tk->u[k]); k++)
				;
			if (k == b) {
				space = 1;
				continue;
			}
			t.kind = MT_PUNCT;
		}
		t.start = tk->off[a];
		t.end = tk->off[b];
		if (t.kind != MT_NUM && word_keys(tk, mt, tk->u + a, b - a, &t))
			goto nomem;
		if (push_tok(mt, &t))
			goto nomem;
		space = 0;
	}
	merge_numbers(mt);
	for (i = 0; i < mt->n; i++)
		if (mt->t[i].kind == MT_NUM)
			number_keys(mt, &mt->t[i]);
	mt_recount(mt);
	return 0;
nomem:
	return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
}

int mt_word_text(struct mt_tokenizer *tk, const char *w, size_t n, int stem,
		 struct mt_text *mt)
{
	UErrorCode st = U_ZERO_ERROR;
	struct mt_tok t = {0};
	int32_t len = 0;

	mt_start(mt, w, n);
	if (n == 0 || n > MT_WORD_MAX)
		return 1;
	if (grow16(&tk->b, &tk->bcap, (int32_t)n + 1))
		return -1;
	u_strFromUTF8(tk->b, tk->bcap, &len, w, (int32_t)n, &st);
	if (U_FAILURE(st))
		return 1;
	t.kind = MT_WORD;
	t.end = (uint32_t)n;
	/* the same hash of the same UTF-16 the tokenizer made it from */
	t.exact = t.fold = t.loose = h16(tk->b, len);
	if (!stem) {
		/* no stem (slen 0): mt_word_cost finds no common stem */
		if (TOLK_GROW(mt->pool, mt->poolcap, n, 256))
			return -1;
		memcpy(mt->pool, w, n);
		mt->npool = n;
		t.wlen = (unsigned char)n;
	} else if (word_stem(tk, mt, tk->b, len, &t)) {
		return -1;
	}
	if (push_tok(mt, &t))
		return -1;
	mt_recount(mt);
	return t.wlen ? 0 : 1;
}

void mt_recount(struct mt_text *mt)
{
	size_t i;

	mt->nwords = mt->nnums = mt->nph = 0;
	mt->ident = 0;
	for (i = 0; i < mt->n; i++) {
		const struct mt_tok *t = &mt->t[i];

		mt->nwords += t->kind == MT_WORD;
		mt->nph += t->kind == MT_TAG && t->ph;
		mt->nnums += t->kind == MT_NUM || (t->kind == MT_TAG && t->ph);
		mt->ident = ident_step(mt->ident, t, i);
	}
}

/* ---- scores ------------------------------------------------------------ */

void mt_scratch_release(struct mt_scratch *sc)
{
	free(sc->row);
	free(sc->ia);
	free(sc->ib);
	free(sc->ca);
	free(sc->cb);
	memset(sc, 0, sizeof(*sc));
}

static int pick(const struct mt_text *mt, int content, int kind, uint32_t **idx,
		size_t *cap, size_t *n)
{
	size_t i;

	if (*cap < mt->n + 1) {
		uint32_t *p = realloc(*idx, (mt->n + 1) * sizeof(*p));

		if (!p)
			return -1;
		*idx = p;
		*cap = mt->n + 1;
	}
	*n = 0;
	for (i = 0; i < mt->n; i++) {
		int k = mt->t[i].kind;

		if (content ? (k == MT_WORD || k == MT_NUM) : k == kind)
			(*idx)[(*n)++] = (uint32_t)i;
	}
	return 0;
}

/* Is b[0..nb) a[0..na) with one byte inserted, deleted or replaced? */
static int one_edit(const char *a, size_t na, const char *b, size_t nb)
{
	size_t i = 0, j = 0;

	if (na > nb)
		return one_edit(b, nb, a, na);
	if (nb - na > 1)
		return 0;
	while (i < na && a[i] == b[i])
		i++;
	while (j < na - i && a[na - 1 - j] == b[nb - 1 - j])
		j++;
	return na - i - j <= 1 && nb - i - j <= 1;
}

uint64_t mt_half_hash(const char *w, size_t n, size_t wlen, int suffix)
{
	return h8(w, n,
		  0x68616c66ULL ^ ((uint64_t)wlen << 40) ^
		      ((uint64_t)suffix << 56));
}

int mt_word_cost(const struct mt_text *a, const struct mt_tok *x,
		 const struct mt_text *b, const struct mt_tok *y)
{
	const char *sa, *sb;
	size_t la, lb;

	if (x->loose == y->loose)
		return MT_COST_DIA;
	if (!x->wlen || !y->wlen)
		return MT_WHOLE;
	/* Same stem key first: the index finds such pairs by that key. */
	if (x->stem == y->stem) {
		sa = a->pool + x->woff + x->wlen;
		sb = b->pool + y->woff + y->wlen;
		la = x->slen;
		lb = y->slen;
		if (la > lb) {
			const char *t = sa;

			sa = sb;
			sb = t;
			la = y->slen;
			lb = x->slen;
		}
		if (memcmp(sa, sb, la) == 0 &&
		    (la == lb || (la >= MT_STEM_KEY && lb - la <= MT_STEM_EXT)))
			return MT_COST_STEM;
	}
	if (x->wlen >= MT_TYPO_MIN && y->wlen >= MT_TYPO_MIN &&
	    one_edit(a->pool + x->woff, x->wlen, b->pool + y->woff, y->wlen))
		return MT_COST_TYPO;
	return MT_WHOLE;
}

static int64_t sub_cost(const struct mt_text *a, const struct mt_tok *x,
			const struct mt_text *b, const struct mt_tok *y)
{
	if (x->kind != y->kind)
		return MT_WHOLE * BIG;
	if (x->kind == MT_WORD) {
		if (x->fold != y->fold)
			return mt_word_cost(a, x, b, y) * BIG;
		return x->exact == y->exact ? 0 : PEN_CASE;
	}
	if (x->kind == MT_NUM)
		return x->fold == y->fold ? 0 : PEN_NUM;
	return x->exact == y->exact ? 0 : 1;
}

/* Edit distance between the tokens ia[0..na) of a and ib[0..nb) of b, in
 * two rows.  unit: every substitution of unequal tokens costs 1. */
static int64_t edit_distance(const struct mt_text *a, const uint32_t *ia,
			     size_t na, const struct mt_text *b,
			     const uint32_t *ib, size_t nb, int64_t indel,
			     struct mt_scratch *sc)
{
	size_t i, j;

	if (sc->rowcap < nb + 1) {
		int64_t *r = realloc(sc->row, (nb + 1) * sizeof(*r));

		if (!r)
			return -1;
		sc->row = r;
		sc->rowcap = nb + 1;
	}
	for (j = 0; j <= nb; j++)
		sc->row[j] = (int64_t)j * indel;
	for (i = 1; i <= na; i++) {
		int64_t diag = sc->row[0];
		const struct mt_tok *x = &a->t[ia[i - 1]];

		sc->row[0] = (int64_t)i * indel;
		for (j = 1; j <= nb; j++) {
			int64_t best =
			    diag + sub_cost(a, x, b, &b->t[ib[j - 1]]);
			int64_t up = sc->row[j] + indel;
			int64_t left = sc->row[j - 1] + indel;

			if (up < best)
				best = up;
			if (left < best)
				best = left;
			diag = sc->row[j];
			sc->row[j] = best;
		}
	}
	return sc->row[nb];
}

/* Levenshtein distance between the tokens of one kind (tags, marks). */
static int64_t kind_distance(const struct mt_text *a, const struct mt_text *b,
			     int kind, struct mt_scratch *sc)
{
	size_t na, nb;

	if (pick(a, 0, kind, &sc->ia, &sc->icap_a, &na) ||
	    pick(b, 0, kind, &sc->ib, &sc->icap_b, &nb))
		return -1;
	if (na == 0 || nb == 0)
		return (int64_t)(na + nb);
	return edit_distance(a, sc->ia, na, b, sc->ib, nb, 1, sc);
}

/* The code points of mt's text from its first token to its last, into
 * *cp; their count, -1 when out of memory, MT_CHAR_MAX + 1 when longer. */
static int32_t token_chars(const struct mt_text *mt, int32_t **cp, size_t *cap)
{
	const char *s;
	int32_t len, i = 0, n = 0;
	UChar32 c;

	if (mt->n == 0)
		return 0;
	s = mt->text + mt->t[0].start;
	len = (int32_t)(mt->t[mt->n - 1].end - mt->t[0].start);
	/* a code point takes at least one byte: enough room, unless long */
	if (len > 4 * MT_CHAR_MAX)
		return MT_CHAR_MAX + 1;
	if (*cap < (size_t)len + 1) {
		int32_t *p = realloc(*cp, ((size_t)len + 1) * sizeof(*p));

		if (!p)
			return -1;
		*cp = p;
		*cap = (size_t)len + 1;
	}
	while (i < len) {
		U8_NEXT(s, i, len, c);
		(*cp)[n++] = c;
	}
	return n > MT_CHAR_MAX ? MT_CHAR_MAX + 1 : n;
}

/* Character-level similarity of a and b, floor(100 * (L - d) / L) with d
 * their Levenshtein distance in code points and L the longer's length,
 * when it is above floor; else (or for texts over MT_CHAR_MAX) 0.  -1
 * when out of memory. */
static int64_t char_similarity(const struct mt_text *a, const struct mt_text *b,
			       int64_t floor, struct mt_scratch *sc)
{
	int32_t na, nb, i, j, l;
	int64_t stop, diag, best, low;

	if ((na = token_chars(a, &sc->ca, &sc->ccap_a)) < 0 ||
	    (nb = token_chars(b, &sc->cb, &sc->ccap_b)) < 0)
		return -1;
	l = na > nb ? na : nb;
	if (l == 0 || l > MT_CHAR_MAX)
		return 0;
	/* above floor needs d < L * (100 - floor) / 100: the distance at
	 * which to stop, as every row's minimum only grows */
	stop = ((int64_t)l * (100 - floor) + 99) / 100;
	if ((na > nb ? na - nb : nb - na) >= stop)
		return 0;
	if (sc->rowcap < (size_t)nb + 1) {
		int64_t *r = realloc(sc->row, ((size_t)nb + 1) * sizeof(*r));

		if (!r)
			return -1;
		sc->row = r;
		sc->rowcap = (size_t)nb + 1;
	}
	for (j = 0; j <= nb; j++)
		sc->row[j] = j;
	for (i = 1; i <= na; i++) {
		diag = sc->row[0];
		low = sc->row[0] = i;
		for (j = 1; j <= nb; j++) {
			best = diag + (sc->ca[i - 1] != sc->cb[j - 1]);
			if (sc->row[j] + 1 < best)
				best = sc->row[j] + 1;
			if (sc->row[j - 1] + 1 < best)
				best = sc->row[j - 1] + 1;
			diag = sc->row[j];
			sc->row[j] = best;
			if (best < low)
				low = best;
		}
		if (low >= stop)
			return 0;
	}
	if (sc->row[nb] >= stop)
		return 0;
	return 100 * (l - sc->row[nb]) / l;
}

int mt_score(const struct mt_text *a, const struct mt_text *b,
	     struct mt_scratch *sc)
{
	int64_t total, d, minor, punct, tags, c, base, score, lift, pa, pb;
	size_t na, nb;

	if (a->n == b->n && a->ident == b->ident)
		return 100;
	if (pick(a, 1, 0, &sc->ia, &sc->icap_a, &na) ||
	    pick(b, 1, 0, &sc->ib, &sc->icap_b, &nb))
		return -1;
	total = edit_distance(a, sc->ia, na, b, sc->ib, nb, MT_WHOLE * BIG, sc);
	punct = kind_distance(a, b, MT_PUNCT, sc);
	tags = kind_distance(a, b, MT_TAG, sc);
	if (total < 0 || punct < 0 || tags < 0)
		return -1;
	d = total / BIG;
	minor = total % BIG;
	/* Placeholders are content too, aligned with each other wherever
	 * they stand (their order is the tags' distance): each that the
	 * other text has no counterpart for is a token inserted. */
	pa = (int64_t)a->nph;
	pb = (int64_t)b->nph;
	d += MT_WHOLE * (pa > pb ? pa - pb : pb - pa);
	pa += (int64_t)na;
	pb += (int64_t)nb;
	c = MT_WHOLE * (pa > pb ? pa : pb);
	base = c ? 100 * (c - d) / c : 100;
	score = base - minor - punct - tags;
	if (score > 99)
		score = 99;
	if (score < 0)
		score = 0;
	/* Step 5: on a short segment one word is a third or half of the
	 * score, however little of the text it is; the characters tell.
	 * Bounded, so that texts far apart in words stay apart, and only
	 * for texts that share some of their words. */
	lift = mt_char_lift((size_t)(c / MT_WHOLE));
	if (d < c && score < 99 && lift > 0) {
		int64_t ch = char_similarity(a, b, score, sc);

		if (ch < 0)
			return -1;
		if (ch > score + lift)
			ch = score + lift;
		if (ch > 99)
			ch = 99;
		if (ch > score)
			score = ch;
	}
	return (int)score;
}

/* Code points of s, into a new array (*n of them); NULL if out of memory. */
static UChar32 *code_points(const char *s, int32_t *n)
{
	int32_t len = (int32_t)strlen(s), i = 0;
	UChar32 *cp = malloc(((size_t)len + 1) * sizeof(*cp)), c;

	*n = 0;
	if (!cp)
		return NULL;
	while (i < len) {
		U8_NEXT(s, i, len, c);
		cp[(*n)++] = c;
	}
	return cp;
}

long mt_char_distance(const char *a, const char *b)
{
	UChar32 *x = NULL, *y = NULL;
	long *row = NULL, d = -1, diag, best;
	int32_t nx, ny, i, j;

	if (!(x = code_points(a, &nx)) || !(y = code_points(b, &ny)))
		goto done;
	if ((int64_t)nx * ny > 4000000) {
		d = nx > ny ? nx - ny : ny - nx;
		goto done;
	}
	if (!(row = malloc(((size_t)ny + 1) * sizeof(*row))))
		goto done;
	for (j = 0; j <= ny; j++)
		row[j] = j;
	for (i = 1; i <= nx; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= ny; j++) {
			best = diag + (x[i - 1] != y[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = row[j];
			row[j] = best;
		}
	}
	d = row[ny];
done:
	free(x);
	free(y);
	free(row);
	return d;
}

/* ---- diff --------------------------------------------------------------- */

/* Full edit matrix over all tokens; steps from the end back. */
enum step { ST_EQ, ST_SUB, ST_DEL, ST_INS };

static int align_all(const struct mt_text *q, const struct mt_text *s,
		     unsigned char **steps, size_t *nsteps)
{
	size_t n = q->n, m = s->n, i, j, k = 0;
	uint32_t *d = malloc((n + 1) * (m + 1) * sizeof(*d));
	unsigned char *out = malloc(n + m + 1);

	if (!d || !out) {
		free(d);
		free(out);
		return -1;
	}
#define D(i, j) d[(i) * (m + 1) + (j)]
	for (i = 0; i <= n; i++)
		D(i, 0) = (uint32_t)(2 * i);
	for (j = 0; j <= m; j++)
		D(0, j) = (uint32_t)(2 * j);
	for (i = 1; i <= n; i++) {
		for (j = 1; j <= m; j++) {
			const struct mt_tok *x = &q->t[i - 1],
					    *y = &s->t[j - 1];
			uint32_t sub = x->exact == y->exact ? 0
				       : x->kind == y->kind ? 3
							    : 4;
			uint32_t best = D(i - 1, j - 1) + sub;

			if (D(i - 1, j) + 2 < best)
				best = D(i - 1, j) + 2;
			if (D(i, j - 1) + 2 < best)
				best = D(i, j - 1) + 2;
			D(i, j) = best;
		}
	}
	i = n;
	j = m;
	while (i > 0 || j > 0) {
		if (i > 0 && j > 0) {
			const struct mt_tok *x = &q->t[i - 1],
					    *y = &s->t[j - 1];
			uint32_t sub = x->exact == y->exact ? 0
				       : x->kind == y->kind ? 3
							    : 4;

			if (D(i, j) == D(i - 1, j - 1) + sub) {
				out[k++] = sub ? ST_SUB : ST_EQ;
				i--;
				j--;
				continue;
			}
		}
		if (i > 0 && D(i, j) == D(i - 1, j) + 2) {
			out[k++] = ST_DEL;
			i--;
		} else {
			out[k++] = ST_INS;
			j--;
		}
	}
#undef D
	free(d);
	/* reverse into query order */
	for (i = 0; i < k / 2; i++) {
		unsigned char t = out[i];

		out[i] = out[k - 1 - i];
		out[k - 1 - i] = t;
	}
	*steps = out;
	*nsteps = k;
	return 0;
}

int mt_diff(const struct mt_text *q, const struct mt_text *s,
	    struct tm_diff **out, size_t *nout)
{
	unsigned char *steps = NULL;
	struct tm_diff *ops = NULL;
	size_t nsteps, k, qi = 0, si = 0, n = 0;

	*out = NULL;
	*nout = 0;
	if (align_all(q, s, &steps, &nsteps))
		return TOLK_ENOMEM;
	ops = calloc(nsteps + 1, sizeof(*ops));
	if (!ops) {
		free(steps);
		return TOLK_ENOMEM;
	}
	for (k = 0; k < nsteps;) {
		size_t q0 = qi, s0 = si;
		struct tm_diff *op;

		if (steps[k] == ST_EQ) {
			qi++;
			si++;
			k++;
			continue;
		}
		while (k < nsteps && steps[k] != ST_EQ) {
			if (steps[k] != ST_INS)
				qi++;
			if (steps[k] != ST_DEL)
				si++;
			k++;
		}
		op = &ops[n++];
		op->op = qi == q0   ? TM_DIFF_INSERT
			 : si == s0 ? TM_DIFF_DELETE
				    : TM_DIFF_REPLACE;
		if (qi > q0) {
			op->q_off = q->t[q0].start;
			op->q_len = q->t[qi - 1].end - op->q_off;
		} else {
			op->q_off = q0 < q->n ? q->t[q0].start : q->len;
		}
		if (si > s0) {
			op->s_off = s->t[s0].start;
			op->s_len = s->t[si - 1].end - op->s_off;
		} else {
			op->s_off = s0 < s->n ? s->t[s0].start : s->len;
		}
	}
	free(steps);
	*out = ops;
	*nout = n;
	return 0;
}

/* ---- placeable adaptation -----------------------------------------------
 *
 * A match whose source differs from the query only in placeables offers
 * its target with the query's placeables put in, each written the way the
 * target writes that kind of placeable:
 *
 *   - numbers in English notation ("1,5" -> "1.5", "12 000" -> "12,000");
 *   - times of day and dates, read by the number scanner (util/number.h)
 *     in the source as Norwegian and in the target as English, are found
 *     in the target by their normalised value and rewritten in the
 *     target's notation: "kl. 14.30" -> "kl. 15.30" turns "at 14:30" into
 *     "at 15:30" and "at 2.30 pm" into "at 3.30 pm"; "28. november" ->
 *     "27. oktober" turns "November 28th" into "October 27th".  A date's
 *     month name may differ between query and source: it is part of the
 *     placeable, not a word of the sentence;
 *   - inline tags and placeholders: when query and source have the same
 *     number of them in the same places between the words, the one in
 *     each place of the source is replaced in the target by the query's
 *     ("{0}" -> "{1}", "%s" -> "%d", or two swapped).  Only when that is
 *     unambiguous: each such tag occurs once in the source and once in the
 *     target.
 *   - the same tags in other places: where a tag goes in the target needs
 *     a word alignment, which tolk does not have, except where the query
 *     ties the tag to something the target has too.  A tag the query
 *     writes against a word or number (no space between) that occurs
 *     once in the query, and once in the target as the source has it,
 *     goes against it in the target ("Pris: <b>12</b> kr" puts
 *     "<b>12</b>" in "NOK 12"); one
 *     with nothing but punctuation before it (after it) in the query goes
 *     at the target's start (end), where the target has that same
 *     punctuation.  When a moved tag has no such place, the tags stay
 *     where the target has them (moving some of a pair would change
 *     what they enclose) and are only reported in the diff.
 *
 * Anything else that differs, a placeable the target does not have, or two
 * replacements that overlap in the target, and there is no adapted
 * target: a half-adapted one would be trusted as it is. */

enum pair_kind { PAIR_NUM, PAIR_WORD, PAIR_TAG, PAIR_MOVE };

struct pair {
	uint32_t q, s; /* token indexes */
	enum pair_kind kind;
};

static int is_content_tok(const struct mt_tok *t)
{
	return t->kind == MT_WORD || t->kind == MT_NUM;
}

/* The tags of q that stand after another number of content tokens than
 * the same tag of s (the k-th of q is the k-th of s: the caller found
 * the same tags in the same order), as PAIR_MOVE pairs into p. */
static size_t moved_tags(const struct mt_text *q, const struct mt_text *s,
			 struct pair *p)
{
	size_t qi = 0, si = 0, cq = 0, cs = 0, n = 0;

	for (;;) {
		for (; qi < q->n && q->t[qi].kind != MT_TAG; qi++)
			cq += is_content_tok(&q->t[qi]);
		for (; si < s->n && s->t[si].kind != MT_TAG; si++)
			cs += is_content_tok(&s->t[si]);
		if (qi == q->n || si == s->n)
			return n;
		if (cq != cs) {
			p[n].q = (uint32_t)qi;
			p[n].s = (uint32_t)si;
			p[n++].kind = PAIR_MOVE;
		}
		qi++;
		si++;
	}
}

/* The content and tag tokens that differ between q and s when they differ
 * only in placeables (see above); *n = 0 when anything else differs. */
static int placeable_pairs(const struct mt_text *q, const struct mt_text *s,
			   struct pair **out, size_t *nout)
{
	struct mt_scratch sc = {0};
	size_t na, nb, nqt, nst, i, qi, si, n = 0;
	struct pair *p = NULL;
	int rc = -1, same_places = 1;

	*out = NULL;
	*nout = 0;
	if (pick(q, 1, 0, &sc.ia, &sc.icap_a, &na) ||
	    pick(s, 1, 0, &sc.ib, &sc.icap_b, &nb))
		goto done;
	rc = 0;
	if (na != nb || kind_distance(q, s, MT_PUNCT, &sc) != 0)
		goto done;
	if (!(p = malloc((q->n + 1) * sizeof(*p)))) {
		rc = -1;
		goto done;
	}
	/* Tags: the k-th of each text after the same number of content
	 * tokens, else the same tags (moved: the target keeps its own). */
	for (qi = si = 0, nqt = nst = 0; qi < q->n || si < s->n;) {
		while (qi < q->n && q->t[qi].kind == MT_PUNCT)
			qi++;
		while (si < s->n && s->t[si].kind == MT_PUNCT)
			si++;
		if (qi == q->n && si == s->n)
			break;
		if (qi == q->n || si == s->n ||
		    (q->t[qi].kind == MT_TAG) != (s->t[si].kind == MT_TAG)) {
			same_places = 0;
			break;
		}
		if (q->t[qi].kind == MT_TAG) {
			nqt++;
			nst++;
			if (q->t[qi].exact != s->t[si].exact) {
				p[n].q = (uint32_t)qi;
				p[n].s = (uint32_t)si;
				p[n++].kind = PAIR_TAG;
			}
		}
		qi++;
		si++;
	}
	if (!same_places) {
		n = 0;
		if (kind_distance(q, s, MT_TAG, &sc) != 0)
			goto done;
		n = moved_tags(q, s, p);
	}
	/* kind_distance reused the index arrays */
	if (pick(q, 1, 0, &sc.ia, &sc.icap_a, &na) ||
	    pick(s, 1, 0, &sc.ib, &sc.icap_b, &nb)) {
		rc = -1;
		goto done;
	}
	for (i = 0; i < na; i++) {
		const struct mt_tok *x = &q->t[sc.ia[i]], *y = &s->t[sc.ib[i]];
		int64_t c = sub_cost(q, x, s, y);

		if (c == 0)
			continue;
		if (x->kind != y->kind ||
		    (x->kind != MT_NUM && x->kind != MT_WORD)) {
			n = 0;
			goto done;
		}
		p[n].q = sc.ia[i];
		p[n].s = sc.ib[i];
		/* a word may differ only as a date's month: checked
		 * against the scanner by the caller */
		p[n++].kind = x->kind == MT_NUM ? PAIR_NUM : PAIR_WORD;
	}
done:
	if (n == 0) {
		free(p);
		p = NULL;
	}
	*out = p;
	*nout = n;
	mt_scratch_release(&sc);
	return rc;
}

/* The numbers of a text as the scanner reads them, in text order. */
struct exprs {
	struct tolk_num *e;
	size_t n;
	unsigned char *used;
};

static int scan_exprs(const char *text, size_t len, enum tolk_num_lang lang,
		      struct exprs *x)
{
	size_t pos = 0, cap = 0;
	struct tolk_num num;

	while (tolk_num_next(text, len, &pos, lang, &num)) {
		if (x->n == cap) {
			size_t c = cap ? cap * 2 : 8;
			struct tolk_num *e = realloc(x->e, c * sizeof(*e));

			if (!e)
				return -1;
			x->e = e;
			cap = c;
		}
		x->e[x->n++] = num;
	}
	x->used = calloc(x->n + 1, 1);
	return x->used ? 0 : -1;
}

static void exprs_release(struct exprs *x)
{
	free(x->e);
	free(x->used);
}

/* Index of the expression that covers byte off, else -1. */
static long expr_at(const struct exprs *x, size_t off)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		if (off >= x->e[i].start && off < x->e[i].end)
			return (long)i;
	return -1;
}

struct repl {
	size_t off, len;
	char text[128];
};

/* By place; an insertion (len 0) before a replacement at the same place. */
static int cmp_repl(const void *a, const void *b)
{
	const struct repl *x = a, *y = b;

	if (x->off != y->off)
		return (x->off > y->off) - (x->off < y->off);
	return (x->len > y->len) - (x->len < y->len);
}

/* Is the time value ("19:00") what target number e says, as a time or,
 * where English text writes one without a marker, as "19.00"? */
static int time_is(const char *t, const struct tolk_num *e, const char *value)
{
	char v[16];
	int h = 0, m = 0;
	size_t k;

	if (e->kind == TOLK_NUM_TIME)
		return strcmp(e->value, value) == 0;
	if (e->kind != TOLK_NUM_PLAIN || e->negative || e->ng != 2 ||
	    e->glen[0] > 2 || e->glen[1] != 2 ||
	    (e->sep[0] != TOLK_NUM_SEP_DOT && e->sep[0] != TOLK_NUM_SEP_COLON))
		return 0;
	for (k = 0; k < e->glen[0]; k++)
		h = h * 10 + t[e->goff[0] + k] - '0';
	m = (t[e->goff[1]] - '0') * 10 + t[e->goff[1] + 1] - '0';
	snprintf(v, sizeof(v), "%d:%02d", h, m);
	return h <= 23 && m <= 59 && strcmp(v, value) == 0;
}

static char sep_char(enum tolk_num_sep s)
{
	return s == TOLK_NUM_SEP_DOT	 ? '.'
	       : s == TOLK_NUM_SEP_COMMA ? ','
					 : ':';
}

/* The time value ("15:30") in the notation of target time e: 12 hours
 * with its am/pm marker, else 24; minutes when it shows them or they are
 * not 0. */
static void write_time(const char *t, const struct tolk_num *e,
		       const char *value, struct repl *r)
{
	int h = atoi(value), m = atoi(strchr(value, ':') + 1), pm;
	char sep = e->ng == 2 ? sep_char(e->sep[0]) : ':';
	size_t mk = e->nend, len;

	while (mk < e->end && t[mk] == ' ')
		mk++;
	r->off = e->nstart;
	r->len = e->nend - e->nstart;
	if (mk < e->end && ((t[mk] | 0x20) == 'a' || (t[mk] | 0x20) == 'p')) {
		pm = h >= 12;
		h = h % 12 ? h % 12 : 12;
		if (m || e->ng == 2)
			len = (size_t)snprintf(r->text, sizeof(r->text),
					       "%d%c%02d", h, sep, m);
		else
			len =
			    (size_t)snprintf(r->text, sizeof(r->text), "%d", h);
		/* the marker as the target writes it: "PM", "p.m." */
		snprintf(r->text + len, sizeof(r->text) - len, "%.*s%c%.*s",
			 (int)(mk - e->nend), t + e->nend,
			 (t[mk] & 0x20) | (pm ? 'P' : 'A'),
			 (int)(e->end - mk - 1), t + mk + 1);
		r->len = e->end - e->nstart;
		return;
	}
	if (m || e->ng == 2)
		snprintf(r->text, sizeof(r->text),
			 e->glen[0] == 2 ? "%02d%c%02d" : "%d%c%02d", h, sep,
			 m);
	else
		snprintf(r->text, sizeof(r->text),
			 e->glen[0] == 2 ? "%02d" : "%d", h);
}

static const char *ordinal_suffix(int day)
{
	if (day % 10 == 1 && day != 11)
		return "st";
	if (day % 10 == 2 && day != 12)
		return "nd";
	if (day % 10 == 3 && day != 13)
		return "rd";
	return "th";
}

static size_t alpha_run(const char *t, size_t from, size_t to)
{
	size_t i = from;

	while (i < to && (((t[i] | 0x20) >= 'a' && (t[i] | 0x20) <= 'z') ||
			  (unsigned char)t[i] >= 0x80))
		i++;
	return i - from;
}

/* The date value ("11-27", "2024-05-17") in the notation of target date
 * e, which has the source's value sv: "17.05.2024", "27 November",
 * "November 27th", "27. november".  0, or -1 when it cannot be written. */
static int write_date(const char *t, const struct tolk_num *e, const char *sv,
		      const char *value, struct repl *r)
{
	int y = 0, mo, d, smo;
	const char *name;
	char month[32];
	size_t ms, me, ml, i, ds, de;

	if (strlen(value) != strlen(sv))
		return -1; /* a year on one side only */
	if (strlen(value) == 10) {
		y = atoi(value);
		value += 5;
		sv += 5;
	}
	mo = atoi(value);
	d = atoi(value + 3);
	smo = atoi(sv);
	if (e->ng == 3) {
		r->off = e->nstart;
		r->len = e->nend - e->nstart;
		snprintf(r->text, sizeof(r->text), "%0*d%c%0*d%c%0*d",
			 (int)e->glen[0], d, sep_char(e->sep[0]),
			 (int)e->glen[1], mo, sep_char(e->sep[1]),
			 (int)e->glen[2], e->glen[2] == 2 ? y % 100 : y);
		return 0;
	}
	if (e->ng != 1)
		return -1;
	/* the month name: before the day ("November 28") or after it */
	if (e->start < e->nstart) {
		ms = e->start;
		ml = alpha_run(t, ms, e->nstart);
	} else {
		for (ms = e->end; ms > e->nend && alpha_run(t, ms - 1, e->end);)
			ms--;
		ml = e->end - ms;
	}
	if (ml == 0 || ml >= sizeof(month))
		return -1;
	me = ms + ml;
	memcpy(month, t + ms, ml);
	month[ml] = '\0';
	if (mo != smo) {
		/* in the language the target writes the month in: "november"
		 * in lower case is Norwegian, English capitalises it */
		name = tolk_num_month_name(mo, TOLK_NUM_EN);
		if (!(t[ms] >= 'A' && t[ms] <= 'Z') &&
		    !strcmp(month, tolk_num_month_name(smo, TOLK_NUM_NB)))
			name = tolk_num_month_name(mo, TOLK_NUM_NB);
		ml = strlen(name);
		for (i = 0; i < ml; i++)
			month[i] = i == 0 && (t[ms] >= 'A' && t[ms] <= 'Z')
				       ? (char)(name[i] - 32)
				       : name[i];
		month[ml] = '\0';
	}
	/* the day, with its English ordinal suffix if it had one */
	ds = e->nstart;
	de = e->nend;
	if (e->end >= de + 2 && alpha_run(t, de, e->end) >= 2 &&
	    (!strncasecmp(t + de, "st", 2) || !strncasecmp(t + de, "nd", 2) ||
	     !strncasecmp(t + de, "rd", 2) || !strncasecmp(t + de, "th", 2)))
		de += 2;
	r->off = e->start;
	r->len = e->end - e->start;
	if (e->start < e->nstart)
		snprintf(r->text, sizeof(r->text), "%s%.*s%d%s%.*s", month,
			 (int)(ds - me), t + me, d,
			 de > e->nend ? ordinal_suffix(d) : "",
			 (int)(e->end - de), t + de);
	else
		snprintf(r->text, sizeof(r->text), "%d%s%.*s%s", d,
			 de > e->nend ? ordinal_suffix(d) : "", (int)(ms - de),
			 t + de, month);
	return 0;
}

/* A time or date pair: the query's expression qe written in the target
 * where it has the source's se.  0, or 1 when the target lacks it. */
static int adapt_expr(const char *target, struct exprs *tx,
		      const struct tolk_num *qe, const struct tolk_num *se,
		      struct repl *r)
{
	size_t k;

	for (k = 0; k < tx->n; k++) {
		const struct tolk_num *te = &tx->e[k];

		if (tx->used[k])
			continue;
		if (se->kind == TOLK_NUM_TIME && time_is(target, te, se->value))
			break;
		if (se->kind == TOLK_NUM_DATE && te->kind == TOLK_NUM_DATE &&
		    strcmp(te->value, se->value) == 0)
			break;
	}
	if (k == tx->n)
		return 1;
	tx->used[k] = 1;
	if (se->kind == TOLK_NUM_TIME) {
		write_time(target, &tx->e[k], qe->value, r);
		return 0;
	}
	return write_date(target, &tx->e[k], se->value, qe->value, r) ? 1 : 0;
}

/* Tag pair p: the source's tag, once in the source and once in the
 * target, replaced there by the query's.  0, or 1 when ambiguous. */
static int adapt_tag(const struct mt_text *q, const struct mt_text *s,
		     const struct mt_text *tt, const struct pair *p,
		     unsigned char *used, struct repl *r)
{
	const struct mt_tok *qt = &q->t[p->q], *st = &s->t[p->s];
	size_t k, hit = tt->n, ns = 0;

	for (k = 0; k < s->n; k++)
		ns += s->t[k].kind == MT_TAG && s->t[k].exact == st->exact;
	for (k = 0; k < tt->n; k++) {
		if (tt->t[k].kind != MT_TAG || tt->t[k].exact != st->exact)
			continue;
		if (hit != tt->n)
			return 1;
		hit = k;
	}
	if (ns != 1 || hit == tt->n || used[hit] ||
	    qt->end - qt->start >= sizeof(r->text))
		return 1;
	used[hit] = 1;
	r->off = tt->t[hit].start;
	r->len = tt->t[hit].end - r->off;
	memcpy(r->text, q->text + qt->start, qt->end - qt->start);
	r->text[qt->end - qt->start] = '\0';
	return 0;
}

/* The index of the one token of mt with x's kind and exact form, or mt->n
 * when there is none or more than one. */
static size_t find_once(const struct mt_text *mt, const struct mt_tok *x)
{
	size_t k, hit = mt->n;

	for (k = 0; k < mt->n; k++) {
		if (mt->t[k].kind != x->kind || mt->t[k].exact != x->exact)
			continue;
		if (hit != mt->n)
			return mt->n;
		hit = k;
	}
	return hit;
}

/* The source's token in the place of the query's content token q->t[x]
 * (placeable_pairs found as many content tokens on both sides). */
static const struct mt_tok *counterpart(const struct mt_text *q, size_t x,
					const struct mt_text *s)
{
	size_t k, c = 0;

	for (k = 0; k < x; k++)
		c += is_content_tok(&q->t[k]);
	for (k = 0; k < s->n; k++)
		if (is_content_tok(&s->t[k]) && c-- == 0)
			return &s->t[k];
	return NULL;
}

/* Where in the target tt the query's tag q->t[i] goes, by the rules above:
 * the byte offset, with the white space to write before (*lead) and after
 * (*trail) it; -1 when the query does not say.  The word or number it is
 * tied to is found in the target as the source has it (a number the
 * adaptation changes keeps its place). */
static long move_place(const struct mt_text *q, size_t i,
		       const struct mt_text *s, const struct mt_text *tt,
		       int *lead, int *trail)
{
	const struct mt_tok *t = &q->t[i], *y;
	int before = i + 1 < q->n && is_content_tok(&q->t[i + 1]) &&
		     !q->t[i + 1].space_before;
	int after = i > 0 && is_content_tok(&q->t[i - 1]) && !t->space_before;
	size_t k, x = before ? i + 1 : i - 1, edge;

	*lead = *trail = 0;
	if (before && after)
		return -1; /* inside a word: "a<b>b" */
	if ((before || after) && find_once(q, &q->t[x]) != q->n &&
	    (y = counterpart(q, x, s)) && find_once(s, y) != s->n &&
	    (k = find_once(tt, y)) != tt->n)
		return (long)(before ? tt->t[k].start : tt->t[k].end);
	/* at an edge: only punctuation between the tag and it, the same
	 * at that edge of the target */
	for (k = 0; k < i && q->t[k].kind == MT_PUNCT; k++)
		;
	if (k == i) {
		edge = t->start;
		if (edge > tt->len || memcmp(q->text, tt->text, edge) != 0)
			return -1;
		*trail = i + 1 < q->n && q->t[i + 1].space_before;
		return (long)edge;
	}
	for (k = i + 1; k < q->n && q->t[k].kind == MT_PUNCT; k++)
		;
	if (k == q->n) {
		edge = q->len - t->end;
		if (edge > tt->len ||
		    memcmp(q->text + t->end, tt->text + tt->len - edge, edge))
			return -1;
		*lead = t->space_before;
		return (long)(tt->len - edge);
	}
	return -1;
}

/* Moved tag pair p: the target's one such tag taken out of its place
 * (with a space that would be left doubled or before punctuation) and
 * written where move_place says.  The replacements made (2), or 0 when
 * the place is unclear: the tag then stays where the target has it. */
static size_t move_tag(const struct mt_text *q, const struct mt_text *s,
		       const struct mt_text *tt, const struct pair *p,
		       unsigned char *used, struct repl *r)
{
	const struct mt_tok *qt = &q->t[p->q];
	size_t k = find_once(tt, qt), off, end, tl;
	int lead, trail;
	long at;

	if (k == tt->n || used[k] || find_once(q, qt) == q->n)
		return 0;
	off = tt->t[k].start;
	end = tt->t[k].end;
	tl = end - off;
	if (tl + 3 > sizeof(r[1].text) ||
	    (at = move_place(q, p->q, s, tt, &lead, &trail)) < 0)
		return 0;
	used[k] = 1;
	r[1].off = (size_t)at;
	r[1].len = 0;
	snprintf(r[1].text, sizeof(r[1].text), "%s%.*s%s", lead ? " " : "",
		 (int)tl, tt->text + off, trail ? " " : "");
	if (off > 0 && tt->text[off - 1] == ' ' &&
	    (end == tt->len || tt->text[end] == ' ' ||
	     (k + 1 < tt->n && tt->t[k + 1].kind == MT_PUNCT &&
	      tt->t[k + 1].start == end)))
		off--;
	else if (off == 0 && end < tt->len && tt->text[end] == ' ')
		end++;
	r[0].off = off;
	r[0].len = end - off;
	r[0].text[0] = '\0';
	return 2;
}

/* A number pair: the source's number found in the target by its value,
 * replaced by the query's in English notation.  0, or 1 when missing. */
static int adapt_number(const struct mt_text *q, const struct mt_text *s,
			const struct mt_text *tt, const struct pair *p,
			unsigned char *used, struct repl *r)
{
	const struct mt_tok *qt = &q->t[p->q], *st = &s->t[p->s];
	char sv[128], tv[128], qv[128];
	size_t k;
	int g, qg;

	tolk_num_canon(s->text + st->start, st->end - st->start, TOLK_NUM_NB,
		       sv, sizeof(sv), &g);
	for (k = 0; k < tt->n; k++) {
		const struct mt_tok *t = &tt->t[k];

		if (t->kind != MT_NUM || used[k])
			continue;
		tolk_num_canon(tt->text + t->start, t->end - t->start,
			       TOLK_NUM_EN, tv, sizeof(tv), &g);
		if (strcmp(sv, tv) == 0)
			break;
	}
	if (k == tt->n)
		return 1;
	used[k] = 1;
	tolk_num_canon(q->text + qt->start, qt->end - qt->start, TOLK_NUM_NB,
		       qv, sizeof(qv), &qg);
	r->off = tt->t[k].start;
	r->len = tt->t[k].end - tt->t[k].start;
	tolk_num_english(qv, qg, r->text, sizeof(r->text));
	return 0;
}

/* After a tag taken out of the target (b so far, target[pos..) to come):
 * the space on one side of it goes when the other side is the start, the
 * end, a space or a closing mark (two tags next to each other, taken out
 * one by one, leave what move_tag alone could not see).  Where to go on
 * in the target. */
static size_t tidy_space(struct tolk_buf *b, const char *target, size_t pos)
{
	int sp = b->len > 0 && b->data[b->len - 1] == ' ';

	if (target[pos] == ' ' && (b->len == 0 || sp))
		return pos + 1;
	if (sp && (!target[pos] || strchr(".,:;!?", target[pos])))
		b->len--;
	return pos;
}

int mt_adapt(struct mt_tokenizer *tk, const struct mt_text *q,
	     const struct mt_text *s, const char *target, char **out,
	     struct tolk_err *err)
{
	struct mt_text tt = {0};
	struct exprs qx = {0}, sx = {0}, tx = {0};
	struct pair *pp = NULL;
	struct repl *rp = NULL;
	struct tolk_buf b = TOLK_BUF_INIT;
	unsigned char *used = NULL;
	size_t npp, nrp = 0, i, pos = 0;
	int rc = 0, stay = 0;

	*out = NULL;
	if (placeable_pairs(q, s, &pp, &npp))
		goto nomem;
	if (npp == 0)
		goto done;
	if ((rc = mt_tokenize(tk, target, strlen(target), &tt, err)))
		goto done;
	used = calloc(tt.n + 1, 1);
	rp = calloc(2 * npp, sizeof(*rp)); /* a moved tag takes two */
	if (!used || !rp || scan_exprs(q->text, q->len, TOLK_NUM_NB, &qx) ||
	    scan_exprs(s->text, s->len, TOLK_NUM_NB, &sx) ||
	    scan_exprs(target, strlen(target), TOLK_NUM_EN, &tx))
		goto nomem;
	for (i = 0; i < npp; i++) {
		const struct pair *p = &pp[i];
		long qe, se;

		if (p->kind == PAIR_TAG) {
			if (adapt_tag(q, s, &tt, p, used, &rp[nrp++]))
				goto done;
			continue;
		}
		if (p->kind == PAIR_MOVE) {
			size_t made =
			    stay ? 0 : move_tag(q, s, &tt, p, used, &rp[nrp]);

			/* placeable_pairs put the moves first: one without
			 * a place, and none of them is made */
			nrp = made ? nrp + made : 0;
			stay = !made;
			continue;
		}
		qe = expr_at(&qx, q->t[p->q].start);
		se = expr_at(&sx, s->t[p->s].start);
		if (se >= 0 && (sx.e[se].kind == TOLK_NUM_TIME ||
				sx.e[se].kind == TOLK_NUM_DATE)) {
			if (qe < 0 || qx.e[qe].kind != sx.e[se].kind)
				goto done;
			if (sx.used[se])
				continue; /* day and month of one date */
			sx.used[se] = 1;
			if (adapt_expr(target, &tx, &qx.e[qe], &sx.e[se],
				       &rp[nrp++]))
				goto done;
			continue;
		}
		if (p->kind == PAIR_WORD ||
		    adapt_number(q, s, &tt, p, used, &rp[nrp++]))
			goto done; /* not in the target: no adaptation */
	}
	if (nrp == 0)
		goto done; /* only tags moved, to no clear place */
	qsort(rp, nrp, sizeof(*rp), cmp_repl);
	for (i = 0; i + 1 < nrp; i++)
		if (rp[i].off + rp[i].len > rp[i + 1].off ||
		    (rp[i].off == rp[i + 1].off && !rp[i].len &&
		     !rp[i + 1].len))
			goto done; /* one placeable of the target read twice,
				    * or two tags put in one place */
	for (i = 0; i < nrp; i++) {
		if (tolk_buf_append(&b, target + pos, rp[i].off - pos) ||
		    tolk_buf_puts(&b, rp[i].text))
			goto nomem;
		pos = rp[i].off + rp[i].len;
		if (rp[i].len && !rp[i].text[0] &&
		    (i + 1 == nrp || rp[i + 1].off > pos))
			pos = tidy_space(&b, target, pos);
	}
	if (tolk_buf_puts(&b, target + pos))
		goto nomem;
	*out = tolk_buf_detach(&b);
	if (!*out)
		goto nomem;
	goto done;
nomem:
	rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
done:
	tolk_buf_free(&b);
	mt_text_release(&tt);
	exprs_release(&qx);
	exprs_release(&sx);
	exprs_release(&tx);
	free(pp);
	free(rp);
	free(used);
	return rc;
}
