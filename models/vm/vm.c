/*
 * vm.c — frames, rmap, swap and swap cache, fault handling (do_anonymous_page, do_wp_page,
 * do_swap_page), reclaim (try_to_unmap + pageout), fork (dup_mmap), exit and munmap (zap), and
 * the --check invariant walk. See vm.h for the semantics and what is not modelled.
 *
 * A fault handler that needs a frame allocates it first (which may reclaim a victim, even a
 * page of the faulting process) and then re-reads the PTE, so every decision is taken on the
 * state after reclaim. That is the loop in vm_access.
 */
#include "models/vm/vm.h"

#include <stdlib.h>
#include <string.h>

#include "models/vm/vm_internal.h"
#include "models/vm/mm.h"
#include "models/vm/vm_internal.h"

#define SLOT_NONE UINT32_MAX

/* ---- policy environment ---------------------------------------------------------------- */

void note_inval(struct vm *vm, struct mm_struct *mm, uint64_t vaddr)
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

static bool env_test_and_clear_young(void *ctx, pfn_t pfn)
{
	struct vm *vm = ((struct reclaim_scope *)ctx)->vm;
	bool young = false;
	for (uint32_t r = vm->pages[pfn].rmap; r; r = vm->rmap_pool[r].next) {
		struct rmap_item *it = &vm->rmap_pool[r];
		pte_t *p = pgtable_lookup(&it->mm->pgd, it->vaddr);
		BUG_ON(!p || !pte_present(*p) || pte_pfn(*p) != pfn, "rmap points at a stale PTE");
		if (*p & PTE_ACCESSED) {
			*p &= ~PTE_ACCESSED;
			young = true;
			/* Flush the translation so the next use re-walks and sets the bit again
			 * (ptep_clear_flush_young); the functional result equals setting the bit
			 * on every access. */
			note_inval(vm, it->mm, it->vaddr);
		}
	}
	return young;
}

static bool env_page_dirty(void *ctx, pfn_t pfn)
{
	struct vm *vm = ((struct reclaim_scope *)ctx)->vm;
	struct page *pg = &vm->pages[pfn];
	if (pg->flags & PG_DIRTY)
		return true;
	if ((pg->flags & PG_ANON) && !(pg->flags & PG_SWAPCACHE))
		return true; /* no copy on swap yet: must be written before it can go */
	for (uint32_t r = pg->rmap; r; r = vm->rmap_pool[r].next) {
		pte_t *p = pgtable_lookup(&vm->rmap_pool[r].mm->pgd, vm->rmap_pool[r].vaddr);
		if (p && (*p & PTE_DIRTY))
			return true;
	}
	return false;
}

static uint64_t env_vtime(void *ctx)
{
	struct reclaim_scope *sc = ctx;
	return sc->mm ? sc->vtime : sc->vm->vtime;
}

void reclaim_scope_init(struct vm *vm, struct reclaim_scope *sc, struct mm_struct *mm)
{
	memset(sc, 0, sizeof(*sc));
	sc->vm = vm;
	sc->mm = mm;
	sc->limit_frames = mm ? vm->cfg.local_frames : UINT64_MAX;
	sc->env = (struct policy_env){
	    .nr_frames = vm->cfg.nr_frames,
	    /* Each local instance has its own random stream, derived from its pid. */
	    .seed = mm ? vm->cfg.seed ^ mix64(0x5c09e00000000000ull + mm->pid) : vm->cfg.seed,
	    .vm = sc,
	    .test_and_clear_young = env_test_and_clear_young,
	    .page_dirty = env_page_dirty,
	    .vtime = env_vtime,
	};
	sc->policy = vm->cfg.policy->create(&sc->env, vm->cfg.policy_params);
}

void reclaim_scope_fini(struct vm *vm, struct reclaim_scope *sc)
{
	if (sc->policy)
		vm->cfg.policy->destroy(sc->policy);
	sc->policy = NULL;
}

/* ---- frames ------------------------------------------------------------------------------ */

void free_frame(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	BUG_ON(pg->flags & PG_FREE, "double free of frame %u", pfn);
	BUG_ON(pg->mapcount || pg->rmap, "freeing mapped frame %u", pfn);
	pg->flags = PG_FREE;
	pg->next_free = vm->free_head;
	vm->free_head = pfn;
	vm->nr_free++;
}

pfn_t take_free_frame(struct vm *vm)
{
	pfn_t pfn = vm->free_head;
	if (pfn == PFN_NONE)
		return PFN_NONE;
	struct page *pg = &vm->pages[pfn];
	vm->free_head = pg->next_free;
	vm->nr_free--;
	memset(pg, 0, sizeof(*pg));
	pg->swap_slot = SLOT_NONE;
	uint64_t used = vm_frames_used(vm);
	if (used > vm->st.frames_used_max)
		vm->st.frames_used_max = used;
	return pfn;
}

void lru_add(struct vm *vm, struct mm_struct *mm, pfn_t pfn, uint64_t next_use)
{
	struct page *pg = &vm->pages[pfn];
	struct reclaim_scope *sc = reclaim_scope_of(vm, mm);
	pg->flags |= PG_LRU;
	pg->scope = sc;
	sc->nr_frames += (pg->flags & PG_HUGE) ? HPAGE_NR : 1;
	vm->cfg.policy->insert(sc->policy, pfn, pg->key, next_use);
}

void lru_del(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	if (pg->flags & PG_LRU) {
		pg->flags &= ~PG_LRU;
		pg->scope->nr_frames -= (pg->flags & PG_HUGE) ? HPAGE_NR : 1;
		vm->cfg.policy->remove(pg->scope->policy, pfn);
	}
}

/* ---- rmap -------------------------------------------------------------------------------- */

