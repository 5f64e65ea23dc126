#include "glossary/check.h"
#include "glossary/gl_int.h"
#include "glossary/termmatch.h"
#include "util/buf.h"
#include "util/lang.h"
#include "util/text.h"
#include "util/utf8.h"
#include "util/vec.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

static const char *const kind_names[] = {
    "missing", "forbidden", "untranslated", "inconsistent", "number",
};

const char *gl_kind_name(enum gl_kind k)
{
	size_t i;

	for (i = 0; i < sizeof(kind_names) / sizeof(kind_names[0]); i++)
		if (k == (enum gl_kind)(1u << i))
			return kind_names[i];
	return "?";
}

int gl_kinds_parse(const char *list, unsigned *mask, struct tolk_err *err)
{
	const char *p = list;

	*mask = 0;
	while (*p) {
		size_t len = strcspn(p, ","), i;
		int ok = 0;

		if (len == 3 && !strncmp(p, "all", 3)) {
			*mask |= GL_KIND_ALL;
			ok = 1;
		}
		for (i = 0; !ok && i < sizeof(kind_names) / sizeof(*kind_names);
		     i++) {
			if (strlen(kind_names[i]) == len &&
			    !strncmp(p, kind_names[i], len)) {
				*mask |= 1u << i;
				ok = 1;
			}
		}
		if (!ok)
			return tolk_err_set(
			    err, TOLK_EUSAGE,
			    "unknown kind '%.*s' (missing, forbidden, "
			    "untranslated, inconsistent, number, all)",
			    (int)len, p);
		p += len;
		if (*p == ',')
			p++;
	}
	if (!*mask)
		return tolk_err_set(err, TOLK_EUSAGE, "no kinds given");
	return 0;
}

struct rendering {
	size_t entry;
	int forbidden;
	int acronym; /* one word in capitals (WHO, UN) */
};

/* One translation of a source seen more than once, kept until
 * gl_check_finish decides which of them is the inconsistent one. */
struct occurrence {
	size_t group;	   /* index of the normalised source */
	char *norm_target; /* what is compared */
	char *source, *target;
	char *file, *target_file, *unit;
	unsigned long line, target_line, target_col;
	int broke; /* the segment had a term finding */
};

#define MAX_NAMED_PLACES 8

struct gl_check {
	const struct gl_entry *v;
	size_t n;
	unsigned kinds;
	gl_finding_fn fn;
	void *ctx;
	struct gl_matcher *nb, *en;
	struct rendering *r;
	size_t nr;
	unsigned char *self_render; /* 1, or LOAN */
	size_t nloan;
	struct gl_text *src, *tgt, *near;
	struct gl_hits hs, hen, hnb, hnear;
	/* per entry (or rendering): number of the segment where it was last
	 * seen, so that nothing needs clearing between segments */
	size_t seg;
	size_t *approved_at, *forbidden_at, *untrans_at, *untrans_hit,
	    *reported_at, *rendering_at, *term_at, *clear_at;
	/* later mentions: per entry the last earlier segment whose target
	 * had an approved rendering, the first segment of the current
	 * document, the definite descriptions ("the ministry") that refer
	 * back to each entry and the personal pronouns */
	size_t *mention_at, *anaphor_at, *headline_at, doc_first;
	/* per entry the segment whose source has it in the genitive
	 * (Stortingets flertall), which English may give as an adjective
	 * (a parliamentary majority) */
	size_t *genitive_at;
	/* per entry the segment whose source has it qualified by a foreign
	 * country ("det britiske utenriksdepartementet") */
	size_t *foreign_at;
	/* per entry the last segment whose source gave the term as the
	 * title of a person its English named with the approved rendering
	 * (statsminister Jonas Gahr Støre), and that person's surname,
	 * NAME_BYTES bytes an entry */
	size_t *named_at;
	char *surname;
	/* per entry the segment whose English named it as one body, a
	 * definite or proper-name mention (see body_mention) */
	size_t *body_at;
	/* per entry the segment and the word after its last "MOD and" (see
	 * add_coordinated) */
	size_t *coord_at, *coord_end;
	/* the English copies of terms that name a place of their own in
	 * this segment (Nationaltheatret station): their starts in tgt */
	size_t named_place[MAX_NAMED_PLACES];
	size_t nnamed_place;
	/* how the English of the current document writes numbers, for the
	 * expected value of a number finding (see learn_notation) */
	struct en_notation {
		size_t clock_doc; /* doc_first where 12-hour times were seen */
		char tsep;	  /* between hour and minutes: '.' or ':' */
		char space;	  /* "6 pm" rather than "6pm" */
		char dots;	  /* "p.m." rather than "pm" */
		char upper;	  /* "PM" */
		size_t grp_doc;	  /* doc_first where a grouping was seen */
		char grp[4];	  /* the thousands separator, UTF-8 */
		size_t grp4_doc;  /* doc_first where 1,300 was grouped too */
		size_t dec_doc;	  /* doc_first where a decimal comma was seen */
		int seg24;	  /* this segment writes 24-hour times */
	} notation;
	char *doc_file;
	char *prev_source; /* the last segment's source, as given */
	size_t repeat_at;  /* the segment whose source repeats the last's */
	struct gl_matcher *heads, *pronouns;
	struct gl_hits hh;
	int pronoun_at_seg, it_at_seg;
	/* inconsistent: every translation of each normalised source */
	struct gl_strmap groups;
	size_t ngroups;
	struct occurrence *occ;
	size_t nocc, capocc;
	size_t seg_findings; /* term findings of the current segment */
	size_t counts[5];    /* findings per kind */
	struct tolk_buf ns, nt, scratch, where, with_near;
	size_t findings;
	unsigned find_flags;
	char *file;
	char src_lang[TOLK_LANG_MAX], tgt_lang[TOLK_LANG_MAX];
	/* per entry the bodies (bits of member_words' groups) that its
	 * renderings name, whose members English may name instead */
	unsigned *member_groups;
	size_t *members_at; /* per entry the segment naming its members */
};

/* the pronouns' tag of "it says" and its like */
#define IT_SAYS 100

/* self_render of an entry whose approved rendering is its term */
#define LOAN 2

/* the end of a party's name, which its adjective leaves out */
#define PARTY " Party"

/* the adjective of a full institution name that later mentions drop */
#define NATIONAL "Norwegian "

/* The term starts with a small letter: a common noun, not a name. */
static int common_noun(const char *term)
{
	int32_t i = 0, n = (int32_t)strlen(term);
	UChar32 ch;

	U8_NEXT(term, i, n, ch);
	return ch >= 0 && u_islower(ch);
}

/* Adds a form of an approved rendering that English also writes (see
 * add_short_forms, add_reworded), unless the house forbids that very
 * form for the entry. */
static int add_generated(struct gl_check *c, size_t entry, const char *text,
			 enum gl_case cs, struct tolk_err *err)
{
	const struct gl_entry *e = &c->v[entry];
	size_t k;
	int rc;

	for (k = 0; k < e->nforbidden; k++)
		if (!strcasecmp(e->forbidden[k], text))
			return 0;
	rc = gl_matcher_add(c->en, text, cs, c->nr, err);
	return rc == TOLK_EINPUT ? 0 : rc;
}

/* Words an initialism leaves out: Director of Public Prosecutions is
 * DPP. */
static int function_word(const char *w, size_t len)
{
	static const char *const v[] = {"of", "and", "the", "for", "a",
					"an", "on",  "in",  "to"};
	size_t k;

	for (k = 0; k < sizeof(v) / sizeof(*v); k++)
		if (strlen(v[k]) == len && !strncasecmp(w, v[k], len))
			return 1;
	return 0;
}

/* The short forms English writes for a rendering of several words: its
 * initials in capitals (PM for prime minister, MP, DPP), and, for two
 * words of an entry that ignores case, the words closed up as one
 * (coastguard for Coast Guard, healthcare).  Only ASCII words: a
 * rendering with other letters is a name kept as written. */
static int add_short_forms(struct gl_check *c, size_t entry, const char *r,
			   enum gl_case cs, struct tolk_err *err)
{
	char init[8], closed[128];
	const char *p = r;
	size_t ni = 0, nw = 0, nc = 0;
	int rc;

	while (*p) {
		size_t l = strcspn(p, " -"), k;

		for (k = 0; k < l; k++)
			if (!isalpha((unsigned char)p[k]))
				return 0;
		if (l && !function_word(p, l)) {
			if (ni + 1 >= sizeof(init))
				return 0;
			init[ni++] = (char)toupper((unsigned char)p[0]);
		}
		if (l && nc + l < sizeof(closed)) {
			memcpy(closed + nc, p, l);
			nc += l;
		} else if (l) {
			nc = sizeof(closed); /* too long to close up */
		}
		nw += l > 0;
		p += l;
		if (*p == '-')
			nc = sizeof(closed); /* already hyphenated */
		p += strspn(p, " -");
	}
	if (nw < 2)
		return 0;
	init[ni] = '\0';
	if (ni >= 2) {
		rc = add_generated(c, entry, init,
				   GL_CASE_EXACT | (cs & GL_CASE_PLURAL), err);
		if (rc)
			return rc;
	}
	if (nw == 2 && nc < sizeof(closed) &&
	    (cs & ~GL_CASE_PLURAL) == GL_CASE_ANY) {
		closed[nc] = '\0';
		if ((rc = add_generated(c, entry, closed, cs, err)))
			return rc;
	}
	return 0;
}

/* Two ways English rewords a rendering without changing it: "HEAD of
 * MODIFIER" as "MODIFIER HEAD" when the modifier is a bare noun (the
 * health directorate for Directorate of Health, the appeal court, the
 * police chief), and a plural name in
 * the singular as an adjective or for one member (a Christian Democrat
 * leader for Christian Democrats, a Green for the Greens). */
static int add_reworded(struct gl_check *c, size_t entry, const char *r,
			enum gl_case cs, struct tolk_err *err)
{
	char buf[256];
	const char *of = strstr(r, " of "), *mod;
	size_t l = strlen(r);
	int rc;

	/* "of the X" only as the bare words, a title before a name (Sami
	 * Parliament President Ann Berg for President of the Sami
	 * Parliament): the office of the prime minister is the prime
	 * minister's office, a possessive, which a house may forbid */
	if (of && !strstr(of + 4, " of ") && of > r &&
	    strncasecmp(of + 4, "a ", 2)) {
		int the = !strncasecmp(of + 4, "the ", 4);

		mod = of + 4 + (the ? 4 : 0);
		if (*mod &&
		    snprintf(buf, sizeof(buf), "%s %.*s", mod, (int)(of - r),
			     r) < (int)sizeof(buf) &&
		    (rc = add_generated(c, entry, buf,
					the ? cs | GL_CASE_BARE_INNER : cs,
					err)))
			return rc;
	}
	/* the last word a plural: -s after a letter that does not make
	 * it a singular of its own (boss, campus, analysis), -ies -> -y */
	if (l >= 4 && l < sizeof(buf) && r[l - 1] == 's' &&
	    isalpha((unsigned char)r[l - 2]) && !strchr("siu", r[l - 2])) {
		memcpy(buf, r, l - 1);
		buf[l - 1] = '\0';
		if (l >= 5 && !strcmp(r + l - 3, "ies"))
			strcpy(buf + l - 3, "y");
		if ((rc = add_generated(c, entry, buf, cs, err)))
			return rc;
	}
	return 0;
}

/* Some word of text is written in capitals (an acronym: "news bureau
 * NTB", "EEA"). */
static int has_acronym(const char *text)
{
	const char *p = text;

	while (*p) {
		size_t l = strcspn(p, " -/()");
		char *w = strndup(p, l);
		int caps;

		if (!w)
			return 1; /* keep the capitals: the stricter reading */
		caps = gl_term_default_case(w) && tolk_utf8_count(w, l) > 1;
		free(w);
		if (caps)
			return 1;
		p += l;
		p += strspn(p, " -/()");
	}
	return 0;
}

/* The case an approved rendering of the entry must have.  A rendering of
 * an entry that ignores case is right in any case (house styles differ:
 * "the prime minister"); one of a case-sensitive entry keeps its
 * capitals, since its capitals are what tells the party Høyre from the
 * common word.  An acronym (VM, OL) is case-sensitive only because its
 * capitals make it one, which says nothing of its English rendering:
 * "the world championships" is newsroom style for VM -> World
 * Championships.  A rendering that is itself an acronym keeps them. */
static enum gl_case approved_case(const struct gl_entry *e, const char *text)
{
	if (!e->case_sensitive)
		return GL_CASE_ANY;
	if (gl_term_default_case(e->term) && !has_acronym(text))
		return GL_CASE_ANY;
	return GL_CASE_INITIAL;
}

static int add_rendering(struct gl_check *c, size_t entry, int forbidden,
			 const char *text, struct tolk_err *err)
{
	/* Forbidden variants are caught in any case ("The Storting"), but
	 * an acronym only in capitals: a forbidden "PM" is not "2 pm". */
	enum gl_case cs =
	    forbidden ? gl_term_default_case(text) ? GL_CASE_EXACT : GL_CASE_ANY
		      : approved_case(&c->v[entry], text);
	int rc;

	/* A Norwegian common noun names a countable thing, so an acronym
	 * rendering of it is pluralised like any English noun
	 * (stortingsrepresentanter -> MPs); a name (NTB) is not. */
	if (!forbidden && common_noun(c->v[entry].term))
		cs |= GL_CASE_PLURAL;
	rc = gl_matcher_add(c->en, text, cs, c->nr, err);

	if (rc == TOLK_EINPUT)
		return 0; /* a rendering without words cannot be found */
	if (rc)
		return rc;
	/* A leading article of an approved rendering is optional: "the
	 * Government" is also right in "the Støre Government" and
	 * "Government policy". */
	if (!forbidden) {
		static const char *const articles[] = {"the ", "a ", "an "};
		const char *rest = text;
		size_t i;

		for (i = 0; i < 3; i++) {
			size_t l = strlen(articles[i]);

			if (strncasecmp(text, articles[i], l) != 0)
				continue;
			rest = text + l;
			rc = gl_matcher_add(c->en, rest, cs, c->nr, err);
			if (rc && rc != TOLK_EINPUT)
				return rc;
			break;
		}
		/* A party's name is also its adjective: "the Socialist
		 * Left leader", "a Liberal MP".  Without "Party" it keeps
		 * its capitals, so that "the city centre" is not the
		 * Centre Party, and takes no ending: an adjective has no
		 * plural, and "the Reds" is a nickname the house has not
		 * approved. */
		{
			size_t l = strlen(rest), pl = strlen(PARTY);

			if (l > pl && !strcasecmp(rest + l - pl, PARTY)) {
				char *adj = strndup(rest, l - pl);

				if (!adj)
					return tolk_err_set(err, TOLK_ENOMEM,
							    "out of memory");
				rc = gl_matcher_add(
				    c->en, adj, GL_CASE_INITIAL | GL_CASE_BARE,
				    c->nr, err);
				free(adj);
				if (rc && rc != TOLK_EINPUT)
					return rc;
			}
		}
		/* In Norwegian news every institution is Norwegian, so
		 * translators drop the adjective the full name has: "the
		 * Public Roads Administration".  Only before two words or
		 * more, so that the rest is still a name. */
		if (strncasecmp(rest, NATIONAL, strlen(NATIONAL)) == 0 &&
		    strchr(rest + strlen(NATIONAL), ' ')) {
			rc = gl_matcher_add(c->en, rest + strlen(NATIONAL), cs,
					    c->nr, err);
			if (rc && rc != TOLK_EINPUT)
				return rc;
		}
		if ((rc = add_short_forms(c, entry, rest, cs, err)) ||
		    (rc = add_reworded(c, entry, rest, cs, err)))
			return rc;
	}
	c->r[c->nr].entry = entry;
	c->r[c->nr].forbidden = forbidden;
	c->r[c->nr].acronym = !strpbrk(text, " -/") &&
			      gl_term_default_case(text) &&
			      tolk_utf8_count(text, strlen(text)) > 1;
	c->nr++;
	return 0;
}

/* How far back a definite description may refer, in segments of the same
 * document: a news article names an institution in full once and then
 * says "the ministry" for a few paragraphs. */
#define MENTION_WINDOW 10
/* room for a surname remembered for a title (see named_person) */
#define NAME_BYTES 64

/* most words of a headline's Norwegian */
#define HEADLINE_WORDS 12

/* The head noun of an approved rendering, the word a later mention keeps:
 * the word before "of" (Ministry of Finance), else the last word (finance
 * ministry, Supreme Court) or, when that is Norway, the one before it
 * (Arts Council Norway).  Returns 0 when the rendering is one word,
 * which is its own head and found as such. */
static int rendering_head(const char *text, char *out, size_t outsz)
{
	const char *of = strstr(text, " of "), *end, *b;

	end = of ? of : text + strlen(text);
	while (end > text && !u_isalpha((unsigned char)end[-1]) &&
	       (unsigned char)end[-1] < 0x80)
		end--;
	b = end;
	while (b > text && b[-1] != ' ' && b[-1] != '-')
		b--;
	/* a name that ends in the country (Arts Council Norway, Statistics
	 * Norway) keeps the noun before it: "the council" */
	if (!of && b > text + 1 && end - b == 6 &&
	    !strncasecmp(b, "Norway", 6)) {
		end = b - 1;
		b = end;
		while (b > text && b[-1] != ' ' && b[-1] != '-')
			b--;
	}
	if (!strpbrk(text, " -") || end == b || (size_t)(end - b) >= outsz)
		return 0;
	memcpy(out, b, (size_t)(end - b));
	out[end - b] = '\0';
	return 1;
}

