#include "cli/cli.h"
#include "tm/match.h"
#include "util/buf.h"
#include "util/lang.h"
#include "util/limit.h"
#include "util/utf8.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cli_fail(const struct tolk_err *err)
{
	char msg[sizeof(err->msg) + sizeof(err->file) + 64];

	tolk_err_format(err, msg, sizeof(msg));
	cli_error("%s", msg);
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

int cli_open_matcher(struct cli *cli, struct tm_store **store,
		     struct tm_matcher **m)
{
	struct tolk_err err;
	int status;

	tolk_err_clear(&err);
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST | TM_STORE_READ,
				     store)))
		return status;
	if (tm_matcher_new(m, *store, &err))
		return cli_fail(&err);
	return 0;
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
	else if (path && tm_store_is_server(path)) {
		rc = tm_store_open(out, path,
				   TM_STORE_MUST_EXIST | TM_STORE_READ, err);
		/* a database without a TM yet is what a missing file is */
		if (rc == TOLK_EINPUT &&
		    strncmp(err->msg, "no translation memory", 21) == 0) {
			tolk_err_clear(err);
			rc = 0;
		}
	}
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
		cli_error("no database: give --db PATH or set TOLK_DB");
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

const char *cli_plural(long long n)
{
	return n == 1 ? "" : "s";
}

int cli_check_utf8(const char *what, const char *arg)
{
	size_t bad;

	if (tolk_utf8_valid(arg, strlen(arg), &bad))
		return 0;
	cli_error("%s is not valid UTF-8 (byte %zu)", what, bad + 1);
	return TOLK_EXIT_USAGE;
}

int cli_json_line(struct tolk_json *j)
{
	/* a failed writer holds a truncated document: printing it would
	 * hand the reader invalid JSON as if all were well */
	if (j->failed) {
		cli_error("cannot write JSON output: out of memory or nested "
			  "deeper than %d",
			  TOLK_JSON_MAX_DEPTH);
		return TOLK_EXIT_FAILURE;
	}
	fwrite(j->out.data, 1, j->out.len, stdout);
	fputc('\n', stdout);
	return 0;
}

int cli_json_emit(struct tolk_json *j)
{
	int status = cli_json_line(j);

	tolk_json_release(j);
	return status;
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
