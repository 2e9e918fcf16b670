/*
 * sim.h — one simulation: the owner tree rooted at struct sim (config, event queue, VM layer,
 * machine model, processes, CPUs, workloads, statistics), and the run loop. The engine's files:
 * sim.c (setup, teardown, sim_run), task.c (processes, run queue), run.c (the CPUs' run loop
 * and the access path), syscall.c (system calls), kswapd.c (background reclaim events),
 * future.c (OPT's future), report.c (stats.json, the summary, timeseries.csv), config.c.
 *
 * Execution model (../shared/DESIGN.md, "the fast path"): each CPU runs its current process's
 * operations inline, adding latencies to its own clock, until the process blocks (a major
 * fault, a wait), its quantum ends, or the CPU's clock passes the next pending event; then it
 * yields by scheduling its own run event at its clock. An access that hits touches neither the
 * event queue nor the allocator. Processes are created by the workloads' initial process (at
 * start_ps) and by fork; they leave by exit, a simulated segfault, or out-of-memory, each a
 * result in the statistics, never an error of vmsim.
 */
#ifndef VMSIM_SIM_ENGINE_SIM_H
#define VMSIM_SIM_ENGINE_SIM_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "models/machine/timing.h"
#include "models/vm/vm.h"
#include "sim/base/eventq.h"
#include "sim/base/stats.h"
#include "sim/engine/config.h"
#include "sim/engine/future.h"
#include "sim/engine/psi.h"
#include "sim/engine/task.h"
#include "workloads/workload.h"

struct sim_counters {
	uint64_t accesses, ops, faults, faults_minor, faults_major;
	uint64_t segv, oom, op_errors, forks, exits, context_switches;
	uint64_t sigbus; /* of segv: SIGBUS (beyond the end of a mapped file) */
	uint64_t signals_handled; /* SIGSEGV / SIGBUS of accesses that a handler caught */
	uint64_t sig_maperr, sig_accerr, sig_bus; /* every such signal, handled or fatal */
	uint64_t processes_created;
	uint64_t vforks;          /* vfork / posix_spawn children */
	uint64_t threads_created; /* by thread operations (not counting processes' first tasks) */
	/* writes to memory.reclaim (OP_MEMORY_RECLAIM): pages asked and reclaimed; eagain: the
	 * writes that got less than they asked (Linux returns -EAGAIN) */
	uint64_t reclaim_writes, reclaim_asked_pages, reclaim_done_pages, reclaim_eagain;
	uint64_t results_recorded, result_mismatches; /* system calls with `= RESULT` */
	/* set_mempolicy and mbind (OP_MEMPOLICY) calls; einval: refused (Linux's -EINVAL) */
	uint64_t mempolicy_calls, mempolicy_einval;
	/* the mlock family's calls (OP_MLOCK); failed: Linux's -ENOMEM (a range not mapped) */
	uint64_t mlock_calls, mlock_failed;
};

struct sim {
	struct config *cfg; /* borrowed, resolved */
	struct eventq eq;
	struct vm vm;
	struct timing timing;
	bool timing_on;
	bool footprint_on; /* stats.footprint: each process's footprint at exit (task_mmu.c) */
	simtime_t untimed_access_ps, quantum_ps, context_switch_ps, max_time_ps;
	simtime_t syscall_ps;    /* sim.syscall_ps: the software cost of a system call */
	simtime_t fork_pte_ps;   /* sim.fork_pte_ps: fork's cost per page-table entry copied */
	struct vm_image *images; /* the config's program images (exec), parsed at setup */
	uint32_t nr_images;
	struct memcg_config *memcgs;  /* the config's cgroups, parsed at setup */
	struct zcomp_class *zclasses; /* each workload's compressibility (class 1 + index) */
	uint32_t nr_zclasses;
	uint16_t *wl_memcg;           /* each workload's cgroup id (0: the root) */
	uint32_t nr_cpus;
	struct cpu *cpus;
	struct task **tasks; /* every process ever created, in creation order */
	uint32_t nr_tasks, cap_tasks;
	uint32_t nr_live_procs; /* processes with a task not TASK_DEAD */
	/* (wl_index, pid) -> the oldest task with them, open addressing (task_find_child in
	 * O(1): a fork server waits for each of thousands of children) */
	struct task **task_hash;
	uint32_t task_hash_mask;
	struct task *rq_head, *rq_tail;
	struct workload **wls;
	const struct workload_ops **wl_ops;
	uint32_t nr_wls;
	struct future future; /* when the policy needs it: one per process */
	struct psi psi;       /* memory pressure (psi.h), with stats.psi, cgroups, zswap or zram */
	struct senpai_conf *senpai;         /* senpai.c's controller, NULL: off */
	struct senpai_state *senpai_state;  /* per cgroup, [1..nr_memcgs] */
	struct event senpai_ev;
	json_t *trace_from;   /* the workload object read instead (sim_host.trace_from), or NULL */
	struct sim_counters c;
	struct hist lat_access, lat_fault;
#define NR_FAULT_KIND_HISTS 8
	struct hist lat_fault_kind[NR_FAULT_KIND_HISTS]; /* latency.fault.<kind> (report.c) */
	struct hist lat_request;   /* MARK_BEGIN .. MARK_END of the workloads' requests */
	struct event kswapd_ev;    /* background reclaim (vm.reclaim = "watermark") */
	struct event writeback_ev; /* the earliest completion of a kswapd write */
	struct event sample_ev;
	struct event numa_scan_ev; /* vm.tiering.promotion: the NUMA hint scanner */
	struct event disk_ev[TIMING_MAX_DISKS]; /* NCQ devices' next dispatch (disk_io.c) */
	simtime_t numa_scan_period_ps;
	simtime_t interval_ps;    /* timeseries.csv interval (doubled past a cap: report.c) */
	uint64_t sample_rows;     /* rows written by sample_event */
	uint32_t sample_doublings; /* times the interval doubled to bound the rows */
	simtime_t last_sample_ps; /* time of the last row of timeseries.csv */
	FILE *timeseries;         /* borrowed; NULL: no time series */
	uint64_t check_every;     /* --check: verify invariants every N operations (0: off) */
	uint64_t ops_since_check;
	volatile sig_atomic_t *stop_flag; /* set by a signal handler: stop at the next operation */
	bool interrupted, hit_max_time;
	struct err *err; /* where a malformed-trace message goes */
	int failed;      /* < 0: a workload reported bad input */
	simtime_t end_ps;
};

/* Set up everything the config describes. Bad input: < 0 with err filled. */
int sim_init(struct sim *s, struct config *cfg, struct err *err);
/* How the host runs a simulation, never what it computes (borrowed). */
struct sim_host {
	struct future_host future; /* OPT's future; its stop_flag also stops the setup */
	/* A vmb conversion of the config's one trace workload (`trace convert` with the same
	 * page size and oracle_access), read instead of it: a sweep decodes a shared trace once.
	 * NULL: read the trace itself. */
	const char *trace_from;
};

/* sim_init as host says (NULL: the defaults). */
int sim_init_host(struct sim *s, struct config *cfg, const struct sim_host *host, struct err *err);
void sim_fini(struct sim *s);
/* Run to completion. Returns 0, or < 0 when a workload hit malformed input (err filled). */
int sim_run(struct sim *s);
/* Write stats.json content (sorted keys) to out. */
void sim_write_stats(struct sim *s, FILE *out);
/* One-screen human summary. */
void sim_print_summary(struct sim *s, FILE *out);

#endif
