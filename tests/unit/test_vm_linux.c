/*
 * test_vm_linux.c — the VM layer alone against Linux's counts for the scenarios of issue 15
 * (tests/linux/, expected.tsv has the numbers Linux 6.18 gave at full size): each test runs a
 * scenario scaled down and asserts the fault count Linux's handlers give for it, with the
 * mechanism named:
 *  - mprotect back to writable (change_pte_range, MM_CP_TRY_CHANGE_WRITABLE): the PTEs of
 *    exclusively owned anonymous pages become writable again, no write fault; the zero page
 *    and pages shared after fork stay write-protected;
 *  - a private write fault on a file mapping (do_cow_fault) maps no neighbours, so a later read
 *    of each fault-around window still faults once;
 *  - madvise(MADV_DONTNEED) zaps the PTEs: anonymous pages are freed and read as zeros again,
 *    page-cache pages stay cached and fault back in (with fault-around);
 *  - shared anonymous memory is a shmem object: fork copies none of its PTEs, every mapper
 *    sees every write, its pages swap out and back through the object's index, and it dies
 *    with its last mapping;
 *  - a write to a huge page still shared after fork splits the writer's PMD only
 *    (__split_huge_pmd) and copies 4 KiB; once the child is gone, the parent's first write to
 *    each PMD reuses its huge page (one fault, no split, no copy).
 */
#include "tests/unit/vm_fixture.h"

#include <errno.h>

#define RW (VM_READ | VM_WRITE)

/* mprotect_rw: write 64 pages, PROT_READ, read, PROT_READ|PROT_WRITE, write: Linux 64 / 0 /
 * 0. A page read through the zero page and a page shared with a child still fault. */
static void test_mprotect_rw(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	vmt_init(&vm, 256, 0, true, 0, 0);
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 66 * PAGE, RW, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_WRITE), 64);
	CHECK(vm_mprotect(&vm, mm, BASE, 66 * PAGE, VM_READ, &w) == 0);
	CHECK_EQ_U64(w.tlb_invalidations, 64);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_READ), 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE + 64 * PAGE, 1, ACCESS_READ), 1); /* the zero page */
	fault_work_reset(&w);
	CHECK(vm_mprotect(&vm, mm, BASE, 66 * PAGE, RW, &w) == 0);
	CHECK_EQ_U64(w.tlb_invalidations, 64);
	CHECK_EQ_U64(vmt_flags(vmt_pte(mm, BASE)),
	             PTE_PRESENT | PTE_WRITE | PTE_ACCESSED | PTE_DIRTY);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_WRITE), 0);
	CHECK_EQ_U64(vmt_flags(vmt_pte(mm, BASE + 64 * PAGE)),
	             PTE_PRESENT | PTE_ZERO | PTE_ACCESSED);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE + 64 * PAGE, 1, ACCESS_WRITE), 1);

	/* After fork the pages have two mappers: mprotect leaves them write-protected and a
	 * write copies (the parent's first 8 pages), then the child's writes reuse. */
	struct mm_struct *child = vm_fork(&vm, mm, 2, &w);
	CHECK(vm_mprotect(&vm, mm, BASE, 64 * PAGE, VM_READ, &w) == 0);
	fault_work_reset(&w);
	CHECK(vm_mprotect(&vm, mm, BASE, 64 * PAGE, RW, &w) == 0);
	CHECK_EQ_U64(w.tlb_invalidations, 0);
	uint64_t copies = vm.st.faults_cow_copies;
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 8, ACCESS_WRITE), 8);
	CHECK_EQ_U64(vm.st.faults_cow_copies - copies, 8);
	CHECK_EQ_U64(vmt_scan(&vm, child, BASE, 8, ACCESS_WRITE), 8);
	CHECK_EQ_U64(vm.st.faults_cow_copies - copies, 8);
	vmt_check(&vm, mm, child);
	vm_mm_destroy(&vm, child, &w);
	vm_mm_destroy(&vm, mm, &w);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	vm_fini(&vm);
}

/* file_private_write_stride: a cached file of 128 pages mapped private, write one page in 16
 * (8 faults, each copying only its page), then read all: Linux 8 then 8 (one fault per
 * 16-page window, whose fault-around maps the 15 other pages). */
