/* The translation memory store: one SQLite database file per TM.
 *
 * Opened in WAL mode with foreign keys on and a busy timeout, so lookups
 * run while an import writes.  The schema is versioned with
 * PRAGMA user_version and migrated forward at open. */
#ifndef TM_STORE_H
#define TM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "tm/unit.h"
#include "util/err.h"

struct tm_store;

enum tm_store_flags {
	/* for commands that only read or change what is there: a missing
	 * file is an error rather than created */
	TM_STORE_MUST_EXIST = 1 << 0,
	/* the caller only reads (lookups, export, check): a PostgreSQL
	 * connection may then go to a standby */
	TM_STORE_READ = 1 << 1,
	/* the caller reads much of a large TM (lookups, pre-translation):
	 * a SQLite file is mapped into memory, so that a page read is not
	 * a copy from the OS cache (implied by TM_STORE_READ; no effect on
	 * a server) */
	TM_STORE_MAPPED = 1 << 2,
};

/* What tm_store_add does with a unit that duplicates a stored one. */
enum tm_dup_policy {
	/* identical but for dates and usage counts: merge into the stored
	 * unit (newest dates, largest usage count win); else insert */
	TM_DUP_MERGE = 0,
	TM_DUP_KEEP,	/* always insert */
	TM_DUP_SKIP,	/* leave the stored unit, drop the new one */
	TM_DUP_REPLACE, /* a unit with the same source text replaces it */
	/* the same texts (every variant's language and segment) as a
	 * stored unit, whatever the notes and props: merged into it as
	 * MERGE does, and the new unit's notes and props that the stored
	 * one lacks are added to it (`tolk add`) */
	TM_DUP_MERGE_TEXTS,
};

enum tm_add_result {
	TM_ADD_INSERTED = 0,
	TM_ADD_MERGED,
	TM_ADD_SKIPPED,
	TM_ADD_REPLACED,
};

/* Schema version this build writes; databases with a higher one are
 * refused. */
int tm_store_schema_version(void);

/* Opens (creating file and parent folders unless MUST_EXIST) the TM at
 * path.  *out is the caller's, closed with tm_store_close. */
/* 1 when path names a PostgreSQL database rather than a SQLite file:
 * a postgresql:// or postgres:// URI or a libpq key=value conninfo. */
int tm_store_is_server(const char *path);

int tm_store_open(struct tm_store **out, const char *path, unsigned flags,
		  struct tolk_err *err);
void tm_store_close(struct tm_store *s);

const char *tm_store_path(const struct tm_store *s);

/* How long a write waits for another process's write to end before it
 * fails (default one minute). */
void tm_store_set_busy_timeout(struct tm_store *s, int ms);

/* Explicit transactions group many writes into one all-or-nothing
 * change; without them each write is its own transaction. */
int tm_store_begin(struct tm_store *s, struct tolk_err *err);
int tm_store_commit(struct tm_store *s, struct tolk_err *err);
void tm_store_rollback(struct tm_store *s);

/* tm_store_begin for an import (tm_tmx_import and the like, whose rows
 * alone it writes): when it opens the transaction, SQLite checks no
 * foreign keys in it (each variant's insert looked its unit up, a sixth
 * of an import's row writing); the checks are back once it commits or
 * rolls back.  Other writes inside it (glossary terms, whose renderings
 * go with a term by the foreign keys' cascade) belong in a transaction
 * of their own. */
int tm_store_begin_import(struct tm_store *s, struct tolk_err *err);

/* Stores u (its source language is its "srclang" attribute, else its first
 * variant).  *id and *result may be NULL. */
int tm_store_add(struct tm_store *s, const struct tm_unit *u,
		 enum tm_dup_policy policy, int64_t *id,
		 enum tm_add_result *result, struct tolk_err *err);

/* Works out ahead, on any thread, what tm_store_add derives from u (its
 * keys, normalised texts, serialised attributes) and keeps it with u, so
 * that the thread that writes the rows need not; u must not change
 * after.  Nothing is kept for a unit tm_store_add would refuse (it
 * reports why).  0, or TOLK_ENOMEM. */
int tm_store_prepare(struct tm_unit *u);

/* A hint that u, prepared, is about to go to tm_store_add: what its
 * duplicate lookup reads is fetched meanwhile. */
void tm_store_add_soon(struct tm_store *s, const struct tm_unit *u);

/* Bulk mode, for an import of many units in one transaction (of
 * size_hint bytes, -1 when unknown): when the TM is empty or small next to
 * it, the indexes on hashed keys are dropped and created again, sorted,
 * by tm_store_bulk_end; lookups of duplicates (policies merge and keep;
 * the others are not changed) are answered from memory meanwhile.  Adds
 * give the same units and ids either way.  Inside a transaction, which
 * must end in tm_store_bulk_end (ok 0: a rollback follows) before it
 * commits or rolls back; bulk mode can only be left that way. */
int tm_store_bulk_begin(struct tm_store *s, enum tm_dup_policy policy,
			long long size_hint, struct tolk_err *err);
int tm_store_bulk_end(struct tm_store *s, int ok, struct tolk_err *err);

/* Loads unit id into *out (the caller's).  TOLK_ENOTFOUND if absent. */
int tm_store_get(struct tm_store *s, int64_t id, struct tm_unit **out,
		 struct tolk_err *err);

/* Reads units ids[0..n) ahead, on a server in one statement, for the
 * tm_store_get of each that follows (a lookup's matches: one round trip
 * rather than three per match); on SQLite it does nothing.  Each is
 * handed out once; n 0 forgets those not taken, as does any write. */
int tm_store_prefetch(struct tm_store *s, const int64_t *ids, size_t n,
		      struct tolk_err *err);

/* Deletes unit id.  TOLK_ENOTFOUND if absent. */
int tm_store_delete(struct tm_store *s, int64_t id, struct tolk_err *err);

/* One bilingual view of a stored unit, borrowed for the callback. */
struct tm_pair {
	int64_t id;
	const char *source; /* text of the first variant in source_lang */
	const char *target; /* text of the first variant in target_lang */
	const char *source_lang, *target_lang; /* canonical tags */
};

/* Return non-zero from the callback to stop (that value is returned). */
typedef int (*tm_pair_fn)(void *ctx, const struct tm_pair *p);

/* Units whose source variant equals text after tolk_text_norm, in id
 * order, at most limit (0: no limit). */
int tm_store_find_exact(struct tm_store *s, const char *text,
			const char *source_lang, const char *target_lang,
			size_t limit, tm_pair_fn fn, void *ctx,
			struct tolk_err *err);

/* Every unit that has both languages, in id order. */
int tm_store_foreach_pair(struct tm_store *s, const char *source_lang,
			  const char *target_lang, tm_pair_fn fn, void *ctx,
			  struct tolk_err *err);

struct tm_store_pair_count {
	char source[32], target[32];
	int64_t units;
};

/* Where units came from: a file name, "add", "NB_FILE | EN_FILE" (align
 * --import); NULL for units stored without one. */
struct tm_store_origin_count {
	char *origin;
	int64_t units;
};

struct tm_store_stats {
	int64_t units, variants, bytes;
	int schema_version;
	struct tm_store_pair_count *pairs; /* owned; free with
					      tm_store_stats_release */
	size_t npairs;
	struct tm_store_origin_count *origins; /* owned, by name */
	size_t norigins;
};

int tm_store_stats(struct tm_store *s, struct tm_store_stats *st,
		   struct tolk_err *err);
void tm_store_stats_release(struct tm_store_stats *st);

#endif
