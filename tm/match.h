/* Fuzzy matching: scores, candidate index, lookup and concordance.
 *
 * Segments are split into tokens with ICU's word break iterator: words,
 * numbers and inline tags (placeables) and punctuation.  Two segments
 * score 0-100 (the formula is at the top of tm/match_text.c): 100 only for the
 * same text up to white space and Unicode normalisation, the 90s for
 * differences only in case, punctuation, numbers or tags, and below that a
 * word-level edit distance.  A lookup given the query's neighbours
 * scores 101 for an exact match that was stored with the same ones (a
 * context match, tm/context.h).
 *
 * Lookups use an index kept in step with the store on every add and
 * delete; it narrows the TM to a bounded candidate set without losing any
 * unit that reaches the minimum score (TM_MATCH_EXHAUSTIVE scores every
 * unit instead, to check that claim). */
#ifndef TM_MATCH_H
#define TM_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "tm/store.h"
#include "util/err.h"

/* A lookup context on one store: ICU iterators and prepared statements
 * opened once and reused.  Borrowed store; free before closing it. */
struct tm_matcher;

int tm_matcher_new(struct tm_matcher **out, struct tm_store *store,
		   struct tolk_err *err);
void tm_matcher_free(struct tm_matcher *m);

/* on: the caller holds a read transaction on the store's connection in
 * which nothing will be written (nor rolled back), and m's lookups run
 * inside it: they may keep what they read of the query words across
 * lookups, as lookups of their own do.  Set it back to 0 before the
 * transaction ends. */
void tm_matcher_snapshot(struct tm_matcher *m, int on);

/* Posting lists kept across the lookups of several matchers (one a
 * thread) whose read transactions see the same state of one SQLite
 * database: each reads a list once for all.  Free it after every
 * matcher sharing it has left its snapshot. */
struct tm_match_share;

int tm_match_share_new(struct tm_match_share **out, struct tolk_err *err);
void tm_match_share_free(struct tm_match_share *sh);

/* Within m's snapshot (tm_matcher_snapshot), makes the first read of
 * its transaction, which fixes what it sees, and has m's lookups keep
 * their lists in sh: the caller guarantees that every matcher sharing
 * sh had its transaction's first read while the database could not
 * change (e.g. while another connection held the write lock).  A server
 * database, or sh NULL, keeps m's own.  Ends with the snapshot. */
int tm_matcher_share(struct tm_matcher *m, struct tm_match_share *sh,
		     struct tolk_err *err);

/* Similarity of b to a, 0-100 (symmetric). */
int tm_match_score(struct tm_matcher *m, const char *a, const char *b,
		   int *score, struct tolk_err *err);

enum tm_diff_op {
	TM_DIFF_INSERT = 0, /* the match's source has words the query lacks */
	TM_DIFF_DELETE,	    /* the query has words the match's source lacks */
	TM_DIFF_REPLACE,    /* query words stand where the source has others */
};

/* One difference: byte ranges of the query and of the match's source.  An
 * empty range still has its position (where the other side's words go). */
struct tm_diff {
	enum tm_diff_op op;
	size_t q_off, q_len;
	size_t s_off, s_len;
};

struct tm_match {
	int64_t id;
	int score;
	char *source, *target;		 /* stored texts */
	char *source_lang, *target_lang; /* canonical tags */
	/* target with the placeables of the query put in (the match
	 * differs from the query only in numbers, times, dates, tags), in
	 * the target's notation, else NULL; see tm/match_text.c */
	char *adapted;
	struct tm_diff *diff; /* source against the query (whole matches) */
	size_t ndiff;
	/* partial matches: byte range of the query the unit covers */
	size_t q_off, q_len;
	/* Where the unit came from, NULL where it does not say: its notes
	 * (unit level, then the variants', as stored), creation and change
	 * dates as TMX writes them (YYYYMMDDThhmmssZ), author (who changed
	 * it last: changeid, else creationid), origin (the imported file's
	 * name, or "add"), and usage count (-1 when there is none). */
	char **notes;
	size_t nnotes;
	char *created, *changed, *author, *origin;
	int64_t usage;
};

