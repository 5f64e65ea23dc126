#include "glossary/termmatch.h"
#include "glossary/gl_int.h"
#include "util/buf.h"
#include "util/utf8.h"
#include "util/vec.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#define MAX_PATTERN_WORDS 32
#define MIN_STEM_CP	  4

/* ---- tokenised text ------------------------------------------------------ */

struct gl_tok {
	size_t start, end;     /* bytes in norm */
	size_t fold, foldlen;  /* bytes in folds */
	unsigned char aligned; /* fold has as many code points as the word */
};

struct gl_text {
	UBreakIterator *bi;
	struct tolk_buf norm, folds;
	UChar *u, *n, *f;
	int32_t ucap, ncap, fcap;
	size_t *map; /* UTF-16 index of the normalised text -> byte */
	size_t mapcap;
	struct gl_tok *toks;
	size_t ntoks, capt;
};

int gl_text_new(struct gl_text **out, struct tolk_err *err)
{
	struct gl_text *t = calloc(1, sizeof(*t));
	UErrorCode st = U_ZERO_ERROR;

	*out = NULL;
	if (!t)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	t->bi = ubrk_open(UBRK_WORD, "", NULL, 0, &st);
	if (U_FAILURE(st)) {
		free(t);
		return tolk_err_set(err, TOLK_EINTERNAL, "ICU word break: %s",
				    u_errorName(st));
	}
	*out = t;
	return 0;
}

void gl_text_free(struct gl_text *t)
{
	if (!t)
		return;
	ubrk_close(t->bi);
	tolk_buf_free(&t->norm);
	tolk_buf_free(&t->folds);
	free(t->u);
	free(t->n);
	free(t->f);
	free(t->map);
	free(t->toks);
	free(t);
}

const char *gl_text_str(const struct gl_text *t)
{
	return tolk_buf_str(&t->norm);
}

size_t gl_text_len(const struct gl_text *t)
{
	return t->norm.len;
}

size_t gl_text_words(const struct gl_text *t)
{
	return t->ntoks;
}

static int ensure_u(UChar **p, int32_t *cap, int32_t need)
{
	UChar *q;

	if (need <= *cap)
		return 0;
	q = realloc(*p, (size_t)need * sizeof(UChar));
	if (!q)
		return TOLK_ENOMEM;
	*p = q;
	*cap = need;
	return 0;
}

static int add_tok(struct gl_text *t, int32_t a, int32_t b)
{
	struct gl_tok *k;
	UErrorCode st = U_ZERO_ERROR;
	int32_t flen, blen = 0;

	if (TOLK_GROW(t->toks, t->capt, t->ntoks + 1, 64))
		return TOLK_ENOMEM;
	if (ensure_u(&t->f, &t->fcap, (b - a) * 3 + 8))
		return TOLK_ENOMEM;
	flen = u_strFoldCase(t->f, t->fcap, t->n + a, b - a,
			     U_FOLD_CASE_DEFAULT, &st);
	if (U_FAILURE(st))
		return TOLK_EINTERNAL;
	{
		/* Soft hyphens and other invisible format characters from
		 * editing systems would hide a word: drop them from the key. */
		int32_t i = 0, w = 0;
		UChar32 c;

		while (i < flen) {
			int32_t at = i;

			U16_NEXT(t->f, i, flen, c);
			if (u_hasBinaryProperty(
				c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT))
				continue;
			/* Minister’s and Minister's are one key whatever
			 * apostrophe the editing system typed. */
			if (c == 0x2019 || c == 0x02bc) {
				t->f[w++] = 0x27;
				continue;
			}
			while (at < i)
				t->f[w++] = t->f[at++];
		}
		flen = w;
	}
	u_strToUTF8(NULL, 0, &blen, t->f, flen, &st);
	st = U_ZERO_ERROR;
	if (tolk_buf_grow(&t->folds, (size_t)blen + 1))
		return TOLK_ENOMEM;
	u_strToUTF8(t->folds.data + t->folds.len, blen + 1, NULL, t->f, flen,
		    &st);
	if (U_FAILURE(st))
		return TOLK_EINTERNAL;
	k = &t->toks[t->ntoks++];
	k->start = t->map[a];
	k->end = t->map[b];
	k->fold = t->folds.len;
	k->foldlen = (size_t)blen;
	k->aligned =
	    u_countChar32(t->f, flen) == u_countChar32(t->n + a, b - a);
	t->folds.len += (size_t)blen + 1; /* keep the NUL */
	t->folds.data[t->folds.len] = '\0';
	return 0;
}

