/*
 * trace_pages.h — the `pages` trace format (see trace_pages.c).
 */
#ifndef VMSIM_WORKLOADS_TRACE_PAGES_H
#define VMSIM_WORKLOADS_TRACE_PAGES_H

#include <stdint.h>

#include "workloads/workload.h"

/* The anonymous region a pages trace writes into: [0, 2^47) bytes. */
#define PAGES_REGION_BYTES (1ull << 47)
/* The one process of a pages (or oracleGeneral) trace. */
#define PAGES_PID 1

/* The op that maps the region, read first by the pages, oracle, champsim and block imports. */
static inline void pages_region_mmap(struct op *op, uint8_t prot)
{
	*op = (struct op){
	    .kind = OP_MMAP, .pid = PAGES_PID, .addr = 0, .len = PAGES_REGION_BYTES, .prot = prot};
}

/* Parse one line in place: 1 with *page and *is_write set, 0 for a blank or comment line,
 * -1 for garbage. */
int pages_parse_line(char *line, uint64_t *page, int *is_write);

#endif
