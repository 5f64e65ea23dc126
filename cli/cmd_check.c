#include "cli/cli.h"
#include "tm/tmx.h"
#include "glossary/check.h"
#include "glossary/glossary.h"

#include <stdlib.h>
#include <string.h>

enum {
	OPT_KINDS = CLI_OPT_FIRST_LOCAL,
	OPT_TM,
	OPT_GLOSSARY,
	OPT_PAIR,
	OPT_COMPOUNDS,
};

struct check_ctx {
	struct cli *cli;
	struct gl_check *check;
	struct tolk_json j;
};

/* text with [a,b) highlighted: colour on a terminal, else brackets */
static void print_marked(struct cli *cli, const char *label, const char *s,
			 size_t a, size_t b, const char *colour)
{
	printf("  %s: ", label);
	if (a >= b) {
		printf("%s\n", s);
		return;
	}
	if (cli->color)
		printf("%.*s%s%s%.*s%s%s\n", (int)a, s,
		       cli_color(cli, CLI_BOLD), cli_color(cli, colour),
		       (int)(b - a), s + a, cli_color(cli, CLI_RESET), s + b);
	else
		printf("%.*s[%.*s]%s\n", (int)a, s, (int)(b - a), s + a, s + b);
}

static void print_expected(const struct gl_finding *f)
{
	size_t i;

	for (i = 0; i < f->nexpected; i++)
		printf("%s\"%s\"", i ? " or " : "", f->expected[i]);
}

static int finding_cb(void *ctx, const struct gl_finding *f)
{
	struct check_ctx *cc = ctx;
	struct cli *cli = cc->cli;
	const struct gl_segment *s = f->seg;
	size_t i;

	if (cli->json) {
		struct tolk_json *j = &cc->j;

		tolk_json_reset(j);
		tolk_json_obj_begin(j);
		tolk_json_kv_str(j, "kind", gl_kind_name(f->kind));
		tolk_json_kv_str(j, "file", s->file ? s->file : "");
		if (s->line)
			tolk_json_kv_int(j, "line", (int64_t)s->line);
		if (s->unit)
			tolk_json_kv_str(j, "unit", s->unit);
		tolk_json_key(j, "term");
		if (f->term)
			tolk_json_str(j, f->term);
		else
			tolk_json_null(j);
		tolk_json_key(j, "expected");
		tolk_json_arr_begin(j);
		for (i = 0; i < f->nexpected; i++)
			tolk_json_str(j, f->expected[i]);
		tolk_json_arr_end(j);
		tolk_json_key(j, "found");
		if (f->found)
			tolk_json_str(j, f->found);
		else
			tolk_json_null(j);
		tolk_json_kv_str(j, "source", f->source);
		tolk_json_kv_str(j, "target", f->target);
		if (f->note)
			tolk_json_kv_str(j, "note", f->note);
		tolk_json_obj_end(j);
		cli_json_line(j);
		return 0;
	}
	if (s->line)
		printf("%s%s:%lu:%s ", cli_color(cli, CLI_BOLD), s->file,
		       s->line, cli_color(cli, CLI_RESET));
	else
		printf("%s%s#%s:%s ", cli_color(cli, CLI_BOLD), s->file,
		       s->unit ? s->unit : "?", cli_color(cli, CLI_RESET));
	printf("%s%s%s: ", cli_color(cli, CLI_RED), gl_kind_name(f->kind),
	       cli_color(cli, CLI_RESET));
	switch (f->kind) {
	case GL_KIND_MISSING:
		printf("'%s' is not translated as ", f->term);
		print_expected(f);
		break;
	case GL_KIND_FORBIDDEN:
		printf("'%s' rendered as forbidden \"%s\"; use ", f->term,
		       f->found);
		print_expected(f);
		break;
	case GL_KIND_UNTRANSLATED:
		printf("'%s' left as \"%s\"; use ", f->term, f->found);
		print_expected(f);
		break;
	case GL_KIND_NUMBER:
		printf("%s is not in the target", f->term);
		if (f->nexpected)
			printf(" (expected %s)", f->expected[0]);
		break;
	case GL_KIND_INCONSISTENT:
		printf("translated differently at %s: ",
		       f->note ? f->note : "?");
		print_expected(f);
		break;
	default:
		break;
	}
	putchar('\n');
	print_marked(cli, "nb", f->source, f->src_start, f->src_end,
		     CLI_YELLOW);
	print_marked(cli, "en", f->target, f->tgt_start, f->tgt_end, CLI_RED);
	if (f->note && f->kind != GL_KIND_INCONSISTENT)
		printf("  %snote: %s%s\n", cli_color(cli, CLI_DIM), f->note,
		       cli_color(cli, CLI_RESET));
	return 0;
}

