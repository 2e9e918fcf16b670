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

/* Victim choice (unchanged from the entry-array version, so LRU behaviour is identical): the
 * entry for (key, asid) if present; else the invalid entry of the lowest way; else the valid
 * entry with the smallest stamp (stamps of valid entries are distinct). */
struct assoc_entry *assoc_insert(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid)
{
	if (!a->nr_sets)
		return NULL;
	uint64_t base = assoc_set_base(a, index);
	const uint64_t *k = a->key + base;
	const uint64_t *st = a->stamp + base;
	uint32_t victim = UINT32_MAX, n = a->ways;
	uint64_t oldest = UINT64_MAX;
	for (uint32_t w = 0; w < n; w++) {
		if (k[w] == key && a->asid[base + w] == asid) {
			victim = w;
			break;
		}
		if (!k[w]) {
			if (oldest) { /* the first invalid way beats every valid one */
				victim = w;
				oldest = 0;
			}
		} else if (oldest && st[w] < oldest) {
			victim = w;
			oldest = st[w];
		}
	}
	uint64_t i = base + victim;
	a->key[i] = key;
	a->asid[i] = asid;
	a->stamp[i] = ++a->clock;
	return &a->e[i];
}

bool assoc_invalidate(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid)
{
	if (!a->nr_sets)
		return false;
	uint64_t base = assoc_set_base(a, index);
	for (uint32_t w = 0; w < a->ways; w++) {
		if (a->key[base + w] == key && a->asid[base + w] == asid) {
			a->key[base + w] = 0;
			return true;
		}
	}
	return false;
}

uint64_t assoc_flush_asid(struct assoc *a, uint32_t asid)
{
	uint64_t n = 0, total = (uint64_t)a->nr_sets * a->ways;
	for (uint64_t i = 0; i < total; i++) {
		if (a->key[i] && a->asid[i] == asid) {
			a->key[i] = 0;
			n++;
		}
	}
	return n;
}

void assoc_flush_all(struct assoc *a)
{
	if (a->key)
		memset(a->key, 0, (size_t)a->nr_sets * a->ways * sizeof(*a->key));
}
