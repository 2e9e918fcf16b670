/*
 * gen_fork_server.c — the `fork-server` generator: a pre-forking server (Apache prefork,
 * PostgreSQL backends, a CGI server).
 *
 * The parent (pid 1) maps an anonymous heap of heap_pages at GEN_BASE_ADDR and writes every
 * page of it, so that after fork each heap page is a present, write-protected, shared frame.
 * It then forks workers, pids 2, 3, ... in fork order: at most `workers` are alive at once;
 * with fork_interval_ns > 0 it also computes that long after each fork (a fork rate). Each
 * time the pool is full it waits for any child (OP_WAIT 0) and forks a replacement, until
 * total_workers have been forked; then it waits for the rest and exits. So the parent emits
 * exactly total_workers forks and total_workers waits.
 *
 * A worker serves requests_per_worker requests. A request is:
 *   OP_MARK MARK_BEGIN id
 *   reads_per_request heap reads (pages drawn zipf or uniform, the same hot pages for every
 *     worker); W = round(write_fraction * reads_per_request) of them are followed by a write
 *     of the same page (a COW fault the first time a worker writes a page), spread evenly
 *     over the request;
 *   OP_MMAP of private_pages_per_request anonymous pages at GEN_PRIV_BASE_ADDR, a write to
 *     each, OP_MUNMAP (malloc/free of a large buffer); with buffer_release "dontneed" or
 *     "free" the buffer is mapped at the worker's first request only and each request ends
 *     with OP_MADVISE MADV_DONTNEED or MADV_FREE of it instead (an allocator that keeps the
 *     range and returns its pages: glibc's trim, jemalloc's purging);
 *   OP_COMPUTE request_compute_ns (if > 0);
 *   OP_MARK MARK_END id
 * with id = (pid - 2) * requests_per_worker + request index, unique over the run. The
 * simulator measures a request's latency from its begin mark to its end mark. After its
 * requests a worker exits, or with exec_after execs the image "cgi" (OP_EXECVE), maps
 * exec_pages fresh anonymous pages at GEN_EXEC_BASE_ADDR, writes each once, and exits.
 *
 * With threads_per_worker = T > 0 a worker is a threaded server process: its first thread
 * creates T threads (OP_THREAD, ids pid + 1 .. pid + T: a forked worker takes T + 1 ids, so
 * pids are 2, 2 + (T + 1), ...) and exits; each thread serves requests_per_worker requests as
 * above (ids from its own thread id), its private buffer at GEN_PRIV_BASE_ADDR + its index *
 * private_pages_per_request pages (the threads share the address space); the process ends
 * with its last thread, which is when the parent's wait returns. exec_after is refused with
 * threads (exec in a threaded process, Linux's de_thread, is not modelled). T = 0 (the
 * default) is the single-threaded server, op for op as before threads existed.
 *
 * Randomness: each worker draws from its own stream (seed, pid), so its pages do not depend
 * on how the scheduler interleaves workers. The heap's rank-to-page permutation is keyed by
 * the workload seed. Memory: one small record per live worker (a table indexed by pid).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/gen_common.h"

#define FS_FIRST_CHILD_PID (GEN_INITIAL_PID + 1)

static const struct param_spec fork_server_params[] = {
    {.key = "heap_pages",
     .type = PARAM_INT,
     .def = "4096",
     .min = 1,
     .max = 1e12,
     .doc = "pages of the heap the parent writes before forking"},
    {.key = "workers",
     .type = PARAM_INT,
     .def = "4",
     .min = 1,
     .max = 1e6,
     .doc = "workers alive at once (the pool)"},
    {.key = "total_workers",
     .type = PARAM_INT,
     .def = "8",
     .min = 1,
     .max = 1e9,
     .doc = "workers forked over the run"},
    {.key = "fork_interval_ns",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 1e15,
     .doc = "parent's compute after each fork, ns (0: fork as fast as the pool allows)"},
    {.key = "requests_per_worker",
     .type = PARAM_INT,
     .def = "100",
     .min = 1,
     .max = 1e12,
     .doc = "requests a worker serves before it exits"},
    {.key = "reads_per_request",
     .type = PARAM_INT,
     .def = "16",
     .min = 0,
     .max = 1e9,
     .doc = "heap pages read per request"},
    {.key = "write_fraction",
     .type = PARAM_REAL,
     .def = "0.1",
     .min = 0,
     .max = 1,
     .doc = "fraction of the pages read that are also written (COW)"},
    {.key = "heap_distribution",
     .type = PARAM_ENUM,
     .def = "\"zipf\"",
     .choices = "zipf|uniform",
     .doc = "how requests pick heap pages"},
    {.key = "alpha",
     .type = PARAM_REAL,
     .def = "0.9",
     .min = 0,
     .max = 10,
     .doc = "zipf exponent of heap page popularity"},
    {.key = "private_pages_per_request",
     .type = PARAM_INT,
     .def = "4",
     .min = 0,
     .max = 1e9,
     .doc = "pages of private memory mapped, written and unmapped per request"},
    {.key = "buffer_release",
     .type = PARAM_ENUM,
     .def = "\"munmap\"",
     .choices = "munmap|dontneed|free",
     .doc = "how a request returns its private buffer: munmap (mapped again by the next "
            "request), or madvise MADV_DONTNEED or MADV_FREE of a buffer mapped once"},
    {.key = "request_compute_ns",
     .type = PARAM_INT,
     .def = "20000",
     .min = 0,
     .max = 1e12,
     .doc = "compute per request, ns"},
    {.key = "exec_after",
     .type = PARAM_BOOL,
     .def = "false",
     .doc = "a worker execs \"cgi\" after its requests instead of exiting at once"},
    {.key = "threads_per_worker",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 1024,
     .doc =
         "threads each worker process creates to serve its requests (0: the process serves them)"},
    {.key = "exec_pages",
     .type = PARAM_INT,
     .def = "4",
     .min = 0,
     .max = 1e9,
     .doc = "with exec_after: pages the exec'd image maps and writes"},
    {0},
};

enum parent_state { P_HEAP_MMAP, P_HEAP_TOUCH, P_MAIN, P_INTERVAL, P_DONE };

enum worker_state {
	W_SPAWN, /* next: thread i of the worker process (then its first thread exits) */
	W_BEGIN, /* next: the request's begin mark */
	W_READ,  /* next: heap read i */
	W_WRITE, /* next: the write after heap read i */
	W_PRIV_MMAP,
	W_PRIV_TOUCH, /* next: private page i */
	W_PRIV_MUNMAP,
	W_COMPUTE,
	W_END, /* next: the end mark */
	W_EXECVE,
	W_EXEC_MMAP,
	W_EXEC_TOUCH, /* next: exec page i */
	W_EXIT,
};

