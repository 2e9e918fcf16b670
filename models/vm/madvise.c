/*
 * madvise.c — madvise(2) (Linux's mm/madvise.c). The range must be page aligned and entirely
 * mapped (Linux applies advice to the mapped parts and returns ENOMEM; vmsim rejects the
 * call). What each advice does here:
 *  - HUGEPAGE / NOHUGEPAGE: VM_HUGEPAGE / VM_NOHUGEPAGE on the VMA parts (hugepage_madvise),
 *    read by huge_memory.c at the next fault;
 *  - NORMAL / RANDOM / SEQUENTIAL: the VMA's readahead hint (VM_RAND_READ: a miss reads only
 *    its page; VM_SEQ_READ: every miss reads the readahead window after it);
 *  - DONTFORK / DOFORK, WIPEONFORK / KEEPONFORK: VM_DONTCOPY (fork leaves the VMA out of the
 *    child) and VM_WIPEONFORK (the child gets the VMA without its pages: it reads zeros; only
 *    for private anonymous memory, else EINVAL: rejected);
 *  - DONTNEED: zap_page_range_single: anonymous pages are freed (the range reads as zeros
 *    again), page-cache and shmem pages stay cached, swap entries free their slots, a 2 MiB
 *    page the range cuts is split;
 *  - FREE (private anonymous memory): lazy free. Each page mapped only here loses its dirty
 *    state (PTE and page) and its swap copy and is marked PG_LAZYFREE; swap entries of the
 *    range are freed (the range reads as zeros there). Reclaim drops a lazily freed page
 *    that was not written again, without a swap write (reclaim.lazyfree_drops); one written
 *    again swaps as usual. 2 MiB pages are left as they are (Linux marks them too);
 *  - WILLNEED: file pages: the first vm.readahead_pages uncached pages of the range are read
 *    into the page cache, unmapped (force_page_cache_ra's limit); the process does not wait.
 *    Anonymous memory: each swapped-out page of the range is read into the swap cache;
 *  - COLD: the accessed bits of the pages mapped only here are cleared (the policy sees them
 *    as not referenced); the policy's lists are not reordered (Linux deactivates them);
 *  - PAGEOUT: each page mapped only here is reclaimed now (reclaim_page; an mTHP folio inside
 *    the range whole, one crossing its ends split, one mapped elsewhere too left): a file page
 *    written back or dropped, an anonymous page swapped (it stays without swap space), a
 *    lazily freed clean one dropped;
 *  - REMOVE: shmem mappings: the range's pages and swap slots are freed from the object
 *    (a hole: the next access faults in a zeroed page); other mappings: EINVAL (rejected).
 * POPULATE_READ / POPULATE_WRITE fault the pages in through the engine (one access each).
 */
#include "models/vm/internal.h"

#include <errno.h>

#include "models/vm/vma.h"

/* The range of an advice: page aligned, inside the address space, every page mapped. */
static int madvise_range(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t *len)
{
	uint64_t ps = vm->cfg.page_size;
	*len = (*len + ps - 1) & ~(ps - 1);
	if (vm_check_range(vm, addr, *len))
		return -EINVAL;
	return mm_range_mapped(mm, addr, addr + *len) ? 0 : -ENOMEM;
}

/* Does every VMA part of [addr, end) satisfy (vm_flags & mask) == want and have a file
 * mapping (file = 1), none (0), or either (-1)? */
static bool range_vmas_are(struct mm_struct *mm, uint64_t addr, uint64_t end, uint32_t mask,
                           uint32_t want, int file)
{
	while (addr < end) {
		const struct vm_area_struct *v = find_vma(mm, addr);
		if ((v->vm_flags & mask) != want || (file >= 0 && (v->vm_file != 0) != file))
			return false;
		addr = v->vm_end;
	}
	return true;
}

int vm_madvise_dontneed(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                        struct fault_work *w)
{
	int rc = madvise_range(vm, mm, addr, &len);
	if (rc)
		return rc;
	vm->cur = w;
	zap_page_range(vm, mm, addr, addr + len, true);
	vm->cur = NULL;
	return 0;
}

