/*
 * gen_common.h — what the synthetic generators share: the fixed address layout, seeded GSL
 * streams, a memory-free seeded permutation of page numbers, the page samplers (seq, uniform,
 * zipf, hotcold) and the driver of a single-process generator (one anonymous region, a list
 * of phases, a read/write mix, compute time after each access).
 *
 * Deliberately ignored: anything about how the simulator costs the operations. Generators
 * only say what a process does, never when.
 *
 * Units: pages are counts of env->page_size bytes, addresses are bytes, compute in ns.
 * Invariants: every access falls inside a region the same process mapped before; memory used
 * by a generator depends on its parameters (pages, processes), never on the number of
 * accesses it emits.
 */
#ifndef VMSIM_WORKLOADS_GEN_COMMON_H
#define VMSIM_WORKLOADS_GEN_COMMON_H

#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stdint.h>

#include "workloads/workload.h"
#include "workloads/zipf_sampler.h"

/*
 * The address layout of generated processes (x86-64 user space is [0, 2^47)). Each region
 * starts on a 1 TiB boundary so that regions never overlap whatever their size.
 */
#define GEN_BASE_ADDR 0x10000000000ull        /* single-process region; fork-server heap */
#define GEN_FILE_BASE_ADDR 0x20000000000ull   /* mmap-scan file mapping */
#define GEN_PRIV_BASE_ADDR 0x30000000000ull   /* fork-server per-request private memory */
#define GEN_EXEC_BASE_ADDR 0x40000000000ull   /* fork-server: the region of the exec'd image */
#define GEN_REGION_MAX_BYTES 0x10000000000ull /* 1 TiB: the largest region */

/* The pid a generator starts with and the first pid it gives a child. */
#define GEN_INITIAL_PID 1u

/*
 * Common keys, spliced into each generator's param table. write_fraction: probability that
 * an access is a write; compute_ns: work after each access; duration_ns: a budget of the
 * process's own compute time (the generator does not see simulated time, so "duration" is
 * counted in compute: the stream ends after duration_ns / compute_ns accesses, or earlier
 * when its access count runs out).
 */
#define GEN_PARAMS_MIX                                                                             \
	{.key = "write_fraction",                                                                  \
	 .type = PARAM_REAL,                                                                       \
	 .def = "0.3",                                                                             \
	 .min = 0,                                                                                 \
	 .max = 1,                                                                                 \
	 .doc = "probability that an access is a write"},                                          \
	    {.key = "compute_ns",                                                                  \
	     .type = PARAM_INT,                                                                    \
	     .def = "0",                                                                           \
	     .min = 0,                                                                             \
	     .max = 1e12,                                                                          \
	     .doc = "compute time after each access, ns (0: none)"},                               \
	{                                                                                          \
		.key = "duration_ns", .type = PARAM_INT, .def = "0", .min = 0, .max = 1e18,        \
		.doc = "stop once this much compute time was emitted (0: off; needs compute_ns)"   \
	}
#define GEN_PARAM_ACCESSES                                                                         \
	{                                                                                          \
		.key = "accesses", .type = PARAM_INT, .def = "1000000", .min = 1, .max = 1e15,     \
		.doc = "number of accesses"                                                        \
	}

/* A new mt19937 stream seeded from (seed, stream id) by mix64; free with gsl_rng_free. */
gsl_rng *gen_rng_create(uint64_t seed, uint64_t stream);

/*
 * The byte offset within its page of the counter-th access: steps by a 64-byte cache line,
 * so repeated accesses to a page do not always hit the same line. Deterministic.
 */
static inline uint64_t gen_page_offset(uint64_t counter, uint64_t page_size)
{
	return (counter * 64) & (page_size - 1); /* page_size is a power of two */
}

/*
 * A seeded bijection of [0, n) that needs no table: a 4-round Feistel network on the
 * smallest even number of bits covering n, walked until it lands below n (fewer than 4 steps
 * expected). Used to scatter zipf ranks and hot pages over a region.
 */
struct gen_perm {
	uint64_t n;
	unsigned half_bits;
	uint64_t half_mask;
	uint64_t keys[4];
};
void gen_perm_init(struct gen_perm *p, uint64_t n, uint64_t seed);
uint64_t gen_perm_apply(const struct gen_perm *p, uint64_t x);

