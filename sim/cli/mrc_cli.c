/*
 * mrc_cli.c — `vmsim mrc`: read a trace once (any format vmsim runs: its accesses, of every
 * process together or of one) and write its LRU and/or OPT fault curve for every memory size,
 * or any policy's curve at a few sizes by miniature simulations (mrc_mini.h), as CSV (sim/mrc.h
 * has the algorithms, docs/mrc.md the usage).
 *
 * Output: `frames,faults,fault_ratio` for one policy, or
 * `frames,lru_faults,lru_fault_ratio,opt_faults,opt_fault_ratio` for both; one row per size
 * 1 .. the distinct pages (or --max-frames); fault_ratio = faults / references, 6 decimals.
 * Miniatures: `frames,faults,fault_ratio,lru_error` at --points sizes, lru_error being the
 * miniature LRU's distance from the exact LRU curve at that size (the sampling error, measured).
 * Memory: LRU streams (O(distinct pages)); OPT holds the trace as 4-byte ids plus a 4-byte
 * next-use array while it runs; miniatures hold 4 bytes per sampled reference.
 */
#include "sim/cli/mrc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/policy/policy.h"
#include "sim/base/util.h"
#include "sim/cli/mrc_mini.h"
#include "workloads/linereader.h"
#include "workloads/trace_format.h"
#include "workloads/trace_pages.h"

/* MRC_MINI: another policy, by miniature simulations. */
enum mrc_policy { MRC_LRU = 1, MRC_OPT = 2, MRC_BOTH = 3, MRC_MINI = 4 };
/* Page size of the traces' addresses (the pages format's page numbers are pages). */
#define MRC_PAGE_BYTES 4096u
/* Miniatures' defaults: the paper's rate, and sizes. */
#define MRC_MINI_RATE_DEFAULT 0.01
#define MRC_MINI_POINTS_DEFAULT 20
/* Fewer sampled pages than this: warn that the estimate is poor. */
#define MRC_MINI_FEW_PAGES 1000

static const char mrc_usage[] =
    "usage: vmsim mrc TRACE [--format F] [--pid N] [--policy lru|opt|both|POLICY]\n"
    "                 [--max-frames N] [--shards RATE] [--shards-head N]\n"
    "                 [--shards-salt S] [--shards-band K]\n"
    "                 [--rate R] [--points K] [--set KEY=VALUE]... [-o OUT.csv]\n"
    "Fault curves (faults for every memory size) of a trace's page references.\n"
    "  --format F         " TRACE_FORMAT_CHOICES " (default: guessed from the file name,\n"
    "                     else pages)\n"
    "  --pid N            only process N's accesses (default: every process's, in trace\n"
    "                     order, each process's pages its own)\n"
    "  --policy P         lru (default), opt, or both (two column sets): exact, one pass;\n"
    "                     any other policy of `vmsim policies`: miniature simulations\n"
    "                     (pages sampled at --rate, memory scaled by it) at --points sizes\n"
    "  --max-frames N     sizes 1 .. N (default: 1 .. the number of distinct pages)\n"
    "  --rate R           miniatures: the sampling rate in (0, 1] (default 0.01; 1: exact\n"
    "                     per-size runs)\n"
    "  --points K         miniatures: K sizes evenly spaced up to --max-frames (default 20)\n"
    "  --set KEY=VALUE    miniatures: a config override (e.g. vm.policy_params.small_pct=20)\n"
    "  --shards RATE      LRU only: SHARDS spatial sampling at rate RATE in (0, 1]\n"
    "  --shards-head N    with --shards: sizes <= N are exact (default 64 / RATE; 0: plain\n"
    "                     SHARDS with the paper's count adjustment)\n"
    "  --shards-salt S    with --shards: which sample of pages (default 0)\n"
    "  --shards-band K    with --shards: also K - 1 more samples (salts S+1 .. S+K-1, K in\n"
    "                     2 .. 16); columns faults_min,faults_max: the band of the K curves\n"
    "  -o OUT.csv         write the CSV there (default: standard output)\n";

