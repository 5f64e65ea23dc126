/* Fuzz target: the shared text plumbing every parser feeds (UTF-8
 * validation, ICU normalisation, language tags, JSON escaping). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/json.h"
#include "util/lang.h"
#include "util/text.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	char tag[TOLK_LANG_MAX], *s;
	size_t bad;

	if (size > 1 << 16)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (tolk_utf8_valid(s, size, &bad) &&
	    tolk_text_norm(s, size, &b, NULL) == 0) {
		/* normalising twice changes nothing */
		struct tolk_buf c = TOLK_BUF_INIT;

		if (tolk_text_norm(b.data ? b.data : "", b.len, &c, NULL) !=
			0 ||
		    c.len != b.len || (b.len && memcmp(b.data, c.data, b.len)))
			abort();
		tolk_buf_free(&c);
	}
	tolk_buf_reset(&b);
	tolk_json_escape(&b, s, size);
	if (!tolk_utf8_valid(b.data, b.len, NULL))
		abort();
	if (tolk_lang_canon(s, tag, sizeof(tag)) == 0) {
		char again[TOLK_LANG_MAX];

		/* a canonical tag is its own canonical form */
		if (tolk_lang_canon(tag, again, sizeof(again)) != 0 ||
		    strcmp(tag, again) != 0)
			abort();
	}
	tolk_lang_key(s, tag, sizeof(tag));
	tolk_buf_free(&b);
	free(s);
	return 0;
}
