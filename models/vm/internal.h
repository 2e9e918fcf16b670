/*
 * internal.h — what the files of models/vm share and nobody else may use (Linux's
 * mm/internal.h): the functions each file offers the others, by file, and the small helpers
 * of the fault path as static inlines (they were static in one file before the layer was cut
 * by concept; inline here they cost the fault path nothing). None takes simulated time;
 * BUG_ON guards their invariants.
 *
 * The calls between these files go one way (the syscalls -> memory.c -> filemap.c,
 * huge_memory.c, page_alloc.c -> vmscan.c -> rmap, swap, page_io), with the loops Linux itself
 * has: reclaim, called by an allocation, takes page-cache pages out of the page cache
 * (page_alloc.c -> vmscan.c -> filemap.c -> page_alloc.c), and the swap cache and the swap
 * slots free each other's last reference (swap_state.c <-> swapfile.c).
 *
 * Measured with callgrind (docs/architecture.md): as calls between files, flush_tlb_page,
 * rmap_remove, try_to_unmap, free_frame, the swap helpers and try_to_free_pages cost the
 * reclaim path ~40 instructions per eviction; inline here they cost nothing.
 */
#ifndef VMSIM_MODELS_VM_INTERNAL_H
#define VMSIM_MODELS_VM_INTERNAL_H

#include "models/vm/vm.h"

#define SLOT_NONE UINT32_MAX /* no swap slot */
#define KEY_NONE UINT64_MAX  /* no incoming page (background reclaim): the policy's plain evict */

/* ---- memory.c ---------------------------------------------------------------------------- */
/* Unmap every PTE of [start, end) of mm (munmap, mmap over, exit); note: report each present
 * PTE's TLB invalidation (not at exit, where the asid is flushed whole). */
void zap_page_range(struct vm *vm, struct mm_struct *mm, uint64_t start, uint64_t end, bool note);

/* A read into pfn started by this fault: the engine stamps its completion in ready_ps. */
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
	if (unlikely(ready & PAGE_READY_PENDING))
		ready = vm->io_wait(vm->io_wait_ctx, ready);
	if (ready > vm->now_ps && ready > w->wait_until_ps)
		w->wait_until_ps = ready;
}

/* ---- page_io.c --------------------------------------------------------------------------- */
/* Queue a disk request in w; contiguous requests of one kind to one device merge. When the
 * record is full the size is added to its last request (timing approximation). */
void vm_add_io(struct fault_work *w, enum io_device dev, bool is_write, uint64_t offset,
               uint64_t size);
/* (page_io.c: swap_writepage and swap_read_folio with cgroups, zswap or zram) */
bool swap_writepage_offload(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot);
void swap_read_folio_offload(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot);
/* swap_writepage: the dirty anonymous page pfn goes out to slot: stored by zswap or zram, or
 * written to the swap device. Returns whether a disk write is in flight for it. */
static inline bool swap_writepage(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot)
{
	if (unlikely(vm->offload))
		return swap_writepage_offload(vm, w, pfn, slot);
	vm_add_io(w, IO_DEV_SWAP, true, (uint64_t)slot * vm->cfg.page_size, vm->cfg.page_size);
	return true;
}
/* swap_read_folio: the new page pfn of slot (just mapped by do_swap_page, in the swap cache)
 * is read: from zswap or zram (no disk read; zram's exclusive pages then leave the swap cache
 * and their slot, as Linux's SWP_SYNCHRONOUS_IO swap-in does), or from the swap device. A
 * memory stall (PSI). */
static inline void swap_read_folio(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot)
{
	w->memstall = true;
	if (unlikely(vm->offload)) {
		swap_read_folio_offload(vm, w, pfn, slot);
		return;
	}
	vm_add_io(w, IO_DEV_SWAP, false, (uint64_t)slot * vm->cfg.page_size, vm->cfg.page_size);
	vm_note_read(w, pfn);
}
/* The slot is freed: so is what zswap or zram holds for it. */
void swap_slot_free_notify(struct vm *vm, uint32_t slot);

/* ---- exec.c ----------------------------------------------------------------------------- */
/* Declare the files of every image ("<image>.text", "<image>.data"), in the images' order. */
void vm_images_declare_files(struct vm *vm);

/* ---- mmap.c ------------------------------------------------------------------------------ */
/* Is [addr, addr + len) page aligned and inside the address space? 0 or -1. */
int vm_check_range(struct vm *vm, uint64_t addr, uint64_t len);
/* expand_stack from the fault path: an access at addr below no VMA but above a VM_GROWSDOWN
 * one grows that VMA down to addr's page, unless that would leave less than stack_guard_gap
 * above an accessible mapping below, or pass RLIMIT_STACK (8 MiB) or mmap_min_addr. Returns
 * the grown VMA, or NULL (a segfault, SEGV_MAPERR). */
struct vm_area_struct *expand_stack(struct vm *vm, struct mm_struct *mm, uint64_t addr);

