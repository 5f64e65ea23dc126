#include "cli/cli.h"
#include "tm/context.h"
#include "tm/unit.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_NOTE = CLI_OPT_FIRST_LOCAL, OPT_PREV, OPT_NEXT };

static const struct cli_option add_opts[] = {
    {"note", 0, OPT_NOTE, "TEXT", "attach a note to the unit"},
    {"prev", 0, OPT_PREV, "TEXT",
     "the sentence before SOURCE in its document (context, for 101 "
     "matches)"},
    {"next", 0, OPT_NEXT, "TEXT",
     "the sentence after SOURCE in its document (context)"},
    CLI_OPTION_JSON("print the stored unit as JSON"),
    {NULL, 0, 0, NULL, NULL},
};

static int run(struct cli *cli, int argc, char **argv)
{
	static const char *const result_names[] = {"inserted", "merged",
						   "skipped", "replaced"};
	struct tm_store *store = NULL;
	struct tm_unit *u = NULL;
	struct tolk_err err;
	const char *note = NULL, *prev = NULL, *next = NULL, *user;
	enum tm_add_result res;
	char now[17];
	int64_t id;
	struct cli_args a;
	int opt, status = 0;

	tolk_err_clear(&err);
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0)
		if (opt == OPT_NOTE)
			note = a.arg;
		else if (opt == OPT_PREV)
			prev = a.arg;
		else if (opt == OPT_NEXT)
			next = a.arg;
	if (opt < 0)
		return a.status;
	if (argc - a.ind != 2)
		return cli_usage_error(cli, "needs SOURCE and TARGET");
	if ((status = cli_check_utf8("SOURCE", argv[a.ind])) ||
	    (status = cli_check_utf8("TARGET", argv[a.ind + 1])) ||
	    (note && (status = cli_check_utf8("--note", note))) ||
	    (prev && (status = cli_check_utf8("--prev", prev))) ||
	    (next && (status = cli_check_utf8("--next", next))))
		return status;
	if (!*argv[a.ind] || !*argv[a.ind + 1])
		return cli_usage_error(cli, "SOURCE and TARGET must not be "
					    "empty");

	tm_unit_now(now);
	user = getenv("USER");
	if (tm_unit_new(&u) || tm_unit_set_origin(u, "add") ||
	    tm_unit_set_attr(u, "srclang", cli->source_lang) ||
	    tm_unit_set_attr(u, "creationdate", now) ||
	    (user && *user && tm_unit_set_attr(u, "creationid", user))) {
		tolk_err_set(&err, TOLK_ENOMEM, "out of memory");
		goto fail;
	}
	if (tm_unit_add_variant(u, cli->source_lang, argv[a.ind], NULL, NULL,
				&err) ||
	    tm_unit_add_variant(u, cli->target_lang, argv[a.ind + 1], NULL,
				NULL, &err))
		goto fail;
	if (note &&
	    tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_NOTE, note, NULL)) {
		tolk_err_set(&err, TOLK_ENOMEM, "out of memory");
		goto fail;
	}
	/* one neighbour given: the other is the document's edge */
	if ((prev || next) && tm_context_add_props(u, prev, next, &err))
		goto fail;
	if ((status = cli_open_store(cli, 0, &store)))
		goto done;
	if (tm_store_add(store, u, TM_DUP_MERGE_TEXTS, &id, &res, &err))
		goto fail;
	if (cli->json) {
		struct tolk_json j;

		tolk_json_init(&j);
		tolk_json_obj_begin(&j);
		tolk_json_kv_int(&j, "id", id);
		tolk_json_kv_str(&j, "result", result_names[res]);
		tolk_json_kv_str(&j, "source", argv[a.ind]);
		tolk_json_kv_str(&j, "target", argv[a.ind + 1]);
		tolk_json_obj_end(&j);
		status = cli_json_emit(&j);
	} else {
		printf("%s unit %lld\n",
		       res == TM_ADD_MERGED ? "merged into" : "added",
		       (long long)id);
	}
	goto done;
fail:
	status = cli_fail(&err);
done:
	tm_unit_free(u);
	tm_store_close(store);
	return status;
}

const struct cli_command cli_cmd_add = {
    "add",
    run,
    "Add a translation unit to the TM.",
    "SOURCE TARGET",
    "Stores SOURCE (in the source language) with its translation TARGET.\n"
    "Adding a pair that is stored (the same source and target texts)\n"
    "merges into the stored unit, whatever the notes: a --note it does\n"
    "not have yet is added to it, so both are kept.\n"
    "With --prev and --next the unit remembers its context, the\n"
    "sentences around SOURCE (as TMX props prev and next, the way\n"
    "OmegaT writes them): a lookup given the same neighbours scores it\n"
    "101.  The same pair in another context is another unit.\n",
    add_opts,
    NULL,
    0,
};