void rmap_add(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr)
{
	if (!vm->rmap_free) {
		uint32_t old = vm->rmap_cap, cap = old * 2;
		vm->rmap_pool = xrealloc(vm->rmap_pool, sizeof(*vm->rmap_pool) * cap);
		for (uint32_t i = old; i < cap; i++)
			vm->rmap_pool[i].next = i + 1 < cap ? i + 1 : 0;
		vm->rmap_free = old;
		vm->rmap_cap = cap;
	}
	uint32_t r = vm->rmap_free;
	vm->rmap_free = vm->rmap_pool[r].next;
	vm->rmap_pool[r] =
	    (struct rmap_item){.mm = mm, .vaddr = vaddr, .next = vm->pages[pfn].rmap};
	vm->pages[pfn].rmap = r;
	vm->pages[pfn].mapcount++;
	mm->rss_pages += (vm->pages[pfn].flags & PG_HUGE) ? HPAGE_NR : 1;
}

void rmap_remove(struct vm *vm, pfn_t pfn, struct mm_struct *mm, uint64_t vaddr)
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
			mm->rss_pages -= (vm->pages[pfn].flags & PG_HUGE) ? HPAGE_NR : 1;
			return;
		}
		link = &it->next;
	}
	BUG_ON(1, "no rmap item for frame %u at %llx", pfn, (unsigned long long)vaddr);
}

/* ---- swap -------------------------------------------------------------------------------- */

/* The frame caching swap slot slot, PFN_NONE: none (stored biased by one, see vm.h). */
static inline pfn_t swap_cache(const struct vm *vm, uint64_t slot)
{
	return (pfn_t)(vm->swap[slot].cache_pfn1 - 1u);
}

/* Set the frame caching slot (pfn may be PFN_NONE). */
static inline void swap_set_cache(struct vm *vm, uint64_t slot, pfn_t pfn)
{
	vm->swap[slot].cache_pfn1 = (uint32_t)pfn + 1u;
}