int gl_text_set(struct gl_text *t, const char *s, size_t len,
		struct tolk_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	const UNormalizer2 *nfc;
	int32_t ulen = 0, nlen, i, a, b;
	size_t bad, off;
	int rc;

	t->ntoks = 0;
	tolk_buf_reset(&t->norm);
	tolk_buf_reset(&t->folds);
	if (len > INT32_MAX / 4)
		return tolk_err_set(err, TOLK_EINPUT, "text too long");
	if (!tolk_utf8_valid(s, len, &bad))
		return tolk_err_set(err, TOLK_EINPUT,
				    "invalid UTF-8 at byte %zu", bad + 1);
	nfc = unorm2_getNFCInstance(&st);
	if (ensure_u(&t->u, &t->ucap, (int32_t)len + 1))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	u_strFromUTF8(t->u, t->ucap, &ulen, s, (int32_t)len, &st);
	if (U_FAILURE(st))
		return tolk_err_set(err, TOLK_EINTERNAL, "ICU: %s",
				    u_errorName(st));
	if (unorm2_isNormalized(nfc, t->u, ulen, &st) || U_FAILURE(st)) {
		UChar *x = t->n;
		int32_t xc = t->ncap;

		/* swap so that t->n holds the text either way */
		t->n = t->u;
		t->ncap = t->ucap;
		t->u = x;
		t->ucap = xc;
		nlen = ulen;
		st = U_ZERO_ERROR;
	} else {
		if (ensure_u(&t->n, &t->ncap, ulen * 3 + 1))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		nlen = unorm2_normalize(nfc, t->u, ulen, t->n, t->ncap, &st);
		if (U_FAILURE(st))
			return tolk_err_set(err, TOLK_EINTERNAL,
					    "ICU normalise: %s",
					    u_errorName(st));
	}
	if ((size_t)nlen + 1 > t->mapcap) {
		size_t *m = realloc(t->map, ((size_t)nlen + 1) * sizeof(*m));

		if (!m)
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		t->map = m;
		t->mapcap = (size_t)nlen + 1;
	}
	for (i = 0, off = 0; i < nlen;) {
		UChar32 c;
		int32_t j = i;

		U16_NEXT(t->n, i, nlen, c);
		for (; j < i; j++)
			t->map[j] = off;
		off += (size_t)U8_LENGTH(c);
	}
	t->map[nlen] = off;
	if (tolk_buf_grow(&t->norm, off + 1))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	u_strToUTF8(t->norm.data, (int32_t)off + 1, NULL, t->n, nlen, &st);
	t->norm.len = off;
	t->norm.data[off] = '\0';
	ubrk_setText(t->bi, t->n, nlen, &st);
	if (U_FAILURE(st))
		return tolk_err_set(err, TOLK_EINTERNAL, "ICU word break: %s",
				    u_errorName(st));
	if (tolk_buf_grow(&t->folds, 1))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (a = ubrk_first(t->bi); (b = ubrk_next(t->bi)) != UBRK_DONE;
	     a = b) {
		if (ubrk_getRuleStatus(t->bi) < UBRK_WORD_NONE_LIMIT)
			continue;
		if ((rc = add_tok(t, a, b)))
			return tolk_err_set(err, rc,
					    rc == TOLK_ENOMEM
						? "out of memory"
						: "ICU case fold");
	}
	return 0;
}

static const char *tok_fold(const struct gl_text *t, size_t i)
{
	return t->folds.data + t->toks[i].fold;
}

const char *gl_text_word(const struct gl_text *t, size_t i, size_t *start,
			 size_t *end, size_t *foldlen)
{
	*start = t->toks[i].start;
	*end = t->toks[i].end;
	*foldlen = t->toks[i].foldlen;
	return tok_fold(t, i);
}

int gl_text_key(const struct gl_text *t, struct tolk_buf *out)
{
	size_t i;

	tolk_buf_reset(out);
	for (i = 0; i < t->ntoks; i++)
		if ((out->len && tolk_buf_putc(out, ' ')) ||
		    tolk_buf_append(out, tok_fold(t, i), t->toks[i].foldlen))
			return TOLK_ENOMEM;
	return tolk_buf_putc(out, '\0') ? TOLK_ENOMEM : (out->len--, 0);
}

/* ---- matcher ------------------------------------------------------------- */

static const char *const endings_nb[] = {
    "",	  "s",	 "e",	 "es",	  "en", "ens",		 "et", "ets", "a", "as",
    "er", "ers", "ene",	 "enes",  "ne", "nes",		 "n",  "ns",  "t", "ts",
    "re", "res", "rene", "renes", "'s", "\xe2\x80\x99s", NULL,
};
static const char *const endings_en[] = {
    "", "s", "es", "'s", "s'", NULL,
};
/* After an acronym (a pattern word in capitals) an ending must be written
 * in small letters, so SV is not found in SVT; in English only the
 * possessive is an inflection of an acronym (NTB's, not NTBs). */
static const char *const acronym_en[] = {"'s", "\xe2\x80\x99s", NULL};
/* ... and, for a countable thing (GL_CASE_PLURAL), the plural: MPs */
static const char *const acronym_en_plural[] = {
    "'s", "\xe2\x80\x99s", "s", "s'", "s\xe2\x80\x99", NULL,
};

/* English plurals the stemmer does not bring to the singular's stem:
 * the singular's ending -> the plural's.  Regular plurals (authorities,
 * churches) are left to the Snowball stemmer. */
static const struct {
	const char *sg, *pl;
} irregular_en[] = {
    {"man", "men"},
    {"child", "children"},
    {"person", "people"},
    {"sis", "ses"},
    {"foot", "feet"},
    {"tooth", "teeth"},
    {"mouse", "mice"},
    {"fe", "ves"},
    {"f", "ves"},
    {"criterion", "criteria"},
    {"phenomenon", "phenomena"},
    {"medium", "media"},
};

struct pat_word {
	uint32_t cls; /* word class: index of its folded form */
	char *orig;   /* as written in the pattern */
	char *gap;    /* punctuation before it, white space removed */
};

struct pattern {
	size_t tag;
	enum gl_case cs;
	size_t nwords;
	struct pat_word *w;
	size_t next; /* next pattern ending at the same trie node */
	int except;  /* an exception phrase of tag, not a term */
	int plural;  /* GL_CASE_PLURAL was given */
	int bare;    /* GL_CASE_BARE was given */
	int inner;   /* GL_CASE_BARE_INNER was given */
	int noun;    /* GL_CASE_NOUN was given */
};

struct keyent {
	uint32_t cls;
	uint32_t nverify; /* code points of the key shared with the word */
};

struct keylist {
	struct keyent *v;
	size_t n;
};

struct cand {
	uint32_t cls;
	uint32_t nverify;
	/* reached only through a form no Norwegian noun of the class takes:
	 * K + "e" or K + "es" (see noun_e_ending), or another word's form
	 * of an -er noun's stem (see er_noun_other_word) */
	unsigned char bare_e;
};

