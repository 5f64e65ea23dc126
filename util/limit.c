#include "util/limit.h"

#include <errno.h>

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

long tolk_read_line(FILE *f, char **buf, size_t *cap, size_t max)
{
	size_t len = 0;
	int c = EOF;

	while ((c = getc_unlocked(f)) != EOF) {
		if (c != '\n' && len >= max) {
			/* drop the rest, so that reading can go on */
			while ((c = getc_unlocked(f)) != EOF && c != '\n')
				;
			(*buf)[len] = '\0';
			return -2;
		}
		if (len + 2 > *cap) {
			/* not TOLK_GROW: the capacity stops at max + 2, so a
			 * line at the limit never holds twice the limit */
			size_t ncap = *cap ? *cap * 2 : 256;
			char *nb;

			if (ncap > max + 2)
				ncap = max + 2;
			if (!(nb = realloc(*buf, ncap)))
				return -3;
			*buf = nb;
			*cap = ncap;
		}
		(*buf)[len++] = (char)c;
		if (c == '\n')
			break;
	}
	if (len == 0)
		return -1;
	(*buf)[len] = '\0';
	return (long)len;
}

int tolk_err_file_too_big(struct tolk_err *err, const char *path)
{
	return tolk_err_set(err, TOLK_EINPUT,
			    "'%s' is larger than the limit of %d MiB",
			    strcmp(path, "-") == 0 ? "<stdin>" : path,
			    TOLK_MAX_FILE_BYTES / (1024 * 1024));
}

int tolk_check_file_size(FILE *f, const char *path, struct tolk_err *err)
{
	struct stat sb;

	if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) &&
	    sb.st_size > TOLK_MAX_FILE_BYTES)
		return tolk_err_file_too_big(err, path);
	return 0;
}

int tolk_err_line_too_long(struct tolk_err *err, const char *file,
			   unsigned long line, size_t max)
{
	return tolk_err_set_at(err, TOLK_EINPUT, file, line, 0,
			       "line longer than the limit of %zu bytes", max);
}

int tolk_read_file(const char *path, struct tolk_buf *b, struct tolk_err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char chunk[65536];
	size_t n;
	int rc = 0;

	if (!f)
		return tolk_err_set(err, TOLK_EINPUT, "cannot open '%s': %s",
				    path, strerror(errno));
	rc = tolk_check_file_size(f, path, err);
	while (!rc && (n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > TOLK_MAX_FILE_BYTES) {
			rc = tolk_err_file_too_big(err, path);
			break;
		}
		if (tolk_buf_append(b, chunk, n))
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	}
	if (!rc && ferror(f))
		rc = tolk_err_set(err, TOLK_EIO, "cannot read '%s': %s", path,
				  strerror(errno));
	if (f != stdin)
		fclose(f);
	if (!rc && tolk_buf_grow(b, 0))
		rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
	if (!rc)
		b->data[b->len] = '\0';
	return rc;
}
