/*
 * future.c — the OPT future of future.h.
 *
 * Built in two passes over 4-byte entries. Reading: every process's stream is read once more
 * (streams are deterministic; a fork adds the child, processes are read in turns of
 * READ_TURN_OPS so a trace reader buffers little) and each access becomes the dense id of its
 * page (an open-addressing table over the distinct pages). Linking: for each process, its
 * entries are walked backwards, chunk by chunk, replacing each id by the index of the
 * process's next access of that id (a table of the last index per id). Resident memory is
 * 4 bytes per access in memory, or, streamed, the id tables (distinct pages) and a chunk per
 * process being read, whatever the number of accesses. What is not modelled: a page is a
 * process's virtual page number, so an exec or a munmap + mmap at the same address continues
 * the page's future.
 */
#include "sim/engine/future.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A process's operations read before the next process's turn. */
#define READ_TURN_OPS 65536

void future_init(struct future *f, const struct future_host *host)
{
	memset(f, 0, sizeof(*f));
	if (host)
		f->host = *host;
	if (!f->host.memory_max_bytes)
		f->host.memory_max_bytes = FUTURE_MEMORY_MAX_BYTES;
	f->chunk = f->host.chunk_entries ? f->host.chunk_entries : FUTURE_CHUNK_ENTRIES;
	f->fd = -1;
}

static bool stop_requested(const struct future *f)
{
	return f->host.stop_flag && *f->host.stop_flag;
}

static int stopped(const char *file, struct err *err)
{
	return err_set(err,
	               "%s: vm.policy: stopped while reading OPT's future (a signal, or "
	               "--max-rss passed during setup)",
	               file);
}

/* ---- the temporary file ------------------------------------------------------------------ */

static int file_open(struct future *f, const char *file, struct err *err)
{
	const char *dir = f->host.tmp_dir ? f->host.tmp_dir : getenv("TMPDIR");
	char *path = xasprintf("%s/vmsim-future.XXXXXX", dir && *dir ? dir : "/tmp");
	f->fd = mkstemp(path);
	int saved = errno;
	if (f->fd >= 0)
		unlink(path); /* gone when closed, even if vmsim is killed */
	int rc = f->fd < 0
	             ? err_set(err, "%s: vm.policy: cannot create OPT's temporary future %s: %s",
	                       file, path, strerror(saved))
	             : 0;
	free(path);
	return rc;
}

static int file_io(struct future *f, bool write, uint32_t *buf, uint64_t entries, uint64_t off,
                   const char *file, struct err *err)
{
	char *p = (char *)buf;
	uint64_t bytes = entries * sizeof(*buf);
	while (bytes) {
		ssize_t n = write ? pwrite(f->fd, p, bytes, (off_t)off)
		                  : pread(f->fd, p, bytes, (off_t)off);
		if (n <= 0) {
			if (n < 0 && errno == EINTR)
				continue;
			return err_set(err, "%s: vm.policy: OPT's temporary future: %s failed: %s",
			               file, write ? "write" : "read",
			               n ? strerror(errno) : "short file");
		}
		p += n;
		off += (uint64_t)n;
		bytes -= (uint64_t)n;
	}
	return 0;
}

/* Entries in chunk k of p. */
static uint64_t chunk_entries(const struct future *f, const struct future_proc *p, uint64_t k)
{
	return k + 1 < p->nr_chunks ? f->chunk : p->len - k * f->chunk;
}

/* Move every chunk held in memory to the file (FUTURE_AUTO past its limit). */
static int spill(struct future *f, const char *file, struct err *err)
{
	if (f->fd < 0 && file_open(f, file, err))
		return -1;
	for (uint32_t i = 0; i < f->nr_procs; i++) {
		struct future_proc *p = &f->procs[i];
		for (uint64_t k = 0; k < p->nr_chunks; k++) {
			struct future_chunk *c = &p->chunks[k];
			if (!c->mem)
				continue;
			uint64_t n = chunk_entries(f, p, k);
			if (file_io(f, true, c->mem, n, f->file_bytes, file, err))
				return -1;
			c->off = f->file_bytes;
			f->file_bytes += n * sizeof(uint32_t);
			f->mem_bytes -= n * sizeof(uint32_t);
			free(c->mem);
			c->mem = NULL;
		}
	}
	return 0;
}

static bool to_file(const struct future *f)
{
	return f->host.store == FUTURE_FILE || (f->host.store == FUTURE_AUTO && f->fd >= 0);
}

