/*
 * vm.h — the VM policy layer: physical frames and their descriptors (struct page), address
 * spaces (struct mm_struct with VMAs and a page table), reverse mappings, the swap area and
 * swap cache, fault handling and reclaim, with Linux semantics (../shared/DESIGN.md):
 *
 *  - anonymous private memory is demand-zero; a first read maps the shared zero page read-only,
 *    and a later write breaks it into a private zeroed frame (counted as a COW fault without a
 *    copy);
 *  - fork copies VMAs and the present anonymous PTEs, write-protecting both sides; a write to a
 *    shared frame copies it (faults.cow + faults.cow_copies), a write to a frame with one mapper
 *    reuses it (faults.cow only);
 *  - reclaim asks the replacement policy for a victim, unmaps it from every PTE through rmap
 *    (TLB invalidations reported to the caller), and swaps anonymous pages out; a page that
 *    comes back from swap stays in the swap cache with its slot, so a clean one can be dropped
 *    again without a write, and pages shared after fork stay single in memory and on swap.
 *
 * This layer is functional: it reports the work a fault did (frames zeroed or copied, disk
 * reads and writes, TLB invalidations) in struct fault_work; the machine model
 * (models/machine) costs that work with the hardware models. It never takes simulated time
 * itself, and the engine changes its state only through the functions below.
 *
 *  - file mappings go through a page cache shared by every process (filemap.h, filemap.c):
 *    a fault on a cached page is minor (faults.file) with fault-around, a miss reads from the
 *    file device (major, faults.file_major) with readahead on sequential misses; MAP_SHARED
 *    writes dirty the page-cache page (written back by reclaim or msync), MAP_PRIVATE writes
 *    COW into an anonymous page; fork copies no page-cache PTEs; clean file pages are dropped
 *    by reclaim, dirty ones written back first;
 *  - exec builds a new address space from a program image of the config (exec.c).
 *
 * The layer is cut as Linux cuts mm/ (vm.c lists the files); this header is its interface to
 * the engine, internal.h the one between its files. Reclaim scopes, watermarks and background
 * reclaim are in vmscan.c, 2 MiB transparent huge pages in huge_memory.c. docs/vm.md lists
 * every departure from Linux.
 */
#ifndef VMSIM_MODELS_VM_VM_H
#define VMSIM_MODELS_VM_VM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "models/policy/policy.h"
#include "models/vm/filemap.h"
#include "models/vm/memcontrol.h"
#include "models/vm/mm_types.h"
#include "models/vm/pgtable.h"
#include "models/vm/zcomp.h"
#include "sim/base/access.h"
#include "sim/base/stats.h"
#include "sim/base/util.h"

/* What one access or fault did; the simulator costs it. */
enum access_status {
	ACCESS_HIT,   /* translated without a fault */
	ACCESS_FAULT, /* a fault was handled; the access then completed */
	ACCESS_SEGV,  /* outside any VMA, against its protection, or beyond the end of a mapped
	                 file: the process is killed (fault_work.signal says which) */
	ACCESS_OOM,   /* no frame could be found: the process is killed */
};

enum fault_kind_bits {
	FK_DEMAND_ZERO = 1u << 0,
	FK_ZERO_PAGE = 1u << 1,
	FK_COW = 1u << 2,
	FK_COW_COPY = 1u << 3,
	FK_SWAP_IN = 1u << 4,      /* major: read from the swap device */
	FK_SWAPCACHE = 1u << 5,    /* minor: the page was still in the swap cache */
	FK_FILE = 1u << 6,         /* minor: the file page was found in the page cache */
	FK_FILE_READ = 1u << 7,    /* major: the file page was read from the file device */
	FK_THP = 1u << 8,          /* a 2 MiB page was allocated and mapped (faults.thp) */
	FK_THP_FALLBACK = 1u << 9, /* a 2 MiB page was wanted, none free: 4 KiB instead */
};

enum io_device {
	IO_DEV_SWAP = 0, /* disks_swap() */
	IO_DEV_FILE = 1, /* disks_file(): page-cache reads, readahead and writeback */
};

#define FAULT_MAX_IO 8
struct io_req {
	uint8_t is_write;
	uint8_t device; /* enum io_device */
	uint64_t offset_bytes;
	uint64_t size_bytes;
};

/* The signal of an access that failed (ACCESS_SEGV), with its si_code as Linux sends it. */
enum fault_signal {
	VM_SIG_NONE = 0,
	VM_SIG_SEGV_MAPERR, /* SIGSEGV, SEGV_MAPERR: no VMA at the address */
	VM_SIG_SEGV_ACCERR, /* SIGSEGV, SEGV_ACCERR: the VMA's protection forbids the access */
	VM_SIG_BUS_ADRERR,  /* SIGBUS, BUS_ADRERR: a file mapping's page beyond the end of the file
	                     */
};

