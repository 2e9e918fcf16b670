/*
 * tlb.h — a multi-level TLB hierarchy: timing and a cached copy of translations.
 *
 * Models: any number of levels (tlb.levels, first level first), each a set-associative array
 * with exact LRU within a set (fully associative when ways == entries). A level serves data
 * accesses, instruction fetches or both (so an L1 dTLB and an L1 iTLB sit side by side in
 * front of a unified STLB: a lookup probes, in config order, only the levels that serve its
 * kind of access). Page sizes: the main array of a level holds 4 KiB entries, 2 MiB entries or
 * both ("4k+2m": a shared array probed for both sizes, like the Skylake STLB); a level whose
 * main array holds only 4 KiB may have a separate 2 MiB array (entries_2m, ways_2m) probed in
 * parallel at the same latency (like the Skylake L1 dTLB's 32-entry 2 MiB array).
 * Entries are tagged with an address-space id (asid = PCID): with tlb.pcid a context switch
 * keeps them, without it tlb_context_switch flushes everything.
 *
 * An entry holds the whole translation (asid, vpn, page size, pfn, writable, dirty), so that a
 * hit is served without touching the page table. "Dirty" means the PTE's dirty bit is known
 * to be set: a write through an entry without it must go to the walker (as x86 does with a
 * microcode assist) to set the bit, then refill the entry with TLB_F_DIRTY.
 *
 * Fill policy (documented choice): non-inclusive, non-exclusive ("mostly inclusive"), the
 * usual description of Intel parts. A walk fills every level that serves the access kind and
 * holds the page size; a hit in a lower level copies the entry into the upper levels that
 * serve the access kind and hold the size. An eviction from a lower level does not
 * back-invalidate the upper levels.
 *
 * Timing: the latency of a lookup is the sum of the latencies of the levels probed (the hit
 * level included; on a miss, every level probed). Shootdown cost is the caller's business:
 * tlb->cfg.shootdown_ps per remote CPU that may hold the entry.
 *
 * Ignores: 1 GiB pages, global pages, the split of L1 arrays between SMT threads, hashed set
 * indices, replacement other than LRU. Units: latencies in ps, addresses in bytes.
 * Invariant: at most one entry per (asid, vpn, size) per array (fills update in place).
 */
#ifndef VMSIM_MODELS_HW_TLB_H
#define VMSIM_MODELS_HW_TLB_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/hw/assoc.h"
#include "sim/base/params.h"
#include "sim/base/stats.h"
#include "sim/base/util.h"

#define TLB_MAX_LEVELS 8
#define TLB_NAME_MAX 32
#define TLB_SHIFT_4K 12
#define TLB_SHIFT_2M 21

enum tlb_page_sizes {
	TLB_PAGE_4K = 1u << 0,
	TLB_PAGE_2M = 1u << 1,
};

enum tlb_serves {
	TLB_SERVES_DATA = 1u << 0,
	TLB_SERVES_INSTR = 1u << 1,
};

/* Entry flags (tlb_fill's flags, struct tlb_hit's flags). */
enum tlb_flags {
	TLB_F_WRITABLE = 1u << 0, /* the PTE allows writes */
	TLB_F_DIRTY = 1u << 1,    /* the PTE's dirty bit is set: writes need no walk */
};

struct tlb_level_config {
	char name[TLB_NAME_MAX]; /* stats key: tlb.<name>.hits */
	uint32_t entries, ways;  /* main array; entries % ways == 0 */
	unsigned page_sizes;     /* enum tlb_page_sizes held by the main array */
	uint32_t entries_2m; /* separate 2 MiB array (only if page_sizes == TLB_PAGE_4K); 0: none */
	uint32_t ways_2m;    /* its ways; entries_2m % ways_2m == 0 */
	unsigned serves;     /* enum tlb_serves */
	simtime_t latency_ps; /* added to every lookup that probes this level */
};

