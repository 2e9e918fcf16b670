/*
 * sim.c — a simulation's setup from the resolved config (sim.h), its teardown, and sim_run.
 * The config's JSON is read here and nowhere else in the engine: every value the run needs is
 * copied into C structs (struct sim, struct vm_config, the program images, the machine model's
 * and the workloads' own configs) before the first event.
 */
#include "sim/engine/engine.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "models/hw/numa.h"
#include "sim/base/rng.h"
#include "workloads/trace_format.h"

/* The config's program images (images.*), in the order of the JSON object, each library named
 * by an image resolved to its index. Names point into the config (borrowed). */
static void images_from_json(struct sim *s, const json_t *images)
{
	s->nr_images = (uint32_t)json_object_size(images);
	s->images = xcalloc(s->nr_images ? s->nr_images : 1, sizeof(*s->images));
	uint32_t i = 0;
	const char *name;
	const json_t *img;
	json_object_foreach((json_t *)images, name, img)
	{
		struct vm_image *v = &s->images[i++];
		v->name = name;
		v->text_pages = (uint64_t)params_get_int(img, "text_pages");
		v->data_pages = (uint64_t)params_get_int(img, "data_pages");
		v->data_tail_bytes = (uint64_t)params_get_int(img, "data_tail_bytes");
		v->bss_pages = (uint64_t)params_get_int(img, "bss_pages");
		v->heap_pages = (uint64_t)params_get_int(img, "heap_pages");
		v->stack_pages = (uint64_t)params_get_int(img, "stack_pages");
		v->text_base = (uint64_t)params_get_int(img, "text_base");
		v->lib_base = (uint64_t)params_get_int(img, "lib_base");
		v->stack_top = (uint64_t)params_get_int(img, "stack_top");
		const json_t *libs = json_object_get(img, "libs");
		v->nr_libs = (uint32_t)json_array_size(libs);
		const char **names = xcalloc(v->nr_libs + 1, sizeof(*names));
		int *index = xcalloc(v->nr_libs + 1, sizeof(*index));
		for (uint32_t k = 0; k < v->nr_libs; k++)
			names[k] = json_string_value(json_array_get(libs, k));
		v->libs = names;
		v->lib_image = index;
	}
	/* Libraries that are images: by index (once every image has one). */
	for (i = 0; i < s->nr_images; i++)
		for (uint32_t k = 0; k < s->images[i].nr_libs; k++) {
			int *index = (int *)s->images[i].lib_image;
			index[k] = -1;
			for (uint32_t j = 0; j < s->nr_images; j++)
				if (!strcmp(s->images[j].name, s->images[i].libs[k]))
					index[k] = (int)j;
		}
}

static void images_free(struct sim *s)
{
	for (uint32_t i = 0; i < s->nr_images; i++) {
		free((void *)s->images[i].libs);
		free((void *)s->images[i].lib_image);
	}
	free(s->images);
}

/* -1 ("max") as no limit. */
static uint64_t limit_pages(const json_t *cg, const char *key)
{
	int64_t v = params_get_int(cg, key);
	return v < 0 ? MEMCG_NO_LIMIT : (uint64_t)v;
}

/* obj's compression_ratio to 3 decimals: no float past setup. */
static uint32_t ratio_milli(const json_t *obj)
{
	return (uint32_t)(params_get_real(obj, "compression_ratio") * 1000 + 0.5);
}

/* A workload's compression_regions (absent: none) into c (an array it owns). */
static void zcomp_regions_from_json(struct zcomp_class *c, const json_t *list)
{
	c->nr_regions = (uint32_t)json_array_size(list);
	if (!c->nr_regions)
		return;
	struct zcomp_region *r = xcalloc(c->nr_regions, sizeof(*r));
	for (uint32_t i = 0; i < c->nr_regions; i++) {
		const json_t *el = json_array_get(list, i);
		r[i] = (struct zcomp_region){
		    .addr = (uint64_t)params_get_int(el, "addr"),
		    .bytes = (uint64_t)params_get_int(el, "bytes"),
		    .ratio_milli = ratio_milli(el),
		    .same_filled_percent = (uint32_t)params_get_int(el, "same_filled_percent"),
		    .incompressible_percent = (uint32_t)params_get_int(el, "incompressible_percent"),
		};
	}
	c->regions = r;
}

