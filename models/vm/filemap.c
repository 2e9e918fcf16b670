/*
 * filemap.c — files and the page cache (see filemap.h), and the page-cache half of the
 * file-backed fault paths (Linux's mm/filemap.c and mm/readahead.c, simplified):
 *  - filemap_fault: a page-cache hit is a minor fault (faults.file); a miss reads the page from
 *    the file device (a major fault, faults.file_major); the fault handlers of memory.c
 *    (do_read_fault, do_cow_fault, do_shared_fault) map the page;
 *  - filemap_readahead: when a miss continues the previous miss read of the same VMA
 *    (vm_ra_next), vm.readahead_pages more pages are read into the page cache without mapping
 *    them (page_cache_sync_readahead, simplified: Linux grows the window and reads around mmap
 *    faults; see docs/vm.md);
 *  - filemap_map_pages: fault-around's mapping of the cached, up-to-date pages of a window.
 * Reclaim of a page-cache page (written back when dirty, else dropped) is in vmscan.c, msync in
 * msync.c.
 *
 * Shared writable mappings of files with backing store want write-notify (vma_wants_writenotify):
 * read faults and fault-around map their pages read-only, and the first write to each page,
 * and the first after msync or writeback cleaned it (page_mkclean write-protects), faults
 * (do_wp_page -> wp_page_shared). shmem mappings are mapped writable at once. The PTE dirty bit
 * says the page was written; reclaim, munmap, exit and msync move it to the page (PG_DIRTY).
 */
#include "models/vm/filemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/vm/internal.h"

/* ---- the page cache ---------------------------------------------------------------------- */

void filemap_init(struct filemap *fm, uint64_t page_size)
{
	memset(fm, 0, sizeof(*fm));
	fm->page_size = page_size;
}

void filemap_fini(struct filemap *fm)
{
	for (uint32_t i = 0; i < fm->nr_files; i++) {
		struct address_space *as = &fm->files[i];
		for (uint64_t c = 0; c < as->nr_chunks; c++)
			free(as->chunks[c]);
		free(as->chunks);
		free(as->name);
	}
	free(fm->files);
	free(fm->wb);
	memset(fm, 0, sizeof(*fm));
}

int filemap_find(const struct filemap *fm, const char *name)
{
	for (uint32_t i = 0; i < fm->nr_files; i++)
		if (strcmp(fm->files[i].name, name) == 0)
			return (int)i;
	return -1;
}

static void as_resize(struct filemap *fm, struct address_space *as, uint64_t size_bytes)
{
	as->size_bytes = size_bytes;
	as->nr_pages = (size_bytes + fm->page_size - 1) / fm->page_size;
	uint64_t chunks = (as->nr_pages + FILEMAP_CHUNK_PAGES - 1) / FILEMAP_CHUNK_PAGES;
	if (chunks > as->nr_chunks) {
		as->chunks = xrealloc(as->chunks, sizeof(*as->chunks) * chunks);
		memset(&as->chunks[as->nr_chunks], 0,
		       sizeof(*as->chunks) * (chunks - as->nr_chunks));
		as->nr_chunks = chunks;
	}
}

/* A new address_space (its id: nr_files), not placed on the file device. */
static struct address_space *as_new(struct filemap *fm, const char *name, uint64_t size_bytes)
{
	if (fm->nr_files == fm->cap_files) {
		fm->cap_files = fm->cap_files ? fm->cap_files * 2 : 8;
		fm->files = xrealloc(fm->files, sizeof(*fm->files) * fm->cap_files);
	}
	struct address_space *as = &fm->files[fm->nr_files++];
	memset(as, 0, sizeof(*as));
	as->name = xstrdup(name);
	as->ra.prev_index = UINT64_MAX;
	as->ra.mark = UINT64_MAX;
	as_resize(fm, as, size_bytes);
	return as;
}

/* A file's pages on the file device end at dev_base_bytes + nr_pages pages (a file that grows
 * past its 1 MiB-rounded place runs into the next one's: placement is not revisited). */
static void note_dev_end(struct filemap *fm, uint32_t file)
{
	const struct address_space *as = &fm->files[file];
	uint64_t end = as->dev_base_bytes + as->nr_pages * fm->page_size;
	if (!as->shmem && end > fm->dev_end_bytes) {
		fm->dev_end_bytes = end;
		fm->dev_end_file = file;
	}
}