/* ---- page_alloc.c ------------------------------------------------------------------------ */
/* memory.nodes: the node holding pfn (the nodes' frames follow one another from frame 0). */
static inline uint32_t vm_node_of(const struct vm *vm, pfn_t pfn)
{
	uint32_t i = 0;
	while (pfn >= vm->node_end_pfn[i])
		i++;
	return i;
}
/* ---- mempolicy.c: memory.nodes ---- */
/* A free frame, off its node's free list, on the node the allocation's policy chooses (the
 * VMA's, else the process's, else local) or the next it allows; PFN_NONE when none is free
 * (vm->alloc_node: the node it wanted first). */
pfn_t mpol_take_frame(struct vm *vm);
/* A free frame off node's free list (the struct page not cleared), PFN_NONE: none. */
pfn_t mpol_take_from(struct vm *vm, uint32_t node);
/* At vm_init: the nodes' ranges and free lists. */
void mpol_init(struct vm *vm);
/* The free list pfn goes back to: its node's with memory.nodes, else the one list. */
static inline uint32_t *free_list_of(struct vm *vm, pfn_t pfn)
{
	if (likely(!vm->cfg.nr_nodes))
		return &vm->free_head;
	uint32_t n = vm_node_of(vm, pfn);
	vm->node_nr_free[n]++;
	return &vm->node_free_head[n];
}
/* Back to the free list (LIFO: the next allocation takes it). */
static inline void free_frame(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	BUG_ON(pg->flags & PG_FREE, "double free of frame %u", pfn);
	BUG_ON(pg->mapcount || pg->rmap, "freeing mapped frame %u", pfn);
	if (unlikely(pg->memcg))
		vm->memcgs[pg->memcg].nr_pages--; /* uncharge */
	pg->flags = PG_FREE;
	uint32_t *head = free_list_of(vm, pfn);
	pg->next_free = *head;
	*head = pfn;
	vm->nr_free++;
}
/* A frame for a page of mm (NULL: a page-table page) with policy key key: from the free list,
 * or by reclaim (a local scope's replacement at its allocation, direct reclaim); PFN_NONE when
 * nothing can be reclaimed. May wake kswapd. */
pfn_t alloc_frame(struct vm *vm, struct fault_work *w, struct mm_struct *mm, uint64_t key);
/* The lowest 512-aligned run of free frames, as a huge page (head PG_HUGE, tails PG_TAIL);
 * PFN_NONE when there is none (no reclaim, no compaction). */
pfn_t alloc_huge_frames(struct vm *vm);
/* The lowest (1 << order)-aligned run of 1 << order free frames, taken off the free lists,
 * their struct pages cleared; PFN_NONE when there is none (no reclaim, no compaction). */
pfn_t alloc_contig_frames(struct vm *vm, unsigned order);
/* A free frame on node, its struct page cleared, without reclaim; PFN_NONE: none free there. */
pfn_t alloc_frame_on_node(struct vm *vm, uint32_t node);
/* Free the 512 frames of an unmapped huge page. */
void free_huge_frames(struct vm *vm, pfn_t head);
/* A PTE of pfn went away (munmap, exit, COW break): free the page when nothing refers to it
 * any more (no PTE, no swap PTE through its swap cache, not a page-cache page). */
void put_page(struct vm *vm, pfn_t pfn);
/* The simulated physical address of a new page-table page, and its release (pgtable.h's
 * callbacks; ctx is the struct vm). */
uint64_t pte_alloc_paddr(void *ctx);
void pte_free_paddr(void *ctx, uint64_t paddr);

/* ---- mlock.c ----------------------------------------------------------------------------- */
/* mlock_vma_folio: the page pfn (a 4 KiB page or a huge page's head) is mlocked: off its
 * policy, on the unevictable list. */
void mlock_page(struct vm *vm, pfn_t pfn);
/* A PTE of mm at vaddr now maps pfn: mlock the page when the VMA there is VM_LOCKED. */
void mlock_new_mapping(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr);
/* A mapping of the mlocked page pfn went: when no VM_LOCKED VMA maps it any more, it leaves
 * the unevictable list for its policy (munlock_folio). */
void munlock_vma_page(struct vm *vm, pfn_t pfn);
/* split_huge_page of the mlocked huge page at head: it leaves the unevictable list for the
 * policy of its first mapper (hp->scope names it). */
void munlock_for_split(struct vm *vm, pfn_t head);

/* ---- rmap.c ------------------------------------------------------------------------------ */
/* The running operation's PTE of (mm, vaddr) changed: its TLB entries go, on other CPUs by a
 * shootdown (recorded in vm->cur; nothing when no operation is running). */