/* cgroups, zswap, zram and each workload's cgroup and compressibility, into vc (the names
 * borrowed from the config). */
static void offload_config_from_json(struct sim *s, struct vm_config *vc)
{
	const json_t *root = s->cfg->root, *cgs = json_object_get(root, "cgroups");
	vc->nr_memcgs = (uint32_t)json_object_size(cgs);
	s->memcgs = xcalloc(vc->nr_memcgs + 1, sizeof(*s->memcgs));
	uint32_t i = 0;
	const char *name;
	const json_t *cg;
	json_object_foreach((json_t *)cgs, name, cg)
	{
		s->memcgs[i++] = (struct memcg_config){
		    .name = name,
		    .max_pages = limit_pages(cg, "memory_max_pages"),
		    .high_pages = limit_pages(cg, "memory_high_pages"),
		    .low_pages = limit_pages(cg, "memory_low_pages"),
		    .min_pages = limit_pages(cg, "memory_min_pages"),
		    .swap_max_pages = limit_pages(cg, "swap_max_pages"),
		};
	}
	vc->memcgs = s->memcgs;
	const json_t *zr = json_object_get(root, "zram"), *zs = json_object_get(root, "zswap");
	vc->zram = (struct zram_config){
	    .enabled = params_get_bool(zr, "enabled"),
	    .alg = zcomp_find(params_get_string(zr, "algorithm")),
	    .huge_class_bytes = (uint32_t)params_get_int(zr, "huge_class_bytes"),
	    .backing_device = params_get_bool(zr, "backing_device"),
	};
	vc->zswap = (struct zswap_config){
	    .enabled = params_get_bool(zs, "enabled"),
	    .alg = zcomp_find(params_get_string(zs, "algorithm")),
	    .max_pool_percent = (uint32_t)params_get_int(zs, "max_pool_percent"),
	    .accept_threshold_percent = (uint32_t)params_get_int(zs, "accept_threshold_percent"),
	};
	const json_t *one = json_object_get(root, "workload"),
	             *many = json_object_get(root, "workloads");
	uint32_t n = one ? 1 : (uint32_t)json_array_size(many);
	s->zclasses = xcalloc(n, sizeof(*s->zclasses));
	s->nr_zclasses = n;
	s->wl_memcg = xcalloc(n, sizeof(*s->wl_memcg));
	for (uint32_t w = 0; w < n; w++) {
		const json_t *obj = one ? one : json_array_get(many, w);
		s->zclasses[w] = (struct zcomp_class){
		    .ratio_milli = ratio_milli(obj),
		    .same_filled_percent = (uint32_t)params_get_int(obj, "same_filled_percent"),
		    .incompressible_percent =
		        (uint32_t)params_get_int(obj, "incompressible_percent"),
		};
		zcomp_regions_from_json(&s->zclasses[w], json_object_get(obj, "compression_regions"));
		const char *g = params_get_string(obj, "cgroup");
		for (uint32_t k = 0; *g && k < vc->nr_memcgs; k++)
			if (!strcmp(s->memcgs[k].name, g))
				s->wl_memcg[w] = (uint16_t)(k + 1);
	}
	vc->zclasses = s->zclasses;
	vc->nr_zclasses = n;
}

/* vm.mthp: each size's mode, by folio order (16kB is order 2, each key doubles). */
static void mthp_config_from_json(const json_t *jmthp, struct vm_config *vc)
{
	static const char *const modes[] = {"never", "always", "madvise", "inherit"};
	for (unsigned o = MTHP_MIN_ORDER; o <= MTHP_MAX_ORDER; o++) {
		const char *v = params_get_string(jmthp, mthp_params[o - MTHP_MIN_ORDER].key);
		for (uint8_t m = 0; m < 4; m++)
			if (!strcmp(v, modes[m]))
				vc->mthp[o] = m;
		if (vc->mthp[o] != MTHP_NEVER)
			vc->mthp_orders |= 1u << o;
	}
}

/* The VM layer's config (vm.*, memory.*, walker.levels, the seed's policy stream, the images):
 * < 0 with err filled when the policy and the scope disagree. */
