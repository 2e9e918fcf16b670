/*
 * timing.h — the machine: the hardware timing models (models/hw) composed into the cost of what
 * the VM layer (models/vm) did. This room is the only one that sees both: the hardware models
 * know nothing of the VM, the VM asks nothing of the hardware. It costs the translation of each
 * access (TLB hierarchy, page walk with page-walk caches, DRAM reads of page-table entries; the
 * page table is read once per miss), the work of each fault (kernel entry, zeroing and copying
 * frames through DRAM, disk requests to the swap and file devices), TLB invalidations and
 * shootdowns, and context switches. It also keeps the breakdown of simulated time by component.
 *
 * The functional translation is always done by the VM layer (models/vm); the TLB here is a
 * timing model kept coherent by the invalidations the VM layer reports.
 */
#ifndef VMSIM_MODELS_MACHINE_TIMING_H
#define VMSIM_MODELS_MACHINE_TIMING_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/hw/tlb.h"
#include "models/vm/vm.h"
#include "sim/base/stats.h"
#include "sim/base/util.h"

struct timing_hw; /* the hardware models (opaque here) */

#define TIMING_MAX_DISKS 16 /* DISK_MAX_DEVICES: one dispatch event each in the engine */

/* An operation's disk requests on an NCQ device have all completed (timing_io.c). */
struct timing_io_done {
	void *owner;               /* as given to timing_work */
	uint64_t marker;           /* the ready_ps its read pages carry meanwhile */
	simtime_t done_ps;         /* its last request's completion: the pages' ready time */
	simtime_t block_until_ps;  /* done_ps + the memory.high throttle: the owner's wake-up */
	const uint32_t *read_pfns; /* the pages it read (the first FAULT_MAX_READ_PFNS) */
	uint32_t nr_read_pfns;
	uint32_t wb_pages; /* pages of background writeback it carried */
};
typedef void (*timing_io_done_fn)(void *ctx, const struct timing_io_done *d);
struct numa;      /* models/hw/numa.h */
struct numa_config;

/* Where simulated time went, summed over processes (picoseconds). */
struct time_breakdown {
	simtime_t tlb_ps;       /* TLB lookups */
	simtime_t walk_ps;      /* page walks (PWC lookups and DRAM reads of entries) */
	simtime_t access_ps;    /* the data reference itself (sim.access_ps, or the caches) */
	simtime_t fault_ps;     /* kernel fault-handling software */
	simtime_t dram_ps;      /* zeroing and copying frames */
	simtime_t shootdown_ps; /* TLB shootdown IPIs */
	simtime_t disk_wait_ps; /* blocked on disk reads (and on writes that free a frame) */
	simtime_t compute_ps;   /* compute operations of the workloads */
	simtime_t switch_ps;    /* context switches */
	simtime_t link_ps;      /* memory.nodes: the links' latency in data references (in
	                           access_ps too) */
	simtime_t far_ps;       /* memory.nodes: data references served by a node below the top
	                           tier, link included (in access_ps too) */
	simtime_t migrate_ps;   /* vm.tiering: pages copied between nodes by the faults (in
	                           dram_ps too) */
};

struct timing {
	struct timing_hw *hw;
	struct tlb **tlb; /* per CPU (owned by hw; here for timing_access, inline) */
	struct time_breakdown tb;
	simtime_t access_ps;      /* sim.access_ps */
	bool data_caches;         /* caches.data: data references through the caches */
	uint64_t walk_paddr;      /* the physical address the last walk translated to */
	simtime_t fault_entry_ps; /* sim.fault_ps: software cost of one fault */
	simtime_t shootdown_ps;   /* per remote CPU */
	uint64_t page_size;
	unsigned file_dev;           /* disk.file: index in disk.devices */
	uint64_t file_capacity_bytes; /* ... its capacity_bytes */
	const char *file_dev_name;    /* ... and its name (owned by hw) */
	struct numa *numa; /* memory.nodes given: count each access on its node; else NULL */
	bool tiering;      /* vm.tiering: report time.migrate_ps (set by the engine) */
	bool ncq;          /* some device reorders its queue: its requests complete as the
	                      engine dispatches them (timing_io.c) */
	timing_io_done_fn io_done; /* with ncq: told when an owner's requests have completed */
	void *io_done_ctx;
};

/* Result of costing a fault's work. */
struct timing_cost {
	simtime_t cpu_ps;         /* synchronous CPU time */
	simtime_t block_until_ps; /* the process blocks until then (0: it does not) */
	uint64_t io_marker;       /* nonzero: the work's disk requests are queued on an NCQ
	                             device and complete later (timing_io_done); block_until_ps
	                             is 0 then, and the pages it reads carry this ready marker */
};

int timing_init(struct timing *t, const json_t *root, const char *file, uint32_t nr_cpus,
                uint64_t nr_frames, uint64_t page_size, const struct numa_config *nc,
                struct err *err);
