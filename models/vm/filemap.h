/*
 * filemap.h — files and the page cache shared by every process (Linux's struct address_space
 * and the page-cache index of mm/filemap.c).
 *
 * (The fault paths through the page cache are in memory.c and filemap.c, declared in
 * internal.h.)
 *
 * A file is named by its NAME (the same name in any process or workload is the same file) and
 * identified inside the simulator by its id, the index of its struct address_space. A
 * page-cache page is a frame (struct page with PG_FILE, mapping = file id, index = page offset)
 * found through its file's index: a two-level array of PFNs (512 per chunk, chunks allocated on
 * first use), the simulator's counterpart of the xarray i_pages. Page-cache pages sit on the
 * replacement policy's lists like any resident page; their policy key is filemap_key(file,
 * index), stable across eviction and re-reads.
 *
 * A shmem object (Linux's mm/shmem.c: shared anonymous memory, and later memfd and POSIX or
 * SysV shared memory) is a file without backing store: its pages are page-cache pages that
 * reclaim writes to swap, and its index then holds the swap slot (FILEMAP_SWAP_TAG | slot, as
 * Linux's xarray holds a swap entry) instead of a frame. It takes no room on the file device.
 *
 * Units: sizes in bytes, file offsets of pages (index) in pages of vm->cfg.page_size.
 * Invariants (checked by vm_check): every cached (file, index) names a PG_FILE frame with that
 * mapping and index; every PG_FILE frame is found by its (file, index); nr_cached counts them.
 */
#ifndef VMSIM_MODELS_VM_FILEMAP_H
#define VMSIM_MODELS_VM_FILEMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "models/policy/policy.h"

#define FILEMAP_CHUNK_PAGES 512

/* Readahead state of read(2) on a file (Linux's struct file_ra_state, one per file here rather
 * than per open file description): the last window read [start, start + size), of which the
 * last async_size pages were read ahead; reaching the first of them (Linux's PG_readahead
 * mark) reads the next window. prev_index: the last page the previous read(2) touched. */
struct file_ra_state {
	uint64_t start, size, async_size;
	uint64_t prev_index; /* UINT64_MAX: no read yet */
	uint64_t mark;       /* the page whose read starts the next window; UINT64_MAX: none */
	unsigned order;      /* vm.mmap_readahead = "linux": the folio order of the last window */
};

/* Pages whose background writeback completes at done_ps (they count against the dirty limits
 * until then, as Linux's NR_WRITEBACK does). */
struct wb_batch {
	uint64_t done_ps;
	uint64_t nr_pages;
};

struct address_space {
	char *name;              /* owned */
	uint64_t size_bytes;     /* i_size */
	uint64_t nr_pages;       /* pages covering size_bytes (the last may be partial) */
	uint64_t dev_base_bytes; /* where the file starts on the file device */
	pfn_t **chunks;          /* index >> 9 -> 512 PFNs (PFN_NONE: not cached); NULL: none */
	uint64_t nr_chunks;
	uint64_t nrpages; /* pages of this file in the page cache */
	bool shmem;       /* a shmem object: no backing store, its pages swap */
	bool anon;     /* shmem that dies with its last VMA: of a MAP_SHARED|MAP_ANONYMOUS mmap,
	                  or a named object unlinked (shmem.c) */
	bool released; /* an anonymous shmem object that died: its id is reused */
	struct file_ra_state ra; /* read(2)'s readahead (readahead.c) */
};

/* An index entry that is a swap slot (shmem), not a frame. */
#define FILEMAP_SWAP_TAG 0x80000000u

struct filemap {
	struct address_space *files; /* by file id */
	uint32_t nr_files, cap_files;
	uint64_t nr_cached;      /* page-cache pages of every file */
	uint64_t nr_dirty;       /* PG_DIRTY page-cache pages of files (not shmem): NR_FILE_DIRTY */
	uint32_t wb_file;        /* background writeback's cursor: the file it goes on with */
	uint64_t wb_index;       /* ... and the index in it */
	uint64_t nr_writeback;   /* pages of wb[] */
	struct wb_batch *wb;     /* background writeback in flight, oldest first */
	uint32_t nr_wb, cap_wb;
	uint64_t dev_next_bytes; /* next free byte on the file device (file placement) */
	uint64_t dev_end_bytes;  /* end of the furthest page of a file on the file device */
	uint32_t dev_end_file;   /* ... the file it belongs to */
	uint64_t page_size;
	uint32_t nr_anon_shmem; /* live anonymous (and unlinked) shmem objects */
};

void filemap_init(struct filemap *fm, uint64_t page_size);
void filemap_fini(struct filemap *fm);
/* The id of file name, or -1 when it was never declared. */
int filemap_find(const struct filemap *fm, const char *name);
/* Declare (or find) file name of size_bytes; a larger size extends a known file (a smaller
 * one leaves it as it is). Returns its id. */
uint32_t filemap_declare(struct filemap *fm, const char *name, uint64_t size_bytes);
/* i_size_write: file's size becomes size_bytes (grown by a write, or cut by ftruncate: the
 * caller has removed the pages past the new end). */
void filemap_set_size(struct filemap *fm, uint32_t file, uint64_t size_bytes);
/* A new anonymous shmem object of size_bytes (shmem_zero_setup), reusing the id of a
 * released one. Returns its id. */
uint32_t filemap_create_anon_shmem(struct filemap *fm, uint64_t size_bytes);
/* A new shmem object called name (memfd, POSIX or SysV shm), the same way. */
uint32_t filemap_create_shmem(struct filemap *fm, const char *name, uint64_t size_bytes);
/* The object's name becomes what (a name no trace can give: it holds a space). */
void filemap_rename(struct filemap *fm, uint32_t file, const char *what);
/* The index entry of (file, index): a frame, FILEMAP_SWAP_TAG | a swap slot, or PFN_NONE. */
static inline uint32_t filemap_entry(const struct filemap *fm, uint32_t file, uint64_t index)
{
	const struct address_space *as = &fm->files[file];
	uint64_t c = index / FILEMAP_CHUNK_PAGES;
	if (c >= as->nr_chunks || !as->chunks[c])
		return PFN_NONE;
	return as->chunks[c][index % FILEMAP_CHUNK_PAGES];
}
/* find_get_page: the frame caching (file, index), or PFN_NONE. */
static inline pfn_t filemap_lookup(const struct filemap *fm, uint32_t file, uint64_t index)
{
	uint32_t e = filemap_entry(fm, file, index);
	return e != PFN_NONE && (e & FILEMAP_SWAP_TAG) ? PFN_NONE : e;
}
/* Set the entry of an index that holds no page: a swap slot, or PFN_NONE to clear it. */
void filemap_set_swap(struct filemap *fm, uint32_t file, uint64_t index, uint32_t entry);
/* add_to_page_cache: (file, index) must not be cached yet. */
void filemap_add(struct filemap *fm, uint32_t file, uint64_t index, pfn_t pfn);
/* delete_from_page_cache. */
void filemap_remove(struct filemap *fm, uint32_t file, uint64_t index);
/* The replacement policy's key of a page-cache page (top bit set: never an anonymous key). */
static inline uint64_t filemap_key(uint32_t file, uint64_t index)
{
	return (1ull << 63) | ((uint64_t)file << 40) | (index & ((1ull << 40) - 1));
}

#endif
