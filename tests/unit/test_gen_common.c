/*
 * test_gen_common.c — what all generators share: the seeded permutation is a bijection of
 * [0, n) for awkward n; every generator is registered; the same seed gives the same stream
 * and another seed another, for every type; every example config in configs/workload-*.json
 * resolves against its generator's table, opens, and runs to the end under the contract
 * checks of the test scheduler; docs/workloads.md documents every key of every generator.
 */
#include <glob.h>
#include <stdlib.h>

#include "tests/unit/test_gen_util.h"
#include "workloads/gen_common.h"

static const char *const types[] = {"seq",    "uniform", "zipf",        "hotcold",
                                    "phases", "loop",    "fork-server", "mmap-scan"};

static void test_perm(void)
{
	const uint64_t ns[] = {1, 2, 3, 37, 1000, 4096, 4097, 65521};
	static uint8_t seen[65521];
	for (size_t k = 0; k < ARRAY_SIZE(ns); k++) {
		uint64_t n = ns[k];
		struct gen_perm p;
		gen_perm_init(&p, n, 12345);
		memset(seen, 0, sizeof(seen));
		uint64_t fixed = 0, dup = 0;
		for (uint64_t x = 0; x < n; x++) {
			uint64_t y = gen_perm_apply(&p, x);
			if (y >= n || seen[y]) {
				dup++;
				continue;
			}
			seen[y] = 1;
			fixed += y == x;
		}
		CHECK_EQ_U64(dup, 0);
		/* A random permutation has about one fixed point; identity would have n. */
		if (n >= 1000)
			CHECK(fixed < 10);
	}
	struct gen_perm a, b;
	gen_perm_init(&a, 1000, 1);
	gen_perm_init(&b, 1000, 2);
	uint64_t differ = 0;
	for (uint64_t x = 0; x < 1000; x++)
		differ += gen_perm_apply(&a, x) != gen_perm_apply(&b, x);
	CHECK(differ > 900);
}

static void hash_cb(const struct op *op, void *ctx)
{
	uint64_t *h = ctx;
	*h = gen_test_hash_op(*h, op);
}

static const char *small_json(const char *type)
{
	if (!strcmp(type, "phases"))
		return "{\"write_fraction\": 0.5, \"phases\": [{\"pages\": 50, \"accesses\": 500}, "
		       "{\"pages\": 50, \"accesses\": 500, \"distribution\": \"zipf\"}]}";
	if (!strcmp(type, "fork-server"))
		return "{\"heap_pages\": 50, \"requests_per_worker\": 3}";
	if (!strcmp(type, "mmap-scan"))
		return "{\"file_pages\": 50, \"write_fraction\": 0.5}";
	if (!strcmp(type, "seq"))
		return "{\"pages\": 500, \"write_fraction\": 0.5}";
	return "{\"pages\": 500, \"accesses\": 2000, \"write_fraction\": 0.5}";
}

static void test_determinism(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		uint64_t h[3];
		const uint64_t seeds[3] = {100, 100, 101};
		for (int k = 0; k < 3; k++) {
			struct gen_test g;
			gen_test_open_ok(&g, types[i], small_json(types[i]), seeds[k]);
			h[k] = 0xcbf29ce484222325ull;
			gen_test_run(&g, GEN_ORDER_ROUND_ROBIN, hash_cb, &h[k]);
			gen_test_close(&g);
		}
		if (h[0] != h[1] || h[0] == h[2])
			fprintf(stderr, "determinism of %s\n", types[i]);
		CHECK(h[0] == h[1]);
		CHECK(h[0] != h[2]);
	}
}

static void test_registry(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		const struct workload_ops *ops = workload_find(types[i]);
		CHECK(ops != NULL);
		CHECK(ops && ops->description && ops->params && ops->open && ops->next &&
		      ops->close && ops->initial_pid);
	}
}

static void count_cb(const struct op *op, void *ctx)
{
	uint64_t *n = ctx;
	*n += op->kind == OP_READ || op->kind == OP_WRITE;
}

