/*
 * sim.c — the run loop, processes, CPUs and statistics of sim.h.
 */
#include "sim/engine/sim.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/base/rng.h"

static void cpu_run_event(struct event *ev, void *ctx);
static void task_wake_event(struct event *ev, void *ctx);

/* ---- the OPT future ---------------------------------------------------------------------- */

/*
 * OPT reads the future: the page of every later access of the process. It is built by reading
 * the workload's stream once more (streams are deterministic) and linking each access to the
 * next access of the same page, through an open-addressing table of the last access per page.
 * Exact for one process; a workload that forks is rejected, since the global order of several
 * processes' references depends on the simulation itself.
 */
static int future_build(struct sim *s, const struct workload_ops *ops, const json_t *obj,
                        const struct workload_env *env, struct err *err)
{
	struct workload *w;
	int rc = ops->open(&w, obj, env, err);
	if (rc)
		return rc;
	uint32_t pid = ops->initial_pid(w);
	uint64_t cap = 1u << 16, n = 0;
	uint64_t *pages = xmalloc(cap * sizeof(*pages));
	struct op op;
	while ((rc = ops->next(w, pid, &op, err)) == 1) {
		if (op.kind == OP_FORK) {
			rc = err_set(err,
			             "%s: vm.policy: opt reads the future of one process, but this "
			             "workload forks (process %u forks %" PRIu64 ")",
			             s->cfg->file, pid, op.arg);
			break;
		}
		if (op.kind != OP_READ && op.kind != OP_WRITE && op.kind != OP_EXEC)
			continue;
		if (n == cap) {
			cap *= 2;
			pages = xrealloc(pages, cap * sizeof(*pages));
		}
		pages[n++] = op.addr / s->vm.cfg.page_size;
	}
	ops->close(w);
	if (rc < 0) {
		free(pages);
		return rc;
	}
	/* Walk backwards: next_use[i] = the index of the next access of pages[i]. */
	uint64_t tcap = 1024;
	while (tcap < 2 * n + 2)
		tcap *= 2;
	uint64_t *tkey = xmalloc(tcap * sizeof(*tkey)), *tval = xmalloc(tcap * sizeof(*tval));
	memset(tkey, 0xff, tcap * sizeof(*tkey));
	uint64_t *next = xmalloc((n ? n : 1) * sizeof(*next));
	for (uint64_t i = n; i-- > 0;) {
		uint64_t h = mix64(pages[i]) & (tcap - 1);
		while (tkey[h] != UINT64_MAX && tkey[h] != pages[i])
			h = (h + 1) & (tcap - 1);
		next[i] = tkey[h] == UINT64_MAX ? NEXT_USE_NEVER : tval[h];
		tkey[h] = pages[i];
		tval[h] = i;
	}
	free(tkey);
	free(tval);
	free(pages);
	s->future.next_use = next;
	s->future.len = n;
	return 0;
}

static inline uint64_t future_next_use(const struct sim *s, const struct task *t)
{
	if (t->access_idx >= s->future.len) /* (len is 0 without a future) */
		return NEXT_USE_NEVER;
	return s->future.next_use[t->access_idx];
}

/* ---- processes --------------------------------------------------------------------------- */

/* The id the VM layer knows the address space of t (just created, the last task) by: its pid
 * for one workload; with several, each workload numbers its pids from 1, so the creation
 * order makes them unique (the VM keys pages by it: equal ids mixed two processes' pages). */
static uint32_t mm_id(const struct sim *s, const struct task *t)
{
	BUG_ON(s->tasks[s->nr_tasks - 1] != t, "mm_id of a task other than the newest");
	return s->nr_wls > 1 ? s->nr_tasks : t->pid;
}

/* Operations a task reads ahead through next_batch: one indirect call per this many. */
#define TASK_BATCH_OPS 64
/* How many ops ahead of the running one a batch's access has its PTE prefetched. */
#define TASK_PREFETCH_OPS 8
/* ... and the struct page or swap slot its PTE names, this many ahead. */
#define TASK_PREFETCH2_OPS 3

static struct task *task_new(struct sim *s, uint32_t wl_index, uint32_t pid, struct task *parent)
{
	struct task *t = xcalloc(1, sizeof(*t));
	t->pid = pid;
	t->wl_index = wl_index;
	t->parent = parent;
	t->sim = s;
	t->state = TASK_NEW;
	event_init(&t->wake_ev, task_wake_event, t, EVPRIO_WAKE);
	if (s->wl_ops[wl_index]->next_batch)
		t->batch = xmalloc(TASK_BATCH_OPS * sizeof(*t->batch));
	if (s->nr_tasks == s->cap_tasks) {
		s->cap_tasks = s->cap_tasks ? s->cap_tasks * 2 : 16;
		s->tasks = xrealloc(s->tasks, sizeof(*s->tasks) * s->cap_tasks);
	}
	s->tasks[s->nr_tasks++] = t;
	s->c.processes_created++;
	return t;
}

static void rq_push(struct sim *s, struct task *t)
{
	t->rq_next = NULL;
	if (s->rq_tail)
		s->rq_tail->rq_next = t;
	else
		s->rq_head = t;
	s->rq_tail = t;
}

static struct task *rq_pop(struct sim *s)
{
	struct task *t = s->rq_head;
	if (t) {
		s->rq_head = t->rq_next;
		if (!s->rq_head)
			s->rq_tail = NULL;
	}
	return t;
}

/* A runnable task exists: wake the first idle CPU at the current event time. */
static void kick_idle_cpu(struct sim *s)
{
	for (uint32_t i = 0; i < s->nr_cpus; i++) {
		struct cpu *c = &s->cpus[i];
		if (c->idle && !event_scheduled(&c->run_ev)) {
			c->idle = false;
			eventq_schedule(&s->eq, &c->run_ev, s->eq.now_ps);
			return;
		}
	}
}

static void task_wake_event(struct event *ev, void *ctx)
{
	struct task *t = ctx;
	struct sim *s = t->sim;
	if (t->state == TASK_NEW)
		t->start_ps = s->eq.now_ps;
	t->state = TASK_RUNNABLE;
	rq_push(s, t);
	kick_idle_cpu(s);
}

static struct mm_struct **live_mms(struct sim *s, size_t *n)
{
	struct mm_struct **mms = xmalloc(sizeof(*mms) * (s->nr_tasks ? s->nr_tasks : 1));
	*n = 0;
	for (uint32_t i = 0; i < s->nr_tasks; i++)
		if (s->tasks[i]->mm)
			mms[(*n)++] = s->tasks[i]->mm;
	return mms;
}

static void run_check(struct sim *s)
{
	size_t n;
	struct mm_struct **mms = live_mms(s, &n);
	vm_check(&s->vm, mms, n);
	free(mms);
}

static void task_exit(struct sim *s, struct cpu *cpu, struct task *t, enum task_exit why)
{
	struct fault_work w;
	fault_work_reset(&w);
	if (t->mm) {
		timing_flush_asid(&s->timing, t->mm->asid);
		vm_mm_destroy(&s->vm, t->mm, &w);
		t->mm = NULL;
	}
	t->state = TASK_DEAD;
	t->exit_reason = why;
	t->end_ps = cpu->clock_ps;
	t->has_op = false;
	s->c.exits++;
	if (why == EXIT_SEGV)
		s->c.segv++;
	else if (why == EXIT_OOM)
		s->c.oom++;
	else if (why == EXIT_ERROR)
		s->c.op_errors++;
	for (uint32_t i = 0; i < s->nr_tasks; i++)
		if (s->tasks[i]->parent == t)
			s->tasks[i]->parent = NULL; /* orphans are reaped by nobody */
	struct task *p = t->parent;
	if (p) {
		p->live_children--;
		if (p->waiting && (p->wait_pid == 0 || p->wait_pid == t->pid)) {
			p->waiting = false;
			eventq_schedule(&s->eq, &p->wake_ev, cpu->clock_ps);
		}
	}
	if (s->check_every)
		run_check(s);
}

