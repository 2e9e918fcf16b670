/*
 * zram.c — a swap device that keeps compressed pages in RAM (Linux's drivers/block/zram):
 * memory.swap_pages slots (its disksize), each page compressed into the pool (zsmalloc.c,
 * frames of memory.frames) at swap-out; a same-filled page is stored without pool space;
 * an incompressible one (compressed to zram.huge_class_bytes or more) is stored whole in the
 * pool, or written to the backing device (the swap disk) when zram.backing_device is set
 * (zram.rejected counts those). Swap-in is synchronous (SWP_SYNCHRONOUS_IO): the page is
 * decompressed by the faulting task, no disk read unless it is on the backing device, and a
 * page that no other PTE holds bypasses the swap cache: its slot, and the compressed copy,
 * are freed at once and the page is dirty (do_swap_page's swapcache skip). Compression and
 * decompression run on the task's CPU with its own per-CPU stream (zcomp's per-CPU streams:
 * no queue between CPUs).
 *
 * Not modelled: zram's idle and huge writeback commands, recompression, the memory limit
 * (mem_limit), discard.
 */
#include "models/vm/internal.h"

bool zram_write(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot)
{
	struct zcomp_state *zc = vm->zc;
	const struct page *pg = &vm->pages[pfn];
	uint32_t bytes = 0;
	zcomp_compress_cost(vm, w);
	enum zcomp_kind k = zcomp_page(vm, pg->key, pg->zclass, vm->cfg.zram.huge_class_bytes,
	                               &bytes);
	zc->stores++;
	if (k == ZC_HUGE && vm->cfg.zram.backing_device) {
		zc->kind[slot] = ZC_BACKING;
		zc->rejected++;
		zc->backing_writes++;
		vm_add_io(w, IO_DEV_SWAP, true, (uint64_t)slot * vm->cfg.page_size,
		          vm->cfg.page_size);
		return true;
	}
	zc->kind[slot] = (uint8_t)k;
	zc->stored_pages++;
	if (k == ZC_SAME) {
		zc->same_filled++;
		return false;
	}
	if (k == ZC_HUGE) {
		zc->huge_pages++;
		bytes = (uint32_t)vm->cfg.page_size;
	}
	zc->bytes[slot] = (uint16_t)bytes;
	zc->pool.bytes += bytes;
	return false;
}

void zram_read(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot)
{
	struct zcomp_state *zc = vm->zc;
	enum zcomp_kind k = zc->kind[slot];
	BUG_ON(k == ZC_NONE, "zram: swap-in of slot %u that holds nothing", slot);
	zc->loads++;
	if (k == ZC_BACKING) {
		zc->backing_reads++;
		vm_add_io(w, IO_DEV_SWAP, false, (uint64_t)slot * vm->cfg.page_size,
		          vm->cfg.page_size);
		vm_note_read(w, pfn);
	} else if (k != ZC_SAME) {
		zcomp_decompress_cost(vm, w);
	}
	if (vm->swap[slot].map == 0) {
		/* No other PTE holds the slot: skip the swap cache, free the slot. */
		swap_cache_drop(vm, pfn);
		swap_free(vm, slot);
		vm->pages[pfn].flags |= PG_DIRTY;
	}
}

void zram_slot_free(struct vm *vm, uint32_t slot)
{
	struct zcomp_state *zc = vm->zc;
	enum zcomp_kind k = zc->kind[slot];
	if (k == ZC_NONE)
		return;
	if (k != ZC_BACKING)
		zc->stored_pages--;
	if (k == ZC_POOL || k == ZC_HUGE)
		zc->pool.bytes -= zc->bytes[slot];
	zc->kind[slot] = ZC_NONE;
	zc->bytes[slot] = 0;
	zpool_balance(vm);
}
