/* The TMX reader and importer.  See tm/tmx.h. */
#include "tm/db.h"
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

#include <libxml/xmlreader.h>

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

/* Inline elements; the first five hold native code, not text. */
static int inline_kind(const char *name)
{
	static const char *const names[] = {"bpt", "ept", "it", "ph",
					    "ut",  "hi",  "sub"};
	int i;

	for (i = 0; i < 7; i++)
		if (strcmp(names[i], name) == 0)
			return i < 5 ? 2 : 1;
	return 0;
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
#define POOL_MAX 384 /* the read-ahead queue's units and a few more */

struct tmx_pool {
	struct tm_unit **u;
	size_t n, cap;
};

int tmx_pool_unit(struct tmx_pool *p, struct tm_unit **out)
{
	if (p && p->n) {
		*out = p->u[--p->n];
		return 0;
	}
	return tm_unit_new(out);
}

/* Keeps the units u[0..n) in p, emptied, up to POOL_MAX; frees the rest
 * and the array u. */
static void pool_put(struct tmx_pool *p, struct tm_unit **u, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (p->n < POOL_MAX &&
		    TOLK_GROW(p->u, p->cap, p->n + 1, 64) == 0) {
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

struct rd {
	const struct tm_tmx_read_opts *o;
	tmx_take_fn take;      /* NULL: o->unit and o->header borrow */
	struct tmx_pool *pool; /* NULL: none */
	const char *name;      /* for messages */
	xmlTextReaderPtr r;
	struct tolk_err *err;
	int failed; /* err holds the first error */
	int fd, io_errno;
	int sniffed, filter;
	unsigned long ctl_removed;
	unsigned long long bytes;
	/* bytes read when the current <tu> began, while it is expanded;
	 * tu_too_big when it passed TM_TMX_MAX_TU_BYTES */
	unsigned long long tu_start;
	int tu_reading, tu_too_big;
	struct tolk_buf text, markup, body, tmp, tmp2;
	char srclang[TOLK_LANG_MAX]; /* the header's, "" for none */
	int lang_style;		     /* 1: lang, 2: xml:lang, 3: warned */
	/* inline pairing in the current <seg>: open <bpt i> values */
	char open_i[16][24];
	int nopen;
	char pairing[160]; /* first pairing problem, "" for none */
	char seg_msg[256]; /* why a segment was dropped (recover) */
	unsigned long tu, units, empty, dropped;
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
	return tolk_err_set_at(rd->err, TOLK_EINPUT, rd->name, line, col, "%s",
			       msg);
}

static int oom(struct rd *rd)
{
	rd->failed = 1;
	return tolk_err_set(rd->err, TOLK_ENOMEM, "out of memory");
}

static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	struct rd *rd = ctx;
	char msg[1024];
	size_t n;

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

/* Input through our own callback rather than xmlReaderForFile/Fd: it
 * counts bytes for the progress bar and, when recovering, drops the C0
 * control characters some tools write and XML 1.0 forbids. */
static int io_read(void *ctx, char *buf, int len)
{
	struct rd *rd = ctx;
	ssize_t n;
	int i, j;

	for (;;) {
		do
			n = read(rd->fd, buf, (size_t)len);
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			rd->io_errno = errno;
			return -1;
		}
		rd->bytes += (unsigned long long)n;
		/* libxml2 builds the whole <tu> in memory: stop feeding it
		 * one that would not fit */
		if (rd->tu_reading &&
		    rd->bytes - rd->tu_start > TM_TMX_MAX_TU_BYTES) {
			rd->tu_too_big = 1;
			return -1;
		}
		if (!rd->sniffed && n > 0) {
			const unsigned char *u = (const unsigned char *)buf;

			rd->sniffed = 1;
			/* UTF-16 text has NUL bytes in every ASCII char */
			rd->filter =
			    (rd->o->flags & TM_TMX_RECOVER) &&
			    !(n >= 2 && (u[0] == 0 || u[1] == 0 ||
					 (u[0] == 0xff && u[1] == 0xfe) ||
					 (u[0] == 0xfe && u[1] == 0xff)));
		}
		if (!rd->filter || n == 0)
			return (int)n;
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

static int io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Copies s to out[at..], cut to fit outlen with its NUL as snprintf
 * would; returns where the copy ended.  attr_name runs for every
 * attribute of every unit: snprintf was most of its time. */
static size_t copy_cut(char *out, size_t outlen, size_t at, const char *s)
{
	size_t n = strlen(s);

	if (n > outlen - 1 - at)
		n = outlen - 1 - at;
	memcpy(out + at, s, n);
	out[at + n] = '\0';
	return at + n;
}

/* The attribute's name as TMX spells it ("xml:lang"); 1 to skip an
 * attribute from a foreign namespace (warned). */
static int attr_name(struct rd *rd, xmlAttrPtr a, char *out, size_t outlen)
{
	size_t at = 0;

	if (a->ns && a->ns->prefix) {
		if (strcmp((const char *)a->ns->prefix, "xml") == 0) {
			at = copy_cut(out, outlen, 0, "xml:");
			copy_cut(out, outlen, at, (const char *)a->name);
			return 0;
		}
		warn(rd, (unsigned long)xmlGetLineNo(a->parent), 0,
		     "attribute '%s:%s' of <%s> is in a foreign namespace: "
		     "ignored",
		     (const char *)a->ns->prefix, (const char *)a->name,
		     (const char *)a->parent->name);
		return 1;
	}
	copy_cut(out, outlen, at, (const char *)a->name);
	return 0;
}

/* The value of a, borrowed from the tree when it is one text node, as
 * nearly every attribute's is; else NULL and the caller asks libxml2
 * for a copy.  A copy per attribute of every unit was a malloc, a copy
 * and a free each. */
static const char *attr_text(xmlAttrPtr a)
{
	xmlNodePtr t = a->type == XML_ATTRIBUTE_NODE ? a->children : NULL;

	return t && !t->next && t->type == XML_TEXT_NODE && t->content
		   ? (const char *)t->content
		   : NULL;
}

static const char *node_name(xmlNodePtr n)
{
	return (const char *)n->name;
}

/* strcmp(a, b) == 0 for the names tested on every element and attribute
 * of a unit: the first byte turns most away without a call. */
static inline int name_is(const char *a, const char *b)
{
	return a[0] == b[0] && strcmp(a, b) == 0;
}

/* xmlHasNsProp(n, name, ns): n's own attributes looked at here first,
 * libxml2 asked (for a default from a DTD) only when none matches.  Its
 * lookup compared names and the namespace with a call per string, for
 * each <tuv>'s language. */
static xmlAttrPtr has_attr(xmlNodePtr n, const char *name, const char *ns)
{
	xmlAttrPtr a;

	for (a = n->properties; a; a = a->next) {
		if (!name_is((const char *)a->name, name))
			continue;
		if (!ns ? !a->ns
			: a->ns && a->ns->href &&
			      strcmp((const char *)a->ns->href, ns) == 0)
			return a;
	}
	return xmlHasNsProp(n, (const xmlChar *)name, (const xmlChar *)ns);
}

static unsigned long node_line(xmlNodePtr n)
{
	long l = xmlGetLineNo(n);

	return l > 0 ? (unsigned long)l : 0;
}

/* A segment that cannot be read: an error, or when recovering 1 with the
 * reason in rd->seg_msg (the caller drops the <tuv>). */
static int seg_fail(struct rd *rd, xmlNodePtr n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int seg_fail(struct rd *rd, xmlNodePtr n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rd->seg_msg, sizeof(rd->seg_msg), fmt, ap);
	va_end(ap);
	if (rd->o->flags & TM_TMX_RECOVER)
		return 1;
	return fail_at(rd, node_line(n), 0, "%s", rd->seg_msg);
}

static int check_size(struct rd *rd, xmlNodePtr n)
{
	if (rd->text.len > TM_TMX_MAX_SEG_BYTES ||
	    rd->markup.len > TM_TMX_MAX_SEG_BYTES)
		return seg_fail(rd, n, "segment longer than %d bytes",
				TM_TMX_MAX_SEG_BYTES);
	return 0;
}

/* Notes the first broken <bpt>/<ept> pairing in a segment: the spec
 * wants each bpt closed by a later ept with the same i. */
static void track_pairing(struct rd *rd, xmlNodePtr c)
{
	int is_bpt = name_is(node_name(c), "bpt"), k;
	xmlAttrPtr a;
	const char *text;
	xmlChar *iv;
	char i[24];

	if (!is_bpt && !name_is(node_name(c), "ept"))
		return;
	/* the value from the tree when it is there as one text node */
	if ((a = has_attr(c, "i", NULL)) && (text = attr_text(a))) {
		copy_cut(i, sizeof(i), 0, text);
	} else {
		iv = xmlGetNoNsProp(c, (const xmlChar *)"i");
		copy_cut(i, sizeof(i), 0, iv ? (const char *)iv : "");
		xmlFree(iv);
	}
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
static int seg_walk(struct rd *rd, xmlNodePtr n, int in_code, int depth,
		    int *has_elem)
{
	xmlNodePtr c;
	xmlAttrPtr a;
	char an[128];
	int rc, kind;

	for (c = n->children; c; c = c->next) {
		switch (c->type) {
		case XML_TEXT_NODE:
		case XML_CDATA_SECTION_NODE:
			if (!c->content)
				break;
			if (tmx_escape(&rd->markup, (const char *)c->content,
				       0) ||
			    (!in_code &&
			     tolk_buf_puts(&rd->text,
					   (const char *)c->content)))
				return oom(rd);
			if ((rc = check_size(rd, c)))
				return rc;
			break;
		case XML_ENTITY_REF_NODE:
			return seg_fail(rd, c,
					"entity reference '&%s;' in <seg>: TMX "
					"uses no entities",
					node_name(c));
		case XML_ELEMENT_NODE:
			if (depth + 1 > TM_TMX_MAX_INLINE_DEPTH)
				return seg_fail(rd, c,
						"inline markup nested deeper "
						"than %d levels",
						TM_TMX_MAX_INLINE_DEPTH);
			kind = inline_kind(node_name(c));
			if (!kind) {
				warn(rd, node_line(c), 0,
				     "<%s> is not TMX inline markup: tag "
				     "dropped, its text kept",
				     node_name(c));
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
			    tolk_buf_puts(&rd->markup, node_name(c)))
				return oom(rd);
			for (a = c->properties; a; a = a->next) {
				xmlChar *v = NULL;
				const char *val;

				if (attr_name(rd, a, an, sizeof(an)))
					continue;
				if (!tmx_attr_declared(node_name(c), an)) {
					warn(rd, node_line(c), 0,
					     "attribute '%s' of <%s> is not "
					     "TMX 1.4b: dropped",
					     an, node_name(c));
					continue;
				}
				if (!(val = attr_text(a))) {
					v = xmlNodeGetContent((xmlNodePtr)a);
					val = v ? (const char *)v : "";
				}
				rc = tolk_buf_putc(&rd->markup, ' ') ||
				     tolk_buf_puts(&rd->markup, an) ||
				     tolk_buf_puts(&rd->markup, "=\"") ||
				     tmx_escape(&rd->markup, val, 1) ||
				     tolk_buf_putc(&rd->markup, '"');
				xmlFree(v);
				if (rc)
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
			    tolk_buf_puts(&rd->markup, node_name(c)) ||
			    tolk_buf_putc(&rd->markup, '>'))
				return oom(rd);
			if ((rc = check_size(rd, c)))
				return rc;
			break;
		default: /* comments, processing instructions */
			break;
		}
	}
	return 0;
}

/* A <seg> of text alone (no inline element, no entity): its text goes to
 * rd->text and no markup is built, since none is stored for it.  Escaping
 * at most quintuples a byte, so a text of up to a fifth of the limit
 * cannot fail the size check seg_walk makes on the markup.  1 when done,
 * 0 to leave it to seg_walk, or an error. */
static int seg_plain(struct rd *rd, xmlNodePtr seg)
{
	xmlNodePtr c;

	for (c = seg->children; c; c = c->next)
		if (c->type != XML_TEXT_NODE &&
		    c->type != XML_CDATA_SECTION_NODE &&
		    c->type != XML_COMMENT_NODE && c->type != XML_PI_NODE)
			return 0;
	for (c = seg->children; c; c = c->next) {
		if ((c->type != XML_TEXT_NODE &&
		     c->type != XML_CDATA_SECTION_NODE) ||
		    !c->content)
			continue;
		if (tolk_buf_puts(&rd->text, (const char *)c->content))
			return oom(rd);
		if (rd->text.len > TM_TMX_MAX_SEG_BYTES / 5) {
			tolk_buf_reset(&rd->text);
			return 0;
		}
	}
	return 1;
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
		     xmlNodePtr n)
{
	int is_prop = strcmp(node_name(n), "prop") == 0;
	xmlChar *value = xmlNodeGetContent(n), *type = NULL;
	const char *v = value ? (const char *)value : "";
	xmlAttrPtr a;
	char an[128];
	size_t xi;
	int rc = 0;

	if (is_prop)
		type = xmlGetNoNsProp(n, (const xmlChar *)"type");
	if (type && strncmp((const char *)type, TMX_ATTR_PROP,
			    strlen(TMX_ATTR_PROP)) == 0) {
		const char *name = (const char *)type + strlen(TMX_ATTR_PROP);

		if (level == TM_UNIT_LEVEL)
			rc = tm_unit_set_attr(u, name, v);
		else
			rc = tm_unit_variant_set_attr(u, level, name, v);
		if (rc)
			rc = oom(rd);
		goto done;
	}
	if (tm_unit_add_extra(u, level, is_prop ? TM_EXTRA_PROP : TM_EXTRA_NOTE,
			      v, &xi)) {
		rc = oom(rd);
		goto done;
	}
	for (a = n->properties; a; a = a->next) {
		xmlChar *av;

		if (attr_name(rd, a, an, sizeof(an)))
			continue;
		av = xmlNodeGetContent((xmlNodePtr)a);
		if (is_prop && strcmp(an, "type") == 0 &&
		    strncmp((const char *)av, TMX_PROP_PROP,
			    strlen(TMX_PROP_PROP)) == 0)
			rc = decode_prop(rd, u, xi,
					 (const char *)av +
					     strlen(TMX_PROP_PROP));
		else if (tm_unit_extra_set_attr(u, xi, an,
						av ? (const char *)av : ""))
			rc = oom(rd);
		xmlFree(av);
		if (rc)
			goto done;
	}
done:
	xmlFree(type);
	xmlFree(value);
	return rc;
}

/* A <tuv> that cannot be read: an error, or when recovering a warning
 * and 1 (the caller drops it). */
/* Fails on an entity reference among the children of a <tu> or <tuv>;
 * 0 for any other node. */
static int refuse_entity(struct rd *rd, xmlNodePtr c)
{
	if (c->type != XML_ENTITY_REF_NODE)
		return 0;
	return fail_at(rd, node_line(c), 0,
		       "entity reference '&%s;': TMX uses no entities",
		       node_name(c));
}

static int bad_tuv(struct rd *rd, xmlNodePtr n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad_tuv(struct rd *rd, xmlNodePtr n, const char *fmt, ...)
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

static int add_tuv(struct rd *rd, struct tm_unit *u, xmlNodePtr n)
{
	xmlChar *lang_copy = NULL;
	const char *lang = NULL;
	xmlNodePtr c, seg = NULL;
	xmlAttrPtr a, la;
	struct tolk_err lerr;
	char an[128], date[17];
	size_t vi;
	int rc = 0, has_elem = 0, style;

	la = has_attr(n, "lang", (const char *)XML_XML_NAMESPACE);
	style = 2;
	if (!la) {
		la = has_attr(n, "lang", NULL);
		style = 1;
	}
	if (la && !(lang = attr_text(la))) {
		lang_copy = style == 2
				? xmlGetNsProp(n, (const xmlChar *)"lang",
					       XML_XML_NAMESPACE)
				: xmlGetNoNsProp(n, (const xmlChar *)"lang");
		lang = (const char *)lang_copy;
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
			goto done;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (name_is(node_name(c), "seg")) {
			if (seg) {
				rc = bad_tuv(rd, c,
					     "<tuv> has more than one "
					     "<seg>");
				goto done;
			}
			seg = c;
		} else if (seg && (name_is(node_name(c), "prop") ||
				   name_is(node_name(c), "note"))) {
			warn(rd, node_line(c), 0,
			     "<%s> after <seg>: read as if before it",
			     node_name(c));
		}
	}
	if (!lang) {
		rc = bad_tuv(rd, n, "<tuv> has no xml:lang");
		goto done;
	}
	if (!seg) {
		rc = bad_tuv(rd, n, "<tuv> has no <seg>");
		goto done;
	}
	tolk_buf_reset(&rd->text);
	tolk_buf_reset(&rd->markup);
	rd->nopen = 0;
	rd->pairing[0] = '\0';
	if ((rc = seg_plain(rd, seg)) == 1)
		rc = 0;
	else if (rc == 0 && (rc = seg_walk(rd, seg, 0, 0, &has_elem)) > 0)
		rc = bad_tuv(rd, seg, "%s", rd->seg_msg);
	if (rc)
		goto done;
	if (!rd->pairing[0] && rd->nopen > 0)
		snprintf(rd->pairing, sizeof(rd->pairing),
			 "<bpt i=\"%s\"> without an <ept>", rd->open_i[0]);
	if (rd->pairing[0])
		warn(rd, node_line(seg), 0,
		     "unbalanced inline tags: %s (kept as written)",
		     rd->pairing);
	tolk_err_clear(&lerr);
	if (tm_unit_add_variant(u, lang, tolk_buf_str(&rd->text),
				has_elem ? tolk_buf_str(&rd->markup) : NULL,
				&vi, &lerr)) {
		if (lerr.code == TOLK_ENOMEM)
			rc = oom(rd);
		else
			rc = bad_tuv(rd, n, "'%s' is not a language tag", lang);
		goto done;
	}
	for (a = n->properties; a; a = a->next) {
		xmlChar *v;
		const char *val;

		if (attr_name(rd, a, an, sizeof(an)) ||
		    name_is(an, "xml:lang") ||
		    (name_is(an, "lang") &&
		     !has_attr(n, "lang", (const char *)XML_XML_NAMESPACE)))
			continue;
		v = NULL;
		if (!(val = attr_text(a))) {
			v = xmlNodeGetContent((xmlNodePtr)a);
			val = v ? (const char *)v : "";
		}
		if (tmx_is_date_attr(an) && tm_tmx_date(val, date) == 0)
			val = date;
		if (tm_unit_variant_set_attr(u, vi, an, val))
			rc = oom(rd);
		xmlFree(v);
		if (rc)
			goto done;
	}
	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    (name_is(node_name(c), "prop") ||
		     name_is(node_name(c), "note")) &&
		    (rc = add_extra(rd, u, vi, c)))
			goto done;
done:
	xmlFree(lang_copy);
	return rc < 0 ? rc : 0;
}

static int read_tu(struct rd *rd, xmlNodePtr n)
{
	struct tm_unit *u = NULL;
	xmlNodePtr c;
	xmlAttrPtr a;
	char an[128], date[17], canon[TOLK_LANG_MAX];
	int rc = 0, ntuv = 0;

	rd->tu++;
	if (tmx_pool_unit(rd->pool, &u))
		goto nomem;
	if (tm_unit_set_origin(u, rd->name))
		goto nomem;
	for (a = n->properties; a; a = a->next) {
		xmlChar *v;
		const char *val;

		if (attr_name(rd, a, an, sizeof(an)))
			continue;
		v = NULL;
		if (!(val = attr_text(a))) {
			v = xmlNodeGetContent((xmlNodePtr)a);
			val = v ? (const char *)v : "";
		}
		if (name_is(an, "srclang") &&
		    tolk_lang_canon(val, canon, sizeof(canon)) == 0)
			val = canon;
		else if (tmx_is_date_attr(an) && tm_tmx_date(val, date) == 0)
			val = date;
		rc = tm_unit_set_attr(u, an, val);
		xmlFree(v);
		if (rc)
			goto nomem;
	}
	if (!tm_unit_attr(u, "srclang") && rd->srclang[0] &&
	    tm_unit_set_default_srclang(u, rd->srclang))
		goto nomem;
	for (c = n->children; c; c = c->next) {
		if ((rc = refuse_entity(rd, c)))
			goto done;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (name_is(node_name(c), "tuv") &&
		    ++ntuv > TOLK_MAX_TU_VARIANTS) {
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
		} else if (name_is(node_name(c), "tuv"))
			rc = add_tuv(rd, u, c);
		else if (name_is(node_name(c), "prop") ||
			 name_is(node_name(c), "note"))
			rc = add_extra(rd, u, TM_UNIT_LEVEL, c);
		else
			warn(rd, node_line(c), 0,
			     "unknown element <%s> in <tu>: ignored",
			     node_name(c));
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
			tolk_err_set(rd->err, rc, "reading stopped");
		}
	} else if (rd->o->unit) {
		tolk_err_clear(rd->err);
		rc = rd->o->unit(rd->o->ctx, u, node_line(n), rd->err);
		if (rc)
			rd->failed = 1;
	}
	goto done;
nomem:
	rc = oom(rd);
done:
	tm_unit_free(u);
	return rc;
}

/* Serialises a header child (note, prop, ude) as export writes it. */
static int ser_elem(struct rd *rd, struct tolk_buf *b, xmlNodePtr n)
{
	const char *name = node_name(n);
	int is_prop = strcmp(name, "prop") == 0;
	struct tolk_buf enc = TOLK_BUF_INIT;
	xmlNodePtr c;
	xmlAttrPtr a;
	char an[128];
	int rc = 0, pass;

	if (tolk_buf_printf(b, "<%s", name))
		goto nomem;
	/* A prop's undeclared attributes (and then its type) travel in an
	 * x-tolk-prop type; other elements lose them, with a warning. */
	if (is_prop) {
		int undeclared = 0, typed = 0;

		for (a = n->properties; a; a = a->next) {
			if (a->ns)
				continue;
			if (strcmp((const char *)a->name, "type") == 0)
				typed = 1;
			else if (!tmx_attr_declared(name,
						    (const char *)a->name))
				undeclared = 1;
		}
		if (undeclared || !typed) {
			for (pass = 0; pass < 2; pass++)
				for (a = n->properties; a; a = a->next) {
					xmlChar *v;
					int is_type;

					if (a->ns)
						continue;
					is_type = strcmp((const char *)a->name,
							 "type") == 0;
					if (is_type != (pass == 0) ||
					    (!is_type &&
					     tmx_attr_declared(
						 name, (const char *)a->name)))
						continue;
					v = xmlNodeGetContent((xmlNodePtr)a);
					rc = tmx_prop_encode(
					    &enc, (const char *)a->name,
					    v ? (const char *)v : "");
					xmlFree(v);
					if (rc)
						goto nomem;
				}
			if (tolk_buf_puts(b, " type=\"" TMX_PROP_PROP) ||
			    tmx_escape(b, tolk_buf_str(&enc), 1) ||
			    tolk_buf_putc(b, '"'))
				goto nomem;
		}
	}
	for (a = n->properties; a; a = a->next) {
		xmlChar *v;

		if (attr_name(rd, a, an, sizeof(an)))
			continue;
		if (!tmx_attr_declared(name, an)) {
			if (!is_prop)
				warn(rd, node_line(n), 0,
				     "attribute '%s' of <%s> is not TMX 1.4b: "
				     "dropped",
				     an, name);
			continue;
		}
		if (is_prop && strcmp(an, "type") == 0 && enc.len > 0)
			continue;
		v = xmlNodeGetContent((xmlNodePtr)a);
		rc = tolk_buf_printf(b, " %s=\"", an) ||
		     tmx_escape(b, v ? (const char *)v : "", 1) ||
		     tolk_buf_putc(b, '"');
		xmlFree(v);
		if (rc)
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
		if (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) {
			if (c->content &&
			    tmx_escape(b, (const char *)c->content, 0))
				goto nomem;
		} else if (c->type == XML_ELEMENT_NODE &&
			   strcmp(name, "ude") == 0) {
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

static int read_header(struct rd *rd, xmlNodePtr n)
{
	struct tm_unit *h = NULL, *over = NULL;
	xmlNodePtr c;
	xmlAttrPtr a;
	const char *sl;
	char an[128];
	int rc = 0;

	if (tm_unit_new(&h) || tm_unit_new(&over) ||
	    tm_unit_set_origin(h, rd->name))
		goto nomem;
	for (a = n->properties; a; a = a->next) {
		xmlChar *v;

		if (attr_name(rd, a, an, sizeof(an)))
			continue;
		v = xmlNodeGetContent((xmlNodePtr)a);
		rc = tm_unit_set_attr(h, an, v ? (const char *)v : "");
		xmlFree(v);
		if (rc)
			goto nomem;
	}
	tolk_buf_reset(&rd->body);
	for (c = n->children; c; c = c->next) {
		const char *cn = node_name(c);
		xmlChar *type;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(cn, "prop") == 0) {
			type = xmlGetNoNsProp(c, (const xmlChar *)"type");
			if (type && strncmp((const char *)type, TMX_ATTR_PROP,
					    strlen(TMX_ATTR_PROP)) == 0) {
				xmlFree(type);
				if ((rc =
					 add_extra(rd, over, TM_UNIT_LEVEL, c)))
					goto done;
				continue;
			}
			xmlFree(type);
		}
		if (strcmp(cn, "prop") == 0 || strcmp(cn, "note") == 0) {
			if ((rc = add_extra(rd, h, TM_UNIT_LEVEL, c)))
				goto done;
		} else if (strcmp(cn, "ude") != 0) {
			warn(rd, node_line(c), 0,
			     "unknown element <%s> in <header>: ignored", cn);
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
			tolk_err_set(rd->err, rc, "reading stopped");
		}
	} else if (rd->o->header) {
		tolk_err_clear(rd->err);
		rc = rd->o->header(rd->o->ctx, h, tolk_buf_str(&rd->body),
				   node_line(n), rd->err);
		if (rc)
			rd->failed = 1;
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

/* Returns the libxml2 error recorded for a failed call, or a generic one
 * at the parser's position. */
static int xml_failure(struct rd *rd, const char *what)
{
	if (rd->failed)
		return rd->err ? rd->err->code : TOLK_EINPUT;
	if (rd->io_errno)
		return tolk_err_set(rd->err, TOLK_EIO, "cannot read '%s': %s",
				    rd->name, strerror(rd->io_errno));
	return fail_at(rd,
		       (unsigned long)xmlTextReaderGetParserLineNumber(rd->r),
		       (unsigned long)xmlTextReaderGetParserColumnNumber(rd->r),
		       "%s", what);
}

/* TMX 1.4b allows UTF-8, UTF-16 and US-ASCII only; libxml2 reads the
 * others (windows-1252, ISO-8859-x) well, so they get a warning. */
static void check_encoding(struct rd *rd)
{
	static const char *const ok[] = {"utf-8",    "utf8",	 "utf-16",
					 "utf-16le", "utf-16be", "us-ascii",
					 "ascii"};
	const char *enc = (const char *)xmlTextReaderConstEncoding(rd->r);
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

static int read_loop(struct rd *rd)
{
	xmlTextReaderPtr r = rd->r;
	int ret, rc = 0, seen_root = 0, skip;
	xmlNodePtr n;

	ret = xmlTextReaderRead(r);
	while (ret == 1 && !rd->failed) {
		const char *name;
		int depth;

		skip = 0;
		if (xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
			ret = xmlTextReaderRead(r);
			continue;
		}
		name = (const char *)xmlTextReaderConstLocalName(r);
		depth = xmlTextReaderDepth(r);
		if (depth == 0) {
			xmlChar *v;

			if (strcmp(name, "tmx") != 0)
				return fail_at(
				    rd, node_line(xmlTextReaderCurrentNode(r)),
				    0,
				    "not a TMX file: the root element is "
				    "<%s>, not <tmx>",
				    name);
			seen_root = 1;
			check_encoding(rd);
			v = xmlTextReaderGetAttribute(
			    r, (const xmlChar *)"version");
			if (!v)
				warn(rd, node_line(xmlTextReaderCurrentNode(r)),
				     0,
				     "<tmx> has no version attribute: read as "
				     "TMX 1.4");
			xmlFree(v);
		} else if (depth == 1 && strcmp(name, "header") == 0) {
			if (!(n = xmlTextReaderExpand(r)))
				return xml_failure(rd, "cannot read <header>");
			if ((rc = read_header(rd, n)))
				return rc;
			skip = 1;
		} else if (depth == 1 && strcmp(name, "body") == 0) {
			/* descend */
		} else if (depth == 2 && strcmp(name, "tu") == 0) {
			unsigned long tu_line =
			    node_line(xmlTextReaderCurrentNode(r));

			rd->tu_start = rd->bytes;
			rd->tu_reading = 1;
			n = xmlTextReaderExpand(r);
			rd->tu_reading = 0;
			if (!n && rd->tu_too_big)
				return fail_at(rd, tu_line, 0,
					       "<tu> longer than the limit of "
					       "%d bytes",
					       TM_TMX_MAX_TU_BYTES);
			if (!n) {
				if (!(rd->o->flags & TM_TMX_RECOVER))
					return xml_failure(rd,
							   "cannot read <tu>");
				warn(rd, node_line(xmlTextReaderCurrentNode(r)),
				     0,
				     "dropped an unreadable <tu> and the rest "
				     "of the file");
				break;
			}
			if ((rc = read_tu(rd, n)))
				return rc;
			if ((rd->tu & 255) == 0)
				progress(rd);
			skip = 1;
		} else {
			warn(rd, node_line(xmlTextReaderCurrentNode(r)), 0,
			     "unknown element <%s>: ignored", name);
			skip = 1;
		}
		ret = skip ? xmlTextReaderNext(r) : xmlTextReaderRead(r);
	}
	if (rd->failed)
		return rd->err ? rd->err->code : TOLK_EINPUT;
	if (ret < 0) {
		if (!(rd->o->flags & TM_TMX_RECOVER))
			return xml_failure(rd, "XML parse error");
		warn(rd, (unsigned long)xmlTextReaderGetParserLineNumber(r), 0,
		     "cannot read further: the rest of the file is dropped");
	}
	if (!seen_root)
		return fail_at(rd, 1, 0, "not a TMX file: no <tmx> element");
	progress(rd);
	return 0;
}

static int read_file(const char *path, const struct tm_tmx_import_opts *io,
		     const struct tm_tmx_read_opts *o, tmx_take_fn take,
		     struct tmx_pool *pool, struct tolk_err *err)
{
	struct tolk_xml_handlers saved;
	struct rd rd;
	struct stat sb;
	int rc, options;

	(void)io; /* a TMX file says what the import options would */
	memset(&rd, 0, sizeof(rd));
	rd.o = o;
	rd.take = take;
	rd.pool = pool;
	rd.err = err;
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
	/* No NOENT, DTDLOAD, DTDVALID or HUGE: entities stay references
	 * (refused in content), nothing external is loaded, and libxml2's
	 * limits on names, text and depth apply. */
	options = TOLK_XML_OPTIONS;
	if (o->flags & TM_TMX_RECOVER)
		options |= XML_PARSE_RECOVER;
	rd.r = xmlReaderForIO(io_read, io_close, &rd, rd.name, NULL, options);
	if (!rd.r) {
		rc = tolk_err_set(err, TOLK_ENOMEM,
				  "cannot create an XML reader");
		goto done;
	}
	xmlTextReaderSetStructuredErrorHandler(rd.r, on_xml_error, &rd);
	/* encoding errors bypass the reader's handler and would be printed
	 * raw; the reader's own error says what went wrong */
	tolk_xml_quiet(&saved);
	rc = read_loop(&rd);
	tolk_xml_restore(&saved);
	/* libxml2's words for these are misleading ("Extra content at the
	 * end of the document" for no content at all). */
	if (rc && rd.io_errno)
		rc = tolk_err_set(err, TOLK_EIO, "cannot read '%s': %s",
				  rd.name, strerror(rd.io_errno));
	else if (rc && rd.bytes == 0)
		rc = tolk_err_set_at(err, TOLK_EINPUT, rd.name, 0, 0,
				     "empty file: not TMX");
	if (rc == 0 && rd.ctl_removed)
		warn(&rd, 0, 0, "removed %lu invalid control characters",
		     rd.ctl_removed);
	if (rc == 0 && rd.dropped)
		warn(&rd, 0, 0, "dropped %lu unreadable <tuv>", rd.dropped);
	if (o->stats) {
		o->stats->tu = rd.tu;
		o->stats->empty = rd.empty;
		o->stats->dropped = rd.dropped + rd.ctl_removed;
	}
done:
	xmlFreeTextReader(rd.r);
	if (rd.fd != STDIN_FILENO)
		close(rd.fd);
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

static int has_pair(const struct tm_unit *u, const char *src, const char *tgt)
{
	size_t i, s = TM_UNIT_LEVEL, t = TM_UNIT_LEVEL;

	if (!src || !tgt)
		return 1;
	for (i = 0; i < tm_unit_variant_count(u); i++) {
		const char *l = tm_unit_variant_lang(u, i);

		if (s == TM_UNIT_LEVEL && tolk_lang_same(l, src))
			s = i;
		else if (t == TM_UNIT_LEVEL && tolk_lang_same(l, tgt))
			t = i;
	}
	return s != TM_UNIT_LEVEL && t != TM_UNIT_LEVEL;
}

int tmx_store_unit(struct tmx_imp *im, const struct tm_unit *u,
		   const char *file, unsigned long line, struct tolk_err *err)
{
	enum tm_add_result res;
	int rc;

	int pair = has_pair(u, im->o->source_lang, im->o->target_lang);

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
};

/* Enough to ride over the importer's pauses (a flush of the postings)
 * and the scheduler's: three threads share two cores, and with a queue
 * of 128 events the row writer was woken for nearly every unit.  Not
 * much more: 256 units are half a megabyte, still in the caches when
 * the writer reads them back; a queue of 1,024 cost the import a fifth
 * more CPU at 1,000,000 units. */
#define AHEAD_EVENTS 256
/* the importer, once out of events, waits for this many: a wake-up per
 * event cost both threads more than the event */
#define AHEAD_WAKE  (AHEAD_EVENTS / 4)
#define SPENT_BATCH 64 /* units handed back at a time */
#define AHEAD_SOON  4  /* the unit whose lookup is fetched ahead */

struct ahead {
	pthread_mutex_t mu;
	pthread_cond_t more, room;
	struct ev q[AHEAD_EVENTS];
	size_t head, n;
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
	/* once full, wait for half the queue: a wake-up per event would
	 * cost more than the event */
	if (a->n == AHEAD_EVENTS)
		while (a->n > AHEAD_EVENTS / 2 && !a->stop) {
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
	/* queued, so the importer's until it hands it back */
	*soon = a->n > AHEAD_SOON
		    ? a->q[(a->head + AHEAD_SOON) % AHEAD_EVENTS].u
		    : NULL;
	if (a->want_room && a->n <= AHEAD_EVENTS / 2) {
		a->want_room = 0;
		pthread_cond_signal(&a->room);
	}
	pthread_mutex_unlock(&a->mu);
	return 1;
}

static int ahead_take(void *ctx, struct tm_unit *u, const char *body,
		      unsigned long line)
{
	struct ev e = {body ? EV_HEADER : EV_UNIT, u, NULL, line, 0, 0, 0};

	/* the unit's keys and normalised texts are worked out here, beside
	 * the row writer rather than on its thread */
	if ((body && !(e.text = strdup(body))) ||
	    (!body && tm_store_prepare(u))) {
		ev_free(&e);
		return TOLK_ENOMEM;
	}
	return ahead_push(ctx, &e);
}

static void ahead_warn(void *ctx, const char *file, unsigned long line,
		       unsigned long col, const char *msg)
{
	struct ev e = {EV_WARN, NULL, NULL, line, col, 0, 0};
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
	struct ev e = {EV_PROGRESS, NULL, NULL, 0, 0, units, bytes};

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
	struct tmx_imp im = {s, o, st};
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
