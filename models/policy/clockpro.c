/*
 * clockpro.c — CLOCK-Pro (Jiang, Chen & Zhang, USENIX ATC 2005): LIRS's reuse-distance idea on
 * a clock, as the authors' simulator clock-pro.c (Song Jiang, 2005) runs it. One circular list
 * holds hot pages (resident), cold resident pages, and non-resident cold pages still in their
 * test period (ghosts, at most m = the frames). Pages enter at the list head; the three hands
 * go round from the oldest entry towards the head and wrap from the head to the oldest.
 *  - Filling: while more than m_c frames are free a new page enters hot, then cold in its test
 *    period, so the hot set forms while memory fills.
 *  - HAND_cold (eviction) at a resident cold page: accessed bit clear, or not in its test
 *    period -> the victim (in its test period it stays as a ghost, else it leaves the clock);
 *    bit set in its test period -> the page turns hot at the head and HAND_hot demotes one hot
 *    page (with m_c adapting, credits decide which of the two happens; below).
 *  - HAND_hot until it has demoted one hot page (bit clear; a hot page with the bit set is
 *    cleared): every hot page it passes moves to the head; a demoted page is cold, out of its
 *    test period. When HAND_hot passes HAND_test, HAND_test moves one step first.
 *  - HAND_test one step: a cold page ends its test period (its bit cleared), a ghost leaves.
 *    When the ghosts exceed m it runs to the next ghost and removes it.
 *  - A fault on a ghost: HAND_hot runs (demoting one page); unless it passed the ghost, the page
 *    enters hot at the head; any other fault after filling: cold in its test period.
 * m_c, the frames left to cold pages, adapts (the paper; the simulator's ADAPTIVE_COLD_ALLOC)
 * between cold_init_pct and cold_max_pct of m, never below cold_min_pages: a ghost promoted adds
 * a credit for one more cold frame, a ghost that leaves without reuse removes one; a credit
 * turns the next re-referenced cold page's promotion into a demotion only (or, negative, a
 * promotion only). adaptive = false keeps m_c at its start, as the authors' simulator is built
 * by default (there: cold_init_pct 5, cold_min_pages 2), and then the counts equal clock-pro.c's
 * (tests/unit/test_policy_reference.c). One deliberate difference in the adaptive path: where
 * clock-pro.c sets the reference bit of the page the hand moves on to (its comment says the
 * moved page keeps its bit), the moved page keeps it here.
 * Reference bits are the PTE accessed bits (env->test_and_clear_young) plus a soft bit for that
 * one case; where the simulator clears a bit, this clears the PTE's. A page enters with its bit
 * clear: .insert_old asks the VM not to count the faulting access as a reference. Consecutive
 * repeats of a page, which clock-pro.c skips, set the bit here (the hardware cannot tell).
 * Amortised O(1) per eviction, no allocation after create.
 */
#include <stdlib.h>

#include "models/policy/ghost.h"
#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec clockpro_params[] = {
    {.key = "adaptive",
     .type = PARAM_BOOL,
     .def = "true",
     .doc = "m_c adapts (the paper); false keeps it at its start (clock-pro.c as built by "
            "default)"},
    {.key = "cold_init_pct",
     .type = PARAM_INT,
     .def = "1",
     .min = 0,
     .max = 100,
     .doc = "m_c at the start and its lower bound, in % of the frames (clock-pro.c: 5)"},
    {.key = "cold_max_pct",
     .type = PARAM_INT,
     .def = "99",
     .min = 0,
     .max = 100,
     .doc = "upper bound of an adaptive m_c, in % of the frames (clock-pro.c: 5)"},
    {.key = "cold_min_pages",
     .type = PARAM_INT,
     .def = "2",
     .min = 1,
     .max = 1 << 20,
     .doc = "floor of both bounds, in pages (clock-pro.c's LOWEST_COLD_ALLOC: 2)"},
    {0},
};

enum { CP_HOT = 1, CP_TEST = 2, CP_REF = 4 };

struct clockpro {
	const struct policy_env *env;
	uint64_t m;
	uint64_t nr_hot, nr_res, nr_ghosts;
	uint64_t cold_min, cold_max; /* the band of m_c, in pages */
	int64_t credits;             /* > 0: more cold frames wanted; < 0: fewer */
	bool adaptive;
	struct pfnlist_links links; /* frames 0..m-1, ghosts m..2m */
	struct pfnlist clk;         /* head = the newest entry */
	struct ghost ghost;
	pfn_t hand_hot, hand_cold, hand_test;
	uint8_t *flags; /* CP_* per entry (frames and ghosts) */
	uint64_t *key;  /* per frame */
};

