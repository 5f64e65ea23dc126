/* An output file that either appears whole or not at all.
 *
 * A named regular file is written to a temporary beside it and renamed
 * over it once complete, so that a failed export or pre-translation
 * never leaves a half-written file where a good one was.  "-" is standard
 * output.  A path that already exists and is not a regular file (a
 * character device like /dev/null, a FIFO, a socket) is written in place:
 * renaming over it would replace the device itself, which as root
 * silently breaks the machine's /dev/null. */
#ifndef TOLK_OFILE_H
#define TOLK_OFILE_H

#include <stdio.h>

#include "util/err.h"

struct tolk_ofile {
	FILE *f;    /* where to write; stdout for "-" */
	char *path; /* the name the user gave */
	char *tmp;  /* the temporary renamed over path; NULL when in place */
};

/* Opens path for writing.  On failure o->f is NULL and nothing is left
 * behind. */
int tolk_ofile_open(struct tolk_ofile *o, const char *path,
		    struct tolk_err *err);

/* Flushes, syncs, closes and renames the temporary over the path; on any
 * failure the temporary is removed and the old file is left as it was. */
int tolk_ofile_commit(struct tolk_ofile *o, struct tolk_err *err);

/* Gives up: closes and removes the temporary (harmless after commit). */
void tolk_ofile_abort(struct tolk_ofile *o);

#endif
