/*
 * ssd.h — the flash behind a solid-state disk (models/hw/disk.c's devices with channels > 0):
 * channels x dies, each die reading or programming one flash page at a time, each channel's bus
 * carrying one page's data at a time, and a DRAM write cache.
 *
 * Models: a read of a request's flash pages (page_bytes, striped over the dies: die = page
 * number mod dies, channel = die mod channels) waits for the reads before it on its die,
 * occupies the die die_read_ps, then moves its bytes over the die's channel at
 * channel_mb_per_s. A write is acknowledged once the write cache (write_cache_bytes) has room
 * for it: the cache absorbs writes until full and drains one page at a time as each fills,
 * each page taking the next die in turn (its channel for the transfer, then the die for
 * die_program_ps); a page leaves the cache when its program ends. Steady-state random write
 * throughput is therefore dies x page_bytes / die_program_ps; die_program_ps is the effective
 * program time, garbage collection's write amplification included.
 * A read of 4 KiB blocks still in the write cache (written, their page's program not yet
 * ended) is served from the cache: no die, no channel (`read_cache_hits`). A read that finds
 * its die programming suspends the program (program_suspend_ps > 0: it waits that long, reads,
 * and the program's end moves later by the suspension and the read; `suspends`), or waits
 * for the program to end (program_suspend_ps = 0).
 * Ignores: erase (inside the effective program time), multi-plane operations, the FTL's
 * mapping (logical pages stay on their die), wear levelling, a read cache, limits on the
 * number of suspensions of one program. Integer ps.
 */
#ifndef VMSIM_MODELS_HW_SSD_H
#define VMSIM_MODELS_HW_SSD_H

#include <stdint.h>

#include "sim/base/util.h"

struct ssd_config {
	uint32_t channels, dies_per_channel;
	uint64_t page_bytes;
	simtime_t die_read_ps, die_program_ps;
	uint64_t channel_mb_per_s;
	uint64_t write_cache_bytes;
	simtime_t program_suspend_ps; /* 0: reads wait for a program to end */
};

/* The busy intervals of a bus, sorted; a transfer takes the earliest gap that fits, so a
 * transfer ready early is not held behind one reserved for later (no head-of-line blocking). */
struct ssd_cal {
	simtime_t *start, *end;
	size_t n, cap;
};

struct ssd_prog {
	simtime_t done_ps;
	uint64_t bytes;
};

/* The 4 KiB blocks written into the cache: block number -> the write stream's byte count
 * after its last write (it is still cached while that exceeds the bytes whose programs
 * ended). Open addressing, linear probing; key UINT64_MAX is empty. */
struct ssd_blockmap {
	uint64_t *key, *end;
	size_t n, cap;
};

struct ssd {
	struct ssd_config cfg;
	uint32_t nr_dies;
	simtime_t *die_free;     /* the end of the last read on each die */
	simtime_t *die_prog_end; /* the end of the last program on each die */
	uint64_t *die_prog_seq;  /* its ring sequence number */
	struct ssd_cal *chan; /* per channel */
	struct ssd_cal link;  /* the host link */
	struct ssd_prog *ring; /* the pages being programmed, oldest first */
	size_t head, nr, cap;
	uint64_t ring_bytes;   /* bytes in the ring */
	uint64_t partial;      /* cached bytes not yet in a page being programmed */
	uint32_t next_die;     /* the die of the next program */
	uint64_t pushed, popped; /* ring sequence numbers: pages programmed, pages retired */
	uint64_t written_bytes;  /* bytes ever put into the cache */
	struct ssd_blockmap blocks;
	uint64_t programs, cache_full_waits, read_cache_hits, suspends;
	simtime_t cache_wait_ps;
	simtime_t now; /* the latest submission: intervals that ended before it are dropped */
};

void ssd_init(struct ssd *s, const struct ssd_config *cfg);
void ssd_fini(struct ssd *s);
/* Read size bytes at offset, the controller done with it at t (requests submitted in time
 * order: now is the submission, no transfer starts before it); returns when the last byte has
 * crossed its channel. */
simtime_t ssd_read(struct ssd *s, simtime_t now, simtime_t t, uint64_t offset, uint64_t size);
/* The host link carries xfer_ps of data ready at t; returns when it is across. */
simtime_t ssd_link(struct ssd *s, simtime_t now, simtime_t t, simtime_t xfer_ps);
/* Put size bytes at offset into the write cache, arriving at t; returns when they are in (t, or later
 * when the cache is full). */
simtime_t ssd_write(struct ssd *s, simtime_t t, uint64_t offset, uint64_t size);

#endif
