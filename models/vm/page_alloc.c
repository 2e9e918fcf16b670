/*
 * page_alloc.c — the frames of memory.frames (Linux's mm/page_alloc.c): a free list of 4 KiB
 * frames, the 512-frame runs of 2 MiB pages, the allocation that falls back to reclaim when no
 * frame is free (direct reclaim, or a local scope's replacement at its allocation), the freeing
 * of a page whose last reference went, and the frames of page-table pages.
 *
 * The free list is LIFO (the frame freed last is taken first) and the order in which frames are
 * freed and taken is part of the results: a change here changes the physical addresses, hence
 * the DRAM row hits. Nothing here takes simulated time.
 */
#include "models/vm/internal.h"

/* pfn, just taken off a free list: counted, its struct page cleared. */
static inline pfn_t frame_taken(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	vm->nr_free--;
	memset(pg, 0, sizeof(*pg));
	pg->swap_slot = SLOT_NONE;
	uint64_t used = vm_frames_used(vm);
	if (used > vm->st.frames_used_max)
		vm->st.frames_used_max = used;
	return pfn;
}

/* The first free frame, its struct page cleared; PFN_NONE when none is free. */
static pfn_t take_free_frame(struct vm *vm)
{
	pfn_t pfn;
	if (unlikely(vm->cfg.nr_nodes)) {
		pfn = mpol_take_frame(vm); /* off its node's list, as the policy says */
		if (pfn == PFN_NONE)
			return PFN_NONE;
	} else {
		pfn = vm->free_head;
		if (pfn == PFN_NONE)
			return PFN_NONE;
		vm->free_head = vm->pages[pfn].next_free;
	}
	return frame_taken(vm, pfn);
}

pfn_t alloc_frame_on_node(struct vm *vm, uint32_t node)
{
	pfn_t pfn = mpol_take_from(vm, node);
	if (pfn == PFN_NONE)
		return PFN_NONE;
	return frame_taken(vm, pfn);
}

/* A free frame for a page: the compressed pool's debt first (zsmalloc.c). */
static inline pfn_t take_frame(struct vm *vm)
{
	if (unlikely(vm->zc) && zpool_in_debt(vm))
		zpool_balance(vm);
	return take_free_frame(vm);
}

pfn_t alloc_pool_frame(struct vm *vm)
{
	pfn_t pfn = take_free_frame(vm);
	if (pfn != PFN_NONE)
		vm->pages[pfn].flags = PG_ZPOOL;
	return pfn;
}

/* alloc_frame's body; offload (a constant in each copy): cgroups or compressed swap are
 * configured (the charge, the pool's debt, the page's compressibility class). */
static inline __attribute__((always_inline)) pfn_t
alloc_frame_body(struct vm *vm, struct fault_work *w, struct mm_struct *mm, uint64_t key,
                 const bool offload)
{
	struct reclaim_scope *sc = reclaim_scope_of(vm, mm);
	if (unlikely(vm->cfg.nr_nodes))
		vm->alloc_mm = mm;
	if (offload && mm && mm->memcg && !mem_cgroup_try_charge(vm, w, mm->memcg, key))
		return PFN_NONE;
	if (vm->cfg.local_scope && sc->nr_frames >= sc->limit_frames && sc->nr_frames) {
		/* Local replacement: at its allocation the process replaces one of its own pages,
		 * whatever is free. */
		if (reclaim_one(vm, w, sc, key, NULL))
			vm->st.direct_evictions++;
	}
	pfn_t pfn = offload ? take_frame(vm) : take_free_frame(vm);
	while (pfn == PFN_NONE) {
		/* Direct reclaim: the faulting process evicts and waits for the write. (One victim
		 * frees one frame, unless the compressed pool takes it.) */
		if (!try_to_free_pages(vm, w, sc, key))
			return PFN_NONE;
		w->memstall = true;
		pfn = offload ? take_frame(vm) : take_free_frame(vm);
	}
	vm->alloc_mm = NULL;
	wakeup_kswapd(vm);
	if (offload && mm) {
		vm->pages[pfn].zclass = mm->zclass;
		if (mm->memcg)
			mem_cgroup_commit_charge(vm, w, pfn, mm->memcg);
	}
	return pfn;
}

static __attribute__((noinline)) pfn_t alloc_frame_offload(struct vm *vm, struct fault_work *w,
                                                           struct mm_struct *mm, uint64_t key)
{
	return alloc_frame_body(vm, w, mm, key, true);
}

pfn_t alloc_frame(struct vm *vm, struct fault_work *w, struct mm_struct *mm, uint64_t key)
{
	if (unlikely(vm->offload))
		return alloc_frame_offload(vm, w, mm, key);
	return alloc_frame_body(vm, w, mm, key, false);
}

