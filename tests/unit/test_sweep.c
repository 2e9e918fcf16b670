/*
 * test_sweep.c — sweep expansion (grid, zip, order, ids), --set texts, nested key overrides,
 * bad sweep files (file + JSON path in the message) and summary.csv from a hand-made result
 * directory, compared byte for byte.
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/cli/sweep.h"
#include "tests/unit/test.h"

static struct sweep *parse_ok(const char *text, const char *file)
{
	struct sweep *s = NULL;
	struct err err = {{0}};
	int rc = sweep_parse(text, file, &s, &err);
	if (rc != 0)
		fprintf(stderr, "unexpected error: %s\n", err.msg);
	CHECK(rc == 0);
	return s;
}

static void check_bad(const char *text, const char *want)
{
	struct sweep *s = NULL;
	struct err err = {{0}};
	int rc = sweep_parse(text, "cfg/bad.json", &s, &err);
	CHECK(rc == -VMSIM_EINVAL);
	CHECK(s == NULL);
	CHECK_STR_CONTAINS(err.msg, want);
}

static char *arg(const struct sweep *s, size_t i, size_t k)
{
	static char buf[256];
	char *a = sweep_point_set_arg(s, i, k);
	snprintf(buf, sizeof(buf), "%s", a);
	free(a);
	return buf;
}

static void test_grid(void)
{
	struct sweep *s = parse_ok("{\"base\": \"base.json\", \"grid\": {\"vm.policy\": [\"fifo\", "
	                           "\"lru\"], \"memory.frames\": [3, 4, 5]}}",
	                           "configs/sweeps/s.json");
	if (!s)
		return;
	CHECK_EQ_U64(s->nr_points, 6);
	CHECK_EQ_U64(s->nr_keys, 2);
	CHECK(!strcmp(s->keys[0], "vm.policy") && !strcmp(s->keys[1], "memory.frames"));
	CHECK(!strcmp(s->base_path, "configs/sweeps/base.json"));
	CHECK(!strcmp(s->name, "s"));
	/* the first key varies slowest */
	static const char *const ids[] = {
	    "vm.policy=fifo,memory.frames=3", "vm.policy=fifo,memory.frames=4",
	    "vm.policy=fifo,memory.frames=5", "vm.policy=lru,memory.frames=3",
	    "vm.policy=lru,memory.frames=4",  "vm.policy=lru,memory.frames=5",
	};
	for (size_t i = 0; i < 6; i++)
		CHECK(!strcmp(s->points[i].id, ids[i]));
	CHECK(!strcmp(arg(s, 4, 0), "vm.policy=lru"));
	CHECK(!strcmp(arg(s, 4, 1), "memory.frames=4"));
	sweep_destroy(s);

	/* keys keep the file's order, not sorted order */
	s = parse_ok("{\"name\": \"n1\", \"base\": {}, \"grid\": {\"z\": [1], \"a\": [2, 3]}}",
	             "s.json");
	if (!s)
		return;
	CHECK(!strcmp(s->keys[0], "z") && !strcmp(s->keys[1], "a"));
	CHECK(!strcmp(s->points[1].id, "z=1,a=3"));
	CHECK(!strcmp(s->name, "n1"));
	CHECK(s->base_path == NULL && json_is_object(s->base_obj));
	sweep_destroy(s);
}

static void test_zip(void)
{
	struct sweep *s = parse_ok("{\"base\": \"/abs/b.json\", \"grid\": {\"vm.policy\": [\"a\", "
	                           "\"b\"]}, \"zip\": {\"seed\": [1, 2, 3], \"w\": [\"x\", \"y\", "
	                           "\"z\"]}}",
	                           "s.json");
	if (!s)
		return;
	CHECK(!strcmp(s->base_path, "/abs/b.json"));
	CHECK_EQ_U64(s->nr_points, 6);
	CHECK_EQ_U64(s->nr_grid_keys, 1);
	/* zip innermost, walked in step */
	CHECK(!strcmp(s->points[0].id, "vm.policy=a,seed=1,w=x"));
	CHECK(!strcmp(s->points[1].id, "vm.policy=a,seed=2,w=y"));
	CHECK(!strcmp(s->points[5].id, "vm.policy=b,seed=3,w=z"));
	sweep_destroy(s);

	/* zip alone */
	s = parse_ok("{\"base\": \"b.json\", \"zip\": {\"a\": [1, 2], \"b\": [3, 4]}}", "s.json");
	if (!s)
		return;
	CHECK_EQ_U64(s->nr_points, 2);
	CHECK(!strcmp(s->points[1].id, "a=2,b=4"));
	CHECK(!strcmp(s->base_path, "./b.json"));
	sweep_destroy(s);
}

