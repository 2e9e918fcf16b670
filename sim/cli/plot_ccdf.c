/*
 * plot_ccdf.c — latency as a complementary CDF: for each latency x, the fraction of accesses
 * (or faults) slower than x, from each run's latency_cdf.csv, on log-log axes. Its fractions
 * have nine decimals, so the complement is exact; the slowest bucket (fraction 0) has no
 * place on a log axis and is left out.
 *
 * A sweep gets one figure per metric and combination of the parameters other than vm.policy
 * and seed; one series per policy (or per point when vm.policy is not swept). With seeds, each
 * seed's run is a line of its policy's style, the policy named once in the legend: a CCDF has
 * no mean to take without the histograms' counts. More than eight series become panels of at
 * most eight (small multiples, one y range).
 *
 * The data file (plots/data/ccdf-<metric>[-<group>].dat): one block per run, rows
 * "latency_ns fraction_slower", blocks separated by two blank lines.
 * What it ignores: runs without latency_cdf.csv or without rows for the metric.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cli/plot.h"

/* One run's CCDF of metric into f as a block (after a separator when blocks > 0); returns the
 * rows written, *min_above the smallest fraction in 10^-9. */
static size_t ccdf_block(FILE *f, const char *dir, const char *metric, size_t blocks,
                         unsigned long long *min_above)
{
	char *cpath = xasprintf("%s/latency_cdf.csv", dir);
	FILE *c = fopen(cpath, "r");
	free(cpath);
	if (!c)
		return 0;
	char line[512];
	size_t rows = 0, mlen = strlen(metric);
	while (fgets(line, sizeof(line), c)) {
		if (strncmp(line, metric, mlen) || line[mlen] != ',')
			continue;
		unsigned long long v, whole, nano;
		if (sscanf(line + mlen + 1, "%llu,%llu.%9llu", &v, &whole, &nano) != 3 || whole > 1)
			continue;
		unsigned long long above =
		    1000000000ull - MIN(whole * 1000000000ull + nano, 1000000000ull);
		if (!above) /* the slowest: a log axis has no room for 0 */
			continue;
		if (!rows && blocks)
			fputs("\n\n", f);
		*min_above = MIN(*min_above, above);
		/* picoseconds -> nanoseconds for the axis; P(latency > x) */
		fprintf(f, "%llu.%03llu 0.%09llu\n", v / 1000, v % 1000, above);
		rows++;
	}
	fclose(c);
	return rows;
}

/* The panels of nser series (at most eight each, sizes differing by one at most) over the
 * blocks (block b draws series ser_of[b]) into vars. Returns the number of panels. */
static size_t ccdf_panels(const size_t *ser_of, size_t nblocks, size_t nser, struct sbuf *vars)
{
	size_t np = (nser + 7) / 8;
	size_t first = 0;
	for (size_t p = 0; p < np; p++) {
		size_t take = nser / np + (p < nser % np);
		struct sbuf bl = {0}, st = {0};
		for (size_t b = 0; b < nblocks; b++) {
			if (ser_of[b] < first || ser_of[b] >= first + take)
				continue;
			sbuf_printf(&bl, "%s%zu", bl.len ? " " : "", b + 1);
			sbuf_printf(&st, "%s%zu", st.len ? " " : "", ser_of[b] - first + 1);
		}
		sbuf_printf(vars, "panel%zu_blocks = '%s'\npanel%zu_styles = '%s'\n", p + 1, bl.s,
		            p + 1, st.s);
		free(bl.s);
		free(st.s);
		first += take;
	}
	sbuf_printf(vars, "npanels = %zu\n", np);
	return np;
}

