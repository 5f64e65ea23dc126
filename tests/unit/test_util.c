/* Unit tests of the shared plumbing in util/: buffers, errors, the JSON
 * writer, text normalisation and folding, UTF-8 checks, language tags. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/err.h"
#include "util/json.h"
#include "util/lang.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/utf8.h"

/* ---- buffers ------------------------------------------------------------ */

/* A table from tolk_calloc_touched reads as zero and has every page in
 * memory before its first use (mincore), so that a read before a write
 * never maps the kernel's zero page; n * size past SIZE_MAX is refused. */
static void calloc_touched_is_zero_and_resident(void **state)
{
	size_t n = (4u << 20) / 8, i, page = (size_t)sysconf(_SC_PAGESIZE);
	uint64_t *t = tolk_calloc_touched(n, 8);
	unsigned char *vec;
	uintptr_t lo, hi;

	(void)state;
	assert_non_null(t);
	lo = (uintptr_t)t & ~(uintptr_t)(page - 1);
	hi = ((uintptr_t)(t + n) + page - 1) & ~(uintptr_t)(page - 1);
	vec = malloc((hi - lo) / page);
	assert_non_null(vec);
	assert_int_equal(mincore((void *)lo, hi - lo, vec), 0);
	for (i = 0; i < (hi - lo) / page; i++)
		assert_true(vec[i] & 1);
	for (i = 0; i < n; i++)
		assert_true(t[i] == 0);
	free(vec);
	free(t);
	/* small ones come from the heap as calloc's */
	t = tolk_calloc_touched(3, 8);
	assert_non_null(t);
	assert_true(t[0] == 0 && t[2] == 0);
	free(t);
	assert_null(tolk_calloc_touched(SIZE_MAX / 4, 8));
}

static void buf_appends_and_stays_nul_terminated(void **state)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	size_t i;

	(void)state;
	assert_string_equal(tolk_buf_str(&b), "");
	assert_int_equal(tolk_buf_puts(&b, "Stor"), 0);
	assert_int_equal(tolk_buf_putc(&b, 't'), 0);
	assert_int_equal(tolk_buf_append(&b, "inget\0x", 5), 0);
	assert_int_equal(tolk_buf_printf(&b, " %d/%s", 169, "mandater"), 0);
	assert_string_equal(tolk_buf_str(&b), "Stortinget 169/mandater");
	assert_int_equal(b.len, strlen("Stortinget 169/mandater"));
	/* many small appends grow it; contents stay exact */
	tolk_buf_reset(&b);
	for (i = 0; i < 10000; i++)
		assert_int_equal(tolk_buf_putc(&b, (char)('a' + i % 26)), 0);
	assert_int_equal(b.len, 10000);
	assert_true(b.cap > b.len);
	assert_int_equal(b.data[b.len], '\0');
	for (i = 0; i < 10000; i++)
		assert_int_equal(b.data[i], 'a' + i % 26);
	tolk_buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void buf_keeps_nul_bytes_and_empty_appends(void **state)
{
	struct tolk_buf b = TOLK_BUF_INIT;

	(void)state;
	assert_int_equal(tolk_buf_append(&b, "", 0), 0);
	assert_non_null(b.data);
	assert_string_equal(tolk_buf_str(&b), "");
	assert_int_equal(tolk_buf_append(&b, "a\0b", 3), 0);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.data, "a\0b", 4);
	assert_int_equal(tolk_buf_printf(&b, "%s", ""), 0);
	assert_int_equal(b.len, 3);
	tolk_buf_free(&b);
}

static void buf_reset_keeps_memory_detach_hands_it_over(void **state)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	char *p, *data;
	size_t cap;

	(void)state;
	tolk_buf_puts(&b, "kommune");
	data = b.data;
	cap = b.cap;
	tolk_buf_reset(&b);
	assert_ptr_equal(b.data, data);
	assert_int_equal(b.cap, cap);
	assert_int_equal(b.len, 0);
	assert_string_equal(tolk_buf_str(&b), "");
	tolk_buf_puts(&b, "fylke");
	p = tolk_buf_detach(&b);
	assert_string_equal(p, "fylke");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	free(p);
	/* an empty buffer detaches as "" the caller can free */
	p = tolk_buf_detach(&b);
	assert_non_null(p);
	assert_string_equal(p, "");
	free(p);
	tolk_buf_free(&b); /* twice is harmless */
	tolk_buf_free(&b);
}

