/*
 * test_vm_swap.c — reclaim of anonymous memory to swap and back, on the VM layer alone: with
 * two frames and FIFO, every eviction's victim is known. Pinned: the victim's PTE becomes a
 * swap entry of the next-fit slot, its dirty copy is written (one swap write of a page at the
 * slot's offset), the swap-in (do_swap_page) reads it back into a frame that stays in the swap
 * cache with its slot, and a clean page in the swap cache is dropped again without a write
 * (reclaim.clean_drops). After fork, both processes hold the slots (swap_map 2); the second
 * one's fault finds the page in the swap cache (a minor fault, no I/O) and it stays single in
 * memory. munmap releases swap entries (free_swap_and_cache) and the last one frees slot and
 * cached copy.
 */
#include "tests/unit/vm_fixture.h"

#define A (BASE + 0 * PAGE)
#define B (BASE + 1 * PAGE)
#define C (BASE + 2 * PAGE)
#define D (BASE + 3 * PAGE)
#define E (BASE + 4 * PAGE)

static void check_io(const struct fault_work *w, uint32_t i, bool is_write, uint64_t offset)
{
	CHECK(i < w->nr_io);
	if (i >= w->nr_io)
		return;
	CHECK_EQ_U64(w->io[i].is_write, is_write);
	CHECK_EQ_U64(w->io[i].device, IO_DEV_SWAP);
	CHECK_EQ_U64(w->io[i].offset_bytes, offset);
	CHECK_EQ_U64(w->io[i].size_bytes, PAGE);
}

/* Two processes over two frames: A, B written, then C evicts A (frame 0) to slot 0. */
static struct mm_struct *fill_and_evict(struct vm *vm, struct fault_work *w)
{
	struct mm_struct *mm = vm_mm_create(vm, 1);
	CHECK(vm_mmap_anon(vm, mm, BASE, 8 * PAGE, VM_READ | VM_WRITE, w) == 0);
	vmt_access(vm, mm, A, ACCESS_WRITE, w); /* frame 0 */
	vmt_access(vm, mm, B, ACCESS_WRITE, w); /* frame 1 */
	CHECK(vmt_access(vm, mm, C, ACCESS_WRITE, w) == ACCESS_FAULT);
	CHECK_EQ_U64(w->kinds, FK_DEMAND_ZERO);
	CHECK_EQ_U64(w->evictions, 1);
	CHECK(!w->major); /* a write that frees a frame is waited for, but reads nothing */
	CHECK_EQ_U64(w->pfn, 0);
	CHECK_EQ_U64(w->tlb_invalidations, 1);
	CHECK_EQ_U64(w->nr_io, 1);
	check_io(w, 0, true, 0);
	CHECK_EQ_U64(vmt_pte(mm, A), pte_mkswap(0));
	CHECK_EQ_U64(vm->swap[0].map, 1);
	CHECK_EQ_U64(vm->nr_swap_used, 1);
	CHECK_EQ_U64(mm->swap_ents, 1);
	CHECK_EQ_U64(mm->rss_pages, 2);
	CHECK_EQ_U64(vm->st.evictions, 1);
	CHECK_EQ_U64(vm->st.swap_out, 1);
	CHECK_EQ_U64(vm->st.direct_evictions, 1);
	return mm;
}

