/*
 * pfnlist.c — allocation of the link arrays of struct pfnlist_links.
 */
#include "models/policy/pfnlist.h"

#include <stdlib.h>

void pfnlist_links_init(struct pfnlist_links *l, uint64_t nr_frames)
{
	l->node = xmalloc(sizeof(*l->node) * (nr_frames ? nr_frames : 1));
	for (uint64_t i = 0; i < nr_frames; i++)
		l->node[i].prev = l->node[i].next = PFN_NONE;
}

void pfnlist_links_fini(struct pfnlist_links *l)
{
	free(l->node);
	l->node = NULL;
}
