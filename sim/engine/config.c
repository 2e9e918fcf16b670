/*
 * config.c — the top-level key table and the loader of config.h.
 */
#include "sim/engine/config.h"

#include <ctype.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "models/hw/cache.h"
#include "models/hw/disk.h"
#include "models/hw/dram.h"
#include "models/hw/numa.h"
#include "models/hw/tlb.h"
#include "models/hw/walker.h"
#include "models/policy/policy.h"
#include "sim/engine/config_set.h"
#include "workloads/workload.h"

/* clang-format off */
static const struct param_spec sim_params[] = {
	{.key = "timing", .type = PARAM_BOOL, .def = "true",
	 .doc = "run the timing models; false keeps every count, costs each access untimed_access_ps and completes I/O at once"},
	{.key = "untimed_access_ps", .type = PARAM_INT, .def = "1000", .min = 1, .max = 1e12,
	 .doc = "with timing off: simulated time of one operation (drives quanta and sampling)"},
	{.key = "quantum_ps", .type = PARAM_INT, .def = "4000000000", .min = 1000, .max = 1e15,
	 .doc = "scheduler time slice"},
	{.key = "context_switch_ps", .type = PARAM_INT, .def = "2000000", .min = 0, .max = 1e12,
	 .doc = "cost of switching processes on a CPU"},
	{.key = "access_ps", .type = PARAM_INT, .def = "1000", .min = 0, .max = 1e12,
	 .doc = "cost of the data reference itself once translated (CPU caches are not modelled)"},
	{.key = "fault_ps", .type = PARAM_INT, .def = "700000", .min = 0, .max = 1e12,
	 .doc = "software cost of one page fault (kernel entry, handler, exit)"},
	{.key = "syscall_ps", .type = PARAM_INT, .def = "200000", .min = 0, .max = 1e12,
	 .doc = "base cost of mmap, munmap, mprotect, fork, wait and exit"},
	{.key = "fork_pte_ps", .type = PARAM_INT, .def = "10000", .min = 0, .max = 1e12,
	 .doc = "fork: cost per page-table entry copied"},
	{.key = "max_time_ps", .type = PARAM_INT, .def = "0", .min = 0, .max = 9.2e18,
	 .doc = "stop the run at this simulated time (0: run to completion)"},
	{0},
};

static const struct param_spec memory_params[] = {
	{.key = "frames", .type = PARAM_INT, .def = "65536", .min = 1, .max = 4294967294.0,
	 .doc = "page frames available to pages of processes"},
	{.key = "page_size", .type = PARAM_INT, .def = "4096", .min = 4096, .max = 4096,
	 .doc = "base page size in bytes (x86-64: 4096; 2 MiB huge pages are per mapping)"},
	{.key = "page_tables_in_frames", .type = PARAM_BOOL, .def = "false",
	 .doc = "take page-table pages from memory.frames (else accounted apart)"},
	{.key = "swap_pages", .type = PARAM_INT, .def = "1048576", .min = 0, .max = 4294967294.0,
	 .doc = "swap slots on the swap device, in pages (0: no swap)"},
	{.key = "nodes", .type = PARAM_DYNAMIC,
	 .doc = "memory nodes (NUMA, CXL): a list of node objects (keys: memory.nodes[].*, below); absent: one node, the top-level dram"},
	{.key = "distance", .type = PARAM_DYNAMIC,
	 .doc = "memory.nodes: the distance matrix (ACPI SLIT: 10 to itself, 11..254); absent: from the nodes' latencies"},
	{0},
};

