/*
 * test_gen_zipf.c — the zipf generator and its rejection-inversion sampler: the fitted
 * rank-frequency slope of 10^6 samples is -alpha within 0.05 (log f against log r over the
 * top 100 ranks, gsl_fit_linear), rank 1's frequency matches 1/H(n, alpha) within 5 sd, the
 * permutation scatters ranks without changing the shape, and a region of 2^28 pages opens at
 * once (no table).
 */
#include <gsl/gsl_fit.h>
#include <math.h>
#include <stdlib.h>

#include "tests/unit/test_gen_util.h"
#include "workloads/gen_common.h"

#define PAGES 1000
#define N 1000000
#define TOP 100

static int cmp_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* Counts per page of N accesses of a zipf over PAGES pages. */
static void sample(double alpha, int permute, uint64_t seed, uint64_t *count)
{
	char json[200];
	snprintf(json, sizeof(json),
	         "{\"pages\": %d, \"alpha\": %g, \"accesses\": %d, \"permute\": %s}", PAGES, alpha,
	         N, permute ? "true" : "false");
	struct gen_test g;
	gen_test_open_ok(&g, "zipf", json, seed);
	struct op op;
	memset(count, 0, PAGES * sizeof(*count));
	while (gen_test_next(&g, 1, &op)) {
		if (op.kind != OP_READ && op.kind != OP_WRITE)
			continue;
		uint64_t page = (op.addr - GEN_BASE_ADDR) / GEN_TEST_PAGE;
		BUG_ON(page >= PAGES, "page %llu out of range", (unsigned long long)page);
		count[page]++;
	}
	gen_test_close(&g);
}

static double fit_slope(const uint64_t *count_by_rank)
{
	double x[TOP], y[TOP];
	for (int r = 0; r < TOP; r++) {
		x[r] = log(r + 1.0);
		y[r] = log((double)count_by_rank[r]);
	}
	double c0, c1, cov00, cov01, cov11, sumsq;
	gsl_fit_linear(x, 1, y, 1, TOP, &c0, &c1, &cov00, &cov01, &cov11, &sumsq);
	return c1;
}

static void test_slope(double alpha)
{
	static uint64_t count[PAGES];
	sample(alpha, 0, 11, count);
	double slope = fit_slope(count);
	printf("zipf alpha %.2f: fitted slope %.4f\n", alpha, slope);
	CHECK(fabs(slope + alpha) < 0.05);
	/* Rank 1 (page 0 without permutation): p1 = 1 / H(PAGES, alpha). */
	double h = 0;
	for (int k = 1; k <= PAGES; k++)
		h += pow(k, -alpha);
	double p1 = 1 / h, mean = N * p1, sd = sqrt(N * p1 * (1 - p1));
	CHECK(fabs((double)count[0] - mean) < 5 * sd);
	/* Rank order: counts fall with the rank on the whole (top 10 strictly by far). */
	int ok = 1;
	for (int r = 0; r < 9; r++)
		ok &= count[r] > count[r + 1];
	CHECK(ok);
}

static void test_permuted(void)
{
	static uint64_t count[PAGES];
	sample(1.0, 1, 11, count);
	/* The hottest page is not page 0 any more, but the shape is unchanged. */
	uint64_t best = 0;
	for (int i = 1; i < PAGES; i++)
		if (count[i] > count[best])
			best = (uint64_t)i;
	CHECK(best != 0);
	qsort(count, PAGES, sizeof(*count), cmp_desc);
	double slope = fit_slope(count);
	printf("zipf alpha 1.00 permuted: fitted slope %.4f\n", slope);
	CHECK(fabs(slope + 1.0) < 0.05);
}

/* A table-based sampler would need 2 GiB here; rejection-inversion needs none. */
static void test_huge(void)
{
	struct gen_test g;
	gen_test_open_ok(&g, "zipf", "{\"pages\": 268435456, \"accesses\": 100000, \"alpha\": 0.8}",
	                 1);
	struct op op;
	gen_test_next(&g, 1, &op);
	CHECK_EQ_U64(op.len, 268435456ull * GEN_TEST_PAGE);
	uint64_t len = op.len, bad = 0, n = 0;
	while (gen_test_next(&g, 1, &op) && op.kind != OP_EXIT) {
		bad += op.addr < GEN_BASE_ADDR || op.addr >= GEN_BASE_ADDR + len;
		n++;
	}
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(n, 100000);
	gen_test_close(&g);
}

/* The sampler itself at alpha 0 is uniform over 1..n, and n = 1 always gives 1. */
static void test_sampler_edges(void)
{
	gsl_rng *r = gen_rng_create(3, 0);
	struct zipf_sampler z;
	zipf_sampler_init(&z, 1, 1.2);
	int ok = 1;
	for (int i = 0; i < 1000; i++)
		ok &= zipf_sampler_next(&z, r) == 1;
	CHECK(ok);
	zipf_sampler_init(&z, 4, 0);
	uint64_t c[5] = {0};
	for (int i = 0; i < 400000; i++)
		c[zipf_sampler_next(&z, r)]++;
	/* Each ~ Binomial(4e5, 1/4): sd = 274; 5 sd. */
	for (int k = 1; k <= 4; k++)
		CHECK(c[k] > 100000 - 1370 && c[k] < 100000 + 1370);
	CHECK_EQ_U64(c[0], 0);
	gsl_rng_free(r);
}

int main(void)
{
	test_slope(0.8);
	test_slope(1.0);
	test_slope(1.2);
	test_permuted();
	test_huge();
	test_sampler_edges();
	TEST_DONE();
}
