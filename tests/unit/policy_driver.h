/*
 * policy_driver.h — a small reference driver for the replacement policy unit tests: replays a
 * sequence of references (key, is_write) against one policy with a fixed number of frames, as
 * the VM layer does on on-demand reclaim, without any timing.
 *  - keys (small integers, < DRV_MAX_KEY) map to pfns; free pfns are handed out lowest first;
 *  - a reference to a resident key is a hit: its PTE accessed bit (and dirty bit on a write)
 *    is set, and .access is called if the policy declares POLICY_SEES_EVERY_ACCESS;
 *  - a reference to a non-resident key is a fault: if no frame is free the policy evicts one
 *    (policy_evict_for with the faulting key); the page is mapped with its accessed bit set
 *    (and dirty on a write) — the faulting reference — and then .insert is called; a policy
 *    whose .insert_old says so gets the page with its accessed bit clear, as from the VM;
 *  - test_and_clear_young clears the emulated accessed bit; the dirty bit is cleared when the
 *    page is evicted (written back); vtime is the number of references made so far, counting
 *    the current one;
 *  - next_use (for OPT) is precomputed from the whole sequence;
 *  - every remove_every references (0: never) the resident page with the smallest pfn is
 *    removed (.remove), as an munmap would, exercising remove() mid-stream.
 * It checks the contract as it goes and counts violations instead of aborting: an evicted pfn
 * that is not resident, more residents than frames, evict returning PFN_NONE with pages
 * resident.
 */
#ifndef VMSIM_TESTS_POLICY_DRIVER_H
#define VMSIM_TESTS_POLICY_DRIVER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "models/policy/policy.h"
#include "sim/base/params.h"

#define DRV_MAX_KEY 100000u

struct drv_ref {
	uint32_t key;
	bool is_write;
};

struct drv_result {
	uint64_t refs, faults, hits, evictions, removes;
	uint64_t violations; /* contract breaches seen (0 when the policy is correct) */
	uint64_t peek_first; /* evictions whose victim was the first frame peek named */
};

/* Call the optional host-cache hints (peek before each eviction, prefetch before each
 * reference) during a run. Hints must change nothing: tests run with and without them. */
static bool drv_hints = true;

struct drv_state {
	uint64_t nr_frames;
	uint64_t now;        /* references made so far */
	uint32_t *pfn_key;   /* key in each frame, UINT32_MAX when free */
	pfn_t *key_pfn;      /* frame of each key, PFN_NONE when not resident */
	bool *young, *dirty; /* emulated PTE bits per frame */
};

static bool drv_test_and_clear_young(void *vm, pfn_t pfn)
{
	struct drv_state *s = vm;
	bool y = s->young[pfn];
	s->young[pfn] = false;
	return y;
}

static bool drv_page_dirty(void *vm, pfn_t pfn)
{
	struct drv_state *s = vm;
	return s->dirty[pfn];
}

static uint64_t drv_vtime(void *vm)
{
	struct drv_state *s = vm;
	return s->now;
}

/* The resolved default parameters of ops (new; json_decref it). */
static inline json_t *drv_default_params(const struct policy_ops *ops)
{
	json_t *obj = json_object();
	struct err err;
	if (params_resolve(ops->params, obj, "test", "vm.policy_params", &err)) {
		fprintf(stderr, "%s\n", err.msg);
		abort();
	}
	return obj;
}

/* Replay refs[0..n) against ops with nr_frames frames. params: a resolved
 * vm.policy_params object, or NULL for the defaults. */
