#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void tolk_err_clear(struct tolk_err *err)
{
	if (!err)
		return;
	err->code = TOLK_OK;
	err->file[0] = '\0';
	err->line = err->col = 0;
	err->msg[0] = '\0';
}

static void set_msg(struct tolk_err *err, const char *fmt, va_list ap)
{
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

int tolk_err_set(struct tolk_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	tolk_err_clear(err);
	err->code = code;
	va_start(ap, fmt);
	set_msg(err, fmt, ap);
	va_end(ap);
	return code;
}

int tolk_err_set_at(struct tolk_err *err, int code, const char *file,
		    unsigned long line, unsigned long col, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	tolk_err_clear(err);
	err->code = code;
	if (file)
		snprintf(err->file, sizeof(err->file), "%s", file);
	err->line = line;
	err->col = col;
	va_start(ap, fmt);
	set_msg(err, fmt, ap);
	va_end(ap);
	return code;
}

void tolk_err_prefix(struct tolk_err *err, const char *fmt, ...)
{
	char prefix[512], old[sizeof(err->msg)];
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	snprintf(err->msg, sizeof(err->msg), "%s: %s", prefix, old);
}

int tolk_err_exit_status(int code)
{
	switch (code) {
	case TOLK_OK:
		return TOLK_EXIT_OK;
	case TOLK_ENOTFOUND:
		return TOLK_EXIT_NONE;
	case TOLK_EINPUT:
	case TOLK_EUSAGE:
		return TOLK_EXIT_USAGE;
	default:
		return TOLK_EXIT_FAILURE;
	}
}

void tolk_err_format(const struct tolk_err *err, char *out, size_t outlen)
{
	if (err->file[0] && err->line && err->col)
		snprintf(out, outlen, "%s:%lu:%lu: %s", err->file, err->line,
			 err->col, err->msg);
	else if (err->file[0] && err->line) /* column unknown */
		snprintf(out, outlen, "%s:%lu: %s", err->file, err->line,
			 err->msg);
	else if (err->file[0])
		snprintf(out, outlen, "%s: %s", err->file, err->msg);
	else
		snprintf(out, outlen, "%s", err->msg);
}
