#include "tm/text/segment.h"
#include "tm/text/srx.h"
#include "tm/text/srx_int.h"
#include "util/lang.h"
#include "util/limit.h"
#include "util/utf8.h"
#include "util/vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

struct tm_segmenter {
	struct tm_srx *srx;
	struct tm_srx_rules *rules;
	UBreakIterator *bi; /* NULL with TM_SEGMENT_SRX_ONLY */
	unsigned flags;
	/* scratch, grown as paragraphs need */
	UChar *u;
	int32_t *pos;
	unsigned char *marks, *cand;
	size_t cap;
};

struct sent_list {
	struct tm_sentence *v;
	size_t n, cap;
};

static int push(struct sent_list *l, size_t para, size_t start, size_t end)
{
	if (TOLK_GROW(l->v, l->cap, l->n + 1, 64))
		return TOLK_ENOMEM;
	l->v[l->n].para = para;
	l->v[l->n].start = start;
	l->v[l->n].end = end;
	l->n++;
	return 0;
}

int tm_segmenter_new(struct tm_segmenter **out, const char *lang,
		     const char *srx_path, unsigned flags, struct tolk_err *err)
{
	struct tm_segmenter *sg;
	char canon[TOLK_LANG_MAX], loc[TOLK_LANG_MAX + 16], *p;
	UErrorCode st = U_ZERO_ERROR;
	int rc;

	*out = NULL;
	if (tolk_lang_canon(lang, canon, sizeof(canon)))
		return tolk_err_set(err, TOLK_EINPUT,
				    "'%s' is not a language tag", lang);
	sg = calloc(1, sizeof(*sg));
	if (!sg)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	sg->flags = flags;
	if (srx_path)
		rc = tm_srx_load_file(&sg->srx, srx_path, err);
	else
		rc = tm_srx_load_memory(&sg->srx, (const char *)tm_srx_builtin,
					tm_srx_builtin_len, "tolk.srx", err);
	if (rc)
		goto fail;
	if ((rc = tm_srx_rules_for(sg->srx, canon, &sg->rules, err)))
		goto fail;
	if (!(flags & TM_SEGMENT_SRX_ONLY)) {
		/* ICU locale ids use "_"; "ss=standard" switches on ICU's own
		 * abbreviation suppressions where it has them (English). */
		snprintf(loc, sizeof(loc), "%s@ss=standard", canon);
		for (p = loc; *p && *p != '@'; p++)
			if (*p == '-')
				*p = '_';
		sg->bi = ubrk_open(UBRK_SENTENCE, loc, NULL, 0, &st);
		if (U_FAILURE(st)) {
			rc = tolk_err_set(err, TOLK_EINTERNAL,
					  "ICU sentence break iterator: %s",
					  u_errorName(st));
			goto fail;
		}
	}
	*out = sg;
	return 0;
fail:
	tm_segmenter_free(sg);
	return rc;
}

void tm_segmenter_free(struct tm_segmenter *sg)
{
	if (!sg)
		return;
	if (sg->bi)
		ubrk_close(sg->bi);
	tm_srx_rules_free(sg->rules);
	tm_srx_free(sg->srx);
	free(sg->u);
	free(sg->pos);
	free(sg->marks);
	free(sg->cand);
	free(sg);
}

const char *tm_segmenter_rules(const struct tm_segmenter *sg)
{
	return tm_srx_rules_names(sg->rules);
}

static int reserve(struct tm_segmenter *sg, size_t len)
{
	UChar *u;
	int32_t *pos;
	unsigned char *m, *c;

	if (len + 2 <= sg->cap)
		return 0;
	u = realloc(sg->u, (len + 2) * sizeof(*u));
	if (u)
		sg->u = u;
	pos = realloc(sg->pos, (len + 2) * sizeof(*pos));
	if (pos)
		sg->pos = pos;
	m = realloc(sg->marks, len + 2);
	if (m)
		sg->marks = m;
	c = realloc(sg->cand, len + 2);
	if (c)
		sg->cand = c;
	if (!u || !pos || !m || !c)
		return TOLK_ENOMEM;
	sg->cap = len + 2;
	return 0;
}

static int is_space(UChar c)
{
	return u_isUWhiteSpace(c);
}

/* Closing material that may stand between a sentence's last word and
 * its end: quotes and brackets. */
static int is_closer(UChar c)
{
	int t = u_charType(c);

	return t == U_END_PUNCTUATION || t == U_FINAL_PUNCTUATION ||
	       t == U_INITIAL_PUNCTUATION || c == '"' || c == '\'';
}

/* The SRX decision that belongs to a sentence end at q: rules may put
 * the position after the white space that follows or before closing
 * quotes, so look there too, nearest first. */
static unsigned char decision(const struct tm_segmenter *sg, int32_t q,
			      int32_t n)
{
	int32_t k;

	for (k = q; k <= n; k++) {
		if (sg->marks[k])
			return sg->marks[k];
		if (k < n && !is_space(sg->u[k]))
			break;
	}
	for (k = q - 1; k > 0 && is_closer(sg->u[k]); k--)
		if (sg->marks[k])
			return sg->marks[k];
	return TM_SRX_NONE;
}