static inline void flush_tlb_page(struct vm *vm, struct mm_struct *mm, uint64_t vaddr)
{
	struct fault_work *w = vm->cur;
	if (!w)
		return;
	w->tlb_invalidations++;
	if (mm->cpu_mask & ~vm->cur_cpu_mask)
		w->shootdown_cpus +=
		    (uint32_t)__builtin_popcountll(mm->cpu_mask & ~vm->cur_cpu_mask);
	if (w->nr_inval < FAULT_MAX_IO) {
		w->inval[w->nr_inval].asid = mm->asid;
		w->inval[w->nr_inval].vaddr = vaddr;
		w->nr_inval++;
	} else {
		w->inval_overflow = true;
	}
}
/* rmap_add: one more PTE of mm maps pfn at vaddr; in a VM_LOCKED VMA the page is mlocked. */
void rmap_add(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr);
/* rmap_add for a 4 KiB PTE that maps pfn, a frame of a 2 MiB page still whole. */
void rmap_add_subpage(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr);
static inline void rmap_remove(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr)
{
	uint32_t *link = &vm->pages[pfn].rmap;
	while (*link) {
		struct rmap_item *it = &vm->rmap_pool[*link];
		if (it->mm == mm && it->vaddr == vaddr) {
			uint32_t r = *link;
			*link = it->next;
			vm->rmap_pool[r].next = vm->rmap_free;
			vm->rmap_free = r;
			vm->pages[pfn].mapcount--;
			uint64_t n = (vm->pages[pfn].flags & PG_HUGE) && !it->subpage ? HPAGE_NR : 1;
			mm->rss_pages -= n;
			vm->rss_pages_total -= n;
			if (unlikely(vm->pages[pfn].flags & PG_MLOCKED))
				munlock_vma_page(vm, pfn);
			return;
		}
		link = &it->next;
	}
	BUG_ON(1, "no rmap item for frame %u at %llx", pfn, (unsigned long long)vaddr);
}
/* try_to_unmap: every PTE that maps pfn becomes entry (a swap entry, whose slot then counts
 * one more holder, or none). Returns whether one of them was dirty. */
static inline bool try_to_unmap(struct vm *vm, pfn_t pfn, pte_t entry)
{
	struct page *pg = &vm->pages[pfn];
	bool dirty = false;
	while (pg->rmap) {
		struct rmap_item it = vm->rmap_pool[pg->rmap];
		pte_t *p = pgtable_lookup(&it.mm->pgd, it.vaddr);
		BUG_ON(!p || pte_pfn(*p) != pfn, "rmap points at a stale PTE");
		if (*p & PTE_DIRTY)
			dirty = true;
		flush_tlb_page(vm, it.mm, it.vaddr);
		rmap_remove(vm, pfn, it.mm, it.vaddr);
		pgtable_set(&it.mm->pgd, it.vaddr, p, entry);
		if (pte_is_swap(entry)) {
			/* swap_duplicate: one more PTE holds the slot */
			vm->swap[pte_swap_slot(entry)].map++;
			it.mm->swap_ents++;
		}
	}
	return dirty;
}
/* Were any PTEs of pfn accessed since the last call? Clears their accessed bits. */
bool folio_referenced(struct vm *vm, pfn_t pfn);
/* Is the page in pfn dirty (PG_DIRTY, an anonymous page without a swap copy, a dirty PTE)? */
bool folio_test_dirty(struct vm *vm, pfn_t pfn);
/* Clean and write-protect every PTE of the page-cache page pfn (of a file with backing store,
 * whose shared writable mappings want write-notify); returns whether one was dirty. */
bool page_mkclean(struct vm *vm, pfn_t pfn);

/* vma_wants_writenotify: a shared writable mapping of a file with backing store (not shmem)
 * tracks its dirtying (the filesystem's page_mkwrite, dirty accounting): its PTEs are mapped
 * read-only unless a write fault maps them, so the first write to each page after it was
 * mapped by a read, or cleaned by writeback (page_mkclean), faults (do_wp_page). */
static inline bool vma_wants_writenotify(const struct vm *vm, const struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE) && vma->vm_file &&
	       !vm->fm.files[vma->vm_file - 1].shmem;
}

/* finish_fault for a page-cache page (memory.c and filemap.c): map pfn at vaddr (a none PTE) with
 * flags, on the reverse map; writable in a shared writable mapping, unless it wants
 * write-notify and flags has no PTE_DIRTY (not a write fault). */
static inline void map_file_page(struct vm *vm, struct mm_struct *mm,
                                 const struct vm_area_struct *vma, uint64_t vaddr, pfn_t pfn,
                                 pte_t flags)
{
	if ((vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE) &&
	    ((flags & PTE_DIRTY) || !vma_wants_writenotify(vm, vma)))
		flags |= PTE_WRITE;
	pte_t *p = pgtable_alloc_pte(&mm->pgd, vaddr);
	BUG_ON(*p, "mapping a file page over a live PTE");
	pgtable_set(&mm->pgd, vaddr, p, pte_mk(pfn, flags));
	rmap_add(vm, pfn, mm, vaddr);
}

/* ---- swapfile.c and swap_state.c --------------------------------------------------------- */
/* The frame caching swap slot slot, PFN_NONE: none (stored biased by one, see mm_types.h). */
static inline pfn_t swap_cache(const struct vm *vm, uint64_t slot)
{
	return (pfn_t)(vm->swap[slot].cache_pfn1 - 1u);
}
/* Set the frame caching slot (pfn may be PFN_NONE). */
static inline void swap_set_cache(struct vm *vm, uint64_t slot, pfn_t pfn)
{
	vm->swap[slot].cache_pfn1 = (uint32_t)pfn + 1u;
}
/* A free slot (next fit), SLOT_NONE when swap is full. */
static inline uint32_t swap_alloc(struct vm *vm)
{
	if (vm->nr_swap_used == vm->cfg.swap_pages)
		return SLOT_NONE;
	for (uint64_t n = 0; n < vm->cfg.swap_pages; n++) {
		uint64_t s = vm->swap_cursor;
		vm->swap_cursor = (vm->swap_cursor + 1) % vm->cfg.swap_pages;
		if (!vm->swap_used[s]) {
			vm->swap_used[s] = 1;
			vm->nr_swap_used++;
			if (s >= vm->swap_high)
				vm->swap_high = s + 1;
			return (uint32_t)s;
		}
	}
	return SLOT_NONE;
}
/* The first run of 1 << order free slots aligned to its size (a large folio's swap-out,
 * Linux 6.10+'s swap clusters), next fit from the cursor, taken; SLOT_NONE when none is. */
