/* The TMX writer: tm_tmx_export.  See tm/tmx.h. */
#include "tm/db.h"
#include "tm/tmx.h"
#include "tm/tmx_int.h"
#include "tm/unit_int.h"
#include "util/buf.h"
#include "util/lang.h"

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

struct wr {
	xmlTextWriterPtr w;
	const struct tm_tmx_export_opts *o;
	struct tolk_buf enc, clean;
	int failed; /* a writer call failed */
};

static void chk(struct wr *wr, int rc)
{
	if (rc < 0)
		wr->failed = 1;
}

static void attr(struct wr *wr, const char *name, const char *value)
{
	chk(wr, xmlTextWriterWriteAttribute(wr->w, (const xmlChar *)name,
					    (const xmlChar *)value));
}

static void start(struct wr *wr, const char *name)
{
	chk(wr, xmlTextWriterStartElement(wr->w, (const xmlChar *)name));
}

static void end(struct wr *wr)
{
	chk(wr, xmlTextWriterEndElement(wr->w));
}

/* 1 for a byte XML 1.0 cannot carry even as a character reference. */
static int bad_xml_byte(unsigned char c)
{
	return c < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

static void text(struct wr *wr, const char *s)
{
	const char *p;

	for (p = s; *p && !bad_xml_byte((unsigned char)*p); p++)
		;
	if (*p) {
		/* Text that came in through `tolk add` may hold C0 controls;
		 * they would make the file unreadable, so they are left out. */
		tolk_buf_reset(&wr->clean);
		for (p = s; *p; p++)
			if (!bad_xml_byte((unsigned char)*p) &&
			    tolk_buf_putc(&wr->clean, *p))
				wr->failed = 1;
		s = tolk_buf_str(&wr->clean);
	}
	chk(wr, xmlTextWriterWriteString(wr->w, (const xmlChar *)s));
}

static void raw(struct wr *wr, const char *s)
{
	chk(wr, xmlTextWriterWriteRaw(wr->w, (const xmlChar *)s));
}

static int valid_segtype(const char *v)
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
		return valid_segtype(value);
	return 1;
}

static void write_attrs(struct wr *wr, const char *elem,
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
			tm_tmx_export_lang(canon, wr->o->keep_no, tag,
					   sizeof(tag));
			v = tag;
		}
		attr(wr, a->names[i], v);
	}
}

