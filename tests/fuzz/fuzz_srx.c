/* libFuzzer target for the SRX loader: any bytes as a rule file; when it
 * loads, the rules for Norwegian and English are compiled and run over a
 * short text, and the file is used by a segmenter. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "tm/text/segment.h"
#include "tm/text/srx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char text[] =
    "Dr. Hansen kom kl. 14.30. Han sa: «Nei!» Etc. osv. Mr. Smith, "
    "i.e. him? 1. mai 2024.\nNy linje.";

static void run_rules(struct tm_srx *srx, const char *lang)
{
	struct tm_srx_rules *r = NULL;
	struct tolk_err err;
	unsigned char marks[sizeof(text) + 1];
	size_t *ends = NULL, nends = 0, i, len = sizeof(text) - 1;

	if (tm_srx_rules_for(srx, lang, &r, &err))
		return;
	tm_srx_rules_names(r);
	tm_srx_rules_mark(r, text, len, marks, &err);
	if (tm_srx_rules_split(r, text, len, &ends, &nends, &err) == 0)
		for (i = 0; i < nends; i++)
			if (ends[i] == 0 || ends[i] >= len ||
			    (i && ends[i] <= ends[i - 1]))
				abort(); /* breaks are inner and ascending */
	free(ends);
	tm_srx_rules_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tm_srx *srx = NULL;
	struct tm_segmenter *sg = NULL;
	struct tm_sentence *s = NULL;
	struct tolk_err err;
	char path[64];
	size_t n = 0;
	int fd;

	if (tm_srx_load_memory(&srx, (const char *)data, size, "fuzz.srx",
			       &err))
		return 0;
	tm_srx_cascade(srx);
	tm_srx_rule_count(srx);
	run_rules(srx, "nb");
	run_rules(srx, "en-GB");
	tm_srx_free(srx);

	fd = fuzz_memfile(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	if (tm_segmenter_new(&sg, "nb", path, TM_SEGMENT_SRX_ONLY, &err) == 0) {
		tm_segment_text(sg, text, sizeof(text) - 1, &s, &n, &err);
		free(s);
		tm_segmenter_free(sg);
	}
	close(fd);
	return 0;
}
