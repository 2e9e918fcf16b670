/*
 * plot_breakdown.c — where simulated time went: one stacked bar per configuration, one layer
 * per time.*_ps statistic present in any run (whatever keys the engine adds, sorted by name),
 * drawn twice: absolute (breakdown) and as a percentage of the bar's total (breakdown-pct).
 *
 * Bars are grouped by the swept memory.frames (groups named on the top axis, separated by a
 * gap and a dotted line), the other parameters (typically the policies) side by side within a
 * group; beyond 36 bars each group gets its own panel (small multiples, one y range); with "seed"
 * swept, a bar is the mean over the seeds. The total of a bar is the sum of its layers: the
 * components are the time each kind of work took summed over CPUs, not a partition of sim.time_ps.
 *
 * The data file (plots/data/breakdown.dat, tab-separated, one header row):
 *   x group bar total <layer>...     (x: the bar's position; times in the vars' unit)
 * What it ignores: runs without any time.*_ps key.
 */
#include <stdlib.h>
#include <string.h>

#include "sim/cli/plot.h"

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The time.*_ps keys present in any run, sorted. */
static size_t time_keys(struct config_run *runs, size_t n, char ***out)
{
	char **keys = NULL;
	size_t nk = 0;
	for (size_t i = 0; i < n; i++) {
		const char *k;
		json_t *v;
		json_object_foreach(runs[i].stats, k, v)
		{
			size_t l = strlen(k);
			if (strncmp(k, "time.", 5) || l < 9 || strcmp(k + l - 3, "_ps") ||
			    !json_is_integer(v))
				continue;
			bool seen = false;
			for (size_t j = 0; j < nk && !seen; j++)
				seen = !strcmp(keys[j], k);
			if (seen)
				continue;
			keys = xrealloc(keys, (nk + 1) * sizeof(*keys));
			keys[nk++] = xstrdup(k);
		}
	}
	if (nk)
		qsort(keys, nk, sizeof(*keys), str_cmp);
	*out = keys;
	return nk;
}

/* A layer's legend: the key without "time." and "_ps", '_' as a space. New. */
static char *layer_name(const char *key)
{
	char *s = xstrdup(key + 5);
	s[strlen(s) - 3] = '\0';
	for (char *p = s; *p; p++)
		if (*p == '_')
			*p = ' ';
	return s;
}

/* One bar: the runs (seeds) it averages, and its label and group. */
struct bar {
	size_t *runs;
	size_t nruns;
	char *label; /* owned */
	char *group; /* owned; "" without groups */
	double *ps;  /* mean picoseconds per layer; owned */
	double total_ps;
};

struct breakdown {
	struct bar *bars;
	size_t nbars;
	char **keys;
	size_t nk;
};

static bool has_time(const struct config_run *r, char **keys, size_t nk)
{
	for (size_t k = 0; k < nk; k++)
		if (json_object_get(r->stats, keys[k]))
			return true;
	return false;
}

/* The bars: runs with the same label (group, then the other parameters but the seed) share
 * one; bars in order of first appearance within their group, groups likewise. */
static void breakdown_bars(struct breakdown *b, const struct sweep *s, struct config_run *runs,
                           size_t n, size_t kgroup, size_t kseed)
{
	b->bars = xcalloc(n ? n : 1, sizeof(*b->bars));
	for (size_t i = 0; i < n; i++) {
		if (!has_time(&runs[i], b->keys, b->nk))
			continue;
		char *group = s && kgroup != SIZE_MAX ? sweep_value_text(runs[i].values[kgroup])
		                                      : xstrdup("");
		char *label =
		    s ? values_label(s, runs[i].values,
		                     (struct key_skip){{kgroup, kseed, SIZE_MAX}}, true, true)
		      : xstrdup(runs[i].label);
		size_t j = 0;
		while (j < b->nbars &&
		       (strcmp(b->bars[j].group, group) || strcmp(b->bars[j].label, label)))
			j++;
		if (j == b->nbars) {
			/* a new bar goes after the last bar of its group */
			size_t at = b->nbars;
			for (size_t q = 0; q < b->nbars; q++)
				if (!strcmp(b->bars[q].group, group))
					at = q + 1;
			memmove(&b->bars[at + 1], &b->bars[at], (b->nbars - at) * sizeof(*b->bars));
			b->bars[at] = (struct bar){.label = label, .group = group};
			b->bars[at].runs = xcalloc(n, sizeof(size_t));
			b->nbars++;
			j = at;
		} else {
			free(label);
			free(group);
		}
		b->bars[j].runs[b->bars[j].nruns++] = i;
	}
	for (size_t j = 0; j < b->nbars; j++) {
		struct bar *bar = &b->bars[j];
		bar->ps = xcalloc(b->nk ? b->nk : 1, sizeof(double));
		for (size_t k = 0; k < b->nk; k++) {
			for (size_t r = 0; r < bar->nruns; r++)
				bar->ps[k] +=
				    (double)stat_u64(runs[bar->runs[r]].stats, b->keys[k], NULL);
			bar->ps[k] /= (double)bar->nruns;
			bar->total_ps += bar->ps[k];
		}
	}
}

