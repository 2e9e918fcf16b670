/*
 * adaptive_lists.c — the T1/T2/B1/B2 directory shared by ARC and CAR (adaptive_lists.h).
 */
#include "models/policy/adaptive_lists.h"

#include <stdlib.h>

#include "sim/base/util.h"

void adaptive_lists_init(struct adaptive_lists *l, uint64_t nr_frames)
{
	l->c = nr_frames;
	l->p = 0;
	pfnlist_links_init(&l->links, 3 * l->c);
	pfnlist_init(&l->t1);
	pfnlist_init(&l->t2);
	pfnlist_init(&l->b1);
	pfnlist_init(&l->b2);
	ghost_init(&l->ghost, (pfn_t)l->c, 2 * l->c);
	l->where = xcalloc(3 * l->c + 1, sizeof(*l->where));
	l->key = xcalloc(l->c + 1, sizeof(*l->key));
}

void adaptive_lists_fini(struct adaptive_lists *l)
{
	pfnlist_links_fini(&l->links);
	ghost_fini(&l->ghost);
	free(l->where);
	free(l->key);
}

struct pfnlist *adaptive_lists_list(struct adaptive_lists *l, uint8_t where)
{
	switch (where) {
	case AL_T1:
		return &l->t1;
	case AL_T2:
		return &l->t2;
	case AL_B1:
		return &l->b1;
	case AL_B2:
		return &l->b2;
	}
	BUG_ON(1, "adaptive lists: node %u on no list", where);
	return NULL;
}

void adaptive_lists_drop_ghost_lru(struct adaptive_lists *l, struct pfnlist *b)
{
	pfn_t g = pfnlist_pop_tail(&l->links, b);
	if (g == PFN_NONE)
		return;
	l->where[g] = AL_NONE;
	ghost_free(&l->ghost, g);
}
