/*
 * huge_memory.c — transparent huge pages (Linux's mm/huge_memory.c): 2 MiB anonymous private pages,
 * mapped by one PMD-level leaf (pgtable.h), where the VMA asks for them (vm.thp = "madvise":
 * VM_HUGEPAGE from MAP_HUGE or madvise; "always": every anonymous private VMA not marked
 * VM_NOHUGEPAGE; "never").
 *
 * A fault (read or write) at an address whose aligned 2 MiB range lies inside such a VMA and
 * has no page table of 4 KiB PTEs yet allocates 512 contiguous frames, 512-aligned (the lowest
 * aligned run that is entirely free: a buddy allocator's order-9 block), zeroes them and maps
 * them writable (if the VMA is) with one PMD leaf: faults.thp. When no such run is free the
 * fault falls back to a 4 KiB page (faults.thp_fallback); vmsim neither reclaims nor compacts
 * to make a run (khugepaged and compaction are not modelled, so a range that fell back stays
 * in 4 KiB pages).
 *
 * The huge zero page (vm.thp_zero_page, Linux's transparent_hugepage/use_zero_page): a read
 * fault that would allocate a huge page maps the huge zero page instead, read-only by one PMD
 * (PTE_HUGE | PTE_ZERO, no frame, no rmap, not in rss: faults.zero_page and
 * faults.huge_zero_page); a later write fault there allocates a huge page in its place
 * (do_huge_zero_wp_pmd: faults.thp and faults.cow), or, none being free, splits the PMD into
 * 512 zero-page PTEs and the 4 KiB path copies one. A PMD of it that munmap, mprotect or
 * mremap covers in part is split the same way.
 *
 * The frame of the head (first) page carries PG_HUGE, the other 511 PG_TAIL; the policy holds
 * the huge page as one entry under its head pfn, rmap has one item per PMD mapping, and a
 * mapping counts 512 pages in rss.
 *
 * Splitting a PMD (__split_huge_pmd): a write to a huge page still mapped elsewhere (shared
 * after fork) replaces the writer's PMD, in its address space only, by a table of 512 PTEs
 * with the PMD's bits that map the page's frames (rmap items marked subpage); the page stays
 * whole and the other PMDs stay. The 4 KiB write fault then copies its frame (do_wp_page:
 * a frame of a whole huge page is reused only when every mapping of the page is in the
 * writer's address space). A write to a huge PMD that is the page's only mapping regains
 * write access (a COW reuse, no split).
 *
 * Splitting the page (split_huge_page): every PMD mapping becomes a table of 512 PTEs with
 * the PMD's bits, the PTEs of split PMDs become ordinary, and each frame an ordinary page held
 * by the same scope's policy (subpages in address order). vmsim splits the page, in every
 * address space that maps it, when:
 *  - reclaim chooses it (as Linux does on swap-out): the head subpage is the victim and the
 *    511 others stay resident as 4 KiB pages for the policy to choose later;
 *  - munmap, mmap over, or mprotect covers only part of it (Linux splits the PMD and defers
 *    the page's split).
 * fork copies the PMD leaf write-protected on both sides, like a PTE. The page is freed when
 * no PMD and no PTE maps any of its frames.
 */
#include "models/vm/internal.h"

#include <stdlib.h>

static bool vma_wants_huge(const struct vm *vm, const struct vm_area_struct *vma)
{
	if (vma->vm_flags & (VM_SHARED | VM_NOHUGEPAGE))
		return false;
	switch (vm->cfg.thp) {
	case THP_ALWAYS:
		return true;
	case THP_MADVISE:
		return vma->vm_flags & VM_HUGEPAGE;
	default:
		return false;
	}
}

/* A huge page for the PMD at haddr (a none entry, or the huge zero page: replaced), mapped
 * writable when the VMA is: faults.thp. false when no 2 MiB run is free (the scope's
 * allowance included): faults.thp_fallback. */
