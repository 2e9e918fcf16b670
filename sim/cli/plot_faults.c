/*
 * plot_faults.c — the fault curves of a sweep that varies memory.frames: page faults against
 * memory size, one series per vm.policy, one figure per combination of the other swept
 * parameters (the group). Three forms of each figure: linear y (faults-<group>), log y
 * (-log) and normalised to a reference policy, OPT when swept, else LRU (-vs-opt, -vs-lru).
 * The x axis counts frames below and bytes above (frames x the group's memory.page_size).
 *
 * Seeds: when "seed" is a swept key, the points that differ only in seed are one measurement
 * repeated; a series point is the mean over the seeds and its 95% confidence interval is
 * t(0.975, n-1) * s / sqrt(n) (Student t, s the sample standard deviation, n the seeds), drawn
 * as a band. One seed: the value itself, no band.
 *
 * At most eight series share a panel, each with its own colour, dash and marker (style.gp,
 * linetypes 1..8; OPT always 8, black). More policies become small multiples: panels of at
 * most seven policies plus OPT, laid out in a grid with one y range.
 *
 * The data file (plots/data/faults-<group>.dat, shared by the three forms): one block per
 * series, blocks separated by two blank lines, rows
 *   frames bytes faults_mean faults_ci95 seeds faults_per_<ref>
 * (faults_per_<ref>: NaN when the reference has no point at that size or no faults).
 * What it ignores: points without stats.json (missing or failed); a reference with no faults.
 */
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli/plot.h"

/* Series per panel (style.gp defines eight distinct linetypes). */
#define PANEL_SERIES ((size_t)8)

/* One series point: a policy at one memory size, over its seeds. */
struct fault_pt {
	double frames;
	double mean;   /* mean faults.total over the seeds */
	double ci95;   /* half width of the 95% CI of the mean; 0 with one seed */
	size_t nseeds; /* points averaged */
};

/* A figure's series: their names and points, filled from the group's members. */
struct fault_series {
	char *name;          /* policy (or "faults" when vm.policy is not swept); owned */
	json_t *policy;      /* the swept value, borrowed; NULL when not swept */
	struct fault_pt *pt; /* sorted by frames; owned */
	size_t npt;
};

struct fault_fig {
	const struct sweep *s;
	struct config_run *runs;
	size_t kf, kp;   /* indices of memory.frames and vm.policy (SIZE_MAX: not swept) */
	size_t *members; /* the group's points */
	size_t nm;
	struct fault_series *ser;
	size_t nser;
	size_t ref;        /* the reference series, SIZE_MAX: none */
	size_t opt;        /* the OPT series, SIZE_MAX: none */
	double page_bytes; /* memory.page_size of the group, 0: unknown */
	size_t max_seeds;  /* the most seeds behind a point */
};

static double t975(size_t df)
{
	return gsl_cdf_tdist_Pinv(0.975, (double)df);
}

/* Mean and 95% CI half width of v[0..n-1] (n >= 1) into p. */
static void mean_ci(const double *v, size_t n, struct fault_pt *p)
{
	double sum = 0, ss = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	p->mean = sum / (double)n;
	for (size_t i = 0; i < n; i++)
		ss += (v[i] - p->mean) * (v[i] - p->mean);
	p->nseeds = n;
	p->ci95 = n > 1 ? t975(n - 1) * sqrt(ss / (double)(n - 1)) / sqrt((double)n) : 0;
}

static int double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static bool same_policy(const struct fault_fig *g, size_t m, const json_t *policy)
{
	return !policy || json_equal(policy, g->runs[m].values[g->kp]);
}

/* The points of one series: for each memory size, the mean and CI over its seeds. */
static void series_fill(struct fault_fig *g, struct fault_series *ser)
{
	double *frames = xcalloc(g->nm, sizeof(*frames)), *vals = xcalloc(g->nm, sizeof(*vals));
	size_t nf = 0;
	for (size_t i = 0; i < g->nm; i++) {
		struct config_run *r = &g->runs[g->members[i]];
		bool found = false;
		stat_u64(r->stats, "faults.total", &found);
		if (found && json_is_number(r->values[g->kf]) &&
		    same_policy(g, g->members[i], ser->policy))
			frames[nf++] = json_number_value(r->values[g->kf]);
	}
	qsort(frames, nf, sizeof(*frames), double_cmp);
	ser->pt = xcalloc(nf ? nf : 1, sizeof(*ser->pt));
	for (size_t a = 0; a < nf; a++) {
		if (a && frames[a] == frames[a - 1])
			continue;
		size_t nv = 0;
		for (size_t i = 0; i < g->nm; i++) {
			struct config_run *r = &g->runs[g->members[i]];
			bool found = false;
			uint64_t f = stat_u64(r->stats, "faults.total", &found);
			if (found && same_policy(g, g->members[i], ser->policy) &&
			    json_number_value(r->values[g->kf]) == frames[a])
				vals[nv++] = (double)f;
		}
		struct fault_pt *p = &ser->pt[ser->npt++];
		p->frames = frames[a];
		mean_ci(vals, nv, p);
		g->max_seeds = MAX(g->max_seeds, nv);
	}
	free(frames);
	free(vals);
}

