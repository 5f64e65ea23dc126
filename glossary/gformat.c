/* Glossary exchange formats: OmegaT TSV and TBX-Basic. */
#include "glossary/gl_int.h"
#include "glossary/glossary.h"
#include "util/buf.h"
#include "util/lang.h"
#include "util/limit.h"
#include "util/ofile.h"
#include "util/utf8.h"
#include "util/vec.h"
#include "util/xml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>

int gl_format_parse(const char *name, enum gl_format *out, struct tolk_err *err)
{
	if (!strcasecmp(name, "tsv") || !strcasecmp(name, "txt") ||
	    !strcasecmp(name, "tab") || !strcasecmp(name, "utf8")) {
		*out = GL_FORMAT_TSV;
		return 0;
	}
	if (!strcasecmp(name, "tbx")) {
		*out = GL_FORMAT_TBX;
		return 0;
	}
	return tolk_err_set(err, TOLK_EUSAGE,
			    "unknown glossary format '%s' (tsv or tbx)", name);
}

int gl_format_resolve(const char *path, enum gl_format *fmt,
		      struct tolk_err *err)
{
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');

	if (*fmt != GL_FORMAT_AUTO)
		return 0;
	if (dot && (!slash || dot > slash) &&
	    gl_format_parse(dot + 1, fmt, NULL) == 0)
		return 0;
	return tolk_err_set(err, TOLK_EUSAGE,
			    "cannot tell the format of '%s' from its name: "
			    "give --format tsv or --format tbx",
			    path);
}

/* Entries being read, merged by term. */
struct reader {
	struct gl_entry *v;
	size_t n, cap;
	struct gl_strmap byterm;
	unsigned char *case_given; /* per entry: a case rule was read */
};

static int reader_entry(struct reader *r, const char *term, size_t *idx,
			struct tolk_err *err)
{
	struct gl_entry e;
	int rc;

	gl_entry_init(&e);
	if ((rc = gl_entry_set_term(&e, term, err)))
		return rc;
	if (gl_strmap_get(&r->byterm, e.term, strlen(e.term), idx)) {
		gl_entry_release(&e);
		return 0;
	}
	if (r->n == r->cap) {
		/* the two arrays share r->cap: each grows to the same
		 * capacity, and r->cap moves only once both have */
		size_t vcap = r->cap, ccap = r->cap;

		if (TOLK_GROW(r->v, vcap, r->n + 1, 64) ||
		    TOLK_GROW(r->case_given, ccap, r->n + 1, 64)) {
			gl_entry_release(&e);
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		}
		r->cap = vcap;
	}
	if (gl_strmap_put(&r->byterm, e.term, strlen(e.term), r->n)) {
		gl_entry_release(&e);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	e.case_sensitive = gl_term_default_case(e.term);
	r->case_given[r->n] = 0;
	r->v[r->n] = e;
	*idx = r->n++;
	return 0;
}

static int append_note(char **note, const char *text, struct tolk_err *err)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	char *v;

