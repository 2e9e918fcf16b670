/*
 * trace_source.h — one trace file as a validated stream of operations in file order, whatever
 * its format. It applies the process rules that every format shares, naming FILE:LINE (text)
 * or FILE: byte offset N (binary):
 *  - the pid of the first process operation is the initial process; any other pid must have
 *    been created by a fork before its first operation; pids are never reused;
 *  - no operation of a process after its exit; wait names a child of the waiter (or none);
 *  - addresses and range ends lie within the 57-bit address space; ranges are not empty;
 *  - a file mapping names a declared file; a file may be declared again only with its size.
 * Names (file names, exec images) are interned: the pointer in an op stays valid until
 * trace_source_close. Memory grows with the number of processes and distinct names only.
 *
 * Ops are read ahead in batches of TRACE_SOURCE_BATCH (through the format's read_batch when it
 * has one, else read) and checked as they arrive, in file order; an error is returned when the
 * stream reaches it, after the ops before it. An access by the process of the op before it,
 * below TRACE_VA_LIMIT, costs one compare (live_pid); every other op takes the full check.
 */
#ifndef VMSIM_WORKLOADS_TRACE_SOURCE_H
#define VMSIM_WORKLOADS_TRACE_SOURCE_H

#include "workloads/trace_format.h"
#include "workloads/trace_pidmap.h"

enum trace_proc_state { TRACE_PROC_LIVE = 1, TRACE_PROC_EXITED = 2 };

/* One process seen in the trace. The queue fields belong to the trace workload (trace.c). */
struct trace_proc {
	uint32_t pid;
	uint32_t parent; /* 0 for the initial process */
	uint8_t state;   /* enum trace_proc_state (in file order) */
	struct op *q;    /* ring buffer of ops read ahead for this process */
	uint32_t q_head, q_len, q_cap;
};

struct trace_name {
	char *name;
	uint64_t size_bytes; /* declared size (files), 0 for images */
	int is_file; /* 0: an image or a cgroup, 1: a file, TRACE_NAME_SHMEM: a shmem object */
};
#define TRACE_NAME_SHMEM 2

/* Ops read ahead per batch (the simulator's TASK_BATCH_OPS). */
#define TRACE_SOURCE_BATCH 64

struct trace_source {
	const struct trace_format *fmt;
	void *reader;
	char *path;
	uint32_t initial_pid;     /* 0 until the first process operation */
	uint32_t live_pid;        /* a pid known to be live (the fast path), or 0 */
	struct trace_pidmap pids; /* pid -> index in procs */
	struct trace_proc *procs;
	uint32_t nr_procs, cap_procs;
	uint32_t nr_live;         /* processes created and not exited, in file order */
	struct trace_name *names; /* interned names (a linear table: traces name few) */
	uint32_t nr_names, cap_names;
	struct op *batch;     /* TRACE_SOURCE_BATCH ops read ahead and checked */
	uint32_t head, count; /* [head, count) of batch are not returned yet */
	uint64_t compute_ns;  /* compute ops checked so far (<= TRACE_COMPUTE_TOTAL_MAX_NS) */
	int held_rc;          /* < 0: the error met after the ops of batch, returned next */
	struct err *held_err; /* its message */
};

/* Open path as format fmt (NULL: guess from the name). < 0 with err on failure. */
int trace_source_open(struct trace_source *s, const char *path, const struct trace_format *fmt,
                      const struct trace_read_opts *opts, struct err *err);
/* The next valid operation in file order: 1, 0 at the end, < 0 with err. op->name, if any,
 * points to an interned copy. */
int trace_source_next(struct trace_source *s, struct op *op, struct err *err);
/* The next checked op, read ahead, if there is one (borrowed: valid until the next call into
 * the source), else NULL: then trace_source_next reads on. The fast path of callers that copy
 * ops themselves; trace_source_skip(s) then takes it as trace_source_next would. */
static inline const struct op *trace_source_peek(const struct trace_source *s)
{
	return s->head < s->count ? &s->batch[s->head] : NULL;
}

static inline void trace_source_skip(struct trace_source *s)
{
	s->head++;
}

/* Every process has exited by the ops returned so far (in file order; the ops read ahead
 * do not count). */
bool trace_source_all_exited(const struct trace_source *s);

/* For the checks kept in other files (trace_shm.c): the interned name of that kind, or NULL;
 * a new one (size 0); the error "FILE:LINE: what" (returns < 0). */
struct trace_name *trace_source_name(struct trace_source *s, const char *name, int is_file);
struct trace_name *trace_source_name_add(struct trace_source *s, const char *name, int is_file);
int trace_source_bad(struct trace_source *s, struct err *err, const char *what);
/* trace_shm.c: OP_SHM's and OP_SIGACTION's rules (0, or < 0 with err; op->name interned) and
 * their vmt lines (the length written). */
int trace_check_shm_sig(struct trace_source *s, struct op *op, struct err *err);
size_t trace_format_shm_sig(const struct op *op, char *buf, size_t len);

/* The process record of pid, or NULL. */
struct trace_proc *trace_source_proc(struct trace_source *s, uint32_t pid);
void trace_source_close(struct trace_source *s);

#endif
