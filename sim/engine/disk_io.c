/*
 * disk_io.c — the dispatches of disks that reorder their queue (an HDD with NCQ) as events, and
 * the tasks that wait for them.
 *
 * Such a device decides a request's completion when it starts it, choosing among the requests
 * of every task submitted by then (models/machine/timing_io.c). A fault whose requests are
 * queued there blocks its task with no wake-up scheduled, and the pages it reads carry a
 * marker instead of a ready time. Each device has one event (EVPRIO_IO) at its next dispatch
 * decision (timing_disk_next_ps); CPUs run inline only until the next event, so every request
 * submitted for a time before that event is queued when it fires. The dispatch that ends a
 * fault's last request gives its completion: the pages are stamped ready then and the task's
 * wake-up is scheduled. A fault that finds a page whose read is still queued (the page or swap
 * cache) has the devices driven until that read completes (timing_io_wait).
 *
 * Runs without such a device schedule no event here (t->ncq false): their results are those
 * of the path that costs a request at submission. Ties between a dispatch and another event at
 * the same time: dispatches run first (EVPRIO_IO), then the devices in index order.
 */
#include "sim/engine/engine.h"

/* Keep each device's dispatch event at its next decision. */
void sim_disk_schedule(struct sim *s)
{
	if (!s->timing.ncq)
		return;
	for (unsigned i = 0; i < timing_nr_disks(&s->timing); i++) {
		struct event *ev = &s->disk_ev[i];
		simtime_t at = timing_disk_next_ps(&s->timing, i);
		if (at != SIMTIME_MAX)
			at = MAX(at, s->eq.now_ps);
		if (event_scheduled(ev) && ev->time_ps == at)
			continue;
		eventq_cancel(&s->eq, ev);
		if (at != SIMTIME_MAX)
			eventq_schedule(&s->eq, ev, at);
	}
}

static void disk_event(struct event *ev, void *ctx)
{
	struct sim *s = ctx;
	timing_disk_dispatch(&s->timing, (unsigned)(ev - s->disk_ev));
	sim_disk_schedule(s);
}

/* A blocked fault's requests have completed: its pages are ready, the task wakes. */
static void io_done(void *ctx, const struct timing_io_done *d)
{
	struct sim *s = ctx;
	struct task *t = d->owner;
	vm_io_complete(&s->vm, d->read_pfns, d->nr_read_pfns, d->wb_pages, d->marker, d->done_ps);
	simtime_t until = MAX(d->block_until_ps, t->op_wait_until_ps);
	if (t->op_memstall)
		psi_memstall(&s->psi, s->wl_memcg[t->wl_index], t->op_start_ps, until);
	if (t->state != TASK_BLOCKED)
		return; /* killed while it waited */
	BUG_ON(event_scheduled(&t->wake_ev), "pid %u: disk completion for a task already woken",
	       t->pid);
	eventq_schedule(&s->eq, &t->wake_ev, MAX(until, s->eq.now_ps));
}

/* The VM found a page whose read is queued: its completion (the devices driven to it). */
static uint64_t io_wait(void *ctx, uint64_t marker)
{
	struct sim *s = ctx;
	simtime_t done = timing_io_wait(&s->timing, marker);
	sim_disk_schedule(s);
	return done;
}

void sim_disk_io_init(struct sim *s)
{
	if (!s->timing.ncq)
		return;
	for (unsigned i = 0; i < TIMING_MAX_DISKS; i++)
		event_init(&s->disk_ev[i], disk_event, s, EVPRIO_IO);
	timing_set_io_done(&s->timing, io_done, s);
	s->vm.io_wait = io_wait;
	s->vm.io_wait_ctx = s;
}
