/* tolk pretranslate and tolk analyze: leverage the TM into an XLIFF file
 * or a plain text, and the match analysis of a quote. */
#include "cli/cli.h"
#include "glossary/glossary.h"
#include "glossary/termmatch.h"
#include "tm/pretranslate.h"
#include "tm/text/segment.h"
#include "tm/xliff.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum {
	OPT_MIN_SCORE = CLI_OPT_FIRST_LOCAL,
	OPT_OVERWRITE,
	OPT_ALTERNATIVES,
	OPT_OUTPUT,
	OPT_GLOSSARY_NOTES,
	OPT_THREADS,
};

static void print_analysis(struct cli *cli, const char *file,
			   const struct tm_analysis *a, double seconds)
{
	static const char *const shown[TM_BAND_COUNT] = {
	    "context 101", "exact 100", "95-99%",   "85-94%",
	    "75-84%",	   "50-74%",	"no match", "repeats",
	};
	int b;

	if (cli->json) {
		struct tolk_json j;

		tolk_json_init(&j);
		tolk_json_obj_begin(&j);
		tolk_json_kv_str(&j, "file", file);
		tolk_json_key(&j, "bands");
		tolk_json_obj_begin(&j);
		for (b = 0; b < TM_BAND_COUNT; b++) {
			tolk_json_key(&j, tm_band_name((enum tm_band)b));
			tolk_json_obj_begin(&j);
			tolk_json_kv_int(&j, "segments",
					 (int64_t)a->segments[b]);
			tolk_json_kv_int(&j, "words", (int64_t)a->words[b]);
			tolk_json_obj_end(&j);
		}
		tolk_json_obj_end(&j);
		tolk_json_kv_int(&j, "segments", (int64_t)a->total_segments);
		tolk_json_kv_int(&j, "words", (int64_t)a->total_words);
		tolk_json_kv_int(&j, "filled_context",
				 (int64_t)a->filled_context);
		tolk_json_kv_int(&j, "filled_exact", (int64_t)a->filled_exact);
		tolk_json_kv_int(&j, "filled_fuzzy", (int64_t)a->filled_fuzzy);
		tolk_json_kv_int(&j, "propagated", (int64_t)a->propagated);
		tolk_json_kv_int(&j, "kept", (int64_t)a->kept);
		tolk_json_kv_int(&j, "locked", (int64_t)a->locked);
		tolk_json_kv_double(&j, "seconds", seconds);
		tolk_json_obj_end(&j);
		cli_json_emit(&j);
		return;
	}
	fprintf(stderr, "%s\n%-12s %9s %9s\n", file, "match", "segments",
		"words");
	for (b = 0; b < TM_BAND_COUNT; b++)
		fprintf(stderr, "%-12s %9lu %9lu\n", shown[b], a->segments[b],
			a->words[b]);
	fprintf(stderr, "%-12s %9lu %9lu\n", "total", a->total_segments,
		a->total_words);
	fprintf(stderr,
		"filled %lu context, %lu exact, %lu to review (%lu of them "
		"repeats propagated); %lu already translated left alone",
		a->filled_context, a->filled_exact, a->filled_fuzzy,
		a->propagated, a->kept);
	if (a->locked)
		fprintf(stderr, "; %lu locked", a->locked);
	fprintf(stderr, "; %.0f segments/s\n",
		seconds > 0 ? (double)a->total_segments / seconds : 0.0);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A progress line on stderr, only on a terminal, at most five times a
 * second; cleared before the analysis is printed. */
struct bar {
	const char *file;
	int on, shown;
	double start, last;
};

static void on_progress(void *ctx, size_t done, size_t total)
{
	struct bar *b = ctx;
	double t, el;

	if (!b->on || (t = now_s()) - b->last < 0.2)
		return;
	b->last = t;
	el = t - b->start;
	fprintf(stderr, "\r\033[K%s: %zu of %zu segments, %3.0f%%", b->file,
		done, total,
		total ? 100.0 * (double)done / (double)total : 0.0);
	if (el > 0 && done)
		fprintf(stderr, ", %.0f segments/s, ETA %.0fs",
			(double)done / el,
			el / (double)done * (double)(total - done));
	b->shown = 1;
}

static void bar_clear(struct bar *b)
{
	if (b->shown)
		fputs("\r\033[K", stderr);
	b->shown = 0;
}

/* Sentence i of text into b ("" outside [0, n)); i may be (size_t)-1. */
static int sentence(struct tolk_buf *b, const char *text,
		    const struct tm_sentence *s, size_t n, size_t i)
{
	tolk_buf_reset(b);
	if (i < n &&
	    tolk_buf_append(b, text + s[i].start, s[i].end - s[i].start))
		return -1;
	return tolk_buf_puts(b, "");
}

/* Plain text: sentences of the source language, "source<TAB>target" per
 * sentence (target empty when nothing reached --min-score). */
static int text_run(struct cli *cli, struct tm_pretr *p, const char *in,
		    const char *out, struct bar *bar, struct tolk_err *err)
{
	struct tm_segmenter *sg = NULL;
	struct tm_sentence *s = NULL;
	struct tolk_buf src = TOLK_BUF_INIT, nbr = TOLK_BUF_INIT;
	FILE *f = NULL;
	char *text = NULL;
	size_t len = 0, n = 0, i;
	int rc;

	if ((rc = cli_read_file(in, &text, &len, err)) ||
	    (rc = tm_segmenter_new(&sg, cli->source_lang, NULL, 0, err)) ||
	    (rc = tm_segment_text(sg, text, len, &s, &n, err)))
		goto done;
	if (out) {
		f = strcmp(out, "-") == 0 ? stdout : fopen(out, "w");
		if (!f) {
			rc = tolk_err_set(err, TOLK_EIO,
					  "unable to create '%s'", out);
			goto done;
		}
	}
	for (i = 0; i < n && !rc; i++) {
		const struct tm_leverage *lev;
		struct tm_context ctx;
		char *q;

		on_progress(bar, i, n);
		/* the sentences around it, as align --import stores them */
		if (sentence(&src, text, s, n, i - 1) ||
		    sentence(&nbr, text, s, n, i + 1)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			break;
		}
		if ((rc = tm_context_set(&ctx, src.data, nbr.data, err)))
			break;
		if (sentence(&src, text, s, n, i)) {
			rc = tolk_err_set(err, TOLK_ENOMEM, "out of memory");
			break;
		}
		/* a TSV cell holds no tab or line break */
		for (q = src.data; *q; q++)
			if (*q == '\t' || *q == '\n' || *q == '\r')
				*q = ' ';
		if ((rc = tm_pretr_segment(p, src.data, &ctx, NULL, NULL, &lev,
					   err)))
			break;
		if (f) {
			fprintf(f, "%s\t", src.data);
			for (q = (char *)(lev->target ? lev->target : ""); *q;
			     q++)
				putc(*q == '\t' || *q == '\n' || *q == '\r'
					 ? ' '
					 : *q,
				     f);
			putc('\n', f);
		}
	}
	if (f && (fflush(f) || ferror(f)) && !rc)
		rc = tolk_err_set(err, TOLK_EIO, "unable to write '%s'", out);
done:
	if (f && f != stdout)
		fclose(f);
	tolk_buf_free(&src);
	tolk_buf_free(&nbr);
	free(s);
	free(text);
	tm_segmenter_free(sg);
	return rc;
}

/* "glossary: statsminister = Prime Minister; Premier (not: PM) -- note" */
static int term_note(struct tolk_buf *b, const struct gl_entry *e)
{
	size_t k;

	tolk_buf_reset(b);
	tolk_buf_printf(b, "glossary: %s =", e->term);
	for (k = 0; k < e->napproved; k++)
		tolk_buf_printf(b, "%s %s", k ? ";" : "", e->approved[k]);
	for (k = 0; k < e->nforbidden; k++)
		tolk_buf_printf(b, "%s%s",
				k ? ", " : " (not: ", e->forbidden[k]);
	if (e->nforbidden)
		tolk_buf_puts(b, ")");
	if (e->note)
		tolk_buf_printf(b, " -- %s", e->note);
	return tolk_buf_puts(b, "");
}

/* Adds e to segment i: in 2.0 a Glossary module entry (the renderings
 * to avoid and the entry's note as its definition), in 1.x, which has no
 * glossary element, a note. */
static int term_hint(struct tm_xliff *x, size_t i, const struct gl_entry *e,
		     struct tolk_buf *b)
{
	size_t k;

	if (tm_xliff_version(x) != 2)
		return term_note(b, e) || tm_xliff_add_note(x, i, b->data);
	tolk_buf_reset(b);
	for (k = 0; k < e->nforbidden; k++)
		tolk_buf_printf(b, "%s%s", k ? ", " : "Not: ", e->forbidden[k]);
	if (e->nforbidden && e->note)
		tolk_buf_puts(b, ". ");
	if (e->note)
		tolk_buf_puts(b, e->note);
	return tolk_buf_puts(b, "") ||
	       tm_xliff_add_term(x, i, e->term,
				 (const char *const *)e->approved, e->napproved,
				 b->len ? b->data : NULL);
}

/* --glossary-notes: a hint per glossary term found in the source of each
 * segment tolk may fill, with its approved renderings (1.2 <note
 * from="tolk">, 2.0 <gls:glossEntry>). */
static int glossary_notes(struct tm_store *store, struct tm_xliff *x,
			  int overwrite, struct tolk_err *err)
{
	struct gl_entry *v = NULL;
	struct gl_matcher *m = NULL;
	struct gl_text *t = NULL;
	struct gl_hits hits = {0};
	struct tolk_buf note = TOLK_BUF_INIT;
	size_t n = 0, i, k, j, nseg = tm_xliff_count(x);
	int rc;

	if ((rc = gl_term_load(store, &v, &n, err)) || !n ||
	    (rc = gl_matcher_new(&m, GL_LANG_NB, err)) ||
	    (rc = gl_text_new(&t, err)))
		goto done;
	for (i = 0; i < n; i++) {
		if ((rc = gl_entry_to_matcher(m, &v[i], i, err)))
			goto done;
	}
	for (i = 0; i < nseg; i++) {
		const struct tm_xliff_seg *g = tm_xliff_segment(x, i);

		if (g->locked || (g->target && !overwrite))
			continue;
		if ((rc = gl_text_set(t, g->source, strlen(g->source), err)) ||
		    (rc = gl_matcher_find(m, t, 0, &hits, err)))
			goto done;
		for (k = 0; k < hits.n; k++) {
			/* one note per term, however often it occurs */
			for (j = 0; j < k && hits.v[j].tag != hits.v[k].tag;
			     j++)
				;
			if (j < k)
				continue;
			if (term_hint(x, i, &v[hits.v[k].tag], &note)) {
				rc = tolk_err_set(err, TOLK_ENOMEM,
						  "out of memory");
				goto done;
			}
		}
	}
done:
	tolk_buf_free(&note);
	gl_hits_release(&hits);
	gl_text_free(t);
	gl_matcher_free(m);
	gl_entries_free(v, n);
	return rc;
}

static const struct cli_option pretranslate_opts[] = {
    {"output", 'o', OPT_OUTPUT, "OUT", "where to write ('-': standard output)"},
    {"min-score", 0, OPT_MIN_SCORE, "N",
     "lowest score that fills a target (default 75)"},
    {"overwrite", 0, OPT_OVERWRITE, NULL,
     "refill segments that already have a target"},
    {"alternatives", 0, OPT_ALTERNATIVES, "N",
     "candidates written per segment (default 3)"},
    {"glossary-notes", 0, OPT_GLOSSARY_NOTES, NULL,
     "XLIFF: each glossary term in a segment's source with its approved "
     "renderings (2.0: glossary module, 1.2: a note)"},
    {"threads", 0, OPT_THREADS, "N",
     "threads looking segments up, each further one on its own "
     "connection (default 2; 1-16)"},
    CLI_OPTION_JSON("the analysis as one JSON object"),
    {NULL, 0, 0, NULL, NULL},
};

static const struct cli_option analyze_opts[] = {
    {"min-score", 0, OPT_MIN_SCORE, "N",
     "lowest score counted as a match that would fill a target (default "
     "75)"},
    {"threads", 0, OPT_THREADS, "N",
     "threads looking segments up, each further one on its own "
     "connection (default 2; 1-16)"},
    CLI_OPTION_JSON("one JSON object on stdout"),
    {NULL, 0, 0, NULL, NULL},
};

static int run(struct cli *cli, int argc, char **argv, int analyze)
{
	struct cli_args a;
	struct tm_pretr_opts po;
	struct tm_store *store = NULL;
	struct tm_pretr *p = NULL;
	struct tm_xliff *x = NULL;
	struct tolk_err err;
	const char *in, *out = NULL;
	long min = 75, alt = 3, threads = 2;
	double t0;
	struct bar bar = {NULL, 0, 0, 0, 0};
	int opt, status = 0, overwrite = 0, gnotes = 0;

	tolk_err_clear(&err);
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0) {
		if (opt == OPT_MIN_SCORE &&
		    (status = cli_number_option(cli, "min-score", a.arg, 1, 100,
						&min)))
			return status;
		if (opt == OPT_ALTERNATIVES &&
		    (status = cli_number_option(cli, "alternatives", a.arg, 0,
						20, &alt)))
			return status;
		if (opt == OPT_THREADS &&
		    (status = cli_number_option(cli, "threads", a.arg, 1, 16,
						&threads)))
			return status;
		if (opt == OPT_OVERWRITE)
			overwrite = 1;
		if (opt == OPT_OUTPUT)
			out = a.arg;
		if (opt == OPT_GLOSSARY_NOTES)
			gnotes = 1;
	}
	if (opt < 0)
		return a.status;
	status = 0;
	if (argc - a.ind != 1)
		return cli_usage_error(cli, "needs one FILE");
	in = argv[a.ind];
	if (!analyze && !out)
		return cli_usage_error(cli, "needs -o OUT (tolk analyze "
					    "writes nothing)");
	if (gnotes && !tm_xliff_is_name(in))
		return cli_usage_error(cli, "--glossary-notes writes XLIFF "
					    "notes: FILE is not XLIFF");
	memset(&po, 0, sizeof(po));
	po.source_lang = cli->source_lang;
	po.target_lang = cli->target_lang;
	po.min_score = (int)min;
	po.alternatives = (size_t)alt;
	po.overwrite = overwrite;
	po.dry_run = analyze;
	po.threads = (size_t)threads;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST | TM_STORE_MAPPED,
				     &store)))
		return status;
	t0 = now_s();
	bar.file = cli_shown_path(in);
	bar.on = isatty(STDERR_FILENO);
	bar.start = t0;
	bar.last = t0 - 1; /* the first call shows the line */
	po.progress = on_progress;
	po.progress_ctx = &bar;
	if (tm_pretr_new(&p, store, &po, &err))
		goto fail;
	if (tm_xliff_is_name(in)) {
		if (tm_xliff_open(&x, in, &err) || tm_pretr_xliff(p, x, &err) ||
		    (gnotes && glossary_notes(store, x, overwrite, &err)) ||
		    (!analyze && tm_xliff_write(x, out, &err)))
			goto fail;
	} else if (text_run(cli, p, in, analyze ? NULL : out, &bar, &err)) {
		goto fail;
	}
	bar_clear(&bar);
	print_analysis(cli, cli_shown_path(in), tm_pretr_analysis(p),
		       now_s() - t0);
	goto done;
