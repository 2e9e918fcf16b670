/*
 * madvise.c — madvise(2) advice that the VM layer acts on (Linux's mm/madvise.c):
 * MADV_HUGEPAGE and MADV_NOHUGEPAGE set VM_HUGEPAGE / VM_NOHUGEPAGE on the VMA parts of the
 * range (hugepage_madvise), which huge_memory.c reads at the next fault. MADV_DONTNEED zaps
 * the PTEs of the range (zap_page_range_single): anonymous pages are freed (the range reads
 * as zeros again), page-cache pages stay cached (the next access faults them in, with
 * fault-around), swap entries free their slots, a 2 MiB page the range cuts is split.
 */
#include "models/vm/internal.h"

#include "models/vm/vma.h"

/* The range of an advice: page aligned, inside the address space, every page mapped (Linux
 * applies the advice to the mapped parts and returns ENOMEM; vmsim rejects the call). */
static int madvise_range(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t *len)
{
	uint64_t ps = vm->cfg.page_size;
	*len = (*len + ps - 1) & ~(ps - 1);
	if (vm_check_range(vm, addr, *len) || !mm_range_mapped(mm, addr, addr + *len))
		return -1;
	return 0;
}

int vm_madvise_dontneed(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                        struct fault_work *w)
{
	if (madvise_range(vm, mm, addr, &len))
		return -1;
	vm->cur = w;
	zap_page_range(vm, mm, addr, addr + len, true);
	vm->cur = NULL;
	return 0;
}

int vm_madvise_huge(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len, bool huge)
{
	if (madvise_range(vm, mm, addr, &len))
		return -1;
	mm_set_flags_range(mm, addr, addr + len, VM_HUGEPAGE | VM_NOHUGEPAGE,
	                   huge ? VM_HUGEPAGE : VM_NOHUGEPAGE);
	return 0;
}