/* p's filled chunk of n entries (p->cur) is complete: keep it, in memory or in the file. */
static int chunk_store(struct future *f, struct future_proc *p, uint64_t n, const char *file,
                       struct err *err)
{
	if (p->nr_chunks == p->cap_chunks) {
		p->cap_chunks = p->cap_chunks ? 2 * p->cap_chunks : 16;
		p->chunks = xrealloc(p->chunks, p->cap_chunks * sizeof(*p->chunks));
	}
	struct future_chunk *c = &p->chunks[p->nr_chunks++];
	if (!to_file(f)) {
		c->mem = n == f->chunk ? p->cur : xrealloc(p->cur, (n ? n : 1) * sizeof(uint32_t));
		c->off = 0;
		p->cur = NULL;
		f->mem_bytes += n * sizeof(uint32_t);
		if (f->host.store == FUTURE_AUTO && f->mem_bytes > f->host.memory_max_bytes)
			return spill(f, file, err);
		return 0;
	}
	if (f->fd < 0 && file_open(f, file, err))
		return -1;
	c->mem = NULL;
	c->off = f->file_bytes;
	f->file_bytes += n * sizeof(uint32_t);
	return file_io(f, true, p->cur, n, c->off, file, err);
}

/* ---- reading: pages to dense ids --------------------------------------------------------- */

static void ids_grow(struct future *f)
{
	uint64_t ocap = f->tcap, *okey = f->tkey;
	uint32_t *oval = f->tval;
	f->tcap = ocap ? 2 * ocap : 1024;
	f->tkey = xmalloc(f->tcap * sizeof(*f->tkey));
	f->tval = xmalloc(f->tcap * sizeof(*f->tval));
	memset(f->tkey, 0xff, f->tcap * sizeof(*f->tkey));
	for (uint64_t i = 0; i < ocap; i++) {
		if (okey[i] == UINT64_MAX)
			continue;
		uint64_t h = mix64(okey[i]) & (f->tcap - 1);
		while (f->tkey[h] != UINT64_MAX)
			h = (h + 1) & (f->tcap - 1);
		f->tkey[h] = okey[i];
		f->tval[h] = oval[i];
	}
	free(okey);
	free(oval);
}

/* The dense id of page (UINT64_MAX is no virtual page number: the empty key). */
static uint32_t page_id(struct future *f, uint64_t page)
{
	if (2 * (f->nr_ids + 1) > f->tcap)
		ids_grow(f);
	uint64_t h = mix64(page) & (f->tcap - 1);
	while (f->tkey[h] != UINT64_MAX && f->tkey[h] != page)
		h = (h + 1) & (f->tcap - 1);
	if (f->tkey[h] == UINT64_MAX) {
		f->tkey[h] = page;
		f->tval[h] = (uint32_t)f->nr_ids++;
	}
	return f->tval[h];
}

static uint32_t proc_add(struct future *f, uint32_t wl_index, uint32_t pid)
{
	if (f->nr_procs == f->cap_procs) {
		f->cap_procs = f->cap_procs ? 2 * f->cap_procs : 4;
		f->procs = xrealloc(f->procs, f->cap_procs * sizeof(*f->procs));
	}
	struct future_proc *p = &f->procs[f->nr_procs];
	memset(p, 0, sizeof(*p));
	p->wl_index = wl_index;
	p->pid = pid;
	p->live = true;
	return f->nr_procs++;
}

/* Append an access of page to process i. */
static int proc_append(struct future *f, uint32_t i, uint64_t page, const char *file,
                       struct err *err)
{
	struct future_proc *p = &f->procs[i];
	if (p->len == (uint64_t)FUTURE_NEVER32 - 1)
		return err_set(err,
		               "%s: vm.policy: opt: process %u makes more than %" PRIu32
		               " accesses, the most OPT's future holds",
		               file, p->pid, FUTURE_NEVER32 - 2);
	if (f->nr_ids == FUTURE_NEVER32 - 1)
		return err_set(err, "%s: vm.policy: opt: more than %" PRIu32 " distinct pages",
		               file, FUTURE_NEVER32 - 2);
	uint64_t pos = p->len % f->chunk;
	if (!p->cur)
		p->cur = xmalloc(f->chunk * sizeof(uint32_t));
	p->cur[pos] = page_id(f, page);
	p->len++;
	if (pos + 1 == f->chunk)
		return chunk_store(f, p, f->chunk, file, err);
	return 0;
}

/* One turn of process i: up to READ_TURN_OPS operations. 1 if it may have more, 0 ended. */
static int proc_read_turn(struct future *f, uint32_t i, const struct workload_ops *ops,
                          struct workload *w, uint64_t page_size, const char *file, struct err *err)
{
	struct op op;
	for (uint32_t n = 0; n < READ_TURN_OPS; n++) {
		uint32_t pid = f->procs[i].pid;
		int rc = ops->next(w, pid, &op, err);
		if (rc <= 0) {
			if (rc < 0)
				return rc;
			struct future_proc *p = &f->procs[i];
			p->live = false;
			uint64_t rest = p->len % f->chunk;
			rc = rest ? chunk_store(f, p, rest, file, err) : 0;
			free(p->cur); /* (NULL once a chunk in memory took it) */
			p->cur = NULL;
			return rc;
		}
		if (op.kind == OP_FORK || op.kind == OP_VFORK || op.kind == OP_THREAD)
			proc_add(f, f->procs[i].wl_index, (uint32_t)op.arg);
		else if (op.kind <= OP_EXEC && proc_append(f, i, op.addr / page_size, file, err))
			return -1;
	}
	return stop_requested(f) ? stopped(file, err) : 1;
}

