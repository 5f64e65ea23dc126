/* The TMX writer shared by `tolk export` and `tolk align --format tmx`.
 * See tm/tmx.h.
 *
 * Output is TMX 1.4b that validates against tmx14.dtd without a DOCTYPE
 * (readers that honour one would go looking for tmx14.dtd beside the
 * file): attributes the DTD does not declare for an element, and props
 * with undeclared attributes, travel in x-tolk-attr: / x-tolk-prop:
 * props that the reader turns back into what they were; language tags are
 * canonical.  A file is written to a temporary beside it and renamed into
 * place only when everything was written and synced. */
#include "tm/tmx.h"
#include "tm/tmx_int.h"
#include "tm/unit_int.h"
#include "util/buf.h"
#include "util/lang.h"
#include "util/ofile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlwriter.h>

#ifndef TOLK_VERSION
#define TOLK_VERSION "unknown"
#endif

void tm_tmx_export_lang(const char *lang, int keep_no, char *out, size_t outlen)
{
	/* OmegaT ignores "no": Norwegian text is written as Bokmål. */
	if (!keep_no && strncmp(lang, "no", 2) == 0 &&
	    (lang[2] == '\0' || lang[2] == '-')) {
		snprintf(out, outlen, "nb%s", lang + 2);
		return;
	}
	snprintf(out, outlen, "%s", lang);
}

struct tm_tmx_writer {
	xmlTextWriterPtr w;
	struct tolk_ofile out;
	char *path; /* as given; "-" is standard output */
	int keep_no;
	int in_header, in_body; /* elements open */
	struct tolk_buf enc, clean;
	struct tm_attrs hdr;   /* the attributes the header was given */
	unsigned long dropped; /* characters XML cannot hold, left out */
	int failed;	       /* a writer call failed */
};

static void chk(struct tm_tmx_writer *wr, int rc)
{
	if (rc < 0)
		wr->failed = 1;
}

static void attr(struct tm_tmx_writer *wr, const char *name, const char *value)
{
	chk(wr, xmlTextWriterWriteAttribute(wr->w, (const xmlChar *)name,
					    (const xmlChar *)value));
}

static void start(struct tm_tmx_writer *wr, const char *name)
{
	chk(wr, xmlTextWriterStartElement(wr->w, (const xmlChar *)name));
}

static void end(struct tm_tmx_writer *wr)
{
	chk(wr, xmlTextWriterEndElement(wr->w));
}

