/* Helpers shared by the TMX reader (tmx.c) and writer (tmx_export.c).
 * Library-internal. */
#ifndef TM_TMX_INT_H
#define TM_TMX_INT_H

#include <stddef.h>

#include "util/buf.h"

/* Prefix of a <prop type> that carries an attribute TMX 1.4b does not
 * declare on <tu>, <tuv> or <header>: "x-tolk-attr:NAME", value VALUE. */
#define TMX_ATTR_PROP "x-tolk-attr:"
/* Prefix of a <prop type> that carries a prop's undeclared attributes (and
 * its original type, if any) as "name=value&..." with %, & and =
 * percent-encoded. */
#define TMX_PROP_PROP "x-tolk-prop:"

/* 1 when TMX 1.4b declares attribute attr (e.g. "xml:lang") on elem. */
/* 1 for a segtype value TMX 1.4b allows (block, paragraph, sentence,
 * phrase). */
int tmx_segtype_valid(const char *v);

int tmx_attr_declared(const char *elem, const char *attr);

/* 1 for the dates TMX keeps in YYYYMMDDThhmmssZ form. */
int tmx_is_date_attr(const char *name);

/* Appends s escaped for XML text content or (attr) an attribute value. */
int tmx_escape(struct tolk_buf *b, const char *s, int attr);

/* Appends name=value to an x-tolk-prop encoding (with '&' between). */
int tmx_prop_encode(struct tolk_buf *b, const char *name, const char *value);

/* Serialised attributes as the store keeps them: name NUL value NUL. */
struct tm_attrs;

#endif
