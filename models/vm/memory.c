/*
 * memory.c — page faults and the zapping of page ranges (Linux's mm/memory.c).
 *
 * handle_mm_fault finds the VMA (a stack grows down to the access: mmap.c's expand_stack; a
 * segfault outside every VMA or against its protection),
 * tries a 2 MiB page where the VMA wants one (huge_memory.c), then runs handle_pte_fault on
 * the 4 KiB PTE until the access is resolved. Each turn looks at the PTE and dispatches:
 *  - none, anonymous VMA: do_anonymous_page (the shared zero page for a read, else a zeroed
 *    frame: demand-zero; or a zeroed mTHP folio of several frames, mthp.c);
 *  - none, file VMA: do_fault -> do_read_fault (with do_fault_around), do_cow_fault or
 *    do_shared_fault, through the page cache (filemap.c);
 *  - a swap entry: do_swap_page (from the swap cache, or read from the swap device);
 *  - present and write-protected, for a write: do_wp_page (reuse the page when this PTE is
 *    its only user, make a shared file page writable, or copy: wp_page_copy).
 * A handler that changes the PTE returns FAULT_AGAIN and the next turn looks at it again, so a
 * write to a swapped-out page shared after fork is do_swap_page then do_wp_page, as in Linux.
 *
 * A handler that needs a frame reserves it first (fault_reserve; the allocation may reclaim a
 * victim, even a page of this process) and then re-reads the PTE: when reclaim changed it, the
 * turn ends and the next one decides again on the state after reclaim, keeping the reserved
 * frame (freed at the end when no turn used it).
 *
 * This layer is functional: what a fault did (frames zeroed or copied, disk requests, TLB
 * invalidations) goes into its struct fault_work, which the machine model costs.
 */
#include "models/vm/internal.h"

#include "models/vm/vma.h"

/* The state of one fault (Linux's struct vm_fault). */
struct vm_fault {
	struct vm *vm;
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	uint64_t address; /* page aligned */
	bool write;
	uint64_t next_use; /* the OPT future of the faulting access */
	struct fault_work *w;
	pte_t *pte;      /* the PTE of address (this turn) */
	pte_t orig_pte;  /* its value when the turn began */
	pfn_t reserve;   /* a frame allocated ahead of a decision, PFN_NONE: none */
	bool lru_access; /* resolved on a page the policy already holds: tell it the reference */
	bool new_page;   /* the faulting page is new to the policy (insert), not a reference */
};

enum fault_step {
	FAULT_AGAIN,    /* the PTE changed (or may have): the next turn looks at it again */
	FAULT_DONE,     /* the access is resolved */
	FAULT_OOM,      /* no frame could be had */
	FAULT_SIGBUS,   /* a file page beyond the end of the file */
	FAULT_RESERVED, /* (fault_reserve only) a frame is reserved and the PTE unchanged */
};

/* ---- the new page of a fault -------------------------------------------------------------- */

/*
 * Reserve the frame for the fault's new page (the one an earlier turn reserved, or a new one
 * for the page with policy key key), then look at the PTE again. pinned: a page the fault
 * holds that reclaim must not take (a COW source), or PFN_NONE. Returns FAULT_RESERVED, or
 * FAULT_AGAIN when reclaim changed the PTE, or FAULT_OOM.
 */
static enum fault_step fault_reserve(struct vm_fault *vf, uint64_t key, pfn_t pinned)
{
	struct vm *vm = vf->vm;
	if (vf->reserve == PFN_NONE) {
		vm->fault_pinned = pinned;
		vm->fault_pinned_next_use = vf->next_use;
		vm->alloc_vma = vf->vma; /* mbind's policy (memory.nodes) */
		vm->alloc_addr = vf->address;
		vf->reserve = alloc_frame(vm, vf->w, vf->mm, key);
		vm->alloc_vma = NULL;
		vm->fault_pinned = PFN_NONE;
		if (vf->reserve == PFN_NONE)
			return FAULT_OOM;
	}
	return *vf->pte == vf->orig_pte ? FAULT_RESERVED : FAULT_AGAIN;
}

/* When fault_map_new_page hands the new page to the replacement policy. The order is seen by
 * the policies that sample the accessed bit at insert (CAR, CLOCK-Pro): after the mapping they
 * clear the new PTE's accessed bit (which the fault's last turn sets again) and report a TLB
 * invalidation; before it, they find no PTE. */
