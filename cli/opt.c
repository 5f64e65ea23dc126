/* The command line parser: every command's options come from its table
 * (struct cli_option), and this file holds tolk's one getopt_long loop.
 *
 * getopt's own messages are off (opterr = 0, optstring ":..."): it prints
 * "tolk: unrecognized option" in its own words and names the program as
 * argv[0] says; tolk reports every usage error as "tolk COMMAND: message"
 * with the offending option or value, then the usage line, exit 2. */
#include "cli/cli.h"
#include "util/lang.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long returns OPT_BASE + row for a long option, so that a
 * command's keys can be any positive number without clashing with the
 * letters of short options. */
#define OPT_BASE 1000

const struct cli_option cli_common_opts[] = {
    {"db", 0, CLI_OPT_DB, "PATH",
     "translation memory (default $TOLK_DB, else "
     "$XDG_DATA_HOME/tolk/tolk.db, else ~/.local/share/tolk/tolk.db)"},
    {"source-lang", 0, CLI_OPT_SOURCE_LANG, "L",
     "source language as a BCP 47 tag (default nb)"},
    {"target-lang", 0, CLI_OPT_TARGET_LANG, "L",
     "target language as a BCP 47 tag (default en)"},
    {"help", 'h', CLI_OPT_HELP, NULL, "show this help"},
    {NULL, 0, 0, NULL, NULL},
};

/* What messages call the running command; error paths deep in a command
 * print without a struct cli at hand, so it is kept here. */
static const struct cli_command *cur_parent;
static char prog[64] = "tolk";

void cli_set_command(struct cli *cli, const struct cli_command *parent,
		     const struct cli_command *cmd)
{
	cli->cmd = cmd;
	cur_parent = parent;
	if (cmd == &cli_top)
		snprintf(prog, sizeof(prog), "tolk");
	else if (parent)
		snprintf(prog, sizeof(prog), "tolk %s %s", parent->name,
			 cmd->name);
	else
		snprintf(prog, sizeof(prog), "tolk %s", cmd->name);
}

const char *cli_prog(void)
{
	return prog;
}

/* "PROG: message" and a newline on stderr. */
static void verror(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
}

int cli_usage_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verror(fmt, ap);
	va_end(ap);
	if (cli->cmd)
		cli_print_usage(cur_parent, cli->cmd, stderr);
	return TOLK_EXIT_USAGE;
}

int cli_number_option(struct cli *cli, const char *name, const char *arg,
		      long min, long max, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(arg, &end, 10);
	if (errno || end == arg || *end || *out < min || *out > max)
		return cli_usage_error(cli,
				       "--%s: '%s' is not a number from "
				       "%ld to %ld",
				       name, arg, min, max);
	return 0;
}

static int add_row(struct cli_args *a, const struct cli_option *o)
{
	struct option *lo;
	size_t k;

	if (a->n == CLI_MAX_OPTIONS)
		return -1;
	lo = &a->lo[a->n];
	lo->name = o->name;
	lo->has_arg = o->arg ? required_argument : no_argument;
	lo->flag = NULL;
	lo->val = OPT_BASE + a->n;
	if (o->short_name) {
		k = strlen(a->so);
		a->so[k++] = (char)o->short_name;
		if (o->arg)
			a->so[k++] = ':';
		a->so[k] = '\0';
	}
	a->rows[a->n++] = o;
	return 0;
}

void cli_args_init(struct cli_args *a, struct cli *cli, int argc, char **argv)
{
	const struct cli_option *o;
	int rc = 0;

	memset(a, 0, sizeof(*a));
	a->cli = cli;
	a->cmd = cli->cmd;
	a->argc = argc;
	a->argv = argv;
	a->status = -1;
	/* "+": a command with subcommands, and tolk itself, stop at the
	 * first operand, the (sub)command's name; its options are its own.
	 * ":": a missing value is told apart from an unknown option. */
	strcpy(a->so, a->cmd->subs || a->cmd == &cli_top ? "+:" : ":");
	for (o = cli_common_opts; o->name && !rc; o++)
		rc = add_row(a, o);
	for (o = a->cmd->opts; o && o->name && !rc; o++)
		rc = add_row(a, o);
	if (rc) {
		/* a programming error: the tests run every command's --help */
		fprintf(stderr, "%s: internal error: more than %d options\n",
			prog, CLI_MAX_OPTIONS);
		a->status = TOLK_EXIT_FAILURE;
	}
}

