/* Tables written after they are read.
 *
 * A hash table from calloc is read before it is written: a lookup, then
 * the put in the slot it found empty.  The first read of one of its
 * untouched pages maps the kernel's shared zero page, and the write
 * after it has the kernel replace that page and flush the old mapping
 * from the translation caches of every processor the process runs on,
 * an interrupt to each: at the start of an import, with three threads
 * on two cores, that was a fifth of the row writer's first 35 ms (the
 * duplicate map, the word memo).  A table whose pages are made writable
 * when it is allocated takes one plain fault per page instead, or none
 * where the kernel can fill them in one call. */
#ifndef TOLK_MEM_H
#define TOLK_MEM_H

#include <stddef.h>

/* calloc(n, size) with its pages made writable up front; NULL out of
 * memory (or n * size overflowing). */
void *tolk_calloc_touched(size_t n, size_t size);

#endif
