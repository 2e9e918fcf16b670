/*
 * trace_lackey_ops.c — the lackey importer's per-process state (trace_lackey.h): the queue of
 * operations made from the current line, and the set of mappings the process is known to have
 * (sorted, disjoint ranges) and files (fd -> path), with the synthesis of an anonymous mapping for
 * an access outside every known one (the 1 GiB-aligned area around it, clipped to the gap).
 */
#include "workloads/trace_lackey.h"

#include <string.h>

/* ---- per-process output queue ---- */

struct op *out_push(struct lk_proc *p, uint8_t kind)
{
	if (p->out_head + p->out_len == p->out_cap) {
		if (p->out_head) {
			memmove(p->out, p->out + p->out_head, p->out_len * sizeof(*p->out));
			memmove(p->out_names, p->out_names + p->out_head,
			        p->out_len * sizeof(*p->out_names));
			p->out_head = 0;
		} else {
			p->out_cap = p->out_cap ? p->out_cap * 2 : 16;
			p->out = xrealloc(p->out, p->out_cap * sizeof(*p->out));
			p->out_names = xrealloc(p->out_names, p->out_cap * sizeof(*p->out_names));
		}
	}
	uint32_t i = p->out_head + p->out_len++;
	p->out[i] = (struct op){.kind = kind, .pid = p->cur_task ? p->cur_task : p->pid};
	p->out_names[i] = NULL;
	return &p->out[i];
}

void out_set_name(struct lk_proc *p, struct op *op, const char *name)
{
	uint32_t i = (uint32_t)(op - p->out);
	p->out_names[i] = xstrdup(name);
	op->name = p->out_names[i];
}

/* ---- the mapping set ---- */

