/* The hardened XML parse (see util/xml.h).  The first error libxml2
 * reports is kept, not the last: later ones are mostly consequences of
 * it ("Premature end of data" after a mismatched tag), unless it has no
 * position and a later one has. */
#include "util/xml.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/xmlerror.h>

static void quiet_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

static void quiet_generic(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

void tolk_xml_quiet(struct tolk_xml_handlers *saved)
{
	saved->structured = xmlStructuredError;
	saved->structured_ctx = xmlStructuredErrorContext;
	saved->generic = xmlGenericError;
	saved->generic_ctx = xmlGenericErrorContext;
	xmlSetStructuredErrorFunc(NULL, quiet_structured);
	xmlSetGenericErrorFunc(NULL, quiet_generic);
}

void tolk_xml_restore(const struct tolk_xml_handlers *saved)
{
	xmlSetStructuredErrorFunc(saved->structured_ctx, saved->structured);
	/* NULL would install libxml2's default; a saved default is the same */
	xmlSetGenericErrorFunc(saved->generic_ctx, saved->generic);
}

int tolk_xml_err(struct tolk_err *err, const char *name, const xmlError *e,
		 const char *what)
{
	char msg[512];
	size_t n;

	snprintf(msg, sizeof(msg), "%s",
		 e && e->message ? e->message : "parse error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	return tolk_err_set_at(err, TOLK_EINPUT, name,
			       e && e->line > 0 ? (unsigned long)e->line : 0,
			       e && e->int2 > 0 ? (unsigned long)e->int2 : 0,
			       "%s: %s", what, msg);
}

struct first_error {
	int set;
	xmlError e;
};

static void keep_first(void *ctx, xmlErrorPtr e)
{
	struct first_error *fe = ctx;

	if (!e || e->level < XML_ERR_ERROR ||
	    (fe->set && (fe->e.line > 0 || e->line <= 0)))
		return;
	/* an encoding error has no position; the parser's next one does */
	xmlResetError(&fe->e);
	if (xmlCopyError(e, &fe->e) == 0)
		fe->set = 1;
}

int tolk_xml_parse(xmlDoc **out, const char *data, size_t len, const char *name,
		   unsigned flags, struct tolk_err *err)
{
	struct first_error fe;
	struct tolk_xml_handlers saved;
	xmlParserCtxt *ctxt = NULL;
	xmlDoc *doc = NULL;
	int opts = TOLK_XML_OPTIONS | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;
	int rc = 0;

	*out = NULL;
	memset(&fe, 0, sizeof(fe));
	if (len > INT32_MAX)
		return tolk_err_set(err, TOLK_EINPUT, "'%s' is too large",
				    name);
	if (flags & TOLK_XML_NOCDATA)
		opts |= XML_PARSE_NOCDATA;
	if (!(ctxt = xmlNewParserCtxt()))
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	/* encoding errors bypass the context's handler: the global one
	 * collects them too, instead of printing */
	tolk_xml_quiet(&saved);
	xmlSetStructuredErrorFunc(&fe, keep_first);
	doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, NULL, opts);
	tolk_xml_restore(&saved);
	if (!doc || !ctxt->wellFormed) {
		rc = tolk_xml_err(err, name,
				  fe.set ? &fe.e : xmlCtxtGetLastError(ctxt),
				  "not well-formed XML");
		goto done;
	}
	if (doc->intSubset && doc->intSubset->entities) {
		rc = tolk_err_set_at(err, TOLK_EINPUT, name, 0, 0,
				     "entity declarations are not accepted");
		goto done;
	}
	*out = doc;
	doc = NULL;
done:
	xmlResetError(&fe.e);
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(ctxt);
	return rc;
}

int tolk_xml_bad_root(struct tolk_err *err, const char *name, xmlNodePtr root,
		      const char *format)
{
	return tolk_err_set_at(err, TOLK_EINPUT, name,
			       root ? (unsigned long)xmlGetLineNo(root) : 0, 0,
			       "not %s: the root element is <%s>", format,
			       root ? (const char *)root->name : "");
}