static int vm_config_from_json(struct sim *s, struct vm_config *vc, struct err *err)
{
	const struct config *cfg = s->cfg;
	const json_t *root = cfg->root, *jmem = json_object_get(root, "memory"),
	             *jvm = json_object_get(root, "vm");
	bool local = strcmp(params_get_string(jvm, "scope"), "local") == 0;
	*vc = (struct vm_config){
	    .nr_frames = (uint64_t)params_get_int(jmem, "frames"),
	    .page_size = (uint64_t)params_get_int(jmem, "page_size"),
	    .swap_pages = (uint64_t)params_get_int(jmem, "swap_pages"),
	    .pt_levels = (int)params_get_int(json_object_get(root, "walker"), "levels"),
	    .zero_page = params_get_bool(jvm, "zero_page"),
	    .thp_zero_page = params_get_bool(jvm, "thp_zero_page"),
	    .page_tables_in_frames = params_get_bool(jmem, "page_tables_in_frames"),
	    .fault_around_pages = (uint32_t)params_get_int(jvm, "fault_around_pages"),
	    .readahead_pages = (uint32_t)params_get_int(jvm, "readahead_pages"),
	    .mmap_ra_linux = strcmp(params_get_string(jvm, "mmap_readahead"), "linux") == 0,
	    .dirty_background_ratio = (uint32_t)params_get_int(jvm, "dirty_background_ratio"),
	    .dirty_ratio = (uint32_t)params_get_int(jvm, "dirty_ratio"),
	    .file_folio_pages = (uint32_t)params_get_int(jvm, "file_folio_pages"),
	    .file_folio_max_pages = (uint32_t)params_get_int(jvm, "file_folio_max_pages"),
	    .policy = policy_find(params_get_string(jvm, "policy")),
	    .policy_params = json_object_get(jvm, "policy_params"),
	    .seed = rng_derive_seed((uint64_t)params_get_int(root, "seed"), RNG_STREAM_POLICY),
	};
	BUG_ON(!vc->policy, "resolved config names an unknown policy");
	if ((vc->policy->flags & POLICY_LOCAL_ONLY) && !local)
		return err_set(err,
		               "%s: vm.policy: %s is a local policy (each process's working set "
		               "in its own virtual time); set vm.scope to \"local\"",
		               cfg->file, vc->policy->name);
	/* Local allocation: vm.local_frames, by default an equal share per initial process. */
	json_t *many = json_object_get(root, "workloads");
	uint64_t nr_initial = json_object_get(root, "workload") ? 1 : MAX(json_array_size(many), 1);
	vc->local_scope = local;
	vc->local_frames = (uint64_t)params_get_int(jvm, "local_frames");
	if (!vc->local_frames)
		vc->local_frames = MAX(vc->nr_frames / nr_initial, 1);
	vc->watermark = strcmp(params_get_string(jvm, "reclaim"), "watermark") == 0;
	vc->wmark_low_frames =
	    vc->nr_frames * (uint64_t)params_get_int(jvm, "watermark_low_pct") / 100;
	vc->wmark_high_frames =
	    vc->nr_frames * (uint64_t)params_get_int(jvm, "watermark_high_pct") / 100;
	const char *thp = params_get_string(jvm, "thp");
	vc->thp = !strcmp(thp, "always")    ? THP_ALWAYS
	          : !strcmp(thp, "madvise") ? THP_MADVISE
	                                    : THP_NEVER;
	mthp_config_from_json(json_object_get(jvm, "mthp"), vc);
	vc->images = s->images;
	vc->nr_images = s->nr_images;
	offload_config_from_json(s, vc);
	return 0;
}

/* Absurd sizes are bad input, found before anything is allocated: the frame table and the swap
 * slot arrays alone must fit in the host's physical memory. */
static int check_host_memory(const struct config *cfg, const struct vm_config *vc, struct err *err)
{
	long host_pages = sysconf(_SC_PHYS_PAGES), host_page = sysconf(_SC_PAGESIZE);
	if (host_pages > 0 && host_page > 0) {
		const struct vm *v = NULL;
		unsigned __int128 need =
		    (unsigned __int128)vc->nr_frames * sizeof(struct page) +
		    (unsigned __int128)vc->swap_pages * (sizeof(*v->swap) + sizeof(*v->swap_used));
		unsigned __int128 have = (unsigned __int128)host_pages * (uint64_t)host_page;
		if (need > have)
			return err_set(
			    err,
			    "%s: memory.frames: %" PRIu64 " frames and memory.swap_pages: "
			    "%" PRIu64 " slots need %" PRIu64 " MiB for the frame and swap "
			    "tables alone, more than this host's %" PRIu64 " MiB of "
			    "physical memory",
			    cfg->file, vc->nr_frames, vc->swap_pages, (uint64_t)(need >> 20),
			    (uint64_t)(have >> 20));
	}
	return 0;
}

