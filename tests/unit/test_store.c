/* Unit tests of the store, the unit model and the shared utilities. */
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
#include "tm/keyblk_int.h"
#include "tm/store.h"
#include "tm/unit.h"
#include "util/buf.h"
#include "util/json.h"
#include "util/lang.h"
#include "util/text.h"

static char dbpath[300];

static int setup(void **state)
{
	(void)state;
	if (test_dir_make("test"))
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/sub/tm.db", test_dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return test_dir_remove();
}

static struct tm_unit *pair(const char *nb, const char *en)
{
	struct tm_unit *u = NULL;

	assert_int_equal(tm_unit_new(&u), 0);
	assert_int_equal(tm_unit_add_variant(u, "nb", nb, NULL, NULL, NULL), 0);
	assert_int_equal(tm_unit_add_variant(u, "en", en, NULL, NULL, NULL), 0);
	return u;
}

static int count_cb(void *ctx, const struct tm_pair *p)
{
	(void)p;
	(*(int *)ctx)++;
	return 0;
}

static void lang_tags_are_canonicalised_and_grouped(void **state)
{
	char out[TOLK_LANG_MAX];

	(void)state;
	assert_int_equal(tolk_lang_canon("EN_us", out, sizeof(out)), 0);
	assert_string_equal(out, "en-US");
	assert_int_equal(tolk_lang_canon("NB_NO", out, sizeof(out)), 0);
	assert_string_equal(out, "nb-NO");
	assert_int_not_equal(tolk_lang_canon("", out, sizeof(out)), 0);
	assert_int_not_equal(tolk_lang_canon("*all*", out, sizeof(out)), 0);
	assert_int_not_equal(tolk_lang_canon("en us", out, sizeof(out)), 0);
	assert_true(tolk_lang_same("nb", "nb-NO"));
	assert_true(tolk_lang_same("NB_NO", "no"));
	assert_true(tolk_lang_same("no-NO", "nob"));
	assert_true(tolk_lang_same("en-GB", "en_us"));
	assert_false(tolk_lang_same("nb", "nn"));
	assert_false(tolk_lang_same("nb", "en"));
}

static void text_norm_folds_whitespace_and_composes(void **state)
{
	struct tolk_buf b = TOLK_BUF_INIT;

	(void)state;
	/* "o" + combining ring, tabs and a no-break space */
	static const char in[] = " Bla\xcc\x8a\t \xc2\xa0"
				 "b\xc3\xa6r \n";

	assert_int_equal(tolk_text_norm(in, strlen(in), &b, NULL), 0);
	assert_string_equal(tolk_buf_str(&b), "Bl\xc3\xa5 b\xc3\xa6r");
	tolk_buf_reset(&b);
	assert_int_equal(tolk_text_norm("\xff", 1, &b, NULL), TOLK_EINPUT);
	tolk_buf_free(&b);
}

static void json_escapes_and_places_commas(void **state)
{
	struct tolk_json j;

	(void)state;
	tolk_json_init(&j);
	tolk_json_obj_begin(&j);
	tolk_json_kv_str(&j, "a", "q\"\\\n\x01\xc3\xa5");
	tolk_json_key(&j, "l");
	tolk_json_arr_begin(&j);
	tolk_json_int(&j, 1);
	tolk_json_bool(&j, 0);
	tolk_json_null(&j);
	tolk_json_arr_end(&j);
	tolk_json_kv_str(&j, "bad", "x\xffy");
	tolk_json_obj_end(&j);
	assert_false(j.failed);
	assert_string_equal(tolk_buf_str(&j.out),
			    "{\"a\":\"q\\\"\\\\\\n\\u0001\xc3\xa5\","
			    "\"l\":[1,false,null],\"bad\":\"x\xef\xbf\xbdy\"}");
	tolk_json_release(&j);
}

