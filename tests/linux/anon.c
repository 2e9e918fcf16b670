/*
 * anon.c — probes of private anonymous memory: demand-zero, the zero page, fork and COW,
 * mprotect, and the madvise advice on anonymous memory (DONTNEED, FREE, COLD, PAGEOUT,
 * POPULATE_READ/WRITE, REMOVE, DONTFORK, WIPEONFORK). 4096 pages (16 MiB) each.
 * tests/linux/README.md says what each metric is; tests/linux/expected.tsv has the numbers.
 */
#include "probe.h"

#define N 4096UL
#define LEN (N * PAGE)

static char *r;

static void null_child(void *arg)
{
	(void)arg;
	PHASE("child_nothing", (void)0);
}

/* The measurement itself: an empty phase faults 0 times, in a process and in a fork child. */
static void s_null(void)
{
	PHASE("nothing", (void)0);
	run_child(null_child, NULL);
	PHASE("parent_nothing", (void)0);
}

static void s_demand_zero(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	PHASE("write", touch_w(r, N, 1));
	rec_region("write", r, N, R_ANON);
	long ok;
	PHASE("reread", ok = touch_r(r, N, 1));
	rec("reread", "data_ok", ok);
}

static void s_zero_page(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	long z;
	PHASE("read", z = count_zero(r, N));
	rec("read", "zero_data", z);
	rec_region("read", r, N, R_ANON | R_ZERO);
	PHASE("write", touch_w(r, N, 1));
	rec_region("write", r, N, R_ANON | R_ZERO);
}

static void fork_cow_child(void *arg)
{
	(void)arg;
	long ok, reused = 0, copied = 0;
	PHASE("child_read", ok = touch_r(r, N, 1));
	rec("child_read", "data_ok", ok);
	PHASE("child_write_half", touch_w_stride(r, N, 0, 2, 2));
	pm_read(r, N, pm_b);
	for (size_t i = 0; i < N; i++) { /* pm_a: the parent's frames before the fork */
		if (PM_PFN(pm_a[i]) == PM_PFN(pm_b[i]))
			reused += i % 2 == 0;
		else
			copied += i % 2 == 0;
	}
	rec("child_write_half", "copied", copied);
	rec("child_write_half", "reused", reused);
}

static void s_fork_cow(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	PHASE("parent_write", touch_w(r, N, 1));
	pm_read(r, N, pm_a);
	run_child(fork_cow_child, NULL);
	PHASE("parent_write_after_exit", touch_w(r, N, 3));
	long reused, copied;
	pm_read(r, N, pm_b);
	pm_compare(pm_a, pm_b, N, &reused, &copied);
	rec("parent_write_after_exit", "copied", copied);
	rec("parent_write_after_exit", "reused", reused);
}

/* Issue 15, bug 2. */
static void s_mprotect_rw(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	PHASE("write", touch_w(r, N, 1));
	PHASE("mprotect_r", p_mprotect(r, LEN, PROT_READ));
	PHASE("read", (void)touch_r(r, N, 1));
	PHASE("mprotect_rw", p_mprotect(r, LEN, PROT_READ | PROT_WRITE));
	PHASE("write_again", touch_w(r, N, 2));
}

/* PROT_NONE over present pages: an access raises SIGSEGV; access given back, the pages are
 * still mapped (no fault), write access too for exclusively owned anonymous pages. */
static void s_mprotect_none(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	PHASE("write", touch_w(r, N, 1));
	PHASE("mprotect_none", p_mprotect(r, LEN, PROT_NONE));
	int code, sig;
	PHASE("read_none", sig = try_access(r + 5 * PAGE, 0, &code));
	rec("read_none", "signal", sig);
	rec("read_none", "si_code", code);
	PHASE("mprotect_r", p_mprotect(r, LEN, PROT_READ));
	long ok;
	PHASE("read", ok = touch_r(r, N, 1));
	rec("read", "data_ok", ok);
	PHASE("mprotect_rw", p_mprotect(r, LEN, PROT_READ | PROT_WRITE));
	PHASE("write_again", touch_w(r, N, 2));
}

