/*
 * report.c — what a run reports: stats.json (sim_write_stats: the engine's counters, the VM
 * layer's vm_report, the machine's timing_report, the latency histograms, one object per
 * process), the summary on stdout, and the rows of timeseries.csv (sample_event every
 * stats.interval_ps, and one at the end).
 */
#include "sim/engine/engine.h"

#include "models/hw/numa.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const struct fault_kind_hist fault_kind_hists[NR_FAULT_KIND_HISTS] = {
    {FK_DEMAND_ZERO, "demand_zero"},
    {FK_ZERO_PAGE, "zero_page"},
    {FK_COW, "cow"},
    {FK_SWAP_IN, "swap_in"},
    {FK_SWAPCACHE, "swapcache"},
    {FK_FILE, "file"},
    {FK_FILE_READ, "file_major"},
    {FK_THP, "thp"},
};

/* ---- sampling ---------------------------------------------------------------------------- */

static uint32_t live_tasks(const struct sim *s)
{
	return s->nr_live_procs;
}

void write_sample(struct sim *s, simtime_t t_ps)
{
	s->last_sample_ps = t_ps;
	if (!s->timeseries)
		return;
	uint64_t rss = s->vm.rss_pages_total;
	const struct vm_stats *v = &s->vm.st;
	fprintf(s->timeseries,
	        "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
	        ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%u",
	        t_ps, s->c.accesses, s->c.faults, s->c.faults_major, v->evictions, v->swap_out,
	        v->faults_swap_in, vm_frames_used(&s->vm), rss, s->vm.nr_swap_used, live_tasks(s));
	write_offload_row(s, t_ps);
	fputc('\n', s->timeseries);
}

/* ---- PSI, cgroups and the compressed pool in the time series and stats.json ------------ */

static const char *const psi_avg_names[3] = {"avg10", "avg60", "avg300"};

/* vm.tiering: each node's accesses so far and frames in use, the demotions, promotions and hint
 * faults so far. */
static void write_tier_header(struct sim *s)
{
	for (uint32_t i = 0; i < s->vm.cfg.nr_nodes; i++)
		fprintf(s->timeseries, ",node_%s_accesses,node_%s_frames_used", s->vm.cfg.node_name[i],
		        s->vm.cfg.node_name[i]);
	fprintf(s->timeseries, ",demotions,promotions,hint_faults");
}

static void write_tier_row(struct sim *s)
{
	for (uint32_t i = 0; i < s->vm.cfg.nr_nodes; i++)
		fprintf(s->timeseries, ",%" PRIu64 ",%" PRIu64, s->timing.numa->node[i].accesses,
		        s->vm.cfg.node_frames[i] - s->vm.node_nr_free[i]);
	fprintf(s->timeseries, ",%" PRIu64 ",%" PRIu64 ",%" PRIu64, s->vm.st.demotions,
	        s->vm.st.promotions, s->vm.st.hint_faults);
}

void write_offload_header(struct sim *s)
{
	if (s->vm.tiering)
		write_tier_header(s);
	if (!s->psi.on)
		return;
	FILE *f = s->timeseries;
	fprintf(f, ",psi_some_ps,psi_full_ps");
	for (int full = 0; full < 2; full++)
		for (int w = 0; w < 3; w++)
			fprintf(f, ",psi_%s_%s", full ? "full" : "some", psi_avg_names[w]);
	fprintf(f, ",pool_frames");
	for (uint32_t i = 1; i <= s->vm.nr_memcgs; i++) {
		const char *n = s->vm.memcgs[i].cfg.name;
		fprintf(f, ",cg_%s_pages,cg_%s_high_pages,cg_%s_psi_some_ps,cg_%s_psi_some_avg10", n,
		        n, n, n);
	}
}

