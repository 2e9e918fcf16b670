/*
 * dram.c — the DRAM model's configuration (the DDR4-3200 defaults, every parameter
 * documented), address mapping, creation and report; the controller is in dram_ctrl.c (see
 * dram.h for the model and its simplifications).
 */
#include "models/hw/dram.h"

#include <stddef.h>
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
	d->chan = xcalloc(cfg->channels, sizeof(*d->chan));
	for (uint32_t i = 0; i < cfg->channels; i++) {
		struct dram_chan *ch = &d->chan[i];
		ch->bank = xcalloc((size_t)cfg->ranks * cfg->banks, sizeof(*ch->bank));
		for (size_t b = 0; b < (size_t)cfg->ranks * cfg->banks; b++)
			ch->bank[b].open_row = DRAM_ROW_NONE;
		ch->group = xcalloc((size_t)cfg->ranks * cfg->bank_groups, sizeof(*ch->group));
		ch->rank = xcalloc(cfg->ranks, sizeof(*ch->rank));
		/* Staggered: rank r's first REF at (r + 1) tREFI / ranks, as DRAMsim3. */
		simtime_t refi = dram_ref_interval_ps(cfg);
		for (uint32_t r = 0; r < cfg->ranks; r++)
			ch->rank[r].next_ref_ps =
			    refi ? (r + 1) * (refi / cfg->ranks) : DRAM_TIME_NONE;
		ch->ref_due = refi ? refi / cfg->ranks : DRAM_TIME_NONE;
		ch->q[0].cap = cfg->read_queue;
		ch->q[1].cap = cfg->write_queue;
		for (int c = 0; c < 2; c++)
			ch->q[c].slot = xcalloc(ch->q[c].cap, sizeof(struct dram_req));
	}
	return d;
}

void dram_destroy(struct dram *d)
{
	if (!d)
		return;
	for (uint32_t i = 0; d->chan && i < d->cfg.channels; i++) {
		struct dram_chan *ch = &d->chan[i];
		free(ch->bank);
		free(ch->group);
		free(ch->rank);
		for (int c = 0; c < 2; c++) {
			free(ch->q[c].slot);
			free(ch->q[c].wait);
		}
	}
	free(d->chan);
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
	out->group = d->cfg.bank_groups ? out->bank % d->cfg.bank_groups : 0;
	out->row = (uint32_t)field(d, paddr, DRAM_F_ROW);
	out->column = (uint32_t)field(d, paddr, DRAM_F_COLUMN);
}

/* ---- configuration ---- */

/* A time parameter in ps (the defaults are DDR4-3200 AA, 22-22-22, 8 Gb x8, JEDEC JESD79-4;
 * the same cycle counts as DRAMsim3's DDR4_8Gb_x8_3200.ini at tCK 0.625 ns). */
#define T_PS(k, d, m, text)                                                                        \
	{.key = k, .type = PARAM_INT, .min = m, .max = 1e12, .def = d, .doc = text}
#define COUNT(k, d, m, x, text)                                                                    \
	{.key = k, .type = PARAM_INT, .min = m, .max = x, .def = d, .doc = text}

