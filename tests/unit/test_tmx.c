/* Unit tests of the TMX reader, importer and writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tests/unit/helpers.h"
#include <sqlite3.h>

#include "tm/store.h"
#include "tm/tmx.h"
#include "tm/unit.h"
#include "util/buf.h"
#include "util/lang.h"

static int setup(void **state)
{
	(void)state;
	return test_dir_make("tmx");
}

static int teardown(void **state)
{
	(void)state;
	return test_dir_remove();
}

static void import_file(const char *db, const char *file);
static void export_file(const char *db, const char *file, const char *origin);

struct collected {
	struct tm_unit *u[8];
	unsigned long line[8];
	size_t n;
};

static int collect(void *ctx, const struct tm_unit *u, unsigned long line,
		   struct tolk_err *err)
{
	struct collected *c = ctx;
	struct tm_unit *copy = NULL;
	size_t i, k, vi, xi;

	(void)err;
	assert_true(c->n < 8);
	/* units are borrowed: keep a copy built with the public API */
	assert_int_equal(tm_unit_new(&copy), 0);
	for (i = 0; i < tm_unit_attr_count(u); i++) {
		const char *n, *v;

		tm_unit_attr_at(u, i, &n, &v);
		assert_int_equal(tm_unit_set_attr(copy, n, v), 0);
	}
	if (tm_unit_default_srclang(u))
		tm_unit_set_default_srclang(copy, tm_unit_default_srclang(u));
	for (i = 0; i < tm_unit_variant_count(u); i++) {
		assert_int_equal(tm_unit_add_variant(
				     copy, tm_unit_variant_lang(u, i),
				     tm_unit_variant_text(u, i),
				     tm_unit_variant_markup(u, i), &vi, NULL),
				 0);
		for (k = 0; k < tm_unit_variant_attr_count(u, i); k++) {
			const char *n, *v;

			tm_unit_variant_attr_at(u, i, k, &n, &v);
			tm_unit_variant_set_attr(copy, vi, n, v);
		}
	}
	for (i = 0; i < tm_unit_extra_count(u); i++) {
		assert_int_equal(
		    tm_unit_add_extra(copy, tm_unit_extra_level(u, i),
				      tm_unit_extra_kind(u, i),
				      tm_unit_extra_value(u, i), &xi),
		    0);
		for (k = 0; k < tm_unit_extra_attr_count(u, i); k++) {
			const char *n, *v;

			tm_unit_extra_attr_at(u, i, k, &n, &v);
			tm_unit_extra_set_attr(copy, xi, n, v);
		}
	}
	c->line[c->n] = line;
	c->u[c->n++] = copy;
	return 0;
}

static void release(struct collected *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		tm_unit_free(c->u[i]);
}