uint32_t swap_alloc_contig(struct vm *vm, unsigned order);
void swap_free(struct vm *vm, uint32_t slot);
/* A swap PTE of slot went away; the last one frees the slot, and its cached copy when no PTE
 * maps that. */
void free_swap_and_cache(struct vm *vm, uint32_t slot);
/* memory.swap.max: may group memcg take one more swap slot? (memcontrol.c) */
bool mem_cgroup_try_charge_swap(struct vm *vm, uint16_t memcg, uint32_t slot);
/* pfn joins the swap cache with a new slot holding its key; false when swap is full (or its
 * cgroup at memory.swap.max). */
static inline bool add_to_swap(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	if (unlikely(pg->memcg) && !mem_cgroup_try_charge_swap(vm, pg->memcg, SLOT_NONE))
		return false;
	uint32_t slot = swap_alloc(vm);
	if (slot == SLOT_NONE)
		return false;
	if (unlikely(pg->memcg))
		mem_cgroup_try_charge_swap(vm, pg->memcg, slot);
	pg->flags |= PG_SWAPCACHE;
	pg->swap_slot = slot;
	swap_set_cache(vm, slot, pfn);
	vm->swap[slot].key = pg->key;
	return true;
}
/* pfn leaves the swap cache (its slot stays, held by swap PTEs). */
static inline void swap_cache_drop(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	swap_set_cache(vm, pg->swap_slot, PFN_NONE);
	pg->flags &= ~PG_SWAPCACHE;
	pg->swap_slot = SLOT_NONE;
}
/* pfn leaves the swap cache, and its slot is freed when no PTE holds it. */
void delete_from_swap_cache(struct vm *vm, pfn_t pfn);

/* ---- vmscan.c ---------------------------------------------------------------------------- */
/* The scope that holds the pages of mm. */
static inline struct reclaim_scope *reclaim_scope_of(struct vm *vm, struct mm_struct *mm)
{
	/* No mm (a page-table page with memory.page_tables_in_frames): the machine's scope, whose
	 * victim, under local scope, comes from the process furthest over its allocation
	 * (victim_scope_local). */
	return vm->cfg.local_scope && mm ? &mm->scope : &vm->scope;
}
/* The frames of the page the policy holds under pg: 512 for a 2 MiB page, the folio's for
 * the head of an mTHP folio unit (PG_FOLIO), else 1. */
static inline uint64_t lru_nr_frames(const struct page *pg)
{
	if (pg->flags & PG_HUGE)
		return HPAGE_NR;
	return unlikely(pg->flags & PG_FOLIO) ? 1ull << pg->folio_order : 1;
}
/* The frame under which the policy holds pfn: the head of its mTHP folio unit, or pfn. */
static inline pfn_t lru_head(const struct vm *vm, pfn_t pfn)
{
	const struct page *pg = &vm->pages[pfn];
	return unlikely(pg->flags & PG_FOLIO) ? pfn & ~(((pfn_t)1 << pg->folio_order) - 1) : pfn;
}
/* Hand pfn (a resident page of mm, or of mm's scope) to the replacement policy. */
static inline void lru_add(struct vm *vm, struct mm_struct *mm, pfn_t pfn, uint64_t next_use)
{
	struct page *pg = &vm->pages[pfn];
	if (unlikely(pg->flags & PG_MLOCKED))
		return; /* on the unevictable list (mlock.c) */
	struct reclaim_scope *sc = unlikely(pg->memcg)   ? &vm->memcgs[pg->memcg].scope
	                           : unlikely(vm->tiering) ? vm->node_scope[vm_node_of(vm, pfn)]
	                                                   : reclaim_scope_of(vm, mm);
	pg->flags |= PG_LRU;
	pg->scope = sc;
	sc->nr_frames += lru_nr_frames(pg);
	vm->cfg.policy->insert(sc->policy, pfn, pg->key, next_use);
}
/* Take pfn (a page the policy holds, or none) off its policy's lists, a folio unit whole. */
static inline void __lru_del(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	if (pg->flags & PG_LRU) {
		pg->flags &= ~PG_LRU;
		pg->scope->nr_frames -= lru_nr_frames(pg);
		vm->cfg.policy->remove(pg->scope->policy, pfn);
	}
}
/* mthp.c: the page pfn of a folio unit leaves it (freed, mlocked): the unit is split, its
 * other pages held by the same policy one by one (folio_lru_split). */
void folio_lru_split_out(struct vm *vm, pfn_t pfn);
/* Take pfn off its policy's lists (if it is on them); a page of an mTHP folio unit splits
 * the unit, and only pfn leaves. */
