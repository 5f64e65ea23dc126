#include "tm/unit.h"
#include "tm/unit_int.h"
#include "util/lang.h"
#include "util/vec.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A unit's own arena space: a <tu> of a few sentences, its attributes
 * and tm_store_prepare's work fit, so most units are one allocation (and
 * none when the TMX reader reuses them). */
#define ARENA_SPACE 2048
/* Blocks chained once the space is used; a request of more than a
 * quarter of one gets a block of its own, so that a long segment wastes
 * no more than the rest of the current block. */
#define ARENA_BLOCK 4096
#define ARENA_ALIGN _Alignof(max_align_t)

struct arena_block {
	struct arena_block *next;
	max_align_t data[];
};

static void *arena_new_block(struct tm_arena *a, size_t n)
{
	size_t size = n > ARENA_BLOCK / 4 ? n : ARENA_BLOCK;
	struct arena_block *b;

	if (size > SIZE_MAX - sizeof(*b) || !(b = malloc(sizeof(*b) + size)))
		return NULL;
	b->next = a->blocks;
	a->blocks = b;
	if (size == ARENA_BLOCK) {
		a->cur = (unsigned char *)b->data + n;
		a->end = (unsigned char *)b->data + size;
	}
	return b->data;
}

/* n bytes aligned to align (a power of two); NULL out of memory. */
static void *arena_alloc(struct tm_arena *a, size_t n, size_t align)
{
	uintptr_t at =
	    ((uintptr_t)a->cur + align - 1) & ~(uintptr_t)(align - 1);

	if (at <= (uintptr_t)a->end && (uintptr_t)a->end - at >= n) {
		a->cur = (unsigned char *)at + n;
		return (void *)at;
	}
	/* a block's data is aligned for anything */
	if (n > SIZE_MAX - ARENA_ALIGN)
		return NULL;
	return arena_new_block(a, (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1));
}

static void arena_release(struct tm_arena *a)
{
	struct arena_block *b = a->blocks, *next;

	for (; b; b = next) {
		next = b->next;
		free(b);
	}
	a->blocks = NULL;
}

