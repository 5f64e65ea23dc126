#include "tm/keyblk_int.h"

#include <stdlib.h>
#include <string.h>

int tm_keyblk_next(struct tm_keyblk_it *it, unsigned *low, int64_t *id)
{
	const unsigned char *p = it->p;
	uint64_t v = 0;
	unsigned shift = 0;

	if (!p || it->end - p < 3)
		return 0;
	*low = (unsigned)p[0] | (unsigned)p[1] << 8;
	p += 2;
	for (;;) {
		if (p == it->end || shift > 63) {
			it->p = it->end;
			return 0;
		}
		v |= (uint64_t)(*p & 0x7f) << shift;
		if (!(*p++ & 0x80))
			break;
		shift += 7;
	}
	it->p = p;
	*id = (int64_t)v;
	return 1;
}

int tm_keyblk_put(struct tolk_buf *b, unsigned low, int64_t id)
{
	unsigned char e[TM_KEYBLK_ENTRY_MAX];

	return tolk_buf_append(b, e, tm_keyblk_enc(e, low, id)) ? -1 : 0;
}

/* Entry order: bits, then id. */
static int entry_cmp(unsigned la, int64_t ia, unsigned lb, int64_t ib)
{
	if (la != lb)
		return la < lb ? -1 : 1;
	return ia < ib ? -1 : ia > ib;
}

int tm_keyblk_merge(struct tolk_buf *out, const void *a, size_t na,
		    const void *b, size_t nb)
{
	struct tm_keyblk_it x, y;
	unsigned lx = 0, ly = 0;
	int64_t ix = 0, iy = 0;
	int hx, hy, bad = 0;

	tm_keyblk_it_init(&x, a, na);
	tm_keyblk_it_init(&y, b, nb);
	hx = tm_keyblk_next(&x, &lx, &ix);
	hy = tm_keyblk_next(&y, &ly, &iy);
	while ((hx || hy) && !bad) {
		int c = !hx ? 1 : !hy ? -1 : entry_cmp(lx, ix, ly, iy);

		if (c <= 0) {
			bad = tm_keyblk_put(out, lx, ix);
			hx = tm_keyblk_next(&x, &lx, &ix);
			if (c == 0)
				hy = tm_keyblk_next(&y, &ly, &iy);
		} else {
			bad = tm_keyblk_put(out, ly, iy);
			hy = tm_keyblk_next(&y, &ly, &iy);
		}
	}
	return bad;
}

int tm_keyblk_drop(struct tolk_buf *out, const void *a, size_t na, int64_t id)
{
	struct tm_keyblk_it it;
	unsigned low;
	int64_t v;

	tm_keyblk_it_init(&it, a, na);
	while (tm_keyblk_next(&it, &low, &v))
		if (v != id && tm_keyblk_put(out, low, v))
			return -1;
	return 0;
}

static int word_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Sorts a bucket's few entries: most buckets hold tens. */
static void sort_small(uint64_t *e, size_t n)
{
	size_t i, j;

	if (n > 48) {
		qsort(e, n, sizeof(*e), word_cmp);
		return;
	}
	for (i = 1; i < n; i++) {
		uint64_t v = e[i];

		for (j = i; j > 0 && e[j - 1] > v; j--)
			e[j] = e[j - 1];
		e[j] = v;
	}
}

size_t tm_keyblk_sort(uint64_t *e, size_t n)
{
	size_t *end = NULL, *next = NULL, i, k, w, lo, hi, nb;
	unsigned sh = 64 - TM_KEYBLK_BITS;

	if (n < 2)
		return n;
	/* In place by the words' high bits (spread by the hash), in groups of
	 * four to eight entries, about: each entry goes to its group's next
	 * free place, the one there taken on, until the place's own entry
	 * arrives.  Then each group alone.  By the bucket's bits alone the
	 * groups held tens at 200,000 units and a hundred at a million
	 * (qsort's calls), each sorted by comparisons the processor could
	 * not foresee.  Only the groups between the least
	 * and the greatest present count: the store sorts its entries in
	 * parts of a few buckets each (tm/store.c's keyset), so that each
	 * part's moves stay in the processor's caches.  A second copy of the
	 * entries would cost an import of a million units 24 MB more. */
	lo = hi = (size_t)(e[0] >> sh);
	for (i = 1; i < n; i++) {
		k = (size_t)(e[i] >> sh);
		lo = k < lo ? k : lo;
		hi = k > hi ? k : hi;
	}
	/* finer while that leaves four entries a group or more (and a key's
	 * 16 bits after its bucket's last) */
	while (sh > 64 - TM_KEYBLK_BITS - 16 && ((hi - lo + 1) << 3) <= n) {
		sh--;
		lo = lo << 1;
		hi = hi << 1 | 1;
	}
	nb = hi - lo + 1;
	if (!(end = calloc(nb, sizeof(*end))) ||
	    !(next = malloc(nb * sizeof(*next)))) {
		free(end);
		qsort(e, n, sizeof(*e), word_cmp);
		goto unique;
	}
	for (i = 0; i < n; i++)
		end[(size_t)(e[i] >> sh) - lo]++;
	for (w = 0, k = 0; k < nb; k++) {
		next[k] = w;
		w += end[k];
		end[k] = w;
	}
	for (k = 0; k < nb; k++)
		while (next[k] < end[k]) {
			uint64_t v = e[next[k]];
			size_t b = (size_t)(v >> sh) - lo;

			while (b != k) {
				uint64_t t = e[next[b]];

				e[next[b]++] = v;
				v = t;
				b = (size_t)(v >> sh) - lo;
			}
			e[next[k]++] = v;
		}
	for (w = 0, k = 0; k < nb; k++) {
		sort_small(e + w, end[k] - w);
		w = end[k];
	}
	free(end);
	free(next);
unique:
	for (w = 1, i = 1; i < n; i++)
		if (e[i] != e[w - 1])
			e[w++] = e[i];
	return w;
}
