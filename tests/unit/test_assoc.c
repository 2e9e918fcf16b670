/*
 * test_assoc.c — the set-associative LRU tag store against a plain reference model, way by way.
 *
 * The reference keeps, per entry, a valid bit, (key, asid) and the time of its last use, and
 * states the replacement rule literally: a fill of an absent (key, asid) takes the invalid
 * entry of the lowest way, else the valid entry used longest ago. 10^5 random operations
 * (find, insert, insert_absent after a miss, invalidate, flush_asid, flush_all) on arrays of
 * several shapes (power-of-two and other set counts, the unrolled associativities 4, 8, 12 and
 * 16 and others, direct mapped, fully associative) must give the same hit/miss answers and the
 * same entry (same way) for every hit and every fill, and leave identical contents.
 */
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "models/hw/assoc.h"
#include "tests/unit/test.h"

struct ref_entry {
	bool valid;
	uint64_t key;
	uint32_t asid;
	uint64_t last_use;
};

struct ref {
	uint32_t nr_sets, ways;
	struct ref_entry *e;
	uint64_t now;
};

static uint64_t ref_base(const struct ref *r, uint64_t index)
{
	return index % r->nr_sets * r->ways;
}

/* Way holding (key, asid) in the set of index, or -1. */
static int ref_find(const struct ref *r, uint64_t index, uint64_t key, uint32_t asid)
{
	const struct ref_entry *s = r->e + ref_base(r, index);
	for (uint32_t w = 0; w < r->ways; w++)
		if (s[w].valid && s[w].key == key && s[w].asid == asid)
			return (int)w;
	return -1;
}

/* The replacement rule, literally. */
static uint32_t ref_victim(const struct ref *r, uint64_t index)
{
	const struct ref_entry *s = r->e + ref_base(r, index);
	for (uint32_t w = 0; w < r->ways; w++)
		if (!s[w].valid)
			return w;
	uint32_t v = 0;
	for (uint32_t w = 1; w < r->ways; w++)
		if (s[w].last_use < s[v].last_use)
			v = w;
	return v;
}

static void ref_use(struct ref *r, uint64_t index, uint32_t w, uint64_t key, uint32_t asid)
{
	struct ref_entry *x = &r->e[ref_base(r, index) + w];
	*x = (struct ref_entry){.valid = true, .key = key, .asid = asid, .last_use = ++r->now};
}

/* Way of entry pointer p in the set of index of a (or -1 for NULL / another set). */
static int way_of(const struct assoc *a, uint64_t index, const struct assoc_entry *p)
{
	if (!p)
		return -1;
	int64_t d = p - (a->e + assoc_set_base(a, index));
	return d >= 0 && d < (int64_t)a->ways ? (int)d : -2;
}

static uint64_t mismatches;

static void expect(bool ok, const char *what, uint32_t entries, uint32_t ways, int op)
{
	if (ok)
		return;
	if (!mismatches)
		fprintf(stderr, "first mismatch: %s (entries %u, ways %u, op %d)\n", what, entries,
		        ways, op);
	mismatches++;
}

