/*
 * test_gen_uniform.c — the uniform generator: every page in range, the page counts pass a
 * chi-square test (neither too skewed nor too even: a scan would give chi2 = 0), the
 * read/write mix, determinism per seed.
 */
#include <gsl/gsl_cdf.h>

#include "tests/unit/test_gen_util.h"
#include "workloads/gen_common.h"

#define PAGES 100
#define N 1000000

int main(void)
{
	struct gen_test g;
	gen_test_open_ok(&g, "uniform",
	                 "{\"pages\": 100, \"accesses\": 1000000, \"write_fraction\": 0.3}", 42);
	struct op op;
	gen_test_next(&g, 1, &op);
	CHECK_EQ_U64(op.kind, OP_MMAP);
	CHECK_EQ_U64(op.len, PAGES * GEN_TEST_PAGE);
	static uint64_t count[PAGES];
	uint64_t n = 0, writes = 0, out_of_range = 0;
	while (gen_test_next(&g, 1, &op) && op.kind != OP_EXIT) {
		uint64_t page = (op.addr - GEN_BASE_ADDR) / GEN_TEST_PAGE;
		if (page >= PAGES) {
			out_of_range++;
			continue;
		}
		count[page]++;
		writes += op.kind == OP_WRITE;
		n++;
	}
	gen_test_close(&g);
	CHECK_EQ_U64(n, N);
	CHECK_EQ_U64(out_of_range, 0);
	double chi2 = 0, e = (double)N / PAGES;
	for (int i = 0; i < PAGES; i++)
		chi2 += ((double)count[i] - e) * ((double)count[i] - e) / e;
	double q = gsl_cdf_chisq_Q(chi2, PAGES - 1);
	printf("uniform: chi2 = %.1f (99 dof), Q = %.3f\n", chi2, q);
	CHECK(q > 0.001 && q < 0.999);
	/* writes ~ Binomial(1e6, 0.3): sd = 458; 5 sd. */
	CHECK(writes > 300000 - 2291 && writes < 300000 + 2291);

	/* Same seed, same stream; another seed, another stream. */
	uint64_t h[3] = {0, 0, 0};
	const uint64_t seeds[3] = {5, 5, 6};
	for (int k = 0; k < 3; k++) {
		gen_test_open_ok(&g, "uniform", "{\"pages\": 1000, \"accesses\": 10000}", seeds[k]);
		h[k] = 0xcbf29ce484222325ull;
		while (gen_test_next(&g, 1, &op))
			h[k] = gen_test_hash_op(h[k], &op);
		gen_test_close(&g);
	}
	CHECK(h[0] == h[1]);
	CHECK(h[0] != h[2]);
	TEST_DONE();
}
