/* Unit tests of the tokenizer's fast segmenter: on every text it takes,
 * it must give the very tokens ICU's word breaks give (kinds, offsets,
 * spaces, keys, stems, counts), since indexes built by either are read by
 * the other.  Each text is tokenised by two tokenizers, one held to ICU
 * and to keys made afresh for every word (no word memo), and the two
 * results compared whole. */
#define _XOPEN_SOURCE 700
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ftw.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "tm/match_int.h"
#include "tm/match_tok_int.h"

static struct mt_tokenizer *fast_tk, *icu_tk;
static struct mt_text fast_mt, icu_mt;
static size_t compared;

static int setup(void **state)
{
	(void)state;
	if (mt_tokenizer_new(&fast_tk, NULL) || mt_tokenizer_new(&icu_tk, NULL))
		return -1;
	mt_tokenizer_set_path(icu_tk, MT_PATH_ICU);
	/* and every word's keys made afresh there: the memo, keyed by a
	 * word's bytes, must answer as word_keys_of would */
	mt_tokenizer_set_memo(icu_tk, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	mt_text_release(&fast_mt);
	mt_text_release(&icu_mt);
	mt_tokenizer_free(fast_tk);
	mt_tokenizer_free(icu_tk);
	return 0;
}

static const char *shared_dir(void)
{
	const char *s = getenv("TOLK_SHARED");

	return s ? s : "../shared";
}

/* The text as C escapes on stderr, for a failure to be replayed. */
static void print_text(const char *text, size_t len)
{
	size_t i;

	fprintf(stderr, "text: \"");
	for (i = 0; i < len; i++)
		fprintf(stderr, "\\x%02x", (unsigned char)text[i]);
	fprintf(stderr, "\"\n");
}

/* Fails, naming the text, unless both paths give the same tokens. */
static void same_tokens(const char *text, size_t len)
{
	const struct mt_text *a = &fast_mt, *b = &icu_mt;
	size_t i;

	assert_int_equal(mt_tokenize(fast_tk, text, len, &fast_mt, NULL), 0);
	assert_int_equal(mt_tokenize(icu_tk, text, len, &icu_mt, NULL), 0);
	compared++;
	if (a->n != b->n || a->nwords != b->nwords || a->nnums != b->nnums ||
	    a->nph != b->nph || a->ident != b->ident || a->npool != b->npool ||
	    (a->npool && memcmp(a->pool, b->pool, a->npool) != 0)) {
		print_text(text, len);
		fail_msg("texts differ (%zu tokens, ICU %zu): \"%.*s\"", a->n,
			 b->n, (int)len, text);
	}
	for (i = 0; i < a->n; i++) {
		const struct mt_tok *x = &a->t[i], *y = &b->t[i];

		if (x->start != y->start || x->end != y->end ||
		    x->kind != y->kind || x->space_before != y->space_before ||
		    x->ph != y->ph || x->exact != y->exact ||
		    x->fold != y->fold || x->loose != y->loose ||
		    x->stem != y->stem || x->woff != y->woff ||
		    x->wlen != y->wlen || x->slen != y->slen) {
			print_text(text, len);
			fail_msg("token %zu differs (%u-%u kind %d, ICU %u-%u "
				 "kind %d): \"%.*s\"",
				 i, x->start, x->end, x->kind, y->start, y->end,
				 y->kind, (int)len, text);
		}
	}
}

/* ---- the corpora ------------------------------------------------------- */

static void same_tokens_str(const char *s)
{
	same_tokens(s, strlen(s));
}

/* The text and the markup of every segment element of an XML file. */
static void walk_xml(xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (!xmlStrcmp(n->name, BAD_CAST "seg") ||
		    !xmlStrcmp(n->name, BAD_CAST "source") ||
		    !xmlStrcmp(n->name, BAD_CAST "target")) {
			xmlChar *text = xmlNodeGetContent(n);
			xmlBuffer *buf = xmlBufferCreate();
			xmlNode *c;

			if (text)
				same_tokens_str((const char *)text);
			xmlFree(text);
			assert_non_null(buf);
			/* inline tags as text: what find_tags sees */
			for (c = n->children; c; c = c->next)
				xmlNodeDump(buf, n->doc, c, 0, 0);
			same_tokens((const char *)xmlBufferContent(buf),
				    (size_t)xmlBufferLength(buf));
			xmlBufferFree(buf);
		}
		walk_xml(n->children);
	}
}

/* Every line of a text file, every tab-separated field of it, and the
 * file whole (past the token limit for the longer ones). */
