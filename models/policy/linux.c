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
 * Simplifications: one scope, no anon/file split, no swappiness, no batching of
 * SWAP_CLUSTER_MAX pages; young active pages are rotated back as in 2.6.27 (later kernels keep
 * only VM_EXEC file pages, which vmsim does not distinguish); dirty pages are reclaimed (the
 * VM writes them back) instead of being rotated while under writeback.
 * Observes only accessed bits, when it scans. Amortised O(1) per eviction.
 */
#include <stdlib.h>

#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec linux_params[] = {
    {.key = "inactive_ratio",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 1024,
     .doc = "keep active <= inactive_ratio x inactive (Linux: 1 below 1 GiB)"},
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
	return l;
}

static void linux_destroy(void *pol)
{
	struct linux_pol *l = pol;
	pfnlist_links_fini(&l->links);
	free(l->where);
	free(l->pg_referenced);
	free(l);
}

static void linux_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct linux_pol *l = pol;
	l->pg_referenced[pfn] = false;
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
		} else if (young) {
			l->pg_referenced[p] = true;
			pfnlist_push_head(&l->links, &l->inactive, p);
		} else {
			l->where[p] = LX_NONE;
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
