/*
 * bench_zipf_trace.c — writes the benchmark's input: a `pages` trace of Zipf-distributed page
 * numbers (scripts/bench, docs/performance.md).
 *
 * Usage: bench_zipf_trace ACCESSES PAGES ALPHA SEED > out.pages
 * Page of rank k (1-based) has probability proportional to 1 / k^ALPHA; ranks are mapped to
 * page numbers by a random permutation (so hot pages are scattered over the address range, as
 * in a real heap). Sampling: GSL's Walker alias table (gsl_ran_discrete), mt19937 seeded with
 * SEED: the same arguments give the same file, byte for byte. One line per access, the page
 * number alone (a write, in the pages format). Deliberately ignores: read/write mix, processes.
 */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: %s ACCESSES PAGES ALPHA SEED\n", argv[0]);
		return 2;
	}
	unsigned long long n = strtoull(argv[1], NULL, 10);
	size_t pages = (size_t)strtoull(argv[2], NULL, 10);
	double alpha = strtod(argv[3], NULL);
	unsigned long seed = strtoul(argv[4], NULL, 10);
	if (!n || !pages) {
		fprintf(stderr, "%s: ACCESSES and PAGES must be >= 1\n", argv[0]);
		return 2;
	}
	double *w = malloc(pages * sizeof(*w));
	size_t *perm = malloc(pages * sizeof(*perm));
	if (!w || !perm)
		return 1;
	for (size_t k = 0; k < pages; k++) {
		w[k] = pow((double)(k + 1), -alpha);
		perm[k] = k;
	}
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(r, seed);
	gsl_ran_shuffle(r, perm, pages, sizeof(*perm));
	gsl_ran_discrete_t *t = gsl_ran_discrete_preproc(pages, w);
	static char buf[1 << 16];
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));
	for (unsigned long long i = 0; i < n; i++)
		printf("%zu\n", perm[gsl_ran_discrete(r, t)]);
	gsl_ran_discrete_free(t);
	gsl_rng_free(r);
	free(w);
	free(perm);
	return fflush(stdout) ? 1 : 0;
}