static const char sample[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n"
    "<tmx version=\"1.4\">\n"
    "<header creationtool=\"t\" creationtoolversion=\"1\" "
    "segtype=\"sentence\" o-tmf=\"x\" adminlang=\"en\" srclang=\"NB-no\" "
    "datatype=\"html\"><note>header note</note></header>\n"
    "<body>\n"
    "<tu tuid=\"7\" creationdate=\"2010-01-02T03:04:05Z\" "
    "usagecount=\"3\">\n"
    "  <prop type=\"x-domain\">politics</prop>\n"
    "  <tuv xml:lang=\"nb_NO\" creationid=\"ola\">"
    "<note>tuv note</note>"
    "<seg>Trykk <bpt i=\"1\" type=\"bold\">&lt;b&gt;</bpt>her"
    "<ept i=\"1\">&lt;/b&gt;</ept> og <hi type=\"em\">vent</hi>"
    "<ph x=\"2\">&lt;img alt=\"<sub>bilde</sub>\"/&gt;</ph>.\t</seg>"
    "</tuv>\n"
    "  <tuv lang=\"EN\"><seg>Press here &amp; wait.</seg></tuv>\n"
    "</tu>\n"
    "<tu><tuv xml:lang=\"en\" xml:space=\"preserve\"><seg>  two  "
    "</seg></tuv></tu>\n"
    "<tu></tu>\n"
    "</body>\n"
    "</tmx>\n";

static void reader_builds_units_with_attrs_text_markup_and_extras(void **st)
{
	struct collected c = {0};
	struct tolk_err err;
	char path[300];

	(void)st;
	snprintf(path, sizeof(path), "%s/a.tmx", test_dir);
	test_write_file(path, sample);
	tolk_err_clear(&err);
	assert_int_equal(tm_tmx_read(path, 0, collect, &c, &err), 0);
	assert_int_equal(c.n, 2); /* the empty <tu> is skipped */
	assert_int_equal(c.line[0], 6);

	assert_string_equal(tm_unit_attr(c.u[0], "tuid"), "7");
	assert_string_equal(tm_unit_attr(c.u[0], "creationdate"),
			    "20100102T030405Z");
	assert_string_equal(tm_unit_attr(c.u[0], "usagecount"), "3");
	assert_null(tm_unit_attr(c.u[0], "srclang"));
	assert_string_equal(tm_unit_default_srclang(c.u[0]), "nb-NO");

	assert_int_equal(tm_unit_variant_count(c.u[0]), 2);
	assert_string_equal(tm_unit_variant_lang(c.u[0], 0), "nb-NO");
	assert_string_equal(tm_unit_variant_text(c.u[0], 0),
			    "Trykk her og vent.\t");
	assert_string_equal(
	    tm_unit_variant_markup(c.u[0], 0),
	    "Trykk <bpt i=\"1\" type=\"bold\">&lt;b&gt;</bpt>her"
	    "<ept i=\"1\">&lt;/b&gt;</ept> og <hi type=\"em\">vent</hi>"
	    "<ph x=\"2\">&lt;img alt=\"<sub>bilde</sub>\"/&gt;</ph>.\t");
	assert_string_equal(tm_unit_variant_attr(c.u[0], 0, "creationid"),
			    "ola");
	assert_string_equal(tm_unit_variant_lang(c.u[0], 1), "en");
	assert_string_equal(tm_unit_variant_text(c.u[0], 1),
			    "Press here & wait.");
	assert_null(tm_unit_variant_markup(c.u[0], 1));

	assert_int_equal(tm_unit_extra_count(c.u[0]), 2);
	assert_int_equal(tm_unit_extra_level(c.u[0], 0), TM_UNIT_LEVEL);
	assert_int_equal(tm_unit_extra_kind(c.u[0], 0), TM_EXTRA_PROP);
	assert_string_equal(tm_unit_extra_value(c.u[0], 0), "politics");
	assert_string_equal(tm_unit_extra_attr(c.u[0], 0, "type"), "x-domain");
	assert_int_equal(tm_unit_extra_level(c.u[0], 1), 0);
	assert_int_equal(tm_unit_extra_kind(c.u[0], 1), TM_EXTRA_NOTE);
	assert_string_equal(tm_unit_extra_value(c.u[0], 1), "tuv note");

	/* whitespace is kept as written */
	assert_string_equal(tm_unit_variant_text(c.u[1], 0), "  two  ");
	release(&c);
}

static void reader_reports_file_line_and_column(void **st)
{
	struct collected c = {0};
	struct tolk_err err;
	char path[300];

	(void)st;
	snprintf(path, sizeof(path), "%s/bad.tmx", test_dir);
	test_write_file(path,
			"<tmx version=\"1.4\"><header/>\n<body>\n"
			"<tu><tuv xml:lang=\"en\"><seg>a</sg></tuv></tu>\n"
			"</body></tmx>\n");
	tolk_err_clear(&err);
	assert_int_equal(tm_tmx_read(path, 0, collect, &c, &err), TOLK_EINPUT);
	assert_string_equal(err.file, path);
	assert_int_equal(err.line, 3);
	assert_true(err.col > 0);
	assert_int_equal(c.n, 0);
	release(&c);

	test_write_file(path, "<xliff version=\"1.2\"/>\n");
	assert_int_equal(tm_tmx_read(path, 0, collect, &c, &err), TOLK_EINPUT);
	assert_non_null(strstr(err.msg, "not a TMX file"));
}

static void dates_are_normalised_to_the_tmx_form(void **st)
{
	char out[17];

	(void)st;
	assert_int_equal(tm_tmx_date("20240131T235959Z", out), 0);
	assert_string_equal(out, "20240131T235959Z");
	assert_int_equal(tm_tmx_date("2010-01-01T00:00:00", out), 0);
	assert_string_equal(out, "20100101T000000Z");
	assert_int_equal(tm_tmx_date("2010-01-01", out), 0);
	assert_string_equal(out, "20100101T000000Z");
	assert_int_equal(tm_tmx_date("2010-01-01T10:11:12.345Z", out), 0);
	assert_string_equal(out, "20100101T101112Z");
	assert_int_not_equal(tm_tmx_date("2010-13-01", out), 0);
	assert_int_not_equal(tm_tmx_date("yesterday", out), 0);
}

static void norwegian_is_exported_as_bokmal(void **st)
{
	char out[TOLK_LANG_MAX];

	(void)st;
	tm_tmx_export_lang("no", 0, out, sizeof(out));
	assert_string_equal(out, "nb");
	tm_tmx_export_lang("no-NO", 0, out, sizeof(out));
	assert_string_equal(out, "nb-NO");
	tm_tmx_export_lang("no-NO", 1, out, sizeof(out));
	assert_string_equal(out, "no-NO");
	tm_tmx_export_lang("nn", 0, out, sizeof(out));
	assert_string_equal(out, "nn");
}

struct seen {
	char header_body[512];
	char header_tool[64];
	int warnings;
	char last_warning[256];
	struct collected units;
};

static int seen_header(void *ctx, const struct tm_unit *h, const char *body,
		       unsigned long line, struct tolk_err *err)
{
	struct seen *s = ctx;

	(void)line;
	(void)err;
	snprintf(s->header_body, sizeof(s->header_body), "%s", body);
	snprintf(s->header_tool, sizeof(s->header_tool), "%s",
		 tm_unit_attr(h, "creationtool")
		     ? tm_unit_attr(h, "creationtool")
		     : "");
	return 0;
}

static void seen_warn(void *ctx, const char *file, unsigned long line,
		      unsigned long col, const char *msg)
{
	struct seen *s = ctx;

	(void)file;
	(void)line;
	(void)col;
	s->warnings++;
	snprintf(s->last_warning, sizeof(s->last_warning), "%s", msg);
}

static int seen_unit(void *ctx, const struct tm_unit *u, unsigned long line,
		     struct tolk_err *err)
{
	return collect(&((struct seen *)ctx)->units, u, line, err);
}

static void read_with(const char *path, unsigned flags, struct seen *s,
		      int expect_rc)
{
	struct tm_tmx_read_opts o;
	struct tolk_err err;

	memset(&o, 0, sizeof(o));
	memset(s, 0, sizeof(*s));
	o.flags = flags;
	o.unit = seen_unit;
	o.header = seen_header;
	o.warn = seen_warn;
	o.ctx = s;
	tolk_err_clear(&err);
	assert_int_equal(tm_tmx_read_opts(path, &o, &err), expect_rc);
}

static void header_and_warnings_reach_their_callbacks(void **st)
{
	struct seen s;
	char path[300];

	(void)st;
	snprintf(path, sizeof(path), "%s/h.tmx", test_dir);
	test_write_file(path, sample);
	read_with(path, 0, &s, 0);
	assert_string_equal(s.header_tool, "t");
	assert_string_equal(s.header_body, "<note>header note</note>");
	/* lang after xml:lang, and the empty <tu> */
	assert_int_equal(s.warnings, 2);
	assert_non_null(strstr(s.last_warning, "<tu> without <tuv>"));
	release(&s.units);
}

static void recover_drops_a_tuv_without_seg_and_keeps_the_rest(void **st)
{
	struct seen s;
	char path[300];

	(void)st;
	snprintf(path, sizeof(path), "%s/r.tmx", test_dir);
	test_write_file(path, "<tmx version=\"1.4\"><header/><body>\n"
			      "<tu><tuv xml:lang=\"nb\"><seg>Ja</seg></tuv>"
			      "<tuv xml:lang=\"en\"></tuv></tu>\n"
			      "</body></tmx>\n");
	read_with(path, 0, &s, TOLK_EINPUT);
	assert_int_equal(s.units.n, 0);
	read_with(path, TM_TMX_RECOVER, &s, 0);
	assert_int_equal(s.units.n, 1);
	assert_int_equal(tm_unit_variant_count(s.units.u[0]), 1);
	assert_true(s.warnings >= 1);
	release(&s.units);
}

static void attributes_tmx_cannot_carry_survive_export(void **st)
{
	struct collected c = {0};
	struct tolk_err err;
	char src[300], db[300], out[300];

	(void)st;
	snprintf(src, sizeof(src), "%s/x.tmx", test_dir);
	snprintf(db, sizeof(db), "%s/x.db", test_dir);
	snprintf(out, sizeof(out), "%s/x-out.tmx", test_dir);
	test_write_file(
	    src, "<tmx version=\"1.4\"><header srclang=\"en\"/><body>\n"
		 "<tu id=\"A&amp;B=%1\" segtype=\"odd\">"
		 "<prop name=\"n=1&amp;2%\" type2=\"t\">v</prop>"
		 "<tuv xml:lang=\"en\" status=\"final\"><seg>x</seg></tuv>"
		 "</tu>\n</body></tmx>\n");
	import_file(db, src);
	export_file(db, out, NULL);
	tolk_err_clear(&err);
	assert_int_equal(tm_tmx_read(out, 0, collect, &c, &err), 0);
	assert_int_equal(c.n, 1);
	assert_string_equal(tm_unit_attr(c.u[0], "id"), "A&B=%1");
	assert_string_equal(tm_unit_attr(c.u[0], "segtype"), "odd");
	assert_string_equal(tm_unit_variant_attr(c.u[0], 0, "status"), "final");
	assert_int_equal(tm_unit_extra_count(c.u[0]), 1);
	assert_string_equal(tm_unit_extra_attr(c.u[0], 0, "name"), "n=1&2%");
	assert_string_equal(tm_unit_extra_attr(c.u[0], 0, "type2"), "t");
	assert_null(tm_unit_extra_attr(c.u[0], 0, "type"));
	assert_string_equal(tm_unit_extra_value(c.u[0], 0), "v");
	release(&c);
}

/* ---- corpus round trip ------------------------------------------------- */

/* "name=value" lines of a set of attributes, sorted. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void attrs_sorted(struct tolk_buf *out, size_t n,
			 void (*at)(const void *, size_t, size_t, const char **,
				    const char **),
			 const void *obj, size_t idx)
{
	char **lines = calloc(n + 1, sizeof(*lines));
	size_t i;

	assert_non_null(lines);
	for (i = 0; i < n; i++) {
		const char *k, *v;
		struct tolk_buf b = TOLK_BUF_INIT;

		at(obj, idx, i, &k, &v);
		tolk_buf_printf(&b, "%s=%s", k, v);
		lines[i] = tolk_buf_detach(&b);
	}
	qsort(lines, n, sizeof(*lines), cmp_str);
	for (i = 0; i < n; i++) {
		tolk_buf_printf(out, " [%s]", lines[i]);
		free(lines[i]);
	}
	free(lines);
}

static void unit_attr_at(const void *u, size_t idx, size_t i, const char **k,
			 const char **v)
{
	(void)idx;
	tm_unit_attr_at(u, i, k, v);
}

static void variant_attr_at(const void *u, size_t idx, size_t i, const char **k,
			    const char **v)
{
	tm_unit_variant_attr_at(u, idx, i, k, v);
}

static void extra_attr_at(const void *u, size_t idx, size_t i, const char **k,
			  const char **v)
{
	tm_unit_extra_attr_at(u, idx, i, k, v);
}

/* Everything a round trip must keep, as text: attributes (as a set),
 * variants (language as exported, text, markup, attributes), extras. */
static void describe(const struct tm_unit *u, struct tolk_buf *out)
{
	char tag[TOLK_LANG_MAX];
	size_t i;

	tolk_buf_reset(out);
	tolk_buf_puts(out, "unit");
	attrs_sorted(out, tm_unit_attr_count(u), unit_attr_at, u, 0);
	tolk_buf_puts(out, "\n");
	for (i = 0; i < tm_unit_variant_count(u); i++) {
		const char *m = tm_unit_variant_markup(u, i);

		tm_tmx_export_lang(tm_unit_variant_lang(u, i), 0, tag,
				   sizeof(tag));
		tolk_buf_printf(out, "variant %s text{%s} markup{%s}", tag,
				tm_unit_variant_text(u, i), m ? m : "(none)");
		attrs_sorted(out, tm_unit_variant_attr_count(u, i),
			     variant_attr_at, u, i);
		tolk_buf_puts(out, "\n");
	}
	for (i = 0; i < tm_unit_extra_count(u); i++) {
		size_t lv = tm_unit_extra_level(u, i);

		tolk_buf_printf(out, "extra %ld %d {%s}",
				lv == TM_UNIT_LEVEL ? -1L : (long)lv,
				(int)tm_unit_extra_kind(u, i),
				tm_unit_extra_value(u, i));
		attrs_sorted(out, tm_unit_extra_attr_count(u, i), extra_attr_at,
			     u, i);
		tolk_buf_puts(out, "\n");
	}
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct tolk_buf b = TOLK_BUF_INIT;
	char chunk[65536];
	size_t n;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		tolk_buf_append(&b, chunk, n);
	fclose(f);
	*len = b.len;
	tolk_buf_puts(&b, "");
	return tolk_buf_detach(&b);
}

/* Blanks the export's own creationdate (the first one, on <header>). */
static void blank_export_date(char *s)
{
	char *p = strstr(s, "creationdate=\"");

	if (p)
		memset(p + 14, '-', 16);
}

static int64_t count_units(const char *db)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int64_t n = -1;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(
	    sqlite3_prepare_v2(h, "SELECT count(*) FROM unit", -1, &st, NULL),
	    SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static char *header_of(const char *db)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	struct tolk_buf b = TOLK_BUF_INIT;

	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h,
					    "SELECT hex(attrs), body FROM "
					    "tmx_header ORDER BY id",
					    -1, &st, NULL),
			 SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW)
		tolk_buf_printf(&b, "%s|%s\n", sqlite3_column_text(st, 0),
				sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	sqlite3_close(h);
	tolk_buf_puts(&b, "");
	return tolk_buf_detach(&b);
}