/* The resolved config of the group's first point that has one, or NULL. */
static const json_t *fig_config(const struct fault_fig *g)
{
	for (size_t i = 0; i < g->nm; i++)
		if (g->runs[g->members[i]].config)
			return g->runs[g->members[i]].config;
	return NULL;
}

/* The series of the group, policies in order of first appearance; the reference series. */
static void fig_series(struct fault_fig *g)
{
	g->ser = xcalloc(g->nm, sizeof(*g->ser));
	g->ref = g->opt = SIZE_MAX;
	size_t lru = SIZE_MAX;
	for (size_t i = 0; i < g->nm; i++) {
		json_t *pol = g->kp == SIZE_MAX ? NULL : g->runs[g->members[i]].values[g->kp];
		bool seen = false;
		for (size_t j = 0; j < g->nser && !seen; j++)
			seen = !pol || json_equal(pol, g->ser[j].policy);
		if (seen)
			continue;
		struct fault_series *ser = &g->ser[g->nser];
		ser->policy = pol;
		ser->name = !pol                  ? xstrdup("faults")
		            : json_is_string(pol) ? xstrdup(json_string_value(pol))
		                                  : sweep_value_text(pol);
		series_fill(g, ser);
		if (!ser->npt) {
			free(ser->name);
			free(ser->pt);
			continue;
		}
		if (!strcmp(ser->name, "opt"))
			g->opt = g->nser;
		if (!strcmp(ser->name, "lru"))
			lru = g->nser;
		g->nser++;
	}
	g->ref = g->opt != SIZE_MAX ? g->opt : lru;
	json_t *ps = json_object_get(json_object_get(fig_config(g), "memory"), "page_size");
	g->page_bytes = json_is_integer(ps) ? (double)json_integer_value(ps) : 0;
}

/* faults / the reference's faults at the same size, or NaN. */
static double per_ref(const struct fault_fig *g, const struct fault_pt *p)
{
	if (g->ref == SIZE_MAX)
		return NAN;
	const struct fault_series *r = &g->ser[g->ref];
	for (size_t i = 0; i < r->npt; i++)
		if (r->pt[i].frames == p->frames)
			return r->pt[i].mean > 0 ? p->mean / r->pt[i].mean : NAN;
	return NAN;
}

static void fig_write(const struct fault_fig *g, FILE *f)
{
	fprintf(f, "# frames bytes faults_mean faults_ci95 seeds faults_per_%s\n",
	        g->ref == SIZE_MAX ? "ref" : g->ser[g->ref].name);
	for (size_t j = 0; j < g->nser; j++) {
		fprintf(f, "%s# %s\n", j ? "\n\n" : "", g->ser[j].name);
		for (size_t i = 0; i < g->ser[j].npt; i++) {
			const struct fault_pt *p = &g->ser[j].pt[i];
			fprintf(f, "%.17g %.17g %.10g %.10g %zu %.6f\n", p->frames,
			        p->frames * g->page_bytes, p->mean, p->ci95, p->nseeds,
			        per_ref(g, p));
		}
	}
}

/*
 * The panels: every series in one panel when they are at most eight; otherwise the series
 * other than OPT in panels of at most seven (sizes differing by one at most), OPT added to
 * each. Each panel's blocks (1-based) and linetypes into vars as panel<p>_blocks/_styles.
 */
