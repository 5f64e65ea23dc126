/* What a database backend provides to tm/db.c, which keeps the parts
 * every backend shares: the statement cache, nested transactions and
 * their hooks, migrations.  Only tm/db.c and tm/db_<backend>.c include
 * this.  Statement handles are the backend's (void *). */
#ifndef TM_DB_INT_H
#define TM_DB_INT_H

#include "tm/db.h"

struct tm_db_ops {
	const char *name;
	/* sets db->conn (and db->read_only); on error leaves nothing open */
	int (*open)(struct tm_db *db, const char *path, unsigned flags,
		    struct tolk_err *err);
	void (*close)(struct tm_db *db);
	int (*exec)(struct tm_db *db, const char *sql, const char *what,
		    struct tolk_err *err);
	/* persistent: kept for the connection's life (the cache) */
	int (*prepare)(struct tm_db *db, const char *sql, int persistent,
		       void **h, struct tolk_err *err);
	void (*finalize)(void *h);
	/* optional: a statement from tm_db_prepare_rows */
	void (*stream)(void *h);
	void (*reset)(void *h, int clear_bindings);
	void (*bind_int64)(void *h, int i, int64_t v);
	void (*bind_text)(void *h, int i, const char *s, ptrdiff_t len);
	void (*bind_blob)(void *h, int i, const void *p, size_t len);
	void (*bind_null)(void *h, int i);
	/* 1 row, 0 done, else err set */
	int (*step)(struct tm_db *db, void *h, const char *what,
		    struct tolk_err *err);
	/* optional: a statement that returns no rows, run and reset; it may
	 * be sent without waiting for its answer, its error then coming
	 * from a later call (NULL: step and reset) */
	int (*run)(struct tm_db *db, void *h, const char *what,
		   struct tolk_err *err);
	int64_t (*col_int64)(void *h, int i);
	const char *(*col_text)(void *h, int i);
	const void *(*col_blob)(void *h, int i, size_t *len);
	int (*col_is_null)(void *h, int i);
	int64_t (*last_id)(struct tm_db *db);
	int64_t (*changes)(struct tm_db *db);
	int (*get_version)(struct tm_db *db, int *v, struct tolk_err *err);
	int (*set_version)(struct tm_db *db, int v, struct tolk_err *err);
	int (*size)(struct tm_db *db, int64_t *bytes, struct tolk_err *err);
	void (*set_busy_timeout)(struct tm_db *db, int ms);
	/* the outermost transaction (savepoints are portable SQL) */
	int (*begin)(struct tm_db *db, enum tm_db_tx kind,
		     struct tolk_err *err);
	int (*commit)(struct tm_db *db, struct tolk_err *err);
	void (*rollback)(struct tm_db *db);
};

struct tm_db_stmt {
	struct tm_db *db;
	void *h;
	char *sql; /* cached statements: the key (owned) */
	size_t hash;
	struct tm_db_stmt *next; /* cache bucket chain */
};

struct tm_db_hook {
	const struct tm_db_hooks *h;
	void *ctx;
};

struct tm_db {
	const struct tm_db_ops *ops;
	void *conn;
	char *path;
	int read_only;
	int wal_at_close; /* SQLite: created by this open (db_sqlite.c) */
	int busy_ms;
	int depth;	     /* transaction levels open */
	unsigned char *join; /* join[d - 1]: level d joined its parent */
	int joincap;
	int doomed; /* a joined level rolled back: no commit */
	/* callers pass the same literals again and again: their address
	 * finds the statement before the text is hashed (the text is still
	 * compared, an address may be a reused buffer) */
	struct {
		const char *sql;
		struct tm_db_stmt *st;
	} memo[64];
	struct tm_db_stmt **bucket;
	size_t nbucket, ncached;
	struct tm_db_hook *hooks;
	size_t nhooks;
};

extern const struct tm_db_ops tm_db_sqlite_ops;
extern const struct tm_db_ops tm_db_pg_ops;

#endif
