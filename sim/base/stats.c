/*
 * stats.c — log-linear histograms and the stats.json sink (see stats.h).
 */
#include "sim/base/stats.h"

#include <stdlib.h>
#include <string.h>

void hist_init(struct hist *h)
{
	memset(h, 0, sizeof(*h));
	h->min = UINT64_MAX;
}

void hist_fini(struct hist *h)
{
	free(h->buckets);
	h->buckets = NULL;
}

void hist_reset(struct hist *h)
{
	hist_fini(h);
	hist_init(h);
}

uint64_t hist_bucket_low(unsigned b)
{
	if (b < HIST_EXACT)
		return b;
	unsigned octave = (b - HIST_EXACT) / HIST_SUB, sub = (b - HIST_EXACT) % HIST_SUB;
	unsigned shift = octave + 1u;
	return ((uint64_t)HIST_SUB + sub) << shift;
}

uint64_t hist_bucket_high(unsigned b)
{
	if (b < HIST_EXACT)
		return b;
	unsigned shift = (b - HIST_EXACT) / HIST_SUB + 1u;
	return hist_bucket_low(b) + ((1ull << shift) - 1u);
}

void hist_record_slow(struct hist *h, uint64_t v)
{
	if (unlikely(!h->buckets))
		h->buckets = xcalloc(HIST_NR_BUCKETS, sizeof(uint64_t));
	unsigned b = hist_bucket_of(v);
	h->buckets[b]++;
	h->last_v = v;
	h->last_b = b;
	h->count++;
	h->sum += v;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	if (!src->count)
		return;
	if (!dst->buckets) {
		dst->buckets = xcalloc(HIST_NR_BUCKETS, sizeof(uint64_t));
		dst->last_v =
		    src->last_v; /* a recorded value and its bucket, as hist_record needs */
		dst->last_b = src->last_b;
	}
	for (unsigned i = 0; i < HIST_NR_BUCKETS; i++)
		dst->buckets[i] += src->buckets[i];
	dst->count += src->count;
	dst->sum += src->sum;
	dst->min = MIN(dst->min, src->min);
	dst->max = MAX(dst->max, src->max);
}

uint64_t hist_quantile(const struct hist *h, uint32_t per_million)
{
	if (!h->count)
		return 0;
	/* rank = ceil(count * q), at least 1 */
	unsigned __int128 num = (unsigned __int128)h->count * per_million;
	uint64_t rank = (uint64_t)((num + 999999u) / 1000000u);
	if (rank == 0)
		rank = 1;
	uint64_t seen = 0;
	for (unsigned b = 0; b < HIST_NR_BUCKETS; b++) {
		seen += h->buckets[b];
		if (seen >= rank) {
			uint64_t lo = hist_bucket_low(b), hi = hist_bucket_high(b);
			uint64_t mid = lo + (hi - lo) / 2;
			return MIN(MAX(mid, h->min), h->max);
		}
	}
	return h->max;
}

uint64_t hist_mean(const struct hist *h)
{
	return h->count ? (uint64_t)(h->sum / h->count) : 0;
}

void statsout_init(struct statsout *o)
{
	o->obj = json_object();
}

void statsout_fini(struct statsout *o)
{
	json_decref(o->obj);
	o->obj = NULL;
}

static void set_key(struct statsout *o, const char *prefix, const char *name, json_t *v)
{
	char *key = (prefix && *prefix) ? xasprintf("%s.%s", prefix, name) : xstrdup(name);
	json_object_set_new(o->obj, key, v);
	free(key);
}

void statsout_u64(struct statsout *o, const char *prefix, const char *name, uint64_t v)
{
	/* jansson integers are signed 64-bit; every counter here stays far below 2^63. */
	BUG_ON(v > (uint64_t)INT64_MAX, "counter %s.%s overflows", prefix ? prefix : "", name);
	set_key(o, prefix, name, json_integer((json_int_t)v));
}

void statsout_str(struct statsout *o, const char *prefix, const char *name, const char *v)
{
	set_key(o, prefix, name, json_string(v));
}

void statsout_hist(struct statsout *o, const char *prefix, const struct hist *h)
{
	statsout_u64(o, prefix, "count", h->count);
	statsout_u64(o, prefix, "mean_ps", hist_mean(h));
	statsout_u64(o, prefix, "min_ps", h->count ? h->min : 0);
	statsout_u64(o, prefix, "p50_ps", hist_quantile(h, 500000));
	statsout_u64(o, prefix, "p90_ps", hist_quantile(h, 900000));
	statsout_u64(o, prefix, "p99_ps", hist_quantile(h, 990000));
	statsout_u64(o, prefix, "p999_ps", hist_quantile(h, 999000));
	statsout_u64(o, prefix, "max_ps", h->max * (h->count != 0));
}
