/*
 * twoq.c — 2Q, the full version (Johnson & Shasha, VLDB 1994, figure "Full 2Q"):
 *  - A1in: FIFO of pages referenced once recently (resident), at most Kin when reclaiming;
 *  - A1out: FIFO ghost of keys pushed out of A1in, at most Kout entries;
 *  - Am: LRU of pages re-referenced after leaving A1in (resident).
 * A miss whose key is in A1out goes to the head of Am; any other miss to the head of A1in.
 * A hit in Am moves the page to Am's head; a hit in A1in does nothing (correlated references).
 * Reclaim: if |A1in| > Kin, the tail of A1in leaves and its key enters A1out (whose tail is
 * forgotten beyond Kout); otherwise the tail of Am leaves, remembered nowhere. (When Am is
 * empty the tail of A1in leaves, as the only candidate.)
 * Defaults are the paper's: Kin = 25% of the frames (at least 1), Kout = 50% of the frames.
 * The paper looks the missing page up in A1out before reclaimfor() may push A1out's tail out:
 * evict_for(key) does the same (it takes the key off A1out and remembers it for insert), so a
 * key at A1out's tail still enters Am. Plain evict (background reclaim) cannot.
 * Needs every reference (POLICY_SEES_EVERY_ACCESS). O(1) per reference, no allocation.
 */
#include <stdlib.h>

#include "models/policy/ghost.h"
#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec twoq_params[] = {
    {.key = "kin_pct",
     .type = PARAM_INT,
     .def = "25",
     .min = 1,
     .max = 100,
     .doc = "Kin, the A1in target, in % of the frames"},
    {.key = "kout_pct",
     .type = PARAM_INT,
     .def = "50",
     .min = 0,
     .max = 1000,
     .doc = "Kout, the A1out ghost capacity, in % of the frames"},
    {0},
};

enum { TWOQ_NONE, TWOQ_A1IN, TWOQ_AM };

struct twoq {
	uint64_t kin, kout;
	struct pfnlist_links links; /* frames 0..F-1, then A1out ghost nodes */
	struct pfnlist a1in, am, a1out;
	struct ghost ghost;
	uint8_t *where; /* where[pfn]: TWOQ_A1IN or TWOQ_AM */
	uint64_t *key;  /* key[pfn] */
	bool to_am;     /* evict_for found to_am_key in A1out (and took it off) */
	uint64_t to_am_key;
};

static void *twoq_create(const struct policy_env *env, const json_t *params)
{
	struct twoq *q = xcalloc(1, sizeof(*q));
	uint64_t f = env->nr_frames;
	q->kin = MAX(1, f * (uint64_t)params_get_int(params, "kin_pct") / 100);
	q->kout = f * (uint64_t)params_get_int(params, "kout_pct") / 100;
	pfnlist_links_init(&q->links, f + q->kout);
	pfnlist_init(&q->a1in);
	pfnlist_init(&q->am);
	pfnlist_init(&q->a1out);
	ghost_init(&q->ghost, (pfn_t)f, q->kout);
	q->where = xcalloc(f ? f : 1, sizeof(*q->where));
	q->key = xcalloc(f ? f : 1, sizeof(*q->key));
	return q;
}

static void twoq_destroy(void *pol)
{
	struct twoq *q = pol;
	pfnlist_links_fini(&q->links);
	ghost_fini(&q->ghost);
	free(q->where);
	free(q->key);
	free(q);
}

static void twoq_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct twoq *q = pol;
	q->key[pfn] = key;
	pfn_t g = ghost_find(&q->ghost, key);
	bool in_a1out = g != PFN_NONE || (q->to_am && q->to_am_key == key);
	q->to_am = false;
	if (g != PFN_NONE) {
		pfnlist_del(&q->links, &q->a1out, g);
		ghost_free(&q->ghost, g);
	}
	if (in_a1out) {
		pfnlist_push_head(&q->links, &q->am, pfn);
		q->where[pfn] = TWOQ_AM;
	} else {
		pfnlist_push_head(&q->links, &q->a1in, pfn);
		q->where[pfn] = TWOQ_A1IN;
	}
}

static void twoq_remove(void *pol, pfn_t pfn)
{
	struct twoq *q = pol;
	pfnlist_del(&q->links, q->where[pfn] == TWOQ_AM ? &q->am : &q->a1in, pfn);
	q->where[pfn] = TWOQ_NONE;
}

static void twoq_access(void *pol, pfn_t pfn, bool is_write, uint64_t next_use)
{
	struct twoq *q = pol;
	if (q->where[pfn] == TWOQ_AM && q->am.head != pfn) {
		pfnlist_del(&q->links, &q->am, pfn);
		pfnlist_push_head(&q->links, &q->am, pfn);
	}
}

static pfn_t twoq_evict(void *pol)
{
	struct twoq *q = pol;
	pfn_t v;
	if (q->a1in.len > q->kin || (q->am.len == 0 && q->a1in.len)) {
		v = pfnlist_pop_tail(&q->links, &q->a1in);
		if (q->kout) {
			if (ghost_full(&q->ghost)) {
				pfn_t old = pfnlist_pop_tail(&q->links, &q->a1out);
				ghost_free(&q->ghost, old);
			}
			pfnlist_push_head(&q->links, &q->a1out, ghost_alloc(&q->ghost, q->key[v]));
		}
	} else {
		v = pfnlist_pop_tail(&q->links, &q->am);
	}
	if (v != PFN_NONE)
		q->where[v] = TWOQ_NONE;
	return v;
}

static pfn_t twoq_evict_for(void *pol, uint64_t key)
{
	struct twoq *q = pol;
	pfn_t g = ghost_find(&q->ghost, key);
	q->to_am = g != PFN_NONE;
	if (g != PFN_NONE) {
		q->to_am_key = key;
		pfnlist_del(&q->links, &q->a1out, g);
		ghost_free(&q->ghost, g);
	}
	return twoq_evict(q);
}

const struct policy_ops policy_2q = {
    .name = "2q",
    .description = "2Q (full): A1in FIFO, A1out ghost FIFO, Am LRU",
    .source = "Johnson & Shasha, VLDB 1994",
    .flags = POLICY_SEES_EVERY_ACCESS,
    .params = twoq_params,
    .create = twoq_create,
    .destroy = twoq_destroy,
    .insert = twoq_insert,
    .remove = twoq_remove,
    .access = twoq_access,
    .evict = twoq_evict,
    .evict_for = twoq_evict_for,
};
