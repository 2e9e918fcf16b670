/*
 * test_tlb.c — the TLB hierarchy: textbook miss rates (uniform random stream over P pages on
 * an E-entry fully associative LRU TLB misses at 1 - E/P), exact counts for sequential scans
 * and for conflict misses in a hot set, latencies, promotion, page sizes, PCID, invalidation,
 * and config errors.
 */
#include <gsl/gsl_rng.h>
#include <stdlib.h>

#include "models/hw/tlb.h"
#include "tests/unit/test.h"

/* Resolve text against tlb_params and build the config; returns the rc, message in err. */
static int config_from_text(const char *text, struct tlb_config *c, struct err *err)
{
	json_error_t jerr;
	json_t *o = json_loads(text, 0, &jerr);
	BUG_ON(!o, "bad test json: %s", jerr.text);
	int rc = params_resolve(tlb_params, o, "t.json", "tlb", err);
	if (!rc)
		rc = tlb_config_from_json(c, o, "t.json", "tlb", err);
	json_decref(o);
	return rc;
}

static struct tlb *tlb_from_text(const char *text)
{
	struct tlb_config c;
	struct err err;
	int rc = config_from_text(text, &c, &err);
	BUG_ON(rc, "%s", err.msg);
	return tlb_create(&c);
}

#define ONE_LEVEL(entries, ways)                                                                   \
	"{\"levels\": [{\"name\": \"l1\", \"entries\": " #entries ", \"ways\": " #ways             \
	", \"latency_ps\": 100, \"page_sizes\": \"4k\"}]}"

/* Look up page; on a miss fill it. Returns whether it hit. */
static int touch(struct tlb *t, uint32_t asid, uint64_t page)
{
	struct tlb_hit h = {0};
	if (tlb_lookup(t, asid, page << 12, false, &h) >= 0)
		return 1;
	tlb_fill(t, asid, page << 12, 12, page + 1000, TLB_F_WRITABLE, false);
	return 0;
}

static void test_default_config(void)
{
	struct tlb_config c;
	struct err err;
	CHECK_EQ_U64(config_from_text("{}", &c, &err), 0);
	CHECK_EQ_U64(c.nr_levels, 3);
	CHECK(strcmp(c.level[0].name, "l1d") == 0);
	CHECK_EQ_U64(c.level[0].entries, 64);
	CHECK_EQ_U64(c.level[0].ways, 4);
	CHECK_EQ_U64(c.level[0].entries_2m, 32);
	CHECK_EQ_U64(c.level[0].serves, TLB_SERVES_DATA);
	CHECK(strcmp(c.level[1].name, "l1i") == 0);
	CHECK_EQ_U64(c.level[1].entries, 128);
	CHECK_EQ_U64(c.level[1].ways, 8);
	CHECK_EQ_U64(c.level[1].serves, TLB_SERVES_INSTR);
	CHECK(strcmp(c.level[2].name, "stlb") == 0);
	CHECK_EQ_U64(c.level[2].entries, 1536);
	CHECK_EQ_U64(c.level[2].ways, 12);
	CHECK_EQ_U64(c.level[2].page_sizes, TLB_PAGE_4K | TLB_PAGE_2M);
	CHECK_EQ_U64(c.pcid, 1);
	CHECK_EQ_U64(c.shootdown_ps, 2000000);
}

/* Uniform random over P = 1024 pages, fully associative E = 64: miss ratio 1 - E/P. */
static void test_random_miss_ratio(void)
{
	struct tlb *t = tlb_from_text(ONE_LEVEL(64, 64));
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, 12345);
	const uint64_t n = 1000000, pages = 1024;
	uint64_t misses = 0;
	for (uint64_t i = 0; i < n; i++)
		misses += !touch(t, 1, gsl_rng_uniform_int(r, pages));
	double ratio = (double)misses / (double)n, want = 1.0 - 64.0 / 1024.0;
	printf("random: miss ratio %.5f, 1 - E/P = %.5f\n", ratio, want);
	CHECK(ratio > want - 0.01 && ratio < want + 0.01);
	CHECK_EQ_U64(t->level[0].misses, misses);
	CHECK_EQ_U64(t->level[0].hits, n - misses);
	gsl_rng_free(r);
	tlb_destroy(t);
}

