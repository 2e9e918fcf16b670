/*
 * test_trace_stats.c — `vmsim trace stats`' analyses with exact numbers:
 *  - Belady's string 1 2 3 4 1 2 5 1 2 3 4 5: reuse distances (distinct pages between two
 *    accesses to a page) counted by hand: 3 3 (the second 1, 2), 2 2 (the third 1, 2), 4 4 4
 *    (3, 4, 5) and 5 cold accesses; counts 3 3 2 2 2; windows of 4 accesses hold 4, 3 and 4
 *    distinct pages (4, 5, 5 so far);
 *  - a three-process vmt trace: the mix per process and (pid, page) pairs as pages;
 *  - the Zipf fit: exact on counts that follow c = 1000 r^-1.5 exactly (powers of ten), and
 *    recovered from 1,000,000 accesses drawn by the Zipf sampler over 20 pages (alpha 1.0 and
 *    1.3). Tolerance, from theory: the fit is weighted least squares of ln c on ln r with
 *    weights c, and for counts c_r ~ Poisson(E c_r) Var(ln c_r) ~ 1 / E c_r, so the slope's
 *    standard error is SE = 1 / sqrt(sum E c_r (ln r - mean)^2) (about 0.0015 here); the test
 *    allows 4 SE. Over 20 pages with 10^6 draws every neighbour pair's expected gap is more
 *    than 4 standard deviations of its difference (a sqrt(c / 2) / r >= 4.1 at r = 20 for
 *    alpha = 1), so the ranks by count are the true ranks and no ordering bias enters.
 */
#include <gsl/gsl_rng.h>
#include <math.h>

#include "sim/cli/trace_stats.h"
#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"
#include "workloads/zipf_sampler.h"

static void check_belady(void)
{
	const char *p = tt_text("belady.pages", "1\n2\n3\n4\n1\n2\n5\n1\n2\n3\n4\n5\n");
	struct trace_read_opts o = {.page_size = 4096};
	struct trace_stats st;
	struct err err = {{0}};
	CHECK(trace_stats_compute(p, NULL, &o, 4, &st, &err) == 0);
	CHECK_EQ_U64(st.accesses, 12);
	CHECK_EQ_U64(st.pages, 5);
	CHECK_EQ_U64(st.cold, 5);
	const uint64_t reuse[5] = {0, 0, 2, 2, 3};
	for (int d = 0; d < 5; d++)
		CHECK_EQ_U64(st.reuse[d], reuse[d]);
	const uint64_t counts[5] = {3, 3, 2, 2, 2};
	for (int r = 0; r < 5; r++)
		CHECK_EQ_U64(st.counts[r], counts[r]);
	CHECK_EQ_U64(st.nr_windows, 3);
	const uint64_t wss[3] = {4, 3, 4}, total[3] = {4, 5, 5};
	for (int w = 0; w < 3; w++) {
		CHECK_EQ_U64(st.wss[w], wss[w]);
		CHECK_EQ_U64(st.wss_total[w], total[w]);
	}
	CHECK(isnan(st.zipf_alpha));
	CHECK_EQ_U64(st.procs[0].writes, 12);

	const char *dir = tt_path("out");
	CHECK(trace_stats_write(&st, p, dir, &err) == 0);
	char path[300];
	snprintf(path, sizeof(path), "%s/reuse.csv", dir);
	char *csv = tt_slurp(path, NULL);
	CHECK(csv && strcmp(csv, "distance_lo,distance_hi,accesses\n0,0,0\n1,1,0\n2,3,4\n4,4,3\n"
	                         "inf,inf,5\n") == 0);
	free(csv);
	snprintf(path, sizeof(path), "%s/wss.csv", dir);
	csv = tt_slurp(path, NULL);
	CHECK(csv &&
	      strcmp(csv, "accesses_end,window_pages,total_pages\n4,4,4\n8,3,5\n12,4,5\n") == 0);
	free(csv);
	trace_stats_fini(&st);
}

