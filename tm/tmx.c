/* The TMX reader and importer.  See tm/tmx.h. */
#include "tm/db.h"
#include "tm/match_int.h"
#include "tm/tmx.h"
#include "tm/tmx_int.h"
#include "tm/unit_int.h"
#include "util/buf.h"
#include "util/lang.h"
#include "util/limit.h"
#include "util/text.h"
#include "util/utf8.h"
#include "util/vec.h"
#include "util/xml.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/SAX2.h>
#include <libxml/parserInternals.h>

/* ---- TMX 1.4b vocabulary ---------------------------------------------- */

static const struct {
	const char *elem, *attrs; /* attrs: space-separated, space-wrapped */
} declared[] = {
    {"tmx", " version "},
    {"header", " creationtool creationtoolversion segtype o-tmf adminlang "
	       "srclang datatype o-encoding creationdate creationid "
	       "changedate changeid "},
    {"tu", " tuid o-encoding datatype usagecount lastusagedate "
	   "creationtool creationtoolversion creationdate creationid "
	   "changedate segtype changeid o-tmf srclang "},
    {"tuv", " xml:lang o-encoding datatype usagecount lastusagedate "
	    "creationtool creationtoolversion creationdate creationid "
	    "changedate o-tmf changeid lang "},
    {"note", " o-encoding xml:lang lang "},
    {"prop", " type xml:lang o-encoding lang "},
    {"ude", " name base "},
    {"map", " unicode code ent subst "},
    {"bpt", " i x type "},
    {"ept", " i "},
    {"sub", " datatype type "},
    {"it", " pos x type "},
    {"ph", " x assoc type "},
    {"hi", " x type "},
    {"ut", " x "},
};

int tmx_attr_declared(const char *elem, const char *attr)
{
	char key[80];
	size_t i;

	if (strlen(attr) + 3 > sizeof(key))
		return 0;
	snprintf(key, sizeof(key), " %s ", attr);
	for (i = 0; i < sizeof(declared) / sizeof(declared[0]); i++)
		if (strcmp(declared[i].elem, elem) == 0)
			return strstr(declared[i].attrs, key) != NULL;
	return 0;
}

int tmx_is_date_attr(const char *name)
{
	return strcmp(name, "creationdate") == 0 ||
	       strcmp(name, "changedate") == 0 ||
	       strcmp(name, "lastusagedate") == 0;
}

/* The element and attribute names the reader tests, told apart once per
 * name the parser gives rather than by a strcmp at every test: the
 * callbacks get each name as a pointer into the parser's dictionary, the
 * same pointer for the same name, so a memo keyed by the pointer answers
 * nearly every lookup (see name_kind). */
enum nk {
	NK_OTHER,
	/* elements; NK_BPT to NK_UT hold native code, NK_HI and NK_SUB
	 * text */
	NK_TMX,
	NK_HEADER,
	NK_BODY,
	NK_TU,
	NK_TUV,
	NK_SEG,
	NK_PROP,
	NK_NOTE,
	NK_UDE,
	NK_BPT,
	NK_EPT,
	NK_IT,
	NK_PH,
	NK_UT,
	NK_HI,
	NK_SUB,
	/* attributes, and the xml prefix */
	NK_LANG,
	NK_TYPE,
	NK_I,
	NK_SRCLANG,
	NK_CREATIONDATE,
	NK_CHANGEDATE,
	NK_LASTUSAGEDATE,
	NK_XML,
	NK_COUNT
};

static const char *const nk_names[NK_COUNT] = {
    "",	    "tmx",  "header",  "body",	       "tu",	     "tuv",
    "seg",  "prop", "note",    "ude",	       "bpt",	     "ept",
    "it",   "ph",   "ut",      "hi",	       "sub",	     "lang",
    "type", "i",    "srclang", "creationdate", "changedate", "lastusagedate",
    "xml"};

/* 2 for an inline element that holds native code, 1 for one that holds
 * text, 0 for any other. */
static int inline_kind(int kind)
{
	if (kind >= NK_BPT && kind <= NK_UT)
		return 2;
	return kind == NK_HI || kind == NK_SUB;
}

static int is_date_kind(int kind)
{
	return kind >= NK_CREATIONDATE && kind <= NK_LASTUSAGEDATE;
}

int tmx_escape(struct tolk_buf *b, const char *s, int attr)
{
	const char *p, *run = s;
	const char *rep;

	for (p = s; *p; p++) {
		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '\r':
			/* a literal CR would be read back as a newline */
			rep = "&#13;";
			break;
		case '"':
			rep = attr ? "&quot;" : NULL;
			break;
		case '\t':
			rep = attr ? "&#9;" : NULL;
			break;
		case '\n':
			rep = attr ? "&#10;" : NULL;
			break;
		default:
			rep = NULL;
		}
		if (!rep)
			continue;
		if (tolk_buf_append(b, run, (size_t)(p - run)) ||
		    tolk_buf_puts(b, rep))
			return TOLK_ENOMEM;
		run = p + 1;
	}
	return tolk_buf_append(b, run, (size_t)(p - run));
}

static int pct_append(struct tolk_buf *b, const char *s)
{
	for (; *s; s++) {
		int rc = (*s == '%' || *s == '&' || *s == '=')
			     ? tolk_buf_printf(b, "%%%02X", (unsigned char)*s)
			     : tolk_buf_putc(b, *s);
		if (rc)
			return TOLK_ENOMEM;
	}
	return 0;
}

int tmx_prop_encode(struct tolk_buf *b, const char *name, const char *value)
{
	if ((b->len > 0 && tolk_buf_putc(b, '&')) || pct_append(b, name) ||
	    tolk_buf_putc(b, '=') || pct_append(b, value))
		return TOLK_ENOMEM;
	return 0;
}

/* Decodes one percent-encoded field of length n into out. */
static int pct_decode(struct tolk_buf *out, const char *s, size_t n)
{
	size_t i;
	int hi, lo;

	tolk_buf_reset(out);
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (hi = tolk_hex_digit((unsigned char)s[i + 1])) >= 0 &&
		    (lo = tolk_hex_digit((unsigned char)s[i + 2])) >= 0) {
			if (tolk_buf_putc(out, (char)(hi * 16 + lo)))
				return TOLK_ENOMEM;
			i += 2;
		} else if (tolk_buf_putc(out, s[i])) {
			return TOLK_ENOMEM;
		}
	}
	return 0;
}

static int digits(const char *s, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* v (0 <= v < 10^n) as n decimal digits, zero-padded. */
static void put_digits(char *out, int v, int n)
{
	while (n-- > 0) {
		out[n] = (char)('0' + v % 10);
		v /= 10;
	}
}

int tm_tmx_date(const char *in, char out[17])
{
	int y, mo, d, h = 0, mi = 0, s = 0;
	size_t n = strlen(in);
	const char *t = NULL;

	if (n >= 8 && in[4] != '-') { /* basic form */
		y = digits(in, 4);
		mo = digits(in + 4, 2);
		d = digits(in + 6, 2);
		if (n > 8) {
			if (in[8] != 'T' || n < 15 ||
			    (n > 15 && (n != 16 || in[15] != 'Z')))
				return TOLK_EINPUT;
			h = digits(in + 9, 2);
			mi = digits(in + 11, 2);
			s = digits(in + 13, 2);
		}
	} else if (n >= 10 && in[4] == '-' && in[7] == '-') {
		y = digits(in, 4);
		mo = digits(in + 5, 2);
		d = digits(in + 8, 2);
		if (n > 10) {
			t = in + 10;
			if ((*t != 'T' && *t != ' ') || n < 19 || t[3] != ':' ||
			    t[6] != ':')
				return TOLK_EINPUT;
			h = digits(t + 1, 2);
			mi = digits(t + 4, 2);
			s = digits(t + 7, 2);
			t += 9;
			if (*t == '.') /* fractions of a second */
				for (t++; *t >= '0' && *t <= '9'; t++)
					;
			if (*t == 'Z')
				t++;
			if (*t)
				return TOLK_EINPUT;
		}
	} else {
		return TOLK_EINPUT;
	}
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || s < 0 || s > 60)
		return TOLK_EINPUT;
	/* most dates are written in that form already, digit for digit */
	if (n == 16 && in[4] != '-') {
		memcpy(out, in, 17);
		return 0;
	}
	/* YYYYMMDDThhmmssZ by hand: every <tu> and <tuv> of an import may
	 * carry dates, and snprintf was most of this function */
	put_digits(out, y, 4);
	put_digits(out + 4, mo, 2);
	put_digits(out + 6, d, 2);
	out[8] = 'T';
	put_digits(out + 9, h, 2);
	put_digits(out + 11, mi, 2);
	put_digits(out + 13, s, 2);
	out[15] = 'Z';
	out[16] = '\0';
	return 0;
}

/* ---- reader ------------------------------------------------------------ */

/* Units the row writer is done with, emptied for the next <tu>s: the
 * reader thread reads on with the same few hundred units rather than
 * allocate one per <tu> (and free it, from the thread that made it). */
#define POOL_MAX 2176 /* the read-ahead queue's units and a few more */

struct tmx_pool {
	struct tm_unit **u;
	size_t n, cap;
};

/* Bytes of a unit the reader writes first, from its start: the unit's
 * fields and the first of its arena (a <tu> of two sentences and
 * tm_store_prepare's work). */
#define POOL_WARM 1024

int tmx_pool_unit(struct tmx_pool *p, struct tm_unit **out)
{
	size_t i;

	if (p && p->n) {
		*out = p->u[--p->n];
		tm_unit_reset(*out);
		/* A unit comes back after a round through the queue (a few
		 * megabytes), read last on the writer's core: the reader's
		 * first stores to it each waited for its line.  The next
		 * one's lines are asked for now, a unit's reading ahead. */
		if (p->n)
			for (i = 0; i < POOL_WARM; i += 64)
				__builtin_prefetch((char *)p->u[p->n - 1] + i,
						   1);
		return 0;
	}
	return tm_unit_new(out);
}

/* Keeps the units u[0..n) in p, to be emptied when taken, up to
 * POOL_MAX; frees the rest and the array u. */
static void pool_put(struct tmx_pool *p, struct tm_unit **u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p->n < POOL_MAX &&
		    TOLK_GROW(p->u, p->cap, p->n + 1, 64) == 0) {
			/* one that outgrew its own space (a long segment)
			 * gives its blocks back now, not when it is taken */
			if (u[i]->arena.blocks)
				tm_unit_reset(u[i]);
			p->u[p->n++] = u[i];
		} else {
			tm_unit_free(u[i]);
		}
	}
	free(u);
}

static void pool_free(struct tmx_pool *p)
{
	while (p->n)
		tm_unit_free(p->u[--p->n]);
	free(p->u);
	p->u = NULL;
	p->cap = 0;
}

/* The reader is libxml2's SAX2 push parser fed by read(2), not its
 * xmlTextReader: the reader built a libxml2 tree of every <tu> (a node,
 * a name and a text node per attribute, each malloc'd and freed) and
 * stepped through it node by node, which cost as much as the parse
 * itself.  Here the callbacks build a small tree of their own for the
 * one <tu> (or <header>) being read, from blocks and one text buffer
 * kept from unit to unit, and the unit is made from it at its end tag.
 * What is outside a <tu> or the header is never kept. */

