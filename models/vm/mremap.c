/*
 * mremap.c — mremap(2) (Linux's mm/mremap.c): shrink in place (the tail is unmapped), grow in
 * place when the range after the VMA is free (vma_expand), else move with MREMAP_MAYMOVE to a
 * free range found top-down below mmap_base (or to NEW with MREMAP_FIXED, whatever was mapped
 * there unmapped first). A move carries the page-table entries, not the data
 * (move_page_tables): present PTEs, swap entries and zero-page PTEs go to the new address with
 * their bits and reverse-map items, so no page faults again; 2 MiB PMDs move whole when source
 * and destination are congruent modulo 2 MiB, else they are split in this address space first.
 * MREMAP_DONTUNMAP leaves the old VMA in place, empty (its next touches are demand faults).
 * The error checks are Linux's, in its order (EINVAL for bad flags and alignment, EFAULT when
 * the old range is not inside one VMA, ENOMEM when it cannot grow and may not move).
 * Not modelled: old_len 0 (a second mapping of a shared object: rejected as unsupported),
 * VM_DONTEXPAND/VM_PFNMAP mappings (none exist here), RLIMIT_AS/RLIMIT_MEMLOCK, merging the
 * moved VMA with its neighbours (no effect on fault counts).
 */
#include "models/vm/internal.h"

#include <errno.h>
#include <stdlib.h>

#include "models/vm/vma.h"

/* Where top-down placement starts: Linux's mmap_base without randomisation, TASK_SIZE (47-bit
 * user space minus a page) less the minimum gap of 128 MiB left for the stack. */
#define MMAP_BASE ((1ull << 47) - 4096 - (128ull << 20))
/* The lowest address mmap may pick (vm.mmap_min_addr's default, 64 KiB). */
#define MMAP_MIN_ADDR 0x10000ull

uint64_t vm_unmapped_area_topdown(struct mm_struct *mm, uint64_t len)
{
	for (int64_t i = (int64_t)mm->nr_vmas - 1; i >= -1; i--) {
		uint64_t gap_start = i >= 0 ? mm->vmas[i].vm_end : MMAP_MIN_ADDR;
		uint64_t gap_end = MMAP_BASE;
		if ((uint64_t)(i + 1) < mm->nr_vmas) { /* vm_start_gap: a stack's guard gap */
			const struct vm_area_struct *next = &mm->vmas[i + 1];
			uint64_t guard = (next->vm_flags & VM_GROWSDOWN)
			                     ? (uint64_t)VM_STACK_GUARD_GAP_PAGES << PTE_SHIFT
			                     : 0;
			gap_end = next->vm_start > guard ? next->vm_start - guard : 0;
		}
		gap_end = MIN(gap_end, MMAP_BASE);
		if (gap_end > gap_start && gap_end - gap_start >= len)
			return gap_end - len;
	}
	return 0;
}

struct pte_move {
	uint64_t vaddr;
	pte_t pte;
};
struct move_ctx {
	struct pte_move *e;
	size_t n, cap;
};

static void collect_pte(void *ctx, uint64_t vaddr, pte_t *ptep)
{
	struct move_ctx *c = ctx;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 256;
		c->e = xrealloc(c->e, c->cap * sizeof(*c->e));
	}
	c->e[c->n++] = (struct pte_move){vaddr, *ptep};
}

/* The reverse-map item of pfn for mm at old now names new (the PTE moved). */
static void rmap_move(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t old, uint64_t new)
{
	for (uint32_t r = vm->pages[pfn].rmap; r; r = vm->rmap_pool[r].next) {
		struct rmap_item *it = &vm->rmap_pool[r];
		if (it->mm == mm && it->vaddr == old) {
			it->vaddr = new;
			return;
		}
	}
	BUG_ON(1, "no rmap item for frame %u at %llx", pfn, (unsigned long long)old);
}

/* move_page_tables: every entry of [old, old + len) to the same offset from new. */
static void move_page_tables(struct vm *vm, struct mm_struct *mm, uint64_t old, uint64_t new,
                             uint64_t len)
{
	split_huge_pmd_edges(vm, mm, old, old + len);
	struct move_ctx c = {0};
	pgtable_for_each(&mm->pgd, old, old + len, collect_pte, &c);
	bool congruent = ((new - old) & (HPAGE_SIZE - 1)) == 0;
	for (size_t i = 0; i < c.n; i++) {
		uint64_t va = c.e[i].vaddr;
		pte_t pte = c.e[i].pte;
		if (pte_huge(pte) && !congruent) {
			__split_huge_pmd(vm, mm, va); /* its 512 PTEs are moved below */
			pgtable_for_each(&mm->pgd, va, va + HPAGE_SIZE, collect_pte, &c);
			continue;
		}
		pte_t *p = pgtable_lookup(&mm->pgd, va);
		pgtable_set(&mm->pgd, va, p, 0);
		uint64_t dst = va - old + new;
		pte_t *q = pte_huge(pte) ? pgtable_alloc_pmd(&mm->pgd, dst)
		                         : pgtable_alloc_pte(&mm->pgd, dst);
		pgtable_set(&mm->pgd, dst, q, pte);
		if (!pte_present(pte))
			continue;
		flush_tlb_page(vm, mm, va);
		if (!(pte & PTE_ZERO))
			rmap_move(vm, (pfn_t)pte_pfn(pte), mm, va, dst);
	}
	free(c.e);
	pgtable_free_empty(&mm->pgd, old, old + len);
}

/* Whatever was mapped in [addr, addr + len) goes (do_vmi_munmap). */
static void munmap_range(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len)
{
	zap_page_range(vm, mm, addr, addr + len, true);
	mm_remove_range(mm, addr, addr + len);
}