struct mrc_args {
	const char *trace;
	const char *out;
	const struct trace_format *format; /* NULL: pages, read by mrc_read_trace */
	enum mrc_policy policy;
	const char *policy_name; /* MRC_MINI's */
	bool has_pid;
	uint32_t pid;
	uint64_t max_frames;
	uint32_t shards_threshold;
	uint64_t shards_head;
	uint64_t shards_salt;
	uint64_t shards_band;    /* curves in the SHARDS band, 0: no band */
	uint32_t mini_threshold; /* --rate as a SHARDS threshold */
	uint64_t points;
	struct config_override *sets;
	size_t nr_sets;
};

#define MRC_BAND_MAX 16

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vmsim mrc: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n%s", mrc_usage);
	return 2;
}

/* A rate in (0, 1] as a threshold out of MRC_SHARDS_MODULUS: 0, or 2 after the message. */
static int parse_rate(const char *val, const char *opt, uint32_t *threshold)
{
	char *end;
	errno = 0;
	double rate = strtod(val, &end);
	if (errno || end == val || *end || !(rate > 0 && rate <= 1)) {
		fprintf(stderr, "vmsim mrc: %s: expected a rate in (0, 1], got \"%s\"\n%s", opt,
		        val, mrc_usage);
		return 2;
	}
	double t = rate * MRC_SHARDS_MODULUS;
	if (t < 1) {
		fprintf(stderr, "vmsim mrc: %s: rate \"%s\" is below 2^-24\n%s", opt, val,
		        mrc_usage);
		return 2;
	}
	*threshold = (uint32_t)llround(t);
	return 0;
}

/* lru, opt, both, another registered policy (MRC_MINI), or 0. */
static enum mrc_policy parse_policy(const char *val)
{
	if (!strcmp(val, "lru"))
		return MRC_LRU;
	if (!strcmp(val, "opt"))
		return MRC_OPT;
	if (!strcmp(val, "both"))
		return MRC_BOTH;
	return policy_find(val) ? MRC_MINI : 0;
}

/* One of the --shards* options into a. Returns 0, or 2 after the message. */
static int parse_shards_opt(const char *opt, const char *val, struct mrc_args *a)
{
	if (!strcmp(opt, "--shards")) {
		if (parse_rate(val, "--shards", &a->shards_threshold))
			return 2;
	} else if (!strcmp(opt, "--shards-head")) {
		if (parse_u64(val, &a->shards_head) || a->shards_head > UINT32_MAX / 8)
			return usage_error("--shards-head: expected an integer in 0 .. 2^29 - 1, "
			                   "got \"%s\"",
			                   val);
	} else if (!strcmp(opt, "--shards-salt")) {
		if (parse_u64(val, &a->shards_salt))
			return usage_error("--shards-salt: expected an integer >= 0, got \"%s\"",
			                   val);
	} else if (!strcmp(opt, "--shards-band")) {
		if (parse_u64(val, &a->shards_band) || a->shards_band < 2 ||
		    a->shards_band > MRC_BAND_MAX)
			return usage_error("--shards-band: expected an integer in 2 .. 16, got "
			                   "\"%s\"",
			                   val);
	} else {
		return usage_error("unknown option \"%s\"", opt);
	}
	return 0;
}

/* Returns 0, 2 on bad usage, or -1 after printing --help. a->sets is allocated (the caller
 * frees it). */
