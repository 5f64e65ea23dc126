/* Access to the store's SQLite handle for the library's own modules (TMX,
 * matcher, glossary).  Not part of the public API: the CLI never sees
 * SQLite. */
#ifndef TM_STORE_INT_H
#define TM_STORE_INT_H

#include <sqlite3.h>

#include "tm/store.h"

/* Transactions must go through tm_store_begin/commit/rollback, never a
 * raw COMMIT on this handle: tm_store_commit first writes the fuzzy
 * matcher's buffered index postings of the units added. */
sqlite3 *tm_store_sqlite(struct tm_store *s);

/* Sets err from the connection's last error, prefixed with what failed. */
int tm_store_db_error(struct tm_store *s, struct tolk_err *err,
		      const char *what);

/* Prepares sql once per connection and returns the cached statement, reset
 * and with bindings cleared.  NULL on error (err set).  The store owns it. */
sqlite3_stmt *tm_store_stmt(struct tm_store *s, const char *sql,
			    struct tolk_err *err);

/* Slot of the matcher's per-connection state (tm/match_index.c), freed
 * by tm_store_close. */
struct tm_match_ctx;
struct tm_match_ctx **tm_store_match_ctx(struct tm_store *s);

#endif
