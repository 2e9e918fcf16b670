/*
 * trace_lackey.c — import of Valgrind lackey output (`valgrind --tool=lackey --trace-mem=yes`),
 * one log file or a directory of them (a recording by scripts/record-trace).
 *
 * Accesses: "I  ADDR,SIZE" is an instruction fetch (x), " L" a load (r), " S" a store (w),
 * " M" a modify (r then w); ADDR is hex without 0x, SIZE decimal bytes. An access that spans
 * two pages touches both (r of both pages, then w of both, for M). Lines that start with "=="
 * or "--" (valgrind's own messages) and anything else that is not an access or a syscall line
 * are ignored; an access line that does not parse is an error naming FILE:LINE.
 *
 * Mappings: lackey output has no mmap events. When a process touches an address that no
 * mapping covers, the importer synthesises one anonymous private rwx mapping: the 1 GiB-aligned
 * area around the address, clipped to the gap between the mappings it already knows (one pass,
 * streaming; a program typically touches 3-5 such areas: its image, the loader, heap, stack).
 * Synthetic mappings lose file backing: code and data of the program image replay as
 * anonymous memory.
 *
 * Syscalls (when valgrind also ran with --trace-syscalls=yes, as record-trace does), in their
 * exact place among the accesses: successful mmap (anonymous, or file-backed via the path of
 * the fd from open/openat; a `file` line is emitted before each file mmap with the host file's
 * size, or offset+length if it cannot be stat'ed), munmap, mprotect, madvise (hugepage,
 * nohugepage, dontneed; other advice ignored), msync, brk growth and shrinkage (as anonymous
 * mmap/munmap above the initial break), mremap (as munmap of the old range and an anonymous
 * mmap of the new: contents are not carried), fork/vfork/clone of a process ("created child
 * N"; thread clones are ignored: a process's threads replay as one stream), wait4 (blocking
 * only; "wait any" for pid -1), execve (exec IMAGE with the program's path; the address space
 * starts empty again), exit_group, and exit of the main thread. A mapping that a new mmap overlaps
 * is unmapped first, as MAP_FIXED does. Every process's stream ends with an exit.
 *
 * A directory holds files named *.PID or *.PID.N (valgrind --log-file=DIR/lackey.%p.%n): the
 * logs of each process, two for a process that exec'd (valgrind reopens its log at exec: the
 * part before the exec has no "Exit code" footer and comes first; a process that exec'd more
 * than once keeps only the first and last part — valgrind overwrote the middle ones). The
 * initial process is the one whose "Parent PID" is not recorded. Processes are written
 * interleaved in chunks of LACKEY_CHUNK operations, children from their fork on.
 *
 * Memory: per process, its known mappings, fds and a few queued ops; never the trace length.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "workloads/linereader.h"
#include "workloads/trace_format.h"

#define LACKEY_AREA_BYTES (1ull << 30)
#define LACKEY_CHUNK 4096
#define LACKEY_NAME_MAX 1000

struct lk_range {
	uint64_t start, end;
};

struct lk_fd {
	int fd;
	char *name;
};

struct lk_seg {
	char *path;
	uint32_t pid, parent_pid;
	unsigned seq;   /* the %n of the file name */
	int has_footer; /* "Exit code" seen: the last part of its process */
	int used;
};

struct lk_proc {
	uint32_t pid;
	struct lk_seg **segs; /* this process's logs in order */
	uint32_t nr_segs, seg_i;
	struct linereader lr;
	int lr_open;
	struct lk_range *maps; /* sorted, disjoint */
	uint32_t nr_maps, cap_maps, last_map;
	struct lk_fd *fds;
	uint32_t nr_fds, cap_fds;
	uint32_t *children;
	uint32_t nr_children, cap_children;
	uint64_t brk_start, brk_cur; /* 0: unknown */
	char *pending_open;          /* an async open/openat waiting for its fd */
	char *pending_exec;          /* execve seen; the exec happens when this log ends */
	int exited;                  /* exit emitted */
	struct op *out;              /* ops made from the current line */
	uint32_t out_head, out_len, out_cap;
	char **out_names; /* names owned by queued ops (freed as they go) */
	char *name_last;  /* the name of the op last returned (kept until the next read) */
};

struct lk_size {
	char *name;
	uint64_t size_bytes;
};

