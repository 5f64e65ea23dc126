/* Unit tests of the SRX 2.0 loader and rule engine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tm/text/srx.h"

/* Splits text with the rules for lang and joins the segments with "|". */
static char *split(struct tm_srx *srx, const char *lang, const char *text)
{
	struct tm_srx_rules *r = NULL;
	struct tolk_err err;
	size_t *ends = NULL, n = 0, i, p = 0, len = strlen(text);
	char *out = calloc(1, 2 * len + 2), *w = out;

	assert_non_null(out);
	assert_int_equal(tm_srx_rules_for(srx, lang, &r, &err), 0);
	assert_int_equal(tm_srx_rules_split(r, text, len, &ends, &n, &err), 0);
	for (i = 0; i <= n; i++) {
		size_t q = i < n ? ends[i] : len;

		if (i)
			*w++ = '|';
		memcpy(w, text + p, q - p);
		w += q - p;
		p = q;
	}
	free(ends);
	tm_srx_rules_free(r);
	return out;
}

static struct tm_srx *load_shared(const char *name)
{
	const char *shared = getenv("TOLK_SHARED");
	struct tm_srx *srx = NULL;
	struct tolk_err err;
	char path[1024];

	assert_non_null(shared);
	snprintf(path, sizeof(path), "%s/corpus/srx/%s", shared, name);
	if (tm_srx_load_file(&srx, path, &err))
		fail_msg("%s: %s", path, err.msg);
	return srx;
}

/* Every language rule of a published file must compile in ICU: select
 * each one through a language its maps send there. */
static void compile_all(struct tm_srx *srx, const char *const *langs)
{
	struct tm_srx_rules *r;
	struct tolk_err err;

	for (; *langs; langs++) {
		if (tm_srx_rules_for(srx, *langs, &r, &err))
			fail_msg("%s: %s (line %lu)", *langs, err.msg,
				 err.line);
		tm_srx_rules_free(r);
	}
}

static const char *const all_langs[] = {
    "en", "nb", "da", "sv", "de",     "pl",	"sk", "is", "fr", "it",
    "nl", "cs", "ca", "es", "ru",     "ja",	"zh", "fi", "el", "ro",
    "sl", "uk", "be", "gl", "eo",     "br",	"pt", "ta", "fa", "sr",
    "ga", "ar", "th", "km", "en_one", "en_two", NULL};

static void languagetool_srx_loads_and_applies(void **state)
{
	struct tm_srx *srx = load_shared("languagetool-segment.srx");
	char *s;

	(void)state;
	assert_true(tm_srx_cascade(srx));
	assert_int_equal(tm_srx_languagerule_count(srx), 32);
	compile_all(srx, all_langs);
	/* English rules keep titles; Default/Generic rules alone split. */
	s = split(srx, "en", "Mr. Holmes is here. Dr. Watson too.");
	assert_string_equal(s, "Mr. Holmes is here. |Dr. Watson too.");
	free(s);
	s = split(srx, "da", "Det er bl.a. sandt. Han kom kl. 14.30 i dag.");
	assert_string_equal(s, "Det er bl.a. sandt. |Han kom kl. 14.30 i dag.");
	free(s);
	tm_srx_free(srx);
}

static void omegat_srx_loads_with_uppercase_language_maps(void **state)
{
	struct tm_srx *srx = load_shared("omegat-defaultRules.srx");
	struct tm_srx_rules *r;
	struct tolk_err err;
	char *s;

	(void)state;
	assert_true(tm_srx_cascade(srx));
	compile_all(srx, all_langs);
	assert_int_equal(tm_srx_rules_for(srx, "en-US", &r, &err), 0);
	assert_string_equal(tm_srx_rules_names(r), "English,Default,Text,HTML");
	tm_srx_rules_free(r);
	s = split(srx, "en", "Mr. Holmes is here. Dr. Watson too.");
	assert_string_equal(s, "Mr. Holmes is here.| Dr. Watson too.");
	free(s);
	/* Swedish rules know "bl.a."; Norwegian falls to Default. */
	s = split(srx, "sv", "Det är bl.a. sant. Nu går vi.");
	assert_string_equal(s, "Det är bl.a. sant.| Nu går vi.");
	free(s);
	tm_srx_free(srx);
}

static void okapi_srx_loads_without_cascade(void **state)
{
	struct tm_srx *srx = load_shared("okapi-defaultSegmentation.srx");
	struct tm_srx_rules *r;
	struct tolk_err err;
	char *s;

	(void)state;
	assert_false(tm_srx_cascade(srx));
	assert_int_equal(tm_srx_rule_count(srx), 10);
	compile_all(srx, all_langs);
	assert_int_equal(tm_srx_rules_for(srx, "th", &r, &err), 0);
	assert_string_equal(tm_srx_rules_names(r), "Thai");
	tm_srx_rules_free(r);
	s = split(srx, "en", "Is Dr. Watson from the U.K. too? Yes. Fine.");
	assert_string_equal(s, "Is Dr. Watson from the U.K. too?| Yes.| Fine.");
	free(s);
	tm_srx_free(srx);
}