static void test_value_text(void)
{
	struct sweep *s =
	    parse_ok("{\"base\": \"b.json\", \"grid\": {\"x\": [0.1, 2.0, 2, \"true\", "
	             "\"on-demand\", \"a b\", {\"type\": \"t\", \"n\": [1, 2]}, 1e300]}}",
	             "s.json");
	if (!s)
		return;
	CHECK_EQ_U64(s->nr_points, 8);
	CHECK(!strcmp(arg(s, 0, 0), "x=0.1"));
	CHECK(!strcmp(arg(s, 1, 0), "x=2.0")); /* stays a real */
	CHECK(!strcmp(arg(s, 2, 0), "x=2"));
	CHECK(!strcmp(arg(s, 3, 0), "x=\"true\"")); /* a string, not the boolean */
	CHECK(!strcmp(arg(s, 4, 0), "x=on-demand"));
	CHECK(!strcmp(arg(s, 5, 0), "x=\"a b\""));
	CHECK(!strcmp(arg(s, 6, 0), "x={\"type\":\"t\",\"n\":[1,2]}"));
	CHECK(!strcmp(arg(s, 7, 0), "x=1e+300"));
	/* ids: exact where the slug is faithful, slug + hash where characters were replaced */
	CHECK(!strcmp(s->points[0].id, "x=0.1"));
	CHECK(!strcmp(s->points[1].id, "x=2.0"));
	CHECK(!strcmp(s->points[2].id, "x=2"));
	CHECK(!strncmp(s->points[3].id, "x=true-", 7) && strlen(s->points[3].id) == 15);
	CHECK(!strncmp(s->points[5].id, "x=a_b-", 6) && strlen(s->points[5].id) == 14);
	CHECK(!strncmp(s->points[6].id, "x=__type___t_,_n___1,2__-", 25));
	sweep_destroy(s);

	/* "a/b" and "a_b" make the same slug but different ids; ids never start with '.' */
	s = parse_ok("{\"base\": \"b.json\", \"grid\": {\"p\": [\"a/b\", \"a_b\"]}}", "s.json");
	if (!s)
		return;
	CHECK(!strcmp(s->points[1].id, "p=a_b"));
	CHECK(!strncmp(s->points[0].id, "p=a_b-", 6) && strlen(s->points[0].id) == 14);
	sweep_destroy(s);

	/* the id depends on the parameters only: adding a value keeps the others' ids */
	struct sweep *a = parse_ok("{\"base\": \"b\", \"grid\": {\"p\": [\"x/1\", \"x/2\"]}}", "s");
	struct sweep *b = parse_ok("{\"base\": \"b\", \"grid\": {\"p\": [\"x/0\", \"x/2\"]}}", "s");
	if (a && b)
		CHECK(!strcmp(a->points[1].id, b->points[1].id));
	sweep_destroy(a);
	sweep_destroy(b);
}

