/*
 * run_cli.c — `vmsim run CONFIG.json [options]`: load the config, set up and run one
 * simulation, write its results (each file under a temporary name, then renamed; stats.json
 * last). Exit statuses as for every command (main.c): 0 success, 1 the simulation failed or
 * was interrupted, 2 bad usage or bad input, with a message on stderr naming the file and the
 * JSON path or line.
 */
#include "sim/cli/run_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sim/base/hist_csv.h"
#include "sim/cli/provenance.h"
#include "sim/engine/config.h"
#include "sim/engine/sim.h"
#include "workloads/workload.h"

/* Why the run should stop at its next operation: 0 not, STOP_SIGNAL SIGINT/SIGTERM,
 * STOP_RSS the resident set passed --max-rss. */
enum { STOP_SIGNAL = 1, STOP_RSS = 2 };
static volatile sig_atomic_t stop_requested;
static long max_rss_pages; /* --max-rss in host pages (0: no budget); set before the timer */

static void on_signal(int sig)
{
	UNUSED(sig);
	stop_requested = STOP_SIGNAL;
}

/*
 * The --max-rss budget: a timer signal every 100 ms of wall time reads the resident set from
 * /proc/self/statm (open/read/close are async-signal-safe) and asks the run to stop when it is
 * over the budget. setrlimit(RLIMIT_AS) was rejected: an allocation failing under it aborts
 * (xmalloc) instead of stopping cleanly with partial results.
 */
static int rss_over_budget(void)
{
	char buf[128];
	int fd = open("/proc/self/statm", O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *p = buf;
	while (*p && *p != ' ') /* skip the total size */
		p++;
	long resident = 0;
	while (*p == ' ')
		p++;
	while (*p >= '0' && *p <= '9')
		resident = resident * 10 + (*p++ - '0');
	return resident > max_rss_pages;
}

static void on_rss_timer(int sig)
{
	UNUSED(sig);
	int saved = errno;
	if (!stop_requested && rss_over_budget())
		stop_requested = STOP_RSS;
	errno = saved;
}

static void rss_budget_start(uint64_t max_rss_mib)
{
	long page = sysconf(_SC_PAGESIZE);
	max_rss_pages = (long)(max_rss_mib * (1024 * 1024) / (uint64_t)(page > 0 ? page : 4096));
	if (rss_over_budget()) /* already over: stop before the first operation */
		stop_requested = STOP_RSS;
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_rss_timer;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {.it_interval = {0, 100000}, .it_value = {0, 100000}};
	setitimer(ITIMER_REAL, &it, NULL);
}

static void rss_budget_stop(void)
{
	struct itimerval it;
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
}

static const char run_usage[] =
    "usage: vmsim run CONFIG.json [options]\n"
    "  -o, --output DIR     results directory (default results/<config name>)\n"
    "  --set KEY=VALUE      override a config key by its dotted path (repeatable);\n"
    "                       VALUE is JSON, a bare word is a string\n"
    "  --seed N             override the seed\n"
    "  --check[=N]          verify the VM layer's invariants after every (N-th) operation\n"
    "  --dry-run            print the resolved config and exit\n"
    "  --max-sim-time PS    stop at this simulated time (= --set sim.max_time_ps=PS);\n"
    "                       run.json status \"max-time\", sim.complete 0, exit 0\n"
    "  --max-rss MIB        stop when vmsim's resident memory passes MIB MiB (checked\n"
    "                       every 100 ms); run.json status \"max-rss\", sim.complete 0,\n"
    "                       exit 1\n"
    "  --opt-future WHERE   where OPT's future (4 bytes per access) is kept: auto (in\n"
    "                       memory up to 1 GiB and half of --max-rss, then streamed\n"
    "                       through a temporary file in $TMPDIR), memory or file;\n"
    "                       the results are the same\n"
    "  --trace-from FILE.vmb  read the config's trace workload from FILE.vmb, a `vmsim\n"
    "                       trace convert` of it (sweeps decode a shared trace once)\n"
    "  -q, --quiet          no summary on stdout\n"
    "writes DIR/config.json, DIR/stats.json, DIR/timeseries.csv, DIR/latency_cdf.csv,\n"
    "DIR/run.json\n";

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vmsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n(see vmsim --help)\n");
	return 2;
}

