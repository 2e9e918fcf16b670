/*
 * hist_csv.c — CDF export of struct hist (see hist_csv.h).
 */
#include "sim/base/hist_csv.h"

#include <inttypes.h>

void hist_write_cdf_header(FILE *f)
{
	fputs("metric,value_ps,cumulative_fraction\n", f);
}

void hist_write_cdf(FILE *f, const char *metric, const struct hist *h)
{
	if (!h->count)
		return;
	uint64_t seen = 0;
	for (unsigned b = 0; b < HIST_NR_BUCKETS && seen < h->count; b++) {
		if (!h->buckets[b])
			continue;
		seen += h->buckets[b];
		uint64_t v = MIN(hist_bucket_high(b), h->max);
		/* seen / count with nine decimals, in integers (rounded down) */
		unsigned __int128 scaled = (unsigned __int128)seen * 1000000000u / h->count;
		uint64_t whole = (uint64_t)(scaled / 1000000000u);
		uint64_t frac = (uint64_t)(scaled % 1000000000u);
		fprintf(f, "%s,%" PRIu64 ",%" PRIu64 ".%09" PRIu64 "\n", metric, v, whole, frac);
	}
}
