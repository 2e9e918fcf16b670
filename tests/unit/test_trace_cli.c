/*
 * test_trace_cli.c — `trace info` numbers on the shipped tests/data/traces/small.vmt (counted
 * by hand from its 32 lines) and the exit statuses of trace_cli_main (sim/cli/trace_cli.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/trace_cli.h"
#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"
#include "workloads/trace_convert.h"

static int run(const char *a0, const char *a1, const char *a2, const char *a3, const char *a4,
               const char *a5)
{
	char *argv[] = {(char *)a0, (char *)a1, (char *)a2, (char *)a3,
	                (char *)a4, (char *)a5, NULL};
	int argc = 0;
	while (argv[argc])
		argc++;
	return trace_cli_main(argc, argv);
}

int main(void)
{
	struct trace_read_opts opts = {.page_size = 4096};
	struct err err = {{0}};
	struct trace_info info;
	CHECK(trace_info_compute("tests/data/traces/small.vmt", NULL, &opts, &info, &err) == 0);
	CHECK_EQ_U64(info.nr_ops, 32);
	CHECK_EQ_U64(info.nr_processes, 3);
	CHECK_EQ_U64(info.ops_by_kind[OP_READ], 4);
	CHECK_EQ_U64(info.ops_by_kind[OP_WRITE], 5);
	CHECK_EQ_U64(info.ops_by_kind[OP_EXEC], 2);
	CHECK_EQ_U64(info.ops_by_kind[OP_MMAP], 5);
	CHECK_EQ_U64(info.ops_by_kind[OP_MUNMAP], 1);
	CHECK_EQ_U64(info.ops_by_kind[OP_MPROTECT], 1);
	CHECK_EQ_U64(info.ops_by_kind[OP_MADVISE], 2);
	CHECK_EQ_U64(info.ops_by_kind[OP_MSYNC], 1);
	CHECK_EQ_U64(info.ops_by_kind[OP_FORK], 2);
	CHECK_EQ_U64(info.ops_by_kind[OP_WAIT], 2);
	CHECK_EQ_U64(info.ops_by_kind[OP_EXECVE], 1);
	CHECK_EQ_U64(info.ops_by_kind[OP_EXIT], 3);
	CHECK_EQ_U64(info.ops_by_kind[OP_COMPUTE], 2);
	CHECK_EQ_U64(info.ops_by_kind[OP_FILE], 1);
	CHECK_EQ_U64(info.nr_accesses, 11);
	/* pages 0x10, 0x11, 0x200, 0x400, 0x7f0000000; per process 5 + 2 (0x10, 0x11) + 1 */
	CHECK_EQ_U64(info.pages_touched, 5);
	CHECK_EQ_U64(info.process_pages_touched, 8);
	CHECK_EQ_U64(info.footprint_bytes, 5 * 4096);
	CHECK_EQ_U64(info.compute_ns, 1250);

	/* the same numbers from the vmb form */
	const char *b = tt_path("s.vmb");
	CHECK(trace_convert("tests/data/traces/small.vmt", NULL, b, NULL, &opts, &err) == 0);
	struct trace_info info2;
	CHECK(trace_info_compute(b, NULL, &opts, &info2, &err) == 0);
	CHECK(memcmp(&info, &info2, sizeof(info)) == 0);

	/* exit statuses (messages go to stderr) */
	CHECK_EQ_U64(run("trace", "info", "tests/data/traces/small.vmt", NULL, NULL, NULL), 0);
	CHECK_EQ_U64(
	    run("trace", "convert", "tests/data/traces/small.vmt", tt_path("o.vmt"), "--to", "vmt"),
	    0);
	CHECK_EQ_U64(run("trace", NULL, NULL, NULL, NULL, NULL), 2);
	CHECK_EQ_U64(run("trace", "--help", NULL, NULL, NULL, NULL), 0);
	CHECK_EQ_U64(run("trace", "frobnicate", NULL, NULL, NULL, NULL), 2);
	CHECK_EQ_U64(run("trace", "info", NULL, NULL, NULL, NULL), 2);
	CHECK_EQ_U64(run("trace", "info", "a.vmt", "--from", "nope", NULL), 2);
	CHECK_EQ_U64(run("trace", "info", "tests/data/traces/small.vmt", "--bogus", NULL, NULL), 2);
	CHECK_EQ_U64(run("trace", "info", "/nonexistent.vmt", NULL, NULL, NULL), 2);
	CHECK_EQ_U64(run("trace", "info", "noext", NULL, NULL, NULL), 2);
	CHECK_EQ_U64(
	    run("trace", "convert", "tests/data/traces/small.vmt", tt_path("o.lackey"), NULL, NULL),
	    2);
	CHECK_EQ_U64(run("trace", "info", tt_text("m.vmt", "1 fly\n"), NULL, NULL, NULL), 2);
	CHECK_EQ_U64(run("trace", "convert", "tests/data/traces/small.vmt",
	                 "/nonexistent-dir/o.vmb", NULL, NULL),
	             1);

	tt_cleanup();
	TEST_DONE();
}
