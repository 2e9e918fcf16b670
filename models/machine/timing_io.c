/*
 * timing_io.c — an operation's disk requests when some device reorders its queue (an HDD with
 * NCQ): their completion is decided when the drive dispatches them, not when they are
 * submitted, so the operation is a small state machine driven by the engine's dispatch events.
 *
 * An operation (a fault's, a system call's, kswapd's) has up to two phases, as timing.c
 * costs them: the writes that free frames, all at once, then the reads that fill them, all at
 * once when the writes are done. A phase's requests to a device without NCQ (an SSD, FIFO)
 * get their completion at submission (disk_submit_batch, as before); those to an NCQ device
 * are queued with the operation's slot as tag (disk_ncq_submit_tagged) and complete as the
 * engine dispatches them (timing_disk_dispatch at timing_disk_next_ps, one event per
 * device). When a phase's last request is dispatched its completion is known; the next phase
 * is submitted at that time, and when the last phase is done the owner is told
 * (timing_io_done_fn: the engine wakes the task and stamps the pages read).
 *
 * An operation nobody can wait for as an event (a system call's, background reclaim's: the
 * callers want a completion time now) is driven to its end at once: the earliest dispatch of
 * any NCQ device is run, over and over, until it completes (io_run_until). Those dispatches are
 * decided among the requests submitted so far: a request another task submits later, for a
 * time before such a dispatch, is not a candidate for it. timing_io_wait does the same for a
 * page whose read is still queued (another fault found it in the page or swap cache).
 *
 * Units: ps, bytes. Slots: one per operation in flight, grown by doubling (at most one per
 * blocked task, plus one being driven).
 */
#include "models/machine/timing.h"

#include <stdlib.h>
#include <string.h>

#include "models/hw/disk.h"
#include "models/machine/timing_hw.h"

_Static_assert(TIMING_MAX_DISKS == DISK_MAX_DEVICES, "one dispatch event per device");

/* One request of a phase and the device it goes to. */
struct io_dev_req {
	struct disk *dev;
	struct disk_req r;
};

struct io_op {
	uint64_t id;           /* 0: the slot is free */
	void *owner;           /* told at the end (NULL: driven by io_run_until) */
	bool finished;         /* owner NULL: done, for io_run_until's caller to read */
	simtime_t at_ps;       /* when the operation submitted its first phase */
	simtime_t done_ps;     /* the latest completion so far */
	simtime_t throttle_ps; /* memory.high: the task sleeps this long after the I/O */
	uint32_t left;         /* NCQ requests of the current phase not yet dispatched */
	uint32_t nr_reads;     /* the second phase, submitted when the first ends */
	struct io_dev_req reads[FAULT_MAX_IO];
	uint32_t nr_read_pfns, wb_pages;
	uint32_t read_pfns[FAULT_MAX_READ_PFNS];
};

struct timing_ios {
	struct io_op *op;
	uint32_t nr, cap;
	uint64_t next_id;
};

void timing_io_init(struct timing *t)
{
	struct timing_hw *hw = t->hw;
	for (unsigned i = 0; i < hw->disks->nr; i++)
		t->ncq |= disk_is_ncq(&hw->disks->dev[i]);
	if (t->ncq)
		hw->ios = xcalloc(1, sizeof(*hw->ios));
}

void timing_io_fini(struct timing *t)
{
	struct timing_ios *io = t->hw->ios;
	if (!io)
		return;
	free(io->op);
	free(io);
}

void timing_set_io_done(struct timing *t, timing_io_done_fn fn, void *ctx)
{
	t->io_done = fn;
	t->io_done_ctx = ctx;
}

unsigned timing_nr_disks(const struct timing *t)
{
	return t->hw->disks->nr;
}

simtime_t timing_disk_next_ps(const struct timing *t, unsigned dev)
{
	const struct disk *d = &t->hw->disks->dev[dev];
	return disk_is_ncq(d) ? disk_ncq_next_ps(d) : SIMTIME_MAX;
}

/* A free slot, cleared up to its arrays. */
static struct io_op *op_alloc(struct timing_ios *io)
{
	uint32_t i = 0;
	while (i < io->nr && io->op[i].id)
		i++;
	if (i == io->nr) {
		if (io->nr == io->cap) {
			io->cap = io->cap ? 2 * io->cap : 8;
			io->op = xrealloc(io->op, io->cap * sizeof(*io->op));
		}
		io->nr++;
	}
	memset(&io->op[i], 0, offsetof(struct io_op, reads));
	return &io->op[i];
}

/* Submit a phase's n requests at at_ps: completions known now go into done_ps, NCQ requests
 * are queued (left counts them). The swap device's first, then the file device's, as
 * timing.c's synchronous path. */
static void op_submit(struct timing *t, struct io_op *op, const struct io_dev_req *q, uint32_t n,
                      simtime_t at_ps)
{
	struct timing_hw *hw = t->hw;
	struct disk *dev[2] = {disks_swap(hw->disks), disks_file(hw->disks)};
	uint64_t tag = (uint64_t)(op - hw->ios->op) + 1;
	op->done_ps = MAX(op->done_ps, at_ps);
	for (int k = 0; k < 2 && (k == 0 || dev[1] != dev[0]); k++) {
		struct disk_req r[FAULT_MAX_IO];
		uint32_t nr = 0;
		for (uint32_t i = 0; i < n; i++) {
			if (q[i].dev != dev[k])
				continue;
			if (disk_is_ncq(dev[k])) {
				disk_ncq_submit_tagged(dev[k], at_ps, q[i].r.offset_bytes,
				                       q[i].r.size_bytes, q[i].r.is_write, tag);
				op->left++;
			} else {
				r[nr++] = q[i].r;
			}
		}
		if (nr)
			op->done_ps = MAX(op->done_ps, disk_submit_batch(dev[k], at_ps, r, nr));
	}
}