static void buf_refuses_sizes_that_overflow(void **state)
{
	struct tolk_buf b = TOLK_BUF_INIT;

	(void)state;
	tolk_buf_puts(&b, "abc");
	assert_int_equal(tolk_buf_grow(&b, (size_t)-1), TOLK_ENOMEM);
	assert_int_equal(tolk_buf_grow(&b, (size_t)-1 - 3), TOLK_ENOMEM);
	assert_int_equal(tolk_buf_append(&b, "x", (size_t)-2), TOLK_ENOMEM);
	/* unchanged on failure */
	assert_string_equal(tolk_buf_str(&b), "abc");
	assert_int_equal(b.len, 3);
	tolk_buf_free(&b);
}

/* ---- errors ------------------------------------------------------------- */

static void err_set_returns_the_code_and_formats_the_place(void **state)
{
	struct tolk_err err;
	char out[2048];

	(void)state;
	tolk_err_clear(&err);
	assert_int_equal(err.code, TOLK_OK);
	assert_int_equal(tolk_err_set(&err, TOLK_EINPUT, "bad %s", "row"),
			 TOLK_EINPUT);
	tolk_err_format(&err, out, sizeof(out));
	assert_string_equal(out, "bad row");

	assert_int_equal(tolk_err_set_at(&err, TOLK_EINPUT, "a.tmx", 3, 14,
					 "not well-formed XML"),
			 TOLK_EINPUT);
	tolk_err_format(&err, out, sizeof(out));
	assert_string_equal(out, "a.tmx:3:14: not well-formed XML");
	tolk_err_set_at(&err, TOLK_EINPUT, "a.tsv", 7, 0, "no tab");
	tolk_err_format(&err, out, sizeof(out));
	assert_string_equal(out, "a.tsv:7: no tab");
	tolk_err_set_at(&err, TOLK_EIO, "b.tmx", 0, 0, "cannot open");
	tolk_err_format(&err, out, sizeof(out));
	assert_string_equal(out, "b.tmx: cannot open");

	/* a new error replaces the old place entirely */
	tolk_err_set(&err, TOLK_EDB, "disk full");
	tolk_err_format(&err, out, sizeof(out));
	assert_string_equal(out, "disk full");
	assert_int_equal(err.line, 0);

	/* without a struct the code still comes back */
	assert_int_equal(tolk_err_set(NULL, TOLK_ENOMEM, "x"), TOLK_ENOMEM);
	assert_int_equal(tolk_err_set_at(NULL, TOLK_EIO, "f", 1, 1, "x"),
			 TOLK_EIO);
	tolk_err_prefix(NULL, "nothing");
	tolk_err_clear(NULL);
}

static void err_prefix_adds_context_in_front(void **state)
{
	struct tolk_err err;

	(void)state;
	tolk_err_set(&err, TOLK_EDB, "database is locked");
	tolk_err_prefix(&err, "import '%s'", "a.tmx");
	assert_string_equal(err.msg, "import 'a.tmx': database is locked");
	assert_int_equal(err.code, TOLK_EDB);
}

static void err_long_messages_are_cut_not_overflowed(void **state)
{
	struct tolk_err err;
	char big[4096], out[64];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tolk_err_set_at(&err, TOLK_EINPUT, big, 1, 2, "%s", big);
	assert_int_equal(strlen(err.file), sizeof(err.file) - 1);
	assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
	tolk_err_prefix(&err, "%s", big);
	assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
	tolk_err_format(&err, out, sizeof(out));
	assert_int_equal(strlen(out), sizeof(out) - 1);
}

static void err_codes_map_to_the_documented_exit_statuses(void **state)
{
	(void)state;
	assert_int_equal(tolk_err_exit_status(TOLK_OK), 0);
	assert_int_equal(tolk_err_exit_status(TOLK_ENOTFOUND), 1);
	assert_int_equal(tolk_err_exit_status(TOLK_EINPUT), 2);
	assert_int_equal(tolk_err_exit_status(TOLK_EUSAGE), 2);
	assert_int_equal(tolk_err_exit_status(TOLK_EIO), 3);
	assert_int_equal(tolk_err_exit_status(TOLK_EDB), 3);
	assert_int_equal(tolk_err_exit_status(TOLK_ENOMEM), 3);
	assert_int_equal(tolk_err_exit_status(TOLK_EINTERNAL), 3);
}

/* ---- JSON writer -------------------------------------------------------- */

static const char *json_of(struct tolk_json *j)
{
	assert_int_equal(j->failed, 0);
	return tolk_buf_str(&j->out);
}

