/*
 * test_gen_loop.c — the loop generator: a cyclic scan, exactly `accesses` long.
 */
#include "tests/unit/test_gen_util.h"
#include "workloads/gen_common.h"

int main(void)
{
	struct gen_test g;
	gen_test_open_ok(&g, "loop", "{\"pages\": 5, \"accesses\": 12, \"write_fraction\": 0}", 3);
	struct op op;
	gen_test_next(&g, 1, &op);
	CHECK_EQ_U64(op.kind, OP_MMAP);
	CHECK_EQ_U64(op.len, 5 * GEN_TEST_PAGE);
	const uint64_t want[12] = {0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1};
	int ok = 1;
	for (int i = 0; i < 12; i++) {
		gen_test_next(&g, 1, &op);
		ok &= op.kind == OP_READ && (op.addr - GEN_BASE_ADDR) / GEN_TEST_PAGE == want[i];
	}
	CHECK(ok);
	gen_test_next(&g, 1, &op);
	CHECK_EQ_U64(op.kind, OP_EXIT);
	CHECK(gen_test_next(&g, 1, &op) == 0);
	gen_test_close(&g);

	/* A long loop: page i % pages at access i, over a million accesses. */
	gen_test_open_ok(&g, "loop", "{\"pages\": 1100, \"accesses\": 1000000}", 3);
	gen_test_next(&g, 1, &op);
	uint64_t i = 0;
	ok = 1;
	while (gen_test_next(&g, 1, &op) && op.kind != OP_EXIT) {
		ok &= (op.addr - GEN_BASE_ADDR) / GEN_TEST_PAGE == i % 1100;
		i++;
	}
	CHECK(ok);
	CHECK_EQ_U64(i, 1000000);
	gen_test_close(&g);
	TEST_DONE();
}