/* Open DIR/.NAME.tmp for writing; cli_commit renames it to DIR/NAME. */
static FILE *open_tmp(const char *dir, const char *name, char **tmp_out)
{
	*tmp_out = xasprintf("%s/.%s.tmp", dir, name);
	return fopen(*tmp_out, "w");
}

static int commit_tmp(FILE *f, char *tmp, const char *dir, const char *name)
{
	int rc = 0;
	if (fflush(f) || ferror(f))
		rc = -1;
	if (fclose(f))
		rc = -1;
	char *final = xasprintf("%s/%s", dir, name);
	if (!rc && rename(tmp, final))
		rc = -1;
	if (rc) {
		int e = errno; /* the write's reason, for the message */
		unlink(tmp);
		errno = e;
	}
	free(final);
	free(tmp);
	return rc;
}

/* What the result writers of a finished run need. */
struct run_outputs {
	struct config *cfg;
	struct sim *s;
	double wall_seconds;  /* setup and simulation */
	double setup_seconds; /* of which the setup (OPT's future, ...) */
	const char *status;   /* run.json status */
	const char *command;  /* the command line (provenance) */
	const char *host;
	const char *started_utc;
};

static void write_config_json(FILE *f, const struct run_outputs *o)
{
	config_write(o->cfg, f);
}

/* s as a JSON string literal (new). */
static char *json_text(const char *s)
{
	json_t *j = json_string(s ? s : "");
	char *t = json_dumps(j, JSON_ENCODE_ANY);
	json_decref(j);
	return t;
}

static void write_run_json(FILE *f, const struct run_outputs *o)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	double wall = o->wall_seconds;
	/* strings through jansson: a command line may hold any character */
	char *cmd = json_text(o->command), *git = json_text(vmsim_git_commit);
	char *host = json_text(o->host), *started = json_text(o->started_utc);
	fprintf(f,
	        "{\n \"accesses_per_second\": %.0f,\n \"command\": %s,\n \"git_commit\": %s,\n"
	        " \"host\": %s,\n \"max_rss_kib\": %ld,\n"
	        " \"opt_future\": \"%s\",\n \"setup_seconds\": %.6f,\n \"started_utc\": %s,\n"
	        " \"status\": \"%s\",\n \"version\": \"%s\",\n \"wall_seconds\": %.6f\n}\n",
	        wall > 0 ? (double)o->s->c.accesses / wall : 0.0, cmd, git, host, ru.ru_maxrss,
	        future_store_name(&o->s->future), o->setup_seconds, started, o->status,
	        VMSIM_VERSION, wall);
	free(cmd);
	free(git);
	free(host);
	free(started);
}

static void write_latency_cdf(FILE *f, const struct run_outputs *o)
{
	hist_write_cdf_header(f);
	hist_write_cdf(f, "access", &o->s->lat_access);
	hist_write_cdf(f, "fault", &o->s->lat_fault);
	if (o->s->lat_request.count)
		hist_write_cdf(f, "request", &o->s->lat_request);
}

static void write_stats_json(FILE *f, const struct run_outputs *o)
{
	sim_write_stats(o->s, f);
}

/* Write DIR/NAME through a temporary name and a rename, so that it is whole or absent. */
static int write_result(const char *dir, const char *name,
                        void (*writer)(FILE *f, const struct run_outputs *o),
                        const struct run_outputs *o)
{
	char *tmp;
	FILE *f = open_tmp(dir, name, &tmp);
	if (!f) {
		free(tmp);
		return -1;
	}
	writer(f, o);
	return commit_tmp(f, tmp, dir, name);
}

