/*
 * plot_cli.c — `vmsim plot DIR`: draw whatever fits the results found in DIR with gnuplot.
 *
 * DIR is a sweep directory (sweep.json + points/, from `vmsim sweep`) or a run directory
 * (stats.json, timeseries.csv, latency_cdf.csv from `vmsim run`). The C side only reshapes
 * results into small data files and a vars file (DIR/plots/data/<plot>.{dat,vars.gp}); the
 * look lives in scripts/plot/<name>.gp, run as `gnuplot <plot>.vars.gp <script>.gp`, which a user
 * can repeat by hand after editing a script. Each plot is written as PNG and SVG under
 * DIR/plots/:
 *  - faults[-<group>]: faults.total against memory.frames, one line per vm.policy, OPT dashed
 *    (sweeps that vary memory.frames; one plot per combination of the other parameters);
 *  - cdf-access, cdf-fault: latency CDFs from each run's latency_cdf.csv, log latency axis;
 *  - timeseries: resident memory, faults and swap traffic per interval (run directories);
 *  - breakdown: stacked simulated time from the time.*_ps statistics.
 * What it ignores: runs without the files a plot needs (that plot is skipped, not an error).
 */
#include "sim/cli/plot_cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli/plot.h"
#include "sim/cli/sweep.h"

/* ---- latency CDFs ---- */

/* One CDF plot of metric over the runs listed in idx (n of them); suffix names the group. */
static void plot_cdf(struct plotter *pl, const char *metric, struct config_run *runs,
                     const size_t *idx, size_t n, const char *suffix, const char *group)
{
	char name[200], slug[160];
	slug_into(slug, sizeof(slug), suffix);
	snprintf(name, sizeof(name), "cdf-%s%s%s", metric, *slug ? "-" : "", slug);
	char *path;
	FILE *f = data_open(pl, name, &path);
	if (!f) {
		pl->nr_failed++;
		return;
	}
	size_t blocks = 0, cap = 256, len = 0;
	char *titles = xcalloc(1, cap);
	for (size_t ii = 0; ii < n; ii++) {
		size_t i = idx[ii];
		char *cpath = xasprintf("%s/latency_cdf.csv", runs[i].dir);
		FILE *c = fopen(cpath, "r");
		free(cpath);
		if (!c)
			continue;
		char line[512];
		size_t rows = 0, mlen = strlen(metric);
		while (fgets(line, sizeof(line), c)) {
			if (strncmp(line, metric, mlen) || line[mlen] != ',')
				continue;
			unsigned long long v;
			char frac[64];
			if (sscanf(line + mlen + 1, "%llu,%63s", &v, frac) != 2)
				continue;
			if (!rows && blocks)
				fputs("\n\n", f);
			/* picoseconds -> nanoseconds for the axis */
			fprintf(f, "%llu.%03llu %s\n", v / 1000, v % 1000, frac);
			rows++;
		}
		fclose(c);
		if (!rows)
			continue;
		blocks++;
		char *t = gp_text(runs[i].label);
		char *w = xasprintf("%s\"%s\"", len ? " " : "", t);
		size_t wl = strlen(w);
		if (len + wl + 1 > cap) {
			cap = 2 * (len + wl + 1);
			titles = xrealloc(titles, cap);
		}
		memcpy(titles + len, w, wl + 1);
		len += wl;
		free(w);
		free(t);
	}
	fclose(f);
	if (blocks) {
		char *g = gp_text(group);
		char *vars =
		    xasprintf("datafile = '%s'\ntitles = '%s'\nplottitle = '%s%s%s'\n"
		              "xlabel = '%s latency (ns, log scale)'\n",
		              path, titles,
		              !strcmp(metric, "access") ? "Memory access latency CDF"
		                                        : "Page fault latency CDF",
		              *g ? ": " : "", g, !strcmp(metric, "access") ? "access" : "fault");
		free(g);
		plot_run(pl, name, "cdf.gp", vars);
		free(vars);
	} else {
		unlink(path);
	}
	free(titles);
	free(path);
}

/* ---- time breakdown ---- */

static const char *const breakdown_keys[] = {"time.tlb_ps",       "time.walk_ps",
                                             "time.dram_ps",      "time.fault_ps",
                                             "time.disk_wait_ps", "time.compute_ps"};
