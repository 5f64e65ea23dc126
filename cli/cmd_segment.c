#include "cli/cli.h"
#include "tm/segment.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_LANG = CLI_OPT_FIRST_LOCAL, OPT_SRX, OPT_SRX_ONLY };

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

CLI_COMMAND(segment)
{
	static const struct option opts[] = {
	    CLI_COMMON_OPTIONS,
	    {"json", no_argument, NULL, CLI_OPT_JSON},
	    {"lang", required_argument, NULL, OPT_LANG},
	    {"srx", required_argument, NULL, OPT_SRX},
	    {"srx-only", no_argument, NULL, OPT_SRX_ONLY},
	    {NULL, 0, NULL, 0},
	};
	struct tm_segmenter *sg = NULL;
	struct tm_sentence *s = NULL;
	const char *lang = cli->source_lang, *srx = NULL, *path = "-";
	unsigned flags = 0;
	struct tolk_err err;
	char *text = NULL;
	size_t len = 0, n = 0, i, cp_at = 0, cp_n = 0;
	int opt, status = 0;

	tolk_err_clear(&err);
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (cli_common_option(cli, opt, optarg, &status)) {
			if (status >= 0)
				return status;
			continue;
		}
		switch (opt) {
		case OPT_LANG:
			lang = optarg;
			break;
		case OPT_SRX:
			srx = optarg;
			break;
		case OPT_SRX_ONLY:
			flags |= TM_SEGMENT_SRX_ONLY;
			break;
		}
	}
	status = 0;
	if ((flags & TM_SEGMENT_SRX_ONLY) && !srx)
		return cli_usage_error(cli, "--srx-only needs --srx FILE: "
					    "tolk's own rules correct ICU "
					    "and do not stand alone");
	if (argc - optind > 1)
		return cli_usage_error(cli, "too many arguments");
	if (argc - optind == 1)
		path = argv[optind];
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
			cli_json_line(&j);
			tolk_json_release(&j);
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