static bool map_new_huge_page(struct vm *vm, struct mm_struct *mm, pte_t *pmdp, uint64_t haddr,
                              uint64_t vaddr, bool vma_write, bool write, uint64_t next_use,
                              struct fault_work *w)
{
	struct reclaim_scope *sc = reclaim_scope_of(vm, mm);
	pfn_t head = PFN_NONE;
	if (sc->nr_frames + HPAGE_NR <= sc->limit_frames || !vm->cfg.local_scope)
		head = alloc_huge_frames(vm);
	if (head == PFN_NONE) {
		w->kinds |= FK_THP_FALLBACK;
		vm->st.thp_fallback++;
		return false;
	}
	struct page *pg = &vm->pages[head];
	pg->key = page_key(mm, haddr);
	if (*pmdp) /* the huge zero page goes: its translation may be cached */
		flush_tlb_page(vm, mm, haddr);
	pgtable_set(&mm->pgd, haddr, pmdp,
	            pte_mk(head, PTE_HUGE | (vma_write ? PTE_WRITE : 0) | PTE_ACCESSED |
	                             (write ? PTE_DIRTY : 0)));
	rmap_add(vm, head, mm, haddr);
	lru_add(vm, mm, head, next_use);
	w->zero_fills = HPAGE_NR;
	w->pfn = head + (pfn_t)((vaddr - haddr) >> PTE_SHIFT);
	w->kinds |= FK_THP;
	vm->st.faults_thp++;
	if (++vm->thp_pages > vm->st.thp_pages_max)
		vm->st.thp_pages_max = vm->thp_pages;
	wakeup_kswapd(vm);
	return true;
}

bool do_huge_pmd_anonymous_page(struct vm *vm, struct mm_struct *mm,
                                const struct vm_area_struct *vma, uint64_t vaddr, bool write,
                                uint64_t next_use, struct fault_work *w)
{
	uint64_t haddr = vaddr & ~(HPAGE_SIZE - 1);
	if (!vma_wants_huge(vm, vma) || haddr < vma->vm_start || haddr + HPAGE_SIZE > vma->vm_end)
		return false;
	pte_t *pmdp = pgtable_alloc_pmd(&mm->pgd, haddr);
	if (*pmdp)
		return false; /* 4 KiB PTEs are there already */
	if (!write && vm->cfg.thp_zero_page) {
		/* The huge zero page, read-only: nothing allocated, nothing in rss. */
		pgtable_set(&mm->pgd, haddr, pmdp, pte_mk(0, PTE_HUGE | PTE_ZERO | PTE_ACCESSED));
		w->pfn = PFN_NONE;
		w->kinds |= FK_ZERO_PAGE;
		vm->st.faults_zero_page++;
		vm->st.faults_huge_zero_page++;
		return true;
	}
	return map_new_huge_page(vm, mm, pmdp, haddr, vaddr, vma->vm_flags & VM_WRITE, write,
	                         next_use, w);
}

bool do_huge_pmd_wp_page(struct vm *vm, struct mm_struct *mm, uint64_t vaddr, bool vma_write,
                         uint64_t next_use, struct fault_work *w)
{
	pte_t *p = pgtable_lookup(&mm->pgd, vaddr);
	BUG_ON(!p || !pte_huge(*p), "no huge PMD at %llx", (unsigned long long)vaddr);
	uint64_t haddr = vaddr & ~(HPAGE_SIZE - 1);
	if (*p & PTE_ZERO) {
		/* do_huge_zero_wp_pmd: a huge page replaces the huge zero page; none free:
		 * the PMD is split into 512 zero-page PTEs and the 4 KiB fault copies one. */
		if (map_new_huge_page(vm, mm, p, haddr, vaddr, vma_write, true, next_use, w)) {
			w->kinds |= FK_COW;
			vm->st.faults_cow++;
			return true;
		}
		__split_huge_pmd(vm, mm, haddr);
		return false;
	}
	pfn_t head = (pfn_t)pte_pfn(*p);
	if (folio_mapcount(vm, head) == 1 && vma_write) {
		/* Reuse: the only mapper gets write access back (do_huge_pmd_wp_page). */
		*p |= PTE_WRITE | PTE_ACCESSED | PTE_DIRTY;
		w->kinds |= FK_COW;
		vm->st.faults_cow++;
		w->pfn = head + (pfn_t)((vaddr >> PTE_SHIFT) & (HPAGE_NR - 1));
		return true;
	}
	__split_huge_pmd(vm, mm, haddr);
	return false;
}