/* Segments one paragraph p[0..len) (no line break inside). */
static int segment_para(struct tm_segmenter *sg, const char *p, size_t len,
			size_t base, size_t para, struct sent_list *l,
			struct tolk_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	int32_t n = 0, i, q, start;
	int rc;

	if (reserve(sg, len))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < (int32_t)len;) {
		UChar32 c;
		int32_t b = i;

		U8_NEXT(p, i, (int32_t)len, c);
		sg->pos[n] = b;
		if (U_IS_BMP(c)) {
			sg->u[n++] = (UChar)c;
		} else {
			sg->u[n++] = U16_LEAD(c);
			sg->pos[n] = b;
			sg->u[n++] = U16_TRAIL(c);
		}
	}
	sg->pos[n] = (int32_t)len;
	if ((rc = tm_srx_rules_mark16(sg->rules, sg->u, n, sg->marks, err)))
		return rc;
	memset(sg->cand, 0, (size_t)n + 1);
	/* bit 1: ICU proposes an end here; bit 2: an SRX break rule does */
	if (sg->bi) {
		int32_t b;

		ubrk_setText(sg->bi, sg->u, n, &st);
		if (U_FAILURE(st))
			return tolk_err_set(err, TOLK_EINTERNAL,
					    "ICU break iterator: %s",
					    u_errorName(st));
		for (b = ubrk_next(sg->bi); b != UBRK_DONE && b < n;
		     b = ubrk_next(sg->bi)) {
			for (q = b; q > 0 && is_space(sg->u[q - 1]); q--)
				;
			if (q > 0)
				sg->cand[q] |= 1;
		}
	}
	for (i = 1; i < n; i++) {
		if (sg->marks[i] != TM_SRX_BREAK)
			continue;
		for (q = i; q > 0 && is_space(sg->u[q - 1]); q--)
			;
		if (q > 0)
			sg->cand[q] |= 2;
	}
	for (start = 0; start < n && is_space(sg->u[start]); start++)
		;
	for (q = 1; q <= n; q++) {
		int32_t e, next;
		unsigned char d;

		if (q < n) {
			if (!sg->cand[q] || q <= start)
				continue;
			d = decision(sg, q, n);
			if (d == TM_SRX_NOBREAK ||
			    (d == TM_SRX_NONE && !(sg->cand[q] & 1)))
				continue;
		}
		for (e = q; e > start && is_space(sg->u[e - 1]); e--)
			;
		for (next = q; next < n && is_space(sg->u[next]); next++)
			;
		if (e > start && push(l, para, base + (size_t)sg->pos[start],
				      base + (size_t)sg->pos[e]))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		start = next;
		if (start >= n)
			break;
	}
	{ /* the iterator must not keep pointing into our scratch buffer */
		UErrorCode st2 = U_ZERO_ERROR;

		if (sg->bi)
			ubrk_setText(sg->bi, sg->u, 0, &st2);
	}
	return 0;
}

static int check_utf8(const char *text, size_t len, struct tolk_err *err)
{
	size_t bad, i, line = 1, col = 1;

	if (tolk_utf8_valid(text, len, &bad))
		return 0;
	for (i = 0; i < bad; i++) {
		if (text[i] == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	return tolk_err_set_at(err, TOLK_EINPUT, "", line, col,
			       "invalid UTF-8");
}

/* Length of a UTF-8 byte order mark at the start of text (0 or 3). */
static size_t bom(const char *text, size_t len)
{
	return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

static int blank(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
		    p[i] != '\f' && p[i] != '\v')
			return 0;
	return 1;
}

int tm_segment_text(struct tm_segmenter *sg, const char *text, size_t len,
		    struct tm_sentence **out, size_t *n, struct tolk_err *err)
{
	struct sent_list l = {NULL, 0, 0};
	size_t off = 0, para = 0;
	unsigned long line = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = check_utf8(text, len, err)))
		return rc;
	off = bom(text, len);
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) : len;

		line++;
		/* ICU works on a UTF-16 copy of the whole paragraph */
		if (end - off > TOLK_MAX_LINE_BYTES) {
			rc = tolk_err_set_at(err, TOLK_EINPUT, "", line, 0,
					     "paragraph (line) longer than the "
					     "limit of %d bytes",
					     TOLK_MAX_LINE_BYTES);
			goto fail;
		}
		if (!blank(text + off, end - off)) {
			para++;
			if ((rc = segment_para(sg, text + off, end - off, off,
					       para, &l, err)))
				goto fail;
		}
		off = end + 1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
fail:
	free(l.v);
	return rc;
}

int tm_segment_lines(const char *text, size_t len, struct tm_sentence **out,
		     size_t *n, struct tolk_err *err)
{
	struct sent_list l = {NULL, 0, 0};
	size_t off = 0, para = 1;
	int rc, open = 0;

	*out = NULL;
	*n = 0;
	if ((rc = check_utf8(text, len, err)))
		return rc;
	off = bom(text, len);
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t end = nl ? (size_t)(nl - text) : len, s = off, e = end;

		while (s < e && text[s] && strchr(" \t\r\f\v", text[s]))
			s++;
		while (e > s && text[e - 1] && strchr(" \t\r\f\v", text[e - 1]))
			e--;
		if (s == e) {
			if (open)
				para++;
			open = 0;
		} else {
			if (push(&l, para, s, e)) {
				free(l.v);
				return tolk_err_set(err, TOLK_ENOMEM,
						    "out of memory");
			}
			open = 1;
		}
		off = end + 1;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}
