/*
 * trace_source.c — see trace_source.h; also the table of trace formats (the text helpers
 * the readers share, op names and vmt formatting, are in trace_text.c).
 */
#include "workloads/trace_source.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct trace_format *const trace_formats[] = {
    &trace_format_pages,  &trace_format_vmt,      &trace_format_vmb, &trace_format_lackey,
    &trace_format_oracle, &trace_format_champsim, &trace_format_lis, &trace_format_trc,
    &trace_format_txt,    &trace_format_csv,
};

const struct trace_format *trace_format_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(trace_formats); i++)
		if (strcmp(trace_formats[i]->name, name) == 0)
			return trace_formats[i];
	return NULL;
}

static int ends_with(const char *s, const char *end, size_t end_len)
{
	size_t n = strlen(s);
	return n >= end_len && memcmp(s + n - end_len, end, end_len) == 0;
}

const struct trace_format *trace_format_guess(const char *path)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return &trace_format_lackey;
	for (size_t i = 0; i < ARRAY_SIZE(trace_formats); i++) {
		const char *e = trace_formats[i]->extensions;
		while (*e) {
			size_t n = strcspn(e, "|");
			if (ends_with(path, e, n))
				return trace_formats[i];
			e += n + (e[n] == '|');
		}
	}
	return NULL;
}

int trace_source_open(struct trace_source *s, const char *path, const struct trace_format *fmt,
                      const struct trace_read_opts *opts, struct err *err)
{
	memset(s, 0, sizeof(*s));
	if (!fmt)
		fmt = trace_format_guess(path);
	if (!fmt)
		return err_set(err,
		               "%s: cannot tell the trace format from the name (use a "
		               ".vmt, .vmb, .pages, .lackey or .oracleGeneral[.zst] ending, "
		               "or name the format)",
		               path);
	int rc = fmt->open(&s->reader, path, opts, err);
	if (rc < 0)
		return rc;
	s->fmt = fmt;
	s->path = xstrdup(path);
	trace_pidmap_init(&s->pids);
	s->batch = xmalloc(TRACE_SOURCE_BATCH * sizeof(*s->batch));
	s->held_err = xcalloc(1, sizeof(*s->held_err));
	return 0;
}

struct trace_proc *trace_source_proc(struct trace_source *s, uint32_t pid)
{
	if (pid == 0)
		return NULL;
	int64_t i = trace_pidmap_get(&s->pids, pid);
	return i < 0 ? NULL : &s->procs[i];
}

static struct trace_proc *proc_add(struct trace_source *s, uint32_t pid, uint32_t parent)
{
	if (s->nr_procs == s->cap_procs) {
		s->cap_procs = s->cap_procs ? s->cap_procs * 2 : 16;
		s->procs = xrealloc(s->procs, s->cap_procs * sizeof(*s->procs));
	}
	struct trace_proc *p = &s->procs[s->nr_procs];
	*p = (struct trace_proc){.pid = pid, .parent = parent, .state = TRACE_PROC_LIVE};
	s->nr_live++;
	trace_pidmap_put(&s->pids, pid, s->nr_procs++);
	return p;
}

static struct trace_name *name_find(struct trace_source *s, const char *name, int is_file)
{
	for (uint32_t i = 0; i < s->nr_names; i++)
		if (s->names[i].is_file == is_file && strcmp(s->names[i].name, name) == 0)
			return &s->names[i];
	return NULL;
}

static struct trace_name *name_add(struct trace_source *s, const char *name, int is_file,
                                   uint64_t size_bytes)
{
	if (s->nr_names == s->cap_names) {
		s->cap_names = s->cap_names ? s->cap_names * 2 : 16;
		s->names = xrealloc(s->names, s->cap_names * sizeof(*s->names));
	}
	struct trace_name *n = &s->names[s->nr_names++];
	*n = (struct trace_name){
	    .name = xstrdup(name), .size_bytes = size_bytes, .is_file = is_file};
	return n;
}

/* An image's or a cgroup's name, kept for the whole run (the op's is borrowed). */
static const char *name_keep(struct trace_source *s, const char *name)
{
	struct trace_name *n = name_find(s, name, 0);
	return (n ? n : name_add(s, name, 0, 0))->name;
}

struct trace_name *trace_source_name(struct trace_source *s, const char *name, int is_file)
{
	return name_find(s, name, is_file);
}

struct trace_name *trace_source_name_add(struct trace_source *s, const char *name, int is_file)
{
	return name_add(s, name, is_file, 0);
}

#define WHERE_LEN 1200

