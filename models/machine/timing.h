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
};

/* Result of costing a fault's work. */
struct timing_cost {
	simtime_t cpu_ps;         /* synchronous CPU time */
	simtime_t block_until_ps; /* the process blocks until then (0: it does not) */
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
/* Cost of the work a fault (or munmap, fork, exit) did, starting at now. */
void timing_work(struct timing *t, uint32_t cpu, simtime_t now, const struct fault_work *w,
                 bool is_fault, struct timing_cost *out);
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
