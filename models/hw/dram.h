/*
 * dram.h — main-memory timing as DRAMsim3 models it: channels, ranks, bank groups, banks and
 * row buffers, JEDEC command timing, refresh, and a per-channel FR-FCFS memory controller.
 * Event driven, no per-cycle ticks: each command issues at the earliest time every constraint
 * allows, the controller choosing among its queued requests at each command.
 *
 * Models (dram.model = "ddr"):
 *  - Address mapping: a physical address is split into channel, rank, bank, row and column by a
 *    configurable bit mapping (dram.mapping, most significant field first; field widths are
 *    log2 of rows, ranks, banks, channels, row_bytes / 64 and 64). The bank field's low
 *    log2(bank_groups) bits are the bank group (DRAMsim3's "ba bg" order). Addresses beyond the
 *    capacity wrap.
 *  - Commands: ACT, PRE, RD, WR (RDA/WRA under the closed-page policy) and REF, with
 *    tRCD, tRP, tRAS, tRC = tRAS + tRP, CL, CWL, tCCD_S/L (column to column, other / same bank
 *    group), tRRD_S/L (ACT to ACT), tFAW (at most four ACTs per rank in any tFAW), tWTR_S/L
 *    (end of write data to a read), read-to-write turnaround, tRTP (read to PRE), tWR (end of
 *    write data to PRE), tRTRS (rank switch on the data bus), one command per tCK on the
 *    command bus and one burst at a time on each channel's data bus. A read's data is done
 *    CL + tBURST after its RD, a write's CWL + tBURST after its WR.
 *  - Refresh: all-bank REF per rank every tREFI, staggered across ranks (tREFI / ranks apart,
 *    the first at tREFI / ranks), each after precharging the rank's open banks, keeping the
 *    rank's banks closed for tRFC. Or (dram.refresh = "same-bank", DDR5) REFsb every tREFIsb
 *    per rank, staggered alike, each refreshing one bank set -- the same bank index in every
 *    bank group (bank / bank_groups), the sets in turn -- after precharging that set's open
 *    banks, and keeping that set closed for tRFCsb while the other banks work. Counted in
 *    dram.refreshes (REF or REFsb commands) and dram.refresh_ps (their tRFC or tRFCsb).
 *  - Controller, per channel: a read queue and a write queue (read_queue, write_queue entries
 *    visible to the scheduler; later requests wait in arrival order behind them). FR-FCFS:
 *    the command that can issue earliest goes first; among those ready at the same time, row
 *    hits (column commands) before others, then the oldest request. A row is not closed while
 *    a queued request hits it, unless the bank has served row_hit_cap hits since its ACT.
 *    Writes are drained when the write queue reaches write_high_watermark, or when no read is
 *    queued, until it falls to write_low_watermark (while reads wait) or empties. Data returns
 *    out of order.
 *  - Page policy: open (rows stay open) or closed (auto-precharge after every column command).
 * dram.model = "fixed": every access costs fixed_latency_ps, no state, no row statistics.
 *
 * Ignores: tREFSBRD (REFsb to an ACT of another bank) and the postponing or pulling in of
 * refreshes, LPDDR's per-bank refresh, power-down and
 * self-refresh, tPPD, command-queue structure (DRAMsim3 moves one transaction per cycle into
 * per-bank command queues of 8; read_queue 128 approximates what its scheduler sees), write
 * merging and read forwarding from the write queue, ECC. Latency (dram_done.arrive_ps,
 * dram.latency_*) counts from a request's submission, its wait behind a full queue included.
 * Callers from several CPUs may pass times out of order; a request never issues a command before
 * the controller's last one, so a late caller queues behind earlier-issued work.
 * Units: times in ps, addresses and sizes in bytes. dram_access allocates nothing.
 */
#ifndef VMSIM_MODELS_HW_DRAM_H
#define VMSIM_MODELS_HW_DRAM_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/base/params.h"
#include "sim/base/stats.h"
#include "sim/base/util.h"

#define DRAM_LINE_BYTES 64u
#define DRAM_ROW_NONE UINT32_MAX
#define DRAM_TIME_NONE UINT64_MAX

enum dram_model {
	DRAM_MODEL_DDR,
	DRAM_MODEL_FIXED,
};