static void store_creates_parents_and_sets_schema(void **state)
{
	struct tm_store *s = NULL;
	struct tolk_err err;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	tm_store_close(s);
	assert_int_equal(access(dbpath, F_OK), 0);
	{
		sqlite3 *db;
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode",
						    -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(st, 0),
				    "wal");
		sqlite3_finalize(st);
		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version",
						    -1, &st, NULL),
				 SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0),
				 tm_store_schema_version());
		sqlite3_finalize(st);
		sqlite3_close(db);
	}
}

static void store_must_exist_does_not_create(void **state)
{
	struct tm_store *s = NULL;
	struct tolk_err err;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, TM_STORE_MUST_EXIST, &err),
			 TOLK_EDB);
	assert_null(s);
	assert_int_not_equal(access(dbpath, F_OK), 0);
	assert_non_null(strstr(err.msg, "no translation memory"));
}

static void store_refuses_newer_schema(void **state)
{
	struct tm_store *s = NULL;
	struct tolk_err err;
	sqlite3 *db;
	char sql[64];

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	tm_store_close(s);
	assert_int_equal(sqlite3_open(dbpath, &db), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		 tm_store_schema_version() + 1);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), TOLK_EDB);
	assert_non_null(strstr(err.msg, "newer tolk"));
}

static void store_refuses_non_database(void **state)
{
	struct tm_store *s = NULL;
	struct tolk_err err;
	FILE *f;

	(void)state;
	snprintf(dbpath, sizeof(dbpath), "%s/junk.db", test_dir);
	f = fopen(dbpath, "w");
	assert_non_null(f);
	fputs("this is not sqlite, just some words in a file\n", f);
	fclose(f);
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), TOLK_EDB);
	assert_non_null(strstr(err.msg, "not a tolk database"));
	snprintf(dbpath, sizeof(dbpath), "%s/sub/tm.db", test_dir);
}

static void store_round_trips_a_unit(void **state)
{
	struct tm_store *s = NULL;
	struct tm_unit *u, *got = NULL;
	struct tolk_err err;
	int64_t id;
	size_t x;

	(void)state;
	u = pair("Hei, verden!", "Hello, world!");
	assert_int_equal(tm_unit_set_attr(u, "tuid", "t1"), 0);
	assert_int_equal(tm_unit_set_attr(u, "usagecount", "3"), 0);
	assert_int_equal(
	    tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_NOTE, "a note", NULL),
	    0);
	assert_int_equal(tm_unit_add_extra(u, 1, TM_EXTRA_PROP, "v", &x), 0);
	assert_int_equal(tm_unit_extra_set_attr(u, x, "type", "x-domain"), 0);
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	assert_int_equal(tm_store_add(s, u, TM_DUP_MERGE, &id, NULL, &err), 0);
	assert_int_equal(tm_store_get(s, id, &got, &err), 0);
	assert_int_equal(tm_unit_variant_count(got), 2);
	assert_string_equal(tm_unit_variant_text(got, 0), "Hei, verden!");
	assert_string_equal(tm_unit_variant_lang(got, 1), "en");
	assert_string_equal(tm_unit_attr(got, "tuid"), "t1");
	assert_string_equal(tm_unit_attr(got, "usagecount"), "3");
	assert_int_equal(tm_unit_extra_count(got), 2);
	assert_int_equal(tm_unit_extra_level(got, 0), TM_UNIT_LEVEL);
	assert_string_equal(tm_unit_extra_value(got, 0), "a note");
	assert_int_equal(tm_unit_extra_level(got, 1), 1);
	assert_string_equal(tm_unit_extra_attr(got, 1, "type"), "x-domain");
	tm_unit_free(got);
	assert_int_equal(tm_store_delete(s, id, &err), 0);
	assert_int_equal(tm_store_get(s, id, &got, &err), TOLK_ENOTFOUND);
	assert_int_equal(tm_store_delete(s, id, &err), TOLK_ENOTFOUND);
	tm_unit_free(u);
	tm_store_close(s);
}

