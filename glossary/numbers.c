/* Numbers across Norwegian and English notation.
 *
 * Every number in a text is read in the ways its language allows, each
 * reading a canonical string: "n<digits>e<exponent>" for a value (12 000,
 * 12.000 and 12,000 are all n12e3; 1,5 and 1.5 are n15e-1), "t<h>:<mm>" for
 * a time of day (kl. 14.30, 14:30).  A source number is matched when one of
 * its readings is among the target's. */
#include "glossary/check.h"
#include "util/number.h"
#include "util/vec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_READINGS 12
/* the digits of one group as a string; longer groups are clipped */
#define GROUP_MAX 40

struct number {
	size_t start, end;
	const char *g[TOLK_NUM_MAX_GROUPS];
	size_t glen[TOLK_NUM_MAX_GROUPS];
	enum tolk_num_sep
	    sep[TOLK_NUM_MAX_GROUPS]; /* sep[i] comes before group i+1 */
	size_t ng;
	long mag; /* power of ten of a following million/milliard word */
};

struct readings {
	char r[MAX_READINGS][48];
	size_t n;
	char english[48]; /* first numeric reading in English notation */
};

/* s past the white space that may stand between a number and its word
 * ("12 millioner", "7 pm"). */
static const char *skip_spaces(const char *s)
{
	size_t sp;

	while ((sp = tolk_num_space(s, strnlen(s, 3))))
		s += sp;
	return s;
}

static long magnitude(const char *s)
{
	static const struct {
		const char *w;
		long mag;
	} words[] = {
	    {"tusen", 3},
	    {"thousand", 3},
	    {"million", 6},
	    {"millions", 6},
	    {"millioner", 6},
	    {"mill", 6},
	    {"milliard", 9},
	    {"milliarder", 9},
	    {"mrd", 9},
	    {"billion", 9},
	    {"billions", 9},
	    {"bn", 9},
	    /* Norwegian billion is 10^12, but only its plural differs from
	     * the English word: "20 000 milliarder" is "20 trillion" */
	    {"billioner", 12},
	    {"trillion", 12},
	    {"trillions", 12},
	    {"hundred", 2},
	    {"hundreds", 2},
	    /* the English shorthand of amounts: NOK 100k, 3.5m */
	    {"k", 3},
	    {"m", 6},
	};
	char w[16];
	size_t i = 0, k;

	s = skip_spaces(s);
	while (i < sizeof(w) - 1 && isalpha((unsigned char)s[i])) {
		w[i] = (char)tolower((unsigned char)s[i]);
		i++;
	}
	if (isalpha((unsigned char)s[i]))
		return 0;
	w[i] = '\0';
	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (!strcmp(w, words[k].w))
			return words[k].mag;
	return 0;
}

/* Scans the number starting at s[i] (a digit) with the shared scanner;
 * the readings below decide what its separators mean. */
static size_t scan(const char *s, size_t len, size_t i, struct number *n)
{
	struct tolk_num t;
	size_t g;

	memset(n, 0, sizeof(*n));
	n->start = i;
	n->end = tolk_num_at(s, len, i, TOLK_NUM_NB, &t);
	n->ng = t.ng;
	for (g = 0; g < t.ng; g++) {
		n->g[g] = s + t.goff[g];
		n->glen[g] = t.glen[g];
		n->sep[g] = t.sep[g];
	}
	n->mag = magnitude(s + n->end);
	return n->end;
}

static void add(struct readings *r, const char *s)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->r[i], s))
			return;
	if (r->n < MAX_READINGS)
		snprintf(r->r[r->n++], sizeof(r->r[0]), "%s", s);
}

/* Adds the value int.frac (digit strings), times 10^mag when mag. */
static void add_value(struct readings *r, const char *ip, const char *fp,
		      long mag)
{
	char d[40], buf[48];
	size_t il, fl, dl;
	long e;

	while (*ip == '0' && ip[1])
		ip++;
	il = strlen(ip);
	fl = strlen(fp);
	if (il + fl >= sizeof(d))
		return;
	memcpy(d, ip, il);
	memcpy(d + il, fp, fl);
	dl = il + fl;
	d[dl] = '\0';
	e = -(long)fl;
	while (dl > 1 && d[dl - 1] == '0') {
		d[--dl] = '\0';
		e++;
	}
	{
		const char *z = d;

		while (*z == '0' && z[1])
			z++;
		if (!strcmp(z, "0"))
			e = 0;
		snprintf(buf, sizeof(buf), "n%se%ld", z, e);
		add(r, buf);
		if (mag) {
			snprintf(buf, sizeof(buf), "n%se%ld", z,
				 strcmp(z, "0") ? e + mag : 0);
			add(r, buf);
		}
	}
	if (!r->english[0]) {
		/* English notation: thousands with commas, decimal point */
		char out[48];
		size_t o = 0, k;

		for (k = 0; k < il && o < sizeof(out) - 2; k++) {
			if (k && (il - k) % 3 == 0 && il > 4)
				out[o++] = ',';
			out[o++] = ip[k];
		}
		if (fl && o + fl + 2 < sizeof(out)) {
			out[o++] = '.';
			memcpy(out + o, fp, fl);
			o += fl;
		}
		out[o] = '\0';
		memcpy(r->english, out, o + 1);
	}
}

