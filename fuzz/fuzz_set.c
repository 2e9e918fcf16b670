/*
 * fuzz_set.c — libFuzzer target of `--set KEY=VALUE` parsing (sim/engine/config_set.c): the
 * input's lines are up to 8 overrides "KEY=VALUE", applied to a fixed config that has every
 * kind of path to walk (nested objects, a list of TLB levels, a list of disk devices whose
 * type selects a preset, a policy with parameters), then resolved and written out.
 *
 * What it ignores: the config file parser (fuzz_config) and sim_init. A crash, a leak or a
 * sanitizer report is a bug; an error message is the expected answer to most inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/config.h"

#define FUZZ_SET_MAX 8

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_set_base[] =
    "{\"memory\": {\"frames\": 16, \"swap_pages\": 64},"
    " \"vm\": {\"policy\": \"aging\", \"policy_params\": {\"counter_bits\": 4}},"
    " \"tlb\": {\"levels\": [{\"name\": \"l1\", \"entries\": 16, \"ways\": 4, \"latency_ps\": 1},"
    "                      {\"name\": \"l2\", \"entries\": 64, \"ways\": 8, \"latency_ps\": 5}]},"
    " \"disk\": {\"devices\": [{\"name\": \"nvme0\", \"type\": \"sata-ssd\"}]},"
    " \"workload\": {\"type\": \"zipf\", \"pages\": 32}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct config_override sets[FUZZ_SET_MAX];
	size_t n = 0;
	for (char *line = text; line && n < FUZZ_SET_MAX;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *eq = strchr(line, '=');
		if (eq) {
			*eq = '\0';
			sets[n++] = (struct config_override){.key = line, .value = eq + 1};
		}
		line = nl ? nl + 1 : NULL;
	}
	struct config c;
	struct err err = {{0}};
	if (!config_load_string(&c, fuzz_set_base, "fuzz.json", sets, n, &err)) {
		FILE *f = fopen("/dev/null", "w");
		if (f) {
			config_write(&c, f);
			fclose(f);
		}
		config_fini(&c);
	}
	free(text);
	return 0;
}