/* ---- costing ----------------------------------------------------------------------------- */

static simtime_t syscall_cost(struct sim *s, struct cpu *cpu, const struct fault_work *w)
{
	if (!s->timing_on)
		return s->untimed_access_ps;
	struct timing_cost cost;
	timing_work(&s->timing, cpu->id, cpu->clock_ps, w, false, &cost);
	simtime_t base =
	    (simtime_t)params_get_int(json_object_get(s->cfg->root, "sim"), "syscall_ps");
	return base + cost.cpu_ps;
}

static void count_fault_kinds(struct task *t, const struct fault_work *w)
{
	t->st.demand_zero += !!(w->kinds & FK_DEMAND_ZERO);
	t->st.zero_page += !!(w->kinds & FK_ZERO_PAGE);
	t->st.cow += !!(w->kinds & FK_COW);
	t->st.cow_copies += !!(w->kinds & FK_COW_COPY);
	t->st.swap_in += !!(w->kinds & FK_SWAP_IN);
	t->st.swapcache += !!(w->kinds & FK_SWAPCACHE);
	t->st.file += !!(w->kinds & FK_FILE);
	t->st.file_major += !!(w->kinds & FK_FILE_READ);
	t->st.readahead_pages += w->readahead_pages;
	t->st.fault_around_pages += w->fault_around_pages;
	t->st.thp += !!(w->kinds & FK_THP);
}

/* Fault kinds with a latency histogram of their own: latency.fault.<name>.* */
static const struct {
	uint32_t bit;
	const char *name;
} fault_kind_hists[NR_FAULT_KIND_HISTS] = {
    {FK_DEMAND_ZERO, "demand_zero"},
    {FK_ZERO_PAGE, "zero_page"},
    {FK_COW, "cow"},
    {FK_SWAP_IN, "swap_in"},
    {FK_SWAPCACHE, "swapcache"},
    {FK_FILE, "file"},
    {FK_FILE_READ, "file_major"},
    {FK_THP, "thp"},
};

/* A fault of the given kinds completed after lat_ps: the access and fault histograms, the
 * histogram of each kind it was, and the process's fault time. */
static void record_fault(struct sim *s, struct task *t, uint32_t kinds, simtime_t lat_ps)
{
	hist_record(&s->lat_fault, lat_ps);
	hist_record(&s->lat_access, lat_ps);
	for (unsigned i = 0; i < NR_FAULT_KIND_HISTS; i++)
		if (kinds & fault_kind_hists[i].bit)
			hist_record(&s->lat_fault_kind[i], lat_ps);
	t->st.fault_time_ps += lat_ps;
}

/* ---- background reclaim ------------------------------------------------------------------ */

/*
 * kswapd (vm.reclaim = "watermark"): woken when an allocation leaves fewer free frames than the
 * low watermark, it runs as an EVPRIO_BG event at the time of that fault, on no CPU (its own
 * CPU time is not modelled). It evicts victims until free frames plus frames under writeback
 * reach the high watermark; a victim's swap write goes to the disk at once and its frame is
 * free when the write completes (writeback_ev). Nobody waits for these writes.
 */
static void writeback_event(struct event *ev, void *ctx)
{
	struct sim *s = ctx;
	uint64_t next = vm_writeback_complete(&s->vm, s->eq.now_ps);
	if (next != UINT64_MAX)
		eventq_schedule(&s->eq, ev, next);
}

static void kswapd_event(struct event *ev, void *ctx)
{
	UNUSED(ev);
	struct sim *s = ctx;
	simtime_t now = s->eq.now_ps;
	struct fault_work w;
	pfn_t wb;
	s->vm.cur_cpu_mask = 0; /* every CPU holding a victim's translation is remote */
	while (vm_kswapd_evict_one(&s->vm, &w, &wb)) {
		simtime_t done = s->timing_on ? timing_background_work(&s->timing, now, &w) : now;
		if (wb != PFN_NONE)
			vm_writeback_start(&s->vm, wb, done);
	}
	uint64_t next = vm_writeback_complete(&s->vm, now);
	eventq_cancel(&s->eq, &s->writeback_ev);
	if (next != UINT64_MAX)
		eventq_schedule(&s->eq, &s->writeback_ev, next);
}

/* An allocation fell below the low watermark during the operation that began at start_ps. */
static void kswapd_wake(struct sim *s, simtime_t start_ps)
{
	s->vm.kswapd_wanted = false;
	if (event_scheduled(&s->kswapd_ev))
		return;
	s->vm.st.kswapd_wakeups++;
	eventq_schedule(&s->eq, &s->kswapd_ev, MAX(start_ps, s->eq.now_ps));
}

/* ---- executing operations ---------------------------------------------------------------- */

enum run_result { RUN_AGAIN, RUN_BLOCKED, RUN_DEAD, RUN_FAILED };

/* The rest of an access that did not hit: a segfault or out-of-memory ends the process; a
 * fault is counted, costed, and may block the process on its disk reads. Out of line, so
 * that the hit path inlined in the run loop stays short. */
static __attribute__((noinline)) enum run_result access_not_hit(struct sim *s, struct cpu *cpu,
                                                                struct task *t,
                                                                enum access_status st, int kind,
                                                                struct fault_work *w)
{
	if (st == ACCESS_SEGV || st == ACCESS_OOM) {
		task_exit(s, cpu, t, st == ACCESS_SEGV ? EXIT_SEGV : EXIT_OOM);
		return RUN_DEAD;
	}
	s->c.faults++;
	t->st.faults++;
	if (w->major) {
		s->c.faults_major++;
		t->st.major++;
	} else {
		s->c.faults_minor++;
		t->st.minor++;
	}
	count_fault_kinds(t, w);
	simtime_t start = cpu->clock_ps;
	if (!s->timing_on) {
		cpu->clock_ps += s->untimed_access_ps;
		record_fault(s, t, w->kinds, s->untimed_access_ps);
		t->has_op = false;
		return RUN_AGAIN;
	}
	simtime_t lat =
	    timing_access(&s->timing, cpu->id, cpu->clock_ps, t->mm, t->op->addr, kind, true);
	struct timing_cost cost;
	timing_work(&s->timing, cpu->id, cpu->clock_ps + lat, w, true, &cost);
	cpu->clock_ps += lat + cost.cpu_ps;
	/* Pages this fault started reading are usable when its reads complete; another fault
	 * that finds them earlier waits (w->wait_until_ps). */
	for (uint32_t i = 0; i < MIN(w->nr_read_pfns, (uint32_t)FAULT_MAX_READ_PFNS); i++)
		s->vm.pages[w->read_pfns[i]].ready_ps = cost.block_until_ps;
	if (w->wait_until_ps > cost.block_until_ps)
		cost.block_until_ps = w->wait_until_ps;
	if (cost.block_until_ps > cpu->clock_ps) {
		t->op_start_ps = start;
		t->op_fault_kinds = w->kinds;
		t->op_io_done = true;
		t->state = TASK_BLOCKED;
		eventq_schedule(&s->eq, &t->wake_ev, cost.block_until_ps);
		return RUN_BLOCKED;
	}
	record_fault(s, t, w->kinds, cpu->clock_ps - start);
	t->has_op = false;
	return RUN_AGAIN;
}

