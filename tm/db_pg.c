/* The PostgreSQL backend of the database layer: every libpq call of the
 * library is in this file.  A TM is the tables of one schema (the role's
 * search_path, normally public) in one database, named by a
 * postgresql:// URI or a libpq key=value conninfo; passwords come from
 * libpq itself (~/.pgpass, PGPASSFILE, PGSERVICE) and are cut out of every
 * message (tm_db_path is the conninfo without them).
 *
 * Statements: the callers' SQL with ?N becomes $N.  A cached statement is
 * prepared on the server at its first execution, with the parameter types
 * of its first binds (int64 -> int8, text -> text, blob -> bytea, NULL
 * left to the server), so that "?1 = ?2" and "?3 IS NULL OR x = ?3" have
 * types; values travel as text, blobs in binary.  A step executes the
 * statement once and keeps the whole result: one round trip per
 * execution, whatever the number of rows, and the connection is free for
 * the callbacks that run while rows are read.
 *
 * Writes in a write transaction go ahead without waiting (libpq's
 * pipeline mode): tm_db_run of a statement already prepared sends it and
 * returns; the answers are read, all at once, by the next call that must
 * wait for the server (a query, whose answer comes in the same round
 * trip, a commit, tm_db_changes, a savepoint), which reports the first
 * failed write with its own what.  An import's writes into the matcher's
 * index and the variants were one round trip each; now up to PIPE_MAX
 * share one.  A failed write has aborted the transaction on the server,
 * so nothing written after it counts: the transaction fails as a whole,
 * as it did, only from a later call (for an import, perhaps at a later
 * unit).  Savepoints wait, so that an error belongs to its level.
 *
 * Transactions: a write is READ COMMITTED (each statement sees what
 * other writers committed before it, which ON CONFLICT needs); a read is
 * REPEATABLE READ READ ONLY, one snapshot, which never waits for a writer
 * and runs on a hot standby.  Readers connect with
 * target_session_attrs=prefer-standby, writers with read-write, unless
 * the conninfo says otherwise: with host=primary,replica lookups go to the
 * replica.  The schema version is the one row of tolk_schema. */
#include "tm/db_int.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OID_INT8  20
#define OID_TEXT  25
#define OID_BYTEA 17
#define OID_BOOL  16

/* Writes sent ahead at most: their answers (a few dozen bytes each) must
 * fit the socket's buffers, or the server would wait for us to read while
 * we wait for it to read. */
#define PIPE_MAX 256

struct pgc {
	PGconn *c;
	int64_t changes;
	unsigned long nextname; /* prepared statement names */
	int write_tx;		/* a write transaction is open */
	int locked;		/* it holds the schema lock */
	int64_t tx_rows;	/* rows the open transaction changed */
	int npend;		/* writes sent, their answers not read */
	char pend_what[PIPE_MAX][48];
	/* an error of a write sent ahead, found by a call that could not
	 * return it (tm_db_last_id, a statement's free): the next call does */
	int failed;
	struct tolk_err fail;
	/* counts transactions and savepoint rollbacks: a cursor declared
	 * in another generation may be gone */
	unsigned long txgen;
};

/* Rows a cursor's FETCH brings (tm_db_prepare_rows). */
#define CURSOR_ROWS 1000

/* After a transaction that changed this many rows (an import), the
 * planner's statistics are renewed at once rather than when autovacuum
 * gets to it: with tables it believes small, a lookup's joins turn into
 * scans. */
#define ANALYZE_ROWS 1000

struct pst {
	struct tm_db *db;
	char *sql;
	int persistent, prepared;
	/* tm_db_prepare_rows: rows in batches through a cursor, open in
	 * transaction generation cgen; more: the last batch was full */
	int stream, cursor, more;
	unsigned long cgen;
	char name[24];
	int n; /* parameters */
	Oid *types;
	const char **vals;
	int *lens, *fmts;
	char **owned; /* copies of text values */
	PGresult *res;
	int row, nrows;
	unsigned char **blob; /* decoded bytea of the current row */
	size_t *bloblen;
	int ncols;
};

#define PGC(db) ((struct pgc *)(db)->conn)

