/* Error reporting shared by every tolk module.
 *
 * Library code never prints or exits: it fills a struct tolk_err and returns
 * the (negative) code.  The CLI turns the code into an exit status and prints
 * "tolk: FILE:LINE:COL: message".
 */
#ifndef TOLK_ERR_H
#define TOLK_ERR_H

#include <stddef.h>

enum tolk_code {
	TOLK_OK = 0,
	TOLK_EINPUT = -2,    /* bad user input: file content, option value */
	TOLK_EUSAGE = -3,    /* wrong command line */
	TOLK_EIO = -4,	     /* file system */
	TOLK_EDB = -5,	     /* SQLite */
	TOLK_ENOMEM = -6,    /* allocation failed */
	TOLK_EINTERNAL = -7, /* a bug or an ICU/libxml2 failure */
	TOLK_ENOTFOUND = -8, /* the thing asked for does not exist */
};

/* Documented exit statuses of the tolk command. */
enum tolk_exit {
	TOLK_EXIT_OK = 0,
	TOLK_EXIT_NONE = 1,
	TOLK_EXIT_USAGE = 2,
	TOLK_EXIT_FAILURE = 3,
};

struct tolk_err {
	int code;
	char file[512];
	unsigned long line, col; /* 0 when unknown */
	char msg[1024];
};

void tolk_err_clear(struct tolk_err *err);

/* Sets the message (printf-style) and returns code, so that callers can
 * write "return tolk_err_set(err, TOLK_EINPUT, ...)".  err may be NULL. */
int tolk_err_set(struct tolk_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Same, with a location in an input file. */
int tolk_err_set_at(struct tolk_err *err, int code, const char *file,
		    unsigned long line, unsigned long col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Prefixes the existing message with more context: "context: message". */
void tolk_err_prefix(struct tolk_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Exit status of the tolk command for an error code. */
int tolk_err_exit_status(int code);

/* Formats "FILE:LINE:COL: message" (parts present only when known). */
void tolk_err_format(const struct tolk_err *err, char *out, size_t outlen);

#endif