struct gl_matcher {
	enum gl_lang lang;
	struct sb_stemmer *stemmer;
	struct gl_text *scratch;
	struct gl_strmap classes; /* folded word -> class */
	struct gl_strmap keys;	  /* key -> keylist index */
	struct keylist *kl;
	size_t nkl, capkl;
	struct gl_strmap edges; /* (node, class) -> child node */
	size_t *node_first;	/* first pattern ending at node, or NONE */
	size_t nnodes, capnodes;
	struct pattern *pats;
	size_t npats, cappats;
	size_t maxwords;
	size_t nexcept;
	/* folded form of each word class, for the stem rule */
	char **cfold;
	size_t ncfold, capcfold;
	/* per find */
	struct cand *cands;
	size_t ncands, capcands;
	size_t *cstart;
	size_t capcstart;
	struct gl_hits xhits; /* exception hits */
};

#define NONE ((size_t)-1)

static int new_node(struct gl_matcher *m, size_t *id)
{
	if (TOLK_GROW(m->node_first, m->capnodes, m->nnodes + 1, 256))
		return TOLK_ENOMEM;
	m->node_first[m->nnodes] = NONE;
	*id = m->nnodes++;
	return 0;
}

int gl_matcher_new(struct gl_matcher **out, enum gl_lang lang,
		   struct tolk_err *err)
{
	struct gl_matcher *m = calloc(1, sizeof(*m));
	size_t root;
	int rc;

	*out = NULL;
	if (!m)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	m->lang = lang;
	m->stemmer = sb_stemmer_new(
	    lang == GL_LANG_NB ? "norwegian" : "english", "UTF_8");
	if (!m->stemmer) {
		free(m);
		return tolk_err_set(
		    err, TOLK_EINTERNAL, "libstemmer has no %s stemmer",
		    lang == GL_LANG_NB ? "Norwegian" : "English");
	}
	if ((rc = gl_text_new(&m->scratch, err)))
		goto fail;
	if (new_node(m, &root)) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto fail;
	}
	*out = m;
	return 0;
fail:
	gl_matcher_free(m);
	return rc;
}

void gl_matcher_free(struct gl_matcher *m)
{
	size_t i, k;

	if (!m)
		return;
	sb_stemmer_delete(m->stemmer);
	gl_text_free(m->scratch);
	gl_strmap_release(&m->classes);
	gl_strmap_release(&m->keys);
	gl_strmap_release(&m->edges);
	for (i = 0; i < m->nkl; i++)
		free(m->kl[i].v);
	free(m->kl);
	for (i = 0; i < m->npats; i++) {
		for (k = 0; k < m->pats[i].nwords; k++) {
			free(m->pats[i].w[k].orig);
			free(m->pats[i].w[k].gap);
		}
		free(m->pats[i].w);
	}
	free(m->pats);
	free(m->node_first);
	free(m->cands);
	free(m->cstart);
	for (i = 0; i < m->ncfold; i++)
		free(m->cfold[i]);
	free(m->cfold);
	gl_hits_release(&m->xhits);
	free(m);
}

static int key_add(struct gl_matcher *m, const char *key, size_t len,
		   uint32_t cls, uint32_t nverify)
{
	struct keylist *l;
	size_t idx, i;

	if (!gl_strmap_get(&m->keys, key, len, &idx)) {
		if (TOLK_GROW(m->kl, m->capkl, m->nkl + 1, 64))
			return TOLK_ENOMEM;
		idx = m->nkl;
		m->kl[m->nkl].v = NULL;
		m->kl[m->nkl].n = 0;
		if (gl_strmap_put(&m->keys, key, len, idx))
			return TOLK_ENOMEM;
		m->nkl++;
	}
	l = &m->kl[idx];
	for (i = 0; i < l->n; i++)
		if (l->v[i].cls == cls)
			return 0;
	{
		struct keyent *p = realloc(l->v, (l->n + 1) * sizeof(*p));

		if (!p)
			return TOLK_ENOMEM;
		l->v = p;
		p[l->n].cls = cls;
		p[l->n].nverify = nverify;
		l->n++;
	}
	return 0;
}

#define STEM_KEY   '\x01' /* marks a key that is an English stem */
#define EN_KEY_MAX 256	  /* longer words get no stem or plural keys */

/* English keys of a pattern word: the word itself is keyed already; its
 * Snowball stem, marked, for the plurals the stemmer brings back to it
 * (see stem_cands), and the irregular plurals it has. */
static int english_keys(struct gl_matcher *m, const char *fold, size_t len,
			const char *stem, size_t slen, uint32_t cls)
{
	char key[EN_KEY_MAX];
	size_t i;
	int rc;

	if (tolk_utf8_count(fold, len) >= MIN_STEM_CP &&
	    slen + 1 < sizeof(key)) {
		key[0] = STEM_KEY;
		memcpy(key + 1, stem, slen);
		if ((rc = key_add(m, key, slen + 1, cls, 0)))
			return rc;
	}
	for (i = 0; i < sizeof(irregular_en) / sizeof(*irregular_en); i++) {
		size_t sl = strlen(irregular_en[i].sg),
		       pl = strlen(irregular_en[i].pl), base;

		if (sl > len ||
		    memcmp(fold + len - sl, irregular_en[i].sg, sl) != 0)
			continue;
		base = len - sl;
		if (base + pl >= sizeof(key))
			continue;
		memcpy(key, fold, base);
		memcpy(key + base, irregular_en[i].pl, pl);
		if ((rc = key_add(m, key, base + pl, cls,
				  (uint32_t)tolk_utf8_count(fold, base))))
			return rc;
	}
	return 0;
}

/* The class of a folded pattern word, registering its keys when new. */
/* The Norwegian stemmer also strips derivational suffixes (-lig, -ig,
 * -het, -leg), which make another word: fastlege stems to fast, statlig
 * to stat, rettighet to rett.  A stem that drops more than an inflection
 * of ours would find those other words as the term, so it is used only
 * when fold is the stem with one of endings_nb. */