/* The command line of `vmsim run`. */
struct run_args {
	const char *config;
	const char *outdir; /* NULL: results/<config name> */
	struct config_override *sets;
	size_t nr_sets;
	bool has_seed, quiet, dry_run;
	uint64_t seed, check_every, max_rss_mib;
	enum future_store opt_future; /* --opt-future */
	const char *trace_from;       /* --trace-from */
	char *command, *host, *started_utc; /* provenance for run.json; owned */
};

/* One option c with its optarg into a. Returns -1, or the exit status when the command ends
 * here (0 after --help, 2 on bad usage). */
static int parse_run_option(int c, char **argv, struct run_args *a)
{
	uint64_t max_time_ps;
	switch (c) {
	case 'o':
		if (!*optarg)
			return usage_error("%s", "run: -o expects a directory name, got an empty "
			                         "string");
		a->outdir = optarg;
		return -1;
	case 's': {
		char *eq = strchr(optarg, '=');
		if (!eq || eq == optarg)
			return usage_error("run: --set expects KEY=VALUE, got \"%s\"", optarg);
		*eq = '\0';
		a->sets[a->nr_sets++] = (struct config_override){.key = optarg, .value = eq + 1};
		return -1;
	}
	case 'S':
		if (parse_u64(optarg, &a->seed))
			return usage_error("run: --seed expects a non-negative integer, got \"%s\"",
			                   optarg);
		a->has_seed = true;
		return -1;
	case 'c':
		a->check_every = 1;
		if (optarg && (parse_u64(optarg, &a->check_every) || a->check_every == 0))
			return usage_error("run: --check=N expects a positive integer, got \"%s\"",
			                   optarg);
		return -1;
	case 'T':
		if (parse_u64(optarg, &max_time_ps))
			return usage_error("run: --max-sim-time expects simulated picoseconds (a "
			                   "non-negative integer), got \"%s\"",
			                   optarg);
		a->sets[a->nr_sets++] =
		    (struct config_override){.key = "sim.max_time_ps", .value = optarg};
		return -1;
	case 'R':
		if (parse_u64(optarg, &a->max_rss_mib) || a->max_rss_mib == 0 ||
		    a->max_rss_mib > (1ull << 40))
			return usage_error("run: --max-rss expects MiB (a positive integer), got "
			                   "\"%s\"",
			                   optarg);
		return -1;
	case 'F':
		if (!strcmp(optarg, "auto") || !strcmp(optarg, "memory") ||
		    !strcmp(optarg, "file")) {
			a->opt_future = optarg[0] == 'a'   ? FUTURE_AUTO
			                : optarg[0] == 'm' ? FUTURE_MEMORY
			                                   : FUTURE_FILE;
			return -1;
		}
		return usage_error("run: --opt-future expects auto, memory or file, got \"%s\"",
		                   optarg);
	case 'V':
		a->trace_from = optarg;
		return -1;
	case 'q':
		a->quiet = true;
		return -1;
	case 'd':
		a->dry_run = true;
		return -1;
	case 'h':
		fputs(run_usage, stdout);
		return 0;
	default:
		return usage_error("run: unknown or incomplete option \"%s\"", argv[optind - 1]);
	}
}

/* argv into a (a->sets allocated: the caller frees it). Returns -1 to run, or the exit
 * status. */
static int parse_run_args(int argc, char **argv, struct run_args *a)
{
	static const struct option opts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"set", required_argument, NULL, 's'},
	    {"seed", required_argument, NULL, 'S'},
	    {"check", optional_argument, NULL, 'c'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"dry-run", no_argument, NULL, 'd'},
	    {"help", no_argument, NULL, 'h'},
	    {"max-sim-time", required_argument, NULL, 'T'},
	    {"max-rss", required_argument, NULL, 'R'},
	    {"opt-future", required_argument, NULL, 'F'},
	    {"trace-from", required_argument, NULL, 'V'},
	    {0, 0, 0, 0},
	};
	memset(a, 0, sizeof(*a));
	a->sets = xcalloc((size_t)argc, sizeof(*a->sets));
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1)
		if ((rc = parse_run_option(c, argv, a)) >= 0)
			return rc;
	if (optind + 1 != argc)
		return usage_error("%s", optind >= argc ? "run: missing CONFIG.json"
		                                        : "run: expected exactly one CONFIG.json");
	a->config = argv[optind];
	return -1;
}