int tm_db_is_server(const char *path)
{
	PQconninfoOption *o;
	const char *p = path;

	if (strncmp(path, "postgresql://", 13) == 0 ||
	    strncmp(path, "postgres://", 11) == 0)
		return 1;
	/* key=value conninfo: a libpq keyword, then '=' */
	while (*p == ' ')
		p++;
	while ((*p >= 'a' && *p <= 'z') || *p == '_')
		p++;
	while (*p == ' ')
		p++;
	if (p == path || *p != '=')
		return 0;
	if (!(o = PQconninfoParse(path, NULL)))
		return 0;
	PQconninfoFree(o);
	return 1;
}

/* The conninfo as messages show it: the password of a URI's user info
 * and any password= parameter left out. */
static char *safe_conninfo(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1), *o = out;
	const char *p = s, *at, *end;

	if (!out)
		return NULL;
	if (strstr(s, "://")) {
		p = strstr(s, "://") + 3;
		memcpy(o, s, (size_t)(p - s));
		o += p - s;
		end = p + strcspn(p, "/?");
		at = NULL;
		for (const char *q = p; q < end; q++)
			if (*q == '@')
				at = q;
		if (at) {
			const char *colon = memchr(p, ':', (size_t)(at - p));

			if (colon) {
				memcpy(o, p, (size_t)(colon - p));
				o += colon - p;
				p = at;
			}
		}
		/* query parameters: drop password=... */
		while (*p) {
			if ((p[-1] == '?' || p[-1] == '&') &&
			    strncmp(p, "password=", 9) == 0) {
				p += strcspn(p, "&");
				if (*p == '&')
					p++;
				else if (o[-1] == '&' || o[-1] == '?')
					o--;
				continue;
			}
			*o++ = *p++;
		}
		*o = '\0';
		return out;
	}
	/* key=value: copied word by word, password's value skipped */
	while (*p) {
		int skip;

		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		skip = strncmp(p, "password", 8) == 0 &&
		       (p[8] == '=' || p[8] == ' ');
		end = p;
		while (*end && *end != '=')
			end++;
		if (*end == '=')
			end++;
		while (*end == ' ')
			end++;
		if (*end == '\'') {
			for (end++; *end && *end != '\''; end++)
				if (*end == '\\' && end[1])
					end++;
			if (*end)
				end++;
		} else {
			while (*end && *end != ' ' && *end != '\t')
				end++;
		}
		if (!skip) {
			if (o != out)
				*o++ = ' ';
			memcpy(o, p, (size_t)(end - p));
			o += end - p;
		}
		p = end;
	}
	*o = '\0';
	return out;
}

/* The first line of a libpq message, which ends in a newline. */
static const char *first_line(const char *msg, char *buf, size_t n)
{
	size_t len = strcspn(msg ? msg : "", "\n");

	if (len >= n)
		len = n - 1;
	memcpy(buf, msg ? msg : "", len);
	buf[len] = '\0';
	return buf;
}

/* The one place that turns libpq failures into tolk's words: res may be
 * NULL (the connection's own message then). */
static int pg_error(struct tm_db *db, const PGresult *res, const char *what,
		    struct tolk_err *err)
{
	PGconn *c = db->conn ? PGC(db)->c : NULL;
	const char *state =
	    res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg =
	    res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char line[512];

	if (!msg)
		msg =
		    first_line(c ? PQerrorMessage(c) : "", line, sizeof(line));
	if (!state)
		state = "";
	if ((c && PQstatus(c) == CONNECTION_BAD) ||
	    strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
		return tolk_err_set(err, TOLK_EIO,
				    "%s: lost the connection to the TM at "
				    "'%s': %s",
				    what, db->path, msg);
	if (strcmp(state, "25006") == 0)
		return tolk_err_set(
		    err, TOLK_EIO,
		    "%s: the TM is read-only right now (the "
		    "server at '%s' is a standby: the primary "
		    "is down or not reachable); try again later",
		    what, db->path);
	if (strcmp(state, "42501") == 0)
		return tolk_err_set(err, TOLK_EIO,
				    "%s: permission denied: your database role "
				    "may not do this on the TM at '%s' (%s)",
				    what, db->path, msg);
	if (strcmp(state, "53100") == 0)
		return tolk_err_set(err, TOLK_EIO,
				    "%s: disk full on the server of '%s' "
				    "(nothing was changed)",
				    what, db->path);
	if (strcmp(state, "55P03") == 0)
		return tolk_err_set(err, TOLK_EIO,
				    "%s: the TM at '%s' is busy: another "
				    "writer has held a lock for %d seconds; "
				    "try again when it is done",
				    what, db->path, db->busy_ms / 1000);
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0)
		return tolk_err_set(err, TOLK_EIO,
				    "%s: another writer changed the same "
				    "entries at the same time; try again (%s)",
				    what, msg);
	if (strcmp(state, "42P01") == 0)
		return tolk_err_set(err, TOLK_EDB, "%s: no such table: %s (%s)",
				    what, msg, db->path);
	return tolk_err_set(err, TOLK_EDB, "%s: %s (%s)", what, msg, db->path);
}

