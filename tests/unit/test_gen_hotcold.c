/*
 * test_gen_hotcold.c — the hotcold generator: with hot_fraction_pages 0.2 and
 * hot_fraction_accesses 0.8 over 1000 pages, exactly 200 pages are hot and they receive 80%
 * of 10^6 accesses within 1% (the sd is 0.04%); without permute they are pages 0..199, with
 * it they are the seeded permutation's images of 0..199; a hot set of no page is an error.
 */
#include <stdlib.h>

#include "tests/unit/test_gen_util.h"
#include "workloads/gen_common.h"

#define PAGES 1000
#define HOT 200
#define N 1000000

static void run(int permute, uint64_t seed)
{
	char json[200];
	snprintf(json, sizeof(json),
	         "{\"pages\": %d, \"hot_fraction_pages\": 0.2, \"hot_fraction_accesses\": 0.8, "
	         "\"accesses\": %d, \"permute\": %s}",
	         PAGES, N, permute ? "true" : "false");
	static int is_hot[PAGES];
	memset(is_hot, 0, sizeof(is_hot));
	struct gen_perm perm;
	gen_perm_init(&perm, PAGES, seed);
	for (uint64_t i = 0; i < HOT; i++)
		is_hot[permute ? gen_perm_apply(&perm, i) : i] = 1;

	struct gen_test g;
	gen_test_open_ok(&g, "hotcold", json, seed);
	struct op op;
	static uint64_t count[PAGES];
	memset(count, 0, sizeof(count));
	uint64_t hot = 0, n = 0;
	while (gen_test_next(&g, 1, &op)) {
		if (op.kind != OP_READ && op.kind != OP_WRITE)
			continue;
		uint64_t page = (op.addr - GEN_BASE_ADDR) / GEN_TEST_PAGE;
		BUG_ON(page >= PAGES, "out of range");
		count[page]++;
		hot += is_hot[page];
		n++;
	}
	gen_test_close(&g);
	CHECK_EQ_U64(n, N);
	double share = (double)hot / N;
	printf("hotcold permute=%d: hot share %.4f\n", permute, share);
	CHECK(share > 0.79 && share < 0.81);
	/* Every hot page is touched about 4000 times, every cold one about 250 times. */
	int ok = 1;
	for (int i = 0; i < PAGES; i++)
		ok &= is_hot[i] ? count[i] > 3000 && count[i] < 5000
		                : count[i] > 150 && count[i] < 350;
	CHECK(ok);
}

int main(void)
{
	run(0, 9);
	run(1, 9);
	struct gen_test g;
	struct err err = {{0}};
	CHECK(gen_test_open(&g, "hotcold", "{\"pages\": 100, \"hot_fraction_pages\": 0.001}", 1,
	                    &err) < 0);
	CHECK_STR_CONTAINS(err.msg,
	                   "workload.hot_fraction_pages: 0.001 of 100 pages leaves no hot");
	CHECK(gen_test_open(&g, "hotcold", "{\"pages\": 100, \"hot_fraction_pages\": 1}", 1, &err) <
	      0);
	CHECK_STR_CONTAINS(err.msg, "no cold page");
	TEST_DONE();
}
