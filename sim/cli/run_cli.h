/*
 * run_cli.h — the `vmsim run` command (see run_cli.c and docs/engine.md).
 */
#ifndef VMSIM_SIM_CLI_RUN_CLI_H
#define VMSIM_SIM_CLI_RUN_CLI_H

/* argv[0] is "run". Returns the exit status: 0 success, 1 the simulation failed, was
 * interrupted or passed --max-rss (partial results written), 2 bad usage or bad input. */
int run_cli_main(int argc, char **argv);

#endif
