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
	a->e = xcalloc(entries, sizeof(*a->e));
}

void assoc_fini(struct assoc *a)
{
	free(a->e);
	memset(a, 0, sizeof(*a));
}

struct assoc_entry *assoc_insert(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid)
{
	if (!a->nr_sets)
		return NULL;
	struct assoc_entry *s = assoc_set_of(a, index), *victim = NULL;
	for (uint32_t w = 0; w < a->ways; w++) {
		if (s[w].key == key && s[w].asid == asid) {
			victim = &s[w];
			break;
		}
		if (!s[w].key) {
			if (!victim || victim->key)
				victim = &s[w];
		} else if (!victim || (victim->key && s[w].stamp < victim->stamp)) {
			victim = &s[w];
		}
	}
	victim->key = key;
	victim->asid = asid;
	victim->stamp = ++a->clock;
	return victim;
}

bool assoc_invalidate(struct assoc *a, uint64_t index, uint64_t key, uint32_t asid)
{
	if (!a->nr_sets)
		return false;
	struct assoc_entry *s = assoc_set_of(a, index);
	for (uint32_t w = 0; w < a->ways; w++) {
		if (s[w].key == key && s[w].asid == asid) {
			s[w].key = 0;
			return true;
		}
	}
	return false;
}

uint64_t assoc_flush_asid(struct assoc *a, uint32_t asid)
{
	uint64_t n = 0, total = (uint64_t)a->nr_sets * a->ways;
	for (uint64_t i = 0; i < total; i++) {
		if (a->e[i].key && a->e[i].asid == asid) {
			a->e[i].key = 0;
			n++;
		}
	}
	return n;
}

void assoc_flush_all(struct assoc *a)
{
	if (a->e)
		memset(a->e, 0, (size_t)a->nr_sets * a->ways * sizeof(*a->e));
}
