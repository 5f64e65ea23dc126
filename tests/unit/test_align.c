/* Unit tests of the sentence aligner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tm/text/align.h"

#define MAXS 400

struct texts {
	struct tm_align_sent s[MAXS];
	size_t n;
};

/* Sentences from a NULL-terminated list; "|" starts a new paragraph. */
static void fill(struct texts *t, const char *const *v)
{
	size_t para = 1;

	t->n = 0;
	for (; *v; v++) {
		if (strcmp(*v, "|") == 0) {
			para++;
			continue;
		}
		t->s[t->n].text = *v;
		t->s[t->n].len = strlen(*v);
		t->s[t->n].para = para;
		t->n++;
	}
}

/* Runs the aligner and renders beads as "nb-ids:en-ids" (0-based,
 * "-" for none) joined by spaces, checking the invariants on the way. */
static char *align_str(const struct texts *a, const struct texts *b,
		       const struct tm_align_opts *o)
{
	struct tm_bead *beads = NULL;
	struct tolk_err err;
	size_t n = 0, i, k, ni = 0, ei = 0;
	char *out = calloc(1, 16 * (a->n + b->n) + 8), *w = out;

	assert_non_null(out);
	if (tm_align_run(a->s, a->n, b->s, b->n, o, &beads, &n, &err))
		fail_msg("%s (n %zu m %zu)", err.msg, a->n, b->n);
	for (i = 0; i < n; i++) {
		assert_true(beads[i].confidence >= 0 &&
			    beads[i].confidence <= 1);
		assert_int_equal(beads[i].nb_first, ni);
		assert_int_equal(beads[i].en_first, ei);
		assert_true(beads[i].nb_count + beads[i].en_count > 0);
		ni += beads[i].nb_count;
		ei += beads[i].en_count;
		if (i)
			*w++ = ' ';
		if (!beads[i].nb_count)
			*w++ = '-';
		for (k = 0; k < beads[i].nb_count; k++)
			w += sprintf(w, "%s%zu", k ? "," : "",
				     beads[i].nb_first + k);
		*w++ = ':';
		if (!beads[i].en_count)
			*w++ = '-';
		for (k = 0; k < beads[i].en_count; k++)
			w += sprintf(w, "%s%zu", k ? "," : "",
				     beads[i].en_first + k);
	}
	assert_int_equal(ni, a->n);
	assert_int_equal(ei, b->n);
	free(beads);
	return out;
}

static void expect_align(const char *const *nb, const char *const *en,
			 const struct tm_align_opts *o, const char *want)
{
	static struct texts a, b;
	char *got;

	fill(&a, nb);
	fill(&b, en);
	got = align_str(&a, &b, o);
	assert_string_equal(got, want);
	free(got);
}

