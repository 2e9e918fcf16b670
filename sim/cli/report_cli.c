/*
 * report_cli.c — `vmsim report DIR`: one self-contained HTML page, DIR/report.html, for a run
 * directory or a sweep directory: the headline statistics in sortable tables, every plot of
 * DIR/plots inlined as SVG (drawn first by `vmsim plot` when DIR has none), the resolved
 * config, and the provenance (vmsim version and git commit, command line, host and time of
 * the run from run.json, and of the report itself).
 *
 * A sweep's report links each point (a row of summary.csv) to the point's own report,
 * written alongside (points/<id>/report.html), and each point's report links back to the sweep
 * and to the previous and next points. A point's report inlines the plots its directory has
 * (it does not draw them: `vmsim plot DIR/points/<id>` first to have them).
 * What it ignores: files a section needs that are missing (the section says so).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/base/util.h"
#include "sim/cli/plot.h"
#include "sim/cli/plot_cli.h"
#include "sim/cli/provenance.h"
#include "sim/cli/report.h"
#include "sim/cli/sweep.h"

static json_t *load_json(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	json_t *j = json_load_file(p, 0, NULL);
	free(p);
	return j;
}

/* Plots first by kind (fault curves, breakdown, latency, time series, MRCs), then by name. */
static int plot_rank(const char *name)
{
	static const char *const order[] = {"faults", "breakdown", "ccdf", "timeseries", "mrc"};
	for (size_t i = 0; i < ARRAY_SIZE(order); i++)
		if (!strncmp(name, order[i], strlen(order[i])))
			return (int)i;
	return (int)ARRAY_SIZE(order);
}

static int plot_cmp(const struct dirent **a, const struct dirent **b)
{
	int ra = plot_rank((*a)->d_name), rb = plot_rank((*b)->d_name);
	if (ra != rb)
		return ra - rb;
	/* by name without ".svg": faults before faults-log */
	size_t la = strlen((*a)->d_name) - 4, lb = strlen((*b)->d_name) - 4;
	int c = strncmp((*a)->d_name, (*b)->d_name, MIN(la, lb));
	return c ? c : (la > lb) - (la < lb);
}

static int is_svg(const struct dirent *d)
{
	size_t l = strlen(d->d_name);
	return l > 4 && !strcmp(d->d_name + l - 4, ".svg");
}

int report_plots(FILE *f, const char *dir)
{
	char *pdir = xasprintf("%s/plots", dir);
	struct dirent **list = NULL;
	int n = scandir(pdir, &list, is_svg, plot_cmp), shown = 0;
	fputs("<section id=\"plots\"><h2>Plots</h2>\n<div class=\"plots\">\n", f);
	for (int i = 0; i < n; i++) {
		char *path = xasprintf("%s/%s", pdir, list[i]->d_name);
		char name[NAME_MAX + 1];
		snprintf(name, sizeof(name), "%s", list[i]->d_name);
		name[strlen(name) - 4] = '\0';
		char *prefix = xasprintf("p%d", i);
		fprintf(f, "<figure id=\"plot-%d\"><figcaption>", i);
		html_text(f, name);
		fputs("</figcaption>\n", f);
		if (html_inline_svg(f, path, prefix) == 0)
			shown++;
		else
			fputs("<p class=\"note\">(could not be read)</p>", f);
		fputs("</figure>\n", f);
		free(prefix);
		free(path);
		free(list[i]);
	}
	fputs("</div>\n", f);
	if (shown == 0)
		fputs("<p class=\"note\">No plots in this directory (<code>vmsim plot</code> draws "
		      "them; it needs gnuplot).</p>\n",
		      f);
	fputs("</section>\n", f);
	free(list);
	free(pdir);
	return shown;
}

/* A row of the provenance table. */
static void prov_row(FILE *f, const char *what, const char *value)
{
	fputs("<tr><th>", f);
	html_text(f, what);
	fputs("</th><td>", f);
	html_text(f, value && *value ? value : "(not recorded)");
	fputs("</td></tr>\n", f);
}

void report_self_provenance(FILE *f, const struct report_ctx *c)
{
	fputs("<h3>This report</h3><table>\n", f);
	prov_row(f, "vmsim version", VMSIM_VERSION);
	prov_row(f, "git commit", vmsim_git_commit);
	prov_row(f, "command", c->command);
	prov_row(f, "host", c->host);
	prov_row(f, "written (UTC)", c->time);
	fputs("</table>\n", f);
}

static const char *jstr(const json_t *o, const char *k)
{
	return json_string_value(json_object_get(o, k));
}