/* Issue 15, bug 4. */
static void s_madv_dontneed(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	PHASE("write", touch_w(r, N, 1));
	PHASE("dontneed", p_madvise(r, LEN, MADV_DONTNEED));
	rec_region("dontneed", r, N, R_MAPPED);
	long z;
	PHASE("read", z = count_zero(r, N));
	rec("read", "zero_data", z);
	PHASE("rewrite", touch_w(r, N, 2));
	PHASE("dontneed_write", p_madvise(r, LEN, MADV_DONTNEED); touch_w(r, N, 3));
	rec_region("dontneed_write", r, N, R_ANON);
}

static void s_madv_free(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	PHASE("write", touch_w(r, N, 1));
	PHASE("free", p_madvise(r, LEN, MADV_FREE));
	rec_region("free", r, N, R_ANON);
	long ok;
	PHASE("read", ok = touch_r(r, N, 1));
	rec("read", "data_ok", ok);
	PHASE("write_half", touch_w_stride(r, N, 0, 2, 2));
}

/* MADV_FREE then reclaim, made deterministic with MADV_PAGEOUT: the clean lazyfree pages are
 * dropped; those written again are dirty and stay (they would need swap). */
static void s_madv_free_pageout(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	touch_w(r, N, 1);
	PHASE("free", p_madvise(r, LEN, MADV_FREE));
	PHASE("write_half", touch_w_stride(r, N, 0, 2, 2));
	PHASE("pageout", p_madvise(r, LEN, MADV_PAGEOUT));
	rec_region("pageout", r, N, R_ANON);
	long ok, z;
	PHASE("read", ok = touch_r(r, N, 2); z = count_zero(r, N));
	rec("read", "data_ok_even", ok); /* the odd pages' tags are not seed 2's: not counted */
	rec("read", "zero_data", z);
}

/* ---- MADV_FREE under memory pressure: a memory cgroup (v1) whose limit is lowered until
 * reclaim must drop every clean lazyfree page ---- */

#define MEMCG "/sys/fs/cgroup/memory"

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	ssize_t n = write(fd, s, strlen(s));
	int e = n < 0 ? -errno : 0;
	close(fd);
	return e;
}

static long long read_ll(const char *path)
{
	int fd = open(path, O_RDONLY);
	char b[64] = {0};
	if (fd < 0 || read(fd, b, sizeof(b) - 1) <= 0)
		die(path);
	close(fd);
	return atoll(b);
}

static void s_madv_free_pressure(void)
{
	char cg[256], f[300], num[64];
	snprintf(cg, sizeof(cg), MEMCG "/vmsim-probe-%d", (int)getpid());
	if (mkdir(cg, 0755))
		die("mkdir " MEMCG "/vmsim-probe-PID (needs cgroup v1 memory)");
	snprintf(f, sizeof(f), "%s/cgroup.procs", cg);
	snprintf(num, sizeof(num), "%d", (int)getpid());
	if (write_str(f, num))
		die("join the memory cgroup");
	r = map_anon(LEN, MAP_PRIVATE);
	touch_w(r, N, 1);
	PHASE("free", p_madvise(r, LEN, MADV_FREE));
	PHASE("write_half", touch_w_stride(r, N, 0, 2, 2));
	snprintf(f, sizeof(f), "%s/memory.usage_in_bytes", cg);
	long long usage = read_ll(f);
	/* A limit below what reclaim can reach: it drops every reclaimable page (the clean
	 * lazyfree ones; without swap nothing else of the group's is) and gives up (EBUSY). */
	snprintf(num, sizeof(num), "%lld",
	         usage - (long long)(N / 2 * PAGE) - (long long)(4 * MiB));
	snprintf(f, sizeof(f), "%s/memory.limit_in_bytes", cg);
	int e;
	PHASE("limit", e = write_str(f, num));
	rec("limit", "result", e);
	write_str(f, "-1");
	rec_region("limit", r, N, R_ANON);
	long ok, z;
	PHASE("read", ok = touch_r(r, N, 2); z = count_zero(r, N));
	rec("read", "data_ok_even", ok);
	rec("read", "zero_data", z);
	snprintf(num, sizeof(num), "%d", (int)getpid());
	write_str(MEMCG "/cgroup.procs", num); /* back to the root group */
	p_munmap(r, LEN);
	rmdir(cg);
}

/* Write the region, apply advice (phase named after it), read it back. */
static void advise_written(const char *phase, int advice)
{
	r = map_anon(LEN, MAP_PRIVATE);
	touch_w(r, N, 1);
	PHASE(phase, p_madvise(r, LEN, advice));
	rec_region(phase, r, N, R_ANON);
	long ok;
	PHASE("read", ok = touch_r(r, N, 1));
	rec("read", "data_ok", ok);
}

