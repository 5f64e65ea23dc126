/* Readers of bilingual files for the check: TSV and XLIFF 1.2 / 2.0. */
#include "glossary/check.h"
#include "glossary/gl_int.h"
#include "util/buf.h"
#include "util/lang.h"
#include "util/limit.h"
#include "util/utf8.h"
#include "util/xml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

int gl_input_guess(const char *path, enum gl_input *out, struct tolk_err *err)
{
	static const struct {
		const char *ext;
		enum gl_input in;
	} exts[] = {
	    {"tsv", GL_INPUT_TSV},	 {"txt", GL_INPUT_TSV},
	    {"tab", GL_INPUT_TSV},	 {"xlf", GL_INPUT_XLIFF},
	    {"xliff", GL_INPUT_XLIFF},	 {"sdlxliff", GL_INPUT_XLIFF},
	    {"mqxliff", GL_INPUT_XLIFF}, {"tmx", GL_INPUT_TMX},
	};
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	char head[1024];
	size_t i, n;
	FILE *f;

	if (dot && (!slash || dot > slash))
		for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
			if (!strcasecmp(dot + 1, exts[i].ext)) {
				*out = exts[i].in;
				return 0;
			}
	*out = GL_INPUT_TSV;
	if (strcmp(path, "-") == 0)
		return 0;
	if (!(f = fopen(path, "rb")))
		return tolk_err_set(err, TOLK_EINPUT, "cannot open '%s': %s",
				    path, strerror(errno));
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	if (strstr(head, "<xliff"))
		*out = GL_INPUT_XLIFF;
	else if (strstr(head, "<tmx"))
		*out = GL_INPUT_TMX;
	return 0;
}

int gl_read_tsv(const char *path, gl_segment_fn fn, void *ctx,
		struct tolk_err *err)
{
	struct tolk_buf data = TOLK_BUF_INIT;
	struct gl_segment s = {0};
	struct gl_lines lines;
	unsigned long line;
	size_t len;
	char *p;
	int rc;

	if ((rc = tolk_read_file(path, &data, err)))
		goto done;
	gl_lines_init(&lines, data.data);
	s.file = path;
	while ((p = gl_lines_next(&lines, &len))) {
		char *tab, *end;
		size_t bad;

		line = lines.line;
		if (!len || p[0] == '#')
			continue;
		if (len > TOLK_MAX_LINE_BYTES) {
			rc = tolk_err_line_too_long(err, path, line,
						    TOLK_MAX_LINE_BYTES);
			goto done;
		}
		if (!tolk_utf8_valid(p, len, &bad)) {
			rc = tolk_err_set_at(err, TOLK_EINPUT, path, line,
					     bad + 1, "invalid UTF-8");
			goto done;
		}
		if (!(tab = strchr(p, '\t'))) {
			rc = tolk_err_set_at(err, TOLK_EINPUT, path, line,
					     len + 1,
					     "no tab: lines are nb<TAB>en");
			goto done;
		}
		*tab = '\0';
		/* columns after the second are ignored */
		if ((end = strchr(tab + 1, '\t')))
			*end = '\0';
		s.line = line;
		s.source = p;
		s.target = tab + 1;
		if ((rc = fn(ctx, &s, err)))
			goto done;
	}
done:
	tolk_buf_free(&data);
	return rc;
}

/* ---- XLIFF -------------------------------------------------------------- */

static int is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

/* The text a translator sees: text and the content of g/mrk/pc; inline
 * codes (bpt, ept, ph, it, x, sc, ec, ...) are left out. */
static int inline_text(const xmlNode *n, struct tolk_buf *b)
{
	for (n = n->children; n; n = n->next) {
		if (n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE) {
			if (n->content &&
			    tolk_buf_puts(b, (const char *)n->content))
				return TOLK_ENOMEM;
		} else if (is_el(n, "g") || is_el(n, "mrk") || is_el(n, "pc")) {
			if (inline_text(n, b))
				return TOLK_ENOMEM;
		}
	}
	return 0;
}

struct xliff {
	const char *path, *src, *tgt;
	gl_segment_fn fn;
	void *ctx;
	struct tolk_buf s, t, unit;
};

static int langs_ok(struct xliff *x, const xmlNode *n, const char *sattr,
		    const char *tattr, struct tolk_err *err)
{
	char *sl = (char *)xmlGetProp(n, (const xmlChar *)sattr);
	char *tl = (char *)xmlGetProp(n, (const xmlChar *)tattr);
	int rc = 0;

	if ((sl && !tolk_lang_same(sl, x->src)) ||
	    (tl && !tolk_lang_same(tl, x->tgt)))
		rc = tolk_err_set_at(
		    err, TOLK_EINPUT, x->path, (unsigned long)xmlGetLineNo(n),
		    0, "the file is %s -> %s; the check wants %s -> %s",
		    sl ? sl : "?", tl ? tl : "?", x->src, x->tgt);
	xmlFree(sl);
	xmlFree(tl);
	return rc;
}