struct fs_worker {
	uint32_t pid;
	enum worker_state state;
	uint64_t request;   /* requests begun */
	uint64_t i;         /* index within the current step */
	uint64_t page;      /* the heap page last read (W_WRITE writes it) */
	uint64_t counter;   /* accesses so far (page offsets) */
	uint64_t priv_addr; /* where its requests' private buffer goes */
	gsl_rng *rng;       /* owned */
};

struct fork_server {
	/* parameters */
	uint64_t page_size, heap_pages, workers, total_workers, fork_interval_ns;
	uint64_t requests, reads, writes, private_pages, request_compute_ns, exec_pages;
	uint64_t threads; /* threads_per_worker */
	uint8_t release;  /* buffer_release: 0 munmap, else the madvise advice */
	bool exec_after;
	struct gen_sampler heap; /* shared, stateless for zipf/uniform */
	uint64_t seed;
	/* the parent */
	enum parent_state pstate;
	uint64_t heap_touched, forked, waited;
	uint32_t next_pid; /* the id the next fork (or thread) takes */
	/* live workers: slot (pid - first child) & (cap - 1); grown on a collision */
	struct fs_worker **slots;
	size_t cap;
};

static struct fs_worker **worker_slot(struct fork_server *s, uint32_t pid)
{
	return &s->slots[(pid - FS_FIRST_CHILD_PID) & (s->cap - 1)];
}

