/*
 * wtinylfu.c — W-TinyLFU (Einziger, Friedman & Manes, "TinyLFU: A Highly Efficient Cache
 * Admission Policy", ACM ToS 2017), as Caffeine's simulator runs it (WindowTinyLfuPolicy):
 *  - a window LRU of window_pct of the frames (at least one) that every new page enters;
 *  - the main space, a segmented LRU: probation, and protected (protected_pct of the main
 *    space); a hit in probation moves the page to protected's MRU end, whose LRU page then
 *    goes back to probation's MRU end if protected is over its share;
 *  - TinyLFU admission: when the window overflows, its LRU page (the candidate) competes with
 *    probation's LRU page (the victim): the candidate enters probation if its estimated
 *    frequency is strictly higher, else it is the one that leaves;
 *  - the frequencies: a count-min sketch of 4 rows of 4-bit counters (15 at most), each row as
 *    wide as 4 x the frames rounded up to a power of two (Caffeine's 16 counters per entry);
 *    every reference increments the key's counter in each row and the estimate is the least of
 *    the four; after sample_factor x frames increments every counter is halved and so is the
 *    count ("reset", the paper's aging). Caffeine's hash-flooding guard (a random admission of
 *    a warm candidate) is left out: the policy is deterministic without a seed.
 * Memory is full at every eviction (the VM evicts for a fault), so the candidate is the window's
 * LRU page when the window is at its share; otherwise main's LRU page goes (probation first).
 * evict_for counts the faulting key before the contest, as Caffeine records it before it
 * evicts. Needs every reference (POLICY_SEES_EVERY_ACCESS). O(1) per reference (4 counters),
 * O(counters) per reset (every sample_factor x frames references: amortised O(1)).
 */
#include <stdlib.h>
#include <string.h>

#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec wtinylfu_params[] = {
    {.key = "window_pct",
     .type = PARAM_INT,
     .def = "1",
     .min = 0,
     .max = 100,
     .doc = "window LRU share of the frames, in % (at least one frame; Caffeine: 1)"},
    {.key = "protected_pct",
     .type = PARAM_INT,
     .def = "80",
     .min = 0,
     .max = 100,
     .doc = "protected segment share of the main space, in % (Caffeine: 80)"},
    {.key = "sample_factor",
     .type = PARAM_INT,
     .def = "10",
     .min = 1,
     .max = 1000,
     .doc = "sketch reset after sample_factor x frames increments (the paper's W/C: 10)"},
    {0},
};

enum { WT_NONE, WT_WINDOW, WT_PROBATION, WT_PROTECTED };

#define WT_ROWS 4
#define WT_MAX_COUNT 15

struct wtinylfu {
	uint64_t window_max, protected_max;
	uint64_t sample_size, additions;
	uint64_t row_mask;   /* row width - 1 (a power of two) */
	uint8_t *counters;   /* WT_ROWS rows */
	uint64_t counted_key; /* evict_for counted it already */
	bool counted;
	struct pfnlist_links links;
	struct pfnlist window, probation, prot; /* heads: MRU */
	uint8_t *where;
	uint64_t *key;
};

static uint64_t wt_pow2_at_least(uint64_t n)
{
	uint64_t p = 1;
	while (p < n)
		p <<= 1;
	return p;
}

static void *wtinylfu_create(const struct policy_env *env, const json_t *params)
{
	struct wtinylfu *w = xcalloc(1, sizeof(*w));
	uint64_t f = env->nr_frames;
	w->window_max = MAX(1, f * (uint64_t)params_get_int(params, "window_pct") / 100);
	uint64_t main_frames = f > w->window_max ? f - w->window_max : 0;
	w->protected_max = main_frames * (uint64_t)params_get_int(params, "protected_pct") / 100;
	w->sample_size = MAX(1, f * (uint64_t)params_get_int(params, "sample_factor"));
	uint64_t width = wt_pow2_at_least(MAX(4 * f, 16));
	w->row_mask = width - 1;
	w->counters = xcalloc(WT_ROWS * width, 1);
	pfnlist_links_init(&w->links, f);
	pfnlist_init(&w->window);
	pfnlist_init(&w->probation);
	pfnlist_init(&w->prot);
	w->where = xcalloc(f + 1, 1);
	w->key = xcalloc(f + 1, sizeof(*w->key));
	return w;
}

static void wtinylfu_destroy(void *pol)
{
	struct wtinylfu *w = pol;
	pfnlist_links_fini(&w->links);
	free(w->counters);
	free(w->where);
	free(w->key);
	free(w);
}

/* The counter of key in row r: splitmix64 of the key with a per-row constant. */
static uint8_t *wt_counter(struct wtinylfu *w, uint64_t key, unsigned r)
{
	uint64_t x = key + 0x9e3779b97f4a7c15ull * (r + 1);
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	x ^= x >> 31;
	return &w->counters[(uint64_t)r * (w->row_mask + 1) + (x & w->row_mask)];
}

