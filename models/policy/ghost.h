/*
 * ghost.h — identities (keys) of pages that are no longer resident, for the policies that
 * remember them: ARC's and CAR's B1/B2, 2Q's A1out, S3-FIFO's ghost FIFO, the non-resident
 * HIR blocks of LIRS's stack and CLOCK-Pro's non-resident cold pages.
 *
 * A ghost entry is a node numbered base .. base + cap - 1, so that it can sit on the same
 * intrusive pfnlist as resident frames (numbered 0 .. base - 1): the policy sizes its
 * struct pfnlist_links for base + cap nodes and keeps its ghost lists (or its mixed lists) there.
 * The pool maps key -> node with an open-addressed hash table (linear probing, backward-shift
 * deletion) of at least twice cap slots. Everything is preallocated at ghost_init: find, alloc
 * and free are O(1) expected and never allocate. Keys are arbitrary uint64_t (hashed by mix64).
 */
#ifndef VMSIM_MODELS_POLICY_GHOST_H
#define VMSIM_MODELS_POLICY_GHOST_H

#include <stdbool.h>
#include <stdint.h>

#include "models/policy/policy.h"
#include "sim/base/util.h"

/* One hash slot: key and node offset side by side, one host cache line per probe. */
struct ghost_slot {
	uint64_t key;
	uint32_t off; /* node offset, UINT32_MAX when empty */
};

struct ghost {
	pfn_t base;     /* the first ghost node number */
	uint32_t cap;   /* ghost nodes available */
	uint32_t used;  /* ghost nodes allocated */
	uint64_t *key;  /* key[node - base] */
	uint32_t *free; /* stack of free node offsets, nr_free of them */
	uint32_t nr_free;
	struct ghost_slot *slot; /* the hash table (linear probing) */
	uint64_t mask;           /* hash slots - 1 (a power of two minus one) */
};

/* Prepare cap ghost nodes numbered from base (cap may be 0: every find misses). */
void ghost_init(struct ghost *g, pfn_t base, uint64_t cap);
void ghost_fini(struct ghost *g);
/* The ghost node holding key, or PFN_NONE. */
pfn_t ghost_find(const struct ghost *g, uint64_t key);
/* A new node for key; the pool must not be full and key must not be present (BUG_ON). */
pfn_t ghost_alloc(struct ghost *g, uint64_t key);
/* Forget the ghost node (the caller has taken it off its lists). */
void ghost_free(struct ghost *g, pfn_t node);
/* The same for a node whose key the caller knows (saves reading it back): key must be the
 * node's key (BUG_ON when the hash slot of key is not the node's). */
void ghost_free_key(struct ghost *g, pfn_t node, uint64_t key);

/* Prefetch the hash slot where a lookup of key starts (a policy's prefetch hint). */
static inline void ghost_prefetch(const struct ghost *g, uint64_t key)
{
	__builtin_prefetch(&g->slot[mix64(key) & g->mask], 0, 3);
}

/* Prefetch what ghost_free of the node with key will read in the hash table: the slot where
 * the lookup starts and, when the probe run may continue on the next host cache line, that line
 * too (backward-shift deletion reads the slot after the node's). Always inlined: GCC takes a
 * function that only prefetches for one without side effects, and may delete its calls when
 * it is not inlined early enough. */
__attribute__((always_inline)) static inline void ghost_prefetch_free(const struct ghost *g,
                                                                      uint64_t key)
{
	uint64_t i = mix64(key) & g->mask;
	__builtin_prefetch(&g->slot[i], 0, 3);
	if ((i & (64 / sizeof(*g->slot) - 1)) == 64 / sizeof(*g->slot) - 1)
		__builtin_prefetch(&g->slot[(i + 1) & g->mask], 0, 3);
}

/* Prefetch the stored key of a ghost node (ghost_free reads it to find the node's slot). */
static inline void ghost_prefetch_node_key(const struct ghost *g, pfn_t node)
{
	__builtin_prefetch(&g->key[node - g->base], 0, 3);
}

static inline bool ghost_is_ghost(const struct ghost *g, pfn_t node)
{
	return node >= g->base;
}

static inline uint64_t ghost_key(const struct ghost *g, pfn_t node)
{
	return g->key[node - g->base];
}

static inline bool ghost_full(const struct ghost *g)
{
	return g->used == g->cap;
}

#endif
