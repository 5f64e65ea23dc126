/* tm_tsv_import: SOURCE<TAB>TARGET lines into the store, through the
 * same storing side as a TMX import (tm/tmx_int.h).  See tm/tmx.h. */
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

int tm_tsv_import(struct tm_store *s, const char *path,
		  const struct tm_tmx_import_opts *o,
		  struct tm_tmx_import_stats *st, struct tolk_err *err)
{
	struct tmx_imp im = {s, o, st};
	const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	struct tm_unit *u = NULL;
	char *line = NULL, *tab;
	size_t cap = 0, bad;
	ssize_t n, i;
	unsigned long lineno = 0;
	unsigned long long bytes = 0;
	char now[17];
	int rc = 0, own = 0;

	memset(st, 0, sizeof(*st));
	tm_unit_now(now);
	if (!f)
		return tolk_err_set(err, TOLK_EINPUT, "cannot open '%s': %s",
				    path, strerror(errno));
	if ((rc = tm_store_begin(s, err)))
		goto done;
	own = 1;
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
		if (!tolk_utf8_valid(line, (size_t)n, &bad)) {
			rc = tolk_err_set_at(err, TOLK_EINPUT, name, lineno,
					     bad + 1, "invalid UTF-8");
			goto done;
		}
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)line[i];

			if (c < 0x20 && c != '\t') {
				rc = tolk_err_set_at(
				    err, TOLK_EINPUT, name, lineno,
				    (unsigned long)i + 1,
				    "control character U+%04X", c);
				goto done;
			}
		}
		tab = strchr(line, '\t');
		if (!tab || strchr(tab + 1, '\t') || tab == line || !tab[1]) {
			rc = tolk_err_set_at(
			    err, TOLK_EINPUT, name, lineno,
			    tab ? (unsigned long)(tab - line) + 1 : 1,
			    "expected SOURCE<TAB>TARGET");
			goto done;
		}
		*tab = '\0';
		if ((size_t)(tab - line) > TOLK_MAX_SEG_BYTES ||
		    strlen(tab + 1) > TOLK_MAX_SEG_BYTES) {
			rc = tolk_err_set_at(
			    err, TOLK_EINPUT, name, lineno,
			    (size_t)(tab - line) > TOLK_MAX_SEG_BYTES
				? 1
				: (unsigned long)(tab - line) + 2,
			    "segment longer than the limit of %d bytes",
			    TOLK_MAX_SEG_BYTES);
			goto done;
		}
		st->read++;
		if (tm_unit_new(&u) || tm_unit_set_origin(u, name) ||
		    tm_unit_set_attr(u, "srclang", o->source_lang) ||
		    tm_unit_set_attr(u, "creationdate", now) ||
		    (o->user && *o->user &&
		     tm_unit_set_attr(u, "creationid", o->user))) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		if ((rc = tm_unit_add_variant(u, o->source_lang, line, NULL,
					      NULL, err)) ||
		    (rc = tm_unit_add_variant(u, o->target_lang, tab + 1, NULL,
					      NULL, err)) ||
		    (rc = tmx_store_unit(&im, u, name, lineno, err)))
			goto done;
		tm_unit_free(u);
		u = NULL;
		if (o->progress && (st->read & 255) == 0)
			o->progress(o->ctx, bytes, st->read);
	}
	if (ferror(f))
		rc = tolk_err_set(err, TOLK_EIO, "cannot read '%s': %s", path,
				  strerror(errno));
done:
	tm_unit_free(u);
	free(line);
	if (f != stdin)
		fclose(f);
	return tmx_end_tx(s, own, rc, err);
}
