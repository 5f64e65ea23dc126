#include "cli/cli.h"
#include "tm/unit.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_NOTE = CLI_OPT_FIRST_LOCAL };

CLI_COMMAND(add)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"note", required_argument, NULL, OPT_NOTE},
	    {"json", no_argument, NULL, CLI_OPT_JSON},
	    {NULL, 0, NULL, 0},
	};
	static const char *const result_names[] = {"inserted", "merged",
						   "skipped", "replaced"};
	struct tm_store *store = NULL;
	struct tm_unit *u = NULL;
	struct tolk_err err;
	const char *note = NULL, *user;
	enum tm_add_result res;
	char now[17];
	int64_t id;
	int opt, status = 0;

	tolk_err_clear(&err);
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_common_option(cli, opt, optarg, &status)) {
			if (status >= 0)
				return status;
			continue;
		}
		if (opt == OPT_NOTE)
			note = optarg;
	}
	if (argc - optind != 2)
		return cli_usage_error(cli, "needs SOURCE and TARGET");
	if ((status = cli_check_utf8("SOURCE", argv[optind])) ||
	    (status = cli_check_utf8("TARGET", argv[optind + 1])) ||
	    (note && (status = cli_check_utf8("--note", note))))
		return status;
	if (!*argv[optind] || !*argv[optind + 1])
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
	if (tm_unit_add_variant(u, cli->source_lang, argv[optind], NULL, NULL,
				&err) ||
	    tm_unit_add_variant(u, cli->target_lang, argv[optind + 1], NULL,
				NULL, &err))
		goto fail;
	if (note &&
	    tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_NOTE, note, NULL)) {
		tolk_err_set(&err, TOLK_ENOMEM, "out of memory");
		goto fail;
	}
	if ((status = cli_open_store(cli, 0, &store)))
		goto done;
	if (tm_store_add(store, u, TM_DUP_MERGE, &id, &res, &err))
		goto fail;
	if (cli->json) {
		struct tolk_json j;

		tolk_json_init(&j);
		tolk_json_obj_begin(&j);
		tolk_json_kv_int(&j, "id", id);
		tolk_json_kv_str(&j, "result", result_names[res]);
		tolk_json_kv_str(&j, "source", argv[optind]);
		tolk_json_kv_str(&j, "target", argv[optind + 1]);
		tolk_json_obj_end(&j);
		cli_json_line(&j);
		tolk_json_release(&j);
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
