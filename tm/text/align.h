/* Sentence alignment of a text and its translation.
 *
 * Dynamic programming over beads 1-1, 1-0, 0-1, 2-1, 1-2, 2-2 (and the
 * rare 3-1 and 1-3) with a Gale–Church length model (characters) plus
 * lexical anchors that survive translation: numbers in either notation (1,5
 * = 1.5, 12 000 = 12,000, sju = seven = 7, tredje = third = 3), identical
 * names, acronyms and long words, cognates (a shared four-letter prefix:
 * politiet/police), question marks and quotes, and term pairs given by
 * the caller (a glossary); against a pairing bead, the words with a
 * lexicon stem whose translation the other side lacks.  What
 * gives away a sentence only one side has: an anchor whose counterpart sits
 * in the neighbouring sentence (an added explanation repeats the name it
 * explains), an English sentence that takes up a content word of the one
 * before (explanations do), and a member of a 2-1/1-2/2-2 that shares
 * nothing while its partner does.  Paragraph ends are evidence, not
 * walls: one kept on one side only costs as much as the document says
 * such ends are rare (from how many paragraph ends the two sides have),
 * the same whether a sentence left out closes a paragraph or opens the
 * next.  The search runs in a
 * band of constant width that follows the alignment (each row is centred on the
 * best partial path of the row before), widened only when the best path
 * runs along its edge, so time and memory grow linearly with the text.
 *
 * Every bead gets a confidence in [0,1]: its posterior probability under
 * the same model (forward-backward over the band). */
#ifndef TM_ALIGN_H
#define TM_ALIGN_H

#include <stddef.h>

#include "util/err.h"

/* A sentence to align: UTF-8 text (not NUL-terminated) and the number of
 * its paragraph (any increasing numbering; equal means same paragraph). */
struct tm_align_sent {
	const char *text;
	size_t len;
	size_t para;
};

/* A known translation of a word or phrase, e.g. from the glossary.  Both
 * are matched case-insensitively as whole words. */
struct tm_align_term {
	const char *nb;
	const char *en;
};

struct tm_align_opts {
	const struct tm_align_term *terms; /* may be NULL */
	size_t nterms;
	/* Initial half-width of the band in sentences (0: default 24).  It
	 * doubles while the best path runs along its edge (up to a memory
	 * budget of 2^26 cells). */
	size_t band;
};

/* A bead: nb sentences [nb_first, nb_first + nb_count) are the
 * translation of en sentences [en_first, en_first + en_count); 0-based
 * indexes into the arrays given.  Counts are 0 to 3. */
struct tm_bead {
	size_t nb_first, nb_count;
	size_t en_first, en_count;
	double confidence;
};

/* Aligns nb[0..n_nb) with en[0..n_en).  opts may be NULL.  *out (the
 * caller's, free) gets *nbeads beads in text order covering every
 * sentence once. */
int tm_align_run(const struct tm_align_sent *nb, size_t n_nb,
		 const struct tm_align_sent *en, size_t n_en,
		 const struct tm_align_opts *opts, struct tm_bead **out,
		 size_t *nbeads, struct tolk_err *err);

#endif