/* Double the table until every live pid and new_pid have slots of their own. */
static void workers_rehash(struct fork_server *s, uint32_t new_pid)
{
	for (size_t cap = s->cap * 2;; cap *= 2) {
		struct fs_worker **t = xcalloc(cap, sizeof(*t));
		size_t mask = cap - 1, new_slot = (new_pid - FS_FIRST_CHILD_PID) & mask;
		bool clash = false;
		for (size_t i = 0; i < s->cap && !clash; i++) {
			struct fs_worker *w = s->slots[i];
			if (!w)
				continue;
			size_t j = (w->pid - FS_FIRST_CHILD_PID) & mask;
			clash = t[j] != NULL || j == new_slot;
			t[j] = w;
		}
		if (!clash) {
			free(s->slots);
			s->slots = t;
			s->cap = cap;
			return;
		}
		free(t);
	}
}

static void workers_insert(struct fork_server *s, struct fs_worker *w)
{
	if (*worker_slot(s, w->pid))
		workers_rehash(s, w->pid);
	*worker_slot(s, w->pid) = w;
}

static struct fs_worker *workers_find(struct fork_server *s, uint32_t pid)
{
	if (pid < FS_FIRST_CHILD_PID)
		return NULL;
	struct fs_worker *w = *worker_slot(s, pid);
	return w && w->pid == pid ? w : NULL;
}

static void worker_destroy(struct fs_worker *w)
{
	gsl_rng_free(w->rng);
	free(w);
}

static int fork_server_open(struct workload **out, const json_t *params,
                            const struct workload_env *env, struct err *err)
{
	struct fork_server *s = xcalloc(1, sizeof(*s));
	s->page_size = env->page_size;
	s->heap_pages = (uint64_t)params_get_int(params, "heap_pages");
	s->workers = (uint64_t)params_get_int(params, "workers");
	s->total_workers = (uint64_t)params_get_int(params, "total_workers");
	s->fork_interval_ns = (uint64_t)params_get_int(params, "fork_interval_ns");
	s->requests = (uint64_t)params_get_int(params, "requests_per_worker");
	s->reads = (uint64_t)params_get_int(params, "reads_per_request");
	s->writes = (uint64_t)llround(params_get_real(params, "write_fraction") * (double)s->reads);
	s->private_pages = (uint64_t)params_get_int(params, "private_pages_per_request");
	s->request_compute_ns = (uint64_t)params_get_int(params, "request_compute_ns");
	s->exec_after = params_get_bool(params, "exec_after");
	const char *release = params_get_string(params, "buffer_release");
	s->release = strcmp(release, "dontneed") == 0 ? ADV_DONTNEED
	             : strcmp(release, "free") == 0   ? ADV_FREE
	                                              : 0;
	s->exec_pages = (uint64_t)params_get_int(params, "exec_pages");
	s->threads = (uint64_t)params_get_int(params, "threads_per_worker");
	if (s->threads && s->exec_after) {
		free(s);
		return err_set(err,
		               "%s: %s.threads_per_worker: exec_after cannot be used with threads "
		               "(exec in a threaded process is not modelled)",
		               env->config_file, env->config_path);
	}
	s->seed = env->seed;
	uint64_t max_pages = gen_region_max_pages(env->page_size);
	const char *too_big = s->heap_pages > max_pages ? "heap_pages"
	                      : s->private_pages > max_pages / (s->threads ? s->threads : 1)
	                          ? "private_pages_per_request"
	                      : s->exec_pages > max_pages ? "exec_pages"
	                                                  : NULL;
	if (too_big) {
		free(s);
		return err_set(err, "%s: %s.%s: expected at most %llu pages (1 TiB), got more",
		               env->config_file, env->config_path, too_big,
		               (unsigned long long)max_pages);
	}
	bool zipf = strcmp(params_get_string(params, "heap_distribution"), "zipf") == 0;
	struct gen_sampler_conf sc = {
	    .dist = zipf ? GEN_DIST_ZIPF : GEN_DIST_UNIFORM,
	    .pages = s->heap_pages,
	    .alpha = params_get_real(params, "alpha"),
	    .permute = zipf,
	};
	int rc =
	    gen_sampler_init(&s->heap, &sc, env->seed, env->config_file, env->config_path, err);
	if (rc) {
		free(s);
		return rc;
	}
	s->cap = 16;
	s->slots = xcalloc(s->cap, sizeof(*s->slots));
	s->pstate = P_HEAP_MMAP;
	s->next_pid = FS_FIRST_CHILD_PID;
	*out = (struct workload *)s;
	return 0;
}

