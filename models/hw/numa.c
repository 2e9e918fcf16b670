/*
 * numa.c — the memory nodes of numa.h: routing of physical addresses to the nodes' DRAMs, the
 * copy between nodes, and memory.nodes' keys, checks and default distances.
 */
#include "models/hw/numa.h"

#include <stdlib.h>
#include <string.h>

/* clang-format off */
const struct param_spec numa_node_params[] = {
	{.key = "name", .type = PARAM_STRING, .doc = "the node's name (letters, digits, - and _): its statistics are node.NAME.*"},
	{.key = "frames", .type = PARAM_INT, .min = 1, .max = 4294967294.0,
	 .doc = "frames on the node; the nodes' frames follow one another from frame 0 and sum to memory.frames"},
	{.key = "link_latency_ps", .type = PARAM_INT, .def = "0", .min = 0, .max = 1e12,
	 .doc = "added to every trip to the node's memory (a remote socket's link, a CXL expander)"},
	{.key = "cpus", .type = PARAM_DYNAMIC, .def = "[]",
	 .doc = "the CPUs on the node (a list of CPU numbers); a CPU listed nowhere is on the first node"},
	{.key = "dram", .type = PARAM_DYNAMIC, .def = "{}",
	 .doc = "the node's DRAM: the keys of dram, each omitted one taking the top-level dram's value"},
	{0},
};
/* clang-format on */

struct numa *numa_create(const struct numa_config *cfg, uint64_t page_size)
{
	struct numa *m = xcalloc(1, sizeof(*m));
	m->nr_nodes = cfg->nr_nodes;
	m->node = xcalloc(cfg->nr_nodes, sizeof(*m->node));
	uint64_t base = 0;
	for (uint32_t i = 0; i < cfg->nr_nodes; i++) {
		struct numa_node *n = &m->node[i];
		n->base_paddr = base;
		base += cfg->node[i].nr_frames * page_size;
		n->end_paddr = base;
		n->dram = dram_create(&cfg->node[i].dram);
		n->link_latency_ps = cfg->node[i].link_latency_ps;
	}
	m->end_paddr = base;
	m->plain = m->nr_nodes == 1 && !m->node[0].link_latency_ps;
	return m;
}

void numa_init_single(struct numa *m, struct numa_node *n, struct dram *d)
{
	memset(m, 0, sizeof(*m));
	memset(n, 0, sizeof(*n));
	m->nr_nodes = 1;
	m->node = n;
	n->dram = d;
	n->end_paddr = UINT64_MAX;
	m->end_paddr = UINT64_MAX;
	m->plain = true;
}

void numa_destroy(struct numa *m)
{
	if (!m)
		return;
	for (uint32_t i = 0; i < m->nr_nodes; i++)
		dram_destroy(m->node[i].dram);
	free(m->node);
	free(m);
}

/* The address within its node's DRAM. */
static inline uint64_t node_paddr(const struct numa_node *n, uint64_t paddr)
{
	return paddr >= n->end_paddr ? paddr : paddr - n->base_paddr;
}

simtime_t numa_access(struct numa *m, simtime_t now_ps, uint64_t paddr, bool is_write)
{
	if (m->plain)
		return dram_access(m->node[0].dram, now_ps, paddr, is_write);
	struct numa_node *n = &m->node[numa_node_of(m, paddr)];
	return dram_access(n->dram, now_ps, node_paddr(n, paddr), is_write) + n->link_latency_ps;
}

simtime_t numa_zero_page(struct numa *m, simtime_t now_ps, uint64_t paddr, uint64_t size_bytes)
{
	if (m->plain)
		return dram_zero_page(m->node[0].dram, now_ps, paddr, size_bytes);
	struct numa_node *n = &m->node[numa_node_of(m, paddr)];
	return dram_zero_page(n->dram, now_ps, node_paddr(n, paddr), size_bytes) +
	       n->link_latency_ps;
}

