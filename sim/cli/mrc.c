/*
 * mrc.c — one-pass LRU and OPT fault curves (stack distances) and SHARDS sampling; see mrc.h.
 *
 * LRU: a reference's stack distance is 1 + the number of distinct pages referenced since the
 * page's previous reference. Each page keeps one marker at the time slot of its last reference;
 * a Fenwick tree counts markers, so the distance is the number of markers after the page's own,
 * plus one: O(log slots). Time slots are compacted when they run out (live markers renumbered
 * in order), and the slot space doubles only when more than half of it is live, so memory stays
 * proportional to the distinct pages and compaction costs O(1) amortised per reference.
 *
 * OPT: Mattson's OPT stack. Priority is the time of the next reference (sooner = higher). On a
 * reference to x at depth d, x goes to the top and the old top is carried down: at each depth
 * i < d the higher-priority of (carried page, page at i) stays and the other is carried on; the
 * last carried page fills depth d (or the bottom on a miss). Pages never move up except by
 * being referenced, so a stack truncated at depth M gives exact distances up to M. Pages never
 * referenced again tie; which of them is evicted does not change any fault count.
 *
 * SHARDS (Waldspurger, Park, Garthwaite, Ahmad, FAST 2015): only pages whose hash falls below a
 * threshold T (out of 2^24) are fed to the LRU counter; a sampled distance d_s stands for
 * d_s / R actual pages (R = T / 2^24), so a memory of m frames hits it when d_s <= m R. The
 * histogram's first bucket is corrected by E[N_s] - N_s (expected minus actual sampled
 * references, SHARDS_adj) and ratios are taken over E[N_s] = R N.
 */
#include "sim/cli/mrc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/util.h"

#define ID_NONE UINT32_MAX

void mrc_curve_fini(struct mrc_curve *c)
{
	free(c->faults);
	memset(c, 0, sizeof(*c));
}

static void curve_alloc(struct mrc_curve *out, uint64_t nr_refs, uint64_t nr_distinct,
                        uint64_t max_frames)
{
	out->nr_refs = nr_refs;
	out->nr_distinct = nr_distinct;
	out->max_frames = max_frames;
	out->faults = xcalloc((size_t)max_frames + 1, sizeof(uint64_t));
	out->faults[0] = nr_refs;
}

/* faults[m] = nr_refs - (references with distance <= m), hist[d] for d = 1 .. hist_len - 1. */
static void curve_from_hist(struct mrc_curve *out, const uint64_t *hist, size_t hist_len)
{
	uint64_t hits = 0;
	for (uint64_t m = 1; m <= out->max_frames; m++) {
		if (m < hist_len)
			hits += hist[m];
		out->faults[m] = out->nr_refs - hits;
	}
}

/* ---- page number -> id: open addressing, linear probing, load <= 1/2 ---- */

struct mrc_idmap_entry {
	uint64_t page;
	uint32_t id;   /* ID_NONE: empty (LRU stacks set 0: they need no ids) */
	uint32_t last; /* LRU stacks: the slot of the page's last reference */
};

struct mrc_idmap {
	struct mrc_idmap_entry *tab;
	size_t mask;    /* table size - 1 (a power of two) */
	uint32_t count; /* entries */
};

static void idmap_init(struct mrc_idmap *m)
{
	size_t size = 1024;
	m->tab = xmalloc(size * sizeof(*m->tab));
	for (size_t i = 0; i < size; i++)
		m->tab[i].id = ID_NONE;
	m->mask = size - 1;
	m->count = 0;
}

static void idmap_fini(struct mrc_idmap *m)
{
	free(m->tab);
}

static void idmap_grow(struct mrc_idmap *m)
{
	size_t old_size = m->mask + 1, size = old_size * 2;
	struct mrc_idmap_entry *old = m->tab;
	m->tab = xmalloc(size * sizeof(*m->tab));
	for (size_t i = 0; i < size; i++)
		m->tab[i].id = ID_NONE;
	m->mask = size - 1;
	for (size_t i = 0; i < old_size; i++) {
		if (old[i].id == ID_NONE)
			continue;
		size_t h = mix64(old[i].page) & m->mask;
		while (m->tab[h].id != ID_NONE)
			h = (h + 1) & m->mask;
		m->tab[h] = old[i];
	}
	free(old);
}

