/*
 * rmap.c — reverse mappings (Linux's mm/rmap.c): from a frame to every PTE that maps it, one
 * rmap_item per mapping in a pool with a free list (no allocation per fault once the pool has
 * grown), and the walks over them: try_to_unmap (reclaim), the accessed and dirty bits the
 * policies sample (folio_referenced), page_mkclean (msync and writeback; it write-protects
 * too). A 2 MiB page has one item per PMD mapping, under its head frame, and one per 4 KiB PTE
 * of one of its frames (subpage: its PMD was split in that address space only) under that
 * frame. The walks of a 2 MiB page see
 * its PMDs and the PTEs of its head frame (not those of its other frames: a departure).
 *
 * Every PTE an rmap walk changes that a TLB may cache is reported in the running operation's
 * fault_work (flush_tlb_page): the machine model invalidates the entries and costs the
 * shootdown of the other CPUs that may hold them.
 *
 * flush_tlb_page, rmap_remove and try_to_unmap are static inlines in internal.h: every eviction
 * runs them, and a call into this file cost the reclaim path 37 instructions per eviction
 * (callgrind, docs/architecture.md).
 */
#include "models/vm/internal.h"

static void __rmap_add(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr)
{
	if (!vm->rmap_free) {
		uint32_t old = vm->rmap_cap, cap = old * 2;
		vm->rmap_pool = xrealloc(vm->rmap_pool, sizeof(*vm->rmap_pool) * cap);
		for (uint32_t i = old; i < cap; i++)
			vm->rmap_pool[i].next = i + 1 < cap ? i + 1 : 0;
		vm->rmap_free = old;
		vm->rmap_cap = cap;
	}
	uint32_t r = vm->rmap_free;
	vm->rmap_free = vm->rmap_pool[r].next;
	vm->rmap_pool[r] =
	    (struct rmap_item){.mm = mm, .vaddr = vaddr, .next = vm->pages[pfn].rmap};
	vm->pages[pfn].rmap = r;
	vm->pages[pfn].mapcount++;
	uint64_t n = (vm->pages[pfn].flags & PG_HUGE) ? HPAGE_NR : 1;
	mm->rss_pages += n;
	vm->rss_pages_total += n;
}

void rmap_add(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr)
{
	__rmap_add(vm, pfn, mm, vaddr);
	if (unlikely(mm->mlock_seen) && !(vm->pages[pfn].flags & PG_TAIL))
		mlock_new_mapping(vm, pfn, mm, vaddr);
}

/* (A PTE-mapped frame of a huge page is not mlocked: Linux mlocks only PMD-mapped large
 * folios and whole small ones.) */
void rmap_add_subpage(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr)
{
	__rmap_add(vm, pfn, mm, vaddr);
	vm->rmap_pool[vm->pages[pfn].rmap].subpage = 1;
	if (vm->pages[pfn].flags & PG_HUGE) {
		mm->rss_pages -= HPAGE_NR - 1;
		vm->rss_pages_total -= HPAGE_NR - 1;
	}
}

/* Were any PTEs of the frame pfn accessed since the last call? Clears their bits. */
static bool page_referenced(struct vm *vm, pfn_t pfn)
{
	bool young = false;
	for (uint32_t r = vm->pages[pfn].rmap; r; r = vm->rmap_pool[r].next) {
		struct rmap_item *it = &vm->rmap_pool[r];
		pte_t *p = pgtable_lookup(&it->mm->pgd, it->vaddr);
		BUG_ON(!p || !pte_present(*p) || pte_pfn(*p) != pfn, "rmap points at a stale PTE");
		if (*p & PTE_ACCESSED) {
			*p &= ~PTE_ACCESSED;
			young = true;
			/* Flush the translation so the next use re-walks and sets the bit again
			 * (ptep_clear_flush_young); the functional result equals setting the bit
			 * on every access. */
			flush_tlb_page(vm, it->mm, it->vaddr);
		}
	}
	return young;
}

bool folio_referenced(struct vm *vm, pfn_t pfn)
{
	if (likely(!(vm->pages[pfn].flags & PG_FOLIO)))
		return page_referenced(vm, pfn);
	/* An mTHP folio unit (pfn its head): the OR over every PTE of every page, all cleared. */
	bool young = false;
	for (pfn_t f = pfn; f < pfn + ((pfn_t)1 << vm->pages[pfn].folio_order); f++)
		if (vm->pages[f].flags & PG_FOLIO)
			young |= page_referenced(vm, f);
	return young;
}

bool folio_test_dirty(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	if (pg->flags & PG_DIRTY)
		return true;
	if ((pg->flags & PG_ANON) && !(pg->flags & PG_SWAPCACHE))
		return true; /* no copy on swap yet: must be written before it can go */
	for (uint32_t r = pg->rmap; r; r = vm->rmap_pool[r].next) {
		pte_t *p = pgtable_lookup(&vm->rmap_pool[r].mm->pgd, vm->rmap_pool[r].vaddr);
		if (p && (*p & PTE_DIRTY))
			return true;
	}
	return false;
}

bool page_mkclean(struct vm *vm, pfn_t pfn)
{
	bool dirty = false;
	for (uint32_t r = vm->pages[pfn].rmap; r; r = vm->rmap_pool[r].next) {
		struct rmap_item *it = &vm->rmap_pool[r];
		pte_t *q = pgtable_lookup(&it->mm->pgd, it->vaddr);
		/* page_mkclean_one: clean and write-protect, so that the next write faults
		 * (wp_page_shared) and dirties the page again */
		if (*q & (PTE_DIRTY | PTE_WRITE)) {
			dirty |= (*q & PTE_DIRTY) != 0;
			*q &= ~(PTE_DIRTY | PTE_WRITE);
			flush_tlb_page(vm, it->mm, it->vaddr);
		}
	}
	return dirty;
}
