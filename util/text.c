#include "util/text.h"
#include "util/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>

/* Appends the UTF-8 of u[0..n) to out, NUL-terminated; preflights for the
 * length, so out grows once.  Returns 0, or an error code with err set. */
static int append_utf8(struct tolk_buf *out, const UChar *u, int32_t n,
		       struct tolk_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t blen = 0;

	u_strToUTF8(NULL, 0, &blen, u, n, &st);
	st = U_ZERO_ERROR;
	if (tolk_buf_grow(out, (size_t)blen))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	u_strToUTF8(out->data + out->len, blen + 1, NULL, u, n, &st);
	if (U_FAILURE(st))
		return tolk_err_set(err, TOLK_EINTERNAL, "ICU: %s",
				    u_errorName(st));
	out->len += (size_t)blen;
	out->data[out->len] = '\0';
	return 0;
}

/* What latin_scan found: a text tolk_text_norm must hand to ICU (a code
 * point from U+0300, or invalid UTF-8: the ICU path reports it), one
 * whose white space wants folding, or one that is its own normal form. */
enum latin { LATIN_NO, LATIN_SPACES, LATIN_NORMAL };

/* One pass over a text for tolk_text_norm, in place of a validation, a
 * scan for bytes from 0xCC and a copy: an import normalises every segment
 * and most are valid text below U+0300 with single spaces between words,
 * which need no more than a copy.  Below U+0300 nothing composes or
 * reorders (such text is in NFC) and the only white space is ASCII's,
 * NEL and NBSP. */
static enum latin latin_scan(const unsigned char *p, size_t len)
{
	size_t i = 0, stop = 0;
	int normal = 1, after_space = 1; /* a leading space is folded */

	while (i < len) {
		unsigned char c;

		/* eight bytes at a time over plain words; a block with
		 * anything else is read byte by byte */
		if (TOLK_TEXT_LITTLE_ENDIAN && i >= stop) {
			while (i + 8 <= len &&
			       tolk_text_plain8(tolk_text_word8(p + i),
						&after_space))
				i += 8;
			stop = i + 8;
			if (i >= len)
				break;
		}
		c = p[i];

		if (c < 0x80) {
			if (c == ' ' || (c >= 9 && c <= 13)) {
				if (after_space || c != ' ')
					normal = 0;
				after_space = 1;
			} else {
				after_space = 0;
			}
			i++;
			continue;
		}
		/* two-byte sequences below U+0300 only */
		if (c < 0xc2 || c >= 0xcc || i + 1 >= len ||
		    (p[i + 1] & 0xc0) != 0x80)
			return LATIN_NO;
		if (c == 0xc2 && (p[i + 1] == 0x85 || p[i + 1] == 0xa0)) {
			normal = 0;
			after_space = 1;
		} else {
			after_space = 0;
		}
		i += 2;
	}
	if (after_space && len > 0)
		normal = 0;
	return normal ? LATIN_NORMAL : LATIN_SPACES;
}

/* tolk_text_norm of a text latin_scan found to be LATIN_SPACES: white
 * space runs folded to one space, none at the ends.  0, or -1 out of
 * memory. */
static int norm_latin(const char *s, size_t len, struct tolk_buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, start = out->len;
	int space = 0;

	if (tolk_buf_grow(out, len))
		return -1;
	/* runs of characters other than white space, each copied at once:
	 * a copy per character was most of this function */
	for (i = 0; i < len;) {
		size_t j = i;

		while (j < len && !((p[j] >= 9 && p[j] <= 13) || p[j] == ' ' ||
				    (p[j] == 0xc2 &&
				     (p[j + 1] == 0x85 || p[j + 1] == 0xa0))))
			j += p[j] >= 0xc0 ? 2 : 1;
		if (j > i) {
			if (space && out->len > start)
				out->data[out->len++] = ' ';
			space = 0;
			memcpy(out->data + out->len, p + i, j - i);
			out->len += j - i;
		}
		if (j < len) {
			space = 1;
			j += p[j] >= 0xc0 ? 2 : 1;
		}
		i = j;
	}
	out->data[out->len] = '\0';
	return 0;
}

