/*
 * shmem.c — shared memory objects (Linux's mm/shmem.c): memory without backing store that
 * every mapper shares, whatever the order of its touches. A MAP_SHARED|MAP_ANONYMOUS mmap
 * creates an anonymous object of the mapping's size (shmem_zero_setup) and maps it like a
 * file (vm_file, page offset 0), so its pages are page-cache pages of the object: fork copies
 * no PTEs of it (the child faults the pages in, with fault-around), and a page written by one
 * mapper is the page every other mapper finds.
 *
 *  - shmem_fault: an index that holds no page is a hole (a zeroed page, faults.demand_zero,
 *    a minor fault) or a swapped page (read back from its swap slot: faults.swap_in, major);
 *    the page joins the object's page cache and the slot is freed (the page stays dirty).
 *  - shmem_writeout: reclaim writes the page to a new swap slot, which the object's index holds
 *    in place of the frame (Linux's swap entry in the xarray). The page is written every time
 *    (vmsim keeps no swap cache for shmem: a page read back and not written again is written
 *    once more when reclaimed).
 *  - An anonymous object dies with the last VMA that maps it (munmap, exit): its pages and
 *    slots are freed and its id is reused by the next object.
 *  - Objects by name (vm_shm_*: memfd_create, POSIX shm_open, SysV shmget; the trace names
 *    each): created at a size, resized by ftruncate (pages past a smaller size freed and
 *    unmapped: an access there is SIGBUS), mapped by mmap or shmat (a SysV attachment has no
 *    fault-around: VM_NO_MAP_PAGES). An object lives while it is named or mapped, as Linux's
 *    lives while a dentry, an open file or a VMA holds its inode: unlinking it (shm_unlink,
 *    IPC_RMID, a memfd's last close) makes it anonymous, and it dies with its last VMA.
 * Not modelled: shmem huge pages, size limits (tmpfs size=, SHMMAX), swap readahead, open file
 * descriptors (a name stands for them), a SysV segment's permissions and IPC_STAT.
 */
#include "models/vm/internal.h"

#include <stdio.h>
#include <stdlib.h>

pfn_t shmem_fault(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index,
                  uint64_t next_use, bool *major)
{
	struct fault_work *w = vm->cur;
	pfn_t pfn = alloc_frame(vm, w, mm, filemap_key(file, index));
	if (pfn == PFN_NONE)
		return PFN_NONE;
	/* Reclaim for the frame only takes pages out of the index: the entry is as it was. */
	uint32_t e = filemap_entry(&vm->fm, file, index);
	if (e != PFN_NONE)
		filemap_set_swap(&vm->fm, file, index, PFN_NONE);
	page_cache_add(vm, mm, pfn, file, index, next_use);
	vm->pages[pfn].flags |= PG_DIRTY; /* no copy anywhere else */
	*major = e != PFN_NONE;
	if (!*major) {
		w->zero_fills++;
		w->kinds |= FK_DEMAND_ZERO;
		vm->st.faults_demand_zero++;
		return pfn;
	}
	uint32_t slot = e & ~FILEMAP_SWAP_TAG;
	vm->swap[slot].map = 0;
	swap_free(vm, slot);
	vm_add_io(w, IO_DEV_SWAP, false, (uint64_t)slot * vm->cfg.page_size, vm->cfg.page_size);
	vm_note_read(w, pfn);
	w->major = true;
	w->kinds |= FK_SWAP_IN;
	vm->st.faults_swap_in++;
	return pfn;
}

bool shmem_writeout(struct vm *vm, struct fault_work *w, struct reclaim_scope *sc, pfn_t pfn,
                    bool kswapd)
{
	struct page *pg = &vm->pages[pfn];
	uint32_t slot = swap_alloc(vm);
	if (slot == SLOT_NONE) {
		pg->flags |= PG_LRU;
		sc->nr_frames++;
		vm->cfg.policy->insert(sc->policy, pfn, pg->key, NEXT_USE_NEVER);
		return false;
	}
	try_to_unmap(vm, pfn, 0);
	filemap_remove(&vm->fm, pg->mapping, pg->index);
	filemap_set_swap(&vm->fm, pg->mapping, pg->index, FILEMAP_SWAP_TAG | slot);
	vm->swap[slot].map = 1; /* held by the object's index */
	vm->swap[slot].key = pg->key;
	vm_add_io(w, IO_DEV_SWAP, true, (uint64_t)slot * vm->cfg.page_size, vm->cfg.page_size);
	vm->st.swap_out++;
	if (kswapd) {
		pg->flags = PG_WRITEBACK;
		vm->nr_writeback++;
		return true;
	}
	free_frame(vm, pfn);
	return true;
}

