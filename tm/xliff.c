/* XLIFF reading, import and splicing writer; the design is in tm/xliff.h.
 *
 * Positions.  libxml2's tree has line numbers but no byte offsets, and the
 * reader's byte counts are buffered.  The document is well-formed once
 * the parser accepted it, so a scanner that knows only comments, CDATA,
 * processing instructions, the DOCTYPE, quoted attribute values and tags
 * finds every element's tags exactly; elements come in the same order as
 * a pre-order walk of the tree, which is how the two are joined (through
 * each node's _private).  The scanner works on ASCII-compatible bytes
 * (UTF-8, windows-1252, ISO 8859); a UTF-16 file can be imported but not
 * written back.
 *
 * Writing.  Each change is an edit (replace bytes [off, off+len) by
 * text); edits never overlap, and are applied in offset order while
 * copying the input.  An edit mixes bytes copied from the document (a
 * start tag rewritten, a target made from the seg-source), which stay in
 * the document's encoding, and new text, which is UTF-8: in a document
 * declared in another encoding each non-ASCII character of new text goes
 * in as a character reference as it is added (esc), which any
 * ASCII-compatible encoding reads back; a tag whose name needs one is
 * left out. */
#include "tm/xliff.h"
#include "tm/tmx_int.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tm/context.h"
#include "tm/unit.h"
#include "util/buf.h"
#include "util/limit.h"
#include "util/ofile.h"
#include "util/xml.h"

/* Where an element's tags lie in the input bytes.  A self-closing element
 * has stag_end == etag_start == end. */
struct xpos {
	size_t start, stag_end, etag_start, end;
	size_t qlen; /* length of the qualified name after '<' */
};

struct cand {
	int score;
	char *source, *source_markup, *target, *target_markup;
};

struct seg {
	struct tm_xliff_seg pub;
	size_t unit;
	xmlNodePtr src;	 /* <source> or the seg-source <mrk> */
	xmlNodePtr tgt;	 /* target <target> or target <mrk>, or NULL */
	xmlNodePtr seg2; /* 2.0 <segment> */
	xmlNodePtr sdl;	 /* Trados's <sdl:seg> of the segment, or NULL */
	char *owned[8];	 /* strings of pub */
	int filled, score;
	enum tm_xliff_quality q;
	char *fill_text, *fill_markup;
	struct cand *cands;
	size_t ncands;
};

/* A glossary entry to write (2.0). */
struct term {
	char *term, *def;
	char **tr;
	size_t ntr;
};

struct unit {
	xmlNodePtr n;
	xmlNodePtr segsrc, target; /* 1.x */
	size_t first, nseg;
	char **notes; /* the file's notes (import) */
	size_t nnotes;
	char **add; /* notes to add (write) */
	size_t nadd;
	struct term *terms; /* glossary entries to add (write) */
	size_t nterms;
};

struct tm_xliff {
	char *path;
	char *data;
	size_t len;
	xmlDoc *doc;
	const xmlChar *ns; /* the XLIFF namespace, NULL when there is none */
	int version;
	char prefix[64]; /* "xlf:" when the root element has a prefix */
	struct xpos *pos;
	size_t npos;
	int scanned;   /* pos is usable */
	int ascii_out; /* new text as character references beyond ASCII */
	struct seg *segs;
	size_t nsegs, capsegs;
	struct unit *units;
	size_t nunits, capunits;
	struct tm_xliff_file *files;
	size_t nfiles;
	const char *cur_src, *cur_tgt; /* languages of the current <file> */
};

/* The namespaces of the producers whose status attributes a fill sets. */
#define NS_SDL "http://sdl.com/FileTypes/SdlXliff/1.0"
#define NS_MQ  "MQXliff"

/* ---- small helpers ---------------------------------------------------- */

static char *sdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static const struct xpos *pos_of(const struct tm_xliff *x, xmlNodePtr n)
{
	uintptr_t k = (uintptr_t)n->_private;

	return k && k <= x->npos ? &x->pos[k - 1] : NULL;
}

static int is_x(const struct tm_xliff *x, xmlNodePtr n, const char *name)
{
	const xmlChar *ns;

	if (!n || n->type != XML_ELEMENT_NODE ||
	    strcmp((const char *)n->name, name) != 0)
		return 0;
	ns = n->ns ? n->ns->href : NULL;
	if (!ns || !x->ns)
		return ns == x->ns;
	return strcmp((const char *)ns, (const char *)x->ns) == 0;
}

static int in_xliff_ns(const struct tm_xliff *x, xmlNodePtr n)
{
	const xmlChar *ns = n->ns ? n->ns->href : NULL;

	if (!ns || !x->ns)
		return ns == x->ns;
	return strcmp((const char *)ns, (const char *)x->ns) == 0;
}

static xmlNodePtr child(const struct tm_xliff *x, xmlNodePtr n,
			const char *name)
{
	xmlNodePtr c;

	for (c = n ? n->children : NULL; c; c = c->next)
		if (is_x(x, c, name))
			return c;
	return NULL;
}

/* An attribute without namespace (or xml:), as a new string or NULL. */
static char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *s = v ? strdup((const char *)v) : NULL;

	xmlFree(v);
	return s;
}

static int attr_is(xmlNodePtr n, const char *name, const char *value)
{
	char *v = attr(n, name);
	int r = v && strcmp(v, value) == 0;

	free(v);
	return r;
}

static int is_ns(xmlNodePtr n, const char *ns, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, ns) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

static int ns_attr_is(xmlNodePtr n, const char *ns, const char *name,
		      const char *value)
{
	xmlChar *v =
	    xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)ns);
	int r = v && strcmp((const char *)v, value) == 0;

	xmlFree(v);
	return r;
}

/* Trados Studio's record of segment mid: <sdl:seg-defs><sdl:seg id=mid>
 * in the unit. */
static xmlNodePtr sdl_seg(xmlNodePtr unit, const char *mid)
{
	xmlNodePtr d, s;

	for (d = unit->children; d && mid; d = d->next)
		if (is_ns(d, NS_SDL, "seg-defs"))
			for (s = d->children; s; s = s->next)
				if (is_ns(s, NS_SDL, "seg") &&
				    attr_is(s, "id", mid))
					return s;
	return NULL;
}

/* ---- the scanner -------------------------------------------------------- */

static int scan(struct tm_xliff *x)
{
	const char *d = x->data, *e = x->data + x->len, *p = d, *q;
	size_t *stack = NULL, depth = 0, cap = 0, capp = 0;
	int rc = -1;

	while ((p = memchr(p, '<', (size_t)(e - p)))) {
		if (e - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			if (!(q = memmem(p, (size_t)(e - p), "-->", 3)))
				goto done;
			p = q + 3;
		} else if (e - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
			if (!(q = memmem(p, (size_t)(e - p), "]]>", 3)))
				goto done;
			p = q + 3;
		} else if (e - p >= 2 && p[1] == '?') {
			if (!(q = memmem(p, (size_t)(e - p), "?>", 2)))
				goto done;
			p = q + 2;
		} else if (e - p >= 2 && p[1] == '!') { /* DOCTYPE */
			int br = 0;
			char quote = 0;

			for (q = p + 2; q < e; q++) {
				if (quote) {
					if (*q == quote)
						quote = 0;
				} else if (*q == '"' || *q == '\'') {
					quote = *q;
				} else if (*q == '[') {
					br++;
				} else if (*q == ']') {
					br--;
				} else if (*q == '>' && br <= 0) {
					break;
				}
			}
			if (q >= e)
				goto done;
			p = q + 1;
		} else if (e - p >= 2 && p[1] == '/') {
			if (!depth || !(q = memchr(p, '>', (size_t)(e - p))))
				goto done;
			x->pos[stack[depth - 1]].etag_start = (size_t)(p - d);
			x->pos[stack[depth - 1]].end = (size_t)(q + 1 - d);
			depth--;
			p = q + 1;
		} else {
			char quote = 0;
			struct xpos *xp;

			for (q = p + 1; q < e; q++) {
				if (quote) {
					if (*q == quote)
						quote = 0;
				} else if (*q == '"' || *q == '\'') {
					quote = *q;
				} else if (*q == '>') {
					break;
				}
			}
			if (q >= e)
				goto done;
			if (x->npos == capp) {
				void *np;

				capp = capp ? capp * 2 : 256;
				if (!(np = realloc(x->pos,
						   capp * sizeof(*x->pos))))
					goto done;
				x->pos = np;
			}
			xp = &x->pos[x->npos];
			xp->start = (size_t)(p - d);
			xp->stag_end = (size_t)(q + 1 - d);
			for (xp->qlen = 0;
			     p + 1 + xp->qlen < q &&
			     !strchr(" \t\r\n/>", p[1 + xp->qlen]);
			     xp->qlen++)
				;
			if (q[-1] == '/') {
				xp->etag_start = xp->end = xp->stag_end;
			} else {
				if (depth == cap) {
					void *ns;

					cap = cap ? cap * 2 : 64;
					if (!(ns = realloc(
						  stack, cap * sizeof(*stack))))
						goto done;
					stack = ns;
				}
				stack[depth++] = x->npos;
			}
			x->npos++;
			p = q + 1;
		}
	}
	rc = depth == 0 ? 0 : -1;
done:
	free(stack);
	return rc;
}