static inline __attribute__((always_inline)) enum run_result
do_access(struct sim *s, struct cpu *cpu, struct task *t)
{
	int kind = t->op->kind == OP_READ ? 0 : t->op->kind == OP_WRITE ? 1 : 2;
	if (unlikely(t->op_io_done)) {
		/* The fault's disk read completed while the process was blocked. */
		record_fault(s, t, t->op_fault_kinds, cpu->clock_ps - t->op_start_ps);
		t->op_io_done = false;
		t->has_op = false;
		return RUN_AGAIN;
	}
	struct fault_work w;
	uint64_t next_use = future_next_use(s, t);
	s->vm.now_ps = cpu->clock_ps;
	enum access_status st = vm_access(&s->vm, t->mm, t->op->addr, kind, next_use, &w);
	t->access_idx++;
	t->st.accesses++;
	s->c.accesses++;
	if (unlikely(st != ACCESS_HIT))
		return access_not_hit(s, cpu, t, st, kind, &w);
	simtime_t lat = s->timing_on ? timing_access(&s->timing, cpu->id, cpu->clock_ps, t->mm,
	                                             t->op->addr, kind, false)
	                             : s->untimed_access_ps;
	cpu->clock_ps += lat;
	hist_record(&s->lat_access, lat);
	t->has_op = false;
	return RUN_AGAIN;
}

static uint32_t prot_to_vm_flags(uint8_t prot)
{
	return ((prot & PROT_R) ? VM_READ : 0) | ((prot & PROT_W) ? VM_WRITE : 0) |
	       ((prot & PROT_X) ? VM_EXEC : 0);
}

static struct task *find_child(struct sim *s, struct task *parent, uint32_t pid)
{
	for (uint32_t i = 0; i < s->nr_tasks; i++) {
		struct task *c = s->tasks[i];
		if (c->parent == parent && c->pid == pid && c->wl_index == parent->wl_index)
			return c;
	}
	return NULL;
}

/* ---- exec -------------------------------------------------------------------------------- */

static char *image_file_name(const char *image, const char *section)
{
	return xasprintf("%s.%s", image, section);
}

/* Declare the files of every image of the config ("<image>.text", "<image>.data"). */
static void images_declare_files(struct sim *s)
{
	const json_t *images = json_object_get(s->cfg->root, "images");
	uint64_t ps = s->vm.cfg.page_size;
	const char *name;
	const json_t *img;
	json_object_foreach((json_t *)images, name, img)
	{
		char *text = image_file_name(name, "text"), *data = image_file_name(name, "data");
		vm_file_declare(&s->vm, text, (uint64_t)params_get_int(img, "text_pages") * ps);
		vm_file_declare(&s->vm, data,
		                (uint64_t)params_get_int(img, "data_pages") * ps +
		                    (uint64_t)params_get_int(img, "data_tail_bytes"));
		free(text);
		free(data);
	}
}

/* Map text, data and bss of image name at base; returns the end of the bss, 0 on failure. */
static uint64_t exec_map_sections(struct sim *s, struct mm_struct *mm, const char *name,
                                  const json_t *img, uint64_t base, struct fault_work *w)
{
	uint64_t ps = s->vm.cfg.page_size;
	uint64_t text = (uint64_t)params_get_int(img, "text_pages") * ps;
	uint64_t data = (uint64_t)params_get_int(img, "data_pages") * ps +
	                (uint64_t)params_get_int(img, "data_tail_bytes");
	data = (data + ps - 1) & ~(ps - 1);
	uint64_t bss = (uint64_t)params_get_int(img, "bss_pages") * ps;
	char *ftext = image_file_name(name, "text"), *fdata = image_file_name(name, "data");
	int rc = 0;
	if (text)
		rc |= vm_mmap_file(&s->vm, mm, base, text, VM_READ | VM_EXEC,
		                   (uint32_t)vm_file_find(&s->vm, ftext), 0, w);
	if (data)
		rc |= vm_mmap_file(&s->vm, mm, base + text, data, VM_READ | VM_WRITE,
		                   (uint32_t)vm_file_find(&s->vm, fdata), 0, w);
	if (bss)
		rc |= vm_mmap_anon(&s->vm, mm, base + text + data, bss, VM_READ | VM_WRITE, w);
	free(ftext);
	free(fdata);
	return rc ? 0 : base + text + data + bss;
}

/*
 * execve: a new address space with the layout of image name (see images.* in docs/config.md);
 * the old one is released. Returns the address exec's padzero writes (the first byte after
 * the data section's file part when it ends inside a page), 0 when there is none, or -1 when
 * the image is unknown or does not fit.
 */
static int64_t do_execve(struct sim *s, struct cpu *cpu, struct task *t, const char *name,
                         struct fault_work *w)
{
	const json_t *img = json_object_get(json_object_get(s->cfg->root, "images"), name);
	if (!img)
		return -1;
	uint64_t ps = s->vm.cfg.page_size;
	struct mm_struct *mm = vm_mm_create(&s->vm, t->pid);
	uint64_t base = (uint64_t)params_get_int(img, "text_base");
	uint64_t end = exec_map_sections(s, mm, name, img, base, w);
	uint64_t heap = (uint64_t)params_get_int(img, "heap_pages") * ps;
	uint64_t stack = (uint64_t)params_get_int(img, "stack_pages") * ps;
	uint64_t top = (uint64_t)params_get_int(img, "stack_top");
	bool ok = end != 0;
	if (ok && heap)
		ok = !vm_mmap_anon(&s->vm, mm, end, heap, VM_READ | VM_WRITE, w);
	if (ok && stack)
		ok = stack <= top &&
		     !vm_mmap_anon(&s->vm, mm, top - stack, stack, VM_READ | VM_WRITE, w);
	uint64_t lib = (uint64_t)params_get_int(img, "lib_base");
	const json_t *libs = json_object_get(img, "libs");
	for (size_t i = 0; ok && i < json_array_size(libs); i++) {
		const char *ln = json_string_value(json_array_get(libs, i));
		const json_t *limg = json_object_get(json_object_get(s->cfg->root, "images"), ln);
		if (limg) {
			lib = exec_map_sections(s, mm, ln, limg, lib, w);
			ok = lib != 0;
			continue;
		}
		int f = vm_file_find(&s->vm, ln);
		uint64_t size = f < 0 ? 0 : (s->vm.fm.files[f].size_bytes + ps - 1) & ~(ps - 1);
		ok = size &&
		     !vm_mmap_file(&s->vm, mm, lib, size, VM_READ | VM_EXEC, (uint32_t)f, 0, w);
		lib += size;
	}
	if (!ok) {
		vm_mm_destroy(&s->vm, mm, w);
		return -1;
	}
	timing_flush_asid(&s->timing, t->mm->asid);
	vm_mm_destroy(&s->vm, t->mm, w);
	t->mm = mm;
	mm->cpu_mask |= 1ull << (cpu->id & 63);
	if (s->timing_on)
		timing_context_switch(&s->timing, cpu->id, cpu->last_asid, mm->asid);
	cpu->last_asid = mm->asid;
	uint64_t tail = (uint64_t)params_get_int(img, "data_tail_bytes");
	if (!tail)
		return 0;
	return (int64_t)(base + (uint64_t)params_get_int(img, "text_pages") * ps +
	                 (uint64_t)params_get_int(img, "data_pages") * ps + tail);
}

