/*
 * plot.h — the gnuplot driver of `vmsim plot` (plot_gnuplot.c): where gnuplot and the scripts
 * are, the data and vars files of one plot, and the run of gnuplot that turns them into
 * DIR/plots/<name>.{png,svg}. plot_cli.c decides which plots fit the results.
 */
#ifndef VMSIM_SIM_CLI_PLOT_H
#define VMSIM_SIM_CLI_PLOT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/base/util.h"
#include "sim/cli/sweep.h"

struct plotter {
	char *gnuplot;   /* absolute path of gnuplot */
	char *scriptdir; /* scripts/plot */
	char *outdir;    /* DIR/plots */
	char *datadir;   /* DIR/plots/data (absolute, so that the vars files work from anywhere) */
	int nr_plots;    /* plots written */
	int nr_failed;   /* gnuplot runs that failed */
};

/* One configuration to draw: a run directory and its legend label. */
struct config_run {
	char *dir;       /* owned */
	char *label;     /* owned */
	json_t *stats;   /* stats.json, or NULL */
	json_t **values; /* sweep parameter values (borrowed), NULL for a plain run */
	json_t *config;  /* config.json (the resolved config), or NULL */
};

/* A growing string (s is NUL-terminated, owned; {0} is empty). */
struct sbuf {
	char *s;
	size_t len, cap;
};
void sbuf_printf(struct sbuf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* b's text, "" when nothing was appended (the caller owns it; b is emptied). */
char *sbuf_take(struct sbuf *b);

/* The non-negative integer stats[key], 0 when absent (*found set true when present). */
uint64_t stat_u64(const json_t *stats, const char *key, bool *found);
/* The index of key among the sweep's keys, SIZE_MAX when it is not swept. */
size_t sweep_key_index(const struct sweep *s, const char *key);
/* Sweep keys left out of a label: up to three indices, SIZE_MAX for none. */
struct key_skip {
	size_t k[3];
};
#define KEY_SKIP_NONE ((struct key_skip){{SIZE_MAX, SIZE_MAX, SIZE_MAX}})
/* The parameters of a point except those in skip: "k=v,k=v" (readable false: a group key),
 * "k=v, k=v" with the last key component (readable true: a legend), or with values_only the
 * values joined by " / " (a bar label). New. */
char *values_label(const struct sweep *s, json_t **values, struct key_skip skip, bool readable,
                   bool values_only);
/* What the workload of a resolved config is, for a title: "zipf", "trace foo.pages",
 * "fork-server + seq"; "" when unknown (new). */
char *workload_text(const json_t *config);

bool is_file(const char *path);
bool is_dir(const char *path);
/* The absolute path of gnuplot on PATH, or NULL (new). */
char *find_gnuplot(void);
/* The directory of scripts/plot/<name>.gp: $VMSIM_PLOT_SCRIPTS, beside the executable's
 * parent (a build directory in the source tree), an installed share/vmsim/plot, or under the
 * current directory; NULL when none has them (new). */
char *find_scripts(void);
/* A string safe inside a gnuplot single-quoted string and a double-quoted word (new). */
char *gp_text(const char *s);
/* s with every character outside [A-Za-z0-9._=-] made '_', into dst (n bytes). */
void slug_into(char *dst, size_t n, const char *s);
/* Run gnuplot on DATADIR/<name>.vars.gp (vars, plus scriptdir/outbase) then the script; the
 * outputs are OUTDIR/<name>.{png,svg}. Counts the plot, or the failure with a message. */
void plot_run(struct plotter *pl, const char *name, const char *script, const char *vars);
/* Open DATADIR/<name>.dat for writing (*path new, even on failure; the file written is
 * *path.tmp until data_close); NULL with a message. */
FILE *data_open(struct plotter *pl, const char *name, char **path);
/* Close f, opened by data_open for path, and rename path.tmp to path: 0; else (a write error:
 * a full disk) -1 with a message, path.tmp removed, the failure counted in pl, path as it was. */
int data_close(struct plotter *pl, FILE *f, const char *path);
/* Close f, opened by data_open for path, and remove path.tmp (nothing to plot). */
void data_discard(FILE *f, const char *path);

/* The fault curves of a sweep that varies memory.frames (plot_faults.c). */
void plot_faults(struct plotter *pl, const struct sweep *s, struct config_run *runs);
/* The first line of a `vmsim mrc` CSV (plot_mrc.c). */
bool mrc_csv_header(const char *line);
/* The miss-ratio curve of a `vmsim mrc` CSV into pl's directories. Returns the exit status
 * (2: bad input, with a message naming the file and line). */
int plot_mrc(struct plotter *pl, const char *csv);
/* Latency CCDFs (plot_ccdf.c): of a sweep, one figure per metric and combination of the
 * parameters other than vm.policy and seed; of one run. */
void plot_ccdf_sweep(struct plotter *pl, const struct sweep *s, struct config_run *runs);
void plot_ccdf_run(struct plotter *pl, struct config_run *run);
/* The time breakdown of runs[0..n-1] (plot_breakdown.c); kgroup: the sweep key that groups
 * the bars (SIZE_MAX: none), kseed: the seed key averaged over (SIZE_MAX: none). */
void plot_breakdown(struct plotter *pl, const struct sweep *s, struct config_run *runs, size_t n,
                    size_t kgroup, size_t kseed);

#endif