static int parse_args(int argc, char **argv, struct mrc_args *a)
{
	*a = (struct mrc_args){.policy = MRC_LRU, .shards_head = MRC_SHARDS_HEAD_AUTO};
	a->sets = xcalloc((size_t)argc, sizeof(*a->sets));
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
			if (!(a->format = trace_format_find(val)))
				return usage_error("--format: expected one of " TRACE_FORMAT_CHOICES
				                   ", got \"%s\"",
				                   val);
		} else if (!strcmp(opt, "--policy")) {
			a->policy = parse_policy(val);
			a->policy_name = val;
			if (!a->policy)
				return usage_error(
				    "--policy: expected lru, opt, both or a policy of "
				    "`vmsim policies`, got \"%s\"",
				    val);
		} else if (!strcmp(opt, "--pid")) {
			uint64_t pid;
			if (parse_u64(val, &pid) || pid > UINT32_MAX)
				return usage_error("--pid: expected a process id, got \"%s\"", val);
			a->has_pid = true;
			a->pid = (uint32_t)pid;
		} else if (!strcmp(opt, "--rate")) {
			if (parse_rate(val, "--rate", &a->mini_threshold))
				return 2;
		} else if (!strcmp(opt, "--points")) {
			if (parse_u64(val, &a->points) || a->points < 1 || a->points > 100000)
				return usage_error(
				    "--points: expected an integer in 1 .. 100000, got "
				    "\"%s\"",
				    val);
		} else if (!strcmp(opt, "--set")) {
			char *eq = strchr(val, '=');
			if (!eq || eq == val)
				return usage_error("--set expects KEY=VALUE, got \"%s\"", val);
			*eq = '\0';
			a->sets[a->nr_sets++] =
			    (struct config_override){.key = val, .value = eq + 1};
		} else if (!strcmp(opt, "--max-frames")) {
			if (parse_u64(val, &a->max_frames) || a->max_frames < 1 ||
			    a->max_frames > UINT32_MAX)
				return usage_error(
				    "--max-frames: expected an integer in 1 .. 2^32 - 1, "
				    "got \"%s\"",
				    val);
		} else if (!strncmp(opt, "--shards", 8)) {
			int r = parse_shards_opt(opt, val, a);
			if (r)
				return r;
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
	if ((a->shards_band || a->shards_salt) && !a->shards_threshold)
		return usage_error("%s", "--shards-salt and --shards-band need --shards RATE");
	if ((a->mini_threshold || a->points || a->nr_sets) && a->policy != MRC_MINI)
		return usage_error("%s", "--rate, --points and --set are for miniature simulations "
		                         "(--policy other than lru, opt, both)");
	if (!a->format)
		a->format = trace_format_guess(a->trace);
	if (!a->format && a->has_pid)
		a->format = &trace_format_pages;
	if (a->format == &trace_format_pages && !a->has_pid)
		a->format = NULL; /* (mrc_read_trace: its own messages, and fast) */
	if (!a->mini_threshold)
		a->mini_threshold = (uint32_t)llround(MRC_MINI_RATE_DEFAULT * MRC_SHARDS_MODULUS);
	if (!a->points)
		a->points = MRC_MINI_POINTS_DEFAULT;
	return 0;
}

static double ratio(uint64_t faults, uint64_t refs)
{
	return refs ? (double)faults / (double)refs : 0.0;
}

/* The SHARDS band: faults, ratio, and the lowest and highest of the band's curves. */
static int write_csv_band(FILE *f, const struct mrc_curve *band, size_t nband)
{
	fputs("frames,faults,fault_ratio,faults_min,faults_max\n", f);
	for (uint64_t m = 1; m <= band[0].max_frames; m++) {
		uint64_t lo = band[0].faults[m], hi = lo;
		for (size_t b = 1; b < nband; b++) {
			/* each sample estimates its own number of distinct pages, the length of its
			 * curve; beyond it a curve stays at its last value (cold misses only) */
			uint64_t fb = band[b].faults[MIN(m, band[b].max_frames)];
			lo = MIN(lo, fb);
			hi = MAX(hi, fb);
		}
		fprintf(f, "%llu,%llu,%.6f,%llu,%llu\n", (unsigned long long)m,
		        (unsigned long long)band[0].faults[m],
		        ratio(band[0].faults[m], band[0].nr_refs), (unsigned long long)lo,
		        (unsigned long long)hi);
	}
	return ferror(f) ? -1 : 0;
}

