/*
 * wsclock.c — WSClock (Carr & Hennessy, SOSP 1981), in the form of Tanenbaum, Modern Operating
 * Systems, 3.4.9: resident pages of one process form a circle; each has the virtual time of
 * its last observed use. At eviction the hand goes round:
 *  - accessed bit set (env->test_and_clear_young): last use := now, go on;
 *  - not set and age = now - last use > tau: a clean page is the victim at once; a dirty one
 *    would have its write-back scheduled: the first such page is remembered and the hand goes on.
 * After a full turn with no clean old page: the remembered old dirty page is the victim (its
 * scheduled write is taken to complete first); else, every page being in the working set, the
 * first clean page met; else the page at the hand. The hand stops just past the victim.
 * Time is the process's virtual time in references (env->vtime); tau_refs is the working set
 * window. A local policy (POLICY_LOCAL_ONLY): virtual time is per process. Observes only the
 * accessed and dirty bits, when it scans. A new page's last use is the time of its fault.
 * O(n) per eviction worst case.
 */
#include <stdlib.h>

#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec wsclock_params[] = {
    {.key = "tau_refs",
     .type = PARAM_INT,
     .def = "10000",
     .min = 1,
     .max = 1e15,
     .doc = "working set window tau, in references of the process's virtual time"},
    {0},
};

struct wsclock {
	const struct policy_env *env;
	uint64_t tau_refs;
	struct pfnlist_links links;
	struct pfnlist circle;
	pfn_t hand;
	uint64_t *last_use; /* virtual time of the last observed use */
};

static void *wsclock_create(const struct policy_env *env, const json_t *params)
{
	struct wsclock *w = xcalloc(1, sizeof(*w));
	w->env = env;
	w->tau_refs = (uint64_t)params_get_int(params, "tau_refs");
	pfnlist_links_init(&w->links, env->nr_frames);
	pfnlist_init(&w->circle);
	w->hand = PFN_NONE;
	w->last_use = xcalloc(env->nr_frames ? env->nr_frames : 1, sizeof(*w->last_use));
	return w;
}

static void wsclock_destroy(void *pol)
{
	struct wsclock *w = pol;
	pfnlist_links_fini(&w->links);
	free(w->last_use);
	free(w);
}

static void wsclock_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct wsclock *w = pol;
	w->last_use[pfn] = w->env->vtime(w->env->vm);
	if (w->hand == PFN_NONE) {
		pfnlist_push_head(&w->links, &w->circle, pfn);
		w->hand = pfn;
	} else {
		pfnlist_insert_before(&w->links, &w->circle, w->hand, pfn);
	}
}

static void wsclock_remove(void *pol, pfn_t pfn)
{
	struct wsclock *w = pol;
	if (w->hand == pfn)
		w->hand = w->circle.len > 1 ? pfnlist_next_circular(&w->links, &w->circle, pfn)
		                            : PFN_NONE;
	pfnlist_del(&w->links, &w->circle, pfn);
}

static pfn_t wsclock_evict(void *pol)
{
	struct wsclock *w = pol;
	const struct policy_env *env = w->env;
	if (w->hand == PFN_NONE)
		return PFN_NONE;
	uint64_t now = env->vtime(env->vm);
	pfn_t victim = PFN_NONE, old_dirty = PFN_NONE, clean = PFN_NONE, p = w->hand;
	for (uint64_t i = 0; i < w->circle.len; i++) {
		bool young = env->test_and_clear_young(env->vm, p);
		bool dirty = env->page_dirty(env->vm, p);
		if (young) {
			w->last_use[p] = now;
		} else if (now - w->last_use[p] > w->tau_refs) {
			if (!dirty) {
				victim = p;
				break;
			}
			if (old_dirty == PFN_NONE)
				old_dirty = p;
		}
		if (!dirty && clean == PFN_NONE)
			clean = p;
		p = pfnlist_next_circular(&w->links, &w->circle, p);
	}
	if (victim == PFN_NONE)
		victim = old_dirty != PFN_NONE ? old_dirty : clean != PFN_NONE ? clean : w->hand;
	w->hand = victim;
	wsclock_remove(w, victim);
	return victim;
}

const struct policy_ops policy_wsclock = {
    .name = "wsclock",
    .description = "WSClock: working set clock with window tau (per-process virtual time)",
    .source = "Carr & Hennessy, SOSP 1981; Tanenbaum, Modern Operating Systems, 3.4.9",
    .flags = POLICY_LOCAL_ONLY,
    .params = wsclock_params,
    .create = wsclock_create,
    .destroy = wsclock_destroy,
    .insert = wsclock_insert,
    .remove = wsclock_remove,
    .evict = wsclock_evict,
};
