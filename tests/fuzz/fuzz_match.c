/* libFuzzer target for the matcher: tokenising, normalisation and scoring
 * of two segments (a NUL between them), then the candidate index: the
 * second is stored as a unit, the first looked up (fuzzy, partial and
 * concordance) and the unit deleted again.  Scores are symmetric and in
 * 0-100. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "tm/match.h"
#include "tm/store.h"
#include "tm/unit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tm_store *store;
static struct tm_matcher *matcher;

static int hit(void *ctx, const struct tm_concord_hit *h)
{
	if (h->off + h->len > strlen(h->source) + strlen(h->target) + 1)
		abort();
	++*(size_t *)ctx;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm_match_opts o = {.source_lang = "nb",
				  .target_lang = "en",
				  .min_score = 50,
				  .limit = 5};
	struct tm_match_result res = {0};
	struct tm_unit *u = NULL;
	struct tolk_err err;
	const char *a0, *b0;
	char *a, *b;
	size_t alen, blen, nhits = 0;
	int s1, s2, r1, r2;
	int64_t id = 0;

	if (!store) {
		if (tm_store_open(&store, ":memory:", 0, &err) ||
		    tm_matcher_new(&matcher, store, &err))
			abort();
	}
	fuzz_split(data, size, &a0, &alen, &b0, &blen);
	a = strndup(a0, alen);
	b = strndup(b0, blen);
	if (!a || !b)
		goto done;
	r1 = tm_match_score(matcher, a, b, &s1, &err);
	r2 = tm_match_score(matcher, b, a, &s2, &err);
	if (r1 == 0 && r2 == 0 && (s1 != s2 || s1 < 0 || s1 > 100))
		abort();
	if (tm_match_score(matcher, a, a, &s1, &err) == 0 && s1 != 100)
		abort();

	if (tm_unit_new(&u) ||
	    tm_unit_add_variant(u, "nb", b, NULL, NULL, &err) ||
	    tm_unit_add_variant(u, "en", "target", NULL, NULL, &err) ||
	    tm_store_add(store, u, TM_DUP_KEEP, &id, NULL, &err))
		id = 0;
	if (tm_match_lookup(matcher, a, &o, &res, &err) == 0)
		if (res.nmatches > o.limit)
			abort();
	tm_match_result_release(&res);
	o.min_score = 100;
	tm_match_lookup(matcher, a, &o, &res, &err);
	tm_match_result_release(&res);
	tm_match_concordance(matcher, a, &o, hit, &nhits, &err);
	if (id && tm_store_delete(store, id, &err))
		abort();
done:
	tm_unit_free(u);
	free(a);
	free(b);
	return 0;
}
