/* Unit tests of the fuzzy matcher: scores, diffs, placeables, and the
 * index against brute force on randomised TMs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/helpers.h"
#include "tm/db.h"

#include "tm/match.h"
#include "tm/match_int.h"
#include "tm/store.h"
#include <sqlite3.h>
#include "tm/unit.h"
#include "tm/vars_int.h"
#include "util/number.h"

static char dbpath[300];
static struct tm_store *store;
static struct tm_matcher *matcher;

static int setup(void **state)
{
	(void)state;
	if (test_dir_make("match"))
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/tm.db", test_dir);
	if (tm_store_open(&store, dbpath, 0, NULL) ||
	    tm_matcher_new(&matcher, store, NULL))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tm_matcher_free(matcher);
	tm_store_close(store);
	return test_dir_remove();
}

static int score(const char *a, const char *b)
{
	int s = -1;

	assert_int_equal(tm_match_score(matcher, a, b, &s, NULL), 0);
	return s;
}

static const char base[] =
    "Møtet samler ledere fra rundt 30 land som støtter Ukraina.";

static void identical_text_scores_100_up_to_white_space_and_nfc(void **st)
{
	(void)st;
	assert_int_equal(score(base, base), 100);
	assert_int_equal(score(base,
			       "  Møtet samler\u00a0ledere fra rundt 30 land "
			       "som  støtter Ukraina. "),
			 100);
	/* "ø" has no decomposition; "å" does */
	assert_int_equal(
	    score("Vi må gå nå.", "Vi ma\u030a ga\u030a na\u030a."), 100);
	assert_int_equal(score("", ""), 100);
}

static void minor_differences_score_in_the_90s_and_never_100(void **st)
{
	int c = score(base, "møtet samler ledere fra rundt 30 land som "
			    "støtter ukraina.");
	int p = score(base, "Møtet samler ledere fra rundt 30 land som "
			    "støtter Ukraina");
	int n = score(base, "Møtet samler ledere fra rundt 40 land som "
			    "støtter Ukraina.");
	int t = score(base, "Møtet samler <b>ledere</b> fra rundt 30 land "
			    "som støtter Ukraina.");
	int w = score(base, "Møtet samler sjefer fra rundt 30 land som "
			    "støtter Ukraina.");

	(void)st;
	/* case (two words) */
	assert_int_equal(c, 98);
	assert_int_equal(p, 99);
	assert_int_equal(n, 98);
	assert_int_equal(t, 98);
	assert_true(w < n && w >= 80);
	/* ordered: one case difference < one punctuation < one number */
	assert_int_equal(score(base, "Møtet samler ledere fra rundt 30 land "
				     "som støtter ukraina."),
			 99);
	assert_int_equal(
	    score("Prisen er 12 000 kroner.", "Prisen er 13 000 kroner."), 98);
	assert_int_equal(score("Han sa: «Ja».", "Han sa: Ja."), 98);
}

static void scores_are_symmetric(void **st)
{
	static const char *const s[] = {
	    base,
	    "Møtet samler ledere fra 40 land.",
	    "Ledere fra rundt 30 land samles til møtet i Paris.",
	    "Statsministeren møtte Ukrainas president i Kyiv i fjor.",
	    "møtet SAMLER ledere, fra rundt 30 land!",
	    "Klikk <b>Lagre</b> for å lagre {0} filer.",
	    "Klikk Lagre for å lagre 3 filer.",
	    "",
	};
	size_t i, j, n = sizeof(s) / sizeof(s[0]);

	(void)st;
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			assert_int_equal(score(s[i], s[j]), score(s[j], s[i]));
}

static void score_never_rises_with_another_edit(void **st)
{
	static const char *const words[] = {
	    "Møtet", "samler", "ledere", "fra",	    "rundt",
	    "30",    "land",   "som",	 "støtter", "Ukraina"};
	char text[512];
	int prev = 100, i, k;

	(void)st;
	/* replace one more word each time */
	for (k = 1; k <= 10; k++) {
		int sc;

		text[0] = '\0';
		for (i = 0; i < 10; i++) {
			strcat(text, i < k ? "xx" : words[i]);
			strcat(text, i < 9 ? " " : ".");
		}
		sc = score(base, text);
		assert_true(sc < prev);
		prev = sc;
	}
	assert_int_equal(prev, 0);
	/* delete one more word each time */
	prev = 100;
	for (k = 1; k <= 9; k++) {
		int sc;

		text[0] = '\0';
		for (i = k; i < 10; i++) {
			strcat(text, words[i]);
			strcat(text, i < 9 ? " " : ".");
		}
		sc = score(base, text);
		assert_true(sc < prev);
		prev = sc;
	}
}

static void word_edit_distance_sets_the_score(void **st)
{
	(void)st;
	/* one of ten content tokens replaced: 90, two: 80; the characters
	 * (ledere/sjefer: 4 of 58 differ) do not count in texts this long */
	assert_int_equal(score(base, "Møtet samler sjefer fra rundt 30 land "
				     "som støtter Ukraina."),
			 90);
	assert_int_equal(score(base, "Møtet samler sjefer fra rundt 30 land "
				     "som hjelper Ukraina."),
			 80);
	/* one word dropped: C = 10, D = 1: 90 (the characters: "rundt " is
	 * 6 of 58, 89) */
	assert_int_equal(score(base, "Møtet samler ledere fra 30 land som "
				     "støtter Ukraina."),
			 90);
	assert_int_equal(score("Ja", "Nei"), 0);
}

static void inflected_forms_and_typos_cost_a_fraction_of_a_word(void **st)
{
	(void)st;
	/* three content words, one changed: a different word costs a whole
	 * edit (66), its inflected form 3/10 of one (90), a one-letter typo
	 * half of one (83), a diacritic 2/10 (93); where one or two
	 * characters of a long text differ, the character-level
	 * similarity is higher (step 5) */
	assert_int_equal(
	    score("Statsministeren holdt talen", "Presidenten holdt talen"),
	    66);
	assert_int_equal(score("Statsministeren holdt talen",
			       "Statsministerens holdt talen"),
			 96);
	assert_int_equal(score("Møtet i kommune", "Møtet i kommunene"), 90);
	assert_int_equal(score("Formater disken nå", "Tormater disken nå"), 94);
	assert_int_equal(score("Formater disken nå", "Formaater disken nå"),
			 94);
	assert_int_equal(score("Formater disken nå", "Fomater disken nå"), 94);
	assert_int_equal(score("Åpne filen nå", "Apne filen nå"), 93);
	/* one word alone: its inflection scores 70 by the words, a typo 50;
	 * the characters add up to 15 */
	assert_int_equal(score("statsministeren", "statsministerens"), 85);
	assert_int_equal(score("Formater", "Tormater"), 65);
	/* short words are not typos of each other, nor two-letter edits */
	assert_int_equal(score("Han sa", "Hun sa"), 65);
	assert_int_equal(score("Formater disken nå", "Fornater diskem nå"), 81);
	/* a stem and its compound are different words */
	assert_int_equal(score("Møtet i kommune", "Møtet i kommunestyret"), 71);
}

static void characters_refine_the_score_of_short_segments(void **st)
{
	(void)st;
	/* three words, one dropped: 66 by the words, under the default
	 * threshold; a short word is little of the text (4 of 19
	 * characters: 78), and the characters lift the score by at most 15
	 * (22 characters, 3 differ: 86, taken as 81) */
	assert_int_equal(score("Tid for markørblink", "Tid markørblink"), 78);
	assert_int_equal(score("Tid markørblink", "Tid for markørblink"), 78);
	assert_int_equal(score("Navn på arbeidsområder", "Navn arbeidsområder"),
			 81);
	assert_int_equal(score("Formater disken nå", "Formater disken nå da"),
			 85);
	/* four words: the lift is half a word, 12 (5 of 24 characters
	 * differ: 79 by the characters, 75 by the words); ten words keep
	 * the words' score, two letters of 58 replaced or not */
	assert_int_equal(
	    score("Møtet samler ledere idag", "Møtet samler ledere"), 79);
	assert_int_equal(score(base, "Møtet samxyr ledere fra rundt 30 land "
				     "som støtter Ukraina."),
			 90);
	/* a long word dropped is much of the text: the words' 66 stays */
	assert_int_equal(score("Verdi i listen", "Verdi i"), 66);
	assert_int_equal(score("Fant ingen pakker", "Fant pakker"), 66);
	/* texts without a word in common are not similar for their letters */
	assert_int_equal(score("Rwanda", "Uganda"), 0);
	assert_int_equal(score("Republikken Rwanda", "Republikken Uganda"), 65);
}

/* Words of a sentence, some inflected or with a typo: scores are
 * symmetric, 100 only for the same text, and never rise when one more
 * word is replaced by an unrelated one or dropped. */
static void placeholders_count_as_words_and_markup_does_not(void **st)
{
	(void)st;
	/* one typo among three placeholders and a word: 1 - 0.5 / 4, not
	 * half of the words (50) as when only the word counted; the
	 * characters lift it by at most 50 / 4 */
	assert_int_equal(score("%s (%s) tilbyr %s.", "%s (%s) tiebyr %s."), 94);
	/* any two placeholders align; one that differs costs a tag point */
	assert_int_equal(score("%s (%s) tilbyr %s.", "%d (%s) tilbyr %s."), 99);
	assert_int_equal(score("Åpner {0} i dag", "Åpner {1} i dag"), 99);
	/* wherever they stand: a moved one is the tags' business alone */
	assert_int_equal(
	    score("Fant %s filer i mappen.", "Fant filer i mappen %s."), 99);
	/* a placeholder dropped is a token of four dropped and a tag (74),
	 * three characters of fifteen (80); it scored 99 as a tag alone */
	assert_int_equal(score("Lagre %s som %s", "Lagre som %s"), 80);
	/* formatting markup is no content token: only its tag points */
	assert_int_equal(score("<b>Lagre</b>", "Lagre"), 98);
	assert_int_equal(score("Klikk <b>Lagre</b> nå", "Klikk Lagre nå"), 98);
}

static const char *const simwords[] = {
    "kommune",	"kommunen", "kommunene",  "skole",	"skolen", "skolene",
    "Formater", "Tormater", "Formatter",  "disken",	"disker", "lagre",
    "lagret",	"lagrer",   "filen",	  "filene",	"fil",	  "Oslo",
    "vedtok",	"vedtak",   "Stortinget", "stortinget", "i",	  "fjor",
};

static void similar_words_keep_the_score_properties(void **st)
{
	unsigned seed = 7, k;

	(void)st;
	for (k = 0; k < 300; k++) {
		char a[256] = "", b[256] = "", c[256];
		size_t n = 2 + (seed = seed * 1103515245u + 12345u) % 7, i;
		size_t order[16];
		int prev, sc, same[16];
		size_t shared = 0;

		for (i = 0; i < n; i++) {
			const char *wa, *wb;

			seed = seed * 1103515245u + 12345u;
			wa = simwords[(seed >> 8) % 24];
			seed = seed * 1103515245u + 12345u;
			/* the other sentence: often the same word, else
			 * a (possibly similar) other one */
			wb = (seed >> 8) % 3 ? wa : simwords[(seed >> 12) % 24];
			snprintf(a + strlen(a), sizeof(a) - strlen(a), "%s%s",
				 i ? " " : "", wa);
			snprintf(b + strlen(b), sizeof(b) - strlen(b), "%s%s",
				 i ? " " : "", wb);
			order[i] = i;
			same[i] = wa == wb;
			shared += same[i];
		}
		sc = score(a, b);
		assert_int_equal(sc, score(b, a));
		assert_true((sc == 100) == (strcmp(a, b) == 0));
		/* replace the words b shares with a by unrelated ones, one
		 * more each time, in a random order (a word that already
		 * differs is no further edit: the characters may tell that
		 * a short one is closer than a long one) */
		for (i = n; i > 1; i--) {
			size_t j, t;

			seed = seed * 1103515245u + 12345u;
			j = (seed >> 8) % i;
			t = order[i - 1];
			order[i - 1] = order[j];
			order[j] = t;
		}
		prev = sc;
		for (i = 0; i < n; i++) {
			char *p = b, *q = c;
			size_t w = 0;

			if (!same[order[i]])
				continue;
			/* word order[i] of b becomes "qqN" */
			for (;;) {
				size_t l = strcspn(p, " ");

				if (w == order[i])
					q += sprintf(q, "qq%zu", w);
				else
					q += sprintf(q, "%.*s", (int)l, p);
				w++;
				p += l;
				if (!*p)
					break;
				*q++ = *p++;
			}
			*q = '\0';
			strcpy(b, c);
			sc = score(a, b);
			assert_true(sc <= prev);
			assert_int_equal(sc, score(b, a));
			prev = sc;
		}
		/* from the same text to no word in common: nothing for the
		 * characters to refine */
		if (shared == n)
			assert_int_equal(prev, 0);
	}
}

static void diff_lists_insert_delete_replace(void **st)
{
	const char *q = "Møtet samler sjefer fra 30 land i dag.";
	const char *s = "Møtet samler ledere fra rundt 30 land.";
	struct mt_tokenizer *tk;
	struct mt_text a = {0}, b = {0};
	struct tm_diff *d;
	size_t n;

	(void)st;
	assert_int_equal(mt_tokenizer_new(&tk, NULL), 0);
	assert_int_equal(mt_tokenize(tk, q, strlen(q), &a, NULL), 0);
	assert_int_equal(mt_tokenize(tk, s, strlen(s), &b, NULL), 0);
	assert_int_equal(mt_diff(&a, &b, &d, &n), 0);
	assert_int_equal(n, 3);
	assert_int_equal(d[0].op, TM_DIFF_REPLACE);
	assert_memory_equal(q + d[0].q_off, "sjefer", d[0].q_len);
	assert_memory_equal(s + d[0].s_off, "ledere", d[0].s_len);
	assert_int_equal(d[1].op, TM_DIFF_INSERT);
	assert_int_equal(d[1].q_len, 0);
	assert_memory_equal(s + d[1].s_off, "rundt", d[1].s_len);
	assert_int_equal(d[2].op, TM_DIFF_DELETE);
	assert_memory_equal(q + d[2].q_off, "i dag", d[2].q_len);
	assert_int_equal(d[2].s_len, 0);
	free(d);
	mt_text_release(&a);
	mt_text_release(&b);
	mt_tokenizer_free(tk);
}