enum xn_type { XN_ELEM, XN_TEXT, XN_CDATA, XN_ENTREF };

/* An attribute: name (libxml2's dictionary), ns its namespace prefix
 * when it is in one ("xml" for xml:lang), value decoded as
 * xmlNodeGetContent would give it. */
struct xa {
	const char *name, *prefix;
	int ns;
	int kind; /* name's enum nk */
	int xml;  /* in the xml namespace (xml:lang) */
	const char *value;
	size_t voff; /* value's offset in rd->txt until the tree is done */
	struct xa *next;
};

struct xn {
	enum xn_type type;
	const char *name; /* element or entity name; NULL for text */
	int kind;	  /* an element's name's enum nk */
	struct xn *parent, *children, *last, *next, *prev;
	struct xa *attrs;
	const char *content; /* text and CDATA, NUL-terminated */
	size_t off, len;     /* content in rd->txt until the tree is done */
	unsigned long line;
};

#define XBLOCK 256 /* nodes (or attributes) a block */

/* Blocks of nodes or attributes handed out in order and all taken back
 * at once: a unit's tree costs no malloc once the first units have
 * grown the blocks. */
struct xpool {
	void **blocks;
	size_t nblocks, cap, used, size;
};

static void *xpool_get(struct xpool *p)
{
	size_t b = p->used / XBLOCK;
	char *blk;

	if (b == p->nblocks) {
		if (TOLK_GROW(p->blocks, p->cap, b + 1, 8) ||
		    !(p->blocks[b] = malloc(XBLOCK * p->size)))
			return NULL;
		p->nblocks++;
	}
	blk = p->blocks[b];
	/* not cleared: the caller sets every field, in stores of its own
	 * rather than a call to memset for each */
	return blk + (p->used++ % XBLOCK) * p->size;
}

static void *xpool_at(const struct xpool *p, size_t i)
{
	return (char *)p->blocks[i / XBLOCK] + (i % XBLOCK) * p->size;
}

static void xpool_free(struct xpool *p)
{
	while (p->nblocks)
		free(p->blocks[--p->nblocks]);
	free(p->blocks);
}

/* A name of the parser's dictionary and its enum nk. */
struct name_memo {
	const char *p;
	int kind;
};

#define NAME_MEMO 64 /* name_kind takes six bits of a hash */

struct rd {
	const struct tm_tmx_read_opts *o;
	tmx_take_fn take;      /* NULL: o->unit and o->header borrow */
	struct tmx_pool *pool; /* NULL: none */
	const char *name;      /* for messages */
	xmlParserCtxtPtr ctxt;
	struct tolk_err *err;
	int failed;  /* err holds the first error */
	int stopped; /* the parser was told to stop */
	int fd, io_errno;
	int filter;
	unsigned long ctl_removed;
	unsigned long long bytes;
	/* the element depth, the depth below which a subtree is skipped (0
	 * for none) and whether the root was met */
	int depth, skip_below, seen_root;
	/* the tree being built: its root (a <tu> or the <header>), the
	 * element being filled and the text node that may grow */
	struct xn *root, *cur, *open_text;
	struct xpool nodes, attrs;
	struct tolk_buf txt;
	int root_is_tu;
	/* bytes fed when the current <tu> began */
	unsigned long long tu_start;
	unsigned long tu_line;
	struct tolk_buf text, markup, body, tmp, tmp2;
	char srclang[TOLK_LANG_MAX]; /* the header's, "" for none */
	int lang_style;		     /* 1: lang, 2: xml:lang, 3: warned */
	/* inline pairing in the current <seg>: open <bpt i> values */
	char open_i[16][24];
	int nopen;
	char pairing[160]; /* first pairing problem, "" for none */
	char seg_msg[256]; /* why a segment was dropped (recover) */
	unsigned long tu, units, empty, dropped;
	struct name_memo names[NAME_MEMO];
	/* the tag each <tuv> at a place in its <tu> had last time, and its
	 * canonical form (rc: tolk_lang_canon's answer; raw "" for none):
	 * the tags of a file's units repeat, and tolk_lang_canon's memo
	 * costs a call, string compares and a copy each time */
	struct {
		char raw[16];
		char canon[TOLK_LANG_MAX];
		int rc;
	} tags[4];
};

static void warn(struct rd *rd, unsigned long line, unsigned long col,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void warn(struct rd *rd, unsigned long line, unsigned long col,
		 const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!rd->o->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rd->o->warn(rd->o->ctx, rd->name, line, col, msg);
}

/* Stops the parser: no callback comes after this one. */
static void stop(struct rd *rd)
{
	if (!rd->stopped && rd->ctxt) {
		rd->stopped = 1;
		xmlStopParser(rd->ctxt);
	}
}

static int fail_at(struct rd *rd, unsigned long line, unsigned long col,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int fail_at(struct rd *rd, unsigned long line, unsigned long col,
		   const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (rd->failed)
		return rd->err ? rd->err->code : TOLK_EINPUT;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rd->failed = 1;
	stop(rd);
	return tolk_err_set_at(rd->err, TOLK_EINPUT, rd->name, line, col, "%s",
			       msg);
}

static int oom(struct rd *rd)
{
	rd->failed = 1;
	stop(rd);
	return tolk_err_set(rd->err, TOLK_ENOMEM, "out of memory");
}

/* The parser's context calls back with ctx, itself or (inside an
 * entity's text, which libxml2 parses apart) a context of its own: both
 * carry the reader in _private. */
static struct rd *rd_of(void *ctx)
{
	return ((xmlParserCtxtPtr)ctx)->_private;
}

/* The enum nk of a name the parser gave.  The pointer is the memo's key
 * only for a name of the parser's dictionary, which stays where it is
 * until the parse ends; a name from anywhere else is compared as a
 * string each time. */
static int name_kind(struct rd *rd, const char *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ULL;
	struct name_memo *m = &rd->names[h >> 58 & (NAME_MEMO - 1)];
	int k;

	if (m->p == p)
		return m->kind;
	for (k = NK_COUNT - 1; k > NK_OTHER; k--)
		if (strcmp(nk_names[k], p) == 0)
			break;
	if (xmlDictOwns(rd->ctxt->dict, (const xmlChar *)p) == 1) {
		m->p = p;
		m->kind = k;
	}
	return k;
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	struct rd *rd = rd_of(ctx);
	char msg[1024];
	size_t n;

	if (!rd || rd->failed)
		return;
	snprintf(msg, sizeof(msg), "%s", e->message ? e->message : "error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	if (e->level == XML_ERR_WARNING) {
		warn(rd, (unsigned long)e->line, (unsigned long)e->int2, "%s",
		     msg);
		return;
	}
	if (rd->o->flags & TM_TMX_RECOVER) {
		warn(rd, (unsigned long)e->line, (unsigned long)e->int2,
		     "recovered from: %s", msg);
		return;
	}
	fail_at(rd, (unsigned long)e->line, (unsigned long)e->int2, "%s", msg);
}

/* Reads the next bytes of the file into buf: counts them for the
 * progress bar and, when recovering, drops the C0 control characters
 * some tools write and XML 1.0 forbids.  The number kept, 0 at the end,
 * -1 on a read error (rd->io_errno). */
static ssize_t read_chunk(struct rd *rd, char *buf, size_t len)
{
	ssize_t n, i, j;

	for (;;) {
		do
			n = read(rd->fd, buf, len);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			rd->io_errno = errno;
			return -1;
		}
		if (rd->bytes == 0 && n > 0) {
			const unsigned char *u = (const unsigned char *)buf;

			/* UTF-16 text has NUL bytes in every ASCII char */
			rd->filter =
			    (rd->o->flags & TM_TMX_RECOVER) &&
			    !(n >= 2 && (u[0] == 0 || u[1] == 0 ||
					 (u[0] == 0xff && u[1] == 0xfe) ||
					 (u[0] == 0xfe && u[1] == 0xff)));
		}
		rd->bytes += (unsigned long long)n;
		if (!rd->filter || n == 0)
			return n;
		for (i = j = 0; i < n; i++) {
			unsigned char c = (unsigned char)buf[i];

			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
				rd->ctl_removed++;
				continue;
			}
			buf[j++] = buf[i];
		}
		if (j > 0)
			return j;
	}
}

/* Copies s to out[at..], cut to fit outlen with its NUL as snprintf
 * would; returns where the copy ended. */
static size_t copy_cut(char *out, size_t outlen, size_t at, const char *s)
{
	size_t n = strlen(s);

	if (n > outlen - 1 - at)
		n = outlen - 1 - at;
	memcpy(out + at, s, n);
	out[at + n] = '\0';
	return at + n;
}

/* The attribute's name as TMX spells it ("xml:lang"), cut to outlen - 1
 * bytes: the parser's own string when it fits, else a copy in out.
 * NULL to skip an attribute from a foreign namespace (warned).  n is its
 * element.  It runs for every attribute of every unit: a known name is
 * neither measured nor copied. */
static const char *attr_name(struct rd *rd, const struct xn *n,
			     const struct xa *a, char *out, size_t outlen)
{
	if (a->ns && a->prefix) {
		if (a->xml) {
			if (a->kind == NK_LANG)
				return "xml:lang";
			copy_cut(out, outlen, copy_cut(out, outlen, 0, "xml:"),
				 a->name);
			return out;
		}
		warn(rd, n->line, 0,
		     "attribute '%s:%s' of <%s> is in a foreign namespace: "
		     "ignored",
		     a->prefix, a->name, n->name);
		return NULL;
	}
	if (a->kind != NK_OTHER || strnlen(a->name, outlen) < outlen)
		return a->name;
	copy_cut(out, outlen, 0, a->name);
	return out;
}

/* The enum nk of the name attr_name gives a, when it is one without a
 * prefix. */
static int attr_kind(const struct xa *a)
{
	return a->ns && a->prefix ? NK_OTHER : a->kind;
}

/* The default a DTD in the document gives n's attribute name (in the
 * xml namespace when xml), as libxml2's tree would answer for it; NULL
 * for none.  Only a document with an internal subset has any. */
static const char *dtd_default(struct rd *rd, const struct xn *n,
			       const char *name, int xml)
{
	xmlDocPtr doc = rd->ctxt ? rd->ctxt->myDoc : NULL;
	xmlAttributePtr d;

	if (!doc || !doc->intSubset)
		return NULL;
	d = xml ? xmlGetDtdQAttrDesc(doc->intSubset, (const xmlChar *)n->name,
				     (const xmlChar *)name,
				     (const xmlChar *)"xml")
		: xmlGetDtdAttrDesc(doc->intSubset, (const xmlChar *)n->name,
				    (const xmlChar *)name);
	return d && d->defaultValue ? (const char *)d->defaultValue : NULL;
}

/* The value of n's attribute name (of enum nk kind), in the xml
 * namespace when xml, or without a namespace; a DTD's default when n has
 * none; else NULL. */
static const char *attr_get(struct rd *rd, const struct xn *n, int kind,
			    int xml)
{
	const struct xa *a;

	for (a = n->attrs; a; a = a->next)
		if (a->kind == kind && (xml ? a->xml : !a->ns))
			return a->value;
	return dtd_default(rd, n, nk_names[kind], xml);
}