/* One run's state; run_cleanup releases whatever of it exists. */
struct run {
	struct config cfg;
	bool cfg_loaded;
	struct sim *s;
	char *dir;
	bool dir_existed;
	FILE *ts; /* timeseries.csv under its temporary name ts_tmp */
	char *ts_tmp;
	double wall_seconds, setup_seconds;
};

static void run_cleanup(struct run *r)
{
	if (r->ts) {
		fclose(r->ts);
		unlink(r->ts_tmp);
	}
	free(r->ts_tmp);
	if (r->s) {
		sim_fini(r->s);
		free(r->s);
	}
	free(r->dir);
	if (r->cfg_loaded)
		config_fini(&r->cfg);
}

/* The signals and the --max-rss budget armed (so they stop a long setup too), the simulation
 * set up, its output directory and timeseries.csv's temporary file open. Returns -1 to run,
 * or the exit status (2 bad input; 1 stopped during the setup). */
static int run_setup(struct run *r, const struct run_args *a, struct err *err)
{
	r->dir = a->outdir ? xstrdup(a->outdir) : xasprintf("results/%s", r->cfg.name);
	r->s = xcalloc(1, sizeof(*r->s));
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (a->max_rss_mib)
		rss_budget_start(a->max_rss_mib);
	struct sim_host host = {
	    .future = {.store = a->opt_future, .stop_flag = &stop_requested},
	    .trace_from = a->trace_from,
	};
	host.future.memory_max_bytes = FUTURE_MEMORY_MAX_BYTES;
	if (a->max_rss_mib)
		host.future.memory_max_bytes =
		    MIN(host.future.memory_max_bytes, (a->max_rss_mib << 20) / 2);
	if (sim_init_host(r->s, &r->cfg, &host, err)) {
		fprintf(stderr, "vmsim: %s\n", err->msg);
		if (stop_requested == STOP_RSS)
			fprintf(stderr,
			        "vmsim: stopped during the setup: vmsim's resident memory "
			        "passed --max-rss %" PRIu64 " MiB; no results written\n",
			        a->max_rss_mib);
		return stop_requested ? 1 : 2;
	}
	r->dir_existed = access(r->dir, F_OK) == 0;
	if (mkdir_p(r->dir) || access(r->dir, W_OK)) {
		fprintf(stderr, "vmsim: %s: cannot create or write the output directory: %s\n",
		        r->dir, strerror(errno));
		return 2;
	}
	r->s->check_every = a->check_every;
	r->s->stop_flag = &stop_requested;
	r->ts = open_tmp(r->dir, "timeseries.csv", &r->ts_tmp);
	if (!r->ts) {
		fprintf(stderr, "vmsim: %s: cannot write: %s\n", r->ts_tmp, strerror(errno));
		return 2;
	}
	r->s->timeseries = r->ts;
	return -1;
}

/* The results of a finished run, each file written under a temporary name, then renamed;
 * stats.json last, so its presence means the run's results are complete. Returns the exit
 * status. */
