#include "tm/store.h"
#include "tm/context_int.h"
#include "tm/context.h"
#include "tm/db.h"
#include "tm/keyblk_int.h"
#include "tm/match_int.h"
#include "tm/unit_int.h"
#include "tm/vars_int.h"
#include "util/buf.h"
#include "util/hash.h"
#include "util/lang.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A unit's duplicate key: 128 bits of hash (dup_key below), stored as
 * unit.dup_hi and unit.dup_lo. */
struct dup_key {
	uint64_t hi, lo;
};

/* The units added in bulk mode (tm_store_bulk_begin) by the hash of their
 * duplicate key: open addressing, each slot the hash's high 32 bits and
 * the unit's id (0: empty). */
struct bulk_map {
	uint64_t *slot;
	size_t cap, n;
};

/* Rows of units added in bulk mode, written ROWS_UNITS units at a time
 * (see rows_add).  Strings are offsets into bytes: it grows. */
/* A string in the rows' bytes, its length kept so that SQLite need not
 * count it again: a bind of -1 bytes scans the text two bytes a step. */
struct row_str {
	size_t off, len; /* off SIZE_MAX: NULL */
};

struct row_unit {
	int64_t id;
	struct dup_key key;
	struct row_str src, origin;
	size_t blob, bloblen;
	size_t vars, varslen; /* its variants' blob (tm/vars_int.h) */
};

#define ROWS_UNITS 32

struct rows {
	struct row_unit u[ROWS_UNITS];
	size_t nu;
	char *bytes;
	size_t nbytes, bcap;
	int64_t next_id; /* the next unit's id, 0: to be read */
	/* the INSERT of ROWS_UNITS units, and the same without their ids
	 * (see rows_flush) */
	char *sql_units, *sql_append;
	/* a unit's variants on their way into its blob */
	struct tm_var *tv;
	size_t tvcap;
};

/* Key-table entries collected in bulk mode (tm_keyblk_entry), written
 * sorted at its end, on the writer alone.  Kept in KEYSET_PARTS parts by
 * their high bits (the keys are hashes: the parts fill evenly), each
 * part sorted on its own and the parts in order: one array of them all
 * took the sort's moves all over a few megabytes, a miss of the caches
 * each (40 ms at 200,000 units); a part stays in them. */
#define KEYSET_BITS  6
#define KEYSET_PARTS (1u << KEYSET_BITS)

struct keyset {
	struct keypart {
		uint64_t *e;
		size_t n, cap;
	} part[KEYSET_PARTS];
};

struct tm_store {
	struct tm_db *db;
	int pg;	    /* PostgreSQL: its schema and upsert statements */
	int bulk;   /* in bulk mode: see tm_store_bulk_begin */
	int fk_off; /* foreign keys unchecked: tm_store_begin_import */
	enum tm_dup_policy bulk_policy;
	int64_t bulk_cache;  /* the page cache size to go back to */
	int64_t cache_after; /* not 0: bulk_cache, once the transaction ends */
	struct bulk_map dups;
	struct rows rows;	   /* bulk mode's rows not yet written */
	struct keyset kdup, knorm; /* bulk mode's key-table entries */
	/* units read ahead (tm_store_prefetch), NULL once handed out */
	struct tm_unit **pre;
	size_t npre;
};

static void rows_release(struct rows *r)
{
	free(r->bytes);
	free(r->sql_units);
	free(r->sql_append);
	free(r->tv);
	memset(r, 0, sizeof(*r));
}

static void keyset_release(struct keyset *k)
{
	size_t i;

	for (i = 0; i < KEYSET_PARTS; i++)
		free(k->part[i].e);
	memset(k, 0, sizeof(*k));
}

static void prefetch_clear(struct tm_store *s)
{
	size_t i;

	for (i = 0; i < s->npre; i++)
		tm_unit_free(s->pre[i]);
	free(s->pre);
	s->pre = NULL;
	s->npre = 0;
}

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
    /* match (tm/match.c): candidate index of the fuzzy matcher.
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
    /* 1 -> 2: the variants of a unit ranked within their language (nth
     * 0 is the one a unit's language pair and the match index take), and
     * the file format the match index was written in (tm/match.c).
     * Both portable SQL. */
    "CREATE VIEW lang_variant AS SELECT v.*, "
    "  (SELECT count(*) FROM variant x WHERE x.unit_id = v.unit_id "
    "   AND x.lang_key = v.lang_key AND x.seq < v.seq) AS nth "
    "FROM variant v;"
    "CREATE TABLE tolk_meta ("
    "  name TEXT PRIMARY KEY,"
    "  value TEXT NOT NULL"
    ");",
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
    /* ---- 3 -> 4: context of units (tm/context.c) ----------------------
     * Hashes of the source texts before and after a unit in its
     * document, for units that have them (prev/next props). */
    "CREATE TABLE unit_context ("
    "  unit_id INTEGER PRIMARY KEY REFERENCES unit(id) ON DELETE CASCADE,"
    "  prev INTEGER NOT NULL,"
    "  next INTEGER NOT NULL"
    ");",
    /* ---- end of 3 -> 4 ---- */
    /* ---- 4 -> 5: the match index's similar words (tm/match.c)
     * Each distinct word (loose form) of the indexed texts under its
     * stem key and its two typo keys: a lookup finds the words similar
     * to its own here and reads their postings, so that a unit is
     * posted under its words alone. */
    "CREATE TABLE match_sim ("
    "  tok INTEGER NOT NULL,"
    "  word TEXT NOT NULL,"
    "  PRIMARY KEY (tok, word)"
    ") WITHOUT ROWID;"
    /* The postings in blocks: the units of one key and length, sorted,
     * as the varint gaps between them (tm/match.c).  The old
     * postings go: their index format is refused until `tolk reindex`
     * anyway, which fills the blocks. */
    "DROP TABLE IF EXISTS match_post;"
    "CREATE TABLE match_blk ("
    "  tok INTEGER NOT NULL,"
    "  len INTEGER NOT NULL,"
    "  first INTEGER NOT NULL," /* its first unit */
    "  ids BLOB,"		/* the gaps to the others, LEB128; NULL: none */
    "  PRIMARY KEY (tok, len, first)"
    ") WITHOUT ROWID;",
    /* ---- end of 4 -> 5 ---- */
    /* ---- 5 -> 6: the exact-match index on a hash of the normalised
     * source rather than on its text (which doubled the text's bytes
     * twice: column and index).  norm_key is norm_key() below; rows
     * older than it get theirs at the next open that can write
     * (store_backfill), marked pending in tolk_meta. */
    "DROP INDEX IF EXISTS variant_norm;"
    "ALTER TABLE variant DROP COLUMN norm;"
    "ALTER TABLE variant ADD COLUMN norm_key INTEGER;"
    "CREATE INDEX variant_norm_key ON variant(lang_key, norm_key);"
    "INSERT INTO tolk_meta(name, value) SELECT 'variant_norm_key', "
    "'pending' WHERE EXISTS (SELECT 1 FROM variant);",
    /* ---- end of 5 -> 6 ---- */
    /* ---- 6 -> 7: the hashed keys as integers (issue 14).  The
     * duplicate key's 128 bits as two integers rather than 32 hex
     * characters, the index on the high half alone (a hash: the low
     * half rarely has anything left to tell apart); the exact-match
     * index on norm_key alone, the language checked on the row.  An
     * import builds both indexes again at its end (bulk mode): on
     * integers SQLite's sort compares them without decoding a text. */
    "DROP INDEX unit_dup;"
    "DROP INDEX variant_norm_key;"
    "ALTER TABLE unit ADD COLUMN dup_hi INTEGER;"
    "ALTER TABLE unit ADD COLUMN dup_lo INTEGER;"
    /* tolk_hex64: tm/db_sqlite.c */
    "UPDATE unit SET dup_hi = tolk_hex64(dup_key, 1), "
    "dup_lo = tolk_hex64(dup_key, 17);"
    "ALTER TABLE unit DROP COLUMN dup_key;"
    "CREATE INDEX unit_dup ON unit(dup_hi);"
    "CREATE INDEX variant_norm_key ON variant(norm_key);",
    /* ---- end of 6 -> 7 ---- */
    /* ---- 7 -> 8: the two hashed keys' indexes become key tables
     * (tm/keyblk_int.h: a row per bucket of keys, the bucket's units in
     * a blob), which an import writes from its keys sorted in memory
     * rather than by two CREATE INDEX at its end (issue 14).  tolk_keyblk
     * and tolk_keyblk_bucket: tm/db_sqlite.c. */
    "CREATE TABLE key_dup (b INTEGER PRIMARY KEY, entries BLOB NOT NULL);"
    "CREATE TABLE key_norm (b INTEGER PRIMARY KEY, entries BLOB NOT NULL);"
    "INSERT INTO key_dup(b, entries) "
    "SELECT tolk_keyblk_bucket(dup_hi), tolk_keyblk(dup_hi, id) "
    "FROM unit WHERE dup_hi IS NOT NULL GROUP BY 1;"
    "INSERT INTO key_norm(b, entries) "
    "SELECT tolk_keyblk_bucket(norm_key), tolk_keyblk(norm_key, unit_id) "
    "FROM variant WHERE norm_key IS NOT NULL GROUP BY 1;"
    "DROP INDEX unit_dup;"
    "DROP INDEX variant_norm_key;",
    /* ---- end of 7 -> 8 ---- */
    /* ---- 8 -> 9 (match index): one row per key (tm/match.c), the
     * count of its units and, while they are small, its posting blocks
     * inline; a bigger key's blocks stay in match_blk (post NULL).  The
     * counts come over as they are, every key's blocks in match_blk:
     * readers take both, so no reindex is needed. */
    "CREATE TABLE match_tok (tok INTEGER PRIMARY KEY, n INTEGER NOT NULL,"
    " post BLOB);"
    /* a database that lost it (a hand-made one) has no counts */
    "CREATE TABLE IF NOT EXISTS match_df (tok INTEGER PRIMARY KEY,"
    " n INTEGER NOT NULL);"
    "INSERT INTO match_tok(tok, n) SELECT tok, n FROM match_df;"
    "DROP TABLE match_df;",
    /* ---- end of 8 -> 9 (match index) ---- */
    /* ---- 9 -> 10: a unit's variants in its own row, one blob
     * (tm/vars_int.h), rather than a row each in variant: an import
     * writes one row per unit, and every reader read them by unit
     * anyway.  tolk_vars_pack: tm/db_sqlite.c.  Rows still waiting for
     * their norm_key (tolk_meta's variant_norm_key) keep none in the
     * blob; store_backfill fills them there. */
    "ALTER TABLE unit ADD COLUMN vars BLOB;"
    "UPDATE unit SET vars = (SELECT tolk_vars_pack(seq, lang, lang_key, "
    "text, markup, norm_key, attrs) FROM variant WHERE unit_id = unit.id);"
    "DROP VIEW lang_variant;"
    "DROP TABLE variant;",
    /* ---- end of 9 -> 10 ---- */
    /* ---- 10 -> 11 (match index): keys with one unit as entries of
     * their bucket's row (tm/match.c, one_find) rather than a row each
     * in match_tok.  A key's row is read first: the keys already
     * written keep their rows, and the lookups find the same units,
     * until a reindex moves them. */
    "CREATE TABLE match_one (b INTEGER PRIMARY KEY, post BLOB NOT NULL);",
    /* ---- end of 10 -> 11 (match index) ---- */
};

/* The same schema on PostgreSQL, step for step (entry i is the same
 * version change as migrations[i]; append to both).  Its own types:
 * identity ids, bytea, text compared byte by byte (COLLATE "C", as SQLite
 * does, so that every ORDER BY gives the same output on both).  A unit
 * added by a merging write is unique by dup_key (kept: added with
 * --duplicates keep, outside the constraint): two translators adding the
 * same pair at once end with one unit (tm_store_add's ON CONFLICT). */
static const char *const pg_migrations[] = {
    "CREATE TABLE unit ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  dup_key text COLLATE \"C\" NOT NULL,"
    "  src_key text COLLATE \"C\" NOT NULL,"
    "  origin text COLLATE \"C\","
    "  attrs bytea,"
    "  kept boolean NOT NULL DEFAULT false"
    ");"
    "CREATE INDEX unit_dup ON unit(dup_key);"
    "CREATE UNIQUE INDEX unit_dup_once ON unit(dup_key) WHERE NOT kept;"
    "CREATE TABLE variant ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  unit_id bigint NOT NULL REFERENCES unit(id) ON DELETE CASCADE,"
    "  seq bigint NOT NULL,"
    "  lang text COLLATE \"C\" NOT NULL,"
    "  lang_key text COLLATE \"C\" NOT NULL,"
    "  text text COLLATE \"C\" NOT NULL,"
    "  markup text COLLATE \"C\","
    "  norm text COLLATE \"C\" NOT NULL,"
    "  attrs bytea"
    ");"
    "CREATE INDEX variant_unit ON variant(unit_id, seq);"
    "CREATE INDEX variant_norm ON variant(lang_key, norm);"
    "CREATE TABLE extra ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  unit_id bigint NOT NULL REFERENCES unit(id) ON DELETE CASCADE,"
    "  variant_seq bigint,"
    "  seq bigint NOT NULL,"
    "  kind bigint NOT NULL,"
    "  value text COLLATE \"C\" NOT NULL,"
    "  attrs bytea"
    ");"
    "CREATE INDEX extra_unit ON extra(unit_id, seq);"
    "CREATE TABLE tmx_header ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  origin text COLLATE \"C\","
    "  attrs bytea,"
    "  body text COLLATE \"C\" NOT NULL"
    ");"
    "CREATE TABLE gl_term ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  term text COLLATE \"C\" NOT NULL UNIQUE,"
    "  case_sensitive bigint NOT NULL,"
    "  note text COLLATE \"C\","
    "  pos text COLLATE \"C\","
    "  domain text COLLATE \"C\","
    "  created text COLLATE \"C\" NOT NULL,"
    "  modified text COLLATE \"C\" NOT NULL"
    ");"
    "CREATE TABLE gl_rendering ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  term_id bigint NOT NULL REFERENCES gl_term(id) ON DELETE CASCADE,"
    "  seq bigint NOT NULL,"
    "  forbidden bigint NOT NULL,"
    "  text text COLLATE \"C\" NOT NULL"
    ");"
    "CREATE INDEX gl_rendering_term ON gl_rendering(term_id, seq);"
    "CREATE TABLE match_post ("
    "  tok bigint NOT NULL,"
    "  len bigint NOT NULL,"
    "  unit_id bigint NOT NULL,"
    "  PRIMARY KEY (tok, len, unit_id)"
    ");"
    "CREATE TABLE match_df (tok bigint PRIMARY KEY, n bigint NOT NULL);",
    "CREATE VIEW lang_variant AS SELECT v.*, "
    "  (SELECT count(*) FROM variant x WHERE x.unit_id = v.unit_id "
    "   AND x.lang_key = v.lang_key AND x.seq < v.seq) AS nth "
    "FROM variant v;"
    "CREATE TABLE tolk_meta ("
    "  name text COLLATE \"C\" PRIMARY KEY,"
    "  value text COLLATE \"C\" NOT NULL"
    ");",
    "CREATE TABLE gl_exception ("
    "  id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
    "  term_id bigint NOT NULL REFERENCES gl_term(id) ON DELETE CASCADE,"
    "  seq bigint NOT NULL,"
    "  text text COLLATE \"C\" NOT NULL"
    ");"
    "CREATE INDEX gl_exception_term ON gl_exception(term_id, seq);",
    "CREATE TABLE unit_context ("
    "  unit_id bigint PRIMARY KEY REFERENCES unit(id) ON DELETE CASCADE,"
    "  prev bigint NOT NULL,"
    "  next bigint NOT NULL"
    ");",
    /* 4 -> 5: the match index's vocabulary and posting blocks */
    "CREATE TABLE match_sim ("
    "  tok bigint NOT NULL,"
    "  word text COLLATE \"C\" NOT NULL,"
    "  PRIMARY KEY (tok, word)"
    ");"
    "DROP TABLE IF EXISTS match_post;"
    "CREATE TABLE match_blk ("
    "  tok bigint NOT NULL,"
    "  len bigint NOT NULL,"
    "  first bigint NOT NULL,"
    "  ids bytea,"
    "  PRIMARY KEY (tok, len, first)"
    ");",
    /* 5 -> 6: the exact-match index on norm_key.  A view's v.* is
     * expanded when it is created: lang_variant goes and comes back
     * with the new column. */
    "DROP VIEW lang_variant;"
    "DROP INDEX IF EXISTS variant_norm;"
    "ALTER TABLE variant DROP COLUMN norm;"
    "ALTER TABLE variant ADD COLUMN norm_key bigint;"
    "CREATE INDEX variant_norm_key ON variant(lang_key, norm_key);"
    "CREATE VIEW lang_variant AS SELECT v.*, "
    "  (SELECT count(*) FROM variant x WHERE x.unit_id = v.unit_id "
    "   AND x.lang_key = v.lang_key AND x.seq < v.seq) AS nth "
    "FROM variant v;"
    "INSERT INTO tolk_meta(name, value) SELECT 'variant_norm_key', "
    "'pending' WHERE EXISTS (SELECT 1 FROM variant);",
    /* 6 -> 7: the hashed keys as integers; a merging write's unit is
     * unique by both halves */
    "DROP INDEX unit_dup;"
    "DROP INDEX unit_dup_once;"
    "DROP INDEX variant_norm_key;"
    "ALTER TABLE unit ADD COLUMN dup_hi bigint, ADD COLUMN dup_lo bigint;"
    "UPDATE unit SET "
    "dup_hi = ('x' || substr(dup_key, 1, 16))::bit(64)::bigint, "
    "dup_lo = ('x' || substr(dup_key, 17, 16))::bit(64)::bigint;"
    "ALTER TABLE unit ALTER COLUMN dup_hi SET NOT NULL, "
    "ALTER COLUMN dup_lo SET NOT NULL, DROP COLUMN dup_key;"
    "CREATE INDEX unit_dup ON unit(dup_hi);"
    "CREATE UNIQUE INDEX unit_dup_once ON unit(dup_hi, dup_lo) "
    "WHERE NOT kept;"
    "CREATE INDEX variant_norm_key ON variant(norm_key);",
    /* 7 -> 8: nothing.  PostgreSQL keeps its indexes: it has no bulk
     * path to spare them, and its merging upsert relies on the unique
     * one (unit_dup_once); the store's SQL for it reads them. */
    "SELECT 1;",
    /* 8 -> 9 (match index): the counts in match_tok; a server's blocks
     * all stay in match_blk (post NULL: inline lists save an SQLite
     * import its row writes, a server's round trips are per key
     * either way) */
    "CREATE TABLE match_tok (tok bigint PRIMARY KEY, n bigint NOT NULL,"
    " post bytea);"
    "CREATE TABLE IF NOT EXISTS match_df (tok bigint PRIMARY KEY,"
    " n bigint NOT NULL);"
    "INSERT INTO match_tok(tok, n) SELECT tok, n FROM match_df;"
    "DROP TABLE match_df;",
    /* 9 -> 10: nothing.  A server keeps its variant rows: it has no bulk
     * path whose rows they would cost, and its statements read them
     * (tm/vars.c packs a unit's into the blob SQLite stores). */
    "SELECT 1;",
    /* 10 -> 11: the table, which stays empty: a server's keys all keep
     * their rows (its round trips are per key either way), but the
     * statements that ask whether the index is empty read it */
    "CREATE TABLE match_one (b bigint PRIMARY KEY, post bytea NOT NULL);",
};