static int nb_inflection(const char *fold, size_t len, const char *stem,
			 size_t slen)
{
	const char *const *e;

	if (slen > len || memcmp(fold, stem, slen) != 0)
		return 1;
	for (e = endings_nb; *e; e++)
		if (strlen(*e) == len - slen &&
		    memcmp(fold + slen, *e, len - slen) == 0)
			return 1;
	return 0;
}

static int word_class(struct gl_matcher *m, const char *fold, size_t len,
		      uint32_t *cls)
{
	const sb_symbol *stem;
	size_t idx, slen, common;
	int rc;

	if (gl_strmap_get(&m->classes, fold, len, &idx)) {
		*cls = (uint32_t)idx;
		return 0;
	}
	idx = m->classes.n;
	if (gl_strmap_put(&m->classes, fold, len, idx))
		return TOLK_ENOMEM;
	*cls = (uint32_t)idx;
	if (TOLK_GROW(m->cfold, m->capcfold, m->ncfold + 1, 64))
		return TOLK_ENOMEM;
	if (!(m->cfold[m->ncfold] = strndup(fold, len)))
		return TOLK_ENOMEM;
	m->ncfold++;
	if ((rc = key_add(m, fold, len, *cls,
			  (uint32_t)tolk_utf8_count(fold, len))))
		return rc;
	stem = sb_stemmer_stem(m->stemmer, (const sb_symbol *)fold, (int)len);
	if (!stem)
		return TOLK_ENOMEM;
	slen = (size_t)sb_stemmer_length(m->stemmer);
	if (m->lang == GL_LANG_EN)
		return english_keys(m, fold, len, (const char *)stem, slen,
				    *cls);
	if (slen == len && memcmp(stem, fold, len) == 0)
		return 0;
	if (tolk_utf8_count((const char *)stem, slen) < MIN_STEM_CP ||
	    !nb_inflection(fold, len, (const char *)stem, slen))
		return 0;
	for (common = 0; common < slen && common < len &&
			 stem[common] == (sb_symbol)fold[common];
	     common++)
		;
	while (common > 0 && ((unsigned char)fold[common] & 0xc0) == 0x80)
		common--;
	return key_add(m, (const char *)stem, slen, *cls,
		       (uint32_t)tolk_utf8_count(fold, common));
}

static int is_space_at(const char *s, size_t len, size_t *adv)
{
	unsigned char c = (unsigned char)s[0];

	*adv = 1;
	/* a hyphen joins words as a space does: source-code = source code */
	if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v' || c == '-')
		return 1;
	if (len >= 2 && c == 0xc2 && (unsigned char)s[1] == 0xa0) {
		*adv = 2;
		return 1;
	}
	/* U+2000..U+200A, U+2010/U+2011 (hyphens), U+202F, U+205F */
	if (len >= 3 && c == 0xe2 &&
	    (((unsigned char)s[1] == 0x80 &&
	      ((unsigned char)s[2] <= 0x8a || (unsigned char)s[2] == 0x90 ||
	       (unsigned char)s[2] == 0x91 || (unsigned char)s[2] == 0xaf)) ||
	     ((unsigned char)s[1] == 0x81 && (unsigned char)s[2] == 0x9f))) {
		*adv = 3;
		return 1;
	}
	return 0;
}

/* Copy of s[a,b) without white space. */
static char *strip_gap(const char *s, size_t a, size_t b)
{
	char *out = malloc(b - a + 1), *w = out;
	size_t adv;

	if (!out)
		return NULL;
	while (a < b) {
		if (is_space_at(s + a, b - a, &adv)) {
			a += adv;
			continue;
		}
		*w++ = s[a++];
	}
	*w = '\0';
	return out;
}

static int add_pattern(struct gl_matcher *m, const char *text, enum gl_case cs,
		       size_t tag, int except, struct tolk_err *err)
{
	struct gl_text *t = m->scratch;
	struct pattern p = {0};
	const char *s;
	size_t i, node = 0;
	int rc;

	if ((rc = gl_text_set(t, text, strlen(text), err)))
		return rc;
	if (t->ntoks == 0 || t->ntoks > MAX_PATTERN_WORDS)
		return tolk_err_set(err, TOLK_EINPUT,
				    t->ntoks ? "'%s' has too many words"
					     : "'%s' has no words",
				    text);
	s = gl_text_str(t);
	p.tag = tag;
	p.cs = cs & ~(GL_CASE_PLURAL | GL_CASE_BARE | GL_CASE_BARE_INNER |
		      GL_CASE_NOUN);
	p.noun = (cs & GL_CASE_NOUN) != 0;
	p.plural = (cs & GL_CASE_PLURAL) != 0;
	p.bare = (cs & GL_CASE_BARE) != 0;
	p.inner = (cs & GL_CASE_BARE_INNER) != 0;
	p.except = except;
	p.next = NONE;
	if (!(p.w = calloc(t->ntoks, sizeof(*p.w))))
		goto nomem;
	p.nwords = t->ntoks;
	for (i = 0; i < t->ntoks; i++) {
		const struct gl_tok *k = &t->toks[i];
		char key[16];
		size_t child;

		if (word_class(m, tok_fold(t, i), k->foldlen, &p.w[i].cls))
			goto nomem;
		p.w[i].orig = strndup(s + k->start, k->end - k->start);
		p.w[i].gap =
		    strip_gap(s, i ? t->toks[i - 1].end : k->start, k->start);
		if (!p.w[i].orig || !p.w[i].gap)
			goto nomem;
		memcpy(key, &node, sizeof(size_t));
		memcpy(key + 8, &p.w[i].cls, sizeof(uint32_t));
		if (!gl_strmap_get(&m->edges, key, 12, &child)) {
			if (new_node(m, &child) ||
			    gl_strmap_put(&m->edges, key, 12, child))
				goto nomem;
		}
		node = child;
	}
	if (TOLK_GROW(m->pats, m->cappats, m->npats + 1, 64))
		goto nomem;
	p.next = m->node_first[node];
	m->node_first[node] = m->npats;
	m->pats[m->npats++] = p;
	if (p.nwords > m->maxwords)
		m->maxwords = p.nwords;
	m->nexcept += except != 0;
	return 0;
nomem:
	if (p.w) {
		for (i = 0; i < p.nwords; i++) {
			free(p.w[i].orig);
			free(p.w[i].gap);
		}
		free(p.w);
	}
	return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
}

