/*
 * test_tlb_reference.c — the TLB hierarchy against a plain reference model of LRU
 * set-associative levels, over 10^5 random operations per configuration.
 *
 * The reference keeps each set as a list in recency order (most recent first): a hit moves the
 * entry to the front, a fill of an absent translation goes to the front and, in a full set,
 * drops the last (least recently used) entry. It states the hierarchy's rules as tlb.h does:
 * a lookup probes the levels serving its kind in order, each its 4 KiB array then its 2 MiB
 * entries; a hit copies the entry up into the levels probed before it; a fill writes every
 * level serving the kind that holds the page size (in place if present); INVLPG drops both
 * sizes everywhere. After every operation the sets the operation addressed must hold the same
 * translations (asid, page, size, pfn, flags) in both, every lookup must give the same level,
 * latency and translation, and at the end every set and every counter must agree. Mixed in:
 * 2 MiB pages, writes that refill an entry with the dirty bit, invalidations, address-space
 * flushes, full flushes and context switches, and three address spaces.
 */
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "models/hw/tlb.h"
#include "tests/unit/test.h"

struct ref_entry {
	uint64_t key; /* tlb_key_of(vpn, huge) */
	uint32_t asid;
	uint64_t pfn;
	unsigned flags, shift;
};

struct ref_array {
	uint32_t nr_sets, ways;
	uint32_t *n;         /* entries in each set */
	struct ref_entry *e; /* set s: e[s * ways + 0 .. n[s] - 1], most recent first */
};

struct ref_level {
	struct ref_array main, huge;
	unsigned page_sizes, serves;
	simtime_t latency_ps;
	uint64_t hits, misses;
};

struct ref {
	unsigned nr;
	struct ref_level l[TLB_MAX_LEVELS];
	bool pcid;
};

static void array_init(struct ref_array *a, uint32_t entries, uint32_t ways)
{
	a->nr_sets = ways ? entries / ways : 0;
	a->ways = ways;
	a->n = calloc(a->nr_sets + 1, sizeof(*a->n));
	a->e = calloc(entries + 1, sizeof(*a->e));
}

static void array_fini(struct ref_array *a)
{
	free(a->n);
	free(a->e);
}

static struct ref_entry *set_of(const struct ref_array *a, uint64_t index, uint32_t **n)
{
	uint64_t s = index % a->nr_sets;
	*n = &a->n[s];
	return &a->e[s * a->ways];
}

static int array_pos(const struct ref_array *a, uint64_t index, uint64_t key, uint32_t asid)
{
	if (!a->nr_sets)
		return -1;
	uint32_t *n;
	struct ref_entry *s = set_of(a, index, &n);
	for (uint32_t i = 0; i < *n; i++)
		if (s[i].key == key && s[i].asid == asid)
			return (int)i;
	return -1;
}

static void array_remove(struct ref_array *a, uint64_t index, uint32_t pos)
{
	uint32_t *n;
	struct ref_entry *s = set_of(a, index, &n);
	for (uint32_t i = pos; i + 1 < *n; i++)
		s[i] = s[i + 1];
	(*n)--;
}

/* Make x the most recent entry of its set (replacing its old copy, or the LRU if full). */
static void array_put(struct ref_array *a, uint64_t index, const struct ref_entry *x)
{
	if (!a->nr_sets)
		return;
	int pos = array_pos(a, index, x->key, x->asid);
	uint32_t *n;
	struct ref_entry *s = set_of(a, index, &n);
	if (pos >= 0)
		array_remove(a, index, (uint32_t)pos);
	else if (*n == a->ways)
		(*n)--; /* evict the least recently used */
	for (uint32_t i = *n; i > 0; i--)
		s[i] = s[i - 1];
	s[0] = *x;
	(*n)++;
}

/* The entry for (key, asid), moved to the front; NULL on a miss. */
static struct ref_entry *array_find(struct ref_array *a, uint64_t index, uint64_t key,
                                    uint32_t asid)
{
	int pos = array_pos(a, index, key, asid);
	if (pos < 0)
		return NULL;
	uint32_t *n;
	struct ref_entry *s = set_of(a, index, &n);
	struct ref_entry x = s[pos];
	array_put(a, index, &x);
	return &s[0];
}

static struct ref_array *array_for(struct ref_level *l, bool huge)
{
	if (!huge)
		return (l->page_sizes & TLB_PAGE_4K) ? &l->main : NULL;
	return (l->page_sizes & TLB_PAGE_2M) ? &l->main : &l->huge;
}