/* Numbers the elements in document order, as the scanner met them. */
static void number(xmlNodePtr n, size_t *k)
{
	for (; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		n->_private = (void *)(uintptr_t)(++*k);
		number(n->children, k);
	}
}

/* ---- inline content ----------------------------------------------------- */

static int ser_start(struct tolk_buf *b, xmlNodePtr n)
{
	xmlAttrPtr a;
	int rc = tolk_buf_printf(b, "<%s", (const char *)n->name);

	for (a = n->properties; a && !rc; a = a->next) {
		xmlChar *v;

		if (a->ns && (!a->ns->prefix ||
			      strcmp((const char *)a->ns->prefix, "xml") != 0))
			continue; /* a foreign prefix may be unbound where the
				     tag goes back */
		v = xmlNodeGetContent((xmlNodePtr)a);
		rc = tolk_buf_printf(b, " %s%s=\"", a->ns ? "xml:" : "",
				     (const char *)a->name) ||
		     tmx_escape(b, v ? (const char *)v : "", 1) ||
		     tolk_buf_putc(b, '"');
		xmlFree(v);
	}
	return rc;
}

/* The whole element n as XML, unprefixed. */
static int ser_elem(struct tolk_buf *b, xmlNodePtr n, int depth)
{
	xmlNodePtr c;
	int rc;

	if (depth > 64)
		return TOLK_EINPUT;
	if ((rc = ser_start(b, n)))
		return rc;
	if (!n->children)
		return tolk_buf_puts(b, "/>");
	if ((rc = tolk_buf_putc(b, '>')))
		return rc;
	for (c = n->children; c && !rc; c = c->next) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE)
			rc = tmx_escape(b, (const char *)c->content, 0);
		else if (c->type == XML_ELEMENT_NODE)
			rc = ser_elem(b, c, depth + 1);
	}
	return rc ? rc : tolk_buf_printf(b, "</%s>", (const char *)n->name);
}

struct inl {
	const struct tm_xliff *x;
	struct tolk_buf text, markup, tmp;
	int has_elem, pair;
};

static int paired(const struct tm_xliff *x, xmlNodePtr c)
{
	if (!in_xliff_ns(x, c))
		return 0;
	if (x->version == 1)
		return strcmp((const char *)c->name, "g") == 0 ||
		       (strcmp((const char *)c->name, "mrk") == 0 &&
			!attr_is(c, "mtype", "seg"));
	return strcmp((const char *)c->name, "pc") == 0 ||
	       strcmp((const char *)c->name, "mrk") == 0;
}

static int inline_walk(struct inl *in, xmlNodePtr n, int depth)
{
	const struct tm_xliff *x = in->x;
	xmlNodePtr c;
	int rc = 0, i;
	const char *type;

	if (depth > TM_TMX_MAX_INLINE_DEPTH)
		return TOLK_EINPUT;
	for (c = n->children; c && !rc; c = c->next) {
		switch (c->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			rc = tolk_buf_puts(&in->text,
					   (const char *)c->content) ||
			     tmx_escape(&in->markup, (const char *)c->content,
					0);
			break;
		case XML_ELEMENT_NODE:
			type = !in_xliff_ns(x, c) ? "x-foreign"
			       : x->version == 1  ? "x-xliff1"
						  : "x-xliff2";
			in->has_elem = 1;
			if (x->version == 1 && is_x(x, c, "mrk") &&
			    attr_is(c, "mtype", "seg")) {
				rc = inline_walk(in, c, depth + 1);
				break;
			}
			tolk_buf_reset(&in->tmp);
			if (paired(x, c)) {
				i = ++in->pair;
				rc = ser_start(&in->tmp, c) ||
				     tolk_buf_putc(&in->tmp, '>') ||
				     tolk_buf_printf(
					 &in->markup,
					 "<bpt i=\"%d\" type=\"%s\">", i,
					 type) ||
				     tmx_escape(&in->markup,
						tolk_buf_str(&in->tmp), 0) ||
				     tolk_buf_puts(&in->markup, "</bpt>");
				if (rc || (rc = inline_walk(in, c, depth + 1)))
					break;
				rc = tolk_buf_printf(&in->markup,
						     "<ept i=\"%d\">&lt;/%s&gt;"
						     "</ept>",
						     i, (const char *)c->name);
				break;
			}
			rc = ser_elem(&in->tmp, c, 0) ||
			     tolk_buf_printf(&in->markup, "<ph type=\"%s\">",
					     type) ||
			     tmx_escape(&in->markup, tolk_buf_str(&in->tmp),
					0) ||
			     tolk_buf_puts(&in->markup, "</ph>");
			break;
		default:
			break;
		}
	}
	return rc;
}

/* Text and markup of n into *text and *markup (NULL when plain). */
static int content_of(const struct tm_xliff *x, xmlNodePtr n, char **text,
		      char **markup)
{
	struct inl in;
	int rc;

	memset(&in, 0, sizeof(in));
	in.x = x;
	*text = *markup = NULL;
	rc = inline_walk(&in, n, 0) || tolk_buf_puts(&in.text, "");
	if (!rc) {
		*text = tolk_buf_detach(&in.text);
		if (in.has_elem)
			*markup = tolk_buf_detach(&in.markup);
		if (!*text || (in.has_elem && !*markup))
			rc = TOLK_ENOMEM;
	}
	tolk_buf_free(&in.text);
	tolk_buf_free(&in.markup);
	tolk_buf_free(&in.tmp);
	return rc;
}

/* Non-empty: non-white text or any element (as the corpus manifest
 * counts). */
static int nonempty(xmlNodePtr n)
{
	xmlNodePtr c;
	const char *s;

	for (c = n ? n->children : NULL; c; c = c->next) {
		if (c->type == XML_ELEMENT_NODE)
			return 1;
		if (c->type != XML_TEXT_NODE &&
		    c->type != XML_CDATA_SECTION_NODE)
			continue;
		for (s = (const char *)c->content; s && *s; s++)
			if (!strchr(" \t\r\n", *s))
				return 1;
	}
	return 0;
}

/* ---- collecting segments ------------------------------------------------ */

static struct seg *new_seg(struct tm_xliff *x)
{
	struct seg *s;

	if (x->nsegs == x->capsegs) {
		size_t cap = x->capsegs ? x->capsegs * 2 : 64;
		void *p = realloc(x->segs, cap * sizeof(*x->segs));

		if (!p)
			return NULL;
		x->segs = p;
		x->capsegs = cap;
	}
	s = &x->segs[x->nsegs++];
	memset(s, 0, sizeof(*s));
	s->unit = x->nunits - 1;
	return s;
}

static struct unit *new_unit(struct tm_xliff *x, xmlNodePtr n)
{
	struct unit *u;
	xmlNodePtr c;

