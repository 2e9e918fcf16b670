/* rec_faults.c — the program tests/cli/trace_record_faults.sh records and replays (issue 15's
 * end-to-end check): every phase's page faults depend on a system call being recorded (a
 * missed brk shrink, munmap, madvise, mremap or fork changes the counts), and the phases
 * together fault about 20,000 times, so that the ~100 faults of starting a program are under
 * 1% of them. Built static (no loader, no libc mappings) and with no stdio (no malloc: the
 * heap is the program's own brk). Run natively, it prints each phase's minor faults
 * (getrusage) and the totals of the process and of its children: tests/data/record/
 * rec_faults.linux holds them as measured on Linux.
 *
 * Phases: brk grows 4 MiB, written; shrinks 2 MiB and grows back, read (zero page); an
 * anonymous 16 MiB mmap written, its upper half unmapped and mapped again MAP_FIXED, read;
 * MADV_DONTNEED of 4 MiB, written again; mremap(MAYMOVE) of the lower 8 MiB to 16 MiB, the old
 * pages read where they moved (no fault), the new ones written; fork: the child writes half
 * of them (COW) and reads a memfd shared mapping, the parent then writes them all;
 * MAP_POPULATE of 4 MiB, written (faults at the mmap only); mlock of 1 MiB (faults at the
 * mlock), munlock; a memfd of 4 MiB mapped shared, written; a SysV segment of 1 MiB attached,
 * written, detached and removed; a SIGSEGV handler (no fault is taken). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096L
#define MIB (1L << 20)

static long minflt(int who)
{
	struct rusage ru;
	getrusage(who, &ru);
	return ru.ru_minflt;
}

static void say(const char *what, long n)
{
	char buf[96];
	int len = snprintf(buf, sizeof(buf), "%s %ld\n", what, n);
	if (write(1, buf, (size_t)len) != len)
		_exit(3);
}

static long last;
static void phase(const char *name)
{
	long now = minflt(RUSAGE_SELF);
	say(name, now - last);
	last = now;
}

static void touch(volatile char *p, long bytes, int write_it)
{
	for (long i = 0; i < bytes; i += PAGE)
		if (write_it)
			p[i] = 1;
		else
			(void)p[i];
}

static void on_segv(int sig)
{
	(void)sig;
	_exit(4);
}

int main(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	last = minflt(RUSAGE_SELF);
	say("start", last);

	char *heap = sbrk(0);
	if (sbrk(4 * MIB) == (void *)-1)
		return 1;
	touch(heap, 4 * MIB, 1);
	phase("brk_write");
	sbrk(-2 * MIB);
	sbrk(2 * MIB);
	touch(heap + 2 * MIB, 2 * MIB, 0);
	phase("brk_regrow_read");

	char *m = mmap(NULL, 16 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 1;
	touch(m, 16 * MIB, 1);
	phase("mmap_write");
	munmap(m + 8 * MIB, 8 * MIB);
	if (mmap(m + 8 * MIB, 8 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
	         -1, 0) == MAP_FAILED)
		return 1;
	touch(m + 8 * MIB, 8 * MIB, 0);
	phase("remap_read");
	madvise(m, 4 * MIB, MADV_DONTNEED);
	touch(m, 4 * MIB, 1);
	phase("dontneed_write");
	char *r = mremap(m, 8 * MIB, 16 * MIB, MREMAP_MAYMOVE);
	if (r == MAP_FAILED)
		return 1;
	touch(r, 8 * MIB, 0);
	phase("mremap_read_moved");
	touch(r + 8 * MIB, 8 * MIB, 1);
	phase("mremap_write_new");

	int fd = memfd_create("rec_faults", 0);
	if (fd < 0 || ftruncate(fd, 4 * MIB) != 0)
		return 1;
	char *s = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (s == MAP_FAILED)
		return 1;
	touch(s, 4 * MIB, 1);
	phase("memfd_write");

	pid_t c = fork();
	if (c == 0) {
		touch(r + 8 * MIB, 4 * MIB, 1);
		touch(s, 4 * MIB, 0);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	phase("fork");
	touch(r + 8 * MIB, 8 * MIB, 1);
	phase("after_fork_write");

	char *pop = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (pop == MAP_FAILED)
		return 1;
	phase("populate");
	touch(pop, 4 * MIB, 1);
	phase("populated_write");
	char *l = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (l == MAP_FAILED || mlock(l, MIB) != 0)
		return 1;
	phase("mlock");
	touch(l, MIB, 1);
	munlock(l, MIB);
	phase("locked_write");

	int id = shmget(IPC_PRIVATE, MIB, IPC_CREAT | 0600);
	char *v = id < 0 ? (char *)-1 : shmat(id, NULL, 0);
	if (v == (char *)-1)
		return 1;
	touch(v, MIB, 1);
	shmdt(v);
	shmctl(id, IPC_RMID, NULL);
	phase("sysv_write");

	say("self", minflt(RUSAGE_SELF));
	say("children", minflt(RUSAGE_CHILDREN));
	return 0;
}
