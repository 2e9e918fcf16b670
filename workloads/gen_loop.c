/*
 * gen_loop.c — the `loop` generator: one process scans `pages` pages of an anonymous region
 * cyclically (0, 1, ..., pages-1, 0, 1, ...) for `accesses` accesses. With pages slightly
 * larger than memory this is the case where LRU (and FIFO, CLOCK) fault on every access
 * while OPT keeps most of the loop resident.
 */
#include <stdlib.h>

#include "workloads/gen_common.h"

static const struct param_spec loop_params[] = {
    {.key = "pages",
     .type = PARAM_INT,
     .def = "1100",
     .min = 1,
     .max = 1e12,
     .doc = "pages in the loop (make it slightly larger than memory.frames)"},
    GEN_PARAM_ACCESSES,
    GEN_PARAMS_MIX,
    {0},
};

static int loop_open(struct workload **out, const json_t *params, const struct workload_env *env,
                     struct err *err)
{
	struct gen_sampler_conf sc = {
	    .dist = GEN_DIST_SEQ,
	    .pages = (uint64_t)params_get_int(params, "pages"),
	    .stride_pages = 1,
	};
	return gen_single_open_one(out, params, env, &sc, "loop", err);
}

const struct workload_ops workload_gen_loop = {
    .name = "loop",
    .description = "one process scans an anonymous region cyclically (LRU's worst case)",
    .params = loop_params,
    .open = loop_open,
    .initial_pid = gen_single_initial_pid,
    .next = gen_single_next,
    .next_batch = gen_single_next_batch,
    .close = gen_single_close,
};
