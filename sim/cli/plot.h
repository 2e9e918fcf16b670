/*
 * plot.h — the gnuplot driver of `vmsim plot` (plot_gnuplot.c): where gnuplot and the scripts
 * are, the data and vars files of one plot, and the run of gnuplot that turns them into
 * DIR/plots/<name>.{png,svg}. plot_cli.c decides which plots fit the results.
 */
#ifndef VMSIM_SIM_CLI_PLOT_H
#define VMSIM_SIM_CLI_PLOT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

struct plotter {
	char *gnuplot;   /* absolute path of gnuplot */
	char *scriptdir; /* scripts/plot */
	char *outdir;    /* DIR/plots */
	char *datadir;   /* DIR/plots/data */
	int nr_plots;    /* plots written */
	int nr_failed;   /* gnuplot runs that failed */
};

/* One configuration to draw: a run directory and its legend label. */
struct config_run {
	char *dir;         /* owned */
	char *label;       /* owned */
	json_t *stats;     /* stats.json, or NULL */
	json_t **values;   /* sweep parameter values (borrowed), NULL for a plain run */
	char *short_label; /* the values alone, for bar labels; owned, may be NULL */
};

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
/* Open DATADIR/<name>.dat for writing (*path new, even on failure); NULL with a message. */
FILE *data_open(struct plotter *pl, const char *name, char **path);

#endif