void write_offload_row(struct sim *s, simtime_t t_ps)
{
	if (s->vm.tiering)
		write_tier_row(s);
	if (!s->psi.on)
		return;
	FILE *f = s->timeseries;
	psi_advance(&s->psi, t_ps);
	const struct psi_domain *g = &s->psi.d[0];
	char a[24];
	fprintf(f, ",%" PRIu64 ",%" PRIu64, g->some_ps, g->full_ps);
	for (int full = 0; full < 2; full++)
		for (int w = 0; w < 3; w++) {
			psi_avg_str(&s->psi, 0, full, w, a);
			fprintf(f, ",%s", a);
		}
	fprintf(f, ",%" PRIu64, s->vm.zc ? s->vm.zc->pool.nr_frames : 0);
	for (uint32_t i = 1; i <= s->vm.nr_memcgs; i++) {
		const struct mem_cgroup *cg = &s->vm.memcgs[i];
		psi_avg_str(&s->psi, i, 0, 0, a);
		fprintf(f, ",%" PRIu64 ",%" PRId64 ",%" PRIu64 ",%s", cg->nr_pages,
		        cg->cfg.high_pages == MEMCG_NO_LIMIT ? (int64_t)-1 : (int64_t)cg->cfg.high_pages,
		        s->psi.d[i].some_ps, a);
	}
}

/* psi.memory.{some,full}_ps and their averages at the end, per group too. */
static void psi_report(struct sim *s, struct statsout *o)
{
	if (!s->psi.on)
		return;
	for (uint32_t i = 0; i <= s->vm.nr_memcgs; i++) {
		char *p = i ? xasprintf("cgroup.%s.psi.memory", s->vm.memcgs[i].cfg.name)
		            : xstrdup("psi.memory");
		statsout_u64(o, p, "some_ps", s->psi.d[i].some_ps);
		statsout_u64(o, p, "full_ps", s->psi.d[i].full_ps);
		for (int full = 0; full < 2; full++)
			for (int w = 0; w < 3; w++) {
				char *k = xasprintf("%s.%s", full ? "full" : "some", psi_avg_names[w]);
				char a[24];
				psi_avg_str(&s->psi, i, full, w, a);
				statsout_str(o, p, k, a);
				free(k);
			}
		free(p);
	}
}

/*
 * timeseries.csv stays bounded whatever the config: after SAMPLE_FULL_ROWS rows at
 * stats.interval_ps, the interval doubles every SAMPLE_ROWS_PER_DOUBLING rows, so a run writes
 * at most SAMPLE_FULL_ROWS + 64 * SAMPLE_ROWS_PER_DOUBLING rows (about 20 MB) even with an
 * interval of 1 ps over 2^64 ps. The doublings are reported (sim.timeseries_doublings on
 * stderr and in run.json); runs below the cap are untouched.
 */
#define SAMPLE_FULL_ROWS 100000
#define SAMPLE_ROWS_PER_DOUBLING 2048

void sample_event(struct event *ev, void *ctx)
{
	struct sim *s = ctx;
	if (!live_tasks(s))
		return; /* the run is over: sim_run writes the last row at its end time */
	write_sample(s, s->eq.now_ps);
	s->sample_rows++;
	if (s->sample_rows >= SAMPLE_FULL_ROWS &&
	    (s->sample_rows - SAMPLE_FULL_ROWS) % SAMPLE_ROWS_PER_DOUBLING == 0 &&
	    s->interval_ps <= UINT64_MAX / 2) {
		s->interval_ps *= 2;
		s->sample_doublings++;
	}
	if (s->eq.now_ps > UINT64_MAX - s->interval_ps)
		return; /* the next sample would be beyond the end of time */
	eventq_schedule(&s->eq, ev, s->eq.now_ps + s->interval_ps);
}

/* ---- reporting --------------------------------------------------------------------------- */

static const char *exit_name(const struct task *t)
{
	if (t->state != TASK_DEAD)
		return "running";
	switch (t->exit_reason) {
	case EXIT_NORMAL:
		return "exited";
	case EXIT_SEGV:
		return "segfault";
	case EXIT_OOM:
		return "oom";
	case EXIT_ERROR:
		return "unsupported-operation";
	}
	return "?";
}

