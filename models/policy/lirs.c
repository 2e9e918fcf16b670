/*
 * lirs.c — LIRS, Low Inter-reference Recency Set (Jiang & Zhang, SIGMETRICS 2002). Blocks are
 * LIR (low inter-reference recency, always resident) or HIR (resident or not). With c frames,
 * L_hirs = hir_pct of c (at least 1) frames hold resident HIR blocks, L_lirs = c - L_hirs hold
 * LIR blocks.
 *  - Stack S (head = top = most recent) holds LIR blocks and recently seen HIR blocks, resident
 *    or not; after "stack pruning" its bottom is always an LIR block.
 *  - List Q (head = end, tail = front) holds the resident HIR blocks; its front is the victim.
 * Hit on an LIR block: move it to the top of S; prune if it was the bottom.
 * Hit on a resident HIR block: if it is in S it becomes LIR (leaves Q) and the bottom LIR block
 *   of S becomes HIR and goes to the end of Q, then prune; if not in S it moves to the end of Q.
 *   In both cases it goes to the top of S.
 * Miss: (evict: the front of Q leaves memory; if it is in S it stays there as a non-resident
 *   HIR block.) The new block: while fewer than L_lirs blocks are LIR it becomes LIR (the cold
 *   start); else if it was a non-resident HIR block still in S it becomes LIR (and the bottom
 *   LIR block is demoted to the end of Q, then prune); else it is HIR, at the end of Q. It goes
 *   to the top of S.
 * The paper does not bound S; non-resident entries here are bounded by nonres_pct of c (200%
 * default), the oldest forgotten first, so memory stays proportional to the frames. The
 * authors' lirs.c keeps every non-resident block (its bound, 2500 c, is never reached on its
 * traces): nonres_pct up to 10000 (100 c) matches it on traces with fewer distinct pages.
 * Two more conventions of lirs.c are parameters: hir_min_pages (its LOWEST_HG_NUM, 2; the
 * paper gives no minimum, 1 here) and skip_repeats (lirs.c ignores a reference to the block
 * referenced just before; the paper counts it: a resident HIR block still in S is then
 * promoted to LIR, which the default does).
 * If Q is empty at eviction (only after pages were removed), the bottom LIR block is demoted
 * first. Needs every reference (POLICY_SEES_EVERY_ACCESS). O(1) amortised, no allocation.
 */
#include <stdlib.h>

#include "models/policy/ghost.h"
#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec lirs_params[] = {
    {.key = "hir_pct",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 99,
     .doc = "frames for resident HIR blocks, in % of the frames (at least one)"},
    {.key = "nonres_pct",
     .type = PARAM_INT,
     .def = "200",
     .min = 0,
     .max = 10000,
     .doc = "bound on non-resident HIR entries kept in the stack, in % of the frames"},
    {.key = "hir_min_pages",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 1 << 20,
     .doc = "minimum frames for resident HIR blocks (lirs.c: 2)"},
    {.key = "skip_repeats",
     .type = PARAM_BOOL,
     .def = "false",
     .doc = "ignore a reference to the block referenced just before (lirs.c)"},
    {0},
};

struct lirs {
	uint64_t l_lirs;
	bool skip_repeats;
	pfn_t last; /* the frame referenced last (skip_repeats), PFN_NONE when it left */
	uint64_t nr_lir;
	struct pfnlist_links s_links; /* stack S over frames and ghost nodes */
	struct pfnlist_links q_links; /* Q over frames; the non-resident age list over ghosts */
	struct pfnlist s, q, nonres;  /* s head: top; q head: end (newest); nonres head: newest */
	struct ghost ghost;
	bool *lir;  /* per frame */
	bool *in_s; /* per frame (ghost nodes are always in S) */
	uint64_t *key;
};

static void *lirs_create(const struct policy_env *env, const json_t *params)
{
	struct lirs *l = xcalloc(1, sizeof(*l));
	uint64_t c = env->nr_frames;
	uint64_t l_hirs = MAX((uint64_t)params_get_int(params, "hir_min_pages"),
	                      c * (uint64_t)params_get_int(params, "hir_pct") / 100);
	l->skip_repeats = params_get_bool(params, "skip_repeats");
	l->last = PFN_NONE;
	l->l_lirs = c > l_hirs ? c - l_hirs : 0;
	uint64_t gcap = c * (uint64_t)params_get_int(params, "nonres_pct") / 100;
	pfnlist_links_init(&l->s_links, c + gcap);
	pfnlist_links_init(&l->q_links, c + gcap);
	pfnlist_init(&l->s);
	pfnlist_init(&l->q);
	pfnlist_init(&l->nonres);
	ghost_init(&l->ghost, (pfn_t)c, gcap);
	l->lir = xcalloc(c + 1, sizeof(bool));
	l->in_s = xcalloc(c + 1, sizeof(bool));
	l->key = xcalloc(c + 1, sizeof(*l->key));
	return l;
}

static void lirs_destroy(void *pol)
{
	struct lirs *l = pol;
	pfnlist_links_fini(&l->s_links);
	pfnlist_links_fini(&l->q_links);
	ghost_fini(&l->ghost);
	free(l->lir);
	free(l->in_s);
	free(l->key);
	free(l);
}

static void lirs_forget_ghost(struct lirs *l, pfn_t g)
{
	pfnlist_del(&l->s_links, &l->s, g);
	pfnlist_del(&l->q_links, &l->nonres, g);
	ghost_free(&l->ghost, g);
}

