/*
 * fork.c — address spaces are born and die here (Linux's kernel/fork.c): mm_alloc (an empty
 * address space with its page table and, with local scope, its own policy instance), mmput
 * (exit: every page released, the TLB entries flushed by asid rather than one by one, the
 * pages its scope still holds handed to their other users' scopes) and dup_mmap (fork).
 *
 * fork copies every VMA; for private memory it copies the present PTEs write-protected on
 * both sides (the next write is a COW fault), old in the child (copy_present_pte), and the swap
 * entries (one more holder of each slot). Page-cache pages of a file mapping are not copied:
 * the child faults them in from the page cache; shared file mappings, and shared anonymous
 * ones (shmem objects, shmem.c), are skipped entirely. A VMA marked VM_DONTCOPY
 * (MADV_DONTFORK) is not copied, one marked VM_WIPEONFORK is copied without its pages. An address
 * space's death may end the anonymous shmem objects it was the last to map.
 */
#include "models/vm/internal.h"

#include <stdlib.h>

#include "models/vm/vma.h"

struct mm_struct *vm_mm_create(struct vm *vm, uint32_t pid)
{
	struct mm_struct *mm = xcalloc(1, sizeof(*mm));
	mm->pid = pid;
	mm->asid = vm->next_asid++;
	mm->last_vma = UINT32_MAX;
	pgtable_init(&mm->pgd, vm->cfg.pt_levels, pte_alloc_paddr, pte_free_paddr, vm,
	             &vm->pt_arena);
	if (vm->cfg.local_scope) {
		reclaim_scope_init(vm, &mm->scope, mm);
		BUG_ON(!mm->scope.policy, "policy %s refused a local instance",
		       vm->cfg.policy->name);
	}
	/* Append to the list of live address spaces (oldest first). */
	mm->mm_prev = vm->mm_tail;
	if (vm->mm_tail)
		vm->mm_tail->mm_next = mm;
	else
		vm->mm_list = mm;
	vm->mm_tail = mm;
	return mm;
}

void vm_mm_destroy(struct vm *vm, struct mm_struct *mm, struct fault_work *w)
{
	if (vm->alloc_mm == mm)
		vm->alloc_mm = NULL;
	vm->cur = w;
	/* The address space dies: its TLB entries are flushed by asid, not one by one. */
	zap_page_range(vm, mm, 0, UINT64_MAX >> 7, false);
	vm->cur = NULL;
	BUG_ON(mm->rss_pages || mm->swap_ents, "pages left after exit of pid %u", mm->pid);
	if (mm->mm_prev)
		mm->mm_prev->mm_next = mm->mm_next;
	else
		vm->mm_list = mm->mm_next;
	if (mm->mm_next)
		mm->mm_next->mm_prev = mm->mm_prev;
	else
		vm->mm_tail = mm->mm_prev;
	if (vm->cfg.local_scope) {
		reclaim_mm_exit(vm, mm);
		reclaim_scope_fini(vm, &mm->scope);
	}
	pgtable_fini(&mm->pgd);
	free(mm->vmas);
	free(mm);
	shmem_release_unmapped(vm);
}

struct fork_ctx {
	struct vm *vm;
	struct mm_struct *parent, *child;
	bool shared;
};

/* copy_pte_range for one entry of the parent. */
static void fork_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct fork_ctx *c = ctx;
	pte_t pte = *p;
	/* Page-cache pages are not copied: the child faults them in from the page cache. The
	 * anonymous (COWed) pages of a private file mapping are copied like anonymous memory. */
	if (pte_present(pte) && !(pte & PTE_ZERO) && (c->vm->pages[pte_pfn(pte)].flags & PG_FILE))
		return;
	pte_t *cp = pte_huge(pte) ? pgtable_alloc_pmd(&c->child->pgd, vaddr)
	                          : pgtable_alloc_pte(&c->child->pgd, vaddr);
	if (c->vm->cur)
		c->vm->cur->ptes_copied++;
	if (pte_is_swap(pte)) {
		c->vm->swap[pte_swap_slot(pte)].map++;
		c->child->swap_ents++;
		pgtable_set(&c->child->pgd, vaddr, cp, pte);
		return;
	}
	if (!pte_present(pte))
		return;
	if (pte & PTE_ZERO) {
		pgtable_set(&c->child->pgd, vaddr, cp, pte & ~PTE_ACCESSED);
		return;
	}
	if (!c->shared && (pte & PTE_WRITE)) {
		/* Both sides lose write access: the next write is a COW fault. */
		*p &= ~PTE_WRITE;
		flush_tlb_page(c->vm, c->parent, vaddr);
		pte &= ~PTE_WRITE;
	}
	pte &= ~PTE_ACCESSED; /* copy_present_pte makes the child's PTE old */
	pgtable_set(&c->child->pgd, vaddr, cp, pte);
	pfn_t pfn = (pfn_t)pte_pfn(pte);
	if (!pte_huge(pte) && (c->vm->pages[pfn].flags & (PG_HUGE | PG_TAIL)))
		rmap_add_subpage(c->vm, pfn, c->child, vaddr);
	else
		rmap_add(c->vm, pfn, c->child, vaddr);
}

struct mm_struct *vm_fork(struct vm *vm, struct mm_struct *parent, uint32_t child_pid,
                          struct fault_work *w)
{
	struct mm_struct *child = vm_mm_create(vm, child_pid);
	child->mempolicy = parent->mempolicy; /* the task's policy is inherited */
	child->start_brk = parent->start_brk;
	child->brk = parent->brk;
	vm->cur = w;
	for (uint32_t i = 0; i < parent->nr_vmas; i++) {
		struct vm_area_struct *v = &parent->vmas[i];
		if (v->vm_flags & VM_DONTCOPY)
			continue; /* MADV_DONTFORK: not in the child */
		struct vm_area_struct cv = *v;
		cv.vm_flags &= ~(uint32_t)(VM_LOCKED | VM_LOCKONFAULT); /* locks are not inherited */
		mm_insert_vma(child, cv);
		if ((v->vm_file && (v->vm_flags & VM_SHARED)) || (v->vm_flags & VM_WIPEONFORK))
			continue; /* only page-cache pages, or wiped: nothing to copy */
		struct fork_ctx c = {.vm = vm,
		                     .parent = parent,
		                     .child = child,
		                     .shared = (v->vm_flags & VM_SHARED) != 0};
		pgtable_for_each(&parent->pgd, v->vm_start, v->vm_end, fork_pte, &c);
	}
	vm->cur = NULL;
	return child;
}
