/*
 * probe.h — the measuring side of the Linux probes (tests/linux/README.md): each probe program
 * runs one scenario of docs/vm.md's "Fidelity against Linux" table in a fresh process and
 * measures the running kernel per phase. Header-only so that each probe is one `gcc` call with
 * no dependencies (x86-64 Linux; other architectures use libc's syscall()).
 *
 * What is measured, and how the measurement keeps out of the numbers:
 * - faults: getrusage's ru_minflt / ru_majflt (RUSAGE_SELF, or RUSAGE_THREAD in a thread),
 *   read right before and right after the operations of a phase. Between the two reads only
 *   this file's own code runs (raw syscalls, the touch loops), on text, stack and data pages
 *   that probe_init() and fork_prepare() have faulted in before the first phase. A fork
 *   child does not inherit the PTEs of the (file-backed) program text and its stack is
 *   write-protected, so the child runs fork_prepare() before its first phase.
 * - copy vs reuse: PFNs from /proc/self/pagemap (root sees PFNs), before and after; the
 *   page flags of those PFNs from /proc/kpageflags (THP, zero page, mlocked ...).
 * - what a region maps: pagemap's present and file bits, kpageflags' zero-page bit (the
 *   process's RSS would add the probe's own pages); VmLck from /proc/self/status.
 * - page-cache occupancy: cachestat(2) (Linux 6.5+), else mincore() of a temporary mapping.
 * None of these reads is inside a phase; all of them write into buffers faulted in before.
 *
 * Output: one line per measured quantity, "scenario<TAB>phase<TAB>metric<TAB>value", after the
 * scenario ends (stdio only then). A fork child's rows go to the parent through a pipe.
 */
#ifndef VMSIM_TESTS_LINUX_PROBE_H
#define VMSIM_TESTS_LINUX_PROBE_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef MADV_FREE
#define MADV_FREE 8
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif
#ifndef MADV_COLD
#define MADV_COLD 20
#endif
#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22
#endif
#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif
#ifndef MCL_ONFAULT
#define MCL_ONFAULT 4
#endif
#ifndef MLOCK_ONFAULT
#define MLOCK_ONFAULT 1
#endif
#ifndef SYS_cachestat
#define SYS_cachestat 451
#endif
#ifndef SYS_mlock2
#define SYS_mlock2 325
#endif

/* Helpers a probe may leave unused. */
#define API static __attribute__((unused))

#define PAGE 4096UL
#define MiB (1024UL * 1024UL)
#define MAX_ROWS 1024
#define PM_MAX (64 * 1024) /* pagemap entries a buffer holds: 256 MiB of address space */

/* Page flags of /proc/kpageflags (Documentation/admin-guide/mm/pagemap.rst). */
enum {
	KPF_REFERENCED = 2,
	KPF_DIRTY = 4,
	KPF_LRU = 5,
	KPF_ACTIVE = 6,
	KPF_MMAP = 11,
	KPF_ANON = 12,
	KPF_COMPOUND_HEAD = 15,
	KPF_COMPOUND_TAIL = 16,
	KPF_UNEVICTABLE = 18,
	KPF_THP = 22,
	KPF_ZERO_PAGE = 24,
	KPF_MLOCKED = 33,
};

/* ---- raw system calls: the only code a phase runs besides the touch loops ---- */

#if defined(__x86_64__)
API long sc6(long n, long a, long b, long c, long d, long e, long f)
{
	long ret;
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	register long r9 __asm__("r9") = f;
	__asm__ volatile("syscall"
	                 : "=a"(ret)
	                 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
	                 : "rcx", "r11", "memory");
	return ret; /* -errno on failure, as the kernel returns it */
}
#else
API long sc6(long n, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(n, a, b, c, d, e, f);
	return r == -1 ? -errno : r;
}
#endif
#define sc1(n, a) sc6(n, (long)(a), 0, 0, 0, 0, 0)
#define sc2(n, a, b) sc6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define sc3(n, a, b, c) sc6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define sc4(n, a, b, c, d) sc6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define sc5(n, a, b, c, d, e) sc6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

