/* Unit tests of the term base, term matching and glossary file formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/helpers.h"

#include "glossary/check.h"
#include "glossary/glossary.h"
#include "glossary/termmatch.h"
#include "tm/store.h"

static char dbpath[300];

static int setup(void **state)
{
	(void)state;
	if (test_dir_make("gl"))
		return -1;
	snprintf(dbpath, sizeof(dbpath), "%s/tm.db", test_dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return test_dir_remove();
}

/* ---- matching ----------------------------------------------------------- */

/* Runs one matcher over text; returns the hits as "tag:matched text|..." */
static char *find_str(struct gl_matcher *m, const char *text, unsigned flags)
{
	static char out[1024];
	struct gl_text *t = NULL;
	struct gl_hits h = {0};
	size_t i;

	out[0] = '\0';
	assert_int_equal(gl_text_new(&t, NULL), 0);
	assert_int_equal(gl_text_set(t, text, strlen(text), NULL), 0);
	assert_int_equal(gl_matcher_find(m, t, flags, &h, NULL), 0);
	for (i = 0; i < h.n; i++) {
		size_t n = strlen(out);

		snprintf(out + n, sizeof(out) - n, "%s%zu:%.*s", i ? "|" : "",
			 h.v[i].tag, (int)(h.v[i].end - h.v[i].start),
			 gl_text_str(t) + h.v[i].start);
	}
	gl_hits_release(&h);
	gl_text_free(t);
	return out;
}

static struct gl_matcher *nb_matcher(void)
{
	struct gl_matcher *m = NULL;

	assert_int_equal(gl_matcher_new(&m, GL_LANG_NB, NULL), 0);
	assert_int_equal(
	    gl_matcher_add(m, "statsminister", GL_CASE_ANY, 1, NULL), 0);
	assert_int_equal(
	    gl_matcher_add(m, "Statsministerens kontor", GL_CASE_ANY, 2, NULL),
	    0);
	assert_int_equal(gl_matcher_add(m, "Stortinget", GL_CASE_ANY, 3, NULL),
			 0);
	assert_int_equal(gl_matcher_add(m, "NTB", GL_CASE_EXACT, 4, NULL), 0);
	assert_int_equal(gl_matcher_add(m, "kommune", GL_CASE_ANY, 5, NULL), 0);
	assert_int_equal(gl_matcher_add(m, "toppmøte", GL_CASE_ANY, 6, NULL),
			 0);
	assert_int_equal(gl_matcher_add(m, "Norges Bank", GL_CASE_ANY, 7, NULL),
			 0);
	return m;
}

static void norwegian_inflections_are_found(void **state)
{
	struct gl_matcher *m = nb_matcher();

	(void)state;
	assert_string_equal(find_str(m, "statsministeren", 0),
			    "1:statsministeren");
	assert_string_equal(find_str(m, "Statsministerens tale", 0),
			    "1:Statsministerens");
	assert_string_equal(
	    find_str(m, "to statsministre og statsministrene", 0),
	    "1:statsministre|1:statsministrene");
	assert_string_equal(find_str(m, "Statsministers", 0),
			    "1:Statsministers");
	assert_string_equal(find_str(m, "i Stortingets vedtak", 0),
			    "3:Stortingets");
	assert_string_equal(find_str(m, "et storting", 0), "3:storting");
	/* a soft hyphen from the editing system does not hide the word */
	assert_string_equal(find_str(m, "stats\xc2\xadministeren", 0),
			    "1:stats\xc2\xadministeren");
	assert_string_equal(find_str(m, "toppmøtet og toppmøtene", 0),
			    "6:toppmøtet|6:toppmøtene");
	/* words that only begin like a term are not inflections of it */
	assert_string_equal(find_str(m, "statsministerkandidat", 0), "");
	gl_matcher_free(m);
}

static void compounds_are_not_hits(void **state)
{
	struct gl_matcher *m = nb_matcher();

	(void)state;
	assert_string_equal(find_str(m, "kommunestyret i kommunen", 0),
			    "5:kommunen");
	assert_string_equal(find_str(m, "Toppmøteforberedelsene", 0), "");
	/* on request, the first and the (inflected) last part count */
	assert_string_equal(find_str(m,
				     "Toppmøteforberedelsene og fylkeskommunen",
				     GL_FIND_COMPOUNDS),
			    "6:Toppmøteforberedelsene|5:fylkeskommunen");
	/* parts of under 4 letters, or leaving under 3, do not */
	assert_string_equal(find_str(m, "NTBsjef kommunen1", GL_FIND_COMPOUNDS),
			    "5:kommunen1");
	gl_matcher_free(m);
}

/* A noun in -er keeps its -er: its stem bare or as a neuter (forsvar,
 * Forsvaret) is another word, while a plural term in -er still finds its
 * singular's forms. */
