/*
 * mrc_cli.c — `vmsim mrc`: read a `pages` trace once and write its LRU and/or OPT fault curve
 * for every memory size as CSV (sim/mrc.h has the algorithms, docs/mrc.md the usage).
 *
 * Output: `frames,faults,fault_ratio` for one policy, or
 * `frames,lru_faults,lru_fault_ratio,opt_faults,opt_fault_ratio` for both; one row per size
 * 1 .. the distinct pages (or --max-frames); fault_ratio = faults / references, 6 decimals.
 * Memory: LRU streams (O(distinct pages)); OPT holds the trace as 4-byte ids plus a 4-byte
 * next-use array while it runs.
 */
#include "sim/cli/mrc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/base/util.h"
#include "workloads/linereader.h"
#include "workloads/trace_pages.h"

enum mrc_policy { MRC_LRU = 1, MRC_OPT = 2, MRC_BOTH = 3 };

static const char mrc_usage[] =
    "usage: vmsim mrc TRACE [--format pages] [--policy lru|opt|both] [--max-frames N]\n"
    "                 [--shards RATE] [--shards-head N] [-o OUT.csv]\n"
    "One-pass fault curves (faults for every memory size) of a page trace.\n"
    "  --format pages     the trace format (only `pages`: one page number per line)\n"
    "  --policy P         lru (default), opt, or both (two column sets)\n"
    "  --max-frames N     sizes 1 .. N (default: 1 .. the number of distinct pages)\n"
    "  --shards RATE      LRU only: SHARDS spatial sampling at rate RATE in (0, 1]\n"
    "  --shards-head N    with --shards: sizes <= N are exact (default 64 / RATE; 0: plain\n"
    "                     SHARDS with the paper's count adjustment)\n"
    "  -o OUT.csv         write the CSV there (default: standard output)\n";

struct mrc_args {
	const char *trace;
	const char *out;
	enum mrc_policy policy;
	uint64_t max_frames;
	uint32_t shards_threshold;
	uint64_t shards_head;
};

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vmsim mrc: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", mrc_usage);
	return 2;
}

/* Returns 0, 2 on bad usage, or -1 after printing --help. */
static int parse_args(int argc, char **argv, struct mrc_args *a)
{
	*a = (struct mrc_args){.policy = MRC_LRU, .shards_head = MRC_SHARDS_HEAD_AUTO};
	for (int i = 1; i < argc; i++) {
		const char *opt = argv[i];
		if (!strcmp(opt, "--help") || !strcmp(opt, "-h")) {
			fputs(mrc_usage, stdout);
			return -1;
		}
		if (opt[0] != '-' || !opt[1]) {
			if (a->trace)
				return usage_error("one trace only, got a second: \"%s\"", opt);
			a->trace = opt;
			continue;
		}
		if (i + 1 >= argc)
			return usage_error("%s needs a value", opt);
		const char *val = argv[++i];
		if (!strcmp(opt, "--format")) {
			if (strcmp(val, "pages"))
				return usage_error("--format: expected pages, got \"%s\"", val);
		} else if (!strcmp(opt, "--policy")) {
			if (!strcmp(val, "lru"))
				a->policy = MRC_LRU;
			else if (!strcmp(val, "opt"))
				a->policy = MRC_OPT;
			else if (!strcmp(val, "both"))
				a->policy = MRC_BOTH;
			else
				return usage_error(
				    "--policy: expected lru, opt or both, got \"%s\"", val);
		} else if (!strcmp(opt, "--max-frames")) {
			if (parse_u64(val, &a->max_frames) || a->max_frames < 1 ||
			    a->max_frames > UINT32_MAX)
				return usage_error(
				    "--max-frames: expected an integer in 1 .. 2^32 - 1, "
				    "got \"%s\"",
				    val);
		} else if (!strcmp(opt, "--shards")) {
			char *end;
			errno = 0;
			double rate = strtod(val, &end);
			if (errno || end == val || *end || !(rate > 0 && rate <= 1))
				return usage_error(
				    "--shards: expected a rate in (0, 1], got \"%s\"", val);
			double t = rate * MRC_SHARDS_MODULUS;
			if (t < 1)
				return usage_error("--shards: rate \"%s\" is below 2^-24", val);
			a->shards_threshold = (uint32_t)llround(t);
		} else if (!strcmp(opt, "--shards-head")) {
			if (parse_u64(val, &a->shards_head) || a->shards_head > UINT32_MAX / 8)
				return usage_error(
				    "--shards-head: expected an integer in 0 .. 2^29 - 1, "
				    "got \"%s\"",
				    val);
		} else if (!strcmp(opt, "-o")) {
			a->out = val;
		} else {
			return usage_error("unknown option \"%s\"", opt);
		}
	}
	if (!a->trace)
		return usage_error("%s", "missing the TRACE argument");
	if (a->shards_threshold && a->policy != MRC_LRU)
		return usage_error("%s", "--shards estimates the LRU curve only (--policy lru)");
	return 0;
}

static double ratio(uint64_t faults, uint64_t refs)
{
	return refs ? (double)faults / (double)refs : 0.0;
}