static unsigned long node_line(const struct xn *n)
{
	/* an entity reference has no line of its own: libxml2 gives it
	 * the line of what is before it, or of its element */
	if (n->type == XN_ENTREF || n->type == XN_CDATA) {
		if (n->prev &&
		    (n->prev->type == XN_ELEM || n->prev->type == XN_TEXT))
			return n->prev->line;
		return n->parent ? n->parent->line : 0;
	}
	return n->line;
}

/* A segment that cannot be read: an error, or when recovering 1 with the
 * reason in rd->seg_msg (the caller drops the <tuv>). */
static int seg_fail(struct rd *rd, const struct xn *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int seg_fail(struct rd *rd, const struct xn *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rd->seg_msg, sizeof(rd->seg_msg), fmt, ap);
	va_end(ap);
	if (rd->o->flags & TM_TMX_RECOVER)
		return 1;
	return fail_at(rd, node_line(n), 0, "%s", rd->seg_msg);
}

static int check_size(struct rd *rd, const struct xn *n)
{
	if (rd->text.len > TM_TMX_MAX_SEG_BYTES ||
	    rd->markup.len > TM_TMX_MAX_SEG_BYTES)
		return seg_fail(rd, n, "segment longer than %d bytes",
				TM_TMX_MAX_SEG_BYTES);
	return 0;
}

/* Notes the first broken <bpt>/<ept> pairing in a segment: the spec
 * wants each bpt closed by a later ept with the same i. */
static void track_pairing(struct rd *rd, const struct xn *c)
{
	int is_bpt = c->kind == NK_BPT, k;
	const char *iv;
	char i[24];

	if (!is_bpt && c->kind != NK_EPT)
		return;
	iv = attr_get(rd, c, NK_I, 0);
	copy_cut(i, sizeof(i), 0, iv ? iv : "");
	for (k = 0; k < rd->nopen; k++)
		if (strcmp(rd->open_i[k], i) == 0)
			break;
	if (is_bpt) {
		if (k < rd->nopen && !rd->pairing[0])
			snprintf(rd->pairing, sizeof(rd->pairing),
				 "two <bpt i=\"%s\"> open at once", i);
		else if (rd->nopen < 16)
			snprintf(rd->open_i[rd->nopen++], sizeof(rd->open_i[0]),
				 "%s", i);
	} else if (k == rd->nopen) {
		if (!rd->pairing[0])
			snprintf(rd->pairing, sizeof(rd->pairing),
				 "<ept i=\"%s\"> without a <bpt> before it", i);
	} else {
		memmove(rd->open_i[k], rd->open_i[k + 1],
			(size_t)(rd->nopen - k - 1) * sizeof(rd->open_i[0]));
		rd->nopen--;
	}
}

/* Appends the content of a <seg> (or of an inline element in it) to
 * rd->markup, and to rd->text what is not native code. */
static int seg_walk(struct rd *rd, const struct xn *n, int in_code, int depth,
		    int *has_elem)
{
	const struct xn *c;
	const struct xa *a;
	const char *an;
	char anbuf[128];
	int rc, kind;

	for (c = n->children; c; c = c->next) {
		switch (c->type) {
		case XN_TEXT:
		case XN_CDATA:
			if (tmx_escape(&rd->markup, c->content, 0) ||
			    (!in_code &&
			     tolk_buf_append(&rd->text, c->content, c->len)))
				return oom(rd);
			if ((rc = check_size(rd, c)))
				return rc;
			break;
		case XN_ENTREF:
			return seg_fail(rd, c,
					"entity reference '&%s;' in <seg>: TMX "
					"uses no entities",
					c->name);
		case XN_ELEM:
			if (depth + 1 > TM_TMX_MAX_INLINE_DEPTH)
				return seg_fail(rd, c,
						"inline markup nested deeper "
						"than %d levels",
						TM_TMX_MAX_INLINE_DEPTH);
			kind = inline_kind(c->kind);
			if (!kind) {
				warn(rd, node_line(c), 0,
				     "<%s> is not TMX inline markup: tag "
				     "dropped, its text kept",
				     c->name);
				if ((rc = seg_walk(rd, c, in_code, depth + 1,
						   has_elem)))
					return rc;
				break;
			}
			*has_elem = 1;
			track_pairing(rd, c);
			/* put, not printf'd: a segment of inline markup spent
			 * as much in vfprintf as in the rest of its walk */
			if (tolk_buf_putc(&rd->markup, '<') ||
			    tolk_buf_puts(&rd->markup, c->name))
				return oom(rd);
			for (a = c->attrs; a; a = a->next) {
				if (!(an = attr_name(rd, c, a, anbuf,
						     sizeof(anbuf))))
					continue;
				if (!tmx_attr_declared(c->name, an)) {
					warn(rd, node_line(c), 0,
					     "attribute '%s' of <%s> is not "
					     "TMX 1.4b: dropped",
					     an, c->name);
					continue;
				}
				if (tolk_buf_putc(&rd->markup, ' ') ||
				    tolk_buf_puts(&rd->markup, an) ||
				    tolk_buf_puts(&rd->markup, "=\"") ||
				    tmx_escape(&rd->markup, a->value, 1) ||
				    tolk_buf_putc(&rd->markup, '"'))
					return oom(rd);
			}
			if (!c->children) {
				if (tolk_buf_puts(&rd->markup, "/>"))
					return oom(rd);
				break;
			}
			if (tolk_buf_putc(&rd->markup, '>'))
				return oom(rd);
			if ((rc = seg_walk(rd, c, in_code || kind == 2,
					   depth + 1, has_elem)))
				return rc;
			if (tolk_buf_puts(&rd->markup, "</") ||
			    tolk_buf_puts(&rd->markup, c->name) ||
			    tolk_buf_putc(&rd->markup, '>'))
				return oom(rd);
			if ((rc = check_size(rd, c)))
				return rc;
			break;
		}
	}
	return 0;
}

/* A <seg> of text alone (no inline element, no entity): its text goes to
 * rd->text and no markup is built, since none is stored for it.  Escaping
 * at most quintuples a byte, so a text of up to a fifth of the limit
 * cannot fail the size check seg_walk makes on the markup.  1 when done,
 * with *text the segment's text (the tree's own when it is one node, as
 * nearly always: no copy) and *len its bytes, 0 to leave it to seg_walk,
 * or an error. */
static int seg_plain(struct rd *rd, const struct xn *seg, const char **text,
		     size_t *len)
{
	const struct xn *c;

	for (c = seg->children; c; c = c->next)
		if (c->type != XN_TEXT && c->type != XN_CDATA)
			return 0;
	c = seg->children;
	if (!c || (!c->next && c->len <= TM_TMX_MAX_SEG_BYTES / 5)) {
		*text = c ? c->content : "";
		*len = c ? c->len : 0;
		return 1;
	}
	for (; c; c = c->next) {
		if (tolk_buf_append(&rd->text, c->content, c->len))
			return oom(rd);
		if (rd->text.len > TM_TMX_MAX_SEG_BYTES / 5) {
			tolk_buf_reset(&rd->text);
			return 0;
		}
	}
	*text = tolk_buf_str(&rd->text);
	*len = rd->text.len;
	return 1;
}

/* Appends s[0..n) to b with its references resolved as libxml2's tree
 * reads them back: character references decoded, an internal entity's
 * text in place of its reference (depth bounds the nesting), others
 * (external, undeclared) as nothing. */
static int refs_append(struct rd *rd, struct tolk_buf *b, const char *s,
		       size_t n, int depth)
{
	const char *p = s, *end = s + n, *amp, *semi;
	xmlEntityPtr ent;
	char name[128];
	int rc;

	while ((amp = memchr(p, '&', (size_t)(end - p)))) {
		if (tolk_buf_append(b, p, (size_t)(amp - p)))
			return TOLK_ENOMEM;
		semi = memchr(amp, ';', (size_t)(end - amp));
		if (!semi) {
			p = amp;
			break;
		}
		p = semi + 1;
		if (amp[1] == '#') {
			unsigned long v = 0;
			const char *d = amp + 2;
			int hex = *d == 'x';
			char u[8];
			int k;

			for (d += hex; d < semi; d++) {
				int x = hex ? tolk_hex_digit((unsigned char)*d)
					    : (*d >= '0' && *d <= '9' ? *d - '0'
								      : -1);
				if (x < 0 || v > 0x10ffff)
					break;
				v = v * (hex ? 16 : 10) + (unsigned long)x;
			}
			if (d < semi || v > 0x10ffff)
				continue;
			k = v ? xmlCopyCharMultiByte((xmlChar *)u, (int)v) : 0;
			if (k > 0 && tolk_buf_append(b, u, (size_t)k))
				return TOLK_ENOMEM;
			continue;
		}
		if ((size_t)(semi - amp) > sizeof(name) || depth > 40)
			continue;
		memcpy(name, amp + 1, (size_t)(semi - amp - 1));
		name[semi - amp - 1] = '\0';
		ent = rd->ctxt ? xmlGetDocEntity(rd->ctxt->myDoc,
						 (const xmlChar *)name)
			       : NULL;
		if (!ent || !ent->content ||
		    (ent->etype != XML_INTERNAL_PREDEFINED_ENTITY &&
		     ent->etype != XML_INTERNAL_GENERAL_ENTITY))
			continue;
		if (ent->etype == XML_INTERNAL_PREDEFINED_ENTITY)
			rc = tolk_buf_puts(b, (const char *)ent->content);
		else
			rc = refs_append(rd, b, (const char *)ent->content,
					 strlen((const char *)ent->content),
					 depth + 1);
		if (rc)
			return rc;
		if (b->len > TM_TMX_MAX_TU_BYTES)
			return TOLK_ENOMEM;
	}
	return tolk_buf_append(b, p, (size_t)(end - p));
}

/* Appends the text of n and of all below it to b, as
 * xmlNodeGetContent reads an element. */
static int elem_content(struct rd *rd, const struct xn *n, struct tolk_buf *b)
{
	const struct xn *c;
	int rc;

	for (c = n->children; c; c = c->next) {
		if (c->type == XN_TEXT || c->type == XN_CDATA)
			rc = tolk_buf_append(b, c->content, c->len);
		else if (c->type == XN_ENTREF) {
			char ref[160];

			snprintf(ref, sizeof(ref), "&%s;", c->name);
			rc = refs_append(rd, b, ref, strlen(ref), 0);
		} else
			rc = elem_content(rd, c, b);
		if (rc)
			return rc;
	}
	return 0;
}

/* Splits an x-tolk-prop type into attributes of extra xi. */
static int decode_prop(struct rd *rd, struct tm_unit *u, size_t xi,
		       const char *enc)
{
	const char *p = enc;

	while (*p) {
		const char *amp = strchr(p, '&'), *eq;
		size_t n = amp ? (size_t)(amp - p) : strlen(p);

		eq = memchr(p, '=', n);
		if (eq) {
			if (pct_decode(&rd->tmp, p, (size_t)(eq - p)) ||
			    pct_decode(&rd->tmp2, eq + 1,
				       n - (size_t)(eq - p) - 1) ||
			    tm_unit_extra_set_attr(u, xi,
						   tolk_buf_str(&rd->tmp),
						   tolk_buf_str(&rd->tmp2)))
				return oom(rd);
		}
		p += n;
		if (*p == '&')
			p++;
	}
	return 0;
}