#define FAULT_MAX_READ_PFNS 64
#define FAULT_MAX_MIGRATE 8
struct fault_work {
	uint32_t kinds;         /* enum fault_kind_bits */
	uint64_t wait_until_ps; /* the page found is still being read: wait until then */
	uint32_t nr_read_pfns;  /* frames this fault started reading (swap-in, file, readahead) */
	bool major;             /* must wait for a disk read */
	uint32_t pfn;           /* the frame the access reached (PFN_NONE for the zero page) */
	uint32_t zero_fills;    /* frames zeroed */
	uint32_t copies;        /* frames copied (from copy_src_pfn to pfn) */
	uint32_t copy_src_pfn;
	uint32_t nr_io;              /* disk requests, reads (to wait for) and writes */
	uint32_t evictions;          /* victims reclaimed to make room */
	uint32_t tlb_invalidations;  /* PTEs unmapped or write-protected that a TLB may cache */
	uint32_t shootdown_cpus;     /* remote CPUs that had to be interrupted */
	uint32_t nr_inval;           /* entries of inval[] */
	bool inval_overflow;         /* more than fit: the caller flushes the asids involved */
	uint64_t ptes_copied;        /* fork: page-table entries copied */
	uint32_t readahead_pages;    /* pages read into the page cache beyond the faulting one */
	uint32_t fault_around_pages; /* neighbouring cached pages mapped by do_fault_around */
	uint8_t signal;              /* enum fault_signal (with ACCESS_SEGV) */
	uint64_t zcomp_ps;    /* CPU time compressing and decompressing pages (zswap, zram) */
	uint64_t throttle_ps; /* memory.high: the allocating task sleeps this long after the fault */
	bool memstall;        /* reclaim, a swap-in or a throttle: the fault counts as a memory
	                         stall (PSI) */
	uint32_t wb_pages;    /* pages of background writeback this work started (vm_io_done
	                         learns when they are written) */
	bool dirty_throttled; /* write(2) over vm.dirty_ratio: the writer waits for its writes */
	uint32_t nr_migrations; /* pages copied between nodes (vm.tiering); the first
	                           FAULT_MAX_MIGRATE are in migrate[] (the rest cost as the last) */
	/* The arrays come last: fault_work_reset leaves them alone (only their first nr_*
	 * entries are ever read), so starting a fault does not clear ~600 bytes. */
	uint32_t read_pfns[FAULT_MAX_READ_PFNS]; /* the first FAULT_MAX_READ_PFNS of them */
	struct io_req io[FAULT_MAX_IO];
	/* invalidated translations, for the TLB model: (asid, vaddr) */
	struct {
		uint32_t asid;
		uint64_t vaddr;
	} inval[FAULT_MAX_IO];
	struct {
		uint32_t src_pfn, dst_pfn;
	} migrate[FAULT_MAX_MIGRATE];
};

/* Empty w: every count and flag zero (the arrays' contents are dead past their counts). */
static inline void fault_work_reset(struct fault_work *w)
{
	memset(w, 0, offsetof(struct fault_work, read_pfns));
}

/* A program image (config images.NAME, docs/config.md), parsed once at setup (exec.c). */
struct vm_image {
	const char *name;         /* borrowed, like the whole struct, for the VM's lifetime */
	uint64_t text_pages;      /* file "<name>.text", private r-x, at text_base */
	uint64_t data_pages;      /* file "<name>.data", private rw, after the text... */
	uint64_t data_tail_bytes; /* ...and this much of one more page (padzero clears the rest) */
	uint64_t bss_pages;       /* anonymous, after the data */
	uint64_t heap_pages;      /* anonymous, after the bss */
	uint64_t stack_pages;     /* anonymous, below stack_top */
	uint64_t text_base, lib_base, stack_top; /* addresses (bytes) */
	const char *const *libs; /* names of images or of declared files, mapped from lib_base */
	const int *lib_image;    /* libs[i]'s index among the images, -1: a file */
	uint32_t nr_libs;
};

#define VM_MAX_NODES 16 /* NUMA_MAX_NODES of models/hw/numa.h */
/* Anonymous mTHP folio orders (of 4 KiB pages): 16 KiB (Linux has no order-1 anonymous
 * folios) to 1 MiB; order 9 (2 MiB) is vm.thp's PMD page. */
#define MTHP_MIN_ORDER 2
#define MTHP_MAX_ORDER 8

struct vm_config {
	uint64_t nr_frames;
	uint64_t page_size;
	uint64_t swap_pages;
	int pt_levels;
	bool page_tables_in_frames; /* page-table pages take frames of nr_frames */
	bool zero_page;
	bool thp_zero_page; /* vm.thp_zero_page: THP read faults map the huge zero page */
	uint32_t fault_around_pages; /* vm.fault_around_pages (0 or 1: off) */
	uint32_t readahead_pages;    /* vm.readahead_pages (0: off) */
	bool mmap_ra_linux; /* vm.mmap_readahead = "linux": read-around, async readahead, orders */
	uint32_t dirty_background_ratio; /* vm.dirty_background_ratio: % of dirtyable memory */
	uint32_t dirty_ratio;            /* vm.dirty_ratio: % of dirtyable memory */
	uint32_t file_folio_pages;   /* vm.file_folio_pages: page-cache folio size (0, 1: 4 KiB) */
	uint32_t file_folio_max_pages; /* vm.file_folio_max_pages: write(2)'s largest folio */
	const struct policy_ops *policy;
	const json_t *policy_params; /* resolved vm.policy_params (borrowed) */
	uint64_t seed;
	bool local_scope;      /* vm.scope = "local" */
	uint64_t local_frames; /* per-process allocation with local scope */
	bool watermark;        /* vm.reclaim = "watermark" */
	uint64_t wmark_low_frames, wmark_high_frames;
	int thp;                       /* enum thp_mode */
	/* vm.mthp: enum mthp_mode of each anonymous folio order (index: order, 4 KiB pages;
	 * MTHP_MIN_ORDER..MTHP_MAX_ORDER used); mthp_orders: the orders not "never" (a mask) */
	uint8_t mthp[MTHP_MAX_ORDER + 1];
	uint32_t mthp_orders;
	const struct vm_image *images; /* exec's program images (borrowed) */
	uint32_t nr_images;
	const struct memcg_config *memcgs; /* cgroups (borrowed); group ids are 1 + the index */
	uint32_t nr_memcgs;
	const struct zcomp_class *zclasses; /* compressibility per class (1 + workload index) */
	uint32_t nr_zclasses;
	struct zswap_config zswap;
	struct zram_config zram;
	/* memory.nodes (0: not given): the nodes' frames, in order from frame 0, and names */
	uint32_t nr_nodes;
	uint64_t node_frames[VM_MAX_NODES];
	char node_name[VM_MAX_NODES][32];
	uint8_t cpu_node[256];                          /* the node of each CPU */
	uint8_t node_order[VM_MAX_NODES][VM_MAX_NODES]; /* from each node, all by distance */
	/* vm.tiering (migrate.c): demotion in reclaim; from each node, the nodes of the lower
	 * tiers that take its demoted pages, the preferred (next tier, nearest) first */
	bool tier_demotion;
	uint8_t node_tier[VM_MAX_NODES]; /* 0: the top tier (numa_tier_ranks) */
	uint8_t node_nr_demote[VM_MAX_NODES];
	uint8_t node_demote[VM_MAX_NODES][VM_MAX_NODES];
	/* vm.tiering.promotion (migrate.c): NUMA hint faults and promotion */
	uint8_t tier_promotion;          /* enum tier_promotion */
	uint64_t numa_scan_pages;        /* scan_size_mb in pages */
	uint64_t hot_threshold_ps;       /* linux: a hint fault this soon after the scan is hot */
	uint64_t promo_rate_limit_pages; /* promotions in any second, at most */
	uint64_t tpp_headroom_frames[VM_MAX_NODES]; /* tpp: the top tier's demotion headroom */
};