static void an_er_nouns_stem_is_another_word(void **state)
{
	struct gl_matcher *m = NULL;
	static const char *const nouns[] = {"forsvarer", "lærer", "kroner"};
	size_t i;

	(void)state;
	assert_int_equal(gl_matcher_new(&m, GL_LANG_NB, NULL), 0);
	for (i = 0; i < sizeof(nouns) / sizeof(*nouns); i++)
		assert_int_equal(gl_matcher_add(m, nouns[i],
						GL_CASE_ANY | GL_CASE_NOUN, i,
						NULL),
				 0);
	assert_string_equal(
	    find_str(m, "retten til et forsvar, Forsvaret, Forsvarets sjef", 0),
	    "");
	assert_string_equal(
	    find_str(m, "forsvareren, forsvarere, forsvarerne, forsvarers", 0),
	    "0:forsvareren|0:forsvarere|0:forsvarerne|0:forsvarers");
	assert_string_equal(find_str(m, "Lærerne og en lærer", 0),
			    "1:Lærerne|1:lærer");
	assert_string_equal(find_str(m, "en krone, kronen, kronene", 0),
			    "2:krone|2:kronen|2:kronene");
	gl_matcher_free(m);
	/* a verb entry (forsvarer "defends") is not held to it */
	assert_int_equal(gl_matcher_new(&m, GL_LANG_NB, NULL), 0);
	assert_int_equal(gl_matcher_add(m, "forsvarer", GL_CASE_ANY, 0, NULL),
			 0);
	assert_string_equal(find_str(m, "et forsvar", 0), "0:forsvar");
	gl_matcher_free(m);
}

/* A noun takes a bare -e only where its own shape has one: the verb or
 * adjective of the same letters is not the noun (rette is not rett). */
static void nouns_take_a_bare_e_only_where_nouns_do(void **state)
{
	struct gl_matcher *m = NULL;
	static const char *const nouns[] = {"rett",    "lov",	"skatt",
					    "dom",     "lærer", "kroner",
					    "kommune", "ansatt"};
	size_t i;

	(void)state;
	assert_int_equal(gl_matcher_new(&m, GL_LANG_NB, NULL), 0);
	for (i = 0; i < sizeof(nouns) / sizeof(*nouns); i++)
		assert_int_equal(gl_matcher_add(m, nouns[i],
						GL_CASE_ANY | GL_CASE_NOUN, i,
						NULL),
				 0);
	/* the noun's own forms */
	assert_string_equal(find_str(m, "retten rettens rettene retter", 0),
			    "0:retten|0:rettens|0:rettene|0:retter");
	assert_string_equal(find_str(m, "loven lovene skatten skattene", 0),
			    "1:loven|1:lovene|2:skatten|2:skattene");
	assert_string_equal(find_str(m, "en dom, å dømme", 0), "3:dom");
	/* a noun in -er takes -e in the plural, a plural in -er its
	 * singular in -e, a noun in -e keeps it */
	assert_string_equal(find_str(m, "lærere læreres lærerne", 0),
			    "4:lærere|4:læreres|4:lærerne");
	assert_string_equal(find_str(m, "en krone", 0), "5:krone");
	assert_string_equal(find_str(m, "kommune kommunes kommunene", 0),
			    "6:kommune|6:kommunes|6:kommunene");
	/* a noun made from a participle takes -e as an adjective does */
	assert_string_equal(find_str(m, "de ansatte og en ansatt", 0),
			    "7:ansatte|7:ansatt");
	/* the verbs and adjectives of the same letters */
	assert_string_equal(find_str(m, "å rette feilen, den rette mannen", 0),
			    "");
	assert_string_equal(find_str(m, "å love, å skatte, å dømme", 0), "");
	assert_string_equal(find_str(m, "feilen skal rettes", 0), "");
	gl_matcher_free(m);
	/* without GL_CASE_NOUN (a verb or an adjective entry) the -e form
	 * is still the term's */
	assert_int_equal(gl_matcher_new(&m, GL_LANG_NB, NULL), 0);
	assert_int_equal(gl_matcher_add(m, "rett", GL_CASE_ANY, 0, NULL), 0);
	assert_string_equal(find_str(m, "den rette", 0), "0:rette");
	gl_matcher_free(m);
	/* in a term of several words only the head noun is held to it */
	assert_int_equal(gl_matcher_new(&m, GL_LANG_NB, NULL), 0);
	assert_int_equal(gl_matcher_add(m, "offentlig sektor",
					GL_CASE_ANY | GL_CASE_NOUN, 0, NULL),
			 0);
	assert_string_equal(find_str(m, "i den offentlige sektoren", 0),
			    "0:offentlige sektoren");
	gl_matcher_free(m);
}

