/*
 * lock.c — probes of mlock, mlock2(MLOCK_ONFAULT), munlock and mlockall (MCL_CURRENT,
 * MCL_FUTURE, MCL_ONFAULT). Population by mlock goes through get_user_pages, whose faults
 * count in ru_minflt like any other. 4096 pages (16 MiB) each; run as root (no RLIMIT_MEMLOCK).
 */
#include "probe.h"

#define N 4096UL
#define LEN (N * PAGE)

static char *r;

static void rec_locked(const char *phase)
{
	rec(phase, "mlocked", pm_count(r, N, KPF_MLOCKED));
	rec(phase, "locked_vm", locked_vm_pages());
}

static void s_mlock(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	PHASE("mlock", sc2(SYS_mlock, r, LEN));
	rec_region("mlock", r, N, R_ANON | R_ZERO);
	rec_locked("mlock");
	PHASE("write", touch_w(r, N, 1));
	PHASE("munlock", sc2(SYS_munlock, r, LEN));
	rec_locked("munlock");
	rec_region("munlock", r, N, R_ANON);
}

/* mlock of pages already read: the zero page stays mapped (not locked) where it was. */
static void s_mlock_after_read(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	(void)count_zero(r, N);
	PHASE("mlock", sc2(SYS_mlock, r, LEN));
	rec_region("mlock", r, N, R_ANON | R_ZERO);
	rec_locked("mlock");
}

static void s_mlock_onfault(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	PHASE("mlock2_onfault", sc3(SYS_mlock2, r, LEN, MLOCK_ONFAULT));
	rec_region("mlock2_onfault", r, N, R_MAPPED);
	rec_locked("mlock2_onfault");
	PHASE("write_half", touch_w(r, N / 2, 1));
	rec_locked("write_half");
}

static void s_mlockall_current(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	long e;
	/* the faults also populate the probe's own mappings: only the region's state is kept */
	e = sc1(SYS_mlockall, MCL_CURRENT);
	rec("mlockall_current", "result", e);
	rec_region("mlockall_current", r, N, R_ANON | R_ZERO);
	rec("mlockall_current", "mlocked", pm_count(r, N, KPF_MLOCKED));
	char *q;
	PHASE("mmap_after", q = map_anon(LEN, MAP_PRIVATE));
	rec_region("mmap_after", q, N, R_MAPPED);
	PHASE("write_region", touch_w(r, N, 1));
	sc1(SYS_munlockall, 0);
}

static void s_mlockall_future(void)
{
	sc1(SYS_mlockall, MCL_FUTURE);
	PHASE("mmap", r = map_anon(LEN, MAP_PRIVATE));
	rec_region("mmap", r, N, R_ANON | R_ZERO);
	rec_locked("mmap");
	PHASE("write", touch_w(r, N, 1));
	PHASE("munlockall", sc1(SYS_munlockall, 0));
	rec_locked("munlockall");
}

static void s_mlockall_onfault(void)
{
	sc1(SYS_mlockall, MCL_FUTURE | MCL_ONFAULT);
	PHASE("mmap", r = map_anon(LEN, MAP_PRIVATE));
	rec_region("mmap", r, N, R_MAPPED);
	PHASE("write_half", touch_w(r, N / 2, 1));
	rec_locked("write_half");
	sc1(SYS_munlockall, 0);
}

static const struct scenario scenarios[] = {
    {"mlock", s_mlock, "mlock 4096 fresh pages, write, munlock"},
    {"mlock_after_read", s_mlock_after_read, "read 4096 fresh pages, then mlock them"},
    {"mlock_onfault", s_mlock_onfault, "mlock2(MLOCK_ONFAULT), write half"},
    {"mlockall_current", s_mlockall_current, "mlockall(MCL_CURRENT), then a new mapping"},
    {"mlockall_future", s_mlockall_future, "mlockall(MCL_FUTURE), then a new mapping"},
    {"mlockall_onfault", s_mlockall_onfault,
     "mlockall(MCL_FUTURE|MCL_ONFAULT), a new mapping, write half of it"},
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
}