enum lru_order {
	LRU_AFTER_MAP,  /* a zeroed or copied page */
	LRU_BEFORE_MAP, /* a page read back from swap (as vmsim has always done it) */
};

/*
 * The reserved frame becomes the fault's new anonymous page: its struct page (pg_flags, key,
 * and swap_slot's swap cache unless SLOT_NONE), mapped by a PTE with prot at the fault's
 * address, on the reverse map, and handed to the replacement policy (lru_add, in order).
 * Returns its frame.
 */
static inline __attribute__((always_inline)) pfn_t
fault_map_new_page(struct vm_fault *vf, uint32_t pg_flags, uint64_t key, uint32_t swap_slot,
                   pte_t prot, enum lru_order order)
{
	struct vm *vm = vf->vm;
	pfn_t pfn = vf->reserve;
	vf->reserve = PFN_NONE;
	struct page *pg = &vm->pages[pfn];
	vf->new_page = true;
	pg->flags = pg_flags;
	pg->key = key;
	if (swap_slot != SLOT_NONE) {
		pg->swap_slot = swap_slot;
		swap_set_cache(vm, swap_slot, pfn);
	}
	if (order == LRU_BEFORE_MAP)
		lru_add(vm, vf->mm, pfn, vf->next_use);
	pgtable_set(&vf->mm->pgd, vf->address, vf->pte, pte_mk(pfn, prot));
	rmap_add(vm, pfn, vf->mm, vf->address);
	if (order == LRU_AFTER_MAP)
		lru_add(vm, vf->mm, pfn, vf->next_use);
	return pfn;
}

/* ---- anonymous memory -------------------------------------------------------------------- */

/* A none PTE of an anonymous VMA: the zero page for a private read (vm.zero_page), else a
 * zeroed frame (demand-zero), writable when the VMA is. */
static enum fault_step do_anonymous_page(struct vm_fault *vf)
{
	struct vm *vm = vf->vm;
	bool vma_write = vf->vma->vm_flags & VM_WRITE;
	if (!vf->write && !(vf->vma->vm_flags & VM_SHARED) && vm->cfg.zero_page) {
		pgtable_set(&vf->mm->pgd, vf->address, vf->pte, pte_mk(0, PTE_ZERO | PTE_ACCESSED));
		vf->w->kinds |= FK_ZERO_PAGE;
		vm->st.faults_zero_page++;
		return FAULT_AGAIN;
	}
	if (unlikely(vm->cfg.mthp_orders) &&
	    do_anonymous_mthp(vm, vf->mm, vf->vma, vf->address, vf->write, vf->next_use, vf->w)) {
		vf->new_page = true;
		return FAULT_AGAIN;
	}
	uint64_t key = page_key(vf->mm, vf->address);
	enum fault_step r = fault_reserve(vf, key, PFN_NONE);
	if (r != FAULT_RESERVED)
		return r;
	fault_map_new_page(vf, PG_ANON | PG_DIRTY, key, SLOT_NONE,
	                   (vma_write ? PTE_WRITE : 0) | PTE_ACCESSED | (vf->write ? PTE_DIRTY : 0),
	                   LRU_AFTER_MAP);
	vf->w->zero_fills++;
	vf->w->kinds |= FK_DEMAND_ZERO;
	vm->st.faults_demand_zero++;
	return FAULT_AGAIN;
}

/*
 * A swap entry: the page is found in the swap cache (a minor fault, waiting if its read is in
 * flight) or read from the swap device into a new frame that joins the swap cache (major).
 * The PTE becomes present, writable when the VMA is and the page has no other user; a write
 * to a page still shared goes on to do_wp_page on the next turn.
 */
