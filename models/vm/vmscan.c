/*
 * vmscan.c — reclaim (Linux's mm/vmscan.c): replacement scopes (global / local) and their
 * policy instances, the eviction of one victim (try_to_unmap, then a swap write or the drop of
 * a clean copy for an anonymous page, a writeback or a drop for a page-cache page), direct
 * reclaim when an allocation finds no free frame, and kswapd's watermark reclaim with its
 * frames under writeback. docs/vm.md says where it departs from Linux.
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
 *
 * Watermarks (vm.reclaim = "watermark"): an allocation that leaves fewer free frames than the
 * low watermark wakes kswapd (wakeup_kswapd); the engine then runs it as an event
 * (vm_kswapd_evict_one until it returns false), costs each victim's swap write on the disk
 * without making any process wait, and frees the frame when the write completes
 * (vm_writeback_start / vm_writeback_complete). A fault that finds no free frame reclaims one
 * victim itself and waits for its write (direct reclaim), as in on-demand mode.
 */
#include "models/vm/internal.h"

#include <string.h>

/* ---- scopes and the policies' view of the pages --------------------------------------- */

static bool env_test_and_clear_young(void *ctx, pfn_t pfn)
{
	return folio_referenced(((struct reclaim_scope *)ctx)->vm, pfn);
}

static bool env_page_dirty(void *ctx, pfn_t pfn)
{
	return folio_test_dirty(((struct reclaim_scope *)ctx)->vm, pfn);
}

static uint64_t env_vtime(void *ctx)
{
	struct reclaim_scope *sc = ctx;
	return sc->mm ? sc->vtime : sc->vm->vtime;
}

void reclaim_scope_init(struct vm *vm, struct reclaim_scope *sc, struct mm_struct *mm)
{
	memset(sc, 0, sizeof(*sc));
	sc->vm = vm;
	sc->mm = mm;
	sc->limit_frames = mm ? vm->cfg.local_frames : UINT64_MAX;
	sc->env = (struct policy_env){
	    .nr_frames = vm->cfg.nr_frames,
	    /* Each local instance has its own random stream, derived from its pid. */
	    .seed = mm ? vm->cfg.seed ^ mix64(0x5c09e00000000000ull + mm->pid) : vm->cfg.seed,
	    .vm = sc,
	    .test_and_clear_young = env_test_and_clear_young,
	    .page_dirty = env_page_dirty,
	    .vtime = env_vtime,
	};
	sc->policy = vm->cfg.policy->create(&sc->env, vm->cfg.policy_params);
}

void reclaim_scope_fini(struct vm *vm, struct reclaim_scope *sc)
{
	if (sc->policy)
		vm->cfg.policy->destroy(sc->policy);
	sc->policy = NULL;
}

/* ---- direct and background reclaim ----------------------------------------------------- */

/* ---- evicting one victim ---------------------------------------------------------------- */

/*
 * A hint for the host's cache, no effect on the simulation: an eviction walks from the victim's
 * struct page to its reverse map, to its PTE (and swap slot), three dependent host cache misses
 * when victims are scattered. The policy's peek names the likely next victims, so each is
 * prefetched in three stages over the evictions before its own: the struct page first, the
 * rmap item (and swap slot) when the page is cached, the PTE when the rmap item is.
 */
/* Victims per stage: CLOCK tests ~2.3 frames per eviction on the bench trace; 2, 3 and 5
 * measured alike. */
#define VICTIM_PEEK_STAGE 3
static void prefetch_victims(const struct vm *vm, const struct reclaim_scope *sc)
{
	pfn_t v[3 * VICTIM_PEEK_STAGE];
	unsigned n = vm->cfg.policy->peek(sc->policy, v, 3 * VICTIM_PEEK_STAGE);
	for (unsigned i = 0; i < n; i++) {
		const struct page *pg = &vm->pages[v[i]];
		if (i >= 2 * VICTIM_PEEK_STAGE) {
			__builtin_prefetch(pg, 1, 3);
			continue;
		}
		if (!pg->rmap)
			continue;
		const struct rmap_item *it = &vm->rmap_pool[pg->rmap];
		if (i >= VICTIM_PEEK_STAGE) {
			__builtin_prefetch(it, 0, 3);
			if (pg->flags & PG_SWAPCACHE)
				__builtin_prefetch(&vm->swap[pg->swap_slot], 1, 3);
			continue;
		}
		const pte_t *p = pgtable_lookup(&it->mm->pgd, it->vaddr);
		if (p)
			__builtin_prefetch(p, 1, 3);
	}
	/* The slot the next swap-out will most likely take (swap_alloc is next fit). */
	__builtin_prefetch(&vm->swap[vm->swap_cursor], 1, 3);
}

