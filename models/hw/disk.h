/*
 * disk.h — block-device timing for swap and file I/O: a FIFO request queue served by
 * queue_depth parallel slots, computed as "earliest completion" without an event queue (the
 * caller schedules the wake-up event at the returned time).
 *
 * Every device is one model; its `type` picks a preset of parameters (nvme, sata-ssd, hdd,
 * fixed) that any key may override. A request submitted at `now` waits for the earliest free
 * slot (FIFO: requests start in submission order), then:
 *  - solid state with flash (rpm == 0, channels > 0; the nvme and sata-ssd presets): the
 *    controller's latency (read_latency_ps or write_latency_ps), then a read goes to its flash
 *    dies and channels (models/hw/ssd.h) and crosses the host link (read_mb_per_s, shared),
 *    and a write crosses the host link (write_mb_per_s) into the write cache, which absorbs
 *    it until full and drains to the dies at their program rate;
 *  - solid state without flash (channels == 0): a per-request latency, overlapped across
 *    slots, then a data transfer of size / bandwidth over the device's one shared data path;
 *    bandwidth 0 means no transfer time (the `fixed` device: a constant service time);
 *  - rotating (rpm > 0, queue_depth 1; deeper queues: NCQ, below): command overhead (the latency
 * keys), then a seek, a rotational wait and the media transfer. Seek: 0 within the head's current
 * track, else settle + (full - settle) * sqrt(tracks moved / tracks on the disk). Rotation is
 *    deterministic: the platter's angle at time t is t mod the revolution time, the angle of
 *    byte x is (x mod track_bytes) / track_bytes of a revolution, and the head waits for the
 *    target to come round. The media transfer is the angle the request spans, so a request
 *    that starts where the previous one ended, issued when it completes, waits for nothing:
 *    sequential runs stream at track_bytes per revolution and random ones pay seek + rotation.
 * A rotating disk with queue_depth > 1 reorders its queue (NCQ, disk_ncq.c), driven as events
 * (disk_ncq_*): a run queues every task's requests there and dispatches them as events
 * (models/machine/timing_io.c, sim/engine/disk_io.c), so requests of different tasks are
 * reordered together; disk_submit_batch orders one batch and dispatches it at once. Ignores:
 * an HDD's cache, zoned recording (one track size),
 * separate heads/surfaces, the host's block layer; for SSDs what ssd.h says. Units: ps, bytes;
 * bandwidth in MB/s (10^6 bytes per second). Integer arithmetic throughout (128-bit intermediates
 * for the rotation).
 */
#ifndef VMSIM_MODELS_HW_DISK_H
#define VMSIM_MODELS_HW_DISK_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/hw/ssd.h"
#include "sim/base/params.h"
#include "sim/base/stats.h"
#include "sim/base/util.h"

#define DISK_MAX_DEVICES 16
#define DISK_NAME_MAX 32
#define DISK_MAX_QUEUE_DEPTH 1024

struct disk_device_config {
	char name[DISK_NAME_MAX];  /* stats key: disk.<name>.requests */
	char type[16];             /* the preset it started from */
	uint32_t queue_depth;      /* requests served at once; more wait FIFO */
	simtime_t read_latency_ps; /* per-request latency (command overhead for an HDD) */
	simtime_t write_latency_ps;
	uint64_t read_mb_per_s; /* transfer bandwidth; 0: no transfer time (rpm must be 0) */
	uint64_t write_mb_per_s;
	uint64_t capacity_bytes;  /* offsets must stay below */
	uint32_t rpm;             /* 0: solid state */
	uint64_t track_bytes;     /* rpm > 0: bytes per track (one revolution) */
	simtime_t seek_settle_ps; /* rpm > 0: seek to a neighbouring track */
	simtime_t seek_full_ps;   /* rpm > 0: full-stroke seek */
	struct ssd_config flash;  /* channels > 0: flash dies and a write cache (models/hw/ssd.h) */
};

struct disk_config {
	unsigned nr_devices;
	struct disk_device_config dev[DISK_MAX_DEVICES];
	unsigned swap; /* index of the device holding swap */
	unsigned file; /* index of the device holding files */
};