static int bad(struct trace_source *s, struct err *err, const char *fmt, ...) PRINTF_LIKE(3, 4);
static int bad(struct trace_source *s, struct err *err, const char *fmt, ...)
{
	char where[WHERE_LEN], what[600];
	s->fmt->where(s->reader, where, sizeof(where));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return err_set(err, "%s: %s", where, what);
}

int trace_source_bad(struct trace_source *s, struct err *err, const char *what)
{
	return bad(s, err, "%s", what);
}

/* A wait names a child of the waiting process (or any child: arg 0). */
static int check_wait(struct trace_source *s, const struct op *op, struct err *err)
{
	if (!op->arg)
		return 0;
	struct trace_proc *c =
	    op->arg <= UINT32_MAX ? trace_source_proc(s, (uint32_t)op->arg) : NULL;
	if (!c || c->parent != op->pid)
		return bad(s, err, "pid %u waits for pid %llu, which is not its child", op->pid,
		           (unsigned long long)op->arg);
	return 0;
}

/* fork's or vfork's child or a new thread: an id in 1..UINT32_MAX never used before (pids
 * and thread ids share one space, as in Linux), then known; a thread has no parent (it is not
 * waited for). */
static int check_new_task(struct trace_source *s, const struct op *op, struct err *err)
{
	bool fork = op->kind == OP_FORK || op->kind == OP_VFORK;
	if (op->arg == 0 || op->arg > UINT32_MAX)
		return bad(s, err, "%s %llu is not in 1..%u",
		           fork ? "fork: child pid" : "thread: thread id",
		           (unsigned long long)op->arg, UINT32_MAX);
	if (trace_source_proc(s, (uint32_t)op->arg) && fork)
		return bad(s, err,
		           "%s of pid %llu, which already exists (pids are never reused in a trace)",
		           op->kind == OP_VFORK ? "vfork" : "fork", (unsigned long long)op->arg);
	if (trace_source_proc(s, (uint32_t)op->arg))
		return bad(s, err,
		           "thread %llu, whose id is already used (thread ids and pids share one "
		           "space and are never reused in a trace)",
		           (unsigned long long)op->arg);
	proc_add(s, (uint32_t)op->arg, fork ? op->pid : 0);
	return 0;
}

/* Simulated time is a 64-bit count of picoseconds: neither one compute op nor all of them
 * together may overflow it (the total is refused at the line that passes its limit). */
static int check_compute(struct trace_source *s, const struct op *op, struct err *err)
{
	if (op->arg > TRACE_COMPUTE_MAX_NS)
		return bad(
		    s, err,
		    "compute of %llu ns is beyond the limit of %llu ns (1000 s) per operation",
		    (unsigned long long)op->arg, (unsigned long long)TRACE_COMPUTE_MAX_NS);
	if (op->arg > TRACE_COMPUTE_TOTAL_MAX_NS - s->compute_ns)
		return bad(
		    s, err,
		    "compute of %llu ns brings the trace's compute to %llu ns, beyond the limit "
		    "of %llu ns (11.6 days) per trace (the simulated clock counts picoseconds "
		    "up to 2^63 - 1)",
		    (unsigned long long)op->arg, (unsigned long long)(s->compute_ns + op->arg),
		    (unsigned long long)TRACE_COMPUTE_TOTAL_MAX_NS);
	s->compute_ns += op->arg;
	return 0;
}

static int check_range(struct trace_source *s, const struct op *op, struct err *err)
{
	if (op->len == 0)
		return bad(s, err, "empty range (length 0)");
	if (op->addr >= TRACE_VA_LIMIT || op->len > TRACE_VA_LIMIT - op->addr)
		return bad(s, err,
		           "range 0x%llx + 0x%llx goes beyond the 57-bit virtual address space",
		           (unsigned long long)op->addr, (unsigned long long)op->len);
	return 0;
}

/* A recorded result (enum op_result_flags): an address in offset or a named errno in prot. */
static int check_result(struct trace_source *s, const struct op *op, struct err *err)
{
	if ((op->flags & OPRES_ADDR) && (op->flags & OPRES_ERRNO))
		return bad(s, err, "a result is both an address and an errno");
	if ((op->flags & OPRES_ERRNO) ? !trace_errno_name(op->prot) : op->prot != 0)
		return bad(s, err, "bad errno %u in a result", op->prot);
	if ((op->flags & OPRES_ADDR) && op->offset >= TRACE_VA_LIMIT)
		return bad(s, err,
		           "result address 0x%llx is beyond the 57-bit virtual address space",
		           (unsigned long long)op->offset);
	return 0;
}

