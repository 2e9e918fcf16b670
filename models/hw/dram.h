/*
 * dram.h — main-memory timing: channels, ranks, banks and row buffers, DRAMsim3 style
 * ("earliest time the next command may issue" per bank and per data bus, no per-cycle ticks).
 *
 * Models (dram.model = "ddr"): a physical address is split into channel, rank, bank, row and
 * column by a configurable bit mapping (dram.mapping, most significant field first; each of
 * row, rank, bank, channel, column, offset exactly once; field widths are log2 of rows, ranks,
 * banks, channels, row_bytes / 64 and 64). Addresses beyond the capacity wrap (the high bits
 * are dropped). Each bank remembers its open row, when it was activated and when it can take
 * the next column command; each channel remembers when its data bus is free.
 *  - open-page policy: the row stays open after an access.
 *      row hit:              column command at max(now, bank ready)
 *      row miss (bank idle): ACT at max(now, bank ready), column command tRCD later
 *      row conflict:         PRE at max(now, bank ready, ACT + tRAS), ACT tRP later,
 *                            column command tRCD after the ACT
 *  - closed-page policy: every access activates (a row miss), and the bank precharges itself
 *    after the column command (not before ACT + tRAS), ready tRP later.
 *  Data leaves tCL after the column command, once the channel's bus is free, and takes tBURST
 *  for one 64-byte line; the bank may take its next column command tBURST after the previous
 *  one (tCCD = tBURST), so sequential hits pipeline. An access to an idle bank and bus costs
 *  exactly: hit tCL + tBURST, miss tRCD + tCL + tBURST, conflict tRP + tRCD + tCL + tBURST.
 * dram.model = "fixed": every access costs fixed_latency_ps, no state, no row statistics.
 *
 * Ignores: bank groups (tCCD_L/tCCD_S), tRRD, tFAW, refresh, write recovery (tWR) and
 * read-write turnaround (a write is timed like a read), command-bus contention, request
 * reordering by a memory controller (FR-FCFS): requests are served in the order they are
 * made. Callers from several CPUs may pass times out of order; a request never starts before
 * the resources it needs are free, so a late caller queues behind earlier-issued work.
 * Units: times in ps, addresses and sizes in bytes. Hot path: dram_access does not allocate.
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

enum dram_model {
	DRAM_MODEL_DDR,
	DRAM_MODEL_FIXED,
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
	uint32_t banks;             /* per rank */
	uint32_t rows;              /* per bank */
	uint32_t row_bytes;         /* row buffer size seen by a channel (>= 64) */
	enum dram_page_policy page_policy;
	simtime_t t_cl_ps, t_rcd_ps, t_rp_ps, t_ras_ps, t_burst_ps;
	enum dram_field mapping[DRAM_NR_FIELDS]; /* most significant field first */
};

struct dram_bank {
	uint32_t open_row;  /* DRAM_ROW_NONE: precharged */
	simtime_t act_ps;   /* time of the last ACT */
	simtime_t ready_ps; /* earliest next column command (open row) or ACT (precharged) */
};

struct dram {
	struct dram_config cfg;
	unsigned shift[DRAM_NR_FIELDS]; /* bit position of each field */
	uint64_t mask[DRAM_NR_FIELDS];  /* field value mask (after the shift) */
	struct dram_bank *bank;         /* channels * ranks * banks */
	simtime_t *bus_free_ps;         /* per channel */
	uint64_t reads, writes;
	uint64_t row_hits, row_misses, row_conflicts;
	simtime_t latency_total_ps; /* sum of (completion - request time) */
};

/* New; free with dram_destroy. cfg must be valid (dram_config_from_json's checks). */
struct dram *dram_create(const struct dram_config *cfg);
void dram_destroy(struct dram *d);

/* Where paddr lands (exposed for tests and for a VM layer that wants to colour frames). */
struct dram_coord {
	uint32_t channel, rank, bank, row, column;
};
void dram_decode(const struct dram *d, uint64_t paddr, struct dram_coord *out);

/* Read or write the 64-byte line holding paddr, requested at now_ps; returns the time the
 * data transfer completes. */
simtime_t dram_access(struct dram *d, simtime_t now_ps, uint64_t paddr, bool is_write);

/*
 * Copy size_bytes from src_paddr to dst_paddr (a COW copy): read every line of the source
 * (issued at now_ps, pipelined), and write each line of the destination as soon as its data
 * has arrived. Returns the completion time of the last write. size_bytes a multiple of 64.
 */
simtime_t dram_copy_page(struct dram *d, simtime_t now_ps, uint64_t src_paddr, uint64_t dst_paddr,
                         uint64_t size_bytes);
/* Write zeroes to size_bytes at paddr (all lines issued at now_ps); returns the last
 * completion. */
simtime_t dram_zero_page(struct dram *d, simtime_t now_ps, uint64_t paddr, uint64_t size_bytes);

/* Keys under "dram"; the defaults are DDR4-3200 (configs/presets/ddr4-3200.json). */
extern const struct param_spec dram_params[];

/* Copy the resolved "dram" object into c, checking what the table cannot (powers of two, a
 * valid mapping string, tRAS >= tRCD). 0 or -VMSIM_EINVAL with "FILE: PATH.key: ...". */
int dram_config_from_json(struct dram_config *c, const json_t *obj, const char *file,
                          const char *path, struct err *err);

/* dram.{reads,writes,row_hits,row_misses,row_conflicts,latency_total_ps,latency_mean_ps}. */
void dram_report(const struct dram *d, struct statsout *o);

#endif
