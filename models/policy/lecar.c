/*
 * lecar.c — LeCaR, learning cache replacement (Vietri et al., HotStorage 2018): two experts,
 * LRU and LFU, over the same resident pages, and a weight for each. At an eviction the victim
 * is LRU's (the least recently used page) with probability w_LRU, else LFU's (the smallest
 * count since it came in, ties to the least recently counted); it goes to that expert's
 * history (N keys each, N = the frames, the oldest forgotten first) with the time it left.
 * A fault on a key in a history is that expert's regret: with the key t references gone,
 * r = d^t (d = 0.005^(1/N), the paper's discount) and the other expert's weight is multiplied
 * by e^(lambda r) (lambda = 0.45); the weights are then normalised to a sum of 1. The fault's
 * key is looked up before the eviction (evict_for), as in the paper; after a plain evict
 * (background reclaim) at insert.
 * Determinism: the weights are 32.32 fixed-point integers, e^x is computed in integers
 * (e^(x/64) by its Taylor series, then squared six times), the choice draws from GSL's
 * mt19937 seeded from the instance seed: same seed, same choices on every machine (no
 * floating point). The learning rate and discount are parameters (lambda_milli, discount_milli
 * the base of d, in thousandths). Counts start at 1 (the faulting reference) and are not
 * remembered in the histories. Needs every reference (POLICY_SEES_EVERY_ACCESS); O(log n) per
 * reference (the LFU heap), no allocation after create.
 */
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "models/policy/ghost.h"
#include "models/policy/pfnheap.h"
#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec lecar_params[] = {
    {.key = "lambda_milli",
     .type = PARAM_INT,
     .def = "450",
     .min = 0,
     .max = 10000,
     .doc = "learning rate lambda, in thousandths (the paper: 0.45)"},
    {.key = "discount_milli",
     .type = PARAM_INT,
     .def = "5",
     .min = 1,
     .max = 999,
     .doc = "d = (discount_milli / 1000)^(1/N), in thousandths (the paper: 0.005)"},
    {0},
};

#define Q32 (1ull << 32)
typedef unsigned __int128 u128;

enum { LC_LRU, LC_LFU };

struct lecar {
	uint64_t n, now;
	uint64_t w_lru;       /* Q32; w_LFU = Q32 - w_lru */
	uint64_t lambda_q32;  /* Q32 */
	uint64_t ln_disc_q32; /* -ln(discount), Q32 */
	gsl_rng *rng;
	struct pfnlist_links links; /* frames: recency; ghost nodes: the histories */
	struct pfnlist recency, hist[2];
	struct pfnheap counts;
	struct ghost ghost;
	uint8_t *expert;   /* per ghost node: whose history */
	uint64_t *left_at; /* per ghost node: when it was evicted */
	uint64_t *key;     /* per frame */
	uint64_t looked_key;
	bool looked;
};

/* e^x for x in Q32 (signed), x <= 1: Taylor series of e^(x/64), squared six times. */
static uint64_t lc_exp_q32(int64_t x)
{
	if (x < -(int64_t)(44 * Q32))
		return 0; /* below 2^-32 */
	int64_t a = x / 64;
	int64_t sum = (int64_t)Q32, term = (int64_t)Q32;
	for (int i = 1; i <= 12; i++) {
		term = (int64_t)(((__int128)term * a) >> 32) / i;
		sum += term;
	}
	uint64_t s = (uint64_t)sum;
	for (int i = 0; i < 6; i++)
		s = (uint64_t)(((u128)s * s) >> 32);
	return s;
}

/* ln of v/1000 for v in (0, 1000), negated, in Q32: -ln(v/1000) = sum of the series of
 * ln(1 + u) with v/1000 = 2^-k (1 + u), computed once at create in integers. */
static uint64_t lc_neg_ln_milli(int64_t v)
{
	const uint64_t ln2_q32 = 2977044472ull; /* ln 2 in Q32 */
	unsigned k = 0;
	uint64_t m = (uint64_t)v * Q32 / 1000; /* v/1000 in Q32, < 1 */
	while (m < Q32) {
		m <<= 1;
		k++;
	}
	/* m in [1, 2): ln(m) = 2 atanh((m-1)/(m+1)) = 2 (y + y^3/3 + y^5/5 + ...) */
	int64_t y = (int64_t)(((u128)(m - Q32) << 32) / (m + Q32));
	int64_t y2 = (int64_t)(((__int128)y * y) >> 32), p = y, ln_m = 0;
	for (int i = 1; i < 40; i += 2) {
		ln_m += p / i;
		p = (int64_t)(((__int128)p * y2) >> 32);
	}
	return k * ln2_q32 - 2 * (uint64_t)ln_m;
}

