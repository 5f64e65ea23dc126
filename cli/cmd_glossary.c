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
	tolk_json_kv_str(j, "note", e->note);
	tolk_json_kv_bool(j, "case_sensitive", e->case_sensitive);
	tolk_json_kv_str(j, "pos", e->pos);
	tolk_json_kv_str(j, "domain", e->domain);
	tolk_json_kv_str(j, "created", e->created);
	tolk_json_kv_str(j, "modified", e->modified);
	tolk_json_obj_end(j);
}

/* ---- add ---------------------------------------------------------------- */

static const struct cli_option add_opts[] = {
    {"alt", 0, OPT_ALT, "T", "another approved translation (repeatable)"},
    {"forbid", 0, OPT_FORBID, "V", "a variant never to be used (repeatable)"},
    {"except", 0, OPT_EXCEPT, "PHRASE",
     "a phrase in which the term has another sense and is not a hit "
     "(rett og slett); honoured by find and check (repeatable)"},
    {"note", 0, OPT_NOTE, "N", "a note shown with the term"},
    {"case-sensitive", 0, OPT_CASE, NULL,
     "match the term only as written (the default for terms in "
     "capitals, such as NTB)"},
    {"ignore-case", 0, OPT_NOCASE, NULL, "match the term in any case"},
    {"pos", 0, OPT_POS, "P", "part of speech"},
    {"domain", 0, OPT_DOMAIN, "D", "subject field"},
    CLI_OPTION_JSON("print the stored entry as JSON"),
    {NULL, 0, 0, NULL, NULL},
};

/* Applies one option of glossary add to e; returns 0, or an error code
 * with err set. */
static int add_opt(struct gl_entry *e, int opt, const char *arg, int *case_rule,
		   struct tolk_err *err)
{
	switch (opt) {
	case OPT_FORBID:
		return gl_entry_add_forbidden(e, arg, err);
	case OPT_EXCEPT:
		return gl_entry_add_except(e, arg, err);
	case OPT_NOTE:
		return gl_entry_set_str(&e->note, arg, err);
	case OPT_POS:
		return gl_entry_set_str(&e->pos, arg, err);
	case OPT_DOMAIN:
		return gl_entry_set_str(&e->domain, arg, err);
	case OPT_CASE:
		*case_rule = 1;
		return 0;
	case OPT_NOCASE:
		*case_rule = 0;
		return 0;
	default:
		/* --alt is taken after the main translation: see sub_add */
		return 0;
	}
}

static int sub_add(struct cli *cli, int argc, char **argv)
{
	struct tm_store *store = NULL;
	struct cli_args a;
	struct gl_entry e;
	struct tolk_err err;
	int status = 0, replaced = 0, i, opt, case_rule = -1;

	tolk_err_clear(&err);
	gl_entry_init(&e);
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0) {
		if (add_opt(&e, opt, a.arg, &case_rule, &err)) {
			status = cli_usage_error(cli, "%s", err.msg);
			goto done;
		}
	}
	if (opt < 0) {
		status = a.status;
		goto done;
	}
	if (argc - a.ind != 2) {
		status = cli_usage_error(cli, "glossary add needs TERM and "
					      "TRANSLATION");
		goto done;
	}
	for (i = 0; i < argc; i++)
		if ((status = cli_check_utf8("argument", argv[i])))
			goto done;
	if (gl_entry_set_term(&e, argv[a.ind], &err) ||
	    gl_entry_add_approved(&e, argv[a.ind + 1], &err)) {
		status = cli_usage_error(cli, "%s", err.msg);
		goto done;
	}
	/* the alternatives come after the preferred rendering */
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0)
		if (opt == OPT_ALT && gl_entry_add_approved(&e, a.arg, &err)) {
			status = cli_usage_error(cli, "--alt: %s", err.msg);
			goto done;
		}
	e.case_sensitive =
	    case_rule >= 0 ? case_rule : gl_term_default_case(e.term);
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
		status = cli_json_emit(&j);
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
		int rc;

		tolk_json_init(&j);
		json_entry(&j, e);
		rc = cli_json_emit(&j);
		return rc;
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

static const struct cli_option list_opts[] = {
    CLI_OPTION_JSON("one JSON object per entry"),
    {NULL, 0, 0, NULL, NULL},
};