	if (x->nunits == x->capunits) {
		size_t cap = x->capunits ? x->capunits * 2 : 64;
		void *p = realloc(x->units, cap * sizeof(*x->units));

		if (!p)
			return NULL;
		x->units = p;
		x->capunits = cap;
	}
	u = &x->units[x->nunits++];
	memset(u, 0, sizeof(*u));
	u->n = n;
	u->first = x->nsegs;
	/* notes: 1.x <note> children, 2.0 <notes><note> */
	for (c = n->children; c; c = c->next) {
		xmlNodePtr nn = c;
		xmlNodePtr end = c->next;

		if (x->version == 2) {
			if (!is_x(x, c, "notes"))
				continue;
			nn = c->children;
			end = NULL;
		}
		for (; nn != end; nn = nn->next) {
			xmlChar *v;
			void *p;

			if (!is_x(x, nn, "note"))
				continue;
			v = xmlNodeGetContent(nn);
			p = realloc(u->notes,
				    (u->nnotes + 1) * sizeof(*u->notes));
			if (!p) {
				xmlFree(v);
				return NULL;
			}
			u->notes = p;
			u->notes[u->nnotes++] = sdup(v ? (const char *)v : "");
			xmlFree(v);
		}
	}
	return u;
}

static int fill_pub(struct tm_xliff *x, struct seg *s, struct unit *u,
		    char *seg_id)
{
	struct tm_xliff_seg *p = &s->pub;
	xmlNodePtr stnode = x->version == 2 ? s->seg2 : u->target;

	s->owned[0] = attr(u->n, "id");
	s->owned[1] = seg_id;
	p->unit_id = s->owned[0] ? s->owned[0] : "";
	p->seg_id = seg_id;
	p->source_lang = x->cur_src;
	p->target_lang = x->cur_tgt;
	if (content_of(x, s->src, &s->owned[2], &s->owned[3]))
		return TOLK_ENOMEM;
	p->source = s->owned[2];
	p->source_markup = s->owned[3];
	if (s->tgt && nonempty(s->tgt)) {
		if (content_of(x, s->tgt, &s->owned[4], &s->owned[5]))
			return TOLK_ENOMEM;
		p->target = s->owned[4];
		p->target_markup = s->owned[5];
	}
	if (stnode) {
		s->owned[6] = attr(stnode, "state");
		s->owned[7] = attr(stnode, "state-qualifier");
	}
	p->state = s->owned[6];
	p->state_qualifier = s->owned[7];
	if (x->version == 1)
		s->sdl = sdl_seg(u->n, seg_id);
	p->locked =
	    attr_is(u->n, "translate", "no") ||
	    (s->seg2 && attr_is(s->seg2, "translate", "no")) ||
	    (s->sdl && attr_is(s->sdl, "locked", "true")) ||
	    (x->version == 1 && ns_attr_is(u->n, NS_MQ, "locked", "locked"));
	p->line = (unsigned long)xmlGetLineNo(s->src);
	return 0;
}

static xmlNodePtr find_mrk(const struct tm_xliff *x, xmlNodePtr n,
			   const char *mid)
{
	xmlNodePtr c, r;

	for (c = n ? n->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_x(x, c, "mrk") && attr_is(c, "mtype", "seg") &&
		    attr_is(c, "mid", mid))
			return c;
		if ((r = find_mrk(x, c, mid)))
			return r;
	}
	return NULL;
}

static int seg_mrks(struct tm_xliff *x, struct unit *u, xmlNodePtr n)
{
	xmlNodePtr c;
	int rc;

	for (c = n->children; c; c = c->next) {
		char *mid;
		struct seg *s;
		size_t i;
		int seen = 0;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (!(is_x(x, c, "mrk") && attr_is(c, "mtype", "seg"))) {
			if ((rc = seg_mrks(x, u, c)))
				return rc;
			continue;
		}
		if (!(mid = attr(c, "mid")))
			continue;
		for (i = u->first; i < x->nsegs; i++)
			if (strcmp(x->segs[i].pub.seg_id, mid) == 0)
				seen = 1;
		if (seen) {
			free(mid);
			continue;
		}
		if (!(s = new_seg(x))) {
			free(mid);
			return TOLK_ENOMEM;
		}
		s->src = c;
		s->tgt = find_mrk(x, u->target, mid);
		if ((rc = fill_pub(x, s, u, mid)))
			return rc;
	}
	return 0;
}

/* Records a file whose languages are the current ones. */
static int new_file(struct tm_xliff *x, xmlNodePtr n)
{
	void *p = realloc(x->files, (x->nfiles + 1) * sizeof(*x->files));

	if (!p)
		return TOLK_ENOMEM;
	x->files = p;
	x->files[x->nfiles].source_lang = x->cur_src;
	x->files[x->nfiles].target_lang = x->cur_tgt;
	x->files[x->nfiles++].line = (unsigned long)xmlGetLineNo(n);
	return 0;
}

static int unit1(struct tm_xliff *x, xmlNodePtr n)
{
	struct unit *u = new_unit(x, n);
	struct seg *s;
	xmlNodePtr src;

	if (!u)
		return TOLK_ENOMEM;
	src = child(x, n, "source");
	u->segsrc = child(x, n, "seg-source");
	u->target = child(x, n, "target");
	if (u->segsrc) {
		int rc = seg_mrks(x, u, u->segsrc);

		u->nseg = x->nsegs - u->first;
		return rc;
	}
	if (!src)
		return 0;
	if (!(s = new_seg(x)))
		return TOLK_ENOMEM;
	s->src = src;
	s->tgt = u->target;
	u->nseg = 1;
	return fill_pub(x, s, u, NULL);
}

static int walk1(struct tm_xliff *x, xmlNodePtr n)
{
	xmlNodePtr c;
	int rc = 0;

	for (c = n->children; c && !rc; c = c->next) {
		if (is_x(x, c, "trans-unit")) {
			rc = unit1(x, c);
		} else if (is_x(x, c, "file")) {
			xmlChar *sl = xmlGetNoNsProp(
			    c, (const xmlChar *)"source-language");
			xmlChar *tl = xmlGetNoNsProp(
			    c, (const xmlChar *)"target-language");

			/* the tree owns the attribute values */
			x->cur_src =
			    sl ? (const char *)xmlHasProp(
				     c, (const xmlChar *)"source-language")
				     ->children->content
			       : NULL;
			x->cur_tgt =
			    tl ? (const char *)xmlHasProp(
				     c, (const xmlChar *)"target-language")
				     ->children->content
			       : NULL;
			xmlFree(sl);
			xmlFree(tl);
			rc = new_file(x, c) || walk1(x, c);
		} else if (is_x(x, c, "body") || is_x(x, c, "group")) {
			rc = walk1(x, c);
		}
	}
	return rc;
}

static int walk2(struct tm_xliff *x, xmlNodePtr n)
{
	xmlNodePtr c, g;
	int rc = 0;

	for (c = n->children; c && !rc; c = c->next) {
		struct unit *u;

		if (is_x(x, c, "file") || is_x(x, c, "group")) {
			rc = walk2(x, c);
			continue;
		}
		if (!is_x(x, c, "unit"))
			continue;
		if (!(u = new_unit(x, c)))
			return TOLK_ENOMEM;
		for (g = c->children; g && !rc; g = g->next) {
			struct seg *s;

			if (!is_x(x, g, "segment"))
				continue;
			if (!(s = new_seg(x)))
				return TOLK_ENOMEM;
			s->seg2 = g;
			s->src = child(x, g, "source");
			s->tgt = child(x, g, "target");
			if (!s->src) { /* not XLIFF 2; nothing to read */
				x->nsegs--;
				continue;
			}
			rc = fill_pub(x, s, u, attr(g, "id"));
		}
		u->nseg = x->nsegs - u->first;
	}
	return rc;
}

/* ---- open and free ---------------------------------------------------------
 */

