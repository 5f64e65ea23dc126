#include "glossary/glossary.h"
#include "glossary/termmatch.h"
#include "tm/db.h"
#include "util/buf.h"
#include "util/limit.h"
#include "util/text.h"
#include "util/utf8.h"
#include "util/vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

void gl_entry_init(struct gl_entry *e)
{
	memset(e, 0, sizeof(*e));
}

static void free_list(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void gl_entry_release(struct gl_entry *e)
{
	if (!e)
		return;
	free(e->term);
	free_list(e->approved, e->napproved);
	free_list(e->forbidden, e->nforbidden);
	free_list(e->except, e->nexcept);
	free(e->note);
	free(e->pos);
	free(e->domain);
	gl_entry_init(e);
}

/* The normalised form of s in a new string, or NULL with err set. */
static char *norm_dup(const char *s, const char *what, struct tolk_err *err)
{
	struct tolk_buf b = TOLK_BUF_INIT;

	if (strlen(s) > TOLK_MAX_TERM_BYTES) {
		tolk_err_set(err, TOLK_EINPUT,
			     "%s longer than the limit of %d bytes", what,
			     TOLK_MAX_TERM_BYTES);
		return NULL;
	}
	if (tolk_text_norm(s, strlen(s), &b, err)) {
		tolk_buf_free(&b);
		tolk_err_prefix(err, "%s", what);
		return NULL;
	}
	if (b.len == 0) {
		tolk_buf_free(&b);
		tolk_err_set(err, TOLK_EINPUT, "%s is empty", what);
		return NULL;
	}
	return tolk_buf_detach(&b);
}

int gl_entry_set_term(struct gl_entry *e, const char *term,
		      struct tolk_err *err)
{
	char *t = norm_dup(term, "term", err);

	if (!t)
		return err ? err->code : TOLK_EINPUT;
	free(e->term);
	e->term = t;
	return 0;
}

static int list_add(char ***v, size_t *n, const char *text, const char *what,
		    struct tolk_err *err)
{
	char *t = norm_dup(text, what, err), **p;
	size_t i;

	if (!t)
		return err ? err->code : TOLK_EINPUT;
	for (i = 0; i < *n; i++) {
		if (strcmp((*v)[i], t) == 0) {
			free(t);
			return 0;
		}
	}
	p = realloc(*v, (*n + 1) * sizeof(*p));
	if (!p) {
		free(t);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	*v = p;
	p[(*n)++] = t;
	return 0;
}

int gl_entry_add_approved(struct gl_entry *e, const char *text,
			  struct tolk_err *err)
{
	return list_add(&e->approved, &e->napproved, text, "translation", err);
}

int gl_entry_add_forbidden(struct gl_entry *e, const char *text,
			   struct tolk_err *err)
{
	return list_add(&e->forbidden, &e->nforbidden, text,
			"forbidden variant", err);
}

int gl_entry_add_except(struct gl_entry *e, const char *phrase,
			struct tolk_err *err)
{
	return list_add(&e->except, &e->nexcept, phrase, "exception", err);
}

int gl_entry_set_str(char **field, const char *value, struct tolk_err *err)
{
	char *v = NULL;

	if (value && *value) {
		if (!tolk_utf8_valid(value, strlen(value), NULL))
			return tolk_err_set(err, TOLK_EINPUT,
					    "invalid UTF-8 in '%s'", value);
		if (!(v = strdup(value)))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	free(*field);
	*field = v;
	return 0;
}

int gl_entry_noun(const struct gl_entry *e)
{
	const char *p = e->pos;

	if (!p || !*p)
		return 1;
	return !(!strncasecmp(p, "verb", 4) || !strncasecmp(p, "adj", 3) ||
		 !strncasecmp(p, "adv", 3) || !strcasecmp(p, "v") ||
		 !strcasecmp(p, "vb") || !strcasecmp(p, "a"));
}

int gl_entry_to_matcher(struct gl_matcher *m, const struct gl_entry *e,
			size_t tag, struct tolk_err *err)
{
	enum gl_case cs = e->case_sensitive ? GL_CASE_EXACT : GL_CASE_ANY;
	size_t k;
	int rc;

	rc = gl_matcher_add(
	    m, e->term, cs | (gl_entry_noun(e) ? GL_CASE_NOUN : 0), tag, err);
	if (rc && rc != TOLK_EINPUT)
		return rc;
	for (k = 0; k < e->nexcept; k++) {
		rc = gl_matcher_add_except(m, e->except[k], cs, tag, err);
		if (rc && rc != TOLK_EINPUT)
			return rc;
	}
	return 0;
}

int gl_term_default_case(const char *term)
{
	int32_t i = 0, len = (int32_t)strlen(term);
	int letters = 0;
	UChar32 c;

	while (i < len) {
		U8_NEXT(term, i, len, c);
		if (c < 0 || !u_isalpha(c))
			continue;
		letters++;
		if (!u_isupper(c))
			return 0;
	}
	return letters > 0;
}

void gl_today(char out[11])
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* ---- store -------------------------------------------------------------- */

static const char SQL_FIND[] =
    "SELECT id, created FROM gl_term WHERE term = ?1";
static const char SQL_INSERT[] =
    "INSERT INTO gl_term(term, case_sensitive, note, pos, domain, "
    "created, modified) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_UPDATE[] =
    "UPDATE gl_term SET case_sensitive = ?2, note = ?3, pos = ?4, "
    "domain = ?5, created = ?6, modified = ?7 WHERE id = ?1";
static const char SQL_CLEAR_RENDERINGS[] =
    "DELETE FROM gl_rendering WHERE term_id = ?1";
static const char SQL_INSERT_RENDERING[] =
    "INSERT INTO gl_rendering(term_id, seq, forbidden, text) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char SQL_CLEAR_EXCEPTIONS[] =
    "DELETE FROM gl_exception WHERE term_id = ?1";
static const char SQL_INSERT_EXCEPTION[] =
    "INSERT INTO gl_exception(term_id, seq, text) VALUES (?1, ?2, ?3)";
static const char SQL_EXCEPTIONS[] =
    "SELECT text FROM gl_exception WHERE term_id = ?1 ORDER BY seq";
static const char SQL_DELETE_EXACT[] = "DELETE FROM gl_term WHERE term = ?1";
/* Every term, folded in C (SQLite's lower() knows only ASCII). */
static const char SQL_ALL_TERMS[] = "SELECT id, term FROM gl_term";
static const char SQL_DELETE_ID[] = "DELETE FROM gl_term WHERE id = ?1";

/* A v1 database made by a build without the glossary lacks its tables
 * (the schema is not released yet): say so rather than "no such table". */
static int table_hint(struct tm_store *s, struct tolk_err *err, int rc)
{
	if (err && strstr(err->msg, "no such table: gl_"))
		return tolk_err_set(err, TOLK_EINPUT,
				    "'%s' has no glossary tables: it was made "
				    "by a tolk without the glossary; use a new "
				    "database",
				    tm_store_path(s));
	return rc;
}

static int step_done(struct tm_store *s, struct tm_db_stmt *st,
		     const char *what, struct tolk_err *err)
{
	(void)s;
	return tm_db_run(st, what, err);
}

static void bind_opt(struct tm_db_stmt *st, int i, const char *v)
{
	tm_db_bind_text_or_null(st, i, v);
}

static int put_renderings(struct tm_store *s, int64_t id,
			  const struct gl_entry *e, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	size_t i, seq = 0;
	int rc;

	if (!(st = tm_db_stmt(tm_store_db(s), SQL_CLEAR_RENDERINGS, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, id);
	if ((rc = step_done(s, st, "clear renderings", err)))
		return rc;
	for (i = 0; i < e->napproved + e->nforbidden; i++) {
		int forbidden = i >= e->napproved;
		const char *t =
		    forbidden ? e->forbidden[i - e->napproved] : e->approved[i];

		if (!(st = tm_db_stmt(tm_store_db(s), SQL_INSERT_RENDERING,
				      err)))
			return err ? err->code : TOLK_EDB;
		tm_db_bind_int64(st, 1, id);
		tm_db_bind_int64(st, 2, (int64_t)seq++);
		tm_db_bind_int64(st, 3, forbidden);
		tm_db_bind_text(st, 4, t, -1);
		if ((rc = step_done(s, st, "store rendering", err)))
			return rc;
	}
	if (!(st = tm_db_stmt(tm_store_db(s), SQL_CLEAR_EXCEPTIONS, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, id);
	if ((rc = step_done(s, st, "clear exceptions", err)))
		return rc;
	for (i = 0; i < e->nexcept; i++) {
		if (!(st = tm_db_stmt(tm_store_db(s), SQL_INSERT_EXCEPTION,
				      err)))
			return err ? err->code : TOLK_EDB;
		tm_db_bind_int64(st, 1, id);
		tm_db_bind_int64(st, 2, (int64_t)i);
		tm_db_bind_text(st, 3, e->except[i], -1);
		if ((rc = step_done(s, st, "store exception", err)))
			return rc;
	}
	return 0;
}

int gl_term_put(struct tm_store *s, struct gl_entry *e, int *replaced,
		struct tolk_err *err)
{
	struct tm_db *db = tm_store_db(s);
	struct tm_db_stmt *st;
	int64_t id = 0;
	int rc, found = 0;

	if (!e->term || !*e->term)
		return tolk_err_set(err, TOLK_EINPUT, "entry has no term");
	if (e->napproved == 0)
		return tolk_err_set(err, TOLK_EINPUT,
				    "term '%s' has no translation", e->term);
	if ((rc = tm_db_begin(db, TM_DB_WRITE | TM_DB_JOIN, err)))
		return rc;
	if (!(st = tm_db_stmt(tm_store_db(s), SQL_FIND, err))) {
		rc = table_hint(s, err, err ? err->code : TOLK_EDB);
		goto done;
	}
	tm_db_bind_text(st, 1, e->term, -1);
	rc = tm_db_step(st, "find term", err);
	if (rc == 1) {
		found = 1;
		id = tm_db_col_int64(st, 0);
		if (!e->created[0])
			snprintf(e->created, sizeof(e->created), "%s",
				 tm_db_col_text(st, 1));
	}
	tm_db_reset(st);
	if (rc < 0)
		goto done;
	if (!e->modified[0])
		gl_today(e->modified);
	if (!e->created[0])
		snprintf(e->created, sizeof(e->created), "%s", e->modified);
	st = tm_db_stmt(tm_store_db(s), found ? SQL_UPDATE : SQL_INSERT, err);
	if (!st) {
		rc = err ? err->code : TOLK_EDB;
		goto done;
	}
	if (found)
		tm_db_bind_int64(st, 1, id);
	else
		tm_db_bind_text(st, 1, e->term, -1);
	tm_db_bind_int64(st, 2, e->case_sensitive ? 1 : 0);
	bind_opt(st, 3, e->note);
	bind_opt(st, 4, e->pos);
	bind_opt(st, 5, e->domain);
	tm_db_bind_text(st, 6, e->created, -1);
	tm_db_bind_text(st, 7, e->modified, -1);
	if ((rc = step_done(s, st, "store term", err)))
		goto done;
	if (!found)
		id = tm_db_last_id(db);
	if ((rc = put_renderings(s, id, e, err)))
		goto done;
	e->id = id;
	if (replaced)
		*replaced = found;
done:
	if (rc == 0)
		rc = tm_db_commit(db, err);
	if (rc)
		tm_db_rollback(db);
	return rc;
}

int gl_term_remove(struct tm_store *s, const char *term, struct tolk_err *err)
{
	struct tolk_buf norm = TOLK_BUF_INIT, key = TOLK_BUF_INIT;
	struct tolk_buf cand = TOLK_BUF_INIT;
	struct tm_db_stmt *st;
	int64_t id = 0;
	int rc, frc = 0, n = 0;

	if ((rc = tolk_text_norm(term, strlen(term), &norm, err)))
		return rc;
	if (!(st = tm_db_stmt(tm_store_db(s), SQL_DELETE_EXACT, err))) {
		rc = table_hint(s, err, err ? err->code : TOLK_EDB);
		goto done;
	}
	tm_db_bind_text(st, 1, tolk_buf_str(&norm), -1);
	if ((rc = step_done(s, st, "remove term", err)))
		goto done;
	if (tm_db_changes(tm_store_db(s)) > 0)
		goto done;
	/* Not written exactly so: accept another case when that names one
	 * entry and no more (NTB and ntb may both be entries).  Cases are
	 * compared with ICU's full case folding: Økokrim is økokrim. */
	if ((rc = tolk_text_fold(tolk_buf_str(&norm), norm.len, &key, err)))
		goto done;
	if (!(st = tm_db_stmt(tm_store_db(s), SQL_ALL_TERMS, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto done;
	}
	while ((rc = tm_db_step(st, "find term", err)) == 1) {
		const char *t = tm_db_col_text(st, 1);
		size_t tlen = (size_t)tm_db_col_bytes(st, 1);

		tolk_buf_reset(&cand);
		if (t && (frc = tolk_text_fold(t, tlen, &cand, err)))
			break;
		if (t && cand.len == key.len &&
		    memcmp(cand.data, key.data, key.len) == 0) {
			id = tm_db_col_int64(st, 0);
			n++;
		}
	}
	tm_db_reset(st);
	if (frc) {
		rc = frc;
		goto done;
	}
	if (rc < 0)
		goto done;
	if (n != 1) {
		rc = tolk_err_set(err, TOLK_ENOTFOUND,
				  n ? "'%s' matches several terms in other "
				      "cases: give it exactly"
				    : "no glossary term '%s'",
				  term);
		goto done;
	}
	if (!(st = tm_db_stmt(tm_store_db(s), SQL_DELETE_ID, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto done;
	}
	tm_db_bind_int64(st, 1, id);
	rc = step_done(s, st, "remove term", err);
done:
	tolk_buf_free(&norm);
	tolk_buf_free(&key);
	tolk_buf_free(&cand);
	return rc;
}

/* Rows of terms and renderings in entry order: one row per rendering, or
 * one with NULL rendering columns for an entry without any. */
static const char SQL_ALL[] =
    "SELECT t.id, t.term, t.case_sensitive, t.note, t.pos, t.domain, "
    "t.created, t.modified, r.forbidden, r.text "
    "FROM gl_term t LEFT JOIN gl_rendering r ON r.term_id = t.id "
    "WHERE ?1 IS NULL OR t.term = ?1 ORDER BY t.id, r.seq";

static int copy_col(char **field, struct tm_db_stmt *st, int i,
		    struct tolk_err *err)
{
	return gl_entry_set_str(field, tm_db_col_text(st, i), err);
}

/* Stored renderings are normalised already: appended as they are. */
static int raw_add(char ***v, size_t *n, const char *text)
{
	char *t = strdup(text), **p;

	if (!t)
		return TOLK_ENOMEM;
	p = realloc(*v, (*n + 1) * sizeof(*p));
	if (!p) {
		free(t);
		return TOLK_ENOMEM;
	}
	*v = p;
	p[(*n)++] = t;
	return 0;
}

/* Appends the stored exceptions of e (e->id) to e. */
static int load_exceptions(struct tm_store *s, struct gl_entry *e,
			   struct tolk_err *err)
{
	struct tm_db_stmt *st = tm_db_stmt(tm_store_db(s), SQL_EXCEPTIONS, err);
	int step, rc = 0;

	if (!st)
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, e->id);
	while ((step = tm_db_step(st, "read exceptions", err)) == 1) {
		if (raw_add(&e->except, &e->nexcept, tm_db_col_text(st, 0))) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			break;
		}
	}
	tm_db_reset(st);
	if (!rc && step < 0)
		rc = step;
	return rc;
}

/* The callback may take the entry over (move it and gl_entry_init it). */
typedef int (*entry_take_fn)(void *ctx, struct gl_entry *e);

static int read_entries(struct tm_store *s, const char *only, entry_take_fn fn,
			void *ctx, struct tolk_err *err)
{
	struct gl_entry e;
	struct tm_db_stmt *st = NULL;
	struct tm_db *db = tm_store_db(s);
	int64_t id = 0;
	int rc, step, have = 0;

	gl_entry_init(&e);
	/* Not cached: callbacks may use the store while rows are read. */
	if ((rc = tm_db_prepare(db, SQL_ALL, &st, err)))
		return table_hint(s, err, rc);
	if (only)
		tm_db_bind_text(st, 1, only, -1);
	rc = 0;
	while ((step = tm_db_step(st, "read glossary", err)) == 1) {
		int64_t rid = tm_db_col_int64(st, 0);

		if (have && id != rid) {
			if ((rc = load_exceptions(s, &e, err)) ||
			    (rc = fn(ctx, &e)))
				goto done;
			gl_entry_release(&e);
			have = 0;
		}
		if (!have) {
			have = 1;
			id = rid;
			e.id = rid;
			e.case_sensitive = tm_db_col_int(st, 2);
			if ((rc = copy_col(&e.term, st, 1, err)) ||
			    (rc = copy_col(&e.note, st, 3, err)) ||
			    (rc = copy_col(&e.pos, st, 4, err)) ||
			    (rc = copy_col(&e.domain, st, 5, err)))
				goto done;
			snprintf(e.created, sizeof(e.created), "%s",
				 tm_db_col_text(st, 6));
			snprintf(e.modified, sizeof(e.modified), "%s",
				 tm_db_col_text(st, 7));
		}
		if (!tm_db_col_is_null(st, 9)) {
			const char *t = tm_db_col_text(st, 9);

			rc = tm_db_col_int(st, 8)
				 ? raw_add(&e.forbidden, &e.nforbidden, t)
				 : raw_add(&e.approved, &e.napproved, t);
			if (rc) {
				tolk_err_set(err, rc, "out of memory");
				goto done;
			}
		}
	}
	if (step < 0) {
		rc = step;
		goto done;
	}
	if (have && !(rc = load_exceptions(s, &e, err)))
		rc = fn(ctx, &e);
	else if (only)
		rc = tolk_err_set(err, TOLK_ENOTFOUND, "no glossary term '%s'",
				  only);
done:
	gl_entry_release(&e);
	tm_db_stmt_free(st);
	return rc;
}

struct thunk {
	gl_entry_fn fn;
	void *ctx;
};

static int thunk_cb(void *ctx, struct gl_entry *e)
{
	struct thunk *t = ctx;

	return t->fn(t->ctx, e);
}

int gl_term_foreach(struct tm_store *s, gl_entry_fn fn, void *ctx,
		    struct tolk_err *err)
{
	struct thunk t = {fn, ctx};

	return read_entries(s, NULL, thunk_cb, &t, err);
}

static int take_one(void *ctx, struct gl_entry *e)
{
	struct gl_entry *out = ctx;

	*out = *e;
	gl_entry_init(e);
	return 0;
}

int gl_term_get(struct tm_store *s, const char *term, struct gl_entry *out,
		struct tolk_err *err)
{
	struct tolk_buf norm = TOLK_BUF_INIT;
	int rc;

	gl_entry_init(out);
	if ((rc = tolk_text_norm(term, strlen(term), &norm, err)))
		return rc;
	rc = read_entries(s, tolk_buf_str(&norm), take_one, out, err);
	tolk_buf_free(&norm);
	return rc;
}

struct load_ctx {
	struct gl_entry *v;
	size_t n, cap;
};

static int take_all(void *ctx, struct gl_entry *e)
{
	struct load_ctx *lc = ctx;

	if (TOLK_GROW(lc->v, lc->cap, lc->n + 1, 64))
		return TOLK_ENOMEM;
	lc->v[lc->n++] = *e;
	gl_entry_init(e);
	return 0;
}

int gl_term_load(struct tm_store *s, struct gl_entry **out, size_t *n,
		 struct tolk_err *err)
{
	struct load_ctx lc = {0};
	int rc = read_entries(s, NULL, take_all, &lc, err);

	if (rc) {
		if (rc == TOLK_ENOMEM)
			tolk_err_set(err, rc, "out of memory");
		gl_entries_free(lc.v, lc.n);
		*out = NULL;
		*n = 0;
		return rc;
	}
	*out = lc.v;
	*n = lc.n;
	return 0;
}

void gl_entries_free(struct gl_entry *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		gl_entry_release(&v[i]);
	free(v);
}
