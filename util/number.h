/* Numbers as Norwegian (Bokmål) and English texts write them.
 *
 * One scanner for the matcher (placeables, adaptation), the aligner
 * (anchors) and the check (numbers kept in a translation), so that the
 * three agree on what a number is:
 *
 *   - digits, grouped in thousands by a space, NO-BREAK SPACE (U+00A0),
 *     NARROW NO-BREAK SPACE (U+202F), FIGURE SPACE (U+2007) or THIN SPACE
 *     (U+2009) when the first group has at most three digits and every
 *     later group exactly three ("12 000", not "2022 300");
 *   - any number of groups joined by '.', ',' or ':' followed by a digit
 *     ("12.000", "1,5", "15:30", "17.05.2024"); which of them is a decimal
 *     mark depends on the language and is decided by the readers, not the
 *     scanner, because "12.000" is twelve thousand in Norwegian and twelve
 *     in English;
 *   - a minus sign ('-' or U+2212 MINUS SIGN) directly before the digits
 *     when it does not join two words or numbers ("-3", not "2-3").
 *
 * Around the digits the scanner recognises what the number is: a
 * percentage ("12 %", "12 prosent", "12 percent"), an ordinal (Norwegian
 * "28." before a lower-case word, English "28th"), a time of day ("kl. 19",
 * "kl. 15.30", "15:30", "7 pm", "7.30 p.m.") or a date ("28. november",
 * "28 November", "November 28", "17.05.2024"), and gives a normalised
 * value for each kind that is the same whichever language wrote it.
 *
 * Everything is ASCII digits in UTF-8 text with explicit lengths; the
 * functions never allocate. */
#ifndef TOLK_NUMBER_H
#define TOLK_NUMBER_H

#include <stddef.h>

#define TOLK_NUM_MAX_GROUPS 8
#define TOLK_NUM_VALUE_MAX  48

enum tolk_num_lang {
	TOLK_NUM_NB, /* '.' and spaces group thousands, ',' is the decimal */
	TOLK_NUM_EN, /* ',' and spaces group thousands, '.' is the decimal */
};

enum tolk_num_kind {
	TOLK_NUM_PLAIN,	  /* value "-12000.5" */
	TOLK_NUM_PERCENT, /* value as PLAIN, "12.5" for "12,5 %" */
	TOLK_NUM_ORDINAL, /* value "28" */
	TOLK_NUM_TIME,	  /* value "19:00", "7:05" (24 hours, no leading 0) */
	TOLK_NUM_DATE,	  /* value "11-28" or "2024-05-17" */
};

enum tolk_num_sep {
	TOLK_NUM_SEP_SPACE,
	TOLK_NUM_SEP_DOT,
	TOLK_NUM_SEP_COMMA,
	TOLK_NUM_SEP_COLON,
};

struct tolk_num {
	/* the whole expression: "kl. 19", "28. november", "12 %" */
	size_t start, end;
	/* the number as written: sign, digits and separators */
	size_t nstart, nend;
	enum tolk_num_kind kind;
	int negative;
	int grouped; /* thousands grouped with a space */
	/* digit groups (offsets into the text) and the separator after each
	 * group but the last */
	size_t ng;
	size_t goff[TOLK_NUM_MAX_GROUPS], glen[TOLK_NUM_MAX_GROUPS];
	enum tolk_num_sep sep[TOLK_NUM_MAX_GROUPS];
	char value[TOLK_NUM_VALUE_MAX];
};

/* Byte length of the white space character at s that may group digits
 * (see above), else 0. */
size_t tolk_num_space(const char *s, size_t n);

/* Scans the number whose first digit is s[pos] into *out, read as lang
 * writes numbers.  Returns the offset just past the number as written
 * (out->nend), or pos when s[pos] is not a digit.  out->start may lie
 * before pos ("kl. 19", "November 28") and out->end past the return
 * value ("12 %"). */
size_t tolk_num_at(const char *s, size_t n, size_t pos, enum tolk_num_lang lang,
		   struct tolk_num *out);

/* Finds the next number at or after *pos, fills *out and moves *pos past
 * the number as written.  Returns 1, or 0 when there is none. */
int tolk_num_next(const char *s, size_t n, size_t *pos, enum tolk_num_lang lang,
		  struct tolk_num *out);

/* The value of the number written in s[0..n) in lang's notation: digits
 * with '.' before the fraction, group marks dropped ("12 000,5" in
 * Norwegian and "12,000.5" in English both give "12000.5").  A group mark
 * is the language's ('.' nb, ',' en) before exactly three digits, or a
 * space.  *grouped says whether the thousands were grouped.  Returns the
 * length written to out (always terminated when outlen > 0). */
size_t tolk_num_canon(const char *s, size_t n, enum tolk_num_lang lang,
		      char *out, size_t outlen, int *grouped);

/* canon (from tolk_num_canon) in English notation: thousands grouped with
 * ',' from five integer digits, or from four when the original grouped
 * them ("12,000", "2024", "1,250,000.75"). */
void tolk_num_english(const char *canon, int grouped, char *out, size_t outlen);

/* The lower-case name of month 1-12 in lang, else NULL. */
const char *tolk_num_month_name(int month, enum tolk_num_lang lang);

#endif
