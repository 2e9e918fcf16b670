/*
 * swap_state.c — the swap cache (Linux's mm/swap_state.c): a frame that holds a copy of a swap
 * slot (PG_SWAPCACHE, page->swap_slot; the slot names the frame back). A page swapped in stays
 * in the swap cache with its slot, so a clean one can be dropped again without a write, and a
 * page shared after fork comes back once for every process that maps it. Joining and leaving
 * the swap cache on the reclaim path (add_to_swap, swap_cache_drop) are static inlines in
 * internal.h.
 */
#include "models/vm/internal.h"

void delete_from_swap_cache(struct vm *vm, pfn_t pfn)
{
	uint32_t slot = vm->pages[pfn].swap_slot;
	swap_cache_drop(vm, pfn);
	if (vm->swap[slot].map == 0)
		swap_free(vm, slot);
}
