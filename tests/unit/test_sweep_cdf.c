/*
 * test_sweep_cdf.c — latency_cdf.csv rows from struct hist (sim/base/hist_csv.c): one row per
 * non-empty bucket, upper bound clamped to the maximum, exact cumulative fractions.
 */
#include <stdlib.h>

#include "sim/base/hist_csv.h"
#include "tests/unit/test.h"

int main(void)
{
	struct hist h;
	hist_init(&h);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	hist_write_cdf_header(f);
	hist_write_cdf(f, "fault", &h); /* empty: no rows */
	/* 1, 2, 2 are exact buckets; 300 lands in [300, 301] (buckets are 2 wide in [256, 512))
	 * and is reported as 301; 1000 and 1001 share [1000, 1003], whose bound is clamped to
	 * the maximum, 1001. */
	hist_record(&h, 2);
	hist_record(&h, 1);
	hist_record(&h, 300);
	hist_record(&h, 2);
	hist_record(&h, 1001);
	hist_record(&h, 1000);
	hist_write_cdf(f, "access", &h);
	fclose(f);
	const char *want = "metric,value_ps,cumulative_fraction\n"
	                   "access,1,0.166666666\n"
	                   "access,2,0.500000000\n"
	                   "access,301,0.666666666\n"
	                   "access,1001,1.000000000\n";
	CHECK(buf && !strcmp(buf, want));
	if (buf && strcmp(buf, want))
		fprintf(stderr, "got:\n%s", buf);
	free(buf);
	CHECK_EQ_U64(hist_bucket_low(hist_bucket_of(1000)), 1000);
	CHECK_EQ_U64(hist_bucket_high(hist_bucket_of(1000)), 1003);
	hist_fini(&h);
	TEST_DONE();
}