uint32_t folio_mapcount(const struct vm *vm, pfn_t head)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < HPAGE_NR; i++)
		n += vm->pages[head + i].mapcount;
	return n;
}

bool folio_maps_only(const struct vm *vm, pfn_t head, const struct mm_struct *mm)
{
	for (uint32_t i = 0; i < HPAGE_NR; i++)
		for (uint32_t r = vm->pages[head + i].rmap; r; r = vm->rmap_pool[r].next)
			if (vm->rmap_pool[r].mm != mm)
				return false;
	return true;
}

/* The huge zero page's PMD becomes 512 PTEs of the zero page (read-only, no rmap). */
static void __split_huge_zero_page_pmd(struct vm *vm, struct mm_struct *mm, uint64_t haddr,
                                       pte_t *pmdp)
{
	pte_t young = *pmdp & (PTE_ACCESSED | PTE_NUMA); /* (and PROT_NONE stays) */
	flush_tlb_page(vm, mm, haddr);
	pgtable_set(&mm->pgd, haddr, pmdp, 0);
	for (uint32_t i = 0; i < HPAGE_NR; i++) {
		uint64_t va = haddr + ((uint64_t)i << PTE_SHIFT);
		pte_t *q = pgtable_alloc_pte(&mm->pgd, va);
		pgtable_set(&mm->pgd, va, q, pte_mk(0, PTE_ZERO | young));
	}
	vm->st.thp_split_pmds++;
}

void __split_huge_pmd(struct vm *vm, struct mm_struct *mm, uint64_t haddr)
{
	pte_t *p = pgtable_lookup(&mm->pgd, haddr);
	BUG_ON(!p || !pte_huge(*p), "no huge PMD at %llx", (unsigned long long)haddr);
	pte_t pmd = *p;
	if (pmd & PTE_ZERO) {
		__split_huge_zero_page_pmd(vm, mm, haddr, p);
		return;
	}
	pfn_t head = (pfn_t)pte_pfn(pmd);
	if (pmd & PTE_DIRTY)
		vm->pages[head].flags |= PG_DIRTY;
	flush_tlb_page(vm, mm, haddr);
	rmap_remove(vm, head, mm, haddr);
	pgtable_set(&mm->pgd, haddr, p, 0);
	pte_t flags = pmd & (PTE_WRITE | PTE_ACCESSED | PTE_DIRTY | PTE_NUMA); /* (PROT_NONE stays) */
	for (uint32_t i = 0; i < HPAGE_NR; i++) {
		uint64_t va = haddr + ((uint64_t)i << PTE_SHIFT);
		pte_t *q = pgtable_alloc_pte(&mm->pgd, va);
		pgtable_set(&mm->pgd, va, q, pte_mk(head + i, flags));
		rmap_add_subpage(vm, head + i, mm, va);
	}
	vm->st.thp_split_pmds++;
}

void put_huge_page(struct vm *vm, pfn_t head)
{
	if (folio_mapcount(vm, head))
		return;
	lru_del(vm, head);
	free_huge_frames(vm, head);
}

struct huge_map {
	struct mm_struct *mm;
	uint64_t haddr;
	pte_t pmd;
};

