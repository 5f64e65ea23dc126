#include "cli/cli.h"
#include "glossary/glossary.h"
#include "glossary/termmatch.h"

#include <stdlib.h>
#include <string.h>

enum {
	OPT_ALT = CLI_OPT_FIRST_LOCAL,
	OPT_FORBID,
	OPT_NOTE,
	OPT_CASE,
	OPT_NOCASE,
	OPT_POS,
	OPT_DOMAIN,
	OPT_FORMAT,
	OPT_COMPOUNDS,
	OPT_EXCEPT,
};

/* Parses the common options and those in opts; returns -1 to go on, else
 * an exit status.  Unknown local options are handed to fn. */
typedef int (*opt_fn)(void *ctx, int opt, const char *arg);

static int parse(struct cli *cli, int argc, char **argv,
		 const struct option *opts, opt_fn fn, void *ctx)
{
	int opt, status;

	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_common_option(cli, opt, optarg, &status)) {
			if (status >= 0)
				return status;
			continue;
		}
		if (opt == CLI_OPT_JSON) {
			cli->json = 1;
			continue;
		}
		if (fn && (status = fn(ctx, opt, optarg)) >= 0)
			return status;
	}
	return -1;
}

static void json_list(struct tolk_json *j, const char *key, char **v, size_t n)
{
	size_t i;

	tolk_json_key(j, key);
	tolk_json_arr_begin(j);
	for (i = 0; i < n; i++)
		tolk_json_str(j, v[i]);
	tolk_json_arr_end(j);
}

static void json_entry(struct tolk_json *j, const struct gl_entry *e)
{
	tolk_json_obj_begin(j);
	tolk_json_kv_int(j, "id", e->id);
	tolk_json_kv_str(j, "term", e->term);
	json_list(j, "approved", e->approved, e->napproved);
	json_list(j, "forbidden", e->forbidden, e->nforbidden);
	json_list(j, "except", e->except, e->nexcept);
	tolk_json_key(j, "note");
	if (e->note)
		tolk_json_str(j, e->note);
	else
		tolk_json_null(j);
	tolk_json_kv_bool(j, "case_sensitive", e->case_sensitive);
	tolk_json_key(j, "pos");
	if (e->pos)
		tolk_json_str(j, e->pos);
	else
		tolk_json_null(j);
	tolk_json_key(j, "domain");
	if (e->domain)
		tolk_json_str(j, e->domain);
	else
		tolk_json_null(j);
	tolk_json_kv_str(j, "created", e->created);
	tolk_json_kv_str(j, "modified", e->modified);
	tolk_json_obj_end(j);
}

/* ---- add ---------------------------------------------------------------- */

struct add_ctx {
	struct cli *cli;
	struct gl_entry *e;
	struct tolk_err *err;
	int case_rule; /* -1 default */
	int failed;
};

static int add_opt(void *ctx, int opt, const char *arg)
{
	struct add_ctx *a = ctx;
	int rc = 0;

	switch (opt) {
	case OPT_ALT:
		/* kept for after the main translation: see cmd */
		return -1;
	case OPT_FORBID:
		rc = gl_entry_add_forbidden(a->e, arg, a->err);
		break;
	case OPT_EXCEPT:
		rc = gl_entry_add_except(a->e, arg, a->err);
		break;
	case OPT_NOTE:
		rc = gl_entry_set_str(&a->e->note, arg, a->err);
		break;
	case OPT_POS:
		rc = gl_entry_set_str(&a->e->pos, arg, a->err);
		break;
	case OPT_DOMAIN:
		rc = gl_entry_set_str(&a->e->domain, arg, a->err);
		break;
	case OPT_CASE:
		a->case_rule = 1;
		break;
	case OPT_NOCASE:
		a->case_rule = 0;
		break;
	default:
		return -1;
	}
	if (rc) {
		fprintf(stderr, "tolk: glossary add: %s\n", a->err->msg);
		return TOLK_EXIT_USAGE;
	}
	return -1;
}