static void check_processes(void)
{
	const char *p = tt_text("three.vmt", "1 mmap 0x0 0x10000 rw anon private\n"
	                                     "1 w 0x0\n1 r 0x0\n1 fork 2\n2 r 0x0\n2 w 0x1000\n"
	                                     "2 x 0x2000\n1 fork 3\n3 r 0x3000\n3 r 0x3008\n"
	                                     "1 exit\n2 exit\n3 exit\n");
	struct trace_read_opts o = {.page_size = 4096};
	struct trace_stats st;
	struct err err = {{0}};
	CHECK(trace_stats_compute(p, NULL, &o, 100, &st, &err) == 0);
	CHECK_EQ_U64(st.nr_procs, 3);
	CHECK_EQ_U64(st.accesses, 7);
	CHECK_EQ_U64(st.pages, 5); /* (1,0) (2,0) (2,1) (2,2) (3,3) */
	const uint64_t want[3][5] = {{1, 1, 1, 0, 1}, {2, 1, 1, 1, 3}, {3, 2, 0, 0, 1}};
	for (int i = 0; i < 3; i++) {
		CHECK_EQ_U64(st.procs[i].pid, want[i][0]);
		CHECK_EQ_U64(st.procs[i].reads, want[i][1]);
		CHECK_EQ_U64(st.procs[i].writes, want[i][2]);
		CHECK_EQ_U64(st.procs[i].fetches, want[i][3]);
		CHECK_EQ_U64(st.procs[i].pages, want[i][4]);
	}
	CHECK_EQ_U64(st.cold, 5);
	CHECK_EQ_U64(st.reuse[0], 2); /* 1 r 0x0 after 1 w 0x0; 3 r 0x3008 after 0x3000 */
	trace_stats_fini(&st);
}

static void check_fit_exact(void)
{
	/* c = 1000 r^-1.5 at r = 1, 100: 1000, 1; the fit over counts >= 1 of 1000, 1 */
	const uint64_t c[2] = {1000, 1};
	double a, se, lc;
	uint64_t k;
	trace_stats_zipf_fit(c, 2, 1, &a, &se, &lc, &k);
	CHECK_EQ_U64(k, 2);
	/* two points: slope = ln(1/1000) / ln 2 */
	CHECK(fabs(a - log(1000.0) / log(2.0)) < 1e-12);
	CHECK(fabs(lc - log(1000.0)) < 1e-9);
	const uint64_t d[4] = {64, 8, 1, 1}; /* 64 r^-3 at r = 1, 2: the fit with count >= 2 */
	trace_stats_zipf_fit(d, 4, 2, &a, &se, &lc, &k);
	CHECK_EQ_U64(k, 2);
	CHECK(fabs(a - 3.0) < 1e-12);
}

static void check_fit_sampled(double alpha, unsigned long seed)
{
	const uint64_t nr_pages = 20, n = 1000000;
	struct zipf_sampler z;
	zipf_sampler_init(&z, nr_pages, alpha);
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	gsl_rng_set(rng, seed);
	const char *p = tt_path("zipf.pages");
	FILE *f = fopen(p, "w");
	for (uint64_t i = 0; i < n; i++)
		fprintf(f, "%llu\n", (unsigned long long)zipf_sampler_next(&z, rng) + 100);
	fclose(f);
	gsl_rng_free(rng);
	struct trace_read_opts o = {.page_size = 4096};
	struct trace_stats st;
	struct err err = {{0}};
	CHECK(trace_stats_compute(p, NULL, &o, 10000, &st, &err) == 0);
	double h = 0, sw = 0, sx = 0, sxx = 0;
	for (uint64_t r = 1; r <= nr_pages; r++)
		h += pow((double)r, -alpha);
	for (uint64_t r = 1; r <= nr_pages; r++) {
		double e = (double)n * pow((double)r, -alpha) / h;
		sw += e;
		sx += e * log((double)r);
	}
	for (uint64_t r = 1; r <= nr_pages; r++) {
		double e = (double)n * pow((double)r, -alpha) / h, dx = log((double)r) - sx / sw;
		sxx += e * dx * dx;
	}
	double se = 1 / sqrt(sxx);
	CHECK_EQ_U64(st.zipf_ranks, nr_pages);
	CHECK(fabs(st.zipf_alpha - alpha) <= 4 * se);
	CHECK(fabs(st.zipf_se - se) < 0.1 * se); /* the tool's own SE agrees with theory */
	printf("alpha %.2f: fitted %.5f, SE %.5f (theory %.5f)\n", alpha, st.zipf_alpha, st.zipf_se,
	       se);
	trace_stats_fini(&st);
}

int main(void)
{
	check_belady();
	check_processes();
	check_fit_exact();
	check_fit_sampled(1.0, 1);
	check_fit_sampled(1.3, 2);
	tt_cleanup();
	TEST_DONE();
}