static uint32_t swap_alloc(struct vm *vm)
{
	if (vm->nr_swap_used == vm->cfg.swap_pages)
		return SLOT_NONE;
	/* Next fit: consecutive swap-outs take consecutive slots, as Linux's swap clusters do. */
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

static void swap_free(struct vm *vm, uint32_t slot)
{
	BUG_ON(!vm->swap_used[slot] || vm->swap[slot].map || swap_cache(vm, slot) != PFN_NONE,
	       "freeing busy swap slot %u", slot);
	vm->swap_used[slot] = 0;
	vm->nr_swap_used--;
}

static void swapcache_delete(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	uint32_t slot = pg->swap_slot;
	swap_set_cache(vm, slot, PFN_NONE);
	pg->flags &= ~PG_SWAPCACHE;
	pg->swap_slot = SLOT_NONE;
	if (vm->swap[slot].map == 0)
		swap_free(vm, slot);
}

/* The last PTE of pfn went away (munmap, exit, COW break). */
static void page_unmapped(struct vm *vm, pfn_t pfn)
{
	struct page *pg = &vm->pages[pfn];
	if (pg->mapcount || (pg->flags & PG_FILE))
		return; /* mapped elsewhere, or a page-cache page: it stays cached */
	if ((pg->flags & PG_SWAPCACHE) && vm->swap[pg->swap_slot].map)
		return; /* swap PTEs elsewhere will find it in the swap cache */
	if (pg->flags & PG_SWAPCACHE)
		swapcache_delete(vm, pfn);
	lru_del(vm, pfn);
	if (pg->flags & PG_HUGE)
		huge_free(vm, pfn);
	else
		free_frame(vm, pfn);
}

/* A swap PTE went away. */
static void swap_entry_put(struct vm *vm, uint32_t slot)
{
	BUG_ON(!vm->swap[slot].map, "swap slot %u count underflow", slot);
	if (--vm->swap[slot].map)
		return;
	pfn_t pfn = swap_cache(vm, slot);
	if (pfn == PFN_NONE) {
		swap_free(vm, slot);
		return;
	}
	if (vm->pages[pfn].mapcount == 0) {
		swapcache_delete(vm, pfn);
		lru_del(vm, pfn);
		free_frame(vm, pfn);
	}
}

/* ---- reclaim ----------------------------------------------------------------------------- */

void vm_add_io(struct fault_work *w, enum io_device dev, bool is_write, uint64_t offset,
               uint64_t size)
{
	if (w->nr_io) {
		struct io_req *last = &w->io[w->nr_io - 1];
		if (last->device == dev && last->is_write == is_write &&
		    last->offset_bytes + last->size_bytes == offset) {
			last->size_bytes += size;
			return;
		}
	}
	if (w->nr_io == FAULT_MAX_IO) {
		/* Out of room: cost the bytes with the last request (same amount transferred). */
		w->io[w->nr_io - 1].size_bytes += size;
		return;
	}
	w->io[w->nr_io++] = (struct io_req){.is_write = is_write,
	                                    .device = (uint8_t)dev,
	                                    .offset_bytes = offset,
	                                    .size_bytes = size};
}

static void add_io(struct fault_work *w, bool is_write, uint64_t offset, uint64_t size)
{
	vm_add_io(w, IO_DEV_SWAP, is_write, offset, size);
}

/*
 * A hint for the host's cache, no effect on the simulation: an eviction walks from the victim's
 * struct page to its reverse map, to its PTE (and swap slot), three dependent host cache misses
 * when victims are scattered. The policy's peek names the likely next victims, so each is
 * prefetched in three stages over the evictions before its own: the struct page first, the
 * rmap item (and swap slot) when the page is cached, the PTE when the rmap item is.
 */
/* Victims per stage: CLOCK tests ~2.3 frames per eviction on the bench trace; 2, 3 and 5
 * measured alike. */
#define VICTIM_PEEK_STAGE 3
static void prefetch_victims(const struct vm *vm, const struct reclaim_scope *sc)
{
	pfn_t v[3 * VICTIM_PEEK_STAGE];
	unsigned n = vm->cfg.policy->peek(sc->policy, v, 3 * VICTIM_PEEK_STAGE);
	for (unsigned i = 0; i < n; i++) {
		const struct page *pg = &vm->pages[v[i]];
		if (i >= 2 * VICTIM_PEEK_STAGE) {
			__builtin_prefetch(pg, 1, 3);
			continue;
		}
		if (!pg->rmap)
			continue;
		const struct rmap_item *it = &vm->rmap_pool[pg->rmap];
		if (i >= VICTIM_PEEK_STAGE) {
			__builtin_prefetch(it, 0, 3);
			if (pg->flags & PG_SWAPCACHE)
				__builtin_prefetch(&vm->swap[pg->swap_slot], 1, 3);
			continue;
		}
		const pte_t *p = pgtable_lookup(&it->mm->pgd, it->vaddr);
		if (p)
			__builtin_prefetch(p, 1, 3);
	}
	/* The slot the next swap-out will most likely take (swap_alloc is next fit). */
	__builtin_prefetch(&vm->swap[vm->swap_cursor], 1, 3);
}

/* Evict exactly one victim chosen by the policy to make room for the page incoming_key.
 * Returns false when none can go. */
bool reclaim_one(struct vm *vm, struct fault_work *w, struct reclaim_scope *sc,
                 uint64_t incoming_key, pfn_t *wb_out)
{
	if (wb_out)
		*wb_out = PFN_NONE;
	pfn_t pfn = incoming_key == KEY_NONE
	                ? vm->cfg.policy->evict(sc->policy)
	                : policy_evict_for(vm->cfg.policy, sc->policy, incoming_key);
	if (pfn != PFN_NONE && pfn == vm->fault_pinned) {
		/* The fault holds this page (a COW source): take another victim and give the
		 * pinned page back to the policy, as if it had been skipped (Linux holds a
		 * reference, so reclaim cannot free it). */
		pfn_t other = incoming_key == KEY_NONE
		                  ? vm->cfg.policy->evict(sc->policy)
		                  : policy_evict_for(vm->cfg.policy, sc->policy, incoming_key);
		struct page *pp = &vm->pages[pfn];
		vm->cfg.policy->insert(sc->policy, pfn, pp->key, vm->fault_pinned_next_use);
		pfn = other;
	}
	if (pfn == PFN_NONE)
		return false;
	struct page *pg = &vm->pages[pfn];
	BUG_ON(!(pg->flags & PG_LRU) || (pg->flags & PG_FREE) || pg->scope != sc,
	       "policy %s evicted frame %u that it does not hold", vm->cfg.policy->name, pfn);
	pg->flags &= ~PG_LRU;
	sc->nr_frames -= (pg->flags & PG_HUGE) ? HPAGE_NR : 1;
	if (pg->flags & PG_HUGE)
		huge_split(vm, pfn, true); /* swap-out splits the page; the head is the victim */
	if (pg->flags & PG_FILE) {
		/* Page cache: written back when dirty, then dropped (no swap slot). */
		filemap_reclaim_page(vm, w, pfn);
		vm->st.evictions++;
		w->evictions++;
		return true;
	}
	bool dirty = (pg->flags & PG_DIRTY) != 0;
	if (!(pg->flags & PG_SWAPCACHE)) {
		uint32_t slot = swap_alloc(vm);
		if (slot == SLOT_NONE) {
			/* Swap is full: the page stays; the caller reports out-of-memory. */
			pg->flags |= PG_LRU;
			sc->nr_frames++;
			vm->cfg.policy->insert(sc->policy, pfn, pg->key, NEXT_USE_NEVER);
			return false;
		}
		pg->flags |= PG_SWAPCACHE;
		pg->swap_slot = slot;
		swap_set_cache(vm, slot, pfn);
		vm->swap[slot].key = pg->key;
		dirty = true;
	}
	uint32_t slot = pg->swap_slot;
	/* try_to_unmap: every PTE becomes a swap entry. */
	while (pg->rmap) {
		struct rmap_item it = vm->rmap_pool[pg->rmap];
		pte_t *p = pgtable_lookup(&it.mm->pgd, it.vaddr);
		BUG_ON(!p || pte_pfn(*p) != pfn, "rmap points at a stale PTE");
		if (*p & PTE_DIRTY)
			dirty = true;
		note_inval(vm, it.mm, it.vaddr);
		rmap_remove(vm, pfn, it.mm, it.vaddr);
		pgtable_set(&it.mm->pgd, it.vaddr, p, pte_mkswap(slot));
		vm->swap[slot].map++;
		it.mm->swap_ents++;
	}
	bool wrote = false;
	if (vm->swap[slot].map == 0) {
		/* Nobody maps it and nobody will fault it back: the copy is not needed. */
		swapcache_delete(vm, pfn);
	} else {
		if (dirty) {
			add_io(w, true, (uint64_t)slot * vm->cfg.page_size, vm->cfg.page_size);
			vm->st.swap_out++;
			wrote = true;
		} else {
			vm->st.swap_out_clean_drops++;
		}
		swap_set_cache(vm, slot, PFN_NONE);
		pg->flags &= ~PG_SWAPCACHE;
		pg->swap_slot = SLOT_NONE;
	}
	if (wb_out && wrote) {
		/* kswapd: the frame is free only when its write completes (reclaim.c). */
		pg->flags = PG_WRITEBACK;
		vm->nr_writeback++;
		*wb_out = pfn;
	} else {
		free_frame(vm, pfn);
	}
	vm->st.evictions++;
	w->evictions++;
	if (vm->cfg.policy->peek)
		prefetch_victims(vm, sc);
	return true;
}

/* ---- faults ------------------------------------------------------------------------------ */

static bool vma_allows(const struct vm_area_struct *v, int kind)
{
	switch (kind) {
	case 0:
		return v->vm_flags & (VM_READ | VM_WRITE | VM_EXEC);
	case 1:
		return v->vm_flags & VM_WRITE;
	default:
		return v->vm_flags & VM_EXEC;
	}
}

enum access_status vm_access_fault(struct vm *vm, struct mm_struct *mm, uint64_t vaddr, int kind,
                                   uint64_t next_use, struct fault_work *w)
{
	const struct policy_ops *pol = vm->cfg.policy;
	pte_t *p = pgtable_lookup_cached(&mm->pgd, vaddr, PGTABLE_TC_ACCESS);
	fault_work_reset(w);
	struct vm_area_struct *vma = find_vma(mm, vaddr);
	if (!vma || !vma_allows(vma, kind)) {
		vm->st.segv++;
		return ACCESS_SEGV;
	}
	vm->cur = w;
	vaddr &= ~(vm->cfg.page_size - 1);
	bool write = kind == 1;
	bool vma_write = vma->vm_flags & VM_WRITE;
	bool shared = vma->vm_flags & VM_SHARED;
	pfn_t reserve = PFN_NONE; /* a frame allocated ahead of a decision */
	enum access_status status = ACCESS_FAULT;
	bool need_lru_access = false; /* a fault resolved on a page the policy already holds */

	/* 2 MiB pages: a write to a write-protected huge PMD, or a first touch of an eligible
	 * aligned range (huge.c). Anything else goes on with 4 KiB pages. */
	if (p && pte_huge(*p)) {
		if (huge_wp_fault(vm, mm, vaddr, vma_write, w))
			goto out;
	} else if (!p || !pgtable_has_pte_table(&mm->pgd, vaddr)) {
		if (huge_try_fault(vm, mm, vma, vaddr, write, next_use, w))
			goto out;
	}

	for (;;) {
		p = pgtable_alloc_pte(&mm->pgd, vaddr);
		pte_t pte = *p;
		if (pte_present(pte) && (!write || (pte & PTE_WRITE))) {
			/* Resolved (by an earlier step of this loop). */
			*p |= PTE_ACCESSED | (write ? PTE_DIRTY : 0);
			w->pfn = (pte & PTE_ZERO) ? PFN_NONE : (uint32_t)pte_pfn(pte);
			break;
		}
		if (pte_present(pte)) {
			/* do_wp_page: a write to a write-protected private page. */
			if (pte & PTE_ZERO) {
				if (reserve == PFN_NONE &&
				    (reserve = alloc_frame(vm, w, mm, page_key(mm, vaddr))) ==
				        PFN_NONE)
					goto oom;
				if (*p != pte)
					continue;
				pfn_t pfn = reserve;
				reserve = PFN_NONE;
				struct page *pg = &vm->pages[pfn];
				pg->flags = PG_ANON | PG_DIRTY;
				pg->key = page_key(mm, vaddr);
				note_inval(vm, mm, vaddr);
				pgtable_set(&mm->pgd, vaddr, p, 0);
				pgtable_set(&mm->pgd, vaddr, p,
				            pte_mk(pfn, PTE_WRITE | PTE_ACCESSED | PTE_DIRTY));
				rmap_add(vm, pfn, mm, vaddr);
				w->zero_fills++;
				w->kinds |= FK_COW;
				vm->st.faults_cow++;
				lru_add(vm, mm, pfn, next_use);
				continue;
			}
			pfn_t old = (pfn_t)pte_pfn(pte);
			struct page *opg = &vm->pages[old];
			if (shared && (opg->flags & PG_FILE)) {
				/* wp_page_shared: a shared file page mapped read-only (the VMA
				 * gained write access by mprotect) becomes writable. */
				*p |= PTE_WRITE;
				w->kinds |= FK_FILE;
				vm->st.faults_file++;
				need_lru_access = true;
				continue;
			}
			bool exclusive =
			    !(opg->flags & PG_FILE) && opg->mapcount == 1 &&
			    (!(opg->flags & PG_SWAPCACHE) || vm->swap[opg->swap_slot].map == 0);
			if (exclusive) {
				/* Reuse: the only mapper gets write access back. */
				*p |= PTE_WRITE;
				w->kinds |= FK_COW;
				vm->st.faults_cow++;
				need_lru_access = true;
				continue;
			}
			if (reserve == PFN_NONE) {
				vm->fault_pinned = old;
				vm->fault_pinned_next_use = next_use;
				reserve = alloc_frame(vm, w, mm, page_key(mm, vaddr));
				vm->fault_pinned = PFN_NONE;
				if (reserve == PFN_NONE)
					goto oom;
			}
			if (*p != pte)
				continue; /* reclaim changed this PTE: decide again */
			pfn_t pfn = reserve;
			reserve = PFN_NONE;
			struct page *pg = &vm->pages[pfn];
			pg->flags = PG_ANON | PG_DIRTY;
			pg->key = page_key(mm, vaddr);
			note_inval(vm, mm, vaddr);
			rmap_remove(vm, old, mm, vaddr);
			pgtable_set(&mm->pgd, vaddr, p,
			            pte_mk(pfn, PTE_WRITE | PTE_ACCESSED | PTE_DIRTY));
			rmap_add(vm, pfn, mm, vaddr);
			page_unmapped(vm, old);
			w->copies++;
			w->copy_src_pfn = old;
			w->kinds |= FK_COW | FK_COW_COPY;
			vm->st.faults_cow++;
			vm->st.faults_cow_copies++;
			lru_add(vm, mm, pfn, next_use);
			continue;
		}
		if (pte_is_swap(pte)) {
			/* do_swap_page */
			uint32_t slot = (uint32_t)pte_swap_slot(pte);
			pfn_t pfn = swap_cache(vm, slot);
			if (pfn == PFN_NONE) {
				if (reserve == PFN_NONE &&
				    (reserve = alloc_frame(vm, w, mm, vm->swap[slot].key)) ==
				        PFN_NONE)
					goto oom;
				if (*p != pte || swap_cache(vm, slot) != PFN_NONE)
					continue;
				pfn = reserve;
				reserve = PFN_NONE;
				struct page *pg = &vm->pages[pfn];
				pg->flags = PG_ANON | PG_SWAPCACHE;
				pg->swap_slot = slot;
				pg->key = vm->swap[slot].key;
				swap_set_cache(vm, slot, pfn);
				add_io(w, false, (uint64_t)slot * vm->cfg.page_size,
				       vm->cfg.page_size);
				vm_note_read(w, pfn);
				w->major = true;
				w->kinds |= FK_SWAP_IN;
				vm->st.faults_swap_in++;
				lru_add(vm, mm, pfn, next_use);
			} else {
				w->kinds |= FK_SWAPCACHE;
				vm->st.faults_swapcache++;
				vm_wait_ready(vm, w, pfn);
				need_lru_access = true;
			}
			struct page *pg = &vm->pages[pfn];
			vm->swap[slot].map--;
			mm->swap_ents--;
			bool exclusive = pg->mapcount == 0 && vm->swap[slot].map == 0;
			pte_t flags = PTE_ACCESSED;
			if (vma_write && (shared || exclusive))
				flags |= PTE_WRITE;
			if (write && (flags & PTE_WRITE))
				flags |= PTE_DIRTY;
			pgtable_set(&mm->pgd, vaddr, p, pte_mk(pfn, flags));
			rmap_add(vm, pfn, mm, vaddr);
			continue; /* a write to a still-shared page goes on to do_wp_page */
		}
		if (vma->vm_file) {
			/* do_fault: the page-cache half; a private write then COWs above. */
			enum filemap_fault_result fr =
			    filemap_fault(vm, mm, vma, vaddr, write && shared, next_use);
			if (fr == FILEMAP_OOM)
				goto oom;
			if (fr == FILEMAP_SIGBUS) {
				vm->st.segv++;
				status = ACCESS_SEGV;
				goto out;
			}
			continue;
		}
		/* do_anonymous_page */
		if (!write && !shared && vm->cfg.zero_page) {
			pgtable_set(&mm->pgd, vaddr, p, pte_mk(0, PTE_ZERO | PTE_ACCESSED));
			w->kinds |= FK_ZERO_PAGE;
			vm->st.faults_zero_page++;
			continue;
		}
		if (reserve == PFN_NONE &&
		    (reserve = alloc_frame(vm, w, mm, page_key(mm, vaddr))) == PFN_NONE)
			goto oom;
		if (*p != pte)
			continue;
		pfn_t pfn = reserve;
		reserve = PFN_NONE;
		struct page *pg = &vm->pages[pfn];
		pg->flags = PG_ANON | PG_DIRTY;
		pg->key = page_key(mm, vaddr);
		pgtable_set(&mm->pgd, vaddr, p,
		            pte_mk(pfn, (vma_write ? PTE_WRITE : 0) | PTE_ACCESSED |
		                            (write ? PTE_DIRTY : 0)));
		rmap_add(vm, pfn, mm, vaddr);
		w->zero_fills++;
		w->kinds |= FK_DEMAND_ZERO;
		vm->st.faults_demand_zero++;
		lru_add(vm, mm, pfn, next_use);
	}
	if (need_lru_access && w->pfn != PFN_NONE && (pol->flags & POLICY_SEES_EVERY_ACCESS))
		pol->access(vm->pages[w->pfn].scope->policy, w->pfn, write, next_use);
	goto out;
oom:
	vm->st.oom++;
	status = ACCESS_OOM;
out:
	if (reserve != PFN_NONE)
		free_frame(vm, reserve);
	if (status == ACCESS_FAULT) {
		if (w->major)
			vm->st.faults_major++;
		else
			vm->st.faults_minor++;
	}
	vm->cur = NULL;
	return status;
}

/* ---- address spaces ---------------------------------------------------------------------- */

/*
 * Page-table pages. By default they live in physical memory above memory.frames (accounted
 * apart). With memory.page_tables_in_frames they take frames of memory.frames, reclaiming a
 * victim when none is free (its I/O is costed when a fault is running, else not); when no
 * frame can be had at all, the table goes above memory.frames and is counted in
 * memory.page_table_overflow. They are never evicted.
 */
static uint64_t alloc_pt_paddr(void *ctx)
{
	struct vm *vm = ctx;
	vm->st.page_table_pages++;
	if (vm->st.page_table_pages > vm->st.page_table_pages_max)
		vm->st.page_table_pages_max = vm->st.page_table_pages;
	if (vm->cfg.page_tables_in_frames) {
		struct fault_work scratch;
		memset(&scratch, 0, sizeof(scratch));
		struct fault_work *w = vm->cur ? vm->cur : &scratch;
		pfn_t pfn = alloc_frame(vm, w, NULL, KEY_NONE);
		if (pfn != PFN_NONE) {
			vm->pages[pfn].flags = PG_PGTABLE;
			return (uint64_t)pfn * vm->cfg.page_size;
		}
		vm->st.page_table_overflow++;
		vm->st.page_table_overflow_now++;
	}
	uint64_t p = vm->next_pt_paddr;
	vm->next_pt_paddr += vm->cfg.page_size;
	return p;
}

static void free_pt_paddr(void *ctx, uint64_t paddr)
{
	struct vm *vm = ctx;
	vm->st.page_table_pages--;
	uint64_t pfn = paddr / vm->cfg.page_size;
	if (pfn >= vm->cfg.nr_frames) {
		if (vm->cfg.page_tables_in_frames)
			vm->st.page_table_overflow_now--;
	} else {
		BUG_ON(!(vm->pages[pfn].flags & PG_PGTABLE), "page table at frame %llu not marked",
		       (unsigned long long)pfn);
		vm->pages[pfn].flags = 0;
		free_frame(vm, (pfn_t)pfn);
	}
}

struct mm_struct *vm_mm_create(struct vm *vm, uint32_t pid)
{
	struct mm_struct *mm = xcalloc(1, sizeof(*mm));
	mm->pid = pid;
	mm->asid = vm->next_asid++;
	mm->last_vma = UINT32_MAX;
	pgtable_init(&mm->pgd, vm->cfg.pt_levels, alloc_pt_paddr, free_pt_paddr, vm, &vm->pt_arena);
	if (vm->cfg.local_scope) {
		reclaim_scope_init(vm, &mm->scope, mm);
		BUG_ON(!mm->scope.policy, "policy %s refused a local instance",
		       vm->cfg.policy->name);
	}
	/* Append to the list of live address spaces (oldest first). */
	struct mm_struct **link = &vm->mm_list, *prev = NULL;
	while (*link) {
		prev = *link;
		link = &(*link)->mm_next;
	}
	*link = mm;
	mm->mm_prev = prev;
	return mm;
}

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
			note_inval(z->vm, z->mm, vaddr);
		pgtable_set(&z->mm->pgd, vaddr, p, 0);
		if (!(pte & PTE_ZERO)) {
			pfn_t pfn = (pfn_t)pte_pfn(pte);
			if (pte & PTE_DIRTY)
				z->vm->pages[pfn].flags |= PG_DIRTY;
			rmap_remove(z->vm, pfn, z->mm, vaddr);
			page_unmapped(z->vm, pfn);
		}
	} else if (pte_is_swap(pte)) {
		pgtable_set(&z->mm->pgd, vaddr, p, 0);
		z->mm->swap_ents--;
		swap_entry_put(z->vm, (uint32_t)pte_swap_slot(pte));
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

void vm_zap_range(struct vm *vm, struct mm_struct *mm, uint64_t start, uint64_t end, bool note)
{
	struct zap_ctx z = {.vm = vm, .mm = mm, .note = note};
	huge_split_edges(vm, mm, start, end);
	pgtable_for_each_ahead(&mm->pgd, start, end, zap_pte, zap_ahead, &z);
	pgtable_free_empty(&mm->pgd, start, end);
}

void vm_mm_destroy(struct vm *vm, struct mm_struct *mm, struct fault_work *w)
{
	vm->cur = w;
	/* The address space dies: its TLB entries are flushed by asid, not one by one. */
	vm_zap_range(vm, mm, 0, UINT64_MAX >> 7, false);
	vm->cur = NULL;
	BUG_ON(mm->rss_pages || mm->swap_ents, "pages left after exit of pid %u", mm->pid);
	if (mm->mm_prev)
		mm->mm_prev->mm_next = mm->mm_next;
	else
		vm->mm_list = mm->mm_next;
	if (mm->mm_next)
		mm->mm_next->mm_prev = mm->mm_prev;
	if (vm->cfg.local_scope) {
		reclaim_mm_exit(vm, mm);
		reclaim_scope_fini(vm, &mm->scope);
	}
	pgtable_fini(&mm->pgd);
	free(mm->vmas);
	free(mm);
}

int vm_check_range(struct vm *vm, uint64_t addr, uint64_t len)
{
	uint64_t ps = vm->cfg.page_size;
	if (len == 0 || (addr & (ps - 1)) || addr + len < addr ||
	    addr + len > (1ull << (PTE_SHIFT + PT_BITS * vm->cfg.pt_levels)))
		return -1;
	return 0;
}

int vm_mmap_anon(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                 uint32_t vm_flags, struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	len = (len + ps - 1) & ~(ps - 1);
	if (vm_check_range(vm, addr, len))
		return -1;
	vm->cur = w;
	vm_zap_range(vm, mm, addr, addr + len, true);
	vm->cur = NULL;
	mm_remove_range(mm, addr, addr + len);
	mm_insert_vma(mm, (struct vm_area_struct){
	                      .vm_start = addr, .vm_end = addr + len, .vm_flags = vm_flags});
	return 0;
}

int vm_munmap(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
              struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	len = (len + ps - 1) & ~(ps - 1);
	if (vm_check_range(vm, addr, len))
		return -1;
	vm->cur = w;
	vm_zap_range(vm, mm, addr, addr + len, true);
	vm->cur = NULL;
	mm_remove_range(mm, addr, addr + len);
	return 0;
}

struct wrprotect_ctx {
	struct vm *vm;
	struct mm_struct *mm;
};

static void wrprotect_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct wrprotect_ctx *c = ctx;
	if (pte_present(*p) && (*p & PTE_WRITE)) {
		*p &= ~PTE_WRITE;
		note_inval(c->vm, c->mm, vaddr);
	}
}

