/*
 * task_mmu.c — what an address space holds, as Linux reports it to the process itself
 * (fs/proc/task_mmu.c: /proc/PID/status's RssAnon, RssFile + RssShmem, VmLck and VmSwap;
 * /proc/PID/pagemap with /proc/kpageflags page by page): one walk of the page table, read only.
 *
 * Modelled, per mapped page (a 2 MiB leaf counts its 512 pages):
 *   mapped    a present PTE (pagemap's "present" bit);
 *   zero      the zero page or the huge zero page (kpageflags ZERO_PAGE);
 *   file      a page-cache or shmem page, including shared anonymous memory (pagemap's
 *             "file-page or shared-anon" bit; RssFile + RssShmem);
 *   anon      any other present page: private anonymous, and the private copies of file pages
 *             (RssAnon);
 *   thp       a page of a 2 MiB folio, PMD- or PTE-mapped, and the huge zero page (kpageflags
 *             THP, which Linux 6.18 also sets for smaller large folios: mTHP and large
 *             page-cache folios are not counted here);
 *   large_folio  a page of a folio of more than one page: 2 MiB, mTHP, or a large page-cache
 *             folio (kpageflags COMPOUND_HEAD or COMPOUND_TAIL);
 *   mlocked   a page whose folio is PG_mlocked (kpageflags MLOCKED);
 * and locked_vm, the pages of VM_LOCKED VMAs (VmLck), and swap, the swap entries (VmSwap); each
 * per VMA (as smaps lists them) and summed over the address space.
 * Not modelled: page-table pages (VmPTE), Linux's per-CPU batching of the rss counters (the walk
 * is exact), PSS and the other sharing-weighted figures of smaps.
 */
#include "models/vm/internal.h"

struct footprint_walk {
	const struct vm *vm;
	struct mm_footprint *f;
};

static void footprint_pte(void *ctx, uint64_t vaddr, pte_t *ptep)
{
	(void)vaddr;
	struct footprint_walk *fw = ctx;
	struct mm_footprint *f = fw->f;
	pte_t pte = *ptep;
	if (pte_is_swap(pte)) {
		f->swap_pages++;
		return;
	}
	if (!pte_present(pte))
		return;
	uint64_t n = pte_huge(pte) ? HPAGE_NR : 1;
	f->mapped_pages += n;
	if (pte & PTE_ZERO) {
		f->zero_pages += n;
		if (pte_huge(pte))
			f->thp_pages += n;
		return;
	}
	pfn_t pfn = (pfn_t)pte_pfn(pte);
	const struct page *pg = &fw->vm->pages[pfn];
	if (pg->flags & PG_FILE)
		f->file_pages += n;
	else
		f->anon_pages += n;
	const struct page *head = pg;
	if (pg->flags & (PG_HUGE | PG_TAIL)) {
		f->thp_pages += n;
		f->large_folio_pages += n;
		head = &fw->vm->pages[pfn & ~(pfn_t)(HPAGE_NR - 1)];
	} else if (pg->folio_order) {
		f->large_folio_pages += n;
	}
	if (head->flags & PG_MLOCKED)
		f->mlocked_pages += n;
}

static void footprint_add(struct mm_footprint *sum, const struct mm_footprint *f)
{
	sum->mapped_pages += f->mapped_pages;
	sum->anon_pages += f->anon_pages;
	sum->file_pages += f->file_pages;
	sum->zero_pages += f->zero_pages;
	sum->thp_pages += f->thp_pages;
	sum->large_folio_pages += f->large_folio_pages;
	sum->mlocked_pages += f->mlocked_pages;
	sum->locked_vm_pages += f->locked_vm_pages;
	sum->swap_pages += f->swap_pages;
}

void vm_mm_footprint(const struct vm *vm, struct mm_struct *mm, struct mm_footprint_report *r)
{
	*r = (struct mm_footprint_report){.nr_vmas = mm->nr_vmas};
	r->vmas = xcalloc(mm->nr_vmas ? mm->nr_vmas : 1, sizeof(*r->vmas));
	for (uint32_t i = 0; i < mm->nr_vmas; i++) {
		const struct vm_area_struct *v = &mm->vmas[i];
		struct vma_footprint *vf = &r->vmas[i];
		vf->start = v->vm_start;
		vf->end = v->vm_end;
		vf->vm_flags = v->vm_flags;
		if (v->vm_flags & VM_LOCKED)
			vf->f.locked_vm_pages = (v->vm_end - v->vm_start) >> PTE_SHIFT;
		struct footprint_walk fw = {.vm = vm, .f = &vf->f};
		pgtable_for_each(&mm->pgd, v->vm_start, v->vm_end, footprint_pte, &fw);
		footprint_add(&r->total, &vf->f);
	}
}

void vm_mm_footprint_free(struct mm_footprint_report *r)
{
	free(r->vmas);
	r->vmas = NULL;
	r->nr_vmas = 0;
}