static void ref_init(struct ref *r, const struct tlb_config *c)
{
	memset(r, 0, sizeof(*r));
	r->nr = c->nr_levels;
	r->pcid = c->pcid;
	for (unsigned i = 0; i < c->nr_levels; i++) {
		const struct tlb_level_config *lc = &c->level[i];
		array_init(&r->l[i].main, lc->entries, lc->ways);
		array_init(&r->l[i].huge, lc->entries_2m, lc->ways_2m);
		r->l[i].page_sizes = lc->page_sizes;
		r->l[i].serves = lc->serves;
		r->l[i].latency_ps = lc->latency_ps;
	}
}

static void ref_fini(struct ref *r)
{
	for (unsigned i = 0; i < r->nr; i++) {
		array_fini(&r->l[i].main);
		array_fini(&r->l[i].huge);
	}
}

static int ref_lookup(struct ref *r, uint32_t asid, uint64_t vaddr, bool is_instr,
                      struct tlb_hit *out)
{
	unsigned want = is_instr ? TLB_SERVES_INSTR : TLB_SERVES_DATA;
	uint64_t vpn = vaddr >> 12, vpn2m = vaddr >> 21;
	simtime_t lat = 0;
	for (unsigned i = 0; i < r->nr; i++) {
		struct ref_level *l = &r->l[i];
		if (!(l->serves & want))
			continue;
		lat += l->latency_ps;
		struct ref_entry *e = NULL;
		struct ref_array *a4 = array_for(l, false), *a2 = array_for(l, true);
		if (a4)
			e = array_find(a4, vpn, tlb_key_of(vpn, false), asid);
		if (!e && a2->nr_sets)
			e = array_find(a2, vpn2m, tlb_key_of(vpn2m, true), asid);
		if (!e) {
			l->misses++;
			continue;
		}
		l->hits++;
		struct ref_entry x = *e;
		*out = (struct tlb_hit){.level = (int)i,
		                        .latency_ps = lat,
		                        .pfn = x.pfn,
		                        .page_shift = x.shift,
		                        .flags = x.flags};
		bool huge = x.shift == TLB_SHIFT_2M;
		for (unsigned m = 0; m < i; m++) {
			struct ref_array *u = array_for(&r->l[m], huge);
			if ((r->l[m].serves & want) && u)
				array_put(u, huge ? vpn2m : vpn, &x);
		}
		return (int)i;
	}
	out->level = -1;
	out->latency_ps = lat;
	return -1;
}

static void ref_fill(struct ref *r, uint32_t asid, uint64_t vaddr, unsigned shift, uint64_t pfn,
                     unsigned flags, bool is_instr)
{
	unsigned want = is_instr ? TLB_SERVES_INSTR : TLB_SERVES_DATA;
	bool huge = shift == TLB_SHIFT_2M;
	uint64_t vpn = vaddr >> shift;
	struct ref_entry x = {
	    .key = tlb_key_of(vpn, huge), .asid = asid, .pfn = pfn, .flags = flags, .shift = shift};
	for (unsigned i = 0; i < r->nr; i++) {
		struct ref_array *a = array_for(&r->l[i], huge);
		if ((r->l[i].serves & want) && a)
			array_put(a, vpn, &x);
	}
}

static void array_drop(struct ref_array *a, uint64_t index, uint64_t key, uint32_t asid)
{
	int pos = array_pos(a, index, key, asid);
	if (pos >= 0)
		array_remove(a, index, (uint32_t)pos);
}

static void ref_invalidate_page(struct ref *r, uint32_t asid, uint64_t vaddr)
{
	uint64_t vpn = vaddr >> 12, vpn2m = vaddr >> 21;
	for (unsigned i = 0; i < r->nr; i++) {
		array_drop(&r->l[i].main, vpn, tlb_key_of(vpn, false), asid);
		array_drop(&r->l[i].main, vpn2m, tlb_key_of(vpn2m, true), asid);
		array_drop(&r->l[i].huge, vpn2m, tlb_key_of(vpn2m, true), asid);
	}
}

/* Drop the entries of asid (all entries if all). */
static void array_flush(struct ref_array *a, uint32_t asid, bool all)
{
	for (uint32_t s = 0; s < a->nr_sets; s++) {
		struct ref_entry *e = &a->e[s * a->ways];
		uint32_t k = 0;
		for (uint32_t i = 0; i < a->n[s]; i++)
			if (!all && e[i].asid != asid)
				e[k++] = e[i];
		a->n[s] = k;
	}
}

