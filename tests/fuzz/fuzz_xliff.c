/* libFuzzer target for the check's bilingual readers (glossary/segread.c,
 * XLIFF through tm/xliff.c): the same bytes are read as XLIFF (1.x or
 * 2.0) and as nb<TAB>en TSV. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "glossary/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int seg(void *ctx, const struct gl_segment *s, struct tolk_err *err)
{
	(void)err;
	/* both sides are strings the checker can read to the end */
	if (!s->source || !s->target)
		abort();
	*(size_t *)ctx += strlen(s->source) + strlen(s->target);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tolk_err err;
	char path[64];
	size_t n = 0;
	int fd = fuzz_memfile(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	gl_read_xliff(path, "nb", "en", seg, &n, &err);
	gl_read_xliff(path, "en-GB", "nb-NO", seg, &n, &err);
	gl_read_tsv(path, seg, &n, &err);
	close(fd);
	return 0;
}
