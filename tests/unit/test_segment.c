/* Unit tests of the sentence segmenter: each trap of Norwegian and
 * English news text, in both languages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tm/text/segment.h"

/* Segments text and joins sentences with " | ", paragraphs with " || ". */
static char *seg_flags(const char *lang, const char *srx, unsigned flags,
		       const char *text)
{
	struct tm_segmenter *sg = NULL;
	struct tm_sentence *s = NULL;
	struct tolk_err err;
	size_t n = 0, i, len = strlen(text);
	char *out = calloc(1, 4 * len + 16), *w = out;

	assert_non_null(out);
	if (tm_segmenter_new(&sg, lang, srx, flags, &err))
		fail_msg("%s", err.msg);
	if (tm_segment_text(sg, text, len, &s, &n, &err))
		fail_msg("%s", err.msg);
	for (i = 0; i < n; i++) {
		if (i)
			w += sprintf(w, s[i].para != s[i - 1].para ? " || "
								   : " | ");
		memcpy(w, text + s[i].start, s[i].end - s[i].start);
		w += s[i].end - s[i].start;
	}
	free(s);
	tm_segmenter_free(sg);
	return out;
}

static char *seg(const char *lang, const char *text)
{
	return seg_flags(lang, NULL, 0, text);
}

#define EXPECT(lang, text, want)                                               \
	do {                                                                   \
		char *got_ = seg(lang, text);                                  \
		assert_string_equal(got_, want);                               \
		free(got_);                                                    \
	} while (0)

static void nb_abbreviations_do_not_end_sentences(void **state)
{
	(void)state;
	EXPECT("nb", "Han møter bl.a. Støre i dag. Neste sak.",
	       "Han møter bl.a. Støre i dag. | Neste sak.");
	EXPECT("nb", "Vi har f.eks. NATO og FN. Det er nok.",
	       "Vi har f.eks. NATO og FN. | Det er nok.");
	EXPECT("nb", "Det gjelder f. eks. Oslo.", "Det gjelder f. eks. Oslo.");
	EXPECT("nb", "Det er tre, dvs. Ola, Kari og Per. Alle kom.",
	       "Det er tre, dvs. Ola, Kari og Per. | Alle kom.");
	EXPECT("nb", "Det kom ca. 300. Mange gikk.",
	       "Det kom ca. 300. | Mange gikk.");
	EXPECT("nb", "Se sak nr. 12 og jf. Grunnloven. Ferdig.",
	       "Se sak nr. 12 og jf. Grunnloven. | Ferdig.");
	EXPECT("nb", "Det står i St.meld. nr. 12 (2008–2009). Les den.",
	       "Det står i St.meld. nr. 12 (2008–2009). | Les den.");
	EXPECT("nb", "Kl. 12 starter møtet. Alle kommer.",
	       "Kl. 12 starter møtet. | Alle kommer.");
}

static void nb_street_addresses_do_not_end_sentences(void **state)
{
	(void)state;
	EXPECT("nb", "Retten holder til i Kongens gt. 5 i Oslo. Den er ny.",
	       "Retten holder til i Kongens gt. 5 i Oslo. | Den er ny.");
	EXPECT("nb", "Kontoret ligger i Storgt. 12. Det er stengt.",
	       "Kontoret ligger i Storgt. 12. | Det er stengt.");
	EXPECT("nb", "Vi bor i Drammensvn. 40 og i Thereses gt. 3.",
	       "Vi bor i Drammensvn. 40 og i Thereses gt. 3.");
	EXPECT("nb", "Møt opp på Jernbanetorget pl. 1 i dag.",
	       "Møt opp på Jernbanetorget pl. 1 i dag.");
	/* a verb that ends a sentence is no street name */
	EXPECT("nb", "Det hadde han sagt. 5 av dem kom.",
	       "Det hadde han sagt. | 5 av dem kom.");
}