/* vm.tiering.promotion */
enum tier_promotion { PROMOTE_NONE, PROMOTE_LINUX, PROMOTE_TPP, PROMOTE_ORACLE };

/* vm.thp */
enum thp_mode { THP_NEVER, THP_MADVISE, THP_ALWAYS };
/* vm.mthp.<N>kB (mthp.c) */
enum mthp_mode { MTHP_NEVER, MTHP_ALWAYS, MTHP_MADVISE, MTHP_INHERIT };

struct vm_stats {
	uint64_t faults_demand_zero, faults_zero_page, faults_cow, faults_cow_copies;
	uint64_t faults_swap_in, faults_swapcache;
	uint64_t evictions, swap_out, swap_out_clean_drops, writeback;
	uint64_t frames_used_max;
	/* file-backed memory (filemap.c) */
	uint64_t faults_file, faults_file_major; /* page-cache hits / reads from the file device */
	uint64_t readahead_pages, fault_around_pages;
	uint64_t file_drops;      /* clean page-cache pages dropped by reclaim */
	uint64_t msync_writeback; /* pages written by msync (reclaim's are in writeback) */
	uint64_t pagecache_pages_max;
	uint64_t kswapd_wakeups, kswapd_evictions, direct_evictions;
	uint64_t page_table_pages, page_table_pages_max, page_table_overflow;
	uint64_t page_table_overflow_now; /* page-table pages above memory.frames now */
	uint64_t faults_huge_zero_page; /* read faults that mapped the huge zero page */
	uint64_t faults_thp, thp_fallback, thp_splits, thp_pages_max;
	uint64_t thp_split_pmds; /* PMDs split in one address space (__split_huge_pmd) */
	/* vm.mthp per order (Linux's hugepages-<N>kB/stats): folios a fault allocated, and
	 * allocations that failed (no free aligned run) so the fault tried the next order */
	uint64_t mthp_anon_fault_alloc[MTHP_MAX_ORDER + 1];
	uint64_t mthp_anon_fault_fallback[MTHP_MAX_ORDER + 1];
	/* folios reclaim swapped out whole; that it split because no aligned run of free
	 * slots was left (swpout_fallback); folios split (reclaim, partial unmap, mlock) */
	uint64_t mthp_swpout[MTHP_MAX_ORDER + 1];
	uint64_t mthp_swpout_fallback[MTHP_MAX_ORDER + 1];
	uint64_t mthp_split[MTHP_MAX_ORDER + 1];
	/* folio charges to a cgroup that failed at memory.max (the fault tried the next order) */
	uint64_t mthp_anon_fault_fallback_charge[MTHP_MAX_ORDER + 1];
	uint64_t lazyfree_drops; /* MADV_FREE pages reclaimed without a write */
	/* read(2) and write(2) (filemap.c, page_writeback.c, truncate.c) */
	uint64_t rw_read_pages, rw_write_pages;        /* page-cache pages copied to / from users */
	uint64_t writeback_background, writeback_sync; /* pages: the flusher's / fsync's */
	uint64_t dirty_throttled; /* write(2) calls that waited in balance_dirty_pages */
	uint64_t truncated_pages; /* page-cache pages removed by ftruncate and hole punching */
	uint64_t direct_io_pages; /* pages read or written with O_DIRECT */
	/* mlock.c: pages put on / taken off the unevictable list (vmstat's
	 * unevictable_pgs_mlocked, unevictable_pgs_munlocked), and the most mlocked at once */
	uint64_t pgs_mlocked, pgs_munlocked, mlocked_pages_max;
	/* vm.tiering (migrate.c) */
	uint64_t demotions;          /* pages moved to a lower tier by reclaim */
	uint64_t migration_failures; /* demotions that found no frame on a lower tier */
	uint64_t migrated_pages;     /* pages copied between nodes (demoted or promoted) */
	uint64_t hint_faults;        /* NUMA hint faults */
	uint64_t promotions;         /* pages moved to the top tier by hint faults */
	uint64_t promotion_rate_limited; /* hot pages not promoted: the rate limit */
	uint64_t promotion_failures;     /* hot pages not promoted: no room on the top tier */
};

