/* Unit tests of the number scanner (util/number.h): one table of texts in
 * both languages, each with the first number's kind, value and the text
 * the scanner takes as the number and as the whole expression. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/number.h"

#define NB	TOLK_NUM_NB
#define EN	TOLK_NUM_EN
#define PLAIN	TOLK_NUM_PLAIN
#define PERCENT TOLK_NUM_PERCENT
#define ORDINAL TOLK_NUM_ORDINAL
#define TIME	TOLK_NUM_TIME
#define DATE	TOLK_NUM_DATE
#define NBSP	"\xc2\xa0"
#define NNBSP	"\xe2\x80\xaf"
#define FIGSP	"\xe2\x80\x87"
#define THINSP	"\xe2\x80\x89"
#define MINUS	"\xe2\x88\x92"

struct row {
	enum tolk_num_lang lang;
	const char *text;
	enum tolk_num_kind kind;
	const char *value;
	const char *number; /* the number as written */
	const char *expr;   /* the whole expression */
};

static const struct row rows[] = {
    /* thousands grouped by every kind of space, both languages */
    {NB, "Det kostet 12 000 kroner.", PLAIN, "12000", "12 000", "12 000"},
    {NB, "12" NBSP "000 kroner", PLAIN, "12000", "12" NBSP "000",
     "12" NBSP "000"},
    {NB, "12" NNBSP "000 kroner", PLAIN, "12000", "12" NNBSP "000",
     "12" NNBSP "000"},
    {NB, "12" FIGSP "000 kroner", PLAIN, "12000", "12" FIGSP "000",
     "12" FIGSP "000"},
    {NB, "12" THINSP "000 kroner", PLAIN, "12000", "12" THINSP "000",
     "12" THINSP "000"},
    {EN, "It cost 12 000 kroner.", PLAIN, "12000", "12 000", "12 000"},
    {NB, "1 234 567 innbyggere", PLAIN, "1234567", "1 234 567", "1 234 567"},
    {NB, "1" NBSP "250" NBSP "000,75 kr", PLAIN, "1250000.75",
     "1" NBSP "250" NBSP "000,75", "1" NBSP "250" NBSP "000,75"},
    /* a year and a count are two numbers, not one */
    {NB, "i 2022 300 soldater", PLAIN, "2022", "2022", "2022"},
    {NB, "1 2345", PLAIN, "1", "1", "1"},
    /* the language decides the marks */
    {NB, "12.000 tilskuere", PLAIN, "12000", "12.000", "12.000"},
    {EN, "12,000 spectators", PLAIN, "12000", "12,000", "12,000"},
    {EN, "12,000.5 tonnes", PLAIN, "12000.5", "12,000.5", "12,000.5"},
    {NB, "1,5 millioner", PLAIN, "1.5", "1,5", "1,5"},
    {EN, "1.5 million", PLAIN, "1.5", "1.5", "1.5"},
    {NB, "0,50 kr", PLAIN, "0.50", "0,50", "0,50"},
    {NB, "2024 var et godt år", PLAIN, "2024", "2024", "2024"},
    /* signs */
    {NB, "temperaturen var -3 grader", PLAIN, "-3", "-3", "-3"},
    {NB, "temperaturen var " MINUS "3,5 grader", PLAIN, "-3.5", MINUS "3,5",
     MINUS "3,5"},
    {EN, "from 2-3 days", PLAIN, "2", "2", "2"},
    {NB, "E-6 er stengt", PLAIN, "6", "6", "6"},
    /* percentages */
    {NB, "en økning på 4,5 prosent", PERCENT, "4.5", "4,5", "4,5 prosent"},
    {NB, "en økning på 12 %", PERCENT, "12", "12", "12 %"},
    {NB, "12" NBSP "% av stemmene", PERCENT, "12", "12", "12" NBSP "%"},
    {EN, "a rise of 4.5 per cent", PERCENT, "4.5", "4.5", "4.5 per cent"},
    {EN, "a rise of 4.5%", PERCENT, "4.5", "4.5", "4.5%"},
    {EN, "12 percent", PERCENT, "12", "12", "12 percent"},
    /* ordinals */
    {NB, "kom på 2. plass", ORDINAL, "2", "2", "2."},
    {NB, "for 3. gang", ORDINAL, "3", "3", "3."},
    {NB, "Det var 28. Han kom.", PLAIN, "28", "28", "28"},
    {EN, "came 2nd in the race", ORDINAL, "2", "2", "2nd"},
    {EN, "the 21st century", ORDINAL, "21", "21", "21st"},
    {EN, "the 3rd time", ORDINAL, "3", "3", "3rd"},
    {EN, "the 28th time", ORDINAL, "28", "28", "28th"},
    /* times of day */
    {NB, "Møtet starter kl. 19", TIME, "19:00", "19", "kl. 19"},
    {NB, "Møtet starter kl 19", TIME, "19:00", "19", "kl 19"},
    {NB, "Møtet starter Kl. 9", TIME, "9:00", "9", "Kl. 9"},
    {NB, "ca. kl. 15.30 i dag", TIME, "15:30", "15.30", "kl. 15.30"},
    {NB, "ca. kl. 15:30 i dag", TIME, "15:30", "15:30", "kl. 15:30"},
    {NB, "fra 15:30 til 16", TIME, "15:30", "15:30", "15:30"},
    {EN, "from 15:30 onwards", TIME, "15:30", "15:30", "15:30"},
    {EN, "at 7 pm", TIME, "19:00", "7", "7 pm"},
    {EN, "at 7.30 p.m. sharp", TIME, "19:30", "7.30", "7.30 p.m."},
    {EN, "at 12 pm", TIME, "12:00", "12", "12 pm"},
    {EN, "at 12 am", TIME, "0:00", "12", "12 am"},
    {EN, "at 9am", TIME, "9:00", "9", "9am"},
    {EN, "a 7 amp fuse", PLAIN, "7", "7", "7"},
    {NB, "skal kl. 25 være en tid?", PLAIN, "25", "25", "25"},
    {NB, "sykkel 15.75 meter", PLAIN, "15.75", "15.75", "15.75"},
    /* dates */
    {NB, "onsdag 28. november", DATE, "11-28", "28", "28. november"},
    {NB, "den 17. mai 2024", DATE, "05-17", "17", "17. mai"},
    {NB, "17.05.2024 kl. 12", DATE, "2024-05-17", "17.05.2024", "17.05.2024"},
    {EN, "on 28 November", DATE, "11-28", "28", "28 November"},
    {EN, "on November 28, 2024", DATE, "11-28", "28", "November 28"},
    {EN, "on 21st May", DATE, "05-21", "21", "21st May"},
    {EN, "in May 2024", PLAIN, "2024", "2024", "2024"},
    {NB, "den 32. mai", ORDINAL, "32", "32", "32."},
};