static void tokenize_lines(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *all = NULL, *p, *e, *tab;
	size_t n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = (size_t)ftell(f);
	rewind(f);
	assert_non_null(all = malloc(n + 1));
	assert_int_equal(fread(all, 1, n, f), n);
	fclose(f);
	all[n] = 0;
	same_tokens(all, n);
	for (p = all; p < all + n; p = e + 1) {
		if (!(e = memchr(p, '\n', (size_t)(all + n - p))))
			e = all + n;
		same_tokens(p, (size_t)(e - p));
		while ((tab = memchr(p, '\t', (size_t)(e - p)))) {
			same_tokens(p, (size_t)(tab - p));
			p = tab + 1;
		}
		same_tokens(p, (size_t)(e - p));
	}
	free(all);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n >= m && strcmp(s + n - m, suf) == 0;
}

static int xml_files, text_files;

static int visit(const char *path, const struct stat *sb, int type,
		 struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (type != FTW_F)
		return 0;
	if (has_suffix(path, ".tmx") || strstr(path, ".xlf") ||
	    strstr(path, ".xliff") || has_suffix(path, ".txlf")) {
		xmlDoc *doc =
		    xmlReadFile(path, NULL,
				XML_PARSE_RECOVER | XML_PARSE_NONET |
				    XML_PARSE_NOERROR | XML_PARSE_NOWARNING);

		if (doc) {
			walk_xml(xmlDocGetRootElement(doc));
			xmlFreeDoc(doc);
			xml_files++;
		}
	} else if (has_suffix(path, ".txt") || has_suffix(path, ".sent") ||
		   has_suffix(path, ".tsv") || has_suffix(path, ".md")) {
		tokenize_lines(path);
		text_files++;
	}
	return 0;
}

static void corpus_tmx_xliff_and_fixtures_agree(void **state)
{
	char dir[512];
	size_t fast, texts;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/corpus", shared_dir());
	if (nftw(dir, visit, 16, FTW_PHYS) != 0)
		fail_msg("cannot read %s (set TOLK_SHARED)", dir);
	snprintf(dir, sizeof(dir), "%s/fixtures",
		 getenv("TOLK_TOP") ? getenv("TOLK_TOP") : ".");
	if (nftw(dir, visit, 16, FTW_PHYS) != 0)
		fail_msg("cannot read %s (set TOLK_TOP)", dir);
	/* the corpus is there, and the fast path is what was tested */
	assert_true(xml_files >= 50);
	assert_true(text_files >= 30);
	mt_tokenizer_counts(fast_tk, &texts, &fast);
	assert_true(fast * 2 > texts);
}

/* ---- adversarial strings ----------------------------------------------- */

/* Pieces strings are built of: what the fast path reads, what sends a
 * text to ICU, and the contexts where UAX #29 joins across punctuation. */
static const char *const pieces[] = {
    "a",
    "Z",
    "ord",
    "Hus",
    "\xc3\xa6",
    "\xc3\xb8",
    "\xc3\xa5",
    "\xc3\x86",
    "\xc3\x98",
    "\xc3\x85",
    "\xc3\xa9",
    "\xc3\x9f",
    "\xc3\xbf",
    "\xc3\x97",
    "\xc3\xb7",
    "0",
    "7",
    "12",
    "000",
    " ",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    ".",
    ",",
    ";",
    ":",
    "'",
    "\xe2\x80\x99",
    "\xe2\x80\x98",
    "-",
    "\xe2\x80\x93",
    "\xe2\x80\x94",
    "_",
    "/",
    "(",
    ")",
    "%",
    "{",
    "}",
    "<",
    ">",
    "&",
    "\"",
    "?",
    "!",
    "@",
    "#",
    "$",
    "*",
    "+",
    "=",
    "\xc2\xab",
    "\xc2\xbb",
    "\xe2\x80\x9c",
    "\xe2\x80\x9d",
    "\xe2\x80\xa6",
    "\xc2\xa0",
    "\xe2\x80\xaf",
    "\xc2\xa7",
    "\xc2\xb0",
    "\xc2\xb5",
    "\xc2\xaa",
    "\xd0\x96",		/* Cyrillic */
    "\xce\xb1",		/* Greek */
    "\xe6\x97\xa5",	/* CJK */
    "\xd7\x90",		/* Hebrew */
    "\xcc\x81",		/* combining acute */
    "\xe2\x80\x8d",	/* zero width joiner */
    "\xf0\x9f\x98\x80", /* emoji */
    "\xef\xbf\xbc",	/* object replacement */
    "\xff",		/* not UTF-8 */
    "<b>",
    "</b>",
    "{0}",
    "%s",
    "{{name}}",
    "1,5",
    "12 000",
    "2.",
    "e-post",
    "kl.",
    "d'",
    "l'",
};
#define NPIECES (sizeof(pieces) / sizeof(pieces[0]))
/* the ones before it are fast-path characters */
#define NSAFE 33

static uint64_t rnd_state;

static uint32_t rnd(uint32_t n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (uint32_t)((rnd_state >> 11) % n);
}

