/* The tokenizer alone: every line of a file tokenised ROUNDS times with
 * one tokenizer, as the indexing thread and the lookups do.  Prints the
 * texts, tokens and seconds; run it under `perf stat -e instructions`
 * for the steady figure.
 *
 *   tok_bench FILE [ROUNDS [icu]]
 *
 * icu: every text through ICU's word breaks, as before the fast path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tm/match_int.h"
#include "tm/match_tok_int.h"

int main(int argc, char **argv)
{
	struct tolk_err err = {0};
	struct mt_tokenizer *tk = NULL;
	struct mt_text mt = {0};
	char *line = NULL;
	size_t cap = 0, texts = 0, toks = 0, ntexts, nfast;
	int rounds = argc > 2 ? atoi(argv[2]) : 1, r, rc = 1;
	struct timespec t0, t1;
	ssize_t n;
	FILE *f;

	if (argc < 2 || !(f = fopen(argv[1], "r"))) {
		fprintf(stderr, "usage: tok_bench FILE [ROUNDS]\n");
		return 2;
	}
	if (mt_tokenizer_new(&tk, &err))
		goto done;
	if (argc > 3 && strcmp(argv[3], "icu") == 0)
		mt_tokenizer_set_path(tk, MT_PATH_ICU);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 0; r < rounds; r++) {
		rewind(f);
		while ((n = getline(&line, &cap, f)) > 0) {
			if (line[n - 1] == '\n')
				n--;
			if (mt_tokenize(tk, line, (size_t)n, &mt, &err))
				goto done;
			texts++;
			toks += mt.n;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	mt_tokenizer_counts(tk, &ntexts, &nfast);
	printf("texts=%zu tokens=%zu fast=%zu seconds=%.3f\n", texts, toks,
	       nfast,
	       (double)(t1.tv_sec - t0.tv_sec) +
		   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = 0;
done:
	if (rc)
		fprintf(stderr, "tok_bench: %s\n", err.msg);
	mt_text_release(&mt);
	mt_tokenizer_free(tk);
	free(line);
	fclose(f);
	return rc;
}
