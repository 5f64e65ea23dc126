/* Internals of the matcher shared by tm/match_text.c (tokens, scores, diffs),
 * tm/match.c (candidate index, lookup, concordance) and the store's
 * index hooks.  Not part of the public API. */
#ifndef TM_MATCH_INT_H
#define TM_MATCH_INT_H

#include <stddef.h>
#include <stdint.h>

#include "tm/match.h"
#include "tm/store.h"
#include "util/err.h"

enum mt_kind { MT_WORD = 0, MT_NUM, MT_PUNCT, MT_TAG };

/* A token of a segment.  Keys are 64-bit hashes:
 *   exact  NFC form (numbers: digits with white space folded to one space)
 *   fold   NFC + case folding (numbers: their value, Norwegian notation)
 *   loose  fold without diacritics, ø as o, æ as ae (numbers: one class
 *          key for all); what the index and concordance compare. */
struct mt_tok {
	uint32_t start, end; /* byte range in the text */
	uint64_t exact, fold, loose;
	/* words: key of the Snowball stem of the loose form (its first
	 * MT_STEM_KEY bytes), and where the loose form (wlen bytes, UTF-8)
	 * and its stem (slen bytes) lie in the text's pool; wlen 0 for
	 * words too long to compare letter by letter */
	uint64_t stem;
	uint32_t woff;
	unsigned char wlen, slen;
	unsigned char kind;
	unsigned char space_before; /* white space between it and the last */
	unsigned char ph; /* a tag that stands for text: %s, {0}, {{name}} */
};

/* Costs of aligning two words, in tenths of a whole edit (MT_WHOLE): what
 * tm/match_text.c's formula charges, and what the candidate index bounds. */
#define MT_WHOLE     10
#define MT_COST_DIA  2 /* same letters up to diacritics */
#define MT_COST_STEM 3 /* same stem, or one a short extension of the other */
#define MT_COST_TYPO 5 /* one letter inserted, deleted or replaced */
/* Stems share a key on their first MT_STEM_KEY bytes; a stem shorter
 * than that is its own key. */
#define MT_STEM_KEY 5
#define MT_STEM_EXT 3  /* most bytes a stem may extend the other by */
#define MT_TYPO_MIN 5  /* shortest word (bytes) a typo is assumed in */
#define MT_WORD_MAX 64 /* longest loose form compared letter by letter */
/* Most points the character-level similarity may add to the word-level
 * score (tm/match_text.c, step 5): what the index's bounds allow for. */
#define MT_CHAR_LIFT 15
/* Longest text (code points) the character-level similarity is taken of;
 * a longer one keeps its word-level score. */
#define MT_CHAR_MAX 1000

/* A tokenised segment; text is borrowed. */
struct mt_text {
	const char *text;
	size_t len;
	struct mt_tok *t;
	size_t n, cap;
	/* content tokens: words and placeables (numbers and placeholders,
	 * any two of a kind aligned at no word cost); what the index's
	 * bounds count as tokens and as free matches.  nph of the nnums are
	 * placeholders, which phrases (concordance, partial matches) do not
	 * look for. */
	size_t nwords, nnums, nph;
	uint64_t ident; /* same value: same text up to white space */
	char *pool;	/* loose forms and stems of the words */
	size_t npool, poolcap;
};

struct mt_tokenizer;

int mt_tokenizer_new(struct mt_tokenizer **out, struct tolk_err *err);
void mt_tokenizer_free(struct mt_tokenizer *tk);
/* For a tokenizer that will see many texts (an import's indexing
 * thread): its word memo on huge pages, made and cleared at once, so that
 * its look-ups miss no TLB entry.  Before the first text.  Its texts may
 * leave a word's stem key and its loose form and stem bytes out (woff
 * MT_WOFF_LAZY, stem 0; the other keys, wlen and slen are there): a
 * word found in the memo then costs one cache line rather than two, and
 * mt_word_fill gives them to the words that need them. */
void mt_tokenizer_set_bulk(struct mt_tokenizer *tk);

#define MT_WOFF_LAZY UINT32_MAX

/* Fills in word t of mt (tokenised by tk, its text still there) the stem
 * key and the pool's bytes a bulk tokenizer left out; a no-op on any
 * other token.  0, -1 out of memory. */
int mt_word_fill(struct mt_tokenizer *tk, struct mt_text *mt, struct mt_tok *t);

/* Tokenises text[0..len) into *mt (reusing its memory). */
int mt_tokenize(struct mt_tokenizer *tk, const char *text, size_t len,
		struct mt_text *mt, struct tolk_err *err);
void mt_text_release(struct mt_text *mt);

/* The cost (0..MT_WHOLE, tenths of an edit) of aligning two words that
 * are not the same up to case: MT_COST_DIA, _STEM, _TYPO or MT_WHOLE.
 * Symmetric. */
int mt_word_cost(const struct mt_text *a, const struct mt_tok *x,
		 const struct mt_text *b, const struct mt_tok *y);

/* Hash of the half w[0..n) of a word of wlen bytes that typo keys are
 * made of (suffix: the word's end rather than its start). */
uint64_t mt_half_hash(const char *w, size_t n, size_t wlen, int suffix);

/* A word's loose form w[0..n) (UTF-8, as the tokenizer wrote it to a
 * text's pool) as a text of that one word, with the keys the tokenizer
 * gave it, and its stem unless stem is 0 (then mt_word_cost sees no
 * common stem, only a typo): 0, 1 when it cannot be one (empty or too
 * long to compare letter by letter), -1 out of memory. */
