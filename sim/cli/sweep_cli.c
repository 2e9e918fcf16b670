/*
 * sweep_cli.c — `vmsim sweep`: run the points of a sweep as child `vmsim run` processes.
 *
 *   vmsim sweep SWEEP.json [-o DIR] [-j N] [--resume] [--list] [--shard I/N]
 *   vmsim sweep --collect DIR
 *
 * Each point is one child spawned with posix_spawn (the running vmsim, via /proc/self/exe,
 * or $VMSIM_SWEEP_EXE, e.g. a wrapper script) with the base config, --set overrides, -o the
 * point directory and --quiet; its stdout and stderr go to the point's vmsim.log. A point
 * that exits 0 with a stats.json gets the `done` marker, written atomically and last, so an
 * interrupted sweep (Ctrl-C, kill, power cut) never counts a half-finished point as done, and
 * --resume skips exactly the finished ones. summary.csv is written after all points, from the
 * files alone, so its bytes do not depend on -j, on shards or on the order points finished.
 *
 * Host time (elapsed, ETA) appears only in the progress display, never in results.
 */
#include "sim/cli/sweep_cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sim/cli/sweep.h"
#include "sim/cli/sweep_shared.h"

extern char **environ;

static volatile sig_atomic_t sweep_interrupted;

static void on_stop_signal(int sig)
{
	sweep_interrupted = sig;
}

static void on_alarm(int sig)
{
	UNUSED(sig);
}

struct sweep_opts {
	const char *file;
	const char *out_dir;
	const char *collect_dir;
	long jobs;
	bool resume, list;
	long shard_i, shard_n;
};

static void usage(FILE *f)
{
	fputs("usage: vmsim sweep SWEEP.json [-o DIR] [-j N] [--resume] [--list] [--shard I/N]\n"
	      "       vmsim sweep --collect DIR\n"
	      "  -o DIR       results directory (default results/<sweep name>)\n"
	      "  -j N         points run in parallel (default: online CPUs)\n"
	      "  --resume     skip points whose results are complete\n"
	      "  --list       print one self-contained `vmsim run` command per point\n"
	      "  --shard I/N  only the points with index %% N == I (I from 0)\n"
	      "  --collect DIR  build DIR/summary.csv from the finished points\n",
	      f);
}

static int parse_long(const char *s, long lo, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo)
		return -1;
	*out = v;
	return 0;
}

/* Points run in parallel: at most SWEEP_MAX_JOBS (a bound on the slot table and on the
 * children; more would only queue for the same CPUs). */
#define SWEEP_MAX_JOBS 4096
static int parse_jobs(const char *s, long *jobs)
{
	if (parse_long(s, 1, jobs) == 0 && *jobs <= SWEEP_MAX_JOBS)
		return 0;
	fprintf(stderr, "vmsim sweep: -j: expected an integer in [1, %d], got \"%s\"\n",
	        SWEEP_MAX_JOBS, s);
	return -1;
}

static int parse_args(int argc, char **argv, struct sweep_opts *o)
{
	memset(o, 0, sizeof(*o));
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	o->jobs = ncpu > 0 ? ncpu : 1;
	o->shard_n = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_next = i + 1 < argc;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else if (!strcmp(a, "-o") && has_next) {
			o->out_dir = argv[++i];
			if (!*o->out_dir) {
				fprintf(stderr, "vmsim sweep: -o: expected a directory name, got an "
				                "empty string\n");
				return -1;
			}
		} else if (!strcmp(a, "-j") && has_next) {
			if (parse_jobs(argv[++i], &o->jobs) < 0)
				return -1;
		} else if (!strncmp(a, "-j", 2) && a[2]) {
			if (parse_jobs(a + 2, &o->jobs) < 0)
				return -1;
		} else if (!strcmp(a, "--resume")) {
			o->resume = true;
		} else if (!strcmp(a, "--list")) {
			o->list = true;
		} else if (!strcmp(a, "--shard") && has_next) {
			const char *s = argv[++i];
			char buf[64];
			snprintf(buf, sizeof(buf), "%s", s);
			char *slash = strchr(buf, '/');
			if (!slash)
				goto bad_shard;
			*slash = '\0';
			if (parse_long(buf, 0, &o->shard_i) < 0 ||
			    parse_long(slash + 1, 1, &o->shard_n) < 0 || o->shard_i >= o->shard_n)
				goto bad_shard;
		} else if (!strcmp(a, "--collect") && has_next) {
			o->collect_dir = argv[++i];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "vmsim sweep: %s: unknown option or missing value\n", a);
			usage(stderr);
			return -1;
		} else if (!o->file) {
			o->file = a;
		} else {
			fprintf(stderr, "vmsim sweep: %s: only one sweep file\n", a);
			return -1;
		}
		continue;
	bad_shard:
		fprintf(stderr, "vmsim sweep: --shard: expected I/N with 0 <= I < N, got \"%s\"\n",
		        argv[i]);
		return -1;
	}
	if (!o->file == !o->collect_dir) {
		usage(stderr);
		return -1;
	}
	return 0;
}