uint32_t filemap_declare(struct filemap *fm, const char *name, uint64_t size_bytes)
{
	int id = filemap_find(fm, name);
	if (id >= 0) {
		struct address_space *as = &fm->files[id];
		if (size_bytes > as->size_bytes)
			as_resize(fm, as, size_bytes);
		note_dev_end(fm, (uint32_t)id);
		return (uint32_t)id;
	}
	struct address_space *as = as_new(fm, name, size_bytes);
	/* Files lie one after another on the file device, each starting on a 1 MiB boundary. */
	as->dev_base_bytes = fm->dev_next_bytes;
	fm->dev_next_bytes += (as->nr_pages * fm->page_size + (1u << 20) - 1) & ~((1ull << 20) - 1);
	note_dev_end(fm, fm->nr_files - 1);
	return fm->nr_files - 1;
}

void filemap_set_size(struct filemap *fm, uint32_t file, uint64_t size_bytes)
{
	as_resize(fm, &fm->files[file], size_bytes);
	note_dev_end(fm, file);
}

/* A shmem object of size_bytes in the id of a released one, or a new one; named name, or
 * (NULL) as Linux shows shared anonymous memory, "/dev/zero (deleted)". */
static uint32_t create_shmem(struct filemap *fm, const char *name, uint64_t size_bytes)
{
	uint32_t id = fm->nr_files;
	for (uint32_t i = 0; i < fm->nr_files && id == fm->nr_files; i++)
		if (fm->files[i].released)
			id = i;
	char anon_name[48];
	snprintf(anon_name, sizeof(anon_name), "shared anonymous %u", id);
	if (id == fm->nr_files) {
		as_new(fm, name ? name : anon_name, size_bytes);
	} else {
		fm->files[id].released = false;
		filemap_rename(fm, id, name ? name : anon_name);
		as_resize(fm, &fm->files[id], size_bytes);
	}
	fm->files[id].shmem = true;
	fm->files[id].anon = !name;
	fm->nr_anon_shmem += !name;
	return id;
}

uint32_t filemap_create_anon_shmem(struct filemap *fm, uint64_t size_bytes)
{
	return create_shmem(fm, NULL, size_bytes);
}

uint32_t filemap_create_shmem(struct filemap *fm, const char *name, uint64_t size_bytes)
{
	return create_shmem(fm, name, size_bytes);
}

void filemap_rename(struct filemap *fm, uint32_t file, const char *what)
{
	char *old = fm->files[file].name;
	fm->files[file].name = xstrdup(what);
	free(old);
}

void filemap_add(struct filemap *fm, uint32_t file, uint64_t index, pfn_t pfn)
{
	struct address_space *as = &fm->files[file];
	uint64_t c = index / FILEMAP_CHUNK_PAGES;
	BUG_ON(c >= as->nr_chunks, "page cache: %s index %llu beyond the file", as->name,
	       (unsigned long long)index);
	if (!as->chunks[c]) {
		as->chunks[c] = xmalloc(sizeof(pfn_t) * FILEMAP_CHUNK_PAGES);
		for (uint32_t i = 0; i < FILEMAP_CHUNK_PAGES; i++)
			as->chunks[c][i] = PFN_NONE;
	}
	pfn_t *slot = &as->chunks[c][index % FILEMAP_CHUNK_PAGES];
	BUG_ON(*slot != PFN_NONE, "page cache: %s index %llu cached twice", as->name,
	       (unsigned long long)index);
	*slot = pfn;
	as->nrpages++;
	fm->nr_cached++;
}

void filemap_set_swap(struct filemap *fm, uint32_t file, uint64_t index, uint32_t entry)
{
	struct address_space *as = &fm->files[file];
	uint64_t c = index / FILEMAP_CHUNK_PAGES;
	BUG_ON(c >= as->nr_chunks || !as->chunks[c], "page cache: %s index %llu has no chunk",
	       as->name, (unsigned long long)index);
	as->chunks[c][index % FILEMAP_CHUNK_PAGES] = entry;
}

