/* Help text and the manual page, both printed from the command tables:
 * what `tolk help`, `--help` and docs/tolk.1 say about an option is the
 * line in its command's table, so they cannot drift apart. */
#include "cli/cli.h"

#include <string.h>

#define WIDTH	  79
#define HELP_COL  22 /* where an option's help starts */
#define USAGE_COL 7  /* continuation lines of a usage line */

static const char exit_status_text[] =
    "0 success, 1 nothing found (lookup, concordance, glossary find; "
    "delete of an id not stored; export --origin matching nothing) or "
    "findings (check), 2 usage or input error, 3 database, I/O or "
    "internal error (no TM at the path, not a tolk database, a TM "
    "read-only for this user, disk full).  Errors read "
    "'tolk COMMAND: message'.";

void cli_print_wrapped(FILE *f, const char *text, int first_indent, int indent,
		       int width)
{
	const char *p = text;
	int col = first_indent, first = 1;

	while (*p) {
		size_t n;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		n = strcspn(p, " ");
		if (!first && col + 1 + (int)n > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			first = 1;
		}
		if (!first) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, n, f);
		col += (int)n;
		p += n;
		first = 0;
	}
	fputc('\n', f);
}

/* "--name ARG" or "-x, --name ARG" into buf. */
static void option_label(const struct cli_option *o, char *buf, size_t size)
{
	char shortn[8] = "";

	if (o->short_name)
		snprintf(shortn, sizeof(shortn), "-%c, ", o->short_name);
	snprintf(buf, size, "%s--%s%s%s", shortn, o->name, o->arg ? " " : "",
		 o->arg ? o->arg : "");
}

static void print_options(FILE *f, const char *title,
			  const struct cli_option *opts)
{
	const struct cli_option *o;
	char label[128];

	if (!opts || !opts->name)
		return;
	fprintf(f, "\n%s:\n", title);
	for (o = opts; o->name; o++) {
		option_label(o, label, sizeof(label));
		if ((int)strlen(label) + 2 < HELP_COL - 1)
			fprintf(f, "  %-*s", HELP_COL - 2, label);
		else
			fprintf(f, "  %s\n%*s", label, HELP_COL, "");
		cli_print_wrapped(f, o->help, HELP_COL, HELP_COL, WIDTH);
	}
}

/* Prints one word of a usage line, wrapping before it when needed. */
static void usage_word(FILE *f, const char *w, int *col)
{
	int n = (int)strlen(w);

	if (*col + 1 + n > WIDTH) {
		fprintf(f, "\n%*s", USAGE_COL, "");
		*col = USAGE_COL;
	} else {
		fputc(' ', f);
		(*col)++;
	}
	fputs(w, f);
	*col += n;
}

static void print_usage_of(FILE *f, const struct cli_command *parent,
			   const struct cli_command *cmd)
{
	const struct cli_option *o;
	char w[160];
	int col;

	if (cmd == &cli_top) {
		fputs("usage: tolk [--db PATH] [--source-lang L] "
		      "[--target-lang L] COMMAND [OPTIONS] [ARGS]\n",
		      f);
		return;
	}
	col = fprintf(f, "usage: tolk [--db PATH]");
	if (parent)
		usage_word(f, parent->name, &col);
	usage_word(f, cmd->name, &col);
	for (o = cmd->opts; o && o->name; o++) {
		snprintf(w, sizeof(w), "[--%s%s%s]", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
		usage_word(f, w, &col);
	}
	if (cmd->operands && *cmd->operands)
		usage_word(f, cmd->operands, &col);
	fputc('\n', f);
}

void cli_print_usage(const struct cli_command *parent,
		     const struct cli_command *cmd, FILE *f)
{
	print_usage_of(f, parent, cmd);
}

static void print_command_list(FILE *f, const struct cli_command *const *v,
			       size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		fprintf(f, "  %-12s ", v[i]->name);
		cli_print_wrapped(f, v[i]->summary, 15, 15, WIDTH);
	}
}

void cli_print_help(const struct cli_command *parent,
		    const struct cli_command *cmd, FILE *f)
{
	print_usage_of(f, parent, cmd);
	if (cmd == &cli_top) {
		size_t n = 0;

		fprintf(f, "\ntolk: %s\n\nCommands:\n", cmd->summary);
		while (cli_commands[n])
			n++;
		print_command_list(f, cli_commands, n);
		print_options(f, "Options", cmd->opts);
		print_options(f, "Common options (also after the command)",
			      cli_common_opts);
		fputs("\nRun 'tolk help COMMAND' for a command's options.\n"
		      "Exit status: ",
		      f);
		cli_print_wrapped(f, exit_status_text, 13, 0, WIDTH);
		return;
	}
	fprintf(f, "\n%s\n", cmd->summary);
	if (cmd->help && *cmd->help)
		fprintf(f, "\n%s", cmd->help);
	if (cmd->subs) {
		const struct cli_command *s;

		fputs("\nSubcommands:\n", f);
		for (s = cmd->subs; s->name; s++) {
			fprintf(f, "  %-12s ", s->name);
			cli_print_wrapped(f, s->summary, 15, 15, WIDTH);
		}
		fprintf(f,
			"\nRun 'tolk help %s SUBCOMMAND' for a subcommand's "
			"options.\n",
			cmd->name);
	}
	print_options(f, "Options", cmd->opts);
	print_options(f, "Common options", cli_common_opts);
}

/* ---- the manual page ---------------------------------------------------- */

