/*
 * page_writeback.c — dirty page-cache pages and their writeback (Linux's mm/page-writeback.c
 * and the flusher of fs/fs-writeback.c, simplified), and the sync calls on a file:
 *  - NR_FILE_DIRTY (vm->fm.nr_dirty): file pages with PG_DIRTY (write(2) dirties pages at once;
 *    a shared mapping's writes reach PG_DIRTY when their PTEs are cleaned or unmapped);
 *  - balance_dirty_pages after each write(2): with dirtyable memory = free frames + page-cache
 *    pages (global_dirtyable_memory, without the reserves), above vm.dirty_background_ratio %
 *    of it the flusher writes dirty pages back (oldest file first, in index order, from where
 *    it stopped) until NR_FILE_DIRTY is at that threshold again; those writes count against the
 *    limits until they complete (NR_WRITEBACK). Above vm.dirty_ratio % the writer is throttled:
 *    it waits for the writes its call started (Linux pauses it for a time proportional to how
 *    far it is over the limit, in steps of at most 200 ms: not modelled);
 *  - fsync and fdatasync write every dirty page of the file and wait; sync_file_range starts
 *    the writes of its range (SYNC_FILE_RANGE_WRITE) without waiting. Metadata is not
 *    modelled: fsync and fdatasync are the same. Writes the flusher started earlier are taken
 *    as done (fsync does not wait for them).
 */
#include "models/vm/internal.h"

bool folio_write_one(struct vm *vm, struct fault_work *w, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	bool dirty = (pg->flags & PG_DIRTY) != 0;
	if (pg->mapcount && page_mkclean(vm, pfn))
		dirty = true;
	if (!dirty)
		return false;
	folio_clear_dirty(vm, pfn);
	vm_add_io(w, IO_DEV_FILE, true, file_dev_offset(vm, pg->mapping, pg->index),
	          vm->cfg.page_size);
	return true;
}

uint64_t filemap_write_range(struct vm *vm, struct fault_work *w, uint32_t file, uint64_t from,
                             uint64_t to)
{
	uint64_t n = 0;
	to = MIN(to, vm->fm.files[file].nr_pages);
	for (uint64_t index = from; index < to; index++) {
		pfn_t pfn = filemap_lookup(&vm->fm, file, index);
		if (pfn != PFN_NONE && folio_write_one(vm, w, pfn))
			n++;
	}
	return n;
}

/* The background writes that completed by now_ps stop counting. */
static void writeback_retire(struct filemap *fm, uint64_t now_ps)
{
	uint32_t k = 0;
	for (uint32_t i = 0; i < fm->nr_wb; i++) {
		if (fm->wb[i].done_ps <= now_ps)
			fm->nr_writeback -= fm->wb[i].nr_pages;
		else
			fm->wb[k++] = fm->wb[i];
	}
	fm->nr_wb = k;
}

void filemap_writeback_done(struct filemap *fm, uint64_t nr_pages, uint64_t done_ps)
{
	if (fm->nr_wb == fm->cap_wb) {
		fm->cap_wb = fm->cap_wb ? fm->cap_wb * 2 : 16;
		fm->wb = xrealloc(fm->wb, sizeof(*fm->wb) * fm->cap_wb);
	}
	fm->wb[fm->nr_wb++] = (struct wb_batch){.done_ps = done_ps, .nr_pages = nr_pages};
	fm->nr_writeback += nr_pages;
}

/* wb_writeback for background work: nr dirty pages written from the flusher's cursor on. */
static uint64_t wb_writeback(struct vm *vm, struct fault_work *w, uint64_t nr)
{
	struct filemap *fm = &vm->fm;
	uint64_t done = 0;
	for (uint32_t seen = 0; done < nr && fm->nr_dirty && seen <= fm->nr_files; seen++) {
		if (fm->wb_file >= fm->nr_files) {
			fm->wb_file = 0;
			fm->wb_index = 0;
		}
		struct address_space *as = &fm->files[fm->wb_file];
		for (; done < nr && !as->shmem && fm->wb_index < as->nr_pages; fm->wb_index++) {
			pfn_t pfn = filemap_lookup(fm, fm->wb_file, fm->wb_index);
			if (pfn != PFN_NONE && (vm->pages[pfn].flags & PG_DIRTY) &&
			    folio_write_one(vm, w, pfn))
				done++;
		}
		if (done < nr) {
			fm->wb_file++;
			fm->wb_index = 0;
		}
	}
	return done;
}

void balance_dirty_pages(struct vm *vm, struct fault_work *w, uint64_t now_ps)
{
	struct filemap *fm = &vm->fm;
	writeback_retire(fm, now_ps);
	uint64_t dirtyable = vm->nr_free + fm->nr_cached;
	uint64_t bg_thresh = dirtyable * vm->cfg.dirty_background_ratio / 100;
	uint64_t thresh = dirtyable * vm->cfg.dirty_ratio / 100;
	if (fm->nr_dirty + fm->nr_writeback > thresh) {
		w->dirty_throttled = true;
		vm->st.dirty_throttled++;
	}
	if (fm->nr_dirty <= bg_thresh)
		return;
	uint64_t n = wb_writeback(vm, w, fm->nr_dirty - bg_thresh);
	w->wb_pages += (uint32_t)n;
	vm->st.writeback_background += n;
}

int vm_file_sync(struct vm *vm, uint32_t file, enum vm_sync_op op, uint64_t offset, uint64_t len,
                 struct fault_work *w)
{
	struct address_space *as = &vm->fm.files[file];
	uint64_t ps = vm->cfg.page_size;
	vm->cur = w;
	switch (op) {
	case VM_FSYNC:
	case VM_FDATASYNC:
		if (!as->shmem)
			vm->st.writeback_sync += filemap_write_range(vm, w, file, 0, as->nr_pages);
		break;
	case VM_SYNC_RANGE:
		if (!as->shmem && len)
			vm->st.writeback_sync += filemap_write_range(vm, w, file, offset / ps,
			                                             (offset + len - 1) / ps + 1);
		break;
	case VM_FTRUNCATE:
		if (offset < as->size_bytes)
			truncate_inode_pages_range(vm, file, (offset + ps - 1) / ps, as->nr_pages);
		filemap_set_size(&vm->fm, file, offset);
		break;
	case VM_FALLOCATE:
		if (offset + len > as->size_bytes)
			filemap_set_size(&vm->fm, file, offset + len);
		break;
	case VM_PUNCH_HOLE:
		/* Whole pages only: a partial page at either end is zeroed in place. */
		if (len && (offset + ps - 1) / ps < (offset + len) / ps)
			truncate_inode_pages_range(vm, file, (offset + ps - 1) / ps,
			                           (offset + len) / ps);
		break;
	}
	vm->cur = NULL;
	return 0;
}