static int64_t map_find(struct lk_proc *p, uint64_t addr)
{
	if (p->last_map < p->nr_maps && p->maps[p->last_map].start <= addr &&
	    addr < p->maps[p->last_map].end)
		return p->last_map;
	uint32_t lo = 0, hi = p->nr_maps; /* first range with end > addr */
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (p->maps[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->nr_maps && p->maps[lo].start <= addr) {
		p->last_map = lo;
		return lo;
	}
	return -1 - (int64_t)lo; /* where it would go */
}

void map_insert(struct lk_proc *p, uint64_t start, uint64_t end)
{
	int64_t i = map_find(p, start);
	BUG_ON(i >= 0, "overlapping mapping");
	uint32_t at = (uint32_t)(-1 - i);
	GROW(p->maps, p->nr_maps, p->cap_maps);
	memmove(p->maps + at + 1, p->maps + at, (p->nr_maps - at) * sizeof(*p->maps));
	p->maps[at] = (struct lk_range){start, end};
	p->nr_maps++;
}

int map_remove(struct lk_proc *p, uint64_t start, uint64_t end, int emit)
{
	int any = 0;
	for (uint32_t i = 0; i < p->nr_maps;) {
		struct lk_range r = p->maps[i];
		if (r.end <= start || r.start >= end) {
			i++;
			continue;
		}
		any = 1;
		uint64_t cs = MAX(r.start, start), ce = MIN(r.end, end);
		if (emit) {
			struct op *op = out_push(p, OP_MUNMAP);
			op->addr = cs;
			op->len = ce - cs;
		}
		if (r.start < cs && ce < r.end) { /* split */
			p->maps[i].end = cs;
			GROW(p->maps, p->nr_maps, p->cap_maps);
			memmove(p->maps + i + 2, p->maps + i + 1,
			        (p->nr_maps - i - 1) * sizeof(*p->maps));
			p->maps[i + 1] = (struct lk_range){ce, r.end};
			p->nr_maps++;
			i += 2;
		} else if (r.start < cs) {
			p->maps[i++].end = cs;
		} else if (ce < r.end) {
			p->maps[i++].start = ce;
		} else {
			memmove(p->maps + i, p->maps + i + 1,
			        (p->nr_maps - i - 1) * sizeof(*p->maps));
			p->nr_maps--;
		}
	}
	p->last_map = 0;
	return any;
}

void map_ensure(struct lk_proc *p, uint64_t start, uint64_t end)
{
	uint64_t a = start;
	while (a < end) {
		int64_t i = map_find(p, a);
		if (i >= 0) {
			a = p->maps[i].end;
			continue;
		}
		uint32_t at = (uint32_t)(-1 - i);
		uint64_t gap_lo = at ? p->maps[at - 1].end : 0;
		uint64_t gap_hi = at < p->nr_maps ? p->maps[at].start : TRACE_VA_LIMIT;
		uint64_t want_hi = MIN(end, gap_hi);
		uint64_t s = MAX(gap_lo, a & ~(LACKEY_AREA_BYTES - 1));
		uint64_t e = want_hi > TRACE_VA_LIMIT - LACKEY_AREA_BYTES
		                 ? TRACE_VA_LIMIT
		                 : (want_hi + LACKEY_AREA_BYTES - 1) & ~(LACKEY_AREA_BYTES - 1);
		e = MIN(e, gap_hi);
		struct op *op = out_push(p, OP_MMAP);
		op->addr = s;
		op->len = e - s;
		op->prot = PROT_R | PROT_W | PROT_X;
		map_insert(p, s, e);
		a = e;
	}
}

/* ---- open files ---- */

struct lk_fd *fd_set_name(struct lk_proc *p, int fd, const char *name)
{
	struct lk_fd *f = fd_find(p, fd);
	if (f) {
		free(f->name);
		*f = (struct lk_fd){.fd = fd, .name = xstrdup(name)};
		return f;
	}
	GROW(p->fds, p->nr_fds, p->cap_fds);
	p->fds[p->nr_fds] = (struct lk_fd){.fd = fd, .name = xstrdup(name)};
	return &p->fds[p->nr_fds++];
}

struct lk_fd *fd_find(struct lk_proc *p, int fd)
{
	for (uint32_t i = 0; i < p->nr_fds; i++)
		if (p->fds[i].fd == fd)
			return &p->fds[i];
	return NULL;
}

const char *fd_name(struct lk_proc *p, int fd)
{
	struct lk_fd *f = fd_find(p, fd);
	return f ? f->name : NULL;
}

void fd_close(struct lk_proc *p, int fd)
{
	for (uint32_t i = 0; i < p->nr_fds; i++) {
		if (p->fds[i].fd == fd) {
			free(p->fds[i].name);
			p->fds[i] = p->fds[--p->nr_fds];
			return;
		}
	}
}

/* ---- threads ---- */

static void vtid_grow(struct lk_proc *p, uint32_t vtid)
{
	if (vtid < p->nr_vtids)
		return;
	uint32_t n = vtid + 8;
	p->vtid_task = xrealloc(p->vtid_task, n * sizeof(*p->vtid_task));
	p->vtid_rw = xrealloc(p->vtid_rw, n * sizeof(*p->vtid_rw));
	memset(p->vtid_task + p->nr_vtids, 0, (n - p->nr_vtids) * sizeof(*p->vtid_task));
	memset(p->vtid_rw + p->nr_vtids, 0, (n - p->nr_vtids) * sizeof(*p->vtid_rw));
	p->nr_vtids = n;
}

uint32_t lk_task_of(const struct lk_proc *p, uint32_t vtid)
{
	return vtid < p->nr_vtids && p->vtid_task[vtid] ? p->vtid_task[vtid] : p->pid;
}

struct lk_pending_rw *lk_pending_rw(struct lk_proc *p, uint32_t vtid)
{
	vtid_grow(p, vtid);
	return &p->vtid_rw[vtid];
}

/* Where clones[] holds tid, or -1. */
static int64_t clone_index(const struct lk_proc *p, uint32_t tid)
{
	for (uint32_t i = 0; i < p->nr_clones; i++)
		if (p->clones[i] == tid)
			return i;
	return -1;
}

void lk_sched_acquired(struct lk_proc *p, uint32_t vtid, int new_thread)
{
	if (new_thread && p->nr_clones) {
		vtid_grow(p, vtid);
		int64_t i = clone_index(p, p->vtid_task[vtid]);
		if (i < 0) { /* not the thread foreseen: the one created first */
			i = 0;
			for (uint32_t v = 0; v < p->nr_vtids; v++)
				if (p->vtid_task[v] == p->clones[0])
					p->vtid_task[v] = 0;
			p->vtid_task[vtid] = p->clones[0];
		}
		memmove(p->clones + i, p->clones + i + 1,
		        (p->nr_clones - (uint32_t)i - 1) * sizeof(*p->clones));
		p->nr_clones--;
	}
	p->cur_task = lk_task_of(p, vtid);
}

/* Valgrind gives a new thread the lowest free slot of its thread table (1: the leader, while
 * it lives): the new thread's id in its SCHED lines, which may run in another order than the
 * clones (a thread created second can start first). */
static void vtid_foresee(struct lk_proc *p, uint32_t tid)
{
	uint32_t v = p->leader_exited ? 1 : 2;
	while (v < p->nr_vtids && p->vtid_task[v])
		v++;
	vtid_grow(p, v);
	p->vtid_task[v] = tid;
}

void lk_thread_created(struct lk_proc *p, uint32_t tid)
{
	out_push(p, OP_THREAD)->arg = tid;
	GROW(p->threads, p->nr_threads, p->cap_threads);
	p->threads[p->nr_threads++] = tid;
	GROW(p->clones, p->nr_clones, p->cap_clones);
	p->clones[p->nr_clones++] = tid;
	vtid_foresee(p, tid);
}

void lk_task_exit(struct lk_proc *p, uint32_t task)
{
	if (p->exited)
		return;
	int live = task == p->pid ? !p->leader_exited : 0;
	for (uint32_t i = 0; i < p->nr_threads && !live; i++) {
		if (p->threads[i] == task) {
			p->threads[i] = p->threads[--p->nr_threads];
			live = 1;
		}
	}
	if (!live)
		return;
	if (task == p->pid)
		p->leader_exited = 1;
	uint32_t cur = p->cur_task;
	p->cur_task = task;
	out_push(p, OP_EXIT);
	p->cur_task = cur;
	for (uint32_t v = 0; v < p->nr_vtids; v++)
		if (p->vtid_task[v] == task)
			p->vtid_task[v] = 0;
	p->exited = p->leader_exited && p->nr_threads == 0;
}

void lk_proc_exit_all(struct lk_proc *p)
{
	while (p->nr_threads)
		lk_task_exit(p, p->threads[p->nr_threads - 1]);
	lk_task_exit(p, p->pid);
}

uint64_t map_len_at(struct lk_proc *p, uint64_t addr)
{
	int64_t i = map_find(p, addr);
	return i >= 0 && p->maps[i].start == addr ? p->maps[i].end - addr : 0;
}

int lk_size_declared(struct lk_size *z, uint32_t task)
{
	for (uint32_t i = 0; i < z->nr_tasks; i++)
		if (z->tasks[i] == task)
			return 1;
	GROW(z->tasks, z->nr_tasks, z->cap_tasks);
	z->tasks[z->nr_tasks++] = task;
	return 0;
}
