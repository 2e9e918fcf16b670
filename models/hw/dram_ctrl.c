/*
 * dram_ctrl.c — the per-channel memory controller of the "ddr" model: request queues, FR-FCFS
 * command scheduling, JEDEC timing constraints per bank, bank group, rank and channel, and
 * all-bank refresh (see dram.h for what is modelled and what is not).
 */
#include <stdlib.h>
#include <string.h>

#include "models/hw/dram.h"

enum dram_cmd { CMD_ACT, CMD_PRE, CMD_COL };

static simtime_t max3(simtime_t a, simtime_t b, simtime_t c)
{
	return MAX(a, MAX(b, c));
}

/* Earliest issue time of r's next command, and which command it is. */
static simtime_t next_cmd(const struct dram *d, const struct dram_chan *ch,
                          const struct dram_req *r, enum dram_cmd *kind)
{
	const struct dram_config *c = &d->cfg;
	const struct dram_bank *b = &ch->bank[r->bank];
	const struct dram_group *g = &ch->group[r->group];
	const struct dram_rank *rk = &ch->rank[r->rank];
	simtime_t t = MAX(r->arrive_ps, ch->cmd_ok);
	if (b->open_row == r->row) {
		*kind = CMD_COL;
		simtime_t ok = r->is_write ? MAX(g->wr_ok, rk->g.wr_ok) : MAX(g->rd_ok, rk->g.rd_ok);
		simtime_t lat = r->is_write ? c->t_cwl_ps : c->t_cl_ps;
		simtime_t bus = ch->bus_free + (ch->bus_rank != r->rank ? c->t_rtrs_ps : 0);
		if (bus > lat)
			ok = MAX(ok, bus - lat);
		return max3(t, ok, b->col_ok);
	}
	if (b->open_row != DRAM_ROW_NONE) {
		*kind = CMD_PRE;
		return MAX(t, b->pre_ok);
	}
	*kind = CMD_ACT;
	simtime_t faw = rk->acts >= 4 ? rk->faw[rk->acts % 4] + c->t_faw_ps : 0;
	return MAX(max3(t, b->act_ok, g->act_ok), MAX(rk->g.act_ok, faw));
}

/* The banks a refresh of rank closes: all of them, or (same-bank) bank set `set`, the banks
 * whose index / bank_groups is set (that bank in every bank group). */
static bool in_refresh(const struct dram_config *c, uint32_t bank, uint32_t set)
{
	return c->refresh != DRAM_REFRESH_SAME_BANK || bank / c->bank_groups == set;
}

static void close_banks(struct dram_chan *ch, const struct dram_config *c, uint32_t rank,
                        uint32_t set, simtime_t act_ok)
{
	for (uint32_t i = 0; i < c->banks; i++) {
		if (!in_refresh(c, i, set))
			continue;
		struct dram_bank *b = &ch->bank[rank * c->banks + i];
		b->open_row = DRAM_ROW_NONE;
		b->hits = 0;
		b->act_ok = MAX(b->act_ok, act_ok);
	}
}

/* The refresh of rank's next bank set (same-bank; all banks otherwise) at ref: its banks closed
 * until ref + tRFC (tRFCsb). */
static void refresh_one(struct dram *d, struct dram_chan *ch, uint32_t rank, simtime_t ref)
{
	const struct dram_config *c = &d->cfg;
	struct dram_rank *rk = &ch->rank[rank];
	close_banks(ch, c, rank, rk->ref_set, ref + dram_ref_rfc_ps(c));
	if (c->refresh == DRAM_REFRESH_SAME_BANK)
		rk->ref_set = (rk->ref_set + 1) % (c->banks / c->bank_groups);
	d->refreshes++;
	rk->next_ref_ps += dram_ref_interval_ps(c);
}

/* Every refresh of rank due at or before upto: the open banks it covers precharge (after their
 * own constraints), REF (REFsb) issues once they are closed, and their ACTs wait tRFC (tRFCsb)
 * after it. Refreshes that ended an interval before upto are issued at their due times without
 * a look at the banks (the rank was idle through them). */