/* The entry of page, or the empty entry where it goes (fill it, then call idmap_added). */
static inline struct mrc_idmap_entry *idmap_lookup(struct mrc_idmap *m, uint64_t page)
{
	size_t h = mix64(page) & m->mask;
	for (;;) {
		struct mrc_idmap_entry *e = &m->tab[h];
		if (e->id == ID_NONE || e->page == page)
			return e;
		h = (h + 1) & m->mask;
	}
}

/* An empty entry was filled: count it, growing the table (moving every entry) if needed. */
static inline void idmap_added(struct mrc_idmap *m)
{
	BUG_ON(m->count >= MRC_TRACE_MAX_PAGES, "more than 2^32 - 2 distinct pages");
	m->count++;
	if ((size_t)m->count * 2 > m->mask + 1)
		idmap_grow(m);
}

/* Remove page (present), shifting later entries of its probe run back (no tombstones). */
static void idmap_remove(struct mrc_idmap *m, uint64_t page)
{
	struct mrc_idmap_entry *e = idmap_lookup(m, page);
	BUG_ON(e->id == ID_NONE, "removing an absent page");
	size_t i = (size_t)(e - m->tab);
	size_t j = i;
	for (;;) {
		j = (j + 1) & m->mask;
		if (m->tab[j].id == ID_NONE)
			break;
		size_t k = mix64(m->tab[j].page) & m->mask;
		/* The entry at j may move to i unless its home k lies cyclically in (i, j]. */
		int stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
		if (!stays) {
			m->tab[i] = m->tab[j];
			i = j;
		}
	}
	m->tab[i].id = ID_NONE;
	m->count--;
}

/* ---- an LRU stack: distances from a bitmap of time slots and a Fenwick tree over its words --
 *
 * Each page in the stack has one marker: a bit at the time slot of its last reference. The
 * distance of a reference is 1 + the markers after the page's own: those later in the same
 * 64-bit word (a popcount) plus those in later words (a Fenwick tree of per-word counts). The
 * bitmap and the tree are 1/8 and 1/16 of a byte per slot, so they stay in the CPU caches
 * where a tree over single slots would not; the page's hash entry, which also holds its slot,
 * is the one likely cache miss per reference. */

#define DIST_MISS UINT64_MAX /* a first reference, or deeper than the depth limit */

struct lru_stack {
	struct mrc_idmap map; /* page -> entry; entry.last is the page's marker slot */
	uint64_t *bits;       /* marker bitmap: nr_slots bits */
	uint32_t *fen;        /* Fenwick tree of popcounts per word, 1-based: fen[1 .. nr_words] */
	uint32_t *rank;       /* scratch for compaction: markers before each word */
	uint64_t *slot_page;  /* per slot: its page (depth-limited stacks only, for eviction) */
	uint32_t nr_slots;    /* slot capacity (a power of two >= 2048) */
	uint32_t nr_words;    /* nr_slots / 64 */
	uint32_t now;         /* next free slot; slots >= now are empty */
	uint32_t live;        /* markers = pages in the stack */
	uint32_t depth_limit; /* 0: unbounded; else pages deeper than this are forgotten */
	uint64_t evictions;   /* pages forgotten below depth_limit */
};

static void stack_alloc_slots(struct lru_stack *s, uint32_t nr_slots)
{
	s->nr_slots = nr_slots;
	s->nr_words = nr_slots / 64;
	s->bits = xrealloc(s->bits, s->nr_words * sizeof(uint64_t));
	s->fen = xrealloc(s->fen, ((size_t)s->nr_words + 1) * sizeof(uint32_t));
	s->rank = xrealloc(s->rank, s->nr_words * sizeof(uint32_t));
	if (s->depth_limit)
		s->slot_page = xrealloc(s->slot_page, (size_t)nr_slots * sizeof(uint64_t));
}

