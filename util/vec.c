#include "util/vec.h"
#include "util/err.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t tolk_grow_cap(size_t cap, size_t need, size_t elem_size, size_t min_cap)
{
	size_t max, c;

	if (elem_size == 0 || need > SIZE_MAX / elem_size)
		return 0;
	max = SIZE_MAX / elem_size;
	c = cap ? cap : min_cap ? min_cap : 1;
	if (c > max)
		c = max;
	/* past max / 2 a doubling would overflow the byte count: take need,
	 * which fits, rather than refuse an allocation that could succeed */
	while (c < need)
		c = c > max / 2 ? need : c * 2;
	return c;
}

int tolk_grow_slow(void *arrp, size_t *cap, size_t need, size_t elem_size,
		   size_t min_cap)
{
	size_t c = tolk_grow_cap(*cap, need, elem_size, min_cap);
	void *old, *p;

	if (need <= *cap)
		return 0;
	if (!c)
		return TOLK_ENOMEM;
	memcpy(&old, arrp, sizeof(old));
	if (!(p = realloc(old, c * elem_size)))
		return TOLK_ENOMEM;
	memcpy(arrp, &p, sizeof(p));
	*cap = c;
	return 0;
}