/* The row of short option c, or NULL. */
static const struct cli_option *short_row(const struct cli_args *a, int c)
{
	int i;

	for (i = 0; i < a->n; i++)
		if (a->rows[i]->short_name == c)
			return a->rows[i];
	return NULL;
}

/* Reports what getopt refused: res is '?' or ':'. */
static int option_error(struct cli_args *a, int res)
{
	const char *w =
	    optind > 0 && optind <= a->argc ? a->argv[optind - 1] : "";
	size_t len = strcspn(w, "=");
	int i, nprefix = 0;

	if (optopt >= OPT_BASE && optopt < OPT_BASE + a->n) {
		const struct cli_option *o = a->rows[optopt - OPT_BASE];

		if (res == ':')
			return cli_usage_error(
			    a->cli, "option '--%s' needs a value", o->name);
		return cli_usage_error(a->cli, "option '--%s' takes no value",
				       o->name);
	}
	if (optopt) {
		if (res == ':')
			return cli_usage_error(
			    a->cli, "option '-%c' needs a value", optopt);
		return cli_usage_error(a->cli, "unknown option '-%c'", optopt);
	}
	/* a long option: unknown, or an abbreviation of several */
	if (strncmp(w, "--", 2) == 0 && len > 2)
		for (i = 0; i < a->n; i++)
			nprefix +=
			    strncmp(a->rows[i]->name, w + 2, len - 2) == 0;
	if (nprefix > 1)
		return cli_usage_error(a->cli, "option '%.*s' is ambiguous",
				       (int)len, w);
	return cli_usage_error(a->cli, "unknown option '%.*s'", (int)len, w);
}

/* Applies a common option; returns 0, or an exit status to stop with. */
static int common_option(struct cli_args *a, const struct cli_option *o,
			 const char *arg)
{
	struct cli *cli = a->cli;
	char canon[TOLK_LANG_MAX];

	switch (o->key) {
	case CLI_OPT_DB:
		if (!*arg)
			return cli_usage_error(cli, "--db needs a path");
		cli->db_path = arg;
		return 0;
	case CLI_OPT_SOURCE_LANG:
	case CLI_OPT_TARGET_LANG:
		if (tolk_lang_canon(arg, canon, sizeof(canon)))
			return cli_usage_error(cli,
					       "--%s: '%s' is not a language "
					       "tag",
					       o->name, arg);
		if (o->key == CLI_OPT_SOURCE_LANG)
			cli->source_lang = arg;
		else
			cli->target_lang = arg;
		return 0;
	case CLI_OPT_JSON:
		cli->json = 1;
		return 0;
	case CLI_OPT_HELP:
		cli_print_help(cur_parent, a->cmd, stdout);
		return TOLK_EXIT_OK;
	default:
		return 0;
	}
}

int cli_next_option(struct cli_args *a)
{
	const struct cli_option *o;
	int res, status;

	if (a->status >= 0)
		return -1;
	if (!a->started) {
		/* optind = 0: glibc starts afresh and re-reads the
		 * optstring, which differs from the last command's */
		a->started = 1;
		optind = 0;
		opterr = 0;
	}
	res = getopt_long(a->argc, a->argv, a->so, a->lo, NULL);
	if (res == -1) {
		a->ind = optind;
		return 0;
	}
	if (res == '?' || res == ':') {
		a->status = option_error(a, res);
		return -1;
	}
	if (res >= OPT_BASE && res < OPT_BASE + a->n)
		o = a->rows[res - OPT_BASE];
	else
		o = short_row(a, res);
	if (!o) {
		a->status =
		    cli_usage_error(a->cli, "unknown option '-%c'", res);
		return -1;
	}
	a->arg = optarg;
	if ((status = common_option(a, o, optarg)) >= 0 &&
	    (o->key == CLI_OPT_HELP || status != 0)) {
		a->status = status;
		return -1;
	}
	return o->key;
}

int cli_args_parse(struct cli_args *a, struct cli *cli, int argc, char **argv,
		   int min, int max, const char *msg)
{
	int opt, n;

	cli_args_init(a, cli, argc, argv);
	while ((opt = cli_next_option(a)) > 0)
		continue;
	if (opt < 0)
		return -1;
	n = argc - a->ind;
	if (n < min || (max >= 0 && n > max)) {
		a->status = cli_usage_error(cli, "%s", msg);
		return -1;
	}
	return 0;
}