struct vm {
	struct vm_config cfg;
	uint64_t rss_pages_total; /* the sum of every mm's rss_pages (for sampling in O(1)) */
	struct page *pages; /* nr_frames descriptors */
	uint32_t free_head; /* first free frame, PFN_NONE: none */
	uint64_t nr_free;
	/* memory.nodes: each node's end (a frame number), frames in use now and at most */
	uint64_t node_end_pfn[VM_MAX_NODES];
	uint32_t node_free_head[VM_MAX_NODES]; /* the free list of each node (free_head unused) */
	uint64_t node_nr_free[VM_MAX_NODES];
	struct mm_struct *alloc_mm;            /* the allocation's process (NULL: none) */
	const struct vm_area_struct *alloc_vma; /* a fault's VMA and page (mbind's policy) */
	uint64_t alloc_addr;
	uint32_t alloc_node;                   /* the node mpol_take_frame wanted first */
	uint32_t cur_cpu;                      /* vm_set_cpu's (VM_NO_CPU: none) */
	uint64_t node_used_max[VM_MAX_NODES];
	/* vm.tiering: one replacement scope per node (Linux's per-node LRUs; [0] is &scope),
	 * the nodes' watermarks (memory.frames' scaled to the node) and frames under writeback */
	bool tiering;
	struct reclaim_scope *node_scope[VM_MAX_NODES];
	uint64_t node_wmark_low[VM_MAX_NODES], node_wmark_high[VM_MAX_NODES];
	uint64_t node_nr_writeback[VM_MAX_NODES];
	/* vm.tiering.promotion: the times of the last promotions (at most the rate limit's
	 * pages; a ring once full, promo_head its oldest) */
	uint64_t *promo_times;
	uint64_t promo_nr, promo_cap, promo_head;
	uint64_t node_promo_min[VM_MAX_NODES]; /* promotion needs more free frames than this */
	struct pt_arena pt_arena; /* host memory of every page table */
	struct rmap_item *rmap_pool;
	uint32_t rmap_cap, rmap_free; /* free list through .next; item 0 is never used */
	struct swap_slot *swap;       /* swap_pages slots (one miss per slot on a major fault) */
	uint8_t *swap_used;
	uint64_t swap_cursor, nr_swap_used;
	uint64_t swap_high;         /* 1 + the highest slot ever allocated */
	struct reclaim_scope scope; /* global scope; with local scope, the orphans' scope */
	struct mm_struct *mm_list;  /* live address spaces, oldest first */
	struct mm_struct *mm_tail;  /* the newest of them (append in O(1)) */
	uint64_t vtime;             /* references so far (policy virtual time) */
	/* watermark reclaim (vmscan.c) */
	bool kswapd_wanted;       /* free frames fell below the low watermark: wake kswapd */
	uint64_t nr_writeback;    /* frames under writeback (PG_WRITEBACK) */
	struct writeback_ent *wb; /* their completion times */
	uint32_t nr_wb, cap_wb;
	uint64_t thp_pages;     /* 2 MiB pages in use */
	uint64_t next_pt_paddr; /* simulated physical address of the next page-table page */
	uint32_t next_asid;
	struct vm_stats st;
	struct filemap fm;      /* files and the page cache (filemap.h) */
	struct fault_work *cur; /* the work record of the fault being handled */
	uint64_t cur_cpu_mask;  /* the CPU running the current operation (vm_set_cpu) */
	pfn_t fault_pinned;     /* a page the running fault holds (not evictable), or PFN_NONE */
	uint64_t now_ps;        /* the time of the running fault (vm_access_fault; compared with
	                           pages' ready_ps) */
	uint64_t fault_pinned_next_use;
	/* A page's read is queued (ready_ps has PAGE_READY_PENDING): the engine drives the device
	 * until it completes, stamps the pages, and returns the completion. */
	uint64_t (*io_wait)(void *ctx, uint64_t marker);
	void *io_wait_ctx;
	struct mem_cgroup *memcgs; /* cgroups, [1..nr_memcgs] (memcontrol.c); NULL: none */
	uint32_t nr_memcgs;
	uint16_t *swap_memcg;   /* with cgroups: the group charged for each swap slot, 0: none */
	struct zcomp_state *zc; /* zswap or zram (zcomp.h), NULL: neither */
	bool page_scopes;       /* local scope or cgroups: a page's policy instance is its
	                           scope's, not always vm->scope's */
	bool offload;           /* cgroups or zswap/zram: alloc_frame's longer path */
	uint64_t nr_mlocked;    /* frames of PG_MLOCKED pages (/proc/meminfo's Mlocked and
	                           Unevictable: the unevictable list holds only them) */
};

/* Set up from cfg (copied; what it points to is borrowed for the VM's lifetime), the files of
 * the program images declared. Returns 0, or < 0 with err filled when the policy rejects its
 * parameters. */
int vm_init(struct vm *vm, const struct vm_config *cfg, struct err *err);
void vm_fini(struct vm *vm);
/* Write the layer's counters: faults.{demand_zero,zero_page,cow,cow_copies,file,file_major,
 * swap_in,swapcache,thp,thp_fallback,huge_zero_page}, reclaim.*, readahead.pages, pagecache.*, memory.*,
 * swap.slots_used. (faults.total, minor and major are the engine's: it counts them with the
 * processes that took them.) */
void vm_report(const struct vm *vm, struct statsout *o);

/* memory.nodes: set_mempolicy(mode, nodes) for mm, or mbind over [addr, addr + len) (a mapped
 * range: the VMAs split at its ends take the policy). mode is enum mpol_mode, nodes a mask of
 * memory.nodes' indices (empty for default and local, else not). 0, or -1 as Linux's -EINVAL
 * (also without memory.nodes), nothing changed. */
int vm_set_mempolicy(struct vm *vm, struct mm_struct *mm, unsigned mode, uint64_t nodes);
int vm_mbind(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len, unsigned mode,
             uint64_t nodes);

/* The engine runs the next operations on cpu (VM_NO_CPU: on none, as kswapd): a TLB entry of
 * an address space that another CPU may hold costs a shootdown of that CPU. */
#define VM_NO_CPU UINT32_MAX
static inline void vm_set_cpu(struct vm *vm, uint32_t cpu)
{
	vm->cur_cpu_mask = cpu == VM_NO_CPU ? 0 : 1ull << (cpu & 63);
	vm->cur_cpu = cpu;
}
/* mm runs on cpu: its TLB entries may be there until the address space dies (mm_cpumask). */
static inline void vm_mm_set_cpu(struct mm_struct *mm, uint32_t cpu)
{
	mm->cpu_mask |= 1ull << (cpu & 63);
}
/* The disk reads that the fault w started complete at done_ps: their pages are ready then (a
 * fault that finds one earlier waits for it; fault-around skips it). */
