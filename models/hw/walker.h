/*
 * walker.h — page-walk timing: an x86-64 radix walk of 4 or 5 levels with page-walk caches
 * (PWCs, Intel's "paging-structure caches") for the upper levels.
 *
 * The functional page table lives in the VM layer; the walker only costs a walk whose entry
 * addresses the VM layer hands it. Models:
 *  - one memory reference per level read, through the DRAM model at the entry's physical
 *    address, in order, each starting when the previous completed (a walk is a dependent
 *    pointer chase);
 *  - PWCs named by the entry they cache: pd (a PDE pointing to a page table; key vaddr[*:21]),
 *    pdpt (key vaddr[*:30]), pml4 (key vaddr[*:39]), pml5 (key vaddr[*:48], 5-level only),
 *    each set-associative LRU, tagged by asid and keyed by all the vaddr bits above the
 *    entry's level (the whole path from the root). All PWCs are probed in parallel at the
 *    start of a walk; the walk costs the largest configured PWC latency, then starts below
 *    the deepest hit: a hit in the pd cache leaves one read (the PTE).
 *  - PWCs are filled with every non-leaf entry the walk read; a leaf (a PTE, or a PDE that
 *    maps a 2 MiB page) goes to the TLB, not to a PWC.
 * Ignores: the data caches (a PTE read is a DRAM access: pessimistic; real walkers often hit
 * the L1/L2/LLC), the write of accessed/dirty bits (the VM layer sets them functionally; it may
 * cost the write with dram_access), concurrent walks, nested (2-D) walks of virtualisation.
 * Units: ps, bytes. Hot path: walker_walk does not allocate (histogram buckets excepted,
 * allocated once on the first sample).
 */
#ifndef VMSIM_MODELS_HW_WALKER_H
#define VMSIM_MODELS_HW_WALKER_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/hw/assoc.h"
#include "models/hw/cache.h"
#include "models/hw/numa.h"
#include "sim/base/params.h"
#include "sim/base/stats.h"
#include "sim/base/util.h"

#define WALKER_MAX_LEVELS 5

/* Page-walk caches, by the distance of the cached entry's level above the page table (PT). */
enum walker_pwc {
	WALKER_PWC_PD,   /* PDEs (distance 1): key vaddr >> 21 */
	WALKER_PWC_PDPT, /* PDPTEs (distance 2): key vaddr >> 30 */
	WALKER_PWC_PML4, /* PML4Es (distance 3): key vaddr >> 39 */
	WALKER_PWC_PML5, /* PML5Es (distance 4, 5-level paging only): key vaddr >> 48 */
	WALKER_NR_PWC,
};

struct walker_pwc_config {
	uint32_t entries;     /* 0: no cache for this level */
	uint32_t ways;        /* entries % ways == 0 */
	simtime_t latency_ps; /* lookup latency (all PWCs are probed in parallel) */
};

struct walker_config {
	unsigned levels; /* 4 or 5 */
	struct walker_pwc_config pwc[WALKER_NR_PWC];
};

struct walker {
	struct walker_config cfg;
	struct assoc pwc[WALKER_NR_PWC];
	simtime_t probe_ps;               /* the largest latency among the configured PWCs */
	uint64_t walks;                   /* walker_walk calls */
	uint64_t memory_refs;             /* entries read from memory */
	uint64_t pwc_hits;                /* walks that started below a PWC hit */
	uint64_t pwc_hit[WALKER_NR_PWC];  /* ... by the deepest PWC that hit */
	uint64_t pwc_miss[WALKER_NR_PWC]; /* probes of a PWC deeper than the hit that missed */
	struct hist latency;              /* completion - start of each walk */
	struct caches *caches;            /* entry reads through these (NULL: DRAM) */
	uint32_t cpu;                     /* ... as this CPU */
};

struct walk_result {
	simtime_t latency_ps; /* completion - now_ps */
	unsigned memory_refs; /* entries read from memory */
	int pwc_hit;          /* enum walker_pwc of the deepest hit, -1: none */
};

/* New; free with walker_destroy. cfg must be valid. */
struct walker *walker_create(const struct walker_config *cfg);
void walker_destroy(struct walker *w);

/*
 * Cost a walk for (asid, vaddr) starting at now_ps. entry_paddr[i] is the physical address of
 * the entry read at level i, top level (PML4, or PML5 with 5 levels) first; nr_levels_present
 * (1 .. levels) says how many entries the walk reads without PWCs: levels for a 4 KiB page,
 * levels - 1 for a 2 MiB page, fewer when it stops at a not-present entry. Reads the entries
 * not covered by the deepest usable PWC hit through the caches (walker_set_caches) or
 * numa_access on the memory nodes (mem borrowed), fills the
 * PWCs with the non-leaf entries read, fills *out (may be NULL) and returns the completion
 * time.
 */
simtime_t walker_walk(struct walker *w, simtime_t now_ps, uint32_t asid, uint64_t vaddr,
                      const uint64_t *entry_paddr, int nr_levels_present, struct numa *mem,
                      struct walk_result *out);

/* Send the entry reads through caches (borrowed; NULL: straight to DRAM) as cpu. */
static inline void walker_set_caches(struct walker *w, struct caches *caches, uint32_t cpu)
{
	w->caches = caches;
	w->cpu = cpu;
}

/* Drop the PWC entries of one address space (INVLPG and INVPCID drop all PWC entries of the
 * current PCID, per the Intel SDM); of everything. */
void walker_flush_asid(struct walker *w, uint32_t asid);
void walker_flush_all(struct walker *w);

/* Keys under "walker": levels, pwc_pd, pwc_pdpt, pwc_pml4, pwc_pml5 ({entries, ways,
 * latency_ps} each). */
extern const struct param_spec walker_params[];

/* Copy the resolved "walker" object into c (entries a multiple of ways). 0 or -VMSIM_EINVAL. */
int walker_config_from_json(struct walker_config *c, const json_t *obj, const char *file,
                            const char *path, struct err *err);

/* walk.{count,memory_refs,pwc_hits}, walk.pwc.<pd|pdpt|pml4|pml5>.{hits,misses} and the
 * latency.walk histogram. */
void walker_report(const struct walker *w, struct statsout *o);

#endif