/* Operations other than accesses and compute: system calls (out of line). */
static __attribute__((noinline)) enum run_result do_syscall(struct sim *s, struct cpu *cpu,
                                                            struct task *t)
{
	struct op *op = t->op;
	struct fault_work w;
	fault_work_reset(&w);
	switch (op->kind) {
	case OP_MMAP: {
		uint32_t flags = prot_to_vm_flags(op->prot) |
		                 ((op->flags & MAPF_SHARED) ? VM_SHARED : 0) |
		                 ((op->flags & MAPF_HUGE) ? VM_HUGEPAGE : 0);
		int rc;
		if (op->flags & MAPF_FILE) {
			int file = vm_file_find(&s->vm, op->name);
			rc = file < 0 ? -1
			              : vm_mmap_file(&s->vm, t->mm, op->addr, op->len, flags,
			                             (uint32_t)file, op->offset, &w);
		} else {
			rc = vm_mmap_anon(&s->vm, t->mm, op->addr, op->len, flags, &w);
		}
		if (rc) {
			task_exit(s, cpu, t, EXIT_ERROR);
			return RUN_DEAD;
		}
		cpu->clock_ps += syscall_cost(s, cpu, &w);
		break;
	}
	case OP_MUNMAP:
		if (vm_munmap(&s->vm, t->mm, op->addr, op->len, &w)) {
			task_exit(s, cpu, t, EXIT_ERROR);
			return RUN_DEAD;
		}
		cpu->clock_ps += syscall_cost(s, cpu, &w);
		break;
	case OP_MPROTECT:
		if (vm_mprotect(&s->vm, t->mm, op->addr, op->len, prot_to_vm_flags(op->prot), &w)) {
			task_exit(s, cpu, t, EXIT_ERROR);
			return RUN_DEAD;
		}
		cpu->clock_ps += syscall_cost(s, cpu, &w);
		break;
	case OP_MSYNC: {
		if (vm_msync(&s->vm, t->mm, op->addr, op->len, &w)) {
			task_exit(s, cpu, t, EXIT_ERROR);
			return RUN_DEAD;
		}
		if (!s->timing_on) {
			cpu->clock_ps += s->untimed_access_ps;
			break;
		}
		/* MS_SYNC: the process waits for its writes. */
		struct timing_cost cost;
		timing_work(&s->timing, cpu->id, cpu->clock_ps, &w, false, &cost);
		cpu->clock_ps +=
		    (simtime_t)params_get_int(json_object_get(s->cfg->root, "sim"), "syscall_ps") +
		    cost.cpu_ps;
		if (cost.block_until_ps > cpu->clock_ps) {
			t->has_op = false;
			t->state = TASK_BLOCKED;
			eventq_schedule(&s->eq, &t->wake_ev, cost.block_until_ps);
			return RUN_BLOCKED;
		}
		break;
	}
	case OP_MADVISE:
		if (op->arg == ADV_HUGEPAGE || op->arg == ADV_NOHUGEPAGE) {
			if (vm_madvise_huge(&s->vm, t->mm, op->addr, op->len,
			                    op->arg == ADV_HUGEPAGE)) {
				task_exit(s, cpu, t, EXIT_ERROR);
				return RUN_DEAD;
			}
			cpu->clock_ps += syscall_cost(s, cpu, &w);
			break;
		}
		cpu->clock_ps += s->timing_on ? 0 : s->untimed_access_ps;
		break;
	case OP_FILE:
		vm_file_declare(&s->vm, op->name, op->len);
		cpu->clock_ps += s->timing_on ? 0 : s->untimed_access_ps;
		break;
	case OP_FORK: {
		struct task *c = task_new(s, t->wl_index, (uint32_t)op->arg, t);
		c->mm = vm_fork(&s->vm, t->mm, mm_id(s, c), &w);
		t->live_children++;
		s->c.forks++;
		simtime_t cost = syscall_cost(s, cpu, &w);
		if (s->timing_on)
			cost += w.ptes_copied *
			        (simtime_t)params_get_int(json_object_get(s->cfg->root, "sim"),
			                                  "fork_pte_ps");
		cpu->clock_ps += cost;
		eventq_schedule(&s->eq, &c->wake_ev, cpu->clock_ps);
		break;
	}
	case OP_WAIT: {
		cpu->clock_ps += syscall_cost(s, cpu, &w);
		bool any_live = op->arg == 0 ? t->live_children > 0 : false;
		if (op->arg) {
			struct task *c = find_child(s, t, (uint32_t)op->arg);
			any_live = c && c->state != TASK_DEAD;
		}
		t->has_op = false;
		if (!any_live)
			return RUN_AGAIN; /* ECHILD or already exited: wait returns at once */
		t->waiting = true;
		t->wait_pid = (uint32_t)op->arg;
		t->state = TASK_BLOCKED;
		return RUN_BLOCKED;
	}
	case OP_MARK:
		/* A request boundary: costs nothing, times the request. */
		if (op->flags & MARK_BEGIN) {
			t->mark_open = true;
			t->mark_id = op->arg;
			t->mark_begin_ps = cpu->clock_ps;
		} else if ((op->flags & MARK_END) && t->mark_open && t->mark_id == op->arg) {
			t->mark_open = false;
			hist_record(&s->lat_request, cpu->clock_ps - t->mark_begin_ps);
			t->st.requests++;
		}
		break;
	case OP_EXECVE: {
		int64_t pad = do_execve(s, cpu, t, op->name, &w);
		if (pad < 0) {
			task_exit(s, cpu, t, EXIT_ERROR); /* an image the config does not define */
			return RUN_DEAD;
		}
		cpu->clock_ps += syscall_cost(s, cpu, &w);
		if (pad > 0) {
			/* padzero: exec clears the rest of the data section's last file page, a
			 * write to user memory that the process's next step performs (and that
			 * faults: do_cow_fault). */
			op->kind = OP_WRITE;
			op->addr = (uint64_t)pad;
			return RUN_AGAIN;
		}
		break;
	}
	case OP_EXIT:
		cpu->clock_ps += syscall_cost(s, cpu, &w);
		task_exit(s, cpu, t, EXIT_NORMAL);
		return RUN_DEAD;
	default:
		BUG_ON(1, "unknown operation kind %u", op->kind);
	}
	t->has_op = false;
	return RUN_AGAIN;
}

static inline __attribute__((always_inline)) enum run_result do_op(struct sim *s, struct cpu *cpu,
                                                                   struct task *t)
{
	struct op *op = t->op;
	/* Accesses first: they need no zeroed fault_work here (vm_access fills its own). */
	if (likely(op->kind <= OP_EXEC))
		return do_access(s, cpu, t);
	if (op->kind == OP_COMPUTE) {
		simtime_t ps = (simtime_t)op->arg * PS_PER_NS;
		cpu->clock_ps += ps;
		s->timing.tb.compute_ps += ps;
		t->has_op = false;
		return RUN_AGAIN;
	}
	return do_syscall(s, cpu, t);
}

/*
 * How far a CPU may run inline: up to the next event, or just past it when that event is
 * another CPU resuming or something ordered after CPUs at the same instant (sampling). So a
 * CPU never yields to an event that would in turn let it run first again, and two CPUs at the
 * same clock do not yield to each other forever: events that must come first at an instant
 * (I/O completions, wake-ups) still stop it.
 */
