/*
 * mrc_mini.c — miniature simulations of mrc_mini.h: the sample written once as a vmb trace
 * (one mmap of the sampled pages, then one write per sampled reference), then one simulation of
 * it per memory size through the engine (sim_init/sim_run), as `vmsim run` would.
 */
#include "sim/cli/mrc_mini.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/engine/sim.h"
#include "workloads/trace_format.h"

/* Where the sampled pages are mapped in the miniature's one process (page id i at
 * MINI_BASE + i pages). */
#define MINI_BASE 0x10000000ull
#define MINI_PAGE_BYTES 4096ull

void mrc_mini_init(struct mrc_mini *m, uint32_t threshold)
{
	memset(m, 0, sizeof(*m));
	m->threshold = threshold;
	mrc_trace_init(&m->sample);
}

void mrc_mini_fini(struct mrc_mini *m)
{
	mrc_trace_fini(&m->sample);
}

uint64_t mrc_mini_distinct(const struct mrc_mini *m)
{
	uint64_t s = m->sample.nr_distinct;
	return (s * MRC_SHARDS_MODULUS + m->threshold / 2) / m->threshold;
}

double mrc_mini_ratio(const struct mrc_mini *m, const struct mrc_mini_point *p,
                      uint64_t nr_distinct)
{
	if (!m->nr_refs || !m->sample.nr_distinct)
		return 0.0;
	double per_page = nr_distinct ? (double)nr_distinct / (double)m->sample.nr_distinct
	                              : (double)MRC_SHARDS_MODULUS / m->threshold;
	double r = (double)p->mini_faults * per_page / (double)m->nr_refs;
	return r < 1.0 ? r
	               : 1.0; /* (a tiny sample of hot pages can scale beyond every reference) */
}

/* The sample as a vmb trace at path. */
static int write_sample(const struct mrc_mini *m, const char *path, struct err *err)
{
	const struct trace_format *fmt = &trace_format_vmb;
	struct trace_read_opts o = {.page_size = MINI_PAGE_BYTES};
	void *w;
	int rc = fmt->wopen(&w, path, &o, err);
	if (rc)
		return rc;
	struct op op = {.kind = OP_MMAP,
	                .pid = 1,
	                .prot = PROT_R | PROT_W,
	                .addr = MINI_BASE,
	                .len =
	                    (m->sample.nr_distinct ? m->sample.nr_distinct : 1) * MINI_PAGE_BYTES};
	rc = fmt->write(w, &op, err);
	memset(&op, 0, sizeof(op));
	op.kind = OP_WRITE;
	op.pid = 1;
	for (size_t i = 0; i < m->sample.nr_refs && !rc; i++) {
		op.addr = MINI_BASE + (uint64_t)m->sample.ids[i] * MINI_PAGE_BYTES;
		rc = fmt->write(w, &op, err);
	}
	struct err werr = {{0}};
	int wrc = fmt->wclose(w, rc ? &werr : err);
	return rc ? rc : wrc;
}

/* One miniature: the sample at path under policy in p->mini_frames frames. */
static int run_point(const char *path, const char *policy, const struct config_override *sets,
                     size_t nr_sets, struct mrc_mini_point *p, struct err *err)
{
	char *text = xasprintf(
	    "{\"memory\": {\"frames\": %" PRIu64 "}, \"sim\": {\"timing\": false},"
	    " \"vm\": {\"policy\": \"%s\", \"reclaim\": \"on-demand\", \"fault_around_pages\": 0,"
	    " \"readahead_pages\": 0},"
	    " \"workload\": {\"type\": \"trace\", \"format\": \"vmb\", \"path\": \"%s\"}}",
	    p->mini_frames, policy, path);
	struct config cfg;
	int rc = config_load_string(&cfg, text, "mrc", sets, nr_sets, err);
	free(text);
	if (rc)
		return rc;
	struct sim *s = xcalloc(1, sizeof(*s));
	rc = sim_init(s, &cfg, err);
	if (!rc)
		rc = sim_run(s);
	p->mini_refs = s->c.accesses;
	p->mini_faults = s->c.faults;
	sim_fini(s);
	free(s);
	config_fini(&cfg);
	return rc;
}

/* The miniature of a memory of frames: scaled by the sampled share of the pages, S / D when
 * the trace's distinct pages D are known, else by the rate. */
static uint64_t mini_frames(const struct mrc_mini *m, uint64_t frames, uint64_t nr_distinct)
{
	if (nr_distinct)
		return (frames * m->sample.nr_distinct + nr_distinct / 2) / nr_distinct;
	return (frames * m->threshold + MRC_SHARDS_MODULUS / 2) / MRC_SHARDS_MODULUS;
}

int mrc_mini_run(const struct mrc_mini *m, const char *policy, const struct config_override *sets,
                 size_t nr_sets, uint64_t nr_distinct, const char *tmp_dir,
                 struct mrc_mini_point *pts, size_t n, struct err *err)
{
	const char *dir = tmp_dir ? tmp_dir : getenv("TMPDIR");
	char *path = xasprintf("%s/vmsim-mrc-mini.XXXXXX.vmb", dir && *dir ? dir : "/tmp");
	int fd = mkstemps(path, 4);
	if (fd < 0) {
		int rc =
		    err_set(err, "%s: cannot create the sampled trace: %s", path, strerror(errno));
		free(path);
		return rc;
	}
	close(fd);
	int rc = write_sample(m, path, err);
	for (size_t i = 0; i < n && !rc; i++) {
		uint64_t f = mini_frames(m, pts[i].frames, nr_distinct);
		pts[i].mini_frames = f ? f : 1;
		rc = run_point(path, policy, sets, nr_sets, &pts[i], err);
	}
	unlink(path);
	free(path);
	return rc;
}
