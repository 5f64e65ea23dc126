#include "cli/cli.h"
#include "util/buf.h"
#include "util/lang.h"
#include "util/limit.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_common_option(struct cli *cli, int opt, const char *arg, int *status)
{
	char canon[TOLK_LANG_MAX];

	*status = -1;
	switch (opt) {
	case CLI_OPT_DB:
		if (!*arg) {
			*status = cli_usage_error(cli, "--db needs a path");
			return 1;
		}
		cli->db_path = arg;
		return 1;
	case CLI_OPT_SOURCE_LANG:
	case CLI_OPT_TARGET_LANG:
		if (tolk_lang_canon(arg, canon, sizeof(canon))) {
			*status = cli_usage_error(
			    cli, "--%s: '%s' is not a language tag",
			    opt == CLI_OPT_SOURCE_LANG ? "source-lang"
						       : "target-lang",
			    arg);
			return 1;
		}
		if (opt == CLI_OPT_SOURCE_LANG)
			cli->source_lang = arg;
		else
			cli->target_lang = arg;
		return 1;
	case CLI_OPT_JSON:
		cli->json = 1;
		return 1;
	case CLI_OPT_HELP:
		cli_print_help(cli->cmd, stdout);
		*status = TOLK_EXIT_OK;
		return 1;
	case '?':
		/* getopt has printed what was wrong. */
		fprintf(stderr, "tolk: see 'tolk %s --help'\n", cli->cmd->name);
		*status = TOLK_EXIT_USAGE;
		return 1;
	default:
		return 0;
	}
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

int cli_usage_error(struct cli *cli, const char *fmt, ...)
{
	va_list ap;

	fputs("tolk: ", stderr);
	if (cli->cmd && *cli->cmd->name)
		fprintf(stderr, "%s: ", cli->cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (cli->cmd && *cli->cmd->name)
		fprintf(stderr, "usage: tolk %s %s\n", cli->cmd->name,
			cli->cmd->usage);
	return TOLK_EXIT_USAGE;
}

void cli_print_help(const struct cli_command *cmd, FILE *f)
{
	fprintf(f, "usage: tolk [--db PATH] %s %s\n\n%s\n", cmd->name,
		cmd->usage, cmd->summary);
	if (cmd->help && *cmd->help)
		fprintf(f, "\n%s", cmd->help);
	fputs("\nCommon options:\n"
	      "  --db PATH           translation memory (default $TOLK_DB, "
	      "else\n"
	      "                      $XDG_DATA_HOME/tolk/tolk.db)\n"
	      "  --source-lang L     source language (default nb)\n"
	      "  --target-lang L     target language (default en)\n"
	      "  --help              this help\n",
	      f);
}

int cli_fail(const struct tolk_err *err)
{
	char msg[sizeof(err->msg) + sizeof(err->file) + 64];

	tolk_err_format(err, msg, sizeof(msg));
	fprintf(stderr, "tolk: %s\n", msg);
	return tolk_err_exit_status(err->code);
}

/* The TM location: --db, $TOLK_DB, $XDG_DATA_HOME/tolk/tolk.db,
 * ~/.local/share/tolk/tolk.db.  Returned string is static or from env. */
static const char *default_db(struct tolk_buf *tmp)
{
	const char *v;

	if ((v = getenv("TOLK_DB")) && *v)
		return v;
	if ((v = getenv("XDG_DATA_HOME")) && *v) {
		tolk_buf_printf(tmp, "%s/tolk/tolk.db", v);
		return tolk_buf_str(tmp);
	}
	if ((v = getenv("HOME")) && *v) {
		tolk_buf_printf(tmp, "%s/.local/share/tolk/tolk.db", v);
		return tolk_buf_str(tmp);
	}
	return NULL;
}

int cli_open_store_quiet(struct cli *cli, struct tm_store **out,
			 struct tolk_err *err)
{
	struct tolk_buf tmp = TOLK_BUF_INIT;
	const char *path = cli->db_path;
	struct stat sb;
	int rc = 0;

	*out = NULL;
	if (!path)
		path = default_db(&tmp);
	if (path && stat(path, &sb) == 0)
		rc = tm_store_open(out, path, TM_STORE_MUST_EXIST, err);
	tolk_buf_free(&tmp);
	return rc;
}

int cli_open_store(struct cli *cli, unsigned flags, struct tm_store **out)
{
	struct tolk_buf tmp = TOLK_BUF_INIT;
	struct tolk_err err;
	const char *path = cli->db_path, *v;
	int rc;

	tolk_err_clear(&err);
	if (!path)
		path = default_db(&tmp);
	if (!path) {
		tolk_buf_free(&tmp);
		fputs("tolk: no database: give --db PATH or set TOLK_DB\n",
		      stderr);
		return TOLK_EXIT_USAGE;
	}
	rc = tm_store_open(out, path, flags, &err);
	tolk_buf_free(&tmp);
	if (rc)
		return cli_fail(&err);
	/* seconds to wait for another process's write */
	if ((v = getenv("TOLK_BUSY_TIMEOUT")) && *v) {
		char *end;
		long sec = strtol(v, &end, 10);

		if (*end == '\0' && sec >= 0 && sec <= 86400)
			tm_store_set_busy_timeout(*out, (int)sec * 1000);
	}
	return 0;
}

int cli_check_utf8(const char *what, const char *arg)
{
	size_t bad;

	if (tolk_utf8_valid(arg, strlen(arg), &bad))
		return 0;
	fprintf(stderr, "tolk: %s is not valid UTF-8 (byte %zu)\n", what,
		bad + 1);
	return TOLK_EXIT_USAGE;
}

void cli_json_line(struct tolk_json *j)
{
	fwrite(j->out.data, 1, j->out.len, stdout);
	fputc('\n', stdout);
}

const char *cli_color(const struct cli *cli, const char *sgr)
{
	static char buf[8][16];
	static int next;
	char *b;

	if (!cli->color)
		return "";
	b = buf[next++ % 8];
	snprintf(b, sizeof(buf[0]), "\033[%sm", sgr);
	return b;
}

int cli_read_file(const char *path, char **out, size_t *len,
		  struct tolk_err *err)
{
	struct tolk_buf b = TOLK_BUF_INIT;
	int rc;

	*out = NULL;
	*len = 0;
	if ((rc = tolk_read_file(path, &b, err))) {
		tolk_buf_free(&b);
		return rc;
	}
	*len = b.len;
	*out = tolk_buf_detach(&b);
	return *out ? 0 : tolk_err_set(err, TOLK_ENOMEM, "out of memory");
}
