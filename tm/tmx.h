/* TMX 1.1-1.4b: a streaming reader, and import into / export from the store.
 *
 * The reader feeds a file to libxml2's SAX2 push parser, one <tu> in memory
 * at a time, and hands each one over as a struct tm_unit:
 *   - every <tu> attribute as a unit attribute, as the file wrote it (dates
 *     in TMX's YYYYMMDDThhmmssZ form, srclang canonicalised); the header's
 *     srclang, when the <tu> has none, as tm_unit_default_srclang();
 *   - every <tuv> as a variant: its language from xml:lang or lang,
 *     canonicalised; text = the segment with inline native code (bpt, ept,
 *     it, ph, ut and the sub inside them) removed and hi kept; markup = the
 *     inner XML of <seg>, NULL when it held no elements; the other <tuv>
 *     attributes as variant attributes;
 *   - <prop> and <note> at unit and variant level as extras, with their
 *     attributes.
 * Attributes in a foreign XML namespace are ignored (with a warning); TMX
 * has nowhere to put them back.
 *
 * Untrusted input is safe: no network, no external entities or DTDs, no
 * entity expansion, bounded depth and segment size, libxml2's huge-input
 * limits on. */
#ifndef TM_TMX_H
#define TM_TMX_H

#include <stddef.h>

#include "tm/store.h"
#include "tm/unit.h"
#include "util/err.h"

enum tm_tmx_flags {
	/* salvage what can be read from a broken file (libxml2 recovery,
	 * invalid control characters removed, broken <tuv> dropped), and
	 * report each loss as a warning */
	TM_TMX_RECOVER = 1 << 0,
};

/* Limits the reader enforces with a located error. */
#define TM_TMX_MAX_SEG_BYTES	(1024 * 1024)
#define TM_TMX_MAX_INLINE_DEPTH 32
/* A <tu> is held in memory whole while it is read (and may hold at most
 * TOLK_MAX_TU_VARIANTS <tuv>, see util/limit.h). */
#define TM_TMX_MAX_TU_BYTES (16 * 1024 * 1024)

/* Called for each <tu> with at least one <tuv>; u and err are borrowed.
 * line is where the <tu> starts.  A non-zero return stops the reader,
 * which returns it (err filled by the callback). */
typedef int (*tm_tmx_unit_fn)(void *ctx, const struct tm_unit *u,
			      unsigned long line, struct tolk_err *err);

/* Reads the TMX file path ("-" for standard input).  Returns 0, the
 * callback's return value, or a negative code with err set (for input
 * that is not well-formed or not TMX: TOLK_EINPUT at FILE:LINE:COL). */
int tm_tmx_read(const char *path, unsigned flags, tm_tmx_unit_fn fn, void *ctx,
		struct tolk_err *err);

/* The <header>: its attributes and props/notes as unit-level attributes
 * and extras of h, and body, its content (note, prop, ude) serialised the
 * way tm_tmx_export writes it back. */
typedef int (*tm_tmx_header_fn)(void *ctx, const struct tm_unit *h,
				const char *body, unsigned long line,
				struct tolk_err *err);

/* A problem that did not stop the reader (msg has no trailing newline). */
typedef void (*tm_tmx_warn_fn)(void *ctx, const char *file, unsigned long line,
			       unsigned long col, const char *msg);

/* Progress: bytes of the file consumed and units read so far. */
typedef void (*tm_tmx_progress_fn)(void *ctx, unsigned long long bytes,
				   unsigned long units);

struct tm_tmx_read_stats {
	unsigned long tu;      /* <tu> elements seen */
	unsigned long empty;   /* of which skipped for having no <tuv> */
	unsigned long dropped; /* <tuv> and characters dropped (recover) */
};

struct tm_tmx_read_opts {
	unsigned flags; /* enum tm_tmx_flags */
	tm_tmx_unit_fn unit;
	tm_tmx_header_fn header;	 /* may be NULL */
	tm_tmx_warn_fn warn;		 /* may be NULL */
	tm_tmx_progress_fn progress;	 /* may be NULL */
	void *ctx;			 /* passed to all four */
	struct tm_tmx_read_stats *stats; /* may be NULL; filled at the end */
};

int tm_tmx_read_opts(const char *path, const struct tm_tmx_read_opts *o,
		     struct tolk_err *err);

/* ---- import ---------------------------------------------------------- */

struct tm_tmx_import_opts {
	enum tm_dup_policy policy;
	unsigned flags; /* enum tm_tmx_flags */
	/* the language pair counted in lacking_pair; with require_pair,
	 * units without it are skipped instead of stored */
	const char *source_lang, *target_lang;
	int require_pair;
	/* creationid of units from files that carry no user (TSV), as
	 * `tolk add` gives its units; NULL for none */
	const char *user;
	tm_tmx_warn_fn warn;
	tm_tmx_progress_fn progress;
	void *ctx;
};

struct tm_tmx_import_stats {
	unsigned long read;	     /* <tu> seen, empty ones included */
	unsigned long imported;	     /* stored as new units */
	unsigned long merged;	     /* folded into a stored duplicate */
	unsigned long replaced;	     /* replaced stored units */
	unsigned long skipped_dup;   /* --on-duplicate skip */
	unsigned long skipped_empty; /* <tu> without <tuv> */
	unsigned long skipped_pair;  /* lacking the pair, require_pair on */
	unsigned long lacking_pair;  /* stored although lacking the pair */
	unsigned long warnings;
};

/* Imports the TMX file path (or "-") into s.  Runs inside the caller's
 * transaction when one is open, else in one of its own, so that a file
 * that fails half-way changes nothing.  Units get path as origin. */
