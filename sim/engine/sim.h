/*
 * sim.h — one simulation: the owner tree rooted at struct sim (config, event queue, VM layer,
 * timing, processes, CPUs, workloads, statistics), and the run loop.
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
#include "workloads/workload.h"

enum task_state {
	TASK_NEW,      /* created, waiting for its start time */
	TASK_RUNNABLE, /* on the run queue */
	TASK_RUNNING,  /* current on a CPU */
	TASK_BLOCKED,  /* waiting for I/O or a child */
	TASK_DEAD,     /* exited or killed */
};

enum task_exit {
	EXIT_NORMAL,
	EXIT_SEGV,
	EXIT_OOM,
	EXIT_ERROR, /* the workload rejected an operation (e.g. bad mmap): counted */
};

/* Per-process counters: the same names as the global ones in stats.json. */
struct task_stats {
	uint64_t accesses, faults, minor, major;
	uint64_t demand_zero, zero_page, cow, cow_copies, swap_in, swapcache;
	uint64_t file, file_major, readahead_pages, fault_around_pages;
	simtime_t fault_time_ps;
	uint64_t requests;
	uint64_t thp;
};

struct task {
	uint32_t pid;
	uint32_t wl_index; /* which workload's stream this process reads */
	struct mm_struct *mm;
	enum task_state state;
	enum task_exit exit_reason;
	struct op *op;                 /* the operation in progress: in batch, or in op_buf */
	struct op op_buf;              /* where next() puts it for workloads without batches */
	struct op *batch;              /* ops read ahead by next_batch (TASK_BATCH_OPS), or NULL */
	uint32_t batch_pos, batch_len; /* batch[batch_pos, batch_len) are still to run */
	uint32_t prefetch_len;         /* ops below it may be prefetched (0: no prefetching) */
	bool has_op;                   /* op was fetched and not yet completed */
	bool op_io_done;               /* op's blocking I/O has completed: finish it */
	struct task *parent;
	uint32_t live_children;
	uint32_t wait_pid; /* blocked in wait for this child (0: any) */
	bool waiting;
	struct task *rq_next; /* run queue link */
	struct event wake_ev; /* start / I/O completion */
	struct sim *sim;
	uint64_t access_idx; /* accesses made (the OPT future's index) */
	simtime_t start_ps, end_ps;
	simtime_t op_start_ps;   /* when the blocked operation began (fault latency) */
	uint32_t op_fault_kinds; /* the blocked fault's enum fault_kind_bits */
	simtime_t mark_begin_ps; /* time of the open MARK_BEGIN */
	uint64_t mark_id;        /* its id */
	bool mark_open;
	struct task_stats st;
};

struct cpu {
	uint32_t id;
	struct task *cur;
	simtime_t clock_ps;     /* this CPU's local time, >= the event queue's */
	simtime_t slice_end_ps; /* end of the current quantum */
	struct event run_ev;
	bool idle;
	struct sim *sim;
	uint32_t last_asid;
};

/* Where each process's OPT future comes from: next_use[i] for its i-th access. */
struct future {
	uint64_t *next_use;
	uint64_t len;
};

struct sim_counters {
	uint64_t accesses, ops, faults, faults_minor, faults_major;
	uint64_t segv, oom, op_errors, forks, exits, context_switches;
	uint64_t processes_created;
};

struct sim {
	struct config *cfg; /* borrowed, resolved */
	struct eventq eq;
	struct vm vm;
	struct timing timing;
	bool timing_on;
	simtime_t untimed_access_ps, quantum_ps, context_switch_ps, max_time_ps;
	uint32_t nr_cpus;
	struct cpu *cpus;
	struct task **tasks; /* every process ever created, in creation order */
	uint32_t nr_tasks, cap_tasks;
	struct task *rq_head, *rq_tail;
	struct workload **wls;
	const struct workload_ops **wl_ops;
	uint32_t nr_wls;
	struct future future; /* when the policy needs it (single process) */
	struct sim_counters c;
	struct hist lat_access, lat_fault;
#define NR_FAULT_KIND_HISTS 8
	struct hist lat_fault_kind[NR_FAULT_KIND_HISTS]; /* latency.fault.<kind> (sim.c's table) */
	struct hist lat_request;   /* MARK_BEGIN .. MARK_END of the workloads' requests */
	struct event kswapd_ev;    /* background reclaim (vm.reclaim = "watermark") */
	struct event writeback_ev; /* the earliest completion of a kswapd write */
	struct event sample_ev;
	simtime_t interval_ps;
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
void sim_fini(struct sim *s);
/* Run to completion. Returns 0, or < 0 when a workload hit malformed input (err filled). */
int sim_run(struct sim *s);
/* Write stats.json content (sorted keys) to out. */
void sim_write_stats(struct sim *s, FILE *out);
/* One-screen human summary. */
void sim_print_summary(struct sim *s, FILE *out);

#endif
