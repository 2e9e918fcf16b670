/*
 * test_vm_shm.c — shmem objects by name (models/vm/shmem.c: vm_shm_truncate, vm_shm_unlink,
 * vm_shm_find) on the VM layer alone: an object is shared by name between address spaces,
 * lives while named or mapped, dies (its frames freed, its id reused) with its last mapping
 * once unlinked, and shrinks with ftruncate (the pages past the end freed and unmapped, an
 * access there SIGBUS). A SysV attachment (VM_NO_MAP_PAGES) takes no fault-around. Frames come
 * off the free list lowest first, so each count is exact.
 */
#include "tests/unit/vm_fixture.h"

#define RWS (VM_READ | VM_WRITE | VM_SHARED)

static void test_lifetime(void)
{
	struct vm vm;
	struct fault_work w;
	vmt_init(&vm, 16, 16, true, 4, 0);
	struct mm_struct *a = vm_mm_create(&vm, 1);
	struct mm_struct *b = vm_mm_create(&vm, 2);
	CHECK(vm_shm_unlink(&vm, "obj", &w) == -1); /* no such object */
	CHECK(vm_shm_truncate(&vm, "obj", 8 * PAGE, &w) == 0);
	int file = vm_shm_find(&vm, "obj");
	CHECK(file >= 0);
	CHECK(vm_mmap_file(&vm, a, BASE, 8 * PAGE, RWS, (uint32_t)file, 0, &w) == 0);
	for (uint64_t i = 0; i < 8; i++)
		CHECK(vmt_access(&vm, a, BASE + i * PAGE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(vm_frames_used(&vm), 8);
	/* b maps it by name: its read faults map the cached window of 4 pages: 2 faults. */
	CHECK(vm_mmap_file(&vm, b, BASE, 8 * PAGE, RWS, (uint32_t)file, 0, &w) == 0);
	uint64_t faults = 0;
	for (uint64_t i = 0; i < 8; i++)
		faults += vmt_access(&vm, b, BASE + i * PAGE, ACCESS_READ, &w) == ACCESS_FAULT;
	CHECK_EQ_U64(faults, 2);
	CHECK_EQ_U64(pte_pfn(vmt_pte(b, BASE + 5 * PAGE)), pte_pfn(vmt_pte(a, BASE + 5 * PAGE)));
	/* Unlinked while mapped: the name goes, the pages stay; a new object may take the name. */
	CHECK(vm_shm_unlink(&vm, "obj", &w) == 0);
	CHECK(vm_shm_find(&vm, "obj") == -1);
	CHECK_EQ_U64(vm_frames_used(&vm), 8);
	CHECK(vm_munmap(&vm, a, BASE, 8 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm_frames_used(&vm), 8);
	vmt_check(&vm, b, NULL);
	/* The last mapping goes: the object dies, its frames are free. */
	CHECK(vm_munmap(&vm, b, BASE, 8 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm_frames_used(&vm), 0);
	CHECK_EQ_U64(vm.fm.nr_cached, 0);
	/* A new object of that name reuses the dead one's id and starts empty. */
	CHECK(vm_shm_truncate(&vm, "obj", 4 * PAGE, &w) == 0);
	CHECK(vm_shm_find(&vm, "obj") == file);
	/* Named and unmapped, it keeps its pages. */
	CHECK(vm_mmap_file(&vm, a, BASE, 4 * PAGE, RWS, (uint32_t)file, 0, &w) == 0);
	CHECK(vmt_access(&vm, a, BASE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK(vm_munmap(&vm, a, BASE, 4 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm_frames_used(&vm), 1);
	vm_mm_destroy(&vm, a, &w);
	vm_mm_destroy(&vm, b, &w);
	vm_fini(&vm);
}

static void test_truncate_and_sysv(void)
{
	struct vm vm;
	struct fault_work w;
	vmt_init(&vm, 16, 16, true, 4, 0);
	struct mm_struct *a = vm_mm_create(&vm, 1);
	CHECK(vm_shm_truncate(&vm, "seg", 8 * PAGE, &w) == 0);
	uint32_t file = (uint32_t)vm_shm_find(&vm, "seg");
	CHECK(vm_mmap_file(&vm, a, BASE, 8 * PAGE, RWS, file, 0, &w) == 0);
	for (uint64_t i = 0; i < 8; i++)
		CHECK(vmt_access(&vm, a, BASE + i * PAGE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	/* SysV: shmat's VMA has no map_pages: a fault per page. */
	CHECK(vm_mmap_file(&vm, a, BASE + 64 * PAGE, 8 * PAGE, RWS | VM_NO_MAP_PAGES, file, 0, &w) ==
	      0);
	uint64_t faults = 0;
	for (uint64_t i = 0; i < 8; i++)
		faults += vmt_access(&vm, a, BASE + (64 + i) * PAGE, ACCESS_READ, &w) == ACCESS_FAULT;
	CHECK_EQ_U64(faults, 8);
	/* ftruncate to 3 pages: 5 pages freed and unmapped from both mappings; past the end,
	 * SIGBUS. */
	CHECK(vm_shm_truncate(&vm, "seg", 3 * PAGE, &w) == 0);
	CHECK_EQ_U64(vm_frames_used(&vm), 3);
	CHECK(vmt_access(&vm, a, BASE + 2 * PAGE, ACCESS_READ, &w) == ACCESS_HIT);
	CHECK(vmt_access(&vm, a, BASE + 3 * PAGE, ACCESS_READ, &w) == ACCESS_SEGV);
	CHECK_EQ_U64(w.signal, VM_SIG_BUS_ADRERR);
	vmt_check(&vm, a, NULL);
	/* A file declared with a name is not a shmem object. */
	vm_file_declare(&vm, "data", PAGE);
	CHECK(vm_shm_truncate(&vm, "data", PAGE, &w) == -1);
	CHECK(vm_shm_find(&vm, "data") == -1);
	vm_mm_destroy(&vm, a, &w);
	vm_fini(&vm);
}

int main(void)
{
	test_lifetime();
	test_truncate_and_sysv();
	TEST_DONE();
}
