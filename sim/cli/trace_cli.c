/*
 * trace_cli.c — the `vmsim trace` command (see trace_cli.h): argument parsing and printing
 * around trace_info_compute and trace_convert (workloads/trace_convert.h).
 */
#include "sim/cli/trace_cli.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/trace_stats.h"
#include "workloads/trace_convert.h"
#include "workloads/trace_source.h"

static const char trace_usage[] =
    "usage: vmsim trace convert IN OUT [--from FORMAT] [--to FORMAT] [OPTIONS]\n"
    "       vmsim trace info FILE [--from FORMAT] [OPTIONS]\n"
    "       vmsim trace stats FILE [-o DIR] [--window N] [--no-plots] [--from FORMAT] "
    "[OPTIONS]\n"
    "formats: pages, vmt, vmb (read and write); lackey, oracle, champsim, lis, trc, txt, csv\n"
    "  (read only); guessed from .pages .vmt .vmb .lackey .oracleGeneral[.zst]\n"
    "  .champsimtrace[.xz|.gz] .lis .trc .csv endings (a folder is a lackey recording)\n"
    "options: --page-size BYTES (default 4096; pages/oracle page numbers and info)\n"
    "         --oracle-access read|write (default read)\n"
    "         --champsim-layout input_instr|cloudsuite (default input_instr)\n"
    "         --no-instruction-fetches (champsim, lackey: no x accesses)\n"
    "         --max-accesses N (lackey: stop after N accesses, every task exiting)\n"
    "         --roi (lackey: accesses only between \"vmsim: roi start\" and \"stop\")\n"
    "         --block-access read|write (lis, trc, txt, csv; default write)\n"
    "         --csv-obj-id-col N, --csv-op-col N, --csv-delimiter C, --csv-header\n"
    "see docs/traces.md\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vmsim trace: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", trace_usage);
	return 2;
}

/* The column number of a --csv-*-col option: >= 1 (or 0 when zero_ok). */
static int csv_col(const char *opt, const char *v, int zero_ok, uint32_t *out)
{
	uint64_t n;
	if (!v || parse_u64(v, &n) < 0 || n > 1000 || (n == 0 && !zero_ok))
		return usage_error(zero_ok ? "%s needs a column number 0..1000"
		                           : "%s needs a column number 1..1000",
		                   opt);
	*out = (uint32_t)n;
	return 0;
}

int trace_cli_reader_option(int argc, char **argv, int *i, struct trace_read_opts *o, int *rc)
{
	const char *a = argv[*i];
	const char *v = *i + 1 < argc ? argv[*i + 1] : NULL;
	*rc = 0;
	if (strcmp(a, "--no-instruction-fetches") == 0) {
		o->champsim_no_ifetch = 1;
		return 1;
	}
	if (strcmp(a, "--roi") == 0) {
		o->lackey_roi = 1;
		return 1;
	}
	if (strcmp(a, "--csv-header") == 0) {
		o->csv_has_header = 1;
		return 1;
	}
	if (strcmp(a, "--champsim-layout") == 0) {
		if (!v || (strcmp(v, "input_instr") && strcmp(v, "cloudsuite")))
			*rc = usage_error("--champsim-layout needs input_instr or cloudsuite, got "
			                  "\"%s\"",
			                  v ? v : "");
		else
			o->champsim_cloudsuite = strcmp(v, "cloudsuite") == 0;
	} else if (strcmp(a, "--block-access") == 0) {
		if (!v || (strcmp(v, "read") && strcmp(v, "write")))
			*rc = usage_error("--block-access needs read or write, got \"%s\"",
			                  v ? v : "");
		else
			o->block_as_reads = strcmp(v, "read") == 0;
	} else if (strcmp(a, "--csv-delimiter") == 0) {
		if (!v || strlen(v) != 1)
			*rc = usage_error("--csv-delimiter needs one character, got \"%s\"",
			                  v ? v : "");
		else
			o->csv_delimiter = v[0];
	} else if (strcmp(a, "--max-accesses") == 0) {
		if (!v || parse_u64(v, &o->max_accesses) < 0 || o->max_accesses == 0)
			*rc = usage_error("--max-accesses needs a number >= 1, got \"%s\"",
			                  v ? v : "");
	} else if (strcmp(a, "--csv-obj-id-col") == 0) {
		*rc = csv_col(a, v, 0, &o->csv_obj_id_col);
	} else if (strcmp(a, "--csv-op-col") == 0) {
		*rc = csv_col(a, v, 1, &o->csv_op_col);
	} else {
		return 0;
	}
	(*i)++;
	return 1;
}

/* Set by SIGINT, SIGTERM and SIGHUP during a convert: the convert stops at its next op, removes
 * its temporary file and leaves OUT as it was. */
static volatile int convert_stop;

static void on_stop_signal(int sig)
{
	(void)sig;
	convert_stop = 1;
}

static int trace_convert_cli(const char *in, const struct trace_format *from, const char *out,
                             const struct trace_format *to, struct trace_read_opts *opts,
                             struct err *err)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	opts->stop = &convert_stop;
	int rc = trace_convert(in, from, out, to, opts, err);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	return rc;
}

int trace_cli_main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(trace_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "stats") == 0)
		return trace_stats_cli_main(argc - 1, argv + 1);
	int is_convert = strcmp(cmd, "convert") == 0;
	if (!is_convert && strcmp(cmd, "info") != 0)
		return usage_error("unknown command \"%s\" (expected convert, info or stats)", cmd);
	const char *files[2] = {NULL, NULL};
	int nr_files = 0;
	const struct trace_format *from = NULL, *to = NULL;
	struct trace_read_opts opts = {.page_size = 4096};
	int rc_opt = 0;
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--from") == 0 || strcmp(a, "--to") == 0) {
			if (i + 1 == argc)
				return usage_error("%s needs a format", a);
			const struct trace_format *f = trace_format_find(argv[++i]);
			if (!f)
				return usage_error(
				    "unknown format \"%s\" (expected one of " TRACE_FORMAT_CHOICES
				    ")",
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
		} else if (trace_cli_reader_option(argc, argv, &i, &opts, &rc_opt)) {
			if (rc_opt)
				return rc_opt;
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
		rc = trace_convert_cli(files[0], from, files[1], to, &opts, &err);
	} else {
		struct trace_info info;
		rc = trace_info_compute(files[0], from, &opts, &info, &err);
		if (rc == 0) {
			printf("trace: %s\n", files[0]);
			printf("processes: %u\n", info.nr_processes);
			printf("operations: %llu\n", (unsigned long long)info.nr_ops);
			for (unsigned k = 0; k < OP_KIND_COUNT; k++) /* (new kinds: when present) */
				if (op_kind_name(k) &&
				    (k < OP_KIND_FIRST_EXT || info.ops_by_kind[k]))
					printf("  %s: %llu\n", op_kind_name(k),
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
