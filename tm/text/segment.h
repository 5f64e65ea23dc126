/* Sentence segmentation.
 *
 * A line of input is a paragraph; sentences never cross paragraphs.  Within
 * a paragraph ICU's sentence break iterator for the language proposes the
 * boundaries and SRX 2.0 rules correct it: where a rule matches, its break
 * or no-break decides; elsewhere ICU's boundary stands.  tolk's own rules
 * for Norwegian and English (tm/text/data/tolk.srx) are compiled in; any SRX
 * file can replace them. */
#ifndef TM_SEGMENT_H
#define TM_SEGMENT_H

#include <stddef.h>

#include "util/err.h"

struct tm_segmenter;

/* One sentence: byte offsets into the segmented text, white space at
 * both ends excluded.  para is the 1-based number of its paragraph,
 * counting non-blank lines only. */
struct tm_sentence {
	size_t para;
	size_t start, end;
};

enum tm_segment_flags {
	/* the SRX rules alone decide (as OmegaT and Okapi do); no ICU */
	TM_SEGMENT_SRX_ONLY = 1 << 0,
};

/* A segmenter for lang (a BCP 47 tag: "nb", "en-GB").  srx_path NULL uses
 * the compiled-in rules.  *out is the caller's (tm_segmenter_free). */
int tm_segmenter_new(struct tm_segmenter **out, const char *lang,
		     const char *srx_path, unsigned flags,
		     struct tolk_err *err);
void tm_segmenter_free(struct tm_segmenter *sg);

/* Names of the SRX language rules in use (borrowed). */
const char *tm_segmenter_rules(const struct tm_segmenter *sg);

/* Splits text (UTF-8, len bytes; lines end in \n or \r\n) into sentences.
 * *out (the caller's, free) holds *n entries in text order.  TOLK_EINPUT
 * with line and column for invalid UTF-8. */
int tm_segment_text(struct tm_segmenter *sg, const char *text, size_t len,
		    struct tm_sentence **out, size_t *n, struct tolk_err *err);

/* Reads text already split: one sentence per line, a blank line between
 * paragraphs (what `tolk segment` prints).  Same output as above. */
int tm_segment_lines(const char *text, size_t len, struct tm_sentence **out,
		     size_t *n, struct tolk_err *err);

#endif
