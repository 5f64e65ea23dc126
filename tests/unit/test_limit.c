/* Unit tests of the bounded line reader (util/limit.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/limit.h"

/* A stream over the bytes given (fmemopen keeps NULs). */
static FILE *stream(const char *data, size_t len)
{
	FILE *f = fmemopen((void *)data, len, "r");

	assert_non_null(f);
	return f;
}

static void reads_lines_like_getline(void **state)
{
	static const char in[] = "one\ntwo\r\n\nlast";
	FILE *f = stream(in, sizeof(in) - 1);
	char *buf = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(tolk_read_line(f, &buf, &cap, 100), 4);
	assert_string_equal(buf, "one\n");
	assert_int_equal(tolk_read_line(f, &buf, &cap, 100), 5);
	assert_string_equal(buf, "two\r\n");
	assert_int_equal(tolk_read_line(f, &buf, &cap, 100), 1);
	assert_string_equal(buf, "\n");
	/* no final newline */
	assert_int_equal(tolk_read_line(f, &buf, &cap, 100), 4);
	assert_string_equal(buf, "last");
	assert_int_equal(tolk_read_line(f, &buf, &cap, 100), -1);
	free(buf);
	fclose(f);
}

static void keeps_nul_bytes_and_counts_them(void **state)
{
	static const char in[] = "a\0b\nc";
	FILE *f = stream(in, sizeof(in) - 1);
	char *buf = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(tolk_read_line(f, &buf, &cap, 100), 4);
	assert_memory_equal(buf, "a\0b\n", 4);
	assert_int_equal(tolk_read_line(f, &buf, &cap, 100), 1);
	assert_string_equal(buf, "c");
	free(buf);
	fclose(f);
}

static void a_line_of_max_bytes_passes_one_more_fails(void **state)
{
	static const char in[] = "12345\n123456\nok\n1234567";
	FILE *f = stream(in, sizeof(in) - 1);
	char *buf = NULL;
	size_t cap = 0;

	(void)state;
	assert_int_equal(tolk_read_line(f, &buf, &cap, 5), 6);
	assert_string_equal(buf, "12345\n");
	/* too long: its first max bytes are kept, the rest skipped */
	assert_int_equal(tolk_read_line(f, &buf, &cap, 5), -2);
	assert_string_equal(buf, "12345");
	assert_int_equal(tolk_read_line(f, &buf, &cap, 5), 3);
	assert_string_equal(buf, "ok\n");
	assert_int_equal(tolk_read_line(f, &buf, &cap, 5), -2);
	assert_int_equal(tolk_read_line(f, &buf, &cap, 5), -1);
	/* the buffer never grew past the limit */
	assert_true(cap <= 5 + 2);
	free(buf);
	fclose(f);
}

static void errors_name_the_limit_and_place(void **state)
{
	struct tolk_err err;

	(void)state;
	assert_int_equal(tolk_err_line_too_long(&err, "a.tsv", 7, 4096),
			 TOLK_EINPUT);
	assert_string_equal(err.file, "a.tsv");
	assert_int_equal(err.line, 7);
	assert_non_null(strstr(err.msg, "limit of 4096 bytes"));
	assert_int_equal(tolk_err_file_too_big(&err, "-"), TOLK_EINPUT);
	assert_non_null(strstr(err.msg, "<stdin>"));
	assert_non_null(strstr(err.msg, "256 MiB"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_lines_like_getline),
	    cmocka_unit_test(keeps_nul_bytes_and_counts_them),
	    cmocka_unit_test(a_line_of_max_bytes_passes_one_more_fails),
	    cmocka_unit_test(errors_name_the_limit_and_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
