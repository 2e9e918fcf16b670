/*
 * test_trace_blocks.c — the caching literature's text traces: ARC .lis (START COUNT IGNORE SEQ
 * expanded into COUNT blocks), LIRS .trc (`*` checkpoints skipped), libCacheSim txt (object
 * ids folded modulo the region's pages) and csv (columns, delimiter, header, operations);
 * exact op sequences and the errors with FILE:LINE.
 */
#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"
#include "workloads/trace_convert.h"

#define MAP "1 mmap 0x0 0x800000000000 rw anon private\n"

/* The format of a test file: txt is never guessed from a name (".txt" is too common). */
static const char *fmt_of(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && strcmp(name + n - 4, ".txt") == 0 ? "txt" : NULL;
}

static void check_text(const char *name, const char *text, const struct trace_read_opts *opts,
                       const char *want)
{
	struct err err = {{0}};
	char *t = tt_as_vmt_opts(tt_text(name, text), fmt_of(name), opts, &err);
	CHECK(t && strcmp(t, want) == 0);
	if (!t || strcmp(t, want))
		fprintf(stderr, "%s: got\n%s\nerr %s\n", name, t ? t : "(null)", err.msg);
	free(t);
}

static void check_err(const char *name, const char *text, const struct trace_read_opts *opts,
                      const char *want_after_path)
{
	const char *p = tt_text(name, text);
	struct err err = {{0}};
	char *t = tt_as_vmt_opts(p, fmt_of(name), opts, &err);
	CHECK(t == NULL);
	free(t);
	char want[512];
	snprintf(want, sizeof(want), "%s%s", p, want_after_path);
	CHECK_STR_CONTAINS(err.msg, want);
}

int main(void)
{
	struct trace_read_opts o = {.page_size = 4096};
	/* lis: 3 blocks from 10, then 1 block 100, then 2 blocks from 11 (overlapping) */
	check_text("a.lis", "10 3 0 0\n100 1 0 1\n\n11 2 0 2\n", &o,
	           MAP "1 w 0xa000\n1 w 0xb000\n1 w 0xc000\n1 w 0x64000\n1 w 0xb000\n1 w 0xc000\n");
	check_err("b.lis", "10 3 0 0\n5 0 0 1\n", &o,
	          ":2: expected START COUNT IGNORE SEQ (four decimal numbers, COUNT >= 1), got "
	          "\"5 0 0 1\"");
	check_err("c.lis", "1 2 3\n", &o, ":1: expected START COUNT IGNORE SEQ");
	check_err("d.lis", "34359738367 2 0 0\n", &o,
	          ":1: blocks 34359738367..34359738367+2 reach beyond the address space");

	/* trc: checkpoints skipped, reads on request */
	o.block_as_reads = 1;
	check_text("a.trc", "5\n*\n6\n* checkpoint 2\n5\n", &o,
	           MAP "1 r 0x5000\n1 r 0x6000\n1 r 0x5000\n");
	o.block_as_reads = 0;
	check_err("b.trc", "5\n6 7\n", &o,
	          ":2: expected a block number or a * checkpoint (a decimal number), got \"6 7\"");
	check_err("c.trc", "*\n*\n", &o, ": empty trace (no requests)");
	check_err("d.trc", "34359738368\n", &o,
	          ":1: block 34359738368 is beyond the address space");

	/* txt: ids folded modulo 2^35 pages */
	check_text("a.txt", "7\n34359738375\n8\n", &o, MAP "1 w 0x7000\n1 w 0x7000\n1 w 0x8000\n");
	check_err("b.txt", "7\nkey:abc\n", &o, ":2: expected an object id (a decimal number)");

	/* csv: libCacheSim's column options */
	o.csv_obj_id_col = 2;
	o.csv_op_col = 4;
	o.csv_has_header = 1;
	check_text("a.csv", "time,id,size,op\n1,42,100,get\n2,43,10,SET\n3,42,100,gets\n", &o,
	           MAP "1 r 0x2a000\n1 w 0x2b000\n1 r 0x2a000\n");
	check_err("b.csv", "time,id,size,op\n1,42,100,delete\n", &o,
	          ":2: column 4: operation \"delete\" is not a read");
	check_err("c.csv", "time,id,size,op\n1,abc,100,get\n", &o,
	          ":2: column 2: expected a numeric object id, got \"abc\" (string ids are not "
	          "supported)");
	check_err("d.csv", "time,id,size,op\n1,42\n", &o, ":2: no column 4 (op_col)");
	o.csv_op_col = 0;
	o.csv_has_header = 0;
	o.csv_delimiter = '\t';
	check_text("e.csv", "1\t9\n2\t10\n", &o, MAP "1 w 0x9000\n1 w 0xa000\n");

	/* trace info counts a lis expansion */
	struct trace_info info;
	struct err err = {{0}};
	struct trace_read_opts d = {.page_size = 4096};
	CHECK(trace_info_compute(tt_text("i.lis", "0 1000 0 0\n500 1000 0 1\n"), NULL, &d, &info,
	                         &err) == 0);
	CHECK_EQ_U64(info.ops_by_kind[OP_WRITE], 2000);
	CHECK_EQ_U64(info.pages_touched, 1500);
	tt_cleanup();
	TEST_DONE();
}