int tm_xliff_open(struct tm_xliff **out, const char *path, struct tolk_err *err)
{
	struct tm_xliff *x;
	xmlNodePtr root;
	xmlChar *ver;
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	struct tolk_buf data = TOLK_BUF_INIT;
	size_t k = 0;
	int rc;

	*out = NULL;
	if (!(x = calloc(1, sizeof(*x))) || !(x->path = strdup(name))) {
		free(x);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	if ((rc = tolk_read_file(path, &data, err)))
		goto fail;
	x->len = data.len;
	x->data = tolk_buf_detach(&data);
	if ((rc = tolk_xml_parse(&x->doc, x->data, x->len, name, 0, err)))
		goto fail;
	root = xmlDocGetRootElement(x->doc);
	if (!root || strcmp((const char *)root->name, "xliff") != 0) {
		rc = tolk_xml_bad_root(err, name, root, "XLIFF");
		goto fail;
	}
	x->ns = root->ns ? root->ns->href : NULL;
	if (root->ns && root->ns->prefix)
		snprintf(x->prefix, sizeof(x->prefix),
			 "%s:", (const char *)root->ns->prefix);
	ver = xmlGetNoNsProp(root, (const xmlChar *)"version");
	x->version =
	    (ver && ver[0] == '2') ||
		    (x->ns && strstr((const char *)x->ns, "xliff:document:2"))
		? 2
		: 1;
	xmlFree(ver);
	x->ascii_out =
	    x->doc->encoding &&
	    strcasecmp((const char *)x->doc->encoding, "UTF-8") != 0 &&
	    strcasecmp((const char *)x->doc->encoding, "UTF8") != 0;
	number(x->doc->children, &k);
	x->scanned = scan(x) == 0 && k == x->npos;
	if (x->scanned && root->ns && root->ns->prefix) {
		/* the prefix as the document's bytes spell it, which is what
		 * new tags must say in an encoding other than UTF-8 */
		const struct xpos *rp = pos_of(x, root);
		const char *nm = x->data + rp->start + 1;
		const char *colon = memchr(nm, ':', rp->qlen);

		if (colon && (size_t)(colon - nm) < sizeof(x->prefix) - 1)
			snprintf(x->prefix, sizeof(x->prefix),
				 "%.*s:", (int)(colon - nm), nm);
	}
	if (x->version == 2) {
		xmlChar *sl = xmlGetNoNsProp(root, (const xmlChar *)"srcLang");
		xmlChar *tl = xmlGetNoNsProp(root, (const xmlChar *)"trgLang");

		x->cur_src = sl ? (const char *)xmlHasProp(
				      root, (const xmlChar *)"srcLang")
				      ->children->content
				: NULL;
		x->cur_tgt = tl ? (const char *)xmlHasProp(
				      root, (const xmlChar *)"trgLang")
				      ->children->content
				: NULL;
		xmlFree(sl);
		xmlFree(tl);
		rc = new_file(x, root) || walk2(x, root);
	} else {
		rc = walk1(x, root);
	}
	if (rc) {
		rc = tolk_err_set_at(
		    err, rc == TOLK_ENOMEM ? rc : TOLK_EINPUT, name, 0, 0,
		    rc == TOLK_ENOMEM ? "out of memory"
				      : "inline markup nested too deep");
		goto fail;
	}
	for (k = 0; k < x->nsegs; k++)
		x->segs[k].pub.unit_segs = x->units[x->segs[k].unit].nseg;
	*out = x;
	return 0;
fail:
	tolk_buf_free(&data);
	tm_xliff_free(x);
	return rc;
}

static void term_free(struct term *t)
{
	size_t k;

	for (k = 0; k < t->ntr; k++)
		free(t->tr[k]);
	free(t->tr);
	free(t->term);
	free(t->def);
}

void tm_xliff_free(struct tm_xliff *x)
{
	size_t i, k;

	if (!x)
		return;
	for (i = 0; i < x->nsegs; i++) {
		struct seg *s = &x->segs[i];

		for (k = 0; k < 8; k++)
			free(s->owned[k]);
		free(s->fill_text);
		free(s->fill_markup);
		for (k = 0; k < s->ncands; k++) {
			free(s->cands[k].source);
			free(s->cands[k].source_markup);
			free(s->cands[k].target);
			free(s->cands[k].target_markup);
		}
		free(s->cands);
	}
	for (i = 0; i < x->nunits; i++) {
		for (k = 0; k < x->units[i].nnotes; k++)
			free(x->units[i].notes[k]);
		free(x->units[i].notes);
		for (k = 0; k < x->units[i].nadd; k++)
			free(x->units[i].add[k]);
		free(x->units[i].add);
		for (k = 0; k < x->units[i].nterms; k++)
			term_free(&x->units[i].terms[k]);
		free(x->units[i].terms);
	}
	free(x->segs);
	free(x->units);
	free(x->files);
	free(x->pos);
	xmlFreeDoc(x->doc);
	free(x->data);
	free(x->path);
	free(x);
}

int tm_xliff_version(const struct tm_xliff *x)
{
	return x->version;
}

size_t tm_xliff_count(const struct tm_xliff *x)
{
	return x->nsegs;
}

const struct tm_xliff_seg *tm_xliff_segment(const struct tm_xliff *x, size_t i)
{
	return i < x->nsegs ? &x->segs[i].pub : NULL;
}

size_t tm_xliff_file_count(const struct tm_xliff *x)
{
	return x->nfiles;
}

const struct tm_xliff_file *tm_xliff_file(const struct tm_xliff *x, size_t i)
{
	return i < x->nfiles ? &x->files[i] : NULL;
}

int tm_xliff_is_name(const char *path)
{
	static const char *const ext[] = {".xlf",      ".xliff",   ".xlf2",
					  ".sdlxliff", ".mqxliff", ".mxliff",
					  ".txlf",     ".poxliff"};
	size_t n = strlen(path), m, i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		m = strlen(ext[i]);
		if (n >= m && strcasecmp(path + n - m, ext[i]) == 0)
			return 1;
	}
	return 0;
}

/* ---- fills -----------------------------------------------------------------
 */

int tm_xliff_fill(struct tm_xliff *x, size_t i, const char *text,
		  const char *markup, enum tm_xliff_quality q, int score)
{
	struct seg *s = &x->segs[i];
	char *t = sdup(text), *m = sdup(markup);

	if (!t || (markup && !m)) {
		free(t);
		free(m);
		return TOLK_ENOMEM;
	}
	free(s->fill_text);
	free(s->fill_markup);
	s->fill_text = t;
	s->fill_markup = m;
	s->q = q;
	s->score = score;
	s->filled = 1;
	return 0;
}

int tm_xliff_add_candidate(struct tm_xliff *x, size_t i, int score,
			   const char *source, const char *source_markup,
			   const char *target, const char *target_markup)
{
	struct seg *s = &x->segs[i];
	struct cand *c;
	void *p = realloc(s->cands, (s->ncands + 1) * sizeof(*s->cands));

	if (!p)
		return TOLK_ENOMEM;
	s->cands = p;
	c = &s->cands[s->ncands];
	c->score = score;
	c->source = sdup(source);
	c->source_markup = sdup(source_markup);
	c->target = sdup(target);
	c->target_markup = sdup(target_markup);
	s->ncands++;
	if (!c->source || !c->target || (source_markup && !c->source_markup) ||
	    (target_markup && !c->target_markup))
		return TOLK_ENOMEM;
	return 0;
}

int tm_xliff_add_note(struct tm_xliff *x, size_t i, const char *text)
{
	struct unit *u = &x->units[x->segs[i].unit];
	void *p = realloc(u->add, (u->nadd + 1) * sizeof(*u->add));

	if (!p)
		return TOLK_ENOMEM;
	u->add = p;
	if (!(u->add[u->nadd] = sdup(text)))
		return TOLK_ENOMEM;
	u->nadd++;
	return 0;
}

int tm_xliff_add_term(struct tm_xliff *x, size_t i, const char *term,
		      const char *const *translations, size_t ntranslations,
		      const char *definition)
{
	struct unit *u = &x->units[x->segs[i].unit];
	struct term *t;
	size_t k;
	void *p;

	if (x->version != 2)
		return TOLK_EINTERNAL;
	if (!ntranslations && !definition)
		return 0;
	for (k = 0; k < u->nterms; k++)
		if (strcmp(u->terms[k].term, term) == 0)
			return 0;
	if (!(p = realloc(u->terms, (u->nterms + 1) * sizeof(*u->terms))))
		return TOLK_ENOMEM;
	u->terms = p;
	t = &u->terms[u->nterms];
	memset(t, 0, sizeof(*t));
	if (!(t->term = strdup(term)) ||
	    (definition && !(t->def = strdup(definition))) ||
	    (ntranslations &&
	     !(t->tr = calloc(ntranslations, sizeof(*t->tr))))) {
		term_free(t);
		return TOLK_ENOMEM;
	}
	for (k = 0; k < ntranslations; k++, t->ntr++)
		if (!(t->tr[k] = strdup(translations[k]))) {
			term_free(t);
			return TOLK_ENOMEM;
		}
	u->nterms++;
	return 0;
}