static int emit_pair(struct xliff *x, const xmlNode *src, const xmlNode *tgt,
		     const char *unit, struct tolk_err *err)
{
	struct gl_segment s = {0};

	tolk_buf_reset(&x->s);
	tolk_buf_reset(&x->t);
	if (inline_text(src, &x->s) || inline_text(tgt, &x->t) ||
	    tolk_buf_puts(&x->s, "") || tolk_buf_puts(&x->t, ""))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (x->t.len == 0)
		return 0; /* not translated yet */
	s.file = x->path;
	s.line = (unsigned long)xmlGetLineNo(src);
	s.unit = unit;
	s.source = x->s.data;
	s.target = x->t.data;
	return x->fn(x->ctx, &s, err);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (n = n->children; n; n = n->next)
		if (is_el(n, name))
			return n;
	return NULL;
}

static int walk12(struct xliff *x, const xmlNode *n, struct tolk_err *err)
{
	int rc = 0;

	for (; n && !rc; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(n, "file")) {
			if ((rc = langs_ok(x, n, "source-language",
					   "target-language", err)))
				return rc;
			rc = walk12(x, n->children, err);
		} else if (is_el(n, "trans-unit")) {
			const xmlNode *s = child(n, "source"),
				      *t = child(n, "target");
			char *id = (char *)xmlGetProp(n, (const xmlChar *)"id");
			char *tr =
			    (char *)xmlGetProp(n, (const xmlChar *)"translate");

			if (s && t && !(tr && !strcmp(tr, "no")))
				rc = emit_pair(x, s, t, id, err);
			xmlFree(id);
			xmlFree(tr);
		} else if (!is_el(n, "header")) {
			rc = walk12(x, n->children, err);
		}
	}
	return rc;
}

static int walk20(struct xliff *x, const xmlNode *n, struct tolk_err *err)
{
	int rc = 0;

	for (; n && !rc; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(n, "unit")) {
			char *id = (char *)xmlGetProp(n, (const xmlChar *)"id");
			const xmlNode *seg;
			size_t nseg = 0;

			for (seg = n->children; seg; seg = seg->next)
				nseg += is_el(seg, "segment");
			for (seg = n->children; seg && !rc; seg = seg->next) {
				const xmlNode *s, *t;
				char *sid;

				if (!is_el(seg, "segment"))
					continue;
				s = child(seg, "source");
				t = child(seg, "target");
				if (!s || !t)
					continue;
				sid = (char *)xmlGetProp(seg,
							 (const xmlChar *)"id");
				tolk_buf_reset(&x->unit);
				if (nseg > 1 && sid)
					tolk_buf_printf(&x->unit, "%s/%s",
							id ? id : "", sid);
				else
					tolk_buf_puts(&x->unit, id ? id : "");
				rc = emit_pair(x, s, t, tolk_buf_str(&x->unit),
					       err);
				xmlFree(sid);
			}
			xmlFree(id);
		} else {
			rc = walk20(x, n->children, err);
		}
	}
	return rc;
}

int gl_read_xliff(const char *path, const char *src_lang, const char *tgt_lang,
		  gl_segment_fn fn, void *ctx, struct tolk_err *err)
{
	struct tolk_buf data = TOLK_BUF_INIT;
	struct xliff x = {0};
	xmlDoc *doc = NULL;
	xmlNode *root;
	char *ver = NULL;
	int rc;

	x.path = path;
	x.src = src_lang;
	x.tgt = tgt_lang;
	x.fn = fn;
	x.ctx = ctx;
	if ((rc = tolk_read_file(path, &data, err)) ||
	    (rc = tolk_xml_parse(&doc, data.data, data.len, path, 0, err)))
		goto done;
	root = xmlDocGetRootElement(doc);
	if (!root || !is_el(root, "xliff")) {
		rc = tolk_err_set_at(err, TOLK_EINPUT, path, 0, 0,
				     "not XLIFF: the root element is <%s>",
				     root ? (const char *)root->name : "");
		goto done;
	}
	ver = (char *)xmlGetProp(root, (const xmlChar *)"version");
	if (ver && !strncmp(ver, "2.", 2)) {
		if (!(rc = langs_ok(&x, root, "srcLang", "trgLang", err)))
			rc = walk20(&x, root->children, err);
	} else if (ver && !strncmp(ver, "1.", 2)) {
		rc = walk12(&x, root->children, err);
	} else {
		rc = tolk_err_set_at(err, TOLK_EINPUT, path,
				     (unsigned long)xmlGetLineNo(root), 0,
				     "unsupported XLIFF version '%s' (1.2 or "
				     "2.0)",
				     ver ? ver : "");
	}
done:
	xmlFree(ver);
	xmlFreeDoc(doc);
	tolk_buf_free(&data);
	tolk_buf_free(&x.s);
	tolk_buf_free(&x.t);
	tolk_buf_free(&x.unit);
	return rc;
}
