/*
 * ssd.c — flash channels, dies and the write cache of a solid-state disk (see ssd.h).
 */
#include "models/hw/ssd.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void ssd_init(struct ssd *s, const struct ssd_config *cfg)
{
	memset(s, 0, sizeof(*s));
	s->cfg = *cfg;
	s->nr_dies = cfg->channels * cfg->dies_per_channel;
	BUG_ON(!s->nr_dies || !cfg->page_bytes || !cfg->channel_mb_per_s ||
	           cfg->write_cache_bytes < cfg->page_bytes,
	       "bad ssd");
	s->die_free = xcalloc(s->nr_dies, sizeof(*s->die_free));
	s->die_prog_end = xcalloc(s->nr_dies, sizeof(*s->die_prog_end));
	s->die_prog_seq = xcalloc(s->nr_dies, sizeof(*s->die_prog_seq));
	s->chan = xcalloc(cfg->channels, sizeof(*s->chan));
	s->cap = cfg->write_cache_bytes / cfg->page_bytes + 1;
	s->ring = xcalloc(s->cap, sizeof(*s->ring));
}

void ssd_fini(struct ssd *s)
{
	free(s->die_free);
	free(s->die_prog_end);
	free(s->die_prog_seq);
	free(s->blocks.key);
	free(s->blocks.end);
	s->die_prog_end = NULL;
	s->die_prog_seq = NULL;
	s->blocks = (struct ssd_blockmap){0};
	for (uint32_t i = 0; s->chan && i < s->cfg.channels; i++) {
		free(s->chan[i].start);
		free(s->chan[i].end);
	}
	free(s->chan);
	free(s->link.start);
	free(s->link.end);
	s->die_free = NULL;
	s->chan = NULL;
	s->ring = NULL;
}

/* Reserve len on cal at the earliest time >= at that overlaps no reservation; intervals that
 * ended by floor are dropped first (nothing can start before floor). Returns the end. */
static simtime_t cal_reserve(struct ssd_cal *c, simtime_t floor, simtime_t at, simtime_t len)
{
	size_t drop = 0;
	while (drop < c->n && c->end[drop] <= floor)
		drop++;
	if (drop) {
		memmove(c->start, c->start + drop, (c->n - drop) * sizeof(*c->start));
		memmove(c->end, c->end + drop, (c->n - drop) * sizeof(*c->end));
		c->n -= drop;
	}
	size_t i = 0;
	for (; i < c->n; i++) {
		if (c->end[i] <= at)
			continue;
		if (c->start[i] >= at + len)
			break;
		at = c->end[i];
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->start = xrealloc(c->start, c->cap * sizeof(*c->start));
		c->end = xrealloc(c->end, c->cap * sizeof(*c->end));
	}
	memmove(c->start + i + 1, c->start + i, (c->n - i) * sizeof(*c->start));
	memmove(c->end + i + 1, c->end + i, (c->n - i) * sizeof(*c->end));
	c->start[i] = at;
	c->end[i] = at + len;
	c->n++;
	return at + len;
}

simtime_t ssd_link(struct ssd *s, simtime_t now, simtime_t t, simtime_t xfer_ps)
{
	return cal_reserve(&s->link, now, t, xfer_ps);
}

static simtime_t xfer_ps(const struct ssd *s, uint64_t bytes)
{
	return (simtime_t)((unsigned __int128)bytes * 1000000u / s->cfg.channel_mb_per_s);
}

#define SSD_BLOCK_SHIFT 12 /* the write cache remembers 4 KiB blocks */
#define SSD_NO_BLOCK UINT64_MAX

static size_t block_slot(const struct ssd_blockmap *m, uint64_t block)
{
	size_t i = (size_t)((block * 0x9E3779B97F4A7C15ull) >> 20) & (m->cap - 1);
	while (m->key[i] != SSD_NO_BLOCK && m->key[i] != block)
		i = (i + 1) & (m->cap - 1);
	return i;
}

/* Rebuild with room for twice the live entries, dropping the blocks no longer cached. */
static void blocks_rebuild(struct ssd *s)
{
	struct ssd_blockmap old = s->blocks, *m = &s->blocks;
	uint64_t retired = s->popped * s->cfg.page_bytes;
	size_t live = 0;
	for (size_t i = 0; i < old.cap; i++)
		live += old.key[i] != SSD_NO_BLOCK && old.end[i] > retired;
	m->cap = 64;
	while (m->cap < 4 * (live + 1))
		m->cap *= 2;
	m->key = xcalloc(m->cap, sizeof(*m->key));
	m->end = xcalloc(m->cap, sizeof(*m->end));
	memset(m->key, 0xff, m->cap * sizeof(*m->key));
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++) {
		if (old.key[i] == SSD_NO_BLOCK || old.end[i] <= retired)
			continue;
		size_t j = block_slot(m, old.key[i]);
		m->key[j] = old.key[i];
		m->end[j] = old.end[i];
		m->n++;
	}
	free(old.key);
	free(old.end);
}