struct lackey_reader {
	char *path;
	uint64_t page_size;
	struct lk_seg *segs;
	uint32_t nr_segs;
	struct lk_proc **active; /* processes with operations still to give */
	uint32_t nr_active, cap_active, cur, chunk_left;
	struct lk_proc *where_proc; /* of the op last returned */
	uint64_t where_line;
	char *where_path;
	struct lk_size *sizes; /* file sizes, first declaration wins */
	uint32_t nr_sizes, cap_sizes;
	struct lk_proc **dead; /* finished processes, freed at close */
	uint32_t nr_dead, cap_dead;
};

#define GROW(arr, nr, cap)                                                                         \
	do {                                                                                       \
		if ((nr) == (cap)) {                                                               \
			(cap) = (cap) ? (cap)*2 : 8;                                               \
			(arr) = xrealloc((arr), (cap) * sizeof(*(arr)));                           \
		}                                                                                  \
	} while (0)

/* ---- per-process output queue ---- */

static struct op *out_push(struct lk_proc *p, uint8_t kind)
{
	if (p->out_head + p->out_len == p->out_cap) {
		if (p->out_head) {
			memmove(p->out, p->out + p->out_head, p->out_len * sizeof(*p->out));
			memmove(p->out_names, p->out_names + p->out_head,
			        p->out_len * sizeof(*p->out_names));
			p->out_head = 0;
		} else {
			p->out_cap = p->out_cap ? p->out_cap * 2 : 16;
			p->out = xrealloc(p->out, p->out_cap * sizeof(*p->out));
			p->out_names = xrealloc(p->out_names, p->out_cap * sizeof(*p->out_names));
		}
	}
	uint32_t i = p->out_head + p->out_len++;
	p->out[i] = (struct op){.kind = kind, .pid = p->pid};
	p->out_names[i] = NULL;
	return &p->out[i];
}

static void out_set_name(struct lk_proc *p, struct op *op, const char *name)
{
	uint32_t i = (uint32_t)(op - p->out);
	p->out_names[i] = xstrdup(name);
	op->name = p->out_names[i];
}

/* ---- the mapping set ---- */

