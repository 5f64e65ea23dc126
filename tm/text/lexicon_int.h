/* A small Norwegian-English lexicon of newsroom words, private to the
 * aligner (tm/text/align.c): pairs of word stems, Norwegian first, case
 * folded.  A Norwegian word matches a stem it begins with when what is
 * left is a short ending; so does an English word.  Written for tolk
 * (no outside source); it names what most news sentences talk about
 * (time, money, places, institutions, the common verbs of reporting) so
 * that a translated sentence nearly always shares some word with its
 * source, and a sentence that shares none stands out. */
#ifndef TM_TEXT_LEXICON_INT_H
#define TM_TEXT_LEXICON_INT_H

#include <stddef.h>

struct tm_lex_pair {
	const char *nb, *en;
};

extern const struct tm_lex_pair tm_lexicon[];
extern const size_t tm_lexicon_len;

#endif