API char *p_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (char *)sc6(SYS_mmap, (long)addr, (long)len, prot, flags, fd, (long)off);
}
API int mmap_failed(const char *p)
{
	return (unsigned long)p > -4096UL;
}
API long p_munmap(void *a, size_t len)
{
	return sc2(SYS_munmap, a, len);
}
API long p_madvise(void *a, size_t len, int adv)
{
	return sc3(SYS_madvise, a, len, adv);
}
API long p_mprotect(void *a, size_t len, int prot)
{
	return sc3(SYS_mprotect, a, len, prot);
}

/* ---- results ---- */

struct row {
	const char *phase;  /* string literals: the same address in a fork child and its parent */
	const char *metric; /* "minflt", "majflt", "copied", ... (tests/linux/README.md) */
	long long value;
};

static struct row probe_rows[MAX_ROWS];
static int probe_nrows;
static const char *probe_scenario;
static const char *probe_dir = "/var/tmp"; /* -d DIR: where files are made */
static int probe_pagemap_fd = -1, probe_kpf_fd = -1;
static __attribute__((unused)) uint64_t pm_a[PM_MAX],
    pm_b[PM_MAX];              /* pagemap entries: before / after */
static char probe_text[16384]; /* /proc reads */

API void die(const char *what)
{
	fprintf(stderr, "probe %s: %s: %s\n", probe_scenario ? probe_scenario : "", what,
	        strerror(errno));
	exit(1);
}

API void rec(const char *phase, const char *metric, long long v)
{
	if (probe_nrows == MAX_ROWS) {
		fprintf(stderr, "probe: more than %d rows\n", MAX_ROWS);
		exit(1);
	}
	probe_rows[probe_nrows++] = (struct row){phase, metric, v};
}

/* ---- faults ---- */

struct fc {
	long min, maj;
};

API struct fc fc_now(int who)
{
	struct rusage ru;
	sc2(SYS_getrusage, who, &ru);
	return (struct fc){ru.ru_minflt, ru.ru_majflt};
}

API void rec_faults(const char *phase, struct fc a, struct fc b)
{
	rec(phase, "minflt", b.min - a.min);
	rec(phase, "majflt", b.maj - a.maj);
}

/* PHASE("name", stmt;): the faults of stmt, this process. */
#define PHASE(name, stmt)                                                                          \
	do {                                                                                       \
		struct fc fc_a_ = fc_now(RUSAGE_SELF);                                             \
		stmt;                                                                              \
		struct fc fc_b_ = fc_now(RUSAGE_SELF);                                             \
		rec_faults(name, fc_a_, fc_b_);                                                    \
	} while (0)

/* ---- touching memory ---- */

/* The word written at the start of page i by a touch with this seed: never 0. */
#define TAG(seed, i) (((uint32_t)(seed) << 20) + (uint32_t)(i) + 1)

/* Write the tag word at the start of each page. */
API __attribute__((noinline)) void touch_w(char *p, size_t npages, uint32_t seed)
{
	for (size_t i = 0; i < npages; i++)
		*(volatile uint32_t *)(p + i * PAGE) = TAG(seed, i);
}

/* Read each page; returns how many held the tag of seed. */
API __attribute__((noinline)) long touch_r(const char *p, size_t npages, uint32_t seed)
{
	long n = 0;
	for (size_t i = 0; i < npages; i++)
		n += *(const volatile uint32_t *)(p + i * PAGE) == TAG(seed, i);
	return n;
}

/* Same as touch_w / touch_r on every stride-th page from page first. */
API __attribute__((noinline)) void touch_w_stride(char *p, size_t npages, size_t first,
                                                  size_t stride, uint32_t seed)
{
	for (size_t i = first; i < npages; i += stride)
		*(volatile uint32_t *)(p + i * PAGE) = TAG(seed, i);
}