/* One request waiting in a rotating disk's queue (NCQ, disk_ncq.c). */
struct disk_ncq_req {
	uint64_t id;
	uint64_t offset_bytes, size_bytes;
	simtime_t submit_ps;
	uint64_t tag; /* the submitter's (disk_ncq_submit_tagged), returned by the dispatch */
	bool is_write;
};

/* A rotating disk's requests not yet dispatched, in order of submission time (equal times in
 * the order they were submitted): the first queue_depth are in the drive's command queue, the
 * rest wait in the host's FIFO. */
struct disk_ncq {
	bool on; /* rotating with queue_depth > 1 at disk_init */
	struct disk_ncq_req *pending;
	uint32_t nr, cap;
	uint64_t next_id;       /* id of the next request submitted */
	simtime_t head_free_ps; /* when the request in service ends */
	uint64_t reorders;      /* dispatches that passed over an older eligible request */
};

/* A dispatched request: when it was submitted, started (positioning) and completes. */
struct disk_done {
	uint64_t id, tag;
	simtime_t submit_ps, start_ps, done_ps;
};

/* Where a rotating disk's request is, seen from the head at a time (disk_hdd_position). */
struct disk_position {
	simtime_t seek_ps, rotation_ps, transfer_ps;
};

struct disk {
	struct disk_device_config cfg;
	simtime_t *slot_free_ps; /* queue_depth entries: when each slot becomes free */
	simtime_t xfer_free_ps;  /* when the shared data path is free (solid state) */
	uint64_t head_pos;       /* byte under the head (rotating) */
	simtime_t rev_ps;        /* one revolution (rotating) */
	uint64_t nr_tracks;      /* capacity / track_bytes (rotating) */
	uint64_t requests, reads, writes, read_bytes, write_bytes;
	simtime_t busy_ps;                 /* time with at least one request in service */
	simtime_t busy_until_ps;           /* end of the last service interval seen */
	unsigned __int128 response_sum_ps; /* sum of (completion - submission): integral of N(t) */
	unsigned __int128 wait_sum_ps;     /* sum of (service start - submission) */
	simtime_t seek_ps, rotation_ps;    /* totals (rotating) */
	struct hist latency;               /* completion - submission */
	struct ssd ssd;                    /* cfg.flash.channels > 0 */
	struct disk_ncq ncq;               /* rotating with queue_depth > 1 (disk_ncq.c) */
};

struct disks {
	unsigned nr;
	struct disk dev[DISK_MAX_DEVICES];
	unsigned swap, file;
};

/* The parameters of preset type ("nvme", "sata-ssd", "hdd", "fixed") with name; returns 0, or
 * -VMSIM_EINVAL if no such preset. */
int disk_preset(const char *type, const char *name, struct disk_device_config *out);

/* One device on the caller's storage (cfg copied, must be valid); disk_fini frees it. */
void disk_init(struct disk *d, const struct disk_device_config *cfg);
void disk_fini(struct disk *d);

/*
 * Submit a request at now_ps for size_bytes (> 0) at offset_bytes (the request must fit the
 * capacity); returns its completion time (on an NCQ device: disk_submit_batch of one).
 * Requests start in submission order; now_ps should
 * not decrease from one call to the next on a device (statistics assume it). Never allocates
 * (histogram buckets excepted, once).
 */
simtime_t disk_submit(struct disk *d, simtime_t now_ps, uint64_t offset_bytes, uint64_t size_bytes,
                      bool is_write);

/* A rotating disk's head, on the track and at the end of the last request, positioning at
 * at_ps for size_bytes at offset_bytes: its seek, then the wait for the target to come round,
 * then the transfer (the angle the request spans). Pure: the head does not move. */
void disk_hdd_position(const struct disk *d, simtime_t at_ps, uint64_t offset_bytes,
                       uint64_t size_bytes, struct disk_position *out);

/*
 * NCQ (disk_ncq.c): a rotating disk with queue_depth > 1 holds up to queue_depth commands and
 * chooses the next one when its head frees, shortest positioning time first (SPTF), so a
 * request's completion is decided when it is dispatched, not when it is submitted. The event
 * style: submit requests (disk_ncq_submit), and at disk_ncq_next_ps dispatch the next one
 * (disk_ncq_dispatch) -- once every request submitted at or before that time has been
 * submitted. disk_submit and disk_submit_batch give completions at submission (below).
 */