static inline simtime_t cpu_run_limit(const struct sim *s)
{
	const struct event *head = eventq_peek(&s->eq);
	if (!head)
		return SIMTIME_MAX;
	return head->prio >= EVPRIO_CPU ? head->time_ps + 1 : head->time_ps;
}

/* Operations other than accesses and compute may schedule events (a child's start, a parent's
 * wake-up) that the running CPU must not run past. */
static inline bool op_may_schedule(const struct task *t)
{
	return t->op->kind > OP_EXEC && t->op->kind != OP_COMPUTE;
}

/* Prefetching from the batch costs ~50 instructions an access; it pays only when the simulated
 * state is larger than the host's caches: many frames (64 bytes of struct page each), or page
 * tables spanning a large range (4 KiB per table). Below that everything stays cached. Host
 * speed only: no effect on results. */
#define HOST_PREFETCH_MIN_FRAMES 16384
#define HOST_PREFETCH_MIN_TABLES 64
static inline bool host_prefetch_pays(const struct sim *s, const struct task *t)
{
	return s->vm.cfg.nr_frames >= HOST_PREFETCH_MIN_FRAMES ||
	       t->mm->pgd.nr_tables >= HOST_PREFETCH_MIN_TABLES;
}

/* The batch shows the future: as the op at pos starts, start the host cache miss on a later
 * access's PTE (one test when prefetching does not pay). Host speed only. */
static inline void task_prefetch(struct sim *s, struct task *t, uint32_t pos)
{
	if (t->prefetch_len) {
		if (pos + TASK_PREFETCH_OPS < t->prefetch_len &&
		    t->batch[pos + TASK_PREFETCH_OPS].kind <= OP_EXEC)
			vm_prefetch_access(t->mm, t->batch[pos + TASK_PREFETCH_OPS].addr);
		if (pos + TASK_PREFETCH2_OPS < t->prefetch_len &&
		    t->batch[pos + TASK_PREFETCH2_OPS].kind <= OP_EXEC)
			vm_prefetch_page(&s->vm, t->mm, t->batch[pos + TASK_PREFETCH2_OPS].addr);
	}
}

/* The task's next operation in t->op: from its read-ahead batch, refilled by one
 * next_batch call when empty, else by next(). Returns 1, 0 at the end, < 0 on error. */
static inline int task_fetch_op(struct sim *s, struct task *t, const struct workload_ops *ops,
                                struct workload *wl)
{
	if (!t->batch) {
		t->op = &t->op_buf;
		return ops->next(wl, t->pid, t->op, s->err);
	}
	if (t->batch_pos == t->batch_len) {
		int n = ops->next_batch(wl, t->pid, t->batch, TASK_BATCH_OPS, s->err);
		if (n <= 0)
			return n;
		BUG_ON(n > TASK_BATCH_OPS, "next_batch returned %d ops", n);
		t->batch_pos = 0;
		t->batch_len = (uint32_t)n;
		t->prefetch_len = host_prefetch_pays(s, t) ? t->batch_len : 0;
	}
	task_prefetch(s, t, t->batch_pos);
	t->op = &t->batch[t->batch_pos++]; /* run in place: no copy */
	return 1;
}

/*
 * A run of accesses that hit, straight from t's batch: run_task's common case without its
 * per-operation dispatch and checks. Each access does what task_fetch_op, do_op and
 * do_access do for it (the same state changes; only the order of independent counter
 * updates differs, and the counters nothing reads during the run are added once at its end).
 * The checks run_task makes after an operation are not needed between them: a hit allocates
 * no frame (so it never sets kswapd_wanted), never blocks or ends the task, and schedules no
 * event (the run limit stays). Stops, leaving it for run_task, at the first operation that
 * is not an access or would not hit (vm_access_hit_pte), at the end of the batch, or once
 * the clock reaches limit_ps. Preconditions (run_task checks them): a batch, no operation in
 * progress, no --check, no kswapd wake-up pending, and an access recorded in lat_access
 * before (its buckets allocated). timed (s->timing_on) and prefetch (t->prefetch_len != 0)
 * are constants in each instance.
 */
static inline __attribute__((always_inline)) void
run_hits_loop(struct sim *s, struct cpu *cpu, struct task *t, simtime_t limit_ps, const bool timed,
              const bool prefetch)
{
	struct mm_struct *mm = t->mm;
	struct op *batch = t->batch;
	uint32_t pos = t->batch_pos, end = t->batch_len;
	simtime_t clock = cpu->clock_ps;
	uint64_t access_idx = t->access_idx; /* (the OPT future's index) */
	while (clock < limit_ps && pos < end) {
		struct op *op = &batch[pos];
		_Static_assert(OP_READ == 0 && OP_WRITE == 1 && OP_EXEC == 2, "vm_access's kinds");
		int kind = op->kind; /* (the same numbers as vm_access's kinds) */
		if (kind > OP_EXEC)
			break;
		uint64_t vaddr = op->addr;
		pte_t *p = vm_access_hit_pte(mm, vaddr, kind);
		if (unlikely(!p))
			break;
		if (prefetch)
			task_prefetch(s, t, pos);
		pos++;
		uint64_t next_use =
		    access_idx < s->future.len ? s->future.next_use[access_idx] : NEXT_USE_NEVER;
		access_idx++;
		s->vm.now_ps = clock;
		s->vm.vtime++;
		mm->scope.vtime++;
		vm_access_hit(&s->vm, mm, p, vaddr, kind, next_use);
		/* (data and instruction accesses apart: each inlined lookup knows its probe list) */
		simtime_t lat = !timed ? s->untimed_access_ps
		                : likely(kind != 2)
		                    ? timing_access(&s->timing, cpu->id, clock, mm, vaddr, kind, false)
		                    : timing_access(&s->timing, cpu->id, clock, mm, vaddr, 2, false);
		clock += lat;
		hist_record_allocated(&s->lat_access, lat);
	}
	uint32_t n = pos - t->batch_pos;
	if (n)
		t->op = &batch[pos - 1];
	s->c.ops += n;
	s->c.accesses += n;
	t->st.accesses += n;
	t->access_idx = access_idx;
	t->batch_pos = pos;
	cpu->clock_ps = clock;
}

static __attribute__((noinline)) void run_hits(struct sim *s, struct cpu *cpu, struct task *t,
                                               simtime_t limit_ps)
{
	if (likely(s->timing_on)) {
		if (likely(!t->prefetch_len))
			run_hits_loop(s, cpu, t, limit_ps, true, false);
		else
			run_hits_loop(s, cpu, t, limit_ps, true, true);
	} else {
		if (likely(!t->prefetch_len))
			run_hits_loop(s, cpu, t, limit_ps, false, false);
		else
			run_hits_loop(s, cpu, t, limit_ps, false, true);
	}
}

