/*
 * trace_lackey_syscall.c — the syscall lines of a lackey recording (valgrind
 * --trace-syscalls=yes, as scripts/record-trace runs it), in their exact place among the
 * accesses: what each successful call does to the process's mappings, files and children, as
 * queued operations (see trace_lackey.c's header for the list and what is simplified).
 */
#include "workloads/trace_lackey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int sys_args(const char *s, uint64_t *args, int max, int path_arg, char *path, size_t path_len)
{
	const char *p = strstr(s, " ( ");
	if (!p)
		p = strstr(s, "( ");
	if (!p)
		return 0;
	p = strchr(p, '(') + 1;
	int n = 0;
	while (n < max) {
		while (*p == ' ')
			p++;
		if (*p == ')' || *p == '\0')
			break;
		uint64_t v;
		const char *q = p;
		if (q[0] == '0' && q[1] == 'x') {
			q += 2;
			if (hex_u64(&q, &v) < 0)
				return n;
		} else {
			v = 0;
			if (*q < '0' || *q > '9')
				return n;
			while (*q >= '0' && *q <= '9')
				v = v * 10 + (uint64_t)(*q++ - '0');
		}
		if (n == path_arg && *q == '(' && path) {
			const char *e = strchr(q + 1, ')');
			if (e && (size_t)(e - q - 1) < path_len) {
				memcpy(path, q + 1, (size_t)(e - q - 1));
				path[e - q - 1] = '\0';
				q = e + 1;
			}
		}
		args[n++] = v;
		p = q;
		while (*p && *p != ',' && *p != ')')
			p++;
		if (*p == ',')
			p++;
	}
	return n;
}

/* "Failure(0xN)": N. */
unsigned sys_errno(const char *s)
{
	const char *p = strstr(s, "--> ");
	uint64_t e;
	if (!p || !(p = strstr(p, "Failure(0x")))
		return 0;
	p += 10;
	return hex_u64(&p, &e) == 0 && e < 4096 ? (unsigned)e : 0;
}

/* "Success(0xN)": N (a line without a result yet: 0). */
int sys_result(const char *s, uint64_t *res)
{
	const char *p = strstr(s, "--> ");
	if (!p)
		return 0;
	p = strstr(p, "Success(0x");
	if (!p)
		return 0;
	p += 10;
	return hex_u64(&p, res) == 0;
}

static void sanitize_name(char *s)
{
	if (!*s)
		strcpy(s, "unnamed");
	for (; *s; s++)
		if (*s == ' ' || *s == '\t' || *s == ':' || (unsigned char)*s < 0x20)
			*s = '_';
}

static uint64_t file_size(struct lackey_reader *r, const char *host_path, const char *name,
                          uint64_t min_bytes)
{
	for (uint32_t i = 0; i < r->nr_sizes; i++)
		if (strcmp(r->sizes[i].name, name) == 0)
			return r->sizes[i].size_bytes;
	struct stat st;
	uint64_t size = min_bytes;
	if (stat(host_path, &st) == 0 && (uint64_t)st.st_size > size)
		size = (uint64_t)st.st_size;
	GROW(r->sizes, r->nr_sizes, r->cap_sizes);
	r->sizes[r->nr_sizes++] = (struct lk_size){.name = xstrdup(name), .size_bytes = size};
	return size;
}

uint64_t page_up(struct lackey_reader *r, uint64_t v)
{
	return (v + r->page_size - 1) & ~(r->page_size - 1);
}

/* The mmap op of a call that put [at, at + len) in place (at: the result; a failed call
 * passes ok 0 and maps nothing), declaring host_path's file first. */