int vm_madvise_flags(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                     uint32_t mask, uint32_t flags)
{
	int rc = madvise_range(vm, mm, addr, &len);
	if (rc)
		return rc;
	if ((flags & VM_WIPEONFORK) && !range_vmas_are(mm, addr, addr + len, VM_SHARED, 0, 0))
		return -EINVAL; /* EINVAL: only private anonymous memory can be wiped */
	mm_set_flags_range(mm, addr, addr + len, mask, flags);
	return 0;
}

/* ---- FREE ---------------------------------------------------------------------------------- */

struct madv_ctx {
	struct vm *vm;
	struct mm_struct *mm;
};

/* A present PTE of a page that only this PTE maps (not the zero page, not a huge PMD). */
static struct page *madv_exclusive_page(const struct madv_ctx *c, pte_t pte)
{
	if (!pte_present(pte) || (pte & (PTE_ZERO | PTE_HUGE)))
		return NULL;
	struct page *pg = &c->vm->pages[pte_pfn(pte)];
	if (pg->mapcount != 1 || (pg->flags & (PG_HUGE | PG_TAIL)))
		return NULL;
	return pg;
}

static void free_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct madv_ctx *c = ctx;
	struct vm *vm = c->vm;
	if (pte_is_swap(*p)) {
		uint32_t slot = (uint32_t)pte_swap_slot(*p);
		pgtable_set(&c->mm->pgd, vaddr, p, 0);
		c->mm->swap_ents--;
		free_swap_and_cache(vm, slot);
		return;
	}
	struct page *pg = madv_exclusive_page(c, *p);
	if (!pg || !(pg->flags & PG_ANON) || (pg->flags & PG_FILE))
		return;
	if (pg->flags & PG_SWAPCACHE) {
		if (vm->swap[pg->swap_slot].map)
			return; /* its slot is still another PTE's: leave it */
		delete_from_swap_cache(vm, (pfn_t)pte_pfn(*p));
	}
	if (*p & PTE_DIRTY) {
		*p &= ~PTE_DIRTY;
		flush_tlb_page(vm, c->mm, vaddr);
	}
	pg->flags = (pg->flags & ~PG_DIRTY) | PG_LAZYFREE;
}

int vm_madvise_free(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                    struct fault_work *w)
{
	int rc = madvise_range(vm, mm, addr, &len);
	if (rc)
		return rc;
	if (!range_vmas_are(mm, addr, addr + len, VM_SHARED, 0, 0))
		return -EINVAL; /* EINVAL: only private anonymous memory */
	struct madv_ctx c = {.vm = vm, .mm = mm};
	vm->cur = w;
	split_huge_pmd_edges(vm, mm, addr, addr + len);
	pgtable_for_each(&mm->pgd, addr, addr + len, free_pte, &c);
	vm->cur = NULL;
	return 0;
}

/* ---- COLD and PAGEOUT ------------------------------------------------------------------------ */

static void cold_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct madv_ctx *c = ctx;
	if (madv_exclusive_page(c, *p) && (*p & PTE_ACCESSED)) {
		*p &= ~PTE_ACCESSED;
		flush_tlb_page(c->vm, c->mm, vaddr);
	}
}

int vm_madvise_cold(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                    struct fault_work *w)
{
	int rc = madvise_range(vm, mm, addr, &len);
	if (rc)
		return rc;
	struct madv_ctx c = {.vm = vm, .mm = mm};
	vm->cur = w;
	pgtable_for_each(&mm->pgd, addr, addr + len, cold_pte, &c);
	vm->cur = NULL;
	return 0;
}

/* PAGEOUT of the page pfn of an mTHP folio unit, mapped at va: a folio that lies in [start,
 * end) is reclaimed whole; one that crosses an end is split and pfn alone goes; one mapped by
 * another process too is left (madvise_cold_or_pageout_pte_range: folio_maybe_mapped_shared). */
static void pageout_folio(struct vm *vm, struct fault_work *w, struct mm_struct *mm, uint64_t va,
                          pfn_t pfn, uint64_t start, uint64_t end)
{
	pfn_t head = lru_head(vm, pfn);
	uint64_t fstart = va - ((uint64_t)(pfn - head) << PTE_SHIFT);
	uint64_t size = 1ull << (PTE_SHIFT + vm->pages[head].folio_order);
	if (!anon_folio_exclusive(vm, pfn, mm))
		return;
	if (fstart >= start && fstart + size <= end) {
		reclaim_page(vm, w, head);
		return;
	}
	folio_lru_split(vm, head, PFN_NONE, true);
	reclaim_page(vm, w, pfn);
}

