/*
 * sweep_shared.c — a sweep's shared traces decoded once (sweep_shared.h). Each point's config
 * is resolved (the base with its --set values, as its run will), its trace identified by
 * (absolute path, format, page size, oracle_access), and each distinct one converted once to
 * DIR/shared/<hash>.vmb, reused while it is newer than the trace (so --resume converts again
 * only after the trace changed).
 */
#include "sim/cli/sweep_shared.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/base/params.h"
#include "sim/engine/config.h"
#include "workloads/trace_convert.h"

/* What a point's trace is decoded with; NULL path: nothing to share. */
struct shared_key {
	char *path; /* absolute */
	const struct trace_format *fmt;
	struct trace_read_opts opts;
};

/* Point i's trace, from its resolved config. */
static struct shared_key point_key(const struct sweep *s, const char *base_path, size_t i)
{
	struct shared_key k = {0};
	char **args = xcalloc(s->nr_keys ? s->nr_keys : 1, sizeof(*args));
	struct config_override *sets = xcalloc(s->nr_keys ? s->nr_keys : 1, sizeof(*sets));
	for (size_t j = 0; j < s->nr_keys; j++) {
		args[j] = sweep_point_set_arg(s, i, j);
		char *eq = strchr(args[j], '=');
		*eq = '\0';
		sets[j] = (struct config_override){.key = args[j], .value = eq + 1};
	}
	struct config cfg;
	struct err err;
	if (!config_load(&cfg, base_path, sets, s->nr_keys, false, 0, &err)) {
		const json_t *w = json_object_get(cfg.root, "workload");
		const char *type = w ? params_get_string(w, "type") : "";
		const char *fmt = w && !strcmp(type, "trace") ? params_get_string(w, "format") : "";
		char real[PATH_MAX];
		char *full = NULL;
		if (*fmt && strcmp(fmt, "vmb")) {
			const char *p = params_get_string(w, "path");
			full = p[0] == '/' ? xstrdup(p) : xasprintf("%s/%s", cfg.base_dir, p);
		}
		if (full && realpath(full, real)) {
			k.path = xstrdup(real);
			k.fmt = trace_format_find(fmt);
			k.opts.page_size = (uint64_t)params_get_int(
			    json_object_get(cfg.root, "memory"), "page_size");
			k.opts.oracle_as_writes =
			    strcmp(params_get_string(w, "oracle_access"), "write") == 0;
		}
		free(full);
		config_fini(&cfg);
	}
	for (size_t j = 0; j < s->nr_keys; j++)
		free(args[j]);
	free(args);
	free(sets);
	return k;
}

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ull;
	return h;
}

/* DIR/shared/<hash of the key>.vmb (new). */
static char *shared_file(const char *dir, const struct shared_key *k)
{
	uint64_t h = fnv1a(0xcbf29ce484222325ull, k->path, strlen(k->path));
	h = fnv1a(h, k->fmt->name, strlen(k->fmt->name));
	h = fnv1a(h, &k->opts.page_size, sizeof(k->opts.page_size));
	h = fnv1a(h, &k->opts.oracle_as_writes, sizeof(k->opts.oracle_as_writes));
	return xasprintf("%s/shared/%016" PRIx64 ".vmb", dir, h);
}

/* Is out a conversion made after the trace last changed? */
static bool up_to_date(const char *out, const char *trace)
{
	struct stat so, st;
	if (stat(out, &so) || stat(trace, &st))
		return false;
	return so.st_mtim.tv_sec > st.st_mtim.tv_sec ||
	       (so.st_mtim.tv_sec == st.st_mtim.tv_sec && so.st_mtim.tv_nsec > st.st_mtim.tv_nsec);
}

/* out converted from k (or already): 0, or -1 after a message (the points read the trace). */
static int convert_once(const char *dir, const struct shared_key *k, const char *out)
{
	if (up_to_date(out, k->path))
		return 0;
	char *sdir = xasprintf("%s/shared", dir);
	mkdir(sdir, 0777);
	free(sdir);
	char *tmp = xasprintf("%s.tmp.vmb", out);
	struct err err;
	int rc = trace_convert(k->path, k->fmt, tmp, &trace_format_vmb, &k->opts, &err);
	if (!rc && rename(tmp, out)) {
		rc = -1;
		snprintf(err.msg, sizeof(err.msg), "%s: %s", out, strerror(errno));
		unlink(tmp);
	}
	free(tmp);
	if (rc) {
		fprintf(stderr, "sweep: %s not decoded once (%s): each point reads it\n", k->path,
		        err.msg);
		return -1;
	}
	fprintf(stderr, "sweep: %s decoded once to %s\n", k->path, out);
	return 0;
}

char **sweep_shared_prepare(const struct sweep *s, const char *base_path, const char *dir,
                            const size_t *todo, size_t nr_todo)
{
	char **files = xcalloc(s->nr_points ? s->nr_points : 1, sizeof(*files));
	for (size_t t = 0; t < nr_todo; t++) {
		struct shared_key k = point_key(s, base_path, todo[t]);
		if (!k.path)
			continue;
		char *out = shared_file(dir, &k);
		bool known = false; /* converted for an earlier point */
		for (size_t u = 0; u < t && !known; u++)
			known = files[todo[u]] && !strcmp(files[todo[u]], out);
		if (known || !convert_once(dir, &k, out))
			files[todo[t]] = out;
		else
			free(out);
		free(k.path);
	}
	return files;
}

void sweep_shared_free(const struct sweep *s, char **files)
{
	for (size_t i = 0; files && i < s->nr_points; i++)
		free(files[i]);
	free(files);
}
