/*
 * test_gen_fork_server.c — the fork-server generator driven by a small scheduler: exact
 * numbers of forks, waits, exits, marks, heap reads, COW writes (round(write_fraction *
 * reads) per request), private mmaps/writes/munmaps and computes; the pool never exceeds
 * `workers`; every COW write follows a read of the same page; marks pair up with unique
 * ids; exec_after and the fork rate; a worker's stream does not depend on the interleaving.
 */
#include "tests/unit/test_gen_util.h"
#include "workloads/gen_common.h"

struct counts {
	uint64_t kind[OP_KIND_COUNT];
	uint64_t heap_reads, heap_writes_parent, heap_writes_child, priv_writes, exec_writes;
	uint64_t mark_begin, mark_end, bad_marks, cow_not_after_read, cgi_execs;
	uint64_t live, max_live, fork_pid_ok;
	uint64_t last_read_addr[GEN_TEST_MAX_PROCS];
	uint64_t open_mark[GEN_TEST_MAX_PROCS]; /* id + 1 of the open request, 0: none */
	uint64_t seen_ids[1024];
	uint64_t hash[GEN_TEST_MAX_PROCS];
	uint64_t global_hash; /* of the interleaved sequence */
};

static void count_op(const struct op *op, void *ctx)
{
	struct counts *c = ctx;
	c->kind[op->kind]++;
	c->global_hash = gen_test_hash_op(c->global_hash, op);
	c->hash[op->pid] =
	    gen_test_hash_op(c->hash[op->pid] ? c->hash[op->pid] : 1469598103ull, op);
	int child = op->pid != 1;
	uint64_t a = op->addr;
	switch (op->kind) {
	case OP_FORK:
		c->fork_pid_ok += op->arg == 2 + c->kind[OP_FORK] - 1;
		c->live++;
		c->max_live = MAX(c->max_live, c->live);
		break;
	case OP_EXIT:
		if (child)
			c->live--;
		break;
	case OP_READ:
		if (a >= GEN_BASE_ADDR && a < GEN_PRIV_BASE_ADDR)
			c->heap_reads++;
		c->last_read_addr[op->pid] = a;
		break;
	case OP_WRITE:
		if (a >= GEN_PRIV_BASE_ADDR && a < GEN_EXEC_BASE_ADDR) {
			c->priv_writes++;
		} else if (a >= GEN_EXEC_BASE_ADDR) {
			c->exec_writes++;
		} else if (!child) {
			c->heap_writes_parent++;
		} else {
			c->heap_writes_child++;
			/* same page as the read just before (offsets differ by one line) */
			c->cow_not_after_read +=
			    a / GEN_TEST_PAGE != c->last_read_addr[op->pid] / GEN_TEST_PAGE;
		}
		break;
	case OP_MARK:
		if (op->flags == MARK_BEGIN) {
			c->mark_begin++;
			c->bad_marks +=
			    c->open_mark[op->pid] != 0 || op->arg >= 1024 || c->seen_ids[op->arg]++;
			c->open_mark[op->pid] = op->arg + 1;
		} else {
			c->mark_end++;
			c->bad_marks += c->open_mark[op->pid] != op->arg + 1;
			c->open_mark[op->pid] = 0;
		}
		break;
	case OP_EXECVE:
		c->cgi_execs += op->name && strcmp(op->name, "cgi") == 0;
		break;
	}
}

#define BASE_JSON                                                                                  \
	"\"heap_pages\": 64, \"workers\": 3, \"total_workers\": 7, \"requests_per_worker\": 5, "   \
	"\"reads_per_request\": 10, \"private_pages_per_request\": 2, "                            \
	"\"request_compute_ns\": 1000"

static void run(const char *json, enum gen_test_order order, struct counts *c)
{
	struct gen_test g;
	memset(c, 0, sizeof(*c));
	gen_test_open_ok(&g, "fork-server", json, 77);
	gen_test_run(&g, order, count_op, c);
	gen_test_close(&g);
}

static void test_pool(void)
{
	static struct counts c;
	run("{" BASE_JSON ", \"write_fraction\": 0.3}", GEN_ORDER_ROUND_ROBIN, &c);
	const uint64_t workers = 7, requests = 35;
	CHECK_EQ_U64(c.kind[OP_FORK], workers);
	CHECK_EQ_U64(c.fork_pid_ok, workers);
	CHECK_EQ_U64(c.kind[OP_WAIT], workers);
	CHECK_EQ_U64(c.kind[OP_EXIT], workers + 1);
	CHECK_EQ_U64(c.max_live, 3);
	CHECK_EQ_U64(c.mark_begin, requests);
	CHECK_EQ_U64(c.mark_end, requests);
	CHECK_EQ_U64(c.bad_marks, 0);
	CHECK_EQ_U64(c.heap_reads, requests * 10);
	CHECK_EQ_U64(c.heap_writes_parent, 64);
	CHECK_EQ_U64(c.heap_writes_child, requests * 3); /* round(0.3 * 10) per request */
	CHECK_EQ_U64(c.cow_not_after_read, 0);
	CHECK_EQ_U64(c.priv_writes, requests * 2);
	CHECK_EQ_U64(c.kind[OP_MMAP], 1 + requests);
	CHECK_EQ_U64(c.kind[OP_MUNMAP], requests);
	CHECK_EQ_U64(c.kind[OP_COMPUTE], requests);
	CHECK_EQ_U64(c.kind[OP_EXECVE], 0);
}

