/*
 * zipf_sampler.c — the exact Zipf sampler of zipf_sampler.h (rejection-inversion).
 */
#include "workloads/zipf_sampler.h"

#include <math.h>

#include "sim/base/util.h"

/* log1p(x) / x, accurate near 0. */
static double helper1(double x)
{
	if (fabs(x) > 1e-8)
		return log1p(x) / x;
	return 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}

/* expm1(x) / x, accurate near 0. */
static double helper2(double x)
{
	if (fabs(x) > 1e-8)
		return expm1(x) / x;
	return 1 + x * 0.5 * (1 + x * (1.0 / 3) * (1 + 0.25 * x));
}

/* The hat x^-alpha and its integral from 1 to x, and that integral's inverse. */
static double hat(const struct zipf_sampler *z, double x)
{
	return exp(-z->alpha * log(x));
}

static double hat_integral(const struct zipf_sampler *z, double x)
{
	double lx = log(x);
	return helper2((1 - z->alpha) * lx) * lx;
}

static double hat_integral_inv(const struct zipf_sampler *z, double y)
{
	double t = y * (1 - z->alpha);
	if (t < -1)
		t = -1; /* only by rounding at the very top of the range */
	return exp(helper1(t) * y);
}

void zipf_sampler_init(struct zipf_sampler *z, uint64_t n, double alpha)
{
	BUG_ON(n == 0 || !(alpha >= 0), "zipf n %llu alpha %g", (unsigned long long)n, alpha);
	z->n = n;
	z->alpha = alpha;
	z->h_x1 = hat_integral(z, 1.5) - 1;
	z->h_n = hat_integral(z, (double)n + 0.5);
	z->squeeze = 2 - hat_integral_inv(z, hat_integral(z, 2.5) - hat(z, 2));
}

uint64_t zipf_sampler_next(const struct zipf_sampler *z, gsl_rng *rng)
{
	for (;;) {
		/* u uniform over (h_x1, h_n]: the area under the hat from rank 1 to n. */
		double u = z->h_n + gsl_rng_uniform(rng) * (z->h_x1 - z->h_n);
		double x = hat_integral_inv(z, u);
		double kd = floor(x + 0.5);
		uint64_t k;
		if (kd < 1)
			k = 1;
		else if (kd > (double)z->n)
			k = z->n;
		else
			k = (uint64_t)kd;
		/* Accept if x is close enough to k (squeeze), else compare with the exact
		 * probability mass of k under the hat. */
		if ((double)k - x <= z->squeeze ||
		    u >= hat_integral(z, (double)k + 0.5) - hat(z, (double)k))
			return k;
	}
}
