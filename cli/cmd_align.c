#include "cli/cli.h"
#include "glossary/glossary.h"
#include "tm/context.h"
#include "tm/text/align.h"
#include "tm/text/segment.h"
#include "tm/tmx.h"
#include "tm/unit.h"
#include "util/buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Chosen from `make eval` (raw text, all shared texts): at 0.5, 261 of
 * 262 beads pass with precision 0.981 and recall 0.977, the best F1;
 * 0.7 buys little precision (0.984) for much recall (0.950). */
#define DEFAULT_MIN_CONFIDENCE 0.5

enum {
	OPT_FORMAT = CLI_OPT_FIRST_LOCAL,
	OPT_SENTENCES,
	OPT_IMPORT,
	OPT_MIN_CONF,
	OPT_BAND,
	OPT_TERMS,
	OPT_SRX,
	OPT_REVIEW,
};

enum format { FMT_TSV, FMT_JSON, FMT_TMX };

static const struct cli_option align_opts[] = {
    {"format", 0, OPT_FORMAT, "tsv|json|tmx",
     "output format (default tsv; --json is --format json)"},
    CLI_OPTION_JSON("the same as --format json"),
    {"sentences", 0, OPT_SENTENCES, NULL,
     "the files are already split into sentences"},
    {"import", 0, OPT_IMPORT, NULL,
     "store beads at or above --min-confidence in the TM (one "
     "transaction; origin: the file names) and report how many were held "
     "back for review"},
    {"review", 0, OPT_REVIEW, "FILE",
     "with --import: write the beads held back to FILE as NB<TAB>EN<TAB>"
     "confidence lines, to check and import later"},
    {"min-confidence", 0, OPT_MIN_CONF, "X",
     "threshold for --import (default 0.5, the best F1 in 'make eval'); "
     "with the output formats, print only beads at or above X"},
    {"srx", 0, OPT_SRX, "FILE",
     "segment with the rules of an SRX 2.0 file instead of tolk's own "
     "(see 'tolk help segment')"},
    {"terms", 0, OPT_TERMS, "FILE",
     "term pairs that anchor beads, one NB<TAB>EN per line (# starts a "
     "comment); without it the TM's glossary, when there is one, gives "
     "them"},
    {"band", 0, OPT_BAND, "N",
     "initial half-width of the search band in sentences (default 24; it "
     "widens by itself when needed)"},
    {NULL, 0, 0, NULL, NULL},
};

/* The text of count sentences from first, joined by single spaces. */
static const char *span_text(struct tolk_buf *b, const struct cli_doc *d,
			     size_t first, size_t count)
{
	size_t k;

	tolk_buf_reset(b);
	for (k = 0; k < count; k++) {
		if (k)
			tolk_buf_putc(b, ' ');
		tolk_buf_append(b, d->as[first + k].text, d->as[first + k].len);
	}
	return tolk_buf_str(b);
}

static void json_ids(struct tolk_json *j, const char *key, size_t first,
		     size_t count)
{
	size_t k;

	tolk_json_key(j, key);
	tolk_json_arr_begin(j);
	for (k = 0; k < count; k++)
		tolk_json_int(j, (int64_t)(first + k + 1));
	tolk_json_arr_end(j);
}

/* Term pairs from a TSV file: "nb<TAB>en" per line, # comments.  The
 * strings point into *text, which the caller frees with *terms. */
static int load_terms(const char *path, char **text,
		      struct tm_align_term **terms, size_t *n,
		      struct tolk_err *err)
{
	size_t len, cap = 0, line = 0;
	char *p, *nl;
	int rc;

