/*
 * s3fifo.c — S3-FIFO (Yang, Zhang, Qiu, Yue & Rashmi, SOSP 2023): three FIFO queues.
 *  - S, a small FIFO (small_pct = 10% of the frames) that new pages enter;
 *  - M, the main FIFO (the rest) with 2-bit frequencies read like a clock;
 *  - G, a ghost FIFO of keys that left S unreferenced, as many entries as M's share.
 * A hit increments the page's frequency, capped at 3. A miss whose key is in G enters M, any
 * other miss enters S (frequency 0).
 * Eviction: if |S| >= its share (or M is empty): S's tail moves to M's head if its frequency is
 * >= move_to_main_threshold (1: "accessed at least once", the paper's text; libCacheSim's
 * default at commit aa0fc40 is 2, its move-to-main-threshold=2), keeping its frequency
 * (main_keeps_freq; libCacheSim's new M entry starts at 0), else it leaves and its key enters
 * G; repeat until one leaves (quick demotion of one-hit wonders). Otherwise M's tail with
 * frequency > 0 goes back to M's head with frequency - 1, with 0 it leaves.
 * G is searched after the eviction that makes room (ghost_lookup "after": the paper's INSERT
 * evicts first, so the eviction may push the key out of G) or before it ("before": libCacheSim
 * removes the key from G when it looks the request up, via evict_for).
 * Simplification: one victim per call; when promotions from S overfill M, the paper evicts from
 * M at once, here the next eviction does (S is then below its share).
 * Needs every reference (POLICY_SEES_EVERY_ACCESS) for the frequencies; an OS would sample the
 * accessed bit instead (as Linux's S3-FIFO experiments do). O(1) amortised, no allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "models/policy/ghost.h"
#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec s3fifo_params[] = {
    {.key = "small_pct",
     .type = PARAM_INT,
     .def = "10",
     .min = 1,
     .max = 100,
     .doc = "small FIFO share of the frames, in %"},
    {.key = "ghost_pct",
     .type = PARAM_INT,
     .def = "90",
     .min = 0,
     .max = 1000,
     .doc = "ghost FIFO entries, in % of the frames"},
    {.key = "move_to_main_threshold",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 3,
     .doc = "frequency at which a page leaving S goes to M (paper 1, libCacheSim 2)"},
    {.key = "main_keeps_freq",
     .type = PARAM_BOOL,
     .def = "true",
     .doc = "a page moved from S to M keeps its frequency (false: 0, as libCacheSim)"},
    {.key = "ghost_lookup",
     .type = PARAM_ENUM,
     .def = "\"after\"",
     .choices = "after|before",
     .doc = "G searched after the eviction (the paper) or before it (libCacheSim)"},
    {0},
};

enum { S3_NONE, S3_SMALL, S3_MAIN };

struct s3fifo {
	uint64_t small_target;
	unsigned threshold;
	bool main_keeps_freq, ghost_before;
	/* ghost_lookup "before": the key evict_for looked up, and whether G held it */
	uint64_t looked_key;
	bool looked, ghost_hit;
	struct pfnlist_links links;         /* frames, then ghost nodes */
	struct pfnlist small, main, ghostq; /* heads newest */
	struct ghost ghost;
	uint8_t *where, *freq;
	uint64_t *key;
};

static void *s3fifo_create(const struct policy_env *env, const json_t *params)
{
	struct s3fifo *s = xcalloc(1, sizeof(*s));
	uint64_t f = env->nr_frames;
	s->small_target = MAX(1, f * (uint64_t)params_get_int(params, "small_pct") / 100);
	s->threshold = (unsigned)params_get_int(params, "move_to_main_threshold");
	s->main_keeps_freq = params_get_bool(params, "main_keeps_freq");
	s->ghost_before = strcmp(params_get_string(params, "ghost_lookup"), "before") == 0;
	uint64_t gcap = f * (uint64_t)params_get_int(params, "ghost_pct") / 100;
	pfnlist_links_init(&s->links, f + gcap);
	pfnlist_init(&s->small);
	pfnlist_init(&s->main);
	pfnlist_init(&s->ghostq);
	ghost_init(&s->ghost, (pfn_t)f, gcap);
	s->where = xcalloc(f + 1, 1);
	s->freq = xcalloc(f + 1, 1);
	s->key = xcalloc(f + 1, sizeof(*s->key));
	return s;
}

