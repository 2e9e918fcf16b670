/*
 * migrate.c — memory tiers over memory.nodes (vm.tiering; Linux's mm/memory-tiers.c,
 * mm/migrate.c and the demotion path of mm/vmscan.c): per-node replacement scopes (Linux's
 * per-node LRUs), per-node watermarks, demotion of reclaim's victims to a lower tier instead of
 * swapping them (demote_folio_list, next_demotion_node), and the move of one page between
 * frames (migrate_folio: content copied, every PTE pointed at the new frame, the page cache and
 * swap cache entries moved).
 *
 * Tiers come from the distances (numa_tier_ranks): a node's tier is ranked by its distance from
 * the nearest node that holds CPUs. A node demotes to the nodes of the lower tiers, the nearest
 * node of the next tier first (Linux's preferred target, then the allowed mask). Only a node
 * without lower tiers swaps.
 *
 * A demotion takes a free frame on a target node. With kswapd (vm.reclaim = "watermark") none
 * being free is a migration failure, counted, and the page is reclaimed as without tiers
 * (swapped): Linux's demotion allocates without reclaim and retries the failed pages with
 * do_demote_pass off. Without kswapd (on-demand reclaim) the preferred target first reclaims
 * one frame of its own (which demotes further or, on the lowest tier, swaps): the stand-in for
 * the target's kswapd that on-demand reclaim does not have; a failure is then a target that
 * has nothing to reclaim.
 *
 * Promotion (vm.tiering.promotion) on NUMA hint faults from a periodic scanner
 * (task_numa_work): linux (tiering mode: hot threshold, rate limit), tpp (the second hint
 * fault), oracle (the future of the faulting access: promoted when the page is used again or
 * the target has room; no rate limit, TPP's room rules). The oracle is the upper bound of decisions made at hint faults
 * with the same scanner and the same reclaim, not of placement in general (docs/tiering.md).
 *
 * Not modelled: 2 MiB pages are not demoted (swap-out splits them first, as without tiers;
 * the head is then demoted as a 4 KiB page), the migration of pages under writeback, the
 * memory-tier abstract distances of drivers (HMAT), cgroups and local scope with tiers (refused
 * at setup).
 */
#include "models/vm/internal.h"

#include <stdlib.h>

void tier_init(struct vm *vm)
{
	vm->tiering = vm->cfg.tier_demotion || vm->cfg.tier_promotion != PROMOTE_NONE;
	if (!vm->tiering)
		return;
	vm->page_scopes = true;
	vm->alloc_node = 0;
	vm->node_scope[0] = &vm->scope;
	for (uint32_t n = 0; n < vm->cfg.nr_nodes; n++) {
		if (n) {
			vm->node_scope[n] = xcalloc(1, sizeof(struct reclaim_scope));
			reclaim_scope_init(vm, vm->node_scope[n], NULL);
		}
		/* Linux sizes each zone's watermarks by its pages: memory.frames' scaled. */
		uint64_t f = vm->cfg.node_frames[n];
		vm->node_wmark_low[n] = vm->cfg.wmark_low_frames * f / vm->cfg.nr_frames;
		vm->node_wmark_high[n] = vm->cfg.wmark_high_frames * f / vm->cfg.nr_frames;
		bool tpp_room = vm->cfg.tier_promotion >= PROMOTE_TPP; /* tpp, oracle */
		vm->node_promo_min[n] = tpp_room ? vm->node_wmark_low[n] : vm->node_wmark_high[n];
		if (vm->cfg.node_tier[n] || vm->cfg.tier_promotion == PROMOTE_NONE)
			continue;
		/* Room for promotions: kswapd balances a top-tier node above its high watermark,
		 * to Linux's WMARK_PROMO (high + the low-high gap) or by TPP's headroom. */
		vm->node_wmark_high[n] += tpp_room ? vm->cfg.tpp_headroom_frames[n]
		                                   : vm->node_wmark_high[n] - vm->node_wmark_low[n];
	}
}

void tier_fini(struct vm *vm)
{
	for (uint32_t n = 1; n < vm->cfg.nr_nodes && vm->tiering; n++) {
		reclaim_scope_fini(vm, vm->node_scope[n]);
		free(vm->node_scope[n]);
	}
	free(vm->promo_times);
}

