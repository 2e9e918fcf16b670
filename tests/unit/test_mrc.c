/*
 * test_mrc.c — one-pass fault curves (sim/cli/mrc.c) against the textbooks, against simple
 * per-size simulators written here, against the repository's own lru and opt policies driven
 * per size with on-demand reclaim, and SHARDS against the exact LRU curve.
 *
 * Golden numbers: Silberschatz et al., Operating System Concepts, the 20-reference string
 * 7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1 (LRU 12 faults with 3 frames, OPT 9; with 4 frames
 * both 8); Belady's string 1,2,3,4,1,2,5,1,2,3,4,5 (LRU 10 and 8, OPT 7 and 6 with 3 and 4
 * frames).
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdlib.h>

#include "models/policy/policy.h"
#include "sim/base/util.h"
#include "sim/cli/mrc.h"
#include "tests/unit/test.h"

/* ---- reference simulators: one memory size at a time, dense page ids < nr_pages ---- */

/* LRU with a doubly linked recency list: O(1) per reference. */
static uint64_t ref_lru_faults(const uint32_t *ids, size_t n, uint32_t nr_pages, uint32_t frames)
{
	uint32_t *prev = xmalloc(nr_pages * sizeof(uint32_t));
	uint32_t *next = xmalloc(nr_pages * sizeof(uint32_t));
	char *resident = xcalloc(nr_pages, 1);
	uint32_t head = UINT32_MAX, tail = UINT32_MAX, used = 0;
	uint64_t faults = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t x = ids[i];
		if (resident[x]) {
			/* unlink */
			if (prev[x] != UINT32_MAX)
				next[prev[x]] = next[x];
			else
				head = next[x];
			if (next[x] != UINT32_MAX)
				prev[next[x]] = prev[x];
			else
				tail = prev[x];
		} else {
			faults++;
			if (used == frames) {
				uint32_t v = tail; /* least recently used */
				resident[v] = 0;
				tail = prev[v];
				if (tail != UINT32_MAX)
					next[tail] = UINT32_MAX;
				else
					head = UINT32_MAX;
				used--;
			}
			resident[x] = 1;
			used++;
		}
		prev[x] = UINT32_MAX;
		next[x] = head;
		if (head != UINT32_MAX)
			prev[head] = x;
		head = x;
		if (tail == UINT32_MAX)
			tail = x;
	}
	free(prev);
	free(next);
	free(resident);
	return faults;
}

/* Belady's MIN: on a fault with memory full, evict the resident page whose next reference is
 * furthest away (never = infinity). A plain binary max-heap of (next use, page) with lazy
 * deletion: stale entries (the page's next use has moved on) are skipped. */
struct heap_ent {
	uint64_t next_use;
	uint32_t id;
};

static void heap_push(struct heap_ent *h, size_t *len, struct heap_ent e)
{
	size_t i = (*len)++;
	while (i > 0 && h[(i - 1) / 2].next_use < e.next_use) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = e;
}

static struct heap_ent heap_pop(struct heap_ent *h, size_t *len)
{
	struct heap_ent top = h[0], last = h[--*len];
	size_t i = 0;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= *len)
			break;
		if (c + 1 < *len && h[c + 1].next_use > h[c].next_use)
			c++;
		if (h[c].next_use <= last.next_use)
			break;
		h[i] = h[c];
		i = c;
	}
	if (*len)
		h[i] = last;
	return top;
}

static uint64_t *next_uses(const uint32_t *ids, size_t n, uint32_t nr_pages)
{
	uint64_t *nu = xmalloc(n * sizeof(uint64_t));
	uint64_t *seen = xmalloc(nr_pages * sizeof(uint64_t));
	for (uint32_t i = 0; i < nr_pages; i++)
		seen[i] = UINT64_MAX;
	for (size_t i = n; i-- > 0;) {
		nu[i] = seen[ids[i]];
		seen[ids[i]] = i;
	}
	free(seen);
	return nu;
}