static const struct param_spec vm_params[] = {
	{.key = "policy", .type = PARAM_STRING, .def = "\"lru\"",
	 .doc = "page replacement policy (see `vmsim policies`)"},
	{.key = "policy_params", .type = PARAM_DYNAMIC, .def = "{}",
	 .doc = "parameters of the chosen policy (see docs/policies.md)"},
	{.key = "reclaim", .type = PARAM_ENUM, .def = "\"on-demand\"", .choices = "on-demand|watermark",
	 .doc = "on-demand: exactly one victim when no frame is free; watermark: background reclaim between low and high watermarks"},
	{.key = "scope", .type = PARAM_ENUM, .def = "\"global\"", .choices = "global|local",
	 .doc = "replacement scope: victims from all processes, or from the faulting process"},
	{.key = "watermark_low_pct", .type = PARAM_INT, .def = "2", .min = 0, .max = 100,
	 .doc = "watermark reclaim wakes below this % of frames free"},
	{.key = "watermark_high_pct", .type = PARAM_INT, .def = "4", .min = 0, .max = 100,
	 .doc = "watermark reclaim sleeps again above this % of frames free"},
	{.key = "local_frames", .type = PARAM_INT, .def = "0", .min = 0, .max = 4294967294.0,
	 .doc = "local scope: frames each process may hold (0: memory.frames / number of initial processes)"},
	{.key = "thp", .type = PARAM_ENUM, .def = "\"madvise\"", .choices = "never|madvise|always",
	 .doc = "2 MiB anonymous pages: never; madvise: where the mapping asks (huge flag, madvise hugepage); always: every private anonymous mapping"},
	{.key = "fault_around_pages", .type = PARAM_INT, .def = "16", .min = 0, .max = 512,
	 .doc = "file faults map up to this many cached neighbouring pages (0: off)"},
	{.key = "readahead_pages", .type = PARAM_INT, .def = "32", .min = 0, .max = 4096,
	 .doc = "sequential file misses read this many pages ahead (0: off)"},
	{.key = "mmap_readahead", .type = PARAM_ENUM, .def = "\"sequential\"", .choices = "sequential|linux",
	 .doc = "readahead of file faults: sequential: a miss that continues the previous one reads vm.readahead_pages after it; linux: Linux 6.18's do_sync_mmap_readahead (read-around of vm.readahead_pages centred on every miss, MADV_SEQUENTIAL's window from the miss) and asynchronous readahead when a fault reaches the PG_readahead folio, in folios whose order grows by 2 per window up to vm.file_folio_max_pages (docs/vm.md, \"Readahead of file faults\")"},
	{.key = "dirty_background_ratio", .type = PARAM_INT, .def = "10", .min = 0, .max = 100,
	 .doc = "write(2): the flusher writes dirty page-cache pages back above this % of free + page-cache memory (Linux's vm.dirty_background_ratio)"},
	{.key = "dirty_ratio", .type = PARAM_INT, .def = "20", .min = 0, .max = 100,
	 .doc = "write(2): a writer above this % of free + page-cache memory dirty or under writeback waits for its writes (vm.dirty_ratio)"},
	{.key = "file_folio_pages", .type = PARAM_INT, .def = "1", .min = 1, .max = 512,
	 .doc = "pages in a page-cache folio of a regular file, a power of two (1: 4 KiB folios, the classic kernel); stands in for how files were written or read in (docs/vm.md, \"Large file folios\")"},
	{.key = "file_folio_max_pages", .type = PARAM_INT, .def = "1", .min = 1, .max = 512,
	 .doc = "write(2) puts new page-cache pages of a regular file in folios sized by the write, up to this many pages, a power of two (mapping_max_folio_order: ext4 on Linux 6.16+ 512; 1: 4 KiB folios, the classic kernel)"},
	{.key = "zero_page", .type = PARAM_BOOL, .def = "true",
	 .doc = "a first read of anonymous memory maps the shared zero page"},
	{.key = "thp_zero_page", .type = PARAM_BOOL, .def = "false",
	 .doc = "a first read of a range vm.thp would give a 2 MiB page maps the huge zero page instead; a write then allocates the huge page (Linux's transparent_hugepage/use_zero_page, 1 there; the presets set it)"},
	{.key = "mthp", .type = PARAM_OBJECT, .sub = mthp_params,
	 .doc = "anonymous multi-size THP per folio size (docs/vm.md, \"Anonymous mTHP\")"},
	{.key = "tiering", .type = PARAM_OBJECT, .sub = tiering_params,
	 .doc = "memory tiers over memory.nodes (docs/tiering.md)"},
	{0},
};

static const struct param_spec stats_params[] = {
	{.key = "interval_ps", .type = PARAM_INT, .def = "1000000000", .min = 1, .max = 9.2e18,
	 .doc = "timeseries.csv sampling interval of simulated time"},
	{.key = "footprint", .type = PARAM_BOOL, .def = "false",
	 .doc = "processes[] entries gain footprint.* : the process's memory just before it exited (or at the end of the run), in 4 KiB pages, as /proc/PID/status and pagemap show it: mapped, anon, file (page cache and shmem), zero (zero pages), thp (pages of 2 MiB folios), large_folio (pages of folios of more than one page), mlocked, locked_vm (VmLck), swap (VmSwap)"},
	{.key = "psi", .type = PARAM_BOOL, .def = "false",
	 .doc = "report pressure stall information (psi.memory.*, its columns in timeseries.csv); on whenever cgroups, zswap or zram are configured"},
	{0},
};

static const struct param_spec zram_params[] = {
	{.key = "enabled", .type = PARAM_BOOL, .def = "false",
	 .doc = "swap to zram: a swap device of memory.swap_pages slots that keeps compressed pages in a pool of memory.frames"},
	{.key = "algorithm", .type = PARAM_ENUM, .def = "\"lz4\"", .choices = "lz4|zstd",
	 .doc = "compression algorithm: its ratio and costs (docs/vm.md cites them)"},
	{.key = "huge_class_bytes", .type = PARAM_INT, .def = "3072", .min = 1, .max = 4096,
	 .doc = "pages that compress to this many bytes or more are incompressible (zram's max_zpage_size, PAGE_SIZE / 4 * 3)"},
	{.key = "backing_device", .type = PARAM_BOOL, .def = "false",
	 .doc = "write incompressible pages to the swap disk instead of storing them whole"},
	{0},
};