static void the_scanner_reads_every_row_of_the_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct tolk_num num;
		size_t pos = 0, n = strlen(r->text);
		char number[64], expr[64];

		if (!tolk_num_next(r->text, n, &pos, r->lang, &num))
			fail_msg("row %zu: no number in '%s'", i, r->text);
		snprintf(number, sizeof(number), "%.*s",
			 (int)(num.nend - num.nstart), r->text + num.nstart);
		snprintf(expr, sizeof(expr), "%.*s", (int)(num.end - num.start),
			 r->text + num.start);
		if (num.kind != r->kind || strcmp(num.value, r->value) ||
		    strcmp(number, r->number) || strcmp(expr, r->expr))
			fail_msg("row %zu '%s': kind %d value '%s' number '%s' "
				 "expr '%s'; want %d '%s' '%s' '%s'",
				 i, r->text, (int)num.kind, num.value, number,
				 expr, (int)r->kind, r->value, r->number,
				 r->expr);
		assert_int_equal(pos, num.nend);
		assert_true(num.start <= num.nstart && num.nend <= num.end);
	}
}

/* The same quantity written the Norwegian and the English way has one
 * value: what the check and the matcher compare. */
static void both_notations_give_the_same_value(void **state)
{
	static const char *const pairs[][2] = {
	    {"12 000", "12,000"},
	    {"12.000", "12,000"},
	    {"1,5", "1.5"},
	    {"1 250 000,75", "1,250,000.75"},
	    {"kl. 19", "7 pm"},
	    {"kl. 15.30", "15:30"},
	    {"kl. 19.30", "7.30 p.m."},
	    {"28. november", "November 28"},
	    {"17. mai", "17th May"},
	    {"4,5 prosent", "4.5 per cent"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct tolk_num a, b;
		size_t pa = 0, pb = 0;

		assert_true(tolk_num_next(pairs[i][0], strlen(pairs[i][0]), &pa,
					  TOLK_NUM_NB, &a));
		assert_true(tolk_num_next(pairs[i][1], strlen(pairs[i][1]), &pb,
					  TOLK_NUM_EN, &b));
		assert_int_equal(a.kind, b.kind);
		assert_string_equal(a.value, b.value);
	}
}

static void every_number_of_a_text_is_found_once_in_order(void **state)
{
	static const char text[] =
	    "Kl. 14.30 den 17. mai kom 12 000 mennesker, 4,5 prosent flere "
	    "enn i 2023 og 1 234 567 i alt.";
	static const char *const want[] = {"14:30", "05-17", "12000",
					   "4.5",   "2023",  "1234567"};
	struct tolk_num num;
	size_t pos = 0, k = 0, last_end = 0;

	(void)state;
	while (tolk_num_next(text, sizeof(text) - 1, &pos, TOLK_NUM_NB, &num)) {
		assert_true(k < sizeof(want) / sizeof(want[0]));
		assert_string_equal(num.value, want[k]);
		assert_true(num.nstart >= last_end);
		last_end = num.nend;
		k++;
	}
	assert_int_equal(k, sizeof(want) / sizeof(want[0]));
}

/* Nothing is read past the length given: a number cut off by the length
 * is read as written up to it. */
static void scanning_stops_at_the_length_given(void **state)
{
	static const char text[] = "12 000 kroner";
	struct tolk_num num;
	size_t pos = 0;

	(void)state;
	assert_true(tolk_num_next(text, 4, &pos, TOLK_NUM_NB, &num));
	assert_string_equal(num.value, "12");
	assert_int_equal(num.nend, 2);
	pos = 0;
	assert_false(tolk_num_next(text, 0, &pos, TOLK_NUM_NB, &num));
	assert_int_equal(tolk_num_at("kr", 2, 0, TOLK_NUM_NB, &num), 0);
}

static void group_spaces_are_the_ones_the_issue_names(void **state)
{
	(void)state;
	assert_int_equal(tolk_num_space(" ", 1), 1);
	assert_int_equal(tolk_num_space(NBSP, 2), 2);
	assert_int_equal(tolk_num_space(NNBSP, 3), 3);
	assert_int_equal(tolk_num_space(FIGSP, 3), 3);
	assert_int_equal(tolk_num_space(THINSP, 3), 3);
	assert_int_equal(tolk_num_space("\t", 1), 0);
	assert_int_equal(tolk_num_space("\xe2\x80", 2), 0);
	assert_int_equal(tolk_num_space("\xe2\x80\x83", 3), 0); /* EM SPACE */
}

static void english_notation_groups_from_five_digits(void **state)
{
	static const struct {
		const char *nb;
		const char *en;
	} rows2[] = {
	    {"12 000", "12,000"}, {"1,5", "1.5"},
	    {"2024", "2024"},	  {"2 024", "2,024"},
	    {"12345", "12,345"},  {"1 000 000,5", "1,000,000.5"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rows2) / sizeof(rows2[0]); i++) {
		char canon[64], out[64];
		int g;

		tolk_num_canon(rows2[i].nb, strlen(rows2[i].nb), TOLK_NUM_NB,
			       canon, sizeof(canon), &g);
		tolk_num_english(canon, g, out, sizeof(out));
		assert_string_equal(out, rows2[i].en);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(the_scanner_reads_every_row_of_the_table),
	    cmocka_unit_test(both_notations_give_the_same_value),
	    cmocka_unit_test(every_number_of_a_text_is_found_once_in_order),
	    cmocka_unit_test(scanning_stops_at_the_length_given),
	    cmocka_unit_test(group_spaces_are_the_ones_the_issue_names),
	    cmocka_unit_test(english_notation_groups_from_five_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
