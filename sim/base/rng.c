/*
 * rng.c — seeded stream derivation (see rng.h).
 */
#include "sim/base/rng.h"

#include "sim/base/util.h"

uint64_t rng_derive_seed(uint64_t run_seed, uint64_t stream_id)
{
	return mix64(mix64(run_seed) ^ (stream_id * 0xd6e8feb86659fd93ull));
}

gsl_rng *rng_create(uint64_t run_seed, uint64_t stream_id)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	BUG_ON(!r, "gsl_rng_alloc failed");
	uint64_t s = rng_derive_seed(run_seed, stream_id);
	unsigned long seed = (unsigned long)((s ^ (s >> 32)) & 0xffffffffu);
	gsl_rng_set(r, seed ? seed : 1);
	return r;
}
