/*
 * timing.c — costing with the hardware models (models/hw): per CPU a TLB hierarchy and a page
 * walker with its page-walk caches; one DRAM; the disks (swap device, file device).
 *
 * An access costs its TLB lookup, a walk on a miss (each entry read costed by DRAM at the
 * entry's simulated physical address), and sim.access_ps for the data reference itself (CPU
 * caches are not modelled, so data references are not sent to DRAM). A write through a TLB
 * entry whose dirty bit is clear walks again to set it, as x86 does. A faulting access walks,
 * faults, and walks again. A fault costs sim.fault_ps of kernel software, a zeroing or copy of
 * each frame through DRAM, TLB shootdowns (tlb.shootdown_ps per remote CPU), and disk requests:
 * the writes that free a frame first, then the reads that fill it, each on its device (the
 * swap device, or the file device for page-cache reads, readahead and writeback); the requests
 * of one direction are submitted together (disk_submit_batch: they overlap on an SSD); the
 * process blocks until the last completes. On an HDD with NCQ they are queued and complete as
 * the engine dispatches them (timing_io.c), reordered with other tasks' requests.
 *
 * Not modelled: the writes of accessed/dirty bits by the walker, page-walk-cache invalidation
 * when page tables are freed, invlpg's local cost.
 */
#include "models/machine/timing.h"

#include <stdlib.h>
#include <string.h>

#include "models/hw/cache.h"
#include "models/hw/disk.h"
#include "models/hw/dram.h"
#include "models/hw/numa.h"
#include "models/hw/tlb.h"
#include "models/hw/walker.h"
#include "models/machine/timing_hw.h"


int timing_init(struct timing *t, const json_t *root, const char *file, uint32_t nr_cpus,
                uint64_t nr_frames, uint64_t page_size, const struct numa_config *nc,
                struct err *err)
{
	memset(t, 0, sizeof(*t));
	const json_t *sim = json_object_get(root, "sim");
	t->access_ps = (simtime_t)params_get_int(sim, "access_ps");
	t->fault_entry_ps = (simtime_t)params_get_int(sim, "fault_ps");
	t->page_size = page_size;
	struct tlb_config tc;
	struct walker_config wc;
	struct cache_config cc;
	struct disk_config kc;
	int rc;
	if ((rc = tlb_config_from_json(&tc, json_object_get(root, "tlb"), file, "tlb", err)) ||
	    (rc = walker_config_from_json(&wc, json_object_get(root, "walker"), file, "walker",
	                                  err)) ||
	    (rc = cache_config_from_json(&cc, json_object_get(root, "caches"), file, "caches",
	                                 err)) ||
	    (rc = disk_config_from_json(&kc, json_object_get(root, "disk"), file, "disk", err)))
		return rc;
	/* Every swap slot must be a place on the swap device (a request beyond its capacity is a
	 * BUG in the disk model). */
	uint64_t swap_pages = (uint64_t)params_get_int(json_object_get(root, "memory"), "swap_pages");
	const struct disk_device_config *sd = &kc.dev[kc.swap];
	if (swap_pages && swap_pages > sd->capacity_bytes / page_size)
		return err_set(err,
		               "%s: disk.devices[%u].capacity_bytes: the swap device \"%s\" must hold "
		               "memory.swap_pages (%llu pages of %llu bytes), got %llu bytes",
		               file, kc.swap, sd->name, (unsigned long long)swap_pages,
		               (unsigned long long)page_size, (unsigned long long)sd->capacity_bytes);
	t->file_dev = kc.file;
	t->file_capacity_bytes = kc.dev[kc.file].capacity_bytes;
	struct timing_hw *hw = xcalloc(1, sizeof(*hw));
	t->hw = hw;
	hw->nr_cpus = nr_cpus;
	hw->tlb = xcalloc(nr_cpus, sizeof(*hw->tlb));
	hw->walker = xcalloc(nr_cpus, sizeof(*hw->walker));
	for (uint32_t i = 0; i < nr_cpus; i++) {
		hw->tlb[i] = tlb_create(&tc);
		hw->walker[i] = walker_create(&wc);
	}
	hw->numa_cfg = *nc;
	hw->numa = numa_create(nc, page_size);
	uint8_t rank[NUMA_MAX_NODES];
	numa_tier_ranks(nc, nr_cpus, rank);
	for (uint32_t i = 0; i < hw->numa->nr_nodes; i++)
		hw->numa->node[i].tier = rank[i];
	t->numa = nc->configured ? hw->numa : NULL;
	hw->caches = caches_create(&cc, nr_cpus, hw->numa);
	for (uint32_t i = 0; hw->caches && cc.walks && i < nr_cpus; i++)
		walker_set_caches(hw->walker[i], hw->caches, i);
	t->data_caches = hw->caches && cc.data;
	hw->disks = disks_create(&kc);
	timing_io_init(t);
	t->file_dev_name = disks_file(hw->disks)->cfg.name;
	hw->zero_pfn = nr_frames;
	t->tlb = hw->tlb;
	t->shootdown_ps = tc.shootdown_ps;
	return 0;
}

