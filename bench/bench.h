/* Timing and reporting helpers shared by the benchmark programs.
 * Define BENCH_NAME (the program's name, for messages) before including. */
#ifndef TOLK_BENCH_H
#define TOLK_BENCH_H

#include <stdio.h>
#include <time.h>

#include "util/err.h"

static inline double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* qsort comparison of doubles, ascending. */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The p-th percentile (0..1) of the n sorted values v. */
static inline double pct(const double *v, size_t n, double p)
{
	size_t i = (size_t)(p * (double)(n - 1) + 0.5);

	return v[i < n ? i : n - 1];
}

static inline int die(const char *what, const struct tolk_err *err)
{
	fprintf(stderr, BENCH_NAME ": %s: %s\n", what, err->msg);
	return 3;
}

#endif
