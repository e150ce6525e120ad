/* SPDX-License-Identifier: MIT */
/*
 * hv.cfg parser, shared by the loader and the core. The format is one
 * "key = value" per line; '#' starts a comment (at the start of a line or
 * after white space). Every key must be known to the schema in config.c
 * and its value must pass the key's check; docs/config.md lists them.
 */
#ifndef KERNEL_CONFIG_H
#define KERNEL_CONFIG_H

#include "kernel/types.h"

#define CONFIG_MAX_ENTRIES 64
#define CONFIG_KEY_MAX	   48  /* including the NUL */
#define CONFIG_VALUE_MAX   128 /* including the NUL */
#define CONFIG_LINE_MAX	   256 /* bytes of one line, without the newline */
#define CONFIG_MSG_MAX	   128
#define CONFIG_FILE_MAX	   64 /* file names, including the NUL */

/* What kind of value a key takes. */
enum config_kind {
	CONFIG_FILE, /* a file on the boot volume, loaded by the loader */
	CONFIG_ENUM, /* one of a fixed set of words */
};

struct config_entry {
	char key[CONFIG_KEY_MAX];
	char value[CONFIG_VALUE_MAX];
	unsigned line;
	enum config_kind kind;
};

struct config {
	struct config_entry entry[CONFIG_MAX_ENTRIES];
	unsigned count;
};

struct config_error {
	unsigned line; /* 0 when the error is not about one line */
	char msg[CONFIG_MSG_MAX];
};

/*
 * Parse len bytes of text. On success returns 0 and fills cfg. On the first
 * error returns -HV_EINVAL, fills err and leaves cfg empty.
 */
int config_parse(struct config *cfg, const char *text, size_t len,
		 struct config_error *err);

/* Value of key, or NULL when the file does not set it. */
const char *config_get(const struct config *cfg, const char *key);

/* Value of key, or the schema's default; NULL for keys without one. */
const char *config_get_or_default(const struct config *cfg, const char *key);

#endif