/* The content words of a rendering of two words or more (four letters
 * or more, not "with" or "from"), tagged 2n + i: a headline that keeps
 * one of them has named the term in short ("Former welfare agency
 * employee convicted" for the Labour and Welfare Administration). */
static int add_headline_words(struct gl_check *c, size_t i, const char *r,
			      struct tolk_err *err)
{
	static const char *const stop[] = {"with", "from", "into", "over"};
	char w[128];
	const char *p = r;
	size_t k;
	int rc;

	if (!strpbrk(r, " -"))
		return 0;
	while (*p) {
		size_t l = strcspn(p, " -");

		if (l >= 4 && l < sizeof(w)) {
			int skip = 0;

			memcpy(w, p, l);
			w[l] = '\0';
			for (k = 0; k < sizeof(stop) / sizeof(*stop); k++)
				skip |= !strcasecmp(w, stop[k]);
			rc = skip ? 0
				  : gl_matcher_add(c->heads, w, GL_CASE_ANY,
						   2 * c->n + i, err);
			if (rc && rc != TOLK_EINPUT)
				return rc;
		}
		p += l;
		p += strspn(p, " -");
	}
	return 0;
}

/* The adjectives English makes of a one-word rendering, tagged 3n + i:
 * where the source has the term in the genitive, "Stortingets flertall"
 * is "a parliamentary majority" and "kommunens økonomi" "the municipal
 * finances".  Every spelling English uses is generated (parliament+ary,
 * government+al, minister+ial, financ(e)+ial, municipal(ity)); the ones
 * that are no words are never found. */
static int add_adjectives(struct gl_check *c, size_t i, const char *r,
			  struct tolk_err *err)
{
	static const struct {
		const char *drop, *add;
	} forms[] = {
	    {"", "ary"}, {"", "al"},   {"", "ial"},
	    {"e", "al"}, {"e", "ial"}, {"ity", ""},
	};
	char adj[128];
	size_t l, k, dl;
	int rc;

	if (!strncasecmp(r, "the ", 4))
		r += 4;
	l = strlen(r);
	if (l < 4 || l + 4 > sizeof(adj))
		return 0;
	for (k = 0; k < l; k++)
		if (!isalpha((unsigned char)r[k]))
			return 0;
	for (k = 0; k < sizeof(forms) / sizeof(*forms); k++) {
		dl = strlen(forms[k].drop);
		if (dl + 3 > l || strcmp(r + l - dl, forms[k].drop))
			continue;
		snprintf(adj, sizeof(adj), "%.*s%s", (int)(l - dl), r,
			 forms[k].add);
		rc = gl_matcher_add(c->heads, adj, GL_CASE_ANY, 3 * c->n + i,
				    err);
		if (rc && rc != TOLK_EINPUT)
			return rc;
	}
	return 0;
}

/* "the security service" for the Police Security Service, "the
 * inspection authority": a later mention may keep more of the name than
 * its head, the last words before "of" (or of the whole rendering), two
 * or more of them, after "the"; or, for "HEAD of the HOLDER", the
 * holder. */
static int add_tails(struct gl_check *c, size_t i, const char *r,
		     enum gl_case cs, struct tolk_err *err)
{
	const char *of = strstr(r, " of "), *end = of ? of : r + strlen(r), *p;
	char pat[160];
	int rc;

	if (!strncasecmp(r, "the ", 4))
		r += 4;
	/* each space in [r, end) but the last starts a tail of two words
	 * or more */
	for (p = r; p < end; p++) {
		if (*p != ' ' || !memchr(p + 1, ' ', (size_t)(end - p - 1)))
			continue;
		if (snprintf(pat, sizeof(pat), "the %.*s", (int)(end - p - 1),
			     p + 1) >= (int)sizeof(pat))
			continue;
		rc = gl_matcher_add(c->heads, pat, cs, i, err);
		if (rc && rc != TOLK_EINPUT)
			return rc;
	}
	/* "Office of the Auditor General" is "the auditor general" on a
	 * later mention: the office is named after its holder */
	if (of && !strncasecmp(of + 4, "the ", 4) && !strstr(of + 4, " of ") &&
	    snprintf(pat, sizeof(pat), "%s", of + 4) < (int)sizeof(pat)) {
		rc = gl_matcher_add(c->heads, pat, cs, i, err);
		if (rc && rc != TOLK_EINPUT)
			return rc;
	}
	return 0;
}

/* How many words may stand between "MOD and" and the shared head: "the
 * district and appeals courts", "the health and local government
 * ministers". */
#define COORD_GAP 3

/* "MOD and", "MOD or", "MOD," of a rendering MOD HEAD, tagged 4n + i:
 * English shares one head between two renderings ("the district and
 * appeals courts" for tingretten og lagmannsretten), so the modifier
 * followed by a conjunction and, within COORD_GAP words, the head in the
 * plural renders the term. */
static int add_coordinated(struct gl_check *c, size_t i, const char *r,
			   const char *head, struct tolk_err *err)
{
	static const char *const conj[] = {"and", "or", ","};
	size_t l = strlen(r), hl = strlen(head), k;
	char pat[160];
	int rc;

	if (!strncasecmp(r, "the ", 4)) {
		r += 4;
		l -= 4;
	}
	if (strstr(r, " of ") || l <= hl + 1 || r[l - hl - 1] != ' ' ||
	    strcasecmp(r + l - hl, head))
		return 0;
	for (k = 0; k < sizeof(conj) / sizeof(*conj); k++) {
		if (snprintf(pat, sizeof(pat), "%.*s%s%s", (int)(l - hl - 1), r,
			     k < 2 ? " " : "", conj[k]) >= (int)sizeof(pat))
			continue;
		rc = gl_matcher_add(c->heads, pat, GL_CASE_ANY, 4 * c->n + i,
				    err);
		if (rc && rc != TOLK_EINPUT)
			return rc;
	}
	return 0;
}

/* Word w[0,len) is a word of rendering p, or of one of entry e's
 * approved renderings, in any case. */
static int rendering_has_word_in(const char *p, const char *w, size_t len)
{
	while (*p) {
		size_t l = strcspn(p, " -");

		if (l == len && !strncasecmp(p, w, len))
			return 1;
		p += l;
		p += strspn(p, " -");
	}
	return 0;
}

static int rendering_has_word(const struct gl_entry *e, const char *w,
			      size_t len)
{
	size_t k;

	for (k = 0; k < e->napproved; k++)
		if (rendering_has_word_in(e->approved[k], w, len))
			return 1;
	return 0;
}

/* Entry j is a compound the house's glossary makes of stem (its first
 * part, one word, and more after it: forsvarssjef of forsvar). */
static int compound_of(const struct gl_entry *e, const char *stem, size_t sl)
{
	return !strchr(e->term, ' ') && strlen(e->term) >= sl + 3 &&
	       !strncasecmp(e->term, stem, sl);
}

/* How the house renders term i as a modifier, learnt from its own
 * glossary: where two entries or more are compounds of the term's stem
 * (its definite ending off: forsvarssjef and forsvarsminister of
 * Forsvaret), a word of four letters or more that an approved rendering
 * of every one of them has ("defence chief", "Chief of Defence",
 * "defence minister") is the term's as a compound's first part.  Tagged
 * 3n + i like the adjectives, found where the source has the term as a
 * noun's complement ("langtidsplanen for Forsvaret" as "the long-term
 * defence plan").  One compound alone would give all its words. */
static int add_compound_modifiers(struct gl_check *c, size_t i,
				  struct tolk_err *err)
{
	const struct gl_entry *e = &c->v[i], *first = NULL;
	const char *t = e->term;
	size_t sl = strlen(t), j, k, ncomp = 0;
	int rc;

	if (strchr(t, ' ') || sl < 5)
		return 0;
	if (!strcmp(t + sl - 2, "et") || !strcmp(t + sl - 2, "en"))
		sl -= 2;
	for (j = 0; j < c->n; j++)
		if (j != i && compound_of(&c->v[j], t, sl)) {
			if (!first)
				first = &c->v[j];
			ncomp++;
		}
	if (ncomp < 2)
		return 0;
	for (k = 0; k < first->napproved; k++) {
		const char *p = first->approved[k];

		while (*p) {
			size_t l = strcspn(p, " -"), m;
			char w[64];
			int everywhere = l >= 4 && l < sizeof(w);

			for (j = 0; j < c->n && everywhere; j++)
				if (j != i && compound_of(&c->v[j], t, sl))
					everywhere =
					    rendering_has_word(&c->v[j], p, l);
			/* once per word: not again from a later rendering */
			for (m = 0; m < k && everywhere; m++)
				everywhere = !rendering_has_word_in(
				    first->approved[m], p, l);
			if (everywhere) {
				snprintf(w, sizeof(w), "%.*s", (int)l, p);
				rc = gl_matcher_add(c->heads, w, GL_CASE_ANY,
						    3 * c->n + i, err);
				if (rc && rc != TOLK_EINPUT)
					return rc;
			}
			p += l;
			p += strspn(p, " -");
		}
	}
	return 0;
}

/* "the HEAD", "this HEAD", "that HEAD" (and their plurals) refer back
 * to entry i: a definite description, which a bare head noun ("Norway"
 * of "Statistics Norway") is not. */
static int add_heads(struct gl_check *c, size_t i, struct tolk_err *err)
{
	static const char *const det[] = {"the", "this", "that"};
	static const char *const bodies[] = {
	    "administration", "agency",	   "authority",	   "bureau",
	    "directorate",    "institute", "inspectorate", "service",
	};
	/* what English calls a supervisory body, and a company known by
	 * its name, on a later mention, whatever the name */
	static const char *const watchdogs[] = {"the agency", "the watchdog",
						"the regulator"};
	static const char *const companies[] = {"the company", "the group",
						"the firm", "the operator"};
	const struct gl_entry *e = &c->v[i];
	enum gl_case cs = common_noun(e->term) ? GL_CASE_PLURAL : GL_CASE_ANY;
	char head[128], pat[160];
	size_t k, d;
	int rc;

	if ((rc = add_compound_modifiers(c, i, err)))
		return rc;
	for (k = 0; k < e->napproved; k++) {
		if ((rc = add_adjectives(c, i, e->approved[k], err)))
			return rc;
		/* a name kept as one word in English (Equinor, Statnett):
		 * a company, or a body named like one */
		if (!common_noun(e->term) && !strpbrk(e->approved[k], " -") &&
		    !gl_term_default_case(e->approved[k]))
			for (d = 0; d < sizeof(companies) / sizeof(*companies);
			     d++) {
				rc = gl_matcher_add(c->heads, companies[d], cs,
						    i, err);
				if (rc && rc != TOLK_EINPUT)
					return rc;
			}
		if (!rendering_head(e->approved[k], head, sizeof(head)))
			continue;
		for (d = 0; d < sizeof(det) / sizeof(*det); d++) {
			snprintf(pat, sizeof(pat), "%s %s", det[d], head);
			rc = gl_matcher_add(c->heads, pat, cs, i, err);
			if (rc && rc != TOLK_EINPUT)
				return rc;
		}
		if ((rc = add_tails(c, i, e->approved[k], cs, err)))
			return rc;
		/* the bare head, tagged past the entries: right after a
		 * name it is a title whose modifier the name gives */
		rc = gl_matcher_add(c->heads, head, cs, c->n + i, err);
		if (rc && rc != TOLK_EINPUT)
			return rc;
		if ((rc = add_coordinated(c, i, e->approved[k], head, err)))
			return rc;
		/* any public body is "the agency" on a later mention, and
		 * "the watchdog" or "the regulator" */
		for (d = 0; d < sizeof(bodies) / sizeof(*bodies); d++) {
			size_t w;

			if (strcasecmp(head, bodies[d]))
				continue;
			for (w = 0; w < sizeof(watchdogs) / sizeof(*watchdogs);
			     w++) {
				rc = gl_matcher_add(c->heads, watchdogs[w], cs,
						    i, err);
				if (rc && rc != TOLK_EINPUT)
					return rc;
			}
		}
		if ((rc = add_headline_words(c, i, e->approved[k], err)))
			return rc;
	}
	return 0;
}

/* The head noun at x follows, with only white space between, an approved
 * rendering of another term the source has: the name stands for the
 * rendering's modifier ("Norges Bank Governor" for Norges Banks
 * sentralbanksjef, central bank governor). */
static int named_head(const struct gl_check *c, const struct gl_hit *x)
{
	const char *t = gl_text_str(c->tgt);
	size_t h, i;

	for (h = 0; h < c->hen.n; h++) {
		const struct gl_hit *y = &c->hen.v[h];
		const struct rendering *r = &c->r[y->tag];

		if (r->forbidden || r->entry == x->tag - c->n ||
		    c->term_at[r->entry] != c->seg || y->end > x->start)
			continue;
		for (i = y->end; i < x->start && t[i] == ' '; i++)
			;
		if (i == x->start && i > y->end)
			return 1;
	}
	return 0;
}

/* The target span [a, b) lies inside an approved rendering found for
 * another entry than ei whose term the source has: its words render that
 * term, and cannot count for ei too ("Party" of "the Socialist Left
 * Party" is not the Red Party's head for "SV og Rødt"). */
static int claimed_by_other(const struct gl_check *c, size_t a, size_t b,
			    size_t ei)
{
	size_t h;

	for (h = 0; h < c->hen.n; h++) {
		const struct gl_hit *y = &c->hen.v[h];
		const struct rendering *r = &c->r[y->tag];

		if (!r->forbidden && r->entry != ei &&
		    c->term_at[r->entry] == c->seg && y->start <= a &&
		    b <= y->end)
			return 1;
	}
	return 0;
}

/* The members words of a body: a desk that has named the police says
 * "officers" on a later mention, parliament's "lawmakers" or "MPs", a
 * court's "judges".  Keyed by the head noun of an approved rendering (the
 * word before "of", else the last word), the members in the plural as
 * English writes them; a word in capitals keeps them (MPs, not mps). */
static const struct {
	const char *head, *members;
} member_words[] = {
    {"police", "officers"},
    {"police", "detectives"},
    {"police", "investigators"},
    {"police", "policemen"},
    {"parliament", "lawmakers"},
    {"parliament", "legislators"},
    {"parliament", "parliamentarians"},
    {"parliament", "MPs"},
    {"storting", "lawmakers"},
    {"storting", "legislators"},
    {"storting", "parliamentarians"},
    {"storting", "MPs"},
    {"court", "judges"},
    {"court", "justices"},
    {"government", "ministers"},
    {"cabinet", "ministers"},
    {"council", "councillors"},
    {"council", "councilors"},
    {"board", "directors"},
};

#define NMEMBER_WORDS (sizeof(member_words) / sizeof(*member_words))

/* each row is a bit of an entry's member_groups */
typedef char member_words_fit_in_bits[NMEMBER_WORDS <= 32 ? 1 : -1];

/* Sets c->member_groups: bit k for entry i when an approved rendering of
 * i has member_words[k]'s head. */
static int members_init(struct gl_check *c, struct tolk_err *err)
{
	size_t i, k, m;

	c->member_groups = calloc(c->n + 1, sizeof(*c->member_groups));
	c->members_at = calloc(c->n + 1, sizeof(*c->members_at));
	if (!c->member_groups || !c->members_at)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < c->n; i++) {
		for (k = 0; k < c->v[i].napproved; k++) {
			const char *r = c->v[i].approved[k];
			const char *of = strstr(r, " of ");
			const char *end = of ? of : r + strlen(r), *b = end;

			while (b > r && b[-1] != ' ' && b[-1] != '-')
				b--;
			for (m = 0; m < NMEMBER_WORDS; m++)
				if (strlen(member_words[m].head) ==
					(size_t)(end - b) &&
				    !strncasecmp(b, member_words[m].head,
						 (size_t)(end - b)))
					c->member_groups[i] |= 1u << m;
		}
	}
	return 0;
}

int gl_check_new(struct gl_check **out, const struct gl_entry *v, size_t n,
		 unsigned kinds, gl_finding_fn fn, void *ctx,
		 struct tolk_err *err)
{
	struct gl_check *c = calloc(1, sizeof(*c));
	size_t i, k, nr = 0;
	int rc;