/* The policy's victim for the page incoming_key (KEY_NONE: background reclaim), taken off its
 * lists; PFN_NONE when it holds nothing. */
static pfn_t pick_victim(struct vm *vm, struct reclaim_scope *sc, uint64_t incoming_key)
{
	const struct policy_ops *pol = vm->cfg.policy;
	pfn_t pfn = incoming_key == KEY_NONE ? pol->evict(sc->policy)
	                                     : policy_evict_for(pol, sc->policy, incoming_key);
	if (pfn != PFN_NONE && pfn == vm->fault_pinned) {
		/* The fault holds this page (a COW source): take another victim and give the
		 * pinned page back to the policy, as if it had been skipped (Linux holds a
		 * reference, so reclaim cannot free it). */
		pfn_t other = incoming_key == KEY_NONE
		                  ? pol->evict(sc->policy)
		                  : policy_evict_for(pol, sc->policy, incoming_key);
		pol->insert(sc->policy, pfn, vm->pages[pfn].key, vm->fault_pinned_next_use);
		pfn = other;
	}
	return pfn;
}

/* A page-cache victim: unmapped (its PTEs become none: the page is found again in the page
 * cache or read again from the file), written back when dirty, else dropped; the frame is
 * free. */
static void reclaim_file_page(struct vm *vm, struct fault_work *w, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	bool dirty = try_to_unmap(vm, pfn, 0);
	if (dirty || (pg->flags & PG_DIRTY)) {
		vm_add_io(w, IO_DEV_FILE, true, file_dev_offset(vm, pg->mapping, pg->index),
		          vm->cfg.page_size);
		vm->st.writeback++;
	} else {
		vm->st.file_drops++;
	}
	folio_clear_dirty(vm, pfn);
	filemap_remove(&vm->fm, pg->mapping, pg->index);
	free_frame(vm, pfn);
}

enum anon_reclaim {
	ANON_KEPT,      /* swap is full: the page stays (given back to the policy) */
	ANON_FREED,     /* unmapped and freed (its copy on swap written, or clean, or unneeded) */
	ANON_WRITEBACK, /* unmapped, its swap write in flight: PG_WRITEBACK (kswapd only) */
};

/* An anonymous victim: in the swap cache (a new slot unless it has one), every PTE made a swap
 * entry, its copy written when dirty (nobody waits for kswapd's writes: with kswapd the frame
 * stays PG_WRITEBACK until the write completes), then out of the swap cache. */
static enum anon_reclaim reclaim_anon_page(struct vm *vm, struct fault_work *w,
                                           struct reclaim_scope *sc, pfn_t pfn, bool kswapd)
{
	struct page *pg = &vm->pages[pfn];
	bool dirty = (pg->flags & PG_DIRTY) != 0;
	if (!(pg->flags & PG_SWAPCACHE)) {
		if (!add_to_swap(vm, pfn)) {
			/* Swap is full: the page stays; the caller reports out-of-memory. */
			pg->flags |= PG_LRU;
			sc->nr_frames++;
			vm->cfg.policy->insert(sc->policy, pfn, pg->key, NEXT_USE_NEVER);
			return ANON_KEPT;
		}
		dirty = true; /* no copy on swap yet */
	}
	uint32_t slot = pg->swap_slot;
	if (try_to_unmap(vm, pfn, pte_mkswap(slot)))
		dirty = true;
	bool wrote = false;
	if (vm->swap[slot].map == 0) {
		/* Nobody maps it and nobody will fault it back: the copy is not needed. */
		delete_from_swap_cache(vm, pfn);
	} else {
		if (dirty) {
			wrote = swap_writepage(vm, w, pfn, slot);
			vm->st.swap_out++;
		} else {
			vm->st.swap_out_clean_drops++;
		}
		swap_cache_drop(vm, pfn);
	}
	if (kswapd && wrote) {
		pg->flags = PG_WRITEBACK;
		vm->nr_writeback++;
		return ANON_WRITEBACK;
	}
	free_frame(vm, pfn);
	return ANON_FREED;
}

/*
 * An mTHP folio unit chosen by the policy (head off its lists): shrink_folio_list's
 * folio_alloc_swap of the whole folio. With an aligned run of free slots of its size, every
 * page joins the swap cache with its slot of the run, is unmapped and written (contiguous
 * offsets: one disk request of the folio's size), and the frames are freed (kswapd: under
 * writeback as one, freed when the write completes): mthp.<N>kB.swpout. With none, or a page
 * lazily freed, the folio is split (split; swpout_fallback when slots were the reason): the
 * head is the victim of the 4 KiB path, the others go back to the policy (ANON_KEPT).
 */
