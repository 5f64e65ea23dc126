/* Internal layout of struct tm_unit, shared by the library modules that
 * serialise units (store, TMX).  Not part of the public API. */
#ifndef TM_UNIT_INT_H
#define TM_UNIT_INT_H

#include "tm/unit.h"

struct tm_attrs {
	char **names;
	char **values;
	size_t n, cap_names, cap_values;
};

struct tm_variant {
	char *lang;
	char *text;
	char *markup;
	struct tm_attrs attrs;
};

struct tm_extra {
	size_t level;
	enum tm_extra_kind kind;
	char *value;
	struct tm_attrs attrs;
};

struct tm_unit {
	int64_t id;
	char *origin;
	char *default_srclang;
	struct tm_attrs attrs;
	struct tm_variant *variants;
	size_t nvariants, cap_variants;
	struct tm_extra *extras;
	size_t nextras, cap_extras;
};

int tm_attrs_set(struct tm_attrs *a, const char *name, const char *value);
const char *tm_attrs_get(const struct tm_attrs *a, const char *name);
void tm_attrs_release(struct tm_attrs *a);

#endif