static inline bool disk_is_ncq(const struct disk *d)
{
	return d->ncq.on;
}
/* Queue a request at now_ps (must fit the capacity); returns its id (0, 1, 2, ... in
 * submission order). A request may be submitted for a time earlier than one already queued
 * (a run's CPUs run ahead of each other by up to one operation): it takes its place in time
 * order, and is a candidate for every dispatch from its time on. */
uint64_t disk_ncq_submit(struct disk *d, simtime_t now_ps, uint64_t offset_bytes,
                         uint64_t size_bytes, bool is_write);
/* The same, with a tag that the dispatch of this request returns (disk_done.tag). */
uint64_t disk_ncq_submit_tagged(struct disk *d, simtime_t now_ps, uint64_t offset_bytes,
                                uint64_t size_bytes, bool is_write, uint64_t tag);
/* When the next dispatch decision is due: the head frees or, idle, the oldest request
 * arrives; SIMTIME_MAX with nothing queued. */
simtime_t disk_ncq_next_ps(const struct disk *d);
/* Dispatch at disk_ncq_next_ps: among the drive's queue_depth oldest requests submitted by
 * then, the one with the least command overhead + seek + rotational wait (ties: the oldest);
 * fills out, counts its statistics and returns true; false with nothing queued. */
bool disk_ncq_dispatch(struct disk *d, struct disk_done *out);

/* One request of a batch (disk_submit_batch). */
struct disk_req {
	uint64_t offset_bytes, size_bytes;
	bool is_write;
};

/*
 * Submit r[0..n) together at now_ps (each must fit the capacity); returns when the last one
 * completes (now_ps with n == 0). Solid state: disk_submit each at now_ps, so they overlap
 * across slots, dies and channels. A rotating disk with NCQ: the drive orders the batch
 * shortest positioning time first over its queue_depth command slots and the whole batch is
 * dispatched before returning (the queue is empty between batches); queue depth 1: FIFO.
 */
simtime_t disk_submit_batch(struct disk *d, simtime_t now_ps, const struct disk_req *r, uint32_t n);

/* All devices of cfg (must be valid). New; free with disks_destroy. */
struct disks *disks_create(const struct disk_config *cfg);
void disks_destroy(struct disks *ds);
static inline struct disk *disks_swap(struct disks *ds)
{
	return &ds->dev[ds->swap];
}
static inline struct disk *disks_file(struct disks *ds)
{
	return &ds->dev[ds->file];
}
/* The device called name, or NULL. */
struct disk *disks_find(struct disks *ds, const char *name);

/*
 * Keys under "disk": devices (a list of {name, type, queue_depth, read_latency_ps, ...}),
 * swap and file (device names). Default: one NVMe device "nvme0" serving both.
 * The per-device timing keys are required by the table: disk_params_expand fills them from
 * each device's type preset, so call it on the "disk" object before params_resolve.
 */
extern const struct param_spec disk_params[];

/* Fill each device's missing keys from its type's preset (type defaults to "nvme"), and swap
 * and file, if missing, with the first device's name. disk may be NULL (nothing to do). Bad
 * shapes are left for params_resolve to report; returns 0, or -VMSIM_EINVAL for an unknown
 * type (with "FILE: PATH.devices[i].type: ..."). */
int disk_params_expand(json_t *disk, const char *file, const char *path, struct err *err);

/* Copy the resolved "disk" object into c, checking names (unique, referenced ones exist) and
 * the rotating-disk constraints. 0 or -VMSIM_EINVAL with "FILE: PATH...: ...". */
int disk_config_from_json(struct disk_config *c, const json_t *obj, const char *file,
                          const char *path, struct err *err);

/* Per device: disk.<name>.{requests,reads,writes,read_bytes,write_bytes,bytes,busy_ps,
 * utilisation_milli,queue_len_avg_milli,wait_avg_ps,seek_ps,rotation_ps}, ncq_reorders (NCQ
 * devices: dispatches that passed over an older request) and the
 * latency.disk.<name> histogram; elapsed_ps is the simulated time the averages are over. */
void disk_report(const struct disk *d, simtime_t elapsed_ps, struct statsout *o);
void disks_report(const struct disks *ds, simtime_t elapsed_ps, struct statsout *o);

#endif
