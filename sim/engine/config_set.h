/*
 * config_set.h — `--set KEY=VALUE` overrides applied to a resolved config (config.c calls it
 * between two resolutions). The key path is parsed strictly: names of letters, digits, '_' and
 * '-' joined by '.', each followed by any number of list indices [N] (N a decimal integer >= 0
 * naming an existing element); anything else is an error naming the key and the place. VALUE
 * is JSON (duplicate object keys rejected); a bare word is a string, but a value that starts
 * like a JSON object, list or string and does not parse is an error.
 *
 * A key that selects a preset or a parameter table re-derives what it selects, exactly as a
 * config file with that key would: setting disk.devices[N].type drops the device's keys that
 * neither the file nor a --set wrote (the new type's preset fills them again), and setting
 * vm.policy drops the vm.policy_params that neither wrote (the new policy's defaults fill them).
 */
#ifndef VMSIM_SIM_ENGINE_CONFIG_SET_H
#define VMSIM_SIM_ENGINE_CONFIG_SET_H

#include <jansson.h>

#include "sim/base/util.h"
#include "sim/engine/config.h"

/* Apply sets[0..n) to root (resolved); raw is the config as the files wrote it (borrowed), for
 * the keys a selector keeps. 0, or < 0 with err ("--set KEY: ..."). */
int config_set_apply(json_t *root, const json_t *raw, const struct config_override *sets,
                     size_t n, struct err *err);

#endif
