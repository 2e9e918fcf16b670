/*
 * cache.c — the CPU cache hierarchy: lookups, fills with write-back of dirty victims, inclusive
 * back-invalidation, frame operations, configuration and report (see cache.h).
 */
#include "models/hw/cache.h"

#include <stdlib.h>
#include <string.h>

#define CACHE_DIRTY 1u
/* Frames numbered above this are not tracked: dropping their lines always scans. */
#define CACHE_TRACKED_FRAMES (1ull << 28)

struct caches *caches_create(const struct cache_config *cfg, uint32_t nr_cpus, struct numa *mem)
{
	if (!cfg->nr_levels || !(cfg->walks || cfg->data))
		return NULL;
	struct caches *c = xcalloc(1, sizeof(*c));
	c->cfg = *cfg;
	c->nr_cpus = nr_cpus;
	c->mem = mem;
	for (unsigned l = 0; l < cfg->nr_levels; l++)
		c->nr_storage += cfg->level[l].shared ? 1 : nr_cpus;
	c->storage = xcalloc(c->nr_storage, sizeof(*c->storage));
	c->lv = xcalloc((size_t)nr_cpus * cfg->nr_levels, sizeof(*c->lv));
	unsigned s = 0;
	for (unsigned l = 0; l < cfg->nr_levels; l++) {
		const struct cache_level_config *lc = &cfg->level[l];
		c->first[l] = s;
		uint32_t lines = (uint32_t)(lc->size_bytes >> CACHE_LINE_SHIFT);
		for (uint32_t cpu = 0; cpu < nr_cpus; cpu++) {
			if (!lc->shared || cpu == 0)
				assoc_init(&c->storage[s++].a, lines, lc->ways);
			c->lv[cpu * cfg->nr_levels + l] = &c->storage[s - 1];
		}
	}
	c->first[cfg->nr_levels] = s;
	return c;
}

void caches_destroy(struct caches *c)
{
	if (!c)
		return;
	for (unsigned s = 0; s < c->nr_storage; s++)
		assoc_fini(&c->storage[s].a);
	free(c->storage);
	free(c->lv);
	free(c->frame_bits);
	free(c);
}

static inline struct cache_level *level(const struct caches *c, uint32_t cpu, unsigned l)
{
	return c->lv[cpu * c->cfg.nr_levels + l];
}

static void invalidate_above(struct caches *c, unsigned l, uint64_t line, simtime_t at);

/* Note that a line of line's frame is (or may be) cached. */
static void mark_frame(struct caches *c, uint64_t line)
{
	uint64_t f = line >> (12 - CACHE_LINE_SHIFT);
	if (f >= CACHE_TRACKED_FRAMES)
		return;
	size_t w = (size_t)(f / 64);
	if (w >= c->frame_words) {
		size_t n = MAX(w + 1, 2 * c->frame_words);
		c->frame_bits = xrealloc(c->frame_bits, n * sizeof(*c->frame_bits));
		memset(c->frame_bits + c->frame_words, 0, (n - c->frame_words) * sizeof(uint64_t));
		c->frame_words = n;
	}
	c->frame_bits[w] |= 1ull << (f % 64);
}

/* Whether a line of the frame holding paddr may be cached; clears the mark. */
static bool take_frame(struct caches *c, uint64_t paddr)
{
	uint64_t f = paddr >> 12;
	if (f >= CACHE_TRACKED_FRAMES)
		return true;
	size_t w = (size_t)(f / 64);
	if (w >= c->frame_words || !(c->frame_bits[w] & (1ull << (f % 64))))
		return false;
	c->frame_bits[w] &= ~(1ull << (f % 64));
	return true;
}

/* Put line into level l of cpu (absent there) as most recently used, dirty or not; its victim
 * goes down: dirty into level l + 1 (or to DRAM at `at` from the last level), and out of the
 * levels above when the hierarchy is inclusive. */
