/* Plumbing shared by the glossary module's files.  Not public. */
#ifndef GL_INT_H
#define GL_INT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* String to index map (open addressing), keys copied.  Zero-initialise. */
struct gl_strmap {
	struct gl_strmap_slot {
		char *key; /* NULL: empty */
		size_t len;
		size_t val;
		uint64_t hash;
	} * slots;
	size_t cap, n;
};

/* 1 and *val when key is there, else 0. */
int gl_strmap_get(const struct gl_strmap *m, const char *key, size_t len,
		  size_t *val);
/* Adds key (replacing its value when present).  0 or TOLK_ENOMEM. */
int gl_strmap_put(struct gl_strmap *m, const char *key, size_t len, size_t val);
void gl_strmap_release(struct gl_strmap *m);

uint64_t gl_hash(const void *p, size_t len, uint64_t seed);

/* A text file split into lines in place, for the TSV readers: a UTF-8
 * byte order mark at the start is skipped, and each line comes without
 * its "\n" or "\r\n".  line is the number of the line last returned. */
struct gl_lines {
	char *p;
	unsigned long line;
};

void gl_lines_init(struct gl_lines *l, char *text);

/* The next line, NUL-terminated in the text, with its length in *len;
 * NULL at the end of the text. */
char *gl_lines_next(struct gl_lines *l, size_t *len);

#endif