static inline void lru_del(struct vm *vm, pfn_t pfn)
{
	if (unlikely(vm->pages[pfn].flags & PG_FOLIO))
		folio_lru_split_out(vm, pfn);
	else
		__lru_del(vm, pfn);
}
/* vm.tiering: has a node fewer free frames than its low watermark? */
static inline bool tier_node_below_low(const struct vm *vm)
{
	for (uint32_t n = 0; n < vm->cfg.nr_nodes; n++)
		if (vm->node_nr_free[n] < vm->node_wmark_low[n])
			return true;
	return false;
}
/* An allocation may have left fewer free frames than the low watermark (with vm.tiering: a
 * node fewer than its own): wake kswapd. */
static inline void wakeup_kswapd(struct vm *vm)
{
	if (vm->cfg.watermark &&
	    (vm->nr_free < vm->cfg.wmark_low_frames || (unlikely(vm->tiering) && tier_node_below_low(vm))))
		vm->kswapd_wanted = true;
}
void reclaim_scope_init(struct vm *vm, struct reclaim_scope *sc, struct mm_struct *mm);
void reclaim_scope_fini(struct vm *vm, struct reclaim_scope *sc);
/*
 * Evict one victim chosen by sc's policy (for the incoming page key, or KEY_NONE). With wb_out
 * non-NULL (kswapd), a victim that needs a swap write is left PG_WRITEBACK instead of freed and
 * its pfn stored in *wb_out (else PFN_NONE). Returns false when none can go.
 */
bool reclaim_one(struct vm *vm, struct fault_work *w, struct reclaim_scope *sc,
                 uint64_t incoming_key, pfn_t *wb_out);
/* Where the next victim comes from under local scope; own may be NULL (kswapd). */
struct reclaim_scope *victim_scope_local(struct vm *vm, struct reclaim_scope *own);
/* Global reclaim with cgroups: the scope (a group's or the root's) to take the next victim
 * from, as memory.low and memory.min allow (memcontrol.c). */
struct reclaim_scope *mem_cgroup_victim_scope(struct vm *vm);
/* Where the next victim comes from: the machine's scope (with cgroups: the group
 * mem_cgroup_victim_scope names), or under local scope the order of vmscan.c's header. */
struct reclaim_scope *tier_victim_scope(struct vm *vm);
static inline struct reclaim_scope *victim_scope(struct vm *vm, struct reclaim_scope *own)
{
	if (unlikely(vm->tiering))
		return tier_victim_scope(vm);
	if (unlikely(vm->nr_memcgs))
		return mem_cgroup_victim_scope(vm);
	return vm->cfg.local_scope ? victim_scope_local(vm, own) : &vm->scope;
}
/* Direct reclaim for an allocation of the scope own (NULL: none) that found no free frame: one
 * victim from the scope the victim order names. */
static inline bool try_to_free_pages(struct vm *vm, struct fault_work *w, struct reclaim_scope *own,
                                     uint64_t key)
{
	if (!reclaim_one(vm, w, victim_scope(vm, own), key, NULL))
		return false;
	vm->st.direct_evictions++;
	return true;
}
/* Reclaim the page pfn now, whatever the policy would choose (MADV_PAGEOUT): taken off its
 * policy and evicted as a victim is. Returns false when it is not on a policy or cannot go
 * (no swap slot for an anonymous page: it stays, back on its policy). */
bool reclaim_page(struct vm *vm, struct fault_work *w, pfn_t pfn);
/* mm is going away: move the pages its scope still holds to their other users' scopes. */
void reclaim_mm_exit(struct vm *vm, struct mm_struct *mm);

/* ---- migrate.c: vm.tiering ------------------------------------------------------------- */
/* At vm_init / vm_fini: the nodes' scopes and watermarks (nothing without vm.tiering). */
void tier_init(struct vm *vm);
void tier_fini(struct vm *vm);
/* tiering.* (nothing without vm.tiering). */
void tier_report(const struct vm *vm, struct statsout *o);
/* (tier_victim_scope, above: direct reclaim's scope: the node the allocation wanted first, or
 * the next one by distance that holds pages.) */
/* Move the page in pfn (off its policy, 4 KiB, not under writeback) to the free frame nf: its
 * content copied (recorded in w for the machine), every PTE pointed at nf (TLB entries shot
 * down), its page-cache or swap-cache entry moved; pfn is freed. The caller puts nf on a
 * policy. */
void migrate_folio(struct vm *vm, struct fault_work *w, pfn_t pfn, pfn_t nf);
/* Reclaim's victim pfn (4 KiB, off its policy) on a node with lower tiers: demoted to a frame
 * of a lower tier (migrate.c's header says where it comes from). Returns whether it moved;
 * false (the lowest tier, or a failure, counted): reclaim it as without tiers. */
bool demote_folio(struct vm *vm, struct fault_work *w, pfn_t pfn, bool kswapd);
/* A NUMA hint fault on the page in pfn (its hint just cleared): counted, and the page promoted
 * to the top tier when the policy (vm.tiering.promotion) says so and there is room. */
void numa_hint_fault(struct vm *vm, struct fault_work *w, pfn_t pfn, uint64_t next_use);
/* kswapd with vm.tiering: one victim of the first node below its high watermark (demoted or
 * evicted); false when no node is below or none can give one. */
