/*
 * memcontrol.c — the cgroup v2 memory controller (Linux's mm/memcontrol.c; memcontrol.h has
 * the data): the charge of every page allocated for a process of a group (memory.current and
 * its peak), memory.max (reclaim within the group, then an out-of-memory kill of the
 * allocating process), memory.high (reclaim back to it, then the throttle of the allocating
 * task by Linux's calculate_high_delay), memory.low and memory.min (global reclaim takes no
 * page from a group at or below its protection while other groups have pages; memory.low
 * gives way when nothing else can, memory.min never), memory.swap.max, memory.reclaim, and
 * memory.events. Each group has its own LRU (a replacement scope); global reclaim takes victims
 * from the groups and the root in proportion to their LRUs' sizes.
 *
 * An anonymous mTHP folio (mthp.c) is charged whole (mem_cgroup_charge of the folio in
 * alloc_anon_folio): a charge that would pass memory.max fails without reclaim (the folio's
 * gfp for a VMA without MADV_HUGEPAGE does not allow direct reclaim: try_charge gives up) and
 * the fault tries the next order (mthp.<N>kB.anon_fault_fallback_charge); its swap-out charges
 * its slots whole or falls back to a split.
 *
 * Not modelled: nested groups (every group is a child of the root), the charge of 2 MiB
 * pages, page tables and the compressed pools (they stay the root's), charge batching
 * (MEMCG_CHARGE_BATCH: a page is charged when it is allocated), the choice of the largest
 * process of the group as the OOM victim (the allocating process is killed), swap-in charges
 * to the group recorded with the slot (a page read back is charged to the faulting process's
 * group), memory.oom.group and the socket and kernel memory counters.
 */
#include "models/vm/internal.h"

#include <stdlib.h>
#include <string.h>

/* mm/memcontrol.c: the penalty for going over memory.high. */
#define MEMCG_DELAY_PRECISION_SHIFT 20
#define MEMCG_DELAY_SCALING_SHIFT 14
#define MEMCG_CHARGE_BATCH 64
#define MEMCG_HZ 1000 /* CONFIG_HZ=1000: a jiffy is 1 ms */
#define MEMCG_MAX_HIGH_DELAY_JIFFIES (2 * MEMCG_HZ)
#define PS_PER_JIFFY 1000000000ull
/* mm/memcontrol.c: try_charge gives up after this many reclaim attempts that freed nothing */
#define MAX_RECLAIM_RETRIES 16

void mem_cgroup_init(struct vm *vm)
{
	vm->nr_memcgs = vm->cfg.nr_memcgs;
	vm->page_scopes = vm->cfg.local_scope || vm->nr_memcgs;
	if (!vm->nr_memcgs)
		return;
	/* [0] is the root: its pages are vm->scope's, only its counters are used here. */
	vm->memcgs = xcalloc(vm->nr_memcgs + 1, sizeof(*vm->memcgs));
	for (uint32_t i = 1; i <= vm->nr_memcgs; i++) {
		vm->memcgs[i].cfg = vm->cfg.memcgs[i - 1];
		reclaim_scope_init(vm, &vm->memcgs[i].scope, NULL);
	}
	uint64_t s = vm->cfg.swap_pages ? vm->cfg.swap_pages : 1;
	vm->swap_memcg = xcalloc(s, sizeof(*vm->swap_memcg));
}

void mem_cgroup_fini(struct vm *vm)
{
	for (uint32_t i = 1; i <= vm->nr_memcgs; i++)
		reclaim_scope_fini(vm, &vm->memcgs[i].scope);
	free(vm->memcgs);
	free(vm->swap_memcg);
	vm->memcgs = NULL;
	vm->swap_memcg = NULL;
	vm->nr_memcgs = 0;
}

uint16_t vm_memcg_find(const struct vm *vm, const char *name)
{
	for (uint32_t i = 0; i < vm->cfg.nr_memcgs; i++)
		if (!strcmp(vm->cfg.memcgs[i].name, name))
			return (uint16_t)(i + 1);
	return 0;
}

/* ---- reclaim from a group ------------------------------------------------------------------ */

/* One victim of group cg's LRU; false when none can go. */
static bool reclaim_from(struct vm *vm, struct fault_work *w, struct mem_cgroup *cg, uint64_t key)
{
	if (!cg->scope.nr_frames || !reclaim_one(vm, w, &cg->scope, key, NULL))
		return false;
	cg->reclaimed++;
	if (vm->zc && zpool_in_debt(vm))
		zpool_balance(vm);
	w->memstall = true;
	return true;
}

