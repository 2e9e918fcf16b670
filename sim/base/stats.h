/*
 * stats.h — statistics: latency histograms with bounded relative error, and the sink that
 * modules write their counters into for stats.json.
 *
 * struct hist is log-linear (HdrHistogram-like): values below 256 are exact; above, each
 * power of two is split into 128 buckets, so any reported percentile is within 1/128 (< 0.8%)
 * of the true value. count, sum, min and max are exact. All integer: the same samples give
 * the same report on every machine. The bucket array is allocated on the first sample.
 *
 * struct statsout collects "dotted.key" -> value pairs; stats.json is written with sorted
 * keys and integer values only (means are rounded down to whole picoseconds), so that the same
 * config and seed give a byte-identical file.
 */
#ifndef VMSIM_SIM_BASE_STATS_H
#define VMSIM_SIM_BASE_STATS_H

#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "sim/base/util.h"

#define HIST_SUB_BITS 7
#define HIST_SUB (1u << HIST_SUB_BITS)
#define HIST_EXACT (2u * HIST_SUB)
#define HIST_NR_BUCKETS (HIST_EXACT + (64u - HIST_SUB_BITS - 1u) * HIST_SUB)

struct hist {
	uint64_t *buckets; /* HIST_NR_BUCKETS counts, NULL until the first sample */
	uint64_t count;
	unsigned __int128 sum;
	uint64_t min, max;
	uint64_t last_v; /* the last value recorded by the general path... */
	unsigned last_b; /* ...and its bucket: a repeat of it skips the bucket search */
};

void hist_init(struct hist *h);
void hist_fini(struct hist *h);
void hist_reset(struct hist *h);
/* Bucket index of value v (exposed for tests). */
static inline unsigned hist_bucket_of(uint64_t v)
{
	if (v < HIST_EXACT)
		return (unsigned)v;
	unsigned msb = 63u - (unsigned)__builtin_clzll(v);
	unsigned shift = msb - HIST_SUB_BITS;
	return HIST_EXACT + (msb - HIST_SUB_BITS - 1u) * HIST_SUB +
	       (unsigned)((v >> shift) - HIST_SUB);
}
/* The smallest and largest value that land in bucket b. */
uint64_t hist_bucket_low(unsigned b);
uint64_t hist_bucket_high(unsigned b);
/* The first sample: allocates the buckets, then records v. */
void hist_record_slow(struct hist *h, uint64_t v);
/* h->sum += v. On little-endian hosts as two 64-bit halves with a carry: GCC spills the
 * zero-extended 128-bit operand of the plain form to the stack in a large caller. */
static inline void hist_sum_add(struct hist *h, uint64_t v)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	uint64_t half[2];
	memcpy(half, &h->sum, sizeof(half));
	half[1] += __builtin_add_overflow(half[0], v, &half[0]);
	memcpy(&h->sum, half, sizeof(half));
#else
	h->sum += v;
#endif
}
/* hist_record for a histogram that has had a sample (its buckets allocated). */
static inline void hist_record_allocated(struct hist *h, uint64_t v)
{
	h->count++;
	hist_sum_add(h, v);
	if (v == h->last_v) { /* common: a run of equal latencies (already within min..max) */
		h->buckets[h->last_b]++;
		return;
	}
	unsigned b = hist_bucket_of(v);
	h->buckets[b]++;
	h->last_v = v;
	h->last_b = b;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}
/* Record one sample; inline, since every simulated access records one. */
static inline void hist_record(struct hist *h, uint64_t v)
{
	if (unlikely(!h->buckets)) {
		hist_record_slow(h, v);
		return;
	}
	hist_record_allocated(h, v);
}
/* Merge src into dst. */
void hist_merge(struct hist *dst, const struct hist *src);
/* The value at quantile per_million / 1e6 (e.g. 990000 for p99): the midpoint of the bucket
 * holding the sample of rank ceil(count * q), clamped to [min, max]. 0 when empty. */
uint64_t hist_quantile(const struct hist *h, uint32_t per_million);
uint64_t hist_mean(const struct hist *h);

/* A flat set of dotted keys for stats.json. */
struct statsout {
	json_t *obj; /* new, owned */
};

void statsout_init(struct statsout *o);
void statsout_fini(struct statsout *o);
/* key = prefix + "." + name (prefix may be NULL or ""). */
void statsout_u64(struct statsout *o, const char *prefix, const char *name, uint64_t v);
void statsout_str(struct statsout *o, const char *prefix, const char *name, const char *v);
/* prefix.{count,mean_ps,p50_ps,p90_ps,p99_ps,p999_ps,max_ps,min_ps} */
void statsout_hist(struct statsout *o, const char *prefix, const struct hist *h);

#endif