static struct op *emit_mmap(struct lackey_reader *r, struct lk_proc *p, uint64_t at, uint64_t len,
                            int ok, const char *host_path, uint64_t offset)
{
	if (ok)
		map_remove(p, at, at + len, 1);
	char name[LACKEY_NAME_MAX + 1];
	if (host_path) {
		snprintf(name, sizeof(name), "%s", host_path);
		sanitize_name(name);
		struct op *f = out_push(p, OP_FILE);
		f->len = file_size(r, host_path, name, offset + len);
		out_set_name(p, f, name);
	}
	struct op *op = out_push(p, OP_MMAP);
	op->addr = at;
	op->len = len;
	if (host_path) {
		op->offset = offset;
		out_set_name(p, op, name);
	}
	if (ok)
		map_insert(p, at, at + len);
	return op;
}

static void emit_range(struct lackey_reader *r, struct lk_proc *p, uint8_t kind, uint64_t addr,
                       uint64_t len, uint64_t arg, unsigned prot)
{
	len = page_up(r, len);
	if (len == 0 || addr >= TRACE_VA_LIMIT || len > TRACE_VA_LIMIT - addr)
		return;
	if (kind == OP_MUNMAP) {
		map_remove(p, addr, addr + len, 1);
		return;
	}
	map_ensure(p, addr, addr + len);
	struct op *op = out_push(p, kind);
	op->addr = addr;
	op->len = len;
	op->arg = arg;
	op->prot = (uint8_t)(prot & 7);
}

/* The vmt name of host_path's file, declared (a `file` line queued) the first time each task
 * uses it: the simulation runs a file line in the stream of the task whose line follows it, so
 * a file declared once, by one thread, could be used by another thread before that one ran
 * it (a declaration again with the same size changes nothing). */
static const char *file_declare(struct lackey_reader *r, struct lk_proc *p, const char *host_path,
                                uint64_t min_bytes, char *name, size_t name_len)
{
	snprintf(name, name_len, "%s", host_path);
	sanitize_name(name);
	file_size(r, host_path, name, min_bytes);
	for (uint32_t i = 0; i < r->nr_sizes; i++) {
		struct lk_size *z = &r->sizes[i];
		if (strcmp(z->name, name) == 0 &&
		    !lk_size_declared(z, p->cur_task ? p->cur_task : p->pid)) {
			struct op *f = out_push(p, OP_FILE);
			f->len = z->size_bytes;
			out_set_name(p, f, name);
		}
	}
	return name;
}

/* A successful open of path as fd with O_* flags: a regular file (or one it creates) has its
 * read/write calls recorded; O_TRUNC empties it (a file first seen so starts empty). */
static void file_opened(struct lackey_reader *r, struct lk_proc *p, int fd, const char *path,
                        uint64_t flags)
{
	if (strncmp(path, "/dev/shm/", 9) == 0 && path[9]) { /* shm_open: a shmem object */
		char name[LACKEY_NAME_MAX + 1];
		snprintf(name, sizeof(name), "%s", path + 9);
		sanitize_name(name);
		fd_set_name(p, fd, name)->shm = 1;
		shm_object(r, p, name, 0, (flags & 0x200 /* O_TRUNC */) != 0);
		return;
	}
	struct lk_fd *f = fd_set_name(p, fd, path);
	struct stat st;
	int exists = stat(path, &st) == 0;
	if (exists ? !S_ISREG(st.st_mode) : !(flags & 0x40 /* O_CREAT */))
		return;
	f->rw = 1 | ((flags & 0x4000 /* O_DIRECT */) ? 2 : 0);
	if (!(flags & 0x200 /* O_TRUNC */))
		return;
	char name[LACKEY_NAME_MAX + 1];
	snprintf(name, sizeof(name), "%s", path);
	sanitize_name(name);
	for (uint32_t i = 0; i < r->nr_sizes; i++) {
		if (strcmp(r->sizes[i].name, name) == 0) {
			file_declare(r, p, path, 0, name, sizeof(name));
			struct op *op = out_push(p, OP_FILE_SYNC);
			op->arg = SYNC_FTRUNCATE;
			out_set_name(p, op, name);
			return;
		}
	}
	GROW(r->sizes, r->nr_sizes, r->cap_sizes);
	r->sizes[r->nr_sizes++] = (struct lk_size){.name = xstrdup(name)};
}

