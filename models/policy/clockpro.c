/*
 * clockpro.c — CLOCK-Pro (Jiang, Chen & Zhang, USENIX ATC 2005): LIRS's reuse-distance idea on
 * a clock. One circular list holds hot pages (resident), cold resident pages, and non-resident
 * cold pages still in their test period (ghosts, at most m = the frames). A cold page is in its
 * test period after it is brought in or re-referenced; a reference during the test period makes
 * it hot. Three hands go round in the same direction; the "list head", where pages enter, is
 * just behind HAND_hot.
 *  - HAND_cold (eviction) at a resident cold page: accessed bit clear -> the victim (if in its
 *    test period it stays as a non-resident ghost, else it leaves the clock); accessed bit set ->
 *    cleared, and if in its test period the page turns hot (and m_c += 1), else it starts a new
 *    test period; either way it moves to the list head. Hot and ghost entries are skipped.
 *  - HAND_hot, run while hot pages exceed m - m_c: at a hot page with the bit set, clears it
 *    and keeps it hot; with the bit clear, demotes it to cold and stops. Passing a cold page
 *    ends its test period (m_c -= 1); passing a ghost removes it (m_c -= 1).
 *  - HAND_test, run while ghosts would exceed m: ends test periods like HAND_hot (m_c -= 1) and
 *    stops after removing one ghost.
 *  - A fault on a ghost: m_c += 1, the page enters hot at the list head; any other fault: cold,
 *    in its test period, at the list head.
 * m_c, the target of resident cold pages, adapts in [1, m - 1]; it starts at cold_init_pct of m
 * (our choice: the paper leaves the start open; it adapts quickly). Reference bits are the PTE
 * accessed bits only (env->test_and_clear_young, when a hand passes); as in the paper a page
 * enters with its bit clear, so insert clears the bit the faulting reference set (the VM must
 * call insert after it mapped the page). Amortised O(1) per eviction, no allocation.
 */
#include <stdlib.h>

#include "models/policy/ghost.h"
#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

static const struct param_spec clockpro_params[] = {
    {.key = "cold_init_pct",
     .type = PARAM_INT,
     .def = "1",
     .min = 0,
     .max = 100,
     .doc = "initial target of resident cold pages m_c, in % of the frames (at least 1)"},
    {0},
};

struct clockpro {
	const struct policy_env *env;
	uint64_t m, mc, mc_max;
	uint64_t nr_hot, nr_cold;
	struct pfnlist_links links; /* frames 0..m-1, ghosts m..2m-1 */
	struct pfnlist clk;
	struct ghost ghost;
	pfn_t hand_hot, hand_cold, hand_test;
	bool *hot, *test; /* per frame */
	uint64_t *key;
};

static void *clockpro_create(const struct policy_env *env, const json_t *params)
{
	struct clockpro *c = xcalloc(1, sizeof(*c));
	c->env = env;
	c->m = env->nr_frames;
	c->mc_max = c->m > 1 ? c->m - 1 : 1;
	c->mc =
	    MIN(c->mc_max, MAX(1, c->m * (uint64_t)params_get_int(params, "cold_init_pct") / 100));
	pfnlist_links_init(&c->links, 2 * c->m);
	pfnlist_init(&c->clk);
	ghost_init(&c->ghost, (pfn_t)c->m, c->m);
	c->hand_hot = c->hand_cold = c->hand_test = PFN_NONE;
	c->hot = xcalloc(c->m + 1, sizeof(bool));
	c->test = xcalloc(c->m + 1, sizeof(bool));
	c->key = xcalloc(c->m + 1, sizeof(*c->key));
	return c;
}

static void clockpro_destroy(void *pol)
{
	struct clockpro *c = pol;
	pfnlist_links_fini(&c->links);
	ghost_fini(&c->ghost);
	free(c->hot);
	free(c->test);
	free(c->key);
	free(c);
}

static pfn_t cp_next(struct clockpro *c, pfn_t x)
{
	return pfnlist_next_circular(&c->links, &c->clk, x);
}

static void cp_unlink(struct clockpro *c, pfn_t x)
{
	if (c->clk.len == 1) {
		c->hand_hot = c->hand_cold = c->hand_test = PFN_NONE;
	} else {
		pfn_t n = cp_next(c, x);
		if (c->hand_hot == x)
			c->hand_hot = n;
		if (c->hand_cold == x)
			c->hand_cold = n;
		if (c->hand_test == x)
			c->hand_test = n;
	}
	pfnlist_del(&c->links, &c->clk, x);
}

/* Enter at the list head: just behind HAND_hot. */
static void cp_link_head(struct clockpro *c, pfn_t x)
{
	if (c->hand_hot == PFN_NONE) {
		pfnlist_push_head(&c->links, &c->clk, x);
		c->hand_hot = c->hand_cold = c->hand_test = x;
	} else {
		pfnlist_insert_before(&c->links, &c->clk, c->hand_hot, x);
	}
}