static void nb_intransitive_abbreviations_may_end_sentences(void **state)
{
	(void)state;
	EXPECT("nb", "Boka har kart, bilder mv. Den koster mye.",
	       "Boka har kart, bilder mv. | Den koster mye.");
	EXPECT("nb", "Det er firmware, etc. Men hvordan virker det?",
	       "Det er firmware, etc. | Men hvordan virker det?");
	EXPECT("nb", "Renten steg med 0,25 pst. Det betyr mye.",
	       "Renten steg med 0,25 pst. | Det betyr mye.");
	EXPECT("nb", "Renten er 4,5 pst. i år.", "Renten er 4,5 pst. i år.");
	EXPECT("nb", "Ring tlf. 55 55 33 33. Vi svarer.",
	       "Ring tlf. 55 55 33 33. | Vi svarer.");
}

static void en_abbreviations_do_not_end_sentences(void **state)
{
	(void)state;
	EXPECT("en", "Mr. Smith met Dr. Jones. They talked.",
	       "Mr. Smith met Dr. Jones. | They talked.");
	EXPECT("en", "Many countries, e.g. Norway, agreed. Others did not.",
	       "Many countries, e.g. Norway, agreed. | Others did not.");
	EXPECT("en", "Some, i.e. Sweden, did not. Fine.",
	       "Some, i.e. Sweden, did not. | Fine.");
	EXPECT("en", "See No. 5 and p. 12. Then stop.",
	       "See No. 5 and p. 12. | Then stop.");
	EXPECT("en", "It ended, etc. But why?", "It ended, etc. | But why?");
}

static void en_acronyms_and_am_pm(void **state)
{
	(void)state;
	EXPECT("en", "U.S. officials met the U.K. team. Talks ended.",
	       "U.S. officials met the U.K. team. | Talks ended.");
	EXPECT("en", "The U.S. economy grew.", "The U.S. economy grew.");
	EXPECT("en", "They met at 9 a.m. on Monday. It rained.",
	       "They met at 9 a.m. on Monday. | It rained.");
	EXPECT("en", "The meeting ended at 10 a.m. Then they left.",
	       "The meeting ended at 10 a.m. | Then they left.");
	/* an undotted acronym ends a sentence before a capital or a quote */
	EXPECT("en", "The case was brought by WWF. \"This is a victory.\"",
	       "The case was brought by WWF. | \"This is a victory.\"");
	EXPECT("en", "Norway joined NATO. Then it grew.",
	       "Norway joined NATO. | Then it grew.");
	EXPECT("nb", "Saken ble meldt til NRK. «Det er alvorlig,» sa hun.",
	       "Saken ble meldt til NRK. | «Det er alvorlig,» sa hun.");
}

static void ordinal_dates(void **state)
{
	(void)state;
	EXPECT("nb",
	       "Grunnloven ble vedtatt 17. mai 1814. Fra 1. januar "
	       "gjelder nye regler.",
	       "Grunnloven ble vedtatt 17. mai 1814. | Fra 1. januar gjelder "
	       "nye regler.");
	EXPECT("nb", "Den 10. desember 1948 vedtok FN erklæringen.",
	       "Den 10. desember 1948 vedtok FN erklæringen.");
	EXPECT("nb", "Se 3. ledd og 1. og 2. klasse. Ferdig.",
	       "Se 3. ledd og 1. og 2. klasse. | Ferdig.");
	EXPECT("nb", "Ingen stemte mot. 8 land avsto.",
	       "Ingen stemte mot. | 8 land avsto.");
	EXPECT("nb", "Det skjedde i 2019. 30 personer døde.",
	       "Det skjedde i 2019. | 30 personer døde.");
	EXPECT("nb",
	       "Loven gjelder fra 1. januar. Den gjelder pr. 1. "
	       "juli.",
	       "Loven gjelder fra 1. januar. | Den gjelder pr. 1. juli.");
	EXPECT("en", "It happened in 2019. 30 people died.",
	       "It happened in 2019. | 30 people died.");
	EXPECT("en",
	       "It was adopted on Sept. 10 in Paris. 8 countries "
	       "abstained.",
	       "It was adopted on Sept. 10 in Paris. | 8 countries "
	       "abstained.");
	EXPECT("en", "He was born in 1814. The king died.",
	       "He was born in 1814. | The king died.");
}

