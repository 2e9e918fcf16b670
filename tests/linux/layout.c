/*
 * layout.c — probes of the address-space layout: where mmap without a fixed address puts a
 * mapping (top-down: the gap to the previous mapping), MAP_FIXED_NOREPLACE, MAP_FIXED,
 * MAP_POPULATE, MAP_NORESERVE, MAP_GROWSDOWN and the main stack's growth with the guard
 * gap, brk, and mremap (shrink, grow in place, MREMAP_MAYMOVE, MREMAP_FIXED).
 */
#include "probe.h"

#define N 4096UL
#define LEN (N * PAGE)

static char *r;

/* Pages between the start of the previous mapping and the end of the new one (top-down: the
 * new one lies below; 0 = right below it). */
static long gap_below(const char *prev, const char *next, size_t next_len)
{
	return ((long)(prev - (next + next_len))) / (long)PAGE;
}

static char maps_text[1 << 16];

/* /proc/self/maps into maps_text. */
static void read_maps(void)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, maps_text, sizeof(maps_text) - 1);
	close(fd);
	if (n <= 0)
		die("read /proc/self/maps");
	maps_text[n] = '\0';
}

/* Fill every hole between the mappings of the mmap area (above `from`, below the stack) with a
 * PROT_NONE mapping, so that the next mmap goes right below the lowest mapping. */
static void fill_holes(uintptr_t from)
{
	read_maps();
	uintptr_t prev_end = 0;
	for (char *line = maps_text; *line;) {
		char *end = strchr(line, '\n');
		uintptr_t lo = strtoul(line, NULL, 16),
		          hi = strtoul(strchr(line, '-') + 1, NULL, 16);
		int stack = end ? memmem(line, (size_t)(end - line), "[stack]", 7) != NULL : 0;
		if (prev_end >= from && lo > prev_end && !stack)
			p_mmap((void *)prev_end, lo - prev_end, PROT_NONE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE,
			       -1, 0);
		prev_end = hi;
		if (!end)
			break;
		line = end + 1;
	}
}

/* The kernel picks top-down below mmap_base: the highest free gap that fits, at its top; a
 * length that is a multiple of 2 MiB is aligned to 2 MiB (THP); a hole is reused when it fits;
 * a free hint is honoured. Holes above the first mapping (the libraries' own) are filled
 * first, so the numbers do not depend on the program's other mappings. */
static void s_mmap_topdown(void)
{
	const int rw = PROT_READ | PROT_WRITE, fl = MAP_PRIVATE | MAP_ANONYMOUS;
	char *a0 = p_mmap(NULL, 2 * MiB, rw, fl, -1, 0); /* 2 MiB aligned */
	fill_holes((uintptr_t)a0);
	char *a1, *a2, *a3, *a4, *a5, *a6, *a7;
	PHASE("a1_1m", a1 = p_mmap(NULL, MiB, rw, fl, -1, 0));
	rec("a1_1m", "gap_pages", gap_below(a0, a1, MiB));
	PHASE("a2_4k", a2 = p_mmap(NULL, PAGE, rw, fl, -1, 0));
	rec("a2_4k", "gap_pages", gap_below(a1, a2, PAGE));
	PHASE("a3_2m", a3 = p_mmap(NULL, 2 * MiB, rw, fl, -1, 0));
	rec("a3_2m", "gap_pages", gap_below(a2, a3, 2 * MiB));
	rec("a3_2m", "aligned_2m", ((uintptr_t)a3 & (2 * MiB - 1)) == 0);
	PHASE("a4_3m", a4 = p_mmap(NULL, 3 * MiB, rw, fl, -1, 0));
	rec("a4_3m", "gap_pages", gap_below(a3, a4, 3 * MiB));
	/* a 1 MiB hole where a1 was: the highest gap that fits 512 KiB, used from its top */
	p_munmap(a1, MiB);
	PHASE("a5_512k_in_hole", a5 = p_mmap(NULL, MiB / 2, rw, fl, -1, 0));
	rec("a5_512k_in_hole", "gap_pages", gap_below(a0, a5, MiB / 2));
	/* a free hint is honoured; an occupied one is not (top-down again: the rest of a1's hole)
	 */
	PHASE("a6_hint_free", a6 = p_mmap(a1, PAGE, rw, fl, -1, 0));
	rec("a6_hint_free", "at_hint", a6 == a1);
	PHASE("a7_hint_taken", a7 = p_mmap(a0, PAGE, rw, fl, -1, 0));
	rec("a7_hint_taken", "at_hint", a7 == a0);
	rec("a7_hint_taken", "gap_pages", gap_below(a5, a7, PAGE));
}

