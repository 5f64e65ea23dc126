/* Growable byte buffer, always NUL-terminated after a successful append.
 *
 * The struct is public because it is plumbing passed by value between
 * modules; treat data/len as read-only outside the tolk_buf_* functions. */
#ifndef TOLK_BUF_H
#define TOLK_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct tolk_buf {
	char *data;
	size_t len;
	size_t cap;
};

#define TOLK_BUF_INIT                                                          \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* All appenders return 0, or TOLK_ENOMEM leaving the buffer unchanged. */
int tolk_buf_grow(struct tolk_buf *b, size_t extra);
int tolk_buf_append(struct tolk_buf *b, const void *data, size_t len);
int tolk_buf_puts(struct tolk_buf *b, const char *s);
int tolk_buf_putc(struct tolk_buf *b, char c);
int tolk_buf_printf(struct tolk_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int tolk_buf_vprintf(struct tolk_buf *b, const char *fmt, va_list ap);

/* Empties the buffer but keeps its memory. */
void tolk_buf_reset(struct tolk_buf *b);

/* Hands the bytes to the caller (who frees them) and empties the buffer.
 * Never NULL unless out of memory. */
char *tolk_buf_detach(struct tolk_buf *b);

void tolk_buf_free(struct tolk_buf *b);

/* Returns the NUL-terminated contents, "" for an empty buffer. */
const char *tolk_buf_str(const struct tolk_buf *b);

#endif