static void breakdown_fini(struct breakdown *b)
{
	for (size_t j = 0; j < b->nbars; j++) {
		free(b->bars[j].runs);
		free(b->bars[j].label);
		free(b->bars[j].group);
		free(b->bars[j].ps);
	}
	free(b->bars);
	for (size_t k = 0; k < b->nk; k++)
		free(b->keys[k]);
	free(b->keys);
}

/* Writes the data file; returns the vars for the gnuplot script (group tics and
 * separators, the unit, the panels). New. */
static char *breakdown_write(const struct breakdown *b, FILE *f, const char *path)
{
	static const struct {
		const char *name;
		double ps;
	} units[] = {{"s", 1e12}, {"ms", 1e9}, {"\u00b5s", 1e6}, {"ns", 1e3}, {"ps", 1}};
	double max_total = 0;
	for (size_t j = 0; j < b->nbars; j++)
		max_total = MAX(max_total, b->bars[j].total_ps);
	size_t u = 0;
	while (u + 1 < ARRAY_SIZE(units) && max_total < units[u].ps)
		u++;
	fputs("x\tgroup\tbar\ttotal", f);
	struct sbuf layers = {0};
	for (size_t k = 0; k < b->nk; k++) {
		char *nm = layer_name(b->keys[k]);
		fprintf(f, "\t%s", nm);
		sbuf_printf(&layers, "%s\"%s\"", k ? " " : "", nm);
		free(nm);
	}
	fputc('\n', f);
	struct sbuf tics = {0}, seps = {0}, firsts = {0}, lasts = {0}, names = {0};
	size_t ngroups = 0;
	size_t x = 0, gstart = 0;
	for (size_t j = 0; j < b->nbars; j++) {
		const struct bar *bar = &b->bars[j];
		bool new_group = j && strcmp(bar->group, b->bars[j - 1].group);
		if (new_group) {
			sbuf_printf(&seps, "%s%zu", seps.len ? " " : "", x);
			x++;
			gstart = x;
		}
		char *g = gp_text(bar->group), *l = gp_text(bar->label);
		fprintf(f, "%zu\t%s\t%s\t%.6g", x, *g ? g : "-", *l ? l : "-",
		        bar->total_ps / units[u].ps);
		for (size_t k = 0; k < b->nk; k++)
			fprintf(f, "\t%.6g", bar->ps[k] / units[u].ps);
		fputc('\n', f);
		bool last = j + 1 == b->nbars || strcmp(b->bars[j + 1].group, bar->group);
		if (last && *g)
			sbuf_printf(&tics, "%s\"%s\" %.1f", tics.len ? ", " : "", g,
			            (double)(gstart + x) / 2);
		if (last) {
			sbuf_printf(&firsts, "%s%zu", ngroups ? " " : "", gstart);
			sbuf_printf(&lasts, "%s%zu", ngroups ? " " : "", x);
			sbuf_printf(&names, "%s\"%s\"", ngroups ? " " : "", g);
			ngroups++;
		}
		free(g);
		free(l);
		x++;
	}
	/* more bars than a slide shows legibly on one axis: one panel per group */
	bool panels = b->nbars > 36 && ngroups > 1;
	char *vars = xasprintf("datafile = '%s'\nnlayers = %zu\nunit = '%s'\nnbars = %zu\n"
	                       "xmax = %zu\nymax = %.6g\ngroup_tics = '%s'\nseparators = '%s'\n"
	                       "panels = %d\ngroup_first = '%s'\ngroup_last = '%s'\n"
	                       "group_names = '%s'\nlayer_names = '%s'\n",
	                       path, b->nk, units[u].name, b->nbars, x ? x - 1 : 0,
	                       max_total / units[u].ps, tics.s ? tics.s : "", seps.s ? seps.s : "",
	                       panels, firsts.s, lasts.s, names.s, layers.s ? layers.s : "");
	free(layers.s);
	free(tics.s);
	free(seps.s);
	free(firsts.s);
	free(lasts.s);
	free(names.s);
	return vars;
}

void plot_breakdown(struct plotter *pl, const struct sweep *s, struct config_run *runs, size_t n,
                    size_t kgroup, size_t kseed)
{
	struct breakdown b = {0};
	b.nk = time_keys(runs, n, &b.keys);
	breakdown_bars(&b, s, runs, n, kgroup, kseed);
	if (b.nbars) {
		char *path;
		FILE *f = data_open(pl, "breakdown", &path);
		char *vars = f ? breakdown_write(&b, f, path) : NULL;
		if (!f) {
			pl->nr_failed++;
		} else if (data_close(pl, f, path) < 0) {
			free(vars); /* (counted by data_close) */
		} else {
			char *gk = kgroup != SIZE_MAX ? gp_text(s->keys[kgroup]) : xstrdup("");
			char *name = s ? gp_text(s->name) : xstrdup("");
			for (int pct = 0; pct <= 1; pct++) {
				char *v = xasprintf("%spercent = %d\ngroupkey = '%s'\nplottitle = "
				                    "'Where simulated time "
				                    "went%s%s%s'\n",
				                    vars, pct, gk, *name ? ": " : "", name,
				                    pct ? " (share of each bar)" : "");
				plot_run(pl, pct ? "breakdown-pct" : "breakdown", "breakdown.gp",
				         v);
				free(v);
			}
			free(gk);
			free(name);
			free(vars);
		}
		free(path);
	}
	breakdown_fini(&b);
}
