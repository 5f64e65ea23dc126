/* Unit tests of context matches (tm/context.c): hashing, agreement, the
 * store's unit_context rows, and lookups scoring 101. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tm/context.h"
#include "tm/match.h"
#include "tm/store.h"
#include "tm/unit.h"

static char dir[256];
static char dbpath[300];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tolk-test-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/tm.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static struct tm_unit *pair(const char *nb, const char *en, const char *prev,
			    const char *next)
{
	struct tm_unit *u = NULL;

	assert_int_equal(tm_unit_new(&u), 0);
	assert_int_equal(tm_unit_set_attr(u, "srclang", "nb"), 0);
	assert_int_equal(tm_unit_add_variant(u, "nb", nb, NULL, NULL, NULL), 0);
	assert_int_equal(tm_unit_add_variant(u, "en", en, NULL, NULL, NULL), 0);
	if (prev || next)
		assert_int_equal(tm_context_add_props(u, prev, next, NULL), 0);
	return u;
}

static void
context_is_the_same_up_to_white_space_and_normalisation(void **state)
{
	struct tm_context a, b, c, none = {0, 0, 0};

	(void)state;
	/* "å" precomposed and as a + combining ring */
	assert_int_equal(tm_context_set(&a, "Gå  hjem. ", NULL, NULL), 0);
	assert_int_equal(tm_context_set(&b, "Ga\xcc\x8a hjem.", "", NULL), 0);
	assert_int_equal(tm_context_set(&c, "Gå hjem!", NULL, NULL), 0);
	assert_int_equal(tm_context_agreement(&a, &b), 2);
	assert_int_equal(tm_context_agreement(&a, &c), 1);
	assert_int_equal(tm_context_agreement(&a, &none), 0);
	assert_int_equal(tm_context_agreement(&none, &none), 0);
}

static void
a_unit_reads_its_context_from_the_first_prev_and_next_props(void **state)
{
	struct tm_unit *u = pair("B.", "Bee.", "A.", "C."), *v;
	struct tm_context c, want;

	(void)state;
	assert_int_equal(tm_context_of_unit(u, &c, NULL), 0);
	assert_int_equal(tm_context_set(&want, "A.", "C.", NULL), 0);
	assert_int_equal(tm_context_agreement(&c, &want), 2);
	/* a second pair of props does not change it */
	assert_int_equal(tm_context_add_props(u, "X.", "Y.", NULL), 0);
	assert_int_equal(tm_context_of_unit(u, &c, NULL), 0);
	assert_int_equal(tm_context_agreement(&c, &want), 2);
	v = pair("B.", "Bee.", NULL, NULL);
	assert_int_equal(tm_context_of_unit(v, &c, NULL), 0);
	assert_int_equal(c.known, 0);
	tm_unit_free(u);
	tm_unit_free(v);
}

static void stored_context_goes_with_its_unit(void **state)
{
	struct tm_store *s = NULL;
	struct tm_unit *u = pair("B.", "Bee.", "A.", "C.");
	struct tm_context c, want;
	struct tolk_err err;
	int64_t id, id2;
	int agree;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	assert_int_equal(tm_store_add(s, u, TM_DUP_MERGE, &id, NULL, &err), 0);
	assert_int_equal(tm_context_get(s, id, &c, &err), 0);
	assert_int_equal(tm_context_set(&want, "A.", "C.", NULL), 0);
	assert_int_equal(tm_context_agreement(&c, &want), 2);
	assert_int_equal(tm_context_agree(s, id, &want, &agree, &err), 0);
	assert_int_equal(agree, 2);
	assert_int_equal(tm_store_delete(s, id, &err), 0);
	assert_int_equal(tm_context_get(s, id, &c, &err), 0);
	assert_int_equal(c.known, 0);
	/* the id may be given again: no row of the old unit is in the way */
	tm_unit_free(u);
	u = pair("B.", "Bee.", "X.", "Y.");
	assert_int_equal(tm_store_add(s, u, TM_DUP_MERGE, &id2, NULL, &err), 0);
	assert_int_equal(tm_context_agree(s, id2, &want, &agree, &err), 0);
	assert_int_equal(agree, 0);
	tm_unit_free(u);
	tm_store_close(s);
}

static void
the_unit_in_the_querys_context_scores_101_and_ranks_first(void **state)
{
	struct tm_store *s = NULL;
	struct tm_matcher *m = NULL;
	struct tm_match_opts o;
	struct tm_match_result r;
	struct tm_context ctx;
	struct tm_unit *u;
	struct tolk_err err;
	int64_t want;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	u = pair("Avbryt", "Cancel", "Åpne", "OK");
	assert_int_equal(tm_store_add(s, u, TM_DUP_MERGE, NULL, NULL, &err), 0);
	tm_unit_free(u);
	u = pair("Avbryt", "Abort", "Lagre?", "Lagre");
	assert_int_equal(tm_store_add(s, u, TM_DUP_MERGE, &want, NULL, &err),
			 0);
	tm_unit_free(u);
	assert_int_equal(tm_matcher_new(&m, s, &err), 0);
	memset(&o, 0, sizeof(o));
	o.source_lang = "nb";
	o.target_lang = "en";
	o.min_score = 70;
	o.limit = 1;
	assert_int_equal(tm_context_set(&ctx, "Lagre?", "Lagre", NULL), 0);
	assert_int_equal(
	    tm_match_lookup_in_context(m, "Avbryt", &ctx, &o, &r, &err), 0);
	assert_int_equal(r.nmatches, 1);
	assert_int_equal(r.matches[0].score, 101);
	assert_int_equal(r.matches[0].id, want);
	assert_string_equal(r.matches[0].target, "Abort");
	tm_match_result_release(&r);
	/* without context: both 100, the first stored first */
	o.limit = 5;
	assert_int_equal(tm_match_lookup(m, "Avbryt", &o, &r, &err), 0);
	assert_int_equal(r.nmatches, 2);
	assert_int_equal(r.matches[0].score, 100);
	assert_int_equal(r.matches[1].score, 100);
	tm_match_result_release(&r);
	tm_matcher_free(m);
	tm_store_close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		context_is_the_same_up_to_white_space_and_normalisation),
	    cmocka_unit_test(
		a_unit_reads_its_context_from_the_first_prev_and_next_props),
	    cmocka_unit_test_setup_teardown(stored_context_goes_with_its_unit,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		the_unit_in_the_querys_context_scores_101_and_ranks_first,
		setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
