/* Unicode text helpers built on ICU. */
#ifndef TOLK_TEXT_H
#define TOLK_TEXT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

/* tolk_text_norm_ref's first test, eight bytes at a time, for a caller
 * that also hashes a text as it reads it (tm_store_prepare): a text is
 * its own normal form when every 8-byte word of it passes
 * tolk_text_plain8 (the last padded with 'a') and it does not end in a
 * space.  A word that fails says nothing: the text may still be normal.
 * Only on little-endian machines (TOLK_TEXT_LITTLE_ENDIAN); elsewhere
 * the caller takes tolk_text_norm_ref. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define TOLK_TEXT_LITTLE_ENDIAN 1
#else
#define TOLK_TEXT_LITTLE_ENDIAN 0
#endif

static inline uint64_t tolk_text_word8(const unsigned char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
	return w;
}

/* Whether the 8 bytes of w (in memory order from the low end) change
 * nothing in the answer: ASCII from U+0020 and whole two-byte characters
 * from U+00C0 to U+02FF (lead bytes 0xC3 to 0xCB: Norwegian's letters
 * among them; 0xC2, which NBSP and NEL start with, is left to the byte
 * loop), with no space next to another (nor first when *after_space).
 * Below U+0300 nothing composes or reorders and the only white space is
 * ASCII's, NEL and NBSP.  *after_space becomes whether the last is a
 * space. */
static inline int tolk_text_plain8(uint64_t w, int *after_space)
{
	const uint64_t b01 = 0x0101010101010101ULL;
	const uint64_t b7f = 0x7f7f7f7f7f7f7f7fULL;
	const uint64_t b80 = 0x8080808080808080ULL;
	uint64_t hi = w & b80, low, lead, cont, x, sp;

	/* a byte below 0x20 (w - 0x20 borrows only there) */
	if ((w - 0x20 * b01) & ~w & b80)
		return 0;
	if (hi) {
		low = w & b7f;
		/* 0x43..0x4b in the low seven bits, no carry between bytes */
		lead = hi & ((low + 0x3d * b01) & b80) &
		       ~((low + 0x34 * b01) & b80);
		cont = hi & ~(w << 1);
		/* every high byte a lead or a continuation, each continuation
		 * right after a lead and no lead last */
		if ((hi & ~(lead | cont)) || cont != (lead << 8) ||
		    (lead >> 56))
			return 0;
	}
	/* 0x80 in each byte that is a space (exact: no borrow crosses
	 * bytes) */
	x = w ^ (0x20 * b01);
	sp = ~(((x & b7f) + b7f) | x | b7f);
	if (sp & ((sp << 8) | (*after_space ? 0x80u : 0)))
		return 0;
	*after_space = (int)(sp >> 63);
	return 1;
}

/* The byte loop's part of the same test, for the character at p[0]
 * (n bytes left): its length (1 or 2) when it changes nothing in the
 * answer, 0 when the text may not be its own normal form; *after_space
 * as for tolk_text_plain8.  Used where a word fails tolk_text_plain8 (a
 * two-byte letter across its end, NBSP, a control byte). */
static inline size_t tolk_text_plain_char(const unsigned char *p, size_t n,
					  int *after_space)
{
	unsigned char c = p[0];

	if (c < 0x80) {
		if (c == ' ' || (c >= 9 && c <= 13)) {
			if (*after_space || c != ' ')
				return 0;
			*after_space = 1;
		} else {
			*after_space = 0;
		}
		return 1;
	}
	/* two-byte sequences below U+0300 only, NEL and NBSP not */
	if (c < 0xc2 || c >= 0xcc || n < 2 || (p[1] & 0xc0) != 0x80 ||
	    (c == 0xc2 && (p[1] == 0x85 || p[1] == 0xa0)))
		return 0;
	*after_space = 0;
	return 2;
}

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
