/* Pre-translation: leverage a TM into a document, and the analysis CAT
 * tools print for a quote.
 *
 * Each segment is looked up once (tm/match.h) down to the lowest band the
 * analysis counts (50); its best match decides the band, and fills the
 * target when it reaches min_score: a 101 or 100 as translated, anything
 * lower (or a match adapted to the segment's numbers) as needing review.
 *
 * A segment's context is its neighbours in the document (tm/context.h).
 * Among the units whose source is the segment's exactly, the one stored
 * with the same neighbours is a context match (101) and fills the
 * target; failing that, one that shares a neighbour, else the first
 * stored.  A source met again in the same document (same text after
 * tolk_text_norm) is not looked up again: it takes the first
 * occurrence's target (propagation) and counts as a repeat -- unless it
 * is a context match, which counts as one and takes its own unit's
 * target, so a document that translates one source two ways gets both
 * back. */
#ifndef TM_PRETRANSLATE_H
#define TM_PRETRANSLATE_H

#include <stddef.h>

#include "tm/context.h"
#include "tm/store.h"
#include "tm/xliff.h"
#include "util/err.h"

enum tm_band {
	TM_BAND_CONTEXT = 0, /* 101 */
	TM_BAND_EXACT,	     /* 100 */
	TM_BAND_95,	     /* 95-99 */
	TM_BAND_85,	     /* 85-94 */
	TM_BAND_75,	     /* 75-84 */
	TM_BAND_50,	     /* 50-74 */
	TM_BAND_NONE,	     /* below 50 */
	TM_BAND_REPEAT,	     /* a source seen earlier in the document */
	TM_BAND_COUNT,
};

/* "context", "exact", "95-99", ...: for tables and JSON keys. */
const char *tm_band_name(enum tm_band b);

struct tm_analysis {
	unsigned long segments[TM_BAND_COUNT], words[TM_BAND_COUNT];
	unsigned long total_segments, total_words;
	/* targets written: 101, 100 (repeats included), the rest */
	unsigned long filled_context, filled_exact, filled_fuzzy;
	unsigned long propagated; /* of those, repeats given the same */
	unsigned long kept;	  /* already translated, left alone */
	unsigned long locked;	  /* translate="no": not counted */
};

struct tm_pretr_opts {
	const char *source_lang, *target_lang; /* when the file has none */
	int min_score;			       /* fill from here (75) */
	size_t alternatives; /* candidates written per segment (3) */
	int overwrite;	     /* refill segments that have a target */
	int dry_run;	     /* analyse only */
	/* threads doing tm_pretr_xliff's fuzzy lookups (0 and 1: the
	 * caller's alone); each further one reads through its own
	 * connection to the store, so it sees committed units only */
	size_t threads;
	/* called (may be NULL) after each segment of tm_pretr_xliff with
	 * the segments done and their total */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *progress_ctx;
};

/* A pre-translation run on one store (borrowed; free before closing it).
 * *out is the caller's, freed with tm_pretr_free. */
struct tm_pretr;

int tm_pretr_new(struct tm_pretr **out, struct tm_store *s,
		 const struct tm_pretr_opts *o, struct tolk_err *err);
void tm_pretr_free(struct tm_pretr *p);

/* One segment's leverage, borrowed from p until its next call. */
struct tm_leverage {
	enum tm_band band;
	int score;	    /* best match (101: context), 0 when none */
	int repeat;	    /* the source was seen before */
	const char *target; /* NULL when nothing reached min_score */
	const char *target_markup;
	enum tm_xliff_quality quality;
};

/* Leverages one source segment (UTF-8) and counts it in the analysis;
 * ctx (may be NULL) is its context. */
int tm_pretr_segment(struct tm_pretr *p, const char *source,
		     const struct tm_context *ctx, const char *source_lang,
		     const char *target_lang, const struct tm_leverage **out,
		     struct tolk_err *err);

/* Leverages every segment of x, filling targets and candidates (unless
 * dry_run). */
int tm_pretr_xliff(struct tm_pretr *p, struct tm_xliff *x,
		   struct tolk_err *err);

const struct tm_analysis *tm_pretr_analysis(const struct tm_pretr *p);

/* Words as CAT tools count them: runs of letters and digits (with
 * joining apostrophes, hyphens, dots and commas inside). */
unsigned long tm_pretr_words(const char *s);

#endif
