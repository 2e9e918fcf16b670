/*
 * sweep.c — sweep expansion, key path overrides and summary.csv (see sweep.h).
 *
 * Everything here is a pure function of the sweep file and of the files under the result
 * directory, so that `-j 1`, `-j 8`, shards and `--collect` write the same summary bytes.
 */
#include "sim/cli/sweep.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sim/base/params.h"

#define SLUG_MAX 120 /* longer slugs are cut and get the hash; keeps names below NAME_MAX */

static const char *const sweep_top_keys[] = {"name", "base", "grid", "zip"};

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

/* ---- values as text ---- */

static bool is_bare_word(const char *s)
{
	if (!(isalpha((unsigned char)*s) || *s == '_'))
		return false;
	for (const char *p = s; *p; p++)
		if (!(isalnum((unsigned char)*p) || strchr("_.+-", *p)))
			return false;
	return strcmp(s, "true") && strcmp(s, "false") && strcmp(s, "null");
}

char *sweep_value_text(const json_t *v)
{
	if (json_is_string(v) && is_bare_word(json_string_value(v)))
		return xstrdup(json_string_value(v));
	if (json_is_real(v)) {
		double d = json_real_value(v);
		char buf[64];
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(buf, sizeof(buf), "%.*g", prec, d);
			if (strtod(buf, NULL) == d)
				break;
		}
		/* keep it a JSON real, so that "2" stays an integer and 2.0 stays a real */
		if (!strpbrk(buf, ".eEni"))
			strcat(buf, ".0");
		return xstrdup(buf);
	}
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_PRESERVE_ORDER);
	BUG_ON(!s, "json_dumps failed");
	char *r = xstrdup(s);
	free(s);
	return r;
}

char *sweep_point_set_arg(const struct sweep *s, size_t i, size_t k)
{
	char *v = sweep_value_text(s->points[i].values[k]);
	char *arg = xasprintf("%s=%s", s->keys[k], v);
	free(v);
	return arg;
}

/* ---- key paths ---- */

bool sweep_key_path_valid(const char *path)
{
	const char *p = path;
	for (;;) {
		/* a name */
		size_t n = strcspn(p, ".[]");
		if (n == 0)
			return false;
		p += n;
		while (*p == '[') {
			p++;
			if (!isdigit((unsigned char)*p))
				return false;
			while (isdigit((unsigned char)*p))
				p++;
			if (*p++ != ']')
				return false;
		}
		if (*p == '\0')
			return true;
		if (*p != '.')
			return false;
		p++;
	}
}

int sweep_set_path(json_t *root, const char *path, json_t *value, struct err *err)
{
	if (!sweep_key_path_valid(path))
		return err_set(err,
		               "%s: not a key path (expected names joined by '.', "
		               "with optional [index])",
		               path);
	json_t *cur = root;
	const char *p = path;
	for (;;) {
		size_t n = strcspn(p, ".[");
		char *name = xmalloc(n + 1);
		memcpy(name, p, n);
		name[n] = '\0';
		p += n;
		if (!json_is_object(cur)) {
			int rc = err_set(err,
			                 "%s: cannot set '%s' inside a value that is not an "
			                 "object",
			                 path, name);
			free(name);
			return rc;
		}
		bool last = (*p == '\0');
		if (last) {
			json_object_set(cur, name, value);
			free(name);
			return 0;
		}
		json_t *next = json_object_get(cur, name);
		if (!next) {
			if (*p == '[') {
				int rc = err_set(err,
				                 "%s: '%s' is not in the config, so it has no "
				                 "index",
				                 path, name);
				free(name);
				return rc;
			}
			next = json_object();
			json_object_set_new(cur, name, next);
		}
		free(name);
		cur = next;
		while (*p == '[') {
			char *end;
			unsigned long idx = strtoul(p + 1, &end, 10);
			p = end + 1;
			if (!json_is_array(cur) || idx >= json_array_size(cur))
				return err_set(err,
				               "%s: index %lu is out of range (the list has %zu "
				               "entries)",
				               path, idx,
				               json_is_array(cur) ? json_array_size(cur)
				                                  : (size_t)0);
			if (*p == '\0') {
				json_array_set(cur, idx, value);
				return 0;
			}
			cur = json_array_get(cur, idx);
		}
		BUG_ON(*p != '.', "key path %s", path);
		p++;
	}
}

json_t *sweep_point_config(const struct sweep *s, size_t i, const json_t *base, struct err *err)
{
	json_t *cfg = json_deep_copy(base);
	for (size_t k = 0; k < s->nr_keys; k++) {
		if (sweep_set_path(cfg, s->keys[k], s->points[i].values[k], err) < 0) {
			json_decref(cfg);
			return NULL;
		}
	}
	return cfg;
}