static int segment_cb(void *ctx, const struct gl_segment *s,
		      struct tolk_err *err)
{
	struct check_ctx *cc = ctx;

	return gl_check_segment(cc->check, s, err);
}

struct tm_ctx {
	struct check_ctx *cc;
	const char *file;
	struct tolk_err *err;
};

static int pair_cb(void *ctx, const struct tm_pair *p)
{
	struct tm_ctx *tc = ctx;
	struct gl_segment s = {0};
	char id[32];

	snprintf(id, sizeof(id), "%lld", (long long)p->id);
	s.file = tc->file;
	s.unit = id;
	s.source = p->source;
	s.target = p->target;
	return gl_check_segment(tc->cc->check, &s, tc->err);
}

static int check_file(struct cli *cli, struct check_ctx *cc, const char *path,
		      struct tolk_err *err)
{
	enum gl_input in;
	int rc;

	if ((rc = gl_input_guess(path, &in, err)))
		return rc;
	switch (in) {
	case GL_INPUT_XLIFF:
		return gl_read_xliff(path, cli->source_lang, cli->target_lang,
				     segment_cb, cc, err);
	case GL_INPUT_TMX:
		if ((rc = gl_check_set_file(cc->check, path)))
			return tolk_err_set(err, rc, "out of memory");
		return tm_tmx_read(path, 0, gl_check_tmx_unit, cc->check, err);
	default:
		return gl_read_tsv(path, segment_cb, cc, err);
	}
}

CLI_COMMAND(check)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"json", no_argument, NULL, CLI_OPT_JSON},
	    {"kinds", required_argument, NULL, OPT_KINDS},
	    {"tm", no_argument, NULL, OPT_TM},
	    {"glossary", required_argument, NULL, OPT_GLOSSARY},
	    {"pair", no_argument, NULL, OPT_PAIR},
	    {"compounds", no_argument, NULL, OPT_COMPOUNDS},
	    {NULL, 0, NULL, 0},
	};
	struct check_ctx cc = {0};
	struct tm_store *store = NULL;
	struct gl_entry *v = NULL;
	struct tolk_err err;
	const char *glossary = NULL;
	unsigned kinds = GL_KIND_ALL;
	size_t n = 0;
	int opt, status = 0, use_tm = 0, compounds = 0, i;

	tolk_err_clear(&err);
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_common_option(cli, opt, optarg, &status)) {
			if (status >= 0)
				return status;
			continue;
		}
		switch (opt) {
		case OPT_KINDS:
			if (gl_kinds_parse(optarg, &kinds, &err))
				return cli_usage_error(cli, "--kinds: %s",
						       err.msg);
			break;
		case OPT_TM:
			use_tm = 1;
			break;
		case OPT_GLOSSARY:
			glossary = optarg;
			break;
		case OPT_COMPOUNDS:
			compounds = 1;
			break;
		case OPT_PAIR:
			fputs("tolk: check --pair needs the aligner, which is "
			      "not in this build yet\n",
			      stderr);
			return TOLK_EXIT_USAGE;
		}
	}
	status = 0;
	if (use_tm == (argc > optind))
		return cli_usage_error(cli, use_tm ? "give FILEs or --tm, "
						     "not both"
						   : "needs FILEs or --tm");
	if (glossary) {
		if (gl_file_read(glossary, GL_FORMAT_AUTO, cli->source_lang,
				 cli->target_lang, &v, &n, &err))
			return cli_fail(&err);
	}
	if (!glossary || use_tm) {
		if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
			goto done;
		if (!glossary && gl_term_load(store, &v, &n, &err))
			goto fail;
	}
	cc.cli = cli;
	tolk_json_init(&cc.j);
	if (gl_check_new(&cc.check, v, n, kinds, finding_cb, &cc, &err) ||
	    gl_check_set_langs(cc.check, cli->source_lang, cli->target_lang))
		goto fail;
	gl_check_set_compounds(cc.check, compounds);
	if (use_tm) {
		struct tm_ctx tc = {&cc, tm_store_path(store), &err};

		if (tm_store_foreach_pair(store, cli->source_lang,
					  cli->target_lang, pair_cb, &tc, &err))
			goto fail;
	}
	for (i = optind; i < argc; i++)
		if (check_file(cli, &cc, argv[i], &err))
			goto fail;
	status = gl_check_findings(cc.check) ? TOLK_EXIT_NONE : TOLK_EXIT_OK;
	goto done;
fail:
	fflush(stdout);
	status = cli_fail(&err);
done:
	gl_check_free(cc.check);
	tolk_json_release(&cc.j);
	gl_entries_free(v, n);
	tm_store_close(store);
	return status;
}
