/* The backend-neutral half of the database layer (tm/db.h): the
 * statement cache, nested transactions with their hooks, migrations.
 * Everything that talks to a database goes through db->ops. */
#include "tm/db_int.h"
#include "util/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tm_db_open(struct tm_db **out, const char *path, unsigned flags,
	       struct tolk_err *err)
{
	struct tm_db *db;
	int rc;

	*out = NULL;
	if (!(db = calloc(1, sizeof(*db))) || !(db->path = strdup(path))) {
		free(db);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	db->ops = tm_db_is_server(path) ? &tm_db_pg_ops : &tm_db_sqlite_ops;
	if ((rc = db->ops->open(db, path, flags, err))) {
		free(db->path);
		free(db);
		return rc;
	}
	*out = db;
	return 0;
}

void tm_db_close(struct tm_db *db)
{
	size_t i;

	if (!db)
		return;
	while (db->depth > 0)
		tm_db_rollback(db);
	for (i = db->nhooks; i-- > 0;)
		if (db->hooks[i].h->free)
			db->hooks[i].h->free(db->hooks[i].ctx);
	free(db->hooks);
	for (i = 0; i < db->nbucket; i++) {
		struct tm_db_stmt *st = db->bucket[i], *next;

		for (; st; st = next) {
			next = st->next;
			db->ops->finalize(st->h);
			free(st->sql);
			free(st);
		}
	}
	free(db->bucket);
	free(db->join);
	if (db->conn)
		db->ops->close(db);
	free(db->path);
	free(db);
}

const char *tm_db_path(const struct tm_db *db)
{
	return db->path;
}

const char *tm_db_backend(const struct tm_db *db)
{
	return db->ops->name;
}

int tm_db_read_only(const struct tm_db *db)
{
	return db->read_only;
}

void tm_db_set_busy_timeout(struct tm_db *db, int ms)
{
	db->busy_ms = ms;
	db->ops->set_busy_timeout(db, ms);
}

int tm_db_exec(struct tm_db *db, const char *sql, const char *what,
	       struct tolk_err *err)
{
	return db->ops->exec(db, sql, what, err);
}

int tm_db_size(struct tm_db *db, int64_t *bytes, struct tolk_err *err)
{
	return db->ops->size(db, bytes, err);
}

int tm_db_schema_version(struct tm_db *db, int *v, struct tolk_err *err)
{
	return db->ops->get_version(db, v, err);
}

int tm_db_migrate(struct tm_db *db, const char *const *steps, int n,
		  struct tolk_err *err)
{
	int v, rc;

	if ((rc = db->ops->get_version(db, &v, err)))
		return rc;
	if (v > n)
		return tolk_err_set(
		    err, TOLK_EDB,
		    "'%s' was written by a newer tolk (schema version %d; "
		    "this tolk knows up to %d): upgrade tolk",
		    db->path, v, n);
	if (v == n)
		return 0;
	/* Readers migrate too: the data is kept, and refusing would strand
	 * users of an older database. */
	if ((rc = db->ops->begin(db, TM_DB_WRITE, err)))
		return rc;
	/* Re-read under the write lock: another process may have migrated. */
	if ((rc = db->ops->get_version(db, &v, err)))
		goto fail;
	for (; v < n; v++)
		if ((rc =
			 db->ops->exec(db, steps[v], "create the schema", err)))
			goto fail;
	if ((rc = db->ops->set_version(db, n, err)) ||
	    (rc = db->ops->commit(db, err)))
		goto fail;
	return 0;
fail:
	db->ops->rollback(db);
	return rc;
}

/* ---- statements --------------------------------------------------------- */

static size_t sql_hash(const char *sql)
{
	return (size_t)tolk_fnv64(sql, strlen(sql), TOLK_FNV64_OFFSET);
}

static int cache_grow(struct tm_db *db)
{
	size_t n = db->nbucket ? db->nbucket * 2 : 64, i;
	struct tm_db_stmt **b = calloc(n, sizeof(*b));

	if (!b)
		return -1;
	for (i = 0; i < db->nbucket; i++) {
		struct tm_db_stmt *st = db->bucket[i], *next;

		for (; st; st = next) {
			next = st->next;
			st->next = b[st->hash & (n - 1)];
			b[st->hash & (n - 1)] = st;
		}
	}
	free(db->bucket);
	db->bucket = b;
	db->nbucket = n;
	return 0;
}

struct tm_db_stmt *tm_db_stmt(struct tm_db *db, const char *sql,
			      struct tolk_err *err)
{
	size_t m = ((uintptr_t)sql >> 3) % 64, h;
	struct tm_db_stmt *st;

