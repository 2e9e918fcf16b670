/*
 * test_cache.c — the CPU cache hierarchy against an exact reference model, access for access:
 * a plain list per set in recency order (move to front on a hit, the last one out), write-back
 * and write-allocate, dirty victims written into the next level (as an access there) or to
 * DRAM from the last, inclusive back-invalidation. The same random stream of reads and writes
 * goes through both; every access must be served by the same level, and the dirty write-backs
 * must agree. Also: the latencies, frame operations bypassing or going through, config errors.
 */
#include <stdlib.h>

#include "models/hw/cache.h"
#include "tests/unit/test.h"

/* One memory node over d (static storage: the last call's d serves every user). */
static struct numa *mem_of(struct dram *d)
{
	static struct numa m;
	static struct numa_node n;
	numa_init_single(&m, &n, d);
	return &m;
}

/* ---- the reference model ---- */

#define REF_MAX_WAYS 16
struct ref_set {
	uint64_t line[REF_MAX_WAYS]; /* [0] most recently used */
	bool dirty[REF_MAX_WAYS];
	unsigned n;
};
struct ref_level {
	struct ref_set *set;
	uint64_t nr_sets;
	unsigned ways;
	uint64_t writebacks;
};
struct ref {
	struct ref_level lv[CACHE_MAX_LEVELS];
	unsigned n;
	bool inclusive;
	uint64_t dram_writebacks;
};

static int ref_find(struct ref_set *s, uint64_t line)
{
	for (unsigned i = 0; i < s->n; i++)
		if (s->line[i] == line)
			return (int)i;
	return -1;
}

/* Move entry i to the front. */
static void ref_touch(struct ref_set *s, unsigned i)
{
	uint64_t l = s->line[i];
	bool d = s->dirty[i];
	for (; i > 0; i--) {
		s->line[i] = s->line[i - 1];
		s->dirty[i] = s->dirty[i - 1];
	}
	s->line[0] = l;
	s->dirty[0] = d;
}

static void ref_remove(struct ref_set *s, unsigned i)
{
	for (; i + 1 < s->n; i++) {
		s->line[i] = s->line[i + 1];
		s->dirty[i] = s->dirty[i + 1];
	}
	s->n--;
}

static struct ref_set *ref_set_of(struct ref *r, unsigned l, uint64_t line)
{
	return &r->lv[l].set[line % r->lv[l].nr_sets];
}

static void ref_insert(struct ref *r, unsigned l, uint64_t line, bool dirty)
{
	struct ref_set *s = ref_set_of(r, l, line);
	bool has_victim = s->n == r->lv[l].ways;
	uint64_t vline = has_victim ? s->line[s->n - 1] : 0;
	bool vdirty = has_victim && s->dirty[s->n - 1];
	if (has_victim)
		s->n--;
	s->line[s->n] = line;
	s->dirty[s->n] = dirty;
	s->n++;
	ref_touch(s, s->n - 1);
	if (!has_victim)
		return;
	if (r->inclusive && l > 0)
		for (unsigned u = 0; u < l; u++) {
			struct ref_set *su = ref_set_of(r, u, vline);
			int i = ref_find(su, vline);
			if (i < 0)
				continue;
			if (su->dirty[i])
				r->dram_writebacks++;
			ref_remove(su, (unsigned)i);
		}
	if (!vdirty)
		return;
	r->lv[l].writebacks++;
	if (l + 1 == r->n) {
		r->dram_writebacks++;
		return;
	}
	struct ref_set *below = ref_set_of(r, l + 1, vline);
	int i = ref_find(below, vline);
	if (i >= 0) {
		below->dirty[i] = true;
		ref_touch(below, (unsigned)i);
	} else {
		ref_insert(r, l + 1, vline, true);
	}
}

/* Returns the level that served the access, n for DRAM. */
static unsigned ref_access(struct ref *r, uint64_t line, bool write)
{
	unsigned hit = r->n;
	for (unsigned l = 0; l < r->n; l++) {
		struct ref_set *s = ref_set_of(r, l, line);
		int i = ref_find(s, line);
		if (i >= 0) {
			ref_touch(s, (unsigned)i);
			if (write && l == 0)
				s->dirty[0] = true;
			hit = l;
			break;
		}
	}
	for (unsigned l = hit; l-- > 0;)
		ref_insert(r, l, line, write && l == 0);
	return hit;
}

