/*
 * pfnlist.h — intrusive doubly linked lists of frames for list-based policies.
 *
 * A policy allocates one struct pfnlist_links (a prev/next node per pfn) and any number
 * of struct pfnlist heads; a frame is on at most one list of a given links object at a time.
 * All operations are O(1) and never allocate after pfnlist_links_init.
 */
#ifndef VMSIM_MODELS_POLICY_PFNLIST_H
#define VMSIM_MODELS_POLICY_PFNLIST_H

#include <stdint.h>

#include "models/policy/policy.h"
#include "sim/base/util.h"

/* The two links of one frame side by side: unlinking a frame touches one host cache line
 * for it (and one for each neighbour), where two arrays took two. */
struct pfnlist_node {
	pfn_t prev; /* towards the head, PFN_NONE at the head */
	pfn_t next; /* towards the tail, PFN_NONE at the tail */
};

struct pfnlist_links {
	struct pfnlist_node *node; /* node[pfn] */
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
	l->node[pfn].prev = PFN_NONE;
	l->node[pfn].next = h->head;
	if (h->head != PFN_NONE)
		l->node[h->head].prev = pfn;
	else
		h->tail = pfn;
	h->head = pfn;
	h->len++;
}

static inline void pfnlist_push_tail(struct pfnlist_links *l, struct pfnlist *h, pfn_t pfn)
{
	l->node[pfn].next = PFN_NONE;
	l->node[pfn].prev = h->tail;
	if (h->tail != PFN_NONE)
		l->node[h->tail].next = pfn;
	else
		h->head = pfn;
	h->tail = pfn;
	h->len++;
}

static inline void pfnlist_del(struct pfnlist_links *l, struct pfnlist *h, pfn_t pfn)
{
	BUG_ON(h->len == 0, "pfnlist_del of frame %u from an empty list", pfn);
	pfn_t p = l->node[pfn].prev, n = l->node[pfn].next;
	if (p != PFN_NONE)
		l->node[p].next = n;
	else
		h->head = n;
	if (n != PFN_NONE)
		l->node[n].prev = p;
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
	pfn_t p = l->node[pos].prev;
	l->node[pfn].prev = p;
	l->node[pfn].next = pos;
	l->node[pos].prev = pfn;
	if (p != PFN_NONE)
		l->node[p].next = pfn;
	else
		h->head = pfn;
	h->len++;
}

/* Put fresh in old's place on the list (old leaves it): keeps a position across a change of
 * index, e.g. when a resident page becomes a ghost entry that keeps its recency. */
static inline void pfnlist_replace(struct pfnlist_links *l, struct pfnlist *h, pfn_t old,
                                   pfn_t fresh)
{
	pfn_t p = l->node[old].prev, n = l->node[old].next;
	l->node[fresh].prev = p;
	l->node[fresh].next = n;
	if (p != PFN_NONE)
		l->node[p].next = fresh;
	else
		h->head = fresh;
	if (n != PFN_NONE)
		l->node[n].prev = fresh;
	else
		h->tail = fresh;
}

/* The successor of pfn towards the tail, wrapping to the head: the list read as a clock. */
static inline pfn_t pfnlist_next_circular(const struct pfnlist_links *l, const struct pfnlist *h,
                                          pfn_t pfn)
{
	pfn_t n = l->node[pfn].next;
	return n != PFN_NONE ? n : h->head;
}

/* The predecessor of pfn towards the head, wrapping to the tail. */
static inline pfn_t pfnlist_prev_circular(const struct pfnlist_links *l, const struct pfnlist *h,
                                          pfn_t pfn)
{
	pfn_t p = l->node[pfn].prev;
	return p != PFN_NONE ? p : h->tail;
}

/* Up to max frames of the list from the tail towards the head (the tail first) into out;
 * returns how many. For policies' peek hints. */
static inline unsigned pfnlist_peek_tail(const struct pfnlist_links *l, const struct pfnlist *h,
                                         pfn_t *out, unsigned max)
{
	unsigned n = 0;
	pfn_t p = h->tail;
	for (; p != PFN_NONE && n < max; p = l->node[p].prev)
		out[n++] = p;
	/* The next peek, one eviction later, reads one node further: start its host cache miss
	 * now, so that a walk of the list costs no miss. */
	if (p != PFN_NONE)
		__builtin_prefetch(&l->node[p], 0, 3);
	return n;
}

/* Up to max frames of the list read as a clock from pfn on (pfn first), each at most once,
 * into out; returns how many. For policies' peek hints. */
static inline unsigned pfnlist_peek_circular(const struct pfnlist_links *l, const struct pfnlist *h,
                                             pfn_t pfn, pfn_t *out, unsigned max)
{
	unsigned n = 0;
	if (pfn == PFN_NONE)
		return 0;
	for (uint64_t len = h->len; n < max && n < len; pfn = pfnlist_next_circular(l, h, pfn))
		out[n++] = pfn;
	__builtin_prefetch(&l->node[pfn], 0, 3); /* as in pfnlist_peek_tail */
	return n;
}

/* Prefetch pfn's node into the host's cache (a policy's prefetch hint). */
static inline void pfnlist_prefetch(const struct pfnlist_links *l, pfn_t pfn)
{
	__builtin_prefetch(&l->node[pfn], 1, 3);
}

#endif
