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

#endif