static void stack_init(struct lru_stack *s, uint32_t depth_limit)
{
	memset(s, 0, sizeof(*s));
	idmap_init(&s->map);
	s->depth_limit = depth_limit;
	stack_alloc_slots(s, 2048);
	memset(s->bits, 0, s->nr_words * sizeof(uint64_t));
	memset(s->fen, 0, ((size_t)s->nr_words + 1) * sizeof(uint32_t));
}

static void stack_fini(struct lru_stack *s)
{
	idmap_fini(&s->map);
	free(s->bits);
	free(s->fen);
	free(s->rank);
	free(s->slot_page);
}

/* Bits set in x. Portable SWAR: without -mpopcnt, __builtin_popcountll is a library call. */
static inline uint32_t popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (uint32_t)((x * 0x0101010101010101ull) >> 56);
}

static inline uint32_t fen_prefix(const uint32_t *fen, uint32_t i)
{
	uint32_t sum = 0;
	for (; i; i &= i - 1)
		sum += fen[i];
	return sum;
}

static inline void fen_add(uint32_t *fen, uint32_t n, uint32_t i, uint32_t delta)
{
	for (; i <= n; i += i & (0u - i))
		fen[i] += delta; /* delta may be (uint32_t)-1: modular arithmetic */
}

static void fen_build(struct lru_stack *s)
{
	uint32_t n = s->nr_words;
	s->fen[0] = 0;
	for (uint32_t w = 0; w < n; w++)
		s->fen[w + 1] = (uint32_t)popcount64(s->bits[w]);
	for (uint32_t i = 1; i <= n; i++) {
		uint64_t j = (uint64_t)i + (i & (0u - i));
		if (j <= n)
			s->fen[j] += s->fen[i];
	}
}

/* Out of slots: renumber the markers 0 .. live - 1 in time order (a page's new slot is the
 * number of markers before its old one), doubling the slot space first if more than half of
 * it is live, so compaction costs O(1) amortised per reference. */
static void stack_compact(struct lru_stack *s)
{
	uint32_t sum = 0;
	for (uint32_t w = 0; w < s->nr_words; w++) {
		s->rank[w] = sum;
		sum += (uint32_t)popcount64(s->bits[w]);
	}
	BUG_ON(sum != s->live, "LRU compaction found %u markers, expected %u", sum, s->live);
	struct mrc_idmap_entry *tab = s->map.tab;
	for (size_t i = 0; i <= s->map.mask; i++) {
		if (tab[i].id == ID_NONE)
			continue;
		uint32_t old = tab[i].last;
		uint64_t below = s->bits[old / 64] & ((1ull << (old % 64)) - 1);
		tab[i].last = s->rank[old / 64] + (uint32_t)popcount64(below);
	}
	if ((uint64_t)s->live * 2 > s->nr_slots) {
		BUG_ON(s->nr_slots > UINT32_MAX / 4, "LRU slot space overflow");
		stack_alloc_slots(s, s->nr_slots * 2);
	}
	if (s->depth_limit) {
		for (size_t i = 0; i <= s->map.mask; i++)
			if (tab[i].id != ID_NONE)
				s->slot_page[tab[i].last] = tab[i].page;
	}
	memset(s->bits, 0, s->nr_words * sizeof(uint64_t));
	for (uint32_t w = 0; w < s->live / 64; w++)
		s->bits[w] = UINT64_MAX;
	if (s->live % 64)
		s->bits[s->live / 64] = (1ull << (s->live % 64)) - 1;
	s->now = s->live;
	fen_build(s);
}

/* Forget the page at the bottom of the stack (the oldest marker); live > 0. */
static void stack_evict_bottom(struct lru_stack *s)
{
	uint32_t w = 0; /* the first word with a marker: descend while the prefix stays 0 */
	for (uint32_t step = s->nr_words; step; step >>= 1)
		if (w + step <= s->nr_words && s->fen[w + step] == 0)
			w += step;
	BUG_ON(w >= s->nr_words || !s->bits[w], "no marker to evict");
	uint32_t slot = w * 64 + (uint32_t)__builtin_ctzll(s->bits[w]);
	s->bits[w] &= ~(1ull << (slot % 64));
	fen_add(s->fen, s->nr_words, w + 1, UINT32_MAX);
	idmap_remove(&s->map, s->slot_page[slot]);
	s->live--;
	s->evictions++;
}