static enum fault_step do_swap_page(struct vm_fault *vf)
{
	struct vm *vm = vf->vm;
	struct fault_work *w = vf->w;
	uint32_t slot = (uint32_t)pte_swap_slot(vf->orig_pte);
	pfn_t pfn = swap_cache(vm, slot);
	bool new_page = pfn == PFN_NONE;
	if (new_page) {
		enum fault_step r = fault_reserve(vf, vm->swap[slot].key, PFN_NONE);
		if (r != FAULT_RESERVED)
			return r;
		if (swap_cache(vm, slot) != PFN_NONE)
			return FAULT_AGAIN;
	} else {
		w->kinds |= FK_SWAPCACHE;
		vm->st.faults_swapcache++;
		vm_wait_ready(vm, w, pfn);
		vf->lru_access = true;
	}
	vm->swap[slot].map--;
	vf->mm->swap_ents--;
	bool exclusive = (new_page || vm->pages[pfn].mapcount == 0) && vm->swap[slot].map == 0;
	pte_t prot = PTE_ACCESSED;
	if ((vf->vma->vm_flags & VM_WRITE) && ((vf->vma->vm_flags & VM_SHARED) || exclusive))
		prot |= PTE_WRITE;
	if (vf->write && (prot & PTE_WRITE))
		prot |= PTE_DIRTY;
	if (!new_page) {
		pgtable_set(&vf->mm->pgd, vf->address, vf->pte, pte_mk(pfn, prot));
		rmap_add(vm, pfn, vf->mm, vf->address);
		return FAULT_AGAIN;
	}
	pfn = fault_map_new_page(vf, PG_ANON | PG_SWAPCACHE, vm->swap[slot].key, slot, prot,
	                         LRU_BEFORE_MAP);
	swap_read_folio(vm, w, pfn, slot);
	w->major = true;
	w->kinds |= FK_SWAP_IN;
	vm->st.faults_swap_in++;
	return FAULT_AGAIN;
}

/* ---- write-protect faults ---------------------------------------------------------------- */

/* A private write to the zero page or to a page others still use: a new frame, zeroed or a
 * copy of the old one, replaces it in this PTE. */
static enum fault_step wp_page_copy(struct vm_fault *vf)
{
	struct vm *vm = vf->vm;
	struct fault_work *w = vf->w;
	bool zero = vf->orig_pte & PTE_ZERO;
	pfn_t old = zero ? PFN_NONE : (pfn_t)pte_pfn(vf->orig_pte);
	uint64_t key = page_key(vf->mm, vf->address);
	enum fault_step r = fault_reserve(vf, key, old);
	if (r != FAULT_RESERVED)
		return r;
	flush_tlb_page(vm, vf->mm, vf->address);
	if (!zero) {
		rmap_remove(vm, old, vf->mm, vf->address);
		put_page(vm, old);
	}
	fault_map_new_page(vf, PG_ANON | PG_DIRTY, key, SLOT_NONE,
	                   PTE_WRITE | PTE_ACCESSED | PTE_DIRTY, LRU_AFTER_MAP);
	w->kinds |= FK_COW;
	vm->st.faults_cow++;
	if (zero) {
		w->zero_fills++;
		return FAULT_AGAIN;
	}
	w->copies++;
	w->copy_src_pfn = old;
	w->kinds |= FK_COW_COPY;
	vm->st.faults_cow_copies++;
	return FAULT_AGAIN;
}

/* A write to a present, write-protected PTE (the VMA allows it: handle_mm_fault checked). */
static enum fault_step do_wp_page(struct vm_fault *vf)
{
	struct vm *vm = vf->vm;
	if (vf->orig_pte & PTE_ZERO)
		return wp_page_copy(vf);
	const struct page *pg = &vm->pages[pte_pfn(vf->orig_pte)];
	if ((vf->vma->vm_flags & VM_SHARED) && (pg->flags & PG_FILE)) {
		/* wp_page_shared: a shared file page mapped read-only (the VMA gained write
		 * access by mprotect) becomes writable. */
		*vf->pte |= PTE_WRITE;
		vf->w->kinds |= FK_FILE;
		vm->st.faults_file++;
		vf->lru_access = true;
		return FAULT_AGAIN;
	}
	bool exclusive = !(pg->flags & PG_FILE) && pg->mapcount == 1 &&
	                 (!(pg->flags & PG_SWAPCACHE) || vm->swap[pg->swap_slot].map == 0);
	if (pg->flags & (PG_HUGE | PG_TAIL)) /* a frame of a huge page whose PMD was split here */
		exclusive = folio_maps_only(vm, huge_head((pfn_t)pte_pfn(vf->orig_pte)), vf->mm);
	else if (exclusive && pg->folio_order && !(pg->flags & PG_FILE)) /* an mTHP folio's */
		exclusive = anon_folio_exclusive(vm, (pfn_t)pte_pfn(vf->orig_pte), vf->mm);
	if (!exclusive)
		return wp_page_copy(vf);
	/* wp_page_reuse: the only user gets write access back. */
	*vf->pte |= PTE_WRITE;
	vf->w->kinds |= FK_COW;
	vm->st.faults_cow++;
	vf->lru_access = true;
	return FAULT_AGAIN;
}

/* ---- file-backed memory ------------------------------------------------------------------ */

