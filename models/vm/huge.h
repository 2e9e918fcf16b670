/*
 * huge.h — transparent huge pages (2 MiB anonymous pages) of the VM layer; see huge.c.
 */
#ifndef VMSIM_MODELS_VM_HUGE_H
#define VMSIM_MODELS_VM_HUGE_H

#include "models/vm/vm.h"

/*
 * madvise(MADV_HUGEPAGE / MADV_NOHUGEPAGE) on [addr, addr + len): sets VM_HUGEPAGE or
 * VM_NOHUGEPAGE on the VMA parts inside (splitting VMAs at the edges); other advice is
 * ignored here. advice is enum op_advice's value (1 hugepage, 2 nohugepage). Returns -1 when
 * the range is not page aligned or not entirely mapped (EINVAL/ENOMEM), else 0.
 */
int vm_madvise_huge(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len, bool huge);

#endif