simtime_t numa_copy_page(struct numa *m, simtime_t now_ps, uint64_t src_paddr, uint64_t dst_paddr,
                         uint64_t size_bytes)
{
	if (m->plain)
		return dram_copy_page(m->node[0].dram, now_ps, src_paddr, dst_paddr, size_bytes);
	struct numa_node *s = &m->node[numa_node_of(m, src_paddr)];
	struct numa_node *d = &m->node[numa_node_of(m, dst_paddr)];
	uint64_t sa = node_paddr(s, src_paddr), da = node_paddr(d, dst_paddr);
	if (s == d)
		return dram_copy_page(s->dram, now_ps, sa, da, size_bytes) + s->link_latency_ps;
	simtime_t done = now_ps;
	for (uint64_t off = 0; off < size_bytes; off += DRAM_LINE_BYTES) {
		simtime_t got = dram_access(s->dram, now_ps, sa + off, false) + s->link_latency_ps;
		simtime_t put = dram_access(d->dram, got, da + off, true); /* (MAX evaluates twice) */
		done = MAX(done, put);
	}
	return done + d->link_latency_ps;
}

/* A node's name becomes a statistics key: letters, digits, '-' and '_'. */
static bool name_ok(const char *s)
{
	if (!*s || strlen(s) >= NUMA_NAME_BYTES)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

/* The node's dram: the top-level dram's values under the node's own, resolved and checked. */
static int resolve_node_dram(json_t *node, const json_t *top, const char *file, const char *path,
                             struct err *err)
{
	json_t *own = json_object_get(node, "dram");
	if (!json_is_object(own)) {
		char *got = params_describe_value(own);
		int rc = err_set(err, "%s: %s: expected an object of dram keys, got %s", file, path,
		                 got);
		free(got);
		return rc;
	}
	json_t *merged = json_deep_copy(top);
	const char *key;
	json_t *v;
	json_object_foreach(own, key, v)
	{
		if (!json_object_get(top, key)) {
			json_decref(merged);
			return params_resolve(dram_params, own, file, path, err);
		}
		json_object_set(merged, key, v);
	}
	struct dram_config dc;
	int rc = params_resolve(dram_params, merged, file, path, err);
	if (!rc)
		rc = dram_config_from_json(&dc, merged, file, path, err);
	if (!rc)
		json_object_set(node, "dram", merged);
	json_decref(merged);
	return rc;
}

/* The node's cpus: CPU numbers below cpus, none in two nodes (owner[] marks them). */
static int resolve_node_cpus(const json_t *node, uint32_t idx, int64_t nr_cpus, int *owner,
                             const char *file, const char *path, struct err *err)
{
	const json_t *cpus = json_object_get(node, "cpus");
	if (!json_is_array(cpus))
		return err_set(err, "%s: %s.cpus: expected a list of CPU numbers", file, path);
	size_t i;
	const json_t *c;
	json_array_foreach(cpus, i, c)
	{
		json_int_t v = json_is_integer(c) ? json_integer_value(c) : -1;
		if (v < 0 || v >= nr_cpus)
			return err_set(err,
			               "%s: %s.cpus[%zu]: expected a CPU number below cpus (%lld)",
			               file, path, i, (long long)nr_cpus);
		if (owner[v] >= 0)
			return err_set(err, "%s: %s.cpus[%zu]: CPU %lld is already on node %d",
			               file, path, i, (long long)v, owner[v]);
		owner[v] = (int)idx;
	}
	return 0;
}

static int resolve_node(json_t *node, uint32_t idx, const json_t *root, int *owner,
                        const char *file, struct err *err)
{
	char *path = xasprintf("memory.nodes[%u]", idx);
	int rc = json_is_object(node) ? params_resolve(numa_node_params, node, file, path, err)
	                              : err_set(err, "%s: %s: expected a node object", file, path);
	if (!rc && !name_ok(params_get_string(node, "name")))
		rc = err_set(
		    err, "%s: %s.name: expected 1 to %d letters, digits, '-' or '_', got \"%s\"",
		    file, path, NUMA_NAME_BYTES - 1, params_get_string(node, "name"));
	char *dpath = xasprintf("%s.dram", path);
	if (!rc)
		rc = resolve_node_dram(node, json_object_get(root, "dram"), file, dpath, err);
	if (!rc)
		rc = resolve_node_cpus(node, idx, params_get_int(root, "cpus"), owner, file, path,
		                       err);
	free(dpath);
	free(path);
	return rc;
}

/* A node's unloaded latency of one read: its DRAM's (tRCD + CL + burst, or fixed) and link. */
static uint64_t nominal_latency_ps(const json_t *node)
{
	struct dram_config dc;
	struct err e = {0};
	int rc = dram_config_from_json(&dc, json_object_get(node, "dram"), "", "", &e);
	BUG_ON(rc, "resolved node dram rejected");
	uint64_t lat = dc.model == DRAM_MODEL_FIXED ? dc.fixed_latency_ps
	                                            : dc.t_rcd_ps + dc.t_cl_ps + dc.t_burst_ps;
	return lat + (uint64_t)params_get_int(node, "link_latency_ps");
}

static json_t *default_distance(const json_t *nodes)
{
	size_t n = json_array_size(nodes);
	json_t *rows = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *row = json_array();
		uint64_t from = MAX(nominal_latency_ps(json_array_get(nodes, i)), 1);
		for (size_t j = 0; j < n; j++) {
			uint64_t to = nominal_latency_ps(json_array_get(nodes, j));
			uint64_t d = (NUMA_LOCAL_DISTANCE * to * 2 + from) / (2 * from);
			d = i == j ? NUMA_LOCAL_DISTANCE
			           : MIN(MAX(d, NUMA_LOCAL_DISTANCE + 1), NUMA_MAX_DISTANCE);
			json_array_append_new(row, json_integer((json_int_t)d));
		}
		json_array_append_new(rows, row);
	}
	return rows;
}

