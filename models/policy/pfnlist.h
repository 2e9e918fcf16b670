/*
 * pfnlist.h — intrusive doubly linked lists of frames for list-based policies.
 *
 * A policy allocates one struct pfnlist_links (prev/next arrays indexed by pfn) and any number
 * of struct pfnlist heads; a frame is on at most one list of a given links object at a time.
 * All operations are O(1) and never allocate after pfnlist_links_init.
 */
#ifndef VMSIM_MODELS_POLICY_PFNLIST_H
#define VMSIM_MODELS_POLICY_PFNLIST_H

#include <stdint.h>

#include "models/policy/policy.h"
#include "sim/util.h"

struct pfnlist_links {
	pfn_t *prev; /* prev[pfn]: towards the head, PFN_NONE at the head */
	pfn_t *next; /* next[pfn]: towards the tail, PFN_NONE at the tail */
};

struct pfnlist {
	pfn_t head;   /* most recently pushed with pfnlist_push_head */
	pfn_t tail;   /* the oldest */
	uint64_t len; /* frames on the list */
};

void pfnlist_links_init(struct pfnlist_links *l, uint64_t nr_frames);
void pfnlist_links_fini(struct pfnlist_links *l);

static inline void pfnlist_init(struct pfnlist *h)
{
	h->head = h->tail = PFN_NONE;
	h->len = 0;
}

static inline void pfnlist_push_head(struct pfnlist_links *l, struct pfnlist *h, pfn_t pfn)
{
	l->prev[pfn] = PFN_NONE;
	l->next[pfn] = h->head;
	if (h->head != PFN_NONE)
		l->prev[h->head] = pfn;
	else
		h->tail = pfn;
	h->head = pfn;
	h->len++;
}

static inline void pfnlist_push_tail(struct pfnlist_links *l, struct pfnlist *h, pfn_t pfn)
{
	l->next[pfn] = PFN_NONE;
	l->prev[pfn] = h->tail;
	if (h->tail != PFN_NONE)
		l->next[h->tail] = pfn;
	else
		h->head = pfn;
	h->tail = pfn;
	h->len++;
}

static inline void pfnlist_del(struct pfnlist_links *l, struct pfnlist *h, pfn_t pfn)
{
	BUG_ON(h->len == 0, "pfnlist_del of frame %u from an empty list", pfn);
	pfn_t p = l->prev[pfn], n = l->next[pfn];
	if (p != PFN_NONE)
		l->next[p] = n;
	else
		h->head = n;
	if (n != PFN_NONE)
		l->prev[n] = p;
	else
		h->tail = p;
	h->len--;
}

/* Remove and return the tail (the oldest), or PFN_NONE when empty. */
static inline pfn_t pfnlist_pop_tail(struct pfnlist_links *l, struct pfnlist *h)
{
	pfn_t pfn = h->tail;
	if (pfn != PFN_NONE)
		pfnlist_del(l, h, pfn);
	return pfn;
}

/* Insert pfn just before pos (towards the head); pos must be on the list. */
static inline void pfnlist_insert_before(struct pfnlist_links *l, struct pfnlist *h, pfn_t pos,
                                         pfn_t pfn)
{
	pfn_t p = l->prev[pos];
	l->prev[pfn] = p;
	l->next[pfn] = pos;
	l->prev[pos] = pfn;
	if (p != PFN_NONE)
		l->next[p] = pfn;
	else
		h->head = pfn;
	h->len++;
}

/* Put fresh in old's place on the list (old leaves it): keeps a position across a change of
 * index, e.g. when a resident page becomes a ghost entry that keeps its recency. */
static inline void pfnlist_replace(struct pfnlist_links *l, struct pfnlist *h, pfn_t old,
                                   pfn_t fresh)
{
	pfn_t p = l->prev[old], n = l->next[old];
	l->prev[fresh] = p;
	l->next[fresh] = n;
	if (p != PFN_NONE)
		l->next[p] = fresh;
	else
		h->head = fresh;
	if (n != PFN_NONE)
		l->prev[n] = fresh;
	else
		h->tail = fresh;
}

/* The successor of pfn towards the tail, wrapping to the head: the list read as a clock. */
static inline pfn_t pfnlist_next_circular(const struct pfnlist_links *l, const struct pfnlist *h,
                                          pfn_t pfn)
{
	pfn_t n = l->next[pfn];
	return n != PFN_NONE ? n : h->head;
}

/* The predecessor of pfn towards the head, wrapping to the tail. */
static inline pfn_t pfnlist_prev_circular(const struct pfnlist_links *l, const struct pfnlist *h,
                                          pfn_t pfn)
{
	pfn_t p = l->prev[pfn];
	return p != PFN_NONE ? p : h->tail;
}

#endif
