/* Concurrent lookups on a PostgreSQL TM: CLIENTS processes, each with its
 * own connection, look up PER_CLIENT queries of a file at the same time;
 * every query is timed on its own (one library call or one statement and
 * its rescoring), so the percentiles are per query, not per batch.
 *
 *   pg_bench MODE URI QUERIES EXPECTED CLIENTS PER_CLIENT [THRESHOLD]
 *
 * MODE tolk: tm_match_lookup (min score 70, limit 5), as `tolk lookup`.
 * MODE trgm: the way Weblate searches its memory with pg_trgm: the
 * sources in trgm_memory(id, source, target) under a GIN gin_trgm_ops
 * index, pg_trgm.similarity_threshold set to THRESHOLD (default 0.5),
 * "source % q ORDER BY similarity(source, q) DESC LIMIT 10", then the
 * candidates rescored (word edit distance, as a percentage of the longer
 * text's words) and those >= 70 kept, best 5.
 * EXPECTED holds, line for line with QUERIES, the stored source each
 * query was made from: a query's hit is that source among its results.
 * Client i starts at query i * n / CLIENTS, so the clients do not ask
 * the same thing at the same moment.
 *
 * Prints one line of key=value figures. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BENCH_NAME "pg_bench"
#include "bench/bench.h"
#include "tm/db.h"
#include "tm/match.h"
#include "tm/store.h"

#define TRGM_CANDIDATES 10
#define MIN_SCORE	70
#define LIMIT		5
#define MAX_WORDS	256

struct query {
	char *text, *expected;
};

static char **read_lines(const char *path, size_t *n)
{
	char line[8192], **v = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	*n = 0;
	if (!f) {
		perror(path);
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (*n == cap) {
			char **p;

			cap = cap ? 2 * cap : 256;
			if (!(p = realloc(v, cap * sizeof(*v))))
				break;
			v = p;
		}
		if (!(v[*n] = strdup(line)))
			break;
		(*n)++;
	}
	fclose(f);
	return v;
}

/* Splits s at spaces into at most MAX_WORDS words (pointers into s,
 * which is changed). */
static size_t words(char *s, char **w)
{
	size_t n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(s, " ", &save); t && n < MAX_WORDS;
	     t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	return n;
}

/* 100 * (1 - word edit distance / words of the longer text). */
static int rescore(const char *a, const char *b)
{
	static size_t row[MAX_WORDS + 1];
	char *x = strdup(a), *y = strdup(b), *wa[MAX_WORDS], *wb[MAX_WORDS];
	size_t na, nb, i, j, diag, max;
	int score = 0;

	if (!x || !y)
		goto done;
	na = words(x, wa);
	nb = words(y, wb);
	for (j = 0; j <= nb; j++)
		row[j] = j;
	for (i = 1; i <= na; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= nb; j++) {
			size_t sub = diag + (strcmp(wa[i - 1], wb[j - 1]) != 0);
			size_t best = row[j] + 1 < row[j - 1] + 1 ? row[j] + 1
								  : row[j - 1] + 1;

			diag = row[j];
			row[j] = sub < best ? sub : best;
		}
	}
	max = na > nb ? na : nb;
	score = max ? (int)(100 * (max - row[nb]) / max) : 100;
done:
	free(x);
	free(y);
	return score;
}

static const char SQL_TRGM[] =
    "SELECT id, source, target FROM trgm_memory WHERE source % ?1 "
    "ORDER BY similarity(source, ?1) DESC LIMIT ?2";

/* One trgm lookup: 1 when the expected source is among the rescored
 * results. */
static int trgm_lookup(struct tm_db *db, const struct query *q,
		       struct tolk_err *err)
{
	struct tm_db_stmt *st = tm_db_stmt(db, SQL_TRGM, err);
	int score[TRGM_CANDIDATES], hit[TRGM_CANDIDATES], n = 0, rc, k, i;

	if (!st)
		return -1;
	tm_db_bind_text(st, 1, q->text, -1);
	tm_db_bind_int64(st, 2, TRGM_CANDIDATES);
	while (n < TRGM_CANDIDATES &&
	       (rc = tm_db_step(st, "trgm lookup", err)) == 1) {
		const char *src = tm_db_col_text(st, 1);

		score[n] = rescore(q->text, src);
		hit[n] = strcmp(src, q->expected) == 0;
		n++;
	}
	tm_db_reset(st);
	if (rc < 0)
		return -1;
	/* the best LIMIT of those >= MIN_SCORE: is the expected one in? */
	for (i = 0; i < n; i++) {
		int better = 0;

		if (!hit[i] || score[i] < MIN_SCORE)
			continue;
		for (k = 0; k < n; k++)
			better += score[k] >= MIN_SCORE &&
				  (score[k] > score[i] ||
				   (score[k] == score[i] && k < i));
		return better < LIMIT;
	}
	return 0;
}