static const char inline_srx[] =
    "<?xml version='1.0'?>\n"
    "<srx xmlns='http://www.lisa.org/srx20' version='2.0'>\n"
    "<header cascade='%s'/>\n"
    "<body><languagerules>\n"
    "<languagerule languagerulename='nb'>\n"
    "<rule break='no'><beforebreak>\\bbl\\.a\\.</beforebreak>"
    "<afterbreak>\\s</afterbreak></rule>\n"
    "</languagerule>\n"
    "<languagerule languagerulename='all'>\n"
    "<rule break='yes'><beforebreak>[.?!]</beforebreak>"
    "<afterbreak>\\s+\\p{Lu}</afterbreak></rule>\n"
    "</languagerule>\n"
    "</languagerules><maprules>\n"
    "<languagemap languagepattern='nb.*' languagerulename='nb'/>\n"
    "<languagemap languagepattern='.*' languagerulename='all'/>\n"
    "</maprules></body></srx>\n";

static struct tm_srx *load_inline(const char *cascade)
{
	struct tm_srx *srx = NULL;
	struct tolk_err err;
	char doc[2048];

	snprintf(doc, sizeof(doc), inline_srx, cascade);
	if (tm_srx_load_memory(&srx, doc, strlen(doc), "inline.srx", &err))
		fail_msg("%s", err.msg);
	return srx;
}

static void cascade_joins_rules_of_every_matching_map(void **state)
{
	struct tm_srx *srx = load_inline("yes");
	char *s;

	(void)state;
	s = split(srx, "nb", "Vi har bl.a. Oslo. Det er fint.");
	assert_string_equal(s, "Vi har bl.a. Oslo.| Det er fint.");
	free(s);
	tm_srx_free(srx);
}

static void without_cascade_only_first_map_applies(void **state)
{
	struct tm_srx *srx = load_inline("no");
	char *s;

	(void)state;
	/* only the no-break rule: nothing breaks */
	s = split(srx, "nb", "Vi har bl.a. Oslo. Det er fint.");
	assert_string_equal(s, "Vi har bl.a. Oslo. Det er fint.");
	free(s);
	s = split(srx, "en", "One. Two.");
	assert_string_equal(s, "One.| Two.");
	free(s);
	tm_srx_free(srx);
}

static void first_matching_rule_decides(void **state)
{
	struct tm_srx *srx = load_inline("yes");
	struct tm_srx_rules *r;
	struct tolk_err err;
	const char *t = "bl.a. Oslo. X";
	unsigned char marks[32];

	(void)state;
	assert_int_equal(tm_srx_rules_for(srx, "nb", &r, &err), 0);
	assert_int_equal(tm_srx_rules_count(r), 2);
	assert_int_equal(tm_srx_rules_mark(r, t, strlen(t), marks, &err), 0);
	assert_int_equal(marks[5], TM_SRX_NOBREAK); /* after "bl.a." */
	assert_int_equal(marks[11], TM_SRX_BREAK);  /* after "Oslo." */
	assert_int_equal(marks[3], TM_SRX_NONE);    /* "bl." + "a" */
	tm_srx_rules_free(r);
	tm_srx_free(srx);
}

static void malformed_xml_is_reported_with_line(void **state)
{
	const char *doc = "<srx>\n<header>\n</srx>";
	struct tm_srx *srx = NULL;
	struct tolk_err err;

	(void)state;
	assert_int_equal(
	    tm_srx_load_memory(&srx, doc, strlen(doc), "bad.srx", &err),
	    TOLK_EINPUT);
	assert_null(srx);
	assert_string_equal(err.file, "bad.srx");
	assert_int_equal(err.line, 3);
}

static void entities_are_refused_not_expanded(void **state)
{
	const char *doc =
	    "<?xml version='1.0'?>\n"
	    "<!DOCTYPE srx [<!ENTITY x 'boom'>]>\n"
	    "<srx><body><languagerules><languagerule "
	    "languagerulename='a'>\n<rule><beforebreak>&x;</beforebreak>"
	    "</rule></languagerule></languagerules></body></srx>";
	struct tm_srx *srx = NULL;
	struct tolk_err err;

	(void)state;
	assert_int_equal(
	    tm_srx_load_memory(&srx, doc, strlen(doc), "e.srx", &err),
	    TOLK_EINPUT);
	assert_non_null(strstr(err.msg, "entity"));
}

static void external_dtd_is_not_fetched(void **state)
{
	/* A file that would need its external DTD loads without it. */
	const char *doc = "<?xml version='1.0'?>\n"
			  "<!DOCTYPE srx SYSTEM 'http://127.0.0.1:1/srx.dtd'>\n"
			  "<srx><header cascade='no'/><body><languagerules>"
			  "<languagerule languagerulename='a'/></languagerules>"
			  "<maprules><languagemap languagepattern='.*' "
			  "languagerulename='a'/></maprules></body></srx>";
	struct tm_srx *srx = NULL;
	struct tolk_err err;

	(void)state;
	assert_int_equal(
	    tm_srx_load_memory(&srx, doc, strlen(doc), "d.srx", &err), 0);
	assert_int_equal(tm_srx_languagerule_count(srx), 1);
	tm_srx_free(srx);
}

