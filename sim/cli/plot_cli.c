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
 *  - timeseries: resident memory, faults and swap traffic per interval, and with memory
 *    nodes each node's share of the interval's accesses (run directories);
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

/* ---- time series (one run) ---- */

/* The sampling interval of a time series as an axis label takes it: "1 ms", "250 µs". New. */
static char *interval_text(unsigned long long ps)
{
	static const struct {
		const char *name;
		unsigned long long ps;
	} units[] = {{"s", PS_PER_S}, {"ms", PS_PER_MS}, {"\u00b5s", PS_PER_US}, {"ns", PS_PER_NS}};
	for (size_t u = 0; u < ARRAY_SIZE(units); u++)
		if (ps >= units[u].ps && ps % (units[u].ps / 1000 ? units[u].ps / 1000 : 1) == 0)
			return xasprintf("%.4g %s", (double)ps / (double)units[u].ps,
			                 units[u].name);
	return ps ? xasprintf("%llu ps", ps) : xstrdup("interval");
}

/* Kinds of timeseries.csv columns that the time series draws. */
enum ts_kind { TS_UNUSED, TS_RESIDENT, TS_FAULTS, TS_SWAP, TS_NODE_SHARE };

/* A per-node access counter (node_NAME_accesses): drawn as the node's share of each
 * interval's accesses. */
static bool ts_is_node_accesses(const char *col)
{
	size_t n = strlen(col);
	return !strncmp(col, "node_", 5) && n > 14 && !strcmp(col + n - 9, "_accesses");
}

/* The kind of each column of a timeseries.csv header (kind[j], j >= 1) and the data file's
 * column numbers of each kind (lists[kind - 1], 256 bytes each). Returns the columns picked. */
static size_t ts_pick_columns(char **cols, size_t ncols, enum ts_kind *kind, char lists[][256])
{
	size_t nsel = 0;
	for (size_t j = 1; j < ncols; j++) {
		/* gauges of memory in use; cumulative counters of faults, of swap traffic and of
		 * the accesses each node served */
		kind[j] = (strstr(cols[j], "resident") || strstr(cols[j], "rss") ||
		           strstr(cols[j], "_used"))
		              ? TS_RESIDENT
		          : !strncmp(cols[j], "faults", 6) ? TS_FAULTS
		          : strstr(cols[j], "swap")        ? TS_SWAP
		          : ts_is_node_accesses(cols[j])   ? TS_NODE_SHARE
		                                           : TS_UNUSED;
		if (kind[j] == TS_UNUSED)
			continue;
		nsel++;
		char *lst = lists[kind[j] - 1];
		size_t l = strlen(lst);
		snprintf(lst + l, 256 - l, "%s%zu", l ? " " : "", nsel + 1);
	}
	return nsel;
}

/* One data row's value of column j (v: its cumulative or gauge value in timeseries.csv). */
static void ts_write_value(FILE *f, enum ts_kind kind, unsigned long long v,
                           unsigned long long *prev, unsigned long long accesses)
{
	unsigned long long d = v >= *prev ? v - *prev : 0;
	if (kind == TS_RESIDENT)
		fprintf(f, "\t%llu", v);
	else if (kind == TS_NODE_SHARE && !accesses)
		fputs("\tNaN", f); /* no access in the interval: no share */
	else if (kind == TS_NODE_SHARE)
		fprintf(f, "\t%.2f", 100.0 * (double)d / (double)accesses);
	else
		fprintf(f, "\t%llu", d);
	if (kind != TS_RESIDENT)
		*prev = v;
}

static void plot_timeseries(struct plotter *pl, const struct config_run *run)
{
	const char *dir = run->dir, *label = run->label;
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
	enum ts_kind kind[256] = {TS_UNUSED};
	char lists[4][256] = {""}; /* data columns: resident, faults, swap, node shares */
	size_t nsel = ts_pick_columns(cols, ncols, kind, lists);
	size_t acc_col = 0; /* the accesses column, the denominator of node shares */
	for (size_t j = 1; j < ncols && !acc_col; j++)
		acc_col = strcmp(cols[j], "accesses") ? 0 : j;
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
		if (kind[j] == TS_NODE_SHARE) /* node_NAME_accesses: NAME */
			fprintf(f, "\t%.*s", (int)(strlen(cols[j]) - 14), cols[j] + 5);
		else if (kind[j])
			fprintf(f, "\t%s", cols[j]);
	fputc('\n', f);
	/* counters are cumulative in timeseries.csv: plot their increase per interval */
	unsigned long long prev[256] = {0}, t_first = 0, interval_ps = 0, acc_prev = 0, acc = 0;
	size_t nrows = 0;
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
				if (nrows++ == 0)
					t_first = v;
				else if (nrows == 2)
					interval_ps = v - t_first;
			} else if (j == acc_col) { /* before the node columns */
				acc = v >= acc_prev ? v - acc_prev : 0;
				acc_prev = v;
			}
			if (j && kind[j])
				ts_write_value(f, kind[j], v, &prev[j], acc);
		}
		fputc('\n', f);
	}
	fclose(in);
	free(line);
	if (data_close(pl, f, path) < 0) {
		free(path);
		return;
	}
	/* the configured interval: the first row may end early (a run shorter than one) */
	json_t *cfg_iv = json_object_get(json_object_get(run->config, "stats"), "interval_ps");
	if (json_is_integer(cfg_iv) && json_integer_value(cfg_iv) > 0)
		interval_ps = (unsigned long long)json_integer_value(cfg_iv);
	char *t = gp_text(label), *iv = interval_text(interval_ps);
	char *vars = xasprintf("datafile = '%s'\nres_cols = '%s'\nfault_cols = '%s'\n"
	                       "swap_cols = '%s'\nshare_cols = '%s'\n"
	                       "plottitle = 'Over simulated time: %s'\ninterval = '%s'\n",
	                       path, lists[0], lists[1], lists[2], lists[3], t, iv);
	free(iv);
	plot_run(pl, "timeseries", "timeseries.gp", vars);
	free(vars);
	free(t);
	free(path);
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
		json_decref(runs[i].stats);
		json_decref(runs[i].config);
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
		runs[i].label = values_label(s, s->points[i].values, KEY_SKIP_NONE, true, false);
		if (sweep_point_status(runs[i].dir, NULL, 0) == SWEEP_OK) {
			runs[i].stats = load_json(runs[i].dir, "stats.json");
			runs[i].config = load_json(runs[i].dir, "config.json");
		}
	}
	plot_faults(pl, s, runs);
	plot_ccdf_sweep(pl, s, runs);
	plot_breakdown(pl, s, runs, s->nr_points, sweep_key_index(s, "memory.frames"),
	               sweep_key_index(s, "seed"));
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
	run.config = load_json(dir, "config.json");
	plot_timeseries(pl, &run);
	plot_ccdf_run(pl, &run);
	plot_breakdown(pl, NULL, &run, 1, SIZE_MAX, SIZE_MAX);
	free(run.dir);
	free(run.label);
	json_decref(run.stats);
	json_decref(run.config);
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

