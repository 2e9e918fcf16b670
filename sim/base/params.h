/*
 * params.h — declarative descriptions of configuration keys, shared by the config loader, the
 * replacement policies (vm.policy_params) and the workload generators (workload objects).
 *
 * Each module describes its own keys in a static table of struct param_spec; params_resolve()
 * checks a JSON object against such a table strictly (an unknown key is an error with "did you
 * mean", a wrong type or out-of-range value names the JSON path, what was expected and what was
 * found) and fills in every default, so that the resolved object written to config.json shows
 * every value the run used. jansson stays at this edge: modules copy values into C structs at
 * setup with the params_get_* accessors.
 */
#ifndef VMSIM_SIM_BASE_PARAMS_H
#define VMSIM_SIM_BASE_PARAMS_H

#include <jansson.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdint.h>

#include "sim/base/util.h"

enum param_type {
	PARAM_INT,     /* JSON integer within [min, max] */
	PARAM_REAL,    /* JSON number within [min, max] (workload shapes only, never timing) */
	PARAM_BOOL,    /* true / false */
	PARAM_STRING,  /* any string (a path, a name) */
	PARAM_ENUM,    /* one of the '|'-separated choices */
	PARAM_OBJECT,  /* an object whose fields are described by sub */
	PARAM_LIST,    /* a non-empty list of objects, each described by sub */
	PARAM_DYNAMIC, /* an object validated by its owner (e.g. a workload by its type) */
};

struct param_spec {
	const char *key; /* key within its object; NULL ends a table */
	enum param_type type;
	const char *def;     /* the default as JSON text; NULL: the key is required */
	double min, max;     /* bounds for INT and REAL (inclusive); min == max == 0: unbounded */
	const char *choices; /* ENUM: "a|b|c" */
	const struct param_spec *sub; /* OBJECT fields / LIST element fields */
	const char *doc;              /* one line for docs/config.md and `vmsim policies` */
};

/*
 * Check obj against specs, filling defaults in place. file names the config file for messages,
 * path is the JSON path of obj ("" for the top level). Returns 0, or -VMSIM_EINVAL with err
 * filled as "FILE: PATH: expected ..., got ...". DYNAMIC members are defaulted (if they have a
 * default) but not checked: their owner calls params_resolve again with its own table; a
 * DYNAMIC key without a default may be absent (its owner decides whether that is an error).
 */
int params_resolve(const struct param_spec *specs, json_t *obj, const char *file, const char *path,
                   struct err *err);

/* Join a parent path and a key ("vm" + "policy" -> "vm.policy"); result is new. */
char *params_path_join(const char *parent, const char *key);

/* The closest of the candidate keys to key by edit distance, or NULL if none is close. */
const char *params_closest(const char *key, const char *const *candidates, size_t n);

/* Describe a JSON value briefly for messages ("the string \"x\"", "-3", "an object"); new. */
char *params_describe_value(const json_t *v);

/*
 * Accessors for resolved objects. The key must exist with the right type (params_resolve made
 * sure); a mismatch is a bug and aborts.
 */
int64_t params_get_int(const json_t *obj, const char *key);
double params_get_real(const json_t *obj, const char *key);
bool params_get_bool(const json_t *obj, const char *key);
const char *params_get_string(const json_t *obj, const char *key);

/* Write a markdown table describing specs (for docs/config.md); prefix is the JSON path. */
void params_write_markdown(FILE *out, const struct param_spec *specs, const char *prefix);

#endif
