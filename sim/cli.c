/*
 * cli.c — the registry of sub-commands implemented outside main.c. Adding one: write its
 * `int NAME_cli_main(int argc, char **argv)` and add one line below.
 */
#include "sim/cli.h"

#include <string.h>

#include "sim/mrc.h"
#include "sim/plot_cli.h"
#include "sim/sweep_cli.h"
#include "sim/util.h"
#include "workloads/trace_cli.h"

static const struct cli_command commands[] = {
    {"sweep", sweep_cli_main},
    {"plot", plot_cli_main},
    {"trace", trace_cli_main},
    {"mrc", mrc_cli_main},
    {NULL, NULL},
};

const struct cli_command *cli_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].name && strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}