	*out = NULL;
	if (!c)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	c->v = v;
	c->n = n;
	c->kinds = kinds;
	c->fn = fn;
	c->ctx = ctx;
	snprintf(c->src_lang, sizeof(c->src_lang), "nb");
	snprintf(c->tgt_lang, sizeof(c->tgt_lang), "en");
	for (i = 0; i < n; i++)
		nr += v[i].napproved + v[i].nforbidden;
	if ((rc = gl_matcher_new(&c->nb, GL_LANG_NB, err)) ||
	    (rc = gl_matcher_new(&c->en, GL_LANG_EN, err)) ||
	    (rc = gl_matcher_new(&c->heads, GL_LANG_EN, err)) ||
	    (rc = gl_matcher_new(&c->pronouns, GL_LANG_EN, err)) ||
	    (rc = gl_text_new(&c->src, err)) ||
	    (rc = gl_text_new(&c->tgt, err)) ||
	    (rc = gl_text_new(&c->near, err)))
		goto fail;
	c->r = calloc(nr + 1, sizeof(*c->r));
	c->rendering_at = calloc(nr + 1, sizeof(size_t));
	c->self_render = calloc(n + 1, 1);
	c->approved_at = calloc(n + 1, sizeof(size_t));
	c->forbidden_at = calloc(n + 1, sizeof(size_t));
	c->untrans_at = calloc(n + 1, sizeof(size_t));
	c->untrans_hit = calloc(n + 1, sizeof(size_t));
	c->reported_at = calloc(n + 1, sizeof(size_t));
	c->term_at = calloc(n + 1, sizeof(size_t));
	c->clear_at = calloc(n + 1, sizeof(size_t));
	c->mention_at = calloc(n + 1, sizeof(size_t));
	c->anaphor_at = calloc(n + 1, sizeof(size_t));
	c->headline_at = calloc(n + 1, sizeof(size_t));
	c->genitive_at = calloc(n + 1, sizeof(size_t));
	c->foreign_at = calloc(n + 1, sizeof(size_t));
	c->named_at = calloc(n + 1, sizeof(size_t));
	c->surname = calloc(n + 1, NAME_BYTES);
	c->coord_at = calloc(n + 1, sizeof(size_t));
	c->coord_end = calloc(n + 1, sizeof(size_t));
	c->body_at = calloc(n + 1, sizeof(size_t));
	if (!c->r || !c->rendering_at || !c->self_render || !c->approved_at ||
	    !c->forbidden_at || !c->untrans_at || !c->untrans_hit ||
	    !c->reported_at || !c->term_at || !c->clear_at || !c->mention_at ||
	    !c->anaphor_at || !c->headline_at || !c->genitive_at ||
	    !c->foreign_at || !c->named_at || !c->surname || !c->coord_at ||
	    !c->coord_end || !c->body_at) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto fail;
	}
	for (i = 0; i < n; i++) {
		if ((rc = gl_entry_to_matcher(c->nb, &v[i], i, err)))
			goto fail;
		for (k = 0; k < v[i].napproved; k++)
			if ((rc =
				 add_rendering(c, i, 0, v[i].approved[k], err)))
				goto fail;
		for (k = 0; k < v[i].nforbidden; k++)
			if ((rc = add_rendering(c, i, 1, v[i].forbidden[k],
						err)))
				goto fail;
		if ((rc = add_heads(c, i, err)))
			goto fail;
	}
	{
		/* personal pronouns: newsroom English replaces a repeated
		 * title or party with them ("She said"), while "it" is
		 * mostly "it is" and would excuse any wrong word */
		static const char *const pron[] = {
		    "he", "she", "they", "him", "her", "them", "his", "their",
		};

		/* ... but "it" as the subject of a statement is a body
		 * speaking ("It says the fish is safe" after the Food
		 * Safety Authority), tagged IT_SAYS */
		static const char *const says[] = {
		    "it says",
		    "it said",
		    "it writes",
		    "it wrote",
		    "it adds",
		    "it added",
		    "it reports",
		    "it reported",
		    "it announced",
		    "it announces",
		    "it warns",
		    "it warned",
		    "it believes",
		    "it believed",
		    "it expects",
		    "it expected",
		    "it estimates",
		    "it estimated",
		    "it argues",
		    "it argued",
		    /* ... or declining to speak, or a stand it takes */
		    "it declined",
		    "it declines",
		    "it denied",
		    "it denies",
		    "it confirmed",
		    "it confirms",
		    "it stressed",
		    "it stresses",
		    "it insisted",
		    "it insists",
		    "it claimed",
		    "it claims",
		    "it rejected",
		    "it rejects",
		    "it refused",
		    "it refuses",
		    "it admitted",
		    "it admits",
		    "it noted",
		    "it notes",
		    "it recommended",
		    "it recommends",
		    "it pointed out",
		    "it points out",
		};

		for (k = 0; k < sizeof(pron) / sizeof(*pron); k++)
			if ((rc = gl_matcher_add(c->pronouns, pron[k],
						 GL_CASE_ANY, k, err)))
				goto fail;
		for (k = 0; k < sizeof(says) / sizeof(*says); k++)
			if ((rc = gl_matcher_add(c->pronouns, says[k],
						 GL_CASE_ANY, IT_SAYS, err)))
				goto fail;
	}
	/* A term whose approved rendering contains it (NTB -> news bureau
	 * NTB, Norges Bank -> Norges Bank) is never "untranslated". */
	for (i = 0; i < n; i++) {
		for (k = 0; k < v[i].napproved && !c->self_render[i]; k++) {
			size_t h;

			if (gl_text_set(c->tgt, v[i].approved[k],
					strlen(v[i].approved[k]), NULL) ||
			    gl_matcher_find(c->nb, c->tgt, GL_FIND_ALL, &c->hnb,
					    NULL))
				continue;
			for (h = 0; h < c->hnb.n; h++)
				if (c->hnb.v[h].tag == i)
					c->self_render[i] = 1;
			/* the rendering is the term itself, a loan word
			 * (kroner): English inflects it as Norwegian does,
			 * "the krone"; not an acronym, which takes only
			 * the English possessive (NTB's, not NTBs) */
			if (c->self_render[i] &&
			    !gl_term_default_case(v[i].term) &&
			    !strcasecmp(v[i].approved[k], v[i].term)) {
				c->self_render[i] = LOAN;
				c->nloan++;
			}
		}
	}
	if ((rc = members_init(c, err)))
		goto fail;
	*out = c;
	return 0;
fail:
	gl_check_free(c);
	return rc;
}

void gl_check_free(struct gl_check *c)
{
	size_t i;

	if (!c)
		return;
	gl_matcher_free(c->nb);
	gl_matcher_free(c->en);
	gl_matcher_free(c->heads);
	gl_matcher_free(c->pronouns);
	gl_hits_release(&c->hh);
	free(c->mention_at);
	free(c->anaphor_at);
	free(c->headline_at);
	free(c->genitive_at);
	free(c->foreign_at);
	free(c->named_at);
	free(c->surname);
	free(c->coord_at);
	free(c->coord_end);
	free(c->member_groups);
	free(c->members_at);
	free(c->body_at);
	free(c->doc_file);
	free(c->prev_source);
	gl_text_free(c->src);
	gl_text_free(c->tgt);
	gl_text_free(c->near);
	gl_hits_release(&c->hs);
	gl_hits_release(&c->hnear);
	gl_hits_release(&c->hen);
	gl_hits_release(&c->hnb);
	free(c->r);
	free(c->rendering_at);
	free(c->self_render);
	free(c->approved_at);
	free(c->forbidden_at);
	free(c->untrans_at);
	free(c->untrans_hit);
	free(c->reported_at);
	free(c->term_at);
	free(c->clear_at);
	gl_strmap_release(&c->groups);
	for (i = 0; i < c->nocc; i++) {
		struct occurrence *o = &c->occ[i];

		free(o->norm_target);
		free(o->source);
		free(o->target);
		free(o->file);
		free(o->target_file);
		free(o->unit);
	}
	free(c->occ);
	tolk_buf_free(&c->ns);
	tolk_buf_free(&c->nt);
	tolk_buf_free(&c->scratch);
	tolk_buf_free(&c->with_near);
	tolk_buf_free(&c->where);
	free(c->file);
	free(c);
}

size_t gl_check_findings(const struct gl_check *c)
{
	return c->findings;
}

size_t gl_check_segments(const struct gl_check *c)
{
	return c->seg;
}

size_t gl_check_kind_count(const struct gl_check *c, enum gl_kind k)
{
	size_t i;

	for (i = 0; i < 5; i++)
		if (k == (enum gl_kind)(1u << i))
			return c->counts[i];
	return 0;
}

int gl_check_set_file(struct gl_check *c, const char *file)
{
	char *f = strdup(file);

	if (!f)
		return TOLK_ENOMEM;
	free(c->file);
	c->file = f;
	return 0;
}

void gl_check_set_compounds(struct gl_check *c, int on)
{
	c->find_flags = on ? GL_FIND_COMPOUNDS : 0;
}

int gl_check_set_langs(struct gl_check *c, const char *src, const char *tgt)
{
	if (tolk_lang_canon(src, c->src_lang, sizeof(c->src_lang)) ||
	    tolk_lang_canon(tgt, c->tgt_lang, sizeof(c->tgt_lang)))
		return TOLK_EINPUT;
	return 0;
}

static void count(struct gl_check *c, enum gl_kind k)
{
	size_t i;

	c->findings++;
	for (i = 0; i < 5; i++)
		if (k == (enum gl_kind)(1u << i))
			c->counts[i]++;
	if (k != GL_KIND_INCONSISTENT && k != GL_KIND_NUMBER)
		c->seg_findings++;
}

static int emit(struct gl_check *c, struct gl_finding *f)
{
	count(c, f->kind);
	f->source = gl_text_str(c->src);
	f->target = gl_text_str(c->tgt);
	return c->fn(c->ctx, f);
}

/* NUL-terminated copy of the target span, valid until the next call. */
static const char *span(struct gl_check *c, const struct gl_text *t, size_t a,
			size_t b)
{
	tolk_buf_reset(&c->scratch);
	if (tolk_buf_append(&c->scratch, gl_text_str(t) + a, b - a))
		return "";
	return tolk_buf_str(&c->scratch);
}

static void src_span(struct gl_check *c, size_t entry, struct gl_finding *f)
{
	size_t h;

	for (h = 0; h < c->hs.n; h++) {
		if (c->hs.v[h].tag == entry) {
			f->src_start = c->hs.v[h].start;
			f->src_end = c->hs.v[h].end;
			return;
		}
	}
}

/* A forbidden hit inside an approved rendering of the same entry, or of
 * another entry whose term the source has, is part of that rendering
 * (the approved rendering wins, longest match as on the Norwegian side),
 * not a use of the forbidden variant. */
static int inside_approved(const struct gl_check *c, const struct gl_hit *x)
{
	size_t h;

	for (h = 0; h < c->hen.n; h++) {
		const struct gl_hit *y = &c->hen.v[h];
		size_t ey = c->r[y->tag].entry;

		if (!c->r[y->tag].forbidden &&
		    (ey == c->r[x->tag].entry || c->term_at[ey] == c->seg) &&
		    y->start <= x->start && x->end <= y->end)
			return 1;
	}
	return 0;
}

/* Every occurrence of entry e in the source has an approved rendering of
 * its own in the target (counted without overlaps), so a forbidden word
 * there renders some other source word: "Ordføreren og styrelederen" as
 * "the mayor and the chairman" under ordfører -> mayor, forbidden
 * chairman.  One approved rendering for two occurrences leaves the
 * forbidden word unexplained, and so does one that another source word
 * spells (cognate_elsewhere): in "Statsråden møtte statsministeren" as
 * "the state councillor met the prime minister", "minister" renders
 * statsministeren, and the forbidden "state councillor" statsråd. */
#define COGNATE_MIN                                                            \
	5 /* letters of an English word found in a Norwegian one               \
	   */

/* The source word i lies inside a hit of entry e. */
static int in_term_hit(const struct gl_check *c, size_t e, size_t i)
{
	size_t h;

	for (h = 0; h < c->hs.n; h++)
		if (c->hs.v[h].tag == e && c->hs.v[h].word <= i &&
		    i < c->hs.v[h].word + c->hs.v[h].nwords)
			return 1;
	return 0;
}

/* The last word of target hit y is spelt inside a source word outside
 * the hits of entry e: "minister" of "prime minister" in
 * "statsministeren".  Norwegian and English share many such words
 * (minister, president, sekretær), so that word may be what the English
 * renders, not e. */
static int cognate_elsewhere(const struct gl_check *c, size_t e,
			     const struct gl_hit *y)
{
	size_t a, b, len, i, n = gl_text_words(c->src);
	const char *w =
	    gl_text_word(c->tgt, y->word + y->nwords - 1, &a, &b, &len);
	char *needle;
	int found = 0;

	if (len >= 2 && w[len - 2] == '\'' && w[len - 1] == 's')
		len -= 2;
	else if (len >= 1 && w[len - 1] == '\'')
		len -= 1;
	if (len >= 1 && w[len - 1] == 's')
		len -= 1; /* the plural: ministers in statsministrene */
	if (tolk_utf8_count(w, len) < COGNATE_MIN ||
	    !(needle = strndup(w, len)))
		return 0;
	for (i = 0; i < n && !found; i++) {
		size_t sa, sb, slen;
		const char *sw = gl_text_word(c->src, i, &sa, &sb, &slen);

		found =
		    slen > len && strstr(sw, needle) && !in_term_hit(c, e, i);
	}
	free(needle);
	return found;
}

static int all_rendered(const struct gl_check *c, size_t e)
{
	size_t h, k, nsrc = 0, ntgt = 0;

	for (h = 0; h < c->hs.n; h++)
		nsrc += c->hs.v[h].tag == e;
	for (h = 0; h < c->hen.n; h++) {
		const struct gl_hit *y = &c->hen.v[h];
		int inside = 0;

		if (c->r[y->tag].forbidden || c->r[y->tag].entry != e)
			continue;
		/* inside another approved rendering of e (counted there),
		 * or inside a longer forbidden variant ("Red" in "the Red
		 * Ones"), which is what the translator wrote */
		for (k = 0; k < c->hen.n && !inside; k++) {
			const struct gl_hit *z = &c->hen.v[k];

			if (k == h || c->r[z->tag].entry != e ||
			    z->start > y->start || y->end > z->end)
				continue;
			if (c->r[z->tag].forbidden)
				inside = z->end - z->start > y->end - y->start;
			else
				inside = z->start != y->start ||
					 z->end != y->end || k < h;
		}
		ntgt += !inside && !cognate_elsewhere(c, e, y);
	}
	return nsrc > 0 && ntgt >= nsrc;
}

/* Byte at of s starts a sentence: only white space, quotes, brackets and
 * dashes lie between it and the start of s or a sentence end. */
static int sentence_start(const char *s, size_t at)
{
	int32_t i = (int32_t)at;
	UChar32 ch;

	while (i > 0) {
		U8_PREV(s, 0, i, ch);
		if (ch == '.' || ch == '!' || ch == '?' || ch == ':' ||
		    ch == 0x2026)
			return 1;
		if (!(u_isspace(ch) || ch == 0xa0 || ch == '"' || ch == '\'' ||
		      ch == '(' || ch == '[' || ch == '-' ||
		      u_charType(ch) == U_INITIAL_PUNCTUATION ||
		      u_charType(ch) == U_FINAL_PUNCTUATION ||
		      u_charType(ch) == U_START_PUNCTUATION ||
		      u_charType(ch) == U_DASH_PUNCTUATION))
			return 0;
	}
	return 1;
}

/* Whether term could be spelt as a common word: no capital past its
 * first letter (KrF, SVs) and a vowel in each of its words.  Norwegian
 * words all have one; an abbreviation of a name often has none (Sp, Frp). */
static int word_shaped(const char *term)
{
	static const UChar32 vowels[] = {'a',  'e',  'i',  'o',	 'u',
					 'y',  0xe6, 0xf8, 0xe5, 0xe9,
					 0xe8, 0xf4, 0xf3, 0xe0, 0xfc};
	int32_t i = 0, len = (int32_t)strlen(term);
	int letters = 0, vowel = 0;
	UChar32 ch;
	size_t k;

	while (i < len) {
		U8_NEXT(term, i, len, ch);
		if (ch < 0 || !u_isalpha(ch)) {
			if (letters && !vowel)
				return 0;
			letters = vowel = 0;
			continue;
		}
		if (letters && u_isupper(ch))
			return 0;
		letters++;
		for (k = 0; k < sizeof(vowels) / sizeof(*vowels); k++)
			if (u_tolower(ch) == vowels[k])
				vowel = 1;
	}
	return !letters || vowel;
}

static int capital_at(const char *s, size_t at);
static int only_space(const char *s, size_t a, size_t b);
static int foreign_hit(const struct gl_check *c, const struct gl_hit *h);

/* Hit h is a title before a name: a capitalised word follows it with
 * only white space between (statsråd Per Olsen). */
static int before_name(const struct gl_check *c, const struct gl_hit *h)
{
	const char *s = gl_text_str(c->src);
	size_t w = h->word + h->nwords, a, b, l, i;

	if (w >= gl_text_words(c->src))
		return 0;
	gl_text_word(c->src, w, &a, &b, &l);
	for (i = h->end; i < a; i++)
		if (!u_isspace((unsigned char)s[i]))
			return 0;
	return a > h->end && capital_at(s, a);
}

/* A case-sensitive term that is not an acronym (the party Høyre) is
 * ambiguous at the start of a sentence, where the common word (høyre,
 * "right") is capitalised too: the hit follows the start of the text or
 * a sentence end, with only white space, quotes, brackets and dashes
 * between.  A term no common word is spelt like (Sp, Frp, KrF) is not. */
static int ambiguous_hit(const struct gl_check *c, const struct gl_entry *e,
			 const struct gl_hit *h)
{
	size_t tl = strlen(e->term);

	/* an entry with exceptions is a word the house knows to have other
	 * senses; its bare form, which they share (rett "right", "straight";
	 * skatt "treasure"), is ambiguous outside them too, while an ending
	 * of the term's own (retten, skattene) still points at the term */
	if (e->nexcept && h->nwords == 1 && h->end - h->start == tl &&
	    !strncasecmp(gl_text_str(c->src) + h->start, e->term, tl) &&
	    !before_name(c, h))
		return 1;
	if (!e->case_sensitive || gl_term_default_case(e->term) ||
	    !word_shaped(e->term))
		return 0;
	return sentence_start(gl_text_str(c->src), h->start);
}

