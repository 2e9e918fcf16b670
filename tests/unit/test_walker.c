/*
 * test_walker.c — page walks: one memory reference per level, fewer after a page-walk-cache
 * hit (a neighbouring page reads exactly 1 entry, the PTE), the deepest hit wins, leaves are
 * not cached, address spaces are kept apart, flushes, 5-level walks, exact latencies through
 * the fixed and the DDR DRAM models, statistics and config errors.
 */
#include <stdlib.h>

#include "models/hw/walker.h"
#include "tests/unit/test.h"

/* One memory node over d (static storage: the last call's d serves every user). */
static struct numa *mem_of(struct dram *d)
{
	static struct numa m;
	static struct numa_node n;
	numa_init_single(&m, &n, d);
	return &m;
}

enum { PROBE = 500, FIXED = 100000 }; /* default PWC latency; fixed DRAM latency */

static int config_from_text(const char *text, struct walker_config *c, struct err *err)
{
	json_error_t jerr;
	json_t *o = json_loads(text, 0, &jerr);
	BUG_ON(!o, "bad test json: %s", jerr.text);
	int rc = params_resolve(walker_params, o, "t.json", "walker", err);
	if (!rc)
		rc = walker_config_from_json(c, o, "t.json", "walker", err);
	json_decref(o);
	return rc;
}

static struct walker *walker_from_text(const char *text)
{
	struct walker_config c;
	struct err err;
	int rc = config_from_text(text, &c, &err);
	BUG_ON(rc, "%s", err.msg);
	return walker_create(&c);
}

static struct dram *dram_from_text(const char *text)
{
	json_t *o = json_loads(text, 0, NULL);
	struct dram_config c;
	struct err err;
	int rc = params_resolve(dram_params, o, "t.json", "dram", &err);
	if (!rc)
		rc = dram_config_from_json(&c, o, "t.json", "dram", &err);
	BUG_ON(rc, "%s", err.msg);
	json_decref(o);
	return dram_create(&c);
}

/* Entry addresses are irrelevant to the fixed DRAM model; distinct for readability. */
static const uint64_t entries[5] = {0x1000, 0x2000, 0x3000, 0x4000, 0x5000};

static unsigned walk(struct walker *w, struct dram *d, uint32_t asid, uint64_t vaddr, int n,
                     struct walk_result *r)
{
	walker_walk(w, 1000000, asid, vaddr, entries, n, mem_of(d), r);
	return r->memory_refs;
}

static void test_pwc_hits(void)
{
	struct walker *w = walker_from_text("{}");
	struct dram *d = dram_from_text("{\"model\": \"fixed\", \"fixed_latency_ps\": 100000}");
	struct walk_result r;
	const uint64_t va = 0x7f1234567000ull;
	CHECK_EQ_U64(walk(w, d, 1, va, 4, &r), 4);
	CHECK_EQ_U64(r.latency_ps, PROBE + 4 * FIXED);
	CHECK_EQ_U64((uint64_t)(int64_t)r.pwc_hit, (uint64_t)-1);
	/* The neighbouring page: its PDE is cached, only the PTE is read. */
	CHECK_EQ_U64(walk(w, d, 1, va + 4096, 4, &r), 1);
	CHECK_EQ_U64(r.latency_ps, PROBE + FIXED);
	CHECK_EQ_U64(r.pwc_hit, WALKER_PWC_PD);
	/* The next 2 MiB region: same PDPTE, a new PDE: PD entry and PTE read. */
	CHECK_EQ_U64(walk(w, d, 1, va + (2ull << 20), 4, &r), 2);
	CHECK_EQ_U64(r.pwc_hit, WALKER_PWC_PDPT);
	/* The next 1 GiB region: same PML4E. */
	CHECK_EQ_U64(walk(w, d, 1, va + (1ull << 30), 4, &r), 3);
	CHECK_EQ_U64(r.pwc_hit, WALKER_PWC_PML4);
	/* The next 512 GiB region: nothing cached. */
	CHECK_EQ_U64(walk(w, d, 1, va - (512ull << 30), 4, &r), 4);
	/* Another address space shares nothing. */
	CHECK_EQ_U64(walk(w, d, 2, va + 4096, 4, &r), 4);
	CHECK_EQ_U64(w->walks, 6);
	CHECK_EQ_U64(w->memory_refs, 4 + 1 + 2 + 3 + 4 + 4);
	CHECK_EQ_U64(w->pwc_hits, 3);
	CHECK_EQ_U64(w->pwc_hit[WALKER_PWC_PD], 1);
	CHECK_EQ_U64(w->pwc_hit[WALKER_PWC_PDPT], 1);
	CHECK_EQ_U64(w->pwc_hit[WALKER_PWC_PML4], 1);
	/* Flush of asid 1 only. */
	walker_flush_asid(w, 1);
	CHECK_EQ_U64(walk(w, d, 1, va + 4096, 4, &r), 4);
	CHECK_EQ_U64(walk(w, d, 2, va + 8192, 4, &r), 1);
	walker_flush_all(w);
	CHECK_EQ_U64(walk(w, d, 2, va + 8192, 4, &r), 4);
	/* A walk that stops early (not-present PDPTE: 2 entries read) caches only the PML4E. */
	walker_flush_all(w);
	CHECK_EQ_U64(walk(w, d, 1, va, 2, &r), 2);
	CHECK_EQ_U64(walk(w, d, 1, va, 4, &r), 3);
	walker_destroy(w);
	dram_destroy(d);
}

