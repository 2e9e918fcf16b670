/*
 * ssd.c — flash channels, dies and the write cache of a solid-state disk (see ssd.h).
 */
#include "models/hw/ssd.h"

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
	s->chan = xcalloc(cfg->channels, sizeof(*s->chan));
	s->cap = cfg->write_cache_bytes / cfg->page_bytes + 1;
	s->ring = xcalloc(s->cap, sizeof(*s->ring));
}

void ssd_fini(struct ssd *s)
{
	free(s->die_free);
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

simtime_t ssd_read(struct ssd *s, simtime_t now, simtime_t t, uint64_t offset, uint64_t size)
{
	uint64_t pb = s->cfg.page_bytes;
	simtime_t done = t;
	for (uint64_t off = offset; off < offset + size;) {
		uint64_t page = off / pb, end = MIN((page + 1) * pb, offset + size);
		uint32_t die = (uint32_t)(page % s->nr_dies), ch = die % s->cfg.channels;
		simtime_t r = MAX(t, s->die_free[die]) + s->cfg.die_read_ps;
		s->die_free[die] = r;
		simtime_t x = cal_reserve(&s->chan[ch], now, r, xfer_ps(s, end - off));
		done = MAX(done, x);
		off = end;
	}
	return done;
}

/* One page of the cache goes to the next die at t (its channel, then its program). */
static void program_page(struct ssd *s, simtime_t t)
{
	uint32_t die = s->next_die, ch = die % s->cfg.channels;
	s->next_die = (die + 1) % s->nr_dies;
	simtime_t x = cal_reserve(&s->chan[ch], t, t, xfer_ps(s, s->cfg.page_bytes));
	simtime_t done = MAX(x, s->die_free[die]) + s->cfg.die_program_ps;
	s->die_free[die] = done;
	BUG_ON(s->nr == s->cap, "ssd ring full");
	s->ring[(s->head + s->nr++) % s->cap] = (struct ssd_prog){done, s->cfg.page_bytes};
	s->ring_bytes += s->cfg.page_bytes;
	s->programs++;
}

static void pop(struct ssd *s)
{
	s->ring_bytes -= s->ring[s->head].bytes;
	s->head = (s->head + 1) % s->cap;
	s->nr--;
}

simtime_t ssd_write(struct ssd *s, simtime_t t, uint64_t size)
{
	simtime_t at = t;
	while (s->nr && s->ring[s->head].done_ps <= at)
		pop(s);
	/* Full: wait for the oldest programs to end (in order: a later page may have finished
	 * first, and it frees its room when the older ones have). */
	if (s->ring_bytes + s->partial + size > s->cfg.write_cache_bytes)
		s->cache_full_waits++;
	while (s->nr && s->ring_bytes + s->partial + size > s->cfg.write_cache_bytes) {
		at = MAX(at, s->ring[s->head].done_ps);
		pop(s);
	}
	s->cache_wait_ps += at - t;
	s->partial += size;
	while (s->partial >= s->cfg.page_bytes) {
		program_page(s, at);
		s->partial -= s->cfg.page_bytes;
	}
	return at;
}