static int check_distance(const json_t *dist, size_t n, const char *file, struct err *err)
{
	if (!json_is_array(dist) || json_array_size(dist) != n)
		return err_set(err, "%s: memory.distance: expected %zu rows (one per node)", file,
		               n);
	for (size_t i = 0; i < n; i++) {
		const json_t *row = json_array_get(dist, i);
		if (!json_is_array(row) || json_array_size(row) != n)
			return err_set(err, "%s: memory.distance[%zu]: expected %zu distances",
			               file, i, n);
		for (size_t j = 0; j < n; j++) {
			const json_t *v = json_array_get(row, j);
			json_int_t d = json_is_integer(v) ? json_integer_value(v) : -1;
			bool ok = i == j ? d == NUMA_LOCAL_DISTANCE
			                 : d > NUMA_LOCAL_DISTANCE && d <= NUMA_MAX_DISTANCE;
			if (!ok)
				return err_set(
				    err,
				    "%s: memory.distance[%zu][%zu]: expected %s, as ACPI's "
				    "SLIT",
				    file, i, j,
				    i == j ? "10 (a node's distance to itself)"
				           : "an integer from 11 to 254");
		}
	}
	return 0;
}

int numa_params_resolve(json_t *root, const char *file, struct err *err)
{
	json_t *mem = json_object_get(root, "memory");
	json_t *nodes = json_object_get(mem, "nodes"), *dist = json_object_get(mem, "distance");
	if (!nodes)
		return dist ? err_set(err, "%s: memory.distance: needs memory.nodes", file) : 0;
	if (!params_get_bool(json_object_get(root, "sim"), "timing"))
		return err_set(err,
		               "%s: memory.nodes: needs sim.timing true (the nodes are timing "
		               "models)",
		               file);
	size_t n = json_array_size(nodes);
	if (!json_is_array(nodes) || n == 0 || n > NUMA_MAX_NODES)
		return err_set(err, "%s: memory.nodes: expected a list of 1 to %d node objects",
		               file, NUMA_MAX_NODES);
	int owner[NUMA_MAX_CPUS];
	for (int i = 0; i < NUMA_MAX_CPUS; i++)
		owner[i] = -1;
	uint64_t frames = 0;
	for (size_t i = 0; i < n; i++) {
		json_t *node = json_array_get(nodes, i);
		int rc = resolve_node(node, (uint32_t)i, root, owner, file, err);
		if (rc)
			return rc;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(params_get_string(json_array_get(nodes, j), "name"),
			            params_get_string(node, "name")))
				return err_set(
				    err, "%s: memory.nodes[%zu].name: \"%s\" names node %zu too",
				    file, i, params_get_string(node, "name"), j);
		frames += (uint64_t)params_get_int(node, "frames");
	}
	uint64_t want = (uint64_t)params_get_int(mem, "frames");
	if (frames != want)
		return err_set(err,
		               "%s: memory.nodes: the nodes' frames sum to %llu, expected "
		               "memory.frames (%llu)",
		               file, (unsigned long long)frames, (unsigned long long)want);
	if (!dist)
		json_object_set_new(mem, "distance", default_distance(nodes));
	return check_distance(json_object_get(mem, "distance"), n, file, err);
}