/* The counters of t's thread group summed into sum; returns the task whose status is the
 * process's: a live one while any lives, else the last to leave (its leader when it has no
 * other thread). */
static const struct task *group_sum(const struct task *g, struct task_stats *sum,
                                    simtime_t *end_ps)
{
	const struct task *status = g;
	memset(sum, 0, sizeof(*sum));
	*end_ps = 0;
	for (const struct task *t = g; t; t = t->next_thread) {
		const struct task_stats *a = &t->st;
		sum->accesses += a->accesses;
		sum->faults += a->faults;
		sum->minor += a->minor;
		sum->major += a->major;
		sum->demand_zero += a->demand_zero;
		sum->zero_page += a->zero_page;
		sum->cow += a->cow;
		sum->cow_copies += a->cow_copies;
		sum->swap_in += a->swap_in;
		sum->swapcache += a->swapcache;
		sum->file += a->file;
		sum->file_major += a->file_major;
		sum->readahead_pages += a->readahead_pages;
		sum->fault_around_pages += a->fault_around_pages;
		sum->fault_time_ps += a->fault_time_ps;
		sum->requests += a->requests;
		sum->thp += a->thp;
		sum->sig_maperr += a->sig_maperr;
		sum->sig_accerr += a->sig_accerr;
		sum->sig_bus += a->sig_bus;
		sum->cpu_ps += a->cpu_ps;
		*end_ps = MAX(*end_ps, t->end_ps);
		if (status->state == TASK_DEAD &&
		    (t->state != TASK_DEAD || t->end_ps >= status->end_ps))
			status = t;
	}
	return status;
}

static void exit_json(struct statsout *o, const struct task *t)
{
	statsout_str(o, NULL, "status", exit_name(t));
	if (t->state == TASK_DEAD && t->exit_reason == EXIT_SEGV) {
		/* The signal and its si_code, as Linux would deliver them. */
		static const char *const sig[][2] = {
		    [VM_SIG_NONE] = {"SIGSEGV", "?"},
		    [VM_SIG_SEGV_MAPERR] = {"SIGSEGV", "SEGV_MAPERR"},
		    [VM_SIG_SEGV_ACCERR] = {"SIGSEGV", "SEGV_ACCERR"},
		    [VM_SIG_BUS_ADRERR] = {"SIGBUS", "BUS_ADRERR"},
		};
		statsout_str(o, NULL, "signal", sig[t->signal][0]);
		statsout_str(o, NULL, "si_code", sig[t->signal][1]);
	}
}

/* processes[].tasks: one entry per thread (the leader first) with the counters that differ
 * between the threads of a process: its accesses, faults and CPU time. */
static json_t *threads_json(const struct task *g)
{
	json_t *list = json_array();
	for (const struct task *t = g; t; t = t->next_thread) {
		struct statsout o;
		statsout_init(&o);
		statsout_u64(&o, NULL, "tid", t->pid);
		exit_json(&o, t);
		statsout_u64(&o, "sim", "accesses", t->st.accesses);
		statsout_u64(&o, "sim", "cpu_ps", t->st.cpu_ps);
		statsout_u64(&o, "sim", "start_ps", t->start_ps);
		statsout_u64(&o, "sim", "end_ps", t->end_ps);
		statsout_u64(&o, "faults", "total", t->st.faults);
		statsout_u64(&o, "faults", "minor", t->st.minor);
		statsout_u64(&o, "faults", "major", t->st.major);
		statsout_u64(&o, "faults", "time_ps", t->st.fault_time_ps);
		json_array_append_new(list, json_incref(o.obj));
		statsout_fini(&o);
	}
	return list;
}

static void footprint_keys(struct statsout *o, const char *prefix, const struct mm_footprint *f)
{
	statsout_u64(o, prefix, "mapped_pages", f->mapped_pages);
	statsout_u64(o, prefix, "anon_pages", f->anon_pages);
	statsout_u64(o, prefix, "file_pages", f->file_pages);
	statsout_u64(o, prefix, "zero_pages", f->zero_pages);
	statsout_u64(o, prefix, "thp_pages", f->thp_pages);
	statsout_u64(o, prefix, "large_folio_pages", f->large_folio_pages);
	statsout_u64(o, prefix, "mlocked_pages", f->mlocked_pages);
	statsout_u64(o, prefix, "locked_vm_pages", f->locked_vm_pages);
	statsout_u64(o, prefix, "swap_pages", f->swap_pages);
}