static unsigned wt_frequency(struct wtinylfu *w, uint64_t key)
{
	unsigned f = WT_MAX_COUNT;
	for (unsigned r = 0; r < WT_ROWS; r++)
		f = MIN(f, *wt_counter(w, key, r));
	return f;
}

/* Halve every counter and the count of additions (the reset). */
static void wt_reset(struct wtinylfu *w)
{
	uint64_t n = WT_ROWS * (w->row_mask + 1);
	for (uint64_t i = 0; i < n; i++)
		w->counters[i] >>= 1;
	w->additions /= 2;
}

static void wt_record(struct wtinylfu *w, uint64_t key)
{
	for (unsigned r = 0; r < WT_ROWS; r++) {
		uint8_t *c = wt_counter(w, key, r);
		if (*c < WT_MAX_COUNT)
			(*c)++;
	}
	if (++w->additions >= w->sample_size)
		wt_reset(w);
}

static struct pfnlist *wt_list(struct wtinylfu *w, uint8_t where)
{
	return where == WT_WINDOW ? &w->window : where == WT_PROBATION ? &w->probation : &w->prot;
}

static void wt_move(struct wtinylfu *w, pfn_t pfn, uint8_t to)
{
	pfnlist_del(&w->links, wt_list(w, w->where[pfn]), pfn);
	pfnlist_push_head(&w->links, wt_list(w, to), pfn);
	w->where[pfn] = to;
}

static void wtinylfu_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct wtinylfu *w = pol;
	(void)next_use;
	if (!(w->counted && w->counted_key == key))
		wt_record(w, key);
	w->counted = false;
	w->key[pfn] = key;
	pfnlist_push_head(&w->links, &w->window, pfn);
	w->where[pfn] = WT_WINDOW;
	/* while memory fills, the window's overflow goes to probation without a contest */
	while (w->window.len > w->window_max)
		wt_move(w, w->window.tail, WT_PROBATION);
}

static void wtinylfu_access(void *pol, pfn_t pfn, bool is_write, uint64_t next_use)
{
	struct wtinylfu *w = pol;
	(void)is_write;
	(void)next_use;
	wt_record(w, w->key[pfn]);
	if (w->where[pfn] == WT_PROBATION) {
		wt_move(w, pfn, WT_PROTECTED);
		if (w->prot.len > w->protected_max)
			wt_move(w, w->prot.tail, WT_PROBATION);
	} else {
		wt_move(w, pfn, w->where[pfn]);
	}
}

static void wtinylfu_remove(void *pol, pfn_t pfn)
{
	struct wtinylfu *w = pol;
	pfnlist_del(&w->links, wt_list(w, w->where[pfn]), pfn);
	w->where[pfn] = WT_NONE;
}

static pfn_t wt_take(struct wtinylfu *w, pfn_t pfn)
{
	pfnlist_del(&w->links, wt_list(w, w->where[pfn]), pfn);
	w->where[pfn] = WT_NONE;
	return pfn;
}

static pfn_t wtinylfu_evict(void *pol)
{
	struct wtinylfu *w = pol;
	if (w->window.len < w->window_max || w->window.len == 0) {
		/* only after removals: main's LRU page (probation first), else the window's */
		pfn_t v = w->probation.len ? w->probation.tail : w->prot.tail;
		if (v == PFN_NONE)
			v = w->window.tail;
		return v != PFN_NONE ? wt_take(w, v) : PFN_NONE;
	}
	/* The window is full: the new page will push its LRU page out, the candidate, which
	 * competes with probation's LRU page (Caffeine: itself when probation is empty). */
	pfn_t candidate = w->window.tail, victim = w->probation.tail;
	if (victim == PFN_NONE)
		return wt_take(w, candidate);
	if (wt_frequency(w, w->key[candidate]) > wt_frequency(w, w->key[victim])) {
		wt_move(w, candidate, WT_PROBATION);
		return wt_take(w, victim);
	}
	return wt_take(w, candidate);
}

/* The faulting key is counted before the contest, as Caffeine records it first. */
static pfn_t wtinylfu_evict_for(void *pol, uint64_t key)
{
	struct wtinylfu *w = pol;
	if (!(w->counted && w->counted_key == key)) {
		wt_record(w, key);
		w->counted = true;
		w->counted_key = key;
	}
	return wtinylfu_evict(pol);
}

const struct policy_ops policy_wtinylfu = {
    .name = "w-tinylfu",
    .description = "W-TinyLFU: window LRU, TinyLFU admission (count-min sketch), SLRU main",
    .source = "Einziger, Friedman & Manes, ACM ToS 2017 (Caffeine)",
    .flags = POLICY_SEES_EVERY_ACCESS,
    .params = wtinylfu_params,
    .create = wtinylfu_create,
    .destroy = wtinylfu_destroy,
    .insert = wtinylfu_insert,
    .remove = wtinylfu_remove,
    .access = wtinylfu_access,
    .evict = wtinylfu_evict,
    .evict_for = wtinylfu_evict_for,
};
