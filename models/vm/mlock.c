/*
 * mlock.c — mlock, mlock2(MLOCK_ONFAULT), munlock, mlockall and munlockall (Linux's
 * mm/mlock.c): VMAs flagged VM_LOCKED (VM_LOCKONFAULT: populated by faults only), their pages
 * mlocked (PG_MLOCKED) and kept on the unevictable list: off the replacement policy, so that no
 * policy can choose them, and back on it when no VM_LOCKED VMA maps them any more.
 *
 * A page is mlocked exactly while some PTE in a VM_LOCKED VMA maps it: a new mapping in such a
 * VMA mlocks it (rmap_add, as Linux's folio_add_*_rmap / folio_add_lru_vma), the removal of a
 * mapping looks at the page's other mappings (rmap_remove; Linux counts them in mlock_count,
 * which can drift, this walk cannot). The zero page is never mlocked; a 2 MiB page is mlocked
 * whole when a PMD in a locked VMA maps it, not when 4 KiB PTEs map its frames (Linux mlocks
 * PTE-mapped large folios only when they lie whole in the VMA: not modelled).
 *
 * Population (mm_populate after mlock, mlockall(MCL_CURRENT), and a new mapping under
 * MCL_FUTURE) is the engine's: it faults the parts vm_mlock_populate_next names, write faults
 * in private writable mappings. Not modelled: RLIMIT_MEMLOCK (the probes run as root),
 * VM_SPECIAL mappings, the populate of mprotect(PROT_WRITE) on a locked private mapping, and
 * the EINVAL of MADV_DONTNEED/FREE/COLD/PAGEOUT on locked VMAs (DONTNEED zaps them here;
 * PAGEOUT leaves their pages, which are not on a policy).
 */
#include "models/vm/internal.h"

#include "models/vm/vma.h"

/* The scope lru_add would give pfn when mm maps it (NULL: the machine's). */
static struct reclaim_scope *lru_scope(struct vm *vm, struct mm_struct *mm, const struct page *pg)
{
	return pg->memcg ? &vm->memcgs[pg->memcg].scope : reclaim_scope_of(vm, mm);
}

static uint64_t page_frames(const struct page *pg)
{
	return (pg->flags & PG_HUGE) ? HPAGE_NR : 1;
}

void mlock_page(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	if (pg->flags & PG_MLOCKED)
		return;
	lru_del(vm, pfn);
	pg->flags |= PG_MLOCKED;
	vm->nr_mlocked += page_frames(pg);
	vm->st.pgs_mlocked += page_frames(pg);
	if (vm->nr_mlocked > vm->st.mlocked_pages_max)
		vm->st.mlocked_pages_max = vm->nr_mlocked;
}

/* The VMA of mm at vaddr, if it is VM_LOCKED. */
static bool vaddr_locked(struct mm_struct *mm, uint64_t vaddr)
{
	if (!mm->mlock_seen)
		return false;
	const struct vm_area_struct *v = find_vma(mm, vaddr);
	return v && (v->vm_flags & VM_LOCKED);
}

void mlock_new_mapping(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr)
{
	if (vaddr_locked(mm, vaddr))
		mlock_page(vm, pfn);
}

/* Does a PTE (not a 4 KiB PTE of a huge page's frame) in a VM_LOCKED VMA map pfn? */
static bool page_locked_by_a_vma(struct vm *vm, pfn_t pfn)
{
	for (uint32_t r = vm->pages[pfn].rmap; r; r = vm->rmap_pool[r].next) {
		const struct rmap_item *it = &vm->rmap_pool[r];
		if (!it->subpage && vaddr_locked(it->mm, it->vaddr))
			return true;
	}
	return false;
}

/* munlock_folio: pfn leaves the unevictable list for the policy of its first mapper (none:
 * the machine's scope). */
static void munlock_page(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	pg->flags &= ~PG_MLOCKED;
	vm->nr_mlocked -= page_frames(pg);
	vm->st.pgs_munlocked += page_frames(pg);
	lru_add(vm, pg->rmap ? vm->rmap_pool[pg->rmap].mm : NULL, pfn, NEXT_USE_NEVER);
}

void munlock_vma_page(struct vm *vm, pfn_t pfn)
{
	if (!page_locked_by_a_vma(vm, pfn))
		munlock_page(vm, pfn);
}

void munlock_for_split(struct vm *vm, pfn_t head)
{
	struct page *hp = &vm->pages[head];
	hp->flags &= ~PG_MLOCKED;
	vm->nr_mlocked -= HPAGE_NR;
	hp->scope = lru_scope(vm, hp->rmap ? vm->rmap_pool[hp->rmap].mm : NULL, hp);
}

/* ---- the system calls ------------------------------------------------------------------- */

struct mlock_walk {
	struct vm *vm;
	bool lock;
};

