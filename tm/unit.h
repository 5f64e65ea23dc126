/* A translation unit as tolk keeps it: multilingual like a TMX <tu>.
 *
 * A unit has attributes (name/value pairs in their original order: tuid,
 * creationdate, usagecount, ...), variants (one per <tuv>: language, the
 * text a user sees, and the original inline markup when there was any), and
 * extras (<prop> and <note>) at unit or variant level, each with a value and
 * attributes of its own. */
#ifndef TM_UNIT_H
#define TM_UNIT_H

#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

struct tm_unit;

enum tm_extra_kind { TM_EXTRA_PROP = 0, TM_EXTRA_NOTE = 1 };

/* Level of an extra that belongs to the unit rather than a variant. */
#define TM_UNIT_LEVEL ((size_t)-1)

int tm_unit_new(struct tm_unit **out);
void tm_unit_free(struct tm_unit *u);

/* Database id, 0 for a unit not (yet) stored. */
int64_t tm_unit_id(const struct tm_unit *u);
void tm_unit_set_id(struct tm_unit *u, int64_t id);

/* Origin: where the unit came from (file name, "add"). May be NULL. */
const char *tm_unit_origin(const struct tm_unit *u);
int tm_unit_set_origin(struct tm_unit *u, const char *origin);

/* Source language a container (a TMX header) gives units that have no
 * srclang attribute of their own.  Kept apart from the attributes so that
 * they stay as the file had them; the store uses it to pick the source
 * variant.  NULL when there is none. */
int tm_unit_set_default_srclang(struct tm_unit *u, const char *lang);
const char *tm_unit_default_srclang(const struct tm_unit *u);

/* Unit attributes.  Setting an existing name replaces its value in place. */
int tm_unit_set_attr(struct tm_unit *u, const char *name, const char *value);
const char *tm_unit_attr(const struct tm_unit *u, const char *name);
size_t tm_unit_attr_count(const struct tm_unit *u);
void tm_unit_attr_at(const struct tm_unit *u, size_t i, const char **name,
		     const char **value);

/* Adds a variant.  lang is canonicalised (TOLK_EINPUT if it is not a
 * language tag); markup is the original inline XML of the segment or NULL
 * when the segment was plain text.  *index (may be NULL) gets its index. */
int tm_unit_add_variant(struct tm_unit *u, const char *lang, const char *text,
			const char *markup, size_t *index,
			struct tolk_err *err);
size_t tm_unit_variant_count(const struct tm_unit *u);
const char *tm_unit_variant_lang(const struct tm_unit *u, size_t i);
const char *tm_unit_variant_text(const struct tm_unit *u, size_t i);
const char *tm_unit_variant_markup(const struct tm_unit *u, size_t i);
int tm_unit_variant_set_attr(struct tm_unit *u, size_t i, const char *name,
			     const char *value);
const char *tm_unit_variant_attr(const struct tm_unit *u, size_t i,
				 const char *name);
size_t tm_unit_variant_attr_count(const struct tm_unit *u, size_t i);
void tm_unit_variant_attr_at(const struct tm_unit *u, size_t i, size_t k,
			     const char **name, const char **value);
/* First variant whose language matches lang for lookups (tolk_lang_same),
 * or TM_UNIT_LEVEL when there is none. */
size_t tm_unit_find_variant(const struct tm_unit *u, const char *lang);

/* Adds a prop or note at unit level (level == TM_UNIT_LEVEL) or to
 * variant number level.  *index (may be NULL) gets its index. */
int tm_unit_add_extra(struct tm_unit *u, size_t level, enum tm_extra_kind kind,
		      const char *value, size_t *index);
int tm_unit_extra_set_attr(struct tm_unit *u, size_t i, const char *name,
			   const char *value);
size_t tm_unit_extra_count(const struct tm_unit *u);
size_t tm_unit_extra_level(const struct tm_unit *u, size_t i);
enum tm_extra_kind tm_unit_extra_kind(const struct tm_unit *u, size_t i);
const char *tm_unit_extra_value(const struct tm_unit *u, size_t i);
const char *tm_unit_extra_attr(const struct tm_unit *u, size_t i,
			       const char *name);
size_t tm_unit_extra_attr_count(const struct tm_unit *u, size_t i);
void tm_unit_extra_attr_at(const struct tm_unit *u, size_t i, size_t k,
			   const char **name, const char **value);

/* Current time in TMX's YYYYMMDDThhmmssZ form. */
void tm_unit_now(char out[17]);

#endif
