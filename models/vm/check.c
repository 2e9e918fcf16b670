/*
 * check.c — the --check walk of the VM layer's invariants (Linux's CONFIG_DEBUG_VM checks, as
 * one walk over everything): every PTE maps a frame that is in use, lies inside a VMA and has
 * its rmap item; frame map counts equal the PTEs that map them and rss sums them; the free list
 * holds exactly the free frames; frames in use are on a policy's lists (or are page tables,
 * tails of a huge page, or under writeback) and the scopes' counts add up; swap slot counts
 * equal the swap PTEs; the page cache indexes exactly its frames. A violation is a bug:
 * BUG_ON aborts with the simulated time.
 */
#include "models/vm/internal.h"

#include <stdlib.h>

#include "models/vm/vma.h"

struct check_ctx {
	struct vm *vm;
	struct mm_struct *mm;
	uint32_t *maps;  /* PTEs seen per frame */
	uint32_t *swaps; /* swap PTEs seen per slot */
};

/* A present PTE that maps a page-cache page agrees with its VMA. */
static void check_file_pte(const struct check_ctx *c, uint64_t vaddr, pte_t pte,
                           const struct page *pg)
{
	uint64_t pfn = pte_pfn(pte);
	const struct vm_area_struct *v = find_vma(c->mm, vaddr);
	BUG_ON(v->vm_file != pg->mapping + 1 || vma_file_index(v, vaddr) != pg->index,
	       "pid %u %llx: maps page-cache page %llu (file %u index %llu) that its VMA "
	       "does not map there",
	       c->mm->pid, (unsigned long long)vaddr, (unsigned long long)pfn, pg->mapping,
	       (unsigned long long)pg->index);
	BUG_ON(!(v->vm_flags & VM_SHARED) && (pte & PTE_WRITE),
	       "pid %u %llx: private mapping of a page-cache page is writable", c->mm->pid,
	       (unsigned long long)vaddr);
}

static void check_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct check_ctx *c = ctx;
	struct vm *vm = c->vm;
	pte_t pte = *p;
	if (pte_is_swap(pte)) {
		uint64_t slot = pte_swap_slot(pte);
		BUG_ON(slot >= vm->swap_high || !vm->swap_used[slot],
		       "pid %u %llx: swap PTE to free slot %llu", c->mm->pid,
		       (unsigned long long)vaddr, (unsigned long long)slot);
		c->swaps[slot]++;
		return;
	}
	if (!pte_present(pte) || (pte & PTE_ZERO))
		return;
	uint64_t pfn = pte_pfn(pte);
	BUG_ON(pfn >= vm->cfg.nr_frames, "PTE to frame %llu beyond memory",
	       (unsigned long long)pfn);
	BUG_ON(pte_huge(pte) && !(vm->pages[pfn].flags & PG_HUGE),
	       "pid %u %llx: huge PMD and frame %llu disagree", c->mm->pid,
	       (unsigned long long)vaddr, (unsigned long long)pfn);
	BUG_ON(vm->pages[pfn].flags & PG_FREE, "pid %u %llx maps free frame %llu", c->mm->pid,
	       (unsigned long long)vaddr, (unsigned long long)pfn);
	BUG_ON(!find_vma(c->mm, vaddr), "pid %u: PTE at %llx outside every VMA", c->mm->pid,
	       (unsigned long long)vaddr);
	c->maps[pfn]++;
	const struct page *pg = &vm->pages[pfn];
	if (pg->flags & PG_FILE)
		check_file_pte(c, vaddr, pte, pg);
	/* A 4 KiB PTE of a frame of a whole huge page has a subpage item, a PMD a plain one. */
	bool subpage = !pte_huge(pte) && (pg->flags & (PG_HUGE | PG_TAIL));
	bool found = false;
	for (uint32_t r = vm->pages[pfn].rmap; r && !found; r = vm->rmap_pool[r].next)
		found = vm->rmap_pool[r].mm == c->mm && vm->rmap_pool[r].vaddr == vaddr &&
		        vm->rmap_pool[r].subpage == subpage;
	BUG_ON(!found, "pid %u %llx: frame %llu has no rmap item for this PTE", c->mm->pid,
	       (unsigned long long)vaddr, (unsigned long long)pfn);
}

