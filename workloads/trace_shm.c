/*
 * trace_shm.c — the rules and vmt lines of two system-call kinds of issue 15, whatever the
 * trace's format: OP_SHM (shmem objects by name: `shmem NAME SIZE`, `unlink NAME`, an mmap of
 * shmem:NAME:OFFSET or sysv:NAME:OFFSET) and OP_SIGACTION (`sigaction segv|bus [default]`).
 *
 * A shmem name is checked in file order as file names are: an mmap or unlink must come after
 * a `shmem NAME SIZE` of that name somewhere earlier in the file (the simulation then follows
 * the processes' own order: an object unlinked and not created again before a later mapping
 * runs is an error of that process, sim.unsupported_operations). A name is either a file's or
 * a shmem object's, never both.
 */
#include "workloads/trace_source.h"

#include <string.h>

/* The largest size or offset of a shmem object (bytes), as for files. */
#define SHM_SIZE_LIMIT (1ull << 48)

static int check_shm_map(struct trace_source *s, const struct op *op, struct err *err)
{
	char what[160];
	if (op->len == 0 || op->addr >= TRACE_VA_LIMIT || op->len > TRACE_VA_LIMIT - op->addr) {
		snprintf(what, sizeof(what), "shm mmap: range 0x%llx + 0x%llx is empty or goes "
		         "beyond the 57-bit virtual address space",
		         (unsigned long long)op->addr, (unsigned long long)op->len);
		return trace_source_bad(s, err, what);
	}
	if (op->flags & ~(MAPF_SHARED | MAPF_POPULATE))
		return trace_source_bad(s, err, "shm mmap: only shared, private and populate apply");
	if (op->arg == SHM_ATTACH && !(op->flags & MAPF_SHARED))
		return trace_source_bad(s, err, "shmat: a sysv segment is attached shared");
	if (op->prot > (PROT_R | PROT_W | PROT_X) || op->offset > SHM_SIZE_LIMIT)
		return trace_source_bad(s, err, "shm mmap: bad protection or offset");
	return 0;
}

/* The operands of `shmem` and `unlink`: nothing but the name (and shmem's size). */
static int check_shm_name_op(struct trace_source *s, const struct op *op, struct err *err)
{
	if (op->addr || op->prot || op->flags || op->offset ||
	    (op->arg == SHM_UNLINK && op->len))
		return trace_source_bad(s, err, "shmem/unlink: an operand it does not take");
	if (op->len > SHM_SIZE_LIMIT)
		return trace_source_bad(s, err, "shmem: a size beyond 2^48 bytes");
	return 0;
}

static int check_shm(struct trace_source *s, struct op *op, struct err *err)
{
	char what[1200];
	if (op->arg == 0 || op->arg >= SHM_KIND_COUNT || !op->name)
		return trace_source_bad(s, err, "shm: unknown operation or no name");
	if (op->arg == SHM_MAP || op->arg == SHM_ATTACH ? check_shm_map(s, op, err)
	                                                : check_shm_name_op(s, op, err))
		return -VMSIM_EINVAL;
	if (trace_source_name(s, op->name, 1)) {
		snprintf(what, sizeof(what), "%s is a file, not a shmem object", op->name);
		return trace_source_bad(s, err, what);
	}
	struct trace_name *n = trace_source_name(s, op->name, TRACE_NAME_SHMEM);
	if (!n && op->arg != SHM_TRUNCATE) {
		snprintf(what, sizeof(what),
		         "shmem object %s was never created (a \"PID shmem NAME SIZE\" line must "
		         "come first)",
		         op->name);
		return trace_source_bad(s, err, what);
	}
	op->name = (n ? n : trace_source_name_add(s, op->name, TRACE_NAME_SHMEM))->name;
	return 0;
}

static int check_sigaction(struct trace_source *s, const struct op *op, struct err *err)
{
	if (op->arg != OPSIG_SEGV && op->arg != OPSIG_BUS)
		return trace_source_bad(s, err, "sigaction: only SIGSEGV (11) and SIGBUS (7)");
	if (op->flags & ~SIGACTF_DEFAULT || op->addr || op->len || op->prot || op->offset ||
	    op->name)
		return trace_source_bad(s, err, "sigaction: an operand it does not take");
	return 0;
}

int trace_check_shm_sig(struct trace_source *s, struct op *op, struct err *err)
{
	return op->kind == OP_SHM ? check_shm(s, op, err) : check_sigaction(s, op, err);
}

size_t trace_format_shm_sig(const struct op *op, char *buf, size_t len)
{
	unsigned long long pid = op->pid;
	int n;
	if (op->kind == OP_SIGACTION)
		n = snprintf(buf, len, "%llu sigaction %s%s", pid,
		             op->arg == OPSIG_SEGV ? "segv" : "bus",
		             (op->flags & SIGACTF_DEFAULT) ? " default" : "");
	else if (op->arg == SHM_TRUNCATE)
		n = snprintf(buf, len, "%llu shmem %s 0x%llx", pid, op->name,
		             (unsigned long long)op->len);
	else if (op->arg == SHM_UNLINK)
		n = snprintf(buf, len, "%llu unlink %s", pid, op->name);
	else
		n = snprintf(buf, len, "%llu mmap 0x%llx 0x%llx %s %s:%s:0x%llx %s%s", pid,
		             (unsigned long long)op->addr, (unsigned long long)op->len,
		             trace_prot_name(op->prot), op->arg == SHM_ATTACH ? "sysv" : "shmem",
		             op->name, (unsigned long long)op->offset,
		             (op->flags & MAPF_SHARED) ? "shared" : "private",
		             (op->flags & MAPF_POPULATE) ? " populate" : "");
	BUG_ON(n < 0 || (size_t)n >= len, "vmt line too long");
	return (size_t)n;
}