static void refresh(struct dram *d, struct dram_chan *ch, uint32_t rank, simtime_t upto)
{
	const struct dram_config *c = &d->cfg;
	struct dram_rank *rk = &ch->rank[rank];
	simtime_t refi = dram_ref_interval_ps(c);
	while (rk->next_ref_ps <= upto) {
		if (upto - rk->next_ref_ps >= refi) {
			uint64_t k = (upto - rk->next_ref_ps) / refi;
			if (c->refresh == DRAM_REFRESH_SAME_BANK) {
				/* Only the last REFsb of each set can still hold a bank closed. */
				uint32_t sets = c->banks / c->bank_groups;
				uint64_t skip = k > sets ? k - sets : 0;
				d->refreshes += skip;
				rk->next_ref_ps += skip * refi;
				rk->ref_set = (uint32_t)((rk->ref_set + skip) % sets);
				for (uint64_t j = skip; j < k; j++)
					refresh_one(d, ch, rank, rk->next_ref_ps);
				continue;
			}
			simtime_t last = rk->next_ref_ps + (k - 1) * refi;
			close_banks(ch, c, rank, 0, last + c->t_rfc_ps);
			d->refreshes += k;
			rk->next_ref_ps += k * refi;
			continue;
		}
		simtime_t at = MAX(rk->next_ref_ps, ch->cmd_ok);
		simtime_t ref = at;
		for (uint32_t i = 0; i < c->banks; i++) {
			const struct dram_bank *b = &ch->bank[rank * c->banks + i];
			if (!in_refresh(c, i, rk->ref_set))
				continue;
			if (b->open_row != DRAM_ROW_NONE)
				ref = MAX(ref, MAX(at, b->pre_ok) + c->t_rp_ps);
			else
				ref = MAX(ref, b->act_ok);
		}
		refresh_one(d, ch, rank, ref);
		ch->cmd_ok = MAX(ch->cmd_ok, ref + c->t_ck_ps);
	}
}

/* A PRE that would close a row a queued request of the same class still hits is held back,
 * unless the bank has served row_hit_cap hits since its ACT. */
static bool pre_held(const struct dram *d, const struct dram_chan *ch, const struct dram_queue *q,
                     const struct dram_req *r)
{
	const struct dram_bank *b = &ch->bank[r->bank];
	if (b->hits >= d->cfg.row_hit_cap)
		return false;
	for (uint32_t i = 0; i < q->nr; i++)
		if (q->slot[i].bank == r->bank && q->slot[i].row == b->open_row)
			return true;
	return false;
}

/* Reads, or writes while draining: writes drain from write_high (or when no read is queued)
 * down to write_low (or to none when no read is queued). */
static unsigned pick_class(const struct dram *d, struct dram_chan *ch)
{
	size_t nr_r = ch->q[0].nr + ch->q[0].wait_nr, nr_w = ch->q[1].nr + ch->q[1].wait_nr;
	if (ch->draining) {
		if (!nr_w || (nr_r && nr_w <= d->cfg.write_low))
			ch->draining = false;
	} else if (nr_w && (nr_w >= d->cfg.write_high || !nr_r)) {
		ch->draining = true;
	}
	return ch->draining ? 1 : 0;
}

/* Whether a command at t for request r goes before the best so far: the earliest first; at a
 * tie, the bank next in round-robin order after the last bank served (DRAMsim3's per-bank
 * queues), and within a bank row hits first, then the oldest. */
static bool better(const struct dram *d, const struct dram_chan *ch, simtime_t t, enum dram_cmd k,
                   const struct dram_req *r, simtime_t best_t, enum dram_cmd best_k,
                   const struct dram_req *b)
{
	if (t != best_t)
		return t < best_t;
	if (r->bank != b->bank) {
		uint32_t n = d->cfg.ranks * d->cfg.banks;
		return (r->bank + n - ch->rr - 1) % n < (b->bank + n - ch->rr - 1) % n;
	}
	if ((k == CMD_COL) != (best_k == CMD_COL))
		return k == CMD_COL;
	return r->seq < b->seq;
}

/* FR-FCFS over the visible entries of the class: earliest command first; at a tie, column
 * commands (row hits) first, then the oldest. Returns the index in the class's slots, or -1. */
static int choose(const struct dram *d, const struct dram_chan *ch, unsigned cls,
                  enum dram_cmd *kind, simtime_t *at)
{
	const struct dram_queue *q = &ch->q[cls];
	int best = -1;
	for (uint32_t i = 0; i < q->nr; i++) {
		const struct dram_req *r = &q->slot[i];
		enum dram_cmd k;
		simtime_t t = next_cmd(d, ch, r, &k);
		if (k == CMD_PRE && pre_held(d, ch, q, r))
			continue;
		if (best >= 0 && !better(d, ch, t, k, r, *at, *kind, &q->slot[best]))
			continue;
		best = (int)i;
		*kind = k;
		*at = t;
	}
	return best;
}