void vm_io_done(struct vm *vm, const struct fault_work *w, uint64_t done_ps);
/* A page's ready_ps while its read is queued on a device that decides its completion when it
 * dispatches it (an HDD with NCQ): this bit and the requests' id. */
#define PAGE_READY_PENDING (1ull << 63)
/* The reads of w are queued: their pages carry marker until vm_io_complete. */
void vm_io_pending(struct vm *vm, const struct fault_work *w, uint64_t marker);
/* Queued reads (marker) completed at done_ps: the pages that still carry the marker are ready
 * then; wb_pages of background writeback were written then. */
void vm_io_complete(struct vm *vm, const uint32_t *pfns, uint32_t nr, uint32_t wb_pages,
                    uint64_t marker, uint64_t done_ps);
/* Did an allocation leave fewer free frames than the low watermark (vm.reclaim = "watermark")?
 * Then the engine wakes kswapd (vm_kswapd_wake), which runs vm_kswapd_evict_one. */
static inline bool vm_kswapd_wanted(const struct vm *vm)
{
	return vm->kswapd_wanted;
}
/* The engine takes the wake-up; running: kswapd is already scheduled (the wake-up is absorbed),
 * else one more reclaim.kswapd_wakeups. */
void vm_kswapd_wake(struct vm *vm, bool running);

/* The cgroup called name (an id for vm_mm_set_group), or 0 when there is none. */
uint16_t vm_memcg_find(const struct vm *vm, const char *name);
/* mm's pages are charged to group memcg (0: the root) and compress as class zclass (0: the
 * algorithm's preset). The engine sets it on every address space of a workload's processes. */
static inline void vm_mm_set_group(struct mm_struct *mm, uint16_t memcg, uint16_t zclass)
{
	mm->memcg = memcg;
	mm->zclass = zclass;
}
/* memory.reclaim: reclaim up to nr_pages from group memcg (0: the root, the whole machine as
 * global reclaim would; w receives the work). Returns the pages reclaimed. */
uint64_t vm_memory_reclaim(struct vm *vm, uint16_t memcg, uint64_t nr_pages,
                           struct fault_work *w);
/* Set group memcg's memory.high (a controller's write); MEMCG_NO_LIMIT: none. */
void vm_memcg_set_high(struct vm *vm, uint16_t memcg, uint64_t high_pages);

/* A new, empty address space for process pid. */
struct mm_struct *vm_mm_create(struct vm *vm, uint32_t pid);
/* Release every page and table of mm and free it (exit). */
void vm_mm_destroy(struct vm *vm, struct mm_struct *mm, struct fault_work *w);

/* What an address space holds, in 4 KiB pages, as /proc/PID/status, smaps and pagemap report
 * it (task_mmu.c says what each figure counts): per VMA and in total. */
struct mm_footprint {
	uint64_t mapped_pages, anon_pages, file_pages, zero_pages, thp_pages, large_folio_pages;
	uint64_t mlocked_pages, locked_vm_pages, swap_pages;
};
struct vma_footprint {
	uint64_t start, end; /* the VMA: [start, end) */
	uint32_t vm_flags;
	struct mm_footprint f;
};
struct mm_footprint_report {
	struct mm_footprint total;
	uint32_t nr_vmas;
	struct vma_footprint *vmas; /* in address order (free with vm_mm_footprint_free) */
};
void vm_mm_footprint(const struct vm *vm, struct mm_struct *mm, struct mm_footprint_report *r);
void vm_mm_footprint_free(struct mm_footprint_report *r);
/* fork: a copy of parent for child_pid (dup_mmap). */
struct mm_struct *vm_fork(struct vm *vm, struct mm_struct *parent, uint32_t child_pid,
                          struct fault_work *w);

/* mmap of anonymous memory at a fixed address (replacing what was there). prot: VM_READ|.. */
int vm_mmap_anon(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                 uint32_t vm_flags, struct fault_work *w);
int vm_munmap(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
              struct fault_work *w);
int vm_mprotect(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len, uint32_t prot,
                struct fault_work *w);

/* mremap (mremap.c). flags: MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP (Linux's values);
 * place_at: where a move goes when that range is free (the address the recorded kernel
 * chose), 0: found top-down. Returns the new address or -errno (Linux's result), or
 * VM_MREMAP_UNSUPPORTED for a call vmsim does not model. */
enum { MREMAP_F_MAYMOVE = 1, MREMAP_F_FIXED = 2, MREMAP_F_DONTUNMAP = 4 };
#define VM_MREMAP_UNSUPPORTED (-4096)
struct mremap_args {
	uint64_t addr, old_len, new_len, new_addr, place_at;
	unsigned flags;
};
int64_t vm_mremap(struct vm *vm, struct mm_struct *mm, const struct mremap_args *a,
                  struct fault_work *w);
/* What vm_mremap would return, changing nothing (a call that failed when it was recorded). */
int64_t vm_mremap_check(struct vm *vm, struct mm_struct *mm, const struct mremap_args *a);
/* brk(2) (mmap.c): move mm's program break to brk (Linux's semantics: the heap grows as
 * anonymous memory while it keeps a page and stack_guard_gap below a stack from the next
 * mapping, shrinks by unmapping, never below start_brk). The first brk of an address space
 * that exec did not set up declares the heap's start at brk. Returns the new break, or the old
 * one when the call fails. */
