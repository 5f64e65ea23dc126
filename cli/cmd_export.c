#include "cli/cli.h"
#include "tm/tmx.h"

#include <stdlib.h>
#include <string.h>

enum {
	OPT_ALL_LANGUAGES = CLI_OPT_FIRST_LOCAL,
	OPT_SINCE,
	OPT_ORIGIN,
	OPT_KEEP_NO,
};

static const struct cli_option export_opts[] = {
    {"all-languages", 0, OPT_ALL_LANGUAGES, NULL,
     "every unit with all its variants"},
    {"since", 0, OPT_SINCE, "DATE",
     "only units created or changed on or after DATE (YYYY-MM-DD, "
     "YYYYMMDD or YYYYMMDDThhmmssZ); units without dates are left out"},
    {"origin", 0, OPT_ORIGIN, "NAME",
     "only units imported from file NAME (path or base name; either file "
     "of an 'align --import')"},
    {"keep-no", 0, OPT_KEEP_NO, NULL,
     "write Norwegian tagged no as no, not nb"},
    {NULL, 0, 0, NULL, NULL},
};

/* Units named before the rest are only counted. */
#define MAX_WARNINGS 20

struct dropped {
	unsigned long units;
	unsigned long long chars;
};

static void on_warn(void *ctx, const char *file, unsigned long line,
		    unsigned long col, const char *msg)
{
	struct dropped *d = ctx;
	const char *colon = strstr(msg, ": ");

	(void)file, (void)line, (void)col;
	d->units++;
	if (colon)
		d->chars += strtoull(colon + 2, NULL, 10);
	if (d->units <= MAX_WARNINGS)
		cli_error("warning: %s", msg);
}

static int run(struct cli *cli, int argc, char **argv)
{
	struct dropped d = {0, 0};
	struct cli_args a;
	struct tm_tmx_export_opts eo;
	struct tm_store *store = NULL;
	struct tolk_err err;
	char since[17];
	unsigned long n = 0;
	int opt, status = 0;

	tolk_err_clear(&err);
	memset(&eo, 0, sizeof(eo));
	cli_args_init(&a, cli, argc, argv);
	while ((opt = cli_next_option(&a)) > 0) {
		switch (opt) {
		case OPT_ALL_LANGUAGES:
			eo.all_languages = 1;
			break;
		case OPT_SINCE:
			if (tm_tmx_date(a.arg, since))
				return cli_usage_error(
				    cli,
				    "--since: '%s' is not a date "
				    "(YYYY-MM-DD)",
				    a.arg);
			eo.since = since;
			break;
		case OPT_ORIGIN:
			eo.origin = a.arg;
			break;
		case OPT_KEEP_NO:
			eo.keep_no = 1;
			break;
		}
	}
	if (opt < 0)
		return a.status;
	if (argc - a.ind != 1)
		return cli_usage_error(cli, "needs one FILE (or -)");
	eo.source_lang = cli->source_lang;
	eo.target_lang = cli->target_lang;
	eo.warn = on_warn;
	eo.ctx = &d;
	if ((status = cli_open_store(cli, TM_STORE_MUST_EXIST | TM_STORE_READ,
				     &store)))
		return status;
	if (tm_tmx_export(store, argv[a.ind], &eo, &n, &err))
		status = cli_fail(&err);
	else if (strcmp(argv[a.ind], "-") != 0)
		printf("exported %lu unit%s to %s\n", n,
		       cli_plural((long long)n), argv[a.ind]);
	if (d.units)
		cli_error("warning: %llu control character%s that XML 1.0 "
			  "cannot hold left out of %lu unit%s%s",
			  d.chars, cli_plural((long long)d.chars), d.units,
			  cli_plural((long long)d.units),
			  d.units > MAX_WARNINGS ? " (the first 20 named above)"
						 : " (named above)");
	tm_store_close(store);
	return status;
}

const struct cli_command cli_cmd_export = {
    "export",
    run,
    "Export the TM as TMX 1.4b.",
    "FILE|-",
    "Writes the units holding both the source and the target language as\n"
    "TMX 1.4b in UTF-8, through a temporary file that is renamed to FILE\n"
    "('-': standard output).  A unit holds one variant per language in\n"
    "the export: of several (nb and nb-NO), the one whose tag is the one\n"
    "asked for, else the first of that language.  Attributes, props,\n"
    "notes and inline markup are written back as imported; language tags\n"
    "in canonical BCP 47 form, Norwegian as nb; dates as\n"
    "YYYYMMDDThhmmssZ.\n\n"
    "The header is tolk's own; with --origin FILE it is FILE's header as\n"
    "imported.  What a unit took from its file's header (segtype,\n"
    "datatype, o-encoding, srclang) is written on its <tu> where tolk's\n"
    "header says otherwise, so export, import and export again give the\n"
    "same file.  An --origin that matches no unit exports nothing, lists\n"
    "the origins there are, and exits 1 ('tolk stats' lists them too).\n"
    "Control characters that XML 1.0 cannot hold (U+0001...) are left\n"
    "out with a warning naming each unit.\n",
    export_opts,
    NULL,
    CLI_FILES,
};