/* One reference: its stack distance (1 = the top), or DIST_MISS. */
static inline uint64_t stack_ref(struct lru_stack *s, uint64_t page)
{
	if (unlikely(s->now == s->nr_slots))
		stack_compact(s);
	struct mrc_idmap_entry *e = idmap_lookup(&s->map, page);
	uint64_t d = DIST_MISS;
	const uint32_t slot = s->now++;
	if (e->id != ID_NONE) {
		uint32_t old = e->last, w = old / 64;
		uint64_t word = s->bits[w];
		/* markers after the page's own in its word, then in the later words */
		d = (uint64_t)popcount64(word >> (old % 64)) +
		    (s->live - fen_prefix(s->fen, w + 1));
		s->bits[w] = word & ~(1ull << (old % 64));
		fen_add(s->fen, s->nr_words, w + 1, UINT32_MAX);
		e->last = slot;
	} else {
		e->page = page;
		e->id = 0;
		e->last = slot;
		s->live++;
		idmap_added(&s->map); /* may move entries: e is dead from here */
	}
	s->bits[slot / 64] |= 1ull << (slot % 64);
	fen_add(s->fen, s->nr_words, slot / 64 + 1, 1);
	if (s->depth_limit) {
		s->slot_page[slot] = page;
		if (s->live > s->depth_limit)
			stack_evict_bottom(s);
	}
	return d;
}

/* ---- the LRU curve: exact, or SHARDS ---- */

struct mrc_lru {
	uint64_t max_frames;       /* 0: unbounded */
	uint32_t shards_threshold; /* 0: exact */
	uint64_t shards_salt;      /* XORed into a page number before the sampling hash */
	uint32_t head_frames;      /* SHARDS: sizes <= this are exact (0: the paper's SHARDS_adj) */
	int has_exact;             /* the exact stack is in use */
	struct lru_stack exact;    /* every reference; depth-limited to head_frames under SHARDS */
	struct lru_stack sampled;  /* SHARDS: sampled pages only */
	uint64_t *hist;            /* hist[d]: references at exact distance d, 1 <= d < hist_len */
	size_t hist_len;
	int hist_grows;  /* hist_len follows the distinct pages (no bound given) */
	uint64_t *shist; /* SHARDS: sampled references (tail only, with a head) at
	                  * sampled distance d, 1 <= d < shist_len */
	size_t shist_len;
	uint64_t nr_refs;    /* every reference */
	uint64_t nr_sampled; /* references to sampled pages */
	uint64_t nr_tail;    /* ... of which deeper than head_frames (or first references);
	                      * every sampled reference without a head */
};

uint32_t mrc_shards_head_frames(uint32_t shards_threshold)
{
	/* MRC_SHARDS_HEAD_PER_RATE / R frames, R = threshold / 2^24 */
	if (!shards_threshold || shards_threshold >= MRC_SHARDS_MODULUS)
		return 0;
	uint64_t k =
	    ((uint64_t)MRC_SHARDS_HEAD_PER_RATE * MRC_SHARDS_MODULUS + shards_threshold - 1) /
	    shards_threshold;
	return (uint32_t)MIN(k, (uint64_t)UINT32_MAX / 8);
}

