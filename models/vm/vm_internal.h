/*
 * vm_internal.h — functions shared by the files of the VM layer (vm.c, filemap.c, reclaim.c,
 * huge.c);
 * not for callers outside models/vm. The contracts are those of the static helpers they were:
 * none takes simulated time; BUG_ON guards their invariants.
 */
#ifndef VMSIM_MODELS_VM_VM_INTERNAL_H
#define VMSIM_MODELS_VM_VM_INTERNAL_H

#include "models/vm/vm.h"

/* vm.c */
void note_inval(struct vm *vm, struct mm_struct *mm, uint64_t vaddr);
void free_frame(struct vm *vm, pfn_t pfn);
pfn_t take_free_frame(struct vm *vm);
/* Hand pfn (a resident page of mm, or of mm's scope) to the replacement policy. */
void lru_add(struct vm *vm, struct mm_struct *mm, pfn_t pfn, uint64_t next_use);
void lru_del(struct vm *vm, pfn_t pfn);
void rmap_add(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr);
void rmap_remove(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr);
/* No incoming page (background reclaim): the policy's plain evict. */
#define KEY_NONE UINT64_MAX
/*
 * Evict one victim chosen by sc's policy (for the incoming page key, or KEY_NONE). With wb_out
 * non-NULL (kswapd), a victim that needs a swap write is left PG_WRITEBACK instead of freed and its
 * pfn stored in *wb_out (else PFN_NONE). Returns false when none can go.
 */
bool reclaim_one(struct vm *vm, struct fault_work *w, struct reclaim_scope *sc,
                 uint64_t incoming_key, pfn_t *wb_out);

/* Queue a disk request; contiguous requests of one kind to one device merge. When the record
 * is full the size is added to its last request (timing approximation). */
void vm_add_io(struct fault_work *w, enum io_device dev, bool is_write, uint64_t offset,
               uint64_t size);
/* Fault-path check that the range is page aligned and inside the address space. */
int vm_check_range(struct vm *vm, uint64_t addr, uint64_t len);
/* Unmap every PTE of [start, end) of mm (munmap's zap). */
void vm_zap_range(struct vm *vm, struct mm_struct *mm, uint64_t start, uint64_t end, bool note);

/* A read into pfn started by this fault: the simulator stamps its completion in ready_ps. */
static inline void vm_note_read(struct fault_work *w, pfn_t pfn)
{
	if (w->nr_read_pfns < FAULT_MAX_READ_PFNS)
		w->read_pfns[w->nr_read_pfns] = pfn;
	w->nr_read_pfns++;
}
/* The fault found pfn in a cache: wait if its read has not completed yet (lock_page). */
static inline void vm_wait_ready(struct vm *vm, struct fault_work *w, pfn_t pfn)
{
	uint64_t ready = vm->pages[pfn].ready_ps;
	if (ready > vm->now_ps && ready > w->wait_until_ps)
		w->wait_until_ps = ready;
}

/* reclaim.c */
/* The scope that holds the pages of mm. */
struct reclaim_scope *reclaim_scope_of(struct vm *vm, struct mm_struct *mm);
/* A frame for a page of mm: from the free list, or by reclaim (local allocation, direct
 * reclaim); PFN_NONE when nothing can be reclaimed. May set vm->kswapd_wanted. */
pfn_t alloc_frame(struct vm *vm, struct fault_work *w, struct mm_struct *mm, uint64_t key);
void reclaim_scope_init(struct vm *vm, struct reclaim_scope *sc, struct mm_struct *mm);
void reclaim_scope_fini(struct vm *vm, struct reclaim_scope *sc);
/* mm is going away: move the pages its scope still holds to their other users' scopes. */
void reclaim_mm_exit(struct vm *vm, struct mm_struct *mm);
/* Watermark check after an allocation. */
static inline void reclaim_check_watermark(struct vm *vm)
{
	if (vm->cfg.watermark && vm->nr_free < vm->cfg.wmark_low_frames)
		vm->kswapd_wanted = true;
}

/* huge.c */
/* Eligible VMA and 2 MiB range: try a huge fault at vaddr. Returns true when it mapped one
 * (w filled); false: go on with 4 KiB pages (counted as a fallback when it wanted one). */
bool huge_try_fault(struct vm *vm, struct mm_struct *mm, const struct vm_area_struct *vma,
                    uint64_t vaddr, bool write, uint64_t next_use, struct fault_work *w);
/* Write fault on a present, write-protected huge PMD: reuse it, or split it (then the 4 KiB
 * path COWs the one page). Returns true when the access is resolved. */
bool huge_wp_fault(struct vm *vm, struct mm_struct *mm, uint64_t vaddr, bool vma_write,
                   struct fault_work *w);
/* split_huge_page: every mapping of the huge page at head becomes 512 PTEs and each frame an
 * ordinary page; with keep_head_out, the head frame is not given to the policy (reclaim holds
 * it as its victim). */
void huge_split(struct vm *vm, pfn_t head, bool keep_head_out);
/* Split every huge page mapped by mm that straddles start or end. */
void huge_split_edges(struct vm *vm, struct mm_struct *mm, uint64_t start, uint64_t end);
/* Free the 512 frames of an unmapped huge page. */
void huge_free(struct vm *vm, pfn_t head);

#endif
