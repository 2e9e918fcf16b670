/*
 * test_policy_contract.c — every registered policy, on random, Zipf-like, loop and
 * scan-plus-hot-set traces, at several frame counts, obeys the common rules of policy.h:
 * evict returns only resident pages (and PFN_NONE only when none is), never more residents
 * than frames, faults + hits = references, at least one fault per distinct key, identical
 * results on two runs (determinism), and remove() works mid-stream (a page removed every 7
 * references, which the policy must forget). Also checks that every policy's default
 * parameters resolve and that names are unique and found by policy_find.
 */
#include <string.h>

#include "models/policy/policy.h"
#include "tests/unit/policy_driver.h"
#include "tests/unit/test.h"

static uint64_t distinct_keys(const struct drv_ref *t, size_t n)
{
	static bool seen[DRV_MAX_KEY];
	memset(seen, 0, sizeof(seen));
	uint64_t d = 0;
	for (size_t i = 0; i < n; i++)
		if (!seen[t[i].key]) {
			seen[t[i].key] = true;
			d++;
		}
	return d;
}

int main(void)
{
	enum { N = 4000 };
	struct {
		const char *name;
		struct drv_ref *t;
	} traces[] = {
	    {"uniform", drv_trace_uniform(N, 150, 30, 11)},
	    {"zipf", drv_trace_zipf(N, 1000, 30, 12)},
	    {"loop", drv_trace_loop(N, 70)},
	    {"scan_hot", drv_trace_scan_hot(N, 40, 30, 13)},
	};
	const uint64_t frames[] = {1, 2, 3, 16, 64, 100};

	for (size_t p = 0; p < policy_table_len; p++) {
		const struct policy_ops *ops = policy_table[p];
		CHECK(policy_find(ops->name) == ops);
		CHECK(ops->create && ops->destroy && ops->insert && ops->remove && ops->evict);
		CHECK(!(ops->flags & POLICY_SEES_EVERY_ACCESS) || ops->access);
		CHECK(ops->description && ops->source);
		for (size_t q = p + 1; q < policy_table_len; q++)
			CHECK(strcmp(ops->name, policy_table[q]->name) != 0);
		json_t *params = drv_default_params(ops);
		CHECK(params != NULL);
		json_decref(params);

		for (size_t t = 0; t < ARRAY_SIZE(traces); t++) {
			uint64_t d = distinct_keys(traces[t].t, N);
			for (size_t f = 0; f < ARRAY_SIZE(frames); f++) {
				struct drv_result a =
				    drv_run_params(ops, NULL, frames[f], traces[t].t, N, 5, 0);
				drv_hints = false; /* the hints (peek, prefetch) change nothing */
				struct drv_result b =
				    drv_run_params(ops, NULL, frames[f], traces[t].t, N, 5, 0);
				drv_hints = true;
				/* fifo and lru know their next victim exactly: their list's tail */
				if (strcmp(ops->name, "fifo") == 0 || strcmp(ops->name, "lru") == 0)
					CHECK_EQ_U64(a.peek_first, a.evictions);
				if (ops->peek && a.evictions)
					CHECK(a.peek_first > 0);
				if (a.violations || a.faults + a.hits != N || a.faults < d ||
				    a.faults != b.faults || a.evictions != b.evictions)
					fprintf(stderr,
					        "%s on %s with %llu frames: violations %llu\n",
					        ops->name, traces[t].name,
					        (unsigned long long)frames[f],
					        (unsigned long long)a.violations);
				CHECK_EQ_U64(a.violations, 0);
				CHECK_EQ_U64(a.faults + a.hits, N);
				CHECK(a.faults >= d);
				CHECK(a.faults <= N);
				CHECK_EQ_U64(a.faults, b.faults);
				CHECK_EQ_U64(a.evictions, b.evictions);
				/* every fault beyond the first nr_frames evicts */
				CHECK_EQ_U64(a.evictions,
				             a.faults > frames[f] ? a.faults - frames[f] : 0);

				struct drv_result r =
				    drv_run_params(ops, NULL, frames[f], traces[t].t, N, 5, 7);
				CHECK_EQ_U64(r.violations, 0);
				CHECK_EQ_U64(r.faults + r.hits, N);
				CHECK(frames[f] == 1 || r.removes > 0);
			}
		}
	}
	for (size_t t = 0; t < ARRAY_SIZE(traces); t++)
		free(traces[t].t);
	TEST_DONE();
}