static const struct param_spec zswap_params[] = {
	{.key = "enabled", .type = PARAM_BOOL, .def = "false",
	 .doc = "a compressed cache in front of the swap device"},
	{.key = "algorithm", .type = PARAM_ENUM, .def = "\"lz4\"", .choices = "lz4|zstd",
	 .doc = "compression algorithm (Linux's default compressor is lzo; lz4 and zstd are what this models)"},
	{.key = "max_pool_percent", .type = PARAM_INT, .def = "20", .min = 0, .max = 100,
	 .doc = "the pool's maximum, in % of memory.frames (Linux's default: 20)"},
	{.key = "accept_threshold_percent", .type = PARAM_INT, .def = "90", .min = 0, .max = 100,
	 .doc = "a full pool accepts stores again below this % of its maximum (Linux's default: 90)"},
	{0},
};

/* The Senpai-like controller (sim/engine/senpai.c); the defaults are senpai.py's. */
static const struct param_spec senpai_params[] = {
	{.key = "enabled", .type = PARAM_BOOL, .def = "false",
	 .doc = "run a Senpai-like controller on every cgroup: memory.high follows the group's PSI some (docs/vm.md)"},
	{.key = "tick_ps", .type = PARAM_INT, .def = "1000000000000", .min = 1000, .max = 9.2e18,
	 .doc = "how often it reads the group's pressure (senpai: 1 s)"},
	{.key = "interval_ticks", .type = PARAM_INT, .def = "6", .min = 1, .max = 1e6,
	 .doc = "ticks between two probes (senpai --interval 6)"},
	{.key = "pressure_us", .type = PARAM_INT, .def = "10000", .min = 1, .max = 1e12,
	 .doc = "target: stall time per interval, in microseconds (senpai --pressure 10000)"},
	{.key = "max_probe_ppm", .type = PARAM_INT, .def = "10000", .min = 0, .max = 1000000,
	 .doc = "largest cut of memory.high in one probe, parts per million (senpai --max-probe 0.01)"},
	{.key = "max_backoff_ppm", .type = PARAM_INT, .def = "1000000", .min = 0, .max = 1e9,
	 .doc = "largest raise of memory.high in one back-off, parts per million (senpai --max-backoff 1.0)"},
	{.key = "coeff_probe", .type = PARAM_INT, .def = "10", .min = 1, .max = 1e6,
	 .doc = "probe at max_probe when pressure is 1/coeff_probe of the target (senpai --coeff-probe)"},
	{.key = "coeff_backoff", .type = PARAM_INT, .def = "20", .min = 1, .max = 1e6,
	 .doc = "back off at max_backoff when pressure is coeff_backoff times the target (senpai --coeff-backoff)"},
	{.key = "min_pages", .type = PARAM_INT, .def = "25600", .min = 0, .max = 4294967294.0,
	 .doc = "lowest memory.high (senpai --min-size 100 MiB)"},
	{.key = "max_pages", .type = PARAM_INT, .def = "26214400", .min = 1, .max = 4294967294.0,
	 .doc = "highest memory.high (senpai --max-size 100 GiB)"},
	{0},
};

/* One group of "cgroups" (cgroups.NAME), in pages; -1 is "max" (no limit). */
const struct param_spec config_cgroup_params[] = {
	{.key = "memory_max_pages", .type = PARAM_INT, .def = "-1", .min = -1, .max = 4294967294.0,
	 .doc = "memory.max: reclaim in the group at this many pages, then an OOM kill in it (-1: max)"},
	{.key = "memory_high_pages", .type = PARAM_INT, .def = "-1", .min = -1, .max = 4294967294.0,
	 .doc = "memory.high: above it, reclaim back to it and throttle the allocating task (-1: max)"},
	{.key = "memory_low_pages", .type = PARAM_INT, .def = "0", .min = 0, .max = 4294967294.0,
	 .doc = "memory.low: protected from global reclaim while other groups have pages"},
	{.key = "memory_min_pages", .type = PARAM_INT, .def = "0", .min = 0, .max = 4294967294.0,
	 .doc = "memory.min: never reclaimed by global reclaim"},
	{.key = "swap_max_pages", .type = PARAM_INT, .def = "-1", .min = -1, .max = 4294967294.0,
	 .doc = "memory.swap.max: swap slots the group may hold (-1: max)"},
	{0},
};

