/* The library's one database layer: connection, schema migrations,
 * statements, transactions and their hooks.  Internal: the CLI never sees
 * it.  Backend-neutral so that another backend can sit beside
 * tm/db_sqlite.c: SQL is text with numbered placeholders (?1, ?2, ...),
 * values go in and out through typed binds and column reads, and no type
 * of a backend's client library appears here.
 *
 * Errors are mapped once, in the backend, to struct tolk_err with the
 * message prefixed by what the caller was doing ("insert unit: disk
 * full: ..."). */
#ifndef TM_DB_H
#define TM_DB_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct tm_db;
struct tm_db_stmt;
struct tm_store;

enum tm_db_flags {
	/* a missing database is an error rather than created */
	TM_DB_MUST_EXIST = 1 << 0,
	/* the caller only reads: a server connection may go to a standby */
	TM_DB_READ_INTENT = 1 << 1,
};

enum tm_db_tx {
	TM_DB_READ = 0, /* a consistent snapshot for reading */
	TM_DB_WRITE,	/* takes the write lock at once */
	/* or'ed in: inside an open transaction, join it instead of opening a
	 * savepoint.  A savepoint copies every page its writes touch, which
	 * for one unit of a 100k-unit import doubles the import's time;
	 * joined, a rollback of this level cannot undo it alone and dooms
	 * the transaction instead (its outermost commit fails). */
	TM_DB_JOIN = 1 << 4,
};

/* Opens (creating it and its parent folders unless MUST_EXIST) the
 * database at path, or connects to the server it names
 * (tm_db_is_server).  A database that cannot be written (read-only file
 * or folder) is opened read-only when it can be read as it is.  *out is
 * the caller's, closed with tm_db_close. */
int tm_db_open(struct tm_db **out, const char *path, unsigned flags,
	       struct tolk_err *err);

/* Rolls back an open transaction (its rollback hooks run), frees the
 * hooks' state and the statements.  NULL is a no-op. */
void tm_db_close(struct tm_db *db);

/* Where the database is, for messages: a server's conninfo without its
 * password. */
const char *tm_db_path(const struct tm_db *db);

/* 1 when path names a PostgreSQL database (a postgresql:// or
 * postgres:// URI, or a libpq key=value conninfo) rather than a SQLite
 * file. */
int tm_db_is_server(const char *path);

/* "sqlite" or "postgresql": the dialect of SQL the database speaks
 * where the schema or a statement must differ. */
const char *tm_db_backend(const struct tm_db *db);

/* 1 when opened read-only because nobody can write it. */
int tm_db_read_only(const struct tm_db *db);

/* How long a write waits for another process's write to end before it
 * fails. */
void tm_db_set_busy_timeout(struct tm_db *db, int ms);

/* Brings the schema to version n by running steps[v] .. steps[n - 1] in
 * one write transaction, from the version v the database records.  A
 * database with a version above n is refused (written by a newer
 * tolk). */
int tm_db_migrate(struct tm_db *db, const char *const *steps, int n,
		  struct tolk_err *err);

/* The schema version the database records. */
int tm_db_schema_version(struct tm_db *db, int *v, struct tolk_err *err);

/* Bytes the database takes. */
int tm_db_size(struct tm_db *db, int64_t *bytes, struct tolk_err *err);

/* Runs sql, which may hold several statements and no parameters. */
int tm_db_exec(struct tm_db *db, const char *sql, const char *what,
	       struct tolk_err *err);

/* ---- statements --------------------------------------------------------
 * tm_db_stmt returns the connection's cached statement for sql (keyed by
 * its text, prepared on first use), reset and with its bindings cleared;
 * the db owns it.  A statement whose rows are read while callbacks may use
 * the database (and that same SQL) again is prepared apart with
 * tm_db_prepare and freed with tm_db_stmt_free. */
struct tm_db_stmt *tm_db_stmt(struct tm_db *db, const char *sql,
			      struct tolk_err *err);
int tm_db_prepare(struct tm_db *db, const char *sql, struct tm_db_stmt **out,
		  struct tolk_err *err);
/* The same for a query whose rows may be many (a whole table): a server
 * sends them in batches, through a cursor, rather than all at once (a
 * round trip per batch; inside a transaction only, else all at once). */
int tm_db_prepare_rows(struct tm_db *db, const char *sql,
		       struct tm_db_stmt **out, struct tolk_err *err);