void filemap_remove(struct filemap *fm, uint32_t file, uint64_t index)
{
	struct address_space *as = &fm->files[file];
	uint64_t c = index / FILEMAP_CHUNK_PAGES;
	BUG_ON(c >= as->nr_chunks || !as->chunks[c] ||
	           as->chunks[c][index % FILEMAP_CHUNK_PAGES] == PFN_NONE,
	       "page cache: removing %s index %llu that is not cached", as->name,
	       (unsigned long long)index);
	as->chunks[c][index % FILEMAP_CHUNK_PAGES] = PFN_NONE;
	as->nrpages--;
	fm->nr_cached--;
}

uint64_t vm_file_dev_end(const struct vm *vm, const char **name, uint64_t *size_bytes)
{
	const struct filemap *fm = &vm->fm;
	if (!fm->dev_end_bytes)
		return 0;
	*name = fm->files[fm->dev_end_file].name;
	*size_bytes = fm->files[fm->dev_end_file].size_bytes;
	return fm->dev_end_bytes;
}

uint32_t vm_file_declare(struct vm *vm, const char *name, uint64_t size_bytes)
{
	return filemap_declare(&vm->fm, name, size_bytes);
}

int vm_file_find(const struct vm *vm, const char *name)
{
	return filemap_find(&vm->fm, name);
}

/* ---- faults ------------------------------------------------------------------------------ */

static uint32_t read_uncached(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t start,
                              uint64_t end);

uint64_t file_dev_offset(const struct vm *vm, uint32_t file, uint64_t index)
{
	return vm->fm.files[file].dev_base_bytes + index * vm->cfg.page_size;
}

void page_cache_add(struct vm *vm, struct mm_struct *mm, pfn_t pfn, uint32_t file, uint64_t index,
                    uint64_t next_use)
{
	struct page *pg = &vm->pages[pfn];
	pg->flags = PG_FILE;
	pg->mapping = file;
	/* read in: vm.file_folio_pages' folios (write(2) sets its own: write_begin_folio) */
	pg->folio_order = vm->fm.files[file].shmem
	                      ? 0
	                      : (uint8_t)__builtin_ctz(MAX(vm->cfg.file_folio_pages, 1u));
	pg->index = index;
	pg->key = filemap_key(file, index);
	filemap_add(&vm->fm, file, index, pfn);
	if (vm->fm.nr_cached > vm->st.pagecache_pages_max)
		vm->st.pagecache_pages_max = vm->fm.nr_cached;
	lru_add(vm, mm, pfn, next_use);
}

/* A new page-cache page for (file, index) in a free frame, queued for reading. */
static void page_cache_insert(struct vm *vm, struct mm_struct *mm, pfn_t pfn, uint32_t file,
                              uint64_t index, uint64_t next_use)
{
	page_cache_add(vm, mm, pfn, file, index, next_use);
	vm_add_io(vm->cur, IO_DEV_FILE, false, file_dev_offset(vm, file, index), vm->cfg.page_size);
	vm_note_read(vm->cur, pfn);
}

int page_cache_ra_folio(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index,
                        unsigned order, bool mark, uint64_t fault_index, uint64_t next_use)
{
	for (uint64_t i = index; i < index + (1ull << order); i++) {
		pfn_t pfn = alloc_frame(vm, vm->cur, mm, filemap_key(file, i));
		if (pfn == PFN_NONE)
			return -1;
		page_cache_insert(vm, mm, pfn, file, i, i == fault_index ? next_use : NEXT_USE_NEVER);
		vm->pages[pfn].folio_order = (uint8_t)order;
		if (mark)
			vm->pages[pfn].flags |= PG_READAHEAD;
	}
	return 0;
}

bool filemap_folio_range(const struct vm *vm, const struct vm_area_struct *vma, uint64_t vaddr,
                         bool write, uint64_t *start, uint64_t *end)
{
	uint32_t file = vma->vm_file - 1;
	const struct address_space *as = &vm->fm.files[file];
	uint64_t index = vma_file_index(vma, vaddr);
	pfn_t pfn = filemap_lookup(&vm->fm, file, index);
	uint64_t nr = pfn != PFN_NONE ? 1ull << vm->pages[pfn].folio_order
	                              : MAX(vm->cfg.file_folio_pages, 1u);
	if (nr <= 1 || as->shmem)
		return false;
	uint64_t first = index & ~(nr - 1);
	/* the folio holding the file's last page: fault-around only on reads (see docs) */
	if (first + nr > as->nr_pages || (!write && first + nr == as->nr_pages))
		return false;
	uint64_t from = vaddr - ((index - first) << PTE_SHIFT), to = from + (nr << PTE_SHIFT);
	if (from < vma->vm_start || to > vma->vm_end ||
	    from >> (PTE_SHIFT + PT_BITS) != (to - 1) >> (PTE_SHIFT + PT_BITS))
		return false; /* not inside the VMA and one page table */
	for (uint64_t i = first; i < first + nr; i++) { /* pages of other folios: 4 KiB */
		pfn_t q = filemap_lookup(&vm->fm, file, i);
		if (q != PFN_NONE && (1ull << vm->pages[q].folio_order) != nr)
			return false;
	}
	*start = from;
	*end = to;
	return true;
}

