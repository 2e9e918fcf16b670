/*
 * trace_stats_cli.c — `vmsim trace stats TRACE [-o DIR] [--window N] [--no-plots]`: the
 * analyses of trace_stats.c printed as a summary, and with -o written as CSV and JSON files
 * plus four plots drawn by gnuplot from a script written beside them (DIR/plots/
 * trace-stats.gp, absolute paths, so `gnuplot DIR/plots/trace-stats.gp` redraws them from
 * anywhere).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "sim/cli/plot.h"
#include "sim/cli/trace_cli.h"
#include "sim/cli/trace_stats.h"

extern char **environ;

static const char stats_usage[] =
    "usage: vmsim trace stats TRACE [-o DIR] [--window N] [--no-plots] [--from FORMAT]\n"
    "       [--page-size BYTES] [--oracle-access read|write] [champsim/lis/trc/txt/csv options]\n"
    "  prints the reuse-distance histogram, the fitted Zipf alpha, the working-set size and\n"
    "  the read/write mix; -o DIR writes summary.json, reuse.csv, popularity.csv, wss.csv,\n"
    "  mix.csv and DIR/plots/*.png. --window: accesses per working-set window (10000).\n"
    "see docs/traces.md\n";

static int stats_usage_error(const char *msg, const char *arg)
{
	fprintf(stderr, "vmsim trace stats: ");
	fprintf(stderr, msg, arg);
	fprintf(stderr, "\n%s", stats_usage);
	return 2;
}

static void print_summary(const struct trace_stats *st, const char *trace)
{
	printf("trace: %s\naccesses: %llu\npages: %llu\nprocesses: %u\n", trace,
	       (unsigned long long)st->accesses, (unsigned long long)st->pages, st->nr_procs);
	printf("reuse distance (distinct pages between two accesses to a page):\n");
	printf("  cold (first access): %llu\n", (unsigned long long)st->cold);
	for (uint64_t lo = 0; lo < st->pages; lo = lo ? lo * 2 : 1) {
		uint64_t hi = lo ? MIN(lo * 2 - 1, st->pages - 1) : 0, sum = 0;
		for (uint64_t d = lo; d <= hi; d++)
			sum += st->reuse[d];
		if (sum)
			printf("  %llu-%llu: %llu\n", (unsigned long long)lo,
			       (unsigned long long)hi, (unsigned long long)sum);
	}
	if (isnan(st->zipf_alpha))
		printf("zipf alpha: none (fewer than 2 pages with %d or more accesses)\n",
		       TRACE_STATS_FIT_MIN_COUNT);
	else
		printf("zipf alpha: %.4f (standard error %.4f, ranks 1-%llu fitted)\n",
		       st->zipf_alpha, st->zipf_se, (unsigned long long)st->zipf_ranks);
	uint64_t peak = 0;
	for (uint64_t w = 0; w < st->nr_windows; w++)
		peak = MAX(peak, st->wss[w]);
	printf("working set: peak %llu pages in a window of %llu accesses (%llu windows)\n",
	       (unsigned long long)peak, (unsigned long long)st->window,
	       (unsigned long long)st->nr_windows);
	for (uint32_t i = 0; i < st->nr_procs; i++) {
		const struct trace_stats_proc *p = &st->procs[i];
		printf("pid %u: reads %llu, writes %llu, fetches %llu, pages %llu\n", p->pid,
		       (unsigned long long)p->reads, (unsigned long long)p->writes,
		       (unsigned long long)p->fetches, (unsigned long long)p->pages);
	}
}

/* The gnuplot script of the four plots, data and outputs named by absolute paths. */
static void write_script(FILE *f, const char *d, const char *title, const struct trace_stats *st)
{
	fprintf(f, "# written by vmsim trace stats; redraw: gnuplot %s/plots/trace-stats.gp\n", d);
	fprintf(
	    f,
	    "set terminal pngcairo size 1600,1000 noenhanced font 'DejaVu Sans,20' "
	    "linewidth 2\nset datafile separator ','\nset key outside top center horizontal box\n"
	    "set grid lc rgb '#d0d0d0' dt 3\nset tics nomirror out\nset border 3\n"
	    "set style fill solid 0.85 border -1\n");
	fprintf(f,
	        "set output '%s/plots/reuse.png'\nset title 'Reuse distance: %s'\n"
	        "set xlabel 'reuse distance (distinct pages between two accesses to a page)'\n"
	        "set ylabel 'accesses'\nset xtics rotate by -45\nset boxwidth 0.8\n"
	        "plot '%s/reuse.csv' skip 1 using 0:3:xtic(strcol(1) eq 'inf' ? 'cold' : "
	        "(strcol(1) eq strcol(2) ? strcol(1) : strcol(1).'-'.strcol(2))) with boxes "
	        "lc rgb '#0072B2' title 'accesses'\n",
	        d, title, d);
	fprintf(f,
	        "set output '%s/plots/popularity.png'\nset title 'Popularity: %s'\n"
	        "set xtics norotate\nset logscale xy\nset xlabel 'rank (pages by accesses)'\n"
	        "set ylabel 'accesses'\n",
	        d, title);
	if (isnan(st->zipf_alpha))
		fprintf(f,
		        "plot '%s/popularity.csv' skip 1 using 1:2 with points pt 7 ps 0.8 "
		        "lc rgb '#0072B2' title 'pages'\n",
		        d);
	else
		fprintf(f,
		        "plot '%s/popularity.csv' skip 1 using 1:2 with points pt 7 ps 0.8 "
		        "lc rgb '#0072B2' title 'pages', [1:%llu] exp(%.9g) * x**(-%.9g) "
		        "with lines lw 3 lc rgb '#D55E00' title 'Zipf fit, alpha = %.3f'\n",
		        d, (unsigned long long)st->zipf_ranks, st->zipf_ln_c, st->zipf_alpha,
		        st->zipf_alpha);
	fprintf(f,
	        "unset logscale\nset output '%s/plots/wss.png'\nset title 'Working set: %s'\n"
	        "set xlabel 'accesses'\nset ylabel 'pages'\nset yrange [0:*]\n"
	        "set format x '%%.0s%%c'\n"
	        "plot '%s/wss.csv' skip 1 using 1:2 with fsteps lw 2 lc rgb '#0072B2' title "
	        "'distinct pages per %llu accesses', '' skip 1 using 1:3 with lines lw 2 "
	        "dt 2 lc rgb '#009E73' title 'distinct pages so far'\n",
	        d, title, d, (unsigned long long)st->window);
	fprintf(f,
	        "set output '%s/plots/mix.png'\nset title 'Access mix per process: %s'\n"
	        "set xlabel 'pid'\nset ylabel 'accesses'\nset style data histogram\n"
	        "set style histogram rowstacked\nset boxwidth 0.6\n"
	        "plot '%s/mix.csv' skip 1 using 2:xtic(1) lc rgb '#0072B2' title 'reads', "
	        "'' skip 1 using 3 lc rgb '#D55E00' title 'writes', '' skip 1 using 4 "
	        "lc rgb '#009E73' title 'instruction fetches'\n",
	        d, title, d);
}

