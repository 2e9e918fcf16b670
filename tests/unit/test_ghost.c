/*
 * test_ghost.c — the key -> ghost node pool (models/policy/ghost.h): node numbering (base
 * first, a freed node is handed out again first), lookups across a probe run that collides on
 * one home slot and one that wraps around the end of the table, deletion from the middle of a
 * run by ghost_free and by ghost_free_key (backward shift must keep every other key
 * findable), and a long deterministic mix of operations checked against a plain array.
 */
#include <stdlib.h>

#include "models/policy/ghost.h"
#include "tests/unit/test.h"

/* The n smallest keys >= from whose home slot is home (mask: slots - 1). */
static void keys_homed_at(uint64_t mask, uint64_t home, uint64_t from, uint64_t *out, int n)
{
	for (uint64_t k = from; n > 0; k++)
		if ((mix64(k) & mask) == home) {
			*out++ = k;
			n--;
		}
}

static void test_numbering(void)
{
	struct ghost g;
	ghost_init(&g, 100, 8); /* nodes 100..107 */
	CHECK_EQ_U64(ghost_alloc(&g, 11), 100);
	CHECK_EQ_U64(ghost_alloc(&g, 22), 101);
	CHECK_EQ_U64(ghost_alloc(&g, 33), 102);
	ghost_free(&g, 101);
	CHECK_EQ_U64(ghost_find(&g, 22), PFN_NONE);
	CHECK_EQ_U64(ghost_alloc(&g, 44), 101); /* the freed node first */
	ghost_free_key(&g, 100, 11);
	CHECK_EQ_U64(ghost_find(&g, 11), PFN_NONE);
	CHECK_EQ_U64(ghost_find(&g, 33), 102);
	CHECK_EQ_U64(ghost_find(&g, 44), 101);
	CHECK_EQ_U64(ghost_key(&g, 101), 44);
	CHECK_EQ_U64(g.used, 2);
	ghost_fini(&g);
}

/* Five keys on one home slot fill a run of five slots (home .. home+4, wrapping when home is
 * the last slot); freeing the second and the fourth must leave the others findable. */
static void test_run(uint64_t home_from_end, int by_key)
{
	struct ghost g;
	ghost_init(&g, 0, 8); /* 2 * 8 + 2 = 18 -> 32 slots */
	CHECK_EQ_U64(g.mask, 31);
	uint64_t home = (g.mask - home_from_end) & g.mask, k[5];
	keys_homed_at(g.mask, home, 1, k, 5);
	pfn_t n[5];
	for (int i = 0; i < 5; i++)
		n[i] = ghost_alloc(&g, k[i]);
	for (int i = 0; i < 5; i++) {
		CHECK_EQ_U64(g.slot[(home + (uint64_t)i) & g.mask].key, k[i]);
		CHECK_EQ_U64(ghost_find(&g, k[i]), n[i]);
	}
	if (by_key) {
		ghost_free_key(&g, n[1], k[1]);
		ghost_free_key(&g, n[3], k[3]);
	} else {
		ghost_free(&g, n[1]);
		ghost_free(&g, n[3]);
	}
	CHECK_EQ_U64(ghost_find(&g, k[1]), PFN_NONE);
	CHECK_EQ_U64(ghost_find(&g, k[3]), PFN_NONE);
	CHECK_EQ_U64(ghost_find(&g, k[0]), n[0]);
	CHECK_EQ_U64(ghost_find(&g, k[2]), n[2]);
	CHECK_EQ_U64(ghost_find(&g, k[4]), n[4]);
	/* backward shift: the survivors now sit at home, home+1, home+2 */
	CHECK_EQ_U64(g.slot[home].key, k[0]);
	CHECK_EQ_U64(g.slot[(home + 1) & g.mask].key, k[2]);
	CHECK_EQ_U64(g.slot[(home + 2) & g.mask].key, k[4]);
	CHECK_EQ_U64(g.slot[(home + 3) & g.mask].off, UINT32_MAX);
	ghost_fini(&g);
}

/* 200,000 operations on keys 0..999 with a pool of 300: alloc when absent and not full, else
 * free (by ghost_free or ghost_free_key, alternately); after each, the key's lookup agrees
 * with the model, and every 1000 operations all 1000 keys are checked. */
static void test_model(void)
{
	enum { KEYS = 1000, CAP = 300, OPS = 200000 };
	struct ghost g;
	ghost_init(&g, 5000, CAP);
	pfn_t *model = malloc(sizeof(*model) * KEYS);
	for (int i = 0; i < KEYS; i++)
		model[i] = PFN_NONE;
	int bad = 0;
	for (uint64_t op = 0; op < OPS; op++) {
		uint64_t k = mix64(op) % KEYS;
		if (model[k] == PFN_NONE && !ghost_full(&g)) {
			model[k] = ghost_alloc(&g, k);
		} else if (model[k] != PFN_NONE) {
			if (op & 1)
				ghost_free_key(&g, model[k], k);
			else
				ghost_free(&g, model[k]);
			model[k] = PFN_NONE;
		}
		bad += ghost_find(&g, k) != model[k];
		if (op % 1000 == 0)
			for (uint64_t j = 0; j < KEYS; j++)
				bad += ghost_find(&g, j) != model[j];
	}
	CHECK_EQ_U64(bad, 0);
	ghost_fini(&g);
	free(model);
}

int main(void)
{
	test_numbering();
	test_run(10, 0); /* a run inside the table */
	test_run(10, 1);
	test_run(1, 0); /* home = slots - 2: the run wraps to slots 0..2 */
	test_run(1, 1);
	test_model();
	TEST_DONE();
}