static void store_merges_duplicates_keeping_newest_dates(void **state)
{
	struct tm_store *s = NULL;
	struct tm_unit *a, *b, *got = NULL;
	struct tolk_err err;
	enum tm_add_result res;
	int64_t ida, idb;

	(void)state;
	a = pair("Hei", "Hello");
	b = pair("Hei", "Hello");
	tm_unit_set_attr(a, "changedate", "20200101T000000Z");
	tm_unit_set_attr(a, "usagecount", "7");
	tm_unit_set_attr(b, "changedate", "20240101T000000Z");
	tm_unit_set_attr(b, "usagecount", "2");
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	assert_int_equal(tm_store_add(s, a, TM_DUP_MERGE, &ida, &res, &err), 0);
	assert_int_equal(res, TM_ADD_INSERTED);
	assert_int_equal(tm_store_add(s, b, TM_DUP_MERGE, &idb, &res, &err), 0);
	assert_int_equal(res, TM_ADD_MERGED);
	assert_int_equal(ida, idb);
	assert_int_equal(tm_store_get(s, ida, &got, &err), 0);
	assert_string_equal(tm_unit_attr(got, "changedate"),
			    "20240101T000000Z");
	assert_string_equal(tm_unit_attr(got, "usagecount"), "7");
	tm_unit_free(got);
	/* keep stores a second copy; skip leaves the first alone */
	assert_int_equal(tm_store_add(s, b, TM_DUP_KEEP, &idb, &res, &err), 0);
	assert_int_not_equal(ida, idb);
	assert_int_equal(tm_store_add(s, b, TM_DUP_SKIP, NULL, &res, &err), 0);
	assert_int_equal(res, TM_ADD_SKIPPED);
	tm_unit_free(a);
	tm_unit_free(b);
	tm_store_close(s);
}

static void store_keeps_alternative_translations(void **state)
{
	struct tm_store *s = NULL;
	struct tm_unit *a = pair("Hei", "Hello"), *b = pair("Hei", "Hi");
	struct tolk_err err;
	enum tm_add_result res;
	int n = 0;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	assert_int_equal(tm_store_add(s, a, TM_DUP_MERGE, NULL, &res, &err), 0);
	assert_int_equal(tm_store_add(s, b, TM_DUP_MERGE, NULL, &res, &err), 0);
	assert_int_equal(res, TM_ADD_INSERTED);
	assert_int_equal(tm_store_find_exact(s, " Hei ", "nb-NO", "en-GB", 0,
					     count_cb, &n, &err),
			 0);
	assert_int_equal(n, 2);
	/* replace: a newer translation of the same source replaces both */
	assert_int_equal(tm_store_add(s, a, TM_DUP_REPLACE, NULL, &res, &err),
			 0);
	assert_int_equal(res, TM_ADD_REPLACED);
	n = 0;
	assert_int_equal(
	    tm_store_find_exact(s, "Hei", "no", "en", 0, count_cb, &n, &err),
	    0);
	assert_int_equal(n, 1);
	tm_unit_free(a);
	tm_unit_free(b);
	tm_store_close(s);
}

static void store_counts_pairs(void **state)
{
	struct tm_store *s = NULL;
	struct tm_unit *a = pair("Hei", "Hello"), *b = pair("Ja", "Yes");
	struct tm_store_stats st;
	struct tolk_err err;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	assert_int_equal(tm_store_add(s, a, TM_DUP_MERGE, NULL, NULL, &err), 0);
	assert_int_equal(tm_store_add(s, b, TM_DUP_MERGE, NULL, NULL, &err), 0);
	assert_int_equal(tm_store_stats(s, &st, &err), 0);
	assert_int_equal(st.units, 2);
	assert_int_equal(st.variants, 4);
	assert_int_equal(st.npairs, 1);
	assert_string_equal(st.pairs[0].source, "nb");
	assert_string_equal(st.pairs[0].target, "en");
	assert_int_equal(st.pairs[0].units, 2);
	assert_true(st.bytes > 0);
	tm_store_stats_release(&st);
	tm_unit_free(a);
	tm_unit_free(b);
	tm_store_close(s);
}