const struct param_spec dram_params[] = {
    {.key = "model",
     .type = PARAM_ENUM,
     .choices = "ddr|fixed",
     .def = "\"ddr\"",
     .doc = "ddr: banks, row buffers and a controller; fixed: one latency for every access"},
    T_PS("fixed_latency_ps", "80000", 0, "model fixed: latency of every access"),
    COUNT("channels", "2", 1, 1024, "memory channels (a power of two), each with its own buses"),
    COUNT("ranks", "1", 1, 64, "ranks per channel (a power of two)"),
    COUNT("banks", "16", 1, 1024, "banks per rank, all bank groups (a power of two)"),
    COUNT("bank_groups", "4", 1, 64,
          "bank groups per rank (a power of two dividing banks; the bank field's low bits)"),
    COUNT("rows", "65536", 1, 1 << 30, "rows per bank (a power of two)"),
    COUNT("row_bytes", "8192", 64, 1 << 20,
          "row buffer size per bank as seen by the channel (8 x8 chips x 1 KiB)"),
    {.key = "page_policy",
     .type = PARAM_ENUM,
     .choices = "open|closed",
     .def = "\"open\"",
     .doc = "open: rows stay open after an access; closed: auto-precharge"},
    T_PS("t_ck_ps", "625", 1, "clock period (3200 MT/s); one command per tCK"),
    T_PS("t_cl_ps", "13750", 1, "CL: read command to first data (22 tCK)"),
    T_PS("t_cwl_ps", "10000", 0, "CWL: write command to first data (16 tCK)"),
    T_PS("t_rcd_ps", "13750", 1, "tRCD: ACT to column command (22 tCK)"),
    T_PS("t_rp_ps", "13750", 1, "tRP: PRE to ACT (22 tCK)"),
    T_PS("t_ras_ps", "32500", 1, "tRAS: ACT to PRE, minimum row open time (52 tCK)"),
    T_PS("t_burst_ps", "2500", 1, "data transfer of one 64-byte line (BL8 on 64 bits, 4 tCK)"),
    T_PS("t_ccd_s_ps", "2500", 0, "tCCD_S: column to column, other bank group (4 tCK)"),
    T_PS("t_ccd_l_ps", "5000", 0, "tCCD_L: column to column, same bank group (8 tCK)"),
    T_PS("t_rrd_s_ps", "2500", 0, "tRRD_S: ACT to ACT, other bank group (4 tCK)"),
    T_PS("t_rrd_l_ps", "5000", 0, "tRRD_L: ACT to ACT, same bank group (8 tCK)"),
    T_PS("t_wtr_s_ps", "2500", 0,
         "tWTR_S: end of write data to a read, other bank group (4 tCK)"),
    T_PS("t_wtr_l_ps", "7500", 0, "tWTR_L: end of write data to a read, same bank group (12 tCK)"),
    T_PS("t_faw_ps", "21250", 0, "tFAW: window holding at most four ACTs per rank (34 tCK)"),
    T_PS("t_rtp_ps", "7500", 0, "tRTP: read to PRE (12 tCK)"),
    T_PS("t_wr_ps", "15000", 0, "tWR: end of write data to PRE, write recovery (24 tCK)"),
    T_PS("t_rtrs_ps", "625", 0, "tRTRS: data bus turnaround between ranks (1 tCK)"),
    T_PS("t_refi_ps", "7800000", 0, "tREFI: all-bank refresh interval per rank (0: no refresh)"),
    T_PS("t_rfc_ps", "350000", 0, "tRFC: REF to ACT, 8 Gb die (560 tCK)"),
    {.key = "refresh",
     .type = PARAM_ENUM,
     .choices = "all-bank|same-bank",
     .def = "\"all-bank\"",
     .doc = "all-bank: REF every t_refi_ps closes the rank for t_rfc_ps; same-bank (DDR5 "
            "REFsb): every t_refi_sb_ps one bank set closes for t_rfc_sb_ps"},
    T_PS("t_refi_sb_ps", "487500", 1,
         "same-bank: REFsb interval per rank, tREFI2 / banks per group (DDR5: 1.95 us / 4)"),
    T_PS("t_rfc_sb_ps", "130000", 1, "same-bank: tRFCsb, REFsb to ACT of that set (DDR5 16 Gb)"),
    COUNT("read_queue", "128", 1, 4096,
          "controller read queue entries per channel the scheduler sees (DRAMsim3's per-bank "
          "command queues hold up to 8 x 16 banks)"),
    COUNT("write_queue", "32", 1, 4096, "controller write queue entries per channel"),
    COUNT("write_high_watermark", "32", 1, 1 << 20,
          "queued writes that start a drain while reads wait"),
    COUNT("write_low_watermark", "0", 0, 1 << 20, "a drain stops at this many writes"),
    COUNT("row_hit_cap", "4", 1, 1 << 20,
          "row hits served since the ACT after which a queued conflict may close the row"),
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
	c->bank_groups = (uint32_t)params_get_int(obj, "bank_groups");
	static const struct {
		const char *key;
		size_t off;
	} times[] = {
#define F(x) {#x, offsetof(struct dram_config, x)}
	    F(t_ck_ps),    F(t_cl_ps),    F(t_cwl_ps),   F(t_rcd_ps),   F(t_rp_ps),
	    F(t_ras_ps),   F(t_burst_ps), F(t_ccd_s_ps), F(t_ccd_l_ps), F(t_rrd_s_ps),
	    F(t_rrd_l_ps), F(t_wtr_s_ps), F(t_wtr_l_ps), F(t_faw_ps),   F(t_rtp_ps),
	    F(t_wr_ps),    F(t_rtrs_ps),  F(t_refi_ps),  F(t_rfc_ps),   F(t_refi_sb_ps),
	    F(t_rfc_sb_ps),
#undef F
	};
	for (size_t i = 0; i < sizeof(times) / sizeof(times[0]); i++)
		*(simtime_t *)((char *)c + times[i].off) =
		    (simtime_t)params_get_int(obj, times[i].key);
	c->refresh = strcmp(params_get_string(obj, "refresh"), "same-bank") == 0
	                 ? DRAM_REFRESH_SAME_BANK
	                 : DRAM_REFRESH_ALL_BANK;
	c->read_queue = (uint32_t)params_get_int(obj, "read_queue");
	c->write_queue = (uint32_t)params_get_int(obj, "write_queue");
	c->write_high = (uint32_t)params_get_int(obj, "write_high_watermark");
	c->write_low = (uint32_t)params_get_int(obj, "write_low_watermark");
	c->row_hit_cap = (uint32_t)params_get_int(obj, "row_hit_cap");
	int rc;
	if ((rc = check_pow2(c->channels, "channels", file, path, err)) ||
	    (rc = check_pow2(c->ranks, "ranks", file, path, err)) ||
	    (rc = check_pow2(c->banks, "banks", file, path, err)) ||
	    (rc = check_pow2(c->bank_groups, "bank_groups", file, path, err)) ||
	    (rc = check_pow2(c->rows, "rows", file, path, err)) ||
	    (rc = check_pow2(c->row_bytes, "row_bytes", file, path, err)))
		return rc;
	if (c->t_ras_ps < c->t_rcd_ps)
		return err_set(err, "%s: %s.t_ras_ps: expected at least t_rcd_ps (%llu), got %llu",
		               file, path, (unsigned long long)c->t_rcd_ps,
		               (unsigned long long)c->t_ras_ps);
	if (c->bank_groups > c->banks)
		return err_set(err, "%s: %s.bank_groups: expected at most banks (%u), got %u", file,
		               path, c->banks, c->bank_groups);
	if (c->t_refi_ps && c->t_rfc_ps >= c->t_refi_ps)
		return err_set(err, "%s: %s.t_rfc_ps: expected less than t_refi_ps (%llu), got %llu",
		               file, path, (unsigned long long)c->t_refi_ps,
		               (unsigned long long)c->t_rfc_ps);
	if (c->refresh == DRAM_REFRESH_SAME_BANK && c->t_rfc_sb_ps >= c->t_refi_sb_ps)
		return err_set(err,
		               "%s: %s.t_rfc_sb_ps: expected less than t_refi_sb_ps (%llu), got %llu",
		               file, path, (unsigned long long)c->t_refi_sb_ps,
		               (unsigned long long)c->t_rfc_sb_ps);
	if (c->t_cl_ps + c->t_burst_ps + c->t_rtrs_ps < c->t_cwl_ps)
		return err_set(err, "%s: %s.t_cwl_ps: expected at most t_cl_ps + t_burst_ps (%llu)",
		               file, path, (unsigned long long)(c->t_cl_ps + c->t_burst_ps));
	if (c->write_low >= c->write_high)
		return err_set(err,
		               "%s: %s.write_low_watermark: expected less than write_high_watermark "
		               "(%u), got %u",
		               file, path, c->write_high, c->write_low);
	return parse_mapping(c, params_get_string(obj, "mapping"), file, path, err);
}