/* Does a VMA of any live address space map file? */
static bool shmem_mapped(const struct vm *vm, uint32_t file)
{
	for (const struct mm_struct *mm = vm->mm_list; mm; mm = mm->mm_next)
		for (uint32_t i = 0; i < mm->nr_vmas; i++)
			if (mm->vmas[i].vm_file == file + 1)
				return true;
	return false;
}

/* The entry of (file, index) goes: its page unmapped from every mapper and freed, or its
 * swap slot freed. */
static void shmem_free_entry(struct vm *vm, uint32_t file, uint64_t index)
{
	uint32_t e = filemap_entry(&vm->fm, file, index);
	if (e == PFN_NONE)
		return;
	if (e & FILEMAP_SWAP_TAG) {
		filemap_set_swap(&vm->fm, file, index, PFN_NONE);
		vm->swap[e & ~FILEMAP_SWAP_TAG].map = 0;
		swap_free(vm, e & ~FILEMAP_SWAP_TAG);
		return;
	}
	try_to_unmap(vm, e, 0);
	filemap_remove(&vm->fm, file, index);
	lru_del(vm, e);
	free_frame(vm, e);
}

void shmem_punch_hole(struct vm *vm, uint32_t file, uint64_t from, uint64_t to)
{
	for (uint64_t index = from; index < to; index++)
		shmem_free_entry(vm, file, index);
}

/* shmem_evict_inode: every page and swap slot of the object freed. */
static void shmem_evict(struct vm *vm, uint32_t file)
{
	struct address_space *as = &vm->fm.files[file];
	for (uint64_t c = 0; c < as->nr_chunks; c++) {
		for (uint64_t k = 0; as->chunks[c] && k < FILEMAP_CHUNK_PAGES; k++)
			shmem_free_entry(vm, file, c * FILEMAP_CHUNK_PAGES + k);
		free(as->chunks[c]);
	}
	free(as->chunks);
	as->chunks = NULL;
	as->nr_chunks = 0;
	as->released = true;
	vm->fm.nr_anon_shmem--;
}

void shmem_release_unmapped(struct vm *vm)
{
	for (uint32_t f = 0; vm->fm.nr_anon_shmem && f < vm->fm.nr_files; f++) {
		const struct address_space *as = &vm->fm.files[f];
		if (as->anon && !as->released && !shmem_mapped(vm, f))
			shmem_evict(vm, f);
	}
}

int vm_shm_find(const struct vm *vm, const char *name)
{
	int file = filemap_find(&vm->fm, name);
	return file >= 0 && vm->fm.files[file].shmem ? file : -1;
}

int vm_shm_truncate(struct vm *vm, const char *name, uint64_t size_bytes, struct fault_work *w)
{
	int file = filemap_find(&vm->fm, name);
	if (file < 0) {
		filemap_create_shmem(&vm->fm, name, size_bytes);
		return 0;
	}
	struct address_space *as = &vm->fm.files[file];
	if (!as->shmem)
		return -1;
	uint64_t ps = vm->cfg.page_size;
	vm->cur = w;
	if (size_bytes < as->size_bytes) /* shmem_setattr: unmap_mapping_range, then the pages */
		truncate_inode_pages_range(vm, (uint32_t)file, (size_bytes + ps - 1) / ps,
		                           as->nr_pages);
	vm->cur = NULL;
	filemap_set_size(&vm->fm, (uint32_t)file, size_bytes);
	return 0;
}

int vm_shm_unlink(struct vm *vm, const char *name, struct fault_work *w)
{
	int file = vm_shm_find(vm, name);
	if (file < 0)
		return -1;
	char what[48];
	snprintf(what, sizeof(what), "unlinked shmem %d", file);
	filemap_rename(&vm->fm, (uint32_t)file, what);
	vm->fm.files[file].anon = true;
	vm->fm.nr_anon_shmem++;
	vm->cur = w;
	shmem_release_unmapped(vm);
	vm->cur = NULL;
	return 0;
}
