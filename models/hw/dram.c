/*
 * dram.c — bank/row-buffer DRAM timing (see dram.h for the model and its simplifications).
 */
#include "models/hw/dram.h"

#include <stdlib.h>
#include <string.h>

static const char *const field_names[DRAM_NR_FIELDS] = {
    [DRAM_F_ROW] = "row",         [DRAM_F_RANK] = "rank",     [DRAM_F_BANK] = "bank",
    [DRAM_F_CHANNEL] = "channel", [DRAM_F_COLUMN] = "column", [DRAM_F_OFFSET] = "offset",
};

static unsigned log2_exact(uint64_t v)
{
	unsigned n = 0;
	while ((1ull << n) < v)
		n++;
	return n;
}

static uint64_t field_size(const struct dram_config *c, enum dram_field f)
{
	switch (f) {
	case DRAM_F_ROW:
		return c->rows;
	case DRAM_F_RANK:
		return c->ranks;
	case DRAM_F_BANK:
		return c->banks;
	case DRAM_F_CHANNEL:
		return c->channels;
	case DRAM_F_COLUMN:
		return c->row_bytes / DRAM_LINE_BYTES;
	case DRAM_F_OFFSET:
	case DRAM_NR_FIELDS:
		break;
	}
	return DRAM_LINE_BYTES;
}

struct dram *dram_create(const struct dram_config *cfg)
{
	struct dram *d = xcalloc(1, sizeof(*d));
	d->cfg = *cfg;
	if (cfg->model == DRAM_MODEL_FIXED)
		return d;
	unsigned pos = 0;
	for (int i = DRAM_NR_FIELDS - 1; i >= 0; i--) {
		enum dram_field f = cfg->mapping[i];
		uint64_t size = field_size(cfg, f);
		BUG_ON(!size || (size & (size - 1)), "dram field %s size %llu", field_names[f],
		       (unsigned long long)size);
		d->shift[f] = pos;
		d->mask[f] = size - 1;
		pos += log2_exact(size);
	}
	size_t nr_banks = (size_t)cfg->channels * cfg->ranks * cfg->banks;
	d->bank = xcalloc(nr_banks, sizeof(*d->bank));
	for (size_t i = 0; i < nr_banks; i++)
		d->bank[i].open_row = DRAM_ROW_NONE;
	d->bus_free_ps = xcalloc(cfg->channels, sizeof(*d->bus_free_ps));
	return d;
}

void dram_destroy(struct dram *d)
{
	if (!d)
		return;
	free(d->bank);
	free(d->bus_free_ps);
	free(d);
}

static inline uint64_t field(const struct dram *d, uint64_t paddr, enum dram_field f)
{
	return (paddr >> d->shift[f]) & d->mask[f];
}

void dram_decode(const struct dram *d, uint64_t paddr, struct dram_coord *out)
{
	out->channel = (uint32_t)field(d, paddr, DRAM_F_CHANNEL);
	out->rank = (uint32_t)field(d, paddr, DRAM_F_RANK);
	out->bank = (uint32_t)field(d, paddr, DRAM_F_BANK);
	out->row = (uint32_t)field(d, paddr, DRAM_F_ROW);
	out->column = (uint32_t)field(d, paddr, DRAM_F_COLUMN);
}

simtime_t dram_access(struct dram *d, simtime_t now_ps, uint64_t paddr, bool is_write)
{
	const struct dram_config *c = &d->cfg;
	if (is_write)
		d->writes++;
	else
		d->reads++;
	if (c->model == DRAM_MODEL_FIXED) {
		d->latency_total_ps += c->fixed_latency_ps;
		return now_ps + c->fixed_latency_ps;
	}
	uint64_t ch = field(d, paddr, DRAM_F_CHANNEL);
	uint32_t row = (uint32_t)field(d, paddr, DRAM_F_ROW);
	size_t bi = ((size_t)ch * c->ranks + field(d, paddr, DRAM_F_RANK)) * c->banks +
	            field(d, paddr, DRAM_F_BANK);
	struct dram_bank *b = &d->bank[bi];
	simtime_t start = MAX(now_ps, b->ready_ps), col;
	if (b->open_row == row) {
		d->row_hits++;
		col = start;
	} else if (b->open_row == DRAM_ROW_NONE) {
		d->row_misses++;
		b->act_ps = start;
		col = start + c->t_rcd_ps;
	} else {
		d->row_conflicts++;
		simtime_t pre = MAX(start, b->act_ps + c->t_ras_ps);
		b->act_ps = pre + c->t_rp_ps;
		col = b->act_ps + c->t_rcd_ps;
	}
	simtime_t data = MAX(col + c->t_cl_ps, d->bus_free_ps[ch]);
	simtime_t done = data + c->t_burst_ps;
	d->bus_free_ps[ch] = done;
	if (c->page_policy == DRAM_PAGE_OPEN) {
		b->open_row = row;
		b->ready_ps = col + c->t_burst_ps;
	} else {
		/* Auto-precharge after the column command, not before ACT + tRAS. */
		simtime_t pre = MAX(col + c->t_burst_ps, b->act_ps + c->t_ras_ps);
		b->ready_ps = pre + c->t_rp_ps;
	}
	d->latency_total_ps += done - now_ps;
	return done;
}

