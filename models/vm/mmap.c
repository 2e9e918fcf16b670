/*
 * mmap.c — mmap(2) and munmap(2) at fixed addresses (Linux's mm/mmap.c): the range is checked
 * (page aligned, inside the address space), whatever was mapped there is zapped (its pages
 * unmapped, TLB entries invalidated, 2 MiB pages split at the edges) and the VMAs are edited
 * (vma.c). Anonymous mappings are private, or shared: the mapping of a new anonymous shmem
 * object (shmem.c), which dies with its last VMA; file mappings name a declared file and a
 * page-aligned offset into it. A new mapping takes the address space's def_flags (mlockall's
 * MCL_FUTURE: VM_LOCKED, whose pages the engine then populates unless VM_LOCKONFAULT).
 */
#include "models/vm/internal.h"

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
