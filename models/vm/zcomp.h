/*
 * zcomp.h — compressed swap (zcomp.c, zsmalloc.c, zswap.c, zram.c): the compression
 * algorithms' costs and ratios (Linux's crypto compressors behind drivers/block/zram/zcomp.c),
 * the compressibility of each page, the pool of frames that holds compressed pages (Linux's
 * mm/zsmalloc.c), and the state of zswap (a compressed cache in front of the swap device) and
 * zram (a swap device in RAM). docs/vm.md, "Compressed swap", cites every preset number.
 */
#ifndef VMSIM_MODELS_VM_ZCOMP_H
#define VMSIM_MODELS_VM_ZCOMP_H

#include <stdbool.h>
#include <stdint.h>

#include "models/vm/pgtable.h"
#include "sim/base/stats.h"

/* A compression algorithm's preset (zcomp.c's table): its ratio on the measured data and the
 * cost of one 4 KiB page, as a mean and a 99th percentile. */
struct zcomp_alg {
	const char *name;
	uint32_t ratio_milli; /* uncompressed / compressed size, x1000 */
	uint64_t comp_mean_ps, comp_p99_ps;
	uint64_t decomp_mean_ps, decomp_p99_ps;
};
const struct zcomp_alg *zcomp_find(const char *name);
/* "lz4|zstd|..." for the config's enum. */
extern const char zcomp_alg_choices[];

/*
 * The cost of one operation: 100 equally likely values min_ps + scale_ps * E_k, E_k the
 * midpoint quantiles of the unit exponential (k = 0..99), so that their mean is the preset's
 * mean and E_98's value its 99th percentile; drawn in the order k_n = (37 n + 11) mod 100,
 * which visits every value once in 100 draws.
 */
struct zcomp_cost {
	uint64_t value_ps[100];
	uint64_t n; /* draws so far */
};
void zcomp_cost_init(struct zcomp_cost *c, uint64_t mean_ps, uint64_t p99_ps);
uint64_t zcomp_cost_draw(struct zcomp_cost *c);

/* The compressibility of the anonymous pages in [addr, addr + bytes) of one workload's
 * processes (workload.compression_regions[i]). */
struct zcomp_region {
	uint64_t addr, bytes;
	uint32_t ratio_milli; /* 0: the algorithm's preset ratio */
	uint32_t same_filled_percent;
	uint32_t incompressible_percent;
};

/* The compressibility of the pages of one workload (workload.compression_ratio, ...): an
 * anonymous page in one of regions (the first that holds it) compresses as that region says,
 * every other page as the class says. */
struct zcomp_class {
	uint32_t ratio_milli;         /* 0: the algorithm's preset ratio */
	uint32_t same_filled_percent; /* pages of one repeated word (stored without pool space) */
	uint32_t incompressible_percent;
	const struct zcomp_region *regions;
	uint32_t nr_regions;
};

/* What a page compresses to. */
enum zcomp_kind {
	ZC_NONE = 0, /* not stored compressed (on the swap device) */
	ZC_POOL,     /* compressed in the pool */
	ZC_SAME,     /* same-filled: no pool space */
	ZC_HUGE,     /* incompressible, stored whole in the pool (zram without a backing device) */
	ZC_BACKING,  /* incompressible, written to zram's backing device */
};

/* The pool (zsmalloc): frames of memory.frames (PG_ZPOOL) that hold the compressed bytes,
 * packed: ceil(bytes / page size) frames (zsmalloc's size classes and fragmentation are not
 * modelled). */
struct zpool {
	uint64_t bytes;     /* compressed bytes stored */
	uint64_t nr_frames; /* frames held */
	uint64_t frames_max;
	pfn_t *frames; /* the frames held, a stack */
	uint64_t cap;
};

struct zswap_config {
	bool enabled;
	const struct zcomp_alg *alg;
	uint32_t max_pool_percent;        /* of memory.frames */
	uint32_t accept_threshold_percent; /* of the maximum: accept again below it */
};

struct zram_config {
	bool enabled;
	const struct zcomp_alg *alg;
	uint32_t huge_class_bytes; /* compressed sizes from here up are incompressible */
	bool backing_device;       /* incompressible pages go to the swap disk */
};

/* The state of compressed swap, allocated when zswap or zram is enabled (vm->zc). */
struct zcomp_state {
	const struct zcomp_alg *alg;
	struct zcomp_cost comp, decomp;
	uint64_t seed;
	uint8_t *kind;   /* per swap slot: enum zcomp_kind */
	uint16_t *bytes; /* per swap slot: compressed bytes (ZC_POOL, ZC_HUGE) */
	struct zpool pool;
	/* zswap: its LRU of stored slots, oldest first (a ring with lazy deletion: an entry
	 * is live while lru_seq[slot] is its sequence) */
	uint32_t *lru_seq;
	uint64_t *lru; /* (seq << 32) | slot */
	uint64_t lru_head, lru_tail, lru_cap, next_seq;
	bool pool_full; /* zswap: over max_pool_percent, until below the accept threshold */
	struct hist decomp_hist; /* decompression costs (zram.decompress / zswap.decompress) */
	/* statistics (zram.* or zswap.*) */
	uint64_t stored_pages, same_filled, huge_pages, rejected, writebacks, loads, stores;
	uint64_t pool_limit_hit, backing_writes, backing_reads;
	uint64_t comp_ps, decomp_ps;
};

#endif