/* One program image of "images" (exec). */
const struct param_spec config_image_params[] = {
	{.key = "text_pages", .type = PARAM_INT, .def = "16", .min = 0, .max = 1e9,
	 .doc = "text: file-backed private r-x pages (file \"<image>.text\")"},
	{.key = "data_pages", .type = PARAM_INT, .def = "4", .min = 0, .max = 1e9,
	 .doc = "data: whole file-backed private rw pages (file \"<image>.data\"; writes COW)"},
	{.key = "data_tail_bytes", .type = PARAM_INT, .def = "0", .min = 0, .max = 4095,
	 .doc = "bytes of the data section's file part in one more page; exec zeroes the rest of that page (padzero: a COW write fault)"},
	{.key = "bss_pages", .type = PARAM_INT, .def = "4", .min = 0, .max = 1e9,
	 .doc = "bss after the data: anonymous demand-zero pages"},
	{.key = "heap_pages", .type = PARAM_INT, .def = "16", .min = 0, .max = 1e9,
	 .doc = "heap after the bss: anonymous pages"},
	{.key = "stack_pages", .type = PARAM_INT, .def = "8", .min = 0, .max = 1e9,
	 .doc = "stack below stack_top: anonymous pages"},
	{.key = "text_base", .type = PARAM_INT, .def = "4194304", .min = 0, .max = 1.44115188075855872e17,
	 .doc = "address of the text (page aligned; data, bss and heap follow it)"},
	{.key = "lib_base", .type = PARAM_INT, .def = "139637976727552", .min = 0, .max = 1.44115188075855872e17,
	 .doc = "address of the first library (0x7f0000000000); libraries follow one another"},
	{.key = "stack_top", .type = PARAM_INT, .def = "140737488351232", .min = 4096, .max = 1.44115188075855872e17,
	 .doc = "end of the stack (0x7ffffffff000)"},
	{.key = "libs", .type = PARAM_DYNAMIC, .def = "[]",
	 .doc = "libraries: names of other images (their text, data and bss are mapped) or of declared files (mapped whole, private r-x)"},
	{0},
};

const struct param_spec config_top_params[] = {
	{.key = "name", .type = PARAM_STRING, .def = "\"\"",
	 .doc = "run name (results/<name>); empty: the config file name"},
	{.key = "seed", .type = PARAM_INT, .def = "1", .min = 0, .max = 9.2e18,
	 .doc = "seed of every random stream of the run"},
	{.key = "cpus", .type = PARAM_INT, .def = "1", .min = 1, .max = 256,
	 .doc = "simulated CPUs"},
	{.key = "sim", .type = PARAM_OBJECT, .sub = sim_params, .doc = "engine"},
	{.key = "memory", .type = PARAM_OBJECT, .sub = memory_params, .doc = "physical memory"},
	{.key = "vm", .type = PARAM_OBJECT, .sub = vm_params, .doc = "VM policy layer"},
	{.key = "tlb", .type = PARAM_OBJECT, .sub = tlb_params, .doc = "TLB hierarchy (docs/models.md)"},
	{.key = "walker", .type = PARAM_OBJECT, .sub = walker_params, .doc = "page walker (docs/models.md)"},
	{.key = "dram", .type = PARAM_OBJECT, .sub = dram_params, .doc = "DRAM (docs/models.md)"},
	{.key = "caches", .type = PARAM_OBJECT, .sub = cache_params, .doc = "CPU caches (docs/models.md)"},
	{.key = "disk", .type = PARAM_OBJECT, .sub = disk_params, .doc = "disks (docs/models.md)"},
	{.key = "stats", .type = PARAM_OBJECT, .sub = stats_params, .doc = "statistics"},
	{.key = "zram", .type = PARAM_OBJECT, .sub = zram_params, .doc = "zram swap device (docs/vm.md)"},
	{.key = "zswap", .type = PARAM_OBJECT, .sub = zswap_params, .doc = "zswap compressed swap cache (docs/vm.md)"},
	{.key = "senpai", .type = PARAM_OBJECT, .sub = senpai_params, .doc = "Senpai-like memory.high controller (docs/vm.md)"},
	{.key = "cgroups", .type = PARAM_DYNAMIC, .def = "{}",
	 .doc = "cgroup v2 memory controller: an object NAME -> limits (keys: cgroups.NAME.*, below); a workload joins one with its \"cgroup\""},
	{.key = "images", .type = PARAM_DYNAMIC, .def = "{\"default\": {}}",
	 .doc = "program images for exec: an object NAME -> image (keys: images.NAME.*, below); \"default\" always exists"},
	{.key = "workload", .type = PARAM_DYNAMIC, .doc = "one workload object (or use workloads)"},
	{.key = "workloads", .type = PARAM_DYNAMIC,
	 .doc = "a list of workload objects, one per initial process, each with start_ps"},
	{0},
};
/* clang-format on */

/* Keys every workload object takes besides its type's own. */
static const struct param_spec workload_common_params[] = {
    {.key = "type", .type = PARAM_STRING, .doc = "workload type (see docs/workloads.md)"},
    {.key = "start_ps",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 9.2e18,
     .doc = "simulated time at which its first process starts"},
    {.key = "cgroup",
     .type = PARAM_STRING,
     .def = "\"\"",
     .doc = "the cgroup (a name of cgroups) its processes belong to; empty: the root"},
    {.key = "compression_ratio",
     .type = PARAM_REAL,
     .def = "0",
     .min = 0,
     .max = 64,
     .doc = "zswap/zram: how its pages compress (uncompressed / compressed, >= 1); 0: the algorithm's preset ratio"},
    {.key = "same_filled_percent",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 100,
     .doc = "zswap/zram: % of its pages filled with one repeated word (stored without pool space)"},
    {.key = "incompressible_percent",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 100,
     .doc = "zswap/zram: % of its pages that do not compress"},
    {.key = "mempolicy",
     .type = PARAM_ENUM,
     .def = "\"default\"",
     .choices = "default|preferred|bind|interleave|local",
     .doc = "memory.nodes: its first process's set_mempolicy (docs/vm.md \"Memory policies\")"},
    {.key = "mempolicy_nodes",
     .type = PARAM_DYNAMIC,
     .def = "[]",
     .doc = "memory.nodes: the names of the nodes of its mempolicy"},
    {.key = "compression_regions",
     .type = PARAM_DYNAMIC,
     .doc = "zswap/zram: a list of address ranges whose anonymous pages compress otherwise (keys: workload.compression_regions[].*, below); absent: none"},
    {0},
};