static void parallel_sentences_align_one_to_one(void **state)
{
	const char *nb[] = {"Regjeringen la fram budsjettet i dag.",
			    "Det er det største noensinne.",
			    "Opposisjonen er kritisk til flere av forslagene.",
			    NULL};
	const char *en[] = {"The government presented the budget today.",
			    "It is the largest ever.",
			    "The opposition is critical of several of the "
			    "proposals.",
			    NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 1:1 2:2");
}

static void a_split_sentence_becomes_two_to_one(void **state)
{
	const char *nb[] = {"Statsministeren reiste til Brussel i går.",
			    "Der møtte hun kommisjonens president.",
			    "Møtet varte i to timer.",
			    "Etterpå holdt de en pressekonferanse.", NULL};
	const char *en[] = {"The prime minister travelled to Brussels "
			    "yesterday, where she met the president of the "
			    "commission.",
			    "The meeting lasted two hours.",
			    "Afterwards they held a press conference.", NULL};

	(void)state;
	expect_align(nb, en, NULL, "0,1:0 2:1 3:2");
}

static void numbers_in_either_notation_anchor_beads(void **state)
{
	/* Three sentences of one length; the English leaves the middle one
	 * out.  Only the numbers tell which. */
	const char *nb[] = {"Prisen var 1,5 millioner.",
			    "Det kom 12 000 til festen.",
			    "Alt kostet 3,25 millioner.", NULL};
	const char *en[] = {"The price was 1.5 million.",
			    "Everything cost 3.25 million.", NULL};
	const char *nb2[] = {"Det kom 12 000 til festen.",
			     "Prisen var 1,5 millioner.",
			     "Alt kostet 3,25 millioner.", NULL};
	const char *en2[] = {"There were 12,000 at the party.",
			     "Everything cost 3.25 million.", NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 1:- 2:1");
	expect_align(nb2, en2, NULL, "0:0 1:- 2:1");
}

static void numbers_written_as_words_anchor_beads(void **state)
{
	/* The English leaves one sentence out; the sentences differ only in
	 * numbers, written as words on one side or both. */
	const char *nb[] = {"Mannen fikk sju års fengsel for ranet.",
			    "Kvinnen fikk fem års fengsel for ranet.",
			    "Sjåføren fikk to års fengsel for ranet.", NULL};
	const char *en[] = {
	    "The man got seven years in prison for the robbery.",
	    "The driver got 2 years in prison for the robbery.", NULL};
	const char *en2[] = {"The man got 7 years in prison for the robbery.",
			     "The woman got five years in prison for the "
			     "robbery.",
			     NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 1:- 2:1");
	expect_align(nb, en2, NULL, "0:0 1:1 2:-");
}

static void ordinals_anchor_like_numbers(void **state)
{
	/* The English leaves one sentence out and turns the places into
	 * ordinals (or the ordinals into digits): only they tell which. */
	const char *nb[] = {"Hun ble nummer tre i finalen i går.",
			    "Han endte på femte plass i finalen.",
			    "Laget endte på 11. plass i finalen.", NULL};
	const char *en[] = {"She was third in the final yesterday.",
			    "The team finished eleventh in the final.", NULL};
	const char *en2[] = {"She came 3rd in the final yesterday.",
			     "He finished fifth in the final.", NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 1:- 2:1");
	expect_align(nb, en2, NULL, "0:0 1:1 2:-");
}

/* Three long Norwegian sentences of one length against two English
 * ones: merging is too long to pay, so one sentence is left out; which
 * one, only the anchors can tell. */
#define LONG_NB                                                                \
	" og så gikk vi en tur ut i den fine lia ved elva der vi satt lenge"
#define LONG_EN                                                                \
	" and then we went for a walk in the fine hill by the river and sat"

static void identical_names_anchor_beads(void **state)
{
	const char *nb[] = {"Det sa Støre til NRK" LONG_NB ".",
			    "Det sa hun til oss" LONG_NB ".",
			    "Det sa Macron til NATO" LONG_NB ".", NULL};
	const char *en[] = {"Støre told NRK that" LONG_EN ".",
			    "Macron told NATO that" LONG_EN ".", NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 1:- 2:1");
}

static void times_and_decimals_match_in_either_notation(void **state)
{
	const char *nb[] = {"Møtet varte til 19.00 og" LONG_NB ".",
			    "Møtet startet 14.30 og" LONG_NB ".",
			    "Prisen var 1,50 kroner og" LONG_NB ".", NULL};
	const char *en[] = {"The meeting lasted until 19:00" LONG_EN ".",
			    "The price was 1.5 kroner" LONG_EN ".", NULL};
	const char *en2[] = {"The meeting lasted until 19" LONG_EN ".",
			     "The meeting began at 14:30" LONG_EN ".", NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 1:- 2:1");
	expect_align(nb, en2, NULL, "0:0 1:1 2:-");
}

static void a_dialogue_dash_matches_quotation_marks(void **state)
{
	const char *nb[] = {"Han sa at de" LONG_NB ".",
			    "– Vi kommer, sa han, og" LONG_NB ".",
			    "Hun sa at de" LONG_NB ".", NULL};
	const char *en[] = {"\"We are coming,\" he said," LONG_EN ".",
			    "She said that they" LONG_EN ".", NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:- 1:0 2:1");
}

static void question_marks_anchor_beads(void **state)
{
	const char *nb[] = {"Det var ikke oss" LONG_NB ".",
			    "Hvem var det som" LONG_NB "?",
			    "Det var ikke dem" LONG_NB ".", NULL};
	const char *en[] = {"Who was it that" LONG_EN "?",
			    "It was not them" LONG_EN ".", NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:- 1:0 2:1");
}

static void glossary_term_pairs_anchor_beads(void **state)
{
	const struct tm_align_term terms[] = {
	    {"katten", "the cat"},
	    {"fuglen", "the bird"},
	    {"hunden", "the dog"},
	};
	const struct tm_align_opts o = {terms, 3, 0};
	const char *nb[] = {"Hunden sov da" LONG_NB ".",
			    "Katten sov da" LONG_NB ".",
			    "Fuglen sang da" LONG_NB ".", NULL};
	const char *en[] = {"The cat slept" LONG_EN ".",
			    "The bird sang" LONG_EN ".", NULL};

	(void)state;
	expect_align(nb, en, &o, "0:- 1:0 2:1");
}

static void paragraph_boundaries_guide_alignment(void **state)
{
	/* The short middle sentence goes with the first or the last; the
	 * lengths lean to the last, the paragraphs say the first.  (Words
	 * the aligner's lexicon does not know, which would decide it.) */
	const char *nb[] = {"Vi gikk" LONG_NB ".", "Det var fint.", "|",
			    "Vi kom" LONG_NB ".", NULL};
	const char *en[] = {"We went" LONG_EN ". It was nice.", "|",
			    "We came" LONG_EN " for a while.", NULL};
	const char *nb1[] = {"Vi gikk" LONG_NB ".", "Det var fint.",
			     "Vi kom" LONG_NB ".", NULL};
	const char *en1[] = {"We went" LONG_EN ". It was nice.",
			     "We came" LONG_EN " for a while.", NULL};

	(void)state;
	expect_align(nb, en, NULL, "0,1:0 2:1");
	expect_align(nb1, en1, NULL, "0:0 1,2:1");
}

static void lexicon_words_decide_where_a_short_sentence_goes(void **state)
{
	/* The lengths lean to the last, as above; "regnet" and "rained"
	 * are a pair of the aligner's lexicon, and say the first. */
	const char *nb[] = {"Vi gikk" LONG_NB ".", "Det regnet litt.",
			    "Vi kom" LONG_NB ".", NULL};
	const char *en[] = {"We went" LONG_EN ". It rained.",
			    "We came" LONG_EN " for a while.", NULL};

	(void)state;
	expect_align(nb, en, NULL, "0,1:0 2:1");
}

static void an_added_explanation_is_its_own_bead(void **state)
{
	/* The translator explains who Tande is; the explanation names him
	 * again and brings a year and a place the Norwegian never has, so
	 * it is no half of a 1-2 with the sentence before. */
	const char *nb[] = {
	    "Marius Lindvik ble nummer tre.",
	    "|",
	    "Daniel-André Tande, som hoppet for første gang på hjemmebane "
	    "etter skaden, endte på 11. plass.",
	    "|",
	    "Forholdene var vanskelige med skiftende vind.",
	    NULL};
	const char *en[] = {
	    "Marius Lindvik was third.",
	    "|",
	    "Daniel-André Tande, jumping at home for the first time since "
	    "his injury, finished eleventh.",
	    "Tande almost died after a fall in Planica in 2021.",
	    "|",
	    "The conditions were difficult, with a shifting wind.",
	    NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 1:1 -:2 2:3");
}

static void an_added_sentence_that_refers_back_is_its_own_bead(void **state)
{
	/* By length the added sentence would be the translation, and the
	 * translation the added one; but the added one takes up a word of
	 * the sentence before ("tax"), as explanations do.  It closes its
	 * paragraph, which must cost no more than opening the next one
	 * would: with either piece of evidence missing, the aligner puts
	 * the added sentence first. */
	const char *nb[] = {
	    "Bompengene i byen økte kraftig i fjor.",
	    "|",
	    "Mange bilister er misfornøyde med den nye avgiften i sentrum.",
	    "|",
	    "Politikerne vil diskutere saken igjen neste måned.",
	    NULL};
	const char *en[] = {
	    "Road tolls in the city rose sharply last year.",
	    "|",
	    "Many motorists are unhappy about the new congestion tax in "
	    "the centre.",
	    "The tax is charged on every car that enters the city centre.",
	    "|",
	    "Politicians will discuss the matter again next month.",
	    NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 1:1 -:2 2:3");
}

static void a_dropped_detail_and_an_added_one_are_not_one_bead(void **state)
{
	/* Two neighbours, one dropped and one added, look like a 2-2 by
	 * length; but each shares nothing with the other side while its
	 * partner shares the number. */
	const char *nb[] = {
	    "Eiendomsinvesteringene ga negativ avkastning på 0,3 prosent.",
	    "Fondets kontor i London har flyttet til nye lokaler i Mayfair i "
	    "år.",
	    "|",
	    "Unoterte fornybarinvesteringer falt med 9,8 prosent.",
	    "|",
	    "Regjeringen kan bruke om lag 3 prosent av fondet hvert år.",
	    NULL};
	const char *en[] = {
	    "The property investments gave a negative return of 0.3 "
	    "percent.",
	    "Unlisted renewable energy investments fell by 9.8 percent.",
	    "The fund has invested in wind farms off the coasts of the "
	    "Netherlands and Germany.",
	    "|",
	    "The government can spend about 3 percent of the fund every "
	    "year.",
	    NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 1:- 2:1 -:2 3:3");
}

static void a_pair_without_lexicon_words_on_one_side_stays_a_pair(void **state)
{
	/* Absent evidence is no evidence: a short translated sentence
	 * whose English has no word the lexicon knows shares nothing with
	 * its source, and is still its translation. */
	const char *nb[] = {"Statsministeren besøkte Tromsø tirsdag.",
			    "Slik har det vært lenge.",
			    "Hun reiser videre til Bodø onsdag.", NULL};
	const char *en[] = {"The prime minister visited Tromsø on Tuesday.",
			    "That is nothing new.",
			    "She travels on to Bodø on Wednesday.", NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 1:1 2:2");
}

static void a_number_without_counterpart_keeps_sentences_apart(void **state)
{
	/* A dropped local detail with a number beside a longer added
	 * explanation: paired, the number would lose its counterpart, which
	 * translated sentences seldom do.  Which comes first is a tie. */
	const char *nb[] = {
	    "Regjeringen la fram statsbudsjettet for neste år i dag.",
	    "Ordføreren i Vik sier at kommunen trenger 40 nye plasser.",
	    "Opposisjonen er kritisk til flere av forslagene.", NULL};
	const char *en[] = {
	    "The government presented next year's state budget today.",
	    "Norway's budget year follows the calendar year, unlike the "
	    "British budget year, which starts in April and ends at the end "
	    "of March.",
	    "The opposition is critical of several of the proposals.", NULL};
	static struct texts a, b;
	char *got;

	(void)state;
	fill(&a, nb);
	fill(&b, en);
	got = align_str(&a, &b, NULL);
	if (strcmp(got, "0:0 1:- -:1 2:2") != 0 &&
	    strcmp(got, "0:0 -:1 1:- 2:2") != 0)
		fail_msg("got %s", got);
	free(got);
}

static void
a_sentence_sharing_none_of_many_lexicon_words_is_no_pair(void **state)
{
	/* The dropped detail has one word the lexicon knows, the added
	 * explanation several, and they share none: with that many chances
	 * to meet, translated pairs always share some word.  Their lengths
	 * match, so by length alone they would pair. */
	const char *nb[] = {
	    "Fylkestinget vedtok torsdag å bygge en ny fergekai i Bodø.",
	    "Kaia skal stå ferdig i 2028 og koste 400 millioner kroner.",
	    "Naboene har samlet seg til protestmøte på Rønvik i helgen.", NULL};
	const char *en[] = {
	    "The county council decided on Thursday to build a new ferry "
	    "quay in Bodø.",
	    "The quay will be finished in 2028 and cost NOK 400 million.",
	    "Ferry routes have long been the main roads of the northern "
	    "coast.",
	    NULL};
	static struct texts a, b;
	char *got;

	(void)state;
	fill(&a, nb);
	fill(&b, en);
	got = align_str(&a, &b, NULL);
	if (strcmp(got, "0:0 1:1 2:- -:2") != 0 &&
	    strcmp(got, "0:0 1:1 -:2 2:-") != 0)
		fail_msg("got %s", got);
	free(got);
}

static void a_dropped_and_an_added_sentence_do_not_join_a_pair(void **state)
{
	/* A translated pair whose only shared evidence is a lexicon word
	 * (skadet/injured), followed by a dropped detail and an added
	 * explanation: as a 2-2 the two strangers would ride along on the
	 * pair's evidence, cheaper than the 1-0 and 0-1 they are. */
	const char *nb[] = {"En buss kjørte av veien ved Gol søndag kveld.",
			    "Ingen ble alvorlig skadet.",
			    "Sjåføren hadde kjørt strekningen i mange år.",
			    "Politiet etterforsker ulykken.", NULL};
	const char *en[] = {
	    "A bus left the road near Gol on Sunday evening.",
	    "Nobody was seriously injured.",
	    "Gol is a mountain village in Hallingdal, popular with skiers.",
	    "Police are investigating the accident.", NULL};
	static struct texts a, b;
	char *got;

	(void)state;
	fill(&a, nb);
	fill(&b, en);
	got = align_str(&a, &b, NULL);
	if (strcmp(got, "0:0 1:1 2:- -:2 3:3") != 0 &&
	    strcmp(got, "0:0 1:1 -:2 2:- 3:3") != 0)
		fail_msg("got %s", got);
	free(got);
}

static void paragraph_ends_the_translation_drops_are_weak_evidence(void **state)
{
	/* Norwegian news gives every sentence a paragraph; the translation
	 * joins them.  The translation keeps few paragraph ends, so they
	 * must not force the added sentence into a bead. */
	const char *nb[] = {"SV fikk gjennomslag for gratis skolemat.",
			    "|",
			    "Partiet fikk også økt barnetrygden med 400 "
			    "kroner i måneden.",
			    "|",
			    "Til gjengjeld godtok SV en høyere oljepengebruk.",
			    "|",
			    "Det regnes som en formalitet.",
			    NULL};
	const char *en[] = {"The Socialist Left won free school meals.",
			    "The party also secured an increase in child "
			    "benefit of 400 kroner a month.",
			    "That is about 35 euros.",
			    "|",
			    "In return, the Socialist Left accepted higher "
			    "spending of oil money.",
			    "That is regarded as a formality.",
			    NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 1:1 -:2 2:3 3:4");
}

static void cognates_anchor_beads(void **state)
{
	/* By length the added sentence fits the police sentence better than
	 * its translation does; politiet/police, mystiske/mysterious and
	 * situasjonen/situation share no whole word, only their first
	 * letters. */
	const char *nb[] = {
	    "Regjeringen la fram statsbudsjettet for 2025 tirsdag.",
	    "Politiet etterforsker den mystiske situasjonen.",
	    "Tiltalte er en 34 år gammel mann fra Drammen.", NULL};
	const char *en[] = {
	    "The government presented the state budget for 2025 on Tuesday.",
	    "The budget was a week late again this year.",
	    "The police are now investigating the mysterious situation at the "
	    "farm outside town.",
	    "The accused is a 34-year-old man from Drammen.", NULL};

	(void)state;
	expect_align(nb, en, NULL, "0:0 -:1 1:2 2:3");
}

static void a_long_deletion_widens_the_band(void **state)
{
	static char buf[MAXS][64];
	static const char *nb[MAXS + 1], *en[MAXS + 1];
	static struct texts a, b;
	const struct tm_align_opts o = {NULL, 0, 2};
	struct tm_bead *beads = NULL;
	struct tolk_err err;
	size_t n = 0, i;

	(void)state;
	/* 60 Norwegian-only sentences, then 100 shared ones with their
	 * own numbers */
	for (i = 0; i < 160; i++) {
		snprintf(buf[i], sizeof(buf[i]), "Setning nummer %zu her.",
			 i * 7 + 3);
		nb[i] = buf[i];
	}
	nb[160] = NULL;
	for (i = 0; i < 100; i++) {
		snprintf(buf[200 + i], sizeof(buf[0]),
			 "Sentence number %zu here.", (i + 60) * 7 + 3);
		en[i] = buf[200 + i];
	}
	en[100] = NULL;
	fill(&a, nb);
	fill(&b, en);
	assert_int_equal(tm_align_run(a.s, a.n, b.s, b.n, &o, &beads, &n, &err),
			 0);
	assert_int_equal(n, 160);
	for (i = 0; i < 60; i++)
		assert_int_equal(beads[i].en_count, 0);
	for (i = 60; i < 160; i++) {
		assert_int_equal(beads[i].nb_first, i);
		assert_int_equal(beads[i].en_first, i - 60);
		if (i >= 70)
			assert_true(beads[i].confidence > 0.9);
	}
	free(beads);
}

/* Confidence that x and y translate each other. */
static double one_pair(const char *x, const char *y)
{
	struct tm_align_sent a = {x, strlen(x), 1}, b = {y, strlen(y), 1};
	struct tm_bead *beads = NULL;
	struct tolk_err err;
	size_t n = 0;
	double c;

	assert_int_equal(tm_align_run(&a, 1, &b, 1, NULL, &beads, &n, &err), 0);
	/* two beads: the pair was refused, which is no confidence in it */
	c = n == 1 ? beads[0].confidence : 0;
	free(beads);
	return c;
}

static void mismatched_lengths_lower_the_confidence(void **state)
{
	double good = one_pair("Regjeringen la fram budsjettet i dag.",
			       "The government presented the budget today.");
	double bad = one_pair("Kort.", "This is a much longer sentence that "
				       "goes on and on and on for a while.");

	(void)state;
	assert_true(good > 0.95);
	assert_true(bad < good - 0.2);
}

static void empty_sides_give_deletions(void **state)
{
	const char *nb[] = {"En.", "To.", NULL};
	const char *none[] = {NULL};

	(void)state;
	expect_align(nb, none, NULL, "0:- 1:-");
	expect_align(none, nb, NULL, "-:0 -:1");
	expect_align(none, none, NULL, "");
}

static void random_documents_give_covering_beads(void **state)
{
	static const char *const words[] = {
	    "og", "Oslo", "12 000", "1,5",	 "NATO",
	    "?",  "«sa»", "eller",  "\xC3\xA5r", "regjeringen"};
	static char buf[2][MAXS][96];
	static struct texts a, b;
	unsigned long long r = 7;
	int round;

	(void)state;
	for (round = 0; round < 40; round++) {
		struct texts *t[2] = {&a, &b};
		int side;
		char *got;

		for (side = 0; side < 2; side++) {
			size_t k, n, para = 1;

			r = r * 6364136223846793005ULL + 1;
			n = (r >> 33) % 60;
			for (k = 0; k < n; k++) {
				size_t w = 0, len = 0;

				r = r * 6364136223846793005ULL + 1;
				if ((r >> 40) % 5 == 0)
					para++;
				for (w = 0; w < 1 + (r >> 33) % 12; w++) {
					const char *x =
					    words[((r >> 20) + w * 7) % 10];

					len += (size_t)snprintf(
					    buf[side][k] + len,
					    sizeof(buf[0][0]) - len, "%s ", x);
					if (len > 80)
						break;
				}
				t[side]->s[k].text = buf[side][k];
				t[side]->s[k].len = len;
				t[side]->s[k].para = para;
			}
			t[side]->n = n;
		}
		got = align_str(&a, &b, NULL);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parallel_sentences_align_one_to_one),
	    cmocka_unit_test(a_split_sentence_becomes_two_to_one),
	    cmocka_unit_test(numbers_in_either_notation_anchor_beads),
	    cmocka_unit_test(numbers_written_as_words_anchor_beads),
	    cmocka_unit_test(ordinals_anchor_like_numbers),
	    cmocka_unit_test(identical_names_anchor_beads),
	    cmocka_unit_test(times_and_decimals_match_in_either_notation),
	    cmocka_unit_test(a_dialogue_dash_matches_quotation_marks),
	    cmocka_unit_test(question_marks_anchor_beads),
	    cmocka_unit_test(glossary_term_pairs_anchor_beads),
	    cmocka_unit_test(paragraph_boundaries_guide_alignment),
	    cmocka_unit_test(lexicon_words_decide_where_a_short_sentence_goes),
	    cmocka_unit_test(an_added_explanation_is_its_own_bead),
	    cmocka_unit_test(
		an_added_sentence_that_refers_back_is_its_own_bead),
	    cmocka_unit_test(
		a_dropped_detail_and_an_added_one_are_not_one_bead),
	    cmocka_unit_test(
		a_pair_without_lexicon_words_on_one_side_stays_a_pair),
	    cmocka_unit_test(
		a_sentence_sharing_none_of_many_lexicon_words_is_no_pair),
	    cmocka_unit_test(
		a_dropped_and_an_added_sentence_do_not_join_a_pair),
	    cmocka_unit_test(
		paragraph_ends_the_translation_drops_are_weak_evidence),
	    cmocka_unit_test(
		a_number_without_counterpart_keeps_sentences_apart),
	    cmocka_unit_test(cognates_anchor_beads),
	    cmocka_unit_test(a_long_deletion_widens_the_band),
	    cmocka_unit_test(mismatched_lengths_lower_the_confidence),
	    cmocka_unit_test(empty_sides_give_deletions),
	    cmocka_unit_test(random_documents_give_covering_beads),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
