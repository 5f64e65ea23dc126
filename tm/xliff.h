/* XLIFF 1.0-1.2 and 2.0: segments read into the TM, targets written back.
 *
 * A document is parsed whole with the hardened parser (util/xml.h) and,
 * beside the tree, its bytes are kept: a small scanner, run over the same
 * well-formed bytes, finds where every element's start and end tags lie.
 * Writing a document back is then copying those bytes and splicing only
 * the regions that change (a <target> added or filled, a state attribute,
 * match annotations), so that whatever a CAT tool put in the file -- its
 * own namespaces, comments, processing instructions, white space, CDATA,
 * the encoding -- comes back as it was.  A DOM serialiser would rewrite
 * all of that.
 *
 * Segments: in XLIFF 1.x a <trans-unit> with a <seg-source> has one
 * segment per <mrk mtype="seg">, its target the <mrk> with the same mid
 * inside <target>; other units are one segment.  In 2.0 every <segment>
 * is one (<ignorable> is not).
 *
 * Inline markup is kept in the TMX form the TMX reader stores (tm/tmx.h):
 * a paired XLIFF element (g, mrk, pc) becomes <bpt type="x-xliffV"> and
 * <ept> holding its start and end tags as native code, any other inline
 * element (x, bx, ex, bpt, ept, ph, it; ph, sc, ec, sm, em, cp) a
 * <ph type="x-xliffV"> holding the whole element.  V is the XLIFF major
 * version, so that tags go back only into a document of that version;
 * elsewhere the target is written as its text.
 *
 * Producers' own status.  Trados Studio and memoQ show a segment as
 * translated from attributes of their own, not from XLIFF's state: a
 * target filled without them opens there as not started.  A fill
 * therefore also sets, where the file has them, Trados's <sdl:seg> of
 * the segment (conf, origin, origin-system, percent, and text-match for
 * a context match), the unit's sdl:conf/sdl:origin of the XLIFF Manager
 * flavour, and memoQ's mq:status and mq:percent; a segment those tools
 * lock (sdl:seg locked="true", mq:locked="locked") counts as locked. */
#ifndef TM_XLIFF_H
#define TM_XLIFF_H

#include <stddef.h>

#include "tm/store.h"
#include "tm/tmx.h"
#include "util/err.h"

struct tm_xliff;

/* One segment, borrowed from its document. */
struct tm_xliff_seg {
	const char *unit_id;	   /* "" when the unit has none */
	const char *seg_id;	   /* mid (1.x) or segment id (2.0), or NULL */
	const char *source_lang;   /* as the file spells it, or NULL */
	const char *target_lang;   /* as the file spells it, or NULL */
	const char *source;	   /* text without native code */
	const char *source_markup; /* TMX inline markup, NULL for plain */
	const char *target;	   /* NULL when empty or missing */
	const char *target_markup;
	const char *state; /* 1.x target/@state, 2.0 segment/@state */
	const char *state_qualifier;
	int locked; /* translate="no", or locked by its producer */
	unsigned long line;
	size_t unit_segs; /* segments of its unit */
};

/* A <file> (1.x) or the document (2.0) and its languages as the file
 * spells them (NULL when absent), borrowed. */
struct tm_xliff_file {
	const char *source_lang, *target_lang;
	unsigned long line;
};

/* Reads and parses the XLIFF file path.  *out is the caller's, freed with
 * tm_xliff_free.  TOLK_EINPUT with FILE:LINE:COL for input that is not
 * well-formed, declares entities, or is not XLIFF. */
int tm_xliff_open(struct tm_xliff **out, const char *path,
		  struct tolk_err *err);
void tm_xliff_free(struct tm_xliff *x);

/* 1 for XLIFF 1.x, 2 for 2.0. */
int tm_xliff_version(const struct tm_xliff *x);

size_t tm_xliff_count(const struct tm_xliff *x);
size_t tm_xliff_file_count(const struct tm_xliff *x);
const struct tm_xliff_file *tm_xliff_file(const struct tm_xliff *x, size_t i);
const struct tm_xliff_seg *tm_xliff_segment(const struct tm_xliff *x, size_t i);

/* How a target came to be, written in the document's own terms. */
enum tm_xliff_quality {
	TM_XLIFF_EXACT = 0, /* 1.2 translated/exact-match, 2.0 translated */
	TM_XLIFF_FUZZY,	    /* needs-review-translation/fuzzy-match */
	TM_XLIFF_ADAPTED,   /* a match adapted (numbers): leveraged-tm */
};

/* Sets the target of segment i (text, and TMX markup or NULL) from a
 * match of score (101 a context match, 100 exact, below fuzzy), which the
 * producers' own status attributes record.  The strings are copied.
 * Replaces an earlier fill. */
int tm_xliff_fill(struct tm_xliff *x, size_t i, const char *text,
		  const char *markup, enum tm_xliff_quality q, int score);

/* Adds a translation candidate of segment i (1.2 <alt-trans>, 2.0
 * <mtc:match>), written in the order added.  Copied. */
int tm_xliff_add_candidate(struct tm_xliff *x, size_t i, int score,
			   const char *source, const char *source_markup,
			   const char *target, const char *target_markup);

/* Adds a note (1.2 <note from="tolk">, 2.0 <note category="tolk">) to
 * segment i's unit.  Copied. */
int tm_xliff_add_note(struct tm_xliff *x, size_t i, const char *text);

/* Adds a glossary entry for a term found in segment i's source to its
 * unit, once per term and unit: 2.0 <gls:glossEntry> (the Glossary
 * module) with the term, its approved renderings as translations and
 * definition (may be NULL).  An entry needs a translation or a
 * definition; one with neither is not added.  1.x has no glossary
 * element: TOLK_EINTERNAL there (the caller writes a note).
 * Copied. */
int tm_xliff_add_term(struct tm_xliff *x, size_t i, const char *term,
		      const char *const *translations, size_t ntranslations,
		      const char *definition);

/* Writes the document with its fills to path ("-": standard output),
 * through a temporary file renamed into place. */
int tm_xliff_write(struct tm_xliff *x, const char *path, struct tolk_err *err);

/* Imports every segment with a non-empty target as a unit (source and
 * target variants, state, state-qualifier and unit id as props, notes as
 * notes, the sources of the segments before and after it in document
 * order as its context, tm/context.h), inside the caller's transaction or one
 * of its own.  Languages come from the file, else
 * o->source_lang/o->target_lang.  st->read counts segments, st->skipped_empty
 * those without a target. */
int tm_xliff_import(struct tm_store *s, const char *path,
		    const struct tm_tmx_import_opts *o,
		    struct tm_tmx_import_stats *st, struct tolk_err *err);

/* Whether path's name says XLIFF (.xlf .xliff .xlf2 .sdlxliff .mqxliff
 * .mxliff .txlf .poxliff). */
int tm_xliff_is_name(const char *path);

#endif
