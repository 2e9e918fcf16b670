/*
 * clock.c — CLOCK, second chance on the PTE accessed bit (Corbató 1968): resident frames form a
 * circle with a hand; at eviction the hand tests and clears each frame's accessed bit
 * (env->test_and_clear_young) and takes the first frame found unreferenced. A new page goes just
 * behind the hand (the place of the page it replaced in the textbook picture), so it is tested
 * last; its accessed bit is set by the faulting reference, which therefore counts as a use
 * (insert_referenced = true, as x86 sets it); false enters the page with its bit clear, as
 * libCacheSim's Clock inserts an object (the VM then leaves the PTE old: .insert_old).
 * Observes only the accessed bits, when it scans. O(1) per reference, amortised O(1) per
 * eviction (each step past a frame clears a bit that one reference set).
 */
#include <stdlib.h>

#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec clock_params[] = {
    {.key = "insert_referenced",
     .type = PARAM_BOOL,
     .def = "true",
     .doc = "the faulting access sets the new page's bit (x86); false: enters clear "
            "(libCacheSim)"},
    {0},
};

struct clock {
	const struct policy_env *env;
	bool insert_old; /* !insert_referenced */
	struct pfnlist_links links;
	struct pfnlist circle;
	pfn_t hand; /* the next frame to test, PFN_NONE when the circle is empty */
};

static void *clock_create(const struct policy_env *env, const json_t *params)
{
	struct clock *c = xcalloc(1, sizeof(*c));
	c->env = env;
	c->insert_old = !params_get_bool(params, "insert_referenced");
	pfnlist_links_init(&c->links, env->nr_frames);
	pfnlist_init(&c->circle);
	c->hand = PFN_NONE;
	return c;
}

static void clock_destroy(void *pol)
{
	struct clock *c = pol;
	pfnlist_links_fini(&c->links);
	free(c);
}

static void clock_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct clock *c = pol;
	if (c->hand == PFN_NONE) {
		pfnlist_push_head(&c->links, &c->circle, pfn);
		c->hand = pfn;
	} else {
		pfnlist_insert_before(&c->links, &c->circle, c->hand, pfn);
	}
}

static void clock_remove(void *pol, pfn_t pfn)
{
	struct clock *c = pol;
	if (c->hand == pfn)
		c->hand = c->circle.len > 1 ? pfnlist_next_circular(&c->links, &c->circle, pfn)
		                            : PFN_NONE;
	pfnlist_del(&c->links, &c->circle, pfn);
}

static pfn_t clock_evict(void *pol)
{
	struct clock *c = pol;
	const struct policy_env *env = c->env;
	if (c->hand == PFN_NONE)
		return PFN_NONE;
	while (env->test_and_clear_young(env->vm, c->hand))
		c->hand = pfnlist_next_circular(&c->links, &c->circle, c->hand);
	pfn_t victim = c->hand;
	clock_remove(c, victim);
	return victim;
}

static unsigned clock_peek(void *pol, pfn_t *out, unsigned max)
{
	struct clock *c = pol;
	return pfnlist_peek_circular(&c->links, &c->circle, c->hand, out, max);
}

static bool clock_insert_old(const void *pol)
{
	const struct clock *c = pol;
	return c->insert_old;
}

const struct policy_ops policy_clock = {
    .name = "clock",
    .description = "CLOCK / second chance on the PTE accessed bit",
    .source = "Corbato, MIT Project MAC Report MAC-M-384, 1968",
    .params = clock_params,
    .create = clock_create,
    .destroy = clock_destroy,
    .insert = clock_insert,
    .remove = clock_remove,
    .evict = clock_evict,
    .peek = clock_peek,
    .insert_old = clock_insert_old,
};
