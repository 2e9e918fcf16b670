/*
 * trace_format.h — the readers and writers of recorded traces, one file per format
 * (trace_pages.c, trace_vmt.c, vmb.c, trace_lackey.c, trace_oracle.c, trace_champsim.c, ...),
 * behind one small table.
 *
 * A reader turns a file into ONE stream of operations in file order, each carrying its pid
 * (OP_FILE declarations carry pid 0: they are global). It only checks syntax; the process
 * rules (a pid must exist, no fork of an existing pid, nothing after exit, addresses within
 * 57 bits) are checked once for every format by trace_source.c, which asks the reader where
 * the last operation came from ("FILE:LINE" for text, "FILE: byte offset N" for binary).
 * Readers keep one buffer whatever the file's length; names in an op are borrowed until the
 * next read.
 */
#ifndef VMSIM_WORKLOADS_TRACE_FORMAT_H
#define VMSIM_WORKLOADS_TRACE_FORMAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/base/util.h"
#include "workloads/workload.h"

/* Virtual addresses are 57-bit (x86-64 with 5-level tables): every address and range end of
 * a trace must be <= this. */
#define TRACE_VA_LIMIT (1ull << 57)
/* The longest compute op of a trace, in nanoseconds (1000 s). */
#define TRACE_COMPUTE_MAX_NS 1000000000000ull
/* The most compute a whole trace may ask for, in nanoseconds (10^15: 11.6 days). The simulated
 * clock and time.compute_ps count picoseconds up to INT64_MAX (9.2 * 10^18, 106 days): a trace
 * within this limit leaves room for the rest of the run's time (faults, disk waits). */
#define TRACE_COMPUTE_TOTAL_MAX_NS 1000000000000000ull

/* Options of readers that need them (borrowed). */
struct trace_read_opts {
	uint64_t page_size;   /* bytes: pages and oracle page numbers -> addresses */
	int oracle_as_writes; /* oracleGeneral requests become writes (else reads) */
	int vmb_portable;     /* vmb: decode without BMI2 even where it is fast (tests compare) */
	int vmb_map_sync;     /* vmb: no mapahead helper thread for mapped files (tests compare) */
	int champsim_cloudsuite; /* champsim: 96-byte cloudsuite_instr records (else input_instr) */
	int champsim_no_ifetch;  /* champsim, lackey: no `x` access (instruction fetch) */
	uint64_t max_accesses;   /* lackey: stop after this many accesses, every task exiting
	                            (0: no limit) */
	int lackey_roi;          /* lackey: the initial process starts outside the region of
	                            interest (scripts/vmsim_roi.h) */
	int block_as_reads;      /* lis, trc, txt, csv: requests are reads (else writes) */
	uint32_t csv_obj_id_col; /* csv: 1-based column of the object id (0: 1) */
	uint32_t csv_op_col;     /* csv: 1-based column of the operation (0: none) */
	char csv_delimiter;      /* csv: the delimiter ('\0': ',') */
	int csv_has_header;      /* csv: the first line is a header */
	/* convert: stop at the next op, as a failure, once *stop is non-zero (a signal handler
	 * sets it; NULL: never) */
	const volatile int *stop;
};

struct trace_format {
	const char *name;       /* "vmt", "vmb", "pages", "lackey", "oracle" */
	const char *extensions; /* '|'-separated file name endings used to guess the format */
	/* Open a reader; on failure < 0 with err naming the file. */
	int (*open)(void **reader, const char *path, const struct trace_read_opts *opts,
	            struct err *err);
	/* The next op in file order: 1, 0 at the end, < 0 with err (naming line or offset). */
	int (*read)(void *reader, struct op *op, struct err *err);
	/* Optional (NULL: only read): up to max (>= 1) ops in file order into ops[], exactly the
	 * ops and errors that as many read() calls would give: the count (>= 1), 0 at the end,
	 * < 0 with err as read() sets it. An error met after some ops is held: those ops are
	 * returned, and this call and every later one return the error. A batch may end early
	 * (any time); it ends after any op that trace_source.c must check in full, so that
	 * where() (which names the batch's last op) names every op whose check can fail: every
	 * op but the last is an access (read, write, exec) with an address below TRACE_VA_LIMIT
	 * by the process of the op read just before it, and that op was a process op other
	 * than an exit (not a file declaration, an exit, or nothing). Names are borrowed until
	 * the next call (only the last op can carry one). One indirect call per batch. */
	int (*read_batch)(void *reader, struct op *ops, uint32_t max, struct err *err);
	/* Where the op last returned came from, for messages. */
	void (*where)(void *reader, char *buf, size_t len);
	void (*close)(void *reader);

	/* Writers (NULL for import-only formats). Ops come in file order. */
	int (*wopen)(void **writer, const char *path, const struct trace_read_opts *opts,
	             struct err *err);
	int (*write)(void *writer, const struct op *op, struct err *err);
	/* Flush and close; < 0 with err if the file could not be written. */
	int (*wclose)(void *writer, struct err *err);
};

extern const struct trace_format trace_format_pages, trace_format_vmt, trace_format_vmb,
    trace_format_lackey, trace_format_oracle, trace_format_champsim, trace_format_lis,
    trace_format_trc, trace_format_txt, trace_format_csv;

/* The format called name, or NULL. */
const struct trace_format *trace_format_find(const char *name);
/* Guess a format from a path's ending (".vmt", ".vmb", ".pages", ".lackey", ".oracleGeneral",
 * ".oracleGeneral.zst"), or NULL. A directory is taken as a lackey recording. */
const struct trace_format *trace_format_guess(const char *path);
/* the names of every format, for params and messages */
#define TRACE_FORMAT_CHOICES "pages|vmt|vmb|lackey|oracle|champsim|lis|trc|txt|csv"

/* Shared text helpers. */
/* Parse an unsigned number in decimal or 0x hex ending at a blank, NUL or '#'; advances *p.
 * 0 on success, -1 on garbage or overflow. */
int trace_parse_u64(const char **p, uint64_t *out);
/* The text of a prot value: "none", "r", "rw", "rx", "rwx", "w", "x", "wx". */
const char *trace_prot_name(unsigned prot);
/* Parse a prot token of letters r, w, x in that order, or "none"; -1 on garbage. */
int trace_parse_prot(const char *tok, size_t len);
/* The vmt word of madvise advice adv (1 <= adv < ADV_COUNT), and the advice of a word (0:
 * none). */
const char *trace_advice_name(unsigned adv);
/* OP_MEMPOLICY's modes, Linux's MPOL_* numbers: default, preferred, bind, interleave, local. */
#define MPOL_MODE_COUNT 5u
const char *trace_mpol_mode_name(unsigned mode);
unsigned trace_advice_find(const char *tok, size_t len);
/* The vmt word of errno e (EINVAL, ...), NULL for one vmt does not name; the errno of a word
 * (0: none). */
const char *trace_errno_name(unsigned e);
unsigned trace_errno_find(const char *tok, size_t len);
/* Append " = RESULT" of op (enum op_result_flags) to buf, which holds n bytes; returns the new
 * length. */
size_t trace_format_result(const struct op *op, char *buf, size_t n, size_t len);
/* Format op as one normal-form vmt line (no newline) into buf; returns its length. */
size_t trace_format_vmt_line(const struct op *op, char *buf, size_t len);

#endif
