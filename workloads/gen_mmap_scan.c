/*
 * gen_mmap_scan.c — the `mmap-scan` generator: `processes` processes map one file and scan
 * it, all at once, sharing the page cache (grep -r, a database's sequential scan, a backup).
 *
 * The first process (pid 1) declares the file (OP_FILE `file`, file_pages pages), forks the
 * other scanners (pids 2 .. processes) before it maps anything, so no mapping is inherited,
 * and then scans like them. Each scanner: OP_MMAP of the whole file at GEN_FILE_BASE_ADDR
 * (MAPF_FILE, MAPF_SHARED when `shared`; PROT_R, plus PROT_W when write_fraction > 0), an
 * OP_MADVISE of the whole mapping with `advice` unless it is "none" (what a scanner tells the
 * kernel: MADV_SEQUENTIAL, MADV_RANDOM, MADV_WILLNEED...), then `passes` passes over pages 0,
 * stride, 2*stride, ... < file_pages (ceil(file_pages / stride_pages) accesses each), each access a
 * write with probability write_fraction from the scanner's own stream and followed by compute_ns of
 * compute when > 0, then OP_MUNMAP. The first process then waits for each child (processes - 1
 * OP_WAIT 0) and every scanner exits. With a file larger than memory the scans show readahead and
 * the eviction of clean pages; with shared=true and writes, dirty page cache pages and writeback.
 *
 * Memory: one small record per scanner.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/gen_common.h"

static const struct param_spec mmap_scan_params[] = {
    {.key = "file",
     .type = PARAM_STRING,
     .def = "\"scan.dat\"",
     .doc = "name of the simulated file"},
    {.key = "file_pages",
     .type = PARAM_INT,
     .def = "65536",
     .min = 1,
     .max = 1e12,
     .doc = "size of the file, pages"},
    {.key = "processes",
     .type = PARAM_INT,
     .def = "2",
     .min = 1,
     .max = 65536,
     .doc = "scanners running at once"},
    {.key = "shared",
     .type = PARAM_BOOL,
     .def = "false",
     .doc = "MAP_SHARED (writes dirty the page cache) instead of MAP_PRIVATE (writes COW)"},
    {.key = "stride_pages",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 1e12,
     .doc = "distance between consecutive accesses, pages"},
    {.key = "passes",
     .type = PARAM_INT,
     .def = "1",
     .min = 1,
     .max = 1e12,
     .doc = "times each scanner scans the file"},
    {.key = "write_fraction",
     .type = PARAM_REAL,
     .def = "0",
     .min = 0,
     .max = 1,
     .doc = "probability that an access is a write (0: a read-only mapping)"},
    {.key = "advice",
     .type = PARAM_ENUM,
     .def = "\"none\"",
     .choices = "none|normal|sequential|random|willneed",
     .doc = "madvise of the whole mapping after the mmap (none: no call): the readahead hint "
            "(docs/vm.md, \"Readahead of file faults\")"},
    {.key = "compute_ns",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 1e12,
     .doc = "compute time after each access, ns (0: none)"},
    {0},
};

enum scan_state {
	S_FILE, /* pid 1: declare the file */
	S_FORK, /* pid 1: fork the next scanner */
	S_MMAP,
	S_ADVISE, /* madvise(advice) of the mapping */
	S_ACCESS,
	S_COMPUTE,
	S_MUNMAP,
	S_WAIT, /* pid 1: wait for a child */
	S_EXIT,
	S_DONE,
};

struct scanner {
	enum scan_state state;
	uint64_t pass;    /* passes finished */
	uint64_t page;    /* the next page of this pass */
	uint64_t counter; /* accesses so far */
	uint64_t n;       /* pid 1: forks or waits emitted in the current step */
	gsl_rng *rng;     /* owned */
};

struct mmap_scan {
	char *file; /* owned */
	uint64_t page_size, file_pages, stride_pages, passes, compute_ns;
	uint32_t processes;
	uint8_t advice; /* enum op_advice, 0: none */
	bool shared;
	double write_fraction;
	struct scanner *scanners; /* [processes]; pid p is scanners[p - 1] */
};

/* The advice named by the `advice` parameter (its choices are checked), 0 for "none". */
static uint8_t scan_advice(const char *name)
{
	static const struct {
		const char *name;
		uint8_t advice;
	} advices[] = {{"normal", ADV_NORMAL},
	               {"sequential", ADV_SEQUENTIAL},
	               {"random", ADV_RANDOM},
	               {"willneed", ADV_WILLNEED}};
	for (size_t i = 0; i < sizeof(advices) / sizeof(advices[0]); i++)
		if (strcmp(name, advices[i].name) == 0)
			return advices[i].advice;
	return 0;
}

