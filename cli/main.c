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
    {"import", cmd_import, "Import TMX (or TSV) files into the TM.",
     "[--on-duplicate merge|keep|skip|replace] [--recover] [--json] "
     "FILE...",
     "Reads TMX 1.1-1.4b files (any encoding libxml2 knows, '-' for "
     "standard\ninput) and stores every <tu> that holds a <tuv>, with "
     "its attributes,\nprops, notes and inline markup.  A FILE ending "
     "in .tsv holds\nSOURCE<TAB>TARGET lines ('#' starts a comment) in "
     "the source and target\nlanguages.  All files are imported in one "
     "transaction: a file that is not\nwell-formed or not TMX is "
     "refused with FILE:LINE:COL, exit status 2, and\nthe database is "
     "left as it was.\n\n"
     "Prints per file: units read, imported, merged, skipped (with the "
     "reasons)\nand how many have no source-target pair.  With "
     "--source-lang or\n--target-lang given, units lacking that pair "
     "are skipped rather than\nstored.  A progress bar is shown on "
     "stderr when it is a terminal.\n\n"
     "Options:\n"
     "  --on-duplicate P    merge (default): a unit identical to a "
     "stored one but\n"
     "                      for dates and usage counts is merged into "
     "it;\n"
     "                      keep: store every unit; skip: drop a unit "
     "whose\n"
     "                      source text is stored; replace: a unit "
     "replaces\n"
     "                      the stored ones with the same source text\n"
     "  --recover           salvage what can be read from a broken "
     "file and\n"
     "                      list what was dropped\n"
     "  --json              one JSON object per file\n"},
    {"export", cmd_export, "Export the TM as TMX 1.4b.",
     "[--all-languages] [--since DATE] [--origin NAME] [--keep-no] "
     "FILE|-",
     "Writes the units holding both the source and the target language "
     "(only\nthose two variants) as TMX 1.4b in UTF-8, through a "
     "temporary file that\nis renamed to FILE ('-': standard output).  "
     "Attributes, props, notes\nand inline markup are written back as "
     "imported; language tags in\ncanonical BCP 47 form, Norwegian "
     "as nb; dates as YYYYMMDDThhmmssZ.\n\n"
     "Options:\n"
     "  --all-languages     every unit with all its variants\n"
     "  --since DATE        only units created or changed on or after "
     "DATE\n"
     "                      (YYYY-MM-DD, YYYYMMDD or YYYYMMDDThhmmssZ);\n"
     "                      units without dates are left out\n"
     "  --origin NAME       only units imported from file NAME (path "
     "or\n"
     "                      base name)\n"
     "  --keep-no           write Norwegian tagged no as no, not nb\n"},
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
     "                      (# starts a comment); without it the TM's\n"
     "                      glossary, when there is one, gives them\n"
     "  --band N            initial half-width of the search band in "
     "sentences\n"
     "                      (default 24; it widens by itself when "
     "needed)\n"},
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
     "[--json] [--kinds LIST] [--glossary FILE] FILE... | --tm | "
     "--pair NB_FILE EN_FILE",
     "Checks bilingual FILEs (TMX, TSV of nb<TAB>en lines, XLIFF 1.2 or\n"
     "2.0), the whole TM (--tm), or an article and its translation\n"
     "(--pair: both are split into sentences and aligned first) against\n"
     "the term base, one finding per line\n"
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
     "  --pair             FILEs are a Norwegian text and its English\n"
     "                     translation, one paragraph per line\n"
     "  --compounds        also find terms inside compounds (kommune in\n"
     "                     kommunestyret); off by default\n"
     "  --json             JSON Lines: kind, file, line or unit, term,\n"
     "                     expected, found, source, target\n"},
    {"pretranslate", cmd_pretranslate,
     "Fill an XLIFF file or a text from the TM.",
     "[--min-score N] [--overwrite] [--alternatives N] [--json] "
     "-o OUT FILE",
     "Looks up every untranslated segment of FILE and writes the result to\n"
     "OUT.  XLIFF 1.x and 2.0 (.xlf .xliff .sdlxliff .mqxliff .mxliff\n"
     ".txlf) come back as the same XLIFF, every byte outside the changed\n"
     "targets and the added match annotations as it was: exact matches as\n"
     "translated (1.2 state-qualifier exact-match), matches from\n"
     "--min-score up as needing review (needs-review-translation,\n"
     "fuzzy-match; leveraged-tm when numbers were adapted; 2.0 state\n"
     "initial), candidates as <alt-trans> (1.2) or <mtc:match> (2.0).\n"
     "A source met again in the file gets the same target (propagation).\n"
     "Any other FILE is a text in the source language, split into\n"
     "sentences; OUT gets one SOURCE<TAB>TARGET line per sentence.\n"
     "The match analysis goes to stderr (stdout with --json).\n\n"
     "Options:\n"
     "  -o, --output OUT    where to write ('-': standard output)\n"
     "  --min-score N       lowest score that fills a target (default 75)\n"
     "  --overwrite         refill segments that already have a target\n"
     "  --alternatives N    candidates written per segment (default 3)\n"
     "  --json              the analysis as one JSON object\n"},
    {"analyze", cmd_analyze, "Print the match analysis of a file.",
     "[--min-score N] [--json] FILE",
     "Counts the segments and words of FILE (XLIFF or text) per match\n"
     "band against the TM, as pretranslate would, without writing\n"
     "anything: context 101 (not kept yet: always 0), exact 100, 95-99,\n"
     "85-94, 75-84, 50-74, no match, and repeats of a source met\n"
     "earlier in the file.\n\n"
     "Options:\n"
     "  --json              one JSON object on stdout\n"},
    {"help", cmd_help, "Show help for tolk or one command.", "[COMMAND]", ""},
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
