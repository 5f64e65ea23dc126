#include "util/buf.h"
#include "util/err.h"
#include "util/vec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int tolk_buf_grow(struct tolk_buf *b, size_t extra)
{
	size_t need;

	if (extra > (size_t)-1 - b->len - 1)
		return TOLK_ENOMEM;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	if (TOLK_GROW(b->data, b->cap, need, 64))
		return TOLK_ENOMEM;
	/* a buffer only grown, not yet written, reads as "" too */
	b->data[b->len] = '\0';
	return 0;
}

int tolk_buf_append(struct tolk_buf *b, const void *data, size_t len)
{
	if (tolk_buf_grow(b, len))
		return TOLK_ENOMEM;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int tolk_buf_puts(struct tolk_buf *b, const char *s)
{
	return tolk_buf_append(b, s, strlen(s));
}

int tolk_buf_putc(struct tolk_buf *b, char c)
{
	return tolk_buf_append(b, &c, 1);
}

int tolk_buf_vprintf(struct tolk_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return TOLK_EINTERNAL;
	if (tolk_buf_grow(b, (size_t)n))
		return TOLK_ENOMEM;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int tolk_buf_printf(struct tolk_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = tolk_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

void tolk_buf_reset(struct tolk_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

char *tolk_buf_detach(struct tolk_buf *b)
{
	char *p;

	if (!b->data && tolk_buf_grow(b, 0))
		return NULL;
	p = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return p;
}

void tolk_buf_free(struct tolk_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

const char *tolk_buf_str(const struct tolk_buf *b)
{
	return b->data ? b->data : "";
}