static void s_fixed_noreplace(void)
{
	r = map_anon(16 * PAGE, MAP_PRIVATE);
	touch_w(r, 16, 1);
	char *q;
	PHASE("noreplace_taken",
	      q = p_mmap(r + 4 * PAGE, 4 * PAGE, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	rec("noreplace_taken", "result", mmap_failed(q) ? (long)q : 0);
	p_munmap(r + 8 * PAGE, 4 * PAGE);
	PHASE("noreplace_free",
	      q = p_mmap(r + 8 * PAGE, 4 * PAGE, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0));
	rec("noreplace_free", "at_address", q == r + 8 * PAGE);
	/* MAP_FIXED replaces: the old pages are gone, the new ones read as zeros */
	PHASE("fixed_over", q = p_mmap(r, 4 * PAGE, PROT_READ | PROT_WRITE,
	                               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	long z;
	PHASE("read_replaced", z = count_zero(r, 4));
	rec("read_replaced", "zero_data", z);
}

static void s_map_populate(void)
{
	PHASE("mmap_populate", r = map_anon(LEN, MAP_PRIVATE | MAP_POPULATE));
	rec_region("mmap_populate", r, N, R_ANON | R_ZERO);
	PHASE("write", touch_w(r, N, 1));
}

static long mem_total_pages(void)
{
	return sysconf(_SC_PHYS_PAGES);
}

/* overcommit_memory = 0 (heuristic): one mapping larger than RAM + swap is refused unless
 * MAP_NORESERVE; a NORESERVE mapping faults like any other. */
static void s_map_noreserve(void)
{
	size_t huge = (size_t)mem_total_pages() * PAGE * 2;
	char *q;
	PHASE("mmap_2x_ram",
	      q = p_mmap(NULL, huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	rec("mmap_2x_ram", "result", mmap_failed(q) ? (long)q : 0);
	PHASE("mmap_2x_ram_noreserve",
	      q = p_mmap(NULL, huge, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0));
	rec("mmap_2x_ram_noreserve", "result", mmap_failed(q) ? (long)q : 0);
	PHASE("write", touch_w(q, N, 1));
}

/* The extent of the mapping that contains addr, from /proc/self/maps, in pages. */
static long vma_pages(const void *addr, uintptr_t *start)
{
	int fd = open("/proc/self/maps", O_RDONLY);
	static char buf[1 << 16];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		die("read /proc/self/maps");
	buf[n] = '\0';
	for (char *line = buf; *line;) {
		char *end = strchr(line, '\n');
		uintptr_t lo = strtoul(line, NULL, 16),
		          hi = strtoul(strchr(line, '-') + 1, NULL, 16);
		if ((uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
			if (start)
				*start = lo;
			return (long)((hi - lo) / PAGE);
		}
		if (!end)
			break;
		line = end + 1;
	}
	return 0;
}

/* MAP_GROWSDOWN: an access below the mapping grows it down to the accessed page, unless that
 * leaves less than stack_guard_gap (256 pages) above an accessible mapping below. */
static void s_growsdown(void)
{
	char *base = map_aligned(64 * MiB, 2 * MiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
	p_munmap(base, 64 * MiB);
	char *top = base + 32 * MiB; /* 16 pages at [top - 16 pages, top) */
	r = p_mmap(top - 16 * PAGE, 16 * PAGE, PROT_READ | PROT_WRITE,
	           MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED, -1, 0);
	rec("mmap", "vma_pages", vma_pages(r, NULL));
	int sig = 0, code = 0;
	PHASE("touch_1_below", sig = try_access(r - PAGE, 1, &code));
	rec("touch_1_below", "signal", sig);
	rec("touch_1_below", "vma_pages", vma_pages(r, NULL));
	PHASE("touch_64_below", sig = try_access(r - 64 * PAGE, 1, &code));
	rec("touch_64_below", "signal", sig);
	rec("touch_64_below", "vma_pages", vma_pages(r, NULL));
	/* a readable mapping 300 pages below the stack's start: growing to within 256 pages of
	 * it is refused */
	char *low = r - 64 * PAGE;
	p_mmap(low - 300 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	PHASE("touch_into_guard_gap", sig = try_access(low - 60 * PAGE, 1, &code));
	rec("touch_into_guard_gap", "signal", sig);
	rec("touch_into_guard_gap", "si_code", code);
	rec("touch_into_guard_gap", "vma_pages", vma_pages(r, NULL));
	PHASE("touch_above_guard_gap", sig = try_access(low - 40 * PAGE, 1, &code));
	rec("touch_above_guard_gap", "signal", sig);
	rec("touch_above_guard_gap", "vma_pages", vma_pages(r, NULL));
}

/* Touch 256 pages of the main stack, top down, from 80 KiB below this frame (below what the
 * probe has used); returns the lowest page touched. */
static __attribute__((noinline)) char *deep_stack(void)
{
	volatile char buf[1200 * 1024];
	uintptr_t top = ((uintptr_t)(buf + sizeof(buf)) & ~(PAGE - 1)) - 80 * 1024;
	for (int i = 1; i <= 256; i++)
		*(volatile char *)(top - (uintptr_t)i * PAGE) = 1;
	return (char *)(top - 256 * PAGE);
}

static void s_stack_growth(void)
{
	char *low;
	PHASE("grow_1m", low = deep_stack());
	uintptr_t start;
	vma_pages(low, &start);
	rec("grow_1m", "stack_starts_at_lowest_touch", start == (uintptr_t)low);
}

static void s_brk(void)
{
	char *cur = (char *)sc1(SYS_brk, 0);
	char *end;
	PHASE("grow_16m", end = (char *)sc1(SYS_brk, cur + LEN));
	rec("grow_16m", "result", end == cur + LEN);
	PHASE("write", touch_w(cur, N, 1));
	rec_region("write", cur, N, R_ANON);
	PHASE("shrink_8m", end = (char *)sc1(SYS_brk, cur + LEN / 2));
	rec_region("shrink_8m", cur, N, R_ANON);
	long z;
	PHASE("regrow_read", sc1(SYS_brk, cur + LEN); z = count_zero(cur + LEN / 2, N / 2));
	rec("regrow_read", "zero_data", z);
	long ok;
	PHASE("read_low_half", ok = touch_r(cur, N / 2, 1));
	rec("read_low_half", "data_ok", ok);
}

static char *p_mremap(void *old, size_t old_len, size_t new_len, int flags, void *new_addr)
{
	return (char *)sc5(SYS_mremap, old, old_len, new_len, flags, new_addr);
}

static void s_mremap_shrink(void)
{
	r = map_anon(LEN, MAP_PRIVATE);
	touch_w(r, N, 1);
	char *q;
	PHASE("shrink", q = p_mremap(r, LEN, LEN / 2, 0, NULL));
	rec("shrink", "moved", q != r);
	rec_region("shrink", r, N, R_ANON);
	long ok;
	PHASE("read", ok = touch_r(r, N / 2, 1));
	rec("read", "data_ok", ok);
}

static void s_mremap_grow_in_place(void)
{
	r = map_aligned(2 * LEN, 2 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	p_munmap(r + LEN, LEN); /* free space above */
	touch_w(r, N, 1);
	char *q;
	PHASE("grow", q = p_mremap(r, LEN, 2 * LEN, 0, NULL));
	rec("grow", "moved", q != r);
	long ok;
	PHASE("read_old", ok = touch_r(r, N, 1));
	rec("read_old", "data_ok", ok);
	PHASE("write_new", touch_w(r + LEN, N, 2));
}

/* After the region moved to q: its frames (pm_a: before) kept, its data read back there. */
static void after_move(const char *phase, char *q)
{
	long reused, copied, ok;
	pm_read(q, N, pm_b);
	pm_compare(pm_a, pm_b, N, &reused, &copied);
	rec(phase, "reused", reused);
	PHASE("read_moved", ok = touch_r(q, N, 1));
	rec("read_moved", "data_ok", ok);
}

static void s_mremap_maymove(void)
{
	r = map_aligned(LEN, 2 * MiB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	p_mmap(r + LEN, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	touch_w(r, N, 1);
	pm_read(r, N, pm_a);
	char *q;
	PHASE("grow_maymove", q = p_mremap(r, LEN, 2 * LEN, MREMAP_MAYMOVE, NULL));
	rec("grow_maymove", "moved", q != r);
	after_move("grow_maymove", q);
	int sig = 0, code = 0;
	PHASE("read_old_address", sig = try_access(r, 0, &code));
	rec("read_old_address", "signal", sig);
}

static void s_mremap_fixed(void)
{
	char *area = map_aligned(2 * LEN, 2 * MiB, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
	r = p_mmap(area, LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
	           0);
	touch_w(r, N, 1);
	pm_read(r, N, pm_a);
	char *q;
	PHASE("move_fixed", q = p_mremap(r, LEN, LEN, MREMAP_MAYMOVE | MREMAP_FIXED, area + LEN));
	rec("move_fixed", "at_address", q == area + LEN);
	after_move("move_fixed", q);
}

static const struct scenario scenarios[] = {
    {"mmap_topdown", s_mmap_topdown, "mmap without an address: where the kernel puts it"},
    {"map_fixed_noreplace", s_fixed_noreplace, "MAP_FIXED_NOREPLACE (EEXIST), MAP_FIXED"},
    {"map_populate", s_map_populate, "MAP_POPULATE of 4096 pages, then write"},
    {"map_noreserve", s_map_noreserve, "mmap of twice RAM without and with MAP_NORESERVE"},
    {"growsdown", s_growsdown, "MAP_GROWSDOWN growth and the stack guard gap"},
    {"stack_growth", s_stack_growth, "the main stack grows by 1 MiB"},
    {"brk", s_brk, "brk: grow 16 MiB, write, shrink 8 MiB, grow, read"},
    {"mremap_shrink", s_mremap_shrink, "mremap 16 -> 8 MiB"},
    {"mremap_grow_in_place", s_mremap_grow_in_place, "mremap 16 -> 32 MiB in place"},
    {"mremap_maymove", s_mremap_maymove, "mremap 16 -> 32 MiB, MREMAP_MAYMOVE, blocked above"},
    {"mremap_fixed", s_mremap_fixed, "mremap MREMAP_MAYMOVE|MREMAP_FIXED to a new address"},
};

int main(int argc, char **argv)
{
	return probe_main(argc, argv, scenarios, sizeof(scenarios) / sizeof(scenarios[0]));
}