struct reclaim_scope *tier_victim_scope(struct vm *vm)
{
	const uint8_t *order = vm->cfg.node_order[vm->alloc_node < vm->cfg.nr_nodes ? vm->alloc_node : 0];
	for (uint32_t k = 0; k < vm->cfg.nr_nodes; k++)
		if (vm->node_scope[order[k]]->nr_frames)
			return vm->node_scope[order[k]];
	return &vm->scope;
}

/* The PTEs of pfn now map nf (same flags); their TLB entries go. */
static void remap_ptes(struct vm *vm, pfn_t pfn, pfn_t nf)
{
	for (uint32_t r = vm->pages[pfn].rmap; r; r = vm->rmap_pool[r].next) {
		const struct rmap_item *it = &vm->rmap_pool[r];
		pte_t *p = pgtable_lookup(&it->mm->pgd, it->vaddr);
		BUG_ON(!p || pte_pfn(*p) != pfn || it->subpage, "rmap points at a stale PTE");
		pte_t flags = *p & (((pte_t)1 << PTE_SHIFT) - 1);
		pgtable_set(&it->mm->pgd, it->vaddr, p, pte_mk(nf, flags & ~PTE_PRESENT));
		flush_tlb_page(vm, it->mm, it->vaddr);
	}
}

void migrate_folio(struct vm *vm, struct fault_work *w, pfn_t pfn, pfn_t nf)
{
	struct page *old = &vm->pages[pfn], *new = &vm->pages[nf];
	BUG_ON(old->flags & (PG_HUGE | PG_TAIL | PG_LRU | PG_FREE | PG_WRITEBACK),
	       "migrating frame %u (flags %#x)", pfn, old->flags);
	remap_ptes(vm, pfn, nf);
	*new = *old;
	new->next_free = PFN_NONE;
	if (!(new->flags & PG_FILE))
		new->folio_order = 0; /* a page of an anonymous mTHP folio leaves it (mthp.c) */
	if (old->flags & PG_SWAPCACHE)
		swap_set_cache(vm, old->swap_slot, nf);
	if (old->flags & PG_FILE) {
		filemap_remove(&vm->fm, old->mapping, old->index);
		filemap_add(&vm->fm, old->mapping, old->index, nf);
	}
	old->rmap = 0;
	old->mapcount = 0;
	old->flags = 0;
	old->memcg = 0;
	free_frame(vm, pfn);
	if (w->nr_migrations < FAULT_MAX_MIGRATE) {
		w->migrate[w->nr_migrations].src_pfn = pfn;
		w->migrate[w->nr_migrations].dst_pfn = nf;
	}
	w->nr_migrations++;
	vm->st.migrated_pages++;
}

/* A free frame on a node below nid's tier, the preferred target first; PFN_NONE: none. */
static pfn_t alloc_demote_frame(struct vm *vm, uint32_t nid)
{
	for (uint32_t k = 0; k < vm->cfg.node_nr_demote[nid]; k++) {
		pfn_t nf = alloc_frame_on_node(vm, vm->cfg.node_demote[nid][k]);
		if (nf != PFN_NONE)
			return nf;
	}
	return PFN_NONE;
}

bool demote_folio(struct vm *vm, struct fault_work *w, pfn_t pfn, bool kswapd)
{
	uint32_t nid = vm_node_of(vm, pfn);
	if (!vm->cfg.node_nr_demote[nid])
		return false; /* the lowest tier swaps */
	pfn_t nf = alloc_demote_frame(vm, nid);
	if (nf == PFN_NONE && !kswapd && !vm->cfg.watermark) {
		struct reclaim_scope *target = vm->node_scope[vm->cfg.node_demote[nid][0]];
		if (reclaim_one(vm, w, target, KEY_NONE, NULL))
			nf = alloc_demote_frame(vm, nid);
	}
	if (nf == PFN_NONE) {
		vm->st.migration_failures++;
		return false;
	}
	migrate_folio(vm, w, pfn, nf);
	lru_add(vm, NULL, nf, NEXT_USE_NEVER);
	vm->st.demotions++;
	return true;
}

