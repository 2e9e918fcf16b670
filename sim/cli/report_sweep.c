/*
 * report_sweep.c — the report of a sweep directory (report.h): DIR/report.html with
 * summary.csv as a sortable table whose rows link to each point's report, the sweep's plots,
 * the sweep file and a resolved config, and the provenance of the points (versions, commits,
 * hosts and times from their run.json); and each point's own report, linked back to the sweep
 * and to its neighbours.
 * What it ignores: points never run (no directory: no page, the row has no link).
 */
#include <stdlib.h>
#include <string.h>

#include "sim/base/util.h"
#include "sim/cli/plot.h"
#include "sim/cli/report.h"
#include "sim/cli/sweep.h"

/* One CSV line split into fields (RFC 4180 quotes), into fields (new strings, *n of them). */
static char **csv_split(const char *line, size_t *n)
{
	char **fields = NULL;
	*n = 0;
	const char *p = line;
	for (;;) {
		struct sbuf b = {0};
		if (*p == '"') {
			for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
				if (*p == '"')
					p++;
				sbuf_printf(&b, "%c", *p);
			}
			if (*p == '"')
				p++;
		}
		for (; *p && *p != ',' && *p != '\n' && *p != '\r'; p++)
			sbuf_printf(&b, "%c", *p);
		fields = xrealloc(fields, (*n + 1) * sizeof(*fields));
		fields[(*n)++] = sbuf_take(&b);
		if (*p != ',')
			return fields;
		p++;
	}
}

static void fields_free(char **f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(f[i]);
	free(f);
}

static bool is_number(const char *s)
{
	char *end;
	if (!*s)
		return false;
	strtod(s, &end);
	return !*end;
}

