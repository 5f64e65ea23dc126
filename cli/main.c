#include "cli/cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>

static const struct cli_command *find_command(const char *name)
{
	const struct cli_command *const *c;

	for (c = cli_commands; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

int main(int argc, char **argv)
{
	struct cli cli = {0};
	struct cli_args a;
	const char *nc = getenv("NO_COLOR");
	const struct cli_command *cmd;
	int opt, status;

	/* A file-size limit (ulimit -f, a quota) reached while writing
	 * kills with SIGXFSZ, silently and mid-transaction; ignored, the
	 * write fails with EFBIG and is reported like a full disk. */
	signal(SIGXFSZ, SIG_IGN);
	cli.source_lang = "nb";
	cli.target_lang = "en";
	cli.color = isatty(STDOUT_FILENO) && !(nc && *nc);
	cli_set_command(&cli, NULL, &cli_top);

	cli_args_init(&a, &cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0) {
		if (opt == CLI_OPT_VERSION) {
			printf("tolk %s\n", TOLK_VERSION);
			return TOLK_EXIT_OK;
		}
	}
	if (opt < 0)
		return a.status;
	if (a.ind >= argc) {
		cli_print_help(NULL, &cli_top, stderr);
		return TOLK_EXIT_USAGE;
	}
	cmd = find_command(argv[a.ind]);
	if (!cmd) {
		cli_error("unknown command '%s' (see 'tolk --help')",
			  argv[a.ind]);
		return TOLK_EXIT_USAGE;
	}
	cli_set_command(&cli, NULL, cmd);
	status = cmd->fn(&cli, argc - a.ind, argv + a.ind);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		cli_error("error writing output");
		return TOLK_EXIT_FAILURE;
	}
	return status;
}
