/* Shared state and helpers of the tolk command's subcommands. */
#ifndef TOLK_CLI_H
#define TOLK_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "tm/text/align.h"
#include "tm/text/segment.h"
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

/* One option of a command: the only place it is declared.  The parser
 * builds getopt_long's table from it, `tolk help`, the man page and the
 * shell completions print it. */
struct cli_option {
	const char *name; /* long name, without "--" */
	int short_name;	  /* letter of -x, or 0 */
	int key;	  /* what cli_next_option returns for it (> 0) */
	const char *arg;  /* value name: "N", "FILE" or "PATH" (completed as
			   * files), "a|b|c" (completed as those words);
			   * NULL when the option takes no value */
	const char *help; /* one line, wrapped when printed */
};

/* The operands of the command are files (for completion). */
#define CLI_FILES 1u

struct cli_command {
	const char *name;
	int (*fn)(struct cli *cli, int argc, char **argv);
	const char *summary;
	const char *operands; /* after the options in the usage line */
	const char *help;     /* longer text; paragraphs whose lines start
			       * with spaces are kept as laid out */
	const struct cli_option *opts;	/* ends with {NULL} */
	const struct cli_command *subs; /* subcommands; ends with {NULL} */
	unsigned flags;			/* CLI_FILES */
};

/* Keys of the options every command accepts, and of --json; a command
 * numbers its own from CLI_OPT_FIRST_LOCAL. */
enum {
	CLI_OPT_DB = 256,
	CLI_OPT_SOURCE_LANG,
	CLI_OPT_TARGET_LANG,
	CLI_OPT_JSON,
	CLI_OPT_HELP,
	CLI_OPT_VERSION,
	CLI_OPT_FIRST_LOCAL, /* commands number their own options from here */
};

/* The --json row of a command's table, with what its output is. */
#define CLI_OPTION_JSON(help)                                                  \
	{                                                                      \
		"json", 0, CLI_OPT_JSON, NULL, help                            \
	}

/* The options of every command (--db, --source-lang, --target-lang,
 * --help). */
extern const struct cli_option cli_common_opts[];

/* getopt_long's table for one command, built from cli_common_opts and
 * the command's own table. */
#define CLI_MAX_OPTIONS 48

struct cli_args {
	struct cli *cli;
	const struct cli_command *cmd;
	int argc;
	char **argv;
	const char *arg; /* value of the option last returned */
	int ind;	 /* index of the first operand, once 0 was returned */
	int status;	 /* exit status, once -1 was returned */
	int started;
	int n;
	const struct cli_option *rows[CLI_MAX_OPTIONS];
	struct option lo[CLI_MAX_OPTIONS + 1];
	char so[2 * CLI_MAX_OPTIONS + 4];
};

/* Starts parsing argv (argv[0] is the command's name) for cli->cmd.
 * Commands with subcommands stop at the first operand; the others take
 * options anywhere. */
void cli_args_init(struct cli_args *a, struct cli *cli, int argc, char **argv);

/* The one getopt_long loop of tolk.  Returns the key of the next option
 * (a->arg holds its value), 0 when only operands are left (from
 * a->argv[a->ind]), or -1 when the command must stop with a->status:
 * after --help, or after a usage error it has reported.  The common
 * options and --json are applied to a->cli here, and then returned too. */
int cli_next_option(struct cli_args *a);

/* For a command whose options are all applied by the parser (the common
 * ones and --json): reads them all, then checks that the operands number
 * from min to max (max -1: any number above min), else reports msg as a
 * usage error.  Returns 0 with a->ind at the first operand, or -1 when
 * the command must stop with a->status, as cli_next_option does. */
int cli_args_parse(struct cli_args *a, struct cli *cli, int argc, char **argv,
		   int min, int max, const char *msg);

/* Parses the value of --name as a whole number in [min, max]; returns 0,
 * or the usage exit status after saying what was wrong with arg. */
int cli_number_option(struct cli *cli, const char *name, const char *arg,
		      long min, long max, long *out);

/* Prints "tolk COMMAND: message" and the command's usage line; returns
 * the usage exit status. */
