/* The number scanner (see util/number.h).
 *
 * A number is found in two passes over the bytes around its first digit:
 * the lexical pass collects digit groups and the separators between them,
 * which is all the aligner needs and is the same for both languages; the
 * second pass reads the words around the digits ("kl.", "%", "pm",
 * "november", a following '.') to tell the kind, and computes the value
 * in the notation of the language given.  Groups joined by a space must be
 * three digits long after a first group of at most three, so that a year
 * followed by a count ("i 2022 300 soldater") stays two numbers. */
#include "util/number.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static size_t digits(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && is_digit(s[i]))
		i++;
	return i;
}

/* Letters of the word at s, counting UTF-8 letters (æ, ø, å) as letters:
 * enough to know where an ASCII keyword ends. */
static size_t word_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (is_alpha(s[i]) || (unsigned char)s[i] >= 0x80))
		i++;
	return i;
}

size_t tolk_num_space(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	if (n >= 1 && p[0] == ' ')
		return 1;
	if (n >= 2 && p[0] == 0xc2 && p[1] == 0xa0)
		return 2;
	/* U+2007 FIGURE SPACE, U+2009 THIN SPACE, U+202F NARROW NBSP */
	if (n >= 3 && p[0] == 0xe2 && p[1] == 0x80 &&
	    (p[2] == 0x87 || p[2] == 0x89 || p[2] == 0xaf))
		return 3;
	return 0;
}

/* Length of the white space character ending just before s[i], else 0. */
static size_t space_before(const char *s, size_t i)
{
	if (i >= 1 && tolk_num_space(s + i - 1, 1) == 1)
		return 1;
	if (i >= 2 && tolk_num_space(s + i - 2, 2) == 2)
		return 2;
	if (i >= 3 && tolk_num_space(s + i - 3, 3) == 3)
		return 3;
	return 0;
}

static size_t skip_spaces(const char *s, size_t n, size_t i)
{
	size_t sp;

	while (i < n && (sp = tolk_num_space(s + i, n - i)))
		i += sp;
	return i;
}

/* Month 1-12 of the (Norwegian or English) month name s[0..len), else 0. */
static int month_of(const char *s, size_t len)
{
	static const char *const names[] = {
	    "januar",	"january",   "februar",	  "february", "mars",
	    "march",	"april",     "april",	  "mai",      "may",
	    "juni",	"june",	     "juli",	  "july",     "august",
	    "august",	"september", "september", "oktober",  "october",
	    "november", "november",  "desember",  "december",
	};
	size_t k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k]) == len && !strncasecmp(s, names[k], len))
			return (int)(k / 2) + 1;
	return 0;
}

const char *tolk_num_month_name(int month, enum tolk_num_lang lang)
{
	static const char *const nb[] = {
	    "januar", "februar", "mars",      "april",	 "mai",	     "juni",
	    "juli",   "august",	 "september", "oktober", "november", "desember",
	};
	static const char *const en[] = {
	    "january",	 "february", "march",	 "april",
	    "may",	 "june",     "july",	 "august",
	    "september", "october",  "november", "december",
	};

	if (month < 1 || month > 12)
		return NULL;
	return lang == TOLK_NUM_EN ? en[month - 1] : nb[month - 1];
}

/* The value of group g as an int (groups are short where this is used). */
static int group_int(const char *s, const struct tolk_num *t, size_t g)
{
	int v = 0;
	size_t k;

	for (k = 0; k < t->glen[g] && k < 6; k++)
		v = v * 10 + (s[t->goff[g] + k] - '0');
	return v;
}

/* Hour and minutes when the number can be a time of day ("19", "15.30",
 * "15:30"). */
static int clock(const char *s, const struct tolk_num *t, int *h, int *m)
{
	if (t->negative || t->glen[0] > 2)
		return 0;
	*h = group_int(s, t, 0);
	*m = 0;
	if (t->ng == 2) {
		if (t->glen[1] != 2 || (t->sep[0] != TOLK_NUM_SEP_DOT &&
					t->sep[0] != TOLK_NUM_SEP_COLON))
			return 0;
		*m = group_int(s, t, 1);
	} else if (t->ng != 1) {
		return 0;
	}
	return *h <= 24 && *m <= 59;
}

