/*
 * random.c — random replacement: the victim is drawn uniformly among the resident pages from a
 * GSL Mersenne Twister seeded with env->seed, so a run is reproducible. Observes only inserts.
 * Resident frames are kept in a dense array (swap-with-last removal): O(1) per operation.
 */
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "models/policy/policy.h"
#include "sim/base/util.h"

struct random_pol {
	gsl_rng *rng;
	pfn_t *resident; /* resident[0 .. nr_resident-1] */
	uint64_t *pos;   /* pos[pfn]: index in resident, UINT64_MAX when absent */
	uint64_t nr_resident;
};

static void *random_create(const struct policy_env *env, const json_t *params)
{
	struct random_pol *r = xcalloc(1, sizeof(*r));
	uint64_t n = env->nr_frames ? env->nr_frames : 1;
	r->rng = gsl_rng_alloc(gsl_rng_mt19937);
	BUG_ON(!r->rng, "gsl_rng_alloc failed");
	/* mt19937 takes an unsigned long seed; mix64 spreads seeds that differ in high bits. */
	gsl_rng_set(r->rng, (unsigned long)(mix64(env->seed) & 0xffffffffu));
	r->resident = xmalloc(sizeof(*r->resident) * n);
	r->pos = xmalloc(sizeof(*r->pos) * n);
	for (uint64_t i = 0; i < n; i++)
		r->pos[i] = UINT64_MAX;
	return r;
}

static void random_destroy(void *pol)
{
	struct random_pol *r = pol;
	gsl_rng_free(r->rng);
	free(r->resident);
	free(r->pos);
	free(r);
}

static void random_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct random_pol *r = pol;
	BUG_ON(r->pos[pfn] != UINT64_MAX, "random: frame %u inserted twice", pfn);
	r->pos[pfn] = r->nr_resident;
	r->resident[r->nr_resident++] = pfn;
}

static void random_remove(void *pol, pfn_t pfn)
{
	struct random_pol *r = pol;
	uint64_t i = r->pos[pfn];
	BUG_ON(i == UINT64_MAX, "random: remove of absent frame %u", pfn);
	pfn_t last = r->resident[--r->nr_resident];
	r->resident[i] = last;
	r->pos[last] = i;
	r->pos[pfn] = UINT64_MAX;
}

static pfn_t random_evict(void *pol)
{
	struct random_pol *r = pol;
	if (!r->nr_resident)
		return PFN_NONE;
	pfn_t pfn = r->resident[gsl_rng_uniform_int(r->rng, r->nr_resident)];
	random_remove(r, pfn);
	return pfn;
}

const struct policy_ops policy_random = {
    .name = "random",
    .description = "random replacement: a uniformly drawn resident page (seeded)",
    .source = "Belady, IBM Systems Journal 5(2), 1966 (RAND)",
    .create = random_create,
    .destroy = random_destroy,
    .insert = random_insert,
    .remove = random_remove,
    .evict = random_evict,
};
