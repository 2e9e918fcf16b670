/*
 * cli.h — the table of vmsim's subcommands (cli.c): run, sweep, plot, trace, mrc, policies and
 * help. Each takes argv with argv[0] = its name and returns an exit status (0, 1 or 2).
 */
#ifndef VMSIM_SIM_CLI_CLI_H
#define VMSIM_SIM_CLI_CLI_H

struct cli_command {
	const char *name;
	int (*main)(int argc, char **argv);
};

/* The command called name, or NULL. */
const struct cli_command *cli_find(const char *name);

#endif
