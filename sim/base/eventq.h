/*
 * eventq.h — the event queue of the discrete-event engine.
 *
 * Events are intrusive (struct event lives inside its owner: a CPU, a process, a disk
 * request), so scheduling never allocates once the heap array has grown to its working size.
 * Order is (time_ps, priority class, insertion sequence): ties break the same way on every
 * machine. A binary min-heap gives O(log n) schedule, cancel and pop; each event remembers its
 * heap slot so cancel needs no search (libuv's timer heap does the same with start ids).
 */
#ifndef VMSIM_SIM_BASE_EVENTQ_H
#define VMSIM_SIM_BASE_EVENTQ_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/base/util.h"

struct event;
typedef void (*event_fn)(struct event *ev, void *ctx);

/* Priority classes: at equal times, lower classes run first. */
enum event_prio {
	EVPRIO_IO = 0,     /* device completions: a woken process is runnable at that time */
	EVPRIO_WAKE = 1,   /* process start, wake-ups */
	EVPRIO_CPU = 2,    /* a CPU resuming its run loop */
	EVPRIO_BG = 3,     /* background reclaim */
	EVPRIO_SAMPLE = 4, /* statistics sampling sees the state after everything else */
};

struct event {
	simtime_t time_ps;
	uint64_t seq;      /* insertion sequence (set by eventq_schedule) */
	uint32_t prio;     /* enum event_prio */
	uint32_t heap_idx; /* slot in the heap, EVENT_IDLE when not scheduled */
	event_fn fn;       /* called when the event fires (it is no longer scheduled then) */
	void *ctx;         /* passed to fn */
};
#define EVENT_IDLE UINT32_MAX

struct eventq {
	struct event **heap;
	uint32_t len, cap;
	uint64_t next_seq;
	simtime_t now_ps; /* time of the event being run (never decreases) */
	uint64_t fired;   /* events run so far */
};

void eventq_init(struct eventq *q);
void eventq_fini(struct eventq *q);
/* Prepare an event owned by the caller. */
void event_init(struct event *ev, event_fn fn, void *ctx, enum event_prio prio);
static inline bool event_scheduled(const struct event *ev)
{
	return ev->heap_idx != EVENT_IDLE;
}
/* Schedule ev at time_ps (>= now); the event must not already be scheduled. */
void eventq_schedule(struct eventq *q, struct event *ev, simtime_t time_ps);
/* Remove a scheduled event; a no-op for an idle one. */
void eventq_cancel(struct eventq *q, struct event *ev);
/* Time of the earliest event, or SIMTIME_MAX when empty. */
static inline simtime_t eventq_peek_time(const struct eventq *q)
{
	return q->len ? q->heap[0]->time_ps : SIMTIME_MAX;
}
/* The earliest event (still scheduled), or NULL when empty. */
static inline const struct event *eventq_peek(const struct eventq *q)
{
	return q->len ? q->heap[0] : NULL;
}
/* Pop and run the earliest event if its time is <= until_ps; returns false otherwise. */
bool eventq_run_one(struct eventq *q, simtime_t until_ps);
/* Run events until the queue is empty or the next is later than until_ps. */
void eventq_run(struct eventq *q, simtime_t until_ps);

#endif