/* One row of summary.csv (point column pc) into the table. */
static void summary_row(FILE *f, char **row, size_t n, size_t pc, const char *dir)
{
	fputs("<tr>", f);
	const char *id = pc < n ? row[pc] : "";
	char *pdir = xasprintf("%s/points/%s", dir, id);
	fputs("<td>", f);
	if (*id && is_dir(pdir)) {
		fputs("<a href=\"points/", f);
		html_url(f, id);
		fputs("/report.html\">", f);
		html_text(f, id);
		fputs("</a>", f);
	} else {
		html_text(f, id);
	}
	fputs("</td>", f);
	free(pdir);
	for (size_t i = 0; i < n; i++) {
		if (i == pc)
			continue;
		fputs(is_number(row[i]) ? "<td class=\"num\">" : "<td>", f);
		html_text(f, row[i]);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
}

/* summary.csv as a sortable table, each point linked to its report. */
static void summary_table(FILE *f, const char *dir)
{
	char *path = xasprintf("%s/summary.csv", dir);
	FILE *in = fopen(path, "r");
	free(path);
	if (!in) {
		fputs("<p class=\"note\">No summary.csv (<code>vmsim sweep --collect DIR</code> "
		      "writes it).</p>\n",
		      f);
		return;
	}
	char *line = NULL;
	size_t cap = 0, nh = 0, pc = SIZE_MAX;
	char **head = getline(&line, &cap, in) >= 0 ? csv_split(line, &nh) : NULL;
	for (size_t i = 0; i < nh; i++)
		if (!strcmp(head[i], "point"))
			pc = i;
	fputs("<div class=\"scroll\"><table class=\"sortable\"><thead><tr><th>point</th>", f);
	for (size_t i = 0; i < nh; i++) {
		if (i == pc)
			continue;
		fputs("<th>", f);
		html_text(f, head[i]);
		fputs("</th>", f);
	}
	fputs("</tr></thead><tbody>\n", f);
	while (getline(&line, &cap, in) >= 0) {
		size_t n;
		char **row = csv_split(line, &n);
		summary_row(f, row, n, pc, dir);
		fields_free(row, n);
	}
	fputs("</tbody></table></div>\n", f);
	fields_free(head, nh);
	free(line);
	fclose(in);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct values of key over the points' run.json, sorted and joined by ", "; with range
 * only the first and the last ("A .. B"). New; "" when no point has it. */
static char *points_values(const struct sweep *s, const char *dir, const char *key, bool range)
{
	char **v = xcalloc(s->nr_points ? s->nr_points : 1, sizeof(*v));
	size_t n = 0;
	for (size_t i = 0; i < s->nr_points; i++) {
		char *p = xasprintf("%s/points/%s/run.json", dir, s->points[i].id);
		json_t *run = json_load_file(p, 0, NULL);
		free(p);
		const char *x = json_string_value(json_object_get(run, key));
		if (x)
			v[n++] = xstrdup(x);
		json_decref(run);
	}
	if (n)
		qsort(v, n, sizeof(*v), str_cmp);
	struct sbuf b = {0};
	if (range && n)
		sbuf_printf(&b, n > 1 && strcmp(v[0], v[n - 1]) ? "%s .. %s" : "%s", v[0],
		            v[n - 1]);
	for (size_t i = 0; i < n && !range; i++)
		if (!i || strcmp(v[i], v[i - 1]))
			sbuf_printf(&b, "%s%s", b.len ? ", " : "", v[i]);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return sbuf_take(&b);
}

static void prov_line(FILE *f, const char *what, char *value)
{
	fputs("<tr><th>", f);
	html_text(f, what);
	fputs("</th><td>", f);
	html_text(f, *value ? value : "(not recorded)");
	fputs("</td></tr>\n", f);
	free(value);
}

/* The points' provenance, summarised. */
static void sweep_provenance(FILE *f, const struct sweep *s, const char *dir)
{
	fputs("<h3>The points (their run.json)</h3><table>\n", f);
	prov_line(f, "vmsim versions", points_values(s, dir, "version", false));
	prov_line(f, "git commits", points_values(s, dir, "git_commit", false));
	prov_line(f, "hosts", points_values(s, dir, "host", false));
	prov_line(f, "started (UTC)", points_values(s, dir, "started_utc", true));
	prov_line(f, "sweep file", xstrdup(s->file));
	fputs("</table>\n<p class=\"note\">Each point's command line is in its own report.</p>\n",
	      f);
}

struct sweep_page {
	const struct sweep *s;
	const char *dir;
	const struct report_ctx *c;
};

static void sweep_header(FILE *f, const struct sweep *s, const char *dir)
{
	fputs("<header><h1>vmsim report: ", f);
	html_text(f, s->name);
	fprintf(f, "</h1><p>a sweep of %zu points over ", s->nr_points);
	for (size_t k = 0; k < s->nr_keys; k++) {
		fputs(k ? ", " : "", f);
		html_text(f, s->keys[k]);
	}
	char *p = s->nr_points ? xasprintf("%s/points/%s/config.json", dir, s->points[0].id) : NULL;
	json_t *config = p ? json_load_file(p, 0, NULL) : NULL;
	char *wl = workload_text(config);
	if (*wl) {
		fputs(" &middot; workload ", f);
		html_text(f, wl);
	}
	fputs("</p>\n", f);
	free(wl);
	json_decref(config);
	free(p);
	report_nav_links(f, NULL);
	fputs("</header>\n", f);
}

static void sweep_page(FILE *f, void *arg)
{
	const struct sweep_page *pg = arg;
	const struct sweep *s = pg->s;
	char *title = xasprintf("vmsim report: %s", s->name);
	html_begin(f, title);
	free(title);
	sweep_header(f, s, pg->dir);
	fputs("<main>\n<section id=\"headline\"><h2>Headline statistics (summary.csv)</h2>\n"
	      "<p class=\"note\">One row per point; click a column to sort, a point for its own "
	      "report.</p>\n",
	      f);
	summary_table(f, pg->dir);
	fputs("</section>\n", f);
	report_plots(f, pg->dir);
	fputs("<section id=\"config\"><h2>The sweep (sweep.json)</h2>\n", f);
	html_json(f, s->root);
	if (s->nr_points) {
		char *p = xasprintf("%s/points/%s/config.json", pg->dir, s->points[0].id);
		json_t *config = json_load_file(p, 0, NULL);
		free(p);
		if (config) {
			fputs("<details><summary>the resolved config of the first point, ", f);
			html_text(f, s->points[0].id);
			fputs("</summary>\n", f);
			html_json(f, config);
			fputs("</details>\n", f);
		}
		json_decref(config);
	}
	fputs("</section>\n<section id=\"provenance\"><h2>Provenance</h2>\n", f);
	sweep_provenance(f, s, pg->dir);
	report_self_provenance(f, pg->c);
	fputs("</section>\n</main>\n", f);
	html_end(f);
}

/* Point i's report, linked to the sweep and to the nearest run points before and after. */
static int point_page(const struct sweep *s, const char *dir, size_t i, const bool *ran,
                      const struct report_ctx *c)
{
	size_t prev = i, next = i;
	while (prev > 0 && !ran[--prev])
		;
	while (next + 1 < s->nr_points && !ran[++next])
		;
	bool has_prev = prev != i && ran[prev], has_next = next != i && ran[next];
	char *up = xstrdup("../../report.html");
	char *pu = has_prev ? xasprintf("../%s/report.html", s->points[prev].id) : NULL;
	char *nu = has_next ? xasprintf("../%s/report.html", s->points[next].id) : NULL;
	struct report_nav nav = {.up = up,
	                         .prev = pu,
	                         .next = nu,
	                         .prev_name = has_prev ? s->points[prev].id : NULL,
	                         .next_name = has_next ? s->points[next].id : NULL};
	char *pdir = xasprintf("%s/points/%s", dir, s->points[i].id);
	char *title = xasprintf("vmsim report: %s: %s", s->name, s->points[i].id);
	int rc = report_run_page(pdir, title, &nav, c);
	free(title);
	free(pdir);
	free(up);
	free(pu);
	free(nu);
	return rc;
}

int report_sweep(const char *dir, const char *sweep_file, const struct report_ctx *c)
{
	struct sweep *s;
	struct err err;
	if (sweep_load(sweep_file, &s, &err) < 0) {
		fprintf(stderr, "vmsim report: %s\n", err.msg);
		return 2;
	}
	bool *ran = xcalloc(s->nr_points ? s->nr_points : 1, sizeof(*ran));
	for (size_t i = 0; i < s->nr_points; i++) {
		char *p = xasprintf("%s/points/%s/stats.json", dir, s->points[i].id);
		ran[i] = is_file(p);
		free(p);
	}
	int rc = 0;
	for (size_t i = 0; i < s->nr_points && !rc; i++)
		if (ran[i])
			rc = point_page(s, dir, i, ran, c);
	struct sweep_page pg = {.s = s, .dir = dir, .c = c};
	if (!rc)
		rc = report_write_page(dir, sweep_page, &pg);
	free(ran);
	sweep_destroy(s);
	return rc;
}