void tm_db_stmt_free(struct tm_db_stmt *st);

/* Binds: i counts from 1.  Text and blobs are borrowed until the
 * statement is reset or bound again; len -1 for a NUL-terminated text. */
void tm_db_bind_int64(struct tm_db_stmt *st, int i, int64_t v);
void tm_db_bind_text(struct tm_db_stmt *st, int i, const char *s,
		     ptrdiff_t len);
/* NULL text binds NULL. */
void tm_db_bind_text_or_null(struct tm_db_stmt *st, int i, const char *s);
/* A zero-length blob binds NULL, as the store keeps "no attributes". */
void tm_db_bind_blob(struct tm_db_stmt *st, int i, const void *p, size_t len);
void tm_db_bind_null(struct tm_db_stmt *st, int i);

/* 1 with a row, 0 when done, else the error (err set, prefixed with
 * what). */
int tm_db_step(struct tm_db_stmt *st, const char *what, struct tolk_err *err);
/* Steps a statement that returns no rows and resets it.  Inside a write
 * transaction on a server it may be sent without waiting for the answer
 * (one round trip for many writes): its error then comes from the next
 * call on the connection that waits (a step, tm_db_changes, a commit),
 * with its own what, and fails the transaction all the same. */
int tm_db_run(struct tm_db_stmt *st, const char *what, struct tolk_err *err);
void tm_db_reset(struct tm_db_stmt *st);

/* Columns of the current row, i counting from 0.  Text and blobs are
 * borrowed until the next step or reset; a NULL reads as NULL, 0 or an
 * empty blob. */
int64_t tm_db_col_int64(struct tm_db_stmt *st, int i);
int tm_db_col_int(struct tm_db_stmt *st, int i);
const char *tm_db_col_text(struct tm_db_stmt *st, int i);
/* len may be NULL; tm_db_col_bytes reads the length alone */
const void *tm_db_col_blob(struct tm_db_stmt *st, int i, size_t *len);
size_t tm_db_col_bytes(struct tm_db_stmt *st, int i);
int tm_db_col_is_null(struct tm_db_stmt *st, int i);

/* Id of the row the last INSERT made, and rows the last write changed
 * (-1 when a write sent ahead failed: its error comes from the next
 * call). */
int64_t tm_db_last_id(struct tm_db *db);
int64_t tm_db_changes(struct tm_db *db);

/* ---- transactions ------------------------------------------------------
 * They nest: the outermost begin starts the transaction, an inner one a
 * savepoint that its commit releases and its rollback undoes alone (the
 * outer work stays).  Every begin is matched by one commit or rollback. A
 * failed commit leaves the level open: roll it back. */
int tm_db_begin(struct tm_db *db, unsigned kind, struct tolk_err *err);
int tm_db_commit(struct tm_db *db, struct tolk_err *err);
void tm_db_rollback(struct tm_db *db);
/* Levels open: 0 outside a transaction. */
int tm_db_depth(const struct tm_db *db);

/* State kept in memory alongside a transaction (the match index buffers
 * postings and writes them in one sorted batch).  Registered once per
 * connection; ctx is found again with tm_db_hooks_ctx and freed by
 * free() at tm_db_close. */
struct tm_db_hooks {
	/* before the outermost COMMIT; an error fails the commit */
	int (*pre_commit)(void *ctx, struct tolk_err *err);
	/* a savepoint is about to open inside level depth (>= 1): what the
	 * hook keeps for later writes goes to the database now, or the
	 * savepoint's rollback would take it; an error fails the begin */
	int (*opening)(void *ctx, int depth, struct tolk_err *err);
	/* a level opened: depth 1 is the transaction, 2.. savepoints; an
	 * error undoes the begin */
	int (*opened)(void *ctx, int depth, struct tolk_err *err);
	/* level depth was rolled back (1: the whole transaction) */
	void (*rolled_back)(void *ctx, int depth);
	void (*free)(void *ctx);
};

int tm_db_hooks_add(struct tm_db *db, const struct tm_db_hooks *h, void *ctx,
		    struct tolk_err *err);
/* The ctx registered with h, or NULL. */
void *tm_db_hooks_ctx(struct tm_db *db, const struct tm_db_hooks *h);

/* The connection of a store, for the library's modules that keep their
 * data in it (TMX headers, glossary, match index). */
struct tm_db *tm_store_db(struct tm_store *s);

#endif