/* read, write, pread64, pwrite64, readv, writev (0, 1, 17, 18, 19, 20) of a recorded file
 * that moved res bytes (a vector's buffers are not known: no BUF); lseek (8) sets the
 * position; fsync, fdatasync (74, 75); ftruncate (77). */
static void file_call(struct lackey_reader *r, struct lk_proc *p, unsigned nr, const uint64_t *a,
                      uint64_t res)
{
	struct lk_fd *f = fd_find(p, (int)a[0]);
	if (f && f->shm && nr == 77)
		shm_object(r, p, f->name, a[1], 1);
	if (!f || !f->rw)
		return;
	if (nr == 8) {
		f->pos = res;
		return;
	}
	int positional = nr == 17 || nr == 18;
	uint64_t offset = positional ? a[3] : f->pos;
	if (nr <= 20 && !positional)
		f->pos += res;
	if (nr <= 20 && res == 0)
		return;
	char name[LACKEY_NAME_MAX + 1];
	char *host = xstrdup(f->name); /* (declaring may not move f, but stay safe) */
	file_declare(r, p, host, 0, name, sizeof(name));
	free(host);
	struct op *op = out_push(p, nr <= 20 ? OP_FILE_RW : OP_FILE_SYNC);
	out_set_name(p, op, name);
	if (nr == 74 || nr == 75) {
		op->arg = nr == 74 ? SYNC_FSYNC : SYNC_FDATASYNC;
	} else if (nr == 77) {
		op->arg = SYNC_FTRUNCATE;
		op->offset = a[1];
	} else {
		int write = nr == 1 || nr == 18 || nr == 20;
		op->offset = offset;
		op->len = res;
		op->flags = (uint8_t)((write ? RWF_WRITE : 0) | ((f->rw & 2) ? RWF_DIRECT : 0));
		if (nr < 19 && a[1] < TRACE_VA_LIMIT && res <= TRACE_VA_LIMIT - a[1]) {
			op->flags |= RWF_BUF;
			op->addr = a[1];
			uint64_t mask = ~(r->page_size - 1);
			map_ensure(p, a[1] & mask, page_up(r, a[1] + res));
		}
	}
}

/* open / openat (nr 2 / 257): the path of the fd it returns, for a later file mmap (an async
 * call's fd comes on its continuation line, cont). */
static void sys_open(struct lackey_reader *r, struct lk_proc *p, const char *line, unsigned nr,
                     int cont)
{
	uint64_t a[6] = {0}, res = 0;
	char path[LACKEY_NAME_MAX + 1] = "";
	if (cont) {
		if (p->pending_open && sys_result(line, &res))
			file_opened(r, p, (int)res, p->pending_open, p->pending_open_flags);
		free(p->pending_open);
		p->pending_open = NULL;
		return;
	}
	int n = sys_args(line, a, 3, nr == 2 ? 0 : 1, path, sizeof(path));
	if (n < 2 || !*path)
		return;
	uint64_t flags = nr == 2 ? a[1] : (n >= 3 ? a[2] : 0);
	if (sys_result(line, &res)) {
		file_opened(r, p, (int)res, path, flags);
	} else if (strstr(line, "[async]")) {
		free(p->pending_open);
		p->pending_open = xstrdup(path);
		p->pending_open_flags = flags;
	}
}

/* mmap(addr, len, prot, flags, fd, offset): anonymous, of the file behind fd, or of a
 * shmem object's fd (memfd, /dev/shm). Without MAP_FIXED (0x10) ADDR is a `hint`;
 * MAP_FIXED_NOREPLACE (0x100000) `noreplace`, MAP_NORESERVE (0x4000) `noreserve`,
 * MAP_GROWSDOWN (0x100) `growsdown`, MAP_POPULATE (0x8000) `populate`, MAP_LOCKED (0x2000) an
 * mlock of the range after it; the result always (an address, or the errno of a failure). */
