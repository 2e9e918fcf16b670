/*
 * fifo.c — first in, first out: the victim is the page that became resident longest ago,
 * whatever its use since. The textbook policy that shows Belady's anomaly
 * (Belady, Nelson & Shedler, CACM 1969). Sees only inserts.
 */
#include <stdlib.h>

#include "models/policy/pfnlist.h"
#include "models/policy/policy.h"

struct fifo {
	struct pfnlist_links links;
	struct pfnlist queue; /* head: newest, tail: oldest */
};

static void *fifo_create(const struct policy_env *env, const json_t *params)
{
	struct fifo *f = xcalloc(1, sizeof(*f));
	pfnlist_links_init(&f->links, env->nr_frames);
	pfnlist_init(&f->queue);
	return f;
}

static void fifo_destroy(void *pol)
{
	struct fifo *f = pol;
	pfnlist_links_fini(&f->links);
	free(f);
}

static void fifo_insert(void *pol, pfn_t pfn, uint64_t key, uint64_t next_use)
{
	struct fifo *f = pol;
	pfnlist_push_head(&f->links, &f->queue, pfn);
}

static void fifo_remove(void *pol, pfn_t pfn)
{
	struct fifo *f = pol;
	pfnlist_del(&f->links, &f->queue, pfn);
}

static pfn_t fifo_evict(void *pol)
{
	struct fifo *f = pol;
	return pfnlist_pop_tail(&f->links, &f->queue);
}

static unsigned fifo_peek(void *pol, pfn_t *out, unsigned max)
{
	struct fifo *f = pol;
	return pfnlist_peek_tail(&f->links, &f->queue, out, max);
}

const struct policy_ops policy_fifo = {
    .name = "fifo",
    .description = "first in, first out: evicts the page resident longest",
    .source = "Belady, Nelson & Shedler, CACM 12(6), 1969",
    .create = fifo_create,
    .destroy = fifo_destroy,
    .insert = fifo_insert,
    .remove = fifo_remove,
    .evict = fifo_evict,
    .peek = fifo_peek,
};
