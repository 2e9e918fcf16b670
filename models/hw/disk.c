/*
 * disk.c — block devices: FIFO queue, parallel slots, SSD latency + bandwidth, HDD seek +
 * rotation (see disk.h).
 */
#include "models/hw/disk.h"

#include <stdlib.h>
#include <string.h>

#define TIB (1ull << 40)

/*
 * Presets, calibrated on published figures (docs/models.md, "Disks"):
 *  - nvme: Intel DC P4500 (4 TB, TLC, 12 channels, PCIe 3.0 x4): QD1 4 KiB random read 85 us
 *    (datasheet: 85 us typical), 4 KiB random read up to 645k IOPS, steady-state 4 KiB random
 *    write ~48k IOPS (datasheet, up to). Controller 5 us + tR 75 us + 4 KiB over an 800 MB/s
 *    channel (5.12 us) + the host link at 3200 MB/s (1.28 us) = 86.4 us; 12 x 4 dies;
 *    effective program time 4 ms per 16 KiB page (48 dies x 16 KiB / 4 ms = 196.6 MB/s =
 *    48k x 4 KiB/s); a 64 MiB write cache (an assumption: not published).
 *  - sata-ssd: Samsung 850 EVO (500 GB): QD1 4 KiB random read ~100 us, QD32 ~70k IOPS
 *    (measured, see docs/models.md): controller 10 us + tR 75 us + 4 KiB over a 400 MB/s
 *    channel (10.24 us) + SATA 550 MB/s (7.45 us) = 102.7 us; 3 x 2 dies (effective, for the
 *    QD32 throughput); program 1.5 ms; 256 MiB write cache (its TurboWrite buffer is larger).
 *  - hdd: a 7200 rpm 3.5" drive, 1 MiB tracks (~126 MB/s sequential), 1 ms settle, 15 ms full
 *    stroke: average random seek 1 + 14 x 8/15 = 8.47 ms (Seagate Barracuda 7200.14
 *    ST1000DM003 datasheet: < 8.5 ms read); command overhead 0 so that back-to-back sequential
 *    requests stream. queue_depth 32: SATA NCQ's 32 command slots (disk_ncq.c).
 *  - nvme and sata-ssd: a read that finds its die programming suspends the program after
 *    20 us (program_suspend_ps; an assumption: program suspension for reads is described by
 *    Wu & He, FAST'12, and in Intel's NAND patents; no datasheet gives its latency), and reads
 *    of blocks still in the write cache are served from it. Without suspension a read waits
 *    up to the effective program time (4 ms here), which no drive shows at low load.
 *  - fixed: 100 us per request, for queueing validation.
 */
static const struct disk_device_config presets[] = {
    {.type = "nvme",
     .queue_depth = 128,
     .read_latency_ps = 5 * PS_PER_US,
     .write_latency_ps = 15 * PS_PER_US,
     .read_mb_per_s = 3200,
     .write_mb_per_s = 2000,
     .capacity_bytes = 4 * TIB,
     .flash = {.channels = 12,
               .dies_per_channel = 4,
               .page_bytes = 16384,
               .die_read_ps = 75 * PS_PER_US,
               .die_program_ps = 4 * PS_PER_MS,
               .channel_mb_per_s = 800,
               .write_cache_bytes = 64ull << 20,
               .program_suspend_ps = 20 * PS_PER_US}},
    {.type = "sata-ssd",
     .queue_depth = 32,
     .read_latency_ps = 10 * PS_PER_US,
     .write_latency_ps = 30 * PS_PER_US,
     .read_mb_per_s = 550,
     .write_mb_per_s = 520,
     .capacity_bytes = TIB / 2,
     .flash = {.channels = 3,
               .dies_per_channel = 2,
               .page_bytes = 16384,
               .die_read_ps = 75 * PS_PER_US,
               .die_program_ps = 1500 * PS_PER_US,
               .channel_mb_per_s = 400,
               .write_cache_bytes = 256ull << 20,
               .program_suspend_ps = 20 * PS_PER_US}},
    {.type = "hdd",
     .queue_depth = 32,
     .capacity_bytes = TIB,
     .rpm = 7200,
     .track_bytes = 1u << 20,
     .seek_settle_ps = 1 * PS_PER_MS,
     .seek_full_ps = 15 * PS_PER_MS},
    {.type = "fixed",
     .queue_depth = 1,
     .read_latency_ps = 100 * PS_PER_US,
     .write_latency_ps = 100 * PS_PER_US,
     .capacity_bytes = TIB},
};