static void run_shape(uint32_t entries, uint32_t ways, unsigned long seed, int nr_ops)
{
	struct assoc a;
	assoc_init(&a, entries, ways);
	struct ref r = {.nr_sets = entries / ways, .ways = ways};
	r.e = calloc(entries, sizeof(*r.e));
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, seed);
	/* A hot range as large as the array (mostly hits) in a range four times as large (so
	 * that sets overflow): hits and fills both frequent. */
	unsigned long nr_hot = entries, nr_index = 4ul * entries;
	uint64_t hits = 0, fills = 0;
	for (int op = 0; op < nr_ops; op++) {
		bool hot = gsl_rng_uniform_int(rng, 10) < 7;
		uint64_t index = gsl_rng_uniform_int(rng, hot ? nr_hot : nr_index);
		uint64_t key = index << 1 | 1;
		uint32_t asid = gsl_rng_uniform_int(rng, 10) ? 1 : 2;
		unsigned long what = gsl_rng_uniform_int(rng, 10000);
		if (what < 6000) { /* lookup, and on a miss the fill that knows the key is absent */
			int rw = ref_find(&r, index, key, asid);
			int aw = way_of(&a, index, assoc_find(&a, index, key, asid));
			expect(rw == aw, "find", entries, ways, op);
			if (rw >= 0) {
				hits++;
				ref_use(&r, index, (uint32_t)rw, key, asid);
			} else {
				uint32_t v = ref_victim(&r, index);
				ref_use(&r, index, v, key, asid);
				aw = way_of(&a, index, assoc_insert_absent(&a, index, key, asid));
				expect(aw == (int)v, "insert_absent victim", entries, ways, op);
				fills++;
			}
		} else if (what < 9000) { /* insert: update in place or replace */
			int rw = ref_find(&r, index, key, asid);
			uint32_t v = rw >= 0 ? (uint32_t)rw : ref_victim(&r, index);
			ref_use(&r, index, v, key, asid);
			int aw = way_of(&a, index, assoc_insert(&a, index, key, asid));
			expect(aw == (int)v, "insert way", entries, ways, op);
		} else if (what < 9990) {
			int rw = ref_find(&r, index, key, asid);
			if (rw >= 0)
				r.e[ref_base(&r, index) + (uint32_t)rw].valid = false;
			expect(assoc_invalidate(&a, index, key, asid) == (rw >= 0), "invalidate",
			       entries, ways, op);
		} else if (what < 9999) {
			uint64_t n = 0;
			for (uint32_t i = 0; i < entries; i++)
				if (r.e[i].valid && r.e[i].asid == asid) {
					r.e[i].valid = false;
					n++;
				}
			expect(assoc_flush_asid(&a, asid) == n, "flush_asid count", entries, ways,
			       op);
		} else {
			for (uint32_t i = 0; i < entries; i++)
				r.e[i].valid = false;
			assoc_flush_all(&a);
		}
	}
	/* Identical contents, way by way. */
	for (uint32_t i = 0; i < entries; i++) {
		bool valid = a.key[i] != 0;
		expect(valid == r.e[i].valid, "final valid bits", entries, ways, -1);
		if (valid && r.e[i].valid)
			expect(a.key[i] == r.e[i].key && a.asid[i] == r.e[i].asid, "final tags",
			       entries, ways, -1);
	}
	/* The stream exercised both outcomes (else the comparison proves little). */
	CHECK(hits > (uint64_t)nr_ops / 10);
	CHECK(fills > (uint64_t)nr_ops / 10);
	gsl_rng_free(rng);
	free(r.e);
	assoc_fini(&a);
}

/* A hand-checked case: a 4-way set filled 1..4, 2 touched, then 5 evicts 1 (the LRU), then an
 * invalidation of 3 makes its way (2) the next victim although 4 is older than 2's touch. */
static void test_textbook_set(void)
{
	struct assoc a;
	assoc_init(&a, 4, 4);
	for (uint64_t k = 1; k <= 4; k++)
		CHECK_EQ_U64(assoc_insert(&a, 0, k << 1 | 1, 7) - a.e, k - 1);
	CHECK(assoc_find(&a, 0, 2 << 1 | 1, 7) == &a.e[1]);
	CHECK(assoc_find(&a, 0, 2 << 1 | 1, 8) == NULL);                  /* another asid */
	CHECK_EQ_U64(assoc_insert_absent(&a, 0, 5 << 1 | 1, 7) - a.e, 0); /* 1 was LRU */
	CHECK(assoc_invalidate(&a, 0, 3 << 1 | 1, 7));
	CHECK_EQ_U64(assoc_insert_absent(&a, 0, 6 << 1 | 1, 7) - a.e, 2); /* the invalid way */
	CHECK_EQ_U64(assoc_insert_absent(&a, 0, 7 << 1 | 1, 7) - a.e, 3); /* 4: oldest left */
	CHECK_EQ_U64(assoc_flush_asid(&a, 7), 4);
	CHECK_EQ_U64(assoc_insert_absent(&a, 0, 8 << 1 | 1, 7) - a.e, 0); /* lowest invalid */
	assoc_fini(&a);
}

int main(void)
{
	test_textbook_set();
	static const uint32_t shapes[][2] = {
	    {64, 4}, {1536, 12}, {128, 8}, {32, 16}, {16, 16}, {24, 3},
	    {30, 5}, {96, 12},   {8, 1},   {48, 24}, {20, 4},
	};
	for (size_t i = 0; i < ARRAY_SIZE(shapes); i++)
		run_shape(shapes[i][0], shapes[i][1], 1000 + i, 100000);
	CHECK_EQ_U64(mismatches, 0);
	TEST_DONE();
}
