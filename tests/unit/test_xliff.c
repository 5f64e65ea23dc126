/* Unit tests of the XLIFF reader and splicing writer. */
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
#include <dirent.h>

#include "tm/xliff.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *d = NULL;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	d = malloc((size_t)n + 1);
	if (d && fread(d, 1, (size_t)n, f) != (size_t)n) {
		free(d);
		d = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return d;
}

/* Without fills the writer copies every corpus file byte for byte: the
 * scanner found every element where the parser did. */
static void write_without_fills_is_byte_identical(void **state)
{
	const char *top = getenv("TOLK_SHARED");
	char dir[1024], in[2048], out[] = "/tmp/tolk-xliff-XXXXXX";
	struct dirent *e;
	DIR *d;
	int fd, n = 0;

	(void)state;
	snprintf(dir, sizeof(dir), "%s/corpus/xliff", top ? top : "../shared");
	if (!(d = opendir(dir)))
		skip();
	fd = mkstemp(out);
	assert_true(fd >= 0);
	close(fd);
	while ((e = readdir(d))) {
		struct tm_xliff *x = NULL;
		struct tolk_err err;
		size_t la, lb;
		char *a, *b;

		snprintf(in, sizeof(in), "%s/%s", dir, e->d_name);
		if (!tm_xliff_is_name(in))
			continue;
		tolk_err_clear(&err);
		assert_int_equal(tm_xliff_open(&x, in, &err), 0);
		assert_int_equal(tm_xliff_write(x, out, &err), 0);
		tm_xliff_free(x);
		a = slurp(in, &la);
		b = slurp(out, &lb);
		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		free(a);
		free(b);
		n++;
	}
	closedir(d);
	unlink(out);
	assert_true(n >= 30);
}

static void segmented_units_give_one_segment_per_mrk(void **state)
{
	static const char doc[] =
	    "<xliff version=\"1.2\" "
	    "xmlns=\"urn:oasis:names:tc:xliff:document:1.2\"><file "
	    "source-language=\"nb\" target-language=\"en\"><body>"
	    "<trans-unit id=\"1\"><source>A. B.</source><seg-source><mrk "
	    "mtype=\"seg\" mid=\"1\">A.</mrk> <mrk mtype=\"seg\" "
	    "mid=\"2\">B<x id=\"1\"/>.</mrk></seg-source>"
	    "<target><mrk mtype=\"seg\" mid=\"1\">Ay.</mrk> <mrk "
	    "mtype=\"seg\" mid=\"2\"/></target></trans-unit>"
	    "</body></file></xliff>";
	char path[] = "/tmp/tolk-xliff-XXXXXX";
	struct tm_xliff *x = NULL;
	struct tolk_err err;
	const struct tm_xliff_seg *s;
	size_t len;
	char *out;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	test_write_file(path, doc);
	tolk_err_clear(&err);
	assert_int_equal(tm_xliff_open(&x, path, &err), 0);
	assert_int_equal(tm_xliff_count(x), 2);
	s = tm_xliff_segment(x, 0);
	assert_string_equal(s->seg_id, "1");
	assert_string_equal(s->target, "Ay.");
	s = tm_xliff_segment(x, 1);
	assert_string_equal(s->source, "B.");
	assert_non_null(strstr(s->source_markup, "type=\"x-xliff1\""));
	assert_null(s->target);
	assert_int_equal(
	    tm_xliff_fill(x, 1, "Bee.", s->source_markup, TM_XLIFF_FUZZY, 80),
	    0);
	assert_int_equal(tm_xliff_write(x, path, &err), 0);
	tm_xliff_free(x);
	out = slurp(path, &len);
	assert_non_null(out);
	assert_non_null(strstr(out,
			       "<target state=\"needs-review-translation\" "
			       "state-qualifier=\"fuzzy-match\"><mrk "
			       "mtype=\"seg\" mid=\"1\">Ay.</mrk> <mrk "
			       "mtype=\"seg\" mid=\"2\">B<x id=\"1\"/>."
			       "</mrk></target>"));
	free(out);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(write_without_fills_is_byte_identical),
	    cmocka_unit_test(segmented_units_give_one_segment_per_mrk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
