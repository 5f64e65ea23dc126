/* Fixtures the unit tests share: a scratch folder and files written into
 * it.  Header-only, because every test program is one .c file; the
 * functions are static inline so that a program may use some of them. */
#ifndef TOLK_TEST_HELPERS_H
#define TOLK_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* The scratch folder test_dir_make made. */
static char test_dir[256] __attribute__((unused));

/* Makes a fresh /tmp/tolk-NAME-XXXXXX as test_dir; returns 0, or -1 so
 * that the cmocka setup calling it fails. */
static inline int test_dir_make(const char *name)
{
	snprintf(test_dir, sizeof(test_dir), "/tmp/tolk-%s-XXXXXX", name);
	return mkdtemp(test_dir) ? 0 : -1;
}

/* Removes test_dir with everything in it; returns 0, or -1. */
static inline int test_dir_remove(void)
{
	char cmd[sizeof(test_dir) + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", test_dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes text to path; the test fails when it cannot. */
static inline void test_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	size_t n = strlen(text);

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

#endif
