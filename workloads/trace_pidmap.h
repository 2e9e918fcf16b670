/*
 * trace_pidmap.h — a small open-addressing map from pid to a dense index, used by the trace
 * readers (per-pid delta state, per-pid queues). Memory grows with the number of processes
 * of a trace, never with its length. Pid 0 is never a key.
 */
#ifndef VMSIM_WORKLOADS_TRACE_PIDMAP_H
#define VMSIM_WORKLOADS_TRACE_PIDMAP_H

#include <stdint.h>
#include <stdlib.h>

#include "sim/base/util.h"

struct trace_pidmap {
	uint32_t *keys; /* pid per slot (0: empty) */
	uint32_t *vals; /* dense index per slot */
	uint32_t mask;  /* slots - 1 (a power of two) */
	uint32_t count; /* keys held */
};

static inline void trace_pidmap_init(struct trace_pidmap *m)
{
	m->mask = 63;
	m->count = 0;
	m->keys = xcalloc(m->mask + 1, sizeof(*m->keys));
	m->vals = xcalloc(m->mask + 1, sizeof(*m->vals));
}

static inline void trace_pidmap_fini(struct trace_pidmap *m)
{
	free(m->keys);
	free(m->vals);
	m->keys = m->vals = NULL;
}

static inline uint32_t trace_pidmap_slot(const struct trace_pidmap *m, uint32_t pid)
{
	uint32_t i = (uint32_t)mix64(pid) & m->mask;
	while (m->keys[i] && m->keys[i] != pid)
		i = (i + 1) & m->mask;
	return i;
}

/* The index of pid, or -1 if absent. */
static inline int64_t trace_pidmap_get(const struct trace_pidmap *m, uint32_t pid)
{
	uint32_t i = trace_pidmap_slot(m, pid);
	return m->keys[i] ? (int64_t)m->vals[i] : -1;
}

/* Insert pid (absent) with index val. */
static inline void trace_pidmap_put(struct trace_pidmap *m, uint32_t pid, uint32_t val)
{
	BUG_ON(pid == 0, "pid 0 is not a key");
	if ((m->count + 1) * 2 > m->mask + 1) {
		struct trace_pidmap big = {.mask = m->mask * 2 + 1};
		big.keys = xcalloc(big.mask + 1, sizeof(*big.keys));
		big.vals = xcalloc(big.mask + 1, sizeof(*big.vals));
		for (uint32_t j = 0; j <= m->mask; j++) {
			if (!m->keys[j])
				continue;
			uint32_t s = trace_pidmap_slot(&big, m->keys[j]);
			big.keys[s] = m->keys[j];
			big.vals[s] = m->vals[j];
			big.count++;
		}
		trace_pidmap_fini(m);
		*m = big;
	}
	uint32_t i = trace_pidmap_slot(m, pid);
	BUG_ON(m->keys[i], "pid %u already present", pid);
	m->keys[i] = pid;
	m->vals[i] = val;
	m->count++;
}

#endif
