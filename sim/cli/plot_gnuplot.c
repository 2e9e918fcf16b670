/*
 * plot_gnuplot.c — the gnuplot driver of plot.h: the C side writes a small data file and a
 * vars file per plot (DIR/plots/data/<plot>.{dat,vars.gp}); the look lives in
 * scripts/plot/<name>.gp, run as `gnuplot <plot>.vars.gp <script>.gp`, which a user can repeat
 * by hand after editing a script.
 */
#include "sim/cli/plot.h"

#include <errno.h>
#include <stdarg.h>
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

/* Open path.tmp for writing: NULL with a message. */
static FILE *open_tmp(const char *path)
{
	char *tmp = xasprintf("%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f)
		fprintf(stderr, "vmsim plot: %s: %s\n", tmp, strerror(errno));
	free(tmp);
	return f;
}

/* Close f (path.tmp) and rename it to path: 0; else -1 with a message, path.tmp removed. */
static int close_rename(FILE *f, const char *path)
{
	char *tmp = xasprintf("%s.tmp", path);
	int bad = ferror(f);
	bad |= fclose(f) != 0;
	int rc = 0;
	if (bad || rename(tmp, path) < 0) {
		fprintf(stderr, "vmsim plot: %s: write failed: %s\n", bad ? tmp : path,
		        strerror(errno ? errno : EIO));
		unlink(tmp);
		rc = -1;
	}
	free(tmp);
	return rc;
}

/*
 * Run gnuplot on DATADIR/<name>.vars.gp (vars, plus scriptdir/outbase) then the script; the
 * outputs are OUTDIR/<name>.{png,svg}.
 */
void plot_run(struct plotter *pl, const char *name, const char *script, const char *vars)
{
	char *vpath = xasprintf("%s/%s.vars.gp", pl->datadir, name);
	FILE *f = open_tmp(vpath);
	if (!f) {
		pl->nr_failed++;
		free(vpath);
		return;
	}
	char *outbase = xasprintf("%s/%s", pl->outdir, name);
	fprintf(f, "# written by vmsim plot; run: gnuplot %s %s/%s\n", vpath, pl->scriptdir,
	        script);
	fprintf(f, "scriptdir = '%s'\noutbase = '%s'\n%s", pl->scriptdir, outbase, vars);
	if (close_rename(f, vpath) < 0) {
		pl->nr_failed++;
		free(outbase);
		free(vpath);
		return;
	}
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
	return open_tmp(*path);
}

void data_discard(FILE *f, const char *path)
{
	char *tmp = xasprintf("%s.tmp", path);
	fclose(f);
	unlink(tmp);
	free(tmp);
}

int data_close(struct plotter *pl, FILE *f, const char *path)
{
	if (close_rename(f, path) == 0)
		return 0;
	pl->nr_failed++;
	return -1;
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	BUG_ON(n < 0, "vsnprintf failed");
	if (b->len + (size_t)n + 1 > b->cap) {
		b->cap = 2 * (b->len + (size_t)n + 1);
		b->s = xrealloc(b->s, b->cap);
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *sbuf_take(struct sbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	*b = (struct sbuf){0};
	return s;
}

uint64_t stat_u64(const json_t *stats, const char *key, bool *found)
{
	json_t *v = stats ? json_object_get(stats, key) : NULL;
	if (json_is_integer(v) && json_integer_value(v) >= 0) {
		if (found)
			*found = true;
		return (uint64_t)json_integer_value(v);
	}
	return 0;
}

size_t sweep_key_index(const struct sweep *s, const char *key)
{
	for (size_t k = 0; k < s->nr_keys; k++)
		if (!strcmp(s->keys[k], key))
			return k;
	return SIZE_MAX;
}

static bool skipped(struct key_skip skip, size_t k)
{
	return k == skip.k[0] || k == skip.k[1] || k == skip.k[2];
}

char *values_label(const struct sweep *s, json_t **values, struct key_skip skip, bool readable,
                   bool values_only)
{
	struct sbuf b = {0};
	for (size_t k = 0; k < s->nr_keys; k++) {
		if (skipped(skip, k))
			continue;
		/* a label shows a string as it is ("2q"), not as a --set argument quotes it */
		char *v = json_is_string(values[k]) ? xstrdup(json_string_value(values[k]))
		                                    : sweep_value_text(values[k]);
		const char *key = s->keys[k];
		const char *dot = strrchr(key, '.');
		if (values_only)
			sbuf_printf(&b, "%s%s", b.len ? " / " : "", v);
		else
			sbuf_printf(&b, "%s%s=%s", b.len ? (readable ? ", " : ",") : "",
			            readable && dot ? dot + 1 : key, v);
		free(v);
	}
	return sbuf_take(&b);
}

/* One workload object as a title word: its type, with a trace's file name. */
static void workload_word(struct sbuf *b, const json_t *w)
{
	const char *type = json_string_value(json_object_get(w, "type"));
	const char *path = json_string_value(json_object_get(w, "path"));
	if (!type)
		return;
	const char *slash = path ? strrchr(path, '/') : NULL;
	sbuf_printf(b, "%s%s%s%s", b->len ? " + " : "", type, path ? " " : "",
	            path ? (slash ? slash + 1 : path) : "");
}

char *workload_text(const json_t *config)
{
	struct sbuf b = {0};
	json_t *w = json_object_get(config, "workload");
	json_t *ws = json_object_get(config, "workloads");
	if (json_is_object(w))
		workload_word(&b, w);
	size_t i;
	json_t *e;
	json_array_foreach(ws, i, e)
	{
		if (i == 3) {
			sbuf_printf(&b, " + ...");
			break;
		}
		workload_word(&b, e);
	}
	return sbuf_take(&b);
}