bool tier_kswapd_evict_one(struct vm *vm, struct fault_work *w, pfn_t *wb_pfn);

/* ---- memcontrol.c ----------------------------------------------------------------------- */
/* Charge one page to group memcg before its frame is taken: at memory.max, reclaim from the
 * group (memory.events max), and when nothing more can go, out of memory in the group (oom,
 * oom_kill): false. */
bool mem_cgroup_try_charge(struct vm *vm, struct fault_work *w, uint16_t memcg, uint64_t key);
/* The frame pfn is charged to memcg (memory.current, peak); over memory.high, reclaim and
 * the throttle of the allocating task (w->throttle_ps). */
void mem_cgroup_commit_charge(struct vm *vm, struct fault_work *w, pfn_t pfn, uint16_t memcg);
/* Charge the mTHP folio of 1 << order frames at head to memcg whole (alloc_anon_folio's
 * mem_cgroup_charge), without reclaim: false when it would pass memory.max. head PFN_NONE:
 * only the check. Over memory.high: as mem_cgroup_commit_charge. */
bool mem_cgroup_charge_folio(struct vm *vm, struct fault_work *w, pfn_t head, unsigned order,
                             uint16_t memcg);
/* May memcg take nr more swap slots (memory.swap.max)? slot not SLOT_NONE: [slot, slot + nr)
 * are charged to it. */
bool mem_cgroup_try_charge_swap_nr(struct vm *vm, uint16_t memcg, uint32_t slot, uint64_t nr);
/* The swap slot is freed: its group's swap charge goes. */
void mem_cgroup_uncharge_swap(struct vm *vm, uint32_t slot);

/* ---- page_alloc.c (for the pool) --------------------------------------------------------- */
/* A free frame for the compressed pool (PG_ZPOOL), no reclaim; PFN_NONE when none is free. */
pfn_t alloc_pool_frame(struct vm *vm);

/* ---- memcontrol.c, zcomp.c: setup, teardown, report ------------------------------------ */
void mem_cgroup_init(struct vm *vm);
void mem_cgroup_fini(struct vm *vm);
void mem_cgroup_report(const struct vm *vm, struct statsout *o);
void zcomp_init(struct vm *vm);
void zcomp_fini(struct vm *vm);
void zcomp_report(const struct vm *vm, struct statsout *o);
/* The cost of one compression (decompression), drawn and added to w's CPU time (w may be
 * NULL for a decompression nobody waits for). */
uint64_t zcomp_compress_cost(struct vm *vm, struct fault_work *w);
uint64_t zcomp_decompress_cost(struct vm *vm, struct fault_work *w);
/* What the page with key of class zclass compresses to (*bytes for the pool). */
enum zcomp_kind zcomp_page(const struct vm *vm, uint64_t key, uint16_t zclass, uint32_t huge_bytes,
                           uint32_t *bytes);

/* ---- zswap.c, zram.c ---------------------------------------------------------------------- */
/* Store the page pfn going out to slot; false: rejected, it goes to the swap device. */
bool zswap_store(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot);
/* The page pfn of slot from zswap; false: not there, read it from the device. */
bool zswap_load(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot);
void zswap_invalidate(struct vm *vm, uint32_t slot);
/* The page pfn goes out to zram's slot; returns whether it went to the backing device (a
 * write in flight). */
bool zram_write(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot);
/* The page pfn of slot from zram (it may leave the swap cache and free the slot). */
void zram_read(struct vm *vm, struct fault_work *w, pfn_t pfn, uint32_t slot);
void zram_slot_free(struct vm *vm, uint32_t slot);

/* ---- zsmalloc.c -------------------------------------------------------------------------- */
/* Hold exactly ceil(bytes / page size) frames: take free frames (no reclaim: a store that
 * finds none is paid by the next allocation, before it takes a frame) or free the ones no
 * longer needed. */
void zpool_balance(struct vm *vm);
/* Does the pool need frames it could not take yet? */
static inline bool zpool_in_debt(const struct vm *vm)
{
	const struct zpool *p = &vm->zc->pool;
	return p->nr_frames * vm->cfg.page_size < p->bytes;
}

/* ---- filemap.c --------------------------------------------------------------------------- */
/* Where (file, index) lies on the file device. */
uint64_t file_dev_offset(const struct vm *vm, uint32_t file, uint64_t index);
/* The page-cache page of the file VMA vma at vaddr (page aligned, inside the file): found (a
 * minor fault, filemap_fault_cached) or read into a new frame (major: *major set), or
 * PFN_NONE when no frame could be had. write: a shared write (the policy's reference). The
 * caller maps it, then calls filemap_readahead after a read. */
pfn_t filemap_fault(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma, uint64_t vaddr,
                    bool write, uint64_t next_use, bool *major);
/* A fault found the page-cache page pfn of (vma, vaddr): faults.file, wait for its read if it
 * is in flight, the VMA's sequential position, the policy's reference. */
void filemap_fault_cached(struct vm *vm, struct vm_area_struct *vma, uint64_t vaddr, pfn_t pfn,
                          bool write, uint64_t next_use);
/* After a miss at vaddr: read the readahead window when the miss was sequential. */
void filemap_readahead(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma,
                       uint64_t vaddr);