/* move_vma: [addr, addr + old_len) of vma moves to new_addr as a VMA of new_len bytes. */
static void move_vma(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t addr,
                     uint64_t old_len, uint64_t new_addr, uint64_t new_len, bool dontunmap)
{
	struct vm_area_struct v = *vma;
	if (v.vm_file)
		v.vm_pgoff += (addr - v.vm_start) >> PTE_SHIFT;
	v.vm_start = new_addr;
	v.vm_end = new_addr + new_len;
	v.vm_ra_next = UINT64_MAX;
	mm_insert_vma(mm, v); /* vma may move in the array: not used below */
	move_page_tables(vm, mm, addr, new_addr, old_len);
	if (!dontunmap)
		munmap_range(vm, mm, addr, old_len);
}

/* vma_to_resize: the VMA holding all of [addr, addr + old_len), or NULL (EFAULT). */
static struct vm_area_struct *vma_to_resize(struct mm_struct *mm, uint64_t addr, uint64_t old_len)
{
	struct vm_area_struct *v = find_vma(mm, addr);
	if (!v || old_len > v->vm_end - addr)
		return NULL;
	return v;
}

/* mremap_to: MREMAP_FIXED. */
static int64_t mremap_to(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t old_len,
                         uint64_t new_len, uint64_t new_addr, bool dontunmap, bool dry)
{
	uint64_t ps = vm->cfg.page_size;
	if ((new_addr & (ps - 1)) || vm_check_range(vm, new_addr, new_len))
		return -EINVAL;
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL; /* the ranges overlap */
	if (!dry)
		munmap_range(vm, mm, new_addr, new_len);
	if (old_len > new_len) {
		if (!dry)
			munmap_range(vm, mm, addr + new_len, old_len - new_len);
		old_len = new_len;
	}
	struct vm_area_struct *v = vma_to_resize(mm, addr, old_len);
	if (!v)
		return -EFAULT;
	if (!dry)
		move_vma(vm, mm, v, addr, old_len, new_addr, new_len, dontunmap);
	return (int64_t)new_addr;
}

/* Is [start, end) free and inside the address space (vma_expandable)? */
static bool range_free(struct vm *vm, struct mm_struct *mm, uint64_t start, uint64_t end)
{
	if (vm_check_range(vm, start, end - start) || end > (1ull << 47) - 4096)
		return false;
	for (uint32_t i = 0; i < mm->nr_vmas; i++)
		if (mm->vmas[i].vm_start < end && mm->vmas[i].vm_end > start)
			return false;
	return true;
}

/* mremap; dry: only the result, nothing changed. */
static int64_t do_mremap(struct vm *vm, struct mm_struct *mm, const struct mremap_args *a, bool dry)
{
	uint64_t ps = vm->cfg.page_size;
	uint64_t addr = a->addr, old_len = (a->old_len + ps - 1) & ~(ps - 1);
	uint64_t new_len = (a->new_len + ps - 1) & ~(ps - 1);
	unsigned f = a->flags;
	if ((f & ~(MREMAP_F_MAYMOVE | MREMAP_F_FIXED | MREMAP_F_DONTUNMAP)) || (addr & (ps - 1)))
		return -EINVAL;
	if ((f & (MREMAP_F_FIXED | MREMAP_F_DONTUNMAP)) && !(f & MREMAP_F_MAYMOVE))
		return -EINVAL;
	if ((f & MREMAP_F_DONTUNMAP) && old_len != new_len)
		return -EINVAL;
	if (!new_len || vm_check_range(vm, addr, old_len ? old_len : ps))
		return -EINVAL;
	if (!old_len)
		return VM_MREMAP_UNSUPPORTED;
	if (f & MREMAP_F_FIXED)
		return mremap_to(vm, mm, addr, old_len, new_len, a->new_addr,
		                 f & MREMAP_F_DONTUNMAP, dry);
	struct vm_area_struct *v = find_vma(mm, addr);
	if (!v)
		return -EFAULT;
	if (old_len >= new_len && !(f & MREMAP_F_DONTUNMAP)) {
		if (old_len > new_len && !dry)
			munmap_range(vm, mm, addr + new_len, old_len - new_len);
		return (int64_t)addr;
	}
	v = vma_to_resize(mm, addr, old_len);
	if (!v)
		return -EFAULT;
	if (!(f & MREMAP_F_DONTUNMAP) && old_len == v->vm_end - addr &&
	    range_free(vm, mm, v->vm_end, addr + new_len)) {
		if (!dry)
			v->vm_end = addr + new_len; /* vma_expand */
		return (int64_t)addr;
	}
	if (!(f & MREMAP_F_MAYMOVE))
		return -ENOMEM;
	uint64_t to = a->place_at;
	if (!to || !range_free(vm, mm, to, to + new_len))
		to = vm_unmapped_area_topdown(mm, new_len);
	if (!to)
		return -ENOMEM;
	if (!dry)
		move_vma(vm, mm, v, addr, old_len, to, new_len, f & MREMAP_F_DONTUNMAP);
	return (int64_t)to;
}

int64_t vm_mremap(struct vm *vm, struct mm_struct *mm, const struct mremap_args *a,
                  struct fault_work *w)
{
	vm->cur = w;
	int64_t ret = do_mremap(vm, mm, a, false);
	vm->cur = NULL;
	shmem_release_unmapped(vm);
	return ret;
}

int64_t vm_mremap_check(struct vm *vm, struct mm_struct *mm, const struct mremap_args *a)
{
	return do_mremap(vm, mm, a, true);
}
