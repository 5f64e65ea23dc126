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

/* An imported file's header as the store keeps it (tmx_header). */
struct hdr {
	char *origin;
	struct tm_unit *h; /* its attributes */
	char *body;	   /* its props, notes and ude, as XML */
};

/* What the export's functions share: the writer and the selection. */
struct wr {
	struct tm_tmx_writer *w;
	const struct tm_tmx_export_opts *o;
	struct hdr *hdrs; /* in the order they were imported */
	size_t nhdrs;
	int failed; /* a writer call failed */
};

/* 1 when part (len bytes) is want, or its base name is. */
static int part_matches(const char *part, size_t len, const char *want)
{
	size_t n = strlen(want);
	const char *base = part + len;

	while (base > part && base[-1] != '/')
		base--;
	return (len == n && memcmp(part, want, n) == 0) ||
	       (base > part && (size_t)(part + len - base) == n &&
		memcmp(base, want, n) == 0);
}

static int origin_matches(const char *origin, const char *want)
{
	const char *sep;

	if (!want)
		return 1;
	if (!origin)
		return 0;
	/* `align --import` stores "NB_FILE | EN_FILE": either name counts */
	for (;;) {
		sep = strstr(origin, " | ");
		if (part_matches(origin,
				 sep ? (size_t)(sep - origin) : strlen(origin),
				 want))
			return 1;
		if (!sep)
			return 0;
		origin = sep + 3;
	}
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

/* --origin that names no origin of the TM: TOLK_ENOTFOUND, with the
 * origins there are, so that nothing is exported silently empty. */
static int check_origin(struct tm_store *s, const char *want,
			struct tolk_err *err)
{
	struct tolk_buf list = TOLK_BUF_INIT;
	struct tm_db_stmt *st = NULL;
	int step, rc, found = 0;

	if ((rc = tm_db_prepare(tm_store_db(s),
				"SELECT origin, count(*) FROM unit "
				"GROUP BY origin ORDER BY origin",
				&st, err)))
		return rc;
	while (!found && (step = tm_db_step(st, "read origins", err)) == 1) {
		const char *o = tm_db_col_text(st, 0);
		long long n = tm_db_col_int64(st, 1);

		found = origin_matches(o, want);
		if (tolk_buf_printf(&list, "%s'%s' (%lld unit%s)",
				    list.len ? ", " : "", o ? o : "", n,
				    n == 1 ? "" : "s"))
			step = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	tm_db_stmt_free(st);
	if (step < 0)
		rc = step;
	else if (!found)
		rc = tolk_err_set(
		    err, TOLK_ENOTFOUND,
		    "no unit comes from '%s': nothing exported; "
		    "%s%s",
		    want, list.len ? "the origins are " : "the TM is empty",
		    list.len ? tolk_buf_str(&list) : "");
	tolk_buf_free(&list);
	return rc;
}

static void free_headers(struct wr *wr)
{
	size_t i;

	for (i = 0; i < wr->nhdrs; i++) {
		free(wr->hdrs[i].origin);
		tm_unit_free(wr->hdrs[i].h);
		free(wr->hdrs[i].body);
	}
	free(wr->hdrs);
}

static int load_headers(struct tm_store *s, struct wr *wr, struct tolk_err *err)
{
	struct tm_db_stmt *st = NULL;
	size_t cap = 0;
	int step, rc;

	if ((rc = tm_db_prepare(tm_store_db(s),
				"SELECT origin, attrs, body FROM tmx_header "
				"ORDER BY id",
				&st, err)))
		return rc;
	while ((step = tm_db_step(st, "read headers", err)) == 1) {
		const char *o = tm_db_col_text(st, 0);
		struct hdr *h;

		if (wr->nhdrs == cap) {
			size_t ncap = cap ? 2 * cap : 8;
			struct hdr *p = realloc(wr->hdrs, ncap * sizeof(*p));

			if (!p)
				break;
			wr->hdrs = p;
			cap = ncap;
		}
		h = &wr->hdrs[wr->nhdrs];
		memset(h, 0, sizeof(*h));
		wr->nhdrs++;
		if (tm_unit_new(&h->h) || (o && !(h->origin = strdup(o))) ||
		    !(h->body =
			  strdup(tm_db_col_text(st, 2) ? tm_db_col_text(st, 2)
						       : "")) ||
		    tm_attrs_parse(&h->h->attrs, tm_db_col_blob(st, 1, NULL),
				   tm_db_col_bytes(st, 1)))
			break;
	}
	tm_db_stmt_free(st);
	if (step == 1)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return step < 0 ? step : 0;
}

/* The last header stored for origin (exactly), or for --origin want. */
static const struct hdr *find_header(const struct wr *wr, const char *origin,
				     const char *want)
{
	size_t i;

	for (i = wr->nhdrs; i-- > 0;) {
		const char *o = wr->hdrs[i].origin;

		if (want ? origin_matches(o, want)
			 : o && origin && strcmp(o, origin) == 0)
			return &wr->hdrs[i];
	}
	return NULL;
}

/* What a unit took from its file's header without saying so itself: put
 * on the <tu> where the header written says otherwise, so that the unit
 * reads the same under tolk's header as under its own. */
static const char *const inherited[] = {"segtype", "datatype", "o-encoding",
					"srclang"};

static int add_inherited(const struct wr *wr, struct tm_unit *u)
{
	const struct hdr *h = find_header(wr, u->origin, NULL);
	size_t k;

	for (k = 0; h && k < sizeof(inherited) / sizeof(inherited[0]); k++) {
		const char *name = inherited[k];
		const char *hv = tm_attrs_get(&h->h->attrs, name);
		const char *ours = tm_tmx_writer_header_attr(wr->w, name);

		if (!hv || tm_attrs_get(&u->attrs, name) ||
		    (k == 0 && !tmx_segtype_valid(hv)) ||
		    (k == 3 && strcmp(hv, "*all*") == 0))
			continue;
		if (ours && (k == 3 ? strcmp(ours, "*all*") != 0 &&
					  tolk_lang_same(ours, hv)
				    : strcmp(ours, hv) == 0))
			continue;
		if (tm_attrs_set(&u->attrs, name, hv))
			return -1;
	}
	return 0;
}

/* Units written per read-ahead (tm_store_prefetch). */
#define EXPORT_BATCH 512

/* Writes unit id when the options want it; *dropped counts the control
 * characters left out so far, *n the units written. */
static int write_unit(struct tm_store *s, struct wr *wr, int64_t id,
		      unsigned long *dropped, unsigned long *n,
		      struct tolk_err *err)
{
	const struct tm_tmx_export_opts *o = wr->o;
	struct tm_unit *u = NULL;
	unsigned long now;
	int rc;

	if ((rc = tm_store_get(s, id, &u, err)))
		return rc;
	if (wanted(u, o)) {
		if (add_inherited(wr, u)) {
			tm_unit_free(u);
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		}
		if (tm_tmx_writer_unit(wr->w, u,
				       o->all_languages ? NULL : o->source_lang,
				       o->target_lang))
			wr->failed = 1;
		now = tm_tmx_writer_dropped(wr->w);
		if (now > *dropped && o->warn) {
			char msg[160];

			snprintf(msg, sizeof(msg),
				 "unit %lld: %lu control character%s "
				 "that XML 1.0 cannot hold left out",
				 (long long)u->id, now - *dropped,
				 now - *dropped == 1 ? "" : "s");
			o->warn(o->ctx, NULL, 0, 0, msg);
		}
		*dropped = now;
		(*n)++;
	}
	tm_unit_free(u);
	return 0;
}

static int write_all(struct tm_store *s, struct wr *wr, unsigned long *n,
		     struct tolk_err *err)
{
	const struct tm_tmx_export_opts *o = wr->o;
	struct tm_tmx_header h = {0};
	const struct hdr *from = NULL;
	struct tm_db_stmt *st = NULL;
	unsigned long dropped = 0;
	int step = 0, rc = 0;

	/* --origin F gives F's own header back; an export of more than one
	 * file has tolk's: the headers of the files stay with their
	 * units' origins in the TM */
	if (o->origin)
		from = find_header(wr, NULL, o->origin);
	h.srclang = o->source_lang;
	h.all_languages = o->all_languages;
	h.datatype = "plaintext";
	h.keep_no = o->keep_no;
	h.from = from ? from->h : NULL;
	if ((rc = tm_tmx_writer_begin(wr->w, &h, err)))
		return rc;
	if (from && tm_tmx_writer_header_raw(wr->w, from->body))
		wr->failed = 1;
	if ((rc = tm_db_prepare_rows(
		 tm_store_db(s), "SELECT id FROM unit ORDER BY id", &st, err)))
		return rc;
	/* the units in batches: on a server, read ahead in one statement
	 * each rather than three per unit */
	while (!wr->failed && rc == 0 && step >= 0) {
		int64_t ids[EXPORT_BATCH];
		size_t k = 0, i;

		while (k < EXPORT_BATCH &&
		       (step = tm_db_step(st, "read units", err)) == 1)
			ids[k++] = tm_db_col_int64(st, 0);
		if (k == 0 || (rc = tm_store_prefetch(s, ids, k, err)))
			break;
		for (i = 0; i < k && !wr->failed && rc == 0; i++)
			rc = write_unit(s, wr, ids[i], &dropped, n, err);
		if (step == 0)
			break;
	}
	tm_store_prefetch(s, NULL, 0, NULL);
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
	/* One read transaction: the file is a snapshot. */
	if ((rc = tm_db_begin(tm_store_db(s), TM_DB_READ, err)))
		return rc;
	/* a file imported without units still has its header to export */
	if ((rc = load_headers(s, &wr, err)) ||
	    (o->origin && !find_header(&wr, NULL, o->origin) &&
	     (rc = check_origin(s, o->origin, err))) ||
	    (rc = tm_tmx_writer_open(&wr.w, path, err)))
		goto done;
	rc = write_all(s, &wr, &count, err);
	if (rc == 0)
		rc = tm_tmx_writer_finish(wr.w, err);
	else
		tm_tmx_writer_free(wr.w);
	if (rc == 0 && n)
		*n = count;
done:
	/* nothing was written: ending the snapshot cannot lose anything */
	tm_db_rollback(tm_store_db(s));
	free_headers(&wr);
	return rc;
}
