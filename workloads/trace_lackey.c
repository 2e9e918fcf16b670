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
 * exact place among the accesses (trace_lackey_syscall.c, trace_lackey_mm.c; docs/traces.md,
 * "System calls in a recording", lists each call and its vmt line): mmap with its flags and
 * result (anonymous, file-backed via the path of the fd from open/openat, with a `file` line
 * of the host file's size, or shmem), munmap, mprotect, madvise, msync, mremap, brk, the mlock
 * family, memfd / shm_open / SysV shm objects, rt_sigaction of SIGSEGV and SIGBUS, file
 * read/write/lseek/fsync/fdatasync/ftruncate, clone of a thread (`thread TID`, the kernel's
 * id; each access is the task that valgrind's --trace-sched lines say runs), fork/vfork/clone
 * of a process ("created child N"), wait4 (blocking only; "wait any" for pid -1), execve (exec
 * IMAGE with the program's path), exit_group, and exit of a thread. What the importer
 * synthesised where a new mapping goes (mmap, brk, mremap, shmat) is unmapped first. Every
 * process's stream ends with an exit.
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

#include "workloads/trace_lackey.h"

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
	if (x->seq != y->seq)
		return x->seq > y->seq ? -1 : 1; /* higher %n first (see the top) */
	return strcmp(x->path, y->path); /* a.100 and b.100: by name, whatever readdir's order */
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
	free(p->vtid_task);
	for (uint32_t i = 0; i < p->nr_vtids; i++)
		free(p->vtid_rw[i].line);
	free(p->vtid_rw);
	free(p->threads);
	free(p->clones);
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

/* The segment of pid (the first, segs sorted), or NULL. */
static const struct lk_seg *seg_of(const struct lackey_reader *r, uint32_t pid)
{
	for (uint32_t i = 0; i < r->nr_segs; i++)
		if (r->segs[i].pid == pid)
			return &r->segs[i];
	return NULL;
}

/* Every log's process descends from root through recorded parents: a log whose parent was
 * not recorded, or a cycle of parents, would never be read (it was dropped silently). */
static int lackey_check_tree(const struct lackey_reader *r, uint32_t root, struct err *err)
{
	const struct lk_seg *rs = seg_of(r, root);
	if (seg_of(r, rs->parent_pid)) /* no process without a recorded parent */
		return err_set(err,
		               "%s: pid %u's parents form a cycle (pid %u names pid %u as its "
		               "parent): no initial process",
		               rs->path, root, root, rs->parent_pid);
	for (uint32_t i = 0; i < r->nr_segs; i++) {
		const struct lk_seg *s = &r->segs[i];
		for (uint32_t steps = 0; s->pid != root; steps++) {
			const struct lk_seg *parent = seg_of(r, s->parent_pid);
			if (!parent)
				return err_set(err,
				               "%s: pid %u's parent, pid %u, has no log here (the "
				               "initial process is pid %u): its log would never be "
				               "read",
				               r->segs[i].path, s->pid, s->parent_pid, root);
			if (steps > r->nr_segs)
				return err_set(
				    err,
				    "%s: pid %u's parents form a cycle (pid %u names pid "
				    "%u as its parent)",
				    r->segs[i].path, r->segs[i].pid, s->pid, s->parent_pid);
			s = parent;
		}
	}
	return 0;
}

static int lackey_open(void **out, const char *path, const struct trace_read_opts *opts,
                       struct err *err)
{
	struct lackey_reader *r = xcalloc(1, sizeof(*r));
	r->path = xstrdup(path);
	r->page_size = opts->page_size;
	r->no_ifetch = opts->champsim_no_ifetch;
	r->max_accesses = opts->max_accesses;
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
			struct stat est;
			if (stat(full, &est) == 0 && !S_ISREG(est.st_mode)) {
				/* a FIFO would block the scan forever */
				rc = err_set(err, "%s: not a regular file", full);
				free(full);
				closedir(d);
				goto fail;
			}
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
	} else if (!S_ISREG(st.st_mode)) {
		rc =
		    err_set(err, "%s: not a regular file (a lackey log or a folder of them)", path);
		goto fail;
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
	rc = lackey_check_tree(r, root, err);
	if (rc < 0)
		goto fail;
	struct lk_proc *p = proc_new(r, root);
	p->roi_off = opts->lackey_roi;
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
	for (uint32_t i = 0; i < r->nr_sizes; i++) {
		free(r->sizes[i].name);
		free(r->sizes[i].tasks);
	}
	free(r->sizes);
	for (uint32_t i = 0; i < r->nr_shms; i++)
		free(r->shms[i].name);
	free(r->shms);
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
	if (!p->roi_off && !(c == 'I' && r->no_ifetch))
		map_ensure(p, first, last + r->page_size);
	uint64_t second = last != first ? last : UINT64_MAX;
	if (p->roi_off || (c == 'I' && r->no_ifetch))
		return 0;
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

/* "--PID--   SCHED[V]:  acquired lock (...)" (valgrind --trace-sched=yes): thread V runs
 * from here on; "(thread_wrapper(starting new thread))" is a new thread's first line. */
static int parse_sched(struct lk_proc *p, const char *line, struct err *err)
{
	const char *s = strstr(line, "SCHED[");
	if (!s || !strstr(s, "acquired lock"))
		return 0;
	unsigned long vtid = strtoul(s + 6, NULL, 10);
	if (lk_check_vtid(p, vtid, err) < 0)
		return -1;
	lk_sched_acquired(p, (uint32_t)vtid, strstr(s, "starting new thread") != NULL);
	return 0;
}

int lk_check_vtid(const struct lk_proc *p, unsigned long vtid, struct err *err)
{
	if (vtid <= LACKEY_MAX_VTID)
		return 0;
	return err_set(err, "%s:%llu: valgrind thread id %lu out of range (at most %u)", p->lr.path,
	               (unsigned long long)p->lr.line_no, vtid, LACKEY_MAX_VTID);
}

/* "**PID** vmsim: ..." (VALGRIND_PRINTF of scripts/vmsim_roi.h): "roi start", "roi stop",
 * "mark begin ID", "mark end ID"; other client prints are the program's own. */
static int parse_client_print(struct lk_proc *p, const char *line, struct err *err)
{
	const char *s = strstr(line + 2, "** vmsim: ");
	if (!s)
		return 0;
	s += 10;
	unsigned long long id;
	char what[8], tail;
	if (strcmp(s, "roi start") == 0 || strcmp(s, "roi stop") == 0) {
		p->roi_off = s[4] == 's' && s[5] == 't' && s[6] == 'o';
		return 0;
	}
	if (sscanf(s, "mark %7s %llu%c", what, &id, &tail) == 2 &&
	    (strcmp(what, "begin") == 0 || strcmp(what, "end") == 0)) {
		struct op *op = out_push(p, OP_MARK);
		op->flags = what[0] == 'b' ? MARK_BEGIN : MARK_END;
		op->arg = id;
		return 0;
	}
	return err_set(err,
	               "%s:%llu: expected \"vmsim: roi start|stop\" or \"vmsim: mark "
	               "begin|end ID\" (scripts/vmsim_roi.h), got \"%.60s\"",
	               p->lr.path, (unsigned long long)p->lr.line_no, line);
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
				return err_set(err, "%s:%llu: %s", p->lr.path,
				               (unsigned long long)p->lr.line_no,
				               linereader_what(too_long));
			if (p->pending_exec) {
				while (p->nr_threads) /* exec ends the other threads (de_thread) */
					lk_task_exit(p, p->threads[p->nr_threads - 1]);
				p->cur_task = 0;
				struct op *op = out_push(p, OP_EXEC_BARE);
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
				lk_proc_exit_all(p);
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
			if (parse_syscall(r, p, line, err) < 0)
				return -1;
		} else if (line[0] == '-' && line[1] == '-') {
			if (parse_sched(p, line, err) < 0)
				return -1;
		} else if (line[0] == '*' && line[1] == '*') {
			int rc = parse_client_print(p, line, err);
			if (rc < 0)
				return rc;
		}
		/* anything else is valgrind's chatter */
	}
	return 1;
}

/* --max-accesses reached: p's queued operations go (a fork among them never happens) and
 * every live task of p exits. */
static void proc_drain(struct lk_proc *p)
{
	if (p->exited && !p->out_len)
		return;
	uint32_t keep = 0;
	for (uint32_t i = 0; i < p->out_len; i++) {
		uint32_t j = p->out_head + i;
		if (p->out[j].kind == OP_EXIT || p->out[j].kind == OP_THREAD) { /* tasks stay */
			p->out[p->out_head + keep] = p->out[j];
			p->out_names[p->out_head + keep++] = p->out_names[j];
		} else {
			free(p->out_names[j]);
		}
	}
	p->out_len = keep;
	if (!keep)
		p->out_head = 0;
	lk_proc_exit_all(p);
	p->exited = 1;
}

static int lackey_read(void *reader, struct op *op, struct err *err)
{
	struct lackey_reader *r = reader;
	for (;;) {
		if (r->nr_active == 0)
			return r->nr_accesses ? 0
			                      : err_set(err,
			                                "%s: no lackey records (not the log of "
			                                "valgrind --tool=lackey "
			                                "--trace-mem=yes?)",
			                                r->path);
		if (r->cur >= r->nr_active)
			r->cur = 0;
		struct lk_proc *p = r->active[r->cur];
		if (r->max_accesses && r->nr_accesses >= r->max_accesses)
			proc_drain(p);
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
		if (op->kind == OP_FORK || op->kind == OP_VFORK) {
			struct lk_proc *c = proc_new(r, (uint32_t)op->arg);
			c->maps = p->nr_maps ? xmalloc(p->nr_maps * sizeof(*c->maps)) : NULL;
			if (p->nr_maps)
				memcpy(c->maps, p->maps, p->nr_maps * sizeof(*c->maps));
			c->nr_maps = c->cap_maps = p->nr_maps;
			for (uint32_t i = 0; i < p->nr_fds; i++) {
				struct lk_fd *f = fd_set_name(c, p->fds[i].fd, p->fds[i].name);
				f->pos = p->fds[i].pos;
				f->rw = p->fds[i].rw;
				f->shm = p->fds[i].shm;
			}
			c->roi_off = p->roi_off;
			c->brk_start = p->brk_start;
			c->brk_cur = p->brk_cur;
			rc = proc_next_seg(c, err);
			if (rc < 0) {
				proc_free(c);
				return rc;
			}
			active_add(r, c, r->cur + 1);
		}
		if (op->kind <= OP_EXEC)
			r->nr_accesses++;
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