int vm_mprotect(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len, uint32_t prot,
                struct fault_work *w)
{
	uint64_t ps = vm->cfg.page_size;
	len = (len + ps - 1) & ~(ps - 1);
	if (vm_check_range(vm, addr, len) || !mm_range_mapped(mm, addr, addr + len))
		return -1; /* ENOMEM in Linux: part of the range is not mapped */
	mm_set_flags_range(mm, addr, addr + len, VM_READ | VM_WRITE | VM_EXEC, prot);
	if (!(prot & VM_WRITE)) {
		struct wrprotect_ctx c = {.vm = vm, .mm = mm};
		vm->cur = w;
		huge_split_edges(vm, mm, addr, addr + len);
		pgtable_for_each(&mm->pgd, addr, addr + len, wrprotect_pte, &c);
		vm->cur = NULL;
	}
	return 0;
}

struct fork_ctx {
	struct vm *vm;
	struct mm_struct *parent, *child;
	bool shared;
};

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
		note_inval(c->vm, c->parent, vaddr);
		pte &= ~PTE_WRITE;
	}
	pte &= ~PTE_ACCESSED; /* copy_present_pte makes the child's PTE old */
	pgtable_set(&c->child->pgd, vaddr, cp, pte);
	rmap_add(c->vm, (pfn_t)pte_pfn(pte), c->child, vaddr);
}

