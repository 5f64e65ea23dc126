#include "cli/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { OPT_LIMIT = CLI_OPT_FIRST_LOCAL };

struct lookup_ctx {
	struct cli *cli;
	struct tolk_json *j;
	size_t n;
};

static int print_match(void *ctx, const struct tm_pair *p)
{
	struct lookup_ctx *lc = ctx;
	struct cli *cli = lc->cli;

	lc->n++;
	if (lc->j) {
		tolk_json_obj_begin(lc->j);
		tolk_json_kv_int(lc->j, "id", p->id);
		tolk_json_kv_int(lc->j, "score", 100);
		tolk_json_kv_str(lc->j, "source", p->source);
		tolk_json_kv_str(lc->j, "target", p->target);
		tolk_json_obj_end(lc->j);
		return 0;
	}
	printf("%s100%%%s  %s#%lld%s\n", cli_color(cli, CLI_GREEN),
	       cli_color(cli, CLI_RESET), cli_color(cli, CLI_DIM),
	       (long long)p->id, cli_color(cli, CLI_RESET));
	printf("  %-5s %s\n", p->source_lang, p->source);
	printf("  %-5s %s%s%s\n", p->target_lang, cli_color(cli, CLI_BOLD),
	       p->target, cli_color(cli, CLI_RESET));
	return 0;
}

CLI_COMMAND(lookup)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"limit", required_argument, NULL, OPT_LIMIT},
		{"json", no_argument, NULL, CLI_OPT_JSON},
		{NULL, 0, NULL, 0},
	};
	struct tm_store *store = NULL;
	struct lookup_ctx lc = {0};
	struct tolk_json j;
	struct tolk_err err;
	const char *query;
	long limit = 5;
	char *end;
	int opt, status = 0;

	tolk_err_clear(&err);
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_common_option(cli, opt, optarg, &status)) {
			if (status >= 0)
				return status;
			continue;
		}
		if (opt == OPT_LIMIT) {
			errno = 0;
			limit = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || limit < 1)
				return cli_usage_error(
					cli, "--limit: '%s' is not a positive "
					     "number",
					optarg);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error(cli, "needs the TEXT to look up");
	query = argv[optind];
	if ((status = cli_check_utf8("TEXT", query)))
		return status;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		return status;
	lc.cli = cli;
	tolk_json_init(&j);
	if (cli->json) {
		lc.j = &j;
		tolk_json_obj_begin(&j);
		tolk_json_kv_str(&j, "query", query);
		tolk_json_key(&j, "matches");
		tolk_json_arr_begin(&j);
	}
	if (tm_store_find_exact(store, query, cli->source_lang,
				cli->target_lang, (size_t)limit, print_match,
				&lc, &err)) {
		status = cli_fail(&err);
		goto done;
	}
	if (cli->json) {
		tolk_json_arr_end(&j);
		tolk_json_obj_end(&j);
		cli_json_line(&j);
	} else if (lc.n == 0) {
		fprintf(stderr, "tolk: no match for '%s'\n", query);
	}
	status = lc.n ? TOLK_EXIT_OK : TOLK_EXIT_NONE;
done:
	tolk_json_release(&j);
	tm_store_close(store);
	return status;
}
