/*
 * walker.c — page-walk timing with page-walk caches (see walker.h).
 */
#include "models/hw/walker.h"

#include <stdlib.h>
#include <string.h>

static const char *const pwc_names[WALKER_NR_PWC] = {"pd", "pdpt", "pml4", "pml5"};

/* Bits of vaddr that select entries at distance d above the PT and all levels above it. */
static inline uint64_t pwc_index(const struct walker *w, uint64_t vaddr, unsigned d)
{
	unsigned va_bits = 12 + 9 * w->cfg.levels;
	return (vaddr & ((1ull << va_bits) - 1)) >> (12 + 9 * d);
}

struct walker *walker_create(const struct walker_config *cfg)
{
	BUG_ON(cfg->levels < 4 || cfg->levels > WALKER_MAX_LEVELS, "%u walker levels", cfg->levels);
	struct walker *w = xcalloc(1, sizeof(*w));
	w->cfg = *cfg;
	/* Only PWCs for levels above the PT that exist: pd .. pml4 (4 levels), .. pml5 (5). */
	for (unsigned p = 0; p < WALKER_NR_PWC; p++) {
		if (p + 1 >= cfg->levels)
			continue;
		assoc_init(&w->pwc[p], cfg->pwc[p].entries, cfg->pwc[p].ways);
		if (cfg->pwc[p].entries)
			w->probe_ps = MAX(w->probe_ps, cfg->pwc[p].latency_ps);
	}
	hist_init(&w->latency);
	return w;
}

void walker_destroy(struct walker *w)
{
	if (!w)
		return;
	for (unsigned p = 0; p < WALKER_NR_PWC; p++)
		assoc_fini(&w->pwc[p]);
	hist_fini(&w->latency);
	free(w);
}

simtime_t walker_walk(struct walker *w, simtime_t now_ps, uint32_t asid, uint64_t vaddr,
                      const uint64_t *entry_paddr, int nr_levels_present, struct numa *mem,
                      struct walk_result *out)
{
	int levels = (int)w->cfg.levels;
	BUG_ON(nr_levels_present < 1 || nr_levels_present > levels, "walk of %d levels",
	       nr_levels_present);
	BUG_ON(!mem, "walk without a memory model");
	w->walks++;
	/* Entry i (0 = root) sits at distance levels - 1 - i above the PT; its PWC is
	 * distance - 1. Usable hits: non-leaf entries of this walk, i <= nr_levels_present - 2.
	 * Probe the deepest first: the longest match wins. */
	int first = 0, hit = -1;
	for (int i = nr_levels_present - 2; i >= 0; i--) {
		unsigned p = (unsigned)(levels - 2 - i);
		struct assoc *a = &w->pwc[p];
		if (!a->nr_sets)
			continue;
		uint64_t idx = pwc_index(w, vaddr, p + 1);
		if (assoc_find(a, idx, idx << 1 | 1, asid)) {
			w->pwc_hit[p]++;
			w->pwc_hits++;
			first = i + 1;
			hit = (int)p;
			break;
		}
		w->pwc_miss[p]++;
	}
	simtime_t t = now_ps + w->probe_ps;
	for (int i = first; i < nr_levels_present; i++) {
		t = w->caches ? cache_access(w->caches, w->cpu, t, entry_paddr[i], false, CACHE_WALK)
		              : numa_access(mem, t, entry_paddr[i], false);
		/* A non-leaf entry just read: cache it. */
		if (i <= nr_levels_present - 2) {
			unsigned p = (unsigned)(levels - 2 - i);
			uint64_t idx = pwc_index(w, vaddr, p + 1);
			assoc_insert(&w->pwc[p], idx, idx << 1 | 1, asid);
		}
	}
	unsigned refs = (unsigned)(nr_levels_present - first);
	w->memory_refs += refs;
	hist_record(&w->latency, t - now_ps);
	if (out) {
		out->latency_ps = t - now_ps;
		out->memory_refs = refs;
		out->pwc_hit = hit;
	}
	return t;
}

void walker_flush_asid(struct walker *w, uint32_t asid)
{
	for (unsigned p = 0; p < WALKER_NR_PWC; p++)
		assoc_flush_asid(&w->pwc[p], asid);
}

void walker_flush_all(struct walker *w)
{
	for (unsigned p = 0; p < WALKER_NR_PWC; p++)
		assoc_flush_all(&w->pwc[p]);
}

