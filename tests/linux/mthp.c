/*
 * mthp.c — probes of anonymous multi-size THP (Linux 6.6+; docs/vm.md, "Anonymous mTHP"):
 * 64 KiB folios (hugepages-64kB/enabled = always, set by the probe for the scenario only and
 * restored at its end, also when it fails) in a 64 MiB private anonymous region aligned to
 * 2 MiB and not MADV_HUGEPAGE, so that the 2 MiB page (THP enabled = madvise) stays out.
 * Measured: faults per phase, pages copied on COW, pages of the region in large folios.
 */
#include "probe.h"

#define MN 16384UL /* pages of the region */
#define MLEN (MN * PAGE)
#define FOLIO 16UL /* pages of a 64 KiB folio */
#define MTHP_64K "/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled"

static char *r;
static char mthp_old[16]; /* the setting found ("never", ...), restored at exit */
static pid_t mthp_owner;

static void mthp_write(const char *mode)
{
	int fd = open(MTHP_64K, O_WRONLY);
	if (fd < 0 || write(fd, mode, strlen(mode)) != (ssize_t)strlen(mode))
		die("write " MTHP_64K);
	close(fd);
}

static void mthp_restore(void)
{
	if (mthp_old[0] && getpid() == mthp_owner)
		mthp_write(mthp_old);
}

/* hugepages-64kB = always for this process's life (the old value comes back at exit). */
static void mthp_64k_always(void)
{
	int fd = open(MTHP_64K, O_RDONLY);
	char buf[128] = {0};
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) <= 0)
		die("read " MTHP_64K " (Linux 6.8+ with mTHP, as root)");
	close(fd);
	char *a = strchr(buf, '['), *b = a ? strchr(a, ']') : NULL;
	if (!b || b - a - 1 >= (long)sizeof(mthp_old))
		die("parse " MTHP_64K);
	memcpy(mthp_old, a + 1, (size_t)(b - a - 1));
	mthp_owner = getpid();
	atexit(mthp_restore);
	mthp_write("always");
}

static void region(void)
{
	mthp_64k_always();
	r = map_aligned(MLEN, 2 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
}

static void rec_large(const char *phase)
{
	rec(phase, "large_folio_pages", pm_large_folio_pages(r, MN));
}

/* One fault per 64 KiB folio: 1024. */
static void s_mthp_write(void)
{
	region();
	PHASE("write", touch_w(r, MN, 1));
	rec_large("write");
	rec_region("write", r, MN, R_ANON);
}

/* MADV_DONTNEED of the second half of each folio, then writes everywhere: the half left
 * keeps the range from being none (pte_range_none), so the freed half faults back 4 KiB at a
 * time. */
static void s_mthp_dontneed_half(void)
{
	region();
	touch_w(r, MN, 1);
	PHASE("dontneed", for (size_t f = 0; f < MN; f += FOLIO)
		                  p_madvise(r + (f + FOLIO / 2) * PAGE, FOLIO / 2 * PAGE, MADV_DONTNEED));
	PHASE("write_all", touch_w(r, MN, 2));
	rec_region("write_all", r, MN, R_ANON);
}

/* Pages of the region whose PFN changed since pm_a was read (COW copies); pm_a is read again. */
static void rec_copied(const char *phase)
{
	long reused = 0, copied = 0;
	pm_read(r, MN, pm_b);
	pm_compare(pm_a, pm_b, MN, &reused, &copied);
	rec(phase, "copied", copied);
	pm_read(r, MN, pm_a);
}

static void mthp_fork_child(void *arg)
{
	(void)arg;
	pm_read(r, MN, pm_a);
	PHASE("child_write_first", touch_w_stride(r, MN, 0, FOLIO, 2));
	rec_copied("child_write_first");
	PHASE("child_write_second", touch_w_stride(r, MN, 1, FOLIO, 2));
	rec_copied("child_write_second");
}

/* fork: the child's writes copy 4 KiB pages, one per write (wp_page_copy); after it exits
 * the parent's writes reuse its folios (wp_can_reuse_anon_folio). */
static void s_mthp_fork(void)
{
	region();
	PHASE("parent_write", touch_w(r, MN, 1));
	run_child(mthp_fork_child, NULL);
	pm_read(r, MN, pm_a);
	PHASE("parent_write_first", touch_w_stride(r, MN, 0, FOLIO, 3));
	rec_copied("parent_write_first");
}

static const struct scenario scenarios[] = {
    {"mthp_write", s_mthp_write, "64K mTHP always, 64 MiB: write all"},
    {"mthp_dontneed_half", s_mthp_dontneed_half, "64K mTHP: MADV_DONTNEED half of each folio, write all"},
    {"mthp_fork", s_mthp_fork, "64K mTHP: written; fork, child writes 2 pages per folio; parent"},
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
}