enum tm_match_flags {
	TM_MATCH_EXHAUSTIVE = 1 << 0, /* score every unit, no index */
	TM_MATCH_NO_PARTIAL = 1 << 1, /* never look for partial matches */
	TM_MATCH_TARGET = 1 << 2,     /* concordance: search the target */
	/* only the best score is wanted (an analysis band): res->best is
	 * set, no matches are returned, and scoring stops as soon as no
	 * candidate left can beat the best so far */
	TM_MATCH_BEST = 1 << 3,
	/* matches without diff, notes, dates, author, origin or usage
	 * (usage -1): for callers that write only texts */
	TM_MATCH_BRIEF = 1 << 4,
};

struct tm_match_opts {
	const char *source_lang, *target_lang;
	int min_score; /* 0-100 */
	size_t limit;  /* most matches (and most partial matches) */
	unsigned flags;
};

struct tm_match_result {
	/* best first; equal scores closest to the query character by
	 * character first, then newest change, most used, lowest id */
	struct tm_match *matches;
	size_t nmatches;
	/* Units whose source the query contains: searched only when no
	 * whole match reaches min_score.  The longest covers, in the order
	 * they occur in the query. */
	struct tm_match *partial;
	size_t npartial;
	int partial_searched;
	size_t candidates; /* units scored exactly */
	int best;	   /* TM_MATCH_BEST: the best score, -1 for none */
};

/* Fills *res (released with tm_match_result_release, also on error). */
int tm_match_lookup(struct tm_matcher *m, const char *query,
		    const struct tm_match_opts *o, struct tm_match_result *res,
		    struct tolk_err *err);
void tm_match_result_release(struct tm_match_result *res);

/* tm_match_lookup of a query whose neighbours are ctx (tm/context.h; NULL
 * for none): an exact match stored with the same neighbours scores 101
 * and ranks above every 100. */
struct tm_context;
int tm_match_lookup_in_context(struct tm_matcher *m, const char *query,
			       const struct tm_context *ctx,
			       const struct tm_match_opts *o,
			       struct tm_match_result *res,
			       struct tolk_err *err);

/* One concordance hit, borrowed for the callback: the hit is the byte
 * range [off, off+len) of the searched side (source, or target with
 * TM_MATCH_TARGET). */
struct tm_concord_hit {
	int64_t id;
	const char *source, *target;
	const char *source_lang, *target_lang;
	size_t off, len;
};

typedef int (*tm_concord_fn)(void *ctx, const struct tm_concord_hit *h);

/* Units whose source (target) contains the words and numbers of phrase in
 * order, ignoring case, diacritics and punctuation, in id order, at most
 * o->limit (0: all).  Uses source_lang, target_lang, limit and flags of o.
 * A non-zero return of fn stops the search and is returned. */
int tm_match_concordance(struct tm_matcher *m, const char *phrase,
			 const struct tm_match_opts *o, tm_concord_fn fn,
			 void *ctx, struct tolk_err *err);

/* Drops and rebuilds the whole index from the stored units, in one
 * transaction, and records the index format of this build.  Needed when a
 * database's index was written by a tolk with another hash, tokenizer or
 * ICU major version: lookups and writes refuse such a database until
 * then.  progress (may be NULL) is called now and then with the units
 * done and their total. */
typedef void (*tm_reindex_progress_fn)(void *ctx, int64_t done, int64_t total);
int tm_match_reindex(struct tm_store *s, tm_reindex_progress_fn progress,
		     void *ctx, struct tolk_err *err);

/* The index format this build writes, and the one recorded in s (""
 * when none is): e.g. "hash 1, tokenizer 1, ICU 72". */
void tm_match_index_format(char *out, size_t outlen);
int tm_match_index_recorded(struct tm_store *s, char *out, size_t outlen,
			    struct tolk_err *err);

#endif
