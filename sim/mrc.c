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
#include "sim/mrc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/util.h"

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

/* ---- page number -> dense id: open addressing, linear probing, load <= 1/2 ---- */

struct mrc_idmap_entry {
	uint64_t page;
	uint32_t id; /* ID_NONE: empty */
};

struct mrc_idmap {
	struct mrc_idmap_entry *tab;
	size_t mask;    /* table size - 1 (a power of two) */
	uint32_t count; /* ids handed out: 0 .. count - 1 */
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

/* The id of page, handing out the next id to a new page (*is_new set). */
static inline uint32_t idmap_get(struct mrc_idmap *m, uint64_t page, int *is_new)
{
	size_t h = mix64(page) & m->mask;
	for (;;) {
		struct mrc_idmap_entry *e = &m->tab[h];
		if (e->id == ID_NONE)
			break;
		if (e->page == page) {
			*is_new = 0;
			return e->id;
		}
		h = (h + 1) & m->mask;
	}
	BUG_ON(m->count >= MRC_TRACE_MAX_PAGES, "more than 2^32 - 2 distinct pages");
	*is_new = 1;
	uint32_t id = m->count++;
	m->tab[h].page = page;
	m->tab[h].id = id;
	if ((size_t)m->count * 2 > m->mask + 1)
		idmap_grow(m);
	return id;
}

/* ---- LRU stack distances over a Fenwick tree of compacted time slots ---- */

struct mrc_lru {
	struct mrc_idmap map;
	uint32_t *last_slot;   /* per id: slot of the page's last reference */
	size_t ids_cap;
	uint32_t *slot_id;     /* per slot: the id whose marker is there, or ID_NONE */
	uint32_t *fen;         /* Fenwick tree over slots, 1-based: fen[1 .. nr_slots] */
	uint32_t nr_slots;     /* slot capacity */
	uint32_t now;          /* next free slot; slots >= now are empty */
	uint32_t live;         /* markers = distinct pages seen (sampled) */
	uint64_t *hist;        /* hist[d]: references at distance d, 1 <= d < hist_len */
	size_t hist_len;
	uint64_t nr_refs;      /* every reference, sampled or not */
	uint64_t nr_sampled;   /* references fed to the stack */
	uint64_t max_frames;   /* 0: unbounded */
	uint32_t shards_threshold; /* 0: exact */
};

static void fen_rebuild(struct mrc_lru *l)
{
	/* Markers are in slots 0 .. live - 1 after compaction. */
	uint32_t n = l->nr_slots;
	memset(l->fen, 0, ((size_t)n + 1) * sizeof(uint32_t));
	for (uint32_t i = 1; i <= l->live; i++)
		l->fen[i] = 1;
	for (uint32_t i = 1; i <= n; i++) {
		uint64_t j = (uint64_t)i + (i & (0u - i));
		if (j <= n)
			l->fen[j] += l->fen[i];
	}
}

/* Out of slots: renumber live markers 0 .. live - 1 in time order, doubling the slot space
 * first if more than half of it is live. */
static void lru_compact(struct mrc_lru *l)
{
	if ((uint64_t)l->live * 2 > l->nr_slots) {
		BUG_ON(l->nr_slots > UINT32_MAX / 2 - 1, "LRU slot space overflow");
		l->nr_slots *= 2;
		l->slot_id = xrealloc(l->slot_id, (size_t)l->nr_slots * sizeof(uint32_t));
		l->fen = xrealloc(l->fen, ((size_t)l->nr_slots + 1) * sizeof(uint32_t));
	}
	uint32_t j = 0;
	for (uint32_t s = 0; s < l->now; s++) {
		uint32_t id = l->slot_id[s];
		if (id == ID_NONE)
			continue;
		l->slot_id[j] = id;
		l->last_slot[id] = j;
		j++;
	}
	BUG_ON(j != l->live, "LRU compaction found %u markers, expected %u", j, l->live);
	for (uint32_t s = j; s < l->nr_slots; s++)
		l->slot_id[s] = ID_NONE;
	l->now = j;
	fen_rebuild(l);
}

struct mrc_lru *mrc_lru_create(uint64_t max_frames, uint32_t shards_threshold)
{
	BUG_ON(shards_threshold > MRC_SHARDS_MODULUS, "SHARDS threshold beyond 2^24");
	struct mrc_lru *l = xcalloc(1, sizeof(*l));
	idmap_init(&l->map);
	l->ids_cap = 1024;
	l->last_slot = xmalloc(l->ids_cap * sizeof(uint32_t));
	l->nr_slots = 2048;
	l->slot_id = xmalloc(l->nr_slots * sizeof(uint32_t));
	for (uint32_t s = 0; s < l->nr_slots; s++)
		l->slot_id[s] = ID_NONE;
	l->fen = xcalloc((size_t)l->nr_slots + 1, sizeof(uint32_t));
	l->max_frames = max_frames;
	l->shards_threshold = shards_threshold == MRC_SHARDS_MODULUS ? 0 : shards_threshold;
	/* Exact with a bound: distances beyond it are just faults. Otherwise grown on demand. */
	l->hist_len = (max_frames && !l->shards_threshold) ? (size_t)max_frames + 1 : 1024;
	l->hist = xcalloc(l->hist_len, sizeof(uint64_t));
	return l;
}

void mrc_lru_destroy(struct mrc_lru *l)
{
	if (!l)
		return;
	idmap_fini(&l->map);
	free(l->last_slot);
	free(l->slot_id);
	free(l->fen);
	free(l->hist);
	free(l);
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

void mrc_lru_access(struct mrc_lru *l, uint64_t page)
{
	l->nr_refs++;
	if (l->shards_threshold &&
	    (mix64(page) & (MRC_SHARDS_MODULUS - 1)) >= l->shards_threshold)
		return;
	l->nr_sampled++;
	if (unlikely(l->now == l->nr_slots))
		lru_compact(l);
	int is_new;
	uint32_t id = idmap_get(&l->map, page, &is_new);
	if (is_new) {
		if (unlikely(id >= l->ids_cap)) {
			l->ids_cap *= 2;
			l->last_slot = xrealloc(l->last_slot, l->ids_cap * sizeof(uint32_t));
		}
		l->live++;
		if (!l->max_frames || l->shards_threshold) {
			/* Distances never exceed the distinct pages: keep hist_len > live. */
			if (unlikely(l->live >= l->hist_len)) {
				size_t len = l->hist_len * 2;
				l->hist = xrealloc(l->hist, len * sizeof(uint64_t));
				memset(l->hist + l->hist_len, 0,
				       (len - l->hist_len) * sizeof(uint64_t));
				l->hist_len = len;
			}
		}
	} else {
		uint32_t s = l->last_slot[id];
		uint64_t d = (uint64_t)l->live - fen_prefix(l->fen, s + 1) + 1;
		if (d < l->hist_len)
			l->hist[d]++;
		fen_add(l->fen, l->nr_slots, s + 1, UINT32_MAX);
		l->slot_id[s] = ID_NONE;
	}
	uint32_t s = l->now++;
	l->slot_id[s] = id;
	l->last_slot[id] = s;
	fen_add(l->fen, l->nr_slots, s + 1, 1);
}

static void lru_curve_shards(const struct mrc_lru *l, struct mrc_curve *out)
{
	const uint64_t t = l->shards_threshold;
	uint64_t max_frames = l->max_frames;
	if (!max_frames)
		max_frames = (l->live * (uint64_t)MRC_SHARDS_MODULUS + t / 2) / t;
	curve_alloc(out, l->nr_refs, (l->live * (uint64_t)MRC_SHARDS_MODULUS + t / 2) / t,
		    max_frames);
	/* E[N_s]: every reference is sampled with probability R. */
	const double expected = (double)l->nr_refs * (double)t / (double)MRC_SHARDS_MODULUS;
	const double adjust = expected - (double)l->nr_sampled;
	uint64_t hits = 0;
	uint64_t d = 0; /* sampled distances 1 .. d are in hits */
	for (uint64_t m = 1; m <= max_frames; m++) {
		/* m frames hit a sampled distance d_s when d_s / R <= m, i.e. d_s <= m T / 2^24 */
		uint64_t thr = (m * t) >> 24;
		while (d < thr && d + 1 < l->hist_len)
			hits += l->hist[++d];
		double miss_ratio = 1.0;
		if (expected > 0 && thr >= 1)
			miss_ratio = 1.0 - ((double)hits + adjust) / expected;
		if (miss_ratio < 0)
			miss_ratio = 0;
		if (miss_ratio > 1)
			miss_ratio = 1;
		out->faults[m] = (uint64_t)llround(miss_ratio * (double)l->nr_refs);
	}
}

void mrc_lru_curve(const struct mrc_lru *l, struct mrc_curve *out)
{
	if (l->shards_threshold) {
		lru_curve_shards(l, out);
		return;
	}
	curve_alloc(out, l->nr_refs, l->live, l->max_frames ? l->max_frames : l->live);
	curve_from_hist(out, l->hist, l->hist_len);
}

void mrc_lru_curve_of(const uint64_t *pages, size_t n, uint64_t max_frames,
		      struct mrc_curve *out)
{
	struct mrc_lru *l = mrc_lru_create(max_frames, 0);
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
	int is_new;
	t->ids[t->nr_refs++] = idmap_get(t->map, page, &is_new);
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

void mrc_opt_curve_of(const uint64_t *pages, size_t n, uint64_t max_frames,
		      struct mrc_curve *out)
{
	struct mrc_trace t;
	mrc_trace_init(&t);
	for (size_t i = 0; i < n; i++)
		BUG_ON(mrc_trace_append(&t, pages[i]) < 0, "trace too long");
	mrc_opt_curve(&t, max_frames, out);
	mrc_trace_fini(&t);
}