static void cp_mc_dec(struct clockpro *c)
{
	if (c->mc > 1)
		c->mc--;
}

static void cp_forget_ghost(struct clockpro *c, pfn_t g)
{
	cp_unlink(c, g);
	ghost_free(&c->ghost, g);
}

/* A hand passing entry x ends a test period: a ghost leaves, a cold page stays cold. */
static bool cp_end_test(struct clockpro *c, pfn_t x)
{
	if (ghost_is_ghost(&c->ghost, x)) {
		cp_forget_ghost(c, x);
		cp_mc_dec(c);
		return true;
	}
	if (!c->hot[x] && c->test[x]) {
		c->test[x] = false;
		cp_mc_dec(c);
	}
	return false;
}

static void cp_run_hand_test(struct clockpro *c)
{
	while (c->ghost.used) {
		pfn_t x = c->hand_test;
		c->hand_test = cp_next(c, x);
		if (cp_end_test(c, x))
			return;
	}
}

static void cp_run_hand_hot(struct clockpro *c)
{
	const struct policy_env *env = c->env;
	while (c->nr_hot) {
		pfn_t x = c->hand_hot;
		pfn_t n = cp_next(c, x);
		if (ghost_is_ghost(&c->ghost, x) || !c->hot[x]) {
			cp_end_test(c, x); /* may unlink x, which moves hand_hot on */
			if (c->hand_hot == x)
				c->hand_hot = n;
			continue;
		}
		c->hand_hot = n;
		if (!env->test_and_clear_young(env->vm, x)) {
			c->hot[x] = false;
			c->test[x] = false;
			c->nr_hot--;
			c->nr_cold++;
			return;
		}
	}
}

static void cp_balance_hot(struct clockpro *c)
{
	while (c->nr_hot > c->m - c->mc)
		cp_run_hand_hot(c);
}

static pfn_t clockpro_evict(void *pol)
{
	struct clockpro *c = pol;
	const struct policy_env *env = c->env;
	if (c->nr_hot + c->nr_cold == 0)
		return PFN_NONE;
	for (;;) {
		if (!c->nr_cold)
			cp_run_hand_hot(c);
		pfn_t x = c->hand_cold;
		if (ghost_is_ghost(&c->ghost, x) || c->hot[x]) {
			c->hand_cold = cp_next(c, x);
			continue;
		}
		if (env->test_and_clear_young(env->vm, x)) {
			bool promote = c->test[x];
			cp_unlink(c, x);
			if (promote) {
				c->hot[x] = true;
				c->test[x] = false;
				c->nr_hot++;
				c->nr_cold--;
				c->mc = MIN(c->mc + 1, c->mc_max);
			} else {
				c->test[x] = true;
			}
			cp_link_head(c, x);
			if (promote)
				cp_balance_hot(c);
			continue;
		}
		c->hand_cold = cp_next(c, x);
		c->nr_cold--;
		if (c->test[x] && c->ghost.cap) {
			while (ghost_full(&c->ghost))
				cp_run_hand_test(c);
			/* HAND_test may have removed entries but never x (resident). */
			pfn_t g = ghost_alloc(&c->ghost, c->key[x]);
			pfnlist_replace(&c->links, &c->clk, x, g);
			if (c->hand_hot == x)
				c->hand_hot = g;
			if (c->hand_cold == x)
				c->hand_cold = g;
			if (c->hand_test == x)
				c->hand_test = g;
		} else {
			cp_unlink(c, x);
		}
		return x;
	}
}

static void clockpro_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct clockpro *c = pol;
	c->key[pfn] = key;
	pfn_t g = ghost_find(&c->ghost, key);
	if (g != PFN_NONE) {
		cp_forget_ghost(c, g);
		c->mc = MIN(c->mc + 1, c->mc_max);
		c->hot[pfn] = true;
		c->test[pfn] = false;
		c->nr_hot++;
		cp_link_head(c, pfn);
	} else {
		c->hot[pfn] = false;
		c->test[pfn] = true;
		c->nr_cold++;
		cp_link_head(c, pfn);
	}
	c->env->test_and_clear_young(c->env->vm, pfn);
	cp_balance_hot(c);
}

static void clockpro_remove(void *pol, pfn_t pfn)
{
	struct clockpro *c = pol;
	if (c->hot[pfn])
		c->nr_hot--;
	else
		c->nr_cold--;
	cp_unlink(c, pfn);
}

const struct policy_ops policy_clockpro = {
    .name = "clock-pro",
    .description = "CLOCK-Pro: hot/cold pages and test periods on one clock, adaptive m_c",
    .source = "Jiang, Chen & Zhang, USENIX ATC 2005",
    .params = clockpro_params,
    .create = clockpro_create,
    .destroy = clockpro_destroy,
    .insert = clockpro_insert,
    .remove = clockpro_remove,
    .evict = clockpro_evict,
};
