/*
 * tlb.c — the TLB hierarchy (see tlb.h for what it models and its fill policy).
 */
#include "models/hw/tlb.h"

#include <stdlib.h>
#include <string.h>

static inline uint64_t key_of(uint64_t vpn, bool huge)
{
	return tlb_key_of(vpn, huge);
}

static inline void entry_set(struct assoc_entry *e, uint64_t pfn, unsigned flags, unsigned shift)
{
	e->pfn = pfn;
	e->flags = (uint16_t)flags;
	e->shift = (uint16_t)shift;
}

struct assoc_entry *tlb_probe_2m(const struct tlb_probe *p, uint32_t asid, uint64_t vpn)
{
	if (!p->a2m)
		return NULL;
	uint64_t vpn2m = vpn >> (TLB_SHIFT_2M - TLB_SHIFT_4K);
	return assoc_find(p->a2m, vpn2m, key_of(vpn2m, true), asid);
}

void tlb_copy_up_2m(const struct tlb_probe *probe, unsigned k, uint32_t asid, uint64_t vpn,
                    const struct assoc_entry *e)
{
	uint64_t vpn2m = vpn >> (TLB_SHIFT_2M - TLB_SHIFT_4K);
	for (unsigned m = 0; m < k; m++) {
		probe[m].l->has_2m = true;
		struct assoc *u = probe[m].a2m;
		if (u)
			*assoc_insert_absent(u, vpn2m, key_of(vpn2m, true), asid) = *e;
	}
}

/* Levels 0..k-1 of the probe list have missed (and counted it). A 4 KiB hit is copied up into
 * each of them: into level 0 at base0, the set its probe scanned; the others are rare enough
 * to compute their set again. */
const struct tlb_probe *tlb_lookup_from(struct tlb *tlb, uint32_t asid, uint64_t vpn, bool is_instr,
                                        unsigned k, uint64_t base0, const struct assoc_entry **hit)
{
	const struct tlb_probe *probe = tlb->probe[is_instr];
	uint64_t key = key_of(vpn, false);
	for (unsigned nr = tlb->nr_probe[is_instr]; k < nr; k++) {
		uint64_t base;
		struct assoc_entry *e = tlb_probe_level(&probe[k], vpn, key, asid, &base);
		if (!e) {
			probe[k].l->misses++;
			continue;
		}
		probe[k].l->hits++;
		*hit = e;
		if (e->shift != TLB_SHIFT_4K) {
			tlb_copy_up_2m(probe, k, asid, vpn, e);
			return &probe[k];
		}
		for (unsigned m = 0; m < k; m++) {
			struct assoc *u = probe[m].a4k;
			if (u)
				*assoc_insert_absent_at(u, m ? assoc_set_base(u, vpn) : base0, key,
				                        asid) = *e;
		}
		return &probe[k];
	}
	return NULL;
}

void tlb_fill(struct tlb *tlb, uint32_t asid, uint64_t vaddr, unsigned page_shift, uint64_t pfn,
              unsigned flags, bool is_instr)
{
	BUG_ON(page_shift != TLB_SHIFT_4K && page_shift != TLB_SHIFT_2M, "page shift %u",
	       page_shift);
	BUG_ON(page_shift == TLB_SHIFT_2M && (pfn & 511), "2 MiB page at unaligned pfn %#llx",
	       (unsigned long long)pfn);
	bool huge = page_shift == TLB_SHIFT_2M;
	uint64_t vpn = vaddr >> page_shift, key = key_of(vpn, huge);
	tlb->nr_fills++;
	for (unsigned k = 0, nr = tlb->nr_probe[is_instr]; k < nr; k++) {
		const struct tlb_probe *p = &tlb->probe[is_instr][k];
		p->l->has_2m |= huge;
		struct assoc *a = huge ? p->a2m : p->a4k;
		if (a)
			entry_set(assoc_insert(a, vpn, key, asid), pfn, flags, page_shift);
	}
}

