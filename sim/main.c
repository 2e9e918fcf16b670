/* TEMPORARY (sweep branch): dispatch sweep/plot until the lead's main.c lands. */
#include <stdio.h>
#include <string.h>

#include "sim/plot_cli.h"
#include "sim/sweep_cli.h"

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "sweep"))
		return sweep_cli_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "plot"))
		return plot_cli_main(argc - 1, argv + 1);
	fprintf(stderr, "vmsim: unknown command\n");
	return 2;
}
