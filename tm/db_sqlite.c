/* The SQLite backend of the database layer: every sqlite3_* call of the
 * library is in this file.  One database file per TM, opened in WAL mode
 * (readers never wait for a writer) with foreign keys on and a busy
 * timeout; the schema version is PRAGMA user_version. */
#include "tm/db_int.h"
#include "tm/keyblk_int.h"
#include "tm/vars_int.h"
#include "util/text.h"
#include "util/vec.h"

#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long a write waits for another process's write to end.  An import
 * is one transaction (all or nothing), so a glossary edit or an add made
 * meanwhile waits for the whole import; readers never wait (WAL). */
#define BUSY_MS 60000

#define CONN(db) ((sqlite3 *)(db)->conn)

/* A write error with a file-size limit set (ulimit -f) is most likely
 * that limit: SQLite's rollback after the failed write loses its errno. */
static int fsize_limited(void)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
	       rl.rlim_cur != RLIM_INFINITY;
}

/* Sets err from the connection's last error, prefixed with what failed. */
static int db_error(struct tm_db *db, const char *what, struct tolk_err *err)
{
	sqlite3 *c = CONN(db);
	int ec = sqlite3_extended_errcode(c);
	int se = sqlite3_system_errno(c);

	/* SQLite reports a full disk met while growing its shared-memory
	 * file, and a file-size limit, as plain I/O errors: the system
	 * error tells them apart */
	if ((ec & 0xff) == SQLITE_IOERR && (se == ENOSPC || se == EDQUOT))
		ec = SQLITE_FULL;
	if ((ec & 0xff) == SQLITE_IOERR && se == EROFS)
		ec = SQLITE_READONLY;
	if ((ec & 0xff) == SQLITE_IOERR &&
	    (se == EFBIG || (se == 0 && fsize_limited())))
		return tolk_err_set(err, TOLK_EIO,
				    "%s: the file-size limit (ulimit -f) stops "
				    "'%s' from growing (nothing was changed)",
				    what, db->path);
	if ((ec & 0xff) == SQLITE_BUSY)
		return tolk_err_set(
		    err, TOLK_EIO,
		    "%s: '%s' is busy: another process has been "
		    "writing to it for %d seconds (a large "
		    "import?); try again when it is done",
		    what, db->path, db->busy_ms / 1000);
	if ((ec & 0xff) == SQLITE_NOTADB)
		return tolk_err_set(err, TOLK_EDB,
				    "'%s' is not a tolk database (%s)",
				    db->path, sqlite3_errmsg(c));
	if ((ec & 0xff) == SQLITE_FULL)
		return tolk_err_set(err, TOLK_EIO,
				    "%s: disk full: no room to write '%s' "
				    "(nothing was changed)",
				    what, db->path);
	if ((ec & 0xff) == SQLITE_READONLY || db->read_only)
		return tolk_err_set(
		    err, TOLK_EIO, "%s: '%s' is read-only%s (%s)", what,
		    db->path, db->read_only ? " for this user" : "",
		    db->read_only ? "its file or folder cannot be written"
				  : sqlite3_errmsg(c));
	return tolk_err_set(err, TOLK_EDB, "%s: %s (%s)", what,
			    sqlite3_errmsg(c), db->path);
}

