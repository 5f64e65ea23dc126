#include "cli/cli.h"
#include "tm/tmx.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
	OPT_ON_DUPLICATE = CLI_OPT_FIRST_LOCAL,
	OPT_RECOVER,
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

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
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
		rc = cli_json_line(&j);
		tolk_json_release(&j);
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
			printf("%s%lu without <tuv>", sep, st->skipped_empty);
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
	int opt, status = 0, i, nfiles, rc, pair_given = 0, stdin_used = 0;

	tolk_err_clear(&err);
	memset(&io, 0, sizeof(io));
	memset(&total, 0, sizeof(total));
	io.policy = TM_DUP_MERGE;
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0) {
		if (opt == CLI_OPT_SOURCE_LANG || opt == CLI_OPT_TARGET_LANG) {
			pair_given = 1;
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
	/* The pair given on the command line filters; the default pair is
	 * only counted, so that nothing is dropped unasked. */
	if (strcmp(cli->source_lang, "nb") != 0 ||
	    strcmp(cli->target_lang, "en") != 0)
		pair_given = 1;
	io.source_lang = cli->source_lang;
	io.target_lang = cli->target_lang;
	io.require_pair = pair_given;
	io.user = getenv("USER");
	io.warn = on_warn;
	io.progress = on_progress;
	io.ctx = &ui;

	per_file = calloc((size_t)nfiles, sizeof(*per_file));
	if (!per_file) {
		tolk_err_set(&err, TOLK_ENOMEM, "out of memory");
		return cli_fail(&err);
	}
	if ((status = cli_open_store(cli, 0, &store))) {
		free(per_file);
		return status;
	}
	if (tm_store_begin(store, &err))
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
		if (ends_with(file, ".tsv"))
			rc = tm_tsv_import(store, file, &io, &st, &err);
		else
			rc = tm_tmx_import(store, file, &io, &st, &err);
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
    "Import TMX (or TSV) files into the TM.",
    "FILE...",
    "Reads TMX 1.1-1.4b files (any encoding libxml2 knows, '-' for "
    "standard\ninput) and stores every <tu> that holds a <tuv>, with "
    "its attributes,\nprops, notes and inline markup.  A FILE ending "
    "in .tsv holds\nSOURCE<TAB>TARGET lines ('#' starts a comment) in "
    "the source and target\nlanguages; its units get the time of the "
    "import as creationdate and\n$USER as creationid, as with add.  All files are imported in one "
    "transaction: a file that is not\nwell-formed or not TMX is "
    "refused with FILE:LINE:COL, exit status 2, and\nthe database is "
    "left as it was.\n\n"
    "Prints per file: units read, imported, merged, skipped (with the "
    "reasons)\nand how many have no source-target pair.  With "
    "--source-lang or\n--target-lang given, units lacking that pair "
    "are skipped rather than\nstored.  A progress bar is shown on "
    "stderr when it is a terminal.\n",
    import_opts,
    NULL,
    CLI_FILES,
};