/* The run's provenance from run.json. */
static void run_provenance(FILE *f, const json_t *run)
{
	fputs("<h3>The run (run.json)</h3><table>\n", f);
	prov_row(f, "vmsim version", jstr(run, "version"));
	prov_row(f, "git commit", jstr(run, "git_commit"));
	prov_row(f, "command", jstr(run, "command"));
	prov_row(f, "host", jstr(run, "host"));
	prov_row(f, "started (UTC)", jstr(run, "started_utc"));
	prov_row(f, "status", jstr(run, "status"));
	json_t *w = json_object_get(run, "wall_seconds");
	char buf[64] = "";
	if (json_is_number(w))
		snprintf(buf, sizeof(buf), "%.3f s", json_number_value(w));
	prov_row(f, "wall time", buf);
	fputs("</table>\n", f);
}

void report_nav_links(FILE *f, const struct report_nav *nav)
{
	fputs("<nav><a href=\"#headline\">statistics</a><a href=\"#plots\">plots</a>"
	      "<a href=\"#config\">config</a><a href=\"#provenance\">provenance</a>",
	      f);
	if (nav && nav->up) {
		fputs("<a href=\"", f);
		html_url(f, nav->up);
		fputs("\">&uarr; the sweep</a>", f);
	}
	const char *urls[2] = {nav ? nav->prev : NULL, nav ? nav->next : NULL};
	const char *names[2] = {nav ? nav->prev_name : NULL, nav ? nav->next_name : NULL};
	for (int i = 0; i < 2; i++) {
		if (!urls[i])
			continue;
		fputs("<a href=\"", f);
		html_url(f, urls[i]);
		fputs(i ? "\">next: " : "\">&larr; previous: ", f);
		html_text(f, names[i]);
		fputs(i ? " &rarr;</a>" : "</a>", f);
	}
	fputs("</nav>\n", f);
}

/* The headline keys of docs/engine.md (DESIGN's contract), and the time breakdown. */
static const char *const headline_keys[] = {"sim.time_ps",         "sim.accesses",
                                            "faults.total",        "faults.minor",
                                            "faults.major",        "faults.demand_zero",
                                            "faults.zero_page",    "faults.cow",
                                            "faults.cow_copies",   "faults.file",
                                            "faults.swap_in",      "reclaim.evictions",
                                            "reclaim.swap_out",    "reclaim.writeback",
                                            "tlb.*.hits",          "tlb.*.misses",
                                            "walk.count",          "walk.memory_refs",
                                            "dram.row_hits",       "dram.row_misses",
                                            "latency.access.*_ps", "latency.fault.mean_ps",
                                            "latency.fault.p*_ps", "latency.fault.max_ps",
                                            "time.*_ps",           NULL};

void report_run(FILE *f, const char *dir, const char *title, const struct report_nav *nav,
                const struct report_ctx *c)
{
	json_t *stats = load_json(dir, "stats.json"), *config = load_json(dir, "config.json");
	json_t *run = load_json(dir, "run.json");
	html_begin(f, title);
	fputs("<header><h1>", f);
	html_text(f, title);
	fputs("</h1><p>", f);
	char *wl = workload_text(config);
	html_text(f, *wl ? wl : "a run");
	free(wl);
	const char *pol = jstr(json_object_get(config, "vm"), "policy");
	json_t *fr = json_object_get(json_object_get(config, "memory"), "frames");
	if (pol)
		fprintf(f, " &middot; policy %s", pol);
	if (json_is_integer(fr))
		fprintf(f, " &middot; %" JSON_INTEGER_FORMAT " frames", json_integer_value(fr));
	fputs("</p>\n", f);
	report_nav_links(f, nav);
	fputs("</header>\n<main>\n<section id=\"headline\"><h2>Headline statistics</h2>\n", f);
	if (stats) {
		html_stats_table(f, stats, headline_keys);
		fputs("<details><summary>every statistic of stats.json</summary>\n", f);
		html_stats_table(f, stats, NULL);
		fputs("</details>\n", f);
	} else {
		fputs("<p class=\"note\">No stats.json (the run did not finish).</p>\n", f);
	}
	fputs("</section>\n", f);
	report_plots(f, dir);
	fputs("<section id=\"config\"><h2>Resolved config (config.json)</h2>\n", f);
	if (config)
		html_json(f, config);
	fputs("</section>\n<section id=\"provenance\"><h2>Provenance</h2>\n", f);
	if (run)
		run_provenance(f, run);
	report_self_provenance(f, c);
	fputs("</section>\n</main>\n", f);
	html_end(f);
	json_decref(stats);
	json_decref(config);
	json_decref(run);
}

