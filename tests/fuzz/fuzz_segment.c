/* libFuzzer target for the segmenter with tolk's compiled-in rules: the
 * first byte picks the language and mode, the rest is the text.  Every
 * sentence must lie inside the text, in order, trimmed and non-empty. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "tm/text/segment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const langs[] = {"nb", "en", "nn-NO", "de"};
static struct tm_segmenter *seg[4][2];

static void check(const struct tm_sentence *s, size_t n, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i].start >= s[i].end || s[i].end > len)
			abort();
		if (i &&
		    (s[i].start < s[i - 1].end || s[i].para < s[i - 1].para))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm_sentence *s = NULL;
	struct tolk_err err;
	const char *text;
	size_t n = 0, len;
	unsigned l, srx_only;

	if (size < 1)
		return 0;
	l = data[0] & 3;
	srx_only = (data[0] >> 2) & 1;
	text = (const char *)data + 1;
	len = size - 1;
	/* segmenters are reused, as `tolk segment` does line after line */
	if (!seg[l][srx_only] &&
	    tm_segmenter_new(&seg[l][srx_only], langs[l], NULL,
			     srx_only ? TM_SEGMENT_SRX_ONLY : 0, &err))
		abort(); /* the built-in rules always load */
	if (tm_segment_text(seg[l][srx_only], text, len, &s, &n, &err) == 0)
		check(s, n, len);
	free(s);
	s = NULL;
	if (tm_segment_lines(text, len, &s, &n, &err) == 0)
		check(s, n, len);
	free(s);
	return 0;
}
