/*
 * pgtable.c — the radix page table of pgtable.h.
 */
#include "models/vm/pgtable.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/util.h"

#define ARENA_CHUNK_BYTES ((size_t)2 << 20)
/* A table's slot in an arena chunk: whole cache lines. */
#define ARENA_SLOT_BYTES ((sizeof(struct pt_table) + 63) & ~(size_t)63)
#define ARENA_SLOTS (ARENA_CHUNK_BYTES / ARENA_SLOT_BYTES)

void pt_arena_init(struct pt_arena *a)
{
	memset(a, 0, sizeof(*a));
}

void pt_arena_fini(struct pt_arena *a)
{
	for (size_t i = 0; i < a->nr_chunks; i++)
		xfree_big(a->chunks[i], 1, ARENA_CHUNK_BYTES);
	free(a->chunks);
	memset(a, 0, sizeof(*a));
}

/* A zeroed table from the arena. */
static struct pt_table *arena_alloc(struct pt_arena *a)
{
	struct pt_table *t = a->free;
	if (t) {
		a->free = t->child[0];
		memset(t, 0, sizeof(*t));
		return t;
	}
	if (!a->nr_chunks || a->used_in_last == ARENA_SLOTS) {
		if (a->nr_chunks == a->cap_chunks) {
			a->cap_chunks = a->cap_chunks ? 2 * a->cap_chunks : 8;
			a->chunks = xrealloc(a->chunks, a->cap_chunks * sizeof(*a->chunks));
		}
		a->chunks[a->nr_chunks++] = xcalloc_big(1, ARENA_CHUNK_BYTES); /* zero */
		a->used_in_last = 0;
	}
	return (struct pt_table *)(a->chunks[a->nr_chunks - 1] +
	                           a->used_in_last++ * ARENA_SLOT_BYTES);
}

static struct pt_table *table_new(struct pgtable *pt)
{
	struct pt_table *t = pt->arena ? arena_alloc(pt->arena) : xcalloc(1, sizeof(*t));
	t->paddr = pt->alloc_paddr ? pt->alloc_paddr(pt->alloc_ctx) : 0;
	pt->nr_tables++;
	return t;
}

void pgtable_init(struct pgtable *pt, int levels, pgtable_alloc_paddr_fn alloc_paddr,
                  pgtable_free_paddr_fn free_paddr, void *ctx, struct pt_arena *arena)
{
	pt->arena = arena;
	pt->free_paddr = free_paddr;
	BUG_ON(levels != 4 && levels != 5, "page table of %d levels", levels);
	pt->levels = levels;
	pt->nr_tables = 0;
	pt->alloc_paddr = alloc_paddr;
	pt->alloc_ctx = ctx;
	memset(pt->tc_tag, 0, sizeof(pt->tc_tag));
	memset(pt->tc_leaf, 0, sizeof(pt->tc_leaf));
	pt->root = table_new(pt);
}

static void table_free(struct pgtable *pt, struct pt_table *t)
{
	if (pt->free_paddr)
		pt->free_paddr(pt->alloc_ctx, t->paddr);
	if (pt->arena) {
		t->child[0] = pt->arena->free;
		pt->arena->free = t;
	} else {
		free(t);
	}
}

static void free_table(struct pgtable *pt, struct pt_table *t, int level)
{
	if (level > 0)
		for (int i = 0; i < PT_ENTRIES; i++)
			if (t->child[i] && !(level == 1 && (t->pte[i] & PTE_PRESENT)))
				free_table(pt, t->child[i], level - 1);
	table_free(pt, t);
}

void pgtable_fini(struct pgtable *pt)
{
	if (pt->root)
		free_table(pt, pt->root, pt->levels - 1);
	pt->root = NULL;
	pt->nr_tables = 0;
	memset(pt->tc_leaf, 0, sizeof(pt->tc_leaf));
}

static inline unsigned index_at(uint64_t vaddr, int level)
{
	return (unsigned)((vaddr >> (PTE_SHIFT + PT_BITS * level)) & (PT_ENTRIES - 1));
}

pte_t *pgtable_alloc_pte(struct pgtable *pt, uint64_t vaddr)
{
	struct pt_table *t = pt->root;
	for (int level = pt->levels - 1; level > 0; level--) {
		unsigned i = index_at(vaddr, level);
		BUG_ON(level == 1 && (t->pte[i] & PTE_PRESENT),
		       "PTE wanted inside a huge leaf at %llx", (unsigned long long)vaddr);
		if (!t->child[i]) {
			t->child[i] = table_new(pt);
			t->nr_used++;
		}
		t = t->child[i];
	}
	return &t->pte[index_at(vaddr, 0)];
}

pte_t *pgtable_alloc_pmd(struct pgtable *pt, uint64_t vaddr)
{
	struct pt_table *t = pt->root;
	for (int level = pt->levels - 1; level > 1; level--) {
		unsigned i = index_at(vaddr, level);
		if (!t->child[i]) {
			t->child[i] = table_new(pt);
			t->nr_used++;
		}
		t = t->child[i];
	}
	return &t->pte[index_at(vaddr, 1)];
}

