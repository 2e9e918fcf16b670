/*
 * rec_spawn.c — posix_spawn and vfork, recorded (tests/cli/trace_record_spawn.sh): the parent
 * writes 1024 pages, spawns /bin/true (glibc: clone(CLONE_VM | CLONE_VFORK)), writes them
 * again (phase A), vforks a child that exits at once, writes them again (phase B). Neither
 * child copies the parent's page tables, so Linux takes no fault in A or B (a fork would
 * have write-protected the 1024 PTEs: 1024 faults in each). Prints "A B TOTAL": the minor
 * faults of the two phases and of the whole process, counted by getrusage.
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define PAGES 1024

static long minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static void write_all(char *buf)
{
	for (int i = 0; i < PAGES; i++)
		buf[(size_t)i * 4096] = (char)i;
}

int main(void)
{
	char *buf = aligned_alloc(4096, (size_t)PAGES * 4096);
	if (!buf)
		return 1;
	write_all(buf);
	pid_t pid;
	char *argv[] = {"/bin/true", NULL};
	if (posix_spawn(&pid, "/bin/true", NULL, NULL, argv, environ) != 0)
		return 1;
	waitpid(pid, NULL, 0);
	long a0 = minflt();
	write_all(buf);
	long a = minflt() - a0;
	pid_t v = vfork();
	if (v == 0)
		_exit(0);
	waitpid(v, NULL, 0);
	long b0 = minflt();
	write_all(buf);
	long b = minflt() - b0;
	printf("%ld %ld %ld\n", a, b, minflt());
	return 0;
}
