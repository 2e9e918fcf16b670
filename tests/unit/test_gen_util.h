/*
 * test_gen_util.h — helpers for the generator tests: open a generator from JSON text the way
 * the config loader does (params_resolve, then open), and drive every process of a workload
 * with a tiny scheduler (fork adds a process, wait blocks until a child has exited, exit
 * removes it) in one of two interleavings, handing each operation to a callback.
 */
#ifndef VMSIM_TESTS_TEST_GEN_UTIL_H
#define VMSIM_TESTS_TEST_GEN_UTIL_H

#include <stdlib.h>

#include "tests/unit/test.h"
#include "workloads/workload.h"

#define GEN_TEST_PAGE 4096ull
#define GEN_TEST_MAX_PROCS 64

struct gen_test {
	const struct workload_ops *ops;
	struct workload *w;
};

/* Open type with params (JSON text) and seed; returns the open's code, err filled on error. */
static inline int gen_test_open(struct gen_test *g, const char *type, const char *json,
                                uint64_t seed, struct err *err)
{
	g->ops = workload_find(type);
	g->w = NULL;
	if (!g->ops)
		return err_set(err, "no workload type %s", type);
	json_error_t jerr;
	json_t *obj = json_loads(json, 0, &jerr);
	if (!obj)
		return err_set(err, "bad test JSON: %s", jerr.text);
	int rc = params_resolve(g->ops->params, obj, "test.json", "workload", err);
	if (!rc) {
		struct workload_env env = {.config_file = "test.json",
		                           .config_path = "workload",
		                           .base_dir = ".",
		                           .seed = seed,
		                           .page_size = GEN_TEST_PAGE};
		rc = g->ops->open(&g->w, obj, &env, err);
	}
	json_decref(obj); /* generators must not keep pointers into their params */
	return rc;
}

/* Open that must succeed; aborts the test program otherwise. */
static inline void gen_test_open_ok(struct gen_test *g, const char *type, const char *json,
                                    uint64_t seed)
{
	struct err err = {{0}};
	if (gen_test_open(g, type, json, seed, &err)) {
		fprintf(stderr, "open %s %s: %s\n", type, json, err.msg);
		exit(1);
	}
}

static inline void gen_test_close(struct gen_test *g)
{
	g->ops->close(g->w);
	g->w = NULL;
}

/* The next op of pid, which must exist (a generator never fails on its own params). */
static inline int gen_test_next(struct gen_test *g, uint32_t pid, struct op *op)
{
	struct err err = {{0}};
	int rc = g->ops->next(g->w, pid, op, &err);
	if (rc < 0) {
		fprintf(stderr, "next(%u): %s\n", pid, err.msg);
		exit(1);
	}
	return rc;
}

enum gen_test_order {
	GEN_ORDER_ROUND_ROBIN, /* one op of each runnable process in turn */
	GEN_ORDER_NEWEST,      /* the newest runnable process runs until it blocks or exits */
};

typedef void (*gen_test_fn)(const struct op *op, void *ctx);

struct gen_test_proc {
	uint32_t pid, parent;
	int waiting; /* blocked in OP_WAIT */
	int zombies; /* children exited and not waited for */
	int live;
};

/*
 * Run the whole workload; fn sees every op (may be NULL). Returns the number of ops. Checks
 * the interface contract on the way: every op carries its process's pid, next() after OP_EXIT
 * returns 0, no deadlock; a violation counts a failed CHECK and stops.
 */
static inline uint64_t gen_test_run(struct gen_test *g, enum gen_test_order order, gen_test_fn fn,
                                    void *ctx)
{
	struct gen_test_proc p[GEN_TEST_MAX_PROCS] = {{0}};
	int np = 1;
	p[0] = (struct gen_test_proc){.pid = g->ops->initial_pid(g->w), .live = 1};
	uint64_t nops = 0;
	int alive = 1, cur = 0;
	while (alive) {
		int progress = 0;
		for (int k = 0; k < np; k++) {
			int i = order == GEN_ORDER_ROUND_ROBIN ? (cur + k) % np : np - 1 - k;
			struct gen_test_proc *q = &p[i];
			if (!q->live)
				continue;
			if (q->waiting) {
				if (!q->zombies)
					continue;
				q->zombies--;
				q->waiting = 0;
			}
			struct op op;
			int rc = gen_test_next(g, q->pid, &op);
			progress = 1;
			int exited = 0;
			if (rc == 0) {
				exited = 1;
			} else {
				nops++;
				if (op.pid != q->pid) {
					CHECK(op.pid == q->pid);
					return nops;
				}
				if (fn)
					fn(&op, ctx);
				if (op.kind == OP_FORK) {
					if (np == GEN_TEST_MAX_PROCS) {
						CHECK(np < GEN_TEST_MAX_PROCS);
						return nops;
					}
					p[np++] = (struct gen_test_proc){
					    .pid = (uint32_t)op.arg, .parent = q->pid, .live = 1};
					alive++;
					q = &p[i];
				} else if (op.kind == OP_WAIT) {
					if (q->zombies)
						q->zombies--;
					else
						q->waiting = 1;
				} else if (op.kind == OP_EXIT) {
					struct op after;
					CHECK(gen_test_next(g, q->pid, &after) == 0);
					exited = 1;
				}
			}
			if (exited) {
				q->live = 0;
				alive--;
				for (int j = 0; j < np; j++)
					if (p[j].live && p[j].pid == q->parent)
						p[j].zombies++;
			}
			cur = (i + 1) % np;
			break;
		}
		if (!progress && alive) {
			CHECK(!"deadlock: every live process waits");
			return nops;
		}
	}
	return nops;
}

/* FNV-1a over the fields of an op that define it. */
static inline uint64_t gen_test_hash_op(uint64_t h, const struct op *op)
{
	uint64_t v[7] = {op->kind, op->prot, op->flags, op->pid, op->addr, op->len, op->arg};
	for (int i = 0; i < 7; i++)
		for (int b = 0; b < 8; b++) {
			h ^= (v[i] >> (8 * b)) & 0xff;
			h *= 0x100000001b3ull;
		}
	return h;
}

#endif
