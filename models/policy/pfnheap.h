/*
 * pfnheap.h — an indexed binary min-heap of frames keyed by a uint64_t, for policies that
 * order pages by a number (OPT by next use, LFU by count). Ties break by the order in which
 * keys were set (an internal sequence), so results never depend on heap layout accidents.
 * O(log n) insert, update, remove and pop; no allocation after pfnheap_init.
 */
#ifndef VMSIM_MODELS_POLICY_PFNHEAP_H
#define VMSIM_MODELS_POLICY_PFNHEAP_H

#include <stdbool.h>
#include <stdint.h>

#include "models/policy/policy.h"

struct pfnheap {
	pfn_t *heap;   /* heap[i]: the frame at heap slot i */
	uint32_t *pos; /* pos[pfn]: its slot, UINT32_MAX when absent */
	uint64_t *key; /* key[pfn] */
	uint64_t *seq; /* seq[pfn]: when key was last set, the tie-break */
	uint64_t len;
	uint64_t next_seq;
};

void pfnheap_init(struct pfnheap *h, uint64_t nr_frames);
void pfnheap_fini(struct pfnheap *h);
bool pfnheap_contains(const struct pfnheap *h, pfn_t pfn);
/* Insert pfn with key, or change its key if present. */
void pfnheap_set(struct pfnheap *h, pfn_t pfn, uint64_t key);
void pfnheap_remove(struct pfnheap *h, pfn_t pfn);
/* Remove and return the frame with the smallest (key, seq), or PFN_NONE when empty. */
pfn_t pfnheap_pop_min(struct pfnheap *h);

#endif
