/*
 * config_set.c — see config_set.h. The path is walked character by character (no strtok:
 * empty components, junk after an index and unclosed brackets are errors, never skipped).
 */
#include "sim/engine/config_set.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SET_NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"

/* The list index at *pp ("[N]"): moves *pp past ']'. < 0 with err on anything else. */
static int set_parse_index(const char *key, const char **pp, size_t *idx, struct err *err)
{
	const char *p = *pp + 1; /* after '[' */
	size_t n = strspn(p, "0123456789");
	const char *close = strchr(p, ']');
	if (!close)
		return err_set(err, "--set %s: unclosed '[' (expected [N] with N an integer >= 0)",
		               key);
	if (n == 0 || p + n != close)
		return err_set(err,
		               "--set %s: expected a list index (an integer >= 0) in [], got "
		               "\"%.*s\"",
		               key, (int)(close - p), p);
	errno = 0;
	unsigned long long v = strtoull(p, NULL, 10);
	if (errno || v > SIZE_MAX)
		return err_set(err, "--set %s: list index \"%.*s\" out of range", key, (int)n, p);
	*idx = (size_t)v;
	*pp = close + 1;
	return 0;
}

/* Set the path key in root to v (borrowed), creating objects on the way; list elements must
 * exist. */
static int set_path(json_t *root, const char *key, json_t *v, struct err *err)
{
	const char *p = key;
	json_t *cur = root;
	for (;;) {
		size_t n = strspn(p, SET_NAME_CHARS);
		if (n == 0)
			return *p ? err_set(err, "--set %s: expected a key name at \"%s\"", key, p)
			          : err_set(err, "--set %s: expected a key name at the end", key);
		char *name = xasprintf("%.*s", (int)n, p);
		p += n;
		json_t *child = json_object_get(cur, name);
		if (*p == '\0') {
			json_object_set(cur, name, v);
			free(name);
			return 0;
		}
		while (*p == '[') {
			size_t idx = 0;
			int rc = set_parse_index(key, &p, &idx, err);
			if (rc == 0 && (!json_is_array(child) || idx >= json_array_size(child)))
				rc = err_set(err, "--set %s: no list element %s[%zu]", key, name, idx);
			if (rc < 0) {
				free(name);
				return rc;
			}
			if (*p == '\0') {
				json_array_set(child, idx, v);
				free(name);
				return 0;
			}
			child = json_array_get(child, idx);
		}
		if (*p != '.') {
			free(name);
			return err_set(err, "--set %s: unexpected \"%s\" (expected '.', '[' or the end)",
			               key, p);
		}
		p++;
		if (!json_is_object(child)) {
			if (child) { /* a value that is not an object: nothing to descend into */
				int rc = err_set(err, "--set %s: %s is not an object", key, name);
				free(name);
				return rc;
			}
			child = json_object();
			json_object_set_new(cur, name, child);
		}
		free(name);
		cur = child;
	}
}

/* VALUE as JSON (new reference), a bare word as a string. */
static json_t *set_parse_value(const char *key, const char *value, struct err *err)
{
	json_error_t jerr;
	json_t *v = json_loads(value, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (v)
		return v;
	if (strchr("{[\"", value[0])) {
		err_set(err, "--set %s: malformed JSON value: %s", key, jerr.text);
		return NULL;
	}
	return json_string(value);
}

/* Was the key path "PREFIX.name" written by a --set? */
static bool set_wrote(const struct config_override *sets, size_t n, const char *prefix,
                      const char *name)
{
	size_t lp = strlen(prefix);
	for (size_t i = 0; i < n; i++)
		if (!strncmp(sets[i].key, prefix, lp) && sets[i].key[lp] == '.' &&
		    !strcmp(sets[i].key + lp + 1, name))
			return true;
	return false;
}

/* Drop the keys of obj that neither raw_obj (may be NULL) nor a --set under prefix wrote;
 * keep[] names always kept. */
static void set_keep_written(json_t *obj, const json_t *raw_obj, const char *prefix,
                             const char *const *keep, const struct config_override *sets,
                             size_t n)
{
	const char *k;
	json_t *val, *tmp;
	json_object_foreach_safe(obj, tmp, k, val)
	{
		bool kept = json_object_get(raw_obj, k) || set_wrote(sets, n, prefix, k);
		for (const char *const *q = keep; *q && !kept; q++)
			kept = !strcmp(*q, k);
		if (!kept)
			json_object_del(obj, k);
	}
}

/* After sets[i]: a selector re-derives what it selects (config_set.h). */
static void set_reselect(json_t *root, const json_t *raw, const struct config_override *sets,
                         size_t n, size_t i)
{
	const char *key = sets[i].key;
	static const char *const none[] = {NULL};
	if (!strcmp(key, "vm.policy")) {
		json_t *params = config_lookup(root, "vm.policy_params");
		if (json_is_object(params))
			set_keep_written(params, config_lookup(raw, "vm.policy_params"),
			                 "vm.policy_params", none, sets, n);
		return;
	}
	const char *pre = "disk.devices[";
	size_t lp = strlen(pre), len = strlen(key);
	if (strncmp(key, pre, lp) || len < lp + 7 || strcmp(key + len - 6, "].type"))
		return;
	char *dev_path = xasprintf("%.*s", (int)(len - 5), key); /* disk.devices[N] */
	json_t *dev = config_lookup(root, dev_path);
	static const char *const keep[] = {"name", "type", NULL};
	if (json_is_object(dev))
		set_keep_written(dev, config_lookup(raw, dev_path), dev_path, keep, sets, n);
	free(dev_path);
}

int config_set_apply(json_t *root, const json_t *raw, const struct config_override *sets,
                     size_t n, struct err *err)
{
	for (size_t i = 0; i < n; i++) {
		json_t *v = set_parse_value(sets[i].key, sets[i].value, err);
		if (!v)
			return -VMSIM_EINVAL;
		int rc = set_path(root, sets[i].key, v, err);
		json_decref(v);
		if (rc)
			return rc;
		set_reselect(root, raw, sets, n, i);
	}
	return 0;
}
