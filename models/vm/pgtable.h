/*
 * pgtable.h — the functional x86-64 radix page table of one address space: 4 levels of
 * 512-entry tables (9 bits each) over 4 KiB pages, or 5 levels. Only the leaf level holds PTEs;
 * upper levels hold pointers to their child tables. Each table carries the simulated physical
 * address of its page, so the walker's timing model can cost each entry read (models/hw).
 *
 * This is state, not timing: nothing here takes simulated time.
 *
 * PTE layout (x86-like, with software bits): bit 0 present, 1 writable, 5 accessed, 6 dirty,
 * 7 huge (x86's PS bit: a leaf at the PMD level mapping 2 MiB), 9 maps the shared zero page; a
 * non-present PTE with bit 10 set is a swap entry whose slot is in bits 12..; the frame number of a
 * present PTE is in bits 12...
 *
 * Huge leaves: an entry of a level-1 (PMD) table is either a pointer to a leaf table or, with
 * PTE_PRESENT | PTE_HUGE set, a PMD leaf mapping the 2 MiB range (frame number of its first
 * 4 KiB frame, 512-aligned). Table pointers are 16-byte aligned, so bit 0 tells them apart.
 * pgtable_lookup returns the PMD entry for any address inside a huge leaf; pgtable_for_each
 * visits a huge leaf once, at its 2 MiB-aligned address; a hardware walk reads one entry
 * fewer. A huge leaf is never a swap entry: huge pages are split before they are swapped.
 */
#ifndef VMSIM_MODELS_VM_PGTABLE_H
#define VMSIM_MODELS_VM_PGTABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t pte_t;

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_ACCESSED (1ull << 5)
#define PTE_DIRTY (1ull << 6)
#define PTE_HUGE (1ull << 7)
#define PTE_ZERO (1ull << 9)
#define PTE_SWAP (1ull << 10)
#define PTE_NUMA (1ull << 11) /* NUMA hint (PAGE_PROTNONE): present, but any access faults */
#define PTE_SHIFT 12

static inline uint64_t pte_pfn(pte_t p)
{
	return p >> PTE_SHIFT;
}
static inline uint64_t pte_swap_slot(pte_t p)
{
	return p >> PTE_SHIFT;
}
static inline pte_t pte_mk(uint64_t pfn, pte_t flags)
{
	return (pfn << PTE_SHIFT) | flags | PTE_PRESENT;
}
static inline pte_t pte_mkswap(uint64_t slot)
{
	return (slot << PTE_SHIFT) | PTE_SWAP;
}
static inline bool pte_present(pte_t p)
{
	return p & PTE_PRESENT;
}
static inline bool pte_is_swap(pte_t p)
{
	return !(p & PTE_PRESENT) && (p & PTE_SWAP);
}

#define PT_ENTRIES 512
#define PT_BITS 9
#define HPAGE_SHIFT 21
#define HPAGE_SIZE (1ull << HPAGE_SHIFT)
#define HPAGE_NR 512u /* 4 KiB frames per 2 MiB page */
#define HPAGE_ORDER 9u

static inline bool pte_huge(pte_t p)
{
	return (p & (PTE_PRESENT | PTE_HUGE)) == (PTE_PRESENT | PTE_HUGE);
}

struct pt_table {
	union {
		struct pt_table *child[PT_ENTRIES]; /* upper levels */
		pte_t pte[PT_ENTRIES];              /* the leaf level; PMD-level huge leaves */
	};
	uint64_t paddr;   /* simulated physical address of this table page */
	uint32_t nr_used; /* non-empty entries */
};

/* Gives each new table page a simulated physical address; the free function is told when a
 * table page goes away. */
typedef uint64_t (*pgtable_alloc_paddr_fn)(void *ctx);
typedef void (*pgtable_free_paddr_fn)(void *ctx, uint64_t paddr);

/* Translation cache entries: PGTABLE_TC_ACCESS for vm_access, PGTABLE_TC_SET for pgtable_set
 * (the table whose use count it last changed), the others for prefetches. */
enum {
	PGTABLE_TC_ACCESS,
	PGTABLE_TC_PREFETCH,
	PGTABLE_TC_PREFETCH2,
	PGTABLE_TC_SET,
	PGTABLE_TC_SLOTS
};

/*
 * Host memory for tables, shared by the page tables of one VM: 2 MiB chunks from xcalloc_big
 * (host huge pages: PTEs looked up at random cost one host TLB entry per ~500 tables, not one
 * per table), carved in 64-byte-aligned slots; freed tables are kept for reuse. Host speed
 * only: no effect on the simulation.
 */
struct pt_arena {
	char **chunks;
	size_t nr_chunks, cap_chunks;
	size_t used_in_last;   /* slots handed out of the last chunk */
	struct pt_table *free; /* freed tables, linked through child[0] */
};
void pt_arena_init(struct pt_arena *a);
/* Release every chunk (every page table using the arena must be finished). */
void pt_arena_fini(struct pt_arena *a);

struct pgtable {
	struct pt_table *root;
	struct pt_arena *arena; /* where tables come from; NULL: malloc */
	int levels;             /* 4 or 5 */
	uint64_t nr_tables;     /* table pages in use, root included */
	pgtable_alloc_paddr_fn alloc_paddr;
	pgtable_free_paddr_fn free_paddr; /* may be NULL */
	void *alloc_ctx;
	/* Software translation caches for pgtable_lookup_cached, one entry per user (the access
	 * itself and each prefetch distance, so that they do not evict each other): the leaf
	 * table of the 2 MiB region tc_tag[i] (= vaddr >> 21), NULL: empty. Emptied whenever a
	 * table is freed (pgtable_free_empty, pgtable_fini); a leaf table is never replaced
	 * otherwise. */
	uint64_t tc_tag[PGTABLE_TC_SLOTS];
	struct pt_table *tc_leaf[PGTABLE_TC_SLOTS];
};