static enum anon_reclaim reclaim_anon_folio(struct vm *vm, struct fault_work *w, pfn_t head,
                                            bool kswapd)
{
	unsigned order = vm->pages[head].folio_order;
	uint64_t nr = 1ull << order;
	bool lazy = false;
	for (pfn_t f = head; f < head + nr; f++) {
		BUG_ON(!(vm->pages[f].flags & PG_FOLIO) || !vm->pages[f].mapcount ||
		           (vm->pages[f].flags & PG_SWAPCACHE),
		       "folio %u: frame %u left it or is in the swap cache", head, f);
		lazy |= (vm->pages[f].flags & PG_LAZYFREE) != 0;
	}
	uint16_t memcg = vm->pages[head].memcg;
	uint32_t slot = SLOT_NONE;
	if (!lazy && (!memcg || mem_cgroup_try_charge_swap_nr(vm, memcg, SLOT_NONE, nr)))
		slot = swap_alloc_contig(vm, order);
	if (slot != SLOT_NONE && memcg)
		mem_cgroup_try_charge_swap_nr(vm, memcg, slot, nr);
	if (slot == SLOT_NONE) {
		if (!lazy)
			vm->st.mthp_swpout_fallback[order]++;
		folio_lru_split(vm, head, head, true);
		return ANON_KEPT;
	}
	bool wrote = false;
	for (pfn_t f = head; f < head + nr; f++) {
		struct page *pg = &vm->pages[f];
		uint32_t s = slot + (f - head);
		pg->flags |= PG_SWAPCACHE;
		pg->swap_slot = s;
		swap_set_cache(vm, s, f);
		vm->swap[s].key = pg->key;
		try_to_unmap(vm, f, pte_mkswap(s));
		wrote |= swap_writepage(vm, w, f, s);
		swap_cache_drop(vm, f);
	}
	vm->st.swap_out += nr;
	vm->st.mthp_swpout[order]++;
	for (pfn_t f = head; f < head + nr; f++) {
		if (kswapd && wrote) {
			vm->pages[f].flags = PG_WRITEBACK | PG_FOLIO; /* freed whole (writeback) */
			vm->nr_writeback++;
		} else {
			free_frame(vm, f);
		}
	}
	return kswapd && wrote ? ANON_WRITEBACK : ANON_FREED;
}

/* A lazily freed anonymous page (MADV_FREE) not written since: its PTEs go (the next access
 * reads zeros) and the frame is free, without a swap write. */
static bool reclaim_lazyfree_page(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	bool dirty = pg->flags & PG_DIRTY;
	for (uint32_t r = pg->rmap; r && !dirty; r = vm->rmap_pool[r].next) {
		const pte_t *p = pgtable_lookup(&vm->rmap_pool[r].mm->pgd, vm->rmap_pool[r].vaddr);
		dirty = p && (*p & PTE_DIRTY);
	}
	pg->flags &= ~PG_LAZYFREE;
	if (dirty)
		return false; /* written again: it swaps like any other */
	try_to_unmap(vm, pfn, 0);
	free_frame(vm, pfn);
	vm->st.lazyfree_drops++;
	return true;
}

/* shrink_folio_list for one victim pfn, off its policy (still counted in sc). */
static bool shrink_folio(struct vm *vm, struct fault_work *w, struct reclaim_scope *sc, pfn_t pfn,
                         pfn_t *wb_out)
{
	struct page *pg = &vm->pages[pfn];
	pg->flags &= ~PG_LRU;
	sc->nr_frames -= lru_nr_frames(pg);
	if (pg->flags & PG_HUGE)
		split_huge_page(vm, pfn,
		                true); /* swap-out splits the page; the head is the victim */
	if (unlikely(pg->flags & PG_FOLIO)) {
		uint64_t nr = 1ull << pg->folio_order;
		enum anon_reclaim r = reclaim_anon_folio(vm, w, pfn, wb_out != NULL);
		if (r != ANON_KEPT) {
			if (r == ANON_WRITEBACK)
				*wb_out = pfn;
			vm->st.evictions += nr;
			w->evictions += (uint32_t)nr;
			return true;
		}
		/* split: the head goes on as a 4 KiB victim */
	}
	if (unlikely(vm->tiering) && demote_folio(vm, w, pfn, wb_out != NULL))
		return true; /* moved to a lower tier: its frame is free */
	if ((pg->flags & PG_LAZYFREE) && reclaim_lazyfree_page(vm, pfn)) {
		vm->st.evictions++;
		w->evictions++;
		return true;
	}
	if (page_is_shmem(vm, pg)) {
		if (!shmem_writeout(vm, w, sc, pfn, wb_out != NULL))
			return false;
		if (wb_out)
			*wb_out = pfn;
		vm->st.evictions++;
		w->evictions++;
		return true;
	}
	if (pg->flags & PG_FILE) {
		reclaim_file_page(vm, w, pfn);
		vm->st.evictions++;
		w->evictions++;
		return true;
	}
	enum anon_reclaim r = reclaim_anon_page(vm, w, sc, pfn, wb_out != NULL);
	if (r == ANON_KEPT)
		return false;
	if (r == ANON_WRITEBACK)
		*wb_out = pfn;
	vm->st.evictions++;
	w->evictions++;
	if (vm->cfg.policy->peek)
		prefetch_victims(vm, sc);
	return true;
}