int disk_preset(const char *type, const char *name, struct disk_device_config *out)
{
	for (size_t i = 0; i < ARRAY_SIZE(presets); i++) {
		if (strcmp(presets[i].type, type) == 0) {
			*out = presets[i];
			snprintf(out->name, sizeof(out->name), "%s", name);
			return 0;
		}
	}
	return -VMSIM_EINVAL;
}

void disk_init(struct disk *d, const struct disk_device_config *cfg)
{
	BUG_ON(cfg->queue_depth < 1 || cfg->queue_depth > DISK_MAX_QUEUE_DEPTH, "queue depth %u",
	       cfg->queue_depth);
	BUG_ON(cfg->rpm && (!cfg->track_bytes || cfg->capacity_bytes < cfg->track_bytes),
	       "bad rotating disk %s", cfg->name);
	memset(d, 0, sizeof(*d));
	d->cfg = *cfg;
	d->slot_free_ps = xcalloc(cfg->queue_depth, sizeof(*d->slot_free_ps));
	if (cfg->rpm) {
		d->ncq.on = cfg->queue_depth > 1;
		d->rev_ps = 60 * PS_PER_S / cfg->rpm;
		d->nr_tracks = cfg->capacity_bytes / cfg->track_bytes;
	}
	hist_init(&d->latency);
	if (cfg->flash.channels)
		ssd_init(&d->ssd, &cfg->flash);
}

void disk_fini(struct disk *d)
{
	free(d->slot_free_ps);
	d->slot_free_ps = NULL;
	free(d->ncq.pending);
	d->ncq.pending = NULL;
	hist_fini(&d->latency);
	if (d->cfg.flash.channels)
		ssd_fini(&d->ssd);
}

static uint64_t isqrt(uint64_t v)
{
	uint64_t r = 0;
	for (int b = 31; b >= 0; b--) {
		uint64_t t = r | (1ull << b);
		if (t * t <= v)
			r = t;
	}
	return r;
}

/* Seek from the head's track to the track of offset. */
static simtime_t hdd_seek_ps(const struct disk *d, uint64_t offset)
{
	uint64_t from = d->head_pos / d->cfg.track_bytes, to = offset / d->cfg.track_bytes;
	if (from == to)
		return 0;
	uint64_t dist = from > to ? from - to : to - from;
	/* sqrt(dist / nr_tracks) in 16-bit fixed point (dist <= nr_tracks: at most 1 << 16). */
	uint64_t frac16 = isqrt((uint64_t)(((unsigned __int128)dist << 32) / d->nr_tracks));
	simtime_t span = d->cfg.seek_full_ps - d->cfg.seek_settle_ps;
	return d->cfg.seek_settle_ps + (simtime_t)(((unsigned __int128)span * frac16) >> 16);
}

/* Angular position of byte x in ps since the start of a revolution, unreduced: the platter
 * passes byte x at times congruent to this modulo rev_ps. */
static unsigned __int128 hdd_angle_ps(const struct disk *d, uint64_t x)
{
	return (unsigned __int128)x * d->rev_ps / d->cfg.track_bytes;
}

void disk_hdd_position(const struct disk *d, simtime_t at_ps, uint64_t offset_bytes,
                       uint64_t size_bytes, struct disk_position *out)
{
	out->seek_ps = hdd_seek_ps(d, offset_bytes);
	simtime_t t = at_ps + out->seek_ps;
	unsigned __int128 a0 = hdd_angle_ps(d, offset_bytes);
	simtime_t target = (simtime_t)(a0 % d->rev_ps);
	out->rotation_ps = (target + d->rev_ps - t % d->rev_ps) % d->rev_ps;
	out->transfer_ps = (simtime_t)(hdd_angle_ps(d, offset_bytes + size_bytes) - a0);
}

/* The heap's root (the earliest free slot) becomes busy until t: sift it down. */
static void slot_replace_root(simtime_t *h, unsigned n, simtime_t t)
{
	unsigned i = 0;
	for (;;) {
		unsigned l = 2 * i + 1, m = i;
		simtime_t v = t;
		if (l < n && h[l] < v)
			m = l, v = h[l];
		if (l + 1 < n && h[l + 1] < v)
			m = l + 1;
		if (m == i)
			break;
		h[i] = h[m];
		i = m;
	}
	h[i] = t;
}

