/*
 * gen_hotcold.c — the `hotcold` generator: one process accesses `pages` pages of an
 * anonymous region; round(hot_fraction_pages * pages) of them are hot and receive
 * hot_fraction_accesses of the accesses, uniformly among themselves; the cold rest share the
 * remaining accesses uniformly (the "80/20" model). With `permute` (the default) the hot set
 * is scattered over the region by a seeded permutation; without it the hot pages are the
 * first ones of the region.
 */
#include <stdlib.h>

#include "workloads/gen_common.h"

static const struct param_spec hotcold_params[] = {
    {.key = "pages",
     .type = PARAM_INT,
     .def = "65536",
     .min = 2,
     .max = 1e12,
     .doc = "pages in the region"},
    {.key = "hot_fraction_pages",
     .type = PARAM_REAL,
     .def = "0.2",
     .min = 0,
     .max = 1,
     .doc = "fraction of the pages that are hot"},
    {.key = "hot_fraction_accesses",
     .type = PARAM_REAL,
     .def = "0.8",
     .min = 0,
     .max = 1,
     .doc = "fraction of the accesses that go to the hot pages"},
    {.key = "permute",
     .type = PARAM_BOOL,
     .def = "true",
     .doc = "scatter the hot pages with a seeded permutation (false: the first pages)"},
    GEN_PARAM_ACCESSES,
    GEN_PARAMS_MIX,
    {0},
};

static int hotcold_open(struct workload **out, const json_t *params, const struct workload_env *env,
                        struct err *err)
{
	struct gen_sampler_conf sc = {
	    .dist = GEN_DIST_HOTCOLD,
	    .pages = (uint64_t)params_get_int(params, "pages"),
	    .hot_fraction_pages = params_get_real(params, "hot_fraction_pages"),
	    .hot_fraction_accesses = params_get_real(params, "hot_fraction_accesses"),
	    .permute = params_get_bool(params, "permute"),
	};
	return gen_single_open_one(out, params, env, &sc, "hotcold", err);
}

const struct workload_ops workload_gen_hotcold = {
    .name = "hotcold",
    .description = "one process, a hot fraction of pages gets a fraction of the accesses",
    .params = hotcold_params,
    .open = hotcold_open,
    .initial_pid = gen_single_initial_pid,
    .next = gen_single_next,
    .next_batch = gen_single_next_batch,
    .close = gen_single_close,
};
