/* rec_madvise.c — the second program tests/cli/trace_record_madvise.sh records and replays
 * (issue 15's end-to-end check, with rec_faults.c and rec_spawn.c): the madvise advice, mmap
 * flags, mlockall, POSIX shm, mremap MREMAP_FIXED and stack growth that rec_faults.c does not
 * use; its argument names the data file it creates and removes. (Not SIGBUS: lackey logs an access
 * after it completes, so the access that raises a signal is never in a recording.) Built static, no
 * stdio. Run natively, it prints each phase's minor and major faults (getrusage) and the totals of
 * the process and of its children: tests/data/record/rec_madvise.linux holds them as measured on
 * Linux.
 *
 * Phases: 8 MiB anonymous written, MADV_FREE, written again (the lazily freed pages are still
 * mapped: no fault); MADV_COLD, read; MADV_POPULATE_READ of 4 MiB (the zero page), written;
 * MADV_POPULATE_WRITE of 4 MiB, written; a memfd of 4 MiB written, MADV_REMOVE, written again;
 * 4 MiB MADV_DONTFORK and 4 MiB MADV_WIPEONFORK written, fork: the child writes the wiped
 * region (fresh zero pages), the parent then writes both (neither was write-protected);
 * 8 MiB at a 2 MiB boundary MADV_HUGEPAGE written (4 huge faults) and 4 MiB MADV_NOHUGEPAGE;
 * a 4 MiB file written with write(), mapped and read with MADV_SEQUENTIAL, MADV_RANDOM and
 * MADV_WILLNEED (fault-around), then MADV_PAGEOUT and read again; mlockall(MCL_FUTURE) and a
 * 4 MiB mmap (populated), munlockall; MAP_NORESERVE 4 MiB written; POSIX shm of 4 MiB mapped
 * twice, written through one and read through the other; mremap(MREMAP_FIXED) of 4 MiB onto a
 * reserved range, read (no fault); 1 MiB of stack growth. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096L
#define MIB (1L << 20)

static long flt(int who, int major)
{
	struct rusage ru;
	getrusage(who, &ru);
	return major ? ru.ru_majflt : ru.ru_minflt;
}

static void say(const char *what, long n, long maj)
{
	char buf[96];
	int len = snprintf(buf, sizeof(buf), "%s %ld %ld\n", what, n, maj);
	if (write(1, buf, (size_t)len) != len)
		_exit(3);
}

static long last, last_maj;
static void phase(const char *name)
{
	long now = flt(RUSAGE_SELF, 0), maj = flt(RUSAGE_SELF, 1);
	say(name, now - last, maj - last_maj);
	last = now;
	last_maj = maj;
}

static void touch(volatile char *p, long bytes, int write_it)
{
	for (long i = 0; i < bytes; i += PAGE)
		if (write_it)
			p[i] = 1;
		else
			(void)p[i];
}

static char *anon(long bytes, int flags)
{
	char *p = mmap(NULL, (size_t)bytes, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);
	if (p == MAP_FAILED)
		_exit(1);
	return p;
}

/* 1 MiB of stack below this frame, touched a page at a time from the top. */
static __attribute__((noinline)) void grow_stack(void)
{
	volatile char big[MIB];
	for (long i = MIB - PAGE; i >= 0; i -= PAGE)
		big[i] = 1;
	(void)big[0];
}

static void madvise_phases(void)
{
	char *f = anon(8 * MIB, 0);
	touch(f, 8 * MIB, 1);
	madvise(f, 8 * MIB, MADV_FREE);
	touch(f, 8 * MIB, 1);
	phase("free_write");
	madvise(f, 8 * MIB, MADV_COLD);
	touch(f, 8 * MIB, 0);
	phase("cold_read");
	char *pr = anon(4 * MIB, 0), *pw = anon(4 * MIB, 0);
	madvise(pr, 4 * MIB, MADV_POPULATE_READ);
	touch(pr, 4 * MIB, 1);
	madvise(pw, 4 * MIB, MADV_POPULATE_WRITE);
	touch(pw, 4 * MIB, 1);
	phase("populate");
	int fd = memfd_create("rec_madvise", 0);
	if (fd < 0 || ftruncate(fd, 4 * MIB) != 0)
		_exit(1);
	char *s = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (s == MAP_FAILED)
		_exit(1);
	touch(s, 4 * MIB, 1);
	madvise(s, 4 * MIB, MADV_REMOVE);
	touch(s, 4 * MIB, 1);
	phase("remove_write");
}