simtime_t disk_submit(struct disk *d, simtime_t now_ps, uint64_t offset_bytes, uint64_t size_bytes,
                      bool is_write)
{
	const struct disk_device_config *c = &d->cfg;
	BUG_ON(!size_bytes || offset_bytes >= c->capacity_bytes ||
	           size_bytes > c->capacity_bytes - offset_bytes,
	       "disk %s: request [%llu, +%llu) beyond capacity %llu", c->name,
	       (unsigned long long)offset_bytes, (unsigned long long)size_bytes,
	       (unsigned long long)c->capacity_bytes);
	if (disk_is_ncq(d)) /* a batch of one: dispatched at once, as the FIFO path would */
		return disk_submit_batch(d, now_ps, &(struct disk_req){offset_bytes, size_bytes, is_write},
		                         1);
	/* The slots are a min-heap of their free times: the root is the earliest free. */
	simtime_t start = MAX(now_ps, d->slot_free_ps[0]);
	simtime_t t = start + (is_write ? c->write_latency_ps : c->read_latency_ps);
	if (c->rpm) {
		struct disk_position p;
		disk_hdd_position(d, t, offset_bytes, size_bytes, &p);
		t += p.seek_ps + p.rotation_ps + p.transfer_ps;
		d->head_pos = offset_bytes + size_bytes;
		d->seek_ps += p.seek_ps;
		d->rotation_ps += p.rotation_ps;
	} else {
		uint64_t mbps = is_write ? c->write_mb_per_s : c->read_mb_per_s;
		if (c->flash.channels && !is_write)
			t = ssd_read(&d->ssd, now_ps, t, offset_bytes, size_bytes);
		if (mbps && c->flash.channels) {
			t = ssd_link(&d->ssd, now_ps, t,
			             (simtime_t)((unsigned __int128)size_bytes * 1000000u / mbps));
		} else if (mbps) {
			/* size * 10^12 ps/s / (mbps * 10^6 B/s) */
			simtime_t xfer =
			    (simtime_t)((unsigned __int128)size_bytes * 1000000u / mbps);
			t = MAX(t, d->xfer_free_ps) + xfer;
			d->xfer_free_ps = t;
		}
		if (c->flash.channels && is_write)
			t = ssd_write(&d->ssd, t, offset_bytes, size_bytes);
	}
	slot_replace_root(d->slot_free_ps, c->queue_depth, t);

	d->requests++;
	if (is_write) {
		d->writes++;
		d->write_bytes += size_bytes;
	} else {
		d->reads++;
		d->read_bytes += size_bytes;
	}
	/* Busy time is the union of service intervals; starts never decrease (FIFO). */
	if (start >= d->busy_until_ps)
		d->busy_ps += t - start;
	else if (t > d->busy_until_ps)
		d->busy_ps += t - d->busy_until_ps;
	d->busy_until_ps = MAX(d->busy_until_ps, t);
	d->response_sum_ps += t - now_ps;
	d->wait_sum_ps += start - now_ps;
	hist_record(&d->latency, t - now_ps);
	return t;
}

simtime_t disk_submit_batch(struct disk *d, simtime_t now_ps, const struct disk_req *r, uint32_t n)
{
	simtime_t done = now_ps;
	if (!disk_is_ncq(d)) {
		for (uint32_t i = 0; i < n; i++) {
			simtime_t t = disk_submit(d, now_ps, r[i].offset_bytes, r[i].size_bytes,
			                          r[i].is_write);
			done = MAX(done, t);
		}
		return done;
	}
	/* Earlier batches have all been dispatched: the drive orders this one alone. (A run
	 * queues its requests with disk_ncq_submit_tagged instead: timing_io.c.) */
	BUG_ON(d->ncq.nr, "disk %s: a batch while %u requests are queued", d->cfg.name, d->ncq.nr);
	for (uint32_t i = 0; i < n; i++)
		disk_ncq_submit(d, now_ps, r[i].offset_bytes, r[i].size_bytes, r[i].is_write);
	struct disk_done x;
	while (disk_ncq_dispatch(d, &x))
		done = MAX(done, x.done_ps);
	return done;
}

