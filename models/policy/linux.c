/*
 * linux.c — the classic Linux page reclaim before MGLRU (mm/vmscan.c and mm/swap.c, 2.6 to
 * 5.x): two lists per scope, active and inactive, each ordered by the time pages entered it.
 *  - A new page enters the head of the inactive list.
 *  - Reclaim takes the inactive tail and asks page_referenced() (here
 *    env->test_and_clear_young); with PG_referenced (a soft bit) it decides as
 *    page_check_references(): young and PG_referenced -> activate (head of active); young only
 *    -> set PG_referenced and rotate to the inactive head (keep); not young -> reclaim (and
 *    PG_referenced is cleared). So a page referenced twice while inactive is activated: the
 *    faulting reference is the first (its PTE is young).
 *  - Before each reclaim, while the inactive list is low (active > inactive_ratio x inactive,
 *    inactive_ratio = 1 below 1 GiB as in inactive_list_is_low()), one page is taken from the
 *    active tail: young -> rotated to the active head, else moved to the inactive head with
 *    PG_referenced clear.
 *  - Workingset refault detection (mm/workingset.c, workingset = true): an evicted page leaves
 *    a shadow entry, its key with the scope's nonresident age at eviction; the age counts
 *    evictions and activations (workingset_age_nonresident). A fault on a page with a shadow
 *    measures the refault distance (age now - age at eviction, the pages evicted or activated
 *    since: how much more memory would have kept it); if it is at most the workingset size
 *    (here the active list: one LRU type, as the file case without swap) the page enters the
 *    active list at once (workingset_refault: folio_set_active) and the age advances.
 *    Shadows are bounded by shadow_pct of the frames (the kernel's shadow shrinker bounds
 *    them by memory), the oldest forgotten first.
 * Simplifications: one scope, no anon/file split, no swappiness, no batching of
 * SWAP_CLUSTER_MAX pages; young active pages are rotated back as in 2.6.27 (later kernels keep
 * only VM_EXEC file pages, which vmsim does not distinguish); dirty pages are reclaimed (the
 * VM writes them back) instead of being rotated while under writeback.
 * Observes only accessed bits, when it scans. Amortised O(1) per eviction.
 */
#include <stdlib.h>

#include "models/policy/ghost.h"
#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec linux_params[] = {
    {.key = "inactive_ratio",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 1024,
     .doc = "keep active <= inactive_ratio x inactive (Linux: 1 below 1 GiB)"},
    {.key = "workingset",
     .type = PARAM_BOOL,
     .def = "true",
     .doc = "refault-distance activation of mm/workingset.c (shadow entries)"},
    {.key = "shadow_pct",
     .type = PARAM_INT,
     .def = "100",
     .min = 0,
     .max = 10000,
     .doc = "shadow entries kept, in % of the frames"},
    {0},
};

enum { LX_NONE, LX_INACTIVE, LX_ACTIVE };

struct linux_pol {
	const struct policy_env *env;
	uint64_t inactive_ratio;
	struct pfnlist_links links;
	struct pfnlist active, inactive; /* heads: newest */
	uint8_t *where;
	bool *pg_referenced;
	uint64_t *key;          /* per frame */
	uint64_t nonresident_age; /* evictions + activations (workingset) */
	struct ghost shadows;     /* evicted keys (workingset) */
	struct pfnlist_links shadow_links;
	struct pfnlist shadow_fifo; /* oldest at the tail */
	uint64_t *shadow_age;     /* per shadow node: the age at eviction */
};

static void *linux_create(const struct policy_env *env, const json_t *params)
{
	struct linux_pol *l = xcalloc(1, sizeof(*l));
	l->env = env;
	l->inactive_ratio = (uint64_t)params_get_int(params, "inactive_ratio");
	pfnlist_links_init(&l->links, env->nr_frames);
	pfnlist_init(&l->active);
	pfnlist_init(&l->inactive);
	l->where = xcalloc(env->nr_frames + 1, 1);
	l->pg_referenced = xcalloc(env->nr_frames + 1, sizeof(bool));
	l->key = xcalloc(env->nr_frames + 1, sizeof(*l->key));
	uint64_t cap = params_get_bool(params, "workingset")
	                   ? env->nr_frames * (uint64_t)params_get_int(params, "shadow_pct") / 100
	                   : 0;
	ghost_init(&l->shadows, (pfn_t)env->nr_frames, cap);
	pfnlist_links_init(&l->shadow_links, env->nr_frames + cap);
	pfnlist_init(&l->shadow_fifo);
	l->shadow_age = xcalloc(env->nr_frames + cap + 1, sizeof(*l->shadow_age));
	return l;
}

