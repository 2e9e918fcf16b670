/*
 * task.c — the engine's processes and threads (task.h): creation, the run queue, waking an idle
 * CPU, exit with its wake-up of a waiting parent once the last thread of a process has left
 * (and of a vfork parent: vfork_release), and the --check walk over every live address space.
 */
#include "sim/engine/task.h"

#include <stdlib.h>

#include "sim/engine/engine.h"

static void task_wake_event(struct event *ev, void *ctx);

/* The id the VM layer knows the address space of t (just created, the last task) by: its pid
 * for one workload; with several, each workload numbers its pids from 1, so the creation
 * order makes them unique (the VM keys pages by it: equal ids mixed two processes' pages). */
uint32_t task_mm_id(const struct sim *s, const struct task *t)
{
	BUG_ON(s->tasks[s->nr_tasks - 1] != t, "mm_id of a task other than the newest");
	return s->nr_wls > 1 ? s->nr_tasks : t->pid;
}

static uint32_t task_hash_slot(const struct sim *s, uint32_t wl_index, uint32_t pid)
{
	return (uint32_t)mix64(((uint64_t)wl_index << 32) | pid) & s->task_hash_mask;
}

/* t into the hash unless an older task has its (wl_index, pid) (the oldest stays, as the
 * creation-order search found it); grows at load 1/2. */
static void task_hash_add(struct sim *s, struct task *t)
{
	if ((uint64_t)s->nr_tasks * 2 > s->task_hash_mask) {
		struct task **old = s->task_hash;
		uint32_t old_n = old ? s->task_hash_mask + 1 : 0;
		s->task_hash_mask = s->task_hash_mask ? s->task_hash_mask * 2 + 1 : 63;
		s->task_hash = xcalloc((size_t)s->task_hash_mask + 1, sizeof(*s->task_hash));
		for (uint32_t i = 0; i < old_n; i++)
			if (old[i])
				task_hash_add(s, old[i]);
		free(old);
	}
	uint32_t i = task_hash_slot(s, t->wl_index, t->pid);
	while (s->task_hash[i] &&
	       (s->task_hash[i]->wl_index != t->wl_index || s->task_hash[i]->pid != t->pid))
		i = (i + 1) & s->task_hash_mask;
	if (!s->task_hash[i])
		s->task_hash[i] = t;
}

struct task *task_new(struct sim *s, uint32_t wl_index, uint32_t pid, struct task *parent)
{
	struct task *t = xcalloc(1, sizeof(*t));
	t->pid = pid;
	t->wl_index = wl_index;
	t->parent = parent;
	t->sim = s;
	t->state = TASK_NEW;
	future_cursor_init(&t->fc, &s->future, wl_index, pid);
	event_init(&t->wake_ev, task_wake_event, t, EVPRIO_WAKE);
	if (s->wl_ops[wl_index]->next_batch)
		t->batch = xmalloc(TASK_BATCH_OPS * sizeof(*t->batch));
	if (s->nr_tasks == s->cap_tasks) {
		s->cap_tasks = s->cap_tasks ? s->cap_tasks * 2 : 16;
		s->tasks = xrealloc(s->tasks, sizeof(*s->tasks) * s->cap_tasks);
	}
	s->tasks[s->nr_tasks++] = t;
	s->nr_live_procs++;
	t->group_leader = t;
	t->last_thread = t;
	t->nr_threads = t->live_threads = 1;
	task_hash_add(s, t);
	if (parent) {
		t->sig_handled = parent->group_leader->sig_handled;
		t->next_sibling = parent->first_child;
		parent->first_child = t;
	}
	s->c.processes_created++;
	return t;
}

struct task *task_new_thread(struct sim *s, struct task *creator, uint32_t tid)
{
	struct task *g = creator->group_leader;
	struct task *t = task_new(s, creator->wl_index, tid, NULL);
	s->c.processes_created--; /* (a thread, not a process) */
	s->nr_live_procs--;
	s->c.threads_created++;
	t->group_leader = g;
	t->last_thread = NULL;
	t->nr_threads = t->live_threads = 0;
	t->mm = creator->mm;
	g->last_thread->next_thread = t;
	g->last_thread = t;
	g->nr_threads++;
	g->live_threads++;
	return t;
}

/* Whether t is the one task of its group that stands for the group's address space (the
 * first in creation order that still has it), so that walks over tasks see each mm once. */
bool task_mm_owner(const struct task *t)
{
	if (!t->mm || t->group_leader->vfork_parent)
		return false; /* (a vfork child's is its parent's) */
	const struct task *o = t->group_leader;
	while (!o->mm)
		o = o->next_thread;
	return o == t;
}

void rq_push(struct sim *s, struct task *t)
{
	t->rq_next = NULL;
	if (s->rq_tail)
		s->rq_tail->rq_next = t;
	else
		s->rq_head = t;
	s->rq_tail = t;
}

