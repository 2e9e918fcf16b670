/*
 * readahead.c — read(2)'s on-demand readahead (Linux's mm/readahead.c: page_cache_sync_ra,
 * page_cache_async_ra, get_init_ra_size, get_next_ra_size), with one file_ra_state per file
 * (Linux keeps one per open file description: two readers of one file here share it).
 *
 * A read that finds a page uncached starts a window at it when the read is at the start of the
 * file, asks for more than the maximum, or continues the previous read (index - prev <= 1):
 * get_init_ra_size(req) pages, of which all but req are "async" (read ahead). Otherwise it is
 * a small random read: only its own pages are read and the state is left alone. A read that
 * reaches the window's mark (its first async page, Linux's PG_readahead folio) reads the next
 * window, get_next_ra_size of the last, all async. vm.readahead_pages is the maximum
 * (ra_pages: read_ahead_kb / 4). Not modelled: context readahead (page_cache_prev_miss), the
 * folio orders of large-folio readahead, and the mark of a window being lost when its page is
 * reclaimed (here the mark is an index, kept until reached).
 */
#include "models/vm/internal.h"

/* get_init_ra_size: the first window for a read of req pages. */
static uint64_t init_ra_size(uint64_t req, uint64_t max)
{
	uint64_t n = 1;
	while (n < req)
		n <<= 1;
	if (n <= max / 32)
		return n * 4;
	if (n <= max / 4)
		return n * 2;
	return max;
}

/* get_next_ra_size: the window after one of cur pages. */
static uint64_t next_ra_size(uint64_t cur, uint64_t max)
{
	if (cur < max / 16)
		return 4 * cur;
	if (cur <= max / 2)
		return 2 * cur;
	return max;
}

/* Read the window of ra (page_cache_ra_order with order 0) and mark its first async page. */
static void ra_submit(struct vm *vm, struct mm_struct *mm, uint32_t file)
{
	struct address_space *as = &vm->fm.files[file];
	struct file_ra_state *ra = &as->ra;
	uint64_t end = MIN(ra->start + ra->size, as->nr_pages);
	ra->mark = ra->async_size ? ra->start + ra->size - ra->async_size : UINT64_MAX;
	if (ra->start < end)
		page_cache_readahead(vm, mm, file, ra->start, end); /* (counts readahead.pages) */
}

void page_cache_sync_ra(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index,
                        uint64_t req)
{
	struct address_space *as = &vm->fm.files[file];
	struct file_ra_state *ra = &as->ra;
	uint64_t max = vm->cfg.readahead_pages;
	if (!max) { /* readahead off: read what was asked for (force_page_cache_ra) */
		page_cache_readahead(vm, mm, file, index, MIN(index + req, as->nr_pages));
		return;
	}
	bool seq = index == 0 || req > max ||
	           (ra->prev_index != UINT64_MAX && index - ra->prev_index <= 1);
	if (!seq) { /* a small random read: as is, the state left alone */
		page_cache_readahead(vm, mm, file, index, MIN(index + req, as->nr_pages));
		return;
	}
	ra->start = index;
	ra->size = init_ra_size(req, max);
	ra->async_size = ra->size > req ? ra->size - req : ra->size >> 1;
	ra_submit(vm, mm, file);
}

void page_cache_async_ra(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index)
{
	struct file_ra_state *ra = &vm->fm.files[file].ra;
	if (index != ra->mark || !vm->cfg.readahead_pages)
		return;
	ra->start += ra->size;
	ra->size = next_ra_size(ra->size, vm->cfg.readahead_pages);
	ra->async_size = ra->size;
	ra_submit(vm, mm, file);
}