static void write_attr_props(struct wr *wr, const char *elem,
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

static void write_extra(struct wr *wr, const struct tm_extra *x)
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

static int selected_variant(const struct tm_unit *u, size_t i,
			    const struct tm_tmx_export_opts *o)
{
	const char *l = u->variants[i].lang;

	return o->all_languages || tolk_lang_same(l, o->source_lang) ||
	       tolk_lang_same(l, o->target_lang);
}

static void write_unit(struct wr *wr, const struct tm_unit *u)
{
	char tag[TOLK_LANG_MAX];
	size_t i, k;

	start(wr, "tu");
	write_attrs(wr, "tu", &u->attrs);
	write_attr_props(wr, "tu", &u->attrs);
	for (k = 0; k < u->nextras; k++)
		if (u->extras[k].level == TM_UNIT_LEVEL)
			write_extra(wr, &u->extras[k]);
	for (i = 0; i < u->nvariants; i++) {
		const struct tm_variant *v = &u->variants[i];

		if (!selected_variant(u, i, wr->o))
			continue;
		start(wr, "tuv");
		tm_tmx_export_lang(v->lang, wr->o->keep_no, tag, sizeof(tag));
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

static int origin_matches(const char *origin, const char *want)
{
	const char *base;

	if (!want)
		return 1;
	if (!origin)
		return 0;
	base = strrchr(origin, '/');
	return strcmp(origin, want) == 0 ||
	       (base && strcmp(base + 1, want) == 0);
}

/* Newest creation or change date of the unit or its variants. */
static const char *unit_date(const struct tm_unit *u)
{
	static const char *const names[] = {"changedate", "creationdate"};
	const char *best = NULL, *v;
	size_t i, k;

	for (k = 0; k < 2; k++) {
		v = tm_attrs_get(&u->attrs, names[k]);
		if (v && (!best || strcmp(v, best) > 0))
			best = v;
		for (i = 0; i < u->nvariants; i++) {
			v = tm_attrs_get(&u->variants[i].attrs, names[k]);
			if (v && (!best || strcmp(v, best) > 0))
				best = v;
		}
	}
	return best;
}

static int wanted(const struct tm_unit *u, const struct tm_tmx_export_opts *o)
{
	size_t i, s = TM_UNIT_LEVEL, t = TM_UNIT_LEVEL;

	if (!origin_matches(u->origin, o->origin))
		return 0;
	if (o->since) {
		const char *d = unit_date(u);

		if (!d || strcmp(d, o->since) < 0)
			return 0;
	}
	if (o->all_languages)
		return 1;
	for (i = 0; i < u->nvariants; i++) {
		if (s == TM_UNIT_LEVEL &&
		    tolk_lang_same(u->variants[i].lang, o->source_lang))
			s = i;
		else if (t == TM_UNIT_LEVEL &&
			 tolk_lang_same(u->variants[i].lang, o->target_lang))
			t = i;
	}
	return s != TM_UNIT_LEVEL && t != TM_UNIT_LEVEL;
}

static int write_headers(struct tm_store *s, struct wr *wr,
			 struct tolk_err *err)
{
	struct tm_db_stmt *st = NULL;
	int step, rc = 0;

	if ((rc = tm_db_prepare(tm_store_db(s),
				"SELECT origin, attrs, body FROM tmx_header "
				"ORDER BY id",
				&st, err)))
		return rc;
	while ((step = tm_db_step(st, "read headers", err)) == 1) {
		struct tm_attrs a = {0};
		struct tolk_buf type = TOLK_BUF_INIT;
		size_t i;

		if (!origin_matches(tm_db_col_text(st, 0), wr->o->origin))
			continue;
		if (tm_attrs_parse(&a, tm_db_col_blob(st, 1, NULL),
				   tm_db_col_bytes(st, 1))) {
			tm_attrs_release(&a);
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			break;
		}
		/* The imported file's own header attributes, which the
		 * export's header cannot carry: re-import restores them. */
		for (i = 0; i < a.n; i++) {
			tolk_buf_reset(&type);
			if (tolk_buf_printf(&type, TMX_ATTR_PROP "%s",
					    a.names[i]))
				wr->failed = 1;
			start(wr, "prop");
			attr(wr, "type", tolk_buf_str(&type));
			text(wr, a.values[i]);
			end(wr);
		}
		raw(wr, tm_db_col_text(st, 2));
		tm_attrs_release(&a);
		tolk_buf_free(&type);
	}
	if (rc == 0 && step < 0)
		rc = step;
	tm_db_stmt_free(st);
	return rc;
}

/* The defaults units inherit from their header (segtype, datatype,
 * o-encoding): when every exported file's header agrees on one, the
 * export's header says the same, so that other tools read the units as
 * their authors meant.  def[k] is "" when there is no agreement. */
static const char *const inherited[] = {"segtype", "datatype", "o-encoding"};
#define NINHERITED 3

static int header_defaults(struct tm_store *s, struct wr *wr,
			   char def[NINHERITED][64], struct tolk_err *err)
{
	struct tm_db_stmt *st = NULL;
	int step, k, rows = 0, mixed[NINHERITED] = {0};

	memset(def, 0, NINHERITED * sizeof(def[0]));
	if ((step = tm_db_prepare(tm_store_db(s),
				  "SELECT origin, attrs FROM tmx_header", &st,
				  err)))
		return step;
	while ((step = tm_db_step(st, "read headers", err)) == 1) {
		struct tm_attrs a = {0};

		if (!origin_matches(tm_db_col_text(st, 0), wr->o->origin))
			continue;
		if (tm_attrs_parse(&a, tm_db_col_blob(st, 1, NULL),
				   tm_db_col_bytes(st, 1))) {
			tm_attrs_release(&a);
			tm_db_stmt_free(st);
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		}
		for (k = 0; k < NINHERITED; k++) {
			const char *v = tm_attrs_get(&a, inherited[k]);

			if (!v || strlen(v) >= sizeof(def[k]) ||
			    (k == 0 && !valid_segtype(v)))
				mixed[k] = 1;
			else if (rows == 0)
				snprintf(def[k], sizeof(def[k]), "%s", v);
			else if (strcmp(def[k], v) != 0)
				mixed[k] = 1;
		}
		rows++;
		tm_attrs_release(&a);
	}
	tm_db_stmt_free(st);
	if (step < 0)
		return step;
	for (k = 0; k < NINHERITED; k++)
		if (mixed[k] || rows == 0)
			def[k][0] = '\0';
	return 0;
}

static int write_all(struct tm_store *s, struct wr *wr, unsigned long *n,
		     struct tolk_err *err)
{
	const struct tm_tmx_export_opts *o = wr->o;
	char now[17], tag[TOLK_LANG_MAX], canon[TOLK_LANG_MAX];
	char def[NINHERITED][64];
	struct tm_db_stmt *st = NULL;
	int step = 0, rc = 0;

	if ((rc = header_defaults(s, wr, def, err)))
		return rc;
	tm_unit_now(now);
	chk(wr, xmlTextWriterStartDocument(wr->w, "1.0", "UTF-8", NULL));
	/* No DOCTYPE: TMX needs none, and readers that honour one would go
	 * looking for a tmx14.dtd beside the file. */
	start(wr, "tmx");
	attr(wr, "version", "1.4");
	text(wr, "\n");
	start(wr, "header");
	attr(wr, "creationtool", "tolk");
	attr(wr, "creationtoolversion", TOLK_VERSION);
	attr(wr, "segtype", def[0][0] ? def[0] : "sentence");
	attr(wr, "o-tmf", "tolk");
	attr(wr, "adminlang", "en");
	if (tolk_lang_canon(o->source_lang, canon, sizeof(canon)))
		return tolk_err_set(err, TOLK_EUSAGE,
				    "'%s' is not a language tag",
				    o->source_lang);
	tm_tmx_export_lang(canon, o->keep_no, tag, sizeof(tag));
	attr(wr, "srclang", o->all_languages ? "*all*" : tag);
	attr(wr, "datatype", def[1][0] ? def[1] : "unknown");
	if (def[2][0])
		attr(wr, "o-encoding", def[2]);
	attr(wr, "creationdate", now);
	if ((rc = write_headers(s, wr, err)))
		return rc;
	end(wr);
	text(wr, "\n");
	start(wr, "body");
	text(wr, "\n");
	if ((rc = tm_db_prepare(tm_store_db(s),
				"SELECT id FROM unit ORDER BY id", &st, err)))
		return rc;
	while (!wr->failed && (step = tm_db_step(st, "read units", err)) == 1) {
		struct tm_unit *u = NULL;

		if ((rc = tm_store_get(s, tm_db_col_int64(st, 0), &u, err)))
			break;
		if (wanted(u, o)) {
			write_unit(wr, u);
			(*n)++;
		}
		tm_unit_free(u);
	}
	if (rc == 0 && step < 0)
		rc = step;
	tm_db_stmt_free(st);
	if (rc)
		return rc;
	end(wr);
	text(wr, "\n");
	end(wr);
	text(wr, "\n");
	chk(wr, xmlTextWriterEndDocument(wr->w));
	return 0;
}

int tm_tmx_export(struct tm_store *s, const char *path,
		  const struct tm_tmx_export_opts *o, unsigned long *n,
		  struct tolk_err *err)
{
	struct wr wr;
	struct tolk_buf tmp = TOLK_BUF_INIT;
	xmlOutputBufferPtr out;
	unsigned long count = 0;
	int to_stdout = strcmp(path, "-") == 0, fd = -1, rc = 0;
	FILE *f = NULL;

	memset(&wr, 0, sizeof(wr));
	wr.o = o;
	if (to_stdout) {
		f = stdout;
	} else {
		if (tolk_buf_printf(&tmp, "%s.tmp.XXXXXX", path))
			return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
		fd = mkstemp(tmp.data);
		if (fd >= 0) {
			/* mkstemp makes it private; the file gets the mode
			 * any new file would */
			mode_t um = umask(0);

			umask(um);
			fchmod(fd, 0666 & ~um);
		}
		if (fd < 0 || !(f = fdopen(fd, "w"))) {
			rc = tolk_err_set(err, TOLK_EIO,
					  "cannot create '%s': %s", tmp.data,
					  strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp.data);
			}
			tolk_buf_free(&tmp);
			return rc;
		}
	}
	out = xmlOutputBufferCreateFile(f, NULL);
	if (!out || !(wr.w = xmlNewTextWriter(out))) {
		if (out)
			xmlOutputBufferClose(out);
		rc = tolk_err_set(err, TOLK_ENOMEM, "cannot create a writer");
		goto done;
	}
	/* One read transaction: the file is a snapshot. */
	if ((rc = tm_db_begin(tm_store_db(s), TM_DB_READ, err)))
		goto done;
	rc = write_all(s, &wr, &count, err);
	/* nothing was written: ending the snapshot cannot lose anything */
	tm_db_rollback(tm_store_db(s));
done:
	if (wr.w) {
		if (xmlTextWriterFlush(wr.w) < 0)
			wr.failed = 1;
		xmlFreeTextWriter(wr.w);
	}
	if (rc == 0 && wr.failed)
		rc = tolk_err_set(err, TOLK_EIO, "cannot write '%s'", path);
	if (!to_stdout) {
		if (fflush(f) != 0 || fsync(fileno(f)) != 0 || ferror(f)) {
			if (rc == 0)
				rc = tolk_err_set(err, TOLK_EIO,
						  "cannot write '%s': %s",
						  tmp.data, strerror(errno));
		}
		if (fclose(f) != 0 && rc == 0)
			rc =
			    tolk_err_set(err, TOLK_EIO, "cannot write '%s': %s",
					 tmp.data, strerror(errno));
		if (rc == 0 && rename(tmp.data, path) != 0)
			rc = tolk_err_set(err, TOLK_EIO,
					  "cannot rename '%s' to '%s': %s",
					  tmp.data, path, strerror(errno));
		if (rc)
			unlink(tmp.data);
	} else if (fflush(stdout) != 0 && rc == 0) {
		rc = tolk_err_set(err, TOLK_EIO, "cannot write output");
	}
	tolk_buf_free(&tmp);
	tolk_buf_free(&wr.enc);
	tolk_buf_free(&wr.clean);
	if (rc == 0 && n)
		*n = count;
	return rc;
}