static void fill(struct caches *c, uint32_t cpu, unsigned l, uint64_t line, bool dirty,
                 simtime_t at)
{
	struct cache_level *lv = level(c, cpu, l);
	struct assoc *a = &lv->a;
	uint64_t base = assoc_set_base(a, line);
	uint64_t i = base + assoc_victim(a, base);
	uint64_t vkey = a->key[i];
	bool vdirty = vkey && (a->e[i].flags & CACHE_DIRTY);
	assoc_install(a, i, line << 1 | 1, 0)->flags = dirty ? CACHE_DIRTY : 0;
	mark_frame(c, line);
	if (!vkey)
		return;
	uint64_t vline = vkey >> 1;
	if (c->cfg.inclusive && l > 0)
		invalidate_above(c, l, vline, at);
	if (!vdirty)
		return;
	lv->writebacks++;
	if (l + 1 == c->cfg.nr_levels) {
		c->dram_writebacks++;
		numa_access(c->mem, at, vline << CACHE_LINE_SHIFT, true);
		return;
	}
	struct assoc *below = &level(c, cpu, l + 1)->a;
	struct assoc_entry *e = assoc_find(below, vline, vkey, 0);
	if (e)
		e->flags |= CACHE_DIRTY;
	else
		fill(c, cpu, l + 1, vline, true, at);
}

/* Drop line from the levels above l, every CPU's (an inclusive eviction); dirty data goes to
 * DRAM. */
static void invalidate_above(struct caches *c, unsigned l, uint64_t line, simtime_t at)
{
	for (unsigned s = c->first[0]; s < c->first[l]; s++) {
		struct assoc *a = &c->storage[s].a;
		struct assoc_entry *e = assoc_find(a, line, line << 1 | 1, 0);
		if (!e)
			continue;
		if (e->flags & CACHE_DIRTY) {
			c->dram_writebacks++;
			numa_access(c->mem, at, line << CACHE_LINE_SHIFT, true);
		}
		assoc_invalidate(a, line, line << 1 | 1, 0);
	}
}

simtime_t cache_access(struct caches *c, uint32_t cpu, simtime_t now, uint64_t paddr,
                       bool is_write, enum cache_kind kind)
{
	uint64_t line = paddr >> CACHE_LINE_SHIFT, key = line << 1 | 1;
	unsigned n = c->cfg.nr_levels, hit = n;
	for (unsigned l = 0; l < n; l++) {
		struct cache_level *lv = level(c, cpu, l);
		struct assoc_entry *e = assoc_find(&lv->a, line, key, 0);
		if (e) {
			lv->hits[kind]++;
			if (is_write && l == 0)
				e->flags |= CACHE_DIRTY;
			hit = l;
			break;
		}
		lv->misses[kind]++;
	}
	simtime_t done;
	if (hit < n) {
		done = now + c->cfg.level[hit].latency_ps;
	} else {
		c->dram_reads[kind]++;
		done = numa_access(c->mem, now + c->cfg.level[n - 1].latency_ps, paddr, false);
	}
	/* Copy the line into the levels that missed, deepest first; a write dirties the first. */
	for (unsigned l = hit; l-- > 0;)
		fill(c, cpu, l, line, is_write && l == 0, done);
	return done;
}

int cache_probe(const struct caches *c, uint32_t cpu, uint64_t paddr)
{
	uint64_t line = paddr >> CACHE_LINE_SHIFT;
	for (unsigned l = 0; l < c->cfg.nr_levels; l++) {
		const struct assoc *a = &level(c, cpu, l)->a;
		if (a->nr_sets && assoc_scan(a, assoc_set_base(a, line), line << 1 | 1, 0) >= 0)
			return (int)l;
	}
	return -1;
}

/* A full-line write through the caches: allocated dirty in the first level without reading
 * DRAM (the CPU writes all 64 bytes). Costs the first level's latency. */
static simtime_t write_line(struct caches *c, uint32_t cpu, simtime_t now, uint64_t paddr)
{
	uint64_t line = paddr >> CACHE_LINE_SHIFT;
	struct cache_level *l0 = level(c, cpu, 0);
	struct assoc_entry *e = assoc_find(&l0->a, line, line << 1 | 1, 0);
	simtime_t done = now + c->cfg.level[0].latency_ps;
	if (e) {
		l0->hits[CACHE_PAGE]++;
		e->flags |= CACHE_DIRTY;
	} else {
		l0->misses[CACHE_PAGE]++;
		fill(c, cpu, 0, line, true, done);
	}
	return done;
}