void timing_fini(struct timing *t)
{
	struct timing_hw *hw = t->hw;
	if (!hw)
		return;
	for (uint32_t i = 0; i < hw->nr_cpus; i++) {
		tlb_destroy(hw->tlb[i]);
		walker_destroy(hw->walker[i]);
	}
	free(hw->tlb);
	free(hw->walker);
	caches_destroy(hw->caches);
	numa_destroy(hw->numa);
	timing_io_fini(t);
	disks_destroy(hw->disks);
	free(hw);
	t->hw = NULL;
}

/* One walk of (asid, vaddr) reading the entries at paddr[0..n) from now; returns its completion
 * time. */
static simtime_t walk(struct timing *t, uint32_t cpu, simtime_t now, uint32_t asid, uint64_t vaddr,
                      const uint64_t *paddr, int n)
{
	simtime_t done =
	    walker_walk(t->hw->walker[cpu], now, asid, vaddr, paddr, n, t->hw->numa, NULL);
	t->tb.walk_ps += done - now;
	return done;
}

/* Fill the TLB with the leaf entry the walk ended on (the PTE the VM layer left for vaddr). */
static void fill(struct timing *t, uint32_t cpu, uint32_t asid, uint64_t vaddr, pte_t leaf,
                 bool is_instr)
{
	if (!pte_present(leaf))
		return; /* the access did not complete (segfault, out of memory) */
	uint64_t pfn = (leaf & PTE_ZERO) ? t->hw->zero_pfn : pte_pfn(leaf);
	unsigned flags =
	    ((leaf & PTE_WRITE) ? TLB_F_WRITABLE : 0) | ((leaf & PTE_DIRTY) ? TLB_F_DIRTY : 0);
	tlb_fill(t->hw->tlb[cpu], asid, vaddr, pte_huge(leaf) ? TLB_SHIFT_2M : TLB_SHIFT_4K, pfn,
	         flags, is_instr);
}

/* The page table is read once: the entries' addresses, which the walker costs (twice for a
 * fault: the walk that found no valid entry and, after the fault, the one that does, over the
 * same entries), and the leaf that fills the TLB. */
