/*
 * psi.c — pressure stall information for memory (Linux's kernel/sched/psi.c): a task is in a
 * memory stall while its fault reclaims (direct reclaim, memory.max or memory.high reclaim),
 * swaps a page in (from the disk, zswap or zram) or sleeps in memory.high's throttle: the
 * whole fault, from its start to its end. A domain (the machine, or a cgroup with its tasks)
 * is in `some` while one of its tasks stalls and in `full` while all its live tasks do;
 * psi.memory.some_ps and full_ps are those times. Every 2 s (PSI_FREQ) the share of the
 * period each was in updates the running averages as Linux's calc_avgs does: avg =
 * calc_load(avg, EXP_n, pct) with FIXED_1 = 2048 and EXP_10s = 1677, EXP_60s = 1981,
 * EXP_300s = 2034 (include/linux/sched/loadavg.h, kernel/sched/psi.c).
 *
 * The stalls are recorded as the CPUs run (each CPU's clock runs ahead of the event queue) and
 * applied in time order up to each sample of timeseries.csv.
 *
 * Not modelled: a task waiting for a child (wait) still counts as live (Linux: idle); stalls
 * on refaults of page-cache pages (no shadow entries); the CPU and I/O resources; the
 * non-idle time of the CPUs (Linux weighs `full` per CPU).
 */
#include "sim/engine/psi.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/util.h"

#define FIXED_1 2048ull
#define PSI_PERIOD_PS 2000000000000ull /* 2 s */
static const uint64_t psi_exp[3] = {1677, 1981, 2034};

void psi_init(struct psi *p, bool on, uint32_t nr_groups)
{
	memset(p, 0, sizeof(*p));
	p->on = on;
	if (!on)
		return;
	p->nr_domains = nr_groups + 1;
	p->d = xcalloc(p->nr_domains, sizeof(*p->d));
	p->period_end_ps = PSI_PERIOD_PS;
}

void psi_fini(struct psi *p)
{
	free(p->d);
	free(p->ch);
	memset(p, 0, sizeof(*p));
}

static void add_change(struct psi *p, uint16_t dom, simtime_t t, int ds, int dl)
{
	if (p->nr_ch == p->cap_ch) {
		p->cap_ch = p->cap_ch ? 2 * p->cap_ch : 256;
		p->ch = xrealloc(p->ch, p->cap_ch * sizeof(*p->ch));
	}
	p->ch[p->nr_ch++] = (struct psi_change){
	    .t_ps = MAX(t, p->now_ps), .seq = p->seq++, .dom = dom, .d_stalled = (int8_t)ds,
	    .d_live = (int8_t)dl};
}

void psi_memstall_record(struct psi *p, uint16_t memcg, simtime_t start_ps, simtime_t end_ps)
{
	if (end_ps <= start_ps)
		return;
	for (int i = 0; i < (memcg ? 2 : 1); i++) {
		uint16_t dom = i ? memcg : 0;
		add_change(p, dom, start_ps, 1, 0);
		add_change(p, dom, end_ps, -1, 0);
	}
}

void psi_task_live_record(struct psi *p, uint16_t memcg, simtime_t t_ps, int delta)
{
	add_change(p, 0, t_ps, 0, delta);
	if (memcg)
		add_change(p, memcg, t_ps, 0, delta);
}

/* The domain's state holds from last_ps to t. */
static void domain_run(struct psi_domain *d, simtime_t t)
{
	if (t <= d->last_ps)
		return;
	uint64_t dt = t - d->last_ps;
	if (d->nr_stalled > 0) {
		d->some_ps += dt;
		d->p_some_ps += dt;
		if (d->nr_stalled >= d->nr_live) {
			d->full_ps += dt;
			d->p_full_ps += dt;
		}
	}
	d->last_ps = t;
}

/* include/linux/sched/loadavg.h calc_load */
static uint64_t calc_load(uint64_t load, uint64_t exp, uint64_t active)
{
	uint64_t newload = load * exp + active * (FIXED_1 - exp);
	if (active >= load)
		newload += FIXED_1 - 1;
	return newload / FIXED_1;
}

/* The 2 s period ending now: each domain's averages (kernel/sched/psi.c calc_avgs). */
static void period_end(struct psi *p)
{
	for (uint32_t i = 0; i < p->nr_domains; i++) {
		struct psi_domain *d = &p->d[i];
		uint64_t stall[2] = {d->p_some_ps, d->p_full_ps};
		for (int f = 0; f < 2; f++) {
			uint64_t pct = MIN(stall[f], PSI_PERIOD_PS) * 100 / PSI_PERIOD_PS * FIXED_1;
			/* (Linux: pct = time * 100 / period, then * FIXED_1: the same truncation) */
			for (int w = 0; w < 3; w++)
				d->avg[f][w] = calc_load(d->avg[f][w], psi_exp[w], pct);
		}
		d->p_some_ps = d->p_full_ps = 0;
	}
}

static int change_cmp(const void *a, const void *b)
{
	const struct psi_change *x = a, *y = b;
	if (x->t_ps != y->t_ps)
		return x->t_ps < y->t_ps ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Run every domain up to t (no change in between). */
static void run_all(struct psi *p, simtime_t t)
{
	while (p->period_end_ps <= t) {
		for (uint32_t i = 0; i < p->nr_domains; i++)
			domain_run(&p->d[i], p->period_end_ps);
		period_end(p);
		p->period_end_ps += PSI_PERIOD_PS;
	}
	for (uint32_t i = 0; i < p->nr_domains; i++)
		domain_run(&p->d[i], t);
}

void psi_advance(struct psi *p, simtime_t t_ps)
{
	if (!p->on || t_ps < p->now_ps)
		return;
	qsort(p->ch, p->nr_ch, sizeof(*p->ch), change_cmp);
	uint64_t i = 0;
	for (; i < p->nr_ch && p->ch[i].t_ps <= t_ps; i++) {
		const struct psi_change *c = &p->ch[i];
		run_all(p, c->t_ps);
		p->d[c->dom].nr_stalled += c->d_stalled;
		p->d[c->dom].nr_live += c->d_live;
	}
	run_all(p, t_ps);
	memmove(p->ch, p->ch + i, (p->nr_ch - i) * sizeof(*p->ch));
	p->nr_ch -= i;
	p->now_ps = t_ps;
}

void psi_avg_str(const struct psi *p, uint32_t dom, int full, int w, char out[24])
{
	uint64_t a = p->d[dom].avg[full][w];
	snprintf(out, 24, "%" PRIu64 ".%02" PRIu64, (uint64_t)(a >> 11),
	         (uint64_t)(((a & (FIXED_1 - 1)) * 100) >> 11));
}