static void json_places_commas_and_colons_in_nested_values(void **state)
{
	struct tolk_json j;

	(void)state;
	tolk_json_init(&j);
	tolk_json_obj_begin(&j);
	tolk_json_kv_str(&j, "term", "statsminister");
	tolk_json_key(&j, "approved");
	tolk_json_arr_begin(&j);
	tolk_json_str(&j, "Prime Minister");
	tolk_json_str(&j, "Premier");
	tolk_json_arr_end(&j);
	tolk_json_key(&j, "forbidden");
	tolk_json_arr_begin(&j);
	tolk_json_arr_end(&j);
	tolk_json_key(&j, "scores");
	tolk_json_arr_begin(&j);
	tolk_json_obj_begin(&j);
	tolk_json_obj_end(&j);
	tolk_json_obj_begin(&j);
	tolk_json_kv_int(&j, "id", -42);
	tolk_json_kv_double(&j, "score", 0.875);
	tolk_json_kv_bool(&j, "exact", 0);
	tolk_json_obj_end(&j);
	tolk_json_arr_end(&j);
	tolk_json_kv_bool(&j, "ok", 1);
	tolk_json_key(&j, "note");
	tolk_json_str(&j, NULL);
	tolk_json_kv_int(&j, "big", INT64_MIN);
	tolk_json_obj_end(&j);
	assert_string_equal(
	    json_of(&j),
	    "{\"term\":\"statsminister\",\"approved\":[\"Prime "
	    "Minister\",\"Premier\"],\"forbidden\":[],\"scores\":[{},{\"id\":"
	    "-42,\"score\":0.875,\"exact\":false}],\"ok\":true,\"note\":null,"
	    "\"big\":-9223372036854775808}");
	/* reset starts a new document */
	tolk_json_reset(&j);
	tolk_json_arr_begin(&j);
	tolk_json_int(&j, 1);
	tolk_json_null(&j);
	tolk_json_arr_end(&j);
	assert_string_equal(json_of(&j), "[1,null]");
	tolk_json_release(&j);
}

static void json_numbers_that_json_cannot_hold_become_null(void **state)
{
	struct tolk_json j;

	(void)state;
	tolk_json_init(&j);
	tolk_json_arr_begin(&j);
	tolk_json_double(&j, 1.0 / 0.0);
	tolk_json_double(&j, -1.0 / 0.0);
	tolk_json_double(&j, 0.0 / 0.0);
	tolk_json_double(&j, 100);
	tolk_json_arr_end(&j);
	assert_string_equal(json_of(&j), "[null,null,null,100]");
	tolk_json_release(&j);
}

/* s (len bytes) as a JSON string literal */
static char *escaped(const char *s, size_t len)
{
	struct tolk_buf b = TOLK_BUF_INIT;

	assert_int_equal(tolk_json_escape(&b, s, len), 0);
	return tolk_buf_detach(&b);
}

static void json_escapes_quotes_backslashes_and_control_characters(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *out;
	} cases[] = {
	    {"plain", 5, "\"plain\""},
	    {"", 0, "\"\""},
	    {"say \"hi\"", 8, "\"say \\\"hi\\\"\""},
	    {"C:\\tmp", 6, "\"C:\\\\tmp\""},
	    {"a\nb\rc\td", 7, "\"a\\nb\\rc\\td\""},
	    {"\x01\x1f", 2, "\"\\u0001\\u001f\""},
	    {"nul\0byte", 8, "\"nul\\u0000byte\""},
	    {"\b\f", 2, "\"\\u0008\\u000c\""},
	    {"\x7f /", 3, "\"\x7f /\""},
	    {"Ærlig på Økokrim – €", 27, "\"Ærlig på Økokrim – €\""},
	    {"\xF0\x9F\x98\x80", 4, "\"\xF0\x9F\x98\x80\""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = escaped(cases[i].in, cases[i].len);

		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

static void json_replaces_invalid_utf8_with_u_fffd(void **state)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
	    {"a\xFF"
	     "b",
	     "\"a\xEF\xBF\xBD"
	     "b\""},
	    /* a truncated sequence at the end */
	    {"x\xC3", "\"x\xEF\xBF\xBD\""},
	    /* overlong '/' and a UTF-16 surrogate: one U+FFFD per byte */
	    {"\xC0\xAF", "\"\xEF\xBF\xBD\xEF\xBF\xBD\""},
	    {"\xED\xA0\x80", "\"\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\""},
	    /* a lone continuation byte before valid text */
	    {"\x80\xC3\xB8", "\"\xEF\xBF\xBD\xC3\xB8\""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = escaped(cases[i].in, strlen(cases[i].in));
		size_t bad;

		assert_string_equal(got, cases[i].out);
		/* whatever came in, what goes out is valid UTF-8 */
		assert_true(tolk_utf8_valid(got, strlen(got), &bad));
		free(got);
	}
}

static void json_keys_are_escaped_too(void **state)
{
	struct tolk_json j;

	(void)state;
	tolk_json_init(&j);
	tolk_json_obj_begin(&j);
	tolk_json_kv_str(&j, "a\"b\n", "v\\");
	tolk_json_obj_end(&j);
	assert_string_equal(json_of(&j), "{\"a\\\"b\\n\":\"v\\\\\"}");
	tolk_json_release(&j);
}

static void json_nesting_past_the_limit_fails_and_stays_failed(void **state)
{
	struct tolk_json j;
	int i;

	(void)state;
	tolk_json_init(&j);
	for (i = 0; i < TOLK_JSON_MAX_DEPTH - 1; i++)
		tolk_json_arr_begin(&j);
	assert_int_equal(j.failed, 0);
	for (i = 0; i < TOLK_JSON_MAX_DEPTH - 1; i++)
		tolk_json_arr_end(&j);
	assert_int_equal(j.failed, 0);
	assert_int_equal(j.out.len, 2 * (TOLK_JSON_MAX_DEPTH - 1));

	tolk_json_reset(&j);
	for (i = 0; i < TOLK_JSON_MAX_DEPTH + 5; i++)
		tolk_json_obj_begin(&j);
	assert_int_equal(j.failed, 1);
	for (i = 0; i < TOLK_JSON_MAX_DEPTH + 5; i++)
		tolk_json_obj_end(&j);
	tolk_json_int(&j, 1);
	assert_int_equal(j.failed, 1); /* sticky */
	tolk_json_reset(&j);
	assert_int_equal(j.failed, 0);
	tolk_json_release(&j);
}

/* ---- text normalisation and folding ------------------------------------- */

/* tolk_text_norm (fold 0) or tolk_text_fold (fold 1) of s, expected to
 * succeed; the caller frees. */
static char *text_of(int fold, const char *s)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	struct tolk_err err;
	int rc = fold ? tolk_text_fold(s, strlen(s), &b, &err)
		      : tolk_text_norm(s, strlen(s), &b, &err);

	assert_int_equal(rc, 0);
	return tolk_buf_detach(&b);
}