/* A term that the English names in full earlier in the same document
 * may be referred to again as editors do: by a definite description of
 * its head noun ("the ministry" for the Ministry of Finance, "the court"
 * for the Supreme Court) within MENTION_WINDOW segments, or by a
 * personal pronoun in the very next sentence ("She said ..." after "the
 * prime minister"; "It says ..." after a body, a term that is a name).
 * Not a first mention, not across documents, and not in a repeated
 * source (see repeat_at). */
static int later_mention(const struct gl_check *c, size_t ei)
{
	size_t m = c->mention_at[ei];

	if (m == 0 || m < c->doc_first || m >= c->seg || c->repeat_at == c->seg)
		return 0;
	if (c->anaphor_at[ei] == c->seg && c->seg - m <= MENTION_WINDOW)
		return 1;
	return (c->pronoun_at_seg ||
		(c->it_at_seg &&
		 (!common_noun(c->v[ei].term) || c->body_at[ei] == m))) &&
	       c->seg - m == 1;
}

/* A title that the English gave earlier in the same document (as
 * later_mention) and that stands before a name in the source may be
 * left out once the person is introduced: "sier statsminister Jonas Gahr
 * Støre" as "Støre said".  One of the name's words (up to four
 * capitalised words after the title) is in the English. */
static int name_mention(const struct gl_check *c, size_t ei,
			const struct gl_hit *h)
{
	const char *s = gl_text_str(c->src), *t = gl_text_str(c->tgt);
	size_t m = c->mention_at[ei], w, k, a, b, l, ta, tb, tl, prev = h->end;

	if (m == 0 || m < c->doc_first || m >= c->seg ||
	    c->repeat_at == c->seg || c->seg - m > MENTION_WINDOW ||
	    !before_name(c, h))
		return 0;
	for (w = h->word + h->nwords;
	     w < gl_text_words(c->src) && w < h->word + h->nwords + 4; w++) {
		gl_text_word(c->src, w, &a, &b, &l);
		if (!only_space(s, prev, a) || !capital_at(s, a))
			break;
		prev = b;
		/* two letters or more: not an initial */
		if (b - a < 2)
			continue;
		for (k = 0; k < gl_text_words(c->tgt); k++) {
			gl_text_word(c->tgt, k, &ta, &tb, &tl);
			if (tb - ta == b - a && !memcmp(t + ta, s + a, b - a))
				return 1;
		}
	}
	return 0;
}

/* Word k of the English is w[0,len) as written, or its possessive. */
static int target_word_is(const struct gl_check *c, size_t k, const char *w,
			  size_t len)
{
	const char *t = gl_text_str(c->tgt);
	size_t a, b, l;

	gl_text_word(c->tgt, k, &a, &b, &l);
	if (b - a < len || memcmp(t + a, w, len) != 0)
		return 0;
	return b - a == len || (b - a == len + 2 && t[a + len] == '\'' &&
				t[a + len + 1] == 's');
}

/* The English has word w[0,len) (as written, or its possessive). */
static int target_has_word(const struct gl_check *c, const char *w, size_t len)
{
	size_t k;

	for (k = 0; k < gl_text_words(c->tgt); k++)
		if (target_word_is(c, k, w, len))
			return 1;
	return 0;
}

/* Source hit h of entry ei is the title of a person named after it
 * (statsminister Jonas Gahr Støre) whom the English names with an
 * approved rendering of the term: remember the name's last word, the
 * surname by which later sentences refer to the person, unless it is
 * another country's office (Sveriges statsminister Ulf Kristersson),
 * which is not the house's title holder. */
static void named_person(struct gl_check *c, size_t ei, const struct gl_hit *h)
{
	const char *s = gl_text_str(c->src);
	size_t w, a, b, l, last_a = 0, last_b = 0, prev = h->end;

	if (c->mention_at[ei] != c->seg || !before_name(c, h) ||
	    foreign_hit(c, h))
		return;
	for (w = h->word + h->nwords;
	     w < gl_text_words(c->src) && w < h->word + h->nwords + 4; w++) {
		gl_text_word(c->src, w, &a, &b, &l);
		if (!only_space(s, prev, a) || !capital_at(s, a))
			break;
		prev = b;
		last_a = a;
		last_b = b;
	}
	/* two letters or more: not an initial */
	if (last_b - last_a < 2 || last_b - last_a >= NAME_BYTES ||
	    !target_has_word(c, s + last_a, last_b - last_a))
		return;
	memcpy(c->surname + ei * NAME_BYTES, s + last_a, last_b - last_a);
	c->surname[ei * NAME_BYTES + (last_b - last_a)] = '\0';
	c->named_at[ei] = c->seg;
}

/* A title term the English renders by the surname of the person an
 * earlier sentence of the same document named with the title, within
 * MENTION_WINDOW segments (Prime Minister Jonas Gahr Støre ... then
 * "Støre rejected the criticism." for "Statsministeren avviste
 * kritikken."): a later mention, as editors write it.  Not a first
 * mention, not across documents, not in a repeated source. */
static int surname_mention(const struct gl_check *c, size_t ei)
{
	size_t m = c->named_at[ei];
	const char *n = c->surname + ei * NAME_BYTES;

	if (m == 0 || m < c->doc_first || m >= c->seg ||
	    c->repeat_at == c->seg || c->seg - m > MENTION_WINDOW)
		return 0;
	return target_has_word(c, n, strlen(n));
}

/* Whether text ends without a sentence's closing punctuation (quotes
 * and brackets aside). */
static int unfinished(const char *s)
{
	int32_t i = (int32_t)strlen(s);
	UChar32 ch;

	while (i > 0) {
		U8_PREV(s, 0, i, ch);
		if (u_isspace(ch) || ch == '"' || ch == '\'' || ch == ')' ||
		    u_charType(ch) == U_FINAL_PUNCTUATION ||
		    u_charType(ch) == U_INITIAL_PUNCTUATION)
			continue;
		return !(ch == '.' || ch == '!' || ch == '?' || ch == ':' ||
			 ch == 0x2026);
	}
	return 0;
}

/* A headline: short, and neither side ends as a sentence does.
 * Headlines name things in short, so a word of a term's rendering is
 * enough there. */
static int is_headline(const struct gl_check *c)
{
	return gl_text_words(c->src) <= HEADLINE_WORDS &&
	       unfinished(gl_text_str(c->src)) &&
	       unfinished(gl_text_str(c->tgt));
}

/* Word w of t ends in -s (a shared head is plural: the district and
 * appeals courts). */
static int plural_word(const struct gl_text *t, size_t w)
{
	size_t a, b, len;
	const char *f = gl_text_word(t, w, &a, &b, &len);

	return len > 1 && f[len - 1] == 's';
}

static const char *word_before(const struct gl_text *t, size_t i, size_t *pa,
			       size_t *pb, size_t *plen);

/* The hit is a definite noun's complement with "for", which says what
 * the genitive says (langtidsplanen for Forsvaret, Forsvarets
 * langtidsplan): the noun before "for" ends as a definite one does
 * (-en, -et, -a, -ene). */
static int noun_complement(const struct gl_check *c, const struct gl_hit *h)
{
	const char *p, *n;
	size_t pa, pb, pl, na, nb, nl;

	if (!(p = word_before(c->src, h->word, &pa, &pb, &pl)) || pl != 3 ||
	    strncmp(p, "for", 3) ||
	    !(n = word_before(c->src, h->word - 1, &na, &nb, &nl)) || nl < 4)
		return 0;
	return !strncmp(n + nl - 2, "en", 2) || !strncmp(n + nl - 2, "et", 2) ||
	       n[nl - 1] == 'a';
}

/* The hit is the term in the genitive: its last word has an -s that the
 * term does not (Stortingets, kommunens), or says what it says (see
 * noun_complement). */
static int genitive_hit(const struct gl_check *c, const struct gl_hit *h)
{
	const char *term = c->v[h->tag].term, *w;
	size_t a, b, len, tl = strlen(term);

	w = gl_text_word(c->src, h->word + h->nwords - 1, &a, &b, &len);
	if (len > 0 && w[len - 1] == 's' && tl > 0 && term[tl - 1] != 's')
		return 1;
	return noun_complement(c, h);
}

/* The words that make the next word an infinitive: the infinitive marker
 * and the modal verbs, in the present and the past. */
static int before_infinitive(const char *w, size_t len)
{
	static const char *const v[] = {
	    "\xc3\xa5",	 "skal",	 "vil",	   "kan",
	    "m\xc3\xa5", "b\xc3\xb8r",	 "skulle", "ville",
	    "kunne",	 "m\xc3\xa5tte", "burde",
	};
	size_t k;

	for (k = 0; k < sizeof(v) / sizeof(*v); k++)
		if (strlen(v[k]) == len && !memcmp(w, v[k], len))
			return 1;
	return 0;
}

/* Adverbs that may stand between a modal and its infinitive ("vil ikke
 * styre"). */
static int modal_adverb(const char *w, size_t len)
{
	static const char *const v[] = {"ikke",	  "ogs\xc3\xa5", "aldri",
					"heller", "gjerne",	 "bare"};
	size_t k;

	for (k = 0; k < sizeof(v) / sizeof(*v); k++)
		if (strlen(v[k]) == len && !memcmp(w, v[k], len))
			return 1;
	return 0;
}

/* Many Norwegian nouns are spelt as a verb's infinitive (styre "board"
 * and "to run", anke "appeal" and "to appeal"): a one-word hit written as
 * the bare term, ending in a vowel as infinitives do, or as its passive
 * (skal styres), or shorter than the term with the infinitive's -e (å
 * lære for lærer), right after "å" or a modal verb (an adverb may stand
 * between) is the verb, not the term, unless the entry is itself a verb.  "Hun
 * skal styre tjenesten" has no board; "skal styret" (definite) is still the
 * noun. */
static int infinitive_hit(const struct gl_check *c, const struct gl_hit *h)
{
	const struct gl_entry *e = &c->v[h->tag];
	const char *s = gl_text_str(c->src), *w;
	size_t a, b, pa, pb, len, plen, back, i, tl;

	if (h->nwords != 1 || h->word == 0 ||
	    (e->pos && (!strncasecmp(e->pos, "verb", 4) ||
			!strcasecmp(e->pos, "v") || !strcasecmp(e->pos, "vb"))))
		return 0;
	w = gl_text_word(c->src, h->word, &a, &b, &len);
	tl = strlen(e->term);
	/* the bare term as the infinitive (styre), its passive (styres,
	 * ankes), or a form shorter than the term ending in -e, the verb's
	 * stem with the infinitive's -e (lære beside lærer); the plural
	 * lærere and the definite kommunene are longer than the term and
	 * stay nouns ("Kan lærere streike?") */
	if (!(len == tl && strchr("aeiouy", w[len - 1])) &&
	    !(len == tl + 1 && w[len - 1] == 's' &&
	      strchr("aeiouy", w[len - 2])) &&
	    !(len < tl && w[len - 1] == 'e'))
		return 0;
	for (back = 1; back <= 2 && back <= h->word; back++) {
		const char *p =
		    gl_text_word(c->src, h->word - back, &pa, &pb, &plen);

		/* only white space between the words */
		for (i = pb; i < a; i++)
			if (!strchr(" \t\n", s[i]))
				return 0;
		if (before_infinitive(p, plen))
			return 1;
		if (!modal_adverb(p, plen))
			return 0;
		a = pa;
	}
	return 0;
}

/* Word w (folded, len bytes) is one of the list. */
static int word_in(const char *const *v, const char *w, size_t len)
{
	for (; *v; v++)
		if (strlen(*v) == len && !memcmp(w, *v, len))
			return 1;
	return 0;
}

/* Personal pronouns in the subject form, which a finite verb follows
 * ("hun trener") or, inverted, precedes ("trener hun"). */
static const char *const subject_pronouns[] = {
    "jeg", "du", "han", "hun", "vi", "dere", "de", "man", NULL,
};
/* Pronouns that follow a finite verb: the inverted subject ("Forsvarer
 * du ...?"), the object or the reflexive ("forsvarer seg").  Not "den",
 * "det", "de", which also stand before a noun. */
static const char *const after_verb_pronouns[] = {
    "jeg", "du",  "han", "hun", "vi",  "dere",	"man", "meg",
    "deg", "ham", "seg", "oss", "dem", "henne", NULL,
};
/* Words of five letters or more ending as a definite noun does that are
 * not one: an adjective or a determiner before a noun ("Liten trener"). */
static const char *const not_definite[] = {
    "annen",  "annet", "liten", "hvilken", "hvilket", "enten", "nesten",
    "sammen", "siden", "igjen", "etter",   "heller",  NULL,
};

/* The word is a definite noun by its ending (politimesteren, laget,
 * lederne, jenta), five letters or more, and no genitive. */
static int definite_noun(const char *w, size_t len)
{
	static const char *const endings[] = {"en", "et", "ene", "a"};
	size_t k;

	if (tolk_utf8_count(w, len) < 5 || word_in(not_definite, w, len))
		return 0;
	for (k = 0; k < sizeof(endings) / sizeof(*endings); k++) {
		size_t el = strlen(endings[k]);

		if (len > el && !memcmp(w + len - el, endings[k], el))
			return 1;
	}
	return 0;
}

/* Conjunctions that open a subordinate clause, where the subject comes
 * straight before its finite verb ("at elevene lærer"). */
static const char *const subordinators[] = {
    "at",   "n\xc3\xa5r", "fordi", "om",   "hvis", "dersom",
    "mens", "da",	  "der",   "hvor", "som",  NULL,
};
/* Adverbs that may open a main clause, whose finite verb then comes
 * second and its subject third ("Nå lærer barna ..."). */
static const char *const clause_adverbs[] = {
    "n\xc3\xa5",   "da",	"s\xc3\xa5", "her",	 "der",
    "derfor",	   "dermed",	"likevel",   "ofte",	 "alltid",
    "fortsatt",	   "fremdeles", "snart",     "allerede", "dessuten",
    "ogs\xc3\xa5", "heldigvis", "dessverre", NULL,
};

/* The code point at byte at of s is a capital letter. */
static int capital_at(const char *s, size_t at)
{
	int32_t i = (int32_t)at;
	UChar32 ch;

	U8_NEXT(s, i, -1, ch);
	return ch >= 0 && u_isupper(ch);
}

/* Question words that open a sentence, the finite verb next ("Hvem
 * leder arbeidet?"); not hvilken, which a noun follows. */
static const char *const question_words[] = {
    "hvem", "hva", "hvor", "hvordan", "hvorfor", "n\xc3\xa5r", NULL,
};

/* Quantifiers followed by a noun in the plural. */
static const char *const plural_quantifiers[] = {
    "mange", "flere", "alle", "f\xc3\xa5", "begge", NULL,
};
/* First words of a sentence-opening adverbial of two words ("I dag", "På
 * skolen", "Hver dag"). */
static const char *const prepositions[] = {
    "i", "p\xc3\xa5", "etter", "f\xc3\xb8r", "om", "under", "hver", NULL,
};

/* Only white space lies between bytes a and b of s. */
static int only_space(const char *s, size_t a, size_t b)
{
	for (; a < b; a++)
		if (!strchr(" \t\n", s[a]))
			return 0;
	return 1;
}

/* The word of t right before word i with only white space between them
 * (*plen bytes, spanning [*pa, *pb)); NULL for the first word or after
 * punctuation. */
static const char *word_before(const struct gl_text *t, size_t i, size_t *pa,
			       size_t *pb, size_t *plen)
{
	const char *p;
	size_t a, b, l;

	if (i == 0)
		return NULL;
	gl_text_word(t, i, &a, &b, &l);
	p = gl_text_word(t, i - 1, pa, pb, plen);
	return only_space(gl_text_str(t), *pb, a) ? p : NULL;
}

/* Norwegian agent nouns are spelt as the present tense of their verb
 * (trener "coach" and "trains", forsvarer "defence lawyer" and
 * "defends", leder "leader" and "leads").  A one-word hit written as the
 * bare term ending in -r is that verb, not the term, where Norwegian
 * word order makes it the finite verb: right after a subject pronoun
 * ("Hun trener to ganger om dagen"), right before a pronoun (the
 * inverted subject, the object or the reflexive: "Forsvarer du
 * dette?", "forsvarer seg"), second in a sentence or a subordinate
 * clause after a subject that is a definite noun ("Politimesteren
 * forsvarer etterforskningen", "at elevene lærer mer"), or second after
 * an opening adverb or a preposition's phrase with a definite noun after
 * it, the inverted subject ("Nå lærer barna å kode", "I dag leder
 * laget"), after a name in mid-sentence ("at Kari lærer") or after a
 * quantifier that wants a plural ("Mange lærer norsk").
 * The noun keeps its article, possessive or adjective ("en ny trener",
 * "hans forsvarer") and is still the term.  Not for an entry whose part
 * of speech is a verb. */
static int finite_position(const struct gl_check *c, const struct gl_hit *h,
			   int plural);