bool reclaim_one(struct vm *vm, struct fault_work *w, struct reclaim_scope *sc,
                 uint64_t incoming_key, pfn_t *wb_out)
{
	if (wb_out)
		*wb_out = PFN_NONE;
	pfn_t pfn = pick_victim(vm, sc, incoming_key);
	if (pfn == PFN_NONE)
		return false;
	struct page *pg = &vm->pages[pfn];
	BUG_ON(!(pg->flags & PG_LRU) || (pg->flags & PG_FREE) || pg->scope != sc,
	       "policy %s evicted frame %u that it does not hold", vm->cfg.policy->name, pfn);
	return shrink_folio(vm, w, sc, pfn, wb_out);
}

bool reclaim_page(struct vm *vm, struct fault_work *w, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	if (!(pg->flags & PG_LRU))
		return false;
	vm->cfg.policy->remove(pg->scope->policy, pfn);
	return shrink_folio(vm, w, pg->scope, pfn, NULL);
}

struct reclaim_scope *victim_scope_local(struct vm *vm, struct reclaim_scope *own)
{
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

void reclaim_mm_exit(struct vm *vm, struct mm_struct *mm)
{
	struct reclaim_scope *sc = &mm->scope;
	for (uint64_t f = 0; f < vm->cfg.nr_frames && sc->nr_frames; f++) {
		struct page *pg = &vm->pages[f];
		if (!(pg->flags & PG_LRU) || pg->scope != sc)
			continue;
		__lru_del(vm, (pfn_t)f); /* (a folio unit moves whole) */
		struct mm_struct *heir = pg->rmap ? vm->rmap_pool[pg->rmap].mm : NULL;
		BUG_ON(heir == mm, "exiting pid %u still maps frame %llu", mm->pid,
		       (unsigned long long)f);
		struct reclaim_scope *to = heir ? &heir->scope : &vm->scope;
		pg->flags |= PG_LRU;
		pg->scope = to;
		to->nr_frames += lru_nr_frames(pg);
		vm->cfg.policy->insert(to->policy, (pfn_t)f, pg->key, NEXT_USE_NEVER);
		for (pfn_t t = 1; (pg->flags & PG_FOLIO) && t < (1u << pg->folio_order); t++)
			vm->pages[f + t].scope = to;
	}
	BUG_ON(sc->nr_frames, "scope of pid %u keeps %llu frames", mm->pid,
	       (unsigned long long)sc->nr_frames);
}

bool vm_kswapd_evict_one(struct vm *vm, struct fault_work *w, pfn_t *wb_pfn)
{
	*wb_pfn = PFN_NONE;
	if (!vm->tiering && vm->nr_free + vm->nr_writeback >= vm->cfg.wmark_high_frames)
		return false;
	fault_work_reset(w);
	vm->cur = w;
	bool ok = unlikely(vm->tiering) ? tier_kswapd_evict_one(vm, w, wb_pfn)
	                                : reclaim_one(vm, w, victim_scope(vm, NULL), KEY_NONE, wb_pfn);
	if (unlikely(vm->zc))
		zpool_balance(vm);
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
	if (unlikely(vm->tiering))
		vm->node_nr_writeback[vm_node_of(vm, pfn)]++;
}

uint64_t vm_writeback_complete(struct vm *vm, uint64_t now_ps)
{
	uint64_t next = UINT64_MAX;
	uint32_t keep = 0;
	/* In submission order, so frames return to the free list in a stable order. */
	for (uint32_t i = 0; i < vm->nr_wb; i++) {
		struct writeback_ent e = vm->wb[i];
		if (e.done_ps <= now_ps) {
			/* An mTHP folio written whole (PG_FOLIO) frees all its frames. */
			pfn_t nr = (vm->pages[e.pfn].flags & PG_FOLIO)
			               ? (pfn_t)1 << vm->pages[e.pfn].folio_order
			               : 1;
			for (pfn_t f = e.pfn; f < e.pfn + nr; f++) {
				vm->pages[f].flags &= ~(PG_WRITEBACK | PG_FOLIO);
				vm->nr_writeback--;
				if (unlikely(vm->tiering))
					vm->node_nr_writeback[vm_node_of(vm, f)]--;
				free_frame(vm, f);
			}
		} else {
			vm->wb[keep++] = e;
			next = MIN(next, e.done_ps);
		}
	}
	vm->nr_wb = keep;
	return next;
}