static const char *const breakdown_names[] = {"TLB",    "page walks", "DRAM",
                                              "faults", "disk wait",  "compute"};

static uint64_t stat_u64(const json_t *stats, const char *key, bool *found)
{
	json_t *v = stats ? json_object_get(stats, key) : NULL;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		if (found)
			*found = true;
		return (uint64_t)json_integer_value(v);
	}
	return 0;
}

static void plot_breakdown(struct plotter *pl, struct config_run *runs, size_t n,
                           const char *xlabel)
{
	uint64_t max_total = 0;
	size_t nr = 0;
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		uint64_t total = 0;
		for (size_t k = 0; k < ARRAY_SIZE(breakdown_keys); k++)
			total += stat_u64(runs[i].stats, breakdown_keys[k], &found);
		nr += found;
		max_total = MAX(max_total, total);
	}
	if (!nr)
		return;
	static const struct {
		const char *name;
		double ps;
	} units[] = {{"s", 1e12}, {"ms", 1e9}, {"\u00b5s", 1e6}, {"ns", 1e3}, {"ps", 1}};
	size_t u = 0;
	while (u + 1 < ARRAY_SIZE(units) && (double)max_total < units[u].ps)
		u++;
	char *path;
	FILE *f = data_open(pl, "breakdown", &path);
	if (!f) {
		pl->nr_failed++;
		return;
	}
	fputs("configuration", f);
	for (size_t k = 0; k < ARRAY_SIZE(breakdown_names); k++)
		fprintf(f, "\t%s", breakdown_names[k]);
	fputc('\n', f);
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < ARRAY_SIZE(breakdown_keys); k++)
			stat_u64(runs[i].stats, breakdown_keys[k], &found);
		if (!found)
			continue;
		char *t = gp_text(runs[i].short_label ? runs[i].short_label : runs[i].label);
		for (char *p = t; *p; p++)
			if (*p == '\t')
				*p = ' ';
		fputs(t, f);
		free(t);
		for (size_t k = 0; k < ARRAY_SIZE(breakdown_keys); k++)
			fprintf(f, "\t%.6g",
			        (double)stat_u64(runs[i].stats, breakdown_keys[k], NULL) /
			            units[u].ps);
		fputc('\n', f);
	}
	fclose(f);
	char *xl = gp_text(xlabel);
	char *vars = xasprintf("datafile = '%s'\nncols = %zu\nunit = '%s'\nplottitle = 'Where "
	                       "simulated time went'\nxlabel = '%s'\n",
	                       path, ARRAY_SIZE(breakdown_keys) + 1, units[u].name, xl);
	free(xl);
	plot_run(pl, "breakdown", "breakdown.gp", vars);
	free(vars);
	free(path);
}

/* ---- time series (one run) ---- */