struct tlb_config {
	unsigned nr_levels;
	struct tlb_level_config level[TLB_MAX_LEVELS];
	bool pcid;              /* entries survive context switches */
	simtime_t shootdown_ps; /* cost per remote CPU of a shootdown (charged by the caller) */
};

struct tlb_level {
	struct tlb_level_config cfg;
	struct assoc main; /* 4 KiB and/or 2 MiB entries, per cfg.page_sizes */
	struct assoc huge; /* separate 2 MiB array; absent when cfg.entries_2m == 0 */
	uint64_t hits;     /* lookups that hit here */
	uint64_t misses;   /* lookups that probed here and missed */
	bool has_2m;       /* a 2 MiB entry was filled since the last full flush (else a
	                    * lookup skips the 2 MiB probe: there is nothing to find) */
};

/* One level as a lookup of one kind probes it, with what the hot path needs resolved at
 * creation: which arrays hold which page size, and the latency summed so far. */
struct tlb_probe {
	struct tlb_level *l;
	struct assoc *a4k;    /* the array of 4 KiB entries (l->main), NULL: the level has none */
	struct assoc *a2m;    /* the array of 2 MiB entries (l->main or l->huge), NULL: none */
	simtime_t latency_ps; /* latencies of the levels probed up to and including this one */
	int level;            /* index of l in tlb->level */
};

struct tlb {
	struct tlb_config cfg;
	unsigned nr_levels;
	struct tlb_level level[TLB_MAX_LEVELS];
	/* The levels probed by data accesses ([0]) and instruction fetches ([1]), in config
	 * order: computed at creation so a lookup does not test cfg.serves level by level. A fill
	 * (tlb_fill, or the copy-up of a hit) goes to the same levels. */
	struct tlb_probe probe[2][TLB_MAX_LEVELS];
	uint8_t nr_probe[2];
	/* When a kind has a single level, its probe[kind][1] names this level, which holds
	 * nothing (no arrays, has_2m false): tlb_lookup probes a second level unconditionally. */
	struct tlb_level none;
	simtime_t miss_latency_ps[2]; /* latency of a lookup that misses everywhere */
	uint32_t cur_asid;            /* set by tlb_context_switch (informational) */
	uint64_t nr_fills;            /* tlb_fill calls */
	uint64_t nr_page_invalidations;
	uint64_t nr_asid_flushes;
	uint64_t nr_full_flushes; /* tlb_flush_all, including context switches without PCID */
	uint64_t nr_context_switches;
};

/* The result of a lookup. On a miss only level (-1) and latency_ps are meaningful. */
struct tlb_hit {
	int level;            /* index of the level that hit, -1: missed in every level probed */
	simtime_t latency_ps; /* sum of the latencies of the levels probed */
	uint64_t pfn;         /* frame of the page (of its first 4 KiB frame for a 2 MiB page) */
	unsigned page_shift;  /* TLB_SHIFT_4K or TLB_SHIFT_2M */
	unsigned flags;       /* enum tlb_flags */
};

/* Physical address of vaddr under a hit. */
static inline uint64_t tlb_hit_paddr(const struct tlb_hit *h, uint64_t vaddr)
{
	return (h->pfn << TLB_SHIFT_4K) + (vaddr & ((1ull << h->page_shift) - 1));
}

/* A hierarchy built from cfg (copied; cfg must have passed tlb_config_from_json's checks or
 * be equally valid: a bad cfg is a bug). New; free with tlb_destroy. */
struct tlb *tlb_create(const struct tlb_config *cfg);
void tlb_destroy(struct tlb *tlb);

/* Keys of the arrays: bit 0 valid, bit 1 set for a 2 MiB entry, the vpn above (at the entry's
 * granularity). */
static inline uint64_t tlb_key_of(uint64_t vpn, bool huge)
{
	return vpn << 2 | (uint64_t)huge << 1 | 1u;
}