/* The tokenizer remembers the keys of words it has met: a tokenizer that
 * has tokenised many texts (its memory full, slots reused) gives every
 * text the tokens a fresh one gives it, pool bytes included. */
static void
a_tokenizer_that_has_seen_many_words_tokenises_as_a_fresh_one(void **st)
{
	static const char *const words[] = {
	    "huset",
	    "Huset",
	    "HUSET",
	    "bilen",
	    "kommunen",
	    "Kommunen",
	    "og",
	    "i",
	    "på",
	    "Øya",
	    "øya",
	    "ærlig",
	    "Ærlig",
	    "blåbær",
	    "Blåbær",
	    "cafe\xcc\x81",
	    "café",
	    "naïve",
	    "straße",
	    "STRASSE",
	    "e",
	    "n",
	    "x",
	    "—",
	    "!",
	    "«",
	    "»",
	    "l'eau",
	    "don't",
	    "Δέλτα",
	    "\xe6\x97\xa5\xe6\x9c\xac",
	    "verdensmesterskapsfinalen",
	    "Verdensmesterskapsfinalekvalifiseringskampene",
	    "supercalifragilisticexpialidociousantidisestablishmentarianismus"
	    "pneumonoultramicroscopic",
	    "12",
	    "3,5",
	    "{0}",
	    "<b>",
	    "</b>",
	    "%s"};
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz";
	struct mt_tokenizer *warm, *fresh;
	struct mt_text a = {0}, b = {0};
	char text[2048];
	unsigned seed = 12345;
	size_t i, k, w;
	int round;

	(void)st;
	assert_int_equal(mt_tokenizer_new(&warm, NULL), 0);
	for (round = 0; round < 400; round++) {
		size_t nw = 3 + (seed = seed * 1103515245u + 12345u) % 14;

		w = 0;
		for (k = 0; k < nw; k++) {
			const char *word;
			char rnd[40];

			seed = seed * 1103515245u + 12345u;
			if ((seed >> 16) % 3 == 0) {
				/* thousands of distinct words: slots are
				 * taken over */
				size_t len = 1 + (seed >> 8) % 30, j;

				for (j = 0; j < len; j++) {
					seed = seed * 1103515245u + 12345u;
					rnd[j] = letters[(seed >> 16) % 26];
				}
				rnd[len] = '\0';
				word = rnd;
			} else {
				word = words[(seed >> 16) % (sizeof(words) /
							     sizeof(words[0]))];
			}
			w += (size_t)snprintf(
			    text + w, sizeof(text) - w, "%s%s",
			    k ? ((seed >> 20) % 4 ? " " : ", ") : "", word);
		}
		assert_int_equal(mt_tokenizer_new(&fresh, NULL), 0);
		assert_int_equal(mt_tokenize(warm, text, w, &a, NULL), 0);
		assert_int_equal(mt_tokenize(fresh, text, w, &b, NULL), 0);
		mt_tokenizer_free(fresh);
		assert_int_equal(a.n, b.n);
		assert_int_equal(a.nwords, b.nwords);
		assert_int_equal(a.nnums, b.nnums);
		assert_true(a.ident == b.ident);
		for (i = 0; i < a.n; i++) {
			const struct mt_tok *x = &a.t[i], *y = &b.t[i];

			assert_int_equal(x->start, y->start);
			assert_int_equal(x->end, y->end);
			assert_int_equal(x->kind, y->kind);
			assert_int_equal(x->space_before, y->space_before);
			assert_true(x->exact == y->exact);
			assert_true(x->fold == y->fold);
			assert_true(x->loose == y->loose);
			assert_true(x->stem == y->stem);
			assert_int_equal(x->wlen, y->wlen);
			assert_int_equal(x->slen, y->slen);
			assert_memory_equal(a.pool + x->woff, b.pool + y->woff,
					    (size_t)x->wlen + x->slen);
		}
	}
	mt_text_release(&a);
	mt_text_release(&b);
	mt_tokenizer_free(warm);
}

static void numbers_and_tags_are_single_tokens(void **st)
{
	const char *s = "Pris: 12 000,50 kr for 1,5 t, kl. 14.30 {0} <b>x</b>";
	struct mt_tokenizer *tk;
	struct mt_text a = {0};
	size_t i, nn = 0, nt = 0;

	(void)st;
	assert_int_equal(mt_tokenizer_new(&tk, NULL), 0);
	assert_int_equal(mt_tokenize(tk, s, strlen(s), &a, NULL), 0);
	for (i = 0; i < a.n; i++) {
		if (a.t[i].kind == MT_NUM) {
			const char *want[] = {"12 000,50", "1,5", "14.30"};

			assert_true(nn < 3);
			assert_int_equal(a.t[i].end - a.t[i].start,
					 strlen(want[nn]));
			assert_memory_equal(s + a.t[i].start, want[nn],
					    strlen(want[nn]));
			nn++;
		}
		nt += a.t[i].kind == MT_TAG;
	}
	assert_int_equal(nn, 3);
	assert_int_equal(nt, 3);
	mt_text_release(&a);
	mt_tokenizer_free(tk);
}

static void norwegian_numbers_are_written_the_english_way(void **st)
{
	char canon[64], out[64];
	int g;

	(void)st;
	tolk_num_canon("12 000", 6, TOLK_NUM_NB, canon, sizeof(canon), &g);
	assert_string_equal(canon, "12000");
	assert_true(g);
	tolk_num_english(canon, g, out, sizeof(out));
	assert_string_equal(out, "12,000");
	tolk_num_canon("1,5", 3, TOLK_NUM_NB, canon, sizeof(canon), &g);
	assert_string_equal(canon, "1.5");
	tolk_num_english(canon, g, out, sizeof(out));
	assert_string_equal(out, "1.5");
	tolk_num_canon("2024", 4, TOLK_NUM_NB, canon, sizeof(canon), &g);
	tolk_num_english(canon, g, out, sizeof(out));
	assert_string_equal(out, "2024");
	tolk_num_canon("1\xc2\xa0"
		       "250\xc2\xa0"
		       "000,75",
		       14, TOLK_NUM_NB, canon, sizeof(canon), &g);
	assert_string_equal(canon, "1250000.75");
	tolk_num_english(canon, g, out, sizeof(out));
	assert_string_equal(out, "1,250,000.75");
	tolk_num_canon("12,000.5", 8, TOLK_NUM_EN, canon, sizeof(canon), &g);
	assert_string_equal(canon, "12000.5");
}

/* Stores a unit of nb and en (reversed: translated from English), with
 * its change date and usage count when given; returns its id. */
static int64_t add_unit(const char *nb, const char *en, int reversed,
			const char *changed, const char *usage)
{
	struct tm_unit *u = NULL;
	int64_t id = 0;

	assert_int_equal(tm_unit_new(&u), 0);
	if (reversed) {
		assert_int_equal(tm_unit_set_attr(u, "srclang", "en"), 0);
		assert_int_equal(
		    tm_unit_add_variant(u, "en", en, NULL, NULL, NULL), 0);
	}
	assert_int_equal(tm_unit_add_variant(u, "nb", nb, NULL, NULL, NULL), 0);
	if (!reversed)
		assert_int_equal(
		    tm_unit_add_variant(u, "en", en, NULL, NULL, NULL), 0);
	if (changed)
		assert_int_equal(tm_unit_set_attr(u, "changedate", changed), 0);
	if (usage)
		assert_int_equal(tm_unit_set_attr(u, "usagecount", usage), 0);
	assert_int_equal(tm_store_add(store, u, TM_DUP_KEEP, &id, NULL, NULL),
			 0);
	tm_unit_free(u);
	return id;
}

static void add_pair(const char *nb, const char *en, int64_t *id)
{
	*id = add_unit(nb, en, 0, NULL, NULL);
}

/* A unit translated the other way: English source, Norwegian target. */
static void add_reversed(const char *nb, const char *en, int64_t *id)
{
	*id = add_unit(nb, en, 1, NULL, NULL);
}

static int64_t add_dated(const char *nb, const char *en, const char *changed,
			 const char *usage)
{
	return add_unit(nb, en, 0, changed, usage);
}