uint64_t vm_brk(struct vm *vm, struct mm_struct *mm, uint64_t brk, struct fault_work *w);
/* Linux's stack_guard_gap (256 pages): the free space kept below a VM_GROWSDOWN mapping. */
#define VM_STACK_GUARD_GAP_PAGES 256
/* mmap(2) as Linux's do_mmap (mmap.c), for the calls the fixed-address vm_mmap_anon and
 * vm_mmap_file do not cover: MMAP_F_HINT (no MAP_FIXED: addr is a hint, the kernel picks the
 * address top-down), MMAP_F_NOREPLACE (MAP_FIXED_NOREPLACE: -EEXIST over a mapping),
 * MMAP_F_NORESERVE (accepted: no commit accounting is modelled), MMAP_F_GROWSDOWN (a stack:
 * grows on faults below it). vm_flags: VM_READ.., VM_SHARED, VM_HUGEPAGE; file: a file id or
 * -1 (anonymous). place_at: the address the recorded kernel returned, where the mapping is
 * made whatever vmsim picks (0: vmsim's pick). Returns vmsim's result, the address or -errno
 * (Linux's), or VM_MMAP_UNSUPPORTED when place_at is not a valid range; dry: the result only,
 * nothing changed (a call recorded as failed). */
enum { MMAP_F_HINT = 1, MMAP_F_NOREPLACE = 2, MMAP_F_NORESERVE = 4, MMAP_F_GROWSDOWN = 8 };
#define VM_MMAP_UNSUPPORTED (-4096)
struct mmap_args {
	uint64_t addr, len, offset_bytes, place_at;
	uint32_t vm_flags;
	int32_t file;
	unsigned flags; /* MMAP_F_* */
};
int64_t vm_do_mmap(struct vm *vm, struct mm_struct *mm, const struct mmap_args *a, bool dry,
                   struct fault_work *w);
/* unmapped_area_topdown: the highest free range of len bytes below mmap_base, 0: none. */
uint64_t vm_unmapped_area_topdown(struct mm_struct *mm, uint64_t len);

/* Files (filemap.c). vm_file_declare: OP_FILE; returns the file id. vm_file_find: the id of a
 * declared file, or -1. */
uint32_t vm_file_declare(struct vm *vm, const char *name, uint64_t size_bytes);
int vm_file_find(const struct vm *vm, const char *name);
/* Shmem objects by name (shmem.c): memfd_create, shm_open and shmget name them.
 * vm_shm_truncate: the live object called name gets size_bytes (ftruncate: the pages past a
 * smaller size are freed and unmapped), or is created with that size. vm_shm_unlink
 * (shm_unlink, IPC_RMID, a memfd's last close): its name goes, and it dies (its pages and swap
 * slots freed) once no VMA maps it. Each returns 0, or -1 when name is a file (truncate) or
 * no live object (unlink). vm_shm_find: the object's file id (for vm_mmap_file, with
 * VM_NO_MAP_PAGES for a SysV attachment), or -1. */
int vm_shm_truncate(struct vm *vm, const char *name, uint64_t size_bytes, struct fault_work *w);
int vm_shm_unlink(struct vm *vm, const char *name, struct fault_work *w);
int vm_shm_find(const struct vm *vm, const char *name);
/* vm_file_dev_end: the end (in bytes) of the furthest page any file has had on the file device,
 * 0 when no file has pages there; then *name (borrowed) and *size_bytes name that file. The
 * engine compares it with the file device's capacity (a request past it is a disk-model BUG). */
uint64_t vm_file_dev_end(const struct vm *vm, const char **name, uint64_t *size_bytes);
/* mmap of file (an id) from offset_bytes (page aligned) at a fixed address, replacing what was
 * there; vm_flags: VM_READ.. | VM_SHARED. Returns 0, or -1 on a bad range or offset. */
int vm_mmap_file(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                 uint32_t vm_flags, uint32_t file, uint64_t offset_bytes, struct fault_work *w);
/* msync(MS_SYNC) of [addr, addr+len): write back the dirty page-cache pages that shared file
 * mappings of the range map (cleaning every PTE of them). Returns 0, or -1 (ENOMEM: part of
 * the range is not mapped). */
int vm_msync(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
             struct fault_work *w);

/* read(2) / write(2) (VM_RW_WRITE) of [pos, pos + len) of file through the page cache
 * (filemap_read with readahead, generic_perform_write with balance_dirty_pages), or around it
 * (VM_RW_DIRECT: O_DIRECT). now_ps: the time of the call (writeback completions). w: the work
 * (disk requests, w->major: the caller waits for reads; w->dirty_throttled: for every
 * request). Returns 0, or -1 when no frame could be had (the process ends, as an OOM). */
enum vm_rw_flags { VM_RW_WRITE = 1, VM_RW_DIRECT = 2 };
int vm_file_rw(struct vm *vm, struct mm_struct *mm, uint32_t file, uint64_t pos, uint64_t len,
               unsigned flags, uint64_t now_ps, struct fault_work *w);
/* fsync and friends on file: write the dirty pages (of [offset, offset + len) for
 * VM_SYNC_RANGE) back (the caller waits for them, except VM_SYNC_RANGE), cut or grow the file
 * (VM_FTRUNCATE to offset; VM_FALLOCATE to offset + len unless it is smaller), or free the
 * pages of a range (VM_PUNCH_HOLE). Returns 0. */
enum vm_sync_op {
	VM_FSYNC = 1,
	VM_FDATASYNC,
	VM_SYNC_RANGE,
	VM_FTRUNCATE,
	VM_FALLOCATE,
	VM_PUNCH_HOLE
};
int vm_file_sync(struct vm *vm, uint32_t file, enum vm_sync_op op, uint64_t offset, uint64_t len,
                 struct fault_work *w);

/* exec (exec.c): the image called name, or -1. */
int vm_image_find(const struct vm *vm, const char *name);
/* execve's new address space for process pid: the layout of image (an index from
 * vm_image_find) in a new mm. Returns it, or NULL when a library is not a declared file or a
 * section does not fit (the new mm is released). *padzero_out: the address exec's padzero
 * writes (the first byte after the data section's file part when it ends inside a page), 0
 * when there is none. The caller releases the old address space. */
struct mm_struct *vm_exec_mm(struct vm *vm, uint32_t pid, int image, struct fault_work *w,
                             uint64_t *padzero_out);