/* A <prop> or <note> at unit level (level TM_UNIT_LEVEL) or of variant
 * level.  Returns 0 or an error. */
static int add_extra(struct rd *rd, struct tm_unit *u, size_t level,
		     const struct xn *n)
{
	int is_prop = n->kind == NK_PROP;
	struct tolk_buf value = TOLK_BUF_INIT;
	const char *v, *type = NULL, *an;
	const struct xa *a;
	char anbuf[128];
	size_t xi;
	int rc = 0;

	if (elem_content(rd, n, &value))
		goto nomem;
	v = tolk_buf_str(&value);
	if (is_prop)
		type = attr_get(rd, n, NK_TYPE, 0);
	if (type && strncmp(type, TMX_ATTR_PROP, strlen(TMX_ATTR_PROP)) == 0) {
		const char *name = type + strlen(TMX_ATTR_PROP);

		if (level == TM_UNIT_LEVEL)
			rc = tm_unit_set_attr(u, name, v);
		else
			rc = tm_unit_variant_set_attr(u, level, name, v);
		if (rc)
			goto nomem;
		goto done;
	}
	if (tm_unit_add_extra(u, level, is_prop ? TM_EXTRA_PROP : TM_EXTRA_NOTE,
			      v, &xi))
		goto nomem;
	for (a = n->attrs; a; a = a->next) {
		if (!(an = attr_name(rd, n, a, anbuf, sizeof(anbuf))))
			continue;
		if (is_prop && attr_kind(a) == NK_TYPE &&
		    strncmp(a->value, TMX_PROP_PROP, strlen(TMX_PROP_PROP)) ==
			0) {
			if ((rc = decode_prop(
				 rd, u, xi, a->value + strlen(TMX_PROP_PROP))))
				goto done;
		} else if (tm_unit_extra_set_attr(u, xi, an, a->value)) {
			goto nomem;
		}
	}
	goto done;
nomem:
	rc = oom(rd);
done:
	tolk_buf_free(&value);
	return rc;
}

/* Fails on an entity reference among the children of a <tu> or <tuv>;
 * 0 for any other node. */
static int refuse_entity(struct rd *rd, const struct xn *c)
{
	if (c->type != XN_ENTREF)
		return 0;
	return fail_at(rd, node_line(c), 0,
		       "entity reference '&%s;': TMX uses no entities",
		       c->name);
}

/* Whether the strings a and b are the same; for short ones, inline. */
static inline int same_str(const char *a, const char *b)
{
	size_t i;

	for (i = 0; a[i] == b[i]; i++)
		if (!a[i])
			return 1;
	return 0;
}

/* tolk_lang_canon(tag) into *canon, through rd->tags by the variant's
 * place in its unit: 0 or tolk_lang_canon's error. */
static int tag_canon(struct rd *rd, size_t place, const char *tag,
		     const char **canon)
{
	size_t slot = place % (sizeof(rd->tags) / sizeof(rd->tags[0]));
	char *raw = rd->tags[slot].raw;
	int rc;

	if (tag[0] && same_str(raw, tag)) {
		*canon = rd->tags[slot].canon;
		return rd->tags[slot].rc;
	}
	raw[0] = '\0';
	rc = tolk_lang_canon(tag, rd->tags[slot].canon, TOLK_LANG_MAX);
	if (tag[0] && strlen(tag) < sizeof(rd->tags[slot].raw)) {
		memcpy(raw, tag, strlen(tag) + 1);
		rd->tags[slot].rc = rc;
	}
	*canon = rd->tags[slot].canon;
	return rc;
}

/* A <tuv> that cannot be read: an error, or when recovering a warning
 * and 1 (the caller drops it). */
