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

/* Arguments of a syscall line "... NAME ( a, b, c ) ...": up to 6 numbers, and the path
 * inside "0xADDR(PATH)" of the argument path_arg (if >= 0) into path. */
static int sys_args(const char *s, uint64_t *args, int max, int path_arg, char *path,
                    size_t path_len)
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

/* The result of a syscall line: 1 with *res on Success, 0 on failure or no result yet. */
static int sys_result(const char *s, uint64_t *res)
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
	r->sizes[r->nr_sizes++] = (struct lk_size){xstrdup(name), size};
	return size;
}

static uint64_t page_up(struct lackey_reader *r, uint64_t v)
{
	return (v + r->page_size - 1) & ~(r->page_size - 1);
}

static void emit_mmap(struct lackey_reader *r, struct lk_proc *p, uint64_t addr, uint64_t len,
                      unsigned prot, unsigned flags, const char *host_path, uint64_t offset)
{
	if (len == 0 || addr >= TRACE_VA_LIMIT || len > TRACE_VA_LIMIT - addr)
		return;
	map_remove(p, addr, addr + len, 1);
	char name[LACKEY_NAME_MAX + 1];
	if (host_path) {
		snprintf(name, sizeof(name), "%s", host_path);
		sanitize_name(name);
		struct op *f = out_push(p, OP_FILE);
		f->len = file_size(r, host_path, name, offset + len);
		out_set_name(p, f, name);
	}
	struct op *op = out_push(p, OP_MMAP);
	op->addr = addr;
	op->len = len;
	op->prot = (uint8_t)(prot & 7);
	op->flags = (uint8_t)flags;
	if (host_path) {
		op->offset = offset;
		out_set_name(p, op, name);
	}
	map_insert(p, addr, addr + len);
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

/* open / openat (nr 2 / 257): the path of the fd it returns, for a later file mmap (an async
 * call's fd comes on its continuation line, cont). */
static void sys_open(struct lk_proc *p, const char *line, unsigned nr, int cont)
{
	uint64_t a[6] = {0}, res = 0;
	char path[LACKEY_NAME_MAX + 1] = "";
	if (cont) {
		if (p->pending_open && sys_result(line, &res))
			fd_set_name(p, (int)res, p->pending_open);
		free(p->pending_open);
		p->pending_open = NULL;
		return;
	}
	if (sys_args(line, a, 3, nr == 2 ? 0 : 1, path, sizeof(path)) < 2 || !*path)
		return;
	if (sys_result(line, &res)) {
		fd_set_name(p, (int)res, path);
	} else if (strstr(line, "[async]")) {
		free(p->pending_open);
		p->pending_open = xstrdup(path);
	}
}

/* mmap(addr, len, prot, flags, fd, offset): anonymous, or of the file behind fd. */
static void sys_mmap(struct lackey_reader *r, struct lk_proc *p, const char *line)
{
	uint64_t a[6] = {0}, res = 0;
	if (sys_args(line, a, 6, -1, NULL, 0) < 6 || !sys_result(line, &res))
		return;
	unsigned flags = ((a[3] & 0x01) ? MAPF_SHARED : 0) | ((a[3] & 0x8000) ? MAPF_POPULATE : 0);
	const char *fname = NULL;
	if (!(a[3] & 0x20) && (uint32_t)a[4] != UINT32_MAX)
		fname = fd_name(p, (int)a[4]);
	if (fname)
		flags |= MAPF_FILE;
	emit_mmap(r, p, res, page_up(r, a[1]), (unsigned)a[2], flags, fname, fname ? a[5] : 0);
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
	} else if (nr == 25 && n >= 3) { /* mremap(old, old_len, new_len, flags, new) */
		emit_range(r, p, OP_MUNMAP, a[0], a[1], 0, 0);
		emit_mmap(r, p, res, page_up(r, a[2]), PROT_R | PROT_W, 0, NULL, 0);
	}
}

/* brk: growth above the initial break is an anonymous mmap, shrinkage a munmap. */
static void sys_brk(struct lackey_reader *r, struct lk_proc *p, const char *line)
{
	uint64_t a[6] = {0}, res = 0;
	if (sys_args(line, a, 1, -1, NULL, 0) != 1 || !sys_result(line, &res))
		return;
	uint64_t brk = page_up(r, res);
	if (!p->brk_start) {
		p->brk_start = p->brk_cur = brk;
	} else if (brk > p->brk_cur) {
		emit_mmap(r, p, p->brk_cur, brk - p->brk_cur, PROT_R | PROT_W, 0, NULL, 0);
		p->brk_cur = brk;
	} else if (brk < p->brk_cur && brk >= p->brk_start) {
		emit_range(r, p, OP_MUNMAP, brk, p->brk_cur - brk, 0, 0);
		p->brk_cur = brk;
	}
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

/* "created child N": a fork (thread clones have no such line). */
static void sys_fork_child(struct lk_proc *p, const char *cc)
{
	uint64_t child = strtoull(cc + 14, NULL, 10);
	if (child && child <= UINT32_MAX) {
		out_push(p, OP_FORK)->arg = child;
		GROW(p->children, p->nr_children, p->cap_children);
		p->children[p->nr_children++] = (uint32_t)child;
	}
}

void parse_syscall(struct lackey_reader *r, struct lk_proc *p, const char *line)
{
	uint64_t a[6] = {0};
	const char *cc = strstr(line, "created child ");
	if (cc) {
		sys_fork_child(p, cc);
		return;
	}
	const char *nr_s = strstr(line, "](");
	if (!nr_s)
		return;
	unsigned nr = (unsigned)strtoul(nr_s + 2, NULL, 10);
	int cont = strstr(line, ") ... [async] -->") != NULL; /* the end of an async call */
	switch (nr) {
	case 2:   /* open */
	case 257: /* openat */
		sys_open(p, line, nr, cont);
		return;
	case 3: /* close */
		if (!cont && sys_args(line, a, 1, -1, NULL, 0) == 1)
			fd_close(p, (int)a[0]);
		return;
	case 9:
		if (!cont)
			sys_mmap(r, p, line);
		return;
	case 10: /* mprotect */
	case 11: /* munmap */
	case 25: /* mremap */
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
	case 60:  /* exit: of the process only from its main thread (valgrind tid 1) */
	case 231: /* exit_group */
		if (nr == 60 && !strstr(line, ",1]("))
			return;
		if (!p->exited) {
			out_push(p, OP_EXIT);
			p->exited = 1;
		}
		return;
	default:
		return;
	}
}