/* A shell word that reads back as s (single quotes when needed). */
static void print_shell_word(FILE *f, const char *s)
{
	bool plain = *s != '\0';
	for (const char *p = s; *p; p++)
		if (!(('a' <= *p && *p <= 'z') || ('A' <= *p && *p <= 'Z') ||
		      ('0' <= *p && *p <= '9') || strchr("_./=,:+@%-", *p)))
			plain = false;
	if (plain) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	}
	fputc('\'', f);
}

/* Everything the points share: the result directory, the config, the executable. */
struct sweep_run {
	struct sweep *s;
	char *dir;         /* absolute result directory */
	char *base_path;   /* absolute base config path */
	char *exe;         /* the program that runs a point */
	char **trace_from; /* per point: its trace decoded once (sweep_shared.h), or NULL */
};

static char **point_argv(const struct sweep_run *r, size_t i)
{
	const struct sweep *s = r->s;
	size_t n = 0, cap = 10 + 2 * s->nr_keys;
	char **argv = xcalloc(cap, sizeof(*argv));
	argv[n++] = xstrdup(r->exe);
	argv[n++] = xstrdup("run");
	argv[n++] = xstrdup(r->base_path);
	for (size_t k = 0; k < s->nr_keys; k++) {
		argv[n++] = xstrdup("--set");
		argv[n++] = sweep_point_set_arg(s, i, k);
	}
	argv[n++] = xstrdup("-o");
	argv[n++] = xasprintf("%s/points/%s", r->dir, s->points[i].id);
	argv[n++] = xstrdup("--quiet");
	if (r->trace_from && r->trace_from[i]) {
		argv[n++] = xstrdup("--trace-from");
		argv[n++] = xstrdup(r->trace_from[i]);
	}
	argv[n] = NULL;
	return argv;
}