static int bad_tuv(struct rd *rd, const struct xn *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad_tuv(struct rd *rd, const struct xn *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (rd->o->flags & TM_TMX_RECOVER) {
		rd->dropped++;
		warn(rd, node_line(n), 0, "dropped <tuv>: %s", msg);
		return 1;
	}
	return fail_at(rd, node_line(n), 0, "%s", msg);
}

static int add_tuv(struct rd *rd, struct tm_unit *u, const struct xn *n)
{
	const char *lang, *xml_lang, *text = NULL, *an, *canon;
	const struct xn *c, *seg = NULL;
	const struct xa *a;
	char anbuf[128], date[17];
	size_t vi, tlen = 0;
	int rc = 0, has_elem = 0, style;

	lang = xml_lang = attr_get(rd, n, NK_LANG, 1);
	style = 2;
	if (!lang) {
		lang = attr_get(rd, n, NK_LANG, 0);
		style = 1;
	}
	if (lang && rd->lang_style == 0) {
		rd->lang_style = style;
	} else if (lang && rd->lang_style != 3 && rd->lang_style != style) {
		warn(rd, node_line(n), 0,
		     "<tuv> uses %s where earlier ones use %s: both read",
		     style == 2 ? "xml:lang" : "lang",
		     style == 2 ? "lang" : "xml:lang");
		rd->lang_style = 3;
	}
	for (c = n->children; c; c = c->next) {
		if ((rc = refuse_entity(rd, c)))
			return rc;
		if (c->type != XN_ELEM)
			continue;
		if (c->kind == NK_SEG) {
			if (seg) {
				rc = bad_tuv(rd, c,
					     "<tuv> has more than one "
					     "<seg>");
				return rc < 0 ? rc : 0;
			}
			seg = c;
		} else if (seg && (c->kind == NK_PROP || c->kind == NK_NOTE)) {
			warn(rd, node_line(c), 0,
			     "<%s> after <seg>: read as if before it", c->name);
		}
	}
	if (!lang) {
		rc = bad_tuv(rd, n, "<tuv> has no xml:lang");
		return rc < 0 ? rc : 0;
	}
	if (!seg) {
		rc = bad_tuv(rd, n, "<tuv> has no <seg>");
		return rc < 0 ? rc : 0;
	}
	tolk_buf_reset(&rd->text);
	tolk_buf_reset(&rd->markup);
	rd->nopen = 0;
	rd->pairing[0] = '\0';
	if ((rc = seg_plain(rd, seg, &text, &tlen)) == 1)
		rc = 0;
	else if (rc == 0 && (rc = seg_walk(rd, seg, 0, 0, &has_elem)) > 0)
		rc = bad_tuv(rd, seg, "%s", rd->seg_msg);
	else {
		text = tolk_buf_str(&rd->text);
		tlen = rd->text.len;
	}
	if (rc)
		return rc < 0 ? rc : 0;
	if (!rd->pairing[0] && rd->nopen > 0)
		snprintf(rd->pairing, sizeof(rd->pairing),
			 "<bpt i=\"%s\"> without an <ept>", rd->open_i[0]);
	if (rd->pairing[0])
		warn(rd, node_line(seg), 0,
		     "unbalanced inline tags: %s (kept as written)",
		     rd->pairing);
	if (tag_canon(rd, tm_unit_variant_count(u), lang, &canon)) {
		rc = bad_tuv(rd, n, "'%s' is not a language tag", lang);
		return rc < 0 ? rc : 0;
	}
	/* the parser gives no NUL in text: the length is the string's */
	if (tm_unit_add_variant_canon(
		u, canon, text, tlen,
		has_elem ? tolk_buf_str(&rd->markup) : NULL, &vi))
		return oom(rd);
	for (a = n->attrs; a; a = a->next) {
		const char *val = a->value;

		if (!(an = attr_name(rd, n, a, anbuf, sizeof(anbuf))) ||
		    (a->xml && a->kind == NK_LANG) ||
		    (attr_kind(a) == NK_LANG && !xml_lang))
			continue;
		if (is_date_kind(attr_kind(a)) && tm_tmx_date(val, date) == 0)
			val = date;
		if (tm_unit_variant_set_attr(u, vi, an, val))
			return oom(rd);
	}
	for (c = n->children; c; c = c->next)
		if (c->type == XN_ELEM &&
		    (c->kind == NK_PROP || c->kind == NK_NOTE) &&
		    (rc = add_extra(rd, u, vi, c)))
			return rc < 0 ? rc : 0;
	return 0;
}

static int read_tu(struct rd *rd, const struct xn *n)
{
	struct tm_unit *u = NULL;
	const struct xn *c;
	const struct xa *a;
	const char *an;
	char anbuf[128], date[17], canon[TOLK_LANG_MAX];
	int rc = 0, ntuv = 0, has_srclang = 0;

	rd->tu++;
	if (tmx_pool_unit(rd->pool, &u))
		goto nomem;
	/* rd->name is the caller's path (or a literal), kept through the
	 * import and beyond its units */
	tm_unit_set_origin_ref(u, rd->name);
	for (a = n->attrs; a; a = a->next) {
		const char *val = a->value;

		if (!(an = attr_name(rd, n, a, anbuf, sizeof(anbuf))))
			continue;
		if (attr_kind(a) == NK_SRCLANG)
			has_srclang = 1;
		if (attr_kind(a) == NK_SRCLANG &&
		    tolk_lang_canon(val, canon, sizeof(canon)) == 0)
			val = canon;
		else if (is_date_kind(attr_kind(a)) &&
			 tm_tmx_date(val, date) == 0)
			val = date;
		if (tm_unit_set_attr(u, an, val))
			goto nomem;
	}
	if (!has_srclang && rd->srclang[0] &&
	    tm_unit_set_default_srclang(u, rd->srclang))
		goto nomem;
	for (c = n->children; c; c = c->next) {
		if ((rc = refuse_entity(rd, c)))
			goto done;
		if (c->type != XN_ELEM)
			continue;
		if (c->kind == NK_TUV && ++ntuv > TOLK_MAX_TU_VARIANTS) {
			if (!(rd->o->flags & TM_TMX_RECOVER)) {
				rc = fail_at(rd, node_line(c), 0,
					     "more than the limit of %d <tuv> "
					     "(languages) in one <tu>",
					     TOLK_MAX_TU_VARIANTS);
				goto done;
			}
			if (ntuv == TOLK_MAX_TU_VARIANTS + 1)
				warn(rd, node_line(c), 0,
				     "more than %d <tuv> in one <tu>: the rest "
				     "dropped",
				     TOLK_MAX_TU_VARIANTS);
			rd->dropped++;
		} else if (c->kind == NK_TUV)
			rc = add_tuv(rd, u, c);
		else if (c->kind == NK_PROP || c->kind == NK_NOTE)
			rc = add_extra(rd, u, TM_UNIT_LEVEL, c);
		else
			warn(rd, node_line(c), 0,
			     "unknown element <%s> in <tu>: ignored", c->name);
		if (rc)
			goto done;
	}
	if (tm_unit_variant_count(u) == 0) {
		rd->empty++;
		warn(rd, node_line(n), 0, "<tu> without <tuv>: skipped");
		goto done;
	}
	rd->units++;
	if (rd->take) {
		rc = rd->take(rd->o->ctx, u, NULL, node_line(n));
		u = NULL;
		if (rc == TOLK_ENOMEM) {
			rc = oom(rd);
		} else if (rc) {
			rd->failed = 1;
			stop(rd);
			tolk_err_set(rd->err, rc, "reading stopped");
		}
	} else if (rd->o->unit) {
		tolk_err_clear(rd->err);
		rc = rd->o->unit(rd->o->ctx, u, node_line(n), rd->err);
		if (rc) {
			rd->failed = 1;
			stop(rd);
		}
	}
	goto done;
nomem:
	rc = oom(rd);
done:
	tm_unit_free(u);
	return rc;
}

/* Serialises a header child (note, prop, ude) as export writes it. */
static int ser_elem(struct rd *rd, struct tolk_buf *b, const struct xn *n)
{
	const char *name = n->name, *an;
	int is_prop = n->kind == NK_PROP;
	struct tolk_buf enc = TOLK_BUF_INIT;
	const struct xn *c;
	const struct xa *a;
	char anbuf[128];
	int rc = 0, pass;

	if (tolk_buf_printf(b, "<%s", name))
		goto nomem;
	/* A prop's undeclared attributes (and then its type) travel in an
	 * x-tolk-prop type; other elements lose them, with a warning. */
	if (is_prop) {
		int undeclared = 0, typed = 0;

		for (a = n->attrs; a; a = a->next) {
			if (a->ns)
				continue;
			if (a->kind == NK_TYPE)
				typed = 1;
			else if (!tmx_attr_declared(name, a->name))
				undeclared = 1;
		}
		if (undeclared || !typed) {
			for (pass = 0; pass < 2; pass++)
				for (a = n->attrs; a; a = a->next) {
					int is_type;

					if (a->ns)
						continue;
					is_type = a->kind == NK_TYPE;
					if (is_type != (pass == 0) ||
					    (!is_type &&
					     tmx_attr_declared(name, a->name)))
						continue;
					if (tmx_prop_encode(&enc, a->name,
							    a->value))
						goto nomem;
				}
			if (tolk_buf_puts(b, " type=\"" TMX_PROP_PROP) ||
			    tmx_escape(b, tolk_buf_str(&enc), 1) ||
			    tolk_buf_putc(b, '"'))
				goto nomem;
		}
	}
	for (a = n->attrs; a; a = a->next) {
		if (!(an = attr_name(rd, n, a, anbuf, sizeof(anbuf))))
			continue;
		if (!tmx_attr_declared(name, an)) {
			if (!is_prop)
				warn(rd, node_line(n), 0,
				     "attribute '%s' of <%s> is not TMX 1.4b: "
				     "dropped",
				     an, name);
			continue;
		}
		if (is_prop && attr_kind(a) == NK_TYPE && enc.len > 0)
			continue;
		if (tolk_buf_printf(b, " %s=\"", an) ||
		    tmx_escape(b, a->value, 1) || tolk_buf_putc(b, '"'))
			goto nomem;
	}
	if (!n->children) {
		if (tolk_buf_puts(b, "/>"))
			goto nomem;
		goto done;
	}
	if (tolk_buf_putc(b, '>'))
		goto nomem;
	for (c = n->children; c; c = c->next) {
		if (c->type == XN_TEXT || c->type == XN_CDATA) {
			if (tmx_escape(b, c->content, 0))
				goto nomem;
		} else if (c->type == XN_ELEM && n->kind == NK_UDE) {
			if ((rc = ser_elem(rd, b, c)))
				goto done;
		}
	}
	if (tolk_buf_printf(b, "</%s>", name))
		goto nomem;
	goto done;
nomem:
	rc = oom(rd);
done:
	tolk_buf_free(&enc);
	return rc;
}

static int read_header(struct rd *rd, const struct xn *n)
{
	struct tm_unit *h = NULL, *over = NULL;
	const struct xn *c;
	const struct xa *a;
	const char *sl, *an;
	char anbuf[128];
	int rc = 0;

	if (tm_unit_new(&h) || tm_unit_new(&over) ||
	    tm_unit_set_origin(h, rd->name))
		goto nomem;
	for (a = n->attrs; a; a = a->next) {
		if (!(an = attr_name(rd, n, a, anbuf, sizeof(anbuf))))
			continue;
		if (tm_unit_set_attr(h, an, a->value))
			goto nomem;
	}
	tolk_buf_reset(&rd->body);
	for (c = n->children; c; c = c->next) {
		const char *type;

		if (c->type != XN_ELEM)
			continue;
		if (c->kind == NK_PROP) {
			type = attr_get(rd, c, NK_TYPE, 0);
			if (type && strncmp(type, TMX_ATTR_PROP,
					    strlen(TMX_ATTR_PROP)) == 0) {
				if ((rc =
					 add_extra(rd, over, TM_UNIT_LEVEL, c)))
					goto done;
				continue;
			}
		}
		if (c->kind == NK_PROP || c->kind == NK_NOTE) {
			if ((rc = add_extra(rd, h, TM_UNIT_LEVEL, c)))
				goto done;
		} else if (c->kind != NK_UDE) {
			warn(rd, node_line(c), 0,
			     "unknown element <%s> in <header>: ignored",
			     c->name);
			continue;
		}
		if ((rc = ser_elem(rd, &rd->body, c)))
			goto done;
	}
	/* A tolk export's header stands for the headers it carries: their
	 * attributes replace the export's own. */
	if (over->attrs.n > 0) {
		size_t i;

		/* copied: over's strings live in over */
		tm_attrs_release(&h->attrs);
		for (i = 0; i < over->attrs.n; i++)
			if (tm_attrs_set(&h->attrs, over->attrs.names[i],
					 over->attrs.values[i]))
				goto nomem;
	}
	rd->srclang[0] = '\0';
	sl = tm_unit_attr(h, "srclang");
	if (sl && tolk_lang_canon(sl, rd->srclang, sizeof(rd->srclang)))
		rd->srclang[0] = '\0';
	if (rd->take) {
		rc = rd->take(rd->o->ctx, h, tolk_buf_str(&rd->body),
			      node_line(n));
		h = NULL;
		if (rc == TOLK_ENOMEM) {
			rc = oom(rd);
		} else if (rc) {
			rd->failed = 1;
			stop(rd);
			tolk_err_set(rd->err, rc, "reading stopped");
		}
	} else if (rd->o->header) {
		tolk_err_clear(rd->err);
		rc = rd->o->header(rd->o->ctx, h, tolk_buf_str(&rd->body),
				   node_line(n), rd->err);
		if (rc) {
			rd->failed = 1;
			stop(rd);
		}
	}
	goto done;
nomem:
	rc = oom(rd);
done:
	tm_unit_free(h);
	tm_unit_free(over);
	return rc;
}

static void progress(struct rd *rd)
{
	if (rd->o->progress)
		rd->o->progress(rd->o->ctx, rd->bytes, rd->tu);
}

/* TMX 1.4b allows UTF-8, UTF-16 and US-ASCII only; libxml2 reads the
 * others (windows-1252, ISO-8859-x) well, so they get a warning. */
static void check_encoding(struct rd *rd)
{
	static const char *const ok[] = {"utf-8",    "utf8",	 "utf-16",
					 "utf-16le", "utf-16be", "us-ascii",
					 "ascii"};
	const char *enc = rd->ctxt->myDoc && rd->ctxt->myDoc->encoding
			      ? (const char *)rd->ctxt->myDoc->encoding
			      : NULL;
	size_t i;

	if (!enc)
		return;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (strcasecmp(enc, ok[i]) == 0)
			return;
	warn(rd, 1, 0,
	     "encoding %s is not one TMX allows (UTF-8, UTF-16, US-ASCII): "
	     "read as declared",
	     enc);
}

static unsigned long parser_line(const struct rd *rd)
{
	return rd->ctxt->input && rd->ctxt->input->line > 0
		   ? (unsigned long)rd->ctxt->input->line
		   : 0;
}

/* When recovering, the first error that leaves the document not
 * well-formed ends the reading: what was read before it is kept, the
 * <tu> it fell in and the rest are dropped, as the warning says.
 * 1 when reading has ended. */
static int broken(struct rd *rd)
{
	if (rd->stopped)
		return 1;
	if (rd->ctxt->wellFormed || !(rd->o->flags & TM_TMX_RECOVER))
		return 0;
	if (rd->root && rd->root_is_tu)
		warn(rd, rd->tu_line, 0,
		     "dropped an unreadable <tu> and the rest of the file");
	else
		warn(rd, parser_line(rd), 0,
		     "cannot read further: the rest of the file is dropped");
	rd->root = NULL;
	stop(rd);
	return 1;
}

/* The reader's own context (not that of an entity's text), when the
 * parse goes on; else NULL. */
static struct rd *live(void *ctx)
{
	struct rd *rd = rd_of(ctx);

	if (!rd || rd->ctxt != ctx)
		return NULL;
	/* broken's own first tests, here for every callback of the parse
	 * rather than behind a call */
	if (!rd->stopped &&
	    (rd->ctxt->wellFormed || !(rd->o->flags & TM_TMX_RECOVER)))
		return rd;
	return broken(rd) ? NULL : rd;
}

static void close_text(struct rd *rd)
{
	if (rd->open_text) {
		if (tolk_buf_putc(&rd->txt, '\0'))
			oom(rd);
		rd->open_text = NULL;
	}
}

/* A new node of type under rd->cur, its last child. */
static struct xn *new_node(struct rd *rd, enum xn_type type)
{
	struct xn *n = xpool_get(&rd->nodes), *p = rd->cur;

	if (!n) {
		oom(rd);
		return NULL;
	}
	/* field by field: a compound literal became `rep stos`, slower
	 * for 96 bytes than the memset it replaced */
	n->type = type;
	n->name = NULL;
	n->kind = NK_OTHER;
	n->parent = p;
	n->children = n->last = n->next = n->prev = NULL;
	n->attrs = NULL;
	n->content = NULL;
	n->off = n->len = 0;
	n->line = 0;
	if (p) {
		n->prev = p->last;
		if (p->last)
			p->last->next = n;
		else
			p->children = n;
		p->last = n;
	}
	return n;
}

static void sx_text(struct rd *rd, enum xn_type type, const xmlChar *s, int len)
{
	struct xn *n = rd->open_text;

	if (!rd->cur)
		return;
	if (!n || n->type != type || n != rd->cur->last) {
		close_text(rd);
		if (!(n = new_node(rd, type)))
			return;
		n->off = rd->txt.len;
		n->line = parser_line(rd);
		rd->open_text = n;
	}
	if (tolk_buf_append(&rd->txt, s, (size_t)len)) {
		oom(rd);
		return;
	}
	n->len += (size_t)len;
}

static void sx_chars(void *ctx, const xmlChar *s, int len)
{
	struct rd *rd = live(ctx);

	if (rd)
		sx_text(rd, XN_TEXT, s, len);
}

static void sx_cdata(void *ctx, const xmlChar *s, int len)
{
	struct rd *rd = live(ctx);

	if (rd)
		sx_text(rd, XN_CDATA, s, len);
}

/* A comment or processing instruction: not kept, but it ends a text
 * node as in libxml2's tree. */
static void sx_comment(void *ctx, const xmlChar *value)
{
	struct rd *rd = live(ctx);

	(void)value;
	if (rd)
		close_text(rd);
}

static void sx_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
	(void)data;
	sx_comment(ctx, target);
}

static void sx_ref(void *ctx, const xmlChar *name)
{
	struct rd *rd = live(ctx);
	struct xn *n;

	if (!rd || !rd->cur)
		return;
	close_text(rd);
	if ((n = new_node(rd, XN_ENTREF)))
		n->name = (const char *)name;
}

