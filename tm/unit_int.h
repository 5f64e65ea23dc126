/* Internal layout of struct tm_unit, shared by the library modules that
 * serialise units (store, TMX).  Not part of the public API. */
#ifndef TM_UNIT_INT_H
#define TM_UNIT_INT_H

#include "tm/unit.h"
#include "util/buf.h"

#include <stddef.h>

/* Where a unit's strings and arrays live: a bump allocator over a space
 * allocated with the unit and blocks chained after it, all freed with the
 * unit.  An import makes and frees a unit per <tu>: a malloc and a free
 * per string and array were a sixth of the reading thread.  What a
 * change replaces stays until the unit is freed. */
struct tm_arena {
	unsigned char *cur, *end;
	void *blocks; /* chained blocks past the unit's own space */
};

/* Attribute pairs; with arena NULL (attributes kept on their own, not in
 * a unit) each string is malloc'd and freed by tm_attrs_release. */
struct tm_attrs {
	char **names;
	char **values;
	size_t n, cap_names, cap_values;
	struct tm_arena *arena;
};

struct tm_variant {
	char *lang;
	char *text;
	size_t text_len; /* strlen(text) */
	char *markup;
	struct tm_attrs attrs;
};

struct tm_extra {
	size_t level;
	enum tm_extra_kind kind;
	char *value;
	struct tm_attrs attrs;
};

/* What tm_store_add derives from a unit, worked out ahead by
 * tm_store_prepare (tm/store.c): one allocation, freed with the unit. */
struct tm_unit_prep;

struct tm_unit {
	struct tm_arena arena;
	int64_t id;
	struct tm_unit_prep *prep; /* NULL: none */
	char *origin;
	char *default_srclang;
	struct tm_attrs attrs;
	struct tm_variant *variants;
	size_t nvariants, cap_variants;
	struct tm_extra *extras;
	size_t nextras, cap_extras;
	max_align_t space[]; /* the arena's first bytes */
};

/* Empties u as tm_unit_new made it, keeping its own space: a reader
 * reuses units rather than free and allocate one per <tu>. */
void tm_unit_reset(struct tm_unit *u);

/* n bytes from u's arena, aligned for any object; NULL out of memory.
 * Freed with the unit (tm_store_prepare keeps its work there). */
void *tm_unit_alloc(struct tm_unit *u, size_t n);

/* tm_unit_add_variant for a text of len bytes known to hold no NUL: a
 * reader that has the length spares the copy a measuring pass. */
int tm_unit_add_variant_n(struct tm_unit *u, const char *lang, const char *text,
			  size_t len, const char *markup, size_t *index,
			  struct tolk_err *err);

/* tm_unit_add_variant_n with lang already in the form tolk_lang_canon
 * gives (a reader that remembers the forms of the tags it meets). */
int tm_unit_add_variant_canon(struct tm_unit *u, const char *canon,
			      const char *text, size_t len, const char *markup,
			      size_t *index);

/* tm_unit_set_origin without a copy: origin is borrowed, and must stay
 * as it is until u is freed or reset (an import's file name, for every
 * unit of the import). */
void tm_unit_set_origin_ref(struct tm_unit *u, const char *origin);

int tm_attrs_set(struct tm_attrs *a, const char *name, const char *value);
const char *tm_attrs_get(const struct tm_attrs *a, const char *name);
void tm_attrs_release(struct tm_attrs *a);

/* Attributes as stored: name NUL value NUL ..., in order.  blob replaces
 * b's contents; parse adds the pairs of a blob of n bytes to a (a
 * truncated last pair is ignored). */
int tm_attrs_blob(const struct tm_attrs *a, struct tolk_buf *b);
int tm_attrs_parse(struct tm_attrs *a, const void *blob, size_t n);

#endif