unsigned tlb_invalidate_page(struct tlb *tlb, uint32_t asid, uint64_t vaddr)
{
	unsigned n = 0;
	uint64_t vpn = vaddr >> TLB_SHIFT_4K, vpn2m = vaddr >> TLB_SHIFT_2M;
	tlb->nr_page_invalidations++;
	for (unsigned i = 0; i < tlb->nr_levels; i++) {
		struct tlb_level *l = &tlb->level[i];
		n += assoc_invalidate(&l->main, vpn, key_of(vpn, false), asid);
		n += assoc_invalidate(&l->main, vpn2m, key_of(vpn2m, true), asid);
		n += assoc_invalidate(&l->huge, vpn2m, key_of(vpn2m, true), asid);
	}
	return n;
}

void tlb_flush_asid(struct tlb *tlb, uint32_t asid)
{
	tlb->nr_asid_flushes++;
	for (unsigned i = 0; i < tlb->nr_levels; i++) {
		assoc_flush_asid(&tlb->level[i].main, asid);
		assoc_flush_asid(&tlb->level[i].huge, asid);
	}
}

void tlb_flush_all(struct tlb *tlb)
{
	tlb->nr_full_flushes++;
	for (unsigned i = 0; i < tlb->nr_levels; i++) {
		assoc_flush_all(&tlb->level[i].main);
		assoc_flush_all(&tlb->level[i].huge);
		tlb->level[i].has_2m = false;
	}
}

void tlb_context_switch(struct tlb *tlb, uint32_t new_asid)
{
	tlb->nr_context_switches++;
	if (!tlb->cfg.pcid)
		tlb_flush_all(tlb);
	tlb->cur_asid = new_asid;
}

struct tlb *tlb_create(const struct tlb_config *cfg)
{
	BUG_ON(cfg->nr_levels == 0 || cfg->nr_levels > TLB_MAX_LEVELS, "%u TLB levels",
	       cfg->nr_levels);
	struct tlb *tlb = xcalloc(1, sizeof(*tlb));
	tlb->cfg = *cfg;
	tlb->nr_levels = cfg->nr_levels;
	for (unsigned i = 0; i < cfg->nr_levels; i++) {
		const struct tlb_level_config *lc = &cfg->level[i];
		struct tlb_level *l = &tlb->level[i];
		BUG_ON(!lc->page_sizes || !lc->serves, "TLB level %s serves nothing", lc->name);
		BUG_ON(lc->entries_2m && lc->page_sizes != TLB_PAGE_4K,
		       "TLB level %s: a separate 2 MiB array beside a main array holding 2 MiB",
		       lc->name);
		l->cfg = *lc;
		assoc_init(&l->main, lc->entries, lc->ways);
		assoc_init(&l->huge, lc->entries_2m, lc->ways_2m);
		struct tlb_probe p = {
		    .l = l,
		    .a4k = (lc->page_sizes & TLB_PAGE_4K) && l->main.nr_sets ? &l->main : NULL,
		    .a2m = (lc->page_sizes & TLB_PAGE_2M) ? (l->main.nr_sets ? &l->main : NULL)
		           : l->huge.nr_sets              ? &l->huge
		                                          : NULL,
		    .level = (int)i,
		};
		for (unsigned kind = 0; kind < 2; kind++) {
			if (!(lc->serves & (kind ? TLB_SERVES_INSTR : TLB_SERVES_DATA)))
				continue;
			tlb->miss_latency_ps[kind] += lc->latency_ps;
			p.latency_ps = tlb->miss_latency_ps[kind];
			tlb->probe[kind][tlb->nr_probe[kind]++] = p;
		}
	}
	for (unsigned kind = 0; kind < 2; kind++)
		if (tlb->nr_probe[kind] < 2)
			tlb->probe[kind][1] = (struct tlb_probe){.l = &tlb->none, .level = -1};
	return tlb;
}

void tlb_destroy(struct tlb *tlb)
{
	if (!tlb)
		return;
	for (unsigned i = 0; i < tlb->nr_levels; i++) {
		assoc_fini(&tlb->level[i].main);
		assoc_fini(&tlb->level[i].huge);
	}
	free(tlb);
}

