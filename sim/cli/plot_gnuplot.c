/*
 * plot_gnuplot.c — the gnuplot driver of plot.h: the C side writes a small data file and a
 * vars file per plot (DIR/plots/data/<plot>.{dat,vars.gp}); the look lives in
 * scripts/plot/<name>.gp, run as `gnuplot <plot>.vars.gp <script>.gp`, which a user can repeat
 * by hand after editing a script.
 */
#include "sim/cli/plot.h"

#include <errno.h>
#include <limits.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sim/base/util.h"

extern char **environ;

bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *find_gnuplot(void)
{
	const char *path = getenv("PATH");
	if (!path)
		return NULL;
	char *copy = xstrdup(path), *save = NULL;
	for (char *d = strtok_r(copy, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char *p = xasprintf("%s/gnuplot", *d ? d : ".");
		if (access(p, X_OK) == 0 && is_file(p)) {
			free(copy);
			return p;
		}
		free(p);
	}
	free(copy);
	return NULL;
}

/* scripts/plot: $VMSIM_PLOT_SCRIPTS, beside the executable's parent (a build directory in the
 * source tree), an installed share/vmsim/plot, or under the current directory. */
char *find_scripts(void)
{
	const char *env = getenv("VMSIM_PLOT_SCRIPTS");
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *cands[4] = {NULL, NULL, NULL, NULL};
	size_t nc = 0;
	if (env && *env)
		cands[nc++] = xstrdup(env);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		cands[nc++] = xasprintf("%s/../scripts/plot", exe);
		cands[nc++] = xasprintf("%s/../share/vmsim/plot", exe);
	}
	cands[nc++] = xstrdup("scripts/plot");
	char *found = NULL;
	for (size_t i = 0; i < nc; i++) {
		char *probe = xasprintf("%s/faults.gp", cands[i]);
		if (!found && is_file(probe)) {
			char real[PATH_MAX];
			found = xstrdup(realpath(cands[i], real) ? real : cands[i]);
		}
		free(probe);
		free(cands[i]);
	}
	return found;
}

/* A string safe inside a gnuplot single-quoted string and a double-quoted word. */
char *gp_text(const char *s)
{
	char *r = xstrdup(s);
	for (char *p = r; *p; p++)
		if (*p == '\'' || *p == '"' || *p == '\n' || *p == '\\')
			*p = '`';
	return r;
}

void slug_into(char *dst, size_t n, const char *s)
{
	size_t j = 0;
	for (; *s && j + 1 < n; s++) {
		char c = *s;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		          (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_' || c == '=';
		dst[j++] = ok ? c : '_';
	}
	dst[j] = '\0';
}

/*
 * Run gnuplot on DATADIR/<name>.vars.gp (vars, plus scriptdir/outbase) then the script; the
 * outputs are OUTDIR/<name>.{png,svg}.
 */
void plot_run(struct plotter *pl, const char *name, const char *script, const char *vars)
{
	char *vpath = xasprintf("%s/%s.vars.gp", pl->datadir, name);
	FILE *f = fopen(vpath, "w");
	if (!f) {
		fprintf(stderr, "vmsim plot: %s: %s\n", vpath, strerror(errno));
		pl->nr_failed++;
		free(vpath);
		return;
	}
	char *outbase = xasprintf("%s/%s", pl->outdir, name);
	fprintf(f, "# written by vmsim plot; run: gnuplot %s %s/%s\n", vpath, pl->scriptdir,
	        script);
	fprintf(f, "scriptdir = '%s'\noutbase = '%s'\n%s", pl->scriptdir, outbase, vars);
	fclose(f);
	char *spath = xasprintf("%s/%s", pl->scriptdir, script);
	char *argv[] = {pl->gnuplot, vpath, spath, NULL};
	pid_t pid;
	int rc = posix_spawn(&pid, pl->gnuplot, NULL, NULL, argv, environ);
	int status = 0;
	if (rc == 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	char *png = xasprintf("%s.png", outbase), *svg = xasprintf("%s.svg", outbase);
	if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || !is_file(png) ||
	    !is_file(svg)) {
		fprintf(stderr, "vmsim plot: gnuplot failed on %s (%s)\n", spath,
		        rc ? strerror(rc) : "see its message above");
		pl->nr_failed++;
	} else {
		printf("%s.png\n%s.svg\n", outbase, outbase);
		pl->nr_plots++;
	}
	free(png);
	free(svg);
	free(spath);
	free(outbase);
	free(vpath);
}

FILE *data_open(struct plotter *pl, const char *name, char **path)
{
	*path = xasprintf("%s/%s.dat", pl->datadir, name);
	FILE *f = fopen(*path, "w");
	if (!f)
		fprintf(stderr, "vmsim plot: %s: %s\n", *path, strerror(errno));
	return f;
}
