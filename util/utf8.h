/* UTF-8 validation helpers (byte level; Unicode semantics live in ICU). */
#ifndef TOLK_UTF8_H
#define TOLK_UTF8_H

#include <stddef.h>

/* Length (1-4) of the well-formed UTF-8 sequence at s, or 0 when the bytes
 * there are not one (overlong, surrogate, truncated, > U+10FFFF). */
size_t tolk_utf8_valid_prefix(const char *s, size_t len);

/* Returns 1 when all len bytes are well-formed UTF-8.  When not, and
 * bad_offset is not NULL, stores the offset of the first bad byte. */
int tolk_utf8_valid(const char *s, size_t len, size_t *bad_offset);

/* Number of code points in s[0..len): the bytes that do not continue a
 * sequence (s is taken to be valid UTF-8). */
size_t tolk_utf8_count(const char *s, size_t len);

#endif
