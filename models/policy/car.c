/*
 * car.c — CAR, CLOCK with Adaptive Replacement (Bansal & Modha, FAST 2004, Figure 2), with c
 * the number of frames:
 *  - T1 and T2 are clocks of resident pages (seen once / at least twice recently), each read
 *    at its head (the hand) and entered at its tail (just behind the hand);
 *  - B1 and B2 are LRU ghost lists of keys evicted from T1 and T2; p is the target size of T1.
 * A hit only sets the page's reference bit (the hardware does it: the PTE accessed bit).
 * replace(): repeat: if |T1| >= max(1, p): the head of T1 is the victim (key to B1's MRU end) if
 *   its bit is clear, else its bit is cleared and it moves to the tail of T2; otherwise the head
 *   of T2 is the victim (to B2) if clear, else cleared and moved to T2's tail.
 * On a miss after replace: unknown key: if |T1|+|B1| = c drop B1's LRU, else if the directory
 *   holds 2c drop B2's LRU; the page enters T1's tail. Key in B1: p := min(p + max(1,
 *   |B2|/|B1|), c), the page enters T2's tail; key in B2: p := max(p - max(1, |B1|/|B2|), 0),
 *   T2's tail. The directory trimming is done at insert (replace reads no ghost), and the
 *   adaptation too, as in the paper where it follows replace.
 * Reference bits are the PTE accessed bits only (env->test_and_clear_young, when the hands
 * scan). The paper enters a page with its bit clear: .insert_old asks the VM not to count the
 * faulting access as a reference (policy.h). Integer
 * division in the deltas. O(1) per reference, amortised O(1) per eviction; no allocation.
 */
#include <stdlib.h>

#include "models/policy/adaptive_lists.h"
#include "models/policy/policy.h"

enum { CAR_NONE = AL_NONE, CAR_T1 = AL_T1, CAR_T2 = AL_T2, CAR_B1 = AL_B1, CAR_B2 = AL_B2 };

struct car {
	struct adaptive_lists l; /* T1, T2, B1, B2, p */
	const struct policy_env *env;
};

static void *car_create(const struct policy_env *env, const json_t *params)
{
	struct car *a = xcalloc(1, sizeof(*a));
	a->env = env;
	adaptive_lists_init(&a->l, env->nr_frames);
	return a;
}

static void car_destroy(void *pol)
{
	struct car *a = pol;
	adaptive_lists_fini(&a->l);
	free(a);
}

static pfn_t car_evict(void *pol)
{
	struct car *a = pol;
	const struct policy_env *env = a->env;
	if (a->l.t1.len + a->l.t2.len == 0)
		return PFN_NONE;
	for (;;) {
		bool from_t1 = a->l.t1.len >= MAX(1, a->l.p) || a->l.t2.len == 0;
		struct pfnlist *t = from_t1 ? &a->l.t1 : &a->l.t2;
		pfn_t h = t->head;
		pfnlist_del(&a->l.links, t, h);
		if (env->test_and_clear_young(env->vm, h)) {
			pfnlist_push_tail(&a->l.links, &a->l.t2, h);
			a->l.where[h] = CAR_T2;
			continue;
		}
		a->l.where[h] = CAR_NONE;
		if (ghost_full(&a->l.ghost)) /* cannot happen while the directory is <= 2c */
			adaptive_lists_drop_ghost_lru(&a->l, a->l.b2.len ? &a->l.b2 : &a->l.b1);
		pfn_t g = ghost_alloc(&a->l.ghost, a->l.key[h]);
		struct pfnlist *b = from_t1 ? &a->l.b1 : &a->l.b2;
		pfnlist_push_head(&a->l.links, b, g);
		a->l.where[g] = from_t1 ? CAR_B1 : CAR_B2;
		return h;
	}
}

static void car_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct car *a = pol;
	a->l.key[pfn] = key;
	pfn_t g = ghost_find(&a->l.ghost, key);
	if (g == PFN_NONE) {
		if (a->l.t1.len + a->l.b1.len >= a->l.c)
			adaptive_lists_drop_ghost_lru(&a->l, &a->l.b1);
		else if (a->l.t1.len + a->l.t2.len + a->l.b1.len + a->l.b2.len >= 2 * a->l.c)
			adaptive_lists_drop_ghost_lru(&a->l, &a->l.b2);
		pfnlist_push_tail(&a->l.links, &a->l.t1, pfn);
		a->l.where[pfn] = CAR_T1;
	} else {
		uint64_t b1 = a->l.b1.len, b2 = a->l.b2.len;
		if (a->l.where[g] == CAR_B1)
			a->l.p = MIN(a->l.p + MAX(1, b2 / b1), a->l.c);
		else
			a->l.p = a->l.p > MAX(1, b1 / b2) ? a->l.p - MAX(1, b1 / b2) : 0;
		pfnlist_del(&a->l.links, adaptive_lists_list(&a->l, a->l.where[g]), g);
		a->l.where[g] = CAR_NONE;
		ghost_free(&a->l.ghost, g);
		pfnlist_push_tail(&a->l.links, &a->l.t2, pfn);
		a->l.where[pfn] = CAR_T2;
	}
}

/* The paper's pages enter with the reference bit clear. */
static bool car_insert_old(const void *pol)
{
	(void)pol;
	return true;
}

static void car_remove(void *pol, pfn_t pfn)
{
	struct car *a = pol;
	pfnlist_del(&a->l.links, adaptive_lists_list(&a->l, a->l.where[pfn]), pfn);
	a->l.where[pfn] = CAR_NONE;
}

const struct policy_ops policy_car = {
    .name = "car",
    .description = "CAR: CLOCK with adaptive replacement, reference bits only",
    .source = "Bansal & Modha, FAST 2004",
    .create = car_create,
    .destroy = car_destroy,
    .insert = car_insert,
    .remove = car_remove,
    .evict = car_evict,
    .insert_old = car_insert_old,
};