static void plot_timeseries(struct plotter *pl, const char *dir, const char *label)
{
	char *tpath = xasprintf("%s/timeseries.csv", dir);
	FILE *in = fopen(tpath, "r");
	free(tpath);
	if (!in)
		return;
	char *line = NULL;
	size_t cap = 0;
	if (getline(&line, &cap, in) < 0) {
		fclose(in);
		free(line);
		return;
	}
	line[strcspn(line, "\r\n")] = '\0';
	/* pick the columns: the first is simulated time in ps */
	size_t ncols = 0;
	char *cols[256];
	char *save = NULL;
	for (char *c = strtok_r(line, ",", &save); c && ncols < ARRAY_SIZE(cols);
	     c = strtok_r(NULL, ",", &save))
		cols[ncols++] = c;
	int kind[256]; /* 0 unused, 1 resident, 2 faults, 3 swap */
	size_t nsel = 0;
	char res[256] = "", flt[256] = "", swp[256] = "";
	for (size_t j = 1; j < ncols; j++) {
		/* gauges of memory in use; cumulative counters of faults and of swap traffic */
		kind[j] = (strstr(cols[j], "resident") || strstr(cols[j], "rss") ||
		           strstr(cols[j], "_used"))
		              ? 1
		          : !strncmp(cols[j], "faults", 6) ? 2
		          : strstr(cols[j], "swap")        ? 3
		                                           : 0;
		if (!kind[j])
			continue;
		nsel++;
		char *lst = kind[j] == 1 ? res : kind[j] == 2 ? flt : swp;
		size_t l = strlen(lst);
		snprintf(lst + l, 256 - l, "%s%zu", l ? " " : "", nsel + 1);
	}
	if (ncols < 2 || !nsel) {
		fclose(in);
		free(line);
		return;
	}
	char *path;
	FILE *f = data_open(pl, "timeseries", &path);
	if (!f) {
		pl->nr_failed++;
		fclose(in);
		free(line);
		return;
	}
	fputs("time_ms", f);
	for (size_t j = 1; j < ncols; j++)
		if (kind[j])
			fprintf(f, "\t%s", cols[j]);
	fputc('\n', f);
	/* counters are cumulative in timeseries.csv: plot their increase per interval */
	unsigned long long prev[256] = {0};
	while (getline(&line, &cap, in) >= 0) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		save = NULL;
		size_t j = 0;
		for (char *c = strtok_r(line, ",", &save); c && j < ncols;
		     c = strtok_r(NULL, ",", &save), j++) {
			unsigned long long v = strtoull(c, NULL, 10);
			if (j == 0) {
				fprintf(f, "%llu.%09llu", v / 1000000000ull, v % 1000000000ull);
			} else if (kind[j] == 1) {
				fprintf(f, "\t%llu", v);
			} else if (kind[j]) {
				fprintf(f, "\t%llu", v >= prev[j] ? v - prev[j] : 0);
				prev[j] = v;
			}
		}
		fputc('\n', f);
	}
	fclose(f);
	fclose(in);
	free(line);
	char *t = gp_text(label);
	char *vars = xasprintf("datafile = '%s'\nres_cols = '%s'\nfault_cols = '%s'\n"
	                       "swap_cols = '%s'\nplottitle = 'Over simulated time: %s'\n",
	                       path, res, flt, swp, t);
	plot_run(pl, "timeseries", "timeseries.gp", vars);
	free(vars);
	free(t);
	free(path);
}

/* ---- fault curves (sweeps) ---- */

struct curve_pt {
	double frames;
	long long faults;
};

static int curve_cmp(const void *a, const void *b)
{
	const struct curve_pt *x = a, *y = b;
	return (x->frames > y->frames) - (x->frames < y->frames);
}

/* The parameters of a point except skip1, skip2: "k=v,k=v" (readable false: a group key),
 * "k=v, k=v" with the last key component (readable true: a legend), or with values_only the
 * values joined by " / " (a bar label). New. */
static char *values_label(const struct sweep *s, json_t **values, size_t skip1, size_t skip2,
                          bool readable, bool values_only)
{
	size_t cap = 64, len = 0;
	char *r = xcalloc(1, cap);
	for (size_t k = 0; k < s->nr_keys; k++) {
		if (k == skip1 || k == skip2)
			continue;
		char *v = sweep_value_text(values[k]);
		const char *key = s->keys[k];
		const char *dot = strrchr(key, '.');
		char *part = values_only ? xasprintf("%s%s", len ? " / " : "", v)
		                         : xasprintf("%s%s=%s", len ? (readable ? ", " : ",") : "",
		                                     readable && dot ? dot + 1 : key, v);
		size_t pl = strlen(part);
		if (len + pl + 1 > cap) {
			cap = 2 * (len + pl + 1);
			r = xrealloc(r, cap);
		}
		memcpy(r + len, part, pl + 1);
		len += pl;
		free(part);
		free(v);
	}
	return r;
}

static char *values_key(const struct sweep *s, json_t **values, size_t skip1, size_t skip2,
                        bool readable)
{
	return values_label(s, values, skip1, skip2, readable, false);
}

static size_t key_index(const struct sweep *s, const char *key)
{
	for (size_t k = 0; k < s->nr_keys; k++)
		if (!strcmp(s->keys[k], key))
			return k;
	return SIZE_MAX;
}

/* Where the faults plot of a group reads its points: the swept keys memory.frames (kf) and
 * vm.policy (kp, SIZE_MAX: not swept), and the group's points. */
struct faults_group {
	struct config_run *runs;
	size_t kf, kp;
	const size_t *members; /* the group's points, policies in order of first appearance */
	size_t nm;
};

/* The points of the group with the policy of member a (every point when vm.policy is not
 * swept) into pts, sorted by frames, marked done. Returns how many. */
