/*
 * report.h — the HTML writer of `vmsim report` (report_html.c) and the subcommand
 * (report_cli.c). A report is one self-contained page: inline CSS, inline JavaScript (table
 * sorting and an error hook), plots inlined as SVG, a Content-Security-Policy that forbids
 * every network load. Nothing in it refers outside the file but the relative links between a
 * sweep's report and its points' reports.
 */
#ifndef VMSIM_SIM_CLI_REPORT_H
#define VMSIM_SIM_CLI_REPORT_H

#include <jansson.h>
#include <stdio.h>

/* s with & < > " ' escaped for HTML text and attribute values, to f. */
void html_text(FILE *f, const char *s);
/* A relative URL path for a directory or file name (percent-encoding outside
 * [A-Za-z0-9._~=,/-]), to f. */
void html_url(FILE *f, const char *s);
/* The page's head (title, CSP, CSS, the error hook) and the opening of its body. */
void html_begin(FILE *f, const char *title);
/* The closing of the body: the status element the tests read, the sorting script. */
void html_end(FILE *f);
/* An SVG file inlined, its ids prefixed with prefix so that several share a page. Returns 0,
 * or -1 when it cannot be read or has no <svg element. */
int html_inline_svg(FILE *f, const char *path, const char *prefix);
/* A two-column sortable table of the flat numeric and string members of obj whose keys match
 * one of patterns (fnmatch; NULL-terminated; NULL: every member). Returns the rows written. */
size_t html_stats_table(FILE *f, const json_t *obj, const char *const *patterns);
/* JSON pretty-printed in a <pre>. */
void html_json(FILE *f, const json_t *j);

/* What a page's header links to: the sweep's report and the neighbouring points (NULL:
 * none), relative to the page. */
struct report_nav {
	const char *up, *prev, *next;
	const char *prev_name, *next_name;
};

/* The report's own provenance, shared by every page it writes. */
struct report_ctx {
	char *command, *host, *time;
};

/* The links of a page's header: its sections, and nav's pages. */
void report_nav_links(FILE *f, const struct report_nav *nav);
/* Every DIR/plots/<name>.svg inlined, by kind then name. Returns how many. */
int report_plots(FILE *f, const char *dir);
/* The provenance table of the report itself. */
void report_self_provenance(FILE *f, const struct report_ctx *c);
/* The page of the run directory dir into f. */
void report_run(FILE *f, const char *dir, const char *title, const struct report_nav *nav,
                const struct report_ctx *c);
/* DIR/report.html written by write(f, arg), through a temporary file. Returns 0, or 1 with
 * a message. */
int report_write_page(const char *dir, void (*write)(FILE *, void *), void *arg);
/* DIR/report.html of a run directory. Returns the exit status. */
int report_run_page(const char *dir, const char *title, const struct report_nav *nav,
                    const struct report_ctx *c);
/* The sweep's report and each point's (report_sweep.c). Returns the exit status. */
int report_sweep(const char *dir, const char *sweep_file, const struct report_ctx *c);

int report_cli_main(int argc, char **argv);

#endif