/* A sequential scan misses once per page; a loop bigger than an LRU TLB misses every time. */
static void test_sequential(void)
{
	struct tlb *t = tlb_from_text(ONE_LEVEL(64, 4));
	struct tlb_hit h = {0};
	for (uint64_t a = 0; a < 10000ull * 4096; a += 512) {
		if (tlb_lookup(t, 1, a, false, &h) < 0)
			tlb_fill(t, 1, a, 12, a >> 12, 0, false);
	}
	CHECK_EQ_U64(t->level[0].misses, 10000);
	CHECK_EQ_U64(t->level[0].hits, 70000);
	tlb_destroy(t);

	t = tlb_from_text(ONE_LEVEL(64, 64));
	for (int loop = 0; loop < 2; loop++)
		for (uint64_t p = 0; p < 65; p++)
			touch(t, 1, p);
	CHECK_EQ_U64(t->level[0].misses, 130); /* LRU on a loop of E + 1 pages: all miss */
	tlb_destroy(t);
}

/* 8 pages that share one set of a 16-set 4-way TLB, cycled 100 times: every access misses;
 * the fully associative TLB of the same size misses 8 times (cold). */
static void test_conflict_misses(void)
{
	struct tlb *sa = tlb_from_text(ONE_LEVEL(64, 4));
	struct tlb *fa = tlb_from_text(ONE_LEVEL(64, 64));
	for (int round = 0; round < 100; round++) {
		for (uint64_t k = 0; k < 8; k++) {
			touch(sa, 1, k * 16);
			touch(fa, 1, k * 16);
		}
	}
	CHECK_EQ_U64(sa->level[0].misses, 800);
	CHECK_EQ_U64(sa->level[0].hits, 0);
	CHECK_EQ_U64(fa->level[0].misses, 8);
	CHECK_EQ_U64(fa->level[0].hits, 792);
	/* 4 pages in the hot set fit its 4 ways: 4 cold misses only. */
	struct tlb *sa4 = tlb_from_text(ONE_LEVEL(64, 4));
	for (int round = 0; round < 100; round++)
		for (uint64_t k = 0; k < 4; k++)
			touch(sa4, 1, k * 16);
	CHECK_EQ_U64(sa4->level[0].misses, 4);
	tlb_destroy(sa);
	tlb_destroy(fa);
	tlb_destroy(sa4);
}

/* Default hierarchy: latencies, promotion from the STLB, instruction vs data levels. */
static void test_hierarchy(void)
{
	struct tlb *t = tlb_from_text("{}");
	struct tlb_hit h = {0};
	CHECK_EQ_U64((uint64_t)(int64_t)tlb_lookup(t, 1, 0x1000, false, &h), (uint64_t)-1);
	CHECK_EQ_U64(h.latency_ps, 250 + 2250);
	tlb_fill(t, 1, 0x1000, 12, 77, TLB_F_WRITABLE, false);
	CHECK_EQ_U64(tlb_lookup(t, 1, 0x1abc, false, &h), 0);
	CHECK_EQ_U64(h.latency_ps, 250);
	CHECK_EQ_U64(h.pfn, 77);
	CHECK_EQ_U64(h.flags, TLB_F_WRITABLE);
	CHECK_EQ_U64(tlb_hit_paddr(&h, 0x1abc), 77 * 4096 + 0xabc);
	/* Evict page 1 from the 16-set 4-way l1d with 4 more pages of its set (1 + 16k); the
	 * 128-set STLB keeps it. */
	for (uint64_t k = 1; k <= 4; k++)
		tlb_fill(t, 1, (1 + 16 * k) << 12, 12, 100 + k, 0, false);
	CHECK_EQ_U64(tlb_lookup(t, 1, 0x1000, false, &h), 2);
	CHECK_EQ_U64(h.latency_ps, 2500);
	CHECK_EQ_U64(h.pfn, 77);
	/* ... and the STLB hit copied it back into l1d. */
	CHECK_EQ_U64(tlb_lookup(t, 1, 0x1000, false, &h), 0);
	/* Instruction fetches probe l1i then stlb, never l1d. */
	uint64_t l1d_misses = t->level[0].misses;
	CHECK_EQ_U64(tlb_lookup(t, 1, 0x1000, true, &h), 2);
	CHECK_EQ_U64(h.latency_ps, 2500);
	CHECK_EQ_U64(t->level[1].misses, 1);
	CHECK_EQ_U64(tlb_lookup(t, 1, 0x1000, true, &h), 1);
	CHECK_EQ_U64(t->level[0].misses, l1d_misses);
	/* An instruction-side fill lands in l1i and stlb, not l1d. */
	tlb_fill(t, 1, 0x900000, 12, 5, 0, true);
	CHECK_EQ_U64(tlb_lookup(t, 1, 0x900000, false, &h), 2);
	tlb_destroy(t);
}