void filemap_map_folio(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma,
                       uint64_t vaddr, uint64_t start, uint64_t end, uint32_t pte_bits)
{
	uint32_t file = vma->vm_file - 1;
	for (uint64_t va = start; va < end; va += (1ull << PTE_SHIFT)) {
		pfn_t pfn = filemap_lookup(&vm->fm, file, vma_file_index(vma, va));
		pte_t *p = pgtable_lookup(&mm->pgd, va);
		if (va == vaddr || pfn == PFN_NONE || (p && *p))
			continue;
		map_file_page(vm, mm, vma, va, pfn, pte_bits);
		vm->cur->fault_around_pages++;
		vm->st.fault_around_pages++;
	}
}

void filemap_map_pages(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma,
                       uint64_t vaddr, uint64_t start, uint64_t end)
{
	uint32_t file = vma->vm_file - 1;
	uint64_t nr_file = vm->fm.files[file].nr_pages;
	for (uint64_t va = start; va < end; va += (1ull << PTE_SHIFT)) {
		uint64_t index = vma_file_index(vma, va);
		if (index >= nr_file)
			break;
		pfn_t pfn = filemap_lookup(&vm->fm, file, index);
		if (pfn == PFN_NONE || (va != vaddr && vm->pages[pfn].ready_ps > vm->now_ps))
			continue; /* filemap_map_pages maps only pages that are up to date */
		if (vm->pages[pfn].flags & PG_READAHEAD)
			continue; /* ... and not the PG_readahead folio: its fault reads ahead */
		pte_t *p = pgtable_lookup(&mm->pgd, va);
		if (p && *p)
			continue;
		map_file_page(vm, mm, vma, va, pfn, va == vaddr ? PTE_ACCESSED : 0);
		if (va != vaddr) {
			vm->cur->fault_around_pages++;
			vm->st.fault_around_pages++;
		}
	}
}

/*
 * A fault that found its page cached moves the VMA's sequential-read position past it when the
 * reader has left the last readahead window (or has none yet), so that two processes scanning
 * one file in step, each finding in the cache the page the other just read, still look
 * sequential to each other's next miss. Within a window the position is left alone.
 */
static void note_sequential(struct vm_area_struct *vma, uint64_t index)
{
	if (vma->vm_ra_next == UINT64_MAX || vma->vm_ra_next <= index)
		vma->vm_ra_next = index + 1;
}

void filemap_fault_cached(struct vm *vm, struct vm_area_struct *vma, uint64_t vaddr, pfn_t pfn,
                          bool write, uint64_t next_use)
{
	const struct policy_ops *pol = vm->cfg.policy;
	vm->cur->kinds |= FK_FILE;
	vm->st.faults_file++;
	vm_wait_ready(vm, vm->cur, pfn);
	note_sequential(vma, vma_file_index(vma, vaddr));
	if ((pol->flags & POLICY_SEES_EVERY_ACCESS) && !(vm->pages[pfn].flags & PG_MLOCKED))
		pol->access(vm->pages[pfn].scope->policy, pfn, write, next_use);
}

/* The page (file, index), not cached, read into a new frame (with the rest of its
 * vm.file_folio_pages folio); PFN_NONE when no frame could be had. */
static pfn_t filemap_read_one(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index,
                              uint64_t next_use)
{
	pfn_t pfn = alloc_frame(vm, vm->cur, mm, filemap_key(file, index));
	if (pfn == PFN_NONE)
		return PFN_NONE;
	page_cache_insert(vm, mm, pfn, file, index, next_use);
	if (vm->cfg.file_folio_pages > 1) {
		/* the whole folio is read (the faulting page is cached now: skipped) */
		uint64_t first = index & ~((uint64_t)vm->cfg.file_folio_pages - 1);
		read_uncached(vm, mm, file, first,
		              MIN(first + vm->cfg.file_folio_pages, vm->fm.files[file].nr_pages));
	}
	return pfn;
}

