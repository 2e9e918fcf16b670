/*
 * mthp_swap.c — swap-out of anonymous 64 KiB mTHP folios on the running kernel (docs/vm.md,
 * "Anonymous mTHP"; run by mthp_swap.sh, which provides the swap device, sets
 * hugepages-64kB/enabled to always and restores everything). Not a linux-compare probe: it
 * needs a swap device, and its re-read phase measures the swap cache, which vmsim does not keep
 * after MADV_PAGEOUT (docs/vm.md says why).
 *
 * A 4 MiB private anonymous region (64 folios, 2 MiB aligned, not MADV_HUGEPAGE) is written,
 * paged out whole by MADV_PAGEOUT (shrink_folio_list: each folio swapped out whole, or split
 * when no large swap entry can be had), read back at once (the folios are still in the swap
 * cache), or, with a memory cgroup v1 limit file as argv[1], after the group's limit is
 * lowered to argv[2] for a moment (the clean swap-cache folios are reclaimed: the reads swap
 * in). Prints "phase<TAB>metric<TAB>value" with the hugepages-64kB/stats differences and the
 * process's faults per phase.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#define STATS "/sys/kernel/mm/transparent_hugepage/hugepages-64kB/stats/"
#define NPAGES 1024UL
#define PAGE 4096UL

static const char *const stat_names[] = {
    "anon_fault_alloc", "swpout", "swpout_fallback", "split", "swpin", "swpin_fallback", "zswpout"};
#define NSTATS (sizeof(stat_names) / sizeof(stat_names[0]))

static long read_stat(const char *name)
{
	char path[256];
	long v = -1;
	snprintf(path, sizeof(path), STATS "%s", name);
	FILE *f = fopen(path, "r");
	if (!f || fscanf(f, "%ld", &v) != 1) {
		perror(path);
		exit(1);
	}
	fclose(f);
	return v;
}

struct snap {
	long stat[NSTATS];
	long minflt, majflt;
};

static void take(struct snap *s)
{
	struct rusage u;
	for (size_t i = 0; i < NSTATS; i++)
		s->stat[i] = read_stat(stat_names[i]);
	getrusage(RUSAGE_SELF, &u);
	s->minflt = u.ru_minflt;
	s->majflt = u.ru_majflt;
}

/* The differences since *s (other processes' mTHP faults may add to anon_fault_alloc). */
static void report(const char *phase, struct snap *s)
{
	struct snap now;
	take(&now);
	for (size_t i = 0; i < NSTATS; i++)
		printf("%s\t%s\t%ld\n", phase, stat_names[i], now.stat[i] - s->stat[i]);
	printf("%s\tminflt\t%ld\n%s\tmajflt\t%ld\n", phase, now.minflt - s->minflt, phase,
	       now.majflt - s->majflt);
	take(s);
}

static void write_file(const char *path, const char *value)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(value, f) < 0 || fclose(f)) {
		perror(path);
		exit(1);
	}
}

int main(int argc, char **argv)
{
	size_t len = NPAGES * PAGE, align = 2UL << 20;
	char *m =
	    mmap(NULL, len + align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	char *r = (char *)(((uintptr_t)m + align - 1) & ~(uintptr_t)(align - 1));
	volatile char sum = 0;
	struct snap s;
	take(&s);
	for (size_t i = 0; i < NPAGES; i++)
		r[i * PAGE] = 1;
	report("write", &s);
	if (madvise(r, len, MADV_PAGEOUT)) {
		perror("MADV_PAGEOUT");
		return 1;
	}
	report("pageout", &s);
	if (argc > 2) {
		sleep(1); /* the swap writes complete: the swap-cache folios are clean */
		write_file(argv[1], argv[2]);
		write_file(argv[1], "-1");
		report("reclaim", &s);
	}
	for (size_t i = 0; i < NPAGES; i++)
		sum += r[i * PAGE];
	report("read", &s);
	return 0;
}