/* The config's one trace workload object, reading path as vmb instead (new), or NULL when
 * the config has no such workload (then the host option changes nothing). */
static json_t *trace_from_object(const json_t *root, const char *path)
{
	const json_t *one = json_object_get(root, "workload");
	if (!one || strcmp(params_get_string(one, "type"), "trace"))
		return NULL;
	json_t *obj = json_deep_copy(one);
	json_object_set_new(obj, "path", json_string(path));
	json_object_set_new(obj, "format", json_string("vmb"));
	return obj;
}

/* memory.nodes for the VM: frames, names, the CPUs' nodes, and from each node every node by
 * distance (ties: the lower index first). */
static void vm_nodes_from_numa(struct vm_config *vc, const struct numa_config *nc,
                               uint32_t nr_cpus)
{
	vc->nr_nodes = nc->nr_nodes;
	memcpy(vc->cpu_node, nc->cpu_node, sizeof(vc->cpu_node));
	for (uint32_t i = 0; i < nc->nr_nodes; i++) {
		vc->node_frames[i] = nc->node[i].nr_frames;
		snprintf(vc->node_name[i], sizeof(vc->node_name[i]), "%s", nc->node[i].name);
		uint8_t *order = vc->node_order[i];
		for (uint32_t k = 0; k < nc->nr_nodes; k++) {
			uint32_t j = k;
			for (; j > 0 && nc->distance[i][order[j - 1]] > nc->distance[i][k]; j--)
				order[j] = order[j - 1];
			order[j] = (uint8_t)k;
		}
	}
	numa_tier_ranks(nc, nr_cpus, vc->node_tier);
	/* Each node's demotion targets: the lower tiers' nodes, the next tier first, nearest
	 * first within a tier (ties: the lower index). */
	for (uint32_t i = 0; i < nc->nr_nodes; i++) {
		uint8_t *d = vc->node_demote[i], nr = 0;
		for (uint32_t t = vc->node_tier[i] + 1u; t < VM_MAX_NODES; t++)
			for (uint32_t k = 0; k < nc->nr_nodes; k++)
				if (vc->node_tier[vc->node_order[i][k]] == t)
					d[nr++] = vc->node_order[i][k];
		vc->node_nr_demote[i] = nr;
	}
}

/* vm.tiering: with memory.nodes, global scope and no cgroups. */
static int tiering_from_json(const struct sim *s, struct vm_config *vc, bool nodes, struct err *err)
{
	const json_t *jt = json_object_get(json_object_get(s->cfg->root, "vm"), "tiering");
	vc->tier_demotion = params_get_bool(jt, "demotion");
	const char *promo = params_get_string(jt, "promotion");
	vc->tier_promotion = !strcmp(promo, "linux") ? PROMOTE_LINUX
	                     : !strcmp(promo, "tpp")    ? PROMOTE_TPP
	                     : !strcmp(promo, "oracle") ? PROMOTE_ORACLE
	                                                : PROMOTE_NONE;
	vc->numa_scan_pages = ((uint64_t)params_get_int(jt, "scan_size_mb") << 20) / vc->page_size;
	vc->hot_threshold_ps = (uint64_t)params_get_int(jt, "hot_threshold_ps");
	vc->promo_rate_limit_pages =
	    MAX(((uint64_t)params_get_int(jt, "promotion_rate_limit_mbps") << 20) / vc->page_size, 1);
	for (uint32_t n = 0; n < vc->nr_nodes; n++)
		vc->tpp_headroom_frames[n] =
		    vc->node_frames[n] * (uint64_t)params_get_int(jt, "tpp_headroom_pct") / 100;
	const char *key = vc->tier_demotion ? "demotion" : "promotion";
	if (!vc->tier_demotion && vc->tier_promotion == PROMOTE_NONE)
		return 0;
	const char *why = !nodes ? "needs memory.nodes"
	                  : vc->local_scope ? "needs vm.scope \"global\" (per-node LRUs)"
	                  : vc->nr_memcgs  ? "is not modelled with cgroups"
	                  : vc->tier_promotion != PROMOTE_NONE && !vc->watermark
	                      ? "promotion needs vm.reclaim \"watermark\" (kswapd makes room for it)"
	                      : NULL;
	if (why)
		return err_set(err, "%s: vm.tiering.%s: %s", s->cfg->file, key, why);
	return 0;
}

