#include "cli/cli.h"
#include "tm/tmx.h"
#include "tm/xliff.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
	OPT_ON_DUPLICATE = CLI_OPT_FIRST_LOCAL,
	OPT_RECOVER,
	OPT_FORMAT,
	OPT_ONLY_PAIR,
};

typedef int (*import_fn)(struct tm_store *s, const char *path,
			 const struct tm_tmx_import_opts *o,
			 struct tm_tmx_import_stats *st, struct tolk_err *err);

/* The readers import knows, one row each: chosen by --format NAME, else
 * by the first bytes of the file (an XML file by the name of its root
 * element, a text file is TSV), else by the extension of its name.  A
 * reader is added with one row here and its name in --format's list. */
static const struct import_format {
	const char *name;     /* --format NAME */
	const char *shown;    /* in messages */
	const char *ext;      /* ".tmx", or several: ".xlf|.xliff" */
	const char *xml_root; /* root element's local name; NULL: text */
	import_fn import;
} formats[] = {
    {"tmx", "TMX", ".tmx", "tmx", tm_tmx_import},
    {"tsv", "TSV", ".tsv", NULL, tm_tsv_import},
    {"xliff", "XLIFF", ".xlf|.xliff|.sdlxliff|.mqxliff|.mxliff|.txlf", "xliff",
     tm_xliff_import},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct cli_option import_opts[] = {
    {"on-duplicate", 0, OPT_ON_DUPLICATE, "merge|keep|skip|replace",
     "merge (default): a unit identical to a stored one but for dates and "
     "usage counts is merged into it; keep: store every unit; skip: drop a "
     "unit whose source text is stored; replace: a unit replaces the "
     "stored ones with the same source text"},
    {"recover", 0, OPT_RECOVER, NULL,
     "salvage what can be read from a broken file and list what was "
     "dropped"},
    {"format", 0, OPT_FORMAT, "tmx|tsv|xliff",
     "read every FILE as this format (default: told from the first bytes "
     "of each file, standard input too)"},
    {"only-pair", 0, OPT_ONLY_PAIR, NULL,
     "skip units that lack the source-target pair (default: store them "
     "and count them)"},
    CLI_OPTION_JSON("one JSON object per file"),
    {NULL, 0, 0, NULL, NULL},
};

/* Warnings printed per file before they are only counted. */
#define MAX_WARNINGS 20

struct import_ui {
	const char *file;
	unsigned long warned;
	int progress;  /* stderr is a terminal */
	int bar_shown; /* a progress line needs clearing */
	double start, last;
	unsigned long long size; /* 0 when unknown (a pipe) */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void clear_bar(struct import_ui *ui)
{
	if (ui->bar_shown) {
		fputs("\r\033[K", stderr);
		ui->bar_shown = 0;
	}
}

static void on_warn(void *ctx, const char *file, unsigned long line,
		    unsigned long col, const char *msg)
{
	struct import_ui *ui = ctx;

	if (++ui->warned > MAX_WARNINGS)
		return;
	clear_bar(ui);
	if (line && col)
		cli_error("%s:%lu:%lu: warning: %s", file, line, col, msg);
	else if (line)
		cli_error("%s:%lu: warning: %s", file, line, msg);
	else
		cli_error("%s: warning: %s", file, msg);
}

static void on_progress(void *ctx, unsigned long long bytes,
			unsigned long units)
{
	struct import_ui *ui = ctx;
	double t = now_s(), el = t - ui->start, mbs;

	if (!ui->progress || t - ui->last < 0.2)
		return;
	ui->last = t;
	mbs = el > 0 ? (double)bytes / 1e6 / el : 0;
	fprintf(stderr, "\r\033[K%s: %lu units, %.1f MB/s", ui->file, units,
		mbs);
	if (ui->size && bytes > 0 && bytes <= ui->size) {
		double frac = (double)bytes / (double)ui->size;

		fprintf(stderr, ", %3.0f%%, ETA %.0fs", frac * 100,
			el / frac - el);
	}
	ui->bar_shown = 1;
}

/* Does path end in one of the '|'-separated extensions of list? */
static int has_ext(const char *path, const char *list)
{
	size_t n = strlen(path), m;
	const char *e;

	for (; *list; list = *e ? e + 1 : e) {
		e = strchr(list, '|');
		if (!e)
			e = list + strlen(list);
		m = (size_t)(e - list);
		if (n >= m && strncasecmp(path + n - m, list, m) == 0)
			return 1;
	}
	return 0;
}

#define SNIFF_BYTES 4096

/* Copies standard input, when it is a pipe, to an unlinked temporary file
 * that becomes standard input: its first bytes are read to tell the
 * format, then the reader reads it all from the start. */
static int rewindable_stdin(struct tolk_err *err)
{
	const char *dir = getenv("TMPDIR");
	char path[4096], buf[65536];
	ssize_t n, w = 0, done;
	int fd, rc = 0;

	if (lseek(STDIN_FILENO, 0, SEEK_CUR) >= 0)
		return 0;
	snprintf(path, sizeof(path), "%s/tolk-stdin-XXXXXX",
		 dir && *dir ? dir : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		return tolk_err_set(err, TOLK_EIO,
				    "cannot keep standard input in '%s': %s",
				    path, strerror(errno));
	unlink(path);
	while ((n = read(STDIN_FILENO, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = tolk_err_set(err, TOLK_EIO,
					  "cannot read standard input: %s",
					  strerror(errno));
			goto out;
		}
		for (done = 0; done < n; done += w)
			if ((w = write(fd, buf + done, (size_t)(n - done))) <=
			    0)
				break;
		if (done < n) {
			/* a short write without an error is a full disk */
			if (w == 0)
				errno = ENOSPC;
			rc = tolk_err_set(err, TOLK_EIO,
					  "cannot keep standard input in a "
					  "temporary file in '%s': %s",
					  dir && *dir ? dir : "/tmp",
					  strerror(errno));
			goto out;
		}
	}
	if (dup2(fd, STDIN_FILENO) < 0 || lseek(STDIN_FILENO, 0, SEEK_SET))
		rc = tolk_err_set(err, TOLK_EIO,
				  "cannot reread standard "
				  "input: %s",
				  strerror(errno));
out:
	close(fd);
	return rc;
}

/* Up to SNIFF_BYTES of the start of path ("-": standard input, left
 * where it was). */
static size_t first_bytes(const char *path, char *buf)
{
	ssize_t n;
	off_t at = 0;
	int fd = STDIN_FILENO;

	if (strcmp(path, "-") == 0)
		at = lseek(fd, 0, SEEK_CUR);
	else if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = at < 0 ? -1 : pread(fd, buf, SNIFF_BYTES, at);
	if (fd != STDIN_FILENO)
		close(fd);
	return n > 0 ? (size_t)n : 0;
}

/* The local name of the root element of the XML document that p starts,
 * or "" when p does not look like XML.  UTF-16 is read by its low
 * bytes, which is enough for markup in ASCII. */
static void xml_root(const char *p, size_t n, char *out, size_t outlen)
{
	char narrow[SNIFF_BYTES];
	size_t i, k = 0, len;
	const char *q, *end, *colon;

	out[0] = '\0';
	if (n >= 2 &&
	    ((unsigned char)p[0] == 0xff || (unsigned char)p[0] == 0xfe) &&
	    (unsigned char)p[0] + (unsigned char)p[1] == 0xff + 0xfe) {
		/* a UTF-16 byte order mark: the rest by the low bytes */
		i = (unsigned char)p[0] == 0xff ? 2 : 3;
		for (; i < n; i += 2)
			narrow[k++] = p[i];
		p = narrow, n = k;
	} else if (n >= 2 &&
		   ((p[0] == '<' && p[1] == 0) || (p[0] == 0 && p[1] == '<'))) {
		for (i = p[0] ? 0 : 1; i < n; i += 2)
			narrow[k++] = p[i];
		p = narrow, n = k;
	}
	end = p + n;
	q = p;
	if (n >= 3 && memcmp(q, "\xef\xbb\xbf", 3) == 0)
		q += 3;
	while (q < end && strchr(" \t\r\n", *q) && *q)
		q++;
	if (q >= end || *q != '<')
		return;
	/* XML from here on; "?" when the root is past what was read (a
	 * long DOCTYPE): the reader the name asks for looks */
	snprintf(out, outlen, "?");
	for (;;) {
		while (q < end && strchr(" \t\r\n", *q) && *q)
			q++;
		if (q >= end || *q != '<')
			return;
		if (end - q >= 4 && memcmp(q, "<!--", 4) == 0) {
			q = memmem(q, (size_t)(end - q), "-->", 3);
			if (!q)
				return;
			q += 3;
		} else if (q + 1 < end && (q[1] == '?' || q[1] == '!')) {
			const char *gt = memchr(q, '>', (size_t)(end - q));
			const char *sq = memchr(q, '[', (size_t)(end - q));

			/* a DOCTYPE's internal subset holds '>' */
			if (gt && sq && sq < gt)
				gt = memmem(sq, (size_t)(end - sq), "]", 1);
			q = gt ? memchr(gt, '>', (size_t)(end - gt)) : NULL;
			if (!q)
				return;
			q++;
		} else {
			break;
		}
	}
	for (len = 1; q + len < end && !strchr(" \t\r\n/>", q[len]) && q[len];
	     len++)
		continue;
	/* the local name: a prefixed root (<x:tmx>) is still that format */
	colon = memchr(q + 1, ':', len - 1);
	if (colon) {
		len -= (size_t)(colon - q);
		q = colon;
	}
	snprintf(out, outlen, "%.*s", (int)(len - 1), q + 1);
	if (!out[0])
		snprintf(out, outlen, "?");
}

/* Data no text format holds: a NUL byte, or many control characters (a
 * stray one in a text is left to the reader, which says where it is). */
static int binary(const char *p, size_t n)
{
	size_t i, ctl = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == 0)
			return 1;
		ctl += c < 0x20 && !strchr("\t\r\n\f", c);
	}
	return ctl >= 4 && ctl * 8 > n;
}

/* The reader for path: given by --format, or told from its first bytes,
 * else from its name; NULL with err set for data no reader takes. */
static const struct import_format *
pick_format(const struct import_format *given, const char *path,
	    const char *shown, struct tolk_err *err)
{
	const struct import_format *f, *by_name = &formats[0];
	char buf[SNIFF_BYTES], root[64];
	size_t n;
	int named = 0;

	if (given)
		return given;
	for (f = formats; f->name; f++)
		if (has_ext(path, f->ext)) {
			by_name = f;
			named = 1;
		}
	if ((n = first_bytes(path, buf)) == 0)
		return by_name; /* its reader says what is wrong */
	xml_root(buf, n, root, sizeof(root));
	if (root[0]) {
		for (f = formats; f->name; f++)
			if (f->xml_root && strcmp(f->xml_root, root) == 0)
				return f;
		/* XML of another kind: the reader the name asks for (or
		 * TMX's) reports it at its line and column */
		return by_name->xml_root ? by_name : &formats[0];
	}
	if (binary(buf, n)) {
		tolk_err_set_at(err, TOLK_EINPUT, shown, 0, 0,
				"not a %s file (binary data)", by_name->shown);
		return NULL;
	}
	if (named && by_name->xml_root) {
		tolk_err_set_at(err, TOLK_EINPUT, shown, 0, 0,
				"not a %s file (text, not XML; give --format "
				"for another format)",
				by_name->shown);
		return NULL;
	}
	for (f = formats; f->name; f++)
		if (!f->xml_root)
			return f;
	return by_name;
}

static int print_stats(struct cli *cli, const char *file,
		       const struct tm_tmx_import_stats *st)
{
	if (cli->json) {
		struct tolk_json j;
		int rc;

		tolk_json_init(&j);
		tolk_json_obj_begin(&j);
		tolk_json_kv_str(&j, "file", file);
		tolk_json_kv_int(&j, "read", (int64_t)st->read);
		tolk_json_kv_int(&j, "imported", (int64_t)st->imported);
		tolk_json_kv_int(&j, "merged", (int64_t)st->merged);
		tolk_json_kv_int(&j, "replaced", (int64_t)st->replaced);
		tolk_json_key(&j, "skipped");
		tolk_json_obj_begin(&j);
		tolk_json_kv_int(&j, "empty", (int64_t)st->skipped_empty);
		tolk_json_kv_int(&j, "duplicate", (int64_t)st->skipped_dup);
		tolk_json_kv_int(&j, "no_pair", (int64_t)st->skipped_pair);
		tolk_json_obj_end(&j);
		tolk_json_kv_int(&j, "lacking_pair", (int64_t)st->lacking_pair);
		tolk_json_kv_int(&j, "warnings", (int64_t)st->warnings);
		tolk_json_obj_end(&j);
		rc = cli_json_emit(&j);
		return rc;
	}
	printf("%s: %lu read, %lu imported, %lu merged", file, st->read,
	       st->imported, st->merged);
	if (st->replaced)
		printf(", %lu replaced", st->replaced);
	printf(", %lu skipped",
	       st->skipped_empty + st->skipped_dup + st->skipped_pair);
	if (st->skipped_empty || st->skipped_dup || st->skipped_pair) {
		const char *sep = " (";

		if (st->skipped_empty) {
			printf("%s%lu without %s", sep, st->skipped_empty,
			       tm_xliff_is_name(file) ? "target" : "<tuv>");
			sep = ", ";
		}
		if (st->skipped_dup) {
			printf("%s%lu duplicate", sep, st->skipped_dup);
			sep = ", ";
		}
		if (st->skipped_pair)
			printf("%s%lu without %s→%s", sep, st->skipped_pair,
			       cli->source_lang, cli->target_lang);
		putchar(')');
	}
	if (st->lacking_pair)
		printf("; %lu stored without a %s→%s pair", st->lacking_pair,
		       cli->source_lang, cli->target_lang);
	if (st->warnings)
		printf("; %lu warning%s", st->warnings,
		       st->warnings == 1 ? "" : "s");
	putchar('\n');
	return 0;
}

static int run(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	struct tm_tmx_import_opts io;
	struct tm_tmx_import_stats st, total, *per_file = NULL;
	struct import_ui ui;
	struct tm_store *store = NULL;
	struct tolk_err err;
	const struct import_format *given = NULL, *f;
	int opt, status = 0, i, nfiles, rc, stdin_used = 0;

	tolk_err_clear(&err);
	memset(&io, 0, sizeof(io));
	memset(&total, 0, sizeof(total));
	io.policy = TM_DUP_MERGE;
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0) {
		if (opt == OPT_ONLY_PAIR) {
			io.require_pair = 1;
		} else if (opt == OPT_FORMAT) {
			for (f = formats; f->name; f++)
				if (strcasecmp(f->name, a.arg) == 0)
					given = f;
			if (!given)
				return cli_usage_error(
				    cli,
				    "--format: '%s' is not a format import "
				    "reads",
				    a.arg);
		} else if (opt == OPT_RECOVER) {
			io.flags |= TM_TMX_RECOVER;
		} else if (opt == OPT_ON_DUPLICATE) {
			if (strcmp(a.arg, "merge") == 0)
				io.policy = TM_DUP_MERGE;
			else if (strcmp(a.arg, "keep") == 0)
				io.policy = TM_DUP_KEEP;
			else if (strcmp(a.arg, "skip") == 0)
				io.policy = TM_DUP_SKIP;
			else if (strcmp(a.arg, "replace") == 0)
				io.policy = TM_DUP_REPLACE;
			else
				return cli_usage_error(
				    cli,
				    "--on-duplicate: '%s' is not merge, "
				    "keep, skip or replace",
				    a.arg);
		}
	}
	if (opt < 0)
		return a.status;
	nfiles = argc - a.ind;
	if (nfiles < 1)
		return cli_usage_error(cli, "needs at least one FILE");
	for (i = a.ind; i < argc; i++) {
		if (strcmp(argv[i], "-") == 0 && stdin_used++)
			return cli_usage_error(cli, "'-' given twice");
	}
	/* The pair only says which units are counted as lacking it (and
	 * the languages of TSV columns), wherever the flags stand: units
	 * are dropped only when --only-pair asks for it. */
	io.source_lang = cli->source_lang;
	io.target_lang = cli->target_lang;
	io.user = getenv("USER");
	io.warn = on_warn;
	io.progress = on_progress;
	io.ctx = &ui;

	per_file = calloc((size_t)nfiles, sizeof(*per_file));
	if (!per_file) {
		tolk_err_set(&err, TOLK_ENOMEM, "out of memory");
		return cli_fail(&err);
	}
	if (stdin_used && !given && rewindable_stdin(&err)) {
		free(per_file);
		return cli_fail(&err);
	}
	if ((status = cli_open_store(cli, 0, &store))) {
		free(per_file);
		return status;
	}
	if (tm_store_begin_import(store, &err))
		goto fail;
	for (i = a.ind; i < argc; i++) {
		const char *file = argv[i];
		struct stat sb;

		memset(&ui, 0, sizeof(ui));
		ui.file = strcmp(file, "-") == 0 ? "<stdin>" : file;
		ui.progress = isatty(STDERR_FILENO);
		ui.start = ui.last = now_s();
		if (strcmp(file, "-") != 0 && stat(file, &sb) == 0)
			ui.size = (unsigned long long)sb.st_size;
		if (!(f = pick_format(given, file, ui.file, &err)))
			goto fail;
		rc = f->import(store, file, &io, &st, &err);
		clear_bar(&ui);
		if (ui.warned > MAX_WARNINGS)
			cli_error("%s: %lu more warnings not shown", ui.file,
				  ui.warned - MAX_WARNINGS);
		if (rc)
			goto fail;
		/* printed once committed: a failing commit (disk full)
		 * imports nothing */
		per_file[i - a.ind] = st;
		total.read += st.read;
		total.imported += st.imported;
		total.merged += st.merged;
		total.replaced += st.replaced;
		total.skipped_dup += st.skipped_dup;
		total.skipped_empty += st.skipped_empty;
		total.skipped_pair += st.skipped_pair;
		total.lacking_pair += st.lacking_pair;
		total.warnings += st.warnings;
	}
	if (tm_store_commit(store, &err))
		goto fail;
	for (i = a.ind; i < argc && !status; i++)
		status = print_stats(
		    cli, strcmp(argv[i], "-") == 0 ? "<stdin>" : argv[i],
		    &per_file[i - a.ind]);
	if (nfiles > 1 && !status)
		status = print_stats(cli, "total", &total);
	goto done;
fail:
	tm_store_rollback(store);
	status = cli_fail(&err);
	if (status == TOLK_EXIT_USAGE || status == TOLK_EXIT_FAILURE)
		cli_error("nothing imported: the database is unchanged");
done:
	free(per_file);
	tm_store_close(store);
	return status;
}

const struct cli_command cli_cmd_import = {
    "import",
    run,
    "Import TMX, TSV or XLIFF files into the TM.",
    "FILE...",
    "Reads each FILE ('-': standard input, a pipe too) as the format\n"
    "--format names, else as its first bytes tell: XML by its root\n"
    "element (<tmx>: TMX 1.1-1.4b, any encoding libxml2 knows; <xliff>:\n"
    "XLIFF 1.x or 2.0, .sdlxliff and .mqxliff too), text as TSV; binary\n"
    "data, or text in a file named .tmx, is refused (\"not a TMX file\n"
    "(binary data)\").  TMX: every <tu> that holds a <tuv> is stored\n"
    "with its attributes, props, notes and inline markup.  XLIFF: every\n"
    "segment with a non-empty target, its state and notes as props.\n"
    "TSV: SOURCE<TAB>TARGET lines ('#' starts a comment) in the source\n"
    "and target languages; its units get the time of the import as\n"
    "creationdate and $USER as creationid, as with add.\n\n"
    "All files are imported in one transaction: a file that is not\n"
    "well-formed or not TMX is refused with FILE:LINE:COL, exit status\n"
    "2, and the database is left as it was.\n\n"
    "Units lacking the source-target pair (--source-lang,\n"
    "--target-lang, before or after the command: nb and en unless\n"
    "given) are stored all the same and counted (\"N stored without a\n"
    "nb->en pair\"); --only-pair skips them instead.  Prints per file:\n"
    "units read, imported, merged, skipped (with the reasons).  A\n"
    "progress bar is shown on stderr when it is a terminal.\n",
    import_opts,
    NULL,
    CLI_FILES,
};
