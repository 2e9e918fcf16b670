/*
 * trace.c — the workload type "trace": replays a recorded trace of any format
 * (pages | vmt | vmb | lackey | oracle | champsim | lis | trc | txt | csv, see docs/traces.md)
 * through one reader per format.
 *
 * A trace file holds the operations of all its processes in one stream, but the simulator's
 * scheduler asks for the next operation of one process at a time, in its own order. This
 * module demultiplexes: when process P asks and its queue is empty, it reads ahead in the
 * file, appending other processes' operations to their own queues, until it finds one of P
 * (or the end, where P's stream ends). For a well-interleaved trace — every process's
 * operations spread through the file as they happened — the queues stay as short as the
 * distance between a process's consecutive operations, whatever the trace's length.
 * The pathological case is a trace that lists one process's whole life before another's
 * while the scheduler runs the other first: then the whole first part is buffered (48 bytes
 * per operation). vmt writers (record-trace, convert) keep processes interleaved in chunks.
 *
 * `file` declarations (global) are delivered in the stream of the next process operation
 * that follows them in the file, before it.
 */
#include <stdlib.h>
#include <string.h>

#include "workloads/trace.h"
#include "workloads/trace_pages.h"
#include "workloads/trace_source.h"
#include "workloads/workload.h"

struct trace_workload {
	struct trace_source src;
	struct op *pending; /* file declarations waiting for the next process op */
	uint32_t nr_pending, cap_pending;
	uint64_t buffered, max_buffered; /* ops queued now and at most (diagnostics) */
	bool at_end;                     /* the file is exhausted: only queued ops remain */
	int held_rc;                     /* < 0: an error next_batch met after some ops, */
	struct err *held_err;            /* returned (with this message) by the next call */
};

static const struct param_spec trace_csv_params[] = {
    {.key = "obj_id_col",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 1000,
     .doc = "1-based column of the object id (libCacheSim's obj-id-col)"},
    {.key = "op_col",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 1000,
     .doc = "1-based column of the operation (get, set, ...), 0 for none (op-type-col)"},
    {.key = "delimiter",
     .type = PARAM_STRING,
     .def = "\",\"",
     .doc = "the one-character column delimiter"},
    {.key = "has_header",
     .type = PARAM_BOOL,
     .def = "false",
     .doc = "the first line is a header and is skipped"},
    {0},
};

static const struct param_spec trace_params[] = {
    {.key = "path", .type = PARAM_STRING, .doc = "the trace file (relative to the config file)"},
    {.key = "format",
     .type = PARAM_ENUM,
     .choices = TRACE_FORMAT_CHOICES,
     .def = "\"pages\"",
     .doc = "trace format (docs/traces.md); when omitted, the one the path's ending names "
            "(.vmt, .vmb, .pages, .lackey or a folder, .oracleGeneral[.zst], .champsim*, .lis, "
            ".trc, .csv), else pages"},
    {.key = "oracle_access",
     .type = PARAM_ENUM,
     .choices = "read|write",
     .def = "\"read\"",
     .doc = "oracle format: each request is a read or a write of its object's page"},
    {.key = "champsim_layout",
     .type = PARAM_ENUM,
     .choices = "input_instr|cloudsuite",
     .def = "\"input_instr\"",
     .doc = "champsim format: 64-byte input_instr or 96-byte cloudsuite_instr records"},
    {.key = "instruction_fetches",
     .type = PARAM_BOOL,
     .def = "true",
     .doc = "champsim format: an x access of each instruction's ip before its loads/stores"},
    {.key = "block_access",
     .type = PARAM_ENUM,
     .choices = "read|write",
     .def = "\"write\"",
     .doc = "lis, trc, txt, csv formats: each request is a read or a write of its page"},
    {.key = "csv",
     .type = PARAM_OBJECT,
     .sub = trace_csv_params,
     .doc = "csv format: libCacheSim's column options"},
    {0},
};

static void queue_push(struct trace_workload *t, struct trace_proc *p, const struct op *op)
{
	if (p->q_len == p->q_cap) {
		uint32_t cap = p->q_cap ? p->q_cap * 2 : 16;
		struct op *q = xmalloc(cap * sizeof(*q));
		for (uint32_t i = 0; i < p->q_len; i++)
			q[i] = p->q[(p->q_head + i) & (p->q_cap - 1)];
		free(p->q);
		p->q = q;
		p->q_head = 0;
		p->q_cap = cap;
	}
	p->q[(p->q_head + p->q_len) & (p->q_cap - 1)] = *op;
	p->q_len++;
	if (++t->buffered > t->max_buffered)
		t->max_buffered = t->buffered;
}