static void test_configs(void)
{
	glob_t gl;
	CHECK(glob("configs/workload-*.json", 0, NULL, &gl) == 0);
	CHECK_EQ_U64(gl.gl_pathc, ARRAY_SIZE(types));
	for (size_t i = 0; i < gl.gl_pathc; i++) {
		const char *path = gl.gl_pathv[i];
		json_error_t jerr;
		json_t *cfg = json_load_file(path, 0, &jerr);
		CHECK(cfg != NULL);
		if (!cfg) {
			fprintf(stderr, "%s:%d: %s\n", path, jerr.line, jerr.text);
			continue;
		}
		json_t *wl = json_object_get(cfg, "workload");
		const char *type = json_string_value(json_object_get(wl, "type"));
		const struct workload_ops *ops = type ? workload_find(type) : NULL;
		CHECK(ops != NULL);
		/* configs/workload-TYPE.json */
		char want[128];
		snprintf(want, sizeof(want), "configs/workload-%s.json", type ? type : "?");
		CHECK(strcmp(want, path) == 0);
		CHECK(json_is_integer(json_object_get(cfg, "seed")));
		CHECK(json_is_integer(json_object_get(json_object_get(cfg, "memory"), "frames")));
		CHECK(json_is_string(json_object_get(json_object_get(cfg, "vm"), "policy")));
		if (!ops) {
			json_decref(cfg);
			continue;
		}
		json_t *obj = json_deep_copy(wl);
		json_object_del(obj, "type");
		struct err err = {{0}};
		int rc = params_resolve(ops->params, obj, path, "workload", &err);
		struct gen_test g = {.ops = ops};
		if (!rc) {
			struct workload_env env = {
			    .config_file = path,
			    .config_path = "workload",
			    .base_dir = "configs",
			    .seed = (uint64_t)json_integer_value(json_object_get(cfg, "seed")),
			    .page_size = GEN_TEST_PAGE};
			rc = ops->open(&g.w, obj, &env, &err);
		}
		if (rc)
			fprintf(stderr, "%s\n", err.msg);
		CHECK(rc == 0);
		if (!rc) {
			uint64_t n = 0;
			gen_test_run(&g, GEN_ORDER_ROUND_ROBIN, count_cb, &n);
			CHECK(n > 0);
			gen_test_close(&g);
		}
		json_decref(obj);
		json_decref(cfg);
	}
	globfree(&gl);
}

/* Every key of every generator appears in docs/workloads.md as `workload.KEY` (list
 * elements as `workload.LIST[].KEY`), as params_write_markdown writes it. */
static void check_keys(const char *doc, const struct param_spec *specs, const char *prefix,
                       const char *type)
{
	for (const struct param_spec *s = specs; s && s->key; s++) {
		char needle[256];
		snprintf(needle, sizeof(needle), "`%s.%s`", prefix, s->key);
		if (!strstr(doc, needle))
			fprintf(stderr, "docs/workloads.md: %s lacks %s\n", type, needle);
		CHECK(strstr(doc, needle) != NULL);
		if (s->type == PARAM_LIST) {
			snprintf(needle, sizeof(needle), "%s.%s[]", prefix, s->key);
			check_keys(doc, s->sub, needle, type);
		}
	}
}

static void test_docs(void)
{
	FILE *f = fopen("docs/workloads.md", "r");
	CHECK(f != NULL);
	if (!f)
		return;
	static char doc[1 << 17];
	size_t n = fread(doc, 1, sizeof(doc) - 1, f);
	doc[n] = '\0';
	fclose(f);
	for (size_t i = 0; i < ARRAY_SIZE(types); i++) {
		char head[64];
		snprintf(head, sizeof(head), "## `%s`", types[i]);
		CHECK_STR_CONTAINS(doc, head);
		check_keys(doc, workload_find(types[i])->params, "workload", types[i]);
	}
	CHECK_STR_CONTAINS(doc, "OP_MARK");
}

int main(void)
{
	test_perm();
	test_registry();
	test_determinism();
	test_configs();
	test_docs();
	TEST_DONE();
}
