#include "tm/text/srx.h"
#include "tm/text/srx_int.h"
#include "util/buf.h"
#include "util/limit.h"
#include "util/utf8.h"
#include "util/vec.h"
#include "util/xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#define RULE_TIME_LIMIT 2000

struct srx_rule {
	int brk;
	char *before, *after; /* UTF-8 patterns, "" when absent */
	unsigned long line;
};

struct srx_langrule {
	char *name;
	struct srx_rule *rules;
	size_t n, cap;
};

struct srx_map {
	char *pattern, *rulename;
	unsigned long line;
};

struct tm_srx {
	char *name; /* file name for messages */
	int cascade;
	struct srx_langrule *lr;
	size_t nlr, caplr;
	struct srx_map *maps;
	size_t nmaps, capmaps;
};

struct tm_srx_rules {
	URegularExpression **re; /* NULL entry: empty before and after */
	unsigned char *brk;
	size_t n;
	char *names;
};

static int is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

/* The text of an element.  Entity references are refused rather than
 * expanded: rule files have no business needing them. */
static int element_text(const struct tm_srx *srx, const xmlNode *el, char **out,
			struct tolk_err *err)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	const xmlNode *c;

	*out = NULL;
	for (c = el->children; c; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			if (c->content &&
			    tolk_buf_puts(&b, (const char *)c->content))
				goto nomem;
		} else if (c->type == XML_ENTITY_REF_NODE) {
			tolk_buf_free(&b);
			return tolk_err_set_at(
			    err, TOLK_EINPUT, srx->name,
			    (unsigned long)xmlGetLineNo(c), 0,
			    "entity reference '&%s;' not allowed in SRX",
			    (const char *)c->name);
		}
	}
	if (tolk_buf_putc(&b, '\0'))
		goto nomem;
	*out = tolk_buf_detach(&b);
	if (!*out)
		goto nomem;
	return 0;
nomem:
	tolk_buf_free(&b);
	return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
}

static char *attr_dup(const xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	char *s;

	if (!v)
		return NULL;
	s = strdup((const char *)v);
	xmlFree(v);
	return s;
}

static int attr_is(const xmlNode *n, const char *name, const char *value,
		   int dflt)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	int r;

	if (!v)
		return dflt;
	r = strcmp((const char *)v, value) == 0;
	xmlFree(v);
	return r;
}

static int parse_rule(struct tm_srx *srx, struct srx_langrule *lr,
		      const xmlNode *el, struct tolk_err *err)
{
	struct srx_rule *r;
	const xmlNode *c;
	int rc;

	if (TOLK_GROW(lr->rules, lr->cap, lr->n + 1, 8))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	r = &lr->rules[lr->n++];
	memset(r, 0, sizeof(*r));
	r->brk = attr_is(el, "break", "yes", 1);
	r->line = (unsigned long)xmlGetLineNo(el);
	for (c = el->children; c; c = c->next) {
		char **slot = NULL;

		if (is_el(c, "beforebreak"))
			slot = &r->before;
		else if (is_el(c, "afterbreak"))
			slot = &r->after;
		if (!slot)
			continue;
		free(*slot);
		*slot = NULL;
		if ((rc = element_text(srx, c, slot, err)))
			return rc;
		/* ICU compiles an expression into a program several times
		 * its size, and matching time grows with it */
		if (strlen(*slot) > TM_SRX_MAX_EXPR_BYTES)
			return tolk_err_set_at(
			    err, TOLK_EINPUT, srx->name,
			    (unsigned long)xmlGetLineNo(c), 0,
			    "<%s> longer than the limit of %d bytes",
			    (const char *)c->name, TM_SRX_MAX_EXPR_BYTES);
	}
	if ((!r->before && !(r->before = strdup(""))) ||
	    (!r->after && !(r->after = strdup(""))))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	return 0;
}

static int parse_languagerule(struct tm_srx *srx, const xmlNode *el,
			      struct tolk_err *err)
{
	struct srx_langrule *lr;
	const xmlNode *c;
	int rc;

	if (TOLK_GROW(srx->lr, srx->caplr, srx->nlr + 1, 8))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	lr = &srx->lr[srx->nlr++];
	memset(lr, 0, sizeof(*lr));
	lr->name = attr_dup(el, "languagerulename");
	if (!lr->name)
		return tolk_err_set_at(err, TOLK_EINPUT, srx->name,
				       (unsigned long)xmlGetLineNo(el), 0,
				       "languagerule without languagerulename");
	for (c = el->children; c; c = c->next)
		if (is_el(c, "rule") && (rc = parse_rule(srx, lr, c, err)))
			return rc;
	return 0;
}

