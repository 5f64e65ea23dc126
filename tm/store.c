#include "tm/store.h"
#include "tm/match_int.h"
#include "tm/store_int.h"
#include "tm/unit_int.h"
#include "util/buf.h"
#include "util/lang.h"
#include "util/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define STMT_CACHE 32

/* How long a write waits for another process's write to end.  An import
 * is one transaction (all or nothing), so a glossary edit or an add made
 * meanwhile waits for the whole import; readers never wait (WAL). */
#define TM_STORE_BUSY_MS 60000

struct tm_store {
	sqlite3 *db;
	char *path;
	unsigned flags;
	struct {
		const char
		    *sql; /* compared by address: callers pass literals */
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
	size_t ncache;
	struct tm_match_ctx *match; /* the matcher's index state */
	int busy_ms;		    /* busy timeout */
	int immutable;		    /* opened read-only, see open_immutable */
};

/* Forward migrations: entry i takes a database from user_version i to i+1.
 * Never edit an entry once released; append a new one. */
static const char *const migrations[] = {
    /* 0 -> 1: units, variants, props and notes */
    "CREATE TABLE unit ("
    "  id INTEGER PRIMARY KEY,"
    "  dup_key TEXT NOT NULL," /* hash of all but dates/usage */
    "  src_key TEXT NOT NULL," /* matching key of the source lang */
    "  origin TEXT,"
    "  attrs BLOB" /* name NUL value NUL ... */
    ");"
    "CREATE INDEX unit_dup ON unit(dup_key);"
    "CREATE TABLE variant ("
    "  id INTEGER PRIMARY KEY,"
    "  unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  lang TEXT NOT NULL,"	/* canonical BCP 47 */
    "  lang_key TEXT NOT NULL," /* tolk_lang_key */
    "  text TEXT NOT NULL,"	/* what a user sees, markup removed */
    "  markup TEXT,"		/* original inline XML, NULL if none */
    "  norm TEXT NOT NULL,"	/* tolk_text_norm(text) */
    "  attrs BLOB"
    ");"
    "CREATE INDEX variant_unit ON variant(unit_id, seq);"
    "CREATE INDEX variant_norm ON variant(lang_key, norm);"
    "CREATE TABLE extra ("
    "  id INTEGER PRIMARY KEY,"
    "  unit_id INTEGER NOT NULL REFERENCES unit(id) ON DELETE CASCADE,"
    "  variant_seq INTEGER," /* NULL: belongs to the unit */
    "  seq INTEGER NOT NULL,"
    "  kind INTEGER NOT NULL," /* enum tm_extra_kind */
    "  value TEXT NOT NULL,"
    "  attrs BLOB"
    ");"
    "CREATE INDEX extra_unit ON extra(unit_id, seq);"
    /* TMX (tm/tmx.c): each imported file's <header>, its attributes and
     * its content (note, prop, ude) as export writes it back. */
    "CREATE TABLE tmx_header ("
    "  id INTEGER PRIMARY KEY,"
    "  origin TEXT,"
    "  attrs BLOB," /* name NUL value NUL ... */
    "  body TEXT NOT NULL"
    ");"
    /* glossary (glossary/glossary.c): the term base.  term is the
     * tolk_text_norm form of the Norwegian term, unique as written. */
    "CREATE TABLE gl_term ("
    "  id INTEGER PRIMARY KEY,"
    "  term TEXT NOT NULL UNIQUE,"
    "  case_sensitive INTEGER NOT NULL,"
    "  note TEXT,"
    "  pos TEXT," /* part of speech, free text */
    "  domain TEXT,"
    "  created TEXT NOT NULL," /* YYYY-MM-DD as given */
    "  modified TEXT NOT NULL"
    ");"
    "CREATE TABLE gl_rendering ("
    "  id INTEGER PRIMARY KEY,"
    "  term_id INTEGER NOT NULL REFERENCES gl_term(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  forbidden INTEGER NOT NULL," /* 0 approved, 1 forbidden variant */
    "  text TEXT NOT NULL"
    ");"
    "CREATE INDEX gl_rendering_term ON gl_rendering(term_id, seq);"
    /* match (tm/match_index.c): candidate index of the fuzzy matcher.
     * Postings of each unit's variants (one per language): hashed word
     * keys, a key every variant has and the key of its first three
     * tokens, with its token and number counts (len), so that a lookup
     * reads one length range per key. */
    "CREATE TABLE match_post ("
    "  tok INTEGER NOT NULL,"
    "  len INTEGER NOT NULL,"
    "  unit_id INTEGER NOT NULL,"
    "  PRIMARY KEY (tok, len, unit_id)"
    ") WITHOUT ROWID;"
    "CREATE TABLE match_df (tok INTEGER PRIMARY KEY, n INTEGER NOT NULL);",
    /* 1 -> 2: reserved for the tm/db branch's migration 2; the merge puts
     * that migration here in place of this empty step. */
    "",
    /* ---- 2 -> 3: glossary exceptions (glossary/glossary.c) ----------
     * Phrases in which an entry's term has another sense and is not a
     * hit (rett -> court, except "rett og slett"). */
    "CREATE TABLE gl_exception ("
    "  id INTEGER PRIMARY KEY,"
    "  term_id INTEGER NOT NULL REFERENCES gl_term(id) ON DELETE CASCADE,"
    "  seq INTEGER NOT NULL,"
    "  text TEXT NOT NULL" /* tolk_text_norm form, as the renderings */
    ");"
    "CREATE INDEX gl_exception_term ON gl_exception(term_id, seq);",
    /* ---- end of 2 -> 3 ---- */
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

int tm_store_schema_version(void)
{
	return NMIGRATIONS;
}

sqlite3 *tm_store_sqlite(struct tm_store *s)
{
	return s->db;
}

struct tm_match_ctx **tm_store_match_ctx(struct tm_store *s)
{
	return &s->match;
}

const char *tm_store_path(const struct tm_store *s)
{
	return s->path;
}

void tm_store_set_busy_timeout(struct tm_store *s, int ms)
{
	s->busy_ms = ms;
	sqlite3_busy_timeout(s->db, ms);
}

/* A write error with a file-size limit set (ulimit -f) is most likely
 * that limit: SQLite's rollback after the failed write loses its errno. */
static int fsize_limited(void)
{
	struct rlimit rl;

	return getrlimit(RLIMIT_FSIZE, &rl) == 0 &&
	       rl.rlim_cur != RLIM_INFINITY;
}

int tm_store_db_error(struct tm_store *s, struct tolk_err *err,
		      const char *what)
{
	int ec = sqlite3_extended_errcode(s->db);
	int se = sqlite3_system_errno(s->db);

	/* SQLite reports a full disk met while growing its shared-memory
	 * file, and a file-size limit, as plain I/O errors: the system
	 * error tells them apart */
	if ((ec & 0xff) == SQLITE_IOERR && se == ENOSPC)
		ec = SQLITE_FULL;
	if ((ec & 0xff) == SQLITE_IOERR && se == EROFS)
		ec = SQLITE_READONLY;
	if ((ec & 0xff) == SQLITE_IOERR &&
	    (se == EFBIG || (se == 0 && fsize_limited())))
		return tolk_err_set(err, TOLK_EIO,
				    "%s: the file-size limit (ulimit -f) stops "
				    "'%s' from growing (nothing was changed)",
				    what, s->path);
	if ((ec & 0xff) == SQLITE_BUSY)
		return tolk_err_set(
		    err, TOLK_EIO,
		    "%s: '%s' is busy: another process has been "
		    "writing to it for %d seconds (a large "
		    "import?); try again when it is done",
		    what, s->path, s->busy_ms / 1000);
	if ((ec & 0xff) == SQLITE_NOTADB)
		return tolk_err_set(err, TOLK_EINPUT,
				    "'%s' is not a tolk database (%s)", s->path,
				    sqlite3_errmsg(s->db));
	if ((ec & 0xff) == SQLITE_FULL)
		return tolk_err_set(err, TOLK_EIO,
				    "%s: disk full: no room to write '%s' "
				    "(nothing was changed)",
				    what, s->path);
	if ((ec & 0xff) == SQLITE_READONLY || s->immutable)
		return tolk_err_set(
		    err, TOLK_EIO, "%s: '%s' is read-only (%s)", what, s->path,
		    s->immutable ? "its file or folder cannot be written"
				 : sqlite3_errmsg(s->db));
	return tolk_err_set(err, TOLK_EDB, "%s: %s (%s)", what,
			    sqlite3_errmsg(s->db), s->path);
}

sqlite3_stmt *tm_store_stmt(struct tm_store *s, const char *sql,
			    struct tolk_err *err)
{
	sqlite3_stmt *st = NULL;
	size_t i;

	for (i = 0; i < s->ncache; i++) {
		if (s->cache[i].sql == sql) {
			sqlite3_reset(s->cache[i].stmt);
			sqlite3_clear_bindings(s->cache[i].stmt);
			return s->cache[i].stmt;
		}
	}
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
			       NULL) != SQLITE_OK) {
		tm_store_db_error(s, err, "prepare");
		return NULL;
	}
	if (s->ncache < STMT_CACHE) {
		s->cache[s->ncache].sql = sql;
		s->cache[s->ncache].stmt = st;
		s->ncache++;
		return st;
	}
	/* Cache full: a bug in this module's count, not a user error. */
	sqlite3_finalize(st);
	tolk_err_set(err, TOLK_EINTERNAL, "statement cache full");
	return NULL;
}