static int u64_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The key tables' in-place sort gives what qsort and a pass dropping
 * repeats give, on entries crowded into few buckets and spread over all;
 * a blob merged from two holds their union in order, and one with a
 * unit dropped the rest. */
static void key_blocks_sort_merge_and_drop_as_sets_do(void **state)
{
	/* the last: one part of the store's keyset (its high 6 bits the
	 * same), dense enough to be sorted in groups finer than buckets */
	static const size_t sizes[] = {0, 1, 2, 50, 5000, 70000, 60000};
	uint64_t *e = malloc(70000 * sizeof(*e)),
		 *f = malloc(70000 * sizeof(*f));
	struct tolk_buf a = TOLK_BUF_INIT, b = TOLK_BUF_INIT, m = TOLK_BUF_INIT;
	struct tolk_buf d = TOLK_BUF_INIT;
	struct tm_keyblk_it it;
	uint64_t r = 88172645463325252ull;
	size_t z, i, n, k, w, na = 0, nb = 0;
	unsigned low;
	int64_t id;

	(void)state;
	assert_non_null(e);
	assert_non_null(f);
	for (z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
		n = sizes[z];
		for (i = 0; i < n; i++) {
			int64_t key;

			r ^= r << 13, r ^= r >> 7, r ^= r << 17;
			/* every other size: three buckets, few keys */
			key = z == 6 ? (int64_t)(r >> 6 | 37ull << 58)
			      : z % 2
				  ? (int64_t)r
				  : (int64_t)((r % 3) << 50 | (r % 5) << 36);
			e[i] = tm_keyblk_entry(key, (int64_t)(r >> 40) % 300);
		}
		memcpy(f, e, n * sizeof(*e));
		qsort(f, n, sizeof(*f), u64_cmp);
		for (w = i = 0; i < n; i++)
			if (!w || f[i] != f[w - 1])
				f[w++] = f[i];
		assert_int_equal(tm_keyblk_sort(e, n), w);
		assert_memory_equal(e, f, w * sizeof(*e));
	}
	/* one bucket's blobs: even entries in a, every third in b */
	for (i = 0; i < 600; i++) {
		if (i % 2 == 0 && ++na)
			assert_int_equal(tm_keyblk_put(&a, (unsigned)i / 40,
						       (int64_t)i % 40 + 1),
					 0);
		if (i % 3 == 0 && ++nb)
			assert_int_equal(tm_keyblk_put(&b, (unsigned)i / 40,
						       (int64_t)i % 40 + 1),
					 0);
	}
	assert_int_equal(tm_keyblk_merge(&m, a.data, a.len, b.data, b.len), 0);
	assert_int_equal(tm_keyblk_drop(&d, m.data, m.len, 7), 0);
	tm_keyblk_it_init(&it, m.data, m.len);
	for (k = 0, i = 0; i < 600; i++)
		if (i % 2 == 0 || i % 3 == 0) {
			assert_int_equal(tm_keyblk_next(&it, &low, &id), 1);
			assert_int_equal(low, i / 40);
			assert_int_equal(id, (int64_t)i % 40 + 1);
			k++;
		}
	assert_int_equal(tm_keyblk_next(&it, &low, &id), 0);
	assert_true(k < na + nb);
	tm_keyblk_it_init(&it, d.data, d.len);
	for (i = 0; i < 600; i++)
		if ((i % 2 == 0 || i % 3 == 0) && i % 40 + 1 != 7) {
			assert_int_equal(tm_keyblk_next(&it, &low, &id), 1);
			assert_int_equal(id, (int64_t)i % 40 + 1);
		}
	assert_int_equal(tm_keyblk_next(&it, &low, &id), 0);
	tolk_buf_free(&a);
	tolk_buf_free(&b);
	tolk_buf_free(&m);
	tolk_buf_free(&d);
	free(e);
	free(f);
}