	*terms = NULL;
	*n = 0;
	if ((rc = cli_read_file(path, text, &len, err)))
		return rc;
	for (p = *text; p && *p; p = nl ? nl + 1 : NULL) {
		char *tab, *end;

		line++;
		nl = strchr(p, '\n');
		end = nl ? nl : p + strlen(p);
		if (nl)
			*nl = '\0';
		if (end > p && end[-1] == '\r')
			*--end = '\0';
		if (*p == '#' || end == p)
			continue;
		tab = strchr(p, '\t');
		if (!tab || tab == p || !tab[1])
			return tolk_err_set_at(err, TOLK_EINPUT, path, line, 1,
					       "expected NB<TAB>EN");
		*tab = '\0';
		if (*n == cap) {
			struct tm_align_term *t;

			cap = cap ? 2 * cap : 64;
			t = realloc(*terms, cap * sizeof(*t));
			if (!t)
				return tolk_err_set(err, TOLK_ENOMEM,
						    "out of memory");
			*terms = t;
		}
		(*terms)[*n].nb = p;
		(*terms)[*n].en = tab + 1;
		(*n)++;
	}
	return 0;
}

/* The paired beads as TMX on standard output, written the way `tolk
 * export` writes, each unit with its alignment confidence as a prop. */
static int write_tmx(const struct cli *cli, const struct cli_doc *nb,
		     const struct cli_doc *en, const struct tm_bead *b,
		     size_t n, double min_conf, struct tolk_err *err)
{
	struct tolk_buf tn = TOLK_BUF_INIT, te = TOLK_BUF_INIT;
	struct tm_tmx_header h = {0};
	struct tm_tmx_writer *w = NULL;
	struct tm_unit *u = NULL;
	char conf[32];
	size_t i, x;
	int rc;

	h.srclang = cli->source_lang;
	h.datatype = "plaintext";
	if ((rc = tm_tmx_writer_open(&w, "-", err)) ||
	    (rc = tm_tmx_writer_begin(w, &h, err)))
		goto done;
	for (i = 0; i < n; i++) {
		if (!b[i].nb_count || !b[i].en_count ||
		    b[i].confidence < min_conf)
			continue;
		snprintf(conf, sizeof(conf), "%.3f", b[i].confidence);
		if ((rc = tm_unit_new(&u))) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		if (tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_PROP, conf,
				      &x) ||
		    tm_unit_extra_set_attr(u, x, "type",
					   "x-align-confidence")) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			goto done;
		}
		if ((rc = tm_unit_add_variant(
			 u, cli->source_lang,
			 span_text(&tn, nb, b[i].nb_first, b[i].nb_count), NULL,
			 NULL, err)) ||
		    (rc = tm_unit_add_variant(
			 u, cli->target_lang,
			 span_text(&te, en, b[i].en_first, b[i].en_count), NULL,
			 NULL, err)))
			goto done;
		if (tm_tmx_writer_unit(w, u, NULL, NULL))
			break; /* finish says what failed */
		tm_unit_free(u);
		u = NULL;
	}
	rc = tm_tmx_writer_finish(w, err);
	w = NULL;
done:
	tm_unit_free(u);
	tm_tmx_writer_free(w);
	tolk_buf_free(&tn);
	tolk_buf_free(&te);
	return rc;
}

/* One TSV field: fields cannot hold tabs. */
static void put_field(FILE *f, const char *s)
{
	for (; *s; s++)
		putc(*s == '\t' ? ' ' : *s, f);
}

/* The paired beads below min_conf, as `tolk align` prints beads, to
 * path.  Written before the import commits: a review file that cannot be
 * written stops the import rather than losing the beads it would hold. */