/* Out-of-line parts of tlb_lookup (not for other callers): the 2 MiB probe of a level that
 * holds 2 MiB entries; the copy-up of a 2 MiB hit in probe level k into the levels before it;
 * the lookup from probe level k on, after levels 0..k-1 missed (base0: the set base of level
 * 0's 4 KiB probe, for a copy-up), which returns the probe level that hit and its entry in *e,
 * or NULL. */
struct assoc_entry *tlb_probe_2m(const struct tlb_probe *p, uint32_t asid, uint64_t vpn);
void tlb_copy_up_2m(const struct tlb_probe *probe, unsigned k, uint32_t asid, uint64_t vpn,
                    const struct assoc_entry *e);
const struct tlb_probe *tlb_lookup_from(struct tlb *tlb, uint32_t asid, uint64_t vpn, bool is_instr,
                                        unsigned k, uint64_t base0, const struct assoc_entry **e);

/* One level's probe for the 4 KiB page vpn (key: its 4 KiB key): its 4 KiB array, then, once
 * it holds any, its 2 MiB entries. *base4k: the set base of the 4 KiB probe (unset if the
 * level holds no 4 KiB entries). */
static inline struct assoc_entry *tlb_probe_level(const struct tlb_probe *p, uint64_t vpn,
                                                  uint64_t key, uint32_t asid, uint64_t *base4k)
{
	struct assoc *a = p->a4k;
	if (likely(a != NULL)) {
		uint64_t base = assoc_set_base(a, vpn);
		*base4k = base;
		int w = assoc_scan(a, base, key, asid);
		if (w >= 0)
			return assoc_touch(a, base + (uint32_t)w);
	}
	if (likely(!p->l->has_2m))
		return NULL;
	return tlb_probe_2m(p, asid, vpn);
}

/* Describe a hit in probe level p with entry e in *out (the caller counts it). */
static inline int tlb_hit_at(const struct tlb_probe *p, const struct assoc_entry *e,
                             struct tlb_hit *out)
{
	out->level = p->level;
	out->latency_ps = p->latency_ps;
	out->pfn = e->pfn;
	out->page_shift = e->shift;
	out->flags = e->flags;
	return p->level;
}

/*
 * Look vaddr up for asid, probing in order the levels that serve data (is_instr false) or
 * instruction fetches (is_instr true). Returns the index of the level that hit, or -1, and
 * fills *out. Counts a hit in the level that hit and a miss in every level probed before it;
 * a hit below the first level copies the entry into the earlier levels (see the fill policy).
 * Never allocates.
 *
 * Inline, with the first two levels of the probe list peeled (an L1 hit; an L1 miss and a hit
 * in the level below, copied up into the L1 set the miss has just scanned): the rest, and
 * anything about 2 MiB entries, is out of line.
 */