/* A number the connection's SQL sql gives. */
static int64_t db_number(struct tm_store *s, const char *sql)
{
	struct tm_db_stmt *st = tm_db_stmt(tm_store_db(s), sql, NULL);
	int64_t v;

	assert_non_null(st);
	assert_int_equal(tm_db_step(st, "read", NULL), 1);
	v = tm_db_col_int64(st, 0);
	tm_db_reset(st);
	return v;
}

/* An import's transaction checks no foreign keys (each variant's insert
 * looked its unit up); a unit deleted in it still takes its variants
 * with it, and the checks are back once it commits or rolls back. */
static void import_transaction_skips_foreign_keys_until_it_ends(void **state)
{
	static const char fk[] = "PRAGMA foreign_keys";
	struct tm_store *s = NULL;
	struct tm_unit *a = pair("Hei", "Hello"), *b = pair("Ja", "Yes");
	struct tm_unit *got = NULL;
	struct tm_store_stats st;
	struct tolk_err err;
	int64_t id;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	assert_int_equal(db_number(s, fk), 1);
	assert_int_equal(tm_store_begin_import(s, &err), 0);
	assert_int_equal(db_number(s, fk), 0);
	assert_int_equal(tm_store_add(s, a, TM_DUP_MERGE, &id, NULL, &err), 0);
	assert_int_equal(tm_store_add(s, b, TM_DUP_MERGE, NULL, NULL, &err), 0);
	assert_int_equal(tm_store_delete(s, id, &err), 0);
	assert_int_equal(tm_store_commit(s, &err), 0);
	assert_int_equal(db_number(s, fk), 1);
	/* read through the store: where it keeps variants is its own */
	assert_int_equal(tm_store_get(s, id, &got, &err), TOLK_ENOTFOUND);
	assert_int_equal(tm_store_stats(s, &st, &err), 0);
	assert_int_equal(st.units, 1);
	assert_int_equal(st.variants, 2);
	tm_store_stats_release(&st);
	assert_int_equal(tm_store_begin_import(s, &err), 0);
	assert_int_equal(tm_store_add(s, a, TM_DUP_MERGE, NULL, NULL, &err), 0);
	tm_store_rollback(s);
	assert_int_equal(db_number(s, fk), 1);
	assert_int_equal(db_number(s, "SELECT count(*) FROM unit"), 1);
	tm_unit_free(a);
	tm_unit_free(b);
	tm_store_close(s);
}

static void transaction_rollback_leaves_store_unchanged(void **state)
{
	struct tm_store *s = NULL;
	struct tm_unit *a = pair("Hei", "Hello");
	struct tm_store_stats st;
	struct tolk_err err;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	assert_int_equal(tm_store_begin(s, &err), 0);
	assert_int_equal(tm_store_add(s, a, TM_DUP_KEEP, NULL, NULL, &err), 0);
	assert_int_equal(tm_store_add(s, a, TM_DUP_KEEP, NULL, NULL, &err), 0);
	tm_store_rollback(s);
	assert_int_equal(tm_store_stats(s, &st, &err), 0);
	assert_int_equal(st.units, 0);
	tm_store_stats_release(&st);
	tm_unit_free(a);
	tm_store_close(s);
}

/* `tolk add` of a stored pair: one unit, whatever the notes, with every
 * note given kept once; a different target is another unit. */
