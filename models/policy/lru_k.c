/*
 * lru_k.c — LRU-K (O'Neil, O'Neil & Weikum, SIGMOD 1993): the victim is the page whose K-th
 * most recent uncorrelated reference is the oldest (the largest backward K-distance; a page
 * with fewer than K references has an infinite one). Time t counts the references this
 * instance has seen. Per page, HIST(p, 1..K) holds the times of its last K uncorrelated
 * references and LAST(p) the time of its last reference, as in the paper's pseudo-code:
 *  - a hit at t: if t - LAST(p) > crp_refs (an uncorrelated reference), the history shifts by
 *    one, each older entry moved by the correlated period LAST(p) - HIST(p,1) that just ended,
 *    and HIST(p,1) = t; always LAST(p) = t. References within the correlated reference period
 *    crp_refs of the previous one count as one (crp_refs 0: every reference counts);
 *  - a miss at t: the victim is the resident page q eligible (t - LAST(q) > crp_refs) with the
 *    smallest HIST(q,K) (0 when unknown); ties, which the paper leaves open, go to the least
 *    recently used (smallest LAST), then the lowest frame; if no page is eligible, every page
 *    is. The new page's history is the retained one shifted by one (no correlated-period
 *    adjustment), or empty, and HIST(p,1) = LAST(p) = t.
 * The paper keeps a non-resident page's history for a Retained Information Period; here the
 * histories of at most history_pct of the frames evicted pages are kept, the oldest evicted
 * forgotten first. The paper's loop shifts HIST(p,i) := HIST(p,i-1) for i = 2..K, read here as
 * the shift it means (K down to 2). Needs every reference (POLICY_SEES_EVERY_ACCESS); O(n) per
 * eviction (a scan of the resident pages, as the paper's), O(K) per reference, no allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "models/policy/ghost.h"
#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

#define LRU_K_MAX 8

static const struct param_spec lru_k_params[] = {
    {.key = "k",
     .type = PARAM_INT,
     .def = "2",
     .min = 1,
     .max = LRU_K_MAX,
     .doc = "K: the victim has the oldest K-th most recent reference (1: LRU)"},
    {.key = "crp_refs",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 1e12,
     .doc = "correlated reference period, in references: closer re-references count as one"},
    {.key = "history_pct",
     .type = PARAM_INT,
     .def = "100",
     .min = 0,
     .max = 10000,
     .doc = "histories of evicted pages kept, in % of the frames (the paper's RIP)"},
    {0},
};

struct lru_k {
	unsigned k;
	uint64_t crp, now, nr_frames;
	uint64_t *hist; /* hist[node * k + i] = HIST(node, i + 1); frames then ghost nodes */
	uint64_t *last; /* per node */
	uint64_t *key;  /* per frame */
	bool *resident; /* per frame */
	struct ghost ghost;
	struct pfnlist_links links; /* the retained histories, oldest evicted at the tail */
	struct pfnlist retained;
};

static void *lru_k_create(const struct policy_env *env, const json_t *params)
{
	struct lru_k *l = xcalloc(1, sizeof(*l));
	uint64_t f = env->nr_frames;
	l->k = (unsigned)params_get_int(params, "k");
	l->crp = (uint64_t)params_get_int(params, "crp_refs");
	l->nr_frames = f;
	uint64_t gcap = f * (uint64_t)params_get_int(params, "history_pct") / 100;
	l->hist = xcalloc((f + gcap) * l->k + 1, sizeof(*l->hist));
	l->last = xcalloc(f + gcap + 1, sizeof(*l->last));
	l->key = xcalloc(f + 1, sizeof(*l->key));
	l->resident = xcalloc(f + 1, sizeof(bool));
	ghost_init(&l->ghost, (pfn_t)f, gcap);
	pfnlist_links_init(&l->links, f + gcap);
	pfnlist_init(&l->retained);
	return l;
}

static void lru_k_destroy(void *pol)
{
	struct lru_k *l = pol;
	ghost_fini(&l->ghost);
	pfnlist_links_fini(&l->links);
	free(l->hist);
	free(l->last);
	free(l->key);
	free(l->resident);
	free(l);
}