/* Refresh mode: all-bank REF per rank, or DDR5 same-bank REFsb (one bank set at a time). */
enum dram_refresh {
	DRAM_REFRESH_ALL_BANK,
	DRAM_REFRESH_SAME_BANK,
};

enum dram_page_policy {
	DRAM_PAGE_OPEN,
	DRAM_PAGE_CLOSED,
};

/* Address fields, in the names used by dram.mapping. */
enum dram_field {
	DRAM_F_ROW,
	DRAM_F_RANK,
	DRAM_F_BANK,
	DRAM_F_CHANNEL,
	DRAM_F_COLUMN,
	DRAM_F_OFFSET,
	DRAM_NR_FIELDS,
};

struct dram_config {
	enum dram_model model;
	simtime_t fixed_latency_ps; /* model "fixed": cost of every access */
	uint32_t channels;          /* each a power of two */
	uint32_t ranks;             /* per channel */
	uint32_t banks;             /* per rank, all bank groups */
	uint32_t bank_groups;       /* per rank, dividing banks */
	uint32_t rows;              /* per bank */
	uint32_t row_bytes;         /* row buffer size seen by a channel (>= 64) */
	enum dram_page_policy page_policy;
	simtime_t t_ck_ps;
	simtime_t t_cl_ps, t_cwl_ps, t_rcd_ps, t_rp_ps, t_ras_ps, t_burst_ps;
	simtime_t t_ccd_s_ps, t_ccd_l_ps, t_rrd_s_ps, t_rrd_l_ps, t_wtr_s_ps, t_wtr_l_ps;
	simtime_t t_faw_ps, t_rtp_ps, t_wr_ps, t_rtrs_ps;
	simtime_t t_refi_ps, t_rfc_ps; /* t_refi_ps 0: no refresh */
	enum dram_refresh refresh;
	simtime_t t_refi_sb_ps, t_rfc_sb_ps; /* same-bank: REFsb interval per rank, duration */
	uint32_t read_queue, write_queue, write_high, write_low, row_hit_cap;
	enum dram_field mapping[DRAM_NR_FIELDS]; /* most significant field first */
};

struct dram_bank {
	uint32_t open_row;  /* DRAM_ROW_NONE: precharged */
	uint32_t hits;      /* column commands since the ACT */
	simtime_t act_ps;   /* time of the last ACT */
	simtime_t act_ok;   /* earliest ACT (precharged) */
	simtime_t col_ok;   /* earliest column command (open) */
	simtime_t pre_ok;   /* earliest PRE (open) */
};

/* Column and ACT constraints shared by the banks of a bank group, or of a rank. */
struct dram_group {
	simtime_t rd_ok, wr_ok, act_ok;
};

struct dram_rank {
	struct dram_group g;   /* the _S constraints */
	simtime_t faw[4];      /* the last four ACTs, a ring */
	uint64_t acts;         /* ACTs so far (the ring's next slot is acts % 4) */
	simtime_t next_ref_ps; /* the next REF is due */
	uint32_t ref_set;      /* same-bank: the bank set the next REFsb refreshes */
};

struct dram_req {
	simtime_t arrive_ps; /* earliest command: its arrival, or when it entered the queue */
	simtime_t submit_ps; /* its arrival (latency is counted from here) */
	uint64_t paddr, cookie;
	uint64_t seq; /* age */
	uint32_t bank, row, rank, group; /* bank: index within the channel */
	bool is_write;
	uint8_t first; /* 0 nothing issued yet, else 1 + the kind of its first command */
};

/* A queue of one class (reads or writes) of one channel: the visible entries, then a FIFO. */
struct dram_queue {
	struct dram_req *slot;
	uint32_t nr, cap;
	struct dram_req *wait; /* ring */
	size_t wait_head, wait_nr, wait_cap;
};

struct dram_chan {
	struct dram_bank *bank;   /* ranks * banks */
	struct dram_group *group; /* ranks * bank_groups */
	struct dram_rank *rank;
	struct dram_queue q[2];   /* [0] reads, [1] writes */
	simtime_t cmd_ok;         /* command bus */
	simtime_t bus_free;       /* data bus free from */
	uint32_t bus_rank;        /* rank of the last burst */
	uint32_t rr;              /* bank of the last command (round robin) */
	simtime_t ref_due;        /* the earliest next_ref_ps of its ranks */
	bool draining;
};

