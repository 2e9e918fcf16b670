/*
 * policy.h — the one interface behind which every page replacement policy lives.
 *
 * A policy instance tracks the resident, evictable pages of one replacement scope (the whole
 * machine for global scope, one process for local scope) and chooses victims. It never unmaps
 * or frees anything itself: reclaim (models/vm) asks it for a victim, then unmaps the page
 * through rmap, writes it back or swaps it out, and frees the frame.
 *
 * What a policy may observe is what an OS may observe (../shared/DESIGN.md):
 *  - insert / remove of pages, and their stable identity (a key that survives eviction, so
 *    that ghost lists such as ARC's B1/B2 recognise a page that comes back);
 *  - the accessed and dirty bits of the PTEs that map a page, through env->test_and_clear_young
 *    and env->page_dirty, sampled when the policy scans (the CLOCK family, linux, mglru);
 *  - every access, only if the policy declares POLICY_SEES_EVERY_ACCESS (idealised policies:
 *    exact LRU, LFU, ARC, 2Q, LIRS, ...);
 *  - the future, only if it declares POLICY_NEEDS_FUTURE (OPT): then every insert and access
 *    carries next_use, the logical time of the next reference to the page.
 *
 * Frames are named by pfn_t, an index below env->nr_frames; a policy keeps its own per-frame
 * metadata in arrays it allocates at create (no shared union of per-policy fields in struct
 * page). Policies are deterministic: randomness comes only from env->seed.
 */
#ifndef VMSIM_MODELS_POLICY_POLICY_H
#define VMSIM_MODELS_POLICY_POLICY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/base/params.h"

typedef uint32_t pfn_t;
#define PFN_NONE UINT32_MAX
#define NEXT_USE_NEVER UINT64_MAX

enum policy_flags {
	POLICY_SEES_EVERY_ACCESS = 1u << 0, /* feed .access on every reference to a resident page */
	POLICY_NEEDS_FUTURE = 1u << 1,      /* next_use arguments must be filled (OPT) */
	POLICY_LOCAL_ONLY = 1u << 2,        /* meaningful only with per-process scope (wsclock) */
};

/* What the VM layer offers a policy instance; borrowed for the instance's lifetime. */
struct policy_env {
	uint64_t nr_frames; /* every pfn passed in is < nr_frames */
	uint64_t seed;      /* seed of this instance's random stream */
	void *vm;           /* opaque, passed back to the callbacks */
	/* Were any PTEs mapping pfn accessed since the last call? Clears their accessed bits. */
	bool (*test_and_clear_young)(void *vm, pfn_t pfn);
	/* Is the page in pfn dirty (any PTE dirty bit, or dirty in the page cache / swap cache)? */
	bool (*page_dirty)(void *vm, pfn_t pfn);
	/* Virtual time of the scope: references made so far (wsclock's tau is in these units). */
	uint64_t (*vtime)(void *vm);
};

struct policy_ops {
	const char *name;        /* the vm.policy value */
	const char *description; /* one line for `vmsim policies` */
	const char *source;      /* the paper or textbook it follows */
	unsigned flags;          /* enum policy_flags */
	const struct param_spec
	    *params; /* keys under vm.policy_params, with the papers' defaults */

	/* A new instance; params is the resolved vm.policy_params object (borrowed). */
	void *(*create)(const struct policy_env *env, const json_t *params);
	void (*destroy)(void *pol);
	/* A page with identity key became resident and evictable in pfn (after a fault). */
	void (*insert)(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use);
	/* The page in pfn left without eviction (munmap, exit, COW break): forget it, no ghost. */
	void (*remove)(void *pol, pfn_t pfn);
	/* A reference hit the resident page in pfn (only with POLICY_SEES_EVERY_ACCESS). */
	void (*access)(void *pol, pfn_t pfn, bool is_write, uint64_t next_use);
	/* Choose a victim among the resident pages and forget it (keeping a ghost if the policy
	 * uses them). Returns PFN_NONE only when nothing is resident. */
	pfn_t (*evict)(void *pol);
	/* Optional: like evict, but on a fault that needs a frame for the page with identity key,
	 * which insert will bring in next (on-demand reclaim). For policies whose choice depends
	 * on the incoming page: ARC adapts p on a ghost hit before it replaces. NULL: use evict.
	 * Background reclaim, which has no incoming page, calls evict. */
	pfn_t (*evict_for)(void *pol, uint64_t key);
	/* Optional, a hint for the host's cache only: up to max frames that the next evictions
	 * will probably examine, the likeliest first, into out; returns how many (0: no guess).
	 * Must not change the policy's state. Reclaim prefetches the victims' page structs,
	 * reverse maps and PTEs from it, a few evictions ahead (reclaim.c). NULL: no hint. */
	unsigned (*peek)(void *pol, pfn_t *out, unsigned max);
	/* Optional, a hint for the host's cache only: a page will be accessed a few operations
	 * ahead, the resident page in pfn, or (pfn = PFN_NONE) a page that will fault in and is
	 * probably the one with identity key; prefetch what .access, or .evict_for and .insert,
	 * will touch for it. Must not change the policy's state. NULL: no hint. */
	void (*prefetch)(const void *pol, pfn_t pfn, uint64_t key);
	/* Optional: does a new page enter this instance unreferenced? The faulting access is
	 * then the insert, not a reference: the VM leaves the page's PTE old once that access
	 * completes (x86 would set the accessed bit when it retries the access), so a bit found
	 * set later means a later reference. NULL or false: the faulting access sets the bit, as
	 * on x86 (a kernel tells the two apart with a second-reference rule: Linux's
	 * PG_referenced). docs/policies.md lists which policies want which. */
	bool (*insert_old)(const void *pol);
};

/* Does pol (an instance of ops) want new pages to enter with their accessed bit clear? */
static inline bool policy_insert_old(const struct policy_ops *ops, const void *pol)
{
	return ops->insert_old && ops->insert_old(pol);
}

/* Evict to make room for key: evict_for when the policy has it, else evict. */
static inline pfn_t policy_evict_for(const struct policy_ops *ops, void *pol, uint64_t key)
{
	return ops->evict_for ? ops->evict_for(pol, key) : ops->evict(pol);
}

/* The registry: every policy, in the order `vmsim policies` lists them. */
extern const struct policy_ops *const policy_table[];
extern const size_t policy_table_len;
/* The policy called name, or NULL. */
const struct policy_ops *policy_find(const char *name);

#endif