/* One VMA's line of smaps: its range, permissions ("rw-p"), and its footprint. */
static json_t *vma_footprint_json(const struct vma_footprint *v)
{
	struct statsout o;
	statsout_init(&o);
	statsout_u64(&o, NULL, "start", v->start);
	statsout_u64(&o, NULL, "end", v->end);
	char perms[5] = {v->vm_flags & VM_READ ? 'r' : '-', v->vm_flags & VM_WRITE ? 'w' : '-',
	                 v->vm_flags & VM_EXEC ? 'x' : '-', v->vm_flags & VM_SHARED ? 's' : 'p',
	                 '\0'};
	statsout_str(&o, NULL, "perms", perms);
	footprint_keys(&o, NULL, &v->f);
	json_t *j = json_incref(o.obj);
	statsout_fini(&o);
	return j;
}

/* stats.footprint: process g's address space when it exited, or now if it lives (a vfork child
 * that never exec'd had none of its own: zeros, no VMAs). */
static void footprint_json(struct statsout *o, const struct sim *s, const struct task *g)
{
	struct mm_footprint_report now = {0};
	const struct mm_footprint_report *r = g->footprint ? g->footprint : &now;
	if (!g->footprint) {
		for (const struct task *t = g; t; t = t->next_thread)
			if (task_mm_owner(t)) {
				vm_mm_footprint(&s->vm, t->mm, &now);
				break;
			}
	}
	footprint_keys(o, "footprint", &r->total);
	json_t *vmas = json_array();
	for (uint32_t i = 0; i < r->nr_vmas; i++)
		json_array_append_new(vmas, vma_footprint_json(&r->vmas[i]));
	json_object_set_new(o->obj, "footprint.vmas", vmas);
	vm_mm_footprint_free(&now);
}

/* One process (its thread group, led by g): the sums over its threads; with more than one
 * thread, also how many (threads), their CPU time and each thread's own counters (tasks); with
 * stats.footprint, its address space at exit (footprint.*). */
static json_t *task_json(const struct sim *s, const struct task *g)
{
	struct task_stats st;
	simtime_t end_ps;
	const struct task *status = group_sum(g, &st, &end_ps);
	struct statsout o;
	statsout_init(&o);
	statsout_u64(&o, NULL, "pid", g->pid);
	statsout_u64(&o, NULL, "workload", g->wl_index);
	/* (getppid: the process of the thread that forked it) */
	statsout_u64(&o, NULL, "parent", g->parent ? g->parent->group_leader->pid : 0);
	exit_json(&o, status);
	statsout_u64(&o, "sim", "accesses", st.accesses);
	statsout_u64(&o, "sim", "start_ps", g->start_ps);
	statsout_u64(&o, "sim", "end_ps", end_ps);
	statsout_u64(&o, "faults", "total", st.faults);
	statsout_u64(&o, "faults", "minor", st.minor);
	statsout_u64(&o, "faults", "major", st.major);
	statsout_u64(&o, "faults", "demand_zero", st.demand_zero);
	statsout_u64(&o, "faults", "zero_page", st.zero_page);
	statsout_u64(&o, "faults", "cow", st.cow);
	statsout_u64(&o, "faults", "cow_copies", st.cow_copies);
	statsout_u64(&o, "faults", "file", st.file);
	statsout_u64(&o, "faults", "file_major", st.file_major);
	statsout_u64(&o, "faults", "thp", st.thp);
	statsout_u64(&o, "faults", "swap_in", st.swap_in);
	statsout_u64(&o, "readahead", "pages", st.readahead_pages);
	statsout_u64(&o, "pagecache", "fault_around_pages", st.fault_around_pages);
	statsout_u64(&o, "faults", "swapcache", st.swapcache);
	statsout_u64(&o, "faults", "time_ps", st.fault_time_ps);
	statsout_u64(&o, "sim", "requests", st.requests);
	if (st.sig_maperr + st.sig_accerr + st.sig_bus) {
		/* (only then: results without signals stay as they were) */
		statsout_u64(&o, "signals", "sigsegv_maperr", st.sig_maperr);
		statsout_u64(&o, "signals", "sigsegv_accerr", st.sig_accerr);
		statsout_u64(&o, "signals", "sigbus_adrerr", st.sig_bus);
	}
	if (g->nr_threads > 1) {
		/* (only then: single-threaded results stay as they were) */
		statsout_u64(&o, NULL, "threads", g->nr_threads);
		statsout_u64(&o, "sim", "cpu_ps", st.cpu_ps);
		json_object_set_new(o.obj, "tasks", threads_json(g));
	}
	if (s->footprint_on)
		footprint_json(&o, s, g);
	json_t *j = json_incref(o.obj);
	statsout_fini(&o);
	return j;
}