static inline struct drv_result drv_run_params(const struct policy_ops *ops, json_t *params,
                                               uint64_t nr_frames, const struct drv_ref *refs,
                                               size_t n, uint64_t seed, uint64_t remove_every)
{
	struct drv_result r = {0};
	struct drv_state s = {.nr_frames = nr_frames};
	s.pfn_key = malloc(sizeof(*s.pfn_key) * nr_frames);
	s.key_pfn = malloc(sizeof(*s.key_pfn) * DRV_MAX_KEY);
	s.young = calloc(nr_frames, sizeof(bool));
	s.dirty = calloc(nr_frames, sizeof(bool));
	for (uint64_t i = 0; i < nr_frames; i++)
		s.pfn_key[i] = UINT32_MAX;
	for (uint32_t k = 0; k < DRV_MAX_KEY; k++)
		s.key_pfn[k] = PFN_NONE;
	/* next_use[i]: index of the next reference to refs[i].key after i */
	uint64_t *next_use = malloc(sizeof(*next_use) * (n ? n : 1));
	uint64_t *last_seen = malloc(sizeof(*last_seen) * DRV_MAX_KEY);
	for (uint32_t k = 0; k < DRV_MAX_KEY; k++)
		last_seen[k] = NEXT_USE_NEVER;
	for (size_t i = n; i-- > 0;) {
		next_use[i] = last_seen[refs[i].key];
		last_seen[refs[i].key] = i;
	}
	json_t *own = params ? NULL : drv_default_params(ops);
	struct policy_env env = {
	    .nr_frames = nr_frames,
	    .seed = seed,
	    .vm = &s,
	    .test_and_clear_young = drv_test_and_clear_young,
	    .page_dirty = drv_page_dirty,
	    .vtime = drv_vtime,
	};
	void *pol = ops->create(&env, params ? params : own);
	uint64_t resident = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t key = refs[i].key;
		s.now = i + 1;
		r.refs++;
		pfn_t pfn = s.key_pfn[key];
		if (drv_hints && ops->prefetch)
			ops->prefetch(pol, pfn, key);
		if (pfn != PFN_NONE) {
			r.hits++;
			s.young[pfn] = true;
			if (refs[i].is_write)
				s.dirty[pfn] = true;
			if (ops->flags & POLICY_SEES_EVERY_ACCESS)
				ops->access(pol, pfn, refs[i].is_write, next_use[i]);
		} else {
			r.faults++;
			if (resident == nr_frames) {
				/* peek names distinct resident frames, at most max of them */
				pfn_t peeked[6];
				unsigned np =
				    drv_hints && ops->peek ? ops->peek(pol, peeked, 6) : 0;
				for (unsigned j = 0; j < np; j++) {
					bool bad = j >= 6 || peeked[j] >= nr_frames ||
					           s.pfn_key[peeked[j]] == UINT32_MAX;
					for (unsigned k = 0; k < j; k++)
						bad |= peeked[k] == peeked[j];
					r.violations += bad;
				}
				pfn_t v = policy_evict_for(ops, pol, key);
				r.peek_first += np && peeked[0] == v;
				if (v == PFN_NONE || v >= nr_frames || s.pfn_key[v] == UINT32_MAX) {
					r.violations++;
					break;
				}
				s.key_pfn[s.pfn_key[v]] = PFN_NONE;
				s.pfn_key[v] = UINT32_MAX;
				s.dirty[v] = false;
				s.young[v] = false;
				resident--;
				r.evictions++;
			}
			pfn = 0;
			while (pfn < nr_frames && s.pfn_key[pfn] != UINT32_MAX)
				pfn++;
			if (pfn == nr_frames) {
				r.violations++;
				break;
			}
			s.pfn_key[pfn] = key;
			s.key_pfn[key] = pfn;
			s.young[pfn] = true;
			s.dirty[pfn] = refs[i].is_write;
			resident++;
			ops->insert(pol, pfn, key, next_use[i]);
			if (policy_insert_old(ops, pol))
				s.young[pfn] = false; /* the VM leaves such a page's PTE old */
		}
		if (resident > nr_frames)
			r.violations++;
		if (remove_every && (i + 1) % remove_every == 0 && resident > 1) {
			pfn_t p = 0;
			while (s.pfn_key[p] == UINT32_MAX)
				p++;
			ops->remove(pol, p);
			s.key_pfn[s.pfn_key[p]] = PFN_NONE;
			s.pfn_key[p] = UINT32_MAX;
			s.young[p] = s.dirty[p] = false;
			resident--;
			r.removes++;
		}
	}
	/* Drain: every resident page must come out exactly once, then PFN_NONE. */
	while (resident) {
		pfn_t v = ops->evict(pol);
		if (v == PFN_NONE || v >= nr_frames || s.pfn_key[v] == UINT32_MAX) {
			r.violations++;
			break;
		}
		s.key_pfn[s.pfn_key[v]] = PFN_NONE;
		s.pfn_key[v] = UINT32_MAX;
		resident--;
	}
	if (!resident && ops->evict(pol) != PFN_NONE)
		r.violations++;
	ops->destroy(pol);
	json_decref(own);
	free(next_use);
	free(last_seen);
	free(s.pfn_key);
	free(s.key_pfn);
	free(s.young);
	free(s.dirty);
	return r;
}

static inline struct drv_result drv_run(const struct policy_ops *ops, uint64_t nr_frames,
                                        const struct drv_ref *refs, size_t n)
{
	return drv_run_params(ops, NULL, nr_frames, refs, n, 1, 0);
}