/* ---- configuration ---- */

static const struct param_spec tlb_level_params[] = {
    {.key = "name",
     .type = PARAM_STRING,
     .doc = "level name, used in stats keys (tlb.<name>.hits); letters, digits, _ and -"},
    {.key = "entries",
     .type = PARAM_INT,
     .min = 1,
     .max = 1 << 24,
     .doc = "entries of the main array"},
    {.key = "ways",
     .type = PARAM_INT,
     .min = 1,
     .max = 1 << 24,
     .doc = "associativity of the main array (= entries: fully associative)"},
    {.key = "latency_ps",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e12,
     .doc = "added to every lookup that probes this level"},
    {.key = "page_sizes",
     .type = PARAM_ENUM,
     .choices = "4k|2m|4k+2m",
     .def = "\"4k+2m\"",
     .doc = "page sizes held by the main array"},
    {.key = "entries_2m",
     .type = PARAM_INT,
     .min = 0,
     .max = 1 << 24,
     .def = "0",
     .doc = "entries of a separate 2 MiB array probed in parallel (page_sizes \"4k\" only)"},
    {.key = "ways_2m",
     .type = PARAM_INT,
     .min = 0,
     .max = 1 << 24,
     .def = "0",
     .doc = "ways of the 2 MiB array (0: fully associative)"},
    {.key = "accesses",
     .type = PARAM_ENUM,
     .choices = "data|instr|both",
     .def = "\"both\"",
     .doc = "which accesses probe this level: data (r/w), instruction fetches (x), both"},
    {0},
};

/* Skylake client (Intel optimisation manual, table 2-9), latencies at 4 GHz: L1 1 cycle,
 * STLB 9 cycles. */
#define TLB_DEFAULT_LEVELS                                                                         \
	"[{\"name\": \"l1d\", \"entries\": 64, \"ways\": 4, \"latency_ps\": 250, "                 \
	"\"page_sizes\": \"4k\", \"entries_2m\": 32, \"ways_2m\": 4, \"accesses\": \"data\"}, "    \
	"{\"name\": \"l1i\", \"entries\": 128, \"ways\": 8, \"latency_ps\": 250, "                 \
	"\"page_sizes\": \"4k\", \"entries_2m\": 8, \"ways_2m\": 8, \"accesses\": \"instr\"}, "    \
	"{\"name\": \"stlb\", \"entries\": 1536, \"ways\": 12, \"latency_ps\": 2250, "             \
	"\"page_sizes\": \"4k+2m\", \"entries_2m\": 0, \"ways_2m\": 0, \"accesses\": \"both\"}]"

const struct param_spec tlb_params[] = {
    {.key = "levels",
     .type = PARAM_LIST,
     .sub = tlb_level_params,
     .def = TLB_DEFAULT_LEVELS,
     .doc = "TLB levels, first level first (default: Skylake L1 dTLB, L1 iTLB, STLB)"},
    {.key = "pcid",
     .type = PARAM_BOOL,
     .def = "true",
     .doc = "entries tagged by address space survive context switches"},
    {.key = "shootdown_ps",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e12,
     .def = "2000000",
     .doc = "cost of a TLB shootdown per remote CPU that may hold the entry"},
    {0},
};

