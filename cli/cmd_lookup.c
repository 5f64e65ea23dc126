#include "cli/cli.h"
#include "tm/context.h"
#include "tm/match.h"
#include "util/buf.h"
#include "util/limit.h"
#include "util/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	OPT_LIMIT = CLI_OPT_FIRST_LOCAL,
	OPT_MIN_SCORE,
	OPT_EXHAUSTIVE,
	OPT_PREV,
	OPT_NEXT,
	OPT_CONTEXT,
};

static const struct cli_option lookup_opts[] = {
    {"min-score", 0, OPT_MIN_SCORE, "N",
     "lowest score shown (0-100, default 70)"},
    {"limit", 0, OPT_LIMIT, "N", "at most N matches (default 5)"},
    {"exhaustive", 0, OPT_EXHAUSTIVE, NULL,
     "score every unit instead of using the index"},
    {"prev", 0, OPT_PREV, "TEXT",
     "the sentence before TEXT: with --next, an exact match stored with "
     "the same neighbours scores 101"},
    {"next", 0, OPT_NEXT, "TEXT", "the sentence after TEXT (see --prev)"},
    {"context", 0, OPT_CONTEXT, NULL,
     "with -: the lines before and after each query are its --prev and "
     "--next"},
    CLI_OPTION_JSON("one JSON object per query (JSON Lines)"),
    {NULL, 0, 0, NULL, NULL},
};

static const char *const op_names[] = {"insert", "delete", "replace"};

/* Code point offset of byte offset off in s (JSON consumers count
 * characters, not bytes). */