/* A 2 MiB page: the walk ends at the PDE, which is a leaf and goes to no PWC. */
static void test_huge_page_walk(void)
{
	struct walker *w = walker_from_text("{}");
	struct dram *d = dram_from_text("{\"model\": \"fixed\", \"fixed_latency_ps\": 100000}");
	struct walk_result r;
	CHECK_EQ_U64(walk(w, d, 1, 0x40000000, 3, &r), 3);
	CHECK_EQ_U64(walk(w, d, 1, 0x40000000 + 4096, 3, &r), 1); /* PDPTE hit, read the PDE */
	CHECK_EQ_U64(r.pwc_hit, WALKER_PWC_PDPT);
	CHECK_EQ_U64(w->pwc_hit[WALKER_PWC_PD], 0);
	walker_destroy(w);
	dram_destroy(d);
}

static void test_five_levels(void)
{
	struct walker *w = walker_from_text("{\"levels\": 5}");
	struct dram *d = dram_from_text("{\"model\": \"fixed\", \"fixed_latency_ps\": 100000}");
	struct walk_result r;
	const uint64_t va = 0xff12345678000ull; /* a 57-bit address */
	CHECK_EQ_U64(walk(w, d, 1, va, 5, &r), 5);
	CHECK_EQ_U64(r.latency_ps, PROBE + 5 * FIXED);
	CHECK_EQ_U64(walk(w, d, 1, va + 4096, 5, &r), 1);
	CHECK_EQ_U64(walk(w, d, 1, va + (1ull << 39), 5, &r), 4); /* PML5E hit */
	CHECK_EQ_U64(r.pwc_hit, WALKER_PWC_PML5);
	walker_destroy(w);
	dram_destroy(d);
}

/* Without PWCs every walk reads every level, and there is no probe latency. */
static void test_no_pwc(void)
{
	struct walker *w =
	    walker_from_text("{\"pwc_pd\": {\"entries\": 0}, \"pwc_pdpt\": {\"entries\": 0}, "
	                     "\"pwc_pml4\": {\"entries\": 0}}");
	struct dram *d = dram_from_text("{\"model\": \"fixed\", \"fixed_latency_ps\": 100000}");
	struct walk_result r;
	CHECK_EQ_U64(walk(w, d, 1, 0x1000, 4, &r), 4);
	CHECK_EQ_U64(walk(w, d, 1, 0x2000, 4, &r), 4);
	CHECK_EQ_U64(r.latency_ps, 4 * FIXED);
	walker_destroy(w);
	dram_destroy(d);
}

/* Through DDR4: four entries in four idle banks are four row misses, read one after the
 * other (each RCD + CL + BURST = 30 ns); the neighbouring PTE (8 bytes further) is a row hit
 * (CL + BURST). */
static void test_ddr_latency(void)
{
	struct walker *w = walker_from_text("{}");
	struct dram *d = dram_from_text("{}");
	const uint64_t pte[4] = {0ull << 14, 1ull << 14, 2ull << 14, 3ull << 14};
	struct walk_result r;
	simtime_t done = walker_walk(w, 0, 1, 0x400000, pte, 4, mem_of(d), &r);
	CHECK_EQ_U64(done, PROBE + 4 * 30000);
	CHECK_EQ_U64(d->row_misses, 4);
	const uint64_t pte2[4] = {pte[0], pte[1], pte[2], pte[3] + 8};
	simtime_t t = 1000000;
	done = walker_walk(w, t, 1, 0x401000, pte2, 4, mem_of(d), &r);
	CHECK_EQ_U64(done - t, PROBE + 16250);
	CHECK_EQ_U64(d->row_hits, 1);
	CHECK_EQ_U64(w->latency.count, 2);
	CHECK_EQ_U64(w->latency.min, PROBE + 16250);
	CHECK_EQ_U64(w->latency.max, PROBE + 120000);

	struct statsout o;
	statsout_init(&o);
	walker_report(w, &o);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "walk.count")), 2);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "walk.memory_refs")), 5);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "walk.pwc_hits")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "walk.pwc.pd.hits")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "walk.pwc.pd.misses")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "latency.walk.count")), 2);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "latency.walk.max_ps")),
	             PROBE + 120000);
	CHECK(json_object_get(o.obj, "walk.pwc.pml5.hits") == NULL); /* 4-level: no PML5 */
	statsout_fini(&o);
	walker_destroy(w);
	dram_destroy(d);
}

static void test_config_errors(void)
{
	struct walker_config c;
	struct err err;
	CHECK(config_from_text("{\"pwc_pd\": {\"entries\": 30, \"ways\": 4}}", &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg,
	                   "t.json: walker.pwc_pd.ways: entries (30) must be a multiple of ways, "
	                   "got 4");
	CHECK(config_from_text("{\"levels\": 6}", &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "walker.levels: expected an integer in [4, 5], got 6");
	CHECK(config_from_text("{\"pwc_pde\": {}}", &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "walker.pwc_pde: unknown key (did you mean \"pwc_pd\"?)");
}

int main(void)
{
	test_pwc_hits();
	test_huge_page_walk();
	test_five_levels();
	test_no_pwc();
	test_ddr_latency();
	test_config_errors();
	TEST_DONE();
}