static void ref_flush(struct ref *r, uint32_t asid, bool all)
{
	for (unsigned i = 0; i < r->nr; i++) {
		array_flush(&r->l[i].main, asid, all);
		array_flush(&r->l[i].huge, asid, all);
	}
}

static uint64_t mismatches;

static void expect(bool ok, const char *what, int op)
{
	if (ok)
		return;
	if (!mismatches)
		fprintf(stderr, "first mismatch: %s at op %d\n", what, op);
	mismatches++;
}

/* The set of index in tlb array a holds exactly the translations of reference set r. */
static bool same_set(const struct assoc *a, const struct ref_array *r, uint64_t index)
{
	if (!a->nr_sets || !r->nr_sets)
		return a->nr_sets == r->nr_sets;
	uint64_t base = assoc_set_base(a, index);
	uint32_t *n;
	const struct ref_entry *s = set_of(r, index, &n);
	uint32_t valid = 0;
	for (uint32_t w = 0; w < a->ways; w++) {
		if (!a->key[base + w])
			continue;
		valid++;
		int pos = array_pos(r, index, a->key[base + w], a->asid[base + w]);
		if (pos < 0)
			return false;
		const struct assoc_entry *e = &a->e[base + w];
		if (e->pfn != s[pos].pfn || e->flags != s[pos].flags || e->shift != s[pos].shift)
			return false;
	}
	return valid == *n;
}

static void check_sets(const struct tlb *t, const struct ref *r, uint64_t vaddr, int op)
{
	for (unsigned i = 0; i < r->nr; i++) {
		expect(same_set(&t->level[i].main, &r->l[i].main, vaddr >> 12), "main 4k set", op);
		expect(same_set(&t->level[i].main, &r->l[i].main, vaddr >> 21), "main 2m set", op);
		expect(same_set(&t->level[i].huge, &r->l[i].huge, vaddr >> 21), "2m array set", op);
	}
}

static void check_all(const struct tlb *t, const struct ref *r, int op)
{
	for (unsigned i = 0; i < r->nr; i++) {
		for (uint64_t s = 0; s < r->l[i].main.nr_sets; s++)
			expect(same_set(&t->level[i].main, &r->l[i].main, s), "main set", op);
		for (uint64_t s = 0; s < r->l[i].huge.nr_sets; s++)
			expect(same_set(&t->level[i].huge, &r->l[i].huge, s), "2m array", op);
		expect(t->level[i].hits == r->l[i].hits, "hits", op);
		expect(t->level[i].misses == r->l[i].misses, "misses", op);
	}
}