/* Write DIR/plots/trace-stats.gp and run gnuplot on it: 0, or 1 with a message. */
static int draw_plots(const struct trace_stats *st, const char *trace, const char *dir)
{
	char *gnuplot = find_gnuplot();
	if (!gnuplot) {
		fprintf(stderr, "vmsim trace stats: gnuplot not found on PATH: no plots (install "
		                "gnuplot-nox, or pass --no-plots)\n");
		return 1;
	}
	char real[PATH_MAX];
	const char *d = realpath(dir, real) ? real : dir;
	char *pdir = xasprintf("%s/plots", d), *script = xasprintf("%s/trace-stats.gp", pdir);
	char *title = gp_text(strrchr(trace, '/') ? strrchr(trace, '/') + 1 : trace);
	int rc = 1;
	FILE *f = (mkdir(pdir, 0777) == 0 || errno == EEXIST) ? fopen(script, "w") : NULL;
	if (f) {
		write_script(f, d, title, st);
		if (fclose(f) == 0) {
			char *argv[] = {gnuplot, script, NULL};
			pid_t pid;
			int status = 0;
			if (posix_spawn(&pid, gnuplot, NULL, NULL, argv, environ) == 0) {
				while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
					;
				rc = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : 1;
			}
		}
	}
	if (rc)
		fprintf(stderr, "vmsim trace stats: gnuplot failed on %s\n", script);
	else
		printf("plots: %s/{reuse,popularity,wss,mix}.png\n", pdir);
	free(gnuplot);
	free(pdir);
	free(script);
	free(title);
	return rc;
}

int trace_stats_cli_main(int argc, char **argv)
{
	const char *trace = NULL, *dir = NULL;
	const struct trace_format *fmt = NULL;
	struct trace_read_opts opts = {.page_size = 4096};
	uint64_t window = 10000;
	int plots = 1, rc = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(stats_usage, stdout);
			return 0;
		} else if (strcmp(a, "-o") == 0 && v) {
			dir = argv[++i];
		} else if (strcmp(a, "--window") == 0) {
			if (!v || parse_u64(v, &window) < 0 || window == 0)
				return stats_usage_error(
				    "--window needs a number of accesses >= 1, "
				    "got \"%s\"",
				    v ? v : "");
			i++;
		} else if (strcmp(a, "--no-plots") == 0) {
			plots = 0;
		} else if (strcmp(a, "--from") == 0) {
			if (!v || !(fmt = trace_format_find(v)))
				return stats_usage_error("--from needs one of " TRACE_FORMAT_CHOICES
				                         ", got \"%s\"",
				                         v ? v : "");
			i++;
		} else if (strcmp(a, "--page-size") == 0) {
			if (!v || parse_u64(v, &opts.page_size) < 0 || opts.page_size < 512 ||
			    (opts.page_size & (opts.page_size - 1)))
				return stats_usage_error("--page-size needs a power of two >= 512, "
				                         "got \"%s\"",
				                         v ? v : "");
			i++;
		} else if (strcmp(a, "--oracle-access") == 0 && v &&
		           (!strcmp(v, "read") || !strcmp(v, "write"))) {
			opts.oracle_as_writes = strcmp(argv[++i], "write") == 0;
		} else if (trace_cli_reader_option(argc, argv, &i, &opts, &rc)) {
			if (rc)
				return rc;
		} else if (a[0] == '-' || trace) {
			return stats_usage_error("unexpected argument \"%s\"", a);
		} else {
			trace = a;
		}
	}
	if (!trace)
		return stats_usage_error("%s", "needs a TRACE");
	struct trace_stats st;
	struct err err = {{0}};
	rc = trace_stats_compute(trace, fmt, &opts, window, &st, &err);
	if (rc == 0) {
		print_summary(&st, trace);
		if (dir)
			rc = trace_stats_write(&st, trace, dir, &err);
	}
	if (rc < 0) {
		fprintf(stderr, "vmsim trace stats: %s\n", err.msg);
		trace_stats_fini(&st);
		return rc == -VMSIM_EIO ? 1 : 2;
	}
	int status = dir && plots ? draw_plots(&st, trace, dir) : 0;
	trace_stats_fini(&st);
	return status;
}
