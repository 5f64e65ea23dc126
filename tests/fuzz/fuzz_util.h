/* Helpers shared by the fuzz targets (header-only: each target is one
 * translation unit linked with the library). */
#ifndef TOLK_FUZZ_UTIL_H
#define TOLK_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The readers take a path: the input goes into an anonymous memory file
 * reached through /proc, so no disk is touched.  Returns the fd (close
 * it) with path filled, or -1. */
static inline int fuzz_memfile(const uint8_t *data, size_t size, char *path,
			       size_t pathlen)
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0)
		return -1;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return -1;
	}
	snprintf(path, pathlen, "/proc/self/fd/%d", fd);
	return fd;
}

/* Splits data at the first NUL byte: *a (len *alen) before it, *b (len
 * *blen) after it (empty when there is none). */
static inline void fuzz_split(const uint8_t *data, size_t size, const char **a,
			      size_t *alen, const char **b, size_t *blen)
{
	const uint8_t *z = memchr(data, 0, size);

	*a = (const char *)data;
	if (!z) {
		*alen = size;
		*b = (const char *)data + size;
		*blen = 0;
		return;
	}
	*alen = (size_t)(z - data);
	*b = (const char *)z + 1;
	*blen = size - *alen - 1;
}

#endif
