/*
 * zipf_sampler.h — an exact Zipf sampler in O(1) memory and O(1) expected time: rank k in [1, n]
 * with probability k^-alpha / H(n, alpha), by the rejection-inversion method of Hörmann and
 * Derflinger ("Rejection-inversion to generate variates from monotone discrete
 * distributions", ACM TOMACS 6(3), 1996). It inverts the integral of the continuous hat
 * x^-alpha and accepts or rejects with one comparison; fewer than 1.1 uniforms per sample
 * are used for every alpha and n, and no table is built, so n may be billions of pages.
 *
 * Floats are used only to shape the workload (the sampled ranks), never for timing.
 */
#ifndef VMSIM_WORKLOADS_ZIPF_SAMPLER_H
#define VMSIM_WORKLOADS_ZIPF_SAMPLER_H

#include <gsl/gsl_rng.h>
#include <stdint.h>

struct zipf_sampler {
	uint64_t n;     /* ranks are 1..n */
	double alpha;   /* exponent, >= 0 (0 is uniform) */
	double h_x1;    /* H(1.5) - 1: the lower end of the inverted range */
	double h_n;     /* H(n + 0.5): its upper end */
	double squeeze; /* accept at once when k - x <= squeeze */
};

/* Set up for ranks 1..n (n >= 1) with exponent alpha (>= 0). */
void zipf_sampler_init(struct zipf_sampler *z, uint64_t n, double alpha);
/* One rank in [1, n], using uniforms from rng. */
uint64_t zipf_sampler_next(const struct zipf_sampler *z, gsl_rng *rng);

#endif
