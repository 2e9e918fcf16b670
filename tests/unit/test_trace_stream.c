/*
 * test_trace_stream.c — correctness (not speed) of the fast paths of the readers over many
 * buffer refills: 1.5 million vmb accesses with deltas of every varint length (1 to 10 bytes,
 * both signs), r/w/x, process switches, and a pages file of 1 million lines (about 7 MiB, so
 * lines straddle the 1 MiB buffer) with a mix of fast-path and slow-path lines; each is read
 * back and compared with the sequence that was written, op by op.
 */
#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"

/* The i-th op of the synthetic stream (deterministic; addresses stay below 2^57). */
static struct op gen_op(uint64_t i)
{
	uint64_t h = mix64(i);
	struct op op = {.kind = (uint8_t)(h % 3), .pid = (h >> 8) % 16 == 0 ? 2 : 1};
	static const unsigned shifts[] = {3, 6, 12, 13, 20, 21, 27, 34, 41, 48, 56};
	op.addr = (h >> 16) & ((1ull << shifts[(h >> 4) % ARRAY_SIZE(shifts)]) - 1);
	return op;
}

int main(void)
{
	struct trace_read_opts opts = {.page_size = 4096};
	struct err err = {{0}};
	const uint64_t n = 1500000;

	const char *vb = tt_path("stream.vmb");
	void *w;
	CHECK(trace_format_vmb.wopen(&w, vb, &opts, &err) == 0);
	struct op op = {.kind = OP_FORK, .pid = 1, .arg = 2};
	trace_format_vmb.write(w, &op, &err);
	for (uint64_t i = 0; i < n; i++) {
		op = gen_op(i);
		trace_format_vmb.write(w, &op, &err);
	}
	CHECK(trace_format_vmb.wclose(w, &err) == 0);

	struct trace_source s;
	CHECK(trace_source_open(&s, vb, NULL, &opts, &err) == 0);
	CHECK(trace_source_next(&s, &op, &err) == 1 && op.kind == OP_FORK);
	uint64_t same = 0, i = 0;
	int rc;
	while ((rc = trace_source_next(&s, &op, &err)) > 0) {
		struct op want = gen_op(i++);
		same += op.kind == want.kind && op.pid == want.pid && op.addr == want.addr;
	}
	CHECK_EQ_U64(rc, 0);
	CHECK_EQ_U64(i, n);
	CHECK_EQ_U64(same, n);
	trace_source_close(&s);

	/* pages: most lines "N" (fast path), every 7th "0xN r", every 11th "  N w # c" */
	const char *pp = tt_path("stream.pages");
	FILE *f = fopen(pp, "w");
	const uint64_t lines = 1000000;
	for (uint64_t j = 0; j < lines; j++) {
		uint64_t page = mix64(j) % (1ull << 35);
		if (j % 7 == 0)
			fprintf(f, "0x%llx r\n", (unsigned long long)page);
		else if (j % 11 == 0)
			fprintf(f, "  %llu w # c\n", (unsigned long long)page);
		else
			fprintf(f, "%llu\n", (unsigned long long)page);
	}
	fclose(f);
	CHECK(trace_source_open(&s, pp, NULL, &opts, &err) == 0);
	CHECK(trace_source_next(&s, &op, &err) == 1 && op.kind == OP_MMAP);
	same = i = 0;
	while ((rc = trace_source_next(&s, &op, &err)) > 0) {
		uint64_t j = i++;
		same += op.addr == (mix64(j) % (1ull << 35)) * 4096 &&
		        op.kind == (j % 7 == 0 ? OP_READ : OP_WRITE);
	}
	CHECK_EQ_U64(rc, 0);
	CHECK_EQ_U64(i, lines);
	CHECK_EQ_U64(same, lines);
	trace_source_close(&s);

	tt_cleanup();
	TEST_DONE();
}