/* __do_fault and finish_fault: the page-cache page of the fault's file page (filemap_fault:
 * found, or read with readahead) mapped at its address, writable and dirty for a write. */
static enum fault_step __do_fault(struct vm_fault *vf, bool write)
{
	bool major;
	pfn_t pfn =
	    filemap_fault(vf->vm, vf->mm, vf->vma, vf->address, write, vf->next_use, &major);
	if (pfn == PFN_NONE)
		return FAULT_OOM;
	vf->new_page |= major;
	/* Mapped before readahead allocates, so that reclaim sees it mapped. */
	map_file_page(vf->vm, vf->mm, vf->vma, vf->address, pfn,
	              PTE_ACCESSED | (write ? PTE_DIRTY : 0));
	uint64_t from, to; /* a large folio is mapped whole (finish_fault) */
	if (filemap_folio_range(vf->vm, vf->vma, vf->address, write, &from, &to))
		filemap_map_folio(vf->vm, vf->mm, vf->vma, vf->address, from, to,
		                  write ? PTE_DIRTY : 0);
	if (major)
		filemap_readahead(vf->vm, vf->mm, vf->vma, vf->address);
	return FAULT_AGAIN;
}

/*
 * do_fault_around: map the cached pages of the aligned window of vm.fault_around_pages
 * (rounded down to a power of two, as Linux rounds fault_around_bytes) around the fault that
 * lie in the VMA, in the fault's page table and in the file, where the PTE is none
 * (filemap_map_pages). The faulting page is mapped young, its neighbours old.
 */
static void do_fault_around(struct vm_fault *vf)
{
	const struct vm_area_struct *vma = vf->vma;
	uint64_t nr = 1;
	while (nr * 2 <= vf->vm->cfg.fault_around_pages)
		nr *= 2;
	uint64_t pte_off = (vf->address >> PTE_SHIFT) & (PT_ENTRIES - 1);
	uint64_t vma_off = (vf->address - vma->vm_start) >> PTE_SHIFT;
	uint64_t vma_pages = (vma->vm_end - vma->vm_start) >> PTE_SHIFT;
	uint64_t from = MAX(pte_off & ~(nr - 1), pte_off - MIN(pte_off, vma_off));
	uint64_t to = MIN(MIN(from + nr, (uint64_t)PT_ENTRIES), pte_off + vma_pages - vma_off);
	uint64_t base = vf->address - (pte_off << PTE_SHIFT);
	filemap_map_pages(vf->vm, vf->mm, vf->vma, vf->address, base + (from << PTE_SHIFT),
	                  base + (to << PTE_SHIFT));
}

/* A read: the whole large folio (when the page is in one), and fault-around (when on: the
 * window maps the cached pages of every folio in it, as filemap_map_pages does), then the page
 * itself unless it was among those. */
static enum fault_step do_read_fault(struct vm_fault *vf)
{
	uint64_t from, to;
	bool folio = filemap_folio_range(vf->vm, vf->vma, vf->address, false, &from, &to);
	bool around = vf->vm->cfg.fault_around_pages > 1 && !(vf->vma->vm_flags & VM_NO_MAP_PAGES);
	if (folio || around) {
		if (folio)
			filemap_map_pages(vf->vm, vf->mm, vf->vma, vf->address, from, to);
		if (around)
			do_fault_around(vf);
		if (pte_present(*vf->pte)) {
			filemap_fault_cached(vf->vm, vf->vma, vf->address, (pfn_t)pte_pfn(*vf->pte),
			                     false, vf->next_use);
			return FAULT_AGAIN;
		}
	}
	return __do_fault(vf, false);
}

/* A private write: Linux copies the page-cache page into a new anonymous page at once, with
 * no fault-around; here the page-cache page alone is mapped read-only as for a read and the
 * next turn's do_wp_page copies it (the same counts and work: faults.file, then
 * faults.cow_copies; no neighbour is mapped). */
static enum fault_step do_cow_fault(struct vm_fault *vf)
{
	return __do_fault(vf, false);
}

/* A shared write: the page-cache page mapped writable and dirty (no fault-around). */
static enum fault_step do_shared_fault(struct vm_fault *vf)
{
	return __do_fault(vf, true);
}

/* A none PTE of a file VMA. */
static enum fault_step do_fault(struct vm_fault *vf)
{
	const struct vm_area_struct *vma = vf->vma;
	if (vma_file_index(vma, vf->address) >= vf->vm->fm.files[vma->vm_file - 1].nr_pages)
		return FAULT_SIGBUS; /* beyond the end of the file */
	if (!vf->write)
		return do_read_fault(vf);
	if (!(vma->vm_flags & VM_SHARED))
		return do_cow_fault(vf);
	return do_shared_fault(vf);
}

