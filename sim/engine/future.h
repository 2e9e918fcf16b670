/*
 * future.h — the OPT future (future.c): for each access of the single process, the index of
 * its next access to the same page, read from a second pass over the workload's deterministic
 * stream before the run. Only for policies that declare POLICY_NEEDS_FUTURE.
 */
#ifndef VMSIM_SIM_ENGINE_FUTURE_H
#define VMSIM_SIM_ENGINE_FUTURE_H

#include <stdint.h>

#include "models/policy/policy.h"
#include "sim/base/util.h"
#include "workloads/workload.h"

/* Where each process's OPT future comes from: next_use[i] for its i-th access. */
struct future {
	uint64_t *next_use;
	uint64_t len;
};

/* Read the stream of the workload ops opens with obj and env a second time, linking each
 * access to the next access of the same page (pages of page_size). A workload that forks is
 * rejected (the global order of several processes' references depends on the simulation):
 * < 0 with err naming file. */
int future_build(struct future *f, const struct workload_ops *ops, const json_t *obj,
                 const struct workload_env *env, uint64_t page_size, const char *file,
                 struct err *err);
void future_fini(struct future *f);

/* The OPT future of a process's access number idx: the index of its next access to the same
 * page, NEXT_USE_NEVER when there is none (or no future was built). */
static inline uint64_t future_next_use(const struct future *f, uint64_t idx)
{
	if (idx >= f->len) /* (len is 0 without a future) */
		return NEXT_USE_NEVER;
	return f->next_use[idx];
}

#endif