void numa_config_from_json(struct numa_config *c, const json_t *root)
{
	memset(c, 0, sizeof(*c));
	const json_t *mem = json_object_get(root, "memory");
	const json_t *nodes = json_object_get(mem, "nodes");
	struct err e = {0};
	if (!nodes) {
		c->nr_nodes = 1;
		strcpy(c->node[0].name, "0");
		c->node[0].nr_frames = (uint64_t)params_get_int(mem, "frames");
		int rc = dram_config_from_json(&c->node[0].dram, json_object_get(root, "dram"), "",
		                               "dram", &e);
		BUG_ON(rc, "resolved dram rejected");
		c->distance[0][0] = NUMA_LOCAL_DISTANCE;
		return;
	}
	c->configured = true;
	c->nr_nodes = (uint32_t)json_array_size(nodes);
	for (uint32_t i = 0; i < c->nr_nodes; i++) {
		const json_t *node = json_array_get(nodes, i);
		struct numa_node_config *nc = &c->node[i];
		snprintf(nc->name, sizeof(nc->name), "%s", params_get_string(node, "name"));
		nc->nr_frames = (uint64_t)params_get_int(node, "frames");
		nc->link_latency_ps = (simtime_t)params_get_int(node, "link_latency_ps");
		int rc =
		    dram_config_from_json(&nc->dram, json_object_get(node, "dram"), "", "", &e);
		BUG_ON(rc, "resolved node dram rejected");
		size_t k;
		const json_t *cpu;
		json_array_foreach(json_object_get(node, "cpus"), k, cpu)
		    c->cpu_node[json_integer_value(cpu)] = (uint8_t)i;
		const json_t *row = json_array_get(json_object_get(mem, "distance"), i);
		for (uint32_t j = 0; j < c->nr_nodes; j++)
			c->distance[i][j] = (uint32_t)json_integer_value(json_array_get(row, j));
	}
}

void numa_tier_ranks(const struct numa_config *c, uint32_t nr_cpus, uint8_t rank[NUMA_MAX_NODES])
{
	bool has_cpu[NUMA_MAX_NODES] = {false};
	for (uint32_t cpu = 0; cpu < nr_cpus && cpu < NUMA_MAX_CPUS; cpu++)
		has_cpu[c->cpu_node[cpu]] = true;
	uint32_t key[NUMA_MAX_NODES];
	for (uint32_t n = 0; n < c->nr_nodes; n++) {
		key[n] = UINT32_MAX;
		for (uint32_t h = 0; h < c->nr_nodes; h++)
			if (has_cpu[h])
				key[n] = MIN(key[n], c->distance[h][n]);
	}
	for (uint32_t n = 0; n < c->nr_nodes; n++) {
		/* the number of distinct keys below this node's */
		uint32_t r = 0;
		for (uint32_t m = 0; m < c->nr_nodes; m++) {
			bool first = key[m] < key[n];
			for (uint32_t k = 0; k < m && first; k++)
				first = key[k] != key[m];
			r += first;
		}
		rank[n] = (uint8_t)r;
	}
}

void numa_report(const struct numa *m, const struct numa_config *cfg, simtime_t end_ps,
                 struct statsout *o)
{
	if (!cfg->configured)
		return;
	for (uint32_t i = 0; i < m->nr_nodes; i++) {
		char *p = xasprintf("node.%s", cfg->node[i].name);
		char *d = xasprintf("%s.dram", p);
		dram_report_prefix(m->node[i].dram, end_ps, o, d);
		statsout_u64(o, p, "accesses", m->node[i].accesses);
		free(d);
		free(p);
	}
}