static void
equal_scores_are_ordered_by_closeness_then_date_then_usage(void **st)
{
	struct tm_match_opts o = {"nb", "en", 70, 5, 0};
	struct tm_match_result r;
	int64_t w16, w7, w1, old, newer, used, unused;
	size_t i;

	(void)st;
	/* one number differs in each (98 each): "1" is one edit from the
	 * query's "61", "16" and "7" two; of those, 7 changed last */
	w16 = add_dated("Bytt til arbeidsområde 16", "Switch to workspace 16",
			"20200101T000000Z", NULL);
	w7 = add_dated("Bytt til arbeidsområde 7", "Switch to workspace 7",
		       "20240101T000000Z", NULL);
	w1 = add_dated("Bytt til arbeidsområde 1", "Switch to workspace 1",
		       NULL, NULL);
	assert_int_equal(
	    tm_match_lookup(matcher, "Bytt til arbeidsområde 61", &o, &r, NULL),
	    0);
	assert_int_equal(r.nmatches, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(r.matches[i].score, 98);
	assert_int_equal(r.matches[0].id, w1);
	assert_int_equal(r.matches[1].id, w7);
	assert_int_equal(r.matches[2].id, w16);
	tm_match_result_release(&r);
	/* the same source twice: newest first; same date: most used */
	old = add_dated("Tøm papirkurven nå", "Empty the bin now",
			"20190101T000000Z", "40");
	newer = add_dated("Tøm papirkurven nå", "Empty the trash now",
			  "20230101T000000Z", "1");
	unused = add_dated("Tøm papirkurven nå", "Empty the wastebasket now",
			   "20230101T000000Z", NULL);
	used = add_dated("Tøm papirkurven nå", "Empty the recycle bin now",
			 "20230101T000000Z", "7");
	assert_int_equal(
	    tm_match_lookup(matcher, "Tøm papirkurven nå!", &o, &r, NULL), 0);
	assert_int_equal(r.nmatches, 4);
	assert_int_equal(r.matches[0].id, used);
	assert_int_equal(r.matches[1].id, newer);
	assert_int_equal(r.matches[2].id, unused);
	assert_int_equal(r.matches[3].id, old);
	tm_match_result_release(&r);
	/* with a limit, the closest of the tied are the ones kept */
	o.limit = 1;
	assert_int_equal(
	    tm_match_lookup(matcher, "Bytt til arbeidsområde 61", &o, &r, NULL),
	    0);
	assert_int_equal(r.nmatches, 1);
	assert_int_equal(r.matches[0].id, w1);
	tm_match_result_release(&r);
}

static void
partial_matches_come_in_query_order_and_verbatim_scores_100(void **st)
{
	struct tm_match_opts o = {"nb", "en", 70, 5, 0};
	struct tm_match_result r;
	int64_t a, b;

	(void)st;
	add_pair("Lukk alle vinduer i arbeidsflaten.", "Close all windows.",
		 &a);
	add_pair("Velg en ny bakgrunn for skjermen", "Choose a background.",
		 &b);
	assert_int_equal(
	    tm_match_lookup(matcher,
			    "Først: Lukk alle vinduer i arbeidsflaten. "
			    "Deretter velg en ny bakgrunn for skjermen her, "
			    "og start maskinen på nytt med knappen.",
			    &o, &r, NULL),
	    0);
	assert_int_equal(r.nmatches, 0);
	assert_int_equal(r.npartial, 2);
	/* the shorter cover first: it comes first in the query */
	assert_int_equal(r.partial[0].id, a);
	assert_int_equal(r.partial[1].id, b);
	assert_true(r.partial[0].q_off < r.partial[1].q_off);
	/* verbatim, its full stop too */
	assert_int_equal(r.partial[0].score, 100);
	assert_int_equal(r.partial[0].q_len,
			 strlen("Lukk alle vinduer i arbeidsflaten."));
	/* differs in case from the query */
	assert_int_equal(r.partial[1].score, 99);
	tm_match_result_release(&r);
}

static void units_of_either_direction_are_found(void **st)
{
	struct tm_match_opts o = {"nb", "en", 70, 5, 0};
	struct tm_match_result r;
	int64_t id;

	(void)st;
	add_reversed("Trykk på knappen for å lagre endringene.",
		     "Press the button to save the changes.", &id);
	assert_int_equal(tm_match_lookup(matcher,
					 "Trykk på knappen for å lagre "
					 "endringene nå.",
					 &o, &r, NULL),
			 0);
	assert_int_equal(r.nmatches, 1);
	assert_int_equal(r.matches[0].id, id);
	assert_string_equal(r.matches[0].target,
			    "Press the button to save the changes.");
	tm_match_result_release(&r);
	/* and from English to Norwegian */
	o.source_lang = "en";
	o.target_lang = "nb";
	assert_int_equal(tm_match_lookup(matcher,
					 "Press the button to save all the "
					 "changes.",
					 &o, &r, NULL),
			 0);
	assert_int_equal(r.nmatches, 1);
	assert_string_equal(r.matches[0].target,
			    "Trykk på knappen for å lagre endringene.");
	tm_match_result_release(&r);
	assert_int_equal(tm_store_delete(store, id, NULL), 0);
}

/* A unit's pair is its first variant in the source language and its
 * first in the target language, its second when both are one language
 * (fetch_pair reads the unit's variants in order and picks them). */
static void pairs_are_the_first_variants_of_each_language(void **st)
{
	struct tm_match_opts o = {"nb", "en", 70, 5, 0};
	struct tm_match_result r;
	struct tm_unit *u = NULL;
	int64_t id = 0;

	(void)st;
	assert_int_equal(tm_unit_new(&u), 0);
	assert_int_equal(tm_unit_add_variant(u, "en", "Close the lid first.",
					     NULL, NULL, NULL),
			 0);
	assert_int_equal(tm_unit_add_variant(u, "nb",
					     "Lukk lokket på kjelen først.",
					     NULL, NULL, NULL),
			 0);
	assert_int_equal(tm_unit_add_variant(u, "en", "Shut the lid first.",
					     NULL, NULL, NULL),
			 0);
	assert_int_equal(tm_unit_add_variant(u, "nb",
					     "Lukk lokket på gryta først.",
					     NULL, NULL, NULL),
			 0);
	assert_int_equal(tm_store_add(store, u, TM_DUP_KEEP, &id, NULL, NULL),
			 0);
	tm_unit_free(u);
	assert_int_equal(tm_match_lookup(matcher,
					 "Lukk lokket på kjelen først nå.", &o,
					 &r, NULL),
			 0);
	assert_int_equal(r.nmatches, 1);
	assert_int_equal(r.matches[0].id, id);
	assert_string_equal(r.matches[0].source,
			    "Lukk lokket på kjelen først.");
	assert_string_equal(r.matches[0].target, "Close the lid first.");
	tm_match_result_release(&r);
	/* one language: the second variant is the target */
	o.target_lang = "nb";
	assert_int_equal(tm_match_lookup(matcher,
					 "Lukk lokket på kjelen først nå.", &o,
					 &r, NULL),
			 0);
	assert_int_equal(r.nmatches, 1);
	assert_string_equal(r.matches[0].source,
			    "Lukk lokket på kjelen først.");
	assert_string_equal(r.matches[0].target, "Lukk lokket på gryta først.");
	tm_match_result_release(&r);
	assert_int_equal(tm_store_delete(store, id, NULL), 0);
}

static void assert_same_results(const struct tm_match *a, size_t na,
				const struct tm_match *b, size_t nb);

/* indexed and exhaustive lookups of q at min agree; returns how many
 * matched */
static size_t same_as_exhaustive(const char *q, int min)
{
	struct tm_match_opts o = {"nb", "en", min, 50, TM_MATCH_NO_PARTIAL};
	struct tm_match_result a, b;
	size_t n;

	assert_int_equal(tm_match_lookup(matcher, q, &o, &a, NULL), 0);
	o.flags |= TM_MATCH_EXHAUSTIVE;
	assert_int_equal(tm_match_lookup(matcher, q, &o, &b, NULL), 0);
	assert_same_results(a.matches, a.nmatches, b.matches, b.nmatches);
	n = a.nmatches;
	tm_match_result_release(&a);
	tm_match_result_release(&b);
	return n;
}

/* The matcher keeps each query word's keys (its similar words among
 * them) across lookups: a similar word that arrives later, written by
 * this connection, another one, or inside a transaction that is rolled
 * back, is seen all the same.  Only the similar word leads to these
 * units (a one-word query). */
static void kept_word_keys_follow_writes(void **st)
{
	struct tm_store *s2 = NULL;
	struct tm_unit *u = NULL;
	int64_t a, b, c;

	(void)st;
	assert_int_equal(same_as_exhaustive("Sjokoladekaken", 30), 0);
	add_pair("Sjokoladekakan", "The chocolate cake", &a);
	assert_int_equal(same_as_exhaustive("Sjokoladekaken", 30), 1);
	/* another connection's write */
	assert_int_equal(tm_store_open(&s2, dbpath, 0, NULL), 0);
	assert_int_equal(tm_unit_new(&u), 0);
	assert_int_equal(
	    tm_unit_add_variant(u, "nb", "Sjokoladekakene", NULL, NULL, NULL),
	    0);
	assert_int_equal(tm_unit_add_variant(u, "en", "The chocolate cakes",
					     NULL, NULL, NULL),
			 0);
	assert_int_equal(tm_store_add(s2, u, TM_DUP_KEEP, &b, NULL, NULL), 0);
	tm_unit_free(u);
	tm_store_close(s2);
	assert_int_equal(same_as_exhaustive("Sjokoladekaken", 30), 2);
	/* a transaction's own write, then its rollback */
	assert_int_equal(tm_store_begin(store, NULL), 0);
	add_pair("Sjokoladekaker", "Chocolate cakes", &c);
	assert_int_equal(same_as_exhaustive("Sjokoladekaken", 30), 3);
	tm_store_rollback(store);
	assert_int_equal(same_as_exhaustive("Sjokoladekaken", 30), 2);
	assert_int_equal(tm_store_delete(store, a, NULL), 0);
	assert_int_equal(tm_store_delete(store, b, NULL), 0);
	assert_int_equal(same_as_exhaustive("Sjokoladekaken", 30), 0);
}

/* The matcher also keeps the posting lists it read, by key and length,
 * and reads more lengths when a lower threshold widens the band: units
 * written later (by this connection, another one, or in a transaction
 * rolled back) and units deleted are seen all the same. */
static void kept_postings_follow_writes(void **st)
{
	static const char q[] =
	    "Seilbåtene ligger trygt i småbåthavna gjennom hele vinteren.";
	struct tm_store *s2 = NULL;
	struct tm_unit *u = NULL;
	int64_t a, b, c;
	size_t n0;

	(void)st;
	n0 = same_as_exhaustive(q, 50);
	/* one word differs, two more: the second only at the lower band */
	add_pair("Seilbåtene ligger trygt i småbåthavna gjennom hele "
		 "sommeren.",
		 "x", &a);
	assert_int_equal(same_as_exhaustive(q, 85), 1);
	add_pair("Seilbåtene ligger trygt i småbåthavna.", "x", &c);
	assert_int_equal(same_as_exhaustive(q, 85), 1);
	assert_int_equal(same_as_exhaustive(q, 50), n0 + 2);
	assert_int_equal(tm_store_delete(store, c, NULL), 0);
	assert_int_equal(same_as_exhaustive(q, 50), n0 + 1);
	/* another connection's write */
	assert_int_equal(tm_store_open(&s2, dbpath, 0, NULL), 0);
	assert_int_equal(tm_unit_new(&u), 0);
	assert_int_equal(tm_unit_add_variant(u, "nb", q, NULL, NULL, NULL), 0);
	assert_int_equal(tm_unit_add_variant(u, "en", "y", NULL, NULL, NULL),
			 0);
	assert_int_equal(tm_store_add(s2, u, TM_DUP_KEEP, &b, NULL, NULL), 0);
	tm_unit_free(u);
	tm_store_close(s2);
	assert_int_equal(same_as_exhaustive(q, 85), 2);
	/* a transaction's own write, then its rollback */
	assert_int_equal(tm_store_begin(store, NULL), 0);
	add_pair("Seilbåtene ligger trygt i småbåthavna gjennom vinteren.", "x",
		 &c);
	assert_int_equal(same_as_exhaustive(q, 85), 3);
	tm_store_rollback(store);
	assert_int_equal(same_as_exhaustive(q, 85), 2);
	assert_int_equal(tm_store_delete(store, a, NULL), 0);
	assert_int_equal(tm_store_delete(store, b, NULL), 0);
	assert_int_equal(same_as_exhaustive(q, 50), n0);
}

static void match_differing_in_numbers_offers_adapted_target(void **st)
{
	struct tm_match_opts o = {"nb", "en", 70, 5, 0};
	struct tm_match_result r;
	int64_t id;

	(void)st;
	add_pair("Prisen er 12 000 kroner for 1,5 timer.",
		 "The price is 12,000 kroner for 1.5 hours.", &id);
	assert_int_equal(tm_match_lookup(matcher,
					 "Prisen er 15 500 kroner for 2,5 "
					 "timer.",
					 &o, &r, NULL),
			 0);
	assert_int_equal(r.nmatches, 1);
	assert_int_equal(r.matches[0].id, id);
	assert_int_equal(r.matches[0].score, 96);
	assert_non_null(r.matches[0].adapted);
	assert_string_equal(r.matches[0].adapted,
			    "The price is 15,500 kroner for 2.5 hours.");
	tm_match_result_release(&r);
	/* a word differs too: no adaptation */
	assert_int_equal(tm_match_lookup(matcher,
					 "Prisen er 15 500 kroner for 2,5 "
					 "dager.",
					 &o, &r, NULL),
			 0);
	assert_int_equal(r.nmatches, 1);
	assert_null(r.matches[0].adapted);
	tm_match_result_release(&r);
	assert_int_equal(tm_store_delete(store, id, NULL), 0);
}

/* The target adapted to query q from a match with source src, or NULL. */
static char *adapt(const char *q, const char *src, const char *target)
{
	struct mt_tokenizer *tk = NULL;
	struct mt_text tq = {0}, ts = {0};
	char *out = NULL;

	assert_int_equal(mt_tokenizer_new(&tk, NULL), 0);
	assert_int_equal(mt_tokenize(tk, q, strlen(q), &tq, NULL), 0);
	assert_int_equal(mt_tokenize(tk, src, strlen(src), &ts, NULL), 0);
	assert_int_equal(mt_adapt(tk, &tq, &ts, target, &out, NULL), 0);
	mt_text_release(&tq);
	mt_text_release(&ts);
	mt_tokenizer_free(tk);
	return out;
}

struct adapt_case {
	const char *src, *target, *query, *adapted;
	/* adapting the adapted target back to src gives target again */
	int reversible;
};

/* Each case, and (where the notation keeps everything) the way back:
 * adaptation only moves values, never the target's style. */
static void check_adapt_cases(const struct adapt_case *c, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char *a = adapt(c[i].query, c[i].src, c[i].target), *back;

		if (!c[i].adapted) {
			if (a)
				fail_msg("'%s' adapted to '%s'", c[i].query, a);
			continue;
		}
		if (!a)
			fail_msg("'%s' not adapted", c[i].query);
		if (strcmp(a, c[i].adapted))
			fail_msg("'%s': '%s', not '%s'", c[i].query, a,
				 c[i].adapted);
		if (c[i].reversible) {
			back = adapt(c[i].src, c[i].query, a);
			if (!back || strcmp(back, c[i].target))
				fail_msg("'%s' back: '%s'", c[i].adapted,
					 back ? back : "(none)");
			free(back);
		}
		free(a);
	}
}

static void times_adapt_in_the_notation_of_the_stored_target(void **st)
{
	static const struct adapt_case c[] = {
	    {"Møtet starter kl. 14.30 i dag.",
	     "The meeting starts at 14:30 today.",
	     "Møtet starter kl. 15.30 i dag.",
	     "The meeting starts at 15:30 today.", 1},
	    {"Møtet starter kl. 18 i dag.",
	     "The meeting starts at 18:00 today.",
	     "Møtet starter kl. 19 i dag.",
	     "The meeting starts at 19:00 today.", 1},
	    /* 12 hours with the target's marker, minutes when needed */
	    {"Møtet starter kl. 18 i dag.", "The meeting starts at 6 pm today.",
	     "Møtet starter kl. 19 i dag.", "The meeting starts at 7 pm today.",
	     1},
	    {"Møtet starter kl. 18 i dag.", "The meeting starts at 6 pm today.",
	     "Møtet starter kl. 9.30 i dag.",
	     "The meeting starts at 9:30 am today.", 0},
	    {"Møtet starter kl. 18 i dag.",
	     "The meeting starts at 6 P.M. today.",
	     "Møtet starter kl. 12.15 i dag.",
	     "The meeting starts at 12:15 P.M. today.", 0},
	    {"Toget går kl. 07.05.", "The train leaves at 07:05.",
	     "Toget går kl. 08.45.", "The train leaves at 08:45.", 1},
	    /* British English writes 14.30 without a marker */
	    {"Møtet starter kl. 14.30.", "The meeting starts at 14.30.",
	     "Møtet starter kl. 16.00.", "The meeting starts at 16.00.", 1},
	    {"Fra kl. 9 til kl. 17.", "From 9 am to 5 pm.",
	     "Fra kl. 8 til kl. 16.", "From 8 am to 4 pm.", 1},
	    /* the target says no time the source has: no adaptation */
	    {"Møtet starter kl. 18 i dag.", "The meeting starts this evening.",
	     "Møtet starter kl. 19 i dag.", NULL, 0},
	};

	(void)st;
	check_adapt_cases(c, sizeof(c) / sizeof(c[0]));
}

static void dates_adapt_in_the_notation_of_the_stored_target(void **st)
{
	static const struct adapt_case c[] = {
	    {"Valget holdes 27. november.",
	     "The election is held on 27 November.",
	     "Valget holdes 28. november.",
	     "The election is held on 28 November.", 1},
	    {"Valget holdes 27. november.",
	     "The election is held on November 27.",
	     "Valget holdes 28. november.",
	     "The election is held on November 28.", 1},
	    /* the month is part of the date; ordinal suffixes follow the day */
	    {"Valget holdes 27. november.",
	     "The election is held on November 27th.",
	     "Valget holdes 2. oktober.",
	     "The election is held on October 2nd.", 1},
	    {"Valget holdes 27. november.",
	     "The election is held on the 27th November.",
	     "Valget holdes 21. mars.",
	     "The election is held on the 21st March.", 1},
	    {"Valget holdes 17.05.2024.", "The election is held on 17.05.2024.",
	     "Valget holdes 8.06.2025.", "The election is held on 08.06.2025.",
	     0},
	    /* a Norwegian target keeps its own month names */
	    {"Valget holdes 27. november.", "Valet held 27. november.",
	     "Valget holdes 3. mai.", "Valet held 3. mai.", 1},
	    /* an ordinal is not a date */
	    {"Valget holdes 27. november.",
	     "The election is held on 27 November.", "Valget holdes 27. plass.",
	     NULL, 0},
	    /* a year on one side only */
	    {"Valget holdes 17.05.2024.", "The election is held on 17 May.",
	     "Valget holdes 18.05.2024.", NULL, 0},
	};

	(void)st;
	check_adapt_cases(c, sizeof(c) / sizeof(c[0]));
}