static void test_swap_out_in(void)
{
	struct vm vm;
	struct fault_work w;
	vmt_init(&vm, 2, 8, true, 0, 0);
	struct mm_struct *mm = fill_and_evict(&vm, &w);

	/* A comes back: B (frame 1, the oldest) goes to slot 1 first, then A is read into
	 * frame 1, exclusive (no other holder of slot 0): writable, clean, in the swap cache. */
	CHECK(vmt_access(&vm, mm, A, ACCESS_READ, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_SWAP_IN);
	CHECK(w.major);
	CHECK_EQ_U64(w.evictions, 1);
	CHECK_EQ_U64(w.nr_io, 2);
	check_io(&w, 0, true, PAGE); /* B to slot 1 */
	check_io(&w, 1, false, 0);   /* A from slot 0 */
	CHECK_EQ_U64(w.nr_read_pfns, 1);
	CHECK_EQ_U64(w.read_pfns[0], 1);
	CHECK_EQ_U64(w.pfn, 1);
	CHECK_EQ_U64(vmt_pte(mm, A), pte_mk(1, PTE_WRITE | PTE_ACCESSED));
	CHECK_EQ_U64(vm.pages[1].flags, PG_ANON | PG_SWAPCACHE | PG_LRU);
	CHECK_EQ_U64(vm.pages[1].swap_slot, 0);
	CHECK_EQ_U64(swap_cache(&vm, 0), 1);
	CHECK_EQ_U64(vm.swap[0].map, 0);
	CHECK_EQ_U64(vmt_pte(mm, B), pte_mkswap(1));
	CHECK_EQ_U64(vm.nr_swap_used, 2); /* slot 0 (the cached copy) and slot 1 (B) */
	CHECK_EQ_U64(mm->swap_ents, 1);
	CHECK_EQ_U64(vm.st.faults_swap_in, 1);

	/* D evicts C (dirty, never on swap: slot 2, written); E evicts A, clean in the swap
	 * cache: its PTE becomes slot 0's entry again, no write. */
	vmt_access(&vm, mm, D, ACCESS_WRITE, &w);
	CHECK_EQ_U64(w.nr_io, 1);
	check_io(&w, 0, true, 2 * PAGE);
	CHECK(vmt_access(&vm, mm, E, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.evictions, 1);
	CHECK_EQ_U64(w.nr_io, 0);
	CHECK_EQ_U64(w.pfn, 1);
	CHECK_EQ_U64(vmt_pte(mm, A), pte_mkswap(0));
	CHECK_EQ_U64(vm.swap[0].map, 1);
	CHECK_EQ_U64(swap_cache(&vm, 0), PFN_NONE);
	CHECK_EQ_U64(vm.st.swap_out, 3);
	CHECK_EQ_U64(vm.st.swap_out_clean_drops, 1);
	CHECK_EQ_U64(vm.st.evictions, 4);
	CHECK_EQ_U64(vm.nr_swap_used, 3);
	vmt_check(&vm, mm, NULL);
	vm_mm_destroy(&vm, mm, &w);
	CHECK_EQ_U64(vm.nr_swap_used, 0);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	vm_fini(&vm);
}

static void test_fork_swap_cache(void)
{
	struct vm vm;
	struct fault_work w;
	vmt_init(&vm, 2, 8, true, 0, 0);
	struct mm_struct *parent = fill_and_evict(&vm, &w);
	/* State: A in slot 0, B in frame 1, C in frame 0. */
	fault_work_reset(&w);
	struct mm_struct *child = vm_fork(&vm, parent, 2, &w);
	CHECK_EQ_U64(w.ptes_copied, 3);
	CHECK_EQ_U64(vm.swap[0].map, 2);
	CHECK_EQ_U64(child->swap_ents, 1);
	CHECK_EQ_U64(vmt_pte(child, A), pte_mkswap(0));

	/* The child reads A: B (frame 1, mapped by both) goes to slot 1 with both PTEs, A is
	 * read into frame 1; slot 0 keeps the parent's entry, so the page is not exclusive:
	 * read-only. */
	CHECK(vmt_access(&vm, child, A, ACCESS_READ, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_SWAP_IN);
	CHECK_EQ_U64(w.pfn, 1);
	CHECK_EQ_U64(w.tlb_invalidations, 2); /* B's PTEs in both */
	CHECK_EQ_U64(vm.swap[1].map, 2);
	CHECK_EQ_U64(vmt_pte(parent, B), pte_mkswap(1));
	CHECK_EQ_U64(vmt_pte(child, A), pte_mk(1, PTE_ACCESSED));
	CHECK_EQ_U64(vm.swap[0].map, 1);
	/* The parent reads A: found in the swap cache, a minor fault without I/O, the same
	 * frame, now mapped twice. */
	CHECK(vmt_access(&vm, parent, A, ACCESS_READ, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_SWAPCACHE);
	CHECK(!w.major);
	CHECK_EQ_U64(w.nr_io, 0);
	CHECK_EQ_U64(w.evictions, 0);
	CHECK_EQ_U64(w.pfn, 1);
	CHECK_EQ_U64(vmt_pte(parent, A), pte_mk(1, PTE_ACCESSED));
	CHECK_EQ_U64(vm.pages[1].mapcount, 2);
	CHECK_EQ_U64(vm.swap[0].map, 0);
	CHECK_EQ_U64(swap_cache(&vm, 0), 1);
	CHECK_EQ_U64(vm.st.faults_swapcache, 1);
	vmt_check(&vm, parent, child);

	/* munmap in the parent: its swap entries drop to one holder each, nothing is freed. */
	uint64_t used = vm.nr_swap_used;
	CHECK(vm_munmap(&vm, parent, BASE, 8 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm.nr_swap_used, used);
	CHECK_EQ_U64(vm.swap[1].map, 1);
	CHECK_EQ_U64(vm.pages[1].mapcount, 1);
	CHECK_EQ_U64(parent->swap_ents, 0);
	/* ... and in the child: the last holders go, slots and cached copy with them. */
	CHECK(vm_munmap(&vm, child, BASE, 8 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm.nr_swap_used, 0);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	CHECK_EQ_U64(swap_cache(&vm, 0), PFN_NONE);
	vmt_check(&vm, parent, child);
	vm_mm_destroy(&vm, child, &w);
	vm_mm_destroy(&vm, parent, &w);
	vm_fini(&vm);
}

int main(void)
{
	test_swap_out_in();
	test_fork_swap_cache();
	TEST_DONE();
}