/* ---- the model under test ---- */

static struct dram *dram_default(void)
{
	json_t *o = json_object();
	struct dram_config c;
	struct err err;
	int rc = params_resolve(dram_params, o, "t.json", "dram", &err);
	if (!rc)
		rc = dram_config_from_json(&c, o, "t.json", "dram", &err);
	BUG_ON(rc, "%s", err.msg);
	json_decref(o);
	return dram_create(&c);
}

static int config_from_text(const char *text, struct cache_config *c, struct err *err)
{
	json_error_t jerr;
	json_t *o = json_loads(text, 0, &jerr);
	BUG_ON(!o, "bad test json: %s", jerr.text);
	int rc = params_resolve(cache_params, o, "t.json", "caches", err);
	if (!rc)
		rc = cache_config_from_json(c, o, "t.json", "caches", err);
	json_decref(o);
	return rc;
}

/* Three levels: 8 sets x 2 ways, 16 x 4, 24 x 3 (not a power of two). */
static const char *small_levels =
    "\"levels\": [{\"name\": \"l1d\", \"size_bytes\": 1024, \"ways\": 2, \"latency_ps\": 1000},"
    " {\"name\": \"l2\", \"size_bytes\": 4096, \"ways\": 4, \"latency_ps\": 4000},"
    " {\"name\": \"llc\", \"size_bytes\": 4608, \"ways\": 3, \"latency_ps\": 12000,"
    " \"shared\": true}]";

static void against_reference(bool inclusive)
{
	char text[1024];
	snprintf(text, sizeof(text), "{%s, \"inclusive\": %s}", small_levels,
	         inclusive ? "true" : "false");
	struct cache_config cfg;
	struct err err;
	CHECK_EQ_U64(config_from_text(text, &cfg, &err), 0);
	struct dram *d = dram_default();
	struct caches *c = caches_create(&cfg, 1, mem_of(d));
	struct ref r = {.n = 3, .inclusive = inclusive};
	for (unsigned l = 0; l < 3; l++) {
		r.lv[l].ways = cfg.level[l].ways;
		r.lv[l].nr_sets = cfg.level[l].size_bytes / 64 / cfg.level[l].ways;
		r.lv[l].set = xcalloc(r.lv[l].nr_sets, sizeof(struct ref_set));
	}
	uint64_t x = 12345, same = 0, n = 200000, served[4] = {0};
	simtime_t t = 0;
	for (uint64_t i = 0; i < n; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		/* Lines 0..511 (hot, 8x the LLC) and a hot set of 64 half the time. */
		uint64_t line = (x >> 33) % ((x >> 20) & 1 ? 64 : 512);
		bool write = ((x >> 40) % 10) < 3;
		uint64_t before[3];
		for (unsigned l = 0; l < 3; l++)
			before[l] = c->lv[l]->hits[CACHE_DATA];
		t = cache_access(c, 0, t, line * 64, write, CACHE_DATA);
		unsigned got = 3;
		for (unsigned l = 0; l < 3; l++)
			if (c->lv[l]->hits[CACHE_DATA] != before[l])
				got = l;
		unsigned want = ref_access(&r, line, write);
		same += got == want;
		served[want]++;
	}
	CHECK_EQ_U64(same, n);
	/* The stream exercises every level. */
	for (unsigned l = 0; l < 4; l++)
		CHECK(served[l] > n / 50);
	for (unsigned l = 0; l < 3; l++)
		CHECK_EQ_U64(c->lv[l]->writebacks, r.lv[l].writebacks);
	CHECK_EQ_U64(c->dram_writebacks, r.dram_writebacks);
	CHECK_EQ_U64(c->dram_reads[CACHE_DATA], served[3]);
	CHECK(r.dram_writebacks > 1000);
	printf("%s: served L1 %llu, L2 %llu, LLC %llu, DRAM %llu; DRAM write-backs %llu\n",
	       inclusive ? "inclusive" : "non-inclusive", (unsigned long long)served[0],
	       (unsigned long long)served[1], (unsigned long long)served[2],
	       (unsigned long long)served[3], (unsigned long long)r.dram_writebacks);
	for (unsigned l = 0; l < 3; l++)
		free(r.lv[l].set);
	caches_destroy(c);
	dram_destroy(d);
}

