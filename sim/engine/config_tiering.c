/*
 * config_tiering.c — the keys of vm.tiering (memory tiers over memory.nodes: demotion in
 * reclaim, promotion by NUMA hint faults; models/vm/migrate.c, docs/tiering.md). Only the
 * table: sim.c reads the resolved values into struct vm_config.
 */
#include "sim/engine/config.h"

const struct param_spec tiering_params[] = {
	{.key = "demotion", .type = PARAM_BOOL, .def = "false",
	 .doc = "memory.nodes: reclaim on a node with lower tiers moves its victims to a lower tier instead of swapping them (Linux's demotion); only the lowest tier swaps; per-node LRUs and watermarks (docs/tiering.md)"},
	{.key = "promotion", .type = PARAM_ENUM, .def = "\"none\"", .choices = "none|linux|tpp|oracle",
	 .doc = "promotion to the top tier on NUMA hint faults: none (hint faults counted only); linux: NUMA_BALANCING_MEMORY_TIERING (hot threshold, rate limit); tpp: on the second hint fault, with TPP's demotion headroom; oracle: when the future says the page is used again (OPT's future), no rate limit, TPP's room rules: the upper bound (docs/tiering.md); needs vm.reclaim \"watermark\""},
	{.key = "scan_period_ps", .type = PARAM_INT, .def = "1000000000000", .min = 1, .max = 9.2e18,
	 .doc = "promotion: the NUMA hint scanner runs every this long (Linux's numa_balancing_scan_period_min_ms: 1 s; fixed here)"},
	{.key = "scan_size_mb", .type = PARAM_INT, .def = "256", .min = 1, .max = 1048576,
	 .doc = "promotion: MiB of each address space hinted per scan (numa_balancing_scan_size_mb)"},
	{.key = "hot_threshold_ps", .type = PARAM_INT, .def = "1000000000000", .min = 1, .max = 9.2e18,
	 .doc = "promotion linux: a hint fault within this time of the scan marks the page hot (numa_balancing_hot_threshold_ms: 1 s)"},
	{.key = "promotion_rate_limit_mbps", .type = PARAM_INT, .def = "65536", .min = 1, .max = 1048576,
	 .doc = "promotion linux and tpp (not oracle): at most this many MB promoted in any second (numa_balancing_promote_rate_limit_MBps)"},
	{.key = "tpp_headroom_pct", .type = PARAM_INT, .def = "2", .min = 0, .max = 100,
	 .doc = "promotion tpp and oracle: kswapd keeps this % of a top-tier node free above its high watermark for promotions (TPP's demote_scale_factor, 2%)"},
	{0},
};