/* The error of a write sent ahead that no caller has been given yet. */
static int pending_error(struct pgc *pc, struct tolk_err *err)
{
	int rc = pc->fail.code;

	if (!pc->failed)
		return 0;
	pc->failed = 0;
	if (err)
		*err = pc->fail;
	return rc ? rc : TOLK_EDB;
}

/* Reads the answers of the writes sent ahead and leaves pipeline mode;
 * with last, the answer of one more statement sent after them, whose
 * result *last takes (NULL when a write before it failed).  Returns the
 * first write's error; with err NULL it is kept for the next call. */
static int pipe_sync(struct tm_db *db, PGresult **last, struct tolk_err *err)
{
	struct pgc *pc = PGC(db);
	struct tolk_err e;
	int i, n = pc->npend + (last != NULL), rc = 0;
	PGresult *r;

	if (last)
		*last = NULL;
	if (n == 0) {
		/* entered for a write that could not be sent */
		if (PQpipelineStatus(pc->c) != PQ_PIPELINE_OFF)
			PQexitPipelineMode(pc->c);
		return pending_error(pc, err);
	}
	tolk_err_clear(&e);
	if (!PQpipelineSync(pc->c))
		rc = pg_error(db, NULL,
			      n > pc->npend ? "query" : pc->pend_what[0], &e);
	for (i = 0; i < n && rc == 0; i++) {
		ExecStatusType st;

		if (!(r = PQgetResult(pc->c))) {
			rc = pg_error(db, NULL, "read answers", &e);
			break;
		}
		st = PQresultStatus(r);
		if (i == pc->npend) {
			*last = r;
		} else if (st == PGRES_COMMAND_OK) {
			const char *t = PQcmdTuples(r);

			pc->changes = *t ? strtoll(t, NULL, 10) : 0;
			pc->tx_rows += pc->changes;
		} else if (st != PGRES_PIPELINE_ABORTED) {
			rc = pg_error(db, r, pc->pend_what[i], &e);
		}
		if (i < pc->npend)
			PQclear(r);
		/* each statement's answer ends with a NULL */
		while ((r = PQgetResult(pc->c)))
			PQclear(r);
	}
	/* the rest, up to and with the sync's own answer */
	while (i++ < n + 1 && (r = PQgetResult(pc->c))) {
		int sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;

		PQclear(r);
		if (sync)
			break;
		while ((r = PQgetResult(pc->c)))
			PQclear(r);
	}
	PQexitPipelineMode(pc->c);
	pc->npend = 0;
	if (rc && last) {
		PQclear(*last);
		*last = NULL;
	}
	if (rc && !err) {
		pc->fail = e;
		pc->failed = 1;
	} else if (rc) {
		*err = e;
	} else {
		rc = pending_error(pc, err);
	}
	return rc;
}

/* Runs sql (no parameters, perhaps several statements); *out, when not
 * NULL, takes the result of a query. */
static int simple(struct tm_db *db, const char *sql, const char *what,
		  PGresult **out, struct tolk_err *err)
{
	PGresult *r;
	ExecStatusType s;
	int rc;

	if ((rc = pipe_sync(db, NULL, err)))
		return rc;
	r = PQexec(PGC(db)->c, sql);
	s = PQresultStatus(r);

	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
		rc = pg_error(db, r, what, err);
	if (out && rc == 0) {
		*out = r;
		return 0;
	}
	PQclear(r);
	return rc;
}

static int pg_exec(struct tm_db *db, const char *sql, const char *what,
		   struct tolk_err *err)
{
	return simple(db, sql, what, NULL, err);
}

static void pg_close(struct tm_db *db)
{
	struct pgc *pc = PGC(db);

	PQfinish(pc->c);
	free(pc);
	db->conn = NULL;
}

static int get_version(struct tm_db *db, int *v, struct tolk_err *err);