static int parse_map(struct tm_srx *srx, const xmlNode *el,
		     struct tolk_err *err)
{
	struct srx_map *m;

	if (TOLK_GROW(srx->maps, srx->capmaps, srx->nmaps + 1, 8))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	m = &srx->maps[srx->nmaps++];
	m->pattern = attr_dup(el, "languagepattern");
	m->rulename = attr_dup(el, "languagerulename");
	m->line = (unsigned long)xmlGetLineNo(el);
	if (!m->pattern || !m->rulename)
		return tolk_err_set_at(err, TOLK_EINPUT, srx->name, m->line, 0,
				       "languagemap needs languagepattern and "
				       "languagerulename");
	return 0;
}

/* Walks the tree below el, taking languagerule and languagemap elements
 * wherever SRX 1.0 or 2.0 put them. */
static int walk(struct tm_srx *srx, const xmlNode *el, struct tolk_err *err)
{
	const xmlNode *c;
	int rc;

	for (c = el->children; c; c = c->next) {
		rc = 0;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(c, "header"))
			srx->cascade = attr_is(c, "cascade", "yes", 0);
		else if (is_el(c, "languagerule"))
			rc = parse_languagerule(srx, c, err);
		else if (is_el(c, "languagemap"))
			rc = parse_map(srx, c, err);
		else
			rc = walk(srx, c, err);
		if (rc)
			return rc;
	}
	return 0;
}

static struct srx_langrule *find_lr(const struct tm_srx *srx, const char *name)
{
	size_t i;

	for (i = 0; i < srx->nlr; i++)
		if (strcmp(srx->lr[i].name, name) == 0)
			return &srx->lr[i];
	return NULL;
}

int tm_srx_load_memory(struct tm_srx **out, const char *data, size_t len,
		       const char *name, struct tolk_err *err)
{
	struct tm_srx *srx = NULL;
	xmlDocPtr doc = NULL;
	xmlNodePtr root;
	size_t i;
	int rc = 0;

	*out = NULL;
	if (len > 64u * 1024 * 1024)
		return tolk_err_set(err, TOLK_EINPUT, "%s: file too large",
				    name);
	srx = calloc(1, sizeof(*srx));
	if (!srx || !(srx->name = strdup(name ? name : "srx"))) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto fail;
	}
	if ((rc = tolk_xml_parse(&doc, data, len, srx->name, TOLK_XML_NOCDATA,
				 err)))
		goto fail;
	root = xmlDocGetRootElement(doc);
	if (!root || !is_el(root, "srx")) {
		rc = tolk_err_set_at(err, TOLK_EINPUT, srx->name,
				     root ? (unsigned long)xmlGetLineNo(root)
					  : 0,
				     0, "root element is not <srx>");
		goto fail;
	}
	if ((rc = walk(srx, root, err)))
		goto fail;
	for (i = 0; i < srx->nmaps; i++) {
		if (!find_lr(srx, srx->maps[i].rulename)) {
			rc = tolk_err_set_at(
			    err, TOLK_EINPUT, srx->name, srx->maps[i].line, 0,
			    "languagemap names unknown languagerule '%s'",
			    srx->maps[i].rulename);
			goto fail;
		}
	}
	*out = srx;
	srx = NULL;
fail:
	xmlFreeDoc(doc);
	tm_srx_free(srx);
	return rc;
}

int tm_srx_load_file(struct tm_srx **out, const char *path,
		     struct tolk_err *err)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	char chunk[65536];
	FILE *f;
	size_t n;
	int rc;

	*out = NULL;
	f = fopen(path, "rb");
	if (!f)
		return tolk_err_set(err, TOLK_EINPUT, "cannot open '%s'", path);
	if ((rc = tolk_check_file_size(f, path, err))) {
		fclose(f);
		return rc;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > TOLK_MAX_FILE_BYTES) {
			fclose(f);
			tolk_buf_free(&b);
			return tolk_err_file_too_big(err, path);
		}
		if (tolk_buf_append(&b, chunk, n)) {
			fclose(f);
			tolk_buf_free(&b);
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		}
	}
	if (ferror(f)) {
		fclose(f);
		tolk_buf_free(&b);
		return tolk_err_set(err, TOLK_EIO, "cannot read '%s'", path);
	}
	fclose(f);
	rc = tm_srx_load_memory(out, b.data ? b.data : "", b.len, path, err);
	tolk_buf_free(&b);
	return rc;
}

