/*
 * page_io.c — the disk requests of the VM layer (Linux's mm/page_io.c submits the swap I/O; here
 * every request, swap or file, read or write, is recorded in the running operation's
 * struct fault_work, which the machine model sends to the disk models). vmsim does not move
 * data: a request is a device, a direction, an offset and a size.
 * swap_writepage and swap_read_folio send a swap page to zswap (zswap.c) or zram (zram.c)
 * when they are enabled, else to the swap device.
 */
#include "models/vm/internal.h"

void vm_add_io(struct fault_work *w, enum io_device dev, bool is_write, uint64_t offset,
               uint64_t size)
{
	if (w->nr_io) {
		struct io_req *last = &w->io[w->nr_io - 1];
		if (last->device == dev && last->is_write == is_write &&
		    last->offset_bytes + last->size_bytes == offset) {
			last->size_bytes += size;
			return;
		}
	}
	if (w->nr_io == FAULT_MAX_IO) {
		/* Out of room: cost the bytes with the last request (same amount transferred). */
		w->io[w->nr_io - 1].size_bytes += size;
		return;
	}
	w->io[w->nr_io++] = (struct io_req){.is_write = is_write,
	                                    .device = (uint8_t)dev,
	                                    .offset_bytes = offset,
	                                    .size_bytes = size};
}

bool swap_writepage_offload(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot)
{
	if (vm->zc) {
		if (vm->cfg.zram.enabled)
			return zram_write(vm, w, pfn, slot);
		if (zswap_store(vm, w, pfn, slot))
			return false;
	}
	vm_add_io(w, IO_DEV_SWAP, true, (uint64_t)slot * vm->cfg.page_size, vm->cfg.page_size);
	return true;
}

void swap_read_folio_offload(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot)
{
	struct page *pg = &vm->pages[pfn];
	if (pg->memcg)
		vm->memcgs[pg->memcg].refaults++;
	if (vm->zc) {
		if (vm->cfg.zram.enabled) {
			zram_read(vm, w, pfn, slot);
			return;
		}
		if (zswap_load(vm, w, pfn, slot))
			return;
	}
	vm_add_io(w, IO_DEV_SWAP, false, (uint64_t)slot * vm->cfg.page_size, vm->cfg.page_size);
	vm_note_read(w, pfn);
}

void swap_slot_free_notify(struct vm *vm, uint32_t slot)
{
	if (vm->swap_memcg)
		mem_cgroup_uncharge_swap(vm, slot);
	if (!vm->zc)
		return;
	if (vm->cfg.zram.enabled)
		zram_slot_free(vm, slot);
	else
		zswap_invalidate(vm, slot);
}