/* 1 for a byte XML 1.0 cannot carry even as a character reference. */
static int bad_xml_byte(unsigned char c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

static void text(struct tm_tmx_writer *wr, const char *s)
{
	const char *p;

	for (p = s; *p && !bad_xml_byte((unsigned char)*p); p++)
		;
	if (*p) {
		/* Text that came in through `tolk add` may hold C0 controls;
		 * they would make the file unreadable, so they are left out
		 * and counted, for the caller to report. */
		tolk_buf_reset(&wr->clean);
		for (p = s; *p; p++)
			if (bad_xml_byte((unsigned char)*p))
				wr->dropped++;
			else if (tolk_buf_putc(&wr->clean, *p))
				wr->failed = 1;
		s = tolk_buf_str(&wr->clean);
	}
	chk(wr, xmlTextWriterWriteString(wr->w, (const xmlChar *)s));
}

static void raw(struct tm_tmx_writer *wr, const char *s)
{
	chk(wr, xmlTextWriterWriteRaw(wr->w, (const xmlChar *)s));
}

int tmx_segtype_valid(const char *v)
{
	return strcmp(v, "block") == 0 || strcmp(v, "paragraph") == 0 ||
	       strcmp(v, "sentence") == 0 || strcmp(v, "phrase") == 0;
}

/* 1 when attribute name=value of elem can be written as an attribute;
 * else it travels in an x-tolk-attr prop. */
static int writable(const char *elem, const char *name, const char *value)
{
	if (!tmx_attr_declared(elem, name))
		return 0;
	if (strcmp(name, "segtype") == 0)
		return tmx_segtype_valid(value);
	return 1;
}

static void write_attrs(struct tm_tmx_writer *wr, const char *elem,
			const struct tm_attrs *a)
{
	char tag[TOLK_LANG_MAX], canon[TOLK_LANG_MAX];
	size_t i;

	for (i = 0; i < a->n; i++) {
		const char *v = a->values[i];

		if (!writable(elem, a->names[i], v) ||
		    strcmp(a->names[i], "xml:lang") == 0)
			continue;
		if (strcmp(a->names[i], "srclang") == 0 &&
		    tolk_lang_canon(v, canon, sizeof(canon)) == 0) {
			tm_tmx_export_lang(canon, wr->keep_no, tag,
					   sizeof(tag));
			v = tag;
		}
		attr(wr, a->names[i], v);
	}
}

static void write_attr_props(struct tm_tmx_writer *wr, const char *elem,
			     const struct tm_attrs *a)
{
	struct tolk_buf type = TOLK_BUF_INIT;
	size_t i;

	for (i = 0; i < a->n; i++) {
		if (writable(elem, a->names[i], a->values[i]) ||
		    strcmp(a->names[i], "xml:lang") == 0)
			continue;
		tolk_buf_reset(&type);
		if (tolk_buf_printf(&type, TMX_ATTR_PROP "%s", a->names[i])) {
			wr->failed = 1;
			break;
		}
		start(wr, "prop");
		attr(wr, "type", tolk_buf_str(&type));
		text(wr, a->values[i]);
		end(wr);
	}
	tolk_buf_free(&type);
}

static void write_extra(struct tm_tmx_writer *wr, const struct tm_extra *x)
{
	const char *elem = x->kind == TM_EXTRA_PROP ? "prop" : "note";
	const char *type = tm_attrs_get(&x->attrs, "type");
	size_t i;
	int encode = 0;

	start(wr, elem);
	if (x->kind == TM_EXTRA_PROP) {
		for (i = 0; i < x->attrs.n; i++)
			if (!tmx_attr_declared("prop", x->attrs.names[i]))
				encode = 1;
		if (!type)
			encode = 1;
		if (encode) {
			tolk_buf_reset(&wr->enc);
			if (type && tmx_prop_encode(&wr->enc, "type", type))
				wr->failed = 1;
			for (i = 0; i < x->attrs.n; i++)
				if (!tmx_attr_declared("prop",
						       x->attrs.names[i]) &&
				    tmx_prop_encode(&wr->enc, x->attrs.names[i],
						    x->attrs.values[i]))
					wr->failed = 1;
			chk(wr, xmlTextWriterStartAttribute(
				    wr->w, (const xmlChar *)"type"));
			text(wr, TMX_PROP_PROP);
			text(wr, tolk_buf_str(&wr->enc));
			chk(wr, xmlTextWriterEndAttribute(wr->w));
		} else {
			attr(wr, "type", type);
		}
	}
	/* Undeclared attributes of a note have no place in TMX 1.4b. */
	for (i = 0; i < x->attrs.n; i++)
		if (strcmp(x->attrs.names[i], "type") != 0 &&
		    tmx_attr_declared(elem, x->attrs.names[i]))
			attr(wr, x->attrs.names[i], x->attrs.values[i]);
	text(wr, x->value);
	end(wr);
}

/* The variant of u that stands for language lang in a pair: the first
 * with lang's canonical tag (nb-NO asked, nb-NO found), else the first
 * of the same language; TM_UNIT_LEVEL when there is none.  not is a
 * variant already taken (a pair of one language twice). */
static size_t pair_variant(const struct tm_unit *u, const char *lang,
			   size_t not )
{
	char canon[TOLK_LANG_MAX];
	size_t i, best = TM_UNIT_LEVEL;

	if (tolk_lang_canon(lang, canon, sizeof(canon)))
		snprintf(canon, sizeof(canon), "%s", lang);
	for (i = 0; i < u->nvariants; i++) {
		if (i == not || !tolk_lang_same(u->variants[i].lang, lang))
			continue;
		if (strcasecmp(u->variants[i].lang, canon) == 0)
			return i;
		if (best == TM_UNIT_LEVEL)
			best = i;
	}
	return best;
}

static void write_unit(struct tm_tmx_writer *wr, const struct tm_unit *u,
		       const char *src, const char *tgt)
{
	char tag[TOLK_LANG_MAX];
	size_t i, k, si = TM_UNIT_LEVEL, ti = TM_UNIT_LEVEL;

	if (src) {
		si = pair_variant(u, src, TM_UNIT_LEVEL);
		ti = tgt ? pair_variant(u, tgt, si) : TM_UNIT_LEVEL;
	}
	start(wr, "tu");
	write_attrs(wr, "tu", &u->attrs);
	write_attr_props(wr, "tu", &u->attrs);
	for (k = 0; k < u->nextras; k++)
		if (u->extras[k].level == TM_UNIT_LEVEL)
			write_extra(wr, &u->extras[k]);
	for (i = 0; i < u->nvariants; i++) {
		const struct tm_variant *v = &u->variants[i];

		if (src && i != si && i != ti)
			continue;
		start(wr, "tuv");
		tm_tmx_export_lang(v->lang, wr->keep_no, tag, sizeof(tag));
		attr(wr, "xml:lang", tag);
		write_attrs(wr, "tuv", &v->attrs);
		write_attr_props(wr, "tuv", &v->attrs);
		for (k = 0; k < u->nextras; k++)
			if (u->extras[k].level == i)
				write_extra(wr, &u->extras[k]);
		start(wr, "seg");
		if (v->markup)
			raw(wr, v->markup);
		else
			text(wr, v->text);
		end(wr);
		end(wr);
	}
	end(wr);
	text(wr, "\n");
}

int tm_tmx_writer_open(struct tm_tmx_writer **out, const char *path,
		       struct tolk_err *err)
{
	struct tm_tmx_writer *wr;
	xmlOutputBufferPtr ob;
	int rc;

	*out = NULL;
	if (!(wr = calloc(1, sizeof(*wr))) || !(wr->path = strdup(path))) {
		free(wr);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	if ((rc = tolk_ofile_open(&wr->out, path, err)) != 0)
		goto fail;
	ob = xmlOutputBufferCreateFile(wr->out.f, NULL);
	if (!ob || !(wr->w = xmlNewTextWriter(ob))) {
		if (ob)
			xmlOutputBufferClose(ob);
		rc = tolk_err_set(err, TOLK_ENOMEM, "cannot create a writer");
		tm_tmx_writer_free(wr);
		return rc;
	}
	*out = wr;
	return 0;
fail:
	free(wr->path);
	free(wr);
	return rc;
}

/* A header attribute, remembered for tm_tmx_writer_header_attr. */
static void hdr_attr(struct tm_tmx_writer *wr, const char *name,
		     const char *value)
{
	attr(wr, name, value);
	if (tm_attrs_set(&wr->hdr, name, value))
		wr->failed = 1;
}

/* The attributes TMX 1.4b requires of <header>, with tolk's values. */
static const char *const required[][2] = {
    {"creationtool", "tolk"}, {"creationtoolversion", TOLK_VERSION},
    {"segtype", "sentence"},  {"o-tmf", "tolk"},
    {"adminlang", "en"},      {"srclang", NULL},
    {"datatype", "unknown"},
};
#define NREQUIRED (sizeof(required) / sizeof(required[0]))

/* The header of h->from: its attributes as they were where TMX allows it;
 * srclang is the export's (srclang) unless the file's says the same. */
static void write_from_header(struct tm_tmx_writer *wr,
			      const struct tm_tmx_header *h,
			      const char *srclang)
{
	const struct tm_attrs *a = &h->from->attrs;
	char canon[TOLK_LANG_MAX], tag[TOLK_LANG_MAX];
	struct tolk_buf type = TOLK_BUF_INIT;
	size_t i, k;
	int exact = 1;

	for (i = 0; i < a->n; i++) {
		const char *name = a->names[i], *v = a->values[i];

		if (strcmp(name, "srclang") == 0) {
			if (strcmp(v, "*all*") == 0
				? !h->all_languages
				: tolk_lang_canon(v, canon, sizeof(canon)) ||
				      (!h->all_languages &&
				       !tolk_lang_same(canon, srclang))) {
				exact = 0;
				continue;
			}
			if (strcmp(v, "*all*") != 0) {
				tm_tmx_export_lang(canon, wr->keep_no, tag,
						   sizeof(tag));
				exact &= strcmp(tag, v) == 0;
				v = tag;
			}
		}
		if (!writable("header", name, v) ||
		    tm_attrs_get(&wr->hdr, name)) {
			exact = 0;
			continue;
		}
		hdr_attr(wr, name, v);
	}
	for (k = 0; k < NREQUIRED; k++) {
		if (tm_attrs_get(&wr->hdr, required[k][0]))
			continue;
		hdr_attr(wr, required[k][0],
			 required[k][1] ? required[k][1] : srclang);
		exact = 0;
	}
	wr->in_header = 1;
	/* tolk's reader takes these for the header's attributes, in their
	 * order: a round trip gives the file's header back as it was */
	for (i = 0; i < a->n && !exact; i++) {
		tolk_buf_reset(&type);
		if (tolk_buf_printf(&type, TMX_ATTR_PROP "%s", a->names[i]) ||
		    tm_tmx_writer_header_prop(wr, tolk_buf_str(&type),
					      a->values[i]))
			wr->failed = 1;
	}
	tolk_buf_free(&type);
}

int tm_tmx_writer_begin(struct tm_tmx_writer *wr, const struct tm_tmx_header *h,
			struct tolk_err *err)
{
	char now[17], tag[TOLK_LANG_MAX], canon[TOLK_LANG_MAX];

	wr->keep_no = h->keep_no;
	if (!h->all_languages &&
	    tolk_lang_canon(h->srclang, canon, sizeof(canon)))
		return tolk_err_set(err, TOLK_EUSAGE,
				    "'%s' is not a language tag", h->srclang);
	tm_unit_now(now);
	if (!h->all_languages)
		tm_tmx_export_lang(canon, wr->keep_no, tag, sizeof(tag));
	chk(wr, xmlTextWriterStartDocument(wr->w, "1.0", "UTF-8", NULL));
	/* No DOCTYPE: TMX needs none, and readers that honour one would go
	 * looking for a tmx14.dtd beside the file. */
	start(wr, "tmx");
	attr(wr, "version", "1.4");
	text(wr, "\n");
	start(wr, "header");
	if (h->from) {
		write_from_header(wr, h, h->all_languages ? "*all*" : tag);
		return wr->failed ? TOLK_EIO : 0;
	}
	hdr_attr(wr, "creationtool", "tolk");
	hdr_attr(wr, "creationtoolversion", TOLK_VERSION);
	hdr_attr(wr, "segtype",
		 h->segtype && tmx_segtype_valid(h->segtype) ? h->segtype
							     : "sentence");
	hdr_attr(wr, "o-tmf", "tolk");
	hdr_attr(wr, "adminlang", "en");
	hdr_attr(wr, "srclang", h->all_languages ? "*all*" : tag);
	hdr_attr(wr, "datatype", h->datatype ? h->datatype : "unknown");
	if (h->o_encoding)
		hdr_attr(wr, "o-encoding", h->o_encoding);
	hdr_attr(wr, "creationdate", now);
	wr->in_header = 1;
	return wr->failed ? TOLK_EIO : 0;
}

const char *tm_tmx_writer_header_attr(const struct tm_tmx_writer *wr,
				      const char *name)
{
	return tm_attrs_get(&wr->hdr, name);
}

unsigned long tm_tmx_writer_dropped(const struct tm_tmx_writer *wr)
{
	return wr->dropped;
}

int tm_tmx_writer_header_prop(struct tm_tmx_writer *wr, const char *type,
			      const char *value)
{
	if (!wr->in_header)
		return TOLK_EINTERNAL;
	start(wr, "prop");
	attr(wr, "type", type);
	text(wr, value);
	end(wr);
	return wr->failed ? TOLK_EIO : 0;
}

int tm_tmx_writer_header_raw(struct tm_tmx_writer *wr, const char *xml)
{
	if (!wr->in_header)
		return TOLK_EINTERNAL;
	raw(wr, xml);
	return wr->failed ? TOLK_EIO : 0;
}

/* Ends the header and opens the body, once. */
static void open_body(struct tm_tmx_writer *wr)
{
	if (wr->in_body)
		return;
	if (wr->in_header) {
		end(wr);
		text(wr, "\n");
		wr->in_header = 0;
	}
	start(wr, "body");
	text(wr, "\n");
	wr->in_body = 1;
}

int tm_tmx_writer_unit(struct tm_tmx_writer *wr, const struct tm_unit *u,
		       const char *src, const char *tgt)
{
	open_body(wr);
	write_unit(wr, u, src, tgt);
	return wr->failed ? TOLK_EIO : 0;
}

int tm_tmx_writer_finish(struct tm_tmx_writer *wr, struct tolk_err *err)
{
	int rc = 0;

	open_body(wr);
	end(wr); /* body */
	text(wr, "\n");
	end(wr); /* tmx */
	text(wr, "\n");
	chk(wr, xmlTextWriterEndDocument(wr->w));
	if (xmlTextWriterFlush(wr->w) < 0)
		wr->failed = 1;
	xmlFreeTextWriter(wr->w);
	wr->w = NULL;
	if (wr->failed)
		rc = tolk_err_set(err, TOLK_EIO, "cannot write '%s'", wr->path);
	if (rc == 0)
		rc = tolk_ofile_commit(&wr->out, err);
	tm_tmx_writer_free(wr);
	return rc;
}

void tm_tmx_writer_free(struct tm_tmx_writer *wr)
{
	if (!wr)
		return;
	if (wr->w)
		xmlFreeTextWriter(wr->w);
	tolk_ofile_abort(&wr->out);
	tolk_buf_free(&wr->enc);
	tolk_buf_free(&wr->clean);
	tm_attrs_release(&wr->hdr);
	free(wr->path);
	free(wr);
}