struct dram {
	struct dram_config cfg;
	unsigned shift[DRAM_NR_FIELDS]; /* bit position of each field */
	uint64_t mask[DRAM_NR_FIELDS];  /* field value mask (after the shift) */
	struct dram_chan *chan;
	uint64_t seq;
	uint64_t reads, writes;
	uint64_t row_hits, row_misses, row_conflicts;
	uint64_t refreshes;
	simtime_t latency_total_ps; /* sum of (completion - request time) */
};

/* The interval between a rank's refresh commands (0: no refresh) and how long each keeps its
 * banks closed: tREFI and tRFC, or for same-bank refresh tREFIsb and tRFCsb. */
static inline simtime_t dram_ref_interval_ps(const struct dram_config *c)
{
	if (!c->t_refi_ps)
		return 0;
	return c->refresh == DRAM_REFRESH_SAME_BANK ? c->t_refi_sb_ps : c->t_refi_ps;
}
static inline simtime_t dram_ref_rfc_ps(const struct dram_config *c)
{
	return c->refresh == DRAM_REFRESH_SAME_BANK ? c->t_rfc_sb_ps : c->t_rfc_ps;
}

/* New; free with dram_destroy. cfg must be valid (dram_config_from_json's checks). */
struct dram *dram_create(const struct dram_config *cfg);
void dram_destroy(struct dram *d);

/* Where paddr lands (exposed for tests and for a VM layer that wants to colour frames). */
struct dram_coord {
	uint32_t channel, rank, bank, group, row, column;
};
void dram_decode(const struct dram *d, uint64_t paddr, struct dram_coord *out);

/* Read or write the 64-byte line holding paddr, requested at now_ps, alone or behind what is
 * queued; returns the time its data transfer completes. */
simtime_t dram_access(struct dram *d, simtime_t now_ps, uint64_t paddr, bool is_write);

/*
 * Copy size_bytes from src_paddr to dst_paddr (a COW copy): every line of the source read
 * (requested at now_ps, the controller ordering them), each line of the destination written
 * once its data has arrived. Returns the time the last write's data is written. size_bytes a
 * multiple of 64.
 */
simtime_t dram_copy_page(struct dram *d, simtime_t now_ps, uint64_t src_paddr, uint64_t dst_paddr,
                         uint64_t size_bytes);
/* Write zeroes to size_bytes at paddr (all lines requested at now_ps); returns when the last
 * is written. */
simtime_t dram_zero_page(struct dram *d, simtime_t now_ps, uint64_t paddr, uint64_t size_bytes);

/* ---- the controller, for drivers that keep many requests outstanding (model "ddr") ---- */

/* Queue a request arriving at at_ps; cookie comes back with its completion. */
void dram_submit(struct dram *d, simtime_t at_ps, uint64_t paddr, bool is_write, uint64_t cookie);
/* The time of the next command any channel would issue (DRAM_TIME_NONE: nothing queued). A
 * driver first submits every request arriving before it, then steps. */
simtime_t dram_next_ps(struct dram *d);
struct dram_done {
	uint64_t cookie;
	simtime_t arrive_ps, done_ps;
	bool is_write;
};
/* Issue that next command; true when it was a column command (out: its request, done). */
bool dram_step(struct dram *d, struct dram_done *out);

/* Keys under "dram"; the defaults are DDR4-3200 (configs/presets/ddr4-3200.json). */
extern const struct param_spec dram_params[];

/* Copy the resolved "dram" object into c, checking what the table cannot (powers of two, a
 * valid mapping string, tRAS >= tRCD). 0 or -VMSIM_EINVAL with "FILE: PATH.key: ...". */
int dram_config_from_json(struct dram_config *c, const json_t *obj, const char *file,
                          const char *path, struct err *err);

/* dram.{reads,writes,row_hits,row_misses,row_conflicts,refreshes,refresh_ps,latency_total_ps,
 * latency_mean_ps}; refreshes counted up to end_ps. */
void dram_report(const struct dram *d, simtime_t end_ps, struct statsout *o);
/* The same under prefix instead of "dram" (a memory node's node.NAME.dram). */
void dram_report_prefix(const struct dram *d, simtime_t end_ps, struct statsout *o,
                        const char *prefix);

#endif
