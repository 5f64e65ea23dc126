/* Writes a synthetic Norwegian/English document pair for the aligner
 * benchmark: N Norwegian sentences in paragraphs of 1-8, with numbers and
 * names shared by both sides, about 5% of Norwegian sentence pairs joined
 * into one English sentence and 1% Norwegian sentences left untranslated.
 * One sentence per line, a blank line between paragraphs (the input of
 * `tolk align --sentences`).
 *   gen_parallel N SEED NB_OUT EN_OUT */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long state;

static unsigned rnd(unsigned n)
{
	state = state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((state >> 33) % n);
}

static const char *const nbw[] = {
    "og",    "det",  "som",  "en",	    "på",	  "er",	    "for",
    "med",   "til",  "ikke", "regjeringen", "budsjettet", "landet", "møtet",
    "saken", "byen", "folk", "året",	    "sier",	  "skal"};
static const char *const enw[] = {
    "and",  "the",  "that",   "a",	    "on",     "is",	 "for",
    "with", "to",   "not",    "government", "budget", "country", "meeting",
    "case", "city", "people", "year",	    "says",   "shall"};
static const char *const names[] = {"Støre", "Macron", "NATO",	  "NRK",
				    "Oslo",  "Bergen", "Solberg", "EU"};

/* One sentence pair of k words; a name and a number on both sides. */
static void sentence(FILE *nb, FILE *en, int k, int with_en)
{
	const char *name = names[rnd(8)];
	unsigned num = rnd(100000);
	int i, n = k + (int)rnd(3);

	fputs("Det", nb);
	if (with_en)
		fputs("The", en);
	for (i = 0; i < k; i++) {
		unsigned w = rnd(20);

		fprintf(nb, " %s", nbw[w]);
		if (i == k / 2)
			fprintf(nb, " %s %u", name, num);
		(void)w;
	}
	if (with_en) {
		for (i = 0; i < n; i++) {
			fprintf(en, " %s", enw[rnd(20)]);
			if (i == n / 2)
				fprintf(en, " %s %u", name, num);
		}
	}
	fputc('.', nb);
	if (with_en)
		fputc('.', en);
}

int main(int argc, char **argv)
{
	FILE *nb, *en;
	long n, i = 0;

	if (argc != 5) {
		fputs("usage: gen_parallel N SEED NB_OUT EN_OUT\n", stderr);
		return 2;
	}
	n = atol(argv[1]);
	state = strtoull(argv[2], NULL, 10);
	nb = fopen(argv[3], "w");
	en = fopen(argv[4], "w");
	if (!nb || !en) {
		perror("gen_parallel");
		return 1;
	}
	while (i < n) {
		int p = 1 + (int)rnd(8), s;

		if (i)
			fputs("\n", nb), fputs("\n", en);
		for (s = 0; s < p && i < n; s++) {
			unsigned r = rnd(100);
			int k = 4 + (int)rnd(18);

			if (r < 1) { /* untranslated */
				sentence(nb, en, k, 0);
				fputc('\n', nb);
				i++;
			} else if (r < 6 && i + 1 < n) { /* two into one */
				sentence(nb, en, k, 1);
				fputc('\n', nb);
				fputc(' ', en);
				sentence(nb, en, 4 + (int)rnd(10), 0);
				fputs(" And more words follow here.\n", en);
				fputc('\n', nb);
				i += 2;
			} else {
				sentence(nb, en, k, 1);
				fputc('\n', nb);
				fputc('\n', en);
				i++;
			}
		}
	}
	if (fclose(nb) || fclose(en)) {
		perror("gen_parallel");
		return 1;
	}
	return 0;
}
