/*
 * lfu.c — least frequently used: the victim is the resident page with the fewest references
 * since it became resident (in-memory LFU: a page's count is forgotten when it leaves, so a
 * page that comes back starts again at 1). Ties go to the page whose count changed least
 * recently, i.e. the least recently used (or inserted) among the least frequently used — the
 * pfnheap's sequence tie-break. Idealised: needs every reference (POLICY_SEES_EVERY_ACCESS).
 * O(log n) per reference.
 */
#include <stdlib.h>

#include "models/policy/pfnheap.h"
#include "models/policy/policy.h"

struct lfu {
	struct pfnheap heap; /* keyed by reference count */
};

static void *lfu_create(const struct policy_env *env, const json_t *params)
{
	struct lfu *l = xcalloc(1, sizeof(*l));
	pfnheap_init(&l->heap, env->nr_frames);
	return l;
}

static void lfu_destroy(void *pol)
{
	struct lfu *l = pol;
	pfnheap_fini(&l->heap);
	free(l);
}

static void lfu_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct lfu *l = pol;
	pfnheap_set(&l->heap, pfn, 1); /* the faulting reference counts */
}

static void lfu_remove(void *pol, pfn_t pfn)
{
	struct lfu *l = pol;
	pfnheap_remove(&l->heap, pfn);
}

static void lfu_access(void *pol, pfn_t pfn, bool is_write, uint64_t next_use)
{
	struct lfu *l = pol;
	pfnheap_set(&l->heap, pfn, l->heap.key[pfn] + 1);
}

static pfn_t lfu_evict(void *pol)
{
	struct lfu *l = pol;
	return pfnheap_pop_min(&l->heap);
}

const struct policy_ops policy_lfu = {
    .name = "lfu",
    .description = "least frequently used since resident; ties to the least recently used",
    .source = "Aho, Denning & Ullman, JACM 18(1), 1971 (A0/LFU); in-memory counts",
    .flags = POLICY_SEES_EVERY_ACCESS,
    .create = lfu_create,
    .destroy = lfu_destroy,
    .insert = lfu_insert,
    .remove = lfu_remove,
    .access = lfu_access,
    .evict = lfu_evict,
};
