#include "glossary/gl_int.h"
#include "util/err.h"
#include "util/hash.h"

#include <stdlib.h>
#include <string.h>

uint64_t gl_hash(const void *p, size_t len, uint64_t seed)
{
	uint64_t h = tolk_fnv64(p, len, TOLK_FNV64_OFFSET ^ seed);

	h ^= h >> 31;
	return h;
}

static struct gl_strmap_slot *find(const struct gl_strmap *m, const char *key,
				   size_t len, uint64_t h)
{
	size_t i = (size_t)h & (m->cap - 1);

	for (;; i = (i + 1) & (m->cap - 1)) {
		struct gl_strmap_slot *s = &m->slots[i];

		if (!s->key)
			return s;
		if (s->hash == h && s->len == len &&
		    memcmp(s->key, key, len) == 0)
			return s;
	}
}

int gl_strmap_get(const struct gl_strmap *m, const char *key, size_t len,
		  size_t *val)
{
	struct gl_strmap_slot *s;

	if (!m->cap)
		return 0;
	s = find(m, key, len, gl_hash(key, len, 0));
	if (!s->key)
		return 0;
	*val = s->val;
	return 1;
}

static int grow(struct gl_strmap *m)
{
	struct gl_strmap old = *m;
	size_t i;

	m->cap = old.cap ? old.cap * 2 : 64;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	if (!m->slots) {
		*m = old;
		return TOLK_ENOMEM;
	}
	for (i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			*find(m, old.slots[i].key, old.slots[i].len,
			      old.slots[i].hash) = old.slots[i];
	free(old.slots);
	return 0;
}

int gl_strmap_put(struct gl_strmap *m, const char *key, size_t len, size_t val)
{
	struct gl_strmap_slot *s;
	uint64_t h = gl_hash(key, len, 0);

	if ((m->n + 1) * 4 > m->cap * 3 && grow(m))
		return TOLK_ENOMEM;
	s = find(m, key, len, h);
	if (!s->key) {
		if (!(s->key = malloc(len + 1)))
			return TOLK_ENOMEM;
		memcpy(s->key, key, len);
		s->key[len] = '\0';
		s->len = len;
		s->hash = h;
		m->n++;
	}
	s->val = val;
	return 0;
}

void gl_strmap_release(struct gl_strmap *m)
{
	size_t i;

	for (i = 0; i < m->cap; i++)
		free(m->slots[i].key);
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