static void text_norm_composes_and_folds_white_space(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"", ""},
	    {"   ", ""},
	    {"Hei verden", "Hei verden"},
	    {"  Hei \t\n verden  ", "Hei verden"},
	    /* NO-BREAK SPACE, EM SPACE, LINE SEPARATOR are white space */
	    {"Hei\xC2\xA0\xE2\x80\x83verden\xE2\x80\xA8", "Hei verden"},
	    /* o + COMBINING STROKE has no composition; a + ring has */
	    {"a\xCC\x8A"
	     "rsmelding",
	     "\xC3\xA5rsmelding"},
	    {"A\xCC\x8A", "\xC3\x85"},
	    /* ZERO WIDTH SPACE is not white space: kept */
	    {"a\xE2\x80\x8B"
	     "b",
	     "a\xE2\x80\x8B"
	     "b"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = text_of(0, cases[i].in);

		assert_string_equal(got, cases[i].out);
		free(got);
	}
}

/* Texts below U+0300 take a path of their own (no ICU): it gives what
 * ICU's does.  A ZERO WIDTH SPACE at each end sends a text to ICU and
 * stays in its output, a dot at each end keeps it on the short path. */
static void text_norm_of_latin_texts_equals_icus(void **state)
{
	static const char *const parts[] = {
	    "a",	"B",	    "z",	" ",	    "  ",
	    "\t",	"\n",	    "\r",	"\v",	    "\f",
	    "\xC2\xA0", "\xC2\x85", "\xC3\xA5", "\xC3\x98", "\xC3\xA6",
	    "\xC3\xBC", "\xCB\x86", "\x1F",	".",	    "1,5"};
	unsigned long r = 20261129;
	int i, k;

	(void)state;
	for (i = 0; i < 500; i++) {
		char in[256], a[300], b[300], *fa, *fb;
		size_t n = 0, la, lb;

		for (k = (int)(r % 12); k >= 0; k--) {
			r = r * 6364136223846793005UL + 1442695040888963407UL;
			n += (size_t)snprintf(
			    in + n, sizeof(in) - n, "%s",
			    parts[(r >> 33) %
				  (sizeof(parts) / sizeof(*parts))]);
		}
		snprintf(a, sizeof(a), ".%s.", in);
		snprintf(b, sizeof(b), "\xE2\x80\x8B%s\xE2\x80\x8B", in);
		fa = text_of(0, a);
		fb = text_of(0, b);
		la = strlen(fa);
		lb = strlen(fb);
		assert_true(la >= 2 && lb >= 6);
		assert_int_equal(la - 2, lb - 6);
		assert_memory_equal(fa + 1, fb + 3, la - 2);
		free(fa);
		free(fb);
	}
}

