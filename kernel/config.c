// SPDX-License-Identifier: MIT
/*
 * hv.cfg parser. Shared by the loader and the core, so it uses only the
 * string functions of kernel/lib/string.h and allocates nothing.
 */
#include "kernel/config.h"
#include "kernel/errno.h"
#include "kernel/lib/string.h"

struct config_key {
	const char *name; /* exact key, or prefix ending in '.' for a family */
	enum config_kind kind;
	bool required;
	const char *choices; /* CONFIG_ENUM: words separated by '|' */
	const char *def;     /* default value, NULL if none */
};

/* The schema: every key hv.cfg may set. Keep docs/config.md in step. */
static const struct config_key config_keys[] = {
	{"core", CONFIG_FILE, true, NULL, NULL},
	{"module.", CONFIG_FILE, false, NULL, NULL},
	{"log.level", CONFIG_ENUM, false, "error|warn|info|debug", "info"},
	{"iommu.mode", CONFIG_ENUM, false, "auto|legacy|scalable", "auto"},
};

static bool config_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool config_is_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '_' || c == '-';
}

static bool config_is_file_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
	       c == '/';
}

static const struct config_key *config_lookup_key(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++) {
		const char *name = config_keys[i].name;
		size_t n = strlen(name);

		if (name[n - 1] == '.') {
			/* A family: the suffix must be a non-empty name. */
			if (strncmp(key, name, n) == 0 && key[n] != '\0' &&
			    strchr(key + n, '.') == NULL)
				return &config_keys[i];
		} else if (strcmp(key, name) == 0) {
			return &config_keys[i];
		}
	}
	return NULL;
}

static bool config_enum_has(const char *choices, const char *value)
{
	size_t vlen = strlen(value);

	while (*choices) {
		const char *bar = strchr(choices, '|');
		size_t n = bar ? (size_t)(bar - choices) : strlen(choices);

		if (n == vlen && strncmp(choices, value, n) == 0)
			return true;
		choices += n + (bar ? 1 : 0);
	}
	return false;
}

static int __printf(3, 4) config_fail(struct config_error *err, unsigned line,
				      const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -HV_EINVAL;
}

static int config_check_value(const struct config_key *k,
			      const struct config_entry *e,
			      struct config_error *err)
{
	if (k->kind == CONFIG_ENUM) {
		if (!config_enum_has(k->choices, e->value))
			return config_fail(err, e->line,
					   "bad value for key '%s': '%s' "
					   "(expected %s)",
					   e->key, e->value, k->choices);
		return 0;
	}
	if (strlen(e->value) >= CONFIG_FILE_MAX)
		return config_fail(err, e->line, "file name too long for '%s'",
				   e->key);
	for (const char *p = e->value; *p; p++)
		if (!config_is_file_char(*p))
			return config_fail(err, e->line,
					   "bad character in file name for "
					   "'%s'",
					   e->key);
	return 0;
}

/* Copy [s, s+n) into dst (size cap) or fail. */
static bool config_copy(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return false;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

/* Trim white space on both sides of [*s, *s + *n). */
static void config_trim(const char **s, size_t *n)
{
	while (*n && config_is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && config_is_space((*s)[*n - 1]))
		(*n)--;
}

/* Cut a comment: '#' at the start or after white space. */
static size_t config_strip_comment(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '#' && (i == 0 || config_is_space(s[i - 1])))
			return i;
	return n;
}

/*
 * Parse one line into the entry at cfg->count: 1 when it held a key, 0 for
 * a blank or comment line, negative on error.
 */
static int config_parse_line(struct config *cfg, const char *s, size_t n,
			     unsigned line, struct config_error *err)
{
	struct config_entry *e;
	const char *eq;
	size_t klen, vlen;
	const char *v;

	n = config_strip_comment(s, n);
	config_trim(&s, &n);
	if (n == 0)
		return 0;
	eq = memchr(s, '=', n);
	if (!eq)
		return config_fail(err, line, "expected 'key = value'");
	if (cfg->count == CONFIG_MAX_ENTRIES)
		return config_fail(err, line, "too many keys");
	e = &cfg->entry[cfg->count];
	klen = (size_t)(eq - s);
	v = eq + 1;
	vlen = n - klen - 1;
	config_trim(&s, &klen);
	config_trim(&v, &vlen);
	if (klen == 0)
		return config_fail(err, line, "missing key before '='");
	if (!config_copy(e->key, sizeof(e->key), s, klen))
		return config_fail(err, line, "key too long");
	for (size_t i = 0; i < klen; i++)
		if (!config_is_key_char(e->key[i]))
			return config_fail(err, line,
					   "bad character in key "
					   "'%s'",
					   e->key);
	if (vlen == 0)
		return config_fail(err, line, "missing value for key '%s'",
				   e->key);
	if (!config_copy(e->value, sizeof(e->value), v, vlen))
		return config_fail(err, line, "value too long for key '%s'",
				   e->key);
	e->line = line;
	return 1;
}

static int config_check_entry(struct config *cfg, struct config_error *err)
{
	struct config_entry *e = &cfg->entry[cfg->count];
	const struct config_key *k = config_lookup_key(e->key);

	if (!k)
		return config_fail(err, e->line, "unknown key '%s'", e->key);
	if (config_get(cfg, e->key))
		return config_fail(err, e->line, "key '%s' set twice", e->key);
	e->kind = k->kind;
	return config_check_value(k, e, err);
}

static int config_check_required(const struct config *cfg,
				 struct config_error *err)
{
	for (size_t i = 0; i < ARRAY_SIZE(config_keys); i++)
		if (config_keys[i].required &&
		    !config_get(cfg, config_keys[i].name))
			return config_fail(err, 0, "required key '%s' missing",
					   config_keys[i].name);
	return 0;
}

int config_parse(struct config *cfg, const char *text, size_t len,
		 struct config_error *err)
{
	unsigned line = 1;
	size_t pos = 0;
	int rc = 0;

	cfg->count = 0;
	err->line = 0;
	err->msg[0] = '\0';
	while (pos < len && rc == 0) {
		const char *s = text + pos;
		const char *nl = memchr(s, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - s) : len - pos;

		if (memchr(s, '\0', n))
			rc = config_fail(err, line, "NUL byte in line");
		else if (n > CONFIG_LINE_MAX)
			rc = config_fail(err, line, "line too long");
		else
			rc = config_parse_line(cfg, s, n, line, err);
		if (rc == 1) {
			rc = config_check_entry(cfg, err);
			if (rc == 0)
				cfg->count++;
		}
		pos += n + 1;
		line++;
	}
	if (rc == 0)
		rc = config_check_required(cfg, err);
	if (rc)
		cfg->count = 0;
	return rc;
}

const char *config_get(const struct config *cfg, const char *key)
{
	for (unsigned i = 0; i < cfg->count; i++)
		if (strcmp(cfg->entry[i].key, key) == 0)
			return cfg->entry[i].value;
	return NULL;
}

const char *config_get_or_default(const struct config *cfg, const char *key)
{
	const char *v = config_get(cfg, key);
	const struct config_key *k;

	if (v)
		return v;
	k = config_lookup_key(key);
	return k ? k->def : NULL;
}