pfn_t filemap_fault(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t vaddr,
                    bool write, uint64_t next_use, bool *major)
{
	struct fault_work *w = vm->cur;
	uint32_t file = vma->vm_file - 1;
	uint64_t index = vma_file_index(vma, vaddr);
	pfn_t pfn = filemap_lookup(&vm->fm, file, index);
	*major = pfn == PFN_NONE;
	if (pfn != PFN_NONE) {
		/* do_async_mmap_readahead: the PG_readahead folio reads the next window */
		if (vm->pages[pfn].flags & PG_READAHEAD)
			mmap_async_ra(vm, mm, vma, pfn);
		filemap_fault_cached(vm, vma, vaddr, pfn, write, next_use);
		return pfn;
	}
	if (vm->fm.files[file].shmem)
		return shmem_fault(vm, mm, file, index, next_use, major);
	if (vm->cfg.mmap_ra_linux) /* do_sync_mmap_readahead: the window holds the page */
		pfn = mmap_sync_ra(vm, mm, vma, index, next_use);
	if (pfn == PFN_NONE) /* (readahead off, MADV_RANDOM, or out of memory) */
		pfn = filemap_read_one(vm, mm, file, index, next_use);
	if (pfn == PFN_NONE)
		return PFN_NONE;
	w->kinds |= FK_FILE_READ;
	w->major = true;
	vm->st.faults_file_major++;
	return pfn;
}

/* page_cache_sync_readahead, simplified: read the uncached pages of [start, end) into the page
 * cache, unmapped. Stops early when memory runs out. Returns the pages read. */
uint32_t page_cache_readahead(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t start,
                              uint64_t end)
{
	uint32_t n = read_uncached(vm, mm, file, start, end);
	vm->cur->readahead_pages += n;
	vm->st.readahead_pages += n;
	return n;
}

/* Read the uncached pages of [start, end) into the page cache, unmapped; stops early when
 * memory runs out. Returns the pages read. */
static uint32_t read_uncached(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t start,
                              uint64_t end)
{
	uint32_t n = 0;
	for (uint64_t index = start; index < end; index++) {
		if (filemap_lookup(&vm->fm, file, index) != PFN_NONE)
			continue;
		pfn_t pfn = alloc_frame(vm, vm->cur, mm, filemap_key(file, index));
		if (pfn == PFN_NONE)
			break;
		page_cache_insert(vm, mm, pfn, file, index, NEXT_USE_NEVER);
		n++;
	}
	return n;
}

void filemap_willneed(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma,
                      uint64_t start, uint64_t end)
{
	uint32_t file = vma->vm_file - 1;
	if (vm->fm.files[file].shmem)
		return;
	uint64_t from = vma_file_index(vma, start);
	uint64_t to = MIN(vma_file_index(vma, end - 1) + 1, vm->fm.files[file].nr_pages);
	to = MIN(to, from + vm->cfg.readahead_pages);
	if (from < to)
		page_cache_readahead(vm, mm, file, from, to);
}

void filemap_readahead(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma,
                       uint64_t vaddr)
{
	uint32_t file = vma->vm_file - 1;
	if (vm->fm.files[file].shmem || vm->cfg.mmap_ra_linux)
		return; /* a swap-in: no file readahead (linux: filemap_fault read its window) */
	uint64_t index = vma_file_index(vma, vaddr);
	uint64_t end = index + 1;
	if (vma->vm_flags & VM_RAND_READ) {
		vma->vm_ra_next = UINT64_MAX;
		return; /* MADV_RANDOM: no readahead */
	}
	bool seq = vma->vm_ra_next == index || (vma->vm_flags & VM_SEQ_READ);
	if (seq && vm->cfg.readahead_pages) {
		uint64_t fol = vm->cfg.file_folio_pages ? vm->cfg.file_folio_pages : 1;
		end = index + 1 + vm->cfg.readahead_pages;
		end = (end + fol - 1) & ~(fol - 1); /* whole folios, as page_cache_ra_order */
		end = MIN(end, vm->fm.files[file].nr_pages);
		page_cache_readahead(vm, mm, file, index + 1, end);
	}
	vma->vm_ra_next = end;
}

