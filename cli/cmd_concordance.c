#include "cli/cli.h"
#include "tm/match.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_LIMIT = CLI_OPT_FIRST_LOCAL, OPT_TARGET, OPT_EXHAUSTIVE };

static const struct cli_option concordance_opts[] = {
    {"target", 0, OPT_TARGET, NULL, "search the translations instead"},
    {"limit", 0, OPT_LIMIT, "N", "at most N units (default 20)"},
    {"exhaustive", 0, OPT_EXHAUSTIVE, NULL,
     "read every unit instead of using the index"},
    CLI_OPTION_JSON("one JSON object per unit"),
    {NULL, 0, 0, NULL, NULL},
};

#define CONTEXT 40 /* characters of context each side */

struct concord_out {
	struct cli *cli;
	int target;
	int status; /* of writing the output */
	size_t n;
};

/* Byte offset of the start of the last `chars` characters of s[0..n). */
static size_t tail_start(const char *s, size_t n, size_t chars)
{
	size_t i = n;

	while (i > 0 && chars > 0) {
		i--;
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			chars--;
	}
	return i;
}

/* Bytes of the first `chars` characters of s (NUL-terminated). */
static size_t head_len(const char *s, size_t chars)
{
	size_t i = 0;

	while (s[i]) {
		if (((unsigned char)s[i] & 0xc0) != 0x80) {
			if (chars == 0)
				break;
			chars--;
		}
		i++;
	}
	return i;
}

static int print_hit(void *ctx, const struct tm_concord_hit *h)
{
	struct concord_out *co = ctx;
	struct cli *cli = co->cli;
	const char *text = co->target ? h->target : h->source;
	const char *other = co->target ? h->source : h->target;
	const char *other_lang = co->target ? h->source_lang : h->target_lang;
	size_t ls = tail_start(text, h->off, CONTEXT);
	const char *right = text + h->off + h->len;
	size_t rl = head_len(right, CONTEXT), pad;

	co->n++;
	if (cli->json) {
		struct tolk_json j;

		tolk_json_init(&j);
		tolk_json_obj_begin(&j);
		tolk_json_kv_int(&j, "id", h->id);
		tolk_json_kv_str(&j, "source", h->source);
		tolk_json_kv_str(&j, "target", h->target);
		tolk_json_kv_str(&j, "side", co->target ? "target" : "source");
		tolk_json_key(&j, "hit");
		tolk_json_arr_begin(&j);
		tolk_json_int(&j, (int64_t)tolk_utf8_count(text, h->off));
		tolk_json_int(&j,
			      (int64_t)tolk_utf8_count(text, h->off + h->len));
		tolk_json_arr_end(&j);
		tolk_json_key(&j, "left");
		tolk_json_strn(&j, text, h->off);
		tolk_json_key(&j, "match");
		tolk_json_strn(&j, text + h->off, h->len);
		tolk_json_kv_str(&j, "right", right);
		tolk_json_obj_end(&j);
		co->status = cli_json_emit(&j);
		return co->status ? -1 : 0;
	}
	/* keyword in context: the hit lines up in one column */
	pad = CONTEXT + 1 - tolk_utf8_count(text + ls, h->off - ls) - (ls > 0);
	printf("%s#%-6lld%s %*s%s", cli_color(cli, CLI_DIM), (long long)h->id,
	       cli_color(cli, CLI_RESET), (int)pad, "", ls > 0 ? "…" : "");
	fwrite(text + ls, 1, h->off - ls, stdout);
	if (cli->color)
		printf("%s", cli_color(cli, "1;33"));
	else
		fputc('[', stdout);
	fwrite(text + h->off, 1, h->len, stdout);
	fputs(cli->color ? cli_color(cli, CLI_RESET) : "]", stdout);
	fwrite(right, 1, rl, stdout);
	printf("%s\n", right[rl] ? "…" : "");
	printf("        %-5s %s\n", other_lang, other);
	return 0;
}

static int run(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	struct concord_out co = {0};
	struct tm_match_opts o = {0};
	struct tm_store *store = NULL;
	struct tm_matcher *m = NULL;
	struct tolk_err err;
	const char *phrase;
	long limit = 20;
	int opt, status = 0;

	tolk_err_clear(&err);
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0) {
		if (opt == OPT_LIMIT &&
		    (status = cli_number_option(cli, "limit", a.arg, 1, 1000000,
						&limit)))
			return status;
		if (opt == OPT_TARGET) {
			o.flags |= TM_MATCH_TARGET;
			co.target = 1;
		}
		if (opt == OPT_EXHAUSTIVE)
			o.flags |= TM_MATCH_EXHAUSTIVE;
	}
	if (opt < 0)
		return a.status;
	if (argc - a.ind != 1)
		return cli_usage_error(cli, "needs the PHRASE to look for");
	phrase = argv[a.ind];
	if ((status = cli_check_utf8("PHRASE", phrase)))
		return status;
	if ((status = cli_open_matcher(cli, &store, &m)))
		goto done;
	o.source_lang = cli->source_lang;
	o.target_lang = cli->target_lang;
	o.limit = (size_t)limit;
	co.cli = cli;
	if (tm_match_concordance(m, phrase, &o, print_hit, &co, &err)) {
		status = co.status ? co.status : cli_fail(&err);
		goto done;
	}
	if (co.n == 0 && !cli->json)
		cli_error("'%s' not found", phrase);
	status = co.n ? TOLK_EXIT_OK : TOLK_EXIT_NONE;
done:
	tm_matcher_free(m);
	tm_store_close(store);
	return status;
}

const struct cli_command cli_cmd_concordance = {
    "concordance",
    run,
    "Find a phrase in the TM, keyword in context.",
    "PHRASE",
    "Lists units whose source (with --target: translation) contains the\n"
    "words of PHRASE in a row, ignoring case, diacritics and\n"
    "punctuation, with the hit highlighted in its context.  Exit status\n"
    "0 when something was found, 1 when nothing was.\n",
    concordance_opts,
    NULL,
    0,
};