/* Run cpu's current task until limit_ps or until it blocks or dies. */
static enum run_result run_task(struct sim *s, struct cpu *cpu, simtime_t limit_ps)
{
	struct task *t = cpu->cur;
	const struct workload_ops *ops = s->wl_ops[t->wl_index];
	struct workload *wl = s->wls[t->wl_index];
	/* (the stop flag is set up before the run starts; without one, a flag never raised) */
	volatile sig_atomic_t never = 0, *stop = s->stop_flag ? s->stop_flag : &never;
	while (cpu->clock_ps < limit_ps) {
		if (!t->has_op) {
			if (t->batch_pos < t->batch_len && likely(!s->check_every) &&
			    likely(!s->vm.kswapd_wanted) && likely(s->lat_access.buckets != NULL)) {
				run_hits(s, cpu, t, limit_ps);
				/* (the stop flag as if raised after the run) */
				if (unlikely(*stop))
					return RUN_AGAIN;
				if (cpu->clock_ps >= limit_ps)
					break;
			}
			int rc = task_fetch_op(s, t, ops, wl);
			if (rc < 0) {
				s->failed = rc;
				return RUN_FAILED;
			}
			if (rc == 0) {
				task_exit(s, cpu, t, EXIT_NORMAL);
				return RUN_DEAD;
			}
			t->has_op = true;
		}
		s->c.ops++;
		simtime_t op_start = cpu->clock_ps;
		bool is_access = t->op->kind <= OP_EXEC;
		enum run_result r = do_op(s, cpu, t);
		if (unlikely(s->vm.kswapd_wanted)) {
			kswapd_wake(s, op_start);
			limit_ps = MIN(limit_ps, cpu_run_limit(s));
		}
		if (unlikely(s->check_every) && ++s->ops_since_check >= s->check_every) {
			s->ops_since_check = 0;
			run_check(s);
		}
		if (r != RUN_AGAIN)
			return r;
		if (unlikely(*stop))
			return RUN_AGAIN;
		/* (an access leaves t->op as it was: only other operations may schedule) */
		if (unlikely(!is_access) && op_may_schedule(t))
			limit_ps = MIN(limit_ps, cpu_run_limit(s));
	}
	return RUN_AGAIN;
}

static void cpu_run_event(struct event *ev, void *ctx)
{
	struct cpu *cpu = ctx;
	struct sim *s = cpu->sim;
	if (cpu->clock_ps < s->eq.now_ps)
		cpu->clock_ps = s->eq.now_ps;
	for (;;) {
		if ((s->stop_flag && *s->stop_flag) || s->failed) {
			s->interrupted = s->stop_flag && *s->stop_flag;
			return;
		}
		if (s->max_time_ps && cpu->clock_ps >= s->max_time_ps) {
			s->hit_max_time = true;
			return;
		}
		if (!cpu->cur) {
			struct task *t = rq_pop(s);
			if (!t) {
				cpu->idle = true;
				return;
			}
			if (cpu->last_asid != t->mm->asid) {
				simtime_t cs =
				    s->timing_on
				        ? s->context_switch_ps +
				              timing_context_switch(&s->timing, cpu->id,
				                                    cpu->last_asid, t->mm->asid)
				        : 0;
				cpu->clock_ps += cs;
				s->timing.tb.switch_ps += cs;
				if (cpu->last_asid)
					s->c.context_switches++;
				cpu->last_asid = t->mm->asid;
			}
			cpu->cur = t;
			t->state = TASK_RUNNING;
			t->mm->cpu_mask |= 1ull << (cpu->id & 63);
			cpu->slice_end_ps = cpu->clock_ps + s->quantum_ps;
		}
		simtime_t limit = MIN(cpu->slice_end_ps, cpu_run_limit(s));
		if (s->max_time_ps)
			limit = MIN(limit, s->max_time_ps);
		s->vm.cur_cpu_mask = 1ull << (cpu->id & 63);
		enum run_result r = run_task(s, cpu, limit);
		if (r == RUN_FAILED)
			return;
		if (r == RUN_BLOCKED || r == RUN_DEAD) {
			cpu->cur = NULL;
		} else if (cpu->clock_ps >= cpu->slice_end_ps) {
			if (s->rq_head) {
				cpu->cur->state = TASK_RUNNABLE;
				rq_push(s, cpu->cur);
				cpu->cur = NULL;
			} else {
				cpu->slice_end_ps = cpu->clock_ps + s->quantum_ps;
			}
		}
		if (cpu->clock_ps >= cpu_run_limit(s)) {
			eventq_schedule(&s->eq, &cpu->run_ev, cpu->clock_ps);
			return;
		}
	}
}

/* ---- sampling ---------------------------------------------------------------------------- */

static uint32_t live_tasks(const struct sim *s)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < s->nr_tasks; i++)
		n += s->tasks[i]->state != TASK_DEAD;
	return n;
}

static void write_sample(struct sim *s, simtime_t t_ps)
{
	s->last_sample_ps = t_ps;
	if (!s->timeseries)
		return;
	uint64_t rss = 0;
	for (uint32_t i = 0; i < s->nr_tasks; i++)
		if (s->tasks[i]->mm)
			rss += s->tasks[i]->mm->rss_pages;
	const struct vm_stats *v = &s->vm.st;
	fprintf(s->timeseries,
	        "%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64
	        ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%u\n",
	        t_ps, s->c.accesses, s->c.faults, s->c.faults_major, v->evictions, v->swap_out,
	        v->faults_swap_in, vm_frames_used(&s->vm), rss, s->vm.nr_swap_used, live_tasks(s));
}

static void sample_event(struct event *ev, void *ctx)
{
	struct sim *s = ctx;
	if (!live_tasks(s))
		return; /* the run is over: sim_run writes the last row at its end time */
	write_sample(s, s->eq.now_ps);
	eventq_schedule(&s->eq, ev, s->eq.now_ps + s->interval_ps);
}

/* ---- setup and teardown ------------------------------------------------------------------ */

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
		json_t *obj = one ? one : json_array_get(many, i);
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
		if (!rc && (s->vm.cfg.policy->flags & POLICY_NEEDS_FUTURE)) {
			if (s->nr_wls > 1)
				rc = err_set(err,
				             "%s: vm.policy: opt reads the future of one process; "
				             "this config has %u workloads",
				             s->cfg->file, s->nr_wls);
			else
				rc = future_build(s, ops, obj, &env, err);
		}
		free(path);
		if (rc)
			return rc;
		struct task *t = task_new(s, i, ops->initial_pid(s->wls[i]), NULL);
		t->mm = vm_mm_create(&s->vm, mm_id(s, t));
		eventq_schedule(&s->eq, &t->wake_ev, (simtime_t)params_get_int(obj, "start_ps"));
	}
	return 0;
}

