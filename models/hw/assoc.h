/*
 * assoc.h — a set-associative tag store with true LRU within each set: the storage behind the
 * TLB levels and the page-walk caches.
 *
 * Models: `ways` entries per set, nr_sets = entries / ways sets; the set of a lookup is chosen
 * by the low bits of an index (the virtual page number at the entry's granularity), modulo
 * nr_sets when nr_sets is not a power of two; fully associative when ways == entries. LRU is a
 * per-array use counter stamped on every hit and fill: the victim is the invalid entry of the
 * lowest way, else the entry with the oldest stamp (exact LRU, deterministic).
 * Invariant: an entry is invalid (key 0) exactly when its stamp is 0 (valid stamps are the
 * distinct counter values >= 1), so the victim is simply the lowest way of smallest stamp.
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

#include "sim/base/util.h"

/* The caller's payload of one entry. Tags (key, asid) and LRU stamps live in separate arrays
 * of struct assoc, so that a lookup scans the keys of a set contiguously (8 bytes a way: a
 * 12-way set is 96 bytes, where whole entries were 384) and touches the rest only on a hit. */
struct assoc_entry {
	uint64_t pfn;   /* payload: frame number (TLB) */
	uint16_t flags; /* payload: caller's flag bits */
	uint16_t shift; /* payload: page size shift (TLB) */
};

