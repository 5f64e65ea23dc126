#include "cli/cli.h"
#include "tm/match.h"
#include "util/buf.h"
#include "util/limit.h"
#include "util/utf8.h"

#include <stdlib.h>
#include <string.h>

enum {
	OPT_LIMIT = CLI_OPT_FIRST_LOCAL,
	OPT_MIN_SCORE,
	OPT_EXHAUSTIVE,
};

static const struct cli_option lookup_opts[] = {
    {"min-score", 0, OPT_MIN_SCORE, "N",
     "lowest score shown (0-100, default 70)"},
    {"limit", 0, OPT_LIMIT, "N", "at most N matches (default 5)"},
    {"exhaustive", 0, OPT_EXHAUSTIVE, NULL,
     "score every unit instead of using the index"},
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
	tolk_json_obj_end(j);
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
		       cli_color(cli, x->score == 100 ? CLI_GREEN : CLI_YELLOW),
		       x->score, cli_color(cli, CLI_RESET),
		       cli_color(cli, CLI_DIM), (long long)x->id,
		       cli_color(cli, CLI_RESET));
		printf("  %-5s ", x->source_lang);
		print_diff_source(cli, query, x);
		printf("  %-5s %s%s%s\n", x->target_lang,
		       cli_color(cli, CLI_BOLD), x->target,
		       cli_color(cli, CLI_RESET));
		if (x->adapted)
			printf("  %-5s %s%s%s  (adapted: numbers from the "
			       "query)\n",
			       x->target_lang, cli_color(cli, CLI_BOLD),
			       x->adapted, cli_color(cli, CLI_RESET));
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
	}
}

/* Answers one query; *found is set when anything matched. */
static int one_query(struct cli *cli, struct tm_matcher *m,
		     const struct tm_match_opts *o, const char *query,
		     int batch, int *found)
{
	struct tm_match_result r;
	struct tolk_err err;
	struct tolk_json j;
	size_t i;
	int status = 0;

	tolk_err_clear(&err);
	if (tm_match_lookup(m, query, o, &r, &err)) {
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
		status = cli_json_line(&j);
		tolk_json_release(&j);
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

static int read_queries(struct cli *cli, struct tm_matcher *m,
			const struct tm_match_opts *o, int *found)
{
	char *line = NULL;
	size_t cap = 0, bad;
	unsigned long lineno = 0;
	ssize_t n;
	int status = 0;

	while ((n = tolk_read_line(stdin, &line, &cap, TOLK_MAX_SEG_BYTES)) !=
	       -1) {
		lineno++;
		if (n == -2) {
			cli_error("-:%lu: query longer than the limit of "
				  "%d bytes",
				  lineno, TOLK_MAX_SEG_BYTES);
			status = TOLK_EXIT_USAGE;
			break;
		}
		if (n < 0) {
			cli_error("out of memory");
			status = TOLK_EXIT_FAILURE;
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		/* a byte-order mark is not part of the first query */
		if (lineno == 1 && n >= 3 &&
		    memcmp(line, "\xef\xbb\xbf", 3) == 0) {
			memmove(line, line + 3, (size_t)n - 2);
			n -= 3;
		}
		if (!tolk_utf8_valid(line, (size_t)n, &bad)) {
			cli_error("-:%lu:%zu: query is not valid UTF-8", lineno,
				  bad + 1);
			status = TOLK_EXIT_USAGE;
			break;
		}
		if (n == 0 && !cli->json)
			continue;
		if ((status = one_query(cli, m, o, line, 1, found)))
			break;
	}
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
	const char *query;
	long limit = 5, min = 70;
	int opt, status = 0, found = 0, i;

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
	if ((status = cli_check_utf8("TEXT", query)))
		goto done;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST, &store)))
		goto done;
	if (tm_matcher_new(&m, store, &err)) {
		status = cli_fail(&err);
		goto done;
	}
	o.source_lang = cli->source_lang;
	o.target_lang = cli->target_lang;
	o.min_score = (int)min;
	o.limit = (size_t)limit;
	if (strcmp(query, "-") == 0)
		status = read_queries(cli, m, &o, &found);
	else
		status = one_query(cli, m, &o, query, 0, &found);
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
    "score from 0 to 100 (100: the same text; 90s: differences only in\n"
    "case, punctuation, numbers or tags; below: word edits) and a word\n"
    "diff of the match against TEXT ([-query words-] {+match words+}).\n"
    "Score: 100 * (C - D) / C less the minor penalties, C the words and\n"
    "numbers of the longer text, D the word edits: a word added, dropped\n"
    "or replaced costs 1, replaced by its inflected form (same stem) 0.3,\n"
    "with a one-letter typo 0.5.  Three words, one replaced: 66;\n"
    "'kommune' -> 'kommunene': 90; 'Formater' -> 'Tormater': 83.\n"
    "Equal scores: closest to TEXT character by character first, then\n"
    "newest change, then most used.  Unquoted words are one TEXT.\n"
    "When a match differs only in numbers, its target is also shown\n"
    "with the query's numbers put in (adapted).  When nothing reaches\n"
    "the minimum score, units whose source TEXT contains (several words\n"
    "and a fifth of TEXT or more) are shown as partial matches.\n"
    "With -, reads one query per line from stdin.  Exit status 0 when\n"
    "something matched, 1 when nothing did.\n",
    lookup_opts,
    NULL,
    0,
};
