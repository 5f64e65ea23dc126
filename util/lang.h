/* BCP 47 language tags, canonicalised with ICU.
 *
 * Two forms matter: the canonical tag, kept and written back out ("en-US"
 * for "EN_us"), and the matching key, the bare language with the Norwegian
 * macrolanguage folded into Bokmål ("no", "nob", "nb-NO" all give "nb"),
 * which decides which variants a lookup for "nb" sees. */
#ifndef TOLK_LANG_H
#define TOLK_LANG_H

#include <stddef.h>

#define TOLK_LANG_MAX 96

/* Canonical BCP 47 form of tag.  Accepts "_" for "-" and any case.  Returns
 * 0, or TOLK_EINPUT when tag is empty, too long or not a language tag. */
int tolk_lang_canon(const char *tag, char *out, size_t outlen);

/* Matching key of tag (see above).  Same return values. */
int tolk_lang_key(const char *tag, char *out, size_t outlen);

/* 1 when both tags name the same language for lookups. */
int tolk_lang_same(const char *a, const char *b);

#endif