static int write_csv(FILE *f, const struct mrc_curve *c1, const struct mrc_curve *c2)
{
	if (!c2) {
		fputs("frames,faults,fault_ratio\n", f);
		for (uint64_t m = 1; m <= c1->max_frames; m++)
			fprintf(f, "%llu,%llu,%.6f\n", (unsigned long long)m,
			        (unsigned long long)mrc_curve_at(c1, m),
			        ratio(mrc_curve_at(c1, m), c1->nr_refs));
	} else {
		BUG_ON(c1->max_frames != c2->max_frames, "lru and opt curves differ in length");
		fputs("frames,lru_faults,lru_fault_ratio,opt_faults,opt_fault_ratio\n", f);
		for (uint64_t m = 1; m <= c1->max_frames; m++)
			fprintf(
			    f, "%llu,%llu,%.6f,%llu,%.6f\n", (unsigned long long)m,
			    (unsigned long long)mrc_curve_at(c1, m),
			    ratio(mrc_curve_at(c1, m), c1->nr_refs),
			    (unsigned long long)mrc_curve_at(c2, m),
			    ratio(mrc_curve_at(c2, m), c2->nr_refs));
	}
	return ferror(f) ? -1 : 0;
}

/* What the references feed: the LRU counter (batched) and, for OPT, the whole trace. */
struct mrc_sinks {
	struct mrc_lru *lru; /* NULL: no LRU curve */
	struct mrc_trace trace;
	int keep_trace;       /* an OPT curve is wanted */
	uint64_t batch[1024]; /* references on their way to the LRU counter */
	size_t nr_batch;
};

/* One reference of the trace (at its line_no) into the sinks. Returns 0, or 2 when the trace
 * is too long for OPT in memory. */
static int mrc_feed(struct mrc_sinks *k, const struct mrc_args *a, uint64_t line_no, uint64_t page)
{
	if (k->lru) {
		k->batch[k->nr_batch++] = page;
		if (k->nr_batch == ARRAY_SIZE(k->batch)) {
			mrc_lru_access_batch(k->lru, k->batch, k->nr_batch);
			k->nr_batch = 0;
		}
	}
	if (k->keep_trace && mrc_trace_append(&k->trace, page) < 0) {
		fprintf(stderr,
		        "%s:%llu: more than %llu references: too long for --policy "
		        "opt in memory (use --policy lru)\n",
		        a->trace, (unsigned long long)line_no,
		        (unsigned long long)MRC_TRACE_MAX_REFS);
		return 2;
	}
	return 0;
}

/* Every reference of the pages trace into the sinks. Returns 0, or 2 on bad input. */
static int mrc_read_trace(struct linereader *lr, const struct mrc_args *a, struct mrc_sinks *k)
{
	for (;;) {
		int too_long;
		char *line = linereader_next(lr, &too_long);
		if (!line) {
			if (!too_long)
				break;
			fprintf(stderr, "%s:%llu: %s\n", a->trace, (unsigned long long)lr->line_no,
			        linereader_what(too_long));
			return 2;
		}
		uint64_t page;
		int is_write;
		int r = pages_parse_line(line, &page, &is_write);
		if (r == 0)
			continue;
		if (r < 0) {
			fprintf(stderr,
			        "%s:%llu: expected a page number (decimal or 0x hex) and an "
			        "optional r or w, got \"%.60s\"\n",
			        a->trace, (unsigned long long)lr->line_no, line);
			return 2;
		}
		if (mrc_feed(k, a, lr->line_no, page))
			return 2;
	}
	if (k->lru && k->nr_batch)
		mrc_lru_access_batch(k->lru, k->batch, k->nr_batch);
	return 0;
}

/* The curves as CSV to -o FILE or stdout. Returns the exit status. */
static int mrc_write(const struct mrc_args *a, const struct mrc_curve *lc,
                     const struct mrc_curve *oc)
{
	FILE *f = stdout;
	if (a->out && !(f = fopen(a->out, "w"))) {
		fprintf(stderr, "vmsim mrc: %s: cannot write: %s\n", a->out, strerror(errno));
		return 2;
	}
	const struct mrc_curve *c1 = a->policy == MRC_OPT ? oc : lc;
	const struct mrc_curve *c2 = a->policy == MRC_BOTH ? oc : NULL;
	int wr = write_csv(f, c1, c2);
	if (f != stdout ? fclose(f) : fflush(f))
		wr = -1;
	if (wr < 0) {
		fprintf(stderr, "vmsim mrc: %s: write failed\n",
		        a->out ? a->out : "standard output");
		return 1;
	}
	return 0;
}

int mrc_cli_main(int argc, char **argv)
{
	struct mrc_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc)
		return rc < 0 ? 0 : rc;
	struct err err;
	struct linereader lr;
	if (linereader_open(&lr, a.trace, &err) < 0) {
		fprintf(stderr, "vmsim mrc: %s\n", err.msg);
		return 2;
	}
	struct mrc_sinks k = {.keep_trace = a.policy & MRC_OPT};
	if (a.policy & MRC_LRU) {
		struct mrc_lru_opts o = {.max_frames = a.max_frames,
		                         .shards_threshold = a.shards_threshold,
		                         .shards_head_frames = a.shards_head};
		k.lru = mrc_lru_create(&o);
	}
	if (k.keep_trace)
		mrc_trace_init(&k.trace);
	rc = mrc_read_trace(&lr, &a, &k);
	linereader_close(&lr);
	struct mrc_curve lc = {0}, oc = {0};
	if (rc == 0 && k.lru)
		mrc_lru_curve(k.lru, &lc);
	if (rc == 0 && k.keep_trace)
		mrc_opt_curve(&k.trace, a.max_frames, &oc);
	mrc_lru_destroy(k.lru);
	if (k.keep_trace)
		mrc_trace_fini(&k.trace);
	if (rc == 0)
		rc = mrc_write(&a, &lc, &oc);
	if (lc.faults)
		mrc_curve_fini(&lc);
	if (oc.faults)
		mrc_curve_fini(&oc);
	return rc;
}
