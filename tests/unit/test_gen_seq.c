/*
 * test_gen_seq.c — the seq generator: the mapping, the exact page order with and without a
 * stride, loops, compute after each access, the read/write mix, duration_ns, bad params.
 */
#include "tests/unit/test_gen_util.h"
#include "workloads/gen_common.h"

static uint64_t page_of(const struct op *op)
{
	return (op->addr - GEN_BASE_ADDR) / GEN_TEST_PAGE;
}

/* pages 10, loops 2, all reads: mmap, pages 0..9 twice, exit. */
static void test_order(void)
{
	struct gen_test g;
	gen_test_open_ok(&g, "seq", "{\"pages\": 10, \"loops\": 2, \"write_fraction\": 0}", 1);
	struct op op;
	CHECK(gen_test_next(&g, 1, &op) == 1);
	CHECK_EQ_U64(op.kind, OP_MMAP);
	CHECK_EQ_U64(op.addr, GEN_BASE_ADDR);
	CHECK_EQ_U64(op.len, 10 * GEN_TEST_PAGE);
	CHECK_EQ_U64(op.prot, PROT_R | PROT_W);
	CHECK_EQ_U64(op.flags, 0);
	int order_ok = 1, offset_ok = 1;
	for (uint64_t i = 0; i < 20; i++) {
		CHECK(gen_test_next(&g, 1, &op) == 1);
		order_ok &= op.kind == OP_READ && page_of(&op) == i % 10;
		offset_ok &= op.addr % GEN_TEST_PAGE == (i * 64) % GEN_TEST_PAGE;
	}
	CHECK(order_ok);
	CHECK(offset_ok);
	CHECK(gen_test_next(&g, 1, &op) == 1);
	CHECK_EQ_U64(op.kind, OP_EXIT);
	CHECK(gen_test_next(&g, 1, &op) == 0);
	gen_test_close(&g);
}

/* pages 10, stride 3: pages 0, 3, 6, 9 per loop, 3 loops, each followed by 500 ns. */
static void test_stride_compute(void)
{
	struct gen_test g;
	gen_test_open_ok(&g, "seq",
	                 "{\"pages\": 10, \"stride_pages\": 3, \"loops\": 3, \"compute_ns\": 500,"
	                 " \"write_fraction\": 1}",
	                 1);
	struct op op;
	gen_test_next(&g, 1, &op);
	CHECK_EQ_U64(op.kind, OP_MMAP);
	const uint64_t want[4] = {0, 3, 6, 9};
	int ok = 1;
	for (int i = 0; i < 12; i++) {
		gen_test_next(&g, 1, &op);
		ok &= op.kind == OP_WRITE && page_of(&op) == want[i % 4];
		gen_test_next(&g, 1, &op);
		ok &= op.kind == OP_COMPUTE && op.arg == 500;
	}
	CHECK(ok);
	gen_test_next(&g, 1, &op);
	CHECK_EQ_U64(op.kind, OP_EXIT);
	gen_test_close(&g);
}

/* duration_ns 2000 with compute 500: 4 accesses of the 10. */
static void test_duration(void)
{
	struct gen_test g;
	gen_test_open_ok(&g, "seq", "{\"pages\": 10, \"compute_ns\": 500, \"duration_ns\": 2000}",
	                 1);
	struct op op;
	uint64_t accesses = 0, computes = 0;
	while (gen_test_next(&g, 1, &op)) {
		accesses += op.kind == OP_READ || op.kind == OP_WRITE;
		computes += op.kind == OP_COMPUTE;
	}
	CHECK_EQ_U64(accesses, 4);
	CHECK_EQ_U64(computes, 4);
	gen_test_close(&g);
}

/* write_fraction 0.25 over 40000 pages: writes within 5 sd (sd = sqrt(n p q) = 86.6). */
static void test_write_mix(void)
{
	struct gen_test g;
	gen_test_open_ok(&g, "seq", "{\"pages\": 40000, \"write_fraction\": 0.25}", 7);
	struct op op;
	uint64_t writes = 0, reads = 0;
	while (gen_test_next(&g, 1, &op)) {
		writes += op.kind == OP_WRITE;
		reads += op.kind == OP_READ;
	}
	CHECK_EQ_U64(reads + writes, 40000);
	CHECK(writes > 10000 - 433 && writes < 10000 + 433);
	gen_test_close(&g);
}

static void test_bad_params(void)
{
	struct gen_test g;
	struct err err = {{0}};
	CHECK(gen_test_open(&g, "seq", "{\"pages\": 10, \"stride_pages\": 11}", 1, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "test.json: workload.stride_pages: expected at most pages");
	CHECK(gen_test_open(&g, "seq", "{\"pages\": 10, \"duration_ns\": 100}", 1, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "workload.duration_ns: needs compute_ns > 0");
	CHECK(gen_test_open(&g, "seq", "{\"pagse\": 10}", 1, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "did you mean \"pages\"");
	CHECK(gen_test_open(&g, "seq", "{\"pages\": 0}", 1, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "workload.pages: expected an integer in [1,");
	/* 2^29 pages of 4 KiB = 2 TiB: more than one region may span. */
	CHECK(gen_test_open(&g, "seq", "{\"pages\": 536870912}", 1, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "larger than the 268435456 pages");
}

int main(void)
{
	test_order();
	test_stride_compute();
	test_duration();
	test_write_mix();
	test_bad_params();
	TEST_DONE();
}
