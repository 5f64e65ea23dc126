#include "util/lang.h"
#include "util/err.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <unicode/uloc.h>

/* ICU's locale ID for a tag, or -1 when the tag does not parse whole. */
static int to_locale(const char *tag, char *loc, size_t loclen)
{
	char tmp[TOLK_LANG_MAX];
	size_t n = strlen(tag), i;
	int32_t parsed = 0;
	UErrorCode st = U_ZERO_ERROR;
	char raw[ULOC_FULLNAME_CAPACITY];

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)tag[i];

		if (c == '_')
			c = '-';
		if (!isalnum(c) && c != '-')
			return -1;
		tmp[i] = (char)c;
	}
	tmp[n] = '\0';
	uloc_forLanguageTag(tmp, raw, (int32_t)sizeof(raw), &parsed, &st);
	if (U_FAILURE(st) || parsed != (int32_t)n || raw[0] == '\0' ||
	    raw[0] == '@')
		return -1;
	st = U_ZERO_ERROR;
	uloc_canonicalize(raw, loc, (int32_t)loclen, &st);
	if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING)
		return -1;
	return 0;
}

/* Importing a memory asks about the same few tags millions of times, and
 * each ICU parse costs microseconds: remember the last answers, per
 * thread so that the library stays thread-safe. */
#define MEMO_SLOTS 16

struct memo {
	char tag[TOLK_LANG_MAX];
	char out[TOLK_LANG_MAX];
	size_t outlen; /* strlen(out) */
	int rc;
};

static _Thread_local struct memo canon_memo[MEMO_SLOTS], key_memo[MEMO_SLOTS];
static _Thread_local unsigned canon_next, key_next;

/* The answers are kept whole (TOLK_LANG_MAX bytes), whatever buffer the
 * call that made them had: the caller's outlen decides only whether this
 * call's answer fits, never what a later call is told. */
static const struct memo *memo_get(const struct memo *m, const char *tag)
{
	size_t i;

	/* slots fill in order, so the first empty one ends the search; the
	 * first byte turns most slots away without a call */
	for (i = 0; i < MEMO_SLOTS && m[i].tag[0]; i++)
		if (m[i].tag[0] == tag[0] && strcmp(m[i].tag, tag) == 0)
			return &m[i];
	return NULL;
}

/* Copies an answer of n bytes to the caller's buffer, if it fits. */
static int answer(int rc, const char *val, size_t n, char *out, size_t outlen)
{
	if (rc)
		return rc;
	if (n >= outlen)
		return TOLK_EINPUT;
	memcpy(out, val, n + 1);
	return 0;
}

static void memo_put(struct memo *m, unsigned *next, const char *tag,
		     const char *out, int rc)
{
	struct memo *e = &m[*next % MEMO_SLOTS];

	/* an empty slot ends memo_get's search: "" is not kept */
	if (!tag[0] || strlen(tag) >= sizeof(e->tag) ||
	    (rc == 0 && strlen(out) >= sizeof(e->out)))
		return;
	snprintf(e->tag, sizeof(e->tag), "%s", tag);
	snprintf(e->out, sizeof(e->out), "%s", rc == 0 ? out : "");
	e->outlen = strlen(e->out);
	e->rc = rc;
	(*next)++;
}

/* fn(tag) computed into a whole TOLK_LANG_MAX buffer and kept in m, then
 * copied out if it fits.  Apart from memoised, so that a hit (nearly
 * every call of an import) sets up no buffer. */
static __attribute__((noinline)) int
memo_miss(struct memo *m, unsigned *next,
	  int (*fn)(const char *, char *, size_t), const char *tag, char *out,
	  size_t outlen)
{
	char val[TOLK_LANG_MAX];
	int rc;

	val[0] = '\0';
	rc = fn(tag, val, sizeof(val));
	memo_put(m, next, tag, val, rc);
	return answer(rc, val, strlen(val), out, outlen);
}

/* fn(tag) through the memo m. */
static int memoised(struct memo *m, unsigned *next,
		    int (*fn)(const char *, char *, size_t), const char *tag,
		    char *out, size_t outlen)
{
	const struct memo *hit = memo_get(m, tag);

	if (hit)
		return answer(hit->rc, hit->out, hit->outlen, out, outlen);
	return memo_miss(m, next, fn, tag, out, outlen);
}

static int lang_canon(const char *tag, char *out, size_t outlen);
static int lang_key(const char *tag, char *out, size_t outlen);

int tolk_lang_canon(const char *tag, char *out, size_t outlen)
{
	return memoised(canon_memo, &canon_next, lang_canon, tag, out, outlen);
}

int tolk_lang_key(const char *tag, char *out, size_t outlen)
{
	return memoised(key_memo, &key_next, lang_key, tag, out, outlen);
}

static int lang_canon(const char *tag, char *out, size_t outlen)
{
	char loc[ULOC_FULLNAME_CAPACITY];
	UErrorCode st = U_ZERO_ERROR;
	int32_t n;

	if (to_locale(tag, loc, sizeof(loc)))
		return TOLK_EINPUT;
	n = uloc_toLanguageTag(loc, out, (int32_t)outlen, 0, &st);
	if (U_FAILURE(st) || n <= 0 || (size_t)n >= outlen ||
	    strcmp(out, "und") == 0)
		return TOLK_EINPUT;
	return 0;
}

static int lang_key(const char *tag, char *out, size_t outlen)
{
	char loc[ULOC_FULLNAME_CAPACITY], lang[ULOC_LANG_CAPACITY];
	UErrorCode st = U_ZERO_ERROR;
	int32_t n;

	if (to_locale(tag, loc, sizeof(loc)))
		return TOLK_EINPUT;
	n = uloc_getLanguage(loc, lang, (int32_t)sizeof(lang), &st);
	if (U_FAILURE(st) || n <= 0)
		return TOLK_EINPUT;
	/* "no" is the macrolanguage; text tagged with it is Bokmål in
	 * practice, and translators expect no/nb to be one language. */
	if (strcmp(lang, "no") == 0 || strcmp(lang, "nob") == 0)
		snprintf(lang, sizeof(lang), "nb");
	else if (strcmp(lang, "nno") == 0)
		snprintf(lang, sizeof(lang), "nn");
	if (strlen(lang) >= outlen)
		return TOLK_EINPUT;
	memcpy(out, lang, strlen(lang) + 1);
	return 0;
}

int tolk_lang_same(const char *a, const char *b)
{
	char ka[TOLK_LANG_MAX], kb[TOLK_LANG_MAX];

	if (tolk_lang_key(a, ka, sizeof(ka)) ||
	    tolk_lang_key(b, kb, sizeof(kb)))
		return 0;
	return strcmp(ka, kb) == 0;
}
