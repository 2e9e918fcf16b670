/*
 * syscall.c — the operations of a workload that are system calls (mmap, munmap, mprotect,
 * madvise, msync, brk, fork, vfork, thread, wait, exec, exit, file declarations) and marks,
 * one function each, dispatched by do_syscall. Each asks the VM layer for the work (models/vm/vm.h) and costs it
 * with the machine model: sim.syscall_ps of kernel software plus the work's own cost (TLB
 * invalidations and shootdowns, page zeroing); fork adds sim.fork_pte_ps per page-table entry
 * copied; msync (MS_SYNC) waits for its writes. An operation the VM layer rejects (a bad
 * range, an unknown file or image) ends the process (sim.unsupported_operations).
 */
#include "sim/engine/engine.h"

/* The cost of a system call that did the work w: sim.syscall_ps and the work's CPU time
 * (untimed: sim.untimed_access_ps). */
static simtime_t syscall_cost(struct sim *s, struct cpu *cpu, const struct fault_work *w)
{
	if (!s->timing_on)
		return s->untimed_access_ps;
	struct timing_cost cost;
	timing_work(&s->timing, cpu->id, cpu->clock_ps, w, false, NULL, &cost);
	sim_disk_schedule(s);
	return s->syscall_ps + cost.cpu_ps;
}

/* A system call whose VM work returned rc: a rejected one ends the process, else the CPU
 * pays its cost. */
static enum run_result syscall_done(struct sim *s, struct cpu *cpu, struct task *t, int rc,
                                    const struct fault_work *w)
{
	if (rc) {
		task_exit(s, cpu, t, EXIT_ERROR);
		return RUN_DEAD;
	}
	cpu->clock_ps += syscall_cost(s, cpu, w);
	t->has_op = false;
	return RUN_AGAIN;
}

int sim_check_file_device(struct sim *s)
{
	const char *name = NULL;
	uint64_t size_bytes = 0, end = vm_file_dev_end(&s->vm, &name, &size_bytes);
	const struct timing *tm = &s->timing;
	if (end <= tm->file_capacity_bytes)
		return 0;
	s->failed = err_set(s->err,
	                    "%s: disk.devices[%u].capacity_bytes: the file device \"%s\" must hold "
	                    "the files (file \"%s\" of %llu bytes ends at byte %llu of it: files "
	                    "lie one after another, each from a 1 MiB boundary), got %llu bytes",
	                    s->cfg->file, tm->file_dev, tm->file_dev_name, name,
	                    (unsigned long long)size_bytes, (unsigned long long)end,
	                    (unsigned long long)tm->file_capacity_bytes);
	return s->failed;
}

static uint32_t prot_to_vm_flags(uint8_t prot)
{
	return ((prot & PROT_R) ? VM_READ : 0) | ((prot & PROT_W) ? VM_WRITE : 0) |
	       ((prot & PROT_X) ? VM_EXEC : 0);
}

static enum run_result populate_range(struct sim *s, struct cpu *cpu, struct task *t, uint64_t addr,
                                      uint64_t len, enum access_kind kind);
static enum run_result mlock_populate(struct sim *s, struct cpu *cpu, struct task *t, uint64_t addr,
                                      uint64_t len);

/* A call that returned ret (an address or -errno) against the result op recorded (enum
 * op_result_flags), if any: counted when they differ. val: where the op keeps it (mmap: arg;
 * others: an address in offset, an errno in prot). */
static void result_compare_val(struct sim *s, const struct op *op, int64_t ret, uint64_t val)
{
	if (!(op->flags & (OPRES_ADDR | OPRES_ERRNO)))
		return;
	s->c.results_recorded++;
	s->c.result_mismatches += ret != ((op->flags & OPRES_ADDR) ? (int64_t)val : -(int64_t)val);
}

/* mmap with the flags of vm_do_mmap (hint, noreplace, noreserve, growsdown) or a recorded
 * result: the mapping goes where the recorded kernel put it (`= ADDR`), a call recorded as
 * failed changes nothing, and vmsim's own result is compared with the recorded one. A
 * failure Linux would give is a result: the process goes on. Returns 1 with *at the address
 * mapped, 0 when nothing was mapped, -1 for a call vmsim does not model (the process ends). */
