#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>

static int run(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	struct tm_store *store = NULL;
	struct tolk_err err;
	long long id;
	char *end;
	int opt, status = 0;

	tolk_err_clear(&err);
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0)
		continue;
	if (opt < 0)
		return a.status;
	if (argc - a.ind != 1)
		return cli_usage_error(cli, "needs one unit ID");
	errno = 0;
	id = strtoll(argv[a.ind], &end, 10);
	if (errno || end == argv[a.ind] || *end || id <= 0)
		return cli_usage_error(cli, "'%s' is not a unit id",
				       argv[a.ind]);
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		return status;
	if (tm_store_delete(store, id, &err))
		status = cli_fail(&err);
	else
		printf("deleted unit %lld\n", id);
	tm_store_close(store);
	return status;
}

const struct cli_command cli_cmd_delete = {
    "delete",
    run,
    "Delete a translation unit by id.",
    "ID",
    "Removes unit ID (as shown by lookup) with all its variants.\n",
    NULL,
    NULL,
    0,
};
