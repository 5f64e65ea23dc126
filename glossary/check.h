/* The consistency check: bilingual segments against the term base.
 *
 * Input is an abstract stream of segments (where, Norwegian text, English
 * text) so that any reader can feed it: the TSV and XLIFF readers below,
 * the TM (tm_store_foreach_pair), TMX (gl_check_tmx_unit has the shape of
 * a TMX reader's unit callback) or an aligner.  Findings are reported
 * through a callback as they are found; the checker keeps only what the
 * `inconsistent` check needs (the first translation of each source).
 *
 * Kinds (see gl_check_segment for the exact rules):
 *   missing       the Norwegian term is in the source, no approved
 *                 rendering (nor a forbidden one) is in the target; a
 *                 leading the/a/an of a rendering is optional, and
 *                 renderings follow the matching rules of termmatch.h
 *                 (plurals, possessives, verbs, sentence-initial
 *                 capitals) and may be written short or reworded
 *                 (initials, closed up, HEAD of NOUN as NOUN HEAD, a
 *                 plural name in the singular); a noun spelt as an
 *                 infinitive after "å" or a modal is the verb, no hit
 *   forbidden     a forbidden variant of a term is in the target (unless
 *                 it is part of an approved rendering found there)
 *   untranslated  the Norwegian term was copied into the target where no
 *                 approved rendering contains it
 *   inconsistent  the same source (normalised) is translated in other
 *                 words elsewhere in this run; reported by
 *                 gl_check_finish at the rendering that breaks the
 *                 glossary or the majority
 *   number        a number in the source has no equal in the target, in
 *                 any Norwegian or English notation (1,5 = 1.5,
 *                 12 000 = 12,000, 14.30 = 14:30, 19 = 19:00,
 *                 1,5 milliarder = 1.5 billion, 3 = three, 80-tallet =
 *                 the 1980s, 50 prosent = half, 2. juledag = Boxing
 *                 Day) */
#ifndef GL_CHECK_H
#define GL_CHECK_H

#include <stddef.h>

#include "glossary/glossary.h"
#include "tm/unit.h"
#include "util/err.h"

struct gl_segment {
	const char *file;   /* input name */
	unsigned long line; /* 0 when the input has no lines */
	const char *unit;   /* unit id, or NULL */
	const char *source, *target;
	/* where the target is, when it is in a file of its own (check
	 * --pair): file, line and column of its first character; NULL/0
	 * otherwise */
	const char *target_file;
	unsigned long target_line, target_col;
	/* English next to the target that the aligner paired with nothing
	 * (check --pair), or NULL: an approved rendering or a number there
	 * counts as the source's, since an added sentence beside a bead may
	 * be the aligner's misplaced gap; nothing in it is reported */
	const char *target_nearby;
};

typedef int (*gl_segment_fn)(void *ctx, const struct gl_segment *s,
			     struct tolk_err *err);

enum gl_kind {
	GL_KIND_MISSING = 1 << 0,
	GL_KIND_FORBIDDEN = 1 << 1,
	GL_KIND_UNTRANSLATED = 1 << 2,
	GL_KIND_INCONSISTENT = 1 << 3,
	GL_KIND_NUMBER = 1 << 4,
	GL_KIND_ALL = (1 << 5) - 1,
};

const char *gl_kind_name(enum gl_kind k);
/* Comma-separated kind names into a mask; TOLK_EUSAGE naming a bad one. */
int gl_kinds_parse(const char *list, unsigned *mask, struct tolk_err *err);

struct gl_finding {
	enum gl_kind kind;
	const struct gl_segment *seg;
	/* NFC source and target, which the spans refer to */
	const char *source, *target;
	const char *term; /* glossary term, or the source number; NULL for
			     inconsistent */
	const char *const *expected;
	size_t nexpected;
	const char *found;	   /* what the target has instead, or NULL */
	const char *note;	   /* glossary note, or where the earlier
				      translation is (inconsistent), or NULL */
	size_t src_start, src_end; /* highlight in source (equal: none) */
	size_t tgt_start, tgt_end; /* highlight in target (equal: none) */
};

