/*
 * fuzz_workload_trace.c — libFuzzer target of the trace workload (workloads/trace.c) over a vmt
 * file: the per-process read-ahead queues, pending file declarations and the check past the
 * last exit, driven like the simulator drives it: next() of each live process in turn (round
 * robin), children added at their fork, a process dropped when its stream ends.
 *
 * What it ignores: the simulator itself (no VM, no timing). Stops after FUZZ_WL_MAX_OPS
 * operations or FUZZ_WL_MAX_PROCS processes.
 */
#define _GNU_SOURCE /* memfd_create */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "workloads/workload.h"

#define FUZZ_WL_MAX_OPS 100000
#define FUZZ_WL_MAX_PROCS 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_fd = -1;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fuzz_fd < 0 && (fuzz_fd = memfd_create("vmsim-fuzz-wl", 0)) < 0)
		abort();
	if (ftruncate(fuzz_fd, 0) || pwrite(fuzz_fd, data, size, 0) != (ssize_t)size)
		abort();
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fuzz_fd);
	const struct workload_ops *ops = workload_find("trace");
	json_t *obj = json_pack("{s:s, s:s}", "path", path, "format", "vmt");
	struct err err = {{0}};
	struct workload *w = NULL;
	struct workload_env env = {.config_file = "fuzz.json",
	                           .config_path = "workload",
	                           .base_dir = "",
	                           .seed = 1,
	                           .page_size = 4096};
	if (params_resolve(ops->params, obj, "fuzz.json", "workload", &err) == 0 &&
	    ops->open(&w, obj, &env, &err) == 0) {
		uint32_t live[FUZZ_WL_MAX_PROCS];
		unsigned nr = 0, cur = 0;
		live[nr++] = ops->initial_pid(w);
		for (unsigned i = 0; i < FUZZ_WL_MAX_OPS && nr; i++) {
			cur %= nr;
			struct op op;
			int rc = ops->next(w, live[cur], &op, &err);
			if (rc < 0)
				break;
			if (rc == 0 || op.kind == OP_EXIT) {
				live[cur] = live[--nr];
				continue;
			}
			if (op.kind == OP_FORK || op.kind == OP_VFORK || op.kind == OP_THREAD) {
				if (nr == FUZZ_WL_MAX_PROCS)
					break;
				live[nr++] = (uint32_t)op.arg;
			}
			cur++;
		}
		ops->close(w);
	}
	json_decref(obj);
	return 0;
}