static void s_madv_cold(void)
{
	advise_written("cold", MADV_COLD);
}

static void s_madv_pageout_anon(void)
{
	advise_written("pageout", MADV_PAGEOUT);
}

/* Populate a fresh region (phase named after the advice), then write it. */
static void populate(const char *phase, int advice, int what)
{
	r = map_anon(LEN, MAP_PRIVATE);
	long e;
	PHASE(phase, e = p_madvise(r, LEN, advice));
	rec(phase, "result", e);
	rec_region(phase, r, N, what);
	PHASE("write", touch_w(r, N, 1));
}

static void s_madv_populate_read(void)
{
	populate("populate_read", MADV_POPULATE_READ, R_ANON | R_ZERO);
}

static void s_madv_populate_write(void)
{
	populate("populate_write", MADV_POPULATE_WRITE, R_ANON);
}

static void s_madv_remove_private(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	touch_w(r, N, 1);
	long e;
	PHASE("remove", e = p_madvise(r, LEN, MADV_REMOVE));
	rec("remove", "result", e);
	long ok;
	PHASE("read", ok = touch_r(r, N, 1));
	rec("read", "data_ok", ok);
}

static void dontfork_child(void *arg)
{
	(void)arg;
	int sig = 0, code = 0;
	PHASE("child_read", sig = try_access(r, 0, &code));
	rec("child_read", "signal", sig);
	rec("child_read", "si_code", code);
}

static void s_madv_dontfork(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	touch_w(r, N, 1);
	p_madvise(r, LEN, MADV_DONTFORK);
	run_child(dontfork_child, NULL);
	PHASE("parent_write", touch_w(r, N, 2));
}

static void wipeonfork_child(void *arg)
{
	(void)arg;
	long z;
	PHASE("child_read", z = count_zero(r, N));
	rec("child_read", "zero_data", z);
	PHASE("child_write", touch_w(r, N, 2));
}

static void s_madv_wipeonfork(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	touch_w(r, N, 1);
	p_madvise(r, LEN, MADV_WIPEONFORK);
	run_child(wipeonfork_child, NULL);
	long ok;
	PHASE("parent_write", touch_w(r, N, 3));
	PHASE("parent_read", ok = touch_r(r, N, 3));
	rec("parent_read", "data_ok", ok);
}

static const struct scenario scenarios[] = {
    {"null", s_null, "empty phases in a process and a fork child: the probe's own faults"},
    {"anon_demand_zero", s_demand_zero, "write 4096 fresh pages, read them again"},
    {"anon_zero_page", s_zero_page, "read 4096 fresh pages (zero page), then write them"},
    {"fork_cow", s_fork_cow, "fork; the child reads all, writes half; the parent writes all"},
    {"mprotect_rw", s_mprotect_rw, "write, mprotect(PROT_READ), read, mprotect(RW), write"},
    {"mprotect_none", s_mprotect_none,
     "write, mprotect(PROT_NONE), read one page (SIGSEGV), mprotect(R), read, (RW), write"},
    {"madv_dontneed", s_madv_dontneed, "write, DONTNEED, read, write, DONTNEED + write"},
    {"madv_free", s_madv_free, "write, FREE, read, write half (no memory pressure)"},
    {"madv_free_pageout", s_madv_free_pageout, "write, FREE, write half, PAGEOUT, read"},
    {"madv_free_pressure", s_madv_free_pressure,
     "write, FREE, write half, memory cgroup limit forces reclaim, read"},
    {"madv_cold", s_madv_cold, "write, COLD (deactivate), read"},
    {"madv_pageout_anon", s_madv_pageout_anon, "write, PAGEOUT, read"},
    {"madv_populate_read", s_madv_populate_read, "POPULATE_READ, then write"},
    {"madv_populate_write", s_madv_populate_write, "POPULATE_WRITE, then write"},
    {"madv_remove_private", s_madv_remove_private, "REMOVE on private anonymous memory"},
    {"madv_dontfork", s_madv_dontfork, "DONTFORK, fork: the child has no mapping"},
    {"madv_wipeonfork", s_madv_wipeonfork, "WIPEONFORK, fork: the child sees zeros"},
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
}
