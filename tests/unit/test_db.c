/* Unit tests of the database layer (tm/db.h): nested transactions and
 * their hooks, the statement cache, the hash the on-disk index depends
 * on, and the check of the index format a database records. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/helpers.h"
#include <sqlite3.h>

#include "tm/db.h"
#include "tm/match.h"
#include "tm/store.h"
#include "tm/unit.h"
#include "util/hash.h"

static int seq;

static void temp_path(char *out, size_t n, const char *name)
{
	snprintf(out, n, "%s/%s-%d.db", test_dir, name, seq++);
}

static int setup(void **state)
{
	(void)state;
	return test_dir_make("db");
}

static int teardown(void **state)
{
	(void)state;
	return test_dir_remove();
}

/* ---- hooks -------------------------------------------------------------- */

struct counts {
	int pre_commit, opened, rolled_back, freed;
	int last_rollback_depth;
};

static int c_pre_commit(void *ctx, struct tolk_err *err)
{
	(void)err;
	((struct counts *)ctx)->pre_commit++;
	return 0;
}

static int c_opened(void *ctx, int depth, struct tolk_err *err)
{
	(void)depth;
	(void)err;
	((struct counts *)ctx)->opened++;
	return 0;
}

static void c_rolled_back(void *ctx, int depth)
{
	struct counts *c = ctx;

	c->rolled_back++;
	c->last_rollback_depth = depth;
}

static void c_free(void *ctx)
{
	((struct counts *)ctx)->freed++;
}

static const struct tm_db_hooks counting = {.pre_commit = c_pre_commit,
					    .opened = c_opened,
					    .rolled_back = c_rolled_back,
					    .free = c_free};

static struct tm_db *open_with_table(struct counts *c)
{
	struct tm_db *db = NULL;
	char path[400];

	temp_path(path, sizeof(path), "tx");
	assert_int_equal(tm_db_open(&db, path, 0, NULL), 0);
	assert_int_equal(
	    tm_db_exec(db, "CREATE TABLE t (v INTEGER)", "create", NULL), 0);
	assert_int_equal(tm_db_hooks_add(db, &counting, c, NULL), 0);
	assert_ptr_equal(tm_db_hooks_ctx(db, &counting), c);
	return db;
}

static void insert(struct tm_db *db, int64_t v)
{
	struct tm_db_stmt *st =
	    tm_db_stmt(db, "INSERT INTO t VALUES (?1)", NULL);

	assert_non_null(st);
	tm_db_bind_int64(st, 1, v);
	assert_int_equal(tm_db_run(st, "insert", NULL), 0);
}

static int64_t count_rows(struct tm_db *db)
{
	struct tm_db_stmt *st = tm_db_stmt(db, "SELECT count(*) FROM t", NULL);
	int64_t n;

	assert_non_null(st);
	assert_int_equal(tm_db_step(st, "count", NULL), 1);
	n = tm_db_col_int64(st, 0);
	tm_db_reset(st);
	return n;
}

/* A table with row 1 written in an outer transaction and an inner
 * level begun on top. */
static struct tm_db *open_nested(struct counts *c)
{
	struct tm_db *db = open_with_table(c);

	assert_int_equal(tm_db_begin(db, TM_DB_WRITE, NULL), 0);
	insert(db, 1);
	assert_int_equal(tm_db_begin(db, TM_DB_WRITE, NULL), 0);
	return db;
}

static void inner_rollback_keeps_the_outer_work(void **state)
{
	struct counts c = {0};
	struct tm_db *db = open_nested(&c);

	(void)state;
	assert_int_equal(tm_db_depth(db), 2);
	insert(db, 2);
	assert_int_equal(count_rows(db), 2);
	tm_db_rollback(db);
	assert_int_equal(c.rolled_back, 1);
	assert_int_equal(c.last_rollback_depth, 2);
	assert_int_equal(tm_db_depth(db), 1);
	assert_int_equal(count_rows(db), 1);
	insert(db, 3);
	assert_int_equal(tm_db_commit(db, NULL), 0);
	assert_int_equal(tm_db_depth(db), 0);
	assert_int_equal(count_rows(db), 2);
	tm_db_close(db);
	assert_int_equal(c.freed, 1);
}

