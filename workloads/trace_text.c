/*
 * trace_text.c — the text helpers the trace readers and writers share (declared in
 * trace_source.h): numbers, protections, madvise advice, mempolicy modes and errno names, and
 * one op formatted as its vmt line (trace_format_op), recorded results included.
 */
#include "workloads/trace_source.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int trace_parse_u64(const char **pp, uint64_t *out)
{
	const unsigned char *p = (const unsigned char *)*pp;
	uint64_t v = 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		const unsigned char *start = p;
		for (;; p++) {
			unsigned d;
			if (*p >= '0' && *p <= '9')
				d = *p - '0';
			else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
				d = (*p | 0x20) - 'a' + 10;
			else
				break;
			if (v >> 60)
				return -1;
			v = (v << 4) | d;
		}
		if (p == start)
			return -1;
	} else {
		const unsigned char *start = p;
		for (; *p >= '0' && *p <= '9'; p++) {
			unsigned d = *p - '0';
			if (v > (UINT64_MAX - d) / 10)
				return -1;
			v = v * 10 + d;
		}
		if (p == start)
			return -1;
	}
	if (*p != '\0' && *p != ' ' && *p != '\t' && *p != '#')
		return -1;
	*pp = (const char *)p;
	*out = v;
	return 0;
}

static const char *const prot_names[8] = {"none", "r", "w", "rw", "x", "rx", "wx", "rwx"};

const char *trace_prot_name(unsigned prot)
{
	return prot_names[prot & 7];
}

int trace_parse_prot(const char *tok, size_t len)
{
	if (len == 4 && memcmp(tok, "none", 4) == 0)
		return 0;
	int prot = 0;
	size_t i = 0;
	if (i < len && tok[i] == 'r')
		prot |= PROT_R, i++;
	if (i < len && tok[i] == 'w')
		prot |= PROT_W, i++;
	if (i < len && tok[i] == 'x')
		prot |= PROT_X, i++;
	return (i == len && prot) ? prot : -1;
}

static const char *const advice_names[ADV_COUNT] = {
    [ADV_HUGEPAGE] = "hugepage",
    [ADV_NOHUGEPAGE] = "nohugepage",
    [ADV_DONTNEED] = "dontneed",
    [ADV_NORMAL] = "normal",
    [ADV_RANDOM] = "random",
    [ADV_SEQUENTIAL] = "sequential",
    [ADV_WILLNEED] = "willneed",
    [ADV_FREE] = "free",
    [ADV_REMOVE] = "remove",
    [ADV_DONTFORK] = "dontfork",
    [ADV_DOFORK] = "dofork",
    [ADV_WIPEONFORK] = "wipeonfork",
    [ADV_KEEPONFORK] = "keeponfork",
    [ADV_COLD] = "cold",
    [ADV_PAGEOUT] = "pageout",
    [ADV_POPULATE_READ] = "populate_read",
    [ADV_POPULATE_WRITE] = "populate_write",
};

const char *trace_advice_name(unsigned adv)
{
	BUG_ON(adv < 1 || adv >= ADV_COUNT, "advice %u", adv);
	return advice_names[adv];
}

const char *trace_mpol_mode_name(unsigned mode)
{
	static const char *const names[MPOL_MODE_COUNT] = {"default", "preferred", "bind",
	                                                   "interleave", "local"};
	BUG_ON(mode >= MPOL_MODE_COUNT, "mempolicy mode %u", mode);
	return names[mode];
}

unsigned trace_advice_find(const char *tok, size_t len)
{
	for (unsigned a = 1; a < ADV_COUNT; a++)
		if (strlen(advice_names[a]) == len && memcmp(advice_names[a], tok, len) == 0)
			return a;
	return 0;
}

/* The errno values a recorded result may name (Linux x86-64 numbers). */
static const char *const errno_names[] = {
    [1] = "EPERM",  [11] = "EAGAIN", [12] = "ENOMEM", [14] = "EFAULT",
    [16] = "EBUSY", [17] = "EEXIST", [22] = "EINVAL",
};

const char *trace_errno_name(unsigned e)
{
	return e < sizeof(errno_names) / sizeof(errno_names[0]) ? errno_names[e] : NULL;
}

unsigned trace_errno_find(const char *tok, size_t len)
{
	for (unsigned e = 1; e < sizeof(errno_names) / sizeof(errno_names[0]); e++)
		if (errno_names[e] && strlen(errno_names[e]) == len &&
		    memcmp(errno_names[e], tok, len) == 0)
			return e;
	return 0;
}

size_t trace_format_result(const struct op *op, char *buf, size_t n, size_t len)
{
	int k = 0;
	if (op->flags & OPRES_ADDR)
		k = snprintf(buf + n, len - n, " = 0x%llx", (unsigned long long)op->offset);
	else if (op->flags & OPRES_ERRNO)
		k = snprintf(buf + n, len - n, " = %s", trace_errno_name(op->prot));
	BUG_ON(k < 0 || n + (size_t)k >= len, "vmt line too long");
	return n + (size_t)k;
}