static size_t faults_block_points(const struct faults_group *g, size_t a, bool *done,
                                  struct curve_pt *pts)
{
	json_t *pol = g->kp == SIZE_MAX ? NULL : g->runs[g->members[a]].values[g->kp];
	size_t np = 0;
	for (size_t b = a; b < g->nm; b++) {
		json_t *pb = g->kp == SIZE_MAX ? NULL : g->runs[g->members[b]].values[g->kp];
		if (pol && !json_equal(pol, pb))
			continue;
		done[b] = true;
		const struct config_run *r = &g->runs[g->members[b]];
		bool found = false;
		uint64_t faults = stat_u64(r->stats, "faults.total", &found);
		json_t *fr = r->values[g->kf];
		if (!found || !json_is_number(fr))
			continue;
		pts[np].frames = json_number_value(fr);
		pts[np].faults = (long long)faults;
		np++;
	}
	qsort(pts, np, sizeof(*pts), curve_cmp);
	return np;
}

/* The faults plot of one group: one data block per policy into the data file at path, then
 * gnuplot (or the data file removed when no point had a fault count). */
static void plot_faults_group(struct plotter *pl, const struct faults_group *g, FILE *f,
                              const char *name, const char *path, const char *glabel)
{
	bool *done = xcalloc(g->nm, sizeof(*done));
	struct curve_pt *pts = xcalloc(g->nm, sizeof(*pts));
	char titles[2048] = "";
	size_t blocks = 0, optblock = 0;
	double fmin = 0, fmax = 0;
	for (size_t a = 0; a < g->nm; a++) {
		if (done[a])
			continue;
		json_t *pol = g->kp == SIZE_MAX ? NULL : g->runs[g->members[a]].values[g->kp];
		size_t np = faults_block_points(g, a, done, pts);
		if (!np)
			continue;
		if (blocks)
			fputs("\n\n", f);
		for (size_t i = 0; i < np; i++)
			fprintf(f, "%.17g %lld\n", pts[i].frames, pts[i].faults);
		if (!blocks || pts[0].frames < fmin)
			fmin = pts[0].frames;
		if (!blocks || pts[np - 1].frames > fmax)
			fmax = pts[np - 1].frames;
		blocks++;
		char *ptxt = !pol                  ? xstrdup("faults")
		             : json_is_string(pol) ? xstrdup(json_string_value(pol))
		                                   : sweep_value_text(pol);
		char *t = gp_text(ptxt);
		size_t tl = strlen(titles);
		snprintf(titles + tl, sizeof(titles) - tl, "%s\"%s\"", tl ? " " : "", t);
		if (!strcmp(ptxt, "opt"))
			optblock = blocks;
		free(t);
		free(ptxt);
	}
	fclose(f);
	free(done);
	free(pts);
	if (!blocks) {
		unlink(path);
		return;
	}
	char *gl = gp_text(glabel);
	char *vars =
	    xasprintf("datafile = '%s'\ntitles = '%s'\noptblock = %zu\n"
	              "plottitle = 'Page faults vs memory size%s%s'\n"
	              "ylabel = 'page faults'\nlogx = %d\n",
	              path, titles, optblock, *gl ? ": " : "", gl, fmin > 0 && fmax >= 16 * fmin);
	plot_run(pl, name, "faults.gp", vars);
	free(vars);
	free(gl);
}

/* Page faults against memory.frames, one plot per group of points that differ only in
 * memory.frames and vm.policy, one curve per policy. */
static void plot_faults(struct plotter *pl, const struct sweep *s, struct config_run *runs)
{
	size_t kf = key_index(s, "memory.frames"), kp = key_index(s, "vm.policy");
	if (kf == SIZE_MAX)
		return;
	size_t n = s->nr_points;
	bool *used = xcalloc(n, sizeof(*used));
	for (size_t g = 0; g < n; g++) {
		if (used[g])
			continue;
		char *gkey = values_key(s, runs[g].values, kf, kp, false);
		char *glabel = values_key(s, runs[g].values, kf, kp, true);
		/* every point of this group, policies in order of first appearance */
		size_t *members = xcalloc(n, sizeof(*members)), nm = 0;
		for (size_t i = g; i < n; i++) {
			char *k = values_key(s, runs[i].values, kf, kp, false);
			if (!strcmp(k, gkey)) {
				members[nm++] = i;
				used[i] = true;
			}
			free(k);
		}
		char name[200], slug[160];
		slug_into(slug, sizeof(slug), gkey);
		snprintf(name, sizeof(name), "faults%s%s", *slug ? "-" : "", slug);
		char *path;
		FILE *f = data_open(pl, name, &path);
		struct faults_group grp = {
		    .runs = runs, .kf = kf, .kp = kp, .members = members, .nm = nm};
		if (f)
			plot_faults_group(pl, &grp, f, name, path, glabel);
		else
			pl->nr_failed++;
		free(path);
		free(members);
		free(gkey);
		free(glabel);
	}
	free(used);
}