static int pg_open(struct tm_db *db, const char *path, unsigned flags,
		   struct tolk_err *err)
{
	/* defaults first: the conninfo (dbname, expanded) overrides them */
	const char *keys[] = {"target_session_attrs",
			      "fallback_application_name", "dbname", NULL};
	const char *vals[] = {(flags & TM_DB_READ_INTENT) ? "prefer-standby"
							  : "read-write",
			      "tolk", path, NULL};
	struct pgc *pc;
	char *safe = safe_conninfo(path);
	int rc, v;

	if (!safe || !(pc = calloc(1, sizeof(*pc)))) {
		free(safe);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	free(db->path);
	db->path = safe;
	db->conn = pc;
	pc->c = PQconnectdbParams(keys, vals, 1);
	if (!pc->c) {
		pg_close(db);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	if (PQstatus(pc->c) != CONNECTION_OK) {
		char line[512];
		const char *m =
		    first_line(PQerrorMessage(pc->c), line, sizeof(line));

		const char *all = PQerrorMessage(pc->c);

		/* with several hosts, one line per host: any standby among
		 * them means there is a TM, only not one to write to */
		if (!(flags & TM_DB_READ_INTENT) &&
		    (strstr(all, "session is read-only") ||
		     strstr(all, "hot standby")))
			rc = tolk_err_set(
			    err, TOLK_EIO,
			    "cannot open the TM at '%s' for writing: the TM "
			    "is read-only right now (no server accepts "
			    "writes: the primary is down or not reachable)",
			    safe);
		else if (strstr(m, "permission denied") ||
			 strstr(m, "authentication failed") ||
			 strstr(m, "no password"))
			rc = tolk_err_set(err, TOLK_EIO,
					  "cannot open the TM at '%s': "
					  "permission denied (%s)",
					  safe, m);
		else
			rc = tolk_err_set(err, TOLK_EIO,
					  "cannot connect to the TM at '%s': "
					  "%s",
					  safe, m);
		pg_close(db);
		return rc;
	}
	PQsetNoticeProcessor(pc->c, NULL, NULL);
	/* notices (IF NOT EXISTS ...) are not for the user */
	if ((rc = simple(db, "SET client_min_messages = warning", "connect",
			 NULL, err)))
		goto fail;
	if ((flags & TM_DB_MUST_EXIST)) {
		if ((rc = get_version(db, &v, err)))
			goto fail;
		if (v == 0) {
			rc = tolk_err_set(err, TOLK_EDB,
					  "no translation memory at '%s' (add "
					  "or import something first, or give "
					  "--db)",
					  safe);
			goto fail;
		}
	}
	return 0;
fail:
	pg_close(db);
	return rc;
}

/* ?N -> $N, outside quotes. */
static char *convert_sql(const char *sql, int *nparams)
{
	size_t n = strlen(sql);
	char *out = malloc(n + 1), *o = out;
	char quote = 0;
	int max = 0;

	if (!out)
		return NULL;
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
		} else if (*p == '?' && p[1] >= '0' && p[1] <= '9') {
			int k = atoi(p + 1);

			if (k > max)
				max = k;
			*o++ = '$';
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	*nparams = max;
	return out;
}

static void clear_row(struct pst *h)
{
	int i;

	if (!h->blob)
		return;
	for (i = 0; i < h->ncols; i++) {
		PQfreemem(h->blob[i]);
		h->blob[i] = NULL;
	}
}

static void clear_result(struct pst *h)
{
	clear_row(h);
	free(h->blob);
	free(h->bloblen);
	h->blob = NULL;
	h->bloblen = NULL;
	h->ncols = 0;
	PQclear(h->res);
	h->res = NULL;
	h->row = -1;
	h->nrows = 0;
}

static void cursor_close(struct pst *h)
{
	struct pgc *pc = h->db->conn ? PGC(h->db) : NULL;
	char sql[64];

	if (!h->cursor)
		return;
	h->cursor = 0;
	/* a cursor of an ended transaction or a rolled back savepoint is
	 * gone, and closing it would fail the transaction */
	if (!pc || h->cgen != pc->txgen ||
	    PQtransactionStatus(pc->c) != PQTRANS_INTRANS)
		return;
	pipe_sync(h->db, NULL, NULL);
	snprintf(sql, sizeof(sql), "CLOSE %s", h->name);
	PQclear(PQexec(pc->c, sql));
}

static void pg_reset(void *hp, int clear)
{
	struct pst *h = hp;
	int i;

	clear_result(h);
	cursor_close(h);
	if (!clear)
		return;
	for (i = 0; i < h->n; i++) {
		free(h->owned[i]);
		h->owned[i] = NULL;
		h->vals[i] = NULL;
		h->lens[i] = 0;
		h->fmts[i] = 0;
	}
}

static void pg_finalize(void *hp)
{
	struct pst *h = hp;
	char sql[64];

	if (!h)
		return;
	pg_reset(h, 1);
	/* the connection goes at close anyway: only a statement freed
	 * while it stays open needs deallocating */
	if (h->prepared && h->db->conn && !h->persistent) {
		pipe_sync(h->db, NULL, NULL);
		snprintf(sql, sizeof(sql), "DEALLOCATE %s", h->name);
		PQclear(PQexec(PGC(h->db)->c, sql));
	}
	free(h->sql);
	free(h->types);
	free(h->vals);
	free(h->lens);
	free(h->fmts);
	free(h->owned);
	free(h);
}

static int pg_prepare(struct tm_db *db, const char *sql, int persistent,
		      void **out, struct tolk_err *err)
{
	struct pst *h = calloc(1, sizeof(*h));
	size_t n;

	if (!h || !(h->sql = convert_sql(sql, &h->n)))
		goto nomem;
	n = h->n ? (size_t)h->n : 1;
	h->db = db;
	h->persistent = persistent;
	h->row = -1;
	h->types = calloc(n, sizeof(*h->types));
	h->vals = calloc(n, sizeof(*h->vals));
	h->lens = calloc(n, sizeof(*h->lens));
	h->fmts = calloc(n, sizeof(*h->fmts));
	h->owned = calloc(n, sizeof(*h->owned));
	if (!h->types || !h->vals || !h->lens || !h->fmts || !h->owned)
		goto nomem;
	*out = h;
	return 0;
nomem:
	pg_finalize(h);
	return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
}

static void pg_stream(void *hp)
{
	((struct pst *)hp)->stream = 1;
}

static void set_param(struct pst *h, int i, char *owned, const char *v, int len,
		      int fmt, Oid type)
{
	if (i < 1 || i > h->n) {
		free(owned);
		return;
	}
	i--;
	free(h->owned[i]);
	h->owned[i] = owned;
	h->vals[i] = owned ? owned : v;
	h->lens[i] = len;
	h->fmts[i] = fmt;
	if (!h->prepared)
		h->types[i] = type;
}

static void pg_bind_int64(void *hp, int i, int64_t v)
{
	char *s = malloc(24);

	if (s)
		snprintf(s, 24, "%lld", (long long)v);
	set_param(hp, i, s, NULL, 0, 0, OID_INT8);
}

static void pg_bind_text(void *hp, int i, const char *s, ptrdiff_t len)
{
	size_t n = len < 0 ? strlen(s) : (size_t)len;

	/* libpq reads text values up to their NUL */
	set_param(hp, i, strndup(s, n), NULL, 0, 0, OID_TEXT);
}

static void pg_bind_blob(void *hp, int i, const void *p, size_t len)
{
	set_param(hp, i, NULL, p, (int)len, 1, OID_BYTEA);
}

static void pg_bind_null(void *hp, int i)
{
	set_param(hp, i, NULL, NULL, 0, 0, 0);
}

/* "?1 IS NULL OR x = ?1" bound NULL has no type the server can infer
 * (SQLSTATE 42P08 or 42P18): NULLs are typed text and the statement tried
 * again. Not at first, because a NULL for an integer column must stay untyped.
 */
static int null_as_text(struct pst *h, const PGresult *r)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	int i, any = 0;

	if (!state ||
	    (strcmp(state, "42P18") != 0 && strcmp(state, "42P08") != 0))
		return 0;
	for (i = 0; i < h->n; i++)
		if (h->types[i] == 0) {
			h->types[i] = OID_TEXT;
			any = 1;
		}
	return any;
}

/* Takes query result r as h's rows. */
static int take_rows(struct pst *h, PGresult *r, struct tolk_err *err)
{
	h->res = r;
	h->nrows = PQntuples(r);
	h->ncols = PQnfields(r);
	h->blob = calloc((size_t)h->ncols + 1, sizeof(*h->blob));
	h->bloblen = calloc((size_t)h->ncols + 1, sizeof(*h->bloblen));
	if (!h->blob || !h->bloblen) {
		clear_result(h);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	h->row = 0;
	return h->nrows > 0;
}

/* Every parameter has a type: a cursor cannot be declared again with
 * NULLs typed text (null_as_text), its failure ends the transaction. */
static int typed(const struct pst *h)
{
	int i;

	for (i = 0; i < h->n; i++)
		if (h->types[i] == 0)
			return 0;
	return 1;
}

static int cursor_fetch(struct tm_db *db, struct pst *h, const char *what,
			struct tolk_err *err)
{
	char sql[80];
	PGresult *r;
	int rc;

	clear_result(h);
	if ((rc = pipe_sync(db, NULL, err)))
		return rc;
	snprintf(sql, sizeof(sql), "FETCH FORWARD %d FROM %s", CURSOR_ROWS,
		 h->name);
	r = PQexec(PGC(db)->c, sql);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = pg_error(db, r, what, err);
		PQclear(r);
		return rc;
	}
	h->more = PQntuples(r) == CURSOR_ROWS;
	return take_rows(h, r, err);
}

static int cursor_open(struct tm_db *db, struct pst *h, const char *what,
		       struct tolk_err *err)
{
	struct pgc *pc = PGC(db);
	size_t n = strlen(h->sql) + 64;
	char *decl = malloc(n);
	PGresult *r;
	int rc;