static void store_merge_texts_keeps_every_note(void **state)
{
	static const char *const notes[] = {"NTB", NULL, "Reuters", "NTB"};
	struct tm_store *s = NULL;
	struct tm_unit *u, *got = NULL;
	struct tolk_err err;
	enum tm_add_result res;
	int64_t id, first = 0;
	size_t i;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	for (i = 0; i < 4; i++) {
		u = pair("Hei", "Hello");
		if (notes[i])
			assert_int_equal(tm_unit_add_extra(u, TM_UNIT_LEVEL,
							   TM_EXTRA_NOTE,
							   notes[i], NULL),
					 0);
		assert_int_equal(
		    tm_store_add(s, u, TM_DUP_MERGE_TEXTS, &id, &res, &err), 0);
		assert_int_equal(res, i ? TM_ADD_MERGED : TM_ADD_INSERTED);
		if (!i)
			first = id;
		assert_int_equal(id, first);
		tm_unit_free(u);
	}
	assert_int_equal(tm_store_get(s, first, &got, &err), 0);
	assert_int_equal(tm_unit_extra_count(got), 2);
	assert_string_equal(tm_unit_extra_value(got, 0), "NTB");
	assert_string_equal(tm_unit_extra_value(got, 1), "Reuters");
	tm_unit_free(got);
	/* the merged unit is found again as a duplicate by an import */
	u = pair("Hei", "Hello");
	assert_int_equal(
	    tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_NOTE, "NTB", NULL), 0);
	assert_int_equal(
	    tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_NOTE, "Reuters", NULL),
	    0);
	assert_int_equal(tm_store_add(s, u, TM_DUP_MERGE, &id, &res, &err), 0);
	assert_int_equal(res, TM_ADD_MERGED);
	tm_unit_free(u);
	u = pair("Hei", "Hi");
	assert_int_equal(
	    tm_store_add(s, u, TM_DUP_MERGE_TEXTS, &id, &res, &err), 0);
	assert_int_equal(res, TM_ADD_INSERTED);
	tm_unit_free(u);
	tm_store_close(s);
}

/* A unit keeps what it is given whatever the sizes: many attributes,
 * values replaced, long and short texts, extras with attributes, well
 * past the space allocated with the unit. */
static void unit_keeps_what_it_is_given_at_any_size(void **state)
{
	struct tm_unit *u;
	struct tolk_err err;
	char name[32], *big;
	size_t i, k, n;

	(void)state;
	big = malloc(5000);
	assert_non_null(big);
	assert_int_equal(tm_unit_new(&u), 0);
	for (i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "x-a%zu", i);
		n = i * 97 % 4000;
		memset(big, 'a' + (int)(i % 26), n);
		big[n] = '\0';
		assert_int_equal(tm_unit_set_attr(u, name, big), 0);
		if (i % 3 == 0)
			assert_int_equal(tm_unit_set_attr(u, name, name), 0);
	}
	for (i = 0; i < 10; i++) {
		n = i % 2 ? 3000 + i : 5 + i;
		memset(big, 'A' + (int)i, n);
		big[n] = '\0';
		assert_int_equal(
		    tm_unit_add_variant(u, i % 2 ? "en" : "nb", big,
					i == 3 ? "<ph/>" : NULL, &k, &err),
		    0);
		assert_int_equal(k, i);
		assert_int_equal(tm_unit_variant_set_attr(u, k, "x-v", big), 0);
		assert_int_equal(
		    tm_unit_add_extra(u, k, TM_EXTRA_NOTE, big, &k), 0);
		assert_int_equal(tm_unit_extra_set_attr(u, k, "xml:lang", "en"),
				 0);
	}
	assert_int_equal(tm_unit_attr_count(u), 40);
	for (i = 0; i < 40; i++) {
		const char *v;

		snprintf(name, sizeof(name), "x-a%zu", i);
		v = tm_unit_attr(u, name);
		assert_non_null(v);
		if (i % 3 == 0) {
			assert_string_equal(v, name);
			continue;
		}
		n = i * 97 % 4000;
		assert_int_equal(strlen(v), n);
		for (k = 0; k < n; k++)
			assert_int_equal(v[k], 'a' + (int)(i % 26));
	}
	assert_int_equal(tm_unit_variant_count(u), 10);
	assert_int_equal(tm_unit_extra_count(u), 10);
	for (i = 0; i < 10; i++) {
		const char *t = tm_unit_variant_text(u, i);

		n = i % 2 ? 3000 + i : 5 + i;
		assert_string_equal(tm_unit_variant_lang(u, i),
				    i % 2 ? "en" : "nb");
		assert_int_equal(strlen(t), n);
		assert_int_equal(t[0], 'A' + (int)i);
		assert_int_equal(t[n - 1], 'A' + (int)i);
		assert_string_equal(tm_unit_variant_attr(u, i, "x-v"), t);
		assert_string_equal(tm_unit_extra_value(u, i), t);
		assert_int_equal(tm_unit_extra_level(u, i), i);
		assert_string_equal(tm_unit_extra_attr(u, i, "xml:lang"), "en");
		if (i == 3)
			assert_string_equal(tm_unit_variant_markup(u, i),
					    "<ph/>");
		else
			assert_null(tm_unit_variant_markup(u, i));
	}
	tm_unit_free(u);
	free(big);
}