int cli_usage_error(struct cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints "tolk COMMAND: message" to stderr: the one error format. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Makes cmd the command that cli runs and that messages name; parent is
 * the command it is a subcommand of, or NULL. */
void cli_set_command(struct cli *cli, const struct cli_command *parent,
		     const struct cli_command *cmd);

/* "tolk", "tolk lookup" or "tolk glossary add": how messages and usage
 * lines name the running command. */
const char *cli_prog(void);

/* Prints the help of cmd (a subcommand of parent, or parent NULL) to f:
 * usage, description, options. */
void cli_print_help(const struct cli_command *parent,
		    const struct cli_command *cmd, FILE *f);

/* The usage line(s) of cmd: "usage: tolk [--db PATH] NAME [--opt X]...
 * OPERANDS", wrapped. */
void cli_print_usage(const struct cli_command *parent,
		     const struct cli_command *cmd, FILE *f);

/* Prints text wrapped to width columns, each line indented by indent
 * (the first by first_indent, which may be smaller: the caller has
 * printed that much already). */
void cli_print_wrapped(FILE *f, const char *text, int first_indent, int indent,
		       int width);

/* The roff manual page, from the command tables. */
void cli_print_man(FILE *f);

/* A completion script for shell ("bash", "zsh" or "fish"); returns 0, or
 * -1 for a shell it does not know. */
int cli_print_completion(FILE *f, const char *shell);

/* The top level: tolk's own options and description. */
extern const struct cli_command cli_top;

/* Prints "tolk COMMAND: FILE:LINE:COL: message" and returns the exit
 * status. */
int cli_fail(const struct tolk_err *err);

/* Opens the TM; MUST_EXIST for commands that only read or delete. */
int cli_open_store(struct cli *cli, unsigned flags, struct tm_store **out);

struct tm_matcher;

/* Opens the TM to read (it must exist) and a matcher on it, for the
 * commands that look things up.  On failure returns the exit status;
 * what was opened is in *store and *m for the caller to free. */
int cli_open_matcher(struct cli *cli, struct tm_store **store,
		     struct tm_matcher **m);

/* Opens the TM when it exists; *out is NULL (and 0 returned) when there
 * is none.  For commands that use a TM only if there is one. */
int cli_open_store_quiet(struct cli *cli, struct tm_store **out,
			 struct tolk_err *err);

/* "" when n is 1, else "s": "1 unit", "2 units", "0 units". */
const char *cli_plural(long long n);

/* Checks that a command-line argument is valid UTF-8; returns an exit
 * status (0 when it is). */
int cli_check_utf8(const char *what, const char *arg);

/* Writes the JSON document in j to stdout as one line; returns 0, or
 * the failure exit status after saying what went wrong (the writer ran
 * out of memory or nested too deep: the line would not be valid JSON). */
int cli_json_line(struct tolk_json *j);

/* cli_json_line, then releases j (reset for the next document). */
int cli_json_emit(struct tolk_json *j);

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

/* The commands, in the order `tolk help` lists them.  Adding a command:
 * one X(name) here, and cli/cmd_name.c defining
 * const struct cli_command cli_cmd_name. */
#define CLI_COMMAND_LIST(X)                                                    \
	X(add)                                                                 \
	X(lookup)                                                              \
	X(concordance)                                                         \
	X(delete)                                                              \
	X(stats)                                                               \
	X(import)                                                              \
	X(export)                                                              \
	X(segment)                                                             \
	X(align)                                                               \
	X(glossary)                                                            \
	X(check)                                                               \
	X(pretranslate)                                                        \
	X(analyze)                                                             \
	X(reindex)                                                             \
	X(completion)                                                          \
	X(help)

#define CLI_DECLARE_COMMAND(name)                                              \
	extern const struct cli_command cli_cmd_##name;
CLI_COMMAND_LIST(CLI_DECLARE_COMMAND)
#undef CLI_DECLARE_COMMAND

/* NULL-terminated, in CLI_COMMAND_LIST's order. */
extern const struct cli_command *const cli_commands[];

#endif