/* mmap's flags and its recorded result (in arg: an address or an errno number). */
static int check_mmap_flags(struct trace_source *s, const struct op *op, struct err *err)
{
	if ((op->flags & MAPF_FILE) && !op->name) /* (a vmb record may leave the name out) */
		return bad(s, err, "mmap of a file without a file name");
	if ((op->flags & 0x30) || (op->xflags & ~MAPX_KNOWN) ||
	    ((op->xflags & MAPX_HINT) && (op->xflags & MAPX_NOREPLACE)))
		return bad(s, err, "mmap: unknown or conflicting flags 0x%x 0x%x", op->flags,
		           op->xflags);
	if ((op->flags & OPRES_ADDR) && (op->flags & OPRES_ERRNO))
		return bad(s, err, "a result is both an address and an errno");
	if ((op->flags & OPRES_ERRNO) && (op->arg > 255 || !trace_errno_name((unsigned)op->arg)))
		return bad(s, err, "bad errno %llu in a result", (unsigned long long)op->arg);
	if ((op->flags & OPRES_ADDR) && op->arg >= TRACE_VA_LIMIT)
		return bad(s, err, "result address 0x%llx is beyond the 57-bit virtual address space",
		           (unsigned long long)op->arg);
	if (!(op->flags & (OPRES_ADDR | OPRES_ERRNO)) && op->arg)
		return bad(s, err, "mmap: a result value without a result");
	return 0;
}

/* mremap: flags, the old range (its length may be 0), the new length and address. */
static int check_mremap(struct trace_source *s, const struct op *op, struct err *err)
{
	unsigned known =
	    MREMAPF_MAYMOVE | MREMAPF_FIXED | MREMAPF_DONTUNMAP | OPRES_ADDR | OPRES_ERRNO;
	if (op->flags & ~known)
		return bad(s, err, "mremap: unknown flag bits 0x%x", op->flags & ~known);
	if (op->name)
		return bad(s, err, "mremap: a name is not an operand");
	if (op->addr >= TRACE_VA_LIMIT || op->len > TRACE_VA_LIMIT - op->addr ||
	    op->arg > TRACE_VA_LIMIT || op->offset >= TRACE_VA_LIMIT)
		return bad(s, err, "mremap: range goes beyond the 57-bit virtual address space");
	if (!(op->flags & (MREMAPF_FIXED | OPRES_ADDR)) && op->offset)
		return bad(s, err, "mremap: an address without fixed or a result");
	return check_result(s, op, err);
}

/* The largest file offset an operation may name (bytes). */
#define TRACE_FILE_LIMIT (1ull << 48)

/* read/write/fsync...: a declared file, a known sync kind and flags, a range that fits.
 * Returns 1 (the op is good; its process is the live one), or < 0. */
static int check_file_op(struct trace_source *s, struct op *op, struct err *err)
{
	if (!op->name) /* (a vmb extended record may leave the name out) */
		return bad(s, err, "%s without a file name",
		           op->kind == OP_FILE_RW ? "read/write" : "fsync/ftruncate/fallocate");
	struct trace_name *n = name_find(s, op->name, 1);
	if (!n)
		return bad(s, err,
		           "%s of file %s, which was not declared "
		           "(a \"file NAME SIZE\" line must come first)",
		           op->kind == OP_FILE_RW ? "read/write" : "fsync/ftruncate/fallocate",
		           op->name);
	op->name = n->name;
	if (op->kind == OP_FILE_RW && (op->flags & ~(RWF_WRITE | RWF_DIRECT | RWF_BUF)))
		return bad(s, err, "read/write: unknown flags 0x%x", op->flags);
	if (op->kind == OP_FILE_SYNC && (op->arg == 0 || op->arg >= SYNC_KIND_COUNT))
		return bad(s, err, "file sync: unknown kind %llu", (unsigned long long)op->arg);
	if (op->offset > TRACE_FILE_LIMIT || op->len > TRACE_FILE_LIMIT - op->offset)
		return bad(s, err, "file range 0x%llx + 0x%llx goes beyond 2^48 bytes",
		           (unsigned long long)op->offset, (unsigned long long)op->len);
	if ((op->flags & RWF_BUF) && op->kind == OP_FILE_RW &&
	    (op->addr >= TRACE_VA_LIMIT || op->len > TRACE_VA_LIMIT - op->addr))
		return bad(s, err,
		           "buffer 0x%llx + 0x%llx goes beyond the 57-bit virtual address space",
		           (unsigned long long)op->addr, (unsigned long long)op->len);
	s->live_pid = op->pid;
	return 1;
}