	if (db->memo[m].sql == sql && strcmp(db->memo[m].st->sql, sql) == 0) {
		st = db->memo[m].st;
		db->ops->reset(st->h, 1);
		return st;
	}
	h = sql_hash(sql);
	if (db->nbucket) {
		for (st = db->bucket[h & (db->nbucket - 1)]; st; st = st->next)
			if (st->hash == h && strcmp(st->sql, sql) == 0) {
				db->ops->reset(st->h, 1);
				db->memo[m].sql = sql;
				db->memo[m].st = st;
				return st;
			}
	}
	if (db->ncached >= db->nbucket && cache_grow(db))
		goto nomem;
	if (!(st = calloc(1, sizeof(*st))))
		goto nomem;
	if (!(st->sql = strdup(sql))) {
		free(st);
		goto nomem;
	}
	if (db->ops->prepare(db, sql, 1, &st->h, err)) {
		free(st->sql);
		free(st);
		return NULL;
	}
	st->db = db;
	st->hash = h;
	st->next = db->bucket[h & (db->nbucket - 1)];
	db->bucket[h & (db->nbucket - 1)] = st;
	db->ncached++;
	db->memo[m].sql = sql;
	db->memo[m].st = st;
	return st;
nomem:
	tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return NULL;
}

int tm_db_prepare(struct tm_db *db, const char *sql, struct tm_db_stmt **out,
		  struct tolk_err *err)
{
	struct tm_db_stmt *st = calloc(1, sizeof(*st));
	int rc;

	*out = NULL;
	if (!st)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if ((rc = db->ops->prepare(db, sql, 0, &st->h, err))) {
		free(st);
		return rc;
	}
	st->db = db;
	*out = st;
	return 0;
}

int tm_db_prepare_rows(struct tm_db *db, const char *sql,
		       struct tm_db_stmt **out, struct tolk_err *err)
{
	int rc = tm_db_prepare(db, sql, out, err);

	if (rc == 0 && db->ops->stream)
		db->ops->stream((*out)->h);
	return rc;
}

void tm_db_stmt_free(struct tm_db_stmt *st)
{
	if (!st)
		return;
	/* cached statements belong to the db */
	if (st->sql) {
		tm_db_reset(st);
		return;
	}
	st->db->ops->finalize(st->h);
	free(st);
}

void tm_db_bind_int64(struct tm_db_stmt *st, int i, int64_t v)
{
	st->db->ops->bind_int64(st->h, i, v);
}

void tm_db_bind_text(struct tm_db_stmt *st, int i, const char *s, ptrdiff_t len)
{
	st->db->ops->bind_text(st->h, i, s, len);
}

void tm_db_bind_text_or_null(struct tm_db_stmt *st, int i, const char *s)
{
	if (s)
		st->db->ops->bind_text(st->h, i, s, -1);
	else
		st->db->ops->bind_null(st->h, i);
}

void tm_db_bind_blob(struct tm_db_stmt *st, int i, const void *p, size_t len)
{
	if (len == 0)
		st->db->ops->bind_null(st->h, i);
	else
		st->db->ops->bind_blob(st->h, i, p, len);
}

void tm_db_bind_null(struct tm_db_stmt *st, int i)
{
	st->db->ops->bind_null(st->h, i);
}

int tm_db_step(struct tm_db_stmt *st, const char *what, struct tolk_err *err)
{
	return st->db->ops->step(st->db, st->h, what, err);
}

int tm_db_run(struct tm_db_stmt *st, const char *what, struct tolk_err *err)
{
	int rc;

	if (st->db->ops->run)
		return st->db->ops->run(st->db, st->h, what, err);
	rc = st->db->ops->step(st->db, st->h, what, err);

	st->db->ops->reset(st->h, 0);
	if (rc > 0)
		return tolk_err_set(err, TOLK_EINTERNAL,
				    "%s: the statement returned rows", what);
	return rc;
}

void tm_db_reset(struct tm_db_stmt *st)
{
	st->db->ops->reset(st->h, 0);
}

int64_t tm_db_col_int64(struct tm_db_stmt *st, int i)
{
	return st->db->ops->col_int64(st->h, i);
}

int tm_db_col_int(struct tm_db_stmt *st, int i)
{
	return (int)st->db->ops->col_int64(st->h, i);
}

const char *tm_db_col_text(struct tm_db_stmt *st, int i)
{
	return st->db->ops->col_text(st->h, i);
}

const void *tm_db_col_blob(struct tm_db_stmt *st, int i, size_t *len)
{
	size_t n;
	const void *p = st->db->ops->col_blob(st->h, i, &n);

	if (len)
		*len = n;
	return p;
}

size_t tm_db_col_bytes(struct tm_db_stmt *st, int i)
{
	size_t n;

	st->db->ops->col_blob(st->h, i, &n);
	return n;
}

int tm_db_col_is_null(struct tm_db_stmt *st, int i)
{
	return st->db->ops->col_is_null(st->h, i);
}

int64_t tm_db_last_id(struct tm_db *db)
{
	return db->ops->last_id(db);
}

int64_t tm_db_changes(struct tm_db *db)
{
	return db->ops->changes(db);
}

/* ---- transactions ------------------------------------------------------- */

/* Runs "VERB tolk_sp<depth>" through the cache: savepoints come and go
 * with every unit an import adds. */
static int savepoint_sql(struct tm_db *db, const char *verb, int depth,
			 struct tolk_err *err)
{
	char sql[64];
	struct tm_db_stmt *st;