/* One range of workload.compression_regions. */
static const struct param_spec compression_region_params[] = {
    {.key = "addr",
     .type = PARAM_INT,
     .min = 0,
     .max = 140737488355328.0,
     .doc = "its first byte (a generator's region starts at the address docs/workloads.md gives)"},
    {.key = "bytes", .type = PARAM_INT, .min = 1, .max = 140737488355328.0, .doc = "its length"},
    {.key = "compression_ratio",
     .type = PARAM_REAL,
     .def = "0",
     .min = 0,
     .max = 64,
     .doc = "how its pages compress (uncompressed / compressed, >= 1); 0: the algorithm's preset ratio"},
    {.key = "same_filled_percent",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 100,
     .doc = "% of its pages filled with one repeated word"},
    {.key = "incompressible_percent",
     .type = PARAM_INT,
     .def = "0",
     .min = 0,
     .max = 100,
     .doc = "% of its pages that do not compress"},
    {0},
};

json_t *config_lookup(const json_t *root, const char *path)
{
	char *copy = xstrdup(path);
	const json_t *cur = root;
	for (char *tok = strtok(copy, "."); tok && cur; tok = strtok(NULL, ".")) {
		char *br = strchr(tok, '[');
		if (br)
			*br = '\0';
		cur = json_object_get(cur, tok);
		while (br && cur) {
			size_t idx = strtoul(br + 1, NULL, 10);
			cur = json_array_get(cur, idx);
			br = strchr(br + 1, '[');
		}
	}
	free(copy);
	return (json_t *)cur;
}

static void merge_into(json_t *dst, json_t *src)
{
	const char *key;
	json_t *v;
	json_object_foreach(src, key, v)
	{
		json_t *d = json_object_get(dst, key);
		if (json_is_object(d) && json_is_object(v))
			merge_into(d, v);
		else
			json_object_set(dst, key, v);
	}
}

static json_t *load_json_file(const char *path, int depth, struct err *err, int *rc)
{
	/* A FIFO would block the read forever, a folder reads as malformed JSON: refused first. */
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		*rc = err_set(err, "%s: cannot read config: not a regular file", path);
		return NULL;
	}
	size_t len;
	char *text;
	*rc = json_text_read(path, "config", &text, &len, err);
	if (*rc < 0)
		return NULL;
	json_error_t jerr;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	free(text);
	if (!root) {
		*rc = err_set(err, "%s:%d:%d: malformed JSON: %s", path, jerr.line, jerr.column,
		              jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		*rc = err_set(err, "%s: expected a JSON object at the top level", path);
		json_decref(root);
		return NULL;
	}
	json_t *ext = json_object_get(root, "extends");
	if (!ext)
		return root;
	if (!json_is_string(ext) || !*json_string_value(ext)) {
		char *got = params_describe_value(ext);
		*rc = err_set(err, "%s: extends: expected a path to a base config, got %s", path,
		              got);
		free(got);
		json_decref(root);
		return NULL;
	}
	if (depth > 8) {
		*rc = err_set(err, "%s: extends: chain deeper than 8 (a cycle?)", path);
		json_decref(root);
		return NULL;
	}
	char *dir = path_dir(path);
	char *base_path = path_join(dir, json_string_value(ext));
	free(dir);
	json_t *base = load_json_file(base_path, depth + 1, err, rc);
	free(base_path);
	if (!base) {
		json_decref(root);
		return NULL;
	}
	json_object_del(root, "extends");
	merge_into(base, root);
	json_decref(root);
	return base;
}

static const char *const *workload_names(size_t *n)
{
	static _Thread_local const char *names[64];
	*n = MIN(workload_table_len, ARRAY_SIZE(names));
	for (size_t i = 0; i < *n; i++)
		names[i] = workload_table[i]->name;
	return names;
}