struct task *rq_pop(struct sim *s)
{
	struct task *t = s->rq_head;
	if (t) {
		s->rq_head = t->rq_next;
		if (!s->rq_head)
			s->rq_tail = NULL;
	}
	return t;
}

/* A runnable task exists: wake the first idle CPU at the current event time. */
static void kick_idle_cpu(struct sim *s)
{
	for (uint32_t i = 0; i < s->nr_cpus; i++) {
		struct cpu *c = &s->cpus[i];
		if (c->idle && !event_scheduled(&c->run_ev)) {
			c->idle = false;
			eventq_schedule(&s->eq, &c->run_ev, s->eq.now_ps);
			return;
		}
	}
}

static void task_wake_event(struct event *ev, void *ctx)
{
	UNUSED(ev);
	struct task *t = ctx;
	struct sim *s = t->sim;
	if (t->state == TASK_NEW) {
		t->start_ps = s->eq.now_ps;
		psi_task_live(&s->psi, s->wl_memcg[t->wl_index], t->start_ps, 1);
	}
	t->state = TASK_RUNNABLE;
	rq_push(s, t);
	kick_idle_cpu(s);
}

void sim_check(struct sim *s)
{
	struct mm_struct **mms = xmalloc(sizeof(*mms) * (s->nr_tasks ? s->nr_tasks : 1));
	size_t n = 0;
	for (uint32_t i = 0; i < s->nr_tasks; i++)
		if (task_mm_owner(s->tasks[i]))
			mms[n++] = s->tasks[i]->mm;
	vm_check(&s->vm, mms, n);
	free(mms);
}

/* The last task of t's group has left: the process has exited; a parent waiting for it
 * wakes. */
static void process_exit(struct sim *s, struct cpu *cpu, struct task *g)
{
	s->nr_live_procs--;
	s->c.exits++;
	struct task *p = g->parent;
	if (p) {
		p->live_children--;
		if (p->waiting && (p->wait_pid == 0 || p->wait_pid == g->pid)) {
			p->waiting = false;
			eventq_schedule(&s->eq, &p->wake_ev, cpu->clock_ps);
		}
	}
}

void vfork_release(struct sim *s, struct cpu *cpu, struct task *t)
{
	struct task *p = t->vfork_parent;
	if (!p)
		return;
	t->vfork_parent = NULL;
	t->mm = NULL;
	eventq_schedule(&s->eq, &p->wake_ev, cpu->clock_ps);
}

void task_exit(struct sim *s, struct cpu *cpu, struct task *t, enum task_exit why)
{
	struct task *g = t->group_leader;
	bool last = --g->live_threads == 0;
	vfork_release(s, cpu, t); /* (a vfork child: the address space stays its parent's) */
	if (t->mm && last) {
		struct fault_work w;
		fault_work_reset(&w);
		if (s->footprint_on) {
			g->footprint = xmalloc(sizeof(*g->footprint));
			vm_mm_footprint(&s->vm, t->mm, g->footprint);
		}
		timing_flush_asid(&s->timing, t->mm->asid);
		vm_mm_destroy(&s->vm, t->mm, &w);
	}
	t->mm = NULL;
	t->state = TASK_DEAD;
	t->exit_reason = why;
	t->end_ps = cpu->clock_ps;
	t->has_op = false;
	psi_task_live(&s->psi, s->wl_memcg[t->wl_index], t->end_ps, -1);
	if (why == EXIT_SEGV)
		s->c.segv++;
	if (why == EXIT_SEGV && t->signal == VM_SIG_BUS_ADRERR)
		s->c.sigbus++;
	else if (why == EXIT_OOM)
		s->c.oom++;
	else if (why == EXIT_ERROR)
		s->c.op_errors++;
	for (struct task *c = t->first_child; c; c = c->next_sibling)
		c->parent = NULL; /* orphans are reaped by nobody */
	if (last)
		process_exit(s, cpu, g);
	if (s->check_every)
		sim_check(s);
}

struct task *task_find_child(struct sim *s, struct task *parent, uint32_t pid)
{
	uint32_t h = task_hash_slot(s, parent->wl_index, pid);
	struct task *c;
	while ((c = s->task_hash[h]) && (c->wl_index != parent->wl_index || c->pid != pid))
		h = (h + 1) & s->task_hash_mask;
	if (!c || c->parent == parent)
		return c; /* no task has that pid, or the oldest one is parent's child */
	/* a pid used again (a generator's): the oldest child of parent with it, as before */
	for (uint32_t i = 0; i < s->nr_tasks; i++) {
		struct task *o = s->tasks[i];
		if (o->parent == parent && o->pid == pid && o->wl_index == parent->wl_index)
			return o;
	}
	return NULL;
}