static int present_hit(const struct gl_check *c, const struct gl_hit *h)
{
	const struct gl_entry *e = &c->v[h->tag];
	const char *w;
	size_t a, b, len, tl;
	int plural;

	if (h->nwords != 1 ||
	    (e->pos && (!strncasecmp(e->pos, "verb", 4) ||
			!strcasecmp(e->pos, "v") || !strcasecmp(e->pos, "vb"))))
		return 0;
	w = gl_text_word(c->src, h->word, &a, &b, &len);
	tl = strlen(e->term);
	/* the noun's indefinite plural (lov, lover; lege, leger) is spelt
	 * as the present of the verb made from it (love "promise", lege
	 * "heal"), and a plural noun cannot stand where the finite verb
	 * does either */
	plural = tl >= 2 && len > tl && !strncasecmp(w, e->term, tl) &&
		 (e->term[tl - 1] == 'e'
		      ? len == tl + 1 && w[tl] == 'r'
		      : len == tl + 2 && w[tl] == 'e' && w[tl + 1] == 'r');
	if ((len != tl && !plural) || len < 2 || w[len - 1] != 'r')
		return 0;
	return finite_position(c, h, plural);
}

/* The past tense in -et (lovet "promised", kronet "crowned", straffet
 * "punished") is spelt as a noun's stem with an ending: a one-word hit
 * in -et that is not the term as written is the verb where word order
 * puts the finite verb (see present_hit): "Regjeringen lovet", "Han
 * kronet", "I fjor lovet regjeringen".  A definite neuter noun (styret,
 * fylket) does not stand there. */
static int past_hit(const struct gl_check *c, const struct gl_hit *h)
{
	const struct gl_entry *e = &c->v[h->tag];
	const char *w;
	size_t a, b, len;

	if (h->nwords != 1 ||
	    (e->pos && (!strncasecmp(e->pos, "verb", 4) ||
			!strcasecmp(e->pos, "v") || !strcasecmp(e->pos, "vb"))))
		return 0;
	w = gl_text_word(c->src, h->word, &a, &b, &len);
	if (len < 3 || memcmp(w + len - 2, "et", 2) ||
	    (len == strlen(e->term) && !strncasecmp(w, e->term, len)))
		return 0;
	return finite_position(c, h, 0);
}

/* Word i of the source is a name of one word in mid-sentence (Høyre,
 * Kari), the inverted subject after a verb ("Nå leder Høyre"); a name of
 * two words or more after a title is the person the title names ("Også
 * ordfører Kari Dahl"). */
static int one_word_name(const struct gl_check *c, size_t i)
{
	const char *s = gl_text_str(c->src);
	size_t a, b, l, a2, b2;

	gl_text_word(c->src, i, &a, &b, &l);
	if (!capital_at(s, a) || sentence_start(s, a))
		return 0;
	if (i + 1 < gl_text_words(c->src)) {
		gl_text_word(c->src, i + 1, &a2, &b2, &l);
		if (only_space(s, b, a2) && capital_at(s, a2))
			return 0;
	}
	return 1;
}

/* Hit h stands where Norwegian word order puts the finite verb (see
 * present_hit); plural: the hit is spelt as a noun's plural. */
static int finite_position(const struct gl_check *c, const struct gl_hit *h,
			   int plural)
{
	const char *s = gl_text_str(c->src), *p, *q;
	size_t a, b, len, pa, pb, plen, qa, qb, qlen;

	gl_text_word(c->src, h->word, &a, &b, &len);
	q = NULL;
	qlen = 0;
	if (h->word + 1 < gl_text_words(c->src)) {
		q = gl_text_word(c->src, h->word + 1, &qa, &qb, &qlen);
		if (!only_space(s, b, qa))
			q = NULL;
		else if (word_in(after_verb_pronouns, q, qlen))
			return 1;
	}
	/* the verb of a report after what is reported, its subject
	 * inverted: "Skatten skal ned, lover partiet" */
	if (q && definite_noun(q, qlen)) {
		size_t i = a;

		while (i > 0 && strchr(" \t\n", s[i - 1]))
			i--;
		if (i > 0 && s[i - 1] == ',')
			return 1;
	}
	if (!(p = word_before(c->src, h->word, &pa, &pb, &plen)))
		return 0;
	if (word_in(subject_pronouns, p, plen))
		return 1;
	if (word_in(question_words, p, plen) && sentence_start(s, pa))
		return 1;
	/* "som" as the subject of a relative clause, its object after the
	 * verb ("Kari Berg, som leder styret"); "som trener" alone is "as
	 * a coach" */
	if (q && plen == 3 && !memcmp(p, "som", 3) && !sentence_start(s, pa) &&
	    definite_noun(q, qlen))
		return 1;
	/* a quantifier that wants a plural noun: the singular after it is
	 * the verb ("Mange lærer norsk") */
	if (!plural && word_in(plural_quantifiers, p, plen))
		return 1;
	/* a name in mid-sentence is the subject ("at Kari lærer"), a
	 * name being no modifier of a bare noun; a name's genitive is
	 * ("Karis lærer") */
	if (capital_at(s, pa) && p[plen - 1] != 's' && !sentence_start(s, pa))
		return 1;
	/* inverted after an opening adverb or a preposition's phrase
	 * ("I dag", "På skolen"), the subject a definite noun: a noun there
	 * would have no article ("Nå lærer barna") */
	if (q && (definite_noun(q, qlen) || one_word_name(c, h->word + 1))) {
		if (word_in(clause_adverbs, p, plen) && sentence_start(s, pa))
			return 1;
		if (h->word >= 2) {
			size_t ra, rb, rlen;
			const char *r =
			    gl_text_word(c->src, h->word - 2, &ra, &rb, &rlen);

			if (only_space(s, rb, pa) &&
			    word_in(prepositions, r, rlen) &&
			    sentence_start(s, ra))
				return 1;
		}
	}
	/* the subject opens the sentence or a subordinate clause: nothing
	 * but quotes and dashes before it, back to the segment's start or a
	 * sentence end, or a subordinating conjunction */
	if (!definite_noun(p, plen))
		return 0;
	if (sentence_start(s, pa))
		return 1;
	if (h->word < 2)
		return 0;
	q = gl_text_word(c->src, h->word - 2, &qa, &qb, &qlen);
	return only_space(s, qb, pa) && word_in(subordinators, q, qlen);
}

/* Norwegian past participles end in -t or -et (lovet "promised", kronet
 * "crowned", styrt "ruled", straffet "punished"), which the stem of a
 * noun takes as its ending (lov, krone, styre, straff).  A one-word hit
 * that is not the term as written and ends in -t is the participle, not the
 * term, right after a passive auxiliary (ble, blir, bli, blitt), after
 * "ha", or after "har" or "hadde" whose subject stands right before them
 * (a personal pronoun, "som", a definite noun, a name: "Regjeringen har
 * lovet", "som hadde styrt"); ikke, også, aldri … may stand between.  After
 * "har" opening a sentence or after an adverb ("Nå har politiet") the
 * definite noun is the inverted subject and still the term. */
static int participle_hit(const struct gl_check *c, const struct gl_hit *h)
{
	static const char *const passive[] = {"ble",   "blir", "bli",
					      "blitt", "ha",   NULL};
	static const char *const perfect[] = {"har", "hadde", NULL};
	const struct gl_entry *e = &c->v[h->tag];
	const char *s = gl_text_str(c->src), *w, *p;
	size_t a, b, pa, pb, len, plen, i = h->word;

	if (h->nwords != 1 ||
	    (e->pos && (!strncasecmp(e->pos, "verb", 4) ||
			!strcasecmp(e->pos, "v") || !strcasecmp(e->pos, "vb"))))
		return 0;
	w = gl_text_word(c->src, h->word, &a, &b, &len);
	if ((len == strlen(e->term) && !strncasecmp(w, e->term, len)) ||
	    w[len - 1] != 't')
		return 0;
	for (;;) {
		if (!(p = word_before(c->src, i, &pa, &pb, &plen)))
			return 0;
		i--;
		if (!modal_adverb(p, plen))
			break;
	}
	if (word_in(passive, p, plen))
		return 1;
	if (!word_in(perfect, p, plen) ||
	    !(p = word_before(c->src, i, &pa, &pb, &plen)))
		return 0;
	return word_in(subject_pronouns, p, plen) ||
	       (plen == 3 && !memcmp(p, "som", 3)) || definite_noun(p, plen) ||
	       (capital_at(s, pa) && !sentence_start(s, pa));
}

/* A Norwegian name of more than one word, written with a capital (Den
 * norske kirke, Oslo Børs, Universitetet i Oslo), takes no ending but the
 * genitive -s: "den norske kirken i London" with the definite ending is a
 * church, not the Church of Norway, and is not the term.  Sets *out. */
static int inflected_name(struct gl_check *c, const struct gl_hit *h, int *out,
			  struct tolk_err *err)
{
	const char *term = c->v[h->tag].term, *last = strrchr(term, ' '), *w;
	size_t a, b, len, fl;
	UChar32 ch;
	int32_t i = 0;
	int rc;

	*out = 0;
	if (!last || h->nwords < 2)
		return 0;
	U8_NEXT(term, i, (int32_t)strlen(term), ch);
	if (!u_isupper(ch))
		return 0;
	last++;
	tolk_buf_reset(&c->ns);
	if ((rc = tolk_text_fold(last, strlen(last), &c->ns, err)))
		return rc;
	fl = strlen(tolk_buf_str(&c->ns));
	w = gl_text_word(c->src, h->word + h->nwords - 1, &a, &b, &len);
	*out = !((len == fl || (len == fl + 1 && w[fl] == 's')) &&
		 !memcmp(w, tolk_buf_str(&c->ns), fl));
	return 0;
}

/* A name written as a definite noun (Folkehelseinstituttet,
 * Sametinget), met without that definite ending in small letters ("sitt
 * eget folkehelseinstitutt", "et sameting", "sametingene") or opening a
 * sentence ("Sameting finnes i tre land"), is the kind of
 * body, not the body the name is: Sweden has a public health institute of
 * its own.  The name in small letters (a source that writes
 * "folkehelseinstituttet"), and its definite form opening a sentence,
 * are still the term, as is any form with a capital in mid-sentence.
 * Sets *out. */
static int kind_of_name(struct gl_check *c, const struct gl_hit *h, int *out,
			struct tolk_err *err)
{
	static const char *const definite[] = {"et", "en", "a", NULL};
	const char *term = c->v[h->tag].term, *s = gl_text_str(c->src), *f;
	char hit[128];
	size_t a, b, len, fl, k;
	int rc;

	*out = 0;
	/* a capital in mid-sentence is the name's own; a name of several
	 * words is inflected_name's */
	if (common_noun(term) || strchr(term, ' ') ||
	    (capital_at(s, h->start) && !sentence_start(s, h->start)))
		return 0;
	/* the hit's words as a whole (EØS-avtalen is one name) */
	gl_text_word(c->src, h->word + h->nwords - 1, &a, &b, &len);
	tolk_buf_reset(&c->ns);
	if ((rc = tolk_text_fold(s + h->start, b - h->start, &c->ns, err)))
		return rc;
	if (strlen(tolk_buf_str(&c->ns)) >= sizeof(hit))
		return 0;
	strcpy(hit, tolk_buf_str(&c->ns));
	tolk_buf_reset(&c->ns);
	if ((rc = tolk_text_fold(term, strlen(term), &c->ns, err)))
		return rc;
	f = tolk_buf_str(&c->ns);
	fl = strlen(f);
	for (k = 0; definite[k]; k++) {
		size_t dl = strlen(definite[k]);

		if (fl > dl + 3 && !strcmp(f + fl - dl, definite[k]))
			break;
	}
	if (!definite[k])
		return 0;
	*out = strncmp(hit, f, fl) != 0;
	return 0;
}

/* w[0,len) (as written) is the name of a country other than Norway in
 * language lang (Sverige, Frankrike; Sweden, France), or its ISO code in
 * English (US): the names come from ICU's locale data. */
static int foreign_country(const char *w, size_t len, const char *lang)
{
	const char *const *cc = uloc_getISOCountries();
	UChar word[64], name[64];
	char loc[16];
	int32_t wl;
	UErrorCode st = U_ZERO_ERROR;

	if (len < 2 || !capital_at(w, 0))
		return 0;
	u_strFromUTF8(word, 64, &wl, w, (int32_t)len, &st);
	if (U_FAILURE(st) || wl >= 64)
		return 0;
	for (; *cc; cc++) {
		int32_t nl;

		if (!strcmp(*cc, "NO"))
			continue;
		if (!strcmp(lang, "en") && len == 2 &&
		    (!memcmp(w, *cc, 2) || !memcmp(w, "UK", 2)))
			return 1;
		snprintf(loc, sizeof(loc), "und_%s", *cc);
		st = U_ZERO_ERROR;
		nl = uloc_getDisplayCountry(loc, lang, name, 64, &st);
		if (U_SUCCESS(st) && nl == wl && !u_strncmp(name, word, wl))
			return 1;
	}
	return 0;
}

/* u[0,n) folded in place, spelt as a Norwegian adjective spells the
 * name it is made from (Canada kanadisk, Mexico meksikansk, Sør-Afrika
 * sørafrikansk: c as k, x as ks, no hyphen); its new length. */
static int32_t fold_u(UChar *u, int32_t n, int32_t cap)
{
	UChar tmp[64];
	UErrorCode st = U_ZERO_ERROR;
	int32_t l, i, o = 0;

	if (n > 64)
		return 0;
	u_memcpy(tmp, u, n);
	l = u_strFoldCase(tmp, 64, u, n, U_FOLD_CASE_DEFAULT, &st);
	if (U_FAILURE(st))
		return 0;
	for (i = 0; i < l && o + 2 < cap; i++) {
		if (tmp[i] == '-')
			continue;
		if (tmp[i] == 'x') {
			u[o++] = 'k';
			u[o++] = 's';
		} else {
			u[o++] = tmp[i] == 'c' ? 'k' : tmp[i];
		}
	}
	return o;
}

/* The folded source word w[0,len) ending in -sk or -ske is an adjective
 * of a country or its people, by ICU's Norwegian names: a language's
 * name (svensk, tysk, russisk), a country's name that has it (Amerikansk
 * Samoa, De britiske jomfruøyene) or that it is made from, its
 * suffix -sk, -isk, -ansk, -iansk taken off (belgi-sk, sveits-isk,
 * afghan-sk, brasil-iansk).  Most words in -isk are no nationality
 * (politiske, tekniske, juridiske, økonomiske): the head of a board or a
 * ministry there is the house's own. */
static int nationality_adjective(const char *w, size_t len)
{
	static const char *const suffixes[] = {"iansk", "ansk", "isk", "sk"};
	const char *const *codes;
	UChar word[64], name[64];
	int32_t wl = 0, nl, k;
	UErrorCode st = U_ZERO_ERROR;
	size_t bases[4], nbases = 0, i;

	u_strFromUTF8(word, 64, &wl, w, (int32_t)len, &st);
	if (U_FAILURE(st) || wl >= 32 || wl < 4 || !(wl = fold_u(word, wl, 64)))
		return 0;
	if (word[wl - 1] == 'e')
		wl--;
	if (wl < 4 || word[wl - 2] != 's' || word[wl - 1] != 'k')
		return 0;
	for (i = 0; i < sizeof(suffixes) / sizeof(*suffixes); i++) {
		int32_t sl = (int32_t)strlen(suffixes[i]), j;

		if (wl - sl < 4)
			continue;
		for (j = 0; j < sl && word[wl - sl + j] == suffixes[i][j]; j++)
			;
		if (j == sl)
			bases[nbases++] = (size_t)(wl - sl);
	}
	for (codes = uloc_getISOLanguages(); *codes; codes++) {
		st = U_ZERO_ERROR;
		nl = uloc_getDisplayLanguage(*codes, "nb", name, 64, &st);
		if (U_SUCCESS(st) && nl < 64 && (nl = fold_u(name, nl, 64)) &&
		    nl == wl && !u_strncmp(name, word, wl))
			return 1;
	}
	for (codes = uloc_getISOCountries(); *codes; codes++) {
		char loc[16];

		if (!strcmp(*codes, "NO"))
			continue;
		snprintf(loc, sizeof(loc), "und_%s", *codes);
		st = U_ZERO_ERROR;
		nl = uloc_getDisplayCountry(loc, "nb", name, 64, &st);
		if (U_FAILURE(st) || nl >= 64 || !(nl = fold_u(name, nl, 64)))
			continue;
		/* an adjective in the name, in either of its endings */
		for (k = 0; k < nl;) {
			int32_t e = k;

			while (e < nl && name[e] != ' ')
				e++;
			if (e - k >= wl && !u_strncmp(name + k, word, wl) &&
			    (e - k == wl ||
			     (e - k == wl + 1 && name[k + wl] == 'e')))
				return 1;
			k = e + 1;
		}
		for (i = 0; i < nbases; i++)
			if (nl >= (int32_t)bases[i] &&
			    !u_strncmp(name, word, (int32_t)bases[i]))
				return 1;
	}
	return 0;
}

/* The source word w[0,len) (as written) is the genitive of a country
 * other than Norway in Norwegian (Storbritannias, Sveriges, USAs). */
static int foreign_genitive(const char *w, size_t len)
{
	return len >= 3 && w[len - 1] == 's' &&
	       foreign_country(w, len - 1, "nb");
}

/* The source word p (plen bytes at [pa, pb) of s) names a country other
 * than Norway as a qualifier: its genitive or a nationality adjective. */