static uint64_t *lk_hist(struct lru_k *l, pfn_t node)
{
	return &l->hist[(uint64_t)node * l->k];
}

static void lru_k_access(void *pol, pfn_t pfn, bool is_write, uint64_t next_use)
{
	struct lru_k *l = pol;
	(void)is_write;
	(void)next_use;
	uint64_t t = ++l->now;
	uint64_t *h = lk_hist(l, pfn);
	if (t - l->last[pfn] > l->crp) { /* uncorrelated: the correlated period closes */
		uint64_t correl = l->last[pfn] - h[0];
		for (unsigned i = l->k - 1; i >= 1; i--)
			h[i] = h[i - 1] ? h[i - 1] + correl : 0;
		h[0] = t;
	}
	l->last[pfn] = t;
}

static void lru_k_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct lru_k *l = pol;
	(void)next_use;
	uint64_t t = ++l->now;
	uint64_t *h = lk_hist(l, pfn);
	memset(h, 0, l->k * sizeof(*h));
	pfn_t g = ghost_find(&l->ghost, key);
	if (g != PFN_NONE) { /* the retained history, shifted by one */
		const uint64_t *gh = lk_hist(l, g);
		for (unsigned i = 1; i < l->k; i++)
			h[i] = gh[i - 1];
		pfnlist_del(&l->links, &l->retained, g);
		ghost_free(&l->ghost, g);
	}
	h[0] = t;
	l->last[pfn] = t;
	l->key[pfn] = key;
	l->resident[pfn] = true;
}

static void lru_k_remove(void *pol, pfn_t pfn)
{
	struct lru_k *l = pol;
	l->resident[pfn] = false;
}

/* Keep the history of the evicted page in pfn, forgetting the oldest when full. */
static void lk_retain(struct lru_k *l, pfn_t pfn)
{
	if (!l->ghost.cap)
		return;
	if (ghost_full(&l->ghost))
		ghost_free(&l->ghost, pfnlist_pop_tail(&l->links, &l->retained));
	pfn_t g = ghost_alloc(&l->ghost, l->key[pfn]);
	memcpy(lk_hist(l, g), lk_hist(l, pfn), l->k * sizeof(uint64_t));
	l->last[g] = l->last[pfn];
	pfnlist_push_head(&l->links, &l->retained, g);
}

/* Does a beat b as a victim: older K-th reference, then older last reference? */
static bool lk_before(struct lru_k *l, pfn_t a, pfn_t b)
{
	uint64_t ha = lk_hist(l, a)[l->k - 1], hb = lk_hist(l, b)[l->k - 1];
	if (ha != hb)
		return ha < hb;
	return l->last[a] < l->last[b];
}

static pfn_t lru_k_evict(void *pol)
{
	struct lru_k *l = pol;
	uint64_t t = l->now + 1; /* the time of the reference that faults */
	pfn_t victim = PFN_NONE, any = PFN_NONE;
	for (pfn_t f = 0; f < l->nr_frames; f++) {
		if (!l->resident[f])
			continue;
		if (any == PFN_NONE || lk_before(l, f, any))
			any = f;
		if (t - l->last[f] > l->crp && (victim == PFN_NONE || lk_before(l, f, victim)))
			victim = f;
	}
	if (victim == PFN_NONE)
		victim = any; /* every page within its correlated period: the best of all */
	if (victim != PFN_NONE) {
		l->resident[victim] = false;
		lk_retain(l, victim);
	}
	return victim;
}

const struct policy_ops policy_lru_k = {
    .name = "lru-k",
    .description = "LRU-K: evict the oldest K-th most recent reference, correlated period",
    .source = "O'Neil, O'Neil & Weikum, SIGMOD 1993",
    .flags = POLICY_SEES_EVERY_ACCESS,
    .params = lru_k_params,
    .create = lru_k_create,
    .destroy = lru_k_destroy,
    .insert = lru_k_insert,
    .remove = lru_k_remove,
    .access = lru_k_access,
    .evict = lru_k_evict,
};
