/*
 * process.c — probes of process creation as it affects the creator's memory: fork + exec
 * write-protects the parent's anonymous pages (its next writes fault, reusing the frames),
 * vfork and posix_spawn (CLONE_VM | CLONE_VFORK) do not. 4096 pages (16 MiB) each.
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

static void s_vfork_exec(void)
{
	write_region();
	pid_t pid = vfork();
	if (pid == 0)
		exec_true(); /* execve or _exit: all a vfork child may do */
	wait_and_write(pid);
}

static void s_posix_spawn(void)
{
	write_region();
	pid_t pid;
	if (posix_spawn(&pid, "/bin/true", NULL, NULL, true_argv, environ))
		die("posix_spawn");
	wait_and_write(pid);
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
