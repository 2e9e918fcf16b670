/*
 * test_gen_batch.c — the single-process generators' next_batch gives exactly the stream of
 * next(): the same operations (kind, pid, address, length, protection, argument) in the same
 * order, ending at the same place, for batch sizes 64 (the simulator's) and 7 (batches that
 * end inside a phase, a loop or a stride cycle). Covers the incremental loop of sequential
 * phases whose accesses draw nothing (all reads, all writes; strides that divide the page
 * count and that do not; a phase offset; phases after a random one) and, as controls, streams
 * that take the general batch path (a read/write mix, random distributions, compute ops).
 */
#include <string.h>

#include "tests/unit/test_gen_util.h"

#define MAX_OPS 200000

static int same_op(const struct op *a, const struct op *b)
{
	return a->kind == b->kind && a->pid == b->pid && a->addr == b->addr && a->len == b->len &&
	       a->prot == b->prot && a->flags == b->flags && a->arg == b->arg &&
	       a->offset == b->offset;
}

/* The whole stream of type/json by next() into ops; returns its length. */
static size_t stream_by_next(const char *type, const char *json, struct op *ops)
{
	struct gen_test g;
	gen_test_open_ok(&g, type, json, 5);
	size_t n = 0;
	while (n < MAX_OPS && gen_test_next(&g, 1, &ops[n]) == 1)
		n++;
	gen_test_close(&g);
	return n;
}

/* The same by next_batch(max); returns its length. */
static size_t stream_by_batch(const char *type, const char *json, uint32_t max, struct op *ops)
{
	struct gen_test g;
	gen_test_open_ok(&g, type, json, 5);
	BUG_ON(!g.ops->next_batch, "%s has no next_batch", type);
	size_t n = 0;
	for (;;) {
		struct err err = {{0}};
		struct op batch[64];
		int rc = g.ops->next_batch(g.w, 1, batch, max, &err);
		BUG_ON(rc < 0 || (uint32_t)rc > max, "next_batch: %d", rc);
		if (rc == 0 || n + (size_t)rc > MAX_OPS)
			break;
		memcpy(&ops[n], batch, (size_t)rc * sizeof(*batch));
		n += (size_t)rc;
	}
	gen_test_close(&g);
	return n;
}

static void check_same(const char *type, const char *json, size_t want_len)
{
	static struct op a[MAX_OPS], b[MAX_OPS];
	size_t na = stream_by_next(type, json, a);
	CHECK_EQ_U64(na, want_len);
	static const uint32_t maxes[] = {64, 7};
	for (size_t m = 0; m < ARRAY_SIZE(maxes); m++) {
		size_t nb = stream_by_batch(type, json, maxes[m], b);
		CHECK_EQ_U64(nb, na);
		size_t first_diff = na;
		for (size_t i = 0; i < MIN(na, nb); i++)
			if (!same_op(&a[i], &b[i])) {
				first_diff = i;
				break;
			}
		if (first_diff != na)
			fprintf(stderr, "%s %s (batch %u): op %zu differs\n", type, json, maxes[m],
			        first_diff);
		CHECK_EQ_U64(first_diff, na);
	}
}

int main(void)
{
	/* mmap + accesses + exit */
	check_same("seq", "{\"pages\": 100, \"loops\": 3, \"write_fraction\": 0}", 1 + 300 + 1);
	/* stride 3 over 10 pages (0 3 6 9), all writes */
	check_same("seq",
	           "{\"pages\": 10, \"stride_pages\": 3, \"loops\": 5, \"write_fraction\": 1}",
	           1 + 20 + 1);
	/* stride 4 over 10 pages: 0 4 8, wraps to 0 */
	check_same("seq",
	           "{\"pages\": 10, \"stride_pages\": 4, \"loops\": 7, \"write_fraction\": 0}",
	           1 + 21 + 1);
	/* the in-page offset (64 bytes an access) wraps within a page many times */
	check_same("loop", "{\"pages\": 37, \"accesses\": 100000, \"write_fraction\": 0}",
	           1 + 100000 + 1);
	check_same("loop", "{\"pages\": 1, \"accesses\": 1000, \"write_fraction\": 1}", 1 + 1000 + 1);
	/* a sequential phase with an offset between random ones, repeated */
	check_same("phases",
	           "{\"repeat\": 2, \"write_fraction\": 0, \"phases\": ["
	           "{\"pages\": 100, \"accesses\": 1000},"
	           "{\"pages\": 50, \"accesses\": 123, \"offset_pages\": 200, "
	           "\"distribution\": \"seq\", \"stride_pages\": 7},"
	           "{\"pages\": 30, \"accesses\": 300, \"offset_pages\": 150, "
	           "\"distribution\": \"zipf\", \"alpha\": 1.5, \"permute\": false}]}",
	           1 + 2 * 1423 + 1);
	/* controls on the general path: a read/write mix, compute ops */
	check_same("seq", "{\"pages\": 100, \"loops\": 2, \"write_fraction\": 0.5}", 1 + 200 + 1);
	check_same("loop",
	           "{\"pages\": 20, \"accesses\": 500, \"write_fraction\": 0, \"compute_ns\": 3}",
	           1 + 1000 + 1);
	check_same("uniform", "{\"pages\": 100, \"accesses\": 5000, \"write_fraction\": 0.3}",
	           1 + 5000 + 1);
	TEST_DONE();
}
