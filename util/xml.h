/* Untrusted XML: one hardened way to parse it.
 *
 * Every XML file tolk reads (TMX, TBX, XLIFF, SRX) comes from somewhere
 * else, so every parse uses the same options: no network (NONET), no
 * entity substitution (no NOENT), no DTD loading or validation, and
 * libxml2's own limits on depth, names and text (no HUGE).  A document
 * that declares entities of its own is refused outright: its references
 * could only be expanded (billion laughs) or dropped (silent data loss).
 *
 * libxml2 also reports some errors (encoding) through process-wide
 * handlers that print to stderr; these are silenced during the parse and
 * the caller's handlers are put back afterwards, so that a library user's
 * own handlers survive a call into tolk. */
#ifndef TOLK_XML_H
#define TOLK_XML_H

#include <stddef.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "util/err.h"

/* The parser options for untrusted input, also for callers with a parser
 * of their own (the streaming TMX reader): no NOENT, DTDLOAD, DTDVALID or
 * HUGE, which each open a door. */
#define TOLK_XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

enum tolk_xml_flags {
	TOLK_XML_NOCDATA = 1u, /* CDATA sections become text nodes */
};

/* Parses data[0..len) as XML named name (for messages) into *out, the
 * caller's, freed with xmlFreeDoc.  Returns 0, or TOLK_EINPUT with
 * "name:line:col: not well-formed XML: ..." (or the refusal of entity
 * declarations), TOLK_ENOMEM.  *out is NULL on error. */
int tolk_xml_parse(xmlDoc **out, const char *data, size_t len, const char *name,
		   unsigned flags, struct tolk_err *err);

/* libxml2's process-wide error handlers, saved by tolk_xml_quiet and put
 * back by tolk_xml_restore. */
struct tolk_xml_handlers {
	xmlStructuredErrorFunc structured;
	void *structured_ctx;
	xmlGenericErrorFunc generic;
	void *generic_ctx;
};

/* Saves the global handlers into *saved and silences them. */
void tolk_xml_quiet(struct tolk_xml_handlers *saved);

/* Puts back the handlers saved by tolk_xml_quiet. */
void tolk_xml_restore(const struct tolk_xml_handlers *saved);

/* Fills err with libxml2's error e located in name (line, column), the
 * message without its trailing newline, prefixed by what ("not
 * well-formed XML").  Returns TOLK_EINPUT. */
int tolk_xml_err(struct tolk_err *err, const char *name, const xmlError *e,
		 const char *what);

/* Fills err with "name:LINE:0: not FORMAT: the root element is <R>" for
 * the document whose root (NULL for none) is not what FORMAT wants.
 * Returns TOLK_EINPUT. */
int tolk_xml_bad_root(struct tolk_err *err, const char *name, xmlNodePtr root,
		      const char *format);

#endif
