/*
 * test_pgtable_arena.c — page tables carved from a shared pt_arena (models/vm/pgtable.h): the
 * same lookups as with malloc'd tables, tables freed by pgtable_free_empty come back zeroed
 * and are reused before the arena grows, and two page tables share one arena.
 */
#include <stdint.h>

#include "models/vm/pgtable.h"
#include "test.h"

#define REGION (1ull << 21) /* one leaf table covers 2 MiB */

/* Map one page in each of n consecutive 2 MiB regions from base: n leaf tables. */
static void map_regions(struct pgtable *pt, uint64_t base, unsigned n, uint64_t pfn0)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t va = base + i * REGION + 5 * 4096;
		pgtable_set(pt, va, pgtable_alloc_pte(pt, va), pte_mk(pfn0 + i, PTE_WRITE));
	}
}

static uint64_t check_regions(struct pgtable *pt, uint64_t base, unsigned n, uint64_t pfn0)
{
	uint64_t bad = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t va = base + i * REGION;
		pte_t *p = pgtable_lookup(pt, va + 5 * 4096);
		bad += !p || pte_pfn(*p) != pfn0 + i;
		/* every other entry of the table is empty (a reused table was zeroed) */
		for (unsigned e = 0; e < 512; e += 37)
			if (e != 5) {
				pte_t *q = pgtable_lookup(pt, va + e * 4096ull);
				bad += !q || *q != 0;
			}
	}
	return bad;
}

static void unmap_regions(struct pgtable *pt, uint64_t base, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t va = base + i * REGION + 5 * 4096;
		pgtable_set(pt, va, pgtable_lookup(pt, va), 0);
	}
	pgtable_free_empty(pt, base, base + n * REGION);
}

int main(void)
{
	enum { N = 1200 }; /* leaf tables: more than two 2 MiB chunks of ~500 tables */
	struct pt_arena arena;
	pt_arena_init(&arena);
	struct pgtable a, b;
	pgtable_init(&a, 4, NULL, NULL, NULL, &arena);
	pgtable_init(&b, 4, NULL, NULL, NULL, &arena);

	map_regions(&a, 1ull << 30, N, 1000);
	/* root + 1 PUD-level + 1 PMD-level table... : 1 PMD table covers 1 GiB = 512 regions */
	CHECK_EQ_U64(a.nr_tables, 1 + 1 + 3 + N);
	CHECK_EQ_U64(check_regions(&a, 1ull << 30, N, 1000), 0);
	size_t chunks = arena.nr_chunks;
	CHECK(chunks >= 3);

	/* Unmapped and freed: the leaf tables and the emptied upper ones go back to the arena
	 * (only the root stays) ... */
	unmap_regions(&a, 1ull << 30, N);
	CHECK_EQ_U64(a.nr_tables, 1);
	/* ... and another page table takes them again, zeroed, without the arena growing. */
	map_regions(&b, 5ull << 30, N, 7000);
	CHECK_EQ_U64(b.nr_tables, 1 + 1 + 3 + N);
	CHECK_EQ_U64(check_regions(&b, 5ull << 30, N, 7000), 0);
	CHECK_EQ_U64(arena.nr_chunks, chunks);

	unmap_regions(&b, 5ull << 30, N);
	pgtable_fini(&a);
	pgtable_fini(&b);
	pt_arena_fini(&arena);
	CHECK_EQ_U64(arena.nr_chunks, 0);
	TEST_DONE();
}