/* Pages whose first word is 0 (untouched memory reads as zeros). */
API long count_zero(const char *p, size_t npages)
{
	long n = 0;
	for (size_t i = 0; i < npages; i++)
		n += *(const volatile uint32_t *)(p + i * PAGE) == 0;
	return n;
}

/* ---- pagemap and page flags ---- */

API void pm_read(const void *addr, size_t npages, uint64_t *out)
{
	if (npages > PM_MAX) {
		fprintf(stderr, "probe: pagemap of %zu pages: more than %d\n", npages, PM_MAX);
		exit(1);
	}
	off_t off = (off_t)((uintptr_t)addr / PAGE * 8);
	if (pread(probe_pagemap_fd, out, npages * 8, off) != (ssize_t)(npages * 8))
		die("read /proc/self/pagemap");
}

#define PM_PRESENT (1ULL << 63)
#define PM_SWAP (1ULL << 62)
#define PM_FILE (1ULL << 61) /* a page-cache or shared-anonymous page */
#define PM_EXCLUSIVE (1ULL << 56)
#define PM_PFN(e) ((e) & ((1ULL << 55) - 1))

API uint64_t kpf(uint64_t pfn)
{
	uint64_t f = 0;
	if (pread(probe_kpf_fd, &f, 8, (off_t)(pfn * 8)) != 8)
		die("read /proc/kpageflags");
	return f;
}

/* Pages of [addr, +npages) present, and with page flag bit (-1: any). */
API long pm_count(const void *addr, size_t npages, int bit)
{
	pm_read(addr, npages, pm_b);
	long n = 0;
	for (size_t i = 0; i < npages; i++)
		if ((pm_b[i] & PM_PRESENT) && (bit < 0 || (kpf(PM_PFN(pm_b[i])) >> bit & 1)))
			n++;
	return n;
}

/* Of the pages present in both a (before) and b (after): how many kept their frame. */
API void pm_compare(const uint64_t *a, const uint64_t *b, size_t npages, long *reused, long *copied)
{
	*reused = *copied = 0;
	for (size_t i = 0; i < npages; i++) {
		if (!(a[i] & PM_PRESENT) || !(b[i] & PM_PRESENT))
			continue;
		if (PM_PFN(a[i]) == PM_PFN(b[i]))
			++*reused;
		else
			++*copied;
	}
}

/* ---- what a region maps ---- */

enum { R_MAPPED = 1, R_ANON = 2, R_FILE = 4, R_ZERO = 8 };

/* Rows for the pages of [addr, +npages) (what = R_* bits): "mapped" (PTEs present),
 * "anon" (private anonymous pages, not the zero page), "file" (page-cache or shmem pages),
 * "zero" (the zero page or the huge zero page). */
API void rec_region(const char *phase, const void *addr, size_t npages, int what)
{
	pm_read(addr, npages, pm_b);
	long mapped = 0, anon = 0, file = 0, zero = 0;
	for (size_t i = 0; i < npages; i++) {
		if (!(pm_b[i] & PM_PRESENT))
			continue;
		mapped++;
		if (kpf(PM_PFN(pm_b[i])) >> KPF_ZERO_PAGE & 1)
			zero++;
		else if (pm_b[i] & PM_FILE)
			file++;
		else
			anon++;
	}
	if (what & R_MAPPED)
		rec(phase, "mapped", mapped);
	if (what & R_ANON)
		rec(phase, "anon", anon);
	if (what & R_FILE)
		rec(phase, "file", file);
	if (what & R_ZERO)
		rec(phase, "zero", zero);
}

