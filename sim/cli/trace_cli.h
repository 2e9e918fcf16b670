/*
 * trace_cli.h — `vmsim trace convert IN OUT [--from FORMAT] [--to FORMAT]` and
 * `vmsim trace info FILE`, `vmsim trace stats FILE` (trace_stats.c): the command; the work is
 * done by workloads/trace_convert.h.
 */
#ifndef VMSIM_SIM_CLI_TRACE_CLI_H
#define VMSIM_SIM_CLI_TRACE_CLI_H

/* The `trace` command: argv[0] = "trace", argv[1] = convert | info | --help. Prints results
 * on stdout and messages on stderr; returns the exit status: 0 success, 1 a host I/O failure,
 * 2 bad usage or bad input. */
int trace_cli_main(int argc, char **argv);

struct trace_read_opts;
/* The options of the import formats (--champsim-layout, --no-instruction-fetches,
 * --block-access, --csv-*): 1 if argv[*i] is one (*i moved past its value; *rc = 2 after a
 * usage message on a bad value), 0 if not. */
int trace_cli_reader_option(int argc, char **argv, int *i, struct trace_read_opts *o, int *rc);

#endif
