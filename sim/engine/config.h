/*
 * config.h — loading a run's configuration: strict JSON (jansson), "extends" inheritance,
 * --set overrides, every default filled in, and the copy into C structs.
 *
 * The top-level key table lives in config.c; workload objects are checked against the table of
 * their type (workloads/registry.c), vm.policy_params against the chosen policy's table, and the
 * hardware sections against the hardware models' tables. Every message names the file, the
 * JSON path (and line:column where jansson gives one) and what was expected; the loader returns
 * -VMSIM_EINVAL and main exits with status 2.
 */
#ifndef VMSIM_SIM_ENGINE_CONFIG_H
#define VMSIM_SIM_ENGINE_CONFIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim/base/params.h"
#include "sim/base/util.h"

struct config {
	json_t *root;   /* the resolved config: every key present (owned) */
	char *file;     /* the config file as named on the command line */
	char *base_dir; /* its folder: relative paths in it resolve against this */
	char *name;     /* the run's name: "name" key, else the file name without .json */
};

/* One --set KEY=VALUE override. */
struct config_override {
	const char *key;   /* dotted path, list elements as [i]: "tlb.levels[0].entries" */
	const char *value; /* parsed as JSON; a bare word is a string */
};

/* Load, merge "extends", apply overrides (and seed if has_seed), check and fill defaults. */
int config_load(struct config *c, const char *path, const struct config_override *sets,
                size_t nr_sets, bool has_seed, uint64_t seed, struct err *err);
/* Load from an in-memory JSON text (tests, fuzzing); file is the name used in messages. */
int config_load_string(struct config *c, const char *text, const char *file,
                       const struct config_override *sets, size_t nr_sets, struct err *err);
void config_fini(struct config *c);
/* Write the resolved config (sorted keys, 2-space indent, trailing newline). */
int config_write(const struct config *c, FILE *out);
/* The top-level key table, for docs. */
extern const struct param_spec config_top_params[];
/* The keys of one program image, images.NAME (exec). */
extern const struct param_spec config_image_params[];
extern const struct param_spec config_cgroup_params[];
/* Print docs/config.md: every key of the core, every policy's and workload type's keys. */
void config_write_docs(FILE *out);
/* Look up a dotted path in the resolved config (NULL if absent). */
json_t *config_lookup(const json_t *root, const char *path);

/* vm.tiering's keys (config_tiering.c). */
extern const struct param_spec tiering_params[];
/* vm.mthp's keys (config_mthp.c), smallest size first. */
extern const struct param_spec mthp_params[];

#endif