static int resolve_workload(json_t *w, const char *file, const char *path, struct err *err)
{
	if (!json_is_object(w)) {
		char *got = params_describe_value(w);
		int rc =
		    err_set(err, "%s: %s: expected a workload object, got %s", file, path, got);
		free(got);
		return rc;
	}
	json_t *type = json_object_get(w, "type");
	if (!json_is_string(type))
		return err_set(err, "%s: %s.type: expected a workload type name (a string)", file,
		               path);
	const struct workload_ops *ops = workload_find(json_string_value(type));
	if (!ops) {
		size_t n;
		const char *const *names = workload_names(&n);
		const char *near = params_closest(json_string_value(type), names, n);
		return err_set(err, "%s: %s.type: unknown workload type \"%s\"%s%s%s", file, path,
		               json_string_value(type), near ? " (did you mean \"" : "",
		               near ? near : "", near ? "\"?)" : "");
	}
	if (ops->complete)
		ops->complete(w, file);
	/* Its own keys plus the common ones, checked as one table. */
	size_t n_own = 0, n_common = ARRAY_SIZE(workload_common_params) - 1;
	while (ops->params && ops->params[n_own].key)
		n_own++;
	struct param_spec *all = xcalloc(n_own + n_common + 1, sizeof(*all));
	memcpy(all, workload_common_params, n_common * sizeof(*all));
	if (n_own)
		memcpy(all + n_common, ops->params, n_own * sizeof(*all));
	int rc = params_resolve(all, w, file, path, err);
	free(all);
	return rc;
}

static int resolve_images(json_t *root, const char *file, struct err *err)
{
	json_t *images = json_object_get(root, "images");
	if (!json_is_object(images))
		return err_set(err, "%s: images: expected an object of program images", file);
	if (!json_object_get(images, "default"))
		json_object_set_new(images, "default", json_object());
	const char *name;
	json_t *img;
	json_object_foreach(images, name, img)
	{
		char *path = xasprintf("images.%s", name);
		int rc = json_is_object(img)
		             ? params_resolve(config_image_params, img, file, path, err)
		             : err_set(err, "%s: %s: expected an object", file, path);
		json_t *libs = json_object_get(img, "libs");
		if (!rc && !json_is_array(libs))
			rc = err_set(err, "%s: %s.libs: expected a list of names", file, path);
		for (size_t i = 0; !rc && i < json_array_size(libs); i++)
			if (!json_is_string(json_array_get(libs, i)))
				rc = err_set(err, "%s: %s.libs[%zu]: expected a name (a string)",
				             file, path, i);
		if (!rc && (params_get_int(img, "text_base") % 4096 ||
		            params_get_int(img, "lib_base") % 4096 ||
		            params_get_int(img, "stack_top") % 4096))
			rc =
			    err_set(err, "%s: %s: base addresses must be page aligned", file, path);
		free(path);
		if (rc)
			return rc;
	}
	return 0;
}

static int resolve_cgroups(json_t *root, const char *file, struct err *err)
{
	json_t *cgs = json_object_get(root, "cgroups");
	if (!json_is_object(cgs))
		return err_set(err, "%s: cgroups: expected an object of groups (NAME -> limits)",
		               file);
	const char *name;
	json_t *cg;
	json_object_foreach(cgs, name, cg)
	{
		char *path = xasprintf("cgroups.%s", name);
		int rc = json_is_object(cg) ? params_resolve(config_cgroup_params, cg, file, path, err)
		                            : err_set(err, "%s: %s: expected an object", file, path);
		if (!rc && (!*name || strlen(name) > 64 || strpbrk(name, ". ,\"/")))
			rc = err_set(err,
			             "%s: %s: a group name is 1 to 64 characters, without '.', ',', "
			             "'/', '\"' or spaces",
			             file, path);
		free(path);
		if (rc)
			return rc;
	}
	if (json_object_size(cgs) && !strcmp(json_string_value(json_object_get(
	                                         json_object_get(root, "vm"), "scope")),
	                                     "local"))
		return err_set(err, "%s: cgroups: not with vm.scope \"local\" (each group has its "
		               "own LRU; local scope gives each process one)", file);
	return 0;
}

/* The compressibility keys of obj (a workload or one of its compression_regions), at path. */
static int check_compressibility(const json_t *obj, const char *file, const char *path,
                                 struct err *err)
{
	double r = params_get_real(obj, "compression_ratio");
	if (r != 0 && r < 1)
		return err_set(err,
		               "%s: %s.compression_ratio: expected 0 (the algorithm's) or a ratio "
		               ">= 1, got %g",
		               file, path, r);
	if (params_get_int(obj, "same_filled_percent") +
	        params_get_int(obj, "incompressible_percent") >
	    100)
		return err_set(err,
		               "%s: %s: same_filled_percent + incompressible_percent exceed 100",
		               file, path);
	return 0;
}

/* workload.compression_regions: a non-empty list of ranges (compression_region_params). */
static int resolve_compression_regions(json_t *w, const char *file, const char *path,
                                       struct err *err)
{
	json_t *list = json_object_get(w, "compression_regions");
	if (!list)
		return 0;
	char *lp = xasprintf("%s.compression_regions", path);
	int rc = 0;
	if (!json_is_array(list) || !json_array_size(list))
		rc = err_set(err, "%s: %s: expected a non-empty list of objects", file, lp);
	for (size_t i = 0; !rc && i < json_array_size(list); i++) {
		json_t *el = json_array_get(list, i);
		char *p = xasprintf("%s[%zu]", lp, i);
		rc = json_is_object(el) ? params_resolve(compression_region_params, el, file, p, err)
		                        : err_set(err, "%s: %s: expected an object", file, p);
		if (!rc)
			rc = check_compressibility(el, file, p, err);
		free(p);
	}
	free(lp);
	return rc;
}