fail:
	bar_clear(&bar);
	status = cli_fail(&err);
done:
	tm_xliff_free(x);
	tm_pretr_free(p);
	tm_store_close(store);
	return status;
}

static int run_pretranslate(struct cli *cli, int argc, char **argv)
{
	return run(cli, argc, argv, 0);
}

static int run_analyze(struct cli *cli, int argc, char **argv)
{
	return run(cli, argc, argv, 1);
}

const struct cli_command cli_cmd_pretranslate = {
    "pretranslate",
    run_pretranslate,
    "Fill an XLIFF file or a text from the TM.",
    "-o OUT FILE",
    "Looks up every untranslated segment of FILE and writes the result to\n"
    "OUT.  XLIFF 1.x and 2.0 (.xlf .xliff .sdlxliff .mqxliff .mxliff\n"
    ".txlf) come back as the same XLIFF, every byte outside the changed\n"
    "targets and the added match annotations as it was: context (101)\n"
    "and exact matches as translated (1.2 state-qualifier exact-match;\n"
    "a context match also gets a note from tolk saying so, since XLIFF\n"
    "has no state for it), matches from\n"
    "--min-score up as needing review (needs-review-translation,\n"
    "fuzzy-match; leveraged-tm when numbers were adapted; 2.0 state\n"
    "initial), candidates as <alt-trans> (1.2) or <mtc:match> (2.0).\n"
    "A segment's context is the segments before and after it: an exact\n"
    "unit stored with the same neighbours (by import of an XLIFF file,\n"
    "align --import, add --prev --next, or OmegaT's TMX prev/next props)\n"
    "is a context match and wins over other exact units.\n"
    "A source met again in the file gets the same target (propagation),\n"
    "unless its own context matches a unit.\n"
    "Any other FILE is a text in the source language, split into\n"
    "sentences; OUT gets one SOURCE<TAB>TARGET line per sentence.\n"
    "The match analysis goes to stderr (stdout with --json); on a\n"
    "terminal a progress line shows the segments done and the rate.\n",
    pretranslate_opts,
    NULL,
    CLI_FILES,
};

const struct cli_command cli_cmd_analyze = {
    "analyze",
    run_analyze,
    "Print the match analysis of a file.",
    "FILE",
    "Counts the segments and words of FILE (XLIFF or text) per match\n"
    "band against the TM, as pretranslate would, without writing\n"
    "anything: context 101 (exact, and the same segments before and\n"
    "after it as the stored unit), exact 100, 95-99,\n"
    "85-94, 75-84, 50-74, no match, and repeats of a source met\n"
    "earlier in the file.\n",
    analyze_opts,
    NULL,
    CLI_FILES,
};