static int write_csv(FILE *f, const struct mrc_curve *c1, const struct mrc_curve *c2)
{
	if (!c2) {
		fputs("frames,faults,fault_ratio\n", f);
		for (uint64_t m = 1; m <= c1->max_frames; m++)
			fprintf(f, "%llu,%llu,%.6f\n", (unsigned long long)m,
			        (unsigned long long)c1->faults[m],
			        ratio(c1->faults[m], c1->nr_refs));
	} else {
		BUG_ON(c1->max_frames != c2->max_frames, "lru and opt curves differ in length");
		fputs("frames,lru_faults,lru_fault_ratio,opt_faults,opt_fault_ratio\n", f);
		for (uint64_t m = 1; m <= c1->max_frames; m++)
			fprintf(
			    f, "%llu,%llu,%.6f,%llu,%.6f\n", (unsigned long long)m,
			    (unsigned long long)c1->faults[m], ratio(c1->faults[m], c1->nr_refs),
			    (unsigned long long)c2->faults[m], ratio(c2->faults[m], c2->nr_refs));
	}
	return ferror(f) ? -1 : 0;
}

/* What the references feed: the LRU counter (batched), for OPT the whole trace, for
 * miniatures the sample. */
struct mrc_sinks {
	struct mrc_lru *lru;                    /* NULL: no LRU curve */
	struct mrc_lru *band[MRC_BAND_MAX - 1]; /* --shards-band: the other samples */
	size_t nband;
	struct mrc_mini *mini; /* NULL: no miniatures */
	struct mrc_trace trace;
	int keep_trace;       /* an OPT curve is wanted */
	uint64_t batch[1024]; /* references on their way to the LRU counter */
	size_t nr_batch;
};

/* The batched references into every LRU counter. */
static void mrc_sinks_flush(struct mrc_sinks *k)
{
	mrc_lru_access_batch(k->lru, k->batch, k->nr_batch);
	for (size_t b = 0; b < k->nband; b++)
		mrc_lru_access_batch(k->band[b], k->batch, k->nr_batch);
	k->nr_batch = 0;
}

/* One reference of the trace (at its line_no) into the sinks. Returns 0, or 2 when the trace
 * is too long for OPT in memory. */
