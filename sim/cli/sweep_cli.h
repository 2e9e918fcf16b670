/*
 * sweep_cli.h — the `vmsim sweep` command (see sweep_cli.c and docs/sweeps.md).
 */
#ifndef VMSIM_SIM_CLI_SWEEP_CLI_H
#define VMSIM_SIM_CLI_SWEEP_CLI_H

/* argv[0] is "sweep". Returns the exit status: 0 every point ok, 1 some point failed (the
 * summary still has a row for it), 2 bad usage or a bad sweep file, 130 interrupted. */
int sweep_cli_main(int argc, char **argv);

#endif