static void set_time(struct tolk_num *t, int h, int m)
{
	t->kind = TOLK_NUM_TIME;
	snprintf(t->value, sizeof(t->value), "%d:%02d", h, m);
}

/* "kl. " or "kl " (any case) directly before s[i]: its start, else i. */
static size_t klokka_before(const char *s, size_t i)
{
	size_t sp = space_before(s, i), k;

	if (!sp)
		return i;
	k = i - sp;
	if (k >= 1 && s[k - 1] == '.')
		k--;
	if (k < 2 || strncasecmp(s + k - 2, "kl", 2) ||
	    (k >= 3 && (is_alpha(s[k - 3]) || (unsigned char)s[k - 3] >= 0x80)))
		return i;
	return k - 2;
}

/* "am"/"a.m."/"pm"/"p.m." at s[i..n): its length, *pm set, else 0. */
static size_t meridiem(const char *s, size_t n, size_t i, int *pm)
{
	size_t len;
	char c;

	if (i >= n)
		return 0;
	c = (char)(s[i] | 0x20);
	if (c != 'a' && c != 'p')
		return 0;
	*pm = c == 'p';
	if (n - i >= 4 && s[i + 1] == '.' && (s[i + 2] | 0x20) == 'm' &&
	    s[i + 3] == '.')
		return 4;
	if (n - i < 2 || (s[i + 1] | 0x20) != 'm')
		return 0;
	len = 2;
	if (i + len < n && (is_alpha(s[i + len]) || is_digit(s[i + len])))
		return 0;
	return len;
}

/* Reads the words around the digits: sets kind, value, start and end. */
static void classify(const char *s, size_t n, enum tolk_num_lang lang,
		     struct tolk_num *t)
{
	size_t a = t->nend, j = skip_spaces(s, n, a), w, k;
	int h, m, pm, mon, day = t->ng == 1 ? group_int(s, t, 0) : 0;
	int dayish = t->ng == 1 && t->glen[0] <= 2 && !t->negative &&
		     day >= 1 && day <= 31;