static void fork_phases(void)
{
	char *df = anon(4 * MIB, 0), *wf = anon(4 * MIB, 0);
	madvise(df, 4 * MIB, MADV_DONTFORK);
	madvise(wf, 4 * MIB, MADV_WIPEONFORK);
	touch(df, 4 * MIB, 1);
	touch(wf, 4 * MIB, 1);
	phase("dontfork_wipeonfork");
	pid_t c = fork();
	if (c == 0) {
		touch(wf, 4 * MIB, 1);
		_exit(0);
	}
	waitpid(c, NULL, 0);
	touch(df, 4 * MIB, 1);
	touch(wf, 4 * MIB, 1);
	phase("after_fork_write");
	char *h = anon(10 * MIB, 0);
	char *ha = (char *)(((uintptr_t)h + 2 * MIB - 1) & ~(uintptr_t)(2 * MIB - 1));
	madvise(ha, 8 * MIB, MADV_HUGEPAGE);
	touch(ha, 8 * MIB, 1);
	phase("hugepage_write");
	char *nh = anon(4 * MIB, 0);
	madvise(nh, 4 * MIB, MADV_NOHUGEPAGE);
	touch(nh, 4 * MIB, 1);
	phase("nohugepage_write");
}

static void file_phases(const char *path)
{
	static char block[64 * 1024];
	memset(block, 7, sizeof(block));
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		_exit(1);
	for (int i = 0; i < 64; i++)
		if (write(fd, block, sizeof(block)) != (ssize_t)sizeof(block))
			_exit(1);
	char *m = mmap(NULL, 4 * MIB, PROT_READ, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		_exit(1);
	madvise(m, MIB, MADV_SEQUENTIAL);
	madvise(m + MIB, MIB, MADV_RANDOM);
	madvise(m + 2 * MIB, 2 * MIB, MADV_WILLNEED);
	touch(m, 4 * MIB, 0);
	phase("file_read");
	madvise(m, 4 * MIB, MADV_PAGEOUT);
	touch(m, 4 * MIB, 0);
	phase("pageout_read");
	munmap(m, 4 * MIB);
	close(fd);
	unlink(path);
}

static void mapping_phases(void)
{
	mlockall(MCL_FUTURE);
	char *l = anon(4 * MIB, 0);
	phase("mlockall_mmap");
	touch(l, 4 * MIB, 1);
	munlockall();
	phase("locked_write");
	char *nr = anon(4 * MIB, MAP_NORESERVE);
	touch(nr, 4 * MIB, 1);
	phase("noreserve_write");
	int fd = shm_open("/rec_madvise", O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4 * MIB) != 0)
		_exit(1);
	char *a = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	char *b = mmap(NULL, 4 * MIB, PROT_READ, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED || b == MAP_FAILED)
		_exit(1);
	touch(a, 4 * MIB, 1);
	touch(b, 4 * MIB, 0);
	close(fd);
	shm_unlink("/rec_madvise");
	phase("shm_open");
	char *src = anon(4 * MIB, 0);
	char *dst = mmap(NULL, 4 * MIB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	touch(src, 4 * MIB, 1);
	if (dst == MAP_FAILED ||
	    mremap(src, 4 * MIB, 4 * MIB, MREMAP_MAYMOVE | MREMAP_FIXED, dst) == MAP_FAILED)
		_exit(1);
	touch(dst, 4 * MIB, 0);
	phase("mremap_fixed");
}

int main(int argc, char **argv)
{
	if (argc != 2) /* the data file, created and removed */
		return 2;
	last = flt(RUSAGE_SELF, 0);
	last_maj = flt(RUSAGE_SELF, 1);
	say("start", last, last_maj);
	madvise_phases();
	fork_phases();
	file_phases(argv[1]);
	mapping_phases();
	grow_stack();
	phase("stack_growth");

	say("self", flt(RUSAGE_SELF, 0), flt(RUSAGE_SELF, 1));
	say("children", flt(RUSAGE_CHILDREN, 0), flt(RUSAGE_CHILDREN, 1));
	return 0;
}
