/* SRX 2.0 segmentation rules (LISA Segmentation Rules eXchange).
 *
 * A rule file holds named language rules, each an ordered list of break and
 * no-break rules (a "before" and an "after" regular expression around a
 * position), and language maps that pick language rules for a language
 * code.  With cascade="yes" every matching map contributes its rules in map
 * order; otherwise only the first matching map does.  At a position the
 * first rule (in that order) whose before- and after-expression both match
 * decides.
 *
 * Regular expressions are ICU's (Java-like syntax, as OmegaT and Okapi
 * use).  Files are parsed without network access, DTD loading or entity
 * expansion.  Offsets in this interface are byte offsets into UTF-8. */
#ifndef TM_SRX_H
#define TM_SRX_H

#include <stddef.h>

#include "util/err.h"

struct tm_srx;
struct tm_srx_rules;

/* Longest before- or after-expression accepted (LanguageTool's rules,
 * among the largest in use, reach about 5,000 bytes). */
#define TM_SRX_MAX_EXPR_BYTES (64 * 1024)

/* Loads a rule file.  *out is the caller's (tm_srx_free).  Errors carry
 * FILE:LINE:COL for XML and structure problems. */
int tm_srx_load_file(struct tm_srx **out, const char *path,
		     struct tolk_err *err);
/* Same from memory; name is used in error messages. */
int tm_srx_load_memory(struct tm_srx **out, const char *data, size_t len,
		       const char *name, struct tolk_err *err);
void tm_srx_free(struct tm_srx *srx);

/* 1 when the header says cascade="yes". */
int tm_srx_cascade(const struct tm_srx *srx);
/* Number of language rules and of all rules in the file. */
size_t tm_srx_languagerule_count(const struct tm_srx *srx);
size_t tm_srx_rule_count(const struct tm_srx *srx);

/* Compiles the rules that apply to lang (via the language maps) into *out,
 * the caller's (tm_srx_rules_free).  A rule whose expression ICU rejects is
 * reported with its line.  *out may hold no rule at all. */
int tm_srx_rules_for(struct tm_srx *srx, const char *lang,
		     struct tm_srx_rules **out, struct tolk_err *err);
void tm_srx_rules_free(struct tm_srx_rules *r);
size_t tm_srx_rules_count(const struct tm_srx_rules *r);
/* Names of the language rules that were selected, in order, joined by
 * ",".  Borrowed from r. */
const char *tm_srx_rules_names(const struct tm_srx_rules *r);

enum tm_srx_mark {
	TM_SRX_NONE = 0,    /* no rule matched here */
	TM_SRX_BREAK = 1,   /* a break rule decided */
	TM_SRX_NOBREAK = 2, /* a no-break rule decided */
};

/* Marks every position 1..len-1 of text (UTF-8, len bytes) with the
 * decision of the first matching rule.  marks has len + 1 entries;
 * positions inside a UTF-8 sequence and the two ends stay TM_SRX_NONE. */
int tm_srx_rules_mark(struct tm_srx_rules *r, const char *text, size_t len,
		      unsigned char *marks, struct tolk_err *err);

/* Plain SRX segmentation: the byte offsets where segments end (breaks),
 * ascending, without the final len.  *ends is the caller's (free). */
int tm_srx_rules_split(struct tm_srx_rules *r, const char *text, size_t len,
		       size_t **ends, size_t *nends, struct tolk_err *err);

#endif
