/*
 * task.h — the engine's processes, threads and CPUs (task.c): a task runs one workload stream
 * of operations in its address space; a CPU runs one task at a time, on its own clock, from a
 * FIFO run queue (round robin with a quantum). A task is created by a workload's start, by fork
 * (a process of its own; vfork: one that borrows its parent's address space, the parent asleep,
 * until it execs or exits) or by a thread operation (a thread: a task of its creator's thread
 * group, sharing its address space, as clone(CLONE_VM | CLONE_THREAD)), and leaves by exit, a
 * simulated segfault, out-of-memory or a rejected operation, each counted as a result. The
 * process ends when the last task of its group has left. Not modelled: a fatal signal ends only
 * the thread that took it (Linux kills the whole group), and exec in a process with other live
 * threads (Linux's de_thread) is rejected.
 */
#ifndef VMSIM_SIM_ENGINE_TASK_H
#define VMSIM_SIM_ENGINE_TASK_H

#include <stdbool.h>
#include <stdint.h>

#include "models/vm/vm.h"
#include "sim/base/eventq.h"
#include "sim/engine/future.h"
#include "workloads/workload.h"

struct sim;

/* Operations a task reads ahead through next_batch: one indirect call per this many. */
#define TASK_BATCH_OPS 64

/* The signals of an access a process may handle (and go on with its next operation). */
enum { TASK_HANDLES_SEGV = 1, TASK_HANDLES_BUS = 2 };

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
	uint64_t sig_maperr, sig_accerr, sig_bus; /* SIGSEGV (SEGV_MAPERR, SEGV_ACCERR) and SIGBUS
	                                             raised by its accesses, handled or fatal */
	simtime_t cpu_ps; /* time on a CPU running its operations (not counting switches) */
};

struct task {
	uint32_t pid;
	uint32_t wl_index; /* which workload's stream this process reads */
	struct mm_struct *mm;
	enum task_state state;
	enum task_exit exit_reason;
	uint8_t signal;   /* with EXIT_SEGV: enum fault_signal, the signal that killed it */
	uint8_t sig_handled; /* on the group leader: TASK_HANDLES_* (sigaction; fork inherits,
	                        exec resets) */
	struct op *op;    /* the operation in progress: in batch, or in op_buf */
	struct op op_buf; /* where next() puts it for workloads without batches */
	struct op *batch; /* ops read ahead by next_batch (TASK_BATCH_OPS), or NULL */
	uint32_t batch_pos, batch_len; /* batch[batch_pos, batch_len) are still to run */
	uint32_t prefetch_len;         /* ops below it may be prefetched (0: no prefetching) */
	bool has_op;                   /* op was fetched and not yet completed */
	bool op_io_done;               /* op's blocking I/O has completed: finish it */
	struct task *parent; /* the task that forked it (NULL: initial, orphan or a thread) */
	struct task *vfork_parent; /* a vfork child until it execs or exits: the task that called
	                              vfork, asleep; mm is that task's (borrowed, not copied) */
	/* The thread group: its leader (itself for a process), and on the leader the group's
	 * tasks in creation order (next_thread links them, leader first), the tasks it has had
	 * and those still live; the address space goes when live_threads falls to 0. */
	struct task *group_leader;
	struct task *next_thread, *last_thread;
	uint32_t nr_threads, live_threads;
	struct task *first_child, *next_sibling; /* children, newest first (exit unparents them) */
	uint32_t live_children;
	uint32_t wait_pid; /* blocked in wait for this child (0: any) */
	bool waiting;
	struct task *rq_next; /* run queue link */
	struct event wake_ev; /* start / I/O completion */
	struct sim *sim;
	uint64_t access_idx;     /* accesses made (the OPT future's index) */
	struct future_cursor fc; /* where it reads its OPT future */
	simtime_t start_ps, end_ps;
	simtime_t op_start_ps;   /* when the blocked operation began (fault latency) */
	uint32_t op_fault_kinds; /* the blocked fault's enum fault_kind_bits */
	simtime_t op_wait_until_ps; /* ... with its requests queued on an NCQ device: the page
	                               it found still being read is ready then (disk_io.c) */
	bool op_memstall;        /* ... and it counts as a memory stall (PSI) */
	simtime_t mark_begin_ps; /* time of the open MARK_BEGIN */
	uint64_t mark_id;        /* its id */
	bool mark_open;
	struct task_stats st;
	struct mm_footprint_report *footprint; /* on the group leader, with stats.footprint: its address
	                                   space just before it exited (NULL: not yet) */
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

#endif
