/* libFuzzer target for term matching.  Input: one byte of options
 * (language, case rule, find flags), patterns one per line, a NUL, then the
 * text.  Hits must lie inside the text, in order, and name a pattern that
 * was added. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "glossary/termmatch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct gl_matcher *m = NULL;
	struct gl_text *t = NULL;
	struct gl_hits hits = {0};
	struct tolk_err err;
	const char *p0, *text;
	char *pats = NULL, *p, *nl;
	size_t plen, tlen, i, tag = 0;
	unsigned opt, flags;

	if (size < 1)
		return 0;
	opt = data[0];
	fuzz_split(data + 1, size - 1, &p0, &plen, &text, &tlen);
	if (!(pats = strndup(p0, plen)))
		return 0;
	flags = (opt >> 3) & (GL_FIND_ALL | GL_FIND_COMPOUNDS);
	if (gl_matcher_new(&m, opt & 1 ? GL_LANG_EN : GL_LANG_NB, &err) ||
	    gl_text_new(&t, &err))
		goto done;
	for (p = pats; p && *p; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		enum gl_case cs = (enum gl_case)((opt >> 1) % 3);

		if (opt & 0x20)
			cs |= GL_CASE_PLURAL;
		if (gl_matcher_add(m, p, cs, tag, &err) == 0)
			tag++;
	}
	if (gl_text_set(t, text, tlen, &err) == 0 &&
	    gl_matcher_find(m, t, flags, &hits, &err) == 0) {
		for (i = 0; i < hits.n; i++) {
			const struct gl_hit *h = &hits.v[i];

			if (h->tag >= tag || h->start >= h->end ||
			    h->end > gl_text_len(t) || h->nwords == 0 ||
			    h->word + h->nwords > gl_text_words(t))
				abort();
			if (i && h->start < hits.v[i - 1].start)
				abort();
		}
	}
done:
	gl_hits_release(&hits);
	gl_text_free(t);
	gl_matcher_free(m);
	free(pats);
	return 0;
}