static void run(const char *text, unsigned long seed, int nr_ops, uint64_t *hits_out)
{
	json_error_t jerr;
	json_t *o = json_loads(text, 0, &jerr);
	BUG_ON(!o, "bad test json: %s", jerr.text);
	struct err err;
	struct tlb_config c;
	int rc = params_resolve(tlb_params, o, "t.json", "tlb", &err);
	if (!rc)
		rc = tlb_config_from_json(&c, o, "t.json", "tlb", &err);
	BUG_ON(rc, "%s", err.msg);
	json_decref(o);
	struct tlb *t = tlb_create(&c);
	struct ref r;
	ref_init(&r, &c);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, seed);
	/* Half the pages from a hot window of 200 (hits) that straddles the start of the 2 MiB
	 * pages (pages 2048 to 3071), half from all 4000 (misses, evictions). */
	const uint64_t nr_pages = 4000, hot_first = 1950, nr_hot = 200;
	uint64_t hits = 0;
	for (int op = 0; op < nr_ops; op++) {
		uint64_t page = gsl_rng_uniform_int(rng, 2)
		                    ? hot_first + gsl_rng_uniform_int(rng, nr_hot)
		                    : gsl_rng_uniform_int(rng, nr_pages);
		uint64_t vaddr = (page << 12) + gsl_rng_uniform_int(rng, 4096);
		uint32_t asid = 1 + (uint32_t)gsl_rng_uniform_int(rng, 3);
		bool is_instr = gsl_rng_uniform_int(rng, 4) == 0;
		unsigned long what = gsl_rng_uniform_int(rng, 1000);
		if (what < 700) { /* lookup, then the walk's fill on a miss (as timing_access) */
			struct tlb_hit a = {0}, b = {0};
			int la = tlb_lookup(t, asid, vaddr, is_instr, &a);
			int lb = ref_lookup(&r, asid, vaddr, is_instr, &b);
			expect(la == lb && a.level == b.level && a.latency_ps == b.latency_ps,
			       "lookup level/latency", op);
			if (la >= 0 && lb >= 0) {
				hits++;
				expect(a.pfn == b.pfn && a.page_shift == b.page_shift &&
				           a.flags == b.flags,
				       "lookup translation", op);
			}
			if (la < 0) {
				bool huge = page >= 2048 && page < 3072; /* one 2 MiB window... */
				unsigned shift = huge ? TLB_SHIFT_2M : TLB_SHIFT_4K;
				uint64_t pfn = huge ? (1000 + (page >> 9)) << 9 : page * 7 + asid;
				unsigned fl = (unsigned)gsl_rng_uniform_int(rng, 4);
				tlb_fill(t, asid, vaddr, shift, pfn, fl, is_instr);
				ref_fill(&r, asid, vaddr, shift, pfn, fl, is_instr);
			}
		} else if (what < 900) { /* a fill of a present or absent page (dirty refill) */
			unsigned fl = TLB_F_WRITABLE | TLB_F_DIRTY;
			tlb_fill(t, asid, vaddr, TLB_SHIFT_4K, page * 7 + asid, fl, is_instr);
			ref_fill(&r, asid, vaddr, TLB_SHIFT_4K, page * 7 + asid, fl, is_instr);
		} else if (what < 990) {
			tlb_invalidate_page(t, asid, vaddr);
			ref_invalidate_page(&r, asid, vaddr);
		} else if (what < 996) {
			tlb_flush_asid(t, asid);
			ref_flush(&r, asid, false);
		} else if (what < 998) {
			tlb_flush_all(t);
			ref_flush(&r, 0, true);
		} else {
			tlb_context_switch(t, asid);
			if (!r.pcid)
				ref_flush(&r, 0, true);
		}
		check_sets(t, &r, vaddr, op);
		if (op % 10000 == 9999)
			check_all(t, &r, op);
	}
	check_all(t, &r, nr_ops);
	*hits_out = hits;
	gsl_rng_free(rng);
	ref_fini(&r);
	tlb_destroy(t);
}

int main(void)
{
	static const char *const configs[] = {
	    /* The default Skylake-like hierarchy. */
	    "{}",
	    /* Without PCID (context switches flush). */
	    "{\"pcid\": false}",
	    /* Three data levels: non-power-of-two sets and odd associativities, an L1 that
	     * holds both sizes, a 2 MiB-only level, a level with a separate 2 MiB array. */
	    "{\"levels\": ["
	    "{\"name\": \"a\", \"entries\": 30, \"ways\": 5, \"latency_ps\": 100, "
	    "\"page_sizes\": \"4k+2m\", \"accesses\": \"both\"},"
	    "{\"name\": \"b\", \"entries\": 8, \"ways\": 8, \"latency_ps\": 300, "
	    "\"page_sizes\": \"2m\", \"accesses\": \"data\"},"
	    "{\"name\": \"c\", \"entries\": 96, \"ways\": 3, \"latency_ps\": 700, "
	    "\"page_sizes\": \"4k\", \"entries_2m\": 12, \"ways_2m\": 4, \"accesses\": \"both\"},"
	    "{\"name\": \"d\", \"entries\": 640, \"ways\": 16, \"latency_ps\": 2000, "
	    "\"page_sizes\": \"4k+2m\", \"accesses\": \"both\"}]}",
	    /* One direct-mapped level per kind. */
	    "{\"levels\": ["
	    "{\"name\": \"d\", \"entries\": 64, \"ways\": 1, \"latency_ps\": 100, "
	    "\"page_sizes\": \"4k\", \"accesses\": \"data\"},"
	    "{\"name\": \"i\", \"entries\": 24, \"ways\": 24, \"latency_ps\": 100, "
	    "\"page_sizes\": \"4k+2m\", \"accesses\": \"instr\"}]}",
	};
	for (size_t i = 0; i < ARRAY_SIZE(configs); i++) {
		uint64_t hits;
		run(configs[i], 77 + i, 100000, &hits);
		/* Both outcomes occur often enough for the comparison to mean something. */
		CHECK(hits > 3000);
		CHECK(hits < 60000);
	}
	CHECK_EQ_U64(mismatches, 0);
	TEST_DONE();
}