static int64_t map_find(struct lk_proc *p, uint64_t addr)
{
	if (p->last_map < p->nr_maps && p->maps[p->last_map].start <= addr &&
	    addr < p->maps[p->last_map].end)
		return p->last_map;
	uint32_t lo = 0, hi = p->nr_maps; /* first range with end > addr */
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (p->maps[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < p->nr_maps && p->maps[lo].start <= addr) {
		p->last_map = lo;
		return lo;
	}
	return -1 - (int64_t)lo; /* where it would go */
}

static void map_insert(struct lk_proc *p, uint64_t start, uint64_t end)
{
	int64_t i = map_find(p, start);
	BUG_ON(i >= 0, "overlapping mapping");
	uint32_t at = (uint32_t)(-1 - i);
	GROW(p->maps, p->nr_maps, p->cap_maps);
	memmove(p->maps + at + 1, p->maps + at, (p->nr_maps - at) * sizeof(*p->maps));
	p->maps[at] = (struct lk_range){start, end};
	p->nr_maps++;
}

/* Remove [start, end) from the set, emitting a munmap per removed piece if emit. Returns
 * whether anything overlapped. */
static int map_remove(struct lk_proc *p, uint64_t start, uint64_t end, int emit)
{
	int any = 0;
	for (uint32_t i = 0; i < p->nr_maps;) {
		struct lk_range r = p->maps[i];
		if (r.end <= start || r.start >= end) {
			i++;
			continue;
		}
		any = 1;
		uint64_t cs = MAX(r.start, start), ce = MIN(r.end, end);
		if (emit) {
			struct op *op = out_push(p, OP_MUNMAP);
			op->addr = cs;
			op->len = ce - cs;
		}
		if (r.start < cs && ce < r.end) { /* split */
			p->maps[i].end = cs;
			GROW(p->maps, p->nr_maps, p->cap_maps);
			memmove(p->maps + i + 2, p->maps + i + 1,
			        (p->nr_maps - i - 1) * sizeof(*p->maps));
			p->maps[i + 1] = (struct lk_range){ce, r.end};
			p->nr_maps++;
			i += 2;
		} else if (r.start < cs) {
			p->maps[i++].end = cs;
		} else if (ce < r.end) {
			p->maps[i++].start = ce;
		} else {
			memmove(p->maps + i, p->maps + i + 1,
			        (p->nr_maps - i - 1) * sizeof(*p->maps));
			p->nr_maps--;
		}
	}
	p->last_map = 0;
	return any;
}

/* Make sure [start, end) is mapped, synthesising anonymous rwx mappings for the gaps. */
static void map_ensure(struct lk_proc *p, uint64_t start, uint64_t end)
{
	uint64_t a = start;
	while (a < end) {
		int64_t i = map_find(p, a);
		if (i >= 0) {
			a = p->maps[i].end;
			continue;
		}
		uint32_t at = (uint32_t)(-1 - i);
		uint64_t gap_lo = at ? p->maps[at - 1].end : 0;
		uint64_t gap_hi = at < p->nr_maps ? p->maps[at].start : TRACE_VA_LIMIT;
		uint64_t want_hi = MIN(end, gap_hi);
		uint64_t s = MAX(gap_lo, a & ~(LACKEY_AREA_BYTES - 1));
		uint64_t e = want_hi > TRACE_VA_LIMIT - LACKEY_AREA_BYTES
		                 ? TRACE_VA_LIMIT
		                 : (want_hi + LACKEY_AREA_BYTES - 1) & ~(LACKEY_AREA_BYTES - 1);
		e = MIN(e, gap_hi);
		struct op *op = out_push(p, OP_MMAP);
		op->addr = s;
		op->len = e - s;
		op->prot = PROT_R | PROT_W | PROT_X;
		map_insert(p, s, e);
		a = e;
	}
}

/* ---- segments and processes ---- */

static int seg_scan(struct lk_seg *s, struct err *err)
{
	FILE *f = fopen(s->path, "rb");
	if (!f)
		return err_setc(err, VMSIM_EIO, "%s: cannot open: %s", s->path, strerror(errno));
	char line[512];
	for (int n = 0; n < 40 && fgets(line, sizeof(line), f); n++) {
		unsigned long a, b;
		if (sscanf(line, "==%lu== Parent PID: %lu", &a, &b) == 2) {
			s->pid = (uint32_t)a;
			s->parent_pid = (uint32_t)b;
			break;
		}
		if (!s->pid && sscanf(line, "==%lu==", &a) == 1)
			s->pid = (uint32_t)a;
	}
	/* the footer is within the last few KiB */
	if (fseek(f, -4096, SEEK_END) != 0)
		rewind(f);
	char tail[4097];
	size_t n = fread(tail, 1, 4096, f);
	tail[n] = '\0';
	s->has_footer =
	    strstr(tail, "== Exit code:") != NULL || strstr(tail, "Process terminating") != NULL;
	fclose(f);
	return 0;
}

static int seg_cmp(const void *a, const void *b)
{
	const struct lk_seg *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->has_footer != y->has_footer)
		return x->has_footer - y->has_footer;
	return x->seq > y->seq ? -1 : x->seq < y->seq; /* higher %n first (see the top) */
}

static struct lk_proc *proc_new(struct lackey_reader *r, uint32_t pid)
{
	struct lk_proc *p = xcalloc(1, sizeof(*p));
	p->pid = pid;
	for (uint32_t i = 0; i < r->nr_segs; i++) {
		if (r->segs[i].pid == pid && !r->segs[i].used) {
			r->segs[i].used = 1;
			p->segs = xrealloc(p->segs, (p->nr_segs + 1) * sizeof(*p->segs));
			p->segs[p->nr_segs++] = &r->segs[i];
		}
	}
	return p;
}

static void proc_free(struct lk_proc *p)
{
	if (p->lr_open)
		linereader_close(&p->lr);
	free(p->segs);
	free(p->maps);
	for (uint32_t i = 0; i < p->nr_fds; i++)
		free(p->fds[i].name);
	free(p->fds);
	free(p->children);
	free(p->pending_open);
	free(p->pending_exec);
	for (uint32_t i = 0; i < p->out_len; i++)
		free(p->out_names[p->out_head + i]);
	free(p->out);
	free(p->out_names);
	free(p->name_last);
	free(p);
}

static void active_add(struct lackey_reader *r, struct lk_proc *p, uint32_t at)
{
	GROW(r->active, r->nr_active, r->cap_active);
	memmove(r->active + at + 1, r->active + at, (r->nr_active - at) * sizeof(*r->active));
	r->active[at] = p;
	r->nr_active++;
}

