/* Finding glossary terms in running, inflected text.
 *
 * Text is NFC-normalised and split into words with ICU's word break rules;
 * each word is case-folded.  A pattern (a Norwegian term or an English
 * rendering) is split the same way, and a pattern word P matches a text
 * word W when
 *
 *     fold(W) = K + E
 *
 * where K is fold(P) or, when it is at least 4 letters long, the Snowball
 * stem of fold(P) (Norwegian or English stemmer by the matcher's language),
 * and E is one of a closed list of inflectional endings of that language:
 *
 *   nb: "" s e es en ens et ets a as er ers ene enes ne nes n ns t ts
 *       re res rene renes 's 's(U+2019)
 *   en: "" s es 's s'   (U+2019 and U+02BC count as ')
 *
 * English also has plurals through the stemmer: a word, its possessive
 * removed, that ends in s, has the Snowball stem of the pattern word and
 * is its plural as English spells it, +s, +es or -y +ies (authorities,
 * counties, churches; not defends for defender), and a short table of
 * irregular plurals (men, children, people, -ses of -sis, -ves of -f).
 * A noun also makes English verbs: a word ending in -ed or -ing with the
 * pattern word's Snowball stem that is the pattern word with that ending
 * as English spells it (jail: jailed; police: policing; plan: planned;
 * carry: carried) is a hit, so "jailed for four years" renders fengsel
 * -> jail; "departed" is still not "department".
 * After a pattern word in capitals (an acronym) an ending must be in
 * small letters, and in English only the possessive (and, with
 * GL_CASE_PLURAL, the plural: MPs): SV is not in SVT.
 *
 * Plain stem equality is not used: Snowball stems statsminister to
 * "statsminist" but statsministeren to "statsminister", so "the stem of
 * the term followed by an ending" is what is compared.  This finds
 * statsministeren, statsministerens (K = the term + en/ens), statsministre
 * (K = the stem + re), Stortingets, toppmøtet, Parliament's, policies.
 * Because E comes from a closed list, a term inside a compound is NOT a
 * hit: kommune is not found in kommunestyre (the rest, "styre", is not an
 * ending) unless GL_FIND_COMPOUNDS is given; a hyphenated compound
 * (NRK-sjefen) is split by the word rules and always gives a hit.
 * Irregular forms outside the rule (bok/bøker) are not found.  With
 * GL_CASE_NOUN the last word of the pattern, a noun, takes "e" and "es"
 * only where Norwegian nouns do: after its stem when it ends in -e
 * (kommune, kommunes), after itself when it ends in -er (lærere); rett is
 * not found in the verb or adjective rette, lov not in love, lærer not in
 * lære.
 *
 * A multi-word pattern matches consecutive words whose inflections each
 * follow the rule above, separated by the same punctuation as in the
 * pattern (white space is ignored, and a hyphen counts as white space:
 * "source-code" is "source code"): "Statsministerens kontor" is found in
 * "Statsministerens kontors", "Norwegian Broadcasting (NRK)" needs the
 * parenthesis.
 *
 * Case: GL_CASE_ANY ignores case; GL_CASE_EXACT wants the capitals of the
 * pattern (NTB, not Ntb; the ending may be in any case: NTBs);
 * GL_CASE_INITIAL (English renderings) wants the pattern's capitals but
 * lets a word start with a capital where the pattern has a small letter
 * (sentence starts, titles) and accepts words written all in capitals.
 *
 * The patterns form a trie keyed by word classes; a text is scanned once,
 * each word looked up in a hash of keys, so the cost is linear in the text
 * and independent of the number of patterns. */
#ifndef GL_TERMMATCH_H
#define GL_TERMMATCH_H

#include <stddef.h>

#include "util/err.h"

/* A text split into words, reusable from one text to the next. */
struct gl_text;

int gl_text_new(struct gl_text **out, struct tolk_err *err);
void gl_text_free(struct gl_text *t);
/* Normalises (NFC) and splits s.  TOLK_EINPUT for invalid UTF-8. */
int gl_text_set(struct gl_text *t, const char *s, size_t len,
		struct tolk_err *err);
