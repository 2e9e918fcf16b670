/*
 * eventq.c — the intrusive binary heap of eventq.h.
 */
#include "sim/base/eventq.h"

#include <stdlib.h>

void eventq_init(struct eventq *q)
{
	q->heap = NULL;
	q->len = q->cap = 0;
	q->next_seq = 0;
	q->now_ps = 0;
	q->fired = 0;
}

void eventq_fini(struct eventq *q)
{
	for (uint32_t i = 0; i < q->len; i++)
		q->heap[i]->heap_idx = EVENT_IDLE;
	free(q->heap);
	q->heap = NULL;
	q->len = q->cap = 0;
}

void event_init(struct event *ev, event_fn fn, void *ctx, enum event_prio prio)
{
	ev->time_ps = 0;
	ev->seq = 0;
	ev->prio = prio;
	ev->heap_idx = EVENT_IDLE;
	ev->fn = fn;
	ev->ctx = ctx;
}

static inline bool before(const struct event *a, const struct event *b)
{
	if (a->time_ps != b->time_ps)
		return a->time_ps < b->time_ps;
	if (a->prio != b->prio)
		return a->prio < b->prio;
	return a->seq < b->seq;
}

static inline void put(struct eventq *q, uint32_t i, struct event *ev)
{
	q->heap[i] = ev;
	ev->heap_idx = i;
}

static void sift_up(struct eventq *q, uint32_t i)
{
	struct event *ev = q->heap[i];
	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (!before(ev, q->heap[parent]))
			break;
		put(q, i, q->heap[parent]);
		i = parent;
	}
	put(q, i, ev);
}

static void sift_down(struct eventq *q, uint32_t i)
{
	struct event *ev = q->heap[i];
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;
		struct event *best = ev;
		if (l < q->len && before(q->heap[l], best)) {
			m = l;
			best = q->heap[l];
		}
		if (r < q->len && before(q->heap[r], best))
			m = r;
		if (m == i)
			break;
		put(q, i, q->heap[m]);
		i = m;
	}
	put(q, i, ev);
}

void eventq_schedule(struct eventq *q, struct event *ev, simtime_t time_ps)
{
	BUG_ON(event_scheduled(ev), "event scheduled twice");
	BUG_ON(time_ps < q->now_ps, "event scheduled in the past (%llu < %llu)",
	       (unsigned long long)time_ps, (unsigned long long)q->now_ps);
	if (q->len == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 64;
		q->heap = xrealloc(q->heap, sizeof(*q->heap) * q->cap);
	}
	ev->time_ps = time_ps;
	ev->seq = q->next_seq++;
	put(q, q->len++, ev);
	sift_up(q, q->len - 1);
}

void eventq_cancel(struct eventq *q, struct event *ev)
{
	if (!event_scheduled(ev))
		return;
	uint32_t i = ev->heap_idx;
	BUG_ON(i >= q->len || q->heap[i] != ev, "event heap index corrupt");
	ev->heap_idx = EVENT_IDLE;
	q->len--;
	if (i == q->len)
		return;
	struct event *moved = q->heap[q->len];
	put(q, i, moved);
	sift_up(q, i);
	sift_down(q, moved->heap_idx);
}

bool eventq_run_one(struct eventq *q, simtime_t until_ps)
{
	if (!q->len || q->heap[0]->time_ps > until_ps)
		return false;
	struct event *ev = q->heap[0];
	eventq_cancel(q, ev);
	q->now_ps = ev->time_ps;
	q->fired++;
	ev->fn(ev, ev->ctx);
	return true;
}

void eventq_run(struct eventq *q, simtime_t until_ps)
{
	while (eventq_run_one(q, until_ps))
		;
}