/* Latency CDFs of a sweep: one plot per metric and combination of the parameters other than
 * vm.policy, one line per policy (or per point when vm.policy is not swept), so that no plot
 * drowns in lines. */
static void plot_cdf_groups(struct plotter *pl, const struct sweep *s, struct config_run *runs)
{
	size_t kp = key_index(s, "vm.policy"), n = s->nr_points;
	bool *used = xcalloc(n ? n : 1, sizeof(*used));
	size_t *members = xcalloc(n ? n : 1, sizeof(*members));
	for (size_t g = 0; g < n; g++) {
		if (used[g])
			continue;
		size_t nm = 0;
		char *gkey =
		    kp == SIZE_MAX ? xstrdup("") : values_key(s, runs[g].values, kp, kp, false);
		char *glabel =
		    kp == SIZE_MAX ? xstrdup("") : values_key(s, runs[g].values, kp, kp, true);
		for (size_t i = g; i < n; i++) {
			char *k = kp == SIZE_MAX ? xstrdup("")
			                         : values_key(s, runs[i].values, kp, kp, false);
			if (!strcmp(k, gkey)) {
				members[nm++] = i;
				used[i] = true;
			}
			free(k);
		}
		/* legends: the policy alone when the title carries the rest */
		char **saved = xcalloc(nm, sizeof(*saved));
		for (size_t m = 0; m < nm && kp != SIZE_MAX; m++) {
			saved[m] = runs[members[m]].label;
			runs[members[m]].label = sweep_value_text(runs[members[m]].values[kp]);
		}
		plot_cdf(pl, "access", runs, members, nm, gkey, glabel);
		plot_cdf(pl, "fault", runs, members, nm, gkey, glabel);
		for (size_t m = 0; m < nm && kp != SIZE_MAX; m++) {
			free(runs[members[m]].label);
			runs[members[m]].label = saved[m];
		}
		free(saved);
		free(gkey);
		free(glabel);
	}
	free(members);
	free(used);
}

/* ---- entry ---- */

static json_t *load_json(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	json_t *j = json_load_file(p, 0, NULL);
	free(p);
	return j;
}

static void runs_free(struct config_run *runs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(runs[i].dir);
		free(runs[i].label);
		free(runs[i].short_label);
		json_decref(runs[i].stats);
	}
	free(runs);
}

static int mkdir_one(const char *p)
{
	return (mkdir(p, 0777) < 0 && errno != EEXIST) ? -1 : 0;
}

/* The plots of a sweep directory: fault curves, latency CDFs, the time breakdown. Returns 0,
 * or 2 when sweep.json cannot be read. */
static int plot_sweep(struct plotter *pl, const char *dir, const char *sweep_file)
{
	struct sweep *s;
	struct err err;
	if (sweep_load(sweep_file, &s, &err) < 0) {
		fprintf(stderr, "vmsim plot: %s\n", err.msg);
		return 2;
	}
	struct config_run *runs = xcalloc(s->nr_points ? s->nr_points : 1, sizeof(*runs));
	for (size_t i = 0; i < s->nr_points; i++) {
		runs[i].dir = xasprintf("%s/points/%s", dir, s->points[i].id);
		runs[i].values = s->points[i].values;
		runs[i].label = values_key(s, s->points[i].values, SIZE_MAX, SIZE_MAX, true);
		runs[i].short_label =
		    values_label(s, s->points[i].values, SIZE_MAX, SIZE_MAX, true, true);
		if (sweep_point_status(runs[i].dir, NULL, 0) == SWEEP_OK)
			runs[i].stats = load_json(runs[i].dir, "stats.json");
	}
	plot_faults(pl, s, runs);
	plot_cdf_groups(pl, s, runs);
	char *xl = xcalloc(1, 1);
	for (size_t k = 0; k < s->nr_keys; k++) {
		char *t = xasprintf("%s%s%s", xl, k ? " / " : "", s->keys[k]);
		free(xl);
		xl = t;
	}
	plot_breakdown(pl, runs, s->nr_points, xl);
	free(xl);
	runs_free(runs, s->nr_points);
	sweep_destroy(s);
	return 0;
}