struct mm_struct *vm_fork(struct vm *vm, struct mm_struct *parent, uint32_t child_pid,
                          struct fault_work *w)
{
	struct mm_struct *child = vm_mm_create(vm, child_pid);
	vm->cur = w;
	for (uint32_t i = 0; i < parent->nr_vmas; i++) {
		struct vm_area_struct *v = &parent->vmas[i];
		mm_insert_vma(child, *v);
		if (v->vm_file && (v->vm_flags & VM_SHARED))
			continue; /* only page-cache pages: nothing to copy */
		struct fork_ctx c = {.vm = vm,
		                     .parent = parent,
		                     .child = child,
		                     .shared = (v->vm_flags & VM_SHARED) != 0};
		pgtable_for_each(&parent->pgd, v->vm_start, v->vm_end, fork_pte, &c);
	}
	vm->cur = NULL;
	return child;
}

/* ---- setup ------------------------------------------------------------------------------- */

int vm_init(struct vm *vm, const struct vm_config *cfg, struct err *err)
{
	memset(vm, 0, sizeof(*vm));
	vm->cfg = *cfg;
	uint64_t n = cfg->nr_frames;
	vm->pages = xcalloc_big(n, sizeof(*vm->pages));
	vm->free_head = PFN_NONE;
	for (uint64_t i = n; i-- > 0;) {
		vm->pages[i].flags = PG_FREE;
		vm->pages[i].next_free = vm->free_head;
		vm->free_head = (pfn_t)i;
	}
	vm->nr_free = n;
	vm->rmap_cap = 1024;
	vm->rmap_pool = xcalloc(vm->rmap_cap, sizeof(*vm->rmap_pool));
	for (uint32_t i = 1; i < vm->rmap_cap; i++)
		vm->rmap_pool[i].next = i + 1 < vm->rmap_cap ? i + 1 : 0;
	vm->rmap_free = 1;
	uint64_t s = cfg->swap_pages ? cfg->swap_pages : 1;
	vm->swap = xcalloc_big(s, sizeof(*vm->swap)); /* all zero: untouched until used */
	vm->swap_used = xcalloc(s, 1);
	/* Page-table pages live above the frames of memory.frames in the physical space. */
	vm->next_pt_paddr = (n + 1) * cfg->page_size;
	vm->next_asid = 1;
	vm->fault_pinned = PFN_NONE;
	pt_arena_init(&vm->pt_arena);
	filemap_init(&vm->fm, cfg->page_size);
	reclaim_scope_init(vm, &vm->scope, NULL);
	if (!vm->scope.policy) {
		vm_fini(vm);
		return err_set(err, "vm.policy_params: policy %s rejected its parameters",
		               cfg->policy->name);
	}
	return 0;
}

