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

struct address_space {
	char *name;              /* owned */
	uint64_t size_bytes;     /* i_size */
	uint64_t nr_pages;       /* pages covering size_bytes (the last may be partial) */
	uint64_t dev_base_bytes; /* where the file starts on the file device */
	pfn_t **chunks;          /* index >> 9 -> 512 PFNs (PFN_NONE: not cached); NULL: none */
	uint64_t nr_chunks;
	uint64_t nrpages; /* pages of this file in the page cache */
	bool shmem;       /* a shmem object: no backing store, its pages swap */
	bool anon;        /* shmem of a MAP_SHARED|MAP_ANONYMOUS mmap: it dies with its last VMA */
	bool released;    /* an anonymous shmem object that died: its id is reused */
};

/* An index entry that is a swap slot (shmem), not a frame. */
#define FILEMAP_SWAP_TAG 0x80000000u

struct filemap {
	struct address_space *files; /* by file id */
	uint32_t nr_files, cap_files;
	uint64_t nr_cached;      /* page-cache pages of every file */
	uint64_t dev_next_bytes; /* next free byte on the file device (file placement) */
	uint64_t page_size;
	uint32_t nr_anon_shmem; /* live anonymous shmem objects */
};

void filemap_init(struct filemap *fm, uint64_t page_size);
void filemap_fini(struct filemap *fm);
/* The id of file name, or -1 when it was never declared. */
int filemap_find(const struct filemap *fm, const char *name);
/* Declare (or find) file name of size_bytes; a larger size extends a known file (a smaller
 * one leaves it as it is). Returns its id. */
uint32_t filemap_declare(struct filemap *fm, const char *name, uint64_t size_bytes);
/* A new anonymous shmem object of size_bytes (shmem_zero_setup), reusing the id of a
 * released one. Returns its id. */
uint32_t filemap_create_anon_shmem(struct filemap *fm, uint64_t size_bytes);
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