static int sub_list(struct cli *cli, int argc, char **argv)
{
	struct tm_store *store = NULL;
	struct cli_args a;
	struct tolk_err err;
	int status, rc;

	tolk_err_clear(&err);
	if (cli_args_parse(&a, cli, argc, argv, 0, 0,
			   "glossary list takes no arguments"))
		return a.status;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST | TM_STORE_READ,
				     &store)))
		return status;
	if ((rc = gl_term_foreach(store, list_cb, cli, &err)))
		status = rc > 0 ? rc : cli_fail(&err);
	tm_store_close(store);
	return status;
}

/* ---- remove ------------------------------------------------------------- */

static int sub_remove(struct cli *cli, int argc, char **argv)
{
	struct tm_store *store = NULL;
	struct cli_args a;
	struct tolk_err err;
	int status = 0, i;

	tolk_err_clear(&err);
	if (cli_args_parse(&a, cli, argc, argv, 1, -1,
			   "glossary remove needs a TERM"))
		return a.status;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		return status;
	for (i = a.ind; i < argc && !status; i++) {
		if ((status = cli_check_utf8("TERM", argv[i])))
			break;
		if (gl_term_remove(store, argv[i], &err)) {
			status =
			    err.code == TOLK_ENOTFOUND
				? (cli_error("%s", err.msg), TOLK_EXIT_NONE)
				: cli_fail(&err);
			break;
		}
		printf("removed '%s'\n", argv[i]);
	}
	tm_store_close(store);
	return status;
}

/* ---- import / export ---------------------------------------------------- */

static const struct cli_option format_opts[] = {
    {"format", 0, OPT_FORMAT, "tsv|tbx",
     "the file's format (default: by its extension: .tbx; .tsv .txt "
     ".tab)"},
    {NULL, 0, 0, NULL, NULL},
};

/* Parses the options of glossary import and export, which both take one
 * FILE (missing says what they are told without it); returns -1 to go
 * on, else the exit status to stop with. */
static int parse_format(struct cli *cli, struct cli_args *a, int argc,
			char **argv, enum gl_format *fmt, const char *missing)
{
	struct tolk_err err;
	int opt;

	cli_args_init(a, cli, argc, argv);
	while ((opt = cli_next_option(a)) > 0)
		if (opt == OPT_FORMAT && gl_format_parse(a->arg, fmt, &err))
			return cli_usage_error(cli, "--format: %s", err.msg);
	if (opt < 0)
		return a->status;
	if (argc - a->ind != 1)
		return cli_usage_error(cli, "%s", missing);
	return -1;
}

static int sub_import(struct cli *cli, int argc, char **argv)
{
	enum gl_format fmt = GL_FORMAT_AUTO;
	struct cli_args a;
	struct tm_store *store = NULL;
	struct gl_entry *v = NULL;
	struct tolk_err err;
	size_t n = 0, i, replaced = 0;
	int status;

	tolk_err_clear(&err);
	if ((status = parse_format(cli, &a, argc, argv, &fmt,
				   "glossary import needs one FILE")) >= 0)
		return status;
	if (gl_file_read(argv[a.ind], fmt, cli->source_lang, cli->target_lang,
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
	printf("imported %zu term%s (%zu new, %zu updated)\n", n,
	       cli_plural((long long)n), n - replaced, replaced);
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
	enum gl_format fmt = GL_FORMAT_AUTO;
	struct cli_args a;
	struct tm_store *store = NULL;
	struct gl_entry *v = NULL;
	struct tolk_err err;
	size_t n = 0;
	int status;

	tolk_err_clear(&err);
	if ((status = parse_format(cli, &a, argc, argv, &fmt,
				   "glossary export needs one FILE "
				   "('-' for standard output)")) >= 0)
		return status;
	/* a name tells the format; standard output has none, and TSV is
	 * what a pipe to grep or cut wants */
	if (fmt == GL_FORMAT_AUTO && strcmp(argv[a.ind], "-") == 0)
		fmt = GL_FORMAT_TSV;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST | TM_STORE_READ,
				     &store)))
		return status;
	if (gl_term_load(store, &v, &n, &err) ||
	    gl_file_write(argv[a.ind], fmt, cli->source_lang, cli->target_lang,
			  v, n, &err))
		status = cli_fail(&err);
	else if (strcmp(argv[a.ind], "-") != 0)
		printf("exported %zu term%s to '%s'\n", n,
		       cli_plural((long long)n), argv[a.ind]);
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

static const struct cli_option find_opts[] = {
    {"compounds", 0, OPT_COMPOUNDS, NULL,
     "also find terms inside compounds (kommune in kommunestyre)"},
    CLI_OPTION_JSON("one JSON object per term found"),
    {NULL, 0, 0, NULL, NULL},
};