#define NMIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

_Static_assert(sizeof(pg_migrations) == sizeof(migrations),
	       "every schema version has a step for each backend");

int tm_store_schema_version(void)
{
	return NMIGRATIONS;
}

struct tm_db *tm_store_db(struct tm_store *s)
{
	return s->db;
}

const char *tm_store_path(const struct tm_store *s)
{
	return tm_db_path(s->db);
}

void tm_store_set_busy_timeout(struct tm_store *s, int ms)
{
	tm_db_set_busy_timeout(s->db, ms);
}

int tm_store_is_server(const char *path)
{
	return tm_db_is_server(path);
}

static int store_backfill(struct tm_store *s, struct tolk_err *err);
static void compact(struct tm_store *s);

/* A lookup at a million units reads a few hundred pages, most of them
 * in the OS cache: mapped, each costs no read() and no copy (a fifth of
 * a pre-translation's CPU time went there).  SQLite caps the size at
 * what it was built for (2 GB by default); the pages beyond are read as
 * before.  The file is only mapped for readers: an import's resident
 * size would count the mapped pages it writes. */
static const char SQL_MMAP[] = "PRAGMA mmap_size = 2147418112";

int tm_store_open(struct tm_store **out, const char *path, unsigned flags,
		  struct tolk_err *err)
{
	struct tm_store *s;
	int rc, before = 0;

	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if ((rc = tm_db_open(
		 &s->db, path,
		 ((flags & TM_STORE_MUST_EXIST) ? TM_DB_MUST_EXIST : 0) |
		     ((flags & TM_STORE_READ) ? TM_DB_READ_INTENT : 0),
		 err))) {
		tm_store_close(s);
		return rc;
	}
	s->pg = strcmp(tm_db_backend(s->db), "postgresql") == 0;
	if ((!s->pg && (rc = tm_db_schema_version(s->db, &before, err))) ||
	    (rc = tm_db_migrate(s->db, s->pg ? pg_migrations : migrations,
				NMIGRATIONS, err)) ||
	    /* a server's reader may be on a standby: its writers fill */
	    (!(s->pg && (flags & TM_STORE_READ)) &&
	     (rc = store_backfill(s, err))) ||
	    (!s->pg && (flags & (TM_STORE_READ | TM_STORE_MAPPED)) &&
	     (rc = tm_db_exec(s->db, SQL_MMAP, "map the database", err)))) {
		tm_store_close(s);
		return rc;
	}
	/* The upgrade to schema 10 rewrote every unit row with its
	 * variants and then freed the variant table's pages: two fifths of
	 * the file (300 MB at a million units), which only an import would
	 * fill again.  Given back once, at the cost of another copy's time
	 * (2.6 s at a million units against the upgrade's 6.6 s) and room;
	 * where that fails (a full disk) the TM keeps its free pages. */
	if (!s->pg && before > 0 && before < 10 && !tm_db_read_only(s->db))
		compact(s);
	*out = s;
	return 0;
}

void tm_store_close(struct tm_store *s)
{
	if (!s)
		return;
	prefetch_clear(s);
	free(s->dups.slot);
	rows_release(&s->rows);
	keyset_release(&s->kdup);
	keyset_release(&s->knorm);
	tm_db_close(s->db);
	free(s);
}

int tm_store_begin(struct tm_store *s, struct tolk_err *err)
{
	prefetch_clear(s);
	return tm_db_begin(s->db, TM_DB_WRITE, err);
}

static int set_cache(struct tm_store *s, int64_t n, struct tolk_err *err);

/* Once an import's transaction is over: the foreign keys checked again
 * (SQLite ignores the pragma inside one), the page cache as it was. */
static void fk_restore(struct tm_store *s)
{
	if (tm_db_depth(s->db) != 0)
		return;
	if (s->fk_off) {
		s->fk_off = 0;
		tm_db_exec(s->db, "PRAGMA foreign_keys = ON", "foreign keys",
			   NULL);
	}
	if (s->cache_after) {
		set_cache(s, s->cache_after, NULL);
		s->cache_after = 0;
	}
}

/* Nothing an import writes relies on SQLite's foreign keys: a unit's
 * rows go in after it, and tm_store_delete deletes a unit's extras and
 * context (and a server's variant rows) itself rather than through the
 * cascade. */
int tm_store_begin_import(struct tm_store *s, struct tolk_err *err)
{
	int rc;

	prefetch_clear(s);
	if (!s->pg && tm_db_depth(s->db) == 0) {
		if ((rc = tm_db_exec(s->db, "PRAGMA foreign_keys = OFF",
				     "foreign keys", err)))
			return rc;
		s->fk_off = 1;
	}
	if ((rc = tm_db_begin(s->db, TM_DB_WRITE, err)))
		fk_restore(s);
	return rc;
}

int tm_store_commit(struct tm_store *s, struct tolk_err *err)
{
	int rc = tm_db_commit(s->db, err);

	fk_restore(s);
	return rc;
}

void tm_store_rollback(struct tm_store *s)
{
	tm_db_rollback(s->db);
	fk_restore(s);
}

/* ---- exact-match keys ---------------------------------------------------
 * A variant's norm_key (in unit.vars; a server's variant.norm_key):
 * FNV-1a of the tolk_text_norm form (util/hash.h is part of the file
 * format). */

/* The key of a normalised text from its FNV-1a (a caller may have
 * hashed the text on the way, as tm_store_prepare does). */
static int64_t norm_key_of(uint64_t fnv)
{
	return (int64_t)tolk_hash_fmix64(fnv);
}

static int64_t norm_key(const struct tolk_buf *norm)
{
	return norm_key_of(
	    tolk_fnv64(norm->data, norm->len, TOLK_FNV64_OFFSET));
}

/* Is text's normalised form norm?  1, 0, or a negative error. */
static int same_norm(const char *text, const struct tolk_buf *norm,
		     struct tolk_err *err)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	int rc;

	if (!text)
		return 0;
	if ((rc = tolk_text_norm(text, strlen(text), &b, err)) == 0)
		rc = b.len == norm->len &&
		     memcmp(b.data ? b.data : "", norm->data ? norm->data : "",
			    b.len) == 0;
	tolk_buf_free(&b);
	return rc;
}

enum key_table { KEY_DUP, KEY_NORM };

static int key_add(struct tm_store *s, enum key_table t, int64_t key,
		   int64_t id, struct tolk_err *err);

/* SQLite: store_backfill's keys, in the blobs (tm/vars_int.h) of the
 * units with a variant that has none. */
static int backfill_vars(struct tm_store *s, struct tolk_err *err)
{
	struct tolk_buf norm = TOLK_BUF_INIT, out = TOLK_BUF_INIT;
	struct tm_db_stmt *rd = NULL, *wr;
	struct tm_var *tv = NULL;
	struct tm_vars_it it;
	size_t cap = 0, n, i;
	int rc, step;

	if ((rc = tm_db_prepare(s->db, "SELECT id, vars FROM unit", &rd, err)))
		goto done;
	while ((step = tm_db_step(rd, "fill norm_key", err)) == 1) {
		int64_t id = tm_db_col_int64(rd, 0);
		size_t len;
		const void *b = tm_db_col_blob(rd, 1, &len);
		int lacks = 0;

		if ((rc = tm_vars_init_id(&it, b, len, id, err)))
			goto done;
		for (n = 0;; n++) {
			if (TOLK_GROW(tv, cap, n + 1, 4))
				goto nomem;
			if ((rc = tm_vars_next(&it, &tv[n], err)) != 1)
				break;
			lacks |= !tv[n].has_key;
		}
		if (rc < 0)
			goto done;
		if (!lacks)
			continue;
		for (i = 0; i < n; i++) {
			if (tv[i].has_key)
				continue;
			tolk_buf_reset(&norm);
			if ((rc = tolk_text_norm(tv[i].text, tv[i].text_len,
						 &norm, err)))
				goto done;
			tv[i].has_key = 1;
			tv[i].norm_key = norm_key(&norm);
			if ((rc =
				 key_add(s, KEY_NORM, tv[i].norm_key, id, err)))
				goto done;
		}
		/* written from a copy: the row's bytes are the reader's */
		tolk_buf_reset(&out);
		if (tm_vars_append(&out, tv, n))
			goto nomem;
		if (!(wr = tm_db_stmt(s->db,
				      "UPDATE unit SET vars = ?2 WHERE id = ?1",
				      err))) {
			rc = err ? err->code : TOLK_EDB;
			goto done;
		}
		tm_db_bind_int64(wr, 1, id);
		tm_db_bind_blob(wr, 2, out.data, out.len);
		if ((rc = tm_db_run(wr, "fill norm_key", err)))
			goto done;
	}
	rc = step < 0 ? step : 0;
	goto done;
nomem:
	rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
done:
	tm_db_stmt_free(rd);
	tolk_buf_free(&norm);
	tolk_buf_free(&out);
	free(tv);
	return rc;
}

/* Gives the variants written before norm_key (schema 6) their key,
 * once. */
static int store_backfill(struct tm_store *s, struct tolk_err *err)
{
	static const char pending[] =
	    "SELECT 1 FROM tolk_meta WHERE name = 'variant_norm_key'";
	struct tm_db_stmt *rd = NULL, *wr;
	struct tolk_buf norm = TOLK_BUF_INIT;
	int rc, step;

	if (tm_db_read_only(s->db))
		return 0;
	if (!(rd = tm_db_stmt(s->db, pending, err)))
		return err ? err->code : TOLK_EDB;
	step = tm_db_step(rd, "read schema state", err);
	tm_db_reset(rd);
	if (step <= 0)
		return step;
	rd = NULL;
	if ((rc = tm_db_begin(s->db, TM_DB_WRITE, err)))
		return rc;
	if (!s->pg) {
		if ((rc = backfill_vars(s, err)))
			goto done;
		goto ok;
	}
	if ((rc = tm_db_prepare(s->db,
				"SELECT id, text, unit_id FROM variant "
				"WHERE norm_key IS NULL",
				&rd, err)))
		goto done;
	while ((step = tm_db_step(rd, "fill norm_key", err)) == 1) {
		const char *t = tm_db_col_text(rd, 1);
		int64_t nk;

		tolk_buf_reset(&norm);
		if ((rc = tolk_text_norm(t ? t : "", t ? strlen(t) : 0, &norm,
					 err)))
			goto done;
		if (!(wr = tm_db_stmt(s->db,
				      "UPDATE variant SET norm_key = ?2 "
				      "WHERE id = ?1",
				      err))) {
			rc = err ? err->code : TOLK_EDB;
			goto done;
		}
		tm_db_bind_int64(wr, 1, tm_db_col_int64(rd, 0));
		tm_db_bind_int64(wr, 2, nk = norm_key(&norm));
		if ((rc = tm_db_run(wr, "fill norm_key", err)) ||
		    (rc =
			 key_add(s, KEY_NORM, nk, tm_db_col_int64(rd, 2), err)))
			goto done;
	}
	if ((rc = step) < 0)
		goto done;
ok:
	rc = tm_db_exec(s->db,
			"DELETE FROM tolk_meta WHERE name = 'variant_norm_key'",
			"fill norm_key", err);
done:
	tm_db_stmt_free(rd);
	tolk_buf_free(&norm);
	if (rc == 0)
		rc = tm_db_commit(s->db, err);
	if (rc)
		tm_db_rollback(s->db);
	return rc;
}

/* ---- serialisation ---------------------------------------------------- */

static void bind_blob(struct tm_db_stmt *st, int i, const struct tolk_buf *b)
{
	tm_db_bind_blob(st, i, b->data, b->len);
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
	/* in locals: a store through h may alias s (char), which kept both
	 * in memory across every byte */
	uint64_t a = h[0], b = h[1];
	size_t i;

	/* unit.dup_hi and dup_lo are stored: util/hash.h is part of the file
	 * format */
	for (i = 0; i < n; i++) {
		a = tolk_fnv64_step(a, (unsigned char)s[i]);
		b = tolk_fnv64_step(b, (unsigned char)s[i]);
		b ^= b >> 29;
	}
	/* A separator no UTF-8 text contains keeps fields apart. */
	h[0] = tolk_fnv64_step(a, 0xff);
	h[1] = tolk_fnv64_step(b, 0xff);
}

static void hash_str(uint64_t h[2], const char *s)
{
	hash_feed(h, s ? s : "", s ? strlen(s) : 0);
}

/* hash_feed(h, s, n) and, in the same pass, FNV-1a of s from *c: a text
 * that is its own normal form is both a part of the duplicate key and
 * what its exact-match key hashes.  Three chains of multiplies side by
 * side cost little more time than the longest. */
static void hash_feed_also(uint64_t h[2], const char *s, size_t n, uint64_t *c)
{
	uint64_t a = h[0], b = h[1], x = *c;
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		a = tolk_fnv64_step(a, ch);
		b = tolk_fnv64_step(b, ch);
		b ^= b >> 29;
		x = tolk_fnv64_step(x, ch);
	}
	h[0] = tolk_fnv64_step(a, 0xff);
	h[1] = tolk_fnv64_step(b, 0xff);
	*c = x;
}

