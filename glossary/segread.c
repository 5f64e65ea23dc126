/* Readers of bilingual files for the check: TSV and XLIFF (1.x, 2.0). */
#include "glossary/check.h"
#include "glossary/gl_int.h"
#include "tm/xliff.h"
#include "util/buf.h"
#include "util/lang.h"
#include "util/limit.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int gl_input_guess(const char *path, enum gl_input *out, struct tolk_err *err)
{
	static const struct {
		const char *ext;
		enum gl_input in;
	} exts[] = {
	    {"tsv", GL_INPUT_TSV},
	    {"txt", GL_INPUT_TSV},
	    {"tab", GL_INPUT_TSV},
	    {"tmx", GL_INPUT_TMX},
	};
	const char *dot = strrchr(path, '.'), *slash = strrchr(path, '/');
	char head[1024];
	size_t i, n;
	FILE *f;

	if (tm_xliff_is_name(path)) {
		*out = GL_INPUT_XLIFF;
		return 0;
	}
	if (dot && (!slash || dot > slash))
		for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
			if (!strcasecmp(dot + 1, exts[i].ext)) {
				*out = exts[i].in;
				return 0;
			}
	*out = GL_INPUT_TSV;
	if (strcmp(path, "-") == 0)
		return 0;
	if (!(f = fopen(path, "rb")))
		return tolk_err_set(err, TOLK_EINPUT, "cannot open '%s': %s",
				    path, strerror(errno));
	n = fread(head, 1, sizeof(head) - 1, f);
	fclose(f);
	head[n] = '\0';
	if (strstr(head, "<xliff"))
		*out = GL_INPUT_XLIFF;
	else if (strstr(head, "<tmx"))
		*out = GL_INPUT_TMX;
	return 0;
}

int gl_read_tsv(const char *path, gl_segment_fn fn, void *ctx,
		struct tolk_err *err)
{
	struct tolk_buf data = TOLK_BUF_INIT;
	struct gl_segment s = {0};
	struct gl_lines lines;
	unsigned long line;
	size_t len;
	char *p;
	int rc;

	if ((rc = tolk_read_file(path, &data, err)))
		goto done;
	gl_lines_init(&lines, data.data);
	s.file = path;
	while ((p = gl_lines_next(&lines, &len))) {
		char *tab, *end;
		size_t bad;

		line = lines.line;
		if (!len || p[0] == '#')
			continue;
		if (len > TOLK_MAX_LINE_BYTES) {
			rc = tolk_err_line_too_long(err, path, line,
						    TOLK_MAX_LINE_BYTES);
			goto done;
		}
		if (!tolk_utf8_valid(p, len, &bad)) {
			rc = tolk_err_set_at(err, TOLK_EINPUT, path, line,
					     bad + 1, "invalid UTF-8");
			goto done;
		}
		if (!(tab = strchr(p, '\t'))) {
			rc = tolk_err_set_at(err, TOLK_EINPUT, path, line,
					     len + 1,
					     "no tab: lines are nb<TAB>en");
			goto done;
		}
		*tab = '\0';
		/* columns after the second are ignored */
		if ((end = strchr(tab + 1, '\t')))
			*end = '\0';
		s.line = line;
		s.source = p;
		s.target = tab + 1;
		if ((rc = fn(ctx, &s, err)))
			goto done;
	}
done:
	tolk_buf_free(&data);
	return rc;
}

/* ---- XLIFF -------------------------------------------------------------- */

/* The check reads XLIFF through the TM's reader (tm/xliff.h), so that a
 * file is split into segments, and its inline codes told from its text,
 * the way pre-translation and import see it. */
int gl_read_xliff(const char *path, const char *src_lang, const char *tgt_lang,
		  gl_segment_fn fn, void *ctx, struct tolk_err *err)
{
	struct tolk_buf unit = TOLK_BUF_INIT;
	struct tm_xliff *x = NULL;
	size_t i;
	int rc;

	if ((rc = tm_xliff_open(&x, path, err)))
		goto done;
	for (i = 0; i < tm_xliff_file_count(x); i++) {
		const struct tm_xliff_file *f = tm_xliff_file(x, i);

		if ((f->source_lang &&
		     !tolk_lang_same(f->source_lang, src_lang)) ||
		    (f->target_lang &&
		     !tolk_lang_same(f->target_lang, tgt_lang))) {
			rc = tolk_err_set_at(
			    err, TOLK_EINPUT, path, f->line, 0,
			    "the file is %s -> %s; the check wants %s -> %s",
			    f->source_lang ? f->source_lang : "?",
			    f->target_lang ? f->target_lang : "?", src_lang,
			    tgt_lang);
			goto done;
		}
	}
	for (i = 0; i < tm_xliff_count(x) && !rc; i++) {
		const struct tm_xliff_seg *g = tm_xliff_segment(x, i);
		struct gl_segment s = {0};

		/* locked or not translated yet */
		if (g->locked || !g->target)
			continue;
		tolk_buf_reset(&unit);
		if (g->unit_segs > 1 && g->seg_id)
			rc = tolk_buf_printf(&unit, "%s/%s", g->unit_id,
					     g->seg_id);
		else
			rc = tolk_buf_puts(&unit, g->unit_id);
		if (rc) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			break;
		}
		s.file = path;
		s.line = g->line;
		s.unit = unit.len ? unit.data : NULL;
		s.source = g->source;
		s.target = g->target;
		rc = fn(ctx, &s, err);
	}
done:
	tm_xliff_free(x);
	tolk_buf_free(&unit);
	return rc;
}
