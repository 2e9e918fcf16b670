/*
 * test_vm_file.c — file-backed memory on the VM layer alone (memory.c's do_read_fault,
 * do_cow_fault, do_shared_fault; filemap.c): a miss reads the page into the page cache (a
 * major fault, one read at the file's offset on the file device); fault-around maps the
 * cached neighbours of the window old (a minor fault with vm.fault_around_pages 4); readahead
 * reads the next pages on a sequential miss, in one merged request; a private write maps the
 * page-cache page, then copies it (do_cow_fault as two turns: faults.file_major and a COW
 * copy in one fault); a shared write dirties the PTE and msync writes it back (page_mkclean);
 * a fault beyond the end of the file is a SIGBUS; reclaim writes a dirty page-cache page back
 * and drops a clean one.
 */
#include "tests/unit/vm_fixture.h"

#define RO VM_READ
#define SHARED_RW (VM_READ | VM_WRITE | VM_SHARED)

static void check_file_io(const struct fault_work *w, uint32_t i, bool is_write, uint64_t off,
                          uint64_t size)
{
	CHECK(i < w->nr_io);
	if (i >= w->nr_io)
		return;
	CHECK_EQ_U64(w->io[i].is_write, is_write);
	CHECK_EQ_U64(w->io[i].device, IO_DEV_FILE);
	CHECK_EQ_U64(w->io[i].offset_bytes, off);
	CHECK_EQ_U64(w->io[i].size_bytes, size);
}

/* A file of 8 pages and 100 bytes (9 pages), mapped private read-only over 16 pages. */
static struct mm_struct *map_file(struct vm *vm, uint32_t *file, uint32_t pid, uint32_t flags)
{
	struct fault_work w;
	*file = vm_file_declare(vm, "f", 8 * PAGE + 100);
	struct mm_struct *mm = vm_mm_create(vm, pid);
	CHECK(vm_mmap_file(vm, mm, BASE, 16 * PAGE, flags, *file, 0, &w) == 0);
	return mm;
}