int vm_madvise_pageout(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                       struct fault_work *w)
{
	int rc = madvise_range(vm, mm, addr, &len);
	if (rc)
		return rc;
	struct madv_ctx c = {.vm = vm, .mm = mm};
	vm->cur = w;
	for (uint64_t va = addr; va < addr + len; va += vm->cfg.page_size) {
		pte_t *p = pgtable_lookup(&mm->pgd, va);
		const struct page *pg = p ? madv_exclusive_page(&c, *p) : NULL;
		if (pg && unlikely(pg->flags & PG_FOLIO))
			pageout_folio(vm, w, mm, va, (pfn_t)pte_pfn(*p), addr, addr + len);
		else if (pg)
			reclaim_page(vm, w, (pfn_t)pte_pfn(*p));
	}
	vm->cur = NULL;
	return 0;
}

/* ---- WILLNEED and REMOVE --------------------------------------------------------------------- */

/* Anonymous WILLNEED: each swap entry whose page is not in the swap cache is read into it. */
static void willneed_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct madv_ctx *c = ctx;
	struct vm *vm = c->vm;
	UNUSED(vaddr);
	if (!pte_is_swap(*p))
		return;
	uint32_t slot = (uint32_t)pte_swap_slot(*p);
	if (swap_cache(vm, slot) != PFN_NONE)
		return;
	pfn_t pfn = alloc_frame(vm, vm->cur, c->mm, vm->swap[slot].key);
	if (pfn == PFN_NONE || swap_cache(vm, slot) != PFN_NONE || !vm->swap[slot].map) {
		if (pfn != PFN_NONE)
			free_frame(vm, pfn);
		return;
	}
	struct page *pg = &vm->pages[pfn];
	pg->flags = PG_ANON | PG_SWAPCACHE;
	pg->key = vm->swap[slot].key;
	pg->swap_slot = slot;
	swap_set_cache(vm, slot, pfn);
	lru_add(vm, c->mm, pfn, NEXT_USE_NEVER);
	vm_add_io(vm->cur, IO_DEV_SWAP, false, (uint64_t)slot * vm->cfg.page_size,
	          vm->cfg.page_size);
	vm_note_read(vm->cur, pfn);
}

int vm_madvise_willneed(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                        struct fault_work *w)
{
	int rc = madvise_range(vm, mm, addr, &len);
	if (rc)
		return rc;
	vm->cur = w;
	for (uint64_t va = addr; va < addr + len;) {
		struct vm_area_struct *v = find_vma(mm, va);
		uint64_t end = MIN(addr + len, v->vm_end);
		if (v->vm_file) {
			filemap_willneed(vm, mm, v, va, end);
		} else {
			struct madv_ctx c = {.vm = vm, .mm = mm};
			pgtable_for_each(&mm->pgd, va, end, willneed_pte, &c);
		}
		va = end;
	}
	vm->cur = NULL;
	return 0;
}

int vm_madvise_remove(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                      struct fault_work *w)
{
	int rc = madvise_range(vm, mm, addr, &len);
	if (rc)
		return rc;
	for (uint64_t va = addr; va < addr + len;) {
		const struct vm_area_struct *v = find_vma(mm, va);
		if (!v->vm_file || !vm->fm.files[v->vm_file - 1].shmem ||
		    !(v->vm_flags & VM_SHARED))
			return -EINVAL; /* EINVAL: only shared mappings of shmem (or of a file system
			              that punches holes, which vmsim's files do not) */
		va = v->vm_end;
	}
	vm->cur = w;
	for (uint64_t va = addr; va < addr + len;) {
		const struct vm_area_struct *v = find_vma(mm, va);
		uint64_t end = MIN(addr + len, v->vm_end);
		shmem_punch_hole(vm, v->vm_file - 1, vma_file_index(v, va),
		                 vma_file_index(v, end - 1) + 1);
		va = end;
	}
	vm->cur = NULL;
	return 0;
}