static int sl_exec(struct tm_db *db, const char *sql, const char *what,
		   struct tolk_err *err)
{
	if (sqlite3_exec(CONN(db), sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(db, what, err);
	return 0;
}

/* mkdir -p for the folder holding path, which must then be one this user
 * can create files in. */
static int make_parents(const char *path, struct tolk_err *err)
{
	char *dir = strdup(path), *p;
	struct stat sb;
	int rc = 0;

	if (!dir)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	p = strrchr(dir, '/');
	if (!p)
		strcpy(dir, ".");
	else if (p == dir)
		dir[1] = '\0';
	else
		*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(dir, 0777) && errno != EEXIST)
		goto fail;
	/* SQLite would only say "unable to open database file" */
	if (stat(dir, &sb) == 0 && !S_ISDIR(sb.st_mode))
		rc = tolk_err_set(err, TOLK_EIO,
				  "cannot create '%s': '%s' is not a folder",
				  path, dir);
	else if (access(dir, W_OK | X_OK) != 0)
		rc = tolk_err_set(err, TOLK_EIO, "cannot create '%s': %s", path,
				  errno == ENOENT ? "no such folder"
						  : strerror(errno));
	free(dir);
	return rc;
fail:
	rc = tolk_err_set(
	    err, TOLK_EIO, "cannot create '%s': %s (making its folder '%s')",
	    path, errno == ENOENT ? "no such folder" : strerror(errno), dir);
	free(dir);
	return rc;
}

/* Changes not in the file itself: a -wal file with frames, or the
 * rollback journal of a write that was killed (see WAL_AT_CLOSE below),
 * which the next open that can write undoes. */
static int wal_has_data(const char *path)
{
	struct stat sb;
	char *wal = sqlite3_mprintf("%s-wal", path);
	char *jnl = sqlite3_mprintf("%s-journal", path);
	int rc = !wal || !jnl || (stat(wal, &sb) == 0 && sb.st_size > 0) ||
		 (stat(jnl, &sb) == 0 && sb.st_size > 0);

	sqlite3_free(wal);
	sqlite3_free(jnl);
	return rc;
}

/* A WAL database can only be opened when its -shm file exists or can be
 * created, which a read-only file system or folder forbids: reading would
 * fail for want of a lock file.  Nobody can write the file there, so it is
 * opened as immutable (no locks, no WAL) and read-only.  Returns 0 when
 * that worked, else leaves the connection closed. */
static int open_immutable(struct tm_db *db)
{
	sqlite3 *c = NULL;
	char *uri;

	sqlite3_close(CONN(db));
	db->conn = NULL;
	/* these would need escaping in a URI; such paths keep the error */
	if (strpbrk(db->path, "?#%"))
		return -1;
	/* immutable ignores the WAL: changes still in it would be missed */
	if (wal_has_data(db->path))
		return -1;
	if (!(uri = sqlite3_mprintf("file:%s?immutable=1", db->path)))
		return -1;
	if (sqlite3_open_v2(uri, &c,
			    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_exec(c, "SELECT count(*) FROM sqlite_master", NULL, NULL,
			 NULL) != SQLITE_OK) {
		sqlite3_free(uri);
		sqlite3_close(c);
		return -1;
	}
	sqlite3_free(uri);
	sqlite3_extended_result_codes(c, 1);
	db->conn = c;
	db->read_only = 1;
	return 0;
}

/* The database file or its folder cannot be written (read-only mount,
 * permissions): the case open_immutable is for. */
static int cannot_write(const char *path)
{
	char *dir = strdup(path), *slash;
	int rc;

	if (access(path, W_OK) != 0)
		rc = 1;
	else if (!dir)
		rc = 0;
	else {
		slash = strrchr(dir, '/');
		if (!slash)
			strcpy(dir, ".");
		else if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
		rc = access(dir, W_OK) != 0;
	}
	free(dir);
	return rc;
}

static void sl_close(struct tm_db *db)
{
	/* a database this process created goes to WAL now (sl_open); a
	 * reader holding it makes that fail at once, and the next open
	 * that can write does it */
	if (db->wal_at_close && CONN(db)) {
		sqlite3_busy_timeout(CONN(db), 0);
		sqlite3_exec(CONN(db), "PRAGMA journal_mode=WAL", NULL, NULL,
			     NULL);
	}
	sqlite3_close(CONN(db));
	db->conn = NULL;
}

/* SQLite counts every allocation under one process-wide mutex for
 * sqlite3_memory_used, which tolk never asks: the threads of a
 * pre-translation, each on its own connection, then wait on each other's
 * mallocs (futex wake-ups, a tenth of a two-thread pass).  Settable only
 * before SQLite's first use; when something used it earlier the call
 * fails and the counting stays, which costs time only. */
static void sl_config(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* tolk_hex64(text, at): the 64-bit integer written as 16 hex digits at
 * character at (from 1) of text; NULL if they are not.  The schema's
 * migrations read the duplicate keys once stored as hex (tm/store.c):
 * the same in SQL's own functions took 32 calls a row, most of a
 * million-unit TM's upgrade. */
static void sl_hex64(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const unsigned char *t = sqlite3_value_text(argv[0]);
	sqlite3_int64 at = sqlite3_value_int64(argv[1]);
	uint64_t v = 0;
	int i;

	(void)argc;
	if (!t || at < 1 || sqlite3_value_bytes(argv[0]) < at - 1 + 16)
		return;
	for (i = 0; i < 16; i++) {
		int d = tolk_hex_digit(t[at - 1 + i]);

		if (d < 0)
			return;
		v = v << 4 | (unsigned)d;
	}
	sqlite3_result_int64(cx, (sqlite3_int64)v);
}

/* ---- the store's key tables (tm/keyblk_int.h) in SQL ----
 * tolk_keyblk_bucket(key): the bucket of a key; tolk_keyblk_merge(a, b):
 * the entries of two buckets' blobs; tolk_keyblk_drop(a, id): a without
 * unit id's entries; the aggregate tolk_keyblk(key, id): a bucket's blob
 * of the rows given, in any order (the upgrade to schema 8). */

static void kb_result(sqlite3_context *cx, struct tolk_buf *b, int bad)
{
	if (bad)
		sqlite3_result_error_nomem(cx);
	else if (!b->len)
		sqlite3_result_zeroblob(cx, 0);
	else
		sqlite3_result_blob(cx, b->data, (int)b->len, free);
	if (bad || !b->len)
		tolk_buf_free(b);
}

static void sl_kb_bucket(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	if (sqlite3_value_type(argv[0]) != SQLITE_NULL)
		sqlite3_result_int64(
		    cx, tm_keyblk_bucket(sqlite3_value_int64(argv[0])));
}

static void sl_kb_merge(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	const void *x = sqlite3_value_blob(argv[0]);
	size_t nx = (size_t)sqlite3_value_bytes(argv[0]);
	const void *y = sqlite3_value_blob(argv[1]);
	size_t ny = (size_t)sqlite3_value_bytes(argv[1]);

	(void)argc;
	kb_result(cx, &b, tm_keyblk_merge(&b, x, nx, y, ny));
}

static void sl_kb_drop(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	const void *x = sqlite3_value_blob(argv[0]);
	size_t nx = (size_t)sqlite3_value_bytes(argv[0]);

	(void)argc;
	kb_result(cx, &b,
		  tm_keyblk_drop(&b, x, nx, sqlite3_value_int64(argv[1])));
}

struct kb_agg {
	struct kb_pair {
		unsigned low;
		int64_t id;
	} * p;
	size_t n, cap;
	int bad;
};

static void sl_kb_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct kb_agg *a = sqlite3_aggregate_context(cx, sizeof(*a));

	(void)argc;
	if (!a || sqlite3_value_type(argv[0]) == SQLITE_NULL)
		return;
	if (TOLK_GROW(a->p, a->cap, a->n + 1, 16)) {
		a->bad = 1;
		return;
	}
	a->p[a->n].low = tm_keyblk_low(sqlite3_value_int64(argv[0]));
	a->p[a->n++].id = sqlite3_value_int64(argv[1]);
}

static int kb_pair_cmp(const void *x, const void *y)
{
	const struct kb_pair *a = x, *b = y;

	if (a->low != b->low)
		return a->low < b->low ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void sl_kb_final(sqlite3_context *cx)
{
	struct kb_agg *a = sqlite3_aggregate_context(cx, 0);
	struct tolk_buf b = TOLK_BUF_INIT;
	size_t i;
	int bad;

	if (!a) {
		sqlite3_result_zeroblob(cx, 0);
		return;
	}
	bad = a->bad;
	qsort(a->p, a->n, sizeof(*a->p), kb_pair_cmp);
	for (i = 0; i < a->n && !bad; i++)
		if (i == 0 || kb_pair_cmp(&a->p[i - 1], &a->p[i]) != 0)
			bad = tm_keyblk_put(&b, a->p[i].low, a->p[i].id);
	free(a->p);
	kb_result(cx, &b, bad);
}

/* ---- a unit's variants blob (tm/vars_int.h) in SQL ----
 * The aggregate tolk_vars_pack(seq, lang, lang_key, text, markup,
 * norm_key, attrs): the blob of the variant rows given, in seq order
 * whatever order they come in (the upgrade to schema 10; SQLite 3.40 has
 * no ORDER BY inside an aggregate, and a subquery's order is not
 * promised).  Over no rows: the blob of no variants. */

struct vp_agg {
	struct tolk_buf b; /* the variants' bytes, as they came */
	struct vp_at {
		int64_t seq;
		size_t at, len, n; /* n: the row's place, for a tie */
	} * v;
	size_t n, cap;
	int bad;
};

static const char *vp_text(sqlite3_value *v)
{
	const char *t = (const char *)sqlite3_value_text(v);

	return t ? t : "";
}

static void sl_vp_step(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	struct vp_agg *a = sqlite3_aggregate_context(cx, sizeof(*a));
	struct tm_var v = {0};
	size_t at;

	(void)argc;
	if (!a) {
		/* the blob would miss this row: the statement fails */
		sqlite3_result_error_nomem(cx);
		return;
	}
	if (a->bad)
		return;
	v.seq = sqlite3_value_int64(argv[0]);
	v.lang = vp_text(argv[1]);
	v.lkey = vp_text(argv[2]);
	v.text = vp_text(argv[3]);
	if (sqlite3_value_type(argv[4]) != SQLITE_NULL)
		v.markup = vp_text(argv[4]);
	if ((v.has_key = sqlite3_value_type(argv[5]) != SQLITE_NULL))
		v.norm_key = sqlite3_value_int64(argv[5]);
	v.attrs = sqlite3_value_blob(argv[6]);
	v.attrs_len = v.attrs ? (size_t)sqlite3_value_bytes(argv[6]) : 0;
	at = a->b.len;
	if (TOLK_GROW(a->v, a->cap, a->n + 1, 4) || tm_var_append(&a->b, &v)) {
		a->bad = 1;
		return;
	}
	a->v[a->n].seq = v.seq;
	a->v[a->n].at = at;
	a->v[a->n].len = a->b.len - at;
	a->v[a->n].n = a->n;
	a->n++;
}

static int vp_at_cmp(const void *x, const void *y)
{
	const struct vp_at *a = x, *b = y;

	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	return a->n < b->n ? -1 : a->n > b->n;
}

static void sl_vp_final(sqlite3_context *cx)
{
	struct vp_agg *a = sqlite3_aggregate_context(cx, 0);
	unsigned char head[TM_VARS_HEAD_MAX], *h;
	struct tolk_buf out = TOLK_BUF_INIT;
	size_t i;
	int bad = a ? a->bad : 0;

	h = tm_vars_head(head, a ? a->n : 0);
	bad = bad || tolk_buf_append(&out, head, (size_t)(h - head));
	if (a && !bad) {
		qsort(a->v, a->n, sizeof(*a->v), vp_at_cmp);
		for (i = 0; i < a->n && !bad; i++)
			bad = tolk_buf_append(&out, a->b.data + a->v[i].at,
					      a->v[i].len) != 0;
	}
	if (a) {
		tolk_buf_free(&a->b);
		free(a->v);
	}
	if (bad) {
		tolk_buf_free(&out);
		sqlite3_result_error_nomem(cx);
		return;
	}
	sqlite3_result_blob(cx, out.data, (int)out.len, free);
}

/* Registers the functions the schema's SQL uses. */
static int sl_functions(sqlite3 *c)
{
	const int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;

	return sqlite3_create_function(c, "tolk_hex64", 2, f, NULL, sl_hex64,
				       NULL, NULL) != SQLITE_OK ||
	       sqlite3_create_function(c, "tolk_keyblk_bucket", 1, f, NULL,
				       sl_kb_bucket, NULL, NULL) != SQLITE_OK ||
	       sqlite3_create_function(c, "tolk_keyblk_merge", 2, f, NULL,
				       sl_kb_merge, NULL, NULL) != SQLITE_OK ||
	       sqlite3_create_function(c, "tolk_keyblk_drop", 2, f, NULL,
				       sl_kb_drop, NULL, NULL) != SQLITE_OK ||
	       sqlite3_create_function(c, "tolk_keyblk", 2, f, NULL, NULL,
				       sl_kb_step, sl_kb_final) != SQLITE_OK ||
	       sqlite3_create_function(c, "tolk_vars_pack", 7, f, NULL, NULL,
				       sl_vp_step, sl_vp_final) != SQLITE_OK;
}

static int sl_open(struct tm_db *db, const char *path, unsigned flags,
		   struct tolk_err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct stat sb;
	sqlite3 *c = NULL;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int rc;

	pthread_once(&once, sl_config);
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return tolk_err_set(err, TOLK_EDB,
					    "'%s' is a folder, not a database",
					    path);
	} else if (flags & TM_DB_MUST_EXIST) {
		return tolk_err_set(err, TOLK_EDB,
				    "no translation memory at '%s' (add or "
				    "import something first, or give --db)",
				    path);
	} else {
		if ((rc = make_parents(path, err)))
			return rc;
		oflags |= SQLITE_OPEN_CREATE;
		sb.st_size = 0;
	}
	/* A TM this user cannot write (the shared TM an editor owns): a
	 * normal open would create -wal and -shm files owned by the reader
	 * in a folder it may write, which the owner then trips over.  Read
	 * as it is when nothing waits in its WAL; else SQLite reads the WAL
	 * through the files its writer made. */
	if (!(oflags & SQLITE_OPEN_CREATE) && cannot_write(path) &&
	    open_immutable(db) == 0) {
		c = CONN(db);
		goto opened;
	}
	if (sqlite3_open_v2(path, &c, oflags, NULL) != SQLITE_OK) {
		rc = tolk_err_set(err, TOLK_EIO, "cannot open '%s': %s", path,
				  c ? sqlite3_errmsg(c) : "out of memory");
		sqlite3_close(c);
		return rc;
	}
	db->conn = c;
	sqlite3_extended_result_codes(c, 1);
	db->busy_ms = BUSY_MS;
	sqlite3_busy_timeout(c, db->busy_ms);
	/* Reading the schema first turns "not a database" into a clear
	 * message before any pragma tries to change the file. */
	if (sqlite3_exec(c, "SELECT count(*) FROM sqlite_master", NULL, NULL,
			 NULL) != SQLITE_OK) {
		/* extended codes are on: SQLITE_READONLY_CANTINIT and the
		 * like are what a reader without write permission gets */
		int ec = sqlite3_errcode(c) & 0xff;

		if ((ec != SQLITE_CANTOPEN && ec != SQLITE_READONLY) ||
		    (oflags & SQLITE_OPEN_CREATE) || !cannot_write(path)) {
			rc = db_error(db, "cannot open", err);
			goto fail;
		}
		if (open_immutable(db)) {
			rc = tolk_err_set(
			    err, TOLK_EIO,
			    wal_has_data(path)
				? "cannot open '%s': it is read-only and its "
				  "-wal file holds changes not yet written to "
				  "it; open it once where it can be written"
				: "cannot open '%s': it is read-only and could "
				  "not be read as it is",
			    path);
			goto fail;
		}
	}
	/* SQLite opens a file it may not write read-only without a word */
	if (sqlite3_db_readonly(CONN(db), "main") == 1)
		db->read_only = 1;
opened:
	if (sl_functions(CONN(db))) {
		rc = db_error(db, "sqlite", err);
		goto fail;
	}
	db->busy_ms = BUSY_MS;
	sqlite3_busy_timeout(CONN(db), db->busy_ms);
	/* A database this open creates stays in rollback-journal mode until
	 * it is closed.  Its first write (an import into a new TM) then
	 * writes each page once, into the file, and journals almost nothing:
	 * the pages past the old end of the file need no undo.  In WAL each
	 * page went to the log and then back into the file at the
	 * checkpoint, a quarter of the end of a large import.  A kill still
	 * leaves the file as it was (the journal undoes the rest at the next
	 * open); one who opens the new file meanwhile waits for the write
	 * rather than reading beside it. */
	if (!db->read_only && !(flags & TM_DB_MUST_EXIST) && sb.st_size == 0) {
		db->wal_at_close = 1;
	} else if (!db->read_only &&
		   (!(flags & TM_DB_MUST_EXIST) || sb.st_size > 0)) {
		if (sqlite3_exec(CONN(db), "PRAGMA journal_mode=WAL", NULL,
				 NULL, NULL) != SQLITE_OK &&
		    !(flags & TM_DB_MUST_EXIST)) {
			rc = db_error(db, "enable WAL", err);
			goto fail;
		}
	}
	/* The match index's postings go to many places of one B-tree, an
	 * import outgrows SQLite's 2 MB default page cache, and lookups read
	 * around in both: with a small cache every spilled page is read back
	 * from the WAL.  64 MB, not more: an import of any size must stay
	 * well under 150 MB resident. */
	if ((rc = sl_exec(db,
			  "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; "
			  "PRAGMA cache_size=-65536;",
			  "sqlite", err)))
		goto fail;
	return 0;
fail:
	sl_close(db);
	return rc;
}

static int sl_prepare(struct tm_db *db, const char *sql, int persistent,
		      void **h, struct tolk_err *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(CONN(db), sql, -1,
			       persistent ? SQLITE_PREPARE_PERSISTENT : 0, &st,
			       NULL) != SQLITE_OK)
		return db_error(db, "prepare", err);
	*h = st;
	return 0;
}

static void sl_finalize(void *h)
{
	sqlite3_finalize(h);
}

static void sl_reset(void *h, int clear)
{
	sqlite3_reset(h);
	if (clear)
		sqlite3_clear_bindings(h);
}

static void sl_bind_int64(void *h, int i, int64_t v)
{
	sqlite3_bind_int64(h, i, v);
}

static void sl_bind_text(void *h, int i, const char *s, ptrdiff_t len)
{
	sqlite3_bind_text(h, i, s, len < 0 ? -1 : (int)len, SQLITE_STATIC);
}

static void sl_bind_blob(void *h, int i, const void *p, size_t len)
{
	sqlite3_bind_blob(h, i, p, (int)len, SQLITE_STATIC);
}

static void sl_bind_null(void *h, int i)
{
	sqlite3_bind_null(h, i);
}

static int sl_step(struct tm_db *db, void *h, const char *what,
		   struct tolk_err *err)
{
	int rc = sqlite3_step(h);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_NOMEM)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return db_error(db, what, err);
}

