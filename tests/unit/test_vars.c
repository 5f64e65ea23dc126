/* Unit tests of a unit's variants blob (tm/vars.c): what is written reads
 * back the same; a damaged blob is refused, never read past its end; the
 * pair and first-per-language rules equal lang_variant's nth. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tm/vars_int.h"

static const char attrs1[] = "x-note\0sjekket\0";

/* Three variants with each optional part present somewhere. */
static size_t sample(struct tm_var *v)
{
	memset(v, 0, 3 * sizeof(*v));
	v[0].seq = 0;
	v[0].has_key = 1;
	v[0].norm_key = (int64_t)0x8123456789abcdefull;
	v[0].lang = "nb-NO";
	v[0].lkey = "nb";
	v[0].text = "Stortinget vedtok loven.";
	v[1].seq = 1;
	v[1].has_key = 1;
	v[1].norm_key = -1;
	v[1].lang = "en-GB";
	v[1].lkey = "en";
	v[1].text = "Parliament passed the act.";
	v[1].markup = "<bpt i=\"1\">&lt;b&gt;</bpt>Parliament";
	v[1].attrs = attrs1;
	v[1].attrs_len = sizeof(attrs1) - 1;
	v[2].seq = 300; /* a gap: seq is stored, not the index */
	v[2].lang = "en";
	v[2].lkey = "en";
	v[2].text = "";
	return 3;
}

static void encode(struct tolk_buf *b, const struct tm_var *v, size_t n)
{
	tolk_buf_reset(b);
	assert_int_equal(tm_vars_append(b, v, n), 0);
	assert_int_equal(b->len, tm_vars_size(v, n));
}

static void vars_read_back_what_was_written(void **state)
{
	struct tm_var v[3], r;
	struct tm_vars_it it;
	struct tolk_buf b = TOLK_BUF_INIT;
	size_t n = sample(v), i;

	(void)state;
	encode(&b, v, n);
	assert_int_equal(tm_vars_init(&it, b.data, b.len, NULL), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(tm_vars_next(&it, &r, NULL), 1);
		assert_int_equal(r.seq, v[i].seq);
		assert_int_equal(r.has_key, v[i].has_key);
		if (v[i].has_key)
			assert_int_equal(r.norm_key, v[i].norm_key);
		assert_string_equal(r.lang, v[i].lang);
		assert_string_equal(r.lkey, v[i].lkey);
		assert_string_equal(r.text, v[i].text);
		assert_int_equal(r.text_len, strlen(v[i].text));
		if (v[i].markup)
			assert_string_equal(r.markup, v[i].markup);
		else
			assert_null(r.markup);
		assert_int_equal(r.attrs_len, v[i].attrs_len);
		if (r.attrs_len)
			assert_memory_equal(r.attrs, v[i].attrs, r.attrs_len);
		/* zero-copy: the strings are inside the blob */
		assert_true(r.text >= b.data && r.text < b.data + b.len);
	}
	assert_int_equal(tm_vars_next(&it, &r, NULL), 0);
	assert_int_equal(tm_vars_next(&it, &r, NULL), 0);
	tolk_buf_free(&b);
}

static void vars_of_no_variants_and_no_blob_are_empty(void **state)
{
	struct tm_vars_it it;
	struct tm_var r;
	struct tolk_buf b = TOLK_BUF_INIT;

	(void)state;
	encode(&b, NULL, 0);
	assert_int_equal(b.len, 2);
	assert_int_equal(tm_vars_init(&it, b.data, b.len, NULL), 0);
	assert_int_equal(tm_vars_next(&it, &r, NULL), 0);
	assert_int_equal(tm_vars_init(&it, NULL, 0, NULL), 0);
	assert_int_equal(tm_vars_next(&it, &r, NULL), 0);
	tolk_buf_free(&b);
}

/* Reads a whole blob: 0 when it is sound, TOLK_EDB when not. */
static int read_all(const void *p, size_t len)
{
	struct tm_vars_it it;
	struct tm_var r;
	struct tolk_err err = {0};
	int rc;

	if ((rc = tm_vars_init(&it, p, len, &err)))
		return rc;
	while ((rc = tm_vars_next(&it, &r, &err)) == 1)
		;
	if (rc < 0)
		assert_true(err.msg[0] != '\0');
	return rc;
}

static void vars_refuse_every_truncation_and_trailing_bytes(void **state)
{
	struct tm_var v[3];
	struct tolk_buf b = TOLK_BUF_INIT;
	unsigned char *copy;
	size_t n = sample(v), k;

	(void)state;
	encode(&b, v, n);
	assert_int_equal(read_all(b.data, b.len), 0);
	/* each prefix in a buffer of its own size: a read past it is
	 * ASan's to catch */
	for (k = 1; k < b.len; k++) {
		copy = malloc(k);
		assert_non_null(copy);
		memcpy(copy, b.data, k);
		assert_int_equal(read_all(copy, k), TOLK_EDB);
		free(copy);
	}
	assert_int_equal(tolk_buf_putc(&b, 0), 0);
	assert_int_equal(read_all(b.data, b.len), TOLK_EDB);
	tolk_buf_free(&b);
}