/* Non-zero from the callback stops the check and is returned. */
typedef int (*gl_finding_fn)(void *ctx, const struct gl_finding *f);

struct gl_check;

/* Builds the matchers for the n entries (borrowed for the checker's
 * lifetime).  kinds is a mask of enum gl_kind. */
int gl_check_new(struct gl_check **out, const struct gl_entry *v, size_t n,
		 unsigned kinds, gl_finding_fn fn, void *ctx,
		 struct tolk_err *err);
void gl_check_free(struct gl_check *c);

int gl_check_segment(struct gl_check *c, const struct gl_segment *s,
		     struct tolk_err *err);

/* Reports what can only be decided at the end of the input: of the
 * different translations of one source (inconsistent), the ones that
 * break the glossary where others do not, else the minority ones.  Call
 * once after the last segment. */
int gl_check_finish(struct gl_check *c, struct tolk_err *err);

/* Number of findings reported so far, in all and of one kind, and of
 * segments checked. */
size_t gl_check_findings(const struct gl_check *c);
size_t gl_check_kind_count(const struct gl_check *c, enum gl_kind k);
size_t gl_check_segments(const struct gl_check *c);

/* Checks a multilingual unit: its first nb and en variants (languages as
 * set by gl_check_set_langs, default nb and en); units without both are
 * skipped.  The signature is that of a TMX reader's unit callback, with
 * the checker as ctx; gl_check_set_file names the input. */
int gl_check_tmx_unit(void *check, const struct tm_unit *u, unsigned long line,
		      struct tolk_err *err);
int gl_check_set_file(struct gl_check *c, const char *file);
/* Also find terms inside compounds (see GL_FIND_COMPOUNDS); off by
 * default because a compound seldom takes the term's rendering. */
void gl_check_set_compounds(struct gl_check *c, int on);
int gl_check_set_langs(struct gl_check *c, const char *src, const char *tgt);

/* ---- inputs ------------------------------------------------------------- */

enum gl_input {
	GL_INPUT_AUTO = 0,
	GL_INPUT_TSV,	/* nb TAB en per line; '#' lines skipped */
	GL_INPUT_XLIFF, /* XLIFF 1.2 or 2.0 */
	GL_INPUT_TMX,
};

/* From the extension (.tsv .txt .tab, .tmx, an XLIFF one as
 * tm_xliff_is_name knows them), else
 * by sniffing the first bytes of the file. */
int gl_input_guess(const char *path, enum gl_input *out, struct tolk_err *err);

int gl_read_tsv(const char *path, gl_segment_fn fn, void *ctx,
		struct tolk_err *err);

/* Reads the segments of an XLIFF file as tm/xliff.h splits them (a
 * trans-unit, or each <mrk mtype="seg"> of a segmented one; each 2.0
 * <segment>) that have a target and are not locked, with their unit id
 * (UNIT/SEGMENT when the unit has more than one) and the line of their
 * source; refuses a file whose declared languages are not src_lang ->
 * tgt_lang. */
int gl_read_xliff(const char *path, const char *src_lang, const char *tgt_lang,
		  gl_segment_fn fn, void *ctx, struct tolk_err *err);

/* ---- numbers ------------------------------------------------------------- */

/* Numbers of the source (Norwegian notation) that have no equal among the
 * target's (English notation).  For each, fn gets the number as written,
 * its byte span in src and its English notation. */
typedef int (*gl_number_fn)(void *ctx, const char *written, size_t start,
			    size_t end, const char *english);
int gl_numbers_missing(const char *src, const char *tgt, gl_number_fn fn,
		       void *ctx);

/* The numbers written in digits in the first tgt_len bytes of tgt that
 * equal none of src's: where the English has a number wrong.  Up to max
 * byte spans [start, end) into spans, in text order, their count in
 * *nspans.  TOLK_ENOMEM or 0. */
int gl_numbers_unmatched(const char *src, const char *tgt, size_t tgt_len,
			 size_t (*spans)[2], size_t max, size_t *nspans);

#endif