void tm_srx_free(struct tm_srx *srx)
{
	size_t i, k;

	if (!srx)
		return;
	for (i = 0; i < srx->nlr; i++) {
		for (k = 0; k < srx->lr[i].n; k++) {
			free(srx->lr[i].rules[k].before);
			free(srx->lr[i].rules[k].after);
		}
		free(srx->lr[i].rules);
		free(srx->lr[i].name);
	}
	for (i = 0; i < srx->nmaps; i++) {
		free(srx->maps[i].pattern);
		free(srx->maps[i].rulename);
	}
	free(srx->lr);
	free(srx->maps);
	free(srx->name);
	free(srx);
}

int tm_srx_cascade(const struct tm_srx *srx)
{
	return srx->cascade;
}

size_t tm_srx_languagerule_count(const struct tm_srx *srx)
{
	return srx->nlr;
}

size_t tm_srx_rule_count(const struct tm_srx *srx)
{
	size_t i, n = 0;

	for (i = 0; i < srx->nlr; i++)
		n += srx->lr[i].n;
	return n;
}

/* UTF-8 to a fresh NUL-terminated UChar string. */
static UChar *to_u16(const char *s, size_t len, int32_t *ulen)
{
	UErrorCode st = U_ZERO_ERROR;
	UChar *u;
	int32_t n = 0;

	u_strFromUTF8WithSub(NULL, 0, &n, s, (int32_t)len, 0xFFFD, NULL, &st);
	if (st != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(st))
		return NULL;
	st = U_ZERO_ERROR;
	u = malloc(((size_t)n + 1) * sizeof(*u));
	if (!u)
		return NULL;
	u_strFromUTF8WithSub(u, n + 1, NULL, s, (int32_t)len, 0xFFFD, NULL,
			     &st);
	if (U_FAILURE(st)) {
		free(u);
		return NULL;
	}
	*ulen = n;
	return u;
}

static URegularExpression *compile(const char *pattern, uint32_t flags,
				   UErrorCode *st, UParseError *pe)
{
	URegularExpression *re;
	UChar *u;
	int32_t n;

	u = to_u16(pattern, strlen(pattern), &n);
	if (!u) {
		*st = U_MEMORY_ALLOCATION_ERROR;
		return NULL;
	}
	re = uregex_open(u, n, flags, pe, st);
	free(u);
	return re;
}

/* Java accepts look-behinds with + and * whose length it cannot bound;
 * ICU refuses them.  Rules written for Java (LanguageTool's) get those
 * quantifiers bounded to {1,LB_MAX} / {0,LB_MAX} inside look-behinds. */
#define LB_MAX "64"

static char *bound_lookbehinds(const char *p)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	int depth = 0, lb_depth = -1, in_class = 0;
	size_t i;

	for (i = 0; p[i]; i++) {
		char c = p[i];

		if (c == '\\' && p[i + 1]) {
			tolk_buf_putc(&b, c);
			tolk_buf_putc(&b, p[++i]);
			continue;
		}
		if (in_class) {
			if (c == '[')
				in_class++;
			else if (c == ']')
				in_class--;
			tolk_buf_putc(&b, c);
			continue;
		}
		if (c == '[') {
			in_class = 1;
		} else if (c == '(') {
			depth++;
			if (lb_depth < 0 && strncmp(p + i, "(?<", 3) == 0 &&
			    (p[i + 3] == '=' || p[i + 3] == '!'))
				lb_depth = depth;
		} else if (c == ')') {
			if (depth == lb_depth)
				lb_depth = -1;
			depth--;
		} else if (lb_depth > 0 && (c == '+' || c == '*') && i > 0 &&
			   p[i - 1] != '(' && p[i - 1] != '{') {
			tolk_buf_puts(&b, c == '+' ? "{1," LB_MAX "}"
						   : "{0," LB_MAX "}");
			continue;
		}
		tolk_buf_putc(&b, c);
	}
	tolk_buf_putc(&b, '\0');
	return tolk_buf_detach(&b);
}

static int lang_matches(const char *pattern, const char *lang, int *match,
			const struct tm_srx *srx, unsigned long line,
			struct tolk_err *err)
{
	UErrorCode st = U_ZERO_ERROR;
	UParseError pe;
	/* Language codes are case-insensitive (BCP 47); OmegaT's maps are
	 * written "EN.*" and must match "en". */
	URegularExpression *re =
	    compile(pattern, UREGEX_CASE_INSENSITIVE, &st, &pe);
	UChar *u = NULL;
	int32_t n;

