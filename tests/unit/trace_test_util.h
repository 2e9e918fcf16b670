/*
 * trace_test_util.h — helpers shared by the trace unit tests: temporary files, reading a
 * whole trace into a list of ops, the first error of a malformed trace.
 */
#ifndef VMSIM_TESTS_TRACE_TEST_UTIL_H
#define VMSIM_TESTS_TRACE_TEST_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workloads/trace_source.h"

static char tt_dir[64];

/* A path in this test's temporary folder; static storage, 8 rotating slots. */
static inline const char *tt_path(const char *name)
{
	static char bufs[8][256];
	static int next;
	if (!tt_dir[0]) {
		strcpy(tt_dir, "/tmp/vmsim-trace-test.XXXXXX");
		if (!mkdtemp(tt_dir))
			abort();
	}
	char *b = bufs[next++ & 7];
	snprintf(b, 256, "%s/%s", tt_dir, name);
	return b;
}

static inline void tt_write(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len)
		abort();
	fclose(f);
}

static inline const char *tt_text(const char *name, const char *text)
{
	const char *p = tt_path(name);
	tt_write(p, text, strlen(text));
	return p;
}

/* The whole file as a NUL-terminated string (new), its length in *len. */
static inline char *tt_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t n = 0, cap = 0, got;
	do {
		if (n + 4096 > cap)
			buf = realloc(buf, cap = cap * 2 + 8192);
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

/* Read a trace with reader options opts as normal-form vmt text, one line per op (new); NULL
 * with err on error. */
static inline char *tt_as_vmt_opts(const char *path, const char *format,
                                   const struct trace_read_opts *opts, struct err *err)
{
	struct trace_source s;
	if (trace_source_open(&s, path, format ? trace_format_find(format) : NULL, opts, err) < 0)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap);
	out[0] = '\0';
	struct op op;
	int rc;
	while ((rc = trace_source_next(&s, &op, err)) > 0) {
		if (n + 1300 > cap)
			out = realloc(out, cap *= 2);
		n += trace_format_vmt_line(&op, out + n, cap - n);
		out[n++] = '\n';
		out[n] = '\0';
	}
	trace_source_close(&s);
	if (rc < 0) {
		free(out);
		return NULL;
	}
	return out;
}

/* Read a trace (4 KiB pages, default options) as normal-form vmt text (new); NULL with err. */
static inline char *tt_as_vmt(const char *path, const char *format, struct err *err)
{
	struct trace_read_opts opts = {.page_size = 4096};
	return tt_as_vmt_opts(path, format, &opts, err);
}

/* The message of the first error met reading path as format ("" if none). */
static inline const char *tt_error(const char *path, const char *format)
{
	static struct err err;
	err.msg[0] = '\0';
	char *text = tt_as_vmt(path, format, &err);
	free(text);
	return err.msg;
}

static inline void tt_cleanup(void)
{
	if (tt_dir[0]) {
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "rm -rf %s", tt_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tt_dir);
	}
}

#endif