/* ---- ids ---- */

static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

static bool slug_char_ok(char c)
{
	return isalnum((unsigned char)c) || strchr("._=,+-", c);
}

static char *point_make_id(const struct sweep *s, json_t **values)
{
	if (s->nr_keys == 0)
		return xstrdup("base");
	size_t cap = 256, len = 0;
	char *slug = xmalloc(cap);
	uint64_t h = 0xcbf29ce484222325ull;
	bool lossy = false;
	for (size_t k = 0; k < s->nr_keys; k++) {
		char *v = sweep_value_text(values[k]);
		/* a string that is not a bare word shows as itself: readable, but it could read
		 * as another value ("true", "2") or span a separator, so the hash decides */
		const char *shown = v;
		if (json_is_string(values[k]) && !is_bare_word(json_string_value(values[k]))) {
			shown = json_string_value(values[k]);
			lossy = true;
		}
		char *part = xasprintf("%s%s=%s", k ? "," : "", s->keys[k], shown);
		/* the hash sees the exact text, with separators no value can forge */
		h = fnv1a(fnv1a(fnv1a(h, s->keys[k]), "\x01"), v);
		h = fnv1a(h, "\x02");
		size_t n = strlen(part);
		if (len + n + 1 > cap) {
			cap = 2 * (len + n + 1);
			slug = xrealloc(slug, cap);
		}
		memcpy(slug + len, part, n + 1);
		len += n;
		free(part);
		free(v);
	}
	lossy |= len > SLUG_MAX || slug[0] == '.';
	for (size_t i = 0; i < len; i++) {
		if (!slug_char_ok(slug[i])) {
			slug[i] = '_';
			lossy = true;
		}
	}
	if (slug[0] == '.')
		slug[0] = '_';
	if (!lossy)
		return slug;
	if (len > SLUG_MAX)
		slug[SLUG_MAX] = '\0';
	char *id = xasprintf("%s-%08x", slug, (unsigned)(mix64(h) >> 32));
	free(slug);
	return id;
}

/* ---- parsing ---- */

static char *dir_of(const char *file)
{
	const char *slash = strrchr(file, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == file)
		return xstrdup("/");
	char *d = xmalloc((size_t)(slash - file) + 1);
	memcpy(d, file, (size_t)(slash - file));
	d[slash - file] = '\0';
	return d;
}

static char *name_of(const char *file)
{
	const char *b = strrchr(file, '/');
	b = b ? b + 1 : file;
	size_t n = strlen(b);
	if (n > 5 && !strcmp(b + n - 5, ".json"))
		n -= 5;
	char *r = xmalloc(n + 1);
	memcpy(r, b, n);
	r[n] = '\0';
	return r;
}

/* Check one section ("grid" or "zip"): an object of key path -> non-empty list without
 * duplicate values. */
static int check_section(const struct sweep *s, const char *section, json_t *obj, struct err *err)
{
	if (!json_is_object(obj)) {
		char *d = params_describe_value(obj);
		int rc = err_set(err,
		                 "%s: %s: expected an object of \"key.path\": [values...], "
		                 "got %s",
		                 s->file, section, d);
		free(d);
		return rc;
	}
	const char *key;
	json_t *list;
	json_object_foreach(obj, key, list)
	{
		if (!sweep_key_path_valid(key))
			return err_set(err,
			               "%s: %s[\"%s\"]: expected a config key path like "
			               "\"memory.frames\" or \"tlb.levels[0].entries\"",
			               s->file, section, key);
		if (!json_is_array(list) || json_array_size(list) == 0) {
			char *d = params_describe_value(list);
			int rc = err_set(err,
			                 "%s: %s[\"%s\"]: expected a non-empty list of "
			                 "values, got %s",
			                 s->file, section, key, d);
			free(d);
			return rc;
		}
		for (size_t i = 0; i < json_array_size(list); i++) {
			json_t *v = json_array_get(list, i);
			if (json_is_null(v))
				return err_set(err,
				               "%s: %s[\"%s\"][%zu]: null is not a config "
				               "value",
				               s->file, section, key, i);
			for (size_t j = 0; j < i && !strcmp(section, "grid"); j++)
				if (json_equal(v, json_array_get(list, j)))
					return err_set(err,
					               "%s: grid[\"%s\"][%zu]: duplicate of "
					               "[%zu]; every point must differ",
					               s->file, key, i, j);
		}
	}
	return 0;
}

struct point_ref {
	const char *id;
	size_t idx;
};

