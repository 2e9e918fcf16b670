/*
 * trace_convert.c — see trace_convert.h. `info` keeps two hash sets of touched pages (memory
 * grows with the footprint, not with the trace's length); `convert` streams.
 */
#include "workloads/trace_convert.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "workloads/trace_source.h"

/* An open-addressing set of (pid, page) keys; pid 0 for "any process". */
struct page_set {
	uint64_t *page; /* page + 1 (0: empty) */
	uint32_t *pid;
	uint64_t mask, count;
};

static void page_set_init(struct page_set *s)
{
	s->mask = 1023;
	s->count = 0;
	s->page = xcalloc(s->mask + 1, sizeof(*s->page));
	s->pid = xcalloc(s->mask + 1, sizeof(*s->pid));
}

static void page_set_fini(struct page_set *s)
{
	free(s->page);
	free(s->pid);
}

static void page_set_add(struct page_set *s, uint32_t pid, uint64_t page)
{
	if ((s->count + 1) * 2 > s->mask + 1) {
		struct page_set big = {.mask = s->mask * 2 + 1};
		big.page = xcalloc(big.mask + 1, sizeof(*big.page));
		big.pid = xcalloc(big.mask + 1, sizeof(*big.pid));
		for (uint64_t i = 0; i <= s->mask; i++)
			if (s->page[i])
				page_set_add(&big, s->pid[i], s->page[i] - 1);
		page_set_fini(s);
		*s = big;
	}
	uint64_t i = mix64(page ^ ((uint64_t)pid << 40) ^ ((uint64_t)pid >> 24)) & s->mask;
	while (s->page[i]) {
		if (s->page[i] == page + 1 && s->pid[i] == pid)
			return;
		i = (i + 1) & s->mask;
	}
	s->page[i] = page + 1;
	s->pid[i] = pid;
	s->count++;
}

int trace_info_compute(const char *path, const struct trace_format *fmt,
                       const struct trace_read_opts *opts, struct trace_info *info, struct err *err)
{
	memset(info, 0, sizeof(*info));
	info->page_size = opts->page_size;
	struct trace_source src;
	int rc = trace_source_open(&src, path, fmt, opts, err);
	if (rc < 0)
		return rc;
	struct page_set all, per;
	page_set_init(&all);
	page_set_init(&per);
	struct op op;
	unsigned shift = (unsigned)__builtin_ctzll(opts->page_size);
	while ((rc = trace_source_next(&src, &op, err)) > 0) {
		info->nr_ops++;
		info->ops_by_kind[op.kind]++;
		if (op.kind <= OP_EXEC) {
			info->nr_accesses++;
			page_set_add(&all, 0, op.addr >> shift);
			page_set_add(&per, op.pid, op.addr >> shift);
		} else if (op.kind == OP_COMPUTE) {
			info->compute_ns += op.arg;
		}
	}
	info->nr_processes = src.nr_procs;
	info->pages_touched = all.count;
	info->process_pages_touched = per.count;
	info->footprint_bytes = all.count * opts->page_size;
	page_set_fini(&all);
	page_set_fini(&per);
	trace_source_close(&src);
	return rc;
}

/* Refuse an out that is in itself (by inode: a hard link or symlink to in is the same file) or
 * that exists and is not a regular file (a device, a FIFO, a folder: renaming a new file over
 * it would destroy it). */
static int convert_check_out(const char *in, const char *out, struct err *err)
{
	struct stat si, so;
	if (stat(out, &so) < 0)
		return 0; /* a new file (a folder that does not exist fails at creation) */
	if (stat(in, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
		return err_set(err, "%s: is the same file as the input %s (convert never overwrites "
		                    "its input)",
		               out, in);
	if (!S_ISREG(so.st_mode))
		return err_set(err, "%s: not a regular file (convert writes a new file and renames it "
		                    "over OUT)",
		               out);
	return 0;
}

/* A new, empty, unique file next to out: DIR/.BASE.XXXXXX.tmp (new string). */
static char *convert_tmp_create(const char *out, struct err *err, int *rc)
{
	const char *slash = strrchr(out, '/');
	int dir_len = slash ? (int)(slash - out + 1) : 0;
	char *tmp = xasprintf("%.*s.%s.XXXXXX.tmp", dir_len, out, slash ? slash + 1 : out);
	int fd = mkstemps(tmp, 4);
	if (fd < 0) {
		*rc = err_setc(err, VMSIM_EIO, "%s: cannot create: %s", out, strerror(errno));
		free(tmp);
		return NULL;
	}
	/* the mode a new file gets (mkstemp's is 0600), or the mode of the file it replaces */
	struct stat so;
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, stat(out, &so) == 0 ? (so.st_mode & 07777) : (0666 & ~mask));
	close(fd);
	return tmp;
}

/* A writer's message names the temporary file: name out instead. */
static void convert_name_out(struct err *err, const char *tmp, const char *out)
{
	size_t n = strlen(tmp);
	if (strncmp(err->msg, tmp, n) != 0)
		return;
	char rest[sizeof(err->msg)];
	snprintf(rest, sizeof(rest), "%s", err->msg + n);
	snprintf(err->msg, sizeof(err->msg), "%s%s", out, rest);
}

/* The ops of src into the writer w; < 0 with err at the first error or stop. */
static int convert_copy(struct trace_source *src, const struct trace_format *to, void *w,
                        const struct trace_read_opts *opts, const char *out, struct err *err)
{
	struct op op;
	int rc;
	while ((rc = trace_source_next(src, &op, err)) > 0) {
		if (opts->stop && *opts->stop)
			return err_setc(err, VMSIM_EIO, "interrupted; %s was not written", out);
		rc = to->write(w, &op, err);
		if (rc < 0)
			break;
	}
	return rc;
}

int trace_convert(const char *in, const struct trace_format *from, const char *out,
                  const struct trace_format *to, const struct trace_read_opts *opts,
                  struct err *err)
{
	if (!to)
		to = trace_format_guess(out);
	if (!to)
		return err_set(err,
		               "%s: cannot tell the output format from the name (use a .vmt, "
		               ".vmb or .pages ending, or --to FORMAT)",
		               out);
	if (!to->wopen)
		return err_set(err,
		               "%s: the %s format can be read but not written (write vmt, vmb "
		               "or pages)",
		               out, to->name);
	int rc = convert_check_out(in, out, err);
	if (rc < 0)
		return rc;
	struct trace_source src;
	rc = trace_source_open(&src, in, from, opts, err);
	if (rc < 0)
		return rc;
	char *tmp = convert_tmp_create(out, err, &rc);
	void *w = NULL;
	if (tmp)
		rc = to->wopen(&w, tmp, opts, err);
	if (rc == 0) {
		rc = convert_copy(&src, to, w, opts, out, err);
		struct err werr;
		int wrc = to->wclose(w, &werr);
		if (rc == 0 && wrc < 0) {
			rc = wrc;
			*err = werr;
		}
	}
	trace_source_close(&src);
	if (rc == 0 && rename(tmp, out) < 0)
		rc = err_setc(err, VMSIM_EIO, "%s: cannot rename %s to it: %s", out, tmp,
		              strerror(errno));
	if (rc < 0 && tmp) {
		unlink(tmp);
		convert_name_out(err, tmp, out);
	}
	free(tmp);
	return rc;
}
