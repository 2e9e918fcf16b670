/*
 * numa.h — the memory nodes (memory.nodes): physical memory cut into nodes, each a contiguous
 * range of frames with its own DRAM model (a struct dram) and a link latency added to every trip
 * to it (a remote socket's interconnect, a CXL expander's controller and link). Every physical
 * address belongs to exactly one node: the nodes' frames follow one another in list order from
 * frame 0; an address above every node's frames (the shared zero page, page-table pages not in
 * memory.frames) is on the first node. A node's DRAM sees the address relative to the node's
 * first byte, as the DIMMs behind that node's controller would.
 *
 * Without memory.nodes there is one node, the top-level dram, with no link: every function here
 * is then exactly the dram_* call it wraps.
 *
 * Models: per-node DRAM timing, a fixed link latency per trip (added once to the completion of a
 * line, a zeroing or a copy), a copy between nodes as reads on the source's DRAM and writes on
 * the destination's. Ignores: link bandwidth and queueing on the link (a CXL link's bandwidth
 * limit shows only through the node's own DRAM model: give a CXL node fewer channels), snoop
 * filters, the CPU-side home agent. Units: ps, bytes.
 */
#ifndef VMSIM_MODELS_HW_NUMA_H
#define VMSIM_MODELS_HW_NUMA_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "models/hw/dram.h"
#include "sim/base/stats.h"
#include "sim/base/util.h"

#define NUMA_MAX_NODES 16
#define NUMA_NAME_BYTES 32
#define NUMA_MAX_CPUS 256
#define NUMA_LOCAL_DISTANCE 10 /* ACPI SLIT: a node's distance to itself */
#define NUMA_MAX_DISTANCE 254  /* SLIT: 255 means unreachable */

struct numa_node_config {
	char name[NUMA_NAME_BYTES];
	uint64_t nr_frames;
	struct dram_config dram;
	simtime_t link_latency_ps;
};

struct numa_config {
	uint32_t nr_nodes; /* 1 when memory.nodes is absent */
	bool configured;   /* memory.nodes was given (its statistics are written) */
	struct numa_node_config node[NUMA_MAX_NODES];
	uint8_t cpu_node[NUMA_MAX_CPUS]; /* the node each CPU belongs to */
	uint32_t distance[NUMA_MAX_NODES][NUMA_MAX_NODES];
};

struct numa_node {
	uint64_t base_paddr, end_paddr; /* [base, end) */
	struct dram *dram;              /* owned */
	simtime_t link_latency_ps;
	uint64_t accesses; /* data accesses whose frame is here (counted by the caller) */
	uint8_t tier;      /* numa_tier_ranks (set by the caller; 0: the top tier) */
};

struct numa {
	uint32_t nr_nodes;
	bool plain;         /* one node, no link: every call is the dram_* call */
	uint64_t end_paddr; /* the last node's end */
	struct numa_node *node;
};

/* New, one node per cfg node (frames of page_size bytes); free with numa_destroy. */
struct numa *numa_create(const struct numa_config *cfg, uint64_t page_size);
/* One node, d (borrowed), no link, in the caller's storage m and n: the memory of a test of the
 * walker or the caches. Nothing to free. */
void numa_init_single(struct numa *m, struct numa_node *n, struct dram *d);
void numa_destroy(struct numa *m);

/* The node holding paddr. */
static inline uint32_t numa_node_of(const struct numa *m, uint64_t paddr)
{
	if (paddr >= m->end_paddr)
		return 0;
	uint32_t n = 0;
	while (n + 1 < m->nr_nodes && paddr >= m->node[n + 1].base_paddr)
		n++;
	return n;
}

/* dram_access on the node holding paddr, plus its link latency. */
simtime_t numa_access(struct numa *m, simtime_t now_ps, uint64_t paddr, bool is_write);
/* dram_zero_page on the node holding paddr, plus its link latency. */
simtime_t numa_zero_page(struct numa *m, simtime_t now_ps, uint64_t paddr, uint64_t size_bytes);
/* dram_copy_page within a node; across nodes every source line is read on the source's DRAM
 * (requested at now_ps) and written on the destination's once it has arrived (plus the source's
 * link); returns when the last write is done, plus the destination's link. */
simtime_t numa_copy_page(struct numa *m, simtime_t now_ps, uint64_t src_paddr, uint64_t dst_paddr,
                         uint64_t size_bytes);

/* Keys of one element of memory.nodes. */
extern const struct param_spec numa_node_params[];

/* Resolve memory.nodes (absent: nothing to do) in the config being loaded: each node's keys,
 * its dram taking the top-level dram's values for the keys it omits (then resolved as dram is),
 * and memory.distance when given. Checks what the tables cannot: unique names, the nodes'
 * frames summing to memory.frames, CPUs below cpus and in at most one node, the distance
 * matrix. 0 or -VMSIM_EINVAL with "FILE: memory.nodes[i].key: ...". */
int numa_params_resolve(json_t *root, const char *file, struct err *err);

/* The resolved config (root as numa_params_resolve left it) into c; no error is possible. The
 * default distance: 10 to itself, else 10 * the target's nominal latency / the source's,
 * rounded, at least 11 (a node's nominal latency: its DRAM's unloaded read, tRCD + CL + burst
 * or the fixed latency, plus its link). */
void numa_config_from_json(struct numa_config *c, const json_t *root);

/* The memory tiers (Linux's mm/memory-tiers.c, with distances for abstract distances): rank[n]
 * is 0 for the top tier; a node's tier is ranked by its distance from the nearest node holding
 * one of CPUs 0..nr_cpus-1 (nodes at the same distance share a tier). */
void numa_tier_ranks(const struct numa_config *c, uint32_t nr_cpus, uint8_t rank[NUMA_MAX_NODES]);

/* node.NAME.{dram.*, link_latency_ps, distance.OTHER} when memory.nodes was given. */
void numa_report(const struct numa *m, const struct numa_config *cfg, simtime_t end_ps,
                 struct statsout *o);

#endif