static void clock_times(void **state)
{
	(void)state;
	EXPECT("nb", "Møtet starter kl. 14.30 i dag. Alle kommer.",
	       "Møtet starter kl. 14.30 i dag. | Alle kommer.");
	EXPECT("nb", "Møtet starter kl. 14.30. Alle kommer.",
	       "Møtet starter kl. 14.30. | Alle kommer.");
	EXPECT("en", "The talks start at 14.30 on Friday. All come.",
	       "The talks start at 14.30 on Friday. | All come.");
	EXPECT("en", "The talks start at 2.30. All come.",
	       "The talks start at 2.30. | All come.");
}

static void initials(void **state)
{
	(void)state;
	EXPECT("nb", "Utvalget ledes av J. G. Støre. Han er glad.",
	       "Utvalget ledes av J. G. Støre. | Han er glad.");
	EXPECT("en", "It was written by J. R. R. Tolkien. He died.",
	       "It was written by J. R. R. Tolkien. | He died.");
}

static void numbers_with_spaces_and_commas(void **state)
{
	(void)state;
	EXPECT("nb",
	       "Det kom 12 000 mennesker. Budsjettet er 1,5 millioner "
	       "kroner. Det er 3.5 mer.",
	       "Det kom 12 000 mennesker. | Budsjettet er 1,5 millioner "
	       "kroner. | Det er 3.5 mer.");
	EXPECT("en",
	       "There were 12,000 people. The budget is 1.5 million "
	       "kroner. It grew.",
	       "There were 12,000 people. | The budget is 1.5 million "
	       "kroner. | It grew.");
}

static void quotes(void **state)
{
	(void)state;
	EXPECT("nb", "«Kom hit!» ropte han. Så gikk han.",
	       "«Kom hit!» ropte han. | Så gikk han.");
	EXPECT("nb", "Han sa: «Dette er bra.» Så gikk han.",
	       "Han sa: «Dette er bra.» | Så gikk han.");
	EXPECT("en", "\"Come here!\" he shouted. Then he left.",
	       "\"Come here!\" he shouted. | Then he left.");
	EXPECT("en", "He said: \"This is good.\" Then he left.",
	       "He said: \"This is good.\" | Then he left.");
	EXPECT("en", "Where art thou? and whence comest thou? I am here.",
	       "Where art thou? and whence comest thou? | I am here.");
}

static void dialogue_dashes(void **state)
{
	(void)state;
	EXPECT("nb", "– Hei, sa hun. – Kom hit! – sa han. – Nei.",
	       "– Hei, sa hun. | – Kom hit! – sa han. | – Nei.");
	EXPECT("en", "– Hello, she said. – Come here! – he said. – No.",
	       "– Hello, she said. | – Come here! – he said. | – No.");
}

static void ellipses(void **state)
{
	(void)state;
	EXPECT("nb",
	       "Han ventet… Så kom hun. Han ventet … og ventet... "
	       "Til slutt.",
	       "Han ventet… | Så kom hun. | Han ventet … og ventet... | Til "
	       "slutt.");
	EXPECT("en",
	       "He waited… Then she came. He waited … and waited... "
	       "At last.",
	       "He waited… | Then she came. | He waited … and waited... | At "
	       "last.");
}