static void tags_and_placeholders_adapt_where_unambiguous(void **st)
{
	static const struct adapt_case c[] = {
	    {"Trykk {0} for å lagre %s.", "Press {0} to save %s.",
	     "Trykk {1} for å lagre %d.", "Press {1} to save %d.", 1},
	    {"Flytt {0} til {1}.", "Move {0} to {1}.", "Flytt {1} til {0}.",
	     "Move {1} to {0}.", 1},
	    {"Klikk <b>Lagre</b> nå.", "Click <b>Save</b> now.",
	     "Klikk <i>Lagre</i> nå.", "Click <i>Save</i> now.", 1},
	    /* with a number changed as well */
	    {"Slett %s av 12 filer.", "Delete %s of 12 files.",
	     "Slett %d av 15 filer.", "Delete %d of 15 files.", 1},
	    /* the source's tag twice: which one the query means is unclear */
	    {"Flytt {0} til {0}.", "Move {0} to {0}.", "Flytt {1} til {0}.",
	     NULL, 0},
	    /* the target lacks the tag */
	    {"Trykk {0} for å lagre.", "Press the key to save.",
	     "Trykk {1} for å lagre.", NULL, 0},
	    /* a tag moved between the words: reported, not carried over */
	    {"Klikk <b>Lagre</b> nå, 12 filer.",
	     "Click <b>Save</b> now, 12 files.",
	     "Klikk Lagre <b>nå</b>, 15 filer.",
	     "Click <b>Save</b> now, 15 files.", 0},
	    /* a tag more in the query: no place for it in the target */
	    {"Trykk {0} for å lagre.", "Press {0} to save.",
	     "Trykk {0} for å lagre {1}.", NULL, 0},
	};

	(void)st;
	check_adapt_cases(c, sizeof(c) / sizeof(c[0]));
}

static void moved_tags_go_where_the_query_ties_them(void **st)
{
	static const struct adapt_case c[] = {
	    /* against a number the target has once */
	    {"<b>Pris:</b> 12 kroner.", "<b>Price:</b> NOK 12.",
	     "Pris: <b>12</b> kroner.", "Price: NOK <b>12</b>.", 0},
	    /* at the edges, inside the same closing punctuation */
	    {"Lagre <b>filen</b> nå.", "Save <b>the file</b> now.",
	     "<b>Lagre filen nå.</b>", "<b>Save the file now.</b>", 0},
	    {"Fant %s filer i mappen.", "Found %s files in the folder.",
	     "Fant filer i mappen %s.", "Found files in the folder %s.", 0},
	    {"Filen %s finnes ikke", "The file %s does not exist",
	     "%s Filen finnes ikke", "%s The file does not exist", 0},
	    /* with a number changed as well */
	    {"<b>Pris:</b> 12 kroner.", "<b>Price:</b> NOK 12.",
	     "Pris: <b>15</b> kroner.", "Price: NOK <b>15</b>.", 0},
	    /* tied to a word the target does not have: the target keeps
	     * its tags (the old place), and with nothing else to adapt
	     * there is no adapted target */
	    {"Klikk <b>Lagre</b> nå.", "Click <b>Save</b> now.",
	     "Klikk Lagre <b>nå</b>.", NULL, 0},
	    /* between two words, tied to neither */
	    {"Fant %s filer i mappen.", "Found %s files in the folder.",
	     "Fant filer %s i mappen.", NULL, 0},
	    /* the number twice in the target: which one is unclear */
	    {"<b>Pris:</b> 12 kroner, 12 dager.",
	     "<b>Price:</b> NOK 12, 12 days.",
	     "Pris: <b>12</b> kroner, 12 dager.", NULL, 0},
	    /* two tags next to each other taken out: no space left over */
	    {"%s<b> 7 12.", "%s<b> 7 12.", "7%s <b>12.", "7%s <b>12.", 0},
	    {"Lagre <b></b>filen.", "Save <b></b>the file.",
	     "Lagre filen<b></b>.", NULL, 0},
	    {"7 Lagre 12 <b></b>", "7 Save 12 <b></b>", "<b>7</b> Lagre 12",
	     "<b>7</b> Save 12", 0},
	    /* two tags for one place */
	    {"Lagre <b></b> filen 7.", "Save <b></b> the file 7.",
	     "Lagre filen 7<b></b>.", NULL, 0},
	    /* the edge's punctuation differs in the target */
	    {"Fant %s filer i mappen.", "Found %s files in the folder!",
	     "Fant filer i mappen %s.", NULL, 0},
	};

	(void)st;
	check_adapt_cases(c, sizeof(c) / sizeof(c[0]));
}

static void moved_and_changed_tags_are_reported_in_the_diff(void **st)
{
	struct tm_match_opts o = {"nb", "en", 70, 5, 0};
	struct tm_match_result r;
	const char *q = "Trykk {1} for å lagre <b>filen</b>.";
	int64_t id;

	(void)st;
	add_pair("Trykk {0} for <b>å lagre</b> filen.",
		 "Press {0} to <b>save</b> the file.", &id);
	assert_int_equal(tm_match_lookup(matcher, q, &o, &r, NULL), 0);
	assert_int_equal(r.nmatches, 1);
	/* {1} for {0}; <b> where the source has none; </b> where the
	 * source has <b>; </b> the source lacks */
	assert_int_equal(r.matches[0].ndiff, 4);
	assert_int_equal(r.matches[0].diff[0].op, TM_DIFF_REPLACE);
	assert_memory_equal(q + r.matches[0].diff[0].q_off, "{1}", 3);
	assert_int_equal(r.matches[0].diff[1].op, TM_DIFF_INSERT);
	assert_int_equal(r.matches[0].diff[2].op, TM_DIFF_REPLACE);
	assert_int_equal(r.matches[0].diff[3].op, TM_DIFF_DELETE);
	assert_memory_equal(q + r.matches[0].diff[3].q_off, "</b>", 4);
	/* the tags moved between words: no adapted target */
	assert_null(r.matches[0].adapted);
	tm_match_result_release(&r);
	assert_int_equal(tm_store_delete(store, id, NULL), 0);
}

static void matches_say_where_they_came_from(void **st)
{
	struct tm_match_opts o = {"nb", "en", 70, 5, 0};
	struct tm_match_result r;
	struct tm_unit *u = NULL;
	size_t v;
	int64_t a, b;

	(void)st;
	assert_int_equal(tm_unit_new(&u), 0);
	assert_int_equal(tm_unit_set_origin(u, "nyheter.tmx"), 0);
	assert_int_equal(
	    tm_unit_set_attr(u, "creationdate", "20240101T090000Z"), 0);
	assert_int_equal(tm_unit_set_attr(u, "creationid", "kari"), 0);
	assert_int_equal(tm_unit_set_attr(u, "changedate", "20240601T120000Z"),
			 0);
	assert_int_equal(tm_unit_set_attr(u, "changeid", "ola"), 0);
	assert_int_equal(tm_unit_set_attr(u, "usagecount", "4"), 0);
	assert_int_equal(
	    tm_unit_add_variant(u, "nb", "Regjeringen går av.", NULL, &v, NULL),
	    0);
	assert_int_equal(tm_unit_add_variant(u, "en", "The government resigns.",
					     NULL, NULL, NULL),
			 0);
	assert_int_equal(
	    tm_unit_add_extra(u, v, TM_EXTRA_NOTE, "kilde: NTB", NULL), 0);
	assert_int_equal(
	    tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_NOTE, "sjekket", NULL),
	    0);
	assert_int_equal(tm_store_add(store, u, TM_DUP_KEEP, &a, NULL, NULL),
			 0);
	tm_unit_free(u);
	add_pair("Regjeringen går av.", "The Government steps down.", &b);

	assert_int_equal(
	    tm_match_lookup(matcher, "Regjeringen går av.", &o, &r, NULL), 0);
	assert_int_equal(r.nmatches, 2);
	/* dated before undated: the newest change first */
	assert_int_equal(r.matches[0].id, a);
	assert_string_equal(r.matches[0].origin, "nyheter.tmx");
	assert_string_equal(r.matches[0].created, "20240101T090000Z");
	assert_string_equal(r.matches[0].changed, "20240601T120000Z");
	assert_string_equal(r.matches[0].author, "ola");
	assert_int_equal(r.matches[0].usage, 4);
	assert_int_equal(r.matches[0].nnotes, 2);
	assert_string_equal(r.matches[0].notes[0], "sjekket");
	assert_string_equal(r.matches[0].notes[1], "kilde: NTB");
	/* nothing recorded: NULL and -1, never "" or 0 */
	assert_int_equal(r.matches[1].id, b);
	assert_null(r.matches[1].origin);
	assert_null(r.matches[1].created);
	assert_null(r.matches[1].changed);
	assert_null(r.matches[1].author);
	assert_int_equal(r.matches[1].usage, -1);
	assert_int_equal(r.matches[1].nnotes, 0);
	tm_match_result_release(&r);
	assert_int_equal(tm_store_delete(store, a, NULL), 0);
	assert_int_equal(tm_store_delete(store, b, NULL), 0);
}

/* ---- index against brute force ---------------------------------------- */

static uint64_t rng;

static unsigned rnd(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((rng >> 33) % n);
}

static const char *const vocab[] = {
    "og",
    "i",
    "det",
    "er",
    "på",
    "til",
    "en",
    "som",
    "for",
    "av",
    "med",
    "å",
    "de",
    "ikke",
    "har",
    "om",
    "Norge",
    "regjeringen",
    "Støre",
    "møtet",
    "ledere",
    "land",
    "Ukraina",
    "støtte",
    "fil",
    "lagre",
    "Klikk",
    "knappen",
    "Oslo",
    "kommune",
    "skolen",
    "elever",
    "Bergen",
    "været",
    "regn",
    "sentrum",
    "politiet",
    "bilen",
    "veien",
    "stengt",
    "Fredag",
    "åpner",
    "butikken",
    "prisene",
    "økte",
    "kroner",
    "milliarder",
    "NRK",
    "ÅPNE",
    "Møtet",
    "Økte",
    "Café",
    "cafe",
    "café",
    /* inflected forms and typos of the words above */
    "kommunen",
    "kommunene",
    "skolene",
    "elevene",
    "lagret",
    "filene",
    "knappene",
    "politi",
    "Ukrainas",
    "prisen",
    "regjering",
    "butikker",
    "kommume",
    "skolem",
    "polotiet",
    "knapen",
    "Ukrainna",
    "regjerimgen",
};

static const char *const tags[] = {"%s", "%d", "{0}", "<b>", "</b>", "<x/>"};

static void random_sentence(char *out, size_t cap)
{
	unsigned n = 2 + rnd(12), i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t l = strlen(out);
		unsigned r = rnd(100);

		if (r < 8)
			snprintf(out + l, cap - l, "%s%u", i ? " " : "",
				 rnd(3) ? rnd(100) : 1000 + rnd(90000));
		else if (r < 11)
			/* placeholders count as content, markup does not */
			snprintf(out + l, cap - l, "%s%s", i ? " " : "",
				 tags[rnd(sizeof(tags) / sizeof(tags[0]))]);
		else if (r < 14)
			snprintf(out + l, cap - l, ",");
		else
			/* skewed: small indexes far more often */
			snprintf(out + l, cap - l, "%s%s", i ? " " : "",
				 vocab[rnd(1 + rnd(sizeof(vocab) /
						   sizeof(vocab[0])))]);
	}
	if (rnd(2))
		strncat(out, ".", cap - strlen(out) - 1);
}

static void edit_sentence(const char *in, char *out, size_t cap)
{
	char words[64][64];
	size_t n = 0, i;
	const char *p = in;

	while (*p && n < 64) {
		size_t l = strcspn(p, " ");

		snprintf(words[n++], sizeof(words[0]), "%.*s", (int)l, p);
		p += l;
		p += strspn(p, " ");
	}
	switch (rnd(6)) {
	case 4: /* inflect a word */
		i = rnd((unsigned)n);
		strncat(words[i], rnd(2) ? "en" : "s",
			sizeof(words[0]) - strlen(words[i]) - 1);
		break;
	case 5: /* a typo: one letter replaced, dropped or doubled */
		i = rnd((unsigned)n);
		if (strlen(words[i]) > 3) {
			size_t at = 1 + rnd((unsigned)strlen(words[i]) - 2);

			if ((unsigned char)words[i][at] >= 0x80)
				break; /* keep the UTF-8 valid */
			if (rnd(3) == 0)
				memmove(words[i] + at, words[i] + at + 1,
					strlen(words[i] + at));
			else if (rnd(2) == 0)
				words[i][at] = words[i][at] == 'e' ? 'r' : 'e';
			else if (strlen(words[i]) < 62)
				memmove(words[i] + at + 1, words[i] + at,
					strlen(words[i] + at) + 1);
		}
		break;
	case 0: /* drop a word */
		if (n > 1) {
			i = rnd((unsigned)n);
			memmove(words[i], words[i + 1],
				(n - i - 1) * sizeof(words[0]));
			n--;
		}
		break;
	case 1: /* replace one */
		snprintf(words[rnd((unsigned)n)], sizeof(words[0]), "%s",
			 vocab[rnd(sizeof(vocab) / sizeof(vocab[0]))]);
		break;
	case 2: /* swap two */
		if (n > 1) {
			char t[64];

			i = rnd((unsigned)n - 1);
			memcpy(t, words[i], sizeof(t));
			memcpy(words[i], words[i + 1], sizeof(t));
			memcpy(words[i + 1], t, sizeof(t));
		}
		break;
	default: /* add one */
		if (n < 63)
			snprintf(words[n++], sizeof(words[0]), "%s",
				 vocab[rnd(sizeof(vocab) / sizeof(vocab[0]))]);
	}
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		strncat(out, words[i], cap - strlen(out) - 1);
		if (i + 1 < n)
			strncat(out, " ", cap - strlen(out) - 1);
	}
}

static void assert_same_results(const struct tm_match *a, size_t na,
				const struct tm_match *b, size_t nb)
{
	size_t i;

	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		assert_int_equal(a[i].id, b[i].id);
		assert_int_equal(a[i].score, b[i].score);
		assert_int_equal(a[i].q_off, b[i].q_off);
		assert_int_equal(a[i].q_len, b[i].q_len);
	}
}

