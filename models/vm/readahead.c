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
 * folio orders of large-folio readahead for read(2), and the mark of a window being lost when
 * its page is reclaimed (here the mark is an index, kept until reached).
 *
 * Also the readahead of file faults with vm.mmap_readahead "linux" (do_sync_mmap_readahead,
 * do_async_mmap_readahead, page_cache_ra_order): there the mark is the page flag
 * PG_READAHEAD on the pages of one folio, and each window's folio order grows by 2 up to
 * vm.file_folio_max_pages' (docs/vm.md, "Readahead of file faults").
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

/* ---- mmap readahead (vm.mmap_readahead = "linux") ----------------------------------------- */

static unsigned ilog2_u64(uint64_t n)
{
	return 63u - (unsigned)__builtin_clzll(n);
}

/*
 * page_cache_ra_order: read the window [ra->start, + ra->size) in folios of order ra->order
 * (at most vm.file_folio_max_pages' order and the window's ilog2; each folio lowered to the
 * alignment of its index and to fit before the window's or the file's end); the folio holding
 * start + size - async_size gets PG_readahead unless the window reaches the end of the file.
 * A folio that would cover a cached page (Linux's -EEXIST) ends the large folios: the rest is
 * read page by page around what is cached (do_page_cache_ra). Returns the pages read.
 */
static uint64_t ra_read_order(struct vm *vm, struct mm_struct *mm, uint32_t file,
                              uint64_t fault_index, uint64_t next_use)
{
	struct address_space *as = &vm->fm.files[file];
	struct file_ra_state *ra = &as->ra;
	if (!as->nr_pages || ra->start >= as->nr_pages || !ra->size)
		return 0;
	uint64_t limit = as->nr_pages - 1, mark = UINT64_MAX, n = 0, index = ra->start;
	if (limit > ra->start + ra->size - 1) {
		limit = ra->start + ra->size - 1;
		mark = ra->start + ra->size - ra->async_size;
	}
	unsigned max = (unsigned)__builtin_ctz(MAX(vm->cfg.file_folio_max_pages, 1u));
	ra->order = MIN(MIN(ra->order, max), ilog2_u64(ra->size));
	for (bool large = true; index <= limit;) {
		unsigned o = large ? ra->order : 0;
		if (index & ((1ull << o) - 1))
			o = (unsigned)__builtin_ctzll(index);
		while (o && index + (1ull << o) - 1 > limit)
			o--;
		uint64_t i = index;
		while (i < index + (1ull << o) && filemap_entry(&vm->fm, file, i) == PFN_NONE)
			i++;
		if (i < index + (1ull << o)) { /* a cached page in the way */
			if (!large || !o)
				index++;
			large = false;
			continue;
		}
		bool marked = mark != UINT64_MAX && index == (mark & ~((1ull << o) - 1));
		if (page_cache_ra_folio(vm, mm, file, index, o, marked, fault_index, next_use) < 0)
			break;
		n += 1ull << o;
		index += 1ull << o;
	}
	return n;
}

static void count_readahead(struct vm *vm, uint64_t n)
{
	vm->cur->readahead_pages += (uint32_t)n;
	vm->st.readahead_pages += n;
}

pfn_t mmap_sync_ra(struct vm *vm, struct mm_struct *mm, const struct vm_area_struct *vma,
                   uint64_t index, uint64_t next_use)
{
	uint32_t file = vma->vm_file - 1;
	struct file_ra_state *ra = &vm->fm.files[file].ra;
	uint64_t max = vm->cfg.readahead_pages;
	if ((vma->vm_flags & VM_RAND_READ) || !max)
		return PFN_NONE;
	if (vma->vm_flags & VM_SEQ_READ) {
		/* page_cache_sync_ra of ra_pages: the initial window from the miss (the
		 * page-cache history of a miss elsewhere, page_cache_prev_miss, is not looked
		 * at: a new window each time) */
		ra->start = index;
		ra->size = init_ra_size(max, max);
		ra->async_size = ra->size >> 1;
	} else { /* mmap read-around (mmap_miss, which stops it after 100 misses: not modelled) */
		ra->start = index > max / 2 ? index - max / 2 : 0;
		ra->size = max;
		ra->async_size = max / 4;
	}
	ra->order = 0;
	uint64_t n = ra_read_order(vm, mm, file, index, next_use);
	pfn_t pfn = filemap_lookup(&vm->fm, file, index);
	count_readahead(vm, n - (n && pfn != PFN_NONE));
	return pfn;
}

/* page_cache_next_miss: the first uncached page after index, within max (UINT64_MAX: none). */
static uint64_t next_miss(const struct vm *vm, uint32_t file, uint64_t index, uint64_t max)
{
	for (uint64_t i = index + 1; i <= index + max; i++)
		if (filemap_entry(&vm->fm, file, i) == PFN_NONE)
			return i;
	return UINT64_MAX;
}

void mmap_async_ra(struct vm *vm, struct mm_struct *mm, const struct vm_area_struct *vma,
                   pfn_t pfn)
{
	const struct page *pg = &vm->pages[pfn];
	uint32_t file = pg->mapping;
	struct file_ra_state *ra = &vm->fm.files[file].ra;
	uint64_t max = vm->cfg.readahead_pages, nr = 1ull << pg->folio_order;
	uint64_t first = pg->index & ~(nr - 1);
	for (uint64_t i = first; i < first + nr; i++) { /* folio_clear_readahead */
		pfn_t q = filemap_lookup(&vm->fm, file, i);
		if (q != PFN_NONE)
			vm->pages[q].flags &= ~PG_READAHEAD;
	}
	if ((vma->vm_flags & VM_RAND_READ) || !max || (pg->flags & PG_WRITEBACK))
		return;
	uint64_t expected = (ra->start + ra->size - ra->async_size) & ~(nr - 1);
	if (pg->index == expected) { /* the expected mark: push the window forward */
		ra->start += ra->size;
		ra->size = MAX(ra->size, next_ra_size(ra->size, max));
	} else { /* a mark without its state (another reader): from the next hole */
		uint64_t start = next_miss(vm, file, pg->index, max);
		if (start == UINT64_MAX)
			return;
		ra->start = start;
		ra->size = next_ra_size(start - pg->index + max, max);
	}
	ra->order += 2;
	uint64_t align = 1ull << MIN(ra->order, (unsigned)__builtin_ctzll(max));
	uint64_t end = ra->start + ra->size, aligned_end = end & ~(align - 1);
	if (aligned_end > ra->start)
		ra->size -= end - aligned_end;
	ra->async_size = ra->size;
	count_readahead(vm, ra_read_order(vm, mm, file, UINT64_MAX, NEXT_USE_NEVER));
}