void vm_fini(struct vm *vm)
{
	reclaim_scope_fini(vm, &vm->scope);
	xfree_big(vm->pages, vm->cfg.nr_frames, sizeof(*vm->pages));
	free(vm->wb);
	free(vm->rmap_pool);
	xfree_big(vm->swap, vm->cfg.swap_pages ? vm->cfg.swap_pages : 1, sizeof(*vm->swap));
	free(vm->swap_used);
	filemap_fini(&vm->fm);
	pt_arena_fini(&vm->pt_arena);
	memset(vm, 0, sizeof(*vm));
}

/* ---- invariants -------------------------------------------------------------------------- */

struct check_ctx {
	struct vm *vm;
	struct mm_struct *mm;
	uint32_t *maps;  /* PTEs seen per frame */
	uint32_t *swaps; /* swap PTEs seen per slot */
};

static void check_pte(void *ctx, uint64_t vaddr, pte_t *p)
{
	struct check_ctx *c = ctx;
	struct vm *vm = c->vm;
	pte_t pte = *p;
	if (pte_is_swap(pte)) {
		uint64_t slot = pte_swap_slot(pte);
		BUG_ON(slot >= vm->swap_high || !vm->swap_used[slot],
		       "pid %u %llx: swap PTE to free slot %llu", c->mm->pid,
		       (unsigned long long)vaddr, (unsigned long long)slot);
		c->swaps[slot]++;
		return;
	}
	if (!pte_present(pte) || (pte & PTE_ZERO))
		return;
	uint64_t pfn = pte_pfn(pte);
	BUG_ON(pfn >= vm->cfg.nr_frames, "PTE to frame %llu beyond memory",
	       (unsigned long long)pfn);
	BUG_ON(pte_huge(pte) != !!(vm->pages[pfn].flags & PG_HUGE),
	       "pid %u %llx: huge PMD and frame %llu disagree", c->mm->pid,
	       (unsigned long long)vaddr, (unsigned long long)pfn);
	BUG_ON(vm->pages[pfn].flags & PG_FREE, "pid %u %llx maps free frame %llu", c->mm->pid,
	       (unsigned long long)vaddr, (unsigned long long)pfn);
	BUG_ON(!find_vma(c->mm, vaddr), "pid %u: PTE at %llx outside every VMA", c->mm->pid,
	       (unsigned long long)vaddr);
	c->maps[pfn]++;
	const struct page *pg = &vm->pages[pfn];
	if (pg->flags & PG_FILE) {
		const struct vm_area_struct *v = find_vma(c->mm, vaddr);
		BUG_ON(v->vm_file != pg->mapping + 1 || vma_file_index(v, vaddr) != pg->index,
		       "pid %u %llx: maps page-cache page %llu (file %u index %llu) that its VMA "
		       "does not map there",
		       c->mm->pid, (unsigned long long)vaddr, (unsigned long long)pfn, pg->mapping,
		       (unsigned long long)pg->index);
		BUG_ON(!(v->vm_flags & VM_SHARED) && (pte & PTE_WRITE),
		       "pid %u %llx: private mapping of a page-cache page is writable", c->mm->pid,
		       (unsigned long long)vaddr);
	}
	bool found = false;
	for (uint32_t r = vm->pages[pfn].rmap; r && !found; r = vm->rmap_pool[r].next)
		found = vm->rmap_pool[r].mm == c->mm && vm->rmap_pool[r].vaddr == vaddr;
	BUG_ON(!found, "pid %u %llx: frame %llu has no rmap item for this PTE", c->mm->pid,
	       (unsigned long long)vaddr, (unsigned long long)pfn);
}