int report_write_page(const char *dir, void (*write)(FILE *, void *), void *arg)
{
	char *path = xasprintf("%s/report.html", dir), *tmp = xasprintf("%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	int rc = 0;
	if (!f) {
		fprintf(stderr, "vmsim report: %s: cannot write: %s\n", tmp, strerror(errno));
		rc = 1;
	} else {
		write(f, arg);
		if (ferror(f) | fclose(f) || rename(tmp, path) < 0) {
			fprintf(stderr, "vmsim report: %s: write failed\n", path);
			unlink(tmp);
			rc = 1;
		}
	}
	free(tmp);
	free(path);
	return rc;
}

/* report_write_page's writer of a run's page. */
struct run_page {
	const char *dir, *title;
	const struct report_nav *nav;
	const struct report_ctx *c;
};

static void run_page(FILE *f, void *arg)
{
	const struct run_page *p = arg;
	report_run(f, p->dir, p->title, p->nav, p->c);
}

int report_run_page(const char *dir, const char *title, const struct report_nav *nav,
                    const struct report_ctx *c)
{
	struct run_page p = {.dir = dir, .title = title, .nav = nav, .c = c};
	return report_write_page(dir, run_page, &p);
}

/* The title of a run's report: its config's name, else its directory's name (new). */
static char *run_title(const char *dir)
{
	json_t *config = load_json(dir, "config.json");
	const char *name = json_string_value(json_object_get(config, "name"));
	if (name && !*name)
		name = NULL;
	char real[PATH_MAX];
	const char *base = realpath(dir, real) ? real : dir;
	const char *slash = strrchr(base, '/');
	char *t = xasprintf("vmsim report: %s", name ? name : slash && slash[1] ? slash + 1 : base);
	json_decref(config);
	return t;
}

/* `vmsim plot DIR` when DIR has no plots yet; its listing of the files is not repeated. */
static void draw_plots_if_none(const char *dir)
{
	char *pdir = xasprintf("%s/plots", dir);
	struct dirent **list = NULL;
	int n = scandir(pdir, &list, is_svg, NULL);
	for (int i = 0; i < n; i++)
		free(list[i]);
	free(list);
	free(pdir);
	if (n > 0)
		return;
	fflush(stdout);
	int saved = dup(1), null = open("/dev/null", O_WRONLY);
	if (saved >= 0 && null >= 0)
		dup2(null, 1);
	char *argv[] = {"plot", (char *)dir, NULL};
	int rc = plot_cli_main(2, argv);
	fflush(stdout);
	if (saved >= 0 && null >= 0)
		dup2(saved, 1);
	if (null >= 0)
		close(null);
	if (saved >= 0)
		close(saved);
	if (rc)
		fprintf(stderr,
		        "vmsim report: %s: the plots could not be drawn; the report has "
		        "none\n",
		        dir);
}

int report_cli_main(int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-') {
		bool help = argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"));
		fputs("usage: vmsim report DIR\n"
		      "  DIR: a run directory (vmsim run) or a sweep directory (vmsim sweep);\n"
		      "  writes DIR/report.html: one self-contained page (docs/report.md)\n",
		      help ? stdout : stderr);
		return help ? 0 : 2;
	}
	const char *dir = argv[1];
	char *sweep_file = xasprintf("%s/sweep.json", dir);
	char *stats_file = xasprintf("%s/stats.json", dir);
	bool is_sweep = is_file(sweep_file) && is_dir(dir), is_run = is_file(stats_file);
	free(stats_file);
	struct report_ctx c = {.command = provenance_command(argc, argv),
	                       .host = provenance_host(),
	                       .time = provenance_time_utc()};
	int rc = 2;
	if (!is_sweep && !is_run) {
		fprintf(stderr,
		        "vmsim report: %s: nothing to report (expected a sweep directory with "
		        "sweep.json and points/, or a run directory with stats.json)\n",
		        dir);
	} else {
		draw_plots_if_none(dir);
		char *title = is_sweep ? NULL : run_title(dir);
		rc = is_sweep ? report_sweep(dir, sweep_file, &c)
		              : report_run_page(dir, title, NULL, &c);
		free(title);
		if (!rc)
			printf("%s/report.html\n", dir);
	}
	free(sweep_file);
	free(c.command);
	free(c.host);
	free(c.time);
	return rc;
}
