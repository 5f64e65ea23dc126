#ifndef TOLK_TM_VARS_INT_H
#define TOLK_TM_VARS_INT_H

/* A unit's variants as one blob (schema 10, tm/store.c: unit.vars on
 * SQLite).  They were rows of a table of their own, each costing an
 * import a row, a rowid and an index entry; nothing ever looked into
 * them from SQL but to pick a unit's variants, in order, by language.
 *
 * Format 1, written once per unit and never updated in place:
 *
 *   byte    1                      the format
 *   varint  n                      the number of variants, then n times:
 *   byte    flags                  TM_VAR_MARKUP, TM_VAR_ATTRS, TM_VAR_KEY
 *   varint  seq                    extra.variant_seq refers to it
 *   8 bytes norm_key               little-endian, if TM_VAR_KEY
 *   str     lang, lang_key, text
 *   str     markup                 if TM_VAR_MARKUP
 *   varint  length, the bytes      the attributes, if TM_VAR_ATTRS
 *
 * where str is a varint length, the bytes and a NUL the length does not
 * count, so that a reader hands out strings that point into the blob.
 * varints are LEB128.  The blob is read from a file anyone may have
 * written: the decoder checks every length against the end and reports
 * a damaged blob rather than read past it. */

#include "tm/db.h"
#include "util/buf.h"
#include "util/err.h"

#include <stddef.h>
#include <stdint.h>

#define TM_VARS_FORMAT 1

enum tm_var_flag {
	TM_VAR_MARKUP = 1,
	TM_VAR_ATTRS = 2,
	TM_VAR_KEY = 4, /* norm_key known (not yet: store_backfill's) */
};

/* One variant.  Decoded, the strings point into the blob (borrowed for
 * as long as the blob is) and the lengths are filled in; to encode, the
 * strings are measured but for a text_len not 0, taken as strlen(text)
 * (an import's texts are measured once, where they are read). */
struct tm_var {
	int64_t seq;
	int has_key;
	int64_t norm_key;
	const char *lang, *lkey, *text;
	const char *markup; /* NULL: none */
	size_t text_len;
	const void *attrs; /* tm_attrs_blob; attrs_len 0: none */
	size_t attrs_len;
};

/* Bytes tm_vars_encode writes for the n variants v. */
size_t tm_vars_size(const struct tm_var *v, size_t n);

/* Writes the blob of the n variants v at out (tm_vars_size(v, n) bytes
 * free); returns the end. */
unsigned char *tm_vars_encode(unsigned char *out, const struct tm_var *v,
			      size_t n);

/* The same appended to b; -1 out of memory. */
int tm_vars_append(struct tolk_buf *b, const struct tm_var *v, size_t n);

/* A blob of variants that come one at a time: tm_var_append appends one
 * variant's bytes to b, without the head; tm_vars_head then writes the
 * head of n variants (at most TM_VARS_HEAD_MAX bytes) at out, returning
 * its end, to go right before the first variant's bytes. */
#define TM_VARS_HEAD_MAX 11
int tm_var_append(struct tolk_buf *b, const struct tm_var *v);
unsigned char *tm_vars_head(unsigned char *out, size_t n);

/* Reads a blob's variants in order.  A NULL or empty blob has none. */
struct tm_vars_it {
	const unsigned char *p, *end, *first;
	uint64_t left, n;
	int64_t unit; /* whose blob it is, for the errors (0: not known) */
};

/* 0, or TOLK_EDB (err set) for a blob of another format or damaged. */
int tm_vars_init(struct tm_vars_it *it, const void *blob, size_t len,
		 struct tolk_err *err);

/* tm_vars_init for unit id's blob: its errors name the unit, which one
 * can then delete or export around. */
int tm_vars_init_id(struct tm_vars_it *it, const void *blob, size_t len,
		    int64_t id, struct tolk_err *err);

/* The next variant into *v: 1, 0 after the last, or TOLK_EDB (err set)
 * where the blob is damaged. */
int tm_vars_next(struct tm_vars_it *it, struct tm_var *v, struct tolk_err *err);

/* The next variant that is the first of its language (lang_key) in the
 * blob, as the matcher indexes them: 1, 0 or TOLK_EDB. */
int tm_vars_next_first(struct tm_vars_it *it, struct tm_var *v,
		       struct tolk_err *err);

/* A unit's pair for source language key sk and target tk: the source is
 * the first variant of sk; the target the first of tk, or its second
 * when sk and tk are one language.  1 found, 0 the unit has no such
 * pair, TOLK_EDB a damaged blob (id: the unit's, for the error, or 0). */
int tm_vars_pair(const void *blob, size_t len, int64_t id, const char *sk,
		 const char *tk, struct tm_var *src, struct tm_var *tgt,
		 struct tolk_err *err);

/* ---- reading them from the database ------------------------------------
 * The one place that knows where a unit's variants are stored: SQLite
 * keeps the blob in unit.vars; PostgreSQL keeps its variant rows, which
 * are packed into a blob here, so that every reader decodes the one
 * format.  A unit read: */
struct tm_vars_unit {
	int64_t id;
	const char *src_key;
	const void *blob;
	size_t len;
	/* the reader's */
	struct tm_db_stmt *st;
	int own, rows, pending, done;
	struct tolk_buf buf;
};

#define TM_VARS_UNIT_INIT                                                      \
	{                                                                      \
		0, NULL, NULL, 0, NULL, 0, 0, 0, 0, TOLK_BUF_INIT              \
	}

/* Unit id's variants into *u: 1, 0 when there is no such unit, or an
 * error.  u's pointers hold until tm_vars_unit_done, which must come
 * before the connection reads a unit's variants again. */
int tm_vars_get(struct tm_vars_unit *u, struct tm_db *db, int64_t id,
		struct tolk_err *err);
void tm_vars_unit_done(struct tm_vars_unit *u);

/* Every unit, in id order: tm_vars_scan_begin, then tm_vars_scan_next
 * (1 a unit in *u, valid until the next call; 0 the end; or an error)
 * until it is not 1, then tm_vars_scan_end, also on error.  The scan has
 * a statement of its own: u's callers may read units meanwhile. */
int tm_vars_scan_begin(struct tm_vars_unit *u, struct tm_db *db,
		       struct tolk_err *err);
int tm_vars_scan_next(struct tm_vars_unit *u, struct tolk_err *err);
void tm_vars_scan_end(struct tm_vars_unit *u);

/* Frees what u holds (after tm_vars_unit_done or tm_vars_scan_end). */
void tm_vars_unit_release(struct tm_vars_unit *u);

#endif