/* ---- dispatch ---------------------------------------------------------------------------- */

/* One turn on the 4 KiB PTE of the fault. */
/* A NUMA hint fault (vm.tiering.promotion): the hint goes, the page may be promoted
 * (migrate.c); the next turn resolves the access on the PTE as it then is. */
static enum fault_step do_numa_page(struct vm_fault *vf)
{
	*vf->pte &= ~PTE_NUMA;
	vf->lru_access = true;
	numa_hint_fault(vf->vm, vf->w, (pfn_t)pte_pfn(vf->orig_pte), vf->next_use);
	return FAULT_AGAIN;
}

static enum fault_step handle_pte_fault(struct vm_fault *vf)
{
	pte_t pte = vf->orig_pte;
	if (pte_present(pte)) {
		if (unlikely(pte & PTE_NUMA))
			return do_numa_page(vf);
		if (!vf->write || (pte & PTE_WRITE)) {
			/* Resolved (by an earlier turn). */
			*vf->pte |= PTE_ACCESSED | (vf->write ? PTE_DIRTY : 0);
			vf->w->pfn = (pte & PTE_ZERO) ? PFN_NONE : (uint32_t)pte_pfn(pte);
			return FAULT_DONE;
		}
		return do_wp_page(vf);
	}
	if (pte_is_swap(pte))
		return do_swap_page(vf);
	if (vf->vma->vm_file)
		return do_fault(vf);
	return do_anonymous_page(vf);
}

/* 2 MiB pages: a write to a write-protected huge PMD, or a first touch of an eligible aligned
 * range without a page table of 4 KiB PTEs (huge_memory.c). p: the entry the access found.
 * Returns true when the access is resolved; else the 4 KiB path goes on. */
static bool handle_huge_fault(struct vm_fault *vf, const pte_t *p)
{
	if (p && pte_huge(*p))
		return do_huge_pmd_wp_page(vf->vm, vf->mm, vf->address,
		                           vf->vma->vm_flags & VM_WRITE, vf->next_use, vf->w);
	if (vf->vm->cfg.thp == THP_NEVER)
		return false; /* no first huge touch: skip the probe of the PMD (host speed only) */
	if (!p || !pgtable_has_pte_table(&vf->mm->pgd, vf->address))
		return do_huge_pmd_anonymous_page(vf->vm, vf->mm, vf->vma, vf->address, vf->write,
		                                  vf->next_use, vf->w);
	return false;
}

static bool vma_allows(const struct vm_area_struct *v, enum access_kind kind)
{
	switch (kind) {
	case ACCESS_READ:
		return v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
	case ACCESS_WRITE:
		return v->vm_flags & VM_WRITE;
	default:
		return v->vm_flags & VM_EXEC;
	}
}

/* The faulting page is new to its policy, and the policy wants new pages unreferenced
 * (policy_ops.insert_old): the access that completes the fault is the insert, so the page's
 * PTE (or huge PMD) is left old. */
static void fault_leave_old(struct vm_fault *vf)
{
	struct vm *vm = vf->vm;
	pte_t *p = pgtable_lookup(&vf->mm->pgd, vf->address);
	if (!p || !pte_present(*p) || (*p & PTE_ZERO))
		return;
	const struct page *pg = &vm->pages[lru_head(vm, (pfn_t)pte_pfn(*p))];
	if ((pg->flags & PG_LRU) && policy_insert_old(vm->cfg.policy, pg->scope->policy))
		*p &= ~PTE_ACCESSED;
}

/* The end of a fault: the policy told of a reference to a page it holds (or, for a new page,
 * its accessed bit left as the policy wants it), the unused reserve freed. */
static enum access_status fault_finish(struct vm_fault *vf, enum fault_step r)
{
	struct vm *vm = vf->vm;
	struct fault_work *w = vf->w;
	enum access_status status = ACCESS_FAULT;
	const struct policy_ops *pol = vm->cfg.policy;
	if (r == FAULT_DONE && vf->lru_access && w->pfn != PFN_NONE &&
	    (pol->flags & POLICY_SEES_EVERY_ACCESS) && !(vm->pages[w->pfn].flags & PG_MLOCKED))
		pol->access(vm->pages[w->pfn].scope->policy, lru_head(vm, w->pfn), vf->write,
		            vf->next_use);
	if (r == FAULT_DONE && pol->insert_old && (vf->new_page || (w->kinds & FK_THP)))
		fault_leave_old(vf);
	if (r == FAULT_OOM)
		status = ACCESS_OOM;
	else if (r == FAULT_SIGBUS) {
		status = ACCESS_SEGV;
		w->signal = VM_SIG_BUS_ADRERR;
	}
	if (vf->reserve != PFN_NONE)
		free_frame(vm, vf->reserve);
	vm->cur = NULL;
	return status;
}

