/* Fuzz target: a unit's variants blob (tm/vars.c), which a TM file
 * anyone may have written hands the decoder.  Never a read past the end;
 * what decodes, written again, reads back the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tm/vars_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAXV 64

static void same_or_abort(const struct tm_var *a, const struct tm_var *b)
{
	if (a->seq != b->seq || a->has_key != b->has_key ||
	    (a->has_key && a->norm_key != b->norm_key) ||
	    strcmp(a->lang, b->lang) || strcmp(a->lkey, b->lkey) ||
	    strcmp(a->text, b->text) || !a->markup != !b->markup ||
	    (a->markup && strcmp(a->markup, b->markup)) ||
	    a->attrs_len != b->attrs_len ||
	    (a->attrs_len && memcmp(a->attrs, b->attrs, a->attrs_len)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm_var v[MAXV], w, s, t;
	struct tm_vars_it it;
	struct tolk_buf b = TOLK_BUF_INIT;
	unsigned char *copy;
	size_t n = 0, i;
	int rc;

	/* a buffer of its own size: ASan sees a read past it */
	if (!(copy = malloc(size ? size : 1)))
		return 0;
	memcpy(copy, data, size);
	if (tm_vars_init(&it, copy, size, NULL) == 0) {
		while ((rc = tm_vars_next(&it, &w, NULL)) == 1)
			if (n < MAXV)
				v[n++] = w;
		if (rc == 0 && n < MAXV && tm_vars_append(&b, v, n) == 0 &&
		    tm_vars_init(&it, b.data, b.len, NULL) == 0) {
			for (i = 0; i < n; i++) {
				if (tm_vars_next(&it, &w, NULL) != 1)
					abort();
				same_or_abort(&v[i], &w);
			}
			if (tm_vars_next(&it, &w, NULL) != 0)
				abort();
		}
	}
	if (tm_vars_init(&it, copy, size, NULL) == 0)
		while (tm_vars_next_first(&it, &w, NULL) == 1)
			;
	tm_vars_pair(copy, size, 0, "nb", "en", &s, &t, NULL);
	tm_vars_pair(copy, size, 0, "en", "en", &s, &t, NULL);
	tolk_buf_free(&b);
	free(copy);
	return 0;
}
