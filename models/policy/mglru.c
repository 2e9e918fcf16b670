/*
 * mglru.c — multi-generational LRU (Linux 6.1+, mm/vmscan.c lru_gen_*), simplified. Pages
 * belong to generations numbered by a sequence: min_seq (oldest) .. max_seq (youngest), at most
 * `generations` of them (MAX_NR_GENS = 4 by default).
 *  - A faulted-in page enters the youngest generation (as lru_gen_add_folio for pages added in
 *    a fault).
 *  - Aging (the page-table walk of try_to_inc_max_seq) runs when only generations - 2 (MIN_NR_GENS
 *    = 2 for 4) generations remain: max_seq is incremented and every resident page whose
 *    accessed bit is set (env->test_and_clear_young, clearing it) moves to the new youngest
 *    generation.
 *  - Eviction takes the tail of the oldest generation; a page found young there is promoted to
 *    the youngest generation instead (the eviction-time reference check); an empty oldest
 *    generation is retired (min_seq++).
 * Simplifications: one type (no anon/file split, no swappiness), no tiers or refault PID
 * controller, no Bloom filter (aging visits every resident page), no look-around, no
 * background aging; generations are the only state. Observes only accessed bits, when it
 * scans. Aging is O(n), once per drained generation; eviction amortised O(1).
 */
#include <stdlib.h>

#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

#define MGLRU_MAX_GENS 16

static const struct param_spec mglru_params[] = {
    {.key = "generations",
     .type = PARAM_INT,
     .def = "4",
     .min = 3,
     .max = MGLRU_MAX_GENS,
     .doc = "maximum number of generations (MAX_NR_GENS); aging when generations - 2 remain"},
    {0},
};

struct mglru {
	const struct policy_env *env;
	uint64_t nr_gens_max;
	uint64_t min_seq, max_seq;
	uint64_t nr_resident;
	struct pfnlist_links links;
	struct pfnlist gen[MGLRU_MAX_GENS]; /* gen[seq % nr_gens_max]; heads newest */
	uint64_t *seq;                      /* seq[pfn]: its generation */
};

static void *mglru_create(const struct policy_env *env, const json_t *params)
{
	struct mglru *m = xcalloc(1, sizeof(*m));
	m->env = env;
	m->nr_gens_max = (uint64_t)params_get_int(params, "generations");
	pfnlist_links_init(&m->links, env->nr_frames);
	for (uint64_t i = 0; i < MGLRU_MAX_GENS; i++)
		pfnlist_init(&m->gen[i]);
	m->seq = xcalloc(env->nr_frames + 1, sizeof(*m->seq));
	return m;
}

static void mglru_destroy(void *pol)
{
	struct mglru *m = pol;
	pfnlist_links_fini(&m->links);
	free(m->seq);
	free(m);
}

static struct pfnlist *mglru_gen(struct mglru *m, uint64_t seq)
{
	return &m->gen[seq % m->nr_gens_max];
}

static void mglru_add(struct mglru *m, pfn_t pfn, uint64_t seq)
{
	m->seq[pfn] = seq;
	pfnlist_push_head(&m->links, mglru_gen(m, seq), pfn);
}

static void mglru_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct mglru *m = pol;
	mglru_add(m, pfn, m->max_seq);
	m->nr_resident++;
}

static void mglru_remove(void *pol, pfn_t pfn)
{
	struct mglru *m = pol;
	pfnlist_del(&m->links, mglru_gen(m, m->seq[pfn]), pfn);
	m->nr_resident--;
}

static void mglru_age(struct mglru *m)
{
	uint64_t old_max = m->max_seq++;
	for (uint64_t s = m->min_seq; s <= old_max; s++) {
		struct pfnlist *g = mglru_gen(m, s);
		pfn_t p = g->tail;
		while (p != PFN_NONE) {
			pfn_t towards_head = m->links.node[p].prev;
			if (m->env->test_and_clear_young(m->env->vm, p)) {
				pfnlist_del(&m->links, g, p);
				mglru_add(m, p, m->max_seq);
			}
			p = towards_head;
		}
	}
}

static pfn_t mglru_evict(void *pol)
{
	struct mglru *m = pol;
	if (!m->nr_resident)
		return PFN_NONE;
	for (;;) {
		while (!mglru_gen(m, m->min_seq)->len && m->min_seq < m->max_seq)
			m->min_seq++;
		if (m->max_seq - m->min_seq + 1 <= m->nr_gens_max - 2)
			mglru_age(m);
		struct pfnlist *g = mglru_gen(m, m->min_seq);
		if (!g->len)
			continue; /* aging emptied the oldest generation */
		pfn_t p = pfnlist_pop_tail(&m->links, g);
		if (m->env->test_and_clear_young(m->env->vm, p)) {
			mglru_add(m, p, m->max_seq);
			continue;
		}
		m->nr_resident--;
		return p;
	}
}

const struct policy_ops policy_mglru = {
    .name = "mglru",
    .description = "multi-generational LRU (simplified): aging by accessed bits, evict oldest",
    .source = "Linux 6.1 mm/vmscan.c lru_gen (Yu Zhao, 2022), simplified",
    .params = mglru_params,
    .create = mglru_create,
    .destroy = mglru_destroy,
    .insert = mglru_insert,
    .remove = mglru_remove,
    .evict = mglru_evict,
};