/* mlock.c. vm_mlock: mlock (flags 0) or mlock2(MLOCK_ONFAULT: VM_LOCKONFAULT) of [addr, addr +
 * len): the VMA parts become VM_LOCKED and the pages they map now are mlocked; vm_munlock
 * undoes it (a page stays mlocked while another VM_LOCKED VMA maps it). vm_mlockall: MCL_*
 * flags (enum vm_mcl) as Linux's apply_mlockall_flags; 0 is munlockall. Each returns 0, or -1
 * (ENOMEM: part of the range is not mapped; EINVAL: bad mlockall flags), nothing changed. The
 * caller then populates what mlock must fault in (vm_mlock_populate_next), its faults counted
 * as the process's (Linux counts GUP's faults in ru_minflt). */
enum vm_mcl { VM_MCL_CURRENT = 1, VM_MCL_FUTURE = 2, VM_MCL_ONFAULT = 4 };
int vm_mlock(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len, uint32_t flags);
int vm_munlock(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len);
int vm_mlockall(struct vm *vm, struct mm_struct *mm, unsigned mcl);
/* The next part of [*addr, end) that populate_vma_page_range faults in: a VM_LOCKED VMA part
 * without VM_LOCKONFAULT that allows some access, as [*addr, *part_end) with the access kind
 * (write in a private writable mapping: FOLL_WRITE); false when none is left. */
bool vm_mlock_populate_next(struct mm_struct *mm, uint64_t *addr, uint64_t end, uint64_t *part_end,
                            enum access_kind *kind);
/* VmLck: pages of mm's VM_LOCKED VMAs. */
uint64_t vm_mm_locked_pages(const struct mm_struct *mm);

/* madvise(MADV_DONTNEED) on [addr, addr + len) (every page mapped): its PTEs zapped, the
 * anonymous pages freed, page-cache pages left cached. 0, or -1 on a bad range. */
int vm_madvise_dontneed(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                        struct fault_work *w);
/* The other advice of madvise.c on [addr, addr + len) (every page mapped; madvise.c says what
 * each does): vm_madvise_flags sets the mask bits of the VMA parts' vm_flags to flags
 * (VM_RAND_READ, VM_SEQ_READ, VM_DONTCOPY, VM_WIPEONFORK). Each returns 0, or -EINVAL on a
 * bad range or a mapping the advice does not apply to, -ENOMEM when part of the range is not
 * mapped (nothing changed either way). HUGEPAGE / NOHUGEPAGE are flags
 * too (VM_HUGEPAGE, VM_NOHUGEPAGE), read by huge_memory.c at the next fault. */
int vm_madvise_flags(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                     uint32_t mask, uint32_t flags);
int vm_madvise_free(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                    struct fault_work *w);
int vm_madvise_cold(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                    struct fault_work *w);
int vm_madvise_pageout(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                       struct fault_work *w);
int vm_madvise_willneed(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                        struct fault_work *w);
int vm_madvise_remove(struct vm *vm, struct mm_struct *mm, uint64_t addr, uint64_t len,
                      struct fault_work *w);

/*
 * kswapd's step (vm.reclaim = "watermark"): when free frames plus frames under writeback are
 * below the high watermark, evict one victim (w is cleared and receives its invalidations and
 * swap write). *wb_pfn is the frame left under writeback (pass it to vm_writeback_start with the
 * write's completion time) or PFN_NONE when it was freed at once. Returns false when there is
 * nothing (more) to do: the high watermark is reached or no victim can go.
 */
bool vm_kswapd_evict_one(struct vm *vm, struct fault_work *w, pfn_t *wb_pfn);
/* task_numa_work (vm.tiering.promotion): the next vm.tiering.scan_size_mb of mm's address
 * space from its cursor: present PTEs of pages below the top tier become NUMA hint entries
 * (w, cleared here, receives their TLB invalidations). */
void vm_task_numa_work(struct vm *vm, struct mm_struct *mm, uint64_t now_ps, struct fault_work *w);
/* pfn (PG_WRITEBACK) becomes free at done_ps. */
void vm_writeback_start(struct vm *vm, pfn_t pfn, uint64_t done_ps);
/* Free every frame whose write completed by now_ps. Returns the earliest completion still
 * pending, UINT64_MAX when none is. */
uint64_t vm_writeback_complete(struct vm *vm, uint64_t now_ps);

/*
 * An access of kind to vaddr in mm, in three parts, so that the engine's single access and its
 * run of hits share one hit path:
 *  - vm_access_hit_pte: the PTE when the access hits (present, allowing the access), else
 *    NULL; it changes nothing but the page table's host-side translation cache;
 *  - vm_access_hit: the reference for that PTE (the virtual times, the accessed and dirty
 *    bits, the policy's reference when it sees every access); returns the frame (PFN_NONE for
 *    the zero page);
 *  - vm_access_fault: the access that did not hit, at now_ps: the virtual times, then the
 *    fault (handle_mm_fault, memory.c); *w is filled from zero; returns an enum access_status.
 * next_use is the logical time of the next reference to this page when the policy needs the
 * future (else ignored).
 */
static inline pte_t *vm_access_hit_pte(struct mm_struct *mm, uint64_t vaddr, enum access_kind kind)
{
	pte_t *p = pgtable_lookup_cached(&mm->pgd, vaddr, PGTABLE_TC_ACCESS);
	if (unlikely(!p || (*p & (PTE_PRESENT | PTE_NUMA)) != PTE_PRESENT ||
	             (kind == ACCESS_WRITE && !(*p & PTE_WRITE))))
		return NULL;
	return p;
}