static int exec(struct tm_store *s, const char *sql, struct tolk_err *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return tm_store_db_error(s, err, "sqlite");
	return 0;
}

/* mkdir -p for the folder holding path. */
static int make_parents(const char *path, struct tolk_err *err)
{
	char *dir = strdup(path), *p;
	int rc = 0;

	if (!dir)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	p = strrchr(dir, '/');
	if (!p || p == dir)
		goto done;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0777) && errno != EEXIST) {
			rc = tolk_err_set(err, TOLK_EIO,
					  "cannot create folder '%s': %s", dir,
					  strerror(errno));
			goto done;
		}
		*p = '/';
	}
	if (mkdir(dir, 0777) && errno != EEXIST)
		rc =
		    tolk_err_set(err, TOLK_EIO, "cannot create folder '%s': %s",
				 dir, strerror(errno));
done:
	free(dir);
	return rc;
}

static int user_version(struct tm_store *s, int *v, struct tolk_err *err)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
	    SQLITE_OK)
		return tm_store_db_error(s, err, "read schema version");
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = tm_store_db_error(s, err, "read schema version");
		sqlite3_finalize(st);
		return rc;
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return 0;
}

static int migrate(struct tm_store *s, struct tolk_err *err)
{
	char sql[64];
	int v, rc;

	if ((rc = user_version(s, &v, err)))
		return rc;
	if (v > NMIGRATIONS)
		return tolk_err_set(
		    err, TOLK_EINPUT,
		    "'%s' was written by a newer tolk (schema version %d; "
		    "this tolk knows up to %d): upgrade tolk",
		    s->path, v, NMIGRATIONS);
	if (v == NMIGRATIONS)
		return 0;
	/* Readers migrate too: the data is kept, and refusing would strand
	 * users of an older database. */
	if ((rc = exec(s, "BEGIN IMMEDIATE", err)))
		return rc;
	/* Re-read under the write lock: another process may have migrated. */
	if ((rc = user_version(s, &v, err)))
		goto fail;
	for (; v < NMIGRATIONS; v++) {
		if ((rc = exec(s, migrations[v], err)))
			goto fail;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", NMIGRATIONS);
	if ((rc = exec(s, sql, err)) || (rc = exec(s, "COMMIT", err)))
		goto fail;
	return 0;
fail:
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* A WAL database can only be opened when its -shm file exists or can be
 * created, which a read-only file system or folder forbids: reading would
 * fail for want of a lock file.  Nobody can write the file there, so it is
 * opened as immutable (no locks, no WAL) and read-only.  Returns 0 when
 * that worked, else leaves s->db closed. */
static int wal_has_data(const char *path)
{
	struct stat sb;
	char *wal = sqlite3_mprintf("%s-wal", path);
	int rc = !wal || (stat(wal, &sb) == 0 && sb.st_size > 0);

	sqlite3_free(wal);
	return rc;
}

static int open_immutable(struct tm_store *s)
{
	char *uri;

	sqlite3_close(s->db);
	s->db = NULL;
	/* these would need escaping in a URI; such paths keep the error */
	if (strpbrk(s->path, "?#%"))
		return -1;
	/* immutable ignores the WAL: changes still in it would be missed */
	if (wal_has_data(s->path))
		return -1;
	if (!(uri = sqlite3_mprintf("file:%s?immutable=1", s->path)))
		return -1;
	if (sqlite3_open_v2(uri, &s->db,
			    SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
				SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK ||
	    sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_master", NULL,
			 NULL, NULL) != SQLITE_OK) {
		sqlite3_free(uri);
		sqlite3_close(s->db);
		s->db = NULL;
		return -1;
	}
	sqlite3_free(uri);
	sqlite3_extended_result_codes(s->db, 1);
	s->immutable = 1;
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

int tm_store_open(struct tm_store **out, const char *path, unsigned flags,
		  struct tolk_err *err)
{
	struct tm_store *s;
	struct stat sb;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int rc;

	*out = NULL;
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return tolk_err_set(err, TOLK_EINPUT,
					    "'%s' is a folder, not a database",
					    path);
	} else if (flags & TM_STORE_MUST_EXIST) {
		return tolk_err_set(err, TOLK_EINPUT,
				    "no translation memory at '%s' (add or "
				    "import something first, or give --db)",
				    path);
	} else {
		if ((rc = make_parents(path, err)))
			return rc;
		oflags |= SQLITE_OPEN_CREATE;
	}
	s = calloc(1, sizeof(*s));
	if (!s || !(s->path = strdup(path))) {
		free(s);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	s->flags = flags;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		rc = tolk_err_set(err, TOLK_EIO, "cannot open '%s': %s", path,
				  s->db ? sqlite3_errmsg(s->db)
					: "out of memory");
		goto fail;
	}
	sqlite3_extended_result_codes(s->db, 1);
	s->busy_ms = TM_STORE_BUSY_MS;
	sqlite3_busy_timeout(s->db, s->busy_ms);
	/* Reading the schema first turns "not a database" into a clear
	 * message before any pragma tries to change the file. */
	if (sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_master", NULL,
			 NULL, NULL) != SQLITE_OK) {
		int ec = sqlite3_errcode(s->db);

		if ((ec != SQLITE_CANTOPEN && ec != SQLITE_READONLY) ||
		    (oflags & SQLITE_OPEN_CREATE) || !cannot_write(path)) {
			rc = tm_store_db_error(s, err, "cannot open");
			goto fail;
		}
		if (open_immutable(s)) {
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
	if (!s->immutable &&
	    (!(flags & TM_STORE_MUST_EXIST) || sb.st_size > 0)) {
		if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL", NULL, NULL,
				 NULL) != SQLITE_OK &&
		    !(flags & TM_STORE_MUST_EXIST)) {
			rc = tm_store_db_error(s, err, "enable WAL");
			goto fail;
		}
	}
	if ((rc = exec(s, "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;",
		       err)))
		goto fail;
	if ((rc = migrate(s, err)))
		goto fail;
	*out = s;
	return 0;
fail:
	tm_store_close(s);
	return rc;
}

void tm_store_close(struct tm_store *s)
{
	size_t i;

	if (!s)
		return;
	tm_match_ctx_free(s->match);
	for (i = 0; i < s->ncache; i++)
		sqlite3_finalize(s->cache[i].stmt);
	sqlite3_close(s->db);
	free(s->path);
	free(s);
}

int tm_store_begin(struct tm_store *s, struct tolk_err *err)
{
	/* SQLite would only notice at the first write */
	if (s->immutable)
		return tm_store_db_error(s, err, "cannot write");
	return exec(s, "BEGIN IMMEDIATE", err);
}

int tm_store_commit(struct tm_store *s, struct tolk_err *err)
{
	int rc = tm_match_index_flush(s, err);

	if (rc)
		return rc;
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return tm_store_db_error(s, err, "commit");
	return 0;
}

void tm_store_rollback(struct tm_store *s)
{
	tm_match_index_discard(s);
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- serialisation ---------------------------------------------------- */

static int bind_blob(sqlite3_stmt *st, int i, const struct tolk_buf *b)
{
	if (b->len == 0)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_blob(st, i, b->data, (int)b->len, SQLITE_TRANSIENT);
}

/* Attributes that differ between copies of the same unit without making
 * it a different unit. */
static int is_volatile_attr(const char *name)
{
	return strcmp(name, "creationdate") == 0 ||
	       strcmp(name, "changedate") == 0 ||
	       strcmp(name, "lastusagedate") == 0 ||
	       strcmp(name, "usagecount") == 0;
}

static void hash_feed(uint64_t h[2], const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		h[0] = (h[0] ^ (unsigned char)s[i]) * 0x100000001b3ULL;
		h[1] = (h[1] ^ (unsigned char)s[i]) * 0x100000001b3ULL;
		h[1] ^= h[1] >> 29;
	}
	/* A separator no UTF-8 text contains keeps fields apart. */
	h[0] = (h[0] ^ 0xff) * 0x100000001b3ULL;
	h[1] = (h[1] ^ 0xff) * 0x100000001b3ULL;
}

static void hash_str(uint64_t h[2], const char *s)
{
	hash_feed(h, s ? s : "", s ? strlen(s) : 0);
}

/* Identity of a unit for duplicate merging: tuid, every variant's language
 * and segment (with markup), every prop and note; not dates or usage. */
static void dup_key(const struct tm_unit *u, char out[33])
{
	uint64_t h[2] = {0xcbf29ce484222325ULL, 0x84222325cbf29ce4ULL};
	size_t i, k;

	hash_str(h, tm_attrs_get(&u->attrs, "tuid"));
	for (i = 0; i < u->nvariants; i++) {
		hash_str(h, u->variants[i].lang);
		hash_str(h, u->variants[i].markup ? u->variants[i].markup
						  : u->variants[i].text);
	}
	for (i = 0; i < u->nextras; i++) {
		const struct tm_extra *x = &u->extras[i];
		char lvl[32];

		snprintf(lvl, sizeof(lvl), "%zu/%d", x->level, (int)x->kind);
		hash_str(h, lvl);
		for (k = 0; k < x->attrs.n; k++) {
			hash_str(h, x->attrs.names[k]);
			hash_str(h, x->attrs.values[k]);
		}
		hash_str(h, x->value);
	}
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)h[0],
		 (unsigned long long)h[1]);
}

