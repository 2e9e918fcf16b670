/*
 * trace.h — the "trace" workload type (trace.c): diagnostics beyond struct workload_ops.
 */
#ifndef VMSIM_WORKLOADS_TRACE_H
#define VMSIM_WORKLOADS_TRACE_H

#include <stdint.h>

#include "workloads/workload.h"

extern const struct workload_ops workload_trace;

/* The most operations that were ever queued at once for processes other than the one asking
 * (the read-ahead of the demultiplexer); w must be a "trace" workload. */
uint64_t trace_workload_max_buffered(const struct workload *w);

#endif