static void import_file(const char *db, const char *file)
{
	struct tm_tmx_import_opts o;
	struct tm_tmx_import_stats s;
	struct tm_store *st = NULL;
	struct tolk_err err;

	memset(&o, 0, sizeof(o));
	o.policy = TM_DUP_MERGE;
	tolk_err_clear(&err);
	assert_int_equal(tm_store_open(&st, db, 0, &err), 0);
	if (tm_tmx_import(st, file, &o, &s, &err))
		fail_msg("import %s: %s:%lu: %s", file, err.file, err.line,
			 err.msg);
	tm_store_close(st);
}

/* origin: export that file's units under its own header, or NULL for
 * all under tolk's. */
static void export_file(const char *db, const char *file, const char *origin)
{
	struct tm_tmx_export_opts o;
	struct tm_store *st = NULL;
	struct tolk_err err;

	memset(&o, 0, sizeof(o));
	o.source_lang = "nb";
	o.target_lang = "en";
	o.all_languages = 1;
	o.origin = origin;
	tolk_err_clear(&err);
	assert_int_equal(tm_store_open(&st, db, 0, &err), 0);
	if (tm_tmx_export(st, file, &o, NULL, &err))
		fail_msg("export %s: %s", file, err.msg);
	tm_store_close(st);
}