	if (!text || !*text)
		return 0;
	if (!*note)
		return gl_entry_set_str(note, text, err);
	if (strcmp(*note, text) == 0)
		return 0;
	if (tolk_buf_printf(&b, "%s\n%s", *note, text) ||
	    !(v = tolk_buf_detach(&b))) {
		tolk_buf_free(&b);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	free(*note);
	*note = v;
	return 0;
}

/* ---- TSV ---------------------------------------------------------------- */

/* Decodes the backslash escapes of a field in place. */
static void tsv_unescape(char *s)
{
	char *w = s;

	for (; *s; s++) {
		/* s[1] first: strchr would find the terminator too */
		if (*s == '\\' && s[1] && strchr("tnr\\", s[1])) {
			s++;
			*w++ = *s == 't'   ? '\t'
			       : *s == 'n' ? '\n'
			       : *s == 'r' ? '\r'
					   : '\\';
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

static int valid_date(const char *s)
{
	int i;

	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return 0;
		} else if (s[i] < '0' || s[i] > '9') {
			return 0;
		}
	}
	return s[10] == '\0';
}

/* One tolk column (name=value) of row line. */
static int tsv_extra(struct reader *r, size_t idx, char *field,
		     const char *path, unsigned long line, unsigned long col,
		     struct tolk_err *err)
{
	struct gl_entry *e = &r->v[idx];
	char *eq = strchr(field, '=');
	const char *val;
	int rc = 0;

	if (!eq)
		return tolk_err_set_at(err, TOLK_EINPUT, path, line, col,
				       "column 4 and later must be name=value, "
				       "not '%s'",
				       field);
	*eq = '\0';
	val = eq + 1;
	if (!strcmp(field, "forbid")) {
		rc = gl_entry_add_forbidden(e, val, err);
	} else if (!strcmp(field, "except")) {
		rc = gl_entry_add_except(e, val, err);
	} else if (!strcmp(field, "case")) {
		if (strcmp(val, "sensitive") && strcmp(val, "insensitive"))
			return tolk_err_set_at(
			    err, TOLK_EINPUT, path, line, col,
			    "case must be sensitive or insensitive, not "
			    "'%s'",
			    val);
		e->case_sensitive = strcmp(val, "sensitive") == 0;
		r->case_given[idx] = 1;
	} else if (!strcmp(field, "pos")) {
		rc = gl_entry_set_str(&e->pos, val, err);
	} else if (!strcmp(field, "domain")) {
		rc = gl_entry_set_str(&e->domain, val, err);
	} else if (!strcmp(field, "created") || !strcmp(field, "modified")) {
		if (!valid_date(val))
			return tolk_err_set_at(
			    err, TOLK_EINPUT, path, line, col,
			    "%s must be YYYY-MM-DD, not '%s'", field, val);
		memcpy(field[0] == 'c' ? e->created : e->modified, val, 11);
	} else {
		return tolk_err_set_at(
		    err, TOLK_EINPUT, path, line, col,
		    "unknown column '%s' (forbid, except, case, pos, "
		    "domain, created, modified)",
		    field);
	}
	if (rc && err && !err->line) {
		char msg[sizeof(err->msg)];

		memcpy(msg, err->msg, sizeof(msg));
		tolk_err_set_at(err, rc, path, line, col, "%s", msg);
	}
	return rc;
}

static int tsv_row(struct reader *r, char *row, const char *path,
		   unsigned long line, struct tolk_err *err)
{
	char *fields[64];
	size_t nf = 0, i, idx = 0, bad;
	unsigned long cols[64], col;
	char *p = row;
	int rc;

	if (!tolk_utf8_valid(row, strlen(row), &bad))
		return tolk_err_set_at(err, TOLK_EINPUT, path, line, bad + 1,
				       "invalid UTF-8");
	for (;;) {
		char *tab = strchr(p, '\t');

		if (nf == 64)
			return tolk_err_set_at(err, TOLK_EINPUT, path, line, 1,
					       "too many columns");
		cols[nf] = (unsigned long)(p - row) + 1;
		fields[nf++] = p;
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	for (i = 0; i < nf; i++)
		tsv_unescape(fields[i]);
	if (nf < 2 || !*fields[1])
		return tolk_err_set_at(err, TOLK_EINPUT, path, line,
				       nf < 2 ? (unsigned long)strlen(row) + 1
					      : cols[1],
				       "no translation: rows are "
				       "term<TAB>translation[<TAB>comment]");
	col = cols[0];
	if (!(rc = reader_entry(r, fields[0], &idx, err))) {
		col = cols[1];
		rc = gl_entry_add_approved(&r->v[idx], fields[1], err);
	}
	if (rc) {
		char msg[sizeof(err->msg)];

		if (!err)
			return rc;
		memcpy(msg, err->msg, sizeof(msg));
		return tolk_err_set_at(err, rc, path, line, col, "%s", msg);
	}
	if (nf > 2 && (rc = append_note(&r->v[idx].note, fields[2], err)))
		return rc;
	for (i = 3; i < nf; i++)
		if (*fields[i] && (rc = tsv_extra(r, idx, fields[i], path, line,
						  cols[i], err)))
			return rc;
	return 0;
}

/* Bad rows do not stop the reading: an editor fixing a big glossary wants
 * them all at once.  The first is err's location; the next ones are added
 * to its message, one "FILE:LINE:COL: message" line each. */
#define MAX_REPORTED_ROWS 10

static int tsv_read(struct reader *r, const char *path, char *text,
		    struct tolk_err *err)
{
	struct tolk_err row;
	struct gl_lines lines;
	unsigned long bad = 0;
	size_t len;
	char *p;
	int rc, first_rc = 0;

	gl_lines_init(&lines, text);
	while ((p = gl_lines_next(&lines, &len))) {
		p = (char *)(len && p[0] != '#' && strspn(p, " \t") != len
				 ? p
				 : NULL);
		if (p && len > TOLK_MAX_LINE_BYTES)
			rc = tolk_err_line_too_long(&row, path, lines.line,
						    TOLK_MAX_LINE_BYTES);
		else if (p)
			rc = tsv_row(r, p, path, lines.line, &row);
		else
			rc = 0;
		if (rc) {
			if (rc != TOLK_EINPUT) {
				if (err)
					*err = row;
				return rc;
			}
			if (++bad == 1) {
				first_rc = rc;
				if (err)
					*err = row;
			} else if (bad <= MAX_REPORTED_ROWS && err) {
				size_t n = strlen(err->msg);

				snprintf(err->msg + n, sizeof(err->msg) - n,
					 "\n%s:%lu:%lu: %s", row.file, row.line,
					 row.col, row.msg);
			}
		}
	}
	if (bad > 1 && err) {
		size_t n = strlen(err->msg);

		snprintf(err->msg + n, sizeof(err->msg) - n,
			 "\n%s: %lu bad rows; nothing was imported", path, bad);
	}
	return first_rc;
}

static int tsv_put_field(struct tolk_buf *b, const char *s)
{
	for (; s && *s; s++) {
		const char *esc = *s == '\t'   ? "\\t"
				  : *s == '\n' ? "\\n"
				  : *s == '\r' ? "\\r"
				  : *s == '\\' ? "\\\\"
					       : NULL;

		if (esc ? tolk_buf_puts(b, esc) : tolk_buf_putc(b, *s))
			return TOLK_ENOMEM;
	}
	return 0;
}

static int tsv_write(struct tolk_buf *b, const struct gl_entry *v, size_t n)
{
	size_t i, k;
	int rc = tolk_buf_puts(
	    b, "# tolk glossary (OmegaT): term<TAB>translation<TAB>"
	       "comment; later columns are tolk's, name=value\n");

	for (i = 0; i < n && !rc; i++) {
		const struct gl_entry *e = &v[i];

		for (k = 0; k < e->napproved && !rc; k++) {
			rc = tsv_put_field(b, e->term) ||
			     tolk_buf_putc(b, '\t') ||
			     tsv_put_field(b, e->approved[k]);
			if (k > 0) {
				rc = rc || tolk_buf_putc(b, '\n');
				continue;
			}
			rc = rc || tolk_buf_putc(b, '\t') ||
			     tsv_put_field(b, e->note);
			if (e->case_sensitive != gl_term_default_case(e->term))
				rc = rc || tolk_buf_printf(b, "\tcase=%s",
							   e->case_sensitive
							       ? "sensitive"
							       : "insensitive");
			if (e->pos)
				rc = rc || tolk_buf_puts(b, "\tpos=") ||
				     tsv_put_field(b, e->pos);
			if (e->domain)
				rc = rc || tolk_buf_puts(b, "\tdomain=") ||
				     tsv_put_field(b, e->domain);
			for (size_t f = 0; f < e->nforbidden; f++)
				rc = rc || tolk_buf_puts(b, "\tforbid=") ||
				     tsv_put_field(b, e->forbidden[f]);
			for (size_t x = 0; x < e->nexcept; x++)
				rc = rc || tolk_buf_puts(b, "\texcept=") ||
				     tsv_put_field(b, e->except[x]);
			if (e->created[0])
				rc = rc || tolk_buf_printf(b, "\tcreated=%s",
							   e->created);
			if (e->modified[0])
				rc = rc || tolk_buf_printf(b, "\tmodified=%s",
							   e->modified);
			rc = rc || tolk_buf_putc(b, '\n');
		}
	}
	return rc ? TOLK_ENOMEM : 0;
}

/* ---- TBX ---------------------------------------------------------------- */

#define TBX_NS	      "urn:iso:std:iso:30042:ed-2"
#define CASE_NOTE_ON  "tolk:case-sensitive"
#define CASE_NOTE_OFF "tolk:case-insensitive"
/* an exception phrase of the entry: tolk:except:PHRASE */
#define EXCEPT_NOTE "tolk:except:"

static int is_el(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE &&
	       strcmp((const char *)n->name, name) == 0;
}

static char *attr(const xmlNode *n, const char *name)
{
	return (char *)xmlGetProp(n, (const xmlChar *)name);
}

static int attr_is(const xmlNode *n, const char *name, const char *value)
{
	char *a = attr(n, name);
	int r = a && strcmp(a, value) == 0;

	xmlFree(a);
	return r;
}

static char *content(const xmlNode *n)
{
	return (char *)xmlNodeGetContent(n);
}

/* The language of a langSec/langSet: xml:lang (v3 and v2), or lang. */
static int lang_of(const xmlNode *n, const char *lang)
{
	xmlChar *l =
	    xmlGetNsProp(n, (const xmlChar *)"lang", XML_XML_NAMESPACE);
	int r;

	if (!l)
		l = xmlGetProp(n, (const xmlChar *)"lang");
	r = l && tolk_lang_same((const char *)l, lang);
	xmlFree(l);
	return r;
}

struct tbx_term {
	char *text;
	int source; /* in the source language section, else the target's */
	int forbidden, preferred, case_rule; /* case_rule: -1 unset */
	char *pos, *notes;
	char **except;
	size_t nexcept;
	long line;
};

static void tbx_term_release(struct tbx_term *t)
{
	xmlFree(t->text);
	xmlFree(t->pos);
	free(t->notes);
	for (size_t i = 0; i < t->nexcept; i++)
		free(t->except[i]);
	free(t->except);
}

/* Reads a termSec (v3), tig or ntig (v2). */
static int tbx_term_read(const xmlNode *sec, struct tbx_term *t,
			 struct tolk_err *err)
{
	const xmlNode *c;
	int rc = 0;

	memset(t, 0, sizeof(*t));
	t->case_rule = -1;
	t->line = xmlGetLineNo(sec);
	for (c = sec->children; c && !rc; c = c->next) {
		if (is_el(c, "termGrp")) {
			/* v2 ntig: term and termNotes one level down */
			struct tbx_term inner;

			if ((rc = tbx_term_read(c, &inner, err))) {
				tbx_term_release(&inner);
				break;
			}
			if (!t->text) {
				t->text = inner.text;
				inner.text = NULL;
			}
			t->forbidden |= inner.forbidden;
			t->preferred |= inner.preferred;
			if (!t->pos) {
				t->pos = inner.pos;
				inner.pos = NULL;
			}
			tbx_term_release(&inner);
		} else if (is_el(c, "term") && !t->text) {
			t->text = content(c);
		} else if (is_el(c, "termNote")) {
			char *v = content(c);

			if (attr_is(c, "type", "administrativeStatus")) {
				t->forbidden =
				    v && (strstr(v, "deprecatedTerm") ||
					  strstr(v, "supersededTerm"));
				t->preferred = v && strstr(v, "preferredTerm");
			} else if (attr_is(c, "type", "partOfSpeech") &&
				   !t->pos) {
				t->pos = v;
				v = NULL;
			}
			xmlFree(v);
		} else if (is_el(c, "note")) {
			char *v = content(c);

			if (v && !strcmp(v, CASE_NOTE_ON))
				t->case_rule = 1;
			else if (v && !strcmp(v, CASE_NOTE_OFF))
				t->case_rule = 0;
			else if (v && !strncmp(v, EXCEPT_NOTE,
					       strlen(EXCEPT_NOTE))) {
				char **p = realloc(t->except, (t->nexcept + 1) *
								  sizeof(*p));

				if (p)
					t->except = p;
				if (!p || !(p[t->nexcept] = strdup(
						v + strlen(EXCEPT_NOTE))))
					rc = tolk_err_set(err, TOLK_ENOMEM,
							  "out of memory");
				else
					t->nexcept++;
			} else
				rc = append_note(&t->notes, v, err);
			xmlFree(v);
		}
	}
	return rc;
}

static int tbx_date(char out[11], const char *v)
{
	char d[11];

	if (!v || strlen(v) < 10)
		return 0;
	memcpy(d, v, 10);
	d[10] = '\0';
	if (!valid_date(d))
		return 0;
	memcpy(out, d, 11);
	return 1;
}

static int tbx_concept(struct reader *r, const xmlNode *ce, const char *path,
		       const char *src, const char *tgt, struct tolk_err *err)
{
	struct tbx_term *terms = NULL;
	size_t nterms = 0, cap = 0, i, k, idx;
	char created[11] = "", modified[11] = "";
	char *note = NULL, *domain = NULL;
	const xmlNode *c, *s;
	int rc = 0, napproved = 0;

	for (c = ce->children; c && !rc; c = c->next) {
		if (is_el(c, "descrip") && attr_is(c, "type", "subjectField")) {
			char *v = content(c);

			rc = append_note(&domain, v, err);
			xmlFree(v);
		} else if (is_el(c, "note")) {
			char *v = content(c);

			rc = append_note(&note, v, err);
			xmlFree(v);
		} else if (is_el(c, "transacGrp")) {
			char *kind = NULL, *date = NULL;

			for (s = c->children; s; s = s->next) {
				if (is_el(s, "transac") && !kind)
					kind = content(s);
				else if (is_el(s, "date") && !date)
					date = content(s);
			}
			if (kind && !strcmp(kind, "origination"))
				tbx_date(created, date);
			else if (kind && !strcmp(kind, "modification"))
				tbx_date(modified, date);
			xmlFree(kind);
			xmlFree(date);
		} else if (is_el(c, "langSec") || is_el(c, "langSet")) {
			int is_src = lang_of(c, src), is_tgt = lang_of(c, tgt);

			if (!is_src && !is_tgt)
				continue;
			for (s = c->children; s && !rc; s = s->next) {
				struct tbx_term t;

				if (!is_el(s, "termSec") && !is_el(s, "tig") &&
				    !is_el(s, "ntig"))
					continue;
				if (TOLK_GROW(terms, cap, nterms + 1, 8)) {
					rc = tolk_err_set(err, TOLK_ENOMEM,
							  "out of memory");
					break;
				}
				rc = tbx_term_read(s, &t, err);
				t.source = is_src;
				terms[nterms++] = t;
				if (!rc && (!t.text || !*t.text))
					rc = tolk_err_set_at(
					    err, TOLK_EINPUT, path,
					    (unsigned long)t.line, 0,
					    "term without text");
			}
		}
	}
	for (i = 0; i < nterms; i++)
		if (!terms[i].source && !terms[i].forbidden)
			napproved++;
	for (i = 0; i < nterms && !rc; i++) {
		struct gl_entry *e;

		if (!terms[i].source)
			continue;
		if (!napproved) {
			rc = tolk_err_set_at(err, TOLK_EINPUT, path,
					     (unsigned long)xmlGetLineNo(ce), 0,
					     "term '%s' has no approved "
					     "translation",
					     terms[i].text);
			break;
		}
		if ((rc = reader_entry(r, terms[i].text, &idx, err))) {
			if (err && !err->line) {
				char msg[sizeof(err->msg)];

				memcpy(msg, err->msg, sizeof(msg));
				tolk_err_set_at(err, rc, path,
						(unsigned long)terms[i].line, 0,
						"%s", msg);
			}
			break;
		}
		e = &r->v[idx];
		/* preferred terms first, then the other approved ones */
		for (k = 0; k < 2 * nterms && !rc; k++) {
			const struct tbx_term *t = &terms[k % nterms];

			if (!t->source && !t->forbidden &&
			    (k < nterms) == !!t->preferred)
				rc = gl_entry_add_approved(e, t->text, err);
		}
		for (k = 0; k < nterms && !rc; k++)
			if (!terms[k].source && terms[k].forbidden)
				rc = gl_entry_add_forbidden(e, terms[k].text,
							    err);
		if (!rc)
			rc = append_note(&e->note, note, err);
		if (!rc)
			rc = append_note(&e->note, terms[i].notes, err);
		if (!rc && domain && !e->domain)
			rc = gl_entry_set_str(&e->domain, domain, err);
		if (!rc && terms[i].pos && !e->pos)
			rc = gl_entry_set_str(&e->pos, terms[i].pos, err);
		for (k = 0; k < terms[i].nexcept && !rc; k++)
			rc = gl_entry_add_except(e, terms[i].except[k], err);
		if (terms[i].case_rule >= 0) {
			e->case_sensitive = terms[i].case_rule;
			r->case_given[idx] = 1;
		}
		if (created[0])
			memcpy(e->created, created, 11);
		if (modified[0])
			memcpy(e->modified, modified, 11);
		if (rc && err && !err->line) {
			char msg[sizeof(err->msg)];

			memcpy(msg, err->msg, sizeof(msg));
			tolk_err_set_at(err, rc, path,
					(unsigned long)terms[i].line, 0, "%s",
					msg);
		}
	}
	for (i = 0; i < nterms; i++)
		tbx_term_release(&terms[i]);
	free(terms);
	free(note);
	free(domain);
	return rc;
}

static int tbx_walk(struct reader *r, const xmlNode *n, const char *path,
		    const char *src, const char *tgt, struct tolk_err *err)
{
	int rc = 0;

	for (; n && !rc; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (is_el(n, "conceptEntry") || is_el(n, "termEntry"))
			rc = tbx_concept(r, n, path, src, tgt, err);
		else if (!is_el(n, "tbxHeader") && !is_el(n, "martifHeader"))
			rc = tbx_walk(r, n->children, path, src, tgt, err);
	}
	return rc;
}

static int tbx_read(struct reader *r, const char *path, const char *data,
		    size_t len, const char *src, const char *tgt,
		    struct tolk_err *err)
{
	xmlDoc *doc = NULL;
	xmlNode *root;
	int rc;

	if ((rc = tolk_xml_parse(&doc, data, len, path, 0, err)))
		return rc;
	root = xmlDocGetRootElement(doc);
	if (!root || (!is_el(root, "tbx") && !is_el(root, "martif"))) {
		rc = tolk_xml_bad_root(err, path, root, "TBX");
		goto done;
	}
	rc = tbx_walk(r, root->children, path, src, tgt, err);
	if (!rc && r->n == 0)
		rc = tolk_err_set_at(err, TOLK_EINPUT, path, 0, 0,
				     "no concept has both a '%s' and a '%s' "
				     "term",
				     src, tgt);
done:
	xmlFreeDoc(doc);
	return rc;
}

static int tbx_write(struct tolk_buf *out, const struct gl_entry *v, size_t n,
		     const char *src, const char *tgt)
{
	xmlBuffer *xb = xmlBufferCreate();
	xmlTextWriter *w = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
	char id[32];
	size_t i, k;
	int ok = 1;

#define W(call) (ok = ok && (call) >= 0)
#define X(s)	((const xmlChar *)(s))
	if (!w) {
		xmlBufferFree(xb);
		return TOLK_ENOMEM;
	}
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, X("\t"));
	W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
	W(xmlTextWriterStartElement(w, X("tbx")));
	W(xmlTextWriterWriteAttribute(w, X("type"), X("TBX-Basic")));
	W(xmlTextWriterWriteAttribute(w, X("style"), X("dca")));
	W(xmlTextWriterWriteAttribute(w, X("xml:lang"), X(src)));
	W(xmlTextWriterWriteAttribute(w, X("xmlns"), X(TBX_NS)));
	W(xmlTextWriterStartElement(w, X("tbxHeader")));
	W(xmlTextWriterStartElement(w, X("fileDesc")));
	W(xmlTextWriterStartElement(w, X("sourceDesc")));
	W(xmlTextWriterWriteElement(w, X("p"), X("Exported by tolk")));
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterEndElement(w));
	W(xmlTextWriterStartElement(w, X("text")));
	W(xmlTextWriterStartElement(w, X("body")));
	for (i = 0; i < n && ok; i++) {
		const struct gl_entry *e = &v[i];

		snprintf(id, sizeof(id), "c%zu", i + 1);
		W(xmlTextWriterStartElement(w, X("conceptEntry")));
		W(xmlTextWriterWriteAttribute(w, X("id"), X(id)));
		if (e->domain) {
			W(xmlTextWriterStartElement(w, X("descrip")));
			W(xmlTextWriterWriteAttribute(w, X("type"),
						      X("subjectField")));
			W(xmlTextWriterWriteString(w, X(e->domain)));
			W(xmlTextWriterEndElement(w));
		}
		for (k = 0; k < 2; k++) {
			const char *d = k ? e->modified : e->created;

			if (!d[0])
				continue;
			W(xmlTextWriterStartElement(w, X("transacGrp")));
			W(xmlTextWriterStartElement(w, X("transac")));
			W(xmlTextWriterWriteAttribute(w, X("type"),
						      X("transactionType")));
			W(xmlTextWriterWriteString(
			    w, X(k ? "modification" : "origination")));
			W(xmlTextWriterEndElement(w));
			W(xmlTextWriterWriteElement(w, X("date"), X(d)));
			W(xmlTextWriterEndElement(w));
		}
		if (e->note)
			W(xmlTextWriterWriteElement(w, X("note"), X(e->note)));
		W(xmlTextWriterStartElement(w, X("langSec")));
		W(xmlTextWriterWriteAttribute(w, X("xml:lang"), X(src)));
		W(xmlTextWriterStartElement(w, X("termSec")));
		W(xmlTextWriterWriteElement(w, X("term"), X(e->term)));
		if (e->pos) {
			W(xmlTextWriterStartElement(w, X("termNote")));
			W(xmlTextWriterWriteAttribute(w, X("type"),
						      X("partOfSpeech")));
			W(xmlTextWriterWriteString(w, X(e->pos)));
			W(xmlTextWriterEndElement(w));
		}
		if (e->case_sensitive != gl_term_default_case(e->term))
			W(xmlTextWriterWriteElement(w, X("note"),
						    X(e->case_sensitive
							  ? CASE_NOTE_ON
							  : CASE_NOTE_OFF)));
		for (k = 0; k < e->nexcept; k++) {
			W(xmlTextWriterStartElement(w, X("note")));
			W(xmlTextWriterWriteString(w, X(EXCEPT_NOTE)));
			W(xmlTextWriterWriteString(w, X(e->except[k])));
			W(xmlTextWriterEndElement(w));
		}
		W(xmlTextWriterEndElement(w));
		W(xmlTextWriterEndElement(w));
		W(xmlTextWriterStartElement(w, X("langSec")));
		W(xmlTextWriterWriteAttribute(w, X("xml:lang"), X(tgt)));
		for (k = 0; k < e->napproved + e->nforbidden; k++) {
			int f = k >= e->napproved;

			W(xmlTextWriterStartElement(w, X("termSec")));
			W(xmlTextWriterWriteElement(
			    w, X("term"),
			    X(f ? e->forbidden[k - e->napproved]
				: e->approved[k])));
			W(xmlTextWriterStartElement(w, X("termNote")));
			W(xmlTextWriterWriteAttribute(
			    w, X("type"), X("administrativeStatus")));
			W(xmlTextWriterWriteString(
			    w, X(f	  ? "deprecatedTerm-admn-sts"
				 : k == 0 ? "preferredTerm-admn-sts"
					  : "admittedTerm-admn-sts")));
			W(xmlTextWriterEndElement(w));
			W(xmlTextWriterEndElement(w));
		}
		W(xmlTextWriterEndElement(w));
		W(xmlTextWriterEndElement(w));
	}
	W(xmlTextWriterEndDocument(w));
	xmlFreeTextWriter(w);
	if (ok && tolk_buf_append(out, xmlBufferContent(xb),
				  (size_t)xmlBufferLength(xb)))
		ok = 0;
	xmlBufferFree(xb);
#undef W
#undef X
	return ok ? 0 : TOLK_ENOMEM;
}

/* ---- entry points ------------------------------------------------------- */

int gl_file_read(const char *path, enum gl_format fmt, const char *src_lang,
		 const char *tgt_lang, struct gl_entry **out, size_t *n,
		 struct tolk_err *err)
{
	struct tolk_buf data = TOLK_BUF_INIT;
	struct reader r = {0};
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = gl_format_resolve(path, &fmt, err)) ||
	    (rc = tolk_read_file(path, &data, err)))
		goto done;
	if (fmt == GL_FORMAT_TSV)
		rc = tsv_read(&r, path, data.data, err);
	else
		rc = tbx_read(&r, path, data.data, data.len,
			      src_lang ? src_lang : "nb",
			      tgt_lang ? tgt_lang : "en", err);
done:
	tolk_buf_free(&data);
	gl_strmap_release(&r.byterm);
	free(r.case_given);
	if (rc) {
		gl_entries_free(r.v, r.n);
		return rc;
	}
	*out = r.v;
	*n = r.n;
	return 0;
}

int gl_file_write(const char *path, enum gl_format fmt, const char *src_lang,
		  const char *tgt_lang, const struct gl_entry *v, size_t n,
		  struct tolk_err *err)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	struct tolk_ofile out;
	int rc;

	if ((rc = gl_format_resolve(path, &fmt, err)))
		return rc;
	rc = fmt == GL_FORMAT_TSV
		 ? tsv_write(&b, v, n)
		 : tbx_write(&b, v, n, src_lang ? src_lang : "nb",
			     tgt_lang ? tgt_lang : "en");
	if (rc) {
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = tolk_ofile_open(&out, path, err)))
		goto done;
	if (fwrite(b.data, 1, b.len, out.f) != b.len) {
		rc = tolk_err_set(err, TOLK_EIO, "cannot write '%s': %s", path,
				  strerror(errno));
		tolk_ofile_abort(&out);
		goto done;
	}
	rc = tolk_ofile_commit(&out, err);
done:
	tolk_buf_free(&b);
	return rc;
}