bool mem_cgroup_try_charge(struct vm *vm, struct fault_work *w, uint16_t memcg, uint64_t key)
{
	struct mem_cgroup *cg = &vm->memcgs[memcg];
	if (cg->nr_pages < cg->cfg.max_pages)
		return true;
	cg->events[MEMCG_MAX]++;
	for (unsigned tries = 0; cg->nr_pages >= cg->cfg.max_pages;) {
		uint64_t before = cg->nr_pages;
		bool ok = reclaim_from(vm, w, cg, key);
		if (!ok || cg->nr_pages >= before) {
			if (!ok || ++tries == MAX_RECLAIM_RETRIES) {
				cg->events[MEMCG_OOM]++;
				cg->events[MEMCG_OOM_KILL]++;
				return false;
			}
		}
	}
	return true;
}

/* mm/memcontrol.c calculate_overage: (usage - high) / high in 2^-20 units. */
static uint64_t calculate_overage(uint64_t usage, uint64_t high)
{
	if (usage <= high)
		return 0;
	high = MAX(high, 1);
	return ((usage - high) << MEMCG_DELAY_PRECISION_SHIFT) / high;
}

/* mm/memcontrol.c calculate_high_delay and mem_cgroup_handle_over_high: the sleep, in jiffies,
 * of a task that charged nr_pages over memory.high, after the reclaim; no sleep up to HZ/100,
 * at most 2 s. */
static uint64_t high_delay_jiffies(uint64_t overage, uint64_t nr_pages)
{
	if (!overage)
		return 0;
	unsigned __int128 j = (unsigned __int128)overage * overage * MEMCG_HZ;
	j >>= MEMCG_DELAY_PRECISION_SHIFT;
	j >>= MEMCG_DELAY_SCALING_SHIFT;
	j = j * nr_pages / MEMCG_CHARGE_BATCH;
	if (j <= MEMCG_HZ / 100)
		return 0;
	return j > MEMCG_MAX_HIGH_DELAY_JIFFIES ? MEMCG_MAX_HIGH_DELAY_JIFFIES : (uint64_t)j;
}

/* Over memory.high: reclaim back to it (reclaim_high), then the throttle. */
static void handle_over_high(struct vm *vm, struct fault_work *w, struct mem_cgroup *cg,
                             uint64_t nr_pages)
{
	cg->events[MEMCG_HIGH]++;
	cg->high_deficit += nr_pages;
	while (cg->nr_pages > cg->cfg.high_pages && reclaim_from(vm, w, cg, KEY_NONE))
		;
	uint64_t j = high_delay_jiffies(calculate_overage(cg->nr_pages, cg->cfg.high_pages),
	                                cg->high_deficit);
	cg->high_deficit = 0;
	if (j) {
		w->throttle_ps += j * PS_PER_JIFFY;
		cg->throttle_ps += j * PS_PER_JIFFY;
		w->memstall = true;
	}
}

void mem_cgroup_commit_charge(struct vm *vm, struct fault_work *w, pfn_t pfn, uint16_t memcg)
{
	struct mem_cgroup *cg = &vm->memcgs[memcg];
	vm->pages[pfn].memcg = memcg;
	if (++cg->nr_pages > cg->peak_pages)
		cg->peak_pages = cg->nr_pages;
	if (cg->nr_pages > cg->cfg.high_pages)
		handle_over_high(vm, w, cg, 1);
}

bool mem_cgroup_charge_folio(struct vm *vm, struct fault_work *w, pfn_t head, unsigned order,
                             uint16_t memcg)
{
	struct mem_cgroup *cg = &vm->memcgs[memcg];
	uint64_t nr = 1ull << order;
	if (cg->nr_pages + nr > cg->cfg.max_pages)
		return false;
	if (head == PFN_NONE)
		return true;
	for (pfn_t f = head; f < head + nr; f++)
		vm->pages[f].memcg = memcg;
	cg->nr_pages += nr;
	cg->peak_pages = MAX(cg->peak_pages, cg->nr_pages);
	if (cg->nr_pages > cg->cfg.high_pages)
		handle_over_high(vm, w, cg, nr);
	return true;
}

bool mem_cgroup_try_charge_swap_nr(struct vm *vm, uint16_t memcg, uint32_t slot, uint64_t nr)
{
	if (vm->memcgs[memcg].swap_pages + nr > vm->memcgs[memcg].cfg.swap_max_pages)
		return false;
	for (uint64_t i = 0; slot != SLOT_NONE && i < nr; i++)
		mem_cgroup_try_charge_swap(vm, memcg, slot + (uint32_t)i);
	return true;
}

bool mem_cgroup_try_charge_swap(struct vm *vm, uint16_t memcg, uint32_t slot)
{
	struct mem_cgroup *cg = &vm->memcgs[memcg];
	if (slot == SLOT_NONE)
		return cg->swap_pages < cg->cfg.swap_max_pages;
	vm->swap_memcg[slot] = memcg;
	if (++cg->swap_pages > cg->swap_peak_pages)
		cg->swap_peak_pages = cg->swap_pages;
	return true;
}

