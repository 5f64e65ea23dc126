#include "cli/cli.h"
#include "tm/match.h"

#include <unistd.h>

struct reindex_ui {
	int shown; /* a progress line needs clearing */
};

/* Progress on stderr, on a terminal only. */
static void on_progress(void *ctx, int64_t done, int64_t total)
{
	struct reindex_ui *ui = ctx;

	fprintf(stderr, "\rreindexing: %lld of %lld units", (long long)done,
		(long long)total);
	ui->shown = 1;
}

static int run(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	struct reindex_ui ui = {0};
	struct tm_store *store = NULL;
	struct tolk_err err;
	char format[64];
	int status = 0;

	tolk_err_clear(&err);
	if (cli_args_parse(&a, cli, argc, argv, 0, 0, "takes no arguments"))
		return a.status;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		return status;
	if (tm_match_reindex(store, isatty(STDERR_FILENO) ? on_progress : NULL,
			     &ui, &err))
		status = cli_fail(&err);
	if (ui.shown)
		fputs("\r\033[K", stderr);
	if (status == 0) {
		tm_match_index_format(format, sizeof(format));
		printf("rebuilt the match index of %s (%s)\n",
		       tm_store_path(store), format);
	}
	tm_store_close(store);
	return status;
}

const struct cli_command cli_cmd_reindex = {
    "reindex",
    run,
    "Rebuild the fuzzy-match index.",
    "",
    "Rebuilds the candidate index of the fuzzy matcher from the stored\n"
    "units.  Needed when the index was made by a tolk whose index format\n"
    "(hash, tokenizer or ICU version) differs from this one's: lookup and\n"
    "concordance refuse such an index and name this command.  Progress is\n"
    "shown on stderr when it is a terminal.\n",
    NULL,
    NULL,
    0,
};
