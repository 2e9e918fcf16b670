/*
 * swapfile.c — the swap area (Linux's mm/swapfile.c): memory.swap_pages slots on the swap
 * device, allocated next fit (consecutive swap-outs take consecutive slots, as Linux's swap
 * clusters do), each with its count of swap PTEs (swap_map) and the policy key of the page it
 * holds. A slot is free when no PTE holds it and no frame caches it (swap_state.c). The
 * allocation (swap_alloc) and the swap cache lookups are static inlines in internal.h.
 */
#include "models/vm/internal.h"

void swap_free(struct vm *vm, uint32_t slot)
{
	BUG_ON(!vm->swap_used[slot] || vm->swap[slot].map || swap_cache(vm, slot) != PFN_NONE,
	       "freeing busy swap slot %u", slot);
	vm->swap_used[slot] = 0;
	vm->nr_swap_used--;
	if (unlikely(vm->swap_memcg || vm->zc))
		swap_slot_free_notify(vm, slot);
}

void free_swap_and_cache(struct vm *vm, uint32_t slot)
{
	BUG_ON(!vm->swap[slot].map, "swap slot %u count underflow", slot);
	if (--vm->swap[slot].map)
		return;
	pfn_t pfn = swap_cache(vm, slot);
	if (pfn == PFN_NONE) {
		swap_free(vm, slot);
		return;
	}
	if (vm->pages[pfn].mapcount == 0) {
		/* The last holder of the slot went: the cached copy is nobody's. */
		delete_from_swap_cache(vm, pfn);
		lru_del(vm, pfn);
		free_frame(vm, pfn);
	}
}