static void add_time(struct readings *r, const struct number *n)
{
	char buf[48];
	int h, m;

	if (n->ng != 2 || n->glen[0] > 2 || n->glen[1] != 2)
		return;
	h = atoi(n->g[0]);
	m = (n->g[1][0] - '0') * 10 + (n->g[1][1] - '0');
	if (h > 24 || m > 59)
		return;
	snprintf(buf, sizeof(buf), "t%d:%02d", h, m);
	add(r, buf);
	if (m == 0) {
		snprintf(buf, sizeof(buf), "n%de0", h);
		if (h == 0)
			snprintf(buf, sizeof(buf), "n0e0");
		add(r, buf);
	}
}

/* Reads n with `grp` separators between thousands and `dec` before the
 * fraction; nothing when n does not fit that notation. */
static void interpret(struct readings *r, const struct number *n, unsigned grp,
		      enum tolk_num_sep dec)
{
	char ip[40] = "", fp[40] = "";
	size_t i, il = 0;

	for (i = 0; i < n->ng; i++) {
		if (i > 0) {
			enum tolk_num_sep s = n->sep[i - 1];

			if (s == dec && i == n->ng - 1) {
				if (n->glen[i] >= sizeof(fp))
					return;
				memcpy(fp, n->g[i], n->glen[i]);
				fp[n->glen[i]] = '\0';
				break;
			}
			if (!(grp & (1u << s)) || n->glen[i] != 3 ||
			    (i == 1 && n->glen[0] > 3))
				return;
		}
		if (il + n->glen[i] >= sizeof(ip))
			return;
		memcpy(ip + il, n->g[i], n->glen[i]);
		il += n->glen[i];
		ip[il] = '\0';
	}
	add_value(r, ip, fp, n->mag);
}

/* Adds the value of group g on its own, as a whole number; ip gets its
 * digits (clipped to fit). */
static void add_group(struct readings *r, const struct number *n, size_t g,
		      char ip[GROUP_MAX])
{
	size_t l = n->glen[g] < GROUP_MAX ? n->glen[g] : GROUP_MAX - 1;

	memcpy(ip, n->g[g], l);
	ip[l] = '\0';
	add_value(r, ip, "", 0);
}

static void read_number(struct readings *r, const struct number *n, int nb)
{
	r->n = 0;
	r->english[0] = '\0';
	if (n->ng == 2 && n->sep[0] == TOLK_NUM_SEP_COLON) {
		add_time(r, n);
		snprintf(r->english, sizeof(r->english), "%.*s:%.*s",
			 (int)n->glen[0], n->g[0], (int)n->glen[1], n->g[1]);
		return;
	}
	if (nb) {
		interpret(r, n,
			  1u << TOLK_NUM_SEP_SPACE | 1u << TOLK_NUM_SEP_DOT,
			  TOLK_NUM_SEP_COMMA);
		interpret(r, n, 1u << TOLK_NUM_SEP_SPACE, TOLK_NUM_SEP_DOT);
		if (n->ng == 2 && n->sep[0] == TOLK_NUM_SEP_DOT) {
			add_time(r, n);
			if (n->glen[1] == 2 && n->glen[0] <= 2)
				snprintf(r->english, sizeof(r->english),
					 "%.*s:%.*s", (int)n->glen[0], n->g[0],
					 2, n->g[1]);
		}
	} else {
		interpret(r, n,
			  1u << TOLK_NUM_SEP_SPACE | 1u << TOLK_NUM_SEP_COMMA,
			  TOLK_NUM_SEP_DOT);
		interpret(r, n, 1u << TOLK_NUM_SEP_SPACE, TOLK_NUM_SEP_COMMA);
		if (n->ng == 2 && n->sep[0] == TOLK_NUM_SEP_DOT)
			add_time(r, n);
	}
	if (r->n == 0) {
		/* a notation neither reading fits: every group must appear */
		char ip[GROUP_MAX];

		add_group(r, n, 0, ip);
	}
}

/* A date 17.05.2024: its day and year are the numbers to find. */
static int is_date(const struct number *n)
{
	return n->ng == 3 && n->sep[0] == TOLK_NUM_SEP_DOT &&
	       n->sep[1] == TOLK_NUM_SEP_DOT && n->glen[0] <= 2 &&
	       n->glen[1] <= 2 && (n->glen[2] == 4 || n->glen[2] == 2);
}

struct target_readings {
	char (*r)[48];
	size_t n, cap;
};

static int tr_add(struct target_readings *t, const char *s)
{
	if (TOLK_GROW(t->r, t->cap, t->n + 1, 32))
		return TOLK_ENOMEM;
	snprintf(t->r[t->n++], 48, "%s", s);
	return 0;
}

