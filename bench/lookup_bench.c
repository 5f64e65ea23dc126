/* Lookups on an existing TM: the queries of a file (one a line), each
 * timed as one library call (as `tolk lookup -` makes them, without
 * process start-up), then the first EXHAUSTIVE of them again with
 * --exhaustive to check that the index found every match >= 70.
 *
 *   lookup_bench DB QUERIES_FILE EXHAUSTIVE [SRC TGT]
 *
 * Prints one line of key=value figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_NAME "lookup_bench"
#include "bench/bench.h"
#include "tm/match.h"
#include "tm/store.h"

/* Same id and score in both results, for every match of ex. */
static void compare(const struct tm_match_result *ix,
		    const struct tm_match_result *ex, size_t *found,
		    size_t *total)
{
	size_t k, j;

	for (k = 0; k < ex->nmatches; k++) {
		(*total)++;
		for (j = 0; j < ix->nmatches; j++)
			if (ix->matches[j].id == ex->matches[k].id &&
			    ix->matches[j].score == ex->matches[k].score)
				break;
		*found += j < ix->nmatches;
	}
	for (k = 0; k < ex->npartial; k++) {
		(*total)++;
		for (j = 0; j < ix->npartial; j++)
			if (ix->partial[j].id == ex->partial[k].id)
				break;
		*found += j < ix->npartial;
	}
}

int main(int argc, char **argv)
{
	const char *slang = argc > 5 ? argv[4] : "nb";
	const char *tlang = argc > 5 ? argv[5] : "en";
	struct tm_store *s = NULL;
	struct tm_matcher *m = NULL;
	struct tolk_err err;
	char **q = NULL, line[8192];
	size_t nq = 0, cap = 0, nex, i, cand = 0, matched = 0;
	size_t found = 0, total = 0, ex_done = 0;
	double *lat, sum = 0, sum_ex = 0, t;
	FILE *f;

	if (argc < 4) {
		fprintf(stderr, "usage: lookup_bench DB QUERIES EXHAUSTIVE "
				"[SRC TGT]\n");
		return 2;
	}
	nex = strtoul(argv[3], NULL, 10);
	if (!(f = fopen(argv[2], "r"))) {
		perror(argv[2]);
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (nq == cap) {
			cap = cap ? 2 * cap : 256;
			if (!(q = realloc(q, cap * sizeof(*q))))
				return 3;
		}
		if (!(q[nq++] = strdup(line)))
			return 3;
	}
	fclose(f);
	if (!nq) {
		fprintf(stderr, "lookup_bench: no queries\n");
		return 2;
	}
	if (!(lat = malloc(nq * sizeof(*lat))))
		return 3;
	tolk_err_clear(&err);
	/* as `tolk lookup` opens it */
	if (tm_store_open(&s, argv[1], TM_STORE_MUST_EXIST | TM_STORE_READ,
			  &err) ||
	    tm_matcher_new(&m, s, &err))
		return die("open", &err);
	for (i = 0; i < nq; i++) {
		struct tm_match_opts o = {slang, tlang, 70, 5, 0};
		struct tm_match_result r;

		t = now();
		if (tm_match_lookup(m, q[i], &o, &r, &err))
			return die("lookup", &err);
		lat[i] = now() - t;
		sum += lat[i];
		cand += r.candidates;
		matched += r.nmatches > 0;
		if (getenv("LOOKUP_BENCH_SLOW") &&
		    lat[i] * 1e3 > atof(getenv("LOOKUP_BENCH_SLOW")))
			fprintf(stderr, "slow %.1f ms cand %zu [%s]\n",
				lat[i] * 1e3, r.candidates, q[i]);
		tm_match_result_release(&r);
	}
	for (i = 0; i < nq && i < nex; i++) {
		struct tm_match_opts o = {slang, tlang, 70, 0, 0};
		struct tm_match_result ix, ex;

		if (tm_match_lookup(m, q[i], &o, &ix, &err))
			return die("lookup", &err);
		o.flags = TM_MATCH_EXHAUSTIVE;
		t = now();
		if (tm_match_lookup(m, q[i], &o, &ex, &err))
			return die("exhaustive lookup", &err);
		sum_ex += now() - t;
		ex_done++;
		compare(&ix, &ex, &found, &total);
		tm_match_result_release(&ix);
		tm_match_result_release(&ex);
	}
	qsort(lat, nq, sizeof(*lat), cmp_double);
	printf("queries=%zu p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f "
	       "mean_ms=%.2f candidates_mean=%.0f matched=%zu "
	       "exhaustive_queries=%zu exhaustive_mean_ms=%.0f recall=%zu/%zu\n",
	       nq, pct(lat, nq, 0.50) * 1e3, pct(lat, nq, 0.95) * 1e3,
	       pct(lat, nq, 0.99) * 1e3, lat[nq - 1] * 1e3,
	       sum / (double)nq * 1e3, (double)cand / (double)nq, matched,
	       ex_done, ex_done ? sum_ex / (double)ex_done * 1e3 : 0, found,
	       total);
	tm_matcher_free(m);
	tm_store_close(s);
	for (i = 0; i < nq; i++)
		free(q[i]);
	free(q);
	free(lat);
	return found == total ? 0 : 1;
}