static void text_norm_appends_and_refuses_invalid_utf8(void **state)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	struct tolk_err err;

	(void)state;
	tolk_buf_puts(&b, "x|");
	assert_int_equal(tolk_text_norm(" y ", 3, &b, &err), 0);
	assert_string_equal(tolk_buf_str(&b), "x|y");
	assert_int_equal(tolk_text_norm("ok\xC3(", 4, &b, &err), TOLK_EINPUT);
	assert_string_equal(err.msg, "invalid UTF-8 at byte 2");
	assert_int_equal(tolk_text_fold("\xFF", 1, &b, &err), TOLK_EINPUT);
	assert_string_equal(err.msg, "invalid UTF-8 at byte 0");
	assert_string_equal(tolk_buf_str(&b), "x|y");
	tolk_buf_free(&b);
}

/* The short path's edges: a text already in normal form is copied as
 * it is, after what the buffer holds; white space at either end, doubled
 * or other than a space is folded; a lead byte of the short path's range
 * without its continuation, or a stray continuation, is refused at the
 * offset the full path names. */
static void text_norm_short_path_edges(void **state)
{
	static const struct {
		const char *in, *out;
	} ok[] = {
	    {"y z", "x|y z"},
	    {"\xC3\xA6 \xC3\xB8", "x|\xC3\xA6 \xC3\xB8"},
	    {" y", "x|y"},
	    {"y ", "x|y"},
	    {"y  z", "x|y z"},
	    {"y\tz", "x|y z"},
	    {"y\xC2\xA0z", "x|y z"},
	    {"\xC2\x85y\xC2\xA0", "x|y"},
	    {"\xC2\xA0", "x|"},
	};
	static const struct {
		const char *in, *msg;
	} bad[] = {
	    {"a\xC2", "invalid UTF-8 at byte 1"},
	    {"ab\xC2(", "invalid UTF-8 at byte 2"},
	    {"\x80", "invalid UTF-8 at byte 0"},
	    {"a \xC1\x81", "invalid UTF-8 at byte 2"},
	    {"\xC3\xA5\xCB", "invalid UTF-8 at byte 2"},
	};
	struct tolk_buf b = TOLK_BUF_INIT;
	struct tolk_err err;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		tolk_buf_reset(&b);
		tolk_buf_puts(&b, "x|");
		assert_int_equal(
		    tolk_text_norm(ok[i].in, strlen(ok[i].in), &b, &err), 0);
		assert_string_equal(tolk_buf_str(&b), ok[i].out);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tolk_buf_reset(&b);
		assert_int_equal(
		    tolk_text_norm(bad[i].in, strlen(bad[i].in), &b, &err),
		    TOLK_EINPUT);
		assert_string_equal(err.msg, bad[i].msg);
	}
	tolk_buf_free(&b);
}

/* White space folded by hand, for the test below: runs of ' ', '\t',
 * '\n' and NO-BREAK SPACE to one space, none at the ends. */
static void fold_spaces_by_hand(const char *s, char *out)
{
	size_t n = 0;
	int space = 0;

	while (*s) {
		size_t k = strncmp(s, "\xC2\xA0", 2) == 0 ? 2 : 1;

		if (k == 2 || *s == ' ' || *s == '\t' || *s == '\n') {
			space = 1;
		} else {
			if (space && n > 0)
				out[n++] = ' ';
			space = 0;
			out[n++] = *s;
		}
		s += k;
	}
	out[n] = '\0';
}

/* The short path reads plain ASCII eight bytes at a time: white space to
 * fold is found wherever it falls in or across such a block, and
 * tolk_text_norm_ref hands back the text itself exactly when nothing in
 * it changes. */
static void text_norm_finds_white_space_at_any_offset(void **state)
{
	static const char *const ws[] = {"",   " ",   "  ",
					 "\t", " \n", "\xC2\xA0"};
	/* ASCII, then Norwegian letters (two bytes each) at every offset */
	static const char *const bases[] = {
	    "abc defgh ijklmnop qrstu vwxyz0123",
	    "bl\xC3\xA5 \xC3\xA6rf\xC3\xB8r s\xC3\xB8t\xC3\xA5r "
	    "\xC3\x86\xC3\x98\xC3\x85 g\xC3\xA5r"};
	struct tolk_buf b = TOLK_BUF_INIT, r = TOLK_BUF_INIT;
	struct tolk_err err;
	size_t w, k, nlen, bi;

	(void)state;
	for (bi = 0; bi < 2; bi++)
		for (w = 0; w < sizeof(ws) / sizeof(ws[0]); w++) {
			const char *base = bases[bi];

			for (k = 0; k <= strlen(base); k++) {
				char in[96], want[96];
				const char *norm;

				/* a cut inside a letter is a test of its own
				 * below */
				if (k > 0 && (base[k] & 0xC0) == 0x80)
					continue;
				snprintf(in, sizeof(in), "%.*s%s%s", (int)k,
					 base, ws[w], base + k);
				fold_spaces_by_hand(in, want);
				tolk_buf_reset(&b);
				assert_int_equal(
				    tolk_text_norm(in, strlen(in), &b, &err),
				    0);
				assert_string_equal(tolk_buf_str(&b), want);
				assert_int_equal(
				    tolk_text_norm_ref(in, strlen(in), &r,
						       &norm, &nlen, &err),
				    0);
				assert_int_equal(nlen, strlen(want));
				assert_memory_equal(norm, want, nlen);
				assert_int_equal(norm == in,
						 strcmp(in, want) == 0);
			}
		}
	tolk_buf_free(&b);
	tolk_buf_free(&r);
}

