/*
 * mthp.c — anonymous multi-size THP (Linux 6.18's alloc_anon_folio in mm/memory.c and
 * thp_vma_allowable_orders in mm/huge_memory.c): a first touch of anonymous private memory
 * allocates one folio of 4 to 256 pages (16 KiB .. 1 MiB) and maps all its PTEs in one fault.
 *
 * Which orders (vm.mthp.<N>kB, as hugepages-<N>kB/enabled): "always"; "madvise" where the VMA
 * has VM_HUGEPAGE (MADV_HUGEPAGE, MAP_HUGE); "inherit" as vm.thp says; never for VM_NOHUGEPAGE,
 * shared or file mappings. A process in a cgroup has the folio charged whole
 * (memcontrol.c: mem_cgroup_charge_folio); a charge past memory.max fails without reclaim
 * (anon_fault_fallback_charge and anon_fault_fallback) and the next order is tried. The 2 MiB
 * PMD page (huge_memory.c) is tried first, as
 * Linux does; this runs when it is not wanted or not possible.
 *
 * The fault (do_anonymous_page for a write, or a read with vm.zero_page off; a read with the
 * zero page on maps the zero page, as Linux does): from the highest allowed order down, the
 * first whose naturally aligned range lies inside the VMA and whose PTEs are all none
 * (pte_range_none) is chosen; then that order and the smaller allowed ones are tried in turn:
 * the lowest aligned run of free frames of that size (page_alloc.c: no reclaim, no compaction,
 * as Linux's default defrag setting for these allocations; under vm.scope = "local" the run
 * must also fit the process's allowance). A success counts mthp.<N>kB.anon_fault_alloc, each
 * failure mthp.<N>kB.anon_fault_fallback (Linux's per-size stats); when every order fails the
 * 4 KiB path (which may reclaim) takes the fault. One fault: faults.demand_zero, every frame
 * zeroed (fault_work.zero_fills = pages), every PTE writable and dirty when the VMA is
 * writable (Linux sets the folio's PTEs alike); only the faulting PTE is young (x86: the
 * hardware sets the accessed bit of the PTE the access uses).
 *
 * The folio's life. Its frames are ordinary anonymous pages that remember the folio's order
 * (struct page.folio_order; the head is the frame aligned down to it):
 *  - rss, fork (PTEs copied, both sides write-protected) and rmap are per PTE, as in Linux;
 *  - do_wp_page reuses a frame of a folio only when every PTE mapping any frame of the folio
 *    is in the writer's address space and none of its frames is in the swap cache (Linux
 *    6.18's __wp_can_reuse_large_anon_folio: not maybe-mapped-shared, large mapcount equal to
 *    the reference count); otherwise it copies one 4 KiB page (wp_page_copy never copies a
 *    whole folio);
 *  - munmap, MADV_DONTNEED and COW unmap PTEs one by one and a frame no PTE maps is freed at
 *    once: the deferred split of a partly mapped folio is modelled as immediate;
 *  - the LRU: the policy holds the folio as one unit under its head frame (PG_FOLIO on every
 *    frame, PG_LRU on the head; scope counts 1 << order frames), as it holds a 2 MiB page: its
 *    young bit is the OR of its PTEs' (folio_referenced), every access to any of its pages is
 *    an access to the head. A page that leaves the folio (freed by munmap, MADV_DONTNEED, COW
 *    or exit; mlocked) splits the unit: the other pages are held one by one, in address order,
 *    as new pages (folio_lru_split; Linux's deferred split of a partly mapped folio, made
 *    immediate and not counted). The pages keep folio_order for do_wp_page's reuse rule;
 *  - reclaim (vmscan.c, reclaim_anon_folio): a folio the policy chooses goes out whole to an
 *    aligned run of free swap slots (mthp.<N>kB.swpout, one write of the folio's size), or,
 *    when none is free, is split (swpout_fallback, split) and its head reclaimed as a 4 KiB
 *    page, the others left to the policy as after a 2 MiB page's split (Linux reclaims the
 *    split pages in the same pass). Swap-in is per 4 KiB page (docs/vm.md says why);
 *  - migration (vm.tiering) moves single pages: with vm.tiering, folios are not held as units.
 */
#include "models/vm/internal.h"