static void s3fifo_destroy(void *pol)
{
	struct s3fifo *s = pol;
	pfnlist_links_fini(&s->links);
	ghost_fini(&s->ghost);
	free(s->where);
	free(s->freq);
	free(s->key);
	free(s);
}

/* Take key out of G; was it there? */
static bool s3_ghost_take(struct s3fifo *s, uint64_t key)
{
	pfn_t g = ghost_find(&s->ghost, key);
	if (g == PFN_NONE)
		return false;
	pfnlist_del(&s->links, &s->ghostq, g);
	ghost_free(&s->ghost, g);
	return true;
}

static void s3fifo_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct s3fifo *s = pol;
	s->key[pfn] = key;
	s->freq[pfn] = 0;
	bool to_main = s->looked && s->looked_key == key ? s->ghost_hit : s3_ghost_take(s, key);
	s->looked = s->ghost_hit = false;
	if (to_main) {
		pfnlist_push_head(&s->links, &s->main, pfn);
		s->where[pfn] = S3_MAIN;
	} else {
		pfnlist_push_head(&s->links, &s->small, pfn);
		s->where[pfn] = S3_SMALL;
	}
}

static void s3fifo_remove(void *pol, pfn_t pfn)
{
	struct s3fifo *s = pol;
	pfnlist_del(&s->links, s->where[pfn] == S3_MAIN ? &s->main : &s->small, pfn);
	s->where[pfn] = S3_NONE;
}

static void s3fifo_access(void *pol, pfn_t pfn, bool is_write, uint64_t next_use)
{
	struct s3fifo *s = pol;
	if (s->freq[pfn] < 3)
		s->freq[pfn]++;
}

static pfn_t s3fifo_evict(void *pol)
{
	struct s3fifo *s = pol;
	if (s->small.len && (s->small.len >= s->small_target || s->main.len == 0)) {
		pfn_t t;
		while ((t = pfnlist_pop_tail(&s->links, &s->small)) != PFN_NONE) {
			if (s->freq[t] >= s->threshold) {
				if (!s->main_keeps_freq)
					s->freq[t] = 0;
				pfnlist_push_head(&s->links, &s->main, t);
				s->where[t] = S3_MAIN;
				continue;
			}
			if (s->ghost.cap) {
				if (ghost_full(&s->ghost))
					ghost_free(&s->ghost,
					           pfnlist_pop_tail(&s->links, &s->ghostq));
				pfnlist_push_head(&s->links, &s->ghostq,
				                  ghost_alloc(&s->ghost, s->key[t]));
			}
			s->where[t] = S3_NONE;
			return t;
		}
	}
	pfn_t t;
	while ((t = pfnlist_pop_tail(&s->links, &s->main)) != PFN_NONE) {
		if (s->freq[t] > 0) {
			s->freq[t]--;
			pfnlist_push_head(&s->links, &s->main, t);
			continue;
		}
		s->where[t] = S3_NONE;
		return t;
	}
	return PFN_NONE;
}

/* ghost_lookup "before": G is searched for the incoming key before the eviction. */
static pfn_t s3fifo_evict_for(void *pol, uint64_t key)
{
	struct s3fifo *s = pol;
	if (s->ghost_before && !(s->looked && s->looked_key == key)) {
		s->ghost_hit = s3_ghost_take(s, key);
		s->looked_key = key;
		s->looked = true;
	}
	return s3fifo_evict(pol);
}

const struct policy_ops policy_s3fifo = {
    .name = "s3fifo",
    .description = "S3-FIFO: small FIFO filter, main FIFO with 2-bit frequency, ghost FIFO",
    .source = "Yang, Zhang, Qiu, Yue & Rashmi, SOSP 2023",
    .flags = POLICY_SEES_EVERY_ACCESS,
    .params = s3fifo_params,
    .create = s3fifo_create,
    .destroy = s3fifo_destroy,
    .insert = s3fifo_insert,
    .remove = s3fifo_remove,
    .access = s3fifo_access,
    .evict = s3fifo_evict,
    .evict_for = s3fifo_evict_for,
};
