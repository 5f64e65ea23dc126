/* Unicode text helpers built on ICU. */
#ifndef TOLK_TEXT_H
#define TOLK_TEXT_H

#include <stddef.h>

#include "util/buf.h"
#include "util/err.h"

/* The exact-match form of a segment: NFC, every run of Unicode white space
 * folded to one U+0020, leading and trailing white space dropped.  Appends
 * to out.  Input must be valid UTF-8 (TOLK_EINPUT otherwise). */
int tolk_text_norm(const char *s, size_t len, struct tolk_buf *out,
		   struct tolk_err *err);

/* tolk_text_norm without the copy when s is its own normal form, as most
 * segments are: *norm is then s itself, else out's data (out is reset
 * first); *nlen is its length.  For a caller that only hashes the form. */
int tolk_text_norm_ref(const char *s, size_t len, struct tolk_buf *out,
		       const char **norm, size_t *nlen, struct tolk_err *err);

/* The caseless form of s: Unicode full case folding between canonical
 * decompositions, recomposed (NFC), so that two strings have the same
 * form exactly when they are a canonical caseless match ("Økokrim" and
 * "økokrim", "STRASSE" and "straße").  Appends to out.  Input must be
 * valid UTF-8 (TOLK_EINPUT otherwise). */
int tolk_text_fold(const char *s, size_t len, struct tolk_buf *out,
		   struct tolk_err *err);

/* The value of hex digit c (either case), or -1 if c is not one. */
static inline int tolk_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