static void compare_stores(const char *name, const char *a, const char *b)
{
	struct tm_store *sa = NULL, *sb = NULL;
	struct tolk_buf da = TOLK_BUF_INIT, db = TOLK_BUF_INIT;
	struct tolk_err err;
	int64_t n = count_units(a), id;

	assert_int_equal(count_units(b), n);
	assert_int_equal(tm_store_open(&sa, a, TM_STORE_MUST_EXIST, &err), 0);
	assert_int_equal(tm_store_open(&sb, b, TM_STORE_MUST_EXIST, &err), 0);
	/* Both were filled from empty in file order: ids line up. */
	for (id = 1; id <= n; id++) {
		struct tm_unit *ua = NULL, *ub = NULL;

		assert_int_equal(tm_store_get(sa, id, &ua, &err), 0);
		assert_int_equal(tm_store_get(sb, id, &ub, &err), 0);
		describe(ua, &da);
		describe(ub, &db);
		if (strcmp(tolk_buf_str(&da), tolk_buf_str(&db)) != 0)
			fail_msg("%s: unit %lld differs after a round "
				 "trip:\n%s---\n%s",
				 name, (long long)id, tolk_buf_str(&da),
				 tolk_buf_str(&db));
		tm_unit_free(ua);
		tm_unit_free(ub);
	}
	tm_store_close(sa);
	tm_store_close(sb);
	tolk_buf_free(&da);
	tolk_buf_free(&db);
}

