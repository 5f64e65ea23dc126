/* tm_tsv_import: SOURCE<TAB>TARGET lines into the store, through the
 * same storing side as a TMX import (tm/tmx_int.h): read on a thread of
 * their own, ahead of the one that writes the rows.  See tm/tmx.h. */
#include "tm/tmx.h"
#include "tm/tmx_int.h"
#include "tm/unit_int.h"
#include "util/buf.h"
#include "util/limit.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* The error of line lineno of name (n bytes, its newline cut), or 0 when
 * it holds one SOURCE<TAB>TARGET pair; *tab then points at the tab. */
static int check_line(const char *name, unsigned long lineno, char *line,
		      ssize_t n, char **tab, struct tolk_err *err)
{
	size_t bad;
	ssize_t i;
	char *t;

	if (!tolk_utf8_valid(line, (size_t)n, &bad))
		return tolk_err_set_at(err, TOLK_EINPUT, name, lineno, bad + 1,
				       "invalid UTF-8");
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];

		if (c < 0x20 && c != '\t')
			return tolk_err_set_at(err, TOLK_EINPUT, name, lineno,
					       (unsigned long)i + 1,
					       "control character U+%04X", c);
	}
	t = strchr(line, '\t');
	if (!t || strchr(t + 1, '\t') || t == line || !t[1])
		return tolk_err_set_at(err, TOLK_EINPUT, name, lineno,
				       t ? (unsigned long)(t - line) + 1 : 1,
				       "expected SOURCE<TAB>TARGET");
	if ((size_t)(t - line) > TOLK_MAX_SEG_BYTES ||
	    strlen(t + 1) > TOLK_MAX_SEG_BYTES)
		return tolk_err_set_at(
		    err, TOLK_EINPUT, name, lineno,
		    (size_t)(t - line) > TOLK_MAX_SEG_BYTES
			? 1
			: (unsigned long)(t - line) + 2,
		    "segment longer than the limit of %d bytes",
		    TOLK_MAX_SEG_BYTES);
	*tab = t;
	return 0;
}

/* The unit of the pair line/tab + 1 into a unit from pool. */
static int make_unit(const struct tm_tmx_import_opts *io, const char *name,
		     const char *now, const char *line, const char *tab,
		     struct tmx_pool *pool, struct tm_unit **out,
		     struct tolk_err *err)
{
	struct tm_unit *u = NULL;
	int rc;

	*out = NULL;
	if (tmx_pool_unit(pool, &u) || tm_unit_set_origin(u, name) ||
	    tm_unit_set_attr(u, "srclang", io->source_lang) ||
	    tm_unit_set_attr(u, "creationdate", now) ||
	    (io->user && *io->user &&
	     tm_unit_set_attr(u, "creationid", io->user))) {
		tm_unit_free(u);
		return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	if ((rc = tm_unit_add_variant(u, io->source_lang, line, NULL, NULL,
				      err)) ||
	    (rc = tm_unit_add_variant(u, io->target_lang, tab + 1, NULL, NULL,
				      err))) {
		tm_unit_free(u);
		return rc;
	}
	*out = u;
	return 0;
}

/* A tmx_read_fn: each pair line a unit, handed to take or lent to
 * o->unit; the first bad line stops the reader. */
static int tsv_read(const char *path, const struct tm_tmx_import_opts *io,
		    const struct tm_tmx_read_opts *o, tmx_take_fn take,
		    struct tmx_pool *pool, struct tolk_err *err)
{
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct tm_unit *u = NULL;
	char *line = NULL, *tab = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0, nread = 0;
	unsigned long long bytes = 0;
	char now[17];
	int rc = 0;

	tm_unit_now(now);
	if (!f)
		return tolk_err_set(err, TOLK_EINPUT, "cannot open '%s': %s",
				    path, strerror(errno));
	while ((n = tolk_read_line(f, &line, &cap, TOLK_MAX_LINE_BYTES)) !=
	       -1) {
		lineno++;
		if (n == -2) {
			rc = tolk_err_line_too_long(err, name, lineno,
						    TOLK_MAX_LINE_BYTES);
			goto done;
		}
		if (n < 0) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		bytes += (unsigned long long)n;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if ((rc = check_line(name, lineno, line, n, &tab, err)))
			goto done;
		*tab = '\0';
		nread++;
		if ((rc = make_unit(io, name, now, line, tab, pool, &u, err)))
			goto done;
		if (take) {
			/* take owns u now, stored or not */
			rc = take(o->ctx, u, NULL, lineno);
			u = NULL;
		} else {
			rc = o->unit(o->ctx, u, lineno, err);
			tm_unit_free(u);
			u = NULL;
		}
		if (rc)
			goto done;
		if (o->progress && (nread & 255) == 0)
			o->progress(o->ctx, bytes, nread);
	}
	if (ferror(f))
		rc = tolk_err_set(err, TOLK_EIO, "cannot read '%s': %s", path,
				  strerror(errno));
done:
	if (o->stats)
		o->stats->tu = nread;
	free(line);
	if (f != stdin)
		fclose(f);
	return rc;
}

int tm_tsv_import(struct tm_store *s, const char *path,
		  const struct tm_tmx_import_opts *o,
		  struct tm_tmx_import_stats *st, struct tolk_err *err)
{
	return tmx_import_with(s, path, tsv_read, o, st, err);
}