/* Stack pruning: remove HIR blocks from the bottom of S until an LIR block is there. */
static void lirs_prune(struct lirs *l)
{
	pfn_t b;
	while ((b = l->s.tail) != PFN_NONE) {
		if (ghost_is_ghost(&l->ghost, b)) {
			lirs_forget_ghost(l, b);
		} else if (!l->lir[b]) {
			pfnlist_del(&l->s_links, &l->s, b);
			l->in_s[b] = false;
		} else {
			break;
		}
	}
}

/* The bottom LIR block of S becomes HIR at the end of Q; then prune. */
static void lirs_demote_bottom(struct lirs *l)
{
	pfn_t b = l->s.tail;
	BUG_ON(b == PFN_NONE || ghost_is_ghost(&l->ghost, b) || !l->lir[b],
	       "lirs: stack bottom is not an LIR block");
	l->lir[b] = false;
	l->nr_lir--;
	pfnlist_del(&l->s_links, &l->s, b);
	l->in_s[b] = false;
	pfnlist_push_head(&l->q_links, &l->q, b);
	lirs_prune(l);
}

static void lirs_to_top(struct lirs *l, pfn_t pfn)
{
	if (l->in_s[pfn])
		pfnlist_del(&l->s_links, &l->s, pfn);
	pfnlist_push_head(&l->s_links, &l->s, pfn);
	l->in_s[pfn] = true;
}

static void lirs_make_lir(struct lirs *l, pfn_t pfn)
{
	l->lir[pfn] = true;
	l->nr_lir++;
	lirs_to_top(l, pfn);
	if (l->nr_lir > l->l_lirs)
		lirs_demote_bottom(l);
}

static void lirs_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct lirs *l = pol;
	l->key[pfn] = key;
	l->last = pfn;
	l->lir[pfn] = false;
	l->in_s[pfn] = false;
	pfn_t g = ghost_find(&l->ghost, key);
	if (g != PFN_NONE) {
		/* A non-resident HIR block still in S: its new reuse distance beats the bottom LIR.
		 */
		lirs_forget_ghost(l, g);
		lirs_make_lir(l, pfn);
		lirs_prune(l); /* g may have been the bottom */
	} else if (l->nr_lir < l->l_lirs) {
		lirs_make_lir(l, pfn);
	} else {
		lirs_to_top(l, pfn);
		pfnlist_push_head(&l->q_links, &l->q, pfn);
	}
}

static void lirs_access(void *pol, pfn_t pfn, bool is_write, uint64_t next_use)
{
	struct lirs *l = pol;
	if (l->skip_repeats && l->last == pfn)
		return;
	l->last = pfn;
	if (l->lir[pfn]) {
		bool was_bottom = l->s.tail == pfn;
		lirs_to_top(l, pfn);
		if (was_bottom)
			lirs_prune(l);
		return;
	}
	pfnlist_del(&l->q_links, &l->q, pfn);
	if (l->in_s[pfn]) {
		lirs_make_lir(l, pfn);
	} else {
		lirs_to_top(l, pfn);
		pfnlist_push_head(&l->q_links, &l->q, pfn);
	}
}

static void lirs_remove(void *pol, pfn_t pfn)
{
	struct lirs *l = pol;
	if (l->last == pfn)
		l->last = PFN_NONE;
	if (l->lir[pfn]) {
		l->lir[pfn] = false;
		l->nr_lir--;
	} else {
		pfnlist_del(&l->q_links, &l->q, pfn);
	}
	if (l->in_s[pfn]) {
		pfnlist_del(&l->s_links, &l->s, pfn);
		l->in_s[pfn] = false;
	}
	lirs_prune(l);
}

static pfn_t lirs_evict(void *pol)
{
	struct lirs *l = pol;
	if (!l->q.len) {
		if (!l->nr_lir)
			return PFN_NONE;
		lirs_demote_bottom(l);
	}
	pfn_t v = pfnlist_pop_tail(&l->q_links, &l->q);
	if (l->last == v)
		l->last = PFN_NONE;
	if (l->in_s[v]) {
		l->in_s[v] = false;
		if (l->ghost.cap) {
			if (ghost_full(&l->ghost)) {
				lirs_forget_ghost(l, l->nonres.tail);
				/* forgetting may have exposed v's node at the bottom: v is HIR, so
				 * it would be pruned; the order of the two is immaterial */
			}
			pfn_t g = ghost_alloc(&l->ghost, l->key[v]);
			pfnlist_replace(&l->s_links, &l->s, v, g);
			pfnlist_push_head(&l->q_links, &l->nonres, g);
			lirs_prune(l);
		} else {
			pfnlist_del(&l->s_links, &l->s, v);
			lirs_prune(l);
		}
	}
	return v;
}

const struct policy_ops policy_lirs = {
    .name = "lirs",
    .description = "LIRS: LIR set by inter-reference recency, stack S and HIR list Q",
    .source = "Jiang & Zhang, SIGMETRICS 2002",
    .flags = POLICY_SEES_EVERY_ACCESS,
    .params = lirs_params,
    .create = lirs_create,
    .destroy = lirs_destroy,
    .insert = lirs_insert,
    .remove = lirs_remove,
    .access = lirs_access,
    .evict = lirs_evict,
};