	snprintf(sql, sizeof(sql), "%s tolk_sp%d", verb, depth);
	if (!(st = tm_db_stmt(db, sql, err)))
		return err ? err->code : TOLK_EDB;
	return tm_db_run(st, "savepoint", err);
}

int tm_db_begin(struct tm_db *db, unsigned kind, struct tolk_err *err)
{
	int join = (kind & TM_DB_JOIN) && db->depth > 0;
	size_t i;
	int rc;

	kind &= ~(unsigned)TM_DB_JOIN;
	/* the backend would only notice at the first write */
	if (kind == TM_DB_WRITE && db->read_only)
		return tolk_err_set(
		    err, TOLK_EIO,
		    "cannot write: '%s' is read-only for this user (its file "
		    "or folder cannot be written)",
		    db->path);
	if (db->depth >= db->joincap) {
		int n = db->joincap ? db->joincap * 2 : 8;
		unsigned char *p = realloc(db->join, (size_t)n);

		if (!p)
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		db->join = p;
		db->joincap = n;
	}
	if (join)
		rc = 0;
	else if (db->depth == 0)
		rc = db->ops->begin(db, (enum tm_db_tx)kind, err);
	else {
		rc = 0;
		for (i = 0; i < db->nhooks && !rc; i++)
			if (db->hooks[i].h->opening)
				rc = db->hooks[i].h->opening(db->hooks[i].ctx,
							     db->depth, err);
		if (!rc)
			rc = savepoint_sql(db, "SAVEPOINT", db->depth + 1, err);
	}
	if (rc)
		return rc;
	if (db->depth == 0)
		db->doomed = 0;
	db->join[db->depth++] = (unsigned char)join;
	if (join)
		return 0;
	for (i = 0; i < db->nhooks; i++)
		if (db->hooks[i].h->opened &&
		    (rc = db->hooks[i].h->opened(db->hooks[i].ctx, db->depth,
						 err))) {
			tm_db_rollback(db);
			return rc;
		}
	return 0;
}

int tm_db_commit(struct tm_db *db, struct tolk_err *err)
{
	size_t i;
	int rc;

	if (db->depth == 0)
		return tolk_err_set(err, TOLK_EINTERNAL,
				    "commit without a transaction");
	if (db->join[db->depth - 1]) {
		db->depth--;
		return 0;
	}
	if (db->depth > 1) {
		if ((rc = savepoint_sql(db, "RELEASE", db->depth, err)))
			return rc;
		db->depth--;
		return 0;
	}
	if (db->doomed)
		return tolk_err_set(
		    err, TOLK_EINTERNAL,
		    "commit of a transaction whose part failed");
	for (i = 0; i < db->nhooks; i++)
		if (db->hooks[i].h->pre_commit &&
		    (rc = db->hooks[i].h->pre_commit(db->hooks[i].ctx, err)))
			return rc;
	if ((rc = db->ops->commit(db, err)))
		return rc;
	db->depth = 0;
	return 0;
}

void tm_db_rollback(struct tm_db *db)
{
	size_t i;

	if (db->depth > 0 && db->join[db->depth - 1]) {
		db->doomed = 1;
		db->depth--;
		return;
	}
	for (i = 0; i < db->nhooks && db->depth > 0; i++)
		if (db->hooks[i].h->rolled_back)
			db->hooks[i].h->rolled_back(db->hooks[i].ctx,
						    db->depth);
	if (db->depth > 1) {
		/* fails only when the backend has already undone the whole
		 * transaction (after an I/O error): the outer levels'
		 * rollbacks still run */
		savepoint_sql(db, "ROLLBACK TO", db->depth, NULL);
		savepoint_sql(db, "RELEASE", db->depth, NULL);
		db->depth--;
		return;
	}
	db->ops->rollback(db);
	db->depth = 0;
}

int tm_db_depth(const struct tm_db *db)
{
	return db->depth;
}

int tm_db_hooks_add(struct tm_db *db, const struct tm_db_hooks *h, void *ctx,
		    struct tolk_err *err)
{
	struct tm_db_hook *p =
	    realloc(db->hooks, (db->nhooks + 1) * sizeof(*p));

	if (!p)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	db->hooks = p;
	p[db->nhooks].h = h;
	p[db->nhooks].ctx = ctx;
	db->nhooks++;
	return 0;
}

void *tm_db_hooks_ctx(struct tm_db *db, const struct tm_db_hooks *h)
{
	size_t i;

	for (i = 0; i < db->nhooks; i++)
		if (db->hooks[i].h == h)
			return db->hooks[i].ctx;
	return NULL;
}