static int sub_add(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"alt", required_argument, NULL, OPT_ALT},
	    {"forbid", required_argument, NULL, OPT_FORBID},
	    {"except", required_argument, NULL, OPT_EXCEPT},
	    {"note", required_argument, NULL, OPT_NOTE},
	    {"case-sensitive", no_argument, NULL, OPT_CASE},
	    {"ignore-case", no_argument, NULL, OPT_NOCASE},
	    {"pos", required_argument, NULL, OPT_POS},
	    {"domain", required_argument, NULL, OPT_DOMAIN},
	    {"json", no_argument, NULL, CLI_OPT_JSON},
	    {NULL, 0, NULL, 0},
	};
	struct tm_store *store = NULL;
	struct gl_entry e;
	struct tolk_err err;
	struct add_ctx a = {cli, &e, &err, -1, 0};
	int status, replaced = 0, i;

	tolk_err_clear(&err);
	gl_entry_init(&e);
	if ((status = parse(cli, argc, argv, opts, add_opt, &a)) >= 0)
		goto done;
	status = 0;
	if (argc - optind != 2) {
		status = cli_usage_error(cli, "glossary add needs TERM and "
					      "TRANSLATION");
		goto done;
	}
	for (i = 0; i < argc; i++)
		if ((status = cli_check_utf8("argument", argv[i])))
			goto done;
	if (gl_entry_set_term(&e, argv[optind], &err) ||
	    gl_entry_add_approved(&e, argv[optind + 1], &err)) {
		status = cli_usage_error(cli, "%s", err.msg);
		goto done;
	}
	/* the alternatives come after the preferred rendering */
	optind = 0;
	while ((i = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (i == OPT_ALT && gl_entry_add_approved(&e, optarg, &err)) {
			status = cli_usage_error(cli, "--alt: %s", err.msg);
			goto done;
		}
	e.case_sensitive =
	    a.case_rule >= 0 ? a.case_rule : gl_term_default_case(e.term);
	if ((status = cli_open_store(cli, 0, &store)))
		goto done;
	if (gl_term_put(store, &e, &replaced, &err)) {
		status = cli_fail(&err);
		goto done;
	}
	if (cli->json) {
		struct tolk_json j;

		tolk_json_init(&j);
		json_entry(&j, &e);
		cli_json_line(&j);
		tolk_json_release(&j);
	} else {
		printf("%s '%s'\n", replaced ? "updated" : "added", e.term);
	}
done:
	gl_entry_release(&e);
	tm_store_close(store);
	return status;
}

/* ---- list --------------------------------------------------------------- */

static int list_cb(void *ctx, const struct gl_entry *e)
{
	struct cli *cli = ctx;
	size_t i;

	if (cli->json) {
		struct tolk_json j;

		tolk_json_init(&j);
		json_entry(&j, e);
		cli_json_line(&j);
		tolk_json_release(&j);
		return 0;
	}
	printf("%s%s%s\t", cli_color(cli, CLI_BOLD), e->term,
	       cli_color(cli, CLI_RESET));
	for (i = 0; i < e->napproved; i++)
		printf("%s%s", i ? "; " : "", e->approved[i]);
	for (i = 0; i < e->nforbidden; i++)
		printf("%s%s%s%s",
		       i ? ", " : "  (not: ", cli_color(cli, CLI_RED),
		       e->forbidden[i], cli_color(cli, CLI_RESET));
	if (e->nforbidden)
		putchar(')');
	for (i = 0; i < e->nexcept; i++)
		printf("%s\"%s\"%s", i ? ", " : "  (except: ", e->except[i],
		       i + 1 == e->nexcept ? ")" : "");
	if (e->case_sensitive)
		printf("  [case-sensitive]");
	if (e->note)
		printf("  %s# %s%s", cli_color(cli, CLI_DIM), e->note,
		       cli_color(cli, CLI_RESET));
	putchar('\n');
	return 0;
}

static int sub_list(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"json", no_argument, NULL, CLI_OPT_JSON},
	    {NULL, 0, NULL, 0},
	};
	struct tm_store *store = NULL;
	struct tolk_err err;
	int status;

	tolk_err_clear(&err);
	if ((status = parse(cli, argc, argv, opts, NULL, NULL)) >= 0)
		return status;
	if (argc != optind)
		return cli_usage_error(cli, "glossary list takes no arguments");
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		return status;
	if (gl_term_foreach(store, list_cb, cli, &err))
		status = cli_fail(&err);
	tm_store_close(store);
	return status;
}

/* ---- remove ------------------------------------------------------------- */

static int sub_remove(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {NULL, 0, NULL, 0},
	};
	struct tm_store *store = NULL;
	struct tolk_err err;
	int status, i;

	tolk_err_clear(&err);
	if ((status = parse(cli, argc, argv, opts, NULL, NULL)) >= 0)
		return status;
	if (argc == optind)
		return cli_usage_error(cli, "glossary remove needs a TERM");
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		return status;
	for (i = optind; i < argc && !status; i++) {
		if ((status = cli_check_utf8("TERM", argv[i])))
			break;
		if (gl_term_remove(store, argv[i], &err)) {
			status = err.code == TOLK_ENOTFOUND
				     ? (fprintf(stderr, "tolk: %s\n", err.msg),
					TOLK_EXIT_NONE)
				     : cli_fail(&err);
			break;
		}
		printf("removed '%s'\n", argv[i]);
	}
	tm_store_close(store);
	return status;
}