/* ---- read(2) and write(2) ---------------------------------------------------------------- */

/* The user copy of one page-cache page: a page copy through the memory model (a partial page
 * costs a whole one; the user's buffer is the caller's, touched as the program's accesses). */
static void copy_page_to_iter(struct fault_work *w, pfn_t pfn)
{
	w->copies++;
	w->copy_src_pfn = pfn;
	w->pfn = pfn;
}

/* A shmem file's page for read(2)/write(2): found, swapped in or a new zeroed page
 * (shmem_fault); a swap-in makes the call major. */
static pfn_t shmem_get_page(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index)
{
	bool major;
	pfn_t pfn = shmem_fault(vm, mm, file, index, NEXT_USE_NEVER, &major);
	vm->cur->major |= major;
	return pfn;
}

/* The page-cache page of (file, index) for read(2): found (the mark of a readahead window
 * reads the next one), or read with the window page_cache_sync_ra chooses for the req pages
 * still wanted. PFN_NONE when no frame could be had. */
static pfn_t filemap_get_page(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index,
                              uint64_t req)
{
	pfn_t pfn = filemap_lookup(&vm->fm, file, index);
	if (pfn != PFN_NONE) {
		page_cache_async_ra(vm, mm, file, index);
		vm_wait_ready(vm, vm->cur, pfn);
		return pfn;
	}
	if (vm->fm.files[file].shmem)
		return shmem_get_page(vm, mm, file, index);
	page_cache_sync_ra(vm, mm, file, index, req);
	pfn = filemap_lookup(&vm->fm, file, index);
	if (pfn != PFN_NONE)
		vm->cur->major = true; /* its read is waited for */
	return pfn;
}

/* filemap_read: the pages of [pos, end) up to the end of the file, each found or read in and
 * copied to the user. */
static int filemap_read(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t pos,
                        uint64_t len)
{
	struct address_space *as = &vm->fm.files[file];
	uint64_t ps = vm->cfg.page_size;
	if (pos >= as->size_bytes || !len)
		return 0; /* at or past the end: read returns 0 */
	uint64_t first = pos / ps, last = (MIN(pos + len, as->size_bytes) - 1) / ps;
	for (uint64_t index = first; index <= last; index++) {
		pfn_t pfn = filemap_get_page(vm, mm, file, index, last + 1 - index);
		if (pfn == PFN_NONE)
			return -1;
		copy_page_to_iter(vm->cur, pfn);
		vm->st.rw_read_pages++;
	}
	as->ra.prev_index = last;
	return 0;
}

/*
 * The order of the new folio a write of bytes at (file, index) gets (__filemap_get_folio with
 * FGP_WRITEBEGIN | fgf_set_order(bytes)): ilog2(bytes) in pages, at most
 * vm.file_folio_max_pages, lowered to the alignment of index and until no page of the range
 * is cached (filemap_add_folio's -EEXIST).
 */
static unsigned write_folio_order(const struct vm *vm, uint32_t file, uint64_t index,
                                  uint64_t bytes)
{
	unsigned order = 0, max = (unsigned)__builtin_ctz(MAX(vm->cfg.file_folio_max_pages, 1u));
	while (order < max && (vm->cfg.page_size << (order + 1)) <= bytes)
		order++;
	if (index & ((1ull << order) - 1))
		order = (unsigned)__builtin_ctzll(index);
	for (; order; order--) {
		uint64_t i = index;
		while (i < index + (1ull << order) && filemap_entry(&vm->fm, file, i) == PFN_NONE)
			i++;
		if (i == index + (1ull << order))
			break;
	}
	return order;
}

/* A new folio of 1 << order pages from (file, index) for a write (frames one by one: vmsim's
 * page-cache folios are not physically contiguous). Returns the frame of index's page. */
static pfn_t write_begin_folio(struct vm *vm, struct mm_struct *mm, uint32_t file,
                               uint64_t index, unsigned order)
{
	pfn_t first = PFN_NONE;
	for (uint64_t i = index; i < index + (1ull << order); i++) {
		pfn_t pfn = alloc_frame(vm, vm->cur, mm, filemap_key(file, i));
		if (pfn == PFN_NONE)
			return PFN_NONE;
		page_cache_add(vm, mm, pfn, file, i, NEXT_USE_NEVER);
		vm->pages[pfn].folio_order = (uint8_t)order;
		if (i == index)
			first = pfn;
	}
	return first;
}

