/* The table of commands, and tolk's own options: `tolk help`, the man
 * page and the completion scripts are generated from here and from each
 * command's table of options. */
#include "cli/cli.h"

#include <stddef.h>

#define CLI_COMMAND_ROW(name) &cli_cmd_##name,
const struct cli_command *const cli_commands[] = {
    CLI_COMMAND_LIST(CLI_COMMAND_ROW) NULL};
#undef CLI_COMMAND_ROW

static const struct cli_option top_opts[] = {
    {"version", 0, CLI_OPT_VERSION, NULL, "print tolk's version and exit"},
    {NULL, 0, 0, NULL, NULL},
};

const struct cli_command cli_top = {
    "",
    NULL,
    "Norwegian (Bokmål) to English translation memory and glossary.",
    "COMMAND [OPTIONS] [ARGS]",
    "tolk keeps a translation memory (TM) in a SQLite database and answers\n"
    "lookups of Norwegian sentences with their prior English translations,\n"
    "with fuzzy matches, concordance, TMX import and export, sentence\n"
    "segmentation and alignment, and a glossary (term base) that\n"
    "translations are checked against.  Language tags are BCP 47; nb, no,\n"
    "nob and nb-NO are the same language for lookups.\n",
    top_opts,
    NULL,
    0,
};
