/*
 * mrc.h — one-pass miss-ratio (fault) curves: the fault count of a page reference string for
 * every memory size at once, for LRU and OPT, exactly, plus a SHARDS-sampled LRU estimate.
 *
 * Both LRU and OPT are stack algorithms (Mattson, Gecsei, Slutz and Traiger, "Evaluation
 * techniques for storage hierarchies", IBM Systems Journal 9(2), 1970): the pages resident in a
 * memory of m frames are always the top m entries of one priority stack, so one pass that
 * records each reference's stack distance d (its depth in the stack before the reference, or
 * infinity on a first reference) yields faults(m) = #{references with d > m} for every m.
 *
 * The model is the textbook one, the same as `vmsim run` with vm.reclaim = "on-demand":
 * demand paging, exactly one victim per fault once memory is full, every first reference is a
 * fault (cold misses are counted), reads and writes are alike. Page size does not matter.
 *
 * Units: frames (memory sizes), references, faults. Fault ratios are floats only for printing.
 *
 * Complexity (n references, p distinct pages, M = the largest memory size asked for):
 *  - LRU exact: O(n log p) time, O(p) memory (a Fenwick tree over compacted access times);
 *  - OPT exact: O(n + sum over references of min(d, M)) time, i.e. O(n * min(p, M)) in the
 *    worst case (Mattson's OPT stack, truncated at depth M); memory O(p) plus 8 bytes per
 *    reference (the trace as dense ids and its next-use array);
 *  - SHARDS LRU at rate R with an exact head of K frames: O(n log K + R n log(R p)) time,
 *    O(K + R p) memory (K = 0: O(n) hashing plus O(R n log(R p)) time, O(R p) memory).
 */
#ifndef VMSIM_SIM_CLI_MRC_H
#define VMSIM_SIM_CLI_MRC_H

#include <stddef.h>
#include <stdint.h>

/* A fault curve: faults[m] for m = 1 .. max_frames (faults[0] = nr_refs: zero frames fault on
 * every reference). Exact curves are non-increasing in m. */
struct mrc_curve {
	uint64_t nr_refs;     /* references in the trace */
	uint64_t nr_distinct; /* distinct pages (an estimate under SHARDS) */
	uint64_t max_frames;  /* the curve covers 1 .. max_frames */
	uint64_t *faults;     /* max_frames + 1 entries, new (mrc_curve_fini frees them) */
};

void mrc_curve_fini(struct mrc_curve *c);

/*
 * SHARDS rate: a page is sampled when the low 24 bits of a fixed 64-bit hash of its number are
 * below a threshold T; rate R = T / 2^24.
 */
#define MRC_SHARDS_MODULUS (1u << 24)
/* The exact head under SHARDS, by default: sizes up to MRC_SHARDS_HEAD_PER_RATE / R frames. */
#define MRC_SHARDS_HEAD_PER_RATE 64
#define MRC_SHARDS_HEAD_AUTO UINT64_MAX

struct mrc_lru_opts {
	/* 0: every size up to the number of distinct pages; otherwise sizes 1 .. max_frames
	 * (distances beyond it are only counted as faults). */
	uint64_t max_frames;
	/* 0 or MRC_SHARDS_MODULUS: exact. 1 .. 2^24 - 1: SHARDS at rate T / 2^24. */
	uint32_t shards_threshold;
	/*
	 * SHARDS only. Sizes up to this many frames are counted exactly by an LRU stack limited to
	 * that depth (memory O(head), O(log head) per reference), and the references it misses
	 * are known exactly in number; the sampled pages then only estimate how those misses'
	 * distances spread beyond the head. This removes SHARDS' largest error, which comes from
	 * whether the few hottest pages happen to be sampled (see docs/mrc.md). 0: plain SHARDS
	 * with the paper's count adjustment (SHARDS_adj); MRC_SHARDS_HEAD_AUTO (what a zeroed
	 * opts does not give you: set it) is mrc_shards_head_frames(shards_threshold).
	 */
	uint64_t shards_head_frames;
	/*
	 * SHARDS only: which sample of pages. A page is sampled by the hash of its number XOR
	 * salt * MRC_SHARDS_SALT_STEP; 0 is the sample SHARDS always used, other salts give
	 * independent samples (the spread of their curves is SHARDS' sampling error).
	 */
	uint64_t shards_salt;
};
#define MRC_SHARDS_SALT_STEP 0x9E3779B97F4A7C15ull