int mt_word_text(struct mt_tokenizer *tk, const char *w, size_t n, int stem,
		 struct mt_text *mt);

/* Character-level edit distance (code points) between two texts; for
 * texts whose product of lengths exceeds 4 million, their difference in
 * length.  -1 when out of memory. */
long mt_char_distance(const char *a, const char *b);

/* Recomputes the counts and identity of mt, e.g. after pointing t and n
 * at a run of another text's tokens. */
void mt_recount(struct mt_text *mt);

static inline size_t mt_content(const struct mt_text *mt)
{
	return mt->nwords + mt->nnums;
}

/* The words and numbers of mt: the content tokens a phrase is made of. */
static inline size_t mt_words_nums(const struct mt_text *mt)
{
	return mt->nwords + mt->nnums - mt->nph;
}

/* Points of half a word: the most the characters may add to a
 * word-level score of texts of c <= MT_CHAR_MAX_TOKENS content tokens is
 * MT_CHAR_LIFT, and never more than MT_CHAR_WORD / c, so that a word edit is
 * still felt and long texts keep their word-level score (and the index its
 * pruning). */
#define MT_CHAR_WORD 50
#ifndef MT_CHAR_MAX_TOKENS
#define MT_CHAR_MAX_TOKENS 4
#endif

static inline int mt_char_lift(size_t c)
{
	if (c == 0 || c > MT_CHAR_MAX_TOKENS)
		return 0;
	return MT_CHAR_WORD / c < MT_CHAR_LIFT ? (int)(MT_CHAR_WORD / c)
					       : MT_CHAR_LIFT;
}

/* Scratch memory of the scorer, reused between calls. */
struct mt_scratch {
	int64_t *row;
	size_t rowcap;
	uint32_t *ia, *ib;
	size_t icap_a, icap_b;
	int32_t *ca, *cb; /* code points of the two texts */
	size_t ccap_a, ccap_b;
};

void mt_scratch_release(struct mt_scratch *sc);

/* The score of tm/match_text.c's formula; -1 when out of memory. */
int mt_score(const struct mt_text *a, const struct mt_text *b,
	     struct mt_scratch *sc);

/* Word diff of the source s against the query q (tm_diff ranges). */
int mt_diff(const struct mt_text *q, const struct mt_text *s,
	    struct tm_diff **out, size_t *n);

/* The target of a match that differs from the query only in placeables
 * (numbers, times, dates, tags in the same places), with the query's
 * written in the target's notation, or NULL (*out) when the match differs
 * otherwise or a placeable is not found in the target once. */
int mt_adapt(struct mt_tokenizer *tk, const struct mt_text *q,
	     const struct mt_text *s, const char *target, char **out,
	     struct tolk_err *err);

/* The SQL of the matcher's per-lookup statements, i = 0, 1, ... until
 * NULL (for query plan tests). */
const char *tm_match_sql(size_t i);

/* Version of the tokenizer's keys (tm/match_text.c: what a token is, its exact,
 * fold and loose forms).  Part of the match index's file format with
 * TOLK_HASH_VERSION and ICU's major version: raise it with any change
 * that gives a text other keys. */
/* 2: stem-prefix and word-half keys; 3: those keys lead to the words
 * (match_sim) rather than to the units; 4: placeholders are counted
 * among a text's content tokens (the index's token counts) */
#define MT_TOKENIZER_VERSION 4

/* Index hooks called by the store inside its write transaction: index
 * the variants of a new unit, and forget a unit being deleted.  Postings
 * of added units are buffered and written before the outermost COMMIT
 * (a tm/db.h hook the index registers), and dropped on ROLLBACK. */
struct tm_db;
int tm_match_index_add(struct tm_db *db, int64_t unit_id,
		       const struct tm_unit *u, struct tolk_err *err);
int tm_match_index_remove(struct tm_db *db, int64_t unit_id,
			  struct tolk_err *err);
/* An import has handed over all its texts: when the index is empty and
 * its postings wait in spilled runs, the indexing thread starts merging
 * them for the commit now, while the caller writes the rest of the
 * transaction.  The rows come out as the commit's flush would write
 * them; anything else that touches the index before the commit cancels
 * the merge, and the flush does it as before. */
void tm_match_index_premerge(struct tm_store *s);

/* A large import into an empty or small TM (tm_store_bulk_begin) has
 * begun in this transaction: its texts go to the indexing thread from
 * the first, rather than after WORKER_AFTER of them tokenised by the
 * thread that writes the rows (whose tables would be made for those
 * few). */
void tm_match_index_bulk(struct tm_store *s);

/* For the tests: spill the buffered postings to a run at spill_at of
 * them, and hand texts to the indexing thread once a transaction has
 * indexed thread_after (0: the defaults). */
int tm_match_index_tune(struct tm_store *s, size_t spill_at,
			size_t thread_after, struct tolk_err *err);
/* For the tests: keep a key's postings in its row up to bytes of them
 * (0, or more than 1,024: 1,024, the default). */
int tm_match_index_inline_max(struct tm_store *s, size_t bytes,
			      struct tolk_err *err);
/* For the tests: gather a bucket of one-posting keys for a batch up to
 * cap bytes (0, or more than the default: 16,384), and rewrite the
 * buckets of changes every ops of them (0: 4,096). */
int tm_match_index_one_limits(struct tm_store *s, size_t cap, size_t ops,
			      struct tolk_err *err);

#endif