/* Index of the unit's source variant: the one in its srclang (or the
 * srclang its container gave it), else the first. */
static size_t source_variant(const struct tm_unit *u)
{
	const char *src = tm_attrs_get(&u->attrs, "srclang");
	size_t i;

	if (!src)
		src = u->default_srclang;
	if (src && strcmp(src, "*all*") != 0)
		for (i = 0; i < u->nvariants; i++)
			if (tolk_lang_same(u->variants[i].lang, src))
				return i;
	return 0;
}

static const char SQL_FIND_DUP[] =
    "SELECT id, attrs FROM unit WHERE dup_key = ?1 ORDER BY id LIMIT 1";
static const char SQL_FIND_SOURCE[] =
    "SELECT unit_id FROM variant WHERE lang_key = ?1 AND norm = ?2 "
    "AND unit_id IN (SELECT id FROM unit WHERE src_key = ?1) "
    "ORDER BY unit_id";
static const char SQL_INSERT_UNIT[] =
    "INSERT INTO unit(dup_key, src_key, origin, attrs) "
    "VALUES (?1, ?2, ?3, ?4)";
static const char SQL_INSERT_VARIANT[] =
    "INSERT INTO variant(unit_id, seq, lang, lang_key, text, markup, "
    "norm, attrs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_INSERT_EXTRA[] =
    "INSERT INTO extra(unit_id, variant_seq, seq, kind, value, attrs) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_UPDATE_ATTRS[] =
    "UPDATE unit SET attrs = ?2 WHERE id = ?1";
