/*
 * trace_cli.h — `vmsim trace convert IN OUT [--from FORMAT] [--to FORMAT]` and
 * `vmsim trace info FILE`: the command; the work is done by workloads/trace_convert.h.
 */
#ifndef VMSIM_SIM_CLI_TRACE_CLI_H
#define VMSIM_SIM_CLI_TRACE_CLI_H

/* The `trace` command: argv[0] = "trace", argv[1] = convert | info | --help. Prints results
 * on stdout and messages on stderr; returns the exit status: 0 success, 1 a host I/O failure,
 * 2 bad usage or bad input. */
int trace_cli_main(int argc, char **argv);

#endif
