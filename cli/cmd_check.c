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

static const struct cli_option check_opts[] = {
    {"kinds", 0, OPT_KINDS, "LIST",
     "comma-separated kinds to check (default all)"},
    {"glossary", 0, OPT_GLOSSARY, "FILE",
     "use this TBX/TSV glossary instead of the TM's; no TM is needed then "
     "(nor for --kinds number)"},
    {"tm", 0, OPT_TM, NULL, "check every unit of the TM"},
    {"pair", 0, OPT_PAIR, NULL,
     "the two FILEs are a Norwegian text and its English translation, one "
     "paragraph per line"},
    {"compounds", 0, OPT_COMPOUNDS, NULL,
     "also find terms inside compounds (kommune in kommunestyret); off by "
     "default"},
    CLI_OPTION_JSON("JSON Lines: kind, file, line or unit, term, expected, "
		    "found, source, target, note, source_file, source_line, "
		    "target_file, target_line, target_column"),
    {NULL, 0, 0, NULL, NULL},
};

/* The bead being checked by check --pair: its English sentences, so that
 * a target offset becomes a line and column of the English file. */
struct pair_pos {
	const struct cli_doc *en;
	size_t first, count;
	const struct gl_segment *seg;
	size_t joined_len;
};

struct check_ctx {
	struct cli *cli;
	struct gl_check *check;
	struct tolk_json j;
	struct pair_pos pair; /* en == NULL outside check --pair */
	int status;	      /* of writing the output */
};