static uint64_t ref_opt_faults(const uint32_t *ids, const uint64_t *nu, size_t n, uint32_t nr_pages,
                               uint32_t frames)
{
	uint64_t *cur = xmalloc(nr_pages * sizeof(uint64_t)); /* current next use of resident */
	char *resident = xcalloc(nr_pages, 1);
	struct heap_ent *h = xmalloc((n + 1) * sizeof(*h));
	size_t len = 0;
	uint32_t used = 0;
	uint64_t faults = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t x = ids[i];
		if (!resident[x]) {
			faults++;
			if (used == frames) {
				for (;;) {
					struct heap_ent e = heap_pop(h, &len);
					if (resident[e.id] && cur[e.id] == e.next_use) {
						resident[e.id] = 0;
						used--;
						break;
					}
				}
			}
			resident[x] = 1;
			used++;
		}
		cur[x] = nu[i];
		heap_push(h, &len, (struct heap_ent){.next_use = nu[i], .id = x});
		if (len > 4 * (size_t)frames + 64) {
			/* drop stale entries so the heap stays small */
			size_t k = 0;
			for (size_t j = 0; j < len; j++)
				if (resident[h[j].id] && cur[h[j].id] == h[j].next_use)
					h[k++] = h[j];
			size_t old = k;
			len = 0;
			for (size_t j = 0; j < old; j++)
				heap_push(h, &len, h[j]);
		}
	}
	free(cur);
	free(resident);
	free(h);
	return faults;
}

/* The repository's policy (lru or opt) with on-demand reclaim: one victim per fault when full.
 * Frames are handed out 0, 1, 2, ... and reused from victims. */
static uint64_t policy_faults(const struct policy_ops *ops, const uint32_t *ids, const uint64_t *nu,
                              size_t n, uint32_t nr_pages, uint32_t frames)
{
	struct policy_env env = {.nr_frames = frames, .seed = 1};
	void *pol = ops->create(&env, NULL);
	uint32_t *frame_of = xmalloc(nr_pages * sizeof(uint32_t));
	uint32_t *page_in = xmalloc(frames * sizeof(uint32_t));
	for (uint32_t i = 0; i < nr_pages; i++)
		frame_of[i] = PFN_NONE;
	uint32_t used = 0;
	uint64_t faults = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t x = ids[i];
		uint64_t next = nu[i];
		if (frame_of[x] != PFN_NONE) {
			ops->access(pol, frame_of[x], true, next);
			continue;
		}
		faults++;
		pfn_t f;
		if (used < frames) {
			f = used++;
		} else {
			f = ops->evict(pol);
			frame_of[page_in[f]] = PFN_NONE;
		}
		frame_of[x] = f;
		page_in[f] = x;
		ops->insert(pol, f, x, next);
	}
	ops->destroy(pol);
	free(frame_of);
	free(page_in);
	return faults;
}

/* ---- helpers ---- */

static void check_monotone(const struct mrc_curve *c)
{
	int ok = 1;
	for (uint64_t m = 1; m <= c->max_frames; m++)
		if (mrc_curve_at(c, m) > mrc_curve_at(c, m - 1))
			ok = 0;
	CHECK(ok);
}

/* Dense ids in first-appearance order, as mrc numbers them. */
static uint32_t dense_ids(const uint64_t *pages, size_t n, uint32_t *ids)
{
	struct mrc_trace t;
	mrc_trace_init(&t);
	for (size_t i = 0; i < n; i++)
		mrc_trace_append(&t, pages[i]);
	memcpy(ids, t.ids, n * sizeof(uint32_t));
	uint32_t d = t.nr_distinct;
	mrc_trace_fini(&t);
	return d;
}

