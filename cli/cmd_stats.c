#include "cli/cli.h"

static const struct cli_option stats_opts[] = {
    CLI_OPTION_JSON("print the figures as one JSON object"),
    {NULL, 0, 0, NULL, NULL},
};

static int run(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	struct tm_store *store = NULL;
	struct tm_store_stats st;
	struct tolk_err err;
	size_t i;
	int status = 0;

	tolk_err_clear(&err);
	if (cli_args_parse(&a, cli, argc, argv, 0, 0, "takes no arguments"))
		return a.status;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST | TM_STORE_READ,
				     &store)))
		return status;
	if (tm_store_stats(store, &st, &err)) {
		status = cli_fail(&err);
		goto done;
	}
	if (cli->json) {
		struct tolk_json j;

		tolk_json_init(&j);
		tolk_json_obj_begin(&j);
		tolk_json_kv_int(&j, "units", st.units);
		tolk_json_kv_int(&j, "variants", st.variants);
		tolk_json_key(&j, "pairs");
		tolk_json_arr_begin(&j);
		for (i = 0; i < st.npairs; i++) {
			tolk_json_obj_begin(&j);
			tolk_json_kv_str(&j, "source", st.pairs[i].source);
			tolk_json_kv_str(&j, "target", st.pairs[i].target);
			tolk_json_kv_int(&j, "units", st.pairs[i].units);
			tolk_json_obj_end(&j);
		}
		tolk_json_arr_end(&j);
		tolk_json_key(&j, "origins");
		tolk_json_arr_begin(&j);
		for (i = 0; i < st.norigins; i++) {
			tolk_json_obj_begin(&j);
			tolk_json_kv_str(&j, "origin", st.origins[i].origin);
			tolk_json_kv_int(&j, "units", st.origins[i].units);
			tolk_json_obj_end(&j);
		}
		tolk_json_arr_end(&j);
		tolk_json_kv_int(&j, "schema_version", st.schema_version);
		tolk_json_kv_int(&j, "bytes", st.bytes);
		tolk_json_obj_end(&j);
		status = cli_json_emit(&j);
	} else {
		printf("database:       %s\n", tm_store_path(store));
		printf("units:          %lld\n", (long long)st.units);
		printf("variants:       %lld\n", (long long)st.variants);
		for (i = 0; i < st.npairs; i++)
			printf("  %s → %-8s %lld unit%s\n", st.pairs[i].source,
			       st.pairs[i].target, (long long)st.pairs[i].units,
			       cli_plural(st.pairs[i].units));
		printf("origins:        %zu\n", st.norigins);
		for (i = 0; i < st.norigins; i++)
			printf("  %s  %lld unit%s\n",
			       st.origins[i].origin ? st.origins[i].origin
						    : "(none)",
			       (long long)st.origins[i].units,
			       cli_plural(st.origins[i].units));
		printf("size:           %.1f KiB\n", (double)st.bytes / 1024);
		printf("schema version: %d\n", st.schema_version);
	}
	tm_store_stats_release(&st);
done:
	tm_store_close(store);
	return status;
}

const struct cli_command cli_cmd_stats = {
    "stats",
    run,
    "Show what the TM holds.",
    "",
    "Units per language pair and per origin (the file they were imported\n"
    "from, 'add', or both files of an 'align --import': what 'export\n"
    "--origin' selects), database size and schema version.\n",
    stats_opts,
    NULL,
    0,
};