bool pgtable_has_pte_table(const struct pgtable *pt, uint64_t vaddr)
{
	const struct pt_table *t = pt->root;
	for (int level = pt->levels - 1; level > 0; level--) {
		unsigned i = index_at(vaddr, level);
		if (level == 1 && (t->pte[i] & PTE_PRESENT))
			return false;
		t = t->child[i];
		if (!t)
			return false;
	}
	return true;
}

void pgtable_set(struct pgtable *pt, uint64_t vaddr, pte_t *ptep, pte_t val)
{
	if ((*ptep == 0) != (val == 0)) {
		/* The table holding ptep: the one the last such change was in (a zap or a run of
		 * faults stays in one table for a while), else found again by a lookup. It is a
		 * leaf table, or the PMD table for a huge leaf. */
		struct pt_table *t = pt->tc_leaf[PGTABLE_TC_SET];
		if (!t || (uintptr_t)ptep - (uintptr_t)t->pte >= sizeof(t->pte)) {
			t = pt->root;
			int level;
			for (level = pt->levels - 1; level > 0; level--) {
				if (level == 1 && &t->pte[index_at(vaddr, 1)] == ptep)
					break;
				t = t->child[index_at(vaddr, level)];
			}
			BUG_ON(&t->pte[index_at(vaddr, level)] != ptep,
			       "pgtable_set: PTE not of vaddr");
			if (level == 0) {
				pt->tc_tag[PGTABLE_TC_SET] = vaddr >> (PTE_SHIFT + PT_BITS);
				pt->tc_leaf[PGTABLE_TC_SET] = t;
			}
		} else {
			BUG_ON(&t->pte[index_at(vaddr, 0)] != ptep,
			       "pgtable_set: PTE not of vaddr");
		}
		if (val)
			t->nr_used++;
		else
			t->nr_used--;
	}
	*ptep = val;
}

int pgtable_walk(const struct pgtable *pt, uint64_t vaddr, uint64_t *paddr_out, pte_t *leaf_out)
{
	const struct pt_table *t = pt->root;
	int n = 0;
	*leaf_out = 0;
	for (int level = pt->levels - 1; level >= 0; level--) {
		paddr_out[n++] = t->paddr + index_at(vaddr, level) * sizeof(pte_t);
		if (level == 0 || (level == 1 && (t->pte[index_at(vaddr, 1)] & PTE_PRESENT))) {
			*leaf_out = t->pte[index_at(vaddr, level)]; /* (a huge leaf: the PMD) */
			break;
		}
		t = t->child[index_at(vaddr, level)];
		if (!t)
			break;
	}
	return n;
}

/* Entries ahead of the one visited that pgtable_for_each_ahead shows its hint callback. */
#define FOR_EACH_AHEAD 8

static void for_each_rec(struct pgtable *pt, struct pt_table *t, int level, uint64_t base,
                         uint64_t start, uint64_t end, pgtable_pte_fn fn, pgtable_ahead_fn ahead,
                         void *ctx)
{
	uint64_t span = 1ull << (PTE_SHIFT + PT_BITS * level);
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		uint64_t lo = base + i * span;
		if (lo >= end)
			break;
		if (lo + span <= start)
			continue;
		if (level == 0 || (level == 1 && (t->pte[i] & PTE_PRESENT))) {
			if (level == 0 && ahead && i + FOR_EACH_AHEAD < PT_ENTRIES &&
			    t->pte[i + FOR_EACH_AHEAD])
				ahead(ctx, t->pte[i + FOR_EACH_AHEAD]);
			if (t->pte[i])
				fn(ctx, lo, &t->pte[i]);
		} else if (t->child[i]) {
			for_each_rec(pt, t->child[i], level - 1, lo, start, end, fn, ahead, ctx);
		}
	}
}

void pgtable_for_each(struct pgtable *pt, uint64_t start, uint64_t end, pgtable_pte_fn fn,
                      void *ctx)
{
	for_each_rec(pt, pt->root, pt->levels - 1, 0, start, end, fn, NULL, ctx);
}

void pgtable_for_each_ahead(struct pgtable *pt, uint64_t start, uint64_t end, pgtable_pte_fn fn,
                            pgtable_ahead_fn ahead, void *ctx)
{
	for_each_rec(pt, pt->root, pt->levels - 1, 0, start, end, fn, ahead, ctx);
}

static bool free_empty_rec(struct pgtable *pt, struct pt_table *t, int level, uint64_t base,
                           uint64_t start, uint64_t end)
{
	if (level == 0)
		return t->nr_used == 0;
	uint64_t span = 1ull << (PTE_SHIFT + PT_BITS * level);
	for (unsigned i = 0; i < PT_ENTRIES; i++) {
		uint64_t lo = base + i * span;
		if (lo >= end)
			break;
		if (lo + span <= start || !t->child[i] || (level == 1 && (t->pte[i] & PTE_PRESENT)))
			continue;
		if (free_empty_rec(pt, t->child[i], level - 1, lo, start, end)) {
			table_free(pt, t->child[i]);
			t->child[i] = NULL;
			t->nr_used--;
			pt->nr_tables--;
		}
	}
	return t->nr_used == 0;
}

void pgtable_free_empty(struct pgtable *pt, uint64_t start, uint64_t end)
{
	memset(pt->tc_leaf, 0, sizeof(pt->tc_leaf)); /* a cached leaf may be freed */
	free_empty_rec(pt, pt->root, pt->levels - 1, 0, start, end);
}