/* VmLck of /proc/self/status, in pages. */
API long locked_vm_pages(void)
{
	int fd = open("/proc/self/status", O_RDONLY);
	if (fd < 0)
		die("open /proc/self/status");
	ssize_t n = read(fd, probe_text, sizeof(probe_text) - 1);
	close(fd);
	if (n <= 0)
		die("read /proc/self/status");
	probe_text[n] = '\0';
	const char *p = strstr(probe_text, "VmLck:");
	return p ? strtol(p + 6, NULL, 10) / 4 : -1;
}

/* ---- files and the page cache ---- */

struct cachestat_range {
	uint64_t off, len;
};
struct cachestat {
	uint64_t nr_cache, nr_dirty, nr_writeback, nr_evicted, nr_recently_evicted;
};

/* Pages of fd's [0, size) in the page cache; *dirty gets the dirty ones (-1: unknown). */
API long cached_pages(int fd, size_t size, long *dirty)
{
	struct cachestat_range r = {0, size};
	struct cachestat cs;
	if (syscall(SYS_cachestat, fd, &r, &cs, 0) == 0) {
		if (dirty)
			*dirty = (long)cs.nr_dirty;
		return (long)cs.nr_cache;
	}
	if (dirty)
		*dirty = -1;
	void *m = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		die("mmap for mincore");
	size_t np = (size + PAGE - 1) / PAGE;
	static unsigned char vec[PM_MAX];
	if (np > sizeof(vec) || mincore(m, size, vec))
		die("mincore");
	long n = 0;
	for (size_t i = 0; i < np; i++)
		n += vec[i] & 1;
	munmap(m, size);
	return n;
}

static char probe_path[4096];

/* Wait until every cached page of fd's [0, size) is up to date (its read has completed:
 * mincore() reports only up-to-date pages), at most 10 s; returns the up-to-date pages. */
API long wait_uptodate(int fd, size_t size)
{
	void *mp = mmap(NULL, size, PROT_READ, MAP_SHARED, fd, 0);
	if (mp == MAP_FAILED)
		die("mmap for mincore");
	size_t np = (size + PAGE - 1) / PAGE;
	static unsigned char vec[PM_MAX];
	long cached = cached_pages(fd, size, NULL), up = 0;
	for (int tries = 0; tries < 10000; tries++) {
		if (np > sizeof(vec) || mincore(mp, size, vec))
			die("mincore");
		up = 0;
		for (size_t i = 0; i < np; i++)
			up += vec[i] & 1;
		if (up >= cached)
			break;
		usleep(1000);
	}
	munmap(mp, size);
	return up;
}

/* Make DIR/NAME of size bytes written with chunk-byte write() calls, fsync it (its pages are
 * clean); the page cache keeps them in folios of about the chunk size. Returns an O_RDWR fd. */
API int file_make(const char *name, size_t size, size_t chunk)
{
	snprintf(probe_path, sizeof(probe_path), "%s/%s.%d", probe_dir, name, (int)getpid());
	int fd = open(probe_path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die(probe_path);
	unlink(probe_path); /* gone when the probe ends */
	static char buf[1 << 20];
	for (size_t off = 0; off < size; off += chunk) {
		size_t n = chunk < size - off ? chunk : size - off;
		for (size_t i = 0; i < n; i += PAGE) /* page k starts with TAG(0, k) */
			*(uint32_t *)(buf + i) = TAG(0, (off + i) / PAGE);
		if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n)
			die("write");
	}
	if (fsync(fd))
		die("fsync");
	return fd;
}

/* Drop the file's pages from the page cache (they are clean and unmapped). */
API void file_uncache(int fd, size_t size)
{
	posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	long n = cached_pages(fd, size, NULL);
	if (n != 0) {
		fprintf(stderr, "probe %s: %ld pages still cached after POSIX_FADV_DONTNEED\n",
		        probe_scenario, n);
		exit(1);
	}
}

/* Large folios: of the cached pages mapped at [addr, +npages), how many are in folios of more
 * than one page (compound head or tail). Call after the pages are mapped. */