static inline bool refresh_due(struct dram *d, struct dram_chan *ch, simtime_t at);

/* The channel's next command (refreshing the ranks that are due first); false: none queued. */
static bool chan_next(struct dram *d, struct dram_chan *ch, unsigned *cls, int *idx,
                      enum dram_cmd *kind, simtime_t *at)
{
	if (!ch->q[0].nr && !ch->q[1].nr)
		return false;
	for (;;) {
		*cls = pick_class(d, ch);
		*idx = choose(d, ch, *cls, kind, at);
		BUG_ON(*idx < 0, "dram: no command to issue");
		if (!refresh_due(d, ch, *at))
			return true;
	}
}

static void issue_act(struct dram *d, struct dram_chan *ch, struct dram_req *r, simtime_t t)
{
	const struct dram_config *c = &d->cfg;
	struct dram_bank *b = &ch->bank[r->bank];
	struct dram_rank *rk = &ch->rank[r->rank];
	b->open_row = r->row;
	b->hits = 0;
	b->act_ps = t;
	b->col_ok = t + c->t_rcd_ps;
	b->pre_ok = t + c->t_ras_ps;
	ch->group[r->group].act_ok = MAX(ch->group[r->group].act_ok, t + c->t_rrd_l_ps);
	rk->g.act_ok = MAX(rk->g.act_ok, t + c->t_rrd_s_ps);
	rk->faw[rk->acts % 4] = t;
	rk->acts++;
}

/* A column command at t; returns when its data transfer is done. */
static simtime_t issue_col(struct dram *d, struct dram_chan *ch, struct dram_req *r, simtime_t t)
{
	const struct dram_config *c = &d->cfg;
	struct dram_bank *b = &ch->bank[r->bank];
	struct dram_group *g = &ch->group[r->group];
	struct dram_group *rg = &ch->rank[r->rank].g;
	simtime_t ccd_l = MAX(c->t_burst_ps, c->t_ccd_l_ps), ccd_s = MAX(c->t_burst_ps, c->t_ccd_s_ps);
	simtime_t done, act_ok;
	b->hits++;
	if (r->is_write) {
		done = t + c->t_cwl_ps + c->t_burst_ps;
		g->wr_ok = MAX(g->wr_ok, t + ccd_l);
		rg->wr_ok = MAX(rg->wr_ok, t + ccd_s);
		g->rd_ok = MAX(g->rd_ok, done + c->t_wtr_l_ps);
		rg->rd_ok = MAX(rg->rd_ok, done + c->t_wtr_s_ps);
		b->pre_ok = MAX(b->pre_ok, done + c->t_wr_ps);
		act_ok = done + c->t_wr_ps + c->t_rp_ps;
	} else {
		done = t + c->t_cl_ps + c->t_burst_ps;
		simtime_t rtw = c->t_cl_ps + c->t_burst_ps + c->t_rtrs_ps - c->t_cwl_ps;
		g->rd_ok = MAX(g->rd_ok, t + ccd_l);
		rg->rd_ok = MAX(rg->rd_ok, t + ccd_s);
		g->wr_ok = MAX(g->wr_ok, t + rtw);
		rg->wr_ok = MAX(rg->wr_ok, t + rtw);
		b->pre_ok = MAX(b->pre_ok, t + c->t_rtp_ps);
		act_ok = t + c->t_burst_ps + c->t_rtp_ps + c->t_rp_ps;
	}
	ch->bus_free = done;
	ch->bus_rank = r->rank;
	if (c->page_policy == DRAM_PAGE_CLOSED) {
		b->open_row = DRAM_ROW_NONE;
		b->act_ok = MAX(act_ok, b->act_ps + c->t_ras_ps + c->t_rp_ps);
	}
	return done;
}

static void queue_remove(struct dram_queue *q, uint32_t i, simtime_t now)
{
	q->slot[i] = q->slot[--q->nr];
	if (!q->wait_nr)
		return;
	struct dram_req *w = &q->wait[q->wait_head];
	w->arrive_ps = MAX(w->arrive_ps, now);
	q->slot[q->nr++] = *w;
	q->wait_head = (q->wait_head + 1) % q->wait_cap;
	q->wait_nr--;
}