static int word_number(const char *w, size_t len)
{
	static const char *const small[] = {
	    "zero",    "one",	  "two",       "three",	   "four",
	    "five",    "six",	  "seven",     "eight",	   "nine",
	    "ten",     "eleven",  "twelve",    "thirteen", "fourteen",
	    "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
	    "twenty",
	};
	static const char *const tens[] = {
	    "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
	static const char *const ordinals[] = {
	    "zeroth", "first",	  "second",  "third",  "fourth",
	    "fifth",  "sixth",	  "seventh", "eighth", "ninth",
	    "tenth",  "eleventh", "twelfth",
	};
	size_t i;
	int c0;

	/* called for every word of a target with numbers: cheap rejects */
	if (len < 3 || len > 9)
		return -1;
	c0 = tolower((unsigned char)w[0]);
	if (!strchr("zotfsent", c0))
		return -1;
	for (i = 0; i < sizeof(small) / sizeof(small[0]); i++)
		if (small[i][0] == c0 && strlen(small[i]) == len &&
		    !strncasecmp(w, small[i], len))
			return (int)i;
	for (i = 1; i < sizeof(ordinals) / sizeof(ordinals[0]); i++)
		if (ordinals[i][0] == c0 && strlen(ordinals[i]) == len &&
		    !strncasecmp(w, ordinals[i], len))
			return (int)i;
	for (i = 0; i < sizeof(tens) / sizeof(tens[0]); i++)
		if (tens[i][0] == c0 && strlen(tens[i]) == len &&
		    !strncasecmp(w, tens[i], len))
			return 30 + 10 * (int)i;
	return -1;
}

/* "7 pm", "7.30 p.m.": the 24-hour readings (t19:00 and n19e0, or
 * t19:30 twice).  Returns 1 when it was such a time. */
static int pm_hour(const char *after, const struct number *n, char out[2][48])
{
	int h, m = 0;

	after = skip_spaces(after);
	if (strncasecmp(after, "pm", 2) && strncasecmp(after, "p.m.", 4))
		return 0;
	if (n->ng > 2 || n->glen[0] > 2 ||
	    (n->ng == 2 &&
	     (n->sep[0] == TOLK_NUM_SEP_COMMA || n->glen[1] != 2)))
		return 0;
	h = atoi(n->g[0]);
	if (n->ng == 2)
		m = atoi(n->g[1]);
	if (h < 1 || h > 11 || m > 59)
		return 0;
	snprintf(out[0], 48, "t%d:%02d", h + 12, m);
	if (m)
		snprintf(out[1], 48, "t%d:%02d", h + 12, m);
	else
		snprintf(out[1], 48, "n%de0", h + 12);
	return 1;
}

/* "12.30 am": the hour after midnight, t0:30 (and n0e0 on the hour);
 * other am hours read as written.  Returns 1 when it was such a time. */
static int am_midnight(const char *after, const struct number *n,
		       char out[2][48])
{
	int m = 0;

	after = skip_spaces(after);
	if (strncasecmp(after, "am", 2) && strncasecmp(after, "a.m.", 4))
		return 0;
	if (n->ng > 2 || n->glen[0] > 2 || atoi(n->g[0]) != 12 ||
	    (n->ng == 2 &&
	     (n->sep[0] == TOLK_NUM_SEP_COMMA || n->glen[1] != 2)))
		return 0;
	if (n->ng == 2)
		m = atoi(n->g[1]);
	if (m > 59)
		return 0;
	snprintf(out[0], 48, "t0:%02d", m);
	if (m)
		snprintf(out[1], 48, "t0:%02d", m);
	else
		snprintf(out[1], 48, "n0e0");
	return 1;
}

/* "19th century" is the source's 1800-tallet: the century's first year
 * as a reading (n18e2). */
static int century(const char *after, const struct number *n, char out[48])
{
	int c;

	if (n->ng != 1 || n->glen[0] > 2)
		return 0;
	if (strncasecmp(after, "th", 2) && strncasecmp(after, "st", 2) &&
	    strncasecmp(after, "nd", 2) && strncasecmp(after, "rd", 2))
		return 0;
	after = skip_spaces(after + 2);
	if (strncasecmp(after, "century", 7))
		return 0;
	c = atoi(n->g[0]);
	if (c < 2 || c > 30)
		return 0;
	snprintf(out, 48, "n%de2", c - 1);
	return 1;
}

/* "25 basis points" (25bp, 25 bps, a 25-basis-point cut) is the source's
 * 0,25 prosentpoeng: desks give rate moves in hundredths of a percentage
 * point.  Adds the target number's values divided by a hundred (n25e-2);
 * 0 when no basis-point word follows, else 1 or TOLK_ENOMEM. */
static int basis_points(const char *after, const struct readings *r,
			struct target_readings *t)
{
	static const char *const units[] = {"basis point", "basis-point", "bps",
					    "bp"};
	char buf[48];
	size_t k, l;
	int unit = 0;

	after = skip_spaces(after);
	if (*after == '-')
		after++;
	for (k = 0; k < sizeof(units) / sizeof(*units) && !unit; k++) {
		l = strlen(units[k]);
		unit = !strncasecmp(after, units[k], l) &&
		       (!isalpha((unsigned char)after[l]) || after[l] == 's');
	}
	for (k = 0; unit && k < r->n; k++) {
		const char *e = strrchr(r->r[k], 'e');

		if (r->r[k][0] != 'n' || !e)
			continue;
		snprintf(buf, sizeof(buf), "%.*se%ld", (int)(e - r->r[k]),
			 r->r[k], strtol(e + 1, NULL, 10) - 2);
		if (tr_add(t, buf))
			return TOLK_ENOMEM;
	}
	return unit;
}

/* A range of years written the English way, "2020-22" or "2020–22": the
 * second year in full (n2022e0).  Returns the length of the dash and the
 * two digits, 0 when s does not continue a year so. */
static size_t year_range_end(const char *s, const struct number *n,
			     char out[48])
{
	size_t d = 0;
	int y, e;

	if (n->ng != 1 || n->glen[0] != 4)
		return 0;
	if (s[0] == '-')
		d = 1;
	else if (!strncmp(s, "\xe2\x80\x93", 3))
		d = 3;
	if (!d || !isdigit((unsigned char)s[d]) ||
	    !isdigit((unsigned char)s[d + 1]) ||
	    isdigit((unsigned char)s[d + 2]))
		return 0;
	y = atoi(n->g[0]);
	e = y / 100 * 100 + (s[d] - '0') * 10 + (s[d + 1] - '0');
	if (e <= y)
		return 0;
	snprintf(out, 48, "n%de0", e);
	return d + 2;
}

/* A scale word on its own is one of it: "a hundred", "a dozen"; so is a
 * word for a span of years or days, which English uses for "10 år",
 * "100 år", "14 dager" ("a decade", "its centenary", "a fortnight"). */
static int scale_word(const char *w, size_t len, struct target_readings *t)
{
	static const struct {
		const char *w;
		const char *reading;
	} words[] = {
	    {"dozen", "n12e0"},	      {"hundred", "n1e2"},
	    {"thousand", "n1e3"},     {"million", "n1e6"},
	    {"billion", "n1e9"},      {"decade", "n1e1"},
	    {"century", "n1e2"},      {"centenary", "n1e2"},
	    {"centennial", "n1e2"},   {"bicentenary", "n2e2"},
	    {"bicentennial", "n2e2"}, {"millennium", "n1e3"},
	    {"fortnight", "n14e0"},
	};
	size_t k;

	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (strlen(words[k].w) == len &&
		    !strncasecmp(w, words[k].w, len))
			return tr_add(t, words[k].reading);
	return 0;
}

/* Words for a time of day: "noon" is kl. 12, "midnight" kl. 00 or 24. */
static int time_word(const char *w, size_t len, struct target_readings *t)
{
	if ((len == 4 && !strncasecmp(w, "noon", 4)) ||
	    (len == 6 && !strncasecmp(w, "midday", 6)))
		return tr_add(t, "t12:00") || tr_add(t, "n12e0");
	if (len == 8 && !strncasecmp(w, "midnight", 8))
		return tr_add(t, "t0:00") || tr_add(t, "n0e0") ||
		       tr_add(t, "t24:00") || tr_add(t, "n24e0");
	return 0;
}

/* Days that Norwegian names by a number and English by a name: "2.
 * juledag" is Boxing Day.  The reading is "h" + the Norwegian word + the
 * day, which the English names give too (holiday_names). */
static const struct {
	const char *nb; /* the Norwegian word after "N. " */
	int day;
	const char *en; /* an English name of that day */
} holidays[] = {
    {"juledag", 1, "Christmas Day"},
    {"juledag", 2, "Boxing Day"},
    {"nytt\xc3\xa5rsdag", 1, "New Year's Day"},
    {"nytt\xc3\xa5rsdag", 1, "New Year\xe2\x80\x99s Day"},
    {"p\xc3\xa5skedag", 1, "Easter Sunday"},
    {"p\xc3\xa5skedag", 1, "Easter Day"},
    {"p\xc3\xa5skedag", 2, "Easter Monday"},
    {"pinsedag", 1, "Whit Sunday"},
    {"pinsedag", 1, "Pentecost"},
    {"pinsedag", 2, "Whit Monday"},
    {"mai", 1, "May Day"},
    {"mai", 17, "Constitution Day"},
    {"mai", 17, "National Day"},
};

/* Readings a source number has from the words after it (after = the
 * text at its end): a decade (80-tallet, 30-årene: the eighties, the
 * 1980s, in her thirties), a share of a whole (50 prosent: half) and a
 * day named by its number (2. juledag: Boxing Day). */
/* "2022/23" and "2022–23" (a season, a school year): the two digits are
 * the next year, in full as English may write it (n2023e0).  src is the
 * text, n a two-digit number in it. */
static void add_short_year(struct readings *r, const char *src,
			   const struct number *n)
{
	size_t at = n->start, d = 0, k;
	char buf[48];
	int y;

	if (n->ng != 1 || n->glen[0] != 2)
		return;
	if (at >= 1 && (src[at - 1] == '/' || src[at - 1] == '-'))
		d = 1;
	else if (at >= 3 && !strncmp(src + at - 3, "\xe2\x80\x93", 3))
		d = 3;
	if (!d || at < d + 4 ||
	    (at > d + 4 && isdigit((unsigned char)src[at - d - 5])))
		return;
	for (k = at - d - 4; k < at - d; k++)
		if (!isdigit((unsigned char)src[k]))
			return;
	y = atoi(src + at - d - 4) / 100 * 100 + atoi(n->g[0]);
	snprintf(buf, sizeof(buf), "n%de0", y);
	add(r, buf);
}

static void add_word_readings(struct readings *r, const struct number *n,
			      const char *after)
{
	static const struct {
		const char *digits, *reading;
	} shares[] = {
	    {"50", "f1/2"}, {"25", "f1/4"}, {"75", "f3/4"},
	    {"33", "f1/3"}, {"67", "f2/3"}, {"66", "f2/3"},
	};
	char buf[48];
	size_t k;
	int v;

	if (n->ng != 1 || n->glen[0] > 2)
		return;
	v = atoi(n->g[0]);
	if (after[0] == '-' && v % 10 == 0 && v && n->glen[0] == 2 &&
	    (!strncmp(after + 1, "tal", 3) ||
	     !strncmp(after + 1, "\xc3\xa5r", 3))) {
		/* "80-tallet" leaves the century to the reader: 1980
		 * (n198e1) or 2080 */
		snprintf(buf, sizeof(buf), "n19%de1", v / 10);
		add(r, buf);
		snprintf(buf, sizeof(buf), "n20%de1", v / 10);
		add(r, buf);
	}
	{
		const char *w = skip_spaces(after);

		if (!strncasecmp(w, "prosent", 7) || w[0] == '%')
			for (k = 0; k < sizeof(shares) / sizeof(*shares); k++)
				if (strlen(shares[k].digits) == n->glen[0] &&
				    !memcmp(n->g[0], shares[k].digits,
					    n->glen[0]))
					add(r, shares[k].reading);
	}
	{
		/* a duration English counts in a larger unit: 14 dager is
		 * two weeks, 12 måneder a year, 24 timer a day */
		const char *w = skip_spaces(after);

		if (v > 0 && v % 7 == 0 &&
		    (!strncmp(w, "dag", 3) || !strncmp(w, "d\xc3\xb8gn", 5))) {
			snprintf(buf, sizeof(buf), "w%d", v / 7);
			add(r, buf);
		}
		if (v > 0 && v % 12 == 0 && !strncmp(w, "m\xc3\xa5ned", 6)) {
			snprintf(buf, sizeof(buf), "y%d", v / 12);
			add(r, buf);
		}
		if (v == 24 && !strncmp(w, "time", 4))
			add(r, "d1");
	}
	if (after[0] == '.') {
		const char *w = skip_spaces(after + 1);

		for (k = 0; k < sizeof(holidays) / sizeof(*holidays); k++)
			if (holidays[k].day == v &&
			    !strncasecmp(w, holidays[k].nb,
					 strlen(holidays[k].nb))) {
				snprintf(buf, sizeof(buf), "h%s%d",
					 holidays[k].nb, v);
				add(r, buf);
			}
	}
}

/* The readings of words that name a decade, a share or a day (see
 * add_word_readings) in the target at w, a word of len letters. */
/* The unit a duration in the target is counted in: the word at w (after
 * spaces) is week(s), year(s) or day(s); 0 otherwise. */
static char duration_unit(const char *w)
{
	static const struct {
		const char *w;
		char unit;
	} units[] = {
	    {"weeks", 'w'}, {"week", 'w'}, {"years", 'y'},
	    {"year", 'y'},  {"days", 'd'}, {"day", 'd'},
	};
	size_t k, l;

	w = skip_spaces(w);
	for (k = 0; k < sizeof(units) / sizeof(*units); k++) {
		l = strlen(units[k].w);
		if (!strncasecmp(w, units[k].w, l) &&
		    !isalpha((unsigned char)w[l]))
			return units[k].unit;
	}
	return 0;
}

/* A duration in the target, v units (see duration_unit): "two weeks" is
 * the source's 14 dager (w2), "a year" 12 måneder (y1). */
static int add_duration(struct target_readings *t, long v, const char *after)
{
	char buf[48], u = duration_unit(after);

	if (!u || v <= 0)
		return 0;
	snprintf(buf, sizeof(buf), "%c%ld", u, v);
	return tr_add(t, buf);
}

/* "half a percentage point" is 0,5 prosentpoeng, "half a million" 500
 * 000: w is the word "half". */
static int half_a(const char *w, struct target_readings *t)
{
	const char *a = skip_spaces(w + 4);
	char buf[48];
	long mag;

	if (strncasecmp(a, "a", 1) || isalpha((unsigned char)a[1]))
		return 0;
	a = skip_spaces(a + 1);
	if (!strncasecmp(a, "percent", 7) || !strncasecmp(a, "per cent", 8) ||
	    !strncasecmp(a, "point", 5))
		return tr_add(t, "n5e-1");
	if ((mag = magnitude(a))) {
		snprintf(buf, sizeof(buf), "n5e%ld", mag - 1);
		return tr_add(t, buf);
	}
	return 0;
}

static int share_or_day(const char *w, size_t len, struct target_readings *t)
{
	static const char *const decades[] = {
	    "twenties", "thirties",  "forties",	 "fifties",
	    "sixties",	"seventies", "eighties", "nineties",
	};
	static const struct {
		const char *w, *reading;
	} shares[] = {
	    {"half", "f1/2"},	  {"halved", "f1/2"}, {"quarter", "f1/4"},
	    {"quarters", "f3/4"}, {"third", "f1/3"},  {"thirds", "f2/3"},
	};
	char buf[48];
	size_t k;

	for (k = 0; k < sizeof(decades) / sizeof(*decades); k++) {
		if (strlen(decades[k]) != len ||
		    strncasecmp(w, decades[k], len))
			continue;
		snprintf(buf, sizeof(buf), "n%zue1", k + 2);
		if (tr_add(t, buf))
			return TOLK_ENOMEM;
	}
	if (len == 4 && !strncasecmp(w, "half", 4) && half_a(w, t))
		return TOLK_ENOMEM;
	if (((len == 1 && !strncasecmp(w, "a", 1)) ||
	     (len == 2 && !strncasecmp(w, "an", 2))) &&
	    add_duration(t, 1, w + len))
		return TOLK_ENOMEM;
	/* "a decade ago", "a century ago" for "for 10 (100) år siden" */
	if (len == 1 && !strncasecmp(w, "a", 1)) {
		const char *n = skip_spaces(w + 1);

		if (!strncasecmp(n, "decade", 6) && tr_add(t, "n1e1"))
			return TOLK_ENOMEM;
		if (!strncasecmp(n, "century", 7) && tr_add(t, "n1e2"))
			return TOLK_ENOMEM;
	}
	/* "a quarter of a percentage point" is 0,25 prosentpoeng */
	if (len == 7 && !strncasecmp(w, "quarter", 7)) {
		const char *n = skip_spaces(w + 7);

		if (!strncasecmp(n, "of a ", 5)) {
			n = skip_spaces(n + 5);
			if ((!strncasecmp(n, "percent", 7) ||
			     !strncasecmp(n, "per cent", 8) ||
			     !strncasecmp(n, "point", 5)) &&
			    tr_add(t, "n25e-2"))
				return TOLK_ENOMEM;
		}
	}
	if (len == 9 && !strncasecmp(w, "fortnight", 9) && tr_add(t, "w2"))
		return TOLK_ENOMEM;
	/* "open 24 timer i døgnet": around the clock, one whole day */
	if (len == 5 && !strncasecmp(w, "clock", 5) && tr_add(t, "d1"))
		return TOLK_ENOMEM;
	for (k = 0; k < sizeof(shares) / sizeof(*shares); k++)
		if (strlen(shares[k].w) == len &&
		    !strncasecmp(w, shares[k].w, len) &&
		    tr_add(t, shares[k].reading))
			return TOLK_ENOMEM;
	for (k = 0; k < sizeof(holidays) / sizeof(*holidays); k++) {
		size_t l = strlen(holidays[k].en);

		if (strncasecmp(w, holidays[k].en, l) ||
		    isalnum((unsigned char)w[l]))
			continue;
		snprintf(buf, sizeof(buf), "h%s%d", holidays[k].nb,
			 holidays[k].day);
		if (tr_add(t, buf))
			return TOLK_ENOMEM;
	}
	return 0;
}

/* The dash that joins a score or a range (2-1, 2–1, 10—12) at s, right
 * before a digit: its length, else 0. */
static size_t joining_dash(const char *s)
{
	size_t d = 0;

	if (s[0] == '-')
		d = 1;
	else if (!strncmp(s, "\xe2\x80\x93", 3) ||
		 !strncmp(s, "\xe2\x80\x94", 3))
		d = 3;
	return d && isdigit((unsigned char)s[d]) ? d : 0;
}

/* The reading of a score or a range a-b of two whole numbers of up to
 * four digits, "p<a>-<b>"; 0 when n and m are not such numbers. */
static int pair_reading(const struct number *n, const struct number *m,
			char out[48])
{
	if (n->ng != 1 || m->ng != 1 || n->glen[0] > 4 || m->glen[0] > 4)
		return 0;
	snprintf(out, 48, "p%d-%d", atoi(n->g[0]), atoi(m->g[0]));
	return 1;
}

/* English gives a score of 0-0 in a word. */
static int goalless(const char *w, size_t len)
{
	return (len == 8 && !strncasecmp(w, "goalless", 8)) ||
	       (len == 9 && !strncasecmp(w, "scoreless", 9));
}

/* "a quarter-point cut", "a half point": desks give a rate move as a
 * fraction of a point, the source's 0,25 or 0,5 prosentpoeng.  w is a
 * word of len letters; adds the fraction's value when "point" follows it
 * after a space or a hyphen.  0 or TOLK_ENOMEM. */
static int fraction_point(const char *w, size_t len, struct target_readings *t)
{
	static const struct {
		const char *w, *reading;
	} fractions[] = {{"quarter", "n25e-2"}, {"half", "n5e-1"}};
	const char *n = w + len;
	size_t k;

	if (*n == '-')
		n++;
	else
		n = skip_spaces(n);
	if (n == w + len || strncasecmp(n, "point", 5) ||
	    isalpha((unsigned char)n[5]))
		return 0;
	for (k = 0; k < sizeof(fractions) / sizeof(*fractions); k++)
		if (strlen(fractions[k].w) == len &&
		    !strncasecmp(w, fractions[k].w, len))
			return tr_add(t, fractions[k].reading);
	return 0;
}

static int target_numbers(const char *s, struct target_readings *t)
{
	size_t i = 0, k, len = strlen(s);

	while (s[i]) {
		struct number n;
		struct readings r;
		char pm[2][48];

		if (isalpha((unsigned char)s[i])) {
			size_t b = i;
			int v;

			while (isalpha((unsigned char)s[i]))
				i++;
			if ((b == 0 || !isalnum((unsigned char)s[b - 1])) &&
			    time_word(s + b, i - b, t))
				return TOLK_ENOMEM;
			if (goalless(s + b, i - b) && tr_add(t, "p0-0"))
				return TOLK_ENOMEM;
			if ((b == 0 || !isalnum((unsigned char)s[b - 1])) &&
			    (v = word_number(s + b, i - b)) >= 0) {
				char buf[48];
				long mag = magnitude(s + i);

				/* "two and a half" is 2.5 */
				if (!strncasecmp(skip_spaces(s + i),
						 "and a half", 10)) {
					snprintf(buf, sizeof(buf), "n%de-1",
						 v * 10 + 5);
					if (tr_add(t, buf))
						return TOLK_ENOMEM;
				}

				/* "three decades ago" for "for 30 år
				 * siden" */
				if (v > 0 && v < 10 &&
				    !strncasecmp(skip_spaces(s + i), "decade",
						 6)) {
					snprintf(buf, sizeof(buf), "n%de1", v);
					if (tr_add(t, buf))
						return TOLK_ENOMEM;
				}
				if (add_duration(t, v, s + i))
					return TOLK_ENOMEM;
				snprintf(buf, sizeof(buf), "n%de0", v);
				if (v % 10 == 0 && v)
					snprintf(buf, sizeof(buf), "n%de1",
						 v / 10);
				if (tr_add(t, buf))
					return TOLK_ENOMEM;
				if (mag && v) {
					snprintf(buf, sizeof(buf), "n%de%ld",
						 v % 10 ? v : v / 10,
						 mag + (v % 10 ? 0 : 1));
					if (tr_add(t, buf))
						return TOLK_ENOMEM;
				}
				/* "twenty-five", "forty-first": English
				 * spells out a number that opens a
				 * sentence */
				if (v >= 20 && v % 10 == 0 && s[i] == '-') {
					size_t b2 = i + 1, e2 = b2;
					int u;

					while (isalpha((unsigned char)s[e2]))
						e2++;
					u = word_number(s + b2, e2 - b2);
					if (u >= 1 && u <= 9) {
						snprintf(buf, sizeof(buf),
							 "n%de0", v + u);
						if (tr_add(t, buf))
							return TOLK_ENOMEM;
					}
				}
			}
			if ((b == 0 || !isalnum((unsigned char)s[b - 1])) &&
			    (scale_word(s + b, i - b, t) ||
			     share_or_day(s + b, i - b, t) ||
			     fraction_point(s + b, i - b, t)))
				return TOLK_ENOMEM;
			continue;
		}
		if (!isdigit((unsigned char)s[i])) {
			i++;
			continue;
		}
		i = scan(s, len, i, &n);
		read_number(&r, &n, 0);
		for (k = 0; k < r.n; k++)
			if (tr_add(t, r.r[k]))
				return TOLK_ENOMEM;
		if ((k = joining_dash(s + i))) {
			/* a score either way round: English may put the
			 * winner first where Norwegian puts the home side */
			struct number m;

			scan(s, len, i + k, &m);
			if (pair_reading(&n, &m, pm[0]) &&
			    pair_reading(&m, &n, pm[1]) &&
			    (tr_add(t, pm[0]) || tr_add(t, pm[1])))
				return TOLK_ENOMEM;
		}
		if (n.ng == 1 && n.glen[0] <= 4 &&
		    add_duration(t, atol(n.g[0]), s + i))
			return TOLK_ENOMEM;
		if (pm_hour(s + i, &n, pm) &&
		    (tr_add(t, pm[0]) || tr_add(t, pm[1])))
			return TOLK_ENOMEM;
		if (am_midnight(s + i, &n, pm) &&
		    (tr_add(t, pm[0]) || tr_add(t, pm[1])))
			return TOLK_ENOMEM;
		if (century(s + i, &n, pm[0]) && tr_add(t, pm[0]))
			return TOLK_ENOMEM;
		if (basis_points(s + i, &r, t) == TOLK_ENOMEM)
			return TOLK_ENOMEM;
		if ((k = year_range_end(s + i, &n, pm[0]))) {
			if (tr_add(t, pm[0]))
				return TOLK_ENOMEM;
			i += k;
		}
		if (r.n == 0 || n.ng > 1) {
			/* the groups on their own too: 17/05/2024 */
			size_t g;

			for (g = 0; g < n.ng; g++) {
				char ip[GROUP_MAX], buf[48];
				struct readings one = {0};

				add_group(&one, &n, g, ip);
				snprintf(buf, sizeof(buf), "%s", one.r[0]);
				if (tr_add(t, buf))
					return TOLK_ENOMEM;
			}
		}
	}
	return 0;
}

static int found(const struct target_readings *t, const struct readings *r)
{
	size_t i, k;

	for (i = 0; i < r->n; i++)
		for (k = 0; k < t->n; k++)
			if (!strcmp(r->r[i], t->r[k]))
				return 1;
	return 0;
}

#define NOT_A_PAIR 1 /* no TOLK_ error code is positive */

/* Reports number n of src and the number after its dash (d bytes) as one
 * score or range (2–1, 0–0, 10–12, 1990–1995), with the target readings
 * t: a score of one number twice (2–2) needs that pair in the target (a
 * 2-2 draw, goalless), as one 2 cannot stand for both; other pairs need
 * each number (either order, 1990-95, from 10 to 12), and when both are
 * missing they are one finding, not two.  *next is set past the pair.
 * NOT_A_PAIR when the second is not a whole number or n is not. */
static int score_or_range(const char *src, size_t len, const struct number *n,
			  size_t d, const struct target_readings *t,
			  gl_number_fn fn, void *ctx, size_t *next)
{
	struct number m;
	struct readings ra, rb, pr = {0};
	char pair[48], written[64], english[48];
	int fa, fb;
	size_t l;

	scan(src, len, n->end + d, &m);
	if (!pair_reading(n, &m, pair))
		return NOT_A_PAIR;
	*next = m.end;
	read_number(&ra, n, 1);
	add_short_year(&ra, src, n);
	read_number(&rb, &m, 1);
	add_word_readings(&rb, &m, src + m.end);
	add_short_year(&rb, src, &m);
	add(&pr, pair);
	if (found(t, &pr))
		return 0;
	fa = found(t, &ra);
	fb = found(t, &rb);
	if (atoi(n->g[0]) != atoi(m.g[0]) && (fa || fb)) {
		const struct number *x = fa ? &m : n;

		if (fa && fb)
			return 0;
		snprintf(written, sizeof(written), "%.*s",
			 (int)(x->end - x->start), src + x->start);
		return fn(ctx, written, x->start, x->end,
			  fa ? rb.english : ra.english);
	}
	l = m.end - n->start < sizeof(written) ? m.end - n->start
					       : sizeof(written) - 1;
	memcpy(written, src + n->start, l);
	written[l] = '\0';
	snprintf(english, sizeof(english), "%s%.*s%s", ra.english, (int)d,
		 src + n->end, rb.english);
	return fn(ctx, written, n->start, m.end, english);
}

int gl_numbers_missing(const char *src, const char *tgt, gl_number_fn fn,
		       void *ctx)
{
	struct target_readings t = {0};
	int rc = 0, have_target = 0;
	size_t i = 0, len = strlen(src), d;

	while (src[i] && !rc) {
		struct number n;
		struct readings r;

		if (!isdigit((unsigned char)src[i])) {
			i++;
			continue;
		}
		i = scan(src, len, i, &n);
		if (!have_target) {
			if ((rc = target_numbers(tgt, &t)))
				break;
			have_target = 1;
		}
		if (is_date(&n)) {
			size_t g;

			for (g = 0; g < 3 && !rc; g += 2) {
				char ip[GROUP_MAX];
				struct readings one = {0};

				add_group(&one, &n, g, ip);
				if (!found(&t, &one))
					rc = fn(ctx, ip, (size_t)(n.g[g] - src),
						(size_t)(n.g[g] - src) +
						    n.glen[g],
						one.english);
			}
			continue;
		}
		read_number(&r, &n, 1);
		add_word_readings(&r, &n, src + n.end);
		add_short_year(&r, src, &n);
		if ((d = joining_dash(src + n.end)) &&
		    (rc = score_or_range(src, len, &n, d, &t, fn, ctx, &i)) !=
			NOT_A_PAIR)
			continue;
		rc = 0;
		if (!found(&t, &r)) {
			char written[64];
			size_t l = n.end - n.start;

			if (l >= sizeof(written))
				l = sizeof(written) - 1;
			memcpy(written, src + n.start, l);
			written[l] = '\0';
			rc = fn(ctx, written, n.start, n.end, r.english);
		}
	}
	free(t.r);
	return rc;
}

/* The readings of every number of src (Norwegian notation) into t. */
static int source_readings(const char *src, struct target_readings *t)
{
	size_t i = 0, len = strlen(src), k;

	while (src[i]) {
		struct number n;
		struct readings r = {0};

		if (!isdigit((unsigned char)src[i])) {
			i++;
			continue;
		}
		i = scan(src, len, i, &n);
		if (is_date(&n)) {
			size_t g;

			for (g = 0; g < n.ng; g++) {
				char ip[GROUP_MAX];
				struct readings one = {0};

				add_group(&one, &n, g, ip);
				if (one.n && tr_add(t, one.r[0]))
					return TOLK_ENOMEM;
			}
			continue;
		}
		read_number(&r, &n, 1);
		add_word_readings(&r, &n, src + n.end);
		add_short_year(&r, src, &n);
		for (k = 0; k < r.n; k++)
			if (tr_add(t, r.r[k]))
				return TOLK_ENOMEM;
	}
	return 0;
}

int gl_numbers_unmatched(const char *src, const char *tgt, size_t tgt_len,
			 size_t (*spans)[2], size_t max, size_t *nspans)
{
	struct target_readings sr = {0};
	size_t i = 0, len = strlen(tgt);
	int rc;

	*nspans = 0;
	if ((rc = source_readings(src, &sr)))
		goto cleanup;
	if (tgt_len < len)
		len = tgt_len;
	while (i < len && *nspans < max) {
		struct number n;
		struct readings r = {0};
		char pm[2][48];
		int k;

		/* a digit inside a word (COVID-19's 19 is a number, A4's 4
		 * is not) */
		if (!isdigit((unsigned char)tgt[i]) ||
		    (i > 0 && isalpha((unsigned char)tgt[i - 1]))) {
			i++;
			continue;
		}
		i = scan(tgt, len, i, &n);
		read_number(&r, &n, 0);
		if (pm_hour(tgt + n.end, &n, pm) ||
		    am_midnight(tgt + n.end, &n, pm))
			for (k = 0; k < 2 && r.n < MAX_READINGS; k++)
				snprintf(r.r[r.n++], 48, "%s", pm[k]);
		if (r.n && !found(&sr, &r)) {
			spans[*nspans][0] = n.start;
			spans[*nspans][1] = n.end;
			(*nspans)++;
		}
	}
cleanup:
	free(sr.r);
	return rc;
}
