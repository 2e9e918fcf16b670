/*
 * test_vm_madvise.c — madvise(2) on the VM layer alone (madvise.c), each advice against what
 * Linux does for the same sequence (tests/linux/expected.tsv has the full-size counts):
 * FREE (a clean lazily freed page is dropped by reclaim without a write, one written again is
 * swapped), PAGEOUT (pages mapped only here reclaimed now), COLD (accessed bits cleared),
 * WILLNEED (file pages read ahead up to vm.readahead_pages; swapped pages read into the swap
 * cache), REMOVE (a hole in a shmem object; EINVAL on private memory), DONTFORK and
 * WIPEONFORK (what fork copies), RANDOM (no readahead).
 */
#include "tests/unit/vm_fixture.h"

#include <errno.h>

#define RW (VM_READ | VM_WRITE)

/* madv_free / madv_free_pageout at 1/64 scale: 64 pages written, FREE, half written again,
 * PAGEOUT: the 32 clean ones are dropped (no write), the 32 written ones swapped; reads: 32
 * zero-page faults, 32 swap-ins. Without PAGEOUT nothing changes (madv_free: 0 faults). */
static void test_free_pageout(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	vmt_init(&vm, 256, 64, true, 0, 0);
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 64 * PAGE, RW, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_WRITE), 64);
	fault_work_reset(&w);
	CHECK(vm_madvise_free(&vm, mm, BASE, 64 * PAGE, &w) == 0);
	CHECK_EQ_U64(w.tlb_invalidations, 64); /* the dirty bits cleared */
	CHECK_EQ_U64(vm.pages[0].flags, PG_ANON | PG_LRU | PG_LAZYFREE);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_READ), 0);
	for (uint64_t i = 0; i < 64; i += 2)
		CHECK_EQ_U64(vmt_scan(&vm, mm, BASE + i * PAGE, 1, ACCESS_WRITE), 0);
	CHECK(vm_madvise_pageout(&vm, mm, BASE, 64 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm.st.lazyfree_drops, 32);
	CHECK_EQ_U64(vm.st.swap_out, 32);
	CHECK_EQ_U64(vm.st.evictions, 64);
	CHECK_EQ_U64(mm->rss_pages, 0);
	uint64_t zp = vm.st.faults_zero_page;
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_READ), 64);
	CHECK_EQ_U64(vm.st.faults_zero_page - zp, 32);
	CHECK_EQ_U64(vm.st.faults_swap_in, 32);
	/* FREE of private file memory or shared memory is EINVAL. */
	CHECK(vm_mmap_anon(&vm, mm, BASE + 128 * PAGE, 4 * PAGE, RW | VM_SHARED, &w) == 0);
	CHECK(vm_madvise_free(&vm, mm, BASE + 128 * PAGE, 4 * PAGE, &w) == -EINVAL);
	vmt_check(&vm, mm, NULL);
	vm_mm_destroy(&vm, mm, &w);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	CHECK_EQ_U64(vm.nr_swap_used, 0);
	vm_fini(&vm);
}

/* PAGEOUT without swap keeps anonymous pages; it skips pages another process maps; COLD
 * clears the accessed bits; a swapped page read back by WILLNEED is a minor fault. */
static void test_pageout_cold_willneed_anon(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	vmt_init(&vm, 64, 0, true, 0, 0);
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 8 * PAGE, RW, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 8, ACCESS_WRITE), 8);
	CHECK(vm_madvise_pageout(&vm, mm, BASE, 8 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm.st.evictions, 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 8, ACCESS_READ), 0);
	fault_work_reset(&w);
	CHECK(vm_madvise_cold(&vm, mm, BASE, 8 * PAGE, &w) == 0);
	CHECK_EQ_U64(w.tlb_invalidations, 8);
	CHECK_EQ_U64(vmt_flags(vmt_pte(mm, BASE)), PTE_PRESENT | PTE_WRITE | PTE_DIRTY);
	vm_mm_destroy(&vm, mm, &w);
	vm_fini(&vm);

	vmt_init(&vm, 64, 16, true, 0, 0);
	mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 8 * PAGE, RW, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 8, ACCESS_WRITE), 8);
	struct mm_struct *child = vm_fork(&vm, mm, 2, &w);
	CHECK(vm_madvise_pageout(&vm, mm, BASE, 8 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm.st.evictions, 0); /* shared with the child: left alone */
	vm_mm_destroy(&vm, child, &w);
	CHECK(vm_madvise_pageout(&vm, mm, BASE, 8 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm.st.swap_out, 8);
	fault_work_reset(&w);
	CHECK(vm_madvise_willneed(&vm, mm, BASE, 4 * PAGE, &w) == 0);
	CHECK_EQ_U64(w.nr_read_pfns, 4);
	CHECK_EQ_U64(mm->rss_pages, 0);
	uint64_t swapcache = vm.st.faults_swapcache;
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 8, ACCESS_READ), 8);
	CHECK_EQ_U64(vm.st.faults_swapcache - swapcache, 4);
	CHECK_EQ_U64(vm.st.faults_swap_in, 4);
	vmt_check(&vm, mm, NULL);
	vm_mm_destroy(&vm, mm, &w);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	vm_fini(&vm);
}

/* file_willneed: WILLNEED of a 256-page file reads the first vm.readahead_pages (32) into the
 * page cache unmapped; reading them takes one fault per fault-around window (32 / 16).
 * file_random: with MADV_RANDOM each miss reads one page (no readahead). file_pageout: the
 * page-cache pages mapped only here are dropped. */
