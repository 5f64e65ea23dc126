#include "util/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* smaller ones come from the heap's pages, most of them already made */
#define TOUCH_MIN (64u << 10)

void *tolk_calloc_touched(size_t n, size_t size)
{
	unsigned char *p, *q, *end;
	size_t bytes, page;
	long ps;

	if (size && n > SIZE_MAX / size)
		return NULL;
	if (!(p = calloc(n, size)))
		return NULL;
	bytes = n * size;
	if (bytes < TOUCH_MIN)
		return p;
	ps = sysconf(_SC_PAGESIZE);
	page = ps > 0 ? (size_t)ps : 4096;
	end = p + bytes;
	q = (unsigned char *)(((uintptr_t)p + page - 1) &
			      ~(uintptr_t)(page - 1));
#ifdef MADV_POPULATE_WRITE
	/* one call for the whole pages; the first one, shared with the
	 * heap's header, is touched below */
	if (q < end && (size_t)(end - q) >= page &&
	    madvise(q, (size_t)(end - q) & ~(page - 1), MADV_POPULATE_WRITE) ==
		0) {
		p[0] = 0;
		end[-1] = 0;
		return p;
	}
#endif
	/* a write to each page: the zero it holds already */
	for (q = p; q < end; q += page)
		*(volatile unsigned char *)q = 0;
	end[-1] = 0;
	return p;
}
