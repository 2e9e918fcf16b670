/*
 * gen_phases.c — the `phases` generator: one process whose working set shifts over time. Each
 * phase of the `phases` list accesses its own `pages` pages starting `offset_pages` into one
 * anonymous region, for `accesses` accesses, with its own distribution (seq, uniform, zipf,
 * hotcold); phases run in list order, the list `repeat` times. The region spans the furthest
 * page any phase reaches; phases may overlap (a working set that drifts) or not (one that
 * jumps).
 *
 * A sequential phase restarts at its first page each time it begins; a zipf or hotcold phase
 * permutes with a key of its own (seed and phase index), so two phases over the same pages
 * have different hot pages unless permute is false.
 */
#include <stdlib.h>
#include <string.h>

#include "workloads/gen_common.h"

static const struct param_spec phase_params[] = {
    {.key = "pages",
     .type = PARAM_INT,
     .min = 1,
     .max = 1e12,
     .doc = "pages of the phase's working set"},
    {.key = "accesses",
     .type = PARAM_INT,
     .min = 1,
     .max = 1e15,
     .doc = "length of the phase in accesses"},
    {.key = "offset_pages",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 1e12,
     .doc = "the working set starts this many pages into the region"},
    {.key = "distribution",
     .type = PARAM_ENUM,
     .def = "\"uniform\"",
     .choices = "seq|uniform|zipf|hotcold",
     .doc = "how the phase picks pages"},
    {.key = "stride_pages",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 1e12,
     .doc = "seq: distance between accesses, pages"},
    {.key = "alpha",
     .type = PARAM_REAL,
     .def = "0.99",
     .min = 0,
     .max = 10,
     .doc = "zipf: exponent"},
    {.key = "hot_fraction_pages",
     .type = PARAM_REAL,
     .def = "0.2",
     .min = 0,
     .max = 1,
     .doc = "hotcold: fraction of the pages that are hot"},
    {.key = "hot_fraction_accesses",
     .type = PARAM_REAL,
     .def = "0.8",
     .min = 0,
     .max = 1,
     .doc = "hotcold: fraction of the accesses to hot pages"},
    {.key = "permute",
     .type = PARAM_BOOL,
     .def = "true",
     .doc = "zipf, hotcold: scatter ranks / hot pages with a seeded permutation"},
    {0},
};

static const struct param_spec phases_params[] = {
    {.key = "phases", .type = PARAM_LIST, .sub = phase_params, .doc = "the working sets, in order"},
    {.key = "repeat",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 1e12,
     .doc = "times the list of phases runs"},
    GEN_PARAMS_MIX,
    {0},
};

static enum gen_dist dist_from_name(const char *s)
{
	if (strcmp(s, "seq") == 0)
		return GEN_DIST_SEQ;
	if (strcmp(s, "zipf") == 0)
		return GEN_DIST_ZIPF;
	if (strcmp(s, "hotcold") == 0)
		return GEN_DIST_HOTCOLD;
	return GEN_DIST_UNIFORM;
}

static int phases_open(struct workload **out, const json_t *params, const struct workload_env *env,
                       struct err *err)
{
	const json_t *list = json_object_get(params, "phases");
	size_t n = json_array_size(list);
	BUG_ON(n == 0, "no phases");
	struct gen_phase *phases = xcalloc(n, sizeof(*phases));
	for (size_t i = 0; i < n; i++) {
		const json_t *p = json_array_get(list, i);
		struct gen_sampler_conf sc = {
		    .dist = dist_from_name(params_get_string(p, "distribution")),
		    .pages = (uint64_t)params_get_int(p, "pages"),
		    .stride_pages = (uint64_t)params_get_int(p, "stride_pages"),
		    .alpha = params_get_real(p, "alpha"),
		    .hot_fraction_pages = params_get_real(p, "hot_fraction_pages"),
		    .hot_fraction_accesses = params_get_real(p, "hot_fraction_accesses"),
		    .permute = params_get_bool(p, "permute"),
		};
		char *path = xasprintf("%s.phases[%zu]", env->config_path, i);
		int rc = gen_sampler_init(&phases[i].sampler, &sc, mix64(env->seed + i),
		                          env->config_file, path, err);
		free(path);
		if (rc) {
			free(phases);
			return rc;
		}
		phases[i].offset_pages = (uint64_t)params_get_int(p, "offset_pages");
		phases[i].accesses = (uint64_t)params_get_int(p, "accesses");
	}
	struct gen_single_conf c = {
	    .name = "phases",
	    .write_fraction = params_get_real(params, "write_fraction"),
	    .compute_ns = (uint64_t)params_get_int(params, "compute_ns"),
	    .duration_ns = (uint64_t)params_get_int(params, "duration_ns"),
	    .repeat = (uint64_t)params_get_int(params, "repeat"),
	};
	return gen_single_create(out, phases, n, &c, env, err);
}

const struct workload_ops workload_gen_phases = {
    .name = "phases",
    .description = "one process whose working set shifts through a list of phases",
    .params = phases_params,
    .open = phases_open,
    .initial_pid = gen_single_initial_pid,
    .next = gen_single_next,
    .next_batch = gen_single_next_batch,
    .close = gen_single_close,
};