static void test_file_advice(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	vmt_init(&vm, 1024, 0, true, 16, 32);
	uint32_t file = vm_file_declare(&vm, "f", 256 * PAGE);
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_file(&vm, mm, BASE, 256 * PAGE, VM_READ, file, 0, &w) == 0);
	fault_work_reset(&w);
	CHECK(vm_madvise_willneed(&vm, mm, BASE, 256 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm.fm.nr_cached, 32);
	CHECK_EQ_U64(w.nr_io, 1); /* one merged read */
	CHECK_EQ_U64(mm->rss_pages, 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 32, ACCESS_READ), 2);
	CHECK_EQ_U64(vm.st.faults_file_major, 0);
	CHECK(vm_madvise_pageout(&vm, mm, BASE, 256 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm.fm.nr_cached, 0);
	CHECK_EQ_U64(vm.st.file_drops, 32);
	CHECK(vm_madvise_flags(&vm, mm, BASE, 256 * PAGE, VM_RAND_READ | VM_SEQ_READ,
	                       VM_RAND_READ) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 256, ACCESS_READ), 256);
	CHECK_EQ_U64(vm.st.faults_file_major, 256);
	CHECK_EQ_U64(vm.st.readahead_pages, 32); /* WILLNEED's only */
	/* REMOVE of a private or file mapping is EINVAL. */
	CHECK(vm_madvise_remove(&vm, mm, BASE, PAGE, &w) == -EINVAL);
	vmt_check(&vm, mm, NULL);
	vm_mm_destroy(&vm, mm, &w);
	vm_fini(&vm);
}

/* shmem_remove: REMOVE punches a hole in the shmem object: the pages go from every mapper
 * (a forked child too) and read back as new zeroed pages, one fault each. */
static void test_remove_shmem(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	vmt_init(&vm, 256, 0, true, 16, 0);
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 64 * PAGE, RW | VM_SHARED, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_WRITE), 64);
	struct mm_struct *child = vm_fork(&vm, mm, 2, &w);
	CHECK_EQ_U64(vmt_scan(&vm, child, BASE, 64, ACCESS_READ), 4);
	CHECK(vm_madvise_remove(&vm, mm, BASE, 64 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm.fm.nr_cached, 0);
	CHECK_EQ_U64(child->rss_pages, 0);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	uint64_t dz = vm.st.faults_demand_zero;
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_READ), 64);
	CHECK_EQ_U64(vm.st.faults_demand_zero - dz, 64);
	vmt_check(&vm, mm, child);
	vm_mm_destroy(&vm, child, &w);
	vm_mm_destroy(&vm, mm, &w);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	vm_fini(&vm);
}

/* madv_wipeonfork: the child gets the region empty (64 zero-page reads, 64 COW writes); the
 * parent's PTEs stay writable (0 faults). madv_dontfork: the child has no VMA there. */
static void test_fork_advice(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	vmt_init(&vm, 256, 0, true, 0, 0);
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 64 * PAGE, RW, &w) == 0);
	CHECK(vm_mmap_anon(&vm, mm, BASE + 128 * PAGE, 8 * PAGE, RW, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_WRITE), 64);
	CHECK(vm_madvise_flags(&vm, mm, BASE, 64 * PAGE, VM_WIPEONFORK, VM_WIPEONFORK) == 0);
	CHECK(vm_madvise_flags(&vm, mm, BASE + 128 * PAGE, 8 * PAGE, VM_DONTCOPY, VM_DONTCOPY) ==
	      0);
	struct mm_struct *child = vm_fork(&vm, mm, 2, &w);
	CHECK(find_vma(child, BASE + 128 * PAGE) == NULL);
	CHECK(vmt_access(&vm, child, BASE + 128 * PAGE, ACCESS_READ, &w) == ACCESS_SEGV);
	CHECK_EQ_U64(vmt_scan(&vm, child, BASE, 64, ACCESS_READ), 64);
	CHECK_EQ_U64(vmt_scan(&vm, child, BASE, 64, ACCESS_WRITE), 64);
	CHECK_EQ_U64(vm.st.faults_cow_copies, 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_WRITE), 0);
	vmt_check(&vm, mm, child);
	vm_mm_destroy(&vm, child, &w);
	/* KEEPONFORK and DOFORK undo them; WIPEONFORK of a shared mapping is EINVAL. */
	CHECK(vm_madvise_flags(&vm, mm, BASE, 64 * PAGE, VM_WIPEONFORK, 0) == 0);
	CHECK(vm_madvise_flags(&vm, mm, BASE + 128 * PAGE, 8 * PAGE, VM_DONTCOPY, 0) == 0);
	child = vm_fork(&vm, mm, 3, &w);
	CHECK_EQ_U64(child->rss_pages, 64);
	CHECK(find_vma(child, BASE + 128 * PAGE) != NULL);
	CHECK(vm_mmap_anon(&vm, mm, BASE + 256 * PAGE, 8 * PAGE, RW | VM_SHARED, &w) == 0);
	CHECK(vm_madvise_flags(&vm, mm, BASE + 256 * PAGE, 8 * PAGE, VM_WIPEONFORK,
	                       VM_WIPEONFORK) == -EINVAL);
	vm_mm_destroy(&vm, child, &w);
	vm_mm_destroy(&vm, mm, &w);
	vm_fini(&vm);
}

int main(void)
{
	test_free_pageout();
	test_pageout_cold_willneed_anon();
	test_file_advice();
	test_remove_shmem();
	test_fork_advice();
	TEST_DONE();
}
