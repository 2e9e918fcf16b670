/*
 * mrc_mini.h — miniature simulations (Waldspurger, Saemundsson, Ahmad, Park, "Cache Modeling
 * and Optimization using Miniature Simulations", USENIX ATC 2017): the fault curve of any
 * replacement policy, estimated by simulating a spatially sampled trace in scaled memories.
 *
 * A page is in the sample when the low 24 bits of mix64(page) are below a threshold T (rate
 * R = T / 2^24, the same hash as SHARDS in mrc.h), so every reference to a sampled page is kept.
 * The miniature of a memory of m frames holds max(1, round(m R)) frames (R: the sample's share
 * of the pages, mrc_mini_run); its faults, scaled by 1 / R, estimate the full simulation's at
 * m (mrc_mini_ratio). Each miniature is a real `vmsim run`
 * (the engine and the policy of models/policy) of the sampled references as one process's
 * writes to distinct pages, with the textbook settings of docs/mrc.md (timing off, on-demand
 * reclaim, fault-around and readahead off): with R = 1 it is the exact per-size run.
 *
 * What is not modelled: memories whose miniature holds only a few frames (m below ~100 / R)
 * are estimated poorly (the paper's limitation too); reads and writes are alike.
 * Memory: 4 bytes per sampled reference and the sampled pages' id table, O(R n).
 */
#ifndef VMSIM_SIM_CLI_MRC_MINI_H
#define VMSIM_SIM_CLI_MRC_MINI_H

#include <stddef.h>
#include <stdint.h>

#include "sim/base/util.h"
#include "sim/cli/mrc.h"
#include "sim/engine/config.h"

struct mrc_mini {
	uint32_t threshold;      /* sampled: (mix64(page) & (2^24 - 1)) < threshold */
	uint64_t nr_refs;        /* every reference offered */
	struct mrc_trace sample; /* the sampled references as dense ids */
};

/* One memory size's estimate. */
struct mrc_mini_point {
	uint64_t frames;      /* the memory estimated */
	uint64_t mini_frames; /* its miniature's */
	uint64_t mini_refs, mini_faults;
};

/* threshold in 1 .. MRC_SHARDS_MODULUS (the whole trace). */
void mrc_mini_init(struct mrc_mini *m, uint32_t threshold);
void mrc_mini_fini(struct mrc_mini *m);

/* One reference. Returns 0, or -1 when the sample is full (MRC_TRACE_MAX_REFS). */
static inline int mrc_mini_access(struct mrc_mini *m, uint64_t page)
{
	m->nr_refs++;
	if ((mix64(page) & (MRC_SHARDS_MODULUS - 1)) >= m->threshold)
		return 0;
	return mrc_trace_append(&m->sample, page);
}

/* The number of distinct pages, estimated from the sample (exact at rate 1). */
uint64_t mrc_mini_distinct(const struct mrc_mini *m);

/* Simulate the sample under policy (a vm.policy name) in the miniature of each pts[i].frames,
 * with the overrides sets (vm.policy_params..., applied to every run). A miniature holds
 * max(1, round(frames S / D)) frames, S the sampled pages and D = nr_distinct the trace's
 * (counted exactly by the caller; 0: unknown, then round(frames R)): scaling by the sample's
 * actual share of the pages, not the rate it was expected to have, removes the error of a
 * sample with a few percent more or fewer pages than R D. The sample is written once to a
 * temporary vmb trace in tmp_dir (NULL: $TMPDIR or /tmp). Fills pts[i].mini_*. Returns 0, or
 * < 0 with err (a bad policy or override, a temporary file not written). */
int mrc_mini_run(const struct mrc_mini *m, const char *policy, const struct config_override *sets,
                 size_t nr_sets, uint64_t nr_distinct, const char *tmp_dir,
                 struct mrc_mini_point *pts, size_t n, struct err *err);

/*
 * The estimated fault ratio at p->frames: the miniature's faults times the pages each sampled
 * page stands for (D / S, as in mrc_mini_run; 1 / R when nr_distinct is 0), over all the
 * trace's references (0 for an empty trace). Not mini_faults / mini_refs: which of the few
 * hottest pages happen to be sampled moves the number of sampled references far from R n, and
 * those references are hits at every size worth asking about, so scaling the faults instead
 * removes most of that error (on the bench's Zipf trace at R = 0.01, LRU's mean error fell
 * from 0.029 to 0.002); with D / S the cold misses come out exact.
 */
double mrc_mini_ratio(const struct mrc_mini *m, const struct mrc_mini_point *p,
                      uint64_t nr_distinct);

#endif