static void test_file_private_write_stride(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	vmt_init(&vm, 512, 0, true, 16, 0);
	uint32_t file = vm_file_declare(&vm, "f", 128 * PAGE);
	struct mm_struct *cacher = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_file(&vm, cacher, BASE, 128 * PAGE, VM_READ, file, 0, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, cacher, BASE, 128, ACCESS_READ), 128); /* misses: no readahead */
	vm_mm_destroy(&vm, cacher, &w);

	struct mm_struct *mm = vm_mm_create(&vm, 2);
	CHECK(vm_mmap_file(&vm, mm, BASE, 128 * PAGE, RW, file, 0, &w) == 0);
	uint64_t faults = 0;
	for (uint64_t i = 0; i < 128; i += 16)
		faults += vmt_scan(&vm, mm, BASE + i * PAGE, 1, ACCESS_WRITE);
	CHECK_EQ_U64(faults, 8);
	CHECK_EQ_U64(vm.st.faults_cow_copies, 8);
	CHECK_EQ_U64(mm->rss_pages, 8); /* the 8 copies; no page-cache page mapped */
	CHECK_EQ_U64(vm.st.fault_around_pages, 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 128, ACCESS_READ), 8);
	/* Each window's fault (at its second page: the first is the copy) maps the 14 after it. */
	CHECK_EQ_U64(vm.st.fault_around_pages, 8 * 14);
	CHECK_EQ_U64(mm->rss_pages, 128);
	vmt_check(&vm, mm, NULL);
	vm_mm_destroy(&vm, mm, &w);
	vm_fini(&vm);
}

/* madv_dontneed: write 64 pages, DONTNEED, read, write, DONTNEED + write: Linux 64 / 64 /
 * 64 / 64; the pages are freed at once (rss 0). file_dontneed: DONTNEED of a mapped cached
 * file keeps the page cache; the reread takes one fault per fault-around window. */
static void test_madv_dontneed(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	vmt_init(&vm, 256, 0, true, 16, 0);
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 64 * PAGE, RW, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_WRITE), 64);
	fault_work_reset(&w);
	CHECK(vm_madvise_dontneed(&vm, mm, BASE, 64 * PAGE, &w) == 0);
	CHECK_EQ_U64(w.tlb_invalidations, 64);
	CHECK_EQ_U64(mm->rss_pages, 0);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	uint64_t zp = vm.st.faults_zero_page;
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_READ), 64);
	CHECK_EQ_U64(vm.st.faults_zero_page - zp, 64);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_WRITE), 64);
	CHECK(vm_madvise_dontneed(&vm, mm, BASE, 64 * PAGE, &w) == 0);
	uint64_t dz = vm.st.faults_demand_zero;
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 64, ACCESS_WRITE), 64);
	CHECK_EQ_U64(vm.st.faults_demand_zero - dz, 64);
	CHECK_EQ_U64(mm->rss_pages, 64);
	/* A range not entirely mapped is refused (ENOMEM). */
	CHECK(vm_madvise_dontneed(&vm, mm, BASE, 65 * PAGE, &w) == -ENOMEM);

	uint32_t file = vm_file_declare(&vm, "f", 64 * PAGE);
	CHECK(vm_mmap_file(&vm, mm, BASE + 128 * PAGE, 64 * PAGE, VM_READ, file, 0, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE + 128 * PAGE, 64, ACCESS_READ), 64);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE + 128 * PAGE, 64, ACCESS_READ), 0);
	CHECK(vm_madvise_dontneed(&vm, mm, BASE + 128 * PAGE, 64 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm.fm.nr_cached, 64);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE + 128 * PAGE, 64, ACCESS_READ), 4);
	vmt_check(&vm, mm, NULL);
	vm_mm_destroy(&vm, mm, &w);
	vm_fini(&vm);
}

/* shared_anon_fork at 1/16 scale: 256 shared pages; the parent writes the first half,
 * forks; the child reads that half, writes all, exits; the parent reads all, writes all.
 * Linux (fault-around 16): 128; 8 / 128; 8 / 0, and the parent's pages are the child's. */
