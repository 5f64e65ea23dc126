#include "tm/unit.h"
#include "tm/unit_int.h"
#include "util/lang.h"
#include "util/vec.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

int tm_attrs_set(struct tm_attrs *a, const char *name, const char *value)
{
	size_t i;
	char *v;

	v = strdup(value ? value : "");
	if (!v)
		return TOLK_ENOMEM;
	for (i = 0; i < a->n; i++) {
		if (strcmp(a->names[i], name) == 0) {
			free(a->values[i]);
			a->values[i] = v;
			return 0;
		}
	}
	if (TOLK_GROW(a->names, a->cap_names, a->n + 1, 4) ||
	    TOLK_GROW(a->values, a->cap_values, a->n + 1, 4))
		goto oom;
	a->names[a->n] = strdup(name);
	if (!a->names[a->n])
		goto oom;
	a->values[a->n++] = v;
	return 0;
oom:
	free(v);
	return TOLK_ENOMEM;
}

const char *tm_attrs_get(const struct tm_attrs *a, const char *name)
{
	size_t i;

	for (i = 0; i < a->n; i++)
		if (strcmp(a->names[i], name) == 0)
			return a->values[i];
	return NULL;
}

void tm_attrs_release(struct tm_attrs *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->names[i]);
		free(a->values[i]);
	}
	free(a->names);
	free(a->values);
	memset(a, 0, sizeof(*a));
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
	free(u->prep);
	u->prep = NULL;
}

int tm_unit_new(struct tm_unit **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : TOLK_ENOMEM;
}

void tm_unit_free(struct tm_unit *u)
{
	size_t i;

	if (!u)
		return;
	tm_attrs_release(&u->attrs);
	for (i = 0; i < u->nvariants; i++) {
		free(u->variants[i].lang);
		free(u->variants[i].text);
		free(u->variants[i].markup);
		tm_attrs_release(&u->variants[i].attrs);
	}
	free(u->variants);
	for (i = 0; i < u->nextras; i++) {
		free(u->extras[i].value);
		tm_attrs_release(&u->extras[i].attrs);
	}
	free(u->extras);
	free(u->origin);
	free(u->default_srclang);
	free(u->prep);
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
	char *o = dup_or_null(origin);
	touched(u);

	if (origin && !o)
		return TOLK_ENOMEM;
	free(u->origin);
	u->origin = o;
	return 0;
}

int tm_unit_set_default_srclang(struct tm_unit *u, const char *lang)
{
	char *l = dup_or_null(lang);
	touched(u);

	if (lang && !l)
		return TOLK_ENOMEM;
	free(u->default_srclang);
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
	char canon[TOLK_LANG_MAX];
	struct tm_variant *v;
	touched(u);

	if (tolk_lang_canon(lang, canon, sizeof(canon)))
		return tolk_err_set(err, TOLK_EINPUT,
				    "'%s' is not a language tag", lang);
	if (TOLK_GROW(u->variants, u->cap_variants, u->nvariants + 1, 4))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	v = &u->variants[u->nvariants];
	memset(v, 0, sizeof(*v));
	v->lang = strdup(canon);
	v->text = strdup(text);
	v->markup = dup_or_null(markup);
	if (!v->lang || !v->text || (markup && !v->markup)) {
		free(v->lang);
		free(v->text);
		free(v->markup);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
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

	if (TOLK_GROW(u->extras, u->cap_extras, u->nextras + 1, 4))
		return TOLK_ENOMEM;
	x = &u->extras[u->nextras];
	memset(x, 0, sizeof(*x));
	x->value = strdup(value ? value : "");
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