int gl_matcher_add(struct gl_matcher *m, const char *text, enum gl_case cs,
		   size_t tag, struct tolk_err *err)
{
	return add_pattern(m, text, cs, tag, 0, err);
}

int gl_matcher_add_except(struct gl_matcher *m, const char *text,
			  enum gl_case cs, size_t tag, struct tolk_err *err)
{
	return add_pattern(m, text, cs, tag, 1, err);
}

void gl_hits_release(struct gl_hits *h)
{
	free(h->v);
	h->v = NULL;
	h->n = h->cap = 0;
}

/* Vowel groups of the folded word s: its syllables, near enough. */
static int syllables(const char *s)
{
	int n = 0, in = 0;

	while (*s) {
		int v = strchr("aeiouy", *s) != NULL ||
			!strncmp(s, "\xc3\xa6", 2) || /* æ */
			!strncmp(s, "\xc3\xb8", 2) || /* ø */
			!strncmp(s, "\xc3\xa5", 2);   /* å */

		if (v && !in)
			n++;
		in = v;
		s += (unsigned char)*s >= 0xc0 ? 2 : 1;
	}
	return n;
}

/* Norwegian nouns take a bare -e (and its genitive -es) only where the
 * word itself ends in -e, its stem dropping it (kommun+e, kommun+es), or
 * as the plural of a noun in -er (lærer+e, dommer+es); a term written in
 * the plural in -r (kroner) has its singular in -e (krone).  Any other
 * word plus -e is a verb's infinitive or an adjective (rette "to fix" and
 * "the right one" beside the noun rett; love, skatte), which the ending
 * list would otherwise take for the term.  key is the part of the text
 * word before the ending, fold the pattern word's folded form.  A noun
 * made from a participle in -t of two syllables or more takes -e as an
 * adjective does (de ansatte, den tiltalte, to innsatte). */
static int noun_e_ending(const char *fold, const char *key, size_t len)
{
	size_t fl = strlen(fold);

	if (fl > 0 && fold[fl - 1] == 'e')
		return 1;
	if (fl > 0 && fold[fl - 1] == 't' && syllables(fold) >= 2)
		return 1;
	if (fl < 2 || memcmp(fold + fl - 2, "er", 2) != 0 ||
	    memcmp(fold, key, len < fl ? len : fl) != 0)
		return 0;
	return len == fl || len + 2 == fl;
}

/* A noun in -er (forsvarer, lærer, leder) keeps its -er in every form
 * (forsvareren, forsvarere, forsvarerne), so its stem bare or with a
 * neuter's -et (forsvar, forsvaret, forsvarets: "defence", the armed
 * forces) is another word, which the stem key would take for the term.
 * A term in the plural (kroner) still has its singular's forms in -e
 * (krone, kronen); a plural term whose singular is the bare stem (lover,
 * lov) is left to its other forms.  fold is the pattern word's folded
 * form, the text word key[0,len) + ending. */
static int er_noun_other_word(const char *fold, const char *key, size_t len,
			      const char *ending)
{
	size_t fl = strlen(fold);

	if (fl < 5 || len + 2 != fl || memcmp(fold + len, "er", 2) != 0 ||
	    memcmp(fold, key, len) != 0)
		return 0;
	return !*ending || !strcmp(ending, "et") || !strcmp(ending, "ets");
}

/* Adds the classes of key to the word's candidates.  Compound parts
 * (compound set) skip the case check: their letters are not aligned with
 * the start of the word.  ending is the Norwegian ending the text word
 * has after key, NULL where none was stripped or for English: a noun
 * takes "e" and "es" only by noun_e_ending, and its stem's other words
 * are no form of it (er_noun_other_word). */
static int key_cands(struct gl_matcher *m, size_t first, const char *key,
		     size_t len, int compound, const char *ending)
{
	size_t idx, k, c;

	if (!gl_strmap_get(&m->keys, key, len, &idx))
		return 0;
	for (k = 0; k < m->kl[idx].n; k++) {
		const struct keyent *ke = &m->kl[idx].v[k];
		uint32_t nv = compound ? 0 : ke->nverify;
		const char *fold = m->cfold[ke->cls];
		int e_ending =
		    ending && (!strcmp(ending, "e") || !strcmp(ending, "es"));
		unsigned char bare_e =
		    (e_ending && !noun_e_ending(fold, key, len)) ||
		    (ending && er_noun_other_word(fold, key, len, ending));

		for (c = first; c < m->ncands; c++)
			if (m->cands[c].cls == ke->cls)
				break;
		if (c < m->ncands) {
			if (nv > m->cands[c].nverify)
				m->cands[c].nverify = nv;
			/* another ending makes it a noun's form too */
			m->cands[c].bare_e &= bare_e;
			continue;
		}
		if (TOLK_GROW(m->cands, m->capcands, m->ncands + 1, 256))
			return TOLK_ENOMEM;
		m->cands[m->ncands].cls = ke->cls;
		m->cands[m->ncands].nverify = nv;
		m->cands[m->ncands].bare_e = bare_e;
		m->ncands++;
	}
	return 0;
}

/* Code points that a and b share from their start. */
static size_t common_cp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0;

	while (i < alen && i < blen && a[i] == b[i])
		i++;
	while (i > 0 && i < alen && ((unsigned char)a[i] & 0xc0) == 0x80)
		i--;
	return tolk_utf8_count(a, i);
}