static int64_t sl_col_int64(void *h, int i)
{
	return sqlite3_column_int64(h, i);
}

static const char *sl_col_text(void *h, int i)
{
	return (const char *)sqlite3_column_text(h, i);
}

static const void *sl_col_blob(void *h, int i, size_t *len)
{
	const void *p = sqlite3_column_blob(h, i);

	*len = (size_t)sqlite3_column_bytes(h, i);
	return p;
}

static int sl_col_is_null(void *h, int i)
{
	return sqlite3_column_type(h, i) == SQLITE_NULL;
}

static int64_t sl_last_id(struct tm_db *db)
{
	return sqlite3_last_insert_rowid(CONN(db));
}

static int64_t sl_changes(struct tm_db *db)
{
	return sqlite3_changes(CONN(db));
}

static int sl_get_version(struct tm_db *db, int *v, struct tolk_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(CONN(db), "PRAGMA user_version", -1, &st,
			       NULL) != SQLITE_OK)
		return db_error(db, "read schema version", err);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = db_error(db, "read schema version", err);
		sqlite3_finalize(st);
		return rc;
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int sl_set_version(struct tm_db *db, int v, struct tolk_err *err)
{
	char sql[64];

	/* a pragma takes no parameters; v is ours, not the user's */
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", v);
	return sl_exec(db, sql, "sqlite", err);
}