	if (!decl)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	snprintf(h->name, sizeof(h->name), "tolkc%lu", ++pc->nextname);
	snprintf(decl, n, "DECLARE %s NO SCROLL CURSOR FOR %s", h->name,
		 h->sql);
	r = PQexecParams(pc->c, decl, h->n, h->types, h->vals, h->lens, h->fmts,
			 0);
	free(decl);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		rc = pg_error(db, r, what, err);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	h->cursor = 1;
	h->cgen = pc->txgen;
	return cursor_fetch(db, h, what, err);
}

static int pg_step(struct tm_db *db, void *hp, const char *what,
		   struct tolk_err *err)
{
	struct pst *h = hp;
	struct pgc *pc = PGC(db);
	PGresult *r;
	ExecStatusType s;

	if (h->res) {
		clear_row(h);
		if (++h->row < h->nrows)
			return 1;
		return h->cursor && h->more ? cursor_fetch(db, h, what, err)
					    : 0;
	}
	if (pc->npend && h->persistent && h->prepared) {
		/* the writes sent ahead and this query: one round trip */
		int rc;

		if (!PQsendQueryPrepared(pc->c, h->name, h->n, h->vals, h->lens,
					 h->fmts, 0)) {
			if ((rc = pipe_sync(db, NULL, err)))
				return rc;
			return pg_error(db, NULL, what, err);
		}
		if ((rc = pipe_sync(db, &r, err)))
			return rc;
		goto answered;
	} else if (pc->npend || pc->failed) {
		int rc = pipe_sync(db, NULL, err);

		if (rc)
			return rc;
	}
	if (h->stream && !h->persistent && typed(h) &&
	    PQtransactionStatus(pc->c) == PQTRANS_INTRANS)
		return cursor_open(db, h, what, err);
	if (h->persistent && !h->prepared) {
		snprintf(h->name, sizeof(h->name), "tolk%lu", ++pc->nextname);
		r = PQprepare(pc->c, h->name, h->sql, h->n, h->types);
		if (PQresultStatus(r) != PGRES_COMMAND_OK &&
		    null_as_text(h, r)) {
			PQclear(r);
			r = PQprepare(pc->c, h->name, h->sql, h->n, h->types);
		}
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			int rc = pg_error(db, r, what, err);

			PQclear(r);
			return rc;
		}
		PQclear(r);
		h->prepared = 1;
	}
	if (!h->persistent) {
		r = PQexecParams(pc->c, h->sql, h->n, h->types, h->vals,
				 h->lens, h->fmts, 0);
		if (PQresultStatus(r) == PGRES_FATAL_ERROR &&
		    null_as_text(h, r)) {
			PQclear(r);
			r = PQexecParams(pc->c, h->sql, h->n, h->types, h->vals,
					 h->lens, h->fmts, 0);
		}
	} else
		r = PQexecPrepared(pc->c, h->name, h->n, h->vals, h->lens,
				   h->fmts, 0);
answered:
	s = PQresultStatus(r);
	if (s == PGRES_COMMAND_OK) {
		const char *t = PQcmdTuples(r);

		pc->changes = *t ? strtoll(t, NULL, 10) : 0;
		pc->tx_rows += pc->changes;
		h->res = r;
		h->nrows = 0;
		return 0;
	}
	if (s != PGRES_TUPLES_OK) {
		int rc = pg_error(db, r, what, err);

		PQclear(r);
		return rc;
	}
	{
		const char *t = PQcmdTuples(r);

		pc->changes = *t ? strtoll(t, NULL, 10) : 0;
	}
	return take_rows(h, r, err);
}