simtime_t dram_copy_page(struct dram *d, simtime_t now_ps, uint64_t src_paddr, uint64_t dst_paddr,
                         uint64_t size_bytes)
{
	BUG_ON(size_bytes % DRAM_LINE_BYTES, "copy of %llu bytes", (unsigned long long)size_bytes);
	/* Reads first (a streaming copy reads ahead); each write when its line has arrived. A
	 * fixed-size ring of read completions keeps this allocation-free for any size. */
	enum { RING = 64 };
	simtime_t arrived[RING], done = now_ps;
	uint64_t n = size_bytes / DRAM_LINE_BYTES;
	for (uint64_t base = 0; base < n; base += RING) {
		uint64_t k = MIN((uint64_t)RING, n - base);
		for (uint64_t i = 0; i < k; i++)
			arrived[i] =
			    dram_access(d, now_ps, src_paddr + (base + i) * DRAM_LINE_BYTES, false);
		for (uint64_t i = 0; i < k; i++) {
			simtime_t w = dram_access(d, arrived[i],
			                          dst_paddr + (base + i) * DRAM_LINE_BYTES, true);
			done = MAX(done, w);
		}
	}
	return done;
}

simtime_t dram_zero_page(struct dram *d, simtime_t now_ps, uint64_t paddr, uint64_t size_bytes)
{
	BUG_ON(size_bytes % DRAM_LINE_BYTES, "zero of %llu bytes", (unsigned long long)size_bytes);
	simtime_t done = now_ps;
	for (uint64_t off = 0; off < size_bytes; off += DRAM_LINE_BYTES) {
		simtime_t w = dram_access(d, now_ps, paddr + off, true);
		done = MAX(done, w);
	}
	return done;
}

/* ---- configuration ---- */

const struct param_spec dram_params[] = {
    {.key = "model",
     .type = PARAM_ENUM,
     .choices = "ddr|fixed",
     .def = "\"ddr\"",
     .doc = "ddr: banks and row buffers; fixed: one latency for every access"},
    {.key = "fixed_latency_ps",
     .type = PARAM_INT,
     .min = 0,
     .max = 1e12,
     .def = "80000",
     .doc = "model fixed: latency of every access"},
    {.key = "channels",
     .type = PARAM_INT,
     .min = 1,
     .max = 1024,
     .def = "2",
     .doc = "memory channels (a power of two), each with its own data bus"},
    {.key = "ranks",
     .type = PARAM_INT,
     .min = 1,
     .max = 64,
     .def = "1",
     .doc = "ranks per channel (a power of two)"},
    {.key = "banks",
     .type = PARAM_INT,
     .min = 1,
     .max = 1024,
     .def = "16",
     .doc = "banks per rank (a power of two; DDR4: 4 bank groups x 4)"},
    {.key = "rows",
     .type = PARAM_INT,
     .min = 1,
     .max = 1 << 30,
     .def = "65536",
     .doc = "rows per bank (a power of two)"},
    {.key = "row_bytes",
     .type = PARAM_INT,
     .min = 64,
     .max = 1 << 20,
     .def = "8192",
     .doc = "row buffer size per bank as seen by the channel (8 x8 chips x 1 KiB)"},
    {.key = "page_policy",
     .type = PARAM_ENUM,
     .choices = "open|closed",
     .def = "\"open\"",
     .doc = "open: rows stay open after an access; closed: auto-precharge"},
    {.key = "t_cl_ps",
     .type = PARAM_INT,
     .min = 1,
     .max = 1e9,
     .def = "13750",
     .doc = "CAS latency: column command to first data"},
    {.key = "t_rcd_ps",
     .type = PARAM_INT,
     .min = 1,
     .max = 1e9,
     .def = "13750",
     .doc = "ACT to column command"},
    {.key = "t_rp_ps",
     .type = PARAM_INT,
     .min = 1,
     .max = 1e9,
     .def = "13750",
     .doc = "PRE to ACT"},
    {.key = "t_ras_ps",
     .type = PARAM_INT,
     .min = 1,
     .max = 1e9,
     .def = "32000",
     .doc = "ACT to PRE (minimum row open time)"},
    {.key = "t_burst_ps",
     .type = PARAM_INT,
     .min = 1,
     .max = 1e9,
     .def = "2500",
     .doc = "data transfer of one 64-byte line (BL8 on 64 bits at 3200 MT/s)"},
    {.key = "mapping",
     .type = PARAM_STRING,
     .def = "\"row:rank:bank:channel:column:offset\"",
     .doc = "physical address fields, most significant first, each once"},
    {0},
};