int tm_tmx_import(struct tm_store *s, const char *path,
		  const struct tm_tmx_import_opts *o,
		  struct tm_tmx_import_stats *st, struct tolk_err *err);

/* Imports a tab-separated file: "source<TAB>target" per line in
 * o->source_lang and o->target_lang, '#' lines and blank lines ignored.
 * Units get the time of the import as creationdate (so that an export
 * --since finds them) and o->user as creationid. */
int tm_tsv_import(struct tm_store *s, const char *path,
		  const struct tm_tmx_import_opts *o,
		  struct tm_tmx_import_stats *st, struct tolk_err *err);

/* ---- export ---------------------------------------------------------- */

struct tm_tmx_export_opts {
	const char *source_lang, *target_lang;
	/* every unit with every variant; else the units holding both
	 * languages, with only their variants in those languages */
	int all_languages;
	const char *since;  /* YYYYMMDDThhmmssZ: changed or created since */
	const char *origin; /* only units imported from this file */
	int keep_no;	    /* write "no" as stored rather than "nb" */
	/* told of each unit whose text held characters XML 1.0 cannot
	 * hold, which are left out (file NULL); may be NULL */
	tm_tmx_warn_fn warn;
	void *ctx;
};

/* Writes the units of s as TMX 1.4b to path ("-": standard output),
 * through a temporary file renamed into place.  *n (may be NULL) gets
 * the number of units written.  The header is tolk's own, or with
 * o->origin the header of that file as it was imported; units carry on
 * their <tu> what they inherited from their file's header where tolk's
 * says otherwise.  An o->origin that names no unit's origin is
 * TOLK_ENOTFOUND (nothing written), the message listing the origins. */
int tm_tmx_export(struct tm_store *s, const char *path,
		  const struct tm_tmx_export_opts *o, unsigned long *n,
		  struct tolk_err *err);

/* ---- writing ---------------------------------------------------------- */

/* A TMX 1.4b file being written; `tolk export` and `tolk align --format
 * tmx` both write through it.  Lifecycle: open, begin, header props and
 * raw header content (optional), units, then finish (which closes and
 * frees) or free (which discards the file). */
struct tm_tmx_writer;

struct tm_tmx_header {
	const char *srclang;	/* a language tag (canonicalised here) */
	int all_languages;	/* srclang="*all*" */
	const char *segtype;	/* NULL or not a TMX segtype: "sentence" */
	const char *datatype;	/* NULL: "unknown" */
	const char *o_encoding; /* NULL: not written */
	int keep_no;		/* write "no" as stored rather than "nb" */
	/* the header of an imported file to reproduce instead of tolk's
	 * own, as the reader gave it (its attributes; segtype, datatype,
	 * o-encoding above are then ignored), or NULL.  Its attributes
	 * are written as attributes where TMX 1.4b allows them; when that
	 * cannot give them back exactly (an undeclared one, a required one
	 * missing, another srclang than the export's), x-tolk-attr: props
	 * carry them all, which tolk's reader puts back. */
	const struct tm_unit *from;
};

/* Opens path ("-": standard output) for writing; a file is written to a
 * temporary beside it.  *out is the caller's, ended with
 * tm_tmx_writer_finish or tm_tmx_writer_free. */
int tm_tmx_writer_open(struct tm_tmx_writer **out, const char *path,
		       struct tolk_err *err);

/* Writes the XML declaration, <tmx> and the opening <header> with h's
 * attributes.  TOLK_EUSAGE when h->srclang is not a language tag. */
int tm_tmx_writer_begin(struct tm_tmx_writer *w, const struct tm_tmx_header *h,
			struct tolk_err *err);

/* A <prop type=type>value</prop> of the header; before the first unit. */
int tm_tmx_writer_header_prop(struct tm_tmx_writer *w, const char *type,
			      const char *value);

/* Header content kept as XML from an imported file (props and notes),
 * written as it is; before the first unit. */
int tm_tmx_writer_header_raw(struct tm_tmx_writer *w, const char *xml);

/* The value of attribute name as the header written by begin has it, or
 * NULL. */
const char *tm_tmx_writer_header_attr(const struct tm_tmx_writer *w,
				      const char *name);

/* Characters left out so far because XML 1.0 cannot hold them (C0
 * controls but tab, newline and carriage return, in text that came in
 * through `tolk add` or TSV). */
unsigned long tm_tmx_writer_dropped(const struct tm_tmx_writer *w);

/* Writes u as a <tu> with its variants in the languages src and tgt
 * (every variant when src is NULL; else one variant each: the first whose
 * tag is the one asked for, else the first of that language), their
 * attributes, props and notes.
 * Returns 0, or TOLK_EIO once any write has failed (the error itself is
 * reported by tm_tmx_writer_finish). */
int tm_tmx_writer_unit(struct tm_tmx_writer *w, const struct tm_unit *u,
		       const char *src, const char *tgt);

/* Closes the document, syncs it and renames it into place; frees w, also
 * on error (when the temporary file is removed). */
int tm_tmx_writer_finish(struct tm_tmx_writer *w, struct tolk_err *err);

/* Discards w and its temporary file.  NULL is a no-op. */
void tm_tmx_writer_free(struct tm_tmx_writer *w);

/* Normalises a date (YYYYMMDDThhmmssZ, YYYY-MM-DD[Thh:mm:ss[Z]],
 * YYYYMMDD) to YYYYMMDDThhmmssZ.  Returns 0, or TOLK_EINPUT. */
int tm_tmx_date(const char *in, char out[17]);

/* The tag export writes for canonical tag lang: Norwegian "no" (and its
 * regional forms) become "nb" unless keep_no. */
void tm_tmx_export_lang(const char *lang, int keep_no, char *out,
			size_t outlen);

#endif
