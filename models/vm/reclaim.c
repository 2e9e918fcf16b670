/*
 * reclaim.c — replacement scopes (global / local) and watermark reclaim (kswapd's victims and
 * the frames under writeback). See reclaim.h for the model, docs/vm.md for where it departs
 * from Linux.
 *
 * Ownership of pages under local scope: a page belongs to the scope of the process that
 * allocated its frame (the faulting process: a COW copy belongs to the writer, a swapped-in
 * page to the process that faulted it back, pages shared after fork to the parent that first
 * faulted them). When a process exits, the pages its scope still holds (used by others: fork
 * children, swap cache) move to the scope of their first remaining mapper, or to vm->scope
 * (the orphans' scope) when only swap entries refer to them.
 *
 * Victim scope when no frame is free: global scope: the machine's; local scope: the faulting
 * process's own, else the orphans', else the scope furthest above its allocation (oldest
 * process first on a tie). kswapd, which serves no process, uses the same order without an
 * own scope.
 */
#include "models/vm/reclaim.h"

#include <string.h>

#include "models/vm/vm_internal.h"

struct reclaim_scope *reclaim_scope_of(struct vm *vm, struct mm_struct *mm)
{
	return vm->cfg.local_scope ? &mm->scope : &vm->scope;
}

/* Where the next victim comes from; own may be NULL (kswapd). */
static struct reclaim_scope *victim_scope(struct vm *vm, struct reclaim_scope *own)
{
	if (!vm->cfg.local_scope)
		return &vm->scope;
	if (own && own->nr_frames)
		return own;
	if (vm->scope.nr_frames)
		return &vm->scope;
	struct reclaim_scope *best = NULL;
	int64_t best_excess = INT64_MIN;
	for (struct mm_struct *m = vm->mm_list; m; m = m->mm_next) {
		if (!m->scope.nr_frames)
			continue;
		int64_t excess = (int64_t)m->scope.nr_frames - (int64_t)m->scope.limit_frames;
		if (excess > best_excess) {
			best = &m->scope;
			best_excess = excess;
		}
	}
	return best ? best : &vm->scope;
}

pfn_t alloc_frame(struct vm *vm, struct fault_work *w, struct mm_struct *mm, uint64_t key)
{
	struct reclaim_scope *sc = reclaim_scope_of(vm, mm);
	if (vm->cfg.local_scope && sc->nr_frames >= sc->limit_frames && sc->nr_frames) {
		/* Local replacement: at its allocation the process replaces one of its own pages,
		 * whatever is free. */
		if (reclaim_one(vm, w, sc, key, NULL))
			vm->st.direct_evictions++;
	}
	pfn_t pfn = take_free_frame(vm);
	if (pfn == PFN_NONE) {
		/* Direct reclaim: the faulting process evicts and waits for the write. */
		if (!reclaim_one(vm, w, victim_scope(vm, sc), key, NULL))
			return PFN_NONE;
		vm->st.direct_evictions++;
		pfn = take_free_frame(vm);
	}
	reclaim_check_watermark(vm);
	return pfn;
}

void reclaim_mm_exit(struct vm *vm, struct mm_struct *mm)
{
	struct reclaim_scope *sc = &mm->scope;
	for (uint64_t f = 0; f < vm->cfg.nr_frames && sc->nr_frames; f++) {
		struct page *pg = &vm->pages[f];
		if (!(pg->flags & PG_LRU) || pg->scope != sc)
			continue;
		lru_del(vm, (pfn_t)f);
		struct mm_struct *heir = pg->rmap ? vm->rmap_pool[pg->rmap].mm : NULL;
		BUG_ON(heir == mm, "exiting pid %u still maps frame %llu", mm->pid,
		       (unsigned long long)f);
		struct reclaim_scope *to = heir ? &heir->scope : &vm->scope;
		pg->flags |= PG_LRU;
		pg->scope = to;
		to->nr_frames += (pg->flags & PG_HUGE) ? HPAGE_NR : 1;
		vm->cfg.policy->insert(to->policy, (pfn_t)f, pg->key, NEXT_USE_NEVER);
	}
	BUG_ON(sc->nr_frames, "scope of pid %u keeps %llu frames", mm->pid,
	       (unsigned long long)sc->nr_frames);
}

bool vm_kswapd_evict_one(struct vm *vm, struct fault_work *w, pfn_t *wb_pfn)
{
	*wb_pfn = PFN_NONE;
	if (vm->nr_free + vm->nr_writeback >= vm->cfg.wmark_high_frames)
		return false;
	fault_work_reset(w);
	vm->cur = w;
	bool ok = reclaim_one(vm, w, victim_scope(vm, NULL), KEY_NONE, wb_pfn);
	vm->cur = NULL;
	if (ok)
		vm->st.kswapd_evictions++;
	return ok;
}

void vm_writeback_start(struct vm *vm, pfn_t pfn, uint64_t done_ps)
{
	BUG_ON(!(vm->pages[pfn].flags & PG_WRITEBACK), "frame %u not under writeback", pfn);
	if (vm->nr_wb == vm->cap_wb) {
		vm->cap_wb = vm->cap_wb ? vm->cap_wb * 2 : 64;
		vm->wb = xrealloc(vm->wb, sizeof(*vm->wb) * vm->cap_wb);
	}
	vm->wb[vm->nr_wb++] = (struct writeback_ent){.pfn = pfn, .done_ps = done_ps};
}

uint64_t vm_writeback_complete(struct vm *vm, uint64_t now_ps)
{
	uint64_t next = UINT64_MAX;
	uint32_t keep = 0;
	/* In submission order, so frames return to the free list in a stable order. */
	for (uint32_t i = 0; i < vm->nr_wb; i++) {
		struct writeback_ent e = vm->wb[i];
		if (e.done_ps <= now_ps) {
			vm->pages[e.pfn].flags &= ~PG_WRITEBACK;
			vm->nr_writeback--;
			free_frame(vm, e.pfn);
		} else {
			vm->wb[keep++] = e;
			next = MIN(next, e.done_ps);
		}
	}
	vm->nr_wb = keep;
	return next;
}