static void corpus_round_trips_through_export(void **st)
{
	const char *shared = getenv("TOLK_SHARED");
	char manifest[512], line[8192];
	FILE *f;
	int files = 0;

	(void)st;
	if (!shared)
		shared = "../shared";
	snprintf(manifest, sizeof(manifest), "%s/corpus/tmx/manifest.tsv",
		 shared);
	f = fopen(manifest, "r");
	if (!f)
		fail_msg("cannot read %s (set TOLK_SHARED)", manifest);
	while (fgets(line, sizeof(line), f)) {
		char src[1024], a[300], b[300], e1[300], e2[300];
		char *tab = strchr(line, '\t'), *ha, *hb;

		if (!tab || strncmp(line, "file\t", 5) == 0)
			continue;
		*tab = '\0';
		snprintf(src, sizeof(src), "%s/corpus/tmx/%s", shared, line);
		snprintf(a, sizeof(a), "%s/%d-a.db", test_dir, files);
		snprintf(b, sizeof(b), "%s/%d-b.db", test_dir, files);
		snprintf(e1, sizeof(e1), "%s/%d-1.tmx", test_dir, files);
		snprintf(e2, sizeof(e2), "%s/%d-2.tmx", test_dir, files);
		import_file(a, src);
		/* the file's own header, as `export --origin FILE` writes */
		export_file(a, e1, src);
		import_file(b, e1);
		compare_stores(line, a, b);
		/* the header's attributes, props, notes come back too */
		ha = header_of(a);
		hb = header_of(b);
		if (strcmp(ha, hb) != 0)
			fail_msg("%s: header differs:\n%s---\n%s", line, ha,
				 hb);
		free(ha);
		free(hb);
		/* and a second round trip changes nothing at all */
		export_file(b, e2, e1);
		{
			size_t n1, n2;
			char *t1 = slurp(e1, &n1), *t2 = slurp(e2, &n2);

			blank_export_date(t1);
			blank_export_date(t2);
			if (n1 != n2 || memcmp(t1, t2, n1) != 0)
				fail_msg("%s: second export differs from the "
					 "first",
					 line);
			free(t1);
			free(t2);
		}
		files++;
	}
	fclose(f);
	assert_int_equal(files, 56);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(
		reader_builds_units_with_attrs_text_markup_and_extras, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(reader_reports_file_line_and_column,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(
		header_and_warnings_reach_their_callbacks, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		recover_drops_a_tuv_without_seg_and_keeps_the_rest, setup,
		teardown),
	    cmocka_unit_test_setup_teardown(
		attributes_tmx_cannot_carry_survive_export, setup, teardown),
	    cmocka_unit_test(dates_are_normalised_to_the_tmx_form),
	    cmocka_unit_test(norwegian_is_exported_as_bokmal),
	    cmocka_unit_test_setup_teardown(corpus_round_trips_through_export,
					    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
