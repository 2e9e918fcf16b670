/*
 * vm.c — the VM layer as one object (vm.h): its setup from a struct vm_config (frames, the swap
 * area, the rmap pool, the page-table arena, the page cache, the global scope's policy) and its
 * teardown, its report, and the calls the engine makes between operations (vm.h). The work is
 * done in the files named as Linux names them: memory.c (faults, zap), mmap.c, mprotect.c,
 * madvise.c, msync.c, fork.c, exec.c, rmap.c, swapfile.c, swap_state.c, page_io.c,
 * page_alloc.c, vmscan.c, filemap.c, huge_memory.c, vma.c, pgtable.c, check.c.
 */
#include "models/vm/vm.h"

#include <stdlib.h>
#include <string.h>

#include "models/vm/internal.h"

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
	mpol_init(vm);
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
	vm_images_declare_files(vm);
	mem_cgroup_init(vm);
	zcomp_init(vm);
	vm->offload = vm->nr_memcgs || vm->zc;
	tier_init(vm);
	return 0;
}

void vm_fini(struct vm *vm)
{
	tier_fini(vm);
	zcomp_fini(vm);
	mem_cgroup_fini(vm);
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

/* ---- the engine's side ------------------------------------------------------------------- */

void vm_io_done(struct vm *vm, const struct fault_work *w, uint64_t done_ps)
{
	for (uint32_t i = 0; i < MIN(w->nr_read_pfns, (uint32_t)FAULT_MAX_READ_PFNS); i++)
		vm->pages[w->read_pfns[i]].ready_ps = done_ps;
	if (w->wb_pages)
		filemap_writeback_done(&vm->fm, w->wb_pages, done_ps);
}

void vm_io_pending(struct vm *vm, const struct fault_work *w, uint64_t marker)
{
	for (uint32_t i = 0; i < MIN(w->nr_read_pfns, (uint32_t)FAULT_MAX_READ_PFNS); i++)
		vm->pages[w->read_pfns[i]].ready_ps = marker;
}

void vm_io_complete(struct vm *vm, const uint32_t *pfns, uint32_t nr, uint32_t wb_pages,
                    uint64_t marker, uint64_t done_ps)
{
	/* A frame freed and reused meanwhile carries another marker or a time: left alone. */
	for (uint32_t i = 0; i < nr; i++)
		if (vm->pages[pfns[i]].ready_ps == marker)
			vm->pages[pfns[i]].ready_ps = done_ps;
	if (wb_pages)
		filemap_writeback_done(&vm->fm, wb_pages, done_ps);
}

void vm_kswapd_wake(struct vm *vm, bool running)
{
	vm->kswapd_wanted = false;
	if (!running)
		vm->st.kswapd_wakeups++;
}

/* memory.nodes: node.NAME.frames_used (at the end) and frames_used_max. */
static void report_nodes(const struct vm *vm, struct statsout *o)
{
	for (uint32_t i = 0; i < vm->cfg.nr_nodes; i++) {
		char *prefix = xasprintf("node.%s", vm->cfg.node_name[i]);
		statsout_u64(o, prefix, "frames_used", vm->cfg.node_frames[i] - vm->node_nr_free[i]);
		statsout_u64(o, prefix, "frames_used_max", vm->node_used_max[i]);
		free(prefix);
	}
}

/* vm.mthp (only when a size is not "never": other results stay as they were):
 * mthp.<N>kB.anon_fault_{alloc,fallback,fallback_charge}, swpout, swpout_fallback, split: Linux's
 * hugepages-<N>kB/stats. */
static void report_mthp(const struct vm *vm, struct statsout *o)
{
	if (!vm->cfg.mthp_orders)
		return;
	for (unsigned ord = MTHP_MIN_ORDER; ord <= MTHP_MAX_ORDER; ord++) {
		char *prefix = xasprintf("mthp.%ukB", 4u << ord);
		statsout_u64(o, prefix, "anon_fault_alloc", vm->st.mthp_anon_fault_alloc[ord]);
		statsout_u64(o, prefix, "anon_fault_fallback",
		             vm->st.mthp_anon_fault_fallback[ord]);
		statsout_u64(o, prefix, "anon_fault_fallback_charge",
		             vm->st.mthp_anon_fault_fallback_charge[ord]);
		statsout_u64(o, prefix, "split", vm->st.mthp_split[ord]);
		statsout_u64(o, prefix, "swpout", vm->st.mthp_swpout[ord]);
		statsout_u64(o, prefix, "swpout_fallback", vm->st.mthp_swpout_fallback[ord]);
		free(prefix);
	}
}

void vm_report(const struct vm *vm, struct statsout *o)
{
	report_nodes(vm, o);
	report_mthp(vm, o);
	const struct vm_stats *v = &vm->st;
	statsout_u64(o, "faults", "demand_zero", v->faults_demand_zero);
	statsout_u64(o, "faults", "zero_page", v->faults_zero_page);
	statsout_u64(o, "faults", "cow", v->faults_cow);
	statsout_u64(o, "faults", "cow_copies", v->faults_cow_copies);
	statsout_u64(o, "faults", "file", v->faults_file);
	statsout_u64(o, "faults", "file_major", v->faults_file_major);
	statsout_u64(o, "faults", "swap_in", v->faults_swap_in);
	statsout_u64(o, "faults", "swapcache", v->faults_swapcache);
	statsout_u64(o, "faults", "thp", v->faults_thp);
	statsout_u64(o, "faults", "thp_fallback", v->thp_fallback);
	statsout_u64(o, "faults", "huge_zero_page", v->faults_huge_zero_page);
	statsout_u64(o, "reclaim", "evictions", v->evictions);
	statsout_u64(o, "reclaim", "swap_out", v->swap_out);
	statsout_u64(o, "reclaim", "clean_drops", v->swap_out_clean_drops);
	statsout_u64(o, "reclaim", "writeback", v->writeback);
	statsout_u64(o, "reclaim", "file_drops", v->file_drops);
	statsout_u64(o, "reclaim", "kswapd_wakeups", v->kswapd_wakeups);
	statsout_u64(o, "reclaim", "kswapd_evictions", v->kswapd_evictions);
	statsout_u64(o, "reclaim", "direct_evictions", v->direct_evictions);
	statsout_u64(o, "readahead", "pages", v->readahead_pages);
	statsout_u64(o, "pagecache", "pages", v->pagecache_pages_max);
	statsout_u64(o, "pagecache", "pages_now", vm->fm.nr_cached);
	statsout_u64(o, "pagecache", "fault_around_pages", v->fault_around_pages);
	statsout_u64(o, "pagecache", "msync_writeback", v->msync_writeback);
	statsout_u64(o, "pagecache", "files", vm->fm.nr_files);
	statsout_u64(o, "pagecache", "read_pages", v->rw_read_pages);
	statsout_u64(o, "pagecache", "write_pages", v->rw_write_pages);
	statsout_u64(o, "pagecache", "dirty_now", vm->fm.nr_dirty);
	statsout_u64(o, "pagecache", "writeback_background", v->writeback_background);
	statsout_u64(o, "pagecache", "writeback_sync", v->writeback_sync);
	statsout_u64(o, "pagecache", "dirty_throttled", v->dirty_throttled);
	statsout_u64(o, "pagecache", "truncated", v->truncated_pages);
	statsout_u64(o, "pagecache", "direct_io_pages", v->direct_io_pages);
	statsout_u64(o, "memory", "thp_pages", vm->thp_pages);
	statsout_u64(o, "memory", "thp_pages_max", v->thp_pages_max);
	statsout_u64(o, "memory", "thp_splits", v->thp_splits);
	statsout_u64(o, "memory", "thp_split_pmds", v->thp_split_pmds);
	statsout_u64(o, "reclaim", "lazyfree_drops", v->lazyfree_drops);
	statsout_u64(o, "memory", "frames", vm->cfg.nr_frames);
	statsout_u64(o, "memory", "frames_used_max", v->frames_used_max);
	statsout_u64(o, "memory", "page_table_pages_max", v->page_table_pages_max);
	statsout_u64(o, "memory", "page_table_overflow", v->page_table_overflow);
	statsout_u64(o, "swap", "slots_used", vm->nr_swap_used);
	/* /proc/meminfo's Mlocked and Unevictable (the same pages here), vmstat's counters */
	statsout_u64(o, "memory", "mlocked_pages", vm->nr_mlocked);
	statsout_u64(o, "memory", "mlocked_pages_max", v->mlocked_pages_max);
	statsout_u64(o, "memory", "unevictable_pages", vm->nr_mlocked);
	statsout_u64(o, "memory", "unevictable_pages_max", v->mlocked_pages_max);
	statsout_u64(o, "unevictable", "pgs_mlocked", v->pgs_mlocked);
	statsout_u64(o, "unevictable", "pgs_munlocked", v->pgs_munlocked);
	mem_cgroup_report(vm, o);
	zcomp_report(vm, o);
	tier_report(vm, o);
}