/* COW writes are proportional to write_fraction: 0, 2, 5 and 10 of 10 reads. */
static void test_write_fraction(void)
{
	static struct counts c;
	const char *wf[4] = {"0", "0.2", "0.5", "1"};
	const uint64_t per_request[4] = {0, 2, 5, 10};
	for (int i = 0; i < 4; i++) {
		char json[512];
		snprintf(json, sizeof(json), "{" BASE_JSON ", \"write_fraction\": %s}", wf[i]);
		run(json, GEN_ORDER_ROUND_ROBIN, &c);
		CHECK_EQ_U64(c.heap_writes_child, 35 * per_request[i]);
		CHECK_EQ_U64(c.heap_reads, 350);
	}
}

/* exec_after: each worker execs "cgi" once and writes exec_pages fresh pages. A fork rate:
 * the parent computes after every fork but the last. */
static void test_exec_and_rate(void)
{
	static struct counts c;
	run("{" BASE_JSON ", \"exec_after\": true, \"exec_pages\": 3, \"fork_interval_ns\": 5000,"
	    " \"workers\": 7}",
	    GEN_ORDER_ROUND_ROBIN, &c);
	CHECK_EQ_U64(c.kind[OP_EXECVE], 7);
	CHECK_EQ_U64(c.cgi_execs, 7);
	CHECK_EQ_U64(c.exec_writes, 21);
	CHECK_EQ_U64(c.kind[OP_MMAP], 1 + 35 + 7);
	CHECK_EQ_U64(c.kind[OP_COMPUTE], 35 + 6);
	CHECK_EQ_U64(c.kind[OP_FORK], 7);
	CHECK_EQ_U64(c.kind[OP_WAIT], 7);
}

/* Each process's stream is the same whatever order the scheduler runs them in; another seed
 * changes it. */
static void test_interleaving(void)
{
	static struct counts a, b, d;
	run("{" BASE_JSON "}", GEN_ORDER_ROUND_ROBIN, &a);
	run("{" BASE_JSON "}", GEN_ORDER_NEWEST, &b);
	int same = 1;
	for (int p = 1; p <= 8; p++)
		same &= a.hash[p] == b.hash[p] && a.hash[p] != 0;
	CHECK(same);
	CHECK(a.global_hash != b.global_hash); /* the two orders did interleave differently */
	struct gen_test g;
	memset(&d, 0, sizeof(d));
	gen_test_open_ok(&g, "fork-server", "{" BASE_JSON "}", 78);
	gen_test_run(&g, GEN_ORDER_ROUND_ROBIN, count_op, &d);
	gen_test_close(&g);
	CHECK(d.hash[2] != a.hash[2]);
	CHECK_EQ_U64(d.hash[1], a.hash[1]); /* the parent draws nothing */
}

/* Run pid to its exit; returns the hash of its ops. */
static uint64_t run_to_exit(struct gen_test *g, uint32_t pid)
{
	struct op op;
	uint64_t h = 1;
	while (gen_test_next(g, pid, &op))
		h = gen_test_hash_op(h, &op);
	return h;
}

/* A worker that never runs while 40 others come and go: its pid collides with later ones in
 * the pid table, which must grow and keep its state. Its stream, run at the very end, equals
 * its stream in an ordinary run. */
static void test_long_lived_worker(void)
{
	const char *json = "{\"heap_pages\": 16, \"workers\": 2, \"total_workers\": 41, "
	                   "\"requests_per_worker\": 2, \"reads_per_request\": 4, "
	                   "\"write_fraction\": 0.5}";
	struct gen_test g;
	gen_test_open_ok(&g, "fork-server", json, 9);
	uint64_t forks = 0, waits = 0, newest = 0, first = 0;
	struct op op;
	while (gen_test_next(&g, 1, &op)) {
		if (op.kind == OP_FORK) {
			forks++;
			newest = op.arg;
			if (!first)
				first = op.arg;
		} else if (op.kind == OP_WAIT) {
			waits++;
			/* the newest worker exits; the first one (pid 2) waits to the end */
			run_to_exit(&g, (uint32_t)newest);
		}
	}
	CHECK_EQ_U64(forks, 41);
	CHECK_EQ_U64(first, 2);
	uint64_t late = run_to_exit(&g, 2);
	while (gen_test_next(&g, 1, &op))
		waits += op.kind == OP_WAIT;
	CHECK_EQ_U64(waits, 41);
	gen_test_close(&g);

	gen_test_open_ok(&g, "fork-server", json, 9);
	while (gen_test_next(&g, 1, &op) && op.kind != OP_FORK)
		;
	CHECK_EQ_U64(op.arg, 2);
	CHECK_EQ_U64(run_to_exit(&g, 2), late);
	gen_test_close(&g);
}

int main(void)
{
	test_long_lived_worker();
	test_pool();
	test_write_fraction();
	test_exec_and_rate();
	test_interleaving();
	TEST_DONE();
}