static void multi_word_terms_match_inflected_and_longest_first(void **state)
{
	struct gl_matcher *m = nb_matcher();

	(void)state;
	assert_string_equal(
	    find_str(m, "Ifølge Statsministerens kontor skal", 0),
	    "2:Statsministerens kontor");
	assert_string_equal(
	    find_str(m, "statsministerens  kontorets ansatte", 0),
	    "2:statsministerens  kontorets");
	/* punctuation between the words breaks a multi-word term */
	assert_string_equal(find_str(m, "Statsministerens, kontor", 0),
			    "1:Statsministerens");
	/* with GL_FIND_ALL the overlapped shorter term is reported too */
	assert_string_equal(find_str(m, "Statsministerens kontor", GL_FIND_ALL),
			    "2:Statsministerens kontor|1:Statsministerens");
	assert_string_equal(find_str(m, "sier Norges Banks sjef", 0),
			    "7:Norges Banks");
	gl_matcher_free(m);
}

static void acronyms_match_only_in_capitals(void **state)
{
	struct gl_matcher *m = nb_matcher();

	(void)state;
	assert_string_equal(find_str(m, "sier Støre til NTB", 0), "4:NTB");
	assert_string_equal(find_str(m, "NTBs reporter", 0), "4:NTBs");
	assert_string_equal(find_str(m, "ntb og Ntb", 0), "");
	/* an ordinary noun matches in any case */
	assert_string_equal(find_str(m, "STORTINGET og stortinget", 0),
			    "3:STORTINGET|3:stortinget");
	gl_matcher_free(m);
}

static void acronyms_are_not_found_inside_longer_words(void **state)
{
	struct gl_matcher *m = NULL, *en = NULL;

	(void)state;
	assert_int_equal(gl_matcher_new(&m, GL_LANG_NB, NULL), 0);
	assert_int_equal(gl_matcher_add(m, "SV", GL_CASE_EXACT, 1, NULL), 0);
	assert_int_equal(gl_matcher_add(m, "NTB", GL_CASE_EXACT, 2, NULL), 0);
	assert_int_equal(find_str(m, "SVT og SV", 0)[0] != '\0', 1);
	assert_string_equal(find_str(m, "SVT og SV", 0), "1:SV");
	assert_string_equal(find_str(m, "NTBS og NTBs", 0), "2:NTBs");
	gl_matcher_free(m);
	/* in English only the possessive continues an acronym */
	assert_int_equal(gl_matcher_new(&en, GL_LANG_EN, NULL), 0);
	assert_int_equal(gl_matcher_add(en, "NTB", GL_CASE_EXACT, 2, NULL), 0);
	assert_string_equal(find_str(en, "NTBs, NTB's and NTB\xe2\x80\x99s", 0),
			    "2:NTB's|2:NTB\xe2\x80\x99s");
	/* ... unless the acronym names a countable thing: MPs */
	assert_int_equal(
	    gl_matcher_add(en, "MP", GL_CASE_ANY | GL_CASE_PLURAL, 3, NULL), 0);
	assert_string_equal(find_str(en, "MPs, MPs' and MPS", 0),
			    "3:MPs|3:MPs");
	gl_matcher_free(en);
}