static void pre_commit_hook_runs_once_at_the_outermost_commit(void **state)
{
	struct counts c = {0};
	struct tm_db *db = open_with_table(&c);

	(void)state;
	assert_int_equal(tm_db_begin(db, TM_DB_WRITE, NULL), 0);
	assert_int_equal(tm_db_begin(db, TM_DB_WRITE, NULL), 0);
	assert_int_equal(tm_db_begin(db, TM_DB_READ, NULL), 0);
	assert_int_equal(c.opened, 3);
	insert(db, 1);
	assert_int_equal(tm_db_commit(db, NULL), 0);
	assert_int_equal(tm_db_commit(db, NULL), 0);
	assert_int_equal(c.pre_commit, 0);
	assert_int_equal(tm_db_commit(db, NULL), 0);
	assert_int_equal(c.pre_commit, 1);
	assert_int_equal(count_rows(db), 1);
	/* a commit with nothing open is a bug of the caller's */
	assert_int_not_equal(tm_db_commit(db, NULL), 0);
	tm_db_close(db);
}

static void outer_rollback_fires_the_rollback_hook(void **state)
{
	struct counts c = {0};
	struct tm_db *db = open_nested(&c);

	(void)state;
	insert(db, 2);
	assert_int_equal(tm_db_commit(db, NULL), 0);
	tm_db_rollback(db);
	assert_int_equal(c.rolled_back, 1);
	assert_int_equal(c.last_rollback_depth, 1);
	assert_int_equal(c.pre_commit, 0);
	assert_int_equal(count_rows(db), 0);
	/* closing with a transaction open rolls it back, hooks too */
	assert_int_equal(tm_db_begin(db, TM_DB_WRITE, NULL), 0);
	insert(db, 3);
	tm_db_close(db);
	assert_int_equal(c.rolled_back, 2);
	assert_int_equal(c.freed, 1);
}

static void a_failed_joined_level_dooms_the_transaction(void **state)
{
	struct counts c = {0};
	struct tm_db *db = open_with_table(&c);

	(void)state;
	/* outside a transaction, JOIN begins one */
	assert_int_equal(tm_db_begin(db, TM_DB_WRITE | TM_DB_JOIN, NULL), 0);
	insert(db, 1);
	assert_int_equal(tm_db_commit(db, NULL), 0);
	assert_int_equal(c.pre_commit, 1);
	assert_int_equal(tm_db_begin(db, TM_DB_WRITE, NULL), 0);
	assert_int_equal(tm_db_begin(db, TM_DB_WRITE | TM_DB_JOIN, NULL), 0);
	assert_int_equal(c.opened, 2); /* joining opens no level */
	insert(db, 2);
	tm_db_rollback(db);
	assert_int_not_equal(tm_db_commit(db, NULL), 0);
	tm_db_rollback(db);
	assert_int_equal(count_rows(db), 1);
	/* the next transaction is not doomed */
	assert_int_equal(tm_db_begin(db, TM_DB_WRITE, NULL), 0);
	insert(db, 3);
	assert_int_equal(tm_db_commit(db, NULL), 0);
	assert_int_equal(count_rows(db), 2);
	tm_db_close(db);
}

/* ---- statements --------------------------------------------------------- */

static void statement_cache_holds_more_than_64_statements(void **state)
{
	struct tm_db_stmt *first[100];
	struct tm_db *db = NULL;
	char path[400], sql[64];
	int round, i;

	(void)state;
	temp_path(path, sizeof(path), "cache");
	assert_int_equal(tm_db_open(&db, path, 0, NULL), 0);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < 100; i++) {
			struct tm_db_stmt *st;

			/* the same buffer each time: keyed by text */
			snprintf(sql, sizeof(sql), "SELECT ?1 + %d", i);
			st = tm_db_stmt(db, sql, NULL);
			assert_non_null(st);
			if (round == 0)
				first[i] = st;
			else
				assert_ptr_equal(st, first[i]);
			tm_db_bind_int64(st, 1, 1000);
			assert_int_equal(tm_db_step(st, "select", NULL), 1);
			assert_int_equal(tm_db_col_int64(st, 0), 1000 + i);
			tm_db_reset(st);
		}
	}
	tm_db_close(db);
}

static void typed_binds_and_columns_round_trip(void **state)
{
	static const unsigned char blob[] = {0, 1, 2, 0, 255};
	struct tm_db *db = NULL;
	struct tm_db_stmt *st;
	char path[400];
	size_t len;

	(void)state;
	temp_path(path, sizeof(path), "types");
	assert_int_equal(tm_db_open(&db, path, 0, NULL), 0);
	st = tm_db_stmt(db, "SELECT ?1, ?2, ?3, ?4, ?5", NULL);
	assert_non_null(st);
	tm_db_bind_int64(st, 1, INT64_MIN);
	tm_db_bind_text(st, 2, "Tromsøxx", (ptrdiff_t)strlen("Tromsø"));
	tm_db_bind_blob(st, 3, blob, sizeof(blob));
	tm_db_bind_null(st, 4);
	tm_db_bind_text_or_null(st, 5, NULL);
	assert_int_equal(tm_db_step(st, "select", NULL), 1);
	assert_true(tm_db_col_int64(st, 0) == INT64_MIN);
	assert_string_equal(tm_db_col_text(st, 1), "Tromsø");
	assert_memory_equal(tm_db_col_blob(st, 2, &len), blob, sizeof(blob));
	assert_int_equal(len, sizeof(blob));
	assert_true(tm_db_col_is_null(st, 3));
	assert_true(tm_db_col_is_null(st, 4));
	assert_null(tm_db_col_text(st, 4));
	assert_int_equal(tm_db_step(st, "select", NULL), 0);
	tm_db_reset(st);
	tm_db_close(db);
}