static void check_queries(char (*units)[256], size_t nunits, size_t *found)
{
	static const int mins[] = {0, 30, 50, 70, 75, 85, 100};
	char q[600];
	size_t k, mi;

	for (k = 0; k < 120; k++) {
		if (k % 4 == 3) {
			random_sentence(q, sizeof(q));
		} else if (k % 8 == 2) {
			/* two sentences joined: partial matches */
			snprintf(q, sizeof(q), "%s %s", units[rnd(nunits)],
				 units[rnd(nunits)]);
		} else {
			edit_sentence(units[rnd(nunits)], q, sizeof(q));
		}
		for (mi = 0; mi < sizeof(mins) / sizeof(mins[0]); mi++) {
			struct tm_match_opts o = {"nb", "en", mins[mi], 1000,
						  0};
			struct tm_match_result a, b;

			assert_int_equal(
			    tm_match_lookup(matcher, q, &o, &a, NULL), 0);
			o.flags = TM_MATCH_EXHAUSTIVE;
			assert_int_equal(
			    tm_match_lookup(matcher, q, &o, &b, NULL), 0);
			assert_same_results(a.matches, a.nmatches, b.matches,
					    b.nmatches);
			assert_int_equal(a.partial_searched,
					 b.partial_searched);
			assert_same_results(a.partial, a.npartial, b.partial,
					    b.npartial);
			*found += a.nmatches + a.npartial;
			tm_match_result_release(&a);
			/* a top 3 stops scoring early: still the first 3 */
			o.flags = TM_MATCH_NO_PARTIAL;
			o.limit = 3;
			assert_int_equal(
			    tm_match_lookup(matcher, q, &o, &a, NULL), 0);
			assert_same_results(a.matches, a.nmatches, b.matches,
					    b.nmatches < 3 ? b.nmatches : 3);
			tm_match_result_release(&a);
			/* only the best score: the first's */
			o.flags = TM_MATCH_BEST;
			assert_int_equal(
			    tm_match_lookup(matcher, q, &o, &a, NULL), 0);
			assert_int_equal(a.best,
					 b.nmatches ? b.matches[0].score : -1);
			assert_int_equal(a.nmatches, 0);
			tm_match_result_release(&a);
			tm_match_result_release(&b);
		}
	}
}

/* Every key's unit count is its number of postings, every unit has
 * postings and no posting outlives its unit. */
/* A connection of the test's own: the library hands out none.  It sees
 * what the store has committed (WAL). */
static sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	return db;
}

/* Takes the connection's database from schema 10's unit.vars back to
 * schema 9's variant rows and lang_variant view, as an older tolk wrote
 * them (the user_version is the caller's). */
static void vars_to_rows(sqlite3 *db)
{
	sqlite3_stmt *rd, *wr;
	struct tm_vars_it it;
	struct tm_var v;

	assert_int_equal(
	    sqlite3_exec(
		db,
		"CREATE TABLE variant (id INTEGER PRIMARY KEY, unit_id INTEGER "
		"NOT NULL REFERENCES unit(id) ON DELETE CASCADE, seq INTEGER "
		"NOT NULL, lang TEXT NOT NULL, lang_key TEXT NOT NULL, text "
		"TEXT NOT NULL, markup TEXT, attrs BLOB, norm_key INTEGER);"
		"CREATE INDEX variant_unit ON variant(unit_id, seq);"
		"CREATE VIEW lang_variant AS SELECT v.*, (SELECT count(*) FROM "
		"variant x WHERE x.unit_id = v.unit_id AND x.lang_key = "
		"v.lang_key AND x.seq < v.seq) AS nth FROM variant v;",
		NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT id, vars FROM unit "
					    "ORDER BY id",
					    -1, &rd, NULL),
			 SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "INSERT INTO variant(unit_id, seq, lang, "
			       "lang_key, text, markup, attrs, norm_key) "
			       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
			       -1, &wr, NULL),
	    SQLITE_OK);
	while (sqlite3_step(rd) == SQLITE_ROW) {
		assert_int_equal(
		    tm_vars_init(&it, sqlite3_column_blob(rd, 1),
				 (size_t)sqlite3_column_bytes(rd, 1), NULL),
		    0);
		while (tm_vars_next(&it, &v, NULL) == 1) {
			sqlite3_bind_int64(wr, 1, sqlite3_column_int64(rd, 0));
			sqlite3_bind_int64(wr, 2, v.seq);
			sqlite3_bind_text(wr, 3, v.lang, -1, SQLITE_STATIC);
			sqlite3_bind_text(wr, 4, v.lkey, -1, SQLITE_STATIC);
			sqlite3_bind_text(wr, 5, v.text, -1, SQLITE_STATIC);
			if (v.markup)
				sqlite3_bind_text(wr, 6, v.markup, -1,
						  SQLITE_STATIC);
			if (v.attrs_len)
				sqlite3_bind_blob(wr, 7, v.attrs,
						  (int)v.attrs_len,
						  SQLITE_STATIC);
			if (v.has_key)
				sqlite3_bind_int64(wr, 8, v.norm_key);
			assert_int_equal(sqlite3_step(wr), SQLITE_DONE);
			sqlite3_reset(wr);
			sqlite3_clear_bindings(wr);
		}
	}
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	assert_int_equal(sqlite3_exec(db, "ALTER TABLE unit DROP COLUMN vars",
				      NULL, NULL, NULL),
			 SQLITE_OK);
}

/* A varint of the inline records at b[*i..n). */
static uint64_t rec_varint(const unsigned char *b, int n, int *i)
{
	uint64_t v = 0;
	int shift = 0;

	do {
		assert_true(*i < n);
		v |= (uint64_t)(b[*i] & 0x7f) << shift;
		shift += 7;
	} while (b[(*i)++] & 0x80);
	return v;
}

/* The keys with one unit, as entries of their bucket's row in match_one
 * (tm/match.c: the bucket is the key's high 14 bits, as a signed number;
 * an entry the gap of the key's low 50 bits from the entry before's, its
 * len and its unit, as LEB128), each into all_blk as a block of its unit
 * alone; every key's count, from match_tok or 1 for these, into the
 * connection's temporary table all_tok(tok, n). */
static void all_ones(sqlite3 *db)
{
	sqlite3_stmt *rd, *wr, *cnt;

	assert_int_equal(sqlite3_exec(db,
				      "CREATE TEMP TABLE all_tok AS SELECT "
				      "tok, n FROM match_tok",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT b, post FROM match_one",
					    -1, &rd, NULL),
			 SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "INSERT INTO all_blk VALUES (?1, ?2, ?3, NULL)",
			       -1, &wr, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "INSERT INTO all_tok VALUES "
					    "(?1, 1)",
					    -1, &cnt, NULL),
			 SQLITE_OK);
	while (sqlite3_step(rd) == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(rd, 1);
		int n = sqlite3_column_bytes(rd, 1), i = 0;
		int64_t bucket = sqlite3_column_int64(rd, 0);
		uint64_t low = 0;

		/* no bucket's row is empty */
		assert_true(n > 0);
		assert_true(bucket >= -8192 && bucket < 8192);
		while (i < n) {
			uint64_t gap = rec_varint(b, n, &i);
			int64_t tok;

			/* keys ascending, each once */
			assert_true(gap > 0 || i == 1);
			low += gap;
			assert_true(low < ((uint64_t)1 << 50));
			tok = (int64_t)(((uint64_t)bucket << 50) | low);
			sqlite3_bind_int64(wr, 1, tok);
			sqlite3_bind_int64(wr, 2,
					   (int64_t)rec_varint(b, n, &i));
			sqlite3_bind_int64(wr, 3,
					   (int64_t)rec_varint(b, n, &i));
			assert_int_equal(sqlite3_step(wr), SQLITE_DONE);
			sqlite3_reset(wr);
			sqlite3_bind_int64(cnt, 1, tok);
			assert_int_equal(sqlite3_step(cnt), SQLITE_DONE);
			sqlite3_reset(cnt);
		}
	}
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	sqlite3_finalize(cnt);
	/* a key is in its row or in its bucket, never both */
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*) - count(DISTINCT "
					    "tok) FROM all_tok",
					    -1, &rd, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(rd), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(rd, 0), 0);
	sqlite3_finalize(rd);
}

/* Every block of the index, in match_blk or inline in its key's row
 * (records: len, first, the gaps' byte count, the gaps), into the
 * connection's temporary table all_blk(tok, len, first, ids). */
static void all_blocks(sqlite3 *db)
{
	sqlite3_stmt *rd, *wr;

	assert_int_equal(sqlite3_exec(db,
				      "CREATE TEMP TABLE all_blk AS SELECT "
				      "tok, len, first, ids FROM match_blk",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT tok, post FROM match_tok "
					    "WHERE post IS NOT NULL",
					    -1, &rd, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(
			     db, "INSERT INTO all_blk VALUES (?1, ?2, ?3, ?4)",
			     -1, &wr, NULL),
			 SQLITE_OK);
	while (sqlite3_step(rd) == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(rd, 1);
		int n = sqlite3_column_bytes(rd, 1), i = 0;
		int64_t len, first, nb, last = -1;

		/* no key's row is empty: a key without postings has none */
		assert_true(n > 0);
		while (i < n) {
			len = (int64_t)rec_varint(b, n, &i);
			first = (int64_t)rec_varint(b, n, &i);
			nb = (int64_t)rec_varint(b, n, &i);
			assert_true(i + nb <= n);
			/* sorted by len and first */
			assert_true(len * ((int64_t)1 << 40) + first > last);
			last = len * ((int64_t)1 << 40) + first;
			sqlite3_bind_int64(wr, 1, sqlite3_column_int64(rd, 0));
			sqlite3_bind_int64(wr, 2, len);
			sqlite3_bind_int64(wr, 3, first);
			if (nb)
				sqlite3_bind_blob(wr, 4, b + i, (int)nb,
						  SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(wr, 4);
			assert_int_equal(sqlite3_step(wr), SQLITE_DONE);
			sqlite3_reset(wr);
			i += (int)nb;
		}
	}
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	all_ones(db);
	/* a key's blocks are inline or in match_blk, never both */
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*) FROM match_tok t "
					    "WHERE post IS NOT NULL AND EXISTS "
					    "(SELECT 1 FROM match_blk b WHERE "
					    "b.tok = t.tok)",
					    -1, &rd, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(rd), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(rd, 0), 0);
	sqlite3_finalize(rd);
}

/* The postings of the blocks (tm/match.c: the first unit, then
 * LEB128 gaps) into the connection's temporary table post(tok, unit_id). */
static void unpack_postings(sqlite3 *db)
{
	sqlite3_stmt *rd, *wr;

	all_blocks(db);
	assert_int_equal(sqlite3_exec(db,
				      "CREATE TEMP TABLE post(tok INTEGER, "
				      "unit_id INTEGER)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT tok, first, ids FROM "
					    "all_blk",
					    -1, &rd, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "INSERT INTO post VALUES (?1, ?2)",
					    -1, &wr, NULL),
			 SQLITE_OK);
	while (sqlite3_step(rd) == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(rd, 2);
		int n = sqlite3_column_bytes(rd, 2), i = 0, shift;
		int64_t id = sqlite3_column_int64(rd, 1);
		uint64_t v;

		for (;;) {
			sqlite3_bind_int64(wr, 1, sqlite3_column_int64(rd, 0));
			sqlite3_bind_int64(wr, 2, id);
			assert_int_equal(sqlite3_step(wr), SQLITE_DONE);
			sqlite3_reset(wr);
			if (i >= n)
				break;
			for (v = 0, shift = 0; i < n; shift += 7) {
				v |= (uint64_t)(b[i] & 0x7f) << shift;
				if (!(b[i++] & 0x80))
					break;
			}
			assert_true(v > 0);
			id += (int64_t)v;
		}
	}
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
}