/* ---- import / export ---------------------------------------------------- */

static int format_opt(void *ctx, int opt, const char *arg)
{
	enum gl_format *fmt = ctx;
	struct tolk_err err;

	if (opt != OPT_FORMAT)
		return -1;
	if (gl_format_parse(arg, fmt, &err)) {
		fprintf(stderr, "tolk: glossary: --format: %s\n", err.msg);
		return TOLK_EXIT_USAGE;
	}
	return -1;
}

static int sub_import(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {NULL, 0, NULL, 0},
	};
	enum gl_format fmt = GL_FORMAT_AUTO;
	struct tm_store *store = NULL;
	struct gl_entry *v = NULL;
	struct tolk_err err;
	size_t n = 0, i, replaced = 0;
	int status;

	tolk_err_clear(&err);
	if ((status = parse(cli, argc, argv, opts, format_opt, &fmt)) >= 0)
		return status;
	if (argc - optind != 1)
		return cli_usage_error(cli, "glossary import needs one FILE");
	if (gl_file_read(argv[optind], fmt, cli->source_lang, cli->target_lang,
			 &v, &n, &err))
		return cli_fail(&err);
	if ((status = cli_open_store(cli, 0, &store)))
		goto done;
	if (tm_store_begin(store, &err))
		goto fail;
	for (i = 0; i < n; i++) {
		int r = 0;

		if (gl_term_put(store, &v[i], &r, &err)) {
			tm_store_rollback(store);
			goto fail;
		}
		replaced += (size_t)r;
	}
	if (tm_store_commit(store, &err)) {
		tm_store_rollback(store);
		goto fail;
	}
	printf("imported %zu terms (%zu new, %zu updated)\n", n, n - replaced,
	       replaced);
	goto done;
fail:
	status = cli_fail(&err);
done:
	gl_entries_free(v, n);
	tm_store_close(store);
	return status;
}

static int sub_export(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {NULL, 0, NULL, 0},
	};
	enum gl_format fmt = GL_FORMAT_AUTO;
	struct tm_store *store = NULL;
	struct gl_entry *v = NULL;
	struct tolk_err err;
	size_t n = 0;
	int status;

	tolk_err_clear(&err);
	if ((status = parse(cli, argc, argv, opts, format_opt, &fmt)) >= 0)
		return status;
	if (argc - optind != 1)
		return cli_usage_error(cli, "glossary export needs one FILE "
					    "('-' with --format for stdout)");
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		return status;
	if (gl_term_load(store, &v, &n, &err) ||
	    gl_file_write(argv[optind], fmt, cli->source_lang, cli->target_lang,
			  v, n, &err))
		status = cli_fail(&err);
	else if (strcmp(argv[optind], "-") != 0)
		printf("exported %zu terms to '%s'\n", n, argv[optind]);
	gl_entries_free(v, n);
	tm_store_close(store);
	return status;
}

/* ---- find --------------------------------------------------------------- */

/* Moves a (byte offset, code point, line, column) cursor forward to off;
 * hits come in text order, so the text is walked once. */
struct cursor {
	size_t off, cp, line, col;
};

static void advance(const char *s, size_t off, struct cursor *c)
{
	for (; c->off < off; c->off++) {
		if (((unsigned char)s[c->off] & 0xc0) == 0x80)
			continue;
		c->cp++;
		if (s[c->off] == '\n') {
			c->line++;
			c->col = 1;
		} else {
			c->col++;
		}
	}
}

static int compounds_opt(void *ctx, int opt, const char *arg)
{
	(void)arg;
	if (opt == OPT_COMPOUNDS)
		*(unsigned *)ctx = GL_FIND_COMPOUNDS;
	return -1;
}