/* The current phase has no request left in a queue: submit the reads, or end. */
static void op_phase_done(struct timing *t, struct io_op *op)
{
	if (op->nr_reads) {
		uint32_t n = op->nr_reads;
		op->nr_reads = 0;
		op_submit(t, op, op->reads, n, op->done_ps);
		if (op->left)
			return;
	}
	if (!op->owner) {
		op->finished = true; /* the caller counts its wait */
		return;
	}
	t->tb.disk_wait_ps += op->done_ps - op->at_ps;
	struct timing_io_done d = {.owner = op->owner,
	                           .marker = PAGE_READY_PENDING | op->id,
	                           .done_ps = op->done_ps,
	                           .block_until_ps = op->done_ps + op->throttle_ps,
	                           .read_pfns = op->read_pfns,
	                           .nr_read_pfns = op->nr_read_pfns,
	                           .wb_pages = op->wb_pages};
	op->id = 0;
	t->io_done(t->io_done_ctx, &d);
}

void timing_disk_dispatch(struct timing *t, unsigned dev)
{
	struct timing_ios *io = t->hw->ios;
	struct disk_done x;
	if (!disk_ncq_dispatch(&t->hw->disks->dev[dev], &x))
		return;
	BUG_ON(!x.tag || x.tag > io->nr || !io->op[x.tag - 1].id, "disk request with tag %llu",
	       (unsigned long long)x.tag);
	struct io_op *op = &io->op[x.tag - 1];
	op->done_ps = MAX(op->done_ps, x.done_ps);
	if (--op->left == 0)
		op_phase_done(t, op);
}

/* Run the earliest dispatch of any NCQ device (ties: the lowest device); false if none. */
static bool io_step(struct timing *t)
{
	simtime_t best = SIMTIME_MAX;
	unsigned pick = 0;
	for (unsigned i = 0; i < t->hw->disks->nr; i++) {
		simtime_t at = timing_disk_next_ps(t, i);
		if (at < best)
			best = at, pick = i;
	}
	if (best == SIMTIME_MAX)
		return false;
	timing_disk_dispatch(t, pick);
	return true;
}

/* Drive op (owner NULL) to its end; returns its completion and frees it. */
static simtime_t io_run_until(struct timing *t, struct io_op *op)
{
	while (!op->finished)
		BUG_ON(!io_step(t), "disk operation %llu waits for no request",
		       (unsigned long long)op->id);
	op->id = 0;
	return op->done_ps;
}

simtime_t timing_io_wait(struct timing *t, uint64_t marker)
{
	struct timing_ios *io = t->hw->ios;
	uint64_t id = marker & ~PAGE_READY_PENDING;
	struct io_op *op = NULL;
	for (uint32_t i = 0; io && i < io->nr && !op; i++)
		if (io->op[i].id == id)
			op = &io->op[i];
	if (!op)
		return 0; /* ended: its pages were stamped */
	/* Its end stamps the pages it read (the slot keeps done_ps: nothing allocates a slot
	 * meanwhile). */
	while (op->id == id)
		BUG_ON(!io_step(t), "disk operation %llu waits for no request",
		       (unsigned long long)id);
	return op->done_ps;
}

bool timing_io_submit(struct timing *t, simtime_t at_ps, const struct fault_work *w, bool phased,
                      void *owner, simtime_t *done_ps, uint64_t *marker)
{
	struct timing_hw *hw = t->hw;
	struct io_op *op = op_alloc(hw->ios);
	op->id = ++hw->ios->next_id;
	op->owner = owner;
	op->at_ps = at_ps;
	op->throttle_ps = w->throttle_ps;
	struct io_dev_req first[FAULT_MAX_IO];
	uint32_t n = 0;
	for (uint32_t i = 0; i < w->nr_io; i++) {
		const struct io_req *q = &w->io[i];
		struct disk *d = q->device == IO_DEV_FILE && phased ? disks_file(hw->disks)
		                                                    : disks_swap(hw->disks);
		struct io_dev_req r = {d, {q->offset_bytes, q->size_bytes, q->is_write}};
		if (!phased || q->is_write)
			first[n++] = r;
		else
			op->reads[op->nr_reads++] = r;
	}
	op_submit(t, op, first, n, at_ps);
	if (!op->left && op->nr_reads) {
		op_submit(t, op, op->reads, op->nr_reads, op->done_ps);
		op->nr_reads = 0;
	}
	if (!op->left) {
		/* Nothing queued on an NCQ device: it ends now, as on the synchronous path. */
		op->id = 0;
		*done_ps = op->done_ps;
		return false;
	}
	if (!owner) {
		*done_ps = io_run_until(t, op);
		return false;
	}
	op->nr_read_pfns = MIN(w->nr_read_pfns, (uint32_t)FAULT_MAX_READ_PFNS);
	memcpy(op->read_pfns, w->read_pfns, op->nr_read_pfns * sizeof(op->read_pfns[0]));
	op->wb_pages = w->wb_pages;
	*marker = PAGE_READY_PENDING | op->id;
	return true;
}