/* MADV_WILLNEED on the file VMA vma's [start, end): its first vm.readahead_pages uncached
 * pages read into the page cache, unmapped (a shmem object: nothing is read). */
void filemap_willneed(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma,
                      uint64_t start, uint64_t end);
/* Fault-around: map the cached, up-to-date pages of [start, end) (one page table, inside the
 * VMA) where the PTE is none; vaddr is the faulting page (mapped young, even if its read is in
 * flight; the others old). */
void filemap_map_pages(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma,
                       uint64_t vaddr, uint64_t start, uint64_t end);
/* A large page-cache folio holds (vma, vaddr) (its order: the cached page's folio_order, or
 * vm.file_folio_pages' for a page not cached yet): its virtual range [*start, *end), when the
 * whole folio lies in the VMA and one page table, its cached pages are all of that folio and
 * (for a read) it does not hold the file's last page; false: map as 4 KiB pages. */
bool filemap_folio_range(const struct vm *vm, const struct vm_area_struct *vma, uint64_t vaddr,
                         bool write, uint64_t *start, uint64_t *end);
/* Map the cached pages of the folio range [start, end) other than vaddr where the PTE is
 * none, with pte_bits (a write fault maps the folio dirty: it is dirtied whole). */
void filemap_map_folio(struct vm *vm, struct mm_struct *mm, struct vm_area_struct *vma,
                       uint64_t vaddr, uint64_t start, uint64_t end, uint32_t pte_bits);

/* Read the uncached pages of [start, end) of file into the page cache, unmapped (stops when
 * memory runs out). Returns the pages read. */
uint32_t page_cache_readahead(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t start,
                              uint64_t end);

/* ---- readahead.c: read(2)'s on-demand readahead ------------------------------------------ */
/* page_cache_sync_ra: read(2) of req pages from index found index uncached. */
void page_cache_sync_ra(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index,
                        uint64_t req);
/* page_cache_async_ra: read(2) found index cached: the next window when it is the mark. */
void page_cache_async_ra(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index);

/* vm.mmap_readahead = "linux" (Linux 6.18's mmap readahead, with folio orders):
 * do_sync_mmap_readahead: a fault missed (vma, index): the window read around it (or from it,
 * MADV_SEQUENTIAL; nothing with MADV_RANDOM or readahead off). Returns the frame of index's page
 * (read, in flight), PFN_NONE when it was not read. */
pfn_t mmap_sync_ra(struct vm *vm, struct mm_struct *mm, const struct vm_area_struct *vma,
                   uint64_t index, uint64_t next_use);
/* do_async_mmap_readahead: a fault found the page pfn of a PG_readahead folio: the marks go and
 * the next window is read, its folio order 2 higher. */
void mmap_async_ra(struct vm *vm, struct mm_struct *mm, const struct vm_area_struct *vma,
                   pfn_t pfn);
/* (filemap.c) A new folio of 1 << order pages at (file, index) (all uncached), queued for
 * reading, PG_readahead when mark; the page fault_index gets next_use (OPT), the others none.
 * 0, or -1 when a frame could not be had (the pages before it stay). */
int page_cache_ra_folio(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index,
                        unsigned order, bool mark, uint64_t fault_index, uint64_t next_use);

/* ---- page_writeback.c -------------------------------------------------------------------- */
/* folio_mark_dirty / folio_clear_dirty_for_io: PG_DIRTY, and NR_FILE_DIRTY for file pages. */
static inline bool page_counts_dirty(const struct vm *vm, const struct page *pg)
{
	return (pg->flags & PG_FILE) && !vm->fm.files[pg->mapping].shmem;
}
static inline void folio_mark_dirty(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	if (!(pg->flags & PG_DIRTY) && page_counts_dirty(vm, pg))
		vm->fm.nr_dirty++;
	pg->flags |= PG_DIRTY;
}
static inline void folio_clear_dirty(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	if ((pg->flags & PG_DIRTY) && page_counts_dirty(vm, pg))
		vm->fm.nr_dirty--;
	pg->flags &= ~PG_DIRTY;
}
/* Write the page-cache page pfn back when it is dirty (in its page or a PTE: page_mkclean).
 * Returns whether it was written. */
bool folio_write_one(struct vm *vm, struct fault_work *w, pfn_t pfn);
/* wb_pages of background writeback complete at done_ps (vm_io_done). */
void filemap_writeback_done(struct filemap *fm, uint64_t nr_pages, uint64_t done_ps);
/* balance_dirty_pages after write(2) dirtied pages at now_ps. */
void balance_dirty_pages(struct vm *vm, struct fault_work *w, uint64_t now_ps);
/* Write back the dirty pages of [from, to) of file. Returns how many. */
uint64_t filemap_write_range(struct vm *vm, struct fault_work *w, uint32_t file, uint64_t from,
                             uint64_t to);

/* ---- truncate.c -------------------------------------------------------------------------- */
/* truncate_inode_pages_range: the page-cache pages of [from, to) of file are unmapped from
 * every mapper and freed (dirty ones dropped unwritten). */
void truncate_inode_pages_range(struct vm *vm, uint32_t file, uint64_t from, uint64_t to);

/* A page-cache page for (file, index) in the free frame pfn, up to date (no read), on the
 * policy's lists. */