pfn_t alloc_contig_frames(struct vm *vm, unsigned order)
{
	uint64_t nr = 1ull << order, nr_blocks = vm->cfg.nr_frames >> order;
	if (vm->nr_free < nr)
		return PFN_NONE;
	for (uint64_t b = 0; b < nr_blocks; b++) {
		uint64_t base = b * nr, i;
		for (i = nr; i-- > 0;)
			if (!(vm->pages[base + i].flags & PG_FREE))
				break;
		if (i != UINT64_MAX)
			continue;
		/* Unlink the run from the free lists, keeping the order of the others. */
		uint32_t nr_lists = vm->cfg.nr_nodes ? vm->cfg.nr_nodes : 1;
		for (uint32_t l = 0; l < nr_lists; l++) {
			uint32_t *link = vm->cfg.nr_nodes ? &vm->node_free_head[l] : &vm->free_head;
			while (*link != PFN_NONE) {
				if (*link >= base && *link < base + nr) {
					*link = vm->pages[*link].next_free;
					if (vm->cfg.nr_nodes)
						vm->node_nr_free[l]--;
				} else {
					link = &vm->pages[*link].next_free;
				}
			}
		}
		vm->nr_free -= nr;
		for (i = 0; i < nr; i++) {
			struct page *pg = &vm->pages[base + i];
			memset(pg, 0, sizeof(*pg));
			pg->swap_slot = SLOT_NONE;
		}
		uint64_t used = vm_frames_used(vm);
		if (used > vm->st.frames_used_max)
			vm->st.frames_used_max = used;
		return (pfn_t)base;
	}
	return PFN_NONE;
}

pfn_t alloc_huge_frames(struct vm *vm)
{
	pfn_t head = alloc_contig_frames(vm, HPAGE_ORDER);
	for (uint32_t i = 0; head != PFN_NONE && i < HPAGE_NR; i++)
		vm->pages[head + i].flags =
		    i ? (PG_ANON | PG_TAIL) : (PG_ANON | PG_DIRTY | PG_HUGE);
	return head;
}

void free_huge_frames(struct vm *vm, pfn_t head)
{
	BUG_ON(!(vm->pages[head].flags & PG_HUGE), "frame %u is not a huge page", head);
	for (uint32_t i = HPAGE_NR; i-- > 0;) {
		vm->pages[head + i].flags &= ~(PG_HUGE | PG_TAIL);
		free_frame(vm, head + i);
	}
	vm->thp_pages--;
}

void put_page(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	if (pg->flags & (PG_HUGE | PG_TAIL)) {
		put_huge_page(vm, huge_head(pfn));
		return;
	}
	if (pg->mapcount || (pg->flags & PG_FILE))
		return; /* mapped elsewhere, or a page-cache page: it stays cached */
	if ((pg->flags & PG_SWAPCACHE) && vm->swap[pg->swap_slot].map)
		return; /* swap PTEs elsewhere will find it in the swap cache */
	if (pg->flags & PG_SWAPCACHE)
		delete_from_swap_cache(vm, pfn);
	lru_del(vm, pfn);
	free_frame(vm, pfn);
}

/*
 * Page-table pages. By default they live in physical memory above memory.frames (accounted
 * apart). With memory.page_tables_in_frames they take frames of memory.frames, reclaiming a
 * victim when none is free (its I/O is costed when a fault is running, else not); when no
 * frame can be had at all, the table goes above memory.frames and is counted in
 * memory.page_table_overflow. They are never evicted.
 */
uint64_t pte_alloc_paddr(void *ctx)
{
	struct vm *vm = ctx;
	vm->st.page_table_pages++;
	if (vm->st.page_table_pages > vm->st.page_table_pages_max)
		vm->st.page_table_pages_max = vm->st.page_table_pages;
	if (vm->cfg.page_tables_in_frames) {
		struct fault_work scratch;
		memset(&scratch, 0, sizeof(scratch));
		struct fault_work *w = vm->cur ? vm->cur : &scratch;
		pfn_t pfn = alloc_frame(vm, w, NULL, KEY_NONE);
		if (pfn != PFN_NONE) {
			vm->pages[pfn].flags = PG_PGTABLE;
			return (uint64_t)pfn * vm->cfg.page_size;
		}
		vm->st.page_table_overflow++;
		vm->st.page_table_overflow_now++;
	}
	uint64_t p = vm->next_pt_paddr;
	vm->next_pt_paddr += vm->cfg.page_size;
	return p;
}

void pte_free_paddr(void *ctx, uint64_t paddr)
{
	struct vm *vm = ctx;
	vm->st.page_table_pages--;
	uint64_t pfn = paddr / vm->cfg.page_size;
	if (pfn >= vm->cfg.nr_frames) {
		if (vm->cfg.page_tables_in_frames)
			vm->st.page_table_overflow_now--;
	} else {
		BUG_ON(!(vm->pages[pfn].flags & PG_PGTABLE), "page table at frame %llu not marked",
		       (unsigned long long)pfn);
		vm->pages[pfn].flags = 0;
		free_frame(vm, (pfn_t)pfn);
	}
}