static int mmap_scan_open(struct workload **out, const json_t *params,
                          const struct workload_env *env, struct err *err)
{
	uint64_t file_pages = (uint64_t)params_get_int(params, "file_pages");
	uint64_t stride = (uint64_t)params_get_int(params, "stride_pages");
	uint64_t max_pages = gen_region_max_pages(env->page_size);
	if (file_pages > max_pages)
		return err_set(err,
		               "%s: %s.file_pages: expected at most %llu pages (1 TiB), got %llu",
		               env->config_file, env->config_path, (unsigned long long)max_pages,
		               (unsigned long long)file_pages);
	if (stride > file_pages)
		return err_set(err,
		               "%s: %s.stride_pages: expected at most file_pages (%llu), got %llu",
		               env->config_file, env->config_path, (unsigned long long)file_pages,
		               (unsigned long long)stride);
	const char *file = params_get_string(params, "file");
	if (!*file)
		return err_set(err, "%s: %s.file: expected a non-empty name", env->config_file,
		               env->config_path);
	struct mmap_scan *m = xcalloc(1, sizeof(*m));
	m->file = xstrdup(file);
	m->page_size = env->page_size;
	m->file_pages = file_pages;
	m->stride_pages = stride;
	m->passes = (uint64_t)params_get_int(params, "passes");
	m->compute_ns = (uint64_t)params_get_int(params, "compute_ns");
	m->processes = (uint32_t)params_get_int(params, "processes");
	m->shared = params_get_bool(params, "shared");
	m->advice = scan_advice(params_get_string(params, "advice"));
	m->write_fraction = params_get_real(params, "write_fraction");
	m->scanners = xcalloc(m->processes, sizeof(*m->scanners));
	for (uint32_t i = 0; i < m->processes; i++) {
		m->scanners[i].state = i == 0 ? S_FILE : S_MMAP;
		m->scanners[i].rng = gen_rng_create(env->seed, GEN_INITIAL_PID + i);
	}
	*out = (struct workload *)m;
	return 0;
}

static uint32_t mmap_scan_initial_pid(const struct workload *w)
{
	return GEN_INITIAL_PID;
}

/* What a scanner does once its scan is over. */
static enum scan_state after_scan(const struct mmap_scan *m, uint32_t pid)
{
	return pid == GEN_INITIAL_PID && m->processes > 1 ? S_WAIT : S_EXIT;
}

static int mmap_scan_next(struct workload *w, uint32_t pid, struct op *op, struct err *err)
{
	struct mmap_scan *m = (struct mmap_scan *)w;
	BUG_ON(pid < GEN_INITIAL_PID || pid - GEN_INITIAL_PID >= m->processes,
	       "mmap-scan: no process %u", pid);
	struct scanner *sc = &m->scanners[pid - GEN_INITIAL_PID];
	*op = (struct op){.pid = pid};
	switch (sc->state) {
	case S_FILE:
		op->kind = OP_FILE;
		op->name = m->file;
		op->len = m->file_pages * m->page_size;
		sc->state = m->processes > 1 ? S_FORK : S_MMAP;
		sc->n = 0;
		return 1;
	case S_FORK:
		op->kind = OP_FORK;
		op->arg = GEN_INITIAL_PID + 1 + sc->n;
		if (++sc->n == m->processes - 1)
			sc->state = S_MMAP;
		return 1;
	case S_MMAP:
		op->kind = OP_MMAP;
		op->addr = GEN_FILE_BASE_ADDR;
		op->len = m->file_pages * m->page_size;
		op->prot = PROT_R | (m->write_fraction > 0 ? PROT_W : 0);
		op->flags = MAPF_FILE | (m->shared ? MAPF_SHARED : 0);
		op->name = m->file;
		op->offset = 0;
		sc->state = m->advice ? S_ADVISE : S_ACCESS;
		return 1;
	case S_ADVISE:
		op->kind = OP_MADVISE;
		op->addr = GEN_FILE_BASE_ADDR;
		op->len = m->file_pages * m->page_size;
		op->arg = m->advice;
		sc->state = S_ACCESS;
		return 1;
	case S_ACCESS: {
		bool write =
		    m->write_fraction >= 1 ||
		    (m->write_fraction > 0 && gsl_rng_uniform(sc->rng) < m->write_fraction);
		op->kind = write ? OP_WRITE : OP_READ;
		op->addr = GEN_FILE_BASE_ADDR + sc->page * m->page_size +
		           gen_page_offset(sc->counter++, m->page_size);
		sc->page += m->stride_pages;
		bool last = false;
		if (sc->page >= m->file_pages) {
			sc->page = 0;
			last = ++sc->pass == m->passes;
		}
		sc->state = m->compute_ns ? S_COMPUTE : last ? S_MUNMAP : S_ACCESS;
		return 1;
	}
	case S_COMPUTE:
		op->kind = OP_COMPUTE;
		op->arg = m->compute_ns;
		sc->state = sc->pass == m->passes ? S_MUNMAP : S_ACCESS;
		return 1;
	case S_MUNMAP:
		op->kind = OP_MUNMAP;
		op->addr = GEN_FILE_BASE_ADDR;
		op->len = m->file_pages * m->page_size;
		sc->state = after_scan(m, pid);
		sc->n = 0;
		return 1;
	case S_WAIT:
		op->kind = OP_WAIT;
		op->arg = 0;
		if (++sc->n == m->processes - 1)
			sc->state = S_EXIT;
		return 1;
	case S_EXIT:
		op->kind = OP_EXIT;
		sc->state = S_DONE;
		return 1;
	case S_DONE:
		return 0;
	}
	return 0;
}

static void mmap_scan_close(struct workload *w)
{
	struct mmap_scan *m = (struct mmap_scan *)w;
	if (!m)
		return;
	for (uint32_t i = 0; i < m->processes; i++)
		gsl_rng_free(m->scanners[i].rng);
	free(m->scanners);
	free(m->file);
	free(m);
}

const struct workload_ops workload_gen_mmap_scan = {
    .name = "mmap-scan",
    .description = "processes that map one file and scan it at once, sharing the page cache",
    .params = mmap_scan_params,
    .open = mmap_scan_open,
    .initial_pid = mmap_scan_initial_pid,
    .next = mmap_scan_next,
    .close = mmap_scan_close,
};