/* ---- configuration ---- */

#define PWC_SPEC(var, entries_def, ways_def)                                                       \
	static const struct param_spec var[] = {                                                   \
	    {.key = "entries",                                                                     \
	     .type = PARAM_INT,                                                                    \
	     .min = 0,                                                                             \
	     .max = 1 << 20,                                                                       \
	     .def = entries_def,                                                                   \
	     .doc = "entries (0: no cache for this level)"},                                       \
	    {.key = "ways",                                                                        \
	     .type = PARAM_INT,                                                                    \
	     .min = 1,                                                                             \
	     .max = 1 << 20,                                                                       \
	     .def = ways_def,                                                                      \
	     .doc = "associativity (= entries: fully associative)"},                               \
	    {.key = "latency_ps",                                                                  \
	     .type = PARAM_INT,                                                                    \
	     .min = 0,                                                                             \
	     .max = 1e9,                                                                           \
	     .def = "500",                                                                         \
	     .doc = "lookup latency (PWCs are probed in parallel)"},                               \
	    {0},                                                                                   \
	}

/* Sizes in the spirit of Intel's (Bhattacharjee, "Large-reach MMU caches", MICRO 2013;
 * Barr, Cox & Rixner, ISCA 2010): a 32-entry PDE cache, 4 PDPTEs, 2 PML4Es. */
PWC_SPEC(pwc_pd_params, "32", "4");
PWC_SPEC(pwc_pdpt_params, "4", "4");
PWC_SPEC(pwc_pml4_params, "2", "2");
PWC_SPEC(pwc_pml5_params, "2", "2");

const struct param_spec walker_params[] = {
    {.key = "levels",
     .type = PARAM_INT,
     .min = 4,
     .max = 5,
     .def = "4",
     .doc = "radix levels: 4 (48-bit) or 5 (57-bit virtual addresses)"},
    {.key = "pwc_pd",
     .type = PARAM_OBJECT,
     .sub = pwc_pd_params,
     .doc = "cache of PDEs that point to page tables"},
    {.key = "pwc_pdpt", .type = PARAM_OBJECT, .sub = pwc_pdpt_params, .doc = "cache of PDPTEs"},
    {.key = "pwc_pml4", .type = PARAM_OBJECT, .sub = pwc_pml4_params, .doc = "cache of PML4Es"},
    {.key = "pwc_pml5",
     .type = PARAM_OBJECT,
     .sub = pwc_pml5_params,
     .doc = "cache of PML5Es (walker.levels = 5 only)"},
    {0},
};

int walker_config_from_json(struct walker_config *c, const json_t *obj, const char *file,
                            const char *path, struct err *err)
{
	memset(c, 0, sizeof(*c));
	c->levels = (unsigned)params_get_int(obj, "levels");
	for (unsigned p = 0; p < WALKER_NR_PWC; p++) {
		char key[16];
		snprintf(key, sizeof(key), "pwc_%s", pwc_names[p]);
		const json_t *o = json_object_get(obj, key);
		BUG_ON(!json_is_object(o), "walker.%s not resolved", key);
		struct walker_pwc_config *pc = &c->pwc[p];
		pc->entries = (uint32_t)params_get_int(o, "entries");
		pc->ways = (uint32_t)params_get_int(o, "ways");
		pc->latency_ps = (simtime_t)params_get_int(o, "latency_ps");
		if (pc->entries && (pc->ways > pc->entries || pc->entries % pc->ways))
			return err_set(
			    err,
			    "%s: %s.%s.ways: entries (%u) must be a multiple of ways, got "
			    "%u",
			    file, path, key, pc->entries, pc->ways);
	}
	return 0;
}

void walker_report(const struct walker *w, struct statsout *o)
{
	statsout_u64(o, "walk", "count", w->walks);
	statsout_u64(o, "walk", "memory_refs", w->memory_refs);
	statsout_u64(o, "walk", "pwc_hits", w->pwc_hits);
	for (unsigned p = 0; p + 1 < w->cfg.levels && p < WALKER_NR_PWC; p++) {
		char prefix[32];
		snprintf(prefix, sizeof(prefix), "walk.pwc.%s", pwc_names[p]);
		statsout_u64(o, prefix, "hits", w->pwc_hit[p]);
		statsout_u64(o, prefix, "misses", w->pwc_miss[p]);
	}
	statsout_hist(o, "latency.walk", &w->latency);
}