/* The page a present PTE maps as a whole (a 4 KiB page, or a huge page by its PMD), or
 * PFN_NONE (the zero page, a 4 KiB PTE of a huge page's frame). */
static pfn_t pte_whole_page(const struct vm *vm, pte_t pte)
{
	if (!pte_present(pte) || (pte & PTE_ZERO))
		return PFN_NONE;
	pfn_t pfn = (pfn_t)pte_pfn(pte);
	if (!(pte & PTE_HUGE) && (vm->pages[pfn].flags & (PG_HUGE | PG_TAIL)))
		return PFN_NONE;
	return pfn;
}

static void mlock_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	(void)vaddr;
	struct mlock_walk *m = ctx;
	pfn_t pfn = pte_whole_page(m->vm, *p);
	if (pfn == PFN_NONE)
		return;
	if (m->lock)
		mlock_page(m->vm, pfn);
	else if (m->vm->pages[pfn].flags & PG_MLOCKED)
		munlock_vma_page(m->vm, pfn);
}

/* mlock_fixup of [start, end) (mapped): the VMA parts' lock flags become flags, and the pages
 * mapped there now follow (mlock_vma_pages_range). */
static void mlock_fixup(struct vm *vm, struct mm_struct *mm, uint64_t start, uint64_t end,
                        uint32_t flags)
{
	if (flags & VM_LOCKED)
		mm->mlock_seen = true;
	mm_set_flags_range(mm, start, end, VM_LOCKED | VM_LOCKONFAULT, flags);
	struct mlock_walk m = {.vm = vm, .lock = (flags & VM_LOCKED) != 0};
	pgtable_for_each(&mm->pgd, start, end, mlock_pte, &m);
}

int vm_mlock(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len, uint32_t flags)
{
	uint64_t ps = vm->cfg.page_size;
	uint64_t end = (addr + len + ps - 1) & ~(ps - 1);
	addr &= ~(ps - 1);
	if (vm_check_range(vm, addr, end - addr) || !mm_range_mapped(mm, addr, end))
		return -1;
	mlock_fixup(vm, mm, addr, end, VM_LOCKED | (flags & VM_LOCKONFAULT));
	return 0;
}

int vm_munlock(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len)
{
	uint64_t ps = vm->cfg.page_size;
	uint64_t end = (addr + len + ps - 1) & ~(ps - 1);
	addr &= ~(ps - 1);
	if (vm_check_range(vm, addr, end - addr) || !mm_range_mapped(mm, addr, end))
		return -1;
	mlock_fixup(vm, mm, addr, end, 0);
	return 0;
}

int vm_mlockall(struct vm *vm, struct mm_struct *mm, unsigned mcl)
{
	if (mcl & ~(unsigned)(VM_MCL_CURRENT | VM_MCL_FUTURE | VM_MCL_ONFAULT) ||
	    mcl == VM_MCL_ONFAULT)
		return -1; /* EINVAL */
	uint32_t onfault = (mcl & VM_MCL_ONFAULT) ? VM_LOCKONFAULT : 0;
	mm->def_flags &= ~(uint32_t)(VM_LOCKED | VM_LOCKONFAULT);
	if (mcl & VM_MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED | onfault;
		mm->mlock_seen = true;
		if (!(mcl & VM_MCL_CURRENT))
			return 0;
	}
	uint32_t to = (mcl & VM_MCL_CURRENT) ? VM_LOCKED | onfault : 0;
	/* (mlock_fixup edits only flags: the VMA array keeps its size while it is walked) */
	for (uint32_t i = 0; i < mm->nr_vmas; i++)
		mlock_fixup(vm, mm, mm->vmas[i].vm_start, mm->vmas[i].vm_end, to);
	return 0;
}

bool vm_mlock_populate_next(struct mm_struct *mm, uint64_t *addr, uint64_t end, uint64_t *part_end,
                            enum access_kind *kind)
{
	for (uint32_t i = 0; i < mm->nr_vmas && *addr < end; i++) {
		const struct vm_area_struct *v = &mm->vmas[i];
		if (v->vm_end <= *addr)
			continue;
		if ((v->vm_flags & (VM_LOCKED | VM_LOCKONFAULT)) != VM_LOCKED ||
		    !(v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC))) {
			*addr = MIN(v->vm_end, end);
			continue;
		}
		*addr = MAX(*addr, v->vm_start);
		if (*addr >= end)
			return false;
		*part_end = MIN(v->vm_end, end);
		*kind = (v->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE ? ACCESS_WRITE : ACCESS_READ;
		return true;
	}
	return false;
}

uint64_t vm_mm_locked_pages(const struct mm_struct *mm)
{
	uint64_t bytes = 0;
	for (uint32_t i = 0; i < mm->nr_vmas; i++)
		if (mm->vmas[i].vm_flags & VM_LOCKED)
			bytes += mm->vmas[i].vm_end - mm->vmas[i].vm_start;
	return bytes >> PTE_SHIFT;
}