/* s[0..k) through the dup key's two chains and the norm key's FNV-1a,
 * as hash_feed_also steps. */
static inline void hash_bytes(uint64_t *a, uint64_t *b, uint64_t *x,
			      const unsigned char *s, size_t k)
{
	size_t j;

	for (j = 0; j < k; j++) {
		*a = tolk_fnv64_step(*a, s[j]);
		*b = tolk_fnv64_step(*b, s[j]);
		*b ^= *b >> 29;
		*x = tolk_fnv64_step(*x, s[j]);
	}
}

/* hash_str(h, lang), then hash_feed_also(h, s, n, c) from c = the FNV
 * offset, for a text that is its own normal form without markup, in one
 * pass that also makes tolk_text_norm_ref's test (util/text.h: words of
 * eight bytes, a character at a time for the next eight after a word
 * that fails, as its own scan) rather than one pass for the test and
 * one for the hashes.  1 when the test passed and the hashes are done;
 * 0 with h and *c untouched when it could not tell (the caller
 * normalises and hashes as before).  A text that fails wastes the
 * hashing before the failure: such texts go to ICU, which costs more. */
static int hash_plain(uint64_t h[2], const char *lang, const char *s, size_t n,
		      uint64_t *c)
{
	const unsigned char *p = (const unsigned char *)s;
	uint64_t t[2] = {h[0], h[1]}, a, b, x = TOLK_FNV64_OFFSET;
	int after_space = 1; /* a leading space is folded */
	size_t i = 0, stop = 0, k;

	if (!TOLK_TEXT_LITTLE_ENDIAN || n > INT32_MAX / 2)
		return 0;
	hash_str(t, lang);
	a = t[0];
	b = t[1];
	while (i < n) {
		if (i >= stop) {
			while (i + 8 <= n &&
			       tolk_text_plain8(tolk_text_word8(p + i),
						&after_space)) {
				hash_bytes(&a, &b, &x, p + i, 8);
				i += 8;
			}
			stop = i + 8;
			if (i >= n)
				break;
		}
		if (!(k = tolk_text_plain_char(p + i, n - i, &after_space)))
			return 0;
		hash_bytes(&a, &b, &x, p + i, k);
		i += k;
	}
	if (after_space && n > 0)
		return 0;
	h[0] = tolk_fnv64_step(a, 0xff);
	h[1] = tolk_fnv64_step(b, 0xff);
	*c = x;
	return 1;
}

/* dup_key in three steps, so that tm_store_prepare can feed it the
 * variants as it works through them: the tuid; each variant in turn;
 * the extras and the key's text. */
static void dup_begin(uint64_t h[2], const struct tm_unit *u)
{
	h[0] = TOLK_FNV64_OFFSET;
	h[1] = 0x84222325cbf29ce4ULL;
	hash_str(h, tm_attrs_get(&u->attrs, "tuid"));
}

static void dup_variant(uint64_t h[2], const struct tm_variant *v)
{
	hash_str(h, v->lang);
	hash_str(h, v->markup ? v->markup : v->text);
}

static void dup_end(uint64_t h[2], const struct tm_unit *u, struct dup_key *out)
{
	size_t i, k;

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
	out->hi = h[0];
	out->lo = h[1];
}

/* Identity of a unit for duplicate merging: tuid, every variant's language
 * and segment (with markup), every prop and note; not dates or usage. */
static void dup_key(const struct tm_unit *u, struct dup_key *out)
{
	uint64_t h[2];
	size_t i;

	dup_begin(h, u);
	for (i = 0; i < u->nvariants; i++)
		dup_variant(h, &u->variants[i]);
	dup_end(h, u, out);
}

/* The language a unit names as its source: its srclang, or the one its
 * container gave it; NULL when none or "*all*". */
static const char *source_lang(const struct tm_unit *u)
{
	const char *src = tm_attrs_get(&u->attrs, "srclang");

	if (!src)
		src = u->default_srclang;
	return src && (src[0] != '*' || strcmp(src, "*all*") != 0) ? src : NULL;
}

/* Index of the unit's source variant: the one in source_lang, else the
 * first. */
static size_t source_variant(const struct tm_unit *u)
{
	const char *src = source_lang(u);
	size_t i;

	if (src)
		for (i = 0; i < u->nvariants; i++)
			if (tolk_lang_same(u->variants[i].lang, src))
				return i;
	return 0;
}

/* 32 bits of a duplicate key, mixed: a slot keeps them, and they give
 * the slot too, so that the map grows without the keys. */
static uint32_t bulk_hash(const struct dup_key *key)
{
	return (uint32_t)(tolk_hash_fmix64(key->hi) >> 32);
}

static void bind_dup(struct tm_db_stmt *st, int i, const struct dup_key *k)
{
	tm_db_bind_int64(st, i, (int64_t)k->hi);
	tm_db_bind_int64(st, i + 1, (int64_t)k->lo);
}

/* v's exact-match key into *key, and v into the dup key h: 0, or
 * the error of normalising its text (norm is scratch). */
static int variant_keys(uint64_t h[2], const struct tm_variant *v,
			struct tolk_buf *norm, int64_t *key)
{
	struct tolk_buf view = TOLK_BUF_INIT;
	size_t len = v->text_len, nlen;
	uint64_t c;
	const char *nt;
	int rc;

	if (!v->markup && hash_plain(h, v->lang, v->text, len, &c)) {
		*key = norm_key_of(c);
		return 0;
	}
	/* most texts are their own normal form: hashed in place */
	if ((rc = tolk_text_norm_ref(v->text, len, norm, &nt, &nlen, NULL)))
		return rc;
	if (nt == v->text && !v->markup) {
		/* norm_key of the text, hashed with the dup key */
		c = TOLK_FNV64_OFFSET;
		hash_str(h, v->lang);
		hash_feed_also(h, nt, nlen, &c);
		*key = norm_key_of(c);
	} else {
		view.data = (char *)nt;
		view.len = nlen;
		*key = norm_key(&view);
		dup_variant(h, v);
	}
	return 0;
}

/* tm_store_prepare's work: per variant its language key, the hash of
 * its normalised text and its attributes as stored (at bytes[off..off +
 * len)); the unit's attributes at bytes[0..blob_len).  nvariants and
 * nextras tell a prep from one of a unit changed since. */
struct prep_variant {
	char lkey[TOLK_LANG_MAX];
	int64_t norm_key;
	size_t off, len;
};

struct tm_unit_prep {
	size_t nvariants, nextras;
	uint32_t dup_hash; /* bulk_hash(&dup) */
	struct dup_key dup;
	char src_key[TOLK_LANG_MAX];
	size_t blob_len;
	const unsigned char *bytes;
	struct prep_variant v[];
};

static const struct tm_unit_prep *prep_of(const struct tm_unit *u)
{
	const struct tm_unit_prep *p = u->prep;

	return p && p->nvariants == u->nvariants && p->nextras == u->nextras
		   ? p
		   : NULL;
}

/* Bytes of a's tm_attrs_blob. */
static size_t attrs_blob_len(const struct tm_attrs *a)
{
	size_t i, n = 0;

	for (i = 0; i < a->n; i++)
		n += strlen(a->names[i]) + strlen(a->values[i]) + 2;
	return n;
}

/* Writes a's tm_attrs_blob at out; returns the end. */
static unsigned char *attrs_blob_put(const struct tm_attrs *a,
				     unsigned char *out)
{
	size_t i, k;

	for (i = 0; i < a->n; i++) {
		k = strlen(a->names[i]) + 1;
		memcpy(out, a->names[i], k);
		out += k;
		k = strlen(a->values[i]) + 1;
		memcpy(out, a->values[i], k);
		out += k;
	}
	return out;
}

/* tolk_lang_key(lang) into key (TOLK_LANG_MAX bytes) through a memo of
 * the last tag at each place of a unit, per thread: the units of an
 * import repeat their tags, and tolk_lang_key's own memo costs a call,
 * string compares and a copy each time. */
static int lang_key_at(size_t place, const char *lang, char *key)
{
	static _Thread_local struct {
		char lang[16], key[16];
		int rc;
	} memo[4];
	size_t slot = place % 4, i, n;
	int rc;

	for (i = 0; memo[slot].lang[i] == lang[i]; i++)
		if (!lang[i]) {
			if (i == 0)
				break; /* "" is not kept */
			if (memo[slot].rc == 0)
				memcpy(key, memo[slot].key,
				       strlen(memo[slot].key) + 1);
			return memo[slot].rc;
		}
	memo[slot].lang[0] = '\0';
	rc = tolk_lang_key(lang, key, TOLK_LANG_MAX);
	n = strlen(lang);
	if (n > 0 && n < sizeof(memo[slot].lang) &&
	    (rc || strlen(key) < sizeof(memo[slot].key))) {
		if (rc == 0)
			memcpy(memo[slot].key, key, strlen(key) + 1);
		memo[slot].rc = rc;
		memcpy(memo[slot].lang, lang, n + 1);
	}
	return rc;
}

int tm_store_prepare(struct tm_unit *u)
{
	struct tolk_buf norm = TOLK_BUF_INIT;
	struct tm_unit_prep *p;
	unsigned char *b, *start;
	char skey[TOLK_LANG_MAX];
	uint64_t dh[2];
	const char *src;
	size_t i, si, head, bytes;
	int rc = 0;

	u->prep = NULL;
	if (u->nvariants == 0)
		return 0;
	/* one piece of the unit's arena, sized first */
	head = sizeof(*p) + u->nvariants * sizeof(p->v[0]);
	bytes = attrs_blob_len(&u->attrs);
	for (i = 0; i < u->nvariants; i++)
		bytes += attrs_blob_len(&u->variants[i].attrs);
	if (!(p = tm_unit_alloc(u, head + bytes + 1)))
		return TOLK_ENOMEM;
	p->nvariants = u->nvariants;
	p->nextras = u->nextras;
	p->bytes = start = (unsigned char *)p + head;
	dup_begin(dh, u);
	b = attrs_blob_put(&u->attrs, start);
	p->blob_len = (size_t)(b - start);
	for (i = 0; i < u->nvariants; i++) {
		const struct tm_variant *v = &u->variants[i];
		struct prep_variant *pv = &p->v[i];

		/* refused later, with the reason, by tm_store_add */
		if (lang_key_at(i, v->lang, pv->lkey))
			goto drop;
		if ((rc = variant_keys(dh, v, &norm, &pv->norm_key))) {
			rc = rc == TOLK_ENOMEM ? rc : 0;
			goto drop;
		}
		pv->off = (size_t)(b - start);
		b = attrs_blob_put(&v->attrs, b);
		pv->len = (size_t)(b - start) - pv->off;
	}
	/* source_variant(u), with the keys worked out above rather than
	 * two more per variant */
	src = source_lang(u);
	si = 0;
	if (src && lang_key_at(u->nvariants, src, skey) == 0)
		for (i = 0; i < u->nvariants; i++)
			if (p->v[i].lkey[0] == skey[0] &&
			    strcmp(p->v[i].lkey, skey) == 0) {
				si = i;
				break;
			}
	memcpy(p->src_key, p->v[si].lkey, strlen(p->v[si].lkey) + 1);
	dup_end(dh, u, &p->dup);
	p->dup_hash = bulk_hash(&p->dup);
	u->prep = p;
	tolk_buf_free(&norm);
	return 0;
drop:
	tolk_buf_free(&norm);
	return rc;
}

/* SQLite: one of the units key_dup gives (?3), in order */
static const char SQL_FIND_DUP[] =
    "SELECT id, attrs FROM unit WHERE id = ?3 AND dup_hi = ?1 "
    "AND dup_lo = ?2";
/* PostgreSQL: the row is locked until commit, so that two merges into
 * one unit do not lose each other's dates. */
static const char SQL_FIND_DUP_PG[] =
    "SELECT id, attrs FROM unit WHERE dup_hi = ?1 AND dup_lo = ?2 "
    "ORDER BY id LIMIT 1 FOR UPDATE";
/* norm_key only narrows: the text is normalised again and compared. */
/* PostgreSQL's (SQLite: source_of, on the units key_norm gives) */
static const char SQL_FIND_SOURCE_PG[] =
    "SELECT v.unit_id, v.text FROM variant v JOIN unit u "
    "ON u.id = v.unit_id WHERE v.lang_key = ?1 AND v.norm_key = ?2 "
    "AND u.src_key = ?1 ORDER BY v.unit_id";
static const char SQL_INSERT_UNIT[] =
    "INSERT INTO unit(dup_hi, dup_lo, src_key, origin, attrs, vars) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
/* No row back: a concurrent writer committed the same unit first (the
 * unique index unit_dup_once); the caller merges into it instead. */
static const char SQL_INSERT_UNIT_PG[] =
    "INSERT INTO unit(dup_hi, dup_lo, src_key, origin, attrs, kept) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6 = 1) "
    "ON CONFLICT (dup_hi, dup_lo) WHERE NOT kept DO NOTHING RETURNING id";
/* PostgreSQL's variant rows (SQLite's are in unit.vars) */
static const char SQL_INSERT_VARIANT[] =
    "INSERT INTO variant(unit_id, seq, lang, lang_key, text, markup, "
    "norm_key, attrs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
/* A unit's variants two at a time (most units have two): half the
 * statements of an import's rows. */
static const char SQL_INSERT_VARIANT2[] =
    "INSERT INTO variant(unit_id, seq, lang, lang_key, text, markup, "
    "norm_key, attrs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8), "
    "(?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)";
static const char SQL_INSERT_EXTRA[] =
    "INSERT INTO extra(unit_id, variant_seq, seq, kind, value, attrs) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_UPDATE_ATTRS[] =
    "UPDATE unit SET attrs = ?2 WHERE id = ?1";
/* A unit's rows, the unit last: what the foreign keys' cascade would
 * delete, which is off in an import (tm_store_begin_import).  The first
 * is a server's alone (SQLite's variants go with the unit row). */
static const char *const SQL_DELETE[] = {
    "DELETE FROM variant WHERE unit_id = ?1",
    "DELETE FROM extra WHERE unit_id = ?1",
    "DELETE FROM unit_context WHERE unit_id = ?1",
    "DELETE FROM unit WHERE id = ?1"};
static const char SQL_UPDATE_DUP_KEY[] =
    "UPDATE unit SET dup_hi = ?2, dup_lo = ?3 WHERE id = ?1";