simtime_t timing_access_walks(struct timing *t, uint32_t cpu, simtime_t at, struct mm_struct *mm,
                              uint64_t vaddr, bool is_instr, bool faulted, int level)
{
	uint64_t paddr[WALKER_MAX_LEVELS];
	pte_t leaf;
	int n = pgtable_walk(&mm->pgd, vaddr, paddr, &leaf);
	if (faulted) {
		at = walk(t, cpu, at, mm->asid, vaddr, paddr, n);
		at = walk(t, cpu, at, mm->asid, vaddr, paddr, n);
	} else if (level < 0) {
		at = walk(t, cpu, at, mm->asid, vaddr, paddr, n);
	} else {
		/* First write through a clean entry: the walker sets the PTE's dirty bit. */
		t->hw->dirty_assists++;
		at = walk(t, cpu, at, mm->asid, vaddr, paddr, n);
	}
	fill(t, cpu, mm->asid, vaddr, leaf, is_instr);
	if (pte_present(leaf))
		t->walk_paddr = (((leaf & PTE_ZERO) ? t->hw->zero_pfn : pte_pfn(leaf)) << 12) +
		                (vaddr & (pte_huge(leaf) ? (1ull << 21) - 1 : 4095));
	return at;
}

simtime_t timing_node_access(struct timing *t, uint64_t paddr)
{
	struct numa_node *n = &t->numa->node[numa_node_of(t->numa, paddr)];
	n->accesses++;
	if (t->data_caches)
		return 0; /* the caches' misses go to the node's DRAM, which adds the link */
	if (n->tier)
		t->tb.far_ps += n->link_latency_ps + t->access_ps;
	t->tb.link_ps += n->link_latency_ps;
	t->tb.access_ps += n->link_latency_ps;
	return n->link_latency_ps;
}

simtime_t timing_data_ref(struct timing *t, uint32_t cpu, simtime_t at, uint64_t paddr,
                          enum access_kind kind)
{
	simtime_t done = cache_access(t->hw->caches, cpu, at, paddr, kind == ACCESS_WRITE,
	                              CACHE_DATA);
	t->tb.access_ps += done - at;
	return done;
}

static void invalidate(struct timing *t, const struct fault_work *w)
{
	struct timing_hw *hw = t->hw;
	if (w->inval_overflow) {
		/* More pages than listed: flush every TLB (what Linux does past its
		 * tlb_single_page_flush_ceiling). */
		for (uint32_t c = 0; c < hw->nr_cpus; c++)
			tlb_flush_all(hw->tlb[c]);
		return;
	}
	for (uint32_t i = 0; i < w->nr_inval; i++)
		for (uint32_t c = 0; c < hw->nr_cpus; c++)
			tlb_invalidate_page(hw->tlb[c], w->inval[i].asid, w->inval[i].vaddr);
}

/* vm.tiering: the pages w moved between nodes, copied one after the other through both nodes'
 * DRAM (migrate_pages copies folio by folio); returns when the last copy is done. */
static simtime_t migrate_pages(struct timing *t, simtime_t at, const struct fault_work *w)
{
	uint64_t ps = t->page_size;
	for (uint32_t i = 0; i < w->nr_migrations; i++) {
		uint32_t k = MIN(i, (uint32_t)FAULT_MAX_MIGRATE - 1);
		at = numa_copy_page(t->hw->numa, at, (uint64_t)w->migrate[k].src_pfn * ps,
		                    (uint64_t)w->migrate[k].dst_pfn * ps, ps);
	}
	return at;
}

/* w's requests of one direction submitted together at at, one batch per device; returns when
 * the last completes (at with none). */
static simtime_t submit_io(struct timing_hw *hw, simtime_t at, const struct fault_work *w,
                           bool writes)
{
	struct disk *dev[2] = {disks_swap(hw->disks), disks_file(hw->disks)};
	simtime_t done = at;
	for (int k = 0; k < 2 && (k == 0 || dev[1] != dev[0]); k++) {
		struct disk_req r[FAULT_MAX_IO];
		uint32_t n = 0;
		for (uint32_t i = 0; i < w->nr_io; i++) {
			const struct io_req *q = &w->io[i];
			struct disk *d = q->device == IO_DEV_FILE ? dev[1] : dev[0];
			if (q->is_write == writes && d == dev[k])
				r[n++] = (struct disk_req){q->offset_bytes, q->size_bytes, writes};
		}
		simtime_t t = disk_submit_batch(dev[k], at, r, n);
		done = MAX(done, t);
	}
	return done;
}

