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
	 "[--limit N] [--json] TEXT",
	 "Prints the stored translations of TEXT.  Exit status 0 when "
	 "something\nmatched, 1 when nothing did.\n\n"
	 "Options:\n"
	 "  --limit N           at most N matches (default 5)\n"
	 "  --json              one JSON object per query\n"},
	{"delete", cmd_delete, "Delete a translation unit by id.", "ID",
	 "Removes unit ID (as shown by lookup) with all its variants.\n"},
	{"stats", cmd_stats, "Show what the TM holds.", "[--json]",
	 "Units per language pair, database size and schema version.\n"},
	{"glossary", cmd_glossary, "Keep the glossary (term base).",
	 "SUBCOMMAND [OPTIONS] [ARGS]",
	 "Subcommands:\n"
	 "  add TERM TRANSLATION [--alt T]... [--forbid V]... [--note N]\n"
	 "      [--case-sensitive|--ignore-case] [--pos P] [--domain D]\n"
	 "      [--json]\n"
	 "                      add or replace the entry for the Norwegian TERM\n"
	 "                      (TRANSLATION preferred, --alt also approved,\n"
	 "                      --forbid never to be used).  Terms in capitals\n"
	 "                      (NTB) are case-sensitive unless --ignore-case.\n"
	 "  list [--json]       every entry\n"
	 "  remove TERM...      delete entries\n"
	 "  import [--format tsv|tbx] FILE\n"
	 "                      read TBX-Basic or OmegaT TSV (by extension:\n"
	 "                      .tbx; .tsv .txt .tab); an entry replaces the\n"
	 "                      one with the same term; all or nothing, bad\n"
	 "                      rows reported as FILE:LINE:COL (exit 2).\n"
	 "                      TSV columns after the comment are tolk's:\n"
	 "                      forbid=V case=sensitive|insensitive pos=P\n"
	 "                      domain=D created=YYYY-MM-DD modified=...\n"
	 "  export [--format tsv|tbx] FILE\n"
	 "                      write them back out ('-' is stdout)\n"
	 "  find [--json] [--compounds] TEXT|-\n"
	 "                      the terms in a Norwegian text (or stdin), with\n"
	 "                      line:col and approved renderings; exit 1 when\n"
	 "                      there are none\n\n"
	 "Matching: inflected forms count (statsministeren, Stortingets,\n"
	 "statsministre); a term inside a compound does not (kommune in\n"
	 "kommunestyre) unless --compounds is given; longest term first.\n"},
	{"check", cmd_check, "Check translations against the glossary.",
	 "[--json] [--kinds LIST] [--glossary FILE] FILE... | --tm",
	 "Checks bilingual FILEs (TSV of nb<TAB>en lines, XLIFF 1.2 or 2.0) or\n"
	 "the whole TM (--tm) against the term base, one finding per line\n"
	 "(JSON Lines with --json).  Exit 0 clean, 1 findings, 2 bad input.\n\n"
	 "Kinds:\n"
	 "  missing        the term is in the source, no approved rendering in\n"
	 "                 the target\n"
	 "  forbidden      a forbidden variant is in the target\n"
	 "  untranslated   the Norwegian term was copied into the target\n"
	 "  inconsistent   the same source was translated differently earlier\n"
	 "  number         a source number is missing from the target\n"
	 "                 (1,5 = 1.5, 12 000 = 12,000, kl. 14.30 = 14:30)\n\n"
	 "Options:\n"
	 "  --kinds LIST       comma-separated kinds to check (default all)\n"
	 "  --glossary FILE    use this TBX/TSV glossary instead of the TM's\n"
	 "  --tm               check every unit of the TM\n"
	 "  --compounds        also find terms inside compounds (kommune in\n"
	 "                     kommunestyret); off by default\n"
	 "  --json             JSON Lines: kind, file, line or unit, term,\n"
	 "                     expected, found, source, target\n"},
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
