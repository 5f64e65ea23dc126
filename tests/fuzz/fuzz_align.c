/* libFuzzer target for the aligner.  Input: Norwegian sentences, a NUL,
 * English sentences, a NUL, term pairs "nb=en"; one sentence or pair per
 * line, a blank line starts a new paragraph.  The beads must cover every
 * sentence exactly once, in order, with a confidence in [0,1]. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "tm/text/align.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXS 512

static size_t lines(const char *p, size_t len, struct tm_align_sent *v)
{
	size_t n = 0, para = 1;
	const char *end = p + len;

	while (p < end && n < MAXS) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (l == 0) {
			para++;
		} else {
			v[n].text = p;
			v[n].len = l;
			v[n].para = para;
			n++;
		}
		p += l + 1;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tm_align_sent nb[MAXS], en[MAXS];
	static struct tm_align_term terms[16];
	static char termbuf[4096];
	struct tm_align_opts o = {0};
	struct tm_bead *b = NULL;
	struct tolk_err err;
	const char *a, *rest, *e, *t;
	size_t alen, rlen, elen, tlen, n_nb, n_en, nb_ = 0, i, ni = 0, ne = 0;

	fuzz_split(data, size, &a, &alen, &rest, &rlen);
	fuzz_split((const uint8_t *)rest, rlen, &e, &elen, &t, &tlen);
	n_nb = lines(a, alen, nb);
	n_en = lines(e, elen, en);
	/* term pairs as NUL-terminated strings */
	if (tlen >= sizeof(termbuf))
		tlen = sizeof(termbuf) - 1;
	memcpy(termbuf, t, tlen);
	termbuf[tlen] = '\0';
	for (char *p = termbuf, *nl; p && *p && o.nterms < 16; p = nl) {
		char *eq;

		nl = strchr(p, '\n');
		if (nl)
			*nl++ = '\0';
		if ((eq = strchr(p, '=')) != NULL) {
			*eq = '\0';
			terms[o.nterms].nb = p;
			terms[o.nterms].en = eq + 1;
			o.nterms++;
		}
	}
	o.terms = terms;
	o.band = size & 1 ? 2 : 0; /* a narrow band must widen itself */
	if (tm_align_run(nb, n_nb, en, n_en, &o, &b, &nb_, &err) == 0) {
		for (i = 0; i < nb_; i++) {
			if (b[i].nb_first != ni || b[i].en_first != ne ||
			    b[i].nb_count > 3 || b[i].en_count > 3 ||
			    !(b[i].confidence >= 0 && b[i].confidence <= 1))
				abort();
			ni += b[i].nb_count;
			ne += b[i].en_count;
		}
		if (ni != n_nb || ne != n_en)
			abort();
	}
	free(b);
	return 0;
}