void timing_work(struct timing *t, uint32_t cpu, simtime_t now, const struct fault_work *w,
                 bool is_fault, void *owner, struct timing_cost *out)
{
	struct timing_hw *hw = t->hw;
	simtime_t at = now;
	if (is_fault) {
		at += t->fault_entry_ps;
		t->tb.fault_ps += t->fault_entry_ps;
	}
	if (w->tlb_invalidations)
		invalidate(t, w);
	if (w->shootdown_cpus) {
		simtime_t sd = (simtime_t)w->shootdown_cpus * t->shootdown_ps;
		hw->shootdowns += w->shootdown_cpus;
		t->tb.shootdown_ps += sd;
		at += sd;
	}
	simtime_t dram_start = at;
	uint64_t ps = t->page_size;
	uint64_t dst = (uint64_t)w->pfn * ps, src = (uint64_t)w->copy_src_pfn * ps;
	for (uint32_t i = 0; i < w->zero_fills; i++)
		at = hw->caches ? cache_zero_page(hw->caches, cpu, at, dst, ps)
		                : numa_zero_page(hw->numa, at, dst, ps);
	for (uint32_t i = 0; i < w->copies; i++)
		at = hw->caches ? cache_copy_page(hw->caches, cpu, at, src, dst, ps)
		                : numa_copy_page(hw->numa, at, src, dst, ps);
	if (unlikely(w->nr_migrations)) {
		simtime_t m0 = at;
		at = migrate_pages(t, at, w);
		t->tb.migrate_ps += at - m0;
	}
	t->tb.dram_ps += at - dram_start;
	/* Compression and decompression (zswap, zram) are kernel work of the fault. */
	at += w->zcomp_ps;
	t->tb.fault_ps += w->zcomp_ps;
	out->cpu_ps = at - now;
	/* memory.high's throttle: the task sleeps after the fault (and any disk wait). */
	out->block_until_ps = w->throttle_ps ? at + w->throttle_ps : 0;
	out->io_marker = 0;
	if (!w->nr_io)
		return;
	/* The writes that free a frame come first, together; the reads that fill it follow them,
	 * together (they overlap on an SSD, an HDD's NCQ orders them). */
	simtime_t io_at;
	if (t->ncq && timing_io_submit(t, at, w, true, owner, &io_at, &out->io_marker)) {
		out->block_until_ps = 0;
		return;
	}
	if (!t->ncq)
		io_at = submit_io(hw, submit_io(hw, at, w, true), w, false);
	out->block_until_ps = io_at + w->throttle_ps;
	t->tb.disk_wait_ps += io_at - at;
}

simtime_t timing_background_work(struct timing *t, simtime_t now, const struct fault_work *w)
{
	struct timing_hw *hw = t->hw;
	if (w->tlb_invalidations)
		invalidate(t, w);
	hw->shootdowns += w->shootdown_cpus;
	struct disk *swap = disks_swap(hw->disks);
	/* kswapd's demotions: the copies take the nodes' DRAM; nobody waits for them. */
	simtime_t done = w->nr_migrations ? migrate_pages(t, now, w) : now;
	simtime_t io_done = now;
	if (t->ncq) {
		uint64_t marker;
		if (w->nr_io)
			timing_io_submit(t, now, w, false, NULL, &io_done, &marker);
		return MAX(done, io_done);
	}
	struct disk_req r[FAULT_MAX_IO];
	for (uint32_t i = 0; i < w->nr_io; i++)
		r[i] = (struct disk_req){w->io[i].offset_bytes, w->io[i].size_bytes, w->io[i].is_write};
	io_done = disk_submit_batch(swap, now, r, w->nr_io);
	return MAX(done, io_done);
}

