/*
 * plot_mrc.c — `vmsim plot FILE.csv` on the CSV of `vmsim mrc`: the miss-ratio curve (faults /
 * references against memory size in frames), drawn to DIR/plots/mrc-<stem>.{png,svg} beside
 * the CSV (DIR its directory).
 *
 * Three shapes of CSV (docs/mrc.md): one policy (`frames,faults,fault_ratio`), LRU and OPT
 * (`frames,lru_faults,lru_fault_ratio,opt_faults,opt_fault_ratio`: two curves, OPT the lower
 * bound in style 8), and SHARDS with a band (`frames,faults,fault_ratio,faults_min,faults_max`
 * from --shards-band: the curve and the shaded range of the K samples' curves), and another
 * policy's miniature simulations at a few sizes (`frames,faults,fault_ratio,lru_error`: points,
 * with LRU's miniature error at each size as error bars).
 *
 * The data file (plots/data/mrc-<stem>.dat), one row per size: `frames ratio` (one policy),
 * `frames lru_ratio opt_ratio` (both), `frames ratio ratio_min ratio_max` (band, the band's
 * ratios = ratio x faults_min / faults, and likewise for max: exact to the CSV's six decimals),
 * `frames ratio lru_error` (miniatures).
 * Bad input (another header, a malformed row) is an error naming the file and line, exit 2.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/plot.h"

enum mrc_csv_kind { MRC_CSV_ONE, MRC_CSV_BOTH, MRC_CSV_BAND, MRC_CSV_MINI };

static const char *const mrc_headers[] = {
    [MRC_CSV_ONE] = "frames,faults,fault_ratio",
    [MRC_CSV_BOTH] = "frames,lru_faults,lru_fault_ratio,opt_faults,opt_fault_ratio",
    [MRC_CSV_BAND] = "frames,faults,fault_ratio,faults_min,faults_max",
    [MRC_CSV_MINI] = "frames,faults,fault_ratio,lru_error",
};

bool mrc_csv_header(const char *line)
{
	for (size_t k = 0; k < ARRAY_SIZE(mrc_headers); k++)
		if (!strcmp(line, mrc_headers[k]))
			return true;
	return false;
}

/* One data row of the CSV into f. Returns 0, or -1 when the row is malformed. */
static int mrc_row(FILE *f, enum mrc_csv_kind kind, const char *line, double *frames)
{
	unsigned long long fr, a, c, d;
	double r1, r2;
	char tail;
	switch (kind) {
	case MRC_CSV_ONE:
		if (sscanf(line, "%llu,%llu,%lf%c", &fr, &a, &r1, &tail) != 3)
			return -1;
		fprintf(f, "%llu %.6f\n", fr, r1);
		break;
	case MRC_CSV_BOTH:
		if (sscanf(line, "%llu,%llu,%lf,%llu,%lf%c", &fr, &a, &r1, &c, &r2, &tail) != 5)
			return -1;
		fprintf(f, "%llu %.6f %.6f\n", fr, r1, r2);
		break;
	case MRC_CSV_BAND:
		if (sscanf(line, "%llu,%llu,%lf,%llu,%llu%c", &fr, &a, &r1, &c, &d, &tail) != 5 ||
		    c > a || d < a)
			return -1;
		fprintf(f, "%llu %.6f %.6f %.6f\n", fr, r1, a ? r1 * (double)c / (double)a : 0,
		        a ? r1 * (double)d / (double)a : 0);
		break;
	case MRC_CSV_MINI:
		if (sscanf(line, "%llu,%llu,%lf,%lf%c", &fr, &a, &r1, &r2, &tail) != 4)
			return -1;
		fprintf(f, "%llu %.6f %.6f\n", fr, r1, r2);
		break;
	}
	*frames = (double)fr;
	return 0;
}

/* The CSV at csv (its first line already read as header) into the data file; *max_frames the
 * largest size. Returns 0, or 2 with a message. */
static int mrc_convert(FILE *in, const char *csv, enum mrc_csv_kind kind, FILE *f,
                       double *max_frames)
{
	char *line = NULL;
	size_t cap = 0;
	unsigned long long line_no = 1;
	int rc = 0;
	while (getline(&line, &cap, in) >= 0) {
		line_no++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!*line)
			continue;
		double fr;
		if (mrc_row(f, kind, line, &fr) < 0) {
			fprintf(stderr,
			        "vmsim plot: %s:%llu: expected a row of %s, got \"%.60s\"\n", csv,
			        line_no, mrc_headers[kind], line);
			rc = 2;
			break;
		}
		*max_frames = MAX(*max_frames, fr);
	}
	free(line);
	return rc;
}

static enum mrc_csv_kind mrc_kind(const char *header)
{
	for (size_t k = 0; k < ARRAY_SIZE(mrc_headers); k++)
		if (!strcmp(header, mrc_headers[k]))
			return (enum mrc_csv_kind)k;
	return MRC_CSV_ONE;
}

int plot_mrc(struct plotter *pl, const char *csv)
{
	FILE *in = fopen(csv, "r");
	if (!in) {
		fprintf(stderr, "vmsim plot: %s: %s\n", csv, strerror(errno));
		return 2;
	}
	char *header = NULL;
	size_t cap = 0;
	if (getline(&header, &cap, in) < 0)
		header = xrealloc(header, 1), *header = '\0';
	header[strcspn(header, "\r\n")] = '\0';
	enum mrc_csv_kind kind = mrc_kind(header);
	const char *slash = strrchr(csv, '/');
	char stem[160], name[200];
	slug_into(stem, sizeof(stem), slash ? slash + 1 : csv);
	char *dot = strrchr(stem, '.');
	if (dot && !strcmp(dot, ".csv"))
		*dot = '\0';
	snprintf(name, sizeof(name), "mrc-%s", stem);
	char *path;
	FILE *f = data_open(pl, name, &path);
	double max_frames = 0;
	int rc = f ? mrc_convert(in, csv, kind, f, &max_frames) : 1;
	if (f && data_close(pl, f, path) < 0 && rc == 0)
		rc = 1; /* (a write error: exit 1, as for a file it could not open) */
	fclose(in);
	if (rc == 0 && max_frames > 0) {
		static const char *const kinds[] = {"one", "both", "band", "mini"};
		char *t = gp_text(slash ? slash + 1 : csv);
		char *vars = xasprintf("datafile = '%s'\nkind = '%s'\nlogx = %d\n"
		                       "plottitle = 'Miss-ratio curve: %s'\n",
		                       path, kinds[kind], max_frames >= 64, t);
		plot_run(pl, name, "mrc.gp", vars);
		free(vars);
		free(t);
	} else if (rc == 0) {
		fprintf(stderr, "vmsim plot: %s: no rows to plot\n", csv);
		rc = 2;
	}
	free(path);
	free(header);
	return rc;
}