/* A broken two-byte letter is refused wherever it falls among plain
 * words, as the full path refuses it: a lead byte without its
 * continuation, a stray continuation, a lead at the very end. */
static void text_norm_refuses_broken_letters(void **state)
{
	static const char *const broken[] = {"\xC3", "\xA5", "\xC3\xC3\xA5",
					     "\xC3 ", "\xCB"};
	static const char base[] = "abc defgh ijklmnop qrstu";
	struct tolk_buf b = TOLK_BUF_INIT;
	struct tolk_err err;
	const char *norm;
	size_t w, k, nlen;

	(void)state;
	for (w = 0; w < sizeof(broken) / sizeof(broken[0]); w++) {
		for (k = 0; k < sizeof(base); k++) {
			char in[64];

			snprintf(in, sizeof(in), "%.*s%s%s", (int)k, base,
				 broken[w], base + k);
			tolk_buf_reset(&b);
			assert_int_equal(
			    tolk_text_norm(in, strlen(in), &b, &err),
			    TOLK_EINPUT);
			assert_int_equal(tolk_text_norm_ref(in, strlen(in), &b,
							    &norm, &nlen, &err),
					 TOLK_EINPUT);
		}
	}
	tolk_buf_free(&b);
}

static void text_fold_matches_cases_beyond_ascii(void **state)
{
	static const struct {
		const char *a, *b;
	} same[] = {
	    {"Økokrim", "økokrim"},
	    {"ÆRLIG PÅ ÅSEN", "ærlig på åsen"},
	    {"STRASSE", "straße"},
	    {"ΣΊΣΥΦΟΣ", "σίσυφος"},
	    /* precomposed against decomposed, in any case */
	    {"\xC3\x85rsmelding", "a\xCC\x8A"
				  "RSMELDING"},
	};
	static const struct {
		const char *a, *b;
	} differ[] = {
	    {"økokrim", "okokrim"},
	    {"år", "ar"},
	    {"NTB", "NTB "},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char *a = text_of(1, same[i].a), *b = text_of(1, same[i].b);

		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	for (i = 0; i < sizeof(differ) / sizeof(differ[0]); i++) {
		char *a = text_of(1, differ[i].a), *b = text_of(1, differ[i].b);

		assert_string_not_equal(a, b);
		free(a);
		free(b);
	}
}

static void text_fold_of_a_folded_string_is_itself(void **state)
{
	static const char *in[] = {"Økokrim", "ǅ", "İstanbul",
				   "ΐ",	      "ﬃ", "a\xCC\x8A\xCC\xA3"};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		char *once = text_of(1, in[i]), *twice = text_of(1, once);

		assert_string_equal(once, twice);
		free(once);
		free(twice);
	}
}

/* ---- UTF-8 -------------------------------------------------------------- */

static void utf8_accepts_exactly_the_well_formed_sequences(void **state)
{
	static const struct {
		const char *s;
		size_t len, prefix;
	} cases[] = {
	    {"a", 1, 1},
	    {"\xC3\xB8", 2, 2},		/* ø */
	    {"\xE2\x82\xAC", 3, 3},	/* € */
	    {"\xF0\x9F\x98\x80", 4, 4}, /* U+1F600 */
	    {"\xF4\x8F\xBF\xBF", 4, 4}, /* U+10FFFF */
	    {"\xEF\xBF\xBF", 3, 3},	/* U+FFFF, a noncharacter, allowed */
	    {"\x80", 1, 0},		/* lone continuation */
	    {"\xC0\x80", 2, 0},		/* overlong NUL */
	    {"\xC1\xBF", 2, 0},		/* overlong */
	    {"\xE0\x9F\xBF", 3, 0},	/* overlong three-byte */
	    {"\xF0\x8F\xBF\xBF", 4, 0}, /* overlong four-byte */
	    {"\xED\xA0\x80", 3, 0},	/* surrogate U+D800 */
	    {"\xED\xBF\xBF", 3, 0},	/* surrogate U+DFFF */
	    {"\xF4\x90\x80\x80", 4, 0}, /* U+110000 */
	    {"\xF5\x80\x80\x80", 4, 0},
	    {"\xFF", 1, 0},
	    {"\xC3", 1, 0},	/* truncated */
	    {"\xE2\x82", 2, 0}, /* truncated */
	    {"\xC3\x28", 2, 0}, /* bad continuation */
	};
	size_t i, bad;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(
		    tolk_utf8_valid_prefix(cases[i].s, cases[i].len),
		    cases[i].prefix);
		assert_int_equal(
		    tolk_utf8_valid(cases[i].s, cases[i].len, &bad),
		    cases[i].prefix == cases[i].len);
	}
	assert_int_equal(tolk_utf8_valid_prefix("", 0), 0);
	assert_true(tolk_utf8_valid("", 0, NULL));
	/* a length that cuts a sequence short makes it invalid */
	assert_int_equal(tolk_utf8_valid_prefix("\xC3\xB8", 1), 0);
}

