/*
 * process.c — probes of process creation as it affects the creator's memory: fork + exec
 * write-protects the parent's anonymous pages (its next writes fault, reusing the frames),
 * vfork and posix_spawn (CLONE_VM | CLONE_VFORK) do not. 4096 pages (16 MiB) each. A vfork
 * child runs in its parent's memory until it execs: its faults are its own (its getrusage), its
 * writes land in the parent's pages (its rows go to the parent's table the same way).
 */
#include "probe.h"

#include <spawn.h>

#define N 4096UL
#define LEN (N * PAGE)

extern char **environ;
static char *r;
static char *const true_argv[] = {"true", NULL};

/* The 4096 pages the creator writes before it creates a process. */
static void write_region(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	touch_w(r, N, 1);
	fflush(NULL);
}

/* In the new process: become /bin/true. */
static void exec_true(void)
{
	execve("/bin/true", true_argv, environ);
	_exit(127);
}

/* Wait for the child, then measure the creator's next writes to its pages. */
static void wait_and_write(pid_t pid)
{
	int st;
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		die("spawn / wait");
	fork_prepare(); /* after a fork the probe's own pages are write-protected too */
	PHASE("parent_write", touch_w(r, N, 2));
}

static void s_fork_exec(void)
{
	write_region();
	pid_t pid = fork();
	if (pid == 0)
		exec_true();
	wait_and_write(pid);
}

/* The vfork child, in its own frame below its parent's (which it must not change): it writes
 * the parent's 4096 pages (present and writable: no fault) and 1024 untouched pages of q (its
 * faults, in the parent's address space), then execs. */
static char *q;
static __attribute__((noinline, noreturn)) void vfork_child(void)
{
	PHASE("child_write", touch_w(r, N, 3); touch_w(q, N / 4, 4));
	exec_true();
	_exit(127);
}

static void s_vfork_exec(void)
{
	write_region();
	q = map_anon(LEN / 4, MAP_PRIVATE);
	pid_t pid = vfork();
	if (pid == 0)
		vfork_child(); /* execve or _exit: all a vfork child may do (and writes, on Linux) */
	wait_and_write(pid);
	long ok;
	PHASE("parent_read_child", ok = touch_r(q, N / 4, 4));
	rec("parent_read_child", "data_ok", ok);
}

static void s_posix_spawn(void)
{
	write_region();
	pid_t pid;
	/* once before the phase: the code of posix_spawn and waitpid is mapped */
	if (posix_spawn(&pid, "/bin/true", NULL, NULL, true_argv, environ) ||
	    waitpid(pid, NULL, 0) != pid)
		die("posix_spawn");
	int rc, ws;
	long waited = 0;
	PHASE("spawn", rc = posix_spawn(&pid, "/bin/true", NULL, NULL, true_argv, environ);
	      waited = rc ? 0 : sc4(SYS_wait4, pid, &ws, 0, 0));
	if (rc || waited != pid)
		die("posix_spawn / wait4");
	fork_prepare();
	PHASE("parent_write", touch_w(r, N, 2));
}

static const struct scenario scenarios[] = {
    {"fork_exec", s_fork_exec, "write 4096 pages, fork + exec /bin/true, write them again"},
    {"vfork_exec", s_vfork_exec, "write 4096 pages, vfork + exec /bin/true, write them again"},
    {"posix_spawn", s_posix_spawn, "write 4096 pages, posix_spawn /bin/true, write again"},
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
}