/* A workload's cgroup and compressibility (workload_common_params), checked against the
 * config's groups. */
static int resolve_workload_offload(json_t *root, json_t *w, const char *file, const char *path,
                                    struct err *err)
{
	const char *cg = params_get_string(w, "cgroup");
	if (*cg && !json_object_get(json_object_get(root, "cgroups"), cg))
		return err_set(err, "%s: %s.cgroup: no group \"%s\" in cgroups", file, path, cg);
	int rc = check_compressibility(w, file, path, err);
	return rc ? rc : resolve_compression_regions(w, file, path, err);
}

static int resolve_offload(json_t *root, const char *file, struct err *err)
{
	int rc = resolve_cgroups(root, file, err);
	if (rc)
		return rc;
	if (params_get_bool(json_object_get(root, "zram"), "enabled") &&
	    params_get_bool(json_object_get(root, "zswap"), "enabled"))
		return err_set(err, "%s: zswap.enabled: not with zram.enabled (zram is the swap "
		               "device; zswap caches a disk swap device)", file);
	json_t *one = json_object_get(root, "workload"), *many = json_object_get(root, "workloads");
	if (one)
		return resolve_workload_offload(root, one, file, "workload", err);
	for (size_t i = 0; !rc && i < json_array_size(many); i++) {
		char *p = xasprintf("workloads[%zu]", i);
		rc = resolve_workload_offload(root, json_array_get(many, i), file, p, err);
		free(p);
	}
	return rc;
}

static int resolve_dynamic(json_t *root, const char *file, struct err *err)
{
	int irc = resolve_images(root, file, err);
	if (irc)
		return irc;
	json_t *one = json_object_get(root, "workload"), *many = json_object_get(root, "workloads");
	if (one && many)
		return err_set(err, "%s: workloads: give either workload or workloads, not both",
		               file);
	if (!one && !many)
		return err_set(err,
		               "%s: workload: missing (a config needs a workload object or a "
		               "workloads list)",
		               file);
	int rc = 0;
	if (one) {
		rc = resolve_workload(one, file, "workload", err);
	} else {
		if (!json_is_array(many) || json_array_size(many) == 0)
			return err_set(err,
			               "%s: workloads: expected a non-empty list of workload "
			               "objects",
			               file);
		size_t i;
		json_t *w;
		json_array_foreach(many, i, w)
		{
			char *p = xasprintf("workloads[%zu]", i);
			rc = resolve_workload(w, file, p, err);
			free(p);
			if (rc)
				return rc;
		}
	}
	if (!rc)
		rc = resolve_offload(root, file, err);
	if (rc)
		return rc;

	json_t *vm = json_object_get(root, "vm");
	const char *pname = json_string_value(json_object_get(vm, "policy"));
	const struct policy_ops *pol = policy_find(pname);
	if (!pol) {
		const char *names[128];
		size_t n = MIN(policy_table_len, ARRAY_SIZE(names));
		for (size_t i = 0; i < n; i++)
			names[i] = policy_table[i]->name;
		const char *near = params_closest(pname, names, n);
		return err_set(
		    err, "%s: vm.policy: unknown policy \"%s\"%s%s%s (see `vmsim policies`)", file,
		    pname, near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "");
	}
	return params_resolve(pol->params, json_object_get(vm, "policy_params"), file,
	                      "vm.policy_params", err);
}

static int resolve_all(json_t *root, const char *file, struct err *err)
{
	/* Disk devices take their unset keys from their type's preset before checking. */
	json_t *disk = json_object_get(root, "disk");
	if (json_is_object(disk)) {
		int rc = disk_params_expand(disk, file, "disk", err);
		if (rc)
			return rc;
	}
	int rc = params_resolve(config_top_params, root, file, "", err);
	if (!rc)
		rc = numa_params_resolve(root, file, err);
	if (rc)
		return rc;
	static const char *const folio_keys[] = {"file_folio_pages", "file_folio_max_pages"};
	const json_t *jv = json_object_get(root, "vm");
	for (int i = 0; i < 2; i++)
		if (params_get_int(jv, folio_keys[i]) & (params_get_int(jv, folio_keys[i]) - 1))
			return err_set(err, "%s: vm.%s: expected a power of two, got %lld", file,
			               folio_keys[i], (long long)params_get_int(jv, folio_keys[i]));
	return resolve_dynamic(root, file, err);
}

/* A run name is one folder under results/: a path or a step up would write elsewhere. */
static bool config_name_ok(const char *name)
{
	return !strchr(name, '/') && strcmp(name, ".") != 0 && strcmp(name, "..") != 0;
}

