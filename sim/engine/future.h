/*
 * future.h — the OPT future (future.c): for each access of each process, the index of that
 * process's next access to the same page, read from a second pass over the workload's
 * deterministic streams before the run. Only for policies that declare POLICY_NEEDS_FUTURE.
 *
 * One future per process (a workload that forks has one for every child): a process's next
 * use is counted in its own accesses, and the engine places it on the run's global access
 * clock as "now + the process's own distance to it" (exact for one process; see
 * docs/policies.md for why not the global order of a first run). 4 bytes per access, kept in
 * memory or, past a size, streamed: written to an unlinked temporary file in chunks, the
 * backward pass run chunk by chunk over the file, then read back sequentially as processes run.
 * Either way the results are the same: where the future lives is a host matter.
 */
#ifndef VMSIM_SIM_ENGINE_FUTURE_H
#define VMSIM_SIM_ENGINE_FUTURE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/policy/policy.h"
#include "sim/base/util.h"
#include "workloads/workload.h"

/* An entry that means "never used again" (so a process has at most 2^32 - 2 accesses). */
#define FUTURE_NEVER32 UINT32_MAX
/* Entries per chunk (256 KiB): the unit of the temporary file and of the read-back buffer. */
#define FUTURE_CHUNK_ENTRIES (1u << 16)
/* FUTURE_AUTO keeps the future in memory up to this many bytes (and half of --max-rss). */
#define FUTURE_MEMORY_MAX_BYTES (1ull << 30)

enum future_store {
	FUTURE_AUTO,   /* memory until memory_max_bytes, then the rest goes to the file */
	FUTURE_MEMORY, /* always in memory */
	FUTURE_FILE,   /* always streamed through the temporary file */
};

/* How the future is kept (never what it holds). */
struct future_host {
	enum future_store store;
	uint64_t memory_max_bytes;        /* FUTURE_AUTO's limit (0: FUTURE_MEMORY_MAX_BYTES) */
	uint32_t chunk_entries;           /* 0: FUTURE_CHUNK_ENTRIES (tests use tiny chunks) */
	const char *tmp_dir;              /* where the temporary file goes (NULL: $TMPDIR, /tmp) */
	volatile sig_atomic_t *stop_flag; /* set asynchronously (--max-rss, SIGINT): stop */
};

/* One chunk of a process's future: in memory (mem) or at byte offset off of the file. */
struct future_chunk {
	uint32_t *mem;
	uint64_t off;
};

/* One process's future. */
struct future_proc {
	uint32_t wl_index, pid; /* whose (a pid may be reused after an exit: claimed in order) */
	bool claimed;           /* a task reads it */
	bool live;              /* still being read */
	uint64_t len;           /* accesses */
	struct future_chunk *chunks;
	uint64_t nr_chunks, cap_chunks;
	uint32_t *cur; /* while reading: the chunk being filled (len % chunk entries in it) */
};

struct future {
	struct future_host host;
	uint32_t chunk; /* entries per chunk */
	bool built;     /* a future was asked for */
	int fd;         /* the temporary file, or -1 */
	uint64_t file_bytes;
	uint64_t mem_bytes; /* chunks held in memory */
	struct future_proc *procs;
	uint32_t nr_procs, cap_procs;
	/* Pages interned to dense ids while reading (freed before the backward pass). */
	uint64_t *tkey;
	uint32_t *tval;
	uint64_t tcap, nr_ids;
};

/* A task's read position in its process's future: the chunk holding the entries
 * [start, start + n) of it (n = 0: none yet or no future). */
struct future_cursor {
	const uint32_t *win;
	uint64_t start, n;
	struct future *f;
	uint32_t proc; /* index in f->procs, or UINT32_MAX: this task has no future */
	uint32_t *buf; /* a file chunk read back (new) */
};

/* An empty future (nothing built) kept as host says. */
void future_init(struct future *f, const struct future_host *host);
/* Read the streams of the workload ops opens with obj and env a second time (every process,
 * following its forks), record every access's page, then link each access to the same
 * process's next access of that page (pages of page_size); the workload is the config's
 * wl_index-th. < 0 with err naming file on bad input, a process of 2^32 - 1 accesses or more,
 * a temporary file that cannot be written, or a stop requested through host.stop_flag. */
int future_build(struct future *f, uint32_t wl_index, const struct workload_ops *ops,
                 const json_t *obj, const struct workload_env *env, uint64_t page_size,
                 const char *file, struct err *err);
void future_fini(struct future *f);
/* Where the future lives, for run.json: "none", "memory", "file". */
const char *future_store_name(const struct future *f);

/* The cursor of the task with this pid of workload wl_index: the first future of that process
 * not yet claimed, or none. */
void future_cursor_init(struct future_cursor *c, struct future *f, uint32_t wl_index, uint32_t pid);
void future_cursor_fini(struct future_cursor *c);
/* The chunk holding entry idx (idx >= the previous call's: processes read forward), or none
 * (NEXT_USE_NEVER for every idx). Returns entry idx. */
uint32_t future_cursor_seek(struct future_cursor *c, uint64_t idx);

/* The OPT future of a process's access number idx on the global access clock: the global
 * count of its next access to the same page when the process's own accesses are offset_acc
 * behind the global count, NEXT_USE_NEVER when there is none (or no future was built).
 * idx never decreases between calls. */
static inline uint64_t future_next_use(struct future_cursor *c, uint64_t idx, uint64_t offset_acc)
{
	uint64_t k = idx - c->start;
	uint32_t v;
	if (likely(k < c->n))
		v = c->win[k];
	else if (c->proc == UINT32_MAX) /* no future: two tests, no call */
		return NEXT_USE_NEVER;
	else
		v = future_cursor_seek(c, idx);
	return v == FUTURE_NEVER32 ? NEXT_USE_NEVER : v + offset_acc;
}

#endif