static void test_huge_pages(void)
{
	struct tlb *t = tlb_from_text("{}");
	struct tlb_hit h = {0};
	tlb_fill(t, 1, 0x40000000, 21, 0x80000, TLB_F_WRITABLE | TLB_F_DIRTY, false);
	CHECK_EQ_U64(tlb_lookup(t, 1, 0x40012345, false, &h), 0);
	CHECK_EQ_U64(h.page_shift, 21);
	CHECK_EQ_U64(tlb_hit_paddr(&h, 0x40012345), 0x80000ull * 4096 + 0x12345);
	CHECK_EQ_U64(tlb_lookup(t, 1, 0x401fffff, false, &h), 0);
	CHECK_EQ_U64((uint64_t)(int64_t)tlb_lookup(t, 1, 0x40200000, false, &h), (uint64_t)-1);
	/* The l1d 2 MiB array is 32 entries 4-way (8 sets): 4 more pages in set 0 evict the
	 * first from l1d, the STLB (shared 4k+2m array) still has it. */
	for (uint64_t k = 1; k <= 4; k++)
		tlb_fill(t, 1, (0x200ull + 8 * k) << 21, 21, 512 * k, 0, false);
	CHECK_EQ_U64(tlb_lookup(t, 1, 0x40000000, false, &h), 2);
	CHECK_EQ_U64(h.page_shift, 21);
	CHECK_EQ_U64(h.pfn, 0x80000);
	/* A 2 MiB-only level ignores 4 KiB fills. */
	struct tlb *h2 = tlb_from_text("{\"levels\": [{\"name\": \"big\", \"entries\": 4, "
	                               "\"ways\": 4, \"latency_ps\": 1, \"page_sizes\": \"2m\"}]}");
	tlb_fill(h2, 1, 0x1000, 12, 1, 0, false);
	CHECK_EQ_U64((uint64_t)(int64_t)tlb_lookup(h2, 1, 0x1000, false, &h), (uint64_t)-1);
	tlb_fill(h2, 1, 0x0, 21, 512, 0, false);
	CHECK_EQ_U64(tlb_lookup(h2, 1, 0x1000, false, &h), 0);
	tlb_destroy(h2);
	tlb_destroy(t);
}

static void test_flags_update_in_place(void)
{
	struct tlb *t = tlb_from_text(ONE_LEVEL(64, 4));
	struct tlb_hit h = {0};
	for (uint64_t k = 0; k < 4; k++)
		tlb_fill(t, 1, (16 * k) << 12, 12, k, TLB_F_WRITABLE, false);
	tlb_fill(t, 1, 0, 12, 0, TLB_F_WRITABLE | TLB_F_DIRTY, false);
	for (uint64_t k = 0; k < 4; k++)
		CHECK_EQ_U64(tlb_lookup(t, 1, (16 * k) << 12, false, &h), 0);
	CHECK_EQ_U64(tlb_lookup(t, 1, 0, false, &h), 0);
	CHECK_EQ_U64(h.flags, TLB_F_WRITABLE | TLB_F_DIRTY);
	tlb_destroy(t);
}