static const char SQL_DELETE[] = "DELETE FROM unit WHERE id = ?1";

/* Folds the dates and usage count of the new copy into the stored ones. */
static int merge_into(struct tm_store *s, int64_t id, const void *blob,
		      int bloblen, const struct tm_unit *u,
		      struct tolk_err *err)
{
	struct tm_attrs a = {0};
	struct tolk_buf b = TOLK_BUF_INIT;
	sqlite3_stmt *st;
	size_t i;
	int rc = 0;

	if (tm_attrs_parse(&a, blob, bloblen)) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < u->attrs.n; i++) {
		const char *name = u->attrs.names[i], *nv = u->attrs.values[i];
		const char *old = tm_attrs_get(&a, name);

		if (!is_volatile_attr(name))
			continue;
		if (strcmp(name, "usagecount") == 0) {
			if (old &&
			    strtoll(old, NULL, 10) >= strtoll(nv, NULL, 10))
				continue;
		} else if (old && strcmp(old, nv) >= 0) {
			/* TMX dates (YYYYMMDDThhmmssZ) sort as strings. */
			continue;
		}
		if (tm_attrs_set(&a, name, nv)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
	}
	if (tm_attrs_blob(&a, &b)) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	if (!(st = tm_store_stmt(s, SQL_UPDATE_ATTRS, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto done;
	}
	sqlite3_bind_int64(st, 1, id);
	bind_blob(st, 2, &b);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = tm_store_db_error(s, err, "merge unit");
	sqlite3_reset(st);
done:
	tm_attrs_release(&a);
	tolk_buf_free(&b);
	return rc;
}

static int step_done(struct tm_store *s, sqlite3_stmt *st, struct tolk_err *err,
		     const char *what)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return tm_store_db_error(s, err, what);
	return 0;
}

static int insert_unit(struct tm_store *s, const struct tm_unit *u,
		       const char *key, const char *src_key, int64_t *idp,
		       struct tolk_err *err)
{
	struct tolk_buf blob = TOLK_BUF_INIT, norm = TOLK_BUF_INIT;
	sqlite3_stmt *st;
	int64_t id;
	size_t i;
	int rc = 0;

	if (!(st = tm_store_stmt(s, SQL_INSERT_UNIT, err)))
		return err ? err->code : TOLK_EDB;
	if (tm_attrs_blob(&u->attrs, &blob)) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, src_key, -1, SQLITE_STATIC);
	if (u->origin)
		sqlite3_bind_text(st, 3, u->origin, -1, SQLITE_STATIC);
	bind_blob(st, 4, &blob);
	if ((rc = step_done(s, st, err, "insert unit")))
		goto done;
	id = sqlite3_last_insert_rowid(s->db);

	for (i = 0; i < u->nvariants; i++) {
		const struct tm_variant *v = &u->variants[i];
		char lkey[TOLK_LANG_MAX];

		if (tolk_lang_key(v->lang, lkey, sizeof(lkey))) {
			rc =
			    tolk_err_set(err, TOLK_EINPUT,
					 "'%s' is not a language tag", v->lang);
			goto done;
		}
		tolk_buf_reset(&norm);
		if ((rc = tolk_text_norm(v->text, strlen(v->text), &norm, err)))
			goto done;
		if (tm_attrs_blob(&v->attrs, &blob)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		if (!(st = tm_store_stmt(s, SQL_INSERT_VARIANT, err))) {
			rc = err ? err->code : TOLK_EDB;
			goto done;
		}
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int64(st, 2, (int64_t)i);
		sqlite3_bind_text(st, 3, v->lang, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, lkey, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 5, v->text, -1, SQLITE_STATIC);
		if (v->markup)
			sqlite3_bind_text(st, 6, v->markup, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, tolk_buf_str(&norm), -1,
				  SQLITE_STATIC);
		bind_blob(st, 8, &blob);
		if ((rc = step_done(s, st, err, "insert variant")))
			goto done;
	}
	for (i = 0; i < u->nextras; i++) {
		const struct tm_extra *x = &u->extras[i];

		if (tm_attrs_blob(&x->attrs, &blob)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		if (!(st = tm_store_stmt(s, SQL_INSERT_EXTRA, err))) {
			rc = err ? err->code : TOLK_EDB;
			goto done;
		}
		sqlite3_bind_int64(st, 1, id);
		if (x->level != TM_UNIT_LEVEL)
			sqlite3_bind_int64(st, 2, (int64_t)x->level);
		sqlite3_bind_int64(st, 3, (int64_t)i);
		sqlite3_bind_int(st, 4, (int)x->kind);
		sqlite3_bind_text(st, 5, x->value, -1, SQLITE_STATIC);
		bind_blob(st, 6, &blob);
		if ((rc = step_done(s, st, err, "insert prop")))
			goto done;
	}
	if ((rc = tm_match_index_add(s, id, u, err)))
		goto done;
	if (idp)
		*idp = id;
done:
	tolk_buf_free(&blob);
	tolk_buf_free(&norm);
	return rc;
}

/* Ids of units with the same source text in the same source language. */
static int same_source(struct tm_store *s, const struct tm_unit *u,
		       const char *src_key, int64_t **ids, size_t *n,
		       struct tolk_err *err)
{
	struct tolk_buf norm = TOLK_BUF_INIT;
	const struct tm_variant *v = &u->variants[source_variant(u)];
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*ids = NULL;
	*n = 0;
	if ((rc = tolk_text_norm(v->text, strlen(v->text), &norm, err)))
		return rc;
	if (!(st = tm_store_stmt(s, SQL_FIND_SOURCE, err))) {
		tolk_buf_free(&norm);
		return err ? err->code : TOLK_EDB;
	}
	sqlite3_bind_text(st, 1, src_key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tolk_buf_str(&norm), -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			int64_t *p;

			cap = cap ? cap * 2 : 4;
			p = realloc(*ids, cap * sizeof(*p));
			if (!p) {
				rc = SQLITE_NOMEM;
				break;
			}
			*ids = p;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	tolk_buf_free(&norm);
	if (rc != SQLITE_DONE) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return rc == SQLITE_NOMEM
			   ? tolk_err_set(err, TOLK_ENOMEM, "out of memory")
			   : tm_store_db_error(s, err, "find source");
	}
	return 0;
}

int tm_store_add(struct tm_store *s, const struct tm_unit *u,
		 enum tm_dup_policy policy, int64_t *id,
		 enum tm_add_result *result, struct tolk_err *err)
{
	char key[33], src_key[TOLK_LANG_MAX];
	enum tm_add_result res = TM_ADD_INSERTED;
	int64_t *ids = NULL, newid = 0;
	size_t nids = 0, i;
	sqlite3_stmt *st;
	int rc, own_tx = 0;

	if (u->nvariants == 0)
		return tolk_err_set(err, TOLK_EINPUT, "unit has no variants");
	if (tolk_lang_key(u->variants[source_variant(u)].lang, src_key,
			  sizeof(src_key)))
		return tolk_err_set(err, TOLK_EINPUT, "bad source language");
	dup_key(u, key);
	if (sqlite3_get_autocommit(s->db)) {
		if ((rc = tm_store_begin(s, err)))
			return rc;
		own_tx = 1;
	}
	if (policy == TM_DUP_MERGE) {
		if (!(st = tm_store_stmt(s, SQL_FIND_DUP, err))) {
			rc = err ? err->code : TOLK_EDB;
			goto done;
		}
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			newid = sqlite3_column_int64(st, 0);
			rc = merge_into(s, newid, sqlite3_column_blob(st, 1),
					sqlite3_column_bytes(st, 1), u, err);
			sqlite3_reset(st);
			res = TM_ADD_MERGED;
			goto done;
		}
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			rc = tm_store_db_error(s, err, "find duplicate");
			goto done;
		}
	} else if (policy == TM_DUP_SKIP || policy == TM_DUP_REPLACE) {
		if ((rc = same_source(s, u, src_key, &ids, &nids, err)))
			goto done;
		if (nids && policy == TM_DUP_SKIP) {
			newid = ids[0];
			res = TM_ADD_SKIPPED;
			rc = 0;
			goto done;
		}
		for (i = 0; i < nids; i++)
			if ((rc = tm_store_delete(s, ids[i], err)))
				goto done;
		if (nids)
			res = TM_ADD_REPLACED;
	}
	rc = insert_unit(s, u, key, src_key, &newid, err);
done:
	free(ids);
	if (own_tx) {
		if (rc == 0)
			rc = tm_store_commit(s, err);
		if (rc)
			tm_store_rollback(s);
	}
	if (rc == 0) {
		if (id)
			*id = newid;
		if (result)
			*result = res;
	}
	return rc;
}