/* Issue r's next command, kind, at t; true when it was its column command (out filled). */
static bool issue(struct dram *d, struct dram_chan *ch, struct dram_req *r, enum dram_cmd kind,
                  simtime_t t, struct dram_done *out)
{
	ch->cmd_ok = t + d->cfg.t_ck_ps;
	ch->rr = r->bank;
	if (!r->first)
		r->first = (uint8_t)(1 + kind);
	if (kind == CMD_ACT) {
		issue_act(d, ch, r, t);
		return false;
	}
	if (kind == CMD_PRE) {
		struct dram_bank *b = &ch->bank[r->bank];
		b->open_row = DRAM_ROW_NONE;
		b->act_ok = MAX(b->act_ok, t + d->cfg.t_rp_ps);
		return false;
	}
	out->done_ps = issue_col(d, ch, r, t);
	out->cookie = r->cookie;
	out->arrive_ps = r->submit_ps;
	out->is_write = r->is_write;
	if (r->first == 1 + CMD_COL)
		d->row_hits++;
	else if (r->first == 1 + CMD_ACT)
		d->row_misses++;
	else
		d->row_conflicts++;
	d->latency_total_ps += out->done_ps - r->submit_ps;
	return true;
}

/* Issue the channel's next command; true when it completed a request (out filled). */
static bool chan_step(struct dram *d, struct dram_chan *ch, struct dram_done *out)
{
	unsigned cls;
	int idx;
	enum dram_cmd kind;
	simtime_t t;
	if (!chan_next(d, ch, &cls, &idx, &kind, &t))
		return false;
	struct dram_queue *q = &ch->q[cls];
	if (!issue(d, ch, &q->slot[idx], kind, t, out))
		return false;
	queue_remove(q, (uint32_t)idx, t);
	return true;
}

/* Refresh the ranks due by at; true if any was. */
static inline bool refresh_due(struct dram *d, struct dram_chan *ch, simtime_t at)
{
	if (likely(at < ch->ref_due))
		return false;
	ch->ref_due = DRAM_TIME_NONE;
	for (uint32_t r = 0; r < d->cfg.ranks; r++) {
		if (ch->rank[r].next_ref_ps <= at)
			refresh(d, ch, r, at);
		ch->ref_due = MIN(ch->ref_due, ch->rank[r].next_ref_ps);
	}
	return true;
}

/* r alone on a channel with nothing queued: its commands one after the other, exactly what the
 * scheduler would choose with r as its only request (the common case, without the queue).
 * Returns its completion. */
static simtime_t run_alone(struct dram *d, struct dram_chan *ch, struct dram_req *r)
{
	struct dram_done x;
	for (;;) {
		enum dram_cmd kind;
		simtime_t t = next_cmd(d, ch, r, &kind);
		if (refresh_due(d, ch, t))
			continue;
		if (issue(d, ch, r, kind, t, &x))
			return x.done_ps;
	}
}

static uint64_t field(const struct dram *d, uint64_t paddr, enum dram_field f)
{
	return (paddr >> d->shift[f]) & d->mask[f];
}

static void make_req(struct dram *d, struct dram_req *r, simtime_t at_ps, uint64_t paddr,
                     bool is_write, uint64_t cookie)
{
	const struct dram_config *c = &d->cfg;
	uint32_t rank = (uint32_t)field(d, paddr, DRAM_F_RANK);
	uint32_t bank = (uint32_t)field(d, paddr, DRAM_F_BANK);
	*r = (struct dram_req){
	    .arrive_ps = at_ps,
	    .submit_ps = at_ps,
	    .paddr = paddr,
	    .cookie = cookie,
	    .seq = d->seq++,
	    .bank = rank * c->banks + bank,
	    .row = (uint32_t)field(d, paddr, DRAM_F_ROW),
	    .rank = rank,
	    .group = rank * c->bank_groups + bank % c->bank_groups,
	    .is_write = is_write,
	};
	if (is_write)
		d->writes++;
	else
		d->reads++;
}

void dram_submit(struct dram *d, simtime_t at_ps, uint64_t paddr, bool is_write, uint64_t cookie)
{
	struct dram_chan *ch = &d->chan[field(d, paddr, DRAM_F_CHANNEL)];
	struct dram_queue *q = &ch->q[is_write];
	struct dram_req r;
	make_req(d, &r, at_ps, paddr, is_write, cookie);
	if (q->nr < q->cap) {
		q->slot[q->nr++] = r;
		return;
	}
	if (q->wait_nr == q->wait_cap) {
		size_t cap = q->wait_cap ? 2 * q->wait_cap : 64;
		struct dram_req *w = xcalloc(cap, sizeof(*w));
		for (size_t i = 0; i < q->wait_nr; i++)
			w[i] = q->wait[(q->wait_head + i) % q->wait_cap];
		free(q->wait);
		q->wait = w;
		q->wait_head = 0;
		q->wait_cap = cap;
	}
	q->wait[(q->wait_head + q->wait_nr++) % q->wait_cap] = r;
}