static int write_review(const char *path, const struct cli_doc *nb,
			const struct cli_doc *en, const struct tm_bead *b,
			size_t n, double min_conf, struct tolk_err *err)
{
	struct tolk_buf tn = TOLK_BUF_INIT, te = TOLK_BUF_INIT;
	FILE *f = fopen(path, "w");
	size_t i;
	int bad;

	if (!f)
		return tolk_err_set(err, TOLK_EIO, "cannot write '%s': %s",
				    path, strerror(errno));
	fputs("# beads held back for review: NB<TAB>EN<TAB>confidence\n", f);
	for (i = 0; i < n; i++) {
		if (!b[i].nb_count || !b[i].en_count ||
		    b[i].confidence >= min_conf)
			continue;
		put_field(f, span_text(&tn, nb, b[i].nb_first, b[i].nb_count));
		putc('\t', f);
		put_field(f, span_text(&te, en, b[i].en_first, b[i].en_count));
		fprintf(f, "\t%.3f\n", b[i].confidence);
	}
	bad = ferror(f);
	if (fclose(f) != 0)
		bad = 1;
	tolk_buf_free(&tn);
	tolk_buf_free(&te);
	if (bad) {
		tolk_err_set(err, TOLK_EIO, "cannot write '%s': %s", path,
			     strerror(errno));
		unlink(path);
		return TOLK_EIO;
	}
	return 0;
}

static int import_beads(struct cli *cli, const struct cli_doc *nb,
			const struct cli_doc *en, const struct tm_bead *b,
			size_t n, double min_conf, const char *review)
{
	struct tolk_buf tn = TOLK_BUF_INIT, te = TOLK_BUF_INIT,
			origin = TOLK_BUF_INIT, tp = TOLK_BUF_INIT,
			tx = TOLK_BUF_INIT;
	struct tm_store *store = NULL;
	struct tolk_err err;
	size_t i, added = 0, merged = 0, held = 0, unpaired = 0;
	char now[17], conf[32];
	int status, began = 0;

	tolk_err_clear(&err);
	if ((status = cli_open_store(cli, 0, &store)))
		return status;
	tm_unit_now(now);
	tolk_buf_printf(&origin, "%s | %s", cli_shown_path(nb->path),
			cli_shown_path(en->path));
	if (tm_store_begin(store, &err))
		goto fail;
	began = 1;
	for (i = 0; i < n; i++) {
		struct tm_unit *u = NULL;
		enum tm_add_result res;

		if (!b[i].nb_count || !b[i].en_count) {
			unpaired++;
			continue;
		}
		if (b[i].confidence < min_conf) {
			held++;
			continue;
		}
		snprintf(conf, sizeof(conf), "%.3f", b[i].confidence);
		if (tm_unit_new(&u) ||
		    tm_unit_set_origin(u, tolk_buf_str(&origin)) ||
		    tm_unit_set_attr(u, "srclang", cli->source_lang) ||
		    tm_unit_set_attr(u, "creationdate", now) ||
		    tm_unit_add_extra(u, TM_UNIT_LEVEL, TM_EXTRA_PROP, conf,
				      NULL) ||
		    tm_unit_extra_set_attr(u, 0, "type",
					   "x-align-confidence")) {
			tm_unit_free(u);
			tolk_err_set(&err, TOLK_ENOMEM, "out of memory");
			goto fail;
		}
		if (tm_unit_add_variant(
			u, cli->source_lang,
			span_text(&tn, nb, b[i].nb_first, b[i].nb_count), NULL,
			NULL, &err) ||
		    tm_unit_add_variant(
			u, cli->target_lang,
			span_text(&te, en, b[i].en_first, b[i].en_count), NULL,
			NULL, &err) ||
		    /* the Norwegian sentences around the bead: the
		     * context pretranslate finds them in (101) */
		    tm_context_add_props(
			u,
			b[i].nb_first ? span_text(&tp, nb, b[i].nb_first - 1, 1)
				      : NULL,
			b[i].nb_first + b[i].nb_count < nb->n
			    ? span_text(&tx, nb, b[i].nb_first + b[i].nb_count,
					1)
			    : NULL,
			&err) ||
		    tm_store_add(store, u, TM_DUP_MERGE, NULL, &res, &err)) {
			tm_unit_free(u);
			goto fail;
		}
		tm_unit_free(u);
		if (res == TM_ADD_MERGED)
			merged++;
		else
			added++;
	}
	if (review && write_review(review, nb, en, b, n, min_conf, &err))
		goto fail;
	if (tm_store_commit(store, &err)) {
		if (review)
			unlink(review);
		goto fail;
	}
	began = 0;
	if (cli->json) {
		struct tolk_json j;

		tolk_json_init(&j);
		tolk_json_obj_begin(&j);
		tolk_json_kv_int(&j, "added", (int64_t)added);
		tolk_json_kv_int(&j, "merged", (int64_t)merged);
		tolk_json_kv_int(&j, "held_back", (int64_t)held);
		tolk_json_kv_int(&j, "unpaired", (int64_t)unpaired);
		tolk_json_kv_double(&j, "min_confidence", min_conf);
		if (review)
			tolk_json_kv_str(&j, "review", review);
		tolk_json_obj_end(&j);
		status = cli_json_emit(&j);
		goto done;
	} else {
		printf("imported %zu unit%s (%zu new, %zu merged); held back "
		       "%zu bead%s below confidence %g",
		       added + merged, cli_plural((long long)(added + merged)),
		       added, merged, held, cli_plural((long long)held),
		       min_conf);
		if (review)
			printf(", written to %s for review", review);
		else if (held)
			printf(" (--review FILE writes them out)");
		printf("; %zu sentence%s without counterpart\n", unpaired,
		       cli_plural((long long)unpaired));
	}
	status = 0;
	goto done;
fail:
	if (began)
		tm_store_rollback(store);
	status = cli_fail(&err);
done:
	tm_store_close(store);
	tolk_buf_free(&tn);
	tolk_buf_free(&te);
	tolk_buf_free(&tp);
	tolk_buf_free(&tx);
	tolk_buf_free(&origin);
	return status;
}