/* The frame's lines leave every level of every CPU (non-temporal stores); frames none of whose
 * lines was ever filled since their last drop are skipped. */
static void drop_lines(struct caches *c, uint64_t paddr, uint64_t size)
{
	bool any = false;
	for (uint64_t off = 0; off < size; off += 4096)
		any |= take_frame(c, paddr + off);
	if (!any)
		return;
	for (unsigned s = 0; s < c->nr_storage; s++)
		for (uint64_t off = 0; off < size; off += DRAM_LINE_BYTES) {
			uint64_t line = (paddr + off) >> CACHE_LINE_SHIFT;
			assoc_invalidate(&c->storage[s].a, line, line << 1 | 1, 0);
		}
}

simtime_t cache_zero_page(struct caches *c, uint32_t cpu, simtime_t now, uint64_t paddr,
                          uint64_t size_bytes)
{
	if (!c->cfg.page_ops) {
		drop_lines(c, paddr, size_bytes);
		return numa_zero_page(c->mem, now, paddr, size_bytes);
	}
	simtime_t t = now;
	for (uint64_t off = 0; off < size_bytes; off += DRAM_LINE_BYTES)
		t = write_line(c, cpu, t, paddr + off);
	return t;
}

simtime_t cache_copy_page(struct caches *c, uint32_t cpu, simtime_t now, uint64_t src,
                          uint64_t dst, uint64_t size_bytes)
{
	if (!c->cfg.page_ops) {
		drop_lines(c, dst, size_bytes);
		return numa_copy_page(c->mem, now, src, dst, size_bytes);
	}
	simtime_t t = now;
	for (uint64_t off = 0; off < size_bytes; off += DRAM_LINE_BYTES) {
		t = cache_access(c, cpu, t, src + off, false, CACHE_PAGE);
		t = write_line(c, cpu, t, dst + off);
	}
	return t;
}

/* ---- configuration ---- */

static const struct param_spec cache_level_params[] = {
    {.key = "name", .type = PARAM_STRING, .doc = "stats key: cache.<name>.hits"},
    {.key = "size_bytes",
     .type = PARAM_INT,
     .min = 64,
     .max = 1ull << 40,
     .doc = "capacity (a multiple of 64 x ways)"},
    {.key = "ways", .type = PARAM_INT, .min = 1, .max = 1024, .doc = "associativity"},
    {.key = "latency_ps",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e12,
     .doc = "load-to-use latency of a hit at this level"},
    {.key = "shared",
     .type = PARAM_BOOL,
     .def = "false",
     .doc = "one array for all CPUs (an LLC) instead of one per CPU"},
    {0},
};

/* Intel Skylake-SP-like at 4 GHz (Intel optimisation manual, table 2-6 and 2-7): L1D 32 KiB
 * 8-way 4 cycles (5 with a complex address), L2 1 MiB 16-way 14 cycles, LLC 1.375 MiB per core,
 * here 8 MiB 11-way shared, ~50-70 cycles: 60. */
#define CACHE_DEFAULT_LEVELS                                                                       \
	"[{\"name\": \"l1d\", \"size_bytes\": 32768, \"ways\": 8, \"latency_ps\": 1250}, "         \
	"{\"name\": \"l2\", \"size_bytes\": 1048576, \"ways\": 16, \"latency_ps\": 3500}, "         \
	"{\"name\": \"llc\", \"size_bytes\": 8650752, \"ways\": 11, \"latency_ps\": 15000, "        \
	"\"shared\": true}]"

const struct param_spec cache_params[] = {
    {.key = "levels",
     .type = PARAM_LIST,
     .sub = cache_level_params,
     .def = CACHE_DEFAULT_LEVELS,
     .doc = "cache levels, first level first (default: Skylake-SP L1D, L2, 8 MiB LLC)"},
    {.key = "inclusive",
     .type = PARAM_BOOL,
     .def = "false",
     .doc = "a level's eviction invalidates the line in the levels above"},
    {.key = "walks",
     .type = PARAM_BOOL,
     .def = "true",
     .doc = "page-walk entry reads go through the caches (docs/models.md: why by default)"},
    {.key = "data",
     .type = PARAM_BOOL,
     .def = "false",
     .doc = "data references go through the caches instead of costing sim.access_ps"},
    {.key = "page_ops",
     .type = PARAM_ENUM,
     .choices = "bypass|through",
     .def = "\"bypass\"",
     .doc = "zeroing and copying frames: non-temporal to DRAM, or through the caches"},
    {0},
};

