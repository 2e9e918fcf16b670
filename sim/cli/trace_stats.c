/*
 * trace_stats.c — see trace_stats.h: the one pass over the trace (a hash map of pages with
 * their access counts and last window, the exact LRU stack of mrc.c), the Zipf fit, and the
 * CSV / JSON files. trace_stats_cli.c has the command line and the plots.
 */
#include "sim/cli/trace_stats.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli/mrc.h"
#include "workloads/trace_source.h"

/* A page's key: its process's index (order of appearance) above bit 45, its virtual page
 * number below (57-bit addresses hold at most 2^45 pages of 4 KiB or more). */
#define KEY_PAGE_BITS 45
#define KEY_MAX_PROCS (1u << (64 - KEY_PAGE_BITS - 1))

struct page_entry {
	uint64_t key1;   /* key + 1; 0: empty */
	uint64_t count;  /* accesses */
	uint64_t window; /* 1 + the last window it was accessed in */
};

struct page_map {
	struct page_entry *e;
	uint64_t mask, used;
};

static uint64_t key_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

static struct page_entry *map_slot(struct page_map *m, uint64_t key)
{
	uint64_t i = key_hash(key) & m->mask;
	while (m->e[i].key1 && m->e[i].key1 != key + 1)
		i = (i + 1) & m->mask;
	return &m->e[i];
}

static void map_grow(struct page_map *m)
{
	struct page_map big = {.mask = m->mask * 2 + 1};
	big.e = xcalloc(big.mask + 1, sizeof(*big.e));
	for (uint64_t i = 0; i <= m->mask; i++)
		if (m->e[i].key1)
			*map_slot(&big, m->e[i].key1 - 1) = m->e[i];
	big.used = m->used;
	free(m->e);
	*m = big;
}

/* The entry of key, added (count 0) if new. */
static struct page_entry *map_get(struct page_map *m, uint64_t key)
{
	if ((m->used + 1) * 2 > m->mask + 1)
		map_grow(m);
	struct page_entry *e = map_slot(m, key);
	if (!e->key1) {
		e->key1 = key + 1;
		m->used++;
	}
	return e;
}

void trace_stats_zipf_fit(const uint64_t *counts, uint64_t n, uint64_t min_count, double *alpha,
                          double *se, double *ln_c, uint64_t *ranks)
{
	uint64_t k = 0;
	while (k < n && counts[k] >= min_count)
		k++;
	*ranks = k;
	*alpha = *se = *ln_c = NAN;
	if (k < 2)
		return;
	double sw = 0, sx = 0, sy = 0;
	for (uint64_t r = 1; r <= k; r++) {
		double w = (double)counts[r - 1];
		sw += w;
		sx += w * log((double)r);
		sy += w * log(w);
	}
	double mx = sx / sw, my = sy / sw, sxx = 0, sxy = 0;
	for (uint64_t r = 1; r <= k; r++) {
		double w = (double)counts[r - 1], dx = log((double)r) - mx;
		sxx += w * dx * dx;
		sxy += w * dx * (log(w) - my);
	}
	*alpha = -sxy / sxx;
	*se = 1 / sqrt(sxx);
	*ln_c = my + *alpha * mx;
}

static int cmp_desc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* The process record of pid (added if new); its index in *idx. */
static struct trace_stats_proc *proc_of(struct trace_stats *st, uint32_t pid, uint32_t *idx)
{
	for (uint32_t i = st->nr_procs; i-- > 0;)
		if (st->procs[i].pid == pid) {
			*idx = i;
			return &st->procs[i];
		}
	st->procs = xrealloc(st->procs, (st->nr_procs + 1) * sizeof(*st->procs));
	*idx = st->nr_procs;
	st->procs[st->nr_procs] = (struct trace_stats_proc){.pid = pid};
	return &st->procs[st->nr_procs++];
}

/* One access: counts, the window's distinct pages, the LRU stack. */
static void stats_access(struct trace_stats *st, struct page_map *m, struct mrc_lru *lru,
                         uint64_t key, uint64_t *cap_windows)
{
	uint64_t w = st->accesses / st->window;
	if (w >= st->nr_windows) {
		if (w >= *cap_windows) {
			*cap_windows = *cap_windows ? *cap_windows * 2 : 64;
			st->wss = xrealloc(st->wss, *cap_windows * sizeof(*st->wss));
			st->wss_total = xrealloc(st->wss_total, *cap_windows * sizeof(uint64_t));
		}
		st->wss[w] = 0;
		st->nr_windows = w + 1;
	}
	struct page_entry *e = map_get(m, key);
	e->count++;
	if (e->window != w + 1) {
		e->window = w + 1;
		st->wss[w]++;
	}
	st->wss_total[w] = m->used;
	mrc_lru_access(lru, key);
	st->accesses++;
}

