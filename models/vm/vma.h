/*
 * vma.h — VMA bookkeeping of struct mm_struct (vma.c, as Linux's mm/vma.c). The page-level work
 * of mapping and unmapping lives in mmap.c, mprotect.c and memory.c; these functions only edit
 * the VMA array.
 */
#ifndef VMSIM_MODELS_VM_VMA_H
#define VMSIM_MODELS_VM_VMA_H

#include "models/vm/mm_types.h"

/* The VMA containing addr, or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, uint64_t addr);
/* The first VMA that ends above addr (Linux's find_vma: it contains addr or lies above it),
 * or NULL. */
struct vm_area_struct *find_vma_above(struct mm_struct *mm, uint64_t addr);
/* Make addr a VMA boundary (split the VMA that spans it). */
void mm_split_vma_at(struct mm_struct *mm, uint64_t addr);
/* Remove every VMA part inside [start, end). */
void mm_remove_range(struct mm_struct *mm, uint64_t start, uint64_t end);
/* Insert v; the range must be free. */
void mm_insert_vma(struct mm_struct *mm, struct vm_area_struct v);
/* Set the mask bits of vm_flags of every VMA part inside [start, end) to flags. */
void mm_set_flags_range(struct mm_struct *mm, uint64_t start, uint64_t end, uint32_t mask,
                        uint32_t flags);
/* Is every byte of [start, end) inside some VMA? */
bool mm_range_mapped(struct mm_struct *mm, uint64_t start, uint64_t end);

#endif