void split_huge_page(struct vm *vm, pfn_t head, bool keep_head_out)
{
	struct page *hp = &vm->pages[head];
	BUG_ON(!(hp->flags & PG_HUGE), "splitting frame %u, not a huge page", head);
	if (hp->flags & PG_MLOCKED)
		munlock_for_split(vm, head); /* its frames are mlocked again as they are mapped */
	struct reclaim_scope *sc = hp->scope;
	lru_del(vm, head);
	/* Take every PMD mapping down, remembering it (rss still counts 512 per mapping). */
	uint32_t n = 0, cap = 4;
	struct huge_map *maps = xmalloc(sizeof(*maps) * cap);
	bool dirty = hp->flags & PG_DIRTY;
	uint32_t *link = &hp->rmap;
	while (*link) {
		struct rmap_item it = vm->rmap_pool[*link];
		if (it.subpage) {
			link = &vm->rmap_pool[*link].next; /* a PTE of a split PMD: it stays */
			continue;
		}
		pte_t *p = pgtable_lookup(&it.mm->pgd, it.vaddr);
		BUG_ON(!p || !pte_huge(*p) || pte_pfn(*p) != head, "rmap points at a stale PMD");
		if (n == cap) {
			cap *= 2;
			maps = xrealloc(maps, sizeof(*maps) * cap);
		}
		maps[n++] = (struct huge_map){.mm = it.mm, .haddr = it.vaddr, .pmd = *p};
		dirty |= (*p & PTE_DIRTY) != 0;
		flush_tlb_page(vm, it.mm, it.vaddr);
		rmap_remove(vm, head, it.mm, it.vaddr);
		pgtable_set(&it.mm->pgd, it.vaddr, p, 0);
	}
	/* 512 ordinary pages, with the keys they would have had as 4 KiB faults; the PTEs of
	 * split PMDs that map them become ordinary mappings. */
	uint64_t key = hp->key;
	for (uint32_t i = 0; i < HPAGE_NR; i++) {
		struct page *pg = &vm->pages[head + i];
		pg->flags = PG_ANON | (dirty ? PG_DIRTY : 0);
		pg->key = key ^ i;
		pg->swap_slot = SLOT_NONE;
		for (uint32_t r = pg->rmap; r; r = vm->rmap_pool[r].next)
			vm->rmap_pool[r].subpage = 0;
	}
	/* Map them by PTEs in every address space that mapped the PMD (in rmap order). */
	for (uint32_t m = n; m-- > 0;) {
		pte_t flags = maps[m].pmd & (PTE_WRITE | PTE_ACCESSED | PTE_DIRTY);
		for (uint32_t i = 0; i < HPAGE_NR; i++) {
			uint64_t va = maps[m].haddr + ((uint64_t)i << PTE_SHIFT);
			pte_t *p = pgtable_alloc_pte(&maps[m].mm->pgd, va);
			pgtable_set(&maps[m].mm->pgd, va, p, pte_mk(head + i, flags));
			rmap_add(vm, head + i, maps[m].mm, va);
		}
	}
	free(maps);
	for (uint32_t i = keep_head_out ? 1 : 0; i < HPAGE_NR; i++) {
		struct page *pg = &vm->pages[head + i];
		if (pg->flags & PG_MLOCKED)
			continue;
		pg->flags |= PG_LRU;
		pg->scope = sc;
		sc->nr_frames++;
		vm->cfg.policy->insert(sc->policy, head + i, pg->key, NEXT_USE_NEVER);
	}
	vm->pages[head].scope = sc;
	vm->thp_pages--;
	vm->st.thp_splits++;
}

void split_huge_pmd_edges(struct vm *vm, struct mm_struct *mm, uint64_t start, uint64_t end)
{
	uint64_t limit = 1ull << (PTE_SHIFT + PT_BITS * vm->cfg.pt_levels);
	uint64_t edge[2] = {start, end};
	for (int e = 0; e < 2; e++) {
		if (!(edge[e] & (HPAGE_SIZE - 1)) || edge[e] >= limit)
			continue;
		pte_t *p = pgtable_lookup(&mm->pgd, edge[e]);
		if (p && pte_huge(*p) && (*p & PTE_ZERO))
			__split_huge_pmd(vm, mm, edge[e] & ~(HPAGE_SIZE - 1));
		else if (p && pte_huge(*p))
			split_huge_page(vm, (pfn_t)pte_pfn(*p), false);
	}
}
