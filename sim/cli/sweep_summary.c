/*
 * sweep_summary.c — the state of a sweep's points on disk and summary.csv (see sweep.h): a
 * pure function of the files under the result directory, so that `-j 1`, `-j 8`, shards and
 * `--collect` write the same summary bytes.
 */
#include "sim/cli/sweep.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const sweep_summary_stats[] = {
    "faults.total",
    "faults.minor",
    "faults.major",
    "faults.demand_zero",
    "faults.zero_page",
    "faults.cow",
    "faults.cow_copies",
    "faults.file",
    "faults.swap_in",
    "reclaim.evictions",
    "reclaim.swap_out",
    "reclaim.writeback",
    "sim.time_ps",
    "sim.accesses",
    "latency.access.mean_ps",
    "latency.access.p50_ps",
    "latency.access.p99_ps",
    "latency.fault.mean_ps",
    "latency.fault.p99_ps",
    "time.tlb_ps",
    "time.walk_ps",
    "time.dram_ps",
    "time.fault_ps",
    "time.disk_wait_ps",
    "time.compute_ps",
    NULL,
};

/* ---- point status and summary ---- */

static bool file_exists(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	struct stat st;
	bool ok = stat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return ok;
}

/* stats.json of a run that was stopped early says "sim.complete": 0; such a point is not
 * finished, whatever files it left. */
static bool stats_partial(const char *point_dir)
{
	char *p = xasprintf("%s/stats.json", point_dir);
	json_t *st = json_load_file(p, 0, NULL);
	free(p);
	json_t *c = json_object_get(st, "sim.complete");
	bool partial = json_is_integer(c) && json_integer_value(c) == 0;
	json_decref(st);
	return partial;
}

const char *sweep_point_missing(const char *point_dir)
{
	static const char *const files[] = {"config.json", "run.json", "latency_cdf.csv",
	                                    "timeseries.csv", "stats.json"};
	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (!file_exists(point_dir, files[i]))
			return files[i];
	return NULL;
}

bool sweep_point_complete(const char *point_dir)
{
	if (file_exists(point_dir, "done"))
		return true;
	return !sweep_point_missing(point_dir) && !stats_partial(point_dir);
}

enum sweep_status sweep_point_status(const char *point_dir, char *errbuf, size_t errlen)
{
	if (errlen)
		errbuf[0] = '\0';
	if (sweep_point_complete(point_dir))
		return SWEEP_OK;
	if (file_exists(point_dir, "stats.json")) {
		if (errlen && stats_partial(point_dir))
			snprintf(errbuf, errlen, "interrupted: stats.json holds partial results");
		else if (errlen)
			snprintf(errbuf, errlen, "incomplete results: no %s",
			         sweep_point_missing(point_dir));
		return SWEEP_FAILED;
	}
	char *p = xasprintf("%s/vmsim.log", point_dir);
	FILE *f = fopen(p, "r");
	free(p);
	if (!f)
		return SWEEP_MISSING;
	char line[1024];
	while (fgets(line, sizeof(line), f)) {
		size_t n = strcspn(line, "\r\n");
		line[n] = '\0';
		while (n && isspace((unsigned char)line[n - 1]))
			line[--n] = '\0';
		if (n && errlen) {
			size_t c = MIN(n, errlen - 1);
			memcpy(errbuf, line, c);
			errbuf[c] = '\0';
		}
	}
	fclose(f);
	if (errlen && !errbuf[0])
		snprintf(errbuf, errlen, "the run left no results and no message");
	return SWEEP_FAILED;
}

static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

int sweep_summary_write(const struct sweep *s, const char *dir, FILE *f, size_t *nr_bad,
                        struct err *err)
{
	size_t bad = 0;
	for (size_t k = 0; k < s->nr_keys; k++) {
		csv_field(f, s->keys[k]);
		fputc(',', f);
	}
	for (size_t j = 0; sweep_summary_stats[j]; j++)
		fprintf(f, "%s,", sweep_summary_stats[j]);
	fputs("status,error,point\n", f);

	for (size_t i = 0; i < s->nr_points; i++) {
		const struct sweep_point *p = &s->points[i];
		char *pdir = xasprintf("%s/points/%s", dir, p->id);
		char msg[512];
		enum sweep_status st = sweep_point_status(pdir, msg, sizeof(msg));
		json_t *stats = NULL;
		if (st == SWEEP_OK) {
			char *sp = xasprintf("%s/stats.json", pdir);
			json_error_t jerr;
			stats = json_load_file(sp, 0, &jerr);
			if (!stats && file_exists(pdir, "stats.json")) {
				int rc = err_set(err, "%s:%d: %s", sp, jerr.line, jerr.text);
				free(sp);
				free(pdir);
				return rc;
			}
			if (!stats) {
				st = SWEEP_FAILED;
				snprintf(msg, sizeof(msg), "marked done but stats.json is missing");
			}
			free(sp);
		}
		free(pdir);
		for (size_t k = 0; k < s->nr_keys; k++) {
			/* strings as themselves; numbers, lists and objects as JSON */
			if (json_is_string(p->values[k])) {
				csv_field(f, json_string_value(p->values[k]));
			} else {
				char *v = sweep_value_text(p->values[k]);
				csv_field(f, v);
				free(v);
			}
			fputc(',', f);
		}
		for (size_t j = 0; sweep_summary_stats[j]; j++) {
			json_t *v = stats ? json_object_get(stats, sweep_summary_stats[j]) : NULL;
			if (json_is_integer(v))
				fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
			else if (json_is_real(v) || json_is_string(v)) {
				char *t = sweep_value_text(v);
				csv_field(f, t);
				free(t);
			}
			fputc(',', f);
		}
		static const char *const names[] = {"ok", "failed", "missing"};
		fprintf(f, "%s,", names[st]);
		csv_field(f, st == SWEEP_OK ? "" : msg);
		fputc(',', f);
		csv_field(f, p->id);
		fputc('\n', f);
		json_decref(stats);
		bad += st != SWEEP_OK;
	}
	if (nr_bad)
		*nr_bad = bad;
	return 0;
}

int sweep_summary_save(const struct sweep *s, const char *dir, size_t *nr_bad, struct err *err)
{
	char *path = xasprintf("%s/summary.csv", dir);
	char *tmp = xasprintf("%s/.summary.csv.%ld.tmp", dir, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		int rc = err_setc(err, VMSIM_EIO, "%s: cannot write: %s", tmp, strerror(errno));
		free(tmp);
		free(path);
		return rc;
	}
	int rc = sweep_summary_write(s, dir, f, nr_bad, err);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		if (rc == 0)
			rc = err_setc(err, VMSIM_EIO, "%s: write error: %s", tmp, strerror(errno));
	}
	fclose(f);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = err_setc(err, VMSIM_EIO, "%s: cannot rename to %s: %s", tmp, path,
		              strerror(errno));
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	free(path);
	return rc;
}

int sweep_write_atomic(const char *path, const char *text, struct err *err)
{
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		int rc = err_setc(err, VMSIM_EIO, "%s: cannot write: %s", tmp, strerror(errno));
		free(tmp);
		return rc;
	}
	int rc = 0;
	if (fputs(text, f) < 0 || fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = err_setc(err, VMSIM_EIO, "%s: write error: %s", tmp, strerror(errno));
	fclose(f);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = err_setc(err, VMSIM_EIO, "%s: cannot rename: %s", path, strerror(errno));
	if (rc < 0)
		unlink(tmp);
	free(tmp);
	return rc;
}