static uint64_t cp_pages(uint64_t m, int64_t pct, uint64_t floor_pages)
{
	return MAX(m * (uint64_t)pct / 100, floor_pages);
}

static void *clockpro_create(const struct policy_env *env, const json_t *params)
{
	struct clockpro *c = xcalloc(1, sizeof(*c));
	c->env = env;
	c->m = env->nr_frames;
	uint64_t floor_pages = (uint64_t)params_get_int(params, "cold_min_pages");
	c->cold_min = cp_pages(c->m, params_get_int(params, "cold_init_pct"), floor_pages);
	c->cold_max = MAX(c->cold_min, cp_pages(c->m, params_get_int(params, "cold_max_pct"),
	                                        floor_pages));
	c->adaptive = params_get_bool(params, "adaptive");
	/* one ghost more than m: the evicted page joins before HAND_test removes the oldest */
	pfnlist_links_init(&c->links, 2 * c->m + 1);
	pfnlist_init(&c->clk);
	ghost_init(&c->ghost, (pfn_t)c->m, c->m + 1);
	c->hand_hot = c->hand_cold = c->hand_test = PFN_NONE;
	c->flags = xcalloc(2 * c->m + 1, 1);
	c->key = xcalloc(c->m + 1, sizeof(*c->key));
	return c;
}

static void clockpro_destroy(void *pol)
{
	struct clockpro *c = pol;
	pfnlist_links_fini(&c->links);
	ghost_fini(&c->ghost);
	free(c->flags);
	free(c->key);
	free(c);
}

static bool cp_ghost(const struct clockpro *c, pfn_t x)
{
	return ghost_is_ghost(&c->ghost, x);
}

/* The hands' direction: from the oldest entry towards the head, then the oldest again. */
static pfn_t cp_step(const struct clockpro *c, pfn_t x)
{
	return pfnlist_prev_circular(&c->links, &c->clk, x);
}

/* Clear x's reference bit (the PTE's and the soft one). */
static void cp_clear_ref(struct clockpro *c, pfn_t x)
{
	if (!cp_ghost(c, x))
		c->env->test_and_clear_young(c->env->vm, x);
	c->flags[x] &= (uint8_t)~CP_REF;
}

/* Read and clear x's reference bit. */
static bool cp_test_clear_ref(struct clockpro *c, pfn_t x)
{
	bool soft = c->flags[x] & CP_REF;
	c->flags[x] &= (uint8_t)~CP_REF;
	return c->env->test_and_clear_young(c->env->vm, x) || soft;
}

/* x leaves the clock; a hand on it moves on one step. */
static void cp_unlink(struct clockpro *c, pfn_t x)
{
	pfn_t n = c->clk.len > 1 ? cp_step(c, x) : PFN_NONE;
	if (c->hand_hot == x)
		c->hand_hot = n;
	if (c->hand_cold == x)
		c->hand_cold = n;
	if (c->hand_test == x)
		c->hand_test = n;
	pfnlist_del(&c->links, &c->clk, x);
}

/* x enters at the head; the first entry ever placed carries every hand. */
static void cp_link_head(struct clockpro *c, pfn_t x)
{
	pfnlist_push_head(&c->links, &c->clk, x);
	if (c->hand_hot == PFN_NONE)
		c->hand_hot = x;
	if (c->hand_test == PFN_NONE)
		c->hand_test = x;
}

/* x moves to the head, its bit and test period cleared (the simulator's remove + insert). */
static void cp_move_head(struct clockpro *c, pfn_t x)
{
	cp_unlink(c, x);
	cp_clear_ref(c, x);
	c->flags[x] &= (uint8_t)~CP_TEST;
	cp_link_head(c, x);
}

static void cp_forget_ghost(struct clockpro *c, pfn_t g)
{
	cp_unlink(c, g);
	c->flags[g] = 0;
	ghost_free(&c->ghost, g);
	c->nr_ghosts--;
}

/* HAND_test over a ghost it removes: ending a test period without reuse. */
static void cp_test_drop_ghost(struct clockpro *c, pfn_t g)
{
	if (c->adaptive)
		c->credits--;
	cp_forget_ghost(c, g);
}

