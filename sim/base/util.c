/*
 * util.c — allocation wrappers, error messages and the always-on BUG_ON reporter.
 */
#include "sim/base/util.h"

#include <errno.h>
#include <libgen.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>

static _Thread_local const simtime_t *bug_clock;

static int err_vset(struct err *err, int code, const char *fmt, va_list ap)
{
	if (err)
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	return -code;
}

int err_set(struct err *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = err_vset(err, VMSIM_EINVAL, fmt, ap);
	va_end(ap);
	return rc;
}

int err_setc(struct err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = err_vset(err, code, fmt, ap);
	va_end(ap);
	return rc;
}

static NORETURN void oom(size_t size_bytes)
{
	fprintf(stderr, "vmsim: host out of memory allocating %zu bytes\n", size_bytes);
	abort();
}

void *xmalloc(size_t size_bytes)
{
	void *p = malloc(size_bytes ? size_bytes : 1);
	if (!p)
		oom(size_bytes);
	return p;
}

void *xcalloc(size_t nmemb, size_t size_bytes)
{
	void *p = calloc(nmemb ? nmemb : 1, size_bytes ? size_bytes : 1);
	if (!p)
		oom(nmemb * size_bytes);
	return p;
}

#define BIG_ALIGN ((size_t)2 << 20) /* the x86-64 huge page */

static size_t big_bytes(size_t nmemb, size_t size_bytes)
{
	BUG_ON(size_bytes && nmemb > SIZE_MAX / size_bytes, "array of %zu x %zu bytes", nmemb,
	       size_bytes);
	return nmemb * size_bytes;
}

void *xcalloc_big(size_t nmemb, size_t size_bytes)
{
	size_t bytes = big_bytes(nmemb, size_bytes);
	if (bytes < BIG_ALIGN)
		return xcalloc(nmemb, size_bytes);
	size_t len = (bytes + BIG_ALIGN - 1) & ~(BIG_ALIGN - 1);
	/* Map one huge page more than needed, then unmap the unaligned head and the tail. */
	char *raw =
	    mmap(NULL, len + BIG_ALIGN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED)
		oom(bytes);
	char *p = (char *)(((uintptr_t)raw + BIG_ALIGN - 1) & ~(uintptr_t)(BIG_ALIGN - 1));
	if (p > raw)
		munmap(raw, (size_t)(p - raw));
	if (p + len < raw + len + BIG_ALIGN)
		munmap(p + len, (size_t)(raw + len + BIG_ALIGN - (p + len)));
#ifdef MADV_HUGEPAGE
	madvise(p, len, MADV_HUGEPAGE); /* a hint; refused where THP is off */
#endif
	return p;
}

void xfree_big(void *p, size_t nmemb, size_t size_bytes)
{
	if (!p)
		return;
	size_t bytes = big_bytes(nmemb, size_bytes);
	if (bytes < BIG_ALIGN) {
		free(p);
		return;
	}
	munmap(p, (bytes + BIG_ALIGN - 1) & ~(BIG_ALIGN - 1));
}

void *xrealloc(void *p, size_t size_bytes)
{
	void *q = realloc(p, size_bytes ? size_bytes : 1);
	if (!q)
		oom(size_bytes);
	return q;
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = xmalloc(n);
	memcpy(d, s, n);
	return d;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	return s;
}

void bug_set_clock(const simtime_t *now_ps)
{
	bug_clock = now_ps;
}

void bug_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	fflush(stdout);
	if (bug_clock)
		fprintf(stderr, "vmsim: BUG at simulated time %" PRIu64 " ps: %s:%d: %s",
		        *bug_clock, file, line, cond);
	else
		fprintf(stderr, "vmsim: BUG (no simulation running): %s:%d: %s", file, line, cond);
	if (fmt && *fmt) {
		va_list ap;
		va_start(ap, fmt);
		fputs(": ", stderr);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
	}
	fputc('\n', stderr);
	abort();
}

int mkdir_p(const char *path)
{
	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			free(p);
			return -1;
		}
		*s = '/';
	}
	int rc = (mkdir(p, 0777) < 0 && errno != EEXIST) ? -1 : 0;
	free(p);
	return rc;
}

int parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	char *end;
	errno = 0;
	unsigned long long v;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if (!s[2])
			return -1;
		v = strtoull(s + 2, &end, 16);
	} else {
		v = strtoull(s, &end, 10);
	}
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

double host_monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The line and column (1-based) of byte OFF of TEXT. */
static void text_line_col(const char *text, size_t off, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++, (*col)++)
		if (text[i] == '\n')
			(*line)++, *col = 0;
}

int json_text_read(const char *path, const char *what, char **out, size_t *len_bytes,
                   struct err *err)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_setc(err, VMSIM_EIO, "%s: cannot read %s: %s", path, what, strerror(errno));
	size_t cap = 4096, len = 0, n;
	char *text = xmalloc(cap);
	while ((n = fread(text + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2)
			text = xrealloc(text, cap *= 2);
	}
	int bad = ferror(f);
	fclose(f);
	text[len] = '\0';
	const char *nul = memchr(text, '\0', len);
	size_t line, col, off = nul ? (size_t)(nul - text) : 0;
	if (nul)
		text_line_col(text, off, &line, &col);
	if (bad || nul)
		free(text);
	if (bad)
		return err_setc(err, VMSIM_EIO, "%s: cannot read %s: read error", path, what);
	if (nul)
		return err_set(err, "%s:%zu:%zu: a NUL byte (byte offset %zu; not a JSON text?)",
		               path, line, col, off);
	*out = text;
	*len_bytes = len;
	return 0;
}

char *path_dir(const char *path)
{
	char *copy = xstrdup(path);
	char *d = xstrdup(dirname(copy));
	free(copy);
	return d;
}

char *path_join(const char *dir, const char *rel)
{
	if (rel[0] == '/' || !dir || !*dir || strcmp(dir, ".") == 0)
		return xstrdup(rel);
	return xasprintf("%s/%s", dir, rel);
}