static void sys_mmap(struct lackey_reader *r, struct lk_proc *p, const char *line)
{
	uint64_t a[6] = {0}, res = 0;
	if (sys_args(line, a, 6, -1, NULL, 0) < 6)
		return;
	int ok = sys_result(line, &res);
	unsigned e = ok ? 0 : sys_errno(line), mf = (unsigned)a[3];
	uint64_t len = page_up(r, a[1]), at = ok ? res : a[0];
	if ((!ok && !trace_errno_name(e)) || len == 0 || at >= TRACE_VA_LIMIT ||
	    len > TRACE_VA_LIMIT - at)
		return;
	struct lk_fd *f = NULL;
	if (!(mf & 0x20) && (uint32_t)a[4] != UINT32_MAX)
		f = fd_find(p, (int)a[4]);
	if (f && f->shm) {
		if (ok)
			shm_map(r, p, res, len, (unsigned)a[2], mf, f->name, a[5]);
		return;
	}
	struct op *op = emit_mmap(r, p, at, len, ok, f ? f->name : NULL, f ? a[5] : 0);
	/* (a hint that no range could start at is no hint) */
	op->addr = a[0] < TRACE_VA_LIMIT && len <= TRACE_VA_LIMIT - a[0] ? a[0] : 0;
	op->prot = (uint8_t)(a[2] & 7);
	op->flags =
	    (uint8_t)(((mf & 0x01) ? MAPF_SHARED : 0) | ((mf & 0x8000) ? MAPF_POPULATE : 0) |
	              (f ? MAPF_FILE : 0) | (ok ? OPRES_ADDR : OPRES_ERRNO));
	op->xflags =
	    (uint8_t)(((mf & 0x100000) ? MAPX_NOREPLACE
	               : (mf & 0x10)   ? 0
	                               : MAPX_HINT) |
	              ((mf & 0x4000) ? MAPX_NORESERVE : 0) | ((mf & 0x100) ? MAPX_GROWSDOWN : 0));
	op->arg = ok ? res : e;
	if (ok && (mf & 0x2000)) {
		struct op *l = out_push(p, OP_MLOCK);
		l->arg = MLOCK_CALL_MLOCK;
		l->addr = res;
		l->len = len;
	}
}

/* munmap, mprotect, madvise, msync, mremap (nr 11, 10, 28, 26, 25): a range operation. */
static void sys_range(struct lackey_reader *r, struct lk_proc *p, const char *line, unsigned nr)
{
	uint64_t a[6] = {0}, res = 0;
	int n = sys_args(line, a, nr == 11 ? 2 : 3, -1, NULL, 0);
	if (!sys_result(line, &res))
		return;
	if (nr == 11 && n == 2) {
		emit_range(r, p, OP_MUNMAP, a[0], a[1], 0, 0);
	} else if (nr == 10 && n == 3) {
		emit_range(r, p, OP_MPROTECT, a[0], a[1], 0, (unsigned)a[2]);
	} else if (nr == 28 && n == 3) {
		/* Linux's MADV_* numbers (uapi mman-common.h); others (KSM, dump, hwpoison, ...)
		 * change nothing vmsim models. */
		static const uint8_t linux_advice[24] = {
		    [0] = ADV_NORMAL,         [1] = ADV_RANDOM,         [2] = ADV_SEQUENTIAL,
		    [3] = ADV_WILLNEED,       [4] = ADV_DONTNEED,       [8] = ADV_FREE,
		    [9] = ADV_REMOVE,         [10] = ADV_DONTFORK,      [11] = ADV_DOFORK,
		    [14] = ADV_HUGEPAGE,      [15] = ADV_NOHUGEPAGE,    [18] = ADV_WIPEONFORK,
		    [19] = ADV_KEEPONFORK,    [20] = ADV_COLD,          [21] = ADV_PAGEOUT,
		    [22] = ADV_POPULATE_READ, [23] = ADV_POPULATE_WRITE};
		uint64_t adv = a[2] < 24 ? linux_advice[a[2]] : 0;
		if (adv)
			emit_range(r, p, OP_MADVISE, a[0], a[1], adv, 0);
	} else if (nr == 26 && n == 3) {
		emit_range(r, p, OP_MSYNC, a[0], a[1], 0, 0);
	}
}