API long pm_large_folio_pages(const void *addr, size_t npages)
{
	pm_read(addr, npages, pm_b);
	long n = 0;
	for (size_t i = 0; i < npages; i++)
		if (pm_b[i] & PM_PRESENT) {
			uint64_t f = kpf(PM_PFN(pm_b[i]));
			n += (f >> KPF_COMPOUND_HEAD & 1) || (f >> KPF_COMPOUND_TAIL & 1);
		}
	return n;
}

/* ---- regions ---- */

/* A mapping of len bytes (flags, fd: as mmap's) at an address aligned to align (a power of two
 * >= PAGE): the kernel places mappings only page-aligned, and fault-around windows are
 * aligned in virtual addresses, so an unaligned shared mapping takes one fault more. */
API char *map_aligned_fd(size_t len, size_t align, int prot, int flags, int fd)
{
	char *p = p_mmap(NULL, len + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
	                 -1, 0);
	if (mmap_failed(p))
		die("mmap reserve");
	char *a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (a > p)
		p_munmap(p, (size_t)(a - p));
	if (a + len < p + len + align)
		p_munmap(a + len, (size_t)(p + len + align - (a + len)));
	char *q = p_mmap(a, len, prot, flags | MAP_FIXED, fd, 0);
	if (q != a)
		die("mmap aligned");
	return a;
}

API char *map_aligned(size_t len, size_t align, int prot, int flags)
{
	return map_aligned_fd(len, align, prot, flags, -1);
}

API char *map_anon(size_t len, int flags)
{
	char *p = p_mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_ANONYMOUS | flags, -1, 0);
	if (mmap_failed(p)) {
		errno = (int)-(long)p;
		die("mmap");
	}
	return p;
}

/* ---- signals ---- */

static sigjmp_buf probe_jmp;
static char *probe_guard; /* a PROT_NONE page: fork_prepare() raises SIGSEGV on it once */
static volatile int probe_signo, probe_si_code;

API void probe_on_signal(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	probe_signo = sig;
	probe_si_code = si->si_code;
	siglongjmp(probe_jmp, 1);
}

