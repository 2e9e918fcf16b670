/*
 * reclaim.h — replacement scopes and watermark reclaim of the VM layer (reclaim.c).
 *
 * Scope. vm.scope = "global": one policy instance chooses victims among every process's pages.
 * "local": each address space has its own instance (its own virtual time: the references of
 * that process) and an allocation of vm.local_frames frames; a process at its allocation
 * replaces one of its own pages even while frames are free (the textbook local replacement).
 *
 * Watermarks. vm.reclaim = "watermark": when an allocation leaves fewer than the low watermark
 * free, vm->kswapd_wanted is set; the simulator then runs kswapd as an event
 * (vm_kswapd_evict_one until it returns false), costs each victim's swap write on the disk
 * without making any process wait, and frees the frame when the write completes
 * (vm_writeback_start / vm_writeback_complete). A fault that finds no free frame reclaims one
 * victim itself and waits for its write (direct reclaim), as in on-demand mode.
 *
 * Times here are simulated picoseconds handed in by the caller; nothing here takes time.
 */
#ifndef VMSIM_MODELS_VM_RECLAIM_H
#define VMSIM_MODELS_VM_RECLAIM_H

#include "models/vm/vm.h"

/*
 * kswapd's step: when free frames plus frames under writeback are below the high watermark,
 * evict one victim (w is cleared and receives its invalidations and swap write). *wb_pfn is
 * the frame left under writeback (pass it to vm_writeback_start with the write's completion
 * time) or PFN_NONE when it was freed at once. Returns false when there is nothing (more) to
 * do: the high watermark is reached or no victim can go.
 */
bool vm_kswapd_evict_one(struct vm *vm, struct fault_work *w, pfn_t *wb_pfn);
/* pfn (PG_WRITEBACK) becomes free at done_ps. */
void vm_writeback_start(struct vm *vm, pfn_t pfn, uint64_t done_ps);
/* Free every frame whose write completed by now_ps. Returns the earliest completion still
 * pending, UINT64_MAX when none is. */
uint64_t vm_writeback_complete(struct vm *vm, uint64_t now_ps);

#endif
