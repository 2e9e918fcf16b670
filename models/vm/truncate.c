/*
 * truncate.c — removing page-cache pages of a file (Linux's mm/truncate.c:
 * truncate_inode_pages_range after unmap_mapping_range): ftruncate to a smaller size, a hole
 * punched with fallocate(FALLOC_FL_PUNCH_HOLE), an O_DIRECT write's invalidation. Every PTE
 * mapping a page goes (a later access faults: past the new end it is SIGBUS, in a hole the page
 * is read again); private COW copies stay, as Linux keeps them. Dirty pages are dropped
 * unwritten. A shmem object's pages and swap slots go through shmem_punch_hole.
 */
#include "models/vm/internal.h"

void truncate_inode_pages_range(struct vm *vm, uint32_t file, uint64_t from, uint64_t to)
{
	if (vm->fm.files[file].shmem) {
		shmem_punch_hole(vm, file, from, to);
		return;
	}
	for (uint64_t index = from; index < to; index++) {
		pfn_t pfn = filemap_lookup(&vm->fm, file, index);
		if (pfn == PFN_NONE)
			continue;
		try_to_unmap(vm, pfn, 0);
		folio_clear_dirty(vm, pfn);
		filemap_remove(&vm->fm, file, index);
		lru_del(vm, pfn);
		free_frame(vm, pfn);
		vm->st.truncated_pages++;
	}
}
