/* Unit tests of the growable-array helper (util/vec.h): capacities double
 * from the minimum, contents survive growth, and sizes that overflow or
 * cannot be allocated leave the array as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/err.h"
#include "util/vec.h"

/* The realloc-failure test asks for an impossible size on purpose: under
 * ASan that must return NULL as in production, not abort the test. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "allocator_may_return_null=1";
}

static void grow_doubles_from_min_cap_and_keeps_contents(void **state)
{
	uint32_t *v = NULL;
	size_t n, cap = 0, last = 0;

	(void)state;
	for (n = 0; n < 5000; n++) {
		assert_int_equal(TOLK_GROW(v, cap, n + 1, 16), 0);
		assert_true(cap >= n + 1);
		if (cap != last) {
			/* 16, 32, 64, ...: a power of two times min_cap */
			assert_int_equal(cap % 16, 0);
			assert_int_equal((cap / 16) & (cap / 16 - 1), 0);
			assert_true(last == 0 || cap == 2 * last);
			last = cap;
		}
		v[n] = (uint32_t)(n * 2654435761u);
	}
	assert_int_equal(cap, 8192);
	for (n = 0; n < 5000; n++)
		assert_int_equal(v[n], (uint32_t)(n * 2654435761u));
	free(v);
}

static void grow_jumps_straight_past_a_large_need(void **state)
{
	double *v = NULL;
	double *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(TOLK_GROW(v, cap, 100, 8), 0);
	assert_int_equal(cap, 128);
	v[99] = 1.5;
	/* room left: neither the pointer nor the capacity moves */
	before = v;
	assert_int_equal(TOLK_GROW(v, cap, 128, 8), 0);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 128);
	assert_int_equal(TOLK_GROW(v, cap, 0, 8), 0);
	assert_int_equal(cap, 128);
	/* a need far past the next doubling doubles as often as it takes */
	assert_int_equal(TOLK_GROW(v, cap, 1000, 8), 0);
	assert_int_equal(cap, 1024);
	assert_true(v[99] == 1.5);
	free(v);
}

static void grow_min_cap_applies_only_to_an_empty_array(void **state)
{
	(void)state;
	assert_int_equal(tolk_grow_cap(0, 1, 4, 64), 64);
	assert_int_equal(tolk_grow_cap(0, 65, 4, 64), 128);
	/* an existing capacity below min_cap doubles from itself */
	assert_int_equal(tolk_grow_cap(3, 4, 4, 64), 6);
	/* min_cap 0 starts at one element */
	assert_int_equal(tolk_grow_cap(0, 1, 4, 0), 1);
	assert_int_equal(tolk_grow_cap(0, 5, 4, 0), 8);
}

static void grow_refuses_a_byte_count_that_overflows(void **state)
{
	int *v = NULL;
	int *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(TOLK_GROW(v, cap, 4, 4), 0);
	memcpy(v, (int[]){1, 2, 3, 4}, 4 * sizeof(int));
	before = v;
	assert_int_equal(
	    tolk_grow_cap(4, SIZE_MAX / sizeof(int) + 1, sizeof(int), 4), 0);
	assert_int_equal(TOLK_GROW(v, cap, SIZE_MAX / sizeof(int) + 1, 4),
			 TOLK_ENOMEM);
	assert_int_equal(TOLK_GROW(v, cap, SIZE_MAX, 4), TOLK_ENOMEM);
	/* unchanged on failure, and still the caller's to free */
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 4);
	assert_memory_equal(v, ((int[]){1, 2, 3, 4}), 4 * sizeof(int));
	/* a zero element size can hold nothing */
	assert_int_equal(tolk_grow_cap(0, 1, 0, 4), 0);
	free(v);
}

static void grow_takes_need_where_doubling_would_overflow(void **state)
{
	size_t max = SIZE_MAX / 16;

	(void)state;
	/* doubling max / 2 + 1 elements of 16 bytes would pass SIZE_MAX */
	assert_int_equal(tolk_grow_cap(max / 2 + 1, max / 2 + 2, 16, 8),
			 max / 2 + 2);
	assert_int_equal(tolk_grow_cap(max / 2 + 1, max, 16, 8), max);
	assert_int_equal(tolk_grow_cap(max / 2, max / 2 + 1, 16, 8),
			 (max / 2) * 2);
	/* bytes: SIZE_MAX itself is a valid count */
	assert_int_equal(tolk_grow_cap(SIZE_MAX / 2 + 1, SIZE_MAX, 1, 8),
			 SIZE_MAX);
	/* a min_cap past what fits is cut to what fits */
	assert_int_equal(tolk_grow_cap(0, 1, 16, SIZE_MAX), max);
}

static void grow_leaves_the_array_when_realloc_fails(void **state)
{
	uint64_t *v = NULL;
	uint64_t *before;
	size_t cap = 0;

	(void)state;
	assert_int_equal(TOLK_GROW(v, cap, 3, 2), 0);
	v[0] = 7;
	v[1] = 8;
	v[2] = 9;
	before = v;
	/* fits a size_t, but no allocator hands out SIZE_MAX - 7 bytes */
	assert_int_equal(TOLK_GROW(v, cap, SIZE_MAX / sizeof(*v), 2),
			 TOLK_ENOMEM);
	assert_ptr_equal(v, before);
	assert_int_equal(cap, 4);
	assert_int_equal(v[0] + v[1] + v[2], 24);
	free(v);
}

struct wide {
	char name[40];
	double score;
	uint16_t flags;
};

static void grow_takes_the_element_size_from_the_type(void **state)
{
	char *bytes = NULL;
	char(*rows)[48] = NULL;
	struct wide *w = NULL;
	size_t cb = 0, cr = 0, cw = 0, i;

	(void)state;
	/* under ASan a short allocation shows as an overflow on the writes */
	for (i = 0; i < 300; i++) {
		assert_int_equal(TOLK_GROW(bytes, cb, i + 1, 8), 0);
		bytes[i] = (char)i;
		assert_int_equal(TOLK_GROW(rows, cr, i + 1, 4), 0);
		snprintf(rows[i], sizeof(rows[i]), "%047zu", i);
		assert_int_equal(TOLK_GROW(w, cw, i + 1, 1), 0);
		memset(&w[i], 0, sizeof(w[i]));
		w[i].score = (double)i;
	}
	assert_int_equal(cb, 512);
	assert_int_equal(cr, 512);
	assert_int_equal(cw, 512);
	for (i = 0; i < 300; i++) {
		assert_int_equal(bytes[i], (char)i);
		assert_int_equal(strtoul(rows[i], NULL, 10), i);
		assert_true(w[i].score == (double)i);
	}
	free(bytes);
	free(rows);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(grow_doubles_from_min_cap_and_keeps_contents),
	    cmocka_unit_test(grow_jumps_straight_past_a_large_need),
	    cmocka_unit_test(grow_min_cap_applies_only_to_an_empty_array),
	    cmocka_unit_test(grow_refuses_a_byte_count_that_overflows),
	    cmocka_unit_test(grow_takes_need_where_doubling_would_overflow),
	    cmocka_unit_test(grow_leaves_the_array_when_realloc_fails),
	    cmocka_unit_test(grow_takes_the_element_size_from_the_type),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