static int sub_find(struct cli *cli, int argc, char **argv)
{
	struct cli_args ca;
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
	int status, opt;

	tolk_err_clear(&err);
	cli_args_init(&ca, cli, argc, argv);
	while ((opt = cli_next_option(&ca)) > 0)
		if (opt == OPT_COMPOUNDS)
			flags = GL_FIND_COMPOUNDS;
	if (opt < 0)
		return ca.status;
	if (argc - ca.ind != 1)
		return cli_usage_error(cli, "glossary find needs TEXT or -");
	if (strcmp(argv[ca.ind], "-") == 0) {
		if (cli_read_file("-", &input, &len, &err))
			return cli_fail(&err);
	} else {
		if (!(input = strdup(argv[ca.ind])))
			return TOLK_EXIT_FAILURE;
		len = strlen(input);
	}
	if ((status = cli_check_utf8("TEXT", input)))
		goto done;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST | TM_STORE_READ,
				     &store)))
		goto done;
	if (gl_term_load(store, &v, &n, &err) ||
	    gl_matcher_new(&m, GL_LANG_NB, &err) || gl_text_new(&t, &err))
		goto fail;
	for (i = 0; i < n; i++)
		if (gl_entry_to_matcher(m, &v[i], i, &err))
			goto fail;
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
			tolk_json_kv_str(&j, "note", e->note);
			tolk_json_obj_end(&j);
			status = cli_json_emit(&j);
			if (status)
				goto done;
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

static const struct cli_command subs[] = {
    {"add", sub_add, "Add or replace the entry for a Norwegian term.",
     "TERM TRANSLATION",
     "Stores TERM with its preferred TRANSLATION; --alt gives other\n"
     "approved renderings and --forbid variants never to be used.  An\n"
     "entry for the same term is replaced.  Terms in capitals (NTB) are\n"
     "case-sensitive unless --ignore-case is given.\n",
     add_opts, NULL, 0},
    {"list", sub_list, "List every entry.", "", "", list_opts, NULL, 0},
    {"remove", sub_remove, "Delete entries.", "TERM...",
     "Removes the entries of the TERMs; exit status 1 when one is not\n"
     "in the glossary.\n",
     NULL, NULL, 0},
    {"import", sub_import, "Read a TBX-Basic or OmegaT TSV glossary.", "FILE",
     "An entry replaces the one with the same term; all or nothing, bad\n"
     "rows reported as FILE:LINE:COL (exit 2).  TSV columns after the\n"
     "comment are tolk's: forbid=V except=PHRASE case=sensitive|insensitive\n"
     "pos=P "
     "domain=D created=YYYY-MM-DD modified=...\n",
     format_opts, NULL, CLI_FILES},
    {"export", sub_export, "Write the glossary out as TBX or TSV.", "FILE|-",
     "'-' writes to standard output, as TSV unless --format tbx is\n"
     "given.\n",
     format_opts, NULL, CLI_FILES},
    {"find", sub_find, "Find the terms in a Norwegian text.", "TEXT|-",
     "Lists the terms in TEXT (or standard input with -), with\n"
     "line:col and approved renderings; exit status 1 when there are\n"
     "none.\n",
     find_opts, NULL, 0},
    {NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0},
};

static int run(struct cli *cli, int argc, char **argv)
{
	const struct cli_command *s;
	const struct cli_command *self = cli->cmd;
	struct cli_args a;

	if (cli_args_parse(&a, cli, argc, argv, 1, -1, "needs a subcommand"))
		return a.status;
	if (strcmp(argv[a.ind], "help") == 0) {
		cli_print_help(NULL, self, stdout);
		return TOLK_EXIT_OK;
	}
	for (s = subs; s->name; s++) {
		if (strcmp(argv[a.ind], s->name) != 0)
			continue;
		cli_set_command(cli, self, s);
		return s->fn(cli, argc - a.ind, argv + a.ind);
	}
	return cli_usage_error(cli, "unknown subcommand '%s'", argv[a.ind]);
}

const struct cli_command cli_cmd_glossary = {
    "glossary",
    run,
    "Keep the glossary (term base).",
    "SUBCOMMAND [OPTIONS] [ARGS]",
    "Matching: inflected forms count (statsministeren, Stortingets,\n"
    "statsministre); a term inside a compound does not (kommune in\n"
    "kommunestyre) unless --compounds is given; longest term first.\n",
    NULL,
    subs,
    0,
};