/* "PID mremap ADDR OLD_LEN NEW_LEN [maymove] [fixed NEW_ADDR] [dontunmap] [= RESULT]" */
static size_t format_mremap(const struct op *op, char *buf, size_t len)
{
	int n =
	    snprintf(buf, len, "%llu mremap 0x%llx 0x%llx 0x%llx%s", (unsigned long long)op->pid,
	             (unsigned long long)op->addr, (unsigned long long)op->len,
	             (unsigned long long)op->arg, op->flags & MREMAPF_MAYMOVE ? " maymove" : "");
	BUG_ON(n < 0 || (size_t)n >= len, "vmt line too long");
	if (op->flags & MREMAPF_FIXED)
		n += snprintf(buf + n, len - (size_t)n, " fixed 0x%llx",
		              (unsigned long long)op->offset);
	if (op->flags & MREMAPF_DONTUNMAP)
		n += snprintf(buf + n, len - (size_t)n, " dontunmap");
	BUG_ON(n < 0 || (size_t)n >= len, "vmt line too long");
	return trace_format_result(op, buf, (size_t)n, len);
}

/* "PID mmap ADDR LEN PROT anon|file:NAME:OFFSET private|shared [FLAG...] [= RESULT]" */
static size_t format_mmap(const struct op *op, char *buf, size_t len)
{
	char mapping[1100] = "anon";
	if (op->flags & MAPF_FILE)
		snprintf(mapping, sizeof(mapping), "file:%s:0x%llx", op->name,
		         (unsigned long long)op->offset);
	int n = snprintf(buf, len, "%llu mmap 0x%llx 0x%llx %s %s %s%s%s%s%s%s%s",
	                 (unsigned long long)op->pid, (unsigned long long)op->addr,
	                 (unsigned long long)op->len, trace_prot_name(op->prot), mapping,
	                 op->flags & MAPF_SHARED ? "shared" : "private",
	                 op->flags & MAPF_HUGE ? " huge" : "",
	                 op->flags & MAPF_POPULATE ? " populate" : "",
	                 op->xflags & MAPX_HINT ? " hint" : "",
	                 op->xflags & MAPX_NOREPLACE ? " noreplace" : "",
	                 op->xflags & MAPX_NORESERVE ? " noreserve" : "",
	                 op->xflags & MAPX_GROWSDOWN ? " growsdown" : "");
	if (op->flags & OPRES_ERRNO)
		n += snprintf(buf + n, len - (size_t)n, " = %s", trace_errno_name((unsigned)op->arg));
	else if (op->flags & OPRES_ADDR)
		n += snprintf(buf + n, len - (size_t)n, " = 0x%llx", (unsigned long long)op->arg);
	BUG_ON(n < 0 || (size_t)n >= len, "vmt line too long");
	return (size_t)n;
}

static int format_file_rw(const struct op *op, char *buf, size_t len)
{
	char b[32] = "";
	if (op->flags & RWF_BUF)
		snprintf(b, sizeof(b), " 0x%llx", (unsigned long long)op->addr);
	return snprintf(buf, len, "%llu %s %s 0x%llx 0x%llx%s%s", (unsigned long long)op->pid,
	                (op->flags & RWF_WRITE) ? "write" : "read", op->name,
	                (unsigned long long)op->offset, (unsigned long long)op->len, b,
	                (op->flags & RWF_DIRECT) ? " direct" : "");
}

static int format_file_sync(const struct op *op, char *buf, size_t len)
{
	unsigned long long pid = op->pid, off = op->offset, l = op->len;
	switch (op->arg) {
	case SYNC_FSYNC:
	case SYNC_FDATASYNC:
		return snprintf(buf, len, "%llu %s %s", pid,
		                op->arg == SYNC_FSYNC ? "fsync" : "fdatasync", op->name);
	case SYNC_RANGE:
		return snprintf(buf, len, "%llu sync_file_range %s 0x%llx 0x%llx", pid, op->name,
		                off, l);
	case SYNC_FTRUNCATE:
		return snprintf(buf, len, "%llu ftruncate %s 0x%llx", pid, op->name, off);
	default:
		return snprintf(buf, len, "%llu fallocate %s 0x%llx 0x%llx%s", pid, op->name, off,
		                l, op->arg == SYNC_PUNCH_HOLE ? " punch_hole" : "");
	}
}