/* write_begin's page for (file, index), bytes of the write left from it: cached, or the first
 * of a new folio; a page the write covers only in part and that holds data of the file (below
 * old_size) is read first. */
static pfn_t write_begin(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index,
                         uint64_t bytes, bool partial, uint64_t old_size)
{
	pfn_t pfn = filemap_lookup(&vm->fm, file, index);
	if (pfn != PFN_NONE) {
		vm_wait_ready(vm, vm->cur, pfn);
		return pfn;
	}
	if (vm->fm.files[file].shmem)
		return shmem_get_page(vm, mm, file, index);
	pfn = write_begin_folio(vm, mm, file, index, write_folio_order(vm, file, index, bytes));
	if (pfn == PFN_NONE)
		return PFN_NONE;
	if (partial && index * vm->cfg.page_size < old_size) {
		vm_add_io(vm->cur, IO_DEV_FILE, false, file_dev_offset(vm, file, index),
		          vm->cfg.page_size);
		vm_note_read(vm->cur, pfn);
		vm->cur->major = true;
	}
	return pfn;
}

/* generic_perform_write: each page of [pos, pos + len) got (write_begin), copied from the user
 * and dirtied; the file grows to pos + len; then balance_dirty_pages. */
static int generic_perform_write(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t pos,
                                 uint64_t len, uint64_t now_ps)
{
	uint64_t ps = vm->cfg.page_size;
	uint64_t old_size = vm->fm.files[file].size_bytes;
	if (!len)
		return 0;
	if (pos + len > old_size)
		filemap_set_size(&vm->fm, file, pos + len);
	for (uint64_t index = pos / ps; index <= (pos + len - 1) / ps; index++) {
		bool partial = index * ps < pos || (index + 1) * ps > pos + len;
		/* generic_perform_write's chunk: at most the largest folio, to its boundary */
		uint64_t at = MAX(pos, index * ps), chunk = ps * MAX(vm->cfg.file_folio_max_pages, 1u);
		uint64_t bytes = MIN(pos + len - at, chunk - (at & (chunk - 1)));
		pfn_t pfn = write_begin(vm, mm, file, index, bytes, partial, old_size);
		if (pfn == PFN_NONE)
			return -1;
		copy_page_to_iter(vm->cur, pfn);
		folio_mark_dirty(vm, pfn);
		vm->st.rw_write_pages++;
	}
	if (!vm->fm.files[file].shmem)
		balance_dirty_pages(vm, vm->cur, now_ps);
	return 0;
}

/* O_DIRECT: the cached pages of the range are written back (and, for a write, dropped:
 * invalidate_inode_pages2_range), then the bytes go between the device and the user's buffer
 * without the page cache. */
static void direct_io(struct vm *vm, uint32_t file, uint64_t pos, uint64_t len, bool write)
{
	uint64_t ps = vm->cfg.page_size;
	struct address_space *as = &vm->fm.files[file];
	if (!write)
		len = pos < as->size_bytes ? MIN(len, as->size_bytes - pos) : 0;
	if (!len)
		return;
	uint64_t from = pos / ps, to = (pos + len - 1) / ps + 1;
	filemap_write_range(vm, vm->cur, file, from, to);
	if (write) {
		truncate_inode_pages_range(vm, file, from, to);
		if (pos + len > as->size_bytes)
			filemap_set_size(&vm->fm, file, pos + len);
	}
	vm_add_io(vm->cur, IO_DEV_FILE, write, file_dev_offset(vm, file, 0) + pos, len);
	vm->cur->major |= !write;
	vm->st.direct_io_pages += to - from;
}

int vm_file_rw(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t pos, uint64_t len,
               unsigned flags, uint64_t now_ps, struct fault_work *w)
{
	bool write = flags & VM_RW_WRITE;
	vm->cur = w;
	vm->now_ps = now_ps;
	int rc = 0;
	if ((flags & VM_RW_DIRECT) && !vm->fm.files[file].shmem)
		direct_io(vm, file, pos, len, write);
	else if (write)
		rc = generic_perform_write(vm, mm, file, pos, len, now_ps);
	else
		rc = filemap_read(vm, mm, file, pos, len);
	vm->cur = NULL;
	return rc;
}