static int finish_load(struct config *c, json_t *root, const char *file,
                       const struct config_override *sets, size_t nr_sets, struct err *err)
{
	json_t *raw = nr_sets ? json_deep_copy(root) : NULL; /* what the files wrote */
	int rc = resolve_all(root, file, err);
	if (!rc && nr_sets) {
		rc = config_set_apply(root, raw, sets, nr_sets, err);
		if (!rc) {
			/* Checked again so that a bad override is named as such. */
			char *label = xasprintf("%s (with --set)", file);
			rc = resolve_all(root, label, err);
			free(label);
		}
	}
	json_decref(raw);
	if (rc) {
		json_decref(root);
		return rc;
	}
	const char *name = json_string_value(json_object_get(root, "name"));
	if (name && *name && !config_name_ok(name)) {
		rc = err_set(err,
		             "%s: name: expected a folder name (no '/', not \".\" or \"..\": "
		             "results/NAME must stay in results/), got \"%s\"",
		             file, name);
		json_decref(root);
		return rc;
	}
	c->root = root;
	c->file = xstrdup(file);
	c->base_dir = path_dir(file);
	if (name && *name) {
		c->name = xstrdup(name);
	} else {
		char *copy = xstrdup(file);
		char *b = basename(copy);
		char *dot = strrchr(b, '.');
		if (dot && dot != b)
			*dot = '\0';
		c->name = config_name_ok(b) ? xstrdup(b) : xstrdup("run"); /* "..json" */
		free(copy);
	}
	return 0;
}

int config_load(struct config *c, const char *path, const struct config_override *sets,
                size_t nr_sets, bool has_seed, uint64_t seed, struct err *err)
{
	memset(c, 0, sizeof(*c));
	int rc = 0;
	json_t *root = load_json_file(path, 0, err, &rc);
	if (!root)
		return rc;
	if (has_seed) {
		if (seed > (uint64_t)INT64_MAX) {
			json_decref(root);
			return err_set(err, "--seed: expected an integer in [0, 2^63), got %llu",
			               (unsigned long long)seed);
		}
		json_object_set_new(root, "seed", json_integer((json_int_t)seed));
	}
	return finish_load(c, root, path, sets, nr_sets, err);
}

int config_load_string(struct config *c, const char *text, const char *file,
                       const struct config_override *sets, size_t nr_sets, struct err *err)
{
	memset(c, 0, sizeof(*c));
	json_error_t jerr;
	json_t *root = json_loads(text, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return err_set(err, "%s:%d:%d: malformed JSON: %s", file, jerr.line, jerr.column,
		               jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return err_set(err, "%s: expected a JSON object at the top level", file);
	}
	if (json_object_get(root, "extends")) {
		json_decref(root);
		return err_set(err, "%s: extends: not supported for in-memory configs", file);
	}
	return finish_load(c, root, file, sets, nr_sets, err);
}

void config_fini(struct config *c)
{
	json_decref(c->root);
	free(c->file);
	free(c->base_dir);
	free(c->name);
	memset(c, 0, sizeof(*c));
}

int config_write(const struct config *c, FILE *out)
{
	if (json_dumpf(c->root, out, JSON_INDENT(2) | JSON_SORT_KEYS) < 0)
		return -VMSIM_EIO;
	fputc('\n', out);
	return 0;
}

void config_write_docs(FILE *out)
{
	fprintf(out, "# vmsim configuration keys\n\n"
	             "Generated by `vmsim help config` from the key tables in the code; a test "
	             "keeps this file in step.\nEvery key has a default; a config names only what "
	             "it changes. Unknown keys are errors.\n`\"extends\": \"other.json\"` merges "
	             "this file over another (paths relative to the including file).\n\n"
	             "## Core\n\n");
	params_write_markdown(out, config_top_params, "");
	params_write_markdown(out, config_image_params, "images.NAME");
	params_write_markdown(out, config_cgroup_params, "cgroups.NAME");
	params_write_markdown(out, numa_node_params, "memory.nodes[]");
	fprintf(out, "\n## Workload objects (`workload`, `workloads[]`)\n\nEvery workload "
	             "object takes:\n\n");
	params_write_markdown(out, workload_common_params, "workload");
	params_write_markdown(out, compression_region_params, "workload.compression_regions[]");
	for (size_t i = 0; i < workload_table_len; i++) {
		const struct workload_ops *w = workload_table[i];
		fprintf(out, "\n### type `%s`\n\n%s\n\n", w->name, w->description);
		params_write_markdown(out, w->params, "workload");
	}
	fprintf(out, "\n## Policy parameters (`vm.policy_params`)\n");
	for (size_t i = 0; i < policy_table_len; i++) {
		const struct policy_ops *p = policy_table[i];
		fprintf(out, "\n### policy `%s`\n\n%s\n\n", p->name, p->description);
		if (p->params && p->params[0].key)
			params_write_markdown(out, p->params, "vm.policy_params");
		else
			fprintf(out, "No parameters.\n");
	}
}