/* ---- promotion: NUMA hint faults ------------------------------------------------------- */

/* Does the VMA take hints? Linux skips read-only file mappings (shared libraries). */
static bool vma_numa_scannable(const struct vm_area_struct *v)
{
	return !(v->vm_file && !(v->vm_flags & VM_WRITE));
}

/* Hint the PTE of (mm, addr) when it maps a 4 KiB page below the top tier. */
static void numa_hint_pte(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t now_ps)
{
	pte_t *p = pgtable_lookup(&mm->pgd, addr);
	if (!p || !pte_present(*p) || (*p & (PTE_ZERO | PTE_HUGE | PTE_NUMA)))
		return;
	pfn_t pfn = (pfn_t)pte_pfn(*p);
	if (pfn >= vm->cfg.nr_frames || !vm->cfg.node_tier[vm_node_of(vm, pfn)])
		return; /* top-tier pages are not sampled in tiering mode */
	pgtable_set(&mm->pgd, addr, p, *p | PTE_NUMA);
	vm->pages[pfn].hint_ps = now_ps;
	flush_tlb_page(vm, mm, addr);
}

void vm_task_numa_work(struct vm *vm, struct mm_struct *mm, uint64_t now_ps, struct fault_work *w)
{
	fault_work_reset(w);
	vm->cur = w;
	uint64_t left = vm->cfg.numa_scan_pages, addr = mm->numa_scan_offset;
	uint32_t i = 0;
	for (; i < mm->nr_vmas && left; i++) {
		const struct vm_area_struct *v = &mm->vmas[i];
		if (v->vm_end <= addr || !vma_numa_scannable(v))
			continue;
		for (addr = MAX(addr, v->vm_start); addr < v->vm_end && left; addr += vm->cfg.page_size) {
			numa_hint_pte(vm, mm, addr, now_ps);
			left--;
		}
	}
	/* The end of the address space: the next scan starts again from its beginning. */
	mm->numa_scan_offset = i == mm->nr_vmas && (!i || addr >= mm->vmas[i - 1].vm_end) ? 0 : addr;
	vm->cur = NULL;
}

/* Linux's numa_promotion_rate_limit, as a sliding window: at most promo_rate_limit_pages
 * promotions in any second (the times of the last ones in a ring). */
#define PS_PER_S 1000000000000ull
static bool promotion_rate_limited(const struct vm *vm, uint64_t now_ps)
{
	uint64_t lim = vm->cfg.promo_rate_limit_pages;
	return vm->promo_nr >= lim && now_ps - vm->promo_times[vm->promo_head] < PS_PER_S;
}

static void promotion_note(struct vm *vm, uint64_t now_ps)
{
	uint64_t lim = vm->cfg.promo_rate_limit_pages;
	if (vm->promo_nr < lim) {
		if (vm->promo_nr == vm->promo_cap) {
			vm->promo_cap = MIN(MAX(vm->promo_cap * 2, 64), lim);
			vm->promo_times = xrealloc(vm->promo_times, vm->promo_cap * sizeof(uint64_t));
		}
		vm->promo_times[vm->promo_nr++] = now_ps;
		return;
	}
	vm->promo_times[vm->promo_head] = now_ps;
	vm->promo_head = (vm->promo_head + 1) % lim;
}

/* The top-tier node a page of node nid is promoted to: the faulting CPU's when it is top
 * tier, else the nearest top-tier node. */
static uint32_t promotion_target(const struct vm *vm, uint32_t nid)
{
	if (vm->cur_cpu != VM_NO_CPU && !vm->cfg.node_tier[vm->cfg.cpu_node[vm->cur_cpu & 255]])
		return vm->cfg.cpu_node[vm->cur_cpu & 255];
	for (uint32_t k = 0; k < vm->cfg.nr_nodes; k++)
		if (!vm->cfg.node_tier[vm->cfg.node_order[nid][k]])
			return vm->cfg.node_order[nid][k];
	return 0;
}

/* Is the hinted page hot enough to promote (the policy's test)? next_use: the future of the
 * faulting access (the oracle's). */
