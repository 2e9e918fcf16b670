/*
 * future.c — the OPT future of future.h.
 *
 * OPT reads the future: the page of every later access of the process. It is built by reading
 * the workload's stream once more (streams are deterministic) and linking each access to the
 * next access of the same page, through an open-addressing table of the last access per page.
 * Exact for one process; a workload that forks is rejected, since the global order of several
 * processes' references depends on the simulation itself.
 */
#include "sim/engine/future.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* The page of every access of the stream, in order, into *pages_out (n of them). */
static int read_pages(const struct workload_ops *ops, const json_t *obj,
                      const struct workload_env *env, uint64_t page_size, const char *file,
                      uint64_t **pages_out, uint64_t *n_out, struct err *err)
{
	struct workload *w;
	int rc = ops->open(&w, obj, env, err);
	if (rc)
		return rc;
	uint32_t pid = ops->initial_pid(w);
	uint64_t cap = 1u << 16, n = 0;
	uint64_t *pages = xmalloc(cap * sizeof(*pages));
	struct op op;
	while ((rc = ops->next(w, pid, &op, err)) == 1) {
		if (op.kind == OP_FORK) {
			rc = err_set(err,
			             "%s: vm.policy: opt reads the future of one process, but this "
			             "workload forks (process %u forks %" PRIu64 ")",
			             file, pid, op.arg);
			break;
		}
		if (op.kind != OP_READ && op.kind != OP_WRITE && op.kind != OP_EXEC)
			continue;
		if (n == cap) {
			cap *= 2;
			pages = xrealloc(pages, cap * sizeof(*pages));
		}
		pages[n++] = op.addr / page_size;
	}
	ops->close(w);
	if (rc < 0) {
		free(pages);
		return rc;
	}
	*pages_out = pages;
	*n_out = n;
	return 0;
}

int future_build(struct future *f, const struct workload_ops *ops, const json_t *obj,
                 const struct workload_env *env, uint64_t page_size, const char *file,
                 struct err *err)
{
	uint64_t *pages, n;
	int rc = read_pages(ops, obj, env, page_size, file, &pages, &n, err);
	if (rc)
		return rc;
	/* Walk backwards: next_use[i] = the index of the next access of pages[i]. */
	uint64_t tcap = 1024;
	while (tcap < 2 * n + 2)
		tcap *= 2;
	uint64_t *tkey = xmalloc(tcap * sizeof(*tkey)), *tval = xmalloc(tcap * sizeof(*tval));
	memset(tkey, 0xff, tcap * sizeof(*tkey));
	uint64_t *next = xmalloc((n ? n : 1) * sizeof(*next));
	for (uint64_t i = n; i-- > 0;) {
		uint64_t h = mix64(pages[i]) & (tcap - 1);
		while (tkey[h] != UINT64_MAX && tkey[h] != pages[i])
			h = (h + 1) & (tcap - 1);
		next[i] = tkey[h] == UINT64_MAX ? NEXT_USE_NEVER : tval[h];
		tkey[h] = pages[i];
		tval[h] = i;
	}
	free(tkey);
	free(tval);
	free(pages);
	f->next_use = next;
	f->len = n;
	return 0;
}

void future_fini(struct future *f)
{
	free(f->next_use);
	f->next_use = NULL;
	f->len = 0;
}
