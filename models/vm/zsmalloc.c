/*
 * zsmalloc.c — the pool of compressed pages (Linux's mm/zsmalloc.c, behind zswap and zram):
 * frames of memory.frames (PG_ZPOOL) that hold the compressed bytes, packed, so the pool holds
 * exactly ceil(bytes / page size) frames. It grows by taking free frames, never by reclaim: a
 * store made while no frame is free (the victim that made room is freed right after it) is
 * paid by the next allocation before it takes a frame (page_alloc.c), or by kswapd's step;
 * it shrinks as soon as compressed pages go. Frames used by the pool plus every other frame
 * in use never exceed memory.frames (check.c verifies the count).
 *
 * Not modelled: zsmalloc's size classes, zspages and their fragmentation, compaction.
 */
#include "models/vm/internal.h"

void zpool_balance(struct vm *vm)
{
	struct zpool *p = &vm->zc->pool;
	uint64_t ps = vm->cfg.page_size;
	uint64_t need = (p->bytes + ps - 1) / ps;
	while (p->nr_frames < need) {
		pfn_t pfn = alloc_pool_frame(vm);
		if (pfn == PFN_NONE)
			return;
		if (p->nr_frames == p->cap) {
			p->cap = p->cap ? 2 * p->cap : 64;
			p->frames = xrealloc(p->frames, p->cap * sizeof(*p->frames));
		}
		p->frames[p->nr_frames++] = pfn;
	}
	p->frames_max = MAX(p->frames_max, p->nr_frames);
	while (p->nr_frames > need) {
		pfn_t pfn = p->frames[--p->nr_frames];
		vm->pages[pfn].flags = 0;
		free_frame(vm, pfn);
	}
}
