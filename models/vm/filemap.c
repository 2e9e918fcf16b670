/*
 * filemap.c — files, the page cache and the file-backed fault paths (see filemap.h).
 *
 * Linux names, simplified:
 *  - do_read_fault: do_fault_around first (map the cached pages of an aligned window of
 *    vm.fault_around_pages around the fault, within the VMA, its page table and the file),
 *    then filemap_fault for the faulting page when it was not among them;
 *  - filemap_fault: a page-cache hit is a minor fault (faults.file); a miss reads the page from
 *    the file device (a major fault, faults.file_major) and, when the miss continues the
 *    previous miss read of the same VMA (vm_ra_next), reads vm.readahead_pages more pages into
 *    the page cache without mapping them (page_cache_sync_readahead, simplified: Linux grows the
 *    window and reads around mmap faults; see docs/vm.md);
 *  - do_shared_fault maps the page writable and dirty; do_cow_fault maps it read-only and the
 *    caller's do_wp_page loop copies it into an anonymous page;
 *  - reclaim (shrink_folio_list for a file folio): unmap through rmap, write back when dirty
 *    (reclaim.writeback), else drop (reclaim.file_drops).
 *
 * Shared writable mappings are mapped writable at read faults (as shmem does: no write-notify
 * through page_mkwrite); the PTE dirty bit says the page was written, and reclaim, munmap, exit
 * and msync move it to the page (PG_DIRTY).
 */
#include "models/vm/filemap.h"

#include <stdlib.h>
#include <string.h>

#include "models/vm/vm_internal.h"
#include "models/vm/mm.h"
#include "models/vm/vm.h"

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

uint32_t filemap_declare(struct filemap *fm, const char *name, uint64_t size_bytes)
{
	int id = filemap_find(fm, name);
	if (id >= 0) {
		struct address_space *as = &fm->files[id];
		if (size_bytes > as->size_bytes)
			as_resize(fm, as, size_bytes);
		return (uint32_t)id;
	}
	if (fm->nr_files == fm->cap_files) {
		fm->cap_files = fm->cap_files ? fm->cap_files * 2 : 8;
		fm->files = xrealloc(fm->files, sizeof(*fm->files) * fm->cap_files);
	}
	struct address_space *as = &fm->files[fm->nr_files];
	memset(as, 0, sizeof(*as));
	as->name = xstrdup(name);
	as_resize(fm, as, size_bytes);
	/* Files lie one after another on the file device, each starting on a 1 MiB boundary. */
	as->dev_base_bytes = fm->dev_next_bytes;
	fm->dev_next_bytes += (as->nr_pages * fm->page_size + (1u << 20) - 1) & ~((1ull << 20) - 1);
	return fm->nr_files++;
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

uint32_t vm_file_declare(struct vm *vm, const char *name, uint64_t size_bytes)
{
	return filemap_declare(&vm->fm, name, size_bytes);
}

int vm_file_find(const struct vm *vm, const char *name)
{
	return filemap_find(&vm->fm, name);
}

/* ---- mappings ---------------------------------------------------------------------------- */

int vm_mmap_file(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                 uint32_t vm_flags, uint32_t file, uint64_t offset_bytes, struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	len = (len + ps - 1) & ~(ps - 1);
	if (vm_check_range(vm, addr, len) || (offset_bytes & (ps - 1)) || file >= vm->fm.nr_files)
		return -1;
	vm->cur = w;
	vm_zap_range(vm, mm, addr, addr + len, true);
	vm->cur = NULL;
	mm_remove_range(mm, addr, addr + len);
	mm_insert_vma(mm, (struct vm_area_struct){.vm_start = addr,
	                                          .vm_end = addr + len,
	                                          .vm_flags = vm_flags,
	                                          .vm_file = file + 1,
	                                          .vm_pgoff = offset_bytes / ps,
	                                          .vm_ra_next = UINT64_MAX});
	return 0;
}

/* ---- faults ------------------------------------------------------------------------------ */

static uint64_t file_dev_offset(const struct vm *vm, uint32_t file, uint64_t index)
{
	return vm->fm.files[file].dev_base_bytes + index * vm->cfg.page_size;
}

/* A new page-cache page for (file, index) in a free frame, queued for reading. */
static void page_cache_insert(struct vm *vm, struct mm_struct *mm, pfn_t pfn, uint32_t file,
                              uint64_t index, uint64_t next_use)
{
	struct page *pg = &vm->pages[pfn];
	pg->flags = PG_FILE;
	pg->mapping = file;
	pg->index = index;
	pg->key = filemap_key(file, index);
	filemap_add(&vm->fm, file, index, pfn);
	if (vm->fm.nr_cached > vm->st.pagecache_pages_max)
		vm->st.pagecache_pages_max = vm->fm.nr_cached;
	lru_add(vm, mm, pfn, next_use);
	vm_add_io(vm->cur, IO_DEV_FILE, false, file_dev_offset(vm, file, index), vm->cfg.page_size);
	vm_note_read(vm->cur, pfn);
}

/* Map the page-cache page pfn at vaddr. */
static void map_file_page(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma,
                          uint64_t vaddr, pfn_t pfn, pte_t flags)
{
	if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE))
		flags |= PTE_WRITE;
	pte_t *p = pgtable_alloc_pte(&mm->pgd, vaddr);
	BUG_ON(*p, "mapping a file page over a live PTE");
	pgtable_set(&mm->pgd, vaddr, p, pte_mk(pfn, flags));
	rmap_add(vm, pfn, mm, vaddr);
}