/* The default exact head for a SHARDS threshold: ceil(MRC_SHARDS_HEAD_PER_RATE / R). */
uint32_t mrc_shards_head_frames(uint32_t shards_threshold);

/*
 * A streaming LRU stack-distance counter, configured by *opts (copied). Returns a new counter;
 * free it with mrc_lru_destroy.
 */
struct mrc_lru;
struct mrc_lru *mrc_lru_create(const struct mrc_lru_opts *opts);
void mrc_lru_destroy(struct mrc_lru *l);
/* One reference. Allocates only when the number of distinct pages doubles. */
void mrc_lru_access(struct mrc_lru *l, uint64_t page);
/* n references, the same as n calls of mrc_lru_access but faster on large working sets (it
 * prefetches hash and histogram entries a few references ahead). pages is borrowed. */
void mrc_lru_access_batch(struct mrc_lru *l, const uint64_t *pages, size_t n);
/*
 * The curve so far, into *out (new storage; out's previous contents are not freed). Exact:
 * faults[m] counted. SHARDS: sizes up to the head exact, beyond it faults estimated from the
 * sampled distances scaled by 1 / R (rounded to whole faults, kept non-increasing); without a
 * head, the paper's estimate with SHARDS_adj. max_frames (if 0 in opts) is the number of
 * distinct pages, estimated as sampled pages / R unless the head saw them all.
 */
void mrc_lru_curve(const struct mrc_lru *l, struct mrc_curve *out);

/* The exact LRU curve of pages[0 .. n - 1] (a convenience over mrc_lru_*). */
void mrc_lru_curve_of(const uint64_t *pages, size_t n, uint64_t max_frames, struct mrc_curve *out);

/*
 * A trace held in memory as dense page ids (first-appearance order), for OPT, which must see
 * the future. ids[i] < nr_distinct. 4 bytes per reference.
 */
struct mrc_trace {
	uint32_t *ids; /* nr_refs entries */
	size_t nr_refs, cap;
	uint32_t nr_distinct;
	struct mrc_idmap *map; /* page number -> id */
};

/* Largest trace the in-memory form holds (ids and next-use times are 32-bit). */
#define MRC_TRACE_MAX_REFS ((size_t)UINT32_MAX - 1)
#define MRC_TRACE_MAX_PAGES ((uint64_t)UINT32_MAX - 1)

void mrc_trace_init(struct mrc_trace *t);
void mrc_trace_fini(struct mrc_trace *t);
/* Append one reference. Returns 0, or -1 when the trace is full (MRC_TRACE_MAX_REFS). */
int mrc_trace_append(struct mrc_trace *t, uint64_t page);

/*
 * The exact OPT (Belady MIN) curve of the trace, for sizes 1 .. max_frames (0: up to the
 * number of distinct pages). Two passes: next-use times backwards, then Mattson's OPT stack
 * (priority = sooner next use) forwards, truncated at depth max_frames. Allocates 4 bytes per
 * reference for the next-use array while it runs.
 */
void mrc_opt_curve(const struct mrc_trace *t, uint64_t max_frames, struct mrc_curve *out);

/* The exact OPT curve of pages[0 .. n - 1] (a convenience over mrc_trace + mrc_opt_curve). */
void mrc_opt_curve_of(const uint64_t *pages, size_t n, uint64_t max_frames, struct mrc_curve *out);

/*
 * `vmsim mrc TRACE [--format pages] [--policy lru|opt|both] [--max-frames N] [--shards RATE]
 *  [--shards-head N] [-o OUT.csv]` (argv[0] = "mrc"): writes the CSV curve (sim/mrc_cli.c,
 * docs/mrc.md). Returns 0 on success, 1 when the output cannot be written, 2 on bad usage or a
 * bad trace (a message on stderr naming the file and line).
 */
int mrc_cli_main(int argc, char **argv);

#endif
