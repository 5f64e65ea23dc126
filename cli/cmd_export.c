#include "cli/cli.h"
#include "tm/tmx.h"

#include <string.h>

enum {
	OPT_ALL_LANGUAGES = CLI_OPT_FIRST_LOCAL,
	OPT_SINCE,
	OPT_ORIGIN,
	OPT_KEEP_NO,
};

CLI_COMMAND(export)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"all-languages", no_argument, NULL, OPT_ALL_LANGUAGES},
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"origin", required_argument, NULL, OPT_ORIGIN},
	    {"keep-no", no_argument, NULL, OPT_KEEP_NO},
	    {NULL, 0, NULL, 0},
	};
	struct tm_tmx_export_opts eo;
	struct tm_store *store = NULL;
	struct tolk_err err;
	char since[17];
	unsigned long n = 0;
	int opt, status = 0;

	tolk_err_clear(&err);
	memset(&eo, 0, sizeof(eo));
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_common_option(cli, opt, optarg, &status)) {
			if (status >= 0)
				return status;
			continue;
		}
		switch (opt) {
		case OPT_ALL_LANGUAGES:
			eo.all_languages = 1;
			break;
		case OPT_SINCE:
			if (tm_tmx_date(optarg, since))
				return cli_usage_error(
				    cli,
				    "--since: '%s' is not a date "
				    "(YYYY-MM-DD)",
				    optarg);
			eo.since = since;
			break;
		case OPT_ORIGIN:
			eo.origin = optarg;
			break;
		case OPT_KEEP_NO:
			eo.keep_no = 1;
			break;
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "needs one FILE (or -)");
	eo.source_lang = cli->source_lang;
	eo.target_lang = cli->target_lang;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		return status;
	if (tm_tmx_export(store, argv[optind], &eo, &n, &err))
		status = cli_fail(&err);
	else if (strcmp(argv[optind], "-") != 0)
		printf("exported %lu units to %s\n", n, argv[optind]);
	tm_store_close(store);
	return status;
}