/* What `vmsim plot` was given. */
enum plot_input { PLOT_SWEEP, PLOT_RUN, PLOT_MRC };

/* The plots of dir (a sweep, a run, or the directory of the mrc CSV file) into dir/plots.
 * Returns the exit status. */
static int plot_dir(struct plotter *pl, const char *dir, enum plot_input in, const char *file)
{
	char *out = xasprintf("%s/plots", dir), *data = xasprintf("%s/plots/data", dir);
	char real[PATH_MAX];
	if (mkdir_one(out) < 0 || mkdir_one(data) < 0 || !realpath(out, real)) {
		fprintf(stderr, "vmsim plot: %s: cannot create: %s\n", data, strerror(errno));
		free(out);
		free(data);
		return 2;
	}
	free(out);
	free(data);
	/* absolute, so that the redraw command in each vars file works from any directory */
	pl->outdir = xstrdup(real);
	pl->datadir = xasprintf("%s/data", real);
	if (in == PLOT_MRC) {
		int rc = plot_mrc(pl, file);
		return rc ? rc : pl->nr_failed ? 1 : 0;
	}
	if (in == PLOT_SWEEP) {
		if (plot_sweep(pl, dir, file))
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

/* path is a file whose first line is the header of a `vmsim mrc` CSV. */
static bool is_mrc_csv(const char *path)
{
	FILE *f = is_file(path) ? fopen(path, "r") : NULL;
	if (!f)
		return false;
	char line[256] = "";
	bool yes = fgets(line, sizeof(line), f) && (line[strcspn(line, "\r\n")] = '\0', true) &&
	           mrc_csv_header(line);
	fclose(f);
	return yes;
}

int plot_cli_main(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		bool help = argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
		fputs(
		    "usage: vmsim plot DIR|MRC.csv\n"
		    "  DIR: a sweep directory (from vmsim sweep) or a run directory (from vmsim "
		    "run);\n  writes PNG and SVG plots to DIR/plots/ (docs/plots.md)\n"
		    "  MRC.csv: the CSV of vmsim mrc; writes its miss-ratio curve to plots/ beside "
		    "it\n",
		    help ? stdout : stderr);
		return help ? 0 : 2;
	}
	const char *dir = argv[1];
	char *sweep_file = xasprintf("%s/sweep.json", dir);
	char *stats_file = xasprintf("%s/stats.json", dir);
	bool is_sweep = is_file(sweep_file) && is_dir(dir);
	bool is_run = is_file(stats_file);
	bool is_mrc = !is_sweep && !is_run && is_mrc_csv(dir);
	free(stats_file);
	int exit_code = 2;
	struct plotter pl = {0};
	char *csv_dir = NULL;
	if (is_mrc) {
		const char *slash = strrchr(dir, '/');
		csv_dir = slash ? xasprintf("%.*s", (int)(slash - dir + 1), dir) : xstrdup(".");
	}
	if (!is_sweep && !is_run && !is_mrc)
		fprintf(stderr,
		        "vmsim plot: %s: nothing to plot (expected a sweep directory with "
		        "sweep.json and points/, a run directory with stats.json, or the CSV of "
		        "vmsim mrc)\n",
		        dir);
	else if (!plotter_find_tools(&pl))
		exit_code = is_mrc
		                ? plot_dir(&pl, csv_dir, PLOT_MRC, dir)
		                : plot_dir(&pl, dir, is_sweep ? PLOT_SWEEP : PLOT_RUN, sweep_file);
	free(csv_dir);
	free(pl.gnuplot);
	free(pl.scriptdir);
	free(pl.outdir);
	free(pl.datadir);
	free(sweep_file);
	return exit_code;
}