static void utf8_reports_the_offset_of_the_first_bad_byte(void **state)
{
	size_t bad = 99;

	(void)state;
	assert_false(tolk_utf8_valid("Bl\xC3\xA5"
				     "b\xE6r\xFF",
				     8, &bad));
	assert_int_equal(bad, 5);
	assert_false(tolk_utf8_valid("ok\xF0\x9F\x98", 5, &bad));
	assert_int_equal(bad, 2);
	assert_false(tolk_utf8_valid("\x80", 1, NULL));
	bad = 99;
	assert_true(tolk_utf8_valid("Bl\xC3\xA5 b\xC3\xA6r", 9, &bad));
	assert_int_equal(bad, 99); /* untouched when valid */
}

/* Every code point encoded by hand is valid, and nothing else of up to two
 * bytes is: the check agrees with the definition everywhere. */
static void utf8_agrees_with_encoding_every_code_point(void **state)
{
	unsigned long cp;
	unsigned a, b;

	(void)state;
	for (cp = 0; cp <= 0x10FFFF; cp++) {
		char s[4];
		size_t n;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		if (cp < 0x80) {
			s[0] = (char)cp;
			n = 1;
		} else if (cp < 0x800) {
			s[0] = (char)(0xC0 | (cp >> 6));
			s[1] = (char)(0x80 | (cp & 0x3F));
			n = 2;
		} else if (cp < 0x10000) {
			s[0] = (char)(0xE0 | (cp >> 12));
			s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
			s[2] = (char)(0x80 | (cp & 0x3F));
			n = 3;
		} else {
			s[0] = (char)(0xF0 | (cp >> 18));
			s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
			s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
			s[3] = (char)(0x80 | (cp & 0x3F));
			n = 4;
		}
		if (tolk_utf8_valid_prefix(s, n) != n)
			fail_msg("U+%04lX refused", cp);
	}
	/* two-byte strings: valid exactly when ASCII+ASCII or a two-byte
	 * encoding of U+0080..U+07FF */
	for (a = 0; a < 256; a++)
		for (b = 0; b < 256; b++) {
			char s[2] = {(char)a, (char)b};
			int want =
			    (a < 0x80 && b < 0x80) ||
			    (a >= 0xC2 && a <= 0xDF && (b & 0xC0) == 0x80);

			if (tolk_utf8_valid(s, 2, NULL) != want)
				fail_msg("%02X %02X: want %d", a, b, want);
		}
}

/* ---- language tags ------------------------------------------------------ */

static void lang_folds_norwegian_into_bokmaal(void **state)
{
	static const char *nb[] = {"nb",    "no",    "nob",   "nb-NO",
				   "NB_no", "no-NO", "nob-NO"};
	char key[TOLK_LANG_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(nb) / sizeof(nb[0]); i++) {
		assert_int_equal(tolk_lang_key(nb[i], key, sizeof(key)), 0);
		assert_string_equal(key, "nb");
		assert_true(tolk_lang_same(nb[i], "nb"));
	}
	assert_int_equal(tolk_lang_key("nn-NO", key, sizeof(key)), 0);
	assert_string_equal(key, "nn");
	assert_int_equal(tolk_lang_key("nno", key, sizeof(key)), 0);
	assert_string_equal(key, "nn");
	assert_false(tolk_lang_same("nn", "nb"));
	assert_false(tolk_lang_same("nn", "no"));
	assert_int_equal(tolk_lang_key("en-GB", key, sizeof(key)), 0);
	assert_string_equal(key, "en");
	assert_true(tolk_lang_same("en-US", "EN_gb"));
	assert_false(tolk_lang_same("en", "nb"));
	assert_false(tolk_lang_same("en", "x y"));
}

