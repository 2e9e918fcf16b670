/*
 * mprotect.c — mprotect(2) (Linux's mm/mprotect.c): the VMA parts of the range take the new
 * protection, and change_pte_range brings the present PTEs of the range in line with it
 * (their TLB entries invalidated):
 *  - write access taken away: every writable PTE is write-protected, splitting a 2 MiB page
 *    the range cuts;
 *  - write access given (MM_CP_TRY_CHANGE_WRITABLE, can_change_pte_writable): in a private
 *    mapping, the PTE of an exclusively owned anonymous page (one mapper, no swap PTE sharing
 *    its slot: what do_wp_page would reuse) becomes writable at once, so the next write does
 *    not fault; the zero page, page-cache pages and pages still shared after fork stay
 *    write-protected (their next write is a COW fault). In a shared mapping a dirty PTE
 *    becomes writable (the file system already saw the write) and so does every PTE of a
 *    shmem page (shmem has no write notification);
 *  - all access taken away (PROT_NONE): every present PTE becomes PAGE_PROTNONE (PTE_NUMA:
 *    present, the page stays mapped, but any access faults and handle_mm_fault's VMA check
 *    raises SIGSEGV, SEGV_ACCERR); an mprotect that gives access again makes them ordinary
 *    PTEs (pte_modify), so the pages come back without a fault. A NUMA hint on a PTE goes the
 *    same way (Linux's pte_modify drops it too).
 * Not modelled: soft-dirty / userfaultfd write protection.
 */
#include "models/vm/internal.h"

#include "models/vm/vma.h"

struct change_prot_ctx {
	struct vm *vm;
	struct mm_struct *mm;
	bool shared; /* the range lies in VM_SHARED VMAs (checked per VMA by the caller) */
};

static void wrprotect_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct change_prot_ctx *c = ctx;
	if (pte_present(*p) && (*p & PTE_WRITE)) {
		*p &= ~PTE_WRITE;
		flush_tlb_page(c->vm, c->mm, vaddr);
	}
}

/* can_change_pte_writable for a present PTE of mm in a VMA that now allows writes. */
static bool can_change_pte_writable(const struct vm *vm, const struct mm_struct *mm, pte_t pte,
                                    bool shared)
{
	if (pte & PTE_ZERO)
		return false;
	pfn_t pfn = (pfn_t)pte_pfn(pte);
	const struct page *pg = &vm->pages[pfn];
	if (shared)
		return (pte & PTE_DIRTY) || page_is_shmem(vm, pg);
	if (pte_huge(pte))
		return folio_mapcount(vm, pfn) == 1;
	if (pg->flags & (PG_HUGE | PG_TAIL))
		return folio_maps_only(vm, huge_head(pfn), mm);
	if (!(pg->flags & PG_ANON) || (pg->flags & PG_FILE) || pg->mapcount != 1)
		return false;
	return !(pg->flags & PG_SWAPCACHE) || vm->swap[pg->swap_slot].map == 0;
}

/* PROT_NONE: the present PTE faults on any access (PAGE_PROTNONE) and loses write access. */
static void protnone_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct change_prot_ctx *c = ctx;
	if (pte_present(*p) && (*p & (PTE_NUMA | PTE_WRITE)) != PTE_NUMA) {
		*p = (*p | PTE_NUMA) & ~PTE_WRITE;
		flush_tlb_page(c->vm, c->mm, vaddr);
	}
}

/* Access given back: a PAGE_PROTNONE PTE maps its page again (no TLB entry to invalidate: a
 * PROT_NONE PTE is never cached). */
static void unprotnone_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	UNUSED(ctx);
	UNUSED(vaddr);
	if (pte_present(*p) && (*p & PTE_NUMA))
		*p &= ~PTE_NUMA;
}

static void mkwrite_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct change_prot_ctx *c = ctx;
	if (pte_present(*p) && !(*p & PTE_WRITE) &&
	    can_change_pte_writable(c->vm, c->mm, *p, c->shared)) {
		*p |= PTE_WRITE;
		flush_tlb_page(c->vm, c->mm, vaddr);
	}
}

/* Make the PTEs of [addr, end) writable where Linux would, VMA by VMA. */
static void change_range_writable(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t end)
{
	while (addr < end) {
		const struct vm_area_struct *v = find_vma(mm, addr);
		BUG_ON(!v, "mprotect range not mapped at %llx", (unsigned long long)addr);
		uint64_t to = MIN(end, v->vm_end);
		struct change_prot_ctx c = {
		    .vm = vm, .mm = mm, .shared = (v->vm_flags & VM_SHARED) != 0};
		pgtable_for_each(&mm->pgd, addr, to, mkwrite_pte, &c);
		addr = to;
	}
}

int vm_mprotect(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len, uint32_t prot,
                struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	len = (len + ps - 1) & ~(ps - 1);
	if (vm_check_range(vm, addr, len) || !mm_range_mapped(mm, addr, addr + len))
		return -1; /* ENOMEM in Linux: part of the range is not mapped */
	mm_set_flags_range(mm, addr, addr + len, VM_READ | VM_WRITE | VM_EXEC, prot);
	vm->cur = w;
	struct change_prot_ctx c = {.vm = vm, .mm = mm};
	if (prot)
		pgtable_for_each(&mm->pgd, addr, addr + len, unprotnone_pte, &c);
	if (!(prot & VM_WRITE)) {
		split_huge_pmd_edges(vm, mm, addr, addr + len);
		pgtable_for_each(&mm->pgd, addr, addr + len, prot ? wrprotect_pte : protnone_pte,
		                 &c);
	} else {
		split_huge_pmd_edges(vm, mm, addr, addr + len);
		change_range_writable(vm, mm, addr, addr + len);
	}
	vm->cur = NULL;
	return 0;
}
