/*
 * cache.h — an optional CPU cache hierarchy (caches.levels: L1D, L2, LLC, ...) in front of DRAM,
 * through which page-walk entry reads go (PTE lines are cached, as on x86) and, when enabled,
 * data references and the zeroing and copying of frames.
 *
 * Models: 64-byte lines; each level set-associative with exact LRU (models/hw/assoc.h), private
 * to each CPU or shared by all (`shared`); write-back, write-allocate. A read or write looks the
 * levels up from the first; a hit at level i costs latency_ps of level i (its load-to-use
 * latency, as datasheets give it) and copies the line into the levels above; a miss everywhere
 * reads the line from DRAM after the last level's latency and fills every level. A write marks
 * the line dirty in the first level. A victim that is dirty is written into the next level (or
 * to DRAM from the last, off the critical path: issued after the demand read). Inclusive
 * hierarchies (caches.inclusive) invalidate a line in the levels above when a level evicts it.
 * Frame operations either bypass the caches (non-temporal: DRAM directly, the frame's lines
 * invalidated everywhere) or go through them (full-line writes allocate without reading DRAM).
 * Ignores: coherence between private caches of different CPUs (a line written by one CPU is not
 * invalidated in another's private levels), prefetchers, MSHRs and overlapping misses, bank
 * conflicts, the instruction caches, TLB-walk-specific paging-structure caches (the PWCs are in
 * the walker).
 */
#ifndef VMSIM_MODELS_HW_CACHE_H
#define VMSIM_MODELS_HW_CACHE_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/hw/assoc.h"
#include "models/hw/numa.h"
#include "sim/base/params.h"
#include "sim/base/stats.h"
#include "sim/base/util.h"

#define CACHE_MAX_LEVELS 4
#define CACHE_NAME_MAX 16
#define CACHE_LINE_SHIFT 6

/* Who made a reference (for the statistics). */
enum cache_kind {
	CACHE_WALK, /* a page-walk entry read */
	CACHE_DATA, /* a data reference */
	CACHE_PAGE, /* zeroing or copying a frame */
	CACHE_NR_KINDS,
};

struct cache_level_config {
	char name[CACHE_NAME_MAX];
	uint64_t size_bytes;
	uint32_t ways;
	simtime_t latency_ps;
	bool shared;
};

struct cache_config {
	unsigned nr_levels; /* 0: no caches */
	struct cache_level_config level[CACHE_MAX_LEVELS];
	bool inclusive;
	bool walks;      /* page-walk entry reads go through the caches */
	bool data;       /* data references go through them (else sim.access_ps) */
	bool page_ops;   /* zeroing and copying frames go through them (else bypass) */
};

struct cache_level {
	struct assoc a; /* payload flags: CACHE_DIRTY */
	uint64_t hits[CACHE_NR_KINDS], misses[CACHE_NR_KINDS];
	uint64_t writebacks; /* dirty victims written down */
};

struct caches {
	struct cache_config cfg;
	uint32_t nr_cpus;
	struct cache_level **lv;       /* [cpu * nr_levels + level] */
	struct cache_level *storage;   /* the distinct levels */
	unsigned nr_storage;
	unsigned first[CACHE_MAX_LEVELS + 1]; /* level l's arrays: storage[first[l] .. first[l + 1]) */
	struct numa *mem;              /* borrowed: the memory nodes */
	uint64_t dram_reads[CACHE_NR_KINDS];
	uint64_t dram_writebacks;
	uint64_t *frame_bits; /* 4 KiB frames that may have a line cached (bypass skips the rest) */
	size_t frame_words;
};

/* New, for nr_cpus CPUs over the memory nodes mem (borrowed); NULL when cfg has no levels. */
struct caches *caches_create(const struct cache_config *cfg, uint32_t nr_cpus, struct numa *mem);
void caches_destroy(struct caches *c);

/* A read or write of the line holding paddr by cpu at now; returns when its data is there. */
simtime_t cache_access(struct caches *c, uint32_t cpu, simtime_t now, uint64_t paddr,
                       bool is_write, enum cache_kind kind);
/* The level that holds paddr for cpu (0 = first), or -1; no state change (for tests). */
int cache_probe(const struct caches *c, uint32_t cpu, uint64_t paddr);

/* Zero size_bytes at paddr / copy between frames, through the caches or bypassing them as
 * configured; returns the completion time. */
simtime_t cache_zero_page(struct caches *c, uint32_t cpu, simtime_t now, uint64_t paddr,
                          uint64_t size_bytes);
simtime_t cache_copy_page(struct caches *c, uint32_t cpu, simtime_t now, uint64_t src,
                          uint64_t dst, uint64_t size_bytes);

/* Keys under "caches": levels (a list of {name, size_bytes, ways, latency_ps, shared}),
 * inclusive, walks, data, page_ops. */
extern const struct param_spec cache_params[];
int cache_config_from_json(struct cache_config *c, const json_t *obj, const char *file,
                           const char *path, struct err *err);

/* cache.<level>.{hits,misses,walk_hits,walk_misses,writebacks}, cache.dram.{walk_reads,
 * data_reads,page_reads,writebacks}. */
void caches_report(const struct caches *c, struct statsout *o);

#endif