static int run(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	struct cli_doc nb = {0}, en = {0};
	struct tm_align_opts ao = {NULL, 0, 0};
	struct tm_align_term *terms = NULL;
	struct gl_entry *gl = NULL;
	size_t ngl = 0;
	const char *terms_path = NULL, *srx = NULL, *review = NULL;
	char *terms_text = NULL;
	struct tm_bead *b = NULL;
	struct tolk_buf tn = TOLK_BUF_INIT, te = TOLK_BUF_INIT;
	struct tolk_err err;
	enum format fmt = FMT_TSV;
	double min_conf = DEFAULT_MIN_CONFIDENCE;
	int opt, status = 0, sentences = 0, import = 0, min_given = 0;
	size_t n = 0, i;
	char *end;

	tolk_err_clear(&err);
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0) {
		switch (opt) {
		case CLI_OPT_JSON:
			fmt = FMT_JSON;
			break;
		case OPT_FORMAT:
			if (strcmp(a.arg, "tsv") == 0)
				fmt = FMT_TSV;
			else if (strcmp(a.arg, "json") == 0)
				fmt = FMT_JSON;
			else if (strcmp(a.arg, "tmx") == 0)
				fmt = FMT_TMX;
			else
				return cli_usage_error(
				    cli,
				    "--format: '%s' is not tsv, json or "
				    "tmx",
				    a.arg);
			break;
		case OPT_SENTENCES:
			sentences = 1;
			break;
		case OPT_IMPORT:
			import = 1;
			break;
		case OPT_MIN_CONF:
			errno = 0;
			min_conf = strtod(a.arg, &end);
			if (errno || end == a.arg || *end || min_conf < 0 ||
			    min_conf > 1)
				return cli_usage_error(
				    cli,
				    "--min-confidence: '%s' is not a "
				    "number from 0 to 1",
				    a.arg);
			min_given = 1;
			break;
		case OPT_TERMS:
			terms_path = a.arg;
			break;
		case OPT_SRX:
			srx = a.arg;
			break;
		case OPT_REVIEW:
			review = a.arg;
			break;
		case OPT_BAND: {
			long v;

			if ((status = cli_number_option(cli, "band", a.arg, 1,
							100000, &v)))
				return status;
			ao.band = (size_t)v;
			break;
		}
		}
	}
	if (opt < 0)
		return a.status;
	if (argc - a.ind != 2)
		return cli_usage_error(cli, "needs NB_FILE and EN_FILE");
	if (review && !import)
		return cli_usage_error(cli, "--review goes with --import (the "
					    "other outputs hold every bead)");
	if (strcmp(argv[a.ind], "-") == 0 && strcmp(argv[a.ind + 1], "-") == 0)
		return cli_usage_error(cli, "only one file can be '-'");
	if (terms_path &&
	    load_terms(terms_path, &terms_text, &terms, &ao.nterms, &err)) {
		status = cli_fail(&err);
		goto done;
	}
	/* Without --terms, the TM's glossary (when there is one) gives the
	 * term pairs that anchor the alignment. */
	if (!terms_path &&
	    cli_glossary_anchors(cli, &gl, &ngl, &terms, &ao.nterms, &err)) {
		/* The anchors only help: align without them. */
		cli_error("warning: glossary not used: %s", err.msg);
		tolk_err_clear(&err);
	}
	ao.terms = terms;
	if (cli_doc_load(&nb, argv[a.ind], cli->source_lang, srx, sentences,
			 &err) ||
	    cli_doc_load(&en, argv[a.ind + 1], cli->target_lang, srx, sentences,
			 &err)) {
		status = cli_fail(&err);
		goto done;
	}
	if (tm_align_run(nb.as, nb.n, en.as, en.n, &ao, &b, &n, &err)) {
		status = cli_fail(&err);
		goto done;
	}
	if (import) {
		status = import_beads(cli, &nb, &en, b, n, min_conf, review);
		goto done;
	}
	if (fmt == FMT_TMX) {
		if (write_tmx(cli, &nb, &en, b, n, min_given ? min_conf : 0,
			      &err))
			status = cli_fail(&err);
		goto done;
	}
	for (i = 0; i < n; i++) {
		const char *s1 =
		    span_text(&tn, &nb, b[i].nb_first, b[i].nb_count);
		const char *s2 =
		    span_text(&te, &en, b[i].en_first, b[i].en_count);

		if (min_given && b[i].confidence < min_conf)
			continue;
		if (fmt == FMT_JSON) {
			struct tolk_json j;

			tolk_json_init(&j);
			tolk_json_obj_begin(&j);
			json_ids(&j, "nb", b[i].nb_first, b[i].nb_count);
			json_ids(&j, "en", b[i].en_first, b[i].en_count);
			tolk_json_kv_double(&j, "confidence", b[i].confidence);
			tolk_json_kv_str(&j, "nb_text", s1);
			tolk_json_kv_str(&j, "en_text", s2);
			tolk_json_obj_end(&j);
			status = cli_json_emit(&j);
			if (status)
				goto done;
		} else {
			/* TSV: fields cannot hold tabs */
			const char *p;

			for (p = s1; *p; p++)
				putchar(*p == '\t' ? ' ' : *p);
			putchar('\t');
			for (p = s2; *p; p++)
				putchar(*p == '\t' ? ' ' : *p);
			printf("\t%.3f\n", b[i].confidence);
		}
	}
done:
	free(b);
	if (terms_path)
		free(terms);
	else
		cli_glossary_anchors_free(gl, ngl, terms);
	free(terms_text);
	cli_doc_release(&nb);
	cli_doc_release(&en);
	tolk_buf_free(&tn);
	tolk_buf_free(&te);
	return status;
}

const struct cli_command cli_cmd_align = {
    "align",
    run,
    "Align a text and its translation into units.",
    "NB_FILE EN_FILE",
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
    "both sides\n",
    align_opts,
    NULL,
    CLI_FILES,
};
