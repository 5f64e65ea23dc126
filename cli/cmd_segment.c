#include "cli/cli.h"
#include "tm/text/segment.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_LANG = CLI_OPT_FIRST_LOCAL, OPT_SRX, OPT_SRX_ONLY };

static const struct cli_option segment_opts[] = {
    {"lang", 0, OPT_LANG, "L",
     "language of the text (default: --source-lang, nb)"},
    {"srx", 0, OPT_SRX, "FILE", "segmentation rules from an SRX 2.0 file"},
    {"srx-only", 0, OPT_SRX_ONLY, NULL,
     "with --srx: let that file's rules alone decide (no ICU), as OmegaT "
     "and Okapi do"},
    CLI_OPTION_JSON("one object per sentence: id, paragraph, code-point "
		    "offsets start and end in the input, text"),
    {NULL, 0, 0, NULL, NULL},
};

/* Code points in text[0..off), counted on from the last call's offset
 * (*at, *n) when off lies after it. */
static size_t cp_count(const char *text, size_t off, size_t *at, size_t *n)
{
	if (off < *at)
		*at = *n = 0;
	for (; *at < off; (*at)++)
		if (((unsigned char)text[*at] & 0xc0) != 0x80)
			(*n)++;
	return *n;
}

static int run(struct cli *cli, int argc, char **argv)
{
	struct cli_args a;
	struct tm_segmenter *sg = NULL;
	struct tm_sentence *s = NULL;
	const char *lang = cli->source_lang, *srx = NULL, *path = "-";
	unsigned flags = 0;
	struct tolk_err err;
	char *text = NULL;
	size_t len = 0, n = 0, i, cp_at = 0, cp_n = 0;
	int opt, status = 0;

	tolk_err_clear(&err);
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0) {
		switch (opt) {
		case OPT_LANG:
			lang = a.arg;
			break;
		case OPT_SRX:
			srx = a.arg;
			break;
		case OPT_SRX_ONLY:
			flags |= TM_SEGMENT_SRX_ONLY;
			break;
		}
	}
	if (opt < 0)
		return a.status;
	if ((flags & TM_SEGMENT_SRX_ONLY) && !srx)
		return cli_usage_error(cli, "--srx-only needs --srx FILE: "
					    "tolk's own rules correct ICU "
					    "and do not stand alone");
	if (argc - a.ind > 1)
		return cli_usage_error(cli, "too many arguments");
	if (argc - a.ind == 1)
		path = argv[a.ind];
	if (tm_segmenter_new(&sg, lang, srx, flags, &err)) {
		if (err.code == TOLK_EINPUT && !*err.file && !srx)
			return cli_usage_error(cli, "--lang: %s", err.msg);
		return cli_fail(&err);
	}
	if (cli_read_file(path, &text, &len, &err)) {
		status = cli_fail(&err);
		goto done;
	}
	if (tm_segment_text(sg, text, len, &s, &n, &err)) {
		snprintf(err.file, sizeof(err.file), "%s",
			 strcmp(path, "-") ? path : "<stdin>");
		status = cli_fail(&err);
		goto done;
	}
	for (i = 0; i < n; i++) {
		if (cli->json) {
			struct tolk_json j;

			tolk_json_init(&j);
			tolk_json_obj_begin(&j);
			tolk_json_kv_int(&j, "id", (int64_t)i + 1);
			tolk_json_kv_int(&j, "paragraph", (int64_t)s[i].para);
			/* code points, as every command's JSON offsets */
			tolk_json_kv_int(
			    &j, "start",
			    (int64_t)cp_count(text, s[i].start, &cp_at, &cp_n));
			tolk_json_kv_int(
			    &j, "end",
			    (int64_t)cp_count(text, s[i].end, &cp_at, &cp_n));
			tolk_json_key(&j, "text");
			tolk_json_strn(&j, text + s[i].start,
				       s[i].end - s[i].start);
			tolk_json_obj_end(&j);
			status = cli_json_emit(&j);
			if (status)
				goto done;
			continue;
		}
		if (i > 0 && s[i].para != s[i - 1].para)
			putchar('\n');
		fwrite(text + s[i].start, 1, s[i].end - s[i].start, stdout);
		putchar('\n');
	}
done:
	free(s);
	free(text);
	tm_segmenter_free(sg);
	return status;
}

const struct cli_command cli_cmd_segment = {
    "segment",
    run,
    "Split text into sentences.",
    "[FILE|-]",
    "Prints the sentences of FILE (standard input without FILE or with "
    "-), one per\nline, with an empty line between paragraphs.  A line "
    "of input is a\nparagraph; sentences never cross paragraphs.\n\n"
    "ICU's sentence break iterator for the language proposes the "
    "boundaries and\nSRX 2.0 rules correct it (abbreviations such as "
    "bl.a., f.eks., kl., nr., Mr.,\ne.g.; ordinal dates as 17. mai; "
    "initials as J. G. Støre; ...).  tolk's own\nNorwegian and English "
    "rules are built in; --srx replaces them with any SRX\n2.0 file "
    "(break and no-break rules, language maps, cascading, ICU "
    "regular\nexpressions; Java look-behinds are bounded).\n",
    segment_opts,
    NULL,
    CLI_FILES,
};