static int cmp_point_ref(const void *a, const void *b)
{
	const struct point_ref *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static int parse_root(struct sweep *s, json_t *root, struct err *err)
{
	if (!json_is_object(root)) {
		char *d = params_describe_value(root);
		int rc = err_set(err,
		                 "%s: expected a sweep object {\"base\": ..., \"grid\": "
		                 "{...}}, got %s",
		                 s->file, d);
		free(d);
		return rc;
	}
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v)
	{
		bool known = false;
		for (size_t i = 0; i < ARRAY_SIZE(sweep_top_keys); i++)
			known |= !strcmp(key, sweep_top_keys[i]);
		if (!known) {
			const char *near =
			    params_closest(key, sweep_top_keys, ARRAY_SIZE(sweep_top_keys));
			if (near)
				return err_set(err, "%s: %s: unknown key (did you mean \"%s\"?)",
				               s->file, key, near);
			return err_set(err,
			               "%s: %s: unknown key (a sweep has name, base, grid, "
			               "zip)",
			               s->file, key);
		}
	}

	json_t *name = json_object_get(root, "name");
	if (name && (!json_is_string(name) || !*json_string_value(name) ||
	             strchr(json_string_value(name), '/')))
		return err_set(err, "%s: name: expected a non-empty string without '/'", s->file);
	s->name = name ? xstrdup(json_string_value(name)) : name_of(s->file);

	json_t *base = json_object_get(root, "base");
	if (!base)
		return err_set(err,
		               "%s: base: missing (expected a config path relative to the "
		               "sweep file, or a config object)",
		               s->file);
	if (json_is_string(base)) {
		const char *b = json_string_value(base);
		if (!*b)
			return err_set(err, "%s: base: expected a config path, got \"\"", s->file);
		if (b[0] == '/') {
			s->base_path = xstrdup(b);
		} else {
			char *d = dir_of(s->file);
			s->base_path = xasprintf("%s/%s", d, b);
			free(d);
		}
	} else if (json_is_object(base)) {
		s->base_obj = base;
	} else {
		char *d = params_describe_value(base);
		int rc = err_set(err, "%s: base: expected a config path or a config object, got %s",
		                 s->file, d);
		free(d);
		return rc;
	}

	json_t *grid = json_object_get(root, "grid");
	json_t *zip = json_object_get(root, "zip");
	if (!grid && !zip)
		return err_set(err, "%s: grid: missing (expected {\"key.path\": [values...]})",
		               s->file);
	int rc;
	if (grid && (rc = check_section(s, "grid", grid, err)) < 0)
		return rc;
	if (zip && (rc = check_section(s, "zip", zip, err)) < 0)
		return rc;

	size_t nr_grid = grid ? json_object_size(grid) : 0;
	size_t nr_zip = zip ? json_object_size(zip) : 0;
	size_t zip_len = 1;
	s->nr_keys = nr_grid + nr_zip;
	s->nr_grid_keys = nr_grid;
	s->keys = xcalloc(s->nr_keys ? s->nr_keys : 1, sizeof(*s->keys));
	json_t **lists = xcalloc(s->nr_keys ? s->nr_keys : 1, sizeof(*lists));
	size_t k = 0;
	if (grid) {
		json_object_foreach(grid, key, v)
		{
			s->keys[k] = key;
			lists[k++] = v;
		}
	}
	if (zip) {
		const char *first = NULL;
		json_object_foreach(zip, key, v)
		{
			if (grid && json_object_get(grid, key)) {
				free(lists);
				return err_set(err,
				               "%s: zip[\"%s\"]: the key is also in grid; a "
				               "key is swept in one of them",
				               s->file, key);
			}
			if (!first) {
				first = key;
				zip_len = json_array_size(v);
			} else if (json_array_size(v) != zip_len) {
				free(lists);
				return err_set(err,
				               "%s: zip[\"%s\"]: expected %zu values like "
				               "zip[\"%s\"] (zip lists are walked in step), "
				               "got %zu",
				               s->file, key, zip_len, first, json_array_size(v));
			}
			s->keys[k] = key;
			lists[k++] = v;
		}
		for (size_t i = 0; i < zip_len; i++)
			for (size_t j = 0; j < i; j++) {
				bool same = true;
				for (size_t z = nr_grid; z < s->nr_keys; z++)
					same &= json_equal(json_array_get(lists[z], i),
					                   json_array_get(lists[z], j));
				if (same) {
					free(lists);
					return err_set(err,
					               "%s: zip: tuple [%zu] duplicates "
					               "tuple [%zu]; every point must differ",
					               s->file, i, j);
				}
			}
	}

	/* nested loops: grid keys in file order (first slowest), then the zip tuple */
	size_t nr = zip_len;
	for (size_t g = 0; g < nr_grid; g++) {
		size_t n = json_array_size(lists[g]);
		if (n && nr > SWEEP_MAX_POINTS / n) {
			free(lists);
			return err_set(err, "%s: the sweep has more than %d points; split it",
			               s->file, SWEEP_MAX_POINTS);
		}
		nr *= n;
	}
	if (nr > SWEEP_MAX_POINTS) {
		free(lists);
		return err_set(err, "%s: the sweep has more than %d points; split it", s->file,
		               SWEEP_MAX_POINTS);
	}
	s->nr_points = nr;
	s->points = xcalloc(nr, sizeof(*s->points));
	for (size_t i = 0; i < nr; i++) {
		struct sweep_point *p = &s->points[i];
		p->values = xcalloc(s->nr_keys ? s->nr_keys : 1, sizeof(*p->values));
		size_t rest = i;
		size_t zi = rest % zip_len;
		rest /= zip_len;
		for (size_t g = nr_grid; g-- > 0;) {
			size_t n = json_array_size(lists[g]);
			p->values[g] = json_array_get(lists[g], rest % n);
			rest /= n;
		}
		for (size_t z = nr_grid; z < s->nr_keys; z++)
			p->values[z] = json_array_get(lists[z], zi);
		p->id = point_make_id(s, p->values);
	}
	free(lists);
	/* Duplicate ids, in O(n log n) (a pairwise check took minutes on a large grid): sorted
	 * by (id, index), a group of equal ids names its two lowest indices; the pair reported
	 * is the one a pairwise scan in point order would meet first (lowest second index). */
	struct point_ref *order = xmalloc((nr ? nr : 1) * sizeof(*order));
	for (size_t i = 0; i < nr; i++)
		order[i] = (struct point_ref){.id = s->points[i].id, .idx = i};
	qsort(order, nr, sizeof(*order), cmp_point_ref);
	size_t dup_i = SIZE_MAX, dup_j = 0;
	for (size_t q = 1; q < nr; q++)
		if (!strcmp(order[q].id, order[q - 1].id) &&
		    (q < 2 || strcmp(order[q - 1].id, order[q - 2].id)) && order[q].idx < dup_i) {
			dup_i = order[q].idx;
			dup_j = order[q - 1].idx;
		}
	free(order);
	if (dup_i != SIZE_MAX)
		return err_set(err, "%s: points %zu and %zu have the same id \"%s\"", s->file,
		               dup_j, dup_i, s->points[dup_i].id);
	return 0;
}