static void test_textbook(void)
{
	static const uint64_t sil[] = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
	static const uint64_t bel[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
	struct mrc_curve lru, opt;

	mrc_lru_curve_of(sil, ARRAY_SIZE(sil), 0, &lru);
	mrc_opt_curve_of(sil, ARRAY_SIZE(sil), 0, &opt);
	CHECK_EQ_U64(lru.nr_refs, 20);
	CHECK_EQ_U64(lru.nr_distinct, 6);
	CHECK_EQ_U64(lru.max_frames, 6);
	CHECK_EQ_U64(opt.max_frames, 6);
	CHECK_EQ_U64(mrc_curve_at(&lru, 3), 12);
	CHECK_EQ_U64(mrc_curve_at(&lru, 4), 8);
	CHECK_EQ_U64(mrc_curve_at(&opt, 3), 9);
	CHECK_EQ_U64(mrc_curve_at(&opt, 4), 8);
	/* 1 frame: every reference whose predecessor is another page faults (no repeats) */
	CHECK_EQ_U64(mrc_curve_at(&lru, 1), 20);
	CHECK_EQ_U64(mrc_curve_at(&opt, 1), 20);
	/* all 6 pages fit: only the cold misses */
	CHECK_EQ_U64(mrc_curve_at(&lru, 6), 6);
	CHECK_EQ_U64(mrc_curve_at(&opt, 6), 6);
	check_monotone(&lru);
	check_monotone(&opt);
	mrc_curve_fini(&lru);
	mrc_curve_fini(&opt);

	mrc_lru_curve_of(bel, ARRAY_SIZE(bel), 0, &lru);
	mrc_opt_curve_of(bel, ARRAY_SIZE(bel), 0, &opt);
	CHECK_EQ_U64(mrc_curve_at(&lru, 3), 10);
	CHECK_EQ_U64(mrc_curve_at(&lru, 4), 8);
	CHECK_EQ_U64(mrc_curve_at(&opt, 3), 7);
	CHECK_EQ_U64(mrc_curve_at(&opt, 4), 6);
	CHECK_EQ_U64(mrc_curve_at(&lru, 5), 5);
	CHECK_EQ_U64(mrc_curve_at(&opt, 5), 5);
	mrc_curve_fini(&lru);
	mrc_curve_fini(&opt);

	/* --max-frames: the same numbers, truncated; beyond the distinct pages, cold misses */
	mrc_lru_curve_of(sil, ARRAY_SIZE(sil), 3, &lru);
	mrc_opt_curve_of(sil, ARRAY_SIZE(sil), 9, &opt);
	CHECK_EQ_U64(lru.max_frames, 3);
	CHECK_EQ_U64(mrc_curve_at(&lru, 3), 12);
	CHECK_EQ_U64(opt.max_frames, 9);
	CHECK_EQ_U64(mrc_curve_at(&opt, 3), 9);
	CHECK_EQ_U64(mrc_curve_at(&opt, 9), 6);
	mrc_curve_fini(&lru);
	mrc_curve_fini(&opt);

	/* empty trace */
	mrc_lru_curve_of(sil, 0, 0, &lru);
	mrc_opt_curve_of(sil, 0, 0, &opt);
	CHECK_EQ_U64(lru.max_frames, 0);
	CHECK_EQ_U64(opt.max_frames, 0);
	CHECK_EQ_U64(mrc_curve_at(&lru, 0), 0);
	mrc_curve_fini(&lru);
	mrc_curve_fini(&opt);
}

/* A random trace of n references over at most nr_pages pages; shape 0: uniform, 1: Zipf-like
 * (weights 1/k^0.8), 2: phases of small working sets with occasional far jumps. Page numbers
 * are scattered over a 40-bit space so the hash map sees realistic keys. */
static uint64_t *random_trace(unsigned long seed, int shape, size_t n, uint32_t nr_pages)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, seed);
	uint64_t *pages = xmalloc(n * sizeof(uint64_t));
	gsl_ran_discrete_t *zipf = NULL;
	if (shape == 1) {
		double *w = xmalloc(nr_pages * sizeof(double));
		for (uint32_t k = 0; k < nr_pages; k++)
			w[k] = 1.0 / pow(k + 1, 0.8);
		zipf = gsl_ran_discrete_preproc(nr_pages, w);
		free(w);
	}
	uint32_t base = 0;
	for (size_t i = 0; i < n; i++) {
		uint32_t k;
		if (shape == 0) {
			k = (uint32_t)gsl_rng_uniform_int(r, nr_pages);
		} else if (shape == 1) {
			k = (uint32_t)gsl_ran_discrete(r, zipf);
		} else {
			if (i % 1000 == 0)
				base = (uint32_t)gsl_rng_uniform_int(r, nr_pages);
			if (gsl_rng_uniform(r) < 0.9)
				k = (base + (uint32_t)gsl_rng_uniform_int(r, 64)) % nr_pages;
			else
				k = (uint32_t)gsl_rng_uniform_int(r, nr_pages);
		}
		pages[i] = mix64(k) >> 24;
	}
	if (zipf)
		gsl_ran_discrete_free(zipf);
	gsl_rng_free(r);
	return pages;
}