static int run_write_results(struct run *r, const struct run_args *a)
{
	struct sim *s = r->s;
	bool over_rss = s->interrupted && stop_requested == STOP_RSS;
	int wr = commit_tmp(r->ts, r->ts_tmp, r->dir, "timeseries.csv");
	int first_errno = wr ? errno : 0;
	r->ts = NULL;
	r->ts_tmp = NULL; /* (commit_tmp closed and freed them) */
	struct run_outputs out = {.cfg = &r->cfg,
	                          .s = s,
	                          .wall_seconds = r->wall_seconds,
	                          .setup_seconds = r->setup_seconds,
	                          .status = over_rss          ? "max-rss"
	                                    : s->interrupted  ? "interrupted"
	                                    : s->hit_max_time ? "max-time"
	                                                      : "complete",
	                          .command = a->command,
	                          .host = a->host,
	                          .started_utc = a->started_utc};
	static const char *const names[] = {"config.json", "run.json", "latency_cdf.csv",
	                                    "stats.json"};
	void (*const writers[])(FILE *, const struct run_outputs *) = {
	    write_config_json, write_run_json, write_latency_cdf, write_stats_json};
	/* stats.json last, and only after every other file: its presence says the results are
	 * whole */
	for (size_t i = 0; i < ARRAY_SIZE(names) && (!wr || i + 1 < ARRAY_SIZE(names)); i++) {
		if (write_result(r->dir, names[i], writers[i], &out) < 0 && !wr) {
			wr = -1;
			first_errno = errno;
		}
	}
	if (wr) {
		int e = first_errno;
		char *stats = xasprintf("%s/stats.json", r->dir);
		unlink(stats); /* an earlier run's must not pass for this one's */
		free(stats);
		fprintf(stderr, "vmsim: %s: could not write the results: %s\n", r->dir,
		        strerror(e));
		return 1;
	}
	if (!a->quiet) {
		sim_print_summary(s, stdout);
		printf("  results          %s/\n", r->dir);
	}
	if (over_rss)
		fprintf(stderr,
		        "vmsim: stopped: vmsim's resident memory passed --max-rss %" PRIu64
		        " MiB: %s/stats.json holds partial results (sim.complete = 0)\n",
		        a->max_rss_mib, r->dir);
	else if (s->interrupted)
		fprintf(stderr,
		        "vmsim: interrupted: %s/stats.json holds partial results (sim.complete "
		        "= 0)\n",
		        r->dir);
	return s->interrupted ? 1 : 0;
}

/* Load, set up, simulate and write one run (r is released by the caller). */
static int run_one(struct run *r, const struct run_args *a, struct err *err)
{
	if (config_load(&r->cfg, a->config, a->sets, a->nr_sets, a->has_seed, a->seed, err)) {
		fprintf(stderr, "vmsim: %s\n", err->msg);
		return 2;
	}
	r->cfg_loaded = true;
	if (a->dry_run) {
		config_write(&r->cfg, stdout);
		return 0;
	}
	double t0 = host_monotonic_s();
	int rc = run_setup(r, a, err);
	if (rc >= 0) {
		if (a->max_rss_mib)
			rss_budget_stop();
		return rc;
	}
	r->setup_seconds = host_monotonic_s() - t0;
	int run_rc = sim_run(r->s);
	r->wall_seconds = host_monotonic_s() - t0;
	if (a->max_rss_mib)
		rss_budget_stop();
	if (!run_rc)
		return run_write_results(r, a);
	fprintf(stderr, "vmsim: %s\n", err->msg);
	fclose(r->ts);
	unlink(r->ts_tmp);
	r->ts = NULL;
	if (!r->dir_existed)
		rmdir(r->dir); /* leave nothing half-written behind */
	return 2;
}

int run_cli_main(int argc, char **argv)
{
	struct run_args a;
	/* before parsing: it splits --set arguments in place */
	char *command = provenance_command(argc, argv);
	int rc = parse_run_args(argc, argv, &a);
	a.command = command;
	a.host = provenance_host();
	a.started_utc = provenance_time_utc();
	if (rc < 0) {
		struct run r = {0};
		struct err err = {{0}};
		rc = run_one(&r, &a, &err);
		run_cleanup(&r);
	}
	free(a.sets);
	free(a.command);
	free(a.host);
	free(a.started_utc);
	return rc;
}