static void errors_name_what_failed(void **state)
{
	struct tm_db *db = NULL;
	struct tolk_err err;
	char path[400];

	(void)state;
	temp_path(path, sizeof(path), "err");
	assert_int_equal(tm_db_open(&db, path, 0, NULL), 0);
	assert_int_equal(
	    tm_db_exec(db, "CREATE TABLE u (k TEXT UNIQUE)", "create", NULL),
	    0);
	assert_int_equal(
	    tm_db_exec(db, "INSERT INTO u VALUES ('a')", "add", NULL), 0);
	tolk_err_clear(&err);
	assert_int_equal(
	    tm_db_exec(db, "INSERT INTO u VALUES ('a')", "add term", &err),
	    TOLK_EDB);
	assert_non_null(strstr(err.msg, "add term: "));
	assert_non_null(strstr(err.msg, "UNIQUE"));
	tolk_err_clear(&err);
	assert_null(tm_db_stmt(db, "SELECT * FROM nowhere", &err));
	assert_non_null(strstr(err.msg, "no such table"));
	tm_db_close(db);
}

/* ---- hash ---------------------------------------------------------------
 * Published FNV-1a vectors, and values of the mixers pinned: a change to
 * any of them changes the on-disk index format. */
static void hash_gives_the_known_vectors(void **state)
{
	(void)state;
	assert_true(tolk_fnv64("", 0, TOLK_FNV64_OFFSET) ==
		    0xcbf29ce484222325ULL);
	assert_true(tolk_fnv64("a", 1, TOLK_FNV64_OFFSET) ==
		    0xaf63dc4c8601ec8cULL);
	assert_true(tolk_fnv64("foobar", 6, TOLK_FNV64_OFFSET) ==
		    0x85944171f73967e8ULL);
	/* 32 bit over a code point's four bytes: 'a' is "a\0\0\0" */
	assert_true(tolk_fnv32_u32(TOLK_FNV32_OFFSET, 0xe5) == 0x9f114f20u);
	assert_true(tolk_hash_fmix64(0) == 0);
	assert_true(
	    tolk_hash_fmix64(tolk_fnv64("foobar", 6, TOLK_FNV64_OFFSET)) ==
	    0x2c22194922d1672bULL);
	assert_true(tolk_hash_mix64(tolk_fnv64("nb", 2, TOLK_FNV64_OFFSET)) ==
		    0x4d18d6dcb552de55ULL);
	assert_int_equal(TOLK_HASH_VERSION, 1);
}

/* ---- index format ------------------------------------------------------- */

static void add_pair(struct tm_store *s, const char *nb, const char *en)
{
	struct tm_unit *u = NULL;

	assert_int_equal(tm_unit_new(&u), 0);
	assert_int_equal(tm_unit_add_variant(u, "nb", nb, NULL, NULL, NULL), 0);
	assert_int_equal(tm_unit_add_variant(u, "en", en, NULL, NULL, NULL), 0);
	assert_int_equal(tm_store_add(s, u, TM_DUP_KEEP, NULL, NULL, NULL), 0);
	tm_unit_free(u);
}

static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static size_t lookup_count(struct tm_store *s, const char *q)
{
	struct tm_match_opts o = {"nb", "en", 70, 5, 0};
	struct tm_matcher *m = NULL;
	struct tm_match_result r;
	size_t n;

	assert_int_equal(tm_matcher_new(&m, s, NULL), 0);
	assert_int_equal(tm_match_lookup(m, q, &o, &r, NULL), 0);
	n = r.nmatches;
	tm_match_result_release(&r);
	tm_matcher_free(m);
	return n;
}

