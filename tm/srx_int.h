/* SRX rule application on UTF-16, for library modules that already hold
 * their text as ICU UChars (the segmenter). */
#ifndef TM_SRX_INT_H
#define TM_SRX_INT_H

#include <unicode/utypes.h>

#include "tm/srx.h"

/* As tm_srx_rules_mark, on UTF-16 code units: marks has len + 1 entries
 * indexed by UTF-16 offset. */
int tm_srx_rules_mark16(struct tm_srx_rules *r, const UChar *text, int32_t len,
			unsigned char *marks, struct tolk_err *err);

#endif