static int foreign_qualifier(const char *s, const char *p, size_t pa, size_t pb,
			     size_t plen)
{
	if (foreign_genitive(s + pa, pb - pa))
		return 1;
	/* not Norway's, nor what Norway shares (Sami, Nordic) */
	if (plen < 5 || !strncmp(p, "norsk", 5) || !strncmp(p, "samisk", 6) ||
	    !strncmp(p, "nordisk", 7))
		return 0;
	return nationality_adjective(p, plen);
}

/* Between bytes a and b of s lies one comma and white space only. */
static int comma_between(const char *s, size_t a, size_t b)
{
	int commas = 0;

	for (; a < b; a++) {
		if (s[a] == ',')
			commas++;
		else if (!strchr(" \t\n", s[a]))
			return 0;
	}
	return commas == 1;
}

/* Hit h is qualified by a foreign country, right before it: a country's
 * genitive (Sveriges statsminister) or a nationality adjective ending in
 * -sk, -ske as they do (britisk, amerikanske), not Norway's own; or right
 * after it, "i" and the country's name (et departement i Frankrike).  It
 * is then that country's body or office, which English names by its own
 * name ("Britain's foreign secretary", "a French department"), not the
 * house's. */
static int foreign_hit(const struct gl_check *c, const struct gl_hit *h)
{
	const char *s = gl_text_str(c->src), *p;
	size_t pa, pb, plen, w = h->word + h->nwords, a, b, l, a2, b2, l2;

	if (w + 1 < gl_text_words(c->src)) {
		const char *in = gl_text_word(c->src, w, &a, &b, &l);

		gl_text_word(c->src, w + 1, &a2, &b2, &l2);
		if (l == 1 && *in == 'i' && only_space(s, h->end, a) &&
		    only_space(s, b, a2) &&
		    foreign_country(s + a2, b2 - a2, "nb"))
			return 1;
	}
	if ((p = word_before(c->src, h->word, &pa, &pb, &plen)))
		return foreign_qualifier(s, p, pa, pb, plen);
	/* in apposition to a foreign noun: "hans britiske kollega,
	 * utenriksminister David Lammy" is Britain's office */
	if (h->word < 2)
		return 0;
	gl_text_word(c->src, h->word - 1, &a, &b, &l);
	if (!comma_between(s, b, h->start) ||
	    !(p = word_before(c->src, h->word - 1, &pa, &pb, &plen)))
		return 0;
	return foreign_qualifier(s, p, pa, pb, plen);
}

/* The English word before target hit x, with only white space between,
 * names a country or its people (British, Britain's, the Swedish, US),
 * not Norway: a genitive, a capital not at a sentence's start, or at a
 * sentence's start a country's name or code or an adjective of people
 * (-ish, -ese, -an, -ch: Danish, Chinese, American, French). */
static int foreign_before(const struct gl_check *c, const struct gl_hit *x)
{
	const char *s = gl_text_str(c->tgt), *p;
	size_t pa, pb, plen;

	if (!(p = word_before(c->tgt, x->word, &pa, &pb, &plen)) ||
	    !strncmp(p, "norw", 4))
		return 0;
	if (plen > 2 && p[plen - 2] == '\'' && p[plen - 1] == 's')
		return 1;
	if (!capital_at(s, pa))
		return 0;
	if (!sentence_start(s, pa) || foreign_country(s + pa, pb - pa, "en"))
		return 1;
	return plen > 4 && (!memcmp(p + plen - 3, "ish", 3) ||
			    !memcmp(p + plen - 3, "ese", 3) ||
			    !memcmp(p + plen - 2, "an", 2) ||
			    !memcmp(p + plen - 2, "ch", 2));
}

/* Target hit y of entry e lies inside another hit of e (counted there). */
static int nested_rendering(const struct gl_check *c, size_t e, size_t i)
{
	const struct gl_hit *y = &c->hen.v[i];
	size_t k;

	for (k = 0; k < c->hen.n; k++) {
		const struct gl_hit *z = &c->hen.v[k];

		if (k == i || c->r[z->tag].entry != e || z->start > y->start ||
		    y->end > z->end)
			continue;
		if (z->start != y->start || z->end != y->end || k < i)
			return 1;
	}
	return 0;
}

/* Forbidden variant x renders another country's office when a source
 * with its term twice names both offices ("Finansministeren møtte sin
 * amerikanske kollega, finansminister ..."; "The finance minister met
 * his US counterpart, Treasury Secretary ..."): the source hit in x's
 * place in the order of the term's renderings is foreign, and the
 * approved renderings cover every hit that is not.  English keeps the
 * order of the two offices as a rule; a sentence that swaps them is
 * judged as if it had not, which errs towards a finding only when the
 * house's own office got the foreign title. */
static int foreign_counterpart(const struct gl_check *c, const struct gl_hit *x)
{
	size_t e = c->r[x->tag].entry, h, rank = 0, nsrc = 0, nforeign = 0,
	       napproved = 0;
	int at_rank = 0;

	for (h = 0; h < c->hen.n; h++) {
		const struct gl_hit *y = &c->hen.v[h];

		if (c->r[y->tag].entry != e || nested_rendering(c, e, h))
			continue;
		rank += y->start < x->start;
		napproved += !c->r[y->tag].forbidden;
	}
	for (h = 0; h < c->hs.n; h++) {
		int f;

		if (c->hs.v[h].tag != e)
			continue;
		f = foreign_hit(c, &c->hs.v[h]);
		if (nsrc++ == rank)
			at_rank = f;
		nforeign += (size_t)f;
	}
	return at_rank && nsrc > nforeign && napproved >= nsrc - nforeign;
}

/* The approved renderings in the English beside the target that no
 * source sentence was paired with (s->target_nearby) count as found. */
static int nearby_renderings(struct gl_check *c, const struct gl_segment *s,
			     struct tolk_err *err)
{
	const char *t = s->target_nearby;
	size_t h;
	int rc;

	if (!t || !*t)
		return 0;
	if ((rc = gl_text_set(c->near, t, strlen(t), err)) ||
	    (rc = gl_matcher_find(c->en, c->near, GL_FIND_ALL, &c->hnear, err)))
		return rc;
	for (h = 0; h < c->hnear.n; h++) {
		const struct rendering *r = &c->r[c->hnear.v[h].tag];

		if (!r->forbidden &&
		    !(r->acronym && islower((unsigned char)gl_text_str(
					c->near)[c->hnear.v[h].start])))
			c->approved_at[r->entry] = c->seg;
	}
	return 0;
}

/* Target word i, the last word of a place's name, is the name alone, as
 * English says where ("in Stjørdal"): a place's name takes no article, and
 * after "the", "this" or "that" the name modifies the noun that follows
 * ("the Agder region"), as it does a capitalised word that continues it
 * ("Gulating High Court"); that noun is then the name's head, right only
 * when it is an approved rendering of another term the source has ("the
 * Stjørdal mayor" for ordføreren i Stjørdal kommune), or the head of
 * the term's own rendering ("the Oslo court").  An indefinite
 * article is left alone: "a Stjørdal firm" names a firm, not the place. */
static int name_alone(const struct gl_check *c, const struct gl_entry *e,
		      size_t i)
{
	static const char *const det[] = {"the", "this", "that", NULL};
	/* capitalised words that follow a place without naming it: "rose
	 * in Nordland Tuesday" */
	static const char *const calendar[] = {
	    "monday",	 "tuesday", "wednesday", "thursday", "friday",
	    "saturday",	 "sunday",  "january",	 "february", "march",
	    "april",	 "may",	    "june",	 "july",     "august",
	    "september", "october", "november",	 "december", NULL,
	};
	const char *t = gl_text_str(c->tgt), *p;
	size_t j = i, a, b, l, na, nb, nl, h;
	int modifier = 0;

	gl_text_word(c->tgt, i, &a, &b, &l);
	/* back over the name's other words (Indre Østfold, Nord-Fron) */
	while (j > 0) {
		size_t ja, jb;

		gl_text_word(c->tgt, j, &ja, &jb, &l);
		gl_text_word(c->tgt, j - 1, &na, &nb, &nl);
		if (!(only_space(t, nb, ja) ||
		      (nb + 1 == ja && t[nb] == '-')) ||
		    !capital_at(t, na) || sentence_start(t, na))
			break;
		j--;
	}
	p = word_before(c->tgt, j, &na, &nb, &nl);
	if (p && word_in(det, p, nl))
		modifier = 1;
	if (i + 1 < gl_text_words(c->tgt)) {
		p = gl_text_word(c->tgt, i + 1, &na, &nb, &nl);
		if (only_space(t, b, na) && capital_at(t, na) &&
		    !word_in(calendar, p, nl))
			modifier = 1;
	} else {
		return !modifier;
	}
	/* not when the name ends its phrase or makes a compound adjective
	 * ("the Stjørdal-based firm") */
	if (!modifier || !only_space(t, b, na))
		return 1;
	for (h = 0; h < c->hen.n; h++) {
		const struct gl_hit *y = &c->hen.v[h];
		const struct rendering *r = &c->r[y->tag];

		if (!r->forbidden && y->start == na &&
		    c->term_at[r->entry] == c->seg)
			return 1;
	}
	/* the head of the term's own rendering, whose modifier the name
	 * gives: "the Oslo court" for i Oslo tingrett (district court) */
	for (h = 0; h < e->napproved; h++) {
		const char *r = e->approved[h], *of = strstr(r, " of ");
		const char *end = of ? of : r + strlen(r), *hb = end;

		while (hb > r && hb[-1] != ' ' && hb[-1] != '-')
			hb--;
		if (hb > r && (size_t)(end - hb) == nl &&
		    !strncasecmp(hb, p, nl))
			return 1;
	}
	return 0;
}

/* Hit h of a common noun names a place after its proper name, as an
 * address does: "i" or "på", one to three capitalised words, the term
 * (i Stjørdal kommune, på Indre Østfold kommune), and the English has the
 * name right before the term's place in the Norwegian.  English says
 * where with the name alone ("in Stjørdal"), so the term is not missing
 * there; the name itself is kept. */
static int place_hit(const struct gl_check *c, const struct gl_entry *e,
		     const struct gl_hit *h)
{
	const char *s = gl_text_str(c->src), *t = gl_text_str(c->tgt), *p;
	size_t w = h->word, a, b, l, na = 0, nb2 = 0, names = 0, i;

	if (capital_at(e->term, 0) || w == 0)
		return 0;
	while (w > 0 && names < 4) {
		size_t a0, b0;

		gl_text_word(c->src, w, &a0, &b0, &l);
		p = gl_text_word(c->src, w - 1, &a, &b, &l);
		/* a name's parts may be hyphenated (Nord-Fron) */
		if (!only_space(s, b, a0) &&
		    !(names && a0 == b + 1 && s[b] == '-'))
			return 0;
		if (!capital_at(s, a) || sentence_start(s, a))
			break;
		if (!names) {
			na = a;
			nb2 = b;
		}
		names++;
		w--;
	}
	if (!names || names > 3 || w == 0)
		return 0;
	p = gl_text_word(c->src, w - 1, &a, &b, &l);
	if (!((l == 1 && *p == 'i') || (l == 3 && !memcmp(p, "p\xc3\xa5", 3))))
		return 0;
	for (i = 0; i < gl_text_words(c->tgt); i++) {
		gl_text_word(c->tgt, i, &a, &b, &l);
		if (b - a == nb2 - na && !memcmp(t + a, s + na, b - a) &&
		    name_alone(c, e, i))
			return 1;
	}
	return 0;
}

/* Place-type nouns that follow a name to make the name of a station, a
 * stop, a street, a square or a building (Nationaltheatret stasjon,
 * Stortinget holdeplass, Slottet plass), folded, and the English words
 * that follow the kept name in English (Nationaltheatret station). */
static const char *const place_nouns_nb[] = {
    "stasjon",	    "stasjonen",     "holdeplass",
    "holdeplassen", "gate",	     "gata",
    "gaten",	    "vei",	     "veien",
    "veg",	    "vegen",	     "plass",
    "plassen",	    "torg",	     "torget",
    "senter",	    "senteret",	     "brygge",
    "brygga",	    "bru",	     "brua",
    "bro",	    "broen",	     "park",
    "parken",	    "kai",	     "kaia",
    "terminal",	    "terminalen",    "allé",
    "alle",	    "tunnel",	     "tunnelen",
    "stadion",	    "bygg",	     "bygget",
    "t-bane",	    "t-banestasjon", "t-banestasjonen",
    NULL,
};
static const char *const place_nouns_en[] = {
    "station",	   "stop",	"street", "road",    "avenue",	 "square",
    "plaza",	   "place",	"centre", "center",  "metro",	 "subway",
    "underground", "tube",	"pier",	  "wharf",   "bridge",	 "park",
    "quay",	   "terminal",	"tunnel", "stadium", "building", "stations",
    "stops",	   "station's", NULL,
};

/* Hit h (a name) is part of the name of a place of its own, a station
 * or a street named after it: the source has a place-type noun right
 * after it (Nationaltheatret stasjon), and the English keeps the name as
 * written followed by such a noun of its own (Nationaltheatret station).
 * That copy is no untranslated term, and the hit needs no rendering:
 * the station is not the theatre.  Records the copy in c->named_place.
 * The name alone elsewhere in the English (Nationaltheatret opens) is
 * still a copy, and a translated one (the National Theatre station) is
 * judged as usual. */
static int named_place_hit(struct gl_check *c, const struct gl_hit *h)
{
	const char *s = gl_text_str(c->src), *t = gl_text_str(c->tgt), *w;
	size_t last = h->word + h->nwords - 1, a, b, l, na, nb2, i, k, wa, wb,
	       wl;
	char noun[40];

	/* a name: common nouns do not name stations */
	if (!capital_at(c->v[h->tag].term, 0) ||
	    last + 1 >= gl_text_words(c->src) ||
	    c->nnamed_place >= MAX_NAMED_PLACES)
		return 0;
	gl_text_word(c->src, last, &a, &b, &l);
	w = gl_text_word(c->src, last + 1, &na, &nb2, &l);
	if (!only_space(s, b, na) || l >= sizeof(noun))
		return 0;
	memcpy(noun, w, l);
	noun[l] = '\0';
	/* the word rules split T-bane at its hyphen */
	if (l == 1 && *w == 't' && last + 2 < gl_text_words(c->src) &&
	    s[nb2] == '-') {
		w = gl_text_word(c->src, last + 2, &wa, &wb, &wl);
		if (wa == nb2 + 1 && wl + 2 < sizeof(noun)) {
			noun[1] = '-';
			memcpy(noun + 2, w, wl);
			noun[wl + 2] = '\0';
			l = wl + 2;
		}
	}
	if (!word_in(place_nouns_nb, noun, l))
		return 0;
	for (i = 0; i + h->nwords < gl_text_words(c->tgt); i++) {
		for (k = 0; k < h->nwords; k++) {
			size_t sl, tl2;
			const char *sw =
			    gl_text_word(c->src, h->word + k, &a, &b, &sl);
			const char *tw =
			    gl_text_word(c->tgt, i + k, &wa, &wb, &tl2);

			if (sl != tl2 || memcmp(sw, tw, sl) != 0)
				break;
		}
		if (k < h->nwords)
			continue;
		gl_text_word(c->tgt, i + k - 1, &wa, &wb, &wl);
		w = gl_text_word(c->tgt, i + k, &na, &nb2, &l);
		if (!only_space(t, wb, na) || !word_in(place_nouns_en, w, l))
			continue;
		gl_text_word(c->tgt, i, &wa, &wb, &wl);
		c->named_place[c->nnamed_place++] = wa;
		return 1;
	}
	return 0;
}

/* The copy y of entry ei's term in the English is a Norwegian form of an
 * approved rendering that is the bare Norwegian name (Storting for
 * Stortinget): the rendering spelt at the copy's start, then letters that
 * are no English ending (the definite -et, -en; not -s, -es).  English
 * writes the name bare, so "The Stortinget" copied the term, while an
 * entry whose rendering merely contains the term (NTB -> news bureau NTB)
 * still takes the term bare.  An acronym takes only English endings.
 * Sets *out. */
static int inflected_copy(struct gl_check *c, size_t ei, const struct gl_hit *y,
			  int *out, struct tolk_err *err)
{
	const struct gl_entry *e = &c->v[ei];
	const char *copy, *rest;
	size_t k, cl, al;
	int rc;

	*out = 0;
	if (c->self_render[ei] != 1 || gl_term_default_case(e->term))
		return 0;
	tolk_buf_reset(&c->nt);
	if ((rc = tolk_text_fold(gl_text_str(c->tgt) + y->start,
				 y->end - y->start, &c->nt, err)))
		return rc;
	copy = tolk_buf_str(&c->nt);
	cl = strlen(copy);
	/* an English possessive on the Norwegian form: the Stortinget's */
	if (cl > 2 && !strcmp(copy + cl - 2, "'s"))
		cl -= 2;
	else if (cl > 4 && !strcmp(copy + cl - 4, "\xe2\x80\x99s"))
		cl -= 4;
	for (k = 0; k < e->napproved && !*out; k++) {
		tolk_buf_reset(&c->ns);
		if ((rc = tolk_text_fold(e->approved[k], strlen(e->approved[k]),
					 &c->ns, err)))
			return rc;
		al = strlen(tolk_buf_str(&c->ns));
		if (al == 0 || al >= cl ||
		    memcmp(copy, tolk_buf_str(&c->ns), al))
			continue;
		rest = copy + al;
		if ((cl - al == 1 && rest[0] == 's') ||
		    (cl - al == 2 && !strncmp(rest, "es", 2)))
			continue;
		*out = 1;
		for (; rest < copy + cl; rest++)
			if (!isalpha((unsigned char)*rest) &&
			    (unsigned char)*rest < 0x80)
				*out = 0;
	}
	return 0;
}

