/*
 * thp.c — probes of transparent huge pages (enabled = madvise): MADV_HUGEPAGE and
 * MADV_NOHUGEPAGE regions, the huge zero page on read faults, and THP across fork. 64 MiB
 * regions (32 PMDs, 16384 pages) aligned to 2 MiB.
 */
#include "probe.h"

#define HN 16384UL
#define HLEN (HN * PAGE)
#define PMD (2 * MiB)

static char *r;

/* 2 MiB pages mapped in [r, +HN): pages of a THP, / 512. */
static void rec_thp(const char *phase)
{
	rec(phase, "thp", pm_count(r, HN, KPF_THP) / 512);
}

static char *huge_region(int advice)
{
	char *p = map_aligned(HLEN, PMD, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	p_madvise(p, HLEN, advice);
	return p;
}

static void s_hugepage_write(void)
{
	r = huge_region(MADV_HUGEPAGE);
	PHASE("write", touch_w(r, HN, 1));
	rec_thp("write");
	rec_region("write", r, HN, R_ANON);
}

static void s_nohugepage_write(void)
{
	r = huge_region(MADV_NOHUGEPAGE);
	PHASE("write", touch_w(r, HN, 1));
	rec_thp("write");
	rec_region("write", r, HN, R_ANON);
}

/* Issue 16: read faults of a THP region map the huge zero page (use_zero_page = 1). */
static void s_huge_zero_page(void)
{
	r = huge_region(MADV_HUGEPAGE);
	PHASE("read", (void)count_zero(r, HN));
	rec_region("read", r, HN, R_ANON | R_ZERO);
	PHASE("write", touch_w(r, HN, 1));
	rec_thp("write");
	rec_region("write", r, HN, R_ANON | R_ZERO);
}

static void thp_fork_child(void *arg)
{
	(void)arg;
	long ok;
	PHASE("child_read", ok = touch_r(r, HN, 1));
	rec("child_read", "data_ok", ok);
	PHASE("child_write_4m", touch_w(r, 1024, 2));
	rec_thp("child_write_4m");
	long reused = 0, copied = 0;
	pm_read(r, 1024, pm_b);
	pm_compare(pm_a, pm_b, 1024, &reused, &copied);
	rec("child_write_4m", "copied", copied);
}

/* Issue 15, bug 5: the child's writes split only its own PMDs (and copy 4 KiB pages); after
 * it exits the parent's write faults reuse its huge pages, one fault per PMD. */
static void s_thp_fork(void)
{
	r = huge_region(MADV_HUGEPAGE);
	PHASE("parent_write", touch_w(r, HN, 1));
	rec_thp("parent_write");
	pm_read(r, HN, pm_a);
	run_child(thp_fork_child, NULL);
	/* The first write to each PMD first: a pass writing every page straight away also takes
	 * 1000-2500 spurious faults on this machine (stale read-only TLB entries of the PMD the
	 * reuse fault made writable without a flush), a number that varies from run to run. */
	PHASE("parent_write_first_per_pmd", touch_w_stride(r, HN, 0, 512, 3));
	PHASE("parent_write_all", touch_w(r, HN, 3));
	rec_thp("parent_write_all");
	long reused, copied;
	pm_read(r, HN, pm_b);
	pm_compare(pm_a, pm_b, HN, &reused, &copied);
	rec("parent_write_all", "copied", copied);
	rec("parent_write_all", "reused", reused);
}

/* munmap of half a huge page: the PMD is split, the pages left stay mapped by PTEs. */
static void s_thp_partial_munmap(void)
{
	r = huge_region(MADV_HUGEPAGE);
	touch_w(r, HN, 1);
	PHASE("munmap_half_pmd", p_munmap(r, PMD / 2));
	rec_thp("munmap_half_pmd");
	PHASE("read_rest", (void)touch_r(r + PMD / 2, HN - 256, 1));
}

static const struct scenario scenarios[] = {
    {"thp_hugepage_write", s_hugepage_write, "MADV_HUGEPAGE 64 MiB, write all"},
    {"thp_nohugepage_write", s_nohugepage_write, "MADV_NOHUGEPAGE 64 MiB, write all"},
    {"thp_huge_zero_page", s_huge_zero_page, "MADV_HUGEPAGE 64 MiB: read all, then write"},
    {"thp_fork", s_thp_fork, "MADV_HUGEPAGE 64 MiB written; fork, child writes 4 MiB; parent"},
    {"thp_partial_munmap", s_thp_partial_munmap, "munmap 1 MiB of a huge page"},
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
}
