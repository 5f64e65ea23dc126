/* The term base: glossary entries kept in the TM database, and their
 * exchange formats (TBX-Basic and OmegaT's tab-separated glossary).
 *
 * An entry is one Norwegian term with its approved English renderings (the
 * first is the preferred one), forbidden English variants, a note, part of
 * speech, domain, creation and modification dates, and a case rule: a
 * case-sensitive term (the default for terms written all in capitals, such
 * as NTB) only matches text written with the same capitals; any other term
 * matches in any case. */
#ifndef GL_GLOSSARY_H
#define GL_GLOSSARY_H

#include <stddef.h>
#include <stdint.h>

#include "tm/store.h"
#include "util/err.h"

/* Plain data passed between the store, the file formats and the CLI.  All
 * strings are owned by the entry (UTF-8, NFC); optional ones are NULL. */
struct gl_entry {
	int64_t id; /* 0 until stored */
	char *term;
	char **approved;
	size_t napproved;
	char **forbidden;
	size_t nforbidden;
	/* phrases in which the term has another sense and is not a hit */
	char **except;
	size_t nexcept;
	char *note, *pos, *domain;
	int case_sensitive;
	char created[11], modified[11]; /* YYYY-MM-DD, "" when unknown */
};

void gl_entry_init(struct gl_entry *e);
void gl_entry_release(struct gl_entry *e);

/* Setters normalise the text (NFC, white space folded; not for notes) and
 * return 0, TOLK_EINPUT (empty or invalid UTF-8) or TOLK_ENOMEM.  Adding a
 * rendering the entry already has is a no-op. */
int gl_entry_set_term(struct gl_entry *e, const char *term,
		      struct tolk_err *err);
int gl_entry_add_approved(struct gl_entry *e, const char *text,
			  struct tolk_err *err);
int gl_entry_add_forbidden(struct gl_entry *e, const char *text,
			   struct tolk_err *err);
int gl_entry_add_except(struct gl_entry *e, const char *phrase,
			struct tolk_err *err);
/* Sets *field (note, pos or domain) to a copy of value; NULL or "" clears. */
int gl_entry_set_str(char **field, const char *value, struct tolk_err *err);

/* The case rule a term gets when none is given: 1 when it has letters and
 * all of them are capitals. */
int gl_term_default_case(const char *term);

/* 1 when e's term is a noun, its part of speech unset or a noun's: the
 * matcher then holds its last word to a noun's endings (GL_CASE_NOUN);
 * 0 for a verb, an adjective or an adverb ("verb", "v", "adjective",
 * "adj", "a", "adverb"; any case). */
int gl_entry_noun(const struct gl_entry *e);

struct gl_matcher;

/* Adds e's term to m under tag, held to a noun's endings where it is a
 * noun (gl_entry_noun), with its exception phrases: one rule for every
 * command that finds terms.  A term or phrase without words finds nothing
 * and is no error. */
int gl_entry_to_matcher(struct gl_matcher *m, const struct gl_entry *e,
			size_t tag, struct tolk_err *err);

/* Today as YYYY-MM-DD (UTC). */
void gl_today(char out[11]);

/* Stores e, replacing a stored entry with the same term (its creation date
 * is kept when e has none).  Fills e->id and missing dates.  *replaced (may
 * be NULL) is set to 1 when an entry was replaced. */
int gl_term_put(struct tm_store *s, struct gl_entry *e, int *replaced,
		struct tolk_err *err);

/* Removes the entry for term (exact, else the only entry equal ignoring
 * case).  TOLK_ENOTFOUND when there is none. */
int gl_term_remove(struct tm_store *s, const char *term, struct tolk_err *err);

/* Loads the entry for term (exact) into *out (initialised by the call; the
 * caller releases it).  TOLK_ENOTFOUND when there is none. */
int gl_term_get(struct tm_store *s, const char *term, struct gl_entry *out,
		struct tolk_err *err);

/* Every entry in the order stored.  Non-zero from fn stops and is returned.
 * The entry is borrowed for the call. */
typedef int (*gl_entry_fn)(void *ctx, const struct gl_entry *e);
int gl_term_foreach(struct tm_store *s, gl_entry_fn fn, void *ctx,
		    struct tolk_err *err);

/* All entries as an array (caller frees with gl_entries_free). */
int gl_term_load(struct tm_store *s, struct gl_entry **out, size_t *n,
		 struct tolk_err *err);
void gl_entries_free(struct gl_entry *v, size_t n);

/* ---- exchange formats -------------------------------------------------- */

enum gl_format {
	GL_FORMAT_AUTO = 0, /* by the file name's extension */
	GL_FORMAT_TSV,	    /* OmegaT: term TAB translation TAB comment */
	GL_FORMAT_TBX,	    /* TBX-Basic (ISO 30042); reads v2 and v3 */
};

/* "tsv"/"txt"/"utf8"/"tab" or "tbx"; TOLK_EUSAGE for anything else. */
int gl_format_parse(const char *name, enum gl_format *out,
		    struct tolk_err *err);
/* Resolves GL_FORMAT_AUTO from path; TOLK_EUSAGE when it cannot. */
int gl_format_resolve(const char *path, enum gl_format *fmt,
		      struct tolk_err *err);

/* Reads a glossary file ("-" is stdin) into entries (caller frees with
 * gl_entries_free).  Rows for the same term are merged into one entry.
 * src_lang and tgt_lang pick the TBX language sections (NULL: nb, en).
 * Bad input is TOLK_EINPUT with the file, line and column in err.
 *
 * TSV: '#' lines and blank lines are skipped; columns past the third are
 * tolk's own, name=value: forbid=V and except=PHRASE (repeatable),
 * case=sensitive|insensitive,
 * pos=, domain=, created=, modified= (YYYY-MM-DD).  In every field \t, \n,
 * \r and \\ stand for a tab, line feed, carriage return and backslash.
 * TBX: each Norwegian term of a concept becomes an entry; the concept's
 * English terms are approved unless their administrativeStatus is
 * deprecatedTerm-admn-sts or supersededTerm-admn-sts (forbidden); the
 * preferredTerm comes first.  A case rule other than the default is kept
 * as a note "tolk:case-sensitive" / "tolk:case-insensitive" on the
 * Norwegian termSec, each exception as a note "tolk:except:PHRASE"; other
 * notes become the entry's note.  TBX is written
 * as TBX-Basic v3 (urn:iso:std:iso:30042:ed-2, style dca). */
int gl_file_read(const char *path, enum gl_format fmt, const char *src_lang,
		 const char *tgt_lang, struct gl_entry **out, size_t *n,
		 struct tolk_err *err);

/* Writes entries to path ("-" is stdout); a file is written under a
 * temporary name and renamed, so a failed export leaves no half file. */
int gl_file_write(const char *path, enum gl_format fmt, const char *src_lang,
		  const char *tgt_lang, const struct gl_entry *v, size_t n,
		  struct tolk_err *err);

#endif
