/* Growable arrays: the one place that doubles a capacity and checks that
 * neither the doubling nor the byte count overflows.
 *
 * A growable array is three fields: a pointer, a count and a capacity
 * (in elements, size_t).  Before appending, grow it:
 *
 *	if (TOLK_GROW(l->v, l->cap, l->n + 1, 64))
 *		return TOLK_ENOMEM;
 *	l->v[l->n++] = x;
 *
 * Capacities go min_cap, 2 min_cap, 4 min_cap, ..., so that n appends cost
 * O(n) copying in all. */
#ifndef TOLK_VEC_H
#define TOLK_VEC_H

#include <stddef.h>

/* The capacity *cap grows to for need elements of elem_size bytes (need >
 * cap): cap (min_cap when cap is 0) doubled until it holds need; need
 * itself where doubling would overflow.  0 when need elements do not fit
 * in a size_t byte count.  Exposed for the tests and for callers that
 * allocate by other means than realloc. */
size_t tolk_grow_cap(size_t cap, size_t need, size_t elem_size, size_t min_cap);

/* The out-of-line part of tolk_grow. */
int tolk_grow_slow(void *arrp, size_t *cap, size_t need, size_t elem_size,
		   size_t min_cap);

/* Makes the array at *arrp hold at least need elements of elem_size bytes.
 * arrp is the address of the array pointer (of any object pointer type,
 * e.g. &v for struct x *v; read and written with memcpy, so no aliasing
 * rules are broken); the array may be NULL with *cap 0.  Returns 0, or
 * TOLK_ENOMEM leaving the array and *cap as they were (the old array is
 * still the caller's to free).  Elements past the old capacity are
 * uninitialised. */
static inline int tolk_grow(void *arrp, size_t *cap, size_t need,
			    size_t elem_size, size_t min_cap)
{
	/* the common case, an append with room left, costs no call */
	if (need <= *cap)
		return 0;
	return tolk_grow_slow(arrp, cap, need, elem_size, min_cap);
}

/* tolk_grow for a typed array: arr is the pointer lvalue (its element size
 * comes from its type), cap the size_t lvalue holding its capacity. */
#define TOLK_GROW(arr, cap, need, min_cap)                                     \
	tolk_grow(&(arr), &(cap), (need), sizeof(*(arr)), (min_cap))

#endif