static void test_random_vs_reference(unsigned long seed, int shape, size_t n, uint32_t nr_pages,
                                     int with_policies)
{
	uint64_t *pages = random_trace(seed, shape, n, nr_pages);
	uint32_t *ids = xmalloc(n * sizeof(uint32_t));
	uint32_t distinct = dense_ids(pages, n, ids);
	uint64_t *nu = next_uses(ids, n, distinct);
	struct mrc_curve lru, opt;
	mrc_lru_curve_of(pages, n, 0, &lru);
	mrc_opt_curve_of(pages, n, 0, &opt);
	CHECK_EQ_U64(lru.nr_distinct, distinct);
	CHECK_EQ_U64(lru.max_frames, distinct);
	CHECK_EQ_U64(opt.max_frames, distinct);
	uint32_t lru_bad = 0, opt_bad = 0, pol_bad = 0, opt_above_lru = 0;
	for (uint32_t m = 1; m <= distinct; m++) {
		uint64_t want_lru = ref_lru_faults(ids, n, distinct, m);
		uint64_t want_opt = ref_opt_faults(ids, nu, n, distinct, m);
		if (mrc_curve_at(&lru, m) != want_lru) {
			if (!lru_bad)
				fprintf(stderr,
				        "seed %lu: lru at %u frames: %" PRIu64 " want %" PRIu64
				        "\n",
				        seed, m, mrc_curve_at(&lru, m), want_lru);
			lru_bad++;
		}
		if (mrc_curve_at(&opt, m) != want_opt) {
			if (!opt_bad)
				fprintf(stderr,
				        "seed %lu: opt at %u frames: %" PRIu64 " want %" PRIu64
				        "\n",
				        seed, m, mrc_curve_at(&opt, m), want_opt);
			opt_bad++;
		}
		if (mrc_curve_at(&opt, m) > mrc_curve_at(&lru, m))
			opt_above_lru++;
		if (with_policies) {
			extern const struct policy_ops policy_lru, policy_opt;
			if (policy_faults(&policy_lru, ids, nu, n, distinct, m) != mrc_curve_at(&lru, m) ||
			    policy_faults(&policy_opt, ids, nu, n, distinct, m) != mrc_curve_at(&opt, m))
				pol_bad++;
		}
	}
	CHECK_EQ_U64(lru_bad, 0);
	CHECK_EQ_U64(opt_bad, 0);
	CHECK_EQ_U64(pol_bad, 0);
	CHECK_EQ_U64(opt_above_lru, 0);
	/* every page fits: cold misses only */
	CHECK_EQ_U64(mrc_curve_at(&lru, distinct), distinct);
	CHECK_EQ_U64(mrc_curve_at(&opt, distinct), distinct);
	check_monotone(&lru);
	check_monotone(&opt);

	/* A bounded curve is the prefix of the full one (truncated stacks are exact). */
	uint64_t bound = distinct / 3 + 1;
	struct mrc_curve lru_b, opt_b;
	mrc_lru_curve_of(pages, n, bound, &lru_b);
	mrc_opt_curve_of(pages, n, bound, &opt_b);
	CHECK_EQ_U64(lru_b.max_frames, bound);
	CHECK(memcmp(lru_b.faults, lru.faults, (bound + 1) * sizeof(uint64_t)) == 0);
	CHECK(memcmp(opt_b.faults, opt.faults, (bound + 1) * sizeof(uint64_t)) == 0);
	mrc_curve_fini(&lru_b);
	mrc_curve_fini(&opt_b);

	/* The batch entry point (prefetching, deferred histogram updates) counts the same. */
	struct mrc_lru_opts o = {0};
	struct mrc_lru *l = mrc_lru_create(&o);
	mrc_lru_access_batch(l, pages, n / 3);
	mrc_lru_access_batch(l, pages + n / 3, n - n / 3);
	mrc_lru_curve(l, &lru_b);
	CHECK_EQ_U64(lru_b.max_frames, distinct);
	CHECK(memcmp(lru_b.faults, lru.faults, (distinct + 1) * sizeof(uint64_t)) == 0);
	mrc_curve_fini(&lru_b);
	mrc_lru_destroy(l);

	mrc_curve_fini(&lru);
	mrc_curve_fini(&opt);
	free(nu);
	free(ids);
	free(pages);
}