/* The plots of one run's directory: time series, latency CDFs, the time breakdown. */
static void plot_one_run(struct plotter *pl, const char *dir)
{
	struct config_run run = {0};
	run.dir = xstrdup(dir);
	char real[PATH_MAX];
	const char *base = realpath(dir, real) ? real : dir;
	const char *slash = strrchr(base, '/');
	run.label = xstrdup(slash && slash[1] ? slash + 1 : base);
	run.stats = load_json(dir, "stats.json");
	plot_timeseries(pl, dir, run.label);
	size_t zero = 0;
	plot_cdf(pl, "access", &run, &zero, 1, "", "");
	plot_cdf(pl, "fault", &run, &zero, 1, "", "");
	plot_breakdown(pl, &run, 1, "");
	free(run.dir);
	free(run.label);
	json_decref(run.stats);
}

/* gnuplot and its scripts found (pl filled). Returns 0, or 2 with a message. */
static int plotter_find_tools(struct plotter *pl)
{
	pl->gnuplot = find_gnuplot();
	if (!pl->gnuplot) {
		fprintf(stderr, "vmsim plot: gnuplot not found on PATH (install it, e.g. `apt-get "
		                "install gnuplot-nox`, or add its directory to PATH)\n");
		return 2;
	}
	pl->scriptdir = find_scripts();
	if (!pl->scriptdir) {
		fprintf(stderr,
		        "vmsim plot: the gnuplot scripts (scripts/plot/<name>.gp) were not found "
		        "beside the vmsim executable or in ./scripts/plot; set "
		        "VMSIM_PLOT_SCRIPTS to their directory\n");
		return 2;
	}
	return 0;
}

/* The plots of dir (a sweep when is_sweep, else a run) into dir/plots. Returns the exit
 * status. */
static int plot_dir(struct plotter *pl, const char *dir, bool is_sweep, const char *sweep_file)
{
	pl->outdir = xasprintf("%s/plots", dir);
	pl->datadir = xasprintf("%s/plots/data", dir);
	if (mkdir_one(pl->outdir) < 0 || mkdir_one(pl->datadir) < 0) {
		fprintf(stderr, "vmsim plot: %s: cannot create: %s\n", pl->datadir,
		        strerror(errno));
		return 2;
	}
	if (is_sweep) {
		if (plot_sweep(pl, dir, sweep_file))
			return 2;
	} else {
		plot_one_run(pl, dir);
	}
	if (pl->nr_failed)
		return 1;
	if (!pl->nr_plots) {
		fprintf(stderr,
		        "vmsim plot: %s: no plot fits these results (fault curves need "
		        "memory.frames swept; CDFs need latency_cdf.csv; the breakdown needs "
		        "time.*_ps in stats.json; time series need timeseries.csv)\n",
		        dir);
		return 2;
	}
	return 0;
}

int plot_cli_main(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		bool help = argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
		fputs("usage: vmsim plot DIR\n"
		      "  DIR: a sweep directory (from vmsim sweep) or a run directory (from vmsim "
		      "run);\n  writes PNG and SVG plots to DIR/plots/\n",
		      help ? stdout : stderr);
		return help ? 0 : 2;
	}
	const char *dir = argv[1];
	char *sweep_file = xasprintf("%s/sweep.json", dir);
	char *stats_file = xasprintf("%s/stats.json", dir);
	bool is_sweep = is_file(sweep_file) && is_dir(dir);
	bool is_run = is_file(stats_file);
	free(stats_file);
	int exit_code = 2;
	struct plotter pl = {0};
	if (!is_sweep && !is_run)
		fprintf(stderr,
		        "vmsim plot: %s: nothing to plot (expected a sweep directory with "
		        "sweep.json and points/, or a run directory with stats.json)\n",
		        dir);
	else if (!plotter_find_tools(&pl))
		exit_code = plot_dir(&pl, dir, is_sweep, sweep_file);
	free(pl.gnuplot);
	free(pl.scriptdir);
	free(pl.outdir);
	free(pl.datadir);
	free(sweep_file);
	return exit_code;
}