/* The word w[0,wl) spells the regular English plural of the pattern
 * word p as English does: +s, +es (churches, taxes), -y +ies
 * (authorities).  Sharing a stem is not enough: "defends" has the stem of
 * "defender" but is the verb, not its plural (defenders). */
static int plural_of(const char *w, size_t wl, const char *p, size_t pl)
{
	if (wl == pl + 1)
		return w[pl] == 's' && !memcmp(w, p, pl);
	if (wl != pl + 2)
		return 0;
	if (!memcmp(w + pl, "es", 2) && !memcmp(w, p, pl))
		return 1;
	return pl >= 2 && p[pl - 1] == 'y' && !memcmp(w + pl - 1, "ies", 3) &&
	       !memcmp(w, p, pl - 1);
}

/* The word b[0,bl) followed by -ed or -ing spells the verb made from the
 * pattern word p as English does: jail+ed, polic(e)+ing, plan+n+ed,
 * carr(y)+i+ed. */
static int verb_of(const char *b, size_t bl, const char *p, size_t pl)
{
	if (bl == pl)
		return !memcmp(b, p, pl) ||
		       (p[pl - 1] == 'y' && b[bl - 1] == 'i' &&
			!memcmp(b, p, pl - 1));
	if (pl == bl + 1)
		return p[pl - 1] == 'e' && !memcmp(b, p, bl);
	if (bl == pl + 1)
		return b[bl - 1] == p[pl - 1] && !memcmp(b, p, pl);
	return 0;
}

/* Classes of the pattern words that share the Snowball stem of f[0,n) and
 * that f spells as English inflects them: spells(f, at, word) says that
 * f[0,at) is that word with its ending as English writes it. */
static int stem_class_cands(struct gl_matcher *m, size_t first, const char *f,
			    size_t n, size_t at,
			    int (*spells)(const char *, size_t, const char *,
					  size_t))
{
	const sb_symbol *stem;
	char key[EN_KEY_MAX];
	size_t slen, idx, k, c;

	stem = sb_stemmer_stem(m->stemmer, (const sb_symbol *)f, (int)n);
	if (!stem)
		return TOLK_ENOMEM;
	slen = (size_t)sb_stemmer_length(m->stemmer);
	if (slen + 1 > sizeof(key))
		return 0;
	key[0] = STEM_KEY;
	memcpy(key + 1, stem, slen);
	if (!gl_strmap_get(&m->keys, key, slen + 1, &idx))
		return 0;
	for (k = 0; k < m->kl[idx].n; k++) {
		uint32_t cls = m->kl[idx].v[k].cls;
		const char *pf = m->cfold[cls];
		size_t plen = strlen(pf);

		if (!spells(f, at, pf, plen))
			continue;
		for (c = first; c < m->ncands; c++)
			if (m->cands[c].cls == cls)
				break;
		if (c < m->ncands)
			continue;
		if (TOLK_GROW(m->cands, m->capcands, m->ncands + 1, 256))
			return TOLK_ENOMEM;
		m->cands[m->ncands].cls = cls;
		m->cands[m->ncands].nverify =
		    (uint32_t)common_cp(f, n, pf, plen);
		m->ncands++;
	}
	return 0;
}

/* English plurals through the Snowball stemmer (authorities, counties,
 * churches): the word, its possessive ending removed, ends in s, has the
 * stem of a pattern word and is that word's plural as English spells it
 * (plural_of).  The stem alone would over-reach (department, departs and
 * departed share "depart"; defender and defends "defend"). */
static int stem_cands(struct gl_matcher *m, size_t first, const char *f,
		      size_t flen)
{
	size_t wlen = flen;

	if (wlen >= 2 && f[wlen - 2] == '\'' && f[wlen - 1] == 's')
		wlen -= 2;
	else if (wlen >= 1 && f[wlen - 1] == '\'')
		wlen -= 1;
	if (wlen < 2 || f[wlen - 1] != 's' ||
	    tolk_utf8_count(f, wlen) < MIN_STEM_CP)
		return 0;
	return stem_class_cands(m, first, f, wlen, wlen, plural_of);
}

/* English verbs made from a noun of a rendering: a man "jailed for four
 * years" has the prison sentence that fengsel -> jail asks for, "policing"
 * is the work of the police.  The word ends in -ed or -ing, has the
 * Snowball stem of a pattern word and is that word with the ending as
 * English spells it (verb_of); the stem alone would take "departed" for
 * "department". */
static int verb_cands(struct gl_matcher *m, size_t first, const char *f,
		      size_t flen)
{
	size_t suf;

	if (flen > 5 && !memcmp(f + flen - 3, "ing", 3))
		suf = 3;
	else if (flen > 4 && !memcmp(f + flen - 2, "ed", 2))
		suf = 2;
	else
		return 0;
	return stem_class_cands(m, first, f, flen, flen - suf, verb_of);
}

#define COMPOUND_MIN_CP 4 /* a compound part worth matching */

/* Classes the word can be an inflection of; with compounds also those of
 * its first part (kommune in kommunestyret) and of its last part, which
 * may be inflected (styre in kommunestyret). */
