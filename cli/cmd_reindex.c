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

CLI_COMMAND(reindex)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct reindex_ui ui = {0};
	struct tm_store *store = NULL;
	struct tolk_err err;
	char format[64];
	int opt, status = 0;

	tolk_err_clear(&err);
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (cli_common_option(cli, opt, optarg, &status) && status >= 0)
			return status;
	if (argc != optind)
		return cli_usage_error(cli, "takes no arguments");
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