static void queue_pop(struct trace_workload *t, struct trace_proc *p, struct op *op)
{
	*op = p->q[p->q_head];
	p->q_head = (p->q_head + 1) & (p->q_cap - 1);
	p->q_len--;
	t->buffered--;
}

/* Read ahead until an op of pid (1 with *op), the end (0) or an error. pid 0: stop at the
 * first process op, queued. */
static int trace_fetch(struct trace_workload *t, uint32_t pid, struct op *op, struct err *err)
{
	for (;;) {
		int rc = trace_source_next(&t->src, op, err);
		if (rc <= 0)
			return rc;
		if (op->kind == OP_FILE) {
			if (t->nr_pending == t->cap_pending) {
				t->cap_pending = t->cap_pending ? t->cap_pending * 2 : 8;
				t->pending =
				    xrealloc(t->pending, t->cap_pending * sizeof(*t->pending));
			}
			t->pending[t->nr_pending++] = *op;
			continue;
		}
		if (op->pid == pid && !t->nr_pending)
			return 1;
		struct trace_proc *p = trace_source_proc(&t->src, op->pid);
		BUG_ON(!p, "validated op of unknown pid %u", op->pid);
		for (uint32_t i = 0; i < t->nr_pending; i++) {
			t->pending[i].pid = op->pid;
			queue_push(t, p, &t->pending[i]);
		}
		t->nr_pending = 0;
		queue_push(t, p, op);
		if (op->pid == pid || pid == 0) {
			if (pid)
				queue_pop(t, p, op);
			return 1;
		}
	}
}

static void trace_close(struct workload *w)
{
	struct trace_workload *t = (struct trace_workload *)w;
	trace_source_close(&t->src);
	free(t->pending);
	free(t->held_err);
	free(t);
}

static int trace_open(struct workload **out, const json_t *params, const struct workload_env *env,
                      struct err *err)
{
	const char *path = params_get_string(params, "path");
	const char *format = params_get_string(params, "format");
	const struct trace_format *fmt = trace_format_find(format);
	BUG_ON(!fmt, "resolved format %s", format);
	struct trace_read_opts opts = {
	    .page_size = env->page_size,
	    .oracle_as_writes = strcmp(params_get_string(params, "oracle_access"), "write") == 0,
	    .champsim_cloudsuite =
	        strcmp(params_get_string(params, "champsim_layout"), "cloudsuite") == 0,
	    .champsim_no_ifetch = !params_get_bool(params, "instruction_fetches"),
	    .block_as_reads = strcmp(params_get_string(params, "block_access"), "read") == 0,
	};
	const json_t *csv = json_object_get(params, "csv");
	const char *delim = params_get_string(csv, "delimiter");
	if (strlen(delim) != 1)
		return err_set(err, "%s: %s.csv.delimiter: expected one character, got \"%s\"",
		               env->config_file, env->config_path, delim);
	opts.csv_delimiter = delim[0];
	opts.csv_obj_id_col = (uint32_t)params_get_int(csv, "obj_id_col");
	opts.csv_op_col = (uint32_t)params_get_int(csv, "op_col");
	opts.csv_has_header = params_get_bool(csv, "has_header");
	char *full = (path[0] == '/' || !env->base_dir || !*env->base_dir)
	                 ? xstrdup(path)
	                 : xasprintf("%s/%s", env->base_dir, path);
	struct trace_workload *t = xcalloc(1, sizeof(*t));
	t->held_err = xcalloc(1, sizeof(*t->held_err));
	struct err inner;
	int rc = trace_source_open(&t->src, full, fmt, &opts, &inner);
	if (rc < 0) {
		err_setc(err, -rc, "%s: %s.path: %s", env->config_file, env->config_path,
		         inner.msg);
		free(full);
		free(t->held_err);
		free(t);
		return rc;
	}
	free(full);
	struct op first;
	rc = trace_fetch(t, 0, &first, err);
	if (rc == 0)
		rc = err_set(err, "%s: the trace holds no process operation", t->src.path);
	if (rc < 0) {
		trace_close((struct workload *)t);
		return rc;
	}
	*out = (struct workload *)t;
	return 0;
}