static void english_plurals_of_every_shape_are_found(void **state)
{
	static const char *const pairs[][2] = {
	    {"authority", "The authorities' answer"},
	    {"county", "two counties"},
	    {"church", "the churches"},
	    {"analysis", "their analyses"},
	    {"crisis", "crises"},
	    {"box", "boxes"},
	    {"chairman", "the chairmen's meeting"},
	    {"woman", "women"},
	    {"child", "children's rights"},
	    {"spokesperson", "spokespeople"},
	    {"chief of police", "the chiefs of police"},
	    {"Prime Minister", "the prime minister\xe2\x80\x99s office"},
	    {"Prime Minister", "the Prime-Minister"},
	    {"policy", "policies"},
	    {"defender", "the defenders' case"},
	    {"tax", "taxes"},
	};
	/* the stem alone is not enough: these are other words */
	static const char *const misses[][2] = {
	    {"department", "departs departed departure"},
	    {"authority", "the author and the authors"},
	    {"nation", "national"},
	    /* the verb of an agent noun shares its stem */
	    {"defender", "she defends the plan"},
	    {"manager", "he manages"},
	    {"leader", "it leads"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(*pairs); i++) {
		struct gl_matcher *m = NULL;

		assert_int_equal(gl_matcher_new(&m, GL_LANG_EN, NULL), 0);
		assert_int_equal(
		    gl_matcher_add(m, pairs[i][0], GL_CASE_ANY, 1, NULL), 0);
		if (find_str(m, pairs[i][1], 0)[0] == '\0')
			fail_msg("'%s' not found in '%s'", pairs[i][0],
				 pairs[i][1]);
		gl_matcher_free(m);
	}
	for (i = 0; i < sizeof(misses) / sizeof(*misses); i++) {
		struct gl_matcher *m = NULL;

		assert_int_equal(gl_matcher_new(&m, GL_LANG_EN, NULL), 0);
		assert_int_equal(
		    gl_matcher_add(m, misses[i][0], GL_CASE_ANY, 1, NULL), 0);
		assert_string_equal(find_str(m, misses[i][1], 0), "");
		gl_matcher_free(m);
	}
}

static void english_verbs_made_from_a_rendering_are_found(void **state)
{
	static const char *const pairs[][2] = {
	    {"jail", "Man jailed for fraud"},
	    {"police", "better policing"},
	    {"plan", "as planned"},
	    {"carry", "it carried"},
	    {"house", "The clinic is housed in the old school"},
	    {"remand", "He was remanded"},
	};
	/* the stem alone is not enough: these are other words */
	static const char *const misses[][2] = {
	    {"department", "departed departing"},
	    {"authority", "authored"},
	    {"court", "courtesy"},
	    {"jail", "jailer"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(pairs) / sizeof(*pairs); i++) {
		struct gl_matcher *m = NULL;

		assert_int_equal(gl_matcher_new(&m, GL_LANG_EN, NULL), 0);
		assert_int_equal(
		    gl_matcher_add(m, pairs[i][0], GL_CASE_ANY, 1, NULL), 0);
		if (find_str(m, pairs[i][1], 0)[0] == '\0')
			fail_msg("'%s' not found in '%s'", pairs[i][0],
				 pairs[i][1]);
		gl_matcher_free(m);
	}
	for (i = 0; i < sizeof(misses) / sizeof(*misses); i++) {
		struct gl_matcher *m = NULL;

		assert_int_equal(gl_matcher_new(&m, GL_LANG_EN, NULL), 0);
		assert_int_equal(
		    gl_matcher_add(m, misses[i][0], GL_CASE_ANY, 1, NULL), 0);
		assert_string_equal(find_str(m, misses[i][1], 0), "");
		gl_matcher_free(m);
	}
}

static void exception_phrases_hide_only_their_own_term(void **state)
{
	struct gl_matcher *m = NULL;

	(void)state;
	assert_int_equal(gl_matcher_new(&m, GL_LANG_NB, NULL), 0);
	assert_int_equal(gl_matcher_add(m, "rett", GL_CASE_ANY, 1, NULL), 0);
	assert_int_equal(gl_matcher_add(m, "slett", GL_CASE_ANY, 2, NULL), 0);
	assert_int_equal(
	    gl_matcher_add_except(m, "rett og slett", GL_CASE_ANY, 1, NULL), 0);
	assert_string_equal(find_str(m, "Rett og slett i retten", 0),
			    "2:slett|1:retten");
	assert_string_equal(find_str(m, "rett og slett", GL_FIND_ALL),
			    "2:slett");
	gl_matcher_free(m);
}

static void
english_renderings_accept_plural_possessive_and_capitals(void **state)
{
	struct gl_matcher *m = NULL;

	(void)state;
	assert_int_equal(gl_matcher_new(&m, GL_LANG_EN, NULL), 0);
	assert_int_equal(
	    gl_matcher_add(m, "Parliament", GL_CASE_INITIAL, 1, NULL), 0);
	assert_int_equal(
	    gl_matcher_add(m, "the Government", GL_CASE_INITIAL, 2, NULL), 0);
	assert_int_equal(gl_matcher_add(m, "Norwegian Broadcasting (NRK)",
					GL_CASE_INITIAL, 3, NULL),
			 0);
	assert_int_equal(
	    gl_matcher_add(m, "policy rate", GL_CASE_INITIAL, 4, NULL), 0);
	assert_int_equal(gl_matcher_add(m, "summit", GL_CASE_INITIAL, 5, NULL),
			 0);
	assert_string_equal(find_str(m, "Parliament's decision", 0),
			    "1:Parliament's");
	assert_string_equal(find_str(m, "Parliament\xe2\x80\x99s decision", 0),
			    "1:Parliament\xe2\x80\x99s");
	assert_string_equal(find_str(m, "The Government has", 0),
			    "2:The Government");
	assert_string_equal(find_str(m, "the government has", 0), "");
	assert_string_equal(find_str(m, "THE GOVERNMENT", 0),
			    "2:THE GOVERNMENT");
	assert_string_equal(
	    find_str(m, "told Norwegian Broadcasting (NRK).", 0),
	    "3:Norwegian Broadcasting (NRK");
	assert_string_equal(find_str(m, "told Norwegian Broadcasting NRK", 0),
			    "");
	assert_string_equal(find_str(m, "Policy rates rose", 0),
			    "4:Policy rates");
	assert_string_equal(find_str(m, "two summits", 0), "5:summits");
	assert_string_equal(find_str(m, "the policy-rate", 0), "4:policy-rate");
	assert_string_equal(find_str(m, "summitry", 0), "");
	gl_matcher_free(m);
}

static void text_is_normalised_before_matching(void **state)
{
	struct gl_matcher *m = NULL;

	(void)state;
	assert_int_equal(gl_matcher_new(&m, GL_LANG_NB, NULL), 0);
	assert_int_equal(
	    gl_matcher_add(m, "toppm\xc3\xb8te", GL_CASE_ANY, 1, NULL), 0);
	/* o + combining stroke is not NFC-composable: stays unmatched, but
	 * a-ring decomposed is */
	assert_int_equal(gl_matcher_add(m, "\xc3\xa5r", GL_CASE_ANY, 2, NULL),
			 0);
	assert_string_equal(find_str(m,
				     "i a\xcc\x8a"
				     "ret",
				     0),
			    "2:\xc3\xa5ret");
	gl_matcher_free(m);
}

/* ---- term base ---------------------------------------------------------- */

static void entry_for(struct gl_entry *e, const char *term, const char *tr)
{
	gl_entry_init(e);
	assert_int_equal(gl_entry_set_term(e, term, NULL), 0);
	assert_int_equal(gl_entry_add_approved(e, tr, NULL), 0);
	e->case_sensitive = gl_term_default_case(e->term);
}

static void term_base_stores_replaces_and_removes(void **state)
{
	struct tm_store *s = NULL;
	struct gl_entry e, got;
	struct tolk_err err;
	int replaced = -1;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	entry_for(&e, "  Stortinget ", "Parliament");
	assert_int_equal(gl_entry_add_forbidden(&e, "the Storting", NULL), 0);
	assert_int_equal(gl_entry_set_str(&e.note, "Not the Storting", NULL),
			 0);
	memcpy(e.created, "2020-01-02", 11);
	assert_int_equal(gl_term_put(s, &e, &replaced, &err), 0);
	assert_int_equal(replaced, 0);
	assert_true(e.id > 0);
	gl_entry_release(&e);

	assert_int_equal(gl_term_get(s, "Stortinget", &got, &err), 0);
	assert_string_equal(got.term, "Stortinget");
	assert_int_equal(got.napproved, 1);
	assert_string_equal(got.approved[0], "Parliament");
	assert_int_equal(got.nforbidden, 1);
	assert_string_equal(got.forbidden[0], "the Storting");
	assert_string_equal(got.note, "Not the Storting");
	assert_false(got.case_sensitive);
	gl_entry_release(&got);

	/* replacing keeps the creation date */
	entry_for(&e, "Stortinget", "the Norwegian Parliament");
	assert_int_equal(gl_term_put(s, &e, &replaced, &err), 0);
	assert_int_equal(replaced, 1);
	gl_entry_release(&e);
	assert_int_equal(gl_term_get(s, "Stortinget", &got, &err), 0);
	assert_string_equal(got.created, "2020-01-02");
	assert_int_equal(got.nforbidden, 0);
	assert_string_equal(got.approved[0], "the Norwegian Parliament");
	gl_entry_release(&got);

	entry_for(&e, "NTB", "news bureau NTB");
	assert_true(e.case_sensitive);
	assert_int_equal(gl_term_put(s, &e, NULL, &err), 0);
	gl_entry_release(&e);

	/* removal: exact, else the single entry in another case */
	assert_int_equal(gl_term_remove(s, "stortinget", &err), 0);
	assert_int_equal(gl_term_get(s, "Stortinget", &got, &err),
			 TOLK_ENOTFOUND);
	assert_int_equal(gl_term_remove(s, "Stortinget", &err), TOLK_ENOTFOUND);
	assert_int_equal(gl_term_remove(s, "NTB", &err), 0);
	tm_store_close(s);
}

static void term_without_translation_is_refused(void **state)
{
	struct tm_store *s = NULL;
	struct gl_entry e;
	struct tolk_err err;

	(void)state;
	assert_int_equal(tm_store_open(&s, dbpath, 0, &err), 0);
	gl_entry_init(&e);
	assert_int_equal(gl_entry_set_term(&e, "   ", &err), TOLK_EINPUT);
	assert_int_equal(gl_entry_set_term(&e, "x", &err), 0);
	assert_int_equal(gl_term_put(s, &e, NULL, &err), TOLK_EINPUT);
	gl_entry_release(&e);
	tm_store_close(s);
	assert_true(gl_term_default_case("NTB"));
	assert_true(gl_term_default_case("NRK-P3"));
	assert_false(gl_term_default_case("Nrk"));
	assert_false(gl_term_default_case("2024"));
}

/* ---- formats ------------------------------------------------------------ */

static void assert_same_entries(const struct gl_entry *a, size_t na,
				const struct gl_entry *b, size_t nb)
{
	size_t i, k;

	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		assert_string_equal(a[i].term, b[i].term);
		assert_int_equal(a[i].napproved, b[i].napproved);
		for (k = 0; k < a[i].napproved; k++)
			assert_string_equal(a[i].approved[k], b[i].approved[k]);
		assert_int_equal(a[i].nforbidden, b[i].nforbidden);
		for (k = 0; k < a[i].nforbidden; k++)
			assert_string_equal(a[i].forbidden[k],
					    b[i].forbidden[k]);
		assert_int_equal(a[i].nexcept, b[i].nexcept);
		for (k = 0; k < a[i].nexcept; k++)
			assert_string_equal(a[i].except[k], b[i].except[k]);
		assert_int_equal(a[i].case_sensitive, b[i].case_sensitive);
		assert_string_equal(a[i].note ? a[i].note : "",
				    b[i].note ? b[i].note : "");
		assert_string_equal(a[i].pos ? a[i].pos : "",
				    b[i].pos ? b[i].pos : "");
		assert_string_equal(a[i].domain ? a[i].domain : "",
				    b[i].domain ? b[i].domain : "");
		assert_string_equal(a[i].created, b[i].created);
		assert_string_equal(a[i].modified, b[i].modified);
	}
}

static void sample_entries(struct gl_entry v[3])
{
	entry_for(&v[0], "statsminister", "Prime Minister");
	assert_int_equal(gl_entry_add_approved(&v[0], "Premier", NULL), 0);
	assert_int_equal(gl_entry_add_forbidden(&v[0], "PM", NULL), 0);
	assert_int_equal(
	    gl_entry_add_except(&v[0], "statsminister for en dag", NULL), 0);
	assert_int_equal(gl_entry_add_except(&v[0], "tab\there", NULL), 0);
	assert_int_equal(gl_entry_set_str(&v[0].note,
					  "Tab\there, line\nbreak, back\\slash",
					  NULL),
			 0);
	assert_int_equal(gl_entry_set_str(&v[0].pos, "noun", NULL), 0);
	assert_int_equal(gl_entry_set_str(&v[0].domain, "politics", NULL), 0);
	memcpy(v[0].created, "2024-01-31", 11);
	memcpy(v[0].modified, "2024-02-01", 11);
	entry_for(&v[1], "NTB", "news bureau NTB");
	v[1].case_sensitive = 0; /* not the default for capitals */
	memcpy(v[1].created, "2024-03-01", 11);
	memcpy(v[1].modified, "2024-03-01", 11);
	entry_for(&v[2], "Norges Bank", "Norges Bank");
	v[2].case_sensitive = 1;
	assert_int_equal(gl_entry_set_str(&v[2].note, "<&> \"quoted\"", NULL),
			 0);
	memcpy(v[2].created, "2024-03-02", 11);
	memcpy(v[2].modified, "2024-03-03", 11);
}

static void round_trip(enum gl_format fmt, const char *name)
{
	struct gl_entry v[3], *back = NULL;
	struct tolk_err err;
	char path[400];
	size_t n = 0, i;

	sample_entries(v);
	snprintf(path, sizeof(path), "%s/%s", test_dir, name);
	assert_int_equal(
	    gl_file_write(path, GL_FORMAT_AUTO, NULL, NULL, v, 3, &err), 0);
	if (gl_file_read(path, fmt, NULL, NULL, &back, &n, &err))
		fail_msg("%s:%lu:%lu: %s", err.file, err.line, err.col,
			 err.msg);
	assert_same_entries(v, 3, back, n);
	gl_entries_free(back, n);
	for (i = 0; i < 3; i++)
		gl_entry_release(&v[i]);
}

static void tsv_round_trip_is_lossless(void **state)
{
	(void)state;
	round_trip(GL_FORMAT_AUTO, "g.tsv");
}

static void tbx_round_trip_is_lossless(void **state)
{
	(void)state;
	round_trip(GL_FORMAT_TBX, "g.tbx");
}

static void omegat_tsv_rows_merge_by_term(void **state)
{
	struct gl_entry *v = NULL;
	struct tolk_err err;
	char path[400];
	size_t n = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/o.txt", test_dir);
	test_write_file(path, "\xef\xbb\xbf# comment\r\n"
			      "regjeringen\tthe Government\tCapital G\r\n"
			      "\r\n"
			      "regjeringen\tthe Cabinet\r\n"
			      "NRK\tNorwegian Broadcasting (NRK)\t\r\n");
	assert_int_equal(
	    gl_file_read(path, GL_FORMAT_AUTO, NULL, NULL, &v, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].term, "regjeringen");
	assert_int_equal(v[0].napproved, 2);
	assert_string_equal(v[0].approved[1], "the Cabinet");
	assert_string_equal(v[0].note, "Capital G");
	assert_false(v[0].case_sensitive);
	assert_true(v[1].case_sensitive);
	assert_null(v[1].note);
	gl_entries_free(v, n);
}

static void expect_read_error(const char *name, const char *text,
			      unsigned long line, const char *needle)
{
	struct gl_entry *v = NULL;
	struct tolk_err err;
	char path[400];
	size_t n = 0;

	snprintf(path, sizeof(path), "%s/%s", test_dir, name);
	test_write_file(path, text);
	assert_int_equal(
	    gl_file_read(path, GL_FORMAT_AUTO, NULL, NULL, &v, &n, &err),
	    TOLK_EINPUT);
	if (err.line != line || !strstr(err.msg, needle))
		fail_msg("got %lu: %s; expected %lu: %s", err.line, err.msg,
			 line, needle);
	assert_null(v);
}

static void malformed_tsv_is_reported_with_line(void **state)
{
	(void)state;
	expect_read_error("a.tsv", "ok\tfine\nno translation here\n", 2,
			  "no translation");
	expect_read_error("b.tsv", "ok\tfine\n\nx\t\n", 3, "no translation");
	expect_read_error("c.tsv", "a\tb\t\tcase=maybe\n", 1, "case");
	expect_read_error("d.tsv", "a\tb\tc\tcolour=red\n", 1, "unknown");
	expect_read_error("e.tsv", "a\tb\nbad\xff\tx\n", 2, "UTF-8");
	expect_read_error("f.tsv", "a\tb\t\tcreated=yesterday\n", 1,
			  "YYYY-MM-DD");
}

static void malformed_tbx_is_reported_with_line(void **state)
{
	(void)state;
	expect_read_error("a.tbx",
			  "<?xml version='1.0'?>\n<tbx>\n<text><body>\n"
			  "<conceptEntry id='c1'>\n</langSec>\n",
			  5, "well-formed");
	expect_read_error("b.tbx",
			  "<?xml version='1.0'?>\n<!DOCTYPE tbx [\n"
			  "<!ENTITY a 'aaaaaaaaaa'>\n"
			  "<!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>\n]>\n"
			  "<tbx>&b;</tbx>\n",
			  0, "entity");
	expect_read_error("c.tbx", "<?xml version='1.0'?>\n<html/>\n", 2,
			  "not TBX");
	expect_read_error(
	    "d.tbx",
	    "<tbx><text><body>\n<conceptEntry id='c1'>\n"
	    "<langSec xml:lang='nb'><termSec><term>x</term></termSec>"
	    "</langSec>\n<langSec xml:lang='en'><termSec><term>y</term>"
	    "<termNote type='administrativeStatus'>deprecatedTerm-admn-"
	    "sts</termNote></termSec></langSec></conceptEntry>\n"
	    "</body></text></tbx>\n",
	    2, "no approved");
}

static void tbx_v2_and_v3_samples_are_read(void **state)
{
	struct gl_entry *v = NULL;
	struct tolk_err err;
	char path[400];
	size_t n = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/v2.tbx", test_dir);
	test_write_file(path,
			"<?xml version='1.0'?>\n"
			"<!DOCTYPE martif SYSTEM 'TBXBasiccoreStructV02.dtd'>\n"
			"<martif type='TBX-Basic' xml:lang='en'><martifHeader/>"
			"<text><body><termEntry id='t1'>"
			"<descrip type='subjectField'>finance</descrip>"
			"<langSet xml:lang='no'><tig><term>styringsrente</term>"
			"<termNote type='partOfSpeech'>noun</termNote></tig>"
			"</langSet><langSet xml:lang='en-GB'>"
			"<tig><term>key interest rate</term><termNote "
			"type='administrativeStatus'>deprecatedTerm-admn-sts"
			"</termNote></tig>"
			"<ntig><termGrp><term>policy rate</term><termNote "
			"type='administrativeStatus'>preferredTerm-admn-sts"
			"</termNote></termGrp></ntig>"
			"<tig><term>base rate</term></tig></langSet>"
			"</termEntry></body></text></martif>\n");
	assert_int_equal(
	    gl_file_read(path, GL_FORMAT_AUTO, NULL, NULL, &v, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].term, "styringsrente");
	assert_int_equal(v[0].napproved, 2);
	assert_string_equal(v[0].approved[0], "policy rate");
	assert_string_equal(v[0].approved[1], "base rate");
	assert_string_equal(v[0].forbidden[0], "key interest rate");
	assert_string_equal(v[0].pos, "noun");
	assert_string_equal(v[0].domain, "finance");
	gl_entries_free(v, n);

	/* the ISO sample has no Norwegian: read as fr -> en instead */
	snprintf(path, sizeof(path),
		 "%s/spec/tbx/samples/tbx-basic-v3-sample.tbx",
		 getenv("TOLK_SHARED") ? getenv("TOLK_SHARED") : "../shared");
	if (access(path, R_OK) != 0)
		skip();
	assert_int_equal(
	    gl_file_read(path, GL_FORMAT_AUTO, "fr", "en", &v, &n, &err), 0);
	assert_true(n >= 2);
	assert_string_equal(v[0].term, "courriel");
	assert_string_equal(v[0].approved[0], "e-mail");
	gl_entries_free(v, n);
}

static int count_segment(void *ctx, const struct gl_segment *s,
			 struct tolk_err *err)
{
	(void)s;
	(void)err;
	(*(int *)ctx)++;
	return 0;
}

/* Every prefix of valid files: the readers must fail cleanly (or read
 * what is there), never crash or leak (run under ASan by check-asan). */
static void readers_survive_truncated_input(void **state)
{
	static const char tbx[] =
	    "<?xml version='1.0'?>\n<tbx type='TBX-Basic' "
	    "xmlns='urn:iso:std:iso:30042:ed-2'><text><body>"
	    "<conceptEntry id='c1'><note>n</note><langSec xml:lang='nb'>"
	    "<termSec><term>Stortinget</term><note>tolk:case-sensitive"
	    "</note></termSec></langSec><langSec xml:lang='en'><termSec>"
	    "<term>Parliament</term></termSec><termSec><term>the Storting"
	    "</term><termNote type='administrativeStatus'>deprecatedTerm-"
	    "admn-sts</termNote></termSec></langSec></conceptEntry>"
	    "</body></text></tbx>\n";
	static const char tsv[] = "NTB\tnews bureau NTB\tnote\tforbid=x\t"
				  "case=insensitive\tcreated=2024-01-01\n"
				  "Stortinget\tParliament\n";
	static const char xlf[] =
	    "<xliff version='2.0' srcLang='nb' trgLang='en'><file id='f'>"
	    "<unit id='u'><segment><source>Stortinget <pc id='1'>i dag"
	    "</pc></source><target>Parliament today</target></segment>"
	    "</unit></file></xliff>";
	const char *const docs[] = {tbx, tsv, xlf};
	const char *const names[] = {"t.tbx", "t.tsv", "t.xlf"};
	char path[400];
	size_t d, len;

	(void)state;
	for (d = 0; d < 3; d++) {
		snprintf(path, sizeof(path), "%s/%s", test_dir, names[d]);
		for (len = 0; len <= strlen(docs[d]); len++) {
			struct gl_entry *v = NULL;
			struct tolk_err err;
			size_t n = 0;
			FILE *f = fopen(path, "wb");
			int rc, segs = 0;

			assert_non_null(f);
			fwrite(docs[d], 1, len, f);
			fclose(f);
			if (d < 2) {
				rc = gl_file_read(path, GL_FORMAT_AUTO, NULL,
						  NULL, &v, &n, &err);
				gl_entries_free(v, n);
			} else {
				rc = gl_read_xliff(path, "nb", "en",
						   count_segment, &segs, &err);
			}
			if (rc != 0 && rc != TOLK_EINPUT)
				fail_msg("%s, %zu bytes: %d %s", names[d], len,
					 rc, err.msg);
			if (len == strlen(docs[d]))
				assert_int_equal(rc, 0);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(norwegian_inflections_are_found),
	    cmocka_unit_test(compounds_are_not_hits),
	    cmocka_unit_test(nouns_take_a_bare_e_only_where_nouns_do),
	    cmocka_unit_test(an_er_nouns_stem_is_another_word),
	    cmocka_unit_test(
		multi_word_terms_match_inflected_and_longest_first),
	    cmocka_unit_test(acronyms_match_only_in_capitals),
	    cmocka_unit_test(acronyms_are_not_found_inside_longer_words),
	    cmocka_unit_test(english_plurals_of_every_shape_are_found),
	    cmocka_unit_test(english_verbs_made_from_a_rendering_are_found),
	    cmocka_unit_test(exception_phrases_hide_only_their_own_term),
	    cmocka_unit_test(
		english_renderings_accept_plural_possessive_and_capitals),
	    cmocka_unit_test(text_is_normalised_before_matching),
	    cmocka_unit_test_setup_teardown(
		term_base_stores_replaces_and_removes, setup, teardown),
	    cmocka_unit_test_setup_teardown(term_without_translation_is_refused,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(tsv_round_trip_is_lossless, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(tbx_round_trip_is_lossless, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(omegat_tsv_rows_merge_by_term,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(malformed_tsv_is_reported_with_line,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(malformed_tbx_is_reported_with_line,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(tbx_v2_and_v3_samples_are_read,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(readers_survive_truncated_input,
					    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