static size_t cp_offset(const char *s, size_t off)
{
	size_t i, n = 0;

	for (i = 0; i < off && s[i]; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			n++;
	return n;
}

/* A TMX date (YYYYMMDDThhmmssZ) as ISO 8601, its day alone with
 * day_only; anything else as stored. */
static const char *iso_date(const char *tmx, int day_only, char *out,
			    size_t outlen)
{
	size_t i;

	for (i = 0; i < 15; i++)
		if (i == 8 ? tmx[i] != 'T' : !(tmx[i] >= '0' && tmx[i] <= '9'))
			return tmx;
	if (strcmp(tmx + 15, "Z") != 0)
		return tmx;
	if (day_only)
		snprintf(out, outlen, "%.4s-%.2s-%.2s", tmx, tmx + 4, tmx + 6);
	else
		snprintf(out, outlen, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", tmx,
			 tmx + 4, tmx + 6, tmx + 9, tmx + 11, tmx + 13);
	return out;
}

static void json_str_or_null(struct tolk_json *j, const char *key,
			     const char *s)
{
	tolk_json_key(j, key);
	if (s)
		tolk_json_str(j, s);
	else
		tolk_json_null(j);
}

/* Where the match came from: every key always there, null when the unit
 * does not say. */
static void json_meta(struct tolk_json *j, const struct tm_match *x)
{
	char d[32];
	size_t k;

	tolk_json_key(j, "note");
	tolk_json_arr_begin(j);
	for (k = 0; k < x->nnotes; k++)
		tolk_json_str(j, x->notes[k]);
	tolk_json_arr_end(j);
	json_str_or_null(j, "created",
			 x->created ? iso_date(x->created, 0, d, sizeof(d))
				    : NULL);
	json_str_or_null(j, "changed",
			 x->changed ? iso_date(x->changed, 0, d, sizeof(d))
				    : NULL);
	json_str_or_null(j, "author", x->author);
	json_str_or_null(j, "origin", x->origin);
	tolk_json_key(j, "usage");
	if (x->usage >= 0)
		tolk_json_int(j, x->usage);
	else
		tolk_json_null(j);
}

static void json_match(struct tolk_json *j, const char *query,
		       const struct tm_match *x, int partial)
{
	size_t k;

	tolk_json_obj_begin(j);
	tolk_json_kv_int(j, "id", x->id);
	tolk_json_kv_int(j, "score", x->score);
	tolk_json_kv_str(j, "source", x->source);
	tolk_json_kv_str(j, "target", x->target);
	if (partial) {
		tolk_json_key(j, "span");
		tolk_json_arr_begin(j);
		tolk_json_int(j, (int64_t)cp_offset(query, x->q_off));
		tolk_json_int(j,
			      (int64_t)cp_offset(query, x->q_off + x->q_len));
		tolk_json_arr_end(j);
		tolk_json_key(j, "covered");
		tolk_json_strn(j, query + x->q_off, x->q_len);
	} else if (x->score < 100) {
		tolk_json_key(j, "diff");
		tolk_json_arr_begin(j);
		for (k = 0; k < x->ndiff; k++) {
			const struct tm_diff *d = &x->diff[k];

			tolk_json_obj_begin(j);
			tolk_json_kv_str(j, "op", op_names[d->op]);
			tolk_json_kv_int(j, "at",
					 (int64_t)cp_offset(query, d->q_off));
			if (d->op != TM_DIFF_INSERT) {
				tolk_json_key(j, "query");
				tolk_json_strn(j, query + d->q_off, d->q_len);
			}
			if (d->op != TM_DIFF_DELETE) {
				tolk_json_key(j, "source");
				tolk_json_strn(j, x->source + d->s_off,
					       d->s_len);
			}
			tolk_json_obj_end(j);
		}
		tolk_json_arr_end(j);
	}
	if (x->adapted)
		tolk_json_kv_str(j, "adapted", x->adapted);
	json_meta(j, x);
	tolk_json_obj_end(j);
}

/* One dim line under a match: "changed 2024-05-17 by ola · from
 * nyheter.tmx · used 3 times", then a line per note; nothing for what
 * the unit does not say. */
static void print_meta(struct cli *cli, const struct tm_match *x)
{
	const char *sep = "";
	char d[32];
	size_t k;

	if (x->changed || x->created || x->author || x->origin ||
	    x->usage >= 0) {
		printf("        %s", cli_color(cli, CLI_DIM));
		if (x->changed || x->created) {
			printf("%s %s", x->changed ? "changed" : "created",
			       iso_date(x->changed ? x->changed : x->created, 1,
					d, sizeof(d)));
			sep = " · ";
		}
		if (x->author) {
			printf("%s%s", *sep ? " by " : "by ", x->author);
			sep = " · ";
		}
		if (x->origin) {
			printf("%sfrom %s", sep, x->origin);
			sep = " · ";
		}
		if (x->usage >= 0)
			printf("%sused %lld time%s", sep, (long long)x->usage,
			       x->usage == 1 ? "" : "s");
		printf("%s\n", cli_color(cli, CLI_RESET));
	}
	for (k = 0; k < x->nnotes; k++)
		printf("        %snote: %s%s\n", cli_color(cli, CLI_DIM),
		       x->notes[k], cli_color(cli, CLI_RESET));
}

/* Does s start a word (not white space, punctuation or the end)? */
static int word_starts(const char *s)
{
	unsigned char c = (unsigned char)*s;

	if (!c || c == ' ' || c == '\t' ||
	    (c < 0x80 && strchr(".,;:!?)]}\"'»", c)))
		return 0;
	/* » and the closing quotes of Norwegian and English text */
	return !(c == 0xc2 && (unsigned char)s[1] == 0xbb) &&
	       !(c == 0xe2 && (unsigned char)s[1] == 0x80 &&
		 ((unsigned char)s[2] == 0x9d || (unsigned char)s[2] == 0x99));
}

/* The source with the query's words it lacks as [-...-] and its own
 * differing words as {+...+}, coloured too on a terminal: the marks stay
 * so that a replacement reads as two words where strike-through is not
 * shown (15 000 -> 12 000 is not "15 00012 000"). */
static void print_diff_source(struct cli *cli, const char *query,
			      const struct tm_match *x)
{
	const char *src = x->source;
	size_t pos = 0, k;

	for (k = 0; k < x->ndiff; k++) {
		const struct tm_diff *d = &x->diff[k];

		if (d->s_off < pos)
			continue;
		fwrite(src + pos, 1, d->s_off - pos, stdout);
		if (d->q_len) {
			/* the query's words go where the source has none:
			 * a space on the side of the next word, none
			 * before punctuation */
			int after = !d->s_len && word_starts(src + d->s_off);

			if (!d->s_len && !after && d->s_off > 0 &&
			    src[d->s_off - 1] != ' ')
				fputc(' ', stdout);
			printf("%s[-", cli_color(cli, "31;9"));
			fwrite(query + d->q_off, 1, d->q_len, stdout);
			printf("-]%s", cli_color(cli, CLI_RESET));
			if (after)
				fputc(' ', stdout);
		}
		if (d->s_len) {
			printf("%s{+", cli_color(cli, "32;1"));
			fwrite(src + d->s_off, 1, d->s_len, stdout);
			printf("+}%s", cli_color(cli, CLI_RESET));
		}
		pos = d->s_off + d->s_len;
	}
	fputs(src + pos, stdout);
	fputc('\n', stdout);
}

static void print_text(struct cli *cli, const char *query,
		       const struct tm_match_result *r)
{
	size_t i;

	for (i = 0; i < r->nmatches; i++) {
		const struct tm_match *x = &r->matches[i];

		printf("%s%d%%%s  %s#%lld%s\n",
		       cli_color(cli, x->score >= 100 ? CLI_GREEN : CLI_YELLOW),
		       x->score, cli_color(cli, CLI_RESET),
		       cli_color(cli, CLI_DIM), (long long)x->id,
		       cli_color(cli, CLI_RESET));
		printf("  %-5s ", x->source_lang);
		print_diff_source(cli, query, x);
		printf("  %-5s %s%s%s\n", x->target_lang,
		       cli_color(cli, CLI_BOLD), x->target,
		       cli_color(cli, CLI_RESET));
		if (x->adapted)
			printf("  %-5s %s%s%s  (adapted: placeables from the "
			       "query)\n",
			       x->target_lang, cli_color(cli, CLI_BOLD),
			       x->adapted, cli_color(cli, CLI_RESET));
		print_meta(cli, x);
	}
	for (i = 0; i < r->npartial; i++) {
		const struct tm_match *x = &r->partial[i];

		printf("%spartial %d%%%s  %s#%lld%s  covers \"%.*s\"\n",
		       cli_color(cli, CLI_CYAN), x->score,
		       cli_color(cli, CLI_RESET), cli_color(cli, CLI_DIM),
		       (long long)x->id, cli_color(cli, CLI_RESET),
		       (int)x->q_len, query + x->q_off);
		printf("  %-5s %s\n", x->source_lang, x->source);
		printf("  %-5s %s%s%s\n", x->target_lang,
		       cli_color(cli, CLI_BOLD), x->target,
		       cli_color(cli, CLI_RESET));
		print_meta(cli, x);
	}
}

/* Answers one query; *found is set when anything matched. */
static int one_query(struct cli *cli, struct tm_matcher *m,
		     const struct tm_match_opts *o,
		     const struct tm_context *ctx, const char *query, int batch,
		     int *found)
{
	struct tm_match_result r;
	struct tolk_err err;
	struct tolk_json j;
	size_t i;
	int status = 0;

	tolk_err_clear(&err);
	if (tm_match_lookup_in_context(m, query, ctx, o, &r, &err)) {
		tm_match_result_release(&r);
		return cli_fail(&err);
	}
	if (r.nmatches || r.npartial)
		*found = 1;
	if (cli->json) {
		tolk_json_init(&j);
		tolk_json_obj_begin(&j);
		tolk_json_kv_str(&j, "query", query);
		tolk_json_key(&j, "matches");
		tolk_json_arr_begin(&j);
		for (i = 0; i < r.nmatches; i++)
			json_match(&j, query, &r.matches[i], 0);
		tolk_json_arr_end(&j);
		/* always there, so that every answer has the same keys */
		tolk_json_key(&j, "partial");
		tolk_json_arr_begin(&j);
		for (i = 0; i < r.npartial; i++)
			json_match(&j, query, &r.partial[i], 1);
		tolk_json_arr_end(&j);
		tolk_json_obj_end(&j);
		status = cli_json_emit(&j);
	} else {
		if (batch)
			printf("%s== %s%s\n", cli_color(cli, CLI_BOLD), query,
			       cli_color(cli, CLI_RESET));
		print_text(cli, query, &r);
		if (!r.nmatches && !r.npartial)
			cli_error("no match for '%s'", query);
	}
	tm_match_result_release(&r);
	return status;
}

/* The next query line of stdin, copied into *out (the caller's, NULL at
 * the end); skips empty lines unless keep_empty.  Returns 0, or the exit
 * status after reporting a bad line. */
static int next_query(char **line, size_t *cap, unsigned long *lineno,
		      int keep_empty, char **out)
{
	size_t bad;
	ssize_t n;

	*out = NULL;
	while ((n = tolk_read_line(stdin, line, cap, TOLK_MAX_SEG_BYTES)) !=
	       -1) {
		++*lineno;
		if (n == -2) {
			cli_error("-:%lu: query longer than the limit of "
				  "%d bytes",
				  *lineno, TOLK_MAX_SEG_BYTES);
			return TOLK_EXIT_USAGE;
		}
		if (n < 0)
			goto nomem;
		while (n > 0 &&
		       ((*line)[n - 1] == '\n' || (*line)[n - 1] == '\r'))
			(*line)[--n] = '\0';
		/* a byte-order mark is not part of the first query */
		if (*lineno == 1 && n >= 3 &&
		    memcmp(*line, "\xef\xbb\xbf", 3) == 0) {
			memmove(*line, *line + 3, (size_t)n - 2);
			n -= 3;
		}
		if (!tolk_utf8_valid(*line, (size_t)n, &bad)) {
			cli_error("-:%lu:%zu: query is not valid UTF-8",
				  *lineno, bad + 1);
			return TOLK_EXIT_USAGE;
		}
		if (n == 0 && !keep_empty)
			continue;
		if (!(*out = strdup(*line)))
			goto nomem;
		return 0;
	}
	return 0;
nomem:
	cli_error("out of memory");
	return TOLK_EXIT_FAILURE;
}

/* One query per line; with_context, the lines before and after each
 * (empty lines skipped) are its context, so a line is answered once the
 * next one is read. */
static int read_queries(struct cli *cli, struct tm_matcher *m,
			const struct tm_match_opts *o,
			const struct tm_context *fixed, int with_context,
			int *found)
{
	const struct tm_context *cp = fixed;
	struct tm_context ctx;
	struct tolk_err err;
	char *line = NULL, *prev = NULL, *cur = NULL, *next = NULL;
	size_t cap = 0;
	unsigned long lineno = 0;
	int status;

	tolk_err_clear(&err);
	if ((status = next_query(&line, &cap, &lineno,
				 cli->json && !with_context, &cur)))
		goto done;
	while (cur) {
		if (with_context) {
			if ((status =
				 next_query(&line, &cap, &lineno, 0, &next)))
				break;
			if (tm_context_set(&ctx, prev, next, &err)) {
				status = cli_fail(&err);
				break;
			}
			cp = &ctx;
		}
		if ((status = one_query(cli, m, o, cp, cur, 1, found)))
			break;
		free(prev);
		prev = cur;
		cur = NULL;
		if (with_context) {
			cur = next;
			next = NULL;
		} else if ((status = next_query(&line, &cap, &lineno, cli->json,
						&cur))) {
			break;
		}
	}
done:
	free(prev);
	free(cur);
	free(next);
	free(line);
	return status;
}

static int run(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	struct tm_match_opts o = {0};
	struct tm_store *store = NULL;
	struct tm_matcher *m = NULL;
	struct tolk_err err;
	struct tolk_buf joined = TOLK_BUF_INIT;
	const char *query, *prev = NULL, *next = NULL;
	struct tm_context ctx, *cp = NULL;
	long limit = 5, min = 70;
	int opt, status = 0, found = 0, i, with_context = 0;

	tolk_err_clear(&err);
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0) {
		if (opt == OPT_LIMIT &&
		    (status = cli_number_option(cli, "limit", a.arg, 1, 1000000,
						&limit)))
			return status;
		if (opt == OPT_MIN_SCORE &&
		    (status = cli_number_option(cli, "min-score", a.arg, 0, 100,
						&min)))
			return status;
		if (opt == OPT_EXHAUSTIVE)
			o.flags |= TM_MATCH_EXHAUSTIVE;
		if (opt == OPT_PREV)
			prev = a.arg;
		if (opt == OPT_NEXT)
			next = a.arg;
		if (opt == OPT_CONTEXT)
			with_context = 1;
	}
	if (opt < 0)
		return a.status;
	if (argc - a.ind < 1)
		return cli_usage_error(cli, "needs the TEXT to look up (or - "
					    "to read queries from stdin)");
	/* unquoted words are one sentence */
	for (i = a.ind; i < argc; i++)
		if (tolk_buf_puts(&joined, i > a.ind ? " " : "") ||
		    tolk_buf_puts(&joined, argv[i])) {
			cli_error("out of memory");
			status = TOLK_EXIT_FAILURE;
			goto done;
		}
	query = joined.data;
	if (!query || !*query) {
		status = cli_usage_error(cli, "the TEXT to look up is empty");
		goto done;
	}
	if ((status = cli_check_utf8("TEXT", query)) ||
	    (prev && (status = cli_check_utf8("--prev", prev))) ||
	    (next && (status = cli_check_utf8("--next", next))))
		goto done;
	if (with_context && strcmp(query, "-") != 0) {
		status = cli_usage_error(cli, "--context reads its context "
					      "from the lines of -");
		goto done;
	}
	if (with_context && (prev || next)) {
		status = cli_usage_error(cli, "--context takes the context "
					      "from the input, not --prev or "
					      "--next");
		goto done;
	}
	if ((status = cli_open_matcher(cli, &store, &m)))
		goto done;
	o.source_lang = cli->source_lang;
	o.target_lang = cli->target_lang;
	o.min_score = (int)min;
	o.limit = (size_t)limit;
	if (prev || next) {
		/* one neighbour given: the other is the document's edge */
		if (tm_context_set(&ctx, prev, next, &err)) {
			status = cli_fail(&err);
			goto done;
		}
		cp = &ctx;
	}
	if (strcmp(query, "-") == 0)
		status = read_queries(cli, m, &o, cp, with_context, &found);
	else
		status = one_query(cli, m, &o, cp, query, 0, &found);
	if (status == 0)
		status = found ? TOLK_EXIT_OK : TOLK_EXIT_NONE;
done:
	tolk_buf_free(&joined);
	tm_matcher_free(m);
	tm_store_close(store);
	return status;
}