/* The rules of the extended kinds that have no case of their own in source_check. */
static int check_mlock(struct trace_source *s, const struct op *op, struct err *err)
{
	if (op->arg == 0 || op->arg >= MLOCK_CALL_COUNT)
		return bad(s, err, "mlock: call %llu (expected 1..%u)", (unsigned long long)op->arg,
		           MLOCK_CALL_COUNT - 1);
	if (op->arg == MLOCK_CALL_MLOCKALL &&
	    ((op->flags & ~(MCLF_CURRENT | MCLF_FUTURE | MCLF_ONFAULT)) ||
	     !(op->flags & (MCLF_CURRENT | MCLF_FUTURE))))
		return bad(s, err, "mlockall: flags 0x%x (Linux: EINVAL)", op->flags);
	if (op->arg == MLOCK_CALL_MLOCK || op->arg == MLOCK_CALL_MUNLOCK) {
		if (op->flags & ~(op->arg == MLOCK_CALL_MLOCK ? MLOCKF_ONFAULT : 0))
			return bad(s, err, "mlock: flags 0x%x", op->flags);
		return check_range(s, op, err);
	}
	return 0;
}

static int check_extended(struct trace_source *s, struct op *op, struct err *err)
{
	if (op->kind == OP_SHM || op->kind == OP_SIGACTION)
		return trace_check_shm_sig(s, op, err);
	if (op->kind == OP_BRK) {
		if ((op->flags & ~OPRES_ADDR) || op->name || op->prot || op->len || op->arg ||
		    (!(op->flags & OPRES_ADDR) && op->offset))
			return bad(s, err, "brk: only an address and a result address are operands");
		if (op->addr >= TRACE_VA_LIMIT)
			return bad(s, err, "brk: address 0x%llx is beyond the 57-bit virtual address space",
			           (unsigned long long)op->addr);
		return check_result(s, op, err);
	}
	if (op->kind == OP_MLOCK)
		return check_mlock(s, op, err);
	if (op->kind != OP_MEMPOLICY)
		return 0;
	if (op->prot >= MPOL_MODE_COUNT)
		return bad(s, err, "mempolicy: mode %u (expected 0..%u)", op->prot,
		           MPOL_MODE_COUNT - 1);
	if (op->len)
		return check_range(s, op, err);
	return op->addr ? bad(s, err, "mempolicy: an address without a length") : 0;
}

/* Every rule, for the operations the fast path of trace_source_next does not take (kept out
 * of line so that the fast path needs no stack frame). */
static __attribute__((noinline)) int source_check(struct trace_source *s, struct op *op,
                                                  struct err *err)
{
	if (op->kind == OP_FILE) {
		struct trace_name *n = name_find(s, op->name, 1);
		if (name_find(s, op->name, TRACE_NAME_SHMEM))
			return bad(s, err, "file %s: the name of a shmem object", op->name);
		if (n && n->size_bytes != op->len)
			return bad(s, err, "file %s declared again with size %llu (was %llu)",
			           op->name, (unsigned long long)op->len,
			           (unsigned long long)n->size_bytes);
		if (!n)
			n = name_add(s, op->name, 1, op->len);
		op->name = n->name;
		op->pid = 0;
		return 1;
	}
	struct trace_proc *p = trace_source_proc(s, op->pid);
	if (!p) {
		if (s->initial_pid || op->pid == 0)
			return bad(s, err, "pid %u does not exist (it was never forked)", op->pid);
		s->initial_pid = op->pid;
		p = proc_add(s, op->pid, 0);
	}
	if (p->state == TRACE_PROC_EXITED)
		return bad(s, err, "pid %u has exited; no operation may follow its exit", op->pid);
	switch (op->kind) {
	case OP_READ:
	case OP_WRITE:
	case OP_EXEC:
		if (op->addr >= TRACE_VA_LIMIT)
			return bad(s, err,
			           "address 0x%llx is beyond the 57-bit virtual address space",
			           (unsigned long long)op->addr);
		break;
	case OP_MMAP:
		if (check_range(s, op, err))
			return -VMSIM_EINVAL;
		if (check_mmap_flags(s, op, err))
			return -VMSIM_EINVAL;
		if (op->flags & MAPF_FILE) {
			struct trace_name *n = name_find(s, op->name, 1);
			if (!n)
				return bad(s, err,
				           "mmap of file %s, which was not declared "
				           "(a \"file NAME SIZE\" line must come first)",
				           op->name);
			op->name = n->name;
		}
		break;
	case OP_MUNMAP:
	case OP_MPROTECT:
	case OP_MADVISE:
	case OP_MSYNC:
		if (check_range(s, op, err) || (op->kind == OP_MADVISE && check_result(s, op, err)))
			return -VMSIM_EINVAL;
		break;
	case OP_COMPUTE:
	case OP_MREMAP:
		if ((op->kind == OP_MREMAP ? check_mremap : check_compute)(s, op, err))
			return -VMSIM_EINVAL;
		break;
	case OP_FORK:
	case OP_VFORK:
	case OP_THREAD:
		if (check_new_task(s, op, err))
			return -VMSIM_EINVAL;
		break;
	case OP_WAIT:
		if (check_wait(s, op, err))
			return -VMSIM_EINVAL;
		break;
	case OP_EXEC_BARE: /* (a vmb extended record may come without its name) */
		if (!op->name)
			return bad(s, err, "exec without a program name");
		/* fall through */
	case OP_EXECVE:
		op->name = name_keep(s, op->name);
		break;
	case OP_FILE_RW:
	case OP_FILE_SYNC:
		return check_file_op(s, op, err);
	case OP_MEMORY_RECLAIM:
		if (op->name) /* (a cgroup name: kept as images' are, for the whole run) */
			op->name = name_keep(s, op->name);
		break;
	case OP_EXIT:
		p->state = TRACE_PROC_EXITED;
		s->nr_live--;
		s->live_pid = 0;
		return 1;
	default:
		if (check_extended(s, op, err))
			return -VMSIM_EINVAL;
		break;
	}
	s->live_pid = op->pid; /* (the other kinds need no check) */
	return 1;
}