static void argv_free(char **argv)
{
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

/* Write DIR/sweep.json (base made absolute, or DIR/base.json for an inline base) so that
 * --collect and the --list commands need nothing but DIR. */
static int run_prepare(struct sweep_run *r, const char *out_dir, struct err *err)
{
	struct sweep *s = r->s;
	if (mkdir_p(out_dir) < 0)
		return err_setc(err, VMSIM_EIO, "%s: cannot create: %s", out_dir, strerror(errno));
	char real[PATH_MAX];
	if (!realpath(out_dir, real))
		return err_setc(err, VMSIM_EIO, "%s: %s", out_dir, strerror(errno));
	r->dir = xstrdup(real);
	char *points = xasprintf("%s/points", r->dir);
	int rc = mkdir_p(points);
	free(points);
	if (rc < 0)
		return err_setc(err, VMSIM_EIO, "%s/points: cannot create: %s", r->dir,
		                strerror(errno));

	json_t *norm = json_deep_copy(s->root);
	if (s->base_path) {
		if (!realpath(s->base_path, real)) {
			json_decref(norm);
			return err_set(err, "%s: base: cannot open \"%s\": %s", s->file,
			               json_string_value(json_object_get(s->root, "base")),
			               strerror(errno));
		}
		r->base_path = xstrdup(real);
		json_object_set_new(norm, "base", json_string(r->base_path));
	} else {
		r->base_path = xasprintf("%s/base.json", r->dir);
		char *text = json_dumps(s->base_obj, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		char *t2 = xasprintf("%s\n", text);
		free(text);
		rc = sweep_write_atomic(r->base_path, t2, err);
		free(t2);
		if (rc < 0) {
			json_decref(norm);
			return rc;
		}
	}
	if (!json_object_get(norm, "name"))
		json_object_set_new(norm, "name", json_string(s->name));
	char *text = json_dumps(norm, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(norm);
	char *t2 = xasprintf("%s\n", text);
	free(text);
	char *path = xasprintf("%s/sweep.json", r->dir);
	rc = sweep_write_atomic(path, t2, err);
	free(path);
	free(t2);
	if (rc < 0)
		return rc;

	const char *env = getenv("VMSIM_SWEEP_EXE");
	if (env && *env) {
		r->exe = xstrdup(env);
	} else {
		ssize_t n = readlink("/proc/self/exe", real, sizeof(real) - 1);
		if (n < 0)
			return err_setc(err, VMSIM_EIO, "/proc/self/exe: %s", strerror(errno));
		real[n] = '\0';
		r->exe = xstrdup(real);
	}
	return 0;
}

static void run_fini(struct sweep_run *r)
{
	free(r->dir);
	free(r->base_path);
	free(r->exe);
}

/* ---- progress ---- */

struct progress {
	bool tty;
	size_t total, done, failed, running, skipped;
	struct timespec start;
};

static double elapsed_s(const struct progress *pr)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - pr->start.tv_sec) +
	       (double)(now.tv_nsec - pr->start.tv_nsec) / 1e9;
}

static void fmt_hms(char *buf, size_t n, double s)
{
	long t = (long)(s + 0.5);
	if (t >= 3600)
		snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		snprintf(buf, n, "%02ld:%02ld", t / 60, t % 60);
}

static void progress_draw(const struct progress *pr)
{
	if (!pr->tty)
		return;
	const int width = 30;
	size_t finished = pr->done + pr->failed;
	int fill = pr->total ? (int)(finished * (size_t)width / pr->total) : width;
	char bar[64];
	for (int i = 0; i < width; i++)
		bar[i] = i < fill ? '#' : '.';
	bar[width] = '\0';
	double el = elapsed_s(pr);
	char e[32], eta[32] = "--:--";
	fmt_hms(e, sizeof(e), el);
	if (finished)
		fmt_hms(eta, sizeof(eta), el / (double)finished * (double)(pr->total - finished));
	fprintf(stderr, "\r\033[K[%s] %zu/%zu done, %zu running, %zu failed, %s elapsed, ETA %s",
	        bar, finished, pr->total, pr->running, pr->failed, e, eta);
	fflush(stderr);
}

static void progress_line(struct progress *pr, const char *what, const char *id, const char *msg)
{
	if (pr->tty) {
		if (msg) {
			fprintf(stderr, "\r\033[K%s %s: %s\n", what, id, msg);
		}
		progress_draw(pr);
		return;
	}
	fprintf(stderr, "sweep: [%zu/%zu] %s %s%s%s\n", pr->done + pr->failed, pr->total, what, id,
	        msg ? ": " : "", msg ? msg : "");
}

/* ---- running ---- */

struct slot {
	pid_t pid;
	size_t point;
};

static int unlink_in(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	int rc = unlink(p);
	free(p);
	return rc;
}

static pid_t spawn_point(const struct sweep_run *r, size_t i, struct err *err)
{
	char *pdir = xasprintf("%s/points/%s", r->dir, r->s->points[i].id);
	if (mkdir_p(pdir) < 0) {
		err_setc(err, VMSIM_EIO, "%s: cannot create: %s", pdir, strerror(errno));
		free(pdir);
		return -1;
	}
	/* stale results of an earlier attempt must not vouch for this one */
	unlink_in(pdir, "done");
	unlink_in(pdir, "stats.json");
	char *log = xasprintf("%s/vmsim.log", pdir);
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	char **argv = point_argv(r, i);
	pid_t pid;
	int rc = posix_spawn(&pid, r->exe, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	argv_free(argv);
	free(log);
	free(pdir);
	if (rc != 0) {
		err_setc(err, VMSIM_EIO, "cannot run %s: %s", r->exe, strerror(rc));
		return -1;
	}
	return pid;
}

/* After a child ended: write the marker or describe the failure. Returns true when ok. */
static bool finish_point(const struct sweep_run *r, size_t i, int status, char *msg, size_t n)
{
	char *pdir = xasprintf("%s/points/%s", r->dir, r->s->points[i].id);
	bool ok = false;
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		const char *missing = sweep_point_missing(pdir);
		if (!missing) {
			char *done = xasprintf("%s/done", pdir);
			char *text =
			    xasprintf("{\"id\": \"%s\", \"status\": \"ok\"}\n", r->s->points[i].id);
			struct err e;
			ok = sweep_write_atomic(done, text, &e) == 0;
			if (!ok)
				snprintf(msg, n, "%.300s", e.msg);
			free(text);
			free(done);
		} else {
			snprintf(msg, n, "the run exited 0 but wrote no %s", missing);
		}
	} else {
		char last[400];
		sweep_point_status(pdir, last, sizeof(last));
		if (WIFSIGNALED(status))
			snprintf(msg, n, "killed by signal %d: %s", WTERMSIG(status), last);
		else
			snprintf(msg, n, "exit %d: %s", WEXITSTATUS(status), last);
	}
	free(pdir);
	return ok;
}

static void install_handlers(bool tty)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_stop_signal; /* no SA_RESTART: waitpid returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	if (tty) {
		sa.sa_handler = on_alarm;
		sigaction(SIGALRM, &sa, NULL);
		struct itimerval it = {{0, 500000}, {0, 500000}};
		setitimer(ITIMER_REAL, &it, NULL);
	}
}

static void restore_handlers(bool tty)
{
	if (tty) {
		struct itimerval it;
		memset(&it, 0, sizeof(it));
		setitimer(ITIMER_REAL, &it, NULL);
		signal(SIGALRM, SIG_DFL);
	}
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
}

/* Run the selected points; returns the number that failed, or -1 when interrupted. */
static long run_points(const struct sweep_run *r, const size_t *todo, size_t nr_todo,
                       size_t nr_skipped, long jobs)
{
	struct progress pr = {.tty = isatty(2), .total = nr_todo};
	clock_gettime(CLOCK_MONOTONIC, &pr.start);
	if (nr_skipped)
		fprintf(stderr, "sweep: %zu points already complete, %zu to run\n", nr_skipped,
		        nr_todo);
	struct slot *slots = xcalloc((size_t)jobs, sizeof(*slots));
	size_t next = 0;
	install_handlers(pr.tty);
	progress_draw(&pr);
	while (!sweep_interrupted && (next < nr_todo || pr.running)) {
		while (!sweep_interrupted && next < nr_todo && pr.running < (size_t)jobs) {
			size_t i = todo[next++];
			struct err e;
			pid_t pid = spawn_point(r, i, &e);
			if (pid < 0) {
				pr.failed++;
				progress_line(&pr, "failed", r->s->points[i].id, e.msg);
				continue;
			}
			for (long k = 0; k < jobs; k++) {
				if (!slots[k].pid) {
					slots[k].pid = pid;
					slots[k].point = i;
					break;
				}
			}
			pr.running++;
		}
		progress_draw(&pr);
		if (!pr.running)
			continue;
		int status;
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0)
			continue; /* EINTR: redraw, or notice an interruption */
		for (long k = 0; k < jobs; k++) {
			if (slots[k].pid != pid)
				continue;
			slots[k].pid = 0;
			pr.running--;
			char msg[512];
			size_t i = slots[k].point;
			if (finish_point(r, i, status, msg, sizeof(msg))) {
				pr.done++;
				progress_line(&pr, "ok", r->s->points[i].id, NULL);
			} else {
				pr.failed++;
				progress_line(&pr, "failed", r->s->points[i].id, msg);
			}
			break;
		}
	}
	if (sweep_interrupted) {
		for (long k = 0; k < jobs; k++)
			if (slots[k].pid)
				kill(slots[k].pid, SIGTERM);
		for (long k = 0; k < jobs; k++)
			if (slots[k].pid)
				while (waitpid(slots[k].pid, NULL, 0) < 0 && errno == EINTR)
					;
	}
	restore_handlers(pr.tty);
	if (pr.tty)
		fputs("\n", stderr);
	char e[32];
	fmt_hms(e, sizeof(e), elapsed_s(&pr));
	fprintf(stderr, "sweep: %zu ok, %zu failed, %zu not run, %s elapsed\n", pr.done, pr.failed,
	        nr_todo - pr.done - pr.failed, e);
	free(slots);
	if (sweep_interrupted) {
		fprintf(stderr, "sweep: interrupted; finished points are kept, `--resume` runs "
		                "the rest\n");
		return -1;
	}
	return (long)pr.failed;
}