static void check_free_list(const struct vm *vm)
{
	uint64_t nr_free = 0;
	uint32_t nr_lists = vm->cfg.nr_nodes ? vm->cfg.nr_nodes : 1;
	for (uint32_t l = 0; l < nr_lists; l++) {
		uint64_t on_list = 0;
		uint32_t head = vm->cfg.nr_nodes ? vm->node_free_head[l] : vm->free_head;
		for (uint32_t f = head; f != PFN_NONE; f = vm->pages[f].next_free) {
			BUG_ON(!(vm->pages[f].flags & PG_FREE), "frame %u on the free list but in use",
			       f);
			BUG_ON(vm->cfg.nr_nodes && vm_node_of(vm, f) != l,
			       "frame %u on node %u's free list", f, l);
			BUG_ON(++nr_free > vm->cfg.nr_frames, "free list has a cycle");
			on_list++;
		}
		BUG_ON(vm->cfg.nr_nodes && on_list != vm->node_nr_free[l],
		       "node %u's free list holds %llu frames, count says %llu", l,
		       (unsigned long long)on_list, (unsigned long long)vm->node_nr_free[l]);
	}
	BUG_ON(nr_free != vm->nr_free, "free list holds %llu frames, count says %llu",
	       (unsigned long long)nr_free, (unsigned long long)vm->nr_free);
}

/* What the walk over the frames counted. */
struct frame_counts {
	uint64_t mapped;      /* PTEs, in 4 KiB pages */
	uint64_t writeback;   /* frames under writeback */
	uint64_t on_policies; /* frames of the pages the scopes hold */
	uint64_t page_tables; /* frames holding page-table pages */
	uint64_t zpool;       /* frames of the compressed pool */
	uint64_t mlocked;     /* frames of mlocked pages (the unevictable list) */
};

/* Does a PTE in a VM_LOCKED VMA map the page pfn as a whole (mlock.c's rule)? */
static bool check_locked_by_a_vma(const struct vm *vm, uint64_t pfn)
{
	for (uint32_t r = vm->pages[pfn].rmap; r; r = vm->rmap_pool[r].next) {
		const struct rmap_item *it = &vm->rmap_pool[r];
		const struct vm_area_struct *v = find_vma(it->mm, it->vaddr);
		if (!it->subpage && v && (v->vm_flags & VM_LOCKED))
			return true;
	}
	return false;
}

/* An mlocked page: off the policies, mapped in a VM_LOCKED VMA. */
static void check_mlocked_frame(const struct vm *vm, uint64_t f, struct frame_counts *n)
{
	const struct page *pg = &vm->pages[f];
	BUG_ON(pg->flags & PG_LRU, "frame %llu: mlocked and on a policy", (unsigned long long)f);
	BUG_ON(!check_locked_by_a_vma(vm, f), "frame %llu: mlocked, but no VM_LOCKED VMA maps it",
	       (unsigned long long)f);
	n->mlocked += (pg->flags & PG_HUGE) ? HPAGE_NR : 1;
}

/* A frame in use that a policy holds: in a scope, whole if huge, found by its cache. */
static void check_resident_frame(const struct vm *vm, uint64_t f, struct frame_counts *n)
{
	const struct page *pg = &vm->pages[f];
	BUG_ON(!(pg->flags & PG_LRU), "frame %llu in use but not on the policy's lists",
	       (unsigned long long)f);
	const struct reclaim_scope *want = pg->memcg   ? &vm->memcgs[pg->memcg].scope
	                                   : vm->tiering ? vm->node_scope[vm_node_of(vm, (pfn_t)f)]
	                                                 : &vm->scope;
	BUG_ON(!pg->scope || (vm->cfg.local_scope ? 0 : pg->scope != want),
	       "frame %llu: no replacement scope, or not its cgroup's", (unsigned long long)f);
	if (pg->flags & PG_HUGE)
		for (uint64_t i = 1; i < HPAGE_NR; i++)
			BUG_ON(f + i >= vm->cfg.nr_frames || !(vm->pages[f + i].flags & PG_TAIL),
			       "huge page %llu: frame %llu is not its tail", (unsigned long long)f,
			       (unsigned long long)(f + i));
	if (pg->flags & PG_FOLIO)
		for (uint64_t i = 1; i < (1ull << pg->folio_order); i++)
			BUG_ON(f + i >= vm->cfg.nr_frames ||
			           (vm->pages[f + i].flags & (PG_FOLIO | PG_LRU)) != PG_FOLIO ||
			           vm->pages[f + i].folio_order != pg->folio_order ||
			           vm->pages[f + i].scope != pg->scope ||
			           !vm->pages[f + i].mapcount,
			       "mTHP folio %llu: frame %llu is not its member",
			       (unsigned long long)f, (unsigned long long)(f + i));
	n->on_policies += lru_nr_frames(pg);
	if (pg->flags & PG_FILE)
		BUG_ON(pg->mapping >= vm->fm.nr_files ||
		           filemap_lookup(&vm->fm, pg->mapping, pg->index) != f,
		       "frame %llu: page-cache page (file %u index %llu) not found by its "
		       "file and index",
		       (unsigned long long)f, pg->mapping, (unsigned long long)pg->index);
	else if (pg->flags & PG_SWAPCACHE)
		BUG_ON(swap_cache(vm, pg->swap_slot) != f, "frame %llu: swap cache disagrees",
		       (unsigned long long)f);
	else
		BUG_ON((pg->flags & PG_HUGE) ? folio_mapcount(vm, (pfn_t)f) == 0
		                             : pg->mapcount == 0,
		       "frame %llu in use with no mapper and no swap cache", (unsigned long long)f);
}

