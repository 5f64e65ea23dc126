/* tm_tmx_export: the units of a store as TMX, through the writer in
 * tm/tmx_write.c.  See tm/tmx.h. */
#include "tm/db.h"
#include "tm/tmx.h"
#include "tm/tmx_int.h"
#include "tm/unit_int.h"
#include "util/buf.h"
#include "util/lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the export's functions share: the writer and the selection. */
struct wr {
	struct tm_tmx_writer *w;
	const struct tm_tmx_export_opts *o;
	int failed; /* a writer call failed */
};

static int origin_matches(const char *origin, const char *want)
{
	const char *base;

	if (!want)
		return 1;
	if (!origin)
		return 0;
	base = strrchr(origin, '/');
	return strcmp(origin, want) == 0 ||
	       (base && strcmp(base + 1, want) == 0);
}

/* Newest creation or change date of the unit or its variants. */
static const char *unit_date(const struct tm_unit *u)
{
	static const char *const names[] = {"changedate", "creationdate"};
	const char *best = NULL, *v;
	size_t i, k;

	for (k = 0; k < 2; k++) {
		v = tm_attrs_get(&u->attrs, names[k]);
		if (v && (!best || strcmp(v, best) > 0))
			best = v;
		for (i = 0; i < u->nvariants; i++) {
			v = tm_attrs_get(&u->variants[i].attrs, names[k]);
			if (v && (!best || strcmp(v, best) > 0))
				best = v;
		}
	}
	return best;
}

static int wanted(const struct tm_unit *u, const struct tm_tmx_export_opts *o)
{
	size_t i, s = TM_UNIT_LEVEL, t = TM_UNIT_LEVEL;

	if (!origin_matches(u->origin, o->origin))
		return 0;
	if (o->since) {
		const char *d = unit_date(u);

		if (!d || strcmp(d, o->since) < 0)
			return 0;
	}
	if (o->all_languages)
		return 1;
	for (i = 0; i < u->nvariants; i++) {
		if (s == TM_UNIT_LEVEL &&
		    tolk_lang_same(u->variants[i].lang, o->source_lang))
			s = i;
		else if (t == TM_UNIT_LEVEL &&
			 tolk_lang_same(u->variants[i].lang, o->target_lang))
			t = i;
	}
	return s != TM_UNIT_LEVEL && t != TM_UNIT_LEVEL;
}

static int write_headers(struct tm_store *s, struct wr *wr,
			 struct tolk_err *err)
{
	struct tm_db_stmt *st = NULL;
	int step, rc = 0;

	if ((rc = tm_db_prepare(tm_store_db(s),
				"SELECT origin, attrs, body FROM tmx_header "
				"ORDER BY id",
				&st, err)))
		return rc;
	while ((step = tm_db_step(st, "read headers", err)) == 1) {
		struct tm_attrs a = {0};
		struct tolk_buf type = TOLK_BUF_INIT;
		size_t i;

		if (!origin_matches(tm_db_col_text(st, 0), wr->o->origin))
			continue;
		if (tm_attrs_parse(&a, tm_db_col_blob(st, 1, NULL),
				   tm_db_col_bytes(st, 1))) {
			tm_attrs_release(&a);
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			break;
		}
		/* The imported file's own header attributes, which the
		 * export's header cannot carry: re-import restores them. */
		for (i = 0; i < a.n; i++) {
			tolk_buf_reset(&type);
			if (tolk_buf_printf(&type, TMX_ATTR_PROP "%s",
					    a.names[i]) ||
			    tm_tmx_writer_header_prop(
				wr->w, tolk_buf_str(&type), a.values[i]))
				wr->failed = 1;
		}
		if (tm_tmx_writer_header_raw(wr->w, tm_db_col_text(st, 2)))
			wr->failed = 1;
		tm_attrs_release(&a);
		tolk_buf_free(&type);
	}
	if (rc == 0 && step < 0)
		rc = step;
	tm_db_stmt_free(st);
	return rc;
}

/* The defaults units inherit from their header (segtype, datatype,
 * o-encoding): when every exported file's header agrees on one, the
 * export's header says the same, so that other tools read the units as
 * their authors meant.  def[k] is "" when there is no agreement. */
static const char *const inherited[] = {"segtype", "datatype", "o-encoding"};
#define NINHERITED 3