/* HAND_test one step (must_move), then on to a ghost to remove while the ghosts exceed m. */
static void cp_run_hand_test(struct clockpro *c, bool must_move)
{
	if (must_move && c->hand_test != PFN_NONE) {
		pfn_t x = c->hand_test;
		if (cp_ghost(c, x)) {
			cp_test_drop_ghost(c, x); /* moves the hand on */
		} else {
			if (!(c->flags[x] & CP_HOT)) {
				c->flags[x] &= (uint8_t)~CP_TEST;
				cp_clear_ref(c, x);
			}
			c->hand_test = cp_step(c, x);
		}
	}
	if (c->nr_ghosts <= c->m)
		return;
	while (!cp_ghost(c, c->hand_test)) {
		pfn_t x = c->hand_test;
		if (!(c->flags[x] & CP_HOT)) {
			c->flags[x] &= (uint8_t)~CP_TEST;
			cp_clear_ref(c, x);
		}
		c->hand_test = cp_step(c, x);
	}
	cp_test_drop_ghost(c, c->hand_test);
}

enum hot_run { HOT_DEMOTED, HOT_MATCHED, HOT_MATCHED_DEMOTED };

/* HAND_hot until it has demoted one hot page and rests on a hot page; cold_ptr is the cold
 * entry that set it going (PFN_NONE: none): passing it is a match. */
static enum hot_run cp_run_hand_hot(struct clockpro *c, pfn_t cold_ptr)
{
	bool done = false, matched = false, demoted = false;
	if (!c->nr_hot)
		return HOT_DEMOTED; /* nothing to demote (tiny memories, or after removals) */
	while (!done || !(c->flags[c->hand_hot] & CP_HOT)) {
		pfn_t x = c->hand_hot;
		if (c->flags[x] & CP_HOT) {
			if (!cp_test_clear_ref(c, x)) {
				c->flags[x] &= (uint8_t)~CP_HOT;
				c->nr_hot--;
				done = demoted = true;
			}
			if (c->hand_test == x)
				c->hand_test = cp_step(c, x);
			c->hand_hot = cp_step(c, x);
			cp_move_head(c, x);
		} else {
			if (x == cold_ptr)
				done = matched = true;
			c->hand_hot = cp_step(c, x);
		}
		if (pfnlist_next_circular(&c->links, &c->clk, c->hand_hot) == c->hand_test)
			cp_run_hand_test(c, true);
		if (!c->nr_hot && !(c->flags[c->hand_hot] & CP_HOT))
			break; /* every hot page demoted: none to rest on */
	}
	if (matched)
		return demoted ? HOT_MATCHED_DEMOTED : HOT_MATCHED;
	return HOT_DEMOTED;
}

/* A resident cold page for HAND_cold, demoting a hot one when none is left (after removals,
 * or in memories too small for the band). */
static void cp_find_cold(struct clockpro *c)
{
	if (c->nr_res == c->nr_hot) {
		cp_run_hand_hot(c, PFN_NONE);
		c->hand_cold = c->clk.head; /* the demoted page went to the head */
	}
	if (c->hand_cold == PFN_NONE)
		c->hand_cold = c->hand_hot;
	while ((c->flags[c->hand_cold] & CP_HOT) || cp_ghost(c, c->hand_cold))
		c->hand_cold = cp_step(c, c->hand_cold);
}

/* The victim x leaves: a ghost in its place while in its test period, else out of the clock. */
static void cp_evict_page(struct clockpro *c, pfn_t x)
{
	c->nr_res--;
	c->hand_cold = cp_step(c, x);
	if (c->flags[x] & CP_TEST) {
		pfn_t g = ghost_alloc(&c->ghost, c->key[x]);
		pfnlist_replace(&c->links, &c->clk, x, g);
		if (c->hand_hot == x)
			c->hand_hot = g;
		if (c->hand_cold == x)
			c->hand_cold = g;
		if (c->hand_test == x)
			c->hand_test = g;
		c->flags[g] = CP_TEST;
		c->nr_ghosts++;
	} else {
		cp_unlink(c, x);
	}
	c->flags[x] = 0;
	for (uint64_t i = 0; i < c->clk.len && (c->flags[c->hand_cold] & CP_HOT); i++)
		c->hand_cold = cp_step(c, c->hand_cold); /* to a cold entry, if one is left */
	cp_run_hand_test(c, false);
}

