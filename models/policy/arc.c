/*
 * arc.c — ARC, Adaptive Replacement Cache (Megiddo & Modha, FAST 2003, Figure 4), with c the
 * number of frames of the scope:
 *  - T1 (resident, seen once recently) and T2 (resident, seen at least twice), both LRU;
 *  - B1 and B2, ghost LRUs of keys evicted from T1 and T2; |T1|+|B1| <= c, total <= 2c;
 *  - p, the adaptive target size of T1, in [0, c].
 * Case I (hit in T1 or T2): move to the MRU end of T2.
 * Case II (miss, key in B1): p := min(c, p + d1), d1 = 1 if |B1| >= |B2| else |B2|/|B1|;
 *   REPLACE; the page enters T2's MRU end. Case III (key in B2): p := max(0, p - d2),
 *   d2 = 1 if |B2| >= |B1| else |B1|/|B2|; REPLACE; into T2.
 * Case IV (miss, key unknown): A: |T1|+|B1| = c: if |T1| < c drop B1's LRU and REPLACE, else
 *   drop T1's LRU (no ghost); B: otherwise if |L1|+|L2| = 2c drop B2's LRU, and REPLACE;
 *   the page enters T1's MRU end.
 * REPLACE: if |T1| >= 1 and (|T1| > p or (key in B2 and |T1| = p)) T1's LRU goes to B1's MRU,
 *   else T2's LRU goes to B2's MRU.
 * Mapping onto the interface: the reclaim that makes room for a fault calls evict_for(key),
 * which performs the adaptation of Cases II/III and REPLACE with the key, exactly as the
 * figure. The ghost-list trimming of Case IV only touches B1/B2, which REPLACE does not read,
 * so it is done at insert (same end state). A plain evict (background reclaim, no incoming key)
 * runs REPLACE for an unknown key; a ghost hit whose frame came from plain evict adapts p at
 * insert instead. p_steps "integer" (default) adapts p by integer deltas (integer division);
 * the paper writes the ratio |B2|/|B1| without saying (libCacheSim's ARC.c notes that "one thing
 * not clear in the paper is whether delta and p is int or float"); "real" keeps p as libCacheSim
 * does, a binary64 number: only +, -, / and comparisons, which IEEE 754 rounds correctly, with
 * FLT_EVAL_METHOD 0 (checked at compile time), so the choices are the same on every machine
 * and at every optimisation level (no contraction applies: there is no multiplication).
 * Needs every reference (POLICY_SEES_EVERY_ACCESS). O(1) per reference, no allocation: the
 * ghost pool of 2c keys is preallocated.
 */
#include <float.h>
#include <stdlib.h>
#include <string.h>

#include "models/policy/adaptive_lists.h"
#include "models/policy/policy.h"

enum { ARC_NONE = AL_NONE, ARC_T1 = AL_T1, ARC_T2 = AL_T2, ARC_B1 = AL_B1, ARC_B2 = AL_B2 };

_Static_assert(FLT_EVAL_METHOD == 0, "arc's real p needs binary64 evaluation");

static const struct param_spec arc_params[] = {
    {.key = "p_steps",
     .type = PARAM_ENUM,
     .def = "\"integer\"",
     .choices = "integer|real",
     .doc = "p adapted by integer deltas, or real ones (libCacheSim)"},
    {0},
};

struct arc {
	struct adaptive_lists l; /* T1, T2, B1, B2, p (integer steps) */
	bool real;               /* p_steps "real": p is p_real */
	double p_real;
	bool adapted;            /* evict_for already adapted p for adapted_key */
	uint64_t adapted_key;
	pfn_t adapted_node; /* its ghost node, PFN_NONE if a ghost may have been freed since */
};

static void *arc_create(const struct policy_env *env, const json_t *params)
{
	struct arc *a = xcalloc(1, sizeof(*a));
	adaptive_lists_init(&a->l, env->nr_frames);
	a->real = strcmp(params_get_string(params, "p_steps"), "real") == 0;
	return a;
}

static void arc_destroy(void *pol)
{
	struct arc *a = pol;
	adaptive_lists_fini(&a->l);
	free(a);
}