static size_t fig_panels(const struct fault_fig *g, struct sbuf *vars)
{
	bool has_opt = g->opt != SIZE_MAX;
	size_t others = g->nser - (size_t)has_opt;
	size_t per = g->nser <= PANEL_SERIES ? g->nser : PANEL_SERIES - (size_t)has_opt;
	size_t np = g->nser <= PANEL_SERIES ? 1 : (others + per - 1) / per;
	size_t j = 0;
	for (size_t p = 0; p < np; p++) {
		size_t take = np == 1 ? others : others / np + (p < others % np);
		struct sbuf blocks = {0}, styles = {0};
		for (size_t k = 0, style = 1; k < take; j++) {
			if (j == g->opt)
				continue;
			sbuf_printf(&blocks, "%s%zu", blocks.len ? " " : "", j + 1);
			sbuf_printf(&styles, "%s%zu", styles.len ? " " : "", style++);
			k++;
		}
		if (has_opt) {
			sbuf_printf(&blocks, "%s%zu", blocks.len ? " " : "", g->opt + 1);
			sbuf_printf(&styles, "%s8", styles.len ? " " : "");
		}
		sbuf_printf(vars, "panel%zu_blocks = '%s'\npanel%zu_styles = '%s'\n", p + 1,
		            blocks.s ? blocks.s : "", p + 1, styles.s ? styles.s : "");
		free(blocks.s);
		free(styles.s);
	}
	return np;
}

/* The byte unit of the top axis for sizes up to max_bytes: its name and size. */
static void byte_unit(double max_bytes, const char **name, double *size)
{
	*name = max_bytes >= 4.0 * (1ull << 30) ? "GiB"
	        : max_bytes >= 4.0 * (1 << 20)  ? "MiB"
	                                        : "KiB";
	*size = !strcmp(*name, "GiB")   ? (double)(1ull << 30)
	        : !strcmp(*name, "MiB") ? 1 << 20
	                                : 1 << 10;
}

/* The memory sizes of the figure's points, at most ten of them (every k-th, the largest kept),
 * as the positions of the axis tics. New. */
static char *frame_tics(const struct fault_fig *g)
{
	double *all = NULL;
	size_t n = 0;
	for (size_t j = 0; j < g->nser; j++) {
		all = xrealloc(all, (n + g->ser[j].npt) * sizeof(*all));
		for (size_t i = 0; i < g->ser[j].npt; i++)
			all[n++] = g->ser[j].pt[i].frames;
	}
	qsort(all, n, sizeof(*all), double_cmp);
	size_t nu = 0;
	for (size_t i = 0; i < n; i++)
		if (!nu || all[i] != all[nu - 1])
			all[nu++] = all[i];
	size_t step = (nu + 9) / 10;
	struct sbuf b = {0};
	for (size_t i = (nu - 1) % step; i < nu; i += step)
		sbuf_printf(&b, "%s%.17g", b.len ? " " : "", all[i]);
	free(all);
	return sbuf_take(&b);
}

/* The vars common to the three forms of a figure. */
static char *fig_vars(const struct fault_fig *g, const char *path, const char *glabel)
{
	struct sbuf v = {0};
	double fmin = INFINITY, fmax = 0;
	struct sbuf titles = {0};
	for (size_t j = 0; j < g->nser; j++) {
		fmin = MIN(fmin, g->ser[j].pt[0].frames);
		fmax = MAX(fmax, g->ser[j].pt[g->ser[j].npt - 1].frames);
		char *t = gp_text(g->ser[j].name);
		sbuf_printf(&titles, "%s\"%s%s\"", j ? " " : "", t,
		            j == g->opt ? " (lower bound)" : "");
		free(t);
	}
	const char *bu;
	double bsize;
	byte_unit(fmax * g->page_bytes, &bu, &bsize);
	char *name = gp_text(g->s->name);
	char *wl = workload_text(fig_config(g));
	char *w = gp_text(wl), *gl = gp_text(glabel);
	sbuf_printf(&v, "datafile = '%s'\ntitles = '%s'\nlogx = %d\nfmin = %.17g\nfmax = %.17g\n",
	            path, titles.s, fmin > 0 && fmax >= 16 * fmin, fmin, fmax);
	double ymax = 0, ymin_log = INFINITY, ymax_ref = 0;
	for (size_t j = 0; j < g->nser; j++)
		for (size_t i = 0; i < g->ser[j].npt; i++) {
			const struct fault_pt *p = &g->ser[j].pt[i];
			double r = per_ref(g, p);
			ymax = MAX(ymax, p->mean + p->ci95);
			if (p->mean - p->ci95 > 0)
				ymin_log = MIN(ymin_log, p->mean - p->ci95);
			if (r == r)
				ymax_ref = MAX(ymax_ref, r * (p->mean + p->ci95) / p->mean);
		}
	sbuf_printf(&v, "ymax = %.17g\nymin_log = %.17g\nymax_ref = %.17g\n", MAX(ymax, 1),
	            ymin_log < INFINITY ? ymin_log : 1, MAX(ymax_ref, 1));
	char *tics = frame_tics(g);
	sbuf_printf(&v, "frame_tics = '%s'\n", tics);
	free(tics);
	sbuf_printf(&v, "plottitle = 'Page faults vs memory size: %s%s%s%s'\n", name,
	            *w ? " (" : "", w, *w ? ")" : "");
	struct sbuf sub = {0};
	if (*gl)
		sbuf_printf(&sub, "%s", gl);
	if (g->max_seeds > 1)
		sbuf_printf(&sub, "%smean of %zu seeds, band: 95%% CI (Student t)",
		            sub.len ? "; " : "", g->max_seeds);
	sbuf_printf(&v,
	            "subtitle = '%s'\nframe_bytes = %.17g\nbyte_unit = '%s'\n"
	            "byte_size = %.17g\nband = %d\n",
	            sub.s ? sub.s : "", g->page_bytes, bu, bsize, g->max_seeds > 1);
	free(sub.s);
	free(titles.s);
	free(name);
	free(wl);
	free(w);
	free(gl);
	return sbuf_take(&v);
}

