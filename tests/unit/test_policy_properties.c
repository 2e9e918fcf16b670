/*
 * test_policy_properties.c — properties that hold whatever the trace:
 *  - OPT never faults more than any other policy on the same trace and frame count;
 *  - LRU and OPT are stack algorithms: faults never rise as frames grow (inclusion), checked
 *    on random traces over 50 keys for every frame count 1..50;
 *  - FIFO is not: Belady's anomaly on 1,2,3,4,1,2,5,1,2,3,4,5 (9 faults with 3 frames, 10
 *    with 4).
 */
#include "models/policy/policy.h"
#include "tests/unit/policy_driver.h"
#include "tests/unit/test.h"

static uint64_t run(const char *name, uint64_t frames, const struct drv_ref *t, size_t n)
{
	struct drv_result r = drv_run(policy_find(name), frames, t, n);
	return r.violations ? UINT64_MAX : r.faults;
}

int main(void)
{
	enum { N = 3000 };
	struct drv_ref *traces[] = {
	    drv_trace_uniform(N, 60, 20, 101),
	    drv_trace_zipf(N, 300, 20, 102),
	    drv_trace_scan_hot(N, 30, 25, 103),
	    drv_trace_loop(N, 45),
	};
	const uint64_t frames[] = {2, 5, 10, 20, 40};
	for (size_t t = 0; t < ARRAY_SIZE(traces); t++)
		for (size_t f = 0; f < ARRAY_SIZE(frames); f++) {
			uint64_t opt = run("opt", frames[f], traces[t], N);
			for (size_t p = 0; p < policy_table_len; p++) {
				uint64_t x = run(policy_table[p]->name, frames[f], traces[t], N);
				if (opt > x)
					fprintf(stderr,
					        "opt %llu > %s %llu (trace %zu, %llu frames)\n",
					        (unsigned long long)opt, policy_table[p]->name,
					        (unsigned long long)x, t,
					        (unsigned long long)frames[f]);
				CHECK(opt <= x);
			}
		}

	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct drv_ref *t = drv_trace_uniform(N, 50, 0, 200 + seed);
		uint64_t prev_lru = UINT64_MAX, prev_opt = UINT64_MAX;
		for (uint64_t f = 1; f <= 50; f++) {
			uint64_t lru = run("lru", f, t, N), opt = run("opt", f, t, N);
			CHECK(lru <= prev_lru);
			CHECK(opt <= prev_opt);
			prev_lru = lru;
			prev_opt = opt;
		}
		/* with every key resident, only the 50 compulsory faults remain */
		CHECK_EQ_U64(prev_lru, 50);
		CHECK_EQ_U64(prev_opt, 50);
		free(t);
	}

	const uint32_t belady[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
	uint64_t f3 = drv_faults_keys(policy_find("fifo"), 3, belady, 12);
	uint64_t f4 = drv_faults_keys(policy_find("fifo"), 4, belady, 12);
	CHECK_EQ_U64(f3, 9);
	CHECK_EQ_U64(f4, 10);
	CHECK(f4 > f3);

	for (size_t t = 0; t < ARRAY_SIZE(traces); t++)
		free(traces[t]);
	TEST_DONE();
}