/* SHARDS at R = 1% (threshold 167772 of 2^24) on Zipf(1.0), 10^6 references over 10^5 pages:
 * within 0.02 absolute miss ratio of the exact LRU curve at every size. */
static void test_shards_zipf(void)
{
	const size_t n = 1000000;
	const uint32_t nr_pages = 100000;
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 42);
	double *w = xmalloc(nr_pages * sizeof(double));
	for (uint32_t k = 0; k < nr_pages; k++)
		w[k] = 1.0 / (k + 1);
	gsl_ran_discrete_t *zipf = gsl_ran_discrete_preproc(nr_pages, w);
	free(w);
	struct mrc_lru_opts oe = {0};
	struct mrc_lru_opts os = {.shards_threshold = MRC_SHARDS_MODULUS / 100,
	                          .shards_head_frames = MRC_SHARDS_HEAD_AUTO};
	struct mrc_lru *exact = mrc_lru_create(&oe);
	struct mrc_lru *sampled = mrc_lru_create(&os);
	for (size_t i = 0; i < n; i++) {
		uint64_t page = gsl_ran_discrete(r, zipf);
		mrc_lru_access(exact, page);
		mrc_lru_access(sampled, page);
	}
	gsl_ran_discrete_free(zipf);
	gsl_rng_free(r);
	struct mrc_curve ce, cs;
	mrc_lru_curve(exact, &ce);
	mrc_lru_curve(sampled, &cs);
	CHECK_EQ_U64(cs.nr_refs, n);
	double worst = 0;
	uint64_t worst_at = 0;
	for (uint64_t m = 1; m <= ce.max_frames; m++) {
		uint64_t fs = m <= cs.max_frames ? mrc_curve_at(&cs, m) : mrc_curve_at(&cs, cs.max_frames);
		double err = fabs((double)mrc_curve_at(&ce, m) - (double)fs) / (double)n;
		if (err > worst) {
			worst = err;
			worst_at = m;
		}
	}
	printf("shards 1%%: distinct %" PRIu64 " (estimated %" PRIu64
	       "), worst error %.4f at %" PRIu64 " frames\n",
	       ce.nr_distinct, cs.nr_distinct, worst, worst_at);
	CHECK(worst <= 0.02);
	check_monotone(&ce);
	check_monotone(&cs);
	/* the estimate of distinct pages is within 10% */
	CHECK(cs.nr_distinct * 10 >= ce.nr_distinct * 9 &&
	      cs.nr_distinct * 10 <= ce.nr_distinct * 11);
	mrc_curve_fini(&ce);
	mrc_curve_fini(&cs);
	mrc_lru_destroy(exact);
	mrc_lru_destroy(sampled);
}

