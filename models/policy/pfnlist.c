/*
 * pfnlist.c — allocation of the link arrays of struct pfnlist_links.
 */
#include "models/policy/pfnlist.h"

#include <stdlib.h>

void pfnlist_links_init(struct pfnlist_links *l, uint64_t nr_frames)
{
	l->prev = xmalloc(sizeof(pfn_t) * (nr_frames ? nr_frames : 1));
	l->next = xmalloc(sizeof(pfn_t) * (nr_frames ? nr_frames : 1));
	for (uint64_t i = 0; i < nr_frames; i++)
		l->prev[i] = l->next[i] = PFN_NONE;
}

void pfnlist_links_fini(struct pfnlist_links *l)
{
	free(l->prev);
	free(l->next);
	l->prev = l->next = NULL;
}
