/*
 * vmb_shared.h — what the vmb reader (vmb.c) and writer (vmb_writer.c) share: buffer sizes,
 * the per-process delta state (the registers each access is coded against), and the writer's
 * entry points for trace_format_vmb, the reader's choice of decoder (pext or portable) and its
 * check of a madvise record. The format itself is vmb.h.
 */
#ifndef VMSIM_WORKLOADS_VMB_SHARED_H
#define VMSIM_WORKLOADS_VMB_SHARED_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/trace_format.h"
#include "workloads/trace_pidmap.h"
#include "workloads/vmb.h"

#define VMB_BUF_BYTES (1u << 20)
#define VMB_MAP_MIN_BYTES ((off_t)8 << 20) /* files from this size on are mapped */
#define VMB_SLACK 64                       /* every record without a name fits in this */
#define VMB_NAME_MAX 1023

struct vmb_regs {
	uint64_t last[2]; /* last address: [0] of r/w, [1] of x (index: opcode >> 1) */
};

/* Per-process delta state shared by reader and writer. */
struct vmb_state {
	struct trace_pidmap map;
	struct vmb_regs *regs;
	uint32_t nr, cap;
	uint32_t pid;         /* the current process (0: none yet) */
	struct vmb_regs *cur; /* its registers */
};

static inline void state_init(struct vmb_state *s)
{
	memset(s, 0, sizeof(*s));
	trace_pidmap_init(&s->map);
}

static inline void state_fini(struct vmb_state *s)
{
	trace_pidmap_fini(&s->map);
	free(s->regs);
}

static inline void state_switch(struct vmb_state *s, uint32_t pid)
{
	int64_t i = trace_pidmap_get(&s->map, pid);
	if (i < 0) {
		if (s->nr == s->cap) {
			s->cap = s->cap ? s->cap * 2 : 16;
			s->regs = xrealloc(s->regs, s->cap * sizeof(*s->regs));
		}
		s->regs[s->nr] = (struct vmb_regs){0};
		trace_pidmap_put(&s->map, pid, s->nr);
		i = s->nr++;
	}
	s->pid = pid;
	s->cur = &s->regs[i];
}

/* Can this host run the pext decoder, and is it fast there (not microcoded as on AMD before
 * Zen 3)? */
static inline bool vmb_pext_fast(void)
{
#if defined(__x86_64__) && defined(__GNUC__)
	__builtin_cpu_init();
	if (!__builtin_cpu_supports("bmi2"))
		return false;
	if (__builtin_cpu_is("intel"))
		return true;
	return __builtin_cpu_is("amd") && !__builtin_cpu_is("amdfam15h") &&
	       !__builtin_cpu_is("amdfam17h");
#else
	return false;
#endif
}

/* VMSIM_VMB_PORTABLE=1 forces the portable decoder on a host where pext is fast, so that the
 * tests and fuzzers (and CI, once per run of the suite) exercise the path of every host without
 * it: AMD Zen 1/2, ARM64, CPUs without BMI2. */
static inline bool vmb_portable_forced(void)
{
	const char *v = getenv("VMSIM_VMB_PORTABLE");
	return v && *v && strcmp(v, "0") != 0;
}

/* A madvise record's advice (without VMB_MADV_RESULT) and the result bytes read into op:
 * a known advice, and no result, success (OPRES_ADDR, errno 0) or an errno (OPRES_ERRNO). */
static inline bool vmb_madvise_ok(unsigned advice, const struct op *op)
{
	return advice >= 1 && advice < ADV_COUNT &&
	       (op->flags == 0 || op->flags == OPRES_ERRNO || (op->flags == OPRES_ADDR && !op->prot));
}

/* trace_format_vmb's writer (vmb_writer.c). */
int vmb_wopen(void **out, const char *path, const struct trace_read_opts *opts, struct err *err);
int vmb_write(void *writer, const struct op *op, struct err *err);
int vmb_wclose(void *writer, struct err *err);

#endif