int sweep_parse(const char *text, const char *file, struct sweep **out, struct err *err)
{
	*out = NULL;
	json_error_t jerr;
	json_t *root = json_loads(text, JSON_PRESERVE_ORDER | JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return err_set(err, "%s:%d:%d: %s", file, jerr.line, jerr.column, jerr.text);
	struct sweep *s = xcalloc(1, sizeof(*s));
	s->file = xstrdup(file);
	s->root = root;
	int rc = parse_root(s, root, err);
	if (rc < 0) {
		sweep_destroy(s);
		return rc;
	}
	*out = s;
	return 0;
}

int sweep_load(const char *file, struct sweep **out, struct err *err)
{
	*out = NULL;
	FILE *f = fopen(file, "rb");
	if (!f)
		return err_setc(err, VMSIM_EIO, "%s: cannot open: %s", file, strerror(errno));
	size_t cap = 4096, len = 0;
	char *text = xmalloc(cap);
	size_t n;
	while ((n = fread(text + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			text = xrealloc(text, cap);
		}
	}
	bool bad = ferror(f);
	fclose(f);
	text[len] = '\0';
	if (bad) {
		free(text);
		return err_setc(err, VMSIM_EIO, "%s: read error", file);
	}
	int rc = sweep_parse(text, file, out, err);
	free(text);
	return rc;
}

void sweep_destroy(struct sweep *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr_points; i++) {
		free(s->points[i].id);
		free(s->points[i].values);
	}
	free(s->points);
	free(s->keys);
	free(s->base_path);
	free(s->name);
	free(s->file);
	json_decref(s->root);
	free(s);
}

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

bool sweep_point_complete(const char *point_dir)
{
	if (file_exists(point_dir, "done"))
		return true;
	return file_exists(point_dir, "stats.json") && !stats_partial(point_dir);
}

enum sweep_status sweep_point_status(const char *point_dir, char *errbuf, size_t errlen)
{
	if (errlen)
		errbuf[0] = '\0';
	if (sweep_point_complete(point_dir))
		return SWEEP_OK;
	if (file_exists(point_dir, "stats.json")) {
		if (errlen)
			snprintf(errbuf, errlen, "interrupted: stats.json holds partial results");
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
