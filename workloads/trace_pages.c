/*
 * trace_pages.c — the `pages` trace format: one page number per line (decimal or 0x hex), '#'
 * comments and blank lines ignored, an optional 'r' or 'w' after the number (default 'w').
 * This is also libCacheSim's plain-text format, so the same file runs in both.
 *
 * One process (pid 1) owns one anonymous private region [0, PAGES_REGION_BYTES) mapped when
 * the run starts; page N is the page at address N * page_size. Page numbers must fit the
 * region (a 47-bit user address space, as x86-64 with 4-level tables).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/linereader.h"
#include "workloads/trace_pages.h"
#include "workloads/workload.h"

struct pages_trace {
	struct linereader lr;
	uint64_t page_size;
	uint64_t max_page;  /* page numbers must be < max_page */
	int mapped;         /* the initial mmap was returned */
	int ended;
};

static const struct param_spec pages_params[] = {
	{.key = "path", .type = PARAM_STRING, .doc = "the trace file (relative to the config file)"},
	{.key = "format", .type = PARAM_ENUM, .choices = "pages", .def = "\"pages\"",
	 .doc = "trace format"},
	{0},
};

int pages_parse_line(char *line, uint64_t *page, int *is_write)
{
	char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0' || *p == '#')
		return 0;
	uint64_t v = 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (!isxdigit((unsigned char)*p))
			return -1;
		while (isxdigit((unsigned char)*p)) {
			if (v >> 60)
				return -1;
			int d = *p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10;
			v = (v << 4) | (uint64_t)d;
			p++;
		}
	} else {
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9') {
			if (v > (UINT64_MAX - 9) / 10)
				return -1;
			v = v * 10 + (uint64_t)(*p - '0');
			p++;
		}
	}
	*is_write = 1;
	while (*p == ' ' || *p == '\t' || *p == ',')
		p++;
	if (*p == 'r' || *p == 'R') {
		*is_write = 0;
		p++;
	} else if (*p == 'w' || *p == 'W') {
		p++;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '\0' && *p != '#')
		return -1;
	*page = v;
	return 1;
}

static int pages_open(struct workload **out, const json_t *params, const struct workload_env *env,
		      struct err *err)
{
	const char *path = params_get_string(params, "path");
	char *full = (path[0] == '/' || !env->base_dir || !*env->base_dir)
			     ? xstrdup(path)
			     : xasprintf("%s/%s", env->base_dir, path);
	struct pages_trace *t = xcalloc(1, sizeof(*t));
	int rc = linereader_open(&t->lr, full, err);
	if (rc) {
		err_set(err, "%s: %s.path: cannot open trace \"%s\"", env->config_file,
			env->config_path, full);
		free(full);
		free(t);
		return rc;
	}
	free(full);
	t->page_size = env->page_size;
	t->max_page = PAGES_REGION_BYTES / env->page_size;
	*out = (struct workload *)t;
	return 0;
}

static uint32_t pages_initial_pid(const struct workload *w)
{
	return 1;
}

static int pages_next(struct workload *w, uint32_t pid, struct op *op, struct err *err)
{
	struct pages_trace *t = (struct pages_trace *)w;
	if (!t->mapped) {
		t->mapped = 1;
		*op = (struct op){.kind = OP_MMAP, .pid = 1, .addr = 0, .len = PAGES_REGION_BYTES,
				  .prot = PROT_R | PROT_W};
		return 1;
	}
	if (t->ended)
		return 0;
	for (;;) {
		int too_long;
		char *line = linereader_next(&t->lr, &too_long);
		if (!line) {
			if (too_long)
				return err_set(err, "%s:%llu: line too long", t->lr.path,
					       (unsigned long long)t->lr.line_no);
			t->ended = 1;
			return 0;
		}
		uint64_t page;
		int is_write;
		int r = pages_parse_line(line, &page, &is_write);
		if (r == 0)
			continue;
		if (r < 0)
			return err_set(err, "%s:%llu: expected a page number (decimal or 0x hex) and an "
					    "optional r or w, got \"%.60s\"",
				       t->lr.path, (unsigned long long)t->lr.line_no, line);
		if (page >= t->max_page)
			return err_set(err, "%s:%llu: page number %llu is beyond the address space "
					    "(at most %llu pages of %llu bytes)",
				       t->lr.path, (unsigned long long)t->lr.line_no,
				       (unsigned long long)page, (unsigned long long)t->max_page,
				       (unsigned long long)t->page_size);
		op->kind = is_write ? OP_WRITE : OP_READ;
		op->pid = 1;
		op->addr = page * t->page_size;
		return 1;
	}
}

static void pages_close(struct workload *w)
{
	struct pages_trace *t = (struct pages_trace *)w;
	linereader_close(&t->lr);
	free(t);
}

const struct workload_ops workload_trace_pages = {
	.name = "trace",
	.description = "replay a recorded trace (format: pages)",
	.params = pages_params,
	.open = pages_open,
	.initial_pid = pages_initial_pid,
	.next = pages_next,
	.close = pages_close,
};