static uint32_t fork_server_initial_pid(const struct workload *w)
{
	return GEN_INITIAL_PID;
}

/* A new worker task pid, the index-th thread of its process, in the table. */
static struct fs_worker *worker_new(struct fork_server *s, uint32_t pid, uint64_t index)
{
	struct fs_worker *w = xcalloc(1, sizeof(*w));
	w->pid = pid;
	w->state = W_BEGIN;
	w->rng = gen_rng_create(s->seed, w->pid);
	w->priv_addr = GEN_PRIV_BASE_ADDR + index * s->private_pages * s->page_size;
	workers_insert(s, w);
	return w;
}

static void parent_next(struct fork_server *s, struct op *op)
{
	switch (s->pstate) {
	case P_HEAP_MMAP:
		op->kind = OP_MMAP;
		op->addr = GEN_BASE_ADDR;
		op->len = s->heap_pages * s->page_size;
		op->prot = PROT_R | PROT_W;
		s->pstate = P_HEAP_TOUCH;
		return;
	case P_HEAP_TOUCH:
		op->kind = OP_WRITE;
		op->addr = GEN_BASE_ADDR + s->heap_touched * s->page_size;
		if (++s->heap_touched == s->heap_pages)
			s->pstate = P_MAIN;
		return;
	case P_INTERVAL:
		op->kind = OP_COMPUTE;
		op->arg = s->fork_interval_ns;
		s->pstate = P_MAIN;
		return;
	case P_MAIN:
		if (s->forked < s->total_workers && s->forked - s->waited < s->workers) {
			struct fs_worker *w = worker_new(s, s->next_pid, 0);
			w->state = s->threads ? W_SPAWN : W_BEGIN;
			s->next_pid += (uint32_t)(1 + s->threads);
			op->kind = OP_FORK;
			op->arg = w->pid;
			s->forked++;
			if (s->fork_interval_ns && s->forked < s->total_workers)
				s->pstate = P_INTERVAL;
			return;
		}
		if (s->waited < s->total_workers) {
			op->kind = OP_WAIT;
			op->arg = 0;
			s->waited++;
			return;
		}
		op->kind = OP_EXIT;
		s->pstate = P_DONE;
		return;
	case P_DONE:
		break;
	}
	BUG_ON(1, "parent_next after the parent's exit");
}

/* The step after the heap reads of a request. */
/* The step after a request's heap accesses; a buffer kept mapped (buffer_release dontneed or
 * free) is written again from its first page. */
static enum worker_state after_reads(const struct fork_server *s, struct fs_worker *w)
{
	if (s->private_pages && s->release && w->request) {
		w->i = 0;
		return W_PRIV_TOUCH;
	}
	if (s->private_pages)
		return W_PRIV_MMAP;
	return s->request_compute_ns ? W_COMPUTE : W_END;
}

/* The request's private buffer: mapped (or kept), written page by page, released. */
static void priv_next(const struct fork_server *s, struct fs_worker *w, struct op *op)
{
	switch (w->state) {
	case W_PRIV_MMAP:
		op->kind = OP_MMAP;
		op->addr = w->priv_addr;
		op->len = s->private_pages * s->page_size;
		op->prot = PROT_R | PROT_W;
		w->i = 0;
		w->state = W_PRIV_TOUCH;
		return;
	case W_PRIV_TOUCH:
		op->kind = OP_WRITE;
		op->addr = w->priv_addr + w->i * s->page_size +
		           gen_page_offset(w->counter++, s->page_size);
		if (++w->i == s->private_pages)
			w->state = W_PRIV_MUNMAP;
		return;
	case W_PRIV_MUNMAP:
		op->kind = s->release ? OP_MADVISE : OP_MUNMAP;
		op->arg = s->release;
		op->addr = w->priv_addr;
		op->len = s->private_pages * s->page_size;
		w->state = s->request_compute_ns ? W_COMPUTE : W_END;
		return;
	default:
		BUG_ON(1, "fork-server: state %d is not the private buffer's", (int)w->state);
	}
}