/* The NFC text that spans refer to (equal to the input when it was NFC),
 * borrowed until the next gl_text_set. */
const char *gl_text_str(const struct gl_text *t);
size_t gl_text_len(const struct gl_text *t);
size_t gl_text_words(const struct gl_text *t);
/* Word i (< gl_text_words) of t: its bytes [*start, *end) in gl_text_str;
 * returns its case-folded form (*foldlen bytes, NUL-terminated), borrowed
 * until the next gl_text_set. */
const char *gl_text_word(const struct gl_text *t, size_t i, size_t *start,
			 size_t *end, size_t *foldlen);
/* The text as compared for consistency: its words case-folded, one space
 * between them; punctuation and white space dropped ("No." and the quoted
 * "No." are one translation).  0 or TOLK_ENOMEM. */
struct tolk_buf;
int gl_text_key(const struct gl_text *t, struct tolk_buf *out);

enum gl_lang { GL_LANG_NB = 0, GL_LANG_EN = 1 };
enum gl_case {
	GL_CASE_ANY = 0,
	GL_CASE_EXACT,
	GL_CASE_INITIAL,
	/* a flag OR-ed into one of the above for an English pattern that
	 * names a countable thing (the rendering of a Norwegian common
	 * noun): an acronym in it also takes the plural, MPs and MPs', where
	 * a name (NTB) takes only the possessive */
	GL_CASE_PLURAL = 1 << 4,
	/* a flag for a pattern whose words take no ending at all: an
	 * English adjective (the party adjective "Red" of Red Party is not
	 * in "the Reds") */
	GL_CASE_BARE = 1 << 5,
	/* ... or whose words but the last take no ending: a title before
	 * a name, "Sami Parliament President's" but not "Prime Minister's
	 * Office" for Prime Minister Office */
	GL_CASE_BARE_INNER = 1 << 6,
	/* a flag for a Norwegian pattern whose last word is a noun: it
	 * takes a bare -e or -es only where a noun can (a noun in -e, the
	 * plural of one in -er), so rette and rettes are not rett */
	GL_CASE_NOUN = 1 << 7,
};

struct gl_matcher;

int gl_matcher_new(struct gl_matcher **out, enum gl_lang lang,
		   struct tolk_err *err);
void gl_matcher_free(struct gl_matcher *m);

/* Adds a pattern; tag is returned with its hits.  TOLK_EINPUT when text
 * has no words or more than 32. */
int gl_matcher_add(struct gl_matcher *m, const char *text, enum gl_case cs,
		   size_t tag, struct tolk_err *err);

/* Adds an exception phrase of tag: a hit of tag that lies inside it is
 * not reported (rett -> court, except "rett og slett").  The phrase is
 * matched by the same rules as patterns and hides no other tag's hits. */
int gl_matcher_add_except(struct gl_matcher *m, const char *text,
			  enum gl_case cs, size_t tag, struct tolk_err *err);

struct gl_hit {
	size_t tag;
	size_t start, end;   /* bytes in gl_text_str */
	size_t word, nwords; /* first word and number of words */
};

struct gl_hits {
	struct gl_hit *v;
	size_t n, cap;
};

void gl_hits_release(struct gl_hits *h);

enum gl_find_flags {
	/* every hit, overlapping ones included; without it, leftmost
	 * longest: at each word the longest pattern(s) starting there, then
	 * scanning resumes after them */
	GL_FIND_ALL = 1 << 0,
	/* compounds count: a word matches when it begins with a pattern
	 * word (kommune in kommunestyret) or ends with one, inflected
	 * (styre in kommunestyret); the part must have 4 letters or more and
	 * leave 3 or more; capitals are not checked in compound parts */
	GL_FIND_COMPOUNDS = 1 << 1,
};

/* Replaces the contents of hits with the patterns found in t, in text
 * order.  Only TOLK_ENOMEM can fail. */
int gl_matcher_find(struct gl_matcher *m, const struct gl_text *t,
		    unsigned flags, struct gl_hits *hits, struct tolk_err *err);

#endif
