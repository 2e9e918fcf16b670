/*
 * trace_cli.c — see trace_cli.h. `info` keeps two hash sets of touched pages (memory grows
 * with the footprint, not with the trace's length); `convert` streams.
 */
#include "workloads/trace_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	struct trace_source src;
	int rc = trace_source_open(&src, in, from, opts, err);
	if (rc < 0)
		return rc;
	void *w;
	rc = to->wopen(&w, out, opts, err);
	if (rc < 0) {
		trace_source_close(&src);
		return rc;
	}
	struct op op;
	while ((rc = trace_source_next(&src, &op, err)) > 0) {
		rc = to->write(w, &op, err);
		if (rc < 0)
			break;
	}
	struct err werr;
	int wrc = to->wclose(w, &werr);
	if (rc == 0 && wrc < 0) {
		rc = wrc;
		*err = werr;
	}
	trace_source_close(&src);
	if (rc < 0)
		remove(out);
	return rc;
}

static const char trace_usage[] =
    "usage: vmsim trace convert IN OUT [--from FORMAT] [--to FORMAT] [OPTIONS]\n"
    "       vmsim trace info FILE [--from FORMAT] [OPTIONS]\n"
    "formats: pages, vmt, vmb (read and write); lackey, oracle (read only); guessed from\n"
    "  .pages .vmt .vmb .lackey .oracleGeneral[.zst] endings (a folder is a lackey recording)\n"
    "options: --page-size BYTES (default 4096; pages/oracle page numbers and info)\n"
    "         --oracle-access read|write (default read)\n"
    "see docs/traces.md\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vmsim trace: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", trace_usage);
	return 2;
}

static const char *const kind_names[OP_KIND_COUNT] = {
    [OP_READ] = "r",          [OP_WRITE] = "w",       [OP_EXEC] = "x",
    [OP_MMAP] = "mmap",       [OP_MUNMAP] = "munmap", [OP_MPROTECT] = "mprotect",
    [OP_MADVISE] = "madvise", [OP_MSYNC] = "msync",   [OP_FORK] = "fork",
    [OP_WAIT] = "wait",       [OP_EXECVE] = "exec",   [OP_EXIT] = "exit",
    [OP_COMPUTE] = "compute", [OP_FILE] = "file",     [OP_MARK] = "mark",
};

int trace_cli_main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(trace_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *cmd = argv[1];
	int is_convert = strcmp(cmd, "convert") == 0;
	if (!is_convert && strcmp(cmd, "info") != 0)
		return usage_error("unknown command \"%s\" (expected convert or info)", cmd);
	const char *files[2] = {NULL, NULL};
	int nr_files = 0;
	const struct trace_format *from = NULL, *to = NULL;
	struct trace_read_opts opts = {.page_size = 4096};
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) {
			if (i + 1 == argc)
				return usage_error("%s needs a format", a);
			const struct trace_format *f = trace_format_find(argv[++i]);
			if (!f)
				return usage_error(
				    "unknown format \"%s\" (expected pages, vmt, vmb, "
				    "lackey or oracle)",
				    argv[i]);
			if (a[2] == 'f')
				from = f;
			else
				to = f;
		} else if (strcmp(a, "--page-size") == 0) {
			uint64_t v;
			if (i + 1 == argc || parse_u64(argv[++i], &v) < 0 || v < 512 ||
			    (v & (v - 1)))
				return usage_error("--page-size needs a power of two >= 512, got "
				                   "\"%s\"",
				                   i < argc ? argv[i] : "");
			opts.page_size = v;
		} else if (strcmp(a, "--oracle-access") == 0) {
			if (i + 1 == argc ||
			    (strcmp(argv[i + 1], "read") && strcmp(argv[i + 1], "write")))
				return usage_error(
				    "--oracle-access needs read or write, got \"%s\"",
				    i + 1 < argc ? argv[i + 1] : "");
			opts.oracle_as_writes = strcmp(argv[++i], "write") == 0;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option \"%s\"", a);
		} else if (nr_files < 2) {
			files[nr_files++] = a;
		} else {
			return usage_error("too many files (\"%s\")", a);
		}
	}
	if (nr_files != (is_convert ? 2 : 1) || (!is_convert && to))
		return usage_error("%s", is_convert ? "convert needs IN and OUT"
		                                    : "info needs one FILE (and no --to)");
	struct err err = {{0}};
	int rc;
	if (is_convert) {
		rc = trace_convert(files[0], from, files[1], to, &opts, &err);
	} else {
		struct trace_info info;
		rc = trace_info_compute(files[0], from, &opts, &info, &err);
		if (rc == 0) {
			printf("trace: %s\n", files[0]);
			printf("processes: %u\n", info.nr_processes);
			printf("operations: %llu\n", (unsigned long long)info.nr_ops);
			for (int k = 0; k < OP_KIND_COUNT; k++)
				printf("  %s: %llu\n", kind_names[k],
				       (unsigned long long)info.ops_by_kind[k]);
			printf("accesses: %llu\n", (unsigned long long)info.nr_accesses);
			printf("pages_touched: %llu\n", (unsigned long long)info.pages_touched);
			printf("process_pages_touched: %llu\n",
			       (unsigned long long)info.process_pages_touched);
			printf("footprint_bytes: %llu\n", (unsigned long long)info.footprint_bytes);
			printf("page_size: %llu\n", (unsigned long long)info.page_size);
			printf("compute_ns: %llu\n", (unsigned long long)info.compute_ns);
		}
	}
	if (rc < 0) {
		fprintf(stderr, "vmsim trace %s: %s\n", cmd, err.msg);
		return rc == -VMSIM_EIO ? 1 : 2;
	}
	return 0;
}
