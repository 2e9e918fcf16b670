/*
 * main.c — the vmsim command line (../shared/DESIGN.md): every subcommand is found in one
 * table (cli.c) and is the only kind of code that prints errors and chooses exit statuses:
 * 0 success, 1 the simulation failed or was interrupted, 2 bad usage or bad input (config,
 * trace, command line), with a message on stderr naming the file and the JSON path or line.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli.h"

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "vmsim: missing command\n(see vmsim --help)\n");
		return 2;
	}
	/* A file grown past `ulimit -f` fails its write with EFBIG (a message naming the file,
	 * exit 1, temporary files removed) instead of killing vmsim. */
	signal(SIGXFSZ, SIG_IGN);
	const char *cmd = argv[1];
	if (!strcmp(cmd, "--version")) {
		printf("vmsim %s\n", VMSIM_VERSION);
		return 0;
	}
	/* --help and -h are `help` (which prints the usage, unless asked for `help config`). */
	bool help = !strcmp(cmd, "--help") || !strcmp(cmd, "-h");
	const struct cli_command *c = cli_find(help ? "help" : cmd);
	if (!c) {
		fprintf(stderr, "vmsim: unknown command \"%s\"\n(see vmsim --help)\n", cmd);
		return 2;
	}
	return c->main(argc - 1, argv + 1);
}