/* run_points, with each shared trace decoded once first (sweep_shared.h). */
static long run_points_shared(struct sweep_run *r, const size_t *todo, size_t nr_todo,
                              size_t nr_skipped, long jobs)
{
	r->trace_from = sweep_shared_prepare(r->s, r->base_path, r->dir, todo, nr_todo);
	long failed = run_points(r, todo, nr_todo, nr_skipped, jobs);
	sweep_shared_free(r->s, r->trace_from);
	r->trace_from = NULL;
	return failed;
}

static int collect(const char *dir)
{
	char *file = xasprintf("%s/sweep.json", dir);
	struct sweep *s;
	struct err err;
	int rc = sweep_load(file, &s, &err);
	free(file);
	if (rc < 0) {
		fprintf(stderr, "vmsim sweep --collect: %s\n", err.msg);
		if (rc == -VMSIM_EIO)
			fprintf(stderr,
			        "vmsim sweep --collect: %s is not a sweep directory (`vmsim "
			        "sweep SWEEP.json -o DIR` or `--list` writes sweep.json)\n",
			        dir);
		return 2;
	}
	size_t bad;
	rc = sweep_summary_save(s, dir, &bad, &err);
	if (rc < 0) {
		fprintf(stderr, "vmsim sweep --collect: %s\n", err.msg);
		sweep_destroy(s);
		return 2;
	}
	fprintf(stderr, "sweep: wrote %s/summary.csv (%zu points, %zu not ok)\n", dir, s->nr_points,
	        bad);
	sweep_destroy(s);
	return bad ? 1 : 0;
}

