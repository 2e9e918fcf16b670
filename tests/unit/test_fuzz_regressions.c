/*
 * test_fuzz_regressions.c — inputs found by the libFuzzer targets (fuzz/, scripts/fuzz) that
 * crashed or hung vmsim, fed again through the same entry points, plus the limits added for
 * them. Each input lives in fuzz/regressions/ and is named after the target and the finding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/run_cli.h"
#include "sim/cli/sweep.h"
#include "sim/engine/config.h"
#include "tests/unit/test.h"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	size_t got = fread(buf, 1, (size_t)n, f);
	buf[got] = '\0';
	fclose(f);
	return buf;
}

/* A grid of nr_keys keys with nr_values integer values each, as sweep JSON text. */
static char *grid_text(int nr_keys, int nr_values)
{
	size_t cap = 64 + (size_t)nr_keys * (32 + (size_t)nr_values * 8);
	char *t = malloc(cap);
	size_t len = (size_t)snprintf(t, cap, "{\"base\": {}, \"grid\": {");
	for (int k = 0; k < nr_keys; k++) {
		len += (size_t)snprintf(t + len, cap - len, "%s\"k%d\": [", k ? ", " : "", k);
		for (int v = 0; v < nr_values; v++)
			len += (size_t)snprintf(t + len, cap - len, "%s%d", v ? ", " : "", v);
		len += (size_t)snprintf(t + len, cap - len, "]");
	}
	snprintf(t + len, cap - len, "}}");
	return t;
}

/* fuzz_cli heap-use-after-free (fuzz/regressions/cli-getopt-uaf.txt): `run -son` left glibc's
 * getopt inside the cluster "-son" of an argv that was then freed; the next run_cli_main (its
 * optind = 1 does not reset that) read it. optind = 0 does. Under ASan (the sanitizer suite)
 * the second call reported the use after free; here it must also parse its own argv only:
 * -o is missing its value, so the message names -o, never a stale "n". */
static void check_getopt_reset(void)
{
	char *a1[] = {strdup("run"), strdup("-son"), NULL};
	FILE *saved = stderr;
	stderr = fopen("/dev/null", "w");
	CHECK_EQ_U64((uint64_t)run_cli_main(2, a1), 2);
	free(a1[0]);
	free(a1[1]);
	char *a2[] = {strdup("run"), strdup("-o"), NULL};
	CHECK_EQ_U64((uint64_t)run_cli_main(2, a2), 2);
	fclose(stderr);
	stderr = saved;
	free(a2[0]);
	free(a2[1]);
}

/* fuzz_set heap-use-after-free (fuzz/regressions/set-policy-params-string-uaf.txt):
 * `vm.policy_params=ymse` made policy_params a string; params_resolve stored aging's default
 * counter_bits into it (json_object_set_new failed and freed the default) and then read the
 * freed default. A config file with `"policy_params": "ymse"` did the same. Now a type error. */
static void check_policy_params_string(void)
{
	char *text = slurp("fuzz/regressions/set-policy-params-string-uaf.txt");
	CHECK(text != NULL);
	if (!text)
		return;
	char *eq = strchr(text, '=');
	CHECK(eq != NULL);
	if (!eq) {
		free(text);
		return;
	}
	*eq = '\0';
	struct config_override set = {.key = text, .value = eq + 1};
	struct config c;
	struct err err = {{0}};
	const char *base = "{\"vm\": {\"policy\": \"aging\"}, "
	                   "\"workload\": {\"type\": \"seq\", \"pages\": 4}}";
	CHECK(config_load_string(&c, base, "base.json", &set, 1, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "base.json (with --set): vm.policy_params: expected an object, "
	                            "got the string \"ymse\"");
	free(text);
}

int main(void)
{
	struct err err = {{0}};
	struct sweep *s = NULL;

	check_getopt_reset();
	check_policy_params_string();

	/* fuzz_sweep timeout: a grid of 6 keys whose 2^k points' ids were checked pairwise
	 * (O(n^2) strcmp); now sorted. It parses (or fails) at once. */
	char *text = slurp("fuzz/regressions/sweep-timeout-1.json");
	CHECK(text != NULL);
	if (text) {
		int rc = sweep_parse(text, "sweep-timeout-1.json", &s, &err);
		if (!rc) {
			CHECK(s->nr_points > 0);
			sweep_destroy(s);
		}
		free(text);
	}

	/* 10 keys x 3 values: 59049 points, every id distinct (k0=0,k1=0,...). */
	text = grid_text(10, 3);
	CHECK(sweep_parse(text, "big.json", &s, &err) == 0);
	if (s) {
		CHECK_EQ_U64(s->nr_points, 59049);
		CHECK(strcmp(s->points[0].id,
		             "k0=0,k1=0,k2=0,k3=0,k4=0,k5=0,k6=0,k7=0,k8=0,k9=0") == 0);
		sweep_destroy(s);
		s = NULL;
	}
	free(text);

	/* 17 keys x 2 values: 131072 points, over SWEEP_MAX_POINTS (100000): an error, not an
	 * allocation of a huge table (or a size_t product that wraps). */
	text = grid_text(17, 2);
	CHECK(sweep_parse(text, "huge.json", &s, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "huge.json: the sweep has more than 100000 points; split it");
	CHECK(s == NULL);
	free(text);
	text = grid_text(40, 3); /* 3^40 wraps a 64-bit product */
	CHECK(sweep_parse(text, "wrap.json", &s, &err) < 0);
	CHECK_STR_CONTAINS(err.msg, "wrap.json: the sweep has more than 100000 points");
	free(text);
	TEST_DONE();
}