static void test_shared_anon_fork(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	vmt_init(&vm, 1024, 0, true, 16, 0);
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 256 * PAGE, RW | VM_SHARED, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 128, ACCESS_WRITE), 128);
	CHECK_EQ_U64(vm.fm.nr_cached, 128);
	struct mm_struct *child = vm_fork(&vm, mm, 2, &w);
	CHECK_EQ_U64(child->rss_pages, 0); /* no PTE of a shared mapping is copied */
	CHECK_EQ_U64(vmt_scan(&vm, child, BASE, 128, ACCESS_READ), 8);
	CHECK_EQ_U64(vmt_scan(&vm, child, BASE, 256, ACCESS_WRITE), 128);
	pfn_t last = (pfn_t)pte_pfn(vmt_pte(child, BASE + 255 * PAGE));
	vmt_check(&vm, mm, child);
	vm_mm_destroy(&vm, child, &w);
	CHECK_EQ_U64(vm.fm.nr_cached, 256); /* the parent still maps the object */
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 256, ACCESS_READ), 8);
	CHECK_EQ_U64(pte_pfn(vmt_pte(mm, BASE + 255 * PAGE)), last);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 256, ACCESS_WRITE), 0);
	CHECK_EQ_U64(vm.st.faults_demand_zero, 256);
	CHECK_EQ_U64(vm.st.faults_cow, 0);
	/* DONTNEED zaps the PTEs; the object keeps its pages (shmem_dontneed: 256 / 16). */
	CHECK(vm_madvise_dontneed(&vm, mm, BASE, 256 * PAGE, &w) == 0);
	CHECK_EQ_U64(mm->rss_pages, 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 256, ACCESS_READ), 16);
	vmt_check(&vm, mm, NULL);
	/* munmap of its last mapping frees the object. */
	CHECK(vm_munmap(&vm, mm, BASE, 256 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm.fm.nr_cached, 0);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	vm_mm_destroy(&vm, mm, &w);
	vm_fini(&vm);
}

/* Shared anonymous pages swap: 8 frames, 12 written pages (FIFO evicts the 4 oldest to swap,
 * held by the object's index); a child reads them back (4 major faults). */
static void test_shared_anon_swap(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	vmt_init(&vm, 8, 16, true, 0, 0);
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 12 * PAGE, RW | VM_SHARED, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 12, ACCESS_WRITE), 12);
	CHECK_EQ_U64(vm.st.swap_out, 4);
	CHECK_EQ_U64(vm.nr_swap_used, 4);
	CHECK_EQ_U64(vmt_pte(mm, BASE), 0); /* none: the object's index holds the slot */
	vmt_check(&vm, mm, NULL);
	struct mm_struct *child = vm_fork(&vm, mm, 2, &w);
	uint64_t majors = 0;
	for (uint64_t i = 0; i < 4; i++) {
		CHECK(vmt_access(&vm, child, BASE + i * PAGE, ACCESS_READ, &w) == ACCESS_FAULT);
		majors += w.major && (w.kinds & FK_SWAP_IN);
	}
	CHECK_EQ_U64(majors, 4);
	CHECK_EQ_U64(vm.st.faults_swap_in, 4);
	vmt_check(&vm, mm, child);
	vm_mm_destroy(&vm, child, &w);
	vm_mm_destroy(&vm, mm, &w);
	CHECK_EQ_U64(vm.nr_swap_used, 0);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	vm_fini(&vm);
}

#define HUGE (HPAGE_NR * PAGE)

/* A VM with 2 MiB pages where madvised, and a process with 4 of them written. */
static struct mm_struct *thp_setup(struct vm *vm, uint64_t nr_frames, uint64_t swap_pages)
{
	struct fault_work w;
	fault_work_reset(&w);
	vmt_init(vm, nr_frames, swap_pages, true, 0, 0);
	vm->cfg.thp = THP_MADVISE;
	struct mm_struct *mm = vm_mm_create(vm, 1);
	CHECK(vm_mmap_anon(vm, mm, BASE, 4 * HUGE, RW | VM_HUGEPAGE, &w) == 0);
	CHECK_EQ_U64(vmt_scan(vm, mm, BASE, 4 * HPAGE_NR, ACCESS_WRITE), 4);
	CHECK_EQ_U64(vm->st.faults_thp, 4);
	return mm;
}

/* thp_fork at 1/8 scale: 4 huge pages written, fork; the child reads all (0 faults), writes
 * the first 2 (1024 faults, 1024 copies, its two PMDs split), exits; the parent writes the
 * first page of each PMD (4 faults: reuse), then all (0). Linux: 32 / 0 / 1024 / 32 / 0 at
 * full size. */