/* mremap(old, old_len, new_len, flags, new): with its result, an address or an errno. */
static void sys_mremap(struct lackey_reader *r, struct lk_proc *p, const char *line)
{
	uint64_t a[6] = {0}, res = 0;
	if (sys_args(line, a, 5, -1, NULL, 0) < 3)
		return;
	int ok = sys_result(line, &res);
	unsigned e = ok ? 0 : sys_errno(line);
	if ((!ok && !trace_errno_name(e)) || a[0] >= TRACE_VA_LIMIT ||
	    a[1] > TRACE_VA_LIMIT - a[0] || a[2] > TRACE_VA_LIMIT || a[4] >= TRACE_VA_LIMIT ||
	    res >= TRACE_VA_LIMIT)
		return;
	unsigned flags = (unsigned)a[3] & (MREMAPF_MAYMOVE | MREMAPF_FIXED | MREMAPF_DONTUNMAP);
	if (ok) { /* what the reader synthesised where the pages go is unmapped first */
		if (!(flags & MREMAPF_DONTUNMAP))
			map_remove(p, a[0], a[0] + page_up(r, a[1]), 0);
		map_remove(p, res, res + page_up(r, a[2]), 1);
	}
	struct op *op = out_push(p, OP_MREMAP);
	op->addr = a[0];
	op->len = page_up(r, a[1]);
	op->arg = page_up(r, a[2]);
	op->flags = (uint8_t)(flags | (ok ? OPRES_ADDR : OPRES_ERRNO));
	op->offset = ok ? res : ((flags & MREMAPF_FIXED) ? a[4] : 0);
	op->prot = (uint8_t)e;
	if (ok)
		map_insert(p, res, res + op->arg);
}

/* clone(flags, ...) (56): a thread (CLONE_THREAD) is `thread TID` with the kernel's thread id
 * (the call's result); a process clone is a fork, which its "created child" line gives. */
static void sys_clone(struct lk_proc *p, const char *line)
{
	const char *s = strstr(line, "( ");
	uint64_t flags, tid;
	if (!s)
		return;
	s += 2;
	if (s[0] == '0' && s[1] == 'x')
		s += 2;
	if (hex_u64(&s, &flags) < 0 || !sys_result(line, &tid) || !tid || tid > UINT32_MAX)
		return;
	if (flags & 0x10000 /* CLONE_THREAD */)
		lk_thread_created(p, (uint32_t)tid);
}

/* wait4(pid, status, options, rusage), blocking only: of any child (-1) or of a known one. */
static void sys_wait4(struct lk_proc *p, const char *line)
{
	uint64_t a[6] = {0};
	if (sys_args(line, a, 3, -1, NULL, 0) != 3 || (a[2] & 1 /* WNOHANG */))
		return;
	uint32_t child = (uint32_t)a[0];
	if (child == UINT32_MAX) {
		out_push(p, OP_WAIT)->arg = 0;
		return;
	}
	for (uint32_t i = 0; i < p->nr_children; i++)
		if (p->children[i] == child)
			out_push(p, OP_WAIT)->arg = child;
}

/* execve: the exec happens when this log ends (valgrind reopens its log at exec). */
static void sys_execve(struct lk_proc *p, const char *line)
{
	uint64_t a[6] = {0};
	char path[LACKEY_NAME_MAX + 1] = "";
	if (sys_args(line, a, 1, 0, path, sizeof(path)) < 1 || !*path || strstr(line, "Failure"))
		return;
	sanitize_name(path);
	free(p->pending_exec);
	p->pending_exec = xstrdup(path);
}

/* Whether a syscall line that created a child was a vfork: vfork (58), or clone (56) with
 * CLONE_VFORK (0x4000: posix_spawn's clone(CLONE_VM | CLONE_VFORK)). Valgrind runs both as a
 * fork; the number and the flags still say which the program asked for. */
