/*
 * engine.h — what the files of sim/engine share (sim.h is the engine's interface to the
 * command line; this header is not for it).
 */
#ifndef VMSIM_SIM_ENGINE_ENGINE_H
#define VMSIM_SIM_ENGINE_ENGINE_H

#include "sim/engine/sim.h"

/* The simulated clock's limit, in picoseconds: results hold signed 64-bit counters, so no
 * clock (nor time.compute_ps) may pass 2^63 - 1 ps (106 days). A run that would is refused at
 * that operation or event (run.c: sim_clock_overflow), not left to wrap around. */
#define SIM_CLOCK_LIMIT_PS ((simtime_t)INT64_MAX)

/* What running a task's operations came to. */
enum run_result { RUN_AGAIN, RUN_BLOCKED, RUN_DEAD, RUN_FAILED };

/* ---- run.c ------------------------------------------------------------------------------- */
/* Whether at_ps passed SIM_CLOCK_LIMIT_PS; if so, the run fails (s->failed, s->err) with a
 * message naming what: "an event", "pid 3's operation" etc. */
bool sim_clock_overflow(struct sim *s, simtime_t at_ps, const char *what);

/* ---- task.c ------------------------------------------------------------------------------ */
/* A new task of workload wl_index with pid (not started: the caller schedules its wake_ev). */
struct task *task_new(struct sim *s, uint32_t wl_index, uint32_t pid, struct task *parent);
/* A new thread tid of creator's process (clone(CLONE_VM | CLONE_THREAD)): a task sharing its
 * address space, in its thread group (not started: the caller schedules its wake_ev). */
struct task *task_new_thread(struct sim *s, struct task *creator, uint32_t tid);
/* Whether t is the task that stands for its group's address space in walks over tasks. */
bool task_mm_owner(const struct task *t);
/* t's new address space joins its workload's cgroup and compressibility class. */
static inline void task_mm_attach(struct sim *s, struct task *t)
{
	vm_mm_set_group(t->mm, s->wl_memcg[t->wl_index], (uint16_t)(t->wl_index + 1));
}
/* The id the VM layer knows the address space of t (just created, the newest task) by. */
uint32_t task_mm_id(const struct sim *s, const struct task *t);
/* t leaves (exit, segfault, out-of-memory, a rejected operation) at cpu's clock; when it was
 * the last live task of its thread group, the address space is released and the process's
 * parent woken from a wait for it. */
void task_exit(struct sim *s, struct cpu *cpu, struct task *t, enum task_exit why);
/* A vfork child t execs or exits: its parent wakes at cpu's clock and t no longer holds the
 * parent's address space (t->mm is NULL). Nothing for any other task. */
void vfork_release(struct sim *s, struct cpu *cpu, struct task *t);
/* parent's child pid (of the same workload), or NULL. */
struct task *task_find_child(struct sim *s, struct task *parent, uint32_t pid);
/* The run queue (FIFO). */
void rq_push(struct sim *s, struct task *t);
struct task *rq_pop(struct sim *s);
/* --check: the VM layer's invariants over every live address space. */
void sim_check(struct sim *s);

/* ---- run.c ------------------------------------------------------------------------------- */
/* A CPU's run event: run its tasks until its clock passes the next event (then it schedules
 * itself again), or until no task is runnable (it goes idle). */
void cpu_run_event(struct event *ev, void *ctx);
/* A fault of t that completed with the work w: the machine's and t's fault counts (total,
 * minor or major, and each kind). */
void count_fault(struct sim *s, struct task *t, const struct fault_work *w);

/* ---- syscall.c --------------------------------------------------------------------------- */
/* t's current operation, neither an access nor compute: a system call or a mark. */
enum run_result do_syscall(struct sim *s, struct cpu *cpu, struct task *t);
/* Bad input found by the run: the files' pages no longer fit on the file device (a request
 * past its capacity is a BUG in the disk model). Returns 0, or a negative code with s->err
 * filled and s->failed set (the run then ends with exit 2 and no results). */
int sim_check_file_device(struct sim *s);

/* ---- disk_io.c --------------------------------------------------------------------------- */
/* With a device that reorders its queue (timing.ncq): its dispatch events and the wake-up of
 * the tasks waiting for it. Init after timing_init; schedule after every call that may have
 * queued or dispatched its requests (timing_work, timing_background_work). */
void sim_disk_io_init(struct sim *s);
void sim_disk_schedule(struct sim *s);

/* ---- kswapd.c ---------------------------------------------------------------------------- */
void kswapd_event(struct event *ev, void *ctx);
void writeback_event(struct event *ev, void *ctx);
/* vm.tiering.promotion: every vm.tiering.scan_period_ps, task_numa_work on every address space
 * (its cost: the TLB invalidations; the scanning's CPU time is not modelled). */
void numa_scan_event(struct event *ev, void *ctx);
/* An allocation fell below the low watermark during the operation that began at start_ps. */
void kswapd_wake(struct sim *s, simtime_t start_ps);

/* ---- senpai.c ---------------------------------------------------------------------------- */
/* One cgroup's controller state. */
struct senpai_state {
	bool started;
	uint64_t last_total, integral; /* stall times (ps) */
	uint32_t grace;                /* ticks until the next probe */
	uint64_t limit;                /* the memory.high it set (pages) */
	uint64_t adjustments;
};
/* With senpai.enabled and cgroups: its first tick scheduled. */
void senpai_init(struct sim *s);
void senpai_fini(struct sim *s);
void senpai_event(struct event *ev, void *ctx);
/* cgroup.NAME.senpai.{adjustments,high_pages} */
void senpai_report(const struct sim *s, struct statsout *o);

/* ---- report.c ---------------------------------------------------------------------------- */
/* Fault kinds with a latency histogram of their own: latency.fault.<name>.* */
struct fault_kind_hist {
	uint32_t bit; /* enum fault_kind_bits */
	const char *name;
};
extern const struct fault_kind_hist fault_kind_hists[NR_FAULT_KIND_HISTS];
void sample_event(struct event *ev, void *ctx);
/* A row of timeseries.csv at t_ps. */
void write_sample(struct sim *s, simtime_t t_ps);
/* The columns timeseries.csv has after processes_live with vm.tiering (per node) and when PSI is
 * on, and their values. */
void write_offload_header(struct sim *s);
void write_offload_row(struct sim *s, simtime_t t_ps);

#endif