static void fig_draw(struct plotter *pl, const struct fault_fig *g, const char *name,
                     const char *path, const char *glabel)
{
	struct sbuf panels = {0};
	size_t np = fig_panels(g, &panels);
	char *common = fig_vars(g, path, glabel);
	static const char *const forms[] = {"linear", "log", "ref"};
	for (size_t k = 0; k < ARRAY_SIZE(forms); k++) {
		if (k == 2 && g->ref == SIZE_MAX)
			continue;
		const char *refname = g->ref == SIZE_MAX ? "" : g->ser[g->ref].name;
		char *n = k == 0   ? xstrdup(name)
		          : k == 1 ? xasprintf("%s-log", name)
		                   : xasprintf("%s-vs-%s", name, refname);
		char *vars = xasprintf("%s%snpanels = %zu\nyform = '%s'\nrefname = '%s'\n", common,
		                       panels.s, np, forms[k], refname);
		plot_run(pl, n, "faults.gp", vars);
		free(vars);
		free(n);
	}
	free(common);
	free(panels.s);
}

static void fig_fini(struct fault_fig *g)
{
	for (size_t j = 0; j < g->nser; j++) {
		free(g->ser[j].name);
		free(g->ser[j].pt);
	}
	free(g->ser);
}

/* One group's figure: its data file and its three forms (nothing when no point counted). */
static void plot_faults_group(struct plotter *pl, struct fault_fig *g, const char *gkey,
                              const char *glabel)
{
	fig_series(g);
	if (g->nser) {
		char name[200], slug[160];
		slug_into(slug, sizeof(slug), gkey);
		snprintf(name, sizeof(name), "faults%s%s", *slug ? "-" : "", slug);
		char *path;
		FILE *f = data_open(pl, name, &path);
		if (f) {
			fig_write(g, f);
			if (data_close(pl, f, path) == 0)
				fig_draw(pl, g, name, path, glabel);
		} else {
			pl->nr_failed++;
		}
		free(path);
	}
	fig_fini(g);
}

void plot_faults(struct plotter *pl, const struct sweep *s, struct config_run *runs)
{
	size_t kf = sweep_key_index(s, "memory.frames"), kp = sweep_key_index(s, "vm.policy");
	size_t ks = sweep_key_index(s, "seed");
	if (kf == SIZE_MAX)
		return;
	struct key_skip skip = {{kf, kp, ks}};
	size_t n = s->nr_points;
	bool *used = xcalloc(n, sizeof(*used));
	for (size_t a = 0; a < n; a++) {
		if (used[a])
			continue;
		char *gkey = values_label(s, runs[a].values, skip, false, false);
		char *glabel = values_label(s, runs[a].values, skip, true, false);
		struct fault_fig g = {.s = s, .runs = runs, .kf = kf, .kp = kp};
		g.members = xcalloc(n, sizeof(*g.members));
		for (size_t i = a; i < n; i++) {
			char *k = values_label(s, runs[i].values, skip, false, false);
			if (!strcmp(k, gkey)) {
				g.members[g.nm++] = i;
				used[i] = true;
			}
			free(k);
		}
		plot_faults_group(pl, &g, gkey, glabel);
		free(g.members);
		free(gkey);
		free(glabel);
	}
	free(used);
}