static bool name_ok(const char *s)
{
	if (!*s || strlen(s) >= TLB_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

int tlb_config_from_json(struct tlb_config *c, const json_t *obj, const char *file,
                         const char *path, struct err *err)
{
	memset(c, 0, sizeof(*c));
	c->pcid = params_get_bool(obj, "pcid");
	c->shootdown_ps = (simtime_t)params_get_int(obj, "shootdown_ps");
	const json_t *levels = json_object_get(obj, "levels");
	BUG_ON(!json_is_array(levels), "tlb.levels not resolved");
	size_t n = json_array_size(levels);
	if (n > TLB_MAX_LEVELS)
		return err_set(err, "%s: %s.levels: expected at most %d levels, got %zu", file,
		               path, TLB_MAX_LEVELS, n);
	unsigned serves_all = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *lv = json_array_get(levels, i);
		struct tlb_level_config *l = &c->level[i];
		const char *name = params_get_string(lv, "name");
		if (!name_ok(name))
			return err_set(err,
			               "%s: %s.levels[%zu].name: expected 1 to %d letters, digits, "
			               "'_' or '-', got \"%s\"",
			               file, path, i, TLB_NAME_MAX - 1, name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->level[j].name, name) == 0)
				return err_set(err,
				               "%s: %s.levels[%zu].name: \"%s\" already names "
				               "levels[%zu]",
				               file, path, i, name, j);
		strcpy(l->name, name);
		l->entries = (uint32_t)params_get_int(lv, "entries");
		l->ways = (uint32_t)params_get_int(lv, "ways");
		l->latency_ps = (simtime_t)params_get_int(lv, "latency_ps");
		const char *ps = params_get_string(lv, "page_sizes");
		l->page_sizes = strcmp(ps, "4k") == 0   ? TLB_PAGE_4K
		                : strcmp(ps, "2m") == 0 ? TLB_PAGE_2M
		                                        : TLB_PAGE_4K | TLB_PAGE_2M;
		l->entries_2m = (uint32_t)params_get_int(lv, "entries_2m");
		l->ways_2m = (uint32_t)params_get_int(lv, "ways_2m");
		if (l->entries_2m && !l->ways_2m)
			l->ways_2m = l->entries_2m;
		const char *acc = params_get_string(lv, "accesses");
		l->serves = strcmp(acc, "data") == 0    ? TLB_SERVES_DATA
		            : strcmp(acc, "instr") == 0 ? TLB_SERVES_INSTR
		                                        : TLB_SERVES_DATA | TLB_SERVES_INSTR;
		serves_all |= l->serves;
		if (l->ways > l->entries || l->entries % l->ways)
			return err_set(
			    err,
			    "%s: %s.levels[%zu].ways: entries (%u) must be a multiple of "
			    "ways, got %u",
			    file, path, i, l->entries, l->ways);
		if (l->entries_2m && l->page_sizes != TLB_PAGE_4K)
			return err_set(
			    err,
			    "%s: %s.levels[%zu].entries_2m: a separate 2 MiB array needs "
			    "page_sizes \"4k\", got \"%s\"",
			    file, path, i, ps);
		if (l->entries_2m && (l->ways_2m > l->entries_2m || l->entries_2m % l->ways_2m))
			return err_set(err,
			               "%s: %s.levels[%zu].ways_2m: entries_2m (%u) must be a "
			               "multiple of ways_2m, got %u",
			               file, path, i, l->entries_2m, l->ways_2m);
	}
	c->nr_levels = (unsigned)n;
	if (!(serves_all & TLB_SERVES_DATA))
		return err_set(err,
		               "%s: %s.levels: no level serves data accesses (accesses \"data\" or "
		               "\"both\")",
		               file, path);
	if (!(serves_all & TLB_SERVES_INSTR))
		return err_set(err,
		               "%s: %s.levels: no level serves instruction fetches (accesses "
		               "\"instr\" or \"both\")",
		               file, path);
	return 0;
}

void tlb_report(const struct tlb *tlb, struct statsout *o)
{
	for (unsigned i = 0; i < tlb->nr_levels; i++) {
		const struct tlb_level *l = &tlb->level[i];
		char *prefix = xasprintf("tlb.%s", l->cfg.name);
		statsout_u64(o, prefix, "hits", l->hits);
		statsout_u64(o, prefix, "misses", l->misses);
		free(prefix);
	}
	statsout_u64(o, "tlb", "fills", tlb->nr_fills);
	statsout_u64(o, "tlb", "page_invalidations", tlb->nr_page_invalidations);
	statsout_u64(o, "tlb", "asid_flushes", tlb->nr_asid_flushes);
	statsout_u64(o, "tlb", "full_flushes", tlb->nr_full_flushes);
	statsout_u64(o, "tlb", "context_switches", tlb->nr_context_switches);
}