static void test_asid_pcid_invalidation(void)
{
	struct tlb *t = tlb_from_text("{}");
	struct tlb_hit h = {0};
	tlb_fill(t, 1, 0x5000, 12, 9, 0, false);
	tlb_fill(t, 2, 0x6000, 12, 10, 0, false);
	CHECK_EQ_U64((uint64_t)(int64_t)tlb_lookup(t, 2, 0x5000, false, &h), (uint64_t)-1);
	tlb_context_switch(t, 2);
	tlb_context_switch(t, 1);
	CHECK_EQ_U64(tlb_lookup(t, 1, 0x5000, false, &h), 0); /* PCID: kept */
	CHECK_EQ_U64(t->nr_full_flushes, 0);
	CHECK_EQ_U64(tlb_invalidate_page(t, 1, 0x5123), 2); /* l1d and stlb */
	CHECK_EQ_U64((uint64_t)(int64_t)tlb_lookup(t, 1, 0x5000, false, &h), (uint64_t)-1);
	tlb_fill(t, 1, 0x5000, 12, 9, 0, false);
	tlb_flush_asid(t, 1);
	CHECK_EQ_U64((uint64_t)(int64_t)tlb_lookup(t, 1, 0x5000, false, &h), (uint64_t)-1);
	CHECK_EQ_U64(tlb_lookup(t, 2, 0x6000, false, &h), 0);
	tlb_flush_all(t);
	CHECK_EQ_U64((uint64_t)(int64_t)tlb_lookup(t, 2, 0x6000, false, &h), (uint64_t)-1);
	tlb_destroy(t);

	t = tlb_from_text("{\"pcid\": false}");
	tlb_fill(t, 1, 0x5000, 12, 9, 0, false);
	tlb_context_switch(t, 2);
	tlb_context_switch(t, 1);
	CHECK_EQ_U64((uint64_t)(int64_t)tlb_lookup(t, 1, 0x5000, false, &h), (uint64_t)-1);
	CHECK_EQ_U64(t->nr_full_flushes, 2);
	tlb_destroy(t);
}

static void test_config_errors(void)
{
	struct tlb_config c;
	struct err err;
	CHECK(config_from_text(ONE_LEVEL(60, 8), &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg,
	                   "t.json: tlb.levels[0].ways: entries (60) must be a multiple of ways, "
	                   "got 8");
	CHECK(config_from_text("{\"levels\": [{\"name\": \"a\", \"entries\": 4, \"ways\": 4, "
	                       "\"latency_ps\": 1}, {\"name\": \"a\", \"entries\": 4, \"ways\": "
	                       "4, \"latency_ps\": 1}]}",
	                       &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "tlb.levels[1].name: \"a\" already names levels[0]");
	CHECK(config_from_text("{\"levels\": [{\"name\": \"a\", \"entries\": 4, \"ways\": 4, "
	                       "\"latency_ps\": 1, \"accesses\": \"data\"}]}",
	                       &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "tlb.levels: no level serves instruction fetches");
	CHECK(config_from_text("{\"levels\": [{\"name\": \"a\", \"entires\": 4, \"ways\": 4, "
	                       "\"latency_ps\": 1}]}",
	                       &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg,
	                   "tlb.levels[0].entires: unknown key (did you mean \"entries\"?)");
	CHECK(config_from_text("{\"levels\": [{\"name\": \"a\", \"entries\": 4, \"ways\": 4, "
	                       "\"latency_ps\": 1, \"entries_2m\": 8}]}",
	                       &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "tlb.levels[0].entries_2m: a separate 2 MiB array needs "
	                            "page_sizes \"4k\"");
	CHECK(config_from_text("{\"levels\": [{\"name\": \"a b\", \"entries\": 4, \"ways\": 4, "
	                       "\"latency_ps\": 1}]}",
	                       &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "tlb.levels[0].name: expected");
}

static void test_report(void)
{
	struct tlb *t = tlb_from_text("{}");
	touch(t, 1, 3);
	touch(t, 1, 3);
	struct statsout o;
	statsout_init(&o);
	tlb_report(t, &o);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "tlb.l1d.hits")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "tlb.l1d.misses")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "tlb.stlb.misses")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "tlb.l1i.hits")), 0);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "tlb.fills")), 1);
	statsout_fini(&o);
	tlb_destroy(t);
}

int main(void)
{
	test_default_config();
	test_random_miss_ratio();
	test_sequential();
	test_conflict_misses();
	test_hierarchy();
	test_huge_pages();
	test_flags_update_in_place();
	test_asid_pcid_invalidation();
	test_config_errors();
	test_report();
	TEST_DONE();
}
