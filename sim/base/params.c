/*
 * params.c — strict checking of JSON objects against struct param_spec tables, defaults, "did
 * you mean", and the markdown that documents every key.
 */
#include "sim/base/params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *params_path_join(const char *parent, const char *key)
{
	if (!parent || !*parent)
		return xstrdup(key);
	return xasprintf("%s.%s", parent, key);
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return SIZE_MAX;
	size_t prev[65], cur[65];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = MIN(sub, MIN(del, ins));
		}
		memcpy(prev, cur, sizeof(size_t) * (lb + 1));
	}
	return prev[lb];
}

const char *params_closest(const char *key, const char *const *candidates, size_t n)
{
	const char *best = NULL;
	size_t best_d = SIZE_MAX;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(key, candidates[i]);
		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	/* Close enough to be a typo: at most a third of the longer name, and at least 2. */
	size_t len = strlen(key);
	size_t limit = MAX((size_t)2, len / 3);
	return best && best_d <= limit ? best : NULL;
}

char *params_describe_value(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return xstrdup("an object");
	case JSON_ARRAY:
		return xstrdup("a list");
	case JSON_STRING:
		return xasprintf("the string \"%s\"", json_string_value(v));
	case JSON_INTEGER:
		return xasprintf("%" JSON_INTEGER_FORMAT, json_integer_value(v));
	case JSON_REAL: { /* "4.0" is not the integer 4: say so */
		char *r = xasprintf("the real number %.15g", json_real_value(v));
		if (!strpbrk(r + 16, ".eEn")) {
			char *r2 = xasprintf("%s.0", r);
			free(r);
			r = r2;
		}
		return r;
	}
	case JSON_TRUE:
		return xstrdup("true");
	case JSON_FALSE:
		return xstrdup("false");
	case JSON_NULL:
		return xstrdup("null");
	}
	return xstrdup("a value");
}

static bool has_bounds(const struct param_spec *s)
{
	return !(s->min == 0 && s->max == 0);
}

static char *expected_text(const struct param_spec *s)
{
	switch (s->type) {
	case PARAM_INT:
		if (has_bounds(s))
			return xasprintf("an integer in [%.0f, %.0f]", s->min, s->max);
		return xstrdup("an integer");
	case PARAM_REAL:
		if (has_bounds(s))
			return xasprintf("a number in [%g, %g]", s->min, s->max);
		return xstrdup("a number");
	case PARAM_BOOL:
		return xstrdup("true or false");
	case PARAM_STRING:
		return xstrdup("a string");
	case PARAM_ENUM:
		return xasprintf("one of \"%s\"", s->choices);
	case PARAM_OBJECT:
	case PARAM_DYNAMIC:
		return xstrdup("an object");
	case PARAM_LIST:
		return xstrdup("a non-empty list of objects");
	}
	return xstrdup("a value");
}

static int type_error(const struct param_spec *s, const json_t *v, const char *file,
                      const char *path, struct err *err)
{
	char *exp = expected_text(s), *got = params_describe_value(v);
	int rc = err_set(err, "%s: %s: expected %s, got %s", file, path, exp, got);
	free(exp);
	free(got);
	return rc;
}

static bool enum_has(const char *choices, const char *v)
{
	size_t n = strlen(v);
	for (const char *p = choices; *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, v, n) == 0)
			return true;
		if (!bar)
			break;
		p = bar + 1;
	}
	return false;
}

static int check_value(const struct param_spec *s, json_t *v, const char *file, const char *path,
                       struct err *err)
{
	switch (s->type) {
	case PARAM_INT: {
		if (!json_is_integer(v))
			return type_error(s, v, file, path, err);
		double d = (double)json_integer_value(v);
		if (has_bounds(s) && (d < s->min || d > s->max))
			return type_error(s, v, file, path, err);
		return 0;
	}
	case PARAM_REAL: {
		if (!json_is_number(v))
			return type_error(s, v, file, path, err);
		double d = json_number_value(v);
		if (!isfinite(d) || (has_bounds(s) && (d < s->min || d > s->max)))
			return type_error(s, v, file, path, err);
		return 0;
	}
	case PARAM_BOOL:
		return json_is_boolean(v) ? 0 : type_error(s, v, file, path, err);
	case PARAM_STRING:
		return json_is_string(v) ? 0 : type_error(s, v, file, path, err);
	case PARAM_ENUM:
		if (!json_is_string(v) || !enum_has(s->choices, json_string_value(v)))
			return type_error(s, v, file, path, err);
		return 0;
	case PARAM_OBJECT:
		if (!json_is_object(v))
			return type_error(s, v, file, path, err);
		return params_resolve(s->sub, v, file, path, err);
	case PARAM_DYNAMIC:
		return 0; /* its owner checks it */
	case PARAM_LIST: {
		if (!json_is_array(v) || json_array_size(v) == 0)
			return type_error(s, v, file, path, err);
		size_t i;
		json_t *el;
		json_array_foreach(v, i, el)
		{
			char *p = xasprintf("%s[%zu]", path, i);
			int rc = json_is_object(el)
			             ? params_resolve(s->sub, el, file, p, err)
			             : err_set(err, "%s: %s: expected an object, got %s", file, p,
			                       json_is_string(el) ? "a string" : "another value");
			free(p);
			if (rc)
				return rc;
		}
		return 0;
	}
	}
	return 0;
}