struct mrc_lru *mrc_lru_create(const struct mrc_lru_opts *o)
{
	BUG_ON(o->shards_threshold > MRC_SHARDS_MODULUS, "SHARDS threshold beyond 2^24");
	struct mrc_lru *l = xcalloc(1, sizeof(*l));
	l->max_frames = o->max_frames;
	l->shards_threshold = o->shards_threshold == MRC_SHARDS_MODULUS ? 0 : o->shards_threshold;
	l->shards_salt = o->shards_salt * MRC_SHARDS_SALT_STEP;
	if (l->shards_threshold) {
		l->head_frames =
		    o->shards_head_frames == MRC_SHARDS_HEAD_AUTO
		        ? mrc_shards_head_frames(l->shards_threshold)
		        : (uint32_t)MIN(o->shards_head_frames, (uint64_t)UINT32_MAX / 8);
		if (l->max_frames && l->head_frames > l->max_frames)
			l->head_frames = (uint32_t)l->max_frames;
		stack_init(&l->sampled, 0);
		l->shist_len = 1024;
		l->shist = xcalloc(l->shist_len, sizeof(uint64_t));
		l->has_exact = l->head_frames > 0;
		if (l->has_exact) {
			stack_init(&l->exact, l->head_frames);
			l->hist_len = (size_t)l->head_frames + 1;
		}
	} else {
		l->has_exact = 1;
		stack_init(&l->exact, 0);
		/* distances beyond a given bound are only faults; otherwise grown on demand */
		l->hist_grows = !l->max_frames;
		l->hist_len = l->max_frames ? (size_t)l->max_frames + 1 : 1024;
	}
	if (l->has_exact)
		l->hist = xcalloc(l->hist_len, sizeof(uint64_t));
	return l;
}

void mrc_lru_destroy(struct mrc_lru *l)
{
	if (!l)
		return;
	if (l->has_exact)
		stack_fini(&l->exact);
	if (l->shards_threshold)
		stack_fini(&l->sampled);
	free(l->hist);
	free(l->shist);
	free(l);
}

static void hist_grow(uint64_t **hist, size_t *len, size_t need)
{
	size_t n = *len;
	while (n <= need)
		n *= 2;
	*hist = xrealloc(*hist, n * sizeof(uint64_t));
	memset(*hist + *len, 0, (n - *len) * sizeof(uint64_t));
	*len = n;
}

/* One reference, except the exact histogram's increment: returns the exact distance to count
 * (DIST_MISS for none), so that the batch loop can prefetch the histogram entry first. */
static inline uint64_t lru_step(struct mrc_lru *l, uint64_t page)
{
	l->nr_refs++;
	uint64_t d = DIST_MISS;
	if (l->has_exact) {
		d = stack_ref(&l->exact, page);
		/* distances never exceed the pages in the stack: keep hist_len > live */
		if (unlikely(l->hist_grows && l->exact.live >= l->hist_len))
			hist_grow(&l->hist, &l->hist_len, l->exact.live);
	}
	if (!l->shards_threshold)
		return d;
	if ((mix64(page ^ l->shards_salt) & (MRC_SHARDS_MODULUS - 1)) >= l->shards_threshold)
		return d;
	l->nr_sampled++;
	uint64_t ds = stack_ref(&l->sampled, page);
	if (l->head_frames && d != DIST_MISS)
		return d; /* counted exactly by the head */
	l->nr_tail++;
	if (ds != DIST_MISS) {
		if (unlikely(ds >= l->shist_len))
			hist_grow(&l->shist, &l->shist_len, ds);
		l->shist[ds]++;
	}
	return d;
}

void mrc_lru_access(struct mrc_lru *l, uint64_t page)
{
	uint64_t d = lru_step(l, page);
	if (d < l->hist_len)
		l->hist[d]++;
}

void mrc_lru_access_batch(struct mrc_lru *l, const uint64_t *pages, size_t n)
{
	/* With many distinct pages, the hash entry and the histogram entry are each a likely
	 * cache miss; prefetching the entry PREFETCH references ahead and deferring each
	 * histogram increment by as many references overlaps those misses. */
	enum { PREFETCH = 8 };
	uint64_t pending[PREFETCH];
	for (int k = 0; k < PREFETCH; k++)
		pending[k] = DIST_MISS;
	const int warm = l->has_exact;
	for (size_t i = 0; i < n; i++) {
		if (warm && i + PREFETCH < n)
			__builtin_prefetch(
			    &l->exact.map.tab[mix64(pages[i + PREFETCH]) & l->exact.map.mask]);
		uint64_t d = lru_step(l, pages[i]);
		uint64_t *slot = &pending[i % PREFETCH];
		if (*slot < l->hist_len)
			l->hist[*slot]++;
		if (d < l->hist_len)
			__builtin_prefetch(&l->hist[d], 1);
		*slot = d;
	}
	for (int k = 0; k < PREFETCH; k++)
		if (pending[k] < l->hist_len)
			l->hist[pending[k]]++;
}