/* The orders vm.mthp allows in vma (a mask of 1 << order), before the range checks. */
static uint32_t mthp_vma_allowable_orders(const struct vm *vm, const struct vm_area_struct *vma)
{
	if (vma->vm_file || (vma->vm_flags & (VM_SHARED | VM_NOHUGEPAGE)))
		return 0;
	bool madvised = vma->vm_flags & VM_HUGEPAGE;
	bool inherit = vm->cfg.thp == THP_ALWAYS || (vm->cfg.thp == THP_MADVISE && madvised);
	uint32_t orders = 0;
	for (unsigned o = MTHP_MIN_ORDER; o <= MTHP_MAX_ORDER; o++) {
		switch (vm->cfg.mthp[o]) {
		case MTHP_ALWAYS:
			orders |= 1u << o;
			break;
		case MTHP_MADVISE:
			orders |= madvised ? 1u << o : 0;
			break;
		case MTHP_INHERIT:
			orders |= inherit ? 1u << o : 0;
			break;
		default:
			break;
		}
	}
	return orders;
}

/* Are the nr PTEs from start (one page table: nr divides PT_ENTRIES) all none? */
static bool pte_range_none(struct mm_struct *mm, uint64_t start, uint64_t nr)
{
	for (uint64_t i = 0; i < nr; i++) {
		const pte_t *p = pgtable_lookup(&mm->pgd, start + (i << PTE_SHIFT));
		if (p && *p)
			return false;
	}
	return true;
}

/* The first order (highest first) of orders whose aligned range around vaddr lies in vma with
 * every PTE none; -1 when none does. */
static int mthp_first_order(struct mm_struct *mm, const struct vm_area_struct *vma, uint64_t vaddr,
                            uint32_t orders)
{
	for (int o = MTHP_MAX_ORDER; o >= MTHP_MIN_ORDER; o--) {
		uint64_t size = 1ull << (PTE_SHIFT + (unsigned)o), start = vaddr & ~(size - 1);
		if (!(orders & (1u << o)) || start < vma->vm_start || start + size > vma->vm_end)
			continue;
		if (pte_range_none(mm, start, 1ull << o))
			return o;
	}
	return -1;
}

/* The folio of 1 << order frames at head mapped over its aligned range around vaddr, held by
 * the policy as one unit under its head (PG_FOLIO on every frame), unless mlocked. */
static void mthp_map_folio(struct vm *vm, struct mm_struct *mm, const struct vm_area_struct *vma,
                           uint64_t vaddr, pfn_t head, unsigned order, uint64_t next_use)
{
	uint64_t nr = 1ull << order, start = vaddr & ~((nr << PTE_SHIFT) - 1);
	uint64_t fault_index = (vaddr - start) >> PTE_SHIFT;
	pte_t prot = (vma->vm_flags & VM_WRITE) ? PTE_WRITE | PTE_DIRTY : 0;
	for (uint64_t i = 0; i < nr; i++) {
		uint64_t va = start + (i << PTE_SHIFT);
		struct page *pg = &vm->pages[head + i];
		pg->flags = PG_ANON | PG_DIRTY;
		pg->key = page_key(mm, va);
		pg->folio_order = (uint8_t)order;
		pte_t *p = pgtable_alloc_pte(&mm->pgd, va);
		pgtable_set(&mm->pgd, va, p,
		            pte_mk(head + i, prot | (i == fault_index ? PTE_ACCESSED : 0)));
		rmap_add(vm, head + (pfn_t)i, mm, va);
	}
	if (vm->pages[head].flags & PG_MLOCKED)
		return; /* a VM_LOCKED VMA: every page is on the unevictable list */
	if (unlikely(vm->tiering)) {
		/* single pages (migration moves pages), in address order, the faulting page last */
		for (uint64_t i = 0; i < nr; i++)
			if (i != fault_index)
				lru_add(vm, mm, head + (pfn_t)i, NEXT_USE_NEVER);
		lru_add(vm, mm, head + (pfn_t)fault_index, next_use);
		return;
	}
	for (uint64_t i = 0; i < nr; i++)
		vm->pages[head + i].flags |= PG_FOLIO;
	lru_add(vm, mm, head, next_use);
	for (uint64_t i = 1; i < nr; i++)
		vm->pages[head + i].scope = vm->pages[head].scope;
}

