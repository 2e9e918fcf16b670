/*
 * timing_hw.h — the hardware models the machine composes (private to models/machine: timing.c
 * and timing_io.c).
 */
#ifndef VMSIM_MODELS_MACHINE_TIMING_HW_H
#define VMSIM_MODELS_MACHINE_TIMING_HW_H

#include "models/hw/numa.h"
#include "models/machine/timing.h"

struct timing_ios; /* timing_io.c */

struct timing_hw {
	uint32_t nr_cpus;
	struct tlb **tlb;       /* per CPU */
	struct walker **walker; /* per CPU */
	struct numa *numa;      /* the memory nodes (one without memory.nodes) */
	struct numa_config numa_cfg;
	struct caches *caches; /* NULL: no caches */
	struct disks *disks;
	uint64_t zero_pfn;      /* the shared zero page's frame (above memory.frames) */
	uint64_t dirty_assists; /* walks to set a dirty bit */
	uint64_t shootdowns;    /* remote CPUs interrupted */
	struct timing_ios *ios; /* in flight on NCQ devices (timing_io.c); NULL: none */
};

/* timing_io.c: set up (t->ncq: some device has NCQ) and free the operations in flight. */
void timing_io_init(struct timing *t);
void timing_io_fini(struct timing *t);

#endif
