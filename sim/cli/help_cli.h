/*
 * help_cli.h — `vmsim help [config]` (also `vmsim --help`) and `vmsim policies`.
 */
#ifndef VMSIM_SIM_CLI_HELP_CLI_H
#define VMSIM_SIM_CLI_HELP_CLI_H

/* argv[0] is "help": the usage of every command on stdout; `help config` prints the
 * documentation of every config key (docs/config.md). Returns 0. */
int help_cli_main(int argc, char **argv);
/* argv[0] is "policies": the replacement policies, what each observes, their parameters.
 * Returns 0, or 2 on an unexpected argument. */
int policies_cli_main(int argc, char **argv);

#endif