/* The rows and key tables of a store, one line each, into out. */
static void dump_keys(const char *path, struct tolk_buf *out)
{
	static const char *const q[] = {
	    "SELECT id, dup_hi, dup_lo, src_key, hex(vars) FROM unit",
	    "SELECT b, hex(entries) FROM key_dup",
	    "SELECT b, hex(entries) FROM key_norm"};
	sqlite3 *db = NULL;
	sqlite3_stmt *st;
	size_t i;
	int c;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	for (i = 0; i < sizeof(q) / sizeof(q[0]); i++) {
		assert_int_equal(sqlite3_prepare_v2(db, q[i], -1, &st, NULL),
				 SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (c = 0; c < sqlite3_column_count(st); c++) {
				const unsigned char *t =
				    sqlite3_column_text(st, c);

				assert_int_equal(
				    tolk_buf_puts(out,
						  t ? (const char *)t : "-"),
				    0);
				assert_int_equal(tolk_buf_putc(out, ' '), 0);
			}
			assert_int_equal(tolk_buf_putc(out, '\n'), 0);
		}
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
}

/* tm_store_prepare hashes most texts in the pass that tells whether they
 * are their own normal form: random texts of every kind that test sees
 * (single and double spaces at either end and inside, tabs, NBSP, letters
 * of two and three bytes, a combining ring, control bytes), across its
 * 8-byte words, stored prepared and unprepared give the same rows and
 * keys. */
static void store_keys_of_prepared_units_are_the_same(void **state)
{
	static const char *const piece[] = {
	    "a",	 "Hei",		 " ",
	    "  ",	 "\t",		 "\xc2\xa0",
	    "\xc3\xb8",	 "\xc3\xa5",	 "\xcb\x86",
	    "a\xcc\x8a", "\xe2\x80\x99", "\x01",
	    "z9",	 "\xc2\xab",	 "\x7f"};
	const size_t npiece = sizeof(piece) / sizeof(piece[0]);
	struct tolk_buf t[2] = {TOLK_BUF_INIT, TOLK_BUF_INIT};
	struct tolk_buf d[2] = {TOLK_BUF_INIT, TOLK_BUF_INIT};
	struct tm_store *s[2] = {NULL, NULL};
	struct tolk_err err;
	char path2[sizeof(dbpath) + 8];
	unsigned seed = 14;
	int64_t id;
	size_t k, i, j, n;

	(void)state;
	snprintf(path2, sizeof(path2), "%s.2", dbpath);
	assert_int_equal(tm_store_open(&s[0], dbpath, 0, &err), 0);
	assert_int_equal(tm_store_open(&s[1], path2, 0, &err), 0);
	for (k = 0; k < 400; k++) {
		for (j = 0; j < 2; j++) {
			tolk_buf_reset(&t[j]);
			n = (seed = seed * 1103515245u + 12345u) >> 16 & 15;
			for (i = 0; i < n; i++) {
				seed = seed * 1103515245u + 12345u;
				/* mostly plain words, as text is */
				assert_int_equal(
				    tolk_buf_puts(
					&t[j], piece[(seed >> 16) % 3 == 0
							 ? (seed >> 20) % npiece
							 : (seed >> 20) % 2]),
				    0);
			}
		}
		for (j = 0; j < 2; j++) {
			struct tm_unit *u =
			    pair(tolk_buf_str(&t[0]), tolk_buf_str(&t[1]));

			if (j == 0)
				assert_int_equal(tm_store_prepare(u), 0);
			assert_int_equal(
			    tm_store_add(s[j], u, TM_DUP_KEEP, &id, NULL, &err),
			    0);
			tm_unit_free(u);
		}
	}
	tm_store_close(s[0]);
	tm_store_close(s[1]);
	dump_keys(dbpath, &d[0]);
	dump_keys(path2, &d[1]);
	assert_true(d[0].len > 0);
	assert_string_equal(tolk_buf_str(&d[0]), tolk_buf_str(&d[1]));
	for (j = 0; j < 2; j++) {
		tolk_buf_free(&t[j]);
		tolk_buf_free(&d[j]);
	}
}

/* A bulk import's rows go in 64 at a time, their ids left to SQLite
 * when they follow the table's greatest (tm/store.c's rows_flush): each
 * id handed out must still be its unit's, also after the TM's last unit
 * was deleted and in a second import. */
static void bulk_units_keep_the_ids_they_were_given(void **state)
{
	struct tm_store *s = NULL;
	struct tm_unit *u, *got = NULL;
	struct tolk_err err;
	int64_t ids[300];
	char nb[64], en[64];
	size_t i, n = 0, round;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	for (round = 0; round < 2; round++) {
		assert_int_equal(tm_store_begin(s, &err), 0);
		assert_int_equal(
		    tm_store_bulk_begin(s, TM_DUP_KEEP, 1 << 20, &err), 0);
		for (i = 0; i < 150; i++, n++) {
			snprintf(nb, sizeof(nb), "Setning nummer %zu.", n);
			snprintf(en, sizeof(en), "Sentence number %zu.", n);
			u = pair(nb, en);
			assert_int_equal(tm_store_add(s, u, TM_DUP_KEEP,
						      &ids[n], NULL, &err),
					 0);
			tm_unit_free(u);
		}
		assert_int_equal(tm_store_bulk_end(s, 1, &err), 0);
		assert_int_equal(tm_store_commit(s, &err), 0);
		/* the greatest id goes: the next import's ids start below
		 * it */
		assert_int_equal(tm_store_delete(s, ids[n - 1], &err), 0);
	}
	for (i = 0; i < n; i++) {
		if (i == 149 || i == n - 1)
			continue;
		assert_int_equal(tm_store_get(s, ids[i], &got, &err), 0);
		snprintf(nb, sizeof(nb), "Setning nummer %zu.", i);
		assert_string_equal(tm_unit_variant_text(got, 0), nb);
		tm_unit_free(got);
	}
	assert_int_equal(tm_store_get(s, ids[n - 1], &got, &err),
			 TOLK_ENOTFOUND);
	/* ids come one by one, the deleted greatest taken again */
	assert_true(ids[150] == ids[149] && ids[n - 1] == ids[0] + 298);
	tm_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lang_tags_are_canonicalised_and_grouped),
	    cmocka_unit_test(unit_keeps_what_it_is_given_at_any_size),
	    cmocka_unit_test(text_norm_folds_whitespace_and_composes),
	    cmocka_unit_test(json_escapes_and_places_commas),
	    cmocka_unit_test(key_blocks_sort_merge_and_drop_as_sets_do),
	    cmocka_unit_test_setup_teardown(
		store_creates_parents_and_sets_schema, setup, teardown),
	    cmocka_unit_test_setup_teardown(store_must_exist_does_not_create,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(store_refuses_newer_schema, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(store_refuses_non_database, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		bulk_units_keep_the_ids_they_were_given, setup, teardown),
	    cmocka_unit_test_setup_teardown(store_round_trips_a_unit, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		store_merges_duplicates_keeping_newest_dates, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		store_keeps_alternative_translations, setup, teardown),
	    cmocka_unit_test_setup_teardown(store_counts_pairs, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(store_merge_texts_keeps_every_note,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		transaction_rollback_leaves_store_unchanged, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		import_transaction_skips_foreign_keys_until_it_ends, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		store_keys_of_prepared_units_are_the_same, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
