/*
 * adaptive_lists.h — the directory that ARC (arc.c) and CAR (car.c) share: two lists of
 * resident frames T1 and T2, two ghost lists B1 and B2 of keys of evicted pages, the target
 * size p of T1, and for every node the list it is on. Nodes are frames 0..c-1 and ghost slots
 * c..3c-1 (a preallocated pool of 2c keys), all linked through one pfnlist_links; each policy
 * decides which end of a list is its head. No allocation after adaptive_lists_init.
 */
#ifndef VMSIM_MODELS_POLICY_ADAPTIVE_LISTS_H
#define VMSIM_MODELS_POLICY_ADAPTIVE_LISTS_H

#include <stdint.h>

#include "models/policy/ghost.h"
#include "models/policy/pfnlist.h"

enum adaptive_list { AL_NONE, AL_T1, AL_T2, AL_B1, AL_B2 };

struct adaptive_lists {
	uint64_t c;                 /* frames */
	uint64_t p;                 /* target size of T1, in [0, c] */
	struct pfnlist_links links; /* frames 0..c-1, ghosts c..3c-1 */
	struct pfnlist t1, t2, b1, b2;
	struct ghost ghost; /* keys of B1 and B2 */
	uint8_t *where;     /* per node: enum adaptive_list */
	uint64_t *key;      /* per frame: the key of the resident page */
};

void adaptive_lists_init(struct adaptive_lists *l, uint64_t nr_frames);
void adaptive_lists_fini(struct adaptive_lists *l);
/* The list that where names (BUG on AL_NONE). */
struct pfnlist *adaptive_lists_list(struct adaptive_lists *l, uint8_t where);
/* Forget the ghost at the tail (the LRU end) of b, if any. */
void adaptive_lists_drop_ghost_lru(struct adaptive_lists *l, struct pfnlist *b);

#endif
