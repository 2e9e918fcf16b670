/*
 * nru.c — not recently used, as the enhanced second-chance clock (the 4-class algorithm of
 * Silberschatz and Stallings, used by Mach and Macintosh VM): frames fall in classes by
 * (referenced, modified); the victim is the first frame of the lowest class met by the hand.
 *   pass 1: one full turn from the hand looking for (0,0), changing no bit;
 *   pass 2: one full turn looking for (0,1), clearing the referenced bit of every frame passed;
 *   then pass 1 and pass 2 again (every referenced bit is now clear, so a victim is found).
 * The hand stops just past the victim; new pages go just behind the hand.
 * Observes only the accessed bit (env->test_and_clear_young) and the dirty bit (env->page_dirty)
 * when it scans. Because the hardware bit cannot be read without clearing it, a sampled
 * accessed bit is kept in a per-frame soft bit (like Linux's PG_referenced): "referenced" is
 * soft bit OR hardware bit, and clearing the referenced bit clears both. Dirty pages are not
 * cleaned by the policy (the VM writes a dirty victim back). O(n) per eviction worst case.
 */
#include <stdlib.h>

#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

struct nru {
	const struct policy_env *env;
	struct pfnlist_links links;
	struct pfnlist circle;
	pfn_t hand;
	bool *referenced; /* soft copy of sampled accessed bits */
};

static void *nru_create(const struct policy_env *env, const json_t *params)
{
	struct nru *n = xcalloc(1, sizeof(*n));
	n->env = env;
	pfnlist_links_init(&n->links, env->nr_frames);
	pfnlist_init(&n->circle);
	n->hand = PFN_NONE;
	n->referenced = xcalloc(env->nr_frames ? env->nr_frames : 1, sizeof(bool));
	return n;
}

static void nru_destroy(void *pol)
{
	struct nru *n = pol;
	pfnlist_links_fini(&n->links);
	free(n->referenced);
	free(n);
}

static void nru_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct nru *n = pol;
	n->referenced[pfn] = false; /* the hardware bit carries the faulting reference */
	if (n->hand == PFN_NONE) {
		pfnlist_push_head(&n->links, &n->circle, pfn);
		n->hand = pfn;
	} else {
		pfnlist_insert_before(&n->links, &n->circle, n->hand, pfn);
	}
}

static void nru_remove(void *pol, pfn_t pfn)
{
	struct nru *n = pol;
	if (n->hand == pfn)
		n->hand = n->circle.len > 1 ? pfnlist_next_circular(&n->links, &n->circle, pfn)
		                            : PFN_NONE;
	pfnlist_del(&n->links, &n->circle, pfn);
}

static bool nru_sample(struct nru *n, pfn_t pfn)
{
	if (n->env->test_and_clear_young(n->env->vm, pfn))
		n->referenced[pfn] = true;
	return n->referenced[pfn];
}

static pfn_t nru_evict(void *pol)
{
	struct nru *n = pol;
	const struct policy_env *env = n->env;
	if (n->hand == PFN_NONE)
		return PFN_NONE;
	pfn_t victim = PFN_NONE;
	for (int round = 0; round < 2 && victim == PFN_NONE; round++) {
		pfn_t p = n->hand;
		for (uint64_t i = 0; i < n->circle.len; i++) {
			if (!nru_sample(n, p) && !env->page_dirty(env->vm, p)) {
				victim = p;
				break;
			}
			p = pfnlist_next_circular(&n->links, &n->circle, p);
		}
		if (victim != PFN_NONE)
			break;
		for (uint64_t i = 0; i < n->circle.len; i++) {
			if (!nru_sample(n, p)) {
				victim = p;
				break;
			}
			n->referenced[p] = false;
			p = pfnlist_next_circular(&n->links, &n->circle, p);
		}
	}
	BUG_ON(victim == PFN_NONE, "nru: no victim after two rounds");
	n->hand = victim;
	nru_remove(n, victim);
	return victim;
}

const struct policy_ops policy_nru = {
    .name = "nru",
    .description = "enhanced second chance: 4 classes of (accessed, dirty), clean victims first",
    .source = "Silberschatz, Galvin & Gagne, Operating System Concepts, 9.4.5.3; Stallings, "
              "Operating Systems, 8.2",
    .create = nru_create,
    .destroy = nru_destroy,
    .insert = nru_insert,
    .remove = nru_remove,
    .evict = nru_evict,
};
