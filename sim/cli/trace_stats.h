/*
 * trace_stats.h — `vmsim trace stats`: the analyses of a trace that caching papers show
 * (libCacheSim's traceAnalyzer gives the same kinds), computed in one streaming pass:
 *  - reuse distances: for each access, the number of distinct other pages accessed since the
 *    previous access to the same page (0: re-accessed at once; a first access has none, it is
 *    "cold"). Exact: the LRU stack distance minus one, from mrc.c's Fenwick tree over
 *    compacted access times (O(log pages) per access, memory O(pages));
 *  - popularity: the access count of every page, ranked, and the Zipf exponent alpha fitted to
 *    the rank-frequency curve (trace_stats_zipf_fit says how);
 *  - working-set size over time (Denning's W(t, tau) with tau = the window): the distinct pages
 *    accessed in each window of `window` consecutive accesses, and the distinct pages so far;
 *  - the read / write / instruction-fetch mix of each process, with its distinct pages.
 * A page is a (process, virtual page) pair: two processes' page N are two pages (a forked
 * child's shared pages count once per process). Non-access operations are not counted.
 * Memory grows with the distinct pages and the number of windows, not with the trace's length.
 */
#ifndef VMSIM_SIM_CLI_TRACE_STATS_H
#define VMSIM_SIM_CLI_TRACE_STATS_H

#include <stdint.h>

#include "workloads/trace_format.h"

/* Ranks whose access count is below this are left out of the Zipf fit. */
#define TRACE_STATS_FIT_MIN_COUNT 10

struct trace_stats_proc {
	uint32_t pid;
	uint64_t reads, writes, fetches, pages;
};

struct trace_stats {
	uint64_t page_size, window; /* bytes; accesses per working-set window */
	uint64_t accesses, pages;   /* all accesses; distinct (pid, page) pairs */
	/* reuse[d] = accesses whose reuse distance is d, for d = 0 .. pages - 1; cold = the first
	 * accesses (= pages). */
	uint64_t *reuse, cold;
	uint64_t *counts;           /* access count of each page, largest first (pages entries) */
	double zipf_alpha, zipf_se; /* NaN when fewer than 2 ranks qualify */
	double zipf_ln_c;           /* the fit's intercept: count(rank) ~ e^ln_c rank^-alpha */
	uint64_t zipf_ranks;        /* ranks 1 .. zipf_ranks were fitted */
	uint64_t *wss;              /* distinct pages in each window (nr_windows) */
	uint64_t *wss_total;        /* distinct pages from the start to each window's end */
	uint64_t nr_windows;
	struct trace_stats_proc *procs; /* in order of first appearance */
	uint32_t nr_procs;
};

/*
 * The Zipf fit: weighted least squares of ln(count) on ln(rank) over ranks 1..K, K the last
 * rank whose count is at least min_count, each weighted by its count (the inverse of the
 * variance of the log of a Poisson count, Var ln c ~ 1 / c); alpha = -slope. *se is the
 * slope's standard error under that model, 1 / sqrt(sum w (x - mean_w x)^2). counts are
 * sorted largest first; *ln_c is the intercept. Sets *alpha = *se = *ln_c = NaN when K < 2.
 */
void trace_stats_zipf_fit(const uint64_t *counts, uint64_t n, uint64_t min_count, double *alpha,
                          double *se, double *ln_c, uint64_t *ranks);

/* Read the trace at path (format fmt, NULL: guessed) into *st (new storage). window >= 1.
 * < 0 with err on bad input. */
int trace_stats_compute(const char *path, const struct trace_format *fmt,
                        const struct trace_read_opts *opts, uint64_t window, struct trace_stats *st,
                        struct err *err);
void trace_stats_fini(struct trace_stats *st);

/* Write dir/{summary.json, reuse.csv, popularity.csv, wss.csv, mix.csv} (dir created). < 0
 * with err (VMSIM_EIO) when a file cannot be written. */
int trace_stats_write(const struct trace_stats *st, const char *trace, const char *dir,
                      struct err *err);

/* `vmsim trace stats TRACE [-o DIR] [--window N] [--no-plots] [reader options]`
 * (argv[0] = "stats"). */
int trace_stats_cli_main(int argc, char **argv);

#endif