void sim_write_stats(struct sim *s, FILE *out)
{
	struct statsout o;
	statsout_init(&o);
	statsout_u64(&o, "sim", "time_ps", s->end_ps);
	statsout_u64(&o, "sim", "accesses", s->c.accesses);
	statsout_u64(&o, "sim", "operations", s->c.ops);
	statsout_u64(&o, "sim", "processes", s->c.processes_created);
	if (s->c.threads_created)
		statsout_u64(&o, "sim", "threads_created", s->c.threads_created);
	statsout_u64(&o, "sim", "forks", s->c.forks);
	if (s->c.vforks)
		statsout_u64(&o, "sim", "vforks", s->c.vforks);
	statsout_u64(&o, "sim", "exits", s->c.exits);
	statsout_u64(&o, "sim", "segfaults", s->c.segv);
	statsout_u64(&o, "sim", "sigbus", s->c.sigbus);
	statsout_u64(&o, "sim", "oom_kills", s->c.oom);
	if (s->c.sig_maperr + s->c.sig_accerr + s->c.sig_bus) {
		statsout_u64(&o, "signals", "sigsegv_maperr", s->c.sig_maperr);
		statsout_u64(&o, "signals", "sigsegv_accerr", s->c.sig_accerr);
		statsout_u64(&o, "signals", "sigbus_adrerr", s->c.sig_bus);
		statsout_u64(&o, "signals", "handled", s->c.signals_handled);
	}
	statsout_u64(&o, "sim", "unsupported_operations", s->c.op_errors);
	statsout_u64(&o, "sim", "context_switches", s->c.context_switches);
	statsout_u64(&o, "sim", "complete", !(s->interrupted || s->hit_max_time));
	statsout_u64(&o, "faults", "total", s->c.faults);
	statsout_u64(&o, "faults", "minor", s->c.faults_minor);
	statsout_u64(&o, "faults", "major", s->c.faults_major);
	if (s->c.reclaim_writes) {
		statsout_u64(&o, "memory_reclaim", "writes", s->c.reclaim_writes);
		statsout_u64(&o, "memory_reclaim", "requested_pages", s->c.reclaim_asked_pages);
		statsout_u64(&o, "memory_reclaim", "reclaimed_pages", s->c.reclaim_done_pages);
		statsout_u64(&o, "memory_reclaim", "eagain", s->c.reclaim_eagain);
	}
	if (s->c.results_recorded) {
		statsout_u64(&o, "trace", "recorded_results", s->c.results_recorded);
		statsout_u64(&o, "trace", "result_mismatches", s->c.result_mismatches);
	}
	if (s->c.mlock_calls) {
		statsout_u64(&o, "mlock", "calls", s->c.mlock_calls);
		statsout_u64(&o, "mlock", "failed", s->c.mlock_failed);
	}
	if (s->c.mempolicy_calls) {
		statsout_u64(&o, "mempolicy", "calls", s->c.mempolicy_calls);
		statsout_u64(&o, "mempolicy", "einval", s->c.mempolicy_einval);
	}
	vm_report(&s->vm, &o);
	psi_report(s, &o);
	senpai_report(s, &o);
	statsout_hist(&o, "latency.access", &s->lat_access);
	statsout_hist(&o, "latency.fault", &s->lat_fault);
	for (unsigned i = 0; i < NR_FAULT_KIND_HISTS; i++) {
		char *prefix = xasprintf("latency.fault.%s", fault_kind_hists[i].name);
		statsout_hist(&o, prefix, &s->lat_fault_kind[i]);
		free(prefix);
	}
	if (s->lat_request.count)
		statsout_hist(&o, "latency.request", &s->lat_request);
	if (s->timing_on)
		timing_report(&s->timing, &o, s->end_ps);
	json_t *procs = json_array();
	for (uint32_t i = 0; i < s->nr_tasks; i++)
		if (s->tasks[i]->group_leader == s->tasks[i])
			json_array_append_new(procs, task_json(s, s->tasks[i]));
	json_object_set_new(o.obj, "processes", procs);
	json_dumpf(o.obj, out, JSON_INDENT(1) | JSON_SORT_KEYS);
	fputc('\n', out);
	statsout_fini(&o);
}

