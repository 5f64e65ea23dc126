/* Switches of tm/match_text.c's tokenizer for its tests and benchmarks:
 * which path segments a text into words.  Not part of the public API. */
#ifndef TM_MATCH_TOK_INT_H
#define TM_MATCH_TOK_INT_H

#include <stddef.h>

struct mt_tokenizer;

enum mt_path {
	MT_PATH_AUTO = 0, /* the fast segmenter where it is sure, else ICU */
	MT_PATH_ICU	  /* ICU's word break iterator for every text */
};

void mt_tokenizer_set_path(struct mt_tokenizer *tk, enum mt_path path);

/* on 0: every word's keys made afresh, none from the word memo. */
void mt_tokenizer_set_memo(struct mt_tokenizer *tk, int on);

/* Texts tokenised so far, and how many of them took the fast path. */
void mt_tokenizer_counts(const struct mt_tokenizer *tk, size_t *texts,
			 size_t *fast);

#endif
