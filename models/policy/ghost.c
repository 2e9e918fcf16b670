/*
 * ghost.c — the key -> ghost node pool of ghost.h.
 */
#include "models/policy/ghost.h"

#include <stdlib.h>

#include "sim/base/util.h"

#define OFF_NONE UINT32_MAX

void ghost_init(struct ghost *g, pfn_t base, uint64_t cap)
{
	BUG_ON(cap >= UINT32_MAX / 4 || (uint64_t)base + cap >= PFN_NONE, "ghost pool too large");
	uint64_t slots = 4;
	while (slots < 2 * cap + 2)
		slots <<= 1;
	g->base = base;
	g->cap = (uint32_t)cap;
	g->used = 0;
	g->key = xcalloc(cap ? cap : 1, sizeof(*g->key));
	g->free = xmalloc(sizeof(*g->free) * (cap ? cap : 1));
	/* Popped from the end: node base is handed out first. */
	for (uint32_t i = 0; i < cap; i++)
		g->free[i] = (uint32_t)cap - 1 - i;
	g->nr_free = (uint32_t)cap;
	/* looked up at random: 2 MiB host pages when it is large (xcalloc_big) */
	g->slot = xcalloc_big(slots, sizeof(*g->slot));
	for (uint64_t i = 0; i < slots; i++)
		g->slot[i] = (struct ghost_slot){.key = 0, .off = OFF_NONE};
	g->mask = slots - 1;
}

void ghost_fini(struct ghost *g)
{
	free(g->key);
	free(g->free);
	xfree_big(g->slot, g->mask + 1, sizeof(*g->slot));
}

static uint64_t slot_find(const struct ghost *g, uint64_t key)
{
	uint64_t i = mix64(key) & g->mask;
	while (g->slot[i].off != OFF_NONE && g->slot[i].key != key)
		i = (i + 1) & g->mask;
	return i;
}

pfn_t ghost_find(const struct ghost *g, uint64_t key)
{
	uint64_t i = slot_find(g, key);
	return g->slot[i].off == OFF_NONE ? PFN_NONE : g->base + g->slot[i].off;
}

pfn_t ghost_alloc(struct ghost *g, uint64_t key)
{
	BUG_ON(g->nr_free == 0, "ghost pool of %u entries is full", g->cap);
	uint64_t i = slot_find(g, key);
	BUG_ON(g->slot[i].off != OFF_NONE, "key %llu already has a ghost", (unsigned long long)key);
	uint32_t off = g->free[--g->nr_free];
	g->key[off] = key;
	g->slot[i].key = key;
	g->slot[i].off = off;
	g->used++;
	return g->base + off;
}

void ghost_free(struct ghost *g, pfn_t node)
{
	BUG_ON(node < g->base || node - g->base >= g->cap, "ghost_free of non-ghost node %u", node);
	ghost_free_key(g, node, g->key[node - g->base]);
}

void ghost_free_key(struct ghost *g, pfn_t node, uint64_t key)
{
	BUG_ON(node < g->base || node - g->base >= g->cap, "ghost_free of non-ghost node %u", node);
	uint32_t off = node - g->base;
	uint64_t i = slot_find(g, key);
	BUG_ON(g->slot[i].off != off, "ghost node %u not in its hash slot", node);
	/* Backward-shift deletion: pull later members of the probe run into the hole. */
	uint64_t hole = i, j = i;
	for (;;) {
		j = (j + 1) & g->mask;
		if (g->slot[j].off == OFF_NONE)
			break;
		uint64_t home = mix64(g->slot[j].key) & g->mask;
		/* j may move into hole iff home is not cyclically in (hole, j]. */
		bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
		if (stays)
			continue;
		g->slot[hole].key = g->slot[j].key;
		g->slot[hole].off = g->slot[j].off;
		hole = j;
	}
	g->slot[hole].off = OFF_NONE;
	g->free[g->nr_free++] = off;
	g->used--;
}