static void assert_index_consistent(void)
{
	sqlite3 *db = raw_open(dbpath);
	sqlite3_stmt *st;

	unpack_postings(db);
	assert_int_equal(
	    sqlite3_prepare_v2(
		db,
		"SELECT (SELECT count(*) FROM all_tok d WHERE n != "
		" (SELECT count(*) FROM post p WHERE p.tok = d.tok)) + "
		"(SELECT count(*) FROM (SELECT DISTINCT tok FROM post) "
		" WHERE tok NOT IN (SELECT tok FROM all_tok)) + "
		"(SELECT count(*) FROM unit u WHERE NOT EXISTS "
		" (SELECT 1 FROM post p WHERE p.unit_id = u.id)) + "
		"(SELECT count(*) FROM post WHERE unit_id NOT IN "
		" (SELECT id FROM unit))",
		-1, &st, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void index_finds_what_brute_force_finds_on_random_tms(void **st)
{
	static char units[600][256];
	int64_t ids[600];
	size_t i, found = 0, checked;

	(void)st;
	rng = 20240611;
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 600; i++) {
		random_sentence(units[i], sizeof(units[i]));
		if (i % 5 == 4)
			add_reversed(units[i], "x", &ids[i]);
		else
			add_pair(units[i], "x", &ids[i]);
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_index_consistent();
	/* a lookup scores a few candidates, not the TM */
	for (i = 0, checked = 0; i < 600; i += 7) {
		struct tm_match_opts o = {"nb", "en", 70, 5, 0};
		struct tm_match_result r;

		if (strlen(units[i]) < 30)
			continue;
		assert_int_equal(
		    tm_match_lookup(matcher, units[i], &o, &r, NULL), 0);
		assert_true(r.nmatches >= 1);
		assert_int_equal(r.matches[0].score, 100);
		assert_true(r.candidates < 60);
		tm_match_result_release(&r);
		checked++;
	}
	assert_true(checked >= 10);
	check_queries(units, 600, &found);
	assert_true(found > 100);
	/* the index follows deletes */
	for (i = 0; i < 600; i += 3)
		assert_int_equal(tm_store_delete(store, ids[i], NULL), 0);
	assert_index_consistent();
	found = 0;
	check_queries(units, 600, &found);
	assert_true(found > 50);
	/* and a rebuild gives the same answers */
	assert_int_equal(tm_match_reindex(store, NULL, NULL, NULL), 0);
	assert_index_consistent();
	check_queries(units, 600, &found);
}

/* A test on a TM of its own: the shared TM's globals are put aside by
 * own_tm_open and given back by own_tm_close. */
struct own_tm {
	struct tm_store *store;
	struct tm_matcher *matcher;
	char path[sizeof(dbpath)];
};

static void own_tm_open(struct own_tm *o, const char *name)
{
	o->store = store;
	o->matcher = matcher;
	memcpy(o->path, dbpath, sizeof(o->path));
	snprintf(dbpath, sizeof(dbpath), "%s/%s", test_dir, name);
	assert_int_equal(tm_store_open(&store, dbpath, 0, NULL), 0);
	assert_int_equal(tm_matcher_new(&matcher, store, NULL), 0);
}

static void own_tm_close(struct own_tm *o)
{
	tm_matcher_free(matcher);
	tm_store_close(store);
	store = o->store;
	matcher = o->matcher;
	memcpy(dbpath, o->path, sizeof(dbpath));
}

/* What the index holds (rows: index_rows or index_postings) is what a
 * rebuild from the units writes, whatever path wrote it. */
static void assert_rebuild_same(char *(*rows)(void))
{
	char *written = rows(), *rebuilt;

	assert_int_equal(tm_match_index_tune(store, 0, 0, NULL), 0);
	assert_int_equal(tm_match_reindex(store, NULL, NULL, NULL), 0);
	rebuilt = rows();
	assert_string_equal(written, rebuilt);
	free(written);
	free(rebuilt);
}

/* Units whose ids are above 2^22 (a TM whose ids have grown: the gathered
 * postings' radix sort then has a third digit), looked up alone (the
 * prefix's kept lists merged) and inside a transaction (its postings
 * gathered and sorted): the same as an exhaustive lookup. */
static void large_unit_ids_find_what_brute_force_finds(void **st)
{
	static char units[300][256];
	struct own_tm own;
	sqlite3 *db;
	int64_t id;
	size_t i, found = 0;

	(void)st;
	rng = 20261130;
	own_tm_open(&own, "large-ids.db");
	/* a row of no language: SQLite gives the units after it larger
	 * ids */
	db = raw_open(dbpath);
	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO unit(id, dup_hi, dup_lo, "
				      "src_key) VALUES (6000000, 0, 0, 'x')",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 300; i++) {
		if (i % 3 == 2)
			edit_sentence(units[rnd((unsigned)i)], units[i],
				      sizeof(units[i]));
		else
			random_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &id);
		assert_true(id > 6000000);
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	check_queries(units, 300, &found);
	assert_true(found > 50);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	found = 0;
	check_queries(units, 300, &found);
	assert_true(found > 50);
	tm_store_rollback(store);
	own_tm_close(&own);
}

/* Lookups as a pre-translation makes them, one after the other on one
 * matcher (the best few from 75, 85 or 50): the second time round the
 * query's common words have their lists kept, and a unit the prefix's
 * merge finds is counted against them at once (later_keep), through
 * their similar words' keys too (a third of the units are edited
 * copies: inflected and misspelt words).  Both rounds find what an
 * exhaustive lookup finds. */
static void
repeated_lookups_with_kept_lists_find_what_brute_force_finds(void **st)
{
	static const int mins[] = {75, 85, 50};
	static char units[400][256], q[150][256];
	struct own_tm own;
	int64_t id;
	size_t i, k, round, found = 0;

	(void)st;
	rng = 20261129;
	own_tm_open(&own, "kept-later.db");
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 400; i++) {
		if (i % 3 == 2)
			edit_sentence(units[rnd((unsigned)i)], units[i],
				      sizeof(units[i]));
		else
			random_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &id);
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	for (k = 0; k < 150; k++)
		edit_sentence(units[rnd(400)], q[k], sizeof(q[k]));
	for (round = 0; round < 2; round++) {
		for (k = 0; k < 150; k++) {
			struct tm_match_opts o = {"nb", "en", mins[k % 3], 4,
						  TM_MATCH_NO_PARTIAL |
						      TM_MATCH_BRIEF};
			struct tm_match_result a, b;

			/* the best 4, as a fill asks, then all of them */
			assert_int_equal(
			    tm_match_lookup(matcher, q[k], &o, &a, NULL), 0);
			o.limit = 1000;
			o.flags = TM_MATCH_NO_PARTIAL | TM_MATCH_EXHAUSTIVE;
			assert_int_equal(
			    tm_match_lookup(matcher, q[k], &o, &b, NULL), 0);
			assert_same_results(a.matches, a.nmatches, b.matches,
					    b.nmatches < 4 ? b.nmatches : 4);
			tm_match_result_release(&a);
			o.flags = TM_MATCH_NO_PARTIAL;
			assert_int_equal(
			    tm_match_lookup(matcher, q[k], &o, &a, NULL), 0);
			assert_same_results(a.matches, a.nmatches, b.matches,
					    b.nmatches);
			found += a.nmatches;
			tm_match_result_release(&a);
			tm_match_result_release(&b);
		}
	}
	assert_true(found > 60);
	own_tm_close(&own);
}

/* Threads whose read transactions began at one state of the database
 * share their kept posting lists (tm_matcher_share): each thread's
 * lookups, in its own order and at several bands so that the lists are
 * read and widened while the other reads them, find what an exhaustive
 * lookup finds. */
struct share_run {
	struct tm_matcher *m;
	char (*q)[256];
	size_t nq, start;
	struct tm_match_result *want;
	size_t wrong, lookups;
};

static const int share_mins[] = {85, 50, 70};
#define SHARE_NMIN (sizeof(share_mins) / sizeof(share_mins[0]))

static void *share_main(void *arg)
{
	struct share_run *r = arg;
	size_t k, i, j, mi;

	for (k = 0; k < r->nq * SHARE_NMIN; k++) {
		const struct tm_match_result *b;
		struct tm_match_result a;
		struct tm_match_opts o = {"nb", "en", 0, 50,
					  TM_MATCH_NO_PARTIAL};

		/* the bands vary from lookup to lookup */
		i = (r->start + k) % r->nq;
		mi = (k + r->start) % SHARE_NMIN;
		o.min_score = share_mins[mi];
		if (tm_match_lookup(r->m, r->q[i], &o, &a, NULL)) {
			r->wrong++;
			continue;
		}
		r->lookups++;
		b = &r->want[i * SHARE_NMIN + mi];
		if (a.nmatches != b->nmatches)
			r->wrong++;
		for (j = 0; j < a.nmatches && j < b->nmatches; j++)
			if (a.matches[j].id != b->matches[j].id ||
			    a.matches[j].score != b->matches[j].score)
				r->wrong++;
		tm_match_result_release(&a);
	}
	return NULL;
}

static void threads_sharing_kept_lists_find_what_brute_force_finds(void **st)
{
	enum { NU = 500, NQ = 60, NT = 3 };
	static char units[NU][256], q[NQ][256];
	static struct tm_match_result want[NQ * SHARE_NMIN];
	struct tm_store *s[NT];
	struct tm_matcher *m[NT];
	struct share_run run[NT];
	pthread_t th[NT];
	struct tm_match_share *sh = NULL;
	struct tm_store *lock = NULL;
	int64_t id;
	size_t i, mi, found = 0;

	(void)st;
	rng = 20261129;
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < NU; i++) {
		/* a third edited copies of others: inflected and misspelt
		 * words, found through the similar words' keys */
		if (i % 3 == 2)
			edit_sentence(units[rnd((unsigned)i)], units[i],
				      sizeof(units[i]));
		else
			random_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &id);
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	for (i = 0; i < NQ; i++) {
		edit_sentence(units[rnd(NU)], q[i], sizeof(q[i]));
		for (mi = 0; mi < SHARE_NMIN; mi++) {
			struct tm_match_opts o = {
			    "nb", "en", share_mins[mi], 50,
			    TM_MATCH_NO_PARTIAL | TM_MATCH_EXHAUSTIVE};

			assert_int_equal(
			    tm_match_lookup(matcher, q[i], &o,
					    &want[i * SHARE_NMIN + mi], NULL),
			    0);
			found += want[i * SHARE_NMIN + mi].nmatches;
		}
	}
	assert_true(found > 50);
	/* the reads begin while the write lock is held: one state */
	assert_int_equal(tm_store_open(&lock, dbpath, 0, NULL), 0);
	assert_int_equal(tm_db_begin(tm_store_db(lock), TM_DB_WRITE, NULL), 0);
	assert_int_equal(tm_match_share_new(&sh, NULL), 0);
	for (i = 0; i < NT; i++) {
		assert_int_equal(
		    tm_store_open(&s[i], dbpath, TM_STORE_MUST_EXIST, NULL), 0);
		assert_int_equal(tm_matcher_new(&m[i], s[i], NULL), 0);
		assert_int_equal(
		    tm_db_begin(tm_store_db(s[i]), TM_DB_READ, NULL), 0);
		tm_matcher_snapshot(m[i], 1);
		assert_int_equal(tm_matcher_share(m[i], sh, NULL), 0);
	}
	tm_db_rollback(tm_store_db(lock));
	tm_store_close(lock);
	for (i = 0; i < NT; i++) {
		run[i] = (struct share_run){m[i], q, NQ, i * 17, want, 0, 0};
		assert_int_equal(
		    pthread_create(&th[i], NULL, share_main, &run[i]), 0);
	}
	for (i = 0; i < NT; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(run[i].wrong, 0);
		assert_int_equal(run[i].lookups, NQ * SHARE_NMIN);
	}
	for (i = 0; i < NT; i++) {
		tm_matcher_snapshot(m[i], 0);
		tm_db_rollback(tm_store_db(s[i]));
		tm_matcher_free(m[i]);
		tm_store_close(s[i]);
	}
	tm_match_share_free(sh);
	for (i = 0; i < NQ * SHARE_NMIN; i++)
		tm_match_result_release(&want[i]);
}

static void rolled_back_adds_leave_no_postings(void **st)
{
	struct tm_match_opts o = {"nb", "en", 70, 5, 0};
	struct tm_match_result r;
	int64_t id;

	(void)st;
	assert_int_equal(tm_store_begin(store, NULL), 0);
	add_pair("Denne setningen blir aldri lagret i minnet.", "x", &id);
	tm_store_rollback(store);
	assert_index_consistent();
	assert_int_equal(tm_match_lookup(matcher,
					 "Denne setningen blir aldri lagret i "
					 "minnet.",
					 &o, &r, NULL),
			 0);
	assert_int_equal(r.nmatches, 0);
	tm_match_result_release(&r);
	/* the same in a new transaction is found */
	assert_int_equal(tm_store_begin(store, NULL), 0);
	add_pair("Denne setningen blir aldri lagret i minnet.", "x", &id);
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_index_consistent();
	assert_int_equal(tm_match_lookup(matcher,
					 "Denne setningen blir aldri lagret i "
					 "minnet.",
					 &o, &r, NULL),
			 0);
	assert_int_equal(r.nmatches, 1);
	tm_match_result_release(&r);
	assert_int_equal(tm_store_delete(store, id, NULL), 0);
	assert_index_consistent();
}

/* The rows of the index's blocks and counts, in order, as one text. */
static char *index_rows(void)
{
	sqlite3 *db = raw_open(dbpath);
	sqlite3_stmt *q;
	size_t n = 0, cap = 1 << 16;
	char *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT tok || ' ' || len || ' ' || first || ' "
			       "' || hex(ids) FROM match_blk UNION ALL "
			       "SELECT tok || ' ' || n || ' ' || "
			       "coalesce(hex(post), '') FROM match_tok "
			       "UNION ALL SELECT 'one ' || b || ' ' || "
			       "hex(post) FROM match_one ORDER BY 1",
			       -1, &q, NULL),
	    SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(q, 0);
		size_t k = strlen(r);

		while (n + k + 2 > cap)
			assert_non_null(out = realloc(out, cap *= 2));
		memcpy(out + n, r, k);
		n += k;
		out[n++] = '\n';
	}
	out[n] = '\0';
	sqlite3_finalize(q);
	sqlite3_close(db);
	return out;
}

static void spilled_and_threaded_postings_equal_a_rebuild(void **st)
{
	static char units[900][256];
	struct own_tm own;
	int64_t id;
	size_t i, found = 0;

	(void)st;
	/* a TM of its own: a rebuild packs blocks that deletes left */
	own_tm_open(&own, "spill.db");
	rng = 20261129;
	/* runs of 40 postings (a few units), the thread from the 20th text */
	assert_int_equal(tm_match_index_tune(store, 40, 20, NULL), 0);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 900; i++) {
		random_sentence(units[i], sizeof(units[i]));
		/* two savepoints rolled back: one within the postings
		 * still buffered, one reaching back into spilled runs */
		if (i == 300 || i == 600)
			assert_int_equal(tm_store_begin(store, NULL), 0);
		add_pair(units[i], "x", &id);
		if (i == 302 || i == 700)
			tm_store_rollback(store);
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_index_consistent();
	check_queries(units, 900, &found);
	assert_true(found > 100);
	assert_rebuild_same(index_rows);
	own_tm_close(&own);
}

/* A unit of eight made-up words of a vocabulary of 30,000: each word a
 * key of its own, met a few times in 9,000 units. */
static void rare_words(char *out, size_t cap)
{
	size_t n = 0, i, j, len;
	uint64_t h;

	for (i = 0; i < 8 && n + 12 < cap; i++) {
		h = (rnd(30000) + 1) * 0x9e3779b97f4a7c15ULL;
		len = 4 + (size_t)(h >> 60) % 6;
		if (i)
			out[n++] = ' ';
		for (j = 0; j < len; j++)
			out[n++] = (char)('a' + (h >> (5 * j)) % 26);
	}
	out[n] = '\0';
}

/* Tens of thousands of keys buffered at once, so that the sort of the
 * postings meets buckets where several keys and the units of each lie
 * interleaved: the index is the one written from runs of a few hundred
 * postings merged (a sort that left a key's postings apart or its units
 * out of order would write the key twice or its gaps wrong). */
static void many_keys_sorted_at_once_equal_small_runs_merged(void **st)
{
	static char unit[128];
	struct own_tm own;
	char *once, *merged;
	int64_t id;
	size_t i;

	(void)st;
	own_tm_open(&own, "many-keys.db");
	rng = 20261201;
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 9000; i++) {
		rare_words(unit, sizeof(unit));
		add_pair(unit, "x", &id);
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	once = index_rows();
	assert_int_equal(tm_match_index_tune(store, 300, 0, NULL), 0);
	assert_int_equal(tm_match_reindex(store, NULL, NULL, NULL), 0);
	merged = index_rows();
	assert_string_equal(once, merged);
	free(once);
	free(merged);
	assert_int_equal(tm_match_index_tune(store, 0, 0, NULL), 0);
	own_tm_close(&own);
}