static void random_strings_agree(void **state)
{
	char s[512];
	size_t texts0, fast0, texts, fast, i;
	uint64_t seed;

	(void)state;
	mt_tokenizer_counts(fast_tk, &texts0, &fast0);
	for (seed = 1; seed <= 4; seed++) {
		rnd_state = 0x9e3779b97f4a7c15ULL * seed;
		for (i = 0; i < 250000; i++) {
			size_t len = 0, k, m = rnd(24);
			/* most strings drawn from the fast path's pieces, so
			 * that it is tested; the rest from all of them */
			uint32_t pool = rnd(4) ? NSAFE : (uint32_t)NPIECES;

			for (k = 0; k < m; k++) {
				const char *p = pieces[rnd(pool)];
				size_t pl = strlen(p);

				if (len + pl >= sizeof(s))
					break;
				memcpy(s + len, p, pl);
				len += pl;
			}
			same_tokens(s, len);
		}
	}
	mt_tokenizer_counts(fast_tk, &texts, &fast);
	/* the fast path took a good share of them */
	assert_true((fast - fast0) * 4 > texts - texts0);
}

/* Every byte value at every place of a word longer than the fast path
 * reads at once (eight bytes): the word ends where ICU ends it, whether
 * the byte is a letter, a digit, a mark, white space or the start of a
 * character outside ASCII. */
static void every_byte_in_a_long_word_agrees(void **state)
{
	const char word[] = "Kommunestyrets9vedtak";
	char s[64];
	size_t p, len = sizeof(word) - 1;
	int c;

	(void)state;
	for (c = 1; c < 256; c++)
		for (p = 0; p < len; p++) {
			memcpy(s, word, len);
			s[p] = (char)c;
			memcpy(s + len, " og", 3);
			same_tokens(s, len + 3);
			same_tokens(s, p + 1); /* the byte last */
		}
}

/* A bulk tokenizer leaves the stem and bytes of words its memo knows to
 * mt_word_fill: once filled, every word is the plain tokenizer's, also a
 * word whose memo slot a later word of the same text took (more words
 * than the memo has slots make that happen). */
static void bulk_words_filled_equal_plain(void **state)
{
	static const char *syl[] = {"ka",   "ne",  "tor", "fisk", "\xc3\xb8",
				    "gard", "be",  "sk",  "ol",	  "\xc3\xa5r",
				    "mi",   "vei", "lan", "e",	  "hus"};
	struct mt_tokenizer *bulk;
	struct mt_text bm = {0};
	char s[2048];
	size_t nsyl = sizeof(syl) / sizeof(syl[0]), i, k, len, words = 0;
	int text;

	(void)state;
	assert_int_equal(mt_tokenizer_new(&bulk, NULL), 0);
	mt_tokenizer_set_bulk(bulk);
	rnd_state = 0x2545f4914f6cdd1dULL;
	for (text = 0; text < 1200; text++) {
		for (len = 0, k = 0; k < 80 && len + 64 < sizeof(s); k++) {
			/* a few common words, many rare ones */
			size_t m = rnd(4) ? 1 + rnd(2) : 3 + rnd(3), j;

			for (j = 0; j < m; j++) {
				const char *p = syl[rnd(rnd(3) ? 4 : nsyl)];

				memcpy(s + len, p, strlen(p));
				len += strlen(p);
			}
			s[len++] = ' ';
		}
		assert_int_equal(mt_tokenize(bulk, s, len, &bm, NULL), 0);
		assert_int_equal(mt_tokenize(fast_tk, s, len, &fast_mt, NULL),
				 0);
		assert_int_equal(bm.n, fast_mt.n);
		for (i = 0; i < bm.n; i++) {
			struct mt_tok *x = &bm.t[i];
			const struct mt_tok *y = &fast_mt.t[i];

			assert_int_equal(mt_word_fill(bulk, &bm, x), 0);
			assert_true(x->exact == y->exact &&
				    x->fold == y->fold &&
				    x->loose == y->loose && x->stem == y->stem);
			assert_int_equal(x->wlen, y->wlen);
			assert_int_equal(x->slen, y->slen);
			assert_memory_equal(bm.pool + x->woff,
					    fast_mt.pool + y->woff,
					    (size_t)x->wlen + x->slen);
			words += x->kind == MT_WORD;
		}
	}
	assert_true(words > 50000);
	mt_text_release(&bm);
	mt_tokenizer_free(bulk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(corpus_tmx_xliff_and_fixtures_agree),
	    cmocka_unit_test(random_strings_agree),
	    cmocka_unit_test(every_byte_in_a_long_word_agrees),
	    cmocka_unit_test(bulk_words_filled_equal_plain),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);

	xmlCleanupParser();
	return rc;
}
