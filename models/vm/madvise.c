/*
 * madvise.c — madvise(2) advice that the VM layer acts on (Linux's mm/madvise.c):
 * MADV_HUGEPAGE and MADV_NOHUGEPAGE set VM_HUGEPAGE / VM_NOHUGEPAGE on the VMA parts of the
 * range (hugepage_madvise), which huge_memory.c reads at the next fault. Other advice costs a
 * system call and changes nothing (the engine does not call here for it).
 */
#include "models/vm/internal.h"

#include "models/vm/vma.h"

int vm_madvise_huge(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len, bool huge)
{
	uint64_t ps = vm->cfg.page_size;
	len = (len + ps - 1) & ~(ps - 1);
	if (len == 0 || (addr & (ps - 1)) || addr + len < addr ||
	    !mm_range_mapped(mm, addr, addr + len))
		return -1;
	mm_set_flags_range(mm, addr, addr + len, VM_HUGEPAGE | VM_NOHUGEPAGE,
	                   huge ? VM_HUGEPAGE : VM_NOHUGEPAGE);
	return 0;
}
