/*
 * sweep_shared.h — a sweep's shared traces, decoded once: the points whose resolved configs
 * read the same trace (same file, format, page size and oracle_access) get one vmb conversion
 * of it in DIR/shared/, which their runs read instead (`vmsim run --trace-from`). vmb is the
 * cheapest format to read (a few bytes an access, no parsing) and a lossless conversion of
 * every format (same stats.json), so a sweep of text traces (pages, vmt, lackey) parses each
 * once instead of once per point. Points whose trace cannot be converted read it themselves
 * and fail, as before, with their own message.
 */
#ifndef VMSIM_SIM_CLI_SWEEP_SHARED_H
#define VMSIM_SIM_CLI_SWEEP_SHARED_H

#include <stddef.h>

#include "sim/cli/sweep.h"

/* For each point i of todo[], files[i]: the vmb file its run reads (new strings; NULL: its
 * own trace, e.g. not a trace workload, already vmb, or not in todo); a new array of
 * s->nr_points. base_path is the absolute base config, dir the sweep's result directory.
 * Prints one line per conversion on stderr. */
char **sweep_shared_prepare(const struct sweep *s, const char *base_path, const char *dir,
                            const size_t *todo, size_t nr_todo);
void sweep_shared_free(const struct sweep *s, char **files);

#endif
