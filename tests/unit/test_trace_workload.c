/*
 * test_trace_workload.c — the "trace" workload type: the demultiplexer gives each process its
 * own operations in file order whatever order the scheduler asks in; `file` declarations go
 * to the process of the next operation; the read-ahead stays bounded by the interleaving on a
 * well-interleaved trace and buffers everything in the documented pathological case; the
 * pages and oracle formats through the same type; open errors name the config and JSON path.
 */
#include "tests/unit/test.h"
#include "tests/unit/trace_test_util.h"
#include "workloads/trace.h"

static struct workload *open_trace(const char *path, const char *format, const char *access,
                                   struct err *err)
{
	json_t *obj = json_pack("{s:s, s:s}", "path", path, "format", format);
	if (access)
		json_object_set_new(obj, "oracle_access", json_string(access));
	const struct workload_ops *ops = workload_find("trace");
	struct workload *w = NULL;
	struct workload_env env = {.config_file = "test.json",
	                           .config_path = "workload",
	                           .base_dir = "",
	                           .seed = 1,
	                           .page_size = 4096};
	if (params_resolve(ops->params, obj, "test.json", "workload", err) == 0 &&
	    ops->open(&w, obj, &env, err) < 0)
		w = NULL;
	json_decref(obj);
	return w;
}

/* Append pid's next op as a vmt line to out[pid]; returns next()'s result. */
static int step(struct workload *w, uint32_t pid, char **out, struct err *err)
{
	struct op op;
	int rc = workload_trace.next(w, pid, &op, err);
	if (rc == 1) {
		char line[1300];
		size_t n = trace_format_vmt_line(&op, line, sizeof(line) - 1);
		line[n++] = '\n';
		line[n] = '\0';
		size_t have = out[pid] ? strlen(out[pid]) : 0;
		out[pid] = realloc(out[pid], have + n + 1);
		memcpy(out[pid] + have, line, n + 1);
	}
	return rc;
}