static inline __attribute__((always_inline)) int
tlb_lookup(struct tlb *tlb, uint32_t asid, uint64_t vaddr, bool is_instr, struct tlb_hit *out)
{
	const struct tlb_probe *probe = tlb->probe[is_instr];
	uint64_t vpn = vaddr >> TLB_SHIFT_4K, key = tlb_key_of(vpn, false);
	uint64_t base0 = 0;
	uint32_t victim0 = 0; /* on a 4 KiB miss in level 0: the way a copy-up replaces */
	struct assoc_entry *e = NULL;
	struct assoc *a0 = probe[0].a4k;
	/* tlb_probe_level for level 0, whose miss scan also finds the copy-up's victim */
	if (likely(a0 != NULL)) {
		base0 = assoc_set_base(a0, vpn);
		int w = assoc_scan_victim(a0, base0, key, asid, &victim0);
		if (w >= 0)
			e = assoc_touch(a0, base0 + (uint32_t)w);
	}
	if (unlikely(e == NULL) && unlikely(probe[0].l->has_2m))
		e = tlb_probe_2m(&probe[0], asid, vpn);
	if (likely(e != NULL)) {
		probe[0].l->hits++;
		return tlb_hit_at(&probe[0], e, out);
	}
	probe[0].l->misses++;
	const struct tlb_probe *p = &probe[1];
	/* tlb_probe_level for level 1 (nothing in tlb->none), its 4 KiB hit first: an entry
	 * matching a 4 KiB key holds a 4 KiB page (2 MiB entries have bit 1 of the key set), so
	 * its copy-up goes into level 0's 4 KiB array, in the set that has just missed it
	 * (mostly inclusive). */
	struct assoc *a1 = p->a4k;
	if (likely(a1 != NULL)) {
		uint64_t base1 = assoc_set_base(a1, vpn);
		int w = assoc_scan(a1, base1, key, asid);
		if (likely(w >= 0)) {
			e = assoc_touch(a1, base1 + (uint32_t)w);
			p->l->hits++;
			if (likely(a0 != NULL))
				*assoc_install(a0, base0 + victim0, key, asid) = *e;
			return tlb_hit_at(p, e, out);
		}
	}
	if (unlikely(p->l->has_2m) && (e = tlb_probe_2m(p, asid, vpn)) != NULL) {
		p->l->hits++;
		int level = tlb_hit_at(p, e, out);
		if (e->shift == TLB_SHIFT_4K) {
			if (a0 != NULL)
				*assoc_install(a0, base0 + victim0, key, asid) = *e;
		} else {
			tlb_copy_up_2m(probe, 1, asid, vpn, e);
		}
		return level;
	}
	const struct assoc_entry *f;
	unsigned k = tlb->nr_probe[is_instr] >= 2 ? 2 : 1;
	if (k == 2)
		p->l->misses++;
	p = tlb_lookup_from(tlb, asid, vpn, is_instr, k, base0, &f);
	if (!p) {
		out->level = -1;
		out->latency_ps = tlb->miss_latency_ps[is_instr];
		return -1;
	}
	return tlb_hit_at(p, f, out);
}

/*
 * Install the translation of the page containing vaddr (size 1 << page_shift, 12 or 21) after
 * a walk: every level that serves this kind of access and holds this page size gets it (an
 * existing entry for the same page is updated in place, e.g. to add TLB_F_DIRTY).
 */
void tlb_fill(struct tlb *tlb, uint32_t asid, uint64_t vaddr, unsigned page_shift, uint64_t pfn,
              unsigned flags, bool is_instr);

/* Invalidate the translation of the page containing vaddr for asid, both page sizes, in every
 * level (INVLPG). Returns how many entries were dropped. */
unsigned tlb_invalidate_page(struct tlb *tlb, uint32_t asid, uint64_t vaddr);
/* Invalidate every entry of one address space (INVPCID single-context). */
void tlb_flush_asid(struct tlb *tlb, uint32_t asid);
/* Invalidate everything. */
void tlb_flush_all(struct tlb *tlb);
/* Switch to new_asid: flush everything unless tlb.pcid. */
void tlb_context_switch(struct tlb *tlb, uint32_t new_asid);

/* Keys under "tlb" (levels, pcid, shootdown_ps), with a Skylake-like default hierarchy. */
extern const struct param_spec tlb_params[];

/*
 * Copy the resolved "tlb" object obj (params_resolve'd against tlb_params) into c, with the
 * checks a key table cannot express (entries a multiple of ways, unique level names, at most
 * TLB_MAX_LEVELS levels, a level for data and one for instructions). Returns 0, or
 * -VMSIM_EINVAL with err = "FILE: PATH.levels[i].ways: ...". path is obj's JSON path ("tlb").
 */
int tlb_config_from_json(struct tlb_config *c, const json_t *obj, const char *file,
                         const char *path, struct err *err);

/* tlb.<level>.{hits,misses} and tlb.{fills,page_invalidations,asid_flushes,full_flushes,
 * context_switches}. */
void tlb_report(const struct tlb *tlb, struct statsout *o);

#endif
