#include "cli/cli.h"
#include "tm/tmx.h"
#include "tm/xliff.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
	OPT_ON_DUPLICATE = CLI_OPT_FIRST_LOCAL,
	OPT_RECOVER,
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
		fprintf(stderr, "tolk: %s:%lu:%lu: warning: %s\n", file, line,
			col, msg);
	else if (line)
		fprintf(stderr, "tolk: %s:%lu: warning: %s\n", file, line, msg);
	else
		fprintf(stderr, "tolk: %s: warning: %s\n", file, msg);
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

static void print_stats(struct cli *cli, const char *file,
			const struct tm_tmx_import_stats *st)
{
	if (cli->json) {
		struct tolk_json j;

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
		cli_json_line(&j);
		tolk_json_release(&j);
		return;
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
}

CLI_COMMAND(import)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"on-duplicate", required_argument, NULL, OPT_ON_DUPLICATE},
	    {"recover", no_argument, NULL, OPT_RECOVER},
	    {"json", no_argument, NULL, CLI_OPT_JSON},
	    {NULL, 0, NULL, 0},
	};
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
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == CLI_OPT_SOURCE_LANG || opt == CLI_OPT_TARGET_LANG)
			pair_given = 1;
		if (cli_common_option(cli, opt, optarg, &status)) {
			if (status >= 0)
				return status;
			continue;
		}
		if (opt == OPT_RECOVER) {
			io.flags |= TM_TMX_RECOVER;
		} else if (opt == OPT_ON_DUPLICATE) {
			if (strcmp(optarg, "merge") == 0)
				io.policy = TM_DUP_MERGE;
			else if (strcmp(optarg, "keep") == 0)
				io.policy = TM_DUP_KEEP;
			else if (strcmp(optarg, "skip") == 0)
				io.policy = TM_DUP_SKIP;
			else if (strcmp(optarg, "replace") == 0)
				io.policy = TM_DUP_REPLACE;
			else
				return cli_usage_error(
				    cli,
				    "--on-duplicate: '%s' is not merge, "
				    "keep, skip or replace",
				    optarg);
		}
	}
	nfiles = argc - optind;
	if (nfiles < 1)
		return cli_usage_error(cli, "needs at least one FILE");
	for (i = optind; i < argc; i++) {
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
	for (i = optind; i < argc; i++) {
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
		else if (tm_xliff_is_name(file))
			rc = tm_xliff_import(store, file, &io, &st, &err);
		else
			rc = tm_tmx_import(store, file, &io, &st, &err);
		clear_bar(&ui);
		if (ui.warned > MAX_WARNINGS)
			fprintf(stderr,
				"tolk: %s: %lu more warnings not shown\n",
				ui.file, ui.warned - MAX_WARNINGS);
		if (rc)
			goto fail;
		/* printed once committed: a failing commit (disk full)
		 * imports nothing */
		per_file[i - optind] = st;
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
	for (i = optind; i < argc; i++)
		print_stats(cli,
			    strcmp(argv[i], "-") == 0 ? "<stdin>" : argv[i],
			    &per_file[i - optind]);
	if (nfiles > 1)
		print_stats(cli, "total", &total);
	goto done;
fail:
	tm_store_rollback(store);
	status = cli_fail(&err);
	if (status == TOLK_EXIT_USAGE || status == TOLK_EXIT_FAILURE)
		fputs("tolk: nothing imported: the database is unchanged\n",
		      stderr);
done:
	free(per_file);
	tm_store_close(store);
	return status;
}
