/*
 * mmap.c — mmap(2) and munmap(2) at fixed addresses (Linux's mm/mmap.c): the range is checked
 * (page aligned, inside the address space), whatever was mapped there is zapped (its pages
 * unmapped, TLB entries invalidated, 2 MiB pages split at the edges) and the VMAs are edited
 * (vma.c). Anonymous mappings are private, or shared: the mapping of a new anonymous shmem
 * object (shmem.c), which dies with its last VMA; file mappings name a declared file and a
 * page-aligned offset into it.
 * vm_do_mmap is do_mmap for the rest: no MAP_FIXED (get_unmapped_area: a free hint, else
 * top-down below mmap_base with THP alignment of 2 MiB multiples), MAP_FIXED_NOREPLACE,
 * MAP_GROWSDOWN; brk (vm_brk) and the stack's growth on faults (expand_stack) are here too, as
 * in Linux. Not modelled: commit accounting (overcommit: MAP_NORESERVE has nothing to skip),
 * RLIMIT_DATA / RLIMIT_AS, the filesystem's THP alignment of file mappings, ASLR.
 * A new mapping takes the address space's def_flags (mlockall's MCL_FUTURE: VM_LOCKED, whose
 * pages the engine then populates unless VM_LOCKONFAULT).
 */
#include "models/vm/internal.h"

#include <errno.h>

#include "models/vm/vma.h"

int vm_check_range(struct vm *vm, uint64_t addr, uint64_t len)
{
	uint64_t ps = vm->cfg.page_size;
	if (len == 0 || (addr & (ps - 1)) || addr + len < addr ||
	    addr + len > (1ull << (PTE_SHIFT + PT_BITS * vm->cfg.pt_levels)))
		return -1;
	return 0;
}

/* Whatever was mapped in [addr, addr + len) goes: its pages and its VMA parts. */
static void unmap_range(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                        struct fault_work *w)
{
	vm->cur = w;
	zap_page_range(vm, mm, addr, addr + len, true);
	vm->cur = NULL;
	mm_remove_range(mm, addr, addr + len);
	shmem_release_unmapped(vm);
}

int vm_mmap_anon(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                 uint32_t vm_flags, struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	len = (len + ps - 1) & ~(ps - 1);
	if (vm_check_range(vm, addr, len))
		return -1;
	unmap_range(vm, mm, addr, len, w);
	vm_flags |= mm->def_flags; /* mlockall(MCL_FUTURE) */
	if (vm_flags & VM_SHARED) {
		/* shmem_zero_setup: the mapping of a new anonymous shmem object. */
		uint32_t file = filemap_create_anon_shmem(&vm->fm, len);
		mm_insert_vma(mm, (struct vm_area_struct){.vm_start = addr,
		                                          .vm_end = addr + len,
		                                          .vm_flags = vm_flags,
		                                          .vm_file = file + 1,
		                                          .vm_ra_next = UINT64_MAX});
		return 0;
	}
	mm_insert_vma(mm, (struct vm_area_struct){
	                      .vm_start = addr, .vm_end = addr + len, .vm_flags = vm_flags});
	return 0;
}

int vm_mmap_file(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                 uint32_t vm_flags, uint32_t file, uint64_t offset_bytes, struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	len = (len + ps - 1) & ~(ps - 1);
	if (vm_check_range(vm, addr, len) || (offset_bytes & (ps - 1)) || file >= vm->fm.nr_files)
		return -1;
	unmap_range(vm, mm, addr, len, w);
	mm_insert_vma(mm, (struct vm_area_struct){.vm_start = addr,
	                                          .vm_end = addr + len,
	                                          .vm_flags = vm_flags | mm->def_flags,
	                                          .vm_file = file + 1,
	                                          .vm_pgoff = offset_bytes / ps,
	                                          .vm_ra_next = UINT64_MAX});
	return 0;
}

int vm_munmap(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
              struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	len = (len + ps - 1) & ~(ps - 1);
	if (vm_check_range(vm, addr, len))
		return -1;
	unmap_range(vm, mm, addr, len, w);
	return 0;
}