static void lang_canonicalises_case_and_separators(void **state)
{
	char out[TOLK_LANG_MAX];

	(void)state;
	assert_int_equal(tolk_lang_canon("EN_us", out, sizeof(out)), 0);
	assert_string_equal(out, "en-US");
	assert_int_equal(tolk_lang_canon("nb-no", out, sizeof(out)), 0);
	assert_string_equal(out, "nb-NO");
	assert_int_equal(tolk_lang_canon("sr-latn-rs", out, sizeof(out)), 0);
	assert_string_equal(out, "sr-Latn-RS");
	assert_int_equal(tolk_lang_canon("nb", out, sizeof(out)), 0);
	assert_string_equal(out, "nb");
}

static void lang_refuses_what_is_not_a_tag(void **state)
{
	static const char *bad[] = {"",	      "-",	   "en US",
				    "en--US", "e\xC3\xB8", "toolonglanguage",
				    "en-",    "und",	   "*"};
	char out[TOLK_LANG_MAX], big[TOLK_LANG_MAX + 10];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (tolk_lang_canon(bad[i], out, sizeof(out)) != TOLK_EINPUT)
			fail_msg("canon accepted '%s' as '%s'", bad[i], out);
		if (tolk_lang_key(bad[i], out, sizeof(out)) != TOLK_EINPUT)
			fail_msg("key accepted '%s' as '%s'", bad[i], out);
	}
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(tolk_lang_canon(big, out, sizeof(out)), TOLK_EINPUT);
}

/* The answer for a tag must not depend on earlier calls: a buffer too
 * small for one call does not make the tag invalid for the next. */
static void lang_answers_do_not_depend_on_earlier_buffers(void **state)
{
	static const char *tags[] = {"de-CH", "fr-CA", "pt-BR"};
	char small[3], out[TOLK_LANG_MAX];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		assert_int_equal(tolk_lang_canon(tags[i], small, sizeof(small)),
				 TOLK_EINPUT);
		assert_int_equal(tolk_lang_canon(tags[i], out, sizeof(out)), 0);
		assert_int_equal(strlen(out), 5);
		assert_int_equal(tolk_lang_key(tags[i], small, 2), TOLK_EINPUT);
		assert_int_equal(tolk_lang_key(tags[i], out, sizeof(out)), 0);
		assert_int_equal(strlen(out), 2);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(buf_appends_and_stays_nul_terminated),
	    cmocka_unit_test(calloc_touched_is_zero_and_resident),
	    cmocka_unit_test(buf_keeps_nul_bytes_and_empty_appends),
	    cmocka_unit_test(buf_reset_keeps_memory_detach_hands_it_over),
	    cmocka_unit_test(buf_refuses_sizes_that_overflow),
	    cmocka_unit_test(err_set_returns_the_code_and_formats_the_place),
	    cmocka_unit_test(err_prefix_adds_context_in_front),
	    cmocka_unit_test(err_long_messages_are_cut_not_overflowed),
	    cmocka_unit_test(err_codes_map_to_the_documented_exit_statuses),
	    cmocka_unit_test(json_places_commas_and_colons_in_nested_values),
	    cmocka_unit_test(json_numbers_that_json_cannot_hold_become_null),
	    cmocka_unit_test(
		json_escapes_quotes_backslashes_and_control_characters),
	    cmocka_unit_test(json_replaces_invalid_utf8_with_u_fffd),
	    cmocka_unit_test(json_keys_are_escaped_too),
	    cmocka_unit_test(
		json_nesting_past_the_limit_fails_and_stays_failed),
	    cmocka_unit_test(text_norm_composes_and_folds_white_space),
	    cmocka_unit_test(text_norm_of_latin_texts_equals_icus),
	    cmocka_unit_test(text_norm_appends_and_refuses_invalid_utf8),
	    cmocka_unit_test(text_norm_short_path_edges),
	    cmocka_unit_test(text_norm_finds_white_space_at_any_offset),
	    cmocka_unit_test(text_norm_refuses_broken_letters),
	    cmocka_unit_test(text_fold_matches_cases_beyond_ascii),
	    cmocka_unit_test(text_fold_of_a_folded_string_is_itself),
	    cmocka_unit_test(utf8_accepts_exactly_the_well_formed_sequences),
	    cmocka_unit_test(utf8_reports_the_offset_of_the_first_bad_byte),
	    cmocka_unit_test(utf8_agrees_with_encoding_every_code_point),
	    cmocka_unit_test(lang_folds_norwegian_into_bokmaal),
	    cmocka_unit_test(lang_canonicalises_case_and_separators),
	    cmocka_unit_test(lang_refuses_what_is_not_a_tag),
	    cmocka_unit_test(lang_answers_do_not_depend_on_earlier_buffers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