static void *lecar_create(const struct policy_env *env, const json_t *params)
{
	struct lecar *l = xcalloc(1, sizeof(*l));
	uint64_t n = env->nr_frames;
	l->n = n;
	l->w_lru = Q32 / 2;
	l->lambda_q32 = (uint64_t)params_get_int(params, "lambda_milli") * Q32 / 1000;
	l->ln_disc_q32 = lc_neg_ln_milli(params_get_int(params, "discount_milli"));
	l->rng = gsl_rng_alloc(gsl_rng_mt19937);
	BUG_ON(!l->rng, "gsl_rng_alloc failed");
	gsl_rng_set(l->rng, (unsigned long)(mix64(env->seed ^ 0x1ecaull) & 0xffffffffu));
	pfnlist_links_init(&l->links, 3 * n);
	pfnlist_init(&l->recency);
	pfnlist_init(&l->hist[LC_LRU]);
	pfnlist_init(&l->hist[LC_LFU]);
	pfnheap_init(&l->counts, n);
	ghost_init(&l->ghost, (pfn_t)n, 2 * n);
	l->expert = xcalloc(3 * n + 1, 1);
	l->left_at = xcalloc(3 * n + 1, sizeof(*l->left_at));
	l->key = xcalloc(n + 1, sizeof(*l->key));
	return l;
}

static void lecar_destroy(void *pol)
{
	struct lecar *l = pol;
	gsl_rng_free(l->rng);
	pfnlist_links_fini(&l->links);
	pfnheap_fini(&l->counts);
	ghost_fini(&l->ghost);
	free(l->expert);
	free(l->left_at);
	free(l->key);
	free(l);
}

/* key faults: if an expert's history holds it, that expert regrets, the other gains. */
static void lc_learn(struct lecar *l, uint64_t key)
{
	pfn_t g = ghost_find(&l->ghost, key);
	if (g == PFN_NONE)
		return;
	uint64_t t = l->now + 1 - l->left_at[g];
	uint64_t r = 0; /* d^t = e^(-t ln(1/disc) / N), Q32 */
	if (t <= 64 * l->n) {
		u128 y = (u128)l->ln_disc_q32 * t / l->n;
		r = y > 44 * Q32 ? 0 : lc_exp_q32(-(int64_t)y);
	}
	uint64_t gain = lc_exp_q32((int64_t)(((u128)l->lambda_q32 * r) >> 32));
	uint64_t w_lru = l->w_lru, w_lfu = Q32 - l->w_lru;
	if (l->expert[g] == LC_LRU)
		w_lfu = (uint64_t)(((u128)w_lfu * gain) >> 32);
	else
		w_lru = (uint64_t)(((u128)w_lru * gain) >> 32);
	l->w_lru = w_lru + w_lfu ? (uint64_t)(((u128)w_lru << 32) / (w_lru + w_lfu)) : Q32 / 2;
	pfnlist_del(&l->links, &l->hist[l->expert[g]], g);
	ghost_free(&l->ghost, g);
}

static void lecar_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct lecar *l = pol;
	(void)next_use;
	if (!(l->looked && l->looked_key == key))
		lc_learn(l, key);
	l->looked = false;
	l->now++;
	l->key[pfn] = key;
	pfnlist_push_head(&l->links, &l->recency, pfn);
	pfnheap_set(&l->counts, pfn, 1);
}

static void lecar_access(void *pol, pfn_t pfn, bool is_write, uint64_t next_use)
{
	struct lecar *l = pol;
	(void)is_write;
	(void)next_use;
	l->now++;
	pfnlist_del(&l->links, &l->recency, pfn);
	pfnlist_push_head(&l->links, &l->recency, pfn);
	pfnheap_set(&l->counts, pfn, l->counts.key[pfn] + 1);
}

static void lecar_remove(void *pol, pfn_t pfn)
{
	struct lecar *l = pol;
	pfnlist_del(&l->links, &l->recency, pfn);
	pfnheap_remove(&l->counts, pfn);
}

static pfn_t lecar_evict(void *pol)
{
	struct lecar *l = pol;
	if (!l->recency.len)
		return PFN_NONE;
	unsigned e = gsl_rng_get(l->rng) < l->w_lru ? LC_LRU : LC_LFU;
	pfn_t v = e == LC_LRU ? l->recency.tail : pfnheap_pop_min(&l->counts);
	if (e == LC_LRU)
		pfnheap_remove(&l->counts, v);
	pfnlist_del(&l->links, &l->recency, v);
	if (l->hist[e].len >= l->n) { /* this expert's history is full: forget its oldest */
		pfn_t old = pfnlist_pop_tail(&l->links, &l->hist[e]);
		ghost_free(&l->ghost, old);
	}
	pfn_t g = ghost_alloc(&l->ghost, l->key[v]);
	l->expert[g] = (uint8_t)e;
	l->left_at[g] = l->now;
	pfnlist_push_head(&l->links, &l->hist[e], g);
	return v;
}

/* The paper learns from the faulting key before it evicts. */
static pfn_t lecar_evict_for(void *pol, uint64_t key)
{
	struct lecar *l = pol;
	if (!(l->looked && l->looked_key == key)) {
		lc_learn(l, key);
		l->looked = true;
		l->looked_key = key;
	}
	return lecar_evict(pol);
}

const struct policy_ops policy_lecar = {
    .name = "lecar",
    .description = "LeCaR: LRU and LFU experts weighted by regret, seeded random choice",
    .source = "Vietri et al., HotStorage 2018",
    .flags = POLICY_SEES_EVERY_ACCESS,
    .params = lecar_params,
    .create = lecar_create,
    .destroy = lecar_destroy,
    .insert = lecar_insert,
    .remove = lecar_remove,
    .access = lecar_access,
    .evict = lecar_evict,
    .evict_for = lecar_evict_for,
};
