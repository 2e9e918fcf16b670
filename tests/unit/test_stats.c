/*
 * test_stats.c — the log-linear histogram: bucket boundaries, the 1% relative-error bound of
 * every reported quantile, exact count/min/max/mean, quantiles of known samples, merge; and
 * the derivation of random streams (fixed values, so a change of derivation is seen).
 */
#include <stdlib.h>

#include "sim/base/rng.h"
#include "sim/base/stats.h"
#include "tests/unit/test.h"

static void test_buckets(void)
{
	/* Values below 256 are exact buckets. */
	for (uint64_t v = 0; v < 256; v++) {
		CHECK_EQ_U64(hist_bucket_of(v), v);
		CHECK_EQ_U64(hist_bucket_low((unsigned)v), v);
	}
	/* 256..511 are 128 buckets of width 2; 512 starts the next octave. */
	CHECK_EQ_U64(hist_bucket_of(256), 256);
	CHECK_EQ_U64(hist_bucket_of(257), 256);
	CHECK_EQ_U64(hist_bucket_of(258), 257);
	CHECK_EQ_U64(hist_bucket_of(511), 383);
	CHECK_EQ_U64(hist_bucket_of(512), 384);
	CHECK_EQ_U64(hist_bucket_of(UINT64_MAX), HIST_NR_BUCKETS - 1);
	CHECK_EQ_U64(hist_bucket_high(HIST_NR_BUCKETS - 1), UINT64_MAX);
	/* Every bucket's range is contiguous with the next and within 1/128 of its low end. */
	unsigned bad = 0;
	for (unsigned b = 0; b + 1 < HIST_NR_BUCKETS; b++) {
		if (hist_bucket_high(b) + 1 != hist_bucket_low(b + 1))
			bad++;
		uint64_t lo = hist_bucket_low(b), hi = hist_bucket_high(b);
		if (lo >= 256 && (hi - lo + 1) * 128 > lo)
			bad++;
		if (hist_bucket_of(lo) != b || hist_bucket_of(hi) != b)
			bad++;
	}
	CHECK_EQ_U64(bad, 0);
}

static void test_quantiles(void)
{
	struct hist h;
	hist_init(&h);
	/* 1..100: p50 is the 50th sample (50), p90 the 90th, p99 the 99th, max 100. */
	for (uint64_t v = 1; v <= 100; v++)
		hist_record(&h, v);
	CHECK_EQ_U64(h.count, 100);
	CHECK_EQ_U64(hist_mean(&h), 50); /* 5050 / 100 = 50.5, rounded down */
	CHECK_EQ_U64(hist_quantile(&h, 500000), 50);
	CHECK_EQ_U64(hist_quantile(&h, 900000), 90);
	CHECK_EQ_U64(hist_quantile(&h, 990000), 99);
	CHECK_EQ_U64(hist_quantile(&h, 1000000), 100);
	CHECK_EQ_U64(h.min, 1);
	CHECK_EQ_U64(h.max, 100);
	hist_reset(&h);
	/* Large values: the reported quantile is within 1% of the true one. */
	uint64_t bad = 0;
	for (uint64_t i = 1; i <= 10000; i++)
		hist_record(&h, i * 1000003ull);
	for (uint32_t q = 10000; q <= 1000000; q += 10000) {
		uint64_t rank = ((uint64_t)10000 * q + 999999) / 1000000;
		uint64_t truth = rank * 1000003ull, got = hist_quantile(&h, q);
		uint64_t diff = got > truth ? got - truth : truth - got;
		if (diff * 100 > truth)
			bad++;
	}
	CHECK_EQ_U64(bad, 0);
	struct hist g;
	hist_init(&g);
	hist_record(&g, 7);
	hist_merge(&g, &h);
	CHECK_EQ_U64(g.count, 10001);
	CHECK_EQ_U64(g.min, 7);
	CHECK_EQ_U64(g.max, 10000ull * 1000003ull);
	hist_fini(&g);
	hist_fini(&h);
	/* Empty: all zeros. */
	hist_init(&h);
	CHECK_EQ_U64(hist_quantile(&h, 990000), 0);
	CHECK_EQ_U64(hist_mean(&h), 0);
	hist_fini(&h);
}

static void test_streams(void)
{
	/* Fixed derivations: stream seeds must never change silently (results would). */
	CHECK(rng_derive_seed(1, 1) != rng_derive_seed(1, 2));
	CHECK(rng_derive_seed(1, 1) != rng_derive_seed(2, 1));
	CHECK(rng_derive_seed(1, 1) == rng_derive_seed(1, 1));
	gsl_rng *a = rng_create(42, RNG_STREAM_WORKLOAD), *b = rng_create(42, RNG_STREAM_WORKLOAD);
	gsl_rng *c = rng_create(42, RNG_STREAM_WORKLOAD + 1);
	unsigned same = 0, diff = 0;
	for (int i = 0; i < 100; i++) {
		unsigned long x = gsl_rng_get(a), y = gsl_rng_get(b), z = gsl_rng_get(c);
		same += x == y;
		diff += x != z;
	}
	CHECK_EQ_U64(same, 100);
	CHECK(diff >= 99);
	gsl_rng_free(a);
	gsl_rng_free(b);
	gsl_rng_free(c);
}

/* Runs of equal values take hist_record's shortcut (the last value's bucket): buckets, count,
 * sum, min and max must be exactly those of counting every value afresh. */
static void test_repeats(void)
{
	static uint64_t ref[HIST_NR_BUCKETS];
	struct hist h;
	hist_init(&h);
	uint64_t x = 1, sum = 0, lo = UINT64_MAX, hi = 0;
	for (int i = 0; i < 100000; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		/* half the samples repeat one of two values, in runs; the rest are spread out */
		uint64_t v = (x >> 63) ? ((x >> 62) & 1 ? 2500 : 1000) : (x >> 40);
		hist_record(&h, v);
		ref[hist_bucket_of(v)]++;
		sum += v;
		lo = MIN(lo, v);
		hi = MAX(hi, v);
	}
	uint64_t bad = 0;
	for (unsigned b = 0; b < HIST_NR_BUCKETS; b++)
		bad += h.buckets[b] != ref[b];
	CHECK_EQ_U64(bad, 0);
	CHECK_EQ_U64(h.count, 100000);
	CHECK_EQ_U64((uint64_t)h.sum, sum);
	CHECK_EQ_U64(h.min, lo);
	CHECK_EQ_U64(h.max, hi);
	/* Merged into an empty histogram, then the merged side's last value again and a new
	 * minimum: both counted, and the minimum seen. */
	struct hist g;
	hist_init(&g);
	hist_merge(&g, &h);
	hist_record(&g, h.last_v);
	hist_record(&g, 0);
	CHECK_EQ_U64(g.buckets[hist_bucket_of(h.last_v)], h.buckets[hist_bucket_of(h.last_v)] + 1);
	CHECK_EQ_U64(g.buckets[0], h.buckets[0] + 1);
	CHECK_EQ_U64(g.count, 100002);
	CHECK_EQ_U64(g.min, 0);
	hist_fini(&g);
	hist_fini(&h);
}

int main(void)
{
	test_repeats();
	test_buckets();
	test_quantiles();
	test_streams();
	TEST_DONE();
}
