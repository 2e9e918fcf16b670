/*
 * kswapd.c — background reclaim as events (vm.reclaim = "watermark").
 *
 * kswapd, woken when an allocation leaves fewer free frames than the low watermark, runs as an
 * EVPRIO_BG event at the time of that fault, on no CPU (its own CPU time is not modelled). It
 * evicts victims until free frames plus frames under writeback reach the high watermark; a
 * victim's swap write goes to the disk at once and its frame is free when the write completes
 * (writeback_ev). Nobody waits for these writes.
 *
 * The NUMA hint scanner (vm.tiering.promotion, numa_scan_event) is background work too: every
 * scan period it hints a range of each address space (vm_task_numa_work); the hint faults are
 * the processes' own.
 */
#include "sim/engine/engine.h"

void writeback_event(struct event *ev, void *ctx)
{
	struct sim *s = ctx;
	uint64_t next = vm_writeback_complete(&s->vm, s->eq.now_ps);
	if (next != UINT64_MAX)
		eventq_schedule(&s->eq, ev, next);
}

void kswapd_event(struct event *ev, void *ctx)
{
	UNUSED(ev);
	struct sim *s = ctx;
	simtime_t now = s->eq.now_ps;
	struct fault_work w;
	pfn_t wb;
	vm_set_cpu(&s->vm, VM_NO_CPU); /* every CPU holding a victim's translation is remote */
	while (vm_kswapd_evict_one(&s->vm, &w, &wb)) {
		simtime_t done = s->timing_on ? timing_background_work(&s->timing, now, &w) : now;
		if (wb != PFN_NONE)
			vm_writeback_start(&s->vm, wb, done);
	}
	sim_disk_schedule(s);
	uint64_t next = vm_writeback_complete(&s->vm, now);
	eventq_cancel(&s->eq, &s->writeback_ev);
	if (next != UINT64_MAX)
		eventq_schedule(&s->eq, &s->writeback_ev, next);
}

void numa_scan_event(struct event *ev, void *ctx)
{
	struct sim *s = ctx;
	if (!s->nr_live_procs)
		return; /* the run is over */
	simtime_t now = s->eq.now_ps;
	struct fault_work w;
	vm_set_cpu(&s->vm, VM_NO_CPU); /* every CPU that runs the mm gets the shootdown */
	for (struct mm_struct *mm = s->vm.mm_list; mm; mm = mm->mm_next) {
		vm_task_numa_work(&s->vm, mm, now, &w);
		if (s->timing_on)
			timing_background_work(&s->timing, now, &w);
	}
	sim_disk_schedule(s);
	if (now <= SIMTIME_MAX - s->numa_scan_period_ps)
		eventq_schedule(&s->eq, ev, now + s->numa_scan_period_ps);
}

void kswapd_wake(struct sim *s, simtime_t start_ps)
{
	bool running = event_scheduled(&s->kswapd_ev);
	vm_kswapd_wake(&s->vm, running);
	if (!running)
		eventq_schedule(&s->eq, &s->kswapd_ev, MAX(start_ps, s->eq.now_ps));
}