/* The last byte + 1 of user space (TASK_SIZE: 47 bits with 4 levels, less a page). */
static uint64_t task_size(const struct vm *vm)
{
	return (1ull << (PTE_SHIFT + PT_BITS * vm->cfg.pt_levels - 1)) - vm->cfg.page_size;
}

/* vm_start_gap: where the free space a mapping needs below v ends (a stack's guard gap). */
static uint64_t vm_start_gap(const struct vm_area_struct *v, uint64_t guard_bytes)
{
	if (!(v->vm_flags & VM_GROWSDOWN))
		return v->vm_start;
	return v->vm_start > guard_bytes ? v->vm_start - guard_bytes : 0;
}

/* brk growing [oldbrk, newbrk): check_brk_limits, then room for it and one more page below
 * the next mapping (its guard gap when it is a stack), then do_brk_flags's new VMA (not merged
 * with the old heap VMA: no count changes). */
static bool brk_grow(struct vm *vm, struct mm_struct *mm, uint64_t oldbrk, uint64_t newbrk)
{
	uint64_t ps = vm->cfg.page_size;
	if (newbrk > task_size(vm) || vm_check_range(vm, oldbrk, newbrk - oldbrk))
		return false;
	const struct vm_area_struct *next = find_vma_above(mm, oldbrk);
	if (next && next->vm_start < newbrk + ps + VM_STACK_GUARD_GAP_PAGES * ps &&
	    newbrk + ps > vm_start_gap(next, VM_STACK_GUARD_GAP_PAGES * ps))
		return false;
	mm_insert_vma(mm, (struct vm_area_struct){
	                      .vm_start = oldbrk, .vm_end = newbrk, .vm_flags = VM_READ | VM_WRITE});
	return true;
}

uint64_t vm_brk(struct vm *vm, struct mm_struct *mm, uint64_t brk, struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	if (!mm->start_brk) {
		mm->start_brk = (brk + ps - 1) & ~(ps - 1);
		mm->brk = brk;
		return brk;
	}
	if (brk < mm->start_brk)
		return mm->brk; /* brk(0) among them: the current break */
	uint64_t newbrk = (brk + ps - 1) & ~(ps - 1), oldbrk = (mm->brk + ps - 1) & ~(ps - 1);
	if (newbrk == oldbrk) {
		mm->brk = brk;
		return brk;
	}
	if (brk <= mm->brk) {
		/* Shrinking: the range must hold some mapping; whatever is there goes. */
		const struct vm_area_struct *v = find_vma_above(mm, newbrk);
		if (!v || v->vm_start >= oldbrk)
			return mm->brk;
		unmap_range(vm, mm, newbrk, oldbrk - newbrk, w);
		mm->brk = brk;
		return brk;
	}
	if (!brk_grow(vm, mm, oldbrk, newbrk))
		return mm->brk;
	mm->brk = brk;
	return brk;
}

/* The lowest address mmap may use (vm.mmap_min_addr's default, 64 KiB). */
#define MMAP_MIN_ADDR 0x10000ull
/* RLIMIT_STACK's default (_STK_LIM): a stack VMA grows to 8 MiB at most. */
#define STACK_LIMIT_BYTES (8ull << 20)

struct vm_area_struct *expand_stack(struct vm *vm, struct mm_struct *mm, uint64_t addr)
{
	uint64_t ps = vm->cfg.page_size, address = addr & ~(ps - 1);
	struct vm_area_struct *v = find_vma_above(mm, addr);
	if (!v || !(v->vm_flags & VM_GROWSDOWN) || address < MMAP_MIN_ADDR ||
	    v->vm_end - address > STACK_LIMIT_BYTES)
		return NULL;
	if (v > mm->vmas) { /* expand_downwards enforces the guard gap above the mapping below */
		const struct vm_area_struct *prev = v - 1;
		if (!(prev->vm_flags & VM_GROWSDOWN) &&
		    (prev->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)) &&
		    address - prev->vm_end < VM_STACK_GUARD_GAP_PAGES * ps)
			return NULL;
	}
	v->vm_start = address;
	mm->last_vma = UINT32_MAX;
	return v;
}

