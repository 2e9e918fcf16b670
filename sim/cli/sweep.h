/*
 * sweep.h — parameter sweeps: a sweep file expanded into points, each point one `vmsim run`
 * of the base config with --set overrides, and the summary.csv built from finished points.
 *
 * A sweep file (docs/sweeps.md) is
 *   {"name": "...", "base": "<config path relative to the sweep file>" | {config object},
 *    "grid": {"<key path>": [values...], ...}, "zip": {"<key path>": [values...], ...}}
 * Points are the cartesian product of the grid lists (keys in file order, the first key
 * varying slowest, like nested loops) times the zip tuples (the zip lists walked in step,
 * innermost). The order is stable: it depends only on the file.
 *
 * A point's id is derived from its parameters only (never from its position), so adding a
 * value to a grid keeps the ids, and the directories, of the other points: the readable slug
 * "vm.policy=lru,memory.frames=64", with a short stable hash of the exact parameters appended
 * when the slug had to lose information (characters outside [A-Za-z0-9._=,+-], or too long).
 *
 * What this deliberately ignores: the config schema. Keys are not checked against the config
 * tables here; a wrong key makes every point's `vmsim run` fail with exit 2 and its message,
 * which the summary reports row by row.
 *
 * The point directory layout (a contract with `vmsim run`): DIR/points/<id>/ holds the run's
 * files (stats.json written last, atomically), vmsim.log (the child's stdout and stderr) and
 * `done`, the completion marker the sweep writes (atomically) after the run exited with 0.
 */
#ifndef VMSIM_SIM_CLI_SWEEP_H
#define VMSIM_SIM_CLI_SWEEP_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "sim/base/util.h"

/* More points than this is an error (a typo in a grid, not a plan): the id and status
 * tables and the summary are built in memory. */
#define SWEEP_MAX_POINTS 100000

struct sweep_point {
	char *id;        /* directory name under points/, unique within the sweep; owned */
	json_t **values; /* one per sweep key, borrowed from the sweep's JSON tree */
};

struct sweep {
	char *file;      /* the sweep file as the user named it (messages); owned */
	char *name;      /* "name", or the file's base name without .json; owned */
	char *base_path; /* base config path joined to the sweep file's directory, or NULL; owned */
	json_t *base_obj; /* inline base config object, or NULL; borrowed from root */
	json_t *root;     /* the parsed sweep file; owned (one reference) */
	size_t nr_keys;   /* grid keys then zip keys */
	size_t nr_grid_keys;
	const char **keys; /* key paths, borrowed from root; owned array */
	size_t nr_points;
	struct sweep_point *points; /* owned */
};

/*
 * Parse a sweep from JSON text. file names it in messages and anchors a relative base path.
 * On success *out is new (sweep_destroy); on bad input returns -VMSIM_EINVAL with err as
 * "FILE: JSON.PATH: what was expected, what was found".
 */
int sweep_parse(const char *text, const char *file, struct sweep **out, struct err *err);
/* Read and parse a sweep file; -VMSIM_EIO if it cannot be read. */
int sweep_load(const char *file, struct sweep **out, struct err *err);
void sweep_destroy(struct sweep *s);

/*
 * The text of a value as a --set argument takes it: a string that reads as a bare word
 * ([A-Za-z_][A-Za-z0-9_.+-]*, and not true/false/null) bare, anything else as compact JSON,
 * reals with the fewest digits that read back to the same double. New.
 */
char *sweep_value_text(const json_t *v);
/* "KEY=VALUE" for the k-th parameter of point i (a --set argument). New. */
char *sweep_point_set_arg(const struct sweep *s, size_t i, size_t k);

/*
 * Set the value at a key path ("vm.policy", "tlb.levels[1].entries") inside root, the way
 * `--set` does: missing objects along the path are created, list indices must exist.
 * value is borrowed (the tree takes its own reference). Returns 0 or -VMSIM_EINVAL with err.
 */
int sweep_set_path(json_t *root, const char *path, json_t *value, struct err *err);
/* A key path is well formed: non-empty components, [digits] indices only after a name. */
bool sweep_key_path_valid(const char *path);

/* Point i's config: a deep copy of base with the point's overrides applied. New, or NULL with
 * err filled. */
json_t *sweep_point_config(const struct sweep *s, size_t i, const json_t *base, struct err *err);

/* Point statuses as reported in summary.csv. */
enum sweep_status {
	SWEEP_OK,      /* `done` marker, or a complete stats.json (run outside the sweep) */
	SWEEP_FAILED,  /* the run left a log but no results, or partial results */
	SWEEP_MISSING, /* never run (or nothing survived) */
};

/*
 * Status of a point directory and, for a failure, the last non-empty line of its vmsim.log
 * (at most errlen-1 bytes, NUL-terminated; "" when unknown).
 */
enum sweep_status sweep_point_status(const char *point_dir, char *errbuf, size_t errlen);
/* A point's results are complete: the `done` marker exists, or every result file exists and
 * stats.json (which `vmsim run` writes last) is without "sim.complete": 0 (a run stopped
 * early). */
bool sweep_point_complete(const char *point_dir);
/* The first of a run's result files missing in point_dir (static), or NULL. */
const char *sweep_point_missing(const char *point_dir);

/* The headline statistics, in summary.csv's column order; NULL-terminated. */
extern const char *const sweep_summary_stats[];

/*
 * Write the summary of the points found under dir (DIR/points/<id>/) as CSV to f: a header
 * "key1,...,<stats>,status,error,point", then one row per point in point order. Values are
 * RFC 4180 quoted when needed; a missing statistic is an empty field. Counts non-ok points in
 * *nr_bad (may be NULL). Returns 0 or -VMSIM_EINVAL (a stats.json that does not parse).
 */
int sweep_summary_write(const struct sweep *s, const char *dir, FILE *f, size_t *nr_bad,
                        struct err *err);
/* Same, into DIR/summary.csv through a temporary file and rename. */
int sweep_summary_save(const struct sweep *s, const char *dir, size_t *nr_bad, struct err *err);

/* Write text to path atomically (temporary file in the same directory, then rename). */
int sweep_write_atomic(const char *path, const char *text, struct err *err);

#endif
