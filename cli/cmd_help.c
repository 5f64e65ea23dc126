#include "cli/cli.h"

#include <string.h>

enum { OPT_MAN = CLI_OPT_FIRST_LOCAL };

static const struct cli_option help_opts[] = {
    {"man", 0, OPT_MAN, NULL,
     "print the manual page (roff), as installed as tolk(1)"},
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_command *find(const struct cli_command *const *v,
				      const char *name)
{
	for (; *v; v++)
		if (strcmp((*v)->name, name) == 0)
			return *v;
	return NULL;
}

static const struct cli_command *find_sub(const struct cli_command *cmd,
					  const char *name)
{
	const struct cli_command *s;

	for (s = cmd->subs; s && s->name; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	return NULL;
}

static int run(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *c, *s = NULL;
	struct cli_args a;
	int opt, man = 0, nargs;

	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0)
		if (opt == OPT_MAN)
			man = 1;
	if (opt < 0)
		return a.status;
	nargs = argc - a.ind;
	if (man) {
		if (nargs)
			return cli_usage_error(cli, "--man takes no COMMAND");
		cli_print_man(stdout);
		return TOLK_EXIT_OK;
	}
	if (nargs == 0) {
		cli_print_help(NULL, &cli_top, stdout);
		return TOLK_EXIT_OK;
	}
	if (nargs > 2)
		return cli_usage_error(cli, "too many arguments");
	c = find(cli_commands, argv[a.ind]);
	if (!c)
		return cli_usage_error(cli, "unknown command '%s'",
				       argv[a.ind]);
	if (nargs == 2 && !(s = find_sub(c, argv[a.ind + 1]))) {
		if (!c->subs)
			return cli_usage_error(cli, "'%s' has no subcommands",
					       c->name);
		return cli_usage_error(cli, "unknown subcommand '%s %s'",
				       c->name, argv[a.ind + 1]);
	}
	if (s)
		cli_print_help(c, s, stdout);
	else
		cli_print_help(NULL, c, stdout);
	return TOLK_EXIT_OK;
}

const struct cli_command cli_cmd_help = {
    "help",
    run,
    "Show help for tolk or one command.",
    "[COMMAND [SUBCOMMAND]]",
    "Without COMMAND, lists the commands; with it, that command's usage,\n"
    "description and options (the same as 'tolk COMMAND --help').\n",
    help_opts,
    NULL,
    0,
};
