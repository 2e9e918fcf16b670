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

#include "sim/base/params.h"

#define SLUG_MAX 120 /* longer slugs are cut and get the hash; keeps names below NAME_MAX */

static const char *const sweep_top_keys[] = {"name", "base", "grid", "zip"};

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
	if (!strcmp(r, ".") || !strcmp(r, "..")) { /* "..json": results/NAME must stay inside */
		free(r);
		r = xstrdup("sweep");
	}
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

/* Every top-level key is known (with "did you mean" for a near miss). */
static int check_top_keys(const struct sweep *s, json_t *root, struct err *err)
{
	const char *key;
	json_t *v;
	json_object_foreach(root, key, v)
	{
		bool known = false;
		for (size_t i = 0; i < ARRAY_SIZE(sweep_top_keys); i++)
			known |= !strcmp(key, sweep_top_keys[i]);
		if (known)
			continue;
		const char *near = params_closest(key, sweep_top_keys, ARRAY_SIZE(sweep_top_keys));
		if (near)
			return err_set(err, "%s: %s: unknown key (did you mean \"%s\"?)", s->file,
			               key, near);
		return err_set(err, "%s: %s: unknown key (a sweep has name, base, grid, zip)",
		               s->file, key);
	}
	return 0;
}

/* "base": a config path (relative to the sweep file) or a config object. */
static int parse_base(struct sweep *s, json_t *root, struct err *err)
{
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
		return 0;
	}
	if (json_is_object(base)) {
		s->base_obj = base;
		return 0;
	}
	char *d = params_describe_value(base);
	int rc =
	    err_set(err, "%s: base: expected a config path or a config object, got %s", s->file, d);
	free(d);
	return rc;
}

/* No two zip tuples (the values of lists[nr_grid..nr_keys) at one index) are equal. */
static int check_zip_tuples(const struct sweep *s, json_t **lists, size_t nr_grid, size_t zip_len,
                            struct err *err)
{
	for (size_t i = 0; i < zip_len; i++)
		for (size_t j = 0; j < i; j++) {
			bool same = true;
			for (size_t z = nr_grid; z < s->nr_keys; z++)
				same &= json_equal(json_array_get(lists[z], i),
				                   json_array_get(lists[z], j));
			if (same)
				return err_set(err,
				               "%s: zip: tuple [%zu] duplicates tuple [%zu]; every "
				               "point must differ",
				               s->file, i, j);
		}
	return 0;
}

/* The swept keys (grid's in file order, then zip's) into s->keys and their value lists into
 * lists; *zip_len: the length of the zip lists (1 without zip). */
static int collect_keys(struct sweep *s, json_t *grid, json_t *zip, json_t **lists, size_t *zip_len,
                        struct err *err)
{
	const char *key;
	json_t *v;
	size_t k = 0;
	*zip_len = 1;
	if (grid) {
		json_object_foreach(grid, key, v)
		{
			s->keys[k] = key;
			lists[k++] = v;
		}
	}
	if (!zip)
		return 0;
	const char *first = NULL;
	json_object_foreach(zip, key, v)
	{
		if (grid && json_object_get(grid, key))
			return err_set(err,
			               "%s: zip[\"%s\"]: the key is also in grid; a key is swept "
			               "in one of them",
			               s->file, key);
		if (!first) {
			first = key;
			*zip_len = json_array_size(v);
		} else if (json_array_size(v) != *zip_len) {
			return err_set(err,
			               "%s: zip[\"%s\"]: expected %zu values like zip[\"%s\"] "
			               "(zip lists are walked in step), got %zu",
			               s->file, key, *zip_len, first, json_array_size(v));
		}
		s->keys[k] = key;
		lists[k++] = v;
	}
	return check_zip_tuples(s, lists, s->nr_grid_keys, *zip_len, err);
}

/* The points: nested loops over the grid keys in file order (first slowest), then the zip
 * tuple; each with its values and id. */
static int expand_points(struct sweep *s, json_t **lists, size_t zip_len, struct err *err)
{
	size_t nr_grid = s->nr_grid_keys, nr = zip_len;
	for (size_t g = 0; g < nr_grid; g++) {
		size_t n = json_array_size(lists[g]);
		if (n && nr > SWEEP_MAX_POINTS / n)
			return err_set(err, "%s: the sweep has more than %d points; split it",
			               s->file, SWEEP_MAX_POINTS);
		nr *= n;
	}
	if (nr > SWEEP_MAX_POINTS)
		return err_set(err, "%s: the sweep has more than %d points; split it", s->file,
		               SWEEP_MAX_POINTS);
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
	return 0;
}

/* Duplicate ids, in O(n log n) (a pairwise check took minutes on a large grid): sorted by
 * (id, index), a group of equal ids names its two lowest indices; the pair reported is the one
 * a pairwise scan in point order would meet first (lowest second index). */
static int check_point_ids(const struct sweep *s, struct err *err)
{
	size_t nr = s->nr_points;
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
	int rc = check_top_keys(s, root, err);
	if (rc)
		return rc;
	json_t *name = json_object_get(root, "name");
	if (name && (!json_is_string(name) || !*json_string_value(name) ||
	             strchr(json_string_value(name), '/') || !strcmp(json_string_value(name), ".") ||
	             !strcmp(json_string_value(name), "..")))
		return err_set(err,
		               "%s: name: expected a non-empty string without '/', not \".\" or "
		               "\"..\" (results/NAME must stay in results/)",
		               s->file);
	s->name = name ? xstrdup(json_string_value(name)) : name_of(s->file);
	if ((rc = parse_base(s, root, err)))
		return rc;
	json_t *grid = json_object_get(root, "grid");
	json_t *zip = json_object_get(root, "zip");
	if (!grid && !zip)
		return err_set(err, "%s: grid: missing (expected {\"key.path\": [values...]})",
		               s->file);
	if (grid && (rc = check_section(s, "grid", grid, err)) < 0)
		return rc;
	if (zip && (rc = check_section(s, "zip", zip, err)) < 0)
		return rc;
	s->nr_grid_keys = grid ? json_object_size(grid) : 0;
	s->nr_keys = s->nr_grid_keys + (zip ? json_object_size(zip) : 0);
	s->keys = xcalloc(s->nr_keys ? s->nr_keys : 1, sizeof(*s->keys));
	json_t **lists = xcalloc(s->nr_keys ? s->nr_keys : 1, sizeof(*lists));
	size_t zip_len;
	rc = collect_keys(s, grid, zip, lists, &zip_len, err);
	if (!rc)
		rc = expand_points(s, lists, zip_len, err);
	free(lists);
	return rc ? rc : check_point_ids(s, err);
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
	size_t len;
	char *text;
	int rc = json_text_read(file, "sweep", &text, &len, err);
	if (rc < 0)
		return rc;
	rc = sweep_parse(text, file, out, err);
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
