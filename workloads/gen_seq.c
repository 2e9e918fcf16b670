/*
 * gen_seq.c — the `seq` generator: one process scans `pages` pages of an anonymous region in
 * address order, touching pages 0, stride, 2*stride, ... below pages, `loops` times: exactly
 * loops * ceil(pages / stride_pages) accesses. With stride_pages > 1 the pages between the
 * strides are never touched (a strided array walk), which defeats readahead and spatial
 * locality while keeping the scan order.
 */
#include <stdlib.h>

#include "workloads/gen_common.h"

static const struct param_spec seq_params[] = {
    {.key = "pages",
     .type = PARAM_INT,
     .def = "65536",
     .min = 1,
     .max = 1e12,
     .doc = "pages in the region"},
    {.key = "stride_pages",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 1e12,
     .doc = "distance between consecutive accesses, pages"},
    {.key = "loops",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 1e12,
     .doc = "times the scan runs"},
    GEN_PARAMS_MIX,
    {0},
};

static int seq_open(struct workload **out, const json_t *params, const struct workload_env *env,
                    struct err *err)
{
	struct gen_phase *ph = xcalloc(1, sizeof(*ph));
	struct gen_sampler_conf sc = {
	    .dist = GEN_DIST_SEQ,
	    .pages = (uint64_t)params_get_int(params, "pages"),
	    .stride_pages = (uint64_t)params_get_int(params, "stride_pages"),
	};
	int rc =
	    gen_sampler_init(&ph->sampler, &sc, env->seed, env->config_file, env->config_path, err);
	if (rc) {
		free(ph);
		return rc;
	}
	/* One phase is one pass; the passes are the repeats, so each starts at page 0. */
	ph->accesses = (sc.pages + sc.stride_pages - 1) / sc.stride_pages;
	struct gen_single_conf c = {
	    .name = "seq",
	    .write_fraction = params_get_real(params, "write_fraction"),
	    .compute_ns = (uint64_t)params_get_int(params, "compute_ns"),
	    .duration_ns = (uint64_t)params_get_int(params, "duration_ns"),
	    .repeat = (uint64_t)params_get_int(params, "loops"),
	};
	return gen_single_create(out, ph, 1, &c, env, err);
}

const struct workload_ops workload_gen_seq = {
    .name = "seq",
    .description = "one process scans an anonymous region in order (stride, loops)",
    .params = seq_params,
    .open = seq_open,
    .initial_pid = gen_single_initial_pid,
    .next = gen_single_next,
    .next_batch = gen_single_next_batch,
    .close = gen_single_close,
};