	*match = 0;
	if (U_FAILURE(st))
		return tolk_err_set_at(err, TOLK_EINPUT, srx->name, line, 0,
				       "bad languagepattern '%s': %s", pattern,
				       u_errorName(st));
	u = to_u16(lang, strlen(lang), &n);
	if (!u) {
		uregex_close(re);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	uregex_setText(re, u, n, &st);
	*match = U_SUCCESS(st) && uregex_matches(re, 0, &st);
	uregex_close(re);
	free(u);
	return 0;
}

static int add_languagerule(struct tm_srx_rules *r, const struct tm_srx *srx,
			    const struct srx_langrule *lr, struct tolk_err *err)
{
	size_t k, cap = r->n + lr->n;
	URegularExpression **re;
	unsigned char *brk;

	re = realloc(r->re, (cap + 1) * sizeof(*re));
	if (re)
		r->re = re;
	brk = realloc(r->brk, cap + 1);
	if (brk)
		r->brk = brk;
	if (!re || !brk)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (k = 0; k < lr->n; k++) {
		const struct srx_rule *rule = &lr->rules[k];
		struct tolk_buf p = TOLK_BUF_INIT;
		UErrorCode st = U_ZERO_ERROR;
		UParseError pe;

		r->brk[r->n] = (unsigned char)rule->brk;
		r->re[r->n] = NULL;
		if (!*rule->before && !*rule->after) {
			r->n++;
			continue;
		}
		/* One expression: the engine backtracks until a before-match
		 * is found that the after-expression accepts; the match end
		 * is the position. */
		if (*rule->before)
			tolk_buf_printf(&p, "(?:%s)", rule->before);
		if (*rule->after)
			tolk_buf_printf(&p, "(?=%s)", rule->after);
		if (!p.data) {
			tolk_buf_free(&p);
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		}
		r->re[r->n] = compile(p.data, 0, &st, &pe);
		if (st == U_REGEX_LOOK_BEHIND_LIMIT) {
			char *q = bound_lookbehinds(p.data);

			st = U_ZERO_ERROR;
			if (q)
				r->re[r->n] = compile(q, 0, &st, &pe);
			else
				st = U_MEMORY_ALLOCATION_ERROR;
			free(q);
		}
		tolk_buf_free(&p);
		/* A rule file may come from anywhere: bound the work one
		 * match may do (ICU counts steps, roughly milliseconds). */
		if (U_SUCCESS(st))
			uregex_setTimeLimit(r->re[r->n], RULE_TIME_LIMIT, &st);
		if (U_FAILURE(st))
			return tolk_err_set_at(
			    err, TOLK_EINPUT, srx->name, rule->line, 0,
			    "languagerule '%s': rule not an ICU regular "
			    "expression (%s): before '%s' after '%s'",
			    lr->name, u_errorName(st), rule->before,
			    rule->after);
		r->n++;
	}
	return 0;
}

int tm_srx_rules_for(struct tm_srx *srx, const char *lang,
		     struct tm_srx_rules **out, struct tolk_err *err)
{
	struct tm_srx_rules *r;
	struct tolk_buf names = TOLK_BUF_INIT;
	size_t i;
	int rc = 0, match;

	*out = NULL;
	r = calloc(1, sizeof(*r));
	if (!r)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < srx->nmaps; i++) {
		const struct srx_map *m = &srx->maps[i];

		if ((rc = lang_matches(m->pattern, lang, &match, srx, m->line,
				       err)))
			goto fail;
		if (!match)
			continue;
		if ((rc = add_languagerule(r, srx, find_lr(srx, m->rulename),
					   err)))
			goto fail;
		if (names.len)
			tolk_buf_putc(&names, ',');
		tolk_buf_puts(&names, m->rulename);
		if (!srx->cascade)
			break;
	}
	tolk_buf_putc(&names, '\0');
	r->names = tolk_buf_detach(&names);
	if (!r->names) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto fail;
	}
	*out = r;
	return 0;
fail:
	tolk_buf_free(&names);
	tm_srx_rules_free(r);
	return rc;
}

void tm_srx_rules_free(struct tm_srx_rules *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		uregex_close(r->re[i]);
	free(r->re);
	free(r->brk);
	free(r->names);
	free(r);
}

size_t tm_srx_rules_count(const struct tm_srx_rules *r)
{
	return r->n;
}

const char *tm_srx_rules_names(const struct tm_srx_rules *r)
{
	return r->names ? r->names : "";
}