static int header_defaults(struct tm_store *s, struct wr *wr,
			   char def[NINHERITED][64], struct tolk_err *err)
{
	struct tm_db_stmt *st = NULL;
	int step, k, rows = 0, mixed[NINHERITED] = {0};

	memset(def, 0, NINHERITED * sizeof(def[0]));
	if ((step = tm_db_prepare(tm_store_db(s),
				  "SELECT origin, attrs FROM tmx_header", &st,
				  err)))
		return step;
	while ((step = tm_db_step(st, "read headers", err)) == 1) {
		struct tm_attrs a = {0};

		if (!origin_matches(tm_db_col_text(st, 0), wr->o->origin))
			continue;
		if (tm_attrs_parse(&a, tm_db_col_blob(st, 1, NULL),
				   tm_db_col_bytes(st, 1))) {
			tm_attrs_release(&a);
			tm_db_stmt_free(st);
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		}
		for (k = 0; k < NINHERITED; k++) {
			const char *v = tm_attrs_get(&a, inherited[k]);

			if (!v || strlen(v) >= sizeof(def[k]) ||
			    (k == 0 && !tmx_segtype_valid(v)))
				mixed[k] = 1;
			else if (rows == 0)
				snprintf(def[k], sizeof(def[k]), "%s", v);
			else if (strcmp(def[k], v) != 0)
				mixed[k] = 1;
		}
		rows++;
		tm_attrs_release(&a);
	}
	tm_db_stmt_free(st);
	if (step < 0)
		return step;
	for (k = 0; k < NINHERITED; k++)
		if (mixed[k] || rows == 0)
			def[k][0] = '\0';
	return 0;
}

static int write_all(struct tm_store *s, struct wr *wr, unsigned long *n,
		     struct tolk_err *err)
{
	const struct tm_tmx_export_opts *o = wr->o;
	struct tm_tmx_header h = {0};
	char def[NINHERITED][64];
	struct tm_db_stmt *st = NULL;
	int step = 0, rc = 0;

	if ((rc = header_defaults(s, wr, def, err)))
		return rc;
	h.srclang = o->source_lang;
	h.all_languages = o->all_languages;
	h.segtype = def[0][0] ? def[0] : NULL;
	h.datatype = def[1][0] ? def[1] : NULL;
	h.o_encoding = def[2][0] ? def[2] : NULL;
	h.keep_no = o->keep_no;
	if ((rc = tm_tmx_writer_begin(wr->w, &h, err)))
		return rc;
	if ((rc = write_headers(s, wr, err)))
		return rc;
	if ((rc = tm_db_prepare(tm_store_db(s),
				"SELECT id FROM unit ORDER BY id", &st, err)))
		return rc;
	while (!wr->failed && (step = tm_db_step(st, "read units", err)) == 1) {
		struct tm_unit *u = NULL;

		if ((rc = tm_store_get(s, tm_db_col_int64(st, 0), &u, err)))
			break;
		if (wanted(u, o)) {
			if (tm_tmx_writer_unit(
				wr->w, u,
				o->all_languages ? NULL : o->source_lang,
				o->target_lang))
				wr->failed = 1;
			(*n)++;
		}
		tm_unit_free(u);
	}
	if (rc == 0 && step < 0)
		rc = step;
	tm_db_stmt_free(st);
	return rc;
}

int tm_tmx_export(struct tm_store *s, const char *path,
		  const struct tm_tmx_export_opts *o, unsigned long *n,
		  struct tolk_err *err)
{
	struct wr wr;
	unsigned long count = 0;
	int rc = 0;

	memset(&wr, 0, sizeof(wr));
	wr.o = o;
	if ((rc = tm_tmx_writer_open(&wr.w, path, err)))
		return rc;
	/* One read transaction: the file is a snapshot. */
	if ((rc = tm_db_begin(tm_store_db(s), TM_DB_READ, err)))
		goto done;
	rc = write_all(s, &wr, &count, err);
	/* nothing was written: ending the snapshot cannot lose anything */
	tm_db_rollback(tm_store_db(s));
done:
	if (rc == 0)
		rc = tm_tmx_writer_finish(wr.w, err);
	else
		tm_tmx_writer_free(wr.w);
	if (rc == 0 && n)
		*n = count;
	return rc;
}
