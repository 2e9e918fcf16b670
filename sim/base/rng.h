/*
 * rng.h — seeded random streams. Every component that draws random numbers owns a stream
 * derived from the run's seed and a fixed stream id (its identity: "workload 2", "policy"),
 * so adding a component never changes another's numbers. GSL's MT19937 underneath.
 */
#ifndef VMSIM_SIM_BASE_RNG_H
#define VMSIM_SIM_BASE_RNG_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

/* Well-known stream ids; workloads use RNG_STREAM_WORKLOAD + their index. */
enum rng_stream_id {
	RNG_STREAM_POLICY = 1,
	RNG_STREAM_SCHED = 2,
	RNG_STREAM_TEST = 3,
	RNG_STREAM_WORKLOAD = 1000,
};

/* The seed of stream id under run seed: a fixed mix, the same on every machine. */
uint64_t rng_derive_seed(uint64_t run_seed, uint64_t stream_id);
/* A new MT19937 generator seeded from rng_derive_seed (GSL takes an unsigned long seed; the
 * derived value is folded to 32 bits, the width MT19937 uses). Free with gsl_rng_free. */
gsl_rng *rng_create(uint64_t run_seed, uint64_t stream_id);

#endif