int tm_srx_rules_mark16(struct tm_srx_rules *r, const UChar *text, int32_t len,
			unsigned char *marks, struct tolk_err *err)
{
	size_t k;
	int32_t i;

	memset(marks, TM_SRX_NONE, (size_t)len + 1);
	for (k = 0; k < r->n; k++) {
		unsigned char m = r->brk[k] ? TM_SRX_BREAK : TM_SRX_NOBREAK;
		URegularExpression *re = r->re[k];
		UErrorCode st = U_ZERO_ERROR;
		int32_t start = 0;

		if (!re) { /* matches everywhere */
			for (i = 1; i < len; i++)
				if (!marks[i] && !U16_IS_TRAIL(text[i]))
					marks[i] = m;
			continue;
		}
		uregex_setText(re, text, len, &st);
		while (U_SUCCESS(st) && start <= len &&
		       uregex_find(re, start, &st)) {
			int32_t s = uregex_start(re, 0, &st);
			int32_t e = uregex_end(re, 0, &st);

			if (U_FAILURE(st))
				break;
			if (e > 0 && e < len && !marks[e] &&
			    !U16_IS_TRAIL(text[e]))
				marks[e] = m;
			start = e > s ? e : s + 1;
		}
		/* Detach the text: the caller's buffer may go away. */
		{
			UErrorCode st2 = U_ZERO_ERROR;
			static const UChar empty[1] = {0};

			uregex_setText(re, empty, 0, &st2);
		}
		if (st == U_REGEX_TIME_OUT || st == U_REGEX_STACK_OVERFLOW)
			return tolk_err_set(
			    err, TOLK_EINPUT,
			    "SRX rule %zu takes too long on this "
			    "text (%s)",
			    k + 1, u_errorName(st));
		if (U_FAILURE(st))
			return tolk_err_set(err, TOLK_EINTERNAL,
					    "ICU regex: %s", u_errorName(st));
	}
	return 0;
}

int tm_srx_rules_mark(struct tm_srx_rules *r, const char *text, size_t len,
		      unsigned char *marks, struct tolk_err *err)
{
	unsigned char *m16 = NULL;
	int32_t *pos = NULL; /* UTF-16 offset -> byte offset */
	UChar *u = NULL;
	int32_t ulen = 0, i, j;
	size_t bad;
	int rc = 0;

	memset(marks, TM_SRX_NONE, len + 1);
	if (len > INT32_MAX / 4)
		return tolk_err_set(err, TOLK_EINPUT, "text too long");
	if (!tolk_utf8_valid(text, len, &bad))
		return tolk_err_set(err, TOLK_EINPUT,
				    "invalid UTF-8 at byte %zu", bad);
	u = malloc((len + 1) * sizeof(*u));
	pos = malloc((len + 1) * sizeof(*pos));
	m16 = malloc(len + 1);
	if (!u || !pos || !m16) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 0; i < (int32_t)len;) {
		UChar32 c;
		int32_t b = i;

		U8_NEXT(text, i, (int32_t)len, c);
		pos[ulen] = b;
		if (U_IS_BMP(c)) {
			u[ulen++] = (UChar)c;
		} else {
			u[ulen++] = U16_LEAD(c);
			pos[ulen] = b;
			u[ulen++] = U16_TRAIL(c);
		}
	}
	pos[ulen] = (int32_t)len;
	if ((rc = tm_srx_rules_mark16(r, u, ulen, m16, err)))
		goto done;
	for (j = 1; j < ulen; j++)
		if (m16[j])
			marks[pos[j]] = m16[j];
done:
	free(u);
	free(pos);
	free(m16);
	return rc;
}

int tm_srx_rules_split(struct tm_srx_rules *r, const char *text, size_t len,
		       size_t **ends, size_t *nends, struct tolk_err *err)
{
	unsigned char *marks;
	size_t i, n = 0;
	int rc;

	*ends = NULL;
	*nends = 0;
	marks = malloc(len + 1);
	if (!marks)
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if ((rc = tm_srx_rules_mark(r, text, len, marks, err)))
		goto done;
	for (i = 1; i < len; i++)
		n += marks[i] == TM_SRX_BREAK;
	*ends = malloc((n + 1) * sizeof(**ends));
	if (!*ends) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	for (i = 1, n = 0; i < len; i++)
		if (marks[i] == TM_SRX_BREAK)
			(*ends)[n++] = i;
	*nends = n;
done:
	free(marks);
	return rc;
}