int sim_init(struct sim *s, struct config *cfg, struct err *err)
{
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->err = err;
	json_t *root = cfg->root;
	const json_t *jsim = json_object_get(root, "sim"), *jmem = json_object_get(root, "memory"),
	             *jvm = json_object_get(root, "vm");
	bool local = strcmp(params_get_string(jvm, "scope"), "local") == 0;
	bool watermark = strcmp(params_get_string(jvm, "reclaim"), "watermark") == 0;
	int64_t low_pct = params_get_int(jvm, "watermark_low_pct");
	int64_t high_pct = params_get_int(jvm, "watermark_high_pct");
	if (low_pct > high_pct)
		return err_set(err,
		               "%s: vm.watermark_low_pct: expected at most "
		               "vm.watermark_high_pct (%lld), got %lld",
		               cfg->file, (long long)high_pct, (long long)low_pct);
	s->timing_on = params_get_bool(jsim, "timing");
	s->untimed_access_ps = (simtime_t)params_get_int(jsim, "untimed_access_ps");
	s->quantum_ps = (simtime_t)params_get_int(jsim, "quantum_ps");
	s->context_switch_ps = (simtime_t)params_get_int(jsim, "context_switch_ps");
	s->max_time_ps = (simtime_t)params_get_int(jsim, "max_time_ps");
	s->interval_ps = (simtime_t)params_get_int(json_object_get(root, "stats"), "interval_ps");
	s->nr_cpus = (uint32_t)params_get_int(root, "cpus");

	struct vm_config vc = {
	    .nr_frames = (uint64_t)params_get_int(jmem, "frames"),
	    .page_size = (uint64_t)params_get_int(jmem, "page_size"),
	    .swap_pages = (uint64_t)params_get_int(jmem, "swap_pages"),
	    .pt_levels = (int)params_get_int(json_object_get(root, "walker"), "levels"),
	    .zero_page = params_get_bool(jvm, "zero_page"),
	    .page_tables_in_frames = params_get_bool(jmem, "page_tables_in_frames"),
	    .fault_around_pages = (uint32_t)params_get_int(jvm, "fault_around_pages"),
	    .readahead_pages = (uint32_t)params_get_int(jvm, "readahead_pages"),
	    .policy = policy_find(params_get_string(jvm, "policy")),
	    .policy_params = json_object_get(jvm, "policy_params"),
	    .seed = rng_derive_seed((uint64_t)params_get_int(root, "seed"), RNG_STREAM_POLICY),
	};
	BUG_ON(!vc.policy, "resolved config names an unknown policy");
	if ((vc.policy->flags & POLICY_LOCAL_ONLY) && !local)
		return err_set(err,
		               "%s: vm.policy: %s is a local policy (each process's working set "
		               "in its own virtual time); set vm.scope to \"local\"",
		               cfg->file, vc.policy->name);
	/* Local allocation: vm.local_frames, by default an equal share per initial process. */
	json_t *many = json_object_get(root, "workloads");
	uint64_t nr_initial = json_object_get(root, "workload") ? 1 : MAX(json_array_size(many), 1);
	vc.local_scope = local;
	vc.local_frames = (uint64_t)params_get_int(jvm, "local_frames");
	if (!vc.local_frames)
		vc.local_frames = MAX(vc.nr_frames / nr_initial, 1);
	vc.watermark = watermark;
	vc.wmark_low_frames = vc.nr_frames * (uint64_t)low_pct / 100;
	vc.wmark_high_frames = vc.nr_frames * (uint64_t)high_pct / 100;
	const char *thp = params_get_string(jvm, "thp");
	vc.thp = !strcmp(thp, "always")    ? THP_ALWAYS
	         : !strcmp(thp, "madvise") ? THP_MADVISE
	                                   : THP_NEVER;
	/* Absurd sizes are bad input, found before anything is allocated: the frame table and
	 * the swap slot arrays alone must fit in the host's physical memory. */
	long host_pages = sysconf(_SC_PHYS_PAGES), host_page = sysconf(_SC_PAGESIZE);
	if (host_pages > 0 && host_page > 0) {
		const struct vm *v = NULL;
		unsigned __int128 need =
		    (unsigned __int128)vc.nr_frames * sizeof(struct page) +
		    (unsigned __int128)vc.swap_pages * (sizeof(*v->swap) + sizeof(*v->swap_used));
		unsigned __int128 have = (unsigned __int128)host_pages * (uint64_t)host_page;
		if (need > have)
			return err_set(
			    err,
			    "%s: memory.frames: %" PRIu64 " frames and memory.swap_pages: "
			    "%" PRIu64 " slots need %" PRIu64 " MiB for the frame and swap "
			    "tables alone, more than this host's %" PRIu64 " MiB of "
			    "physical memory",
			    cfg->file, vc.nr_frames, vc.swap_pages, (uint64_t)(need >> 20),
			    (uint64_t)(have >> 20));
	}
	eventq_init(&s->eq);
	bug_set_clock(&s->eq.now_ps);
	hist_init(&s->lat_access);
	hist_init(&s->lat_fault);
	for (unsigned i = 0; i < NR_FAULT_KIND_HISTS; i++)
		hist_init(&s->lat_fault_kind[i]);
	hist_init(&s->lat_request);
	int rc = vm_init(&s->vm, &vc, err);
	if (rc)
		return rc;
	images_declare_files(s);
	rc = timing_init(&s->timing, root, cfg->file, s->nr_cpus, vc.nr_frames, vc.page_size, err);
	if (rc)
		return rc;
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
	return open_workloads(s, err);
}

void sim_fini(struct sim *s)
{
	/* First: pending events live inside the tasks and CPUs freed below. */
	eventq_fini(&s->eq);
	for (uint32_t i = 0; i < s->nr_tasks; i++) {
		struct task *t = s->tasks[i];
		if (t->mm) {
			struct fault_work w;
			fault_work_reset(&w);
			vm_mm_destroy(&s->vm, t->mm, &w);
		}
		free(t->batch);
		free(t);
	}
	free(s->tasks);
	for (uint32_t i = 0; i < s->nr_wls; i++)
		if (s->wls[i])
			s->wl_ops[i]->close(s->wls[i]);
	free(s->wls);
	free(s->wl_ops);
	free(s->cpus);
	free(s->future.next_use);
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
		        "swap_in,frames_used,rss_pages,swap_used_pages,processes_live\n");
	eventq_schedule(&s->eq, &s->sample_ev, 0);
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
	if (end > s->last_sample_ps || end == 0)
		write_sample(s, end);
	if (s->check_every)
		run_check(s);
	return s->failed;
}

/* ---- reporting --------------------------------------------------------------------------- */

static const char *exit_name(const struct task *t)
{
	if (t->state != TASK_DEAD)
		return "running";
	switch (t->exit_reason) {
	case EXIT_NORMAL:
		return "exited";
	case EXIT_SEGV:
		return "segfault";
	case EXIT_OOM:
		return "oom";
	case EXIT_ERROR:
		return "unsupported-operation";
	}
	return "?";
}

static json_t *task_json(const struct task *t)
{
	struct statsout o;
	statsout_init(&o);
	statsout_u64(&o, NULL, "pid", t->pid);
	statsout_u64(&o, NULL, "workload", t->wl_index);
	statsout_u64(&o, NULL, "parent", t->parent ? t->parent->pid : 0);
	statsout_str(&o, NULL, "status", exit_name(t));
	statsout_u64(&o, "sim", "accesses", t->st.accesses);
	statsout_u64(&o, "sim", "start_ps", t->start_ps);
	statsout_u64(&o, "sim", "end_ps", t->end_ps);
	statsout_u64(&o, "faults", "total", t->st.faults);
	statsout_u64(&o, "faults", "minor", t->st.minor);
	statsout_u64(&o, "faults", "major", t->st.major);
	statsout_u64(&o, "faults", "demand_zero", t->st.demand_zero);
	statsout_u64(&o, "faults", "zero_page", t->st.zero_page);
	statsout_u64(&o, "faults", "cow", t->st.cow);
	statsout_u64(&o, "faults", "cow_copies", t->st.cow_copies);
	statsout_u64(&o, "faults", "file", t->st.file);
	statsout_u64(&o, "faults", "file_major", t->st.file_major);
	statsout_u64(&o, "faults", "thp", t->st.thp);
	statsout_u64(&o, "faults", "swap_in", t->st.swap_in);
	statsout_u64(&o, "readahead", "pages", t->st.readahead_pages);
	statsout_u64(&o, "pagecache", "fault_around_pages", t->st.fault_around_pages);
	statsout_u64(&o, "faults", "swapcache", t->st.swapcache);
	statsout_u64(&o, "faults", "time_ps", t->st.fault_time_ps);
	statsout_u64(&o, "sim", "requests", t->st.requests);
	json_t *j = json_incref(o.obj);
	statsout_fini(&o);
	return j;
}