/* A workload's mempolicy and mempolicy_nodes (names of memory.nodes): its first process's
 * set_mempolicy. */
static int workload_mempolicy(struct sim *s, const json_t *obj, const char *path,
                              struct mm_struct *mm, struct err *err)
{
	const json_t *jm = json_object_get(obj, "mempolicy");
	const json_t *names = json_object_get(obj, "mempolicy_nodes");
	unsigned mode = 0;
	while (jm && mode + 1 < MPOL_MODE_COUNT &&
	       strcmp(trace_mpol_mode_name(mode), json_string_value(jm)))
		mode++;
	if (names && !json_is_array(names))
		return err_set(err, "%s: %s.mempolicy_nodes: expected a list of node names",
		               s->cfg->file, path);
	uint64_t mask = 0;
	size_t k;
	const json_t *n;
	json_array_foreach(names, k, n)
	{
		uint32_t i = 0;
		while (i < s->vm.cfg.nr_nodes && json_is_string(n) &&
		       strcmp(s->vm.cfg.node_name[i], json_string_value(n)))
			i++;
		if (i == s->vm.cfg.nr_nodes || !json_is_string(n))
			return err_set(err, "%s: %s.mempolicy_nodes[%zu]: expected a name of memory.nodes",
			               s->cfg->file, path, k);
		mask |= 1ull << i;
	}
	if (mode == MPOL_DEFAULT && !mask)
		return 0;
	if (vm_set_mempolicy(&s->vm, mm, mode, mask))
		return err_set(err,
		               "%s: %s.mempolicy: \"%s\" %s (and memory.nodes)", s->cfg->file, path,
		               trace_mpol_mode_name(mode),
		               mode == MPOL_DEFAULT || mode == MPOL_LOCAL
		                   ? "takes no mempolicy_nodes"
		                   : "needs mempolicy_nodes");
	return 0;
}

static int open_workloads(struct sim *s, struct err *err)
{
	json_t *root = s->cfg->root;
	json_t *one = json_object_get(root, "workload");
	json_t *many = json_object_get(root, "workloads");
	s->nr_wls = one ? 1 : (uint32_t)json_array_size(many);
	s->wls = xcalloc(s->nr_wls, sizeof(*s->wls));
	s->wl_ops = xcalloc(s->nr_wls, sizeof(*s->wl_ops));
	uint64_t seed = (uint64_t)params_get_int(root, "seed");
	for (uint32_t i = 0; i < s->nr_wls; i++) {
		json_t *obj = s->trace_from ? s->trace_from : one ? one : json_array_get(many, i);
		char *path = one ? xstrdup("workload") : xasprintf("workloads[%u]", i);
		const struct workload_ops *ops = workload_find(params_get_string(obj, "type"));
		struct workload_env env = {
		    .config_file = s->cfg->file,
		    .config_path = path,
		    .base_dir = s->cfg->base_dir,
		    .seed = rng_derive_seed(seed, RNG_STREAM_WORKLOAD + i),
		    .page_size = s->vm.cfg.page_size,
		};
		int rc = ops->open(&s->wls[i], obj, &env, err);
		if (!rc)
			s->wl_ops[i] = ops; /* sim_fini closes it, even if the future fails below */
		if (!rc && ((s->vm.cfg.policy->flags & POLICY_NEEDS_FUTURE) ||
		            s->vm.cfg.tier_promotion == PROMOTE_ORACLE))
			rc = future_build(&s->future, i, ops, obj, &env, s->vm.cfg.page_size,
			                  s->cfg->file, err);
		if (rc) {
			free(path);
			return rc;
		}
		struct task *t = task_new(s, i, ops->initial_pid(s->wls[i]), NULL);
		t->mm = vm_mm_create(&s->vm, task_mm_id(s, t));
		task_mm_attach(s, t);
		rc = workload_mempolicy(s, obj, path, t->mm, err);
		free(path);
		if (rc)
			return rc;
		eventq_schedule(&s->eq, &t->wake_ev, (simtime_t)params_get_int(obj, "start_ps"));
	}
	return 0;
}