/* tolk_text_norm of a text latin_scan found not LATIN_NORMAL. */
static int norm_other(enum latin kind, const char *s, size_t len,
		      struct tolk_buf *out, struct tolk_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	UChar *u = NULL, *n = NULL;
	int32_t ulen = 0, nlen, i, w = 0;
	int rc = 0, space = 0;
	size_t bad;

	if (kind == LATIN_SPACES) {
		if (norm_latin(s, len, out))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		return 0;
	}
	if (!tolk_utf8_valid(s, len, &bad))
		return tolk_err_set(err, TOLK_EINPUT,
				    "invalid UTF-8 at byte %zu", bad);
	nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st)) {
		rc = tolk_err_set(err, TOLK_EINTERNAL, "ICU NFC: %s",
				  u_errorName(st));
		goto done;
	}
	u_strFromUTF8(NULL, 0, &ulen, s, (int32_t)len, &st);
	st = U_ZERO_ERROR;
	u = malloc(((size_t)ulen + 1) * sizeof(*u));
	n = malloc(((size_t)ulen * 3 + 1) * sizeof(*n));
	if (!u || !n) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	u_strFromUTF8(u, ulen + 1, NULL, s, (int32_t)len, &st);
	nlen = unorm2_normalize(nfc, u, ulen, n, ulen * 3 + 1, &st);
	if (U_FAILURE(st)) {
		rc = tolk_err_set(err, TOLK_EINTERNAL, "ICU normalise: %s",
				  u_errorName(st));
		goto done;
	}
	for (i = 0; i < nlen;) {
		UChar32 c;
		int32_t start = i;

		U16_NEXT(n, i, nlen, c);
		if (u_isUWhiteSpace(c)) {
			space = 1;
			continue;
		}
		if (space && w > 0)
			n[w++] = 0x20;
		space = 0;
		while (start < i)
			n[w++] = n[start++];
	}
	rc = append_utf8(out, n, w, err);
done:
	free(u);
	free(n);
	return rc;
}

int tolk_text_norm(const char *s, size_t len, struct tolk_buf *out,
		   struct tolk_err *err)
{
	enum latin kind;

	if (len > INT32_MAX / 2)
		return tolk_err_set(err, TOLK_EINPUT, "text too long");
	kind = latin_scan((const unsigned char *)s, len);
	if (kind != LATIN_NORMAL)
		return norm_other(kind, s, len, out, err);
	if (tolk_buf_grow(out, len))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	memcpy(out->data + out->len, s, len);
	out->len += len;
	out->data[out->len] = '\0';
	return 0;
}

int tolk_text_norm_ref(const char *s, size_t len, struct tolk_buf *out,
		       const char **norm, size_t *nlen, struct tolk_err *err)
{
	enum latin kind;
	int rc;

	if (len > INT32_MAX / 2)
		return tolk_err_set(err, TOLK_EINPUT, "text too long");
	kind = latin_scan((const unsigned char *)s, len);
	if (kind == LATIN_NORMAL) {
		*norm = s;
		*nlen = len;
		return 0;
	}
	tolk_buf_reset(out);
	if ((rc = norm_other(kind, s, len, out, err)))
		return rc;
	*norm = out->data;
	*nlen = out->len;
	return 0;
}

int tolk_text_fold(const char *s, size_t len, struct tolk_buf *out,
		   struct tolk_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfd, *nfc;
	UChar *a = NULL, *b = NULL;
	int32_t n = 0, cap;
	int rc = 0;
	size_t bad;

	/* A canonical decomposition at most quadruples the UTF-16 length
	 * and full case folding at most triples it; recomposing never
	 * lengthens decomposed text.  ICU reports an overflow rather than
	 * writing past cap, so a wrong bound would be an error, not a bug. */
	if (len > INT32_MAX / 13)
		return tolk_err_set(err, TOLK_EINPUT, "text too long");
	if (!tolk_utf8_valid(s, len, &bad))
		return tolk_err_set(err, TOLK_EINPUT,
				    "invalid UTF-8 at byte %zu", bad);
	nfd = unorm2_getNFDInstance(&st);
	nfc = unorm2_getNFCInstance(&st);
	if (U_FAILURE(st))
		return tolk_err_set(err, TOLK_EINTERNAL, "ICU normaliser: %s",
				    u_errorName(st));
	u_strFromUTF8(NULL, 0, &n, s, (int32_t)len, &st);
	st = U_ZERO_ERROR;
	cap = n * 12 + 1;
	a = malloc((size_t)cap * sizeof(*a));
	b = malloc((size_t)cap * sizeof(*b));
	if (!a || !b) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	u_strFromUTF8(a, cap, &n, s, (int32_t)len, &st);
	n = unorm2_normalize(nfd, a, n, b, cap, &st);
	n = u_strFoldCase(a, cap, b, n, U_FOLD_CASE_DEFAULT, &st);
	n = unorm2_normalize(nfc, a, n, b, cap, &st);
	if (U_FAILURE(st)) {
		rc = tolk_err_set(err, TOLK_EINTERNAL, "ICU case folding: %s",
				  u_errorName(st));
		goto done;
	}
	rc = append_utf8(out, b, n, err);
done:
	free(a);
	free(b);
	return rc;
}
