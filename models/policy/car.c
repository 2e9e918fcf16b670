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
 * scan). The paper enters a page with its bit clear, so insert clears the accessed bit that the
 * faulting reference set (the VM must call insert after it has mapped the page). Integer
 * division in the deltas. O(1) per reference, amortised O(1) per eviction; no allocation.
 */
#include <stdlib.h>

#include "models/policy/ghost.h"
#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

enum { CAR_NONE, CAR_T1, CAR_T2, CAR_B1, CAR_B2 };

struct car {
	const struct policy_env *env;
	uint64_t c, p;
	struct pfnlist_links links; /* frames 0..c-1, ghosts c..3c-1 */
	struct pfnlist t1, t2;      /* clocks: head is the hand, tail just behind it */
	struct pfnlist b1, b2;      /* ghosts: head is MRU */
	struct ghost ghost;
	uint8_t *where;
	uint64_t *key;
};

static void *car_create(const struct policy_env *env, const json_t *params)
{
	struct car *a = xcalloc(1, sizeof(*a));
	a->env = env;
	a->c = env->nr_frames;
	pfnlist_links_init(&a->links, 3 * a->c);
	pfnlist_init(&a->t1);
	pfnlist_init(&a->t2);
	pfnlist_init(&a->b1);
	pfnlist_init(&a->b2);
	ghost_init(&a->ghost, (pfn_t)a->c, 2 * a->c);
	a->where = xcalloc(3 * a->c + 1, sizeof(*a->where));
	a->key = xcalloc(a->c + 1, sizeof(*a->key));
	return a;
}

static void car_destroy(void *pol)
{
	struct car *a = pol;
	pfnlist_links_fini(&a->links);
	ghost_fini(&a->ghost);
	free(a->where);
	free(a->key);
	free(a);
}

static struct pfnlist *car_list(struct car *a, uint8_t where)
{
	switch (where) {
	case CAR_T1:
		return &a->t1;
	case CAR_T2:
		return &a->t2;
	case CAR_B1:
		return &a->b1;
	case CAR_B2:
		return &a->b2;
	}
	BUG_ON(1, "car: node on no list");
	return NULL;
}

static void car_drop_ghost_lru(struct car *a, struct pfnlist *b)
{
	pfn_t g = pfnlist_pop_tail(&a->links, b);
	if (g == PFN_NONE)
		return;
	a->where[g] = CAR_NONE;
	ghost_free(&a->ghost, g);
}

static pfn_t car_evict(void *pol)
{
	struct car *a = pol;
	const struct policy_env *env = a->env;
	if (a->t1.len + a->t2.len == 0)
		return PFN_NONE;
	for (;;) {
		bool from_t1 = a->t1.len >= MAX(1, a->p) || a->t2.len == 0;
		struct pfnlist *t = from_t1 ? &a->t1 : &a->t2;
		pfn_t h = t->head;
		pfnlist_del(&a->links, t, h);
		if (env->test_and_clear_young(env->vm, h)) {
			pfnlist_push_tail(&a->links, &a->t2, h);
			a->where[h] = CAR_T2;
			continue;
		}
		a->where[h] = CAR_NONE;
		if (ghost_full(&a->ghost)) /* cannot happen while the directory is <= 2c */
			car_drop_ghost_lru(a, a->b2.len ? &a->b2 : &a->b1);
		pfn_t g = ghost_alloc(&a->ghost, a->key[h]);
		struct pfnlist *b = from_t1 ? &a->b1 : &a->b2;
		pfnlist_push_head(&a->links, b, g);
		a->where[g] = from_t1 ? CAR_B1 : CAR_B2;
		return h;
	}
}

static void car_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct car *a = pol;
	a->key[pfn] = key;
	pfn_t g = ghost_find(&a->ghost, key);
	if (g == PFN_NONE) {
		if (a->t1.len + a->b1.len >= a->c)
			car_drop_ghost_lru(a, &a->b1);
		else if (a->t1.len + a->t2.len + a->b1.len + a->b2.len >= 2 * a->c)
			car_drop_ghost_lru(a, &a->b2);
		pfnlist_push_tail(&a->links, &a->t1, pfn);
		a->where[pfn] = CAR_T1;
	} else {
		uint64_t b1 = a->b1.len, b2 = a->b2.len;
		if (a->where[g] == CAR_B1)
			a->p = MIN(a->p + MAX(1, b2 / b1), a->c);
		else
			a->p = a->p > MAX(1, b1 / b2) ? a->p - MAX(1, b1 / b2) : 0;
		pfnlist_del(&a->links, car_list(a, a->where[g]), g);
		a->where[g] = CAR_NONE;
		ghost_free(&a->ghost, g);
		pfnlist_push_tail(&a->links, &a->t2, pfn);
		a->where[pfn] = CAR_T2;
	}
	a->env->test_and_clear_young(a->env->vm, pfn);
}

static void car_remove(void *pol, pfn_t pfn)
{
	struct car *a = pol;
	pfnlist_del(&a->links, car_list(a, a->where[pfn]), pfn);
	a->where[pfn] = CAR_NONE;
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
};