static double ps_to_us(uint64_t ps)
{
	return (double)ps / 1e6;
}

void sim_print_summary(struct sim *s, FILE *out)
{
	const struct vm_stats *v = &s->vm.st;
	fprintf(out, "vmsim: %s  policy=%s  frames=%" PRIu64 "  cpus=%u  timing=%s%s\n",
	        s->cfg->name, s->vm.cfg.policy->name, s->vm.cfg.nr_frames, s->nr_cpus,
	        s->timing_on ? "on" : "off",
	        s->interrupted    ? "  (INTERRUPTED: partial results)"
	        : s->hit_max_time ? "  (stopped at sim.max_time_ps)"
	                          : "");
	fprintf(out, "  simulated time   %.3f ms   accesses %" PRIu64 "   processes %" PRIu64 "\n",
	        (double)s->end_ps / 1e9, s->c.accesses, s->c.processes_created);
	fprintf(out, "  faults           %" PRIu64 " (minor %" PRIu64 ", major %" PRIu64 ")\n",
	        s->c.faults, s->c.faults_minor, s->c.faults_major);
	fprintf(out,
	        "    demand-zero %" PRIu64 "  zero-page %" PRIu64 "  cow %" PRIu64
	        " (copies %" PRIu64 ")  swap-in %" PRIu64 "  swap-cache %" PRIu64 "\n",
	        v->faults_demand_zero, v->faults_zero_page, v->faults_cow, v->faults_cow_copies,
	        v->faults_swap_in, v->faults_swapcache);
	fprintf(out, "  reclaim          evictions %" PRIu64 "  swap-out %" PRIu64 "\n",
	        v->evictions, v->swap_out);
	if (s->timing_on)
		fprintf(out,
		        "  latency (us)     access mean %.4f p99 %.3f   fault mean %.3f p99 %.3f\n",
		        ps_to_us(hist_mean(&s->lat_access)),
		        ps_to_us(hist_quantile(&s->lat_access, 990000)),
		        ps_to_us(hist_mean(&s->lat_fault)),
		        ps_to_us(hist_quantile(&s->lat_fault, 990000)));
	if (s->lat_request.count)
		fprintf(out, "  requests         %" PRIu64 "   latency (us) p50 %.3f p99 %.3f\n",
		        s->lat_request.count, ps_to_us(hist_quantile(&s->lat_request, 500000)),
		        ps_to_us(hist_quantile(&s->lat_request, 990000)));
	if (s->c.segv || s->c.oom || s->c.op_errors)
		fprintf(out,
		        "  killed           segfault %" PRIu64 "  oom %" PRIu64
		        "  unsupported-operation %" PRIu64 "\n",
		        s->c.segv, s->c.oom, s->c.op_errors);
}
