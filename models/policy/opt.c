/*
 * opt.c — Belady's optimal (MIN) replacement: the victim is the resident page whose next
 * reference lies furthest in the future (never referenced again first). It reads the future
 * of the reference stream: the simulator fills next_use on every insert and access
 * (POLICY_NEEDS_FUTURE). Ties among pages never used again go to the one whose next use was
 * set first, deterministically.
 */
#include <stdlib.h>

#include "models/policy/pfnheap.h"
#include "models/policy/policy.h"

struct opt {
	struct pfnheap heap; /* keyed by (NEXT_USE_NEVER - next_use): the furthest is the minimum */
};

static void *opt_create(const struct policy_env *env, const json_t *params)
{
	struct opt *o = xcalloc(1, sizeof(*o));
	pfnheap_init(&o->heap, env->nr_frames);
	return o;
}

static void opt_destroy(void *pol)
{
	struct opt *o = pol;
	pfnheap_fini(&o->heap);
	free(o);
}

static void opt_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct opt *o = pol;
	pfnheap_set(&o->heap, pfn, NEXT_USE_NEVER - next_use);
}

static void opt_remove(void *pol, pfn_t pfn)
{
	struct opt *o = pol;
	pfnheap_remove(&o->heap, pfn);
}

static void opt_access(void *pol, pfn_t pfn, bool is_write, uint64_t next_use)
{
	struct opt *o = pol;
	pfnheap_set(&o->heap, pfn, NEXT_USE_NEVER - next_use);
}

static pfn_t opt_evict(void *pol)
{
	struct opt *o = pol;
	return pfnheap_pop_min(&o->heap);
}

const struct policy_ops policy_opt = {
    .name = "opt",
    .description = "Belady's optimal: evicts the page used furthest in the future",
    .source = "Belady, IBM Systems Journal 5(2), 1966",
    .flags = POLICY_SEES_EVERY_ACCESS | POLICY_NEEDS_FUTURE,
    .create = opt_create,
    .destroy = opt_destroy,
    .insert = opt_insert,
    .remove = opt_remove,
    .access = opt_access,
    .evict = opt_evict,
};
