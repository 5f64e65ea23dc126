/* The body shared by the glossary-reader fuzz targets: read the input as
 * a glossary of the given format, then compile the entries into a
 * consistency checker (which feeds every term and rendering to the term
 * matcher) and check one segment built from them. */
#ifndef TOLK_FUZZ_GLOSSARY_H
#define TOLK_FUZZ_GLOSSARY_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "glossary/check.h"
#include "glossary/glossary.h"

static inline int fuzz_glossary_count(void *ctx, const struct gl_finding *f)
{
	(void)f;
	++*(size_t *)ctx;
	return 0;
}

static inline int fuzz_glossary_file(const uint8_t *data, size_t size,
				     enum gl_format fmt)
{
	struct gl_entry *v = NULL;
	struct gl_check *c = NULL;
	struct tolk_err err;
	char path[64];
	size_t n = 0, i, found = 0;
	int fd = fuzz_memfile(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (gl_file_read(path, fmt, NULL, NULL, &v, &n, &err) == 0) {
		for (i = 0; i < n; i++)
			if (!v[i].term || !*v[i].term)
				abort(); /* an entry always has a term */
		if (n && gl_check_new(&c, v, n, GL_KIND_ALL,
				      fuzz_glossary_count, &found, &err) == 0) {
			struct gl_segment s = {
			    .file = "fuzz",
			    .line = 1,
			    .source = v[0].term,
			    .target = v[0].napproved ? v[0].approved[0] : "",
			};
			gl_check_segment(c, &s, &err);
			gl_check_free(c);
		}
		gl_entries_free(v, n);
	}
	close(fd);
	return 0;
}

#endif