	/* 15:30 */
	if (t->ng == 2 && t->sep[0] == TOLK_NUM_SEP_COLON &&
	    clock(s, t, &h, &m))
		set_time(t, h, m);
	/* kl. 19, kl. 15.30 */
	k = klokka_before(s, t->nstart);
	if (k != t->nstart && clock(s, t, &h, &m)) {
		set_time(t, h, m);
		t->start = k;
	}
	/* 7 pm, 7.30 p.m. */
	if ((w = meridiem(s, n, j, &pm)) && clock(s, t, &h, &m) && h >= 1 &&
	    h <= 12) {
		set_time(t, pm ? (h == 12 ? 12 : h + 12) : (h == 12 ? 0 : h),
			 m);
		t->end = j + w;
		return;
	}
	if (t->kind == TOLK_NUM_TIME)
		return;
	/* 12 %, 12 prosent, 12 percent, 12 per cent */
	w = word_len(s + j, n - j);
	if ((j < n && s[j] == '%') ||
	    (w == 7 && (!strncasecmp(s + j, "prosent", 7) ||
			!strncasecmp(s + j, "percent", 7)))) {
		t->kind = TOLK_NUM_PERCENT;
		t->end = j + (s[j] == '%' ? 1 : 7);
		return;
	}
	if (w == 3 && !strncasecmp(s + j, "per", 3)) {
		size_t c = skip_spaces(s, n, j + 3);

		if (c > j + 3 && word_len(s + c, n - c) == 4 &&
		    !strncasecmp(s + c, "cent", 4)) {
			t->kind = TOLK_NUM_PERCENT;
			t->end = c + 4;
			return;
		}
	}
	/* 17.05.2024 */
	if (t->ng == 3 && t->sep[0] == TOLK_NUM_SEP_DOT &&
	    t->sep[1] == TOLK_NUM_SEP_DOT && t->glen[0] <= 2 &&
	    t->glen[1] <= 2 && (t->glen[2] == 4 || t->glen[2] == 2)) {
		day = group_int(s, t, 0);
		mon = group_int(s, t, 1);
		if (day >= 1 && day <= 31 && mon >= 1 && mon <= 12) {
			t->kind = TOLK_NUM_DATE;
			snprintf(t->value, sizeof(t->value), "%.*s-%02d-%02d",
				 (int)t->glen[2], s + t->goff[2], mon, day);
		}
		return;
	}
	if (t->ng != 1 || t->negative)
		return;
	/* 28. november; 28. plass (Norwegian ordinal) */
	if (a < n && s[a] == '.' && (j = skip_spaces(s, n, a + 1)) > a + 1) {
		w = word_len(s + j, n - j);
		if (dayish && (mon = month_of(s + j, w))) {
			t->kind = TOLK_NUM_DATE;
			snprintf(t->value, sizeof(t->value), "%02d-%02d", mon,
				 day);
			t->end = j + w;
			return;
		}
		if (lang == TOLK_NUM_NB && w > 0 &&
		    ((s[j] >= 'a' && s[j] <= 'z') ||
		     (unsigned char)s[j] == 0xc3)) {
			t->kind = TOLK_NUM_ORDINAL;
			snprintf(t->value, sizeof(t->value), "%.*s",
				 (int)t->glen[0], s + t->goff[0]);
			t->end = a + 1;
		}
		return;
	}
	/* 28th, 1st, 2nd, 3rd (English ordinal) */
	w = word_len(s + a, n - a);
	if (w == 2 &&
	    (!strncasecmp(s + a, "st", 2) || !strncasecmp(s + a, "nd", 2) ||
	     !strncasecmp(s + a, "rd", 2) || !strncasecmp(s + a, "th", 2))) {
		t->kind = TOLK_NUM_ORDINAL;
		snprintf(t->value, sizeof(t->value), "%.*s", (int)t->glen[0],
			 s + t->goff[0]);
		t->end = a + 2;
		j = skip_spaces(s, n, a + 2);
		w = word_len(s + j, n - j);
		if (j > a + 2 && dayish && (mon = month_of(s + j, w))) {
			t->kind = TOLK_NUM_DATE;
			snprintf(t->value, sizeof(t->value), "%02d-%02d", mon,
				 day);
			t->end = j + w;
		}
	} else if (w == 0 && dayish && j > a &&
		   (mon = month_of(s + j, word_len(s + j, n - j)))) {
		/* 28 November */
		t->kind = TOLK_NUM_DATE;
		snprintf(t->value, sizeof(t->value), "%02d-%02d", mon, day);
		t->end = j + word_len(s + j, n - j);
		return;
	}
	/* November 28 */
	if (dayish && (k = space_before(s, t->nstart))) {
		size_t e = t->nstart - k, b = e;

		while (b > 0 && is_alpha(s[b - 1]))
			b--;
		if (b < e && (b == 0 || (unsigned char)s[b - 1] < 0x80) &&
		    (mon = month_of(s + b, e - b))) {
			t->kind = TOLK_NUM_DATE;
			snprintf(t->value, sizeof(t->value), "%02d-%02d", mon,
				 day);
			t->start = b;
		}
	}
}

size_t tolk_num_at(const char *s, size_t n, size_t pos, enum tolk_num_lang lang,
		   struct tolk_num *out)
{
	struct tolk_num *t = out;
	size_t i = pos, d, sp, g;
	char canon[TOLK_NUM_VALUE_MAX];