static int is_vfork(const char *line)
{
	const char *nr_s = strstr(line, "](");
	if (!nr_s)
		return 0;
	unsigned long nr = strtoul(nr_s + 2, NULL, 10);
	if (nr == 58)
		return 1;
	const char *s = nr == 56 ? strstr(nr_s, "( ") : NULL;
	uint64_t flags;
	if (!s)
		return 0;
	s += 2;
	if (s[0] == '0' && s[1] == 'x')
		s += 2;
	return hex_u64(&s, &flags) == 0 && (flags & 0x4000 /* CLONE_VFORK */);
}

/* "created child N": a fork or a vfork (thread clones have no such line). */
static void sys_fork_child(struct lk_proc *p, const char *line, const char *cc)
{
	uint64_t child = strtoull(cc + 14, NULL, 10);
	if (child && child <= UINT32_MAX) {
		out_push(p, is_vfork(line) ? OP_VFORK : OP_FORK)->arg = child;
		GROW(p->children, p->nr_children, p->cap_children);
		p->children[p->nr_children++] = (uint32_t)child;
	}
}

static void syscall_line(struct lackey_reader *r, struct lk_proc *p, const char *line, unsigned nr,
                         uint32_t vtid, int cont);

/* The end of an async call ("SYSCALL[P,T](NR) ... [async] --> RESULT"): its first line, kept
 * per thread, with this result, is read as one line. */
static void async_done(struct lackey_reader *r, struct lk_proc *p, const char *line, unsigned nr,
                       uint32_t vtid)
{
	struct lk_pending_rw *pend = lk_pending_rw(p, vtid);
	char *first = pend->line;
	pend->line = NULL;
	const char *res = strstr(line, "[async] --> ");
	char *cut = first ? strstr(first, "--> [async]") : NULL;
	if (cut && res) {
		*cut = '\0';
		char *joined = xasprintf("%s%s", first, res + 8);
		syscall_line(r, p, joined, nr, vtid, 0);
		free(joined);
	}
	free(first);
}

/* close(fd): a memfd's creator closing it unlinks the object (its mappings keep it). */
static void lk_close(struct lackey_reader *r, struct lk_proc *p, int fd)
{
	struct lk_fd *f = fd_find(p, fd);
	char mine[64];
	snprintf(mine, sizeof(mine), "memfd.%u.%d", p->pid, fd);
	if (f && f->shm && strcmp(f->name, mine) == 0)
		shm_unlink_name(r, p, mine);
	fd_close(p, fd);
}

/* unlink(path) / unlinkat(dirfd, path, flags) of /dev/shm/NAME: shm_unlink. */
static void sys_unlink(struct lackey_reader *r, struct lk_proc *p, const char *line, unsigned nr)
{
	uint64_t a[6] = {0}, res = 0;
	char path[LACKEY_NAME_MAX + 1] = "";
	int arg = nr == 87 ? 0 : 1;
	if (sys_args(line, a, arg + 1, arg, path, sizeof(path)) < arg + 1 ||
	    !sys_result(line, &res) || strncmp(path, "/dev/shm/", 9) != 0)
		return;
	sanitize_name(path);
	shm_unlink_name(r, p, path + 9);
}

/* The calls whose operations need their result (an async one waits for its last line; open
 * keeps its own pending path, wait4 is written where it blocks). */
static int needs_result(unsigned nr)
{
	switch (nr) {
	case 0:
	case 1:
	case 8:
	case 9:
	case 10:
	case 11:
	case 12:
	case 17:
	case 18:
	case 19:
	case 20:
	case 25:
	case 26:
	case 28:
	case 56:
	case 74:
	case 75:
	case 77:
	case 87: /* unlink (of /dev/shm: shm_unlink), often async */
	case 149:
	case 150:
	case 151:
	case 152:
	case 263:
	case 325:
		return 1;
	default:
		return 0;
	}
}