/* memory.nodes: count a data access to paddr on its node; returns the link latency to add
 * (0 with caches.data, whose misses reach the node's DRAM). */
simtime_t timing_node_access(struct timing *t, uint64_t paddr);
void timing_fini(struct timing *t);
/* The walks of an access that did not complete in the TLB (a miss, a fault, or a first write
 * through a clean entry, level = the TLB lookup's result), from at; returns when they are
 * done. Out of line, so that timing_access's TLB hit path stays short. */
simtime_t timing_access_walks(struct timing *t, uint32_t cpu, simtime_t at, struct mm_struct *mm,
                              uint64_t vaddr, bool is_instr, bool faulted, int level);
/* A data reference to paddr through the caches (caches.data), from at; returns its end. */
simtime_t timing_data_ref(struct timing *t, uint32_t cpu, simtime_t at, uint64_t paddr,
                          enum access_kind kind);
/* Cost of translating and performing an access on cpu at now. faulted: the access faulted (its
 * walk found no valid entry and runs again after the fault). */
static inline __attribute__((always_inline)) simtime_t
timing_access(struct timing *t, uint32_t cpu, simtime_t now, struct mm_struct *mm, uint64_t vaddr,
              enum access_kind kind, bool faulted)
{
	bool is_instr = kind == ACCESS_EXEC;
	struct tlb_hit hit;
	int level = tlb_lookup(t->tlb[cpu], mm->asid, vaddr, is_instr, &hit);
	simtime_t at = now + hit.latency_ps;
	t->tb.tlb_ps += hit.latency_ps;
	bool walked = faulted || level < 0 || (kind == ACCESS_WRITE && !(hit.flags & TLB_F_DIRTY));
	if (unlikely(walked))
		at = timing_access_walks(t, cpu, at, mm, vaddr, is_instr, faulted, level);
	if (unlikely(t->numa != NULL))
		at += timing_node_access(t, walked ? t->walk_paddr : tlb_hit_paddr(&hit, vaddr));
	if (unlikely(t->data_caches))
		return timing_data_ref(t, cpu, at,
		                       walked ? t->walk_paddr : tlb_hit_paddr(&hit, vaddr), kind) -
		       now;
	t->tb.access_ps += t->access_ps;
	return at + t->access_ps - now;
}
/* Cost of the work a fault (or munmap, fork, exit) did, starting at now. owner non-NULL: if
 * the work queues requests on an NCQ device, they complete as the engine dispatches them
 * (out->io_marker set, then io_done with owner); NULL: out->block_until_ps is always known on
 * return (NCQ devices are driven until these requests are done). */
void timing_work(struct timing *t, uint32_t cpu, simtime_t now, const struct fault_work *w,
                 bool is_fault, void *owner, struct timing_cost *out);

/*
 * Disk dispatches as events (timing_io.c; only with t->ncq). The engine keeps one event per
 * device at timing_disk_next_ps (SIMTIME_MAX: none due) and calls timing_disk_dispatch when it
 * fires; a dispatch that ends an owner's requests calls io_done. timing_io_wait: a page's
 * ready_ps is the marker of requests still queued: drive the devices until they complete
 * (their owner is told) and return their completion.
 */
void timing_set_io_done(struct timing *t, timing_io_done_fn fn, void *ctx);
unsigned timing_nr_disks(const struct timing *t);
simtime_t timing_disk_next_ps(const struct timing *t, unsigned dev);
void timing_disk_dispatch(struct timing *t, unsigned dev);
simtime_t timing_io_wait(struct timing *t, uint64_t marker);
/* Submit w's requests at at_ps (phased: writes first, then reads, on the swap and file
 * devices; else all together on the swap device, as background work). Returns true if they
 * are queued for owner (*marker set), false if they completed (at *done_ps). */
bool timing_io_submit(struct timing *t, simtime_t at_ps, const struct fault_work *w, bool phased,
                      void *owner, simtime_t *done_ps, uint64_t *marker);
/* The work of background reclaim (kswapd) at now, on no CPU: its TLB invalidations and its
 * disk writes, which no process waits for. Returns when the last write completes (now when
 * there is none). */
simtime_t timing_background_work(struct timing *t, simtime_t now, const struct fault_work *w);
/* Simulated time the engine spent outside the models: compute operations, and the software
 * cost of context switches (time.compute_ps, time.switch_ps). */
static inline void timing_note_compute(struct timing *t, simtime_t ps)
{
	t->tb.compute_ps += ps;
}
static inline void timing_note_switch(struct timing *t, simtime_t ps)
{
	t->tb.switch_ps += ps;
}
/* A context switch on cpu from one address space to another. */
simtime_t timing_context_switch(struct timing *t, uint32_t cpu, uint32_t old_asid,
                                uint32_t new_asid);
/* An address space is gone: drop its translations everywhere. */
void timing_flush_asid(struct timing *t, uint32_t asid);
/* Write the hardware models' counters and the time breakdown. */
void timing_report(const struct timing *t, struct statsout *o, simtime_t end_ps);

#endif