/* The per-page results once the trace is read: counts sorted, pages per process, reuse. */
static void stats_finish(struct trace_stats *st, struct page_map *m, struct mrc_lru *lru)
{
	st->pages = m->used;
	st->counts = xmalloc((m->used ? m->used : 1) * sizeof(*st->counts));
	uint64_t n = 0;
	for (uint64_t i = 0; i <= m->mask; i++) {
		if (!m->e[i].key1)
			continue;
		st->counts[n++] = m->e[i].count;
		st->procs[(m->e[i].key1 - 1) >> KEY_PAGE_BITS].pages++;
	}
	qsort(st->counts, n, sizeof(*st->counts), cmp_desc);
	trace_stats_zipf_fit(st->counts, n, TRACE_STATS_FIT_MIN_COUNT, &st->zipf_alpha,
	                     &st->zipf_se, &st->zipf_ln_c, &st->zipf_ranks);
	/* faults[m] of the exact LRU curve = accesses with stack distance > m; reuse distance =
	 * stack distance - 1. */
	struct mrc_curve c;
	mrc_lru_curve(lru, &c);
	st->reuse = xcalloc(st->pages ? st->pages : 1, sizeof(*st->reuse));
	for (uint64_t d = 0; d < st->pages; d++)
		st->reuse[d] = c.faults[d] - c.faults[d + 1];
	st->cold = st->pages ? c.faults[st->pages] : 0;
	mrc_curve_fini(&c);
}

int trace_stats_compute(const char *path, const struct trace_format *fmt,
                        const struct trace_read_opts *opts, uint64_t window, struct trace_stats *st,
                        struct err *err)
{
	memset(st, 0, sizeof(*st));
	st->page_size = opts->page_size;
	st->window = window;
	struct trace_source src;
	int rc = trace_source_open(&src, path, fmt, opts, err);
	if (rc < 0)
		return rc;
	struct page_map m = {.mask = 1023};
	m.e = xcalloc(m.mask + 1, sizeof(*m.e));
	struct mrc_lru_opts lo = {0};
	struct mrc_lru *lru = mrc_lru_create(&lo);
	unsigned shift = (unsigned)__builtin_ctzll(opts->page_size);
	uint64_t cap_windows = 0;
	struct op op;
	while ((rc = trace_source_next(&src, &op, err)) > 0) {
		if (op.kind > OP_EXEC)
			continue;
		uint32_t idx;
		struct trace_stats_proc *p = proc_of(st, op.pid, &idx);
		if (idx >= KEY_MAX_PROCS) {
			rc = err_set(err, "%s: more than %u processes access memory", path,
			             KEY_MAX_PROCS);
			break;
		}
		p->reads += op.kind == OP_READ;
		p->writes += op.kind == OP_WRITE;
		p->fetches += op.kind == OP_EXEC;
		stats_access(st, &m, lru, ((uint64_t)idx << KEY_PAGE_BITS) | (op.addr >> shift),
		             &cap_windows);
	}
	trace_source_close(&src);
	if (rc == 0)
		stats_finish(st, &m, lru);
	free(m.e);
	mrc_lru_destroy(lru);
	if (rc < 0)
		trace_stats_fini(st);
	return rc;
}

void trace_stats_fini(struct trace_stats *st)
{
	free(st->reuse);
	free(st->counts);
	free(st->wss);
	free(st->wss_total);
	free(st->procs);
	memset(st, 0, sizeof(*st));
}

/* Each output is written to PATH.tmp and renamed over PATH only when every output was written
 * whole: a failed or interrupted `trace stats` leaves earlier results as they were. */