/* ---- linking: ids to next uses ----------------------------------------------------------- */

/* Replace p's ids by next-use indices, last chunk first; last[] is per id. */
static int proc_link(struct future *f, struct future_proc *p, uint32_t *last, uint32_t *buf,
                     const char *file, struct err *err)
{
	memset(last, 0xff, (f->nr_ids ? f->nr_ids : 1) * sizeof(*last));
	for (uint64_t k = p->nr_chunks; k-- > 0;) {
		struct future_chunk *c = &p->chunks[k];
		uint64_t n = chunk_entries(f, p, k);
		uint32_t *a = c->mem ? c->mem : buf;
		if (!c->mem && file_io(f, false, a, n, c->off, file, err))
			return -1;
		uint32_t base = (uint32_t)(k * f->chunk);
		for (uint64_t j = n; j-- > 0;) {
			uint32_t id = a[j];
			a[j] = last[id];
			last[id] = base + (uint32_t)j;
		}
		if (!c->mem && file_io(f, true, a, n, c->off, file, err))
			return -1;
		if (stop_requested(f))
			return stopped(file, err);
	}
	return 0;
}

int future_build(struct future *f, uint32_t wl_index, const struct workload_ops *ops,
                 const json_t *obj, const struct workload_env *env, uint64_t page_size,
                 const char *file, struct err *err)
{
	struct workload *w;
	int rc = ops->open(&w, obj, env, err);
	if (rc)
		return rc;
	f->built = true;
	uint32_t first = f->nr_procs;
	proc_add(f, wl_index, ops->initial_pid(w));
	/* Turns until every process of this workload has ended (forks append to procs). */
	for (bool any = true; any && !rc;) {
		any = false;
		for (uint32_t i = first; i < f->nr_procs && !rc; i++) {
			if (!f->procs[i].live)
				continue;
			rc = proc_read_turn(f, i, ops, w, page_size, file, err);
			any |= rc > 0;
			rc = rc < 0 ? rc : 0;
		}
	}
	ops->close(w);
	free(f->tkey);
	free(f->tval); /* the ids are known: only their count matters now */
	f->tkey = NULL;
	f->tval = NULL;
	f->tcap = 0;
	if (rc)
		return rc;
	uint32_t *last = xmalloc((f->nr_ids ? f->nr_ids : 1) * sizeof(*last));
	uint32_t *buf = f->fd >= 0 ? xmalloc(f->chunk * sizeof(*buf)) : NULL;
	for (uint32_t i = first; i < f->nr_procs && !rc; i++)
		rc = proc_link(f, &f->procs[i], last, buf, file, err);
	free(last);
	free(buf);
	f->nr_ids = 0; /* the next workload's pages are its own */
	return rc;
}

void future_fini(struct future *f)
{
	for (uint32_t i = 0; i < f->nr_procs; i++) {
		struct future_proc *p = &f->procs[i];
		for (uint64_t k = 0; k < p->nr_chunks; k++)
			free(p->chunks[k].mem);
		free(p->chunks);
		free(p->cur);
	}
	free(f->procs);
	free(f->tkey);
	free(f->tval);
	if (f->fd >= 0)
		close(f->fd);
	memset(f, 0, sizeof(*f));
	f->fd = -1;
}

const char *future_store_name(const struct future *f)
{
	return !f->built ? "none" : f->fd >= 0 ? "file" : "memory";
}

/* ---- reading back ------------------------------------------------------------------------ */

void future_cursor_init(struct future_cursor *c, struct future *f, uint32_t wl_index, uint32_t pid)
{
	memset(c, 0, sizeof(*c));
	c->f = f;
	c->proc = UINT32_MAX;
	for (uint32_t i = 0; i < f->nr_procs; i++) {
		struct future_proc *p = &f->procs[i];
		if (!p->claimed && p->wl_index == wl_index && p->pid == pid) {
			p->claimed = true;
			c->proc = i;
			break;
		}
	}
}

void future_cursor_fini(struct future_cursor *c)
{
	free(c->buf);
	c->buf = NULL;
	c->n = 0;
}

uint32_t future_cursor_seek(struct future_cursor *c, uint64_t idx)
{
	if (c->proc == UINT32_MAX)
		return FUTURE_NEVER32;
	struct future *f = c->f;
	const struct future_proc *p = &f->procs[c->proc];
	if (idx >= p->len)
		return FUTURE_NEVER32;
	uint64_t k = idx / f->chunk;
	const struct future_chunk *ch = &p->chunks[k];
	uint64_t n = chunk_entries(f, p, k);
	if (ch->mem) {
		c->win = ch->mem;
	} else {
		struct err err = {{0}};
		if (!c->buf)
			c->buf = xmalloc(f->chunk * sizeof(*c->buf));
		/* The file was written by this process and is still open: failing to read it
		 * back is the host failing (a disk error), not bad input. */
		BUG_ON(file_io(f, false, c->buf, n, ch->off, "OPT's future", &err), "%s", err.msg);
		c->win = c->buf;
	}
	c->start = k * f->chunk;
	c->n = n;
	return c->win[idx - c->start];
}
