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
	{"segment", cmd_segment, "Split text into sentences.",
	 "[--lang L] [--srx FILE] [--srx-only] [--json] [FILE|-]",
	 "Prints the sentences of FILE (standard input without FILE or with "
	 "-), one per\nline, with an empty line between paragraphs.  A line "
	 "of input is a\nparagraph; sentences never cross paragraphs.\n\n"
	 "ICU's sentence break iterator for the language proposes the "
	 "boundaries and\nSRX 2.0 rules correct it (abbreviations such as "
	 "bl.a., f.eks., kl., nr., Mr.,\ne.g.; ordinal dates as 17. mai; "
	 "initials as J. G. Støre; ...).  tolk's own\nNorwegian and English "
	 "rules are built in; --srx replaces them with any SRX\n2.0 file "
	 "(break and no-break rules, language maps, cascading, ICU "
	 "regular\nexpressions; Java look-behinds are bounded).\n\n"
	 "Options:\n"
	 "  --lang L            language of the text (default: --source-lang, "
	 "nb)\n"
	 "  --srx FILE          segmentation rules from an SRX 2.0 file\n"
	 "  --srx-only          with --srx: let that file's rules alone decide "
	 "(no\n"
	 "                      ICU), as OmegaT and Okapi do\n"
	 "  --json              one object per sentence: id, paragraph, byte "
	 "offsets\n"
	 "                      start and end in the input, text\n"},
	{"align", cmd_align, "Align a text and its translation into units.",
	 "[--format tsv|json|tmx] [--sentences] [--import] "
	 "[--min-confidence X]\n"
	 "           [--srx FILE] [--terms FILE] [--band N] NB_FILE EN_FILE",
	 "Segments NB_FILE (source language) and EN_FILE (target language) "
	 "into\nsentences as 'tolk segment' does, or with --sentences takes "
	 "them as one\nsentence per line with blank lines between paragraphs, "
	 "and aligns them into\nbeads of 1-1, 1-0, 0-1, 2-1, 1-2 or 2-2 "
	 "sentences (rarely 3-1, 1-3).  The\naligner weighs sentence lengths "
	 "(Gale-Church, in characters) with\nanchors that survive "
	 "translation: numbers in either notation (1,5 = 1.5,\n12 000 = "
	 "12,000), identical names, acronyms and long words, question\n"
	 "marks and quotes; paragraph boundaries that coincide are preferred."
	 "\nEvery bead gets a confidence in [0,1] (its posterior probability)."
	 "  One of\nthe files "
	 "may be -.\n\n"
	 "Output, one line per bead:\n"
	 "  tsv (default)       NB_TEXT<TAB>EN_TEXT<TAB>CONFIDENCE\n"
	 "  json                {\"nb\":[ids],\"en\":[ids],\"confidence\":c,"
	 "\"nb_text\":...,\n"
	 "                      \"en_text\":...} with 1-based sentence ids "
	 "in the order\n"
	 "                      of 'tolk segment' (or of the lines with "
	 "--sentences)\n"
	 "  tmx                 a TMX 1.4 document of the beads that have "
	 "both sides\n\n"
	 "Options:\n"
	 "  --format F          tsv, json or tmx (--json is --format json)\n"
	 "  --sentences         the files are already split into sentences\n"
	 "  --srx FILE          segment with the rules of an SRX 2.0 file "
	 "instead of\n"
	 "                      tolk's own (see 'tolk help segment')\n"
	 "  --import            store beads at or above --min-confidence in "
	 "the TM\n"
	 "                      (one transaction; origin: the file names) and "
	 "report\n"
	 "                      how many were held back for review\n"
	 "  --min-confidence X  threshold for --import (default 0.5, the best "
	 "F1 in\n"
	 "                      'make eval'); with the output formats, print "
	 "only\n"
	 "                      beads at or above X\n"
	 "  --terms FILE        term pairs that anchor beads, one NB<TAB>EN "
	 "per line\n"
	 "                      (# starts a comment), e.g. from the "
	 "glossary\n"
	 "  --band N            initial half-width of the search band in "
	 "sentences\n"
	 "                      (default 24; it widens by itself when "
	 "needed)\n"},
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