/* ---- writing
 * ----------------------------------------------------------------- */

struct edit {
	size_t off, len, seq;
	char *text;
};

struct wr {
	struct tm_xliff *x;
	struct edit *e;
	size_t n, cap;
	struct tolk_buf b; /* scratch */
};

/* In a document not in UTF-8, what b holds from byte from on, new UTF-8
 * text, becomes ASCII with character references, which every
 * ASCII-compatible encoding reads back; the document's own bytes that
 * edits copy are left as they are. */
static int to_refs(const struct tm_xliff *x, struct tolk_buf *b, size_t from)
{
	const unsigned char *p;
	char *tail;
	int rc = 0;

	if (!x->ascii_out || b->len == from)
		return 0;
	if (!(tail = strdup(b->data + from)))
		return TOLK_ENOMEM;
	b->len = from;
	b->data[from] = '\0';
	for (p = (const unsigned char *)tail; *p && !rc;) {
		unsigned cp;
		int n;

		if (*p < 0x80) {
			rc = tolk_buf_putc(b, (char)*p++);
			continue;
		}
		n = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;
		cp = *p++ & (0x3f >> n);
		while (n-- && (*p & 0xc0) == 0x80)
			cp = (cp << 6) | (*p++ & 0x3f);
		rc = tolk_buf_printf(b, "&#x%X;", cp);
	}
	free(tail);
	return rc;
}

/* tmx_escape of new text s, in the document's terms (to_refs). */
static int esc(struct wr *w, struct tolk_buf *b, const char *s, int attr)
{
	size_t from = b->len;

	return tmx_escape(b, s, attr) || to_refs(w->x, b, from);
}

static int add_edit(struct wr *w, size_t off, size_t len, struct tolk_buf *b)
{
	struct edit *e;

	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		void *p = realloc(w->e, cap * sizeof(*w->e));

		if (!p)
			return TOLK_ENOMEM;
		w->e = p;
		w->cap = cap;
	}
	e = &w->e[w->n];
	e->off = off;
	e->len = len;
	e->seq = w->n;
	if (!(e->text = b->len ? tolk_buf_detach(b) : strdup("")))
		return TOLK_ENOMEM;
	w->n++;
	return 0;
}

static int cmp_edit(const void *a, const void *b)
{
	const struct edit *x = a, *y = b;

	if (x->off != y->off)
		return x->off < y->off ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The white space before n on its line, as a newline and indentation. */
static int indent(struct wr *w, struct tolk_buf *b, xmlNodePtr n)
{
	const struct xpos *p = pos_of(w->x, n);
	const char *d = w->x->data;
	size_t i;

	if (!p)
		return tolk_buf_putc(b, '\n');
	for (i = p->start; i > 0 && (d[i - 1] == ' ' || d[i - 1] == '\t'); i--)
		;
	if (i > 0 && d[i - 1] == '\n')
		return tolk_buf_putc(b, '\n') ||
		       tolk_buf_append(b, d + i, p->start - i);
	return tolk_buf_putc(b, '\n');
}

/* Appends n's start tag with attributes names[k] set to values[k] (added
 * at the end when absent, removed when the value is NULL); a
 * self-closing tag is opened when open is set. */
static int stag_edit(struct wr *w, struct tolk_buf *b, xmlNodePtr n,
		     const char *const *names, const char *const *values,
		     size_t nset, int open)
{
	const struct xpos *p = pos_of(w->x, n);
	const char *d = w->x->data, *s, *e, *q, *run;
	int done[8] = {0};
	size_t k;
	int rc = 0;

	s = d + p->start;
	e = d + p->stag_end - 1; /* at '>' */
	if (e[-1] == '/')
		e--;
	q = s + 1 + p->qlen;
	run = s;
	while (q < e && !rc) {
		const char *an, *ae, *vs, *ve, *ws = q;

		while (q < e && strchr(" \t\r\n", *q))
			q++;
		if (q >= e)
			break;
		an = q;
		while (q < e && !strchr(" \t\r\n=", *q))
			q++;
		ae = q;
		while (q < e && *q != '"' && *q != '\'')
			q++;
		if (q >= e)
			break;
		vs = q + 1;
		ve = memchr(vs, *q, (size_t)(e - vs));
		if (!ve)
			break;
		q = ve + 1;
		for (k = 0; k < nset; k++) {
			if (strlen(names[k]) != (size_t)(ae - an) ||
			    memcmp(names[k], an, (size_t)(ae - an)) != 0)
				continue;
			done[k] = 1;
			if (!values[k]) { /* drop it with its white space */
				rc =
				    tolk_buf_append(b, run, (size_t)(ws - run));
				run = q;
			} else {
				/* the closing quote is copied with the rest;
				 * the scan goes on after it, so that the next
				 * attribute is read by its name */
				rc = tolk_buf_append(b, run,
						     (size_t)(vs - run)) ||
				     esc(w, b, values[k], 1);
				run = ve;
			}
			break;
		}
	}
	/* new attributes go before the white space that ends the tag
	 * (<sdl:seg id="2" />), which stays before a kept "/>" */
	for (q = e; q > run && strchr(" \t\r\n", q[-1]); q--)
		;
	rc = rc || tolk_buf_append(b, run, (size_t)(q - run));
	for (k = 0; k < nset && !rc; k++)
		if (!done[k] && values[k])
			rc = tolk_buf_printf(b, " %s=\"", names[k]) ||
			     esc(w, b, values[k], 1) || tolk_buf_putc(b, '"');
	if (!rc && !open && *e == '/')
		rc = tolk_buf_append(b, q, (size_t)(e - q)) ||
		     tolk_buf_puts(b, "/>");
	else if (!rc)
		rc = tolk_buf_puts(b, ">");
	return rc;
}

/* An edit replacing n's start tag by one with names[k] set to values[k]
 * (stag_edit). */
static int retag(struct wr *w, xmlNodePtr n, const char *const *names,
		 const char *const *values, size_t nset)
{
	const struct xpos *p = pos_of(w->x, n);

	return stag_edit(w, &w->b, n, names, values, nset, 0) ||
	       add_edit(w, p->start, p->stag_end - p->start, &w->b);
}

static int close_tag(struct wr *w, struct tolk_buf *b, xmlNodePtr n)
{
	const struct xpos *p = pos_of(w->x, n);

	return tolk_buf_puts(b, "</") ||
	       tolk_buf_append(b, w->x->data + p->start + 1, p->qlen) ||
	       tolk_buf_putc(b, '>');
}

/* Whether raw tags can be written into x: in a document that takes new
 * text beyond ASCII as character references, a name beyond ASCII cannot
 * (only attribute values can) and the tag is left out. */
static int tags_fit(const struct tm_xliff *x, const char *raw)
{
	char quote = 0;

	for (; x->ascii_out && *raw; raw++) {
		if (quote) {
			if (*raw == quote)
				quote = 0;
		} else if (*raw == '"' || *raw == '\'') {
			quote = *raw;
		} else if ((unsigned char)*raw >= 0x80) {
			return 0;
		}
	}
	return 1;
}

/* Raw XLIFF tags of our own making, with the document's prefix. */
static int put_tags(struct wr *w, struct tolk_buf *b, const char *raw)
{
	const char *p;
	size_t from = b->len;

	for (p = raw; *p; p++) {
		if (tolk_buf_putc(b, *p))
			return TOLK_ENOMEM;
		if (*p == '<' && p[1] == '/') {
			if (tolk_buf_putc(b, '/') ||
			    tolk_buf_puts(b, w->x->prefix))
				return TOLK_ENOMEM;
			p++;
		} else if (*p == '<' && tolk_buf_puts(b, w->x->prefix)) {
			return TOLK_ENOMEM;
		}
	}
	return to_refs(w->x, b, from);
}

/* Inline content from stored text and TMX markup: tags of this XLIFF
 * version go back as they were, other native code is left out. */
static int put_content(struct wr *w, struct tolk_buf *b, const char *text,
		       const char *markup)
{
	struct tolk_buf m = TOLK_BUF_INIT;
	struct tolk_err err;
	xmlDoc *doc = NULL;
	xmlNodePtr c, root;
	const char *mine = w->x->version == 1 ? "x-xliff1" : "x-xliff2";
	char open[256] = {0}; /* bpt i values of our own, as flags */
	int rc = 0;

	if (!markup)
		return esc(w, b, text, 0);
	if (tolk_buf_puts(&m, "<s>") || tolk_buf_puts(&m, markup) ||
	    tolk_buf_puts(&m, "</s>"))
		return TOLK_ENOMEM;
	if (tolk_xml_parse(&doc, m.data, m.len, "markup", 0, &err)) {
		tolk_buf_free(&m);
		return esc(w, b, text, 0);
	}
	tolk_buf_free(&m);
	root = xmlDocGetRootElement(doc);
	/* an explicit stack would do; segments are shallow */
	for (c = root->children; c && !rc;) {
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			rc = esc(w, b, (const char *)c->content, 0);
		} else if (c->type == XML_ELEMENT_NODE) {
			const char *nm = (const char *)c->name;
			char *ty = attr(c, "type"), *iv = attr(c, "i");
			int i = iv ? atoi(iv) & 255 : 0;
			int own = ty && strcmp(ty, mine) == 0;

			if ((strcmp(nm, "bpt") == 0 || strcmp(nm, "ph") == 0)
				? own
				: strcmp(nm, "ept") == 0 && open[i]) {
				xmlChar *v = xmlNodeGetContent(c);
				const char *raw = v ? (const char *)v : "";

				/* the end tag goes only where its start did */
				if (tags_fit(w->x, raw)) {
					open[i] |= strcmp(nm, "bpt") == 0;
					rc = put_tags(w, b, raw);
				}
				xmlFree(v);
			} else if (strcmp(nm, "hi") == 0 && c->children) {
				free(ty);
				free(iv);
				c = c->children;
				continue;
			}
			free(ty);
			free(iv);
		}
		while (c && !c->next && c->parent != root)
			c = c->parent;
		c = c ? c->next : NULL;
	}
	xmlFreeDoc(doc);
	return rc;
}