void vm_check(struct vm *vm, struct mm_struct *const *mms, size_t nr_mms)
{
	/* Slots at or above the high-water mark were never used: nothing to check there. */
	uint64_t n = vm->cfg.nr_frames, s = vm->swap_high;
	struct check_ctx c = {.vm = vm};
	c.maps = xcalloc(n ? n : 1, sizeof(uint32_t));
	c.swaps = xcalloc(s ? s : 1, sizeof(uint32_t));
	uint64_t rss = 0;
	for (size_t i = 0; i < nr_mms; i++) {
		c.mm = mms[i];
		pgtable_for_each(&mms[i]->pgd, 0, UINT64_MAX >> 7, check_pte, &c);
		rss += mms[i]->rss_pages;
	}
	uint64_t nr_free = 0, mapped = 0, nr_wb = 0, scope_frames = 0, nr_pt_frames = 0;
	for (uint32_t f = vm->free_head; f != PFN_NONE; f = vm->pages[f].next_free) {
		BUG_ON(!(vm->pages[f].flags & PG_FREE), "frame %u on the free list but in use", f);
		BUG_ON(++nr_free > n, "free list has a cycle");
	}
	BUG_ON(nr_free != vm->nr_free, "free list holds %llu frames, count says %llu",
	       (unsigned long long)nr_free, (unsigned long long)vm->nr_free);
	for (uint64_t f = 0; f < n; f++) {
		struct page *pg = &vm->pages[f];
		BUG_ON(pg->mapcount != c.maps[f], "frame %llu: mapcount %u but %u PTEs map it",
		       (unsigned long long)f, pg->mapcount, c.maps[f]);
		mapped += (uint64_t)pg->mapcount * ((pg->flags & PG_HUGE) ? HPAGE_NR : 1);
		if (pg->flags & PG_FREE)
			continue;
		if (pg->flags & PG_PGTABLE) {
			BUG_ON(pg->mapcount || pg->rmap || (pg->flags & PG_LRU),
			       "frame %llu: page-table page mapped or evictable",
			       (unsigned long long)f);
			nr_pt_frames++;
			continue;
		}
		if (pg->flags & (PG_WRITEBACK | PG_TAIL)) {
			/* Under kswapd's write (unmapped), or a tail of the huge page before it. */
			BUG_ON(pg->mapcount || pg->rmap, "frame %llu: writeback/tail frame mapped",
			       (unsigned long long)f);
			BUG_ON((pg->flags & PG_TAIL) &&
			           !(vm->pages[f & ~(uint64_t)(HPAGE_NR - 1)].flags & PG_HUGE),
			       "frame %llu: tail of no huge page", (unsigned long long)f);
			if (pg->flags & PG_WRITEBACK)
				nr_wb++;
			continue;
		}
		BUG_ON(!(pg->flags & PG_LRU), "frame %llu in use but not on the policy's lists",
		       (unsigned long long)f);
		BUG_ON(!pg->scope || (vm->cfg.local_scope ? 0 : pg->scope != &vm->scope),
		       "frame %llu: no replacement scope", (unsigned long long)f);
		if (pg->flags & PG_HUGE)
			for (uint64_t i = 1; i < HPAGE_NR; i++)
				BUG_ON(f + i >= n || !(vm->pages[f + i].flags & PG_TAIL),
				       "huge page %llu: frame %llu is not its tail",
				       (unsigned long long)f, (unsigned long long)(f + i));
		scope_frames += (pg->flags & PG_HUGE) ? HPAGE_NR : 1;
		if (pg->flags & PG_FILE)
			BUG_ON(pg->mapping >= vm->fm.nr_files ||
			           filemap_lookup(&vm->fm, pg->mapping, pg->index) != f,
			       "frame %llu: page-cache page (file %u index %llu) not found by its "
			       "file and index",
			       (unsigned long long)f, pg->mapping, (unsigned long long)pg->index);
		else if (pg->flags & PG_SWAPCACHE)
			BUG_ON(swap_cache(vm, pg->swap_slot) != f,
			       "frame %llu: swap cache disagrees", (unsigned long long)f);
		else
			BUG_ON(pg->mapcount == 0,
			       "frame %llu in use with no mapper and no swap cache",
			       (unsigned long long)f);
	}
	BUG_ON(mapped != rss, "mapped PTEs %llu != sum of rss %llu", (unsigned long long)mapped,
	       (unsigned long long)rss);
	if (vm->cfg.page_tables_in_frames)
		BUG_ON(
		    nr_pt_frames != vm->st.page_table_pages - vm->st.page_table_overflow_now,
		    "page-table frames %llu != page-table pages in frames %llu",
		    (unsigned long long)nr_pt_frames,
		    (unsigned long long)(vm->st.page_table_pages - vm->st.page_table_overflow_now));
	BUG_ON(nr_wb != vm->nr_writeback, "frames under writeback %llu != count %llu",
	       (unsigned long long)nr_wb, (unsigned long long)vm->nr_writeback);
	uint64_t held = vm->scope.nr_frames;
	for (struct mm_struct *m = vm->mm_list; m && vm->cfg.local_scope; m = m->mm_next)
		held += m->scope.nr_frames;
	BUG_ON(held != scope_frames, "scopes hold %llu frames, pages on policies %llu",
	       (unsigned long long)held, (unsigned long long)scope_frames);
	uint64_t used = 0;
	for (uint64_t sl = 0; sl < s; sl++) {
		BUG_ON(vm->swap[sl].map != c.swaps[sl], "swap slot %llu: count %u but %u PTEs",
		       (unsigned long long)sl, vm->swap[sl].map, c.swaps[sl]);
		if (vm->swap_used[sl]) {
			used++;
			BUG_ON(!vm->swap[sl].map && swap_cache(vm, sl) == PFN_NONE,
			       "swap slot %llu allocated but unused", (unsigned long long)sl);
		}
	}
	/* Every entry of every file's index names a page-cache frame of that (file, index). */
	uint64_t cached = 0;
	for (uint32_t fi = 0; fi < vm->fm.nr_files; fi++) {
		const struct address_space *as = &vm->fm.files[fi];
		uint64_t in_file = 0;
		for (uint64_t ci = 0; ci < as->nr_chunks; ci++) {
			if (!as->chunks[ci])
				continue;
			for (uint64_t k = 0; k < FILEMAP_CHUNK_PAGES; k++) {
				pfn_t f = as->chunks[ci][k];
				if (f == PFN_NONE)
					continue;
				uint64_t index = ci * FILEMAP_CHUNK_PAGES + k;
				BUG_ON(f >= n || !(vm->pages[f].flags & PG_FILE) ||
				           (vm->pages[f].flags & PG_FREE) ||
				           vm->pages[f].mapping != fi ||
				           vm->pages[f].index != index,
				       "page cache of %s index %llu names frame %u that is not "
				       "that page",
				       as->name, (unsigned long long)index, f);
				in_file++;
			}
		}
		BUG_ON(in_file != as->nrpages, "file %s: %llu pages cached, count says %llu",
		       as->name, (unsigned long long)in_file, (unsigned long long)as->nrpages);
		cached += in_file;
	}
	BUG_ON(cached != vm->fm.nr_cached, "page cache holds %llu pages, count says %llu",
	       (unsigned long long)cached, (unsigned long long)vm->fm.nr_cached);
	BUG_ON(used != vm->nr_swap_used, "swap slots in use %llu != count %llu",
	       (unsigned long long)used, (unsigned long long)vm->nr_swap_used);
	free(c.maps);
	free(c.swaps);
}