/* Does [addr, addr + len) hold nothing, with a stack's guard gap free above it? */
static bool range_free_gap(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len)
{
	const struct vm_area_struct *v = find_vma_above(mm, addr);
	return !v || addr + len <= vm_start_gap(v, VM_STACK_GUARD_GAP_PAGES * vm->cfg.page_size);
}

/*
 * get_unmapped_area without MAP_FIXED: a hint (rounded up to mmap_min_addr) is taken when the
 * range is free; else top-down below mmap_base (vm_unmapped_area_topdown). An anonymous private
 * mapping without a hint whose length is a multiple of 2 MiB is aligned to 2 MiB
 * (thp_get_unmapped_area: a search for 2 MiB more, then the start rounded up, or moved up by
 * 2 MiB when the search's result was aligned already).
 */
static int64_t get_unmapped_area(struct vm *vm, struct mm_struct *mm, const struct mmap_args *a,
                                 uint64_t len)
{
	uint64_t ps = vm->cfg.page_size, hint = a->addr & ~(ps - 1);
	if (hint && hint < MMAP_MIN_ADDR)
		hint = MMAP_MIN_ADDR;
	if (hint && hint <= task_size(vm) - len && range_free_gap(vm, mm, hint, len))
		return (int64_t)hint;
	if (!hint && a->file < 0 && !(a->vm_flags & VM_SHARED) && !(len & (HPAGE_SIZE - 1))) {
		uint64_t ret = vm_unmapped_area_topdown(mm, len + HPAGE_SIZE);
		if (ret) {
			uint64_t off_sub = (0 - ret) & (HPAGE_SIZE - 1);
			return (int64_t)(ret + (off_sub ? off_sub : HPAGE_SIZE));
		}
	}
	uint64_t ret = vm_unmapped_area_topdown(mm, len);
	return ret ? (int64_t)ret : -ENOMEM;
}

/* do_mmap's checks, in Linux's order, and the address: the mapping's start or -errno. */
static int64_t mmap_addr(struct vm *vm, struct mm_struct *mm, const struct mmap_args *a)
{
	uint64_t ps = vm->cfg.page_size, len = (a->len + ps - 1) & ~(ps - 1);
	if ((a->file >= 0 && (a->offset_bytes & (ps - 1))) || !a->len)
		return -EINVAL;
	if ((a->flags & MMAP_F_GROWSDOWN) && (a->file >= 0 || (a->vm_flags & VM_SHARED)))
		return -EINVAL; /* only a private anonymous mapping may grow down */
	if (!len || len > task_size(vm))
		return -ENOMEM;
	if (a->flags & MMAP_F_HINT)
		return get_unmapped_area(vm, mm, a, len);
	if (a->addr & (ps - 1))
		return -EINVAL;
	if (a->addr > task_size(vm) - len)
		return -ENOMEM;
	if (a->flags & MMAP_F_NOREPLACE) {
		const struct vm_area_struct *v = find_vma_above(mm, a->addr);
		if (v && v->vm_start < a->addr + len)
			return -EEXIST;
	}
	return (int64_t)a->addr;
}

int64_t vm_do_mmap(struct vm *vm, struct mm_struct *mm, const struct mmap_args *a, bool dry,
                   struct fault_work *w)
{
	int64_t ret = mmap_addr(vm, mm, a);
	if (dry || (ret < 0 && !a->place_at))
		return ret;
	uint64_t at = a->place_at ? a->place_at : (uint64_t)ret;
	uint32_t vm_flags = a->vm_flags | ((a->flags & MMAP_F_GROWSDOWN) ? VM_GROWSDOWN : 0);
	int rc = a->file >= 0 ? vm_mmap_file(vm, mm, at, a->len, vm_flags, (uint32_t)a->file,
	                                     a->offset_bytes, w)
	                      : vm_mmap_anon(vm, mm, at, a->len, vm_flags, w);
	return rc ? VM_MMAP_UNSUPPORTED : ret;
}