/* The element's attributes as libxml2's tree would hold them: those a
 * DTD defaults are left to dtd_default, an undeclared prefix stays in
 * the name. */
static int sx_attrs(struct rd *rd, struct xn *n, int nb, int nb_def,
		    const xmlChar **at)
{
	struct xa **tail = &n->attrs, *a;
	int i;

	if (!(rd->ctxt->loadsubset & XML_COMPLETE_ATTRS))
		nb -= nb_def;
	for (i = 0; i < nb; i++, at += 5) {
		const char *v = (const char *)at[3];
		size_t len = (size_t)(at[4] - at[3]);

		if (!(a = xpool_get(&rd->attrs)))
			return oom(rd);
		a->name = (const char *)at[0];
		a->prefix = a->value = NULL;
		a->next = NULL;
		if (at[1] && !at[2])
			a->name = (const char *)xmlDictQLookup(rd->ctxt->dict,
							       at[1], at[0]);
		else
			a->prefix = (const char *)at[1];
		a->ns = at[2] != NULL;
		if (!a->name)
			return oom(rd);
		a->kind = name_kind(rd, a->name);
		a->xml =
		    a->ns && a->prefix && name_kind(rd, a->prefix) == NK_XML;
		a->voff = rd->txt.len;
		/* an '&' left in a value is a reference libxml2 kept */
		if ((memchr(v, '&', len) ? refs_append(rd, &rd->txt, v, len, 0)
					 : tolk_buf_append(&rd->txt, v, len)) ||
		    tolk_buf_putc(&rd->txt, '\0'))
			return oom(rd);
		*tail = a;
		tail = &a->next;
	}
	return 0;
}

static int root_has_version(int nb, const xmlChar **at)
{
	int i;

	for (i = 0; i < nb; i++, at += 5)
		if (!at[1] && strcmp((const char *)at[0], "version") == 0)
			return 1;
	return 0;
}

/* libxml2's own tree refuses an element below xmlParserMaxDepth
 * others (its nodePush), with this message at this place; no tree of
 * libxml2's is built here, so the limit is kept here. */
static void too_deep(struct rd *rd)
{
	char msg[128];
	unsigned long col = rd->ctxt->input && rd->ctxt->input->col > 0
				? (unsigned long)rd->ctxt->input->col
				: 0;

	snprintf(msg, sizeof(msg),
		 "Excessive depth in document: %u use XML_PARSE_HUGE option",
		 xmlParserMaxDepth);
	if (!(rd->o->flags & TM_TMX_RECOVER)) {
		fail_at(rd, parser_line(rd), col, "%s", msg);
		return;
	}
	warn(rd, parser_line(rd), col, "recovered from: %s", msg);
	rd->ctxt->wellFormed = 0;
	broken(rd);
}

static void sx_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
		     const xmlChar *uri, int nb_ns, const xmlChar **ns,
		     int nb_attrs, int nb_def, const xmlChar **attrs)
{
	struct rd *rd = live(ctx);
	const char *name = (const char *)local;
	struct xn *n;
	int d, kind;

	(void)nb_ns;
	(void)ns;
	if (!rd)
		return;
	if ((unsigned)rd->depth > xmlParserMaxDepth) {
		too_deep(rd);
		return;
	}
	d = rd->depth++;
	if (rd->skip_below)
		return;
	kind = name_kind(rd, name);
	if (!rd->root) {
		if (d == 0) {
			if (kind != NK_TMX) {
				fail_at(rd, parser_line(rd), 0,
					"not a TMX file: the root element is "
					"<%s>, not <tmx>",
					name);
				return;
			}
			rd->seen_root = 1;
			check_encoding(rd);
			if (!root_has_version(nb_attrs, attrs))
				warn(rd, parser_line(rd), 0,
				     "<tmx> has no version attribute: read as "
				     "TMX 1.4");
			return;
		}
		if (d == 1 && kind == NK_BODY)
			return;
		if (d == 1 && kind == NK_HEADER) {
			rd->root_is_tu = 0;
		} else if (d == 2 && kind == NK_TU) {
			rd->root_is_tu = 1;
			rd->tu_start = rd->bytes;
			rd->tu_line = parser_line(rd);
		} else {
			warn(rd, parser_line(rd), 0,
			     "unknown element <%s>: ignored", name);
			rd->skip_below = rd->depth;
			return;
		}
	}
	close_text(rd);
	if (!(n = new_node(rd, XN_ELEM)))
		return;
	/* an element with an undeclared prefix keeps it in its name */
	n->name = prefix && !uri ? (const char *)xmlDictQLookup(rd->ctxt->dict,
								prefix, local)
				 : name;
	n->line = parser_line(rd);
	if (!n->name) {
		oom(rd);
		return;
	}
	n->kind = n->name == name ? kind : name_kind(rd, n->name);
	if (sx_attrs(rd, n, nb_attrs, nb_def, attrs))
		return;
	if (!rd->root)
		rd->root = n;
	rd->cur = n;
}

/* The tree of a <tu> or the header is complete: its texts are pointed
 * to (the buffer no longer moves), it is read, and the blocks are
 * emptied for the next. */
static void tree_done(struct rd *rd)
{
	struct xn *root = rd->root;
	size_t i;

	rd->root = rd->cur = NULL;
	rd->open_text = NULL;
	for (i = 0; i < rd->nodes.used; i++) {
		struct xn *n = xpool_at(&rd->nodes, i);

		if (n->type == XN_TEXT || n->type == XN_CDATA)
			n->content = rd->txt.data + n->off;
	}
	for (i = 0; i < rd->attrs.used; i++) {
		struct xa *a = xpool_at(&rd->attrs, i);

		a->value = rd->txt.data + a->voff;
	}
	if (rd->root_is_tu) {
		if (read_tu(rd, root) == 0 && (rd->tu & 255) == 0)
			progress(rd);
	} else {
		read_header(rd, root);
	}
	rd->nodes.used = rd->attrs.used = 0;
	/* a unit near the size limit leaves no lasting megabytes */
	if (rd->txt.cap > (4u << 20))
		tolk_buf_free(&rd->txt);
	else
		tolk_buf_reset(&rd->txt);
}

static void sx_end(void *ctx, const xmlChar *local, const xmlChar *prefix,
		   const xmlChar *uri)
{
	struct rd *rd = live(ctx);

	(void)local;
	(void)prefix;
	(void)uri;
	if (!rd)
		return;
	rd->depth--;
	if (rd->skip_below) {
		if (rd->depth < rd->skip_below)
			rd->skip_below = 0;
		return;
	}
	if (!rd->cur)
		return;
	close_text(rd);
	if (rd->failed)
		return;
	if (rd->cur == rd->root)
		tree_done(rd);
	else
		rd->cur = rd->cur->parent;
}

/* The parser stopped without a word through on_xml_error (libxml2
 * reports a failed conversion from the declared encoding only to its
 * process-wide handler): an error where it stopped, or when recovering
 * the end of the reading. */
static void halted(struct rd *rd)
{
	if (rd->o->flags & TM_TMX_RECOVER) {
		rd->ctxt->wellFormed = 0;
		broken(rd);
		return;
	}
	fail_at(rd, parser_line(rd),
		rd->ctxt->input && rd->ctxt->input->col > 0
		    ? (unsigned long)rd->ctxt->input->col
		    : 0,
		"%s",
		!rd->root	 ? "XML parse error"
		: rd->root_is_tu ? "cannot read <tu>"
				 : "cannot read <header>");
}

/* Feeds buf[0..n) to the parser; an error once a <tu> outgrows its
 * limit (the parser holds it whole until its end tag). */
static void feed(struct rd *rd, const char *buf, size_t n, int last)
{
	if (rd->stopped)
		return;
	/* The push parser drops what it has read from the front of its
	 * buffer (a memmove of what is left) when it starts on a chunk,
	 * after appending the chunk: with the chunk in, that moved every
	 * byte of the file once more.  An empty chunk first has it drop
	 * the read bytes while only the last incomplete piece is left;
	 * it parses nothing the last call could not. */
	if (n > 0 && xmlParseChunk(rd->ctxt, NULL, 0, 0) != 0 && !rd->failed &&
	    !rd->stopped)
		halted(rd);
	if (rd->stopped)
		return;
	if (xmlParseChunk(rd->ctxt, buf, (int)n, last) != 0 && !rd->failed &&
	    !rd->stopped)
		halted(rd);
	if (!rd->failed && rd->root && rd->root_is_tu &&
	    rd->bytes - rd->tu_start > TM_TMX_MAX_TU_BYTES)
		fail_at(rd, rd->tu_line, 0,
			"<tu> longer than the limit of %d bytes",
			TM_TMX_MAX_TU_BYTES);
}

/* Bytes read at a time: a few pages, so that the parser's input and the
 * unit's tree stay in the caches. */
#define READ_CHUNK (64 * 1024)

static int read_file(const char *path, const struct tm_tmx_import_opts *io,
		     const struct tm_tmx_read_opts *o, tmx_take_fn take,
		     struct tmx_pool *pool, struct tolk_err *err)
{
	struct tolk_xml_handlers saved;
	xmlSAXHandler sax;
	struct rd rd;
	struct stat sb;
	ssize_t n;
	char *buf = NULL;
	int rc = 0, options, first;