static void check_frames(const struct vm *vm, const uint32_t *maps, struct frame_counts *n)
{
	for (uint64_t f = 0; f < vm->cfg.nr_frames; f++) {
		const struct page *pg = &vm->pages[f];
		BUG_ON(pg->mapcount != maps[f], "frame %llu: mapcount %u but %u PTEs map it",
		       (unsigned long long)f, pg->mapcount, maps[f]);
		n->mapped += pg->mapcount;
		if (pg->flags & PG_HUGE) /* a PMD counts 512 pages */
			for (uint32_t r = pg->rmap; r; r = vm->rmap_pool[r].next)
				n->mapped += vm->rmap_pool[r].subpage ? 0 : HPAGE_NR - 1;
		if (pg->flags & PG_FREE)
			continue;
		if (pg->flags & PG_PGTABLE) {
			BUG_ON(pg->mapcount || pg->rmap || (pg->flags & PG_LRU),
			       "frame %llu: page-table page mapped or evictable",
			       (unsigned long long)f);
			n->page_tables++;
			continue;
		}
		if (pg->flags & PG_ZPOOL) {
			BUG_ON(pg->mapcount || pg->rmap || (pg->flags & PG_LRU) || pg->memcg,
			       "frame %llu: pool frame mapped, evictable or charged",
			       (unsigned long long)f);
			n->zpool++;
			continue;
		}
		if (pg->flags & (PG_WRITEBACK | PG_TAIL)) {
			/* Under kswapd's write (unmapped), or a tail of the huge page before it
			 * (mapped only by the PTEs of split PMDs). */
			BUG_ON((pg->flags & PG_WRITEBACK) && (pg->mapcount || pg->rmap),
			       "frame %llu: writeback frame mapped", (unsigned long long)f);
			BUG_ON((pg->flags & PG_TAIL) &&
			           !(vm->pages[f & ~(uint64_t)(HPAGE_NR - 1)].flags & PG_HUGE),
			       "frame %llu: tail of no huge page", (unsigned long long)f);
			if (pg->flags & PG_WRITEBACK)
				n->writeback++;
			continue;
		}
		if (pg->flags & PG_MLOCKED) {
			check_mlocked_frame(vm, f, n);
			continue;
		}
		if ((pg->flags & (PG_FOLIO | PG_LRU)) == PG_FOLIO) {
			/* a member of an mTHP folio unit: its head checks it */
			BUG_ON(!(vm->pages[lru_head(vm, (pfn_t)f)].flags & PG_LRU),
			       "frame %llu: in an mTHP folio whose head is not on a policy",
			       (unsigned long long)f);
			continue;
		}
		BUG_ON(check_locked_by_a_vma(vm, f), "frame %llu: mapped in a VM_LOCKED VMA, not mlocked",
		       (unsigned long long)f);
		check_resident_frame(vm, f, n);
	}
	BUG_ON(n->mlocked != vm->nr_mlocked, "%llu frames mlocked, count says %llu",
	       (unsigned long long)n->mlocked, (unsigned long long)vm->nr_mlocked);
}

