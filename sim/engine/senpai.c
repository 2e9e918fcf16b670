/*
 * senpai.c — a Senpai-like controller (Meta's senpai, github.com/facebookincubator/senpai,
 * senpai.py; the controller of TMO, ASPLOS 2022): for each cgroup, once a tick (1 s), the
 * memory `some` stall time of the group since the last tick is added to an integral; when the
 * integral exceeds the target pressure the group's memory.high is raised (back-off), else,
 * every `interval` ticks, it is lowered (probe), each step exponential in the error:
 *   back-off: adj = min((integral / pressure / coeff_backoff)^2 * max_backoff, max_backoff)
 *   probe:    adj = min((pressure / integral / coeff_probe)^2 * max_probe, max_probe)
 *   memory.high = clamp(high * (1 + adj) or high * (1 - adj), min, max); integral = 0.
 * The defaults are senpai.py's (interval 6 s, pressure 10 ms, max probe 1%, max back-off
 * 100%, coefficients 10 and 20, sizes 100 MiB to 100 GiB). Its first tick sets memory.high to
 * memory.current (senpai's import_limit). Lowering memory.high reclaims the group down to it at
 * once (memory_high_write); that reclaim's disk writes go to the disk with nobody waiting
 * (senpai's own CPU time is not modelled). Integer arithmetic: the factors in parts per
 * million.
 */
#include "sim/engine/engine.h"

#define PPM 1000000ull

struct senpai_conf {
	simtime_t tick_ps;
	uint32_t interval_ticks;
	uint64_t pressure_ps;
	uint64_t max_probe_ppm, max_backoff_ppm, coeff_probe, coeff_backoff;
	uint64_t min_pages, max_pages;
};

void senpai_init(struct sim *s)
{
	const json_t *j = json_object_get(s->cfg->root, "senpai");
	if (!params_get_bool(j, "enabled") || !s->vm.nr_memcgs)
		return;
	struct senpai_conf *c = xcalloc(1, sizeof(*c));
	c->tick_ps = (simtime_t)params_get_int(j, "tick_ps");
	c->interval_ticks = (uint32_t)params_get_int(j, "interval_ticks");
	c->pressure_ps = (uint64_t)params_get_int(j, "pressure_us") * 1000000ull;
	c->max_probe_ppm = (uint64_t)params_get_int(j, "max_probe_ppm");
	c->max_backoff_ppm = (uint64_t)params_get_int(j, "max_backoff_ppm");
	c->coeff_probe = (uint64_t)params_get_int(j, "coeff_probe");
	c->coeff_backoff = (uint64_t)params_get_int(j, "coeff_backoff");
	c->min_pages = (uint64_t)params_get_int(j, "min_pages");
	c->max_pages = (uint64_t)params_get_int(j, "max_pages");
	s->senpai = c;
	s->senpai_state = xcalloc(s->vm.nr_memcgs + 1, sizeof(*s->senpai_state));
	event_init(&s->senpai_ev, senpai_event, s, EVPRIO_SAMPLE);
	eventq_schedule(&s->eq, &s->senpai_ev, c->tick_ps);
}

void senpai_fini(struct sim *s)
{
	free(s->senpai);
	free(s->senpai_state);
	s->senpai = NULL;
	s->senpai_state = NULL;
}

/* memory.high of group id to high_pages, reclaiming down to it at once. */
static void set_high(struct sim *s, uint16_t id, uint64_t high_pages, simtime_t now)
{
	vm_memcg_set_high(&s->vm, id, high_pages);
	uint64_t cur = s->vm.memcgs[id].nr_pages;
	if (cur <= high_pages)
		return;
	struct fault_work w;
	fault_work_reset(&w);
	vm_set_cpu(&s->vm, VM_NO_CPU);
	vm_memory_reclaim(&s->vm, id, cur - high_pages, &w);
	if (s->timing_on)
		timing_background_work(&s->timing, now, &w);
	sim_disk_schedule(s);
}

/* min(x^2 * max, max) for x = num / den / coeff, in ppm. */
static uint64_t adj_ppm(uint64_t num, uint64_t den, uint64_t coeff, uint64_t max_ppm)
{
	unsigned __int128 d = (unsigned __int128)den * coeff;
	unsigned __int128 a = (unsigned __int128)num * num * max_ppm / (d * d);
	return a > max_ppm ? max_ppm : (uint64_t)a;
}

static void senpai_tick(struct sim *s, uint16_t id, simtime_t now)
{
	const struct senpai_conf *c = s->senpai;
	struct senpai_state *st = &s->senpai_state[id];
	const struct mem_cgroup *cg = &s->vm.memcgs[id];
	uint64_t total = s->psi.d[id].some_ps;
	if (!st->started) {
		st->started = true;
		st->last_total = total;
		st->grace = c->interval_ticks;
		st->limit = MAX(c->min_pages, MIN(c->max_pages, cg->nr_pages));
		set_high(s, id, st->limit, now);
		return;
	}
	st->integral += total - st->last_total;
	st->last_total = total;
	int64_t dir = 0;
	uint64_t adj = 0;
	if (st->integral > c->pressure_ps) {
		adj = adj_ppm(st->integral, c->pressure_ps, c->coeff_backoff, c->max_backoff_ppm);
		dir = 1;
	} else if (st->grace) {
		st->grace--;
		return;
	} else {
		adj = adj_ppm(c->pressure_ps, MAX(st->integral, 1), c->coeff_probe, c->max_probe_ppm);
		dir = -1;
	}
	uint64_t step = st->limit * adj / PPM;
	uint64_t limit = dir > 0 ? st->limit + step : st->limit - step;
	st->limit = MAX(c->min_pages, MIN(c->max_pages, limit));
	st->integral = 0;
	st->grace = c->interval_ticks - 1;
	st->adjustments++;
	set_high(s, id, st->limit, now);
}

void senpai_event(struct event *ev, void *ctx)
{
	struct sim *s = ctx;
	simtime_t now = s->eq.now_ps;
	bool live = false;
	for (uint32_t i = 0; i < s->nr_tasks; i++)
		live |= s->tasks[i]->state != TASK_DEAD;
	if (!live)
		return;
	psi_advance(&s->psi, now);
	for (uint32_t id = 1; id <= s->vm.nr_memcgs; id++)
		senpai_tick(s, (uint16_t)id, now);
	eventq_schedule(&s->eq, ev, now + s->senpai->tick_ps);
}

void senpai_report(const struct sim *s, struct statsout *o)
{
	if (!s->senpai)
		return;
	for (uint32_t id = 1; id <= s->vm.nr_memcgs; id++) {
		char *p = xasprintf("cgroup.%s.senpai", s->vm.memcgs[id].cfg.name);
		statsout_u64(o, p, "adjustments", s->senpai_state[id].adjustments);
		statsout_u64(o, p, "high_pages", s->senpai_state[id].limit);
		free(p);
	}
}
