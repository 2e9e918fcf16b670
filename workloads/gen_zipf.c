/*
 * gen_zipf.c — the `zipf` generator: one process accesses `pages` pages of an anonymous
 * region, rank k with probability proportional to k^-alpha, and the exact sampler behind it
 * (rejection-inversion, see gen_zipf.h).
 *
 * Ranks map to pages through a seeded permutation (`permute`, the default) so that the hot
 * pages are scattered over the region as in a real heap; with permute false rank k is page
 * k-1, the hottest pages adjacent at the start of the region.
 */
#include "workloads/gen_zipf.h"

#include <math.h>
#include <stdlib.h>

#include "workloads/gen_common.h"

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

/* ---- the generator ---- */

static const struct param_spec zipf_params[] = {
    {.key = "pages",
     .type = PARAM_INT,
     .def = "65536",
     .min = 1,
     .max = 1e12,
     .doc = "pages in the region (ranks 1..pages)"},
    {.key = "alpha",
     .type = PARAM_REAL,
     .def = "0.99",
     .min = 0,
     .max = 10,
     .doc = "exponent: rank k is accessed with probability proportional to k^-alpha"},
    {.key = "permute",
     .type = PARAM_BOOL,
     .def = "true",
     .doc = "scatter ranks over the region with a seeded permutation (false: rank k is page "
            "k-1)"},
    GEN_PARAM_ACCESSES,
    GEN_PARAMS_MIX,
    {0},
};

static int zipf_open(struct workload **out, const json_t *params, const struct workload_env *env,
                     struct err *err)
{
	struct gen_sampler_conf sc = {
	    .dist = GEN_DIST_ZIPF,
	    .pages = (uint64_t)params_get_int(params, "pages"),
	    .alpha = params_get_real(params, "alpha"),
	    .permute = params_get_bool(params, "permute"),
	};
	return gen_single_open_one(out, params, env, &sc, "zipf", err);
}

const struct workload_ops workload_gen_zipf = {
    .name = "zipf",
    .description = "one process, Zipf-distributed accesses over an anonymous region",
    .params = zipf_params,
    .open = zipf_open,
    .initial_pid = gen_single_initial_pid,
    .next = gen_single_next,
    .next_batch = gen_single_next_batch,
    .close = gen_single_close,
};