int parse_syscall(struct lackey_reader *r, struct lk_proc *p, const char *line, struct err *err)
{
	const char *cc = strstr(line, "created child ");
	if (cc) {
		sys_fork_child(p, line, cc);
		return 0;
	}
	const char *nr_s = strstr(line, "](");
	if (!nr_s)
		return 0;
	unsigned nr = (unsigned)strtoul(nr_s + 2, NULL, 10);
	const char *comma = strchr(line, ',');
	unsigned long vtid_ul = comma && comma < nr_s ? strtoul(comma + 1, NULL, 10) : 1;
	if (lk_check_vtid(p, vtid_ul, err) < 0)
		return -1;
	uint32_t vtid = (uint32_t)vtid_ul;
	p->cur_task = lk_task_of(p, vtid);
	int cont = strstr(line, ") ... [async] -->") != NULL; /* the end of an async call */
	if (needs_result(nr)) {
		if (cont) {
			async_done(r, p, line, nr, vtid);
			return 0;
		}
		if (strstr(line, "--> [async] ...")) {
			struct lk_pending_rw *pend = lk_pending_rw(p, vtid);
			free(pend->line);
			pend->line = xstrdup(line);
			return 0;
		}
	}
	syscall_line(r, p, line, nr, vtid, cont);
	return 0;
}

/* One syscall's line (an async one joined with its result), nr its number. */
static void syscall_line(struct lackey_reader *r, struct lk_proc *p, const char *line, unsigned nr,
                         uint32_t vtid, int cont)
{
	uint64_t a[6] = {0}, res = 0;
	(void)vtid;
	switch (nr) {
	case 2:   /* open */
	case 257: /* openat */
		sys_open(r, p, line, nr, cont);
		return;
	case 0:  /* read */
	case 1:  /* write */
	case 8:  /* lseek */
	case 17: /* pread64 */
	case 18: /* pwrite64 */
	case 19: /* readv */
	case 20: /* writev */
	case 74: /* fsync */
	case 75: /* fdatasync */
	case 77: /* ftruncate */
		if (!cont && sys_args(line, a, 4, -1, NULL, 0) >= 1 && sys_result(line, &res))
			file_call(r, p, nr, a, res);
		return;
	case 56:
		if (!cont)
			sys_clone(p, line);
		return;
	case 3: /* close */
		if (!cont && sys_args(line, a, 1, -1, NULL, 0) == 1)
			lk_close(r, p, (int)a[0]);
		return;
	case 87:  /* unlink */
	case 263: /* unlinkat */
		if (!cont)
			sys_unlink(r, p, line, nr);
		return;
	case 149: /* mlock */
	case 150: /* munlock */
	case 151: /* mlockall */
	case 152: /* munlockall */
	case 325: /* mlock2 (valgrind 3.19 does not run it: ENOSYS, no line) */
		if (!cont)
			sys_mlock(r, p, line, nr);
		return;
	case 319:
		if (!cont)
			sys_memfd_create(r, p, line);
		return;
	case 29: /* shmget */
	case 30: /* shmat */
	case 31: /* shmctl */
	case 67: /* shmdt */
		if (!cont)
			sys_sysv_shm(r, p, line, nr);
		return;
	case 13:
		if (!cont)
			sys_sigaction(p, line);
		return;
	case 9:
		if (!cont)
			sys_mmap(r, p, line);
		return;
	case 25:
		if (!cont)
			sys_mremap(r, p, line);
		return;
	case 10: /* mprotect */
	case 11: /* munmap */
	case 26: /* msync */
	case 28: /* madvise */
		if (!cont)
			sys_range(r, p, line, nr);
		return;
	case 12:
		if (!cont)
			sys_brk(r, p, line);
		return;
	case 61:
		if (!cont)
			sys_wait4(p, line);
		return;
	case 59:
		if (!cont)
			sys_execve(p, line);
		return;
	case 60: /* exit: of the calling thread */
		lk_task_exit(p, p->cur_task);
		return;
	case 231: /* exit_group: of every thread */
		lk_proc_exit_all(p);
		return;
	default:
		return;
	}
}
