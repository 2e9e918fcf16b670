/*
 * memcontrol.h — the cgroup v2 memory controller (Linux's include/linux/memcontrol.h and
 * mm/memcontrol.c, memcontrol.c here): named groups of processes, each with memory.max,
 * memory.high, memory.low, memory.min and memory.swap.max in pages, its own LRU (a replacement
 * scope, as Linux's per-memcg lruvec), the page and swap charges, memory.events and the
 * memory.stat counters that matter. Flat: every group is a child of the root; the processes
 * of no group are the root's (vm->scope). docs/vm.md, "Memory cgroups", lists what is not
 * modelled.
 */
#ifndef VMSIM_MODELS_VM_MEMCONTROL_H
#define VMSIM_MODELS_VM_MEMCONTROL_H

#include <stdint.h>

#include "models/vm/mm_types.h"

/* "no limit" (Linux's "max") */
#define MEMCG_NO_LIMIT UINT64_MAX

/* A group's limits (config cgroups.NAME.*), in pages. */
struct memcg_config {
	const char *name; /* borrowed */
	uint64_t max_pages, high_pages, low_pages, min_pages, swap_max_pages;
};

/* memory.events */
enum memcg_event { MEMCG_LOW, MEMCG_HIGH, MEMCG_MAX, MEMCG_OOM, MEMCG_OOM_KILL, NR_MEMCG_EVENTS };

struct mem_cgroup {
	struct memcg_config cfg;
	struct reclaim_scope scope; /* the group's LRU: the pages charged to it */
	uint64_t nr_pages;          /* memory.current */
	uint64_t peak_pages;        /* memory.peak */
	uint64_t swap_pages;        /* memory.swap.current */
	uint64_t swap_peak_pages;   /* memory.swap.peak */
	uint64_t events[NR_MEMCG_EVENTS];
	uint64_t refaults;      /* pages of the group read back from swap (workingset_refault_anon) */
	uint64_t reclaimed;     /* pages reclaimed from the group (pgsteal) */
	uint64_t scans;         /* victims global reclaim asked of it (its proportional share) */
	uint64_t throttle_ps;   /* memory.high penalty slept by its processes */
	uint64_t high_deficit;  /* pages charged over memory.high, not yet reclaimed (nr_pages_over_high) */
};

#endif