API void catch_faults(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = probe_on_signal;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

/* Access *p (write if w); returns the signal it raised (0: none), si_code in *code. */
API __attribute__((noinline)) int try_access(volatile char *p, int w, int *code)
{
	probe_signo = 0;
	probe_si_code = 0;
	if (sigsetjmp(probe_jmp, 1) == 0) {
		if (w)
			*p = 1;
		else
			(void)*p;
	}
	*code = probe_si_code;
	return probe_signo;
}

/* ---- getting ready ---- */

static char *probe_stack_hi; /* a local of probe_main(): the frames of a phase lie below */

/* Fault in the stack (after a fork: break its COW): 64 KiB below the caller, and the live
 * frames above it up to probe_main's, each page written with the value it holds. */
API __attribute__((noinline)) void stack_prefault(void)
{
	volatile char buf[64 * 1024];
	for (size_t i = 0; i < sizeof(buf); i += 512)
		buf[i] = 1;
	for (volatile char *p = buf + sizeof(buf) - 1; p < probe_stack_hi; p += 512)
		*p = *p;
	*(volatile char *)probe_stack_hi = *probe_stack_hi;
}

/* A new thread's stack (not probe_main's): 64 KiB below the caller. */
API __attribute__((noinline)) void stack_prefault_thread(void)
{
	volatile char buf[64 * 1024];
	for (size_t i = 0; i < sizeof(buf); i += 512)
		buf[i] = 1;
}

/* Fault in everything a phase uses: our data, our stack, the code of the helpers (a fork
 * child does not inherit the PTEs of the program's text). Opens this process's pagemap. */
API void fork_prepare(void)
{
	if (probe_pagemap_fd >= 0)
		close(probe_pagemap_fd);
	probe_pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
	if (probe_pagemap_fd < 0)
		die("open /proc/self/pagemap");
	memset(probe_rows + probe_nrows, 0,
	       sizeof(probe_rows) - sizeof(probe_rows[0]) * (size_t)probe_nrows);
	memset(probe_text, 0, sizeof(probe_text));
	stack_prefault();
	static char dummy[2 * PAGE] __attribute__((aligned(4096)));
	touch_w(dummy, 2, 0);
	touch_w_stride(dummy, 2, 0, 1, 0);
	(void)touch_r(dummy, 2, 0);
	(void)count_zero(dummy, 2);
	(void)fc_now(RUSAGE_SELF);
	(void)p_madvise(dummy, PAGE, MADV_NORMAL);
	(void)p_mprotect(dummy, PAGE, PROT_READ | PROT_WRITE);
	(void)locked_vm_pages();
	pm_read(dummy, 1, pm_b);
	(void)kpf(0);
	int code; /* the signal path: handler, sigsetjmp, siglongjmp */
	(void)try_access(probe_guard, 0, &code);
}

/* Run fn in a fork child, prepared as above; its rows are appended to ours. Returns the
 * child's wait status. The parent is prepared again too (its pages were write-protected). */
API int run_child(void (*fn)(void *), void *arg)
{
	int fds[2];
	if (pipe(fds))
		die("pipe");
	fflush(NULL);
	int base = probe_nrows;
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(fds[0]);
		probe_nrows = 0;
		fork_prepare();
		fn(arg);
		size_t n = sizeof(probe_rows[0]) * (size_t)probe_nrows;
		if (write(fds[1], probe_rows, n) != (ssize_t)n)
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	fork_prepare();
	char *to = (char *)(probe_rows + base);
	size_t got = 0, room = sizeof(probe_rows[0]) * (size_t)(MAX_ROWS - base);
	for (ssize_t n; (n = read(fds[0], to + got, room - got)) > 0;)
		got += (size_t)n;
	close(fds[0]);
	probe_nrows = base + (int)(got / sizeof(probe_rows[0]));
	int st;
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	return st;
}

/* ---- the program ---- */

struct scenario {
	const char *name;
	void (*run)(void);
	const char *what; /* one line */
};

API void probe_init(void)
{
	probe_kpf_fd = open("/proc/kpageflags", O_RDONLY);
	if (probe_kpf_fd < 0)
		die("open /proc/kpageflags (run as root)");
	catch_faults();
	probe_guard = p_mmap(NULL, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fork_prepare();
	uint64_t e;
	pm_read(&e, 1, &e);
	if (!PM_PFN(e)) {
		fprintf(stderr, "probe: /proc/self/pagemap shows no PFNs (run as root)\n");
		exit(1);
	}
}

API int probe_main(int argc, char **argv, const struct scenario *sc, size_t n)
{
	char anchor = 0;
	probe_stack_hi = &anchor;
	const char *name = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-d") && i + 1 < argc)
			probe_dir = argv[++i];
		else if (!strcmp(argv[i], "--list")) {
			for (size_t k = 0; k < n; k++)
				printf("%s\t%s\n", sc[k].name, sc[k].what);
			return 0;
		} else if (argv[i][0] != '-' && !name)
			name = argv[i];
		else {
			name = NULL;
			break;
		}
	}
	for (size_t k = 0; name && k < n; k++) {
		if (strcmp(sc[k].name, name))
			continue;
		probe_scenario = sc[k].name;
		probe_init();
		sc[k].run();
		for (int r = 0; r < probe_nrows; r++)
			printf("%s\t%s\t%s\t%lld\n", probe_scenario, probe_rows[r].phase,
			       probe_rows[r].metric, probe_rows[r].value);
		return 0;
	}
	fprintf(stderr, "usage: %s SCENARIO [-d DIR] | --list\n", argv[0]);
	return 2;
}

#endif
