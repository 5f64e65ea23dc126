#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>

CLI_COMMAND(delete)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct tm_store *store = NULL;
	struct tolk_err err;
	long long id;
	char *end;
	int opt, status = 0;

	tolk_err_clear(&err);
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (cli_common_option(cli, opt, optarg, &status) && status >= 0)
			return status;
	if (argc - optind != 1)
		return cli_usage_error(cli, "needs one unit ID");
	errno = 0;
	id = strtoll(argv[optind], &end, 10);
	if (errno || end == argv[optind] || *end || id <= 0)
		return cli_usage_error(cli, "'%s' is not a unit id",
				       argv[optind]);
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		return status;
	if (tm_store_delete(store, id, &err))
		status = cli_fail(&err);
	else
		printf("deleted unit %lld\n", id);
	tm_store_close(store);
	return status;
}