static int mmap_syscall(struct sim *s, struct task *t, uint32_t vm_flags, int file, uint64_t *at,
                        struct fault_work *w)
{
	const struct op *op = t->op;
	static const unsigned xflag_map[][2] = {{MAPX_HINT, MMAP_F_HINT},
	                                        {MAPX_NOREPLACE, MMAP_F_NOREPLACE},
	                                        {MAPX_NORESERVE, MMAP_F_NORESERVE},
	                                        {MAPX_GROWSDOWN, MMAP_F_GROWSDOWN}};
	struct mmap_args a = {.addr = op->addr,
	                      .len = op->len,
	                      .offset_bytes = op->offset,
	                      .place_at = (op->flags & OPRES_ADDR) ? op->arg : 0,
	                      .vm_flags = vm_flags,
	                      .file = file};
	for (size_t i = 0; i < sizeof(xflag_map) / sizeof(xflag_map[0]); i++)
		a.flags |= (op->xflags & xflag_map[i][0]) ? xflag_map[i][1] : 0;
	bool failed = op->flags & OPRES_ERRNO;
	int64_t ret = vm_do_mmap(&s->vm, t->mm, &a, failed, w);
	if (ret == VM_MMAP_UNSUPPORTED)
		return -1;
	result_compare_val(s, op, ret, op->arg);
	if (failed || (ret < 0 && !a.place_at))
		return 0;
	*at = a.place_at ? a.place_at : (uint64_t)ret;
	return 1;
}

/* mmap; MAP_POPULATE then faults the range in (populate_vma_page_range: write faults in a
 * private writable mapping, to break COW at once; read faults otherwise). */
