/* libFuzzer target for the TM's XLIFF reader and splicing writer
 * (tm/xliff.c): any bytes give a document or a located error; a document
 * read, every segment filled (with its own source markup), given a
 * candidate, a note and (2.0) a glossary entry, must write out as XLIFF that
 * reads back with the same segments.  Never a crash or a leak. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "tm/xliff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The written copy goes to a folder of this process's own. */
static const char *out_path(void)
{
	static char dir[64], path[96];

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "/tmp/fuzz_xliff_tm.XXXXXX");
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof(path), "%s/out.xlf", dir);
	}
	return path;
}

static void cleanup(void)
{
	const char *p = out_path();
	char dir[96];

	unlink(p);
	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(p, '/') - p), p);
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int registered;
	struct tm_xliff *x = NULL, *y = NULL;
	struct tolk_err err;
	char path[64];
	size_t i, n;
	int fd = fuzz_memfile(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (!registered) {
		registered = 1;
		atexit(cleanup);
	}
	if (tm_xliff_open(&x, path, &err))
		goto done;
	n = tm_xliff_count(x);
	for (i = 0; i < n; i++) {
		const struct tm_xliff_seg *g = tm_xliff_segment(x, i);

		/* every segment has its source as a string */
		if (!g->source || !g->unit_id)
			abort();
		if (g->locked)
			continue;
		if (tm_xliff_fill(x, i, g->source, g->source_markup,
				  (enum tm_xliff_quality)(i % 3),
				  99 + (int)(i % 3)) ||
		    tm_xliff_add_candidate(x, i, 80, g->source,
					   g->source_markup, g->source,
					   g->source_markup) ||
		    tm_xliff_add_note(x, i, "fuzz <&> note") ||
		    (tm_xliff_version(x) == 2 &&
		     tm_xliff_add_term(x, i, g->source, &g->source, 1,
				       "fuzz <&> definition")))
			goto done;
	}
	if (tm_xliff_write(x, out_path(), &err))
		goto done;
	if (tm_xliff_open(&y, out_path(), &err)) {
		fprintf(stderr, "written XLIFF does not read back: %s\n",
			err.msg);
		abort();
	}
	if (tm_xliff_count(y) != n) {
		fprintf(stderr, "%zu segments read, %zu after writing\n", n,
			tm_xliff_count(y));
		abort();
	}
done:
	tm_xliff_free(y);
	tm_xliff_free(x);
	close(fd);
	return 0;
}