/* Move the LRU page of t (T1 or T2) to the MRU end of its ghost list b; return its frame. */
static pfn_t arc_demote(struct arc *a, struct pfnlist *t, struct pfnlist *b, uint8_t bwhere)
{
	pfn_t v = pfnlist_pop_tail(&a->l.links, t);
	a->l.where[v] = ARC_NONE;
	if (ghost_full(&a->l.ghost)) { /* cannot happen while |L1|+|L2| <= 2c; kept safe */
		adaptive_lists_drop_ghost_lru(&a->l, a->l.b2.len ? &a->l.b2 : &a->l.b1);
		a->adapted_node = PFN_NONE;
	}
	pfn_t g = ghost_alloc(&a->l.ghost, a->l.key[v]);
	pfnlist_push_head(&a->l.links, b, g);
	a->l.where[g] = bwhere;
	return v;
}

static pfn_t arc_replace(struct arc *a, bool key_in_b2)
{
	uint64_t t1 = a->l.t1.len;
	if (a->l.t1.len + a->l.t2.len == 0)
		return PFN_NONE;
	bool above = a->real ? (double)t1 > a->p_real : t1 > a->l.p;
	bool at = a->real ? (double)t1 == a->p_real : t1 == a->l.p;
	if (t1 >= 1 && (above || (key_in_b2 && at) || a->l.t2.len == 0))
		return arc_demote(a, &a->l.t1, &a->l.b1, ARC_B1);
	return arc_demote(a, &a->l.t2, &a->l.b2, ARC_B2);
}

static void arc_adapt(struct arc *a, uint8_t where)
{
	uint64_t b1 = a->l.b1.len, b2 = a->l.b2.len;
	if (a->real) {
		double c = (double)a->l.c;
		if (where == ARC_B1)
			a->p_real = MIN(c, a->p_real + MAX((double)b2 / (double)b1, 1.0));
		else
			a->p_real = MAX(0.0, a->p_real - MAX((double)b1 / (double)b2, 1.0));
		return;
	}
	if (where == ARC_B1) {
		uint64_t d = b1 >= b2 ? 1 : b2 / b1;
		a->l.p = MIN(a->l.c, a->l.p + d);
	} else {
		uint64_t d = b2 >= b1 ? 1 : b1 / b2;
		a->l.p = a->l.p > d ? a->l.p - d : 0;
	}
}

static pfn_t arc_evict_for(void *pol, uint64_t key)
{
	struct arc *a = pol;
	pfn_t g = ghost_find(&a->l.ghost, key);
	a->adapted = false;
	if (g != PFN_NONE) {
		pfnlist_prefetch(&a->l.links, g); /* insert unlinks it */
		arc_adapt(a, a->l.where[g]);
		a->adapted = true;
		a->adapted_key = key;
		a->adapted_node = g;
		return arc_replace(a, a->l.where[g] == ARC_B2);
	}
	return arc_replace(a, false);
}

static pfn_t arc_evict(void *pol)
{
	struct arc *a = pol;
	a->adapted = false;
	return arc_replace(a, false);
}

static void arc_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct arc *a = pol;
	a->l.key[pfn] = key;
	/* evict_for looked key up just before; only a ghost_free could have moved it since */
	bool adapted = a->adapted && a->adapted_key == key;
	pfn_t g =
	    adapted && a->adapted_node != PFN_NONE ? a->adapted_node : ghost_find(&a->l.ghost, key);
	if (g != PFN_NONE) { /* Cases II and III */
		if (!adapted)
			arc_adapt(a, a->l.where[g]);
		pfnlist_del(&a->l.links, adaptive_lists_list(&a->l, a->l.where[g]), g);
		a->l.where[g] = ARC_NONE;
		ghost_free_key(&a->l.ghost, g, key);
		pfnlist_push_head(&a->l.links, &a->l.t2, pfn);
		a->l.where[pfn] = ARC_T2;
	} else { /* Case IV: keep |T1|+|B1| <= c and the directory <= 2c */
		if (a->l.t1.len + a->l.b1.len >= a->l.c) {
			adaptive_lists_drop_ghost_lru(&a->l, &a->l.b1);
		} else if (a->l.t1.len + a->l.t2.len + a->l.b1.len + a->l.b2.len >= 2 * a->l.c) {
			adaptive_lists_drop_ghost_lru(&a->l, &a->l.b2);
		}
		pfnlist_push_head(&a->l.links, &a->l.t1, pfn);
		a->l.where[pfn] = ARC_T1;
	}
	a->adapted = false;
}

