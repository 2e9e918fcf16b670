/*
 * disk_ncq.c — Native Command Queuing on a rotating disk (queue_depth > 1): the drive holds
 * up to queue_depth commands and, each time its head frees, starts the one it can reach
 * soonest, shortest positioning time first (SPTF: command overhead + seek + rotational wait,
 * from the head's track and the platter's angle at that moment; ties go to the oldest). The
 * rest of the host's requests wait in a FIFO until a command slot frees (a completion).
 *
 * The choice is made at dispatch, among the requests submitted by then, so a request's
 * completion is known only when it starts: the caller drives the device as events
 * (disk_ncq_next_ps, disk_ncq_dispatch). Positioning and transfer are disk_submit's
 * (disk_hdd_position), so queue depth 1 would dispatch exactly as disk_submit completes.
 *
 * Ignores: aging (a far request may wait while nearer ones keep arriving; drives bound the
 * wait with firmware limits that are not published), the drive's cache, write caching (a
 * write completes when it reaches the media), the SATA link's transfer time, the host's
 * block-layer scheduler. Units: ps, bytes.
 */
#include "models/hw/disk.h"

#include <stdlib.h>
#include <string.h>

uint64_t disk_ncq_submit_tagged(struct disk *d, simtime_t now_ps, uint64_t offset_bytes,
                                uint64_t size_bytes, bool is_write, uint64_t tag)
{
	const struct disk_device_config *c = &d->cfg;
	struct disk_ncq *q = &d->ncq;
	BUG_ON(!disk_is_ncq(d), "disk %s: not an NCQ device", c->name);
	BUG_ON(!size_bytes || offset_bytes >= c->capacity_bytes ||
	           size_bytes > c->capacity_bytes - offset_bytes,
	       "disk %s: request [%llu, +%llu) beyond capacity %llu", c->name,
	       (unsigned long long)offset_bytes, (unsigned long long)size_bytes,
	       (unsigned long long)c->capacity_bytes);
	if (q->nr == q->cap) {
		/* Grows with the host's outstanding requests, doubling: rarely. */
		q->cap = q->cap ? 2 * q->cap : 2 * c->queue_depth;
		q->pending = xrealloc(q->pending, q->cap * sizeof(*q->pending));
	}
	/* In time order; a request for an earlier time than the last queued (another CPU's,
	 * which ran a little behind) goes before the later ones. */
	uint32_t at = q->nr;
	while (at && q->pending[at - 1].submit_ps > now_ps)
		at--;
	memmove(&q->pending[at + 1], &q->pending[at], (q->nr - at) * sizeof(*q->pending));
	q->nr++;
	q->pending[at] = (struct disk_ncq_req){.id = q->next_id,
	                                       .offset_bytes = offset_bytes,
	                                       .size_bytes = size_bytes,
	                                       .submit_ps = now_ps,
	                                       .tag = tag,
	                                       .is_write = is_write};
	return q->next_id++;
}

uint64_t disk_ncq_submit(struct disk *d, simtime_t now_ps, uint64_t offset_bytes,
                         uint64_t size_bytes, bool is_write)
{
	return disk_ncq_submit_tagged(d, now_ps, offset_bytes, size_bytes, is_write, 0);
}

simtime_t disk_ncq_next_ps(const struct disk *d)
{
	const struct disk_ncq *q = &d->ncq;
	return q->nr ? MAX(q->head_free_ps, q->pending[0].submit_ps) : SIMTIME_MAX;
}

/* Command overhead + seek + rotational wait of r from the head at at_ps; the seek, wait and
 * transfer in *p. */
static simtime_t positioning_ps(const struct disk *d, simtime_t at_ps, const struct disk_ncq_req *r,
                                struct disk_position *p)
{
	simtime_t overhead = r->is_write ? d->cfg.write_latency_ps : d->cfg.read_latency_ps;
	disk_hdd_position(d, at_ps + overhead, r->offset_bytes, r->size_bytes, p);
	return overhead + p->seek_ps + p->rotation_ps;
}

/* The index, among the drive's commands (the queue_depth oldest) submitted by at_ps, of the
 * one positioned soonest; its position in *best. */
static uint32_t sptf_pick(const struct disk *d, simtime_t at_ps, struct disk_position *best)
{
	const struct disk_ncq *q = &d->ncq;
	uint32_t n = MIN(q->nr, d->cfg.queue_depth), pick = 0;
	simtime_t best_ps = SIMTIME_MAX;
	for (uint32_t i = 0; i < n && q->pending[i].submit_ps <= at_ps; i++) {
		struct disk_position p;
		simtime_t ps = positioning_ps(d, at_ps, &q->pending[i], &p);
		if (ps < best_ps) {
			best_ps = ps;
			pick = i;
			*best = p;
		}
	}
	BUG_ON(best_ps == SIMTIME_MAX, "disk %s: no request to dispatch at %llu ps", d->cfg.name,
	       (unsigned long long)at_ps);
	return pick;
}

static void count_request(struct disk *d, const struct disk_ncq_req *r, simtime_t start,
                          simtime_t done, const struct disk_position *p)
{
	d->requests++;
	if (r->is_write) {
		d->writes++;
		d->write_bytes += r->size_bytes;
	} else {
		d->reads++;
		d->read_bytes += r->size_bytes;
	}
	/* One request in service at a time: the intervals are disjoint. */
	d->busy_ps += done - start;
	d->busy_until_ps = done;
	d->response_sum_ps += done - r->submit_ps;
	d->wait_sum_ps += start - r->submit_ps;
	d->seek_ps += p->seek_ps;
	d->rotation_ps += p->rotation_ps;
	hist_record(&d->latency, done - r->submit_ps);
}

bool disk_ncq_dispatch(struct disk *d, struct disk_done *out)
{
	struct disk_ncq *q = &d->ncq;
	if (!q->nr)
		return false;
	simtime_t start = disk_ncq_next_ps(d);
	struct disk_position p = {0};
	uint32_t i = sptf_pick(d, start, &p);
	struct disk_ncq_req r = q->pending[i];
	memmove(&q->pending[i], &q->pending[i + 1], (q->nr - i - 1) * sizeof(*q->pending));
	q->nr--;
	q->reorders += i != 0;
	simtime_t done = start + (r.is_write ? d->cfg.write_latency_ps : d->cfg.read_latency_ps) +
	                 p.seek_ps + p.rotation_ps + p.transfer_ps;
	d->head_pos = r.offset_bytes + r.size_bytes;
	q->head_free_ps = done;
	count_request(d, &r, start, done, &p);
	*out = (struct disk_done){
	    .id = r.id, .tag = r.tag, .submit_ps = r.submit_ps, .start_ps = start, .done_ps = done};
	return true;
}
