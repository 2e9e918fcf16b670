/*
 * vm_fixture.h — the VM layer alone, for its unit tests: a struct vm built from a struct
 * vm_config in C (no config file, no JSON, no engine: the tests link vmsim_vm and what is
 * below it, nothing more), the FIFO policy (its victim is the oldest page: every eviction is
 * known in advance), and helpers that read the state a test pins: PTEs, struct pages, rmap
 * items, swap slots, the policy's scope.
 */
#ifndef VMSIM_TESTS_UNIT_VM_FIXTURE_H
#define VMSIM_TESTS_UNIT_VM_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "models/vm/internal.h"
#include "models/vm/vma.h"
#include "tests/unit/test.h"

#define PAGE 4096ull
#define BASE 0x10000000ull /* where the tests map their anonymous regions */

/* A VM of nr_frames frames and swap_pages swap slots, global scope, the policy ops with the
 * resolved params (borrowed; NULL for a policy without any), on-demand reclaim, the zero page
 * as given, fault-around and readahead as given (0: off). */
static inline void vmt_init_policy(struct vm *vm, uint64_t nr_frames, uint64_t swap_pages,
                                   bool zero_page, uint32_t fault_around, uint32_t readahead,
                                   const struct policy_ops *ops, const json_t *params)
{
	struct vm_config c = {
	    .nr_frames = nr_frames,
	    .page_size = PAGE,
	    .swap_pages = swap_pages,
	    .pt_levels = 4,
	    .zero_page = zero_page,
	    .fault_around_pages = fault_around,
	    .readahead_pages = readahead,
	    .policy = ops,
	    .policy_params = params,
	    .seed = 1,
	    .local_frames = nr_frames,
	    .thp = THP_NEVER,
	};
	struct err err;
	if (vm_init(vm, &c, &err)) {
		fprintf(stderr, "vm_init: %s\n", err.msg);
		exit(1);
	}
	vm_set_cpu(vm, 0);
}

/* vmt_init_policy with FIFO (its victim is the oldest page: every eviction is known). */
static inline void vmt_init(struct vm *vm, uint64_t nr_frames, uint64_t swap_pages, bool zero_page,
                            uint32_t fault_around, uint32_t readahead)
{
	vmt_init_policy(vm, nr_frames, swap_pages, zero_page, fault_around, readahead,
	                policy_find("fifo"), NULL);
}

/* One access at time 0 (the fault's time matters only for reads in flight). */
static inline enum access_status vmt_access(struct vm *vm, struct mm_struct *mm, uint64_t vaddr,
                                            enum access_kind kind, struct fault_work *w)
{
	return vm_access(vm, mm, vaddr, kind, NEXT_USE_NEVER, 0, w);
}

/* Access npages pages from base (each a hit or a fault); returns how many faulted. */
static inline uint64_t vmt_scan(struct vm *vm, struct mm_struct *mm, uint64_t base, uint64_t npages,
                                enum access_kind kind)
{
	struct fault_work w;
	uint64_t faults = 0;
	for (uint64_t i = 0; i < npages; i++) {
		enum access_status st = vmt_access(vm, mm, base + i * PAGE, kind, &w);
		CHECK(st == ACCESS_HIT || st == ACCESS_FAULT);
		faults += st == ACCESS_FAULT;
	}
	return faults;
}

/* The PTE of vaddr in mm, 0 when there is none. */
static inline pte_t vmt_pte(struct mm_struct *mm, uint64_t vaddr)
{
	pte_t *p = pgtable_lookup(&mm->pgd, vaddr);
	return p ? *p : 0;
}

/* The flag bits of a PTE (its frame or slot number masked off). */
static inline pte_t vmt_flags(pte_t pte)
{
	return pte & ((1ull << PTE_SHIFT) - 1);
}

/* How many rmap items pfn has, and whether one is (mm, vaddr). */
static inline uint32_t vmt_rmap_count(const struct vm *vm, pfn_t pfn, const struct mm_struct *mm,
                                      uint64_t vaddr, bool *found)
{
	uint32_t n = 0;
	*found = false;
	for (uint32_t r = vm->pages[pfn].rmap; r; r = vm->rmap_pool[r].next) {
		n++;
		*found |= vm->rmap_pool[r].mm == mm && vm->rmap_pool[r].vaddr == vaddr;
	}
	return n;
}

/* The --check walk over the given address spaces (aborts on a broken invariant). */
static inline void vmt_check(struct vm *vm, struct mm_struct *a, struct mm_struct *b)
{
	struct mm_struct *mms[2] = {a, b};
	vm_check(vm, mms, b ? 2 : 1);
}

#endif