static int format_mlock(const struct op *op, char *buf, size_t len)
{
	unsigned long long pid = op->pid;
	switch (op->arg) {
	case MLOCK_CALL_MLOCK:
	case MLOCK_CALL_MUNLOCK:
		return snprintf(buf, len, "%llu %s 0x%llx 0x%llx%s", pid,
		                op->arg == MLOCK_CALL_MLOCK ? "mlock" : "munlock",
		                (unsigned long long)op->addr, (unsigned long long)op->len,
		                (op->flags & MLOCKF_ONFAULT) ? " onfault" : "");
	case MLOCK_CALL_MLOCKALL: {
		static const char *const words[] = {"current", "future", "onfault"};
		int n = snprintf(buf, len, "%llu mlockall ", pid);
		const char *sep = "";
		for (unsigned i = 0; i < 3; i++)
			if (op->flags & (1u << i)) {
				n += snprintf(buf + n, len - (size_t)n, "%s%s", sep, words[i]);
				sep = ",";
			}
		return n;
	}
	default:
		return snprintf(buf, len, "%llu munlockall", pid);
	}
}

size_t trace_format_vmt_line(const struct op *op, char *buf, size_t len)
{
	unsigned long long pid = op->pid, a = op->addr, l = op->len;
	int n = 0;
	switch (op->kind) {
	case OP_READ:
	case OP_WRITE:
	case OP_EXEC:
		n = snprintf(buf, len, "%llu %c 0x%llx", pid, "rwx"[op->kind - OP_READ], a);
		break;
	case OP_MMAP:
		return format_mmap(op, buf, len);
	case OP_MUNMAP:
		n = snprintf(buf, len, "%llu munmap 0x%llx 0x%llx", pid, a, l);
		break;
	case OP_MPROTECT:
		n = snprintf(buf, len, "%llu mprotect 0x%llx 0x%llx %s", pid, a, l,
		             trace_prot_name(op->prot));
		break;
	case OP_MADVISE:
		n = snprintf(buf, len, "%llu madvise 0x%llx 0x%llx %s", pid, a, l,
		             trace_advice_name((unsigned)op->arg));
		BUG_ON(n < 0 || (size_t)n >= len, "vmt line too long");
		return trace_format_result(op, buf, (size_t)n, len);
	case OP_MSYNC:
		n = snprintf(buf, len, "%llu msync 0x%llx 0x%llx", pid, a, l);
		break;
	case OP_FORK:
		n = snprintf(buf, len, "%llu fork %llu", pid, (unsigned long long)op->arg);
		break;
	case OP_VFORK:
		n = snprintf(buf, len, "%llu vfork %llu", pid, (unsigned long long)op->arg);
		break;
	case OP_THREAD:
		n = snprintf(buf, len, "%llu thread %llu", pid, (unsigned long long)op->arg);
		break;
	case OP_WAIT:
		if (op->arg)
			n = snprintf(buf, len, "%llu wait %llu", pid, (unsigned long long)op->arg);
		else
			n = snprintf(buf, len, "%llu wait", pid);
		break;
	case OP_EXECVE:
		n = snprintf(buf, len, "%llu exec %s", pid, op->name);
		break;
	case OP_EXEC_BARE:
		n = snprintf(buf, len, "%llu exec %s bare", pid, op->name);
		break;
	case OP_EXIT:
		n = snprintf(buf, len, "%llu exit", pid);
		break;
	case OP_COMPUTE:
		n = snprintf(buf, len, "%llu compute %llu", pid, (unsigned long long)op->arg);
		break;
	case OP_FILE:
		n = snprintf(buf, len, "file %s 0x%llx", op->name, l);
		break;
	case OP_MARK:
		n = snprintf(buf, len, "%llu mark %s %llu", pid,
		             op->flags == MARK_BEGIN ? "begin" : "end",
		             (unsigned long long)op->arg);
		break;
	case OP_MREMAP:
		return format_mremap(op, buf, len);
	case OP_BRK:
		n = snprintf(buf, len, "%llu brk 0x%llx", pid, a);
		BUG_ON(n < 0 || (size_t)n >= len, "vmt line too long");
		return trace_format_result(op, buf, (size_t)n, len);
	case OP_SHM:
	case OP_SIGACTION:
		return trace_format_shm_sig(op, buf, len);
	case OP_MEMPOLICY:
		n = snprintf(buf, len, "%llu mempolicy %s 0x%llx", pid, trace_mpol_mode_name(op->prot),
		             (unsigned long long)op->arg);
		if (op->len)
			n += snprintf(buf + n, len - (size_t)n, " 0x%llx 0x%llx", a, l);
		break;
	case OP_MEMORY_RECLAIM:
		n = snprintf(buf, len, "%llu memory.reclaim 0x%llx%s%s", pid, l,
		             op->name ? " " : "", op->name ? op->name : "");
		break;
	case OP_FILE_RW:
		n = format_file_rw(op, buf, len);
		break;
	case OP_FILE_SYNC:
		n = format_file_sync(op, buf, len);
		break;
	case OP_MLOCK:
		n = format_mlock(op, buf, len);
		break;
	default:
		BUG_ON(1, "op kind %u", op->kind);
	}
	BUG_ON(n < 0 || (size_t)n >= len, "vmt line too long");
	return (size_t)n;
}