/* The channel that issues the next command, or NULL. */
static struct dram_chan *next_chan(struct dram *d, simtime_t *at)
{
	struct dram_chan *best = NULL;
	for (uint32_t i = 0; i < d->cfg.channels; i++) {
		unsigned cls;
		int idx;
		enum dram_cmd kind;
		simtime_t t;
		if (chan_next(d, &d->chan[i], &cls, &idx, &kind, &t) && (!best || t < *at)) {
			best = &d->chan[i];
			*at = t;
		}
	}
	return best;
}

simtime_t dram_next_ps(struct dram *d)
{
	simtime_t at = DRAM_TIME_NONE;
	return next_chan(d, &at) ? at : DRAM_TIME_NONE;
}

bool dram_step(struct dram *d, struct dram_done *out)
{
	simtime_t at;
	struct dram_chan *ch = next_chan(d, &at);
	return ch && chan_step(d, ch, out);
}

/* Run every channel until its queues are empty; returns the last completion (at least from),
 * and each completion's time in done_ps[cookie] when done_ps is not NULL. */
static simtime_t run_all(struct dram *d, simtime_t from, simtime_t *done_ps)
{
	simtime_t last = from;
	for (uint32_t i = 0; i < d->cfg.channels; i++) {
		struct dram_chan *ch = &d->chan[i];
		struct dram_done x;
		while (ch->q[0].nr || ch->q[1].nr) {
			if (!chan_step(d, ch, &x))
				continue;
			last = MAX(last, x.done_ps);
			if (done_ps)
				done_ps[x.cookie] = x.done_ps;
		}
	}
	return last;
}

simtime_t dram_access(struct dram *d, simtime_t now_ps, uint64_t paddr, bool is_write)
{
	if (d->cfg.model == DRAM_MODEL_FIXED) {
		if (is_write)
			d->writes++;
		else
			d->reads++;
		d->latency_total_ps += d->cfg.fixed_latency_ps;
		return now_ps + d->cfg.fixed_latency_ps;
	}
	struct dram_chan *ch = &d->chan[field(d, paddr, DRAM_F_CHANNEL)];
	if (ch->q[0].nr || ch->q[1].nr) {
		dram_submit(d, now_ps, paddr, is_write, 0);
		return run_all(d, now_ps, NULL);
	}
	struct dram_req r;
	make_req(d, &r, now_ps, paddr, is_write, 0);
	return run_alone(d, ch, &r);
}

/* Whether the lines of [paddr, paddr + size) are all in one row of one bank of one channel
 * with nothing queued there: then the scheduler serves them in order (each the oldest of
 * equal row hits), one after the other as dram_access would. */
static bool one_row(struct dram *d, uint64_t paddr, uint64_t size)
{
	uint64_t key = 0;
	for (int f = DRAM_F_ROW; f <= DRAM_F_CHANNEL; f++)
		key |= d->mask[f] << d->shift[f];
	for (uint64_t off = DRAM_LINE_BYTES; off < size; off += DRAM_LINE_BYTES)
		if (((paddr + off) ^ paddr) & key)
			return false;
	const struct dram_chan *ch = &d->chan[field(d, paddr, DRAM_F_CHANNEL)];
	return !ch->q[0].nr && !ch->q[1].nr;
}

/*
 * n lines of one row from paddr, all requested at now, alone on their channel (one_row): the
 * first line's commands as run_alone issues them, then row hits one step apart (tCCD_L, the
 * burst, or tCK: the same constraints bind each hit after the first), in closed form up to the
 * next REF, each line alone again from there. The same times and counters as n run_alone
 * calls (test_dram.c's serial_equals_queued). Returns the last completion.
 */