static int level_from_json(struct cache_level_config *l, const json_t *lv, size_t i,
                           const char *file, const char *path, struct err *err)
{
	const char *name = params_get_string(lv, "name");
	if (!*name || strlen(name) >= CACHE_NAME_MAX || strchr(name, '.'))
		return err_set(err, "%s: %s.levels[%zu].name: expected 1 to %d characters without "
		                    "'.', got \"%s\"",
		               file, path, i, CACHE_NAME_MAX - 1, name);
	snprintf(l->name, sizeof(l->name), "%s", name);
	l->size_bytes = (uint64_t)params_get_int(lv, "size_bytes");
	l->ways = (uint32_t)params_get_int(lv, "ways");
	l->latency_ps = (simtime_t)params_get_int(lv, "latency_ps");
	l->shared = params_get_bool(lv, "shared");
	if (l->size_bytes % ((uint64_t)l->ways << CACHE_LINE_SHIFT))
		return err_set(err, "%s: %s.levels[%zu].size_bytes: expected a multiple of 64 x "
		                    "ways (%u), got %llu",
		               file, path, i, l->ways, (unsigned long long)l->size_bytes);
	return 0;
}

int cache_config_from_json(struct cache_config *c, const json_t *obj, const char *file,
                           const char *path, struct err *err)
{
	memset(c, 0, sizeof(*c));
	c->inclusive = params_get_bool(obj, "inclusive");
	c->walks = params_get_bool(obj, "walks");
	c->data = params_get_bool(obj, "data");
	c->page_ops = strcmp(params_get_string(obj, "page_ops"), "through") == 0;
	const json_t *levels = json_object_get(obj, "levels");
	size_t n = json_array_size(levels);
	if (n > CACHE_MAX_LEVELS)
		return err_set(err, "%s: %s.levels: expected at most %d levels, got %zu", file,
		               path, CACHE_MAX_LEVELS, n);
	for (size_t i = 0; i < n; i++) {
		int rc = level_from_json(&c->level[i], json_array_get(levels, i), i, file, path,
		                         err);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->level[j].name, c->level[i].name) == 0)
				return err_set(err,
				               "%s: %s.levels[%zu].name: \"%s\" already names "
				               "levels[%zu]",
				               file, path, i, c->level[i].name, j);
	}
	c->nr_levels = (unsigned)n;
	return 0;
}

void caches_report(const struct caches *c, struct statsout *o)
{
	if (!c)
		return;
	for (unsigned l = 0; l < c->cfg.nr_levels; l++) {
		uint64_t hits[CACHE_NR_KINDS] = {0}, misses[CACHE_NR_KINDS] = {0}, wb = 0;
		for (unsigned s = c->first[l]; s < c->first[l + 1]; s++) {
			for (int k = 0; k < CACHE_NR_KINDS; k++) {
				hits[k] += c->storage[s].hits[k];
				misses[k] += c->storage[s].misses[k];
			}
			wb += c->storage[s].writebacks;
		}
		char prefix[64];
		snprintf(prefix, sizeof(prefix), "cache.%s", c->cfg.level[l].name);
		statsout_u64(o, prefix, "hits", hits[0] + hits[1] + hits[2]);
		statsout_u64(o, prefix, "misses", misses[0] + misses[1] + misses[2]);
		statsout_u64(o, prefix, "walk_hits", hits[CACHE_WALK]);
		statsout_u64(o, prefix, "walk_misses", misses[CACHE_WALK]);
		statsout_u64(o, prefix, "writebacks", wb);
	}
	statsout_u64(o, "cache.dram", "walk_reads", c->dram_reads[CACHE_WALK]);
	statsout_u64(o, "cache.dram", "data_reads", c->dram_reads[CACHE_DATA]);
	statsout_u64(o, "cache.dram", "page_reads", c->dram_reads[CACHE_PAGE]);
	statsout_u64(o, "cache.dram", "writebacks", c->dram_writebacks);
}
