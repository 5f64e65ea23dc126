/* Helpers shared by the TMX reader (tmx.c), the TSV reader (tsv.c), the
 * writer (tmx_write.c, tmx_export.c) and the XLIFF module (xliff.c).
 * Library-internal. */
#ifndef TM_TMX_INT_H
#define TM_TMX_INT_H

#include <stddef.h>

#include "tm/tmx.h"
#include "util/buf.h"
#include "util/lang.h"

/* Prefix of a <prop type> that carries an attribute TMX 1.4b does not
 * declare on <tu>, <tuv> or <header>: "x-tolk-attr:NAME", value VALUE. */
#define TMX_ATTR_PROP "x-tolk-attr:"
/* Prefix of a <prop type> that carries a prop's undeclared attributes (and
 * its original type, if any) as "name=value&..." with %, & and =
 * percent-encoded. */
#define TMX_PROP_PROP "x-tolk-prop:"

/* 1 when TMX 1.4b declares attribute attr (e.g. "xml:lang") on elem. */
/* 1 for a segtype value TMX 1.4b allows (block, paragraph, sentence,
 * phrase). */
int tmx_segtype_valid(const char *v);

int tmx_attr_declared(const char *elem, const char *attr);

/* 1 for the dates TMX keeps in YYYYMMDDThhmmssZ form. */
int tmx_is_date_attr(const char *name);

/* Appends s escaped for XML text content or (attr) an attribute value. */
int tmx_escape(struct tolk_buf *b, const char *s, int attr);

/* Appends name=value to an x-tolk-prop encoding (with '&' between). */
int tmx_prop_encode(struct tolk_buf *b, const char *name, const char *value);

/* Serialised attributes as the store keeps them: name NUL value NUL. */
struct tm_attrs;

/* The storing side of an import, shared by the TMX reader (tm/tmx.c)
 * and the TSV reader (tm/tsv.c): every unit read goes through
 * tmx_store_unit, which applies the duplicate policy and counts. */
struct tmx_imp {
	struct tm_store *s;
	const struct tm_tmx_import_opts *o;
	struct tm_tmx_import_stats *st;
	/* the language keys of o's source and target language ("" for one
	 * that is not a tag), once pair_keys is set at the first unit */
	int pair_keys;
	char src_key[TOLK_LANG_MAX], tgt_key[TOLK_LANG_MAX];
};

int tmx_store_unit(struct tmx_imp *im, const struct tm_unit *u,
		   const char *file, unsigned long line, struct tolk_err *err);

/* A reader of an import's file, run on a thread of its own: it reads
 * path and hands each unit it makes to take (ctx o->ctx), which owns it
 * from then on, or, take NULL, lends it to o->unit; warnings, progress
 * and stats go through o.  Its units come from tmx_pool_unit(pool), pool
 * NULL for none; io is the import's options.  0, or the error that
 * stopped it.  take's body is a
 * TMX header's (NULL for a unit); a non-zero return stops the reader. */
struct tm_unit;
struct tmx_pool;
typedef int (*tmx_take_fn)(void *ctx, struct tm_unit *u, const char *body,
			   unsigned long line);
typedef int (*tmx_read_fn)(const char *path,
			   const struct tm_tmx_import_opts *io,
			   const struct tm_tmx_read_opts *o, tmx_take_fn take,
			   struct tmx_pool *pool, struct tolk_err *err);

/* An empty unit into *out: one the importer is done with, from p, or a
 * new one.  0 or TOLK_ENOMEM. */
int tmx_pool_unit(struct tmx_pool *p, struct tm_unit **out);

/* tm_tmx_import with another reader: read reads ahead of the thread
 * that stores (the import's transaction, bulk mode, counts). */
int tmx_import_with(struct tm_store *s, const char *path, tmx_read_fn read,
		    const struct tm_tmx_import_opts *o,
		    struct tm_tmx_import_stats *st, struct tolk_err *err);

/* Ends an import's transaction: commits when rc is 0 and the import
 * opened it (own), else rolls back; returns rc or the commit's error. */
int tmx_end_tx(struct tm_store *s, int own, int rc, struct tolk_err *err);

#endif
