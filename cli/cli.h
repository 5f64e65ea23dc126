/* Shared state and helpers of the tolk command's subcommands. */
#ifndef TOLK_CLI_H
#define TOLK_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "tm/align.h"
#include "tm/segment.h"
#include "tm/store.h"
#include "util/err.h"
#include "util/json.h"

struct cli {
	const char *db_path; /* --db, else $TOLK_DB, else XDG default */
	const char *source_lang;
	const char *target_lang;
	int json;
	int color; /* stdout is a terminal and NO_COLOR is unset */
	const struct cli_command *cmd;
};

struct cli_command {
	const char *name;
	int (*fn)(struct cli *cli, int argc, char **argv);
	const char *summary;
	const char *usage; /* options and arguments, after "tolk NAME " */
	const char *help;  /* longer text for `tolk help NAME` */
};

/* Options every subcommand accepts; getopt values above 256. */
enum {
	CLI_OPT_DB = 256,
	CLI_OPT_SOURCE_LANG,
	CLI_OPT_TARGET_LANG,
	CLI_OPT_JSON,
	CLI_OPT_HELP,
	CLI_OPT_FIRST_LOCAL, /* commands number their own options from here */
};

#define CLI_COMMON_OPTIONS                                                     \
	{"db", required_argument, NULL, CLI_OPT_DB},                           \
	    {"source-lang", required_argument, NULL, CLI_OPT_SOURCE_LANG},     \
	    {"target-lang", required_argument, NULL, CLI_OPT_TARGET_LANG},     \
	{                                                                      \
		"help", no_argument, NULL, CLI_OPT_HELP                        \
	}

/* Handles a common option.  Returns 1 when opt was one (and *status is
 * set when the command must stop with that exit status: after --help, or
 * on a bad value), 0 when opt is the command's own. */
int cli_common_option(struct cli *cli, int opt, const char *arg, int *status);

/* Parses the value of --name as a whole number in [min, max]; returns 0,
 * or the usage exit status after saying what was wrong with arg. */
int cli_number_option(struct cli *cli, const char *name, const char *arg,
		      long min, long max, long *out);

/* Reports an unknown option or missing argument as getopt saw it. */
int cli_usage_error(struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints the help of cli->cmd to f. */
void cli_print_help(const struct cli_command *cmd, FILE *f);

/* Prints "tolk: message" (with location) and returns the exit status. */
int cli_fail(const struct tolk_err *err);

/* Opens the TM; MUST_EXIST for commands that only read or delete. */
int cli_open_store(struct cli *cli, unsigned flags, struct tm_store **out);

/* Opens the TM when it exists; *out is NULL (and 0 returned) when there
 * is none.  For commands that use a TM only if there is one. */
int cli_open_store_quiet(struct cli *cli, struct tm_store **out,
			 struct tolk_err *err);

/* Checks that a command-line argument is valid UTF-8; returns an exit
 * status (0 when it is). */
int cli_check_utf8(const char *what, const char *arg);

/* Writes the JSON document in j to stdout as one line. */
void cli_json_line(struct tolk_json *j);

/* Terminal highlighting: returns the escape or "" when colour is off. */
const char *cli_color(const struct cli *cli, const char *sgr);
#define CLI_BOLD   "1"
#define CLI_DIM	   "2"
#define CLI_RED	   "31"
#define CLI_GREEN  "32"
#define CLI_YELLOW "33"
#define CLI_CYAN   "36"
#define CLI_RESET  "0"

/* Reads all of FILE (or stdin for "-") into a NUL-terminated buffer. */
int cli_read_file(const char *path, char **out, size_t *len,
		  struct tolk_err *err);

/* A text read and split into sentences, ready for tm_align_run. */
struct cli_doc {
	const char *path;
	char *text;
	size_t len;
	struct tm_sentence *s;
	size_t n;
	struct tm_align_sent *as;
};

/* Reads path ('-': stdin) and segments it for lang (srx: rule file or
 * NULL for tolk's own; sentences: the file is already one sentence per
 * line).  Release with cli_doc_release even on failure. */
int cli_doc_load(struct cli_doc *d, const char *path, const char *lang,
		 const char *srx, int sentences, struct tolk_err *err);
void cli_doc_release(struct cli_doc *d);

/* "<stdin>" for "-", else path. */
const char *cli_shown_path(const char *path);

/* Approved glossary renderings of the TM's term base as aligner anchors:
 * first approved rendering of each term.  A missing TM or empty glossary
 * gives none.  *terms points into *entries; free both with
 * cli_glossary_anchors_free. */
struct gl_entry;
int cli_glossary_anchors(struct cli *cli, struct gl_entry **entries,
			 size_t *nentries, struct tm_align_term **terms,
			 size_t *nterms, struct tolk_err *err);
void cli_glossary_anchors_free(struct gl_entry *entries, size_t nentries,
			       struct tm_align_term *terms);

extern const struct cli_command cli_commands[];

#define CLI_COMMAND(name) int cmd_##name(struct cli *cli, int argc, char **argv)
CLI_COMMAND(add);
CLI_COMMAND(lookup);
CLI_COMMAND(concordance);
CLI_COMMAND(delete);
CLI_COMMAND(stats);
CLI_COMMAND(import);
CLI_COMMAND(export);
CLI_COMMAND(segment);
CLI_COMMAND(align);
CLI_COMMAND(glossary);
CLI_COMMAND(check);
CLI_COMMAND(pretranslate);
CLI_COMMAND(analyze);
CLI_COMMAND(help);

#endif
