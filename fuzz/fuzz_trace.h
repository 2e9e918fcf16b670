/*
 * fuzz_trace.h — the body shared by the trace reader fuzz targets: the input becomes the
 * contents of a file (a memfd, named through /proc/self/fd), read to the end with
 * trace_source_open/trace_source_next in the given format, so the format's reader and the
 * shared process rules (pids, forks, exits, address limits, file names) both see it.
 *
 * What it ignores: the simulator (the trace workload's per-process queues are fuzzed through
 * the same source). Reading stops after FUZZ_TRACE_MAX_OPS operations so a short input that
 * expands (a repeat count) cannot time out.
 */
#ifndef VMSIM_FUZZ_TRACE_H
#define _GNU_SOURCE /* memfd_create */
#define VMSIM_FUZZ_TRACE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "workloads/trace_source.h"

#define FUZZ_TRACE_MAX_OPS 200000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_trace_fd = -1;

static void fuzz_trace_run(const struct trace_format *fmt, const uint8_t *data, size_t size)
{
	if (fuzz_trace_fd < 0) {
		fuzz_trace_fd = memfd_create("vmsim-fuzz", 0);
		if (fuzz_trace_fd < 0)
			abort();
	}
	if (ftruncate(fuzz_trace_fd, 0) || pwrite(fuzz_trace_fd, data, size, 0) != (ssize_t)size)
		abort();
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fuzz_trace_fd);
	/* vmb: the portable decoder for half the inputs (VMSIM_VMB_PORTABLE=1 forces it for
	 * all), the pext one (where the host has it fast) for the others. */
	struct trace_read_opts opts = {.page_size = 4096,
	                               .oracle_as_writes = (int)(size & 1),
	                               .vmb_portable = (int)((size >> 1) & 1)};
	struct trace_source src;
	struct err err = {{0}};
	if (trace_source_open(&src, path, fmt, &opts, &err))
		return;
	struct op op;
	for (unsigned i = 0; i < FUZZ_TRACE_MAX_OPS; i++)
		if (trace_source_next(&src, &op, &err) <= 0)
			break;
	trace_source_close(&src);
}

#endif