/*
 * Compressed swap and cgroups: the pool holds exactly ceil(bytes / page size) frames (so the
 * pool's frames plus every other frame in use never exceed memory.frames), its bytes are the
 * sum of its slots' entries; each cgroup's charge is the frames charged to it and never above
 * memory.max, its swap charge the slots charged to it.
 */
static void check_offload(const struct vm *vm, const struct frame_counts *n)
{
	if (vm->zc) {
		const struct zpool *p = &vm->zc->pool;
		uint64_t ps = vm->cfg.page_size, bytes = 0;
		for (uint64_t s = 0; s < vm->swap_high; s++)
			if (vm->zc->kind[s] == ZC_POOL || vm->zc->kind[s] == ZC_HUGE)
				bytes += vm->zc->bytes[s];
		BUG_ON(bytes != p->bytes, "pool holds %llu bytes, its entries %llu",
		       (unsigned long long)p->bytes, (unsigned long long)bytes);
		BUG_ON(n->zpool != p->nr_frames || p->nr_frames != (p->bytes + ps - 1) / ps,
		       "pool: %llu PG_ZPOOL frames, %llu held, %llu bytes",
		       (unsigned long long)n->zpool, (unsigned long long)p->nr_frames,
		       (unsigned long long)p->bytes);
	}
	uint64_t resident = n->on_policies + n->page_tables + n->writeback + n->mlocked;
	BUG_ON(resident + n->zpool > vm->cfg.nr_frames,
	       "resident frames %llu + pool frames %llu exceed memory.frames %llu",
	       (unsigned long long)resident, (unsigned long long)n->zpool,
	       (unsigned long long)vm->cfg.nr_frames);
	for (uint32_t i = 1; i <= vm->nr_memcgs; i++) {
		const struct mem_cgroup *cg = &vm->memcgs[i];
		uint64_t charged = 0, swapped = 0;
		for (uint64_t f = 0; f < vm->cfg.nr_frames; f++)
			charged += vm->pages[f].memcg == i && !(vm->pages[f].flags & PG_FREE);
		for (uint64_t s = 0; s < vm->swap_high; s++)
			swapped += vm->swap_memcg[s] == i;
		BUG_ON(charged != cg->nr_pages || swapped != cg->swap_pages ||
		           cg->nr_pages > cg->cfg.max_pages,
		       "cgroup %s: %llu pages charged (count %llu, max %llu), %llu slots (count "
		       "%llu)",
		       cg->cfg.name, (unsigned long long)charged, (unsigned long long)cg->nr_pages,
		       (unsigned long long)cg->cfg.max_pages, (unsigned long long)swapped,
		       (unsigned long long)cg->swap_pages);
	}
}

static void check_counts(const struct vm *vm, const struct frame_counts *n, uint64_t rss)
{
	BUG_ON(n->mapped != rss, "mapped PTEs %llu != sum of rss %llu",
	       (unsigned long long)n->mapped, (unsigned long long)rss);
	uint64_t pt_in_frames = vm->st.page_table_pages - vm->st.page_table_overflow_now;
	BUG_ON(vm->cfg.page_tables_in_frames && n->page_tables != pt_in_frames,
	       "page-table frames %llu != page-table pages in frames %llu",
	       (unsigned long long)n->page_tables, (unsigned long long)pt_in_frames);
	BUG_ON(n->writeback != vm->nr_writeback, "frames under writeback %llu != count %llu",
	       (unsigned long long)n->writeback, (unsigned long long)vm->nr_writeback);
	uint64_t held = vm->scope.nr_frames;
	for (struct mm_struct *m = vm->mm_list; m && vm->cfg.local_scope; m = m->mm_next)
		held += m->scope.nr_frames;
	for (uint32_t i = 1; i <= vm->nr_memcgs; i++)
		held += vm->memcgs[i].scope.nr_frames;
	for (uint32_t i = 1; vm->tiering && i < vm->cfg.nr_nodes; i++)
		held += vm->node_scope[i]->nr_frames;
	check_offload(vm, n);
	BUG_ON(held != n->on_policies, "scopes hold %llu frames, pages on policies %llu",
	       (unsigned long long)held, (unsigned long long)n->on_policies);
}