static long long raw_count(const char *sql)
{
	sqlite3 *db = raw_open(dbpath);
	sqlite3_stmt *q;
	long long n;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	n = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return n;
}

/* With on, the 500th match_tok row fails to insert, as on a full disk:
 * past the first batches handed over, so that the merging thread is
 * running or waiting when the writer gives up. */
static void index_write_fails(int on)
{
	sqlite3 *db = raw_open(dbpath);

	assert_int_equal(
	    sqlite3_exec(db,
			 on ? "CREATE TRIGGER boom BEFORE INSERT ON match_tok "
			      "WHEN (SELECT count(*) FROM match_tok) >= 100 "
			      "BEGIN SELECT RAISE(ABORT, 'boom'); END"
			    : "DROP TRIGGER boom",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
}

/* A rolled-back write left no unit and no index row. */
static void assert_tm_empty(void)
{
	assert_int_equal(raw_count("SELECT (SELECT count(*) FROM unit) + "
				   "(SELECT count(*) FROM match_blk) + "
				   "(SELECT count(*) FROM match_tok) + "
				   "(SELECT count(*) FROM match_one)"),
			 0);
}

/* Into an empty index the spilled runs are merged on a thread of their
 * own while this one writes the blocks: a write failing half-way (here a
 * trigger, as a full disk would) fails the commit, leaves the TM as it
 * was, and the next transaction writes the whole index. */
static void a_failing_merge_leaves_the_tm_as_before(void **st)
{
	static char units[900][256];
	struct own_tm own;
	struct tolk_err err;
	int64_t id;
	size_t i, found = 0;

	(void)st;
	own_tm_open(&own, "mergefail.db");
	index_write_fails(1);
	rng = 20261201;
	assert_int_equal(tm_match_index_tune(store, 40, 20, NULL), 0);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 900; i++) {
		random_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &id);
	}
	memset(&err, 0, sizeof(err));
	assert_int_not_equal(tm_store_commit(store, &err), 0);
	assert_non_null(strstr(err.msg, "boom"));
	tm_store_rollback(store);
	assert_tm_empty();

	index_write_fails(0);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 900; i++)
		add_pair(units[i], "x", &id);
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_true(raw_count("SELECT count(*) FROM match_tok") > 100);
	assert_index_consistent();
	check_queries(units, 900, &found);
	assert_true(found > 100);
	assert_rebuild_same(index_rows);
	own_tm_close(&own);
}

/* An import that has handed over its texts starts the merge early
 * (tm_match_index_premerge, on the indexing thread): rolled back, it
 * leaves nothing; stopped by more texts, and started again, the commit
 * writes the index a rebuild writes; a write failing half-way through
 * its batches fails the commit. */
static void an_early_merge_rolled_back_stopped_or_failed_is_safe(void **st)
{
	static char units[1200][256];
	struct own_tm own;
	struct tolk_err err;
	int64_t id;
	size_t i, found = 0;

	(void)st;
	own_tm_open(&own, "premerge.db");
	rng = 20261130;
	for (i = 0; i < 1200; i++)
		random_sentence(units[i], sizeof(units[i]));
	assert_int_equal(tm_match_index_tune(store, 40, 20, NULL), 0);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 900; i++)
		add_pair(units[i], "x", &id);
	tm_match_index_premerge(store);
	/* time for the merge to begin, most often: stopped half-way */
	usleep(100000);
	tm_store_rollback(store);
	assert_tm_empty();

	index_write_fails(1);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 900; i++)
		add_pair(units[i], "x", &id);
	tm_match_index_premerge(store);
	memset(&err, 0, sizeof(err));
	assert_int_not_equal(tm_store_commit(store, &err), 0);
	assert_non_null(strstr(err.msg, "boom"));
	tm_store_rollback(store);
	assert_int_equal(raw_count("SELECT count(*) FROM match_tok"), 0);
	index_write_fails(0);

	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 900; i++)
		add_pair(units[i], "x", &id);
	tm_match_index_premerge(store);
	usleep(100000);
	/* more texts: the merge stops, its runs stay for the next */
	for (; i < 1200; i++)
		add_pair(units[i], "x", &id);
	tm_match_index_premerge(store);
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_true(raw_count("SELECT count(*) FROM match_tok") > 100);
	assert_index_consistent();
	check_queries(units, 1200, &found);
	assert_true(found > 100);
	assert_rebuild_same(index_rows);
	own_tm_close(&own);
}

/* The postings and counts of the index, one per line, sorted: what a
 * rebuild must give whatever blocks deletes left behind. */
static char *index_postings(void)
{
	sqlite3 *db = raw_open(dbpath);
	sqlite3_stmt *q;
	size_t n = 0, cap = 1 << 16;
	char *out = malloc(cap), line[96];

	assert_non_null(out);
	all_blocks(db);
	assert_int_equal(
	    sqlite3_prepare_v2(db,
			       "SELECT tok, len, first, ids, NULL FROM all_blk "
			       "UNION ALL SELECT tok, NULL, NULL, NULL, n FROM "
			       "all_tok ORDER BY 1, 2, 3",
			       -1, &q, NULL),
	    SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW) {
		const unsigned char *b = sqlite3_column_blob(q, 3);
		int bn = sqlite3_column_bytes(q, 3), i = 0;
		long long unit = sqlite3_column_int64(q, 2);
		int k;

		if (sqlite3_column_type(q, 4) != SQLITE_NULL)
			k = snprintf(line, sizeof(line), "df %lld %lld\n",
				     sqlite3_column_int64(q, 0),
				     sqlite3_column_int64(q, 4));
		else
			k = snprintf(line, sizeof(line), "%lld %d %lld\n",
				     sqlite3_column_int64(q, 0),
				     sqlite3_column_int(q, 1), unit);
		for (;;) {
			unsigned long long gap = 0;
			int shift = 0;

			while (n + (size_t)k + 1 > cap)
				assert_non_null(out = realloc(out, cap *= 2));
			memcpy(out + n, line, (size_t)k);
			n += (size_t)k;
			if (i >= bn)
				break;
			/* the gaps to the block's next units, LEB128 */
			do {
				gap |= (unsigned long long)(b[i] & 0x7f)
				       << shift;
				shift += 7;
			} while (b[i++] & 0x80 && i < bn);
			unit += (long long)gap;
			k = snprintf(line, sizeof(line), "%lld %d %lld\n",
				     sqlite3_column_int64(q, 0),
				     sqlite3_column_int(q, 1), unit);
		}
	}
	out[n] = '\0';
	sqlite3_finalize(q);
	sqlite3_close(db);
	return out;
}

/* Sentences of few distinct words, so that most repeat one, up to ten
 * times: a stemmed form, an inflection and a typo of the commonest
 * among them (similar words), and now and then a number. */
static void repeat_sentence(char *out, size_t cap)
{
	static const char *const w[] = {"fisken", "fisk",  "fiskene", "fsiken",
					"båten",  "huset", "kommer",  "i"};
	unsigned n = 2 + rnd(10), i;

	out[0] = '\0';
	for (i = 0; i < n; i++) {
		size_t l = strlen(out);

		if (rnd(12) == 0)
			snprintf(out + l, cap - l, "%s%u", i ? " " : "",
				 rnd(50));
		else
			snprintf(out + l, cap - l, "%s%s", i ? " " : "",
				 w[rnd(1 + rnd(8))]);
	}
}

/* A word a text has several times is posted once more for each repeat
 * (up to a few): a query that repeats a word credits a unit only with
 * the repeats it has, and still finds what brute force finds, similar
 * words standing in for repeats included. */
static void repeated_words_count_as_brute_force_counts(void **st)
{
	static char units[700][256];
	struct own_tm own;
	struct tm_match_opts o = {"nb", "en", 75, 5, 0};
	struct tm_match_result r;
	int64_t id;
	size_t i, found = 0;

	(void)st;
	own_tm_open(&own, "repeats.db");
	rng = 20261201;
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 500; i++) {
		repeat_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &id);
	}
	/* a word once among four others: no match for a query that has
	 * it four times, and no candidate either */
	for (; i < 700; i++) {
		snprintf(units[i], sizeof(units[i]), "Måken %s over %s og %s.",
			 i % 2 ? "flyr" : "svever", i % 3 ? "havet" : "fjorden",
			 i % 5 ? "land" : "berg");
		add_pair(units[i], "x", &id);
	}
	add_pair("Måken måken måken måken og havet.", "x", &id);
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_index_consistent();
	check_queries(units, 500, &found);
	assert_true(found > 100);
	assert_int_equal(tm_match_lookup(matcher,
					 "Måken måken måken måken og fjorden.",
					 &o, &r, NULL),
			 0);
	assert_int_equal(r.nmatches, 1);
	assert_int_equal(r.matches[0].id, id);
	assert_true(r.candidates < 10);
	tm_match_result_release(&r);
	/* the repeat keys follow deletes and a rebuild */
	assert_int_equal(tm_store_delete(store, id, NULL), 0);
	assert_index_consistent();
	assert_int_equal(tm_match_reindex(store, NULL, NULL, NULL), 0);
	assert_index_consistent();
	own_tm_close(&own);
}

static void raw_exec(const char *sql)
{
	sqlite3 *db = raw_open(dbpath);

	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

/* A key's postings stay inline in its row while they are small and move
 * to match_blk when they grow past that (there to stay): added one unit at a
 * time, then in one transaction merged with what is there (spilled runs), and
 * taken out again, the index holds what a rebuild writes and finds what brute
 * force finds. */
static void inline_keys_grow_and_shrink_across_the_limit(void **st)
{
	static char units[700][256];
	int64_t ids[700];
	struct own_tm own;
	size_t i, found = 0;

	(void)st;
	own_tm_open(&own, "inline.db");
	rng = 20261129;
	/* 64 bytes rather than a kilobyte: as many keys cross it in a few
	 * hundred units as would in thousands */
	assert_int_equal(tm_match_index_inline_max(store, 64, NULL), 0);
	for (i = 0; i < 300; i++) {
		random_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &ids[i]);
		if (i == 40)
			raw_exec("CREATE TABLE t_inline AS SELECT tok FROM "
				 "match_tok WHERE post IS NOT NULL");
	}
	assert_index_consistent();
	/* keys that were inline after 40 units moved out since, and most
	 * keys are still inline */
	assert_true(raw_count("SELECT count(*) FROM match_tok WHERE post IS "
			      "NULL AND tok IN (SELECT tok FROM t_inline)") >
		    0);
	assert_true(
	    raw_count("SELECT count(*) FROM match_tok WHERE post IS NULL") <
	    raw_count("SELECT count(*) FROM match_tok WHERE post NOT NULL"));
	check_queries(units, 300, &found);
	/* into a TM that has them: runs of 40 postings merged with the
	 * inline lists and blocks there */
	raw_exec("DROP TABLE t_inline; CREATE TABLE t_inline AS SELECT tok "
		 "FROM match_tok WHERE post IS NOT NULL");
	assert_int_equal(tm_match_index_tune(store, 40, 20, NULL), 0);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (; i < 700; i++) {
		if (i % 4 == 0)
			edit_sentence(units[rnd((unsigned)i)], units[i],
				      sizeof(units[i]));
		else
			random_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &ids[i]);
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_int_equal(tm_match_index_tune(store, 0, 0, NULL), 0);
	assert_true(raw_count("SELECT count(*) FROM match_tok WHERE post IS "
			      "NULL AND tok IN (SELECT tok FROM t_inline)") >
		    0);
	assert_index_consistent();
	check_queries(units, 700, &found);
	/* most units out again, one at a time: inline lists shrink and
	 * go, keys without units lose their rows */
	for (i = 0; i < 700; i++)
		if (i % 5 != 0) {
			assert_int_equal(tm_store_delete(store, ids[i], NULL),
					 0);
		}
	assert_int_equal(
	    raw_count("SELECT count(*) FROM match_tok WHERE n <= 0"), 0);
	assert_index_consistent();
	for (i = 0; i < 140; i++)
		memmove(units[i], units[5 * i], sizeof(units[i]));
	check_queries(units, 140, &found);
	assert_true(found > 100);
	assert_rebuild_same(index_postings);
	own_tm_close(&own);
}

/* A TM of the schema before the keys' rows (every block in match_blk,
 * the counts in match_df) is upgraded when it is opened, with no
 * reindex: lookups find what brute force finds, and adds and deletes
 * keep it whole. */
static void a_tm_of_the_previous_schema_needs_no_reindex(void **st)
{
	static char units[400][256];
	int64_t ids[400];
	struct own_tm own;
	char sql[160];
	sqlite3 *db;
	size_t i, found = 0;

	(void)st;
	own_tm_open(&own, "previous.db");
	rng = 20261128;
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 300; i++) {
		random_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &ids[i]);
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	tm_matcher_free(matcher);
	tm_store_close(store);
	/* back to schema 8: the key rows' inline blocks as match_blk
	 * rows, their counts in match_df (and the variants in rows, as
	 * schema 9 had them) */
	db = raw_open(dbpath);
	all_blocks(db);
	vars_to_rows(db);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", 8);
	assert_int_equal(
	    sqlite3_exec(db,
			 "DELETE FROM match_blk; INSERT INTO match_blk "
			 "SELECT * FROM all_blk; CREATE TABLE match_df (tok "
			 "INTEGER PRIMARY KEY, n INTEGER NOT NULL); INSERT "
			 "INTO match_df SELECT tok, n FROM all_tok; DROP "
			 "TABLE match_tok; DROP TABLE match_one;",
			 NULL, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(tm_store_open(&store, dbpath, 0, NULL), 0);
	assert_int_equal(tm_matcher_new(&matcher, store, NULL), 0);
	assert_int_equal(
	    raw_count("SELECT count(*) FROM match_tok WHERE post NOT NULL"), 0);
	assert_index_consistent();
	check_queries(units, 300, &found);
	for (i = 300; i < 400; i++) {
		random_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &ids[i]);
		if (i % 3 == 0) {
			size_t k = (i * 7) % 300;

			/* the text stays a query: for what is left */
			assert_int_equal(tm_store_delete(store, ids[k], NULL),
					 0);
		}
	}
	/* new keys (of one unit: in their buckets) beside old keys'
	 * blocks */
	assert_true(raw_count("SELECT count(*) FROM match_one") > 0);
	assert_index_consistent();
	check_queries(units, 400, &found);
	assert_true(found > 100);
	assert_rebuild_same(index_postings);
	own_tm_close(&own);
}

