/*
 * msync.c — msync(2) with MS_SYNC (Linux's mm/msync.c): every dirty page-cache page that a
 * shared file mapping of the range maps is cleaned in every PTE that maps it (page_mkclean,
 * which invalidates their TLB entries so the next write sets the dirty bit again) and written
 * back to the file device; the caller waits for the writes (pagecache.msync_writeback).
 */
#include "models/vm/internal.h"

#include "models/vm/vma.h"

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
	if (!(pg->flags & PG_FILE) || page_is_shmem(vm, pg))
		return; /* shmem has no backing file to write to */
	bool dirty = page_mkclean(vm, pfn);
	if (!dirty && !(pg->flags & PG_DIRTY))
		return;
	folio_clear_dirty(vm, pfn);
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