/* A cold page in its test period found referenced by HAND_cold: promoted and/or a hot page
 * demoted, as the credits say. Returns true when x is to be evicted after all. */
static bool cp_cold_referenced(struct clockpro *c, pfn_t x)
{
	if (c->credits > 0 && c->m - c->nr_hot >= c->cold_max)
		c->credits = 0;
	if (c->credits < 0 && c->m - c->nr_hot <= c->cold_min)
		c->credits = 0;
	if (c->credits < 0) { /* promote without a demotion */
		c->hand_cold = cp_step(c, x);
		cp_move_head(c, x);
		c->flags[x] |= CP_HOT;
		c->nr_hot++;
		c->credits++;
		return false;
	}
	enum hot_run r = cp_run_hand_hot(c, x);
	if (c->credits > 0) { /* demote without a promotion */
		if (r != HOT_DEMOTED) {
			if (r == HOT_MATCHED_DEMOTED)
				c->credits--;
			return true;
		}
		c->hand_cold = cp_step(c, x);
		cp_move_head(c, x);
		c->flags[x] |= CP_TEST | CP_REF; /* keeps its bit, a new test period */
		c->credits--;
		return false;
	}
	if (r != HOT_MATCHED) { /* one promotion, one demotion */
		c->hand_cold = cp_step(c, x);
		cp_move_head(c, x);
		c->flags[x] |= CP_HOT;
		c->nr_hot++;
	}
	return false;
}

static pfn_t clockpro_evict(void *pol)
{
	struct clockpro *c = pol;
	if (!c->nr_res)
		return PFN_NONE;
	for (;;) {
		cp_find_cold(c);
		pfn_t x = c->hand_cold;
		bool in_test = c->flags[x] & CP_TEST;
		if (!in_test || !cp_test_clear_ref(c, x) || cp_cold_referenced(c, x)) {
			/* cp_cold_referenced may have ended x's test period (HAND_test passed) */
			cp_evict_page(c, x);
			return x;
		}
	}
}

/* A fault on the ghost g, after the eviction that made room: HAND_hot demotes a page, and
 * the page enters hot unless the hand passed g (then HAND_test removed it). */
static bool cp_refault(struct clockpro *c, pfn_t g, uint64_t key)
{
	enum hot_run r = cp_run_hand_hot(c, g);
	if (r == HOT_MATCHED)
		return false;
	if (c->adaptive)
		c->credits++;
	if (ghost_find(&c->ghost, key) == g)
		cp_forget_ghost(c, g); /* (passed and removed already when HOT_MATCHED_DEMOTED) */
	return true;
}

static void clockpro_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct clockpro *c = pol;
	(void)next_use;
	c->key[pfn] = key;
	pfn_t g = ghost_find(&c->ghost, key);
	bool hot;
	if (g != PFN_NONE) {
		hot = cp_refault(c, g, key);
		if (!hot && ghost_find(&c->ghost, key) == g)
			cp_forget_ghost(c, g); /* (HAND_test removed it when the hand passed it) */
	} else {
		hot = c->m - c->nr_res > c->cold_min; /* filling: hot until m_c frames are left */
	}
	c->flags[pfn] = hot ? CP_HOT : CP_TEST;
	c->nr_hot += hot;
	c->nr_res++;
	cp_link_head(c, pfn);
	if (!hot && c->hand_cold == PFN_NONE)
		c->hand_cold = pfn;
}

static void clockpro_remove(void *pol, pfn_t pfn)
{
	struct clockpro *c = pol;
	if (c->flags[pfn] & CP_HOT)
		c->nr_hot--;
	c->nr_res--;
	c->flags[pfn] = 0;
	cp_unlink(c, pfn);
}

/* The page enters with its reference bit clear (the paper, clock-pro.c's next_ref). */
static bool clockpro_insert_old(const void *pol)
{
	(void)pol;
	return true;
}

const struct policy_ops policy_clockpro = {
    .name = "clock-pro",
    .description = "CLOCK-Pro: hot/cold pages and test periods on one clock, adaptive m_c",
    .source = "Jiang, Chen & Zhang, USENIX ATC 2005; the authors' clock-pro.c",
    .params = clockpro_params,
    .create = clockpro_create,
    .destroy = clockpro_destroy,
    .insert = clockpro_insert,
    .remove = clockpro_remove,
    .evict = clockpro_evict,
    .insert_old = clockpro_insert_old,
};
