/*
 * mm_types.h — the data of the VM layer, named as Linux names it (include/linux/mm_types.h):
 * struct page (one per frame of memory.frames), struct vm_area_struct, struct mm_struct with
 * its page table, the reverse-map items that lead from a frame to the PTEs that map it, the
 * replacement scope that holds a policy instance, and a swap slot. The functions that change
 * them are in the files of models/vm (vm.h lists the public ones).
 */
#ifndef VMSIM_MODELS_VM_MM_TYPES_H
#define VMSIM_MODELS_VM_MM_TYPES_H

#include <stdbool.h>
#include <stdint.h>

#include "models/policy/policy.h"
#include "models/vm/pgtable.h"

/* struct page flags */
enum page_flags {
	PG_FREE = 1u << 0,  /* on the free list */
	PG_ANON = 1u << 1,  /* anonymous memory */
	PG_DIRTY = 1u << 2, /* content newer than its backing copy (PTE dirty bits moved here) */
	PG_SWAPCACHE = 1u << 3, /* in the swap cache: swap_slot holds a copy (clean unless dirty) */
	PG_LRU = 1u << 4,       /* tracked by the replacement policy (evictable) */
	PG_FILE = 1u << 8,      /* a page-cache page: mapping/index name it (see filemap.h) */
	PG_WRITEBACK =
	    1u << 5,          /* unmapped by kswapd, its swap write in flight: free at completion */
	PG_HUGE = 1u << 6,    /* head of a 2 MiB page (512 frames, pfn 512-aligned) */
	PG_TAIL = 1u << 7,    /* one of the 511 frames after a PG_HUGE head */
	PG_PGTABLE = 1u << 9, /* holds a page-table page (memory.page_tables_in_frames) */
	PG_LAZYFREE = 1u << 10,  /* MADV_FREE: reclaim drops it unless it was written since */
	PG_ZPOOL = 1u << 11,     /* holds compressed pages (zsmalloc.c: the zswap or zram pool) */
	PG_MLOCKED = 1u << 12,   /* mapped in a VM_LOCKED VMA: on the unevictable list (off the
	                            policy, never reclaimed; mlock.c) */
	PG_HINTED = 1u << 13,    /* vm.tiering.promotion tpp: took a hint fault on this node */
	PG_READAHEAD = 1u << 14, /* a page of the folio whose fault starts the next readahead
	                            window (vm.mmap_readahead = "linux"; fault-around skips it) */
	PG_FOLIO = 1u << 15,     /* a page of an anonymous mTHP folio that the policy holds as
	                            one unit under its head (the frame aligned down to 1 <<
	                            folio_order: PG_LRU there only; mthp.c) */
};

struct reclaim_scope;
struct vm;

struct page {
	uint32_t flags;     /* enum page_flags */
	uint32_t mapcount;  /* PTEs that map this frame */
	uint32_t rmap;      /* first reverse-map item (index into vm->rmap_pool), 0: none */
	uint32_t next_free; /* free-list link */
	uint32_t swap_slot; /* with PG_SWAPCACHE */
	uint16_t memcg;     /* the cgroup charged for it (memcontrol.c), 0: none */
	uint16_t zclass;    /* its compressibility class (zcomp.c), 0: the preset */
	uint64_t key;       /* stable identity for the policy (survives swap-out) */
	uint64_t ready_ps;  /* simulated time its disk read completes (set by the simulator);
	                       a fault that finds it earlier waits, fault-around skips it;
	                       PAGE_READY_PENDING | id: the read is queued on a device that
	                       decides its completion later (vm->io_wait learns it) */
	uint32_t mapping;   /* with PG_FILE: the file id (index into vm->fm.files) */
	uint8_t folio_order; /* with PG_FILE: its page-cache folio holds 1 << folio_order pages,
	                        aligned in the file (filemap.c); an anonymous page: the order
	                        of the mTHP folio it was allocated in (mthp.c) */
	uint64_t index;     /* with PG_FILE: page offset in the file */
	struct reclaim_scope *scope; /* the policy instance that holds it (with PG_LRU) */
	uint64_t hint_ps;            /* vm.tiering.promotion: when the scanner last hinted it */
};

/*
 * A replacement scope: one policy instance and what it holds. Global scope: one for the
 * machine (vm->scope). Local scope: one per address space (mm->scope), plus vm->scope for
 * pages whose owner exited while others still use them (see vmscan.c).
 */
struct reclaim_scope {
	void *policy;          /* the policy instance */
	struct policy_env env; /* its environment (env.vm points back at this scope) */
	struct vm *vm;
	struct mm_struct *mm;  /* the owning address space, NULL for vm->scope */
	uint64_t vtime;        /* references made by mm (local scope's virtual time) */
	uint64_t nr_frames;    /* frames of the pages the policy holds (512 per huge page) */
	uint64_t limit_frames; /* local allocation (vm.local_frames); UINT64_MAX: none */
};

/* One PTE that maps a frame: what try_to_unmap must visit. */
struct rmap_item {
	struct mm_struct *mm;
	uint64_t vaddr;
	uint32_t next;    /* next item of the same frame, 0: end */
	uint32_t subpage; /* 1: a 4 KiB PTE of one frame of a 2 MiB page that is still whole
	                     (its PMD split in this address space only); 0: a PTE, or the PMD of
	                     a 2 MiB page under its head frame */
};