static bool promotion_wanted(struct vm *vm, struct page *pg, uint64_t next_use, uint32_t target)
{
	/* The oracle: the page is used again, or the target has room (the promotion then makes
	 * nothing leave it, and the faulting access is served there). */
	if (vm->cfg.tier_promotion == PROMOTE_ORACLE)
		return next_use != NEXT_USE_NEVER || vm->node_nr_free[target] > vm->node_promo_min[target];
	if (vm->cfg.tier_promotion == PROMOTE_TPP) {
		/* TPP: promote on the second hint fault (the page is on the active LRU). */
		bool second = pg->flags & PG_HINTED;
		pg->flags |= PG_HINTED;
		return second;
	}
	/* Linux's tiering mode: hot when the fault came within the hot threshold of the scan. */
	return vm->now_ps - pg->hint_ps < vm->cfg.hot_threshold_ps;
}

void numa_hint_fault(struct vm *vm, struct fault_work *w, pfn_t pfn, uint64_t next_use)
{
	vm->st.hint_faults++;
	struct page *pg = &vm->pages[pfn];
	uint32_t nid = vm_node_of(vm, pfn);
	if (vm->cfg.tier_promotion == PROMOTE_NONE || !vm->cfg.node_tier[nid] ||
	    (pg->flags & (PG_HUGE | PG_TAIL | PG_WRITEBACK)) || !(pg->flags & PG_LRU) ||
	    pfn == vm->fault_pinned)
		return;
	uint32_t target = promotion_target(vm, nid);
	if (!promotion_wanted(vm, pg, next_use, target))
		return;
	if (vm->cfg.tier_promotion != PROMOTE_ORACLE && promotion_rate_limited(vm, vm->now_ps)) {
		vm->st.promotion_rate_limited++;
		return;
	}
	pfn_t nf = PFN_NONE;
	if (vm->node_nr_free[target] > vm->node_promo_min[target])
		nf = alloc_frame_on_node(vm, target);
	if (nf == PFN_NONE) {
		/* Linux wakes the target's kswapd to make room (WMARK_PROMO). */
		vm->st.promotion_failures++;
		if (vm->cfg.watermark)
			vm->kswapd_wanted = true;
		return;
	}
	lru_del(vm, pfn);
	migrate_folio(vm, w, pfn, nf);
	vm->pages[nf].flags &= ~PG_HINTED;
	lru_add(vm, NULL, nf, NEXT_USE_NEVER);
	promotion_note(vm, vm->now_ps);
	vm->st.promotions++;
}

/* The node below its high watermark that kswapd balances next, from the first; -1: none. */
static int kswapd_node(const struct vm *vm, uint32_t from)
{
	for (uint32_t n = from; n < vm->cfg.nr_nodes; n++)
		if (vm->node_nr_free[n] + vm->node_nr_writeback[n] < vm->node_wmark_high[n] &&
		    vm->node_scope[n]->nr_frames)
			return (int)n;
	return -1;
}

bool tier_kswapd_evict_one(struct vm *vm, struct fault_work *w, pfn_t *wb_pfn)
{
	for (int n = kswapd_node(vm, 0); n >= 0; n = kswapd_node(vm, (uint32_t)n + 1))
		if (reclaim_one(vm, w, vm->node_scope[n], KEY_NONE, wb_pfn))
			return true;
	return false;
}

void tier_report(const struct vm *vm, struct statsout *o)
{
	if (!vm->tiering)
		return;
	statsout_u64(o, "tiering", "demotions", vm->st.demotions);
	statsout_u64(o, "tiering", "migration_failures", vm->st.migration_failures);
	statsout_u64(o, "tiering", "migrated_bytes", vm->st.migrated_pages * vm->cfg.page_size);
	statsout_u64(o, "tiering", "hint_faults", vm->st.hint_faults);
	statsout_u64(o, "tiering", "promotions", vm->st.promotions);
	statsout_u64(o, "tiering", "promotion_rate_limited", vm->st.promotion_rate_limited);
	statsout_u64(o, "tiering", "promotion_failures", vm->st.promotion_failures);
}