static enum run_result sys_mmap(struct sim *s, struct cpu *cpu, struct task *t)
{
	const struct op *op = t->op;
	struct fault_work w;
	fault_work_reset(&w);
	uint32_t flags = prot_to_vm_flags(op->prot) | ((op->flags & MAPF_SHARED) ? VM_SHARED : 0) |
	                 ((op->flags & MAPF_HUGE) ? VM_HUGEPAGE : 0);
	int file = (op->flags & MAPF_FILE) ? vm_file_find(&s->vm, op->name) : -1;
	int rc;
	uint64_t at = op->addr;
	bool mapped = true;
	if ((op->flags & MAPF_FILE) && file < 0) {
		rc = -1;
	} else if (op->xflags || (op->flags & (OPRES_ADDR | OPRES_ERRNO))) {
		int r = mmap_syscall(s, t, flags, file, &at, &w);
		rc = r < 0 ? -1 : 0;
		mapped = r > 0;
	} else if (op->flags & MAPF_FILE) {
		rc = vm_mmap_file(&s->vm, t->mm, op->addr, op->len, flags, (uint32_t)file,
		                  op->offset, &w);
	} else {
		rc = vm_mmap_anon(&s->vm, t->mm, op->addr, op->len, flags, &w);
	}
	enum run_result r = syscall_done(s, cpu, t, rc, &w);
	if (r == RUN_AGAIN && (t->mm->def_flags & (VM_LOCKED | VM_LOCKONFAULT)) == VM_LOCKED)
		return mlock_populate(s, cpu, t, op->addr, op->len); /* MCL_FUTURE: mm_populate */
	if (r != RUN_AGAIN || !(op->flags & MAPF_POPULATE) || !mapped)
		return r;
	bool write = (flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	return populate_range(s, cpu, t, at, op->len, write ? ACCESS_WRITE : ACCESS_READ);
}

/* A system call with disk I/O (its VM work returned rc, w): costed, and the reads it started
 * stamped ready at their completion; wait: the process waits for its requests (msync's
 * MS_SYNC), else it goes on (WILLNEED). */
static enum run_result syscall_io_done(struct sim *s, struct cpu *cpu, struct task *t, int rc,
                                       const struct fault_work *w, bool wait)
{
	if (rc) {
		task_exit(s, cpu, t, EXIT_ERROR);
		return RUN_DEAD;
	}
	t->has_op = false;
	if (!s->timing_on) {
		cpu->clock_ps += s->untimed_access_ps;
		return RUN_AGAIN;
	}
	struct timing_cost cost;
	timing_work(&s->timing, cpu->id, cpu->clock_ps, w, false, NULL, &cost);
	sim_disk_schedule(s);
	cpu->clock_ps += s->syscall_ps + cost.cpu_ps;
	vm_io_done(&s->vm, w, cost.block_until_ps);
	if (wait && cost.block_until_ps > cpu->clock_ps) {
		t->state = TASK_BLOCKED;
		eventq_schedule(&s->eq, &t->wake_ev, cost.block_until_ps);
		return RUN_BLOCKED;
	}
	return RUN_AGAIN;
}

/* msync(MS_SYNC): the process waits for its writes. */
static enum run_result sys_msync(struct sim *s, struct cpu *cpu, struct task *t)
{
	struct fault_work w;
	fault_work_reset(&w);
	int rc = vm_msync(&s->vm, t->mm, t->op->addr, t->op->len, &w);
	return syscall_io_done(s, cpu, t, rc, &w, true);
}

/*
 * Fault in every page of [addr, addr + len) as an access of kind would (GUP's faultin_page:
 * MADV_POPULATE_*, MAP_POPULATE, a read(2)'s buffer): each fault is counted as the process's
 * (getrusage counts them too) and costed. Returns 0 with *until_ps the time its disk reads
 * complete, or -1 when a page cannot be faulted in (no VMA, its protection, out of memory).
 */
static int touch_range(struct sim *s, struct cpu *cpu, struct task *t, uint64_t addr, uint64_t len,
                       enum access_kind kind, simtime_t *until_ps)
{
	uint64_t ps = s->vm.cfg.page_size;
	simtime_t block_until_ps = 0;
	for (uint64_t va = addr & ~(ps - 1); va < addr + len; va += ps) {
		struct fault_work w;
		fault_work_reset(&w);
		enum access_status st =
		    vm_access(&s->vm, t->mm, va, kind, NEXT_USE_NEVER, cpu->clock_ps, &w);
		if (st == ACCESS_SEGV || st == ACCESS_OOM)
			return -1;
		if (st == ACCESS_HIT)
			continue;
		count_fault(s, t, &w);
		if (!s->timing_on)
			continue;
		struct timing_cost cost;
		timing_work(&s->timing, cpu->id, cpu->clock_ps, &w, true, NULL, &cost);
		sim_disk_schedule(s);
		cpu->clock_ps += cost.cpu_ps;
		vm_io_done(&s->vm, &w, cost.block_until_ps);
		block_until_ps = MAX(block_until_ps, MAX(cost.block_until_ps, w.wait_until_ps));
	}
	*until_ps = block_until_ps;
	return 0;
}

/* The operation is done; the task sleeps until block_until_ps when that is still ahead. */
static enum run_result op_done_wait(struct sim *s, struct cpu *cpu, struct task *t,
                                    simtime_t block_until_ps)
{
	t->has_op = false;
	if (block_until_ps > cpu->clock_ps) {
		t->state = TASK_BLOCKED;
		eventq_schedule(&s->eq, &t->wake_ev, block_until_ps);
		return RUN_BLOCKED;
	}
	return RUN_AGAIN;
}

/* touch_range for MADV_POPULATE_* and MAP_POPULATE: the process waits for the disk reads; a
 * page that cannot be faulted in fails the call: the process ends. */
static enum run_result populate_range(struct sim *s, struct cpu *cpu, struct task *t, uint64_t addr,
                                      uint64_t len, enum access_kind kind)
{
	simtime_t block_until_ps = 0;
	if (touch_range(s, cpu, t, addr, len, kind, &block_until_ps)) {
		task_exit(s, cpu, t, EXIT_ERROR);
		return RUN_DEAD;
	}
	return op_done_wait(s, cpu, t, block_until_ps);
}

/* MADV_POPULATE_READ / MADV_POPULATE_WRITE. */
static enum run_result sys_populate(struct sim *s, struct cpu *cpu, struct task *t, bool write)
{
	cpu->clock_ps += s->timing_on ? s->syscall_ps : s->untimed_access_ps;
	return populate_range(s, cpu, t, t->op->addr, t->op->len,
	                      write ? ACCESS_WRITE : ACCESS_READ);
}

/* MADV_WILLNEED: the reads it starts are not waited for; their pages are ready when the reads
 * complete. */
static enum run_result sys_willneed(struct sim *s, struct cpu *cpu, struct task *t)
{
	struct fault_work w;
	fault_work_reset(&w);
	int rc = vm_madvise_willneed(&s->vm, t->mm, t->op->addr, t->op->len, &w);
	return syscall_io_done(s, cpu, t, rc, &w, false);
}

/* The advice that sets VMA flags: the flags it sets within the mask it changes. */
static const struct {
	uint32_t mask, flags;
} advice_vma_flags[ADV_COUNT] = {
    [ADV_HUGEPAGE] = {VM_HUGEPAGE | VM_NOHUGEPAGE, VM_HUGEPAGE},
    [ADV_NOHUGEPAGE] = {VM_HUGEPAGE | VM_NOHUGEPAGE, VM_NOHUGEPAGE},
    [ADV_NORMAL] = {VM_RAND_READ | VM_SEQ_READ, 0},
    [ADV_RANDOM] = {VM_RAND_READ | VM_SEQ_READ, VM_RAND_READ},
    [ADV_SEQUENTIAL] = {VM_RAND_READ | VM_SEQ_READ, VM_SEQ_READ},
    [ADV_DONTFORK] = {VM_DONTCOPY, VM_DONTCOPY},
    [ADV_DOFORK] = {VM_DONTCOPY, 0},
    [ADV_WIPEONFORK] = {VM_WIPEONFORK, VM_WIPEONFORK},
    [ADV_KEEPONFORK] = {VM_WIPEONFORK, 0},
};

static enum run_result sys_madvise(struct sim *s, struct cpu *cpu, struct task *t)
{
	const struct op *op = t->op;
	struct vm *vm = &s->vm;
	struct fault_work w;
	fault_work_reset(&w);
	int rc;
	switch (op->arg) {
	case ADV_POPULATE_READ:
	case ADV_POPULATE_WRITE:
		return sys_populate(s, cpu, t, op->arg == ADV_POPULATE_WRITE);
	case ADV_WILLNEED:
		return sys_willneed(s, cpu, t);
	case ADV_DONTNEED:
		rc = vm_madvise_dontneed(vm, t->mm, op->addr, op->len, &w);
		break;
	case ADV_FREE:
		rc = vm_madvise_free(vm, t->mm, op->addr, op->len, &w);
		break;
	case ADV_COLD:
		rc = vm_madvise_cold(vm, t->mm, op->addr, op->len, &w);
		break;
	case ADV_PAGEOUT:
		rc = vm_madvise_pageout(vm, t->mm, op->addr, op->len, &w);
		break;
	case ADV_REMOVE:
		rc = vm_madvise_remove(vm, t->mm, op->addr, op->len, &w);
		break;
	default:
		BUG_ON(op->arg >= ADV_COUNT || !advice_vma_flags[op->arg].mask, "advice %llu",
		       (unsigned long long)op->arg);
		rc = vm_madvise_flags(vm, t->mm, op->addr, op->len, advice_vma_flags[op->arg].mask,
		                      advice_vma_flags[op->arg].flags);
	}
	result_compare_val(s, op, rc, op->prot);
	if (op->flags & (OPRES_ADDR | OPRES_ERRNO))
		rc = 0; /* (a recorded result: the program saw it and goes on; vmsim's failed call
		           changed nothing) */
	return syscall_done(s, cpu, t, rc, &w);
}

static enum run_result sys_fork(struct sim *s, struct cpu *cpu, struct task *t)
{
	struct fault_work w;
	fault_work_reset(&w);
	struct task *c = task_new(s, t->wl_index, (uint32_t)t->op->arg, t);
	c->mm = vm_fork(&s->vm, t->mm, task_mm_id(s, c), &w);
	task_mm_attach(s, c);
	t->live_children++;
	s->c.forks++;
	simtime_t cost = syscall_cost(s, cpu, &w);
	if (s->timing_on)
		cost += w.ptes_copied * s->fork_pte_ps;
	cpu->clock_ps += cost;
	eventq_schedule(&s->eq, &c->wake_ev, cpu->clock_ps);
	t->has_op = false;
	return RUN_AGAIN;
}

/* vfork, posix_spawn (clone(CLONE_VM | CLONE_VFORK)): a new process that runs in t's address
 * space (nothing copied, nothing write-protected: its writes are t's pages, as in Linux) while
 * t sleeps until the child execs or exits (vfork_release). Costs a system call. */
static enum run_result sys_vfork(struct sim *s, struct cpu *cpu, struct task *t)
{
	struct fault_work w;
	fault_work_reset(&w);
	struct task *c = task_new(s, t->wl_index, (uint32_t)t->op->arg, t);
	c->mm = t->mm;
	c->vfork_parent = t;
	t->live_children++;
	s->c.vforks++;
	cpu->clock_ps += syscall_cost(s, cpu, &w);
	eventq_schedule(&s->eq, &c->wake_ev, cpu->clock_ps);
	t->has_op = false;
	t->state = TASK_BLOCKED;
	return RUN_BLOCKED;
}

/* clone(CLONE_VM | CLONE_THREAD): a new task in t's thread group, sharing its address space,
 * runnable at once (on another CPU when one is idle). Costs a system call: nothing is copied. */
static enum run_result sys_thread(struct sim *s, struct cpu *cpu, struct task *t)
{
	struct fault_work w;
	fault_work_reset(&w);
	if (t->group_leader->vfork_parent) { /* (threads in a vfork child: not modelled) */
		task_exit(s, cpu, t, EXIT_ERROR);
		return RUN_DEAD;
	}
	struct task *c = task_new_thread(s, t, (uint32_t)t->op->arg);
	cpu->clock_ps += syscall_cost(s, cpu, &w);
	eventq_schedule(&s->eq, &c->wake_ev, cpu->clock_ps);
	t->has_op = false;
	return RUN_AGAIN;
}

static enum run_result sys_wait(struct sim *s, struct cpu *cpu, struct task *t)
{
	struct fault_work w;
	fault_work_reset(&w);
	const struct op *op = t->op;
	cpu->clock_ps += syscall_cost(s, cpu, &w);
	bool any_live = op->arg == 0 ? t->live_children > 0 : false;
	if (op->arg) {
		struct task *c = task_find_child(s, t, (uint32_t)op->arg);
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

/* A request boundary: costs nothing, times the request. */
static enum run_result sys_mark(struct sim *s, struct cpu *cpu, struct task *t)
{
	const struct op *op = t->op;
	if (op->flags & MARK_BEGIN) {
		t->mark_open = true;
		t->mark_id = op->arg;
		t->mark_begin_ps = cpu->clock_ps;
	} else if ((op->flags & MARK_END) && t->mark_open && t->mark_id == op->arg) {
		t->mark_open = false;
		hist_record(&s->lat_request, cpu->clock_ps - t->mark_begin_ps);
		t->st.requests++;
	}
	t->has_op = false;
	return RUN_AGAIN;
}

/*
 * execve: a new address space with the layout of the image named by the operation (the VM
 * layer's exec.c), or an empty one for a recorded program's exec (OP_EXEC_BARE: the trace
 * maps what the program uses); the old one is released and the CPU switches to the new one.
 * An unknown image, or one that does not fit, ends the process. When the data section's file part ends
 * inside a page, exec's padzero clears the rest of that page: a write to user memory that the
 * process's next step performs (and that faults: do_cow_fault).
 */
static enum run_result sys_execve(struct sim *s, struct cpu *cpu, struct task *t)
{
	struct fault_work w;
	fault_work_reset(&w);
	bool bare = t->op->kind == OP_EXEC_BARE;
	int image = bare ? 0 : vm_image_find(&s->vm, t->op->name);
	if (t->group_leader->live_threads > 1)
		image = -1; /* (de_thread, killing the other threads, is not modelled) */
	uint64_t padzero = 0;
	struct mm_struct *mm = NULL;
	if (image >= 0)
		mm = bare ? vm_mm_create(&s->vm, t->pid)
		          : vm_exec_mm(&s->vm, t->pid, image, &w, &padzero);
	if (!mm) {
		task_exit(s, cpu, t, EXIT_ERROR);
		return RUN_DEAD;
	}
	if (sim_check_file_device(s))
		return RUN_FAILED;
	if (!t->vfork_parent) /* (a vfork parent's TLB entries stay: its address space lives) */
		timing_flush_asid(&s->timing, t->mm->asid);
	mm->mempolicy = t->mm->mempolicy; /* exec keeps the task's memory policy */
	t->group_leader->sig_handled = 0; /* and resets handled signals to SIG_DFL */
	if (t->vfork_parent)
		vfork_release(s, cpu, t); /* the parent's address space goes back to it alone */
	else
		vm_mm_destroy(&s->vm, t->mm, &w);
	t->mm = mm;
	task_mm_attach(s, t);
	vm_mm_set_cpu(mm, cpu->id);
	if (s->timing_on)
		timing_context_switch(&s->timing, cpu->id, cpu->last_asid, mm->asid);
	cpu->last_asid = mm->asid;
	cpu->clock_ps += syscall_cost(s, cpu, &w);
	if (padzero) {
		t->op->kind = OP_WRITE;
		t->op->addr = padzero;
		return RUN_AGAIN; /* (the operation goes on, as this write) */
	}
	t->has_op = false;
	return RUN_AGAIN;
}

/*
 * A write of len bytes to memory.reclaim of the group named (none: the process's own; Linux's
 * memory_reclaim): reclaim in the writer's context, at most len / page size pages (memparse,
 * rounded down), the writer paying for the scan and the evictions; writes to swap go on in the
 * background. Less than asked is Linux's -EAGAIN (counted). A group not in the config ends the
 * process (an unknown file, as for mmap).
 */
static enum run_result sys_memory_reclaim(struct sim *s, struct cpu *cpu, struct task *t)
{
	const struct op *op = t->op;
	uint16_t memcg = t->mm->memcg;
	if (op->name) {
		memcg = vm_memcg_find(&s->vm, op->name);
		if (!memcg) {
			task_exit(s, cpu, t, EXIT_ERROR);
			return RUN_DEAD;
		}
	}
	uint64_t asked = op->len / s->vm.cfg.page_size;
	struct fault_work w;
	fault_work_reset(&w);
	uint64_t done = vm_memory_reclaim(&s->vm, memcg, asked, &w);
	s->c.reclaim_writes++;
	s->c.reclaim_asked_pages += asked;
	s->c.reclaim_done_pages += done;
	s->c.reclaim_eagain += done < asked;
	return syscall_io_done(s, cpu, t, 0, &w, false);
}

/* result_compare_val for the kinds that keep a result address in offset, an errno in prot. */
static void result_compare(struct sim *s, const struct op *op, int64_t ret)
{
	result_compare_val(s, op, ret, (op->flags & OPRES_ADDR) ? op->offset : op->prot);
}

/*
 * mremap (models/vm/mremap.c). A move goes where the recorded kernel put it (`= ADDR`) when
 * that range is free, so that the trace's later accesses stay valid; a call recorded as failed
 * changes nothing. Either way vmsim's own result is compared with the recorded one. A failure
 * Linux would give (-errno) is a result, not an error; a call vmsim does not model ends the
 * process.
 */
static enum run_result sys_mremap(struct sim *s, struct cpu *cpu, struct task *t)
{
	const struct op *op = t->op;
	struct fault_work w;
	fault_work_reset(&w);
	struct mremap_args a = {.addr = op->addr,
	                        .old_len = op->len,
	                        .new_len = op->arg,
	                        .new_addr = (op->flags & MREMAPF_FIXED) ? op->offset : 0,
	                        .place_at = (op->flags & OPRES_ADDR) ? op->offset : 0,
	                        .flags = op->flags &
	                                 (MREMAPF_MAYMOVE | MREMAPF_FIXED | MREMAPF_DONTUNMAP)};
	int64_t ret = op->flags & OPRES_ERRNO ? vm_mremap_check(&s->vm, t->mm, &a)
	                                      : vm_mremap(&s->vm, t->mm, &a, &w);
	if (ret == VM_MREMAP_UNSUPPORTED)
		return syscall_done(s, cpu, t, -1, &w);
	result_compare(s, op, ret);
	return syscall_done(s, cpu, t, 0, &w);
}

/*
 * brk (models/vm/mmap.c's vm_brk): its result is compared with the recorded one. The first brk
 * of an address space exec did not set up declares the heap's start: `brk 0 = ADDR` (brk(0)
 * as recorded) declares it at ADDR.
 */
static enum run_result sys_brk(struct sim *s, struct cpu *cpu, struct task *t)
{
	const struct op *op = t->op;
	struct fault_work w;
	fault_work_reset(&w);
	uint64_t brk = op->addr;
	if (!t->mm->start_brk && !brk && (op->flags & OPRES_ADDR))
		brk = op->offset;
	result_compare(s, op, (int64_t)vm_brk(&s->vm, t->mm, brk, &w));
	return syscall_done(s, cpu, t, 0, &w);
}

/*
 * read(2)/write(2) of a file (vm_file_rw) and the copy through the user's buffer: its pages are
 * touched first as the program's own accesses would touch them (a write of the kernel's into
 * a read's buffer, a read of a write's: their faults are the process's, as getrusage counts
 * them), then the page-cache work is costed. The caller waits for the reads it needs (and,
 * O_DIRECT, its writes), and for every write when balance_dirty_pages throttles it.
 */
static enum run_result sys_file_rw(struct sim *s, struct cpu *cpu, struct task *t)
{
	const struct op *op = t->op;
	int file = vm_file_find(&s->vm, op->name);
	if (file < 0) {
		task_exit(s, cpu, t, EXIT_ERROR);
		return RUN_DEAD;
	}
	bool write = op->flags & RWF_WRITE;
	simtime_t buf_until_ps = 0;
	if ((op->flags & RWF_BUF) && op->len &&
	    touch_range(s, cpu, t, op->addr, op->len, write ? ACCESS_READ : ACCESS_WRITE,
	                &buf_until_ps)) {
		task_exit(s, cpu, t, EXIT_ERROR);
		return RUN_DEAD;
	}
	struct fault_work w;
	fault_work_reset(&w);
	unsigned flags = (write ? VM_RW_WRITE : 0) | ((op->flags & RWF_DIRECT) ? VM_RW_DIRECT : 0);
	int rc = vm_file_rw(&s->vm, t->mm, (uint32_t)file, op->offset, op->len, flags,
	                    cpu->clock_ps, &w);
	if (sim_check_file_device(s))
		return RUN_FAILED;
	bool wait = w.major || w.dirty_throttled || (write && (op->flags & RWF_DIRECT));
	enum run_result r = syscall_io_done(s, cpu, t, rc, &w, wait);
	if (!s->timing_on && !rc)
		vm_io_done(&s->vm, &w, cpu->clock_ps); /* untimed: writes complete at once */
	if (r == RUN_AGAIN && buf_until_ps > cpu->clock_ps) {
		t->state = TASK_BLOCKED;
		eventq_schedule(&s->eq, &t->wake_ev, buf_until_ps);
		return RUN_BLOCKED;
	}
	return r;
}

/* fsync, fdatasync (waited for), sync_file_range (started only), ftruncate, fallocate. */
static enum run_result sys_file_sync(struct sim *s, struct cpu *cpu, struct task *t)
{
	static const enum vm_sync_op ops[SYNC_KIND_COUNT] = {
	    [SYNC_FSYNC] = VM_FSYNC,         [SYNC_FDATASYNC] = VM_FDATASYNC,
	    [SYNC_RANGE] = VM_SYNC_RANGE,    [SYNC_FTRUNCATE] = VM_FTRUNCATE,
	    [SYNC_FALLOCATE] = VM_FALLOCATE, [SYNC_PUNCH_HOLE] = VM_PUNCH_HOLE,
	};
	const struct op *op = t->op;
	int file = vm_file_find(&s->vm, op->name);
	if (file < 0) {
		task_exit(s, cpu, t, EXIT_ERROR);
		return RUN_DEAD;
	}
	struct fault_work w;
	fault_work_reset(&w);
	int rc = vm_file_sync(&s->vm, (uint32_t)file, ops[op->arg], op->offset, op->len, &w);
	if (sim_check_file_device(s))
		return RUN_FAILED;
	bool wait = op->arg == SYNC_FSYNC || op->arg == SYNC_FDATASYNC;
	return syscall_io_done(s, cpu, t, rc, &w, wait);
}

/*
 * __mm_populate after mlock: the locked parts of [addr, addr + len) that are not VM_LOCKONFAULT
 * fault in (write faults in private writable mappings); a page that cannot (SIGBUS past a
 * file's end, out of memory) is skipped, as mlockall's populate ignores errors. The process
 * waits for the disk reads.
 */
static enum run_result mlock_populate(struct sim *s, struct cpu *cpu, struct task *t, uint64_t addr,
                                      uint64_t len)
{
	simtime_t block_until_ps = 0;
	uint64_t at = addr & ~(s->vm.cfg.page_size - 1), end = addr + len, part_end;
	enum access_kind kind;
	while (vm_mlock_populate_next(t->mm, &at, end, &part_end, &kind)) {
		uint64_t ps = s->vm.cfg.page_size;
		for (; at < part_end; at += ps) {
			simtime_t until = 0;
			if (!touch_range(s, cpu, t, at, ps, kind, &until))
				block_until_ps = MAX(block_until_ps, until);
		}
	}
	return op_done_wait(s, cpu, t, block_until_ps);
}

/* mlock, mlock2(MLOCK_ONFAULT), munlock, mlockall, munlockall (models/vm/mlock.c), then the
 * populate of what they locked. A range not mapped is Linux's -ENOMEM: counted, nothing
 * changes. */
static enum run_result sys_mlock(struct sim *s, struct cpu *cpu, struct task *t)
{
	const struct op *op = t->op;
	struct vm *vm = &s->vm;
	int rc;
	uint64_t addr = op->addr, len = op->len;
	unsigned mcl = op->flags;
	switch (op->arg) {
	case MLOCK_CALL_MLOCK:
		rc = vm_mlock(vm, t->mm, addr, len,
		              (op->flags & MLOCKF_ONFAULT) ? VM_LOCKONFAULT : 0);
		break;
	case MLOCK_CALL_MUNLOCK:
		rc = vm_munlock(vm, t->mm, addr, len);
		break;
	case MLOCK_CALL_MLOCKALL:
		rc = vm_mlockall(vm, t->mm, mcl);
		addr = 0;
		len = (mcl & MCLF_CURRENT) ? UINT64_MAX : 0;
		break;
	default:
		rc = vm_mlockall(vm, t->mm, 0);
		len = 0;
	}
	s->c.mlock_calls++;
	s->c.mlock_failed += rc != 0;
	struct fault_work w;
	fault_work_reset(&w);
	enum run_result r = syscall_done(s, cpu, t, 0, &w);
	bool populate = !rc && len && (op->arg == MLOCK_CALL_MLOCK || op->arg == MLOCK_CALL_MLOCKALL);
	if (r != RUN_AGAIN || !populate)
		return r;
	return mlock_populate(s, cpu, t, addr, len);
}

/* set_mempolicy (len 0) or mbind: a policy Linux refuses (-EINVAL: an unknown mode, a node
 * not in memory.nodes, an unmapped range) changes nothing and is counted. */
static enum run_result sys_mempolicy(struct sim *s, struct cpu *cpu, struct task *t)
{
	const struct op *op = t->op;
	int rc = op->len ? vm_mbind(&s->vm, t->mm, op->addr, op->len, op->prot, op->arg)
	                 : vm_set_mempolicy(&s->vm, t->mm, op->prot, op->arg);
	s->c.mempolicy_calls++;
	s->c.mempolicy_einval += rc != 0;
	struct fault_work w;
	fault_work_reset(&w);
	return syscall_done(s, cpu, t, 0, &w);
}

/*
 * A shmem object by name (models/vm/shmem.c): `shmem NAME SIZE` creates or resizes it,
 * `unlink` takes its name away, an mmap of shmem:NAME or sysv:NAME (shmat: no fault-around)
 * maps it as a file. A name with no live object (unlinked before this process's call, in the
 * simulated order) ends the process, as an unknown file does.
 */
static enum run_result sys_shm(struct sim *s, struct cpu *cpu, struct task *t)
{
	const struct op *op = t->op;
	struct fault_work w;
	fault_work_reset(&w);
	if (op->arg == SHM_TRUNCATE)
		return syscall_done(s, cpu, t, vm_shm_truncate(&s->vm, op->name, op->len, &w), &w);
	if (op->arg == SHM_UNLINK)
		return syscall_done(s, cpu, t, vm_shm_unlink(&s->vm, op->name, &w), &w);
	int file = vm_shm_find(&s->vm, op->name);
	uint32_t flags = prot_to_vm_flags(op->prot) | ((op->flags & MAPF_SHARED) ? VM_SHARED : 0) |
	                 (op->arg == SHM_ATTACH ? VM_NO_MAP_PAGES : 0);
	int rc = file < 0 ? -1
	                  : vm_mmap_file(&s->vm, t->mm, op->addr, op->len, flags, (uint32_t)file,
	                                 op->offset, &w);
	enum run_result r = syscall_done(s, cpu, t, rc, &w);
	if (r != RUN_AGAIN || !(op->flags & MAPF_POPULATE))
		return r;
	bool write = (flags & (VM_WRITE | VM_SHARED)) == VM_WRITE;
	return populate_range(s, cpu, t, op->addr, op->len, write ? ACCESS_WRITE : ACCESS_READ);
}

/* sigaction of SIGSEGV or SIGBUS: a handler (the process survives the signals of its
 * accesses: run.c's access_signal), or SIG_DFL / SIG_IGN (they kill it). */
static enum run_result sys_sigaction(struct sim *s, struct cpu *cpu, struct task *t)
{
	const struct op *op = t->op;
	uint8_t bit = op->arg == OPSIG_BUS ? TASK_HANDLES_BUS : TASK_HANDLES_SEGV;
	struct task *g = t->group_leader;
	g->sig_handled = (uint8_t)((op->flags & SIGACTF_DEFAULT) ? g->sig_handled & ~bit
	                                                           : g->sig_handled | bit);
	struct fault_work w;
	fault_work_reset(&w);
	return syscall_done(s, cpu, t, 0, &w);
}

enum run_result do_syscall(struct sim *s, struct cpu *cpu, struct task *t)
{
	struct op *op = t->op;
	struct fault_work w;
	fault_work_reset(&w);
	switch (op->kind) {
	case OP_MMAP:
		return sys_mmap(s, cpu, t);
	case OP_MUNMAP:
		return syscall_done(s, cpu, t, vm_munmap(&s->vm, t->mm, op->addr, op->len, &w), &w);
	case OP_MPROTECT:
		return syscall_done(
		    s, cpu, t,
		    vm_mprotect(&s->vm, t->mm, op->addr, op->len, prot_to_vm_flags(op->prot), &w),
		    &w);
	case OP_MSYNC:
		return sys_msync(s, cpu, t);
	case OP_MADVISE:
		return sys_madvise(s, cpu, t);
	case OP_FILE:
		vm_file_declare(&s->vm, op->name, op->len);
		if (sim_check_file_device(s))
			return RUN_FAILED;
		cpu->clock_ps += s->timing_on ? 0 : s->untimed_access_ps;
		t->has_op = false;
		return RUN_AGAIN;
	case OP_FORK:
		return sys_fork(s, cpu, t);
	case OP_VFORK:
		return sys_vfork(s, cpu, t);
	case OP_THREAD:
		return sys_thread(s, cpu, t);
	case OP_WAIT:
		return sys_wait(s, cpu, t);
	case OP_MARK:
		return sys_mark(s, cpu, t);
	case OP_EXECVE:
	case OP_EXEC_BARE:
		return sys_execve(s, cpu, t);
	case OP_MEMORY_RECLAIM:
		return sys_memory_reclaim(s, cpu, t);
	case OP_MREMAP:
		return sys_mremap(s, cpu, t);
	case OP_BRK:
		return sys_brk(s, cpu, t);
	case OP_FILE_RW:
		return sys_file_rw(s, cpu, t);
	case OP_FILE_SYNC:
		return sys_file_sync(s, cpu, t);
	case OP_MEMPOLICY:
		return sys_mempolicy(s, cpu, t);
	case OP_MLOCK:
		return sys_mlock(s, cpu, t);
	case OP_SHM:
		return sys_shm(s, cpu, t);
	case OP_SIGACTION:
		return sys_sigaction(s, cpu, t);
	case OP_EXIT:
		cpu->clock_ps += syscall_cost(s, cpu, &w);
		task_exit(s, cpu, t, EXIT_NORMAL);
		return RUN_DEAD;
	default:
		BUG_ON(1, "unknown operation kind %u", op->kind);
	}
	return RUN_AGAIN;
}