static const char *state1(enum tm_xliff_quality q)
{
	return q == TM_XLIFF_EXACT ? "translated" : "needs-review-translation";
}

static const char *qual1(enum tm_xliff_quality q)
{
	return q == TM_XLIFF_EXACT   ? "exact-match"
	       : q == TM_XLIFF_FUZZY ? "fuzzy-match"
				     : "leveraged-tm";
}

/* The XLIFF element child of n that ends last. */
static xmlNodePtr last_xliff_child(struct tm_xliff *x, xmlNodePtr n)
{
	xmlNodePtr c, last = NULL;

	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && in_xliff_ns(x, c))
			last = c;
	return last;
}

static int write_unit1(struct wr *w, struct unit *u)
{
	struct tm_xliff *x = w->x;
	struct tolk_buf *b = &w->b;
	const char *names[2] = {"state", "state-qualifier"};
	const char *vals[2];
	enum tm_xliff_quality worst = TM_XLIFF_EXACT;
	size_t i, k, nfill = 0;
	xmlNodePtr src = child(x, u->n, "source"), last;
	int rc = 0;

	for (i = u->first; i < u->first + u->nseg; i++) {
		struct seg *s = &x->segs[i];

		if (!s->filled)
			continue;
		nfill++;
		if (s->q > worst)
			worst = s->q;
	}
	vals[0] = state1(worst);
	vals[1] = qual1(worst);
	if (nfill && !u->segsrc) {
		struct seg *s = &x->segs[u->first];

		if (u->target) {
			const struct xpos *p = pos_of(x, u->target);

			rc = stag_edit(w, b, u->target, names, vals, 2, 1) ||
			     put_content(w, b, s->fill_text, s->fill_markup) ||
			     close_tag(w, b, u->target) ||
			     add_edit(w, p->start, p->end - p->start, b);
		} else {
			const struct xpos *p = pos_of(x, src);

			rc = indent(w, b, src) ||
			     tolk_buf_printf(b,
					     "<%starget state=\"%s\" "
					     "state-qualifier=\"%s\">",
					     x->prefix, vals[0], vals[1]) ||
			     put_content(w, b, s->fill_text, s->fill_markup) ||
			     tolk_buf_printf(b, "</%starget>", x->prefix) ||
			     add_edit(w, p->end, 0, b);
		}
	} else if (nfill) {
		const struct xpos *tp = u->target ? pos_of(x, u->target) : NULL;

		if (tp && tp->stag_end != tp->end) {
			for (i = u->first; i < u->first + u->nseg && !rc; i++) {
				struct seg *s = &x->segs[i];
				const struct xpos *p;

				if (!s->filled || !s->tgt)
					continue;
				p = pos_of(x, s->tgt);
				if (p->stag_end == p->end)
					rc = stag_edit(w, b, s->tgt, NULL, NULL,
						       0, 1) ||
					     put_content(w, b, s->fill_text,
							 s->fill_markup) ||
					     close_tag(w, b, s->tgt) ||
					     add_edit(w, p->start,
						      p->end - p->start, b);
				else
					rc = put_content(w, b, s->fill_text,
							 s->fill_markup) ||
					     add_edit(w, p->stag_end,
						      p->etag_start -
							  p->stag_end,
						      b);
			}
			rc = rc || retag(w, u->target, names, vals, 2);
		} else {
			/* a target made from the seg-source: its bytes
			 * with each segment's content replaced */
			const struct xpos *sp = pos_of(x, u->segsrc);
			size_t at = sp->stag_end;

			if (tp)
				rc = stag_edit(w, b, u->target, names, vals, 2,
					       1);
			else
				rc = indent(w, b, u->segsrc) ||
				     tolk_buf_printf(b,
						     "<%starget state=\"%s\" "
						     "state-qualifier=\"%s\">",
						     x->prefix, vals[0],
						     vals[1]);
			for (i = u->first; i < u->first + u->nseg && !rc; i++) {
				struct seg *s = &x->segs[i];
				const struct xpos *p = pos_of(x, s->src);

				if (p->stag_end == p->end)
					continue;
				rc = tolk_buf_append(b, x->data + at,
						     p->stag_end - at) ||
				     (s->filled &&
				      put_content(w, b, s->fill_text,
						  s->fill_markup));
				at = p->etag_start;
			}
			rc = rc || tolk_buf_append(b, x->data + at,
						   sp->etag_start - at);
			if (tp)
				rc = rc || close_tag(w, b, u->target) ||
				     add_edit(w, tp->start, tp->end - tp->start,
					      b);
			else
				rc = rc ||
				     tolk_buf_printf(b, "</%starget>",
						     x->prefix) ||
				     add_edit(w, sp->end, 0, b);
		}
	}
	if (rc)
		return rc;
	/* candidates and notes after the last XLIFF child, before any
	 * foreign elements, as the 1.2 schema orders them */
	last = last_xliff_child(x, u->n);
	for (i = u->first; i < u->first + u->nseg && !rc && last; i++) {
		struct seg *s = &x->segs[i];

		for (k = 0; k < s->ncands && !rc; k++) {
			struct cand *c = &s->cands[k];

			rc =
			    indent(w, b, src ? src : last) ||
			    tolk_buf_printf(b,
					    "<%salt-trans match-quality=\"%d\" "
					    "origin=\"tolk\"",
					    x->prefix, c->score) ||
			    (u->segsrc && s->pub.seg_id &&
			     (tolk_buf_puts(b, " mid=\"") ||
			      esc(w, b, s->pub.seg_id, 1) ||
			      tolk_buf_putc(b, '"'))) ||
			    tolk_buf_printf(b, "><%ssource>", x->prefix) ||
			    put_content(w, b, c->source, c->source_markup) ||
			    tolk_buf_printf(b, "</%ssource><%starget>",
					    x->prefix, x->prefix) ||
			    put_content(w, b, c->target, c->target_markup) ||
			    tolk_buf_printf(b, "</%starget></%salt-trans>",
					    x->prefix, x->prefix) ||
			    add_edit(w, pos_of(x, last)->end, 0, b);
		}
	}
	for (k = 0; k < u->nadd && !rc && last; k++)
		rc = indent(w, b, src ? src : last) ||
		     tolk_buf_printf(b, "<%snote from=\"tolk\">", x->prefix) ||
		     esc(w, b, u->add[k], 0) ||
		     tolk_buf_printf(b, "</%snote>", x->prefix) ||
		     add_edit(w, pos_of(x, last)->end, 0, b);
	return rc;
}