static uint32_t trace_initial_pid(const struct workload *w)
{
	const struct trace_workload *t = (const struct trace_workload *)w;
	return t->src.initial_pid;
}

static int trace_next(struct workload *w, uint32_t pid, struct op *op, struct err *err)
{
	struct trace_workload *t = (struct trace_workload *)w;
	struct trace_proc *p = trace_source_proc(&t->src, pid);
	BUG_ON(!p, "next() for pid %u, which the trace never created", pid);
	int rc = 1;
	if (p->q_len) {
		queue_pop(t, p, op);
	} else if (t->at_end) {
		return 0;
	} else {
		rc = trace_fetch(t, pid, op, err);
		if (rc == 0)
			t->at_end = true;
	}
	if (rc == 1 && op->kind == OP_EXIT && trace_source_all_exited(&t->src)) {
		/* Every process has exited (in file order): whatever follows is an error the
		 * simulation would otherwise never read (operations after an exit). */
		struct op rest;
		int r;
		while ((r = trace_source_next(&t->src, &rest, err)) > 0)
			if (rest.kind != OP_FILE)
				return err_set(err,
				               "%s: an operation of pid %u after every process "
				               "exited",
				               t->src.path, rest.pid);
		if (r < 0)
			return r;
	}
	return rc;
}

/* Ops of pid by trace_next until max, the end, an error or an op other than an access or a
 * compute (which ends the batch: its name, if any, stays valid until the next call). An error
 * after some ops is held and returned by the next call. The hot case, pid's accesses and
 * computes that the source has read ahead with nothing queued before them, is a copy out of
 * the source's batch: exactly what trace_next would return, without its lookups. */
static int trace_next_batch(struct workload *w, uint32_t pid, struct op *ops, uint32_t max,
                            struct err *err)
{
	struct trace_workload *t = (struct trace_workload *)w;
	if (unlikely(t->held_rc < 0)) {
		if (err)
			*err = *t->held_err;
		return t->held_rc;
	}
	uint32_t n = 0;
	while (n < max) {
		if (!t->nr_pending) {
			const struct trace_proc *p = trace_source_proc(&t->src, pid);
			BUG_ON(!p, "next() for pid %u, which the trace never created", pid);
			const struct op *o;
			if (!p->q_len)
				while (n < max && (o = trace_source_peek(&t->src)) &&
				       o->pid == pid &&
				       (o->kind <= OP_EXEC || o->kind == OP_COMPUTE)) {
					ops[n++] = *o;
					trace_source_skip(&t->src);
				}
			if (n == max)
				break;
		}
		int rc = trace_next(w, pid, &ops[n], n ? t->held_err : err);
		if (rc < 0) {
			if (!n)
				return rc;
			t->held_rc = rc;
			break;
		}
		if (rc == 0)
			break;
		uint8_t kind = ops[n++].kind;
		if (kind > OP_EXEC && kind != OP_COMPUTE)
			break;
	}
	return (int)n;
}

/* An omitted "format" is the one path's ending names (as trace info and mrc guess it); the
 * default "pages" only when it names none. A .vmt trace read as pages failed at line 1. */
static void trace_complete(json_t *params, const char *config_file)
{
	const json_t *path = json_object_get(params, "path");
	if (json_object_get(params, "format") || !json_is_string(path))
		return;
	const char *p = json_string_value(path), *slash = strrchr(config_file, '/');
	char *full = p[0] == '/' || !slash
	                 ? xstrdup(p)
	                 : xasprintf("%.*s/%s", (int)(slash - config_file), config_file, p);
	const struct trace_format *fmt = trace_format_guess(full);
	free(full);
	if (fmt)
		json_object_set_new(params, "format", json_string(fmt->name));
}

const struct workload_ops workload_trace = {
    .name = "trace",
    .description = "replay a recorded trace (format: pages, vmt, vmb, lackey, oracle, champsim, "
                   "lis, trc, txt, csv)",
    .params = trace_params,
    .complete = trace_complete,
    .open = trace_open,
    .initial_pid = trace_initial_pid,
    .next = trace_next,
    .next_batch = trace_next_batch,
    .close = trace_close,
};

uint64_t trace_workload_max_buffered(const struct workload *w)
{
	return ((const struct trace_workload *)w)->max_buffered;
}