/* Faults of ops on the read-only reference string keys[0..n). */
static inline uint64_t drv_faults_keys(const struct policy_ops *ops, uint64_t nr_frames,
                                       const uint32_t *keys, size_t n)
{
	struct drv_ref *refs = malloc(sizeof(*refs) * (n ? n : 1));
	for (size_t i = 0; i < n; i++)
		refs[i] = (struct drv_ref){.key = keys[i], .is_write = false};
	struct drv_result r = drv_run(ops, nr_frames, refs, n);
	free(refs);
	return r.violations ? UINT64_MAX : r.faults;
}

/*
 * Deterministic traces for the tests, integer arithmetic only (portable golden numbers):
 * a 64-bit LCG (Knuth's MMIX constants) drives them; the upper 32 bits are used.
 */
struct drv_rng {
	uint64_t x;
};

static inline uint32_t drv_rand32(struct drv_rng *g)
{
	g->x = g->x * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(g->x >> 32);
}

/* Uniform over [0, bound). */
static inline uint32_t drv_rand_below(struct drv_rng *g, uint32_t bound)
{
	return (uint32_t)(((uint64_t)drv_rand32(g) * bound) >> 32);
}

/* n references uniform over nr_keys keys, write_pct % writes. New; free it. */
static inline struct drv_ref *drv_trace_uniform(size_t n, uint32_t nr_keys, unsigned write_pct,
                                                uint64_t seed)
{
	struct drv_rng g = {.x = seed};
	struct drv_ref *t = malloc(sizeof(*t) * n);
	for (size_t i = 0; i < n; i++) {
		t[i].key = drv_rand_below(&g, nr_keys);
		t[i].is_write = drv_rand_below(&g, 100) < write_pct;
	}
	return t;
}

/* Zipf-like with exponent 1: key k (0-based) has weight floor(2^24 / (k + 1)). */
static inline struct drv_ref *drv_trace_zipf(size_t n, uint32_t nr_keys, unsigned write_pct,
                                             uint64_t seed)
{
	struct drv_rng g = {.x = seed};
	uint64_t *cum = malloc(sizeof(*cum) * nr_keys);
	uint64_t total = 0;
	for (uint32_t k = 0; k < nr_keys; k++) {
		total += (1ull << 24) / (k + 1);
		cum[k] = total;
	}
	struct drv_ref *t = malloc(sizeof(*t) * n);
	for (size_t i = 0; i < n; i++) {
		uint64_t u = (((uint64_t)drv_rand32(&g) << 32) | drv_rand32(&g)) % total;
		uint32_t lo = 0, hi = nr_keys - 1;
		while (lo < hi) { /* first k with cum[k] > u */
			uint32_t mid = lo + (hi - lo) / 2;
			if (cum[mid] > u)
				hi = mid;
			else
				lo = mid + 1;
		}
		/* scatter ranks over keys so that popularity is not key order */
		t[i].key = (uint32_t)((uint64_t)lo * 7919u % nr_keys);
		t[i].is_write = drv_rand_below(&g, 100) < write_pct;
	}
	free(cum);
	return t;
}

/* A loop over nr_keys keys, repeated to n references, all reads. */
static inline struct drv_ref *drv_trace_loop(size_t n, uint32_t nr_keys)
{
	struct drv_ref *t = malloc(sizeof(*t) * n);
	for (size_t i = 0; i < n; i++)
		t[i] = (struct drv_ref){.key = (uint32_t)(i % nr_keys), .is_write = false};
	return t;
}

/* A hot set of hot_keys keys (keys 0..hot_keys-1, read uniformly) interleaved with one-time
 * sequential scans of fresh keys: every reference is a scan reference with probability
 * scan_pct %, the scan walking keys hot_keys, hot_keys + 1, ... (wrapping below DRV_MAX_KEY). */
static inline struct drv_ref *drv_trace_scan_hot(size_t n, uint32_t hot_keys, unsigned scan_pct,
                                                 uint64_t seed)
{
	struct drv_rng g = {.x = seed};
	struct drv_ref *t = malloc(sizeof(*t) * n);
	uint32_t scan = hot_keys;
	for (size_t i = 0; i < n; i++) {
		if (drv_rand_below(&g, 100) < scan_pct) {
			t[i] = (struct drv_ref){.key = scan, .is_write = false};
			scan = scan + 1 < DRV_MAX_KEY ? scan + 1 : hot_keys;
		} else {
			t[i] = (struct drv_ref){.key = drv_rand_below(&g, hot_keys),
			                        .is_write = drv_rand_below(&g, 4) == 0};
		}
	}
	return t;
}

#endif
