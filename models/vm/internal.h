/*
 * internal.h — helpers of vm.c that the other files of the VM layer (filemap.c) use. Not for
 * code outside models/vm.
 */
#ifndef VMSIM_MODELS_VM_INTERNAL_H
#define VMSIM_MODELS_VM_INTERNAL_H

#include "models/vm/vm.h"

/* Record that (mm, vaddr) may be cached by a TLB and was changed (vm->cur's work). */
void note_inval(struct vm *vm, struct mm_struct *mm, uint64_t vaddr);
void free_frame(struct vm *vm, pfn_t pfn);
/* A frame, reclaiming one victim when none is free; PFN_NONE: out of memory. */
pfn_t alloc_frame(struct vm *vm, struct fault_work *w, uint64_t key);
void lru_add(struct vm *vm, pfn_t pfn, uint64_t next_use);
void lru_del(struct vm *vm, pfn_t pfn);
void rmap_add(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr);
void rmap_remove(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr);
/* Queue a disk request; contiguous requests of one kind to one device merge. When the record
 * is full the size is added to its last request (timing approximation). */
void vm_add_io(struct fault_work *w, enum io_device dev, bool is_write, uint64_t offset,
	       uint64_t size);
/* Fault-path check that the range is page aligned and inside the address space. */
int vm_check_range(struct vm *vm, uint64_t addr, uint64_t len);
/* Unmap every PTE of [start, end) of mm (munmap's zap). */
void vm_zap_range(struct vm *vm, struct mm_struct *mm, uint64_t start, uint64_t end, bool note);

#endif