	memset(t, 0, sizeof(*t));
	if (pos >= n || !is_digit(s[pos]))
		return pos;
	t->nstart = pos;
	/* a sign that does not join two words or numbers: "-3", not "2-3" */
	if (pos >= 1 && s[pos - 1] == '-' &&
	    (pos < 2 || !(is_alpha(s[pos - 2]) || is_digit(s[pos - 2])))) {
		t->negative = 1;
		t->nstart = pos - 1;
	} else if (pos >= 3 && !memcmp(s + pos - 3, "\xe2\x88\x92", 3)) {
		t->negative = 1;
		t->nstart = pos - 3;
	}
	for (;;) {
		d = digits(s + i, n - i);
		t->goff[t->ng] = i;
		t->glen[t->ng] = d;
		t->ng++;
		i += d;
		if (t->ng == TOLK_NUM_MAX_GROUPS)
			break;
		sp = tolk_num_space(s + i, n - i);
		if (sp && digits(s + i + sp, n - i - sp) == 3 &&
		    t->glen[0] <= 3) {
			for (g = 0; g + 1 < t->ng; g++)
				if (t->sep[g] != TOLK_NUM_SEP_SPACE)
					break;
			if (g + 1 == t->ng) {
				t->sep[t->ng - 1] = TOLK_NUM_SEP_SPACE;
				t->grouped = 1;
				i += sp;
				continue;
			}
		}
		if (i + 1 < n && (s[i] == '.' || s[i] == ',' || s[i] == ':') &&
		    is_digit(s[i + 1])) {
			t->sep[t->ng - 1] = s[i] == '.'	  ? TOLK_NUM_SEP_DOT
					    : s[i] == ',' ? TOLK_NUM_SEP_COMMA
							  : TOLK_NUM_SEP_COLON;
			i++;
			continue;
		}
		break;
	}
	t->nend = i;
	t->start = t->nstart;
	t->end = t->nend;
	tolk_num_canon(s + pos, i - pos, lang, canon, sizeof(canon),
		       &t->grouped);
	snprintf(t->value, sizeof(t->value), "%s%s", t->negative ? "-" : "",
		 canon);
	classify(s, n, lang, t);
	return i;
}

int tolk_num_next(const char *s, size_t n, size_t *pos, enum tolk_num_lang lang,
		  struct tolk_num *out)
{
	size_t i = *pos;

	while (i < n && !is_digit(s[i]))
		i++;
	if (i >= n)
		return 0;
	*pos = tolk_num_at(s, n, i, lang, out);
	return 1;
}

static int all_digits(const char *s, size_t n)
{
	return n > 0 && digits(s, n) == n;
}

size_t tolk_num_canon(const char *s, size_t n, enum tolk_num_lang lang,
		      char *out, size_t outlen, int *grouped)
{
	char gsep = lang == TOLK_NUM_EN ? ',' : '.';
	char dsep = lang == TOLK_NUM_EN ? '.' : ',';
	size_t i = 0, w = 0, sp;
	int dec = 0;

	*grouped = 0;
	if (outlen == 0)
		return 0;
	while (i < n && w + 1 < outlen) {
		char c = s[i];

		if ((sp = tolk_num_space(s + i, n - i))) {
			*grouped = 1;
			i += sp;
			continue;
		}
		if (c == gsep && !dec && n - i > 3 &&
		    all_digits(s + i + 1, 3) &&
		    (i + 4 >= n || !is_digit(s[i + 4]))) {
			*grouped = 1;
			i++;
			continue;
		}
		if (c == dsep && !dec && i + 1 < n && is_digit(s[i + 1])) {
			out[w++] = '.';
			dec = 1;
			i++;
			continue;
		}
		out[w++] = c;
		i++;
	}
	out[w] = '\0';
	return w;
}

void tolk_num_english(const char *canon, int grouped, char *out, size_t outlen)
{
	const char *dot = strchr(canon, '.');
	size_t il = dot ? (size_t)(dot - canon) : strlen(canon), i, w = 0;

	if (outlen == 0)
		return;
	if (!all_digits(canon, il) || !(il >= 5 || (grouped && il >= 4))) {
		snprintf(out, outlen, "%s", canon);
		return;
	}
	for (i = 0; i < il && w + 2 < outlen; i++) {
		if (i > 0 && (il - i) % 3 == 0)
			out[w++] = ',';
		out[w++] = canon[i];
	}
	out[w] = '\0';
	if (dot)
		snprintf(out + w, outlen - w, "%s", dot);
}