struct disks *disks_create(const struct disk_config *cfg)
{
	BUG_ON(!cfg->nr_devices || cfg->nr_devices > DISK_MAX_DEVICES, "%u disks", cfg->nr_devices);
	BUG_ON(cfg->swap >= cfg->nr_devices || cfg->file >= cfg->nr_devices, "disk index");
	struct disks *ds = xcalloc(1, sizeof(*ds));
	ds->nr = cfg->nr_devices;
	ds->swap = cfg->swap;
	ds->file = cfg->file;
	for (unsigned i = 0; i < ds->nr; i++)
		disk_init(&ds->dev[i], &cfg->dev[i]);
	return ds;
}

void disks_destroy(struct disks *ds)
{
	if (!ds)
		return;
	for (unsigned i = 0; i < ds->nr; i++)
		disk_fini(&ds->dev[i]);
	free(ds);
}

struct disk *disks_find(struct disks *ds, const char *name)
{
	for (unsigned i = 0; i < ds->nr; i++)
		if (strcmp(ds->dev[i].cfg.name, name) == 0)
			return &ds->dev[i];
	return NULL;
}

/* ---- configuration ---- */

static const struct param_spec disk_device_params[] = {
    {.key = "name",
     .type = PARAM_STRING,
     .doc = "device name, used by disk.swap / disk.file and in stats keys"},
    {.key = "type",
     .type = PARAM_ENUM,
     .choices = "nvme|sata-ssd|hdd|fixed",
     .def = "\"nvme\"",
     .doc = "preset the other keys default to (docs/models.md)"},
    {.key = "queue_depth",
     .type = PARAM_INT,
     .min = 1,
     .max = DISK_MAX_QUEUE_DEPTH,
     .doc = "requests served at once; more wait FIFO (hdd: NCQ command slots, SPTF)"},
    {.key = "read_latency_ps",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e15,
     .doc = "per-request read latency (hdd: command overhead)"},
    {.key = "write_latency_ps",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e15,
     .doc = "per-request write latency (hdd: command overhead)"},
    {.key = "read_mb_per_s",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e9,
     .doc = "read bandwidth, 10^6 bytes/s, shared by the slots (0: no transfer time)"},
    {.key = "write_mb_per_s",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e9,
     .doc = "write bandwidth, 10^6 bytes/s (0: no transfer time)"},
    {.key = "capacity_bytes",
     .type = PARAM_INT,
     .min = 4096,
     .max = 1152921504606846976.0,
     .doc = "device size; requests must fit"},
    {.key = "rpm",
     .type = PARAM_INT,
     .min = 0,
     .max = 100000,
     .doc = "rotation speed; 0: solid state"},
    {.key = "track_bytes",
     .type = PARAM_INT,
     .min = 0,
     .max = 1099511627776.0,
     .doc = "rpm > 0: bytes per track (media rate = track_bytes per revolution)"},
    {.key = "seek_settle_ps",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e15,
     .doc = "rpm > 0: seek time to an adjacent track"},
    {.key = "seek_full_ps",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e15,
     .doc = "rpm > 0: full-stroke seek time"},
    {.key = "channels",
     .type = PARAM_INT,
     .min = 0,
     .max = 1024,
     .doc = "flash channels (0: no flash model, latency + bandwidth only)"},
    {.key = "dies_per_channel", .type = PARAM_INT, .min = 0, .max = 1024, .doc = "flash dies on each channel"},
    {.key = "page_bytes", .type = PARAM_INT, .min = 0, .max = 1 << 24, .doc = "flash page: the unit of a die's read and program"},
    {.key = "die_read_ps", .type = PARAM_INT, .min = 0, .max = 1e15, .doc = "tR: a die reads one page"},
    {.key = "die_program_ps",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e15,
     .doc = "a die programs one page (effective: garbage collection included)"},
    {.key = "channel_mb_per_s", .type = PARAM_INT, .min = 0, .max = 1e9, .doc = "a flash channel's bus, 10^6 bytes/s"},
    {.key = "write_cache_bytes",
     .type = PARAM_INT,
     .min = 0,
     .max = 1152921504606846976.0,
     .doc = "DRAM write cache: writes are acknowledged while it has room"},
    {.key = "program_suspend_ps",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e15,
     .doc = "a read suspends a program on its die after this long (0: it waits for the program)"},
    {0},
};