void mem_cgroup_uncharge_swap(struct vm *vm, uint32_t slot)
{
	uint16_t id = vm->swap_memcg[slot];
	if (id) {
		vm->memcgs[id].swap_pages--;
		vm->swap_memcg[slot] = 0;
	}
}

/* ---- global reclaim: which group gives the next victim ------------------------------------- */

/* Protected from global reclaim in this pass? pass 0: at or below memory.low or memory.min;
 * pass 1: at or below memory.min only. */
static bool protected_in(const struct mem_cgroup *cg, int pass)
{
	if (cg->nr_pages <= cg->cfg.min_pages)
		return true;
	return pass == 0 && cg->nr_pages <= cg->cfg.low_pages;
}

/* Of the candidates with pages, the one furthest behind its share: the least reclaimed per
 * page on its LRU ((scans + 1) / size smallest; the root is index 0; the first on a tie). */
static int pick_proportional(struct vm *vm, int pass)
{
	int best = -1;
	uint64_t best_r = 0, best_n = 1;
	for (uint32_t i = 0; i <= vm->nr_memcgs; i++) {
		const struct mem_cgroup *cg = &vm->memcgs[i];
		uint64_t n = i ? cg->scope.nr_frames : vm->scope.nr_frames;
		if (!n || (i && protected_in(cg, pass)))
			continue;
		uint64_t r = cg->scans + 1;
		if (best < 0 || (unsigned __int128)r * best_n < (unsigned __int128)best_r * n) {
			best = (int)i;
			best_r = r;
			best_n = n;
		}
	}
	return best;
}

struct reclaim_scope *mem_cgroup_victim_scope(struct vm *vm)
{
	int i = pick_proportional(vm, 0);
	if (i < 0) {
		/* Only groups within memory.low have pages: low gives way (memory.events low). */
		i = pick_proportional(vm, 1);
		if (i > 0)
			vm->memcgs[i].events[MEMCG_LOW]++;
	}
	if (i <= 0) {
		vm->memcgs[0].scans++;
		return &vm->scope;
	}
	vm->memcgs[i].scans++;
	return &vm->memcgs[i].scope;
}

/* ---- the interface: memory.reclaim, memory.high, the report -------------------------------- */

/* One victim for the root's memory.reclaim: the whole machine's, as global reclaim takes them
 * (memory.low and memory.min respected). */
static bool reclaim_root(struct vm *vm, struct fault_work *w)
{
	if (!reclaim_one(vm, w, victim_scope(vm, NULL), KEY_NONE, NULL))
		return false;
	w->memstall = true;
	return true;
}

uint64_t vm_memory_reclaim(struct vm *vm, uint16_t memcg, uint64_t nr_pages, struct fault_work *w)
{
	uint64_t done = 0;
	vm->cur = w;
	while (done < nr_pages && (memcg ? reclaim_from(vm, w, &vm->memcgs[memcg], KEY_NONE)
	                                 : reclaim_root(vm, w)))
		done++;
	vm->cur = NULL;
	return done;
}

void vm_memcg_set_high(struct vm *vm, uint16_t memcg, uint64_t high_pages)
{
	vm->memcgs[memcg].cfg.high_pages = high_pages;
}

void mem_cgroup_report(const struct vm *vm, struct statsout *o)
{
	for (uint32_t i = 1; i <= vm->nr_memcgs; i++) {
		const struct mem_cgroup *cg = &vm->memcgs[i];
		uint64_t anon = 0, file = 0;
		for (uint64_t f = 0; f < vm->cfg.nr_frames; f++) {
			const struct page *pg = &vm->pages[f];
			if (pg->memcg == i && !(pg->flags & PG_FREE))
				(pg->flags & PG_FILE) ? file++ : anon++;
		}
		char *p = xasprintf("cgroup.%s", cg->cfg.name);
		static const char *const ev[NR_MEMCG_EVENTS] = {"events.low", "events.high",
		                                                 "events.max", "events.oom",
		                                                 "events.oom_kill"};
		statsout_u64(o, p, "current_pages", cg->nr_pages);
		statsout_u64(o, p, "peak_pages", cg->peak_pages);
		for (int e = 0; e < NR_MEMCG_EVENTS; e++)
			statsout_u64(o, p, ev[e], cg->events[e]);
		statsout_u64(o, p, "stat.anon", anon);
		statsout_u64(o, p, "stat.file", file);
		statsout_u64(o, p, "stat.swapped", cg->swap_pages);
		statsout_u64(o, p, "stat.refaults", cg->refaults);
		statsout_u64(o, p, "stat.reclaimed", cg->reclaimed);
		statsout_u64(o, p, "swap_peak_pages", cg->swap_peak_pages);
		statsout_u64(o, p, "throttle_ps", cg->throttle_ps);
		free(p);
	}
}