/* The engine's own values (sim.*, stats.interval_ps, cpus), read once. */
static void engine_config_from_json(struct sim *s)
{
	const json_t *root = s->cfg->root, *jsim = json_object_get(root, "sim");
	s->timing_on = params_get_bool(jsim, "timing");
	s->untimed_access_ps = (simtime_t)params_get_int(jsim, "untimed_access_ps");
	s->quantum_ps = (simtime_t)params_get_int(jsim, "quantum_ps");
	s->context_switch_ps = (simtime_t)params_get_int(jsim, "context_switch_ps");
	s->max_time_ps = (simtime_t)params_get_int(jsim, "max_time_ps");
	s->syscall_ps = (simtime_t)params_get_int(jsim, "syscall_ps");
	s->fork_pte_ps = (simtime_t)params_get_int(jsim, "fork_pte_ps");
	s->interval_ps = (simtime_t)params_get_int(json_object_get(root, "stats"), "interval_ps");
	s->nr_cpus = (uint32_t)params_get_int(root, "cpus");
}

/* The CPUs, idle, and the engine's own events. */
static void cpus_init(struct sim *s)
{
	s->cpus = xcalloc(s->nr_cpus, sizeof(*s->cpus));
	for (uint32_t i = 0; i < s->nr_cpus; i++) {
		s->cpus[i].id = i;
		s->cpus[i].sim = s;
		s->cpus[i].idle = true;
		event_init(&s->cpus[i].run_ev, cpu_run_event, &s->cpus[i], EVPRIO_CPU);
	}
	event_init(&s->sample_ev, sample_event, s, EVPRIO_SAMPLE);
	event_init(&s->kswapd_ev, kswapd_event, s, EVPRIO_BG);
	event_init(&s->writeback_ev, writeback_event, s, EVPRIO_IO);
	event_init(&s->numa_scan_ev, numa_scan_event, s, EVPRIO_BG);
}

int sim_init(struct sim *s, struct config *cfg, struct err *err)
{
	return sim_init_host(s, cfg, NULL, err);
}

int sim_init_host(struct sim *s, struct config *cfg, const struct sim_host *host, struct err *err)
{
	memset(s, 0, sizeof(*s));
	future_init(&s->future, host ? &host->future : NULL);
	if (host && host->trace_from)
		s->trace_from = trace_from_object(cfg->root, host->trace_from);
	s->cfg = cfg;
	s->err = err;
	const json_t *jvm = json_object_get(cfg->root, "vm");
	int64_t low_pct = params_get_int(jvm, "watermark_low_pct");
	int64_t high_pct = params_get_int(jvm, "watermark_high_pct");
	if (low_pct > high_pct)
		return err_set(err,
		               "%s: vm.watermark_low_pct: expected at most "
		               "vm.watermark_high_pct (%lld), got %lld",
		               cfg->file, (long long)high_pct, (long long)low_pct);
	engine_config_from_json(s);
	images_from_json(s, json_object_get(cfg->root, "images"));
	struct vm_config vc;
	struct numa_config nc;
	numa_config_from_json(&nc, cfg->root);
	int rc = vm_config_from_json(s, &vc, err);
	if (nc.configured)
		vm_nodes_from_numa(&vc, &nc, s->nr_cpus);
	if (!rc)
		rc = tiering_from_json(s, &vc, nc.configured, err);
	if (!rc)
		rc = check_host_memory(cfg, &vc, err);
	if (rc)
		return rc;
	eventq_init(&s->eq);
	bug_set_clock(&s->eq.now_ps);
	hist_init(&s->lat_access);
	hist_init(&s->lat_fault);
	for (unsigned i = 0; i < NR_FAULT_KIND_HISTS; i++)
		hist_init(&s->lat_fault_kind[i]);
	hist_init(&s->lat_request);
	rc = vm_init(&s->vm, &vc, err);
	if (rc)
		return rc;
	s->footprint_on = params_get_bool(json_object_get(cfg->root, "stats"), "footprint");
	psi_init(&s->psi,
	         params_get_bool(json_object_get(cfg->root, "stats"), "psi") || vc.nr_memcgs ||
	             vc.zram.enabled || vc.zswap.enabled,
	         vc.nr_memcgs);
	rc = timing_init(&s->timing, cfg->root, cfg->file, s->nr_cpus, vc.nr_frames, vc.page_size,
	                 &nc, err);
	if (rc)
		return rc;
	s->timing.tiering = vc.tier_demotion || vc.tier_promotion != PROMOTE_NONE;
	sim_disk_io_init(s);
	if (vc.tier_promotion != PROMOTE_NONE)
		s->numa_scan_period_ps = (simtime_t)params_get_int(
		    json_object_get(json_object_get(cfg->root, "vm"), "tiering"), "scan_period_ps");
	cpus_init(s);
	rc = open_workloads(s, err);
	if (!rc)
		rc = sim_check_file_device(s);
	if (!rc)
		senpai_init(s);
	return rc;
}