/* Open p's next log; 0 if there is none. */
static int proc_next_seg(struct lk_proc *p, struct err *err)
{
	if (p->lr_open) {
		linereader_close(&p->lr);
		p->lr_open = 0;
	}
	if (p->seg_i == p->nr_segs)
		return 0;
	int rc = linereader_open(&p->lr, p->segs[p->seg_i++]->path, err);
	if (rc < 0)
		return rc;
	p->lr_open = 1;
	return 1;
}

static void add_seg(struct lackey_reader *r, const char *path, unsigned seq)
{
	r->segs = xrealloc(r->segs, (r->nr_segs + 1) * sizeof(*r->segs));
	r->segs[r->nr_segs++] = (struct lk_seg){.path = xstrdup(path), .seq = seq};
}

static void lackey_close(void *reader);

static int lackey_open(void **out, const char *path, const struct trace_read_opts *opts,
                       struct err *err)
{
	struct lackey_reader *r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(path);
	r->page_size = opts->page_size;
	int rc = 0;
	struct stat st;
	if (stat(path, &st) != 0) {
		rc = err_set(err, "%s: cannot open trace: %s", path, strerror(errno));
		goto fail;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(path);
		if (!d) {
			rc = err_setc(err, VMSIM_EIO, "%s: cannot open: %s", path, strerror(errno));
			goto fail;
		}
		struct dirent *e;
		while ((e = readdir(d))) {
			/* NAME.PID or NAME.PID.N */
			char *dot1 = strchr(e->d_name, '.');
			if (!dot1 || e->d_name[0] == '.')
				continue;
			unsigned long pid, seq = 0;
			char tail;
			if (sscanf(dot1 + 1, "%lu.%lu%c", &pid, &seq, &tail) != 2 &&
			    sscanf(dot1 + 1, "%lu%c", &pid, &tail) != 1)
				continue;
			char *full = xasprintf("%s/%s", path, e->d_name);
			add_seg(r, full, (unsigned)seq);
			free(full);
		}
		closedir(d);
		if (r->nr_segs == 0) {
			rc = err_set(err,
			             "%s: no lackey logs (NAME.PID or NAME.PID.N) in this "
			             "folder",
			             path);
			goto fail;
		}
	} else {
		add_seg(r, path, 0);
	}
	for (uint32_t i = 0; i < r->nr_segs; i++) {
		rc = seg_scan(&r->segs[i], err);
		if (rc < 0)
			goto fail;
		if (!r->segs[i].pid)
			r->segs[i].pid = 1; /* a log without valgrind's ==PID== lines */
	}
	qsort(r->segs, r->nr_segs, sizeof(*r->segs), seg_cmp);
	/* The initial process: the first (lowest pid) whose parent is not recorded. */
	uint32_t root = 0;
	for (uint32_t i = 0; i < r->nr_segs && !root; i++) {
		int recorded = 0;
		for (uint32_t j = 0; j < r->nr_segs; j++)
			recorded |= r->segs[j].pid == r->segs[i].parent_pid;
		if (!recorded)
			root = r->segs[i].pid;
	}
	if (!root)
		root = r->segs[0].pid;
	struct lk_proc *p = proc_new(r, root);
	active_add(r, p, 0);
	rc = proc_next_seg(p, err);
	if (rc < 0)
		goto fail;
	r->chunk_left = LACKEY_CHUNK;
	*out = r;
	return 0;
fail:
	lackey_close(r);
	return rc;
}

static void lackey_close(void *reader)
{
	struct lackey_reader *r = reader;
	if (!r)
		return;
	for (uint32_t i = 0; i < r->nr_active; i++)
		proc_free(r->active[i]);
	for (uint32_t i = 0; i < r->nr_dead; i++)
		proc_free(r->dead[i]);
	for (uint32_t i = 0; i < r->nr_segs; i++)
		free(r->segs[i].path);
	for (uint32_t i = 0; i < r->nr_sizes; i++)
		free(r->sizes[i].name);
	free(r->sizes);
	free(r->segs);
	free(r->active);
	free(r->dead);
	free(r->where_path);
	free(r->path);
	free(r);
}

static void lackey_where(void *reader, char *buf, size_t len)
{
	struct lackey_reader *r = reader;
	snprintf(buf, len, "%s:%llu", r->where_path ? r->where_path : r->path,
	         (unsigned long long)r->where_line);
}

