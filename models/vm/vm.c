/*
 * vm.c — the VM layer as one object (vm.h): its setup from a struct vm_config (frames, the swap
 * area, the rmap pool, the page-table arena, the page cache, the global scope's policy) and its
 * teardown. The work is done in the files named as Linux names them: memory.c (faults, zap),
 * mmap.c, mprotect.c, madvise.c, msync.c, fork.c, rmap.c, swapfile.c, swap_state.c,
 * page_alloc.c, vmscan.c, filemap.c, huge_memory.c, vma.c, pgtable.c, check.c.
 */
#include "models/vm/vm.h"

#include <stdlib.h>
#include <string.h>

#include "models/vm/internal.h"

int vm_init(struct vm *vm, const struct vm_config *cfg, struct err *err)
{
	memset(vm, 0, sizeof(*vm));
	vm->cfg = *cfg;
	uint64_t n = cfg->nr_frames;
	vm->pages = xcalloc_big(n, sizeof(*vm->pages));
	vm->free_head = PFN_NONE;
	for (uint64_t i = n; i-- > 0;) {
		vm->pages[i].flags = PG_FREE;
		vm->pages[i].next_free = vm->free_head;
		vm->free_head = (pfn_t)i;
	}
	vm->nr_free = n;
	vm->rmap_cap = 1024;
	vm->rmap_pool = xcalloc(vm->rmap_cap, sizeof(*vm->rmap_pool));
	for (uint32_t i = 1; i < vm->rmap_cap; i++)
		vm->rmap_pool[i].next = i + 1 < vm->rmap_cap ? i + 1 : 0;
	vm->rmap_free = 1;
	uint64_t s = cfg->swap_pages ? cfg->swap_pages : 1;
	vm->swap = xcalloc_big(s, sizeof(*vm->swap)); /* all zero: untouched until used */
	vm->swap_used = xcalloc(s, 1);
	/* Page-table pages live above the frames of memory.frames in the physical space. */
	vm->next_pt_paddr = (n + 1) * cfg->page_size;
	vm->next_asid = 1;
	vm->fault_pinned = PFN_NONE;
	pt_arena_init(&vm->pt_arena);
	filemap_init(&vm->fm, cfg->page_size);
	reclaim_scope_init(vm, &vm->scope, NULL);
	if (!vm->scope.policy) {
		vm_fini(vm);
		return err_set(err, "vm.policy_params: policy %s rejected its parameters",
		               cfg->policy->name);
	}
	return 0;
}

void vm_fini(struct vm *vm)
{
	reclaim_scope_fini(vm, &vm->scope);
	xfree_big(vm->pages, vm->cfg.nr_frames, sizeof(*vm->pages));
	free(vm->wb);
	free(vm->rmap_pool);
	xfree_big(vm->swap, vm->cfg.swap_pages ? vm->cfg.swap_pages : 1, sizeof(*vm->swap));
	free(vm->swap_used);
	filemap_fini(&vm->fm);
	pt_arena_fini(&vm->pt_arena);
	memset(vm, 0, sizeof(*vm));
}