#define DISK_DEFAULT_DEVICES                                                                       \
	"[{\"name\": \"nvme0\", \"type\": \"nvme\", \"queue_depth\": 128, "                        \
	"\"read_latency_ps\": 5000000, \"write_latency_ps\": 15000000, "                           \
	"\"read_mb_per_s\": 3200, \"write_mb_per_s\": 2000, "                                      \
	"\"capacity_bytes\": 4398046511104, \"rpm\": 0, \"track_bytes\": 0, "                      \
	"\"seek_settle_ps\": 0, \"seek_full_ps\": 0, \"channels\": 12, "                          \
	"\"dies_per_channel\": 4, \"page_bytes\": 16384, \"die_read_ps\": 75000000, "             \
	"\"die_program_ps\": 4000000000, \"channel_mb_per_s\": 800, "                               \
	"\"write_cache_bytes\": 67108864, \"program_suspend_ps\": 20000000}]"

const struct param_spec disk_params[] = {
    {.key = "devices",
     .type = PARAM_LIST,
     .sub = disk_device_params,
     .def = DISK_DEFAULT_DEVICES,
     .doc = "block devices (default: one NVMe SSD, nvme0)"},
    {.key = "swap",
     .type = PARAM_STRING,
     .def = "\"nvme0\"",
     .doc = "name of the device holding swap"},
    {.key = "file",
     .type = PARAM_STRING,
     .def = "\"nvme0\"",
     .doc = "name of the device holding files"},
    {0},
};

static void set_default_u64(json_t *dev, const char *key, uint64_t v)
{
	if (!json_object_get(dev, key))
		json_object_set_new(dev, key, json_integer((json_int_t)v));
}

int disk_params_expand(json_t *disk, const char *file, const char *path, struct err *err)
{
	if (!json_is_object(disk))
		return 0;
	json_t *devs = json_object_get(disk, "devices");
	if (!json_is_array(devs))
		return 0;
	size_t i;
	json_t *dev;
	json_array_foreach(devs, i, dev)
	{
		if (!json_is_object(dev))
			continue;
		const json_t *t = json_object_get(dev, "type");
		if (t && !json_is_string(t))
			continue;
		const char *type = t ? json_string_value(t) : "nvme";
		struct disk_device_config p;
		if (disk_preset(type, "", &p))
			return err_set(err,
			               "%s: %s.devices[%zu].type: expected one of \"nvme|sata-ssd|"
			               "hdd|fixed\", got \"%s\"",
			               file, path, i, type);
		if (!t)
			json_object_set_new(dev, "type", json_string(type));
		set_default_u64(dev, "queue_depth", p.queue_depth);
		set_default_u64(dev, "read_latency_ps", p.read_latency_ps);
		set_default_u64(dev, "write_latency_ps", p.write_latency_ps);
		set_default_u64(dev, "read_mb_per_s", p.read_mb_per_s);
		set_default_u64(dev, "write_mb_per_s", p.write_mb_per_s);
		set_default_u64(dev, "capacity_bytes", p.capacity_bytes);
		set_default_u64(dev, "rpm", p.rpm);
		set_default_u64(dev, "track_bytes", p.track_bytes);
		set_default_u64(dev, "seek_settle_ps", p.seek_settle_ps);
		set_default_u64(dev, "seek_full_ps", p.seek_full_ps);
		set_default_u64(dev, "channels", p.flash.channels);
		set_default_u64(dev, "dies_per_channel", p.flash.dies_per_channel);
		set_default_u64(dev, "page_bytes", p.flash.page_bytes);
		set_default_u64(dev, "die_read_ps", p.flash.die_read_ps);
		set_default_u64(dev, "die_program_ps", p.flash.die_program_ps);
		set_default_u64(dev, "channel_mb_per_s", p.flash.channel_mb_per_s);
		set_default_u64(dev, "write_cache_bytes", p.flash.write_cache_bytes);
		set_default_u64(dev, "program_suspend_ps", p.flash.program_suspend_ps);
	}
	const json_t *first = json_array_get(devs, 0);
	const json_t *name = json_is_object(first) ? json_object_get(first, "name") : NULL;
	if (json_is_string(name)) {
		if (!json_object_get(disk, "swap"))
			json_object_set_new(disk, "swap", json_string(json_string_value(name)));
		if (!json_object_get(disk, "file"))
			json_object_set_new(disk, "file", json_string(json_string_value(name)));
	}
	return 0;
}