static void vars_refuse_an_unknown_format_and_flags(void **state)
{
	struct tm_var v[3];
	struct tolk_buf b = TOLK_BUF_INIT;
	struct tm_vars_it it;
	struct tolk_err err = {0};
	size_t n = sample(v);

	(void)state;
	encode(&b, v, n);
	b.data[0] = 2;
	assert_int_equal(tm_vars_init(&it, b.data, b.len, &err), TOLK_EDB);
	assert_non_null(strstr(err.msg, "format 2"));
	encode(&b, v, n);
	b.data[2] |= 0x40; /* the first variant's flags */
	assert_int_equal(read_all(b.data, b.len), TOLK_EDB);
	tolk_buf_free(&b);
}

/* Garbled bytes anywhere: read as a sound blob or refused, and never
 * past the end (ASan, in make check-asan). */
static void vars_survive_garbled_bytes(void **state)
{
	struct tm_var v[3];
	struct tolk_buf b = TOLK_BUF_INIT;
	unsigned char *copy;
	size_t n = sample(v), i, k;
	int rc;

	(void)state;
	encode(&b, v, n);
	srand(14);
	for (i = 0; i < 20000; i++) {
		copy = malloc(b.len);
		assert_non_null(copy);
		memcpy(copy, b.data, b.len);
		for (k = 0; k < 1 + (size_t)rand() % 3; k++)
			copy[(size_t)rand() % b.len] = (unsigned char)rand();
		rc = read_all(copy, b.len);
		assert_true(rc == 0 || rc == TOLK_EDB);
		free(copy);
	}
	tolk_buf_free(&b);
}

/* lang_variant's rule spelt out as its SQL has it: a variant's nth is
 * the number of the unit's variants of its language with a smaller seq;
 * the pair is the source's nth 0 and the target's nth 0, or 1 when both
 * are one language. */
static int nth(const struct tm_var *v, size_t n, size_t i)
{
	size_t j;
	int k = 0;

	for (j = 0; j < n; j++)
		if (strcmp(v[j].lkey, v[i].lkey) == 0 && v[j].seq < v[i].seq)
			k++;
	return k;
}

static int brute_pair(const struct tm_var *v, size_t n, const char *sk,
		      const char *tk, size_t *si, size_t *ti)
{
	int want = strcmp(sk, tk) == 0, hs = 0, ht = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (strcmp(v[i].lkey, sk) == 0 && nth(v, n, i) == 0)
			*si = i, hs = 1;
		if (strcmp(v[i].lkey, tk) == 0 && nth(v, n, i) == want)
			*ti = i, ht = 1;
	}
	return hs && ht;
}

static void vars_pairs_and_firsts_follow_lang_variants_nth(void **state)
{
	static const char *const langs[] = {"nb", "en", "de"};
	struct tm_var v[6], s, t, r;
	struct tolk_buf b = TOLK_BUF_INIT;
	struct tm_vars_it it;
	char texts[6][8];
	size_t n, i, si, ti, a, c;
	int round, rc;

	(void)state;
	srand(1014);
	for (round = 0; round < 3000; round++) {
		n = (size_t)rand() % 6;
		memset(v, 0, sizeof(v));
		for (i = 0; i < n; i++) {
			snprintf(texts[i], sizeof(texts[i]), "t%zu", i);
			v[i].seq = (int64_t)i;
			v[i].lang = v[i].lkey = langs[rand() % 3];
			v[i].text = texts[i];
		}
		encode(&b, v, n);
		for (a = 0; a < 3; a++)
			for (c = 0; c < 3; c++) {
				int want = brute_pair(v, n, langs[a], langs[c],
						      &si, &ti);

				rc = tm_vars_pair(b.data, b.len, 0, langs[a],
						  langs[c], &s, &t, NULL);
				assert_int_equal(rc, want);
				if (want) {
					assert_string_equal(s.text, v[si].text);
					assert_string_equal(t.text, v[ti].text);
				}
			}
		/* the firsts: each variant of nth 0, in order */
		assert_int_equal(tm_vars_init(&it, b.data, b.len, NULL), 0);
		for (i = 0; i < n; i++) {
			if (nth(v, n, i) != 0)
				continue;
			assert_int_equal(tm_vars_next_first(&it, &r, NULL), 1);
			assert_string_equal(r.text, v[i].text);
		}
		assert_int_equal(tm_vars_next_first(&it, &r, NULL), 0);
	}
	tolk_buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(vars_read_back_what_was_written),
	    cmocka_unit_test(vars_of_no_variants_and_no_blob_are_empty),
	    cmocka_unit_test(vars_refuse_every_truncation_and_trailing_bytes),
	    cmocka_unit_test(vars_refuse_an_unknown_format_and_flags),
	    cmocka_unit_test(vars_survive_garbled_bytes),
	    cmocka_unit_test(vars_pairs_and_firsts_follow_lang_variants_nth),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
