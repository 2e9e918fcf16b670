/*
 * help_cli.c — `vmsim help` (the usage of every command, or with `config` the documentation of
 * every config key) and `vmsim policies` (the registry of replacement policies).
 */
#include "sim/cli/help_cli.h"

#include <stdio.h>
#include <string.h>

#include "models/policy/policy.h"
#include "sim/engine/config.h"

static const char usage_text[] =
    "usage: vmsim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run CONFIG.json [-o DIR] [--set KEY=VALUE]... [--seed N] [--check[=N]] [--quiet]\n"
    "                                   [--dry-run] [--max-sim-time PS] [--max-rss MIB]\n"
    "                     simulate one configuration; results go to DIR\n"
    "                     (default results/<config name>)\n"
    "  sweep SWEEP.json [-o DIR] [-j N] [--resume] [--list] [--shard I/N]\n"
    "  sweep --collect DIR\n"
    "                     run a grid of configurations\n"
    "  plot DIR           draw the plots that fit the results in DIR (gnuplot)\n"
    "  plot MRC.csv       draw a miss-ratio curve written by vmsim mrc\n"
    "  report DIR         DIR/report.html: one self-contained page of a run or a sweep\n"
    "  trace convert IN OUT [--from FORMAT] [--to FORMAT]\n"
    "  trace info FILE    convert or describe traces\n"
    "  mrc TRACE [...]    miss-ratio curves: exact LRU/OPT, any policy by miniatures\n"
    "  policies           list the page replacement policies\n"
    "  help config        print the documentation of every config key (docs/config.md)\n"
    "\n"
    "  vmsim <command> --help, vmsim --help, vmsim --version\n"
    "\n"
    "exit status: 0 success, 1 the simulation failed or was interrupted,\n"
    "             2 bad usage or bad input\n";

int help_cli_main(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[0], "help") && !strcmp(argv[1], "config")) {
		config_write_docs(stdout);
		return 0;
	}
	fputs(usage_text, stdout);
	return 0;
}

int policies_cli_main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help")) {
		fprintf(stderr, "vmsim: policies: unexpected argument \"%s\"\n(see vmsim --help)\n",
		        argv[1]);
		return 2;
	}
	printf("%-10s %-8s %s\n", "policy", "observes", "description");
	for (size_t i = 0; i < policy_table_len; i++) {
		const struct policy_ops *p = policy_table[i];
		const char *obs = (p->flags & POLICY_NEEDS_FUTURE)        ? "future"
		                  : (p->flags & POLICY_SEES_EVERY_ACCESS) ? "every"
		                                                          : "bits";
		printf("%-10s %-8s %s%s\n", p->name, obs, p->description,
		       (p->flags & POLICY_LOCAL_ONLY) ? " (local scope)" : "");
		printf("%-10s %-8s source: %s\n", "", "", p->source ? p->source : "-");
		for (const struct param_spec *ps = p->params; ps && ps->key; ps++)
			printf("%-10s %-8s vm.policy_params.%s = %s: %s\n", "", "", ps->key,
			       ps->def ? ps->def : "(required)", ps->doc ? ps->doc : "");
	}
	printf("\nobserves: bits = PTE accessed/dirty bits sampled when scanning (as an OS can);\n"
	       "every = fed every reference (idealised); future = reads the trace's future.\n");
	return 0;
}