static void blocks_put(struct ssd *s, uint64_t block, uint64_t end)
{
	if (2 * (s->blocks.n + 1) > s->blocks.cap)
		blocks_rebuild(s);
	size_t i = block_slot(&s->blocks, block);
	s->blocks.n += s->blocks.key[i] == SSD_NO_BLOCK;
	s->blocks.key[i] = block;
	s->blocks.end[i] = end;
}

static void pop(struct ssd *s)
{
	s->ring_bytes -= s->ring[s->head].bytes;
	s->head = (s->head + 1) % s->cap;
	s->nr--;
	s->popped++;
}

/* Pages whose programs ended by t leave the cache, oldest first (a later page that finished
 * first frees its room when the older ones have). */
static void retire(struct ssd *s, simtime_t t)
{
	while (s->nr && s->ring[s->head].done_ps <= t)
		pop(s);
}

/* Are the 4 KiB blocks of [off, end) all still in the write cache? */
static bool cached(const struct ssd *s, uint64_t off, uint64_t end)
{
	if (!s->blocks.cap)
		return false;
	uint64_t retired = s->popped * s->cfg.page_bytes;
	for (uint64_t b = off >> SSD_BLOCK_SHIFT; b <= (end - 1) >> SSD_BLOCK_SHIFT; b++) {
		size_t i = block_slot(&s->blocks, b);
		if (s->blocks.key[i] == SSD_NO_BLOCK || s->blocks.end[i] <= retired)
			return false;
	}
	return true;
}

/* A read of one flash page on die at t: after the reads before it; a program under way is
 * suspended (and ends later by as much) or waited for. Returns the end of the die's read. */
static simtime_t die_read(struct ssd *s, uint32_t die, simtime_t t)
{
	simtime_t start = MAX(t, s->die_free[die]);
	if (start < s->die_prog_end[die]) {
		if (s->cfg.program_suspend_ps) {
			simtime_t delay = s->cfg.program_suspend_ps + s->cfg.die_read_ps;
			start += s->cfg.program_suspend_ps;
			s->die_prog_end[die] += delay;
			uint64_t seq = s->die_prog_seq[die];
			if (seq >= s->popped) /* its page is still in the cache: it leaves later */
				s->ring[(s->head + (seq - s->popped)) % s->cap].done_ps += delay;
			s->suspends++;
		} else {
			start = s->die_prog_end[die];
		}
	}
	s->die_free[die] = start + s->cfg.die_read_ps;
	return s->die_free[die];
}

simtime_t ssd_read(struct ssd *s, simtime_t now, simtime_t t, uint64_t offset, uint64_t size)
{
	uint64_t pb = s->cfg.page_bytes;
	simtime_t done = t;
	retire(s, now);
	for (uint64_t off = offset; off < offset + size;) {
		uint64_t page = off / pb, end = MIN((page + 1) * pb, offset + size);
		if (cached(s, off, end)) {
			s->read_cache_hits++;
			off = end;
			continue;
		}
		uint32_t die = (uint32_t)(page % s->nr_dies), ch = die % s->cfg.channels;
		simtime_t r = die_read(s, die, t);
		simtime_t x = cal_reserve(&s->chan[ch], now, r, xfer_ps(s, end - off));
		done = MAX(done, x);
		off = end;
	}
	return done;
}

/* One page of the cache goes to the next die at t (its channel, then its program, after the
 * die's reads and programs). */
static void program_page(struct ssd *s, simtime_t t)
{
	uint32_t die = s->next_die, ch = die % s->cfg.channels;
	s->next_die = (die + 1) % s->nr_dies;
	simtime_t x = cal_reserve(&s->chan[ch], t, t, xfer_ps(s, s->cfg.page_bytes));
	simtime_t start = MAX(x, MAX(s->die_free[die], s->die_prog_end[die]));
	simtime_t done = start + s->cfg.die_program_ps;
	s->die_prog_end[die] = done;
	s->die_prog_seq[die] = s->pushed++;
	BUG_ON(s->nr == s->cap, "ssd ring full");
	s->ring[(s->head + s->nr++) % s->cap] = (struct ssd_prog){done, s->cfg.page_bytes};
	s->ring_bytes += s->cfg.page_bytes;
	s->programs++;
}

simtime_t ssd_write(struct ssd *s, simtime_t t, uint64_t offset, uint64_t size)
{
	simtime_t at = t;
	retire(s, at);
	/* Full: wait for the oldest programs to end, in order. */
	if (s->ring_bytes + s->partial + size > s->cfg.write_cache_bytes)
		s->cache_full_waits++;
	while (s->nr && s->ring_bytes + s->partial + size > s->cfg.write_cache_bytes) {
		at = MAX(at, s->ring[s->head].done_ps);
		pop(s);
	}
	s->cache_wait_ps += at - t;
	s->written_bytes += size;
	if (size)
		for (uint64_t b = offset >> SSD_BLOCK_SHIFT; b <= (offset + size - 1) >> SSD_BLOCK_SHIFT; b++)
			blocks_put(s, b, s->written_bytes);
	s->partial += size;
	while (s->partial >= s->cfg.page_bytes) {
		program_page(s, at);
		s->partial -= s->cfg.page_bytes;
	}
	return at;
}