/* Transaction control waits for the writes before it: an error belongs
 * to the savepoint level it happened in. */
static int is_tx_control(const char *sql)
{
	return strncmp(sql, "SAVEPOINT", 9) == 0 ||
	       strncmp(sql, "RELEASE", 7) == 0 ||
	       strncmp(sql, "ROLLBACK", 8) == 0;
}

static int pg_run(struct tm_db *db, void *hp, const char *what,
		  struct tolk_err *err)
{
	struct pst *h = hp;
	struct pgc *pc = PGC(db);
	int rc;

	if (pc->failed)
		return pending_error(pc, err);
	/* the first execution prepares, which waits: a statement that
	 * cannot be prepared fails where it is */
	if (pc->write_tx && h->persistent && h->prepared &&
	    !is_tx_control(h->sql) &&
	    (pc->npend || PQenterPipelineMode(pc->c))) {
		if (!PQsendQueryPrepared(pc->c, h->name, h->n, h->vals, h->lens,
					 h->fmts, 0)) {
			if ((rc = pipe_sync(db, NULL, err)))
				return rc;
			return pg_error(db, NULL, what, err);
		}
		snprintf(pc->pend_what[pc->npend], sizeof(pc->pend_what[0]),
			 "%s", what);
		if (++pc->npend == PIPE_MAX)
			return pipe_sync(db, NULL, err);
		return 0;
	}
	rc = pg_step(db, h, what, err);
	clear_result(h);
	if (strncmp(h->sql, "ROLLBACK", 8) == 0)
		pc->txgen++;
	if (rc > 0)
		return tolk_err_set(err, TOLK_EINTERNAL,
				    "%s: the statement returned rows", what);
	return rc;
}