static int tolk_lookup(struct tm_matcher *m, const struct query *q,
		       struct tolk_err *err)
{
	struct tm_match_opts o = {"nb", "en", MIN_SCORE, LIMIT, 0};
	struct tm_match_result r;
	size_t i;
	int hit = 0;

	if (tm_match_lookup(m, q->text, &o, &r, err))
		return -1;
	for (i = 0; i < r.nmatches; i++)
		hit |= strcmp(r.matches[i].source, q->expected) == 0;
	tm_match_result_release(&r);
	return hit;
}

/* Client c's share: lat[] and hit[] are the parent's shared memory. */
static int client(int trgm, const char *uri, const char *threshold,
		  const struct query *q, size_t nq, size_t c, size_t clients,
		  size_t per, double *lat, char *hit)
{
	struct tm_store *s = NULL;
	struct tm_matcher *m = NULL;
	struct tm_db *db = NULL;
	struct tolk_err err;
	char set[96];
	size_t j;
	int rc = 0;

	tolk_err_clear(&err);
	if (trgm) {
		snprintf(set, sizeof(set),
			 "SET pg_trgm.similarity_threshold = %g",
			 atof(threshold));
		if (tm_db_open(&db, uri, TM_DB_MUST_EXIST | TM_DB_READ_INTENT,
			       &err) ||
		    tm_db_exec(db, set, "set threshold", &err)) {
			rc = die("open", &err);
			goto done;
		}
	} else if (tm_store_open(&s, uri,
				 TM_STORE_MUST_EXIST | TM_STORE_READ, &err) ||
		   tm_matcher_new(&m, s, &err)) {
		rc = die("open", &err);
		goto done;
	}
	for (j = 0; j < per; j++) {
		const struct query *qq = &q[(c * nq / clients + j) % nq];
		double t = now();
		int h = trgm ? trgm_lookup(db, qq, &err)
			     : tolk_lookup(m, qq, &err);

		if (h < 0) {
			rc = die("lookup", &err);
			goto done;
		}
		lat[c * per + j] = now() - t;
		hit[c * per + j] = (char)h;
	}
done:
	tm_matcher_free(m);
	tm_store_close(s);
	tm_db_close(db);
	return rc;
}

int main(int argc, char **argv)
{
	const char *threshold = argc > 7 ? argv[7] : "0.5";
	char **qs, **ex;
	struct query *q;
	size_t nq, ne, clients, per, total, i, hits = 0;
	double *lat, sum = 0, t0, wall;
	char *hit;
	int trgm, failed = 0;

	if (argc < 7 || (strcmp(argv[1], "tolk") && strcmp(argv[1], "trgm"))) {
		fprintf(stderr, "usage: pg_bench tolk|trgm URI QUERIES "
				"EXPECTED CLIENTS PER_CLIENT [THRESHOLD]\n");
		return 2;
	}
	trgm = strcmp(argv[1], "trgm") == 0;
	qs = read_lines(argv[3], &nq);
	ex = read_lines(argv[4], &ne);
	clients = strtoul(argv[5], NULL, 10);
	per = strtoul(argv[6], NULL, 10);
	if (!qs || !ex || !nq || nq != ne || !clients || !per) {
		fprintf(stderr, "pg_bench: need as many queries as expected "
				"sources, and clients and queries > 0\n");
		return 2;
	}
	if (!(q = calloc(nq, sizeof(*q))))
		return 3;
	for (i = 0; i < nq; i++) {
		q[i].text = qs[i];
		q[i].expected = ex[i];
	}
	total = clients * per;
	lat = mmap(NULL, total * (sizeof(*lat) + 1), PROT_READ | PROT_WRITE,
		   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (lat == MAP_FAILED)
		return 3;
	hit = (char *)(lat + total);
	t0 = now();
	for (i = 0; i < clients; i++) {
		pid_t p = fork();

		if (p < 0) {
			perror("fork");
			return 3;
		}
		if (p == 0)
			_exit(client(trgm, argv[2], threshold, q, nq, i,
				     clients, per, lat, hit));
	}
	for (i = 0; i < clients; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			failed = 1;
	}
	wall = now() - t0;
	if (failed) {
		fprintf(stderr, "pg_bench: a client failed\n");
		return 3;
	}
	for (i = 0; i < total; i++) {
		sum += lat[i];
		hits += (size_t)hit[i];
	}
	qsort(lat, total, sizeof(*lat), cmp_double);
	printf("clients=%zu queries=%zu p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f "
	       "mean_ms=%.1f qps=%.0f recall=%zu/%zu\n",
	       clients, total, pct(lat, total, 0.50) * 1e3,
	       pct(lat, total, 0.95) * 1e3, pct(lat, total, 0.99) * 1e3,
	       sum / (double)total * 1e3, (double)total / wall, hits, total);
	for (i = 0; i < nq; i++) {
		free(qs[i]);
		free(ex[i]);
	}
	free(qs);
	free(ex);
	free(q);
	return 0;
}