static int word_cands(struct gl_matcher *m, const struct gl_text *t, size_t i,
		      int compounds)
{
	const char *const *e = m->lang == GL_LANG_NB ? endings_nb : endings_en;
	const char *f = tok_fold(t, i);
	size_t flen = t->toks[i].foldlen, first = m->ncands, j, cp;
	size_t elens[32], ne = 0, k;

	for (; *e; e++) {
		size_t el = (*e)[0] ? (*e)[1] ? strlen(*e) : 1 : 0;

		/* most endings fail on the last byte: test it first */
		if (el >= flen || (el && (f[flen - 1] != (*e)[el - 1] ||
					  memcmp(f + flen - el, *e, el) != 0)))
			continue;
		if (ne < 32)
			elens[ne++] = el;
		if (key_cands(m, first, f, flen - el, 0,
			      m->lang == GL_LANG_NB ? *e : NULL))
			return TOLK_ENOMEM;
	}
	if (m->lang == GL_LANG_EN &&
	    (stem_cands(m, first, f, flen) || verb_cands(m, first, f, flen)))
		return TOLK_ENOMEM;
	/* a noun in -e takes -r in the plural (lege, leger), which the
	 * endings above strip to leg; short words are left out, the -r of
	 * a verb's present being too often a term's letters plus r (tre,
	 * trer "steps") */
	if (m->lang == GL_LANG_NB)
		for (k = 1; k <= 2; k++)
			if (flen > k + 1 && f[flen - k] == 'r' &&
			    f[flen - k - 1] == 'e' &&
			    (k == 1 || f[flen - 1] == 's') &&
			    tolk_utf8_count(f, flen - k) >= MIN_STEM_CP &&
			    key_cands(m, first, f, flen - k, 0, NULL))
				return TOLK_ENOMEM;
	if (!compounds)
		return 0;
	for (j = 1, cp = 1; j < flen; j++) {
		size_t rest;

		if (((unsigned char)f[j] & 0xc0) == 0x80)
			continue;
		/* f[0,j) has cp code points, f[j,flen) the rest */
		rest = tolk_utf8_count(f + j, flen - j);
		if (cp >= COMPOUND_MIN_CP && rest >= 3 &&
		    key_cands(m, first, f, j, 1, NULL))
			return TOLK_ENOMEM;
		if (cp >= 3)
			for (k = 0; k < ne; k++)
				if (flen - elens[k] > j &&
				    tolk_utf8_count(f + j,
						    flen - elens[k] - j) >=
					COMPOUND_MIN_CP &&
				    key_cands(m, first, f + j,
					      flen - elens[k] - j, 1, NULL))
					return TOLK_ENOMEM;
		cp++;
	}
	return 0;
}

static int all_caps(const char *s, size_t len)
{
	int32_t i = 0, n = (int32_t)len, letters = 0;
	UChar32 c;

	while (i < n) {
		U8_NEXT(s, i, n, c);
		if (c < 0)
			return 0;
		if (u_islower(c))
			return 0;
		if (u_isalpha(c))
			letters++;
	}
	return letters > 1;
}

/* Checks the capitals of the first n code points of the word against the
 * pattern word. */
static int case_ok(enum gl_case cs, const char *w, size_t wlen, const char *p,
		   uint32_t n)
{
	int32_t i = 0, j = 0, wl = (int32_t)wlen, pl = (int32_t)strlen(p);
	uint32_t k;

	if (cs == GL_CASE_ANY)
		return 1;
	if (cs == GL_CASE_INITIAL && all_caps(w, wlen))
		return 1;
	for (k = 0; k < n && i < wl && j < pl; k++) {
		UChar32 a, b;

		U8_NEXT(w, i, wl, a);
		U8_NEXT(p, j, pl, b);
		if (a == b)
			continue;
		if (cs == GL_CASE_INITIAL && k == 0 && u_isupper(a) &&
		    u_tolower(a) == b)
			continue;
		return 0;
	}
	return 1;
}

/* The gap before word i equals gap (white space ignored). */
static int gap_ok(const struct gl_text *t, size_t i, const char *gap)
{
	const char *s = gl_text_str(t);
	size_t a = t->toks[i - 1].end, b = t->toks[i].start, adv;

	while (a < b) {
		if (is_space_at(s + a, b - a, &adv)) {
			a += adv;
			continue;
		}
		/* a NUL in the text must not walk gap past its end */
		if (*gap == '\0' || *gap != s[a])
			return 0;
		gap++;
		a++;
	}
	return *gap == '\0';
}

/* A word that continues an acronym (a pattern word in capitals) past its
 * letters is another word unless the rest is an inflection in small
 * letters: SV is not found in SVT nor in SVt-like tokens, NTB is in
 * NTBs (Norwegian genitive) and, in English, only in NTB's. */
static int acronym_ok(enum gl_lang lang, int plural, const char *w, size_t wlen,
		      const char *p)
{
	size_t plen = strlen(p), pcp = tolk_utf8_count(p, plen);
	int32_t i = 0, n = (int32_t)wlen;
	size_t k = 0;
	UChar32 c;

	if (!all_caps(p, plen))
		return 1;
	while (i < n && k < pcp) {
		U8_NEXT(w, i, n, c);
		k++;
	}
	if (i >= n)
		return 1;
	if (lang == GL_LANG_EN) {
		const char *const *e;

		for (e = plural ? acronym_en_plural : acronym_en; *e; e++) {
			if (strlen(*e) == (size_t)(n - i) &&
			    memcmp(w + i, *e, (size_t)(n - i)) == 0)
				return 1;
		}
		return 0;
	}
	while (i < n) {
		U8_NEXT(w, i, n, c);
		if (c < 0 || u_isupper(c))
			return 0;
	}
	return 1;
}

static int verify(const struct gl_matcher *m, const struct pattern *p,
		  const struct gl_text *t, size_t first,
		  const uint32_t *nverify, const unsigned char *bare_e)
{
	const char *s = gl_text_str(t);
	size_t j;

	for (j = 0; j < p->nwords; j++) {
		const struct gl_tok *k = &t->toks[first + j];

		if (j > 0 && !gap_ok(t, first + j, p->w[j].gap))
			return 0;
		/* the head noun (the last word) of a noun term */
		if (p->noun && j + 1 == p->nwords && bare_e[j])
			return 0;
		if ((p->bare || (p->inner && j + 1 < p->nwords)) &&
		    strcmp(tok_fold(t, first + j), m->cfold[p->w[j].cls]) != 0)
			return 0;
		if (!acronym_ok(m->lang, p->plural, s + k->start,
				k->end - k->start, p->w[j].orig))
			return 0;
		if (p->cs != GL_CASE_ANY && k->aligned &&
		    !case_ok(p->cs, s + k->start, k->end - k->start,
			     p->w[j].orig, nverify[j]))
			return 0;
	}
	return 1;
}

