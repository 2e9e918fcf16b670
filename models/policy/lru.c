/*
 * lru.c — exact least recently used: the victim is the page whose last reference is oldest.
 * Idealised: no hardware tells an OS about every reference, so it declares
 * POLICY_SEES_EVERY_ACCESS and is fed each one. A stack algorithm (Mattson et al., 1970):
 * faults never rise as memory grows.
 */
#include <stdlib.h>

#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

struct lru {
	struct pfnlist_links links;
	struct pfnlist stack; /* head: most recently used, tail: least */
};

static void *lru_create(const struct policy_env *env, const json_t *params)
{
	struct lru *l = xcalloc(1, sizeof(*l));
	pfnlist_links_init(&l->links, env->nr_frames);
	pfnlist_init(&l->stack);
	return l;
}

static void lru_destroy(void *pol)
{
	struct lru *l = pol;
	pfnlist_links_fini(&l->links);
	free(l);
}

static void lru_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct lru *l = pol;
	pfnlist_push_head(&l->links, &l->stack, pfn);
}

static void lru_remove(void *pol, pfn_t pfn)
{
	struct lru *l = pol;
	pfnlist_del(&l->links, &l->stack, pfn);
}

static void lru_access(void *pol, pfn_t pfn, bool is_write, uint64_t next_use)
{
	struct lru *l = pol;
	if (l->stack.head == pfn)
		return;
	pfnlist_del(&l->links, &l->stack, pfn);
	pfnlist_push_head(&l->links, &l->stack, pfn);
}

static pfn_t lru_evict(void *pol)
{
	struct lru *l = pol;
	return pfnlist_pop_tail(&l->links, &l->stack);
}

static unsigned lru_peek(void *pol, pfn_t *out, unsigned max)
{
	struct lru *l = pol;
	return pfnlist_peek_tail(&l->links, &l->stack, out, max);
}

static void lru_prefetch(const void *pol, pfn_t pfn, uint64_t key)
{
	const struct lru *l = pol;
	if (pfn != PFN_NONE)
		pfnlist_prefetch(&l->links, pfn);
}

const struct policy_ops policy_lru = {
    .name = "lru",
    .description = "exact least recently used (idealised: sees every reference)",
    .source = "Mattson, Gecsei, Slutz & Traiger, IBM Systems Journal 9(2), 1970",
    .flags = POLICY_SEES_EVERY_ACCESS,
    .create = lru_create,
    .destroy = lru_destroy,
    .insert = lru_insert,
    .remove = lru_remove,
    .access = lru_access,
    .evict = lru_evict,
    .peek = lru_peek,
    .prefetch = lru_prefetch,
};