/* Writes s as roff text: backslashes, hyphens (\- stays an ASCII
 * hyphen-minus, which a search for --option finds) and a leading dot or
 * quote escaped.  n is the length, or -1 for all of s. */
static void roff(FILE *f, const char *s, long n)
{
	const char *end = n < 0 ? s + strlen(s) : s + n;
	int bol = 1;

	for (; s < end; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		bol = *s == '\n';
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

/* --name in bold and its value name in italics, as both the synopsis
 * and the option list show them. */
static void man_option_name(FILE *f, const struct cli_option *o)
{
	fputs("\\fB\\-\\-", f);
	roff(f, o->name, -1);
	fputs("\\fR", f);
	if (o->arg) {
		fputs(" \\fI", f);
		roff(f, o->arg, -1);
		fputs("\\fR", f);
	}
}

static void man_option(FILE *f, const struct cli_option *o)
{
	fputs(".TP\n", f);
	if (o->short_name)
		fprintf(f, "\\fB\\-%c\\fR, ", o->short_name);
	man_option_name(f, o);
	fputc('\n', f);
	roff(f, o->help, -1);
	fputc('\n', f);
}

/* The help text: paragraphs split at blank lines; one whose lines are
 * indented is a table and kept as laid out, the others are filled. */
static void man_text(FILE *f, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *end = strstr(p, "\n\n"), *q;
		int laid_out = 0;

		if (!end)
			end = p + strlen(p);
		for (q = p; q < end; q = strchr(q, '\n') + 1) {
			if (*q == ' ')
				laid_out = 1;
			if (!strchr(q, '\n') || strchr(q, '\n') >= end)
				break;
		}
		fputs(laid_out ? ".PP\n.nf\n" : ".PP\n", f);
		roff(f, p, end - p);
		if (end > p && end[-1] != '\n')
			fputc('\n', f);
		if (laid_out)
			fputs(".fi\n", f);
		p = end;
		while (*p == '\n')
			p++;
	}
}

static void man_command(FILE *f, const struct cli_command *parent,
			const struct cli_command *cmd)
{
	const struct cli_option *o;
	const struct cli_command *s;

	fprintf(f, ".SS \"%s%s%s\"\n", parent ? parent->name : "",
		parent ? " " : "", cmd->name);
	fputs(".B tolk", f);
	if (parent)
		fprintf(f, " %s", parent->name);
	fprintf(f, " %s\n", cmd->name);
	for (o = cmd->opts; o && o->name; o++) {
		fputc('[', f);
		man_option_name(f, o);
		fputs("]\n", f);
	}
	if (cmd->operands && *cmd->operands) {
		fputs("\\fI", f);
		roff(f, cmd->operands, -1);
		fputs("\\fR\n", f);
	}
	fputs(".PP\n", f);
	roff(f, cmd->summary, -1);
	fputc('\n', f);
	if (cmd->help && *cmd->help)
		man_text(f, cmd->help);
	if (cmd->opts && cmd->opts->name) {
		fputs(".PP\nOptions:\n.RS\n", f);
		for (o = cmd->opts; o->name; o++)
			man_option(f, o);
		fputs(".RE\n", f);
	}
	for (s = cmd->subs; s && s->name; s++)
		man_command(f, cmd, s);
}

void cli_print_man(FILE *f)
{
	const struct cli_command *const *c;
	const struct cli_option *o;

	fputs(".\\\" Generated by 'tolk help --man' (make man) from the "
	      "command tables in cli/.\n",
	      f);
	fprintf(f, ".TH TOLK 1 \"\" \"tolk %s\" \"User Commands\"\n",
		TOLK_VERSION);
	fputs(".nh\n.ad l\n.SH NAME\ntolk \\- ", f);
	roff(f, cli_top.summary, (long)strcspn(cli_top.summary, "."));
	fputs("\n.SH SYNOPSIS\n.B tolk\n"
	      "[\\fB\\-\\-db\\fR \\fIPATH\\fR]\n"
	      "[\\fB\\-\\-source\\-lang\\fR \\fIL\\fR]\n"
	      "[\\fB\\-\\-target\\-lang\\fR \\fIL\\fR]\n"
	      "\\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n"
	      ".SH DESCRIPTION\n",
	      f);
	man_text(f, cli_top.help);
	fputs(".SH OPTIONS\nThese options are accepted before the command "
	      "and after it.\n",
	      f);
	for (o = cli_top.opts; o && o->name; o++)
		man_option(f, o);
	for (o = cli_common_opts; o->name; o++)
		man_option(f, o);
	fputs(".SH COMMANDS\n", f);
	for (c = cli_commands; *c; c++)
		man_command(f, NULL, *c);
	fputs(".SH ENVIRONMENT\n"
	      ".TP\n.B TOLK_DB\nDefault database path.\n"
	      ".TP\n.B XDG_DATA_HOME\nThe default database is "
	      "\\fI$XDG_DATA_HOME/tolk/tolk.db\\fR when TOLK_DB is unset.\n"
	      ".TP\n.B TOLK_BUSY_TIMEOUT\nSeconds a write waits for another "
	      "process's write to finish (default 60); an import holds the "
	      "database for its whole run.\n"
	      ".TP\n.B NO_COLOR\nDisables colour.\n"
	      ".SH EXIT STATUS\n",
	      f);
	roff(f, exit_status_text, -1);
	fputs("\n.SH SEE ALSO\nThe README of the tolk sources.\n", f);
}