static void test_nested_overrides(void)
{
	struct sweep *s = parse_ok("{\"base\": \"b.json\", \"grid\": {\"tlb.levels[1].entries\": "
	                           "[512], \"vm.policy\": [\"lru\"], \"memory.frames\": [8]}}",
	                           "s.json");
	if (!s)
		return;
	json_t *base = json_loads("{\"memory\": {\"frames\": 4, \"page_size\": 4096}, \"tlb\": "
	                          "{\"levels\": [{\"name\": \"l1\", \"entries\": 64}, {\"name\": "
	                          "\"l2\", \"entries\": 1536}]}}",
	                          JSON_PRESERVE_ORDER, NULL);
	struct err err = {{0}};
	json_t *cfg = sweep_point_config(s, 0, base, &err);
	CHECK(cfg != NULL);
	if (cfg) {
		char *t = json_dumps(cfg, JSON_COMPACT | JSON_PRESERVE_ORDER);
		CHECK(!strcmp(t,
		              "{\"memory\":{\"frames\":8,\"page_size\":4096},\"tlb\":{\"levels\":"
		              "[{\"name\":\"l1\",\"entries\":64},{\"name\":\"l2\",\"entries\":"
		              "512}]},\"vm\":{\"policy\":\"lru\"}}"));
		free(t);
	}
	/* the base is not modified */
	CHECK_EQ_U64(json_integer_value(json_object_get(json_object_get(base, "memory"), "frames")),
	             4);
	json_decref(cfg);

	json_t *v = json_integer(1);
	CHECK(sweep_set_path(base, "tlb.levels[2].entries", v, &err) == -VMSIM_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "tlb.levels[2].entries: index 2 is out of range (the list "
	                            "has 2 entries)");
	CHECK(sweep_set_path(base, "memory.frames.x", v, &err) == -VMSIM_EINVAL);
	CHECK_STR_CONTAINS(err.msg, "memory.frames.x: cannot set 'x' inside a value that is not "
	                            "an object");
	CHECK(sweep_set_path(base, "a..b", v, &err) == -VMSIM_EINVAL);
	json_decref(v);
	json_decref(base);
	sweep_destroy(s);

	CHECK(sweep_key_path_valid("a.b[0].c"));
	CHECK(sweep_key_path_valid("a[0][1]"));
	CHECK(!sweep_key_path_valid("a."));
	CHECK(!sweep_key_path_valid(".a"));
	CHECK(!sweep_key_path_valid("a[x]"));
	CHECK(!sweep_key_path_valid("[0]"));
	CHECK(!sweep_key_path_valid("a[0]b"));
}