static int parse_mapping(struct dram_config *c, const char *s, const char *file, const char *path,
                         struct err *err)
{
	bool seen[DRAM_NR_FIELDS] = {false};
	unsigned n = 0;
	const char *p = s;
	for (;;) {
		const char *colon = strchr(p, ':');
		size_t len = colon ? (size_t)(colon - p) : strlen(p);
		int f = -1;
		for (int i = 0; i < DRAM_NR_FIELDS; i++)
			if (strlen(field_names[i]) == len && strncmp(p, field_names[i], len) == 0)
				f = i;
		if (f < 0)
			return err_set(err,
			               "%s: %s.mapping: unknown field \"%.*s\" in \"%s\" (fields: "
			               "row, rank, bank, channel, column, offset)",
			               file, path, (int)len, p, s);
		if (seen[f])
			return err_set(err, "%s: %s.mapping: field \"%s\" appears twice in \"%s\"",
			               file, path, field_names[f], s);
		seen[f] = true;
		c->mapping[n++] = (enum dram_field)f;
		if (!colon)
			break;
		p = colon + 1;
	}
	if (n != DRAM_NR_FIELDS)
		return err_set(err,
		               "%s: %s.mapping: expected each of row, rank, bank, channel, column, "
		               "offset once, got \"%s\"",
		               file, path, s);
	if (c->mapping[DRAM_NR_FIELDS - 1] != DRAM_F_OFFSET)
		return err_set(err,
		               "%s: %s.mapping: \"offset\" (the byte within a 64-byte line) must "
		               "come last, got \"%s\"",
		               file, path, s);
	return 0;
}

static int check_pow2(uint64_t v, const char *key, const char *file, const char *path,
                      struct err *err)
{
	if (v & (v - 1))
		return err_set(err, "%s: %s.%s: expected a power of two, got %llu", file, path, key,
		               (unsigned long long)v);
	return 0;
}

int dram_config_from_json(struct dram_config *c, const json_t *obj, const char *file,
                          const char *path, struct err *err)
{
	memset(c, 0, sizeof(*c));
	c->model = strcmp(params_get_string(obj, "model"), "fixed") == 0 ? DRAM_MODEL_FIXED
	                                                                 : DRAM_MODEL_DDR;
	c->fixed_latency_ps = (simtime_t)params_get_int(obj, "fixed_latency_ps");
	c->channels = (uint32_t)params_get_int(obj, "channels");
	c->ranks = (uint32_t)params_get_int(obj, "ranks");
	c->banks = (uint32_t)params_get_int(obj, "banks");
	c->rows = (uint32_t)params_get_int(obj, "rows");
	c->row_bytes = (uint32_t)params_get_int(obj, "row_bytes");
	c->page_policy = strcmp(params_get_string(obj, "page_policy"), "closed") == 0
	                     ? DRAM_PAGE_CLOSED
	                     : DRAM_PAGE_OPEN;
	c->t_cl_ps = (simtime_t)params_get_int(obj, "t_cl_ps");
	c->t_rcd_ps = (simtime_t)params_get_int(obj, "t_rcd_ps");
	c->t_rp_ps = (simtime_t)params_get_int(obj, "t_rp_ps");
	c->t_ras_ps = (simtime_t)params_get_int(obj, "t_ras_ps");
	c->t_burst_ps = (simtime_t)params_get_int(obj, "t_burst_ps");
	int rc;
	if ((rc = check_pow2(c->channels, "channels", file, path, err)) ||
	    (rc = check_pow2(c->ranks, "ranks", file, path, err)) ||
	    (rc = check_pow2(c->banks, "banks", file, path, err)) ||
	    (rc = check_pow2(c->rows, "rows", file, path, err)) ||
	    (rc = check_pow2(c->row_bytes, "row_bytes", file, path, err)))
		return rc;
	if (c->t_ras_ps < c->t_rcd_ps)
		return err_set(err, "%s: %s.t_ras_ps: expected at least t_rcd_ps (%llu), got %llu",
		               file, path, (unsigned long long)c->t_rcd_ps,
		               (unsigned long long)c->t_ras_ps);
	return parse_mapping(c, params_get_string(obj, "mapping"), file, path, err);
}

void dram_report(const struct dram *d, struct statsout *o)
{
	uint64_t n = d->reads + d->writes;
	statsout_u64(o, "dram", "reads", d->reads);
	statsout_u64(o, "dram", "writes", d->writes);
	statsout_u64(o, "dram", "row_hits", d->row_hits);
	statsout_u64(o, "dram", "row_misses", d->row_misses);
	statsout_u64(o, "dram", "row_conflicts", d->row_conflicts);
	statsout_u64(o, "dram", "latency_total_ps", d->latency_total_ps);
	statsout_u64(o, "dram", "latency_mean_ps", n ? d->latency_total_ps / n : 0);
}
