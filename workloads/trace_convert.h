/*
 * trace_convert.h — `vmsim trace convert` and `vmsim trace info` as library functions (the
 * command line, sim/cli/trace_cli.c, and the tests call them): read any trace format, write
 * vmt, vmb or pages, or count what a trace holds.
 */
#ifndef VMSIM_WORKLOADS_TRACE_CONVERT_H
#define VMSIM_WORKLOADS_TRACE_CONVERT_H

#include <stdint.h>

#include "workloads/trace_format.h"

/* What `trace info` reports. */
struct trace_info {
	uint64_t ops_by_kind[OP_KIND_COUNT]; /* indexed by enum op_kind (OP_FILE: declarations) */
	uint64_t nr_ops;                     /* all operations, file declarations included */
	uint64_t nr_accesses;                /* r + w + x */
	uint32_t nr_processes;               /* distinct pids */
	uint64_t pages_touched;              /* distinct virtual pages accessed, all processes */
	uint64_t process_pages_touched;      /* distinct (pid, virtual page) pairs accessed */
	uint64_t footprint_bytes;            /* pages_touched * page_size */
	uint64_t compute_ns;                 /* sum of compute operations */
	uint64_t page_size;                  /* bytes */
};

/* Read the whole trace at path (format fmt, NULL: guessed) and fill *info. < 0 with err on
 * bad input (the message names the line or byte offset). */
int trace_info_compute(const char *path, const struct trace_format *fmt,
                       const struct trace_read_opts *opts, struct trace_info *info,
                       struct err *err);

/* Convert in (format from, NULL: guessed) to out (format to, NULL: guessed), validating every
 * operation. out is written to a temporary name in its folder and renamed over out only on
 * success, so a failure (bad input, a full disk, *opts->stop) leaves whatever was at out as it
 * was and no partial trace. Refused before anything is read or written: out the same file as
 * in (compared by inode, so a link or symlink is caught) and an out that exists but is not a
 * regular file. Returns < 0 with err (-VMSIM_EINVAL bad input, -VMSIM_EIO host I/O or stopped:
 * the message says "interrupted"). */
int trace_convert(const char *in, const struct trace_format *from, const char *out,
                  const struct trace_format *to, const struct trace_read_opts *opts,
                  struct err *err);

#endif
