#include "util/ofile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int in_place(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) &&
	       !S_ISDIR(st.st_mode);
}

int tolk_ofile_open(struct tolk_ofile *o, const char *path,
		    struct tolk_err *err)
{
	size_t n = strlen(path) + sizeof(".tmp.XXXXXX");
	mode_t um;
	int fd;

	memset(o, 0, sizeof(*o));
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	if (!(o->path = strdup(path)))
		goto nomem;
	if (in_place(path)) {
		if (!(o->f = fopen(path, "wb")))
			goto io;
		return 0;
	}
	if (!(o->tmp = malloc(n)))
		goto nomem;
	snprintf(o->tmp, n, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(o->tmp)) < 0)
		goto io;
	/* mkstemp makes it private; the file gets the mode any new one
	 * would */
	um = umask(0);
	umask(um);
	if (fchmod(fd, 0666 & ~um) != 0 || !(o->f = fdopen(fd, "wb"))) {
		int e = errno;

		close(fd);
		unlink(o->tmp);
		errno = e;
		goto io;
	}
	return 0;
nomem:
	tolk_ofile_abort(o);
	return tolk_err_set(err, TOLK_ENOMEM, "out of memory");
io:
	/* the temporary's name would only puzzle: it is the user's file
	 * that cannot be written there */
	{
		int e = errno;
		int rc =
		    tolk_err_set(err, TOLK_EIO, "cannot create '%s': %s", path,
				 e == ENOENT ? "no such folder" : strerror(e));

		free(o->tmp);
		o->tmp = NULL;
		tolk_ofile_abort(o);
		return rc;
	}
}

int tolk_ofile_commit(struct tolk_ofile *o, struct tolk_err *err)
{
	int rc = 0;

	if (!o->f)
		return tolk_err_set(err, TOLK_EIO, "cannot write output");
	if (o->f == stdout) {
		o->f = NULL;
		if (fflush(stdout) != 0 || ferror(stdout))
			return tolk_err_set(err, TOLK_EIO,
					    "cannot write output");
		return 0;
	}
	if (fflush(o->f) != 0 || ferror(o->f) ||
	    (o->tmp && fsync(fileno(o->f)) != 0))
		rc = tolk_err_set(err, TOLK_EIO, "cannot write '%s': %s",
				  o->path, strerror(errno));
	if (fclose(o->f) != 0 && rc == 0)
		rc = tolk_err_set(err, TOLK_EIO, "cannot write '%s': %s",
				  o->path, strerror(errno));
	o->f = NULL;
	if (rc == 0 && o->tmp && rename(o->tmp, o->path) != 0)
		rc = tolk_err_set(err, TOLK_EIO, "cannot write '%s': %s",
				  o->path, strerror(errno));
	if (rc == 0) {
		free(o->tmp);
		o->tmp = NULL; /* nothing left to remove */
	}
	tolk_ofile_abort(o);
	return rc;
}

void tolk_ofile_abort(struct tolk_ofile *o)
{
	if (o->f && o->f != stdout)
		fclose(o->f);
	else if (o->f == stdout)
		fflush(stdout);
	o->f = NULL;
	if (o->tmp) {
		unlink(o->tmp);
		free(o->tmp);
		o->tmp = NULL;
	}
	free(o->path);
	o->path = NULL;
}