/* Hit h, written with a capital, and the place-type noun after it make
 * a street's or a place's name (Kongens gate, Karl Johans gate, Slottets
 * plass) that the English keeps whole, as written in Norwegian: the
 * copy is the name of the street, not an untranslated term, and the
 * term itself is not in the sentence.  Records the copy in
 * c->named_place.  The term copied without its place noun ("the
 * Kongens decision") is still a copy. */
static int kept_place_hit(struct gl_check *c, const struct gl_hit *h)
{
	const char *s = gl_text_str(c->src), *t = gl_text_str(c->tgt), *w;
	size_t last = h->word + h->nwords, a, b, l, i, k, ta, tb, tl, prev = 0;

	if (!capital_at(s, h->start) || last >= gl_text_words(c->src) ||
	    c->nnamed_place >= MAX_NAMED_PLACES)
		return 0;
	gl_text_word(c->src, last - 1, &ta, &tb, &tl);
	w = gl_text_word(c->src, last, &a, &b, &l);
	if (!only_space(s, tb, a) || !word_in(place_nouns_nb, w, l))
		return 0;
	for (i = 0; i + h->nwords < gl_text_words(c->tgt); i++) {
		for (k = 0; k <= h->nwords; k++) {
			gl_text_word(c->src, h->word + k, &a, &b, &l);
			gl_text_word(c->tgt, i + k, &ta, &tb, &tl);

			/* the same words as written, only spaces between */
			if (b - a != tb - ta || memcmp(s + a, t + ta, b - a) ||
			    (k && !only_space(t, prev, ta)))
				break;
			prev = tb;
		}
		if (k <= h->nwords)
			continue;
		gl_text_word(c->tgt, i, &ta, &tb, &tl);
		c->named_place[c->nnamed_place++] = ta;
		return 1;
	}
	return 0;
}

/* The English copy hit x is a name kept in a place's name (see
 * named_place_hit). */
static int in_named_place(const struct gl_check *c, const struct gl_hit *x)
{
	size_t k;

	for (k = 0; k < c->nnamed_place; k++)
		if (c->named_place[k] == x->start)
			return 1;
	return 0;
}

/* The English names the members of a body whose term the source has
 * ("Officers were quickly at the scene" for Politiet): that refers back
 * to the body as a definite description does (later_mention), so it
 * renders the term only shortly after an earlier segment of the document
 * named it (members_later); as a first mention the term is still
 * missing.  Not a word inside another term's rendering found here (the
 * finance ministers for finansministeren), nor another country's members
 * (US lawmakers). */
static void members_mention(struct gl_check *c)
{
	const char *t = gl_text_str(c->tgt);
	size_t w, m, h, a, b, len;

	for (w = 0; w < gl_text_words(c->tgt); w++) {
		const char *f = gl_text_word(c->tgt, w, &a, &b, &len);
		struct gl_hit x = {0};
		unsigned groups = 0;

		/* the possessive: the officers' report */
		if (len > 2 && f[len - 2] == '\'' && f[len - 1] == 's')
			len -= 2;
		else if (len > 4 && !memcmp(f + len - 4, "\xe2\x80\x99s", 4))
			len -= 4;
		else if (len > 1 && f[len - 1] == '\'')
			len -= 1;
		else if (len > 3 && !memcmp(f + len - 3, "\xe2\x80\x99", 3))
			len -= 3;
		for (m = 0; m < NMEMBER_WORDS; m++) {
			const char *mw = member_words[m].members;

			if (strlen(mw) != len)
				continue;
			if (isupper((unsigned char)mw[0])
				? !strncmp(t + a, mw, len)
				: !strncasecmp(f, mw, len))
				groups |= 1u << m;
		}
		if (!groups)
			continue;
		x.start = a;
		x.end = b;
		x.word = w;
		x.nwords = 1;
		if (foreign_before(c, &x))
			continue;
		for (h = 0; h < c->hs.n; h++) {
			size_t ei = c->hs.v[h].tag;

			if ((c->member_groups[ei] & groups) &&
			    !claimed_by_other(c, a, b, ei))
				c->members_at[ei] = c->seg;
		}
	}
}

/* How far back the body named by its members may have been named: the
 * next sentences, closer than a definite description (MENTION_WINDOW),
 * since "officers" says less than "the police" which body is meant. */
#define MEMBERS_WINDOW 3

/* The English of this segment names the members of entry ei's body, which
 * an earlier segment of the same document named (see later_mention). */
static int members_later(const struct gl_check *c, size_t ei)
{
	size_t m = c->mention_at[ei];

	return c->members_at[ei] == c->seg && m != 0 && m >= c->doc_first &&
	       m < c->seg && c->repeat_at != c->seg &&
	       c->seg - m <= MEMBERS_WINDOW;
}

/* w[0,len) is an English noun for a person, as its ending or the word
 * says (mayor, minister, chairman, principal, GP); "it" never refers to
 * one.  A body spelt like one (broadcaster) only stays unexcused. */
static int person_noun(const char *w, size_t len)
{
	static const char *const ends[] = {
	    "or",  "er",  "ist",   "ian",    "ant", "ess",
	    "man", "men", "woman", "person", "ent", NULL,
	};
	static const char *const words[] = {
	    "judge", "chief",  "head",	    "gp",     "mp",	   "king",
	    "queen", "prince", "secretary", "deputy", "principal", "executive",
	    "nurse", "clerk",  "mayoress",  NULL,
	};
	char f[32];
	size_t k, el;

	if (len >= sizeof(f))
		return 0;
	for (k = 0; k < len; k++)
		f[k] = (char)tolower((unsigned char)w[k]);
	f[len] = '\0';
	/* government, department: bodies */
	if (len > 4 && !strcmp(f + len - 4, "ment"))
		return 0;
	if (word_in(words, f, len))
		return 1;
	for (k = 0; ends[k]; k++) {
		el = strlen(ends[k]);
		if (len > el + 1 && !strcmp(f + len - el, ends[k]))
			return 1;
	}
	return 0;
}

/* English hit x of a common noun's rendering names one body that "it
 * says" in the next sentence can refer to: a singular noun for a thing
 * (Vestfold Hospital, the municipality, a district court), not a plural
 * ("they"), nor a person (see person_noun: "the mayor" is never "it"). */
static int body_mention(const struct gl_check *c, const struct gl_hit *x)
{
	const char *t = gl_text_str(c->tgt), *w;
	size_t a, b, l;

	w = gl_text_word(c->tgt, x->word + x->nwords - 1, &a, &b, &l);
	if (person_noun(w, l))
		return 0;
	/* hospitals, not the hospital's */
	return !(b - a > 3 && t[b - 1] == 's' && t[b - 2] != '\'' &&
		 strncmp(t + b - 4, "\xe2\x80\x99", 3) != 0);
}

static int check_terms(struct gl_check *c, const struct gl_segment *s,
		       struct tolk_err *err)
{
	size_t h, k, seg = c->seg;
	int rc, headline;

	if ((rc = gl_matcher_find(c->nb, c->src, c->find_flags, &c->hs, err)) ||
	    (rc = gl_matcher_find(c->en, c->tgt, GL_FIND_ALL, &c->hen, err)))
		return rc;
	c->nnamed_place = 0;
	for (h = 0, k = 0; h < c->hs.n; h++) {
		int inflected;

		if ((rc = inflected_name(c, &c->hs.v[h], &inflected, err)))
			return rc;
		if (!inflected &&
		    (rc = kind_of_name(c, &c->hs.v[h], &inflected, err)))
			return rc;
		if (!inflected && !infinitive_hit(c, &c->hs.v[h]) &&
		    !present_hit(c, &c->hs.v[h]) && !past_hit(c, &c->hs.v[h]) &&
		    !participle_hit(c, &c->hs.v[h]) &&
		    !named_place_hit(c, &c->hs.v[h]) &&
		    !kept_place_hit(c, &c->hs.v[h]))
			c->hs.v[k++] = c->hs.v[h];
	}
	c->hs.n = k;
	for (h = 0; h < c->hs.n; h++) {
		size_t ei = c->hs.v[h].tag;

		c->term_at[ei] = seg;
		if (!ambiguous_hit(c, &c->v[ei], &c->hs.v[h]))
			c->clear_at[ei] = seg;
		if (genitive_hit(c, &c->hs.v[h]))
			c->genitive_at[ei] = seg;
		if (foreign_hit(c, &c->hs.v[h]))
			c->foreign_at[ei] = seg;
	}
	for (h = 0; h < c->hen.n; h++) {
		const struct rendering *r = &c->r[c->hen.v[h].tag];

		/* an acronym in small letters is an English word: "who" is
		 * not the WHO, "us" not the US (Nato, Unesco are) */
		if (!r->forbidden &&
		    !(r->acronym && islower((unsigned char)gl_text_str(
					c->tgt)[c->hen.v[h].start])))
			c->approved_at[r->entry] = seg;
	}
	if ((rc = nearby_renderings(c, s, err)) ||
	    (rc = gl_matcher_find(c->heads, c->tgt, GL_FIND_ALL, &c->hh, err)))
		return rc;
	headline = is_headline(c);
	for (h = 0; h < c->hh.n; h++) {
		size_t tag = c->hh.v[h].tag;
		/* a head shared by two renderings is both's (the health
		 * and finance ministers); any other word found inside
		 * another term's rendering is that term's */
		int claimed = claimed_by_other(c, c->hh.v[h].start,
					       c->hh.v[h].end, tag % c->n);

		if (claimed && !(tag >= c->n && tag < 2 * c->n))
			continue;
		if (tag < c->n)
			c->anaphor_at[tag] = seg;
		else if (tag < 2 * c->n) {
			size_t ei = tag - c->n, w = c->hh.v[h].word;

			if ((named_head(c, &c->hh.v[h]) && !claimed) ||
			    (c->coord_at[ei] == seg && w >= c->coord_end[ei] &&
			     w - c->coord_end[ei] <= COORD_GAP &&
			     plural_word(c->tgt, c->hh.v[h].word)))
				c->approved_at[ei] = seg;
		} else if (tag >= 4 * c->n) {
			/* hits are in text order: the modifier and its
			 * conjunction come before the shared head */
			c->coord_at[tag - 4 * c->n] = seg;
			c->coord_end[tag - 4 * c->n] =
			    c->hh.v[h].word + c->hh.v[h].nwords;
		} else if (tag < 3 * c->n) {
			if (headline)
				c->headline_at[tag - 2 * c->n] = seg;
		} else if (c->genitive_at[tag - 3 * c->n] == seg) {
			c->approved_at[tag - 3 * c->n] = seg;
		}
	}
	members_mention(c);
	if ((rc = gl_matcher_find(c->pronouns, c->tgt, 0, &c->hh, err)))
		return rc;
	c->pronoun_at_seg = c->it_at_seg = 0;
	for (h = 0; h < c->hh.n; h++) {
		if (c->hh.v[h].tag == IT_SAYS)
			c->it_at_seg = 1;
		else
			c->pronoun_at_seg = 1;
	}
	if ((c->kinds & GL_KIND_UNTRANSLATED) || c->nloan) {
		if ((rc = gl_matcher_find(c->nb, c->tgt, GL_FIND_ALL, &c->hnb,
					  err)))
			return rc;
		for (h = 0; h < c->hnb.n; h++) {
			size_t e = c->hnb.v[h].tag;

			if (c->self_render[e] == LOAN)
				c->approved_at[e] = seg;
			if (in_named_place(c, &c->hnb.v[h]))
				continue;

			if (c->untrans_at[e] != seg) {
				c->untrans_at[e] = seg;
				c->untrans_hit[e] = h;
			}
		}
	}
	for (h = 0; h < c->hen.n; h++) {
		const struct gl_hit *x = &c->hen.v[h];
		const struct rendering *r = &c->r[x->tag];
		const struct gl_entry *e = &c->v[r->entry];
		struct gl_finding f = {0};

		/* someone else's word when the source lacks the term, or
		 * when every occurrence of the term already has its approved
		 * rendering */
		if (!r->forbidden || c->rendering_at[x->tag] == seg ||
		    c->term_at[r->entry] != seg || inside_approved(c, x) ||
		    all_rendered(c, r->entry))
			continue;
		/* the foreign country's own name for its body or office
		 * renders the term there */
		if (c->foreign_at[r->entry] == seg &&
		    (foreign_before(c, x) || foreign_counterpart(c, x))) {
			c->approved_at[r->entry] = seg;
			continue;
		}
		c->rendering_at[x->tag] = seg;
		c->forbidden_at[r->entry] = seg;
		if (!(c->kinds & GL_KIND_FORBIDDEN))
			continue;
		f.kind = GL_KIND_FORBIDDEN;
		f.seg = s;
		f.term = e->term;
		f.expected = (const char *const *)e->approved;
		f.nexpected = e->napproved;
		f.found = span(c, c->tgt, x->start, x->end);
		f.note = e->note;
		src_span(c, r->entry, &f);
		f.tgt_start = x->start;
		f.tgt_end = x->end;
		if ((rc = emit(c, &f)))
			return rc;
	}
	for (h = 0; h < c->hs.n; h++) {
		size_t ei = c->hs.v[h].tag;
		const struct gl_entry *e = &c->v[ei];
		struct gl_finding f = {0};
		int copied = 0;

		if (c->reported_at[ei] == seg || c->approved_at[ei] == seg ||
		    c->forbidden_at[ei] == seg)
			continue;
		c->reported_at[ei] = seg;
		f.seg = s;
		f.term = e->term;
		f.expected = (const char *const *)e->approved;
		f.nexpected = e->napproved;
		f.note = e->note;
		f.src_start = c->hs.v[h].start;
		f.src_end = c->hs.v[h].end;
		if ((c->kinds & GL_KIND_UNTRANSLATED) &&
		    c->untrans_at[ei] == seg && c->self_render[ei] &&
		    (rc = inflected_copy(c, ei, &c->hnb.v[c->untrans_hit[ei]],
					 &copied, err)))
			return rc;
		if ((c->kinds & GL_KIND_UNTRANSLATED) &&
		    c->untrans_at[ei] == seg &&
		    (!c->self_render[ei] || copied)) {
			const struct gl_hit *y = &c->hnb.v[c->untrans_hit[ei]];

			f.kind = GL_KIND_UNTRANSLATED;
			f.found = span(c, c->tgt, y->start, y->end);
			f.tgt_start = y->start;
			f.tgt_end = y->end;
		} else if ((c->kinds & GL_KIND_MISSING) &&
			   (c->clear_at[ei] == seg ||
			    c->anaphor_at[ei] == seg) &&
			   !later_mention(c, ei) && !members_later(c, ei) &&
			   !name_mention(c, ei, &c->hs.v[h]) &&
			   !surname_mention(c, ei) &&
			   c->headline_at[ei] != seg &&
			   c->foreign_at[ei] != seg &&
			   !place_hit(c, e, &c->hs.v[h])) {
			/* a sentence-initial hit of an ambiguous term may be
			 * the common word, unless the English refers to the
			 * term ("the party") where it should have named it;
			 * another country's office has its own name there
			 * (den britiske finansministeren, "the Chancellor of
			 * the Exchequer") */
			f.kind = GL_KIND_MISSING;
		} else {
			continue;
		}
		if ((rc = emit(c, &f)))
			return rc;
	}
	for (h = 0; h < c->hen.n; h++) {
		const struct rendering *r = &c->r[c->hen.v[h].tag];

		if (!r->forbidden) {
			c->mention_at[r->entry] = seg;
			if (body_mention(c, &c->hen.v[h]))
				c->body_at[r->entry] = seg;
		}
	}
	for (h = 0; h < c->hs.n; h++)
		named_person(c, c->hs.v[h].tag, &c->hs.v[h]);
	return 0;
}

/* at most this many wrong English numbers are candidates for the
 * column of a number finding */
#define MAX_NUMBER_SPANS 16

struct number_ctx {
	struct gl_check *c;
	const struct gl_segment *s;
	/* the target's numbers that equal none of the source's */
	size_t spans[MAX_NUMBER_SPANS][2];
	size_t nspans;
};

/* Points number finding f (a source number at src_start) at the English
 * number the editor has to correct: of the target's numbers that equal
 * none of the source's, the one whose place in the sentence is nearest
 * the source number's (Norwegian and English keep the order of facts
 * mostly).  None when the English has no such number (it left the
 * number out). */
static void wrong_number_at(const struct number_ctx *nc, struct gl_finding *f)
{
	size_t sl = strlen(gl_text_str(nc->c->src)),
	       tl = strlen(gl_text_str(nc->c->tgt)), k, best = 0;
	double want, d, bestd = 2.0;

	if (!nc->nspans || !sl || !tl)
		return;
	want = (double)f->src_start / (double)sl;
	for (k = 0; k < nc->nspans; k++) {
		d = (double)nc->spans[k][0] / (double)tl - want;
		if (d < 0)
			d = -d;
		if (d < bestd) {
			bestd = d;
			best = k;
		}
	}
	f->tgt_start = nc->spans[best][0];
	f->tgt_end = nc->spans[best][1];
}

