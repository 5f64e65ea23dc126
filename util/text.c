#include "util/text.h"
#include "util/utf8.h"

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

/* tolk_text_norm of a text whose code points are all below U+0300 (no
 * byte from 0xCC up): such a text is in NFC already (nothing below the
 * combining marks composes or reorders), and its white space is ASCII's,
 * NEL or NBSP.  1 when done, 0 when the text needs ICU, -1 out of
 * memory.  An import normalises every segment: most are such texts. */
static int norm_latin(const char *s, size_t len, struct tolk_buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, start = out->len;
	int space = 0;

	for (i = 0; i < len; i++)
		if (p[i] >= 0xcc)
			return 0;
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
	return 1;
}

int tolk_text_norm(const char *s, size_t len, struct tolk_buf *out,
		   struct tolk_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	UChar *u = NULL, *n = NULL;
	int32_t ulen = 0, nlen, i, w = 0;
	int rc = 0, space = 0;
	size_t bad;

	if (len > INT32_MAX / 2)
		return tolk_err_set(err, TOLK_EINPUT, "text too long");
	if (!tolk_utf8_valid(s, len, &bad))
		return tolk_err_set(err, TOLK_EINPUT,
				    "invalid UTF-8 at byte %zu", bad);
	if ((rc = norm_latin(s, len, out)) != 0)
		return rc < 0 ? tolk_err_set(err, TOLK_ENOMEM, "out of memory")
			      : 0;
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