void page_cache_add(struct vm *vm, struct mm_struct *mm, pfn_t pfn, uint32_t file, uint64_t index,
                    uint64_t next_use);

/* ---- shmem.c ----------------------------------------------------------------------------- */
/* Is pfn a page of a shmem object? */
static inline bool page_is_shmem(const struct vm *vm, const struct page *pg)
{
	return (pg->flags & PG_FILE) && vm->fm.files[pg->mapping].shmem;
}
/* shmem_fault for an index of a shmem object that holds no page: a hole gets a zeroed page
 * (faults.demand_zero), a swapped page is read back from its slot (major: *major set). The
 * new page is in the object's page cache; PFN_NONE when no frame could be had. */
pfn_t shmem_fault(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t index,
                  uint64_t next_use, bool *major);
/* Reclaim of the shmem page pfn (off the policy): unmapped, written to a new swap slot that
 * its index then holds. Returns false (the page stays, back on the policy of sc) when swap is
 * full; kswapd: the frame stays under writeback (*wb set) until its write completes. */
bool shmem_writeout(struct vm *vm, struct fault_work *w, struct reclaim_scope *sc, pfn_t pfn,
                    bool kswapd);
/* Free the pages and swap slots of indexes [from, to) of the shmem object file, unmapping the
 * pages from every mapper (fallocate's hole punch, MADV_REMOVE). */
void shmem_punch_hole(struct vm *vm, uint32_t file, uint64_t from, uint64_t to);
/* The anonymous shmem objects that no VMA of any address space maps any more die: their
 * pages and swap slots are freed (after munmap, mmap over, exit). */
void shmem_release_unmapped(struct vm *vm);

/* ---- huge_memory.c ----------------------------------------------------------------------- */
/* An eligible VMA and 2 MiB range: a huge page at vaddr. Returns true when it mapped one (w
 * filled); false: go on with 4 KiB pages (counted as a fallback when it wanted one). */
bool do_huge_pmd_anonymous_page(struct vm *vm, struct mm_struct *mm,
                                const struct vm_area_struct *vma, uint64_t vaddr, bool write,
                                uint64_t next_use, struct fault_work *w);
/* A write fault on a present, write-protected huge PMD: reuse it when it is the page's only
 * mapping, replace the huge zero page by a new huge page, else split this PMD (then the 4 KiB
 * path COWs the one page). Returns true when the access is resolved. */
bool do_huge_pmd_wp_page(struct vm *vm, struct mm_struct *mm, uint64_t vaddr, bool vma_write,
                         uint64_t next_use, struct fault_work *w);
/* split_huge_page: every mapping of the huge page at head becomes 512 PTEs and each frame an
 * ordinary page; with keep_head_out, the head frame is not given to the policy (reclaim holds
 * it as its victim). */
void split_huge_page(struct vm *vm, pfn_t head, bool keep_head_out);
/* __split_huge_pmd: mm's PMD at haddr becomes 512 PTEs that map the frames of the huge page,
 * which stays whole (other address spaces keep their PMDs). */
void __split_huge_pmd(struct vm *vm, struct mm_struct *mm, uint64_t haddr);
/* The PMDs and PTEs that map the frames of the huge page at head. */
uint32_t folio_mapcount(const struct vm *vm, pfn_t head);
/* Is every mapping of the huge page at head (PMD or PTE) in mm? */
bool folio_maps_only(const struct vm *vm, pfn_t head, const struct mm_struct *mm);
/* A mapping of a frame of the huge page at head went: free the page when none is left. */
void put_huge_page(struct vm *vm, pfn_t head);
/* The head frame of the huge page that frame pfn (PG_HUGE or PG_TAIL) belongs to. */
static inline pfn_t huge_head(pfn_t pfn)
{
	return pfn & ~(pfn_t)(HPAGE_NR - 1);
}
/* Anonymous mTHP (mthp.c): a none PTE of an anonymous private VMA, for a write (or a read
 * with vm.zero_page off): map the largest enabled folio around vaddr whose aligned range lies
 * in the VMA with every PTE none. true: mapped (w filled, faults.demand_zero counted); false:
 * no order allowed or no run free, the 4 KiB path goes on. */
bool do_anonymous_mthp(struct vm *vm, struct mm_struct *mm, const struct vm_area_struct *vma,
                       uint64_t vaddr, bool write, uint64_t next_use, struct fault_work *w);
/* An anonymous frame in an mTHP folio (pg->folio_order > 0): is every mapping of the folio's
 * frames in mm, and none of them in the swap cache (Linux's wp_can_reuse_anon_folio)? */
bool anon_folio_exclusive(const struct vm *vm, pfn_t pfn, const struct mm_struct *mm);
/* The mTHP folio unit at head (PG_FOLIO) is split: the policy holds its pages one by one
 * (in address order, as new pages), but out (PFN_NONE: none), left off the policy; count:
 * mthp.<N>kB.split. */
void folio_lru_split(struct vm *vm, pfn_t head, pfn_t out, bool count);
/* Split every huge page mapped by mm that straddles start or end. */
void split_huge_pmd_edges(struct vm *vm, struct mm_struct *mm, uint64_t start, uint64_t end);

#endif
