#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>

static int run(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	struct tm_store *store = NULL;
	struct tolk_err err;
	unsigned long missing = 0;
	char *found = NULL; /* found[i]: argv[i] was deleted */
	long long id;
	char *end;
	int i, status = 0;

	tolk_err_clear(&err);
	if (cli_args_parse(&a, cli, argc, argv, 1, -1,
			   "needs at least one unit ID"))
		return a.status;
	/* every id is checked before anything is deleted: a typo in the
	 * third id must not leave the first two deleted */
	for (i = a.ind; i < argc; i++) {
		errno = 0;
		id = strtoll(argv[i], &end, 10);
		if (errno || end == argv[i] || *end || id <= 0)
			return cli_usage_error(cli, "'%s' is not a unit id",
					       argv[i]);
	}
	if (!(found = calloc((size_t)argc, 1))) {
		tolk_err_set(&err, TOLK_ENOMEM, "out of memory");
		return cli_fail(&err);
	}
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		goto done;
	if (tm_store_begin(store, &err))
		goto fail;
	for (i = a.ind; i < argc; i++) {
		struct tm_unit *u = NULL;

		id = strtoll(argv[i], NULL, 10);
		/* looked up first: a failed delete inside the transaction
		 * would doom the deletes of the other ids */
		if (tm_store_get(store, id, &u, &err) == 0) {
			tm_unit_free(u);
			if (tm_store_delete(store, id, &err))
				goto fail;
			found[i] = 1;
			continue;
		}
		if (err.code != TOLK_ENOTFOUND)
			goto fail;
		/* an id already gone is what the user wanted; say so, and
		 * delete the others */
		cli_error("%s", err.msg);
		missing++;
	}
	if (tm_store_commit(store, &err))
		goto fail;
	for (i = a.ind; i < argc; i++)
		if (found[i])
			printf("deleted unit %lld\n",
			       strtoll(argv[i], NULL, 10));
	status = missing ? TOLK_EXIT_NONE : TOLK_EXIT_OK;
	goto done;
fail:
	tm_store_rollback(store);
	status = cli_fail(&err);
done:
	free(found);
	tm_store_close(store);
	return status;
}

const struct cli_command cli_cmd_delete = {
    "delete",
    run,
    "Delete translation units by id.",
    "ID...",
    "Removes each unit ID (as shown by lookup) with all its variants, in\n"
    "one transaction.  An ID that is not stored is reported (\"no unit "
    "with\nid N\") and the others are deleted; the exit status is then "
    "1.  An\nargument that is not an id deletes nothing (exit status "
    "2).\n",
    NULL,
    NULL,
    0,
};
