/*
 * mprotect.c — mprotect(2) (Linux's mm/mprotect.c): the VMA parts of the range take the new
 * protection; when write access is taken away, every present writable PTE of the range is
 * write-protected (its TLB entries invalidated), splitting a 2 MiB page the range cuts.
 * A PTE is never made writable here: a write to a page of a VMA that gained write access
 * faults once (do_wp_page reuses or copies it).
 */
#include "models/vm/internal.h"

#include "models/vm/vma.h"

struct wrprotect_ctx {
	struct vm *vm;
	struct mm_struct *mm;
};

static void wrprotect_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct wrprotect_ctx *c = ctx;
	if (pte_present(*p) && (*p & PTE_WRITE)) {
		*p &= ~PTE_WRITE;
		flush_tlb_page(c->vm, c->mm, vaddr);
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
	if (!(prot & VM_WRITE)) {
		struct wrprotect_ctx c = {.vm = vm, .mm = mm};
		vm->cur = w;
		split_huge_pmd_edges(vm, mm, addr, addr + len);
		pgtable_for_each(&mm->pgd, addr, addr + len, wrprotect_pte, &c);
		vm->cur = NULL;
	}
	return 0;
}
