/*
 * fuzz_sweep.c — libFuzzer target of the sweep expander: the input is a sweep file's text,
 * parsed with sweep_parse; every point's --set arguments are built and, for an inline base,
 * every point's config (the base with the point's overrides applied by sweep_set_path).
 *
 * What it ignores: running the points and the summary (they need results on disk).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	struct sweep *s = NULL;
	struct err err = {{0}};
	if (!sweep_parse(text, "fuzz/sweep.json", &s, &err)) {
		size_t n = s->nr_points < 64 ? s->nr_points : 64;
		for (size_t i = 0; i < n; i++) {
			for (size_t k = 0; k < s->nr_keys; k++)
				free(sweep_point_set_arg(s, i, k));
			if (s->base_obj) {
				json_t *c = sweep_point_config(s, i, s->base_obj, &err);
				json_decref(c);
			}
		}
		sweep_destroy(s);
	}
	free(text);
	return 0;
}
