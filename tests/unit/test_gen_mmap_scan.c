/*
 * test_gen_mmap_scan.c — the mmap-scan generator: the file declaration comes first, the
 * first process forks the others before mapping, each scanner maps the whole file with the
 * right flags and protection, scans it in order (with a stride: ceil(pages / stride) per
 * pass) `passes` times, unmaps it; the first process waits for each child.
 */
#include "tests/unit/test_gen_util.h"
#include "workloads/gen_common.h"

struct scan_log {
	uint64_t kind[OP_KIND_COUNT];
	uint64_t accesses[8], next_page[8], order_bad, mmap_bad, writes, file_first, n;
	uint64_t mmap_flags, mmap_prot, stride, pages;
	int mapped[8];
};

static void log_op(const struct op *op, void *ctx)
{
	struct scan_log *l = ctx;
	if (l->n++ == 0)
		l->file_first = op->kind == OP_FILE && op->pid == 1 &&
		                strcmp(op->name, "scan.dat") == 0 &&
		                op->len == l->pages * GEN_TEST_PAGE;
	l->kind[op->kind]++;
	switch (op->kind) {
	case OP_MMAP:
		l->mmap_bad += op->addr != GEN_FILE_BASE_ADDR ||
		               op->len != l->pages * GEN_TEST_PAGE || op->flags != l->mmap_flags ||
		               op->prot != l->mmap_prot || strcmp(op->name, "scan.dat") != 0 ||
		               op->offset != 0;
		l->mapped[op->pid] = 1;
		break;
	case OP_FORK:
		/* the parent forks before it maps */
		l->mmap_bad += l->mapped[op->pid];
		break;
	case OP_READ:
	case OP_WRITE: {
		uint64_t page = (op->addr - GEN_FILE_BASE_ADDR) / GEN_TEST_PAGE;
		l->order_bad += !l->mapped[op->pid] || page != l->next_page[op->pid];
		l->next_page[op->pid] = page + l->stride >= l->pages ? 0 : page + l->stride;
		l->accesses[op->pid]++;
		l->writes += op->kind == OP_WRITE;
		break;
	}
	case OP_MUNMAP:
		l->mapped[op->pid] = 0;
		break;
	}
}

static void run(const char *json, uint64_t pages, uint64_t stride, uint8_t flags, uint8_t prot,
                struct scan_log *l)
{
	memset(l, 0, sizeof(*l));
	l->pages = pages;
	l->stride = stride;
	l->mmap_flags = flags;
	l->mmap_prot = prot;
	struct gen_test g;
	gen_test_open_ok(&g, "mmap-scan", json, 5);
	gen_test_run(&g, GEN_ORDER_ROUND_ROBIN, log_op, l);
	gen_test_close(&g);
}

int main(void)
{
	static struct scan_log l;
	run("{\"processes\": 3, \"file_pages\": 100, \"passes\": 2, \"shared\": true}", 100, 1,
	    MAPF_FILE | MAPF_SHARED, PROT_R, &l);
	CHECK(l.file_first);
	CHECK_EQ_U64(l.kind[OP_FILE], 1);
	CHECK_EQ_U64(l.kind[OP_FORK], 2);
	CHECK_EQ_U64(l.kind[OP_MMAP], 3);
	CHECK_EQ_U64(l.kind[OP_MUNMAP], 3);
	CHECK_EQ_U64(l.kind[OP_WAIT], 2);
	CHECK_EQ_U64(l.kind[OP_EXIT], 3);
	CHECK_EQ_U64(l.mmap_bad, 0);
	CHECK_EQ_U64(l.order_bad, 0);
	for (int p = 1; p <= 3; p++)
		CHECK_EQ_U64(l.accesses[p], 200);
	CHECK_EQ_U64(l.writes, 0);
	CHECK_EQ_U64(l.kind[OP_READ], 600);

	/* stride 7 over 100 pages: 0, 7, ..., 98 = 15 accesses a pass; private, read-write,
	 * half writes (Binomial(30, 0.5) for one scanner: 5 sd = 13.7), compute after each. */
	run("{\"processes\": 1, \"file_pages\": 100, \"stride_pages\": 7, \"passes\": 2, "
	    "\"write_fraction\": 0.5, \"compute_ns\": 100}",
	    100, 7, MAPF_FILE, PROT_R | PROT_W, &l);
	CHECK(l.file_first);
	CHECK_EQ_U64(l.kind[OP_FORK], 0);
	CHECK_EQ_U64(l.kind[OP_WAIT], 0);
	CHECK_EQ_U64(l.accesses[1], 30);
	CHECK_EQ_U64(l.kind[OP_COMPUTE], 30);
	CHECK_EQ_U64(l.order_bad, 0);
	CHECK_EQ_U64(l.mmap_bad, 0);
	CHECK(l.writes > 1 && l.writes < 29);

	struct gen_test g;
	struct err err = {{0}};
	CHECK(gen_test_open(&g, "mmap-scan", "{\"file_pages\": 10, \"stride_pages\": 11}", 1,
	                    &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "workload.stride_pages: expected at most file_pages (10)");
	TEST_DONE();
}