static void worker_next(struct fork_server *s, struct fs_worker *w, struct op *op)
{
	switch (w->state) {
	case W_SPAWN:
		op->kind = OP_THREAD;
		op->arg = w->pid + 1 + w->i;
		worker_new(s, (uint32_t)op->arg, w->i);
		if (++w->i == s->threads)
			w->state = W_EXIT;
		return;
	case W_BEGIN:
		op->kind = OP_MARK;
		op->flags = MARK_BEGIN;
		op->arg = (w->pid - FS_FIRST_CHILD_PID) * s->requests + w->request;
		w->i = 0;
		w->state = s->reads ? W_READ : after_reads(s, w);
		return;
	case W_READ: {
		w->page = gen_sampler_next(&s->heap, w->rng);
		op->kind = OP_READ;
		op->addr = GEN_BASE_ADDR + w->page * s->page_size +
		           gen_page_offset(w->counter++, s->page_size);
		/* Read i is followed by a write when floor(i * W / R) steps: W writes per
		 * request, evenly spread. */
		if ((w->i + 1) * s->writes / s->reads > w->i * s->writes / s->reads) {
			w->state = W_WRITE;
			return;
		}
		if (++w->i == s->reads)
			w->state = after_reads(s, w);
		return;
	}
	case W_WRITE:
		op->kind = OP_WRITE;
		op->addr = GEN_BASE_ADDR + w->page * s->page_size +
		           gen_page_offset(w->counter++, s->page_size);
		w->state = ++w->i == s->reads ? after_reads(s, w) : W_READ;
		return;
	case W_PRIV_MMAP:
	case W_PRIV_TOUCH:
	case W_PRIV_MUNMAP:
		priv_next(s, w, op);
		return;
	case W_COMPUTE:
		op->kind = OP_COMPUTE;
		op->arg = s->request_compute_ns;
		w->state = W_END;
		return;
	case W_END:
		op->kind = OP_MARK;
		op->flags = MARK_END;
		op->arg = (w->pid - FS_FIRST_CHILD_PID) * s->requests + w->request;
		if (++w->request < s->requests)
			w->state = W_BEGIN;
		else
			w->state = s->exec_after ? W_EXECVE : W_EXIT;
		return;
	case W_EXECVE:
		op->kind = OP_EXECVE;
		op->name = "cgi";
		w->state = s->exec_pages ? W_EXEC_MMAP : W_EXIT;
		return;
	case W_EXEC_MMAP:
		op->kind = OP_MMAP;
		op->addr = GEN_EXEC_BASE_ADDR;
		op->len = s->exec_pages * s->page_size;
		op->prot = PROT_R | PROT_W;
		w->i = 0;
		w->state = W_EXEC_TOUCH;
		return;
	case W_EXEC_TOUCH:
		op->kind = OP_WRITE;
		op->addr = GEN_EXEC_BASE_ADDR + w->i * s->page_size +
		           gen_page_offset(w->counter++, s->page_size);
		if (++w->i == s->exec_pages)
			w->state = W_EXIT;
		return;
	case W_EXIT:
		op->kind = OP_EXIT;
		*worker_slot(s, w->pid) = NULL;
		worker_destroy(w);
		return;
	}
}

static int fork_server_next(struct workload *wl, uint32_t pid, struct op *op, struct err *err)
{
	struct fork_server *s = (struct fork_server *)wl;
	*op = (struct op){.pid = pid};
	if (pid == GEN_INITIAL_PID) {
		if (s->pstate == P_DONE)
			return 0;
		parent_next(s, op);
		return 1;
	}
	struct fs_worker *w = workers_find(s, pid);
	if (!w) {
		/* A worker that has exited has no more operations; a pid never forked is a
		 * bug in the caller. */
		BUG_ON(pid < FS_FIRST_CHILD_PID || pid >= s->next_pid,
		       "fork-server: pid %u was never forked", pid);
		return 0;
	}
	worker_next(s, w, op);
	return 1;
}

static void fork_server_close(struct workload *wl)
{
	struct fork_server *s = (struct fork_server *)wl;
	if (!s)
		return;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i])
			worker_destroy(s->slots[i]);
	free(s->slots);
	free(s);
}

const struct workload_ops workload_gen_fork_server = {
    .name = "fork-server",
    .description = "a pre-forking server: a shared heap, workers that read it, COW-write a "
                   "fraction, allocate, and exit or exec",
    .params = fork_server_params,
    .open = fork_server_open,
    .initial_pid = fork_server_initial_pid,
    .next = fork_server_next,
    .close = fork_server_close,
};