struct assoc {
	uint64_t *key;   /* nr_sets * ways tags, set-major; 0: invalid */
	uint32_t *asid;  /* address-space tag of each entry */
	uint64_t *stamp; /* value of the use counter at the entry's last hit or fill; 0: invalid */
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

/*
 * Scans of one set, k pointing at its first way. The _n forms are written for a compile-time
 * way count: the dispatchers below call them with the usual associativities as constants, so
 * the compiler unrolls them completely (a compare and a rarely taken branch a way, no loop),
 * and with the array's count for any other.
 */

/* The lowest way whose key equals key, or -1. */
static inline int assoc_key_find_n(const uint64_t *k, uint32_t n, uint64_t key)
{
	for (uint32_t w = 0; w < n; w++)
		if (unlikely(k[w] == key))
			return (int)w;
	return -1;
}

static inline int assoc_key_find(const uint64_t *k, uint32_t ways, uint64_t key)
{
	switch (ways) {
	case 4:
		return assoc_key_find_n(k, 4, key);
	case 8:
		return assoc_key_find_n(k, 8, key);
	case 12:
		return assoc_key_find_n(k, 12, key);
	case 16:
		return assoc_key_find_n(k, 16, key);
	default:
		return assoc_key_find_n(k, ways, key);
	}
}

/* The lowest way of smallest stamp (see assoc_victim). */
static inline uint32_t assoc_min_stamp_n(const uint64_t *st, uint32_t n)
{
	uint32_t victim = 0;
	uint64_t oldest = st[0];
	for (uint32_t w = 1; w < n; w++) {
		uint64_t s = st[w];
		victim = s < oldest ? w : victim;
		oldest = s < oldest ? s : oldest;
	}
	return victim;
}

/* assoc_min_stamp_n for 4 ways as a tournament (two independent pairs, then their winners; a
 * later way wins only with a strictly smaller stamp): fewer instructions and a shorter
 * dependency chain than the linear scan. */
static inline uint32_t assoc_min_stamp_4(const uint64_t *st)
{
	uint64_t s0 = st[0], s1 = st[1], s2 = st[2], s3 = st[3];
	uint32_t a = s1 < s0, b = 2u + (s3 < s2);
	uint64_t ma = s1 < s0 ? s1 : s0, mb = s3 < s2 ? s3 : s2;
	return mb < ma ? b : a;
}

/* Rest of assoc_scan after a key match at way w whose asid differs (cold). */
int assoc_scan_after(const struct assoc *a, uint64_t base, uint64_t key, uint32_t asid, uint32_t w);

/* The way of the set starting at base that holds (key, asid), or -1. The asid is read only on
 * a key match. At most one entry of an array matches (key, asid). */
static inline int assoc_scan(const struct assoc *a, uint64_t base, uint64_t key, uint32_t asid)
{
	int w = assoc_key_find(a->key + base, a->ways, key);
	if (w < 0 || likely(a->asid[base + (uint32_t)w] == asid))
		return w;
	return assoc_scan_after(a, base, key, asid, (uint32_t)w);
}

/* Touch entry i (base + way) as most recently used; returns its payload. */
static inline struct assoc_entry *assoc_touch(struct assoc *a, uint64_t i)
{
	a->stamp[i] = ++a->clock;
	return &a->e[i];
}

/*
 * The LRU victim of the set starting at base: the invalid entry of the lowest way, else the
 * entry with the oldest stamp. Since an invalid entry has stamp 0 and valid ones have distinct
 * stamps >= 1, this is the lowest way among those with the smallest stamp: one scan of the
 * stamps with a strict compare, no key reads.
 */
static inline uint32_t assoc_victim(const struct assoc *a, uint64_t base)
{
	const uint64_t *st = a->stamp + base;
	switch (a->ways) {
	case 4:
		return assoc_min_stamp_4(st);
	case 8:
		return assoc_min_stamp_n(st, 8);
	case 12:
		return assoc_min_stamp_n(st, 12);
	case 16:
		return assoc_min_stamp_n(st, 16);
	default:
		return assoc_min_stamp_n(st, a->ways);
	}
}

/* assoc_scan that also names, on a miss, the set's LRU victim (assoc_victim) in *victim: for a
 * probe whose miss is followed by a fill of the same set (a TLB's first level, copied into
 * after a hit below), with one dispatch on the way count for both scans. The victim is that of
 * the set as it is now, valid until the set changes. *victim is unset on a hit. */
static inline int assoc_scan_victim(const struct assoc *a, uint64_t base, uint64_t key,
                                    uint32_t asid, uint32_t *victim)
{
	const uint64_t *k = a->key + base, *st = a->stamp + base;
	int w;
	switch (a->ways) {
	case 4:
		w = assoc_key_find_n(k, 4, key);
		if (w < 0) {
			*victim = assoc_min_stamp_4(st);
			return -1;
		}
		break;
	case 8:
		w = assoc_key_find_n(k, 8, key);
		if (w < 0) {
			*victim = assoc_min_stamp_n(st, 8);
			return -1;
		}
		break;
	default:
		w = assoc_key_find(k, a->ways, key);
		if (w < 0) {
			*victim = assoc_victim(a, base);
			return -1;
		}
		break;
	}
	if (likely(a->asid[base + (uint32_t)w] == asid))
		return w;
	w = assoc_scan_after(a, base, key, asid, (uint32_t)w);
	if (w < 0)
		*victim = assoc_victim(a, base);
	return w;
}

/* Make entry i hold (key, asid) as most recently used; returns its payload. */
static inline struct assoc_entry *assoc_install(struct assoc *a, uint64_t i, uint64_t key,
                                                uint32_t asid)
{
	a->key[i] = key;
	a->asid[i] = asid;
	a->stamp[i] = ++a->clock;
	return &a->e[i];
}

/* The entry matching (key, asid) in the set chosen by index, touched as most recently used;
 * NULL on a miss (or if the array is absent). */
static inline struct assoc_entry *assoc_find(struct assoc *a, uint64_t index, uint64_t key,
                                             uint32_t asid)
{
	if (unlikely(!a->nr_sets))
		return NULL;
	uint64_t base = assoc_set_base(a, index);
	int w = assoc_scan(a, base, key, asid);
	return w < 0 ? NULL : assoc_touch(a, base + (uint32_t)w);
}

/*
 * The entry for (key, asid) after a fill: the existing one if present, else the LRU victim of
 * the set (its old contents are overwritten); either way it becomes most recently used, with
 * key and asid set. The caller writes the payload (an existing entry keeps its old payload
 * until then). NULL if the array is absent.
 */
struct assoc_entry *assoc_insert(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid);

/*
 * assoc_insert for a (key, asid) the caller knows is absent from the set starting at base
 * (assoc_set_base; it has just missed there): the LRU victim without comparing keys. The
 * copy-up of a TLB hit into the levels that missed uses it, with the base of their probe.
 */
static inline struct assoc_entry *assoc_insert_absent_at(struct assoc *a, uint64_t base,
                                                         uint64_t key, uint32_t asid)
{
	return assoc_install(a, base + assoc_victim(a, base), key, asid);
}

/* assoc_insert_absent_at by index; NULL if the array is absent. */
static inline struct assoc_entry *assoc_insert_absent(struct assoc *a, uint64_t index, uint64_t key,
                                                      uint32_t asid)
{
	if (unlikely(!a->nr_sets))
		return NULL;
	return assoc_insert_absent_at(a, assoc_set_base(a, index), key, asid);
}

/* Invalidate the entry for (key, asid) if present; returns whether one was. */
bool assoc_invalidate(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid);
/* Invalidate every entry tagged asid; returns how many were valid. */
uint64_t assoc_flush_asid(struct assoc *a, uint32_t asid);
/* Invalidate everything. */
void assoc_flush_all(struct assoc *a);

#endif
