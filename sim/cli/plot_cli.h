/*
 * plot_cli.h — the `vmsim plot` command (see plot_cli.c and docs/sweeps.md).
 */
#ifndef VMSIM_SIM_CLI_PLOT_CLI_H
#define VMSIM_SIM_CLI_PLOT_CLI_H

/* argv[0] is "plot". Returns the exit status: 0 plots written, 1 gnuplot failed, 2 bad usage,
 * nothing to plot in DIR, or gnuplot not found on PATH. */
int plot_cli_main(int argc, char **argv);

#endif