void folio_lru_split(struct vm *vm, pfn_t head, pfn_t out, bool count)
{
	struct page *hp = &vm->pages[head];
	unsigned order = hp->folio_order;
	struct reclaim_scope *sc = hp->scope;
	__lru_del(vm, head); /* (reclaim's victim is off already) */
	for (pfn_t f = head; f < head + ((pfn_t)1 << order); f++) {
		struct page *pg = &vm->pages[f];
		if (!(pg->flags & PG_FOLIO))
			continue;
		pg->flags &= ~PG_FOLIO;
		if (f == out || (pg->flags & PG_MLOCKED))
			continue;
		pg->flags |= PG_LRU;
		pg->scope = sc;
		sc->nr_frames++;
		vm->cfg.policy->insert(sc->policy, f, pg->key, NEXT_USE_NEVER);
	}
	if (count)
		vm->st.mthp_split[order]++;
}

void folio_lru_split_out(struct vm *vm, pfn_t pfn)
{
	/* Linux queues a partly unmapped folio for a deferred split (split_deferred) and
	 * frees a wholly unmapped one without a split: neither counts as a split here. */
	folio_lru_split(vm, lru_head(vm, pfn), pfn, false);
}

bool do_anonymous_mthp(struct vm *vm, struct mm_struct *mm, const struct vm_area_struct *vma,
                       uint64_t vaddr, bool write, uint64_t next_use, struct fault_work *w)
{
	(void)write; /* the caller decided that a folio is wanted (not the zero page) */
	uint32_t orders = mthp_vma_allowable_orders(vm, vma);
	if (!orders)
		return false;
	int first = mthp_first_order(mm, vma, vaddr, orders);
	struct reclaim_scope *sc = reclaim_scope_of(vm, mm);
	for (int o = first; o >= MTHP_MIN_ORDER; o--) {
		if (!(orders & (1u << o)))
			continue;
		uint64_t nr = 1ull << o;
		pfn_t head = PFN_NONE;
		if (mm->memcg &&
		    !mem_cgroup_charge_folio(vm, w, PFN_NONE, (unsigned)o, mm->memcg)) {
			/* checked before the frames are taken (Linux charges the allocated folio
			 * and frees it): the same counts when a run is free */
			vm->st.mthp_anon_fault_fallback_charge[o]++;
			vm->st.mthp_anon_fault_fallback[o]++;
			continue;
		}
		if (!vm->cfg.local_scope || sc->nr_frames + nr <= sc->limit_frames)
			head = alloc_contig_frames(vm, (unsigned)o);
		if (head == PFN_NONE) {
			vm->st.mthp_anon_fault_fallback[o]++;
			continue;
		}
		if (mm->memcg)
			mem_cgroup_charge_folio(vm, w, head, (unsigned)o, mm->memcg);
		mthp_map_folio(vm, mm, vma, vaddr, head, (unsigned)o, next_use);
		vm->st.mthp_anon_fault_alloc[o]++;
		w->zero_fills += (uint32_t)nr;
		w->pfn = head + (pfn_t)((vaddr >> PTE_SHIFT) & (nr - 1));
		w->kinds |= FK_DEMAND_ZERO;
		vm->st.faults_demand_zero++;
		wakeup_kswapd(vm);
		return true;
	}
	return false;
}

bool anon_folio_exclusive(const struct vm *vm, pfn_t pfn, const struct mm_struct *mm)
{
	unsigned order = vm->pages[pfn].folio_order;
	pfn_t head = pfn & ~(((pfn_t)1 << order) - 1);
	for (pfn_t f = head; f < head + ((pfn_t)1 << order); f++) {
		const struct page *pg = &vm->pages[f];
		/* A frame that left the folio (freed, reused, migrated) has another order or flags.
		 */
		if (pg->folio_order != order || !(pg->flags & PG_ANON) || (pg->flags & PG_FILE))
			continue;
		if (pg->flags & PG_SWAPCACHE)
			return false;
		for (uint32_t r = pg->rmap; r; r = vm->rmap_pool[r].next)
			if (vm->rmap_pool[r].mm != mm)
				return false;
	}
	return true;
}
