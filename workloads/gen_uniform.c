/*
 * gen_uniform.c — the `uniform` generator: one process accesses `pages` pages of an
 * anonymous region, each access to a page drawn uniformly at random (gsl_rng_uniform_int,
 * exact for any page count). The textbook stream for TLB reach: an E-entry fully associative
 * TLB misses at about 1 - E/pages.
 */
#include <stdlib.h>

#include "workloads/gen_common.h"

static const struct param_spec uniform_params[] = {
    {.key = "pages",
     .type = PARAM_INT,
     .def = "65536",
     .min = 1,
     .max = 1e12,
     .doc = "pages in the region"},
    GEN_PARAM_ACCESSES,
    GEN_PARAMS_MIX,
    {0},
};

static int uniform_open(struct workload **out, const json_t *params, const struct workload_env *env,
                        struct err *err)
{
	struct gen_sampler_conf sc = {
	    .dist = GEN_DIST_UNIFORM,
	    .pages = (uint64_t)params_get_int(params, "pages"),
	};
	return gen_single_open_one(out, params, env, &sc, "uniform", err);
}

const struct workload_ops workload_gen_uniform = {
    .name = "uniform",
    .description = "one process, uniformly random accesses over an anonymous region",
    .params = uniform_params,
    .open = uniform_open,
    .initial_pid = gen_single_initial_pid,
    .next = gen_single_next,
    .next_batch = gen_single_next_batch,
    .close = gen_single_close,
};
