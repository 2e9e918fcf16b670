/*
 * swapfile.c — the swap area (Linux's mm/swapfile.c): memory.swap_pages slots on the swap
 * device, allocated next fit (consecutive swap-outs take consecutive slots, as Linux's swap
 * clusters do), each with its count of swap PTEs (swap_map) and the policy key of the page it
 * holds. A slot is free when no PTE holds it and no frame caches it (swap_state.c). The
 * allocation (swap_alloc) and the swap cache lookups are static inlines in internal.h. An mTHP
 * folio swapped out whole takes an aligned run of free slots of its size (swap_alloc_contig):
 * Linux 6.10+ allocates it within one swap cluster of that order; vmsim takes any aligned
 * free run (a cluster's other slots, used by 4 KiB pages, do not stop it).
 */
#include "models/vm/internal.h"

#include <string.h>

/* Is every slot of [s, s + nr) free? */
static bool swap_run_free(const struct vm *vm, uint64_t s, uint64_t nr)
{
	for (uint64_t i = nr; i-- > 0;)
		if (vm->swap_used[s + i])
			return false;
	return true;
}

uint32_t swap_alloc_contig(struct vm *vm, unsigned order)
{
	uint64_t nr = 1ull << order, runs = vm->cfg.swap_pages / nr;
	if (!runs || vm->nr_swap_used + nr > vm->cfg.swap_pages)
		return SLOT_NONE;
	uint64_t first = (vm->swap_cursor + nr - 1) / nr;
	for (uint64_t k = 0; k < runs; k++) {
		uint64_t s = ((first + k) % runs) * nr;
		if (!swap_run_free(vm, s, nr))
			continue;
		memset(vm->swap_used + s, 1, nr);
		vm->nr_swap_used += nr;
		vm->swap_high = MAX(vm->swap_high, s + nr);
		vm->swap_cursor = (s + nr) % vm->cfg.swap_pages;
		return (uint32_t)s;
	}
	return SLOT_NONE;
}

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
