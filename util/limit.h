/* Limits on untrusted input: every reader refuses input past them with a
 * located error naming the limit, instead of trying to hold it all.
 *
 * They are far above anything a translator writes (a segment is a
 * sentence or a paragraph; a term a few words) and low enough that a
 * hostile or broken file cannot make tolk exhaust memory: the largest
 * single allocation a reader makes is bounded by one of these, times a
 * small factor (UTF-16 copies for ICU). */
#ifndef TOLK_LIMIT_H
#define TOLK_LIMIT_H

#include <stddef.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/err.h"

/* One segment: a TMX <seg>, a TSV source or target, a lookup query. */
#define TOLK_MAX_SEG_BYTES (1024 * 1024)
/* One line of a line-based input (TSV, a paragraph to segment). */
#define TOLK_MAX_LINE_BYTES (4 * 1024 * 1024)
/* A whole file read into memory at once (glossaries, texts to segment
 * or align, XLIFF, SRX). */
#define TOLK_MAX_FILE_BYTES (256 * 1024 * 1024)
/* A glossary term or one of its renderings. */
#define TOLK_MAX_TERM_BYTES 1024
/* <tuv> (languages) in one TMX <tu>. */
#define TOLK_MAX_TU_VARIANTS 256

/* Reads one line (with its '\n', if any) into *buf (grown as needed, the
 * caller frees), like getline, but never holds more than max bytes before
 * the '\n': returns the length, -1 at end of input, -2 when the line is
 * longer (the rest of it is skipped, so reading can go on; *buf holds its
 * first max bytes), or -3 when out of memory. */
long tolk_read_line(FILE *f, char **buf, size_t *cap, size_t max);

/* Formats the error for a line past TOLK_MAX_LINE_BYTES (or max) at
 * file:line; returns TOLK_EINPUT. */
int tolk_err_line_too_long(struct tolk_err *err, const char *file,
			   unsigned long line, size_t max);

/* The same for a file past TOLK_MAX_FILE_BYTES. */
int tolk_err_file_too_big(struct tolk_err *err, const char *path);

/* Refuses a regular file already known to be past TOLK_MAX_FILE_BYTES
 * before any of it is read (pipes are counted as they are read). */
int tolk_check_file_size(FILE *f, const char *path, struct tolk_err *err);

/* Appends all of path ('-': standard input) to b, refusing files past
 * TOLK_MAX_FILE_BYTES.  b is NUL-terminated (also when empty). */
int tolk_read_file(const char *path, struct tolk_buf *b, struct tolk_err *err);

#endif