static simtime_t row_stream(struct dram *d, simtime_t now, uint64_t paddr, uint64_t n,
                            bool is_write)
{
	const struct dram_config *c = &d->cfg;
	struct dram_chan *ch = &d->chan[field(d, paddr, DRAM_F_CHANNEL)];
	struct dram_req r;
	make_req(d, &r, now, paddr, is_write, 0);
	simtime_t done = run_alone(d, ch, &r);
	simtime_t lat = (is_write ? c->t_cwl_ps : c->t_cl_ps) + c->t_burst_ps;
	simtime_t step = MAX(MAX(c->t_burst_ps, c->t_ccd_l_ps), c->t_ck_ps);
	simtime_t next_ref = DRAM_TIME_NONE;
	for (uint32_t k = 0; dram_ref_interval_ps(c) && k < c->ranks; k++)
		next_ref = MIN(next_ref, ch->rank[k].next_ref_ps);
	uint64_t i = 1;
	if (c->page_policy == DRAM_PAGE_OPEN && n > 1) {
		simtime_t t0 = done - lat; /* the first line's column command */
		uint64_t m = n - 1;        /* hits issued before the next REF is due */
		if (next_ref != DRAM_TIME_NONE)
			m = next_ref <= t0 + step ? 0 : MIN(m, (next_ref - t0 - 1) / step);
		if (m) {
			simtime_t last = t0 + m * step;
			make_req(d, &r, now, paddr, is_write, 0);
			r.first = 1 + CMD_COL;
			issue(d, ch, &r, CMD_COL, last, &(struct dram_done){0});
			/* The other m - 1 hits: their counts and latencies. */
			d->seq += m - 1;
			if (is_write)
				d->writes += m - 1;
			else
				d->reads += m - 1;
			d->row_hits += m - 1;
			ch->bank[r.bank].hits += (uint32_t)(m - 1);
			d->latency_total_ps += (m - 1) * (t0 - now + lat) + step * (m - 1) * m / 2;
			done = last + lat;
			i += m;
		}
	}
	for (; i < n; i++) {
		make_req(d, &r, now, paddr + i * DRAM_LINE_BYTES, is_write, 0);
		done = run_alone(d, ch, &r);
	}
	return done;
}

simtime_t dram_zero_page(struct dram *d, simtime_t now_ps, uint64_t paddr, uint64_t size_bytes)
{
	BUG_ON(size_bytes % DRAM_LINE_BYTES, "zero of %llu bytes", (unsigned long long)size_bytes);
	if (d->cfg.model != DRAM_MODEL_FIXED && one_row(d, paddr, size_bytes))
		return row_stream(d, now_ps, paddr, size_bytes / DRAM_LINE_BYTES, true);
	if (d->cfg.model == DRAM_MODEL_FIXED) {
		simtime_t done = now_ps;
		for (uint64_t off = 0; off < size_bytes; off += DRAM_LINE_BYTES) {
			simtime_t w = dram_access(d, now_ps, paddr + off, true);
			done = MAX(done, w);
		}
		return done;
	}
	for (uint64_t off = 0; off < size_bytes; off += DRAM_LINE_BYTES)
		dram_submit(d, now_ps, paddr + off, true, 0);
	return run_all(d, now_ps, NULL);
}

simtime_t dram_copy_page(struct dram *d, simtime_t now_ps, uint64_t src_paddr, uint64_t dst_paddr,
                         uint64_t size_bytes)
{
	BUG_ON(size_bytes % DRAM_LINE_BYTES, "copy of %llu bytes", (unsigned long long)size_bytes);
	/* Chunks of RING lines keep this allocation-free for any size. */
	enum { RING = 64 };
	simtime_t arrived[RING], done = now_ps;
	uint64_t n = size_bytes / DRAM_LINE_BYTES;
	/* Serial: each line alone, in order (what the scheduler does with one row's lines). */
	bool fixed = d->cfg.model == DRAM_MODEL_FIXED ||
	             (one_row(d, src_paddr, size_bytes) && one_row(d, dst_paddr, size_bytes));
	for (uint64_t base = 0; base < n; base += RING) {
		uint64_t k = MIN((uint64_t)RING, n - base);
		for (uint64_t i = 0; i < k; i++) {
			uint64_t a = src_paddr + (base + i) * DRAM_LINE_BYTES;
			if (fixed)
				arrived[i] = dram_access(d, now_ps, a, false);
			else
				dram_submit(d, now_ps, a, false, i);
		}
		if (!fixed)
			run_all(d, now_ps, arrived);
		for (uint64_t i = 0; i < k; i++) {
			uint64_t a = dst_paddr + (base + i) * DRAM_LINE_BYTES;
			simtime_t w = fixed ? dram_access(d, arrived[i], a, true) : done;
			if (fixed)
				done = MAX(done, w);
			else
				dram_submit(d, arrived[i], a, true, i);
		}
		if (!fixed)
			done = run_all(d, done, NULL);
	}
	return done;
}