static void test_read_and_fault_around(void)
{
	struct vm vm;
	struct fault_work w;
	uint32_t file;
	vmt_init(&vm, 16, 8, true, 4, 0);
	struct mm_struct *mm1 = map_file(&vm, &file, 1, RO);
	CHECK_EQ_U64(vm.fm.files[file].nr_pages, 9);

	/* A miss: the page read into frame 0, mapped read-only (private). */
	CHECK(vmt_access(&vm, mm1, BASE + PAGE, ACCESS_READ, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_FILE_READ);
	CHECK(w.major);
	CHECK_EQ_U64(w.nr_io, 1);
	check_file_io(&w, 0, false, PAGE, PAGE);
	CHECK_EQ_U64(w.fault_around_pages, 0);
	CHECK_EQ_U64(w.pfn, 0);
	CHECK_EQ_U64(vmt_pte(mm1, BASE + PAGE), pte_mk(0, PTE_ACCESSED));
	CHECK_EQ_U64(vm.pages[0].flags, PG_FILE | PG_LRU);
	CHECK_EQ_U64(vm.pages[0].mapping, file);
	CHECK_EQ_U64(vm.pages[0].index, 1);
	CHECK_EQ_U64(filemap_lookup(&vm.fm, file, 1), 0);
	/* Pages 0, 2, 3: three more misses (frames 1, 2, 3). */
	vmt_access(&vm, mm1, BASE, ACCESS_READ, &w);
	vmt_access(&vm, mm1, BASE + 2 * PAGE, ACCESS_READ, &w);
	vmt_access(&vm, mm1, BASE + 3 * PAGE, ACCESS_READ, &w);
	CHECK_EQ_U64(vm.st.faults_file_major, 4);
	CHECK_EQ_U64(vm.fm.nr_cached, 4);

	/* Another process reads page 1: fault-around maps the cached window [0, 4) at once, the
	 * faulting page young, its three neighbours old. A minor fault, no I/O. */
	struct mm_struct *mm2 = vm_mm_create(&vm, 2);
	CHECK(vm_mmap_file(&vm, mm2, BASE, 16 * PAGE, RO, file, 0, &w) == 0);
	CHECK(vmt_access(&vm, mm2, BASE + PAGE, ACCESS_READ, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_FILE);
	CHECK(!w.major);
	CHECK_EQ_U64(w.nr_io, 0);
	CHECK_EQ_U64(w.fault_around_pages, 3);
	CHECK_EQ_U64(vmt_pte(mm2, BASE + PAGE), pte_mk(0, PTE_ACCESSED));
	CHECK_EQ_U64(vmt_pte(mm2, BASE), pte_mk(1, 0));
	CHECK_EQ_U64(vmt_pte(mm2, BASE + 2 * PAGE), pte_mk(2, 0));
	CHECK_EQ_U64(vmt_pte(mm2, BASE + 3 * PAGE), pte_mk(3, 0));
	CHECK_EQ_U64(vmt_pte(mm2, BASE + 4 * PAGE), 0);
	CHECK_EQ_U64(mm2->rss_pages, 4);
	CHECK_EQ_U64(vm.pages[2].mapcount, 2);
	CHECK_EQ_U64(vm.st.faults_file, 1);
	CHECK_EQ_U64(vm.st.fault_around_pages, 3);
	/* The neighbours' next accesses hit. */
	CHECK(vmt_access(&vm, mm2, BASE + 3 * PAGE, ACCESS_READ, &w) == ACCESS_HIT);

	/* Beyond the end of the file (page 9 of a 9-page file): SIGBUS, nothing mapped. */
	CHECK(vmt_access(&vm, mm2, BASE + 9 * PAGE, ACCESS_READ, &w) == ACCESS_SEGV);
	CHECK_EQ_U64(vmt_pte(mm2, BASE + 9 * PAGE), 0);

	/* A private write to an uncached page (4): read into the page cache and mapped (first
	 * turn), then copied into an anonymous frame (second turn); the page-cache page stays
	 * cached, unmapped. */
	CHECK(vm_mprotect(&vm, mm2, BASE, 16 * PAGE, VM_READ | VM_WRITE, &w) == 0);
	CHECK(vmt_access(&vm, mm2, BASE + 4 * PAGE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_FILE_READ | FK_COW | FK_COW_COPY);
	CHECK(w.major);
	CHECK_EQ_U64(w.copies, 1);
	CHECK_EQ_U64(w.copy_src_pfn, 4);
	CHECK_EQ_U64(w.pfn, 5);
	CHECK_EQ_U64(vmt_pte(mm2, BASE + 4 * PAGE),
	             pte_mk(5, PTE_WRITE | PTE_ACCESSED | PTE_DIRTY));
	CHECK_EQ_U64(vm.pages[5].flags, PG_ANON | PG_DIRTY | PG_LRU);
	CHECK_EQ_U64(vm.pages[4].flags, PG_FILE | PG_LRU);
	CHECK_EQ_U64(vm.pages[4].mapcount, 0);
	CHECK_EQ_U64(vm.fm.nr_cached, 5);
	vmt_check(&vm, mm1, mm2);
	vm_mm_destroy(&vm, mm2, &w);
	vm_mm_destroy(&vm, mm1, &w);
	CHECK_EQ_U64(vm_frames_used(&vm), 5); /* the page cache outlives its mappers */
	vm_fini(&vm);
}

static void test_readahead(void)
{
	struct vm vm;
	struct fault_work w;
	uint32_t file;
	vmt_init(&vm, 16, 8, true, 0, 2);
	struct mm_struct *mm = map_file(&vm, &file, 1, RO);
	vmt_access(&vm, mm, BASE, ACCESS_READ, &w); /* the first miss: no readahead */
	CHECK_EQ_U64(w.readahead_pages, 0);
	/* The next miss continues it: page 1 and, unmapped, pages 2 and 3 in one request. */
	CHECK(vmt_access(&vm, mm, BASE + PAGE, ACCESS_READ, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_FILE_READ);
	CHECK_EQ_U64(w.readahead_pages, 2);
	CHECK_EQ_U64(w.nr_io, 1);
	check_file_io(&w, 0, false, PAGE, 3 * PAGE);
	CHECK_EQ_U64(w.nr_read_pfns, 3);
	CHECK_EQ_U64(vm.fm.nr_cached, 4);
	CHECK_EQ_U64(vmt_pte(mm, BASE + 2 * PAGE), 0);
	CHECK_EQ_U64(vm.st.readahead_pages, 2);
	/* Page 2 is then a minor fault. */
	CHECK(vmt_access(&vm, mm, BASE + 2 * PAGE, ACCESS_READ, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_FILE);
	CHECK_EQ_U64(w.nr_io, 0);
	vmt_check(&vm, mm, NULL);
	vm_mm_destroy(&vm, mm, &w);
	vm_fini(&vm);
}

static void test_shared_write_msync_reclaim(void)
{
	struct vm vm;
	struct fault_work w;
	uint32_t file;
	vmt_init(&vm, 2, 8, true, 0, 0);
	struct mm_struct *mm = map_file(&vm, &file, 1, SHARED_RW);
	CHECK(vm_mmap_anon(&vm, mm, BASE + 64 * PAGE, 4 * PAGE, VM_READ | VM_WRITE, &w) == 0);

	/* A shared write: the page-cache page mapped writable and dirty (do_shared_fault). */
	CHECK(vmt_access(&vm, mm, BASE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.kinds, FK_FILE_READ);
	CHECK_EQ_U64(vmt_pte(mm, BASE), pte_mk(0, PTE_WRITE | PTE_ACCESSED | PTE_DIRTY));
	/* msync: the dirty PTE cleaned and write-protected (page_mkclean; its translation
	 * invalidated), the page written back. */
	fault_work_reset(&w);
	CHECK(vm_msync(&vm, mm, BASE, 16 * PAGE, &w) == 0);
	CHECK_EQ_U64(w.nr_io, 1);
	check_file_io(&w, 0, true, 0, PAGE);
	CHECK_EQ_U64(w.tlb_invalidations, 1);
	CHECK_EQ_U64(vmt_pte(mm, BASE), pte_mk(0, PTE_ACCESSED));
	CHECK_EQ_U64(vm.st.msync_writeback, 1);
	/* A second msync finds nothing dirty. */
	fault_work_reset(&w);
	CHECK(vm_msync(&vm, mm, BASE, 16 * PAGE, &w) == 0);
	CHECK_EQ_U64(w.nr_io, 0);

	/* Page 0 written again (a write-protect fault, wp_page_shared: writable and dirty
	 * again), page 1 read (clean): memory is full. The next
	 * anonymous write evicts page 0 (FIFO): written back, its PTE none; the one after evicts
	 * page 1: dropped, no write. */
	CHECK(vmt_access(&vm, mm, BASE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(vmt_pte(mm, BASE), pte_mk(0, PTE_WRITE | PTE_ACCESSED | PTE_DIRTY));
	CHECK(vmt_access(&vm, mm, BASE, ACCESS_WRITE, &w) == ACCESS_HIT);
	vmt_access(&vm, mm, BASE + PAGE, ACCESS_READ, &w);
	CHECK(vmt_access(&vm, mm, BASE + 64 * PAGE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.evictions, 1);
	CHECK_EQ_U64(w.nr_io, 1);
	check_file_io(&w, 0, true, 0, PAGE);
	CHECK_EQ_U64(vmt_pte(mm, BASE), 0);
	CHECK_EQ_U64(filemap_lookup(&vm.fm, file, 0), PFN_NONE);
	CHECK_EQ_U64(vm.st.writeback, 1);
	CHECK(vmt_access(&vm, mm, BASE + 65 * PAGE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.evictions, 1);
	CHECK_EQ_U64(w.nr_io, 0);
	CHECK_EQ_U64(vm.st.file_drops, 1);
	CHECK_EQ_U64(vm.fm.nr_cached, 0);
	CHECK_EQ_U64(vm.nr_swap_used, 0); /* page-cache pages never go to swap */
	vmt_check(&vm, mm, NULL);
	vm_mm_destroy(&vm, mm, &w);
	vm_fini(&vm);
}

int main(void)
{
	test_read_and_fault_around();
	test_readahead();
	test_shared_write_msync_reclaim();
	TEST_DONE();
}