static int push_hit(struct gl_hits *h, size_t tag, const struct gl_text *t,
		    size_t first, size_t n)
{
	struct gl_hit *x;

	if (TOLK_GROW(h->v, h->cap, h->n + 1, 16))
		return TOLK_ENOMEM;
	x = &h->v[h->n++];
	x->tag = tag;
	x->word = first;
	x->nwords = n;
	x->start = t->toks[first].start;
	x->end = t->toks[first + n - 1].end;
	return 0;
}

struct walk {
	struct gl_matcher *m;
	const struct gl_text *t;
	struct gl_hits *hits;
	size_t first;
	uint32_t nverify[MAX_PATTERN_WORDS];
	unsigned char bare_e[MAX_PATTERN_WORDS];
	int all;
	int except;  /* walk the exception phrases, not the terms */
	size_t best; /* words of the longest hit (leftmost longest) */
};

static int walk(struct walk *w, size_t node, size_t depth)
{
	struct gl_matcher *m = w->m;
	size_t i = w->first + depth, c, p;
	int rc;

	if (depth >= m->maxwords || i >= w->t->ntoks)
		return 0;
	for (c = m->cstart[i]; c < m->cstart[i + 1]; c++) {
		char key[16];
		size_t child;

		memcpy(key, &node, sizeof(size_t));
		memcpy(key + 8, &m->cands[c].cls, sizeof(uint32_t));
		if (!gl_strmap_get(&m->edges, key, 12, &child))
			continue;
		w->nverify[depth] = m->cands[c].nverify;
		w->bare_e[depth] = m->cands[c].bare_e;
		for (p = m->node_first[child]; p != NONE; p = m->pats[p].next) {
			if (m->pats[p].except != w->except ||
			    !verify(m, &m->pats[p], w->t, w->first, w->nverify,
				    w->bare_e))
				continue;
			if (!w->all && depth + 1 > w->best) {
				/* a longer hit displaces the shorter ones */
				while (w->hits->n &&
				       w->hits->v[w->hits->n - 1].word ==
					   w->first)
					w->hits->n--;
				w->best = depth + 1;
			} else if (!w->all && depth + 1 < w->best) {
				continue;
			}
			if ((rc = push_hit(w->hits, m->pats[p].tag, w->t,
					   w->first, depth + 1)))
				return rc;
		}
		if ((rc = walk(w, child, depth + 1)))
			return rc;
	}
	return 0;
}

static int hit_cmp(const void *a, const void *b)
{
	const struct gl_hit *x = a, *y = b;

	if (x->word != y->word)
		return x->word < y->word ? -1 : 1;
	if (x->nwords != y->nwords)
		return x->nwords > y->nwords ? -1 : 1;
	return x->tag < y->tag ? -1 : x->tag > y->tag;
}

/* Removes the hits that lie inside an exception phrase of their own tag
 * (rett in "rett og slett").  Exception phrases are found on their own,
 * every one of them, so that a phrase never hides another term's hit. */
static int drop_excepted(struct gl_matcher *m, struct walk *w,
			 struct gl_hits *hits, struct tolk_err *err)
{
	size_t i, h, x, kept = 0;
	int rc;

	w->hits = &m->xhits;
	w->all = 1;
	w->except = 1;
	m->xhits.n = 0;
	for (i = 0; i < w->t->ntoks; i++) {
		w->first = i;
		w->best = 0;
		if ((rc = walk(w, 0, 0)))
			return tolk_err_set(err, rc, "out of memory");
	}
	for (h = 0; h < hits->n; h++) {
		const struct gl_hit *y = &hits->v[h];

		for (x = 0; x < m->xhits.n; x++) {
			const struct gl_hit *e = &m->xhits.v[x];

			if (e->tag == y->tag && e->start <= y->start &&
			    y->end <= e->end)
				break;
		}
		if (x == m->xhits.n)
			hits->v[kept++] = *y;
	}
	hits->n = kept;
	return 0;
}

int gl_matcher_find(struct gl_matcher *m, const struct gl_text *t,
		    unsigned flags, struct gl_hits *hits, struct tolk_err *err)
{
	struct walk w;
	size_t i, before;
	int rc;

	hits->n = 0;
	m->ncands = 0;
	if (t->ntoks + 1 > m->capcstart) {
		size_t *p = realloc(m->cstart, (t->ntoks + 1) * sizeof(*p));

		if (!p)
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		m->cstart = p;
		m->capcstart = t->ntoks + 1;
	}
	for (i = 0; i < t->ntoks; i++) {
		m->cstart[i] = m->ncands;
		if (word_cands(m, t, i, (flags & GL_FIND_COMPOUNDS) != 0))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	m->cstart[t->ntoks] = m->ncands;
	memset(&w, 0, sizeof(w));
	w.m = m;
	w.t = t;
	w.hits = hits;
	w.all = (flags & GL_FIND_ALL) != 0;
	for (i = 0; i < t->ntoks;) {
		w.first = i;
		w.best = 0;
		before = hits->n;
		if ((rc = walk(&w, 0, 0)))
			return tolk_err_set(err, rc, "out of memory");
		if (!w.all && hits->n > before)
			i += w.best;
		else
			i++;
	}
	if (w.all && hits->n > 1)
		qsort(hits->v, hits->n, sizeof(*hits->v), hit_cmp);
	if (m->nexcept && hits->n)
		return drop_excepted(m, &w, hits, err);
	return 0;
}