static void test_thp_fork(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	struct mm_struct *mm = thp_setup(&vm, 4096, 0);
	struct mm_struct *child = vm_fork(&vm, mm, 2, &w);
	CHECK_EQ_U64(vmt_scan(&vm, child, BASE, 4 * HPAGE_NR, ACCESS_READ), 0);
	CHECK_EQ_U64(vmt_scan(&vm, child, BASE, 2 * HPAGE_NR, ACCESS_WRITE), 2 * HPAGE_NR);
	CHECK_EQ_U64(vm.st.faults_cow_copies, 2 * HPAGE_NR);
	CHECK_EQ_U64(vm.st.thp_split_pmds, 2);
	CHECK_EQ_U64(vm.st.thp_splits, 0);
	CHECK(pte_huge(vmt_pte(mm, BASE))); /* the parent's PMDs stay */
	CHECK_EQ_U64(mm->rss_pages, 4 * HPAGE_NR);
	CHECK_EQ_U64(child->rss_pages, 4 * HPAGE_NR);
	vmt_check(&vm, mm, child);
	vm_mm_destroy(&vm, child, &w);
	uint64_t cow = vm.st.faults_cow;
	uint64_t faults = 0;
	for (uint64_t i = 0; i < 4; i++)
		faults += vmt_scan(&vm, mm, BASE + i * HUGE, 1, ACCESS_WRITE);
	CHECK_EQ_U64(faults, 4);
	CHECK_EQ_U64(vm.st.faults_cow - cow, 4);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE, 4 * HPAGE_NR, ACCESS_WRITE), 0);
	CHECK_EQ_U64(vm.st.faults_cow_copies, 2 * HPAGE_NR);
	CHECK_EQ_U64(vm.thp_pages, 4);
	vmt_check(&vm, mm, NULL);
	vm_mm_destroy(&vm, mm, &w);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	vm_fini(&vm);
}

/* A huge page mapped by the parent's PMD and the child's split PMD: the parent unmaps it (the
 * page stays for the child's PTEs), the child's writes copy until only its own mappings are
 * left, then reuse; reclaim of a huge page whose PMD one process split swaps it as 4 KiB
 * pages; exit frees everything. */
static void test_thp_split_pmd_lifetime(void)
{
	struct vm vm;
	struct fault_work w;
	fault_work_reset(&w);
	struct mm_struct *mm = thp_setup(&vm, 2560, 4096);
	struct mm_struct *child = vm_fork(&vm, mm, 2, &w);
	CHECK_EQ_U64(vmt_scan(&vm, child, BASE, 1, ACCESS_WRITE), 1); /* splits the child's PMD 0 */
	CHECK(vm_munmap(&vm, mm, BASE, HUGE, &w) == 0);
	CHECK_EQ_U64(vm.thp_pages, 4);
	CHECK_EQ_U64(child->rss_pages, 4 * HPAGE_NR);
	vmt_check(&vm, mm, child);
	uint64_t copies = vm.st.faults_cow_copies;
	CHECK_EQ_U64(vmt_scan(&vm, child, BASE + PAGE, 2, ACCESS_WRITE), 2);
	CHECK_EQ_U64(vm.st.faults_cow_copies - copies, 0); /* only the child maps it now */
	/* Fill memory (511 frames free, 1024 pages written): 513 evictions; FIFO takes the four
	 * huge pages first, each split whole (its head the victim), huge page 0 with the child's
	 * PTEs of its split PMD among its mappings. */
	CHECK(vm_mmap_anon(&vm, mm, BASE + 8 * HUGE, 2 * HUGE, RW, &w) == 0);
	CHECK_EQ_U64(vmt_scan(&vm, mm, BASE + 8 * HUGE, 2 * HPAGE_NR, ACCESS_WRITE), 2 * HPAGE_NR);
	CHECK_EQ_U64(vm.st.thp_splits, 4);
	CHECK_EQ_U64(vm.st.evictions, 513);
	vmt_check(&vm, mm, child);
	vm_mm_destroy(&vm, child, &w);
	vm_mm_destroy(&vm, mm, &w);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	CHECK_EQ_U64(vm.nr_swap_used, 0);
	vm_fini(&vm);
}

int main(void)
{
	test_thp_fork();
	test_thp_split_pmd_lifetime();
	test_shared_anon_fork();
	test_shared_anon_swap();
	test_mprotect_rw();
	test_file_private_write_stride();
	test_madv_dontneed();
	TEST_DONE();
}
