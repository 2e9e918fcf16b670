/*
 * aging.c — NFU with aging (Tanenbaum, Modern Operating Systems, 3.4.7): each resident page has
 * a counter of counter_bits bits; at every clock tick each counter is shifted right by one and
 * the page's accessed bit (sampled and cleared with env->test_and_clear_young) enters at the
 * left. The victim is the page with the smallest counter; ties go to the page resident longest.
 * A new page starts at 0 (its faulting reference sets the accessed bit, which the next tick
 * shifts in).
 *
 * The interface has no clock interrupt, so a tick is defined in references (env->vtime):
 *  - a period of T references: tick_refs = T, or (tick_refs = 0) tick_frames_pct % of the
 *    frames (default 100: one tick per nr_frames references). At each eviction, the
 *    k = (vtime - last tick) / T ticks that have elapsed are applied at once:
 *    counter = (counter >> k) | (R << (bits - 1)), i.e. a reference seen since the last tick is
 *    credited to the latest tick (the bit cannot say when it was set);
 *  - tick_refs = 0 and tick_frames_pct = 0: one tick at every eviction scan, just before the
 *    victim is chosen (the default before issue 23).
 * Why the default: with one tick per eviction every counter shifts once per fault, so a page not
 *  referenced for counter_bits faults reaches 0 and ties with all such pages, which leave in
 *  FIFO order: in the demo (zipf, 1024 frames) aging faulted 122,700 times to FIFO's 122,702.
 *  A tick per nr_frames references lets the counter_bits ticks of history span about
 *  counter_bits times the memory's turnover, the time scale on which a page's reuse matters
 *  (Tanenbaum's tick is a clock interrupt, tens of milliseconds: many references).
 * Observes only accessed bits, when it scans. O(n) per eviction (the shift touches every page).
 */
#include <stdlib.h>

#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec aging_params[] = {
    {.key = "counter_bits",
     .type = PARAM_INT,
     .def = "8",
     .min = 1,
     .max = 64,
     .doc = "width of each page's aging counter in bits"},
    {.key = "tick_refs",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 1e15,
     .doc = "references per tick; 0: tick_frames_pct decides"},
    {.key = "tick_frames_pct",
     .type = PARAM_INT,
     .def = "100",
     .min = 0,
     .max = 1e6,
     .doc = "with tick_refs 0: references per tick in % of the frames; 0: a tick per eviction"},
    {0},
};

struct aging {
	const struct policy_env *env;
	unsigned counter_bits;
	uint64_t tick_refs;
	uint64_t last_tick_vtime;
	struct pfnlist_links links;
	struct pfnlist resident; /* head: newest, tail: resident longest (the tie-break order) */
	uint64_t *counter;
};

static void *aging_create(const struct policy_env *env, const json_t *params)
{
	struct aging *a = xcalloc(1, sizeof(*a));
	a->env = env;
	a->counter_bits = (unsigned)params_get_int(params, "counter_bits");
	a->tick_refs = (uint64_t)params_get_int(params, "tick_refs");
	if (!a->tick_refs && params_get_int(params, "tick_frames_pct"))
		a->tick_refs = MAX(1, env->nr_frames *
		                          (uint64_t)params_get_int(params, "tick_frames_pct") / 100);
	pfnlist_links_init(&a->links, env->nr_frames);
	pfnlist_init(&a->resident);
	a->counter = xcalloc(env->nr_frames ? env->nr_frames : 1, sizeof(*a->counter));
	return a;
}

static void aging_destroy(void *pol)
{
	struct aging *a = pol;
	pfnlist_links_fini(&a->links);
	free(a->counter);
	free(a);
}

static void aging_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct aging *a = pol;
	a->counter[pfn] = 0;
	pfnlist_push_head(&a->links, &a->resident, pfn);
}

static void aging_remove(void *pol, pfn_t pfn)
{
	struct aging *a = pol;
	pfnlist_del(&a->links, &a->resident, pfn);
}

static void aging_tick(struct aging *a, uint64_t ticks)
{
	const struct policy_env *env = a->env;
	uint64_t top = 1ull << (a->counter_bits - 1);
	for (pfn_t p = a->resident.head; p != PFN_NONE; p = a->links.node[p].next) {
		uint64_t c = ticks >= a->counter_bits ? 0 : a->counter[p] >> ticks;
		if (env->test_and_clear_young(env->vm, p))
			c |= top;
		a->counter[p] = c;
	}
}

static pfn_t aging_evict(void *pol)
{
	struct aging *a = pol;
	if (a->resident.len == 0)
		return PFN_NONE;
	uint64_t ticks = 1;
	if (a->tick_refs) {
		uint64_t now = a->env->vtime(a->env->vm);
		ticks = (now - a->last_tick_vtime) / a->tick_refs;
		a->last_tick_vtime += ticks * a->tick_refs;
	}
	if (ticks)
		aging_tick(a, ticks);
	pfn_t victim = a->resident.tail;
	for (pfn_t p = a->resident.tail; p != PFN_NONE; p = a->links.node[p].prev)
		if (a->counter[p] < a->counter[victim])
			victim = p;
	pfnlist_del(&a->links, &a->resident, victim);
	return victim;
}

const struct policy_ops policy_aging = {
    .name = "aging",
    .description = "NFU with aging: shifting counters of sampled accessed bits",
    .source = "Tanenbaum & Bos, Modern Operating Systems, 4th ed., 3.4.7",
    .params = aging_params,
    .create = aging_create,
    .destroy = aging_destroy,
    .insert = aging_insert,
    .remove = aging_remove,
    .evict = aging_evict,
};