/* Estimated distinct pages: the sampled ones scaled by 1 / R. */
static uint64_t shards_distinct(const struct mrc_lru *l)
{
	const uint64_t t = l->shards_threshold;
	if (l->has_exact && l->exact.evictions == 0)
		return l->exact.live; /* the head saw every page: exact */
	uint64_t est = (l->sampled.live * (uint64_t)MRC_SHARDS_MODULUS + t / 2) / t;
	return MAX(est, (uint64_t)l->head_frames);
}

static void lru_curve_shards(const struct mrc_lru *l, struct mrc_curve *out)
{
	const uint64_t t = l->shards_threshold;
	const uint64_t distinct = shards_distinct(l);
	const uint64_t max_frames = l->max_frames ? l->max_frames : distinct;
	curve_alloc(out, l->nr_refs, distinct, max_frames);
	const uint64_t head = MIN((uint64_t)l->head_frames, max_frames);
	if (head)
		curve_from_hist(out, l->hist, MIN(l->hist_len, (size_t)head + 1));
	/* References the head did not hit (all of them without a head). */
	const uint64_t tail_refs = head ? out->faults[head] : l->nr_refs;
	/* Without a head, the paper's SHARDS_adj: ratios over E[N_s] = R N, and the first
	 * bucket corrected by E[N_s] - N_s. With a head, the tail's size is known exactly and
	 * the sampled tail references give only the shape of its distance distribution. */
	const double expected = (double)l->nr_refs * (double)t / (double)MRC_SHARDS_MODULUS;
	const double adjust = expected - (double)l->nr_sampled;
	uint64_t hits = 0;
	uint64_t d = 0; /* sampled distances 1 .. d are in hits */
	for (uint64_t m = head + 1; m <= max_frames; m++) {
		/* m frames hit a sampled distance d_s when d_s / R <= m, i.e. d_s <= m R */
		uint64_t thr = (m * t) >> 24;
		while (d < thr && d + 1 < l->shist_len)
			hits += l->shist[++d];
		double miss_ratio; /* of the tail references */
		if (head) {
			miss_ratio = l->nr_tail ? 1.0 - (double)hits / (double)l->nr_tail : 1.0;
		} else {
			miss_ratio = 1.0;
			if (expected > 0 && thr >= 1)
				miss_ratio = 1.0 - ((double)hits + adjust) / expected;
		}
		if (miss_ratio < 0)
			miss_ratio = 0;
		if (miss_ratio > 1)
			miss_ratio = 1;
		uint64_t f = (uint64_t)llround(miss_ratio * (double)tail_refs);
		/* keep the curve non-increasing where SHARDS_adj's clamping might not */
		out->faults[m] = MIN(f, out->faults[m - 1]);
	}
}

void mrc_lru_curve(const struct mrc_lru *l, struct mrc_curve *out)
{
	if (l->shards_threshold) {
		lru_curve_shards(l, out);
		return;
	}
	curve_alloc(out, l->nr_refs, l->exact.live, l->max_frames ? l->max_frames : l->exact.live);
	curve_from_hist(out, l->hist, l->hist_len);
}

void mrc_lru_curve_of(const uint64_t *pages, size_t n, uint64_t max_frames, struct mrc_curve *out)
{
	struct mrc_lru_opts o = {.max_frames = max_frames};
	struct mrc_lru *l = mrc_lru_create(&o);
	for (size_t i = 0; i < n; i++)
		mrc_lru_access(l, pages[i]);
	mrc_lru_curve(l, out);
	mrc_lru_destroy(l);
}

/* ---- the trace in memory, and OPT ---- */

void mrc_trace_init(struct mrc_trace *t)
{
	memset(t, 0, sizeof(*t));
	t->map = xmalloc(sizeof(*t->map));
	idmap_init(t->map);
}

void mrc_trace_fini(struct mrc_trace *t)
{
	if (t->map)
		idmap_fini(t->map);
	free(t->map);
	free(t->ids);
	memset(t, 0, sizeof(*t));
}