void sim_fini(struct sim *s)
{
	/* First: pending events live inside the tasks and CPUs freed below. */
	eventq_fini(&s->eq);
	/* (each address space once, by the task that stands for it: threads share one) */
	for (uint32_t i = 0; i < s->nr_tasks; i++) {
		struct task *t = s->tasks[i];
		if (task_mm_owner(t)) {
			struct fault_work w;
			fault_work_reset(&w);
			vm_mm_destroy(&s->vm, t->mm, &w);
		}
	}
	for (uint32_t i = 0; i < s->nr_tasks; i++) {
		struct task *t = s->tasks[i];
		free(t->batch);
		if (t->footprint)
			vm_mm_footprint_free(t->footprint);
		free(t->footprint);
		future_cursor_fini(&t->fc);
		free(t);
	}
	free(s->tasks);
	free(s->task_hash);
	for (uint32_t i = 0; i < s->nr_wls; i++)
		if (s->wls[i])
			s->wl_ops[i]->close(s->wls[i]);
	free(s->wls);
	free(s->wl_ops);
	free(s->cpus);
	future_fini(&s->future);
	psi_fini(&s->psi);
	senpai_fini(s);
	json_decref(s->trace_from); /* (NULL-safe) */
	images_free(s);
	free(s->memcgs);
	for (uint32_t i = 0; s->zclasses && i < s->nr_zclasses; i++)
		free((void *)s->zclasses[i].regions);
	free(s->zclasses);
	free(s->wl_memcg);
	if (s->timing.hw)
		timing_fini(&s->timing);
	if (s->vm.pages)
		vm_fini(&s->vm);
	hist_fini(&s->lat_access);
	hist_fini(&s->lat_fault);
	for (unsigned i = 0; i < NR_FAULT_KIND_HISTS; i++)
		hist_fini(&s->lat_fault_kind[i]);
	hist_fini(&s->lat_request);
	bug_set_clock(NULL);
}

int sim_run(struct sim *s)
{
	if (s->timeseries)
		fprintf(s->timeseries,
		        "time_ps,accesses,faults,faults_major,evictions,swap_out,"
		        "swap_in,frames_used,rss_pages,swap_used_pages,processes_live");
	if (s->timeseries) {
		write_offload_header(s);
		fputc('\n', s->timeseries);
	}
	eventq_schedule(&s->eq, &s->sample_ev, 0);
	if (s->numa_scan_period_ps)
		eventq_schedule(&s->eq, &s->numa_scan_ev, s->numa_scan_period_ps);
	while (eventq_run_one(&s->eq, SIMTIME_MAX)) {
		if (s->failed || s->interrupted || s->hit_max_time)
			break;
		if (s->stop_flag && *s->stop_flag) {
			s->interrupted = true;
			break;
		}
	}
	/* The run ends when its last operation does (a pending statistics sample is not part
	 * of the workload). */
	simtime_t end = 0;
	for (uint32_t i = 0; i < s->nr_cpus; i++)
		end = MAX(end, s->cpus[i].clock_ps);
	for (uint32_t i = 0; i < s->nr_tasks; i++)
		end = MAX(end, s->tasks[i]->end_ps);
	if (s->max_time_ps && end > s->max_time_ps)
		end = s->max_time_ps;
	s->end_ps = end;
	char what[96];
	snprintf(what, sizeof(what), "the run ends at %llu ps,", (unsigned long long)end);
	if (sim_clock_overflow(s, end, what))
		return s->failed;
	if (end > s->last_sample_ps || end == 0)
		write_sample(s, end);
	psi_advance(&s->psi, end);
	if (s->check_every)
		sim_check(s);
	return s->failed;
}