/* ---- parsing ---- */

static int hex_u64(const char **pp, uint64_t *out)
{
	const char *p = *pp;
	uint64_t v = 0;
	const char *start = p;
	for (;; p++) {
		unsigned d;
		if (*p >= '0' && *p <= '9')
			d = (unsigned)(*p - '0');
		else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
			d = (unsigned)((*p | 0x20) - 'a' + 10);
		else
			break;
		if (v >> 60)
			return -1;
		v = (v << 4) | d;
	}
	if (p == start)
		return -1;
	*pp = p;
	*out = v;
	return 0;
}

static void push_access(struct lackey_reader *r, struct lk_proc *p, uint8_t kind, uint64_t addr,
                        uint64_t last_page_addr)
{
	out_push(p, kind)->addr = addr;
	if (last_page_addr != UINT64_MAX)
		out_push(p, kind)->addr = last_page_addr;
}

static int parse_access(struct lackey_reader *r, struct lk_proc *p, const char *line,
                        struct err *err)
{
	char c = line[0] == 'I' ? 'I' : line[1];
	const char *s = line + 2;
	while (*s == ' ')
		s++;
	uint64_t addr, size = 0;
	if (hex_u64(&s, &addr) < 0 || *s != ',')
		goto bad;
	s++;
	if (*s < '0' || *s > '9')
		goto bad;
	while (*s >= '0' && *s <= '9')
		size = size * 10 + (uint64_t)(*s++ - '0');
	while (*s == ' ')
		s++;
	if (*s != '\0' || size > r->page_size)
		goto bad;
	if (size == 0)
		size = 1;
	if (addr >= TRACE_VA_LIMIT - size)
		return err_set(err,
		               "%s:%llu: address 0x%llx is beyond the 57-bit virtual address "
		               "space",
		               p->lr.path, (unsigned long long)p->lr.line_no,
		               (unsigned long long)addr);
	uint64_t mask = ~(r->page_size - 1);
	uint64_t first = addr & mask, last = (addr + size - 1) & mask;
	map_ensure(p, first, last + r->page_size);
	uint64_t second = last != first ? last : UINT64_MAX;
	switch (c) {
	case 'I':
		push_access(r, p, OP_EXEC, addr, second);
		break;
	case 'L':
		push_access(r, p, OP_READ, addr, second);
		break;
	case 'S':
		push_access(r, p, OP_WRITE, addr, second);
		break;
	case 'M':
		push_access(r, p, OP_READ, addr, second);
		push_access(r, p, OP_WRITE, addr, second);
		break;
	}
	free(p->pending_exec); /* an exec that was followed by accesses had failed */
	p->pending_exec = NULL;
	return 0;
bad:
	return err_set(err,
	               "%s:%llu: expected a lackey access \"I|L|S|M HEXADDR,SIZE\" (SIZE at "
	               "most a page), got \"%.60s\"",
	               p->lr.path, (unsigned long long)p->lr.line_no, line);
}

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

static void fd_set_name(struct lk_proc *p, int fd, const char *name)
{
	for (uint32_t i = 0; i < p->nr_fds; i++) {
		if (p->fds[i].fd == fd) {
			free(p->fds[i].name);
			p->fds[i].name = xstrdup(name);
			return;
		}
	}
	GROW(p->fds, p->nr_fds, p->cap_fds);
	p->fds[p->nr_fds++] = (struct lk_fd){fd, xstrdup(name)};
}

static const char *fd_name(struct lk_proc *p, int fd)
{
	for (uint32_t i = 0; i < p->nr_fds; i++)
		if (p->fds[i].fd == fd)
			return p->fds[i].name;
	return NULL;
}

