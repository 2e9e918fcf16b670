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
 * keys with bit 0 set. The payload (struct assoc_entry: pfn, flags, page shift) belongs to the
 * caller; the tags and stamps are kept apart from it (see struct assoc).
 * Lookup and fill never allocate.
 */
#ifndef VMSIM_MODELS_HW_ASSOC_H
#define VMSIM_MODELS_HW_ASSOC_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/util.h"

/* The caller's payload of one entry. Tags (key, asid) and LRU stamps live in separate arrays
 * of struct assoc, so that a lookup scans the keys of a set contiguously (8 bytes a way: a
 * 12-way set is 96 bytes, where whole entries were 384) and touches the rest only on a hit. */
struct assoc_entry {
	uint64_t pfn;   /* payload: frame number (TLB) */
	uint16_t flags; /* payload: caller's flag bits */
	uint16_t shift; /* payload: page size shift (TLB) */
};

struct assoc {
	uint64_t *key;         /* nr_sets * ways tags, set-major; 0: invalid */
	uint32_t *asid;        /* address-space tag of each entry */
	uint64_t *stamp;       /* value of the use counter at the entry's last hit or fill */
	struct assoc_entry *e; /* payloads; all four arrays NULL when entries == 0 */
	uint32_t nr_sets;      /* 0: the array is absent (every lookup misses, fills do nothing) */
	uint32_t ways;
	bool pow2;         /* nr_sets is a power of two: the set is index & set_mask */
	uint64_t set_mask; /* nr_sets - 1 */
	uint64_t clock;    /* use counter for LRU */
};

/* Set up an array of entries / ways sets (entries may be 0: absent). entries % ways == 0. */
void assoc_init(struct assoc *a, uint32_t entries, uint32_t ways);
void assoc_fini(struct assoc *a);

/* Index of the first entry of the set chosen by index. */
static inline uint64_t assoc_set_base(const struct assoc *a, uint64_t index)
{
	uint64_t set = likely(a->pow2) ? index & a->set_mask : index % a->nr_sets;
	return set * a->ways;
}

/* The entry matching (key, asid) in the set chosen by index, touched as most recently used;
 * NULL on a miss (or if the array is absent). */
static inline struct assoc_entry *assoc_find(struct assoc *a, uint64_t index, uint64_t key,
                                             uint32_t asid)
{
	if (unlikely(!a->nr_sets))
		return NULL;
	uint64_t base = assoc_set_base(a, index);
	const uint64_t *k = a->key + base;
	for (uint32_t w = 0, n = a->ways; w < n; w++) {
		if (k[w] == key && likely(a->asid[base + w] == asid)) {
			a->stamp[base + w] = ++a->clock;
			return &a->e[base + w];
		}
	}
	return NULL;
}

/*
 * The entry for (key, asid) after a fill: the existing one if present, else the LRU victim of
 * the set (its old contents are overwritten); either way it becomes most recently used, with
 * key and asid set. The caller writes the payload (an existing entry keeps its old payload
 * until then). NULL if the array is absent.
 */
struct assoc_entry *assoc_insert(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid);

/*
 * assoc_insert for a (key, asid) the caller knows is absent from its set (it has just missed
 * there): the same victim (the invalid entry of the lowest way, else the oldest stamp) without
 * comparing keys. The copy-up of a TLB hit into the levels that missed uses it.
 */
static inline struct assoc_entry *assoc_insert_absent(struct assoc *a, uint64_t index, uint64_t key,
                                                      uint32_t asid)
{
	if (unlikely(!a->nr_sets))
		return NULL;
	uint64_t base = assoc_set_base(a, index);
	const uint64_t *k = a->key + base;
	const uint64_t *st = a->stamp + base;
	uint32_t victim = 0, n = a->ways;
	uint64_t oldest = UINT64_MAX;
	for (uint32_t w = 0; w < n; w++) {
		if (!k[w]) {
			victim = w;
			goto found;
		}
		if (st[w] < oldest) {
			victim = w;
			oldest = st[w];
		}
	}
found:;
	uint64_t i = base + victim;
	a->key[i] = key;
	a->asid[i] = asid;
	a->stamp[i] = ++a->clock;
	return &a->e[i];
}

/* Invalidate the entry for (key, asid) if present; returns whether one was. */
bool assoc_invalidate(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid);
/* Invalidate every entry tagged asid; returns how many were valid. */
uint64_t assoc_flush_asid(struct assoc *a, uint32_t asid);
/* Invalidate everything. */
void assoc_flush_all(struct assoc *a);

#endif