static void test_bad_files(void)
{
	check_bad("{\"base\": \"b.json\", \"grid\": {\"m\": [1, 2", "cfg/bad.json:1:");
	check_bad("[1]", "cfg/bad.json: expected a sweep object");
	check_bad("{\"grid\": {\"m\": [1]}}", "cfg/bad.json: base: missing");
	check_bad("{\"base\": 3, \"grid\": {\"m\": [1]}}",
	          "cfg/bad.json: base: expected a config path or a config object");
	check_bad("{\"base\": \"b.json\"}", "cfg/bad.json: grid: missing");
	check_bad("{\"base\": \"b.json\", \"gird\": {\"m\": [1]}}",
	          "cfg/bad.json: gird: unknown key (did you mean \"grid\"?)");
	check_bad("{\"base\": \"b.json\", \"grid\": [1]}",
	          "cfg/bad.json: grid: expected an object");
	check_bad("{\"base\": \"b.json\", \"grid\": {\"vm.policy\": \"lru\"}}",
	          "cfg/bad.json: grid[\"vm.policy\"]: expected a non-empty list of values");
	check_bad("{\"base\": \"b.json\", \"grid\": {\"vm.policy\": []}}",
	          "cfg/bad.json: grid[\"vm.policy\"]: expected a non-empty list of values");
	check_bad("{\"base\": \"b.json\", \"grid\": {\"m\": [1, 2, 1]}}",
	          "cfg/bad.json: grid[\"m\"][2]: duplicate of [0]");
	check_bad("{\"base\": \"b.json\", \"grid\": {\"memory..frames\": [1]}}",
	          "cfg/bad.json: grid[\"memory..frames\"]: expected a config key path");
	check_bad("{\"base\": \"b.json\", \"grid\": {\"m\": [1]}, \"zip\": {\"a\": [1, 2], \"b\": "
	          "[1]}}",
	          "cfg/bad.json: zip[\"b\"]: expected 2 values like zip[\"a\"]");
	check_bad("{\"base\": \"b.json\", \"grid\": {\"m\": [1]}, \"zip\": {\"m\": [1]}}",
	          "cfg/bad.json: zip[\"m\"]: the key is also in grid");
	check_bad("{\"base\": \"b.json\", \"zip\": {\"a\": [1, 1], \"b\": [2, 2]}}",
	          "cfg/bad.json: zip: tuple [1] duplicates tuple [0]");
	check_bad("{\"base\": \"b.json\", \"grid\": {\"m\": [null]}}",
	          "cfg/bad.json: grid[\"m\"][0]: null is not a config value");
	check_bad("{\"base\": \"b.json\", \"base\": \"c.json\", \"grid\": {\"m\": [1]}}",
	          "cfg/bad.json:1:");
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_summary(void)
{
	struct sweep *s = parse_ok("{\"base\": \"b.json\", \"grid\": {\"vm.policy\": [\"lru\", "
	                           "\"bad\", \"fifo\"], \"workload.path\": [\"t,1\"]}}",
	                           "s.json");
	if (!s)
		return;
	char dir[] = "/tmp/vmsim-test-sweep-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char path[512];
	snprintf(path, sizeof(path), "%s/points", dir);
	mkdir(path, 0777);
	/* point 0 finished (every result file, no `done`: run outside the sweep), point 1
	 * failed with a message, point 2 never ran */
	snprintf(path, sizeof(path), "%s/points/%s", dir, s->points[0].id);
	CHECK(mkdir(path, 0777) == 0);
	static const char *const others[] = {"config.json", "run.json", "latency_cdf.csv",
	                                     "timeseries.csv"};
	for (size_t i = 0; i < ARRAY_SIZE(others); i++) {
		char other[600];
		snprintf(other, sizeof(other), "%s/%s", path, others[i]);
		write_file(other, "\n");
	}
	strcat(path, "/stats.json");
	write_file(path, "{\"faults.major\": 7, \"faults.total\": 12, \"other\": 1, "
	                 "\"processes\": []}\n");
	snprintf(path, sizeof(path), "%s/points/%s", dir, s->points[1].id);
	CHECK(mkdir(path, 0777) == 0);
	strcat(path, "/vmsim.log");
	write_file(path, "\nb.json: vm.policy: unknown policy \"bad\" (did you mean \"lru\"?)\n\n");

	char *buf = NULL;
	size_t len = 0, bad = 99;
	FILE *f = open_memstream(&buf, &len);
	struct err err = {{0}};
	CHECK(sweep_summary_write(s, dir, f, &bad, &err) == 0);
	fclose(f);
	CHECK_EQ_U64(bad, 2);
	char want[4096];
	snprintf(
	    want, sizeof(want),
	    "vm.policy,workload.path,faults.total,faults.minor,faults.major,faults.demand_zero,"
	    "faults.zero_page,faults.cow,faults.cow_copies,faults.file,faults.swap_in,"
	    "reclaim.evictions,reclaim.swap_out,reclaim.writeback,sim.time_ps,sim.accesses,"
	    "latency.access.mean_ps,latency.access.p50_ps,latency.access.p99_ps,"
	    "latency.fault.mean_ps,latency.fault.p99_ps,time.tlb_ps,time.walk_ps,time.dram_ps,"
	    "time.fault_ps,time.disk_wait_ps,time.compute_ps,status,error,point\n"
	    "lru,\"t,1\",12,,7,,,,,,,,,,,,,,,,,,,,,,,ok,,\"%s\"\n"
	    "bad,\"t,1\",,,,,,,,,,,,,,,,,,,,,,,,,,failed,"
	    "\"b.json: vm.policy: unknown policy \"\"bad\"\" (did you mean \"\"lru\"\"?)\","
	    "\"%s\"\n"
	    "fifo,\"t,1\",,,,,,,,,,,,,,,,,,,,,,,,,,missing,,\"%s\"\n",
	    s->points[0].id, s->points[1].id, s->points[2].id);
	CHECK(!strncmp(s->points[0].id, "vm.policy=lru,workload.path=t,1-", 32));
	CHECK(buf && !strcmp(buf, want));
	if (buf && strcmp(buf, want))
		fprintf(stderr, "got:\n%s\nwant:\n%s\n", buf, want);
	free(buf);

	/* the atomic save writes the same bytes and leaves no temporary behind */
	CHECK(sweep_summary_save(s, dir, &bad, &err) == 0);
	snprintf(path, sizeof(path), "%s/summary.csv", dir);
	FILE *g = fopen(path, "r");
	char got[4096] = "";
	if (g) {
		size_t n = fread(got, 1, sizeof(got) - 1, g);
		got[n] = '\0';
		fclose(g);
	}
	CHECK(!strcmp(got, want));
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "test $(ls -A %s | wc -l) -eq 2 && rm -rf %s", dir, dir);
	CHECK(system(cmd) == 0);
	sweep_destroy(s);
}

int main(void)
{
	test_grid();
	test_zip();
	test_value_text();
	test_nested_overrides();
	test_bad_files();
	test_summary();
	TEST_DONE();
}