static int mrc_feed(struct mrc_sinks *k, const struct mrc_args *a, uint64_t line_no, uint64_t page)
{
	if (k->lru) {
		k->batch[k->nr_batch++] = page;
		if (k->nr_batch == ARRAY_SIZE(k->batch))
			mrc_sinks_flush(k);
	}
	if ((k->keep_trace && mrc_trace_append(&k->trace, page) < 0) ||
	    (k->mini && mrc_mini_access(k->mini, page) < 0)) {
		fprintf(stderr,
		        "%s:%llu: more than %llu references: too long for --policy "
		        "opt or a sample in memory (use --policy lru, or a lower --rate)\n",
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
			fprintf(stderr, "%s:%llu: line too long\n", a->trace,
			        (unsigned long long)lr->line_no);
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
		mrc_sinks_flush(k);
	return 0;
}

/* A process's page as a key: the first process's pages are their page numbers (as in a pages
 * trace of the same references), another's are offset by 2^45 pages per pid after it (pages
 * are below 2^45 in a 57-bit address space). */
static uint64_t op_key(const struct op *op, uint32_t first_pid)
{
	return op->addr / MRC_PAGE_BYTES + ((uint64_t)(op->pid - first_pid) << 45);
}

/* Every access of a trace in a->format (of a->pid, or of every process) into the sinks, in
 * file order. Returns 0, or 2 on bad input. */
static int mrc_read_ops(const struct mrc_args *a, struct mrc_sinks *k)
{
	const struct trace_format *fmt = a->format;
	struct trace_read_opts o = {.page_size = MRC_PAGE_BYTES};
	struct err err = {{0}};
	void *r;
	if (fmt->open(&r, a->trace, &o, &err) < 0) {
		fprintf(stderr, "vmsim mrc: %s\n", err.msg);
		return 2;
	}
	struct op ops[256];
	uint64_t nr_refs = 0;
	uint32_t first_pid = 0;
	bool any = false;
	int n, rc = 0;
	while (!rc && (n = fmt->read_batch ? fmt->read_batch(r, ops, ARRAY_SIZE(ops), &err)
	                                   : fmt->read(r, &ops[0], &err)) > 0) {
		for (int i = 0; i < n && !rc; i++) {
			const struct op *op = &ops[i];
			if (op->kind > OP_EXEC || (a->has_pid && op->pid != a->pid))
				continue;
			if (!any)
				first_pid = op->pid;
			any = true;
			rc = mrc_feed(k, a, ++nr_refs, op_key(op, first_pid));
		}
	}
	if (!rc && n < 0) {
		fprintf(stderr, "vmsim mrc: %s\n", err.msg);
		rc = 2;
	}
	fmt->close(r);
	if (!rc && k->lru && k->nr_batch)
		mrc_sinks_flush(k);
	return rc;
}

/* The curves as CSV to -o FILE or stdout (lc: the LRU curve, followed by the band's other
 * curves with --shards-band). Returns the exit status. */
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
	int wr = a->shards_band ? write_csv_band(f, lc, a->shards_band) : write_csv(f, c1, c2);
	if (f != stdout ? fclose(f) : fflush(f))
		wr = -1;
	if (wr < 0) {
		fprintf(stderr, "vmsim mrc: %s: write failed\n",
		        a->out ? a->out : "standard output");
		return 1;
	}
	return 0;
}

/* The miniatures' sizes: K evenly spaced up to max_frames (new array, *n of them). */
static struct mrc_mini_point *mini_points(uint64_t max_frames, uint64_t k, size_t *n)
{
	struct mrc_mini_point *p = xcalloc(k, sizeof(*p));
	*n = 0;
	for (uint64_t i = 1; i <= k; i++) {
		uint64_t f = (i * max_frames + k - 1) / k;
		if (f && (!*n || p[*n - 1].frames != f))
			p[(*n)++].frames = f;
	}
	return p;
}

/* Miniatures of a->policy_name and of LRU at the same sizes; the CSV with each size's LRU
 * error against the exact LRU curve lc. Returns the exit status. */
static int mrc_mini_main(const struct mrc_args *a, const struct mrc_mini *mini,
                         const struct mrc_curve *lc)
{
	uint64_t max_frames = a->max_frames ? a->max_frames : lc->nr_distinct;
	size_t n;
	struct mrc_mini_point *pts = mini_points(max_frames, a->points, &n);
	struct mrc_mini_point *lru = xcalloc(n ? n : 1, sizeof(*lru));
	memcpy(lru, pts, n * sizeof(*pts));
	struct err err = {{0}};
	int rc = mrc_mini_run(mini, a->policy_name, a->sets, a->nr_sets, lc->nr_distinct, NULL, pts,
	                      n, &err);
	if (!rc)
		rc = mrc_mini_run(mini, "lru", a->sets, a->nr_sets, lc->nr_distinct, NULL, lru, n,
		                  &err);
	if (rc) {
		fprintf(stderr, "vmsim mrc: %s\n", err.msg);
		free(pts);
		free(lru);
		return 2;
	}
	FILE *f = stdout;
	if (a->out && !(f = fopen(a->out, "w"))) {
		fprintf(stderr, "vmsim mrc: %s: cannot write: %s\n", a->out, strerror(errno));
		free(pts);
		free(lru);
		return 2;
	}
	double sum = 0, worst = 0;
	fputs("frames,faults,fault_ratio,lru_error\n", f);
	for (size_t i = 0; i < n; i++) {
		double r = mrc_mini_ratio(mini, &pts[i], lc->nr_distinct);
		uint64_t m = pts[i].frames;
		double exact = m <= lc->max_frames ? ratio(lc->faults[m], lc->nr_refs)
		                                   : ratio(lc->faults[lc->max_frames], lc->nr_refs);
		double e = fabs(mrc_mini_ratio(mini, &lru[i], lc->nr_distinct) - exact);
		sum += e;
		worst = e > worst ? e : worst;
		fprintf(f, "%llu,%llu,%.6f,%.6f\n", (unsigned long long)m,
		        (unsigned long long)llround(r * (double)mini->nr_refs), r, e);
	}
	rc = ferror(f) ? 1 : 0;
	if (f != stdout ? fclose(f) : fflush(f))
		rc = 1;
	if (rc)
		fprintf(stderr, "vmsim mrc: %s: write failed\n",
		        a->out ? a->out : "standard output");
	fprintf(stderr,
	        "vmsim mrc: %s by miniature simulations at rate %.6g: %llu of %llu references "
	        "sampled (%llu pages); error of LRU's miniatures against the exact LRU curve at "
	        "these %zu sizes: mean %.4f, max %.4f\n",
	        a->policy_name, (double)mini->threshold / MRC_SHARDS_MODULUS,
	        (unsigned long long)mini->sample.nr_refs, (unsigned long long)mini->nr_refs,
	        (unsigned long long)mini->sample.nr_distinct, n, n ? sum / (double)n : 0.0, worst);
	if (mini->sample.nr_distinct < MRC_MINI_FEW_PAGES && mini->threshold < MRC_SHARDS_MODULUS)
		fprintf(stderr,
		        "vmsim mrc: only %llu pages sampled: the estimate is poor (raise --rate)\n",
		        (unsigned long long)mini->sample.nr_distinct);
	free(pts);
	free(lru);
	return rc;
}

int mrc_cli_main(int argc, char **argv)
{
	struct mrc_args a;
	int rc = parse_args(argc, argv, &a);
	if (rc) {
		free(a.sets);
		return rc < 0 ? 0 : rc;
	}
	struct mrc_sinks k = {.keep_trace = a.policy & MRC_OPT};
	struct mrc_mini mini;
	if (a.policy & (MRC_LRU | MRC_MINI)) {
		struct mrc_lru_opts o = {.max_frames = a.max_frames,
		                         .shards_threshold = a.shards_threshold,
		                         .shards_head_frames = a.shards_head,
		                         .shards_salt = a.shards_salt};
		k.lru = mrc_lru_create(&o);
		for (k.nband = 0; k.nband + 1 < a.shards_band; k.nband++) {
			o.shards_salt = a.shards_salt + k.nband + 1;
			k.band[k.nband] = mrc_lru_create(&o);
		}
	}
	if (a.policy == MRC_MINI) {
		mrc_mini_init(&mini, a.mini_threshold);
		k.mini = &mini;
	}
	if (k.keep_trace)
		mrc_trace_init(&k.trace);
	if (a.format) {
		rc = mrc_read_ops(&a, &k);
	} else {
		struct err err;
		struct linereader lr;
		if (linereader_open(&lr, a.trace, &err) < 0) {
			fprintf(stderr, "vmsim mrc: %s\n", err.msg);
			rc = 2;
		} else {
			rc = mrc_read_trace(&lr, &a, &k);
			linereader_close(&lr);
		}
	}
	struct mrc_curve lc[MRC_BAND_MAX] = {{0}}, oc = {0};
	if (rc == 0 && k.lru)
		mrc_lru_curve(k.lru, &lc[0]);
	for (size_t b = 0; b < k.nband; b++) {
		if (rc == 0)
			mrc_lru_curve(k.band[b], &lc[b + 1]);
		mrc_lru_destroy(k.band[b]);
	}
	if (rc == 0 && k.keep_trace)
		mrc_opt_curve(&k.trace, a.max_frames, &oc);
	mrc_lru_destroy(k.lru);
	if (k.keep_trace)
		mrc_trace_fini(&k.trace);
	if (rc == 0)
		rc = a.policy == MRC_MINI ? mrc_mini_main(&a, &mini, &lc[0])
		                          : mrc_write(&a, lc, &oc);
	if (k.mini)
		mrc_mini_fini(&mini);
	for (size_t b = 0; b < MRC_BAND_MAX; b++)
		if (lc[b].faults)
			mrc_curve_fini(&lc[b]);
	if (oc.faults)
		mrc_curve_fini(&oc);
	free(a.sets);
	return rc;
}