/* One CCDF figure of metric over the runs idx[0..n-1] (labels[i]: run idx[i]'s series). */
static void plot_ccdf(struct plotter *pl, const char *metric, struct config_run *runs,
                      const size_t *idx, char **labels, size_t n, const char *suffix,
                      const char *group)
{
	char name[200], slug[160];
	slug_into(slug, sizeof(slug), suffix);
	snprintf(name, sizeof(name), "ccdf-%s%s%s", metric, *slug ? "-" : "", slug);
	char *path;
	FILE *f = data_open(pl, name, &path);
	if (!f) {
		pl->nr_failed++;
		free(path);
		return;
	}
	size_t blocks = 0, nser = 0;
	size_t *ser_of = xcalloc(n ? n : 1, sizeof(*ser_of));
	char **ser_name = xcalloc(n ? n : 1, sizeof(*ser_name));
	unsigned long long min_above = 1000000000ull;
	struct sbuf titles = {0};
	for (size_t ii = 0; ii < n; ii++) {
		if (!ccdf_block(f, runs[idx[ii]].dir, metric, blocks, &min_above))
			continue;
		size_t s = 0;
		while (s < nser && strcmp(ser_name[s], labels[ii]))
			s++;
		char *t = gp_text(labels[ii]);
		/* a series is named once in the legend ("-": no entry) */
		sbuf_printf(&titles, "%s\"%s\"", blocks ? " " : "", s == nser ? t : "-");
		free(t);
		if (s == nser)
			ser_name[nser++] = labels[ii];
		ser_of[blocks++] = s;
	}
	if (!blocks) {
		data_discard(f, path);
		unlink(path); /* (a stale one: nothing to plot now) */
	} else if (data_close(pl, f, path) == 0) {
		bool acc = !strcmp(metric, "access");
		char *g = gp_text(group);
		struct sbuf v = {0};
		sbuf_printf(&v,
		            "datafile = '%s'\ntitles = '%s'\nplottitle = '%s%s%s'\n"
		            "xlabel = '%s latency x (ns)'\nylabel = 'P(latency > x), %s'\n"
		            "ymin = %.9g\n",
		            path, titles.s,
		            acc ? "Memory access latency CCDF" : "Page fault latency CCDF",
		            *g ? ": " : "", g, acc ? "access" : "fault",
		            acc ? "accesses" : "faults", (double)min_above / 1e9);
		ccdf_panels(ser_of, blocks, nser, &v);
		plot_run(pl, name, "ccdf.gp", v.s);
		free(v.s);
		free(g);
	}
	free(titles.s);
	free(ser_of);
	free(ser_name);
	free(path);
}

void plot_ccdf_run(struct plotter *pl, struct config_run *run)
{
	size_t zero = 0;
	plot_ccdf(pl, "access", run, &zero, &run->label, 1, "", "");
	plot_ccdf(pl, "fault", run, &zero, &run->label, 1, "", "");
}

/* The series label of a point: its policy, or (vm.policy not swept) its other parameters but
 * the seed. New. */
static char *series_label(const struct sweep *s, json_t **values, size_t kp, size_t ks)
{
	if (kp == SIZE_MAX)
		return values_label(s, values, (struct key_skip){{ks, SIZE_MAX, SIZE_MAX}}, true,
		                    false);
	return json_is_string(values[kp]) ? xstrdup(json_string_value(values[kp]))
	                                  : sweep_value_text(values[kp]);
}

void plot_ccdf_sweep(struct plotter *pl, const struct sweep *s, struct config_run *runs)
{
	size_t kp = sweep_key_index(s, "vm.policy"), ks = sweep_key_index(s, "seed");
	size_t n = s->nr_points;
	/* with vm.policy not swept every point is a series of one figure */
	struct key_skip skip = {{kp, ks, SIZE_MAX}};
	bool *used = xcalloc(n ? n : 1, sizeof(*used));
	size_t *members = xcalloc(n ? n : 1, sizeof(*members));
	char **labels = xcalloc(n ? n : 1, sizeof(*labels));
	for (size_t g = 0; g < n; g++) {
		if (used[g])
			continue;
		size_t nm = 0;
		char *gkey = kp == SIZE_MAX ? xstrdup("")
		                            : values_label(s, runs[g].values, skip, false, false);
		char *glabel = kp == SIZE_MAX ? xstrdup("")
		                              : values_label(s, runs[g].values, skip, true, false);
		for (size_t i = g; i < n; i++) {
			char *k = kp == SIZE_MAX
			              ? xstrdup("")
			              : values_label(s, runs[i].values, skip, false, false);
			if (!strcmp(k, gkey)) {
				labels[nm] = series_label(s, runs[i].values, kp, ks);
				members[nm++] = i;
				used[i] = true;
			}
			free(k);
		}
		plot_ccdf(pl, "access", runs, members, labels, nm, gkey, glabel);
		plot_ccdf(pl, "fault", runs, members, labels, nm, gkey, glabel);
		for (size_t m = 0; m < nm; m++)
			free(labels[m]);
		free(gkey);
		free(glabel);
	}
	free(labels);
	free(members);
	free(used);
}
