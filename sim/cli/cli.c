/*
 * cli.c — the registry of vmsim's subcommands. Adding one: write its
 * `int NAME_cli_main(int argc, char **argv)` in sim/cli/NAME_cli.c, add one line below and
 * its line in help_cli.c's usage text.
 */
#include "sim/cli/cli.h"

#include <string.h>

#include "sim/base/util.h"
#include "sim/cli/help_cli.h"
#include "sim/cli/mrc.h"
#include "sim/cli/plot_cli.h"
#include "sim/cli/report.h"
#include "sim/cli/run_cli.h"
#include "sim/cli/sweep_cli.h"
#include "sim/cli/trace_cli.h"

static const struct cli_command commands[] = {
    {"run", run_cli_main},       {"sweep", sweep_cli_main}, {"plot", plot_cli_main},
    {"trace", trace_cli_main},   {"mrc", mrc_cli_main},     {"policies", policies_cli_main},
    {"report", report_cli_main}, {"help", help_cli_main},
};

const struct cli_command *cli_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}