static void fd_close(struct lk_proc *p, int fd)
{
	for (uint32_t i = 0; i < p->nr_fds; i++) {
		if (p->fds[i].fd == fd) {
			free(p->fds[i].name);
			p->fds[i] = p->fds[--p->nr_fds];
			return;
		}
	}
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

static void parse_syscall(struct lackey_reader *r, struct lk_proc *p, const char *line)
{
	uint64_t a[6] = {0}, res = 0;
	char path[LACKEY_NAME_MAX + 1] = "";
	const char *cc = strstr(line, "created child ");
	if (cc) {
		uint64_t child = strtoull(cc + 14, NULL, 10);
		if (child && child <= UINT32_MAX) {
			out_push(p, OP_FORK)->arg = child;
			GROW(p->children, p->nr_children, p->cap_children);
			p->children[p->nr_children++] = (uint32_t)child;
		}
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
		return;
	case 3: /* close */
		if (!cont && sys_args(line, a, 1, -1, NULL, 0) == 1)
			fd_close(p, (int)a[0]);
		return;
	case 9: { /* mmap(addr, len, prot, flags, fd, offset) */
		if (cont || sys_args(line, a, 6, -1, NULL, 0) < 6 || !sys_result(line, &res))
			return;
		unsigned flags = (a[3] & 0x01) ? MAPF_SHARED : 0;
		const char *fname = NULL;
		if (!(a[3] & 0x20) && (uint32_t)a[4] != UINT32_MAX)
			fname = fd_name(p, (int)a[4]);
		if (fname)
			flags |= MAPF_FILE;
		emit_mmap(r, p, res, page_up(r, a[1]), (unsigned)a[2], flags, fname,
		          fname ? a[5] : 0);
		return;
	}
	case 11: /* munmap */
		if (!cont && sys_args(line, a, 2, -1, NULL, 0) == 2 && sys_result(line, &res))
			emit_range(r, p, OP_MUNMAP, a[0], a[1], 0, 0);
		return;
	case 10: /* mprotect */
		if (!cont && sys_args(line, a, 3, -1, NULL, 0) == 3 && sys_result(line, &res))
			emit_range(r, p, OP_MPROTECT, a[0], a[1], 0, (unsigned)a[2]);
		return;
	case 28: { /* madvise */
		if (cont || sys_args(line, a, 3, -1, NULL, 0) != 3 || !sys_result(line, &res))
			return;
		uint64_t adv = a[2] == 14   ? ADV_HUGEPAGE
		               : a[2] == 15 ? ADV_NOHUGEPAGE
		               : a[2] == 4  ? ADV_DONTNEED
		                            : 0;
		if (adv)
			emit_range(r, p, OP_MADVISE, a[0], a[1], adv, 0);
		return;
	}
	case 26: /* msync */
		if (!cont && sys_args(line, a, 3, -1, NULL, 0) == 3 && sys_result(line, &res))
			emit_range(r, p, OP_MSYNC, a[0], a[1], 0, 0);
		return;
	case 25: /* mremap(old, old_len, new_len, flags, new) */
		if (!cont && sys_args(line, a, 3, -1, NULL, 0) >= 3 && sys_result(line, &res)) {
			emit_range(r, p, OP_MUNMAP, a[0], a[1], 0, 0);
			emit_mmap(r, p, res, page_up(r, a[2]), PROT_R | PROT_W, 0, NULL, 0);
		}
		return;
	case 12: /* brk */
		if (cont || sys_args(line, a, 1, -1, NULL, 0) != 1 || !sys_result(line, &res))
			return;
		if (!p->brk_start) {
			p->brk_start = p->brk_cur = page_up(r, res);
		} else if (page_up(r, res) > p->brk_cur) {
			emit_mmap(r, p, p->brk_cur, page_up(r, res) - p->brk_cur, PROT_R | PROT_W,
			          0, NULL, 0);
			p->brk_cur = page_up(r, res);
		} else if (page_up(r, res) < p->brk_cur && page_up(r, res) >= p->brk_start) {
			emit_range(r, p, OP_MUNMAP, page_up(r, res), p->brk_cur - page_up(r, res),
			           0, 0);
			p->brk_cur = page_up(r, res);
		}
		return;
	case 61: { /* wait4(pid, status, options, rusage) */
		if (cont || sys_args(line, a, 3, -1, NULL, 0) != 3 || (a[2] & 1 /* WNOHANG */))
			return;
		uint32_t child = (uint32_t)a[0];
		if (child == UINT32_MAX) {
			out_push(p, OP_WAIT)->arg = 0;
			return;
		}
		for (uint32_t i = 0; i < p->nr_children; i++)
			if (p->children[i] == child)
				out_push(p, OP_WAIT)->arg = child;
		return;
	}
	case 59: /* execve */
		if (cont || sys_args(line, a, 1, 0, path, sizeof(path)) < 1 || !*path ||
		    strstr(line, "Failure"))
			return;
		sanitize_name(path);
		free(p->pending_exec);
		p->pending_exec = xstrdup(path);
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

/* Turn p's next line into queued ops; 0 at the end of p's last log. */
static int proc_fill(struct lackey_reader *r, struct lk_proc *p, struct err *err)
{
	while (p->out_len == 0) {
		if (p->exited)
			return 0;
		int too_long;
		char *line = p->lr_open ? linereader_next(&p->lr, &too_long) : NULL;
		if (!line) {
			if (p->lr_open && too_long)
				return err_set(err, "%s:%llu: line too long", p->lr.path,
				               (unsigned long long)p->lr.line_no);
			if (p->pending_exec) {
				struct op *op = out_push(p, OP_EXECVE);
				out_set_name(p, op, p->pending_exec);
				free(p->pending_exec);
				p->pending_exec = NULL;
				p->nr_maps = 0; /* a new address space */
				p->brk_start = p->brk_cur = 0;
			}
			int rc = proc_next_seg(p, err);
			if (rc < 0)
				return rc;
			if (rc == 0 && !p->out_len) {
				out_push(p, OP_EXIT);
				p->exited = 1;
			}
			continue;
		}
		if ((line[0] == 'I' && line[1] == ' ') ||
		    (line[0] == ' ' && (line[1] == 'L' || line[1] == 'S' || line[1] == 'M') &&
		     line[2] == ' ')) {
			int rc = parse_access(r, p, line, err);
			if (rc < 0)
				return rc;
		} else if (memcmp(line, "SYSCALL[", 8) == 0) {
			parse_syscall(r, p, line);
		}
		/* anything else is valgrind's chatter */
	}
	return 1;
}

static int lackey_read(void *reader, struct op *op, struct err *err)
{
	struct lackey_reader *r = reader;
	for (;;) {
		if (r->nr_active == 0)
			return 0;
		if (r->cur >= r->nr_active)
			r->cur = 0;
		struct lk_proc *p = r->active[r->cur];
		int rc = proc_fill(r, p, err);
		if (rc < 0)
			return rc;
		if (rc == 0) { /* p is done */
			memmove(r->active + r->cur, r->active + r->cur + 1,
			        (r->nr_active - r->cur - 1) * sizeof(*r->active));
			r->nr_active--;
			GROW(r->dead, r->nr_dead, r->cap_dead);
			r->dead[r->nr_dead++] = p;
			r->chunk_left = LACKEY_CHUNK;
			continue;
		}
		*op = p->out[p->out_head];
		free(p->name_last);
		p->name_last = p->out_names[p->out_head];
		p->out_head++;
		if (--p->out_len == 0)
			p->out_head = 0;
		r->where_proc = p;
		r->where_line = p->lr_open ? p->lr.line_no : 0;
		if (p->lr_open && (!r->where_path || strcmp(r->where_path, p->lr.path) != 0)) {
			free(r->where_path);
			r->where_path = xstrdup(p->lr.path);
		}
		if (op->kind == OP_FILE)
			op->pid = 0;
		if (op->kind == OP_FORK) {
			struct lk_proc *c = proc_new(r, (uint32_t)op->arg);
			c->maps = p->nr_maps ? xmalloc(p->nr_maps * sizeof(*c->maps)) : NULL;
			if (p->nr_maps)
				memcpy(c->maps, p->maps, p->nr_maps * sizeof(*c->maps));
			c->nr_maps = c->cap_maps = p->nr_maps;
			for (uint32_t i = 0; i < p->nr_fds; i++)
				fd_set_name(c, p->fds[i].fd, p->fds[i].name);
			c->brk_start = p->brk_start;
			c->brk_cur = p->brk_cur;
			rc = proc_next_seg(c, err);
			if (rc < 0) {
				proc_free(c);
				return rc;
			}
			active_add(r, c, r->cur + 1);
		}
		if (op->kind != OP_FILE && r->chunk_left > 0)
			r->chunk_left--;
		if (r->chunk_left == 0 && p->out_len == 0) {
			r->cur++;
			r->chunk_left = LACKEY_CHUNK;
		}
		return 1;
	}
}

const struct trace_format trace_format_lackey = {
    .name = "lackey",
    .extensions = ".lackey",
    .open = lackey_open,
    .read = lackey_read,
    .where = lackey_where,
    .close = lackey_close,
};
