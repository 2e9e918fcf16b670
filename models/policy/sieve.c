/*
 * sieve.c — SIEVE (Zhang, Yang, Yue, Vigfusson & Rashmi, NSDI 2024): one FIFO queue (new
 * pages at the head), a visited bit per page, and a hand that moves from the tail towards the
 * head. A hit sets the visited bit. Eviction: from the hand (the tail if the hand is unset),
 * clear the visited bits of visited pages and step towards the head (wrapping to the tail), and
 * evict the first unvisited page; the hand stays at the page after it (towards the head).
 * Survivors are not moved: new pages stay behind the hand until it wraps (lazy promotion, quick
 * demotion). Needs every reference (POLICY_SEES_EVERY_ACCESS) for the visited bit, as the paper
 * defines it on every request; an OS would use the PTE accessed bit (then it is CLOCK with
 * insertion at the head instead of behind the hand). O(1) amortised, no allocation.
 */
#include <stdlib.h>

#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

struct sieve {
	struct pfnlist_links links;
	struct pfnlist queue; /* head: newest */
	pfn_t hand;           /* next page to examine; PFN_NONE: start at the tail */
	bool *visited;
};

static void *sieve_create(const struct policy_env *env, const json_t *params)
{
	struct sieve *s = xcalloc(1, sizeof(*s));
	pfnlist_links_init(&s->links, env->nr_frames);
	pfnlist_init(&s->queue);
	s->hand = PFN_NONE;
	s->visited = xcalloc(env->nr_frames + 1, sizeof(bool));
	return s;
}

static void sieve_destroy(void *pol)
{
	struct sieve *s = pol;
	pfnlist_links_fini(&s->links);
	free(s->visited);
	free(s);
}

static void sieve_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct sieve *s = pol;
	s->visited[pfn] = false;
	pfnlist_push_head(&s->links, &s->queue, pfn);
}

static void sieve_remove(void *pol, pfn_t pfn)
{
	struct sieve *s = pol;
	if (s->hand == pfn)
		s->hand = s->links.node[pfn].prev;
	pfnlist_del(&s->links, &s->queue, pfn);
}

static void sieve_access(void *pol, pfn_t pfn, bool is_write, uint64_t next_use)
{
	struct sieve *s = pol;
	s->visited[pfn] = true;
}

static pfn_t sieve_evict(void *pol)
{
	struct sieve *s = pol;
	if (!s->queue.len)
		return PFN_NONE;
	pfn_t o = s->hand != PFN_NONE ? s->hand : s->queue.tail;
	while (s->visited[o]) {
		s->visited[o] = false;
		o = pfnlist_prev_circular(&s->links, &s->queue, o);
	}
	s->hand = s->links.node[o].prev;
	pfnlist_del(&s->links, &s->queue, o);
	return o;
}

const struct policy_ops policy_sieve = {
    .name = "sieve",
    .description = "SIEVE: FIFO with a visited bit and a hand that never moves survivors",
    .source = "Zhang, Yang, Yue, Vigfusson & Rashmi, NSDI 2024",
    .flags = POLICY_SEES_EVERY_ACCESS,
    .params = NULL,
    .create = sieve_create,
    .destroy = sieve_destroy,
    .insert = sieve_insert,
    .remove = sieve_remove,
    .access = sieve_access,
    .evict = sieve_evict,
};