static void headlines_and_captions_are_paragraphs(void **state)
{
	(void)state;
	EXPECT("nb",
	       "Støre til Brussel\nStatsministeren reiser i dag. Han "
	       "kommer i morgen.\nFoto: NTB\n",
	       "Støre til Brussel || Statsministeren reiser i dag. | Han "
	       "kommer i morgen. || Foto: NTB");
	EXPECT("en",
	       "Støre heads to Brussels\r\nThe prime minister leaves "
	       "today\r\n\r\nPhoto: NTB",
	       "Støre heads to Brussels || The prime minister leaves today "
	       "|| Photo: NTB");
}

static void sentences_never_cross_paragraphs(void **state)
{
	struct tm_segmenter *sg = NULL;
	struct tm_sentence *s = NULL;
	struct tolk_err err;
	const char *t = "  Første del, bl.a.\n\nandre del. Tredje.  \n";
	size_t n = 0;

	(void)state;
	assert_int_equal(tm_segmenter_new(&sg, "nb", NULL, 0, &err), 0);
	assert_int_equal(tm_segment_text(sg, t, strlen(t), &s, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(s[0].para, 1);
	assert_int_equal(s[0].start, 2);
	assert_int_equal(s[0].end, strchr(t, '\n') - t);
	assert_int_equal(s[1].para, 2);
	assert_int_equal(s[1].start, strstr(t, "andre") - t);
	assert_int_equal(s[2].para, 2);
	assert_int_equal(s[2].end, strlen(t) - 3);
	free(s);
	tm_segmenter_free(sg);
}

static void byte_order_mark_is_not_text(void **state)
{
	(void)state;
	EXPECT("nb", "\xEF\xBB\xBFHei. Hallo.", "Hei. | Hallo.");
}

static void invalid_utf8_is_located(void **state)
{
	struct tm_segmenter *sg = NULL;
	struct tm_sentence *s = NULL;
	struct tolk_err err;
	const char *t = "Ok.\nab\xff";
	size_t n = 0;

	(void)state;
	assert_int_equal(tm_segmenter_new(&sg, "nb", NULL, 0, &err), 0);
	assert_int_equal(tm_segment_text(sg, t, strlen(t), &s, &n, &err),
			 TOLK_EINPUT);
	assert_int_equal(err.line, 2);
	assert_int_equal(err.col, 3);
	tm_segmenter_free(sg);
}

static void builtin_rules_cascade_language_then_common(void **state)
{
	struct tm_segmenter *sg = NULL;
	struct tolk_err err;

	(void)state;
	assert_int_equal(tm_segmenter_new(&sg, "nb-NO", NULL, 0, &err), 0);
	assert_string_equal(tm_segmenter_rules(sg), "Norwegian,Common");
	tm_segmenter_free(sg);
	assert_int_equal(tm_segmenter_new(&sg, "en_GB", NULL, 0, &err), 0);
	assert_string_equal(tm_segmenter_rules(sg), "English,Common");
	tm_segmenter_free(sg);
	assert_int_equal(tm_segmenter_new(&sg, "x y", NULL, 0, &err),
			 TOLK_EINPUT);
}

static void published_srx_file_alone_segments(void **state)
{
	const char *shared = getenv("TOLK_SHARED");
	char path[1024], *got;

	(void)state;
	assert_non_null(shared);
	snprintf(path, sizeof(path),
		 "%s/corpus/srx/okapi-defaultSegmentation.srx", shared);
	got = seg_flags("en", path, TM_SEGMENT_SRX_ONLY,
			"Is Dr. Watson here? Yes. He is.");
	assert_string_equal(got, "Is Dr. Watson here? | Yes. | He is.");
	free(got);
	/* Okapi's Default rules do not know Norwegian "bl.a.": ICU plus
	 * those rules splits where tolk's own do not. */
	got = seg_flags("nb", path, 0, "Vi så bl.a. Oslo. Fint.");
	assert_string_equal(got, "Vi så bl.a. | Oslo. | Fint.");
	free(got);
}

static void lines_read_pre_split_sentences(void **state)
{
	struct tm_sentence *s = NULL;
	struct tolk_err err;
	const char *t = "One.\nTwo. \n\n\nThree.\n";
	size_t n = 0;

	(void)state;
	assert_int_equal(tm_segment_lines(t, strlen(t), &s, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(s[1].para, 1);
	assert_int_equal(s[1].end - s[1].start, 4);
	assert_int_equal(s[2].para, 2);
	free(s);
}

static void random_text_gives_ordered_trimmed_sentences(void **state)
{
	static const char *const pieces[] = {"Hei",
					     ".",
					     " ",
					     "bl.a.",
					     "«",
					     "»",
					     "?",
					     "!",
					     "\n",
					     "…",
					     "17.",
					     "mai",
					     "J.",
					     "–",
					     "\"",
					     "12 000",
					     "1,5",
					     "U.S.",
					     "Å",
					     "(",
					     ")",
					     "\xC2\xA0",
					     "\xF0\x9F\x98\x80",
					     "...",
					     "\r\n",
					     "ok"};
	struct tm_segmenter *nb = NULL, *en = NULL;
	unsigned long long r = 42;
	char text[512];
	int round;

	(void)state;
	assert_int_equal(tm_segmenter_new(&nb, "nb", NULL, 0, NULL), 0);
	assert_int_equal(tm_segmenter_new(&en, "en", NULL, 0, NULL), 0);
	for (round = 0; round < 300; round++) {
		struct tm_segmenter *sg = round % 2 ? nb : en;
		struct tm_sentence *s = NULL;
		struct tolk_err err;
		size_t len = 0, n = 0, i, prev_end = 0, prev_para = 0;

		while (len < 400) {
			const char *p;

			r = r * 6364136223846793005ULL + 1;
			p = pieces[(r >> 33) %
				   (sizeof(pieces) / sizeof(*pieces))];
			memcpy(text + len, p, strlen(p));
			len += strlen(p);
		}
		assert_int_equal(tm_segment_text(sg, text, len, &s, &n, &err),
				 0);
		for (i = 0; i < n; i++) {
			assert_true(s[i].start < s[i].end && s[i].end <= len);
			assert_true(s[i].start >= prev_end);
			assert_true(s[i].para >= prev_para);
			assert_true(text[s[i].start] != ' ' &&
				    text[s[i].end - 1] != ' ');
			assert_null(memchr(text + s[i].start, '\n',
					   s[i].end - s[i].start));
			prev_end = s[i].end;
			prev_para = s[i].para;
		}
		free(s);
	}
	tm_segmenter_free(nb);
	tm_segmenter_free(en);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(nb_abbreviations_do_not_end_sentences),
	    cmocka_unit_test(nb_street_addresses_do_not_end_sentences),
	    cmocka_unit_test(nb_intransitive_abbreviations_may_end_sentences),
	    cmocka_unit_test(en_abbreviations_do_not_end_sentences),
	    cmocka_unit_test(en_acronyms_and_am_pm),
	    cmocka_unit_test(ordinal_dates),
	    cmocka_unit_test(clock_times),
	    cmocka_unit_test(initials),
	    cmocka_unit_test(numbers_with_spaces_and_commas),
	    cmocka_unit_test(quotes),
	    cmocka_unit_test(dialogue_dashes),
	    cmocka_unit_test(ellipses),
	    cmocka_unit_test(headlines_and_captions_are_paragraphs),
	    cmocka_unit_test(sentences_never_cross_paragraphs),
	    cmocka_unit_test(byte_order_mark_is_not_text),
	    cmocka_unit_test(invalid_utf8_is_located),
	    cmocka_unit_test(builtin_rules_cascade_language_then_common),
	    cmocka_unit_test(published_srx_file_alone_segments),
	    cmocka_unit_test(lines_read_pre_split_sentences),
	    cmocka_unit_test(random_text_gives_ordered_trimmed_sentences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