static int sl_size(struct tm_db *db, int64_t *bytes, struct tolk_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc = 0;

	if (sqlite3_prepare_v2(CONN(db),
			       "SELECT page_count * page_size FROM "
			       "pragma_page_count(), pragma_page_size()",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		rc = db_error(db, "statistics", err);
	else
		*bytes = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc;
}

static void sl_set_busy_timeout(struct tm_db *db, int ms)
{
	sqlite3_busy_timeout(CONN(db), ms);
}

static int sl_begin(struct tm_db *db, enum tm_db_tx kind, struct tolk_err *err)
{
	/* IMMEDIATE takes the write lock now: a writer that started reading
	 * first could not upgrade later without a deadlock error */
	return sl_exec(db, kind == TM_DB_WRITE ? "BEGIN IMMEDIATE" : "BEGIN",
		       "sqlite", err);
}

static int sl_commit(struct tm_db *db, struct tolk_err *err)
{
	return sl_exec(db, "COMMIT", "commit", err);
}

static void sl_rollback(struct tm_db *db)
{
	if (!sqlite3_get_autocommit(CONN(db)))
		sqlite3_exec(CONN(db), "ROLLBACK", NULL, NULL, NULL);
}

const struct tm_db_ops tm_db_sqlite_ops = {
    .name = "sqlite",
    .open = sl_open,
    .close = sl_close,
    .exec = sl_exec,
    .prepare = sl_prepare,
    .finalize = sl_finalize,
    .reset = sl_reset,
    .bind_int64 = sl_bind_int64,
    .bind_text = sl_bind_text,
    .bind_blob = sl_bind_blob,
    .bind_null = sl_bind_null,
    .step = sl_step,
    .col_int64 = sl_col_int64,
    .col_text = sl_col_text,
    .col_blob = sl_col_blob,
    .col_is_null = sl_col_is_null,
    .last_id = sl_last_id,
    .changes = sl_changes,
    .get_version = sl_get_version,
    .set_version = sl_set_version,
    .size = sl_size,
    .set_busy_timeout = sl_set_busy_timeout,
    .begin = sl_begin,
    .commit = sl_commit,
    .rollback = sl_rollback,
};