static void interleaved_adds_removes_and_rollbacks_equal_a_rebuild(void **st)
{
	static char units[400][256];
	int64_t ids[400], saved[400];
	struct own_tm own;
	size_t i, found = 0;

	(void)st;
	own_tm_open(&own, "interleaved.db");
	rng = 20261130;
	/* runs of 40 postings, the thread from the 20th text: removals
	 * of units whose postings were spilled or are with the thread */
	assert_int_equal(tm_match_index_tune(store, 40, 20, NULL), 0);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 200; i++) {
		random_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &ids[i]);
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 200; i < 400; i++) {
		size_t old = (i * 7 + 3) % (i - 1);

		/* savepoints that take removals and adds with them: one
		 * opened with removals waiting, one around a replace */
		if (i == 250 || i == 330) {
			assert_int_equal(tm_store_begin(store, NULL), 0);
			memcpy(saved, ids, sizeof(ids));
		}
		random_sentence(units[i], sizeof(units[i]));
		/* a replace: an old unit out, a new one in */
		if (ids[old] && i % 3 == 0) {
			assert_int_equal(tm_store_delete(store, ids[old], NULL),
					 0);
			ids[old] = 0;
		}
		add_pair(units[i], "x", &ids[i]);
		/* a unit of this transaction out again, its postings still
		 * waiting: that flushes, also within a savepoint (what the
		 * outer level buffered must not go with its rollback) */
		if (i % 11 == 0 && ids[i - 1]) {
			assert_int_equal(
			    tm_store_delete(store, ids[i - 1], NULL), 0);
			ids[i - 1] = 0;
		}
		if (i == 270 || i == 335) {
			tm_store_rollback(store);
			memcpy(ids, saved, sizeof(ids));
		}
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_index_consistent();
	check_queries(units, 400, &found);
	assert_rebuild_same(index_postings);
	own_tm_close(&own);
}

/* Keys with one unit are entries of their bucket's row (match_one), not
 * rows of their own: written so into an empty index, a bucket that is
 * full leaving a key its row; a key that gets a second unit moves to
 * match_tok, one that deletes leave with one unit moves back, one left
 * with none goes, and a bucket left empty goes; the buckets' rewrites,
 * a few changes at a time, lose none of them. */
static void one_posting_keys_live_in_buckets_and_move_as_they_change(void **st)
{
	static char units[700][256];
	int64_t ids[700];
	struct own_tm own;
	size_t i, found = 0;
	long long ones, single_rows;

	(void)st;
	own_tm_open(&own, "ones.db");
	rng = 20261130;
	/* a bucket's row one entry at most, into an empty index through
	 * the spilled runs and their merge on a thread; the changes of the
	 * single writes below rewritten three at a time */
	assert_int_equal(tm_match_index_tune(store, 40, 20, NULL), 0);
	assert_int_equal(tm_match_index_one_limits(store, 40, 3, NULL), 0);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 500; i++) {
		random_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &ids[i]);
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_index_consistent();
	ones = raw_count("SELECT count(*) FROM match_one");
	single_rows = raw_count("SELECT count(*) FROM match_tok WHERE n = 1 "
				"AND post IS NOT NULL");
	/* most keys with one unit in buckets, those of a full one in rows */
	assert_true(ones > 100);
	assert_true(single_rows > 0);
	assert_true(single_rows < ones);
	assert_int_equal(
	    raw_count("SELECT count(*) FROM match_tok WHERE n = 1 "
		      "AND post IS NOT NULL AND NOT EXISTS (SELECT 1 "
		      "FROM match_one WHERE b = (tok >> 50))"),
	    0);
	check_queries(units, 500, &found);

	/* copies of units already there (their keys get a second unit),
	 * new ones, and deletes that leave keys one unit or none */
	assert_int_equal(tm_match_index_one_limits(store, 0, 3, NULL), 0);
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 500; i < 700; i++) {
		if (i % 2)
			edit_sentence(units[i - 500], units[i],
				      sizeof(units[i]));
		else
			random_sentence(units[i], sizeof(units[i]));
		add_pair(units[i], "x", &ids[i]);
		if (i % 3 == 0) {
			assert_int_equal(
			    tm_store_delete(store, ids[i - 450], NULL), 0);
			ids[i - 450] = 0;
		}
	}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_index_consistent();
	check_queries(units, 700, &found);
	assert_true(found > 100);
	assert_rebuild_same(index_postings);
	/* rebuilt with room: every key of one unit in its bucket */
	assert_int_equal(raw_count("SELECT count(*) FROM match_tok WHERE n = 1 "
				   "AND post IS NOT NULL"),
			 0);
	assert_index_consistent();

	/* deletes that leave keys one unit: back into their buckets */
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 700; i += 4)
		if (ids[i]) {
			assert_int_equal(tm_store_delete(store, ids[i], NULL),
					 0);
			ids[i] = 0;
		}
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_index_consistent();
	assert_int_equal(raw_count("SELECT count(*) FROM match_tok WHERE n = 1 "
				   "AND post IS NOT NULL"),
			 0);
	assert_true(raw_count("SELECT count(*) FROM match_one") > ones / 2);
	found = 0;
	check_queries(units, 700, &found);
	assert_true(found > 100);
	assert_rebuild_same(index_postings);

	/* every unit out: no key, no bucket left */
	assert_int_equal(tm_store_begin(store, NULL), 0);
	for (i = 0; i < 700; i++)
		if (ids[i])
			assert_int_equal(tm_store_delete(store, ids[i], NULL),
					 0);
	assert_int_equal(tm_store_commit(store, NULL), 0);
	assert_int_equal(raw_count("SELECT (SELECT count(*) FROM match_tok) + "
				   "(SELECT count(*) FROM match_one) + "
				   "(SELECT count(*) FROM match_blk)"),
			 0);
	own_tm_close(&own);
}

static void postings_of_an_unfinished_transaction_vanish_at_close(void **st)
{
	struct tm_match_opts o = {"nb", "en", 70, 5, 0};
	struct tm_store *s2 = NULL;
	struct tm_matcher *m2 = NULL;
	struct tm_match_result r;
	struct tm_unit *u = NULL;
	char path[400];

	(void)st;
	snprintf(path, sizeof(path), "%s/raw.db", test_dir);
	assert_int_equal(tm_store_open(&s2, path, 0, NULL), 0);
	assert_int_equal(tm_store_begin(s2, NULL), 0);
	assert_int_equal(tm_unit_new(&u), 0);
	assert_int_equal(tm_unit_add_variant(u, "nb",
					     "Rå innsetting uten hjelp.", NULL,
					     NULL, NULL),
			 0);
	assert_int_equal(tm_unit_add_variant(u, "en", "x", NULL, NULL, NULL),
			 0);
	assert_int_equal(tm_store_add(s2, u, TM_DUP_KEEP, NULL, NULL, NULL), 0);
	tm_unit_free(u);
	tm_store_close(s2);
	assert_int_equal(tm_store_open(&s2, path, 0, NULL), 0);
	assert_int_equal(tm_matcher_new(&m2, s2, NULL), 0);
	assert_int_equal(
	    tm_match_lookup(m2, "Rå innsetting uten hjelp.", &o, &r, NULL), 0);
	assert_int_equal(r.nmatches, 0);
	tm_match_result_release(&r);
	tm_matcher_free(m2);
	tm_store_close(s2);
}

static void index_statements_search_keys_and_never_scan(void **st)
{
	sqlite3 *db = raw_open(dbpath);
	const char *sql;
	size_t i;

	(void)st;
	for (i = 0; (sql = tm_match_sql(i)); i++) {
		char explain[2048];
		sqlite3_stmt *q;

		snprintf(explain, sizeof(explain), "EXPLAIN QUERY PLAN %s",
			 sql);
		assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &q, NULL),
				 SQLITE_OK);
		while (sqlite3_step(q) == SQLITE_ROW) {
			const char *d = (const char *)sqlite3_column_text(q, 3);

			/* every table is reached through a key or index */
			if (strncmp(d, "SCAN", 4) == 0)
				fail_msg("'%s' plans %s", sql, d);
		}
		sqlite3_finalize(q);
	}
	sqlite3_close(db);
	assert_true(i >= 9);
}

struct hits {
	int64_t ids[64];
	size_t n;
};

static int collect(void *ctx, const struct tm_concord_hit *h)
{
	struct hits *hs = ctx;

	if (hs->n < 64)
		hs->ids[hs->n++] = h->id;
	return 0;
}

static void concordance_uses_index_without_losing_hits(void **st)
{
	static const char *const phrases[] = {
	    "regjeringen", "møtet samler", "MØTET", "cafe",
	    "Café",	   "og i",	   "støre", "ukraina land",
	    "lagre, fil",  "ikke finnes",  "1000",
	};
	size_t i, total = 0;

	(void)st;
	for (i = 0; i < sizeof(phrases) / sizeof(phrases[0]); i++) {
		struct tm_match_opts o = {"nb", "en", 0, 0, 0};
		struct hits a = {{0}, 0}, b = {{0}, 0};

		assert_int_equal(tm_match_concordance(matcher, phrases[i], &o,
						      collect, &a, NULL),
				 0);
		o.flags = TM_MATCH_EXHAUSTIVE;
		assert_int_equal(tm_match_concordance(matcher, phrases[i], &o,
						      collect, &b, NULL),
				 0);
		assert_int_equal(a.n, b.n);
		assert_memory_equal(a.ids, b.ids, a.n * sizeof(a.ids[0]));
		total += a.n;
	}
	assert_true(total > 20);
}

/* The store opens SQLite without its process-wide allocation counter,
 * whose one mutex made a pre-translation's threads wait on each other's
 * mallocs: SQLite then reports no memory in use, however much the
 * connection and its lookups allocated. */
static void sqlite_keeps_no_global_allocation_count(void **st)
{
	struct tm_match_opts o = {"nb", "en", 50, 5, 0};
	struct tm_match_result r;
	struct own_tm own;
	int64_t id;

	(void)st;
	own_tm_open(&own, "memstatus.db");
	add_pair("Katten sover på matta.", "The cat sleeps on the mat.", &id);
	assert_int_equal(tm_match_lookup(matcher,
					 "Katten sover på matta i dag.", &o, &r,
					 NULL),
			 0);
	assert_true(r.nmatches >= 1);
	tm_match_result_release(&r);
	assert_int_equal(sqlite3_memory_used(), 0);
	own_tm_close(&own);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(
		identical_text_scores_100_up_to_white_space_and_nfc),
	    cmocka_unit_test(minor_differences_score_in_the_90s_and_never_100),
	    cmocka_unit_test(scores_are_symmetric),
	    cmocka_unit_test(score_never_rises_with_another_edit),
	    cmocka_unit_test(word_edit_distance_sets_the_score),
	    cmocka_unit_test(
		inflected_forms_and_typos_cost_a_fraction_of_a_word),
	    cmocka_unit_test(characters_refine_the_score_of_short_segments),
	    cmocka_unit_test(placeholders_count_as_words_and_markup_does_not),
	    cmocka_unit_test(similar_words_keep_the_score_properties),
	    cmocka_unit_test(diff_lists_insert_delete_replace),
	    cmocka_unit_test(numbers_and_tags_are_single_tokens),
	    cmocka_unit_test(
		a_tokenizer_that_has_seen_many_words_tokenises_as_a_fresh_one),
	    cmocka_unit_test(norwegian_numbers_are_written_the_english_way),
	    cmocka_unit_test(match_differing_in_numbers_offers_adapted_target),
	    cmocka_unit_test(times_adapt_in_the_notation_of_the_stored_target),
	    cmocka_unit_test(dates_adapt_in_the_notation_of_the_stored_target),
	    cmocka_unit_test(tags_and_placeholders_adapt_where_unambiguous),
	    cmocka_unit_test(moved_tags_go_where_the_query_ties_them),
	    cmocka_unit_test(moved_and_changed_tags_are_reported_in_the_diff),
	    cmocka_unit_test(matches_say_where_they_came_from),
	    cmocka_unit_test(index_finds_what_brute_force_finds_on_random_tms),
	    cmocka_unit_test(
		threads_sharing_kept_lists_find_what_brute_force_finds),
	    cmocka_unit_test(repeated_words_count_as_brute_force_counts),
	    cmocka_unit_test(large_unit_ids_find_what_brute_force_finds),
	    cmocka_unit_test(
		repeated_lookups_with_kept_lists_find_what_brute_force_finds),
	    cmocka_unit_test(concordance_uses_index_without_losing_hits),
	    cmocka_unit_test(rolled_back_adds_leave_no_postings),
	    cmocka_unit_test(spilled_and_threaded_postings_equal_a_rebuild),
	    cmocka_unit_test(many_keys_sorted_at_once_equal_small_runs_merged),
	    cmocka_unit_test(a_failing_merge_leaves_the_tm_as_before),
	    cmocka_unit_test(
		an_early_merge_rolled_back_stopped_or_failed_is_safe),
	    cmocka_unit_test(inline_keys_grow_and_shrink_across_the_limit),
	    cmocka_unit_test(a_tm_of_the_previous_schema_needs_no_reindex),
	    cmocka_unit_test(
		interleaved_adds_removes_and_rollbacks_equal_a_rebuild),
	    cmocka_unit_test(
		one_posting_keys_live_in_buckets_and_move_as_they_change),
	    cmocka_unit_test(units_of_either_direction_are_found),
	    cmocka_unit_test(pairs_are_the_first_variants_of_each_language),
	    cmocka_unit_test(kept_word_keys_follow_writes),
	    cmocka_unit_test(kept_postings_follow_writes),
	    cmocka_unit_test(
		equal_scores_are_ordered_by_closeness_then_date_then_usage),
	    cmocka_unit_test(
		partial_matches_come_in_query_order_and_verbatim_scores_100),
	    cmocka_unit_test(index_statements_search_keys_and_never_scan),
	    cmocka_unit_test(
		postings_of_an_unfinished_transaction_vanish_at_close),
	    cmocka_unit_test(sqlite_keeps_no_global_allocation_count),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
