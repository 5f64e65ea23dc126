#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>

/* One row per subcommand; `tolk help` is generated from this table. */
const struct cli_command cli_commands[] = {
	{"add", cmd_add, "Add a translation unit to the TM.",
	 "[--note TEXT] [--json] SOURCE TARGET",
	 "Stores SOURCE (in the source language) with its translation TARGET.\n"
	 "Adding the same pair again merges into the stored unit.\n\n"
	 "Options:\n"
	 "  --note TEXT         attach a note to the unit\n"
	 "  --json              print the stored unit as JSON\n"},
	{"lookup", cmd_lookup, "Look up prior translations of a sentence.",
	 "[--min-score N] [--limit N] [--exhaustive] [--json] TEXT|-",
	 "Prints the stored units whose source best matches TEXT, with a\n"
	 "score from 0 to 100 (100: the same text; 90s: differences only in\n"
	 "case, punctuation, numbers or tags; below: word edits) and a word\n"
	 "diff of the match against TEXT ([-query words-] {+match words+}).\n"
	 "When a match differs only in numbers, its target is also shown\n"
	 "with the query's numbers put in (adapted).  When nothing reaches\n"
	 "the minimum score, units whose source TEXT contains (several words\n"
	 "and a fifth of TEXT or more) are shown as partial matches.\n"
	 "With -, reads one query per line from stdin.  Exit status 0 when\n"
	 "something matched, 1 when nothing did.\n\n"
	 "Options:\n"
	 "  --min-score N       lowest score shown (0-100, default 70)\n"
	 "  --limit N           at most N matches (default 5)\n"
	 "  --exhaustive        score every unit instead of using the index\n"
	 "  --json              one JSON object per query (JSON Lines)\n"},
	{"concordance", cmd_concordance,
	 "Find a phrase in the TM, keyword in context.",
	 "[--target] [--limit N] [--json] PHRASE",
	 "Lists units whose source (with --target: translation) contains the\n"
	 "words of PHRASE in a row, ignoring case, diacritics and\n"
	 "punctuation, with the hit highlighted in its context.  Exit status\n"
	 "0 when something was found, 1 when nothing was.\n\n"
	 "Options:\n"
	 "  --target            search the translations instead\n"
	 "  --limit N           at most N units (default 20)\n"
	 "  --exhaustive        read every unit instead of using the index\n"
	 "  --json              one JSON object per unit\n"},
	{"delete", cmd_delete, "Delete a translation unit by id.", "ID",
	 "Removes unit ID (as shown by lookup) with all its variants.\n"},
	{"stats", cmd_stats, "Show what the TM holds.", "[--json]",
	 "Units per language pair, database size and schema version.\n"},
	{"help", cmd_help, "Show help for tolk or one command.", "[COMMAND]",
	 ""},
	{NULL, NULL, NULL, NULL, NULL},
};

static const struct cli_command *find_command(const char *name)
{
	const struct cli_command *c;

	for (c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void print_usage(FILE *f)
{
	const struct cli_command *c;

	fputs("usage: tolk [--db PATH] [--source-lang L] [--target-lang L] "
	      "COMMAND [OPTIONS] [ARGS]\n\n"
	      "tolk: Norwegian (Bokmål) to English translation memory and "
	      "glossary.\n\nCommands:\n",
	      f);
	for (c = cli_commands; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
	fputs("\nRun 'tolk help COMMAND' for a command's options.\n"
	      "Exit status: 0 success, 1 nothing found or findings, 2 usage or "
	      "input error,\n3 database, I/O or internal error.\n",
	      f);
}

CLI_COMMAND(help)
{
	const struct cli_command *c;

	if (argc > 2)
		return cli_usage_error(cli, "too many arguments");
	if (argc < 2 || strcmp(argv[1], "--help") == 0) {
		print_usage(stdout);
		return TOLK_EXIT_OK;
	}
	c = find_command(argv[1]);
	if (!c) {
		fprintf(stderr, "tolk: unknown command '%s'\n", argv[1]);
		return TOLK_EXIT_USAGE;
	}
	cli_print_help(c, stdout);
	return TOLK_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		CLI_COMMON_OPTIONS,
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	static const struct cli_command top = {"", NULL, "", "", ""};
	static char progname[64];
	struct cli cli = {0};
	const char *nc = getenv("NO_COLOR");
	int opt, status;

	cli.source_lang = "nb";
	cli.target_lang = "en";
	cli.color = isatty(STDOUT_FILENO) && !(nc && *nc);
	cli.cmd = &top;

	/* "+": stop at the command name; its options are its own. */
	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (opt == 'V') {
			printf("tolk %s\n", TOLK_VERSION);
			return TOLK_EXIT_OK;
		}
		if (opt == CLI_OPT_HELP) {
			print_usage(stdout);
			return TOLK_EXIT_OK;
		}
		if (opt == '?' || opt == ':') {
			fputs("tolk: see 'tolk --help'\n", stderr);
			return TOLK_EXIT_USAGE;
		}
		if (cli_common_option(&cli, opt, optarg, &status) &&
		    status >= 0)
			return status;
	}
	if (optind >= argc) {
		print_usage(stderr);
		return TOLK_EXIT_USAGE;
	}
	cli.cmd = find_command(argv[optind]);
	if (!cli.cmd) {
		fprintf(stderr,
			"tolk: unknown command '%s' (see 'tolk --help')\n",
			argv[optind]);
		return TOLK_EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	/* getopt names the program in its messages: make it "tolk CMD". */
	snprintf(progname, sizeof(progname), "tolk %s", cli.cmd->name);
	argv[0] = progname;
	optind = 0; /* restart getopt for the subcommand */
	status = cli.cmd->fn(&cli, argc, argv);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fputs("tolk: error writing output\n", stderr);
		return TOLK_EXIT_FAILURE;
	}
	return status;
}