/* The qualified name of attribute name in namespace ns as n's start tag
 * would write it: with the prefix of the attribute n has, else of the
 * namespace in scope (NULL when it has none). */
static const char *ns_qname(struct tm_xliff *x, xmlNodePtr n, const char *ns,
			    const char *name, char *buf, size_t size)
{
	xmlAttrPtr a =
	    xmlHasNsProp(n, (const xmlChar *)name, (const xmlChar *)ns);
	xmlNsPtr d = a && a->ns
			 ? a->ns
			 : xmlSearchNsByHref(x->doc, n, (const xmlChar *)ns);

	if (!d || !d->prefix ||
	    (size_t)snprintf(buf, size, "%s:%s", (const char *)d->prefix,
			     name) >= size)
		return NULL;
	return buf;
}

/* The producer's own status of the filled segments of u (tm/xliff.h):
 * an exact or context match as translated by a TM, a fuzzy one as a
 * draft with its score. */
static int producer1(struct wr *w, struct unit *u)
{
	struct tm_xliff *x = w->x;
	const char *names[5] = {"conf", "origin", "origin-system", "percent",
				"text-match"};
	const char *vals[5];
	char pct[16], q1[80], q2[80];
	enum tm_xliff_quality worst = TM_XLIFF_EXACT;
	int score = 101, nfill = 0, rc = 0;
	size_t i;

	for (i = u->first; i < u->first + u->nseg && !rc; i++) {
		struct seg *s = &x->segs[i];
		int exact = s->q == TM_XLIFF_EXACT;

		if (!s->filled)
			continue;
		nfill++;
		if (s->q > worst)
			worst = s->q;
		if (s->score < score)
			score = s->score;
		if (!s->sdl)
			continue;
		snprintf(pct, sizeof(pct), "%d",
			 s->score > 100 ? 100 : s->score);
		vals[0] = exact ? "Translated" : "Draft";
		vals[1] = "tm";
		vals[2] = "tolk";
		vals[3] = pct;
		/* how Studio marks a context match (its 101, "CM") */
		vals[4] = exact && s->score > 100 ? "SourceAndTarget" : NULL;
		rc = retag(w, s->sdl, names, vals, 5);
	}
	if (rc || !nfill)
		return rc;
	snprintf(pct, sizeof(pct), "%d", score);
	if (xmlHasNsProp(u->n, (const xmlChar *)"conf",
			 (const xmlChar *)NS_SDL)) {
		/* the XLIFF Manager flavour: the unit carries Studio's
		 * status */
		names[0] = ns_qname(x, u->n, NS_SDL, "conf", q1, sizeof(q1));
		names[1] = ns_qname(x, u->n, NS_SDL, "origin", q2, sizeof(q2));
		vals[0] = worst == TM_XLIFF_EXACT ? "Translated" : "Draft";
		vals[1] = "tm";
		if (names[0] && names[1])
			rc = retag(w, u->n, names, vals, 2);
	} else if (xmlHasNsProp(u->n, (const xmlChar *)"status",
				(const xmlChar *)NS_MQ) &&
		   (names[0] =
			ns_qname(x, u->n, NS_MQ, "status", q1, sizeof(q1))) &&
		   (names[1] =
			ns_qname(x, u->n, NS_MQ, "percent", q2, sizeof(q2)))) {
		/* memoQ: a confirmed row, or a pre-translated one to
		 * review; its percent counts a context match as 101 */
		vals[0] = worst == TM_XLIFF_EXACT ? "ManuallyConfirmed"
						  : "Pretranslated";
		vals[1] = pct;
		rc = retag(w, u->n, names, vals, 2);
	}
	return rc;
}

/* u's glossary entries as a Glossary module element, among the module
 * elements that open the unit (before first, its first child). */
static int glossary2(struct wr *w, struct unit *u, xmlNodePtr first)
{
	struct tolk_buf *b = &w->b;
	size_t k, j;
	int rc = indent(w, b, first) ||
		 tolk_buf_puts(b, "<gls:glossary xmlns:gls=\"urn:oasis:names:"
				  "tc:xliff:glossary:2.0\">");

	for (k = 0; k < u->nterms && !rc; k++) {
		struct term *t = &u->terms[k];

		rc = tolk_buf_puts(b, "<gls:glossEntry><gls:term "
				      "source=\"tolk\">") ||
		     esc(w, b, t->term, 0) || tolk_buf_puts(b, "</gls:term>");
		for (j = 0; j < t->ntr && !rc; j++)
			rc = tolk_buf_puts(b, "<gls:translation>") ||
			     esc(w, b, t->tr[j], 0) ||
			     tolk_buf_puts(b, "</gls:translation>");
		if (t->def && !rc)
			rc = tolk_buf_puts(b, "<gls:definition>") ||
			     esc(w, b, t->def, 0) ||
			     tolk_buf_puts(b, "</gls:definition>");
		rc = rc || tolk_buf_puts(b, "</gls:glossEntry>");
	}
	return rc || tolk_buf_puts(b, "</gls:glossary>") ||
	       add_edit(w, pos_of(w->x, u->n)->stag_end, 0, b);
}