/* Bytes of a space that may group thousands or stand before "pm" at s:
 * a space, a no-break, thin or narrow no-break space; else 0. */
static size_t number_space(const char *s)
{
	if (*s == ' ')
		return 1;
	if (!strncmp(s, "\xc2\xa0", 2))
		return 2;
	if (!strncmp(s, "\xe2\x80\x89", 3) || !strncmp(s, "\xe2\x80\xaf", 3))
		return 3;
	return 0;
}

/* Learns from English text t how this document writes clock times and
 * numbers: a 12-hour time (6pm, 6.30 p.m., 11:15 AM), thousands grouped
 * by spaces (12 000) or a decimal comma (1,5), so that a number finding
 * says the expected value the way the English around it does. */
static void learn_notation(struct gl_check *c, const char *t)
{
	struct en_notation *n = &c->notation;
	size_t i = 0, j, k, sp;

	n->seg24 = 0;
	while (t[i]) {
		if (!isdigit((unsigned char)t[i]) ||
		    (i > 0 && (isalnum((unsigned char)t[i - 1]) ||
			       strchr(".,:", t[i - 1])))) {
			i++;
			continue;
		}
		for (j = i; isdigit((unsigned char)t[j]); j++)
			;
		/* a clock time: 1-2 digits, maybe minutes, am or pm */
		if (j - i <= 2) {
			char tsep = 0;

			k = j;
			if ((t[k] == '.' || t[k] == ':') &&
			    isdigit((unsigned char)t[k + 1]) &&
			    isdigit((unsigned char)t[k + 2]) &&
			    !isdigit((unsigned char)t[k + 3])) {
				tsep = t[k];
				k += 3;
			}
			sp = number_space(t + k);
			if (strchr("apAP", t[k + sp]) &&
			    (((t[k + sp + 1] == 'm' || t[k + sp + 1] == 'M') &&
			      !isalpha((unsigned char)t[k + sp + 2])) ||
			     (t[k + sp + 1] == '.' &&
			      (t[k + sp + 2] == 'm' || t[k + sp + 2] == 'M') &&
			      t[k + sp + 3] == '.'))) {
				n->clock_doc = c->doc_first;
				n->space = sp != 0;
				n->dots = t[k + sp + 1] == '.';
				n->upper =
				    isupper((unsigned char)t[k + sp]) != 0;
				n->tsep = tsep ? tsep : n->dots ? ':' : '.';
			} else if (tsep == ':') {
				/* 18:00 beside it: this segment's own way */
				n->seg24 = 1;
			}
		}
		/* thousands grouped: up to 3 digits, then groups of 3 */
		if (j - i <= 3 && (sp = number_space(t + j)) &&
		    isdigit((unsigned char)t[j + sp]) &&
		    strspn(t + j + sp, "0123456789") == 3 && sp < 4) {
			memcpy(n->grp, t + j, sp);
			n->grp[sp] = '\0';
			n->grp_doc = c->doc_first;
			/* 1 300, not 1 300 000 */
			k = j + sp + 3;
			if (j - i == 1 &&
			    !(number_space(t + k) &&
			      isdigit(
				  (unsigned char)t[k + number_space(t + k)])))
				n->grp4_doc = c->doc_first;
		} else if (j - i <= 3 && t[j] == ',' &&
			   strspn(t + j + 1, "0123456789") == 3) {
			snprintf(n->grp, sizeof(n->grp), ",");
			n->grp_doc = c->doc_first;
			/* 1,300, not 1,300,000 */
			if (j - i == 1 && !(t[j + 4] == ',' &&
					    isdigit((unsigned char)t[j + 5])))
				n->grp4_doc = c->doc_first;
		} else if (t[j] == ',' &&
			   (k = strspn(t + j + 1, "0123456789")) >= 1 &&
			   k <= 2) {
			n->dec_doc = c->doc_first;
		}
		i = j;
	}
}

/* english, a value in English notation (12,000, 1.5, 18:00), as this
 * document's English writes it (6pm, 12 000) into out.  year_like: the
 * source wrote the number as plain digits, as a year is written. */
static const char *as_written(const struct gl_check *c, const char *english,
			      int year_like, char *out, size_t outsz)
{
	const struct en_notation *n = &c->notation;
	const char *colon;
	size_t i, o = 0;

	if (!english || !*english)
		return english;
	if (n->clock_doc == c->doc_first && c->doc_first && !n->seg24 &&
	    (colon = strchr(english, ':')) && colon > english &&
	    colon - english <= 2 && strlen(colon) == 3 &&
	    strspn(english, "0123456789:") == strlen(english)) {
		int h = atoi(english), m = atoi(colon + 1);
		const char *ap = h < 12 || h == 24 ? "am" : "pm";

		if (h > 24 || m > 59)
			return english;
		if (m == 0 && h == 12)
			return "noon";
		if (m == 0 && (h == 0 || h == 24))
			return "midnight";
		if (n->dots)
			ap = h < 12 || h == 24 ? "a.m." : "p.m.";
		if (n->upper)
			ap = h < 12 || h == 24 ? (n->dots ? "A.M." : "AM")
					       : (n->dots ? "P.M." : "PM");
		h = h % 12 ? h % 12 : 12;
		if (m)
			snprintf(out, outsz, "%d%c%02d%s%s", h, n->tsep, m,
				 n->space ? " " : "", ap);
		else
			snprintf(out, outsz, "%d%s%s", h, n->space ? " " : "",
				 ap);
		return out;
	}
	/* English writes 1200 or 1,200 by house style: as the document
	 * does, for an amount; a year (the source's 1990, not 1 990) is
	 * never grouped */
	if (strlen(english) == 4 && strspn(english, "0123456789") == 4 &&
	    c->doc_first && n->grp4_doc == c->doc_first &&
	    (!year_like || atoi(english) > 2099)) {
		snprintf(out, outsz, "%c%s%s", english[0], n->grp, english + 1);
		return out;
	}
	if (strspn(english, "0123456789,.") != strlen(english) ||
	    ((n->grp_doc != c->doc_first || !c->doc_first) &&
	     (n->dec_doc != c->doc_first || !c->doc_first)))
		return english;
	for (i = 0; english[i] && o + 4 < outsz; i++) {
		if (english[i] == ',' && n->grp_doc == c->doc_first) {
			size_t l = strlen(n->grp);

			memcpy(out + o, n->grp, l);
			o += l;
		} else if (english[i] == '.' && n->dec_doc == c->doc_first) {
			out[o++] = ',';
		} else {
			out[o++] = english[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* The number at start follows "kl." (klokka), with white space between. */
static int after_kl(const char *s, size_t start)
{
	size_t i = start;

	while (i > 0 && (s[i - 1] == ' ' || (unsigned char)s[i - 1] == 0xa0 ||
			 (unsigned char)s[i - 1] == 0xc2))
		i--;
	if (i == start || i < 3 || strncasecmp(s + i - 3, "kl.", 3) != 0)
		return 0;
	return i == 3 || !u_isalpha((unsigned char)s[i - 4]);
}

static int number_cb(void *ctx, const char *written, size_t start, size_t end,
		     const char *english)
{
	struct number_ctx *nc = ctx;
	struct gl_finding f = {0};
	const char *exp[1];
	char clock[16], written_as[48];

	/* kl. 19 is a time: in English notation 19:00, not 19 */
	if (english && after_kl(gl_text_str(nc->c->src), start) &&
	    strspn(english, "0123456789") == strlen(english) &&
	    strlen(english) <= 2 && atoi(english) <= 24) {
		snprintf(clock, sizeof(clock), "%s:00", english);
		english = clock;
	}
	english = as_written(nc->c, english,
			     strspn(written, "0123456789") == strlen(written),
			     written_as, sizeof(written_as));
	exp[0] = english;
	f.kind = GL_KIND_NUMBER;
	f.seg = nc->s;
	f.term = written;
	f.expected = exp;
	f.nexpected = english && *english ? 1 : 0;
	f.src_start = start;
	f.src_end = end;
	wrong_number_at(nc, &f);
	return emit(nc->c, &f);
}

static const char *where(struct gl_check *c, const char *file,
			 unsigned long line, const char *unit)
{
	tolk_buf_reset(&c->where);
	if (line)
		tolk_buf_printf(&c->where, "%s:%lu", file ? file : "", line);
	else
		tolk_buf_printf(&c->where, "%s#%s", file ? file : "",
				unit ? unit : "?");
	return tolk_buf_str(&c->where);
}

static char *dup_opt(const char *s, int *fail)
{
	char *d;

	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*fail = 1;
	return d;
}

/* Remembers the segment's translation; gl_check_finish compares them. */
static int check_consistency(struct gl_check *c, const struct gl_segment *s,
			     struct tolk_err *err)
{
	struct occurrence *o;
	size_t idx;
	int rc, fail = 0;

	tolk_buf_reset(&c->ns);
	tolk_buf_reset(&c->nt);
	if ((rc = tolk_text_norm(s->source, strlen(s->source), &c->ns, err)))
		return rc;
	/* a difference in case, spacing or punctuation alone (quotes
	 * for a Norwegian dash) is house style, not another translation */
	if (gl_text_key(c->tgt, &c->nt))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (c->ns.len == 0 || c->nt.len == 0)
		return 0;
	if (!gl_strmap_get(&c->groups, c->ns.data, c->ns.len, &idx)) {
		idx = c->ngroups;
		if (gl_strmap_put(&c->groups, c->ns.data, c->ns.len, idx))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		c->ngroups++;
	}
	if (TOLK_GROW(c->occ, c->capocc, c->nocc + 1, 256))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	o = &c->occ[c->nocc];
	memset(o, 0, sizeof(*o));
	o->group = idx;
	o->line = s->line;
	o->target_line = s->target_line;
	o->target_col = s->target_col;
	o->broke = c->seg_findings > 0;
	o->norm_target = dup_opt(c->nt.data, &fail);
	o->source = dup_opt(s->source, &fail);
	o->target = dup_opt(s->target, &fail);
	o->file = dup_opt(s->file, &fail);
	o->target_file = dup_opt(s->target_file, &fail);
	o->unit = dup_opt(s->unit, &fail);
	c->nocc++; /* released by gl_check_free even when a copy failed */
	return fail ? tolk_err_set(err, TOLK_ENOMEM, "out of memory") : 0;
}

/* Of the different translations of one source, the ones to report: those
 * of segments that break the glossary when some others do not; else those
 * in the minority; with neither (two translations once each), the later
 * ones.  The first of the others is named as the one to follow. */
static int report_group(struct gl_check *c, const size_t *members, size_t n)
{
	size_t i, k, best = 0, bestn = 0, ref = SIZE_MAX, nbroke = 0;
	size_t *same;
	int rc = 0;

	if (!(same = calloc(n, sizeof(*same))))
		return TOLK_ENOMEM;
	for (i = 0; i < n; i++) {
		const struct occurrence *a = &c->occ[members[i]];

		nbroke += a->broke;
		for (k = 0; k < n; k++)
			same[i] += strcmp(a->norm_target,
					  c->occ[members[k]].norm_target) == 0;
		if (same[i] > bestn) {
			bestn = same[i];
			best = i;
		}
	}
	for (i = 0; i < n && ref == SIZE_MAX; i++) {
		const struct occurrence *a = &c->occ[members[i]];

		if (nbroke > 0 && nbroke < n)
			ref = a->broke ? SIZE_MAX : i;
		else if (same[best] > 1 || bestn > 1)
			ref = same[i] == bestn ? i : SIZE_MAX;
		else
			ref = i;
	}
	for (i = 0; i < n && !rc; i++) {
		const struct occurrence *a = &c->occ[members[i]];
		const struct occurrence *r = &c->occ[members[ref]];
		struct gl_segment seg = {0};
		struct gl_finding f = {0};
		const char *exp[1];

		if (strcmp(a->norm_target, r->norm_target) == 0)
			continue;
		seg.file = a->file;
		seg.line = a->line;
		seg.unit = a->unit;
		seg.source = a->source;
		seg.target = a->target;
		seg.target_file = a->target_file;
		seg.target_line = a->target_line;
		seg.target_col = a->target_col;
		exp[0] = r->target;
		f.kind = GL_KIND_INCONSISTENT;
		f.seg = &seg;
		f.source = a->source;
		f.target = a->target;
		f.expected = exp;
		f.nexpected = 1;
		f.found = a->target;
		f.note = where(c, r->file, r->line, r->unit);
		count(c, f.kind);
		rc = c->fn(c->ctx, &f);
	}
	free(same);
	return rc;
}

int gl_check_finish(struct gl_check *c, struct tolk_err *err)
{
	size_t *order = NULL, *start = NULL, i, g;
	int rc = 0;

	if (!(c->kinds & GL_KIND_INCONSISTENT) || c->nocc == c->ngroups)
		return 0;
	order = malloc(c->nocc * sizeof(*order));
	start = calloc(c->ngroups + 1, sizeof(*start));
	if (!order || !start) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	/* counting sort by group, keeping the input order in each */
	for (i = 0; i < c->nocc; i++)
		start[c->occ[i].group + 1]++;
	for (g = 0; g < c->ngroups; g++)
		start[g + 1] += start[g];
	for (i = 0; i < c->nocc; i++)
		order[start[c->occ[i].group]++] = i;
	for (g = c->ngroups; g > 0; g--)
		start[g] = start[g - 1];
	start[0] = 0;
	for (g = 0; g < c->ngroups && !rc; g++) {
		size_t a = start[g], b = start[g + 1];

		if (b - a > 1 && (rc = report_group(c, order + a, b - a)))
			rc = rc == TOLK_ENOMEM
				 ? tolk_err_set(err, rc, "out of memory")
				 : rc;
	}
done:
	free(order);
	free(start);
	return rc;
}

int gl_check_segment(struct gl_check *c, const struct gl_segment *s,
		     struct tolk_err *err)
{
	int rc;

	c->seg++;
	c->seg_findings = 0;
	/* a new input file (or article) is a new document: nothing in it
	 * refers back to the last one */
	{
		const char *doc = s->target_file ? s->target_file : s->file;

		if (!doc)
			doc = "";
		if (!c->doc_file || strcmp(c->doc_file, doc) != 0) {
			char *d = strdup(doc);

			if (!d)
				return tolk_err_set(err, TOLK_ENOMEM,
						    "out of memory");
			free(c->doc_file);
			c->doc_file = d;
			c->doc_first = c->seg;
		}
	}
	/* a source given again right after itself is another translation
	 * of it (a TM's second unit, a retranslation), not the next
	 * sentence of a text: it refers back to nothing in the first */
	if (c->prev_source && !strcmp(c->prev_source, s->source))
		c->repeat_at = c->seg;
	free(c->prev_source);
	if (!(c->prev_source = strdup(s->source)))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if ((rc = gl_text_set(c->src, s->source, strlen(s->source), err)) ||
	    (rc = gl_text_set(c->tgt, s->target, strlen(s->target), err))) {
		if (err && s->line)
			err->line = s->line;
		if (err && s->file)
			snprintf(err->file, sizeof(err->file), "%s", s->file);
		return rc;
	}
	if ((c->kinds &
	     (GL_KIND_MISSING | GL_KIND_FORBIDDEN | GL_KIND_UNTRANSLATED)) &&
	    c->n && (rc = check_terms(c, s, err)))
		return rc;
	if (c->kinds & GL_KIND_NUMBER) {
		struct number_ctx nc = {c, s, {{0}}, 0};

		const char *tgt = gl_text_str(c->tgt);

		if (gl_numbers_unmatched(gl_text_str(c->src), tgt, strlen(tgt),
					 nc.spans, MAX_NUMBER_SPANS,
					 &nc.nspans))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");

		/* the numbers beside the target count too (see
		 * target_nearby) */
		if (s->target_nearby && *s->target_nearby) {
			tolk_buf_reset(&c->with_near);
			if (tolk_buf_printf(&c->with_near, "%s\n%s", tgt,
					    s->target_nearby))
				return tolk_err_set(err, TOLK_ENOMEM,
						    "out of memory");
			tgt = tolk_buf_str(&c->with_near);
		}
		learn_notation(c, tgt);
		if ((rc = gl_numbers_missing(gl_text_str(c->src), tgt,
					     number_cb, &nc)))
			return rc;
	}
	if ((c->kinds & GL_KIND_INCONSISTENT) &&
	    (rc = check_consistency(c, s, err)))
		return rc;
	return 0;
}

int gl_check_tmx_unit(void *check, const struct tm_unit *u, unsigned long line,
		      struct tolk_err *err)
{
	struct gl_check *c = check;
	struct gl_segment s = {0};
	size_t si = tm_unit_find_variant(u, c->src_lang), ti;
	size_t i;

	if (si == TM_UNIT_LEVEL)
		return 0;
	ti = TM_UNIT_LEVEL;
	for (i = 0; i < tm_unit_variant_count(u); i++) {
		if (i != si &&
		    tolk_lang_same(tm_unit_variant_lang(u, i), c->tgt_lang)) {
			ti = i;
			break;
		}
	}
	if (ti == TM_UNIT_LEVEL)
		return 0;
	s.file = c->file;
	s.line = line;
	s.unit = tm_unit_attr(u, "tuid");
	s.source = tm_unit_variant_text(u, si);
	s.target = tm_unit_variant_text(u, ti);
	return gl_check_segment(c, &s, err);
}
