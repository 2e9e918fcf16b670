/*
 * pfnheap.c — the indexed binary min-heap of pfnheap.h.
 */
#include "models/policy/pfnheap.h"

#include <stdlib.h>

#include "sim/base/util.h"

#define POS_NONE UINT32_MAX

void pfnheap_init(struct pfnheap *h, uint64_t nr_frames)
{
	uint64_t n = nr_frames ? nr_frames : 1;
	h->heap = xmalloc(sizeof(*h->heap) * n);
	h->pos = xmalloc(sizeof(*h->pos) * n);
	h->key = xcalloc(n, sizeof(*h->key));
	h->seq = xcalloc(n, sizeof(*h->seq));
	for (uint64_t i = 0; i < n; i++)
		h->pos[i] = POS_NONE;
	h->len = 0;
	h->next_seq = 0;
}

void pfnheap_fini(struct pfnheap *h)
{
	free(h->heap);
	free(h->pos);
	free(h->key);
	free(h->seq);
}

bool pfnheap_contains(const struct pfnheap *h, pfn_t pfn)
{
	return h->pos[pfn] != POS_NONE;
}

static bool less(const struct pfnheap *h, pfn_t a, pfn_t b)
{
	if (h->key[a] != h->key[b])
		return h->key[a] < h->key[b];
	return h->seq[a] < h->seq[b];
}

static void place(struct pfnheap *h, uint64_t i, pfn_t pfn)
{
	h->heap[i] = pfn;
	h->pos[pfn] = (uint32_t)i;
}

static void sift_up(struct pfnheap *h, uint64_t i)
{
	pfn_t pfn = h->heap[i];
	while (i > 0) {
		uint64_t parent = (i - 1) / 2;
		if (!less(h, pfn, h->heap[parent]))
			break;
		place(h, i, h->heap[parent]);
		i = parent;
	}
	place(h, i, pfn);
}

static void sift_down(struct pfnheap *h, uint64_t i)
{
	pfn_t pfn = h->heap[i];
	for (;;) {
		uint64_t l = 2 * i + 1, r = l + 1, m = i;
		pfn_t best = pfn;
		if (l < h->len && less(h, h->heap[l], best)) {
			m = l;
			best = h->heap[l];
		}
		if (r < h->len && less(h, h->heap[r], best))
			m = r;
		if (m == i)
			break;
		place(h, i, h->heap[m]);
		i = m;
	}
	place(h, i, pfn);
}

void pfnheap_set(struct pfnheap *h, pfn_t pfn, uint64_t key)
{
	h->key[pfn] = key;
	h->seq[pfn] = h->next_seq++;
	if (h->pos[pfn] == POS_NONE) {
		place(h, h->len++, pfn);
		sift_up(h, h->len - 1);
	} else {
		sift_up(h, h->pos[pfn]);
		sift_down(h, h->pos[pfn]);
	}
}

void pfnheap_remove(struct pfnheap *h, pfn_t pfn)
{
	uint32_t i = h->pos[pfn];
	BUG_ON(i == POS_NONE, "pfnheap_remove of absent frame %u", pfn);
	h->pos[pfn] = POS_NONE;
	h->len--;
	if (i == h->len)
		return;
	pfn_t moved = h->heap[h->len];
	place(h, i, moved);
	sift_up(h, i);
	sift_down(h, h->pos[moved]);
}

pfn_t pfnheap_pop_min(struct pfnheap *h)
{
	if (!h->len)
		return PFN_NONE;
	pfn_t pfn = h->heap[0];
	pfnheap_remove(h, pfn);
	return pfn;
}