simtime_t timing_context_switch(struct timing *t, uint32_t cpu, uint32_t old_asid,
                                uint32_t new_asid)
{
	struct tlb *tlb = t->hw->tlb[cpu];
	tlb_context_switch(tlb, new_asid);
	if (!tlb->cfg.pcid)
		walker_flush_all(t->hw->walker[cpu]);
	return 0;
}

void timing_flush_asid(struct timing *t, uint32_t asid)
{
	for (uint32_t c = 0; c < t->hw->nr_cpus; c++) {
		tlb_flush_asid(t->hw->tlb[c], asid);
		walker_flush_asid(t->hw->walker[c], asid);
	}
}

/* The counters of every CPU's TLB summed into a copy of CPU 0's, for one report. */
static void report_tlbs(const struct timing_hw *hw, struct statsout *o)
{
	struct tlb sum = *hw->tlb[0];
	for (uint32_t c = 1; c < hw->nr_cpus; c++) {
		const struct tlb *x = hw->tlb[c];
		for (unsigned l = 0; l < sum.nr_levels; l++) {
			sum.level[l].hits += x->level[l].hits;
			sum.level[l].misses += x->level[l].misses;
		}
		sum.nr_fills += x->nr_fills;
		sum.nr_page_invalidations += x->nr_page_invalidations;
		sum.nr_asid_flushes += x->nr_asid_flushes;
		sum.nr_full_flushes += x->nr_full_flushes;
		sum.nr_context_switches += x->nr_context_switches;
	}
	tlb_report(&sum, o);
}

static void report_walkers(const struct timing_hw *hw, struct statsout *o)
{
	struct walker sum = *hw->walker[0];
	hist_init(&sum.latency);
	for (uint32_t c = 0; c < hw->nr_cpus; c++) {
		const struct walker *x = hw->walker[c];
		if (c) {
			sum.walks += x->walks;
			sum.memory_refs += x->memory_refs;
			sum.pwc_hits += x->pwc_hits;
			for (unsigned p = 0; p < WALKER_NR_PWC; p++) {
				sum.pwc_hit[p] += x->pwc_hit[p];
				sum.pwc_miss[p] += x->pwc_miss[p];
			}
		}
		hist_merge(&sum.latency, &x->latency);
	}
	walker_report(&sum, o);
	hist_fini(&sum.latency);
}

void timing_report(const struct timing *t, struct statsout *o, simtime_t end_ps)
{
	const struct timing_hw *hw = t->hw;
	report_tlbs(hw, o);
	report_walkers(hw, o);
	/* dram.* is the first node's (the top-level dram's, without memory.nodes). */
	dram_report(hw->numa->node[0].dram, end_ps, o);
	numa_report(hw->numa, &hw->numa_cfg, end_ps, o);
	if (t->numa) {
		statsout_u64(o, "time", "link_ps", t->tb.link_ps);
		statsout_u64(o, "time", "far_ps", t->tb.far_ps);
	}
	if (t->tiering)
		statsout_u64(o, "time", "migrate_ps", t->tb.migrate_ps);
	caches_report(hw->caches, o);
	disks_report(hw->disks, end_ps, o);
	statsout_u64(o, "tlb", "dirty_assists", hw->dirty_assists);
	statsout_u64(o, "tlb", "shootdown_cpus", hw->shootdowns);
	statsout_u64(o, "time", "tlb_ps", t->tb.tlb_ps);
	statsout_u64(o, "time", "walk_ps", t->tb.walk_ps);
	statsout_u64(o, "time", "access_ps", t->tb.access_ps);
	statsout_u64(o, "time", "fault_ps", t->tb.fault_ps);
	statsout_u64(o, "time", "dram_ps", t->tb.dram_ps);
	statsout_u64(o, "time", "shootdown_ps", t->tb.shootdown_ps);
	statsout_u64(o, "time", "disk_wait_ps", t->tb.disk_wait_ps);
	statsout_u64(o, "time", "compute_ps", t->tb.compute_ps);
	statsout_u64(o, "time", "switch_ps", t->tb.switch_ps);
}
