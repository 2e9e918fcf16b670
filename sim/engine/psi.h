/*
 * psi.h — pressure stall information for memory (Linux's kernel/sched/psi.c), globally and
 * per cgroup (psi.c): the time some task, and the time every live task, of a domain was
 * stalled on memory (`some`, `full`), and their running averages over 10, 60 and 300 s.
 */
#ifndef VMSIM_SIM_ENGINE_PSI_H
#define VMSIM_SIM_ENGINE_PSI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/base/eventq.h"
#include "sim/base/stats.h"

/* One domain: the whole machine (domain 0) or a cgroup (1 + its index). */
struct psi_domain {
	uint64_t some_ps, full_ps;     /* totals up to last_ps */
	uint64_t p_some_ps, p_full_ps; /* within the current 2 s period */
	int64_t nr_stalled, nr_live;   /* at last_ps */
	simtime_t last_ps;
	uint64_t avg[2][3]; /* some/full x avg10/avg60/avg300, percent in FIXED_1 (2048) units */
};

/* A change of a domain's state at a time: a stall begins or ends, a task starts or exits. */
struct psi_change {
	simtime_t t_ps;
	uint64_t seq;
	uint16_t dom;
	int8_t d_stalled, d_live;
};

struct psi {
	bool on;
	uint32_t nr_domains;
	struct psi_domain *d;
	struct psi_change *ch; /* recorded, not yet applied (any order) */
	uint64_t nr_ch, cap_ch, seq;
	simtime_t now_ps;        /* applied up to here */
	simtime_t period_end_ps; /* the next 2 s boundary */
};

void psi_init(struct psi *p, bool on, uint32_t nr_groups);
void psi_fini(struct psi *p);
void psi_memstall_record(struct psi *p, uint16_t memcg, simtime_t start_ps, simtime_t end_ps);
void psi_task_live_record(struct psi *p, uint16_t memcg, simtime_t t_ps, int delta);
/* A task of group memcg (0: the root) stalled on memory during [start, end). */
static inline void psi_memstall(struct psi *p, uint16_t memcg, simtime_t start_ps,
                                simtime_t end_ps)
{
	if (p->on)
		psi_memstall_record(p, memcg, start_ps, end_ps);
}
/* A task of group memcg starts (+1) or exits (-1) at t_ps. */
static inline void psi_task_live(struct psi *p, uint16_t memcg, simtime_t t_ps, int delta)
{
	if (p->on)
		psi_task_live_record(p, memcg, t_ps, delta);
}
/* Apply every change up to t_ps (the averages at each 2 s boundary on the way). */
void psi_advance(struct psi *p, simtime_t t_ps);
/* Domain dom's some (full) average over window w (0: 10 s, 1: 60 s, 2: 300 s) as "X.YY". */
void psi_avg_str(const struct psi *p, uint32_t dom, int full, int w, char out[24]);

#endif