static FILE *open_out(const char *dir, const char *name, char **path, struct err *err)
{
	*path = xasprintf("%s/%s", dir, name);
	char *tmp = xasprintf("%s.tmp", *path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		err_setc(err, VMSIM_EIO, "%s: cannot write: %s", tmp, strerror(errno));
	free(tmp);
	return f;
}

/* Close PATH.tmp; rename it over PATH when commit and it was written whole, else remove it. */
static int close_out(FILE *f, char *path, bool commit, struct err *err)
{
	char *tmp = xasprintf("%s.tmp", path);
	int bad = ferror(f);
	bad |= fclose(f) != 0;
	int rc = bad ? err_setc(err, VMSIM_EIO, "%s: write failed", tmp) : 0;
	if (bad || !commit)
		unlink(tmp);
	else if (rename(tmp, path) < 0)
		rc = err_setc(err, VMSIM_EIO, "%s: cannot rename to %s: %s", tmp, path,
		              strerror(errno));
	free(tmp);
	free(path);
	return rc;
}

/* reuse.csv: the histogram in power-of-two buckets [lo, hi] (0, 1, 2-3, 4-7, ...), then the
 * cold accesses (distance "inf"). */
static void write_reuse(FILE *f, const struct trace_stats *st)
{
	fprintf(f, "distance_lo,distance_hi,accesses\n");
	for (uint64_t lo = 0; lo < st->pages; lo = lo ? lo * 2 : 1) {
		uint64_t hi = lo ? MIN(lo * 2 - 1, st->pages - 1) : 0, sum = 0;
		for (uint64_t d = lo; d <= hi; d++)
			sum += st->reuse[d];
		fprintf(f, "%llu,%llu,%llu\n", (unsigned long long)lo, (unsigned long long)hi,
		        (unsigned long long)sum);
	}
	fprintf(f, "inf,inf,%llu\n", (unsigned long long)st->cold);
}

static void write_csvs(FILE *f[4], const struct trace_stats *st)
{
	write_reuse(f[0], st);
	fprintf(f[1], "rank,accesses\n");
	for (uint64_t r = 0; r < st->pages; r++)
		fprintf(f[1], "%llu,%llu\n", (unsigned long long)r + 1,
		        (unsigned long long)st->counts[r]);
	fprintf(f[2], "accesses_end,window_pages,total_pages\n");
	for (uint64_t w = 0; w < st->nr_windows; w++)
		fprintf(f[2], "%llu,%llu,%llu\n",
		        (unsigned long long)MIN((w + 1) * st->window, st->accesses),
		        (unsigned long long)st->wss[w], (unsigned long long)st->wss_total[w]);
	fprintf(f[3], "pid,reads,writes,fetches,pages\n");
	for (uint32_t i = 0; i < st->nr_procs; i++) {
		const struct trace_stats_proc *p = &st->procs[i];
		fprintf(f[3], "%u,%llu,%llu,%llu,%llu\n", p->pid, (unsigned long long)p->reads,
		        (unsigned long long)p->writes, (unsigned long long)p->fetches,
		        (unsigned long long)p->pages);
	}
}

static json_t *summary_json(const struct trace_stats *st, const char *trace)
{
	json_t *j = json_object();
	json_object_set_new(j, "trace", json_string(trace));
	json_object_set_new(j, "page_size", json_integer((json_int_t)st->page_size));
	json_object_set_new(j, "accesses", json_integer((json_int_t)st->accesses));
	json_object_set_new(j, "pages", json_integer((json_int_t)st->pages));
	json_object_set_new(j, "processes", json_integer(st->nr_procs));
	json_object_set_new(j, "reuse.cold", json_integer((json_int_t)st->cold));
	double sum = 0;
	uint64_t n = 0;
	for (uint64_t d = 0; d < st->pages; d++) {
		sum += (double)d * (double)st->reuse[d];
		n += st->reuse[d];
	}
	json_object_set_new(j, "reuse.mean", n ? json_real(sum / (double)n) : json_null());
	json_object_set_new(j, "wss.window_accesses", json_integer((json_int_t)st->window));
	json_object_set_new(j, "zipf.alpha",
	                    isnan(st->zipf_alpha) ? json_null() : json_real(st->zipf_alpha));
	json_object_set_new(j, "zipf.alpha_se",
	                    isnan(st->zipf_se) ? json_null() : json_real(st->zipf_se));
	json_object_set_new(j, "zipf.ranks_fitted", json_integer((json_int_t)st->zipf_ranks));
	json_object_set_new(j, "zipf.method",
	                    json_string("weighted least squares of ln(count) on ln(rank), weight "
	                                "= count, ranks with count >= 10"));
	return j;
}

int trace_stats_write(const struct trace_stats *st, const char *trace, const char *dir,
                      struct err *err)
{
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return err_setc(err, VMSIM_EIO, "%s: cannot create: %s", dir, strerror(errno));
	static const char *const names[4] = {"reuse.csv", "popularity.csv", "wss.csv", "mix.csv"};
	FILE *f[4] = {NULL};
	char *paths[4] = {NULL};
	int rc = 0;
	for (int i = 0; i < 4 && rc == 0; i++)
		if (!(f[i] = open_out(dir, names[i], &paths[i], err)))
			rc = -VMSIM_EIO;
	if (rc == 0)
		write_csvs(f, st);
	for (int i = 0; i < 4; i++) {
		if (f[i] && close_out(f[i], paths[i], rc == 0, rc ? NULL : err) < 0)
			rc = -VMSIM_EIO;
		else if (!f[i])
			free(paths[i]);
	}
	if (rc < 0)
		return rc;
	json_t *j = summary_json(st, trace);
	char *path = xasprintf("%s/summary.json", dir), *tmp = xasprintf("%s.tmp", path);
	if (json_dump_file(j, tmp, JSON_INDENT(1) | JSON_SORT_KEYS | JSON_REAL_PRECISION(6)) < 0) {
		unlink(tmp);
		rc = err_setc(err, VMSIM_EIO, "%s: cannot write", tmp);
	} else if (rename(tmp, path) < 0) {
		unlink(tmp);
		rc = err_setc(err, VMSIM_EIO, "%s: cannot rename to %s: %s", tmp, path, strerror(errno));
	}
	free(tmp);
	free(path);
	json_decref(j);
	return rc;
}