/* The hot case of the checks: an access by the live process of the previous operation. */
static inline int source_check_fast(const struct trace_source *s, const struct op *op)
{
	return op->kind <= OP_EXEC && op->pid == s->live_pid && op->addr < TRACE_VA_LIMIT;
}

/* Read and check the next batch of ops into s->batch: 1, 0 at the end, < 0 with err (an
 * error after some ops is held for the next call). Every op is checked as it arrives, so
 * where() names it (struct trace_format's read_batch ends a batch after every op whose check
 * can fail). */
static int source_fill(struct trace_source *s, struct err *err)
{
	s->head = s->count = 0;
	if (unlikely(s->held_rc < 0)) {
		if (err)
			*err = *s->held_err;
		return s->held_rc;
	}
	uint32_t n = 0;
	int rc = 1;
	if (s->fmt->read_batch) {
		rc = s->fmt->read_batch(s->reader, s->batch, TRACE_SOURCE_BATCH, err);
		if (rc > 0) {
			uint32_t got = (uint32_t)rc;
			for (; n < got; n++) {
				struct op *op = &s->batch[n];
				if (likely(source_check_fast(s, op)))
					continue;
				rc = source_check(s, op, n ? s->held_err : err);
				if (rc < 0)
					break;
			}
		}
	} else {
		/* One read and its check at a time (names are interned by the check). */
		while (n < TRACE_SOURCE_BATCH) {
			struct op *op = &s->batch[n];
			rc = s->fmt->read(s->reader, op, n ? s->held_err : err);
			if (rc > 0 && !source_check_fast(s, op))
				rc = source_check(s, op, n ? s->held_err : err);
			if (rc <= 0)
				break;
			n++;
		}
	}
	s->count = n;
	if (n) {
		if (rc < 0)
			s->held_rc = rc;
		return 1;
	}
	if (rc == 0 && !s->initial_pid)
		return err_set(err, "%s: the trace holds no process operation (empty trace)",
		               s->path);
	return rc;
}

int trace_source_next(struct trace_source *s, struct op *op, struct err *err)
{
	if (unlikely(s->head == s->count)) {
		int rc = source_fill(s, err);
		if (rc <= 0)
			return rc;
	}
	*op = s->batch[s->head++];
	return 1;
}

bool trace_source_all_exited(const struct trace_source *s)
{
	if (s->nr_live || !s->initial_pid)
		return false;
	/* nr_live counts the ops read ahead: the last exit must not be among them. */
	for (uint32_t i = s->head; i < s->count; i++)
		if (s->batch[i].kind != OP_FILE)
			return false;
	return true;
}

void trace_source_close(struct trace_source *s)
{
	if (s->fmt)
		s->fmt->close(s->reader);
	for (uint32_t i = 0; i < s->nr_procs; i++)
		free(s->procs[i].q);
	free(s->procs);
	for (uint32_t i = 0; i < s->nr_names; i++)
		free(s->names[i].name);
	free(s->names);
	free(s->batch);
	free(s->held_err);
	if (s->fmt)
		trace_pidmap_fini(&s->pids);
	free(s->path);
	memset(s, 0, sizeof(*s));
}