int mrc_trace_append(struct mrc_trace *t, uint64_t page)
{
	if (t->nr_refs >= MRC_TRACE_MAX_REFS)
		return -1;
	if (t->nr_refs == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4096;
		t->ids = xrealloc(t->ids, t->cap * sizeof(uint32_t));
	}
	struct mrc_idmap_entry *e = idmap_lookup(t->map, page);
	if (e->id == ID_NONE) {
		e->page = page;
		e->id = t->map->count;
		t->ids[t->nr_refs++] = e->id;
		idmap_added(t->map);
	} else {
		t->ids[t->nr_refs++] = e->id;
	}
	t->nr_distinct = t->map->count;
	return 0;
}

struct opt_entry {
	uint32_t next_use; /* time of the page's next reference; ID_NONE: never */
	uint32_t id;
};

void mrc_opt_curve(const struct mrc_trace *t, uint64_t max_frames, struct mrc_curve *out)
{
	const size_t n = t->nr_refs;
	const uint32_t nr_ids = t->nr_distinct;
	const uint64_t want = max_frames ? max_frames : nr_ids;
	curve_alloc(out, n, nr_ids, want);
	if (n == 0)
		return;
	/* Pass 1, backwards: next_use[i] = time of the next reference to ids[i]. */
	uint32_t *next_use = xmalloc(n * sizeof(uint32_t));
	uint32_t *seen = xmalloc((size_t)nr_ids * sizeof(uint32_t));
	for (uint32_t i = 0; i < nr_ids; i++)
		seen[i] = ID_NONE;
	for (size_t i = n; i-- > 0;) {
		next_use[i] = seen[t->ids[i]];
		seen[t->ids[i]] = (uint32_t)i;
	}
	/* Pass 2: the OPT stack, truncated at depth depth_max (seen[] becomes pos[]). */
	uint32_t *pos = seen;
	for (uint32_t i = 0; i < nr_ids; i++)
		pos[i] = ID_NONE;
	const uint32_t depth_max = (uint32_t)MIN((uint64_t)nr_ids, want);
	struct opt_entry *stk = xmalloc(((size_t)depth_max + 1) * sizeof(*stk));
	uint64_t *hist = xcalloc((size_t)depth_max + 1, sizeof(uint64_t));
	uint32_t len = 0;
	for (size_t i = 0; i < n; i++) {
		const uint32_t x = t->ids[i];
		const uint32_t p = pos[x];
		const struct opt_entry top = {.next_use = next_use[i], .id = x};
		uint32_t end; /* the depth the carried page settles at */
		if (p != ID_NONE) {
			hist[p + 1]++;
			end = p;
		} else {
			end = len; /* a fault at every size up to depth_max */
		}
		pos[x] = 0;
		if (end == 0) {
			if (len == 0)
				len = 1;
			stk[0] = top;
			continue;
		}
		struct opt_entry c = stk[0];
		stk[0] = top;
		for (uint32_t k = 1; k < end; k++) {
			struct opt_entry e = stk[k];
			if (e.next_use > c.next_use) {
				/* The carried page has the sooner next use: it stays here. */
				stk[k] = c;
				pos[c.id] = k;
				c = e;
			}
		}
		if (p != ID_NONE || len < depth_max) {
			stk[end] = c;
			pos[c.id] = end;
			if (p == ID_NONE)
				len++;
		} else {
			pos[c.id] = ID_NONE; /* pushed below the deepest size we count */
		}
	}
	curve_from_hist(out, hist, (size_t)depth_max + 1);
	free(hist);
	free(stk);
	free(seen);
	free(next_use);
}

void mrc_opt_curve_of(const uint64_t *pages, size_t n, uint64_t max_frames, struct mrc_curve *out)
{
	struct mrc_trace t;
	mrc_trace_init(&t);
	for (size_t i = 0; i < n; i++)
		BUG_ON(mrc_trace_append(&t, pages[i]) < 0, "trace too long");
	mrc_opt_curve(&t, max_frames, out);
	mrc_trace_fini(&t);
}
