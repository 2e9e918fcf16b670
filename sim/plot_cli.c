/*
 * plot_cli.c — placeholder, replaced below.
 */
#include "sim/plot_cli.h"

#include <stdio.h>

int plot_cli_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fputs("vmsim plot: not yet\n", stderr);
	return 2;
}