/* How a sampler picks the next page. */
enum gen_dist {
	GEN_DIST_SEQ,     /* 0, stride, 2*stride, ... < pages, then again from 0 */
	GEN_DIST_UNIFORM, /* each page with probability 1/pages */
	GEN_DIST_ZIPF,    /* rank k with probability proportional to k^-alpha */
	GEN_DIST_HOTCOLD, /* hot_accesses of the draws uniform over the hot pages */
};

struct gen_sampler {
	enum gen_dist dist;
	uint64_t pages;        /* draws are in [0, pages) */
	uint64_t stride_pages; /* SEQ */
	uint64_t pos;          /* SEQ: the next page */
	struct zipf_sampler zipf;
	uint64_t hot_pages;  /* HOTCOLD: pages [0, hot_pages) (before permuting) are hot */
	double hot_accesses; /* HOTCOLD: probability of a hot draw */
	bool permute;        /* ZIPF, HOTCOLD: scatter ranks/hot pages with perm */
	struct gen_perm perm;
};

/* Parameters of a sampler; unused fields are ignored for other distributions. */
struct gen_sampler_conf {
	enum gen_dist dist;
	uint64_t pages;
	uint64_t stride_pages;
	double alpha;
	double hot_fraction_pages;
	double hot_fraction_accesses;
	bool permute;
};

/*
 * Set up a sampler; seed keys its permutation. Returns 0, or -VMSIM_EINVAL with err naming
 * file and path (e.g. a hot set of zero pages).
 */
int gen_sampler_init(struct gen_sampler *s, const struct gen_sampler_conf *c, uint64_t seed,
                     const char *file, const char *path, struct err *err);
/* Back to the start of a sequential scan (other samplers keep no position). */
void gen_sampler_rewind(struct gen_sampler *s);
/* The next page in [0, pages). Draws from rng (SEQ draws nothing). */
uint64_t gen_sampler_next(struct gen_sampler *s, gsl_rng *rng);

/* One phase of a single-process generator. */
struct gen_phase {
	struct gen_sampler sampler;
	uint64_t offset_pages; /* the phase's pages start this far into the region */
	uint64_t accesses;     /* length of the phase */
};

/* What gen_single_create needs beyond the phases. */
struct gen_single_conf {
	const char *name; /* the generator's type, for messages */
	double write_fraction;
	uint64_t compute_ns;
	uint64_t duration_ns; /* 0: off */
	uint64_t repeat;      /* times the list of phases runs (>= 1) */
};

/*
 * A single-process generator (pid 1): OP_MMAP of an anonymous private read-write region of
 * max(offset_pages + pages) pages at GEN_BASE_ADDR, then the phases in order (each rewinds
 * its sampler when it starts), `repeat` times, every access followed by OP_COMPUTE when
 * compute_ns > 0, then OP_EXIT. Takes ownership of phases (an xmalloc'd array). Returns 0
 * with *out set, or < 0 with err naming env's file and path.
 */
int gen_single_create(struct workload **out, struct gen_phase *phases, size_t nr_phases,
                      const struct gen_single_conf *c, const struct workload_env *env,
                      struct err *err);
/* The whole open of a one-phase generator (uniform, zipf, hotcold, loop): one phase drawing
 * pages with sc, and the keys every such generator takes (accesses, write_fraction,
 * compute_ns, duration_ns) from params. */
int gen_single_open_one(struct workload **out, const json_t *params, const struct workload_env *env,
                        const struct gen_sampler_conf *sc, const char *name, struct err *err);
uint32_t gen_single_initial_pid(const struct workload *w);
int gen_single_next(struct workload *w, uint32_t pid, struct op *op, struct err *err);
/* workload_ops.next_batch of the single-process generators (see workload.h). */
int gen_single_next_batch(struct workload *w, uint32_t pid, struct op *ops, uint32_t max,
                          struct err *err);
void gen_single_close(struct workload *w);

/* Check and derive the access limit of a generator from duration_ns: returns 0 and lowers
 * *accesses to duration_ns / compute_ns when duration_ns > 0, or -VMSIM_EINVAL. */
int gen_apply_duration(uint64_t *accesses, uint64_t compute_ns, uint64_t duration_ns,
                       const struct workload_env *env, struct err *err);

/* Pages that fit in one region at page_size; 0 if page_size is 0. */
static inline uint64_t gen_region_max_pages(uint64_t page_size)
{
	return page_size ? GEN_REGION_MAX_BYTES / page_size : 0;
}

#endif