static void linux_destroy(void *pol)
{
	struct linux_pol *l = pol;
	pfnlist_links_fini(&l->links);
	free(l->where);
	free(l->pg_referenced);
	free(l->key);
	ghost_fini(&l->shadows);
	pfnlist_links_fini(&l->shadow_links);
	free(l->shadow_age);
	free(l);
}

/* workingset_eviction: a shadow entry with the age at eviction; the age advances. */
static void lx_shadow(struct linux_pol *l, pfn_t pfn)
{
	if (l->shadows.cap) {
		if (ghost_full(&l->shadows))
			ghost_free(&l->shadows, pfnlist_pop_tail(&l->shadow_links, &l->shadow_fifo));
		pfn_t g = ghost_alloc(&l->shadows, l->key[pfn]);
		l->shadow_age[g] = l->nonresident_age;
		pfnlist_push_head(&l->shadow_links, &l->shadow_fifo, g);
	}
	l->nonresident_age++;
}

/* workingset_test_recent: key has a shadow whose refault distance fits in the workingset (the
 * active list). The shadow is consumed either way. */
static bool lx_refault_recent(struct linux_pol *l, uint64_t key)
{
	pfn_t g = l->shadows.cap ? ghost_find(&l->shadows, key) : PFN_NONE;
	if (g == PFN_NONE)
		return false;
	uint64_t distance = l->nonresident_age - l->shadow_age[g];
	pfnlist_del(&l->shadow_links, &l->shadow_fifo, g);
	ghost_free(&l->shadows, g);
	return distance <= l->active.len;
}

static void linux_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct linux_pol *l = pol;
	l->pg_referenced[pfn] = false;
	l->key[pfn] = key;
	if (lx_refault_recent(l, key)) { /* workingset_refault: folio_set_active */
		l->nonresident_age++;
		pfnlist_push_head(&l->links, &l->active, pfn);
		l->where[pfn] = LX_ACTIVE;
		return;
	}
	pfnlist_push_head(&l->links, &l->inactive, pfn);
	l->where[pfn] = LX_INACTIVE;
}

static void linux_remove(void *pol, pfn_t pfn)
{
	struct linux_pol *l = pol;
	pfnlist_del(&l->links, l->where[pfn] == LX_ACTIVE ? &l->active : &l->inactive, pfn);
	l->where[pfn] = LX_NONE;
}

/* One step of shrink_active_list(). */
static void linux_shrink_active_one(struct linux_pol *l)
{
	pfn_t p = pfnlist_pop_tail(&l->links, &l->active);
	if (l->env->test_and_clear_young(l->env->vm, p)) {
		pfnlist_push_head(&l->links, &l->active, p);
		return;
	}
	l->pg_referenced[p] = false;
	pfnlist_push_head(&l->links, &l->inactive, p);
	l->where[p] = LX_INACTIVE;
}

static pfn_t linux_evict(void *pol)
{
	struct linux_pol *l = pol;
	for (;;) {
		while (l->active.len > l->inactive_ratio * l->inactive.len)
			linux_shrink_active_one(l);
		if (!l->inactive.len) {
			if (!l->active.len)
				return PFN_NONE;
			linux_shrink_active_one(l);
			continue;
		}
		pfn_t p = pfnlist_pop_tail(&l->links, &l->inactive);
		bool young = l->env->test_and_clear_young(l->env->vm, p);
		bool referenced = l->pg_referenced[p];
		l->pg_referenced[p] = false;
		if (young && referenced) {
			pfnlist_push_head(&l->links, &l->active, p);
			l->where[p] = LX_ACTIVE;
			l->nonresident_age++; /* workingset_activation */
		} else if (young) {
			l->pg_referenced[p] = true;
			pfnlist_push_head(&l->links, &l->inactive, p);
		} else {
			l->where[p] = LX_NONE;
			lx_shadow(l, p);
			return p;
		}
	}
}

const struct policy_ops policy_linux = {
    .name = "linux",
    .description = "Linux active/inactive lists with referenced-bit promotion (pre-MGLRU)",
    .source = "Linux mm/vmscan.c (2.6-5.x); Gorman, Understanding the Linux VM Manager, ch. 10",
    .params = linux_params,
    .create = linux_create,
    .destroy = linux_destroy,
    .insert = linux_insert,
    .remove = linux_remove,
    .evict = linux_evict,
};
