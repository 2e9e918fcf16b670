/*
 * test_vm_offload.c — memory offloading on the VM layer alone (FIFO: every victim is known):
 * the cost draws of zcomp.c against their definition; zram's store into the pool (which
 * takes a frame of memory.frames, so a second victim goes to make room), its synchronous
 * swap-in that bypasses the swap cache and frees the slot; a cgroup's memory.max.
 */
#include "tests/unit/vm_fixture.h"

/* A VM of nr_frames with zram (lz4, ratio ratio_milli for class 1) and groups. */
static void init_offload(struct vm *vm, uint64_t nr_frames, const struct zcomp_class *cls,
                         const struct memcg_config *cg, uint32_t nr_cg)
{
	struct vm_config c = {
	    .nr_frames = nr_frames,
	    .page_size = PAGE,
	    .swap_pages = 64,
	    .pt_levels = 4,
	    .policy = policy_find("fifo"),
	    .seed = 1,
	    .local_frames = nr_frames,
	    .thp = THP_NEVER,
	    .zclasses = cls,
	    .nr_zclasses = cls ? 1 : 0,
	    .memcgs = cg,
	    .nr_memcgs = nr_cg,
	    .zram = {.enabled = cls != NULL, .alg = zcomp_find("lz4"), .huge_class_bytes = 3072},
	};
	struct err err;
	CHECK(vm_init(vm, &c, &err) == 0);
	vm_set_cpu(vm, 0);
}

/* lz4's decompression: 100 values of mean 1.7 us and 99th percentile 3.6 us (docs/vm.md,
 * python3 in tests/cli/offload_zswap_zram.sh gives the same): drawn k = 11, 48, 85, ... */
static void test_cost_draws(void)
{
	struct zcomp_cost c;
	zcomp_cost_init(&c, 1700000, 3600000);
	CHECK_EQ_U64(c.value_ps[0], 1111865);
	CHECK_EQ_U64(c.value_ps[98], 3599997);
	CHECK_EQ_U64(c.value_ps[99], 4251652);
	CHECK_EQ_U64(zcomp_cost_draw(&c), 1181357); /* k = 11 */
	CHECK_EQ_U64(zcomp_cost_draw(&c), 1502507); /* k = 48 */
	uint64_t sum = 1181357 + 1502507;
	for (int i = 2; i < 100; i++)
		sum += zcomp_cost_draw(&c);
	CHECK_EQ_U64(sum, 170000024); /* every value once */
	CHECK_EQ_U64(zcomp_cost_draw(&c), 1181357); /* and round again */
}

static void test_zram(void)
{
	struct vm vm;
	struct zcomp_class cls = {.ratio_milli = 4000}; /* 1024 bytes a page */
	init_offload(&vm, 4, &cls, NULL, 0);
	struct fault_work w;
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	vm_mm_set_group(mm, 0, 1);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 8 * PAGE, VM_READ | VM_WRITE, &w) == 0);
	for (uint64_t i = 0; i < 4; i++)
		CHECK(vmt_access(&vm, mm, BASE + i * PAGE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	/* The fifth page: page 0 goes to zram (1024 bytes), the pool takes the frame it freed,
	 * so page 1 goes too (2048 bytes, still one pool frame) and its frame is the new page's. */
	CHECK(vmt_access(&vm, mm, BASE + 4 * PAGE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.evictions, 2);
	CHECK_EQ_U64(w.nr_io, 0);
	CHECK_EQ_U64(vm.zc->stored_pages, 2);
	CHECK_EQ_U64(vm.zc->pool.bytes, 2048);
	CHECK_EQ_U64(vm.zc->pool.nr_frames, 1);
	CHECK_EQ_U64(mm->rss_pages, 3);
	CHECK_EQ_U64(vm.nr_free, 0);
	vmt_check(&vm, mm, NULL);
	/* Page 0 back: one decompression (the first draw, k = 11), no I/O; page 2 makes room
	 * (the third compression, k = 85; 3072 bytes, one frame); page 0 is exclusive, so it
	 * leaves the swap cache and its slot at once, dirty. */
	CHECK(vmt_access(&vm, mm, BASE, ACCESS_READ, &w) == ACCESS_FAULT);
	CHECK(w.major && (w.kinds & FK_SWAP_IN));
	CHECK_EQ_U64(w.nr_io, 0);
	CHECK_EQ_U64(w.zcomp_ps, vm.zc->comp.value_ps[85] + vm.zc->decomp.value_ps[11]);
	const struct page *pg = &vm.pages[pte_pfn(vmt_pte(mm, BASE))];
	CHECK_EQ_U64(pg->flags & (PG_SWAPCACHE | PG_DIRTY), PG_DIRTY);
	CHECK_EQ_U64(vm.zc->stored_pages, 2);
	CHECK_EQ_U64(vm.zc->pool.bytes, 2048);
	CHECK_EQ_U64(vm.nr_swap_used, 2);
	vmt_check(&vm, mm, NULL);
	fault_work_reset(&w);
	vm_mm_destroy(&vm, mm, &w);
	CHECK_EQ_U64(vm.zc->stored_pages, 0);
	CHECK_EQ_U64(vm.zc->pool.nr_frames, 0);
	CHECK_EQ_U64(vm.nr_free, 4);
	vm_fini(&vm);
}

/* memory.max 2 of 8 frames: the third page of the group evicts the group's oldest. */
static void test_memcg_max(void)
{
	struct vm vm;
	struct memcg_config cg = {.name = "g",
	                          .max_pages = 2,
	                          .high_pages = MEMCG_NO_LIMIT,
	                          .swap_max_pages = MEMCG_NO_LIMIT};
	init_offload(&vm, 8, NULL, &cg, 1);
	struct fault_work w;
	struct mm_struct *mm = vm_mm_create(&vm, 1);
	vm_mm_set_group(mm, vm_memcg_find(&vm, "g"), 0);
	CHECK(vm_mmap_anon(&vm, mm, BASE, 8 * PAGE, VM_READ | VM_WRITE, &w) == 0);
	for (uint64_t i = 0; i < 3; i++)
		CHECK(vmt_access(&vm, mm, BASE + i * PAGE, ACCESS_WRITE, &w) == ACCESS_FAULT);
	CHECK_EQ_U64(w.evictions, 1);
	CHECK(w.memstall);
	CHECK_EQ_U64(vmt_pte(mm, BASE), pte_mkswap(0)); /* the oldest went to swap */
	CHECK_EQ_U64(vm.memcgs[1].nr_pages, 2);
	CHECK_EQ_U64(vm.memcgs[1].peak_pages, 2);
	CHECK_EQ_U64(vm.memcgs[1].events[MEMCG_MAX], 1);
	CHECK_EQ_U64(vm.memcgs[1].swap_pages, 1);
	CHECK_EQ_U64(vm.nr_free, 6);
	vmt_check(&vm, mm, NULL);
	fault_work_reset(&w);
	vm_mm_destroy(&vm, mm, &w);
	CHECK_EQ_U64(vm.memcgs[1].nr_pages, 0);
	CHECK_EQ_U64(vm.memcgs[1].swap_pages, 0);
	vm_fini(&vm);
}

int main(void)
{
	test_cost_draws();
	test_zram();
	test_memcg_max();
	TEST_DONE();
}
