/*
 * vmsim_roi.h — region-of-interest and request marks for programs recorded with
 * scripts/record-trace (docs/traces.md, "Recording a program").
 *
 *   #include "vmsim_roi.h"         (cc -I path/to/vmsim/scripts ...)
 *   vmsim_roi_start();             accesses are recorded from here ...
 *   vmsim_roi_stop();              ... to here (record-trace --roi starts with recording off)
 *   vmsim_mark_begin(id);          `PID mark begin ID` in the trace: vmsim run times the
 *   vmsim_mark_end(id);            request from its begin to its end (latency.request)
 *
 * Each call is a Valgrind client request (VALGRIND_PRINTF of a "vmsim: ..." line into the
 * lackey log, at its exact place among the accesses); the importer turns the lines into
 * operations. Outside valgrind, or built without <valgrind/valgrind.h>, the calls cost a few
 * instructions and do nothing. Only accesses are left out of the trace outside the region:
 * system calls (mmap, read, fork, ...) are always recorded, so that the address space stays
 * right. The region is per process (a child starts in its parent's state).
 */
#ifndef VMSIM_ROI_H
#define VMSIM_ROI_H

#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define VMSIM_ROI_PRINTF(...) VALGRIND_PRINTF(__VA_ARGS__)
#endif
#endif
#ifndef VMSIM_ROI_PRINTF
#define VMSIM_ROI_PRINTF(...) ((void)0)
#endif

static inline void vmsim_roi_start(void)
{
	VMSIM_ROI_PRINTF("vmsim: roi start\n");
}

static inline void vmsim_roi_stop(void)
{
	VMSIM_ROI_PRINTF("vmsim: roi stop\n");
}

static inline void vmsim_mark_begin(unsigned long long id)
{
	VMSIM_ROI_PRINTF("vmsim: mark begin %llu\n", id);
}

static inline void vmsim_mark_end(unsigned long long id)
{
	VMSIM_ROI_PRINTF("vmsim: mark end %llu\n", id);
}

#endif