static bool name_ok(const char *s)
{
	if (!*s || strlen(s) >= DISK_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

static int find_name(const struct disk_config *c, const json_t *obj, const char *key, unsigned *out,
                     const char *file, const char *path, struct err *err)
{
	const char *name = params_get_string(obj, key);
	for (unsigned i = 0; i < c->nr_devices; i++) {
		if (strcmp(c->dev[i].name, name) == 0) {
			*out = i;
			return 0;
		}
	}
	char known[DISK_MAX_DEVICES * (DISK_NAME_MAX + 2)] = "";
	for (unsigned i = 0; i < c->nr_devices; i++) {
		if (i)
			strcat(known, ", ");
		strcat(known, c->dev[i].name);
	}
	return err_set(err, "%s: %s.%s: no device named \"%s\" (devices: %s)", file, path, key,
	               name, known);
}

static int flash_from_json(struct ssd_config *f, const json_t *dv, size_t i, uint32_t rpm,
                           const char *file, const char *path, struct err *err)
{
	f->channels = (uint32_t)params_get_int(dv, "channels");
	f->dies_per_channel = (uint32_t)params_get_int(dv, "dies_per_channel");
	f->page_bytes = (uint64_t)params_get_int(dv, "page_bytes");
	f->die_read_ps = (simtime_t)params_get_int(dv, "die_read_ps");
	f->die_program_ps = (simtime_t)params_get_int(dv, "die_program_ps");
	f->channel_mb_per_s = (uint64_t)params_get_int(dv, "channel_mb_per_s");
	f->write_cache_bytes = (uint64_t)params_get_int(dv, "write_cache_bytes");
	f->program_suspend_ps = (simtime_t)params_get_int(dv, "program_suspend_ps");
	if (!f->channels)
		return 0;
	const char *key = NULL, *why = NULL;
	if (rpm)
		key = "channels", why = "a rotating disk (rpm > 0) has no flash: expected 0";
	else if (!f->dies_per_channel)
		key = "dies_per_channel", why = "expected at least 1 with channels > 0";
	else if (!f->page_bytes)
		key = "page_bytes", why = "expected at least 1 with channels > 0";
	else if (!f->channel_mb_per_s)
		key = "channel_mb_per_s", why = "expected at least 1 with channels > 0";
	else if (f->write_cache_bytes < (4u << 20) || f->write_cache_bytes < 2 * f->page_bytes)
		key = "write_cache_bytes", why = "expected at least 4 MiB and two flash pages";
	if (key)
		return err_set(err, "%s: %s.devices[%zu].%s: %s", file, path, i, key, why);
	return 0;
}

int disk_config_from_json(struct disk_config *c, const json_t *obj, const char *file,
                          const char *path, struct err *err)
{
	memset(c, 0, sizeof(*c));
	const json_t *devs = json_object_get(obj, "devices");
	BUG_ON(!json_is_array(devs), "disk.devices not resolved");
	size_t n = json_array_size(devs);
	if (n > DISK_MAX_DEVICES)
		return err_set(err, "%s: %s.devices: expected at most %d devices, got %zu", file,
		               path, DISK_MAX_DEVICES, n);
	for (size_t i = 0; i < n; i++) {
		const json_t *dv = json_array_get(devs, i);
		struct disk_device_config *d = &c->dev[i];
		const char *name = params_get_string(dv, "name");
		if (!name_ok(name))
			return err_set(
			    err,
			    "%s: %s.devices[%zu].name: expected 1 to %d letters, digits, "
			    "'_' or '-', got \"%s\"",
			    file, path, i, DISK_NAME_MAX - 1, name);
		for (size_t j = 0; j < i; j++)
			if (strcmp(c->dev[j].name, name) == 0)
				return err_set(err,
				               "%s: %s.devices[%zu].name: \"%s\" already names "
				               "devices[%zu]",
				               file, path, i, name, j);
		snprintf(d->name, sizeof(d->name), "%s", name);
		snprintf(d->type, sizeof(d->type), "%s", params_get_string(dv, "type"));
		d->queue_depth = (uint32_t)params_get_int(dv, "queue_depth");
		d->read_latency_ps = (simtime_t)params_get_int(dv, "read_latency_ps");
		d->write_latency_ps = (simtime_t)params_get_int(dv, "write_latency_ps");
		d->read_mb_per_s = (uint64_t)params_get_int(dv, "read_mb_per_s");
		d->write_mb_per_s = (uint64_t)params_get_int(dv, "write_mb_per_s");
		d->capacity_bytes = (uint64_t)params_get_int(dv, "capacity_bytes");
		d->rpm = (uint32_t)params_get_int(dv, "rpm");
		d->track_bytes = (uint64_t)params_get_int(dv, "track_bytes");
		d->seek_settle_ps = (simtime_t)params_get_int(dv, "seek_settle_ps");
		d->seek_full_ps = (simtime_t)params_get_int(dv, "seek_full_ps");
		int rc = flash_from_json(&d->flash, dv, i, d->rpm, file, path, err);
		if (rc)
			return rc;
		if (!d->rpm)
			continue;
		const char *why = NULL, *key = NULL;
		if (d->read_mb_per_s || d->write_mb_per_s)
			key = d->read_mb_per_s ? "read_mb_per_s" : "write_mb_per_s",
			why = "a rotating disk's media rate is track_bytes per revolution: "
			      "expected 0";
		else if (!d->track_bytes || d->track_bytes > d->capacity_bytes)
			key = "track_bytes", why = "a rotating disk needs 1 .. capacity_bytes";
		else if (d->seek_full_ps < d->seek_settle_ps)
			key = "seek_full_ps", why = "expected at least seek_settle_ps";
		if (key)
			return err_set(err, "%s: %s.devices[%zu].%s: %s", file, path, i, key, why);
	}
	c->nr_devices = (unsigned)n;
	int rc = find_name(c, obj, "swap", &c->swap, file, path, err);
	if (!rc)
		rc = find_name(c, obj, "file", &c->file, file, path, err);
	return rc;
}

void disk_report(const struct disk *d, simtime_t elapsed_ps, struct statsout *o)
{
	char *prefix = xasprintf("disk.%s", d->cfg.name);
	statsout_u64(o, prefix, "requests", d->requests);
	statsout_u64(o, prefix, "reads", d->reads);
	statsout_u64(o, prefix, "writes", d->writes);
	statsout_u64(o, prefix, "read_bytes", d->read_bytes);
	statsout_u64(o, prefix, "write_bytes", d->write_bytes);
	statsout_u64(o, prefix, "bytes", d->read_bytes + d->write_bytes);
	statsout_u64(o, prefix, "busy_ps", d->busy_ps);
	statsout_u64(o, prefix, "utilisation_milli",
	             elapsed_ps ? (uint64_t)((unsigned __int128)MIN(d->busy_ps, elapsed_ps) * 1000 /
	                                     elapsed_ps)
	                        : 0);
	statsout_u64(o, prefix, "queue_len_avg_milli",
	             elapsed_ps ? (uint64_t)(d->response_sum_ps * 1000 / elapsed_ps) : 0);
	statsout_u64(o, prefix, "wait_avg_ps",
	             d->requests ? (uint64_t)(d->wait_sum_ps / d->requests) : 0);
	statsout_u64(o, prefix, "seek_ps", d->seek_ps);
	statsout_u64(o, prefix, "rotation_ps", d->rotation_ps);
	if (disk_is_ncq(d))
		statsout_u64(o, prefix, "ncq_reorders", d->ncq.reorders);
	if (d->cfg.flash.channels) {
		statsout_u64(o, prefix, "flash.programs", d->ssd.programs);
		statsout_u64(o, prefix, "flash.read_cache_hits", d->ssd.read_cache_hits);
		statsout_u64(o, prefix, "flash.suspends", d->ssd.suspends);
		statsout_u64(o, prefix, "flash.cache_full_waits", d->ssd.cache_full_waits);
		statsout_u64(o, prefix, "flash.cache_wait_ps", d->ssd.cache_wait_ps);
	}
	free(prefix);
	prefix = xasprintf("latency.disk.%s", d->cfg.name);
	statsout_hist(o, prefix, &d->latency);
	free(prefix);
}

void disks_report(const struct disks *ds, simtime_t elapsed_ps, struct statsout *o)
{
	for (unsigned i = 0; i < ds->nr; i++)
		disk_report(&ds->dev[i], elapsed_ps, o);
}