static void arc_remove(void *pol, pfn_t pfn)
{
	struct arc *a = pol;
	pfnlist_del(&a->l.links, adaptive_lists_list(&a->l, a->l.where[pfn]), pfn);
	a->l.where[pfn] = ARC_NONE;
}

static void arc_access(void *pol, pfn_t pfn, bool is_write, uint64_t next_use)
{
	struct arc *a = pol;
	if (a->l.where[pfn] == ARC_T2 && a->l.t2.head == pfn)
		return;
	pfnlist_del(&a->l.links, adaptive_lists_list(&a->l, a->l.where[pfn]), pfn);
	pfnlist_push_head(&a->l.links, &a->l.t2, pfn);
	a->l.where[pfn] = ARC_T2;
}

/*
 * The next victim is the LRU end of T1 or of T2: both, alternately, into out.
 * Host cache hints for the faults to come as well (reclaim calls peek once per eviction, so each
 * hint runs a stage ahead of the one before):
 *  - the ghosts that the next Case IV inserts will drop, at the LRU end of B1 if |T1|+|B1| >= c
 *    now, else of B2 (a wrong guess costs only prefetches): the node (pfnlist_peek_tail
 *    prefetches one beyond), then its key, then the hash slot of the key;
 *  - the hash slot where the next REPLACE's ghost_alloc will put the victim's key, for both
 *    T1's and T2's LRU end (which one goes depends on the coming fault): the node, its key, the
 *    slot.
 * Changes no state. The hints are written out here rather than in a void helper: GCC takes a
 * function that only prefetches for one without effects and may delete its calls.
 */
static unsigned arc_peek(void *pol, pfn_t *out, unsigned max)
{
	struct arc *a = pol;
	const struct adaptive_lists *l = &a->l;
	pfn_t t1[8], t2[8], d[3];
	unsigned half = MIN(max / 2, 8u), n = 0;
	unsigned n1 = pfnlist_peek_tail(&l->links, &l->t1, t1, half);
	unsigned n2 = pfnlist_peek_tail(&l->links, &l->t2, t2, half);
	unsigned nd =
	    pfnlist_peek_tail(&l->links, l->t1.len + l->b1.len >= l->c ? &l->b1 : &l->b2, d, 3);
	if (nd > 0)
		ghost_prefetch_free(&l->ghost, ghost_key(&l->ghost, d[0]));
	if (nd > 1)
		ghost_prefetch_free(&l->ghost, ghost_key(&l->ghost, d[1]));
	if (nd > 2)
		ghost_prefetch_node_key(&l->ghost, d[2]);
	if (n1 > 0)
		ghost_prefetch(&l->ghost, l->key[t1[0]]);
	if (n2 > 0)
		ghost_prefetch(&l->ghost, l->key[t2[0]]);
	if (n1 > 1)
		__builtin_prefetch(&l->key[t1[1]], 0, 3);
	if (n2 > 1)
		__builtin_prefetch(&l->key[t2[1]], 0, 3);
	for (unsigned i = 0; i < MAX(n1, n2); i++) {
		if (i < n1)
			out[n++] = t1[i];
		if (i < n2)
			out[n++] = t2[i];
	}
	return n;
}

static void arc_prefetch(const void *pol, pfn_t pfn, uint64_t key)
{
	const struct arc *a = pol;
	if (pfn == PFN_NONE) { /* a fault: evict_for and insert look the key up in B1/B2 */
		ghost_prefetch(&a->l.ghost, key);
		return;
	}
	__builtin_prefetch(&a->l.where[pfn], 0, 3);
	pfnlist_prefetch(&a->l.links, pfn);
}

const struct policy_ops policy_arc = {
    .name = "arc",
    .description = "ARC: adaptive balance of recency (T1) and frequency (T2) with ghosts",
    .source = "Megiddo & Modha, FAST 2003",
    .flags = POLICY_SEES_EVERY_ACCESS,
    .params = arc_params,
    .create = arc_create,
    .destroy = arc_destroy,
    .insert = arc_insert,
    .remove = arc_remove,
    .access = arc_access,
    .evict = arc_evict,
    .peek = arc_peek,
    .prefetch = arc_prefetch,
    .evict_for = arc_evict_for,
};