static inline pfn_t vm_access_hit(struct vm *vm, struct mm_struct *mm, pte_t *p, uint64_t vaddr,
                                  enum access_kind kind, uint64_t next_use)
{
	vm->vtime++;
	mm->scope.vtime++;
	*p |= PTE_ACCESSED | (kind == ACCESS_WRITE ? PTE_DIRTY : 0);
	if (*p & PTE_ZERO)
		return PFN_NONE;
	pfn_t pfn = (pfn_t)pte_pfn(*p); /* the policy knows a huge page by its head */
	pfn_t frame =
	    unlikely(*p & PTE_HUGE) ? pfn + (pfn_t)((vaddr >> PTE_SHIFT) & (HPAGE_NR - 1)) : pfn;
	/* Global scope has one policy instance: no need to load the page's struct (a host cache
	 * miss) to find it. */
	const struct policy_ops *pol = vm->cfg.policy;
	if ((pol->flags & POLICY_SEES_EVERY_ACCESS) &&
	    likely(!vm->nr_mlocked || !(vm->pages[pfn].flags & PG_MLOCKED))) {
		/* A page of an mTHP folio unit: the policy holds it under the folio's head. */
		if (unlikely(vm->cfg.mthp_orders) && (vm->pages[pfn].flags & PG_FOLIO))
			pfn &= ~(((pfn_t)1 << vm->pages[pfn].folio_order) - 1);
		pol->access(vm->page_scopes ? vm->pages[pfn].scope->policy : vm->scope.policy,
		            pfn, kind == ACCESS_WRITE, next_use);
	}
	return frame;
}

enum access_status handle_mm_fault(struct vm *vm, struct mm_struct *mm, uint64_t vaddr,
                                   enum access_kind kind, uint64_t next_use, struct fault_work *w);

static inline enum access_status vm_access_fault(struct vm *vm, struct mm_struct *mm,
                                                 uint64_t vaddr, enum access_kind kind,
                                                 uint64_t next_use, uint64_t now_ps,
                                                 struct fault_work *w)
{
	vm->vtime++;
	mm->scope.vtime++;
	vm->now_ps = now_ps;
	return handle_mm_fault(vm, mm, vaddr, kind, next_use, w);
}

/* The whole access (the three parts above): ACCESS_HIT with w->pfn the frame reached, or the
 * fault's status. */
static inline enum access_status vm_access(struct vm *vm, struct mm_struct *mm, uint64_t vaddr,
                                           enum access_kind kind, uint64_t next_use,
                                           uint64_t now_ps, struct fault_work *w)
{
	pte_t *p = vm_access_hit_pte(mm, vaddr, kind);
	if (unlikely(!p))
		return vm_access_fault(vm, mm, vaddr, kind, next_use, now_ps, w);
	w->pfn = vm_access_hit(vm, mm, p, vaddr, kind, next_use);
	return ACCESS_HIT;
}

/* A hint that vaddr will soon be accessed in mm: prefetch its PTE into the host's cache (the
 * simulated page tables are too large to stay cached under random accesses). No effect on
 * the simulation; reads only the upper tables. */
static inline void vm_prefetch_access(struct mm_struct *mm, uint64_t vaddr)
{
	const pte_t *p = pgtable_lookup_cached(&mm->pgd, vaddr, PGTABLE_TC_PREFETCH);
	if (p)
		__builtin_prefetch(p, 1, 3);
}

/* The second step of that hint, a few accesses later, when the PTE is likely cached: prefetch
 * what the access will touch next, the frame's struct page (present) or its swap slot
 * (swapped out). No effect on the simulation. */
static inline void vm_prefetch_page(const struct vm *vm, struct mm_struct *mm, uint64_t vaddr)
{
	const pte_t *p = pgtable_lookup_cached(&mm->pgd, vaddr, PGTABLE_TC_PREFETCH2);
	if (!p)
		return;
	pte_t pte = *p;
	if (pte_present(pte)) {
		if (pte & (PTE_ZERO | PTE_HUGE))
			return;
		pfn_t pfn = (pfn_t)pte_pfn(pte);
		/* A hit reads the struct page only to find the local scope's policy; a write
		 * to a read-only PTE faults (COW) and reads it too. Otherwise the line would
		 * be fetched for nothing. */
		if (vm->page_scopes || !(pte & PTE_WRITE))
			__builtin_prefetch(&vm->pages[pfn], 1, 3);
		/* and the policy's state of the page (global scope: one instance) */
		if (vm->cfg.policy->prefetch && !vm->page_scopes)
			vm->cfg.policy->prefetch(vm->scope.policy, pfn, 0);
	} else if (!pte) {
		/* A first touch: the fault will count the new entry in its table's nr_used,
		 * on the table's last cache line (the lookup just cached the table)... */
		const struct pt_table *t = mm->pgd.tc_leaf[PGTABLE_TC_PREFETCH2];
		if (t)
			__builtin_prefetch(&t->nr_used, 1, 3);
		/* ...and fault in a new page, which the policy may still remember (ARC's
		 * ghosts) */
		if (vm->cfg.policy->prefetch && !vm->page_scopes)
			vm->cfg.policy->prefetch(vm->scope.policy, PFN_NONE, page_key(mm, vaddr));
	} else if (pte_is_swap(pte)) {
		__builtin_prefetch(&vm->swap[pte_swap_slot(pte)], 1, 3);
		/* the page's key is in the slot (not loaded yet); a private page keeps the key
		 * it was created with, page_key(mm, vaddr), unless it came from a fork parent */
		if (vm->cfg.policy->prefetch && !vm->page_scopes)
			vm->cfg.policy->prefetch(vm->scope.policy, PFN_NONE, page_key(mm, vaddr));
	}
}

/* Verify every invariant (mapcounts = PTEs, rmap = page tables, free list, swap counts);
 * mms is the list of live address spaces. Aborts with BUG_ON on a violation. */
void vm_check(struct vm *vm, struct mm_struct *const *mms, size_t nr_mms);

/* Frames in use (not free). */
static inline uint64_t vm_frames_used(const struct vm *vm)
{
	return vm->cfg.nr_frames - vm->nr_free;
}

#endif