int params_resolve(const struct param_spec *specs, json_t *obj, const char *file, const char *path,
                   struct err *err)
{
	/* An object's place holding something else (`"policy_params": "x"`): its defaults could
	 * not be stored in it (they were freed and then read). */
	if (obj && !json_is_object(obj)) {
		char *got = params_describe_value(obj);
		int rc = err_set(err, "%s: %s: expected an object, got %s", file, path, got);
		free(got);
		return rc;
	}
	/* Unknown keys first: a misspelled key must not be hidden by its default. */
	const char *key;
	json_t *v;
	json_object_foreach(obj, key, v)
	{
		bool known = false;
		size_t n = 0;
		for (const struct param_spec *s = specs; s && s->key; s++, n++)
			if (strcmp(s->key, key) == 0)
				known = true;
		if (known)
			continue;
		const char **names = xcalloc(n + 1, sizeof(*names));
		for (size_t i = 0; i < n; i++)
			names[i] = specs[i].key;
		const char *near = params_closest(key, names, n);
		char *full = params_path_join(path, key);
		int rc;
		if (near)
			rc = err_set(err, "%s: %s: unknown key (did you mean \"%s\"?)", file, full,
			             near);
		else if (n)
			rc = err_set(err, "%s: %s: unknown key (known here: %s%s)", file, full,
			             names[0], n > 1 ? ", ..." : "");
		else
			rc = err_set(err, "%s: %s: unknown key (this object takes no keys)", file,
			             full);
		free(full);
		free(names);
		return rc;
	}
	for (const struct param_spec *s = specs; s && s->key; s++) {
		char *full = params_path_join(path, s->key);
		json_t *cur = json_object_get(obj, s->key);
		int rc = 0;
		if (!cur) {
			if (s->def) {
				json_error_t jerr;
				json_t *d = json_loads(s->def, JSON_DECODE_ANY, &jerr);
				BUG_ON(!d, "bad default for %s: %s", full, s->def);
				json_object_set_new(obj, s->key, d);
				cur = d;
			} else if (s->type == PARAM_DYNAMIC) {
				/* optional here: its owner checks presence */
			} else if (s->type == PARAM_OBJECT) {
				cur = json_object();
				json_object_set_new(obj, s->key, cur);
			} else {
				rc = err_set(err, "%s: %s: missing (required key)", file, full);
			}
		}
		if (!rc && cur)
			rc = check_value(s, cur, file, full, err);
		free(full);
		if (rc)
			return rc;
	}
	return 0;
}

static const json_t *get_checked(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);
	BUG_ON(!v, "resolved config has no key \"%s\"", key);
	return v;
}

int64_t params_get_int(const json_t *obj, const char *key)
{
	const json_t *v = get_checked(obj, key);
	BUG_ON(!json_is_integer(v), "\"%s\" is not an integer", key);
	return json_integer_value(v);
}

double params_get_real(const json_t *obj, const char *key)
{
	const json_t *v = get_checked(obj, key);
	BUG_ON(!json_is_number(v), "\"%s\" is not a number", key);
	return json_number_value(v);
}

bool params_get_bool(const json_t *obj, const char *key)
{
	const json_t *v = get_checked(obj, key);
	BUG_ON(!json_is_boolean(v), "\"%s\" is not a boolean", key);
	return json_is_true(v);
}

const char *params_get_string(const json_t *obj, const char *key)
{
	const json_t *v = get_checked(obj, key);
	BUG_ON(!json_is_string(v), "\"%s\" is not a string", key);
	return json_string_value(v);
}

static const char *type_name(const struct param_spec *s)
{
	switch (s->type) {
	case PARAM_INT:
		return "integer";
	case PARAM_REAL:
		return "number";
	case PARAM_BOOL:
		return "boolean";
	case PARAM_STRING:
		return "string";
	case PARAM_ENUM:
		return "enum";
	case PARAM_OBJECT:
		return "object";
	case PARAM_LIST:
		return "list";
	case PARAM_DYNAMIC:
		return "object";
	}
	return "?";
}

static void write_rows(FILE *out, const struct param_spec *specs, const char *prefix)
{
	for (const struct param_spec *s = specs; s && s->key; s++) {
		char *full = params_path_join(prefix, s->key);
		char range[128] = "";
		if ((s->type == PARAM_INT || s->type == PARAM_REAL) && has_bounds(s))
			snprintf(range, sizeof(range), "%g .. %g", s->min, s->max);
		else if (s->type == PARAM_ENUM)
			snprintf(range, sizeof(range), "%s", s->choices);
		if (s->type != PARAM_OBJECT)
			fprintf(out, "| `%s` | %s | %s%s%s | %s | %s |\n", full, type_name(s),
			        s->def ? "`" : "", s->def ? s->def : "required", s->def ? "`" : "",
			        range, s->doc ? s->doc : "");
		if (s->type == PARAM_OBJECT)
			write_rows(out, s->sub, full);
		else if (s->type == PARAM_LIST) {
			char *el = xasprintf("%s[]", full);
			write_rows(out, s->sub, el);
			free(el);
		}
		free(full);
	}
}

void params_write_markdown(FILE *out, const struct param_spec *specs, const char *prefix)
{
	fprintf(out, "| key | type | default | range | meaning |\n|---|---|---|---|---|\n");
	write_rows(out, specs, prefix);
}