static void check_swap(const struct vm *vm, const uint32_t *swaps)
{
	uint64_t used = 0;
	for (uint64_t sl = 0; sl < vm->swap_high; sl++) {
		BUG_ON(vm->swap[sl].map != swaps[sl], "swap slot %llu: count %u but %u PTEs",
		       (unsigned long long)sl, vm->swap[sl].map, swaps[sl]);
		if (vm->swap_used[sl]) {
			used++;
			BUG_ON(!vm->swap[sl].map && swap_cache(vm, sl) == PFN_NONE,
			       "swap slot %llu allocated but unused", (unsigned long long)sl);
		}
	}
	BUG_ON(used != vm->nr_swap_used, "swap slots in use %llu != count %llu",
	       (unsigned long long)used, (unsigned long long)vm->nr_swap_used);
}

/* Every entry of a file's index names a page-cache frame of that (file, index), or (shmem)
 * a swap slot, counted in swaps[] as one holder. */
static uint64_t check_file_cache(const struct vm *vm, uint32_t fi, uint32_t *swaps)
{
	const struct address_space *as = &vm->fm.files[fi];
	uint64_t in_file = 0;
	for (uint64_t ci = 0; ci < as->nr_chunks; ci++) {
		for (uint64_t k = 0; as->chunks[ci] && k < FILEMAP_CHUNK_PAGES; k++) {
			pfn_t f = as->chunks[ci][k];
			if (f == PFN_NONE)
				continue;
			uint64_t index = ci * FILEMAP_CHUNK_PAGES + k;
			if (f & FILEMAP_SWAP_TAG) {
				uint32_t slot = f & ~FILEMAP_SWAP_TAG;
				BUG_ON(!as->shmem || slot >= vm->swap_high || !vm->swap_used[slot],
				       "index %llu of %s: swap entry to a free slot or not shmem",
				       (unsigned long long)index, as->name);
				swaps[slot]++;
				continue;
			}
			BUG_ON(f >= vm->cfg.nr_frames || !(vm->pages[f].flags & PG_FILE) ||
			           (vm->pages[f].flags & PG_FREE) || vm->pages[f].mapping != fi ||
			           vm->pages[f].index != index,
			       "page cache of %s index %llu names frame %u that is not that page",
			       as->name, (unsigned long long)index, f);
			in_file++;
		}
	}
	BUG_ON(in_file != as->nrpages, "file %s: %llu pages cached, count says %llu", as->name,
	       (unsigned long long)in_file, (unsigned long long)as->nrpages);
	return in_file;
}

static void check_page_cache(const struct vm *vm, uint32_t *swaps)
{
	uint64_t cached = 0, dirty = 0;
	for (uint32_t fi = 0; fi < vm->fm.nr_files; fi++)
		cached += check_file_cache(vm, fi, swaps);
	for (uint64_t f = 0; f < vm->cfg.nr_frames; f++)
		dirty += (vm->pages[f].flags & (PG_FREE | PG_DIRTY)) == PG_DIRTY &&
		         page_counts_dirty(vm, &vm->pages[f]);
	BUG_ON(dirty != vm->fm.nr_dirty, "%llu file pages are dirty, NR_FILE_DIRTY says %llu",
	       (unsigned long long)dirty, (unsigned long long)vm->fm.nr_dirty);
	BUG_ON(cached != vm->fm.nr_cached, "page cache holds %llu pages, count says %llu",
	       (unsigned long long)cached, (unsigned long long)vm->fm.nr_cached);
}

void vm_check(struct vm *vm, struct mm_struct *const *mms, size_t nr_mms)
{
	/* Slots at or above the high-water mark were never used: nothing to check there. */
	uint64_t n = vm->cfg.nr_frames, s = vm->swap_high;
	struct check_ctx c = {.vm = vm};
	c.maps = xcalloc(n ? n : 1, sizeof(uint32_t));
	c.swaps = xcalloc(s ? s : 1, sizeof(uint32_t));
	uint64_t rss = 0;
	for (size_t i = 0; i < nr_mms; i++) {
		c.mm = mms[i];
		pgtable_for_each(&mms[i]->pgd, 0, UINT64_MAX >> 7, check_pte, &c);
		rss += mms[i]->rss_pages;
	}
	check_free_list(vm);
	struct frame_counts counts = {0};
	check_frames(vm, c.maps, &counts);
	check_counts(vm, &counts, rss);
	check_page_cache(vm, c.swaps);
	check_swap(vm, c.swaps);
	free(c.maps);
	free(c.swaps);
}