enum access_status handle_mm_fault(struct vm *vm, struct mm_struct *mm, uint64_t vaddr,
                                   enum access_kind kind, uint64_t next_use, struct fault_work *w)
{
	pte_t *p = pgtable_lookup_cached(&mm->pgd, vaddr, PGTABLE_TC_ACCESS);
	fault_work_reset(w);
	struct vm_area_struct *vma = find_vma(mm, vaddr);
	if (!vma)
		vma = expand_stack(vm, mm, vaddr);
	if (!vma || !vma_allows(vma, kind)) {
		w->signal = vma ? VM_SIG_SEGV_ACCERR : VM_SIG_SEGV_MAPERR;
		return ACCESS_SEGV;
	}
	vm->cur = w;
	struct vm_fault vf = {
	    .vm = vm,
	    .mm = mm,
	    .vma = vma,
	    .address = vaddr & ~(vm->cfg.page_size - 1),
	    .write = kind == ACCESS_WRITE,
	    .next_use = next_use,
	    .w = w,
	    .reserve = PFN_NONE,
	};
	enum fault_step r = handle_huge_fault(&vf, p) ? FAULT_DONE : FAULT_AGAIN;
	while (r == FAULT_AGAIN) {
		/* The leaf table the access's lookup cached when there is one (a table is never
		 * replaced while cached: pgtable.h), else a walk that allocates the missing ones. */
		vf.pte = pgtable_cached_pte(&mm->pgd, vf.address, PGTABLE_TC_ACCESS);
		if (!vf.pte)
			vf.pte = pgtable_alloc_pte(&mm->pgd, vf.address);
		vf.orig_pte = *vf.pte;
		r = handle_pte_fault(&vf);
	}
	return fault_finish(&vf, r);
}

/* ---- zapping ----------------------------------------------------------------------------- */

struct zap_ctx {
	struct vm *vm;
	struct mm_struct *mm;
	bool note;
};

static void zap_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct zap_ctx *z = ctx;
	pte_t pte = *p;
	if (pte_present(pte)) {
		if (z->note)
			flush_tlb_page(z->vm, z->mm, vaddr);
		pgtable_set(&z->mm->pgd, vaddr, p, 0);
		if (!(pte & PTE_ZERO)) {
			pfn_t pfn = (pfn_t)pte_pfn(pte);
			if (pte & PTE_DIRTY)
				folio_mark_dirty(z->vm, pfn);
			rmap_remove(z->vm, pfn, z->mm, vaddr);
			put_page(z->vm, pfn);
		}
	} else if (pte_is_swap(pte)) {
		pgtable_set(&z->mm->pgd, vaddr, p, 0);
		z->mm->swap_ents--;
		free_swap_and_cache(z->vm, (uint32_t)pte_swap_slot(pte));
	}
}

/* Prefetch what zap_pte will touch for a PTE a few entries ahead: the swap slot of a swap
 * entry, the struct page of a present page (a large unmap or exit visits them in address
 * order, scattered in memory). No effect on the simulation. */
static void zap_ahead(void *ctx, pte_t pte)
{
	const struct zap_ctx *z = ctx;
	if (pte_present(pte)) {
		if (!(pte & PTE_ZERO))
			__builtin_prefetch(&z->vm->pages[pte_pfn(pte)], 1, 3);
	} else if (pte_is_swap(pte)) {
		__builtin_prefetch(&z->vm->swap[pte_swap_slot(pte)], 1, 3);
	}
}

void zap_page_range(struct vm *vm, struct mm_struct *mm, uint64_t start, uint64_t end, bool note)
{
	struct zap_ctx z = {.vm = vm, .mm = mm, .note = note};
	split_huge_pmd_edges(vm, mm, start, end);
	pgtable_for_each_ahead(&mm->pgd, start, end, zap_pte, zap_ahead, &z);
	pgtable_free_empty(&mm->pgd, start, end);
}
