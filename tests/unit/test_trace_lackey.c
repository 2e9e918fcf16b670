/*
 * test_trace_lackey.c — the lackey importer: the shipped tests/data/traces/tiny.lackey (made
 * by valgrind from tiny_lackey.c) gives exactly the ops read off its 40 lines by hand; syscall
 * lines become mmap/munmap/mprotect/madvise/fork/wait/exit with file names from openat and
 * synthetic mappings where nothing is known; page-spanning accesses touch both pages; a
 * recording folder merges per-process logs (fork, exec across two logs); malformed access
 * lines name FILE:LINE.
 */
#include <sys/stat.h>

#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"
#include "workloads/trace_convert.h"

int main(void)
{
	struct err err = {{0}};
	struct trace_read_opts opts = {.page_size = 4096};

	/* tiny.lackey: 9 I lines (x), S 403000, S 404000, L 403000, M 403008 (r then w),
	 * S 404ffc,8 (spans pages 0x404 and 0x405: two writes); the first access synthesises
	 * the 1 GiB area [0, 0x40000000); exit(0) of the main thread is the exit. */
	char *got = tt_as_vmt("tests/data/traces/tiny.lackey", NULL, &err);
	CHECK(got != NULL);
	if (got)
		CHECK(strcmp(got, "14563 mmap 0x0 0x40000000 rwx anon private\n"
		                  "14563 x 0x401000\n14563 x 0x401007\n14563 w 0x403000\n"
		                  "14563 x 0x40100a\n14563 w 0x404000\n14563 x 0x401011\n"
		                  "14563 r 0x403000\n14563 x 0x401014\n14563 r 0x403008\n"
		                  "14563 w 0x403008\n14563 x 0x401018\n14563 w 0x404ffc\n"
		                  "14563 w 0x405000\n14563 x 0x40101f\n14563 x 0x401024\n"
		                  "14563 x 0x401026\n14563 exit\n") == 0);
	free(got);
	struct trace_info info;
	CHECK(trace_info_compute("tests/data/traces/tiny.lackey", NULL, &opts, &info, &err) == 0);
	CHECK_EQ_U64(info.ops_by_kind[OP_EXEC], 9);
	CHECK_EQ_U64(info.ops_by_kind[OP_READ], 2);
	CHECK_EQ_U64(info.ops_by_kind[OP_WRITE], 5);
	CHECK_EQ_U64(info.ops_by_kind[OP_MMAP], 1);
	CHECK_EQ_U64(info.ops_by_kind[OP_EXIT], 1);
	CHECK_EQ_U64(info.nr_ops, 18);
	CHECK_EQ_U64(info.nr_processes, 1);
	CHECK_EQ_U64(info.pages_touched, 4); /* 0x401, 0x403, 0x404, 0x405 */

	/* syscall lines (valgrind --trace-syscalls=yes) */
	const char *sys = tt_text(
	    "sys.lackey",
	    "==100== Lackey, an example Valgrind tool\n"
	    "==100== Parent PID: 99\n"
	    "I  00400000,4\n"
	    "SYSCALL[100,1](257) sys_openat ( 4294967196, 0x4000(/nonexistent/f b:1), 0 ) "
	    "--> [async] ... \n"
	    "SYSCALL[100,1](257) ... [async] --> Success(0x3) \n"
	    "SYSCALL[100,1](9) sys_mmap ( 0x0, 8192, 1, 2, 3, 4096 ) --> [pre-success] "
	    "Success(0x4835000) \n"
	    " L 04835ffe,4\n"
	    "SYSCALL[100,1](9) sys_mmap ( 0x0, 4096, 3, 34, 4294967295, 0 ) --> "
	    "[pre-success] Success(0x7000000000) \n"
	    " M 7000000ffc,8\n"
	    "SYSCALL[100,1](10) sys_mprotect ( 0x4835000, 4096, 3 )[sync] --> Success(0x0) \n"
	    "SYSCALL[100,1](10) sys_mprotect ( 0x4835000, 4096, 7 )[sync] --> Failure(0xc) \n"
	    "SYSCALL[100,1](11) sys_munmap ( 0x4835000, 8192 )[sync] --> Success(0x0) \n"
	    "SYSCALL[100,1](28) sys_madvise ( 0x7000000000, 4096, 4 )[sync] --> Success(0x0) \n"
	    "SYSCALL[100,1](28) sys_madvise ( 0x7000000000, 4096, 8 )[sync] --> Success(0x0) \n"
	    "SYSCALL[100,1](28) sys_madvise ( 0x7000000000, 4096, 12 )[sync] --> Success(0x0) \n"
	    "SYSCALL[100,1](28) sys_madvise ( 0x7000000000, 4096, 23 )[sync] --> Success(0x0) \n"
	    "SYSCALL[100,1](9) sys_mmap ( 0x0, 4096, 3, 32802, 4294967295, 0 ) --> "
	    "[pre-success] Success(0x7100000000) \n"
	    "SYSCALL[100,1](12) sys_brk ( 0x0 ) --> [pre-success] Success(0x4035000) \n"
	    "SYSCALL[100,1](12) sys_brk ( 0x4037000 ) --> [pre-success] Success(0x4037000) \n"
	    "SYSCALL[100,1](12) sys_brk ( 0x4036000 ) --> [pre-success] Success(0x4036000) \n"
	    "SYSCALL[100,1](9) sys_mmap ( 0x7000000000, 4096, 3, 1048610, 4294967295, 0 ) --> "
	    "[pre-success] Failure(0x11) \n"
	    "SYSCALL[100,1](9) sys_mmap ( 0x7200000000, 8192, 3, 16674, 4294967295, 0 ) --> "
	    "[pre-success] Success(0x7200000000) \n"
	    "SYSCALL[100,1](9) sys_mmap ( 0x7300000000, 4096, 3, 8242, 4294967295, 0 ) --> "
	    "[pre-success] Success(0x7300000000) \n"
	    "SYSCALL[100,1](149) sys_mlock ( 0x7200000010, 4096 ) --> [async] ... \n"
	    "SYSCALL[100,1](149) ... [async] --> Success(0x0) \n"
	    "SYSCALL[100,1](150) sys_munlock ( 0x7200000000, 4096 ) --> [async] ... \n"
	    "SYSCALL[100,1](150) ... [async] --> Success(0x0) \n"
	    "SYSCALL[100,1](151) sys_mlockall ( 7 ) --> [async] ... \n"
	    "SYSCALL[100,1](151) ... [async] --> Success(0x0) \n"
	    "SYSCALL[100,1](152) sys_munlockall ( ) --> [async] ... \n"
	    "SYSCALL[100,1](152) ... [async] --> Success(0x0) \n"
	    "SYSCALL[100,1](319) sys_memfd_create ( 0x10a004, 0 )[sync] --> Success(0x4) \n"
	    "SYSCALL[100,1](77) sys_ftruncate ( 4, 8192 ) --> [async] ... \n"
	    "SYSCALL[100,1](77) ... [async] --> Success(0x0) \n"
	    "SYSCALL[100,1](9) sys_mmap ( 0x0, 8192, 3, 1, 4, 0 ) --> [pre-success] "
	    "Success(0x483f000) \n"
	    "SYSCALL[100,1](3) sys_close ( 4 )[sync] --> Success(0x0) \n"
	    "SYSCALL[100,1](29) sys_shmget ( 0, 5000, 896 )[sync] --> Success(0x5) \n"
	    "SYSCALL[100,1](30) sys_shmat ( 5, 0x0, 4096 )[sync] --> Success(0x4841000) \n"
	    "SYSCALL[100,1](67) sys_shmdt ( 0x4841000 )[sync] --> Success(0x0) \n"
	    "SYSCALL[100,1](31) sys_shmctl ( 5, 0, 0x0 )[sync] --> Success(0x0) \n"
	    "SYSCALL[100,1](13) sys_rt_sigaction ( 11, 0x1fff000310, 0x0, 8 ) --> [pre-success] "
	    "Success(0x0) \n"
	    "SYSCALL[100,1](13) sys_rt_sigaction ( 7, 0x0, 0x1fff000310, 8 ) --> [pre-success] "
	    "Success(0x0) \n"
	    "SYSCALL[100,1](56) sys_clone ( 1200011, 0x0, 0x0, 0x4a29a10, 0x0 )   "
	    "clone(fork): process 100 created child 101\n"
	    "SYSCALL[100,1](61) sys_wait4 ( 101, 0x0, 0, 0x0 ) --> [async] ... \n"
	    "==100== some valgrind chatter\n"
	    "SYSCALL[100,1](231) exit_group( 0 ) --> [pre-success] Success(0x0) \n");
	got = tt_as_vmt(sys, "lackey", &err);
	CHECK(got != NULL);
	if (got)
		CHECK(strcmp(
		          got,
		          "100 mmap 0x0 0x40000000 rwx anon private\n"
		          "100 x 0x400000\n"
		          "100 munmap 0x4835000 0x2000\n"    /* MAP_FIXED-like replacement */
		          "file /nonexistent/f_b_1 0x3000\n" /* offset + length */
		          "100 mmap 0x0 0x2000 r file:/nonexistent/f_b_1:0x1000 private hint = "
		          "0x4835000\n"
		          "100 r 0x4835ffe\n100 r 0x4836000\n"
		          "100 mmap 0x0 0x1000 rw anon private hint = 0x7000000000\n"
		          "100 mmap 0x7000001000 0x3ffff000 rwx anon private\n"
		          "100 r 0x7000000ffc\n100 r 0x7000001000\n"
		          "100 w 0x7000000ffc\n100 w 0x7000001000\n"
		          "100 mprotect 0x4835000 0x1000 rw\n"
		          "100 munmap 0x4835000 0x2000\n"
		          "100 madvise 0x7000000000 0x1000 dontneed\n"
		          "100 madvise 0x7000000000 0x1000 free\n"
		          /* 12, MADV_MERGEABLE (KSM): nothing vmsim models */
		          "100 madvise 0x7000000000 0x1000 populate_write\n"
		          "100 mmap 0x0 0x1000 rw anon private populate hint = 0x7100000000\n"
		          "100 brk 0x0 = 0x4035000\n"     /* the start of the heap */
		          "100 munmap 0x4035000 0x3000\n" /* synthesised, and a page above */
		          "100 brk 0x4037000 = 0x4037000\n"
		          "100 brk 0x4036000 = 0x4036000\n"
		          "100 mmap 0x7000000000 0x1000 rw anon private noreplace = EEXIST\n"
		          "100 mmap 0x7200000000 0x2000 rw anon private hint noreserve growsdown = "
		          "0x7200000000\n"
		          "100 mmap 0x7300000000 0x1000 rw anon private = 0x7300000000\n"
		          "100 mlock 0x7300000000 0x1000\n" /* MAP_LOCKED */
		          "100 mlock 0x7200000000 0x2000\n" /* 0x...10 + 4096: 2 pages */
		          "100 munlock 0x7200000000 0x1000\n"
		          "100 mlockall current,future,onfault\n"
		          "100 munlockall\n"
		          "100 shmem memfd.100.4 0x0\n"
		          "100 shmem memfd.100.4 0x2000\n"
		          "100 munmap 0x483f000 0x2000\n"
		          "100 mmap 0x483f000 0x2000 rw shmem:memfd.100.4:0x0 shared\n"
		          "100 unlink memfd.100.4\n"
		          "100 shmem sysv.5 0x2000\n"
		          "100 munmap 0x4841000 0x2000\n"
		          "100 mmap 0x4841000 0x2000 r sysv:sysv.5:0x0 shared\n" /* SHM_RDONLY */
		          "100 munmap 0x4841000 0x2000\n"
		          "100 unlink sysv.5\n"
		          "100 sigaction segv\n" /* (SIGBUS only queried) */
		          "100 fork 101\n"
		          "100 wait 101\n"
		          "100 exit\n"
		          "101 exit\n") == 0);
	else
		fprintf(stderr, "%s\n", err.msg);
	free(got);

	/* A recording folder: parent 200 forks 201, which execs /bin/true (two logs of 201:
	 * .2 before the exec without a footer, .1 after it with one). */
	const char *dir = tt_path("rec");
	mkdir(dir, 0755);
	char p[300];
	snprintf(p, sizeof(p), "%s/lackey.200.1", dir);
	const char *c0 =
	    "==200== Parent PID: 1\nI  00400000,4\n"
	    "SYSCALL[200,1](56) sys_clone ( 1200011 )   clone(fork): process 200 "
	    "created child 201\n"
	    " S 00400100,4\n"
	    "SYSCALL[200,1](61) sys_wait4 ( 4294967295, 0x0, 0, 0x0 ) --> [async] ... \n"
	    "==200== Exit code:       0\n";
	tt_write(p, c0, strlen(c0));
	snprintf(p, sizeof(p), "%s/lackey.201.2", dir);
	const char *c2 =
	    "==201== Parent PID: 200\n --> [pre-success] Success(0x0) \n"
	    " L 00400200,8\n"
	    "SYSCALL[201,1](59) sys_execve ( 0x10a004(/usr/bin/does not exist), 0x1, 0x2 ) "
	    "--> [pre-fail] Failure(0x2)\n"
	    "SYSCALL[201,1](59) sys_execve ( 0x10a004(/bin/true), 0x1fff0005a0, 0x1fff000738 )\n";
	tt_write(p, c2, strlen(c2));
	snprintf(p, sizeof(p), "%s/lackey.201.1", dir);
	const char *c1 = "==201== Parent PID: 200\nI  04000000,2\n==201== Exit code:       0\n";
	tt_write(p, c1, strlen(c1));
	got = tt_as_vmt(dir, NULL, &err);
	CHECK(got != NULL);
	if (got)
		CHECK(strcmp(got, "200 mmap 0x0 0x40000000 rwx anon private\n"
		                  "200 x 0x400000\n"
		                  "200 fork 201\n"
		                  "200 w 0x400100\n"
		                  "200 wait\n"
		                  "200 exit\n"
		                  "201 r 0x400200\n" /* the child inherited the parent's mappings */
		                  "201 exec /bin/true bare\n"
		                  "201 mmap 0x0 0x40000000 rwx anon private\n"
		                  "201 x 0x4000000\n"
		                  "201 exit\n") == 0);
	else
		fprintf(stderr, "%s\n", err.msg);
	free(got);

	/* vfork (58) and posix_spawn's clone(CLONE_VM | CLONE_VFORK | SIGCHLD = 0x4111): valgrind
	 * runs them as forks; the trace says vfork (the parent sleeps until the child execs or
	 * exits, the child borrows its address space). */
	const char *vdir = tt_path("vrec");
	mkdir(vdir, 0755);
	snprintf(p, sizeof(p), "%s/lackey.300", vdir);
	const char *v0 = "==300== Parent PID: 1\nI  00400000,4\n"
	                 "SYSCALL[300,1](56) sys_clone ( 0x4111, 0x0, 0x0, 0x0, 0x0 )   "
	                 "clone(fork): process 300 created child 301\n"
	                 "SYSCALL[300,1](58) sys_vfork ( )   fork: process 300 created child 302\n"
	                 " S 00400100,4\n==300== Exit code:       0\n";
	tt_write(p, v0, strlen(v0));
	for (int c = 301; c <= 302; c++) {
		char text[200];
		snprintf(p, sizeof(p), "%s/lackey.%d", vdir, c);
		snprintf(text, sizeof(text),
		         "==%d== Parent PID: 300\n L 00400200,8\n"
		         "==%d== Exit code:       0\n",
		         c, c);
		tt_write(p, text, strlen(text));
	}
	got = tt_as_vmt(vdir, NULL, &err);
	CHECK(got != NULL);
	if (got)
		CHECK(strcmp(got, "300 mmap 0x0 0x40000000 rwx anon private\n"
		                  "300 x 0x400000\n"
		                  "300 vfork 301\n"
		                  "300 vfork 302\n"
		                  "300 w 0x400100\n"
		                  "300 exit\n"
		                  "302 r 0x400200\n"
		                  "302 exit\n"
		                  "301 r 0x400200\n"
		                  "301 exit\n") == 0);
	else
		fprintf(stderr, "%s\n", err.msg);
	free(got);

	/* malformed access lines */
	const char *bad = tt_text("bad.lackey", "==1== x\nI  00400000,4\n L 04zz,4\n");
	char want[300];
	snprintf(want, sizeof(want), "%s:3: expected a lackey access", bad);
	CHECK_STR_CONTAINS(tt_error(bad, "lackey"), want);
	bad = tt_text("bad2.lackey", "I  00400000,99999\n");
	snprintf(want, sizeof(want), "%s:1: expected a lackey access", bad);
	CHECK_STR_CONTAINS(tt_error(bad, "lackey"), want);
	bad = tt_text("bad3.lackey", " S 3ffffffffffffff,4\n");
	snprintf(want, sizeof(want), "%s:1: address 0x3ffffffffffffff is beyond the 57-bit", bad);
	CHECK_STR_CONTAINS(tt_error(bad, "lackey"), want);
	CHECK_STR_CONTAINS(tt_error(tt_path("none.lackey"), "lackey"), "cannot open trace");

	tt_cleanup();
	TEST_DONE();
}