	(void)io; /* a TMX file says what the import options would */
	memset(&rd, 0, sizeof(rd));
	rd.o = o;
	rd.take = take;
	rd.pool = pool;
	rd.err = err;
	rd.nodes.size = sizeof(struct xn);
	rd.attrs.size = sizeof(struct xa);
	rd.name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	if (strcmp(path, "-") == 0) {
		rd.fd = STDIN_FILENO;
	} else if ((rd.fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		return tolk_err_set(
		    err,
		    errno == ENOENT || errno == EACCES || errno == EISDIR
			? TOLK_EINPUT
			: TOLK_EIO,
		    "cannot open '%s': %s", path, strerror(errno));
	}
	if (fstat(rd.fd, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		rc = tolk_err_set(err, TOLK_EINPUT,
				  "'%s' is a folder, not a file", path);
		goto done;
	}
	if (!(buf = malloc(READ_CHUNK))) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	if ((n = read_chunk(&rd, buf, READ_CHUNK)) < 0)
		goto io_error;
	/* the parser tells the encoding from the first four bytes, and a
	 * pipe may give fewer at first */
	while (n > 0 && n < 4) {
		ssize_t more = read_chunk(&rd, buf + n, READ_CHUNK - (size_t)n);

		if (more < 0)
			goto io_error;
		if (more == 0)
			break;
		n += more;
	}
	if (rd.bytes == 0) {
		rc = tolk_err_set_at(err, TOLK_EINPUT, rd.name, 0, 0,
				     "empty file: not TMX");
		goto done;
	}
	memset(&sax, 0, sizeof(sax));
	xmlSAXVersion(&sax, 2);
	sax.startElementNs = sx_start;
	sax.endElementNs = sx_end;
	sax.characters = sx_chars;
	sax.ignorableWhitespace = sx_chars;
	sax.cdataBlock = sx_cdata;
	sax.reference = sx_ref;
	sax.comment = sx_comment;
	sax.processingInstruction = sx_pi;
	sax.warning = NULL;
	sax.error = NULL;
	sax.fatalError = NULL;
	sax.serror = on_xml_error;
	/* No NOENT, DTDLOAD, DTDVALID or HUGE: entities stay references
	 * (refused in content), nothing external is loaded, and libxml2's
	 * limits on names, text and depth apply. */
	options = TOLK_XML_OPTIONS;
	if (o->flags & TM_TMX_RECOVER)
		options |= XML_PARSE_RECOVER;
	xmlInitParser();
	/* the first bytes name the encoding (a BOM, UTF-16's NULs) */
	first = n < 4 ? (int)n : 4;
	rd.ctxt = xmlCreatePushParserCtxt(&sax, NULL, buf, first, rd.name);
	if (!rd.ctxt) {
		rc = tolk_err_set(err, TOLK_ENOMEM,
				  "cannot create an XML parser");
		goto done;
	}
	xmlCtxtUseOptions(rd.ctxt, options);
	rd.ctxt->_private = &rd;
	/* encoding errors bypass the parser's handler and would be printed
	 * raw; the parser's own error says what went wrong */
	tolk_xml_quiet(&saved);
	feed(&rd, buf + first, (size_t)n - (size_t)first, 0);
	while (!rd.stopped && (n = read_chunk(&rd, buf, READ_CHUNK)) > 0)
		feed(&rd, buf, (size_t)n, 0);
	if (!rd.stopped && n == 0)
		feed(&rd, buf, 0, 1);
	tolk_xml_restore(&saved);
	if (!rd.stopped && n < 0)
		goto io_error;
	/* errors left no well-formed document: reported by on_xml_error,
	 * or when recovering, the end of the reading */
	if (!rd.failed)
		broken(&rd);
	if (rd.failed) {
		rc = err ? err->code : TOLK_EINPUT;
		goto done;
	}
	if (!rd.seen_root) {
		rc = fail_at(&rd, 1, 0, "not a TMX file: no <tmx> element");
		goto done;
	}
	progress(&rd);
	if (rd.ctl_removed)
		warn(&rd, 0, 0, "removed %lu invalid control characters",
		     rd.ctl_removed);
	if (rd.dropped)
		warn(&rd, 0, 0, "dropped %lu unreadable <tuv>", rd.dropped);
	if (o->stats) {
		o->stats->tu = rd.tu;
		o->stats->empty = rd.empty;
		o->stats->dropped = rd.dropped + rd.ctl_removed;
	}
	goto done;
io_error:
	rc = tolk_err_set(err, TOLK_EIO, "cannot read '%s': %s", rd.name,
			  strerror(rd.io_errno));
done:
	if (rd.ctxt) {
		xmlFreeDoc(rd.ctxt->myDoc);
		rd.ctxt->myDoc = NULL;
		xmlFreeParserCtxt(rd.ctxt);
	}
	free(buf);
	if (rd.fd != STDIN_FILENO)
		close(rd.fd);
	xpool_free(&rd.nodes);
	xpool_free(&rd.attrs);
	tolk_buf_free(&rd.txt);
	tolk_buf_free(&rd.text);
	tolk_buf_free(&rd.markup);
	tolk_buf_free(&rd.body);
	tolk_buf_free(&rd.tmp);
	tolk_buf_free(&rd.tmp2);
	return rc;
}

int tm_tmx_read_opts(const char *path, const struct tm_tmx_read_opts *o,
		     struct tolk_err *err)
{
	return read_file(path, NULL, o, NULL, NULL, err);
}

int tm_tmx_read(const char *path, unsigned flags, tm_tmx_unit_fn fn, void *ctx,
		struct tolk_err *err)
{
	struct tm_tmx_read_opts o;

	memset(&o, 0, sizeof(o));
	o.flags = flags;
	o.unit = fn;
	o.ctx = ctx;
	return tm_tmx_read_opts(path, &o, err);
}

/* ---- import ------------------------------------------------------------ */

static void imp_warn(void *ctx, const char *file, unsigned long line,
		     unsigned long col, const char *msg)
{
	struct tmx_imp *im = ctx;

	im->st->warnings++;
	if (im->o->warn)
		im->o->warn(im->o->ctx, file, line, col, msg);
}

static void imp_progress(void *ctx, unsigned long long bytes,
			 unsigned long units)
{
	struct tmx_imp *im = ctx;

	if (im->o->progress)
		im->o->progress(im->o->ctx, bytes, units);
}

/* Whether u has a variant in the import's source language and another
 * in its target language (tolk_lang_same's test), always when it names
 * no pair.  The pair's keys are worked out once, not twice a variant. */
static int has_pair(struct tmx_imp *im, const struct tm_unit *u)
{
	const char *src = im->o->source_lang, *tgt = im->o->target_lang;
	size_t i, s = TM_UNIT_LEVEL, t = TM_UNIT_LEVEL;
	char key[TOLK_LANG_MAX];

	if (!src || !tgt)
		return 1;
	if (!im->pair_keys) {
		/* "" for one that is not a tag: no variant's key is "" */
		if (tolk_lang_key(src, im->src_key, sizeof(im->src_key)))
			im->src_key[0] = '\0';
		if (tolk_lang_key(tgt, im->tgt_key, sizeof(im->tgt_key)))
			im->tgt_key[0] = '\0';
		im->pair_keys = 1;
	}
	for (i = 0; i < tm_unit_variant_count(u); i++) {
		if (tolk_lang_key(tm_unit_variant_lang(u, i), key, sizeof(key)))
			continue;
		if (s == TM_UNIT_LEVEL && strcmp(key, im->src_key) == 0)
			s = i;
		else if (t == TM_UNIT_LEVEL && strcmp(key, im->tgt_key) == 0)
			t = i;
	}
	return s != TM_UNIT_LEVEL && t != TM_UNIT_LEVEL;
}

int tmx_store_unit(struct tmx_imp *im, const struct tm_unit *u,
		   const char *file, unsigned long line, struct tolk_err *err)
{
	enum tm_add_result res;
	int rc;

	int pair = has_pair(im, u);

	if (!pair && im->o->require_pair) {
		im->st->skipped_pair++;
		return 0;
	}
	rc = tm_store_add(im->s, u, im->o->policy, NULL, &res, err);
	if (rc) {
		if (err && !err->file[0]) {
			char msg[sizeof(err->msg)];

			memcpy(msg, err->msg, sizeof(msg));
			tolk_err_set_at(err, rc, file, line, 0, "%s", msg);
		}
		return rc;
	}
	if (!pair && (res == TM_ADD_INSERTED || res == TM_ADD_REPLACED))
		im->st->lacking_pair++;
	switch (res) {
	case TM_ADD_INSERTED:
		im->st->imported++;
		break;
	case TM_ADD_MERGED:
		im->st->merged++;
		break;
	case TM_ADD_SKIPPED:
		im->st->skipped_dup++;
		break;
	case TM_ADD_REPLACED:
		im->st->replaced++;
		break;
	}
	return 0;
}

static int imp_unit(void *ctx, const struct tm_unit *u, unsigned long line,
		    struct tolk_err *err)
{
	struct tmx_imp *im = ctx;

	return tmx_store_unit(im, u, tm_unit_origin(u), line, err);
}

static const char SQL_HDR_FIND[] =
    "SELECT id FROM tmx_header WHERE origin IS NOT DISTINCT FROM ?1 "
    "AND attrs IS NOT DISTINCT FROM ?2 "
    "AND body = ?3";
static const char SQL_HDR_INSERT[] =
    "INSERT INTO tmx_header(origin, attrs, body) VALUES (?1, ?2, ?3)";

static int imp_header(void *ctx, const struct tm_unit *h, const char *body,
		      unsigned long line, struct tolk_err *err)
{
	struct tmx_imp *im = ctx;
	struct tolk_buf blob = TOLK_BUF_INIT;
	struct tm_db_stmt *st;
	int rc = 0, step, i;

	(void)line;
	if (tm_attrs_blob(&h->attrs, &blob))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	for (i = 0; i < 2; i++) {
		if (!(st =
			  tm_db_stmt(tm_store_db(im->s),
				     i ? SQL_HDR_INSERT : SQL_HDR_FIND, err))) {
			rc = err ? err->code : TOLK_EDB;
			break;
		}
		tm_db_bind_text(st, 1, h->origin, -1);
		tm_db_bind_blob(st, 2, blob.data, blob.len);
		tm_db_bind_text(st, 3, body, -1);
		step = tm_db_step(st, "store header", err);
		tm_db_reset(st);
		if (step == 1) /* already stored */
			break;
		if (step < 0) {
			rc = step;
			break;
		}
	}
	tolk_buf_free(&blob);
	return rc;
}

/* ---- import: reading ahead --------------------------------------------
 * The rows of an import are written by the thread that owns the SQLite
 * connection, and reading the XML into units cost that thread as much
 * again.  A second thread reads ahead instead: what the reader meets (the
 * header, each unit, warnings, progress) goes in order into a bounded
 * queue, and the importing thread handles each as it came, so that the
 * rows, the messages and their order are those of a reader called in
 * line.  When storing fails, the reader is told to stop and what it had
 * queued is dropped unseen. */
enum ev_kind { EV_UNIT, EV_HEADER, EV_WARN, EV_PROGRESS };

struct ev {
	enum ev_kind kind;
	struct tm_unit *u; /* EV_UNIT, EV_HEADER: owned */
	char *text;	   /* EV_HEADER: its body; EV_WARN: file NUL msg */
	unsigned long line, col, units;
	unsigned long long bytes;
	size_t size; /* EV_UNIT: its texts' bytes (AHEAD_BYTES) */
};

/* Three threads share two cores, so one of them is always waiting for a
 * core for a few milliseconds, and each hand-over must ride over that.
 * With 256 events (under a millisecond of the row writer's work) and
 * the reader asleep until half of them were gone, the reader, the
 * writer and the indexing thread took turns running alone: at 200,000
 * units two of the three were asleep at once for 1.2 s of the 1.6 s
 * they ran together, one core idle.  2,048 units are a few megabytes,
 * still in the shared cache when the writer reads them; the reader
 * goes on once a quarter of the queue is free, so that the writer
 * never runs dry while the reader is woken. */
#define AHEAD_EVENTS 2048
#define AHEAD_RESUME (AHEAD_EVENTS * 3 / 4)
/* ... and texts of this many bytes at most (long segments) */
#define AHEAD_BYTES (8u << 20)
/* the importer, once out of events, waits for this many: a wake-up per
 * event cost both threads more than the event */
#define AHEAD_WAKE  64
#define SPENT_BATCH 64 /* units handed back at a time */
#define AHEAD_SOON  4  /* the unit whose lookup is fetched ahead */
/* The writer meets each unit on lines the reader's core wrote: the unit
 * AHEAD_FAR on is asked for, the prepared keys of the one AHEAD_MID on
 * (its pointer then at hand), so that the lookup's fetch AHEAD_SOON on
 * and the row do not wait for them one after the other. */
#define AHEAD_FAR 16
#define AHEAD_MID 10

struct ahead {
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	struct ev q[AHEAD_EVENTS];
	size_t head, n;
	size_t qbytes; /* the queued units' sizes */
	int done;      /* the reader returned */
	int stop;      /* the importer failed: read no further */
	int want_more; /* the importer waits for an event */
	int want_room; /* the reader waits for room */
	/* units handled, handed back to be freed where they were made:
	 * glibc's malloc is cheap only for what a thread frees itself */
	struct tm_unit **spent;
	size_t nspent, spentcap;
	const char *path;
	struct tm_tmx_read_opts ro; /* ctx: this struct */
	tmx_read_fn read;
	const struct tm_tmx_import_opts *io;
	struct tmx_pool pool; /* the reader's */
	struct tolk_err err;  /* the reader's */
	int rc;
};

static void ev_free(struct ev *e)
{
	tm_unit_free(e->u);
	free(e->text);
}

static void units_free(struct tm_unit **u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		tm_unit_free(u[i]);
	free(u);
}

/* Queues e (taking what it holds) and frees the units handed back;
 * TOLK_EINTERNAL once the importer has stopped, e freed. */
static int ahead_push(struct ahead *a, struct ev *e)
{
	struct tm_unit **spent;
	size_t nspent;

	pthread_mutex_lock(&a->mu);
	spent = a->spent;
	nspent = a->nspent;
	a->spent = NULL;
	a->nspent = a->spentcap = 0;
	/* once full, wait for a quarter of the queue: a wake-up per event
	 * would cost more than the event */
	if (a->n == AHEAD_EVENTS || a->qbytes > AHEAD_BYTES)
		while (
		    (a->n > AHEAD_RESUME || a->qbytes > AHEAD_BYTES / 4 * 3) &&
		    !a->stop) {
			a->want_room = 1;
			pthread_cond_wait(&a->room, &a->mu);
		}
	if (a->stop) {
		pthread_mutex_unlock(&a->mu);
		pool_put(&a->pool, spent, nspent);
		ev_free(e);
		return TOLK_EINTERNAL;
	}
	a->q[(a->head + a->n) % AHEAD_EVENTS] = *e;
	a->n++;
	a->qbytes += e->size;
	if (a->want_more && a->n >= AHEAD_WAKE) {
		a->want_more = 0;
		pthread_cond_signal(&a->more);
	}
	pthread_mutex_unlock(&a->mu);
	pool_put(&a->pool, spent, nspent);
	return 0;
}

/* Hands the handled units u[0..*n) back to the reader; *n becomes 0. */
static void ahead_spent(struct ahead *a, struct tm_unit **u, size_t *n)
{
	size_t i;

	pthread_mutex_lock(&a->mu);
	if (TOLK_GROW(a->spent, a->spentcap, a->nspent + *n, 256)) {
		pthread_mutex_unlock(&a->mu);
		for (i = 0; i < *n; i++)
			tm_unit_free(u[i]);
	} else {
		memcpy(a->spent + a->nspent, u, *n * sizeof(*u));
		a->nspent += *n;
		pthread_mutex_unlock(&a->mu);
	}
	*n = 0;
}

/* The next event into *e: 1, or 0 when the reader is done and the queue
 * empty. */
static int ahead_pop(struct ahead *a, struct ev *e, struct tm_unit **soon)
{
	pthread_mutex_lock(&a->mu);
	while (a->n == 0 && !a->done) {
		a->want_more = 1;
		pthread_cond_wait(&a->more, &a->mu);
	}
	if (a->n == 0) {
		pthread_mutex_unlock(&a->mu);
		return 0;
	}
	*e = a->q[a->head];
	a->head = (a->head + 1) % AHEAD_EVENTS;
	a->n--;
	a->qbytes -= e->size;
	/* queued, so the importer's until it hands it back */
	*soon = a->n > AHEAD_SOON
		    ? a->q[(a->head + AHEAD_SOON) % AHEAD_EVENTS].u
		    : NULL;
	if (a->n > AHEAD_FAR) {
		const struct tm_unit *f =
		    a->q[(a->head + AHEAD_FAR) % AHEAD_EVENTS].u;
		const struct tm_unit *m =
		    a->q[(a->head + AHEAD_MID) % AHEAD_EVENTS].u;

		if (f) {
			__builtin_prefetch(f);
			__builtin_prefetch((const char *)f + 64);
		}
		if (m && m->prep)
			__builtin_prefetch(m->prep);
		if (m && m->variants)
			__builtin_prefetch(m->variants);
	}
	if (a->want_room && a->n <= AHEAD_RESUME &&
	    a->qbytes <= AHEAD_BYTES / 4 * 3) {
		a->want_room = 0;
		pthread_cond_signal(&a->room);
	}
	pthread_mutex_unlock(&a->mu);
	return 1;
}

static int ahead_take(void *ctx, struct tm_unit *u, const char *body,
		      unsigned long line)
{
	struct ev e = {body ? EV_HEADER : EV_UNIT, u, NULL, line, 0, 0, 0, 0};
	size_t i, nv = tm_unit_variant_count(u);

	/* the unit's keys and normalised texts are worked out here, beside
	 * the row writer rather than on its thread */
	if ((body && !(e.text = strdup(body))) ||
	    (!body && tm_store_prepare(u))) {
		ev_free(&e);
		return TOLK_ENOMEM;
	}
	for (i = 0; !body && i < nv; i++)
		e.size += u->variants[i].text_len;
	return ahead_push(ctx, &e);
}

static void ahead_warn(void *ctx, const char *file, unsigned long line,
		       unsigned long col, const char *msg)
{
	struct ev e = {EV_WARN, NULL, NULL, line, col, 0, 0, 0};
	size_t fl = strlen(file), ml = strlen(msg);

	/* a warning lost to a full memory is the least of the troubles
	 * the next allocation reports */
	if (!(e.text = malloc(fl + ml + 2)))
		return;
	memcpy(e.text, file, fl + 1);
	memcpy(e.text + fl + 1, msg, ml + 1);
	ahead_push(ctx, &e);
}

static void ahead_progress(void *ctx, unsigned long long bytes,
			   unsigned long units)
{
	struct ev e = {EV_PROGRESS, NULL, NULL, 0, 0, units, bytes, 0};

	ahead_push(ctx, &e);
}

static void *ahead_main(void *p)
{
	struct ahead *a = p;

	/* named for perf and top: an import's threads are told apart */
	pthread_setname_np(pthread_self(), "tolk-read");
	a->rc = a->read(a->path, a->io, &a->ro, ahead_take, &a->pool, &a->err);
	pool_free(&a->pool);
	pthread_mutex_lock(&a->mu);
	a->done = 1;
	pthread_cond_signal(&a->more);
	pthread_mutex_unlock(&a->mu);
	return NULL;
}

/* Handles one event as the reader's callback would have. */
static int ahead_handle(struct tmx_imp *im, const struct ev *e,
			struct tolk_err *err)
{
	switch (e->kind) {
	case EV_UNIT:
		tolk_err_clear(err);
		return imp_unit(im, e->u, e->line, err);
	case EV_HEADER:
		tolk_err_clear(err);
		return imp_header(im, e->u, e->text, e->line, err);
	case EV_WARN:
		imp_warn(im, e->text, e->line, e->col,
			 e->text + strlen(e->text) + 1);
		return 0;
	case EV_PROGRESS:
		imp_progress(im, e->bytes, e->units);
		return 0;
	}
	return 0;
}

/* Reads path with read on a second thread and stores what it reads;
 * like read with ro's callbacks, which it ignores but for flags and
 * stats.  Without a thread, reads in line. */
static int read_ahead(const char *path, tmx_read_fn read, struct tmx_imp *im,
		      struct tm_tmx_read_opts *ro, struct tolk_err *err)
{
	struct tm_unit *done[SPENT_BATCH], *soon;
	size_t ndone = 0;
	struct ahead *a;
	pthread_t thr;
	struct ev e;
	int rc = 0;

	if (!(a = calloc(1, sizeof(*a))))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	a->path = path;
	a->read = read;
	a->io = im->o;
	a->ro.flags = ro->flags;
	a->ro.warn = ahead_warn;
	a->ro.progress = ahead_progress;
	a->ro.stats = ro->stats;
	a->ro.ctx = a;
	pthread_mutex_init(&a->mu, NULL);
	pthread_cond_init(&a->more, NULL);
	pthread_cond_init(&a->room, NULL);
	/* libxml2 sets up its globals once, from one thread */
	xmlInitParser();
	if (pthread_create(&thr, NULL, ahead_main, a) != 0) {
		rc = read(path, im->o, ro, NULL, NULL, err);
		goto done;
	}
	while (ahead_pop(a, &e, &soon)) {
		if (soon && !rc)
			tm_store_add_soon(im->s, soon);
		if (!rc)
			rc = ahead_handle(im, &e, err);
		if (e.u) {
			done[ndone++] = e.u;
			e.u = NULL;
			if (ndone == SPENT_BATCH)
				ahead_spent(a, done, &ndone);
		}
		ev_free(&e);
		if (rc) {
			pthread_mutex_lock(&a->mu);
			a->stop = 1;
			pthread_cond_signal(&a->room);
			pthread_mutex_unlock(&a->mu);
		}
	}
	pthread_join(thr, NULL);
	units_free(a->spent, a->nspent);
	while (ndone)
		tm_unit_free(done[--ndone]);
	if (!rc && (rc = a->rc) && err)
		*err = a->err;
done:
	pthread_mutex_destroy(&a->mu);
	pthread_cond_destroy(&a->more);
	pthread_cond_destroy(&a->room);
	free(a);
	return rc;
}

/* An import is one transaction (nested in the caller's, if open). */
int tmx_end_tx(struct tm_store *s, int own, int rc, struct tolk_err *err)
{
	if (!own)
		return rc;
	if (rc == 0)
		rc = tm_store_commit(s, err);
	if (rc)
		tm_store_rollback(s);
	return rc;
}

int tmx_import_with(struct tm_store *s, const char *path, tmx_read_fn read,
		    const struct tm_tmx_import_opts *o,
		    struct tm_tmx_import_stats *st, struct tolk_err *err)
{
	struct tm_tmx_read_opts ro;
	struct tm_tmx_read_stats rs;
	struct tmx_imp im = {.s = s, .o = o, .st = st};
	struct stat sb;
	int rc, rc2, own;

	memset(st, 0, sizeof(*st));
	memset(&ro, 0, sizeof(ro));
	memset(&rs, 0, sizeof(rs));
	ro.flags = o->flags;
	ro.unit = imp_unit;
	ro.header = imp_header;
	ro.warn = imp_warn;
	ro.progress = imp_progress;
	ro.ctx = &im;
	ro.stats = &rs;
	if ((rc = tm_store_begin(s, err)))
		return rc;
	own = 1;
	if (strcmp(path, "-") == 0 || stat(path, &sb) != 0)
		sb.st_size = -1;
	if ((rc = tm_store_bulk_begin(s, o->policy, (long long)sb.st_size,
				      err)) == 0)
		rc = read_ahead(path, read, &im, &ro, err);
	/* the index's merge beside the key tables' writes */
	if (rc == 0)
		tm_match_index_premerge(s);
	rc2 = tm_store_bulk_end(s, rc == 0, err);
	if (rc == 0)
		rc = rc2;
	st->read = rs.tu;
	st->skipped_empty = rs.empty;
	return tmx_end_tx(s, own, rc, err);
}

int tm_tmx_import(struct tm_store *s, const char *path,
		  const struct tm_tmx_import_opts *o,
		  struct tm_tmx_import_stats *st, struct tolk_err *err)
{
	return tmx_import_with(s, path, read_file, o, st, err);
}