/* s copied into a (malloc'd when a is NULL); NULL out of memory. */
static char *arena_strdup(struct tm_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = a ? arena_alloc(a, n, 1) : malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

static void arena_free(struct tm_arena *a, void *p)
{
	if (!a)
		free(p);
}

/* tolk_grow for an array in an arena: the old array is left where it
 * was.  With a NULL, tolk_grow itself. */
static int arena_grow(struct tm_arena *a, void *arrp, size_t *cap, size_t need,
		      size_t elem_size, size_t min_cap)
{
	void *old, *arr;
	size_t ncap;

	if (!a)
		return tolk_grow(arrp, cap, need, elem_size, min_cap);
	if (need <= *cap)
		return 0;
	if (!(ncap = tolk_grow_cap(*cap, need, elem_size, min_cap)) ||
	    !(arr = arena_alloc(a, ncap * elem_size, ARENA_ALIGN)))
		return TOLK_ENOMEM;
	memcpy(&old, arrp, sizeof(old));
	if (*cap)
		memcpy(arr, old, *cap * elem_size);
	memcpy(arrp, &arr, sizeof(arr));
	*cap = ncap;
	return 0;
}

void *tm_unit_alloc(struct tm_unit *u, size_t n)
{
	return arena_alloc(&u->arena, n, ARENA_ALIGN);
}

static char *dup_or_null(struct tm_unit *u, const char *s)
{
	return s ? arena_strdup(&u->arena, s) : NULL;
}

/* Room for one more pair in a's arrays, both in one piece of the arena
 * (a's arena not NULL): a reader sets a few attributes on every unit,
 * and growing the two arrays apart was most of the cost of the first. */
static int arena_pair_room(struct tm_attrs *a)
{
	size_t ncap;
	char **arr;

	if (a->n < a->cap_names && a->n < a->cap_values)
		return 0;
	ncap = a->n ? a->n * 2 : 4;
	if (ncap > SIZE_MAX / (2 * sizeof(*arr)) ||
	    !(arr =
		  arena_alloc(a->arena, 2 * ncap * sizeof(*arr), ARENA_ALIGN)))
		return TOLK_ENOMEM;
	if (a->n) {
		memcpy(arr, a->names, a->n * sizeof(*arr));
		memcpy(arr + ncap, a->values, a->n * sizeof(*arr));
	}
	a->names = arr;
	a->values = arr + ncap;
	a->cap_names = a->cap_values = ncap;
	return 0;
}

int tm_attrs_set(struct tm_attrs *a, const char *name, const char *value)
{
	size_t i;
	char *v;

	v = arena_strdup(a->arena, value ? value : "");
	if (!v)
		return TOLK_ENOMEM;
	for (i = 0; i < a->n; i++) {
		if (a->names[i][0] == name[0] &&
		    strcmp(a->names[i], name) == 0) {
			arena_free(a->arena, a->values[i]);
			a->values[i] = v;
			return 0;
		}
	}
	if (a->arena) {
		if (arena_pair_room(a) ||
		    !(a->names[a->n] = arena_strdup(a->arena, name)))
			return TOLK_ENOMEM;
		a->values[a->n++] = v;
		return 0;
	}
	if (arena_grow(a->arena, &a->names, &a->cap_names, a->n + 1,
		       sizeof(*a->names), 4) ||
	    arena_grow(a->arena, &a->values, &a->cap_values, a->n + 1,
		       sizeof(*a->values), 4))
		goto oom;
	a->names[a->n] = arena_strdup(a->arena, name);
	if (!a->names[a->n])
		goto oom;
	a->values[a->n++] = v;
	return 0;
oom:
	arena_free(a->arena, v);
	return TOLK_ENOMEM;
}

const char *tm_attrs_get(const struct tm_attrs *a, const char *name)
{
	size_t i;

	/* the first byte turns most names away without a call: a unit's
	 * tuid and srclang are looked up for every unit of an import */
	for (i = 0; i < a->n; i++)
		if (a->names[i][0] == name[0] && strcmp(a->names[i], name) == 0)
			return a->values[i];
	return NULL;
}

void tm_attrs_release(struct tm_attrs *a)
{
	struct tm_arena *arena = a->arena;
	size_t i;

	if (!arena) {
		for (i = 0; i < a->n; i++) {
			free(a->names[i]);
			free(a->values[i]);
		}
		free(a->names);
		free(a->values);
	}
	memset(a, 0, sizeof(*a));
	a->arena = arena;
}

int tm_attrs_blob(const struct tm_attrs *a, struct tolk_buf *b)
{
	size_t i;

	tolk_buf_reset(b);
	for (i = 0; i < a->n; i++)
		if (tolk_buf_append(b, a->names[i], strlen(a->names[i]) + 1) ||
		    tolk_buf_append(b, a->values[i], strlen(a->values[i]) + 1))
			return TOLK_ENOMEM;
	return 0;
}

int tm_attrs_parse(struct tm_attrs *a, const void *blob, size_t n)
{
	const char *p = blob, *end = p + n;

	while (p && p < end) {
		const char *value;
		size_t nl = strnlen(p, (size_t)(end - p));

		if (p + nl >= end)
			break;
		value = p + nl + 1;
		nl = strnlen(value, (size_t)(end - value));
		if (value + nl >= end)
			break;
		if (tm_attrs_set(a, p, value))
			return TOLK_ENOMEM;
		p = value + nl + 1;
	}
	return 0;
}

/* A change makes what tm_store_prepare worked out stale. */
static void touched(struct tm_unit *u)
{
	u->prep = NULL;
}

int tm_unit_new(struct tm_unit **out)
{
	struct tm_unit *u = malloc(sizeof(*u) + ARENA_SPACE);

	*out = u;
	if (!u)
		return TOLK_ENOMEM;
	u->arena.blocks = NULL;
	tm_unit_reset(u);
	return 0;
}

void tm_unit_reset(struct tm_unit *u)
{
	arena_release(&u->arena);
	memset(u, 0, sizeof(*u));
	u->arena.cur = (unsigned char *)u->space;
	u->arena.end = u->arena.cur + ARENA_SPACE;
	u->attrs.arena = &u->arena;
}

void tm_unit_free(struct tm_unit *u)
{
	if (!u)
		return;
	arena_release(&u->arena);
	free(u);
}

int64_t tm_unit_id(const struct tm_unit *u)
{
	return u->id;
}

void tm_unit_set_id(struct tm_unit *u, int64_t id)
{
	u->id = id;
}

const char *tm_unit_origin(const struct tm_unit *u)
{
	return u->origin;
}

int tm_unit_set_origin(struct tm_unit *u, const char *origin)
{
	char *o = dup_or_null(u, origin);
	touched(u);

	if (origin && !o)
		return TOLK_ENOMEM;
	u->origin = o;
	return 0;
}

void tm_unit_set_origin_ref(struct tm_unit *u, const char *origin)
{
	touched(u);
	/* the member is not const only because the unit owns it otherwise */
	u->origin = (char *)origin;
}

int tm_unit_set_default_srclang(struct tm_unit *u, const char *lang)
{
	char *l = dup_or_null(u, lang);
	touched(u);

	if (lang && !l)
		return TOLK_ENOMEM;
	u->default_srclang = l;
	return 0;
}

const char *tm_unit_default_srclang(const struct tm_unit *u)
{
	return u->default_srclang;
}

int tm_unit_set_attr(struct tm_unit *u, const char *name, const char *value)
{
	touched(u);
	return tm_attrs_set(&u->attrs, name, value);
}

const char *tm_unit_attr(const struct tm_unit *u, const char *name)
{
	return tm_attrs_get(&u->attrs, name);
}

size_t tm_unit_attr_count(const struct tm_unit *u)
{
	return u->attrs.n;
}

void tm_unit_attr_at(const struct tm_unit *u, size_t i, const char **name,
		     const char **value)
{
	*name = u->attrs.names[i];
	*value = u->attrs.values[i];
}

int tm_unit_add_variant(struct tm_unit *u, const char *lang, const char *text,
			const char *markup, size_t *index, struct tolk_err *err)
{
	return tm_unit_add_variant_n(u, lang, text, strlen(text), markup, index,
				     err);
}

int tm_unit_add_variant_n(struct tm_unit *u, const char *lang, const char *text,
			  size_t len, const char *markup, size_t *index,
			  struct tolk_err *err)
{
	char canon[TOLK_LANG_MAX];

	touched(u);
	if (tolk_lang_canon(lang, canon, sizeof(canon)))
		return tolk_err_set(err, TOLK_EINPUT,
				    "'%s' is not a language tag", lang);
	if (tm_unit_add_variant_canon(u, canon, text, len, markup, index))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return 0;
}

int tm_unit_add_variant_canon(struct tm_unit *u, const char *canon,
			      const char *text, size_t len, const char *markup,
			      size_t *index)
{
	struct tm_variant *v;

	touched(u);
	if (arena_grow(&u->arena, &u->variants, &u->cap_variants,
		       u->nvariants + 1, sizeof(*u->variants), 4))
		return TOLK_ENOMEM;
	v = &u->variants[u->nvariants];
	memset(v, 0, sizeof(*v));
	v->attrs.arena = &u->arena;
	v->lang = arena_strdup(&u->arena, canon);
	if ((v->text = arena_alloc(&u->arena, len + 1, 1))) {
		memcpy(v->text, text, len);
		v->text[len] = '\0';
	}
	v->text_len = len;
	v->markup = dup_or_null(u, markup);
	if (!v->lang || !v->text || (markup && !v->markup))
		return TOLK_ENOMEM;
	if (index)
		*index = u->nvariants;
	u->nvariants++;
	return 0;
}

size_t tm_unit_variant_count(const struct tm_unit *u)
{
	return u->nvariants;
}

const char *tm_unit_variant_lang(const struct tm_unit *u, size_t i)
{
	return u->variants[i].lang;
}

const char *tm_unit_variant_text(const struct tm_unit *u, size_t i)
{
	return u->variants[i].text;
}

const char *tm_unit_variant_markup(const struct tm_unit *u, size_t i)
{
	return u->variants[i].markup;
}

int tm_unit_variant_set_attr(struct tm_unit *u, size_t i, const char *name,
			     const char *value)
{
	touched(u);
	return tm_attrs_set(&u->variants[i].attrs, name, value);
}

const char *tm_unit_variant_attr(const struct tm_unit *u, size_t i,
				 const char *name)
{
	return tm_attrs_get(&u->variants[i].attrs, name);
}

size_t tm_unit_variant_attr_count(const struct tm_unit *u, size_t i)
{
	return u->variants[i].attrs.n;
}

void tm_unit_variant_attr_at(const struct tm_unit *u, size_t i, size_t k,
			     const char **name, const char **value)
{
	*name = u->variants[i].attrs.names[k];
	*value = u->variants[i].attrs.values[k];
}

size_t tm_unit_find_variant(const struct tm_unit *u, const char *lang)
{
	size_t i;

	for (i = 0; i < u->nvariants; i++)
		if (tolk_lang_same(u->variants[i].lang, lang))
			return i;
	return TM_UNIT_LEVEL;
}

int tm_unit_add_extra(struct tm_unit *u, size_t level, enum tm_extra_kind kind,
		      const char *value, size_t *index)
{
	struct tm_extra *x;
	touched(u);

	if (arena_grow(&u->arena, &u->extras, &u->cap_extras, u->nextras + 1,
		       sizeof(*u->extras), 4))
		return TOLK_ENOMEM;
	x = &u->extras[u->nextras];
	memset(x, 0, sizeof(*x));
	x->attrs.arena = &u->arena;
	x->value = arena_strdup(&u->arena, value ? value : "");
	if (!x->value)
		return TOLK_ENOMEM;
	x->level = level;
	x->kind = kind;
	if (index)
		*index = u->nextras;
	u->nextras++;
	return 0;
}

int tm_unit_extra_set_attr(struct tm_unit *u, size_t i, const char *name,
			   const char *value)
{
	touched(u);
	return tm_attrs_set(&u->extras[i].attrs, name, value);
}

size_t tm_unit_extra_count(const struct tm_unit *u)
{
	return u->nextras;
}

size_t tm_unit_extra_level(const struct tm_unit *u, size_t i)
{
	return u->extras[i].level;
}

enum tm_extra_kind tm_unit_extra_kind(const struct tm_unit *u, size_t i)
{
	return u->extras[i].kind;
}

const char *tm_unit_extra_value(const struct tm_unit *u, size_t i)
{
	return u->extras[i].value;
}

const char *tm_unit_extra_attr(const struct tm_unit *u, size_t i,
			       const char *name)
{
	return tm_attrs_get(&u->extras[i].attrs, name);
}

size_t tm_unit_extra_attr_count(const struct tm_unit *u, size_t i)
{
	return u->extras[i].attrs.n;
}

void tm_unit_extra_attr_at(const struct tm_unit *u, size_t i, size_t k,
			   const char **name, const char **value)
{
	*name = u->extras[i].attrs.names[k];
	*value = u->extras[i].attrs.values[k];
}

void tm_unit_now(char out[17])
{
	time_t t = time(NULL);
	struct tm tmv;

	gmtime_r(&t, &tmv);
	strftime(out, 17, "%Y%m%dT%H%M%SZ", &tmv);
}
