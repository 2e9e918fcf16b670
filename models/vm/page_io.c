/*
 * page_io.c — the disk requests of the VM layer (Linux's mm/page_io.c submits the swap I/O; here
 * every request, swap or file, read or write, is recorded in the running operation's
 * struct fault_work, which the machine model sends to the disk models). vmsim does not move
 * data: a request is a device, a direction, an offset and a size.
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
