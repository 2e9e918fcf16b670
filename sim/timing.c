/*
 * timing.c — costing with fixed latencies until the hardware models are wired in: an access
 * costs sim.access_ps, a fault sim.fault_ps plus a fixed cost per zeroed or copied frame, and a
 * swap read or write a fixed device latency served in order. The interface (timing.h) is the
 * one the hardware models plug into.
 */
#include "sim/timing.h"

#include <stdlib.h>

struct timing_hw {
	simtime_t disk_free_ps; /* when the swap device can take the next request */
	uint64_t disk_reads, disk_writes;
	struct hist disk_lat;
};

#define FIXED_FRAME_FILL_PS 250000ull  /* 4 KiB at ~16 GB/s */
#define FIXED_DISK_READ_PS 80000000ull /* NVMe-like read at queue depth 1 */
#define FIXED_DISK_WRITE_PS 20000000ull

const struct param_spec timing_sim_params[] = {{0}};

int timing_init(struct timing *t, const json_t *root, const char *file, uint32_t nr_cpus,
		uint64_t nr_frames, uint64_t page_size, struct err *err)
{
	const json_t *sim = json_object_get(root, "sim");
	t->hw = xcalloc(1, sizeof(*t->hw));
	hist_init(&t->hw->disk_lat);
	t->access_ps = (simtime_t)params_get_int(sim, "access_ps");
	t->fault_entry_ps = (simtime_t)params_get_int(sim, "fault_ps");
	t->shootdown_ps = 0;
	t->page_size = page_size;
	return 0;
}

void timing_fini(struct timing *t)
{
	if (t->hw)
		hist_fini(&t->hw->disk_lat);
	free(t->hw);
	t->hw = NULL;
}

simtime_t timing_access(struct timing *t, uint32_t cpu, simtime_t now, struct mm_struct *mm,
			uint64_t vaddr, int kind, bool faulted)
{
	t->tb.access_ps += t->access_ps;
	return t->access_ps;
}

static simtime_t disk_submit(struct timing_hw *hw, simtime_t now, bool is_write)
{
	simtime_t start = MAX(now, hw->disk_free_ps);
	simtime_t done = start + (is_write ? FIXED_DISK_WRITE_PS : FIXED_DISK_READ_PS);
	hw->disk_free_ps = done;
	if (is_write)
		hw->disk_writes++;
	else
		hw->disk_reads++;
	hist_record(&hw->disk_lat, done - now);
	return done;
}

void timing_work(struct timing *t, uint32_t cpu, simtime_t now, const struct fault_work *w,
		 bool is_fault, struct timing_cost *out)
{
	simtime_t cpu_ps = is_fault ? t->fault_entry_ps : 0;
	t->tb.fault_ps += cpu_ps;
	simtime_t fill = (simtime_t)(w->zero_fills + w->copies) * FIXED_FRAME_FILL_PS;
	t->tb.dram_ps += fill;
	cpu_ps += fill;
	out->cpu_ps = cpu_ps;
	out->block_until_ps = 0;
	/* Writes that free a frame come first; the read fills the frame after them. */
	simtime_t at = now + cpu_ps;
	for (uint32_t i = 0; i < w->nr_io; i++)
		if (w->io[i].is_write)
			at = disk_submit(t->hw, at, true);
	for (uint32_t i = 0; i < w->nr_io; i++)
		if (!w->io[i].is_write)
			at = disk_submit(t->hw, at, false);
	if (w->nr_io) {
		out->block_until_ps = at;
		t->tb.disk_wait_ps += at - (now + cpu_ps);
	}
}

simtime_t timing_context_switch(struct timing *t, uint32_t cpu, uint32_t old_asid,
				uint32_t new_asid)
{
	return 0;
}

void timing_flush_asid(struct timing *t, uint32_t asid)
{
}

void timing_report(const struct timing *t, struct statsout *o, simtime_t end_ps)
{
	statsout_u64(o, "disk.swap", "reads", t->hw->disk_reads);
	statsout_u64(o, "disk.swap", "writes", t->hw->disk_writes);
	statsout_hist(o, "latency.disk.swap", &t->hw->disk_lat);
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
