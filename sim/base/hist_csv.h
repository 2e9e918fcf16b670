/*
 * hist_csv.h — latency histograms exported as CDF rows for plotting (latency_cdf.csv).
 *
 * File format (a contract with `vmsim plot`): a header "metric,value_ps,cumulative_fraction",
 * then for each metric one row per non-empty histogram bucket in increasing order: value_ps
 * is the bucket's upper bound clamped to the largest sample (so the last row is the exact
 * maximum), cumulative_fraction the share of samples <= that bucket, printed from integers
 * with nine decimals (no floating point, so the bytes are the same on every machine).
 * The bucket width bounds the error of value_ps (< 0.8%, see sim/stats.h).
 */
#ifndef VMSIM_SIM_BASE_HIST_CSV_H
#define VMSIM_SIM_BASE_HIST_CSV_H

#include <stdio.h>

#include "sim/base/stats.h"

/* The header line of latency_cdf.csv. */
void hist_write_cdf_header(FILE *f);
/* The rows of one metric ("access", "fault"); nothing for an empty histogram. */
void hist_write_cdf(FILE *f, const char *metric, const struct hist *h);

#endif