void dram_report(const struct dram *d, simtime_t end_ps, struct statsout *o)
{
	dram_report_prefix(d, end_ps, o, "dram");
}

void dram_report_prefix(const struct dram *d, simtime_t end_ps, struct statsout *o,
                        const char *prefix)
{
	uint64_t n = d->reads + d->writes;
	/* The REFs due by end_ps that no command has triggered yet (the ranks were idle). */
	uint64_t refreshes = d->refreshes;
	simtime_t refi = dram_ref_interval_ps(&d->cfg);
	for (uint32_t i = 0; d->chan && i < d->cfg.channels; i++)
		for (uint32_t r = 0; r < d->cfg.ranks; r++) {
			simtime_t next = d->chan[i].rank[r].next_ref_ps;
			if (refi && next <= end_ps)
				refreshes += 1 + (end_ps - next) / refi;
		}
	statsout_u64(o, prefix, "reads", d->reads);
	statsout_u64(o, prefix, "writes", d->writes);
	statsout_u64(o, prefix, "row_hits", d->row_hits);
	statsout_u64(o, prefix, "row_misses", d->row_misses);
	statsout_u64(o, prefix, "row_conflicts", d->row_conflicts);
	statsout_u64(o, prefix, "refreshes", refreshes);
	statsout_u64(o, prefix, "refresh_ps", refreshes * dram_ref_rfc_ps(&d->cfg));
	statsout_u64(o, prefix, "latency_total_ps", d->latency_total_ps);
	statsout_u64(o, prefix, "latency_mean_ps", n ? d->latency_total_ps / n : 0);
}