/* Line and column (1-based, code points) of byte off of d's text. */
static void line_col(const struct cli_doc *d, size_t off, unsigned long *line,
		     unsigned long *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < d->len; i++) {
		if (d->text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)d->text[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/* Where the editor changes the target for finding f: the file, line and
 * column of its highlighted span (of the target's start when it has
 * none).  For a target inside a line (TSV, XLIFF, TMX) the column counts
 * in the target text. */
static void target_pos(const struct check_ctx *cc, const struct gl_finding *f,
		       const char **file, unsigned long *line,
		       unsigned long *col)
{
	const struct gl_segment *s = f->seg;
	const struct pair_pos *pp = &cc->pair;
	size_t off = f->tgt_end > f->tgt_start ? f->tgt_start : 0, i, cum = 0;

	*file = s->target_file ? s->target_file : s->file;
	*line = s->target_file ? s->target_line : s->line;
	*col = s->target_file ? s->target_col : 1;
	if (pp->en && pp->seg == s && strlen(f->target) == pp->joined_len) {
		/* the joined target is the sentences with one space between
		 * (NFC left it as it was: the lengths agree) */
		for (i = pp->first; i < pp->first + pp->count; i++) {
			size_t len = pp->en->as[i].len;

			if (off <= cum + len ||
			    i + 1 == pp->first + pp->count) {
				line_col(pp->en,
					 pp->en->s[i].start +
					     (off > cum ? off - cum : 0),
					 line, col);
				return;
			}
			cum += len + 1;
		}
	}
	if (!s->target_file)
		for (i = 0; i < off && f->target[i]; i++)
			if (((unsigned char)f->target[i] & 0xc0) != 0x80)
				(*col)++;
}

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
	const char *tfile;
	unsigned long tline, tcol;
	size_t i;

	target_pos(cc, f, &tfile, &tline, &tcol);
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
		tolk_json_kv_str(j, "term", f->term);
		tolk_json_key(j, "expected");
		tolk_json_arr_begin(j);
		for (i = 0; i < f->nexpected; i++)
			tolk_json_str(j, f->expected[i]);
		tolk_json_arr_end(j);
		tolk_json_kv_str(j, "found", f->found);
		tolk_json_kv_str(j, "source", f->source);
		tolk_json_kv_str(j, "target", f->target);
		if (f->note)
			tolk_json_kv_str(j, "note", f->note);
		tolk_json_kv_str(j, "source_file", s->file ? s->file : "");
		if (s->line)
			tolk_json_kv_int(j, "source_line", (int64_t)s->line);
		tolk_json_kv_str(j, "target_file", tfile ? tfile : "");
		if (tline)
			tolk_json_kv_int(j, "target_line", (int64_t)tline);
		tolk_json_kv_int(j, "target_column", (int64_t)tcol);
		tolk_json_obj_end(j);
		if ((cc->status = cli_json_line(j)))
			return TOLK_EINTERNAL;
		return 0;
	}
	if (s->target_file)
		/* the English first: that is where the editor goes */
		printf("%s%s:%lu:%lu:%s %s%s:%lu:%s ", cli_color(cli, CLI_BOLD),
		       tfile, tline, tcol, cli_color(cli, CLI_RESET),
		       cli_color(cli, CLI_DIM), s->file, s->line,
		       cli_color(cli, CLI_RESET));
	else if (s->line)
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

/* Joins sentences [first, first + count) of d with single spaces. */
static int join(struct tolk_buf *b, const struct cli_doc *d, size_t first,
		size_t count)
{
	size_t i;

	tolk_buf_reset(b);
	for (i = first; i < first + count; i++) {
		if ((i > first && tolk_buf_putc(b, ' ')) ||
		    tolk_buf_append(b, d->as[i].text, d->as[i].len))
			return TOLK_ENOMEM;
	}
	return 0;
}

/* The English sentences of the beads right before and after bead i that
 * have no Norwegian side, into out (emptied first).  An added sentence is
 * where the aligner most often misplaces a gap by one: the bead's own
 * translation may be the added sentence's neighbour. */
static int nearby(struct tolk_buf *out, const struct cli_doc *en,
		  const struct tm_bead *b, size_t nb_beads, size_t i)
{
	struct tolk_buf one = TOLK_BUF_INIT;
	size_t k[2] = {i - 1, i + 1}, j;
	int rc = 0;

	tolk_buf_reset(out);
	for (j = 0; j < 2 && !rc; j++) {
		if ((j == 0 && i == 0) || k[j] >= nb_beads ||
		    b[k[j]].nb_count != 0 || b[k[j]].en_count == 0)
			continue;
		if ((rc = join(&one, en, b[k[j]].en_first, b[k[j]].en_count)))
			break;
		rc = (out->len && tolk_buf_putc(out, '\n')) ||
		     tolk_buf_append(out, one.data, one.len);
	}
	tolk_buf_free(&one);
	return rc ? TOLK_ENOMEM : 0;
}

/* Line (1-based) of byte offset off in d's text. */
static unsigned long line_of(const struct cli_doc *d, size_t off)
{
	unsigned long line = 1;
	size_t i;

	for (i = 0; i < off && i < d->len; i++)
		if (d->text[i] == '\n')
			line++;
	return line;
}

/* check --pair: align the article and its translation, then check every
 * bead that has both sides.  A sentence left out of the translation is the
 * aligner's 1-0 bead, not a term finding, so it is not reported here.
 * The glossary does not anchor this alignment: the renderings being judged
 * must not steer which sentences are compared, and the aligner matches a
 * term only in the form it is written (kommune, not kommunen), so a bare
 * English rendering in an added sentence outweighed the inflected term of
 * the sentence it translated and its findings moved onto the addition. */
static int check_pair(struct cli *cli, struct check_ctx *cc,
		      const char *nb_path, const char *en_path,
		      struct tolk_err *err)
{
	struct cli_doc nb = {0}, en = {0};
	struct tm_align_opts ao = {NULL, 0, 0};
	struct tolk_buf src = TOLK_BUF_INIT, tgt = TOLK_BUF_INIT,
			near = TOLK_BUF_INIT;
	struct tm_bead *b = NULL;
	size_t nb_beads = 0, i;
	int rc;

	if (strcmp(nb_path, "-") == 0 && strcmp(en_path, "-") == 0) {
		rc = tolk_err_set(err, TOLK_EUSAGE, "only one file can be '-'");
		goto done;
	}
	if ((rc = cli_doc_load(&nb, nb_path, cli->source_lang, NULL, 0, err)) ||
	    (rc = cli_doc_load(&en, en_path, cli->target_lang, NULL, 0, err)))
		goto done;
	if ((rc = tm_align_run(nb.as, nb.n, en.as, en.n, &ao, &b, &nb_beads,
			       err)))
		goto done;
	if ((rc = gl_check_set_file(cc->check, cli_shown_path(nb_path)))) {
		rc = tolk_err_set(err, rc, "out of memory");
		goto done;
	}
	for (i = 0; i < nb_beads; i++) {
		struct gl_segment seg = {0};

		if (b[i].nb_count == 0 || b[i].en_count == 0)
			continue;
		if (join(&src, &nb, b[i].nb_first, b[i].nb_count) ||
		    join(&tgt, &en, b[i].en_first, b[i].en_count) ||
		    nearby(&near, &en, b, nb_beads, i)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		seg.file = cli_shown_path(nb_path);
		seg.line = line_of(&nb, nb.s[b[i].nb_first].start);
		seg.source = tolk_buf_str(&src);
		seg.target = tolk_buf_str(&tgt);
		seg.target_nearby = tolk_buf_str(&near);
		seg.target_file = cli_shown_path(en_path);
		line_col(&en, en.s[b[i].en_first].start, &seg.target_line,
			 &seg.target_col);
		cc->pair.en = &en;
		cc->pair.first = b[i].en_first;
		cc->pair.count = b[i].en_count;
		cc->pair.seg = &seg;
		cc->pair.joined_len = tgt.len;
		rc = gl_check_segment(cc->check, &seg, err);
		cc->pair.en = NULL;
		if (rc)
			goto done;
	}
done:
	free(b);
	tolk_buf_free(&src);
	tolk_buf_free(&tgt);
	tolk_buf_free(&near);
	cli_doc_release(&nb);
	cli_doc_release(&en);
	return rc;
}

/* The kinds that need a glossary. */
#define TERM_KINDS (GL_KIND_MISSING | GL_KIND_FORBIDDEN | GL_KIND_UNTRANSLATED)

/* "checked N segments: 3 findings (2 missing, 1 forbidden)", on stderr so
 * that standard output stays the findings alone. */
static void summary(const struct gl_check *c)
{
	static const enum gl_kind kinds[] = {
	    GL_KIND_MISSING,	  GL_KIND_FORBIDDEN, GL_KIND_UNTRANSLATED,
	    GL_KIND_INCONSISTENT, GL_KIND_NUMBER,
	};
	size_t n = gl_check_findings(c), segs = gl_check_segments(c), i;
	const char *sep = " (";

	fprintf(stderr, "checked %zu segment%s: ", segs, segs == 1 ? "" : "s");
	if (!n) {
		fputs("no findings\n", stderr);
		return;
	}
	fprintf(stderr, "%zu finding%s", n, n == 1 ? "" : "s");
	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		size_t k = gl_check_kind_count(c, kinds[i]);

		if (!k)
			continue;
		fprintf(stderr, "%s%zu %s", sep, k, gl_kind_name(kinds[i]));
		sep = ", ";
	}
	fputs(")\n", stderr);
}

static int run(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	struct check_ctx cc = {0};
	struct tm_store *store = NULL;
	struct gl_entry *v = NULL;
	struct tolk_err err;
	const char *glossary = NULL;
	unsigned kinds = GL_KIND_ALL;
	size_t n = 0;
	int opt, status = 0, use_tm = 0, use_pair = 0, compounds = 0, i;

	tolk_err_clear(&err);
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0) {
		switch (opt) {
		case OPT_KINDS:
			if (gl_kinds_parse(a.arg, &kinds, &err))
				return cli_usage_error(cli, "--kinds: %s",
						       err.msg);
			break;
		case OPT_TM:
			use_tm = 1;
			break;
		case OPT_GLOSSARY:
			glossary = a.arg;
			break;
		case OPT_COMPOUNDS:
			compounds = 1;
			break;
		case OPT_PAIR:
			use_pair = 1;
			break;
		}
	}
	if (opt < 0)
		return a.status;
	if (use_pair && (use_tm || argc - a.ind != 2))
		return cli_usage_error(cli, "--pair needs NB_FILE and EN_FILE");
	if (use_tm == (argc > a.ind))
		return cli_usage_error(cli, use_tm ? "give FILEs or --tm, "
						     "not both"
						   : "needs FILEs or --tm");
	if (glossary) {
		if (gl_file_read(glossary, GL_FORMAT_AUTO, cli->source_lang,
				 cli->target_lang, &v, &n, &err))
			return cli_fail(&err);
	}
	if (use_tm) {
		if ((status = cli_open_store(
			 cli, TM_STORE_MUST_EXIST | TM_STORE_READ, &store)))
			goto done;
	} else if (!glossary && (kinds & TERM_KINDS)) {
		/* the glossary is in the TM; a glossary file needs none */
		if (cli_open_store_quiet(cli, &store, &err))
			goto fail;
		if (!store) {
			cli_error(
			    "no translation memory to read the "
			    "glossary from: give --db PATH, or --glossary "
			    "FILE (TBX or TSV), which works without a "
			    "translation memory");
			status = TOLK_EXIT_USAGE;
			goto done;
		}
	}
	if (!glossary && store && gl_term_load(store, &v, &n, &err))
		goto fail;
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
	if (use_pair) {
		if (check_pair(cli, &cc, argv[a.ind], argv[a.ind + 1], &err))
			goto fail;
	} else {
		for (i = a.ind; i < argc; i++)
			if (check_file(cli, &cc, argv[i], &err))
				goto fail;
	}
	if (gl_check_finish(cc.check, &err))
		goto fail;
	if (!cli->json) {
		fflush(stdout);
		summary(cc.check);
	}
	status = gl_check_findings(cc.check) ? TOLK_EXIT_NONE : TOLK_EXIT_OK;
	goto done;
fail:
	fflush(stdout);
	status = cc.status ? cc.status : cli_fail(&err);
done:
	gl_check_free(cc.check);
	tolk_json_release(&cc.j);
	gl_entries_free(v, n);
	tm_store_close(store);
	return status;
}

const struct cli_command cli_cmd_check = {
    "check",
    run,
    "Check translations against the glossary.",
    "FILE... | --tm | --pair NB_FILE EN_FILE",
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
    "  inconsistent   the same source was translated differently\n"
    "                 elsewhere (reported at the one that breaks the\n"
    "                 glossary, else at the minority)\n"
    "  number         a source number is missing from the target\n"
    "                 (1,5 = 1.5, 12 000 = 12,000, kl. 14.30 = 14:30)\n\n"
    "With --pair a finding starts EN_FILE:LINE:COL (where to change the\n"
    "English) then NB_FILE:LINE.  A summary of the findings by kind ends\n"
    "the output, on stderr.\n",
    check_opts,
    NULL,
    CLI_FILES,
};