const struct cli_command cli_cmd_lookup = {
    "lookup",
    run,
    "Look up prior translations of a sentence.",
    "TEXT...|-",
    "Prints the stored units whose source best matches TEXT, with a\n"
    "score from 0 to 101 (101: the same text, and stored with the same\n"
    "sentences before and after it as --prev and --next give, a context\n"
    "match; 100: the same text; 90s: differences only in\n"
    "case, punctuation, numbers or tags; below: word edits) and a word\n"
    "diff of the match against TEXT ([-query words-] {+match words+}).\n"
    "Score: 100 * (C - D) / C less the minor penalties, C the words,\n"
    "numbers and placeholders (%s, {0}) of the longer text, D the word\n"
    "edits: a word added, dropped or replaced costs 1, replaced by its\n"
    "inflected form (same stem) 0.3, with a one-letter typo 0.5; a\n"
    "placeholder without one in the other text 1, wherever they stand\n"
    "('%s (%s) tilbyr %s.' -> '%s (%s) tiebyr %s.': 94; markup such as\n"
    "<b> costs tag points only).  Three words, one replaced: 66;\n"
    "'kommune' -> 'kommunene': 90.  When the texts share a word, their\n"
    "character-level similarity (100 * (L - d) / L, d the letters\n"
    "edited, L the longer text's) is taken where higher, adding at most\n"
    "15 and half a word (50 / C), in texts of up to four words and\n"
    "numbers: 'Tid for markørblink' ->\n"
    "'Tid markørblink': 78.\n"
    "Equal scores: closest to TEXT character by character first, then\n"
    "newest change, then most used.  Unquoted words are one TEXT.\n"
    "When a match differs only in placeables, its target is also shown\n"
    "with the query's put in (adapted), in the target's notation:\n"
    "numbers (1,5 -> 1.5), times (kl. 19 -> 19:00 or 7 pm), dates\n"
    "(28. november -> 28 November or November 28th), and tags and\n"
    "placeholders in the same places ({0} -> {1}) when each occurs once\n"
    "in the source and the target; a moved tag too, where the query puts\n"
    "it against a number or word the target has once (<b>12</b>), or at\n"
    "its start or end.  When nothing reaches\n"
    "the minimum score, units whose source TEXT contains (several words\n"
    "and a fifth of TEXT or more) are shown as partial matches.\n"
    "Under each match a dim line says where it came from: change (else\n"
    "creation) date, author (changeid, else creationid), origin (the\n"
    "imported file, or add) and usage count, then its notes; --json has\n"
    "\"note\" (a list), \"created\", \"changed\" (ISO 8601), \"author\",\n"
    "\"origin\" and \"usage\" in every match, null when unknown.\n"
    "With -, reads one query per line from stdin.  Exit status 0 when\n"
    "something matched, 1 when nothing did.\n",
    lookup_opts,
    NULL,
    0,
};