int sweep_cli_main(int argc, char **argv)
{
	struct sweep_opts o;
	if (parse_args(argc, argv, &o) < 0)
		return 2;
	if (o.collect_dir)
		return collect(o.collect_dir);

	struct sweep *s;
	struct err err;
	if (sweep_load(o.file, &s, &err) < 0) {
		fprintf(stderr, "vmsim sweep: %s\n", err.msg);
		return 2;
	}
	char *def_dir = xasprintf("results/%s", s->name);
	struct sweep_run r = {.s = s};
	int rc = run_prepare(&r, o.out_dir ? o.out_dir : def_dir, &err);
	free(def_dir);
	if (rc < 0) {
		fprintf(stderr, "vmsim sweep: %s\n", err.msg);
		run_fini(&r);
		sweep_destroy(s);
		return 2;
	}

	size_t *todo = xcalloc(s->nr_points ? s->nr_points : 1, sizeof(*todo));
	size_t nr_todo = 0, nr_skipped = 0;
	for (size_t i = 0; i < s->nr_points; i++) {
		if ((long)(i % (size_t)o.shard_n) != o.shard_i)
			continue;
		if (o.resume) {
			char *pdir = xasprintf("%s/points/%s", r.dir, s->points[i].id);
			bool complete = sweep_point_complete(pdir);
			char *done = xasprintf("%s/done", pdir);
			struct stat st;
			if (complete && stat(done, &st) != 0) {
				/* Its run finished (complete stats.json) but the sweep was stopped
				 * before it wrote the marker: write it now, so every finished point
				 * carries one whatever moment the sweep was stopped at. */
				char *text = xasprintf("{\"id\": \"%s\", \"status\": \"ok\"}\n",
				                       s->points[i].id);
				struct err e;
				if (sweep_write_atomic(done, text, &e))
					complete = false; /* cannot mark it: run it again */
				free(text);
			}
			free(done);
			free(pdir);
			if (complete) {
				nr_skipped++;
				continue;
			}
		}
		todo[nr_todo++] = i;
	}

	int exit_code = 0;
	if (o.list) {
		for (size_t t = 0; t < nr_todo; t++) {
			char *pdir = xasprintf("%s/points/%s", r.dir, s->points[todo[t]].id);
			mkdir_p(pdir);
			free(pdir);
			char **pargv = point_argv(&r, todo[t]);
			for (char **a = pargv; *a; a++) {
				if (a != pargv)
					fputc(' ', stdout);
				print_shell_word(stdout, *a);
			}
			fputc('\n', stdout);
			argv_free(pargv);
		}
	} else {
		long failed = run_points_shared(&r, todo, nr_todo, nr_skipped, o.jobs);
		if (failed < 0) {
			exit_code = 130;
		} else if (o.shard_n > 1) {
			fprintf(stderr,
			        "sweep: shard %ld/%ld finished; `vmsim sweep --collect %s` "
			        "builds summary.csv when every shard is done\n",
			        o.shard_i, o.shard_n, r.dir);
			exit_code = failed ? 1 : 0;
		} else {
			size_t bad;
			if (sweep_summary_save(s, r.dir, &bad, &err) < 0) {
				fprintf(stderr, "vmsim sweep: %s\n", err.msg);
				exit_code = 2;
			} else {
				fprintf(stderr,
				        "sweep: wrote %s/summary.csv (%zu points, %zu not "
				        "ok)\n",
				        r.dir, s->nr_points, bad);
				exit_code = bad ? 1 : 0;
			}
		}
	}
	free(todo);
	run_fini(&r);
	sweep_destroy(s);
	return exit_code;
}
