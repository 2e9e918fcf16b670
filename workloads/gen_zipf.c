/*
 * gen_zipf.c — the `zipf` generator: one process accesses `pages` pages of an anonymous
 * region, rank k with probability proportional to k^-alpha, drawn by the exact sampler of
 * zipf_sampler.h (through gen_common's sampler, GEN_DIST_ZIPF).
 *
 * Ranks map to pages through a seeded permutation (`permute`, the default) so that the hot
 * pages are scattered over the region as in a real heap; with permute false rank k is page
 * k-1, the hottest pages adjacent at the start of the region.
 */
#include "workloads/gen_common.h"

static const struct param_spec zipf_params[] = {
    {.key = "pages",
     .type = PARAM_INT,
     .def = "65536",
     .min = 1,
     .max = 1e12,
     .doc = "pages in the region (ranks 1..pages)"},
    {.key = "alpha",
     .type = PARAM_REAL,
     .def = "0.99",
     .min = 0,
     .max = 10,
     .doc = "exponent: rank k is accessed with probability proportional to k^-alpha"},
    {.key = "permute",
     .type = PARAM_BOOL,
     .def = "true",
     .doc = "scatter ranks over the region with a seeded permutation (false: rank k is page "
            "k-1)"},
    GEN_PARAM_ACCESSES,
    GEN_PARAMS_MIX,
    {0},
};

static int zipf_open(struct workload **out, const json_t *params, const struct workload_env *env,
                     struct err *err)
{
	struct gen_sampler_conf sc = {
	    .dist = GEN_DIST_ZIPF,
	    .pages = (uint64_t)params_get_int(params, "pages"),
	    .alpha = params_get_real(params, "alpha"),
	    .permute = params_get_bool(params, "permute"),
	};
	return gen_single_open_one(out, params, env, &sc, "zipf", err);
}

const struct workload_ops workload_gen_zipf = {
    .name = "zipf",
    .description = "one process, Zipf-distributed accesses over an anonymous region",
    .params = zipf_params,
    .open = zipf_open,
    .initial_pid = gen_single_initial_pid,
    .next = gen_single_next,
    .next_batch = gen_single_next_batch,
    .close = gen_single_close,
};