static void index_of_another_format_is_refused_until_reindex(void **state)
{
	static const char q[] = "Statsministeren reiste til Paris i går.";
	struct tm_store *s = NULL;
	struct tm_matcher *m = NULL;
	struct tolk_err err;
	char path[400], want[64], have[256];

	(void)state;
	temp_path(path, sizeof(path), "format");
	assert_int_equal(tm_store_open(&s, path, 0, NULL), 0);
	add_pair(s, q, "The prime minister went to Paris yesterday.");
	assert_int_equal(tm_match_index_recorded(s, have, sizeof(have), NULL),
			 0);
	tm_match_index_format(want, sizeof(want));
	assert_string_equal(have, want);
	assert_int_equal(lookup_count(s, q), 1);
	tm_store_close(s);

	/* as if written by a tolk with another hash */
	raw_exec(path, "UPDATE tolk_meta SET value = 'hash 0, tokenizer 1, "
		       "ICU 1' WHERE name = 'match_index_format'");
	assert_int_equal(tm_store_open(&s, path, 0, NULL), 0);
	tolk_err_clear(&err);
	assert_int_equal(tm_matcher_new(&m, s, &err), TOLK_EINPUT);
	assert_null(m);
	assert_non_null(strstr(err.msg, "tolk reindex"));
	assert_non_null(strstr(err.msg, "hash 0"));
	/* writes would orphan postings: refused too, and nothing stored */
	tolk_err_clear(&err);
	{
		struct tm_unit *u = NULL;

		assert_int_equal(tm_unit_new(&u), 0);
		assert_int_equal(
		    tm_unit_add_variant(u, "nb", "Hei.", NULL, NULL, NULL), 0);
		assert_int_equal(
		    tm_store_add(s, u, TM_DUP_KEEP, NULL, NULL, &err),
		    TOLK_EINPUT);
		tm_unit_free(u);
	}
	/* the rebuild records this build's format; lookups find again */
	assert_int_equal(tm_match_reindex(s, NULL, NULL, NULL), 0);
	assert_int_equal(tm_match_index_recorded(s, have, sizeof(have), NULL),
			 0);
	assert_string_equal(have, want);
	assert_int_equal(lookup_count(s, q), 1);
	tm_store_close(s);

	/* a format row gone (an index older than the versioning) */
	raw_exec(path, "DELETE FROM tolk_meta");
	assert_int_equal(tm_store_open(&s, path, 0, NULL), 0);
	assert_int_not_equal(tm_matcher_new(&m, s, NULL), 0);
	assert_int_equal(tm_match_reindex(s, NULL, NULL, NULL), 0);
	assert_int_equal(lookup_count(s, q), 1);
	tm_store_close(s);
}

static void a_new_tm_records_its_format_at_the_first_write(void **state)
{
	struct tm_store *s = NULL;
	char path[400], have[256];

	(void)state;
	temp_path(path, sizeof(path), "fresh");
	assert_int_equal(tm_store_open(&s, path, 0, NULL), 0);
	/* empty: nothing to orphan, lookups work, nothing recorded yet */
	assert_int_equal(lookup_count(s, "Hei på deg, du."), 0);
	assert_int_equal(tm_match_index_recorded(s, have, sizeof(have), NULL),
			 0);
	assert_string_equal(have, "");
	/* a rolled back first write leaves no format behind, and the next
	 * write still records it */
	assert_int_equal(tm_store_begin(s, NULL), 0);
	add_pair(s, "Hei på deg, du.", "Hello to you.");
	tm_store_rollback(s);
	assert_int_equal(tm_match_index_recorded(s, have, sizeof(have), NULL),
			 0);
	assert_string_equal(have, "");
	add_pair(s, "Hei på deg, du.", "Hello to you.");
	assert_int_equal(tm_match_index_recorded(s, have, sizeof(have), NULL),
			 0);
	assert_true(strncmp(have, "hash ", 5) == 0);
	tm_store_close(s);
	assert_int_equal(tm_store_open(&s, path, 0, NULL), 0);
	assert_int_equal(lookup_count(s, "Hei på deg, du."), 1);
	tm_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(inner_rollback_keeps_the_outer_work),
	    cmocka_unit_test(pre_commit_hook_runs_once_at_the_outermost_commit),
	    cmocka_unit_test(outer_rollback_fires_the_rollback_hook),
	    cmocka_unit_test(a_failed_joined_level_dooms_the_transaction),
	    cmocka_unit_test(statement_cache_holds_more_than_64_statements),
	    cmocka_unit_test(typed_binds_and_columns_round_trip),
	    cmocka_unit_test(errors_name_what_failed),
	    cmocka_unit_test(hash_gives_the_known_vectors),
	    cmocka_unit_test(index_of_another_format_is_refused_until_reindex),
	    cmocka_unit_test(a_new_tm_records_its_format_at_the_first_write),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
