/*
 * test_trace_vmt.c — the vmt text format: every operation of the grammar parses to the op it
 * names (read back in normal form), comments/blank lines/decimal and hex are accepted, and each
 * class of malformed input gives its message with FILE:LINE (the line of the culprit).
 */
#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"

static void check_error(const char *text, const char *want_line, const char *want_msg)
{
	const char *p = tt_text("bad.vmt", text);
	const char *msg = tt_error(p, "vmt");
	char where[300];
	snprintf(where, sizeof(where), "%s:%s: ", p, want_line);
	CHECK_STR_CONTAINS(msg, where);
	CHECK_STR_CONTAINS(msg, want_msg);
}

int main(void)
{
	/* Loose input (comments, blanks, decimal, upper-case hex, tabs) -> the normal form. */
	const char *p = tt_text("loose.vmt", "# header comment\n"
	                                     "\n"
	                                     "file  f.dat\t4096\n"
	                                     "7 mmap 65536 0X2000 rw anon private # trailing\n"
	                                     "7\tw 0x10ABC\n"
	                                     "7 mmap 0x400000 4096 rwx file:f.dat:0 private\n"
	                                     "7 mmap 0x600000 0x200000 rw anon shared huge\n"
	                                     "7 mprotect 0x10000 0x1000 none\n"
	                                     "7 fork 8\n"
	                                     "8 x 4194304\n"
	                                     "8 exit\n"
	                                     "7 wait 8\n"
	                                     "7 wait\n"
	                                     "7 compute 0x10\n");
	struct err err = {{0}};
	char *got = tt_as_vmt(p, NULL, &err);
	CHECK(got != NULL);
	if (got)
		CHECK(strcmp(got, "file f.dat 0x1000\n"
		                  "7 mmap 0x10000 0x2000 rw anon private\n"
		                  "7 w 0x10abc\n"
		                  "7 mmap 0x400000 0x1000 rwx file:f.dat:0x0 private\n"
		                  "7 mmap 0x600000 0x200000 rw anon shared huge\n"
		                  "7 mprotect 0x10000 0x1000 none\n"
		                  "7 fork 8\n"
		                  "8 x 0x400000\n"
		                  "8 exit\n"
		                  "7 wait 8\n"
		                  "7 wait\n"
		                  "7 compute 16\n") == 0);
	free(got);

	/* The shipped normal-form trace reads back as itself. */
	char *orig = tt_slurp("tests/data/traces/small.vmt", NULL);
	got = tt_as_vmt("tests/data/traces/small.vmt", NULL, &err);
	CHECK(orig && got && strcmp(orig, got) == 0);
	free(orig);
	free(got);

	/* Malformed classes, each with FILE:LINE. */
	check_error("1 mmap 0x0 0x1000 rw anon private\n1 jump 0x0\n", "2",
	            "unknown operation \"jump\"");
	check_error("1 w 0x1z\n", "1", "expected an address (decimal or 0x hex), got \"0x1z\"");
	check_error("1 w 12abc\n", "1", "expected an address");
	check_error("1 w 99999999999999999999999\n", "1", "expected an address");
	check_error("1 compute -5\n", "1", "expected nanoseconds");
	check_error("x1 w 0x0\n", "1", "expected a pid");
	check_error("1 w 0x1000\n1 w 0x200000000000000\n", "2",
	            "address 0x200000000000000 is beyond the 57-bit virtual address space");
	check_error("1 mmap 0x1ffffffffff0000 0x20000 rw anon private\n", "1",
	            "beyond the 57-bit virtual address space");
	check_error("1 mmap 0x1000 0 rw anon private\n", "1", "empty range");
	check_error("1 w 0x1000\n2 w 0x1000\n", "2", "pid 2 does not exist (it was never forked)");
	check_error("1 fork 2\n2 fork 1\n", "2", "fork of pid 1, which already exists");
	check_error("1 fork 2\n2 exit\n1 fork 2\n", "3", "fork of pid 2, which already exists");
	check_error("1 fork 2\n2 exit\n# gap\n\n2 w 0x0\n", "5",
	            "pid 2 has exited; no operation may follow its exit");
	check_error("1 fork 2\n2 fork 3\n1 wait 3\n", "3",
	            "pid 1 waits for pid 3, which is not its child");
	check_error("1 mmap 0x0 0x1000 r file:nope:0 private\n", "1",
	            "mmap of file nope, which was not declared");
	check_error("file a 0x10\nfile a 0x20\n", "2", "file a declared again with size 32");
	check_error("1 mmap 0x0 0x1000 rwz anon private\n", "1", "expected a protection");
	check_error("1 mmap 0x0 0x1000 rw anon\n", "1", "expected \"PID mmap ADDR LEN PROT");
	check_error("1 mmap 0x0 0x1000 rw file:x private\n", "1", "expected file:NAME:OFFSET");
	check_error("1 mmap 0x0 0x1000 rw anon public\n", "1", "expected private or shared");
	check_error("1 madvise 0x0 0x1000 mergeable\n", "1",
	            "expected an advice (hugepage|nohugepage|dontneed|normal");
	check_error("1 r\n", "1", "expected \"PID r|w|x ADDR\"");
	check_error("1 fork 0\n", "1", "a child pid must be in 1..");
	check_error("0 w 0x0\n", "1", "a pid must be in 1..");
	check_error("1 exit now\n", "1", "expected \"PID exit\"");

	tt_cleanup();
	TEST_DONE();
}