enum vma_flags {
	VM_READ = 1u << 0,
	VM_WRITE = 1u << 1,
	VM_EXEC = 1u << 2,
	VM_SHARED = 1u << 3,
	VM_HUGEPAGE = 1u << 4,   /* MAP_HUGE / madvise(MADV_HUGEPAGE): 2 MiB pages wanted */
	VM_NOHUGEPAGE = 1u << 5, /* madvise(MADV_NOHUGEPAGE): never 2 MiB pages */
	VM_RAND_READ = 1u << 6,  /* MADV_RANDOM: no readahead */
	VM_SEQ_READ = 1u << 7,   /* MADV_SEQUENTIAL: every miss reads ahead */
	VM_DONTCOPY = 1u << 8,   /* MADV_DONTFORK: fork does not copy the VMA */
	VM_WIPEONFORK = 1u << 9, /* MADV_WIPEONFORK: the child gets the VMA empty (zeros) */
	VM_GROWSDOWN = 1u << 10, /* a stack: mmap keeps stack_guard_gap free below it */
	VM_LOCKED = 1u << 11,    /* mlock, mlockall: its pages are mlocked (unevictable) */
	VM_LOCKONFAULT = 1u << 12, /* with VM_LOCKED: MLOCK_ONFAULT / MCL_ONFAULT (no populate) */
	VM_NO_MAP_PAGES = 1u << 16, /* a SysV shm attachment: shm_vm_ops has no map_pages, so
	                               its read faults get no fault-around */
};

/* A NUMA memory policy (set_mempolicy, mbind; mm/mempolicy.c): Linux's modes and numbers. */
enum mpol_mode {
	MPOL_DEFAULT = 0,    /* a VMA: the process's policy; a process: local */
	MPOL_PREFERRED = 1,  /* the first node of nodes, then the others by distance */
	MPOL_BIND = 2,       /* only nodes, the nearest first */
	MPOL_INTERLEAVE = 3, /* pages round robin over nodes (then the others by distance) */
	MPOL_LOCAL = 4,      /* the allocating CPU's node, then the others by distance */
	MPOL_NR_MODES
};
struct mempolicy {
	uint8_t mode;   /* enum mpol_mode */
	uint16_t nodes; /* node mask (bit i: memory.nodes[i]) */
};

struct vm_area_struct {
	uint64_t vm_start, vm_end; /* [start, end), page aligned */
	struct mempolicy vm_policy; /* mbind; MPOL_DEFAULT: the process's */
	uint32_t vm_flags;         /* enum vma_flags */
	uint32_t vm_file;          /* file id + 1 of a file mapping; 0: anonymous */
	uint64_t vm_pgoff;         /* file page mapped at vm_start (file mappings) */
	uint64_t vm_ra_next;       /* readahead state: the file page that would continue the
	                              last miss read of this VMA sequentially (UINT64_MAX: none) */
};

/* linear_page_index: the file page a file VMA maps at vaddr. */
static inline uint64_t vma_file_index(const struct vm_area_struct *v, uint64_t vaddr)
{
	return v->vm_pgoff + ((vaddr - v->vm_start) >> PTE_SHIFT);
}

struct mm_struct {
	uint32_t pid;  /* the owning process (for keys and reports) */
	uint32_t asid; /* address-space id for the TLB */
	struct pgtable pgd;
	struct vm_area_struct *vmas; /* sorted, non-overlapping */
	uint32_t nr_vmas, cap_vmas;
	uint32_t last_vma;                   /* find_vma cache */
	uint64_t rss_pages;                  /* frames mapped (zero page not counted) */
	uint64_t swap_ents;                  /* swap entries in the page table */
	uint64_t cpu_mask;                   /* CPUs that may hold TLB entries of this mm */
	uint16_t memcg;                      /* the cgroup its pages are charged to, 0: none */
	uint16_t zclass;                     /* the compressibility class of its pages */
	struct mempolicy mempolicy;          /* set_mempolicy (inherited by fork, kept by exec) */
	uint32_t il_next;                    /* MPOL_INTERLEAVE: the process's next turn */
	uint64_t start_brk, brk; /* the heap: [start_brk, PAGE_ALIGN(brk)) (mmap.c's vm_brk);
	                            start_brk 0: not set up (exec sets it, else the first brk) */
	uint32_t def_flags;                  /* VMA flags of every new mapping (mlockall's
	                                        MCL_FUTURE: VM_LOCKED, VM_LOCKONFAULT) */
	bool mlock_seen;                     /* a VMA of it was ever VM_LOCKED: rmap_add looks
	                                        for the VMA of a new mapping (mlock.c) */
	uint64_t numa_scan_offset;           /* task_numa_work's cursor (an address) */
	struct reclaim_scope scope;          /* local scope only: this process's policy instance */
	struct mm_struct *mm_prev, *mm_next; /* vm->mm_list: every live address space */
};

struct writeback_ent {
	pfn_t pfn;
	uint64_t done_ps;
};

/* One swap slot: what swap_map, the swap cache and the policy key of a swapped page were as
 * three arrays, as one struct so a major fault touches one cache line. */
struct swap_slot {
	uint64_t key;        /* the policy key of the page swapped out to the slot */
	uint32_t map;        /* PTEs holding the slot (swap_map) */
	uint32_t cache_pfn1; /* 1 + the frame caching the slot (swap cache), 0: none; biased so
	                      * that the array starts zeroed (calloc: not touched until used) */
};

/* The stable identity of the anonymous page at vaddr in mm, as the policies see it (kept
 * across swap-out; a forked child's copies keep the parent's). */
static inline uint64_t page_key(const struct mm_struct *mm, uint64_t vaddr)
{
	return ((uint64_t)mm->pid << 45) ^ (vaddr >> PTE_SHIFT);
}

#endif
