/*
 * assoc.c — set-associative LRU tag store (see assoc.h).
 */
#include "models/hw/assoc.h"

#include <stdlib.h>
#include <string.h>

void assoc_init(struct assoc *a, uint32_t entries, uint32_t ways)
{
	memset(a, 0, sizeof(*a));
	if (!entries)
		return;
	BUG_ON(!ways || entries % ways, "assoc: %u entries, %u ways", entries, ways);
	a->ways = ways;
	a->nr_sets = entries / ways;
	a->pow2 = (a->nr_sets & (a->nr_sets - 1)) == 0;
	a->set_mask = a->nr_sets - 1;
	a->key = xcalloc(entries, sizeof(*a->key));
	a->asid = xcalloc(entries, sizeof(*a->asid));
	a->stamp = xcalloc(entries, sizeof(*a->stamp));
	a->e = xcalloc(entries, sizeof(*a->e));
}

void assoc_fini(struct assoc *a)
{
	free(a->key);
	free(a->asid);
	free(a->stamp);
	free(a->e);
	memset(a, 0, sizeof(*a));
}

int assoc_scan_after(const struct assoc *a, uint64_t base, uint64_t key, uint32_t asid, uint32_t w)
{
	for (w++; w < a->ways; w++)
		if (a->key[base + w] == key && a->asid[base + w] == asid)
			return (int)w;
	return -1;
}

/* Victim choice: the entry for (key, asid) if present; else the invalid entry of the lowest
 * way; else the valid entry with the smallest stamp (assoc_victim). */
struct assoc_entry *assoc_insert(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid)
{
	if (!a->nr_sets)
		return NULL;
	uint64_t base = assoc_set_base(a, index);
	int w = assoc_scan(a, base, key, asid);
	uint64_t i = base + (w >= 0 ? (uint32_t)w : assoc_victim(a, base));
	return assoc_install(a, i, key, asid);
}

bool assoc_invalidate(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid)
{
	if (!a->nr_sets)
		return false;
	uint64_t base = assoc_set_base(a, index);
	int w = assoc_scan(a, base, key, asid);
	if (w < 0)
		return false;
	a->key[base + (uint32_t)w] = 0;
	a->stamp[base + (uint32_t)w] = 0;
	return true;
}

uint64_t assoc_flush_asid(struct assoc *a, uint32_t asid)
{
	uint64_t n = 0, total = (uint64_t)a->nr_sets * a->ways;
	for (uint64_t i = 0; i < total; i++) {
		if (a->key[i] && a->asid[i] == asid) {
			a->key[i] = 0;
			a->stamp[i] = 0;
			n++;
		}
	}
	return n;
}

void assoc_flush_all(struct assoc *a)
{
	if (!a->key)
		return;
	memset(a->key, 0, (size_t)a->nr_sets * a->ways * sizeof(*a->key));
	memset(a->stamp, 0, (size_t)a->nr_sets * a->ways * sizeof(*a->stamp));
}
