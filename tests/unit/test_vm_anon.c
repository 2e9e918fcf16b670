/*
 * test_vm_anon.c — the anonymous-memory fault handlers of models/vm (memory.c) on the VM layer
 * alone: do_anonymous_page (the zero page for a read, demand-zero for a write), do_wp_page on
 * the zero page (a zeroed frame, no copy), fork's dup_mmap (write-protected PTEs on both
 * sides, old in the child, map counts and rmap), the COW rule (copy while the frame has two
 * mappers, reuse when it has one), munmap, and the segfaults of a VMA's protection. Every
 * number is the one Linux's handlers give for the same sequence (docs/vm.md): frames come off
 * the free list lowest first (frame 0, then 1, ...), so each expected frame is known.
 */
#include "tests/unit/vm_fixture.h"

#define RW (VM_READ | VM_WRITE)

static void test_zero_page(void)
{
	struct vm vm;
	struct fault_work w;
	vmt_init(&vm, 8, 8, true, 0, 0);
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 4 * PAGE, RW, &w) == 0);

	/* A first read maps the shared zero page read-only: no frame. */
	CHECK(vmt_access(&vm, mm, BASE, ACCESS_READ, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_ZERO_PAGE);
	CHECK(!w.major);
	CHECK_EQ_U64(w.zero_fills, 0);
	CHECK_EQ_U64(w.pfn, PFN_NONE);
	CHECK_EQ_U64(vmt_flags(vmt_pte(mm, BASE)), PTE_PRESENT | PTE_ZERO | PTE_ACCESSED);
	CHECK_EQ_U64(vm.st.faults_zero_page, 1);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	CHECK_EQ_U64(mm->rss_pages, 0);
	CHECK_EQ_U64(vm.scope.nr_frames, 0);
	/* A second read hits it. */
	CHECK(vmt_access(&vm, mm, BASE, ACCESS_READ, &w) == ACCESS_HIT);
	CHECK_EQ_U64(w.pfn, PFN_NONE);

	/* A write breaks it into a private zeroed frame: a COW fault without a copy, and the
	 * zero page's translation invalidated. */
	CHECK(vmt_access(&vm, mm, BASE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_COW);
	CHECK_EQ_U64(w.zero_fills, 1);
	CHECK_EQ_U64(w.copies, 0);
	CHECK_EQ_U64(w.tlb_invalidations, 1);
	CHECK_EQ_U64(w.pfn, 0);
	pte_t pte = vmt_pte(mm, BASE);
	CHECK_EQ_U64(vmt_flags(pte), PTE_PRESENT | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY);
	CHECK_EQ_U64(pte_pfn(pte), 0);
	CHECK_EQ_U64(vm.pages[0].flags, PG_ANON | PG_DIRTY | PG_LRU);
	CHECK_EQ_U64(vm.pages[0].mapcount, 1);
	bool found;
	CHECK_EQ_U64(vmt_rmap_count(&vm, 0, mm, BASE, &found), 1);
	CHECK(found);
	CHECK_EQ_U64(mm->rss_pages, 1);
	CHECK_EQ_U64(vm.scope.nr_frames, 1);
	CHECK_EQ_U64(vm.st.faults_cow, 1);
	CHECK_EQ_U64(vm.st.faults_cow_copies, 0);
	vmt_check(&vm, mm, NULL);
	vm_mm_destroy(&vm, mm, &w);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	vm_fini(&vm);
}

static void test_demand_zero(void)
{
	struct vm vm;
	struct fault_work w;
	vmt_init(&vm, 8, 8, false, 0, 0);
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 4 * PAGE, RW, &w) == 0);
	CHECK(vm_mmap_anon(&vm, mm, BASE + 16 * PAGE, PAGE, VM_READ, &w) == 0);

	/* A write: a zeroed frame, writable and dirty. */
	CHECK(vmt_access(&vm, mm, BASE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_DEMAND_ZERO);
	CHECK_EQ_U64(w.zero_fills, 1);
	CHECK_EQ_U64(w.pfn, 0);
	CHECK_EQ_U64(vmt_flags(vmt_pte(mm, BASE)),
	             PTE_PRESENT | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY);
	/* Without the zero page a read gets a frame too: writable (the VMA is), clean. */
	CHECK(vmt_access(&vm, mm, BASE + PAGE, ACCESS_READ, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_DEMAND_ZERO);
	CHECK_EQ_U64(w.pfn, 1);
	CHECK_EQ_U64(vmt_flags(vmt_pte(mm, BASE + PAGE)), PTE_PRESENT | PTE_WRITE | PTE_ACCESSED);
	CHECK_EQ_U64(vm.pages[1].flags, PG_ANON | PG_DIRTY | PG_LRU);
	/* In a read-only VMA the PTE is read-only. */
	CHECK(vmt_access(&vm, mm, BASE + 16 * PAGE, ACCESS_READ, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(vmt_flags(vmt_pte(mm, BASE + 16 * PAGE)), PTE_PRESENT | PTE_ACCESSED);
	CHECK_EQ_U64(vm.st.faults_demand_zero, 3);
	CHECK_EQ_U64(mm->rss_pages, 3);
	CHECK_EQ_U64(vm.scope.nr_frames, 3);

	/* Against the VMA's protection, or outside every VMA: a segfault, nothing changes. (An
	 * instruction fetch faults only on a PTE that is not present: PTEs have no NX bit, so a
	 * fetch from a present data page hits.) */
	CHECK(vmt_access(&vm, mm, BASE + 16 * PAGE, ACCESS_WRITE, &w) == ACCESS_SEGV);
	CHECK(vmt_access(&vm, mm, BASE + 2 * PAGE, ACCESS_EXEC, &w) == ACCESS_SEGV);
	CHECK(vmt_access(&vm, mm, BASE, ACCESS_EXEC, &w) == ACCESS_HIT);
	CHECK(vmt_access(&vm, mm, BASE + 8 * PAGE, ACCESS_READ, &w) == ACCESS_SEGV);
	CHECK_EQ_U64(vm_frames_used(&vm), 3);
	vmt_check(&vm, mm, NULL);
	vm_mm_destroy(&vm, mm, &w);
	vm_fini(&vm);
}

/* fork, then the COW rule: a write to a frame two processes map copies it; a write to a
 * frame only the writer maps (the other side copied already) reuses it. */
static void test_fork_cow(void)
{
	struct vm vm;
	struct fault_work w;
	bool found;
	vmt_init(&vm, 8, 8, true, 0, 0);
	struct mm_struct *parent = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, parent, BASE, 4 * PAGE, RW, &w) == 0);
	vmt_access(&vm, parent, BASE, ACCESS_WRITE, &w);           /* frame 0 */
	vmt_access(&vm, parent, BASE + PAGE, ACCESS_WRITE, &w);    /* frame 1 */
	vmt_access(&vm, parent, BASE + 2 * PAGE, ACCESS_READ, &w); /* the zero page */

	fault_work_reset(&w);
	struct mm_struct *child = vm_fork(&vm, parent, 2, &w);
	CHECK_EQ_U64(w.ptes_copied, 3);
	CHECK_EQ_U64(w.tlb_invalidations, 2); /* the parent's two writable PTEs */
	CHECK_EQ_U64(vmt_flags(vmt_pte(parent, BASE)), PTE_PRESENT | PTE_ACCESSED | PTE_DIRTY);
	CHECK_EQ_U64(vmt_flags(vmt_pte(child, BASE)), PTE_PRESENT | PTE_DIRTY); /* old */
	CHECK_EQ_U64(vmt_flags(vmt_pte(child, BASE + 2 * PAGE)), PTE_PRESENT | PTE_ZERO);
	CHECK_EQ_U64(vm.pages[0].mapcount, 2);
	CHECK_EQ_U64(vm.pages[1].mapcount, 2);
	CHECK_EQ_U64(vmt_rmap_count(&vm, 0, child, BASE, &found), 2);
	CHECK(found);
	CHECK_EQ_U64(parent->rss_pages, 2);
	CHECK_EQ_U64(child->rss_pages, 2);
	CHECK_EQ_U64(child->nr_vmas, 1);
	CHECK_EQ_U64(vm_frames_used(&vm), 2);

	/* The child writes frame 0, which both map: a copy into frame 2. */
	CHECK(vmt_access(&vm, child, BASE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_COW | FK_COW_COPY);
	CHECK_EQ_U64(w.copies, 1);
	CHECK_EQ_U64(w.copy_src_pfn, 0);
	CHECK_EQ_U64(w.zero_fills, 0);
	CHECK_EQ_U64(w.pfn, 2);
	CHECK_EQ_U64(w.tlb_invalidations, 1);
	CHECK_EQ_U64(vmt_pte(child, BASE), pte_mk(2, PTE_WRITE | PTE_ACCESSED | PTE_DIRTY));
	CHECK_EQ_U64(vm.pages[0].mapcount, 1);
	CHECK_EQ_U64(vm.pages[2].mapcount, 1);
	CHECK_EQ_U64(vmt_rmap_count(&vm, 0, parent, BASE, &found), 1);
	CHECK(found);
	/* The parent writes frame 0, now only its own: write access back, no copy. */
	CHECK(vmt_access(&vm, parent, BASE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_COW);
	CHECK_EQ_U64(w.copies, 0);
	CHECK_EQ_U64(w.zero_fills, 0);
	CHECK_EQ_U64(w.pfn, 0);
	CHECK_EQ_U64(vmt_pte(parent, BASE), pte_mk(0, PTE_WRITE | PTE_ACCESSED | PTE_DIRTY));
	/* Frame 1 the other way round: the parent copies (frame 3), the child reuses. */
	CHECK(vmt_access(&vm, parent, BASE + PAGE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_COW | FK_COW_COPY);
	CHECK_EQ_U64(w.pfn, 3);
	CHECK(vmt_access(&vm, child, BASE + PAGE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_COW);
	CHECK_EQ_U64(w.pfn, 1);
	/* The child's write to the zero page: a zeroed frame (4), not a copy. */
	CHECK(vmt_access(&vm, child, BASE + 2 * PAGE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_COW);
	CHECK_EQ_U64(w.zero_fills, 1);
	CHECK_EQ_U64(w.copies, 0);
	CHECK_EQ_U64(w.pfn, 4);
	CHECK_EQ_U64(vm.st.faults_cow, 5);
	CHECK_EQ_U64(vm.st.faults_cow_copies, 2);
	CHECK_EQ_U64(vm_frames_used(&vm), 5);
	CHECK_EQ_U64(parent->rss_pages, 2);
	CHECK_EQ_U64(child->rss_pages, 3);
	vmt_check(&vm, parent, child);

	/* munmap of the child's region: its three PTEs invalidated, its frames (1, 2, 4) free,
	 * the VMA gone. */
	fault_work_reset(&w);
	CHECK(vm_munmap(&vm, child, BASE, 4 * PAGE, &w) == 0);
	CHECK_EQ_U64(w.tlb_invalidations, 3);
	CHECK_EQ_U64(vm_frames_used(&vm), 2);
	CHECK_EQ_U64(child->rss_pages, 0);
	CHECK_EQ_U64(vmt_pte(child, BASE), 0);
	CHECK(find_vma(child, BASE) == NULL);
	CHECK(vm.pages[1].flags & PG_FREE);
	CHECK_EQ_U64(vm.scope.nr_frames, 2);
	CHECK(vmt_access(&vm, child, BASE, ACCESS_READ, &w) == ACCESS_SEGV);
	vmt_check(&vm, parent, child);
	vm_mm_destroy(&vm, child, &w);
	vm_mm_destroy(&vm, parent, &w);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	vm_fini(&vm);
}

int main(void)
{
	test_zero_page();
	test_demand_zero();
	test_fork_cow();
	TEST_DONE();
}
