/*
 * bench_read.c — trace reading speed alone (issue 8's "reading vmb / pages" targets): open a
 * trace with the format's reader (the struct trace_format vmsim's trace workload uses, chosen
 * by the file's ending) and pull every operation through read_batch() in batches of
 * BENCH_BATCH_OPS = 64 (the simulator's TASK_BATCH_OPS; trace_source.c reads ahead as many),
 * or through read() for formats without read_batch, counting accesses. No simulation, no
 * per-process checks (trace_source.c's), no statistics.
 *
 * Usage: bench_read FILE
 * Prints: "accesses N ops M seconds S rate R" (R = accesses per second, wall clock of the read
 * loop only).
 */
#include <stdio.h>

#include "workloads/trace_format.h"

#define BENCH_BATCH_OPS 64

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s FILE\n", argv[0]);
		return 2;
	}
	const struct trace_format *fmt = trace_format_guess(argv[1]);
	if (!fmt) {
		fprintf(stderr, "%s: unknown trace format\n", argv[1]);
		return 2;
	}
	struct err err = {0};
	struct trace_read_opts opts = {.page_size = 4096};
	void *r;
	if (fmt->open(&r, argv[1], &opts, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	uint64_t ops = 0, accesses = 0;
	struct op batch[BENCH_BATCH_OPS];
	int rc;
	double t0 = host_monotonic_s();
	if (fmt->read_batch) {
		/* By the batch rule (trace_format.h), every op of a batch but the last is an
		 * access: only the last needs a look. */
		while ((rc = fmt->read_batch(r, batch, BENCH_BATCH_OPS, &err)) > 0) {
			ops += (uint64_t)rc;
			accesses += (uint64_t)rc - 1 + (batch[rc - 1].kind <= OP_EXEC);
		}
	} else {
		while ((rc = fmt->read(r, &batch[0], &err)) > 0) {
			ops++;
			accesses += batch[0].kind <= OP_EXEC;
		}
	}
	double secs = host_monotonic_s() - t0;
	fmt->close(r);
	if (rc < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	printf("accesses %llu ops %llu seconds %.6f rate %.0f\n", (unsigned long long)accesses,
	       (unsigned long long)ops, secs, secs > 0 ? (double)accesses / secs : 0.0);
	return 0;
}