static int sub_find(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"json", no_argument, NULL, CLI_OPT_JSON},
	    {"compounds", no_argument, NULL, OPT_COMPOUNDS},
	    {NULL, 0, NULL, 0},
	};
	struct tm_store *store = NULL;
	struct gl_matcher *m = NULL;
	struct gl_text *t = NULL;
	struct gl_hits hits = {0};
	struct gl_entry *v = NULL;
	struct tolk_err err;
	struct cursor cur = {0, 0, 1, 1}, end;
	char *input = NULL;
	size_t n = 0, len, i;
	unsigned flags = 0;
	int status;

	tolk_err_clear(&err);
	if ((status = parse(cli, argc, argv, opts, compounds_opt, &flags)) >= 0)
		return status;
	if (argc - optind != 1)
		return cli_usage_error(cli, "glossary find needs TEXT or -");
	if (strcmp(argv[optind], "-") == 0) {
		if (cli_read_file("-", &input, &len, &err))
			return cli_fail(&err);
	} else {
		if (!(input = strdup(argv[optind])))
			return TOLK_EXIT_FAILURE;
		len = strlen(input);
	}
	if ((status = cli_check_utf8("TEXT", input)))
		goto done;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		goto done;
	if (gl_term_load(store, &v, &n, &err) ||
	    gl_matcher_new(&m, GL_LANG_NB, &err) || gl_text_new(&t, &err))
		goto fail;
	for (i = 0; i < n; i++) {
		enum gl_case cs =
		    v[i].case_sensitive ? GL_CASE_EXACT : GL_CASE_ANY;
		int rc = gl_matcher_add(m, v[i].term, cs, i, &err);
		size_t k;

		if (rc && rc != TOLK_EINPUT)
			goto fail;
		for (k = 0; k < v[i].nexcept; k++) {
			rc = gl_matcher_add_except(m, v[i].except[k], cs, i,
						   &err);
			if (rc && rc != TOLK_EINPUT)
				goto fail;
		}
	}
	if (gl_text_set(t, input, len, &err) ||
	    gl_matcher_find(m, t, flags, &hits, &err))
		goto fail;
	for (i = 0; i < hits.n; i++) {
		const struct gl_hit *h = &hits.v[i];
		const struct gl_entry *e = &v[h->tag];
		const char *s = gl_text_str(t);
		size_t a, b, line, col, k;

		advance(s, h->start, &cur);
		a = cur.cp;
		line = cur.line;
		col = cur.col;
		end = cur;
		advance(s, h->end, &end);
		b = end.cp;
		if (cli->json) {
			struct tolk_json j;

			tolk_json_init(&j);
			tolk_json_obj_begin(&j);
			tolk_json_kv_str(&j, "term", e->term);
			tolk_json_key(&j, "found");
			tolk_json_strn(&j, s + h->start, h->end - h->start);
			tolk_json_kv_int(&j, "start", (int64_t)a);
			tolk_json_kv_int(&j, "end", (int64_t)b);
			tolk_json_kv_int(&j, "line", (int64_t)line);
			tolk_json_kv_int(&j, "col", (int64_t)col);
			json_list(&j, "approved", e->approved, e->napproved);
			json_list(&j, "forbidden", e->forbidden, e->nforbidden);
			tolk_json_key(&j, "note");
			if (e->note)
				tolk_json_str(&j, e->note);
			else
				tolk_json_null(&j);
			tolk_json_obj_end(&j);
			cli_json_line(&j);
			tolk_json_release(&j);
			continue;
		}
		printf("%zu:%zu\t%s%.*s%s\t%s\t", line, col,
		       cli_color(cli, CLI_BOLD), (int)(h->end - h->start),
		       s + h->start, cli_color(cli, CLI_RESET), e->term);
		for (k = 0; k < e->napproved; k++)
			printf("%s%s%s%s", k ? "; " : "",
			       cli_color(cli, CLI_GREEN), e->approved[k],
			       cli_color(cli, CLI_RESET));
		for (k = 0; k < e->nforbidden; k++)
			printf("%s%s", k ? ", " : "  (not: ", e->forbidden[k]);
		if (e->nforbidden)
			putchar(')');
		putchar('\n');
	}
	status = hits.n ? TOLK_EXIT_OK : TOLK_EXIT_NONE;
	goto done;
fail:
	status = cli_fail(&err);
done:
	gl_hits_release(&hits);
	gl_text_free(t);
	gl_matcher_free(m);
	gl_entries_free(v, n);
	tm_store_close(store);
	free(input);
	return status;
}

/* ---- dispatch ----------------------------------------------------------- */

static const struct {
	const char *name;
	int (*fn)(struct cli *cli, int argc, char **argv);
} subs[] = {
    {"add", sub_add},	    {"list", sub_list},	    {"remove", sub_remove},
    {"import", sub_import}, {"export", sub_export}, {"find", sub_find},
};

CLI_COMMAND(glossary)
{
	static char progname[64];
	size_t i;

	if (argc < 2) {
		cli_usage_error(cli, "needs a subcommand");
		return TOLK_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
		cli_print_help(cli->cmd, stdout);
		return TOLK_EXIT_OK;
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		if (strcmp(argv[1], subs[i].name) != 0)
			continue;
		snprintf(progname, sizeof(progname), "tolk glossary %s",
			 subs[i].name);
		argv[1] = progname;
		optind = 0;
		return subs[i].fn(cli, argc - 1, argv + 1);
	}
	return cli_usage_error(cli, "unknown subcommand '%s'", argv[1]);
}