static void bad_regex_names_its_line(void **state)
{
	const char *doc =
	    "<srx><body><languagerules>\n"
	    "<languagerule languagerulename='a'>\n"
	    "<rule><beforebreak>([</beforebreak></rule>\n"
	    "</languagerule></languagerules><maprules>"
	    "<languagemap languagepattern='.*' languagerulename='a'/>"
	    "</maprules></body></srx>";
	struct tm_srx *srx = NULL;
	struct tm_srx_rules *r = NULL;
	struct tolk_err err;

	(void)state;
	assert_int_equal(
	    tm_srx_load_memory(&srx, doc, strlen(doc), "r.srx", &err), 0);
	assert_int_equal(tm_srx_rules_for(srx, "en", &r, &err), TOLK_EINPUT);
	assert_null(r);
	assert_int_equal(err.line, 3);
	tm_srx_free(srx);
}

static void map_to_unknown_languagerule_is_refused(void **state)
{
	const char *doc = "<srx><body><maprules>\n"
			  "<languagemap languagepattern='.*' "
			  "languagerulename='nope'/></maprules></body></srx>";
	struct tm_srx *srx = NULL;
	struct tolk_err err;

	(void)state;
	assert_int_equal(
	    tm_srx_load_memory(&srx, doc, strlen(doc), "m.srx", &err),
	    TOLK_EINPUT);
	assert_int_equal(err.line, 2);
}

static void runaway_rule_is_stopped(void **state)
{
	const char *doc =
	    "<srx><header cascade='no'/><body><languagerules>\n"
	    "<languagerule languagerulename='a'>\n"
	    "<rule><beforebreak>(a+)+b</beforebreak></rule>\n"
	    "</languagerule></languagerules><maprules>"
	    "<languagemap languagepattern='.*' languagerulename='a'/>"
	    "</maprules></body></srx>";
	char text[64];
	struct tm_srx *srx = NULL;
	struct tm_srx_rules *r = NULL;
	struct tolk_err err;
	unsigned char marks[sizeof(text)];

	(void)state;
	memset(text, 'a', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	assert_int_equal(
	    tm_srx_load_memory(&srx, doc, strlen(doc), "r.srx", &err), 0);
	assert_int_equal(tm_srx_rules_for(srx, "en", &r, &err), 0);
	assert_int_equal(tm_srx_rules_mark(r, text, strlen(text), marks, &err),
			 TOLK_EINPUT);
	assert_non_null(strstr(err.msg, "too long"));
	tm_srx_rules_free(r);
	tm_srx_free(srx);
}

static unsigned long long rng = 88172645463325252ULL;

static unsigned next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)rng;
}

static void damaged_files_fail_cleanly(void **state)
{
	char doc[2048];
	const char *text = "Vi har bl.a. Oslo. Det er fint! Ja? Nei.";
	unsigned char marks[64];
	int round;

	(void)state;
	for (round = 0; round < 300; round++) {
		struct tm_srx *srx = NULL;
		struct tm_srx_rules *r = NULL;
		struct tolk_err err;
		size_t len, k, flips = 1 + next_rand() % 6;
		int rc;

		snprintf(doc, sizeof(doc), inline_srx, "yes");
		len = strlen(doc);
		for (k = 0; k < flips; k++)
			doc[next_rand() % len] = (char)(next_rand() & 0xFF);
		rc = tm_srx_load_memory(&srx, doc, len, "fuzz.srx", &err);
		assert_true(rc == 0 || rc == TOLK_EINPUT);
		if (rc)
			continue;
		rc = tm_srx_rules_for(srx, "nb", &r, &err);
		assert_true(rc == 0 || rc == TOLK_EINPUT);
		if (rc == 0)
			assert_int_equal(tm_srx_rules_mark(r, text,
							   strlen(text), marks,
							   &err),
					 0);
		tm_srx_rules_free(r);
		tm_srx_free(srx);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(languagetool_srx_loads_and_applies),
	    cmocka_unit_test(omegat_srx_loads_with_uppercase_language_maps),
	    cmocka_unit_test(okapi_srx_loads_without_cascade),
	    cmocka_unit_test(cascade_joins_rules_of_every_matching_map),
	    cmocka_unit_test(without_cascade_only_first_map_applies),
	    cmocka_unit_test(first_matching_rule_decides),
	    cmocka_unit_test(malformed_xml_is_reported_with_line),
	    cmocka_unit_test(entities_are_refused_not_expanded),
	    cmocka_unit_test(external_dtd_is_not_fetched),
	    cmocka_unit_test(bad_regex_names_its_line),
	    cmocka_unit_test(map_to_unknown_languagerule_is_refused),
	    cmocka_unit_test(runaway_rule_is_stopped),
	    cmocka_unit_test(damaged_files_fail_cleanly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