void sim_write_stats(struct sim *s, FILE *out)
{
	struct statsout o;
	statsout_init(&o);
	const struct vm_stats *v = &s->vm.st;
	statsout_u64(&o, "sim", "time_ps", s->end_ps);
	statsout_u64(&o, "sim", "accesses", s->c.accesses);
	statsout_u64(&o, "sim", "operations", s->c.ops);
	statsout_u64(&o, "sim", "processes", s->c.processes_created);
	statsout_u64(&o, "sim", "forks", s->c.forks);
	statsout_u64(&o, "sim", "exits", s->c.exits);
	statsout_u64(&o, "sim", "segfaults", s->c.segv);
	statsout_u64(&o, "sim", "oom_kills", s->c.oom);
	statsout_u64(&o, "sim", "unsupported_operations", s->c.op_errors);
	statsout_u64(&o, "sim", "context_switches", s->c.context_switches);
	statsout_u64(&o, "sim", "complete", !(s->interrupted || s->hit_max_time));
	statsout_u64(&o, "faults", "total", s->c.faults);
	statsout_u64(&o, "faults", "minor", s->c.faults_minor);
	statsout_u64(&o, "faults", "major", s->c.faults_major);
	statsout_u64(&o, "faults", "demand_zero", v->faults_demand_zero);
	statsout_u64(&o, "faults", "zero_page", v->faults_zero_page);
	statsout_u64(&o, "faults", "cow", v->faults_cow);
	statsout_u64(&o, "faults", "cow_copies", v->faults_cow_copies);
	statsout_u64(&o, "faults", "file", v->faults_file);
	statsout_u64(&o, "faults", "file_major", v->faults_file_major);
	statsout_u64(&o, "faults", "swap_in", v->faults_swap_in);
	statsout_u64(&o, "faults", "swapcache", v->faults_swapcache);
	statsout_u64(&o, "reclaim", "evictions", v->evictions);
	statsout_u64(&o, "reclaim", "swap_out", v->swap_out);
	statsout_u64(&o, "reclaim", "clean_drops", v->swap_out_clean_drops);
	statsout_u64(&o, "reclaim", "writeback", v->writeback);
	statsout_u64(&o, "reclaim", "file_drops", v->file_drops);
	statsout_u64(&o, "readahead", "pages", v->readahead_pages);
	statsout_u64(&o, "pagecache", "pages", v->pagecache_pages_max);
	statsout_u64(&o, "pagecache", "pages_now", s->vm.fm.nr_cached);
	statsout_u64(&o, "pagecache", "fault_around_pages", v->fault_around_pages);
	statsout_u64(&o, "pagecache", "msync_writeback", v->msync_writeback);
	statsout_u64(&o, "pagecache", "files", s->vm.fm.nr_files);
	statsout_u64(&o, "reclaim", "kswapd_wakeups", v->kswapd_wakeups);
	statsout_u64(&o, "reclaim", "kswapd_evictions", v->kswapd_evictions);
	statsout_u64(&o, "reclaim", "direct_evictions", v->direct_evictions);
	statsout_u64(&o, "faults", "thp", v->faults_thp);
	statsout_u64(&o, "faults", "thp_fallback", v->thp_fallback);
	statsout_u64(&o, "memory", "thp_pages", s->vm.thp_pages);
	statsout_u64(&o, "memory", "thp_pages_max", v->thp_pages_max);
	statsout_u64(&o, "memory", "thp_splits", v->thp_splits);
	statsout_u64(&o, "memory", "frames", s->vm.cfg.nr_frames);
	statsout_u64(&o, "memory", "frames_used_max", v->frames_used_max);
	statsout_u64(&o, "memory", "page_table_pages_max", v->page_table_pages_max);
	statsout_u64(&o, "memory", "page_table_overflow", v->page_table_overflow);
	statsout_u64(&o, "swap", "slots_used", s->vm.nr_swap_used);
	statsout_hist(&o, "latency.access", &s->lat_access);
	statsout_hist(&o, "latency.fault", &s->lat_fault);
	for (unsigned i = 0; i < NR_FAULT_KIND_HISTS; i++) {
		char *prefix = xasprintf("latency.fault.%s", fault_kind_hists[i].name);
		statsout_hist(&o, prefix, &s->lat_fault_kind[i]);
		free(prefix);
	}
	if (s->lat_request.count)
		statsout_hist(&o, "latency.request", &s->lat_request);
	if (s->timing_on)
		timing_report(&s->timing, &o, s->end_ps);
	json_t *procs = json_array();
	for (uint32_t i = 0; i < s->nr_tasks; i++)
		json_array_append_new(procs, task_json(s->tasks[i]));
	json_object_set_new(o.obj, "processes", procs);
	json_dumpf(o.obj, out, JSON_INDENT(1) | JSON_SORT_KEYS);
	fputc('\n', out);
	statsout_fini(&o);
}

static double ps_to_us(uint64_t ps)
{
	return (double)ps / 1e6;
}

void sim_print_summary(struct sim *s, FILE *out)
{
	const struct vm_stats *v = &s->vm.st;
	fprintf(out, "vmsim: %s  policy=%s  frames=%" PRIu64 "  cpus=%u  timing=%s%s\n",
	        s->cfg->name, s->vm.cfg.policy->name, s->vm.cfg.nr_frames, s->nr_cpus,
	        s->timing_on ? "on" : "off",
	        s->interrupted    ? "  (INTERRUPTED: partial results)"
	        : s->hit_max_time ? "  (stopped at sim.max_time_ps)"
	                          : "");
	fprintf(out, "  simulated time   %.3f ms   accesses %" PRIu64 "   processes %" PRIu64 "\n",
	        (double)s->end_ps / 1e9, s->c.accesses, s->c.processes_created);
	fprintf(out, "  faults           %" PRIu64 " (minor %" PRIu64 ", major %" PRIu64 ")\n",
	        s->c.faults, s->c.faults_minor, s->c.faults_major);
	fprintf(out,
	        "    demand-zero %" PRIu64 "  zero-page %" PRIu64 "  cow %" PRIu64
	        " (copies %" PRIu64 ")  swap-in %" PRIu64 "  swap-cache %" PRIu64 "\n",
	        v->faults_demand_zero, v->faults_zero_page, v->faults_cow, v->faults_cow_copies,
	        v->faults_swap_in, v->faults_swapcache);
	fprintf(out, "  reclaim          evictions %" PRIu64 "  swap-out %" PRIu64 "\n",
	        v->evictions, v->swap_out);
	if (s->timing_on)
		fprintf(out,
		        "  latency (us)     access mean %.4f p99 %.3f   fault mean %.3f p99 %.3f\n",
		        ps_to_us(hist_mean(&s->lat_access)),
		        ps_to_us(hist_quantile(&s->lat_access, 990000)),
		        ps_to_us(hist_mean(&s->lat_fault)),
		        ps_to_us(hist_quantile(&s->lat_fault, 990000)));
	if (s->lat_request.count)
		fprintf(out, "  requests         %" PRIu64 "   latency (us) p50 %.3f p99 %.3f\n",
		        s->lat_request.count, ps_to_us(hist_quantile(&s->lat_request, 500000)),
		        ps_to_us(hist_quantile(&s->lat_request, 990000)));
	if (s->c.segv || s->c.oom || s->c.op_errors)
		fprintf(out,
		        "  killed           segfault %" PRIu64 "  oom %" PRIu64
		        "  unsupported-operation %" PRIu64 "\n",
		        s->c.segv, s->c.oom, s->c.op_errors);
}