void pgtable_init(struct pgtable *pt, int levels, pgtable_alloc_paddr_fn alloc_paddr,
                  pgtable_free_paddr_fn free_paddr, void *ctx, struct pt_arena *arena);
/* Free every table (the PTEs must already have been released by the caller). */
void pgtable_fini(struct pgtable *pt);
/* The PTE of vaddr, or NULL when a table on the way is missing. */
static inline pte_t *pgtable_lookup(const struct pgtable *pt, uint64_t vaddr)
{
	struct pt_table *t = pt->root;
	for (int level = pt->levels - 1; level > 0; level--) {
		unsigned i = (vaddr >> (PTE_SHIFT + PT_BITS * level)) & (PT_ENTRIES - 1);
		if (level == 1 && (t->pte[i] & PTE_PRESENT))
			return &t->pte[i]; /* a huge leaf (pointers have bit 0 clear) */
		t = t->child[i];
		if (!t)
			return NULL;
	}
	return &t->pte[(vaddr >> PTE_SHIFT) & (PT_ENTRIES - 1)];
}
/* pgtable_lookup through cache entry slot (the last leaf table that slot's user reached):
 * consecutive lookups in one 2 MiB region skip the walk of the upper levels. Same result as
 * pgtable_lookup. */
static inline pte_t *pgtable_lookup_cached(struct pgtable *pt, uint64_t vaddr, unsigned slot)
{
	uint64_t tag = vaddr >> (PTE_SHIFT + PT_BITS);
	if (pt->tc_leaf[slot] && pt->tc_tag[slot] == tag)
		return &pt->tc_leaf[slot]->pte[(vaddr >> PTE_SHIFT) & (PT_ENTRIES - 1)];
	struct pt_table *t = pt->root;
	for (int level = pt->levels - 1; level > 0; level--) {
		unsigned i = (vaddr >> (PTE_SHIFT + PT_BITS * level)) & (PT_ENTRIES - 1);
		if (level == 1 && (t->pte[i] & PTE_PRESENT))
			return &t->pte[i]; /* a huge leaf: not cached */
		t = t->child[i];
		if (!t)
			return NULL;
	}
	pt->tc_tag[slot] = tag;
	pt->tc_leaf[slot] = t;
	return &t->pte[(vaddr >> PTE_SHIFT) & (PT_ENTRIES - 1)];
}
/* The PTE of vaddr when cache entry slot holds its leaf table, else NULL (no walk). */
static inline pte_t *pgtable_cached_pte(const struct pgtable *pt, uint64_t vaddr, unsigned slot)
{
	if (pt->tc_leaf[slot] && pt->tc_tag[slot] == vaddr >> (PTE_SHIFT + PT_BITS))
		return &pt->tc_leaf[slot]->pte[(vaddr >> PTE_SHIFT) & (PT_ENTRIES - 1)];
	return NULL;
}
/* The PMD entry covering vaddr (a huge leaf, a table pointer or empty), allocating the upper
 * tables on the way. Write it only through pgtable_set, and only while it is not a table. */
pte_t *pgtable_alloc_pmd(struct pgtable *pt, uint64_t vaddr);
/* Is there a leaf table (PTEs, possibly all empty) under the PMD entry of vaddr? */
bool pgtable_has_pte_table(const struct pgtable *pt, uint64_t vaddr);
/* The PTE of vaddr, allocating missing tables. The leaf table's nr_used is maintained by
 * pgtable_set. */
pte_t *pgtable_alloc_pte(struct pgtable *pt, uint64_t vaddr);
/* Write a PTE obtained from pgtable_alloc_pte/lookup/alloc_pmd, keeping the table's use count. */
void pgtable_set(struct pgtable *pt, uint64_t vaddr, pte_t *ptep, pte_t val);
/* A hardware walk of vaddr, in one pass: the physical addresses of the entries it reads, top
 * level first, into paddr_out (room for 5), and the leaf entry it ends on into *leaf_out (the
 * PTE, or the PMD of a huge leaf; 0 when a table on the way is missing: what pgtable_lookup
 * would find, by value). Returns how many entries the walk reads (it stops at a missing
 * table). */
int pgtable_walk(const struct pgtable *pt, uint64_t vaddr, uint64_t *paddr_out, pte_t *leaf_out);
/* Call fn on every non-empty PTE in [start, end), and on every huge leaf that overlaps it (at
 * its aligned address). fn may change *ptep through pgtable_set. */
typedef void (*pgtable_pte_fn)(void *ctx, uint64_t vaddr, pte_t *ptep);
void pgtable_for_each(struct pgtable *pt, uint64_t start, uint64_t end, pgtable_pte_fn fn,
                      void *ctx);
/* pgtable_for_each that also shows ahead, before each leaf PTE, the value of a non-empty PTE
 * a few entries further in the same leaf table (possibly past end): a hint to prefetch what
 * fn will touch for it. ahead must not change anything. */
typedef void (*pgtable_ahead_fn)(void *ctx, pte_t pte);
void pgtable_for_each_ahead(struct pgtable *pt, uint64_t start, uint64_t end, pgtable_pte_fn fn,
                            pgtable_ahead_fn ahead, void *ctx);
/* Free leaf and upper tables left empty in [start, end). */
void pgtable_free_empty(struct pgtable *pt, uint64_t start, uint64_t end);

#endif