static int valid_col(struct pst *h, int i)
{
	return h->res && h->row >= 0 && h->row < h->nrows && i >= 0 &&
	       i < h->ncols;
}

static int pg_col_is_null(void *hp, int i)
{
	struct pst *h = hp;

	return !valid_col(h, i) || PQgetisnull(h->res, h->row, i);
}

static int64_t pg_col_int64(void *hp, int i)
{
	struct pst *h = hp;
	const char *v;

	if (pg_col_is_null(h, i))
		return 0;
	v = PQgetvalue(h->res, h->row, i);
	if (PQftype(h->res, i) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *pg_col_text(void *hp, int i)
{
	struct pst *h = hp;

	if (pg_col_is_null(h, i))
		return NULL;
	return PQgetvalue(h->res, h->row, i);
}

static const void *pg_col_blob(void *hp, int i, size_t *len)
{
	struct pst *h = hp;

	*len = 0;
	if (pg_col_is_null(h, i))
		return NULL;
	if (PQftype(h->res, i) != OID_BYTEA) {
		*len = (size_t)PQgetlength(h->res, h->row, i);
		return PQgetvalue(h->res, h->row, i);
	}
	if (!h->blob[i])
		h->blob[i] = PQunescapeBytea(
		    (const unsigned char *)PQgetvalue(h->res, h->row, i),
		    &h->bloblen[i]);
	*len = h->blob[i] ? h->bloblen[i] : 0;
	return h->blob[i];
}

/* Only the store's, glossary's and TMX header's inserts ask, each right
 * after its INSERT into a table with an identity column. */
static int64_t pg_last_id(struct tm_db *db)
{
	PGresult *r;
	int64_t v = 0;

	if (pipe_sync(db, NULL, NULL))
		return 0;
	r = PQexec(PGC(db)->c, "SELECT lastval()");

	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

static int64_t pg_changes(struct tm_db *db)
{
	/* an error is kept for the next call, and the count is not known:
	 * neither "none" nor "some" */
	if (pipe_sync(db, NULL, NULL))
		return -1;
	return PGC(db)->changes;
}

static int get_version(struct tm_db *db, int *v, struct tolk_err *err)
{
	PGresult *r = NULL;
	int rc;

	*v = 0;
	/* pg_class read as a table, with this statement's snapshot:
	 * to_regclass would look in the catalog cache, which can still
	 * say "no such table" after another tolk created it */
	if ((rc = simple(db,
			 "SELECT count(*) > 0 FROM pg_catalog.pg_class "
			 "WHERE relname = 'tolk_schema' AND relnamespace = "
			 "current_schema()::regnamespace",
			 "read schema version", &r, err)))
		return rc;
	if (PQgetvalue(r, 0, 0)[0] != 't') {
		PQclear(r);
		return 0;
	}
	PQclear(r);
	if ((rc = simple(db, "SELECT max(version) FROM tolk_schema",
			 "read schema version", &r, err)))
		return rc;
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		*v = atoi(PQgetvalue(r, 0, 0));
	PQclear(r);
	return 0;
}

static int pg_get_version(struct tm_db *db, int *v, struct tolk_err *err)
{
	struct pgc *pc = PGC(db);
	int rc;

	/* Inside a write transaction this is tm_db_migrate re-reading the
	 * version: two tolks creating the schema at once must take turns,
	 * which SQLite's write lock gives and READ COMMITTED does not. */
	if (pc->write_tx && !pc->locked) {
		if ((rc = simple(db, "SELECT pg_advisory_xact_lock(7414656)",
				 "migrate", NULL, err)))
			return rc;
		pc->locked = 1;
	}
	return get_version(db, v, err);
}

static int pg_set_version(struct tm_db *db, int v, struct tolk_err *err)
{
	char sql[200];

	snprintf(sql, sizeof(sql),
		 "CREATE TABLE IF NOT EXISTS tolk_schema "
		 "(version integer NOT NULL); DELETE FROM tolk_schema; "
		 "INSERT INTO tolk_schema VALUES (%d)",
		 v);
	return simple(db, sql, "record schema version", NULL, err);
}

static int pg_size(struct tm_db *db, int64_t *bytes, struct tolk_err *err)
{
	PGresult *r = NULL;
	int rc;

	/* the TM's tables, not the whole database it may share */
	if ((rc = simple(db,
			 "SELECT coalesce(sum(pg_total_relation_size(c.oid)), "
			 "0) FROM pg_class c WHERE c.relkind = 'r' AND "
			 "c.relnamespace = current_schema()::regnamespace",
			 "statistics", &r, err)))
		return rc;
	*bytes = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return 0;
}

static void pg_set_busy_timeout(struct tm_db *db, int ms)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "SET lock_timeout = %d", ms);
	pipe_sync(db, NULL, NULL);
	PQclear(PQexec(PGC(db)->c, sql));
}

static int pg_begin(struct tm_db *db, enum tm_db_tx kind, struct tolk_err *err)
{
	struct pgc *pc = PGC(db);
	int rc;

	rc = simple(db,
		    kind == TM_DB_WRITE
			? "BEGIN"
			: "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
		    "begin", NULL, err);
	pc->txgen++;
	if (rc == 0) {
		pc->write_tx = kind == TM_DB_WRITE;
		pc->locked = 0;
		pc->tx_rows = 0;
		pc->failed = 0;
	}
	return rc;
}

static int pg_commit(struct tm_db *db, struct tolk_err *err)
{
	struct pgc *pc = PGC(db);
	int rc = simple(db, "COMMIT", "commit", NULL, err);

	if (rc)
		return rc;
	pc->txgen++;
	pc->write_tx = pc->locked = 0;
	/* a role that does not own the tables gets a warning, no error */
	if (pc->tx_rows >= ANALYZE_ROWS)
		PQclear(PQexec(pc->c, "ANALYZE unit, variant, match_blk, "
				      "match_tok, match_sim"));
	pc->tx_rows = 0;
	return 0;
}

static void pg_rollback(struct tm_db *db)
{
	struct pgc *pc = PGC(db);

	pipe_sync(db, NULL, NULL);
	if (PQtransactionStatus(pc->c) != PQTRANS_IDLE)
		PQclear(PQexec(pc->c, "ROLLBACK"));
	pc->write_tx = pc->locked = pc->failed = 0;
	pc->txgen++;
}

const struct tm_db_ops tm_db_pg_ops = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .stream = pg_stream,
    .reset = pg_reset,
    .bind_int64 = pg_bind_int64,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .run = pg_run,
    .col_int64 = pg_col_int64,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_is_null = pg_col_is_null,
    .last_id = pg_last_id,
    .changes = pg_changes,
    .get_version = pg_get_version,
    .set_version = pg_set_version,
    .size = pg_size,
    .set_busy_timeout = pg_set_busy_timeout,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
};
