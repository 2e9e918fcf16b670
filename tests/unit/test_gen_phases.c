/*
 * test_gen_phases.c — the phases generator: one mapping over the furthest phase, phases
 * switch at exactly their access counts, each stays in its own pages with its own
 * distribution, a seq phase restarts when it begins again, repeat runs the list again.
 */
#include "tests/unit/test_gen_util.h"
#include "workloads/gen_common.h"

int main(void)
{
	struct gen_test g;
	gen_test_open_ok(&g, "phases",
	                 "{\"repeat\": 2, \"write_fraction\": 0, \"phases\": ["
	                 "{\"pages\": 100, \"accesses\": 1000},"
	                 "{\"pages\": 50, \"accesses\": 120, \"offset_pages\": 200, "
	                 "\"distribution\": \"seq\"},"
	                 "{\"pages\": 30, \"accesses\": 3000, \"offset_pages\": 150, "
	                 "\"distribution\": \"zipf\", \"alpha\": 1.5, \"permute\": false}]}",
	                 4);
	struct op op;
	gen_test_next(&g, 1, &op);
	CHECK_EQ_U64(op.kind, OP_MMAP);
	CHECK_EQ_U64(op.len, 250 * GEN_TEST_PAGE);
	uint64_t i = 0;
	int in_phase = 1, seq_order = 1;
	uint64_t zipf_first = 0, zipf_n = 0;
	static uint64_t uni[100];
	while (gen_test_next(&g, 1, &op) && op.kind != OP_EXIT) {
		uint64_t page = (op.addr - GEN_BASE_ADDR) / GEN_TEST_PAGE;
		uint64_t j = i % 4120; /* position within one run of the list */
		if (j < 1000) {
			in_phase &= page < 100;
			uni[page < 100 ? page : 0]++;
		} else if (j < 1120) {
			in_phase &= page >= 200 && page < 250;
			seq_order &= page == 200 + (j - 1000) % 50;
		} else {
			in_phase &= page >= 150 && page < 180;
			zipf_first += page == 150;
			zipf_n++;
		}
		i++;
	}
	gen_test_close(&g);
	CHECK_EQ_U64(i, 2 * 4120);
	CHECK(in_phase);
	CHECK(seq_order);
	/* The uniform phase touches all 100 pages over its 2000 accesses. */
	int all = 1;
	for (int k = 0; k < 100; k++)
		all &= uni[k] > 0;
	CHECK(all);
	/* zipf(1.5) over 30 ranks: rank 1 has p = 1/H(30, 1.5) = 0.44440 (the sum of k^-1.5
	 * for k = 1..30 is 2.25024); 6000 draws: mean 2666.4, sd = 38.5, so within 5 sd. */
	CHECK_EQ_U64(zipf_n, 6000);
	CHECK(zipf_first > 2666 - 192 && zipf_first < 2666 + 192);

	struct err err = {{0}};
	CHECK(gen_test_open(&g, "phases", "{\"phases\": [{\"pages\": 10}]}", 1, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "workload.phases[0].accesses: missing");
	CHECK(gen_test_open(&g, "phases",
	                    "{\"phases\": [{\"pages\": 10, \"accesses\": 5}, {\"pages\": 10, "
	                    "\"accesses\": 5, \"distribution\": \"seq\", \"stride_pages\": 20}]}",
	                    1, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "workload.phases[1].stride_pages");
	TEST_DONE();
}