/* A hit costs its level's latency; a miss everywhere the last level's plus DRAM's (an idle
 * bank: tRCD + CL + tBURST = 30 ns on DDR4-3200). */
static void test_latencies(void)
{
	char text[1024];
	snprintf(text, sizeof(text), "{%s}", small_levels);
	struct cache_config cfg;
	struct err err;
	CHECK_EQ_U64(config_from_text(text, &cfg, &err), 0);
	struct dram *d = dram_default();
	struct caches *c = caches_create(&cfg, 2, mem_of(d));
	CHECK_EQ_U64(cache_access(c, 0, 1000000, 0x1000, false, CACHE_WALK), 1000000 + 12000 + 30000);
	CHECK_EQ_U64(cache_access(c, 0, 2000000, 0x1000, false, CACHE_WALK), 2000000 + 1000);
	/* CPU 1 has its own L1 and L2; the LLC is shared. */
	CHECK_EQ_U64(cache_probe(c, 1, 0x1000), 2);
	CHECK_EQ_U64(cache_access(c, 1, 3000000, 0x1000, false, CACHE_WALK), 3000000 + 12000);
	CHECK_EQ_U64(cache_probe(c, 1, 0x1000), 0);
	/* Bypass (the default): zeroing drops the frame's lines everywhere and costs DRAM's
	 * 4 KiB zero. */
	simtime_t z = cache_zero_page(c, 0, 4000000, 0x1000, 4096);
	CHECK(z - 4000000 > 300000);
	CHECK_EQ_U64(cache_probe(c, 0, 0x1000) + 1, 0);
	CHECK_EQ_U64(cache_probe(c, 1, 0x1000) + 1, 0);
	struct statsout o;
	statsout_init(&o);
	caches_report(c, &o);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "cache.l1d.walk_hits")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "cache.llc.walk_hits")), 1);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "cache.l2.walk_misses")), 2);
	CHECK_EQ_U64(json_integer_value(json_object_get(o.obj, "cache.dram.walk_reads")), 1);
	statsout_fini(&o);
	caches_destroy(c);
	/* Through: 64 full-line writes at the first level's latency each, no DRAM read. */
	snprintf(text, sizeof(text), "{%s, \"page_ops\": \"through\"}", small_levels);
	CHECK_EQ_U64(config_from_text(text, &cfg, &err), 0);
	c = caches_create(&cfg, 1, mem_of(d));
	CHECK_EQ_U64(cache_zero_page(c, 0, 0, 0x8000, 4096), 64 * 1000);
	CHECK_EQ_U64(c->dram_reads[CACHE_PAGE], 0);
	CHECK_EQ_U64(cache_probe(c, 0, 0x8000 + 4032), 0);
	caches_destroy(c);
	dram_destroy(d);
}

static void test_config_errors(void)
{
	struct cache_config c;
	struct err err;
	CHECK(config_from_text("{\"levels\": [{\"name\": \"a\", \"size_bytes\": 1000, \"ways\": 2, "
	                       "\"latency_ps\": 1}]}",
	                       &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "caches.levels[0].size_bytes: expected a multiple of 64 x ways");
	CHECK(config_from_text("{\"levels\": [{\"name\": \"a\", \"size_bytes\": 1024, \"ways\": 2, "
	                       "\"latency_ps\": 1}, {\"name\": \"a\", \"size_bytes\": 1024, "
	                       "\"ways\": 2, \"latency_ps\": 1}]}",
	                       &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "caches.levels[1].name: \"a\" already names levels[0]");
	CHECK(config_from_text("{\"page_ops\": \"nt\"}", &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "caches.page_ops");
	CHECK(config_from_text("{\"walk\": true}", &c, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "did you mean \"walks\"");
}

int main(void)
{
	against_reference(false);
	against_reference(true);
	test_latencies();
	test_config_errors();
	TEST_DONE();
}