/* The paper's SHARDS_adj, by its formula: one sampled page referenced N times at R = 1/256.
 * N_s = N, E[N_s] = N R, the sampled histogram holds N - 1 references at distance 1, so for
 * m >= 1 / R = 256 frames the miss ratio is 1 - (N - 1 + N R - N) / (N R) = 1 / (N R) and the
 * faults are N / (N R) = 256; below 256 frames no sampled distance fits (ratio 1). */
static void test_shards_adj_formula(void)
{
	const uint32_t t = MRC_SHARDS_MODULUS / 256;
	uint64_t page = 0;
	while ((mix64(page) & (MRC_SHARDS_MODULUS - 1)) >= t)
		page++;
	struct mrc_lru_opts o = {.max_frames = 300, .shards_threshold = t, .shards_head_frames = 0};
	struct mrc_lru *l = mrc_lru_create(&o);
	for (int i = 0; i < 10000; i++)
		mrc_lru_access(l, page);
	struct mrc_curve c;
	mrc_lru_curve(l, &c);
	CHECK_EQ_U64(c.max_frames, 300);
	CHECK_EQ_U64(mrc_curve_at(&c, 1), 10000);
	CHECK_EQ_U64(mrc_curve_at(&c, 255), 10000);
	CHECK_EQ_U64(mrc_curve_at(&c, 256), 256);
	CHECK_EQ_U64(mrc_curve_at(&c, 300), 256);
	CHECK_EQ_U64(c.nr_distinct, 256); /* one sampled page stands for 1 / R */
	mrc_curve_fini(&c);
	mrc_lru_destroy(l);

	/* With the default head (64 / R = 16384 frames > the 1 page): exact, 1 fault. */
	o.shards_head_frames = MRC_SHARDS_HEAD_AUTO;
	l = mrc_lru_create(&o);
	for (int i = 0; i < 10000; i++)
		mrc_lru_access(l, page);
	mrc_lru_curve(l, &c);
	CHECK_EQ_U64(mrc_curve_at(&c, 1), 1);
	CHECK_EQ_U64(mrc_curve_at(&c, 300), 1);
	CHECK_EQ_U64(c.nr_distinct, 1);
	CHECK_EQ_U64(mrc_shards_head_frames(t), 16384);
	mrc_curve_fini(&c);
	mrc_lru_destroy(l);
}

/* A head smaller than the working set: sizes up to the head are exact, whatever the sample. */
static void test_shards_head_exact(void)
{
	uint64_t *pages = random_trace(5, 1, 50000, 2000);
	struct mrc_curve exact, sh;
	mrc_lru_curve_of(pages, 50000, 0, &exact);
	struct mrc_lru_opts o = {.shards_threshold = MRC_SHARDS_MODULUS / 10,
	                         .shards_head_frames = 500};
	struct mrc_lru *l = mrc_lru_create(&o);
	for (int i = 0; i < 50000; i++)
		mrc_lru_access(l, pages[i]);
	mrc_lru_curve(l, &sh);
	CHECK(sh.max_frames >= 500);
	CHECK(memcmp(sh.faults, exact.faults, 501 * sizeof(uint64_t)) == 0);
	check_monotone(&sh);
	mrc_curve_fini(&exact);
	mrc_curve_fini(&sh);
	mrc_lru_destroy(l);
	free(pages);
}

int main(void)
{
	test_textbook();
	test_random_vs_reference(1, 0, 20000, 300, 1);
	test_random_vs_reference(2, 1, 30000, 2000, 0);
	test_random_vs_reference(3, 2, 20000, 800, 0);
	test_random_vs_reference(4, 0, 20000, 400, 0);
	test_shards_zipf();
	test_shards_adj_formula();
	test_shards_head_exact();
	TEST_DONE();
}