/* Folds the dates and usage count of the new copy into the stored ones. */
static int merge_into(struct tm_store *s, int64_t id, const void *blob,
		      int bloblen, const struct tm_unit *u,
		      struct tolk_err *err)
{
	struct tm_attrs a = {0};
	struct tolk_buf b = TOLK_BUF_INIT;
	struct tm_db_stmt *st;
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
	if (!(st = tm_db_stmt(s->db, SQL_UPDATE_ATTRS, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto done;
	}
	tm_db_bind_int64(st, 1, id);
	bind_blob(st, 2, &b);
	rc = tm_db_run(st, "merge unit", err);
done:
	tm_attrs_release(&a);
	tolk_buf_free(&b);
	return rc;
}

/* Binds variant seq of unit id (v) at parameters first+1 .. first+8 of
 * an insert; lkey and blob hold what is bound until the statement runs,
 * norm is scratch; *nk is its exact-match key. */
static int bind_variant(struct tm_db_stmt *st, int first, int64_t id,
			size_t seq, const struct tm_variant *v,
			const struct tm_unit_prep *p, char lkey[TOLK_LANG_MAX],
			struct tolk_buf *norm, struct tolk_buf *blob,
			int64_t *nk, struct tolk_err *err)
{
	int rc;

	if (p) {
		const struct prep_variant *pv = &p->v[seq];

		tm_db_bind_int64(st, first + 1, id);
		tm_db_bind_int64(st, first + 2, (int64_t)seq);
		tm_db_bind_text(st, first + 3, v->lang, -1);
		tm_db_bind_text(st, first + 4, pv->lkey, -1);
		tm_db_bind_text(st, first + 5, v->text, -1);
		if (v->markup)
			tm_db_bind_text(st, first + 6, v->markup, -1);
		tm_db_bind_int64(st, first + 7, *nk = pv->norm_key);
		if (pv->len)
			tm_db_bind_blob(st, first + 8, p->bytes + pv->off,
					pv->len);
		return 0;
	}
	if (tolk_lang_key(v->lang, lkey, TOLK_LANG_MAX))
		return tolk_err_set(err, TOLK_EINPUT,
				    "'%s' is not a language tag", v->lang);
	tolk_buf_reset(norm);
	if ((rc = tolk_text_norm(v->text, strlen(v->text), norm, err)))
		return rc;
	tolk_buf_reset(blob);
	if (tm_attrs_blob(&v->attrs, blob))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	tm_db_bind_int64(st, first + 1, id);
	tm_db_bind_int64(st, first + 2, (int64_t)seq);
	tm_db_bind_text(st, first + 3, v->lang, -1);
	tm_db_bind_text(st, first + 4, lkey, -1);
	tm_db_bind_text(st, first + 5, v->text, -1);
	if (v->markup)
		tm_db_bind_text(st, first + 6, v->markup, -1);
	tm_db_bind_int64(st, first + 7, *nk = norm_key(norm));
	/* none: NULL (it was NULL or an empty blob, after what the buffer
	 * had held before; both read as no attributes) */
	if (blob->len)
		bind_blob(st, first + 8, blob);
	return 0;
}

void tm_store_add_soon(struct tm_store *s, const struct tm_unit *u)
{
	const struct tm_unit_prep *p = prep_of(u);

	/* the map is larger than the processor's caches: a lookup there
	 * waits on memory unless asked for ahead */
	if (p && s->bulk && s->dups.cap)
		__builtin_prefetch(
		    &s->dups.slot[p->dup_hash & (s->dups.cap - 1)]);
}

/* ---- bulk rows -----------------------------------------------------------
 * Each INSERT costs SQLite about as much again as the row it writes
 * (binding, stepping, ending the statement): in bulk mode on SQLite the
 * rows of units without extras are kept and written ROWS_UNITS units at
 * a time, in multi-row INSERTs.  Units get their ids here, counting on
 * from the largest there is, which is what SQLite would give them; their
 * variants go in the same row, packed here (rows_add).  Pending
 * rows are written before anything else reads or writes units (bulk_is,
 * a unit with extras, bulk_end); a rollback drops them. */

static void rows_drop(struct rows *r)
{
	r->nu = r->nbytes = 0;
	r->next_id = 0;
}

/* Copies s (n bytes, then a NUL) into r's bytes: its offset, or SIZE_MAX
 * for NULL or out of memory (*nomem set). */
static size_t rows_put(struct rows *r, const void *p, size_t n, int *nomem)
{
	size_t off = r->nbytes;

	if (!p)
		return SIZE_MAX;
	if (TOLK_GROW(r->bytes, r->bcap, r->nbytes + n + 1, 65536)) {
		*nomem = 1;
		return SIZE_MAX;
	}
	memcpy(r->bytes + off, p, n);
	r->bytes[off + n] = '\0';
	r->nbytes += n + 1;
	return off;
}

/* rows_put for the NUL-terminated s (NULL: *out is NULL). */
static void rows_str(struct rows *r, struct row_str *out, const char *s,
		     int *nomem)
{
	out->len = s ? strlen(s) : 0;
	out->off = rows_put(r, s, out->len, nomem);
}

/* "INSERT INTO table(cols) VALUES (?, ...), ..." of rows rows of ncols. */
static char *rows_sql(const char *head, int ncols, int nrows)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	int i, j, bad = tolk_buf_puts(&b, head);

	for (i = 0; i < nrows && !bad; i++) {
		bad |= tolk_buf_puts(&b, i ? ", (" : " VALUES (");
		for (j = 0; j < ncols; j++)
			bad |= tolk_buf_puts(&b, j ? ", ?" : "?");
		bad |= tolk_buf_putc(&b, ')');
	}
	if (bad) {
		tolk_buf_free(&b);
		return NULL;
	}
	return b.data;
}

static const char SQL_UNIT_ROW_HEAD[] =
    "INSERT INTO unit(id, dup_hi, dup_lo, src_key, origin, attrs, vars)";
static const char SQL_UNIT_ROW[] =
    "INSERT INTO unit(id, dup_hi, dup_lo, src_key, origin, attrs, vars) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_MAX_UNIT[] = "SELECT coalesce(max(id), 0) FROM unit";
/* rows that take the next ids, max(id) + 1 on: see rows_flush */
static const char SQL_UNIT_APPEND_HEAD[] =
    "INSERT INTO unit(dup_hi, dup_lo, src_key, origin, attrs, vars)";

/* ---- key tables (SQLite) -------------------------------------------------
 * key_dup and key_norm (tm/keyblk_int.h) stand for indexes on
 * unit.dup_hi and its variants' norm_key: every write of a unit's keys goes
 * through here, and each lookup by a key reads its bucket first.  In
 * bulk mode the entries wait in memory (struct keyset) until bulk_end.
 * PostgreSQL keeps its indexes. */

static const char *const SQL_KEY_GET[] = {
    "SELECT entries FROM key_dup WHERE b = ?1",
    "SELECT entries FROM key_norm WHERE b = ?1"};
/* a bucket's new entries merged into its stored ones */
#define KEY_UPSERT                                                             \
	" ON CONFLICT(b) DO UPDATE SET "                                       \
	"entries = tolk_keyblk_merge(entries, excluded.entries)"
static const char *const SQL_KEY_HEAD[] = {"INSERT INTO key_dup(b, entries)",
					   "INSERT INTO key_norm(b, entries)"};
/* the same without the buckets' numbers, and the number SQLite would
 * give the next (its greatest plus one, 1 in an empty table): see
 * keys_follow */
static const char *const SQL_KEY_APPEND_HEAD[] = {
    "INSERT INTO key_dup(entries)", "INSERT INTO key_norm(entries)"};
static const char *const SQL_KEY_NEXT[] = {
    "SELECT coalesce(max(b), 0) + 1 FROM key_dup",
    "SELECT coalesce(max(b), 0) + 1 FROM key_norm"};
static const char *const SQL_KEY_PUT[] = {
    "INSERT INTO key_dup(b, entries) VALUES (?1, ?2)" KEY_UPSERT,
    "INSERT INTO key_norm(b, entries) VALUES (?1, ?2)" KEY_UPSERT};
/* the bucket of unit ?1's duplicate key, without its entry; then gone
 * if that left it empty */
static const char SQL_DUP_DROP[] =
    "UPDATE key_dup SET entries = tolk_keyblk_drop(entries, ?1) WHERE b = "
    "(SELECT tolk_keyblk_bucket(dup_hi) FROM unit WHERE id = ?1)";
static const char SQL_DUP_EMPTY[] =
    "DELETE FROM key_dup WHERE length(entries) = 0 AND b = "
    "(SELECT tolk_keyblk_bucket(dup_hi) FROM unit WHERE id = ?1)";
/* the same for bucket ?2 of one of its variants' exact-match keys */
static const char SQL_NORM_DROP[] =
    "UPDATE key_norm SET entries = tolk_keyblk_drop(entries, ?1) "
    "WHERE b = ?2";
static const char SQL_NORM_EMPTY[] =
    "DELETE FROM key_norm WHERE length(entries) = 0 AND b = ?2";

#define KEY_ROWS 64 /* buckets to an INSERT in bulk_end */

/* The ids of the units that may have key in table t, each once and in
 * order: *ids (the caller's, freed also on error), *n of them. */
static int key_candidates(struct tm_store *s, enum key_table t, int64_t key,
			  int64_t **ids, size_t *n, struct tolk_err *err)
{
	struct tm_keyblk_it it;
	struct tm_db_stmt *st;
	unsigned want = tm_keyblk_low(key), low;
	size_t cap = 0, len;
	int64_t id;
	int rc;

	*ids = NULL;
	*n = 0;
	if (!(st = tm_db_stmt(s->db, SQL_KEY_GET[t], err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, tm_keyblk_bucket(key));
	if ((rc = tm_db_step(st, "find key", err)) == 1) {
		const void *b = tm_db_col_blob(st, 0, &len);

		rc = 0;
		tm_keyblk_it_init(&it, b, len);
		while (tm_keyblk_next(&it, &low, &id)) {
			if (low != want)
				continue;
			if (TOLK_GROW(*ids, cap, *n + 1, 4)) {
				rc = tolk_err_set(err, TOLK_ENOMEM,
						  "out of memory");
				break;
			}
			(*ids)[(*n)++] = id;
		}
	}
	tm_db_reset(st);
	return rc < 0 ? rc : 0;
}

static int keyset_add(struct keyset *k, int64_t key, int64_t id)
{
	uint64_t v = tm_keyblk_entry(key, id);
	struct keypart *p = &k->part[v >> (64 - KEYSET_BITS)];

	if (TOLK_GROW(p->e, p->cap, p->n + 1, 256))
		return -1;
	p->e[p->n++] = v;
	return 0;
}

static int bulk_end(struct tm_store *s, struct tolk_err *err);

/* Enters key (of table t) of unit id. */
static int key_add(struct tm_store *s, enum key_table t, int64_t key,
		   int64_t id, struct tolk_err *err)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	struct tm_db_stmt *st;
	int rc;

	if (s->pg)
		return 0;
	/* an entry in memory keeps 32 bits of id */
	if (s->bulk && id > 0xffffffffll && (rc = bulk_end(s, err)))
		return rc;
	if (s->bulk)
		return keyset_add(t == KEY_DUP ? &s->kdup : &s->knorm, key, id)
			   ? tolk_err_set(err, TOLK_ENOMEM, "out of memory")
			   : 0;
	if (tm_keyblk_put(&b, tm_keyblk_low(key), id))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (!(st = tm_db_stmt(s->db, SQL_KEY_PUT[t], err))) {
		tolk_buf_free(&b);
		return err ? err->code : TOLK_EDB;
	}
	tm_db_bind_int64(st, 1, tm_keyblk_bucket(key));
	bind_blob(st, 2, &b);
	rc = tm_db_run(st, "enter key", err);
	tolk_buf_free(&b);
	return rc;
}

/* Runs the two statements that take unit id's entries out of a bucket
 * of key_dup (b < 0: its duplicate key's) or key_norm (b). */
static int bucket_drop(struct tm_store *s, int64_t id, int64_t b,
		       struct tolk_err *err)
{
	struct tm_db_stmt *st;
	int rc, k;

	for (k = 0; k < 2; k++) {
		const char *sql = b < 0 ? (k ? SQL_DUP_EMPTY : SQL_DUP_DROP)
					: (k ? SQL_NORM_EMPTY : SQL_NORM_DROP);

		if (!(st = tm_db_stmt(s->db, sql, err)))
			return err ? err->code : TOLK_EDB;
		tm_db_bind_int64(st, 1, id);
		if (b >= 0)
			tm_db_bind_int64(st, 2, b);
		if ((rc = tm_db_run(st, "drop key", err)))
			return rc;
	}
	return 0;
}

/* Takes unit id's entries out of table t, while its rows still hold the
 * keys: the stored keys, not ones worked out again (the normalisation
 * may have changed since they were written). */
static int keys_drop(struct tm_store *s, enum key_table t, int64_t id,
		     struct tolk_err *err)
{
	struct tm_vars_unit vu = TM_VARS_UNIT_INIT;
	struct tm_vars_it it;
	struct tm_var v;
	int64_t *b = NULL;
	size_t nb = 0, cap = 0, i, j;
	int rc;

	if (s->pg)
		return 0;
	if (t == KEY_DUP)
		return bucket_drop(s, id, -1, err);
	/* each bucket once: the unit's variants first, then the writes
	 * (the reader's statement is the connection's) */
	if ((rc = tm_vars_get(&vu, s->db, id, err)) <= 0 ||
	    (rc = tm_vars_init_id(&it, vu.blob, vu.len, vu.id, err)))
		goto done;
	while ((rc = tm_vars_next(&it, &v, err)) == 1) {
		int64_t bk = tm_keyblk_bucket(v.norm_key);

		if (!v.has_key)
			continue;
		for (i = 0; i < nb && b[i] != bk; i++)
			;
		if (i < nb)
			continue;
		if (TOLK_GROW(b, cap, nb + 1, 4)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		b[nb++] = bk;
	}
	if (rc < 0)
		goto done;
	tm_vars_unit_done(&vu);
	for (j = 0; j < nb && !rc; j++)
		rc = bucket_drop(s, id, b[j], err);
done:
	tm_vars_unit_done(&vu);
	tm_vars_unit_release(&vu);
	free(b);
	return rc < 0 ? rc : 0;
}

/* Into *v the entry at part *q's *i, moved on past the parts' ends: 1,
 * or 0 after the last. */
static int keyset_at(const struct keyset *k, size_t *q, size_t *i, uint64_t *v)
{
	while (*q < KEYSET_PARTS && *i >= k->part[*q].n) {
		++*q;
		*i = 0;
	}
	if (*q == KEYSET_PARTS)
		return 0;
	*v = k->part[*q].e[*i];
	return 1;
}

/* Do buckets bk[0..n) come next in table t, one by one: the numbers
 * SQLite would give new rows?  1, 0 or a negative error. */
static int keys_follow(struct tm_store *s, enum key_table t, const int64_t *bk,
		       size_t n, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	size_t j;
	int rc;

	for (j = 1; j < n; j++)
		if (bk[j] != bk[j - 1] + 1)
			return 0;
	if (!(st = tm_db_stmt(s->db, SQL_KEY_NEXT[t], err)))
		return err ? err->code : TOLK_EDB;
	if ((rc = tm_db_step(st, "write keys", err)) == 1)
		rc = tm_db_col_int64(st, 0) == bk[0];
	tm_db_reset(st);
	return rc;
}

/* Writes a keyset's entries, sorted, a bucket a row, KEY_ROWS rows to a
 * statement, into table t (merged into buckets already there: bulk mode
 * into a small TM); empties it.  KEY_ROWS buckets that come next, one by
 * one, are new rows numbered by SQLite (see rows_flush): the same rows,
 * without a search from the table's root for each. */
static int keyset_write(struct tm_store *s, struct keyset *k, enum key_table t,
			struct tolk_err *err)
{
	struct tolk_buf sql = TOLK_BUF_INIT, b = TOLK_BUF_INIT;
	char *app = NULL;
	struct tm_db_stmt *st;
	size_t q, i = 0, j, m, r, x;
	size_t at[KEY_ROWS + 1];
	int64_t bk[KEY_ROWS];
	uint64_t v = 0;
	int rc = 0, more, fw;

	for (q = 0; q < KEYSET_PARTS; q++)
		k->part[q].n = tm_keyblk_sort(k->part[q].e, k->part[q].n);
	q = 0;
	more = keyset_at(k, &q, &i, &v);
	while (more && !rc) {
		/* the next KEY_ROWS buckets' blobs, one after the other */
		tolk_buf_reset(&b);
		at[0] = 0;
		for (m = 0; m < KEY_ROWS && more; m++) {
			bk[m] = tm_keyblk_bucket((int64_t)v);
			/* encoded in place: an append a call cost more than
			 * the entry */
			for (; more && tm_keyblk_bucket((int64_t)v) == bk[m];
			     i++, more = keyset_at(k, &q, &i, &v)) {
				if (b.len + TM_KEYBLK_ENTRY_MAX >= b.cap &&
				    tolk_buf_grow(&b, 4096))
					goto nomem;
				b.len += tm_keyblk_enc(
				    (unsigned char *)b.data + b.len,
				    tm_keyblk_low((int64_t)v),
				    (int64_t)(v & 0xffffffffu));
			}
			at[m + 1] = b.len;
		}
		if (m == KEY_ROWS && !sql.data) {
			char *head = rows_sql(SQL_KEY_HEAD[t], 2, KEY_ROWS);

			if (!head || tolk_buf_puts(&sql, head) ||
			    tolk_buf_puts(&sql, KEY_UPSERT)) {
				free(head);
				goto nomem;
			}
			free(head);
		}
		fw = m == KEY_ROWS ? keys_follow(s, t, bk, m, err) : 0;
		if (fw < 0) {
			rc = fw;
			break;
		}
		if (fw && !app &&
		    !(app = rows_sql(SQL_KEY_APPEND_HEAD[t], 1, KEY_ROWS)))
			goto nomem;
		for (r = 0; r < m && !rc; r += j) {
			j = m == KEY_ROWS ? KEY_ROWS : 1;
			if (!(st = tm_db_stmt(s->db,
					      j == 1 ? SQL_KEY_PUT[t]
					      : fw   ? app
						     : sql.data,
					      err))) {
				rc = err ? err->code : TOLK_EDB;
				break;
			}
			for (x = 0; x < j; x++) {
				int p = fw ? (int)x + 1 : 2 * (int)x + 2;

				if (!fw)
					tm_db_bind_int64(st, p - 1, bk[r + x]);
				tm_db_bind_blob(st, p, b.data + at[r + x],
						at[r + x + 1] - at[r + x]);
			}
			rc = tm_db_run(st, "write keys", err);
		}
	}
	goto done;
nomem:
	rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
done:
	free(app);
	tolk_buf_free(&sql);
	tolk_buf_free(&b);
	keyset_release(k);
	return rc;
}

static void bind_str(struct tm_db_stmt *st, int i, const struct rows *r,
		     const struct row_str *v)
{
	if (v->off != SIZE_MAX)
		tm_db_bind_text(st, i, r->bytes + v->off, (ptrdiff_t)v->len);
}

/* Binds u's row from parameter k: its id first unless it is left to
 * SQLite (!with_id). */
static void bind_unit_row(struct tm_db_stmt *st, int k, int with_id,
			  const struct rows *r, const struct row_unit *u)
{
	if (with_id)
		tm_db_bind_int64(st, k++, u->id);
	bind_dup(st, k, &u->key);
	bind_str(st, k + 2, r, &u->src);
	bind_str(st, k + 3, r, &u->origin);
	tm_db_bind_blob(st, k + 4, r->bytes + u->blob, u->bloblen);
	tm_db_bind_blob(st, k + 5, r->bytes + u->vars, u->varslen);
}

/* The id SQLite would give the next unit: the greatest plus one. */
static int next_unit_id(struct tm_store *s, int64_t *next, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	int rc;

	if (!(st = tm_db_stmt(s->db, SQL_MAX_UNIT, err)))
		return err ? err->code : TOLK_EDB;
	if ((rc = tm_db_step(st, "insert unit", err)) == 1)
		*next = tm_db_col_int64(st, 0) + 1;
	tm_db_reset(st);
	return rc < 0 ? rc : 0;
}

/* Do the pending units' ids follow the table's greatest one, one by one?
 * 1, 0 or a negative error. */
static int rows_follow(struct tm_store *s, struct tolk_err *err)
{
	const struct rows *r = &s->rows;
	int64_t next;
	size_t j;
	int rc;

	for (j = 1; j < r->nu; j++)
		if (r->u[j].id != r->u[j - 1].id + 1)
			return 0;
	if ((rc = next_unit_id(s, &next, err)))
		return rc;
	return next == r->u[0].id;
}

/* Writes the pending rows in the order they came.  A full batch whose
 * ids come next after the table's greatest leaves them to SQLite: the
 * same ids (a new rowid is the greatest plus one), the same rows, but an
 * id given is looked up first, to refuse a duplicate, and that search
 * from the root of the table was a third of an insert; a new rowid is
 * appended where the last one went. */
static int rows_flush(struct tm_store *s, struct tolk_err *err)
{
	struct rows *r = &s->rows;
	struct tm_db_stmt *st;
	size_t i = 0, j;
	int rc = 0, fw;

	if (r->nu == ROWS_UNITS) {
		if ((fw = rows_follow(s, err)) < 0)
			return fw;
		if (fw && !r->sql_append &&
		    !(r->sql_append =
			  rows_sql(SQL_UNIT_APPEND_HEAD, 6, ROWS_UNITS)))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		if (!(st = tm_db_stmt(s->db, fw ? r->sql_append : r->sql_units,
				      err)))
			return err ? err->code : TOLK_EDB;
		for (j = 0; j < ROWS_UNITS; j++)
			bind_unit_row(st, (fw ? 6 : 7) * (int)j + 1, !fw, r,
				      &r->u[j]);
		if ((rc = tm_db_run(st, "insert unit", err)))
			return rc;
		i = ROWS_UNITS;
	}
	for (; i < r->nu; i++) {
		if (!(st = tm_db_stmt(s->db, SQL_UNIT_ROW, err)))
			return err ? err->code : TOLK_EDB;
		bind_unit_row(st, 1, 1, r, &r->u[i]);
		if ((rc = tm_db_run(st, "insert unit", err)))
			return rc;
	}
	r->nu = r->nbytes = 0;
	return 0;
}

/* The variants of u (prepared: p) as tm_vars_encode takes them, into
 * *tv (of *cap, grown); -1 out of memory. */
static int prep_vars(const struct tm_unit *u, const struct tm_unit_prep *p,
		     struct tm_var **tv, size_t *cap)
{
	size_t i;

	if (TOLK_GROW(*tv, *cap, u->nvariants, 4))
		return -1;
	for (i = 0; i < u->nvariants; i++) {
		const struct tm_variant *v = &u->variants[i];
		struct tm_var *t = &(*tv)[i];

		t->seq = (int64_t)i;
		t->has_key = 1;
		t->norm_key = p->v[i].norm_key;
		t->lang = v->lang;
		t->lkey = p->v[i].lkey;
		t->text = v->text;
		t->text_len = v->text_len;
		t->markup = v->markup;
		t->attrs = p->bytes + p->v[i].off;
		t->attrs_len = p->v[i].len;
	}
	return 0;
}

/* Keeps the rows of u (prepared: p) under the next id, *idp. */
static int rows_add(struct tm_store *s, const struct tm_unit *u,
		    const struct tm_unit_prep *p, const struct dup_key *key,
		    const char *src_key, int64_t *idp, struct tolk_err *err)
{
	struct rows *r = &s->rows;
	struct row_unit *ru;
	int rc, nomem = 0;

	if (!r->sql_units &&
	    !(r->sql_units = rows_sql(SQL_UNIT_ROW_HEAD, 7, ROWS_UNITS)))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (!r->next_id && (rc = next_unit_id(s, &r->next_id, err)))
		return rc;
	if (prep_vars(u, p, &r->tv, &r->tvcap))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	ru = &r->u[r->nu];
	ru->id = r->next_id;
	ru->key = *key;
	rows_str(r, &ru->src, src_key, &nomem);
	rows_str(r, &ru->origin, u->origin, &nomem);
	ru->blob = rows_put(r, p->bytes, p->blob_len, &nomem);
	ru->bloblen = p->blob_len;
	/* the blob is packed here, on the writer: the reader thread that
	 * prepared u is an import's busiest */
	ru->varslen = tm_vars_size(r->tv, u->nvariants);
	if (nomem ||
	    TOLK_GROW(r->bytes, r->bcap, r->nbytes + ru->varslen, 65536))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	ru->vars = r->nbytes;
	tm_vars_encode((unsigned char *)r->bytes + r->nbytes, r->tv,
		       u->nvariants);
	r->nbytes += ru->varslen;
	r->nu++;
	*idp = r->next_id++;
	return r->nu == ROWS_UNITS ? rows_flush(s, err) : 0;
}

/* SQLite: the blob of u's variants (prepared: p) into out, and their
 * exact-match keys into *nk (the caller's to free, also on error). */
static int unit_vars(struct tm_store *s, const struct tm_unit *u,
		     const struct tm_unit_prep *p, struct tolk_buf *out,
		     int64_t **nk, struct tolk_err *err)
{
	struct tolk_buf norm = TOLK_BUF_INIT, attrs = TOLK_BUF_INIT;
	struct tolk_buf one = TOLK_BUF_INIT;
	struct rows *r = &s->rows;
	char(*lk)[TOLK_LANG_MAX] = NULL;
	size_t *at = NULL, n = u->nvariants, i;
	int rc = 0;

	if (!(*nk = malloc((n ? n : 1) * sizeof(**nk))))
		goto nomem;
	if (p) {
		if (prep_vars(u, p, &r->tv, &r->tvcap))
			goto nomem;
		for (i = 0; i < n; i++)
			(*nk)[i] = p->v[i].norm_key;
	} else {
		if (TOLK_GROW(r->tv, r->tvcap, n, 4) ||
		    !(lk = malloc((n ? n : 1) * sizeof(*lk))) ||
		    !(at = malloc((n + 1) * sizeof(*at))))
			goto nomem;
		for (i = 0; i < n; i++) {
			const struct tm_variant *v = &u->variants[i];

			if (tolk_lang_key(v->lang, lk[i], TOLK_LANG_MAX)) {
				rc = tolk_err_set(err, TOLK_EINPUT,
						  "'%s' is not a language tag",
						  v->lang);
				goto done;
			}
			tolk_buf_reset(&norm);
			if ((rc = tolk_text_norm(v->text, strlen(v->text),
						 &norm, err)))
				goto done;
			(*nk)[i] = norm_key(&norm);
			at[i] = attrs.len;
			if (tm_attrs_blob(&v->attrs, &one) ||
			    tolk_buf_append(&attrs, one.data, one.len))
				goto nomem;
		}
		at[n] = attrs.len;
		/* the pointers once attrs has stopped moving */
		for (i = 0; i < n; i++) {
			const struct tm_variant *v = &u->variants[i];
			struct tm_var *t = &r->tv[i];

			t->seq = (int64_t)i;
			t->has_key = 1;
			t->norm_key = (*nk)[i];
			t->lang = v->lang;
			t->lkey = lk[i];
			t->text = v->text;
			t->text_len = v->text_len;
			t->markup = v->markup;
			t->attrs = attrs.data + at[i];
			t->attrs_len = at[i + 1] - at[i];
		}
	}
	if (tm_vars_append(out, r->tv, n))
		goto nomem;
	goto done;
nomem:
	rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
done:
	free(lk);
	free(at);
	tolk_buf_free(&norm);
	tolk_buf_free(&attrs);
	tolk_buf_free(&one);
	return rc;
}

/* Inserts u; *idp 0 when a concurrent writer's identical unit won
 * (PostgreSQL only, never with kept). */
static int insert_unit(struct tm_store *s, const struct tm_unit *u,
		       const struct dup_key *key, const char *src_key, int kept,
		       int64_t *idp, struct tolk_err *err)
{
	struct tolk_buf blob = TOLK_BUF_INIT, norm = TOLK_BUF_INIT;
	struct tolk_buf vblob[2] = {TOLK_BUF_INIT, TOLK_BUF_INIT};
	struct tolk_buf vars = TOLK_BUF_INIT;
	char lkey[2][TOLK_LANG_MAX];
	const struct tm_unit_prep *p = prep_of(u);
	struct tm_db_stmt *st;
	int64_t id = 0, nk[2], *nks = NULL;
	size_t i, j, k;
	int rc = 0;

	*idp = 0;
	if (s->bulk && !s->pg && p && u->nextras == 0) {
		if ((rc = rows_add(s, u, p, key, src_key, &id, err)) ||
		    (rc = tm_match_index_add(s->db, id, u, err)))
			return rc;
		if ((rc = key_add(s, KEY_DUP, (int64_t)key->hi, id, err)))
			return rc;
		for (i = 0; i < u->nvariants; i++)
			if ((rc = key_add(s, KEY_NORM, p->v[i].norm_key, id,
					  err)))
				return rc;
		*idp = id;
		return 0;
	}
	/* the ids rows_add gives count on from this unit's */
	s->rows.next_id = 0;
	if (s->rows.nu && (rc = rows_flush(s, err)))
		return rc;
	if (!s->pg && (rc = unit_vars(s, u, p, &vars, &nks, err)))
		goto done;
	if (!(st = tm_db_stmt(
		  s->db, s->pg ? SQL_INSERT_UNIT_PG : SQL_INSERT_UNIT, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto done;
	}
	if (!p && tm_attrs_blob(&u->attrs, &blob)) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	bind_dup(st, 1, key);
	tm_db_bind_text(st, 3, src_key, -1);
	if (u->origin)
		tm_db_bind_text(st, 4, u->origin, -1);
	if (p)
		tm_db_bind_blob(st, 5, p->bytes, p->blob_len);
	else
		bind_blob(st, 5, &blob);
	if (s->pg) {
		tm_db_bind_int64(st, 6, kept);
		rc = tm_db_step(st, "insert unit", err);
		if (rc == 1)
			id = tm_db_col_int64(st, 0);
		tm_db_reset(st);
		if (rc < 0)
			goto done;
		rc = 0;
		if (!id)
			goto done;
	} else {
		bind_blob(st, 6, &vars);
		if ((rc = tm_db_run(st, "insert unit", err)))
			goto done;
		id = tm_db_last_id(s->db);
	}

	if ((rc = key_add(s, KEY_DUP, (int64_t)key->hi, id, err)))
		goto done;
	for (i = 0; !s->pg && i < u->nvariants; i++)
		if ((rc = key_add(s, KEY_NORM, nks[i], id, err)))
			goto done;
	/* a server's variant rows */
	for (i = 0; s->pg && i < u->nvariants; i += k) {
		k = u->nvariants - i >= 2 ? 2 : 1;
		if (!(st = tm_db_stmt(s->db,
				      k == 2 ? SQL_INSERT_VARIANT2
					     : SQL_INSERT_VARIANT,
				      err))) {
			rc = err ? err->code : TOLK_EDB;
			goto done;
		}
		for (j = 0; j < k; j++)
			if ((rc = bind_variant(st, 8 * (int)j, id, i + j,
					       &u->variants[i + j], p, lkey[j],
					       &norm, &vblob[j], &nk[j], err)))
				goto done;
		if ((rc = tm_db_run(st, "insert variant", err)))
			goto done;
		for (j = 0; j < k; j++)
			if ((rc = key_add(s, KEY_NORM, nk[j], id, err)))
				goto done;
	}
	for (i = 0; i < u->nextras; i++) {
		const struct tm_extra *x = &u->extras[i];

		if (tm_attrs_blob(&x->attrs, &blob)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		if (!(st = tm_db_stmt(s->db, SQL_INSERT_EXTRA, err))) {
			rc = err ? err->code : TOLK_EDB;
			goto done;
		}
		tm_db_bind_int64(st, 1, id);
		if (x->level != TM_UNIT_LEVEL)
			tm_db_bind_int64(st, 2, (int64_t)x->level);
		tm_db_bind_int64(st, 3, (int64_t)i);
		tm_db_bind_int64(st, 4, (int)x->kind);
		tm_db_bind_text(st, 5, x->value, -1);
		bind_blob(st, 6, &blob);
		if ((rc = tm_db_run(st, "insert prop", err)))
			goto done;
	}
	if ((rc = tm_match_index_add(s->db, id, u, err)) ||
	    (rc = tm_context_index_add(s->db, id, u, err)))
		goto done;
	*idp = id;
done:
	tolk_buf_free(&blob);
	tolk_buf_free(&norm);
	tolk_buf_free(&vblob[0]);
	tolk_buf_free(&vblob[1]);
	tolk_buf_free(&vars);
	free(nks);
	return rc;
}

/* PostgreSQL: skip and replace look for a stored unit with the same
 * source, then insert (or delete and insert); two writers doing so at
 * once would both find none.  They take turns on one transaction-level
 * advisory lock, so that the second looks once the first has committed.
 * One lock, not one per source: the server's lock table holds only
 * max_locks_per_transaction times max_connections locks in all (an
 * import of some 9,000 sources ran out of it), and writers that lock
 * several sources each in different orders, or hold the matcher's
 * per-word count rows while waiting for a source, deadlock.  Taking it
 * again in the same transaction costs no lock table entry. */
static const char SQL_LOCK_SOURCES_PG[] = "SELECT pg_advisory_xact_lock(?1)";
#define SOURCES_LOCK 7414657 /* beside the schema's (tm/db_pg.c) */

static int lock_sources(struct tm_store *s, struct tolk_err *err)
{
	struct tm_db_stmt *st;
	int rc;

	if (!(st = tm_db_stmt(s->db, SQL_LOCK_SOURCES_PG, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, SOURCES_LOCK);
	rc = tm_db_step(st, "lock sources", err);
	tm_db_reset(st);
	return rc < 0 ? rc : 0;
}

/* SQLite: unit id, one of the units key_norm gives, once into *ids (of
 * *cap, *n in it) for each of its variants in source language src_key
 * (its own source language too) whose text normalises to norm (of key
 * nk). */
static int source_of(struct tm_store *s, int64_t id, const char *src_key,
		     int64_t nk, const struct tolk_buf *norm, int64_t **ids,
		     size_t *cap, size_t *n, struct tolk_err *err)
{
	struct tm_vars_unit vu = TM_VARS_UNIT_INIT;
	struct tm_vars_it it;
	struct tm_var v;
	int rc, same;

	if ((rc = tm_vars_get(&vu, s->db, id, err)) <= 0)
		goto done;
	if (strcmp(vu.src_key, src_key) != 0) {
		rc = 0;
		goto done;
	}
	if ((rc = tm_vars_init_id(&it, vu.blob, vu.len, vu.id, err)))
		goto done;
	while ((rc = tm_vars_next(&it, &v, err)) == 1) {
		if (!v.has_key || v.norm_key != nk ||
		    strcmp(v.lkey, src_key) != 0)
			continue;
		if ((same = same_norm(v.text, norm, err)) < 0) {
			rc = same;
			break;
		}
		if (!same)
			continue;
		if (TOLK_GROW(*ids, *cap, *n + 1, 4)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			break;
		}
		(*ids)[(*n)++] = id;
	}
done:
	tm_vars_unit_done(&vu);
	tm_vars_unit_release(&vu);
	return rc < 0 ? rc : 0;
}

/* Ids of units with the same source text in the same source language. */
static int same_source(struct tm_store *s, const struct tm_unit *u,
		       const char *src_key, int64_t **ids, size_t *n,
		       struct tolk_err *err)
{
	struct tolk_buf norm = TOLK_BUF_INIT;
	const struct tm_variant *v = &u->variants[source_variant(u)];
	struct tm_db_stmt *st;
	int64_t *cand = NULL, nk;
	size_t cap = 0, ncand = 1, c;
	int rc;

	*ids = NULL;
	*n = 0;
	if ((rc = tolk_text_norm(v->text, strlen(v->text), &norm, err)))
		return rc;
	nk = norm_key(&norm);
	if (!s->pg &&
	    (rc = key_candidates(s, KEY_NORM, nk, &cand, &ncand, err)))
		goto done;
	for (c = 0; c < ncand && !rc; c++) {
		if (!s->pg) {
			rc = source_of(s, cand[c], src_key, nk, &norm, ids,
				       &cap, n, err);
			continue;
		}
		if (!(st = tm_db_stmt(s->db, SQL_FIND_SOURCE_PG, err))) {
			rc = err ? err->code : TOLK_EDB;
			break;
		}
		tm_db_bind_text(st, 1, src_key, -1);
		tm_db_bind_int64(st, 2, nk);
		while ((rc = tm_db_step(st, "find source", err)) == 1) {
			int same = same_norm(tm_db_col_text(st, 1), &norm, err);

			if (same < 0) {
				rc = same;
				break;
			}
			if (!same)
				continue;
			if (TOLK_GROW(*ids, cap, *n + 1, 4)) {
				rc = tolk_err_set(err, TOLK_ENOMEM,
						  "out of memory");
				break;
			}
			(*ids)[(*n)++] = tm_db_col_int64(st, 0);
		}
		tm_db_reset(st);
	}
done:
	free(cand);
	tolk_buf_free(&norm);
	if (rc) {
		free(*ids);
		*ids = NULL;
		*n = 0;
		return rc;
	}
	return 0;
}

/* Index of the variant of u with the language and segment of v, or
 * TM_UNIT_LEVEL. */
static size_t same_variant(const struct tm_unit *u, const struct tm_variant *v)
{
	size_t i;

	for (i = 0; i < u->nvariants; i++)
		if (strcmp(u->variants[i].lang, v->lang) == 0 &&
		    strcmp(u->variants[i].text, v->text) == 0 &&
		    !u->variants[i].markup == !v->markup &&
		    (!v->markup ||
		     strcmp(u->variants[i].markup, v->markup) == 0))
			return i;
	return TM_UNIT_LEVEL;
}

static int same_texts(const struct tm_unit *a, const struct tm_unit *b)
{
	size_t i;

	if (a->nvariants != b->nvariants)
		return 0;
	for (i = 0; i < a->nvariants; i++)
		if (same_variant(b, &a->variants[i]) == TM_UNIT_LEVEL)
			return 0;
	return 1;
}

/* Adds to stored unit old the extras of u it lacks (a note given to a
 * second `tolk add` of the same pair is kept beside the first), then
 * refreshes its duplicate key, which covers the extras. */
static int add_extras(struct tm_store *s, const struct tm_unit *old,
		      const struct tm_unit *u, struct tolk_err *err)
{
	struct tolk_buf blob = TOLK_BUF_INIT;
	struct tm_unit *now = NULL;
	struct tm_db_stmt *st;
	size_t i, k, added = 0, level;
	struct dup_key key;
	int rc = 0, have;

	for (i = 0; i < u->nextras; i++) {
		const struct tm_extra *x = &u->extras[i];

		level = x->level == TM_UNIT_LEVEL
			    ? TM_UNIT_LEVEL
			    : same_variant(old, &u->variants[x->level]);
		for (have = 0, k = 0; k < old->nextras && !have; k++)
			have = old->extras[k].level == level &&
			       old->extras[k].kind == x->kind &&
			       strcmp(old->extras[k].value, x->value) == 0;
		if (have)
			continue;
		if (tm_attrs_blob(&x->attrs, &blob)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		if (!(st = tm_db_stmt(s->db, SQL_INSERT_EXTRA, err))) {
			rc = err ? err->code : TOLK_EDB;
			goto done;
		}
		tm_db_bind_int64(st, 1, old->id);
		if (level != TM_UNIT_LEVEL)
			tm_db_bind_int64(st, 2, (int64_t)level);
		tm_db_bind_int64(st, 3, (int64_t)(old->nextras + added));
		tm_db_bind_int64(st, 4, (int)x->kind);
		tm_db_bind_text(st, 5, x->value, -1);
		bind_blob(st, 6, &blob);
		if ((rc = tm_db_run(st, "insert note", err)))
			goto done;
		added++;
	}
	if (!added)
		goto done;
	if ((rc = tm_store_get(s, old->id, &now, err)))
		goto done;
	dup_key(now, &key);
	if ((rc = keys_drop(s, KEY_DUP, old->id, err)))
		goto done;
	if (!(st = tm_db_stmt(s->db, SQL_UPDATE_DUP_KEY, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto done;
	}
	tm_db_bind_int64(st, 1, old->id);
	bind_dup(st, 2, &key);
	if (!(rc = tm_db_run(st, "merge unit", err)))
		rc = key_add(s, KEY_DUP, (int64_t)key.hi, old->id, err);
done:
	tm_unit_free(now);
	tolk_buf_free(&blob);
	return rc;
}

/* TM_DUP_MERGE_TEXTS: merges u into the first stored unit with the same
 * texts; *id is 0 when there is none. */
static int merge_texts(struct tm_store *s, const struct tm_unit *u,
		       const char *src_key, int64_t *id, struct tolk_err *err)
{
	struct tolk_buf blob = TOLK_BUF_INIT;
	int64_t *ids = NULL;
	size_t nids = 0, i;
	int rc;

	struct tm_context cu, co;

	*id = 0;
	/* the same pair in another context is another unit (a context
	 * match tells them apart) */
	if ((rc = tm_context_of_unit(u, &cu, err)))
		return rc;
	if ((rc = same_source(s, u, src_key, &ids, &nids, err)))
		return rc;
	for (i = 0; i < nids && !*id && !rc; i++) {
		struct tm_unit *old = NULL;

		if ((rc = tm_store_get(s, ids[i], &old, err)))
			break;
		if ((rc = tm_context_of_unit(old, &co, err))) {
			tm_unit_free(old);
			break;
		}
		if (same_texts(old, u) && cu.known == co.known &&
		    (!cu.known || (cu.prev == co.prev && cu.next == co.next))) {
			if (tm_attrs_blob(&old->attrs, &blob))
				rc = tolk_err_set(err, TOLK_ENOMEM,
						  "out of memory");
			else if (!(rc = add_extras(s, old, u, err)) &&
				 !(rc = merge_into(s, old->id, blob.data,
						   (int)blob.len, u, err)))
				*id = old->id;
		}
		tm_unit_free(old);
	}
	free(ids);
	tolk_buf_free(&blob);
	return rc;
}

/* ---- bulk mode ---------------------------------------------------------
 * An import into an empty or small TM writes its units' rows in order and
 * keeps their keys for the key tables in memory (struct keyset, 8 bytes
 * an entry), which bulk_end sorts and writes a bucket at a time: each
 * entry written alone would land in a random bucket.  Duplicate keys are
 * found meanwhile in memory too (bulk_map, 8 bytes a slot, checked
 * against the stored key).  A rollback or a kill takes back what was
 * written.  The map is bounded: past BULK_SLOTS the keys are written and
 * the import goes on the ordinary way. */
#define BULK_SLOTS (1u << 21) /* 16 MB: 1.4 million units */

/* Rows appended in order need little page cache: BULK_CACHE KiB keeps an
 * import of any size well under 150 MB. */
#define BULK_CACHE 16384
/* ... and the key tables, written in order at the end, less. */
#define BULK_KEYS_CACHE 2048
static const char SQL_CACHE_GET[] = "PRAGMA cache_size";
static const char SQL_DUP_KEY_OF[] =
    "SELECT dup_hi, dup_lo FROM unit WHERE id = ?1";
/* Is unit id's duplicate key key?  1, 0 or a negative error. */
static int bulk_is(struct tm_store *s, int64_t id, const struct dup_key *key,
		   struct tolk_err *err)
{
	struct tm_db_stmt *st;
	int rc;

	if (s->rows.nu && (rc = rows_flush(s, err)))
		return rc;
	if (!(st = tm_db_stmt(s->db, SQL_DUP_KEY_OF, err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, id);
	if ((rc = tm_db_step(st, "find duplicate", err)) == 1)
		rc = (uint64_t)tm_db_col_int64(st, 0) == key->hi &&
		     (uint64_t)tm_db_col_int64(st, 1) == key->lo;
	tm_db_reset(st);
	return rc;
}

/* The first unit with duplicate key key (h its bulk_hash) in the map:
 * *id (0: none). */
static int bulk_lookup(struct tm_store *s, const struct dup_key *key,
		       uint32_t h, int64_t *id, struct tolk_err *err)
{
	struct bulk_map *m = &s->dups;
	size_t mask = m->cap - 1, i;
	int rc;

	*id = 0;
	if (!m->cap)
		return 0;
	for (i = h & mask; m->slot[i]; i = (i + 1) & mask) {
		if ((uint32_t)(m->slot[i] >> 32) != h)
			continue;
		if ((rc = bulk_is(s, (int64_t)(m->slot[i] & 0xffffffffu), key,
				  err)) < 0)
			return rc;
		if (rc) {
			*id = (int64_t)(m->slot[i] & 0xffffffffu);
			return 0;
		}
	}
	return 0;
}

/* PRAGMA cache_size = n (a pragma takes no parameters; n is ours). */
static int set_cache(struct tm_store *s, int64_t n, struct tolk_err *err)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size = %lld", (long long)n);
	return tm_db_exec(s->db, sql, "page cache", err);
}

/* VACUUM, where it can: with BULK_CACHE of page cache, since its copy
 * takes a cache the size of the main one (two of 64 MB took the upgrade
 * at a million units to 154 MB); the cache as it was after. */
static void compact(struct tm_store *s)
{
	struct tm_db_stmt *st = tm_db_stmt(s->db, SQL_CACHE_GET, NULL);
	int64_t was = 0;

	if (st && tm_db_step(st, "page cache", NULL) == 1)
		was = tm_db_col_int64(st, 0);
	if (st)
		tm_db_reset(st);
	if (!was || set_cache(s, -BULK_CACHE, NULL))
		return;
	tm_db_exec(s->db, "VACUUM", "compact the database", NULL);
	set_cache(s, was, NULL);
}

/* Leaves bulk mode: the keys kept are written. */
static int bulk_end(struct tm_store *s, struct tolk_err *err)
{
	int rc;

	free(s->dups.slot);
	memset(&s->dups, 0, sizeof(s->dups));
	if (!s->bulk)
		return 0;
	s->bulk = 0;
	if ((s->rows.nu && (rc = rows_flush(s, err))))
		return rc;
	rows_drop(&s->rows);
	if ((rc = set_cache(s, -BULK_KEYS_CACHE, err)) ||
	    (rc = keyset_write(s, &s->kdup, KEY_DUP, err)) ||
	    (rc = keyset_write(s, &s->knorm, KEY_NORM, err)))
		return rc;
	/* The match index writes its postings when the transaction commits,
	 * in key order: with the connection's cache (64 MB) their dirty
	 * pages stayed, and the import of 200,000 units peaked 23 MB higher
	 * than with BULK_CACHE.  The cache is back once it ends. */
	s->cache_after = s->bulk_cache;
	return set_cache(s, -BULK_CACHE, err);
}

static void bulk_insert(struct bulk_map *m, uint64_t v)
{
	size_t i, mask = m->cap - 1;

	for (i = (size_t)(v >> 32) & mask; m->slot[i]; i = (i + 1) & mask)
		;
	m->slot[i] = v;
	m->n++;
}

/* Records unit id, the first with the key whose bulk_hash is h, in the
 * map; past its bound (or out of memory) bulk mode ends. */
static int bulk_put(struct tm_store *s, uint32_t h, int64_t id,
		    struct tolk_err *err)
{
	struct bulk_map *m = &s->dups;
	size_t j;

	if (id <= 0 || id > 0xffffffffll)
		return bulk_end(s, err);
	if ((m->n + 1) * 10 > m->cap * 7) {
		struct bulk_map g = {NULL, m->cap ? 2 * m->cap : 65536, 0};

		if (g.cap > BULK_SLOTS ||
		    !(g.slot = tolk_calloc_touched(g.cap, 8)))
			return bulk_end(s, err);
		for (j = 0; j < m->cap; j++)
			if (m->slot[j])
				bulk_insert(&g, m->slot[j]);
		free(m->slot);
		*m = g;
	}
	bulk_insert(m, (uint64_t)h << 32 | (uint64_t)id);
	return 0;
}

/* TM_DUP_MERGE in bulk mode: merges u into the first unit with its
 * duplicate key, whose id goes to *id (0: there is none). */
static int bulk_find(struct tm_store *s, const struct tm_unit *u,
		     const struct dup_key *key, uint32_t h, int64_t *id,
		     struct tolk_err *err)
{
	struct tm_db_stmt *st;
	size_t len;
	const void *blob;
	int rc;

	if ((rc = bulk_lookup(s, key, h, id, err)) || !*id)
		return rc;
	if (!(st = tm_db_stmt(s->db, "SELECT attrs FROM unit WHERE id = ?1",
			      err)))
		return err ? err->code : TOLK_EDB;
	tm_db_bind_int64(st, 1, *id);
	if ((rc = tm_db_step(st, "find duplicate", err)) == 1) {
		blob = tm_db_col_blob(st, 0, &len);
		rc = merge_into(s, *id, blob, (int)len, u, err);
	}
	tm_db_reset(st);
	return rc;
}

int tm_store_bulk_begin(struct tm_store *s, enum tm_dup_policy policy,
			long long size_hint, struct tolk_err *err)
{
	struct tm_db_stmt *st = NULL;
	int64_t units;
	int rc, step;

	if (s->pg || s->bulk ||
	    (policy != TM_DUP_MERGE && policy != TM_DUP_KEEP))
		return 0;
	if (!(st = tm_db_stmt(s->db, "SELECT count(*) FROM unit", err)))
		return err ? err->code : TOLK_EDB;
	if ((step = tm_db_step(st, "count units", err)) < 0)
		return step;
	units = tm_db_col_int64(st, 0);
	tm_db_reset(st);
	/* a TMX unit takes 250 bytes or more: rebuilding the indexes of
	 * the units there are costs less than the import saves */
	if (units > 0 && (size_hint < 0 || units > size_hint / 256))
		return 0;
	if (!(st = tm_db_stmt(s->db, SQL_CACHE_GET, err)))
		return err ? err->code : TOLK_EDB;
	if ((step = tm_db_step(st, "page cache", err)) < 0)
		return step;
	/* an earlier file's import may have left it smaller until commit */
	s->bulk_cache =
	    s->cache_after ? s->cache_after : tm_db_col_int64(st, 0);
	tm_db_reset(st);
	if ((rc = set_cache(s, -BULK_CACHE, err)))
		return rc;
	s->bulk = 1;
	s->bulk_policy = policy;
	tm_match_index_bulk(s);
	/* the map at the size the units the file may hold take it to,
	 * rather than doubled, and its keys moved, four times on the way */
	if (policy == TM_DUP_MERGE && size_hint > 0 && !s->dups.cap) {
		size_t want = (size_t)((units + size_hint / 256) * 10 / 7), cap;

		for (cap = 65536; cap < want && cap < BULK_SLOTS; cap *= 2)
			;
		if ((s->dups.slot = tolk_calloc_touched(cap, 8)))
			s->dups.cap = cap;
	}
	if (policy != TM_DUP_MERGE || units == 0)
		return 0;
	/* the first unit of each key there is */
	if ((rc = tm_db_prepare(
		 s->db, "SELECT id, dup_hi, dup_lo FROM unit ORDER BY id", &st,
		 err)))
		return rc;
	while ((step = tm_db_step(st, "read units", err)) == 1 && s->bulk) {
		int64_t id = tm_db_col_int64(st, 0), have;
		struct dup_key key = {(uint64_t)tm_db_col_int64(st, 1),
				      (uint64_t)tm_db_col_int64(st, 2)};
		uint32_t h = bulk_hash(&key);

		if ((rc = bulk_lookup(s, &key, h, &have, err)) ||
		    (!have && (rc = bulk_put(s, h, id, err))))
			break;
	}
	tm_db_stmt_free(st);
	if (!rc && step < 0)
		rc = step;
	return rc;
}

int tm_store_bulk_end(struct tm_store *s, int ok, struct tolk_err *err)
{
	if (ok)
		return bulk_end(s, err);
	/* the rollback that follows takes the rows back */
	free(s->dups.slot);
	memset(&s->dups, 0, sizeof(s->dups));
	rows_drop(&s->rows);
	keyset_release(&s->kdup);
	keyset_release(&s->knorm);
	if (s->bulk) {
		s->bulk = 0;
		s->cache_after = s->bulk_cache;
	}
	return 0;
}

/* TM_DUP_MERGE: merges u into the first stored unit with duplicate key
 * key, whose id goes to *id (0: there is none). */
static int merge_dup(struct tm_store *s, const struct tm_unit *u,
		     const struct dup_key *key, int64_t *id,
		     struct tolk_err *err)
{
	struct tm_db_stmt *st;
	int64_t *cand = NULL;
	size_t ncand = 1, c;
	int rc = 0;

	*id = 0;
	if (!s->pg && (rc = key_candidates(s, KEY_DUP, (int64_t)key->hi, &cand,
					   &ncand, err)))
		goto done;
	for (c = 0; c < ncand && !*id && !rc; c++) {
		if (!(st = tm_db_stmt(s->db,
				      s->pg ? SQL_FIND_DUP_PG : SQL_FIND_DUP,
				      err))) {
			rc = err ? err->code : TOLK_EDB;
			break;
		}
		bind_dup(st, 1, key);
		if (!s->pg)
			tm_db_bind_int64(st, 3, cand[c]);
		if ((rc = tm_db_step(st, "find duplicate", err)) == 1) {
			size_t len;
			const void *blob = tm_db_col_blob(st, 1, &len);

			*id = tm_db_col_int64(st, 0);
			rc = merge_into(s, *id, blob, (int)len, u, err);
		}
		tm_db_reset(st);
	}
done:
	free(cand);
	return rc;
}

int tm_store_add(struct tm_store *s, const struct tm_unit *u,
		 enum tm_dup_policy policy, int64_t *id,
		 enum tm_add_result *result, struct tolk_err *err)
{
	char src_key[TOLK_LANG_MAX];
	struct dup_key key;
	const struct tm_unit_prep *p;
	uint32_t kh; /* bulk_hash(&key), worked out by the reader if prepared */
	enum tm_add_result res = TM_ADD_INSERTED;
	int64_t *ids = NULL, newid = 0;
	size_t nids = 0, i;
	int rc, merged_once = 0;

	prefetch_clear(s);
	if (u->nvariants == 0)
		return tolk_err_set(err, TOLK_EINPUT, "unit has no variants");
	if ((p = prep_of(u))) {
		memcpy(src_key, p->src_key, sizeof(src_key));
		key = p->dup;
		kh = p->dup_hash;
	} else {
		if (tolk_lang_key(u->variants[source_variant(u)].lang, src_key,
				  sizeof(src_key)))
			return tolk_err_set(err, TOLK_EINPUT,
					    "bad source language");
		dup_key(u, &key);
		kh = bulk_hash(&key);
	}
	/* the map holds what the bulk policy needs, nothing else */
	if (s->bulk && policy != s->bulk_policy && (rc = bulk_end(s, err)))
		return rc;
	if ((rc = tm_db_begin(s->db, TM_DB_WRITE | TM_DB_JOIN, err)))
		return rc;
again:
	if (policy == TM_DUP_MERGE && s->bulk) {
		if ((rc = bulk_find(s, u, &key, kh, &newid, err)) || newid) {
			res = TM_ADD_MERGED;
			goto done;
		}
	} else if (policy == TM_DUP_MERGE) {
		if ((rc = merge_dup(s, u, &key, &newid, err)) || newid) {
			res = TM_ADD_MERGED;
			goto done;
		}
	} else if (policy == TM_DUP_MERGE_TEXTS) {
		if ((rc = merge_texts(s, u, src_key, &newid, err)))
			goto done;
		if (newid) {
			res = TM_ADD_MERGED;
			goto done;
		}
	} else if (policy == TM_DUP_SKIP || policy == TM_DUP_REPLACE) {
		if (s->pg && (rc = lock_sources(s, err)))
			goto done;
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
	if ((rc = insert_unit(s, u, &key, src_key, policy == TM_DUP_KEEP,
			      &newid, err)))
		goto done;
	if (s->bulk && policy == TM_DUP_MERGE && newid &&
	    (rc = bulk_put(s, kh, newid, err)))
		goto done;
	if (!newid) {
		/* Lost the race to a writer that committed the same unit
		 * meanwhile: merge into it, which this statement's fresh
		 * snapshot (READ COMMITTED) now sees.  Twice cannot happen:
		 * the unit stays, its row locked by the merge. */
		free(ids);
		ids = NULL;
		nids = 0;
		if (merged_once++) {
			rc = tolk_err_set(err, TOLK_EINTERNAL,
					  "insert unit: conflicts with a unit "
					  "that cannot be found");
			goto done;
		}
		policy = TM_DUP_MERGE;
		res = TM_ADD_INSERTED;
		goto again;
	}
done:
	free(ids);
	if (rc == 0)
		rc = tm_db_commit(s->db, err);
	if (rc)
		tm_db_rollback(s->db);
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
	struct tm_db_stmt *st;
	size_t i;
	int rc;

	prefetch_clear(s);
	/* the map would keep the unit */
	if (s->bulk && (rc = bulk_end(s, err)))
		return rc;
	/* The matcher's index and the unit go together or not at all. */
	if ((rc = tm_db_begin(s->db, TM_DB_WRITE | TM_DB_JOIN, err)))
		return rc;
	if ((rc = tm_match_index_remove(s->db, id, err)) ||
	    (rc = keys_drop(s, KEY_DUP, id, err)) ||
	    (rc = keys_drop(s, KEY_NORM, id, err)))
		goto done;
	for (i = s->pg ? 0 : 1; i < sizeof(SQL_DELETE) / sizeof(SQL_DELETE[0]);
	     i++) {
		if (!(st = tm_db_stmt(s->db, SQL_DELETE[i], err))) {
			rc = err ? err->code : TOLK_EDB;
			goto done;
		}
		tm_db_bind_int64(st, 1, id);
		if ((rc = tm_db_run(st, "delete unit", err)))
			goto done;
	}
	if (tm_db_changes(s->db) == 0)
		rc = tolk_err_set(err, TOLK_ENOTFOUND, "no unit with id %lld",
				  (long long)id);
done:
	if (rc == 0)
		rc = tm_db_commit(s->db, err);
	if (rc)
		tm_db_rollback(s->db);
	return rc;
}

static const char SQL_GET_UNIT[] =
    "SELECT origin, attrs FROM unit WHERE id = ?1";
static const char SQL_GET_EXTRAS[] =
    "SELECT variant_seq, kind, value, attrs FROM extra WHERE unit_id = ?1 "
    "ORDER BY seq";

/* A unit and its variants and extras, for many units at once: part 0
 * the unit, 1 a variant, 2 an extra (variant_seq and kind as text), in
 * tm_store_get's orders. */
static const char SQL_GET_MANY_PG[] =
    "SELECT 0 AS part, id, 0 AS seq, origin, CAST(NULL AS text), "
    "CAST(NULL AS text), attrs FROM unit "
    "WHERE id = ANY(CAST(?1 AS bigint[])) UNION ALL "
    "SELECT 1, unit_id, seq, lang, text, markup, attrs FROM variant "
    "WHERE unit_id = ANY(CAST(?1 AS bigint[])) UNION ALL "
    "SELECT 2, unit_id, seq, CAST(variant_seq AS text), "
    "CAST(kind AS text), value, attrs FROM extra "
    "WHERE unit_id = ANY(CAST(?1 AS bigint[])) ORDER BY 2, 1, 3";

/* Adds the current row of SQL_GET_MANY_PG to *u (a new unit at part
 * 0). */
static int prefetch_row(struct tm_store *s, struct tm_db_stmt *st,
			struct tolk_err *err)
{
	int part = tm_db_col_int(st, 0);
	struct tm_unit *u = s->npre ? s->pre[s->npre - 1] : NULL;
	const void *blob = tm_db_col_blob(st, 6, NULL);
	size_t bn = tm_db_col_bytes(st, 6), i;
	struct tm_unit **p;
	struct tm_attrs *a;

	if (part == 0) {
		if (!(p = realloc(s->pre, (s->npre + 1) * sizeof(*p))))
			goto nomem;
		s->pre = p;
		if (tm_unit_new(&s->pre[s->npre]))
			goto nomem;
		u = s->pre[s->npre++];
		u->id = tm_db_col_int64(st, 1);
		if (tm_unit_set_origin(u, tm_db_col_text(st, 3)))
			goto nomem;
		a = &u->attrs;
	} else if (!u || u->id != tm_db_col_int64(st, 1)) {
		return 0; /* its unit went meanwhile: cannot be */
	} else if (part == 1) {
		int rc = tm_unit_add_variant(u, tm_db_col_text(st, 3),
					     tm_db_col_text(st, 4),
					     tm_db_col_text(st, 5), &i, err);

		if (rc)
			return rc;
		a = &u->variants[i].attrs;
	} else {
		const char *lvl = tm_db_col_text(st, 3);

		if (tm_unit_add_extra(
			u,
			lvl ? (size_t)strtoull(lvl, NULL, 10) : TM_UNIT_LEVEL,
			(enum tm_extra_kind)atoi(tm_db_col_text(st, 4)),
			tm_db_col_text(st, 5), &i))
			goto nomem;
		a = &u->extras[i].attrs;
	}
	if (tm_attrs_parse(a, blob, bn))
		goto nomem;
	return 0;
nomem:
	return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
}

int tm_store_prefetch(struct tm_store *s, const int64_t *ids, size_t n,
		      struct tolk_err *err)
{
	struct tolk_buf arr = TOLK_BUF_INIT;
	struct tm_db_stmt *st;
	size_t i;
	int rc = 0, step;

	prefetch_clear(s);
	if (!s->pg || n == 0)
		return 0;
	for (i = 0; i < n; i++)
		tolk_buf_printf(&arr, "%c%lld", i ? ',' : '{',
				(long long)ids[i]);
	tolk_buf_putc(&arr, '}');
	if (!(st = tm_db_stmt(s->db, SQL_GET_MANY_PG, err))) {
		tolk_buf_free(&arr);
		return err ? err->code : TOLK_EDB;
	}
	tm_db_bind_text(st, 1, tolk_buf_str(&arr), -1);
	while ((step = tm_db_step(st, "read units", err)) == 1)
		if ((rc = prefetch_row(s, st, err)))
			break;
	tm_db_reset(st);
	tolk_buf_free(&arr);
	if (!rc && step < 0)
		rc = step;
	if (rc)
		prefetch_clear(s);
	return rc;
}

/* Adds unit u->id's variants to u. */
static int get_variants(struct tm_store *s, struct tm_unit *u,
			struct tolk_err *err)
{
	struct tm_vars_unit vu = TM_VARS_UNIT_INIT;
	struct tm_vars_it it;
	struct tm_var v;
	size_t vi;
	int rc;

	if ((rc = tm_vars_get(&vu, s->db, u->id, err)) <= 0 ||
	    (rc = tm_vars_init_id(&it, vu.blob, vu.len, vu.id, err)))
		goto done;
	while ((rc = tm_vars_next(&it, &v, err)) == 1)
		if ((rc = tm_unit_add_variant(u, v.lang, v.text, v.markup, &vi,
					      err)) ||
		    (rc = tm_attrs_parse(&u->variants[vi].attrs, v.attrs,
					 v.attrs_len)
			      ? tolk_err_set(err, TOLK_ENOMEM, "out of memory")
			      : 0))
			break;
done:
	tm_vars_unit_done(&vu);
	tm_vars_unit_release(&vu);
	return rc < 0 ? rc : 0;
}

int tm_store_get(struct tm_store *s, int64_t id, struct tm_unit **out,
		 struct tolk_err *err)
{
	struct tm_unit *u = NULL;
	struct tm_db_stmt *st;
	size_t i;
	int rc;

	*out = NULL;
	for (i = 0; i < s->npre; i++)
		if (s->pre[i] && s->pre[i]->id == id) {
			*out = s->pre[i];
			s->pre[i] = NULL;
			return 0;
		}
	if (tm_unit_new(&u))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	u->id = id;
	if (!(st = tm_db_stmt(s->db, SQL_GET_UNIT, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto fail;
	}
	tm_db_bind_int64(st, 1, id);
	rc = tm_db_step(st, "read unit", err);
	if (rc == 0) {
		tm_db_reset(st);
		rc = tolk_err_set(err, TOLK_ENOTFOUND, "no unit with id %lld",
				  (long long)id);
		goto fail;
	}
	if (rc < 0) {
		tm_db_reset(st);
		goto fail;
	}
	if (tm_unit_set_origin(u, tm_db_col_text(st, 0)) ||
	    tm_attrs_parse(&u->attrs, tm_db_col_blob(st, 1, NULL),
			   tm_db_col_bytes(st, 1))) {
		tm_db_reset(st);
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto fail;
	}
	tm_db_reset(st);

	if ((rc = get_variants(s, u, err)))
		goto fail;

	if (!(st = tm_db_stmt(s->db, SQL_GET_EXTRAS, err))) {
		rc = err ? err->code : TOLK_EDB;
		goto fail;
	}
	tm_db_bind_int64(st, 1, id);
	while ((rc = tm_db_step(st, "read props", err)) == 1) {
		size_t level = tm_db_col_is_null(st, 0)
				   ? TM_UNIT_LEVEL
				   : (size_t)tm_db_col_int64(st, 0);
		size_t xi;

		if (tm_unit_add_extra(u, level,
				      (enum tm_extra_kind)tm_db_col_int(st, 1),
				      tm_db_col_text(st, 2), &xi) ||
		    tm_attrs_parse(&u->extras[xi].attrs,
				   tm_db_col_blob(st, 3, NULL),
				   tm_db_col_bytes(st, 3))) {
			tm_db_reset(st);
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto fail;
		}
	}
	tm_db_reset(st);
	if (rc)
		goto fail;
	*out = u;
	return 0;
fail:
	tm_unit_free(u);
	return rc;
}

/* PostgreSQL: source and target of every unit with both languages. */
static const char SQL_PAIRS_PG[] =
    "SELECT s.unit_id, s.text, t.text, s.lang, t.lang "
    "FROM lang_variant s JOIN lang_variant t ON t.unit_id = s.unit_id "
    "WHERE s.lang_key = ?1 AND t.lang_key = ?2 "
    "AND s.nth = 0 "
    "AND t.nth = CASE WHEN ?1 = ?2 THEN 1 ELSE 0 END "
    "ORDER BY s.unit_id";
/* The same for the key of one normalised source text (?3; exact_rows
 * then compares the text itself). */
static const char SQL_PAIRS_NORM[] =
    "SELECT s.unit_id, s.text, t.text, s.lang, t.lang "
    "FROM lang_variant s JOIN lang_variant t ON t.unit_id = s.unit_id "
    "WHERE s.lang_key = ?1 AND t.lang_key = ?2 "
    "AND s.norm_key = ?3 AND s.nth = 0 "
    "AND t.nth = CASE WHEN ?1 = ?2 THEN 1 ELSE 0 END "
    "ORDER BY s.unit_id";
/* The language keys of a pair's source and target languages. */
static int pair_keys(const char *src, const char *tgt, char sk[TOLK_LANG_MAX],
		     char tk[TOLK_LANG_MAX], struct tolk_err *err)
{
	if (tolk_lang_key(src, sk, TOLK_LANG_MAX))
		return tolk_err_set(err, TOLK_EUSAGE,
				    "'%s' is not a language tag", src);
	if (tolk_lang_key(tgt, tk, TOLK_LANG_MAX))
		return tolk_err_set(err, TOLK_EUSAGE,
				    "'%s' is not a language tag", tgt);
	return 0;
}

/* SQLite: every unit's pair of language keys sk and tk, in id order. */
static int scan_pairs(struct tm_store *s, const char *sk, const char *tk,
		      tm_pair_fn fn, void *ctx, struct tolk_err *err)
{
	struct tm_vars_unit vu = TM_VARS_UNIT_INIT;
	struct tm_var sv, tv;
	int rc;

	if ((rc = tm_vars_scan_begin(&vu, s->db, err)))
		goto done;
	while ((rc = tm_vars_scan_next(&vu, err)) == 1) {
		struct tm_pair p;

		if ((rc = tm_vars_pair(vu.blob, vu.len, vu.id, sk, tk, &sv, &tv,
				       err)) < 0)
			break;
		if (!rc)
			continue;
		p.id = vu.id;
		p.source = sv.text;
		p.target = tv.text;
		p.source_lang = sv.lang;
		p.target_lang = tv.lang;
		if ((rc = fn(ctx, &p)) != 0)
			break;
	}
done:
	tm_vars_scan_end(&vu);
	tm_vars_unit_release(&vu);
	return rc;
}

static int pairs(struct tm_store *s, const char *src, const char *tgt,
		 tm_pair_fn fn, void *ctx, struct tolk_err *err)
{
	char sk[TOLK_LANG_MAX], tk[TOLK_LANG_MAX];
	struct tm_db_stmt *st = NULL;
	int rc;

	if ((rc = pair_keys(src, tgt, sk, tk, err)))
		return rc;
	if (!s->pg)
		return scan_pairs(s, sk, tk, fn, ctx, err);
	/* Not cached: callbacks may use the store (and this statement)
	 * again while rows are still being read.  All pairs come in
	 * batches. */
	if ((rc = tm_db_prepare_rows(s->db, SQL_PAIRS_PG, &st, err)))
		return rc;
	tm_db_bind_text(st, 1, sk, -1);
	tm_db_bind_text(st, 2, tk, -1);
	while ((rc = tm_db_step(st, "read units", err)) == 1) {
		struct tm_pair p;

		p.id = tm_db_col_int64(st, 0);
		p.source = tm_db_col_text(st, 1);
		p.target = tm_db_col_text(st, 2);
		p.source_lang = tm_db_col_text(st, 3);
		p.target_lang = tm_db_col_text(st, 4);
		if ((rc = fn(ctx, &p)) != 0)
			break;
	}
	tm_db_stmt_free(st);
	return rc;
}

/* An exact pair read by exact_pairs: the four texts in one block. */
struct xpair {
	int64_t id;
	char *mem;
	size_t off[4];
};

/* Appends the pair of unit id with texts f (source, target, their
 * languages; NULL reads as "") to x[*n] (of *cap); -1 out of memory. */
static int xpair_add(int64_t id, const char *const f[4], struct xpair **xp,
		     size_t *n, size_t *cap)
{
	size_t len[4], total = 0, k;
	struct xpair *x;

	if (TOLK_GROW(*xp, *cap, *n + 1, 4))
		return -1;
	x = &(*xp)[*n];
	for (k = 0; k < 4; k++) {
		len[k] = strlen(f[k] ? f[k] : "") + 1;
		total += len[k];
	}
	if (!(x->mem = malloc(total)))
		return -1;
	x->id = id;
	for (total = 0, k = 0; k < 4; k++) {
		memcpy(x->mem + total, f[k] ? f[k] : "", len[k]);
		x->off[k] = total;
		total += len[k];
	}
	(*n)++;
	return 0;
}

/* SQLite: the pair of unit id (one key_norm gives) if its source has
 * key nk and normalises to norm, copied onto x[*n..]. */
static int exact_one(struct tm_store *s, int64_t id, const char *sk,
		     const char *tk, int64_t nk, const struct tolk_buf *norm,
		     struct xpair **xp, size_t *np, size_t *capp,
		     struct tolk_err *err)
{
	struct tm_vars_unit vu = TM_VARS_UNIT_INIT;
	struct tm_var sv, tv;
	int rc;

	if ((rc = tm_vars_get(&vu, s->db, id, err)) <= 0 ||
	    (rc = tm_vars_pair(vu.blob, vu.len, vu.id, sk, tk, &sv, &tv,
			       err)) <= 0)
		goto done;
	if (!sv.has_key || sv.norm_key != nk ||
	    (rc = same_norm(sv.text, norm, err)) <= 0)
		goto done;
	{
		const char *f[4] = {sv.text, tv.text, sv.lang, tv.lang};

		if (xpair_add(id, f, xp, np, capp))
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
done:
	tm_vars_unit_done(&vu);
	tm_vars_unit_release(&vu);
	return rc < 0 ? rc : 0;
}

/* exact_pairs' rows of st (a statement of the connection's, reset here)
 * copied onto x[*n..], up to limit in all (0: any). */
static int exact_rows(struct tm_db_stmt *st, const struct tolk_buf *norm,
		      size_t limit, struct xpair **xp, size_t *np, size_t *capp,
		      struct tolk_err *err)
{
	struct xpair *x = *xp;
	size_t n = *np, cap = *capp, k;
	int rc = 0;

	while ((!limit || n < limit) &&
	       (rc = tm_db_step(st, "read units", err)) == 1) {
		const char *f[4];
		int same = same_norm(tm_db_col_text(st, 1), norm, err);

		if (same < 0) {
			rc = same;
			break;
		}
		if (!same)
			continue;
		for (k = 0; k < 4; k++)
			f[k] = tm_db_col_text(st, (int)k + 1);
		if (xpair_add(tm_db_col_int64(st, 0), f, &x, &n, &cap))
			goto nomem;
	}
	goto done;
nomem:
	rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
done:
	tm_db_reset(st);
	*xp = x;
	*np = n;
	*capp = cap;
	return rc < 0 ? rc : 0;
}

/* pairs() of one normalised source with the connection's cached
 * statement: preparing the join cost more than a pre-translated
 * segment's whole read.  The rows (an exact source has few) are copied
 * and the statement reset before fn runs, so fn may use the store. */
static int exact_pairs(struct tm_store *s, const struct tolk_buf *norm,
		       const char *src, const char *tgt, size_t limit,
		       tm_pair_fn fn, void *ctx, struct tolk_err *err)
{
	char sk[TOLK_LANG_MAX], tk[TOLK_LANG_MAX];
	struct tm_db_stmt *st = NULL;
	struct xpair *x = NULL;
	size_t n = 0, cap = 0, i, ncand = 1, c;
	int64_t *cand = NULL, nk = norm_key(norm);
	int rc = 0;

	if ((rc = pair_keys(src, tgt, sk, tk, err)))
		return rc;
	if (!s->pg &&
	    (rc = key_candidates(s, KEY_NORM, nk, &cand, &ncand, err)))
		goto done;
	for (c = 0; c < ncand && (!limit || n < limit); c++) {
		if (!s->pg) {
			if ((rc = exact_one(s, cand[c], sk, tk, nk, norm, &x,
					    &n, &cap, err)))
				goto done;
			continue;
		}
		if (!(st = tm_db_stmt(s->db, SQL_PAIRS_NORM, err))) {
			rc = err ? err->code : TOLK_EDB;
			goto done;
		}
		tm_db_bind_text(st, 1, sk, -1);
		tm_db_bind_text(st, 2, tk, -1);
		tm_db_bind_int64(st, 3, nk);
		if ((rc = exact_rows(st, norm, limit, &x, &n, &cap, err)) < 0)
			goto done;
	}
	rc = 0;
	for (i = 0; i < n && rc == 0; i++) {
		struct tm_pair p = {
		    x[i].id, x[i].mem + x[i].off[0], x[i].mem + x[i].off[1],
		    x[i].mem + x[i].off[2], x[i].mem + x[i].off[3]};

		rc = fn(ctx, &p);
	}
done:
	for (i = 0; i < n; i++)
		free(x[i].mem);
	free(x);
	free(cand);
	return rc;
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
	rc = exact_pairs(s, &norm, source_lang, target_lang, limit, fn, ctx,
			 err);
	tolk_buf_free(&norm);
	return rc;
}

int tm_store_foreach_pair(struct tm_store *s, const char *source_lang,
			  const char *target_lang, tm_pair_fn fn, void *ctx,
			  struct tolk_err *err)
{
	return pairs(s, source_lang, target_lang, fn, ctx, err);
}

static int64_t scalar(struct tm_store *s, const char *sql, int *rc,
		      struct tolk_err *err)
{
	struct tm_db_stmt *st = NULL;
	int64_t v = 0;

	if (*rc)
		return 0;
	if ((*rc = tm_db_prepare(s->db, sql, &st, err)))
		return 0;
	if ((*rc = tm_db_step(st, "statistics", err)) == 1) {
		v = tm_db_col_int64(st, 0);
		*rc = 0;
	} else if (*rc == 0) {
		*rc = tolk_err_set(err, TOLK_EDB, "statistics: no row");
	}
	tm_db_stmt_free(st);
	return v;
}

/* stats' count of units with a pair of (source, target) language keys. */
struct pair_tally {
	char *src, *tgt;
	int64_t units;
};

static int tally_cmp(const void *a, const void *b)
{
	const struct pair_tally *x = a, *y = b;
	int c;

	if (x->units != y->units)
		return x->units > y->units ? -1 : 1;
	if ((c = strcmp(x->src, y->src)))
		return c;
	return strcmp(x->tgt, y->tgt);
}

/* SQLite: the variants and, per pair of source language key and another
 * language key, the units that have it (a unit once however many
 * variants it has in that language), into out, as the server's SQL
 * orders them: most units first, then by the keys. */
static int stats_scan(struct tm_store *s, struct tm_store_stats *out,
		      struct tolk_err *err)
{
	struct tm_vars_unit vu = TM_VARS_UNIT_INIT;
	struct pair_tally *t = NULL;
	struct tm_vars_it it;
	struct tm_var v;
	size_t nt = 0, cap = 0, i;
	int rc;

	if ((rc = tm_vars_scan_begin(&vu, s->db, err)))
		goto done;
	while ((rc = tm_vars_scan_next(&vu, err)) == 1) {
		if ((rc = tm_vars_init_id(&it, vu.blob, vu.len, vu.id, err)))
			goto done;
		while ((rc = tm_vars_next_first(&it, &v, err)) == 1) {
			if (strcmp(v.lkey, vu.src_key) == 0)
				continue;
			/* units come sorted by nothing useful: a pair's
			 * tally is found by a walk (a TM has few pairs) */
			for (i = 0; i < nt; i++)
				if (strcmp(t[i].tgt, v.lkey) == 0 &&
				    strcmp(t[i].src, vu.src_key) == 0)
					break;
			if (i == nt) {
				if (TOLK_GROW(t, cap, nt + 1, 8))
					goto nomem;
				t[nt].units = 0;
				t[nt].tgt = strdup(v.lkey);
				if (!(t[nt].src = strdup(vu.src_key)) ||
				    !t[nt].tgt) {
					free(t[nt].src);
					free(t[nt].tgt);
					goto nomem;
				}
				nt++;
			}
			t[i].units++;
		}
		if (rc < 0)
			goto done;
		out->variants += (int64_t)it.n;
	}
	if (rc < 0)
		goto done;
	if (nt) {
		qsort(t, nt, sizeof(*t), tally_cmp);
		if (!(out->pairs = calloc(nt, sizeof(*out->pairs))))
			goto nomem;
	}
	for (i = 0; i < nt; i++) {
		struct tm_store_pair_count *p = &out->pairs[i];

		snprintf(p->source, sizeof(p->source), "%s", t[i].src);
		snprintf(p->target, sizeof(p->target), "%s", t[i].tgt);
		p->units = t[i].units;
	}
	out->npairs = nt;
	goto done;
nomem:
	rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
done:
	for (i = 0; i < nt; i++) {
		free(t[i].src);
		free(t[i].tgt);
	}
	free(t);
	tm_vars_scan_end(&vu);
	tm_vars_unit_release(&vu);
	return rc < 0 ? rc : 0;
}

int tm_store_stats(struct tm_store *s, struct tm_store_stats *out,
		   struct tolk_err *err)
{
	/* PostgreSQL's; SQLite's: stats_scan */
	static const char sql_pairs[] =
	    "SELECT u.src_key, v.lang_key, count(DISTINCT u.id) "
	    "FROM unit u JOIN variant v ON v.unit_id = u.id "
	    "WHERE v.lang_key != u.src_key "
	    "GROUP BY u.src_key, v.lang_key ORDER BY 3 DESC, 1, 2";
	struct tm_db_stmt *st = NULL;
	int rc = 0, step;

	memset(out, 0, sizeof(*out));
	out->units = scalar(s, "SELECT count(*) FROM unit", &rc, err);
	if (s->pg)
		out->variants =
		    scalar(s, "SELECT count(*) FROM variant", &rc, err);
	if (rc || (rc = tm_db_size(s->db, &out->bytes, err)) ||
	    (rc = tm_db_schema_version(s->db, &out->schema_version, err)))
		return rc;
	if (!s->pg) {
		if ((rc = stats_scan(s, out, err)))
			goto done;
	} else {
		if ((rc = tm_db_prepare(s->db, sql_pairs, &st, err)))
			return rc;
		while ((step = tm_db_step(st, "statistics", err)) == 1) {
			struct tm_store_pair_count *p;

			p = realloc(out->pairs, (out->npairs + 1) * sizeof(*p));
			if (!p) {
				rc = tolk_err_set(err, TOLK_ENOMEM,
						  "out of memory");
				goto done;
			}
			out->pairs = p;
			p = &out->pairs[out->npairs++];
			snprintf(p->source, sizeof(p->source), "%s",
				 tm_db_col_text(st, 0));
			snprintf(p->target, sizeof(p->target), "%s",
				 tm_db_col_text(st, 1));
			p->units = tm_db_col_int64(st, 2);
		}
		if (step < 0) {
			rc = step;
			goto done;
		}
	}
	tm_db_stmt_free(st);
	st = NULL;
	if ((rc = tm_db_prepare(s->db,
				"SELECT origin, count(*) FROM unit "
				"GROUP BY origin ORDER BY origin",
				&st, err)))
		goto done;
	while ((step = tm_db_step(st, "statistics", err)) == 1) {
		struct tm_store_origin_count *p;
		const char *o = tm_db_col_text(st, 0);

		p = realloc(out->origins, (out->norigins + 1) * sizeof(*p));
		if (!p) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		out->origins = p;
		p = &out->origins[out->norigins++];
		p->units = tm_db_col_int64(st, 1);
		p->origin = NULL;
		if (o && !(p->origin = strdup(o))) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
	}
	if (step < 0)
		rc = step;
done:
	tm_db_stmt_free(st);
	if (rc)
		tm_store_stats_release(out);
	return rc;
}

void tm_store_stats_release(struct tm_store_stats *st)
{
	size_t i;

	free(st->pairs);
	st->pairs = NULL;
	st->npairs = 0;
	for (i = 0; i < st->norigins; i++)
		free(st->origins[i].origin);
	free(st->origins);
	st->origins = NULL;
	st->norigins = 0;
}
