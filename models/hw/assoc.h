/*
 * assoc.h — a set-associative tag store with true LRU within each set: the storage behind the
 * TLB levels and the page-walk caches.
 *
 * Models: `ways` entries per set, nr_sets = entries / ways sets; the set of a lookup is chosen
 * by the low bits of an index (the virtual page number at the entry's granularity), modulo
 * nr_sets when nr_sets is not a power of two; fully associative when ways == entries. LRU is a
 * per-array use counter stamped on every hit and fill: the victim is the invalid entry of the
 * lowest way, else the entry with the oldest stamp (exact LRU, deterministic).
 * Ignores: index hashing of real parts (XOR-folded set indices), pseudo-LRU approximations.
 *
 * An entry matches when its key and its asid are equal; key 0 means invalid, so callers build
 * keys with bit 0 set. The payload (pfn, flags, page shift) belongs to the caller.
 * Lookup and fill never allocate.
 */
#ifndef VMSIM_MODELS_HW_ASSOC_H
#define VMSIM_MODELS_HW_ASSOC_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/util.h"

struct assoc_entry {
	uint64_t key;   /* caller's tag with bit 0 set; 0: invalid */
	uint64_t stamp; /* value of the array's use counter at the last hit or fill */
	uint64_t pfn;   /* payload: frame number (TLB) */
	uint32_t asid;  /* address-space tag */
	uint16_t flags; /* payload: caller's flag bits */
	uint16_t shift; /* payload: page size shift (TLB) */
};

struct assoc {
	struct assoc_entry *e; /* nr_sets * ways entries, set-major; NULL when entries == 0 */
	uint32_t nr_sets;      /* 0: the array is absent (every lookup misses, fills do nothing) */
	uint32_t ways;
	bool pow2;             /* nr_sets is a power of two: the set is index & set_mask */
	uint64_t set_mask;     /* nr_sets - 1 */
	uint64_t clock;        /* use counter for LRU */
};

/* Set up an array of entries / ways sets (entries may be 0: absent). entries % ways == 0. */
void assoc_init(struct assoc *a, uint32_t entries, uint32_t ways);
void assoc_fini(struct assoc *a);

static inline struct assoc_entry *assoc_set_of(const struct assoc *a, uint64_t index)
{
	uint64_t set = likely(a->pow2) ? index & a->set_mask : index % a->nr_sets;
	return a->e + set * a->ways;
}

/* The entry matching (key, asid) in the set chosen by index, touched as most recently used;
 * NULL on a miss (or if the array is absent). */
static inline struct assoc_entry *assoc_find(struct assoc *a, uint64_t index, uint64_t key,
					     uint32_t asid)
{
	if (unlikely(!a->nr_sets))
		return NULL;
	struct assoc_entry *s = assoc_set_of(a, index);
	for (uint32_t w = 0; w < a->ways; w++) {
		if (s[w].key == key && s[w].asid == asid) {
			s[w].stamp = ++a->clock;
			return &s[w];
		}
	}
	return NULL;
}

/*
 * The entry for (key, asid) after a fill: the existing one if present, else the LRU victim of
 * the set (its old contents are overwritten); either way it becomes most recently used, with
 * key and asid set. The caller writes the payload. NULL if the array is absent.
 */
struct assoc_entry *assoc_insert(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid);

/* Invalidate the entry for (key, asid) if present; returns whether one was. */
bool assoc_invalidate(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid);
/* Invalidate every entry tagged asid; returns how many were valid. */
uint64_t assoc_flush_asid(struct assoc *a, uint32_t asid);
/* Invalidate everything. */
void assoc_flush_all(struct assoc *a);

#endif