int tm_store_delete(struct tm_store *s, int64_t id, struct tolk_err *err)
{
	sqlite3_stmt *st;
	int rc, own_tx = 0;

	/* The matcher's index and the unit go together or not at all. */
	if (sqlite3_get_autocommit(s->db)) {
		if ((rc = tm_store_begin(s, err)))
			return rc;
		own_tx = 1;
	}
	if ((rc = tm_match_index_remove(s, id, err)))
		goto done;
	if (!(st = tm_store_stmt(s, SQL_DELETE, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto done;
	}
	sqlite3_bind_int64(st, 1, id);
	if ((rc = step_done(s, st, err, "delete unit")))
		goto done;
	if (sqlite3_changes(s->db) == 0)
		rc = tolk_err_set(err, TOLK_ENOTFOUND, "no unit with id %lld",
				  (long long)id);
done:
	if (own_tx) {
		if (rc == 0)
			rc = tm_store_commit(s, err);
		if (rc)
			tm_store_rollback(s);
	}
	return rc;
}

static const char SQL_GET_UNIT[] =
    "SELECT origin, attrs FROM unit WHERE id = ?1";
static const char SQL_GET_VARIANTS[] =
    "SELECT lang, text, markup, attrs FROM variant WHERE unit_id = ?1 "
    "ORDER BY seq";
static const char SQL_GET_EXTRAS[] =
    "SELECT variant_seq, kind, value, attrs FROM extra WHERE unit_id = ?1 "
    "ORDER BY seq";

int tm_store_get(struct tm_store *s, int64_t id, struct tm_unit **out,
		 struct tolk_err *err)
{
	struct tm_unit *u = NULL;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if (tm_unit_new(&u))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	u->id = id;
	if (!(st = tm_store_stmt(s, SQL_GET_UNIT, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		rc = tolk_err_set(err, TOLK_ENOTFOUND, "no unit with id %lld",
				  (long long)id);
		goto fail;
	}
	if (rc != SQLITE_ROW) {
		rc = tm_store_db_error(s, err, "read unit");
		sqlite3_reset(st);
		goto fail;
	}
	if (tm_unit_set_origin(u, (const char *)sqlite3_column_text(st, 0)) ||
	    tm_attrs_parse(&u->attrs, sqlite3_column_blob(st, 1),
			   sqlite3_column_bytes(st, 1))) {
		sqlite3_reset(st);
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto fail;
	}
	sqlite3_reset(st);

	if (!(st = tm_store_stmt(s, SQL_GET_VARIANTS, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t vi;

		if ((rc = tm_unit_add_variant(
			 u, (const char *)sqlite3_column_text(st, 0),
			 (const char *)sqlite3_column_text(st, 1),
			 (const char *)sqlite3_column_text(st, 2), &vi, err)) ||
		    tm_attrs_parse(&u->variants[vi].attrs,
				   sqlite3_column_blob(st, 3),
				   sqlite3_column_bytes(st, 3))) {
			sqlite3_reset(st);
			rc = rc ? rc
				: tolk_err_set(err, TOLK_ENOMEM,
					       "out of memory");
			goto fail;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		rc = tm_store_db_error(s, err, "read variants");
		goto fail;
	}

	if (!(st = tm_store_stmt(s, SQL_GET_EXTRAS, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto fail;
	}
	sqlite3_bind_int64(st, 1, id);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		size_t level = sqlite3_column_type(st, 0) == SQLITE_NULL
				   ? TM_UNIT_LEVEL
				   : (size_t)sqlite3_column_int64(st, 0);
		size_t xi;

		if (tm_unit_add_extra(
			u, level, (enum tm_extra_kind)sqlite3_column_int(st, 1),
			(const char *)sqlite3_column_text(st, 2), &xi) ||
		    tm_attrs_parse(&u->extras[xi].attrs,
				   sqlite3_column_blob(st, 3),
				   sqlite3_column_bytes(st, 3))) {
			sqlite3_reset(st);
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto fail;
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		rc = tm_store_db_error(s, err, "read props");
		goto fail;
	}
	*out = u;
	return 0;
fail:
	tm_unit_free(u);
	return rc;
}

/* Source and target of every unit with both languages; ?3 optionally
 * restricts the source to one normalised text. */
static const char SQL_PAIRS[] =
    "SELECT s.unit_id, s.text, t.text, s.lang, t.lang "
    "FROM variant s JOIN variant t ON t.unit_id = s.unit_id "
    "WHERE s.lang_key = ?1 AND t.lang_key = ?2 "
    "AND (?3 IS NULL OR s.norm = ?3) "
    "AND s.seq = (SELECT min(seq) FROM variant x "
    "             WHERE x.unit_id = s.unit_id AND x.lang_key = ?1) "
    "AND t.seq = (SELECT min(seq) FROM variant x "
    "             WHERE x.unit_id = s.unit_id AND x.lang_key = ?2 "
    "             AND x.seq != s.seq) "
    "ORDER BY s.unit_id";

static int pairs(struct tm_store *s, const char *norm, const char *src,
		 const char *tgt, size_t limit, tm_pair_fn fn, void *ctx,
		 struct tolk_err *err)
{
	char sk[TOLK_LANG_MAX], tk[TOLK_LANG_MAX];
	sqlite3_stmt *st = NULL;
	size_t n = 0;
	int rc;

	if (tolk_lang_key(src, sk, sizeof(sk)))
		return tolk_err_set(err, TOLK_EUSAGE,
				    "'%s' is not a language tag", src);
	if (tolk_lang_key(tgt, tk, sizeof(tk)))
		return tolk_err_set(err, TOLK_EUSAGE,
				    "'%s' is not a language tag", tgt);
	/* Not cached: callbacks may use the store (and this statement)
	 * again while rows are still being read. */
	if (sqlite3_prepare_v2(s->db, SQL_PAIRS, -1, &st, NULL) != SQLITE_OK)
		return tm_store_db_error(s, err, "prepare");
	sqlite3_bind_text(st, 1, sk, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, tk, -1, SQLITE_STATIC);
	if (norm)
		sqlite3_bind_text(st, 3, norm, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct tm_pair p;

		p.id = sqlite3_column_int64(st, 0);
		p.source = (const char *)sqlite3_column_text(st, 1);
		p.target = (const char *)sqlite3_column_text(st, 2);
		p.source_lang = (const char *)sqlite3_column_text(st, 3);
		p.target_lang = (const char *)sqlite3_column_text(st, 4);
		if ((rc = fn(ctx, &p)) != 0) {
			sqlite3_finalize(st);
			return rc;
		}
		if (limit && ++n >= limit)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = tm_store_db_error(s, err, "read units");
		sqlite3_finalize(st);
		return rc;
	}
	sqlite3_finalize(st);
	return 0;
}

int tm_store_find_exact(struct tm_store *s, const char *text,
			const char *source_lang, const char *target_lang,
			size_t limit, tm_pair_fn fn, void *ctx,
			struct tolk_err *err)
{
	struct tolk_buf norm = TOLK_BUF_INIT;
	int rc;

	if ((rc = tolk_text_norm(text, strlen(text), &norm, err)))
		return rc;
	rc = pairs(s, tolk_buf_str(&norm), source_lang, target_lang, limit, fn,
		   ctx, err);
	tolk_buf_free(&norm);
	return rc;
}

int tm_store_foreach_pair(struct tm_store *s, const char *source_lang,
			  const char *target_lang, tm_pair_fn fn, void *ctx,
			  struct tolk_err *err)
{
	return pairs(s, NULL, source_lang, target_lang, 0, fn, ctx, err);
}

static int64_t scalar(struct tm_store *s, const char *sql, int *rc,
		      struct tolk_err *err)
{
	sqlite3_stmt *st = NULL;
	int64_t v = 0;

	if (*rc)
		return 0;
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		*rc = tm_store_db_error(s, err, "statistics");
	else
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

int tm_store_stats(struct tm_store *s, struct tm_store_stats *out,
		   struct tolk_err *err)
{
	static const char sql_pairs[] =
	    "SELECT u.src_key, v.lang_key, count(DISTINCT u.id) "
	    "FROM unit u JOIN variant v ON v.unit_id = u.id "
	    "WHERE v.lang_key != u.src_key "
	    "GROUP BY u.src_key, v.lang_key ORDER BY 3 DESC, 1, 2";
	sqlite3_stmt *st = NULL;
	int rc = 0, step;

	memset(out, 0, sizeof(*out));
	out->units = scalar(s, "SELECT count(*) FROM unit", &rc, err);
	out->variants = scalar(s, "SELECT count(*) FROM variant", &rc, err);
	out->bytes = scalar(s,
			    "SELECT page_count * page_size FROM "
			    "pragma_page_count(), pragma_page_size()",
			    &rc, err);
	out->schema_version = (int)scalar(s, "PRAGMA user_version", &rc, err);
	if (rc)
		return rc;
	if (sqlite3_prepare_v2(s->db, sql_pairs, -1, &st, NULL) != SQLITE_OK)
		return tm_store_db_error(s, err, "statistics");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct tm_store_pair_count *p;

		p = realloc(out->pairs, (out->npairs + 1) * sizeof(*p));
		if (!p) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		out->pairs = p;
		p = &out->pairs[out->npairs++];
		snprintf(p->source, sizeof(p->source), "%s",
			 (const char *)sqlite3_column_text(st, 0));
		snprintf(p->target, sizeof(p->target), "%s",
			 (const char *)sqlite3_column_text(st, 1));
		p->units = sqlite3_column_int64(st, 2);
	}
	if (step != SQLITE_DONE)
		rc = tm_store_db_error(s, err, "statistics");
done:
	sqlite3_finalize(st);
	if (rc)
		tm_store_stats_release(out);
	return rc;
}

void tm_store_stats_release(struct tm_store_stats *st)
{
	free(st->pairs);
	st->pairs = NULL;
	st->npairs = 0;
}