static int write_unit2(struct wr *w, struct unit *u)
{
	struct tm_xliff *x = w->x;
	struct tolk_buf *b = &w->b;
	const char *names[1] = {"state"};
	const char *vals[1];
	xmlNodePtr first = NULL, c, notes = child(x, u->n, "notes");
	size_t i, k, ncand = 0;
	int rc = 0;

	for (c = u->n->children; c && !first; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			first = c;
	for (i = u->first; i < u->first + u->nseg && !rc; i++) {
		struct seg *s = &x->segs[i];
		const struct xpos *p;

		if (s->pub.seg_id)
			ncand += s->ncands;
		if (!s->filled)
			continue;
		/* a fuzzy target waits for review: the segment stays
		 * initial, its match is in <mtc:match> */
		vals[0] = s->q == TM_XLIFF_EXACT ? "translated" : "initial";
		if ((rc = retag(w, s->seg2, names, vals, 1)))
			break;
		if (s->tgt) {
			p = pos_of(x, s->tgt);
			rc = stag_edit(w, b, s->tgt, NULL, NULL, 0, 1) ||
			     put_content(w, b, s->fill_text, s->fill_markup) ||
			     close_tag(w, b, s->tgt) ||
			     add_edit(w, p->start, p->end - p->start, b);
		} else {
			p = pos_of(x, s->src);
			rc = indent(w, b, s->src) ||
			     tolk_buf_printf(b, "<%starget>", x->prefix) ||
			     put_content(w, b, s->fill_text, s->fill_markup) ||
			     tolk_buf_printf(b, "</%starget>", x->prefix) ||
			     add_edit(w, p->end, 0, b);
		}
	}
	if (rc || !first)
		return rc;
	/* module elements come first in a unit, then <notes> */
	if (ncand) {
		const struct xpos *up = pos_of(x, u->n);

		rc = indent(w, b, first) ||
		     tolk_buf_puts(b, "<mtc:matches xmlns:mtc=\"urn:oasis:"
				      "names:tc:xliff:matches:2.0\">");
		for (i = u->first; i < u->first + u->nseg && !rc; i++) {
			struct seg *s = &x->segs[i];

			if (!s->pub.seg_id)
				continue;
			for (k = 0; k < s->ncands && !rc; k++) {
				struct cand *cd = &s->cands[k];

				rc = tolk_buf_puts(b, "<mtc:match ref=\"#") ||
				     esc(w, b, s->pub.seg_id, 1) ||
				     tolk_buf_printf(
					 b,
					 "\" matchQuality=\"%d.0\" "
					 "similarity=\"%d.0\" origin=\"tolk\" "
					 "type=\"tm\"><%ssource>",
					 cd->score, cd->score, x->prefix) ||
				     put_content(w, b, cd->source,
						 cd->source_markup) ||
				     tolk_buf_printf(b, "</%ssource><%starget>",
						     x->prefix, x->prefix) ||
				     put_content(w, b, cd->target,
						 cd->target_markup) ||
				     tolk_buf_printf(b,
						     "</%starget></mtc:match>",
						     x->prefix);
			}
		}
		rc = rc || tolk_buf_puts(b, "</mtc:matches>") ||
		     add_edit(w, up->stag_end, 0, b);
	}
	if (!rc && u->nterms)
		rc = glossary2(w, u, first);
	if (rc || !u->nadd)
		return rc;
	if (notes && pos_of(x, notes)->stag_end != pos_of(x, notes)->end) {
		for (k = 0; k < u->nadd && !rc; k++)
			rc = tolk_buf_printf(b, "<%snote category=\"tolk\">",
					     x->prefix) ||
			     esc(w, b, u->add[k], 0) ||
			     tolk_buf_printf(b, "</%snote>", x->prefix) ||
			     add_edit(w, pos_of(x, notes)->etag_start, 0, b);
	} else if (!notes) {
		/* after the unit's own module elements, before the core
		 * ones: the order the 2.0 schema requires */
		xmlNodePtr after = NULL;
		size_t at = pos_of(x, u->n)->stag_end;

		for (c = u->n->children; c; c = c->next) {
			if (c->type != XML_ELEMENT_NODE)
				continue;
			if (is_x(x, c, "originalData") ||
			    is_x(x, c, "segment") || is_x(x, c, "ignorable"))
				break;
			after = c;
		}
		if (after && pos_of(x, after))
			at = pos_of(x, after)->end;
		rc = indent(w, b, first) ||
		     tolk_buf_printf(b, "<%snotes>", x->prefix);
		for (k = 0; k < u->nadd && !rc; k++)
			rc = tolk_buf_printf(b, "<%snote category=\"tolk\">",
					     x->prefix) ||
			     esc(w, b, u->add[k], 0) ||
			     tolk_buf_printf(b, "</%snote>", x->prefix);
		rc = rc || tolk_buf_printf(b, "</%snotes>", x->prefix) ||
		     add_edit(w, at, 0, b);
	}
	return rc;
}

int tm_xliff_write(struct tm_xliff *x, const char *path, struct tolk_err *err)
{
	struct wr w;
	struct tolk_ofile out;
	FILE *f;
	size_t i, at = 0;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.x = x;
	if (!x->scanned)
		return tolk_err_set(err, TOLK_EINPUT,
				    "'%s': only XLIFF in UTF-8 or another "
				    "ASCII-compatible encoding can be "
				    "written back",
				    x->path);
	for (i = 0; i < x->nunits && !rc; i++)
		rc = x->version == 1 ? write_unit1(&w, &x->units[i]) ||
					   producer1(&w, &x->units[i])
				     : write_unit2(&w, &x->units[i]);
	if (rc) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	if (w.n) /* an unchanged document has no edits, and w.e is NULL */
		qsort(w.e, w.n, sizeof(*w.e), cmp_edit);
	if ((rc = tolk_ofile_open(&out, path, err)))
		goto done;
	f = out.f;
	for (i = 0; i < w.n; i++) {
		if (w.e[i].off < at)
			continue; /* overlapping: never made, kept safe */
		if (fwrite(x->data + at, 1, w.e[i].off - at, f) !=
			w.e[i].off - at ||
		    fputs(w.e[i].text, f) < 0)
			break;
		at = w.e[i].off + w.e[i].len;
	}
	if (fwrite(x->data + at, 1, x->len - at, f) != x->len - at) {
		rc = tolk_err_set(err, TOLK_EIO, "unable to write '%s': %s",
				  path, strerror(errno));
		tolk_ofile_abort(&out);
		goto done;
	}
	rc = tolk_ofile_commit(&out, err);
done:
	for (i = 0; i < w.n; i++)
		free(w.e[i].text);
	free(w.e);
	tolk_buf_free(&w.b);
	return rc;
}

/* ---- import ----------------------------------------------------------------
 */

static int add_prop(struct tm_unit *u, const char *type, const char *value)
{
	size_t xi;

	if (!value)
		return 0;
	return tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_PROP, value, &xi) ||
	       tm_unit_extra_set_attr(u, xi, "type", type);
}

static int import_seg(struct tm_store *s, struct tm_xliff *x, size_t i,
		      const struct tm_tmx_import_opts *o,
		      struct tm_tmx_import_stats *st, struct tolk_err *err)
{
	const struct tm_xliff_seg *g = &x->segs[i].pub;
	const struct unit *un = &x->units[x->segs[i].unit];
	const char *sl = g->source_lang ? g->source_lang : o->source_lang;
	const char *tl = g->target_lang ? g->target_lang : o->target_lang;
	struct tm_unit *u = NULL;
	struct tolk_err lerr;
	enum tm_add_result res;
	size_t k, xi;
	int rc;

	tolk_err_clear(&lerr);
	if ((rc = tm_unit_new(&u)))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (tm_unit_add_variant(u, sl, g->source, g->source_markup, NULL,
				&lerr) ||
	    tm_unit_add_variant(u, tl, g->target, g->target_markup, NULL,
				&lerr)) {
		rc = tolk_err_set_at(err, TOLK_EINPUT, x->path, g->line, 0,
				     "%s", lerr.msg);
		goto done;
	}
	rc = tm_unit_set_origin(u, x->path) ||
	     tm_unit_set_attr(u, "srclang", sl) ||
	     add_prop(u, "x-xliff-id", g->unit_id[0] ? g->unit_id : NULL) ||
	     add_prop(u, "x-xliff-segment", g->seg_id) ||
	     add_prop(u, "x-xliff-state", g->state) ||
	     add_prop(u, "x-xliff-state-qualifier", g->state_qualifier);
	for (k = 0; k < un->nnotes && !rc; k++)
		rc = tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_NOTE,
				       un->notes[k], &xi);
	if (rc) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	/* the neighbours in document order, as pre-translation sees them */
	if ((rc = tm_context_add_props(
		 u, i > 0 ? x->segs[i - 1].pub.source : NULL,
		 i + 1 < x->nsegs ? x->segs[i + 1].pub.source : NULL, err)))
		goto done;
	if ((rc = tm_store_add(s, u, o->policy, NULL, &res, err))) {
		if (!err->file[0]) {
			char msg[sizeof(err->msg)];

			memcpy(msg, err->msg, sizeof(msg));
			tolk_err_set_at(err, rc, x->path, g->line, 0, "%s",
					msg);
		}
		goto done;
	}
	switch (res) {
	case TM_ADD_INSERTED:
		st->imported++;
		break;
	case TM_ADD_MERGED:
		st->merged++;
		break;
	case TM_ADD_SKIPPED:
		st->skipped_dup++;
		break;
	case TM_ADD_REPLACED:
		st->replaced++;
		break;
	}
done:
	tm_unit_free(u);
	return rc;
}

int tm_xliff_import(struct tm_store *s, const char *path,
		    const struct tm_tmx_import_opts *o,
		    struct tm_tmx_import_stats *st, struct tolk_err *err)
{
	struct tm_xliff *x = NULL;
	size_t i;
	int rc, own = 0;

	memset(st, 0, sizeof(*st));
	if ((rc = tm_xliff_open(&x, path, err)))
		return rc;
	/* all of a file or nothing: a transaction of our own unless the
	 * caller has one open */
	if (tm_store_begin(s, err) == 0)
		own = 1;
	else
		tolk_err_clear(err);
	for (i = 0; i < x->nsegs && !rc; i++) {
		st->read++;
		if (!x->segs[i].pub.target) {
			st->skipped_empty++;
			continue;
		}
		rc = import_seg(s, x, i, o, st, err);
	}
	if (own) {
		if (!rc)
			rc = tm_store_commit(s, err);
		if (rc)
			tm_store_rollback(s);
	}
	tm_xliff_free(x);
	return rc;
}
