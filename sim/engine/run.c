/*
 * run.c — the CPUs' run loop and the access path (sim.h's execution model).
 *
 * A CPU's run event takes a task from the run queue (costing the context switch) and runs its
 * operations inline until the task blocks or dies, its quantum ends, or the CPU's clock passes
 * the next pending event. An access that hits is one call of access_hit, the one hit path: from
 * run_task's do_access, one operation at a time, or from run_hits_loop, a run of hits straight
 * from the task's batch without run_task's per-operation dispatch. An access that does not hit
 * takes access_fault (out of line): the fault, its cost, and maybe a block on its disk reads.
 */
#include "sim/engine/engine.h"

/* How many ops ahead of the running one a batch's access has its PTE prefetched. */
#define TASK_PREFETCH_OPS 8
/* ... and the struct page or swap slot its PTE names, this many ahead. */
#define TASK_PREFETCH2_OPS 3

/* ---- faults ------------------------------------------------------------------------------ */

void count_fault(struct sim *s, struct task *t, const struct fault_work *w)
{
	s->c.faults++;
	t->st.faults++;
	if (w->major) {
		s->c.faults_major++;
		t->st.major++;
	} else {
		s->c.faults_minor++;
		t->st.minor++;
	}
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

/* The fault's cost on cpu: the walks of the access and the fault's work; returns when its
 * disk reads complete (0: it made none to wait for), the pages it read stamped ready then;
 * SIMTIME_MAX: they are queued on a device that decides their completion later, which wakes t
 * (disk_io.c). */
static simtime_t cost_fault(struct sim *s, struct cpu *cpu, struct task *t, enum access_kind kind,
                            const struct fault_work *w)
{
	simtime_t lat =
	    timing_access(&s->timing, cpu->id, cpu->clock_ps, t->mm, t->op->addr, kind, true);
	struct timing_cost cost;
	timing_work(&s->timing, cpu->id, cpu->clock_ps + lat, w, true, t, &cost);
	cpu->clock_ps += lat + cost.cpu_ps;
	if (unlikely(cost.io_marker)) {
		vm_io_pending(&s->vm, w, cost.io_marker);
		t->op_wait_until_ps = w->wait_until_ps;
		t->op_memstall = w->memstall;
		sim_disk_schedule(s);
		return SIMTIME_MAX;
	}
	/* Pages this fault started reading are usable when its reads complete; another fault
	 * that finds them earlier waits (w->wait_until_ps). */
	vm_io_done(&s->vm, w, cost.block_until_ps);
	sim_disk_schedule(s);
	return MAX(cost.block_until_ps, w->wait_until_ps);
}

/* An access that raised sig (enum fault_signal): counted; a process that handles it goes on
 * with its next operation (its handler returns past the access, as a siglongjmp does), paying
 * a system call's time for the delivery and the return; else the signal kills it. */
static enum run_result access_signal(struct sim *s, struct cpu *cpu, struct task *t, uint8_t sig)
{
	bool bus = sig == VM_SIG_BUS_ADRERR;
	t->st.sig_maperr += sig == VM_SIG_SEGV_MAPERR;
	t->st.sig_accerr += sig == VM_SIG_SEGV_ACCERR;
	t->st.sig_bus += bus;
	s->c.sig_maperr += sig == VM_SIG_SEGV_MAPERR;
	s->c.sig_accerr += sig == VM_SIG_SEGV_ACCERR;
	s->c.sig_bus += bus;
	if (!(t->group_leader->sig_handled & (bus ? TASK_HANDLES_BUS : TASK_HANDLES_SEGV))) {
		t->signal = sig;
		task_exit(s, cpu, t, EXIT_SEGV);
		return RUN_DEAD;
	}
	s->c.signals_handled++;
	cpu->clock_ps += s->timing_on ? s->syscall_ps : s->untimed_access_ps;
	t->has_op = false;
	return RUN_AGAIN;
}

/* An access that did not hit: a segfault or out-of-memory ends the process; a fault is
 * counted, costed, and may block the process on its disk reads. Out of line, so that the hit
 * path inlined in the run loop stays short. */
static __attribute__((noinline)) enum run_result access_fault(struct sim *s, struct cpu *cpu,
                                                              struct task *t, enum access_kind kind,
                                                              uint64_t next_use)
{
	struct fault_work w;
	enum access_status st =
	    vm_access_fault(&s->vm, t->mm, t->op->addr, kind, next_use, cpu->clock_ps, &w);
	if (st == ACCESS_SEGV)
		return access_signal(s, cpu, t, w.signal);
	if (st == ACCESS_OOM) {
		task_exit(s, cpu, t, EXIT_OOM);
		return RUN_DEAD;
	}
	count_fault(s, t, &w);
	simtime_t start = cpu->clock_ps;
	if (!s->timing_on) {
		cpu->clock_ps += s->untimed_access_ps;
		record_fault(s, t, w.kinds, s->untimed_access_ps);
		t->has_op = false;
		return RUN_AGAIN;
	}
	simtime_t block_until_ps = cost_fault(s, cpu, t, kind, &w);
	if (unlikely(w.memstall) && block_until_ps != SIMTIME_MAX)
		psi_memstall(&s->psi, s->wl_memcg[t->wl_index], start,
		             MAX(block_until_ps, cpu->clock_ps));
	if (block_until_ps > cpu->clock_ps) {
		t->op_start_ps = start;
		t->op_fault_kinds = w.kinds;
		t->op_io_done = true;
		t->state = TASK_BLOCKED;
		if (block_until_ps != SIMTIME_MAX)
			eventq_schedule(&s->eq, &t->wake_ev, block_until_ps);
		return RUN_BLOCKED;
	}
	record_fault(s, t, w.kinds, cpu->clock_ps - start);
	t->has_op = false;
	return RUN_AGAIN;
}

/* ---- the hit path ------------------------------------------------------------------------ */

/*
 * The one hit path: an access of kind to vaddr whose PTE p allows it (vm_access_hit_pte). The
 * VM's reference (the virtual times, the accessed and dirty bits, the policy's view), then the
 * latency on cpu at clock_ps: the machine model's (TLB, a walk on a miss, the data reference)
 * when timed, else the fixed sim.untimed_access_ps. Data and instruction accesses are costed
 * apart, so that each inlined TLB lookup knows its probe list.
 */
static inline __attribute__((always_inline)) simtime_t
access_hit(struct sim *s, uint32_t cpu, struct mm_struct *mm, pte_t *p, uint64_t vaddr,
           enum access_kind kind, uint64_t next_use, simtime_t clock_ps, const bool timed)
{
	vm_access_hit(&s->vm, mm, p, vaddr, kind, next_use);
	if (!timed)
		return s->untimed_access_ps;
	return likely(kind != ACCESS_EXEC)
	           ? timing_access(&s->timing, cpu, clock_ps, mm, vaddr, kind, false)
	           : timing_access(&s->timing, cpu, clock_ps, mm, vaddr, ACCESS_EXEC, false);
}

/* t's current operation, an access. */
static inline __attribute__((always_inline)) enum run_result
do_access(struct sim *s, struct cpu *cpu, struct task *t)
{
	if (unlikely(t->op_io_done)) {
		/* The fault's disk read completed while the process was blocked. */
		record_fault(s, t, t->op_fault_kinds, cpu->clock_ps - t->op_start_ps);
		t->op_io_done = false;
		t->has_op = false;
		return RUN_AGAIN;
	}
	enum access_kind kind = (enum access_kind)t->op->kind;
	uint64_t next_use = future_next_use(&t->fc, t->access_idx, s->c.accesses - t->access_idx);
	pte_t *p = vm_access_hit_pte(t->mm, t->op->addr, kind);
	t->access_idx++;
	t->st.accesses++;
	s->c.accesses++;
	if (unlikely(!p))
		return access_fault(s, cpu, t, kind, next_use);
	simtime_t lat = access_hit(s, cpu->id, t->mm, p, t->op->addr, kind, next_use, cpu->clock_ps,
	                           s->timing_on);
	cpu->clock_ps += lat;
	hist_record(&s->lat_access, lat);
	t->has_op = false;
	return RUN_AGAIN;
}

bool sim_clock_overflow(struct sim *s, simtime_t at_ps, const char *what)
{
	if (likely(at_ps <= SIM_CLOCK_LIMIT_PS))
		return false;
	if (!s->failed)
		s->failed =
		    err_set(s->err,
		            "%s past the simulated clock's limit of %llu ps (2^63 - 1 ps, "
		            "106 days): shorten the workload's compute, start_ps or latencies",
		            what, (unsigned long long)SIM_CLOCK_LIMIT_PS);
	return true;
}

/* A compute op that would take cpu's clock or time.compute_ps past SIM_CLOCK_LIMIT_PS fails
 * the run, naming the process, the op and the clock. (A trace's compute is bounded as it is
 * read, TRACE_COMPUTE_TOTAL_MAX_NS; generators' compute_ns and duration_ns, or a late
 * start_ps, are caught here.) */
static __attribute__((noinline)) bool compute_overflows(struct sim *s, struct cpu *cpu,
                                                        struct task *t)
{
	uint64_t ns = t->op->arg;
	simtime_t total_ps = s->timing.tb.compute_ps;
	uint64_t room_ns =
	    (SIM_CLOCK_LIMIT_PS - MIN(cpu->clock_ps, SIM_CLOCK_LIMIT_PS)) / PS_PER_NS;
	uint64_t total_room_ns =
	    (SIM_CLOCK_LIMIT_PS - MIN(total_ps, SIM_CLOCK_LIMIT_PS)) / PS_PER_NS;
	if (ns <= room_ns && ns <= total_room_ns)
		return false;
	char what[200];
	if (ns > room_ns)
		snprintf(
		    what, sizeof(what),
		    "pid %u: compute of %llu ns at simulated time %llu ps would take the clock",
		    t->pid, (unsigned long long)ns, (unsigned long long)cpu->clock_ps);
	else
		snprintf(what, sizeof(what),
		         "pid %u: compute of %llu ns would take time.compute_ps (all processes' "
		         "compute, %llu ps so far)",
		         t->pid, (unsigned long long)ns, (unsigned long long)total_ps);
	return sim_clock_overflow(s, SIMTIME_MAX, what);
}

static inline __attribute__((always_inline)) enum run_result do_op(struct sim *s, struct cpu *cpu,
                                                                   struct task *t)
{
	struct op *op = t->op;
	/* Accesses first: they need no zeroed fault_work here (the fault path fills its own). */
	if (likely(op->kind <= OP_EXEC))
		return do_access(s, cpu, t);
	if (op->kind == OP_COMPUTE) {
		if (unlikely(compute_overflows(s, cpu, t)))
			return RUN_FAILED;
		simtime_t ps = (simtime_t)op->arg * PS_PER_NS;
		cpu->clock_ps += ps;
		timing_note_compute(&s->timing, ps);
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
 * do_access do for it, through the same access_hit (only the order of independent counter
 * updates differs, and the counters nothing reads during the run are added once at its end).
 * The checks run_task makes after an operation are not needed between them: a hit allocates
 * no frame (so it never wakes kswapd), never blocks or ends the task, and schedules no event
 * (the run limit stays). Stops, leaving it for run_task, at the first operation that is not an
 * access or would not hit (vm_access_hit_pte), at the end of the batch, or once the clock
 * reaches limit_ps. Preconditions (run_task checks them): a batch, no operation in progress,
 * no --check, no kswapd wake-up pending, and an access recorded in lat_access before (its
 * buckets allocated). timed (s->timing_on) and prefetch (t->prefetch_len != 0) are constants
 * in each instance.
 */
static inline __attribute__((always_inline)) void run_hits_loop(struct sim *s, struct cpu *cpu,
                                                                struct task *t, simtime_t limit_ps,
                                                                const bool timed,
                                                                const bool prefetch)
{
	struct mm_struct *mm = t->mm;
	struct op *batch = t->batch;
	uint32_t pos = t->batch_pos, end = t->batch_len;
	simtime_t clock = cpu->clock_ps;
	uint64_t access_idx = t->access_idx; /* (the OPT future's index) */
	const uint64_t future_offset =
	    s->c.accesses - access_idx; /* (its place on the global clock) */
	const uint32_t cpu_id = cpu->id;
	while (clock < limit_ps && pos < end) {
		struct op *op = &batch[pos];
		unsigned op_kind = op->kind; /* (read once) */
		if (op_kind > OP_EXEC)
			break;
		enum access_kind kind = (enum access_kind)op_kind;
		uint64_t vaddr = op->addr;
		pte_t *p = vm_access_hit_pte(mm, vaddr, kind);
		if (unlikely(!p))
			break;
		if (prefetch)
			task_prefetch(s, t, pos);
		pos++;
		uint64_t next_use = future_next_use(&t->fc, access_idx, future_offset);
		access_idx++;
		simtime_t lat = access_hit(s, cpu_id, mm, p, vaddr, kind, next_use, clock, timed);
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

/* ---- running a task ---------------------------------------------------------------------- */

/* The checks after an operation that began at op_start: kswapd's wake-up (which may move the
 * run limit), and --check's walk every check_every operations. */
static inline void after_op(struct sim *s, simtime_t op_start, simtime_t *limit_ps)
{
	if (unlikely(vm_kswapd_wanted(&s->vm))) {
		kswapd_wake(s, op_start);
		*limit_ps = MIN(*limit_ps, cpu_run_limit(s));
	}
	if (unlikely(s->check_every) && ++s->ops_since_check >= s->check_every) {
		s->ops_since_check = 0;
		sim_check(s);
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
			    likely(!vm_kswapd_wanted(&s->vm)) &&
			    likely(s->lat_access.buckets != NULL)) {
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
		after_op(s, op_start, &limit_ps);
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

/* cpu takes the next task of the run queue (costing the context switch when its address space
 * differs from the last one cpu ran). Returns false when the queue is empty. */
static bool cpu_take_task(struct sim *s, struct cpu *cpu)
{
	struct task *t = rq_pop(s);
	if (!t)
		return false;
	if (cpu->last_asid != t->mm->asid) {
		simtime_t cs = s->timing_on ? s->context_switch_ps +
		                                  timing_context_switch(&s->timing, cpu->id,
		                                                        cpu->last_asid, t->mm->asid)
		                            : 0;
		cpu->clock_ps += cs;
		timing_note_switch(&s->timing, cs);
		if (cpu->last_asid)
			s->c.context_switches++;
		cpu->last_asid = t->mm->asid;
	}
	cpu->cur = t;
	t->state = TASK_RUNNING;
	vm_mm_set_cpu(t->mm, cpu->id);
	cpu->slice_end_ps = cpu->clock_ps + s->quantum_ps;
	return true;
}

/* After a run of cpu's task: a task that blocked or died leaves the CPU; one whose quantum
 * ended goes to the back of the run queue when another task waits. */
static void cpu_after_run(struct sim *s, struct cpu *cpu, enum run_result r)
{
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
}

/* A clock past SIM_CLOCK_LIMIT_PS after a run on cpu (disk waits, faults: compute is caught
 * before it runs) fails the run. */
static bool cpu_clock_overflows(struct sim *s, struct cpu *cpu)
{
	if (likely(cpu->clock_ps <= SIM_CLOCK_LIMIT_PS))
		return false;
	char what[160];
	snprintf(what, sizeof(what), "cpu %u's clock reached %llu ps (running pid %u),", cpu->id,
	         (unsigned long long)cpu->clock_ps, cpu->cur ? cpu->cur->pid : 0);
	return sim_clock_overflow(s, cpu->clock_ps, what);
}

void cpu_run_event(struct event *ev, void *ctx)
{
	UNUSED(ev);
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
		if (!cpu->cur && !cpu_take_task(s, cpu)) {
			cpu->idle = true;
			return;
		}
		simtime_t limit = MIN(cpu->slice_end_ps, cpu_run_limit(s));
		if (s->max_time_ps)
			limit = MIN(limit, s->max_time_ps);
		vm_set_cpu(&s->vm, cpu->id);
		struct task *t = cpu->cur;
		simtime_t run_start_ps = cpu->clock_ps;
		enum run_result r = run_task(s, cpu, limit);
		t->st.cpu_ps += cpu->clock_ps - run_start_ps;
		if (r == RUN_FAILED || cpu_clock_overflows(s, cpu))
			return;
		cpu_after_run(s, cpu, r);
		if (cpu->clock_ps >= cpu_run_limit(s)) {
			eventq_schedule(&s->eq, &cpu->run_ev, cpu->clock_ps);
			return;
		}
	}
}