int main(void)
{
	struct err err = {{0}};
	CHECK(workload_find("trace") == &workload_trace);

	/* small.vmt, newest process first, one op at a time */
	struct workload *w = open_trace("tests/data/traces/small.vmt", "vmt", NULL, &err);
	CHECK(w != NULL);
	if (w) {
		CHECK_EQ_U64(workload_trace.initial_pid(w), 1);
		char *out[4] = {0};
		int live[4] = {0, 1, 0, 0};
		for (int progress = 1; progress;) {
			progress = 0;
			for (int pid = 3; pid >= 1; pid--) {
				if (!live[pid])
					continue;
				int rc = step(w, (uint32_t)pid, out, &err);
				CHECK(rc >= 0);
				if (rc == 1) {
					progress = 1;
					const char *last = strrchr(out[pid], '\n');
					while (last > out[pid] && last[-1] != '\n')
						last--;
					if (strstr(last, " fork "))
						live[atoi(strstr(last, " fork ") + 6)] = 1;
					if (strstr(last, " exit"))
						live[pid] = 0;
				}
			}
		}
		CHECK(out[1] &&
		      strcmp(out[1], "file data.bin 0x10000\n" /* delivered to pid 1 */
		                     "1 mmap 0x10000 0x4000 rw anon private\n"
		                     "1 w 0x10000\n"
		                     "1 w 0x11000\n"
		                     "1 r 0x10008\n"
		                     "1 mmap 0x7f0000000000 0x200000 rw anon private huge\n"
		                     "1 w 0x7f0000000000\n"
		                     "1 madvise 0x7f0000000000 0x200000 nohugepage\n"
		                     "1 mmap 0x200000 0x2000 r file:data.bin:0x1000 shared\n"
		                     "1 r 0x200010\n"
		                     "1 mmap 0x400000 0x1000 rx anon private\n"
		                     "1 x 0x400000\n"
		                     "1 x 0x400004\n"
		                     "1 fork 2\n"
		                     "1 compute 250\n"
		                     "1 fork 3\n"
		                     "1 wait 2\n"
		                     "1 wait\n"
		                     "1 msync 0x200000 0x1000\n"
		                     "1 munmap 0x10000 0x4000\n"
		                     "1 compute 1000\n"
		                     "1 exit\n") == 0);
		CHECK(out[2] && strcmp(out[2], "2 w 0x10000\n2 r 0x11000\n"
		                               "2 madvise 0x11000 0x1000 dontneed\n2 exit\n") == 0);
		CHECK(out[3] &&
		      strcmp(out[3], "3 mprotect 0x10000 0x1000 r\n3 r 0x10000\n"
		                     "3 exec worker\n3 mmap 0x10000 0x1000 rw anon private\n"
		                     "3 w 0x10000\n3 exit\n") == 0);
		struct op op;
		CHECK(workload_trace.next(w, 1, &op, &err) == 0); /* ended */
		for (int i = 0; i < 4; i++)
			free(out[i]);
		workload_trace.close(w);
	}

	/* Well interleaved: 2 processes alternate line by line over 200000 lines; the scheduler
	 * runs each for quanta of 1000 ops. While one runs 1000 ops, the other's 1000 (one per
	 * line in between) are queued: the read-ahead never exceeds one quantum. */
	const char *il = tt_path("interleaved.vmt");
	FILE *f = fopen(il, "w");
	fprintf(f, "1 mmap 0x0 0x100000000 rw anon private\n1 fork 2\n");
	for (int i = 0; i < 100000; i++)
		fprintf(f, "1 w 0x%x\n2 r 0x%x\n", i * 64, i * 128);
	fclose(f);
	w = open_trace(il, "vmt", NULL, &err);
	CHECK(w != NULL);
	if (w) {
		uint64_t n1 = 0, n2 = 0, bad_order = 0;
		int done1 = 0, done2 = 0;
		struct op op;
		while (!done1 || !done2) {
			for (int q = 0; q < 1000 && !done1; q++) {
				if (workload_trace.next(w, 1, &op, &err) != 1) {
					done1 = 1;
					break;
				}
				if (op.kind == OP_WRITE)
					bad_order += op.addr != n1++ * 64;
			}
			for (int q = 0; q < 1000 && !done2; q++) {
				if (workload_trace.next(w, 2, &op, &err) != 1) {
					done2 = 1;
					break;
				}
				bad_order += op.kind != OP_READ || op.addr != n2++ * 128;
			}
		}
		CHECK_EQ_U64(n1, 100000);
		CHECK_EQ_U64(n2, 100000);
		CHECK_EQ_U64(bad_order, 0);
		CHECK(trace_workload_max_buffered(w) <= 1000);
		CHECK(trace_workload_max_buffered(w) >= 990); /* ~ one quantum (997 here) */
		workload_trace.close(w);
	}

	/* Pathological: pid 2's whole life comes first in the file, and pid 1 asks first. */
	const char *pa = tt_path("patho.vmt");
	f = fopen(pa, "w");
	fprintf(f, "1 mmap 0x0 0x100000000 rw anon private\n1 fork 2\n");
	for (int i = 0; i < 10000; i++)
		fprintf(f, "2 w 0x%x\n", i * 8);
	fprintf(f, "2 exit\n1 r 0x0\n1 exit\n");
	fclose(f);
	w = open_trace(pa, "vmt", NULL, &err);
	if (w) {
		struct op op;
		CHECK(workload_trace.next(w, 1, &op, &err) == 1 && op.kind == OP_MMAP);
		CHECK(workload_trace.next(w, 1, &op, &err) == 1 && op.kind == OP_FORK);
		CHECK(workload_trace.next(w, 1, &op, &err) == 1 && op.kind == OP_READ);
		CHECK_EQ_U64(trace_workload_max_buffered(w), 10001); /* 10000 writes + exit */
		workload_trace.close(w);
	}

	/* pages through the same type: the region mmap, then page N at N * 4096 */
	w = open_trace("tests/data/traces/small.pages", "pages", NULL, &err);
	CHECK(w != NULL);
	if (w) {
		static const uint64_t pages[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5, 16};
		struct op op;
		CHECK(workload_trace.next(w, 1, &op, &err) == 1 && op.kind == OP_MMAP &&
		      op.addr == 0 && op.len == 1ull << 47);
		int ok = 0;
		for (size_t i = 0; i < ARRAY_SIZE(pages); i++) {
			int reads = i == 6 || i == 12;
			ok += workload_trace.next(w, 1, &op, &err) == 1 &&
			      op.kind == (reads ? OP_READ : OP_WRITE) && op.addr == pages[i] * 4096;
		}
		CHECK_EQ_U64(ok, ARRAY_SIZE(pages));
		CHECK(workload_trace.next(w, 1, &op, &err) == 0);
		workload_trace.close(w);
	}

	/* oracle as writes: ids 7 0 1 2 0 3 0 4 2 3, 2^35+5 folds to 5, 2^64-1 to 2^35-1 */
	w = open_trace("tests/data/traces/small.oracleGeneral", "oracle", "write", &err);
	CHECK(w != NULL);
	if (w) {
		static const uint64_t ids[] = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 5, (1ull << 35) - 1};
		struct op op;
		CHECK(workload_trace.next(w, 1, &op, &err) == 1 && op.kind == OP_MMAP);
		int ok = 0;
		for (size_t i = 0; i < ARRAY_SIZE(ids); i++)
			ok += workload_trace.next(w, 1, &op, &err) == 1 && op.kind == OP_WRITE &&
			      op.addr == ids[i] * 4096;
		CHECK_EQ_U64(ok, ARRAY_SIZE(ids));
		CHECK(workload_trace.next(w, 1, &op, &err) == 0);
		workload_trace.close(w);
	}

	/* open errors */
	CHECK(open_trace("/nonexistent/t.vmt", "vmt", NULL, &err) == NULL);
	CHECK_STR_CONTAINS(err.msg, "test.json: workload.path: /nonexistent/t.vmt: cannot open");
	CHECK(open_trace(tt_text("empty.vmt", "# nothing\n"), "vmt", NULL, &err) == NULL);
	CHECK_STR_CONTAINS(err.msg, "the trace holds no process operation");
	CHECK(open_trace("tests/data/traces/small.vmt", "vmx", NULL, &err) == NULL);
	CHECK_STR_CONTAINS(err.msg, "workload.format");
	w = open_trace(tt_text("bad2.vmt", "1 fork 2\n2 w 0x0\n2 bogus\n"), "vmt", NULL, &err);
	if (w) {
		struct op op;
		CHECK(workload_trace.next(w, 1, &op, &err) == 1);
		CHECK(workload_trace.next(w, 1, &op, &err) < 0); /* reads ahead into line 3 */
		CHECK_STR_CONTAINS(err.msg, "bad2.vmt:3: unknown operation \"bogus\"");
		workload_trace.close(w);
	}

	tt_cleanup();
	TEST_DONE();
}