/*
 * do_fault_around: map the cached pages of the aligned window of fault_around_pages (rounded
 * down to a power of two, as Linux rounds fault_around_bytes) around vaddr that lie in the
 * VMA, in vaddr's page table and in the file, where the PTE is none. The faulting page is
 * mapped young, its neighbours old.
 */
static void do_fault_around(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma,
                            uint64_t vaddr)
{
	uint64_t nr = 1;
	while (nr * 2 <= vm->cfg.fault_around_pages)
		nr *= 2;
	uint32_t file = vma->vm_file - 1;
	uint64_t pte_off = (vaddr >> PTE_SHIFT) & (PT_ENTRIES - 1);
	uint64_t vma_off = (vaddr - vma->vm_start) >> PTE_SHIFT;
	uint64_t vma_pages = (vma->vm_end - vma->vm_start) >> PTE_SHIFT;
	uint64_t from = MAX(pte_off & ~(nr - 1), pte_off - MIN(pte_off, vma_off));
	uint64_t to = MIN(MIN(from + nr, (uint64_t)PT_ENTRIES), pte_off + vma_pages - vma_off);
	uint64_t base = vaddr - (pte_off << PTE_SHIFT);
	uint64_t nr_file = vm->fm.files[file].nr_pages;
	for (uint64_t i = from; i < to; i++) {
		uint64_t va = base + (i << PTE_SHIFT);
		uint64_t index = vma_file_index(vma, va);
		if (index >= nr_file)
			break;
		pfn_t pfn = filemap_lookup(&vm->fm, file, index);
		if (pfn == PFN_NONE || (va != vaddr && vm->pages[pfn].ready_ps > vm->now_ps))
			continue; /* filemap_map_pages maps only pages that are up to date */
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

/* page_cache_sync_readahead, simplified: read the uncached pages of [start, end) into the page
 * cache, unmapped. Stops early when memory runs out. Returns the pages read. */
static uint32_t page_cache_readahead(struct vm *vm, struct mm_struct *mm, uint32_t file,
                                     uint64_t start, uint64_t end)
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
	vm->cur->readahead_pages += n;
	vm->st.readahead_pages += n;
	return n;
}

enum filemap_fault_result filemap_fault(struct vm *vm, struct mm_struct *mm,
                                        struct vm_area_struct *vma, uint64_t vaddr, bool write,
                                        uint64_t next_use)
{
	struct fault_work *w = vm->cur;
	uint32_t file = vma->vm_file - 1;
	uint64_t index = vma_file_index(vma, vaddr);
	uint64_t nr_file = vm->fm.files[file].nr_pages;
	if (index >= nr_file)
		return FILEMAP_SIGBUS; /* beyond the end of the file */
	const struct policy_ops *pol = vm->cfg.policy;
	if (!write && vm->cfg.fault_around_pages > 1) {
		do_fault_around(vm, mm, vma, vaddr);
		pte_t *p = pgtable_lookup(&mm->pgd, vaddr);
		if (p && pte_present(*p)) {
			w->kinds |= FK_FILE;
			vm->st.faults_file++;
			vm_wait_ready(vm, w, (pfn_t)pte_pfn(*p));
			note_sequential(vma, index);
			if (pol->flags & POLICY_SEES_EVERY_ACCESS)
				pol->access(vm->pages[pte_pfn(*p)].scope->policy,
				            (pfn_t)pte_pfn(*p), false, next_use);
			return FILEMAP_OK;
		}
	}
	pte_t flags = PTE_ACCESSED | (write ? PTE_DIRTY : 0);
	pfn_t pfn = filemap_lookup(&vm->fm, file, index);
	if (pfn != PFN_NONE) {
		w->kinds |= FK_FILE;
		vm->st.faults_file++;
		vm_wait_ready(vm, w, pfn);
		note_sequential(vma, index);
		if (pol->flags & POLICY_SEES_EVERY_ACCESS)
			pol->access(vm->pages[pfn].scope->policy, pfn, write, next_use);
		map_file_page(vm, mm, vma, vaddr, pfn, flags);
		return FILEMAP_OK;
	}
	/* A miss: read the page, then (on a sequential miss) the readahead window. */
	pfn = alloc_frame(vm, w, mm, filemap_key(file, index));
	if (pfn == PFN_NONE)
		return FILEMAP_OOM;
	page_cache_insert(vm, mm, pfn, file, index, next_use);
	w->kinds |= FK_FILE_READ;
	w->major = true;
	vm->st.faults_file_major++;
	/* Mapped before readahead allocates, so that reclaim sees it mapped. */
	map_file_page(vm, mm, vma, vaddr, pfn, flags);
	uint64_t end = index + 1;
	if (vma->vm_ra_next == index && vm->cfg.readahead_pages) {
		end = MIN(index + 1 + vm->cfg.readahead_pages, nr_file);
		page_cache_readahead(vm, mm, file, index + 1, end);
	}
	vma->vm_ra_next = end;
	return FILEMAP_OK;
}

/* ---- reclaim and writeback --------------------------------------------------------------- */

void filemap_reclaim_page(struct vm *vm, struct fault_work *w, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	bool dirty = (pg->flags & PG_DIRTY) != 0;
	/* try_to_unmap: file PTEs become none; the page is found again in the page cache or
	 * read again from the file. */
	while (pg->rmap) {
		struct rmap_item it = vm->rmap_pool[pg->rmap];
		pte_t *p = pgtable_lookup(&it.mm->pgd, it.vaddr);
		BUG_ON(!p || pte_pfn(*p) != pfn, "rmap points at a stale PTE");
		if (*p & PTE_DIRTY)
			dirty = true;
		note_inval(vm, it.mm, it.vaddr);
		rmap_remove(vm, pfn, it.mm, it.vaddr);
		pgtable_set(&it.mm->pgd, it.vaddr, p, 0);
	}
	if (dirty) {
		vm_add_io(w, IO_DEV_FILE, true, file_dev_offset(vm, pg->mapping, pg->index),
		          vm->cfg.page_size);
		vm->st.writeback++;
	} else {
		vm->st.file_drops++;
	}
	filemap_remove(&vm->fm, pg->mapping, pg->index);
	free_frame(vm, pfn);
}

struct msync_ctx {
	struct vm *vm;
	struct fault_work *w;
};

static void msync_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct msync_ctx *c = ctx;
	struct vm *vm = c->vm;
	UNUSED(vaddr);
	if (!pte_present(*p) || (*p & PTE_ZERO))
		return;
	pfn_t pfn = (pfn_t)pte_pfn(*p);
	struct page *pg = &vm->pages[pfn];
	if (!(pg->flags & PG_FILE))
		return;
	/* page_mkclean: every PTE of the page loses its dirty bit (and its TLB entry, so the
	 * next write sets the bit again). */
	bool dirty = (pg->flags & PG_DIRTY) != 0;
	for (uint32_t r = pg->rmap; r; r = vm->rmap_pool[r].next) {
		struct rmap_item *it = &vm->rmap_pool[r];
		pte_t *q = pgtable_lookup(&it->mm->pgd, it->vaddr);
		if (*q & PTE_DIRTY) {
			*q &= ~PTE_DIRTY;
			dirty = true;
			note_inval(vm, it->mm, it->vaddr);
		}
	}
	if (!dirty)
		return;
	pg->flags &= ~PG_DIRTY;
	vm_add_io(c->w, IO_DEV_FILE, true, file_dev_offset(vm, pg->mapping, pg->index),
	          vm->cfg.page_size);
	vm->st.msync_writeback++;
}

int vm_msync(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len, struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	len = (len + ps - 1) & ~(ps - 1);
	if (vm_check_range(vm, addr, len) || !mm_range_mapped(mm, addr, addr + len))
		return -1;
	uint64_t end = addr + len;
	vm->cur = w;
	struct msync_ctx c = {.vm = vm, .w = w};
	for (uint32_t i = 0; i < mm->nr_vmas; i++) {
		const struct vm_area_struct *v = &mm->vmas[i];
		if (v->vm_end <= addr || v->vm_start >= end || !v->vm_file ||
		    !(v->vm_flags & VM_SHARED))
			continue;
		pgtable_for_each(&mm->pgd, MAX(v->vm_start, addr), MIN(v->vm_end, end), msync_pte,
		                 &c);
	}
	vm->cur = NULL;
	return 0;
}
