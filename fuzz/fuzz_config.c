/*
 * fuzz_config.c — libFuzzer target of the config loader: the input is the text of a config
 * file, loaded with config_load_string (strict JSON, every key table: top level, hardware
 * sections, workload objects, policy params, defaults filled in), then again with two --set
 * overrides taken from the input's last line, and the resolved config written out.
 *
 * What it ignores: "extends" (the in-memory loader rejects it) and sim_init (it would open
 * trace files and allocate the frames the config asks for). A crash, a leak or a sanitizer
 * report is a bug; an error message is the expected answer to most inputs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct config c;
	struct err err = {{0}};
	if (!config_load_string(&c, text, "fuzz.json", NULL, 0, &err)) {
		FILE *f = fopen("/dev/null", "w");
		if (f) {
			config_write(&c, f);
			fclose(f);
		}
		config_fini(&c);
	}
	/* The same text with overrides: "KEY=VALUE" from the text after the last newline. */
	char *nl = strrchr(text, '\n');
	if (nl) {
		*nl = '\0';
		char *eq = strchr(nl + 1, '=');
		if (eq && eq != nl + 1) {
			*eq = '\0';
			struct config_override sets[2] = {{.key = nl + 1, .value = eq + 1},
			                                  {.key = "memory.frames", .value = "7"}};
			if (!config_load_string(&c, text, "fuzz.json", sets, 2, &err))
				config_fini(&c);
		}
	}
	free(text);
	return 0;
}
